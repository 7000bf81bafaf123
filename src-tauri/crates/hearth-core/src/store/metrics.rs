//! The plan's own reads, each through an index or a rollup: members by the instant they joined
//! (`members_by_joined_or_created`), the rollup `member_days` for retention and for who earned
//! points, events by start, registrations by event, opinion leaders by their partial index. The
//! windowed activity numbers (DAU, WAU, MAU, interactions, points) are the dashboards' own, read
//! through `ops::dashboard::series`.
//!
//! "Counted" members are those not in the trash (a merged member is in the trash, pointing at the
//! member kept, who has their activities); the rollups hold counted members only. Instants are
//! the store's UTC stamps; days are the manager's local `YYYY-MM-DD`.

use rusqlite::params;

use super::Read;
use crate::error::Result;

const JOINED: &str = "coalesce(joined_at, created_at)";

fn joined_count_sql() -> String {
    format!(
        "SELECT COUNT(*) FROM members INDEXED BY members_by_joined_or_created
          WHERE deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2"
    )
}

/// Counted members who joined in `[from, to)` (stamps; `from` None is the beginning).
pub fn joined_count(r: &Read<'_>, from: Option<&str>, to: &str) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(&joined_count_sql())?
        .query_row(params![from.unwrap_or(""), to], |row| row.get(0))?)
}

fn joined_sql() -> String {
    format!(
        "SELECT id, {JOINED} FROM members INDEXED BY members_by_joined_or_created
          WHERE deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2 ORDER BY id"
    )
}

/// The ids of [`joined_count`], with the instant each joined.
pub fn joined(r: &Read<'_>, from: Option<&str>, to: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(&joined_sql())?;
    let rows = stmt.query_map(params![from.unwrap_or(""), to], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The cohort of counted members who joined in `[from, to)` (stamps) and those of them with a
/// live activity on one of days 61–90 after the local day they joined (`offset` is the manager's
/// UTC offset as an SQLite modifier, e.g. `+480 minutes`): (cohort, retained ids). Activity is
/// read from the rollup `member_days` by its key (member, day).
pub fn retained(r: &Read<'_>, from: &str, to: &str, offset: &str) -> Result<(u32, Vec<i64>)> {
    let cohort = joined_count(r, Some(from), to)?;
    let mut stmt = r.conn.prepare_cached(&retained_sql())?;
    let rows = stmt.query_map(params![from, to, offset], |row| row.get(0))?;
    Ok((cohort, rows.collect::<rusqlite::Result<_>>()?))
}

fn retained_sql() -> String {
    format!(
        "SELECT m.id FROM members m INDEXED BY members_by_joined_or_created
          WHERE m.deleted_at IS NULL AND {JOINED} >= ?1 AND {JOINED} < ?2
            AND EXISTS (SELECT 1 FROM member_days d
                         WHERE d.member_id = m.id
                           AND d.day BETWEEN date({JOINED}, ?3, '+61 days')
                                         AND date({JOINED}, ?3, '+90 days'))
          ORDER BY m.id"
    )
}

const EVENTS_HELD: &str = "SELECT id FROM events INDEXED BY events_by_start
                            WHERE starts_at >= ?1 AND starts_at < ?2 AND status <> 'cancelled'
                            ORDER BY starts_at, id";

/// Events starting in `[from, to)` (stamps) that are not cancelled.
pub fn events_held(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(EVENTS_HELD)?;
    let rows = stmt.query_map(params![from, to], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const ATTENDANCE: &str = "SELECT g.member_id,
                                  (g.checked_in_at IS NOT NULL OR g.status IN ('attended', 'walk_in'))
                             FROM registrations g
                             JOIN events e ON e.id = g.event_id
                             JOIN members m ON m.id = g.member_id
                            WHERE g.event_id = ?1 AND e.ends_at <= ?2 AND m.deleted_at IS NULL
                              AND g.status NOT IN ('cancelled', 'waitlist')";

/// Registrations of counted members for the given events that had ended by `now`:
/// (member id, checked in). Registered means any status but cancelled and waitlist (a waitlisted
/// person never had a seat); checked in means a check-in time, or attended / walk-in.
pub fn attendance(r: &Read<'_>, events: &[i64], now: &str) -> Result<Vec<(i64, bool)>> {
    let mut stmt = r.conn.prepare_cached(ATTENDANCE)?;
    let mut out = Vec::new();
    for event in events {
        for row in stmt.query_map(params![event, now], |row| Ok((row.get(0)?, row.get(1)?)))? {
            out.push(row?);
        }
    }
    Ok(out)
}

// Through the partial index of opinion leaders (migration 0023): a handful of rows, not every
// member's lifecycle.
const OPINION_LEADERS: &str =
    "SELECT l.member_id FROM member_lifecycle l INDEXED BY member_lifecycle_opinion_leaders
       JOIN members m ON m.id = l.member_id
      WHERE coalesce(l.opinion_leader_manual, l.opinion_leader) = 1 AND m.deleted_at IS NULL
      ORDER BY l.member_id";

/// Counted members who are opinion leaders now (the manager's word, or else the rule's).
pub fn opinion_leaders(r: &Read<'_>) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(OPINION_LEADERS)?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const EARNERS: &str = "SELECT DISTINCT member_id FROM member_days INDEXED BY member_days_by_day
                        WHERE day BETWEEN ?1 AND ?2 AND points > 0";

const GRANTED: &str = "SELECT DISTINCT p.member_id
                         FROM points_ledger p INDEXED BY points_unlinked_by_time
                         JOIN members m ON m.id = p.member_id
                        WHERE p.activity_id IS NULL AND p.created_at >= ?1 AND p.created_at < ?2
                          AND p.reason = 'grant' AND m.deleted_at IS NULL";

/// Counted members issued points in the period: whose activities on a day in `[from_day,
/// to_day]` earned points, or who were granted points in `[from, to)` (stamps). Any order.
pub fn points_members(
    r: &Read<'_>,
    (from_day, to_day): (&str, &str),
    (from, to): (&str, &str),
) -> Result<Vec<i64>> {
    let mut out: Vec<i64> = r
        .conn
        .prepare_cached(EARNERS)?
        .query_map(params![from_day, to_day], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let granted = r
        .conn
        .prepare_cached(GRANTED)?
        .query_map(params![from, to], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    out.extend(granted);
    Ok(out)
}

const CONTENT_PLANNED: &str = "SELECT i.status = 'published' AND i.published_at < ?2, m.id
       FROM content_items i
       LEFT JOIN members m ON m.id = i.owner_member_id AND m.deleted_at IS NULL
      WHERE i.planned_at >= ?1 AND i.planned_at < ?2 AND i.status <> 'skipped'";

/// Content items planned in `[from, to)` (stamps), not skipped: (published by `to`, the counted
/// member who owns it), one row per item.
pub fn content_planned(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(bool, Option<i64>)>> {
    let mut stmt = r.conn.prepare_cached(CONTENT_PLANNED)?;
    let rows = stmt.query_map(params![from, to], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every query of this module, by name: for the query-plan test (no full scan of members or
/// activities).
pub fn queries() -> Vec<(&'static str, String)> {
    vec![
        ("joined count", joined_count_sql()),
        ("joined", joined_sql()),
        ("retained", retained_sql()),
        ("events held", EVENTS_HELD.to_owned()),
        ("attendance", ATTENDANCE.to_owned()),
        ("opinion leaders", OPINION_LEADERS.to_owned()),
        ("points earners", EARNERS.to_owned()),
        ("points granted", GRANTED.to_owned()),
        ("content planned", CONTENT_PLANNED.to_owned()),
    ]
}
