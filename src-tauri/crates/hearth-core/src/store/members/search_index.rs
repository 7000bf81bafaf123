//! An in-memory copy of what `members_search_by_name` holds (every live member's `search_text`,
//! in name order), for search-as-you-type over hundreds of thousands of members; and marks into
//! the name index, so that a page deep in the list does not step over every member before it.
//!
//! Why not an index in the database: search is "the needle anywhere in the haystack" (`zw`, `张伟`,
//! the last four digits of a phone), so SQLite can only answer it by reading every row, about
//! 120 ms for 500k members however narrow the row. An FTS5 trigram index answers needles of three
//! characters and more, but costs 100 MB at that size, triples the time of bulk tagging (every
//! tagged member's document is rewritten), and its internal segments depend on the order of past
//! writes, so undoing a merge would no longer leave the file as it was. A plain n-gram table that
//! stays a pure function of the data would hold some 35 million rows. Scanning memory instead
//! takes 2–10 ms for 500k members and changes nothing on disk.
//!
//! The copy is exact, never approximate: it is dropped as soon as `PRAGMA data_version` says
//! another connection committed since it was read, and read again by the next search (about
//! 150 ms for 500k members, 25 ms for 100k), so every write path (create, update, tags, merge and
//! its undo, import and its undo, trash, restore, erase, and other processes) is covered without
//! each having to remember it. The price is that any commit, even one that touches no member,
//! costs the next search that reread. It is only used on a reader connection outside a
//! transaction; inside a write transaction callers scan SQL as before.
//!
//! The store hands out a `&Connection` per read, not the `Store`, so copies are kept in a small
//! process-wide registry keyed by a number written into the connection's own TEMP schema
//! (`PRAGMA temp.user_version`): it lives and dies with the connection, is never in the database
//! file, and a new connection can never pick up another's copy.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::types::Type;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::store::Read;

/// Members per block: each block is first tested as one string, and only the blocks that contain
/// the needle are looked at member by member.
const BLOCK: usize = 64;

/// Copies kept at once (one per live reader connection; the app has one, tests have many).
const KEEP: usize = 8;

/// 4-digit windows are numbers below 10,000: one bit each.
const QUAD_WORDS: usize = 10_000usize.div_ceil(64);

/// Every this many members in name order, [`NameMarks`] remembers where the name index is.
pub(super) const MARK_EVERY: u32 = 1024;

type Slot = Arc<Mutex<Copies>>;

/// What is kept for one reader connection, all read when its `PRAGMA data_version` was
/// `version`.
#[derive(Default)]
struct Copies {
    version: i64,
    search: Option<SearchIndex>,
    marks: Option<NameMarks>,
}

impl Copies {
    /// Drops whatever another connection's commit has made outdated, at once: it is never used
    /// again, and an erased member's data should not linger in memory until the next search.
    fn forget_outdated(&mut self, version: i64) {
        if version != self.version {
            *self = Copies {
                version,
                ..Copies::default()
            };
        }
    }
}

/// The `(sort_key, id)` of every [`MARK_EVERY`]th live member in name order, so that a page deep
/// in the list starts from the nearest mark instead of stepping over every row before it
/// (SQLite's `OFFSET` walks the index one entry at a time: about 8 ms to reach the middle of
/// 500k members). One walk of the narrow name index rebuilds it after a commit (about 15 ms).
struct NameMarks(Vec<(String, i64)>);

static REGISTRY: Mutex<Vec<(i32, Slot)>> = Mutex::new(Vec::new());
static NEXT_TAG: AtomicI32 = AtomicI32::new(1);

struct SearchIndex {
    /// Live members in `(sort_key, id)` order.
    ids: Vec<i64>,
    /// Member `i`'s haystack is `text[starts[i]..starts[i + 1]]` (with a trailing newline, which
    /// no needle contains, so a block-wide match never spans two members).
    starts: Vec<u32>,
    text: String,
    /// Per block, which 4-digit numbers occur inside its runs of digits: a needle made of four
    /// or more digits can only be in a block that has every one of its 4-digit windows. Built on
    /// the first such search (digits are dense in phone numbers, where a plain scan is slowest).
    quads: Option<Vec<[u64; QUAD_WORDS]>>,
}

/// Ids of the live members whose `search_text` contains `needle` (non-empty, already normalised),
/// in `(sort_key, id)` order; `None` when the copy cannot be used (a connection inside a
/// transaction, which may see its own uncommitted writes).
pub(super) fn matching(r: &Read<'_>, needle: &str) -> Result<Option<Vec<i64>>> {
    let conn = r.conn;
    if !conn.is_autocommit() {
        return Ok(None);
    }
    let slot = slot(conn)?;
    let mut copies = slot.lock().unwrap_or_else(|p| p.into_inner());
    copies.forget_outdated(data_version(conn)?);
    if copies.search.is_none() {
        copies.search = SearchIndex::read(conn)?;
    }
    let Some(ix) = copies.search.as_mut() else {
        return Ok(None);
    };
    Ok(Some(ix.find(needle)))
}

