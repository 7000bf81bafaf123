//! Levels: the ladder of names a member climbs by points, renamed and re-thresholded by the
//! manager (the whole ladder is saved at once).
//!
//! Deliberately absent: a member's level, which the UI reads off their balance and this
//! ladder; nothing is stored per member.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::engagement as activities;
use crate::store::rewards as table;

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
