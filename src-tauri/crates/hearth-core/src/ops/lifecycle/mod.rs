//! Lifecycle stages, stored: new / active / loyal / core / dormant / churned plus an opinion-leader
//! flag, from rules the manager tunes (presence milestones in the spirit of the Orbit model, a
//! weight per activity kind).
//!
//! Everything is a pure function of the live activities, the member's joining day, the rules and
//! "today" from the clock passed in, so a recompute is idempotent and updating one member after a
//! quick log gives exactly what the full recompute would:
//!
//! - A day is *active* when the weights of its live activities add up to `day_weight`.
//! - The *computed* stage of a day comes from the active days in the 7 / 30 / 90 days ending on it
//!   (see [`Calc::stage_at`]).
//! - The *stored* stage is the highest computed stage of the last `demotion_hold_days + 1` days:
//!   a promotion shows at once, a lower stage only once it has lasted `demotion_hold_days` days.
//!   No state is carried from one run to the next, so a laptop closed for a month still gets the
//!   right stage on the first run (no "first seen lower" clock starting late).
//! - The manager's override wins while set; the opinion-leader flag likewise.
//! - A history row is written when the stage everyone sees changes (a promotion or demotion
//!   while no override is set), and for every override set or cleared, with its reason.
//!
//! Stages change with time alone (a quiet member becomes dormant), so the desktop shell runs the
//! full [`recompute`] once a day ([`recompute_if_stale`]); writes that add or void activities
//! refresh the members they touch in the same transaction ([`refresh_in`]). The stored rows feed
//! what needs the whole community at once (counts, the slipping list) and keep the history; a
//! member's own stage (panel, list pages) is the same function applied on the spot to the stored
//! row and the activities as they are, so it is the stored stage whenever the row is current and
//! never lags a write that did not refresh it.
//!
//! One file per part: `calc` (the rules as a pure function), `stored` (refresh, recompute,
//! backfill), `rules` (reading and saving them), `member` (one member's lifecycle and the
//! manager's overrides) and `counts` (the community by stage, the slipping list). This file
//! keeps the one date helper writes share and re-exports every public item, so callers name
//! `ops::lifecycle::X` whatever file `X` lives in.

mod calc;
mod counts;
mod member;
mod member_data;
mod rules;
mod stored;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub use crate::domain::{Cause, KindRule, Rules, Stage, StageChange};
pub(crate) use calc::Calc;
pub use counts::{counts, slipping, Slipping, SlippingMember, StageCounts};
pub(crate) use member::{assess_in, calc_in, effective_in, leader_in, override_in};
pub use member::{
    history, set_opinion_leader, set_override, show, MemberLifecycle, SetOpinionLeader,
    SetOverride, StageOverride,
};
pub(crate) use member_data::MEMBER_DATA;
pub use rules::{rules, set_rules};
pub(crate) use stored::{backfill_in, recompute_in, refresh_stored_in};
pub use stored::{recompute, recompute_if_stale, refresh_in, RecomputeReport};

/// "Today" of a write that only knows its timestamp and the manager's offset.
pub(crate) fn local_day(now: &str, offset: FixedOffset) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(now)
        .ok()
        .map(|t| t.with_timezone(&Utc).with_timezone(&offset).date_naive())
}
