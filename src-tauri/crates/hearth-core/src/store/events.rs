//! Events, registrations and feedback: rows in, rows out. The rules (capacity, waitlist order,
//! what a check-in may replace) live in `ops::events`; this module only reads and writes.

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{
    EventMode, EventStatus, Feedback, Registration, RegistrationCounts, RegistrationStatus,
};
use crate::error::Result;

/// An event as stored (times already in UTC).
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub title: String,
    pub mode: EventMode,
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    pub venue: String,
    pub link: String,
    pub capacity: Option<u32>,
    pub notes: String,
    pub campaign: String,
    pub status: EventStatus,
}

/// An event row plus its stamps, before the ops layer adds local times and counts.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub record: EventRecord,
    pub created_at: String,
    pub updated_at: String,
}

const EVENT_COLUMNS: &str = "id, title, mode, starts_at, ends_at, time_zone, venue, link, \
                             capacity, notes, campaign, status, created_at, updated_at";

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<EventRow> {
    let mode: String = row.get(2)?;
    let status: String = row.get(11)?;
    Ok(EventRow {
        id: row.get(0)?,
        record: EventRecord {
            title: row.get(1)?,
            mode: EventMode::parse(&mode).unwrap_or(EventMode::Offline),
            starts_at: row.get(3)?,
            ends_at: row.get(4)?,
            time_zone: row.get(5)?,
            venue: row.get(6)?,
            link: row.get(7)?,
            capacity: row.get(8)?,
            notes: row.get(9)?,
            campaign: row.get(10)?,
            status: EventStatus::parse(&status).unwrap_or(EventStatus::Draft),
        },
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

pub fn insert_event(w: &mut Write<'_>, e: &EventRecord, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO events (title, mode, starts_at, ends_at, time_zone, venue, link, capacity,
                             notes, campaign, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        e.title,
        e.mode.as_str(),
        e.starts_at,
        e.ends_at,
        e.time_zone,
        e.venue,
        e.link,
        e.capacity,
        e.notes,
        e.campaign,
        e.status.as_str(),
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_event(w: &mut Write<'_>, id: i64, e: &EventRecord, now: &str) -> Result<bool> {
    let n =
        w.tx.prepare_cached(
            "UPDATE events SET title = ?2, mode = ?3, starts_at = ?4, ends_at = ?5, time_zone = ?6,
                    venue = ?7, link = ?8, capacity = ?9, notes = ?10, campaign = ?11,
                    status = ?12, updated_at = ?13
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            e.title,
            e.mode.as_str(),
            e.starts_at,
            e.ends_at,
            e.time_zone,
            e.venue,
            e.link,
            e.capacity,
            e.notes,
            e.campaign,
            e.status.as_str(),
            now
        ])?;
    Ok(n > 0)
}

pub fn set_event_status(w: &mut Write<'_>, id: i64, status: EventStatus, now: &str) -> Result<()> {
    w.tx.prepare_cached("UPDATE events SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status.as_str(), now])?;
    Ok(())
}

pub fn delete_event(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM events WHERE id = ?1")?
        .execute([id])?
        > 0)
}

pub fn get_event(r: &Read<'_>, id: i64) -> Result<Option<EventRow>> {
    Ok(r.conn
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?
        .query_row([id], event_from_row)
        .optional()?)
}

/// Events starting in `[from, to)` (UTC stamps; either end open), earliest first.
pub fn list_events(r: &Read<'_>, from: Option<&str>, to: Option<&str>) -> Result<Vec<EventRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events
          WHERE (?1 IS NULL OR starts_at >= ?1) AND (?2 IS NULL OR starts_at < ?2)
          ORDER BY starts_at, id"
    ))?;
    let rows = stmt.query_map(params![from, to], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn counts(r: &Read<'_>, event_id: i64) -> Result<RegistrationCounts> {
    let mut c = RegistrationCounts::default();
    let mut stmt = r.conn.prepare_cached(
        "SELECT r.status, count(*), sum(1 + r.companions) FROM registrations r
           JOIN members m ON m.id = r.member_id
          WHERE r.event_id = ?1 AND m.deleted_at IS NULL GROUP BY r.status",
    )?;
    let mut rows = stmt.query([event_id])?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let n: u32 = row.get(1)?;
        let seats: u32 = row.get(2)?;
        match RegistrationStatus::parse(&status) {
            Some(RegistrationStatus::Registered) => c.registered = n,
            Some(RegistrationStatus::Waitlist) => c.waitlist = n,
            Some(RegistrationStatus::Cancelled) => c.cancelled = n,
            Some(RegistrationStatus::Attended) => c.attended = n,
            Some(RegistrationStatus::NoShow) => c.no_show = n,
            Some(RegistrationStatus::WalkIn) => c.walk_in = n,
            None => {}
        }
        if RegistrationStatus::parse(&status).is_some_and(|s| s.holds_seat()) {
            c.seats_taken += seats;
        }
    }
    Ok(c)
}

/// A registration row without the member's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub member_id: i64,
    pub status: RegistrationStatus,
    pub companions: u32,
    pub checked_in_at: Option<String>,
    pub status_before_checkin: Option<RegistrationStatus>,
}

fn registration_row(row: &Row<'_>) -> rusqlite::Result<RegistrationRow> {
    let status: String = row.get(3)?;
    let before: Option<String> = row.get(6)?;
    Ok(RegistrationRow {
        id: row.get(0)?,
        event_id: row.get(1)?,
        member_id: row.get(2)?,
        status: RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Registered),
        companions: row.get(4)?,
        checked_in_at: row.get(5)?,
        status_before_checkin: before.as_deref().and_then(RegistrationStatus::parse),
    })
}

