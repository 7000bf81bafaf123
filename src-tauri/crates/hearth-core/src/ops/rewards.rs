//! The engagement engine, rewards part: badges (earned automatically by a rule, or awarded by
//! hand with a reason), levels the manager can rename and re-threshold, a rewards catalogue that
//! members spend points on (redemption and its undo), invites whose points are taken back when
//! the invitee leaves early, the switch that turns leaderboards off, and a member's points
//! history.
//!
//! The points ledger stays append-only: a redemption is a negative 'redeem' row and its undo a
//! positive 'redeem_undo' row; an invite claw-back is a negative 'clawback' row on the invite's
//! activity and restoring the invitee writes the matching 'clawback_undo'. So a member's balance
//! is always the plain sum of their rows.
//!
//! Automatic badges are kept in step with what members did: every activity written or undone
//! (and every grant, claw-back and its return) re-evaluates the rules for the members it touched
//! ([`evaluate_in`]), awarding a badge once and taking an automatic one back when an undo makes
//! its rule false again. A badge the manager took away by hand is not given back by its rule.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::engagement::{log_in, Source};
use crate::ops::Ctx;
use crate::store::engagement as activities;
use crate::store::rewards::{self as table, RewardRecord, CLAWBACK, CLAWBACK_UNDO};
use crate::store::{members, settings, Read, Write};

pub use crate::store::rewards::{
    Badge, Criteria, MemberBadge, PointsEntry, Redemption, Reward, REDEEM, REDEEM_UNDO,
};

// ---------------------------------------------------------------------------------------------
// Settings: leaderboards on/off and the invite claw-back window.

const LEADERBOARDS_KEY: &str = "engagement.leaderboards_enabled";
const CLAWBACK_DAYS_KEY: &str = "engagement.invite_clawback_days";
/// An invitee who leaves within this many days takes the inviter's points with them.
pub const DEFAULT_CLAWBACK_DAYS: u32 = 30;
pub const MAX_CLAWBACK_DAYS: u32 = 365;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EngagementSettings {
    /// Off: [`crate::ops::engagement::leaderboard`] refuses with `LeaderboardsOff` and the UI
    /// hides the leaderboard (points, levels and badges go on as before).
    pub leaderboards_enabled: bool,
    /// An invitee moved to the trash within this many days of the invite takes the inviter's
    /// invite points back; 0 never takes them back.
    pub invite_clawback_days: u32,
}

/// A partial update: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EngagementSettingsPatch {
    #[serde(default)]
    pub leaderboards_enabled: Option<bool>,
    #[serde(default)]
    pub invite_clawback_days: Option<u32>,
}

pub fn engagement_settings(ctx: &Ctx) -> Result<EngagementSettings> {
    ctx.store.read(settings_in)
}

fn settings_in(r: &Read<'_>) -> Result<EngagementSettings> {
    Ok(EngagementSettings {
        leaderboards_enabled: settings::get(r, LEADERBOARDS_KEY)?.as_deref() != Some("0"),
        invite_clawback_days: clawback_days(r)?,
    })
}

fn clawback_days(r: &Read<'_>) -> Result<u32> {
    Ok(settings::get(r, CLAWBACK_DAYS_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CLAWBACK_DAYS))
}

pub fn update_engagement_settings(
    ctx: &Ctx,
    patch: EngagementSettingsPatch,
) -> Result<EngagementSettings> {
    if let Some(days) = patch.invite_clawback_days {
        if days > MAX_CLAWBACK_DAYS {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the claw-back window is 0 to {MAX_CLAWBACK_DAYS} days"),
            )
            .with_field("invite_clawback_days")
            .with_param("value", days));
        }
    }
    ctx.store.write(|w| {
        if let Some(on) = patch.leaderboards_enabled {
            settings::set(w, LEADERBOARDS_KEY, if on { "1" } else { "0" })?;
        }
        if let Some(days) = patch.invite_clawback_days {
            settings::set(w, CLAWBACK_DAYS_KEY, &days.to_string())?;
        }
        settings_in(&w.read())
    })
}

