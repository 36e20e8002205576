//! Whether a JPEG file carries the place it was taken: an EXIF GPS block
//! with a latitude or longitude. Phones write one into every photo unless
//! told not to; for a shelter's photo it tells where women hide. Pictures
//! glimmer re-encodes lose it; a JPEG in `static/` is published as it is,
//! so the build warns about it.

/// True when `bytes` are a JPEG whose EXIF data holds a GPS latitude or
/// longitude. Anything unreadable counts as no position.
pub fn has_location(bytes: &[u8]) -> bool {
    exif(bytes).is_some_and(|tiff| gps_position(tiff).unwrap_or(false))
}

/// The TIFF data of the JPEG's EXIF segment (`APP1` starting `Exif\0\0`).
fn exif(bytes: &[u8]) -> Option<&[u8]> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        // Start of scan: the picture data; no metadata after it.
        if marker == 0xDA {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(&body[6..]);
        }
        at += 2 + len;
    }
    None
}

/// Reads IFD0 for the GPS pointer (tag 0x8825), then the GPS IFD for a
/// latitude (tag 2) or longitude (tag 4).
fn gps_position(tiff: &[u8]) -> Option<bool> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |i: usize| {
        let b = tiff.get(i..i + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |i: usize| {
        let b = tiff.get(i..i + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        } as usize)
    };
    let tags = |ifd: usize| -> Option<Vec<(u16, usize)>> {
        let count = usize::from(u16_at(ifd)?);
        (0..count)
            .map(|i| {
                let entry = ifd + 2 + 12 * i;
                Some((u16_at(entry)?, u32_at(entry + 8)?))
            })
            .collect()
    };
    let ifd0 = u32_at(4)?;
    let Some(&(_, gps)) = tags(ifd0)?.iter().find(|(tag, _)| *tag == 0x8825) else {
        return Some(false);
    };
    Some(tags(gps)?.iter().any(|(tag, _)| *tag == 2 || *tag == 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_GPS: &[u8] = include_bytes!("../../tests/fixtures/images/content/stories/march.jpg");
    const WITHOUT: &[u8] = include_bytes!("../../content/stories/sixteen-lanterns.jpg");

    #[test]
    fn a_photo_with_a_gps_block_is_found() {
        assert!(has_location(WITH_GPS));
    }

    #[test]
    fn photos_without_one_and_other_bytes_are_not() {
        assert!(!has_location(WITHOUT));
        assert!(!has_location(b"not a picture"));
        assert!(!has_location(&[]));
        // Every truncation of the file is read without panicking.
        for end in (0..2000.min(WITH_GPS.len())).step_by(7) {
            let _ = has_location(&WITH_GPS[..end]);
        }
    }
}
