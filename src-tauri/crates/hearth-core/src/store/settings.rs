//! settings: a small key/value table for preferences.

use rusqlite::{params, OptionalExtension};

use super::{Read, Write};
use crate::error::Result;

pub fn get(r: &Read<'_>, key: &str) -> Result<Option<String>> {
    Ok(r.conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

pub fn set(w: &mut Write<'_>, key: &str, value: &str) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

pub fn remove(w: &mut Write<'_>, key: &str) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM settings WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}
