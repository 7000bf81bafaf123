//! Reads behind a member's timeline: their contacts with provenance, the imports and merges
//! that touched them.

use rusqlite::OptionalExtension;

use super::Read;
use crate::error::Result;

pub struct ContactRow {
    pub kind: String,
    pub value: String,
    pub source: String,
    pub created_at: String,
}

pub struct ImportRow {
    pub batch_id: i64,
    pub file_name: String,
    pub action: String,
    pub at: String,
    pub undone: bool,
}

pub struct MergeRow {
    pub kept_id: i64,
    pub merged_id: i64,
    pub other_name: String,
    pub at: String,
    pub undone: bool,
}

pub fn contacts_of(r: &Read<'_>, id: i64) -> Result<Vec<ContactRow>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT kind, value, source, created_at FROM identities WHERE member_id = ?1 ORDER BY id",
        )?
        .query_map([id], |row| {
            Ok(ContactRow {
                kind: row.get(0)?,
                value: row.get(1)?,
                source: row.get(2)?,
                created_at: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn imports_of(r: &Read<'_>, id: i64) -> Result<Vec<ImportRow>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT b.id, b.file_name, c.action, b.created_at, b.undone_at IS NOT NULL
             FROM import_changes c JOIN import_batches b ON b.id = c.batch_id
             WHERE c.member_id = ?1 ORDER BY b.id",
        )?
        .query_map([id], |row| {
            Ok(ImportRow {
                batch_id: row.get(0)?,
                file_name: row.get(1)?,
                action: row.get(2)?,
                at: row.get(3)?,
                undone: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn batch_file(r: &Read<'_>, batch: i64) -> Result<Option<String>> {
    Ok(r.conn
        .prepare_cached("SELECT file_name FROM import_batches WHERE id = ?1")?
        .query_row([batch], |row| row.get(0))
        .optional()?)
}

pub fn merges_of(r: &Read<'_>, id: i64) -> Result<Vec<MergeRow>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT g.kept_id, g.merged_id, o.display_name, g.created_at, g.undone_at IS NOT NULL
             FROM merges g
             JOIN members o ON o.id = CASE WHEN g.kept_id = ?1 THEN g.merged_id ELSE g.kept_id END
             WHERE g.kept_id = ?1 OR g.merged_id = ?1 ORDER BY g.id",
        )?
        .query_map([id], |row| {
            Ok(MergeRow {
                kept_id: row.get(0)?,
                merged_id: row.get(1)?,
                other_name: row.get(2)?,
                at: row.get(3)?,
                undone: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
