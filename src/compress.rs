//! Pre-compressed copies of text files (`index.html.gz`, `index.html.br`)
//! for servers that send a file's compressed copy instead of compressing
//! it on every request: nginx (`gzip_static`, `brotli_static`), Caddy
//! (`precompressed`) and Apache (the `.htaccess` glimmer writes).
//!
//! The copies depend only on the bytes compressed: the gzip header carries
//! no time and no file name, so the same site gives the same bytes.

use crate::render::OutputFile;
use serde::Deserialize;
use std::io::Write;

/// A compressed encoding a copy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// gzip (level 9): every browser and server understands it.
    Gzip,
    /// Brotli: about 8% smaller than gzip at quality 5, up to 18% at 11,
    /// for browsers that ask for it over HTTPS.
    Brotli,
}

impl Encoding {
    /// The suffix added to the name of the original: `.gz` or `.br`.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    /// The name of the encoding in HTTP (`Content-Encoding`).
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }
}

/// Extensions of the files that get compressed copies: text formats.
/// Images, fonts and archives are compressed already.
pub const EXTENSIONS: &[&str] = &[
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "svg",
    "txt",
    "webmanifest",
];

/// True when a file at `path` gets compressed copies.
pub fn is_compressible(path: &str) -> bool {
    extension(path).is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

/// The extension of the last part of `path`, in lower case.
pub fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The compressed copies of `file` in each of `encodings`, leaving out
/// any that would not be smaller than the file itself (a server then
/// sends the original).
pub fn copies(file: &OutputFile, encodings: &[Encoding], brotli_quality: u32) -> Vec<OutputFile> {
    if !is_compressible(&file.path) {
        return Vec::new();
    }
    encodings
        .iter()
        .map(|&encoding| OutputFile {
            path: format!("{}{}", file.path, encoding.suffix()),
            bytes: compress(&file.bytes, encoding, brotli_quality),
        })
        .filter(|copy| copy.bytes.len() < file.bytes.len())
        .collect()
}

/// `bytes` compressed in `encoding`.
pub fn compress(bytes: &[u8], encoding: Encoding, brotli_quality: u32) -> Vec<u8> {
    match encoding {
        Encoding::Gzip => gzip(bytes),
        Encoding::Brotli => brotli(bytes, brotli_quality),
    }
}

/// gzip at level 9, with no time stamp and no file name in the header.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let out = Vec::with_capacity(bytes.len() / 3 + 64);
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(out, flate2::Compression::best());
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

/// Brotli at `quality` (0 to 11), with a 4 MiB window.
fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        writer.write_all(bytes).expect("brotli into memory");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn copies_decompress_to_the_original() {
        let text = "<p>Помощь рядом. کمک نزدیک است.</p>\n".repeat(50);
        let file = page("ru/index.html", &text);
        let copies = copies(&file, &[Encoding::Gzip, Encoding::Brotli], 5);
        let paths: Vec<&str> = copies.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["ru/index.html.gz", "ru/index.html.br"]);
        assert_eq!(gunzip(&copies[0].bytes), file.bytes);
        assert_eq!(unbrotli(&copies[1].bytes), file.bytes);
    }

    #[test]
    fn gzip_header_has_no_time_and_no_name() {
        let bytes = gzip(b"hello hello hello hello");
        // ID1 ID2 CM FLG, MTIME (4 bytes), XFL, OS: no FNAME flag, time 0.
        assert_eq!(&bytes[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&bytes[4..8], &[0, 0, 0, 0]);
        assert_eq!(bytes[9], 255);
        assert_eq!(gzip(b"hello hello hello hello"), bytes);
    }

    #[test]
    fn only_text_files_that_shrink_get_copies() {
        let long = "body { color: #111 }\n".repeat(20);
        assert_eq!(copies(&page("a.css", &long), &[Encoding::Gzip], 5).len(), 1);
        assert!(copies(&page("a.css", "a{}"), &[Encoding::Gzip], 5).is_empty());
        assert!(copies(&page("photo.png", &long), &[Encoding::Gzip], 5).is_empty());
        assert!(copies(&page("a.css", &long), &[], 5).is_empty());
    }

    #[test]
    fn extensions_are_read_from_the_file_name() {
        assert_eq!(extension("en/atom.xml").as_deref(), Some("xml"));
        assert_eq!(extension("IMG/Logo.SVG").as_deref(), Some("svg"));
        assert_eq!(extension("a.b/README"), None);
        assert_eq!(extension(".htaccess"), None);
        assert!(is_compressible("site.webmanifest"));
        assert!(!is_compressible("index.html.gz"));
    }
}
