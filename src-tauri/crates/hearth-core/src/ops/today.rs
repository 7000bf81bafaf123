//! The Today list: what needs the manager this morning. Members slipping away (they were
//! active, then nothing for a while), birthdays of the coming days, appeals waiting for a
//! decision, members whose credit fell into a worse tier, and follow-ups that are due. Every
//! item names its member so one click opens them; all of it is computed from the clock passed in.
//!
//! Today stays actionable at any size: campaign tasks due today or overdue come first, then
//! follow-ups and appeals; birthdays and slipping members are only those of the members who
//! matter — core or loyal (the lifecycle stage), opinion leaders, or the members of a segment the
//! manager picks in Settings — and the header counts only what can be acted on today.
//!
//! Follow-ups are the manager's own promises ("call back about the venue on Tuesday"): added on
//! a member, due on a local day, ticked off (and un-ticked: the Undo).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use std::collections::HashSet;

use crate::domain::{ChannelGap, ChannelOverload, Task};
use crate::ops::campaigns;
use crate::ops::content::{self, CalendarQuery, ContentQuery};
use crate::ops::credit::{self, NeedingAction, PendingAppeal};
use crate::ops::lifecycle::{self, Slipping, SlippingMember};
use crate::ops::{segments, Ctx};
use crate::store::members;
use crate::store::segments as segment_table;
use crate::store::settings as settings_table;
use crate::store::today::{self as table};

pub use crate::domain::FollowUp;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddFollowUp {
    pub member_id: i64,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub note: String,
}

/// Adds a follow-up; a due day in the past is allowed (it is due at once).
pub fn add_followup(ctx: &Ctx, input: AddFollowUp) -> Result<FollowUp> {
    let note = input.note.trim();
    if note.is_empty() {
        return Err(Error::required("note"));
    }
    if note.chars().count() > 500 {
        return Err(Error::too_long("note", 500));
    }
    let due = input.due_on.trim();
    let due_on = NaiveDate::parse_from_str(due, "%Y-%m-%d").map_err(|_| {
        Error::new(ErrorCode::InvalidDate, format!("“{due}” is not a date"))
            .with_field("due_on")
            .with_param("value", due)
    })?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if members::get(&w.read(), input.member_id)?.is_none() {
            return Err(Error::not_found("member", input.member_id));
        }
        let id = table::insert_followup(w, input.member_id, &due_on.to_string(), note, &now)?;
        table::get_followup(&w.read(), id)?.ok_or_else(|| Error::not_found("follow-up", id))
    })
}

/// Ticks a follow-up off (`done: true`) or opens it again (`false`, the Undo).
pub fn set_followup_done(ctx: &Ctx, id: i64, done: bool) -> Result<FollowUp> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if !table::set_done(w, id, done.then_some(now.as_str()))? {
            return Err(Error::not_found("follow-up", id));
        }
        table::get_followup(&w.read(), id)?.ok_or_else(|| Error::not_found("follow-up", id))
    })
}

