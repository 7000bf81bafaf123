//! A dashboard chart exported as PNG: the same SVG rendered with the print font, decoded back
//! with the png crate — twice the SVG's size, not blank, the dark theme dark — and a file name
//! that is neither .svg nor .png refused before anything is written.

mod common;

use hearth_core::ops::dashboard::{self, ChartRequest};
use hearth_core::print::chart::ChartTheme;
use hearth_core::print::{CjkFont, PrintLang};
use hearth_core::ErrorCode;

fn font() -> CjkFont {
    CjkFont::locate(None).expect("the CJK print font is installed (fonts-noto-cjk)")
}

/// (width, height, RGBA pixels) of a PNG file.
fn decode(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn request(name: &str, theme: ChartTheme) -> ChartRequest {
    ChartRequest {
        name: name.into(),
        from: Some("2026-10-27".into()),
        to: Some("2026-11-25".into()),
        theme,
        lang: PrintLang::Zh,
        segment: None,
    }
}

#[test]
fn a_chart_exported_as_png_is_the_svg_at_twice_its_size_and_not_blank() {
    let db = common::open_demo();
    let font = font();
    let dir = tempfile::tempdir().unwrap();
    let light = dir.path().join("活跃.png");
    let drawn = dashboard::export_chart(
        &db.ctx,
        &request("active", ChartTheme::Light),
        &font,
        &light,
    )
    .unwrap();
    assert!(drawn.svg.contains("width=\"720\""));
    let (w, h, pixels) = decode(&light);
    assert_eq!((w, h), (1440, 640), "the 720×320 chart at twice its size");
    let px = |x: u32, y: u32| {
        let i = ((y * w + x) * 4) as usize;
        [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
    };
    // The light background is white and opaque; bars, axes and labels draw other colours.
    assert_eq!(px(2, 2), [255, 255, 255, 255]);
    let inked = pixels
        .chunks_exact(4)
        .filter(|p| p[..3] != [255, 255, 255])
        .count();
    let share = inked as f64 / f64::from(w * h);
    assert!(
        share > 0.01 && share < 0.9,
        "bars and text cover part of the chart ({share:.3})"
    );
    // The title row (Chinese, drawn with the print font) has ink.
    let title_ink = (0..w)
        .flat_map(|x| (10..40).map(move |y| (x, y)))
        .filter(|&(x, y)| px(x, y)[..3] != [255, 255, 255])
        .count();
    assert!(title_ink > 200, "the title is drawn ({title_ink} pixels)");

    // Dark: the same size, a dark background.
    let dark = dir.path().join("dark.png");
    dashboard::export_chart(&db.ctx, &request("stages", ChartTheme::Dark), &font, &dark).unwrap();
    let (dw, dh, dark_pixels) = decode(&dark);
    assert_eq!((dw, dh), (1440, 640));
    assert!(
        dark_pixels[..3].iter().all(|&c| c < 40),
        "{:?}",
        &dark_pixels[..4]
    );

    // SVG by its extension; anything else refused, nothing written.
    let svg = dir.path().join("growth.svg");
    dashboard::export_chart(&db.ctx, &request("growth", ChartTheme::Light), &font, &svg).unwrap();
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let gif = dir.path().join("growth.gif");
    let err = dashboard::export_chart(&db.ctx, &request("growth", ChartTheme::Light), &font, &gif)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedFormat);
    assert!(!gif.exists());
}
