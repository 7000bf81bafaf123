//! Candidate rows for the duplicate finder: live members whose name sorts identically (same
//! pinyin, so also 简/繁 variants and homophones) as at least one other live member.

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
pub fn candidates(r: &Read<'_>) -> Result<Vec<Candidate>> {
    let mut stmt = r.conn.prepare(
        "SELECT m.id, m.display_name, m.sort_key, m.city,
                (SELECT group_concat(substr(value, 1, instr(value, '@') - 1), ' ')
                   FROM identities WHERE member_id = m.id AND kind = 'email')
         FROM members m
         WHERE m.deleted_at IS NULL AND m.sort_key IN (
             SELECT sort_key FROM members WHERE deleted_at IS NULL
             GROUP BY sort_key HAVING count(*) > 1)
         ORDER BY m.sort_key, m.id",
    )?;
    let rows = stmt
        .query_map([], |row| {
            let emails: Option<String> = row.get(4)?;
            Ok(Candidate {
                id: row.get(0)?,
                display_name: row.get(1)?,
                sort_key: row.get(2)?,
                city: row.get(3)?,
                email_users: emails
                    .unwrap_or_default()
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
