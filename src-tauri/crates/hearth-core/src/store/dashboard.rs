//! The dashboards' reads: every query reads the rollups (`member_days`, `daily_totals`,
//! `member_totals`) or an
//! index range (members by joining day or by trash time, events by start, registrations by
//! event, the ledger's unlinked rows by time, credit entries by time), never a whole scan of
//! members or activities (`tests/tests/dashboard.rs` checks each plan). Days are `YYYY-MM-DD`
//! text, bounds inclusive; stamps are the store's UTC text, bounds half-open.
//!
//! A member's joining day is `substr(coalesce(joined_at, created_at), 1, 10)`, the expression
//! of the index `members_by_joined_day`: written once here, as [`JOINED`].

use rusqlite::{params, OptionalExtension};

use super::Read;
use crate::error::Result;

/// A counted member's joining day (the indexed expression; SQLite matches it textually).
const JOINED: &str = "substr(coalesce(joined_at, created_at), 1, 10)";

/// Every dashboard query, by name, with sample arguments: for the query-plan test.
pub fn queries() -> Vec<(&'static str, String)> {
    vec![
        ("joined per day", joined_per_day_sql()),
        ("members joined before", members_before_sql()),
        ("joined ids", joined_ids_sql()),
        ("trashed", trashed_sql()),
        ("daily totals", DAILY.to_owned()),
        ("distinct active", DISTINCT_ACTIVE.to_owned()),
        ("active ids", ACTIVE_IDS.to_owned()),
        ("member days", MEMBER_DAYS.to_owned()),
        ("active since", ACTIVE_SINCE.to_owned()),
        ("member totals", TOTALS.to_owned()),
        ("joined days", joined_days_sql()),
        ("cohort ids", cohort_ids_sql()),
        ("registrations", REGISTRATIONS.to_owned()),
        ("events held", EVENTS_HELD.to_owned()),
        ("registration ids", REGISTRATION_IDS.to_owned()),
        ("registration rows", REGISTRATION_ROWS.to_owned()),
        ("grants", GRANTS.to_owned()),
        ("credit", CREDIT.to_owned()),
        ("names", NAMES.to_owned()),
        ("stage moves", MOVES.to_owned()),
        ("stages", STAGES.to_owned()),
        ("stages in the trash", STAGES_IN_TRASH.to_owned()),
        ("stage ids", STAGE_IDS.to_owned()),
        ("credit ids", CREDIT.to_owned()),
    ]
}

fn joined_per_day_sql() -> String {
    format!(
        "SELECT {JOINED} AS d, count(*) FROM members
          WHERE deleted_at IS NULL AND {JOINED} BETWEEN ?1 AND ?2 GROUP BY d"
    )
}

