//! The rollups of the activities ledger (migrations 0021 and 0024): `member_days` (per counted
//! member and local day: live activities and the net points the ledger holds for them),
//! `daily_totals` (their sums per day, with the number of active members) and `member_totals`
//! (their sums per member, with the member's last active day).
//!
//! Who keeps them current, always inside the writing transaction:
//! - every write to `activities` or to activity-linked `points_ledger` rows goes through
//!   `store::engagement`, which calls [`add`] / [`add_many`] here;
//! - member-level changes (merge and its undo, trash, restore) reach [`refresh_members`] through
//!   `ops::consequences` (the `rollups` feature of `ops::dashboard`);
//! - a member deleted for good (erase, an import's undo) leaves the totals by the SQL trigger of
//!   the migration, and their rows go with the foreign key.
//!
//! [`rebuild`] recomputes the three tables from the ledger and says how many rows were off.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{params, OptionalExtension};

use super::{Read, Write};
use crate::error::Result;

/// Adds `activities` (may be negative) and `points` to a member's day, when the member counts
/// (live, not merged away), and keeps the day's totals in step.
pub fn add(
    w: &mut Write<'_>,
    member_id: i64,
    day: &str,
    activities: i64,
    points: i64,
) -> Result<()> {
    if activities == 0 && points == 0 {
        return Ok(());
    }
    let before: Option<i64> = w
        .tx
        .prepare_cached("SELECT activities FROM member_days WHERE member_id = ?1 AND day = ?2")?
        .query_row(params![member_id, day], |r| r.get(0))
        .optional()?;
    let after = match before {
        Some(n) if n + activities <= 0 => 0,
        Some(n) => {
            w.tx.prepare_cached(
                "UPDATE member_days SET activities = activities + ?3, points = points + ?4
                  WHERE member_id = ?1 AND day = ?2",
            )?
            .execute(params![member_id, day, activities, points])?;
            n + activities
        }
        // A new row, for a member who counts (live, not merged away); nothing otherwise.
        None if activities > 0 => {
            let inserted =
                w.tx.prepare_cached(
                    "INSERT INTO member_days (member_id, day, activities, points)
                     SELECT ?1, ?2, ?3, ?4
                      WHERE EXISTS (SELECT 1 FROM members WHERE id = ?1 AND deleted_at IS NULL)",
                )?
                .execute(params![member_id, day, activities, points])?;
            if inserted == 0 {
                return Ok(());
            }
            activities
        }
        None => return Ok(()),
    };
    let active = if before.is_none() {
        1
    } else if after == 0 {
        w.tx.prepare_cached("DELETE FROM member_days WHERE member_id = ?1 AND day = ?2")?
            .execute(params![member_id, day])?;
        -1
    } else {
        0
    };
    add_to_day(w, day, activities, active, points)?;
    refresh_totals(w, member_id)
}

/// Recomputes a member's `member_totals` row from their `member_days` rows (a seek on the
/// primary key; no row when they have none).
fn refresh_totals(w: &mut Write<'_>, member_id: i64) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM member_totals WHERE member_id = ?1")?
        .execute([member_id])?;
    w.tx.prepare_cached(
        "INSERT INTO member_totals (member_id, activities, points, last_day)
         SELECT member_id, sum(activities), sum(points), max(day) FROM member_days
          WHERE member_id = ?1 GROUP BY member_id",
    )?
    .execute([member_id])?;
    Ok(())
}

fn add_to_day(
    w: &mut Write<'_>,
    day: &str,
    activities: i64,
    active: i64,
    points: i64,
) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO daily_totals (day, activities, active_members, points) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (day) DO UPDATE
            SET activities = activities + excluded.activities,
                active_members = active_members + excluded.active_members,
                points = points + excluded.points",
    )?
    .execute(params![day, activities, active, points])?;
    if active < 0 {
        w.tx.prepare_cached("DELETE FROM daily_totals WHERE day = ?1 AND active_members <= 0")?
            .execute([day])?;
    }
    Ok(())
}

