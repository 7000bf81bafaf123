//! The content calendar: channels the manager posts to by hand (WeChat groups, the 公众号, 微博,
//! a newsletter, 小红书…), content items that go idea → draft → planned (a time) → published
//! (when, and where it is) or skipped, recurring slots that plan items ahead ([`slots`]), SOP
//! templates applied to an event ([`sops`]), and the files the plan goes out as ([`export`]).
//!
//! Hearth never posts: the manager copies the text, posts it inside WeChat, and marks it posted.
//! Planned is not published: an item keeps both times, and the calendar shows it on the day it
//! went out once it has.
//!
//! Times are stored in UTC and planned in the community's zone ([`zone`], the events' default
//! `Asia/Shanghai`): the manager types `YYYY-MM-DD HH:MM` there and the calendar's days are its
//! days. Gaps (a channel with nothing in the coming days) and overload (more posts on one day in
//! one channel than its daily limit) are computed on every read, never stored.

pub(crate) mod demo;
pub mod export;
pub mod library;
mod member_data;
pub mod recurrence;
pub mod slots;
pub mod sops;

pub(crate) use member_data::OWNERS;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock::{parse_past, stamp};
use crate::domain::{
    ChannelDraft, ChannelGap, ChannelKind, ChannelOverload, ContentCalendar, ContentChannel,
    ContentDraft, ContentItem, ContentStatus, WeekCount,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::events::{parse_stamp, parse_zone, DEFAULT_TIME_ZONE};
use crate::ops::Ctx;
use crate::store::content::{self as table, ItemFilter, ItemRecord, ItemRow};
use crate::store::{Read, Write};
use crate::text;

pub(crate) const MAX_TITLE: usize = 200;
pub(crate) const MAX_BODY: usize = 20_000;
const MAX_TEXT: usize = 2_000;
pub(crate) const MAX_TAG: usize = 40;
/// Where an idea dragged onto a day lands when it had no time yet.
const DEFAULT_TIME: (u32, u32) = (10, 0);
/// How many days ahead the calendar looks for gaps unless told.
pub const GAP_DAYS: u32 = 7;
/// The unscheduled sidebar lists at most this many ideas (the count says when there are more).
const SIDEBAR_LIMIT: u32 = 500;

/// The zone the community plans in.
pub fn zone() -> Tz {
    parse_zone(DEFAULT_TIME_ZONE).unwrap_or(Tz::UTC)
}

/// Today where the community is.
pub fn today(ctx: &Ctx) -> NaiveDate {
    ctx.clock.now().with_timezone(&zone()).date_naive()
}

// ---- channels ----------------------------------------------------------------------------

pub fn channels(ctx: &Ctx) -> Result<Vec<ContentChannel>> {
    ctx.store.read(table::channels)
}

pub fn create_channel(ctx: &Ctx, draft: ChannelDraft) -> Result<ContentChannel> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let channel = validate_channel(&w.read(), 0, draft)?;
        let id = table::insert_channel(w, &channel, &now)?;
        Ok(ContentChannel { id, ..channel })
    })
}

pub fn update_channel(ctx: &Ctx, id: i64, draft: ChannelDraft) -> Result<ContentChannel> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let channel = validate_channel(&w.read(), id, draft)?;
        if !table::update_channel(w, &channel, &now)? {
            return Err(Error::not_found("channel", id));
        }
        Ok(channel)
    })
}

/// Deletes a channel and its recurring slots; items stay, without that channel.
pub fn delete_channel(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_channel(w, id)? {
            return Err(Error::not_found("channel", id));
        }
        Ok(())
    })
}

/// The channel named `name` (as typed, trimmed), for the CLI's `--channel NAME`.
pub fn channel_by_name(ctx: &Ctx, name: &str) -> Result<ContentChannel> {
    let name = text::clean(name);
    channels(ctx)?
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("no channel is called “{name}”"),
            )
            .with_field("channel")
            .with_param("value", &name)
        })
}

