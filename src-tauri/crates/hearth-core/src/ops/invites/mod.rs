//! Invites: logging that one member invited another ([`invite`]), taking the invite's points
//! back when the invitee leaves within the claw-back window ([`claw_back_in`]) and giving them
//! back when the invitee returns ([`give_back_in`]).
//!
//! The ledger stays append-only: a claw-back is a negative 'clawback' row on the invite's
//! activity, and restoring the invitee writes the matching 'clawback_undo'.
//!
//! Deliberately absent: the window's setting and the badges an invite can earn (both in
//! `ops::rewards`, which this module uses and which never uses it back), and deciding when a
//! member leaves or returns (the trash, in `ops::members`).

mod member_data;

pub(crate) use member_data::MEMBER_DATA;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::engagement::{log_in, Source};
use crate::ops::rewards::{clawback_days, evaluate_in};
use crate::ops::Ctx;
use crate::store::engagement as activities;
use crate::store::members;
use crate::store::rewards::{self as table, CLAWBACK, CLAWBACK_UNDO};
use crate::store::Write;

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
