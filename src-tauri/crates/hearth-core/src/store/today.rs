//! Follow-ups and the birthday lookup behind the Today list: rows in, rows out.

use rusqlite::{params, OptionalExtension};

use super::{Read, Write};
use crate::domain::FollowUp;
use crate::error::Result;

const FOLLOWUP: &str = "SELECT f.id, f.member_id, m.display_name, f.due_on, f.note, f.created_at,
                               f.done_at
                          FROM followups f JOIN members m ON m.id = f.member_id";

fn followup(r: &rusqlite::Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        member_id: r.get(1)?,
        member_name: r.get(2)?,
        due_on: r.get(3)?,
        note: r.get(4)?,
        created_at: r.get(5)?,
        done_at: r.get(6)?,
    })
}

pub fn insert_followup(
    w: &mut Write<'_>,
    member_id: i64,
    due_on: &str,
    note: &str,
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO followups (member_id, due_on, note, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![member_id, due_on, note, now])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn get_followup(r: &Read<'_>, id: i64) -> Result<Option<FollowUp>> {
    Ok(r.conn
        .prepare_cached(&format!("{FOLLOWUP} WHERE f.id = ?1"))?
        .query_row([id], followup)
        .optional()?)
}

/// Marks a follow-up done (`Some(now)`) or open again (`None`, the Undo).
pub fn set_done(w: &mut Write<'_>, id: i64, done_at: Option<&str>) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("UPDATE followups SET done_at = ?2 WHERE id = ?1")?
        .execute(params![id, done_at])?
        > 0)
}

/// Open follow-ups due on or before `day` for members not in the trash, the oldest first.
pub fn due(r: &Read<'_>, day: &str, limit: u32) -> Result<Vec<FollowUp>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{FOLLOWUP} WHERE f.done_at IS NULL AND f.due_on <= ?1 AND m.deleted_at IS NULL
          ORDER BY f.due_on, f.id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![day, limit], followup)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A member's follow-ups: open ones first by due day, then done ones, newest first.
pub fn of_member(r: &Read<'_>, member_id: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{FOLLOWUP} WHERE f.member_id = ?1
          ORDER BY f.done_at IS NOT NULL, CASE WHEN f.done_at IS NULL THEN f.due_on END,
                   f.done_at DESC, f.id DESC"
    ))?;
    let rows = stmt.query_map([member_id], followup)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members (not in the trash) whose birthday's month and day (`MM-DD`) is one of `days`:
/// (id, name, birthday).
pub fn birthdays_on(
    r: &Read<'_>,
    days: &[String],
    per_day: u32,
) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, display_name, birthday FROM members
          WHERE birthday IS NOT NULL AND deleted_at IS NULL AND substr(birthday, -5) = ?1
          ORDER BY sort_key, id LIMIT ?2",
    )?;
    let mut out = Vec::new();
    for day in days {
        let rows = stmt.query_map(params![day, per_day], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// Of `ids`, the members whose stage (the manager's override, or else the stored one) is core
/// or loyal, or who are opinion leaders.
pub fn core_loyal_or_leader(r: &Read<'_>, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT 1 FROM member_lifecycle WHERE member_id = ?1
            AND (coalesce(override_stage, stage) IN ('core', 'loyal')
                 OR coalesce(opinion_leader_manual, opinion_leader) = 1)",
    )?;
    let mut out = std::collections::HashSet::new();
    for id in ids {
        if stmt.exists([id])? {
            out.insert(*id);
        }
    }
    Ok(out)
}

/// Gives the merged member's follow-ups to the member kept, remembering which.
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO merge_followups (merge_id, followup_id)
         SELECT ?1, id FROM followups WHERE member_id = ?2",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached(
        "UPDATE followups SET member_id = ?2
          WHERE id IN (SELECT followup_id FROM merge_followups WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, kept_id])?;
    Ok(())
}

/// Undoes [`move_on_merge`].
pub fn unmove_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE followups SET member_id = ?2
          WHERE id IN (SELECT followup_id FROM merge_followups WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached("DELETE FROM merge_followups WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}
