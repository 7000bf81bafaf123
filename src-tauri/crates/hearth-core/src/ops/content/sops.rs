//! SOP templates: a checklist of posts around an event (announcement −7 days, reminder −1 day,
//! recap +1 day), applied to an event as planned items linked to it, on days counted from the
//! event's start day in the community's zone.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::recurrence;
use crate::domain::{ContentItem, SopStep, SopTemplate};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::events::parse_stamp;
use crate::ops::Ctx;
use crate::store::content as table;
use crate::text;

pub fn list(ctx: &Ctx) -> Result<Vec<SopTemplate>> {
    ctx.store.read(table::sops)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewSop {
    pub name: String,
    pub steps: Vec<SopStep>,
}

pub fn create(ctx: &Ctx, input: NewSop) -> Result<SopTemplate> {
    let name = text::clean(&input.name);
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > 100 {
        return Err(Error::too_long("name", 100));
    }
    if input.steps.is_empty() {
        return Err(Error::required("steps"));
    }
    let mut steps = Vec::with_capacity(input.steps.len());
    for s in &input.steps {
        let title = text::clean(&s.title);
        if title.is_empty() {
            return Err(Error::required("steps"));
        }
        if !(-365..=365).contains(&s.offset_days) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "a step is at most 365 days before or after the event",
            )
            .with_field("steps"));
        }
        let time = super::parse_time("steps", &s.time)?;
        steps.push(SopStep {
            title,
            offset_days: s.offset_days,
            time: time.format("%H:%M").to_string(),
            channel_id: s.channel_id,
        });
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        for s in &steps {
            if let Some(c) = s.channel_id {
                if table::channel(&w.read(), c)?.is_none() {
                    return Err(Error::not_found("channel", c).with_field("steps"));
                }
            }
        }
        if table::sops(&w.read())?.iter().any(|t| t.name == name) {
            return Err(Error::new(
                ErrorCode::NameTaken,
                format!("another template is already called “{name}”"),
            )
            .with_field("name")
            .with_param("value", &name));
        }
        let id = table::insert_sop(w, &name, &steps, &now)?;
        Ok(SopTemplate { id, name, steps })
    })
}

pub fn delete(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_sop(w, id)? {
            return Err(Error::not_found("template", id));
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplySop {
    pub sop_id: i64,
    pub event_id: i64,
}

/// Plans one item per step of the template, linked to the event, in one transaction.
pub fn apply(ctx: &Ctx, input: ApplySop) -> Result<Vec<ContentItem>> {
    let now = ctx.now_stamp();
    let zone = super::zone();
    ctx.store.write(|w| {
        let sop = table::sops(&w.read())?
            .into_iter()
            .find(|s| s.id == input.sop_id)
            .ok_or_else(|| Error::not_found("template", input.sop_id))?;
        let (starts_at, title) = table::event_start(&w.read(), input.event_id)?
            .ok_or_else(|| Error::not_found("event", input.event_id))?;
        let event_day = parse_stamp(&starts_at)
            .map(|t| t.with_timezone(&zone).date_naive())
            .ok_or_else(|| Error::not_found("event", input.event_id))?;
        let mut ids = Vec::with_capacity(sop.steps.len());
        for step in &sop.steps {
            let day = event_day + Duration::days(i64::from(step.offset_days));
            let time = super::parse_time("steps", &step.time)?;
            let at = recurrence::instant(day, time, zone);
            let channels: Vec<i64> = step.channel_id.into_iter().collect();
            let item_title = format!("{} · {title}", step.title);
            let item_title: String = item_title.chars().take(200).collect();
            ids.push(super::insert_planned_in(
                w,
                &item_title,
                at,
                &channels,
                None,
                Some(input.event_id),
                &now,
            )?);
        }
        ids.into_iter()
            .map(|id| super::load(&w.read(), id))
            .collect()
    })
}
