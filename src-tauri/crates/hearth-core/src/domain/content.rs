//! The content calendar's nouns: channels, content items, recurring slots, SOP templates, and
//! what the calendar reports about them (gaps, overload, planned against published).

use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

str_enum! {
    /// What sort of place a channel is (none of them has an API Hearth posts through).
    ChannelKind {
        WechatGroup = "wechat_group",
        /// 公众号.
        OfficialAccount = "official_account",
        Weibo = "weibo",
        QqGroup = "qq_group",
        Forum = "forum",
        Newsletter = "newsletter",
        /// 小红书.
        Xiaohongshu = "xiaohongshu",
        Other = "other",
    }
}

str_enum! {
    /// idea → draft → planned (has a slot) → published (when, where) or skipped.
    ContentStatus {
        Idea = "idea",
        Draft = "draft",
        Planned = "planned",
        Published = "published",
        Skipped = "skipped",
    }
}

/// A place the manager posts to by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentChannel {
    pub id: i64,
    pub name: String,
    pub kind: ChannelKind,
    /// `#rrggbb`.
    pub colour: String,
    pub audience: u32,
    pub rules: String,
    /// More posts than this on one day is overload.
    pub daily_limit: u32,
}

/// What the manager typed for a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelDraft {
    pub name: String,
    pub kind: ChannelKind,
    /// `#rrggbb`; empty picks one from the kind.
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub audience: u32,
    #[serde(default)]
    pub rules: String,
    /// Empty is 2.
    #[serde(default)]
    pub daily_limit: Option<u32>,
}

/// One piece of content as the calendar, the sidebar and `hearth content list --json` see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub status: ContentStatus,
    pub channel_ids: Vec<i64>,
    /// UTC, RFC 3339.
    pub planned_at: Option<String>,
    /// `YYYY-MM-DDTHH:MM` in the community's zone.
    pub planned_local: Option<String>,
    pub published_at: Option<String>,
    pub published_local: Option<String>,
    /// The local day the calendar shows it on (published, else planned); none for an
    /// unscheduled idea or draft.
    pub day: Option<String>,
    pub link: String,
    pub owner_member_id: Option<i64>,
    pub owner_name: Option<String>,
    pub event_id: Option<i64>,
    pub event_title: Option<String>,
    pub campaign_id: Option<i64>,
    pub slot_id: Option<i64>,
    pub tags: Vec<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What the manager typed to create or edit an item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentDraft {
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// Empty is an idea (no time) or planned (with a time).
    #[serde(default)]
    pub status: Option<ContentStatus>,
    #[serde(default)]
    pub channel_ids: Vec<i64>,
    /// `YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD HH:MM`) in the community's zone; empty is unscheduled.
    #[serde(default)]
    pub planned_local: String,
    /// When it went out, for a published item (local, as above); empty is now.
    #[serde(default)]
    pub published_local: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub owner_member_id: Option<i64>,
    #[serde(default)]
    pub event_id: Option<i64>,
    #[serde(default)]
    pub campaign_id: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

/// How a recurring slot repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    /// On these weekdays every week (0 Monday … 6 Sunday).
    Weekly { weekdays: Vec<u8> },
    /// The `nth` (1–4, or -1 for the last) `weekday` of every month: first Monday is (1, 0).
    MonthlyWeekday { nth: i8, weekday: u8 },
    /// Day `day` (1–31) of every month; months without it use their last day.
    MonthlyDay { day: u8 },
}

/// A recurring slot: "every Tuesday 20:00 知识分享 in group A".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentSlot {
    pub id: i64,
    pub channel_id: i64,
    pub title: String,
    pub recurrence: Recurrence,
    /// `HH:MM` in `time_zone`.
    pub time: String,
    pub time_zone: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// What the manager typed for a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlotDraft {
    pub channel_id: i64,
    pub title: String,
    pub recurrence: Recurrence,
    pub time: String,
    /// Empty is the community's zone.
    #[serde(default)]
    pub time_zone: String,
    /// Empty is today.
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// One post of an SOP template, `offset_days` from the event's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SopStep {
    pub title: String,
    pub offset_days: i32,
    /// `HH:MM` in the community's zone.
    pub time: String,
    #[serde(default)]
    pub channel_id: Option<i64>,
}

/// A checklist of posts around an event (announcement −7, reminder −1, recap +1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SopTemplate {
    pub id: i64,
    pub name: String,
    pub steps: Vec<SopStep>,
}

/// A channel with nothing planned or published in the days looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelGap {
    pub channel_id: i64,
    pub channel_name: String,
    /// First and last local day of the empty stretch (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// The next item after the stretch, if any (local day).
    pub next_day: Option<String>,
}

/// A day with more posts in one channel than its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelOverload {
    pub channel_id: i64,
    pub channel_name: String,
    pub day: String,
    pub count: u32,
    pub limit: u32,
}

/// What the calendar needs for a range of days: the items, the ideas sidebar, and the warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContentCalendar {
    pub items: Vec<ContentItem>,
    /// Unscheduled ideas and drafts (same filters), newest first.
    pub unscheduled: Vec<ContentItem>,
    pub overloads: Vec<ChannelOverload>,
    /// Channels with nothing in the coming days (from today; none when the range is past).
    pub gaps: Vec<ChannelGap>,
    /// Today in the community's zone.
    pub today: String,
}

/// Planned and published counts of one channel in one ISO week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeekCount {
    pub channel_id: i64,
    /// `2026-W49`.
    pub week: String,
    /// Items planned for that week (published or not, skipped excluded).
    pub planned: u32,
    /// Items that went out that week.
    pub published: u32,
}

str_enum! {
    /// What a library entry is: a piece worth posting again, or a question members keep asking
    /// with its answer.
    LibraryKind {
        Evergreen = "evergreen",
        Faq = "faq",
    }
}

/// One entry of the knowledge library (知识沉淀). Deserialised too: the Undo of a delete puts
/// the entry back as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LibraryEntry {
    pub id: i64,
    pub kind: LibraryKind,
    /// The piece's title, or the FAQ's question.
    pub title: String,
    /// The text, or the FAQ's answer.
    pub body: String,
    pub tags: Vec<String>,
    /// The item it was kept from (gone when that item was deleted).
    pub source_item_id: Option<i64>,
    /// The channel it went out in.
    pub channel_id: Option<i64>,
    pub channel_name: Option<String>,
    /// Items planned again from it.
    pub reuse_count: u32,
    pub last_reused_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the manager typed for a library entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LibraryDraft {
    pub kind: LibraryKind,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub channel_id: Option<i64>,
}

/// A channel's published items, newest first, and which of them the library already keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelHistory {
    pub items: Vec<ContentItem>,
    /// Item id → the entry that keeps it.
    pub kept: Vec<(i64, i64)>,
}
