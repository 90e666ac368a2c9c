//! Images made for the tests that upload one (a workspace's logo).

use std::io::Cursor;

pub use image::ImageFormat;

/// A `width` × `height` picture of one colour, encoded as `format`.
pub fn picture(format: ImageFormat, width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        width,
        height,
        image::Rgb([0, 0, 145]),
    ));
    let mut bytes = Vec::new();
    picture.write_to(&mut Cursor::new(&mut bytes), format)?;
    Ok(bytes)
}

/// The size in pixels of the image in `bytes`.
pub fn dimensions(bytes: &[u8]) -> anyhow::Result<(u32, u32)> {
    let picture = image::load_from_memory(bytes)?;
    Ok((picture.width(), picture.height()))
}
