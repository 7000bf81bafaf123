//! A report on A4: a title, a line under it, then sections, each a heading over rows of cells
//! (a table) or over paragraphs that wrap. Pages break between rows and lines; every page has
//! the footer with the printed-at text and the page number. Drawn with the same primitives and
//! PDF back-end as the event papers.

use super::font::{Glyph, Shaper};
use super::layout::{mm, Item, Line, Page, TextRun};
use super::PrintLang;

/// One block of a report, already formatted and localised by the caller.
#[derive(Debug, Clone)]
pub enum ReportBlock {
    /// A table: the widths of its columns in mm (they should add up to at most 180), a header
    /// row, then the rows.
    Table {
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Text that wraps to the page width.
    Paragraph(String),
}

#[derive(Debug, Clone)]
pub struct ReportSection {
    pub heading: String,
    pub blocks: Vec<ReportBlock>,
}

#[derive(Debug, Clone)]
pub struct ReportDoc {
    pub title: String,
    /// Under the title (period, status).
    pub subtitle: String,
    pub printed_at: String,
    pub lang: PrintLang,
    pub sections: Vec<ReportSection>,
}

const LEFT: f32 = 15.0;
const WIDTH: f32 = 180.0;
const BOTTOM: f32 = 280.0;
const FOOTER: f32 = 288.0;
const ROW: f32 = 6.2;
const BODY: f32 = 9.5;

/// Size in points, synthetic bold, gray 0 (black) to 255.
#[derive(Clone, Copy)]
struct Ink {
    size: f32,
    bold: bool,
    gray: u8,
}

const fn ink(size: f32, bold: bool, gray: u8) -> Ink {
    Ink { size, bold, gray }
}

struct Writer<'s, 'f> {
    shaper: &'s Shaper<'f>,
    pages: Vec<Page>,
    items: Vec<Item>,
    y: f32,
}

impl Writer<'_, '_> {
    fn text(&mut self, text: &str, x: f32, y: f32, max: f32, ink: Ink) {
        let glyphs = self.shaper.fit(text, ink.size, mm(max));
        self.run(glyphs, x, y, ink);
    }

    fn run(&mut self, glyphs: Vec<Glyph>, x: f32, y: f32, ink: Ink) {
        if glyphs.is_empty() {
            return;
        }
        self.items.push(Item::Text(TextRun {
            x: mm(x),
            y: mm(y),
            size: ink.size,
            bold: ink.bold,
            gray: ink.gray,
            glyphs,
        }));
    }

    fn rule(&mut self, y: f32, gray: u8, width: f32) {
        self.items.push(Item::Line(Line {
            x1: mm(LEFT),
            y1: mm(y),
            x2: mm(LEFT + WIDTH),
            y2: mm(y),
            width,
            gray,
            dash: None,
        }));
    }

    /// Room for `h` mm more on this page, or a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(Page {
                items: std::mem::take(&mut self.items),
            });
            self.y = 20.0;
        }
    }

    /// Splits `text` into lines that fit `max` mm at `size`.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<Vec<Glyph>> {
        let limit = mm(max) / size;
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let glyphs = self.shaper.shape(para);
            let mut line: Vec<Glyph> = Vec::new();
            let mut used = 0.0;
            for g in glyphs {
                if used + g.advance > limit && !line.is_empty() {
                    // Break at the last space when there is one (Latin), anywhere otherwise.
                    let cut = line.iter().rposition(|c| c.ch == ' ');
                    let rest = match cut {
                        Some(i) if i > 0 => {
                            let rest = line.split_off(i + 1);
                            line.pop();
                            rest
                        }
                        _ => Vec::new(),
                    };
                    lines.push(std::mem::replace(&mut line, rest));
                    used = Shaper::width(&line);
                }
                used += g.advance;
                line.push(g);
            }
            lines.push(line);
        }
        lines
    }
}

/// Lays out the report into pages.
pub(crate) fn pages(doc: &ReportDoc, shaper: &Shaper<'_>) -> Vec<Page> {
    let mut w = Writer {
        shaper,
        pages: Vec::new(),
        items: Vec::new(),
        y: 22.0,
    };
    w.text(&doc.title, LEFT, w.y, WIDTH, ink(17.0, true, 0));
    w.y += 7.0;
    w.text(&doc.subtitle, LEFT, w.y, WIDTH, ink(10.0, false, 70));
    w.y += 3.0;
    w.rule(w.y, 0, 1.0);
    w.y += 5.0;
    for section in &doc.sections {
        w.room(16.0);
        w.y += 4.0;
        w.text(&section.heading, LEFT, w.y, WIDTH, ink(12.5, true, 0));
        w.y += 2.0;
        w.rule(w.y, 150, 0.5);
        w.y += 5.0;
        for block in &section.blocks {
            match block {
                ReportBlock::Paragraph(text) => {
                    for line in w.wrap(text, BODY, WIDTH) {
                        w.room(ROW);
                        let y = w.y;
                        w.run(line, LEFT, y, ink(BODY, false, 0));
                        w.y += 5.0;
                    }
                    w.y += 1.5;
                }
                ReportBlock::Table {
                    widths,
                    header,
                    rows,
                } => {
                    let cells = |w: &mut Writer<'_, '_>, row: &[String], bold: bool| {
                        let mut x = LEFT;
                        let y = w.y;
                        for (cell, width) in row.iter().zip(widths) {
                            w.text(cell, x + 1.0, y, width - 2.0, ink(BODY, bold, 0));
                            x += width;
                        }
                    };
                    w.room(ROW * 2.0);
                    cells(&mut w, header, true);
                    w.y += 2.0;
                    w.rule(w.y, 120, 0.5);
                    w.y += 4.2;
                    for row in rows {
                        w.room(ROW);
                        cells(&mut w, row, false);
                        w.y += ROW;
                    }
                    w.y += 1.5;
                }
            }
        }
    }
    w.pages.push(Page {
        items: std::mem::take(&mut w.items),
    });
    let total = w.pages.len();
    let mut out = Vec::with_capacity(total);
    for (i, mut page) in w.pages.into_iter().enumerate() {
        let number = match doc.lang {
            PrintLang::Zh => format!("第 {} 页 / 共 {} 页", i + 1, total),
            PrintLang::En => format!("Page {} of {}", i + 1, total),
        };
        let mut footer = Writer {
            shaper,
            pages: Vec::new(),
            items: Vec::new(),
            y: FOOTER,
        };
        footer.text(&doc.printed_at, LEFT, FOOTER, 120.0, ink(8.0, false, 100));
        let glyphs = shaper.fit(&number, 8.0, mm(50.0));
        let width = Shaper::width(&glyphs) * 8.0 * 25.4 / 72.0;
        footer.run(glyphs, LEFT + WIDTH - width, FOOTER, ink(8.0, false, 100));
        page.items.append(&mut footer.items);
        out.push(page);
    }
    out
}
