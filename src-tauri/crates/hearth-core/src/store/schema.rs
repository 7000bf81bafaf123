//! Reads of the schema itself (not of any feature's data): which columns refer to a member.
//! Used by the consequences check, so a new table that points at members cannot be forgotten
//! by merge, trash/restore and erase.

use super::Read;
use crate::error::Result;

/// A column that refers to a member: by a foreign key to `members`, or by its name
/// (`member_id`, `…_member_id`) without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberReference {
    pub table: String,
    pub column: String,
    /// The key's `ON DELETE` action (`CASCADE`, `NO ACTION`, …), or `NONE` without a key.
    pub on_delete: String,
}

/// Every column of every table that refers to a member, in table order.
pub fn member_references(r: &Read<'_>) -> Result<Vec<MemberReference>> {
    let mut stmt = r.conn.prepare(
        "SELECT m.name, c.name,
                COALESCE((SELECT f.on_delete FROM pragma_foreign_key_list(m.name) f
                           WHERE f.\"from\" = c.name AND f.\"table\" = 'members'), 'NONE')
           FROM sqlite_master m JOIN pragma_table_info(m.name) c
          WHERE m.type = 'table'
            AND (c.name = 'member_id' OR c.name LIKE '%\\_member\\_id' ESCAPE '\\'
                 OR EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f
                             WHERE f.\"from\" = c.name AND f.\"table\" = 'members'))
          ORDER BY m.name, c.cid",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(MemberReference {
            table: row.get(0)?,
            column: row.get(1)?,
            on_delete: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
