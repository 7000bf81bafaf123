//! A chart's SVG as a PNG: the same SVG the UI and the PDF show, rendered by resvg with the
//! print font loaded into its font database (the one face the labels were measured with), so
//! Chinese labels come out in the same glyphs and widths.

use resvg::{tiny_skia, usvg};

use super::CjkFont;
use crate::error::{Error, ErrorCode, Result};

/// Renders `svg` at `scale` (2.0: twice the SVG's size, for sharp slides) to PNG bytes.
pub fn png(svg: &str, font: &CjkFont, scale: f32) -> Result<Vec<u8>> {
    let failed = |why: String| {
        Error::new(
            ErrorCode::Io,
            format!("the chart could not be drawn as PNG: {why}"),
        )
    };
    let mut options = usvg::Options {
        font_family: font.family().to_owned(),
        ..usvg::Options::default()
    };
    options.fontdb_mut().load_font_data(font.data().to_vec());
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| failed(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| failed("empty size".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| failed("empty size".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| failed(e.to_string()))
}
