//! segments, segment_snapshots, segment_members: saved filters, their daily membership and the
//! members added to them by hand, plus the SQL a [`MemberFilter`] becomes (shared by the member
//! list, segment counts, snapshots and exports).
//!
//! Every condition is an `EXISTS` / `NOT EXISTS` or a scalar subquery on an indexed table
//! (`activities_by_member`, `points_by_member_delta`, `credit_entries_live`, the primary keys of
//! `member_lifecycle`, `member_custom_values` and `segment_members`), so SQLite walks the members
//! once and probes an index per member: no per-row work in Rust.

use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{Read, Write};
use crate::domain::MemberFilter;
use crate::error::{Error, ErrorCode, Result};

/// The conditions of a member query, every part of which must hold, with the day and instant
/// they are evaluated at (activity windows, new members' stage, credit scores).
pub struct Selection {
    pub parts: Vec<Part>,
    /// The manager's local day.
    pub today: NaiveDate,
    /// `clock::stamp` of now.
    pub now: String,
}

impl Selection {
    /// No conditions: every live member.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// One set of conditions: the board's filter, or a saved segment (its filter OR the members
/// added to it by hand).
pub struct Part {
    /// Cleaned (`ops::segments::clean_filter`).
    pub filter: MemberFilter,
    /// `filter.custom`, checked against the fields' definitions.
    pub custom: Vec<CustomSql>,
    /// Set for a saved segment.
    pub segment: Option<Picked>,
}

/// A saved segment's hand-picked side.
#[derive(Debug, Clone, Copy)]
pub struct Picked {
    pub segment_id: i64,
    /// A hand-picked list: an empty filter adds no one (elsewhere it selects everyone).
    pub is_list: bool,
}

/// A custom-field condition ready for SQL.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomSql {
    /// `None`: the field no longer exists (deleted after the segment was saved), so no member
    /// has a value for it.
    pub field_id: Option<i64>,
    pub test: CustomTest,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CustomTest {
    IsSet,
    IsEmpty,
    /// The stored value equals this, ignoring ASCII case (values are stored canonical).
    Equals(String),
    /// The stored text contains this, ignoring ASCII case.
    Contains(String),
    /// A multiple-choice value carries every one of these options.
    HasOptions(Vec<String>),
    /// The value read as a number compares so with this one.
    Number(Compare, f64),
    /// The `YYYY-MM-DD` value compares so with this day.
    Date(Compare, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Equal,
    AtLeast,
    AtMost,
}

impl Compare {
    fn sql(self) -> &'static str {
        match self {
            Compare::Equal => "=",
            Compare::AtLeast => ">=",
            Compare::AtMost => "<=",
        }
    }
}

fn push(values: &mut Vec<Value>, value: Value) -> String {
    values.push(value);
    format!("?{}", values.len())
}

fn text(values: &mut Vec<Value>, value: &str) -> String {
    push(values, Value::Text(value.to_owned()))
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The conditions on a `members m` row the filter makes, one per part that is set (none for an
/// empty filter), with their values pushed in order.
fn filter_conditions(
    filter: &MemberFilter,
    custom: &[CustomSql],
    today: NaiveDate,
    now: &str,
    values: &mut Vec<Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    let tag_exists = "EXISTS (SELECT 1 FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
                      WHERE mt.member_id = m.id AND t.name";
    for tag in &filter.tags_all {
        let mark = text(values, tag);
        out.push(format!("{tag_exists} = {mark})"));
    }
    let list = |items: &[String], values: &mut Vec<Value>| -> String {
        let marks: Vec<String> = items.iter().map(|item| text(values, item)).collect();
        marks.join(", ")
    };
    if !filter.tags_any.is_empty() {
        let marks = list(&filter.tags_any, values);
        out.push(format!("{tag_exists} IN ({marks}))"));
    }
    if !filter.tags_none.is_empty() {
        let marks = list(&filter.tags_none, values);
        out.push(format!("NOT {tag_exists} IN ({marks}))"));
    }
    for (column, items) in [
        ("role", &filter.roles),
        ("city", &filter.cities),
        ("source", &filter.sources),
    ] {
        if !items.is_empty() {
            let marks = list(items, values);
            out.push(format!("m.{column} IN ({marks})"));
        }
    }
    if let Some(from) = &filter.joined_from {
        let mark = text(values, from);
        out.push(format!("m.joined_at >= {mark}"));
    }
    if let Some(to) = &filter.joined_to {
        // The whole last day counts: compare against the next day's start.
        let mark = text(values, to);
        out.push(format!(
            "m.joined_at < strftime('%Y-%m-%dT00:00:00Z', {mark}, '+1 day')"
        ));
    }
    // "The last N days" are today and the N - 1 before it; later (future-dated) days do not
    // count. The partial index activities_by_member (member_id, day) answers each probe.
    let active_in = |n: u32, values: &mut Vec<Value>| -> String {
        let from = text(values, &day(today - Duration::days(i64::from(n) - 1)));
        let to = text(values, &day(today));
        format!(
            "EXISTS (SELECT 1 FROM activities a WHERE a.member_id = m.id AND a.voided_at IS NULL
                       AND a.day BETWEEN {from} AND {to})"
        )
    };
    if let Some(n) = filter.active_within_days {
        out.push(active_in(n, values));
    }
    if let Some(n) = filter.quiet_for_days {
        out.push(format!("NOT {}", active_in(n, values)));
    }
    if !filter.stages.is_empty() {
        // A member without a stored row was added since the last recompute and has no
        // activities (logging refreshes the row): the rules make them `new` while some day of
        // the demotion hold falls within `new_days` of joining, else `dormant`.
        let today = text(values, &day(today));
        let marks: Vec<String> = filter
            .stages
            .iter()
            .map(|s| text(values, s.as_str()))
            .collect();
        out.push(format!(
            "coalesce(
                 (SELECT coalesce(l.override_stage, l.stage) FROM member_lifecycle l
                   WHERE l.member_id = m.id),
                 CASE WHEN substr(m.joined_at, 1, 10) >= (
                          SELECT date({today}, '-' || (r.new_days + r.demotion_hold_days) || ' days')
                            FROM lifecycle_rules r WHERE r.id = 1)
                      THEN 'new' ELSE 'dormant' END
             ) IN ({})",
            marks.join(", ")
        ));
    }
    if let Some(leader) = filter.opinion_leader {
        let mark = push(values, Value::Integer(i64::from(leader)));
        out.push(format!(
            "coalesce((SELECT coalesce(l.opinion_leader_manual, l.opinion_leader)
                         FROM member_lifecycle l WHERE l.member_id = m.id), 0) = {mark}"
        ));
    }
    let balance =
        "coalesce((SELECT sum(p.delta) FROM points_ledger p WHERE p.member_id = m.id), 0)";
    match (filter.points_min, filter.points_max) {
        (Some(lo), Some(hi)) => {
            let (lo, hi) = (
                push(values, Value::Integer(lo)),
                push(values, Value::Integer(hi)),
            );
            out.push(format!("{balance} BETWEEN {lo} AND {hi}"));
        }
        (Some(lo), None) => {
            let lo = push(values, Value::Integer(lo));
            out.push(format!("{balance} >= {lo}"));
        }
        (None, Some(hi)) => {
            let hi = push(values, Value::Integer(hi));
            out.push(format!("{balance} <= {hi}"));
        }
        (None, None) => {}
    }
    if let Some(max) = filter.credit_max {
        // The score now: the start score minus the deductions in force (store::credit).
        let at = text(values, now);
        let in_force = super::credit::IN_FORCE_AT_1.replace("?1", &at);
        let max = push(values, Value::Integer(max));
        out.push(format!(
            "(SELECT start_score FROM credit_settings WHERE id = 1)
               - coalesce((SELECT sum(e.points) FROM credit_entries e
                            WHERE e.member_id = m.id AND {in_force}), 0) <= {max}"
        ));
    }
    for c in custom {
        out.push(custom_condition(c, values));
    }
    out
}

