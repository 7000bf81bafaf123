//! tags and member_tags as a vocabulary (the per-member side lives in `members`).

use rusqlite::{params, OptionalExtension};

use super::members::refresh_search_text;
use super::{Read, Write};
use crate::domain::TagCount;
use crate::error::Result;

pub fn counts(r: &Read<'_>) -> Result<Vec<TagCount>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT t.name, count(m.id), t.color, t.tag_group FROM tags t
             LEFT JOIN member_tags mt ON mt.tag_id = t.id
             LEFT JOIN members m ON m.id = mt.member_id AND m.deleted_at IS NULL
             GROUP BY t.id ORDER BY t.tag_group = '', t.tag_group, count(m.id) DESC, t.name",
        )?
        .query_map([], |row| {
            Ok(TagCount {
                name: row.get(0)?,
                members: row.get(1)?,
                color: row.get(2)?,
                group: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Sets a tag's colour and group; false when there is no such tag.
pub fn style(w: &mut Write<'_>, name: &str, color: &str, group: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("UPDATE tags SET color = ?2, tag_group = ?3 WHERE name = ?1")?
        .execute(params![name, color, group])?
        > 0)
}

fn tag_id(w: &Write<'_>, name: &str) -> Result<Option<i64>> {
    Ok(w.tx
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

fn members_with(w: &Write<'_>, tag: i64) -> Result<Vec<i64>> {
    Ok(w.tx
        .prepare_cached("SELECT member_id FROM member_tags WHERE tag_id = ?1")?
        .query_map([tag], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn refresh(w: &mut Write<'_>, ids: &[i64], now: &str) -> Result<()> {
    for &id in ids {
        w.tx.prepare_cached("UPDATE members SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
        refresh_search_text(w, id)?;
    }
    Ok(())
}

/// Renames `from` to `to`; when `to` exists (other than by case) the two merge. `None` when
/// `from` does not exist. Returns (members touched, merged).
pub fn rename(
    w: &mut Write<'_>,
    from: &str,
    to: &str,
    now: &str,
) -> Result<Option<(Vec<i64>, bool)>> {
    let Some(from_id) = tag_id(w, from)? else {
        return Ok(None);
    };
    let ids = members_with(w, from_id)?;
    let merged = match tag_id(w, to)? {
        Some(to_id) if to_id != from_id => {
            w.tx.prepare_cached(
                "INSERT OR IGNORE INTO member_tags (member_id, tag_id, expires_on)
                 SELECT member_id, ?2, expires_on FROM member_tags WHERE tag_id = ?1",
            )?
            .execute(params![from_id, to_id])?;
            w.tx.prepare_cached("DELETE FROM tags WHERE id = ?1")?
                .execute([from_id])?;
            true
        }
        _ => {
            w.tx.prepare_cached("UPDATE tags SET name = ?2 WHERE id = ?1")?
                .execute(params![from_id, to])?;
            false
        }
    };
    refresh(w, &ids, now)?;
    Ok(Some((ids, merged)))
}

/// Deletes a tag from everyone; `None` when it does not exist.
pub fn delete(w: &mut Write<'_>, name: &str, now: &str) -> Result<Option<Vec<i64>>> {
    let Some(id) = tag_id(w, name)? else {
        return Ok(None);
    };
    let ids = members_with(w, id)?;
    w.tx.prepare_cached("DELETE FROM tags WHERE id = ?1")?
        .execute([id])?;
    refresh(w, &ids, now)?;
    Ok(Some(ids))
}