/// The leaderboard's guard: `LeaderboardsOff` when the manager switched leaderboards off.
pub(crate) fn ensure_leaderboards_on(ctx: &Ctx) -> Result<()> {
    if ctx.store.read(settings_in)?.leaderboards_enabled {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::LeaderboardsOff,
            "leaderboards are switched off in the engagement settings",
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Levels.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Level {
    /// Points from which a member has this level; the lowest level starts at 0.
    pub threshold: i64,
    pub name_zh: String,
    /// Falls back to `name_zh` when empty.
    #[serde(default)]
    pub name_en: String,
}

pub const MAX_LEVELS: usize = 20;
pub const MAX_LEVEL_NAME: usize = 20;
pub const MAX_THRESHOLD: i64 = 100_000_000;

/// The levels, lowest first.
pub fn levels(ctx: &Ctx) -> Result<Vec<Level>> {
    let rows = ctx.store.read(activities::levels)?;
    Ok(rows
        .into_iter()
        .map(|(threshold, name_zh, name_en)| Level {
            threshold,
            name_zh,
            name_en,
        })
        .collect())
}

/// Replaces all levels at once (the editor saves the whole ladder). Thresholds must be distinct
/// and the lowest must be 0, so every member has a level.
pub fn save_levels(ctx: &Ctx, input: Vec<Level>) -> Result<Vec<Level>> {
    let threshold_error = |message: String, value: i64| {
        Error::new(ErrorCode::InvalidInput, message)
            .with_field("level_threshold")
            .with_param("value", value)
    };
    if input.is_empty() {
        return Err(Error::required("levels"));
    }
    if input.len() > MAX_LEVELS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("at most {MAX_LEVELS} levels"),
        )
        .with_field("levels"));
    }
    let mut clean = Vec::with_capacity(input.len());
    for level in input {
        let name_zh = level.name_zh.trim().to_owned();
        let name_en = match level.name_en.trim() {
            "" => name_zh.clone(),
            en => en.to_owned(),
        };
        if name_zh.is_empty() {
            return Err(Error::required("name_zh"));
        }
        if name_zh.chars().count() > MAX_LEVEL_NAME {
            return Err(Error::too_long("name_zh", MAX_LEVEL_NAME));
        }
        if name_en.chars().count() > MAX_LEVEL_NAME * 2 {
            return Err(Error::too_long("name_en", MAX_LEVEL_NAME * 2));
        }
        if !(0..=MAX_THRESHOLD).contains(&level.threshold) {
            return Err(threshold_error(
                format!("a threshold is 0 to {MAX_THRESHOLD} points"),
                level.threshold,
            ));
        }
        clean.push(Level {
            threshold: level.threshold,
            name_zh,
            name_en,
        });
    }
    clean.sort_by_key(|l| l.threshold);
    if let Some(pair) = clean.windows(2).find(|p| p[0].threshold == p[1].threshold) {
        return Err(threshold_error(
            format!("two levels start at {} points", pair[0].threshold),
            pair[0].threshold,
        ));
    }
    if clean[0].threshold != 0 {
        return Err(threshold_error(
            "the lowest level must start at 0 points".into(),
            clean[0].threshold,
        ));
    }
    ctx.store.write(|w| {
        let rows: Vec<(i64, &str, &str)> = clean
            .iter()
            .map(|l| (l.threshold, l.name_zh.as_str(), l.name_en.as_str()))
            .collect();
        table::replace_levels(w, &rows)
    })?;
    levels(ctx)
}

// ---------------------------------------------------------------------------------------------
// Badges.

pub fn badges(ctx: &Ctx) -> Result<Vec<Badge>> {
    ctx.store.read(table::badges)
}

/// A badge to create (no key, or a new key) or change (an existing key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeDraft {
    /// `None` creates a badge with a generated key; an existing key changes that badge.
    #[serde(default)]
    pub key: Option<String>,
    pub name_zh: String,
    /// Falls back to `name_zh` when empty.
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub icon: String,
    pub criteria: Criteria,
    pub enabled: bool,
}

/// What a recompute changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeChanges {
    pub awarded: u32,
    pub revoked: u32,
}

pub const MAX_BADGE_NAME: usize = 20;
pub const MAX_BADGE_DESCRIPTION: usize = 200;
pub const MAX_REASON: usize = 200;

