//! Printed paper for events: the sign-in sheet (签到表) people sign at the door, the denser roster
//! the manager keeps, and name badges; as a PDF to print, or one page at a time as SVG for the
//! in-app preview.
//!
//! The layout is computed once ([`layout`]) into pages of plain primitives (text runs already
//! measured, truncated and placed; lines; filled rectangles) and two small back-ends draw those
//! same primitives: [`pdf`] with krilla, [`svg`] as a string. The preview therefore *is* the
//! printed layout, coordinate for coordinate (PDF points, origin top left, A4 portrait).
//!
//! Text is measured with the real font's advance widths ([`CjkFont`]), which is why the SVG
//! preview takes the font too. Every character is checked against the font's cmap first: anything
//! it cannot draw (emoji, rare ideographs, control characters) becomes `□`, so a strange name can
//! never abort a print run, and the preview shows exactly that `□` as well. Glyphs are placed one
//! per character from the cmap and the advance widths, without a shaping engine: Chinese, Latin and
//! other simple scripts print correctly; scripts that need shaping (Arabic joining, Indic
//! reordering) would print as isolated letters.
//!
//! Deliberately absent: reading the database (the caller passes [`PrintDoc`] with everything
//! already sorted, formatted and localised), talking to printers, paper sizes other than A4,
//! images and logos, and any font other than the one CJK face (Latin comes from that face too).

pub mod chart;
mod font;
mod layout;
pub mod monthly;
mod pdf;
pub mod raster;
mod report;
mod svg;

use serde::{Deserialize, Serialize};

pub use font::CjkFont;
pub use layout::{BADGES_PER_PAGE, ROSTER_ROWS_PER_PAGE, SIGN_IN_ROWS_PER_PAGE};
pub use report::{ReportBlock, ReportDoc, ReportSection};

use crate::{Error, ErrorCode, Result};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PrintKind {
    /// Everyone with status and check-in time, about 7 mm a row.
    Roster,
    /// The sheet people sign at the door (签到表): rows tall enough to sign in.
    SignIn,
    /// Name badges, 2 × 4 on an A4 sheet, with cut lines.
    Badges,
}

/// Language of the fixed texts (column headers, page numbers, the printed-at line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PrintLang {
    Zh,
    En,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintOptions {
    pub kind: PrintKind,
    pub lang: PrintLang,
    /// Phone numbers shown as last four digits only (sign-in sheet: `8000` under `手机尾号`;
    /// roster: `尾号 8000`/`****8000`); default true.
    pub mask_phones: bool,
    /// Sign-in sheet / roster: fill the rest of the last page with numbered blank rows for
    /// walk-ins (numbers continue after the highest `seq`). Badges: fill the empty places of the
    /// last sheet with blank badges (event title only) to write a name on.
    pub pad_last_page: bool,
    /// Extra blank rows (badges: blank badges) beyond that padding (0 by default); they may start
    /// a new page, which is then not padded again.
    pub extra_blank_rows: u32,
    /// Badges: print the small second line (role or organisation).
    pub badge_subtitle: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            kind: PrintKind::SignIn,
            lang: PrintLang::Zh,
            mask_phones: true,
            pad_last_page: true,
            extra_blank_rows: 0,
            badge_subtitle: true,
        }
    }
}

/// One person on the paper, in the order the caller wants them printed.
#[derive(Debug, Clone, Default)]
pub struct PrintPerson {
    /// 序号 as it should print.
    pub seq: u32,
    pub name: String,
    /// 单位/备注 on the roster and sign-in sheet; the badge subtitle (role or organisation).
    pub note: String,
    /// E.164 like `+8613800138000`; masking and grouping are done by the printer.
    pub phone: Option<String>,
    /// Already-localised status label for the roster (`已签到`, `Waitlist`).
    pub status: String,
    /// Already formatted time (`14:05`), or `None` when not checked in.
    pub checked_in_at: Option<String>,
}

/// Everything one print job needs, already formatted by the caller.
#[derive(Debug, Clone)]
pub struct PrintDoc {
    /// Event title.
    pub title: String,
    /// Already formatted date/time range with zone.
    pub when: String,
    /// Venue or link.
    pub place: String,
    /// Already formatted; shown small in the footer.
    pub printed_at: String,
    /// Already sorted by the caller.
    pub people: Vec<PrintPerson>,
    pub options: PrintOptions,
}

/// Number of pages the document will have (at least 1). Does not need the font: rows have a fixed
/// height and long text is truncated, never wrapped.
pub fn page_count(doc: &PrintDoc) -> usize {
    layout::Plan::new(doc).pages
}

/// The PDF: real, extractable text in `font`, embedded as a subset.
pub fn render_pdf(doc: &PrintDoc, font: &CjkFont) -> Result<Vec<u8>> {
    let plan = layout::Plan::new(doc);
    let shaper = font.shaper()?;
    let pages = (0..plan.pages).map(|page| layout::page(doc, &plan, &shaper, page));
    pdf::render(&doc.title, doc.options.lang, font, pages)
}

/// A report (campaign report) as a PDF with the same font and back-end as the event papers.
pub fn render_report_pdf(doc: &ReportDoc, font: &CjkFont) -> Result<Vec<u8>> {
    let shaper = font.shaper()?;
    let pages = report::pages(doc, &shaper);
    pdf::render(&doc.title, doc.lang, font, pages.into_iter())
}

/// One page (0-based) as a standalone SVG for the preview: the same layout and coordinates as
/// the PDF (user units are PDF points; `width`/`height` are in mm), text drawn with the font
/// family `"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif` and
/// stretched to the width measured with `font` (`textLength`), so a different webview font cannot
/// push text out of its cell. A page out of range is an `InvalidInput` error.
///
/// Takes the font (unlike the first sketch of this API) because widths, truncation and the `□`
/// replacements all come from the font: without it the preview could not be the printed layout.
pub fn render_svg_page(doc: &PrintDoc, font: &CjkFont, page: usize) -> Result<String> {
    let plan = layout::Plan::new(doc);
    if page >= plan.pages {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "page {} does not exist: the document has {} pages",
                page + 1,
                plan.pages
            ),
        )
        .with_field("page")
        .with_param("value", page)
        .with_param("pages", plan.pages));
    }
    let shaper = font.shaper()?;
    Ok(svg::render(&layout::page(doc, &plan, &shaper, page)))
}
