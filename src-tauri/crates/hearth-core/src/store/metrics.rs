//! The reads behind the plan's metrics, each through an index: members by the instant they
//! joined (`members_by_joined_or_created`), activities by day (`activities_by_day`), the small
//! set of members in the trash (`members_in_trash`), events by start, ledger rows by activity.
//!
//! "Counted" members are those not in the trash (a merged member is in the trash, pointing at the
//! member kept, who has their activities). Activity reads count every live activity of a day and
//! subtract what members in the trash did, rather than looking up the member of every row.
//! Instants are the store's UTC stamps; days are the manager's local `YYYY-MM-DD`.

use std::collections::HashSet;

use rusqlite::params;

use super::Read;
use crate::error::Result;

const JOINED: &str = "coalesce(joined_at, created_at)";

/// Counted members who joined in `[from, to)` (stamps; `from` None is the beginning).
pub fn joined_count(r: &Read<'_>, from: Option<&str>, to: &str) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM members
              WHERE deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2"
        ))?
        .query_row(params![from.unwrap_or(""), to], |row| row.get(0))?)
}

/// The ids of [`joined_count`], with the instant each joined.
pub fn joined(r: &Read<'_>, from: Option<&str>, to: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT id, {JOINED} FROM members
          WHERE deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![from.unwrap_or(""), to], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Per day in `[from, to]`: (day, distinct counted members active, their live activities).
/// Days without activity are absent.
pub fn daily_activity(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(String, u32, u64)>> {
    let mut all: Vec<(String, u32, u64)> = r
        .conn
        .prepare_cached(
            "SELECT day, COUNT(DISTINCT member_id), COUNT(*) FROM activities
              WHERE day BETWEEN ?1 AND ?2 AND voided_at IS NULL GROUP BY day ORDER BY day",
        )?
        .query_map(params![from, to], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = r.conn.prepare_cached(
        "SELECT a.day, COUNT(DISTINCT a.member_id), COUNT(*)
           FROM members m JOIN activities a
             ON a.member_id = m.id AND a.day BETWEEN ?1 AND ?2 AND a.voided_at IS NULL
          WHERE m.deleted_at IS NOT NULL GROUP BY a.day",
    )?;
    let trashed = stmt.query_map(params![from, to], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, u32>(1)?,
            row.get::<_, u64>(2)?,
        ))
    })?;
    for t in trashed {
        let (day, members, activities) = t?;
        if let Some(d) = all.iter_mut().find(|d| d.0 == day) {
            d.1 -= members;
            d.2 -= activities;
        }
    }
    all.retain(|d| d.1 > 0);
    Ok(all)
}

