//! Activities, the points ledger and levels: rows in, rows out. Caps, reversals and stages are
//! decided in `ops::engagement`. The ledger is append-only: nothing here updates or deletes a
//! ledger row; an activity taken back is marked `voided_at` and its points reversed by a new row.
//! Every write here that adds or voids an activity, or adds points to one, keeps the rollups
//! (`store::rollups`) in step in the same transaction.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::ActivityKind;
use crate::error::Result;

fn kind_from_row(row: &Row<'_>) -> rusqlite::Result<ActivityKind> {
    Ok(ActivityKind {
        key: row.get(0)?,
        name_zh: row.get(1)?,
        name_en: row.get(2)?,
        weight: row.get(3)?,
        points: row.get(4)?,
        daily_cap: row.get(5)?,
    })
}

pub fn kinds(r: &Read<'_>) -> Result<Vec<ActivityKind>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT key, name_zh, name_en, weight, points, daily_cap FROM activity_kinds
          ORDER BY position, key",
    )?;
    let rows = stmt.query_map([], kind_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn kind(r: &Read<'_>, key: &str) -> Result<Option<ActivityKind>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT key, name_zh, name_en, weight, points, daily_cap FROM activity_kinds
              WHERE key = ?1",
        )?
        .query_row([key], kind_from_row)
        .optional()?)
}

pub struct NewActivity<'a> {
    pub member_id: i64,
    pub kind: &'a str,
    pub occurred_at: &'a str,
    pub day: &'a str,
    pub source: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
}

pub fn insert_activity(w: &mut Write<'_>, a: &NewActivity<'_>, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO activities (member_id, kind, occurred_at, day, source, ref, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        a.member_id,
        a.kind,
        a.occurred_at,
        a.day,
        a.source,
        a.reference,
        a.note,
        now
    ])?;
    let id = w.tx.last_insert_rowid();
    super::rollups::add(w, a.member_id, a.day, 1, 0)?;
    Ok(id)
}

/// Activities of this kind that earned points for the member on that day (for daily caps).
pub fn rewarded_on(r: &Read<'_>, member_id: i64, kind: &str, day: &str) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(
            "SELECT count(*) FROM activities a
              WHERE a.member_id = ?1 AND a.kind = ?2 AND a.day = ?3 AND a.voided_at IS NULL
                AND EXISTS (SELECT 1 FROM points_ledger p
                             WHERE p.activity_id = a.id AND p.reason = 'activity')",
        )?
        .query_row(params![member_id, kind, day], |r| r.get(0))?)
}

