//! Where everything goes, computed once for both back-ends. Units are PDF points (1/72 inch),
//! origin at the top left of an A4 portrait page, y growing downwards; text is positioned by its
//! left end and its baseline, already measured, truncated and stripped of characters the font
//! lacks.
//!
//! Tables (sign-in sheet and roster) have a fixed row height and never wrap text, so the number
//! of rows per page is a constant and the page count is known without the font.

use super::font::{Glyph, Shaper};
use super::{PrintDoc, PrintKind, PrintLang, PrintPerson};

/// Rows on each page of the sign-in sheet (11.4 mm each, tall enough to sign in).
pub const SIGN_IN_ROWS_PER_PAGE: usize = 21;
/// Rows on each page of the roster (7 mm each).
pub const ROSTER_ROWS_PER_PAGE: usize = 34;
/// Badges on each A4 sheet: 2 columns × 4 rows of 90 × 62 mm.
pub const BADGES_PER_PAGE: usize = 8;

pub(crate) const PAGE_WIDTH: f32 = 595.2756;
pub(crate) const PAGE_HEIGHT: f32 = 841.8898;

const MARGIN: f32 = 15.0;
const CONTENT_WIDTH: f32 = 210.0 - 2.0 * MARGIN;
const TITLE_BASELINE: f32 = 21.0;
const INFO_BASELINE: f32 = 27.5;
const TABLE_TOP: f32 = 32.0;
/// The lowest a table may reach, leaving room for the footer.
const TABLE_LIMIT: f32 = 280.0;
const FOOTER_BASELINE: f32 = 288.0;
/// Header band and row heights in mm: sign-in sheet, roster.
const SIGN_IN_ROWS: (f32, f32) = (8.0, 11.4);
const ROSTER_ROWS: (f32, f32) = (7.0, 7.0);

// The documented rows per page fill the table area, and one more would not fit.
const _: () = {
    let tables = [
        (SIGN_IN_ROWS, SIGN_IN_ROWS_PER_PAGE),
        (ROSTER_ROWS, ROSTER_ROWS_PER_PAGE),
    ];
    let mut i = 0;
    while i < tables.len() {
        let ((header, row), rows) = tables[i];
        let bottom = TABLE_TOP + header + rows as f32 * row;
        assert!(bottom <= TABLE_LIMIT && bottom + row > TABLE_LIMIT);
        i += 1;
    }
    assert!(BADGE_TOP + 4.0 * BADGE_HEIGHT <= 297.0 - 10.0);
};
const CELL_PADDING: f32 = 1.6;

const BADGE_WIDTH: f32 = 90.0;
const BADGE_HEIGHT: f32 = 62.0;
const BADGE_LEFT: f32 = (210.0 - 2.0 * BADGE_WIDTH) / 2.0;
const BADGE_TOP: f32 = (297.0 - 4.0 * BADGE_HEIGHT) / 2.0;
const BADGE_PADDING: f32 = 6.0;

/// Millimetres to points.
pub(crate) fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// How the people and the blank rows fall onto pages.
pub(crate) struct Plan {
    pub pages: usize,
    per_page: usize,
    /// People plus blank rows (or blank badges).
    slots: usize,
    /// The number the first blank row prints.
    first_blank_seq: u32,
}

impl Plan {
    pub fn new(doc: &PrintDoc) -> Plan {
        let per_page = match doc.options.kind {
            PrintKind::SignIn => SIGN_IN_ROWS_PER_PAGE,
            PrintKind::Roster => ROSTER_ROWS_PER_PAGE,
            PrintKind::Badges => BADGES_PER_PAGE,
        };
        let people = doc.people.len();
        let pad = if !doc.options.pad_last_page {
            0
        } else if people == 0 {
            per_page
        } else {
            (per_page - people % per_page) % per_page
        };
        let slots = people + pad + doc.options.extra_blank_rows as usize;
        let first_blank_seq = doc.people.iter().map(|p| p.seq).max().unwrap_or(0) + 1;
        Plan {
            pages: slots.div_ceil(per_page).max(1),
            per_page,
            slots,
            first_blank_seq,
        }
    }

