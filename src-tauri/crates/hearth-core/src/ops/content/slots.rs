//! Recurring slots ("every Tuesday 20:00 知识分享 in group A", "the first Monday's newsletter")
//! and planning their items ahead.
//!
//! Planning ahead is idempotent: each (slot, local day) is claimed once in `content_slot_runs`,
//! so running it again (every time the board opens) adds nothing, and an item the manager moved
//! to another day or deleted is not planned a second time.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::recurrence;
use crate::domain::{ContentSlot, Recurrence, SlotDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::events::parse_zone;
use crate::ops::Ctx;
use crate::store::content::{self as table, SlotRecord};
use crate::store::Write;
use crate::text;

/// How far ahead slots plan when nothing else is said.
pub const PLAN_AHEAD_DAYS: u32 = 56;
/// The longest a single planning run reaches.
pub const MAX_PLAN_AHEAD_DAYS: u32 = 366;

pub fn list(ctx: &Ctx) -> Result<Vec<ContentSlot>> {
    ctx.store.read(|r| {
        Ok(table::slots(r)?
            .into_iter()
            .map(|(id, s)| to_slot(id, s))
            .collect())
    })
}

/// What creating a slot did: the slot, and how many items it planned at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlotCreated {
    pub slot: ContentSlot,
    pub planned: u32,
}

/// Creates a slot and plans its items for the next [`PLAN_AHEAD_DAYS`].
pub fn create(ctx: &Ctx, draft: SlotDraft) -> Result<SlotCreated> {
    let record = validate(ctx, &draft)?;
    let now = ctx.clock.now();
    let stamp_now = crate::clock::stamp(now);
    ctx.store.write(|w| {
        if table::channel(&w.read(), record.channel_id)?.is_none() {
            return Err(Error::not_found("channel", record.channel_id).with_field("channel_id"));
        }
        let id = table::insert_slot(w, &record, &stamp_now)?;
        let planned = plan_slot_in(w, id, &record, now, PLAN_AHEAD_DAYS, &stamp_now)?;
        Ok(SlotCreated {
            slot: to_slot(id, record),
            planned,
        })
    })
}