/// Adds freshly logged activities of live members in bulk: (member, day, points earned) per
/// activity, any order.
pub fn add_many<'a>(
    w: &mut Write<'_>,
    rows: impl IntoIterator<Item = (i64, &'a str, i64)>,
) -> Result<()> {
    let mut groups: HashMap<(i64, &str), (i64, i64)> = HashMap::new();
    // Per member: activities, points, last day.
    let mut members: HashMap<i64, (i64, i64, &str)> = HashMap::new();
    for (member_id, day, points) in rows {
        let g = groups.entry((member_id, day)).or_insert((0, 0));
        g.0 += 1;
        g.1 += points;
        let m = members.entry(member_id).or_insert((0, 0, day));
        m.0 += 1;
        m.1 += points;
        m.2 = m.2.max(day);
    }
    let mut days: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
    {
        let mut stmt = w.tx.prepare_cached(
            "INSERT INTO member_days (member_id, day, activities, points) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (member_id, day) DO UPDATE
                SET activities = activities + excluded.activities,
                    points = points + excluded.points
             RETURNING activities",
        )?;
        for (&(member_id, day), &(n, points)) in &groups {
            let after: i64 = stmt.query_row(params![member_id, day, n, points], |r| r.get(0))?;
            let d = days.entry(day).or_insert((0, 0, 0));
            d.0 += n;
            // A new row holds exactly what was added.
            d.1 += i64::from(after == n);
            d.2 += points;
        }
    }
    for (day, (n, active, points)) in days {
        add_to_day(w, day, n, active, points)?;
    }
    let mut stmt = w.tx.prepare_cached(
        "INSERT INTO member_totals (member_id, activities, points, last_day)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (member_id) DO UPDATE
            SET activities = activities + excluded.activities,
                points = points + excluded.points,
                last_day = max(last_day, excluded.last_day)",
    )?;
    for (member_id, (n, points, last)) in members {
        stmt.execute(params![member_id, n, points, last])?;
    }
    Ok(())
}

/// Recomputes every row of these members from the ledger (none for a member who does not count)
/// and moves the totals of the days concerned by the difference.
pub fn refresh_members(w: &mut Write<'_>, ids: &[i64]) -> Result<()> {
    for &id in ids {
        // Out of the totals with the old rows…
        w.tx.prepare_cached(
            "UPDATE daily_totals
                SET activities = daily_totals.activities - d.activities,
                    points = daily_totals.points - d.points,
                    active_members = daily_totals.active_members - 1
               FROM (SELECT day, activities, points FROM member_days WHERE member_id = ?1) d
              WHERE daily_totals.day = d.day",
        )?
        .execute([id])?;
        w.tx.prepare_cached("DELETE FROM member_days WHERE member_id = ?1")?
            .execute([id])?;
        // …and back in with the new ones.
        w.tx.prepare_cached(
            "INSERT INTO member_days (member_id, day, activities, points)
             SELECT a.member_id, a.day, count(*),
                    coalesce(sum((SELECT sum(p.delta) FROM points_ledger p
                                   WHERE p.activity_id = a.id)), 0)
               FROM activities a INDEXED BY activities_by_member
              WHERE a.member_id = ?1 AND a.voided_at IS NULL
                AND EXISTS (SELECT 1 FROM members WHERE id = ?1 AND deleted_at IS NULL)
              GROUP BY a.day",
        )?
        .execute([id])?;
        w.tx.prepare_cached(
            "INSERT INTO daily_totals (day, activities, active_members, points)
             SELECT day, activities, 1, points FROM member_days WHERE member_id = ?1
             ON CONFLICT (day) DO UPDATE
                SET activities = activities + excluded.activities,
                    active_members = active_members + 1,
                    points = points + excluded.points",
        )?
        .execute([id])?;
        refresh_totals(w, id)?;
    }
    w.tx.prepare_cached("DELETE FROM daily_totals WHERE active_members <= 0")?
        .execute([])?;
    Ok(())
}