/// Ids of the live members at positions `start..start + len` in `(sort_key, id)` order (fewer at
/// the end of the list); `None` inside a transaction.
pub(super) fn name_page(r: &Read<'_>, start: u32, len: u32) -> Result<Option<Vec<i64>>> {
    let conn = r.conn;
    if !conn.is_autocommit() {
        return Ok(None);
    }
    let slot = slot(conn)?;
    let mut copies = slot.lock().unwrap_or_else(|p| p.into_inner());
    copies.forget_outdated(data_version(conn)?);
    if let Some(ix) = &copies.search {
        let from = (start as usize).min(ix.ids.len());
        let to = from.saturating_add(len as usize).min(ix.ids.len());
        return Ok(Some(ix.ids[from..to].to_vec()));
    }
    if copies.marks.is_none() {
        copies.marks = Some(NameMarks::read(conn)?);
    }
    let Some(marks) = &copies.marks else {
        return Ok(None);
    };
    let Some((key, id)) = marks.0.get((start / MARK_EVERY) as usize) else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        conn.prepare_cached(
            "SELECT id FROM members INDEXED BY members_by_name
             WHERE deleted_at IS NULL AND (sort_key, id) >= (?1, ?2)
             ORDER BY sort_key, id LIMIT ?3 OFFSET ?4",
        )?
        .query_map(params![key, id, len, start % MARK_EVERY], |row| {
            row.get::<_, i64>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?,
    ))
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA main.data_version", [], |row| row.get(0))?)
}

/// This connection's copy in the registry, tagging the connection on first use.
fn slot(conn: &Connection) -> Result<Slot> {
    let mut tag: i32 = conn.query_row("PRAGMA temp.user_version", [], |row| row.get(0))?;
    if tag == 0 {
        tag = NEXT_TAG.fetch_add(1, Ordering::Relaxed);
        conn.execute_batch(&format!("PRAGMA temp.user_version = {tag}"))?;
    }
    let mut registry = REGISTRY.lock().unwrap_or_else(|p| p.into_inner());
    let slot = match registry.iter().position(|(t, _)| *t == tag) {
        // Most recently used last: the first entry is the one to let go.
        Some(i) => registry.remove(i).1,
        None => Arc::new(Mutex::new(Copies::default())),
    };
    registry.push((tag, Arc::clone(&slot)));
    if registry.len() > KEEP {
        registry.remove(0);
    }
    Ok(slot)
}

impl NameMarks {
    fn read(conn: &Connection) -> Result<NameMarks> {
        let mut stmt = conn.prepare_cached(
            "SELECT sort_key, id FROM members INDEXED BY members_by_name
             WHERE deleted_at IS NULL ORDER BY sort_key, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut marks = Vec::new();
        let mut n = 0u32;
        while let Some(row) = rows.next()? {
            if n.is_multiple_of(MARK_EVERY) {
                marks.push((row.get(0)?, row.get(1)?));
            }
            n = n.wrapping_add(1);
        }
        Ok(NameMarks(marks))
    }
}

impl SearchIndex {
    /// Reads every live member's haystack in name order; `None` if it would not fit the offsets.
    fn read(conn: &Connection) -> Result<Option<SearchIndex>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, search_text FROM members INDEXED BY members_search_by_name
             WHERE deleted_at IS NULL ORDER BY sort_key, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut ix = SearchIndex {
            ids: Vec::new(),
            starts: Vec::new(),
            text: String::new(),
            quads: None,
        };
        while let Some(row) = rows.next()? {
            let text = row.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, Type::Text, Box::new(e))
            })?;
            let Ok(start) = u32::try_from(ix.text.len()) else {
                return Ok(None);
            };
            ix.ids.push(row.get(0)?);
            ix.starts.push(start);
            ix.text.push_str(text);
            ix.text.push('\n');
        }
        let Ok(end) = u32::try_from(ix.text.len()) else {
            return Ok(None);
        };
        ix.starts.push(end);
        ix.text.shrink_to_fit();
        ix.ids.shrink_to_fit();
        ix.starts.shrink_to_fit();
        Ok(Some(ix))
    }

    fn haystack(&self, i: usize) -> &str {
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    fn find(&mut self, needle: &str) -> Vec<i64> {
        let n = self.ids.len();
        let windows = quads_of(needle);
        if windows.is_some() && self.quads.is_none() {
            self.quads = Some(self.block_quads());
        }
        let quads = windows.as_ref().and(self.quads.as_ref());
        let mut found = Vec::new();
        for (b, lo) in (0..n).step_by(BLOCK).enumerate() {
            let hi = (lo + BLOCK).min(n);
            if let (Some(windows), Some(quads)) = (&windows, quads) {
                let bits = &quads[b];
                if !windows.iter().all(|&w| bits[w / 64] >> (w % 64) & 1 == 1) {
                    continue;
                }
            }
            let block = &self.text[self.starts[lo] as usize..self.starts[hi] as usize];
            if !block.contains(needle) {
                continue;
            }
            found.extend(
                (lo..hi)
                    .filter(|&i| self.haystack(i).contains(needle))
                    .map(|i| self.ids[i]),
            );
        }
        found
    }

    fn block_quads(&self) -> Vec<[u64; QUAD_WORDS]> {
        let n = self.ids.len();
        (0..n)
            .step_by(BLOCK)
            .map(|lo| {
                let mut bits = [0u64; QUAD_WORDS];
                let hi = (lo + BLOCK).min(n);
                let block = &self.text[self.starts[lo] as usize..self.starts[hi] as usize];
                each_quad(block, |w| bits[w / 64] |= 1 << (w % 64));
                bits
            })
            .collect()
    }
}