fn validate_channel(r: &Read<'_>, id: i64, d: ChannelDraft) -> Result<ContentChannel> {
    let name = text::clean(&d.name);
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > 100 {
        return Err(Error::too_long("name", 100));
    }
    if table::channel_named(r, &name, (id != 0).then_some(id))?.is_some() {
        return Err(Error::new(
            ErrorCode::NameTaken,
            format!("another channel is already called “{name}”"),
        )
        .with_field("name")
        .with_param("value", &name));
    }
    let colour = match d.colour.trim() {
        "" => default_colour(d.kind).to_owned(),
        c if is_colour(c) => c.to_ascii_lowercase(),
        c => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("“{c}” is not a colour like #3b82f6"),
            )
            .with_field("colour")
            .with_param("value", c))
        }
    };
    if d.rules.chars().count() > MAX_BODY {
        return Err(Error::too_long("rules", MAX_BODY));
    }
    let daily_limit = d.daily_limit.unwrap_or(2);
    if !(1..=50).contains(&daily_limit) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "the daily limit is between 1 and 50 posts",
        )
        .with_field("daily_limit"));
    }
    Ok(ContentChannel {
        id,
        name,
        kind: d.kind,
        colour,
        audience: d.audience,
        rules: d.rules.trim().to_owned(),
        daily_limit,
    })
}

fn is_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A colour per kind, so a new channel is told apart at once.
pub fn default_colour(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::WechatGroup => "#16a34a",
        ChannelKind::OfficialAccount => "#0891b2",
        ChannelKind::Weibo => "#dc2626",
        ChannelKind::QqGroup => "#2563eb",
        ChannelKind::Forum => "#7c3aed",
        ChannelKind::Newsletter => "#ca8a04",
        ChannelKind::Xiaohongshu => "#e11d48",
        ChannelKind::Other => "#64748b",
    }
}

// ---- items -------------------------------------------------------------------------------

pub fn create(ctx: &Ctx, draft: ContentDraft) -> Result<ContentItem> {
    let now = ctx.clock.now();
    let stamp_now = stamp(now);
    ctx.store.write(|w| {
        let (record, channels) = validate(&w.read(), &draft, now, None)?;
        let id = table::insert_item(w, &record, &channels, &stamp_now)?;
        load(&w.read(), id)
    })
}

pub fn update(ctx: &Ctx, id: i64, draft: ContentDraft) -> Result<ContentItem> {
    let now = ctx.clock.now();
    let stamp_now = stamp(now);
    ctx.store.write(|w| {
        let before = table::item(&w.read(), id)?.ok_or_else(|| Error::not_found("content", id))?;
        let (record, channels) = validate(&w.read(), &draft, now, Some(&before.record))?;
        table::update_item(w, id, &record, &channels, &stamp_now)?;
        load(&w.read(), id)
    })
}

/// Creates several items in one transaction (all of them, or none when one is refused);
/// returns their ids in order.
pub fn create_many(ctx: &Ctx, drafts: &[ContentDraft]) -> Result<Vec<i64>> {
    let now = ctx.clock.now();
    let stamp_now = stamp(now);
    ctx.store.write(|w| {
        drafts
            .iter()
            .map(|d| {
                let (record, channels) = validate(&w.read(), d, now, None)?;
                table::insert_item(w, &record, &channels, &stamp_now)
            })
            .collect()
    })
}

/// Deletes an item; returns it as it was (the UI confirms first).
pub fn delete(ctx: &Ctx, id: i64) -> Result<ContentItem> {
    ctx.store.write(|w| {
        let item = load(&w.read(), id)?;
        table::delete_item(w, id)?;
        Ok(item)
    })
}

/// A deleted item as [`delete`] returned it: what the Undo puts back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub status: ContentStatus,
    pub channel_ids: Vec<i64>,
    pub planned_at: Option<String>,
    pub published_at: Option<String>,
    pub link: String,
    pub owner_member_id: Option<i64>,
    pub event_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub slot_id: Option<i64>,
    pub tags: Vec<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Puts a deleted item back exactly: its id, status and times, channels, tags, owner, event,