const REGISTRATION_ROW: &str =
    "id, event_id, member_id, status, companions, checked_in_at, status_before_checkin";

pub fn registration_of(
    r: &Read<'_>,
    event_id: i64,
    member_id: i64,
) -> Result<Option<RegistrationRow>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {REGISTRATION_ROW} FROM registrations WHERE event_id = ?1 AND member_id = ?2"
        ))?
        .query_row([event_id, member_id], registration_row)
        .optional()?)
}

pub fn registration_row_by_id(r: &Read<'_>, id: i64) -> Result<Option<RegistrationRow>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {REGISTRATION_ROW} FROM registrations WHERE id = ?1"
        ))?
        .query_row([id], registration_row)
        .optional()?)
}

/// The waitlist in the order it is promoted: first come, first served.
pub fn waitlist(r: &Read<'_>, event_id: i64) -> Result<Vec<RegistrationRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {REGISTRATION_ROW} FROM registrations
          WHERE event_id = ?1 AND status = 'waitlist'
            AND member_id IN (SELECT id FROM members WHERE deleted_at IS NULL)
          ORDER BY registered_at, id"
    ))?;
    let rows = stmt.query_map([event_id], registration_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Registrations in one status, oldest first.
pub fn ids_in_status(r: &Read<'_>, event_id: i64, status: RegistrationStatus) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id FROM registrations WHERE event_id = ?1 AND status = ?2
            AND member_id IN (SELECT id FROM members WHERE deleted_at IS NULL)
          ORDER BY registered_at, id",
    )?;
    let rows = stmt.query_map(params![event_id, status.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub struct NewRegistration<'a> {
    pub event_id: i64,
    pub member_id: i64,
    pub status: RegistrationStatus,
    pub companions: u32,
    pub note: &'a str,
    pub source: &'a str,
    pub checked_in_at: Option<&'a str>,
}

pub fn insert_registration(w: &mut Write<'_>, n: &NewRegistration<'_>, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO registrations (event_id, member_id, status, companions, note, source,
                                    registered_at, checked_in_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7)",
    )?
    .execute(params![
        n.event_id,
        n.member_id,
        n.status.as_str(),
        n.companions,
        n.note,
        n.source,
        now,
        n.checked_in_at
    ])?;
    Ok(w.tx.last_insert_rowid())
}

/// Sets the status; `checked_in` gives the check-in stamp and the status it replaced (both
/// cleared when `None`).
pub fn set_registration_status(
    w: &mut Write<'_>,
    id: i64,
    status: RegistrationStatus,
    checked_in: Option<(&str, RegistrationStatus)>,
    now: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE registrations SET status = ?2, checked_in_at = ?3, status_before_checkin = ?4,
                updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        status.as_str(),
        checked_in.map(|c| c.0),
        checked_in.map(|c| c.1.as_str()),
        now
    ])?;
    Ok(())
}

