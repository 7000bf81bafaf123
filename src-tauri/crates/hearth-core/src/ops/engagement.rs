//! The engagement engine, first part: the activity log (kinds with points and daily caps), the
//! append-only points ledger with manual grants and deductions, levels by points, leaderboards
//! (7 days, 30 days, all time) and each member's lifecycle stage (stored and kept current by
//! `ops::lifecycle`: every write here that adds or voids activities refreshes the members it
//! touches in the same transaction). Event check-ins log "attended an event" (undoing the
//! check-in takes it back). [`log_many`] is the bulk path (imports, the demo): one validation,
//! daily caps counted in memory, one lifecycle refresh per member.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::ActivityKind;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::lifecycle::{self, Calc};
use crate::ops::Ctx;
use crate::store::engagement::{self as table, NewActivity};
use crate::store::lifecycle::{day_number, day_string, dense, live_of, parse_day};
use crate::store::{members, Read, Write};

pub use crate::domain::ActivityKind as Kind;

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

/// A kind of activity to add (no key) or change: names, the points one earns and the daily cap.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveKind {
    /// `None` adds a custom kind.
    #[serde(default)]
    pub key: Option<String>,
    pub name_zh: String,
    /// Falls back to the Chinese name when empty.
    #[serde(default)]
    pub name_en: String,
    pub points: i64,
    /// At most this many earn points per member per day; `None`: no cap.
    #[serde(default)]
    pub daily_cap: Option<u32>,
}

/// Adds a custom activity kind or changes one. Points already earned stay as the ledger has them;
/// the new points apply to what is logged from now on.
pub fn save_kind(ctx: &Ctx, input: SaveKind) -> Result<ActivityKind> {
    let name_zh = input.name_zh.trim();
    if name_zh.is_empty() {
        return Err(Error::required("name_zh"));
    }
    if name_zh.chars().count() > 40 || input.name_en.trim().chars().count() > 60 {
        return Err(Error::too_long("name_zh", 40));
    }
    if !(-10_000..=10_000).contains(&input.points) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "points are between -10,000 and 10,000",
        )
        .with_field("points"));
    }
    if input.daily_cap == Some(0) {
        return Err(
            Error::new(ErrorCode::InvalidInput, "a daily cap is at least 1")
                .with_field("daily_cap"),
        );
    }
    let name_en = match input.name_en.trim() {
        "" => name_zh.to_owned(),
        en => en.to_owned(),
    };
    ctx.store.write(|w| {
        let existing = table::kinds(&w.read())?;
        let kind = match &input.key {
            Some(key) => {
                let mut kind = table::kind(&w.read(), key)?.ok_or_else(|| unknown_kind(key))?;
                kind.name_zh = name_zh.to_owned();
                kind.name_en = name_en.clone();
                kind.points = input.points;
                kind.daily_cap = input.daily_cap;
                kind
            }
            None => {
                let n = (1..)
                    .find(|n| !existing.iter().any(|k| k.key == format!("custom_{n}")))
                    .unwrap_or(1);
                ActivityKind {
                    key: format!("custom_{n}"),
                    name_zh: name_zh.to_owned(),
                    name_en: name_en.clone(),
                    weight: 1.0,
                    points: input.points,
                    daily_cap: input.daily_cap,
                }
            }
        };
        let clash = existing
            .iter()
            .any(|k| k.key != kind.key && (k.name_zh == kind.name_zh || k.name_en == kind.name_en));
        if clash {
            return Err(Error::new(
                ErrorCode::NameTaken,
                format!("another activity kind is called “{}”", kind.name_zh),
            )
            .with_field("name_zh")
            .with_param("value", &kind.name_zh));
        }
        table::save_kind(w, &kind)?;
        Ok(kind)
    })
}

pub fn kinds(ctx: &Ctx) -> Result<Vec<ActivityKind>> {
    ctx.store.read(table::kinds)
}

/// Logs one kind of activity for several members in one transaction ("these 12 spoke today").
pub fn log(ctx: &Ctx, input: LogActivities) -> Result<Logged> {
    if input.member_ids.is_empty() {
        return Err(Error::required("members"));
    }
    let at = crate::clock::parse_past(
        input.occurred_at.as_deref(),
        ctx.clock.now(),
        ctx.clock.utc_offset(),
        "occurred_at",
    )?;
    let note = input.note.trim().to_owned();
    let rows: Vec<NewLog> = input
        .member_ids
        .iter()
        .map(|&member_id| NewLog {
            member_id,
            kind: input.kind.clone(),
            occurred_at: at,
            note: note.clone(),
            source: "manual".into(),
            reference: String::new(),
        })
        .collect();
    let out = log_many(ctx, rows)?;
    Ok(Logged {
        activity_ids: out.ids,
        points: out.points,
        capped: out.capped,
    })
}