/// campaign, the slot that planned it (whose day record the delete kept, so planning ahead does
/// not plan that day twice) and its stamps. Links to what was deleted meanwhile are left out.
pub fn restore(ctx: &Ctx, item: RestoreItem) -> Result<ContentItem> {
    ctx.store.write(|w| {
        let r = w.read();
        if table::item(&r, item.id)?.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("content {} is already there", item.id),
            )
            .with_param("id", item.id));
        }
        // Put back as stored; only links to what no longer exists are dropped.
        let mut channels = Vec::with_capacity(item.channel_ids.len());
        for c in &item.channel_ids {
            if table::channel(&r, *c)?.is_some() {
                channels.push(*c);
            }
        }
        let owner_member_id = match item.owner_member_id {
            Some(m) if table::member_exists(&r, m)? => Some(m),
            _ => None,
        };
        let event_id = match item.event_id {
            Some(e) if table::event_start(&r, e)?.is_some() => Some(e),
            _ => None,
        };
        let campaign_id = match item.campaign_id {
            Some(c) if table::campaign_exists(&r, c)? => Some(c),
            _ => None,
        };
        let slot_id = match item.slot_id {
            Some(s) if table::slot_exists(&r, s)? => Some(s),
            _ => None,
        };
        let record = ItemRecord {
            title: text::clean(&item.title),
            body: item.body,
            status: item.status,
            planned_at: item.planned_at,
            published_at: item.published_at,
            link: item.link,
            owner_member_id,
            event_id,
            campaign_id,
            slot_id,
            tags: serde_json::to_string(&item.tags).expect("tags serialise"),
            notes: item.notes,
        };
        if record.title.is_empty() || record.title.chars().count() > MAX_TITLE {
            return Err(Error::required("title"));
        }
        if (record.status == ContentStatus::Planned && record.planned_at.is_none())
            || (record.status == ContentStatus::Published && record.published_at.is_none())
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "the item's status does not match its times",
            )
            .with_field("status"));
        }
        table::reinsert_item(
            w,
            item.id,
            &record,
            &channels,
            &item.created_at,
            &item.updated_at,
        )?;
        load(&w.read(), item.id)
    })
}

pub fn get(ctx: &Ctx, id: i64) -> Result<ContentItem> {
    ctx.store.read(|r| load(r, id))
}

/// Where an item goes when dragged: to a local day (keeping its time of day, or
/// [`DEFAULT_TIME`] for an idea that had none; `time` overrides), or back to the unscheduled
/// ideas (`day: None`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MoveItem {
    pub id: i64,
    /// `YYYY-MM-DD`; none unschedules it.
    #[serde(default)]
    pub day: Option<String>,
    /// `HH:MM`.
    #[serde(default)]
    pub time: Option<String>,
}

/// Moves an item to another day (an idea or draft becomes planned), or unschedules it (a planned
/// item becomes a draft). A published item already went out: its time is changed by editing it.
pub fn move_item(ctx: &Ctx, input: MoveItem) -> Result<ContentItem> {
    let now = ctx.now_stamp();
    let zone = zone();
    ctx.store.write(|w| {
        let row = table::item(&w.read(), input.id)?
            .ok_or_else(|| Error::not_found("content", input.id))?;
        let mut record = row.record;
        if record.status == ContentStatus::Published {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "this item was already published; edit it to change when it went out",
            )
            .with_field("status"));
        }
        match input
            .day
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => {
                record.planned_at = None;
                if record.status == ContentStatus::Planned {
                    record.status = ContentStatus::Draft;
                }
            }
            Some(day) => {
                let day = parse_day("day", day)?;
                let time = match input.time.as_deref() {
                    Some(t) => parse_time("time", t)?,
                    None => record
                        .planned_at
                        .as_deref()
                        .and_then(parse_stamp)
                        .map(|t| t.with_timezone(&zone).time())
                        .unwrap_or_else(|| {
                            chrono::NaiveTime::from_hms_opt(DEFAULT_TIME.0, DEFAULT_TIME.1, 0)
                                .expect("a valid time")
                        }),
                };
                record.planned_at = Some(stamp(recurrence::instant(day, time, zone)));
                if matches!(
                    record.status,
                    ContentStatus::Idea | ContentStatus::Draft | ContentStatus::Skipped
                ) {
                    record.status = ContentStatus::Planned;
                }
            }
        }
        table::update_item(w, input.id, &record, &row.channel_ids, &now)?;
        load(&w.read(), input.id)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MarkPosted {
    pub id: i64,
    /// When it went out: local `YYYY-MM-DD HH:MM` or RFC 3339; empty is now. Never the future.
    #[serde(default)]
    pub at: Option<String>,
    /// Where it is (the article's URL); empty keeps what the item had.
    #[serde(default)]
    pub link: Option<String>,
}

