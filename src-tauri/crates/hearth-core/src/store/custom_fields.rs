//! custom_fields, member_custom_values: the fields the manager defines and members' values.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};

use super::{Read, Write};
use crate::domain::{CustomField, CustomFieldKind};
use crate::error::{Error, ErrorCode, Result};

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CustomField> {
    let kind: String = row.get(2)?;
    let options: String = row.get(3)?;
    Ok(CustomField {
        id: row.get(0)?,
        label: row.get(1)?,
        kind: CustomFieldKind::parse(&kind).unwrap_or(CustomFieldKind::Text),
        options: serde_json::from_str(&options).unwrap_or_default(),
    })
}

pub fn list(r: &Read<'_>) -> Result<Vec<CustomField>> {
    Ok(r.conn
        .prepare_cached("SELECT id, label, kind, options FROM custom_fields ORDER BY position, id")?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn by_label(r: &Read<'_>, label: &str) -> Result<Option<CustomField>> {
    Ok(r.conn
        .prepare_cached("SELECT id, label, kind, options FROM custom_fields WHERE label = ?1")?
        .query_row([label], from_row)
        .optional()?)
}

/// Adds a field at the end (or with the given id, when an Undo puts one back).
pub fn insert(
    w: &mut Write<'_>,
    id: Option<i64>,
    label: &str,
    kind: CustomFieldKind,
    options: &[String],
    now: &str,
) -> Result<i64> {
    if by_label(&w.read(), label)?.is_some() {
        return Err(Error::new(
            ErrorCode::NameTaken,
            format!("there is already a field called {label}"),
        )
        .with_field("label")
        .with_param("value", label));
    }
    let options =
        serde_json::to_string(options).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    w.tx.prepare_cached(
        "INSERT INTO custom_fields (id, label, kind, options, position, created_at)
         VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM custom_fields), ?5)",
    )?
    .execute(params![id, label, kind.as_str(), options, now])?;
    Ok(w.tx.last_insert_rowid())
}

/// Deletes a field and every value of it; returns the values it had (member id, value).
pub fn delete(w: &mut Write<'_>, id: i64) -> Result<Vec<(i64, String)>> {
    let values: Vec<(i64, String)> = w
        .tx
        .prepare_cached("SELECT member_id, value FROM member_custom_values WHERE field_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let changed =
        w.tx.prepare_cached("DELETE FROM custom_fields WHERE id = ?1")?
            .execute([id])?;
    if changed == 0 {
        return Err(Error::not_found("custom field", id));
    }
    Ok(values)
}

/// Puts values back (after an Undo of a delete); members erased since are skipped.
pub fn restore_values(w: &mut Write<'_>, field_id: i64, values: &[(i64, String)]) -> Result<()> {
    for (member_id, value) in values {
        w.tx.prepare_cached(
            "INSERT OR IGNORE INTO member_custom_values (member_id, field_id, value)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM members WHERE id = ?1)",
        )?
        .execute(params![member_id, field_id, value])?;
    }
    Ok(())
}

/// Replaces a member's custom values with these (field id, canonical value) pairs.
pub fn replace_values(w: &mut Write<'_>, member_id: i64, values: &[(i64, String)]) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM member_custom_values WHERE member_id = ?1")?
        .execute([member_id])?;
    for (field_id, value) in values {
        w.tx.prepare_cached(
            "INSERT INTO member_custom_values (member_id, field_id, value) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![member_id, field_id, value])?;
    }
    Ok(())
}

/// Values of one member as (field id, value), for snapshots.
pub fn values_of(r: &Read<'_>, member_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT field_id, value FROM member_custom_values WHERE member_id = ?1 ORDER BY field_id",
        )?
        .query_map([member_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Values for many members at once: member id → (label → value).
pub fn values_for(r: &Read<'_>, ids: &[i64]) -> Result<BTreeMap<i64, BTreeMap<String, String>>> {
    let mut out: BTreeMap<i64, BTreeMap<String, String>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(",");
    let mut stmt = r.conn.prepare(&format!(
        "SELECT v.member_id, f.label, v.value FROM member_custom_values v
         JOIN custom_fields f ON f.id = v.field_id WHERE v.member_id IN ({marks})"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(ids))?;
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?)
            .or_default()
            .insert(row.get(1)?, row.get(2)?);
    }
    Ok(out)
}
