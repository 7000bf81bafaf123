//! Paging and searching the live members: one page in the order asked for (name, joined,
//! created; either way) with the total, and the ids of every match of a search.
//!
//! A search goes to the in-memory haystacks (`search_index`) when it can and to one SQL pass
//! over `search_text` inside a write transaction; paging stays in SQL on the order's index.
//! Deliberately absent: writing members and loading one member's details (`store::members`).

use rusqlite::params;

use super::{by_ids, count, search_index};
use crate::domain::{Member, MemberSort};
use crate::error::Result;
use crate::store::Read;

pub struct ListQuery<'q> {
    /// Already normalised with [`crate::text::search_needle`]; empty means everyone.
    pub needle: &'q str,
    pub sort: MemberSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

/// One page of live members matching the query, and how many match in all.
///
/// Without a needle the total comes from [`count`] and the page from an index walk in the
/// requested order. With one, the ids of every match come from the in-memory copy of the
/// haystacks in name order, which gives the total and (sorted by name) the page at once; inside a
/// write transaction a single SQL pass does the same (`instr` on the lower-cased haystack: a plain
/// substring test, no wildcards to escape).
pub fn list(r: &Read<'_>, q: &ListQuery<'_>) -> Result<(u32, Vec<Member>)> {
    if q.needle.is_empty() {
        let total = count(r)?;
        let ids = page_of_everyone(r, q, total)?;
        return Ok((total, by_ids(r, &ids)?));
    }
    let found = match search_index::matching(r, q.needle)? {
        Some(ids) => ids,
        None => scan_matching(r, q.needle)?,
    };
    let total = found.len() as u32;
    let page = match q.sort {
        MemberSort::Name => page_of(&found, q),
        _ if found.len() <= REORDER_MAX => reorder_page(r, &found, q)?,
        _ => scan_page(r, q)?,
    };
    Ok((total, by_ids(r, &page)?))
}

/// Above this many matches, sorting them by join or creation date is one SQL pass over the
/// table rather than a lookup per match.
const REORDER_MAX: usize = 20_000;

fn order_column(sort: MemberSort) -> (&'static str, &'static str) {
    match sort {
        MemberSort::Name => ("sort_key", "members_by_name"),
        MemberSort::JoinedAt => ("joined_at", "members_by_joined"),
        MemberSort::CreatedAt => ("created_at", "members_by_created"),
    }
}

/// The page `q` asks for out of ids already in its order (ascending name order when the query is
/// by name: a descending page is read from the end).
fn page_of(ids: &[i64], q: &ListQuery<'_>) -> Vec<i64> {
    let (offset, limit) = (q.offset as usize, q.limit as usize);
    if q.descending && q.sort == MemberSort::Name {
        ids.iter().rev().skip(offset).take(limit).copied().collect()
    } else {
        ids.iter().skip(offset).take(limit).copied().collect()
    }
}

/// A page of everyone. SQLite steps over `OFFSET` rows one at a time (about 30 ns each on the
/// narrow index), so a page near the end is read backwards from there and turned round, and by
/// name (the board's default) a page deep in the middle starts from the nearest in-memory mark
/// instead ([`search_index::name_page`]).
fn page_of_everyone(r: &Read<'_>, q: &ListQuery<'_>, total: u32) -> Result<Vec<i64>> {
    let start = q.offset.min(total);
    let end = start.saturating_add(q.limit).min(total);
    if start == end {
        return Ok(Vec::new());
    }
    // The same rows in ascending order are `lo..hi`.
    let (lo, hi) = if q.descending {
        (total - end, total - start)
    } else {
        (start, end)
    };
    let from_far_end = total - hi < lo;
    if q.sort == MemberSort::Name && lo.min(total - hi) >= search_index::MARK_EVERY {
        if let Some(mut ids) = search_index::name_page(r, lo, hi - lo)? {
            if q.descending {
                ids.reverse();
            }
            return Ok(ids);
        }
    }
    let (skip, descending) = if from_far_end {
        (total - hi, true)
    } else {
        (lo, false)
    };
    let (column, index) = order_column(q.sort);
    let dir = if descending { "DESC" } else { "ASC" };
    let mut ids = r
        .conn
        .prepare_cached(&format!(
            "SELECT id FROM members INDEXED BY {index} WHERE deleted_at IS NULL
             ORDER BY {column} {dir}, id {dir} LIMIT ?1 OFFSET ?2"
        ))?
        .query_map(params![hi - lo, skip], |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Ascending order, then the order asked for.
    if descending != q.descending {
        ids.reverse();
    }
    Ok(ids)
}

/// The page of matches in join or creation order, looked up by id.
fn reorder_page(r: &Read<'_>, found: &[i64], q: &ListQuery<'_>) -> Result<Vec<i64>> {
    let (column, _) = order_column(q.sort);
    let dir = if q.descending { "DESC" } else { "ASC" };
    let list = format!(
        "[{}]",
        found
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT id FROM members
             WHERE id IN (SELECT value FROM json_each(?1)) AND deleted_at IS NULL
             ORDER BY {column} {dir}, id {dir} LIMIT ?2 OFFSET ?3"
        ))?
        .query_map(params![list, q.limit, q.offset], |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The page of matches in the query's order, walking the table in that order (it stops once the
/// page is full, however many match).
fn scan_page(r: &Read<'_>, q: &ListQuery<'_>) -> Result<Vec<i64>> {
    let (column, _) = order_column(q.sort);
    let dir = if q.descending { "DESC" } else { "ASC" };
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT id FROM members
             WHERE deleted_at IS NULL AND instr(search_text, ?1) > 0
             ORDER BY {column} {dir}, id {dir} LIMIT ?2 OFFSET ?3"
        ))?
        .query_map(params![q.needle, q.limit, q.offset], |row| {
            row.get::<_, i64>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Ids of every live member the needle matches, in name order, by reading every haystack in SQL
/// (used where the in-memory copy cannot be: inside a write transaction).
fn scan_matching(r: &Read<'_>, needle: &str) -> Result<Vec<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT id FROM members INDEXED BY members_search_by_name
             WHERE deleted_at IS NULL AND instr(search_text, ?1) > 0 ORDER BY sort_key, id",
        )?
        .query_map([needle], |row| row.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Ids of every live member the needle matches (everyone when empty), in name order.
pub fn matching_ids(r: &Read<'_>, needle: &str) -> Result<Vec<i64>> {
    if needle.is_empty() {
        return Ok(r
            .conn
            .prepare_cached(
                "SELECT id FROM members INDEXED BY members_by_name
                 WHERE deleted_at IS NULL ORDER BY sort_key, id",
            )?
            .query_map([], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?);
    }
    match search_index::matching(r, needle)? {
        Some(ids) => Ok(ids),
        None => scan_matching(r, needle),
    }
}
