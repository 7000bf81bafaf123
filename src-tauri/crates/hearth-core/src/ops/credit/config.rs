//! Credit settings: the starting score, the deduction rules, the tiers and the channels whose
//! 群规 rules refer to, each validated before it is saved.
//!
//! Deliberately absent: scores and deductions (`scores`), which read these settings but never
//! change them.

use serde::{Deserialize, Serialize};

use super::{
    check_points, invalid, unknown_rule, MAX_EXPIRY_DAYS, MAX_RULES_TEXT, MAX_START, NO_SHOW,
};
use crate::domain::{Channel, CreditRule, Platform, Tier};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::credit::{self as table, RuleFields};

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
