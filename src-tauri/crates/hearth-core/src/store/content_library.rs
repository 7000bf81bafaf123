//! The knowledge library's table (`content_library`): evergreen pieces and FAQ answers, with the
//! item and channel they came from and how often they were planned again. Search is a substring
//! match over title, body and tags (Chinese has no word breaks to index on, and a library is a
//! few hundred entries); the rules live in `ops::content::library`.

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{LibraryEntry, LibraryKind};
use crate::error::Result;

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub kind: LibraryKind,
    pub title: String,
    pub body: String,
    /// JSON array.
    pub tags: String,
    pub source_item_id: Option<i64>,
    pub channel_id: Option<i64>,
}

const SELECT: &str = "SELECT l.id, l.kind, l.title, l.body, l.tags, l.source_item_id,
        l.channel_id, c.name, l.reuse_count, l.last_reused_at, l.created_at, l.updated_at
   FROM content_library l
   LEFT JOIN content_channels c ON c.id = l.channel_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<LibraryEntry> {
    let kind: String = row.get(1)?;
    let tags: String = row.get(4)?;
    Ok(LibraryEntry {
        id: row.get(0)?,
        kind: LibraryKind::parse(&kind).unwrap_or(LibraryKind::Evergreen),
        title: row.get(2)?,
        body: row.get(3)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        source_item_id: row.get(5)?,
        channel_id: row.get(6)?,
        channel_name: row.get(7)?,
        reuse_count: row.get(8)?,
        last_reused_at: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

pub fn entry(r: &Read<'_>, id: i64) -> Result<Option<LibraryEntry>> {
    Ok(r.conn
        .prepare_cached(&format!("{SELECT} WHERE l.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The entry that keeps item `item_id`, if any.
pub fn entry_for_item(r: &Read<'_>, item_id: i64) -> Result<Option<i64>> {
    Ok(r.conn
        .prepare_cached("SELECT id FROM content_library WHERE source_item_id = ?1")?
        .query_row([item_id], |row| row.get(0))
        .optional()?)
}

/// Entries whose title, body or tags contain every one of `terms` (already lower-cased; none
/// lists all), of `kind` (none: both). Title matches first, then the most reused, the newest.
pub fn search(
    r: &Read<'_>,
    terms: &[String],
    kind: Option<LibraryKind>,
) -> Result<Vec<LibraryEntry>> {
    let terms = serde_json::to_string(terms).expect("strings serialise");
    let mut stmt = r.conn.prepare_cached(&format!(
        "{SELECT}
          WHERE (?2 IS NULL OR l.kind = ?2)
            AND NOT EXISTS (SELECT 1 FROM json_each(?1) t
                             WHERE instr(lower(l.title || char(10) || l.body || char(10) || l.tags),
                                         t.value) = 0)
          ORDER BY (SELECT count(*) FROM json_each(?1) t
                     WHERE instr(lower(l.title), t.value) > 0) DESC,
                   l.reuse_count DESC, l.updated_at DESC, l.id DESC"
    ))?;
    let rows = stmt.query_map(params![terms, kind.map(LibraryKind::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(w: &mut Write<'_>, e: &EntryRecord, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO content_library (kind, title, body, tags, source_item_id, channel_id,
                                      created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        e.kind.as_str(),
        e.title,
        e.body,
        e.tags,
        e.source_item_id,
        e.channel_id,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

/// Puts a deleted entry back with its id, counts and stamps.
pub fn reinsert(w: &mut Write<'_>, e: &LibraryEntry, record: &EntryRecord) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO content_library (id, kind, title, body, tags, source_item_id, channel_id,
                                      reuse_count, last_reused_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.id,
        record.kind.as_str(),
        record.title,
        record.body,
        record.tags,
        record.source_item_id,
        record.channel_id,
        e.reuse_count,
        e.last_reused_at,
        e.created_at,
        e.updated_at
    ])?;
    Ok(())
}

/// Changes what the manager edits (not the source item, not the counts).
pub fn update(w: &mut Write<'_>, id: i64, e: &EntryRecord, now: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE content_library SET kind = ?2, title = ?3, body = ?4, tags = ?5,
                    channel_id = ?6, updated_at = ?7
              WHERE id = ?1",
        )?
        .execute(params![
            id,
            e.kind.as_str(),
            e.title,
            e.body,
            e.tags,
            e.channel_id,
            now
        ])?
        > 0)
}

pub fn delete(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM content_library WHERE id = ?1")?
        .execute([id])?
        > 0)
}

/// Counts one more item planned from entry `id`.
pub fn count_reuse(w: &mut Write<'_>, id: i64, now: &str) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE content_library SET reuse_count = reuse_count + 1, last_reused_at = ?2
          WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// `(item, entry)` for the given items the library keeps.
pub fn kept_items(r: &Read<'_>, item_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let ids = serde_json::to_string(item_ids).expect("ids serialise");
    let mut stmt = r.conn.prepare_cached(
        "SELECT source_item_id, id FROM content_library
          WHERE source_item_id IN (SELECT value FROM json_each(?1))
          ORDER BY source_item_id",
    )?;
    let rows = stmt.query_map([ids], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
