//! Badges: the catalogue (automatic by rule, or manual), awards and revocations by hand with a
//! reason, and keeping automatic awards in step with what members did ([`evaluate_in`]).
//!
//! Deliberately absent: the activities and points the rules read (`ops::engagement`); this
//! file only reads their totals.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::MAX_THRESHOLD;
use crate::domain::{Badge, Criteria, MemberBadge};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::engagement as activities;
use crate::store::rewards as table;
use crate::store::{members, Write};

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
    let mut ranged = match crate::store::lifecycle::dense(&ids) {
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
