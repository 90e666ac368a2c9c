//! What becomes of an image given as a workspace's logo: its type read from its bytes
//! (never from a name or a header), PNG, JPEG and WebP only (an SVG can carry script),
//! decoded within limits (a small file can claim a huge picture), turned the way the
//! camera meant, shrunk to what the header needs, and written again as a PNG without
//! the original's metadata. What is stored is always an image the gateway made itself.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest file taken.
pub const MAX_UPLOAD_BYTES: usize = 5 << 20;

/// The largest picture decoded, each way: beyond it a logo is a mistake, or an attack.
const MAX_SIDE: u32 = 8_000;

/// The box the stored logo fits in: the header shows it 40 px high, up to three times
/// as many pixels for sharp screens, and a wordmark may be three times as wide.
pub const STORED_BOX: (u32, u32) = (480, 160);

/// A logo ready to store: a PNG and its size in pixels.
#[derive(Debug)]
pub struct Logo {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why an image is refused, in the words the person who gave it reads.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("choisissez une image")]
    Empty,
    #[error("l'image dépasse 5 Mo")]
    TooLarge,
    #[error("le logo doit être une image PNG, JPEG ou WebP (les SVG ne sont pas acceptés)")]
    NotAnImage,
    #[error("l'image est illisible ou incomplète")]
    Damaged,
    #[error("l'image est trop grande : au plus 8 000 × 8 000 pixels")]
    TooManyPixels,
}

/// The logo to store made from `bytes`, or why not. Decoding takes CPU: callers run it
/// off the async threads.
pub fn prepare(bytes: &[u8]) -> Result<Logo, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Refused::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Refused::NotAnImage)?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP) => {}
        _ => return Err(Refused::NotAnImage),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 << 20);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let orientation = decoder.orientation().map_err(refusal)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    picture.apply_orientation(orientation);
    let (box_width, box_height) = STORED_BOX;
    if picture.width() > box_width || picture.height() > box_height {
        picture = picture.resize(box_width, box_height, FilterType::Lanczos3);
    }
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| Refused::Damaged)?;
    Ok(Logo {
        png,
        width: picture.width(),
        height: picture.height(),
    })
}

fn refusal(error: image::ImageError) -> Refused {
    match error {
        image::ImageError::Limits(_) => Refused::TooManyPixels,
        image::ImageError::Unsupported(_) => Refused::NotAnImage,
        _ => Refused::Damaged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let picture = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([200, 30, 60]),
        ));
        let mut bytes = Vec::new();
        let written = picture.write_to(&mut Cursor::new(&mut bytes), format);
        assert!(written.is_ok(), "{written:?}");
        bytes
    }

    #[test]
    fn png_jpeg_and_webp_become_a_png_that_fits_the_header() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            let logo = prepare(&encoded(1200, 300, format));
            let Ok(logo) = logo else {
                panic!("{format:?} refused: {logo:?}");
            };
            assert_eq!((logo.width, logo.height), (480, 120), "{format:?}");
            assert_eq!(image::guess_format(&logo.png).ok(), Some(ImageFormat::Png));
        }
    }

    #[test]
    fn a_small_logo_keeps_its_size() {
        let logo = prepare(&encoded(64, 32, ImageFormat::Png)).map(|l| (l.width, l.height));
        assert_eq!(logo, Ok((64, 32)));
    }

    #[test]
    fn what_is_not_a_bitmap_image_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        let gif = b"GIF89a\x0a\x00\x0a\x00\x00\x00\x00;";
        for bytes in [&svg[..], b"%PDF-1.7 not a logo", gif, b"\x00\x01\x02"] {
            assert_eq!(prepare(bytes).err(), Some(Refused::NotAnImage));
        }
        assert_eq!(prepare(b"").err(), Some(Refused::Empty));
    }

    #[test]
    fn a_cut_short_image_is_damaged() {
        let png = encoded(300, 300, ImageFormat::Png);
        assert_eq!(prepare(&png[..png.len() / 2]).err(), Some(Refused::Damaged));
    }

    #[test]
    fn a_picture_too_large_is_refused_before_it_is_decoded() {
        // A valid PNG header that claims 20,000 × 20,000 pixels: 1.6 GB once decoded.
        let mut png = encoded(1, 1, ImageFormat::Png);
        png[16..20].copy_from_slice(&20_000_u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000_u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(prepare(&png).err(), Some(Refused::TooManyPixels));
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let mut png = encoded(1, 1, ImageFormat::Png);
        png.resize(MAX_UPLOAD_BYTES + 1, 0);
        assert_eq!(prepare(&png).err(), Some(Refused::TooLarge));
    }

    /// PNG's chunk checksum, so that the forged header reads as a true one.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0_u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
