//! Candidate rows for the duplicate finder: live members whose name sorts identically (same
//! pinyin, so also 简/繁 variants and homophones) as at least one other live member.

use std::collections::HashMap;

use super::Read;
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub display_name: String,
    pub sort_key: String,
    pub city: String,
    /// Local parts of the member's emails (before the `@`).
    pub email_users: Vec<String>,
}

/// Candidates ordered by sort key, so each group of namesakes is contiguous.
///
/// Two sequential passes (live members, then email identities) and a sort in memory: with half a
/// million members, walking the name index and looking up each row and its emails took seconds
/// where reading the tables front to back takes a fraction of one.
pub fn candidates(r: &Read<'_>) -> Result<Vec<Candidate>> {
    let mut members = r
        .conn
        .prepare(
            "SELECT id, display_name, sort_key, city FROM members NOT INDEXED
             WHERE deleted_at IS NULL",
        )?
        .query_map([], |row| {
            Ok(Candidate {
                id: row.get(0)?,
                display_name: row.get(1)?,
                sort_key: row.get(2)?,
                city: row.get(3)?,
                email_users: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The same order as `ORDER BY sort_key, id` (BINARY collation compares bytes, as `str` does).
    members.sort_unstable_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
    let mut candidates = Vec::new();
    let mut rest = members.into_iter().peekable();
    while let Some(first) = rest.next() {
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|c| c.sort_key == group[0].sort_key) {
            group.push(next);
        }
        if group.len() > 1 {
            candidates.append(&mut group);
        }
    }
    let position: HashMap<i64, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut stmt = r.conn.prepare(
        "SELECT member_id, substr(value, 1, instr(value, '@') - 1) FROM identities NOT INDEXED
         WHERE kind = 'email'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let member_id: i64 = row.get(0)?;
        let Some(&i) = position.get(&member_id) else {
            continue;
        };
        let user: String = row.get(1)?;
        if !user.is_empty() {
            candidates[i].email_users.push(user);
        }
    }
    Ok(candidates)
}
