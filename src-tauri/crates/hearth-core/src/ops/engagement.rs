//! The engagement engine, first part: the activity log (kinds with points and daily caps), the
//! append-only points ledger with manual grants and deductions, levels by points, leaderboards
//! (7 days, 30 days, all time) and each member's lifecycle stage, computed from their active days
//! with the clock passed in. Event check-ins log "attended an event" (undoing the check-in takes
//! it back).
//!
//! Not here yet (later parts of the engine): badges, invite claw-back, redemption, the credit
//! score with deductions and appeals, stage history with slow demotion and manual overrides, the
//! Today list.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::engagement::{self as table, ActivityKind, NewActivity};
use crate::store::{members, Read, Write};

pub use crate::store::engagement::ActivityKind as Kind;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogActivities {
    pub member_ids: Vec<i64>,
    pub kind: String,
    /// RFC 3339; now when absent.
    #[serde(default)]
    pub occurred_at: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// What logging did: the new activities (for Undo) and the points they earned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Logged {
    pub activity_ids: Vec<i64>,
    pub points: i64,
    /// Activities recorded without points because the member reached the kind's daily cap.
    pub capped: u32,
}

pub fn kinds(ctx: &Ctx) -> Result<Vec<ActivityKind>> {
    ctx.store.read(table::kinds)
}

/// Logs one kind of activity for several members in one transaction ("these 12 spoke today").
pub fn log(ctx: &Ctx, input: LogActivities) -> Result<Logged> {
    if input.member_ids.is_empty() {
        return Err(Error::required("members"));
    }
    let at = match input.occurred_at.as_deref().map(str::trim) {
        None | Some("") => ctx.clock.now(),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                Error::new(
                    ErrorCode::InvalidDate,
                    format!("“{s}” is not a date and time"),
                )
                .with_field("occurred_at")
                .with_param("value", s)
            })?,
    };
    if at > ctx.clock.now() + Duration::minutes(5) {
        return Err(Error::new(
            ErrorCode::InvalidDate,
            "an activity cannot happen in the future",
        )
        .with_field("occurred_at")
        .with_param("value", stamp(at)));
    }
    let offset = ctx.clock.utc_offset();
    let now = ctx.now_stamp();
    let note = input.note.trim().to_owned();
    if note.chars().count() > 500 {
        return Err(Error::too_long("notes", 500));
    }
    ctx.store.write(|w| {
        let kind = table::kind(&w.read(), &input.kind)?.ok_or_else(|| unknown_kind(&input.kind))?;
        let mut out = Logged::default();
        for member_id in &input.member_ids {
            if members::get(&w.read(), *member_id)?.is_none() {
                return Err(Error::not_found("member", *member_id));
            }
            let (id, points) = log_in(
                w,
                *member_id,
                &kind,
                at,
                offset,
                Source {
                    source: "manual",
                    reference: "",
                    note: &note,
                },
                &now,
            )?;
            out.activity_ids.push(id);
            out.points += points;
            if points == 0 && kind.points != 0 {
                out.capped += 1;
            }
        }
        Ok(out)
    })
}

fn unknown_kind(key: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("“{key}” is not an activity kind"),
    )
    .with_field("kind")
    .with_param("value", key)
}

pub(crate) struct Source<'a> {
    pub source: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
}

/// Records one activity and its points inside a write; the daily cap counts activities of the
/// same kind that already earned points on the member's local day. Returns (id, points earned).
pub(crate) fn log_in(
    w: &mut Write<'_>,
    member_id: i64,
    kind: &ActivityKind,
    at: DateTime<Utc>,
    offset: FixedOffset,
    from: Source<'_>,
    now: &str,
) -> Result<(i64, i64)> {
    let day = at.with_timezone(&offset).date_naive().to_string();
    let rewarded = table::rewarded_on(&w.read(), member_id, &kind.key, &day)?;
    let id = table::insert_activity(
        w,
        &NewActivity {
            member_id,
            kind: &kind.key,
            occurred_at: &stamp(at),
            day: &day,
            source: from.source,
            reference: from.reference,
            note: from.note,
        },
        now,
    )?;
    let capped = kind.daily_cap.is_some_and(|cap| rewarded >= cap);
    let points = if capped { 0 } else { kind.points };
    if points != 0 {
        table::insert_points(w, member_id, points, "activity", Some(id), "", now)?;
    }
    Ok((id, points))
}

/// Takes activities back (Undo of a quick log): each is marked void and the points it earned are
/// reversed by a new ledger row. Returns the points taken back.
pub fn undo(ctx: &Ctx, activity_ids: Vec<i64>) -> Result<i64> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let mut total = 0;
        for id in activity_ids {
            total += void_in(w, id, &now)?;
        }
        Ok(total)
    })
}

pub(crate) fn void_in(w: &mut Write<'_>, activity_id: i64, now: &str) -> Result<i64> {
    match table::void_activity(w, activity_id, now)? {
        Some((member_id, held)) if held != 0 => {
            table::insert_points(w, member_id, -held, "reversal", Some(activity_id), "", now)?;
            Ok(held)
        }
        _ => Ok(0),
    }
}

