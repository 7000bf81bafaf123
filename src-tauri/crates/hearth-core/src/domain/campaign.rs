//! Campaign nouns: the community plan and its goals (KPIs) with their progress, campaigns with
//! tasks, partners, budget lines and funding. Days are the manager's local `YYYY-MM-DD`; money
//! is integer fen (分) with a three-letter currency, never a float.
//!
//! Deliberately absent: how a metric is computed (`ops::campaigns::metrics`) and the status rule
//! (`ops::campaigns::progress`).

use serde::{Deserialize, Serialize};

/// What a goal measures. Windowed metrics cover the 30 days ending on the day they are read
/// for; the definitions are in `ops::campaigns::metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    MemberCount,
    /// Growth of the member count since the goal started, in percent.
    MemberGrowthPct,
    #[serde(rename = "new_members_30d")]
    NewMembers30d,
    Dau,
    Wau,
    Mau,
    InteractionsPerActive,
    /// Percent of the latest complete monthly cohort active in days 61–90 after joining.
    #[serde(rename = "retention_90d")]
    Retention90d,
    #[serde(rename = "events_held_30d")]
    EventsHeld30d,
    AttendanceRate,
    NoShowRate,
    OpinionLeaders,
    #[serde(rename = "points_issued_30d")]
    PointsIssued30d,
    /// Content items published in the 30 days, as a percent of those planned in them.
    #[serde(rename = "content_published_pct")]
    ContentPublishedPct,
    /// Entered by hand with a date (`goal_readings`).
    Manual,
}

impl Metric {
    pub const ALL: [Metric; 15] = [
        Metric::MemberCount,
        Metric::MemberGrowthPct,
        Metric::NewMembers30d,
        Metric::Dau,
        Metric::Wau,
        Metric::Mau,
        Metric::InteractionsPerActive,
        Metric::Retention90d,
        Metric::EventsHeld30d,
        Metric::AttendanceRate,
        Metric::NoShowRate,
        Metric::OpinionLeaders,
        Metric::PointsIssued30d,
        Metric::ContentPublishedPct,
        Metric::Manual,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::MemberCount => "member_count",
            Metric::MemberGrowthPct => "member_growth_pct",
            Metric::NewMembers30d => "new_members_30d",
            Metric::Dau => "dau",
            Metric::Wau => "wau",
            Metric::Mau => "mau",
            Metric::InteractionsPerActive => "interactions_per_active",
            Metric::Retention90d => "retention_90d",
            Metric::EventsHeld30d => "events_held_30d",
            Metric::AttendanceRate => "attendance_rate",
            Metric::NoShowRate => "no_show_rate",
            Metric::OpinionLeaders => "opinion_leaders",
            Metric::PointsIssued30d => "points_issued_30d",
            Metric::ContentPublishedPct => "content_published_pct",
            Metric::Manual => "manual",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Whether the value is a percentage (0–100).
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Metric::Retention90d
                | Metric::AttendanceRate
                | Metric::NoShowRate
                | Metric::ContentPublishedPct
        )
    }

    /// Whether a smaller value is the better one (no-show rate).
    pub fn lower_is_better(self) -> bool {
        matches!(self, Metric::NoShowRate)
    }
}

/// The positioning of the community.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Positioning {
    /// Who it is for.
    pub audience: String,
    pub core_value: String,
    pub tone: String,
    /// Where the 群规 live (a link or a channel name).
    pub rules_link: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    OnTrack,
    AtRisk,
    OffTrack,
}

/// One point of a goal's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrendPoint {
    pub day: String,
    pub value: f64,
}

/// A goal (KPI) as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Goal {
    pub id: i64,
    pub campaign_id: Option<i64>,
    pub metric: Metric,
    pub label: String,
    /// The value on `start_on`; `None` until the goal has started.
    pub baseline: Option<f64>,
    pub target: f64,
    pub start_on: String,
    pub due_on: String,
}

