//! The dashboards' reads: every query reads the rollups (`member_days`, `daily_totals`) or an
//! index range (members by joining day or by trash time, events by start, registrations by
//! event, the ledger's unlinked rows by time, credit entries by time), never a whole scan of
//! members or activities (`tests/tests/dashboard.rs` checks each plan). Days are `YYYY-MM-DD`
//! text, bounds inclusive; stamps are the store's UTC text, bounds half-open.
//!
//! A member's joining day is `substr(coalesce(joined_at, created_at), 1, 10)`, the expression
//! of the index `members_by_joined_day`: written once here, as [`JOINED`].

use rusqlite::params;

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
        ("cohorts", cohorts_sql()),
        ("cohort ids", cohort_ids_sql()),
        ("registrations", REGISTRATIONS.to_owned()),
        ("events held", EVENTS_HELD.to_owned()),
        ("registration ids", REGISTRATION_IDS.to_owned()),
        ("grants", GRANTS.to_owned()),
        ("credit", CREDIT.to_owned()),
        ("top", TOP.to_owned()),
        ("stage moves", MOVES.to_owned()),
        ("stages", STAGES.to_owned()),
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

fn cohorts_sql() -> String {
    format!(
        "WITH cohort (id, month) AS (
             SELECT id, substr({JOINED}, 1, 7) FROM members
              WHERE deleted_at IS NULL AND {JOINED} BETWEEN ?1 AND ?2)
         SELECT c.month, substr(d.day, 1, 7) AS active, count(DISTINCT c.id)
           FROM cohort c JOIN member_days d ON d.member_id = c.id AND d.day >= c.month
          GROUP BY c.month, active
         UNION ALL
         SELECT month, '', count(*) FROM cohort GROUP BY month"
    )
}

/// Cohorts of counted members who joined in `from..=to`, by joining month: (month, '', size)
/// and (month, active month, members of the cohort active that month).
pub fn cohorts(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<(String, String, i64)>> {
    let mut stmt = r.conn.prepare_cached(&cohorts_sql())?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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

// Summed per member from the rollup's day index, ranked and cut before any member row is read
// (member_days holds counted members only); ties by member id.
const TOP: &str = "SELECT t.member_id, m.display_name, t.n, t.p
                     FROM (SELECT member_id, sum(activities) AS n, sum(points) AS p
                             FROM member_days INDEXED BY member_days_by_day
                            WHERE day BETWEEN ?1 AND ?2
                            GROUP BY member_id
                            ORDER BY p DESC, n DESC, member_id LIMIT ?3) t
                     JOIN members m ON m.id = t.member_id
                    ORDER BY t.p DESC, t.n DESC, t.member_id";

/// The members whose activities earned the most points in `from..=to`: (member, name,
/// activities, points).
pub fn top(r: &Read<'_>, from: &str, to: &str, limit: u32) -> Result<Vec<(i64, String, i64, i64)>> {
    let mut stmt = r.conn.prepare_cached(TOP)?;
    let rows = stmt.query_map(params![from, to, limit], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const MOVES: &str = "SELECT h.member_id, substr(h.day, 1, 7), h.from_stage, h.to_stage
                       FROM stage_history h JOIN members m ON m.id = h.member_id
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

// Stage counts read every stored stage (member_lifecycle, one row per member: no index on
// the stage); CROSS JOIN keeps SQLite from walking all members instead and looking each up.
const STAGES: &str = "SELECT coalesce(l.override_stage, l.stage) AS s, count(*)
                        FROM member_lifecycle l CROSS JOIN members m ON m.id = l.member_id
                       WHERE m.deleted_at IS NULL GROUP BY s";

/// Counted members per stage everyone sees (the manager's override wins).
pub fn stages(r: &Read<'_>) -> Result<Vec<(String, i64)>> {
    let mut stmt = r.conn.prepare_cached(STAGES)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const STAGE_IDS: &str =
    "SELECT l.member_id FROM member_lifecycle l JOIN members m ON m.id = l.member_id
                          WHERE m.deleted_at IS NULL AND coalesce(l.override_stage, l.stage) = ?1
                          ORDER BY l.member_id";

pub fn stage_ids(r: &Read<'_>, stage: &str) -> Result<Vec<i64>> {
    ids(r, STAGE_IDS, [stage])
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
