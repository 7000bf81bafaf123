//! Segments: saved member filters with live counts, and a daily snapshot of who is in each so
//! the manager sees who entered and who left since the last day they looked.
//!
//! A filter combines tags, role, city, source and joined range with what members did (activity
//! in the last N days, or none), their lifecycle stage and opinion-leader flag, their points
//! balance, their credit score now and their custom fields. Relative conditions are evaluated
//! against the clock at every query, so a saved "quiet for 30 days" moves with time.
//!
//! Members can also be added to a segment by hand ("add to segment" on the board): they are in
//! it whatever the filter says. A segment made from a selection is a hand-picked list, which an
//! empty filter does not turn into "everyone".

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::{
    CustomCondition, CustomField, CustomFieldKind, CustomOp, MemberFilter, Segment, SegmentChanges,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::custom_fields::resolve_custom;
use crate::ops::tags::clean_tags;
use crate::ops::Ctx;
use crate::store::segments::{
    self, Compare, CustomSql, CustomTest, Part, Picked, SegmentRow, Selection,
};
use crate::store::{custom_fields, members, Read};
use crate::text;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveSegment {
    /// None creates a new segment.
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub filter: MemberFilter,
    /// Members to add by hand: a new segment from the board's selection, or an Undo of a delete
    /// putting its members back. Members already in it are skipped.
    #[serde(default)]
    pub members: Vec<i64>,
    /// A hand-picked list (see [`Segment::is_list`]). `None` keeps what the segment was; a new
    /// one is a list when it is made from members with an empty filter.
    #[serde(default)]
    pub is_list: Option<bool>,
}

/// Members to add to a segment by hand, or to take out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentMembers {
    pub segment_id: i64,
    pub member_ids: Vec<i64>,
}

/// What adding did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentAdded {
    pub segment_id: i64,
    pub name: String,
    /// The members that were not in it by hand yet (pass them to [`remove_from_segment`] to
    /// undo); members already added, in the trash or unknown are skipped.
    pub added: Vec<i64>,
}

const MAX_NAME: usize = 60;
/// The most members [`changes`] lists on each side.
pub const MAX_CHANGES: usize = 500;
/// The longest activity window a filter takes (ten years).
pub const MAX_DAYS: u32 = 3650;
/// The most custom-field conditions one filter takes.
const MAX_CUSTOM: usize = 20;

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidInput, message).with_field(field)
}

/// A filter as stored: values cleaned, empty ones dropped, dates and day counts checked.
/// Custom conditions are checked against the fields' definitions by [`selection`] and [`save`].
pub fn clean_filter(filter: &MemberFilter) -> Result<MemberFilter> {
    let values = |items: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in items
            .iter()
            .map(|v| text::clean(v))
            .filter(|v| !v.is_empty())
        {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    };
    let day = |raw: &Option<String>, field: &str| -> Result<Option<String>> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(|d| Some(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| {
                    Error::new(ErrorCode::InvalidDate, format!("\"{d}\" is not a date"))
                        .with_field(field)
                        .with_param("value", d)
                }),
        }
    };
    let days = |n: Option<u32>, field: &str| -> Result<Option<u32>> {
        match n {
            Some(n) if !(1..=MAX_DAYS).contains(&n) => Err(invalid(
                field,
                format!("the number of days is 1 to {MAX_DAYS}, not {n}"),
            )
            .with_param("value", n)),
            n => Ok(n),
        }
    };
    if let (Some(lo), Some(hi)) = (filter.points_min, filter.points_max) {
        if lo > hi {
            return Err(invalid(
                "points_max",
                format!("the most points ({hi}) is below the least ({lo})"),
            ));
        }
    }
    let mut stages = Vec::new();
    for stage in &filter.stages {
        if !stages.contains(stage) {
            stages.push(*stage);
        }
    }
    let mut custom: Vec<CustomCondition> = Vec::new();
    for c in &filter.custom {
        let label = text::clean(&c.label);
        if label.is_empty() {
            // A condition row whose field was never picked.
            continue;
        }
        let value = if c.op.takes_value() {
            text::clean(&c.value)
        } else {
            String::new()
        };
        if c.op.takes_value() && value.is_empty() {
            return Err(Error::new(
                ErrorCode::Required,
                format!("give a value to compare {label} with"),
            )
            .with_field(&label));
        }
        let clean = CustomCondition {
            label,
            op: c.op,
            value,
        };
        if !custom.contains(&clean) {
            custom.push(clean);
        }
    }
    if custom.len() > MAX_CUSTOM {
        return Err(invalid(
            "custom",
            format!("at most {MAX_CUSTOM} custom-field conditions"),
        ));
    }
    Ok(MemberFilter {
        tags_all: clean_tags(&filter.tags_all)?,
        tags_any: clean_tags(&filter.tags_any)?,
        tags_none: clean_tags(&filter.tags_none)?,
        roles: values(&filter.roles),
        cities: values(&filter.cities),
        sources: values(&filter.sources),
        joined_from: day(&filter.joined_from, "joined_from")?,
        joined_to: day(&filter.joined_to, "joined_to")?,
        active_within_days: days(filter.active_within_days, "active_within_days")?,
        quiet_for_days: days(filter.quiet_for_days, "quiet_for_days")?,
        stages,
        opinion_leader: filter.opinion_leader,
        points_min: filter.points_min,
        points_max: filter.points_max,
        credit_max: filter.credit_max,
        custom,
    })
}

