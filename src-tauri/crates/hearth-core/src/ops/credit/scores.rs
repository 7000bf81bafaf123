//! Scores and deductions: a member's score and tier at an instant, their deductions with
//! evidence, status and appeals, and making or undoing a deduction by hand.
//!
//! Deliberately absent: filing and deciding appeals (`appeals`), the community-wide lists
//! (`action`) and the door's automatic strikes (`no_show`).

use std::collections::HashMap;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{check_points, unknown_rule, MAX_EVIDENCE};
use crate::clock::stamp;
use crate::domain::{Appeal, AppealStatus, Tier};
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::credit::{self as table, EntryRow, NewEntry};
use crate::store::Read;

/// A member's score now, and the tier it puts them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Score {
    pub member_id: i64,
    pub score: i64,
    pub start_score: i64,
    /// `None`: no tier, nothing to do.
    pub tier: Option<Tier>,
}

/// Where a deduction stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Counts against the score.
    Active,
    /// Counts, and an appeal against it is waiting for a decision.
    UnderAppeal,
    /// Its time is up: the points came back.
    Expired,
    /// An appeal withdrew it: the points came back.
    Overturned,
    /// Taken back as a mistake (Undo): it never counted.
    Voided,
}

/// One deduction with its evidence, names and appeals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditEntry {
    pub id: i64,
    pub member_id: i64,
    pub rule_key: String,
    pub rule_zh: String,
    pub rule_en: String,
    /// The points taken (a positive number).
    pub points: i64,
    pub evidence: String,
    pub channel_id: Option<i64>,
    pub channel_name: Option<String>,
    /// Where in the 群规, as the rule said when the deduction was made.
    pub rule_ref: String,
    pub occurred_at: String,
    /// When the points come back (`None`: never).
    pub expires_at: Option<String>,
    /// `manual`, or `event` for the door's no-show strikes.
    pub source: String,
    /// What it refers to (`event:12`), or empty.
    pub reference: String,
    pub created_at: String,
    pub voided_at: Option<String>,
    pub status: EntryStatus,
    /// Oldest first.
    pub appeals: Vec<Appeal>,
}

fn status_of(e: &EntryRow, appeals: &[Appeal], now: &str) -> EntryStatus {
    if e.voided_at.is_some() {
        EntryStatus::Voided
    } else if appeals.iter().any(|a| a.status == AppealStatus::Overturned) {
        EntryStatus::Overturned
    } else if e.expires_at.as_deref().is_some_and(|x| x <= now) {
        EntryStatus::Expired
    } else if appeals.iter().any(|a| a.status == AppealStatus::Pending) {
        EntryStatus::UnderAppeal
    } else {
        EntryStatus::Active
    }
}

fn to_entry(e: EntryRow, appeals: Vec<Appeal>, now: &str) -> CreditEntry {
    let status = status_of(&e, &appeals, now);
    CreditEntry {
        id: e.id,
        member_id: e.member_id,
        rule_key: e.rule_key,
        rule_zh: e.rule_zh,
        rule_en: e.rule_en,
        points: e.points,
        evidence: e.evidence,
        channel_id: e.channel_id,
        channel_name: e.channel_name,
        rule_ref: e.rule_ref,
        occurred_at: e.occurred_at,
        expires_at: e.expires_at,
        source: e.source,
        reference: e.reference,
        created_at: e.created_at,
        voided_at: e.voided_at,
        status,
        appeals,
    }
}

pub(super) fn load_entry(r: &Read<'_>, id: i64, now: &str) -> Result<CreditEntry> {
    let row = table::entry(r, id)?.ok_or_else(|| Error::not_found("deduction", id))?;
    let appeals = table::appeals_of_entry(r, id)?;
    Ok(to_entry(row, appeals, now))
}

/// The tier a score is in: the lowest threshold at or above it. `tiers` is sorted ascending.
pub fn tier_for(score: i64, tiers: &[Tier]) -> Option<Tier> {
    tiers.iter().find(|t| score <= t.threshold).cloned()
}

pub(super) fn score_in(r: &Read<'_>, member_id: i64, now: &str) -> Result<Score> {
    let start_score = table::start_score(r)?;
    let score = start_score - table::deducted_at(r, member_id, now)?;
    Ok(Score {
        member_id,
        score,
        start_score,
        tier: tier_for(score, &table::tiers(r)?),
    })
}

/// Scores of several members (a page of the member list), in the order asked.
pub fn scores(ctx: &Ctx, ids: &[i64]) -> Result<Vec<Score>> {
    let now = ctx.now_stamp();
    ctx.store.read(|r| {
        let start_score = table::start_score(r)?;
        let tiers = table::tiers(r)?;
        let deducted = table::deducted_many(r, ids, &now)?;
        Ok(ids
            .iter()
            .map(|id| {
                let score = start_score - deducted.get(id).copied().unwrap_or(0);
                Score {
                    member_id: *id,
                    score,
                    start_score,
                    tier: tier_for(score, &tiers),
                }
            })
            .collect())
    })
}

