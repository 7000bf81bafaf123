//! merges: a merge folds one member into another and keeps a JSON snapshot of both members'
//! rows (every column), identities and tags from just before, so undo restores them exactly.

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::{Read, Write};
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    members: Vec<MemberSnapshot>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct MemberSnapshot {
    columns: Map<String, Json>,
    identities: Vec<IdentityRow>,
    tags: Vec<(i64, String)>,
    /// (custom field id, value); absent in snapshots taken before custom fields existed.
    #[serde(default)]
    custom: Vec<(i64, String)>,
    /// (tag id, last day) of tags that expire.
    #[serde(default)]
    tag_expiry: Vec<(i64, String)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct IdentityRow {
    id: i64,
    kind: String,
    value: String,
    position: i64,
    source: String,
    created_at: String,
}

pub(crate) fn snapshot_member(r: &Read<'_>, id: i64) -> Result<MemberSnapshot> {
    let mut stmt = r
        .conn
        .prepare_cached("SELECT * FROM members WHERE id = ?1")?;
    let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let columns = stmt
        .query_row([id], |row| {
            let mut map = Map::new();
            for (i, name) in names.iter().enumerate() {
                let json = match row.get::<_, Value>(i)? {
                    Value::Null | Value::Blob(_) => Json::Null,
                    Value::Integer(n) => Json::from(n),
                    Value::Real(x) => Json::from(x),
                    Value::Text(t) => Json::from(t),
                };
                map.insert(name.clone(), json);
            }
            Ok(map)
        })
        .optional()?
        .ok_or_else(|| Error::not_found("member", id))?;
    let identities = r
        .conn
        .prepare_cached(
            "SELECT id, kind, value, position, source, created_at FROM identities
             WHERE member_id = ?1 ORDER BY id",
        )?
        .query_map([id], |row| {
            Ok(IdentityRow {
                id: row.get(0)?,
                kind: row.get(1)?,
                value: row.get(2)?,
                position: row.get(3)?,
                source: row.get(4)?,
                created_at: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let tags = r
        .conn
        .prepare_cached(
            "SELECT t.id, t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
             WHERE mt.member_id = ?1 ORDER BY t.id",
        )?
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(MemberSnapshot {
        columns,
        identities,
        tags,
        custom: super::custom_fields::values_of(r, id)?,
        tag_expiry: r
            .conn
            .prepare_cached(
                "SELECT tag_id, expires_on FROM member_tags
                 WHERE member_id = ?1 AND expires_on IS NOT NULL ORDER BY tag_id",
            )?
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
    })
}

/// Records the state of both members before a merge; returns the merge id.
pub fn record(w: &mut Write<'_>, kept_id: i64, merged_id: i64, now: &str) -> Result<i64> {
    let snapshot = {
        let r = w.read();
        Snapshot {
            members: vec![
                snapshot_member(&r, kept_id)?,
                snapshot_member(&r, merged_id)?,
            ],
        }
    };
    let json =
        serde_json::to_string(&snapshot).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    w.tx.prepare_cached(
        "INSERT INTO merges (kept_id, merged_id, snapshot, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![kept_id, merged_id, json, now])?;
    Ok(w.tx.last_insert_rowid())
}

/// Takes the merged member's identities and tags away and puts it in the trash, pointing at the
/// member it went into. Its identities must be gone before the keeper can take them.
pub fn retire_merged(w: &mut Write<'_>, merged_id: i64, kept_id: i64, now: &str) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM identities WHERE member_id = ?1")?
        .execute([merged_id])?;
    w.tx.prepare_cached("DELETE FROM member_tags WHERE member_id = ?1")?
        .execute([merged_id])?;
    w.tx.prepare_cached(
        "UPDATE members SET deleted_at = ?3, updated_at = ?3, merged_into = ?2, search_text = ''
         WHERE id = ?1",
    )?
    .execute(params![merged_id, kept_id, now])?;
    Ok(())
}

/// Restores both members exactly as the snapshot has them. Refuses when either member changed
/// after the merge (undo would silently throw those changes away).
pub fn undo(w: &mut Write<'_>, merge_id: i64, now: &str) -> Result<(i64, i64)> {
    let row: Option<(i64, i64, String, String, Option<String>)> =
        w.tx.prepare_cached(
            "SELECT kept_id, merged_id, snapshot, created_at, undone_at FROM merges WHERE id = ?1",
        )?
        .query_row([merge_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((kept_id, merged_id, json, created_at, undone_at)) = row else {
        return Err(Error::not_found("merge", merge_id));
    };
    if undone_at.is_some() {
        return Err(Error::new(
            ErrorCode::MergeInvalid,
            "this merge was already undone",
        ));
    }
    for id in [kept_id, merged_id] {
        let (updated_at, name): (String, String) =
            w.tx.prepare_cached("SELECT updated_at, display_name FROM members WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if updated_at != created_at {
            return Err(Error::new(
                ErrorCode::MergeOutdated,
                format!("{name} changed after the merge; undoing it would lose those changes"),
            )
            .with_param("member_name", name)
            .with_param("member_id", id));
        }
    }
    let snapshot: Snapshot =
        serde_json::from_str(&json).map_err(|e| Error::new(ErrorCode::Database, e.to_string()))?;
    for member in &snapshot.members {
        let id = member
            .columns
            .get("id")
            .and_then(Json::as_i64)
            .unwrap_or_default();
        w.tx.prepare_cached("DELETE FROM identities WHERE member_id = ?1")?
            .execute([id])?;
        w.tx.prepare_cached("DELETE FROM member_tags WHERE member_id = ?1")?
            .execute([id])?;
    }
    for member in &snapshot.members {
        restore_member(w, member)?;
    }
    // Every feature's rows that the merge moved come back through ops::consequences
    // (Change::Unmerged), in the same transaction.
    w.tx.prepare_cached("UPDATE merges SET undone_at = ?2 WHERE id = ?1")?
        .execute(params![merge_id, now])?;
    Ok((kept_id, merged_id))
}

pub(crate) fn restore_member(w: &mut Write<'_>, member: &MemberSnapshot) -> Result<()> {
    let id = member
        .columns
        .get("id")
        .and_then(Json::as_i64)
        .unwrap_or_default();
    // Values of fields deleted since are not brought back.
    w.tx.prepare_cached("DELETE FROM member_custom_values WHERE member_id = ?1")?
        .execute([id])?;
    for (field_id, value) in &member.custom {
        w.tx.prepare_cached(
            "INSERT INTO member_custom_values (member_id, field_id, value)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM custom_fields WHERE id = ?2)",
        )?
        .execute(params![id, field_id, value])?;
    }
    let columns: Vec<(&String, Value)> = member
        .columns
        .iter()
        .filter(|(name, _)| name.as_str() != "id")
        .map(|(name, json)| {
            let value = match json {
                Json::Null => Value::Null,
                Json::Number(n) => n
                    .as_i64()
                    .map(Value::Integer)
                    .unwrap_or_else(|| Value::Real(n.as_f64().unwrap_or_default())),
                Json::String(s) => Value::Text(s.clone()),
                other => Value::Text(other.to_string()),
            };
            (name, value)
        })
        .collect();
    // Column names come from the table itself (SELECT *), never from input.
    let assignments: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, _))| format!("\"{name}\" = ?{}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE members SET {} WHERE id = ?1",
        assignments.join(", ")
    );
    let mut values: Vec<Value> = vec![Value::Integer(id)];
    values.extend(columns.into_iter().map(|(_, v)| v));
    w.tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    for identity in &member.identities {
        w.tx.prepare_cached(
            "INSERT INTO identities (id, member_id, kind, value, position, source, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            identity.id,
            id,
            identity.kind,
            identity.value,
            identity.position,
            identity.source,
            identity.created_at
        ])?;
    }
    for (tag_id, name) in &member.tags {
        w.tx.prepare_cached(
            "INSERT OR IGNORE INTO tags (id, name, created_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![
            tag_id,
            name,
            member.columns.get("updated_at").and_then(Json::as_str)
        ])?;
        w.tx.prepare_cached(
            "INSERT OR IGNORE INTO member_tags (member_id, tag_id)
             SELECT ?1, id FROM tags WHERE name = ?2",
        )?
        .execute(params![id, name])?;
    }
    for (tag_id, day) in &member.tag_expiry {
        w.tx.prepare_cached(
            "UPDATE member_tags SET expires_on = ?3 WHERE member_id = ?1 AND tag_id = ?2",
        )?
        .execute(params![id, tag_id, day])?;
    }
    Ok(())
}

/// End dates of the merged member's tags, to carry over onto the kept member for tags it did not
/// carry itself: (tag id, last day).
pub fn dated_tags(r: &Read<'_>, member_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT tag_id, expires_on FROM member_tags WHERE member_id = ?1 AND expires_on IS NOT NULL",
        )?
        .query_map([member_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Gives the kept member's links to these tags the merged member's end dates, where the kept
/// member did not already carry the tag (`had`).
pub fn carry_dates(
    w: &mut Write<'_>,
    kept_id: i64,
    dated: &[(i64, String)],
    had: &[i64],
) -> Result<()> {
    for (tag_id, day) in dated.iter().filter(|(t, _)| !had.contains(t)) {
        w.tx.prepare_cached(
            "UPDATE member_tags SET expires_on = ?3 WHERE member_id = ?1 AND tag_id = ?2",
        )?
        .execute(params![kept_id, tag_id, day])?;
    }
    Ok(())
}
