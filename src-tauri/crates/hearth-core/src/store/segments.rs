//! segments, segment_snapshots: saved filters and their daily membership, plus the SQL a
//! [`MemberFilter`] becomes (shared by the member list, segment counts and exports).

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{Read, Write};
use crate::domain::MemberFilter;
use crate::error::{Error, ErrorCode, Result};

/// `AND ...` conditions on a `members m` row for the filter, with their values in order.
pub fn filter_clause(filter: &MemberFilter, values: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let tag_exists = "EXISTS (SELECT 1 FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
                      WHERE mt.member_id = m.id AND t.name";
    for tag in &filter.tags_all {
        values.push(Value::Text(tag.clone()));
        sql.push_str(&format!(" AND {tag_exists} = ?{})", values.len()));
    }
    let list = |items: &[String], values: &mut Vec<Value>| -> String {
        let marks: Vec<String> = items
            .iter()
            .map(|item| {
                values.push(Value::Text(item.clone()));
                format!("?{}", values.len())
            })
            .collect();
        marks.join(", ")
    };
    if !filter.tags_any.is_empty() {
        let marks = list(&filter.tags_any, values);
        sql.push_str(&format!(" AND {tag_exists} IN ({marks}))"));
    }
    if !filter.tags_none.is_empty() {
        let marks = list(&filter.tags_none, values);
        sql.push_str(&format!(" AND NOT {tag_exists} IN ({marks}))"));
    }
    for (column, items) in [
        ("role", &filter.roles),
        ("city", &filter.cities),
        ("source", &filter.sources),
    ] {
        if !items.is_empty() {
            let marks = list(items, values);
            sql.push_str(&format!(" AND m.{column} IN ({marks})"));
        }
    }
    if let Some(from) = &filter.joined_from {
        values.push(Value::Text(from.clone()));
        sql.push_str(&format!(" AND m.joined_at >= ?{}", values.len()));
    }
    if let Some(to) = &filter.joined_to {
        // The whole last day counts: compare against the next day's start.
        values.push(Value::Text(to.clone()));
        sql.push_str(&format!(
            " AND m.joined_at < strftime('%Y-%m-%dT00:00:00Z', ?{}, '+1 day')",
            values.len()
        ));
    }
    sql
}

/// `AND ...` conditions for live members that match the needle (when given) and every filter.
fn where_clause(filters: &[MemberFilter], needle: &str, values: &mut Vec<Value>) -> String {
    let mut clause = String::new();
    if !needle.is_empty() {
        values.push(Value::Text(needle.to_owned()));
        clause.push_str(&format!(" AND instr(m.search_text, ?{}) > 0", values.len()));
    }
    for filter in filters {
        clause.push_str(&filter_clause(filter, values));
    }
    clause
}

/// Live members matching the filter (and the search needle, if any), as ids in the given order.
pub fn matching_ids(
    r: &Read<'_>,
    filter: &MemberFilter,
    needle: &str,
    order_by: &str,
) -> Result<Vec<i64>> {
    let mut values: Vec<Value> = Vec::new();
    let clause = where_clause(std::slice::from_ref(filter), needle, &mut values);
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT m.id FROM members m WHERE m.deleted_at IS NULL{clause} ORDER BY {order_by}"
        ))?
        .query_map(params_from_iter(values), |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// One page of the members every filter selects (a segment and the board's filter bar), and how
/// many there are in all.
pub fn page(
    r: &Read<'_>,
    filters: &[MemberFilter],
    needle: &str,
    order_by: &str,
    limit: u32,
    offset: u32,
) -> Result<(u32, Vec<i64>)> {
    let mut values: Vec<Value> = Vec::new();
    let clause = where_clause(filters, needle, &mut values);
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
    pub created_at: String,
}

fn parse_filter(json: &str) -> MemberFilter {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn list(r: &Read<'_>) -> Result<Vec<SegmentRow>> {
    Ok(r.conn
        .prepare_cached("SELECT id, name, filter, created_at FROM segments ORDER BY name")?
        .query_map([], |row| {
            Ok(SegmentRow {
                id: row.get(0)?,
                name: row.get(1)?,
                filter: parse_filter(&row.get::<_, String>(2)?),
                created_at: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get(r: &Read<'_>, id: i64) -> Result<SegmentRow> {
    r.conn
        .prepare_cached("SELECT id, name, filter, created_at FROM segments WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(SegmentRow {
                id: row.get(0)?,
                name: row.get(1)?,
                filter: parse_filter(&row.get::<_, String>(2)?),
                created_at: row.get(3)?,
            })
        })
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