    fn slots_on(&self, page: usize) -> std::ops::Range<usize> {
        let start = (page * self.per_page).min(self.slots);
        start..((page + 1) * self.per_page).min(self.slots)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A run of glyphs on one baseline. `gray` is 0 (black) to 255 (white).
pub(crate) struct TextRun {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub gray: u8,
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    pub fn width(&self) -> f32 {
        Shaper::width(&self.glyphs) * self.size
    }

    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }
}

pub(crate) struct Line {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub gray: u8,
    /// Dash and gap lengths.
    pub dash: Option<(f32, f32)>,
}

/// A filled rectangle without outline.
pub(crate) struct Fill {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub gray: u8,
}

pub(crate) enum Item {
    Text(TextRun),
    Line(Line),
    Fill(Fill),
}

pub(crate) struct Page {
    pub items: Vec<Item>,
}

/// Collects a page's items; every coordinate given to it is in mm, sizes in points.
struct Canvas<'s, 'f> {
    shaper: &'s Shaper<'f>,
    items: Vec<Item>,
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    gray: u8,
}

const fn style(size: f32, bold: bool, gray: u8) -> Style {
    Style { size, bold, gray }
}

impl Canvas<'_, '_> {
    /// Text cut with `…` to `max_width` mm; `x` is its left end, centre or right end by `align`.
    /// Returns the width used, in mm.
    fn text(&mut self, text: &str, x: f32, y: f32, max_width: f32, align: Align, st: Style) -> f32 {
        let glyphs = self.shaper.fit(text, st.size, mm(max_width));
        self.place(glyphs, x, y, align, st)
    }

    /// The largest size from `st.size` down to `min_size` at which `text` fits `max_width` mm.
    fn shrunk(&self, text: &str, max_width: f32, min_size: f32, st: Style) -> Style {
        let em = Shaper::width(&self.shaper.shape(text));
        let size = if em * st.size <= mm(max_width) {
            st.size
        } else {
            (mm(max_width) / em).max(min_size)
        };
        Style { size, ..st }
    }

    /// Width in mm of `text` at `size` points, uncut.
    fn width_mm(&self, text: &str, size: f32) -> f32 {
        Shaper::width(&self.shaper.shape(text)) * size * 25.4 / 72.0
    }

    fn place(&mut self, glyphs: Vec<Glyph>, x: f32, y: f32, align: Align, st: Style) -> f32 {
        if glyphs.is_empty() {
            return 0.0;
        }
        let width = Shaper::width(&glyphs) * st.size;
        let left = match align {
            Align::Left => mm(x),
            Align::Center => mm(x) - width / 2.0,
            Align::Right => mm(x) - width,
        };
        self.items.push(Item::Text(TextRun {
            x: left,
            y: mm(y),
            size: st.size,
            bold: st.bold,
            gray: st.gray,
            glyphs,
        }));
        width * 25.4 / 72.0
    }

    fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width: f32, gray: u8) {
        self.items.push(Item::Line(Line {
            x1: mm(x1),
            y1: mm(y1),
            x2: mm(x2),
            y2: mm(y2),
            width,
            gray,
            dash: None,
        }));
    }

    fn dashed(&mut self, from: (f32, f32), to: (f32, f32), width: f32, gray: u8) {
        self.line(from, to, width, gray);
        if let Some(Item::Line(line)) = self.items.last_mut() {
            line.dash = Some((3.0, 2.5));
        }
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: u8) {
        self.items.push(Item::Fill(Fill {
            x: mm(x),
            y: mm(y),
            w: mm(w),
            h: mm(h),
            gray,
        }));
    }
}

/// Page `index` (0-based, below `plan.pages`) of `doc`.
pub(crate) fn page(doc: &PrintDoc, plan: &Plan, shaper: &Shaper<'_>, index: usize) -> Page {
    let mut canvas = Canvas {
        shaper,
        items: Vec::new(),
    };
    match doc.options.kind {
        PrintKind::SignIn | PrintKind::Roster => table_page(&mut canvas, doc, plan, index),
        PrintKind::Badges => badge_page(&mut canvas, doc, plan, index),
    }
    Page {
        items: canvas.items,
    }
}

struct Column {
    header: &'static str,
    width: f32,
    align: Align,
    /// Body text style.
    st: Style,
}

const BLACK: u8 = 0;
const DARK: u8 = 60;
const MUTED: u8 = 100;

