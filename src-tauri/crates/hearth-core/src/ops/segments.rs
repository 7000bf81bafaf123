//! Segments: saved member filters with live counts, and a daily snapshot of who is in each so
//! the manager sees who entered and who left since the last day they looked.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::domain::{MemberFilter, Segment, SegmentChanges};
use crate::error::{Error, Result};
use crate::ops::members::clean_tags;
use crate::ops::Ctx;
use crate::store::{members, segments};
use crate::text;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveSegment {
    /// None creates a new segment.
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub filter: MemberFilter,
}

const MAX_NAME: usize = 60;
/// The most members [`changes`] lists on each side.
pub const MAX_CHANGES: usize = 500;

/// A filter as stored: values cleaned, empty ones dropped, dates checked.
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
                    Error::new(
                        crate::error::ErrorCode::InvalidDate,
                        format!("\"{d}\" is not a date"),
                    )
                    .with_field(field)
                    .with_param("value", d)
                }),
        }
    };
    Ok(MemberFilter {
        tags_all: clean_tags(&filter.tags_all)?,
        tags_any: clean_tags(&filter.tags_any)?,
        tags_none: clean_tags(&filter.tags_none)?,
        roles: values(&filter.roles),
        cities: values(&filter.cities),
        sources: values(&filter.sources),
        joined_from: day(&filter.joined_from, "joined_from")?,
        joined_to: day(&filter.joined_to, "joined_to")?,
    })
}

fn today(ctx: &Ctx) -> String {
    ctx.clock.today().format("%Y-%m-%d").to_string()
}

/// Every segment with its live count and the movement since the last snapshot before today.
/// Takes today's snapshot of any segment that has none yet.
pub fn list(ctx: &Ctx) -> Result<Vec<Segment>> {
    let day = today(ctx);
    let rows = ctx.store.read(segments::list)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let ids = ctx
            .store
            .read(|r| segments::matching_ids(r, &row.filter, "", "m.id"))?;
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

pub fn save(ctx: &Ctx, input: SaveSegment) -> Result<Segment> {
    let name = text::clean(&input.name);
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::too_long("name", MAX_NAME));
    }
    let filter = clean_filter(&input.filter)?;
    let now = ctx.now_stamp();
    let id = ctx
        .store
        .write(|w| segments::save(w, input.id, &name, &filter, &now))?;
    list(ctx)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::not_found("segment", id))
}

/// Deletes a segment; returns what it was, so the UI's Undo can save it again.
pub fn delete(ctx: &Ctx, id: i64) -> Result<SaveSegment> {
    ctx.store.write(|w| {
        let row = segments::get(&w.read(), id)?;
        segments::delete(w, id)?;
        Ok(SaveSegment {
            id: None,
            name: row.name,
            filter: row.filter,
        })
    })
}

/// The members who entered and who left since the last snapshot before today.
pub fn changes(ctx: &Ctx, id: i64) -> Result<SegmentChanges> {
    let day = today(ctx);
    ctx.store.read(|r| {
        let row = segments::get(r, id)?;
        let now = segments::matching_ids(r, &row.filter, "", "m.id")?;
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
