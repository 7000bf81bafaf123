//! Files about one event: the attendee list (CSV UTF-8 with BOM, or XLSX with every cell text)
//! and the event as an iCalendar file. Both go through a `.part` file that is renamed at the end.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::print::status_word;
use super::registrations::RosterOrder;
use super::{parse_stamp, parse_zone};
use crate::domain::{EventStatus, Registration};
use crate::error::Result;
use crate::io::export::{neutralise, write_atomically, write_failed};
use crate::io::ics::{self, IcsEvent};
use crate::ops::Ctx;
use crate::print::PrintLang;
use crate::store::events;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AttendeeFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportAttendees {
    pub event_id: i64,
    pub path: String,
    pub format: AttendeeFormat,
    /// Chinese headers and status words.
    #[serde(default)]
    pub zh: bool,
    #[serde(default)]
    pub order: RosterOrder,
}

/// Writes every registration (cancelled ones too, with their status); returns how many rows.
pub fn attendees(ctx: &Ctx, input: &ExportAttendees) -> Result<u32> {
    let (event, regs) = ctx.store.read(|r| {
        let event = super::load(r, input.event_id)?;
        let regs = events::registrations(r, input.event_id, None, input.order.store(), None)?;
        Ok((event, regs))
    })?;
    let zone = parse_zone(&event.time_zone).unwrap_or(Tz::UTC);
    let lang = if input.zh {
        PrintLang::Zh
    } else {
        PrintLang::En
    };
    let headers: &[&str] = if input.zh {
        &[
            "序号",
            "姓名",
            "手机",
            "状态",
            "同行人数",
            "备注",
            "报名时间",
            "签到时间",
            "来源",
        ]
    } else {
        &[
            "No.",
            "Name",
            "Phone",
            "Status",
            "Companions",
            "Note",
            "Registered",
            "Checked in",
            "Source",
        ]
    };
    let local = |s: &Option<String>| {
        s.as_deref()
            .and_then(parse_stamp)
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = regs
        .iter()
        .enumerate()
        .map(|(i, r): (usize, &Registration)| {
            vec![
                (i + 1).to_string(),
                r.member_name.clone(),
                r.phone.clone().unwrap_or_default(),
                status_word(r.status, lang).to_owned(),
                r.companions.to_string(),
                r.note.clone(),
                local(&Some(r.registered_at.clone())),
                local(&r.checked_in_at),
                r.source.clone(),
            ]
        })
        .collect();
    let path = Path::new(&input.path);
    write_atomically(path, |part| match input.format {
        AttendeeFormat::Csv => write_csv(part, headers, &rows),
        AttendeeFormat::Xlsx => write_xlsx(part, headers, &rows),
    })?;
    Ok(rows.len() as u32)
}

fn write_csv(path: &Path, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let file = File::create(path).map_err(|e| write_failed(path, e))?;
    let mut out = BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF")
        .map_err(|e| write_failed(path, e))?;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(headers)
        .map_err(|e| write_failed(path, e))?;
    for row in rows {
        csv.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(|e| write_failed(path, e))?;
    }
    csv.flush().map_err(|e| write_failed(path, e))?;
    Ok(())
}

fn write_xlsx(path: &Path, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| write_failed(path, e);
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(fail)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, cell)
                .map_err(fail)?;
        }
    }
    book.save(path).map_err(fail)?;
    Ok(())
}

/// The event as an `.ics` file for any calendar.
pub fn ics_file(ctx: &Ctx, event_id: i64, path: &Path) -> Result<()> {
    let text = ics_text(ctx, event_id)?;
    write_atomically(path, |part| {
        std::fs::write(part, text).map_err(|e| write_failed(path, e))
    })
}

pub fn ics_text(ctx: &Ctx, event_id: i64) -> Result<String> {
    let event = ctx.store.read(|r| super::load(r, event_id))?;
    let uid = format!("event-{}-{}@hearth.local", event.id, event.created_at);
    let description = event.notes.clone();
    let now = ctx.clock.now();
    let at = |s: &str| parse_stamp(s).unwrap_or(now);
    let status = match event.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Draft => "TENTATIVE",
        _ => "CONFIRMED",
    };
    Ok(ics::write(&[IcsEvent {
        uid: &uid,
        title: &event.title,
        description: &description,
        location: &event.venue,
        url: (!event.link.is_empty()).then_some(event.link.as_str()),
        starts_at: at(&event.starts_at),
        ends_at: at(&event.ends_at),
        time_zone: &event.time_zone,
        stamp: now,
        status,
        categories: Vec::new(),
    }]))
}