/// A custom condition checked against the field it names, as SQL needs it. Refused, naming the
/// field: an unknown field, an operator the field's kind has no meaning for (≥ on a choice,
/// "contains" on a number), a value the field could not hold.
fn custom_sql(fields: &[CustomField], c: &CustomCondition) -> Result<CustomSql> {
    let field = fields
        .iter()
        .find(|f| f.label.to_lowercase() == c.label.to_lowercase())
        .ok_or_else(|| {
            invalid(
                &c.label,
                format!("there is no custom field called {}", c.label),
            )
            .with_param("value", &c.label)
        })?;
    let kind = field.kind;
    let unsupported = || {
        invalid(
            &field.label,
            format!(
                "“{}” does not apply to the {} field {}",
                c.op.as_str(),
                kind.as_str(),
                field.label
            ),
        )
        .with_param("op", c.op.as_str())
        .with_param("kind", kind.as_str())
    };
    let found = |test| {
        Ok(CustomSql {
            field_id: Some(field.id),
            test,
        })
    };
    match c.op {
        CustomOp::IsSet => return found(CustomTest::IsSet),
        CustomOp::IsEmpty => return found(CustomTest::IsEmpty),
        _ => {}
    }
    let allowed = match kind {
        CustomFieldKind::Text => matches!(c.op, CustomOp::Equals | CustomOp::Contains),
        CustomFieldKind::Number | CustomFieldKind::Date => {
            matches!(c.op, CustomOp::Equals | CustomOp::Gte | CustomOp::Lte)
        }
        CustomFieldKind::Choice | CustomFieldKind::Multi => {
            matches!(c.op, CustomOp::Equals | CustomOp::Contains)
        }
    };
    if !allowed {
        return Err(unsupported());
    }
    // The value as a member's value of this field would be stored (numbers checked, dates and
    // choices made canonical), with the same errors naming the field.
    let raw = std::iter::once((field.label.clone(), c.value.clone())).collect();
    let canonical = resolve_custom(std::slice::from_ref(field), &raw)?
        .pop()
        .map(|(_, v)| v)
        .unwrap_or_default();
    let compare = match c.op {
        CustomOp::Gte => Compare::AtLeast,
        CustomOp::Lte => Compare::AtMost,
        _ => Compare::Equal,
    };
    found(match (kind, c.op) {
        (CustomFieldKind::Number, _) => {
            let n: f64 = canonical.parse().map_err(|_| {
                Error::new(
                    ErrorCode::InvalidCustomNumber,
                    format!("\"{}\" is not a number", c.value),
                )
                .with_field(&field.label)
                .with_param("value", &c.value)
            })?;
            CustomTest::Number(compare, n)
        }
        (CustomFieldKind::Date, _) => CustomTest::Date(compare, canonical),
        (CustomFieldKind::Choice | CustomFieldKind::Multi, CustomOp::Contains) => {
            CustomTest::HasOptions(canonical.split(", ").map(str::to_owned).collect())
        }
        (CustomFieldKind::Text, CustomOp::Contains) => CustomTest::Contains(canonical),
        _ => CustomTest::Equals(canonical),
    })
}