fn columns(kind: PrintKind, lang: PrintLang, masked: bool) -> Vec<Column> {
    let zh = lang == PrintLang::Zh;
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let col = |header, width, align, st| Column {
        header,
        width,
        align,
        st,
    };
    use Align::*;
    if kind == PrintKind::SignIn {
        let body = style(10.0, false, BLACK);
        let (name_w, note_w, phone_w, sign_w) = if masked {
            (35.0, 39.0, 24.0, 48.0)
        } else {
            (34.0, 34.0, 34.0, 44.0)
        };
        vec![
            col(t("序号", "No."), 12.0, Center, style(9.0, false, DARK)),
            col(t("姓名", "Name"), name_w, Left, style(11.0, false, BLACK)),
            col(
                t("单位/备注", "Organisation / note"),
                note_w,
                Left,
                style(9.0, false, DARK),
            ),
            col(
                if masked {
                    t("手机尾号", "Phone (last 4)")
                } else {
                    t("手机", "Phone")
                },
                phone_w,
                Center,
                body,
            ),
            col(t("签到时间", "Checked in"), 22.0, Center, body),
            col(t("签名", "Signature"), sign_w, Left, body),
        ]
    } else {
        let body = style(8.5, false, BLACK);
        let (name_w, note_w, phone_w) = if masked {
            (40.0, 58.0, 24.0)
        } else {
            (38.0, 50.0, 34.0)
        };
        vec![
            col(t("序号", "No."), 12.0, Center, style(8.0, false, DARK)),
            col(t("姓名", "Name"), name_w, Left, style(9.5, false, BLACK)),
            col(
                t("单位/备注", "Organisation / note"),
                note_w,
                Left,
                style(8.5, false, DARK),
            ),
            col(t("手机", "Phone"), phone_w, Center, body),
            col(t("状态", "Status"), 26.0, Center, body),
            col(t("签到时间", "Checked in"), 20.0, Center, body),
        ]
    }
}

/// Baseline that centres text of `size` points vertically in a band from `top` to `top + h` mm.
fn centred_baseline(top: f32, h: f32, size: f32) -> f32 {
    // The CJK em box runs from 0.88 em above the baseline to 0.12 em below it.
    top + h / 2.0 + 0.38 * size * 25.4 / 72.0
}