fn custom_condition(c: &CustomSql, values: &mut Vec<Value>) -> String {
    let Some(field_id) = c.field_id else {
        // Nobody has a value for a field that is gone.
        return if c.test == CustomTest::IsEmpty {
            "1"
        } else {
            "0"
        }
        .to_owned();
    };
    let field = push(values, Value::Integer(field_id));
    let has = |test: &str| {
        format!(
            "EXISTS (SELECT 1 FROM member_custom_values v
                      WHERE v.member_id = m.id AND v.field_id = {field}{test})"
        )
    };
    match &c.test {
        CustomTest::IsSet => has(""),
        CustomTest::IsEmpty => format!("NOT {}", has("")),
        CustomTest::Equals(value) => {
            let mark = text(values, value);
            has(&format!(" AND lower(v.value) = lower({mark})"))
        }
        CustomTest::Contains(value) => {
            let mark = text(values, value);
            has(&format!(" AND instr(lower(v.value), lower({mark})) > 0"))
        }
        CustomTest::HasOptions(options) => {
            // Several choices are stored `a, b` and options hold no commas: match whole items.
            let tests: String = options
                .iter()
                .map(|o| {
                    let mark = text(values, &format!(", {o}, "));
                    format!(" AND instr(', ' || v.value || ', ', {mark}) > 0")
                })
                .collect();
            has(&tests)
        }
        CustomTest::Number(cmp, n) => {
            let mark = push(values, Value::Real(*n));
            has(&format!(" AND CAST(v.value AS REAL) {} {mark}", cmp.sql()))
        }
        CustomTest::Date(cmp, d) => {
            let mark = text(values, d);
            has(&format!(" AND v.value {} {mark}", cmp.sql()))
        }
    }
}