/// A cleaned filter as a query part. `strict` refuses bad custom conditions (a filter being
/// applied or saved); a saved segment's conditions on a field deleted since select no one
/// (`is_empty`: everyone), so one stale segment never breaks the list of segments.
fn part(r: &Read<'_>, filter: MemberFilter, segment: Option<Picked>, strict: bool) -> Result<Part> {
    let mut custom = Vec::with_capacity(filter.custom.len());
    if !filter.custom.is_empty() {
        let fields = custom_fields::list(r)?;
        for c in &filter.custom {
            match custom_sql(&fields, c) {
                Ok(sql) => custom.push(sql),
                Err(e) if strict => return Err(e),
                Err(_) => custom.push(CustomSql {
                    field_id: None,
                    test: if c.op == CustomOp::IsEmpty {
                        CustomTest::IsEmpty
                    } else {
                        CustomTest::IsSet
                    },
                }),
            }
        }
    }
    Ok(Part {
        filter,
        custom,
        segment,
    })
}

fn segment_part(r: &Read<'_>, row: &SegmentRow) -> Result<Part> {
    part(r, row.filter.clone(), Some(row.picked()), false)
}

fn at(clock: &dyn Clock, parts: Vec<Part>) -> Selection {
    Selection {
        parts,
        today: clock.today(),
        now: crate::clock::stamp(clock.now()),
    }
}

/// What a member query selects, every part of which must hold: the board's filter (cleaned and
/// checked; an empty one adds nothing) and a saved segment (its filter OR its hand-picked
/// members), evaluated at the clock's today and now.
pub fn selection(
    ctx: &Ctx,
    filter: Option<&MemberFilter>,
    segment: Option<i64>,
) -> Result<Selection> {
    let filter = filter.map(clean_filter).transpose()?;
    let parts = ctx.store.read(|r| {
        let mut parts = Vec::new();
        if let Some(f) = filter.filter(|f| !f.is_empty()) {
            parts.push(part(r, f, None, true)?);
        }
        if let Some(id) = segment {
            parts.push(segment_part(r, &segments::get(r, id)?)?);
        }
        Ok(parts)
    })?;
    Ok(at(ctx.clock.as_ref(), parts))
}

fn today(ctx: &Ctx) -> String {
    ctx.clock.today().format("%Y-%m-%d").to_string()
}

/// The ids of a segment's members now, in id order.
fn member_ids(ctx: &Ctx, r: &Read<'_>, row: &SegmentRow) -> Result<Vec<i64>> {
    let selection = at(ctx.clock.as_ref(), vec![segment_part(r, row)?]);
    segments::matching_ids(r, &selection, "", "m.id")
}

/// Every segment with its live count and the movement since the last snapshot before today.
/// Takes today's snapshot of any segment that has none yet.
pub fn list(ctx: &Ctx) -> Result<Vec<Segment>> {
    let day = today(ctx);
    let rows = ctx.store.read(segments::list)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (ids, hand_picked) = ctx.store.read(|r| {
            Ok((
                member_ids(ctx, r, &row)?,
                segments::picked_count(r, row.id)?,
            ))
        })?;
        if !ctx
            .store
            .read(|r| segments::has_snapshot(r, row.id, &day))?
        {
            ctx.store
                .write(|w| segments::save_snapshot(w, row.id, &day, &ids))?;
        }
        let before = ctx
            .store
            .read(|r| segments::snapshot_before(r, row.id, &day))?;
        let (since, entered, left) = match before {
            Some((since, old)) => {
                let (entered, left) = movement(&old, &ids);
                (
                    Some(since),
                    Some(entered.len() as u32),
                    Some(left.len() as u32),
                )
            }
            None => (None, None, None),
        };
        out.push(Segment {
            id: row.id,
            name: row.name,
            filter: row.filter,
            is_list: row.is_list,
            hand_picked,
            count: ids.len() as u32,
            entered,
            left,
            since,
            created_at: row.created_at,
        });
    }
    Ok(out)
}

fn movement(old: &[i64], now: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let old_set: HashSet<i64> = old.iter().copied().collect();
    let now_set: HashSet<i64> = now.iter().copied().collect();
    let entered = now
        .iter()
        .copied()
        .filter(|id| !old_set.contains(id))
        .collect();
    let left = old
        .iter()
        .copied()
        .filter(|id| !now_set.contains(id))
        .collect();
    (entered, left)
}

