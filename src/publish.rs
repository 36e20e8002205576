//! Publishing: the last steps of every finished file on its way to the
//! output, and `[output]` in `glimmer.toml`.
//!
//! [`Publish`] is a sink in front of the one that writes. Each file put
//! into it (a page just rendered and minified, in its parallel job; a
//! feed; a static file) goes through, in order:
//!
//! 1. `csp::Policy::protect` (HTML only): the page's Content-Security-Policy,
//!    with the hashes of its final inline styles, in its placeholder;
//! 2. `compress::copies`: its `.gz` and `.br` copies, written beside it;
//! 3. the inventory of the site for the host files.
//!
//! [`Publish::finish`] then writes `_headers` and `.htaccess` (`hosting`).

use crate::assets::Origin;
use crate::compress::{self, Encoding};
use crate::config::Settings;
use crate::csp::Policy;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hosting::{Hosting, Inventory};
use crate::output::Sink;
use crate::render::OutputFile;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// `[output]`: what the output gets besides the site's own files.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutputSettings {
    /// Write `_headers` (Netlify, Cloudflare Pages) and `.htaccess`
    /// (Apache) with security headers and cache lifetimes.
    #[serde(default = "yes")]
    pub headers: bool,
    /// Compressed copies to write beside every text file (HTML, CSS, JS,
    /// JSON, XML, SVG, TXT): `"gzip"` (`.gz`), `"brotli"` (`.br`); `[]`
    /// for none.
    #[serde(default = "default_precompress")]
    pub precompress: Vec<Encoding>,
    /// Brotli quality, 0 to 11: 5 is quick; 11 makes files 10% smaller
    /// but takes about 30 times as long.
    #[serde(default = "default_brotli_quality")]
    pub brotli_quality: BrotliQuality,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            headers: true,
            precompress: default_precompress(),
            brotli_quality: default_brotli_quality(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_precompress() -> Vec<Encoding> {
    vec![Encoding::Gzip, Encoding::Brotli]
}

fn default_brotli_quality() -> BrotliQuality {
    BrotliQuality(5)
}

/// A Brotli quality, checked to be from 0 to 11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct BrotliQuality(pub u32);

impl TryFrom<i64> for BrotliQuality {
    type Error = String;

    fn try_from(n: i64) -> Result<Self, String> {
        match u32::try_from(n) {
            Ok(q) if q <= 11 => Ok(BrotliQuality(q)),
            _ => Err(format!("brotli_quality must be from 0 to 11, not {n}")),
        }
    }
}

/// The sink every finished file goes through: see the module's comment.
pub struct Publish<'a> {
    sink: &'a dyn Sink,
    settings: &'a Settings,
    /// Static files of the site or theme, by output path, with the path
    /// to name in a message.
    shipped: BTreeMap<String, PathBuf>,
    policy: Policy,
    inventory: Mutex<Inventory>,
    /// The previous build's output, when its compressed copies were made
    /// the way this build makes them.
    previous: Option<PathBuf>,
}

/// What the compressed copies of a build depend on besides the files,
/// noted in the output's marker file: a later build with the same note
/// reuses the copies of files that did not change.
pub fn note(settings: &Settings) -> String {
    let output = &settings.publish;
    let encodings: Vec<&str> = output.precompress.iter().map(|e| e.token()).collect();
    format!(
        "copies: {} (brotli quality {})\n",
        encodings.join(" "),
        output.brotli_quality.0
    )
}

