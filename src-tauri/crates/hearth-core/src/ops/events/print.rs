//! Printing an event: gathers the people (sorted by pinyin or registration time), formats the
//! times in the event's zone and the status words in the sheet's language, and hands the page
//! layout to [`crate::print`]. The same layout gives the PDF and the in-app SVG preview.

use std::path::Path;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::registrations::RosterOrder;
use super::{parse_stamp, parse_zone};
use crate::domain::{Event, Registration, RegistrationStatus};
use crate::error::Result;
use crate::io::export::{write_atomically, write_failed};
use crate::ops::Ctx;
use crate::print::{self, CjkFont, PrintDoc, PrintKind, PrintLang, PrintOptions, PrintPerson};
use crate::store::events;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintRequest {
    pub event_id: i64,
    pub options: PrintOptions,
    #[serde(default)]
    pub order: RosterOrder,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintPreview {
    pub svg: String,
    pub page: u32,
    pub pages: u32,
    pub people: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Printed {
    pub path: String,
    pub pages: u32,
    pub people: u32,
    pub bytes: u64,
}

/// The document for a request: who is on it and how it reads.
pub fn document(ctx: &Ctx, request: &PrintRequest) -> Result<PrintDoc> {
    let (event, registrations) = ctx.store.read(|r| {
        let event = super::load(r, request.event_id)?;
        let regs = events::registrations(r, request.event_id, None, request.order.store(), None)?;
        Ok((event, regs))
    })?;
    Ok(build(&event, registrations, request, ctx.clock.now()))
}

fn build(
    event: &Event,
    registrations: Vec<Registration>,
    request: &PrintRequest,
    now: DateTime<Utc>,
) -> PrintDoc {
    let zone = parse_zone(&event.time_zone).unwrap_or(Tz::UTC);
    let lang = request.options.lang;
    let wanted = |s: RegistrationStatus| match request.options.kind {
        // The roster is the whole list, status by status; the sheet and badges are for people
        // expected at the door.
        PrintKind::Roster => s != RegistrationStatus::Cancelled,
        PrintKind::SignIn | PrintKind::Badges => matches!(
            s,
            RegistrationStatus::Registered
                | RegistrationStatus::Attended
                | RegistrationStatus::WalkIn
        ),
    };
    let people = registrations
        .into_iter()
        .filter(|r| wanted(r.status))
        .enumerate()
        .map(|(i, r)| PrintPerson {
            seq: i as u32 + 1,
            note: match request.options.kind {
                PrintKind::Badges if !r.role.is_empty() => r.role.clone(),
                _ if !r.note.is_empty() => r.note.clone(),
                _ => r.role.clone(),
            },
            name: r.member_name,
            phone: r.phone,
            status: status_word(r.status, lang).to_owned(),
            checked_in_at: r
                .checked_in_at
                .as_deref()
                .and_then(parse_stamp)
                .map(|t| t.with_timezone(&zone).format("%H:%M").to_string()),
        })
        .collect();
    let place = match (event.venue.is_empty(), event.link.is_empty()) {
        (false, _) => event.venue.clone(),
        (true, false) => event.link.clone(),
        (true, true) => String::new(),
    };
    PrintDoc {
        title: event.title.clone(),
        when: when(event, zone, lang),
        place,
        printed_at: now
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        people,
        options: request.options.clone(),
    }
}

fn when(event: &Event, zone: Tz, lang: PrintLang) -> String {
    let (Some(start), Some(end)) = (parse_stamp(&event.starts_at), parse_stamp(&event.ends_at))
    else {
        return String::new();
    };
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let same_day = s.date_naive() == e.date_naive();
    let weekday = s.weekday().num_days_from_monday() as usize;
    match lang {
        PrintLang::Zh => {
            let wd = ["一", "二", "三", "四", "五", "六", "日"][weekday];
            let end = if same_day {
                e.format("%H:%M").to_string()
            } else {
                e.format("%m月%d日 %H:%M").to_string()
            };
            format!(
                "{} 周{wd} {}–{end}（{}）",
                s.format("%Y年%m月%d日"),
                s.format("%H:%M"),
                event.time_zone
            )
        }
        PrintLang::En => {
            let end = if same_day {
                e.format("%H:%M").to_string()
            } else {
                e.format("%a %-d %b %H:%M").to_string()
            };
            format!(
                "{} {}–{end} ({})",
                s.format("%a %-d %b %Y,"),
                s.format("%H:%M"),
                event.time_zone
            )
        }
    }
}

pub fn status_word(s: RegistrationStatus, lang: PrintLang) -> &'static str {
    use RegistrationStatus as S;
    match (lang, s) {
        (PrintLang::Zh, S::Registered) => "已报名",
        (PrintLang::Zh, S::Waitlist) => "候补",
        (PrintLang::Zh, S::Cancelled) => "已取消",
        (PrintLang::Zh, S::Attended) => "已签到",
        (PrintLang::Zh, S::NoShow) => "未到场",
        (PrintLang::Zh, S::WalkIn) => "现场报名",
        (PrintLang::En, S::Registered) => "Registered",
        (PrintLang::En, S::Waitlist) => "Waitlist",
        (PrintLang::En, S::Cancelled) => "Cancelled",
        (PrintLang::En, S::Attended) => "Checked in",
        (PrintLang::En, S::NoShow) => "No-show",
        (PrintLang::En, S::WalkIn) => "Walk-in",
    }
}

/// One page of the document as SVG, for the print dialog's preview.
pub fn preview(
    ctx: &Ctx,
    request: &PrintRequest,
    font: &CjkFont,
    page: u32,
) -> Result<PrintPreview> {
    let doc = document(ctx, request)?;
    let pages = print::page_count(&doc) as u32;
    let page = page.min(pages.saturating_sub(1));
    Ok(PrintPreview {
        svg: print::render_svg_page(&doc, font, page as usize)?,
        page,
        pages,
        people: doc.people.len() as u32,
    })
}

/// Writes the PDF to `out` (through a `.part` file, so a failure leaves nothing half-written).
pub fn render(ctx: &Ctx, request: &PrintRequest, font: &CjkFont, out: &Path) -> Result<Printed> {
    let doc = document(ctx, request)?;
    let bytes = print::render_pdf(&doc, font)?;
    write_atomically(out, |part| {
        std::fs::write(part, &bytes).map_err(|e| write_failed(out, e))
    })?;
    Ok(Printed {
        path: out.display().to_string(),
        pages: print::page_count(&doc) as u32,
        people: doc.people.len() as u32,
        bytes: bytes.len() as u64,
    })
}

/// A file name for the document: `签到表-读书会-2026-11-28.pdf`.
pub fn suggested_file_name(event: &Event, kind: PrintKind, lang: PrintLang) -> String {
    let what = match (lang, kind) {
        (PrintLang::Zh, PrintKind::Roster) => "名单",
        (PrintLang::Zh, PrintKind::SignIn) => "签到表",
        (PrintLang::Zh, PrintKind::Badges) => "胸牌",
        (PrintLang::En, PrintKind::Roster) => "roster",
        (PrintLang::En, PrintKind::SignIn) => "sign-in-sheet",
        (PrintLang::En, PrintKind::Badges) => "badges",
    };
    let title: String = event
        .title
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(40)
        .collect();
    let day = event.starts_local.get(..10).unwrap_or_default();
    format!("{what}-{}-{day}.pdf", title.trim())
}