/// A goal with where it stands on the day it was evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GoalProgress {
    pub goal: Goal,
    /// The value today; `None` for a manual metric with no reading yet.
    pub current: Option<f64>,
    /// Oldest first, ending today (at most 12 points).
    pub trend: Vec<TrendPoint>,
    /// The straight line through the trend, read on the due day; `None` without two points.
    pub forecast: Option<f64>,
    pub status: GoalStatus,
    /// Which case of the rule gave the status: `met`, `due_passed`, `forecast`, `pace`
    /// (no history: today's value against an even pace from baseline to target).
    pub reason: String,
    /// How many members are behind the current value (0 for rates without people, manual).
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Plan {
    pub positioning: Positioning,
    /// Target audience: saved segment ids and names.
    pub segments: Vec<NamedRef>,
    pub goals: Vec<GoalProgress>,
    /// The day the goals were evaluated for.
    pub day: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Planned,
    Running,
    Finished,
    Cancelled,
}

impl CampaignStatus {
    pub fn key(self) -> &'static str {
        match self {
            CampaignStatus::Planned => "planned",
            CampaignStatus::Running => "running",
            CampaignStatus::Finished => "finished",
            CampaignStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            CampaignStatus::Planned,
            CampaignStatus::Running,
            CampaignStatus::Finished,
            CampaignStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignDraft {
    pub name: String,
    pub goal: String,
    pub starts_on: String,
    pub ends_on: String,
    pub channels: String,
    pub owner: String,
}

/// A campaign in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignSummary {
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub starts_on: String,
    pub ends_on: String,
    pub channels: String,
    pub owner: String,
    pub status: CampaignStatus,
    pub tasks_open: u32,
    pub tasks_overdue: u32,
    pub tasks_done: u32,
}

/// A content item of a campaign, as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignContent {
    pub id: i64,
    pub title: String,
    pub status: super::content::ContentStatus,
    /// The local day it went out, else the one it is planned for (`YYYY-MM-DD`).
    pub day: Option<String>,
}

/// A KPI's value kept with the retrospective on the day the campaign finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EndNumber {
    pub goal_id: i64,
    pub metric: Metric,
    pub label: String,
    pub baseline: Option<f64>,
    pub target: f64,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Retrospective {
    pub what_worked: String,
    pub what_to_change: String,
    /// Set when the campaign finished.
    pub finished_on: Option<String>,
    pub end_numbers: Vec<EndNumber>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    Doing,
    Done,
}

