//! members, identities, tags, member_tags.
//!
//! `search_text` is a denormalised, lower-cased haystack (name, pinyin with and without spaces,
//! initials, identity values with phones as bare digits, tags) rewritten on every save, so that
//! a search is one substring test per member. Outside write transactions that test runs over an
//! in-memory copy of the haystacks (`search_index`); sorting and paging stay in SQL (`list`,
//! which holds the paged and searched reads; this file keeps writes and single-member reads).

mod list;
mod search_index;

use std::collections::HashMap;

use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{Gender, Identity, IdentityKind, Member};
use crate::error::{Error, ErrorCode, Result};
use crate::text::NameKeys;

pub use list::{list, matching_ids, ListQuery};

/// A member after validation and normalisation: safe to write as is.
#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub display_name: String,
    pub keys: NameKeys,
    pub identities: Vec<Identity>,
    pub tags: Vec<String>,
    pub joined_at: Option<String>,
    pub notes: String,
    pub gender: Option<Gender>,
    pub city: String,
    pub birthday: Option<String>,
    pub role: String,
    pub responsibilities: String,
    pub source: String,
    /// Custom field values as (field id, canonical value); replaced on every save.
    pub custom: Vec<(i64, String)>,
    /// Provenance written on identities this save adds (`manual`, `import:12`); identities the
    /// member already has keep theirs.
    pub identity_source: String,
}

pub(crate) const MEMBER_COLUMNS: &str =
    "id, display_name, pinyin, joined_at, notes, created_at, updated_at,
     gender, city, birthday, role, responsibilities, source";

pub(crate) fn member_from_row(row: &Row<'_>) -> rusqlite::Result<Member> {
    let gender: String = row.get(7)?;
    Ok(Member {
        id: row.get(0)?,
        display_name: row.get(1)?,
        pinyin: row.get(2)?,
        joined_at: row.get(3)?,
        notes: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        gender: Gender::parse(&gender),
        city: row.get(8)?,
        birthday: row.get(9)?,
        role: row.get(10)?,
        responsibilities: row.get(11)?,
        source: row.get(12)?,
        custom: Default::default(),
        identities: Vec::new(),
        tags: Vec::new(),
    })
}

/// Inserts a new member with its identities and tags; returns its id.
pub fn insert(w: &mut Write<'_>, record: &MemberRecord, now: &str) -> Result<i64> {
    insert_with(w, record, now, Owners::Check)
}

/// Whether a write looks up who holds each identity first (and refuses one held by another
/// member), or the caller already knows no one else does (an import checks every row's
/// contacts against its own map of who holds what, once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owners {
    Check,
    KnownFree,
}

/// [`insert`], with the identity check as the caller says.
pub fn insert_with(
    w: &mut Write<'_>,
    record: &MemberRecord,
    now: &str,
    owners: Owners,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO members (display_name, pinyin, sort_key, search_text, joined_at, notes,
                              created_at, updated_at, gender, city, birthday, role,
                              responsibilities, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        record.display_name,
        record.keys.pinyin,
        record.keys.sort_key,
        search_text(record),
        record.joined_at,
        record.notes,
        now,
        record.gender.map_or("", Gender::as_str),
        record.city,
        record.birthday,
        record.role,
        record.responsibilities,
        record.source,
    ])?;
    let id = w.tx.last_insert_rowid();
    replace_identities(
        w,
        id,
        &record.identities,
        &record.identity_source,
        now,
        owners,
    )?;
    replace_tags(w, id, &record.tags, now)?;
    super::custom_fields::replace_values(w, id, &record.custom)?;
    Ok(id)
}

/// Overwrites a live member's fields, identities and tags.
pub fn update(w: &mut Write<'_>, id: i64, record: &MemberRecord, now: &str) -> Result<()> {
    update_with(w, id, record, now, Owners::Check)
}

