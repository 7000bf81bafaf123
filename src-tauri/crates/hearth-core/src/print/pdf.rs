//! The PDF back-end: draws a laid-out page with krilla. The font is embedded once, as a subset of
//! the glyphs used, with a ToUnicode map so the text can be searched and copied.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;

use super::font::CjkFont;
use super::layout::{Item, Page, TextRun, PAGE_HEIGHT, PAGE_WIDTH};
use super::{PrintDoc, PrintLang};
use crate::{Error, ErrorCode, Result};

/// Stroke width of synthetic bold, as a fraction of the font size (the face has one weight).
pub(crate) const BOLD_STROKE: f32 = 0.03;

pub(crate) fn render(
    doc: &PrintDoc,
    font: &CjkFont,
    pages: impl Iterator<Item = Page>,
) -> Result<Vec<u8>> {
    render_pages(&doc.title, doc.options.lang, font, pages)
}

/// Any laid-out pages as one PDF titled `title`.
pub(crate) fn render_pages(
    title: &str,
    lang: PrintLang,
    font: &CjkFont,
    pages: impl Iterator<Item = Page>,
) -> Result<Vec<u8>> {
    let failed = |reason: String| {
        Error::new(
            ErrorCode::ExportFailed,
            format!("the PDF could not be written: {reason}"),
        )
        .with_param("reason", reason)
    };
    let pdf_font = font
        .krilla_font()
        .ok_or_else(|| failed("the font cannot be read".to_owned()))?;
    let mut document = Document::new();
    let language = match lang {
        PrintLang::Zh => "zh-CN",
        PrintLang::En => "en",
    };
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Hearth".to_owned())
            .language(language.to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid size");
    for page in pages {
        let mut pdf_page = document.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        for item in &page.items {
            draw(&mut surface, item, &pdf_font);
        }
        surface.finish();
        pdf_page.finish();
    }
    document.finish().map_err(|e| failed(e.to_string()))
}

fn gray(value: u8) -> krilla::paint::Paint {
    luma::Color::new(value).into()
}

fn draw(surface: &mut Surface<'_>, item: &Item, font: &Font) {
    match item {
        Item::Fill(f) => {
            let mut path = PathBuilder::new();
            let Some(rect) = krilla::geom::Rect::from_xywh(f.x, f.y, f.w, f.h) else {
                return;
            };
            path.push_rect(rect);
            let Some(path) = path.finish() else { return };
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: gray(f.gray),
                ..Fill::default()
            }));
            surface.draw_path(&path);
        }
        Item::Line(l) => {
            let mut path = PathBuilder::new();
            path.move_to(l.x1, l.y1);
            path.line_to(l.x2, l.y2);
            let Some(path) = path.finish() else { return };
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: gray(l.gray),
                width: l.width,
                dash: l.dash.map(|(on, off)| StrokeDash {
                    array: vec![on, off],
                    offset: 0.0,
                }),
                ..Stroke::default()
            }));
            surface.draw_path(&path);
        }
        Item::Text(run) => draw_text(surface, run, font),
    }
}

fn draw_text(surface: &mut Surface<'_>, run: &TextRun, font: &Font) {
    if run.glyphs.is_empty() {
        return;
    }
    let text = run.text();
    let mut glyphs = Vec::with_capacity(run.glyphs.len());
    let mut at = 0;
    for g in &run.glyphs {
        let end = at + g.ch.len_utf8();
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(g.id),
            g.advance,
            0.0,
            0.0,
            0.0,
            at..end,
            None,
        ));
        at = end;
    }
    surface.set_fill(Some(Fill {
        paint: gray(run.gray),
        ..Fill::default()
    }));
    surface.set_stroke(run.bold.then(|| Stroke {
        paint: gray(run.gray),
        width: run.size * BOLD_STROKE,
        ..Stroke::default()
    }));
    surface.draw_glyphs(
        Point::from_xy(run.x, run.y),
        &glyphs,
        font.clone(),
        &text,
        run.size,
        false,
    );
}