impl TaskStatus {
    pub fn key(self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::Doing => "doing",
            TaskStatus::Done => "done",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [TaskStatus::Todo, TaskStatus::Doing, TaskStatus::Done]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// Who owns a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskOwner {
    Manager,
    /// A member who volunteered (`name` is filled in on reads).
    Member {
        member_id: i64,
        name: String,
    },
    /// A partner's contact (`name` is filled in on reads).
    Partner {
        partner_id: i64,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChecklistItem {
    pub id: i64,
    pub text: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Task {
    pub id: i64,
    pub campaign_id: i64,
    pub campaign_name: String,
    pub title: String,
    pub owner: TaskOwner,
    pub due_on: String,
    pub status: TaskStatus,
    pub done_at: Option<String>,
    pub checklist: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PartnerStatus {
    Prospect,
    Active,
    Paused,
    Ended,
}

impl PartnerStatus {
    pub fn key(self) -> &'static str {
        match self {
            PartnerStatus::Prospect => "prospect",
            PartnerStatus::Active => "active",
            PartnerStatus::Paused => "paused",
            PartnerStatus::Ended => "ended",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            PartnerStatus::Prospect,
            PartnerStatus::Active,
            PartnerStatus::Paused,
            PartnerStatus::Ended,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Contribution {
    Venue,
    Prizes,
    Money,
    Audience,
}

impl Contribution {
    pub fn key(self) -> &'static str {
        match self {
            Contribution::Venue => "venue",
            Contribution::Prizes => "prizes",
            Contribution::Money => "money",
            Contribution::Audience => "audience",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            Contribution::Venue,
            Contribution::Prizes,
            Contribution::Money,
            Contribution::Audience,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerDraft {
    pub organisation: String,
    pub contact: String,
    pub phone: String,
    pub contributes: Vec<Contribution>,
    pub status: PartnerStatus,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Partner {
    pub id: i64,
    pub organisation: String,
    pub contact: String,
    pub phone: String,
    pub contributes: Vec<Contribution>,
    pub status: PartnerStatus,
    pub notes: String,
    /// The campaigns they took part in, newest first, with what they brought to each.
    pub history: Vec<PartnerCampaign>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerCampaign {
    pub campaign_id: i64,
    pub campaign_name: String,
    pub starts_on: String,
    pub note: String,
}

/// A removed partner, as `ops::campaigns::delete_partner` hands it back so `restore_partner` can undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RemovedPartner {
    pub id: i64,
    pub draft: PartnerDraft,
    /// The campaigns they were on, with what they brought to each.
    pub links: Vec<PartnerLinkBack>,
    /// Tasks they owned (the manager holds them meanwhile).
    pub tasks: Vec<i64>,
    /// Funding rows they gave (kept, without the partner, meanwhile).
    pub funding: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerLinkBack {
    pub campaign_id: i64,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BudgetCategory {
    Venue,
    Food,
    Prizes,
    Printing,
    Transport,
    Promotion,
    Other,
}

impl BudgetCategory {
    pub const ALL: [BudgetCategory; 7] = [
        BudgetCategory::Venue,
        BudgetCategory::Food,
        BudgetCategory::Prizes,
        BudgetCategory::Printing,
        BudgetCategory::Transport,
        BudgetCategory::Promotion,
        BudgetCategory::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            BudgetCategory::Venue => "venue",
            BudgetCategory::Food => "food",
            BudgetCategory::Prizes => "prizes",
            BudgetCategory::Printing => "printing",
            BudgetCategory::Transport => "transport",
            BudgetCategory::Promotion => "promotion",
            BudgetCategory::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        BudgetCategory::ALL.into_iter().find(|c| c.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BudgetLine {
    pub id: i64,
    pub category: BudgetCategory,
    pub label: String,
    /// 分 (1/100 yuan).
    pub planned_fen: i64,
    pub actual_fen: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    Sponsorship,
    Company,
    MemberFees,
    Other,
}

impl FundingSource {
    pub fn key(self) -> &'static str {
        match self {
            FundingSource::Sponsorship => "sponsorship",
            FundingSource::Company => "company",
            FundingSource::MemberFees => "member_fees",
            FundingSource::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            FundingSource::Sponsorship,
            FundingSource::Company,
            FundingSource::MemberFees,
            FundingSource::Other,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Funding {
    pub id: i64,
    pub source: FundingSource,
    pub partner_id: Option<i64>,
    pub amount_fen: i64,
    pub currency: String,
    pub note: String,
}

/// Sums per currency, exact in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MoneyTotal {
    pub currency: String,
    pub planned_fen: i64,
    pub actual_fen: i64,
    pub funded_fen: i64,
    /// Actual spend divided by the members who joined during the campaign (rounded to the fen);
    /// `None` when nobody joined.
    pub per_new_member_fen: Option<i64>,
    /// Actual spend divided by the members active during the campaign.
    pub per_active_member_fen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Budget {
    pub lines: Vec<BudgetLine>,
    pub funding: Vec<Funding>,
    pub totals: Vec<MoneyTotal>,
    /// Members who joined between the campaign's first and last day (or today, if sooner).
    pub new_members: u32,
    /// Members active at least once between those days.
    pub active_members: u32,
}

/// Everything on a campaign's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Campaign {
    pub summary: CampaignSummary,
    pub goals: Vec<GoalProgress>,
    pub tasks: Vec<Task>,
    pub events: Vec<NamedRef>,
    /// The content calendar's items linked to the campaign, in calendar order.
    pub content: Vec<CampaignContent>,
    pub segments: Vec<NamedRef>,
    pub members: Vec<NamedRef>,
    pub partners: Vec<Partner>,
    pub budget: Budget,
    pub retrospective: Retrospective,
}
