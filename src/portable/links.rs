//! Where a reference of the site points, written relative to the file that
//! holds it, so that it works opened from a folder (`file://`): no server
//! turns `/en/stories/` into `en/stories/index.html` there.
//!
//! A reference is the site's own when it is relative, root-relative under
//! the base path, or an absolute `http(s)` address on the host and under
//! the path of `base_url`. Everything else (other sites, `mailto:`, `tel:`,
//! `data:`, a root-relative path outside the base path) is left as it is.

use std::borrow::Cow;

/// The addresses under which the site links its own files.
#[derive(Debug, Clone)]
pub struct SiteAddress {
    /// Host (and port) of `base_url`, lowercase: `example.org`.
    host: String,
    /// Path of `base_url`, starting and ending in `/`: `/campaign/`.
    base_path: String,
}

impl SiteAddress {
    /// The site published at `base_url` (ending in `/`), whose path part is
    /// `base_path` (starting and ending in `/`).
    pub fn new(base_url: &str, base_path: &str) -> SiteAddress {
        let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
        let host = rest.split('/').next().unwrap_or_default();
        SiteAddress {
            host: host.to_ascii_lowercase(),
            base_path: base_path.to_string(),
        }
    }

    /// The file `url` (found in site file `from`, e.g. `en/x/index.html`)
    /// points to, relative to the site's root (`en/stories/index.html`),
    /// with what followed the path (`?query#fragment`); `None` when it is
    /// not one of the site's files.
    fn target<'u>(&self, url: &'u str, from: &str) -> Option<(String, &'u str)> {
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, rest) = url.split_at(split);
        let absolute = if let Some(after) = path.strip_prefix("//") {
            self.strip_host(after)?.to_string()
        } else if let Some(scheme_end) = scheme_end(path) {
            let scheme = &path[..scheme_end];
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return None;
            }
            let after = path[scheme_end + 1..].strip_prefix("//")?;
            self.strip_host(after)?.to_string()
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            let folder = from.rfind('/').map_or("", |i| &from[..=i]);
            format!("{}{folder}{path}", self.base_path)
        };
        let absolute = remove_dot_segments(&absolute)?;
        let inside = if absolute.len() + 1 == self.base_path.len() {
            // `/campaign` for a site at `/campaign/`.
            self.base_path.starts_with(&absolute).then_some("")?
        } else {
            absolute.strip_prefix(&self.base_path)?
        };
        Some((file_of(inside), rest))
    }

    /// The path after `host` in `host/path`, or `None` for another host.
    fn strip_host<'a>(&self, after: &'a str) -> Option<&'a str> {
        let end = after.find('/').unwrap_or(after.len());
        let (host, path) = after.split_at(end);
        if !host.eq_ignore_ascii_case(&self.host) {
            return None;
        }
        Some(if path.is_empty() { "/" } else { path })
    }
}

/// `url`, found in the site file `from`, rewritten to work from a folder:
/// relative to `from`, naming `index.html` for a folder, keeping its query
/// and fragment. `None` when it stays as it is (another site's address,
/// `#fragment` alone, `mailto:`, or already right).
///
/// ```
/// use glimmer::portable::links::{SiteAddress, relative};
/// let site = SiteAddress::new("https://example.org/campaign/", "/campaign/");
/// let url = relative("/campaign/ru/stories/x/#part", "en/stories/y/index.html", &site);
/// assert_eq!(url.as_deref(), Some("../../../ru/stories/x/index.html#part"));
/// ```
pub fn relative(url: &str, from: &str, site: &SiteAddress) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') {
        return None;
    }
    let (target, rest) = site.target(url, from)?;
    let rewritten = format!("{}{rest}", relative_path(from, &target));
    (rewritten != url).then_some(rewritten)
}

/// A `srcset` list with each candidate's URL rewritten by [`relative`],
/// its width or density kept; `None` when nothing changed.
pub fn srcset(set: &str, from: &str, site: &SiteAddress) -> Option<String> {
    let mut changed = false;
    let candidates: Vec<String> = srcset_candidates(set)
        .into_iter()
        .map(|(url, descriptor)| {
            let url = match relative(url, from, site) {
                Some(new) => {
                    changed = true;
                    Cow::Owned(new)
                }
                None => Cow::Borrowed(url),
            };
            if descriptor.is_empty() {
                url.into_owned()
            } else {
                format!("{url} {descriptor}")
            }
        })
        .collect();
    changed.then(|| candidates.join(", "))
}

