//! Events end to end: the event itself (this file), registrations and the waitlist
//! ([`registrations`]), the door ([`door`]: check-in, walk-ins, no-shows), a pasted WeChat 接龙
//! ([`jielong`]), registration exports ([`import`]), printed rosters / sign-in sheets / badges
//! ([`print`]), attendee and calendar files ([`export`]) and feedback with NPS ([`feedback`]).
//!
//! Times are stored in UTC and shown in the event's own IANA zone; the manager types local
//! `YYYY-MM-DDTHH:MM` in that zone. Capacity counts seats (companions included); past it people
//! go to the waitlist, never over the limit, and a cancelled seat promotes the waitlist in order.
//! Attendance becomes activity and points (`ops::engagement`, 参加活动); no-shows do not yet
//! become credit strikes: the credit score is a later part of the engagement engine.

pub mod door;
pub mod export;
pub mod feedback;
pub mod import;
pub mod jielong;
mod member_data;
pub mod print;
pub mod registrations;

pub(crate) use member_data::{MEMBER_DATA, SEATS};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::{Event, EventDraft, EventMode, EventStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::events::{self, EventRecord, EventRow};
use crate::store::{Read, Write};
use crate::text;

/// The zone an event is in when the manager did not say.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 2000;
const MAX_CAPACITY: u32 = 100_000;

/// Which events to list: those starting in `[from, to)` (`YYYY-MM-DD`, UTC days; either open).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventRange {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

pub fn create(ctx: &Ctx, draft: EventDraft) -> Result<Event> {
    let record = validate(&draft)?;
    let now = ctx.now_stamp();
    let id = ctx
        .store
        .write(|w| events::insert_event(w, &record, &now))?;
    get(ctx, id)
}

pub fn update(ctx: &Ctx, id: i64, draft: EventDraft) -> Result<Event> {
    let record = validate(&draft)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if !events::update_event(w, id, &record, &now)? {
            return Err(Error::not_found("event", id));
        }
        // A larger capacity frees seats: the waitlist moves up at once.
        registrations::promote_waitlist(w, id, &now)?;
        refresh_full(w, id, &now)
    })?;
    get(ctx, id)
}

/// Deletes an event and everything registered for it; returns it as it was so the UI can show
/// what went. Prefer setting the status to cancelled: that keeps the history.
pub fn delete(ctx: &Ctx, id: i64) -> Result<Event> {
    let event = get(ctx, id)?;
    ctx.store.write(|w| events::delete_event(w, id))?;
    Ok(event)
}

pub fn get(ctx: &Ctx, id: i64) -> Result<Event> {
    ctx.store.read(|r| load(r, id))
}

pub fn list(ctx: &Ctx, range: &EventRange) -> Result<Vec<Event>> {
    let day = |d: &Option<String>, field: &str| -> Result<Option<String>> {
        match d.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(None),
            Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(|d| Some(format!("{d}T00:00:00Z")))
                .map_err(|_| invalid_date(field, d)),
        }
    };
    let from = day(&range.from, "from")?;
    let to = day(&range.to, "to")?;
    ctx.store.read(|r| {
        events::list_events(r, from.as_deref(), to.as_deref())?
            .into_iter()
            .map(|row| to_event(r, row))
            .collect()
    })
}

pub(crate) fn load(r: &Read<'_>, id: i64) -> Result<Event> {
    let row = events::get_event(r, id)?.ok_or_else(|| Error::not_found("event", id))?;
    to_event(r, row)
}

fn to_event(r: &Read<'_>, row: EventRow) -> Result<Event> {
    let counts = events::counts(r, row.id)?;
    let e = row.record;
    let zone = parse_zone(&e.time_zone).unwrap_or(Tz::UTC);
    Ok(Event {
        id: row.id,
        starts_local: local_input(&e.starts_at, zone),
        ends_local: local_input(&e.ends_at, zone),
        title: e.title,
        mode: e.mode,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        time_zone: e.time_zone,
        venue: e.venue,
        link: e.link,
        capacity: e.capacity,
        notes: e.notes,
        campaign: e.campaign,
        status: e.status,
        counts,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// `YYYY-MM-DDTHH:MM` of a stored UTC stamp in `zone`.
pub(crate) fn local_input(stamp_utc: &str, zone: Tz) -> String {
    parse_stamp(stamp_utc)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

pub(crate) fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub(crate) fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

fn invalid_date(field: &str, value: &str) -> Error {
    Error::new(
        ErrorCode::InvalidDate,
        format!("{field} “{value}” is not a date and time (YYYY-MM-DD HH:MM)"),
    )
    .with_field(field)
    .with_param("value", value)
}

fn local_to_utc(field: &str, value: &str, zone: Tz) -> Result<DateTime<Utc>> {
    let v = value.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .ok_or_else(|| invalid_date(field, v))?;
    // A time that does not exist in the zone (a spring-forward gap) is refused, not shifted.
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| invalid_date(field, v))
}

/// Checks a draft and turns it into what the store keeps.
fn validate(d: &EventDraft) -> Result<EventRecord> {
    let title = text::clean(&d.title);
    if title.is_empty() {
        return Err(Error::required("title"));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(Error::too_long("title", MAX_TITLE));
    }
    let zone_name = match d.time_zone.trim() {
        "" => DEFAULT_TIME_ZONE,
        z => z,
    };
    let zone = parse_zone(zone_name).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("“{zone_name}” is not a time zone name like Asia/Shanghai"),
        )
        .with_field("time_zone")
        .with_param("value", zone_name)
    })?;
    let starts = local_to_utc("starts_at", &d.starts_local, zone)?;
    let ends = local_to_utc("ends_at", &d.ends_local, zone)?;
    if ends < starts {
        return Err(
            Error::new(ErrorCode::InvalidDate, "the event ends before it starts")
                .with_field("ends_at")
                .with_param("value", d.ends_local.trim()),
        );
    }
    if let Some(c) = d.capacity {
        if c == 0 || c > MAX_CAPACITY {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("capacity must be between 1 and {MAX_CAPACITY} (or empty for no limit)"),
            )
            .with_field("capacity"));
        }
    }
    let venue = text::clean(&d.venue);
    let link = d.link.trim().to_owned();
    if d.mode == EventMode::Online && link.is_empty() && venue.is_empty() {
        return Err(Error::required("link"));
    }
    for (field, value) in [("notes", &d.notes), ("venue", &venue), ("link", &link)] {
        if value.chars().count() > MAX_TEXT {
            return Err(Error::too_long(field, MAX_TEXT));
        }
    }
    Ok(EventRecord {
        title,
        mode: d.mode,
        starts_at: stamp(starts),
        ends_at: stamp(ends),
        time_zone: zone.name().to_owned(),
        venue,
        link,
        capacity: d.capacity,
        notes: d.notes.trim().to_owned(),
        campaign: text::clean(&d.campaign),
        status: d.status,
    })
}

/// Open events whose seats are all taken show as full, and go back to open when one frees.
pub(crate) fn refresh_full(w: &mut Write<'_>, event_id: i64, now: &str) -> Result<()> {
    let Some(row) = events::get_event(&w.read(), event_id)? else {
        return Ok(());
    };
    let status = row.record.status;
    if !matches!(status, EventStatus::Open | EventStatus::Full) {
        return Ok(());
    }
    let taken = events::counts(&w.read(), event_id)?.seats_taken;
    let full = row.record.capacity.is_some_and(|c| taken >= c);
    let next = if full {
        EventStatus::Full
    } else {
        EventStatus::Open
    };
    if next != status {
        events::set_event_status(w, event_id, next, now)?;
    }
    Ok(())
}
