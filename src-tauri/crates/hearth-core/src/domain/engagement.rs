//! Engagement nouns: activity kinds, badges and what earns them, a member's badges, the
//! rewards catalogue, redemptions and a row of the points history.
//!
//! Deliberately absent: points, caps and awards as rules (`ops::engagement`, `ops::rewards`)
//! and the ledger itself (`store::engagement`, `store::rewards`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityKind {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub weight: f64,
    pub points: i64,
    pub daily_cap: Option<u32>,
}

/// What earns a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Criteria {
    /// Only awarded by hand.
    Manual,
    /// `n` live activities of one kind (10 × attended_event).
    KindCount { kind: String, n: i64 },
    /// `n` points earned (what the all-time leaderboard counts: redemptions do not lower it).
    Points { n: i64 },
    /// `n` distinct days with any live activity.
    ActiveDays { n: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Badge {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// An emoji or short text shown as the badge's picture.
    pub icon: String,
    pub criteria: Criteria,
    pub enabled: bool,
    /// Members holding it now (live awards of live members).
    pub holders: u32,
}

/// One badge a member holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberBadge {
    pub badge_key: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub icon: String,
    pub awarded_at: String,
    /// Awarded by its rule (`false`: by hand, with `note` saying why).
    pub auto: bool,
    pub note: String,
}

/// Something members can spend points on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reward {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub cost: i64,
    /// How many are left; `None` is unlimited.
    pub stock: Option<i64>,
    pub active: bool,
    /// Redemptions not undone.
    pub redeemed: u32,
}

/// One redemption, with the member who owns its ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Redemption {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub reward_id: i64,
    pub reward_name_zh: String,
    pub reward_name_en: String,
    pub cost: i64,
    pub note: String,
    pub created_at: String,
    pub undone_at: Option<String>,
}

/// One row of a member's points history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PointsEntry {
    pub id: i64,
    pub created_at: String,
    pub delta: i64,
    /// 'activity', 'grant', 'deduct', 'reversal' (an activity undone), 'redeem', 'redeem_undo',
    /// 'clawback' (an invitee left early), 'clawback_undo' (they came back).
    pub reason: String,
    pub note: String,
    pub activity_id: Option<i64>,
    /// The activity's kind key, and its names, for rows tied to an activity.
    pub activity_kind: Option<String>,
    pub kind_name_zh: Option<String>,
    pub kind_name_en: Option<String>,
    /// When the activity happened (it may have been logged later).
    pub occurred_at: Option<String>,
    /// The reward, for 'redeem' and 'redeem_undo' rows.
    pub reward_name_zh: Option<String>,
    pub reward_name_en: Option<String>,
    /// The member's balance right after this row.
    pub balance: i64,
}
