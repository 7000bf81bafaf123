//! The credit score (信用分), deducted like points on a driving licence: every member starts at
//! the configured score; deductions follow rules (spam/ads, breaking a group rule, a no-show at
//! an event, or something else) that each take points for a number of days, after which the
//! points come back on their own. Every deduction carries its evidence; a member can appeal one
//! (pending → upheld, or overturned, which gives the points back at once); tiers turn a low score
//! into something to do (a word, restricting them, removing them from the group), and
//! [`needing_action`] lists who is in which tier and who fell into a worse one this week.
//!
//! Scores are computed, never stored: the score at an instant is the start score minus the
//! deductions in force then (see `store::credit`), always with the clock passed in.
//!
//! The door writes no-show strikes through [`sync_no_show`] (and takes them back with the
//! no-shows); merges carry deductions to the member kept (`store::credit::move_on_merge`).
//!
//! One file per part: `config` (start score, rules, tiers, channels), `scores` (scores and
//! deductions), `appeals`, `action` (who needs action) and `no_show` (the door's strikes). This
//! file keeps the limits and the error helpers they share, and re-exports every public item, so
//! callers name `ops::credit::X` whatever file `X` lives in.

mod action;
mod appeals;
mod config;
mod member_data;
mod no_show;
mod scores;

use crate::error::{Error, ErrorCode, Result};

pub use crate::domain::{Appeal, AppealStatus, Channel, CreditRule, Platform, Tier, TierAction};
pub use action::{needing_action, Crossing, NeedingAction, ScoredMember, TierGroup};
pub use appeals::{
    decide_appeal, file_appeal, pending_appeals, DecideAppeal, Decided, Decision, FileAppeal,
    PendingAppeal,
};
pub use config::{
    channels, config, rules, save_channel, save_rule, save_tiers, set_start_score, tiers,
    CreditConfig, SaveChannel, SaveRule,
};
pub(crate) use member_data::MEMBER_DATA;
pub(crate) use no_show::sync_no_show;
pub(crate) use scores::entries_in;
pub use scores::{
    deduct, of_member, scores, tier_for, undo_deduct, CreditEntry, Deduct, Deducted, EntryStatus,
    MemberCredit, Score,
};

/// "Fell into a worse tier in the last … days" (the Today list).
pub const CROSSING_DAYS: i64 = 7;
/// Members listed per tier by [`needing_action`] (the counts are always complete).
pub const MEMBERS_PER_TIER: usize = 200;
/// The built-in rule the door uses for no-shows.
pub const NO_SHOW: &str = "no_show";

const MAX_POINTS: i64 = 1000;
const MAX_START: i64 = 10_000;
const MAX_EXPIRY_DAYS: i64 = 3650;
const MAX_EVIDENCE: usize = 2000;
const MAX_REASON: usize = 1000;
const MAX_RULES_TEXT: usize = 20_000;

fn check_points(points: i64) -> Result<()> {
    if (1..=MAX_POINTS).contains(&points) {
        Ok(())
    } else {
        Err(invalid(
            "points",
            format!("points deducted are a number from 1 to {MAX_POINTS}"),
        )
        .with_param("value", points))
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidInput, message).with_field(field)
}

fn unknown_rule(key: &str) -> Error {
    invalid(
        "rule_key",
        format!("“{key}” is not a deduction rule in use"),
    )
    .with_param("value", key)
}