/// Style sheet text with the URL of every `url(…)` rewritten by
/// [`relative`] (for a `.css` file, `from` is the file itself; for a
/// `<style>` element or attribute, the page). `None` when nothing changed.
pub fn css(text: &str, from: &str, site: &SiteAddress) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut changed = false;
    let mut search = 0;
    while let Some(found) = lower[search..].find("url(") {
        let open = search + found + 4;
        let Some((start, end)) = url_token(text, open) else {
            break;
        };
        search = end;
        if let Some(new) = relative(&text[start..end], from, site) {
            out.push_str(&text[copied..start]);
            out.push_str(&new);
            copied = end;
            changed = true;
        }
    }
    out.push_str(&text[copied..]);
    changed.then_some(out)
}

/// Byte range of the URL inside `url(` … `)` whose text starts at `open`,
/// without quotes and surrounding spaces.
fn url_token(text: &str, open: usize) -> Option<(usize, usize)> {
    let inner = &text[open..];
    let lead = inner.len() - inner.trim_start().len();
    let start = open + lead;
    match text[start..].chars().next()? {
        q @ ('"' | '\'') => {
            let end = text[start + 1..].find(q)? + start + 1;
            Some((start + 1, end))
        }
        _ => {
            let close = text[start..].find(')')? + start;
            Some((start, start + text[start..close].trim_end().len()))
        }
    }
}

/// The candidates of a `srcset` (URL, descriptors), per the HTML grammar:
/// a URL runs to whitespace (trailing commas dropped), then descriptors
/// run to a comma outside parentheses.
fn srcset_candidates(set: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = set;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        let ended_by_comma = rest[..end].ends_with(',');
        rest = &rest[end..];
        let mut descriptor = "";
        if !ended_by_comma {
            let mut depth = 0usize;
            let stop = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    c == ',' && depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            descriptor = rest[..stop].trim();
            rest = &rest[stop..];
        }
        if !url.is_empty() {
            out.push((url, descriptor));
        }
    }
}

/// Where the scheme of `url` ends (the index of its `:`), if it has one:
/// letters, then letters, digits, `+`, `-` or `.`.
fn scheme_end(url: &str) -> Option<usize> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(colon)
}

/// RFC 3986 `remove_dot_segments` on a path starting with `/`; `None` when
/// `..` climbs above `/`.
fn remove_dot_segments(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    out.pop()?;
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    Some(format!("/{}", out.join("/")))
}

/// The file a path inside the site names: `index.html` of a folder (a
/// path that is empty, ends in `/` or whose last part has no `.`), else
/// the path itself.
fn file_of(inside: &str) -> String {
    let last = inside.rsplit('/').next().unwrap_or_default();
    if inside.is_empty() || inside.ends_with('/') {
        format!("{inside}index.html")
    } else if !last.contains('.') {
        format!("{inside}/index.html")
    } else {
        inside.to_string()
    }
}

/// The path from site file `from` to site file `to`, both relative to the
/// site's root: `../` up to the folders they share, then down to `to`.
fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, file) = to_parts.split_at(to_parts.len() - 1);
    let shared = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| **a == percent_decode(b))
        .count();
    let mut out = "../".repeat(from_dirs.len() - shared);
    for dir in &to_dirs[shared..] {
        out.push_str(dir);
        out.push('/');
    }
    out.push_str(file[0]);
    out
}