/// One activity to log in bulk.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLog {
    pub member_id: i64,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub note: String,
    /// `manual`, `import`, `event`, `demo` …
    pub source: String,
    /// What it refers to, e.g. `event:12`; may be empty.
    pub reference: String,
}

/// What bulk logging did, row by row in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoggedMany {
    pub ids: Vec<i64>,
    /// Points each row earned (0 when capped or the kind earns none).
    pub earned: Vec<i64>,
    pub points: i64,
    /// Rows recorded without points because the member reached the kind's daily cap.
    pub capped: u32,
}

/// Logs many activities in one transaction, exactly as logging them one by one in this order
/// would (same daily caps, same ledger), but fast: kinds are checked once, the rewarded counts
/// of the days touched are read once per member and counted in memory, and each member's
/// lifecycle is refreshed once at the end. Any bad row refuses the whole batch, writing nothing.
pub fn log_many(ctx: &Ctx, rows: Vec<NewLog>) -> Result<LoggedMany> {
    let (now, offset) = (ctx.clock.now(), ctx.clock.utc_offset());
    // log_many_with refuses a row naming a member not live or a kind that does not exist
    // before it writes anything, and then only inserts rows and updates columns no key refers
    // to: SQLite need not look each reference up again.
    ctx.store
        .insert_prechecked(|w| log_many_in(w, &rows, now, offset))
}

/// [`log_many`] inside a caller's write (an activity import's transaction). `now` is the clock's
/// now: it stamps the rows, refuses future activities and is "today" for lifecycle stages.
pub fn log_many_in(
    w: &mut Write<'_>,
    rows: &[NewLog],
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Result<LoggedMany> {
    log_many_with(w, rows, now, offset, true)
}

/// [`log_many_in`], optionally without the lifecycle refresh (the demo replays the whole year's
/// stages afterwards instead).
pub(crate) fn log_many_with(
    w: &mut Write<'_>,
    rows: &[NewLog],
    now: DateTime<Utc>,
    offset: FixedOffset,
    refresh: bool,
) -> Result<LoggedMany> {
    if rows.is_empty() {
        return Ok(LoggedMany::default());
    }
    let now_stamp = stamp(now);
    let kinds = table::kinds(&w.read())?;
    // Validate everything before writing anything.
    let mut kind_of: Vec<u16> = Vec::with_capacity(rows.len());
    let mut last: Option<(&str, u16)> = None;
    for row in rows {
        let k = match last {
            Some((key, k)) if key == row.kind => k,
            _ => {
                let k = kinds
                    .iter()
                    .position(|k| k.key == row.kind)
                    .ok_or_else(|| unknown_kind(&row.kind))? as u16;
                last = Some((&row.kind, k));
                k
            }
        };
        kind_of.push(k);
        crate::clock::refuse_future(row.occurred_at, now, "occurred_at")?;
        if row.note.len() > 500 && row.note.chars().count() > 500 {
            return Err(Error::too_long("notes", 500));
        }
    }
    let mut members: Vec<i64> = rows.iter().map(|r| r.member_id).collect();
    members.sort_unstable();
    members.dedup();
    let live = live_of(&w.read(), &members)?;
    if live.len() != members.len() {
        let missing = members
            .iter()
            .zip(live.iter().map(|(id, _)| *id).chain(std::iter::repeat(0)))
            .find(|(want, got)| *want != got)
            .map_or(0, |(want, _)| *want);
        return Err(Error::not_found("member", missing));
    }
    // Local day of each row, and the days each member's capped rows touch.
    let offset_secs = i64::from(offset.local_minus_utc());
    let days: Vec<i32> = rows
        .iter()
        .map(|r| (r.occurred_at.timestamp() + offset_secs).div_euclid(86_400) as i32)
        .collect();
    let mut span: HashMap<i64, (i32, i32)> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if kinds[kind_of[i] as usize].daily_cap.is_some() {
            let e = span.entry(row.member_id).or_insert((days[i], days[i]));
            e.0 = e.0.min(days[i]);
            e.1 = e.1.max(days[i]);
        }
    }
    // Activities that already earned points, per (member, kind, day).
    let mut rewarded: HashMap<(i64, u16, i32), u32> = HashMap::new();
    let kind_index = |key: &str| kinds.iter().position(|k| k.key == key).map(|k| k as u16);
    let capped_members: Vec<i64> = {
        let mut ids: Vec<i64> = span.keys().copied().collect();
        ids.sort_unstable();
        ids
    };
    match dense(&capped_members) {
        Some(range) => {
            let from = span.values().map(|s| s.0).min().unwrap_or_default();
            let to = span.values().map(|s| s.1).max().unwrap_or_default();
            let (from, to) = (day_string(from), day_string(to));
            table::rewarded_in_range(&w.read(), range, (&from, &to), |m, kind, day, n| {
                if let (Some(k), Some(d)) = (kind_index(kind), parse_day(day.as_bytes())) {
                    rewarded.insert((m, k, d), n);
                }
            })?;
        }
        None => {
            for (&member_id, &(from, to)) in &span {
                let (from, to) = (day_string(from), day_string(to));
                table::rewarded_between(&w.read(), member_id, &from, &to, |kind, day, n| {
                    if let (Some(k), Some(d)) = (kind_index(kind), parse_day(day.as_bytes())) {
                        rewarded.insert((member_id, k, d), n);
                    }
                })?;
            }
        }
    }
    // Ids as SQLite would give them row by row, so the result is the same as logging one by one.
    let (first_activity, mut next_points) = table::next_ids(&w.read())?;
    let mut day_text: HashMap<i32, String> = HashMap::new();
    for &d in &days {
        day_text.entry(d).or_insert_with(|| day_string(d));
    }
    let stamps: Vec<String> = rows.iter().map(|r| stamp(r.occurred_at)).collect();
    let mut inserts = Vec::with_capacity(rows.len());
    let mut ledger = Vec::with_capacity(rows.len());
    let mut out = LoggedMany {
        ids: Vec::with_capacity(rows.len()),
        earned: Vec::with_capacity(rows.len()),
        ..Default::default()
    };
    for (i, row) in rows.iter().enumerate() {
        let kind = &kinds[kind_of[i] as usize];
        let id = first_activity + i as i64;
        let points = match kind.daily_cap {
            Some(cap) => {
                let n = rewarded
                    .entry((row.member_id, kind_of[i], days[i]))
                    .or_insert(0);
                if *n >= cap {
                    0
                } else {
                    if kind.points != 0 {
                        *n += 1;
                    }
                    kind.points
                }
            }
            None => kind.points,
        };
        inserts.push(table::ActivityInsert {
            id,
            member_id: row.member_id,
            kind: &kind.key,
            occurred_at: &stamps[i],
            day: &day_text[&days[i]],
            source: &row.source,
            reference: &row.reference,
            note: &row.note,
            points,
        });
        if points != 0 {
            ledger.push((next_points, row.member_id, points, id));
            next_points += 1;
        } else if kind.points != 0 {
            out.capped += 1;
        }
        out.ids.push(id);
        out.earned.push(points);
        out.points += points;
    }
    table::insert_activities(w, &inserts, &now_stamp)?;
    table::insert_activity_points(w, &ledger, &now_stamp)?;
    if refresh {
        let today = now.with_timezone(&offset).date_naive();
        lifecycle::refresh_in(w, &members, today, &now_stamp)?;
    }
    crate::ops::rewards::evaluate_in(w, &members, &now_stamp)?;
    Ok(out)
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
    crate::ops::rewards::evaluate_in(w, &[member_id], now)?;
    Ok((id, points))
}