/// A member's credit: score, tier and every deduction (newest first) with its appeals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberCredit {
    pub member_id: i64,
    pub score: i64,
    pub start_score: i64,
    pub tier: Option<Tier>,
    pub entries: Vec<CreditEntry>,
}

pub fn of_member(ctx: &Ctx, member_id: i64) -> Result<MemberCredit> {
    let now = ctx.now_stamp();
    ctx.store.read(|r| {
        if table::member_name(r, member_id)?.is_none() {
            return Err(Error::not_found("member", member_id));
        }
        let score = score_in(r, member_id, &now)?;
        Ok(MemberCredit {
            member_id,
            score: score.score,
            start_score: score.start_score,
            tier: score.tier,
            entries: entries_in(r, member_id, &now)?,
        })
    })
}

/// A member's deductions with their appeals and status at `now`, newest first (also for the
/// member's timeline).
pub(crate) fn entries_in(r: &Read<'_>, member_id: i64, now: &str) -> Result<Vec<CreditEntry>> {
    let mut appeals: HashMap<i64, Vec<Appeal>> = HashMap::new();
    for a in table::appeals_of_member(r, member_id)? {
        appeals.entry(a.entry_id).or_default().push(a);
    }
    Ok(table::entries_of(r, member_id)?
        .into_iter()
        .map(|e| {
            let own = appeals.remove(&e.id).unwrap_or_default();
            to_entry(e, own, now)
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Deduct {
    pub member_id: i64,
    pub rule_key: String,
    /// Required for rules without fixed points (`custom`); otherwise overrides the rule's.
    #[serde(default)]
    pub points: Option<i64>,
    /// What happened: a quote, a screenshot's file name, who reported it. Required.
    pub evidence: String,
    /// Where it happened; the rule's channel when absent.
    #[serde(default)]
    pub channel_id: Option<i64>,
    /// RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (local); now when absent.
    #[serde(default)]
    pub occurred_at: Option<String>,
}

/// A deduction made: the entry (its id is what Undo takes) and the member's new score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Deducted {
    pub entry: CreditEntry,
    pub score: Score,
}

/// Deducts points from a member under a rule, with evidence. Refused, writing nothing: empty
/// evidence, an unknown or retired rule, a future date, an unknown member, points that are not
/// 1–1000 (or missing for a rule without fixed points), an unknown channel.
pub fn deduct(ctx: &Ctx, input: Deduct) -> Result<Deducted> {
    let evidence = input.evidence.trim();
    if evidence.is_empty() {
        return Err(Error::required("evidence"));
    }
    if evidence.chars().count() > MAX_EVIDENCE {
        return Err(Error::too_long("evidence", MAX_EVIDENCE));
    }
    let now_at = ctx.clock.now();
    let at = crate::clock::parse_past(
        input.occurred_at.as_deref(),
        now_at,
        ctx.clock.utc_offset(),
        "occurred_at",
    )?
    .min(now_at);
    if let Some(points) = input.points {
        check_points(points)?;
    }
    let now = stamp(now_at);
    let id = ctx.store.write(|w| {
        if table::member_name(&w.read(), input.member_id)?.is_none() {
            return Err(Error::not_found("member", input.member_id));
        }
        let rule = table::rule(&w.read(), &input.rule_key)?
            .filter(|r| r.active)
            .ok_or_else(|| unknown_rule(&input.rule_key))?;
        let points = input
            .points
            .or(rule.points)
            .ok_or_else(|| Error::required("points"))?;
        let channel_id = input.channel_id.or(rule.channel_id);
        if let Some(id) = channel_id {
            table::channel(&w.read(), id)?.ok_or_else(|| Error::not_found("channel", id))?;
        }
        let expires_at = rule.expiry_days.map(|d| stamp(at + Duration::days(d)));
        table::insert_entry(
            w,
            &NewEntry {
                member_id: input.member_id,
                rule_key: &rule.key,
                points,
                evidence,
                channel_id,
                rule_ref: &rule.rule_ref,
                occurred_at: &stamp(at),
                expires_at: expires_at.as_deref(),
                source: "manual",
                reference: "",
            },
            &now,
        )
    })?;
    ctx.store.read(|r| {
        Ok(Deducted {
            entry: load_entry(r, id, &now)?,
            score: score_in(r, input.member_id, &now)?,
        })
    })
}

/// Undo of a deduction made by mistake: the entry is voided (kept, but it never counts).
/// Voiding it again changes nothing. Returns the member's score.
pub fn undo_deduct(ctx: &Ctx, entry_id: i64) -> Result<Score> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let entry = table::entry(&w.read(), entry_id)?
            .ok_or_else(|| Error::not_found("deduction", entry_id))?;
        table::void_entry(w, entry_id, &now)?;
        score_in(&w.read(), entry.member_id, &now)
    })
}
