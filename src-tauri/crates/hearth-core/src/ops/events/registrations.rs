//! Registering members for an event, the waitlist, and changing a registration's status by hand.
//!
//! The seat rule in one place ([`party_fits`]): a new registration takes a seat when
//! `seats_taken + 1 + companions <= capacity`, otherwise it joins the waitlist. Freed seats promote
//! the waitlist first-come-first-served; a party that does not fit waits and nobody behind it jumps the queue.

use serde::{Deserialize, Serialize};

use crate::domain::{EventStatus, Registration, RegistrationStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::events::{self, NewRegistration, RegistrationOrder};
use crate::store::Write;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Register {
    pub event_id: i64,
    pub member_ids: Vec<i64>,
    #[serde(default)]
    pub companions: u32,
    #[serde(default)]
    pub note: String,
}

/// What registering a batch did: ids of the new registrations (for Undo) and where people went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegisterOutcome {
    pub registration_ids: Vec<i64>,
    pub registered: u32,
    pub waitlisted: u32,
    /// Already registered (any status): left as they were.
    pub already: u32,
}

pub fn register(ctx: &Ctx, input: Register) -> Result<RegisterOutcome> {
    if input.companions > 20 {
        return Err(
            Error::new(ErrorCode::InvalidInput, "at most 20 companions").with_field("companions")
        );
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let mut out = RegisterOutcome::default();
        for member_id in &input.member_ids {
            if crate::store::members::get(&w.read(), *member_id)?.is_none() {
                return Err(Error::not_found("member", *member_id));
            }
            let added = register_in(
                w,
                input.event_id,
                *member_id,
                input.companions,
                input.note.trim(),
                "manual",
                &now,
            )?;
            out.count(added);
        }
        Ok(out)
    })
}

impl RegisterOutcome {
    pub(crate) fn count(&mut self, added: Option<(i64, RegistrationStatus)>) {
        match added {
            None => self.already += 1,
            Some((id, status)) => {
                self.registration_ids.push(id);
                if status == RegistrationStatus::Waitlist {
                    self.waitlisted += 1;
                } else {
                    self.registered += 1;
                }
            }
        }
    }
}

/// The seat rule: a party of one plus `companions` fits when the seats already taken leave room
/// for all of it (always, without a capacity).
pub(crate) fn party_fits(capacity: Option<u32>, taken: u32, companions: u32) -> bool {
    capacity.is_none_or(|c| taken + 1 + companions <= c)
}

/// Registers one member inside a write; `None` when they already are. Refuses events that are
/// cancelled or finished.
pub(crate) fn register_in(
    w: &mut Write<'_>,
    event_id: i64,
    member_id: i64,
    companions: u32,
    note: &str,
    source: &str,
    now: &str,
) -> Result<Option<(i64, RegistrationStatus)>> {
    let event = events::get_event(&w.read(), event_id)?
        .ok_or_else(|| Error::not_found("event", event_id))?;
    if matches!(
        event.record.status,
        EventStatus::Cancelled | EventStatus::Finished
    ) {
        return Err(Error::new(
            ErrorCode::EventClosed,
            format!(
                "the event is {} and takes no registrations",
                event.record.status.as_str()
            ),
        )
        .with_param("status", event.record.status.as_str()));
    }
    if events::registration_of(&w.read(), event_id, member_id)?.is_some() {
        return Ok(None);
    }
    let counts = events::counts(&w.read(), event_id)?;
    let capacity = event.record.capacity;
    // Nobody jumps a waitlist that has people on it who could get in (a party larger than the
    // whole event never can).
    let queue = counts.waitlist > 0
        && events::waitlist(&w.read(), event_id)?
            .iter()
            .any(|q| party_fits(capacity, 0, q.companions));
    let fits = !queue && party_fits(capacity, counts.seats_taken, companions);
    let status = if fits {
        RegistrationStatus::Registered
    } else {
        RegistrationStatus::Waitlist
    };
    let id = events::insert_registration(
        w,
        &NewRegistration {
            event_id,
            member_id,
            status,
            companions,
            note,
            source,
            checked_in_at: None,
        },
        now,
    )?;
    super::refresh_full(w, event_id, now)?;
    Ok(Some((id, status)))
}

/// Moves people up from the waitlist while their party fits; returns the registrations promoted.
pub(crate) fn promote_waitlist(w: &mut Write<'_>, event_id: i64, now: &str) -> Result<Vec<i64>> {
    let Some(event) = events::get_event(&w.read(), event_id)? else {
        return Ok(Vec::new());
    };
    let mut promoted = Vec::new();
    let mut taken = events::counts(&w.read(), event_id)?.seats_taken;
    for waiting in events::waitlist(&w.read(), event_id)? {
        let capacity = event.record.capacity;
        // A party larger than the whole event can never get in; it must not hold up the queue.
        if !party_fits(capacity, 0, waiting.companions) {
            continue;
        }
        if !party_fits(capacity, taken, waiting.companions) {
            break;
        }
        let need = 1 + waiting.companions;
        events::set_registration_status(w, waiting.id, RegistrationStatus::Registered, None, now)?;
        taken += need;
        promoted.push(waiting.id);
    }
    Ok(promoted)
}

/// After members leave the community view (trash, erase, merge, an import undone), the seats
/// they held go to the waitlist and `full` events reopen.
pub(crate) fn rebalance_all(w: &mut Write<'_>, now: &str) -> Result<()> {
    for event_id in events::seated_event_ids(&w.read(), now)? {
        promote_waitlist(w, event_id, now)?;
        super::refresh_full(w, event_id, now)?;
    }
    Ok(())
}