/// The id SQLite would give the next row of `activities` / `points_ledger` (the largest plus one),
/// so a bulk insert can name its ids up front and still match inserting row by row.
pub fn next_ids(r: &Read<'_>) -> Result<(i64, i64)> {
    Ok(r.conn
        .prepare_cached(
            "SELECT (SELECT coalesce(max(id), 0) + 1 FROM activities),
                    (SELECT coalesce(max(id), 0) + 1 FROM points_ledger)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// One activity of a bulk insert, with its id (see [`next_ids`]).
pub struct ActivityInsert<'a> {
    pub id: i64,
    pub member_id: i64,
    pub kind: &'a str,
    pub occurred_at: &'a str,
    pub day: &'a str,
    pub source: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    /// Points the activity earns (written by [`insert_activity_points`]; counted in the rollups
    /// here).
    pub points: i64,
}

/// Inserts activities with the ids they name (consecutive from [`next_ids`]), `created_at` = now.
/// One prepared statement for the whole batch. (Not multi-row `VALUES`: with foreign keys SQLite
/// would keep a statement journal for it, writing a page image to a temp file for every page
/// each statement touches, which costs more than it saves.)
pub fn insert_activities(w: &mut Write<'_>, rows: &[ActivityInsert<'_>], now: &str) -> Result<()> {
    let mut stmt = w.tx.prepare_cached(
        "INSERT INTO activities (id, member_id, kind, occurred_at, day, source, ref, note,
                                 created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.raw_bind_parameter(9, now)?;
    for a in rows {
        stmt.raw_bind_parameter(1, a.id)?;
        stmt.raw_bind_parameter(2, a.member_id)?;
        stmt.raw_bind_parameter(3, a.kind)?;
        stmt.raw_bind_parameter(4, a.occurred_at)?;
        stmt.raw_bind_parameter(5, a.day)?;
        stmt.raw_bind_parameter(6, a.source)?;
        stmt.raw_bind_parameter(7, a.reference)?;
        stmt.raw_bind_parameter(8, a.note)?;
        stmt.raw_execute()?;
    }
    drop(stmt);
    super::rollups::add_many(w, rows.iter().map(|a| (a.member_id, a.day, a.points)))
}

/// Inserts the points activities earned: (ledger id, member, points, activity id), reason
/// `activity`, `created_at` = now.
pub fn insert_activity_points(
    w: &mut Write<'_>,
    rows: &[(i64, i64, i64, i64)],
    now: &str,
) -> Result<()> {
    let mut stmt = w.tx.prepare_cached(
        "INSERT INTO points_ledger (id, member_id, delta, reason, activity_id, note, created_at)
         VALUES (?1, ?2, ?3, 'activity', ?4, '', ?5)",
    )?;
    stmt.raw_bind_parameter(5, now)?;
    for &(id, member_id, delta, activity_id) in rows {
        stmt.raw_bind_parameter(1, id)?;
        stmt.raw_bind_parameter(2, member_id)?;
        stmt.raw_bind_parameter(3, delta)?;
        stmt.raw_bind_parameter(4, activity_id)?;
        stmt.raw_execute()?;
    }
    Ok(())
}

/// Counts of activities that earned points, per (member, kind, day), for members `lo..=hi` and
/// days `from..=to`: one pass for a bulk log whose members are dense in that range.
pub fn rewarded_in_range(
    r: &Read<'_>,
    (lo, hi): (i64, i64),
    (from, to): (&str, &str),
    mut f: impl FnMut(i64, &str, &str, u32),
) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT a.member_id, a.kind, a.day, count(*) FROM activities a
          WHERE a.member_id BETWEEN ?1 AND ?2 AND a.day BETWEEN ?3 AND ?4
            AND a.voided_at IS NULL
            AND EXISTS (SELECT 1 FROM points_ledger p
                         WHERE p.activity_id = a.id AND p.reason = 'activity')
          GROUP BY a.member_id, a.kind, a.day",
    )?;
    let mut rows = stmt.query(params![lo, hi, from, to])?;
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(row.get_ref(i)?.as_str()?) };
        f(row.get(0)?, text(1)?, text(2)?, row.get(3)?);
    }
    Ok(())
}

/// Counts of activities that earned points, per (kind, day), for a member's days `from..=to`
/// (the daily caps of a bulk log).
pub fn rewarded_between(
    r: &Read<'_>,
    member_id: i64,
    from: &str,
    to: &str,
    mut f: impl FnMut(&str, &str, u32),
) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT a.kind, a.day, count(*) FROM activities a
          WHERE a.member_id = ?1 AND a.day BETWEEN ?2 AND ?3 AND a.voided_at IS NULL
            AND EXISTS (SELECT 1 FROM points_ledger p
                         WHERE p.activity_id = a.id AND p.reason = 'activity')
          GROUP BY a.kind, a.day",
    )?;
    let mut rows = stmt.query(params![member_id, from, to])?;
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(row.get_ref(i)?.as_str()?) };
        f(text(0)?, text(1)?, row.get(2)?);
    }
    Ok(())
}