/// `AND ...` for one part: its filter, OR'd with its hand-picked members for a segment.
fn part_clause(part: &Part, today: NaiveDate, now: &str, values: &mut Vec<Value>) -> String {
    let conditions = filter_conditions(&part.filter, &part.custom, today, now, values);
    let Some(picked) = part.segment else {
        return conditions.iter().map(|c| format!(" AND {c}")).collect();
    };
    if conditions.is_empty() && !picked.is_list {
        // An empty filter selects everyone; the hand-picked add nothing to that.
        return String::new();
    }
    let id = push(values, Value::Integer(picked.segment_id));
    let added = format!(
        "EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = {id} AND sm.member_id = m.id)"
    );
    if conditions.is_empty() {
        format!(" AND {added}")
    } else {
        format!(" AND (({}) OR {added})", conditions.join(" AND "))
    }
}

/// `AND ...` conditions for live members that match the needle (when given) and every part.
fn where_clause(selection: &Selection, needle: &str, values: &mut Vec<Value>) -> String {
    let mut clause = String::new();
    if !needle.is_empty() {
        let mark = text(values, needle);
        clause.push_str(&format!(" AND instr(m.search_text, {mark}) > 0"));
    }
    for part in &selection.parts {
        clause.push_str(&part_clause(part, selection.today, &selection.now, values));
    }
    clause
}

/// Live members the selection (and the search needle, if any) picks, as ids in the given order.
pub fn matching_ids(
    r: &Read<'_>,
    selection: &Selection,
    needle: &str,
    order_by: &str,
) -> Result<Vec<i64>> {
    let mut values: Vec<Value> = Vec::new();
    let clause = where_clause(selection, needle, &mut values);
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT m.id FROM members m WHERE m.deleted_at IS NULL{clause} ORDER BY {order_by}"
        ))?
        .query_map(params_from_iter(values), |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// One page of the members the selection picks (a segment and the board's filter bar), and how
/// many there are in all.
pub fn page(
    r: &Read<'_>,
    selection: &Selection,
    needle: &str,
    order_by: &str,
    limit: u32,
    offset: u32,
) -> Result<(u32, Vec<i64>)> {
    let mut values: Vec<Value> = Vec::new();
    let clause = where_clause(selection, needle, &mut values);
    let total: u32 = r
        .conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM members m WHERE m.deleted_at IS NULL{clause}"
        ))?
        .query_row(params_from_iter(values.iter()), |row| row.get(0))?;
    let n = values.len();
    values.push(Value::Integer(i64::from(limit)));
    values.push(Value::Integer(i64::from(offset)));
    let ids = r
        .conn
        .prepare_cached(&format!(
            "SELECT m.id FROM members m WHERE m.deleted_at IS NULL{clause}
             ORDER BY {order_by} LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        ))?
        .query_map(params_from_iter(values), |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((total, ids))
}