/// Marks an item published (the manager posted it by hand).
pub fn mark_posted(ctx: &Ctx, input: MarkPosted) -> Result<ContentItem> {
    let now = ctx.clock.now();
    let offset = zone().offset_from_utc_datetime(&now.naive_utc()).fix();
    let at = parse_past(input.at.as_deref(), now, offset, "at")?;
    let link = input.link.as_deref().map(str::trim).unwrap_or("");
    if link.chars().count() > MAX_TEXT {
        return Err(Error::too_long("link", MAX_TEXT));
    }
    let stamp_now = stamp(now);
    ctx.store.write(|w| {
        let row = table::item(&w.read(), input.id)?
            .ok_or_else(|| Error::not_found("content", input.id))?;
        let mut record = row.record;
        record.status = ContentStatus::Published;
        record.published_at = Some(stamp(at));
        if !link.is_empty() {
            record.link = link.to_owned();
        }
        table::update_item(w, input.id, &record, &row.channel_ids, &stamp_now)?;
        load(&w.read(), input.id)
    })
}

/// Takes "posted" back (the Undo): planned again if it had a time, else a draft.
pub fn unmark_posted(ctx: &Ctx, id: i64) -> Result<ContentItem> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let row = table::item(&w.read(), id)?.ok_or_else(|| Error::not_found("content", id))?;
        let mut record = row.record;
        if record.status != ContentStatus::Published {
            return load(&w.read(), id);
        }
        record.published_at = None;
        record.status = if record.planned_at.is_some() {
            ContentStatus::Planned
        } else {
            ContentStatus::Draft
        };
        table::update_item(w, id, &record, &row.channel_ids, &now)?;
        load(&w.read(), id)
    })
}

/// Which items to list: those shown on local days `[from, to]` (either open), with filters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentQuery {
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub to: Option<String>,
    /// Any of these channels; empty is all.
    #[serde(default)]
    pub channel_ids: Vec<i64>,
    /// Any of these statuses; empty is all.
    #[serde(default)]
    pub statuses: Vec<ContentStatus>,
    #[serde(default)]
    pub campaign_id: Option<i64>,
}

impl ContentQuery {
    fn filter(&self) -> ItemFilter {
        let json = |v: String| Some(v);
        ItemFilter {
            channel_ids: (!self.channel_ids.is_empty())
                .then(|| serde_json::to_string(&self.channel_ids).expect("ids serialise"))
                .and_then(json),
            statuses: (!self.statuses.is_empty())
                .then(|| {
                    serde_json::to_string(
                        &self.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    )
                    .expect("statuses serialise")
                })
                .and_then(json),
            campaign_id: self.campaign_id,
        }
    }

    /// The UTC stamps `[from, to)` of the local days asked for (open ends far away).
    fn bounds(&self) -> Result<(String, String)> {
        let zone = zone();
        let from = match opt_day("from", &self.from)? {
            Some(d) => stamp(recurrence::instant(d, midnight(), zone)),
            None => "0000".to_owned(),
        };
        let to = match opt_day("to", &self.to)? {
            Some(d) => stamp(recurrence::instant(d + Duration::days(1), midnight(), zone)),
            None => "9999".to_owned(),
        };
        Ok((from, to))
    }
}

/// Items shown in the days asked for, earliest first; with neither `from` nor `to`, the
/// unscheduled ideas and drafts follow.
pub fn list(ctx: &Ctx, query: &ContentQuery) -> Result<Vec<ContentItem>> {
    let (from, to) = query.bounds()?;
    let filter = query.filter();
    let zone = zone();
    ctx.store.read(|r| {
        let mut rows = table::items_shown(r, &from, &to, &filter)?;
        if query.from.is_none() && query.to.is_none() {
            rows.extend(table::unscheduled(r, &filter, u32::MAX)?);
        }
        Ok(rows.into_iter().map(|row| to_item(row, zone)).collect())
    })
}

