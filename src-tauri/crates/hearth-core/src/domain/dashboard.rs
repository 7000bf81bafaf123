//! The dashboards' numbers (see `ops::dashboard` for how each is computed, and the README's
//! "Metric definitions").

use serde::{Deserialize, Serialize};

use super::Stage;

/// Every tile's numbers for a date range (local days, both ends included).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Metrics {
    pub from: String,
    pub to: String,
    pub growth: Growth,
    pub activity: ActivityStats,
    pub lifecycle: Funnel,
    pub cohorts: Vec<Cohort>,
    pub events: Participation,
    pub points: PointsStats,
    pub top: Vec<Contributor>,
    /// Planned against published per content channel (none without channels: no tile).
    pub content: Vec<ChannelContent>,
    /// The same key numbers for the period of the same length just before, when asked for.
    pub previous: Option<Summary>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Growth {
    /// Counted members who joined before the first day.
    pub members_start: u32,
    /// Counted members who joined on or before the last day.
    pub members_end: u32,
    pub new: u32,
    pub left: u32,
    /// new − left.
    pub net: i64,
    pub weeks: Vec<GrowthBucket>,
    pub months: Vec<GrowthBucket>,
}

/// New, left and net members of one week (from Monday) or month, clipped to the range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GrowthBucket {
    pub from: String,
    pub to: String,
    pub new: u32,
    pub left: u32,
    pub net: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityStats {
    /// Active members on the last day.
    pub dau: u32,
    /// Distinct active members in the 7 days ending on the last day.
    pub wau: u32,
    /// Distinct active members in the 30 days ending on the last day.
    pub mau: u32,
    /// Mean DAU over the 30 days ending on the last day / MAU (0 when MAU is 0).
    pub stickiness: f64,
    /// Distinct active members over the whole range.
    pub active: u32,
    /// Live activities in the range.
    pub activities: u32,
    /// Activities in the range / the sum of DAU over it (0 without activity).
    pub per_active_day: f64,
    /// Every day of the range (days without activity as zeros).
    pub days: Vec<DayActivity>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DayActivity {
    pub day: String,
    pub active: u32,
    pub activities: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Funnel {
    /// Counted members per stage everyone sees today (the manager's override wins), in the
    /// lifecycle's order.
    pub stages: Vec<StageCount>,
    /// Stage changes in the range, per month and (from, to).
    pub moves: Vec<StageMove>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageCount {
    pub stage: Stage,
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageMove {
    /// `YYYY-MM`.
    pub month: String,
    pub from: Stage,
    pub to: Stage,
    pub members: u32,
}

/// Members who joined in one month, and how many of them were active in each month since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    pub size: u32,
    /// `active[k]`: members of the cohort active at least once in the k-th month after the
    /// joining month (0 = the joining month), up to the range's last month.
    pub active: Vec<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Participation {
    /// Events (not cancelled) that start in the range.
    pub held: u32,
    /// Registrations to those events, cancelled and wait-listed ones left out (walk-ins in).
    pub registered: u32,
    /// Of those, checked in (attended or walked in).
    pub attended: u32,
    /// Registered and not checked in, at events already over.
    pub no_show: u32,
    /// Registered at events already over (the base of both rates).
    pub registered_past: u32,
    /// attended (past events) / registered_past; `None` without a past registration.
    pub attendance_rate: Option<f64>,
    /// no_show / registered_past.
    pub no_show_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PointsStats {
    /// from_activities + granted.
    pub issued: i64,
    /// Points the ledger holds for live activities of days in the range (claw-backs netted).
    pub from_activities: i64,
    /// Manual grants written in the range.
    pub granted: i64,
    /// Credit points deducted (not voided) in the range, and how many deductions.
    pub credit_deducted: i64,
    pub credit_entries: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Contributor {
    pub member_id: i64,
    pub display_name: String,
    pub activities: u32,
    pub points: i64,
}

/// One content channel's items in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelContent {
    pub channel_id: i64,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    /// Items planned for a day in the range (skipped ones left out, published or not).
    pub planned: u32,
    /// Items published on a day in the range.
    pub published: u32,
}

/// The key numbers of a period, for comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Summary {
    pub from: String,
    pub to: String,
    pub new: u32,
    pub left: u32,
    pub dau: u32,
    pub wau: u32,
    pub mau: u32,
    pub active: u32,
    pub activities: u32,
    pub points_issued: i64,
    pub attended: u32,
}

/// A number on the dashboards whose members can be listed. Days are local `YYYY-MM-DD`, both
/// ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Drill {
    /// Counted members who joined in the range.
    New {
        from: String,
        to: String,
    },
    /// Members moved to the trash in the range (merges left out).
    Left {
        from: String,
        to: String,
    },
    /// Counted members with an activity in the range.
    Active {
        from: String,
        to: String,
    },
    /// The cohort that joined in `month` (`YYYY-MM`), or those of them active `offset` months
    /// after it.
    Cohort {
        month: String,
        offset: Option<u32>,
    },
    /// Registered / checked in / no-show at events (not cancelled) starting in the range.
    Registered {
        from: String,
        to: String,
    },
    Attended {
        from: String,
        to: String,
    },
    NoShow {
        from: String,
        to: String,
    },
    /// Counted members in this stage today.
    Stage {
        stage: Stage,
    },
    /// Members whose stage changed from `from` to `to` in `month`.
    Moved {
        month: String,
        from: Stage,
        to: Stage,
    },
    /// Members with credit deductions in the range.
    Deducted {
        from: String,
        to: String,
    },
    /// Counted members who own an item of this content channel shown (published, else
    /// planned) on a day in the range.
    ContentOwners {
        channel_id: i64,
        from: String,
        to: String,
    },
    /// These members (those who count), e.g. the members behind a plan goal's value.
    Listed {
        ids: Vec<i64>,
    },
}
