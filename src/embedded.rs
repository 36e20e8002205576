//! The default theme and UI strings, built into the binary (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The embedded file at `path` (e.g. `locales/ru.toml`), if any.
pub fn get(path: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, b)| *b)
}

/// Embedded files under `prefix/`, as (path below the prefix, bytes).
pub fn under(prefix: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    FILES.iter().filter_map(move |(p, b)| {
        p.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
            .map(|rest| (rest, *b))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn theme_and_locales_are_embedded() {
        assert!(super::get("locales/en.toml").is_some());
        assert!(super::under("themes/default/templates").any(|(p, _)| p == "base.html"));
    }
}
