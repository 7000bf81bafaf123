//! Lifecycle nouns: the stages a member moves through, why a stage changed, the rules the
//! manager tunes and one recorded change.
//!
//! Deliberately absent: computing a stage (`ops::lifecycle`) and storing one
//! (`store::lifecycle`, which also keeps how a cause is written in the database).

use serde::{Deserialize, Serialize};

/// Where a member is in the community's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Active,
    Loyal,
    Core,
    Dormant,
    Churned,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::New,
        Stage::Active,
        Stage::Loyal,
        Stage::Core,
        Stage::Dormant,
        Stage::Churned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Active => "active",
            Stage::Loyal => "loyal",
            Stage::Core => "core",
            Stage::Dormant => "dormant",
            Stage::Churned => "churned",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Order for promotion and demotion: churned < dormant < new < active < loyal < core.
    pub fn rank(self) -> u8 {
        match self {
            Stage::Churned => 0,
            Stage::Dormant => 1,
            Stage::New => 2,
            Stage::Active => 3,
            Stage::Loyal => 4,
            Stage::Core => 5,
        }
    }
}

/// Why a member's stage changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    Promotion,
    Demotion,
    Override,
    OverrideCleared,
}

/// How much one kind of activity counts towards an active day, and whether it is "voice".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KindRule {
    pub key: String,
    /// Shown, not saved (the kind's names are edited elsewhere).
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// 0 never makes a day active.
    pub weight: f64,
    /// Answering, sharing, hosting: counts towards being an opinion leader.
    pub voice: bool,
}

/// The rules the manager tunes. The windows are fixed: a week is the last 7 days (today
/// included), a month the last 30, a quarter the last 90.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rules {
    /// Active: at least this many active days in the last 7 …
    pub active_week_days: u32,
    /// … or this many in the last 30.
    pub active_month_days: u32,
    /// Loyal: at least this many active days in the last 30.
    pub loyal_month_days: u32,
    /// Core: at least this many active days in the last 30 and …
    pub core_month_days: u32,
    /// … this many in the last 90.
    pub core_quarter_days: u32,
    /// New: joined this many days ago or less (and not yet active by the milestones).
    pub new_days: u32,
    /// Dormant when the last active day is more than this many days ago …
    pub dormant_after_days: u32,
    /// … churned when more than this many.
    pub churned_after_days: u32,
    /// A lower computed stage must last this many days before the stored stage drops.
    pub demotion_hold_days: u32,
    /// A day is active when the weights of its activities add up to at least this.
    pub day_weight: f64,
    /// Opinion leader: at least this many voice activities …
    pub leader_voices: u32,
    /// … in this many days.
    pub leader_window_days: u32,
    /// Weight and voice of every activity kind.
    pub kinds: Vec<KindRule>,
}

impl Default for Rules {
    /// The defaults of a new database (the kinds are left empty: they live in the database).
    fn default() -> Self {
        Rules {
            active_week_days: 2,
            active_month_days: 4,
            loyal_month_days: 7,
            core_month_days: 7,
            core_quarter_days: 20,
            new_days: 30,
            dormant_after_days: 30,
            churned_after_days: 90,
            demotion_hold_days: 14,
            day_weight: 1.0,
            leader_voices: 8,
            leader_window_days: 90,
            kinds: Vec::new(),
        }
    }
}

/// One change of a member's stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageChange {
    pub id: i64,
    pub member_id: i64,
    pub from_stage: Stage,
    pub to_stage: Stage,
    /// `YYYY-MM-DD`, local: the day the change was recorded.
    pub day: String,
    pub cause: Cause,
    /// The manager's reason for an override.
    pub note: String,
    pub created_at: String,
}