/// `%XX` escapes decoded as UTF-8 (to compare a link's folder with a file
/// name); text without `%` is borrowed.
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> SiteAddress {
        SiteAddress::new("https://example.org/", "/")
    }

    fn campaign() -> SiteAddress {
        SiteAddress::new("https://ngo.github.io/campaign/", "/campaign/")
    }

    fn rel(url: &str, from: &str, site: &SiteAddress) -> String {
        relative(url, from, site).unwrap_or_else(|| url.to_string())
    }

    #[test]
    fn folder_links_name_their_index_file() {
        let s = root();
        let from = "en/stories/x/index.html";
        assert_eq!(
            rel("/ru/stories/y/", from, &s),
            "../../../ru/stories/y/index.html"
        );
        assert_eq!(rel("/en/stories/", from, &s), "../index.html");
        assert_eq!(rel("/en/stories/x/", from, &s), "index.html");
        assert_eq!(rel("/", from, &s), "../../../index.html");
        assert_eq!(rel("/en/about", from, &s), "../../about/index.html");
        assert_eq!(rel("/", "index.html", &s), "index.html");
        assert_eq!(rel("/en/", "index.html", &s), "en/index.html");
    }

    #[test]
    fn links_to_files_stay_files() {
        let s = root();
        let from = "en/stories/x/index.html";
        assert_eq!(rel("/quick-exit.js", from, &s), "../../../quick-exit.js");
        assert_eq!(rel("/en/atom.xml", from, &s), "../../atom.xml");
        assert_eq!(
            rel("/en/services/services.json", "en/services/index.html", &s),
            "services.json"
        );
    }

    #[test]
    fn base_paths_are_taken_off() {
        let s = campaign();
        let from = "en/stories/x/index.html";
        assert_eq!(rel("/campaign/ru/", from, &s), "../../../ru/index.html");
        assert_eq!(rel("/campaign/", from, &s), "../../../index.html");
        assert_eq!(rel("/campaign", from, &s), "../../../index.html");
        // Outside the site's path: nothing to point to in the copy.
        assert_eq!(relative("/other/", from, &s), None);
        assert_eq!(relative("/campaigns/x/", from, &s), None);
    }

    #[test]
    fn fragments_and_queries_are_kept() {
        let s = root();
        let from = "en/stories/x/index.html";
        assert_eq!(rel("/en/stories/y/#part", from, &s), "../y/index.html#part");
        assert_eq!(
            rel("/en/?a=1&b=2#top", from, &s),
            "../../index.html?a=1&b=2#top"
        );
        assert_eq!(relative("#main", from, &s), None);
        assert_eq!(rel("?page=2", from, &s), "index.html?page=2");
    }

    #[test]
    fn absolute_addresses_of_the_site_become_relative() {
        let s = campaign();
        let from = "en/index.html";
        assert_eq!(
            rel("https://ngo.github.io/campaign/ru/services/", from, &s),
            "../ru/services/index.html"
        );
        assert_eq!(
            rel("http://NGO.github.io/campaign/en/", from, &s),
            "index.html"
        );
        assert_eq!(
            rel("//ngo.github.io/campaign/en/x/", from, &s),
            "x/index.html"
        );
        assert_eq!(
            rel("HTTPS://ngo.github.io/campaign", from, &s),
            "../index.html"
        );
    }

    #[test]
    fn other_addresses_stay() {
        let s = campaign();
        let from = "en/index.html";
        for url in [
            "https://www.google.com/",
            "https://ngo.github.io/other/",
            "https://ngo.github.io.evil.org/campaign/",
            "//cdn.example.net/x.css",
            "mailto:help@example.org",
            "tel:+996000000001",
            "data:,",
            "javascript:void(0)",
            "",
        ] {
            assert_eq!(relative(url, from, &s), None, "{url}");
        }
    }

    #[test]
    fn relative_links_are_resolved_first() {
        let s = campaign();
        let from = "en/stories/x/index.html";
        assert_eq!(rel("../y/", from, &s), "../y/index.html");
        assert_eq!(rel("./", from, &s), "index.html");
        assert_eq!(rel("../../../ru/", from, &s), "../../../ru/index.html");
        assert_eq!(rel("img/a.png", from, &s), "img/a.png");
        assert_eq!(relative("img/a.png", from, &s), None);
        // Above the site's root: left alone.
        assert_eq!(relative("../../../../x/", from, &s), None);
    }

    #[test]
    fn escaped_folder_names_are_shared() {
        let s = root();
        let from = "ru/истории/x/index.html";
        assert_eq!(
            rel(
                "/ru/%D0%B8%D1%81%D1%82%D0%BE%D1%80%D0%B8%D0%B8/y/",
                from,
                &s
            ),
            "../y/index.html"
        );
        assert_eq!(rel("/ru/истории/", from, &s), "../index.html");
    }

    #[test]
    fn srcset_lists_keep_their_descriptors() {
        let s = root();
        let from = "en/x/index.html";
        assert_eq!(
            srcset("/img/a.webp 1x, /img/a@2.webp 2x", from, &s).as_deref(),
            Some("../../img/a.webp 1x, ../../img/a@2.webp 2x")
        );
        assert_eq!(
            srcset("/a.png 480w,/b.png 800w", from, &s).as_deref(),
            Some("../../a.png 480w, ../../b.png 800w")
        );
        assert_eq!(
            srcset("/a.png, https://cdn.org/b.png 2x", from, &s).as_deref(),
            Some("../../a.png, https://cdn.org/b.png 2x")
        );
        assert_eq!(srcset("https://cdn.org/b.png 2x", from, &s), None);
    }

    #[test]
    fn css_urls_are_rewritten_quoted_or_not() {
        let s = campaign();
        let css_text = "a{background:url(/campaign/img/a.png)} b{src:URL( \"/campaign/f.woff2\" )} c{x:url('data:,')}";
        assert_eq!(
            css(css_text, "css/site.css", &s).as_deref(),
            Some("a{background:url(../img/a.png)} b{src:URL( \"../f.woff2\" )} c{x:url('data:,')}")
        );
        assert_eq!(css("a{color:red}", "index.html", &s), None);
    }
}
