//! The door: find a person fast (name, pinyin, initials `zw`, last four phone digits), check
//! them in with one key, undo, add walk-ins on the spot, and after the event mark everyone who
//! never came as a no-show in one step (undoable).
//!
//! A check-in never happens twice and never silently: a cancelled registration or a person who
//! is not registered comes back as an error the door turns into a question
//! (`RegistrationCancelled` → reinstate?, `NotRegistered` → walk-in?).

use serde::{Deserialize, Serialize};

use crate::domain::{MemberDraft, Registration, RegistrationCounts, RegistrationStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::members::validate_in;
use crate::ops::Ctx;
use crate::store::events::{self, NewRegistration, RegistrationOrder};
use crate::store::{members, Write};
use crate::text;

/// Results at the door for what the manager typed: only this event's registrations, so it stays
/// fast however large the community is. Walk-in candidates come separately from [`others`].
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DoorSearch {
    pub registrations: Vec<Registration>,
    pub counts: RegistrationCounts,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DoorMember {
    pub member_id: i64,
    pub display_name: String,
}

const DOOR_RESULTS: u32 = 30;
const DOOR_OTHERS: u32 = 8;

/// Registrations matching `query` (all of them when empty, in pinyin order).
pub fn search(ctx: &Ctx, event_id: i64, query: &str) -> Result<DoorSearch> {
    let needle = text::search_needle(query);
    ctx.store.read(|r| {
        super::load(r, event_id)?;
        let needle = (!needle.is_empty()).then_some(needle.as_str());
        Ok(DoorSearch {
            registrations: events::registrations(
                r,
                event_id,
                needle,
                RegistrationOrder::Name,
                Some(DOOR_RESULTS),
            )?,
            counts: events::counts(r, event_id)?,
        })
    })
}

/// A few members matching `query` who are not registered: walk-in candidates. This scans the
/// whole community, so the door asks for it after showing the registrations.
pub fn others(ctx: &Ctx, event_id: i64, query: &str) -> Result<Vec<DoorMember>> {
    let needle = text::search_needle(query);
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    ctx.store.read(|r| {
        Ok(
            events::unregistered_matches(r, event_id, &needle, DOOR_OTHERS)?
                .into_iter()
                .map(|(member_id, display_name)| DoorMember {
                    member_id,
                    display_name,
                })
                .collect(),
        )
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckIn {
    pub event_id: i64,
    pub member_id: i64,
    /// Not registered: add them as a walk-in (the answer to `NotRegistered`).
    #[serde(default)]
    pub walk_in: bool,
    /// Registration cancelled: reinstate it (the answer to `RegistrationCancelled`).
    #[serde(default)]
    pub reinstate: bool,
    /// Let a waitlisted (or reinstated) person in although every seat is taken (the answer to
    /// `EventFull`).
    #[serde(default)]
    pub over_capacity: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckedIn {
    pub registration: Registration,
    pub counts: RegistrationCounts,
}

pub fn check_in(ctx: &Ctx, input: CheckIn) -> Result<CheckedIn> {
    let when = When::of(ctx);
    let id = ctx.store.write(|w| check_in_in(w, &input, "door", &when))?;
    checked_in(ctx, id)
}

fn checked_in(ctx: &Ctx, registration_id: i64) -> Result<CheckedIn> {
    ctx.store.read(|r| {
        let registration = events::registration(r, registration_id)?
            .ok_or_else(|| Error::not_found("registration", registration_id))?;
        Ok(CheckedIn {
            counts: events::counts(r, registration.event_id)?,
            registration,
        })
    })
}

/// "Now" as the door needs it: the stamp, the instant (for the activity it logs) and the
/// manager's offset (for the activity's local day).
pub(crate) struct When {
    pub stamp: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub offset: chrono::FixedOffset,
}

impl When {
    pub(crate) fn of(ctx: &Ctx) -> When {
        let at = ctx.clock.now();
        When {
            stamp: crate::clock::stamp(at),
            at,
            offset: ctx.clock.utc_offset(),
        }
    }
}

pub(crate) fn check_in_in(
    w: &mut Write<'_>,
    input: &CheckIn,
    source: &str,
    when: &When,
) -> Result<i64> {
    let id = check_in_row(w, input, source, &when.stamp)?;
    // Coming to the event is activity (and points), taken back with the check-in.
    crate::ops::engagement::sync_attendance(
        w,
        input.event_id,
        input.member_id,
        Some(when.at),
        when.offset,
        &when.stamp,
    )?;
    // Someone marked a no-show who did come loses the strike.
    crate::ops::credit::sync_no_show(w, input.event_id, input.member_id, None, when.at)?;
    Ok(id)
}

fn check_in_row(w: &mut Write<'_>, input: &CheckIn, source: &str, now: &str) -> Result<i64> {
    let event = super::load(&w.read(), input.event_id)?;
    let member = members::get(&w.read(), input.member_id)?
        .ok_or_else(|| Error::not_found("member", input.member_id))?;
    match events::registration_of(&w.read(), input.event_id, input.member_id)? {
        None if input.walk_in => events::insert_registration(
            w,
            &NewRegistration {
                event_id: input.event_id,
                member_id: input.member_id,
                status: RegistrationStatus::WalkIn,
                companions: 0,
                note: "",
                source,
                checked_in_at: Some(now),
            },
            now,
        ),
        None => Err(Error::new(
            ErrorCode::NotRegistered,
            format!(
                "{} is not registered for “{}”",
                member.display_name, event.title
            ),
        )
        .with_param("member_name", &member.display_name)
        .with_param("event_title", &event.title)
        .with_param("member_id", member.id)),
        Some(reg) if reg.status.came() => Err(Error::new(
            ErrorCode::AlreadyCheckedIn,
            format!("{} already checked in", member.display_name),
        )
        .with_param("member_name", &member.display_name)
        .with_param("time", reg.checked_in_at.clone().unwrap_or_default())
        .with_param("registration_id", reg.id)),
        Some(reg) if reg.status == RegistrationStatus::Cancelled && !input.reinstate => {
            Err(Error::new(
                ErrorCode::RegistrationCancelled,
                format!("{} cancelled their registration", member.display_name),
            )
            .with_param("member_name", &member.display_name)
            .with_param("registration_id", reg.id))
        }
        Some(reg)
            if !reg.status.holds_seat()
                && !input.over_capacity
                && !super::registrations::party_fits(
                    event.capacity,
                    event.counts.seats_taken,
                    reg.companions,
                ) =>
        {
            Err(Error::new(
                ErrorCode::EventFull,
                format!("the event is full and {} has no seat", member.display_name),
            )
            .with_param("member_name", &member.display_name)
            .with_param("registration_id", reg.id))
        }
        Some(reg) => {
            // Someone from the waitlist (or reinstated) who turns up, with a seat free or the
            // manager's yes, takes the place they came for.
            events::set_registration_status(
                w,
                reg.id,
                RegistrationStatus::Attended,
                Some((now, reg.status)),
                now,
            )?;
            super::refresh_full(w, input.event_id, now)?;
            Ok(reg.id)
        }
    }
}

/// Takes a check-in back: the registration returns to what it was (a walk-in disappears).
pub fn undo_check_in(ctx: &Ctx, registration_id: i64) -> Result<RegistrationCounts> {
    let when = When::of(ctx);
    let now = when.stamp.clone();
    ctx.store.write(|w| {
        let row = events::registration_row_by_id(&w.read(), registration_id)?
            .ok_or_else(|| Error::not_found("registration", registration_id))?;
        match (row.status, row.status_before_checkin) {
            (RegistrationStatus::WalkIn, _) => events::delete_registration(w, row.id)?,
            (RegistrationStatus::Attended, before) => events::set_registration_status(
                w,
                row.id,
                before.unwrap_or(RegistrationStatus::Registered),
                None,
                &now,
            )?,
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "this registration is not checked in",
                ))
            }
        }
        crate::ops::engagement::sync_attendance(
            w,
            row.event_id,
            row.member_id,
            None,
            when.offset,
            &now,
        )?;
        // Back to a no-show: the strike comes back with it.
        let back_to_no_show = row.status == RegistrationStatus::Attended
            && row.status_before_checkin == Some(RegistrationStatus::NoShow);
        let missed = if back_to_no_show {
            Some(super::load(&w.read(), row.event_id)?)
        } else {
            None
        };
        crate::ops::credit::sync_no_show(w, row.event_id, row.member_id, missed.as_ref(), when.at)?;
        super::registrations::promote_waitlist(w, row.event_id, &now)?;
        super::refresh_full(w, row.event_id, &now)?;
        events::counts(&w.read(), row.event_id)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WalkInNew {
    pub event_id: i64,
    /// The new member (name, and usually a phone).
    pub member: MemberDraft,
}

/// Someone nobody knows walks in: the member is created and checked in, in one transaction.
pub fn walk_in_new(ctx: &Ctx, input: WalkInNew) -> Result<CheckedIn> {
    let when = When::of(ctx);
    let now = when.stamp.clone();
    let id = ctx.store.write(|w| {
        super::load(&w.read(), input.event_id)?;
        let mut record = validate_in(&w.read(), &input.member)?;
        if record.source.is_empty() {
            record.source = "活动现场".to_owned();
        }
        let member_id = members::insert(w, &record, &now)?;
        check_in_in(
            w,
            &CheckIn {
                event_id: input.event_id,
                member_id,
                walk_in: true,
                reinstate: false,
                over_capacity: false,
            },
            "door",
            &when,
        )
    })?;
    checked_in(ctx, id)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoShowsMarked {
    /// Pass to [`undo_no_shows`] to take it back.
    pub registration_ids: Vec<i64>,
    pub counts: RegistrationCounts,
}

/// After the event: every registration still "registered" becomes a no-show, and each of
/// those members gets a no-show strike on their credit score (same transaction).
pub fn mark_no_shows(ctx: &Ctx, event_id: i64) -> Result<NoShowsMarked> {
    let at = ctx.clock.now();
    let now = crate::clock::stamp(at);
    ctx.store.write(|w| {
        let event = super::load(&w.read(), event_id)?;
        let ids = events::ids_in_status(&w.read(), event_id, RegistrationStatus::Registered)?;
        for id in &ids {
            events::set_registration_status(w, *id, RegistrationStatus::NoShow, None, &now)?;
            if let Some(row) = events::registration_row_by_id(&w.read(), *id)? {
                crate::ops::credit::sync_no_show(w, event_id, row.member_id, Some(&event), at)?;
            }
        }
        Ok(NoShowsMarked {
            registration_ids: ids,
            counts: events::counts(&w.read(), event_id)?,
        })
    })
}

/// Puts the no-shows of [`mark_no_shows`] back to registered (only those still no-shows) and
/// takes their strikes back.
pub fn undo_no_shows(ctx: &Ctx, registration_ids: Vec<i64>) -> Result<u32> {
    let at = ctx.clock.now();
    let now = crate::clock::stamp(at);
    ctx.store.write(|w| {
        let mut n = 0;
        for id in registration_ids {
            if let Some(row) = events::registration_row_by_id(&w.read(), id)? {
                if row.status == RegistrationStatus::NoShow {
                    events::set_registration_status(
                        w,
                        id,
                        RegistrationStatus::Registered,
                        None,
                        &now,
                    )?;
                    crate::ops::credit::sync_no_show(w, row.event_id, row.member_id, None, at)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    })
}