/// [`update`], with the identity check as the caller says.
pub fn update_with(
    w: &mut Write<'_>,
    id: i64,
    record: &MemberRecord,
    now: &str,
    owners: Owners,
) -> Result<()> {
    let changed =
        w.tx.prepare_cached(
            "UPDATE members SET display_name = ?2, pinyin = ?3, sort_key = ?4, search_text = ?5,
                    joined_at = ?6, notes = ?7, updated_at = ?8, gender = ?9, city = ?10,
                    birthday = ?11, role = ?12, responsibilities = ?13, source = ?14
             WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .execute(params![
            id,
            record.display_name,
            record.keys.pinyin,
            record.keys.sort_key,
            search_text(record),
            record.joined_at,
            record.notes,
            now,
            record.gender.map_or("", Gender::as_str),
            record.city,
            record.birthday,
            record.role,
            record.responsibilities,
            record.source,
        ])?;
    if changed == 0 {
        return Err(Error::not_found("member", id));
    }
    replace_identities(
        w,
        id,
        &record.identities,
        &record.identity_source,
        now,
        owners,
    )?;
    replace_tags(w, id, &record.tags, now)?;
    super::custom_fields::replace_values(w, id, &record.custom)
}

fn replace_identities(
    w: &mut Write<'_>,
    id: i64,
    identities: &[Identity],
    source: &str,
    now: &str,
    owners: Owners,
) -> Result<()> {
    let checked = identities
        .iter()
        .filter(|i| owners == Owners::Check && i.kind.is_unique());
    for identity in checked {
        if let Some((owner_id, owner_name)) = identity_owner(&w.read(), identity)? {
            if owner_id != id {
                return Err(Error::new(
                    ErrorCode::IdentityTaken,
                    format!(
                        "{} {} already belongs to {owner_name} (#{owner_id})",
                        identity.kind.as_str(),
                        identity.value
                    ),
                )
                .with_field(identity.kind.as_str())
                .with_param("value", &identity.value)
                .with_param("member_id", owner_id)
                .with_param("member_name", owner_name));
            }
        }
    }
    let existing: Vec<(i64, String, String)> =
        w.tx.prepare_cached("SELECT id, kind, value FROM identities WHERE member_id = ?1")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
    for (row_id, kind, value) in &existing {
        let kept = identities
            .iter()
            .any(|i| i.kind.as_str() == kind && &i.value == value);
        if !kept {
            w.tx.prepare_cached("DELETE FROM identities WHERE id = ?1")?
                .execute([row_id])?;
        }
    }
    for (position, identity) in identities.iter().enumerate() {
        let row_id = existing
            .iter()
            .find(|(_, kind, value)| kind == identity.kind.as_str() && value == &identity.value)
            .map(|(row_id, _, _)| *row_id);
        match row_id {
            Some(row_id) => {
                w.tx.prepare_cached(
                    "UPDATE identities SET position = ?2 WHERE id = ?1 AND position != ?2",
                )?
                .execute(params![row_id, position])?;
            }
            None => {
                w.tx.prepare_cached(
                    "INSERT INTO identities (member_id, kind, value, position, source, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    id,
                    identity.kind.as_str(),
                    identity.value,
                    position,
                    source,
                    now
                ])?;
            }
        }
    }
    Ok(())
}

/// Who holds this identity (including members in the trash), if anyone.
pub fn identity_owner(r: &Read<'_>, identity: &Identity) -> Result<Option<(i64, String)>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT m.id, m.display_name FROM identities i JOIN members m ON m.id = i.member_id
             WHERE i.kind = ?1 AND i.value = ?2 LIMIT 1",
        )?
        .query_row(params![identity.kind.as_str(), identity.value], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?)
}

/// Calls `f(kind, value)` for every identity of a kind one member at most can hold (trash
/// included), in no particular order: an import builds its map of who holds what from it.
pub fn each_unique_identity(r: &Read<'_>, mut f: impl FnMut(&str, &str)) -> Result<()> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT kind, value FROM identities
         WHERE kind NOT IN ('wechat_remark', 'group_nick', 'qq_card')",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let kind = row.get_ref(0)?.as_str().unwrap_or_default();
        let value = row.get_ref(1)?.as_str().unwrap_or_default();
        f(kind, value);
    }
    Ok(())
}

