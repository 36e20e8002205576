//! Pixels: decodes a picture once (turned the way the camera held it),
//! resizes it to each width, largest first (fast_image_resize), and encodes each as lossy WebP
//! (libwebp) and as its JPEG or PNG fallback. Re-encoding also drops the
//! original's metadata: camera, date and GPS position never reach readers.

use super::plan::{Fallback, Plan, Treatment, Variant};
use super::settings::ImageSettings;
use crate::render::OutputFile;
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};
use std::io::Cursor;

/// Makes every file of `plan` that `cached` does not return, decoding the
/// picture only when at least one is missing. `cached(path)` gives the
/// bytes a previous build wrote under that path.
pub fn files(
    plan: &Plan,
    settings: &ImageSettings,
    cached: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<OutputFile>, String> {
    let Treatment::Resized { fallback, alpha } = plan.treatment else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut missing: Vec<&Variant> = Vec::new();
    for v in &plan.variants {
        match (cached(&v.webp), cached(&v.fallback)) {
            (Some(webp), Some(fall)) => {
                out.push(OutputFile {
                    path: v.webp.clone(),
                    bytes: webp,
                });
                out.push(OutputFile {
                    path: v.fallback.clone(),
                    bytes: fall,
                });
            }
            _ => missing.push(v),
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }
    let bytes = plan.source.read().map_err(|e| e.to_string())?;
    let mut pixels = Pixels::of(&decode(&bytes)?, alpha);
    let mut resizer = Resizer::new();
    // Largest first: each width is made from the one before, which is
    // quicker than from the original and looks the same.
    for v in missing.iter().rev() {
        pixels = pixels.resized(&mut resizer, v.width, v.height)?;
        out.push(OutputFile {
            path: v.webp.clone(),
            bytes: pixels.webp(settings.quality),
        });
        out.push(OutputFile {
            path: v.fallback.clone(),
            bytes: pixels.fallback(fallback, settings.fallback_quality)?,
        });
    }
    Ok(out)
}

/// Decodes a picture and turns it upright.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// 8-bit pixels, RGB or RGBA.
struct Pixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

impl Pixels {
    fn of(image: &DynamicImage, alpha: bool) -> Pixels {
        let data = if alpha {
            image.to_rgba8().into_raw()
        } else {
            image.to_rgb8().into_raw()
        };
        Pixels {
            data,
            width: image.width(),
            height: image.height(),
            alpha,
        }
    }

    /// The pixels at `width`×`height` (Catmull-Rom, SIMD where the CPU
    /// has it; transparency premultiplied while resizing).
    fn resized(self, resizer: &mut Resizer, width: u32, height: u32) -> Result<Pixels, String> {
        if (width, height) == (self.width, self.height) {
            return Ok(self);
        }
        let kind = if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        };
        let source = Image::from_vec_u8(self.width, self.height, self.data, kind)
            .map_err(|e| e.to_string())?;
        let mut target = Image::new(width, height, kind);
        let options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
        resizer
            .resize(&source, &mut target, &options)
            .map_err(|e| e.to_string())?;
        Ok(Pixels {
            data: target.into_vec(),
            width,
            height,
            alpha: self.alpha,
        })
    }

    fn webp(&self, quality: u8) -> Vec<u8> {
        let encoder = if self.alpha {
            webp::Encoder::from_rgba(&self.data, self.width, self.height)
        } else {
            webp::Encoder::from_rgb(&self.data, self.width, self.height)
        };
        encoder.encode(f32::from(quality)).to_vec()
    }

    /// Progressive JPEG (drawn coarse first, which helps on slow
    /// networks) with optimised Huffman tables and 4:2:0 chroma.
    fn jpeg(&self, quality: u8) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
        encoder.set_progressive(true);
        encoder.set_optimized_huffman_tables(true);
        encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
        let (w, h) = (
            u16::try_from(self.width).map_err(|e| e.to_string())?,
            u16::try_from(self.height).map_err(|e| e.to_string())?,
        );
        encoder
            .encode(&self.data, w, h, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }

    fn fallback(&self, format: Fallback, quality: u8) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let color = if self.alpha {
            image::ExtendedColorType::Rgba8
        } else {
            image::ExtendedColorType::Rgb8
        };
        let result = match format {
            Fallback::Jpeg => return self.jpeg(quality),
            Fallback::Png => {
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive)
                    .write_image(&self.data, self.width, self.height, color)
            }
        };
        result.map_err(|e| e.to_string())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::{Request, Source, plan};
    use super::*;
    use std::sync::Arc;

    /// A picture with smooth colour changes, `w`×`h`, encoded as `format`.
    pub(crate) fn picture(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, format)
            .unwrap();
        out.into_inner()
    }

    fn planned(bytes: Vec<u8>, name: &str) -> Plan {
        let req = Request {
            bytes: &bytes,
            source: Source::Bytes(Arc::new(bytes.clone())),
            shown: name.into(),
            name,
            static_path: None,
        };
        plan(req, &ImageSettings::default()).unwrap()
    }

    #[test]
    fn a_photo_becomes_webp_and_jpeg_at_each_width() {
        let p = planned(picture(1200, 800, image::ImageFormat::Jpeg), "march.jpg");
        assert_eq!(p.size, Some((1200, 800)));
        let files = files(&p, &ImageSettings::default(), &|_| None).unwrap();
        assert_eq!(files.len(), 6);
        for f in &files {
            let img = image::load_from_memory(&f.bytes).unwrap();
            let v = p
                .variants
                .iter()
                .find(|v| v.webp == f.path || v.fallback == f.path);
            let v = v.expect("every file belongs to a variant");
            assert_eq!(
                (img.width(), img.height()),
                (v.width, v.height),
                "{}",
                f.path
            );
        }
        let webp = files
            .iter()
            .find(|f| f.path.contains("-360.") && f.path.ends_with(".webp"))
            .expect("a WebP file 360 pixels wide");
        assert_eq!(&webp.bytes[..4], b"RIFF");
        assert_eq!(&webp.bytes[8..12], b"WEBP");
    }

    #[test]
    fn cached_files_are_not_made_again() {
        let p = planned(picture(400, 300, image::ImageFormat::Png), "chart.png");
        let all: Vec<String> = p
            .variants
            .iter()
            .flat_map(|v| [v.webp.clone(), v.fallback.clone()])
            .collect();
        assert!(all.iter().any(|x| x.ends_with(".png")), "{all:?}");
        let files = files(&p, &ImageSettings::default(), &|path| {
            Some(path.as_bytes().to_vec())
        })
        .unwrap();
        assert_eq!(files.len(), all.len());
        assert!(files.iter().all(|f| f.bytes == f.path.as_bytes()));
    }
}