/// The three tables as stored: member_days, daily_totals as (day, activities, active, points),
/// member_totals as (member, activities, points, last day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollups {
    pub member_days: Vec<(i64, String, i64, i64)>,
    pub days: Vec<(String, i64, i64, i64)>,
    pub totals: Vec<(i64, i64, i64, String)>,
}

pub fn stored(r: &Read<'_>) -> Result<Rollups> {
    read_all(
        r,
        "SELECT member_id, day, activities, points FROM member_days ORDER BY member_id, day",
        "SELECT day, activities, active_members, points FROM daily_totals ORDER BY day",
        "SELECT member_id, activities, points, last_day FROM member_totals ORDER BY member_id",
    )
}

/// The three tables as the ledger says they should be, computed from scratch.
pub fn computed(r: &Read<'_>) -> Result<Rollups> {
    read_all(
        r,
        "SELECT a.member_id, a.day, count(*),
                coalesce(sum((SELECT sum(p.delta) FROM points_ledger p
                               WHERE p.activity_id = a.id)), 0)
           FROM activities a JOIN members m ON m.id = a.member_id
          WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
          GROUP BY a.member_id, a.day ORDER BY a.member_id, a.day",
        "SELECT a.day, count(*), count(DISTINCT a.member_id),
                coalesce(sum((SELECT sum(p.delta) FROM points_ledger p
                               WHERE p.activity_id = a.id)), 0)
           FROM activities a JOIN members m ON m.id = a.member_id
          WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
          GROUP BY a.day ORDER BY a.day",
        "SELECT a.member_id, count(*),
                coalesce(sum((SELECT sum(p.delta) FROM points_ledger p
                               WHERE p.activity_id = a.id)), 0),
                max(a.day)
           FROM activities a JOIN members m ON m.id = a.member_id
          WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
          GROUP BY a.member_id ORDER BY a.member_id",
    )
}

fn read_all(r: &Read<'_>, members_sql: &str, days_sql: &str, totals_sql: &str) -> Result<Rollups> {
    use rusqlite::types::FromSql;
    fn rows<A: FromSql, B: FromSql, C: FromSql, D: FromSql>(
        r: &Read<'_>,
        sql: &str,
    ) -> Result<Vec<(A, B, C, D)>> {
        let mut stmt = r.conn.prepare(sql)?;
        let out = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }
    Ok(Rollups {
        member_days: rows(r, members_sql)?,
        days: rows(r, days_sql)?,
        totals: rows(r, totals_sql)?,
    })
}

/// Replaces both tables with what the ledger says; returns how many rows were off (missing,
/// extra or different) before.
pub fn rebuild(w: &mut Write<'_>) -> Result<u64> {
    let stored = stored(&w.read())?;
    let computed = computed(&w.read())?;
    let off = differences(&stored.member_days, &computed.member_days)
        + differences(&stored.days, &computed.days)
        + differences(&stored.totals, &computed.totals);
    w.tx.execute_batch(
        "DELETE FROM member_days;
         DELETE FROM daily_totals;
         DELETE FROM member_totals;
         INSERT INTO member_days (member_id, day, activities, points)
         SELECT a.member_id, a.day, count(*),
                coalesce(sum((SELECT sum(p.delta) FROM points_ledger p
                               WHERE p.activity_id = a.id)), 0)
           FROM activities a JOIN members m ON m.id = a.member_id
          WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
          GROUP BY a.member_id, a.day;
         INSERT INTO daily_totals (day, activities, active_members, points)
         SELECT day, sum(activities), count(*), sum(points) FROM member_days GROUP BY day;
         INSERT INTO member_totals (member_id, activities, points, last_day)
         SELECT member_id, sum(activities), sum(points), max(day) FROM member_days
          GROUP BY member_id;",
    )?;
    Ok(off)
}

/// Rows in one list and not the other (a changed row counts on both sides).
fn differences<T: Ord + Clone>(a: &[T], b: &[T]) -> u64 {
    let a: BTreeSet<&T> = a.iter().collect();
    let b: BTreeSet<&T> = b.iter().collect();
    a.symmetric_difference(&b).count() as u64
}