/// Keeps "attended an event" in step with the door: one live activity while the member counts
/// as having come, none otherwise.
pub(crate) fn sync_attendance(
    w: &mut Write<'_>,
    event_id: i64,
    member_id: i64,
    came_at: Option<DateTime<Utc>>,
    offset: FixedOffset,
    now: &str,
) -> Result<()> {
    let reference = format!("event:{event_id}");
    let live = table::live_by_ref(&w.read(), member_id, &reference)?;
    match came_at {
        Some(at) if live.is_empty() => {
            if let Some(kind) = table::kind(&w.read(), "attended_event")? {
                log_in(
                    w,
                    member_id,
                    &kind,
                    at,
                    offset,
                    Source {
                        source: "event",
                        reference: &reference,
                        note: "",
                    },
                    now,
                )?;
            }
        }
        None => {
            for id in live {
                void_in(w, id, now)?;
            }
        }
        Some(_) => {}
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AdjustPoints {
    pub member_id: i64,
    /// Positive grants, negative deducts.
    pub delta: i64,
    /// Why (required: the ledger keeps it).
    pub reason: String,
}

/// A manual grant or deduction with its reason; returns the new balance.
pub fn adjust(ctx: &Ctx, input: AdjustPoints) -> Result<i64> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(Error::required("reason"));
    }
    if input.delta == 0 || input.delta.abs() > 100_000 {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "points must be a non-zero number up to 100,000",
        )
        .with_field("delta"));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if members::get(&w.read(), input.member_id)?.is_none() {
            return Err(Error::not_found("member", input.member_id));
        }
        let kind = if input.delta > 0 { "grant" } else { "deduct" };
        table::insert_points(w, input.member_id, input.delta, kind, None, reason, &now)?;
        table::balance(&w.read(), input.member_id)
    })
}

/// Where a member is in the community's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Active,
    Loyal,
    Core,
    Dormant,
    Churned,
}

/// The default stage rules, in the spirit of Orbit's presence milestones. `active_days` are the
/// distinct days with any activity in the last 7, 30 and 90 days.
pub fn stage_for(
    joined: Option<NaiveDate>,
    active_days: [u32; 3],
    last_active: Option<NaiveDate>,
    today: NaiveDate,
) -> Stage {
    let [week, month, quarter] = active_days;
    if month >= 7 && quarter >= 20 {
        return Stage::Core;
    }
    if month >= 7 {
        return Stage::Loyal;
    }
    if week >= 2 || month >= 4 {
        return Stage::Active;
    }
    let recent_join = joined.is_some_and(|j| today - j <= Duration::days(30));
    match last_active {
        _ if recent_join => Stage::New,
        Some(day) if today - day <= Duration::days(30) => Stage::Active,
        Some(day) if today - day <= Duration::days(90) => Stage::Dormant,
        Some(_) => Stage::Churned,
        // Never active: quiet, not gone.
        None => Stage::Dormant,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Engagement {
    pub member_id: i64,
    pub points: i64,
    pub level_zh: String,
    pub level_en: String,
    /// Points still needed for the next level (`None` at the top).
    pub to_next_level: Option<i64>,
    pub stage: Stage,
    /// Distinct active days in the last 7 / 30 / 90 days.
    pub active_days: [u32; 3],
    /// `YYYY-MM-DD`, local.
    pub last_active: Option<String>,
}

pub fn of_member(ctx: &Ctx, member_id: i64) -> Result<Engagement> {
    let today = ctx.clock.today();
    ctx.store.read(|r| engagement_in(r, member_id, today))
}

/// Engagement of several members (a page of the member list).
pub fn of_members(ctx: &Ctx, ids: &[i64]) -> Result<Vec<Engagement>> {
    let today = ctx.clock.today();
    ctx.store
        .read(|r| ids.iter().map(|id| engagement_in(r, *id, today)).collect())
}

fn engagement_in(r: &Read<'_>, member_id: i64, today: NaiveDate) -> Result<Engagement> {
    let member =
        members::get(r, member_id)?.ok_or_else(|| Error::not_found("member", member_id))?;
    let points = table::balance(r, member_id)?;
    let levels = table::levels(r)?;
    let (level_zh, level_en) = levels
        .iter()
        .rev()
        .find(|(threshold, _, _)| points >= *threshold)
        .map(|(_, zh, en)| (zh.clone(), en.clone()))
        .unwrap_or_default();
    let to_next_level = levels
        .iter()
        .find(|(threshold, _, _)| *threshold > points)
        .map(|(threshold, _, _)| threshold - points);
    let day = |d: i64| (today - Duration::days(d - 1)).to_string();
    let (since_7, since_30, since_90) = (day(7), day(30), day(90));
    let (active_days, last) = table::presence(r, member_id, [&since_7, &since_30, &since_90])?;
    let last_active = last.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    let joined = member
        .joined_at
        .as_deref()
        .and_then(|j| DateTime::parse_from_rfc3339(j).ok())
        .map(|j| j.date_naive());
    Ok(Engagement {
        member_id,
        points,
        level_zh,
        level_en,
        to_next_level,
        stage: stage_for(joined, active_days, last_active, today),
        active_days,
        last_active: last,
    })
}

/// Leaderboard windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Window {
    Days7,
    Days30,
    AllTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Standing {
    pub rank: u32,
    pub member_id: i64,
    pub display_name: String,
    pub points: i64,
}

/// Points earned in the window, best first (ties share a rank).
pub fn leaderboard(ctx: &Ctx, window: Window, limit: u32) -> Result<Vec<Standing>> {
    let since = match window {
        Window::Days7 => Some(stamp(ctx.clock.now() - Duration::days(7))),
        Window::Days30 => Some(stamp(ctx.clock.now() - Duration::days(30))),
        Window::AllTime => None,
    };
    let rows = ctx
        .store
        .read(|r| table::leaderboard(r, since.as_deref(), limit.clamp(1, 500)))?;
    let mut out: Vec<Standing> = Vec::with_capacity(rows.len());
    for (i, (member_id, display_name, points)) in rows.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == points => prev.rank,
            _ => i as u32 + 1,
        };
        out.push(Standing {
            rank,
            member_id,
            display_name,
            points,
        });
    }
    Ok(out)
}
