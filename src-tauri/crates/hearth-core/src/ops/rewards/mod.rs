//! The engagement engine, rewards part: badges (earned automatically by a rule, or awarded by
//! hand with a reason), levels the manager can rename and re-threshold, a rewards catalogue that
//! members spend points on (redemption and its undo), the engagement settings (leaderboards on or
//! off, the invite claw-back window), and a member's points history. Invites and their claw-back
//! are `ops::invites`, which uses this module (the window, the badges) and is never used by it.
//!
//! The points ledger stays append-only: a redemption is a negative 'redeem' row and its undo a
//! positive 'redeem_undo' row. So a member's balance is always the plain sum of their rows.
//!
//! Automatic badges are kept in step with what members did: every activity written or undone
//! (and every grant, claw-back and its return) re-evaluates the rules for the members it touched
//! ([`evaluate_in`]), awarding a badge once and taking an automatic one back when an undo makes
//! its rule false again. A badge the manager took away by hand is not given back by its rule.
//!
//! One file per part: `settings`, `levels`, `badges`, `catalogue` (rewards and redemption) and
//! `history` (a member's points history). This file only declares them and
//! re-exports their public items, so callers name `ops::rewards::X` whatever file `X` lives in.

mod badges;
mod catalogue;
mod history;
mod levels;
mod member_data;
mod settings;

pub use crate::domain::{Badge, Criteria, MemberBadge, PointsEntry, Redemption, Reward};
pub use crate::store::rewards::{REDEEM, REDEEM_UNDO};
pub(crate) use badges::evaluate_in;
pub use badges::{
    award_badge, badges, evaluate_all, member_badges, revoke_badge, save_badge, undo_award,
    AwardBadge, BadgeChanges, BadgeDraft, RevokeBadge, MAX_BADGE_DESCRIPTION, MAX_BADGE_NAME,
    MAX_REASON,
};
pub use catalogue::{
    redeem, redemptions, rewards, save_reward, undo_redeem, Redeem, Redeemed, RewardDraft, MAX_COST,
};
pub use history::points_history;
pub use levels::{levels, save_levels, Level, MAX_LEVELS, MAX_LEVEL_NAME, MAX_THRESHOLD};
pub(crate) use member_data::MEMBER_DATA;
pub(crate) use settings::{clawback_days, ensure_leaderboards_on};
pub use settings::{
    engagement_settings, update_engagement_settings, EngagementSettings, EngagementSettingsPatch,
    DEFAULT_CLAWBACK_DAYS, MAX_CLAWBACK_DAYS,
};
