//! The content plan as files: iCalendar (`.ics`, through `io::ics`: UTC times, CRLF, folded
//! lines) for any calendar app, and CSV (UTF-8 with BOM, for Excel) for a spreadsheet. Both go
//! through a `.part` file renamed at the end.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::ContentQuery;
use crate::domain::{ContentItem, ContentStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::io::export::{neutralise, write_atomically, write_failed};
use crate::io::ics::{self, IcsEvent};
use crate::ops::events::parse_stamp;
use crate::ops::Ctx;

/// How long a post's calendar entry is (it is a moment; calendars want a span).
const ENTRY_MINUTES: i64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportContent {
    /// Ends in `.ics` or `.csv`.
    pub path: String,
    #[serde(default)]
    pub query: ContentQuery,
}

/// Writes the items the query lists; returns how many.
pub fn export(ctx: &Ctx, input: &ExportContent) -> Result<u32> {
    let path = Path::new(&input.path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let items = super::list(ctx, &input.query)?;
    match ext.as_str() {
        "ics" => {
            let scheduled: Vec<&ContentItem> = items.iter().filter(|i| i.day.is_some()).collect();
            let text = ics_text(ctx, &scheduled)?;
            write_atomically(path, |part| {
                std::fs::write(part, text).map_err(|e| write_failed(path, e))
            })?;
            Ok(scheduled.len() as u32)
        }
        "csv" => {
            let names = channel_names(ctx)?;
            write_atomically(path, |part| write_csv(part, path, &items, &names))?;
            Ok(items.len() as u32)
        }
        other => Err(Error::new(
            ErrorCode::UnsupportedFormat,
            format!("the plan is written as .ics or .csv, not “.{other}”"),
        )
        .with_param("path", path.display())),
    }
}

fn channel_names(ctx: &Ctx) -> Result<std::collections::HashMap<i64, String>> {
    Ok(super::channels(ctx)?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// One `VEVENT` per scheduled item: `[channels] title` as the summary, the body as the
/// description, the link as the URL, the channels as categories; skipped items are cancelled.
pub fn ics_text(ctx: &Ctx, items: &[&ContentItem]) -> Result<String> {
    let names = channel_names(ctx)?;
    let now = ctx.clock.now();
    let uids: Vec<String> = items
        .iter()
        .map(|i| format!("content-{}-{}@hearth.local", i.id, i.created_at))
        .collect();
    let summaries: Vec<String> = items
        .iter()
        .map(|i| {
            let channels: Vec<&str> = i
                .channel_ids
                .iter()
                .filter_map(|c| names.get(c).map(String::as_str))
                .collect();
            if channels.is_empty() {
                i.title.clone()
            } else {
                format!("[{}] {}", channels.join(" / "), i.title)
            }
        })
        .collect();
    let zone = super::zone();
    let events: Vec<IcsEvent<'_>> = items
        .iter()
        .zip(&uids)
        .zip(&summaries)
        .filter_map(|((i, uid), summary)| {
            let at = i
                .published_at
                .as_deref()
                .or(i.planned_at.as_deref())
                .and_then(parse_stamp)?;
            Some(IcsEvent {
                uid,
                title: summary,
                description: &i.body,
                location: "",
                url: (!i.link.is_empty()).then_some(i.link.as_str()),
                starts_at: at,
                ends_at: at + Duration::minutes(ENTRY_MINUTES),
                time_zone: zone.name(),
                stamp: now,
                status: match i.status {
                    ContentStatus::Skipped => "CANCELLED",
                    ContentStatus::Idea | ContentStatus::Draft => "TENTATIVE",
                    ContentStatus::Planned | ContentStatus::Published => "CONFIRMED",
                },
                categories: i
                    .channel_ids
                    .iter()
                    .filter_map(|c| names.get(c).map(String::as_str))
                    .collect(),
            })
        })
        .collect();
    Ok(ics::write(&events))
}

const HEADERS: &[&str] = &[
    "id",
    "title",
    "status",
    "channels",
    "planned_at",
    "published_at",
    "link",
    "owner",
    "event",
    "campaign_id",
    "tags",
    "body",
    "notes",
];

fn write_csv(
    part: &Path,
    path: &Path,
    items: &[ContentItem],
    names: &std::collections::HashMap<i64, String>,
) -> Result<()> {
    let file = File::create(part).map_err(|e| write_failed(path, e))?;
    let mut out = BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF")
        .map_err(|e| write_failed(path, e))?;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADERS)
        .map_err(|e| write_failed(path, e))?;
    for i in items {
        let channels: Vec<&str> = i
            .channel_ids
            .iter()
            .filter_map(|c| names.get(c).map(String::as_str))
            .collect();
        let row = [
            i.id.to_string(),
            i.title.clone(),
            i.status.as_str().to_owned(),
            channels.join("; "),
            i.planned_local
                .clone()
                .unwrap_or_default()
                .replace('T', " "),
            i.published_local
                .clone()
                .unwrap_or_default()
                .replace('T', " "),
            i.link.clone(),
            i.owner_name.clone().unwrap_or_default(),
            i.event_title.clone().unwrap_or_default(),
            i.campaign_id.map(|c| c.to_string()).unwrap_or_default(),
            i.tags.join("; "),
            i.body.clone(),
            i.notes.clone(),
        ];
        csv.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(|e| write_failed(path, e))?;
    }
    csv.flush().map_err(|e| write_failed(path, e))?;
    Ok(())
}
