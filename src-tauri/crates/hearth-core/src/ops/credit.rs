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

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::credit::{self as table, EntryRow, NewEntry, RuleFields};
use crate::store::{Read, Write};

pub use crate::store::credit::{
    Appeal, AppealStatus, Channel, CreditRule, Platform, Tier, TierAction,
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

// --- configuration --------------------------------------------------------------------------

/// Everything the credit settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreditConfig {
    pub start_score: i64,
    pub rules: Vec<CreditRule>,
    /// Worst (lowest threshold) first.
    pub tiers: Vec<Tier>,
    pub channels: Vec<Channel>,
}

pub fn config(ctx: &Ctx) -> Result<CreditConfig> {
    ctx.store.read(|r| {
        Ok(CreditConfig {
            start_score: table::start_score(r)?,
            rules: table::rules(r)?,
            tiers: table::tiers(r)?,
            channels: table::channels(r)?,
        })
    })
}

pub fn rules(ctx: &Ctx) -> Result<Vec<CreditRule>> {
    ctx.store.read(table::rules)
}

pub fn tiers(ctx: &Ctx) -> Result<Vec<Tier>> {
    ctx.store.read(table::tiers)
}

pub fn channels(ctx: &Ctx) -> Result<Vec<Channel>> {
    ctx.store.read(table::channels)
}

/// Sets the score every member starts from. It must stay above every tier's threshold, or
/// members with a clean record would land in a tier.
pub fn set_start_score(ctx: &Ctx, start_score: i64) -> Result<i64> {
    if !(1..=MAX_START).contains(&start_score) {
        return Err(invalid(
            "start_score",
            format!("the starting score is a number from 1 to {MAX_START}"),
        ));
    }
    ctx.store.write(|w| {
        let top = table::tiers(&w.read())?
            .iter()
            .map(|t| t.threshold)
            .max();
        if let Some(top) = top.filter(|top| start_score <= *top) {
            return Err(invalid(
                "start_score",
                format!("the starting score must be above every tier's threshold (the highest is {top})"),
            ));
        }
        table::set_start_score(w, start_score)?;
        Ok(start_score)
    })
}

/// A rule to add (`key: None`) or change. Changing points or expiry applies to deductions made
/// from then on; the ones already made keep what they were given (they are evidence).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveRule {
    #[serde(default)]
    pub key: Option<String>,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// `None`: asked for on each deduction (not allowed for `no_show`, which the door applies).
    #[serde(default)]
    pub points: Option<i64>,
    /// `None`: the points never come back.
    #[serde(default)]
    pub expiry_days: Option<i64>,
    #[serde(default)]
    pub channel_id: Option<i64>,
    /// Where in the channel's 群规 (`第3条`).
    #[serde(default)]
    pub rule_ref: String,
    /// Retired rules keep their history but are not offered for new deductions; retiring
    /// `no_show` stops the door from giving strikes.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

pub fn save_rule(ctx: &Ctx, input: SaveRule) -> Result<CreditRule> {
    let name_zh = input.name_zh.trim();
    if name_zh.is_empty() {
        return Err(Error::required("name"));
    }
    if name_zh.chars().count() > 40 {
        return Err(Error::too_long("name", 40));
    }
    let name_en = match input.name_en.trim() {
        "" => name_zh,
        en => en,
    };
    if name_en.chars().count() > 60 {
        return Err(Error::too_long("name", 60));
    }
    let rule_ref = input.rule_ref.trim();
    if rule_ref.chars().count() > 40 {
        return Err(Error::too_long("rule_ref", 40));
    }
    if let Some(points) = input.points {
        check_points(points)?;
    }
    if input
        .expiry_days
        .is_some_and(|d| !(1..=MAX_EXPIRY_DAYS).contains(&d))
    {
        return Err(invalid(
            "expiry_days",
            format!("points come back after 1 to {MAX_EXPIRY_DAYS} days, or never"),
        ));
    }
    if input.key.as_deref() == Some(NO_SHOW) && input.points.is_none() {
        return Err(Error::required("points"));
    }
    let fields = RuleFields {
        name_zh,
        name_en,
        points: input.points,
        expiry_days: input.expiry_days,
        channel_id: input.channel_id,
        rule_ref,
        active: input.active,
    };
    ctx.store.write(|w| {
        if let Some(id) = input.channel_id {
            table::channel(&w.read(), id)?.ok_or_else(|| Error::not_found("channel", id))?;
        }
        let key = match input.key.as_deref().map(str::trim) {
            Some(key) => {
                if !table::update_rule(w, key, &fields)? {
                    return Err(unknown_rule(key));
                }
                key.to_owned()
            }
            None => {
                let key = table::free_rule_key(&w.read())?;
                table::insert_rule(w, &key, &fields)?;
                key
            }
        };
        table::rule(&w.read(), &key)?.ok_or_else(|| unknown_rule(&key))
    })
}