/// New counted members per joining day in `from..=to`.
pub fn joined_per_day(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = r.conn.prepare_cached(&joined_per_day_sql())?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn members_before_sql() -> String {
    format!("SELECT count(*) FROM members WHERE deleted_at IS NULL AND {JOINED} < ?1")
}

/// Counted members who joined before `day`.
pub fn members_before(r: &Read<'_>, day: &str) -> Result<i64> {
    Ok(r.conn
        .prepare_cached(&members_before_sql())?
        .query_row([day], |r| r.get(0))?)
}

fn joined_ids_sql() -> String {
    format!(
        "SELECT id FROM members WHERE deleted_at IS NULL AND {JOINED} BETWEEN ?1 AND ?2 ORDER BY id"
    )
}

/// Counted members who joined in `from..=to`.
pub fn joined_ids(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<i64>> {
    ids(r, &joined_ids_sql(), params![from, to])
}

fn trashed_sql() -> String {
    "SELECT id, deleted_at FROM members INDEXED BY members_in_trash
      WHERE deleted_at IS NOT NULL AND deleted_at >= ?1 AND deleted_at < ?2
        AND merged_into IS NULL ORDER BY id"
        .to_owned()
}

/// Members moved to the trash in `[from, to)` (UTC stamps), not counting merges (the member
/// merged away did not leave: their record lives on in the one kept), with when.
pub fn trashed(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(&trashed_sql())?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const DAILY: &str = "SELECT day, activities, active_members, points FROM daily_totals
                      WHERE day BETWEEN ?1 AND ?2 ORDER BY day";

/// `daily_totals` rows in `from..=to`: (day, activities, active members, points).
pub fn daily(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(String, i64, i64, i64)>> {
    let mut stmt = r.conn.prepare_cached(DAILY)?;
    let rows = stmt.query_map([from, to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const DISTINCT_ACTIVE: &str = "SELECT count(DISTINCT member_id) FROM member_days
                                INDEXED BY member_days_by_day WHERE day BETWEEN ?1 AND ?2";

/// Distinct counted members active in `from..=to`.
pub fn distinct_active(r: &Read<'_>, from: &str, to: &str) -> Result<i64> {
    Ok(r.conn
        .prepare_cached(DISTINCT_ACTIVE)?
        .query_row([from, to], |r| r.get(0))?)
}

const ACTIVE_IDS: &str = "SELECT DISTINCT member_id FROM member_days INDEXED BY member_days_by_day
                           WHERE day BETWEEN ?1 AND ?2 ORDER BY member_id";

pub fn active_ids(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<i64>> {
    ids(r, ACTIVE_IDS, params![from, to])
}

const MEMBER_DAYS: &str = "SELECT day, member_id, activities, points
                             FROM member_days INDEXED BY member_days_by_day
                            WHERE day BETWEEN ?1 AND ?2 ORDER BY day";

/// Every `member_days` row with a day in `from..=to`, in day order, read from the index alone:
/// `f(day, member, activities, points)`. The windows (DAU/WAU/MAU of a past range, top
/// contributors, cohorts, leaderboards) count them in memory: one pass, no temporary b-tree.
pub fn each_member_day(
    r: &Read<'_>,
    from: &str,
    to: &str,
    mut f: impl FnMut(&str, i64, i64, i64),
) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(MEMBER_DAYS)?;
    let mut rows = stmt.query([from, to])?;
    while let Some(row) = rows.next()? {
        f(text(row, 0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    }
    Ok(())
}

/// The last day anyone counted was active (the largest day of `daily_totals`).
pub fn last_active_day(r: &Read<'_>) -> Result<Option<String>> {
    Ok(r.conn
        .prepare_cached("SELECT max(day) FROM daily_totals")?
        .query_row([], |r| r.get(0))?)
}

const ACTIVE_SINCE: &str = "SELECT count(*) FROM member_totals INDEXED BY member_totals_by_last_day
                             WHERE last_day >= ?1";

/// Counted members whose last active day is `day` or later: the members active in any range
/// from `day` that reaches [`last_active_day`], counted from an index range.
pub fn active_since(r: &Read<'_>, day: &str) -> Result<i64> {
    Ok(r.conn
        .prepare_cached(ACTIVE_SINCE)?
        .query_row([day], |r| r.get(0))?)
}

const TOTALS: &str = "SELECT member_id, activities, points FROM member_totals";

/// Every counted member's all-time activities and points: `f(member, activities, points)`.
pub fn each_total(r: &Read<'_>, mut f: impl FnMut(i64, i64, i64)) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(TOTALS)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(row.get(0)?, row.get(1)?, row.get(2)?);
    }
    Ok(())
}

/// The largest member id (0 without members): per-member counters are this long.
pub fn max_member_id(r: &Read<'_>) -> Result<i64> {
    Ok(r.conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM members")?
        .query_row([], |r| r.get(0))?)
}

fn joined_days_sql() -> String {
    format!(
        "SELECT id, {JOINED} FROM members WHERE deleted_at IS NULL AND {JOINED} BETWEEN ?1 AND ?2"
    )
}

/// Counted members who joined in `from..=to`, with their joining day.
pub fn joined_days(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(&joined_days_sql())?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn cohort_ids_sql() -> String {
    format!(
        "SELECT id FROM members m
          WHERE deleted_at IS NULL AND {JOINED} BETWEEN ?1 AND ?2
            AND (?3 = '' OR EXISTS (SELECT 1 FROM member_days d
                                     WHERE d.member_id = m.id AND d.day BETWEEN ?3 AND ?4))
          ORDER BY id"
    )
}

/// Members who joined in `from..=to` and, unless `active_from` is empty, were active in
/// `active_from..=active_to`.
pub fn cohort_ids(
    r: &Read<'_>,
    (from, to): (&str, &str),
    (active_from, active_to): (&str, &str),
) -> Result<Vec<i64>> {
    ids(
        r,
        &cohort_ids_sql(),
        params![from, to, active_from, active_to],
    )
}

const REGISTRATIONS: &str = "SELECT e.id, e.ends_at < ?3, r.status, count(*)
                               FROM events e INDEXED BY events_by_start
                               JOIN registrations r INDEXED BY registrations_by_status
                                 ON r.event_id = e.id
                              WHERE e.starts_at >= ?1 AND e.starts_at < ?2
                                AND e.status <> 'cancelled'
                              GROUP BY e.id, r.status";

/// Registrations of the events held (not cancelled) that start in `[from, to)`: (event, whether
/// it is over at `now`, status, count).
pub fn registrations(
    r: &Read<'_>,
    from: &str,
    to: &str,
    now: &str,
) -> Result<Vec<(i64, bool, String, i64)>> {
    let mut stmt = r.conn.prepare_cached(REGISTRATIONS)?;
    let rows = stmt.query_map([from, to, now], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const REGISTRATION_ROWS: &str = "SELECT r.member_id, e.ends_at < ?3, r.status
                                   FROM events e INDEXED BY events_by_start
                                   JOIN registrations r INDEXED BY registrations_by_status
                                     ON r.event_id = e.id
                                  WHERE e.starts_at >= ?1 AND e.starts_at < ?2
                                    AND e.status <> 'cancelled'";

/// [`registrations`] one by one: (member, whether the event is over at `now`, status).
pub fn registration_rows(
    r: &Read<'_>,
    from: &str,
    to: &str,
    now: &str,
) -> Result<Vec<(i64, bool, String)>> {
    let mut stmt = r.conn.prepare_cached(REGISTRATION_ROWS)?;
    let rows = stmt.query_map([from, to, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const EVENTS_HELD: &str = "SELECT count(*) FROM events INDEXED BY events_by_start
                            WHERE starts_at >= ?1 AND starts_at < ?2 AND status <> 'cancelled'";

/// Events (not cancelled) that start in `[from, to)`.
pub fn events_held(r: &Read<'_>, from: &str, to: &str) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(EVENTS_HELD)?
        .query_row([from, to], |r| r.get(0))?)
}

const REGISTRATION_IDS: &str = "SELECT DISTINCT r.member_id
                                  FROM events e INDEXED BY events_by_start
                                  JOIN registrations r INDEXED BY registrations_by_status
                                    ON r.event_id = e.id
                                  JOIN members m ON m.id = r.member_id
                                 WHERE e.starts_at >= ?1 AND e.starts_at < ?2
                                   AND e.status <> 'cancelled' AND e.ends_at < ?3
                                   AND m.deleted_at IS NULL
                                   AND (',' || ?4 || ',') LIKE ('%,' || r.status || ',%')
                                 ORDER BY r.member_id";

/// Counted members with a registration of one of `statuses` (comma-separated) at a held event
/// starting in `[from, to)` that ended before `before`.
pub fn registration_ids(
    r: &Read<'_>,
    (from, to): (&str, &str),
    before: &str,
    statuses: &str,
) -> Result<Vec<i64>> {
    ids(r, REGISTRATION_IDS, params![from, to, before, statuses])
}

const GRANTS: &str = "SELECT member_id, delta FROM points_ledger INDEXED BY points_unlinked_by_time
                       WHERE activity_id IS NULL AND created_at >= ?1 AND created_at < ?2
                         AND reason = 'grant'";

/// Manual grants written in `[from, to)`: (member, points).
pub fn grants(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(i64, i64)>> {
    let mut stmt = r.conn.prepare_cached(GRANTS)?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const CREDIT: &str =
    "SELECT member_id, points FROM credit_entries INDEXED BY credit_entries_by_time
                       WHERE voided_at IS NULL AND occurred_at >= ?1 AND occurred_at < ?2";

/// Credit deductions (not voided) that happened in `[from, to)`: (member, points taken).
pub fn credit(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(i64, i64)>> {
    let mut stmt = r.conn.prepare_cached(CREDIT)?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const NAMES: &str = "SELECT display_name FROM members WHERE id = ?1";

/// Display names of these members (in the same order; a missing member is left out).
pub fn names(r: &Read<'_>, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut stmt = r.conn.prepare_cached(NAMES)?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(name) = stmt.query_row([id], |r| r.get(0)).optional()? {
            out.push((id, name));
        }
    }
    Ok(out)
}

const MOVES: &str = "SELECT h.member_id, substr(h.day, 1, 7), h.from_stage, h.to_stage
                       FROM stage_history h INDEXED BY stage_history_by_day
                       JOIN members m ON m.id = h.member_id
                      WHERE h.day BETWEEN ?1 AND ?2 AND m.deleted_at IS NULL
                      ORDER BY h.member_id";

/// Stage changes of counted members in `from..=to`: (member, month, from, to).
pub fn moves(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(i64, String, String, String)>> {
    let mut stmt = r.conn.prepare_cached(MOVES)?;
    let rows = stmt.query_map([from, to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// Stage counts read the stage index alone, then take out the members in the trash (few) rather
// than look every member up.
const STAGES: &str = "SELECT coalesce(override_stage, stage) AS s, count(*)
                        FROM member_lifecycle INDEXED BY member_lifecycle_by_stage GROUP BY s";
const STAGES_IN_TRASH: &str = "SELECT coalesce(l.override_stage, l.stage) AS s, count(*)
                                 FROM members m INDEXED BY members_in_trash
                                 JOIN member_lifecycle l ON l.member_id = m.id
                                WHERE m.deleted_at IS NOT NULL GROUP BY s";

/// Counted members per stage everyone sees (the manager's override wins).
pub fn stages(r: &Read<'_>) -> Result<Vec<(String, i64)>> {
    let read = |sql: &str| -> Result<Vec<(String, i64)>> {
        let mut stmt = r.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut counts = read(STAGES)?;
    for (stage, n) in read(STAGES_IN_TRASH)? {
        if let Some(c) = counts.iter_mut().find(|(s, _)| *s == stage) {
            c.1 -= n;
        }
    }
    Ok(counts)
}

const EACH_STAGE: &str = "SELECT member_id, coalesce(override_stage, stage) FROM member_lifecycle";

/// Every stored member's stage everyone sees (trashed members too: callers filter).
pub fn each_stage(r: &Read<'_>, mut f: impl FnMut(i64, &str)) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(EACH_STAGE)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(row.get(0)?, text(row, 1)?);
    }
    Ok(())
}

const STAGE_IDS: &str =
    "SELECT l.member_id FROM member_lifecycle l INDEXED BY member_lifecycle_by_stage
                          JOIN members m ON m.id = l.member_id
                          WHERE m.deleted_at IS NULL AND coalesce(l.override_stage, l.stage) = ?1
                          ORDER BY l.member_id";

pub fn stage_ids(r: &Read<'_>, stage: &str) -> Result<Vec<i64>> {
    ids(r, STAGE_IDS, [stage])
}

/// Those of these members who count (not in the trash, not merged away), in id order, once.
pub fn live_ids(r: &Read<'_>, ids: &[i64]) -> Result<Vec<i64>> {
    let mut stmt = r
        .conn
        .prepare_cached("SELECT id FROM members WHERE id = ?1 AND deleted_at IS NULL")?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(id) = stmt.query_row([id], |r| r.get(0)).optional()? {
            out.push(id);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A text column without copying it.
fn text<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    Ok(row.get_ref(i)?.as_str()?)
}

fn ids(r: &Read<'_>, sql: &str, args: impl rusqlite::Params) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The plan SQLite chooses for `sql` (each step's detail), with every parameter bound to a
/// sample text value.
pub fn plan(r: &Read<'_>, sql: &str) -> Result<Vec<String>> {
    let mut stmt = r.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let n = stmt.parameter_count();
    for i in 1..=n {
        stmt.raw_bind_parameter(i, "2026-01-01")?;
    }
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(row.get::<_, String>(3)?);
    }
    Ok(out)
}
