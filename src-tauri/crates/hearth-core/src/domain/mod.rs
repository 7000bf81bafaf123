//! The nouns of Hearth, as they cross into the UI and the CLI's JSON. Plain data, no behaviour
//! beyond naming; rules live in `ops`, persistence in `store`.

mod archive;
mod campaign;
mod content;
mod credit;
mod custom;
mod dashboard;
mod engagement;
mod event;
mod import;
mod lifecycle;
mod member;
mod segment;
mod settings;
mod snapshot;
mod tag;
mod today;

pub use archive::{ArchiveManifest, ArchiveTable, TableData};
pub use campaign::{
    Budget, BudgetCategory, BudgetLine, Campaign, CampaignContent, CampaignDraft, CampaignStatus,
    CampaignSummary, ChecklistItem, Contribution, EndNumber, Funding, FundingSource, Goal,
    GoalProgress, GoalStatus, Metric, MoneyTotal, NamedRef, Partner, PartnerCampaign, PartnerDraft,
    PartnerLinkBack, PartnerStatus, Plan, Positioning, RemovedPartner, Retrospective, Task,
    TaskOwner, TaskStatus, TrendPoint,
};
pub use content::{
    ChannelDraft, ChannelGap, ChannelHistory, ChannelKind, ChannelOverload, ContentCalendar,
    ContentChannel, ContentDraft, ContentItem, ContentSlot, ContentStatus, LibraryDraft,
    LibraryEntry, LibraryKind, Recurrence, SlotDraft, SopStep, SopTemplate, WeekCount,
};
pub use credit::{Appeal, AppealStatus, Channel, CreditRule, Platform, Tier, TierAction};
pub use custom::{CustomField, CustomFieldDraft, CustomFieldKind};
pub use dashboard::{
    ActivityStats, ChannelContent, Cohort, Contributor, DayActivity, Drill, Funnel, Growth,
    GrowthBucket, Metrics, Participation, PointsStats, StageCount, StageMove, Summary,
};
pub use engagement::{ActivityKind, Badge, Criteria, MemberBadge, PointsEntry, Redemption, Reward};
pub use event::{
    Event, EventDraft, EventMode, EventOutcome, EventStatus, Feedback, Registration,
    RegistrationCounts, RegistrationStatus,
};
pub use import::{ImportBatch, RowFlag};
pub use lifecycle::{Cause, KindRule, Rules, Stage, StageChange};
pub use member::{Gender, Identity, IdentityKind, Member, MemberDraft, MemberPage, MemberSort};
pub use segment::{CustomCondition, CustomOp, MemberFilter, Segment, SegmentChanges};
pub use settings::{Settings, SettingsPatch, Theme};
pub use snapshot::{CheckReport, Snapshot, SnapshotReason, SnapshotSettings};
pub use tag::TagCount;
pub use today::FollowUp;