pub struct SegmentRow {
    pub id: i64,
    pub name: String,
    pub filter: MemberFilter,
    pub is_list: bool,
    pub created_at: String,
}

impl SegmentRow {
    /// The row as a part of a member query (its filter still to be checked by ops).
    pub fn picked(&self) -> Picked {
        Picked {
            segment_id: self.id,
            is_list: self.is_list,
        }
    }
}

fn parse_filter(json: &str) -> MemberFilter {
    serde_json::from_str(json).unwrap_or_default()
}

fn row_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<SegmentRow> {
    Ok(SegmentRow {
        id: row.get(0)?,
        name: row.get(1)?,
        filter: parse_filter(&row.get::<_, String>(2)?),
        is_list: row.get(3)?,
        created_at: row.get(4)?,
    })
}

pub fn list(r: &Read<'_>) -> Result<Vec<SegmentRow>> {
    Ok(r.conn
        .prepare_cached("SELECT id, name, filter, is_list, created_at FROM segments ORDER BY name")?
        .query_map([], row_from)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get(r: &Read<'_>, id: i64) -> Result<SegmentRow> {
    r.conn
        .prepare_cached("SELECT id, name, filter, is_list, created_at FROM segments WHERE id = ?1")?
        .query_row([id], row_from)
        .optional()?
        .ok_or_else(|| Error::not_found("segment", id))
}

fn to_json(filter: &MemberFilter) -> Result<String> {
    serde_json::to_string(filter).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))
}

fn name_taken(name: &str) -> Error {
    Error::new(
        ErrorCode::NameTaken,
        format!("there is already a segment called {name}"),
    )
    .with_field("name")
    .with_param("value", name)
}

/// Creates a segment (`id` None) or updates one; a name another segment has is refused.
pub fn save(
    w: &mut Write<'_>,
    id: Option<i64>,
    name: &str,
    filter: &MemberFilter,
    now: &str,
) -> Result<i64> {
    let clash: Option<i64> =
        w.tx.prepare_cached("SELECT id FROM segments WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
    if clash.is_some() && clash != id {
        return Err(name_taken(name));
    }
    let json = to_json(filter)?;
    match id {
        None => {
            w.tx.prepare_cached(
                "INSERT INTO segments (name, filter, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![name, json, now])?;
            Ok(w.tx.last_insert_rowid())
        }
        Some(id) => {
            let changed =
                w.tx.prepare_cached(
                    "UPDATE segments SET name = ?2, filter = ?3, updated_at = ?4 WHERE id = ?1",
                )?
                .execute(params![id, name, json, now])?;
            if changed == 0 {
                return Err(Error::not_found("segment", id));
            }
            Ok(id)
        }
    }
}

pub fn delete(w: &mut Write<'_>, id: i64) -> Result<()> {
    let changed =
        w.tx.prepare_cached("DELETE FROM segments WHERE id = ?1")?
            .execute([id])?;
    if changed == 0 {
        return Err(Error::not_found("segment", id));
    }
    Ok(())
}

/// Marks a segment as a hand-picked list (or not).
pub fn set_is_list(w: &mut Write<'_>, id: i64, is_list: bool) -> Result<()> {
    w.tx.prepare_cached("UPDATE segments SET is_list = ?2 WHERE id = ?1")?
        .execute(params![id, is_list])?;
    Ok(())
}

/// Adds members to a segment by hand; returns the ones that were not in it yet. Members who do
/// not exist or were merged away are skipped, and so are members in the trash unless
/// `with_trash` (an Undo putting a deleted segment back keeps them for when they return).
pub fn add_members(
    w: &mut Write<'_>,
    id: i64,
    member_ids: &[i64],
    with_trash: bool,
    now: &str,
) -> Result<Vec<i64>> {
    let mut stmt = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO segment_members (segment_id, member_id, added_at)
         SELECT ?1, m.id, ?3 FROM members m
          WHERE m.id = ?2 AND m.merged_into IS NULL AND (?4 OR m.deleted_at IS NULL)",
    )?;
    let mut added = Vec::new();
    for &member_id in member_ids {
        if stmt.execute(params![id, member_id, now, with_trash])? > 0 {
            added.push(member_id);
        }
    }
    Ok(added)
}

/// Takes members added by hand out of a segment; returns how many were in it.
pub fn remove_members(w: &mut Write<'_>, id: i64, member_ids: &[i64]) -> Result<u32> {
    let mut stmt = w
        .tx
        .prepare_cached("DELETE FROM segment_members WHERE segment_id = ?1 AND member_id = ?2")?;
    let mut n = 0;
    for &member_id in member_ids {
        n += stmt.execute(params![id, member_id])? as u32;
    }
    Ok(n)
}

/// Every member added to a segment by hand (the trash included), in the order they were added.
pub fn picked_ids(r: &Read<'_>, id: i64) -> Result<Vec<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT member_id FROM segment_members WHERE segment_id = ?1
              ORDER BY added_at, member_id",
        )?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Live members added to a segment by hand.
pub fn picked_count(r: &Read<'_>, id: i64) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(
            "SELECT count(*) FROM segment_members sm JOIN members m ON m.id = sm.member_id
              WHERE sm.segment_id = ?1 AND m.deleted_at IS NULL",
        )?
        .query_row([id], |row| row.get(0))?)
}