fn table_page(c: &mut Canvas<'_, '_>, doc: &PrintDoc, plan: &Plan, index: usize) {
    let opts = &doc.options;
    let zh = opts.lang == PrintLang::Zh;
    let sign_in = opts.kind == PrintKind::SignIn;
    let (header_h, row_h) = if sign_in { SIGN_IN_ROWS } else { ROSTER_ROWS };
    let cols = columns(opts.kind, opts.lang, opts.mask_phones);
    let right = MARGIN + CONTENT_WIDTH;

    // Title line: event title on the left, what this paper is on the right.
    let label = match (opts.kind, zh) {
        (PrintKind::SignIn, true) => "签到表",
        (PrintKind::SignIn, false) => "Sign-in sheet",
        (_, true) => "报名名单",
        (_, false) => "Roster",
    };
    let label_w = c.text(
        label,
        right,
        TITLE_BASELINE,
        CONTENT_WIDTH / 3.0,
        Align::Right,
        style(12.0, false, MUTED),
    );
    let title_w = CONTENT_WIDTH - label_w - 6.0;
    let title_style = c.shrunk(&doc.title, title_w, 12.0, style(17.0, true, BLACK));
    c.text(
        &doc.title,
        MARGIN,
        TITLE_BASELINE,
        title_w,
        Align::Left,
        title_style,
    );

    // When and where on the left, how many people on the right.
    let count = if zh {
        format!("共 {} 人", doc.people.len())
    } else if doc.people.len() == 1 {
        "1 person".to_owned()
    } else {
        format!("{} people", doc.people.len())
    };
    let info_style = style(9.5, false, DARK);
    let count_w = c.text(
        &count,
        right,
        INFO_BASELINE,
        CONTENT_WIDTH / 3.0,
        Align::Right,
        info_style,
    );
    let mut info = Vec::new();
    if !doc.when.trim().is_empty() {
        let label = if zh { "时间：" } else { "When: " };
        info.push(format!("{label}{}", doc.when.trim()));
    }
    if !doc.place.trim().is_empty() {
        let label = if zh { "地点：" } else { "Where: " };
        info.push(format!("{label}{}", doc.place.trim()));
    }
    // Time and place as two runs with a clear gap; when both do not fit, the time keeps its
    // full width up to 55 % of the room and the place is cut first.
    let room = CONTENT_WIDTH - count_w - 6.0;
    let gap = 6.0;
    let mut x = MARGIN;
    let mut left = room;
    let widths: Vec<f32> = info
        .iter()
        .map(|t| c.width_mm(t, info_style.size))
        .collect();
    let total: f32 = widths.iter().sum::<f32>() + gap * widths.len().saturating_sub(1) as f32;
    for (i, text) in info.iter().enumerate() {
        let last = i + 1 == info.len();
        let max = if last || total <= room {
            left
        } else {
            widths[i].min(room * 0.55)
        };
        let used = c.text(text, x, INFO_BASELINE, max, Align::Left, info_style);
        x += used + gap;
        left -= used + gap;
        if left <= 0.0 {
            break;
        }
    }

    // The table: header band, zebra stripes on the roster, rules, then the cells.
    let slots = plan.slots_on(index);
    let rows = slots.len();
    let body_top = TABLE_TOP + header_h;
    let bottom = body_top + rows as f32 * row_h;
    c.fill(MARGIN, TABLE_TOP, CONTENT_WIDTH, header_h, 230);
    if !sign_in {
        for r in (1..rows).step_by(2) {
            c.fill(
                MARGIN,
                body_top + r as f32 * row_h,
                CONTENT_WIDTH,
                row_h,
                244,
            );
        }
    }
    let (inner_w, inner_gray) = if sign_in { (0.4, 110) } else { (0.3, 160) };
    c.line((MARGIN, TABLE_TOP), (right, TABLE_TOP), 0.9, BLACK);
    c.line((MARGIN, body_top), (right, body_top), 0.9, BLACK);
    for r in 1..rows {
        let y = body_top + r as f32 * row_h;
        c.line((MARGIN, y), (right, y), inner_w, inner_gray);
    }
    if rows > 0 {
        c.line((MARGIN, bottom), (right, bottom), 0.9, BLACK);
    }
    let mut x = MARGIN;
    for (i, col) in cols.iter().enumerate() {
        if i > 0 {
            c.line((x, TABLE_TOP), (x, bottom), inner_w, inner_gray);
        }
        x += col.width;
    }
    c.line((MARGIN, TABLE_TOP), (MARGIN, bottom), 0.9, BLACK);
    c.line((right, TABLE_TOP), (right, bottom), 0.9, BLACK);

    let mut x = MARGIN;
    // Headers share one size: the largest at which every one of them fits its column.
    let header_style = cols.iter().fold(
        style(if sign_in { 9.5 } else { 8.5 }, true, BLACK),
        |st, col| c.shrunk(col.header, col.width - 2.0 * CELL_PADDING, 6.5, st),
    );
    for col in &cols {
        let room = col.width - 2.0 * CELL_PADDING;
        let st = header_style;
        c.text(
            col.header,
            anchor(x, col),
            centred_baseline(TABLE_TOP, header_h, st.size),
            room,
            col.align,
            st,
        );
        x += col.width;
    }

    for (r, slot) in slots.enumerate() {
        let top = body_top + r as f32 * row_h;
        let cells = match doc.people.get(slot) {
            Some(person) => person_cells(person, opts.kind, opts.lang, opts.mask_phones),
            None => {
                let seq = plan.first_blank_seq as usize + (slot - doc.people.len());
                vec![seq.to_string()]
            }
        };
        let mut x = MARGIN;
        for (col, cell) in cols.iter().zip(&cells) {
            if !cell.is_empty() {
                c.text(
                    cell,
                    anchor(x, col),
                    centred_baseline(top, row_h, col.st.size),
                    col.width - 2.0 * CELL_PADDING,
                    col.align,
                    col.st,
                );
            }
            x += col.width;
        }
    }

    // Footer: when it was printed, and the page number.
    let footer = style(7.5, false, MUTED);
    let page_label = if zh {
        format!("第 {} / {} 页", index + 1, plan.pages)
    } else {
        format!("Page {} of {}", index + 1, plan.pages)
    };
    let page_w = c.text(
        &page_label,
        right,
        FOOTER_BASELINE,
        CONTENT_WIDTH / 3.0,
        Align::Right,
        style(8.0, false, DARK),
    );
    if !doc.printed_at.trim().is_empty() {
        let printed = if zh {
            format!("打印于 {}", doc.printed_at.trim())
        } else {
            format!("Printed {}", doc.printed_at.trim())
        };
        c.text(
            &printed,
            MARGIN,
            FOOTER_BASELINE,
            CONTENT_WIDTH - page_w - 6.0,
            Align::Left,
            footer,
        );
    }
}

