//! The content calendar's tables: channels, items (with their channels), recurring slots and the
//! days they already planned, SOP templates. Rows in, rows out; the rules (statuses, time zones,
//! recurrence) live in `ops::content`.

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{ChannelKind, ContentChannel, ContentStatus, SopStep, SopTemplate};
use crate::error::Result;

// ---- channels ----------------------------------------------------------------------------

fn channel_from_row(row: &Row<'_>) -> rusqlite::Result<ContentChannel> {
    let kind: String = row.get(2)?;
    Ok(ContentChannel {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: ChannelKind::parse(&kind).unwrap_or(ChannelKind::Other),
        colour: row.get(3)?,
        audience: row.get(4)?,
        rules: row.get(5)?,
        daily_limit: row.get(6)?,
    })
}

const CHANNEL_COLUMNS: &str = "id, name, kind, colour, audience, rules, daily_limit";

pub fn channels(r: &Read<'_>) -> Result<Vec<ContentChannel>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {CHANNEL_COLUMNS} FROM content_channels ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([], channel_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn channel(r: &Read<'_>, id: i64) -> Result<Option<ContentChannel>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM content_channels WHERE id = ?1"
        ))?
        .query_row([id], channel_from_row)
        .optional()?)
}

/// The channel called `name` (exactly), other than `except`.
pub fn channel_named(r: &Read<'_>, name: &str, except: Option<i64>) -> Result<Option<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT id FROM content_channels WHERE name = ?1 AND (?2 IS NULL OR id <> ?2)",
        )?
        .query_row(params![name, except], |row| row.get(0))
        .optional()?)
}

pub fn insert_channel(w: &mut Write<'_>, c: &ContentChannel, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO content_channels (name, kind, colour, audience, rules, daily_limit,
                                       created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        c.name,
        c.kind.as_str(),
        c.colour,
        c.audience,
        c.rules,
        c.daily_limit,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_channel(w: &mut Write<'_>, c: &ContentChannel, now: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE content_channels SET name = ?2, kind = ?3, colour = ?4, audience = ?5,
                    rules = ?6, daily_limit = ?7, updated_at = ?8
              WHERE id = ?1",
        )?
        .execute(params![
            c.id,
            c.name,
            c.kind.as_str(),
            c.colour,
            c.audience,
            c.rules,
            c.daily_limit,
            now
        ])?
        > 0)
}

/// Deletes a channel, its slots, and its place on items (the items stay).
pub fn delete_channel(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM content_channels WHERE id = ?1")?
        .execute([id])?
        > 0)
}

// ---- items -------------------------------------------------------------------------------

/// An item as stored (times UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRecord {
    pub title: String,
    pub body: String,
    pub status: ContentStatus,
    pub planned_at: Option<String>,
    pub published_at: Option<String>,
    pub link: String,
    pub owner_member_id: Option<i64>,
    pub event_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub slot_id: Option<i64>,
    /// JSON array.
    pub tags: String,
    pub notes: String,
}

/// An item row with its channels, owner's and event's names and stamps.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: i64,
    pub record: ItemRecord,
    pub channel_ids: Vec<i64>,
    pub owner_name: Option<String>,
    pub event_title: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const ITEM_SELECT: &str = "SELECT i.id, i.title, i.body, i.status, i.planned_at, i.published_at,
        i.link, i.owner_member_id, i.event_id, i.campaign_id, i.slot_id, i.tags, i.notes,
        i.created_at, i.updated_at,
        (SELECT group_concat(c.channel_id) FROM content_item_channels c WHERE c.item_id = i.id),
        m.display_name, e.title
   FROM content_items i
   LEFT JOIN members m ON m.id = i.owner_member_id
   LEFT JOIN events e ON e.id = i.event_id";

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let status: String = row.get(3)?;
    let channels: Option<String> = row.get(15)?;
    let mut channel_ids: Vec<i64> = channels
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    channel_ids.sort_unstable();
    Ok(ItemRow {
        id: row.get(0)?,
        record: ItemRecord {
            title: row.get(1)?,
            body: row.get(2)?,
            status: ContentStatus::parse(&status).unwrap_or(ContentStatus::Idea),
            planned_at: row.get(4)?,
            published_at: row.get(5)?,
            link: row.get(6)?,
            owner_member_id: row.get(7)?,
            event_id: row.get(8)?,
            campaign_id: row.get(9)?,
            slot_id: row.get(10)?,
            tags: row.get(11)?,
            notes: row.get(12)?,
        },
        created_at: row.get(13)?,
        updated_at: row.get(14)?,
        channel_ids,
        owner_name: row.get(16)?,
        event_title: row.get(17)?,
    })
}