/// Takes activities back (Undo of a quick log): each is marked void and the points it earned are
/// reversed by a new ledger row. Returns the points taken back.
pub fn undo(ctx: &Ctx, activity_ids: Vec<i64>) -> Result<i64> {
    let now = ctx.now_stamp();
    let today = ctx.clock.today();
    ctx.store.write(|w| {
        let mut total = 0;
        let mut touched = Vec::new();
        for id in activity_ids {
            touched.extend(table::live_activity_member(&w.read(), id)?);
            total += void_in(w, id, &now)?;
        }
        lifecycle::refresh_in(w, &touched, today, &now)?;
        Ok(total)
    })
}

pub(crate) fn void_in(w: &mut Write<'_>, activity_id: i64, now: &str) -> Result<i64> {
    match table::void_activity(w, activity_id, now)? {
        Some((member_id, held)) => {
            if held != 0 {
                table::insert_points(w, member_id, -held, "reversal", Some(activity_id), "", now)?;
            }
            crate::ops::rewards::evaluate_in(w, &[member_id], now)?;
            Ok(held)
        }
        None => Ok(0),
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
        None if !live.is_empty() => {
            for id in live {
                void_in(w, id, now)?;
            }
        }
        _ => return Ok(()),
    }
    match lifecycle::local_day(now, offset) {
        Some(today) => lifecycle::refresh_in(w, &[member_id], today, now),
        None => Ok(()),
    }
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
        crate::ops::rewards::evaluate_in(w, &[input.member_id], &now)?;
        table::balance(&w.read(), input.member_id)
    })
}

pub use crate::domain::Stage;