/// Replaces the tiers. Thresholds are distinct, at least 0 and below the starting score.
pub fn save_tiers(ctx: &Ctx, tiers: Vec<Tier>) -> Result<Vec<Tier>> {
    let mut clean = Vec::with_capacity(tiers.len());
    for t in tiers {
        let name_zh = t.name_zh.trim().to_owned();
        if name_zh.is_empty() {
            return Err(Error::required("name"));
        }
        if name_zh.chars().count() > 40 || t.name_en.trim().chars().count() > 60 {
            return Err(Error::too_long("name", 40));
        }
        if t.threshold < 0 {
            return Err(invalid("threshold", "a tier's threshold is 0 or more"));
        }
        if clean.iter().any(|c: &Tier| c.threshold == t.threshold) {
            return Err(invalid(
                "threshold",
                format!("two tiers share the threshold {}", t.threshold),
            ));
        }
        let name_en = match t.name_en.trim() {
            "" => name_zh.clone(),
            en => en.to_owned(),
        };
        clean.push(Tier {
            threshold: t.threshold,
            name_zh,
            name_en,
            action: t.action,
        });
    }
    clean.sort_by_key(|t| t.threshold);
    ctx.store.write(|w| {
        let start = table::start_score(&w.read())?;
        if let Some(t) = clean.iter().find(|t| t.threshold >= start) {
            return Err(invalid(
                "threshold",
                format!(
                    "a tier's threshold ({}) must be below the starting score ({start})",
                    t.threshold
                ),
            ));
        }
        table::replace_tiers(w, &clean)?;
        table::tiers(&w.read())
    })
}

/// A channel to add (`id: None`) or change, with its 群规.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveChannel {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub platform: Platform,
    /// The group rules (群规) text.
    #[serde(default)]
    pub rules: String,
}

pub fn save_channel(ctx: &Ctx, input: SaveChannel) -> Result<Channel> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > 60 {
        return Err(Error::too_long("name", 60));
    }
    let rules = input.rules.trim();
    if rules.chars().count() > MAX_RULES_TEXT {
        return Err(Error::too_long("rules", MAX_RULES_TEXT));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if table::channel_named(&w.read(), name, input.id)?.is_some() {
            return Err(Error::new(
                ErrorCode::NameTaken,
                format!("a channel is already called “{name}”"),
            )
            .with_field("name")
            .with_param("value", name));
        }
        let id = match input.id {
            Some(id) => {
                if !table::update_channel(w, id, name, input.platform, rules, &now)? {
                    return Err(Error::not_found("channel", id));
                }
                id
            }
            None => table::insert_channel(w, name, input.platform, rules, &now)?,
        };
        table::channel(&w.read(), id)?.ok_or_else(|| Error::not_found("channel", id))
    })
}

// --- scores and entries ---------------------------------------------------------------------

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

fn load_entry(r: &Read<'_>, id: i64, now: &str) -> Result<CreditEntry> {
    let row = table::entry(r, id)?.ok_or_else(|| Error::not_found("deduction", id))?;
    let appeals = table::appeals_of_entry(r, id)?;
    Ok(to_entry(row, appeals, now))
}

/// The tier a score is in: the lowest threshold at or above it. `tiers` is sorted ascending.
pub fn tier_for(score: i64, tiers: &[Tier]) -> Option<Tier> {
    tiers.iter().find(|t| score <= t.threshold).cloned()
}

fn score_in(r: &Read<'_>, member_id: i64, now: &str) -> Result<Score> {
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

// --- appeals --------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileAppeal {
    pub entry_id: i64,
    /// What the member says. Required.
    pub reason: String,
}