pub fn insert_item(
    w: &mut Write<'_>,
    item: &ItemRecord,
    channel_ids: &[i64],
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO content_items (title, body, status, planned_at, published_at, link,
                                    owner_member_id, event_id, campaign_id, slot_id, tags, notes,
                                    created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        item.title,
        item.body,
        item.status.as_str(),
        item.planned_at,
        item.published_at,
        item.link,
        item.owner_member_id,
        item.event_id,
        item.campaign_id,
        item.slot_id,
        item.tags,
        item.notes,
        now
    ])?;
    let id = w.tx.last_insert_rowid();
    set_item_channels(w, id, channel_ids)?;
    Ok(id)
}

/// Puts a deleted item back with its id and stamps (the Undo of a delete).
pub fn reinsert_item(
    w: &mut Write<'_>,
    id: i64,
    item: &ItemRecord,
    channel_ids: &[i64],
    created_at: &str,
    updated_at: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO content_items (id, title, body, status, planned_at, published_at, link,
                                    owner_member_id, event_id, campaign_id, slot_id, tags, notes,
                                    created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        item.title,
        item.body,
        item.status.as_str(),
        item.planned_at,
        item.published_at,
        item.link,
        item.owner_member_id,
        item.event_id,
        item.campaign_id,
        item.slot_id,
        item.tags,
        item.notes,
        created_at,
        updated_at
    ])?;
    set_item_channels(w, id, channel_ids)
}

/// Whether campaign `id` exists.
pub fn campaign_exists(r: &Read<'_>, id: i64) -> Result<bool> {
    Ok(r.conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = ?1)")?
        .query_row([id], |row| row.get(0))?)
}

/// Whether slot `id` exists.
pub fn slot_exists(r: &Read<'_>, id: i64) -> Result<bool> {
    Ok(r.conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM content_slots WHERE id = ?1)")?
        .query_row([id], |row| row.get(0))?)
}

pub fn update_item(
    w: &mut Write<'_>,
    id: i64,
    item: &ItemRecord,
    channel_ids: &[i64],
    now: &str,
) -> Result<bool> {
    let n =
        w.tx.prepare_cached(
            "UPDATE content_items SET title = ?2, body = ?3, status = ?4, planned_at = ?5,
                    published_at = ?6, link = ?7, owner_member_id = ?8, event_id = ?9,
                    campaign_id = ?10, slot_id = ?11, tags = ?12, notes = ?13, updated_at = ?14
              WHERE id = ?1",
        )?
        .execute(params![
            id,
            item.title,
            item.body,
            item.status.as_str(),
            item.planned_at,
            item.published_at,
            item.link,
            item.owner_member_id,
            item.event_id,
            item.campaign_id,
            item.slot_id,
            item.tags,
            item.notes,
            now
        ])?;
    if n > 0 {
        set_item_channels(w, id, channel_ids)?;
    }
    Ok(n > 0)
}

fn set_item_channels(w: &mut Write<'_>, id: i64, channel_ids: &[i64]) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM content_item_channels WHERE item_id = ?1")?
        .execute([id])?;
    let mut stmt = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO content_item_channels (item_id, channel_id) VALUES (?1, ?2)",
    )?;
    for c in channel_ids {
        stmt.execute(params![id, c])?;
    }
    Ok(())
}

