//! Lifecycle tables: the rules (one row), each member's stored stage with its override and
//! opinion-leader flag, and the history of stage changes. What a stage *is* is decided in
//! `ops::lifecycle`; this module only moves rows.
//!
//! Days cross this module as numbers (days since 1970-01-01) because the full recompute compares
//! half a million rows; they are `YYYY-MM-DD` text in the database.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{Cause, KindRule, Rules, Stage, StageChange};
use crate::error::{Error, ErrorCode, Result};

/// The words a cause is stored as.
impl Cause {
    fn as_str(self) -> &'static str {
        match self {
            Cause::Promotion => "promotion",
            Cause::Demotion => "demotion",
            Cause::Override => "override",
            Cause::OverrideCleared => "override_cleared",
        }
    }

    fn parse(s: &str) -> Cause {
        match s {
            "promotion" => Cause::Promotion,
            "demotion" => Cause::Demotion,
            "override" => Cause::Override,
            _ => Cause::OverrideCleared,
        }
    }
}

pub fn rules(r: &Read<'_>) -> Result<Rules> {
    let mut rules = r
        .conn
        .prepare_cached(
            "SELECT active_week_days, active_month_days, loyal_month_days, core_month_days,
                    core_quarter_days, new_days, dormant_after_days, churned_after_days,
                    demotion_hold_days, day_weight, leader_voices, leader_window_days
               FROM lifecycle_rules WHERE id = 1",
        )?
        .query_row([], |row| {
            Ok(Rules {
                active_week_days: row.get(0)?,
                active_month_days: row.get(1)?,
                loyal_month_days: row.get(2)?,
                core_month_days: row.get(3)?,
                core_quarter_days: row.get(4)?,
                new_days: row.get(5)?,
                dormant_after_days: row.get(6)?,
                churned_after_days: row.get(7)?,
                demotion_hold_days: row.get(8)?,
                day_weight: row.get(9)?,
                leader_voices: row.get(10)?,
                leader_window_days: row.get(11)?,
                kinds: Vec::new(),
            })
        })?;
    let mut stmt = r.conn.prepare_cached(
        "SELECT key, name_zh, name_en, weight, voice FROM activity_kinds ORDER BY position, key",
    )?;
    let kinds = stmt.query_map([], |row| {
        Ok(KindRule {
            key: row.get(0)?,
            name_zh: row.get(1)?,
            name_en: row.get(2)?,
            weight: row.get(3)?,
            voice: row.get(4)?,
        })
    })?;
    rules.kinds = kinds.collect::<rusqlite::Result<_>>()?;
    Ok(rules)
}

/// Saves the rules and the weights of the kinds they name; an unknown kind is refused.
pub fn save_rules(w: &mut Write<'_>, rules: &Rules, now: &str) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE lifecycle_rules SET active_week_days = ?1, active_month_days = ?2,
                loyal_month_days = ?3, core_month_days = ?4, core_quarter_days = ?5,
                new_days = ?6, dormant_after_days = ?7, churned_after_days = ?8,
                demotion_hold_days = ?9, day_weight = ?10, leader_voices = ?11,
                leader_window_days = ?12, updated_at = ?13
          WHERE id = 1",
    )?
    .execute(params![
        rules.active_week_days,
        rules.active_month_days,
        rules.loyal_month_days,
        rules.core_month_days,
        rules.core_quarter_days,
        rules.new_days,
        rules.dormant_after_days,
        rules.churned_after_days,
        rules.demotion_hold_days,
        rules.day_weight,
        rules.leader_voices,
        rules.leader_window_days,
        now
    ])?;
    for kind in &rules.kinds {
        let changed = w
            .tx
            .prepare_cached("UPDATE activity_kinds SET weight = ?2, voice = ?3 WHERE key = ?1")?
            .execute(params![kind.key, kind.weight, kind.voice])?;
        if changed == 0 {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("“{}” is not an activity kind", kind.key),
            )
            .with_field("kind")
            .with_param("value", &kind.key));
        }
    }
    Ok(())
}

/// The day of the last full recompute.
pub fn computed_on(r: &Read<'_>) -> Result<Option<i32>> {
    let day: Option<String> = r
        .conn
        .prepare_cached("SELECT computed_on FROM lifecycle_rules WHERE id = 1")?
        .query_row([], |row| row.get(0))?;
    Ok(day.as_deref().and_then(|d| parse_day(d.as_bytes())))
}

pub fn set_computed_on(w: &mut Write<'_>, day: i32) -> Result<()> {
    w.tx.prepare_cached("UPDATE lifecycle_rules SET computed_on = ?1 WHERE id = 1")?
        .execute([day_string(day)])?;
    Ok(())
}