/// Deletes a slot; the items it planned stay (future ones can be deleted by hand).
pub fn delete(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_slot(w, id)? {
            return Err(Error::not_found("slot", id));
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanAhead {
    /// Days from today; default [`PLAN_AHEAD_DAYS`], at most [`MAX_PLAN_AHEAD_DAYS`].
    #[serde(default)]
    pub days: Option<u32>,
}

/// Plans every slot's items from today for `days` days; returns how many were new.
pub fn plan_ahead(ctx: &Ctx, input: PlanAhead) -> Result<u32> {
    let days = input
        .days
        .unwrap_or(PLAN_AHEAD_DAYS)
        .clamp(1, MAX_PLAN_AHEAD_DAYS);
    let now = ctx.clock.now();
    let stamp_now = crate::clock::stamp(now);
    ctx.store.write(|w| {
        let mut planned = 0;
        for (id, slot) in table::slots(&w.read())? {
            planned += plan_slot_in(w, id, &slot, now, days, &stamp_now)?;
        }
        Ok(planned)
    })
}

/// The instants a slot falls on between local days `[from, to]` of its zone.
pub fn occurrences(slot: &ContentSlot, from: NaiveDate, to: NaiveDate) -> Vec<DateTime<Utc>> {
    let zone = parse_zone(&slot.time_zone).unwrap_or(Tz::UTC);
    let Ok(time) = super::parse_time("time", &slot.time) else {
        return Vec::new();
    };
    let (from, to) = clip(&slot.starts_on, slot.ends_on.as_deref(), from, to);
    recurrence::days(&slot.recurrence, from, to)
        .into_iter()
        .map(|d| recurrence::instant(d, time, zone))
        .collect()
}

fn clip(
    starts_on: &str,
    ends_on: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::parse_from_str(starts_on, "%Y-%m-%d").unwrap_or(from);
    let end = ends_on
        .and_then(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").ok())
        .unwrap_or(to);
    (from.max(start), to.min(end))
}

fn plan_slot_in(
    w: &mut Write<'_>,
    id: i64,
    slot: &SlotRecord,
    now: DateTime<Utc>,
    days: u32,
    stamp_now: &str,
) -> Result<u32> {
    let zone = parse_zone(&slot.time_zone).unwrap_or(Tz::UTC);
    let Ok(time) = super::parse_time("time", &slot.time) else {
        return Ok(0);
    };
    let today = now.with_timezone(&zone).date_naive();
    let (from, to) = clip(
        &slot.starts_on,
        slot.ends_on.as_deref(),
        today,
        today + Duration::days(i64::from(days) - 1),
    );
    let mut planned = 0;
    for day in recurrence::days(&recurrence_of(slot), from, to) {
        let at = recurrence::instant(day, time, zone);
        // Today's slot whose time has passed is not planned after the fact.
        if at < now || !table::claim_slot_day(w, id, &day.to_string())? {
            continue;
        }
        super::insert_planned_in(
            w,
            &slot.title,
            at,
            &[slot.channel_id],
            Some(id),
            None,
            stamp_now,
        )?;
        planned += 1;
    }
    Ok(planned)
}

fn validate(ctx: &Ctx, d: &SlotDraft) -> Result<SlotRecord> {
    let title = text::clean(&d.title);
    if title.is_empty() {
        return Err(Error::required("title"));
    }
    if title.chars().count() > 200 {
        return Err(Error::too_long("title", 200));
    }
    if !recurrence::is_valid(&d.recurrence) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "the repeat rule needs a weekday, a week of the month (1–4 or last) or a day (1–31)",
        )
        .with_field("recurrence"));
    }
    let time = super::parse_time("time", &d.time)?;
    let zone_name = match d.time_zone.trim() {
        "" => super::zone().name().to_owned(),
        z => z.to_owned(),
    };
    if parse_zone(&zone_name).is_none() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("“{zone_name}” is not a time zone name like Asia/Shanghai"),
        )
        .with_field("time_zone")
        .with_param("value", &zone_name));
    }
    let starts_on = match d.starts_on.trim() {
        "" => super::today(ctx),
        s => super::parse_day("starts_on", s)?,
    };
    let ends_on = match d
        .ends_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => {
            let e = super::parse_day("ends_on", s)?;
            if e < starts_on {
                return Err(
                    Error::new(ErrorCode::InvalidDate, "the slot ends before it starts")
                        .with_field("ends_on")
                        .with_param("value", s),
                );
            }
            Some(e.to_string())
        }
    };
    let mut record = SlotRecord {
        channel_id: d.channel_id,
        title,
        rule: String::new(),
        weekdays: 0,
        nth: 0,
        weekday: 0,
        day: 0,
        time: time.format("%H:%M").to_string(),
        time_zone: zone_name,
        starts_on: starts_on.to_string(),
        ends_on,
    };
    match &d.recurrence {
        Recurrence::Weekly { weekdays } => {
            record.rule = "weekly".into();
            record.weekdays = weekdays.iter().fold(0, |m, d| m | (1 << d));
        }
        Recurrence::MonthlyWeekday { nth, weekday } => {
            record.rule = "monthly_weekday".into();
            record.nth = *nth;
            record.weekday = *weekday;
        }
        Recurrence::MonthlyDay { day } => {
            record.rule = "monthly_day".into();
            record.day = *day;
        }
    }
    Ok(record)
}

fn recurrence_of(s: &SlotRecord) -> Recurrence {
    match s.rule.as_str() {
        "monthly_weekday" => Recurrence::MonthlyWeekday {
            nth: s.nth,
            weekday: s.weekday,
        },
        "monthly_day" => Recurrence::MonthlyDay { day: s.day },
        _ => Recurrence::Weekly {
            weekdays: (0..7).filter(|d| s.weekdays & (1 << d) != 0).collect(),
        },
    }
}

fn to_slot(id: i64, s: SlotRecord) -> ContentSlot {
    ContentSlot {
        id,
        channel_id: s.channel_id,
        recurrence: recurrence_of(&s),
        title: s.title,
        time: s.time,
        time_zone: s.time_zone,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
    }
}
