//! What a picture becomes, known from its file's header alone: its size as
//! shown (after the camera's rotation), the widths it is made in and the
//! content-hashed names of each file. Pixels are decoded later, and only
//! for files the previous build does not already hold (`encode.rs`).

use super::settings::ImageSettings;
use image::metadata::Orientation;
use image::{ImageDecoder, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

/// Bumped whenever encoding changes, so new builds get new names.
const ENCODER_VERSION: &str = "glimmer-images-1";

/// Where a picture's bytes are read from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file of the site (absolute path), read again when encoding.
    File(PathBuf),
    /// A file of the built-in theme, in memory.
    Bytes(Arc<Vec<u8>>),
}

impl Source {
    /// The picture's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Source::File(path) => std::fs::read(path).map(Into::into),
            Source::Bytes(bytes) => Ok(bytes.as_slice().into()),
        }
    }
}

/// The format browsers without WebP get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Photographs.
    Jpeg,
    /// Drawings and pictures with transparency.
    Png,
}

impl Fallback {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }
}

/// How a picture is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Treatment {
    /// Resized to each width, as WebP plus a fallback.
    Resized {
        /// The fallback format.
        fallback: Fallback,
        /// Whether the picture has an alpha channel.
        alpha: bool,
    },
    /// Published as it is (SVG, GIF that may move).
    AsIs {
        /// Its output path.
        path: String,
        /// Whether to copy it there (a static file is copied already).
        copy: bool,
    },
}

/// One width of a resized picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Output path of the WebP file.
    pub webp: String,
    /// Output path of the fallback file.
    pub fallback: String,
}

/// A picture and the files it becomes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Where its bytes are.
    pub source: Source,
    /// The file to name in messages, e.g. `content/stories/march.jpg`.
    pub shown: PathBuf,
    /// Size as shown, when known (not for SVG).
    pub size: Option<(u32, u32)>,
    /// How it is published.
    pub treatment: Treatment,
    /// The widths it is made in, smallest first (empty when as is).
    pub variants: Vec<Variant>,
}

/// What is needed to plan a picture.
pub struct Request<'a> {
    /// Its bytes.
    pub bytes: &'a [u8],
    /// Where they are.
    pub source: Source,
    /// The file to name in messages.
    pub shown: PathBuf,
    /// Its file name, for the output name.
    pub name: &'a str,
    /// Its path in the output when it is a static file (published as it
    /// is already), else `None`.
    pub static_path: Option<String>,
}

/// Plans a picture from its header; an error says why it cannot be read.
pub fn plan(request: Request, settings: &ImageSettings) -> Result<Plan, String> {
    let (stem, ext) = split_name(request.name);
    let hash = content_hash(request.bytes, settings);
    let as_is = |ext: &str| match &request.static_path {
        Some(path) => Treatment::AsIs {
            path: path.clone(),
            copy: false,
        },
        None => Treatment::AsIs {
            path: format!("img/{stem}.{hash}.{ext}"),
            copy: true,
        },
    };
    if ext == "svg" {
        return Ok(Plan {
            treatment: as_is("svg"),
            source: request.source,
            shown: request.shown,
            size: None,
            variants: Vec::new(),
        });
    }
    let header = Header::read(request.bytes)?;
    let treatment = match header.format {
        ImageFormat::Gif => as_is("gif"),
        ImageFormat::Jpeg => Treatment::Resized {
            fallback: Fallback::Jpeg,
            alpha: false,
        },
        ImageFormat::Png => Treatment::Resized {
            fallback: Fallback::Png,
            alpha: header.alpha,
        },
        _ => Treatment::Resized {
            fallback: if header.alpha {
                Fallback::Png
            } else {
                Fallback::Jpeg
            },
            alpha: header.alpha,
        },
    };
    let variants = match &treatment {
        Treatment::Resized { fallback, .. } => widths(header.width, &settings.sorted_widths())
            .into_iter()
            .map(|w| Variant {
                width: w,
                height: scaled_height(header.width, header.height, w),
                webp: format!("img/{stem}-{w}.{hash}.webp"),
                fallback: format!("img/{stem}-{w}.{hash}.{}", fallback.extension()),
            })
            .collect(),
        Treatment::AsIs { .. } => Vec::new(),
    };
    Ok(Plan {
        source: request.source,
        shown: request.shown,
        size: Some((header.width, header.height)),
        treatment,
        variants,
    })
}