/// Forgets every stored stage and all history (the demo, on a database it just filled, before
/// replaying the year).
pub fn clear(w: &mut Write<'_>) -> Result<()> {
    w.tx.execute_batch("DELETE FROM stage_history; DELETE FROM member_lifecycle;")?;
    Ok(())
}

/// A member's stored lifecycle row.
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleRow {
    pub member_id: i64,
    pub stage: Stage,
    pub since: i32,
    pub lower_since: Option<i32>,
    pub computed_stage: Stage,
    pub override_stage: Option<Stage>,
    pub override_reason: String,
    pub override_at: Option<String>,
    pub opinion_leader: bool,
    pub opinion_leader_manual: Option<bool>,
    pub opinion_leader_reason: String,
    pub last_active: Option<i32>,
    pub computed_on: i32,
}

impl LifecycleRow {
    /// The stage everyone sees: the manager's override, else the stored stage.
    pub fn effective(&self) -> Stage {
        self.override_stage.unwrap_or(self.stage)
    }

    pub fn effective_leader(&self) -> bool {
        self.opinion_leader_manual.unwrap_or(self.opinion_leader)
    }
}

const ROW_COLUMNS: &str = "member_id, stage, since, lower_since, computed_stage, override_stage,
    override_reason, override_at, opinion_leader, opinion_leader_manual, opinion_leader_reason,
    last_active, computed_on";

fn row_from(row: &Row<'_>) -> rusqlite::Result<LifecycleRow> {
    let stage = |i: usize| -> rusqlite::Result<Stage> {
        let text = row.get_ref(i)?.as_str()?;
        Stage::parse(text).ok_or_else(|| bad_text(i, text))
    };
    let day = |i: usize| -> rusqlite::Result<Option<i32>> {
        Ok(row
            .get_ref(i)?
            .as_str_or_null()?
            .and_then(|d| parse_day(d.as_bytes())))
    };
    Ok(LifecycleRow {
        member_id: row.get(0)?,
        stage: stage(1)?,
        since: day(2)?.unwrap_or_default(),
        lower_since: day(3)?,
        computed_stage: stage(4)?,
        override_stage: match row.get_ref(5)?.as_str_or_null()? {
            Some(text) => Some(Stage::parse(text).ok_or_else(|| bad_text(5, text))?),
            None => None,
        },
        override_reason: row.get(6)?,
        override_at: row.get(7)?,
        opinion_leader: row.get(8)?,
        opinion_leader_manual: row.get(9)?,
        opinion_leader_reason: row.get(10)?,
        last_active: day(11)?,
        computed_on: day(12)?.unwrap_or_default(),
    })
}

fn bad_text(column: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("not a stage: {text}").into(),
    )
}

pub fn row(r: &Read<'_>, member_id: i64) -> Result<Option<LifecycleRow>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM member_lifecycle WHERE member_id = ?1"
        ))?
        .query_row([member_id], row_from)
        .optional()?)
}

/// Every stored row, in member order.
pub fn all_rows(r: &Read<'_>) -> Result<Vec<LifecycleRow>> {
    rows_between(r, i64::MIN, i64::MAX)
}

/// Stored rows of members `lo..=hi`, in member order.
pub fn rows_between(r: &Read<'_>, lo: i64, hi: i64) -> Result<Vec<LifecycleRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM member_lifecycle WHERE member_id BETWEEN ?1 AND ?2
          ORDER BY member_id"
    ))?;
    let rows = stmt.query_map([lo, hi], row_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes what the rules computed (stage, since, lower_since, computed stage, opinion leader, last
/// active day) into a new row (`exists` false) or the member's row; the manager's overrides are
/// left as they are. (Not an UPSERT: SQLite builds a scratch table for each one, which doubles
/// the cost of rewriting half a million rows.)
pub fn write_computed(w: &mut Write<'_>, row: &LifecycleRow, exists: bool) -> Result<()> {
    let sql = if exists {
        "UPDATE member_lifecycle SET stage = ?2, since = ?3, lower_since = ?4,
                computed_stage = ?5, opinion_leader = ?6, last_active = ?7, computed_on = ?8
          WHERE member_id = ?1"
    } else {
        "INSERT INTO member_lifecycle (member_id, stage, since, lower_since, computed_stage,
                                       opinion_leader, last_active, computed_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    };
    w.tx.prepare_cached(sql)?.execute(params![
        row.member_id,
        row.stage.as_str(),
        day_string(row.since),
        row.lower_since.map(day_string),
        row.computed_stage.as_str(),
        row.opinion_leader,
        row.last_active.map(day_string),
        day_string(row.computed_on),
    ])?;
    Ok(())
}

/// Sets (or clears, with `None`) the manager's stage for a member whose row exists.
pub fn set_override(
    w: &mut Write<'_>,
    member_id: i64,
    stage: Option<Stage>,
    reason: &str,
    at: Option<&str>,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE member_lifecycle SET override_stage = ?2, override_reason = ?3, override_at = ?4
          WHERE member_id = ?1",
    )?
    .execute(params![member_id, stage.map(Stage::as_str), reason, at])?;
    Ok(())
}

/// Sets (or clears, with `None`) the manager's opinion-leader flag for a member whose row exists.
pub fn set_leader_manual(
    w: &mut Write<'_>,
    member_id: i64,
    flag: Option<bool>,
    reason: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE member_lifecycle SET opinion_leader_manual = ?2, opinion_leader_reason = ?3
          WHERE member_id = ?1",
    )?
    .execute(params![member_id, flag, reason])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn insert_history(
    w: &mut Write<'_>,
    member_id: i64,
    from: Stage,
    to: Stage,
    day: i32,
    cause: Cause,
    note: &str,
    now: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO stage_history (member_id, from_stage, to_stage, day, cause, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        member_id,
        from.as_str(),
        to.as_str(),
        day_string(day),
        cause.as_str(),
        note,
        now
    ])?;
    Ok(())
}