/// Members back from the trash: where their seat was given away meanwhile, they wait (the
/// event is never over-filled).
pub(crate) fn reseat_restored(w: &mut Write<'_>, member_ids: &[i64], now: &str) -> Result<()> {
    for (registration_id, event_id, capacity) in
        events::seated_registrations_of(&w.read(), member_ids)?
    {
        let Some(capacity) = capacity else { continue };
        if events::counts(&w.read(), event_id)?.seats_taken > capacity {
            events::set_registration_status(
                w,
                registration_id,
                RegistrationStatus::Waitlist,
                None,
                now,
            )?;
        }
        super::refresh_full(w, event_id, now)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetRegistrationStatus {
    pub registration_id: i64,
    pub status: RegistrationStatus,
}

/// A registration after a change by hand, and who moved up from the waitlist because of it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusChanged {
    pub registration: Registration,
    pub previous: RegistrationStatus,
    pub promoted: Vec<Registration>,
}

/// Sets a registration's status by hand (cancel, put back, mark attended or no-show). Seats it
/// frees promote the waitlist; putting someone back into a full event puts them on the waitlist.
pub fn set_status(ctx: &Ctx, input: SetRegistrationStatus) -> Result<StatusChanged> {
    let when = super::door::When::of(ctx);
    let now = when.stamp.clone();
    let (previous, promoted) = ctx.store.write(|w| {
        let row = events::registration_row_by_id(&w.read(), input.registration_id)?
            .ok_or_else(|| Error::not_found("registration", input.registration_id))?;
        let mut status = input.status;
        if status == RegistrationStatus::Registered && !row.status.holds_seat() {
            let event = events::get_event(&w.read(), row.event_id)?
                .ok_or_else(|| Error::not_found("event", row.event_id))?;
            let counts = events::counts(&w.read(), row.event_id)?;
            if !party_fits(event.record.capacity, counts.seats_taken, row.companions) {
                status = RegistrationStatus::Waitlist;
            }
        }
        let checked_in = if status.came() {
            Some((
                row.checked_in_at.clone().unwrap_or_else(|| now.clone()),
                row.status_before_checkin.unwrap_or(row.status),
            ))
        } else {
            None
        };
        events::set_registration_status(
            w,
            row.id,
            status,
            checked_in
                .as_ref()
                .map(|(at, before)| (at.as_str(), *before)),
            &now,
        )?;
        crate::ops::engagement::sync_attendance(
            w,
            row.event_id,
            row.member_id,
            status.came().then_some(when.at),
            when.offset,
            &now,
        )?;
        let missed = if status == RegistrationStatus::NoShow {
            Some(super::load(&w.read(), row.event_id)?)
        } else {
            None
        };
        crate::ops::credit::sync_no_show(w, row.event_id, row.member_id, missed.as_ref(), when.at)?;
        // Moving someone to the waitlist by hand frees their seat, but they are not promoted
        // straight back into it: the manager decided.
        let promoted = if status == RegistrationStatus::Waitlist {
            Vec::new()
        } else {
            promote_waitlist(w, row.event_id, &now)?
        };
        super::refresh_full(w, row.event_id, &now)?;
        Ok((row.status, promoted))
    })?;
    ctx.store.read(|r| {
        let registration = events::registration(r, input.registration_id)?
            .ok_or_else(|| Error::not_found("registration", input.registration_id))?;
        let promoted = promoted
            .iter()
            .filter_map(|id| events::registration(r, *id).transpose())
            .collect::<Result<Vec<_>>>()?;
        Ok(StatusChanged {
            registration,
            previous,
            promoted,
        })
    })
}

/// Takes registrations back (Undo of registering): only those still registered or waiting, so
/// an Undo never erases a check-in.
pub fn unregister(ctx: &Ctx, registration_ids: Vec<i64>) -> Result<u32> {
    let now = ctx.now_stamp();
    ctx.store
        .write(|w| unregister_in(w, &registration_ids, &now))
}

pub(crate) fn unregister_in(w: &mut Write<'_>, registration_ids: &[i64], now: &str) -> Result<u32> {
    let mut removed = 0;
    let mut touched = Vec::new();
    for id in registration_ids {
        let Some(row) = events::registration_row_by_id(&w.read(), *id)? else {
            continue;
        };
        if matches!(
            row.status,
            RegistrationStatus::Registered | RegistrationStatus::Waitlist
        ) {
            events::delete_registration(w, *id)?;
            removed += 1;
            if !touched.contains(&row.event_id) {
                touched.push(row.event_id);
            }
        }
    }
    for event_id in touched {
        promote_waitlist(w, event_id, now)?;
        super::refresh_full(w, event_id, now)?;
    }
    Ok(removed)
}

/// How a registration list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RosterOrder {
    /// By pinyin of the name (Chinese names in 拼音 order, Latin names among them).
    #[default]
    Pinyin,
    /// First registered first.
    Registered,
}

impl RosterOrder {
    pub(crate) fn store(self) -> RegistrationOrder {
        match self {
            Self::Pinyin => RegistrationOrder::Name,
            Self::Registered => RegistrationOrder::Registered,
        }
    }
}

/// Every registration of an event (search narrows by name, pinyin, initials, phone digits).
pub fn list(
    ctx: &Ctx,
    event_id: i64,
    search: Option<&str>,
    order: RosterOrder,
) -> Result<Vec<Registration>> {
    let needle = search
        .map(crate::text::search_needle)
        .filter(|n| !n.is_empty());
    ctx.store.read(|r| {
        super::load(r, event_id)?;
        events::registrations(r, event_id, needle.as_deref(), order.store(), None)
    })
}