/// The calendar for local days `[from, to]`: items, the unscheduled sidebar, overloaded days,
/// and the channels with nothing in the `gap_days` from today.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CalendarQuery {
    #[serde(flatten)]
    pub query: ContentQuery,
    /// Default [`GAP_DAYS`].
    #[serde(default)]
    pub gap_days: Option<u32>,
}

pub fn calendar(ctx: &Ctx, input: &CalendarQuery) -> Result<ContentCalendar> {
    let (from, to) = input.query.bounds()?;
    let filter = input.query.filter();
    let zone = zone();
    let today = today(ctx);
    let gap_days = input.gap_days.unwrap_or(GAP_DAYS).clamp(1, 366);
    ctx.store.read(|r| {
        let rows = table::items_shown(r, &from, &to, &filter)?;
        let channels = table::channels(r)?;
        // Overload counts every post of the channel that day, whatever the filters show.
        let all = if input.query.statuses.is_empty() && input.query.campaign_id.is_none() {
            None
        } else {
            Some(table::items_shown(r, &from, &to, &ItemFilter::default())?)
        };
        let items: Vec<ContentItem> = rows.into_iter().map(|row| to_item(row, zone)).collect();
        let overloads = match all {
            Some(all) => {
                let all: Vec<ContentItem> = all.into_iter().map(|row| to_item(row, zone)).collect();
                overloads(&all, &channels)
            }
            None => overloads(&items, &channels),
        };
        let mut gaps = gaps(r, &channels, today, gap_days, zone)?;
        if !input.query.channel_ids.is_empty() {
            gaps.retain(|g| input.query.channel_ids.contains(&g.channel_id));
        }
        let unscheduled = table::unscheduled(r, &filter, SIDEBAR_LIMIT)?;
        Ok(ContentCalendar {
            items,
            unscheduled: unscheduled
                .into_iter()
                .map(|row| to_item(row, zone))
                .collect(),
            overloads,
            gaps,
            today: today.to_string(),
        })
    })
}

/// Days on which a channel has more posts (planned or published, not skipped) than its limit.
fn overloads(items: &[ContentItem], channels: &[ContentChannel]) -> Vec<ChannelOverload> {
    let mut counts: BTreeMap<(&str, i64), u32> = BTreeMap::new();
    for item in items {
        if item.status == ContentStatus::Skipped {
            continue;
        }
        let Some(day) = item.day.as_deref() else {
            continue;
        };
        for c in &item.channel_ids {
            *counts.entry((day, *c)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|((day, channel_id), count)| {
            let channel = channels.iter().find(|c| c.id == channel_id)?;
            (count > channel.daily_limit).then(|| ChannelOverload {
                channel_id,
                channel_name: channel.name.clone(),
                day: day.to_owned(),
                count,
                limit: channel.daily_limit,
            })
        })
        .collect()
}

/// Channels with nothing planned or published from `today` for `days` days.
fn gaps(
    r: &Read<'_>,
    channels: &[ContentChannel],
    today: NaiveDate,
    days: u32,
    zone: Tz,
) -> Result<Vec<ChannelGap>> {
    let start = stamp(recurrence::instant(today, midnight(), zone));
    let last = today + Duration::days(i64::from(days) - 1);
    let next = table::next_shown_per_channel(r, &start)?;
    Ok(channels
        .iter()
        .filter_map(|c| {
            let next_day = next
                .iter()
                .find(|(id, _)| *id == c.id)
                .and_then(|(_, at)| at.as_deref())
                .and_then(parse_stamp)
                .map(|t| t.with_timezone(&zone).date_naive());
            match next_day {
                Some(d) if d <= last => None,
                _ => Some(ChannelGap {
                    channel_id: c.id,
                    channel_name: c.name.clone(),
                    from: today.to_string(),
                    to: last.to_string(),
                    next_day: next_day.map(|d| d.to_string()),
                }),
            }
        })
        .collect())
}

/// Channels with nothing in the next `days` days from today (for the Today list and the CLI).
pub fn gaps_ahead(ctx: &Ctx, days: u32) -> Result<Vec<ChannelGap>> {
    let today = today(ctx);
    ctx.store.read(|r| {
        let channels = table::channels(r)?;
        gaps(r, &channels, today, days.clamp(1, 366), zone())
    })
}

/// Planned and published counts per channel and ISO week (of the community's zone) for local
/// days `[from, to]`: what the dashboards chart as planned against published.
pub fn published_vs_planned(ctx: &Ctx, from: &str, to: &str) -> Result<Vec<WeekCount>> {
    let query = ContentQuery {
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
        ..Default::default()
    };
    let (lo, hi) = query.bounds()?;
    let zone = zone();
    let week = |s: &str| {
        parse_stamp(s).map(|t| {
            let w = t.with_timezone(&zone).date_naive().iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        })
    };
    fn in_range<'a>(s: &'a Option<String>, lo: &str, hi: &str) -> Option<&'a str> {
        s.as_deref().filter(|s| *s >= lo && *s < hi)
    }
    let rows = ctx.store.read(|r| table::channel_times(r, &lo, &hi))?;
    let mut counts: BTreeMap<(i64, String), (u32, u32)> = BTreeMap::new();
    for (channel, planned, published, status) in rows {
        if status != ContentStatus::Skipped {
            if let Some(w) = in_range(&planned, &lo, &hi).and_then(week) {
                counts.entry((channel, w)).or_default().0 += 1;
            }
        }
        if status == ContentStatus::Published {
            if let Some(w) = in_range(&published, &lo, &hi).and_then(week) {
                counts.entry((channel, w)).or_default().1 += 1;
            }
        }
    }
    Ok(counts
        .into_iter()
        .map(|((channel_id, week), (planned, published))| WeekCount {
            channel_id,
            week,
            planned,
            published,
        })
        .collect())
}