/// The member of a live (not voided) activity.
pub fn live_activity_member(r: &Read<'_>, id: i64) -> Result<Option<i64>> {
    Ok(r.conn
        .prepare_cached("SELECT member_id FROM activities WHERE id = ?1 AND voided_at IS NULL")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub fn insert_points(
    w: &mut Write<'_>,
    member_id: i64,
    delta: i64,
    reason: &str,
    activity_id: Option<i64>,
    note: &str,
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO points_ledger (member_id, delta, reason, activity_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![member_id, delta, reason, activity_id, note, now])?;
    let id = w.tx.last_insert_rowid();
    // Points of a live activity count in its day's rollup (a reversal follows the voiding, which
    // already took the activity's points out).
    if let Some(activity_id) = activity_id {
        let live: Option<(i64, String)> =
            w.tx.prepare_cached(
                "SELECT member_id, day FROM activities WHERE id = ?1 AND voided_at IS NULL",
            )?
            .query_row([activity_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((member_id, day)) = live {
            super::rollups::add(w, member_id, &day, 0, delta)?;
        }
    }
    Ok(id)
}

/// Marks an activity taken back; returns its member and the points it still holds (what the
/// ledger gave for it minus what was already reversed), or `None` if it was already void.
pub fn void_activity(w: &mut Write<'_>, id: i64, now: &str) -> Result<Option<(i64, i64)>> {
    let member: Option<(i64, String)> =
        w.tx.prepare_cached(
            "SELECT member_id, day FROM activities WHERE id = ?1 AND voided_at IS NULL",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((member_id, day)) = member else {
        return Ok(None);
    };
    w.tx.prepare_cached("UPDATE activities SET voided_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    let held: i64 = w
        .tx
        .prepare_cached("SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE activity_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    super::rollups::add(w, member_id, &day, -1, -held)?;
    Ok(Some((member_id, held)))
}

/// Live (not voided) activities of a member with this reference (`event:12`).
pub fn live_by_ref(r: &Read<'_>, member_id: i64, reference: &str) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id FROM activities WHERE ref = ?2 AND member_id = ?1 AND voided_at IS NULL",
    )?;
    let rows = stmt.query_map(params![member_id, reference], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn balance(r: &Read<'_>, member_id: i64) -> Result<i64> {
    Ok(r.conn
        .prepare_cached("SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE member_id = ?1")?
        .query_row([member_id], |r| r.get(0))?)
}

/// Balances of several members at once (missing means 0).
pub fn balances(r: &Read<'_>, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, sum(delta) FROM points_ledger WHERE member_id = ?1 GROUP BY member_id",
    )?;
    let mut out = HashMap::new();
    for id in ids {
        if let Some((m, b)) = stmt
            .query_row([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .optional()?
        {
            out.insert(m, b);
        }
    }
    Ok(out)
}

/// The best earners, with the points they earned (redemptions are spending, not earning).
/// `since` is (first local day, the UTC stamp it starts at): activities count by the day they
/// happened, other ledger rows (grants, deductions, claw-backs) by when they were written. An
/// activity taken back counts in neither window, nor does the reversal of its points. Ties: by
/// name, then id.
///
/// Summed per member in memory: the activities' points from the rollups (`member_totals` for all
/// time, the window's `member_days` rows from their day index), the few ledger rows not tied to
/// an activity from their own index; only the members at the top are read.
pub fn leaderboard(
    r: &Read<'_>,
    since: Option<(&str, &str)>,
    limit: u32,
) -> Result<Vec<(i64, String, i64)>> {
    let mut earned = vec![0i64; super::dashboard::max_member_id(r)? as usize + 1];
    let mut add = |id: i64, points: i64| {
        if let Some(e) = earned.get_mut(id as usize) {
            *e += points;
        }
    };
    match since {
        None => super::dashboard::each_total(r, |id, _, points| add(id, points))?,
        Some((day, _)) => {
            super::dashboard::each_member_day(r, day, "9999", |_, id, _, points| add(id, points))?
        }
    }
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, delta FROM points_ledger INDEXED BY points_unlinked_by_time
          WHERE activity_id IS NULL AND created_at >= ?1
            AND reason NOT IN ('redeem', 'redeem_undo')",
    )?;
    let mut rows = stmt.query([since.map_or("", |(_, at)| at)])?;
    while let Some(row) = rows.next()? {
        add(row.get(0)?, row.get(1)?);
    }
    let mut best: Vec<(i64, i64)> = earned
        .iter()
        .enumerate()
        .filter(|(_, &p)| p > 0)
        .map(|(id, &p)| (p, id as i64))
        .collect();
    best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Equal totals in name order; members in the trash left out.
    let mut member = r.conn.prepare_cached(
        "SELECT sort_key, display_name FROM members WHERE id = ?1 AND deleted_at IS NULL",
    )?;
    let mut out = Vec::with_capacity(limit as usize);
    for group in best.chunk_by(|a, b| a.0 == b.0) {
        let mut named: Vec<(String, i64, String, i64)> = Vec::with_capacity(group.len());
        for &(points, id) in group {
            if let Some((key, name)) = member
                .query_row([id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            {
                named.push((key, id, name, points));
            }
        }
        named.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, id, name, points) in named {
            if out.len() == limit as usize {
                return Ok(out);
            }
            out.push((id, name, points));
        }
        if out.len() == limit as usize {
            break;
        }
    }
    Ok(out)
}

pub fn levels(r: &Read<'_>) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = r
        .conn
        .prepare_cached("SELECT threshold, name_zh, name_en FROM levels ORDER BY threshold")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A member's presence: distinct active days on or after each of the given days, and the last
/// active day.
pub fn presence(
    r: &Read<'_>,
    member_id: i64,
    since: [&str; 3],
) -> Result<([u32; 3], Option<String>)> {
    let row = r
        .conn
        .prepare_cached(
            "SELECT count(DISTINCT CASE WHEN day >= ?2 THEN day END),
                    count(DISTINCT CASE WHEN day >= ?3 THEN day END),
                    count(DISTINCT CASE WHEN day >= ?4 THEN day END),
                    max(day)
               FROM activities WHERE member_id = ?1 AND voided_at IS NULL",
        )?
        .query_row(params![member_id, since[0], since[1], since[2]], |r| {
            Ok(([r.get(0)?, r.get(1)?, r.get(2)?], r.get(3)?))
        })?;
    Ok(row)
}

/// One logged activity as the member's history shows it.
pub struct ActivityRow {
    pub id: i64,
    pub kind: String,
    pub occurred_at: String,
    pub note: String,
    pub points: i64,
    pub voided: bool,
}

pub fn member_activities(r: &Read<'_>, member_id: i64, limit: u32) -> Result<Vec<ActivityRow>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT a.id, a.kind, a.occurred_at, a.note,
                coalesce((SELECT sum(delta) FROM points_ledger p
                           WHERE p.activity_id = a.id AND p.reason = 'activity'), 0),
                a.voided_at IS NOT NULL
           FROM activities a WHERE a.member_id = ?1
          ORDER BY a.occurred_at DESC, a.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![member_id, limit], |r| {
        Ok(ActivityRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            occurred_at: r.get(2)?,
            note: r.get(3)?,
            points: r.get(4)?,
            voided: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Manual grants and deductions of a member (with their reasons), newest first.
pub fn adjustments(r: &Read<'_>, member_id: i64) -> Result<Vec<(i64, String, String, String)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT delta, reason, note, created_at FROM points_ledger
          WHERE member_id = ?1 AND reason IN ('grant', 'deduct', 'redeem', 'redeem_undo', 'clawback', 'clawback_undo')
          ORDER BY created_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([member_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Gives the merged member's activities and points to the member kept, remembering which.
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    for (kind, table) in [("activity", "activities"), ("points", "points_ledger")] {
        w.tx.prepare_cached(&format!(
            "INSERT INTO merge_engagement (merge_id, kind, row_id)
             SELECT ?1, ?2, id FROM {table} WHERE member_id = ?3"
        ))?
        .execute(params![merge_id, kind, merged_id])?;
        w.tx.prepare_cached(&format!(
            "UPDATE {table} SET member_id = ?3 WHERE id IN
               (SELECT row_id FROM merge_engagement WHERE merge_id = ?1 AND kind = ?2)"
        ))?
        .execute(params![merge_id, kind, kept_id])?;
    }
    Ok(())
}

/// Undoes [`move_on_merge`].
pub fn unmove_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64) -> Result<()> {
    for (kind, table) in [("activity", "activities"), ("points", "points_ledger")] {
        w.tx.prepare_cached(&format!(
            "UPDATE {table} SET member_id = ?3 WHERE id IN
               (SELECT row_id FROM merge_engagement WHERE merge_id = ?1 AND kind = ?2)"
        ))?
        .execute(params![merge_id, kind, merged_id])?;
    }
    w.tx.prepare_cached("DELETE FROM merge_engagement WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}

/// Whether the member already has a live activity of this kind at exactly this time (an activity
/// list imported twice logs nothing the second time).
pub fn logged_at(r: &Read<'_>, member_id: i64, kind: &str, occurred_at: &str) -> Result<bool> {
    Ok(r.conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM activities
                             WHERE member_id = ?1 AND kind = ?2 AND occurred_at = ?3
                               AND voided_at IS NULL)",
        )?
        .query_row(params![member_id, kind, occurred_at], |r| r.get(0))?)
}

/// Live activities recorded with this source (`import:12`) as (activity, member), for undoing an
/// activity import.
pub fn live_by_source(r: &Read<'_>, source: &str) -> Result<Vec<(i64, i64)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, member_id FROM activities WHERE source = ?1 AND voided_at IS NULL",
    )?;
    let rows = stmt.query_map([source], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a kind (new key) or changes its names, points and daily cap; weights and voices are the
/// lifecycle rules' to change.
pub fn save_kind(w: &mut Write<'_>, kind: &ActivityKind) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO activity_kinds (key, name_zh, name_en, weight, points, daily_cap, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                 (SELECT coalesce(max(position), 0) + 1 FROM activity_kinds))
         ON CONFLICT (key) DO UPDATE SET name_zh = ?2, name_en = ?3, points = ?5, daily_cap = ?6",
    )?
    .execute(params![
        kind.key,
        kind.name_zh,
        kind.name_en,
        kind.weight,
        kind.points,
        kind.daily_cap
    ])?;
    Ok(())
}