/// What a picture's header tells.
struct Header {
    format: ImageFormat,
    width: u32,
    height: u32,
    alpha: bool,
}

impl Header {
    fn read(bytes: &[u8]) -> Result<Header, String> {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let Some(format) = reader.format() else {
            return Err("it is not a JPEG, PNG, WebP or GIF picture".into());
        };
        let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
        let (mut width, mut height) = decoder.dimensions();
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        if turns_sideways(orientation) {
            std::mem::swap(&mut width, &mut height);
        }
        if width == 0 || height == 0 {
            return Err("it has no pixels".into());
        }
        Ok(Header {
            format,
            width,
            height,
            alpha: decoder.color_type().has_alpha(),
        })
    }
}

/// True when the camera's orientation swaps width and height.
pub fn turns_sideways(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The widths to make a picture `width` pixels wide in: each configured
/// width it is wider than, and its own width when that is smaller than
/// the largest (pictures are never enlarged).
fn widths(width: u32, configured: &[u32]) -> Vec<u32> {
    let largest = configured.last().copied().unwrap_or(width);
    let mut out: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    out.push(width.min(largest));
    out.dedup();
    out
}

/// The height at `new_width`, keeping the proportions (at least 1).
fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    h.max(1) as u32
}

/// Ten hex digits of SHA-256 over the bytes and the encoding settings:
/// the same picture made the same way always gets the same names.
fn content_hash(bytes: &[u8], settings: &ImageSettings) -> String {
    let mut hasher = Sha256::new();
    hasher.update(ENCODER_VERSION.as_bytes());
    hasher.update([settings.quality, settings.fallback_quality]);
    hasher.update(bytes);
    let digest = hasher.finalize();
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// A file name's stem made safe for a URL (Latin letters, digits and
/// hyphens, Cyrillic transliterated; `image` when nothing is left) and
/// its lower-case extension.
fn split_name(name: &str) -> (String, String) {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut stem = crate::slug::slug(stem);
    if stem.is_empty() {
        stem = "image".into();
    }
    (stem, ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_never_enlarged() {
        let c = [360, 720, 1080];
        assert_eq!(widths(2000, &c), [360, 720, 1080]);
        assert_eq!(widths(1080, &c), [360, 720, 1080]);
        assert_eq!(widths(500, &c), [360, 500]);
        assert_eq!(widths(200, &c), [200]);
        assert_eq!(widths(360, &c), [360]);
    }

    #[test]
    fn heights_keep_the_proportions() {
        assert_eq!(scaled_height(1200, 800, 360), 240);
        assert_eq!(scaled_height(1000, 1, 10), 1);
        assert_eq!(scaled_height(3, 2, 2), 1);
    }

    #[test]
    fn names_are_safe_and_carry_the_extension() {
        assert_eq!(
            split_name("Марш 2025.JPG"),
            ("marsh-2025".into(), "jpg".into())
        );
        assert_eq!(split_name("تصویر.png"), ("image".into(), "png".into()));
    }

    #[test]
    fn the_hash_follows_bytes_and_settings() {
        let s = ImageSettings::default();
        let a = content_hash(b"one", &s);
        assert_eq!(a.len(), 10);
        assert_ne!(a, content_hash(b"two", &s));
        let q = ImageSettings {
            quality: 50,
            ..ImageSettings::default()
        };
        assert_ne!(a, content_hash(b"one", &q));
    }

    #[test]
    fn unreadable_bytes_are_explained() {
        let req = Request {
            bytes: b"not a picture",
            source: Source::Bytes(Arc::new(Vec::new())),
            shown: "x.jpg".into(),
            name: "x.jpg",
            static_path: None,
        };
        let err = plan(req, &ImageSettings::default()).unwrap_err();
        assert!(err.contains("not a JPEG, PNG, WebP or GIF"), "{err}");
    }
}