impl<'a> Publish<'a> {
    /// Puts files into `sink`. `statics` are the site's static files:
    /// a compressed copy or host file they already have is not made.
    pub fn new(
        sink: &'a dyn Sink,
        settings: &'a Settings,
        statics: &BTreeMap<String, Origin>,
    ) -> Publish<'a> {
        let shipped = statics
            .iter()
            .map(|(path, origin)| {
                let shown = match origin {
                    Origin::Site(p) => p.strip_prefix(&settings.root).unwrap_or(p).to_path_buf(),
                    Origin::Theme(_) => {
                        PathBuf::from(format!("themes/{}/static/{path}", settings.theme))
                    }
                };
                (path.clone(), shown)
            })
            .collect();
        Publish {
            sink,
            settings,
            shipped,
            policy: Policy::new(&settings.allow_origins),
            inventory: Mutex::default(),
            previous: (crate::output::previous_note(&settings.output) == Some(note(settings)))
                .then(|| settings.output.clone()),
        }
    }

    /// Writes `_headers` and `.htaccess`, unless `[output] headers` is
    /// off; a site's own static file of that name is kept, with a warning.
    pub fn finish(self, diags: &mut Diagnostics) {
        let output = &self.settings.publish;
        if !output.headers {
            return;
        }
        let inventory = self
            .inventory
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let hosting = Hosting {
            base_path: &self.settings.base_path,
            encodings: &output.precompress,
            inventory: &inventory,
            policy: &self.policy,
        };
        for file in hosting.files() {
            if let Some(shown) = self.shipped.get(&file.path) {
                diags.push(
                    Diagnostic::warning(format!(
                        "the site has its own {}: glimmer's, with the security headers of every page, is not written",
                        file.path
                    ))
                    .in_file(shown)
                    .hint(
                        "remove it to publish glimmer's instead (see \"Publishing\" in the README), or set `[output] headers = false` to keep yours without this warning",
                    ),
                );
            } else if let Err(d) = self.sink.put(file) {
                diags.push(d);
            }
        }
    }

    fn compressed_copies(&self, file: &OutputFile) -> Vec<OutputFile> {
        let output = &self.settings.publish;
        let mut copies = self.previous_copies(file).unwrap_or_else(|| {
            compress::copies(file, &output.precompress, output.brotli_quality.0)
        });
        copies.retain(|c| !self.shipped.contains_key(&c.path));
        copies
    }

    /// The copies the previous build made of exactly these bytes, when it
    /// made every one of them.
    fn previous_copies(&self, file: &OutputFile) -> Option<Vec<OutputFile>> {
        let previous = self.previous.as_ref()?;
        if !compress::is_compressible(&file.path)
            || !crate::output::same_bytes(&previous.join(&file.path), &file.bytes)
        {
            return None;
        }
        self.settings
            .publish
            .precompress
            .iter()
            .map(|encoding| {
                let path = format!("{}{}", file.path, encoding.suffix());
                let bytes = std::fs::read(previous.join(&path)).ok()?;
                Some(OutputFile { path, bytes })
            })
            .collect()
    }
}

impl Sink for Publish<'_> {
    fn put(&self, mut file: OutputFile) -> Result<(), Diagnostic> {
        let styles = if file.path.ends_with(".html") {
            Some(self.policy.protect(&mut file.bytes))
        } else {
            None
        };
        for copy in self.compressed_copies(&file) {
            self.sink.put(copy)?;
        }
        let mut inventory = self.inventory.lock().unwrap_or_else(|e| e.into_inner());
        inventory.add(&file.path);
        if let Some(styles) = styles {
            inventory.styles.extend(styles);
        }
        drop(inventory);
        self.sink.put(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(toml: &str) -> Result<OutputSettings, String> {
        toml::from_str(toml).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_write_host_files_and_both_copies() {
        let o = output("").unwrap();
        assert_eq!(o, OutputSettings::default());
        assert!(o.headers);
        assert_eq!(o.precompress, [Encoding::Gzip, Encoding::Brotli]);
        assert_eq!(o.brotli_quality, BrotliQuality(5));
    }

    #[test]
    fn settings_are_read_and_checked() {
        let o = output("headers = false\nprecompress = []\nbrotli_quality = 11").unwrap();
        assert!(!o.headers);
        assert!(o.precompress.is_empty());
        assert_eq!(o.brotli_quality, BrotliQuality(11));
        let e = output("brotli_quality = 12").unwrap_err();
        assert!(e.contains("from 0 to 11"), "{e}");
        let e = output("precompress = [\"zstd\"]").unwrap_err();
        assert!(e.contains("gzip") && e.contains("brotli"), "{e}");
        let e = output("headres = true").unwrap_err();
        assert!(e.contains("headers"), "{e}");
    }
}