pub fn member_followups(ctx: &Ctx, member_id: i64) -> Result<Vec<FollowUp>> {
    ctx.store.read(|r| table::of_member(r, member_id))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Birthday {
    pub member_id: i64,
    pub member_name: String,
    /// The day it falls on this time, `YYYY-MM-DD`.
    pub on: String,
    /// 0 today, 1 tomorrow, …
    pub in_days: u32,
    /// The age they turn, when the year is known.
    pub turns: Option<u32>,
}

/// Birthdays from today through `days - 1` days ahead. A 29 February birthday is kept on
/// 28 February in other years.
pub fn birthdays(ctx: &Ctx, days: u32) -> Result<Vec<Birthday>> {
    birthdays_limited(ctx, days, BIRTHDAYS_PER_DAY)
}

/// Birthdays read per day for [`birthdays`].
const BIRTHDAYS_PER_DAY: u32 = 200;

fn birthdays_limited(ctx: &Ctx, days: u32, per_day: u32) -> Result<Vec<Birthday>> {
    let today = ctx.clock.today();
    let days = days.clamp(1, 31);
    let mut keys = Vec::new();
    for offset in 0..days {
        let day = today + Duration::days(i64::from(offset));
        keys.push((day.format("%m-%d").to_string(), day, offset));
        let leap_day_missing = day.month() == 2
            && day.day() == 28
            && NaiveDate::from_ymd_opt(day.year(), 2, 29).is_none();
        if leap_day_missing {
            keys.push(("02-29".to_owned(), day, offset));
        }
    }
    let month_days: Vec<String> = keys.iter().map(|(k, _, _)| k.clone()).collect();
    let rows = ctx
        .store
        .read(|r| table::birthdays_on(r, &month_days, per_day))?;
    let mut out: Vec<Birthday> = rows
        .into_iter()
        .filter_map(|(member_id, member_name, birthday)| {
            let md = birthday.get(birthday.len().saturating_sub(5)..)?.to_owned();
            let (_, on, in_days) = keys.iter().find(|(k, _, _)| *k == md)?;
            let turns = birthday
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .and_then(|y| u32::try_from(on.year() - y).ok());
            Some(Birthday {
                member_id,
                member_name,
                on: on.to_string(),
                in_days: *in_days,
                turns,
            })
        })
        .collect();
    out.sort_by_key(|b| b.in_days);
    Ok(out)
}

/// Members who were active (or more) and have been quiet this many days show as slipping away.
pub const SLIPPING_AFTER_DAYS: u32 = 14;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Today {
    /// `YYYY-MM-DD`, the manager's local day the list is for.
    pub day: String,
    /// What can be acted on today: tasks, follow-ups and appeals due, members whose credit
    /// crossed a tier, slipping members who matter, and today's birthdays of members who matter.
    pub actionable: u32,
    /// Open campaign tasks due today or overdue, the oldest first.
    pub tasks: Vec<Task>,
    /// The segment whose members matter besides core, loyal and opinion leaders (Settings).
    pub matter_segment: Option<i64>,
    pub followups: Vec<FollowUp>,
    /// Birthdays of the coming week of the members who matter.
    pub birthdays: Vec<Birthday>,
    /// Of the members who matter: were active, loyal or core; quiet for more than `slipping_days` (most valuable first).
    pub slipping: Vec<SlippingMember>,
    pub slipping_days: u32,
    /// Appeals waiting for a decision, oldest first.
    pub appeals: Vec<PendingAppeal>,
    /// Members whose credit fell into a worse tier in the last days, and who is in each tier.
    pub credit: NeedingAction,
    /// Content channels with nothing planned in the coming [`CONTENT_DAYS`] days.
    pub content_gaps: Vec<ChannelGap>,
    /// Days of the coming [`CONTENT_DAYS`] with more posts in one channel than its limit.
    pub content_overloads: Vec<ChannelOverload>,
}

/// How far ahead Today looks for gaps and overload in the content plan.
pub const CONTENT_DAYS: u32 = 7;

/// The settings key of the segment whose members matter on Today.
pub const MATTER_SEGMENT_KEY: &str = "today.matter_segment";

/// Picks the segment whose members matter on Today besides core, loyal and opinion leaders
/// (`None`: just those).
pub fn set_matter_segment(ctx: &Ctx, segment: Option<i64>) -> Result<Option<i64>> {
    ctx.store.write(|w| {
        match segment {
            Some(id) => {
                segment_table::get(&w.read(), id)?;
                settings_table::set(w, MATTER_SEGMENT_KEY, &id.to_string())?;
            }
            None => settings_table::remove(w, MATTER_SEGMENT_KEY)?,
        }
        Ok(segment)
    })
}

fn matter_segment(ctx: &Ctx) -> Result<Option<i64>> {
    ctx.store.read(|r| {
        let Some(id) = settings_table::get(r, MATTER_SEGMENT_KEY)?.and_then(|v| v.parse().ok())
        else {
            return Ok(None);
        };
        // A segment deleted since is no choice at all.
        Ok(segment_table::list(r)?
            .iter()
            .any(|s| s.id == id)
            .then_some(id))
    })
}

/// Of `ids`, the members who matter: core or loyal, opinion leaders, or in the picked segment.
fn who_matters(ctx: &Ctx, ids: &[i64], segment: Option<i64>) -> Result<HashSet<i64>> {
    let mut out = ctx.store.read(|r| table::core_loyal_or_leader(r, ids))?;
    if let Some(id) = segment {
        let selection = segments::selection(ctx, None, Some(id))?;
        let wanted: HashSet<i64> = ids.iter().copied().collect();
        let members = ctx
            .store
            .read(|r| segment_table::matching_ids(r, &selection, "", "m.id"))?;
        out.extend(members.into_iter().filter(|m| wanted.contains(m)));
    }
    Ok(out)
}

/// Everything on the Today list.
pub fn today(ctx: &Ctx) -> Result<Today> {
    let day = ctx.clock.today().to_string();
    let followups = ctx.store.read(|r| table::due(r, &day, 200))?;
    let tasks = campaigns::due_tasks(ctx, 200)?;
    let segment = matter_segment(ctx)?;
    let mut birthdays = birthdays_limited(ctx, 7, u32::MAX)?;
    let mut slipping = lifecycle::slipping(
        ctx,
        Slipping {
            days: SLIPPING_AFTER_DAYS,
            limit: 500,
        },
    )?;
    let ids: Vec<i64> = birthdays
        .iter()
        .map(|b| b.member_id)
        .chain(slipping.iter().map(|s| s.member_id))
        .collect();
    let matters = who_matters(ctx, &ids, segment)?;
    birthdays.retain(|b| matters.contains(&b.member_id));
    birthdays.truncate(BIRTHDAYS_PER_DAY as usize);
    slipping.retain(|s| matters.contains(&s.member_id));
    slipping.truncate(50);
    let appeals = credit::pending_appeals(ctx)?;
    let credit = credit::needing_action(ctx)?;
    let plan = content_ahead(ctx)?;
    let actionable = tasks.len()
        + followups.len()
        + appeals.len()
        + credit.crossed.len()
        + slipping.len()
        + birthdays.iter().filter(|b| b.in_days == 0).count();
    Ok(Today {
        day,
        actionable: actionable as u32,
        tasks,
        matter_segment: segment,
        followups,
        birthdays,
        slipping,
        slipping_days: SLIPPING_AFTER_DAYS,
        appeals,
        credit,
        content_gaps: plan.gaps,
        content_overloads: plan.overloads,
    })
}

/// The content plan of today and the coming days: its gaps and overloaded days.
fn content_ahead(ctx: &Ctx) -> Result<crate::domain::ContentCalendar> {
    let from = content::today(ctx);
    let to = from + Duration::days(i64::from(CONTENT_DAYS) - 1);
    content::calendar(
        ctx,
        &CalendarQuery {
            query: ContentQuery {
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                ..Default::default()
            },
            gap_days: Some(CONTENT_DAYS),
        },
    )
}

pub(crate) use member_data::MEMBER_DATA;

/// What a member's lifecycle does to their follow-ups (registered in `ops::consequences`).
mod member_data {
    use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
    use crate::store::today;

    /// Follow-ups go with the member kept by a merge and come back with its undo; the trash
    /// keeps them (Today lists live members only).
    pub(crate) const MEMBER_DATA: Feature = Feature {
        name: "today",
        tables: &[MemberTable::new("followups", Rows::Moved, Rows::Kept)],
        moves: Some(MergeMoves {
            move_rows: today::move_on_merge,
            move_back: |w, merge, merged, _| today::unmove_on_merge(w, merge, merged),
        }),
        react: unaffected,
    };
}
