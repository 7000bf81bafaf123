//! SOP templates: a checklist of posts around an event (announcement −7 days, reminder −1 day,
//! recap +1 day), applied to an event or a campaign as planned items linked to it, on days
//! counted from the event's start day (the campaign's first day) in the community's zone.
//! [`preview`] shows the dated posts before [`apply`] plans them.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::recurrence;
use crate::domain::{ContentItem, SopStep, SopTemplate};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::events::parse_stamp;
use crate::ops::Ctx;
use crate::store::content as table;
use crate::store::Read;
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
    let (name, steps) = validate(input)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        check_in(&w.read(), None, &name, &steps)?;
        let id = table::insert_sop(w, &name, &steps, &now)?;
        Ok(SopTemplate { id, name, steps })
    })
}

/// Replaces a template's name and steps (items it already planned stay as they are).
pub fn update(ctx: &Ctx, id: i64, input: NewSop) -> Result<SopTemplate> {
    let (name, steps) = validate(input)?;
    ctx.store.write(|w| {
        check_in(&w.read(), Some(id), &name, &steps)?;
        if !table::update_sop(w, id, &name, &steps)? {
            return Err(Error::not_found("template", id));
        }
        Ok(SopTemplate { id, name, steps })
    })
}

fn validate(input: NewSop) -> Result<(String, Vec<SopStep>)> {
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
        if title.chars().count() > 200 {
            return Err(Error::too_long("steps", 200));
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
    Ok((name, steps))
}

/// The steps' channels exist and no other template (than `id`) has the name.
fn check_in(r: &Read<'_>, id: Option<i64>, name: &str, steps: &[SopStep]) -> Result<()> {
    for s in steps {
        if let Some(c) = s.channel_id {
            if table::channel(r, c)?.is_none() {
                return Err(Error::not_found("channel", c).with_field("steps"));
            }
        }
    }
    if table::sops(r)?
        .iter()
        .any(|t| t.name == name && Some(t.id) != id)
    {
        return Err(Error::new(
            ErrorCode::NameTaken,
            format!("another template is already called “{name}”"),
        )
        .with_field("name")
        .with_param("value", name));
    }
    Ok(())
}

pub fn delete(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_sop(w, id)? {
            return Err(Error::not_found("template", id));
        }
        Ok(())
    })
}

/// Apply a template around an event (from its start day) or a campaign (from its first day).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplySop {
    pub sop_id: i64,
    #[serde(default)]
    pub event_id: Option<i64>,
    #[serde(default)]
    pub campaign_id: Option<i64>,
}

/// One post a template would plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SopPost {
    /// `{step} · {event or campaign}`.
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` in the community's zone.
    pub planned_local: String,
    pub channel_id: Option<i64>,
    /// Already in the past (it would be planned anyway, and show as late).
    pub past: bool,
}

/// The posts a template would plan around the event or campaign, without planning them: what
/// the manager sees before applying it.
pub fn preview(ctx: &Ctx, input: &ApplySop) -> Result<Vec<SopPost>> {
    let now = ctx.clock.now();
    let zone = super::zone();
    ctx.store.read(|r| {
        Ok(posts(r, input)?
            .into_iter()
            .map(|p| SopPost {
                planned_local: p
                    .at
                    .with_timezone(&zone)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
                past: p.at < now,
                title: p.title,
                channel_id: p.channel_id,
            })
            .collect())
    })
}

/// Plans one item per step of the template, linked to the event or campaign, in one
/// transaction.
pub fn apply(ctx: &Ctx, input: ApplySop) -> Result<Vec<ContentItem>> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let planned = posts(&w.read(), &input)?;
        let mut ids = Vec::with_capacity(planned.len());
        for p in &planned {
            let channels: Vec<i64> = p.channel_id.into_iter().collect();
            let id =
                super::insert_planned_in(w, &p.title, p.at, &channels, None, input.event_id, &now)?;
            if let Some(campaign) = input.campaign_id {
                table::set_item_campaign(w, id, campaign)?;
            }
            ids.push(id);
        }
        ids.into_iter()
            .map(|id| super::load(&w.read(), id))
            .collect()
    })
}

struct Post {
    title: String,
    at: DateTime<Utc>,
    channel_id: Option<i64>,
}

/// The template's steps dated from the event's start day or the campaign's first day.
fn posts(r: &Read<'_>, input: &ApplySop) -> Result<Vec<Post>> {
    let zone = super::zone();
    let sop = table::sops(r)?
        .into_iter()
        .find(|s| s.id == input.sop_id)
        .ok_or_else(|| Error::not_found("template", input.sop_id))?;
    let (anchor, name) = match (input.event_id, input.campaign_id) {
        (Some(event), None) => {
            let (starts_at, title) =
                table::event_start(r, event)?.ok_or_else(|| Error::not_found("event", event))?;
            let day = parse_stamp(&starts_at)
                .map(|t| t.with_timezone(&zone).date_naive())
                .ok_or_else(|| Error::not_found("event", event))?;
            (day, title)
        }
        (None, Some(campaign)) => {
            let (starts_on, name) = table::campaign_start(r, campaign)?
                .ok_or_else(|| Error::not_found("campaign", campaign))?;
            (super::parse_day("campaign_id", &starts_on)?, name)
        }
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "apply a template to one event or one campaign",
            )
            .with_field("event_id"))
        }
    };
    sop.steps
        .iter()
        .map(|step| {
            let day = anchor + Duration::days(i64::from(step.offset_days));
            let time = super::parse_time("steps", &step.time)?;
            Ok(Post {
                title: format!("{} · {name}", step.title)
                    .chars()
                    .take(200)
                    .collect(),
                at: recurrence::instant(day, time, zone),
                channel_id: step.channel_id,
            })
        })
        .collect()
}
