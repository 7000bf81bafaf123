//! Who needs action: every member in a tier now, and those who fell into a worse tier within
//! [`CROSSING_DAYS`] days (the Today list).
//!
//! Deliberately absent: per-member scores for a page of the list (`scores`), and any writing.

use chrono::Duration;
use serde::Serialize;

use super::scores::tier_for;
use super::{CROSSING_DAYS, MEMBERS_PER_TIER};
use crate::clock::stamp;
use crate::domain::Tier;
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::credit as table;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScoredMember {
    pub member_id: i64,
    pub display_name: String,
    pub score: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TierGroup {
    pub tier: Tier,
    /// Everyone in the tier.
    pub count: u32,
    /// Lowest score first, at most [`MEMBERS_PER_TIER`].
    pub members: Vec<ScoredMember>,
}

/// A member who is in a worse tier now than [`CROSSING_DAYS`] days ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Crossing {
    pub member_id: i64,
    pub display_name: String,
    pub score_before: i64,
    pub score: i64,
    pub tier_before: Option<Tier>,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NeedingAction {
    /// The crossing window, in days.
    pub days: u32,
    /// Every tier, worst first, with who is in it now.
    pub tiers: Vec<TierGroup>,
    /// Who fell into a worse tier within `days` (what to act on today), lowest score first.
    pub crossed: Vec<Crossing>,
    pub pending_appeals: u32,
}

/// Who needs action: members per tier now, and those who crossed into a worse tier in the last
/// [`CROSSING_DAYS`] days (their score now against their score as the records stood then).
pub fn needing_action(ctx: &Ctx) -> Result<NeedingAction> {
    let now_at = ctx.clock.now();
    let now = stamp(now_at);
    let then = stamp(now_at - Duration::days(CROSSING_DAYS));
    ctx.store.read(|r| {
        let start = table::start_score(r)?;
        let tiers = table::tiers(r)?;
        let mut groups: Vec<TierGroup> = tiers
            .iter()
            .map(|tier| TierGroup {
                tier: tier.clone(),
                count: 0,
                members: Vec::new(),
            })
            .collect();
        let mut crossed = Vec::new();
        for row in table::community_deductions(r, &now, &then)? {
            let score = start - row.now;
            let score_before = start - row.then;
            let Some(tier) = tier_for(score, &tiers) else {
                continue;
            };
            if let Some(g) = groups
                .iter_mut()
                .find(|g| g.tier.threshold == tier.threshold)
            {
                g.count += 1;
                g.members.push(ScoredMember {
                    member_id: row.member_id,
                    display_name: row.display_name.clone(),
                    score,
                });
            }
            let tier_before = tier_for(score_before, &tiers);
            if tier_before
                .as_ref()
                .is_none_or(|before| tier.threshold < before.threshold)
            {
                crossed.push(Crossing {
                    member_id: row.member_id,
                    display_name: row.display_name,
                    score_before,
                    score,
                    tier_before,
                    tier,
                });
            }
        }
        for g in &mut groups {
            // Stable: members with the same score stay in name order.
            g.members.sort_by_key(|m| m.score);
            g.members.truncate(MEMBERS_PER_TIER);
        }
        crossed.sort_by_key(|c| c.score);
        Ok(NeedingAction {
            days: CROSSING_DAYS as u32,
            tiers: groups,
            crossed,
            pending_appeals: table::pending_appeals(r)?.len() as u32,
        })
    })
}