pub fn delete_item(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM content_items WHERE id = ?1")?
        .execute([id])?
        > 0)
}

pub fn item(r: &Read<'_>, id: i64) -> Result<Option<ItemRow>> {
    Ok(r.conn
        .prepare_cached(&format!("{ITEM_SELECT} WHERE i.id = ?1"))?
        .query_row([id], item_from_row)
        .optional()?)
}

/// Which items a listing wants; the lists are JSON arrays (`None`: any).
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub channel_ids: Option<String>,
    pub statuses: Option<String>,
    pub campaign_id: Option<i64>,
}

/// Items shown (published, else planned) in `[from, to)` (UTC stamps), earliest first.
pub fn items_shown(
    r: &Read<'_>,
    from: &str,
    to: &str,
    filter: &ItemFilter,
) -> Result<Vec<ItemRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{ITEM_SELECT}
          WHERE i.shown_at >= ?1 AND i.shown_at < ?2
            AND (?3 IS NULL OR EXISTS (SELECT 1 FROM content_item_channels c
                                        WHERE c.item_id = i.id
                                          AND c.channel_id IN (SELECT value FROM json_each(?3))))
            AND (?4 IS NULL OR i.status IN (SELECT value FROM json_each(?4)))
            AND (?5 IS NULL OR i.campaign_id = ?5)
          ORDER BY i.shown_at, i.id"
    ))?;
    let rows = stmt.query_map(
        params![
            from,
            to,
            filter.channel_ids,
            filter.statuses,
            filter.campaign_id
        ],
        item_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Items shown at any time, latest first, at most `limit` (a channel's history).
pub fn items_shown_latest(r: &Read<'_>, filter: &ItemFilter, limit: u32) -> Result<Vec<ItemRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{ITEM_SELECT}
          WHERE i.shown_at IS NOT NULL
            AND (?1 IS NULL OR EXISTS (SELECT 1 FROM content_item_channels c
                                        WHERE c.item_id = i.id
                                          AND c.channel_id IN (SELECT value FROM json_each(?1))))
            AND (?2 IS NULL OR i.status IN (SELECT value FROM json_each(?2)))
            AND (?3 IS NULL OR i.campaign_id = ?3)
          ORDER BY i.shown_at DESC, i.id DESC LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            filter.channel_ids,
            filter.statuses,
            filter.campaign_id,
            limit
        ],
        item_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ideas and drafts with no time yet, newest first, at most `limit`.
pub fn unscheduled(r: &Read<'_>, filter: &ItemFilter, limit: u32) -> Result<Vec<ItemRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{ITEM_SELECT}
          WHERE i.shown_at IS NULL AND i.status IN ('idea', 'draft')
            AND (?1 IS NULL OR EXISTS (SELECT 1 FROM content_item_channels c
                                        WHERE c.item_id = i.id
                                          AND c.channel_id IN (SELECT value FROM json_each(?1))))
            AND (?2 IS NULL OR i.status IN (SELECT value FROM json_each(?2)))
            AND (?3 IS NULL OR i.campaign_id = ?3)
          ORDER BY i.id DESC LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            filter.channel_ids,
            filter.statuses,
            filter.campaign_id,
            limit
        ],
        item_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// For every channel, the first time an item (not skipped) is shown in it at or after `from`.
/// Walks the items in time order per channel and stops at the first: a busy calendar answers
/// after a few rows.
pub fn next_shown_per_channel(r: &Read<'_>, from: &str) -> Result<Vec<(i64, Option<String>)>> {
    let ids: Vec<i64> = r
        .conn
        .prepare_cached("SELECT id FROM content_channels ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = r.conn.prepare_cached(
        "SELECT i.shown_at FROM content_items i INDEXED BY content_items_shown
          WHERE i.shown_at >= ?1 AND i.status <> 'skipped'
            AND EXISTS (SELECT 1 FROM content_item_channels c
                         WHERE c.item_id = i.id AND c.channel_id = ?2)
          ORDER BY i.shown_at LIMIT 1",
    )?;
    ids.into_iter()
        .map(|id| {
            let at: Option<String> = stmt
                .query_row(params![from, id], |row| row.get(0))
                .optional()?;
            Ok((id, at))
        })
        .collect()
}

/// One item in one channel: `(channel, planned_at, published_at, status)`.
pub type ChannelTime = (i64, Option<String>, Option<String>, ContentStatus);

/// Every item planned or published in `[from, to)`, once per channel, for the
/// planned-against-published counts.
pub fn channel_times(r: &Read<'_>, from: &str, to: &str) -> Result<Vec<ChannelTime>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT c.channel_id, i.planned_at, i.published_at, i.status
           FROM content_items i JOIN content_item_channels c ON c.item_id = i.id
          WHERE (i.planned_at >= ?1 AND i.planned_at < ?2)
             OR (i.published_at >= ?1 AND i.published_at < ?2)",
    )?;
    let rows = stmt.query_map([from, to], |row| {
        let status: String = row.get(3)?;
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            ContentStatus::parse(&status).unwrap_or(ContentStatus::Idea),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn member_exists(r: &Read<'_>, id: i64) -> Result<bool> {
    Ok(r.conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM members WHERE id = ?1 AND deleted_at IS NULL)",
        )?
        .query_row([id], |row| row.get(0))?)
}

pub fn event_start(r: &Read<'_>, id: i64) -> Result<Option<(String, String)>> {
    Ok(r.conn
        .prepare_cached("SELECT starts_at, title FROM events WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

// ---- slots -------------------------------------------------------------------------------

/// A slot as stored: the recurrence in its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRecord {
    pub channel_id: i64,
    pub title: String,
    pub rule: String,
    pub weekdays: u8,
    pub nth: i8,
    pub weekday: u8,
    pub day: u8,
    pub time: String,
    pub time_zone: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

const SLOT_COLUMNS: &str = "id, channel_id, title, rule, weekdays, nth, weekday, day, time, \
                            time_zone, starts_on, ends_on";

fn slot_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, SlotRecord)> {
    Ok((
        row.get(0)?,
        SlotRecord {
            channel_id: row.get(1)?,
            title: row.get(2)?,
            rule: row.get(3)?,
            weekdays: row.get(4)?,
            nth: row.get(5)?,
            weekday: row.get(6)?,
            day: row.get(7)?,
            time: row.get(8)?,
            time_zone: row.get(9)?,
            starts_on: row.get(10)?,
            ends_on: row.get(11)?,
        },
    ))
}

pub fn insert_slot(w: &mut Write<'_>, s: &SlotRecord, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO content_slots (channel_id, title, rule, weekdays, nth, weekday, day, time,
                                    time_zone, starts_on, ends_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        s.channel_id,
        s.title,
        s.rule,
        s.weekdays,
        s.nth,
        s.weekday,
        s.day,
        s.time,
        s.time_zone,
        s.starts_on,
        s.ends_on,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn slots(r: &Read<'_>) -> Result<Vec<(i64, SlotRecord)>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {SLOT_COLUMNS} FROM content_slots ORDER BY id"
    ))?;
    let rows = stmt.query_map([], slot_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn slot(r: &Read<'_>, id: i64) -> Result<Option<(i64, SlotRecord)>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {SLOT_COLUMNS} FROM content_slots WHERE id = ?1"
        ))?
        .query_row([id], slot_from_row)
        .optional()?)
}

/// Deletes a slot; the items it planned stay (no longer tied to it).
pub fn delete_slot(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM content_slots WHERE id = ?1")?
        .execute([id])?
        > 0)
}

/// Records that `slot` planned its item for local `day`; false if it already had.
pub fn claim_slot_day(w: &mut Write<'_>, slot: i64, day: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("INSERT OR IGNORE INTO content_slot_runs (slot_id, day) VALUES (?1, ?2)")?
        .execute(params![slot, day])?
        > 0)
}