pub fn delete_registration(w: &mut Write<'_>, id: i64) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM registrations WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

const REGISTRATION_VIEW: &str = "SELECT r.id, r.event_id, r.member_id, m.display_name, m.pinyin,
        (SELECT value FROM identities i WHERE i.member_id = m.id AND i.kind = 'phone'
          ORDER BY i.position, i.id LIMIT 1),
        m.role, r.status, r.companions, r.note, r.source, r.registered_at, r.checked_in_at
   FROM registrations r JOIN members m ON m.id = r.member_id";

fn registration_view(row: &Row<'_>) -> rusqlite::Result<Registration> {
    let status: String = row.get(7)?;
    Ok(Registration {
        id: row.get(0)?,
        event_id: row.get(1)?,
        member_id: row.get(2)?,
        member_name: row.get(3)?,
        pinyin: row.get(4)?,
        phone: row.get(5)?,
        role: row.get(6)?,
        status: RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Registered),
        companions: row.get(8)?,
        note: row.get(9)?,
        source: row.get(10)?,
        registered_at: row.get(11)?,
        checked_in_at: row.get(12)?,
        waitlist_position: None,
    })
}

/// Sort of a registration list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationOrder {
    /// Pinyin / name order (`sort_key`).
    Name,
    /// First registered first.
    Registered,
}

/// One event's registrations, optionally only those whose member matches `needle` (the members
/// search haystack: name, pinyin, initials, phone digits, ...). Members in the trash are left out.
pub fn registrations(
    r: &Read<'_>,
    event_id: i64,
    needle: Option<&str>,
    order: RegistrationOrder,
    limit: Option<u32>,
) -> Result<Vec<Registration>> {
    let order_by = match order {
        RegistrationOrder::Name => "m.sort_key, m.id",
        RegistrationOrder::Registered => "r.registered_at, r.id",
    };
    let mut stmt = r.conn.prepare_cached(&format!(
        "{REGISTRATION_VIEW}
          WHERE r.event_id = ?1 AND m.deleted_at IS NULL
            AND (?2 IS NULL OR instr(m.search_text, ?2) > 0)
          ORDER BY {order_by} LIMIT ?3"
    ))?;
    let rows = stmt.query_map(
        params![event_id, needle, limit.map_or(-1, i64::from)],
        registration_view,
    )?;
    let mut out: Vec<Registration> = rows.collect::<rusqlite::Result<_>>()?;
    let waitlist: Vec<i64> = waitlist(r, event_id)?.into_iter().map(|w| w.id).collect();
    for reg in out
        .iter_mut()
        .filter(|r| r.status == RegistrationStatus::Waitlist)
    {
        reg.waitlist_position = waitlist
            .iter()
            .position(|id| *id == reg.id)
            .map(|p| p as u32 + 1);
    }
    Ok(out)
}

pub fn registration(r: &Read<'_>, id: i64) -> Result<Option<Registration>> {
    let reg = r
        .conn
        .prepare_cached(&format!("{REGISTRATION_VIEW} WHERE r.id = ?1"))?
        .query_row([id], registration_view)
        .optional()?;
    let Some(mut reg) = reg else {
        return Ok(None);
    };
    if reg.status == RegistrationStatus::Waitlist {
        reg.waitlist_position = waitlist(r, reg.event_id)?
            .iter()
            .position(|w| w.id == id)
            .map(|p| p as u32 + 1);
    }
    Ok(Some(reg))
}

/// Members matching `needle` who are not registered for the event (walk-in candidates).
pub fn unregistered_matches(
    r: &Read<'_>,
    event_id: i64,
    needle: &str,
    limit: u32,
) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT m.id, m.display_name FROM members m
          WHERE m.deleted_at IS NULL AND instr(m.search_text, ?2) > 0
            AND NOT EXISTS (SELECT 1 FROM registrations r
                             WHERE r.event_id = ?1 AND r.member_id = m.id)
          ORDER BY m.sort_key, m.id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![event_id, needle, limit], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One of a member's registrations, for their timeline.
pub struct MemberEventRow {
    pub event_id: i64,
    pub title: String,
    pub status: RegistrationStatus,
    pub registered_at: String,
    pub checked_in_at: Option<String>,
    pub starts_at: String,
}