/// The 4-digit windows of a needle made only of digits, at least four of them.
fn quads_of(needle: &str) -> Option<Vec<usize>> {
    if needle.len() < 4 || !needle.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut windows = Vec::new();
    each_quad(needle, |w| windows.push(w));
    windows.sort_unstable();
    windows.dedup();
    Some(windows)
}

/// Calls `f` with every number formed by four consecutive digits of `text`.
fn each_quad(text: &str, mut f: impl FnMut(usize)) {
    let (mut value, mut run) = (0usize, 0usize);
    for b in text.bytes() {
        if b.is_ascii_digit() {
            value = (value * 10 + usize::from(b - b'0')) % 10_000;
            run += 1;
            if run >= 4 {
                f(value);
            }
        } else {
            run = 0;
            value = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quads_are_the_four_digit_windows_inside_digit_runs() {
        let mut seen = Vec::new();
        each_quad("a12345\u{1f}9876x123", |w| seen.push(w));
        assert_eq!(seen, vec![1234, 2345, 9876]);
        assert_eq!(quads_of("0037"), Some(vec![37]));
        assert_eq!(
            quads_of("13800138000"),
            Some(vec![13, 138, 1380, 3800, 8000, 8001])
        );
        assert_eq!(quads_of("123"), None);
        assert_eq!(quads_of("12a45"), None);
    }

    fn index(haystacks: &[&str]) -> SearchIndex {
        let mut ix = SearchIndex {
            ids: Vec::new(),
            starts: Vec::new(),
            text: String::new(),
            quads: None,
        };
        for (i, h) in haystacks.iter().enumerate() {
            ix.ids.push(i as i64 + 1);
            ix.starts.push(ix.text.len() as u32);
            ix.text.push_str(h);
            ix.text.push('\n');
        }
        ix.starts.push(ix.text.len() as u32);
        ix
    }

    #[test]
    fn finds_exactly_the_members_whose_haystack_contains_the_needle() {
        // More than one block, matches on both sides of a block boundary, and a needle that
        // would only match across two members.
        let mut haystacks: Vec<String> =
            (0..150).map(|i| format!("m{i}\u{1f}1700{i:04}")).collect();
        haystacks[63] = "张伟\u{1f}zhangwei\u{1f}zw\u{1f}8613800138000".into();
        haystacks[64] = "欧阳张伟明\u{1f}oyzwm".into();
        haystacks[149] = "amy chen\u{1f}15550100199".into();
        let refs: Vec<&str> = haystacks.iter().map(String::as_str).collect();
        let mut ix = index(&refs);
        assert_eq!(ix.find("张伟"), vec![64, 65]);
        assert_eq!(ix.find("zw"), vec![64, 65]);
        assert_eq!(ix.find("8000"), vec![64]);
        assert_eq!(ix.find("0199"), vec![150]);
        assert!(ix.find("17000149").is_empty());
        assert_eq!(ix.find("17000148"), vec![149]);
        let m14: Vec<i64> = [14, 140, 141, 142, 143, 144, 145, 146, 147, 148]
            .iter()
            .map(|i| i + 1)
            .collect();
        assert_eq!(ix.find("m14"), m14);
        assert!(ix.find("0\nm").is_empty(), "never across two members");
    }
}
