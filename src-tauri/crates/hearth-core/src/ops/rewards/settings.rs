//! The engagement settings: leaderboards on or off, and how long an invite's points can be
//! taken back.
//!
//! Deliberately absent: the claw-back itself (`ops::invites`) and the leaderboards
//! (`ops::engagement`); both only read these settings.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::{settings, Read};

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

pub(crate) fn clawback_days(r: &Read<'_>) -> Result<u32> {
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
