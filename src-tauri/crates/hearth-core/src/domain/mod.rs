//! The nouns of Hearth, as they cross into the UI and the CLI's JSON. Plain data, no behaviour
//! beyond naming; rules live in `ops`, persistence in `store`.

mod custom;
mod event;
mod member;
mod segment;
mod settings;

pub use custom::{CustomField, CustomFieldDraft, CustomFieldKind};
pub use event::{
    Event, EventDraft, EventMode, EventOutcome, EventStatus, Feedback, Registration,
    RegistrationCounts, RegistrationStatus,
};
pub use member::{Gender, Identity, IdentityKind, Member, MemberDraft, MemberPage, MemberSort};
pub use segment::{CustomCondition, CustomOp, MemberFilter, Segment, SegmentChanges};
pub use settings::{Settings, SettingsPatch, Theme};