// ---- SOP templates -----------------------------------------------------------------------

pub fn insert_sop(w: &mut Write<'_>, name: &str, steps: &[SopStep], now: &str) -> Result<i64> {
    w.tx.prepare_cached("INSERT INTO content_sops (name, created_at) VALUES (?1, ?2)")?
        .execute(params![name, now])?;
    let id = w.tx.last_insert_rowid();
    insert_sop_steps(w, id, steps)?;
    Ok(id)
}

pub fn sops(r: &Read<'_>) -> Result<Vec<SopTemplate>> {
    let mut out: Vec<SopTemplate> = Vec::new();
    let mut stmt = r.conn.prepare_cached(
        "SELECT s.id, s.name, t.title, t.offset_days, t.time, t.channel_id
           FROM content_sops s LEFT JOIN content_sop_steps t ON t.sop_id = s.id
          ORDER BY s.name, s.id, t.position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if out.last().is_none_or(|s| s.id != id) {
            out.push(SopTemplate {
                id,
                name: row.get(1)?,
                steps: Vec::new(),
            });
        }
        if let Some(title) = row.get::<_, Option<String>>(2)? {
            out.last_mut().expect("pushed above").steps.push(SopStep {
                title,
                offset_days: row.get(3)?,
                time: row.get(4)?,
                channel_id: row.get(5)?,
            });
        }
    }
    Ok(out)
}

