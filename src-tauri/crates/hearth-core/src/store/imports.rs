//! import_batches, import_changes, import_flags: the record of applied imports that makes each
//! one undoable, and the values each left out of its members.
//!
//! A batch notes every member it created and, for every existing member it changed, a snapshot
//! (as [`super::merges`] takes them) from just before the first change. Undo refuses when any of
//! those members changed after the batch, so it never throws away later work silently.

use rusqlite::{params, OptionalExtension};

use super::merges::{restore_member, snapshot_member, MemberSnapshot};
use super::{Read, Write};
use crate::domain::ImportBatch;
use crate::domain::RowFlag;
use crate::error::{Error, ErrorCode, Result};

pub struct NewBatch<'a> {
    pub file_name: &'a str,
    pub format: &'a str,
    pub encoding: &'a str,
    pub policy: &'a str,
}

/// Opens a batch (counts filled in by [`finish`]); returns its id.
pub fn begin(w: &mut Write<'_>, batch: &NewBatch<'_>, now: &str) -> Result<i64> {
    let max_tag_id: i64 =
        w.tx.query_row("SELECT coalesce(max(id), 0) FROM tags", [], |r| r.get(0))?;
    w.tx.prepare_cached(
        "INSERT INTO import_batches (file_name, format, encoding, policy, max_tag_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        batch.file_name,
        batch.format,
        batch.encoding,
        batch.policy,
        max_tag_id,
        now
    ])?;
    let id = w.tx.last_insert_rowid();
    w.tx.prepare_cached(
        "UPDATE import_batches SET max_field_id = (SELECT coalesce(max(id), 0) FROM custom_fields)
         WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(id)
}

/// The batch's counts, as [`ImportBatch`] lists them (`id`, `file_name`, ... are ignored).
pub fn finish(w: &mut Write<'_>, batch_id: i64, counts: &BatchCounts) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE import_batches SET created = ?2, updated = ?3, skipped = ?4, invalid = ?5,
                flagged = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        batch_id,
        counts.created,
        counts.updated,
        counts.skipped,
        counts.invalid,
        counts.flagged
    ])?;
    Ok(())
}

pub struct BatchCounts {
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub invalid: u32,
    pub flagged: u32,
}

/// Keeps a row's flags with the batch.
pub fn note_flags(w: &mut Write<'_>, batch_id: i64, flags: &[RowFlag]) -> Result<()> {
    if flags.is_empty() {
        return Ok(());
    }
    let mut stmt = w.tx.prepare_cached(
        "INSERT INTO import_flags (batch_id, line, field, value, reason, message, params)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for f in flags {
        let reason = serde_json::to_value(f.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let params = serde_json::to_string(&f.params)
            .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
        stmt.execute(params![
            batch_id, f.line, f.field, f.value, reason, f.message, params
        ])?;
    }
    Ok(())
}

/// The flags an applied import kept, in file order.
pub fn flags(r: &Read<'_>, batch_id: i64) -> Result<Vec<RowFlag>> {
    let rows: Vec<(u32, String, String, String, String, String)> = r
        .conn
        .prepare_cached(
            "SELECT line, field, value, reason, message, params FROM import_flags
             WHERE batch_id = ?1 ORDER BY line, rowid",
        )?
        .query_map([batch_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(line, field, value, reason, message, params)| RowFlag {
            line,
            field,
            value,
            reason: serde_json::from_value(serde_json::Value::String(reason))
                .unwrap_or(ErrorCode::InvalidInput),
            message,
            params: serde_json::from_str(&params).unwrap_or_default(),
        })
        .collect())
}

pub fn note_created(w: &mut Write<'_>, batch_id: i64, member_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT OR IGNORE INTO import_changes (batch_id, member_id, action) VALUES (?1, ?2, 'create')",
    )?
    .execute(params![batch_id, member_id])?;
    Ok(())
}

/// Snapshots an existing member before the batch first changes it (later changes in the same
/// batch keep the first snapshot).
pub fn note_before_update(w: &mut Write<'_>, batch_id: i64, member_id: i64) -> Result<()> {
    let known: bool =
        w.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM import_changes WHERE batch_id = ?1 AND member_id = ?2)",
        )?
        .query_row(params![batch_id, member_id], |r| r.get(0))?;
    if known {
        return Ok(());
    }
    let snapshot = snapshot_member(&w.read(), member_id)?;
    let json =
        serde_json::to_string(&snapshot).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    w.tx.prepare_cached(
        "INSERT INTO import_changes (batch_id, member_id, action, snapshot) VALUES (?1, ?2, 'update', ?3)",
    )?
    .execute(params![batch_id, member_id, json])?;
    Ok(())
}