/// Sets a member's tags; tags the member keeps keep their expiry date.
fn replace_tags(w: &mut Write<'_>, id: i64, tags: &[String], now: &str) -> Result<()> {
    let current: Vec<(i64, String)> =
        w.tx.prepare_cached(
            "SELECT t.id, t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
             WHERE mt.member_id = ?1",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (tag_id, name) in &current {
        if !tags.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
            w.tx.prepare_cached("DELETE FROM member_tags WHERE member_id = ?1 AND tag_id = ?2")?
                .execute(params![id, tag_id])?;
        }
    }
    for tag in tags {
        w.tx.prepare_cached("INSERT OR IGNORE INTO tags (name, created_at) VALUES (?1, ?2)")?
            .execute(params![tag, now])?;
        w.tx.prepare_cached(
            "INSERT OR IGNORE INTO member_tags (member_id, tag_id)
             SELECT ?1, id FROM tags WHERE name = ?2",
        )?
        .execute(params![id, tag])?;
    }
    Ok(())
}

fn search_text(record: &MemberRecord) -> String {
    compose_search_text(
        &record.display_name,
        &record.keys,
        &record.city,
        &record.identities,
        &record.tags,
    )
}

fn compose_search_text(
    name: &str,
    keys: &NameKeys,
    city: &str,
    identities: &[Identity],
    tags: &[String],
) -> String {
    let mut parts: Vec<String> = vec![name.to_lowercase()];
    if !keys.pinyin.is_empty() {
        parts.push(keys.pinyin.replace(' ', ""));
        parts.push(keys.pinyin.clone());
        parts.push(keys.initials.clone());
    }
    if !city.is_empty() {
        parts.push(city.to_lowercase());
    }
    for identity in identities {
        parts.push(match identity.kind {
            IdentityKind::Phone => identity.value.trim_start_matches('+').to_owned(),
            _ => identity.value.to_lowercase(),
        });
    }
    parts.extend(tags.iter().map(|t| t.to_lowercase()));
    // U+001F between fields keeps a match from spanning two of them.
    parts.join("\u{1f}")
}

/// Recomputes `search_text` from what is stored now (after tag or identity changes made
/// directly in SQL, such as bulk tagging and merges).
pub fn refresh_search_text(w: &mut Write<'_>, id: i64) -> Result<()> {
    let Some(member) = load(&w.read(), id, false)? else {
        return Ok(());
    };
    let keys = crate::text::name_keys(&member.display_name);
    let text = compose_search_text(
        &member.display_name,
        &keys,
        &member.city,
        &member.identities,
        &member.tags,
    );
    w.tx.prepare_cached("UPDATE members SET search_text = ?2 WHERE id = ?1")?
        .execute(params![id, text])?;
    Ok(())
}

/// Adds tags to live members; returns how many (member, tag) links were new.
pub fn add_tags(
    w: &mut Write<'_>,
    ids: &[i64],
    tags: &[String],
    expires_on: Option<&str>,
    now: &str,
) -> Result<u32> {
    let mut added = 0;
    for tag in tags {
        w.tx.prepare_cached("INSERT OR IGNORE INTO tags (name, created_at) VALUES (?1, ?2)")?
            .execute(params![tag, now])?;
    }
    for &id in ids {
        // Appending the new tags to the haystack is enough for search; a full recompute (as on
        // removal) would cost a read of the member per row.
        let mut appended = String::new();
        for tag in tags {
            let linked =
                w.tx.prepare_cached(
                    "INSERT OR IGNORE INTO member_tags (member_id, tag_id)
                     SELECT m.id, t.id FROM members m, tags t
                     WHERE m.id = ?1 AND m.deleted_at IS NULL AND t.name = ?2",
                )?
                .execute(params![id, tag])?;
            // An end date applies to everyone tagged now, including members who had the tag;
            // without one, existing end dates stay.
            if let Some(day) = expires_on {
                w.tx.prepare_cached(
                    "UPDATE member_tags SET expires_on = ?3
                     WHERE member_id = ?1 AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
                )?
                .execute(params![id, tag, day])?;
            }
            if linked > 0 {
                appended.push('\u{1f}');
                appended.push_str(&tag.to_lowercase());
                added += 1;
            }
        }
        if !appended.is_empty() {
            w.tx.prepare_cached(
                "UPDATE members SET updated_at = ?2, search_text = search_text || ?3 WHERE id = ?1",
            )?
            .execute(params![id, now, appended])?;
        }
    }
    Ok(added)
}

