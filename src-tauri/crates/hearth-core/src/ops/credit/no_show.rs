//! The door's no-show strikes: one `no_show` deduction per event while a member is marked a
//! no-show there, voided again when the mark is taken back.
//!
//! Deliberately absent: deciding who is a no-show and reading the event (the door in
//! `ops::events` does both and passes the event in), and any manual deduction (`scores`).
//! Credit never uses `ops::events`.

use chrono::{DateTime, Duration, Utc};

use super::NO_SHOW;
use crate::clock::stamp;
use crate::domain::Event;
use crate::error::Result;
use crate::store::credit::{self as table, NewEntry};
use crate::store::Write;

/// Keeps the no-show strike in step with a registration inside the door's write: one live
/// `no_show` entry (source `event`, ref `event:<id>`) while the member is marked a no-show,
/// none otherwise (voided, so Undo takes back exactly the strikes it gave). `missed` is the
/// event when the member is marked a no-show at it (the caller reads it), `None` when they are
/// not. The strike happens when the event ended (or now, if it has not), with its evidence
/// written out. No strike when the `no_show` rule is retired.
pub(crate) fn sync_no_show(
    w: &mut Write<'_>,
    event_id: i64,
    member_id: i64,
    missed: Option<&Event>,
    now: DateTime<Utc>,
) -> Result<()> {
    let reference = format!("event:{event_id}");
    let live = table::live_event_entries(&w.read(), member_id, NO_SHOW, &reference)?;
    let now_stamp = stamp(now);
    let Some(event) = missed else {
        for id in live {
            table::void_entry(w, id, &now_stamp)?;
        }
        return Ok(());
    };
    if !live.is_empty() {
        return Ok(());
    }
    let Some(rule) = table::rule(&w.read(), NO_SHOW)?.filter(|r| r.active) else {
        return Ok(());
    };
    let Some(points) = rule.points else {
        return Ok(());
    };
    let at = DateTime::parse_from_rfc3339(&event.ends_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
        .min(now);
    let day = event.starts_local.get(..10).unwrap_or_default();
    let evidence = format!(
        "报名「{title}」（{day}）未到场 / No-show at {title} ({day})",
        title = event.title
    );
    let expires_at = rule.expiry_days.map(|d| stamp(at + Duration::days(d)));
    table::insert_entry(
        w,
        &NewEntry {
            member_id,
            rule_key: NO_SHOW,
            points,
            evidence: &evidence,
            channel_id: rule.channel_id,
            rule_ref: &rule.rule_ref,
            occurred_at: &stamp(at),
            expires_at: expires_at.as_deref(),
            source: "event",
            reference: &reference,
        },
        &now_stamp,
    )?;
    Ok(())
}
