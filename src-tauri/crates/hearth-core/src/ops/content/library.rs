//! The knowledge library (知识沉淀): published pieces worth posting again (evergreen) and the
//! questions members keep asking with a good answer (FAQ), kept so the manager can find them and
//! plan them again instead of writing them afresh.
//!
//! An entry is typed in, or kept from an item (its title, text, tags and first channel; an item
//! is kept once, and keeping it again answers the entry it already has). "Plan again" makes a
//! new item from an entry — a draft, or planned when given a time — and counts the reuse. A
//! channel's history lists what went out there so older posts can be kept after the fact.
//! Search is a substring match over title, text and tags, every word given (Chinese included).

use serde::{Deserialize, Serialize};

use super::{load, parse_local, table as items, MAX_BODY, MAX_TAG, MAX_TITLE};
use crate::clock::stamp;
use crate::domain::{
    ChannelHistory, ContentItem, ContentStatus, LibraryDraft, LibraryEntry, LibraryKind,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::content::{ItemFilter, ItemRecord};
use crate::store::content_library::{self as table, EntryRecord};
use crate::store::Read;
use crate::text;

/// Which entries to list: those containing every word of `text` (empty: all), of one kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LibraryQuery {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub kind: Option<LibraryKind>,
}

/// Entries matching the query: title matches first, then the most reused, the latest edited.
pub fn list(ctx: &Ctx, query: &LibraryQuery) -> Result<Vec<LibraryEntry>> {
    let mut terms: Vec<String> = Vec::new();
    for word in query.text.split_whitespace() {
        let word = text::clean(word).to_lowercase();
        if !word.is_empty() && !terms.contains(&word) {
            terms.push(word);
        }
    }
    ctx.store.read(|r| table::search(r, &terms, query.kind))
}

pub fn get(ctx: &Ctx, id: i64) -> Result<LibraryEntry> {
    ctx.store.read(|r| found(r, id))
}

pub fn create(ctx: &Ctx, draft: LibraryDraft) -> Result<LibraryEntry> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let record = validate(&w.read(), &draft, None)?;
        let id = table::insert(w, &record, &now)?;
        found(&w.read(), id)
    })
}

pub fn update(ctx: &Ctx, id: i64, draft: LibraryDraft) -> Result<LibraryEntry> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let before = found(&w.read(), id)?;
        let record = validate(&w.read(), &draft, before.source_item_id)?;
        table::update(w, id, &record, &now)?;
        found(&w.read(), id)
    })
}

/// Deletes an entry; returns it as it was, for [`restore`] (the Undo).
pub fn delete(ctx: &Ctx, id: i64) -> Result<LibraryEntry> {
    ctx.store.write(|w| {
        let entry = found(&w.read(), id)?;
        table::delete(w, id)?;
        Ok(entry)
    })
}

/// Puts a deleted entry back as it was: same id, counts and stamps. A source item or channel
/// deleted meanwhile is left out; an item kept again meanwhile stays with its new entry.
pub fn restore(ctx: &Ctx, entry: LibraryEntry) -> Result<LibraryEntry> {
    ctx.store.write(|w| {
        if table::entry(&w.read(), entry.id)?.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("library entry {} is already there", entry.id),
            )
            .with_param("id", entry.id));
        }
        let channel_id = match entry.channel_id {
            Some(c) if items::channel(&w.read(), c)?.is_some() => Some(c),
            _ => None,
        };
        let draft = LibraryDraft {
            kind: entry.kind,
            title: entry.title.clone(),
            body: entry.body.clone(),
            tags: entry.tags.clone(),
            channel_id,
        };
        let source = match entry.source_item_id {
            Some(item) if items::item(&w.read(), item)?.is_some() => {
                table::entry_for_item(&w.read(), item)?
                    .is_none()
                    .then_some(item)
            }
            _ => None,
        };
        let mut record = validate(&w.read(), &draft, None)?;
        record.source_item_id = source;
        table::reinsert(w, &entry, &record)?;
        found(&w.read(), entry.id)
    })
}

/// Keep an item in the library.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeepItem {
    pub item_id: i64,
    pub kind: LibraryKind,
}

/// The entry keeping an item, and whether this call made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Kept {
    pub entry: LibraryEntry,
    /// False when the item was already kept (the entry is the one it had).
    pub created: bool,
}

