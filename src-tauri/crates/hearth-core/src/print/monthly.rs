//! The monthly community report: one A4 page (more when the table is long) with the key numbers
//! as tiles, the dashboards' charts and a short table, for the manager's boss.
//!
//! The charts are the very SVG the dashboards board shows (`print::chart`): this module reads
//! the few elements plotters writes (`rect`, `line`, `polyline`, `text`) and draws them with the
//! same primitives as every printed page, in grays (the page prints on a black-and-white
//! printer), text in the embedded CJK font. The hit areas the board clicks (`class="hit"`)
//! are left out.

use super::font::{CjkFont, Shaper};
use super::layout::{Fill, Item, Line, Page, TextRun, PAGE_HEIGHT, PAGE_WIDTH};
use super::PrintLang;
use crate::Result;

/// Everything the report shows, already computed, formatted and localised by the caller.
#[derive(Debug, Clone)]
pub struct ReportDoc {
    pub title: String,
    /// The month and community, e.g. `2026 年 11 月`.
    pub subtitle: String,
    pub printed_at: String,
    pub lang: PrintLang,
    /// (label, value, comparison) — e.g. ("新增成员", "189", "上月 153").
    pub tiles: Vec<(String, String, String)>,
    /// Chart SVGs from `print::chart` (720 × 320 units).
    pub charts: Vec<String>,
    /// A header row and then rows.
    pub table: Vec<Vec<String>>,
}

const MARGIN: f32 = 40.0;

pub(crate) fn pages(doc: &ReportDoc, shaper: &Shaper<'_>) -> Vec<Page> {
    let mut pages = vec![Page { items: Vec::new() }];
    let mut y = MARGIN;
    let put = |page: &mut Page, text: &str, x: f32, y: f32, size: f32, bold: bool, gray: u8| {
        page.items.push(Item::Text(TextRun {
            x,
            y,
            size,
            bold,
            gray,
            glyphs: shaper.shape(text),
        }));
    };
    let page = pages.last_mut().expect("one page");
    put(page, &doc.title, MARGIN, y + 20.0, 20.0, true, 0);
    y += 30.0;
    put(page, &doc.subtitle, MARGIN, y + 12.0, 11.0, false, 90);
    y += 26.0;
    // Tiles: four to a row.
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let tile_w = width / 4.0;
    for (i, (label, value, note)) in doc.tiles.iter().enumerate() {
        let (col, row) = (i % 4, i / 4);
        let x = MARGIN + col as f32 * tile_w;
        let top = y + row as f32 * 58.0;
        page.items.push(Item::Fill(Fill {
            x: x + 2.0,
            y: top,
            w: tile_w - 4.0,
            h: 52.0,
            gray: 244,
        }));
        put(page, label, x + 8.0, top + 14.0, 9.0, false, 70);
        put(page, value, x + 8.0, top + 34.0, 17.0, true, 0);
        put(page, note, x + 8.0, top + 46.0, 7.5, false, 110);
    }
    y += doc.tiles.len().div_ceil(4) as f32 * 58.0 + 10.0;
    // Charts, scaled to the text width.
    for svg in &doc.charts {
        let scale = width / 720.0;
        let height = 320.0 * scale;
        if y + height > PAGE_HEIGHT - MARGIN {
            pages.push(Page { items: Vec::new() });
            y = MARGIN;
        }
        let page = pages.last_mut().expect("a page");
        draw_svg(page, svg, shaper, (MARGIN, y), scale);
        y += height + 8.0;
    }
    // The table.
    let columns = doc.table.first().map_or(1, Vec::len).max(1);
    let col_w = width / columns as f32;
    for (r, row) in doc.table.iter().enumerate() {
        if y + 18.0 > PAGE_HEIGHT - MARGIN {
            pages.push(Page { items: Vec::new() });
            y = MARGIN;
        }
        let page = pages.last_mut().expect("a page");
        for (c, cell) in row.iter().enumerate() {
            let glyphs = shaper.fit(cell, 9.0, col_w - 6.0);
            page.items.push(Item::Text(TextRun {
                x: MARGIN + c as f32 * col_w + 3.0,
                y: y + 12.0,
                size: 9.0,
                bold: r == 0,
                gray: 0,
                glyphs,
            }));
        }
        page.items.push(Item::Line(Line {
            x1: MARGIN,
            y1: y + 17.0,
            x2: MARGIN + width,
            y2: y + 17.0,
            width: if r == 0 { 0.8 } else { 0.3 },
            gray: 150,
            dash: None,
        }));
        y += 18.0;
    }
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = match doc.lang {
            PrintLang::Zh => format!("{}　第 {} / {} 页", doc.printed_at, i + 1, count),
            PrintLang::En => format!("{}   page {} of {}", doc.printed_at, i + 1, count),
        };
        put(page, &footer, MARGIN, PAGE_HEIGHT - 20.0, 7.5, false, 120);
    }
    pages
}