/// Creates or changes a badge; an automatic badge is re-evaluated for every member in the same
/// transaction (a lowered bar awards it, a raised one takes automatic awards back).
pub fn save_badge(ctx: &Ctx, draft: BadgeDraft) -> Result<Badge> {
    let name_zh = draft.name_zh.trim().to_owned();
    if name_zh.is_empty() {
        return Err(Error::required("name_zh"));
    }
    let name_en = match draft.name_en.trim() {
        "" => name_zh.clone(),
        en => en.to_owned(),
    };
    for (field, value, max) in [
        ("name_zh", name_zh.as_str(), MAX_BADGE_NAME),
        ("name_en", name_en.as_str(), MAX_BADGE_NAME * 2),
        (
            "description_zh",
            draft.description_zh.trim(),
            MAX_BADGE_DESCRIPTION,
        ),
        (
            "description_en",
            draft.description_en.trim(),
            MAX_BADGE_DESCRIPTION,
        ),
        ("icon", draft.icon.trim(), 16),
    ] {
        if value.chars().count() > max {
            return Err(Error::too_long(field, max));
        }
    }
    let bad_rule =
        |message: String| Error::new(ErrorCode::InvalidInput, message).with_field("criteria");
    let criteria = match draft.criteria {
        Criteria::Manual => Criteria::Manual,
        Criteria::KindCount { kind, n } => {
            if !(1..=1_000_000).contains(&n) {
                return Err(bad_rule("a count is 1 to 1,000,000".into()).with_param("value", n));
            }
            Criteria::KindCount {
                kind: kind.trim().to_owned(),
                n,
            }
        }
        Criteria::Points { n } if !(1..=MAX_THRESHOLD).contains(&n) => {
            return Err(bad_rule(format!("points are 1 to {MAX_THRESHOLD}")).with_param("value", n))
        }
        Criteria::ActiveDays { n } if !(1..=10_000).contains(&n) => {
            return Err(bad_rule("days are 1 to 10,000".into()).with_param("value", n))
        }
        other => other,
    };
    if let Some(key) = draft.key.as_deref() {
        let ok = !key.is_empty()
            && key.len() <= 40
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "a badge key is 1–40 of a–z, 0–9 and _",
            )
            .with_field("badge_key")
            .with_param("value", key));
        }
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if let Criteria::KindCount { kind, .. } = &criteria {
            if activities::kind(&w.read(), kind)?.is_none() {
                return Err(
                    bad_rule(format!("“{kind}” is not an activity kind")).with_param("value", kind)
                );
            }
        }
        let key = match draft.key.clone() {
            Some(key) => key,
            None => {
                let taken: HashSet<String> = table::badges(&w.read())?
                    .into_iter()
                    .map(|b| b.key)
                    .collect();
                (1..)
                    .map(|i| format!("custom_{i}"))
                    .find(|k| !taken.contains(k))
                    .expect("a free key")
            }
        };
        let badge = Badge {
            key: key.clone(),
            name_zh: name_zh.clone(),
            name_en: name_en.clone(),
            description_zh: draft.description_zh.trim().to_owned(),
            description_en: draft.description_en.trim().to_owned(),
            icon: draft.icon.trim().to_owned(),
            criteria: criteria.clone(),
            enabled: draft.enabled,
            holders: 0,
        };
        table::upsert_badge(w, &badge)?;
        if badge.enabled {
            reevaluate_badge_in(w, &key, &criteria, &now)?;
        }
        table::badge(&w.read(), &key)?.ok_or_else(|| badge_not_found(&key))
    })
}

fn badge_not_found(key: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("badge {key} does not exist"))
        .with_field("badge_key")
        .with_param("id", key)
}