/// Keeps an item as an entry (its title, text, tags and first channel); an item already kept
/// answers its entry unchanged.
pub fn keep(ctx: &Ctx, input: KeepItem) -> Result<Kept> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if let Some(id) = table::entry_for_item(&w.read(), input.item_id)? {
            return Ok(Kept {
                entry: found(&w.read(), id)?,
                created: false,
            });
        }
        let item = load(&w.read(), input.item_id)?;
        let draft = LibraryDraft {
            kind: input.kind,
            title: item.title,
            body: item.body,
            tags: item.tags,
            channel_id: item.channel_ids.first().copied(),
        };
        let mut record = validate(&w.read(), &draft, None)?;
        record.source_item_id = Some(input.item_id);
        let id = table::insert(w, &record, &now)?;
        Ok(Kept {
            entry: found(&w.read(), id)?,
            created: true,
        })
    })
}

/// Plan an entry again as a new item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanAgain {
    pub entry_id: i64,
    /// Empty is the entry's channel.
    #[serde(default)]
    pub channel_ids: Vec<i64>,
    /// `YYYY-MM-DD HH:MM` in the community's zone: planned then; empty makes a draft.
    #[serde(default)]
    pub planned_local: String,
}

/// Creates an item from an entry (its title, text and tags) and counts the reuse, in one
/// transaction.
pub fn plan_again(ctx: &Ctx, input: PlanAgain) -> Result<ContentItem> {
    let now = ctx.clock.now();
    let stamp_now = stamp(now);
    let planned_at = match input.planned_local.trim() {
        "" => None,
        s => Some(stamp(parse_local("planned_local", s)?)),
    };
    ctx.store.write(|w| {
        let entry = found(&w.read(), input.entry_id)?;
        let mut channels = if input.channel_ids.is_empty() {
            entry.channel_id.into_iter().collect()
        } else {
            input.channel_ids.clone()
        };
        channels.sort_unstable();
        channels.dedup();
        for c in &channels {
            if items::channel(&w.read(), *c)?.is_none() {
                return Err(Error::not_found("channel", *c).with_field("channel_ids"));
            }
        }
        let record = ItemRecord {
            title: entry.title.clone(),
            body: entry.body.clone(),
            status: if planned_at.is_some() {
                ContentStatus::Planned
            } else {
                ContentStatus::Draft
            },
            planned_at: planned_at.clone(),
            published_at: None,
            link: String::new(),
            owner_member_id: None,
            event_id: None,
            campaign_id: None,
            slot_id: None,
            tags: serde_json::to_string(&entry.tags).expect("tags serialise"),
            notes: String::new(),
        };
        let id = items::insert_item(w, &record, &channels, &stamp_now)?;
        table::count_reuse(w, entry.id, &stamp_now)?;
        load(&w.read(), id)
    })
}

/// What went out in a channel, newest first (at most `limit`, 200 when none), and which of those
/// items the library keeps.
pub fn channel_history(ctx: &Ctx, channel_id: i64, limit: Option<u32>) -> Result<ChannelHistory> {
    let zone = super::zone();
    let limit = limit.unwrap_or(200).clamp(1, 5_000);
    ctx.store.read(|r| {
        if items::channel(r, channel_id)?.is_none() {
            return Err(Error::not_found("channel", channel_id).with_field("channel_id"));
        }
        let filter = ItemFilter {
            channel_ids: Some(format!("[{channel_id}]")),
            statuses: Some("[\"published\"]".to_owned()),
            campaign_id: None,
        };
        let rows = items::items_shown_latest(r, &filter, limit)?;
        let items: Vec<ContentItem> = rows
            .into_iter()
            .map(|row| super::to_item(row, zone))
            .collect();
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let kept = table::kept_items(r, &ids)?;
        Ok(ChannelHistory { items, kept })
    })
}

fn found(r: &Read<'_>, id: i64) -> Result<LibraryEntry> {
    table::entry(r, id)?.ok_or_else(|| Error::not_found("library entry", id))
}

/// Checks a draft; `source` is the item the entry keeps (it stays).
fn validate(r: &Read<'_>, d: &LibraryDraft, source: Option<i64>) -> Result<EntryRecord> {
    let title = text::clean(&d.title);
    if title.is_empty() {
        return Err(Error::required("title"));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(Error::too_long("title", MAX_TITLE));
    }
    let body = d.body.trim().to_owned();
    if body.chars().count() > MAX_BODY {
        return Err(Error::too_long("body", MAX_BODY));
    }
    let mut tags: Vec<String> = Vec::new();
    for t in &d.tags {
        let t = text::clean(t);
        if t.chars().count() > MAX_TAG {
            return Err(Error::too_long("tags", MAX_TAG));
        }
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    if let Some(c) = d.channel_id {
        if items::channel(r, c)?.is_none() {
            return Err(Error::not_found("channel", c).with_field("channel_id"));
        }
    }
    Ok(EntryRecord {
        kind: d.kind,
        title,
        body,
        tags: serde_json::to_string(&tags).expect("tags serialise"),
        source_item_id: source,
        channel_id: d.channel_id,
    })
}
