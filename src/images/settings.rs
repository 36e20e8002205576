//! `[images]` in `glimmer.toml`: the widths every picture is made in, the
//! quality of each format, and the `sizes` hint for browsers.

use serde::Deserialize;

/// `[images]`, as written and as used (every value has a default).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImageSettings {
    /// Widths in pixels each picture is made in; a picture narrower than
    /// the largest is also kept at its own width, and never enlarged.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// WebP quality, 1 to 100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// JPEG quality of the fallback for browsers without WebP, 1 to 100.
    #[serde(default = "default_fallback_quality")]
    pub fallback_quality: u8,
    /// The `sizes` attribute: how wide a picture is shown, for the browser
    /// to pick a width before it has laid out the page. The default fits
    /// the default theme's column of 40rem.
    #[serde(default = "default_sizes")]
    pub sizes: String,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: default_widths(),
            quality: default_quality(),
            fallback_quality: default_fallback_quality(),
            sizes: default_sizes(),
        }
    }
}

/// The smallest and largest width a picture may be made in.
pub const WIDTH_RANGE: std::ops::RangeInclusive<u32> = 16..=4096;

impl ImageSettings {
    /// What is wrong with the values, as (key, message, hint) for the
    /// config's diagnostics; empty when all is well.
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        if self.widths.is_empty() || self.widths.iter().any(|w| !WIDTH_RANGE.contains(w)) {
            out.push((
                "widths",
                format!(
                    "widths under [images] must list widths from {} to {} pixels",
                    WIDTH_RANGE.start(),
                    WIDTH_RANGE.end()
                ),
                "write e.g. widths = [360, 720, 1080], or remove the line for that default".into(),
            ));
        }
        for (key, q, default) in [
            ("quality", self.quality, default_quality()),
            (
                "fallback_quality",
                self.fallback_quality,
                default_fallback_quality(),
            ),
        ] {
            if !(1..=100).contains(&q) {
                out.push((
                    key,
                    format!("{key} under [images] must be from 1 to 100, not {q}"),
                    format!("set {key} = {default}, or remove the line for that default"),
                ));
            }
        }
        if self.sizes.trim().is_empty() || self.sizes.contains(['"', '<', '>']) {
            out.push((
                "sizes",
                "sizes under [images] must be a `sizes` attribute value".into(),
                format!("write e.g. sizes = \"{}\"", default_sizes()),
            ));
        }
        out
    }

    /// The widths, sorted, without repeats.
    pub fn sorted_widths(&self) -> Vec<u32> {
        let mut w = self.widths.clone();
        w.sort_unstable();
        w.dedup();
        w
    }
}

fn default_widths() -> Vec<u32> {
    vec![360, 720, 1080]
}

fn default_quality() -> u8 {
    70
}

fn default_fallback_quality() -> u8 {
    75
}

fn default_sizes() -> String {
    "(max-width: 42rem) calc(100vw - 2rem), 40rem".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(ImageSettings::default().problems().is_empty());
        let bad = ImageSettings {
            widths: vec![0, 720],
            quality: 0,
            fallback_quality: 101,
            sizes: " ".into(),
        };
        let keys: Vec<&str> = bad.problems().iter().map(|p| p.0).collect();
        assert_eq!(keys, ["widths", "quality", "fallback_quality", "sizes"]);
    }

    #[test]
    fn widths_are_sorted_once() {
        let s = ImageSettings {
            widths: vec![720, 360, 720],
            ..ImageSettings::default()
        };
        assert_eq!(s.sorted_widths(), [360, 720]);
    }
}