/// The badges a member holds now (of badges switched on).
pub fn member_badges(ctx: &Ctx, member_id: i64) -> Result<Vec<MemberBadge>> {
    ctx.store.read(|r| {
        if members::get(r, member_id)?.is_none() {
            return Err(Error::not_found("member", member_id));
        }
        table::member_badges(r, member_id)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AwardBadge {
    pub member_id: i64,
    pub badge_key: String,
    /// Why (required: awards by hand keep their reason, as do revocations).
    pub reason: String,
}

fn clean_reason(reason: &str) -> Result<String> {
    crate::ops::reason(reason, true)
}

/// Awards a badge by hand (any badge, automatic ones too); returns the member's badges.
pub fn award_badge(ctx: &Ctx, input: AwardBadge) -> Result<Vec<MemberBadge>> {
    let reason = clean_reason(&input.reason)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if members::get(&w.read(), input.member_id)?.is_none() {
            return Err(Error::not_found("member", input.member_id));
        }
        let badge = table::badge(&w.read(), &input.badge_key)?
            .ok_or_else(|| badge_not_found(&input.badge_key))?;
        if !badge.enabled {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the badge {} is switched off", badge.name_en),
            )
            .with_field("badge_key")
            .with_param("value", &badge.key));
        }
        if table::live_awards(&w.read(), input.member_id)?.contains_key(&badge.key) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the member already has the badge {}", badge.name_en),
            )
            .with_field("badge_key")
            .with_param("value", &badge.key));
        }
        table::insert_award(w, input.member_id, &badge.key, false, &reason, &now)?;
        table::member_badges(&w.read(), input.member_id)
    })
}

pub type RevokeBadge = AwardBadge;

/// Takes back a badge just awarded by hand (the toast's Undo): unlike [`revoke_badge`], the
/// badge's rule may still give it later.
pub fn undo_award(ctx: &Ctx, input: AwardBadge) -> Result<Vec<MemberBadge>> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        table::revoke_award(w, input.member_id, &input.badge_key, false, "", &now)?;
        evaluate_in(w, &[input.member_id], &now)?;
        table::member_badges(&w.read(), input.member_id)
    })
}

/// Takes a badge away by hand, with a reason; its rule will not give it back. Returns the
/// member's badges.
pub fn revoke_badge(ctx: &Ctx, input: RevokeBadge) -> Result<Vec<MemberBadge>> {
    let reason = clean_reason(&input.reason)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if members::get(&w.read(), input.member_id)?.is_none() {
            return Err(Error::not_found("member", input.member_id));
        }
        if !table::revoke_award(w, input.member_id, &input.badge_key, true, &reason, &now)? {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the member does not have the badge {}", input.badge_key),
            )
            .with_field("badge_key")
            .with_param("value", &input.badge_key));
        }
        table::member_badges(&w.read(), input.member_id)
    })
}

/// Re-evaluates every automatic badge for every live member (after an import of old
/// activities, a merge, or to check the rules).
pub fn evaluate_all(ctx: &Ctx) -> Result<BadgeChanges> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let mut total = BadgeChanges::default();
        for (key, criteria) in table::auto_badges(&w.read())? {
            let changes = reevaluate_badge_in(w, &key, &criteria, &now)?;
            total.awarded += changes.awarded;
            total.revoked += changes.revoked;
        }
        Ok(total)
    })
}

/// One automatic badge against every live member, set-wise.
fn reevaluate_badge_in(
    w: &mut Write<'_>,
    key: &str,
    criteria: &Criteria,
    now: &str,
) -> Result<BadgeChanges> {
    let mut changes = BadgeChanges::default();
    if *criteria == Criteria::Manual {
        return Ok(changes);
    }
    let qualifying = table::qualifying(&w.read(), criteria)?;
    let holders = table::badge_holders(&w.read(), key)?;
    let by_hand = table::revoked_by_hand(&w.read(), key)?;
    let mut lost: Vec<i64> = holders
        .iter()
        .filter(|(m, auto)| **auto && !qualifying.contains(m))
        .map(|(m, _)| *m)
        .collect();
    lost.sort_unstable();
    for member_id in lost {
        table::revoke_award(w, member_id, key, false, "", now)?;
        changes.revoked += 1;
    }
    let mut won: Vec<i64> = qualifying
        .into_iter()
        .filter(|m| !holders.contains_key(m) && !by_hand.contains(m))
        .collect();
    won.sort_unstable();
    for member_id in won {
        table::insert_award(w, member_id, key, true, "", now)?;
        changes.awarded += 1;
    }
    Ok(changes)
}