// ---- shared ------------------------------------------------------------------------------

pub(crate) fn load(r: &Read<'_>, id: i64) -> Result<ContentItem> {
    let row = table::item(r, id)?.ok_or_else(|| Error::not_found("content", id))?;
    Ok(to_item(row, zone()))
}

/// `YYYY-MM-DDTHH:MM` in `zone` (written by hand: chrono's formatter was a third of the month
/// view over thousands of items).
fn local(s: &Option<String>, zone: Tz) -> Option<String> {
    use chrono::Timelike;
    s.as_deref().and_then(parse_stamp).map(|t| {
        let t = t.with_timezone(&zone);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    })
}

pub(crate) fn to_item(row: ItemRow, zone: Tz) -> ContentItem {
    let r = row.record;
    let planned_local = local(&r.planned_at, zone);
    let published_local = local(&r.published_at, zone);
    let day = published_local
        .as_deref()
        .or(planned_local.as_deref())
        .map(|l| l[..10].to_owned());
    ContentItem {
        id: row.id,
        planned_local,
        published_local,
        day,
        title: r.title,
        body: r.body,
        status: r.status,
        channel_ids: row.channel_ids,
        planned_at: r.planned_at,
        published_at: r.published_at,
        link: r.link,
        owner_member_id: r.owner_member_id,
        owner_name: row.owner_name,
        event_id: r.event_id,
        event_title: row.event_title,
        campaign_id: r.campaign_id,
        slot_id: r.slot_id,
        tags: serde_json::from_str(&r.tags).unwrap_or_default(),
        notes: r.notes,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn midnight() -> chrono::NaiveTime {
    chrono::NaiveTime::MIN
}

pub(crate) fn parse_day(field: &str, s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::new(
            ErrorCode::InvalidDate,
            format!("“{s}” is not a date (YYYY-MM-DD)"),
        )
        .with_field(field)
        .with_param("value", s)
    })
}

fn opt_day(field: &str, s: &Option<String>) -> Result<Option<NaiveDate>> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_day(field, s).map(Some),
    }
}

pub(crate) fn parse_time(field: &str, s: &str) -> Result<chrono::NaiveTime> {
    let s = s.trim();
    chrono::NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| {
        Error::new(
            ErrorCode::InvalidDate,
            format!("“{s}” is not a time (HH:MM)"),
        )
        .with_field(field)
        .with_param("value", s)
    })
}