/// The value of `name="…"` in one SVG element's text.
fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    let len = element[start..].find('"')?;
    Some(&element[start..start + len])
}

fn number(element: &str, name: &str) -> f32 {
    attr(element, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// `#RRGGBB` as a gray (luma), 0 black to 255 white.
fn gray_of(color: &str) -> Option<u8> {
    let hex = color.strip_prefix('#')?;
    let v = u32::from_str_radix(hex, 16).ok()?;
    let (r, g, b) = ((v >> 16) & 255, (v >> 8) & 255, v & 255);
    Some(((r * 299 + g * 587 + b * 114) / 1000) as u8)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Draws the elements of a plotters SVG at `origin`, `scale` points per SVG unit.
fn draw_svg(page: &mut Page, svg: &str, shaper: &Shaper<'_>, origin: (f32, f32), scale: f32) {
    let at = |x: f32, y: f32| (origin.0 + x * scale, origin.1 + y * scale);
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        let Some(close) = rest.find('>') else { break };
        let element = &rest[..=close];
        let after = &rest[close + 1..];
        if element.starts_with("<rect") && !element.contains("class=\"hit\"") {
            // The background is the paper.
            let fill = attr(element, "fill").and_then(gray_of);
            if let Some(gray) = fill.filter(|g| *g < 250) {
                let (x, y) = at(number(element, "x"), number(element, "y"));
                page.items.push(Item::Fill(Fill {
                    x,
                    y,
                    w: number(element, "width") * scale,
                    h: number(element, "height") * scale,
                    gray: gray.min(200),
                }));
            }
        } else if element.starts_with("<line") {
            let gray = attr(element, "stroke").and_then(gray_of).unwrap_or(0);
            let (x1, y1) = at(number(element, "x1"), number(element, "y1"));
            let (x2, y2) = at(number(element, "x2"), number(element, "y2"));
            page.items.push(Item::Line(Line {
                x1,
                y1,
                x2,
                y2,
                width: 0.5,
                gray: gray.min(210),
                dash: None,
            }));
        } else if element.starts_with("<polyline") {
            let gray = attr(element, "stroke").and_then(gray_of).unwrap_or(0);
            let points: Vec<(f32, f32)> = attr(element, "points")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some(at(x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            for pair in points.windows(2) {
                page.items.push(Item::Line(Line {
                    x1: pair[0].0,
                    y1: pair[0].1,
                    x2: pair[1].0,
                    y2: pair[1].1,
                    width: 0.5,
                    gray: gray.min(210),
                    dash: None,
                }));
            }
        } else if element.starts_with("<text") {
            let end = after.find("</text>").unwrap_or(after.len());
            let text = unescape(after[..end].trim());
            let size = number(element, "font-size") * scale;
            let glyphs = shaper.shape(&text);
            let width = Shaper::width(&glyphs) * size;
            let (x, y) = at(number(element, "x"), number(element, "y"));
            let x = match attr(element, "text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            let baseline = match attr(element, "dy") {
                Some("0.76em") => y + 0.76 * size,
                Some("0.5ex") => y + 0.25 * size,
                Some("-0.5ex") => y - 0.25 * size,
                _ => y,
            };
            let gray = attr(element, "fill").and_then(gray_of).unwrap_or(0);
            page.items.push(Item::Text(TextRun {
                x,
                y: baseline,
                size,
                bold: false,
                gray: gray.min(60),
                glyphs,
            }));
        }
        rest = after;
    }
}

/// The report as a PDF with real, extractable text.
pub fn render_report_pdf(doc: &ReportDoc, font: &CjkFont) -> Result<Vec<u8>> {
    let shaper = font.shaper()?;
    let pages = pages(doc, &shaper);
    super::pdf::render(&doc.title, doc.lang, font, pages.into_iter())
}