/// Brings the automatic badges of these members in line with what they did: awards a badge
/// whose rule now holds (once), takes back an automatic one whose rule no longer does. Called
/// inside every write that adds or takes back activities or points.
pub(crate) fn evaluate_in(w: &mut Write<'_>, member_ids: &[i64], now: &str) -> Result<()> {
    let rules = table::auto_badges(&w.read())?;
    if rules.is_empty() || member_ids.is_empty() {
        return Ok(());
    }
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // Many members close together (a bulk log): read their stats and awards in one pass each.
    let mut ranged = match crate::ops::lifecycle::dense(&ids) {
        Some(range) => {
            let r = w.read();
            Some((
                table::stats_between(&r, range)?,
                table::awards_between(&r, range)?,
            ))
        }
        None => None,
    };
    for member_id in ids {
        let (stats, held, by_hand) = match &mut ranged {
            Some((stats, (live, by_hand))) => (
                stats.remove(&member_id).unwrap_or_default(),
                live.remove(&member_id).unwrap_or_default(),
                Some(by_hand.remove(&member_id).unwrap_or_default()),
            ),
            None => (
                table::member_stats(&w.read(), member_id)?,
                table::live_awards(&w.read(), member_id)?,
                None,
            ),
        };
        let mut by_hand = by_hand;
        for (key, criteria) in &rules {
            let meets = stats.meets(criteria);
            match held.get(key) {
                Some(true) if !meets => {
                    table::revoke_award(w, member_id, key, false, "", now)?;
                }
                None if meets => {
                    if by_hand.is_none() {
                        by_hand = Some(table::manually_revoked(&w.read(), member_id)?);
                    }
                    if !by_hand.as_ref().is_some_and(|b| b.contains(key)) {
                        table::insert_award(w, member_id, key, true, "", now)?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rewards and redemption.

pub fn rewards(ctx: &Ctx) -> Result<Vec<Reward>> {
    ctx.store.read(table::rewards)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RewardDraft {
    /// `None` adds a reward; an id changes that one.
    #[serde(default)]
    pub id: Option<i64>,
    pub name_zh: String,
    /// Falls back to `name_zh` when empty.
    #[serde(default)]
    pub name_en: String,
    /// Points one costs (1 to 1,000,000).
    pub cost: i64,
    /// How many are left; `None` is unlimited.
    #[serde(default)]
    pub stock: Option<i64>,
    /// Switched off rewards cannot be redeemed (past redemptions keep their name).
    pub active: bool,
}

pub const MAX_COST: i64 = 1_000_000;

pub fn save_reward(ctx: &Ctx, draft: RewardDraft) -> Result<Reward> {
    let name_zh = draft.name_zh.trim();
    if name_zh.is_empty() {
        return Err(Error::required("name_zh"));
    }
    let name_en = match draft.name_en.trim() {
        "" => name_zh,
        en => en,
    };
    if name_zh.chars().count() > 60 {
        return Err(Error::too_long("name_zh", 60));
    }
    if name_en.chars().count() > 120 {
        return Err(Error::too_long("name_en", 120));
    }
    if !(1..=MAX_COST).contains(&draft.cost) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("a reward costs 1 to {MAX_COST} points"),
        )
        .with_field("cost")
        .with_param("value", draft.cost));
    }
    if let Some(stock) = draft.stock {
        if !(0..=MAX_COST).contains(&stock) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("stock is 0 to {MAX_COST}, or empty for unlimited"),
            )
            .with_field("stock")
            .with_param("value", stock));
        }
    }
    let record = RewardRecord {
        name_zh,
        name_en,
        cost: draft.cost,
        stock: draft.stock,
        active: draft.active,
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let id = match draft.id {
            None => table::insert_reward(w, &record, &now)?,
            Some(id) => {
                if !table::update_reward(w, id, &record, &now)? {
                    return Err(Error::not_found("reward", id));
                }
                id
            }
        };
        table::reward(&w.read(), id)?.ok_or_else(|| Error::not_found("reward", id))
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Redeem {
    pub member_id: i64,
    pub reward_id: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Redeemed {
    /// Pass to [`undo_redeem`] to take it back.
    pub redemption_id: i64,
    /// The member's balance afterwards.
    pub balance: i64,
    /// The reward's stock afterwards (`None`: unlimited).
    pub stock: Option<i64>,
}

/// Spends a member's points on a reward. Refused, writing nothing, when the reward costs more
/// than the balance (`InsufficientPoints`), none is left (`OutOfStock`) or it is switched off.
/// Spending does not lower the member's leaderboard rank.
pub fn redeem(ctx: &Ctx, input: Redeem) -> Result<Redeemed> {
    let note = input.note.trim().to_owned();
    if note.chars().count() > MAX_REASON {
        return Err(Error::too_long("notes", MAX_REASON));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let member = members::get(&w.read(), input.member_id)?
            .ok_or_else(|| Error::not_found("member", input.member_id))?;
        let reward = table::reward(&w.read(), input.reward_id)?
            .ok_or_else(|| Error::not_found("reward", input.reward_id))?;
        if !reward.active {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the reward {} is no longer offered", reward.name_en),
            )
            .with_field("reward_id")
            .with_param("value", reward.id));
        }
        if reward.stock == Some(0) {
            return Err(Error::new(
                ErrorCode::OutOfStock,
                format!("{} is out of stock", reward.name_en),
            )
            .with_param("reward_name", &reward.name_zh));
        }
        let balance = activities::balance(&w.read(), member.id)?;
        if reward.cost > balance {
            return Err(Error::new(
                ErrorCode::InsufficientPoints,
                format!(
                    "{} has {balance} points; {} costs {}",
                    member.display_name, reward.name_en, reward.cost
                ),
            )
            .with_param("balance", balance)
            .with_param("cost", reward.cost)
            .with_param("member_name", &member.display_name)
            .with_param("reward_name", &reward.name_zh));
        }
        let ledger_note = if note.is_empty() {
            reward.name_zh.clone()
        } else {
            format!("{}：{note}", reward.name_zh)
        };
        let ledger_id = activities::insert_points(
            w,
            member.id,
            -reward.cost,
            REDEEM,
            None,
            &ledger_note,
            &now,
        )?;
        let redemption_id =
            table::insert_redemption(w, reward.id, reward.cost, ledger_id, &note, &now)?;
        table::change_stock(w, reward.id, -1, &now)?;
        Ok(Redeemed {
            redemption_id,
            balance: balance - reward.cost,
            stock: reward.stock.map(|s| s - 1),
        })
    })
}

/// Gives a redemption's points back with a new ledger row and puts the reward back in stock.
/// Undoing twice changes nothing.
pub fn undo_redeem(ctx: &Ctx, redemption_id: i64) -> Result<Redeemed> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let x = table::redemption(&w.read(), redemption_id)?
            .ok_or_else(|| Error::not_found("redemption", redemption_id))?;
        if x.undone_at.is_none() {
            let note = format!("{} #{}", x.reward_name_zh, x.id);
            let undo_id =
                activities::insert_points(w, x.member_id, x.cost, REDEEM_UNDO, None, &note, &now)?;
            table::mark_redemption_undone(w, x.id, undo_id, &now)?;
            table::change_stock(w, x.reward_id, 1, &now)?;
        }
        Ok(Redeemed {
            redemption_id: x.id,
            balance: activities::balance(&w.read(), x.member_id)?,
            stock: table::reward(&w.read(), x.reward_id)?.and_then(|r| r.stock),
        })
    })
}