/// Ids of members in the trash.
fn trashed(r: &Read<'_>) -> Result<HashSet<i64>> {
    let mut stmt = r
        .conn
        .prepare_cached("SELECT id FROM members WHERE deleted_at IS NOT NULL")?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Distinct counted members with a live activity on a day in `[from, to]`.
pub fn active_count(r: &Read<'_>, from: &str, to: &str) -> Result<u32> {
    let all: u32 = r
        .conn
        .prepare_cached(
            "SELECT COUNT(DISTINCT member_id) FROM activities
              WHERE day BETWEEN ?1 AND ?2 AND voided_at IS NULL",
        )?
        .query_row(params![from, to], |row| row.get(0))?;
    let in_trash: u32 = r
        .conn
        .prepare_cached(
            "SELECT COUNT(*) FROM members m
              WHERE m.deleted_at IS NOT NULL AND EXISTS (
                    SELECT 1 FROM activities a WHERE a.member_id = m.id
                       AND a.day BETWEEN ?1 AND ?2 AND a.voided_at IS NULL)",
        )?
        .query_row(params![from, to], |row| row.get(0))?;
    Ok(all - in_trash)
}

/// The ids of [`active_count`], in id order.
pub fn active_ids(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<i64>> {
    let out = trashed(r)?;
    let mut stmt = r.conn.prepare_cached(
        "SELECT DISTINCT member_id FROM activities
          WHERE day BETWEEN ?1 AND ?2 AND voided_at IS NULL",
    )?;
    let rows = stmt.query_map(params![from, to], |row| row.get::<_, i64>(0))?;
    let mut ids: Vec<i64> = rows
        .filter(|id| id.as_ref().map_or(true, |id| !out.contains(id)))
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// The cohort of counted members who joined in `[from, to)` (stamps) and how many of them have
/// a live activity on one of days 61–90 after the local day they joined (`offset` is the
/// manager's UTC offset as an SQLite modifier, e.g. `+480 minutes`): (cohort, retained ids).
pub fn retained(r: &Read<'_>, from: &str, to: &str, offset: &str) -> Result<(u32, Vec<i64>)> {
    let cohort = joined_count(r, Some(from), to)?;
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT m.id FROM members m
          WHERE m.deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2
            AND EXISTS (SELECT 1 FROM activities a
                         WHERE a.member_id = m.id AND a.voided_at IS NULL
                           AND a.day BETWEEN date({JOINED}, ?3, '+61 days')
                                         AND date({JOINED}, ?3, '+90 days'))
          ORDER BY m.id"
    ))?;
    let rows = stmt.query_map(params![from, to, offset], |row| row.get(0))?;
    Ok((cohort, rows.collect::<rusqlite::Result<_>>()?))
}

/// Events starting in `[from, to)` (stamps) that are not cancelled.
pub fn events_held(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id FROM events WHERE starts_at >= ?1 AND starts_at < ?2 AND status <> 'cancelled'
          ORDER BY starts_at, id",
    )?;
    let rows = stmt.query_map(params![from, to], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Registrations of counted members for the given events that had ended by `now`:
/// (member id, checked in). Registered means any status but cancelled and waitlist (a waitlisted
/// person never had a seat); checked in means a check-in time, or attended / walk-in.
pub fn attendance(r: &Read<'_>, events: &[i64], now: &str) -> Result<Vec<(i64, bool)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT g.member_id,
                (g.checked_in_at IS NOT NULL OR g.status IN ('attended', 'walk_in'))
           FROM registrations g
           JOIN events e ON e.id = g.event_id
           JOIN members m ON m.id = g.member_id
          WHERE g.event_id = ?1 AND e.ends_at <= ?2 AND m.deleted_at IS NULL
            AND g.status NOT IN ('cancelled', 'waitlist')",
    )?;
    let mut out = Vec::new();
    for event in events {
        for row in stmt.query_map(params![event, now], |row| Ok((row.get(0)?, row.get(1)?)))? {
            out.push(row?);
        }
    }
    Ok(out)
}

/// Counted members who are opinion leaders now (the manager's word, or else the rule's).
pub fn opinion_leaders(r: &Read<'_>) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT l.member_id FROM member_lifecycle l JOIN members m ON m.id = l.member_id
          WHERE coalesce(l.opinion_leader_manual, l.opinion_leader) = 1
            AND m.deleted_at IS NULL ORDER BY l.member_id",
    )?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Positive points entries of counted members dated in the period: those earned by an activity
/// on a day in `[from_day, to_day]`, and the others (grants) stamped in `[from, to)`.
/// (member id, points), one row per entry.
pub fn points_issued(
    r: &Read<'_>,
    from_day: &str,
    to_day: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(i64, i64)>> {
    let out = trashed(r)?;
    let mut rows: Vec<(i64, i64)> = r
        .conn
        .prepare_cached(
            "SELECT p.member_id, p.delta FROM activities a
               JOIN points_ledger p ON p.activity_id = a.id
              WHERE a.day BETWEEN ?1 AND ?2 AND a.voided_at IS NULL AND p.delta > 0",
        )?
        .query_map(params![from_day, to_day], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let granted = r
        .conn
        .prepare_cached(
            "SELECT member_id, delta FROM points_ledger
              WHERE activity_id IS NULL AND created_at >= ?1 AND created_at < ?2 AND delta > 0",
        )?
        .query_map(params![from, to], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
    rows.extend(granted);
    rows.retain(|(id, _)| !out.contains(id));
    Ok(rows)
}
