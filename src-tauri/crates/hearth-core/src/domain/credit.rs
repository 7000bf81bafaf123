//! Credit-score nouns: channels and their platform, deduction rules, tiers and what they ask
//! for, and appeals.
//!
//! Deliberately absent: scores and deductions as shown (`ops::credit`, which computes them),
//! and how these are written in the database (`store::credit`).

use serde::{Deserialize, Serialize};

/// Where a channel lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Wechat,
    Qq,
    Forum,
    Other,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Wechat => "wechat",
            Platform::Qq => "qq",
            Platform::Forum => "forum",
            Platform::Other => "other",
        }
    }
}

/// A group or forum with its rules text (群规).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
// `Channel` is a Tauri IPC type in the generated bindings.
#[serde(rename = "GroupChannel")]
pub struct Channel {
    pub id: i64,
    pub name: String,
    pub platform: Platform,
    /// The 群规, as the manager pasted it.
    pub rules: String,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What a deduction can be for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditRule {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// Points taken; `None`: given on each deduction (the built-in `custom`).
    pub points: Option<i64>,
    /// Days until the points come back; `None`: never.
    pub expiry_days: Option<i64>,
    /// The channel whose 群规 the rule refers to.
    pub channel_id: Option<i64>,
    pub channel_name: Option<String>,
    /// Where in the 群规 (`第3条`).
    pub rule_ref: String,
    pub builtin: bool,
    /// Retired rules keep their history but are not offered for new deductions.
    pub active: bool,
    pub position: i64,
}

/// What a tier asks the manager to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TierAction {
    /// 提醒: a word with the member.
    Warning,
    /// 限制发言: mute or restrict them.
    Restricted,
    /// 移出群: remove them from the group.
    Remove,
}

impl TierAction {
    pub fn as_str(self) -> &'static str {
        match self {
            TierAction::Warning => "warning",
            TierAction::Restricted => "restricted",
            TierAction::Remove => "remove",
        }
    }
}

/// A member whose score is at or below `threshold` is in this tier (the lowest matching wins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Tier {
    pub threshold: i64,
    pub name_zh: String,
    pub name_en: String,
    pub action: TierAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Pending,
    /// The deduction stands.
    Upheld,
    /// The deduction is withdrawn: its points came back when it was decided.
    Overturned,
}

impl AppealStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AppealStatus::Pending => "pending",
            AppealStatus::Upheld => "upheld",
            AppealStatus::Overturned => "overturned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Appeal {
    pub id: i64,
    pub entry_id: i64,
    pub reason: String,
    pub status: AppealStatus,
    pub filed_at: String,
    pub decided_at: Option<String>,
    pub decision_note: String,
}