/// Renames a template and replaces its steps; false when there is no such template.
pub fn update_sop(w: &mut Write<'_>, id: i64, name: &str, steps: &[SopStep]) -> Result<bool> {
    if w.tx
        .prepare_cached("UPDATE content_sops SET name = ?2 WHERE id = ?1")?
        .execute(params![id, name])?
        == 0
    {
        return Ok(false);
    }
    w.tx.prepare_cached("DELETE FROM content_sop_steps WHERE sop_id = ?1")?
        .execute([id])?;
    insert_sop_steps(w, id, steps)?;
    Ok(true)
}

fn insert_sop_steps(w: &mut Write<'_>, id: i64, steps: &[SopStep]) -> Result<()> {
    let mut stmt = w.tx.prepare_cached(
        "INSERT INTO content_sop_steps (sop_id, position, title, offset_days, time, channel_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, s) in steps.iter().enumerate() {
        stmt.execute(params![
            id,
            i as i64,
            s.title,
            s.offset_days,
            s.time,
            s.channel_id
        ])?;
    }
    Ok(())
}

/// A campaign's first day (`YYYY-MM-DD`) and name.
pub fn campaign_start(r: &Read<'_>, id: i64) -> Result<Option<(String, String)>> {
    Ok(r.conn
        .prepare_cached("SELECT starts_on, name FROM campaigns WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Ties an item to a campaign (an SOP template applied to it).
pub fn set_item_campaign(w: &mut Write<'_>, item: i64, campaign: i64) -> Result<()> {
    w.tx.prepare_cached("UPDATE content_items SET campaign_id = ?2 WHERE id = ?1")?
        .execute(params![item, campaign])?;
    Ok(())
}

pub fn delete_sop(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .prepare_cached("DELETE FROM content_sops WHERE id = ?1")?
        .execute([id])?
        > 0)
}

// ---- members -----------------------------------------------------------------------------

/// Gives the merged member's items to the member kept, remembering which.
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO merge_content_owners (merge_id, item_id)
         SELECT ?1, id FROM content_items WHERE owner_member_id = ?2",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached(
        "UPDATE content_items SET owner_member_id = ?2
          WHERE id IN (SELECT item_id FROM merge_content_owners WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, kept_id])?;
    Ok(())
}

/// Undoes [`move_on_merge`].
pub fn unmove_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE content_items SET owner_member_id = ?2
          WHERE id IN (SELECT item_id FROM merge_content_owners WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached("DELETE FROM merge_content_owners WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}