/// Every event a member registered for (or walked into), newest first.
pub fn member_events(r: &Read<'_>, member_id: i64) -> Result<Vec<MemberEventRow>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT e.id, e.title, r.status, r.registered_at, r.checked_in_at, e.starts_at
           FROM registrations r JOIN events e ON e.id = r.event_id
          WHERE r.member_id = ?1 ORDER BY e.starts_at DESC",
    )?;
    let rows = stmt.query_map([member_id], |row| {
        let status: String = row.get(2)?;
        Ok(MemberEventRow {
            event_id: row.get(0)?,
            title: row.get(1)?,
            status: RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Registered),
            registered_at: row.get(3)?,
            checked_in_at: row.get(4)?,
            starts_at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub struct NewFeedback<'a> {
    pub event_id: i64,
    pub member_id: Option<i64>,
    pub score: Option<u8>,
    pub nps: Option<u8>,
    pub comment: &'a str,
    pub source: &'a str,
}

pub fn insert_feedback(w: &mut Write<'_>, f: &NewFeedback<'_>, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO event_feedback (event_id, member_id, score, nps, comment, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        f.event_id,
        f.member_id,
        f.score,
        f.nps,
        f.comment,
        f.source,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn delete_feedback(w: &mut Write<'_>, ids: &[i64]) -> Result<()> {
    let mut stmt =
        w.tx.prepare_cached("DELETE FROM event_feedback WHERE id = ?1")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

pub fn feedback(r: &Read<'_>, event_id: i64) -> Result<Vec<Feedback>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT f.id, f.member_id, m.display_name, f.score, f.nps, f.comment, f.source, f.created_at
           FROM event_feedback f LEFT JOIN members m ON m.id = f.member_id
          WHERE f.event_id = ?1 ORDER BY f.id",
    )?;
    let rows = stmt.query_map([event_id], |row| {
        Ok(Feedback {
            id: row.get(0)?,
            member_id: row.get(1)?,
            member_name: row.get(2)?,
            score: row.get(3)?,
            nps: row.get(4)?,
            comment: row.get(5)?,
            source: row.get(6)?,
            created_at: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves the merged member's registrations to the member kept (events the keeper is not already
/// registered for) and remembers which, for the merge's undo.
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO merge_registrations (merge_id, registration_id)
         SELECT ?1, r.id FROM registrations r
          WHERE r.member_id = ?2
            AND NOT EXISTS (SELECT 1 FROM registrations k
                             WHERE k.member_id = ?3 AND k.event_id = r.event_id)",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached(
        "UPDATE registrations SET member_id = ?2
          WHERE id IN (SELECT registration_id FROM merge_registrations WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, kept_id])?;
    Ok(())
}

/// Undoes [`move_on_merge`].
pub fn unmove_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE registrations SET member_id = ?2
          WHERE id IN (SELECT registration_id FROM merge_registrations WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached("DELETE FROM merge_registrations WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}

/// Live members called exactly `name`, each with their phone numbers (to tell namesakes apart).
pub fn namesakes(r: &Read<'_>, name: &str) -> Result<Vec<(i64, Vec<String>)>> {
    let name = crate::text::clean(name);
    let sort_key = crate::text::name_keys(&name).sort_key;
    let mut stmt = r.conn.prepare_cached(
        "SELECT m.id, i.value FROM members m INDEXED BY members_by_name
           LEFT JOIN identities i ON i.member_id = m.id AND i.kind = 'phone'
          WHERE m.deleted_at IS NULL AND m.sort_key = ?2 AND m.display_name = ?1
          ORDER BY m.id LIMIT 200",
    )?;
    let rows = stmt.query_map(params![name, sort_key], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut out: Vec<(i64, Vec<String>)> = Vec::new();
    for row in rows {
        let (id, phone) = row?;
        match out.last_mut() {
            Some((last, phones)) if *last == id => phones.extend(phone),
            _ => out.push((id, phone.into_iter().collect())),
        }
    }
    Ok(out)
}

/// Events whose seats can still change hands: draft, open or full, and not over by `now`.
pub fn seated_event_ids(r: &Read<'_>, now: &str) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id FROM events WHERE status IN ('draft', 'open', 'full') AND ends_at >= ?1",
    )?;
    let rows = stmt.query_map([now], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Registrations of these members that hold a seat, with their event's capacity.
pub fn seated_registrations_of(
    r: &Read<'_>,
    member_ids: &[i64],
) -> Result<Vec<(i64, i64, Option<u32>)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT r.id, r.event_id, e.capacity FROM registrations r
           JOIN events e ON e.id = r.event_id
          WHERE r.member_id = ?1 AND r.status = 'registered'
            AND e.status IN ('draft', 'open', 'full')",
    )?;
    let mut out = Vec::new();
    for id in member_ids {
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}