/// The computed stage of one day under the default rules, in the spirit of Orbit's presence
/// milestones. `active_days` are the active days in the last 7, 30 and 90 days.
pub fn stage_for(
    joined: Option<NaiveDate>,
    active_days: [u32; 3],
    last_active: Option<NaiveDate>,
    today: NaiveDate,
) -> Stage {
    stage_with(
        &lifecycle::Rules::default(),
        joined,
        active_days,
        last_active,
        today,
    )
}

/// [`stage_for`] under the given rules (what `ops::lifecycle` applies to every day).
pub fn stage_with(
    rules: &lifecycle::Rules,
    joined: Option<NaiveDate>,
    active_days: [u32; 3],
    last_active: Option<NaiveDate>,
    today: NaiveDate,
) -> Stage {
    Calc::new(rules.clone(), today).stage_for(
        joined.map(day_number),
        active_days,
        last_active.map(day_number),
        day_number(today),
    )
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
    /// The stage everyone sees: the manager's override if set, else the stored stage (promoted
    /// at once, demoted slowly; see `ops::lifecycle`).
    pub stage: Stage,
    /// The stage is the manager's override.
    pub stage_overridden: bool,
    /// The manager's flag if set, else the rule (enough "voice" activities lately).
    pub opinion_leader: bool,
    /// Active days in the last 7 / 30 / 90 days (a day is active when its activities' weights
    /// reach the rules' `day_weight`).
    pub active_days: [u32; 3],
    /// `YYYY-MM-DD`, local: the last active day.
    pub last_active: Option<String>,
}

pub fn of_member(ctx: &Ctx, member_id: i64) -> Result<Engagement> {
    of_members(ctx, &[member_id]).map(|mut all| all.remove(0))
}

/// Engagement of several members (a page of the member list).
pub fn of_members(ctx: &Ctx, ids: &[i64]) -> Result<Vec<Engagement>> {
    let today = ctx.clock.today();
    ctx.store.read(|r| {
        let calc = lifecycle::calc_in(r, today)?;
        let levels = table::levels(r)?;
        ids.iter()
            .map(|id| engagement_in(r, &calc, &levels, *id))
            .collect()
    })
}

fn engagement_in(
    r: &Read<'_>,
    calc: &Calc,
    levels: &[(i64, String, String)],
    member_id: i64,
) -> Result<Engagement> {
    let (a, row) = lifecycle::assess_in(r, calc, member_id)?;
    let (stage, opinion_leader, stage_overridden) =
        lifecycle::effective_in(calc, member_id, &a, row.as_ref());
    let points = table::balance(r, member_id)?;
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
    Ok(Engagement {
        member_id,
        points,
        level_zh,
        level_en,
        to_next_level,
        stage,
        stage_overridden,
        opinion_leader,
        active_days: a.active_days,
        last_active: a.last_active.map(day_string),
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

/// Points earned in the window, best first (ties share a rank). Refused with `LeaderboardsOff`
/// when the manager switched leaderboards off (`ops::rewards::engagement_settings`).
pub fn leaderboard(ctx: &Ctx, window: Window, limit: u32) -> Result<Vec<Standing>> {
    crate::ops::rewards::ensure_leaderboards_on(ctx)?;
    // "The last 7 days" are today and the 6 local days before it, as everywhere else.
    let days = match window {
        Window::Days7 => Some(7),
        Window::Days30 => Some(30),
        Window::AllTime => None,
    };
    let since = days.map(|n| {
        let first = ctx.clock.today() - Duration::days(n - 1);
        let start = first
            .and_time(chrono::NaiveTime::MIN)
            .and_local_timezone(ctx.clock.utc_offset())
            .single()
            .map_or_else(|| ctx.clock.now(), |t| t.with_timezone(&Utc));
        (first.to_string(), stamp(start))
    });
    let rows = ctx.store.read(|r| {
        let since = since.as_ref().map(|(d, s)| (d.as_str(), s.as_str()));
        table::leaderboard(r, since, limit.clamp(1, 500))
    })?;
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

pub(crate) use member_data::MEMBER_DATA;

/// What a member's lifecycle does to their activities and points (registered in
/// `ops::consequences`).
mod member_data {
    use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
    use crate::store::engagement;

    /// Activities and ledger rows go with the member kept by a merge (and back on undo); the
    /// trash keeps them (leaderboards and balances count live members only).
    pub(crate) const MEMBER_DATA: Feature = Feature {
        name: "engagement",
        tables: &[
            MemberTable::new("activities", Rows::Moved, Rows::Kept),
            MemberTable::new("points_ledger", Rows::Moved, Rows::Kept),
        ],
        moves: Some(MergeMoves {
            move_rows: engagement::move_on_merge,
            move_back: |w, merge, merged, _| engagement::unmove_on_merge(w, merge, merged),
        }),
        react: unaffected,
    };
}