/// A local `YYYY-MM-DD HH:MM` (or with `T`) in the community's zone, as UTC.
pub(crate) fn parse_local(field: &str, s: &str) -> Result<DateTime<Utc>> {
    let s = s.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDate,
                format!("“{s}” is not a date and time (YYYY-MM-DD HH:MM)"),
            )
            .with_field(field)
            .with_param("value", s)
        })?;
    Ok(recurrence::instant(naive.date(), naive.time(), zone()))
}

/// Checks a draft against the status rules and turns it into what the store keeps.
/// `before` is the item being edited (its slot stays).
fn validate(
    r: &Read<'_>,
    d: &ContentDraft,
    now: DateTime<Utc>,
    before: Option<&ItemRecord>,
) -> Result<(ItemRecord, Vec<i64>)> {
    let title = text::clean(&d.title);
    if title.is_empty() {
        return Err(Error::required("title"));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(Error::too_long("title", MAX_TITLE));
    }
    if d.body.chars().count() > MAX_BODY {
        return Err(Error::too_long("body", MAX_BODY));
    }
    let link = d.link.trim().to_owned();
    for (field, value) in [("notes", &d.notes), ("link", &link)] {
        if value.chars().count() > MAX_TEXT {
            return Err(Error::too_long(field, MAX_TEXT));
        }
    }
    let mut channels = d.channel_ids.clone();
    channels.sort_unstable();
    channels.dedup();
    for c in &channels {
        if table::channel(r, *c)?.is_none() {
            return Err(Error::not_found("channel", *c).with_field("channel_ids"));
        }
    }
    if let Some(owner) = d.owner_member_id {
        if !table::member_exists(r, owner)? {
            return Err(Error::not_found("member", owner).with_field("owner_member_id"));
        }
    }
    if let Some(event) = d.event_id {
        if table::event_start(r, event)?.is_none() {
            return Err(Error::not_found("event", event).with_field("event_id"));
        }
    }
    if let Some(campaign) = d.campaign_id {
        if !table::campaign_exists(r, campaign)? {
            return Err(Error::not_found("campaign", campaign).with_field("campaign_id"));
        }
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
    let planned_at = match d.planned_local.trim() {
        "" => None,
        s => Some(parse_local("planned_local", s)?),
    };
    let status = d.status.unwrap_or(if planned_at.is_some() {
        ContentStatus::Planned
    } else {
        ContentStatus::Idea
    });
    if status == ContentStatus::Planned && planned_at.is_none() {
        return Err(
            Error::new(ErrorCode::Required, "a planned item needs a day and time")
                .with_field("planned_local"),
        );
    }
    let published_at = if status == ContentStatus::Published {
        let offset = zone().offset_from_utc_datetime(&now.naive_utc()).fix();
        let raw = d.published_local.trim().replacen('T', " ", 1);
        match before.and_then(|b| b.published_at.clone()) {
            // Editing a published item without touching its time keeps it.
            Some(kept) if raw.is_empty() => Some(kept),
            _ => Some(stamp(parse_past(
                Some(&raw),
                now,
                offset,
                "published_local",
            )?)),
        }
    } else {
        None
    };
    Ok((
        ItemRecord {
            title,
            body: d.body.trim_end().to_owned(),
            status,
            planned_at: planned_at.map(stamp),
            published_at,
            link,
            owner_member_id: d.owner_member_id,
            event_id: d.event_id,
            campaign_id: d.campaign_id,
            slot_id: before.and_then(|b| b.slot_id),
            tags: serde_json::to_string(&tags).expect("tags serialise"),
            notes: d.notes.trim().to_owned(),
        },
        channels,
    ))
}

/// Inserts a planned item inside the caller's transaction (slots and SOP templates).
pub(crate) fn insert_planned_in(
    w: &mut Write<'_>,
    title: &str,
    at: DateTime<Utc>,
    channel_ids: &[i64],
    slot_id: Option<i64>,
    event_id: Option<i64>,
    now: &str,
) -> Result<i64> {
    table::insert_item(
        w,
        &ItemRecord {
            title: title.to_owned(),
            body: String::new(),
            status: ContentStatus::Planned,
            planned_at: Some(stamp(at)),
            published_at: None,
            link: String::new(),
            owner_member_id: None,
            event_id,
            campaign_id: None,
            slot_id,
            tags: "[]".to_owned(),
            notes: String::new(),
        },
        channel_ids,
        now,
    )
}