/// A member's stage changes, newest first.
pub fn history(r: &Read<'_>, member_id: i64) -> Result<Vec<StageChange>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, member_id, from_stage, to_stage, day, cause, note, created_at
           FROM stage_history WHERE member_id = ?1 ORDER BY day DESC, id DESC",
    )?;
    let rows = stmt.query_map([member_id], |row| {
        let stage = |i: usize| -> rusqlite::Result<Stage> {
            let text = row.get_ref(i)?.as_str()?;
            Stage::parse(text).ok_or_else(|| bad_text(i, text))
        };
        Ok(StageChange {
            id: row.get(0)?,
            member_id: row.get(1)?,
            from_stage: stage(2)?,
            to_stage: stage(3)?,
            day: row.get(4)?,
            cause: Cause::parse(row.get_ref(5)?.as_str()?),
            note: row.get(6)?,
            created_at: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live members (not in the trash) with the day they joined, in id order.
pub fn live_members(r: &Read<'_>) -> Result<Vec<(i64, Option<i32>)>> {
    // Without ORDER BY SQLite reads the small covering index (joined_at, id) instead of every
    // member's whole row; sorting half a million pairs afterwards is cheaper.
    let mut stmt = r
        .conn
        .prepare("SELECT id, joined_at FROM members WHERE deleted_at IS NULL")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let joined = row
            .get_ref(1)?
            .as_bytes_or_null()
            .map_err(rusqlite::Error::from)?
            .and_then(parse_day);
        out.push((row.get(0)?, joined));
    }
    out.sort_unstable_by_key(|(id, _)| *id);
    Ok(out)
}

/// Live members `lo..=hi` with the day they joined, in id order.
pub fn live_members_between(r: &Read<'_>, lo: i64, hi: i64) -> Result<Vec<(i64, Option<i32>)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, joined_at FROM members WHERE id BETWEEN ?1 AND ?2 AND deleted_at IS NULL
          ORDER BY id",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let joined = row
            .get_ref(1)?
            .as_bytes_or_null()
            .map_err(rusqlite::Error::from)?
            .and_then(parse_day);
        out.push((row.get(0)?, joined));
    }
    Ok(out)
}

/// A live member's joining day: `None` when there is no such live member, `Some(None)` when the
/// member has no joining date.
pub fn live_member(r: &Read<'_>, member_id: i64) -> Result<Option<Option<i32>>> {
    let joined: Option<Option<String>> = r
        .conn
        .prepare_cached("SELECT joined_at FROM members WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([member_id], |row| row.get(0))
        .optional()?;
    Ok(joined.map(|j| j.and_then(|j| parse_day(j.as_bytes()))))
}

/// The id range of sorted member ids when they are many and close together (a range scan then
/// beats a lookup per id): how bulk writes (a log for many members, their badges and stages)
/// decide between one pass over a range and a lookup per member.
pub fn dense(ids: &[i64]) -> Option<(i64, i64)> {
    let (&lo, &hi) = (ids.first()?, ids.last()?);
    (ids.len() >= 32 && ((hi - lo) as u64) < ids.len() as u64 * 4).then_some((lo, hi))
}

/// The live ones of these sorted ids, with their joining days.
pub fn live_of(r: &Read<'_>, ids: &[i64]) -> Result<Vec<(i64, Option<i32>)>> {
    if let Some((lo, hi)) = dense(ids) {
        let mut all = live_members_between(r, lo, hi)?;
        all.retain(|(id, _)| ids.binary_search(id).is_ok());
        return Ok(all);
    }
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(joined) = live_member(r, id)? {
            out.push((id, joined));
        }
    }
    Ok(out)
}

/// Every live activity of members `lo..=hi` as (member, day, kind), in member then day order:
/// one pass over the covering index `activities_by_member`.
pub fn scan_activities(
    r: &Read<'_>,
    (lo, hi): (i64, i64),
    mut f: impl FnMut(i64, i32, &str) -> Result<()>,
) -> Result<u64> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, day, kind FROM activities
          WHERE member_id BETWEEN ?1 AND ?2 AND voided_at IS NULL
          ORDER BY member_id, day",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let Some(day) = parse_day(bytes(row, 1)?) else {
            continue;
        };
        f(row.get(0)?, day, text(row, 2)?)?;
        n += 1;
    }
    Ok(n)
}