/// Creates or updates a segment, adding `members` by hand in the same transaction. A segment
/// made from members with an empty filter is a hand-picked list.
pub fn save(ctx: &Ctx, input: SaveSegment) -> Result<Segment> {
    let name = text::clean(&input.name);
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::too_long("name", MAX_NAME));
    }
    let filter = clean_filter(&input.filter)?;
    // Refuse a condition on an unknown field, or one the field cannot answer, before saving.
    ctx.store.read(|r| part(r, filter.clone(), None, true))?;
    let now = ctx.now_stamp();
    let is_list = match (input.is_list, input.id) {
        (Some(is_list), _) => Some(is_list),
        (None, None) => Some(filter.is_empty() && !input.members.is_empty()),
        (None, Some(_)) => None,
    };
    let id = ctx.store.write(|w| {
        let id = segments::save(w, input.id, &name, &filter, &now)?;
        if let Some(is_list) = is_list {
            segments::set_is_list(w, id, is_list)?;
        }
        segments::add_members(w, id, &input.members, true, &now)?;
        Ok(id)
    })?;
    list(ctx)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::not_found("segment", id))
}

/// Deletes a segment; returns what it was (with its hand-picked members), so the UI's Undo can
/// save it again.
pub fn delete(ctx: &Ctx, id: i64) -> Result<SaveSegment> {
    ctx.store.write(|w| {
        let row = segments::get(&w.read(), id)?;
        let picked = segments::picked_ids(&w.read(), id)?;
        segments::delete(w, id)?;
        Ok(SaveSegment {
            id: None,
            name: row.name,
            filter: row.filter,
            members: picked,
            is_list: Some(row.is_list),
        })
    })
}

/// Adds live members to a segment by hand, in one transaction. Idempotent: members already
/// added are skipped (and not returned, so the Undo takes out only what this added).
pub fn add_to_segment(ctx: &Ctx, input: SegmentMembers) -> Result<SegmentAdded> {
    if input.member_ids.is_empty() {
        return Err(Error::required("members"));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let row = segments::get(&w.read(), input.segment_id)?;
        let added = segments::add_members(w, row.id, &input.member_ids, false, &now)?;
        Ok(SegmentAdded {
            segment_id: row.id,
            name: row.name,
            added,
        })
    })
}

/// Takes members added by hand out of a segment (the Undo of [`add_to_segment`]); returns how
/// many were in it by hand. Members the filter selects stay in the segment.
pub fn remove_from_segment(ctx: &Ctx, input: SegmentMembers) -> Result<u32> {
    ctx.store.write(|w| {
        let row = segments::get(&w.read(), input.segment_id)?;
        segments::remove_members(w, row.id, &input.member_ids)
    })
}

/// The members who entered and who left since the last snapshot before today.
pub fn changes(ctx: &Ctx, id: i64) -> Result<SegmentChanges> {
    let day = today(ctx);
    ctx.store.read(|r| {
        let row = segments::get(r, id)?;
        let now = member_ids(ctx, r, &row)?;
        let Some((since, old)) = segments::snapshot_before(r, id, &day)? else {
            return Ok(SegmentChanges {
                since: None,
                entered: Vec::new(),
                left: Vec::new(),
            });
        };
        let (entered, left) = movement(&old, &now);
        let load = |ids: &[i64]| -> Result<Vec<crate::domain::Member>> {
            let ids: Vec<i64> = ids.iter().copied().take(MAX_CHANGES).collect();
            members::by_ids(r, &ids)
        };
        Ok(SegmentChanges {
            since: Some(since),
            entered: load(&entered)?,
            left: load(&left)?,
        })
    })
}

pub(crate) use member_data::MEMBER_DATA;

/// What a member's lifecycle does to hand-picked segment membership (registered in
/// `ops::consequences`).
mod member_data {
    use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
    use crate::store::segments;

    /// A merged member's hand-picked segments pass to the member kept (and back on undo); the
    /// trash keeps them (segments count live members only).
    pub(crate) const MEMBER_DATA: Feature = Feature {
        name: "segments",
        tables: &[MemberTable::new("segment_members", Rows::Moved, Rows::Kept)],
        moves: Some(MergeMoves {
            move_rows: segments::move_on_merge,
            move_back: segments::unmove_on_merge,
        }),
        react: unaffected,
    };
}
