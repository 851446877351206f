//! Contact photos: what an import brings is checked, downscaled when large
//! and stored as a small JPEG of its own (`photos/<id>.jpg`, never inline
//! base64 in a record). Pure: bytes in, bytes out.

use base64::Engine;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The longest side a stored photo has; larger ones are scaled down.
pub const MAX_SIDE: u32 = 512;

/// A JPEG this small (and no larger than [`MAX_SIDE`]) is stored as it came.
const KEEP_AS_IS: usize = 256 * 1024;

/// The most base64 text a photo may have in a file (about 12 MB of image).
pub const MAX_ENCODED: usize = 16 * 1024 * 1024;

/// Limits for decoding untrusted images: a small file must not ask for
/// gigabytes (a "decompression bomb").
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Decode base64 as vCards write it (whitespace from folding ignored).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    if text.len() > MAX_ENCODED {
        return Err(format!(
            "the photo is larger than {} MB",
            MAX_ENCODED / (1024 * 1024)
        ));
    }
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| format!("its base64 data is broken ({e})"))
}

/// Encode bytes as base64 (for exports).
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Turn a photo from a file into the one kith stores: a JPEG of at most
/// [`MAX_SIDE`] pixels a side. A small JPEG is kept byte for byte; anything
/// else is decoded (with limits), scaled down and encoded again. An error
/// says why the photo cannot be used.
pub fn normalize(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let format = image::guess_format(bytes)
        .map_err(|_| "the photo is not an image kith can read (JPEG or PNG)".to_string())?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(format!(
            "the photo is {format:?}; kith reads JPEG and PNG photos"
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    if format == ImageFormat::Jpeg && bytes.len() <= KEEP_AS_IS {
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| format!("the photo cannot be read ({e})"))?;
        if width <= MAX_SIDE && height <= MAX_SIDE {
            return Ok(bytes.to_vec());
        }
        reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.limits(limits());
    }
    let image = reader
        .decode()
        .map_err(|e| format!("the photo cannot be read ({e})"))?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        image
    };
    // JPEG has no transparency: flatten onto white.
    let rgba = image.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = from.0;
        let blend =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        *to = image::Rgb([blend(r), blend(g), blend(b)]);
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(|e| format!("the photo cannot be stored ({e})"))?;
    Ok(out)
}

/// Decode a stored photo to RGBA pixels for an avatar: (width, height, pixels).
pub fn decode_rgba(bytes: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.limits(limits());
    let image = reader.decode().ok()?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        image
    };
    let rgba = image.to_rgba8();
    Some((rgba.width(), rgba.height(), rgba.into_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                128,
                if x < 4 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_large_photo_is_scaled_down_to_a_jpeg() {
        let stored = normalize(&png(2000, 1000)).unwrap();
        assert_eq!(image::guess_format(&stored).unwrap(), ImageFormat::Jpeg);
        let (w, h, _) = decode_rgba(&stored).unwrap();
        assert_eq!((w, h), (512, 256));
    }

    #[test]
    fn a_small_jpeg_is_kept_byte_for_byte() {
        let jpeg = normalize(&png(40, 30)).unwrap();
        assert_eq!(normalize(&jpeg).unwrap(), jpeg);
    }

    #[test]
    fn what_is_not_a_photo_says_so() {
        assert!(normalize(b"GIF89a....").is_err());
        assert!(normalize(b"hello").is_err());
        // A PNG header that promises a huge image is refused, not allocated.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(normalize(&bomb).is_err());
        assert!(decode_base64("QUJD*").is_err());
        assert_eq!(decode_base64("QUJD\r\n RA==").unwrap(), b"ABCD");
        assert_eq!(encode_base64(b"ABCD"), "QUJDRA==");
    }
}