/// Removes tags from live members; returns how many links went.
pub fn remove_tags(w: &mut Write<'_>, ids: &[i64], tags: &[String], now: &str) -> Result<u32> {
    let mut removed = 0;
    for &id in ids {
        let mut changed = 0;
        for tag in tags {
            changed +=
                w.tx.prepare_cached(
                    "DELETE FROM member_tags WHERE member_id = ?1
                     AND tag_id = (SELECT id FROM tags WHERE name = ?2)
                     AND EXISTS (SELECT 1 FROM members WHERE id = ?1 AND deleted_at IS NULL)",
                )?
                .execute(params![id, tag])?;
        }
        if changed > 0 {
            touch(w, id, now)?;
            refresh_search_text(w, id)?;
            removed += changed as u32;
        }
    }
    Ok(removed)
}

fn touch(w: &mut Write<'_>, id: i64, now: &str) -> Result<()> {
    w.tx.prepare_cached("UPDATE members SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Deletes members for good, with everything that points at them (identities, tags, merge
/// snapshots, and members merged into them). Returns how many member rows went.
pub fn erase(w: &mut Write<'_>, ids: &[i64]) -> Result<u32> {
    let mut n = 0;
    for &id in ids {
        n +=
            w.tx.prepare_cached(
                "DELETE FROM members WHERE id IN (
                     WITH RECURSIVE absorbed(id) AS (
                         SELECT ?1
                         UNION SELECT m.id FROM members m JOIN absorbed a ON m.merged_into = a.id
                     )
                     SELECT id FROM absorbed)",
            )?
            .execute([id])? as u32;
    }
    // Tags nobody carries any more may themselves be personal ("张伟's friends").
    w.tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM member_tags)",
        [],
    )?;
    Ok(n)
}

/// The members in the trash (moved there by hand; members merged away into another are kept for
/// the merge's undo and are not in it), oldest first.
pub fn trashed_ids(r: &Read<'_>) -> Result<Vec<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT id FROM members INDEXED BY members_in_trash
             WHERE deleted_at IS NOT NULL AND merged_into IS NULL ORDER BY deleted_at, id",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Moves members to the trash; returns how many were live.
pub fn soft_delete(w: &mut Write<'_>, ids: &[i64], now: &str) -> Result<u32> {
    let mut stmt = w.tx.prepare_cached(
        "UPDATE members SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
    )?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute(params![id, now])? as u32;
    }
    Ok(n)
}

/// Brings members back from the trash; returns how many were in it.
pub fn restore(w: &mut Write<'_>, ids: &[i64], now: &str) -> Result<u32> {
    let mut stmt = w.tx.prepare_cached(
        "UPDATE members SET deleted_at = NULL, updated_at = ?2
         WHERE id = ?1 AND deleted_at IS NOT NULL",
    )?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute(params![id, now])? as u32;
    }
    Ok(n)
}

/// A live member with identities and tags.
pub fn get(r: &Read<'_>, id: i64) -> Result<Option<Member>> {
    load(r, id, true)
}

/// A member with identities and tags; `live_only` leaves out the trash.
fn load(r: &Read<'_>, id: i64, live_only: bool) -> Result<Option<Member>> {
    let filter = if live_only {
        "AND deleted_at IS NULL"
    } else {
        ""
    };
    let member = r
        .conn
        .prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?1 {filter}"
        ))?
        .query_row([id], member_from_row)
        .optional()?;
    let Some(member) = member else {
        return Ok(None);
    };
    let mut one = [member];
    attach_details(r, &mut one)?;
    let [member] = one;
    Ok(Some(member))
}

/// Live members with these ids, in the order given.
pub fn by_ids(r: &Read<'_>, ids: &[i64]) -> Result<Vec<Member>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let mut rows = r
        .conn
        .prepare(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE id IN ({marks})"
        ))?
        .query_map(params_from_iter(ids), member_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let position: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|m| position[&m.id]);
    attach_details(r, &mut rows)?;
    Ok(rows)
}