const BATCH_COLUMNS: &str = "id, file_name, format, encoding, policy, created, updated, skipped,
     invalid, created_at, undone_at, flagged";

fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportBatch> {
    Ok(ImportBatch {
        id: r.get(0)?,
        file_name: r.get(1)?,
        format: r.get(2)?,
        encoding: r.get(3)?,
        policy: r.get(4)?,
        created: r.get(5)?,
        updated: r.get(6)?,
        skipped: r.get(7)?,
        invalid: r.get(8)?,
        created_at: r.get(9)?,
        undone_at: r.get(10)?,
        flagged: r.get(11)?,
    })
}

/// The latest `limit` batches, newest first.
pub fn list(r: &Read<'_>, limit: u32) -> Result<Vec<ImportBatch>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM import_batches ORDER BY id DESC LIMIT ?1"
        ))?
        .query_map([limit], batch_from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get(r: &Read<'_>, batch_id: i64) -> Result<Option<ImportBatch>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM import_batches WHERE id = ?1"
        ))?
        .query_row([batch_id], batch_from_row)
        .optional()?)
}

/// Puts every member the batch touched back as it was; returns (removed, restored).
pub fn undo(w: &mut Write<'_>, batch_id: i64, now: &str) -> Result<(u32, u32)> {
    let batch: Option<(String, i64, Option<String>)> =
        w.tx.prepare_cached(
            "SELECT created_at, max_tag_id, undone_at FROM import_batches WHERE id = ?1",
        )?
        .query_row([batch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((created_at, max_tag_id, undone_at)) = batch else {
        return Err(Error::not_found("import", batch_id));
    };
    if undone_at.is_some() {
        return Err(
            Error::new(ErrorCode::ImportUndone, "this import was already undone")
                .with_param("batch_id", batch_id),
        );
    }
    // (member id, action, snapshot, member's updated_at, member's name)
    type Change = (i64, String, Option<String>, Option<String>, String);
    let changes: Vec<Change> =
        w.tx.prepare_cached(
            "SELECT c.member_id, c.action, c.snapshot, m.updated_at, m.display_name
             FROM import_changes c JOIN members m ON m.id = c.member_id
             WHERE c.batch_id = ?1 ORDER BY c.member_id",
        )?
        .query_map([batch_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (member_id, _, _, updated_at, name) in &changes {
        if updated_at.as_deref() != Some(created_at.as_str()) {
            return Err(Error::new(
                ErrorCode::ImportOutdated,
                format!("{name} changed after the import; undoing it would lose those changes"),
            )
            .with_param("member_name", name)
            .with_param("member_id", member_id));
        }
    }
    let (mut removed, mut restored) = (0, 0);
    for (member_id, action, snapshot, _, _) in &changes {
        if action == "create" {
            w.tx.prepare_cached("DELETE FROM members WHERE id = ?1")?
                .execute([member_id])?;
            removed += 1;
        } else if let Some(json) = snapshot {
            let snapshot: MemberSnapshot = serde_json::from_str(json)
                .map_err(|e| Error::new(ErrorCode::Database, e.to_string()))?;
            w.tx.prepare_cached("DELETE FROM identities WHERE member_id = ?1")?
                .execute([member_id])?;
            w.tx.prepare_cached("DELETE FROM member_tags WHERE member_id = ?1")?
                .execute([member_id])?;
            restore_member(w, &snapshot)?;
            restored += 1;
        }
    }
    w.tx.prepare_cached(
        "DELETE FROM tags WHERE id > ?1 AND id NOT IN (SELECT tag_id FROM member_tags)",
    )?
    .execute([max_tag_id])?;
    w.tx.prepare_cached(
        "DELETE FROM custom_fields
         WHERE id > (SELECT max_field_id FROM import_batches WHERE id = ?1)
           AND id NOT IN (SELECT field_id FROM member_custom_values)",
    )?
    .execute([batch_id])?;
    w.tx.prepare_cached("UPDATE import_batches SET undone_at = ?2 WHERE id = ?1")?
        .execute(params![batch_id, now])?;
    Ok((removed, restored))
}