/// Where a cell's text is anchored: left end, centre or right end, inside the padding.
fn anchor(left: f32, col: &Column) -> f32 {
    match col.align {
        Align::Left => left + CELL_PADDING,
        Align::Center => left + col.width / 2.0,
        Align::Right => left + col.width - CELL_PADDING,
    }
}

fn person_cells(p: &PrintPerson, kind: PrintKind, lang: PrintLang, masked: bool) -> Vec<String> {
    let phone = p
        .phone
        .as_deref()
        .map(|phone| phone_text(phone, kind, lang, masked))
        .unwrap_or_default();
    let checked_in = p.checked_in_at.clone().unwrap_or_default();
    let mut cells = vec![p.seq.to_string(), p.name.clone(), p.note.clone(), phone];
    if kind == PrintKind::SignIn {
        cells.extend([checked_in, String::new()]);
    } else {
        cells.extend([p.status.clone(), checked_in]);
    }
    cells
}

/// A phone number as it prints. Masked: the last four digits, which the sign-in sheet's column
/// header already announces, and the roster labels (`尾号 8000`, `****8000`: the font's bullet
/// is full-width and would spread `• • • •` across the cell). Unmasked: E.164
/// grouped for reading (`+86 138 0013 8000`, `+1 415 555 0100`), anything else as given.
pub(crate) fn phone_text(phone: &str, kind: PrintKind, lang: PrintLang, masked: bool) -> String {
    let phone = phone.trim();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if masked {
        if digits.is_empty() {
            return String::new();
        }
        let last4 = &digits[digits.len().saturating_sub(4)..];
        return match (kind, lang) {
            (PrintKind::SignIn, _) => last4.to_owned(),
            (_, PrintLang::Zh) => format!("尾号 {last4}"),
            (_, PrintLang::En) => format!("****{last4}"),
        };
    }
    let e164 = phone.starts_with('+') && phone.len() == digits.len() + 1;
    if !e164 {
        return phone.to_owned();
    }
    let group = |s: &str, sizes: &[usize]| {
        let mut parts = Vec::new();
        let mut rest = s;
        for &n in sizes {
            let (head, tail) = rest.split_at(n.min(rest.len()));
            parts.push(head);
            rest = tail;
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts.join(" ")
    };
    if let Some(national) = digits.strip_prefix("86") {
        if national.len() == 11 && national.starts_with('1') {
            return format!("+86 {}", group(national, &[3, 4, 4]));
        }
        // Landline: area codes 10 and 2x have two digits, the others three.
        let area = if national.starts_with("10") || national.starts_with('2') {
            2
        } else {
            3
        };
        if national.len() > area + 4 {
            let (code, subscriber) = national.split_at(area);
            let (head, tail) = subscriber.split_at(subscriber.len() - 4);
            return format!("+86 {code} {head} {tail}");
        }
        return format!("+86 {national}");
    }
    if let Some(national) = digits.strip_prefix('1') {
        if national.len() == 10 {
            return format!("+1 {}", group(national, &[3, 3, 4]));
        }
    }
    phone.to_owned()
}

fn badge_page(c: &mut Canvas<'_, '_>, doc: &PrintDoc, plan: &Plan, index: usize) {
    let slots = plan.slots_on(index);
    let used_rows = slots.len().div_ceil(2);
    if used_rows == 0 {
        return;
    }

    // Light dashed cut lines along every badge edge, running 5 mm past the outer badges so a
    // ruler can be laid on them.
    let overhang = 5.0;
    let grid_right = BADGE_LEFT + 2.0 * BADGE_WIDTH;
    let grid_bottom = BADGE_TOP + used_rows as f32 * BADGE_HEIGHT;
    for r in 0..=used_rows {
        let y = BADGE_TOP + r as f32 * BADGE_HEIGHT;
        c.dashed(
            (BADGE_LEFT - overhang, y),
            (grid_right + overhang, y),
            0.5,
            170,
        );
    }
    for k in 0..=2 {
        let x = BADGE_LEFT + k as f32 * BADGE_WIDTH;
        c.dashed(
            (x, BADGE_TOP - overhang),
            (x, grid_bottom + overhang),
            0.5,
            170,
        );
    }

    let inner = BADGE_WIDTH - 2.0 * BADGE_PADDING;
    for (j, slot) in slots.enumerate() {
        let left = BADGE_LEFT + (j % 2) as f32 * BADGE_WIDTH;
        let top = BADGE_TOP + (j / 2) as f32 * BADGE_HEIGHT;
        let centre = left + BADGE_WIDTH / 2.0;

        if let Some(person) = doc.people.get(slot) {
            let subtitle = doc.options.badge_subtitle && !person.note.trim().is_empty();
            let name_centre = top + if subtitle { 25.0 } else { 29.0 };
            badge_name(c, &person.name, centre, name_centre, inner);
            if subtitle {
                c.text(
                    &person.note,
                    centre,
                    top + 39.0,
                    inner,
                    Align::Center,
                    style(11.0, false, DARK),
                );
            }
        }

        // The event on every badge (blank ones too, for walk-ins to write their name above).
        let rule_y = top + BADGE_HEIGHT - 12.0;
        c.line((centre - 22.0, rule_y), (centre + 22.0, rule_y), 0.4, 190);
        c.text(
            &doc.title,
            centre,
            top + BADGE_HEIGHT - BADGE_PADDING,
            inner,
            Align::Center,
            style(7.5, false, MUTED),
        );
    }
}

/// The name on a badge, as large as fits the width (32 pt at most). A long name that would drop
/// below 20 pt on one line goes onto two lines (split at the space that balances them best) when
/// that lets it print larger; 12 pt is the floor, below which it is cut with `…`.
fn badge_name(c: &mut Canvas<'_, '_>, name: &str, centre: f32, middle: f32, width: f32) {
    let bold = |size| style(size, true, BLACK);
    let one = c.shrunk(name, width, 12.0, bold(32.0));
    if one.size < 20.0 {
        let words: Vec<&str> = name.split_whitespace().collect();
        let em = |s: &str| Shaper::width(&c.shaper.shape(s));
        let best = (1..words.len())
            .map(|k| (words[..k].join(" "), words[k..].join(" ")))
            .min_by(|a, b| {
                let wa = em(&a.0).max(em(&a.1));
                let wb = em(&b.0).max(em(&b.1));
                wa.total_cmp(&wb)
            });
        if let Some((first, second)) = best {
            let size = c
                .shrunk(&first, width, 12.0, bold(22.0))
                .size
                .min(c.shrunk(&second, width, 12.0, bold(22.0)).size);
            if size > one.size {
                let half_gap = 1.15 * size * 25.4 / 72.0 / 2.0;
                for (line, y) in [(&first, middle - half_gap), (&second, middle + half_gap)] {
                    let baseline = centred_baseline(y, 0.0, size);
                    c.text(line, centre, baseline, width, Align::Center, bold(size));
                }
                return;
            }
        }
    }
    let baseline = centred_baseline(middle, 0.0, one.size);
    c.text(name, centre, baseline, width, Align::Center, one);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_print_masked_or_grouped() {
        use PrintKind::*;
        use PrintLang::*;
        assert_eq!(phone_text("+8613800138000", SignIn, Zh, true), "8000");
        assert_eq!(phone_text("+8613800138000", Roster, Zh, true), "尾号 8000");
        assert_eq!(phone_text("+8613800138000", Roster, En, true), "****8000");
        assert_eq!(
            phone_text("+8613800138000", SignIn, Zh, false),
            "+86 138 0013 8000"
        );
        assert_eq!(
            phone_text("+14155550100", Roster, En, false),
            "+1 415 555 0100"
        );
        assert_eq!(
            phone_text("+861065529988", Roster, En, false),
            "+86 10 6552 9988"
        );
        assert_eq!(
            phone_text("+865718888123", Roster, En, false),
            "+86 571 888 8123"
        );
        assert_eq!(
            phone_text("+442079460958", Roster, En, false),
            "+442079460958"
        );
        assert_eq!(phone_text("ext. 12", Roster, En, false), "ext. 12");
    }
}