/// Files an appeal against a deduction still in force. Refused when the deduction already has
/// a pending appeal (`AppealPending`) or no longer counts (`NotAppealable`: voided, expired or
/// overturned). An upheld appeal does not stop a new one (new facts).
pub fn file_appeal(ctx: &Ctx, input: FileAppeal) -> Result<Appeal> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(Error::required("reason"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::too_long("reason", MAX_REASON));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let entry = load_entry(&w.read(), input.entry_id, &now)?;
        if let Some(pending) = entry
            .appeals
            .iter()
            .find(|a| a.status == AppealStatus::Pending)
        {
            return Err(Error::new(
                ErrorCode::AppealPending,
                "this deduction already has an appeal waiting for a decision",
            )
            .with_param("filed_at", &pending.filed_at)
            .with_param("appeal_id", pending.id));
        }
        let closed = match entry.status {
            EntryStatus::Voided => Some("voided"),
            EntryStatus::Expired => Some("expired"),
            EntryStatus::Overturned => Some("overturned"),
            EntryStatus::Active | EntryStatus::UnderAppeal => None,
        };
        if let Some(status) = closed {
            return Err(Error::new(
                ErrorCode::NotAppealable,
                format!("this deduction is {status}: there is nothing to appeal"),
            )
            .with_param("status", status));
        }
        let id = table::insert_appeal(w, entry.id, reason, &now)?;
        table::appeal(&w.read(), id)?.ok_or_else(|| Error::not_found("appeal", id))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The deduction stands.
    Upheld,
    /// The deduction is withdrawn; its points come back now.
    Overturned,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DecideAppeal {
    pub appeal_id: i64,
    pub decision: Decision,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Decided {
    pub appeal: Appeal,
    pub entry: CreditEntry,
    pub score: Score,
}

/// Decides a pending appeal (`AppealDecided` if it was already decided).
pub fn decide_appeal(ctx: &Ctx, input: DecideAppeal) -> Result<Decided> {
    let note = input.note.trim();
    if note.chars().count() > MAX_REASON {
        return Err(Error::too_long("note", MAX_REASON));
    }
    let status = match input.decision {
        Decision::Upheld => AppealStatus::Upheld,
        Decision::Overturned => AppealStatus::Overturned,
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let appeal = table::appeal(&w.read(), input.appeal_id)?
            .ok_or_else(|| Error::not_found("appeal", input.appeal_id))?;
        if appeal.status != AppealStatus::Pending {
            return Err(Error::new(
                ErrorCode::AppealDecided,
                format!(
                    "this appeal was already decided ({})",
                    appeal.status.as_str()
                ),
            )
            .with_param("status", appeal.status.as_str()));
        }
        table::decide_appeal(w, appeal.id, status, note, &now)?;
        let r = w.read();
        let entry = load_entry(&r, appeal.entry_id, &now)?;
        Ok(Decided {
            appeal: table::appeal(&r, appeal.id)?
                .ok_or_else(|| Error::not_found("appeal", appeal.id))?,
            score: score_in(&r, entry.member_id, &now)?,
            entry,
        })
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingAppeal {
    pub appeal: Appeal,
    pub member_id: i64,
    pub member_name: String,
    pub entry: CreditEntry,
}

/// Appeals waiting for a decision, oldest first (members in the trash left out).
pub fn pending_appeals(ctx: &Ctx) -> Result<Vec<PendingAppeal>> {
    let now = ctx.now_stamp();
    ctx.store.read(|r| {
        table::pending_appeals(r)?
            .into_iter()
            .map(|(appeal, member_id, member_name)| {
                Ok(PendingAppeal {
                    entry: load_entry(r, appeal.entry_id, &now)?,
                    appeal,
                    member_id,
                    member_name,
                })
            })
            .collect()
    })
}

// --- who needs action -----------------------------------------------------------------------

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

// --- the door's no-show strikes -------------------------------------------------------------

/// Keeps the no-show strike in step with a registration inside the door's write: one live
/// `no_show` entry (source `event`, ref `event:<id>`) while the member is marked a no-show,
/// none otherwise (voided, so Undo takes back exactly the strikes it gave). The strike happens
/// when the event ended (or now, if it has not), with its evidence written out. No strike when
/// the `no_show` rule is retired.
pub(crate) fn sync_no_show(
    w: &mut Write<'_>,
    event_id: i64,
    member_id: i64,
    no_show: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let reference = format!("event:{event_id}");
    let live = table::live_event_entries(&w.read(), member_id, NO_SHOW, &reference)?;
    let now_stamp = stamp(now);
    if !no_show {
        for id in live {
            table::void_entry(w, id, &now_stamp)?;
        }
        return Ok(());
    }
    if !live.is_empty() {
        return Ok(());
    }
    let Some(rule) = table::rule(&w.read(), NO_SHOW)?.filter(|r| r.active) else {
        return Ok(());
    };
    let Some(points) = rule.points else {
        return Ok(());
    };
    let event = crate::ops::events::load(&w.read(), event_id)?;
    let at = DateTime::parse_from_rfc3339(&event.ends_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
        .min(now);
    let day = event.starts_local.get(..10).unwrap_or_default();
    let evidence = format!(
        "报名「{title}」（{day}）未到场 / No-show at {title} ({day})",
        title = event.title
    );
    let expires_at = rule.expiry_days.map(|d| stamp(at + Duration::days(d)));
    table::insert_entry(
        w,
        &NewEntry {
            member_id,
            rule_key: NO_SHOW,
            points,
            evidence: &evidence,
            channel_id: rule.channel_id,
            rule_ref: &rule.rule_ref,
            occurred_at: &stamp(at),
            expires_at: expires_at.as_deref(),
            source: "event",
            reference: &reference,
        },
        &now_stamp,
    )?;
    Ok(())
}

// --- helpers --------------------------------------------------------------------------------

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