/// Gives the merged member's hand-picked memberships to the member kept, remembering which.
/// Where the kept member is already in the segment, the merged member keeps its own row (it
/// does not show while merged away, and undo needs nothing moved back).
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO merge_segment_members (merge_id, segment_id)
         SELECT ?1, sm.segment_id FROM segment_members sm
          WHERE sm.member_id = ?2
            AND NOT EXISTS (SELECT 1 FROM segment_members k
                             WHERE k.segment_id = sm.segment_id AND k.member_id = ?3)",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached(
        "UPDATE segment_members SET member_id = ?3
          WHERE member_id = ?2
            AND segment_id IN (SELECT segment_id FROM merge_segment_members WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    Ok(())
}

/// Undoes [`move_on_merge`]: the memberships it moved go back to the merged member (those the
/// manager has since taken away from the kept member stay gone).
pub fn unmove_on_merge(
    w: &mut Write<'_>,
    merge_id: i64,
    merged_id: i64,
    kept_id: i64,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE segment_members SET member_id = ?2
          WHERE member_id = ?3
            AND segment_id IN (SELECT segment_id FROM merge_segment_members WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached("DELETE FROM merge_segment_members WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}

pub fn has_snapshot(r: &Read<'_>, id: i64, day: &str) -> Result<bool> {
    Ok(r.conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM segment_snapshots WHERE segment_id = ?1 AND day = ?2)",
        )?
        .query_row(params![id, day], |row| row.get(0))?)
}

pub fn save_snapshot(w: &mut Write<'_>, id: i64, day: &str, ids: &[i64]) -> Result<()> {
    let json = serde_json::to_string(ids).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    w.tx.prepare_cached(
        "INSERT OR REPLACE INTO segment_snapshots (segment_id, day, member_ids) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, day, json])?;
    // Only the latest day before today is compared against; a month is kept for reference.
    w.tx.prepare_cached(
        "DELETE FROM segment_snapshots WHERE segment_id = ?1 AND day < date(?2, '-31 days')",
    )?
    .execute(params![id, day])?;
    Ok(())
}

/// The latest snapshot taken before `day`, if any: (its day, the member ids).
pub fn snapshot_before(r: &Read<'_>, id: i64, day: &str) -> Result<Option<(String, Vec<i64>)>> {
    let row: Option<(String, String)> = r
        .conn
        .prepare_cached(
            "SELECT day, member_ids FROM segment_snapshots WHERE segment_id = ?1 AND day < ?2
             ORDER BY day DESC LIMIT 1",
        )?
        .query_row(params![id, day], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(row.map(|(day, json)| (day, serde_json::from_str(&json).unwrap_or_default())))
}