/// Sets a live member's role; returns the role it had (None when the member is not live).
pub fn set_role(w: &mut Write<'_>, id: i64, role: &str, now: &str) -> Result<Option<String>> {
    let old: Option<String> =
        w.tx.prepare_cached("SELECT role FROM members WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id], |row| row.get(0))
            .optional()?;
    if old.as_deref().is_some_and(|old| old != role) {
        w.tx.prepare_cached("UPDATE members SET role = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![id, role, now])?;
    }
    Ok(old)
}

#[derive(Debug, Clone, Copy)]
pub enum FacetColumn {
    Role,
    City,
    Source,
}

/// The 200 most common non-empty values of a column among live members, with counts.
pub fn facet(r: &Read<'_>, column: FacetColumn) -> Result<Vec<(String, u32)>> {
    let column = match column {
        FacetColumn::Role => "role",
        FacetColumn::City => "city",
        FacetColumn::Source => "source",
    };
    let sql = format!(
        "SELECT {column}, count(*) AS n FROM members WHERE deleted_at IS NULL AND {column} != ''
         GROUP BY {column} ORDER BY n DESC, {column} LIMIT 200"
    );
    Ok(r.conn
        .prepare_cached(&sql)?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Ids of the tags a member carries.
pub fn tag_ids(r: &Read<'_>, id: i64) -> Result<Vec<i64>> {
    Ok(r.conn
        .prepare_cached("SELECT tag_id FROM member_tags WHERE member_id = ?1")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Takes off every tag assignment whose last day is before `today`; returns the members touched.
pub fn expire_tags(w: &mut Write<'_>, today: &str, now: &str) -> Result<Vec<i64>> {
    let ids: Vec<i64> = w
        .tx
        .prepare_cached(
            "SELECT DISTINCT member_id FROM member_tags WHERE expires_on IS NOT NULL AND expires_on < ?1",
        )?
        .query_map([today], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    w.tx.prepare_cached(
        "DELETE FROM member_tags WHERE expires_on IS NOT NULL AND expires_on < ?1",
    )?
    .execute([today])?;
    for &id in &ids {
        w.tx.prepare_cached("UPDATE members SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
        refresh_search_text(w, id)?;
    }
    Ok(ids)
}

/// Live members with exactly this name (at most two: enough to tell "one" from "several").
pub fn live_by_name(r: &Read<'_>, name: &str, sort_key: &str) -> Result<Vec<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT id FROM members INDEXED BY members_by_name
             WHERE deleted_at IS NULL AND sort_key = ?2 AND display_name = ?1 LIMIT 2",
        )?
        .query_map(params![name, sort_key], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Live members: everyone (counted from the pages of the small full index `members_count`, not
/// row by row) less the trash (through its own partial index).
pub fn count(r: &Read<'_>) -> Result<u32> {
    Ok(r.conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM members)
                  - (SELECT count(*) FROM members WHERE deleted_at IS NOT NULL)",
        )?
        .query_row([], |row| row.get(0))?)
}

/// Every member ever created, including the trash (the demo generator numbers from here).
pub fn count_all(r: &Read<'_>) -> Result<u32> {
    Ok(r.conn
        .prepare_cached("SELECT count(*) FROM members")?
        .query_row([], |row| row.get(0))?)
}

/// Fills `identities` and `tags` for a page of members with two queries.
pub(crate) fn attach_details(r: &Read<'_>, members: &mut [Member]) -> Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let marks = vec!["?"; ids.len()].join(",");
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

    let mut stmt = r.conn.prepare(&format!(
        "SELECT member_id, kind, value FROM identities WHERE member_id IN ({marks})
         ORDER BY member_id, position"
    ))?;
    let mut rows = stmt.query(params_from_iter(&ids))?;
    while let Some(row) = rows.next()? {
        let member_id: i64 = row.get(0)?;
        let kind: String = row.get(1)?;
        let Some(kind) = IdentityKind::parse(&kind) else {
            continue;
        };
        members[index[&member_id]].identities.push(Identity {
            kind,
            value: row.get(2)?,
        });
    }

    let mut stmt = r.conn.prepare(&format!(
        "SELECT mt.member_id, t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id
         WHERE mt.member_id IN ({marks}) ORDER BY t.name"
    ))?;
    let mut rows = stmt.query(params_from_iter(&ids))?;
    while let Some(row) = rows.next()? {
        let member_id: i64 = row.get(0)?;
        members[index[&member_id]].tags.push(row.get(1)?);
    }
    for (member_id, custom) in super::custom_fields::values_for(r, &ids)? {
        members[index[&member_id]].custom = custom;
    }
    Ok(())
}