/// Redemptions newest first: one member's, or everyone's.
pub fn redemptions(ctx: &Ctx, member_id: Option<i64>) -> Result<Vec<Redemption>> {
    ctx.store.read(|r| table::redemptions(r, member_id, 1000))
}

// ---------------------------------------------------------------------------------------------
// Invites and their claw-back.

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Invite {
    pub inviter_id: i64,
    pub invitee_id: i64,
    /// RFC 3339; now when absent.
    #[serde(default)]
    pub occurred_at: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Invited {
    /// The inviter's 'invited' activity (undo it with `engagement::undo`).
    pub activity_id: i64,
    pub points: i64,
}

/// Logs "invited someone" for the inviter, naming the invitee, so the points can be taken back
/// if the invitee leaves within the claw-back window. Each person is invited once.
pub fn invite(ctx: &Ctx, input: Invite) -> Result<Invited> {
    if input.inviter_id == input.invitee_id {
        return Err(
            Error::new(ErrorCode::InvalidInput, "a member cannot invite themselves")
                .with_field("invitee_id")
                .with_param("value", input.invitee_id),
        );
    }
    let at = parse_at(ctx, input.occurred_at.as_deref())?;
    let note = input.note.trim().to_owned();
    if note.chars().count() > 500 {
        return Err(Error::too_long("notes", 500));
    }
    let offset = ctx.clock.utc_offset();
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let inviter = members::get(&w.read(), input.inviter_id)?
            .ok_or_else(|| Error::not_found("member", input.inviter_id))?;
        let invitee = members::get(&w.read(), input.invitee_id)?
            .ok_or_else(|| Error::not_found("member", input.invitee_id))?;
        if let Some(earlier) = table::invites_of(&w.read(), invitee.id)?.first() {
            let by = members::get(&w.read(), earlier.inviter_id)?
                .map(|m| m.display_name)
                .unwrap_or_default();
            return Err(Error::new(
                ErrorCode::AlreadyInvited,
                format!("{} was already invited by {by}", invitee.display_name),
            )
            .with_field("invitee_id")
            .with_param("invitee_name", &invitee.display_name)
            .with_param("inviter_name", by));
        }
        let kind = activities::kind(&w.read(), "invited")?.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                "the activity kind “invited” is missing",
            )
            .with_field("kind")
        })?;
        let reference = format!("member:{}", invitee.id);
        let (activity_id, points) = log_in(
            w,
            inviter.id,
            &kind,
            at,
            offset,
            Source {
                source: "invite",
                reference: &reference,
                note: &note,
            },
            &now,
        )?;
        crate::ops::lifecycle::refresh_in(w, &[inviter.id], ctx.clock.today(), &now)?;
        Ok(Invited {
            activity_id,
            points,
        })
    })
}