/// One member's live activities as (day, kind), in day order.
pub fn member_activities(r: &Read<'_>, member_id: i64, mut f: impl FnMut(i32, &str)) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT day, kind FROM activities WHERE member_id = ?1 AND voided_at IS NULL
          ORDER BY day",
    )?;
    let mut rows = stmt.query([member_id])?;
    while let Some(row) = rows.next()? {
        if let Some(day) = parse_day(bytes(row, 0)?) {
            f(day, text(row, 1)?);
        }
    }
    Ok(())
}

/// Live members without a stored row (new since the last recompute).
pub fn unassessed(r: &Read<'_>) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT m.id FROM members m
          WHERE m.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM member_lifecycle l WHERE l.member_id = m.id)",
    )?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stored rows of live members, counted.
pub struct StoredCounts {
    /// Per stage everyone sees (the override, else the stored stage).
    pub per_stage: Vec<(Stage, u32)>,
    pub leaders: u32,
    pub overridden: u32,
}

/// Live members per effective stage, and how many are opinion leaders / overridden.
pub fn counts(r: &Read<'_>) -> Result<StoredCounts> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT coalesce(l.override_stage, l.stage), count(*),
                sum(coalesce(l.opinion_leader_manual, l.opinion_leader)),
                sum(l.override_stage IS NOT NULL)
           FROM member_lifecycle l JOIN members m ON m.id = l.member_id
          WHERE m.deleted_at IS NULL
          GROUP BY 1",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = StoredCounts {
        per_stage: Vec::new(),
        leaders: 0,
        overridden: 0,
    };
    while let Some(row) = rows.next()? {
        if let Some(stage) = Stage::parse(text(row, 0)?) {
            out.per_stage.push((stage, row.get(1)?));
        }
        out.leaders += row.get::<_, u32>(2)?;
        out.overridden += row.get::<_, u32>(3)?;
    }
    Ok(out)
}

/// Live members whose last active day is in `[from, to]` (inclusive), with their effective
/// stage: (id, name, stage, last active).
pub fn last_active_between(
    r: &Read<'_>,
    from: i32,
    to: i32,
) -> Result<Vec<(i64, String, Stage, i32)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT l.member_id, m.display_name, coalesce(l.override_stage, l.stage), l.last_active
           FROM member_lifecycle l JOIN members m ON m.id = l.member_id
          WHERE l.last_active BETWEEN ?1 AND ?2 AND m.deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([day_string(from), day_string(to)])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let stage = Stage::parse(text(row, 2)?);
        let last = parse_day(bytes(row, 3)?);
        if let (Some(stage), Some(last)) = (stage, last) {
            out.push((row.get(0)?, row.get(1)?, stage, last));
        }
    }
    Ok(out)
}

fn text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}

fn bytes<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    Ok(row.get_ref(i)?.as_bytes()?)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD…` text (anything after the date is ignored, so an
/// RFC 3339 stamp gives its own calendar date).
pub fn parse_day(s: &[u8]) -> Option<i32> {
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let num = |a: &[u8]| -> Option<i32> {
        a.iter().try_fold(0i32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(&s[0..4])?, num(&s[5..7])?, num(&s[8..10])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day number.
pub fn day_string(day: i32) -> String {
    let (y, m, d) = crate::clock::civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days from 0001-01-01 (chrono's count) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - EPOCH_FROM_CE
}

pub fn day_date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + EPOCH_FROM_CE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(parse_day(b"1970-01-01"), Some(0));
        assert_eq!(parse_day(b"2026-11-25T09:30:00Z"), Some(20_782));
        for n in [-1000, 0, 59, 60, 365, 11_016, 20_782, 30_000] {
            assert_eq!(parse_day(day_string(n).as_bytes()), Some(n));
            assert_eq!(day_number(day_date(n)), n);
        }
        assert_eq!(day_string(20_782), "2026-11-25");
        assert_eq!(parse_day(b"2026-13-01"), None);
        assert_eq!(parse_day(b"20261101"), None);
    }
}