fn parse_at(ctx: &Ctx, at: Option<&str>) -> Result<DateTime<Utc>> {
    crate::clock::parse_past(at, ctx.clock.now(), ctx.clock.utc_offset(), "occurred_at")
}

/// Called when members go to the trash: an invite of any of them (or of a member merged into
/// them) made within the claw-back window (inclusive) loses the points it still holds, with a
/// 'clawback' ledger row on the invite's activity. Returns the points taken back.
pub(crate) fn claw_back_in(
    w: &mut Write<'_>,
    invitee_ids: &[i64],
    at: DateTime<Utc>,
    now: &str,
) -> Result<i64> {
    let days = clawback_days(&w.read())?;
    if days == 0 {
        return Ok(0);
    }
    let window = Duration::days(i64::from(days));
    let mut total = 0;
    let mut inviters = Vec::new();
    for &invitee in invitee_ids {
        for invite in table::invites_of(&w.read(), invitee)? {
            let Ok(when) = DateTime::parse_from_rfc3339(&invite.occurred_at) else {
                continue;
            };
            if at - when.with_timezone(&Utc) > window {
                continue;
            }
            let held = table::held_by_activity(&w.read(), invite.activity_id)?;
            if held <= 0 {
                continue;
            }
            activities::insert_points(
                w,
                invite.inviter_id,
                -held,
                CLAWBACK,
                Some(invite.activity_id),
                "",
                now,
            )?;
            total += held;
            inviters.push(invite.inviter_id);
        }
    }
    evaluate_in(w, &inviters, now)?;
    Ok(total)
}

/// Called when members come back from the trash: what was clawed back from their invites (and
/// not given back yet) is given back with 'clawback_undo' rows. Returns the points given back.
pub(crate) fn give_back_in(w: &mut Write<'_>, invitee_ids: &[i64], now: &str) -> Result<i64> {
    let mut total = 0;
    let mut inviters = Vec::new();
    for &invitee in invitee_ids {
        for invite in table::invites_of(&w.read(), invitee)? {
            let owed = table::clawed_back(&w.read(), invite.activity_id)?;
            if owed <= 0 {
                continue;
            }
            activities::insert_points(
                w,
                invite.inviter_id,
                owed,
                CLAWBACK_UNDO,
                Some(invite.activity_id),
                "",
                now,
            )?;
            total += owed;
            inviters.push(invite.inviter_id);
        }
    }
    evaluate_in(w, &inviters, now)?;
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// Points history.

/// A member's ledger, newest first, each row with the balance right after it (the member
/// panel's points history).
pub fn points_history(ctx: &Ctx, member_id: i64) -> Result<Vec<PointsEntry>> {
    ctx.store.read(|r| {
        if members::get(r, member_id)?.is_none() {
            return Err(Error::not_found("member", member_id));
        }
        let mut rows = table::ledger_of(r, member_id)?;
        rows.reverse();
        Ok(rows)
    })
}
