//! The credit score's tables: channels and their 群规, deduction rules, tiers, deductions
//! (`credit_entries`) and appeals. Rows in, rows out; validation, statuses and tiers are decided
//! in `ops::credit`.
//!
//! A score is never stored. "Deducted at instant t" is the sum of the points of the entries that
//! were in force at t, as the records stood at t: recorded by then (`created_at <= t`), happened
//! by then, not voided (a voided entry was a mistake and never counts), not yet expired
//! (`expires_at > t`), and not overturned by an appeal decided by then. Every timestamp is a
//! fixed-width UTC stamp, so these comparisons are plain text comparisons.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{Appeal, AppealStatus, Channel, CreditRule, Platform, Tier, TierAction};
use crate::error::{Error, ErrorCode, Result};

// The words these domain enums are stored as, read back.

impl Platform {
    fn parse(s: &str) -> Platform {
        match s {
            "wechat" => Platform::Wechat,
            "qq" => Platform::Qq,
            "forum" => Platform::Forum,
            _ => Platform::Other,
        }
    }
}

impl TierAction {
    fn parse(s: &str) -> TierAction {
        match s {
            "remove" => TierAction::Remove,
            "restricted" => TierAction::Restricted,
            _ => TierAction::Warning,
        }
    }
}

impl AppealStatus {
    fn parse(s: &str) -> AppealStatus {
        match s {
            "upheld" => AppealStatus::Upheld,
            "overturned" => AppealStatus::Overturned,
            _ => AppealStatus::Pending,
        }
    }
}

/// One deduction as stored, with its rule's and channel's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub member_id: i64,
    pub rule_key: String,
    pub rule_zh: String,
    pub rule_en: String,
    pub points: i64,
    pub evidence: String,
    pub channel_id: Option<i64>,
    pub channel_name: Option<String>,
    pub rule_ref: String,
    pub occurred_at: String,
    pub expires_at: Option<String>,
    pub source: String,
    pub reference: String,
    pub created_at: String,
    pub voided_at: Option<String>,
}

pub struct NewEntry<'a> {
    pub member_id: i64,
    pub rule_key: &'a str,
    pub points: i64,
    pub evidence: &'a str,
    pub channel_id: Option<i64>,
    pub rule_ref: &'a str,
    pub occurred_at: &'a str,
    pub expires_at: Option<&'a str>,
    pub source: &'a str,
    pub reference: &'a str,
}

// --- settings -------------------------------------------------------------------------------

pub fn start_score(r: &Read<'_>) -> Result<i64> {
    Ok(r.conn
        .prepare_cached("SELECT start_score FROM credit_settings WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or(100))
}

pub fn set_start_score(w: &mut Write<'_>, score: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO credit_settings (id, start_score) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET start_score = excluded.start_score",
    )?
    .execute([score])?;
    Ok(())
}

// --- channels -------------------------------------------------------------------------------

const CHANNEL_COLUMNS: &str = "id, name, platform, rules, position, created_at, updated_at";

fn channel_from_row(row: &Row<'_>) -> rusqlite::Result<Channel> {
    Ok(Channel {
        id: row.get(0)?,
        name: row.get(1)?,
        platform: Platform::parse(&row.get::<_, String>(2)?),
        rules: row.get(3)?,
        position: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

pub fn channels(r: &Read<'_>) -> Result<Vec<Channel>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {CHANNEL_COLUMNS} FROM channels ORDER BY position, id"
    ))?;
    let rows = stmt.query_map([], channel_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn channel(r: &Read<'_>, id: i64) -> Result<Option<Channel>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM channels WHERE id = ?1"
        ))?
        .query_row([id], channel_from_row)
        .optional()?)
}

/// The channel (other than `except`) already called `name`, ignoring case.
pub fn channel_named(r: &Read<'_>, name: &str, except: Option<i64>) -> Result<Option<i64>> {
    Ok(r.conn
        .prepare_cached(
            "SELECT id FROM channels WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2 LIMIT 1",
        )?
        .query_row(params![name, except], |row| row.get(0))
        .optional()?)
}

pub fn insert_channel(
    w: &mut Write<'_>,
    name: &str,
    platform: Platform,
    rules: &str,
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO channels (name, platform, rules, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM channels), ?4, ?4)",
    )?
    .execute(params![name, platform.as_str(), rules, now])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_channel(
    w: &mut Write<'_>,
    id: i64,
    name: &str,
    platform: Platform,
    rules: &str,
    now: &str,
) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE channels SET name = ?2, platform = ?3, rules = ?4, updated_at = ?5
              WHERE id = ?1",
        )?
        .execute(params![id, name, platform.as_str(), rules, now])?
        > 0)
}

// --- rules ----------------------------------------------------------------------------------

const RULE_COLUMNS: &str = "r.key, r.name_zh, r.name_en, r.points, r.expiry_days, r.channel_id,
     c.name, r.rule_ref, r.builtin, r.active, r.position";

fn rule_from_row(row: &Row<'_>) -> rusqlite::Result<CreditRule> {
    Ok(CreditRule {
        key: row.get(0)?,
        name_zh: row.get(1)?,
        name_en: row.get(2)?,
        points: row.get(3)?,
        expiry_days: row.get(4)?,
        channel_id: row.get(5)?,
        channel_name: row.get(6)?,
        rule_ref: row.get(7)?,
        builtin: row.get(8)?,
        active: row.get(9)?,
        position: row.get(10)?,
    })
}

pub fn rules(r: &Read<'_>) -> Result<Vec<CreditRule>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM credit_rules r LEFT JOIN channels c ON c.id = r.channel_id
          ORDER BY r.position, r.key"
    ))?;
    let rows = stmt.query_map([], rule_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn rule(r: &Read<'_>, key: &str) -> Result<Option<CreditRule>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {RULE_COLUMNS} FROM credit_rules r LEFT JOIN channels c ON c.id = r.channel_id
              WHERE r.key = ?1"
        ))?
        .query_row([key], rule_from_row)
        .optional()?)
}

/// What a rule says, for [`insert_rule`] and [`update_rule`].
pub struct RuleFields<'a> {
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub points: Option<i64>,
    pub expiry_days: Option<i64>,
    pub channel_id: Option<i64>,
    pub rule_ref: &'a str,
    pub active: bool,
}

/// A key no rule has yet: `custom_1`, `custom_2`, …
pub fn free_rule_key(r: &Read<'_>) -> Result<String> {
    let mut n: i64 = r
        .conn
        .prepare_cached("SELECT count(*) FROM credit_rules")?
        .query_row([], |row| row.get(0))?;
    loop {
        let key = format!("custom_{n}");
        if rule(r, &key)?.is_none() {
            return Ok(key);
        }
        n += 1;
    }
}

pub fn insert_rule(w: &mut Write<'_>, key: &str, f: &RuleFields<'_>) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO credit_rules
             (key, name_zh, name_en, points, expiry_days, channel_id, rule_ref, builtin, active,
              position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8,
                 (SELECT coalesce(max(position), 0) + 1 FROM credit_rules))",
    )?
    .execute(params![
        key,
        f.name_zh,
        f.name_en,
        f.points,
        f.expiry_days,
        f.channel_id,
        f.rule_ref,
        f.active
    ])?;
    Ok(())
}

pub fn update_rule(w: &mut Write<'_>, key: &str, f: &RuleFields<'_>) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE credit_rules SET name_zh = ?2, name_en = ?3, points = ?4, expiry_days = ?5,
                    channel_id = ?6, rule_ref = ?7, active = ?8
              WHERE key = ?1",
        )?
        .execute(params![
            key,
            f.name_zh,
            f.name_en,
            f.points,
            f.expiry_days,
            f.channel_id,
            f.rule_ref,
            f.active
        ])?
        > 0)
}

// --- tiers ----------------------------------------------------------------------------------

/// Tiers, lowest threshold (the worst) first.
pub fn tiers(r: &Read<'_>) -> Result<Vec<Tier>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT threshold, name_zh, name_en, action FROM credit_tiers ORDER BY threshold",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(Tier {
            threshold: row.get(0)?,
            name_zh: row.get(1)?,
            name_en: row.get(2)?,
            action: TierAction::parse(&row.get::<_, String>(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn replace_tiers(w: &mut Write<'_>, tiers: &[Tier]) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM credit_tiers")?
        .execute([])?;
    for t in tiers {
        w.tx.prepare_cached(
            "INSERT INTO credit_tiers (threshold, name_zh, name_en, action) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![t.threshold, t.name_zh, t.name_en, t.action.as_str()])?;
    }
    Ok(())
}

// --- entries --------------------------------------------------------------------------------

const ENTRY_COLUMNS: &str = "e.id, e.member_id, e.rule_key, coalesce(r.name_zh, e.rule_key),
     coalesce(r.name_en, e.rule_key), e.points, e.evidence, e.channel_id, c.name, e.rule_ref,
     e.occurred_at, e.expires_at, e.source, e.ref, e.created_at, e.voided_at";
const ENTRY_FROM: &str = "credit_entries e LEFT JOIN credit_rules r ON r.key = e.rule_key
     LEFT JOIN channels c ON c.id = e.channel_id";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        id: row.get(0)?,
        member_id: row.get(1)?,
        rule_key: row.get(2)?,
        rule_zh: row.get(3)?,
        rule_en: row.get(4)?,
        points: row.get(5)?,
        evidence: row.get(6)?,
        channel_id: row.get(7)?,
        channel_name: row.get(8)?,
        rule_ref: row.get(9)?,
        occurred_at: row.get(10)?,
        expires_at: row.get(11)?,
        source: row.get(12)?,
        reference: row.get(13)?,
        created_at: row.get(14)?,
        voided_at: row.get(15)?,
    })
}

pub fn insert_entry(w: &mut Write<'_>, e: &NewEntry<'_>, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO credit_entries (member_id, rule_key, points, evidence, channel_id, rule_ref,
                                     occurred_at, expires_at, source, ref, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.member_id,
        e.rule_key,
        e.points,
        e.evidence,
        e.channel_id,
        e.rule_ref,
        e.occurred_at,
        e.expires_at,
        e.source,
        e.reference,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn entry(r: &Read<'_>, id: i64) -> Result<Option<EntryRow>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM} WHERE e.id = ?1"
        ))?
        .query_row([id], entry_from_row)
        .optional()?)
}

/// A member's deductions, newest first.
pub fn entries_of(r: &Read<'_>, member_id: i64) -> Result<Vec<EntryRow>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM} WHERE e.member_id = ?1
          ORDER BY e.occurred_at DESC, e.id DESC"
    ))?;
    let rows = stmt.query_map([member_id], entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks an entry void; false when it was already void (or does not exist).
pub fn void_entry(w: &mut Write<'_>, id: i64, now: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE credit_entries SET voided_at = ?2 WHERE id = ?1 AND voided_at IS NULL",
        )?
        .execute(params![id, now])?
        > 0)
}

/// Live (not voided) entries the door wrote for a member with this reference (`event:12`).
pub fn live_event_entries(
    r: &Read<'_>,
    member_id: i64,
    rule_key: &str,
    reference: &str,
) -> Result<Vec<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id FROM credit_entries
          WHERE ref = ?3 AND member_id = ?1 AND rule_key = ?2 AND source = 'event'
            AND voided_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map(params![member_id, rule_key, reference], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- scores ---------------------------------------------------------------------------------

/// The entries in force at `?1` (see the module docs), as a condition on `credit_entries e`.
pub(crate) const IN_FORCE_AT_1: &str =
    "e.voided_at IS NULL AND e.created_at <= ?1 AND e.occurred_at <= ?1
     AND (e.expires_at IS NULL OR e.expires_at > ?1)
     AND NOT EXISTS (SELECT 1 FROM credit_appeals a
                      WHERE a.entry_id = e.id AND a.status = 'overturned' AND a.decided_at <= ?1)";

/// Points deducted from a member and in force at `at`.
pub fn deducted_at(r: &Read<'_>, member_id: i64, at: &str) -> Result<i64> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(e.points), 0) FROM credit_entries e
              WHERE e.member_id = ?2 AND {IN_FORCE_AT_1}"
        ))?
        .query_row(params![at, member_id], |row| row.get(0))?)
}

/// [`deducted_at`] for several members (a page of the member list); missing means 0.
pub fn deducted_many(r: &Read<'_>, ids: &[i64], at: &str) -> Result<HashMap<i64, i64>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT coalesce(sum(e.points), 0) FROM credit_entries e
          WHERE e.member_id = ?2 AND {IN_FORCE_AT_1}"
    ))?;
    let mut out = HashMap::with_capacity(ids.len());
    for id in ids {
        let points: i64 = stmt.query_row(params![at, id], |row| row.get(0))?;
        if points != 0 {
            out.insert(*id, points);
        }
    }
    Ok(out)
}

/// A live member with deductions: points in force now and at an earlier instant.
pub struct Deductions {
    pub member_id: i64,
    pub display_name: String,
    pub now: i64,
    pub then: i64,
}

/// Every live member with any deduction in force at `now` or at `then`, with both sums. Only
/// members with deductions can be below the start score, so this is the whole "who needs
/// action" population; it reads only the (few) credit rows, not the member table.
pub fn community_deductions(r: &Read<'_>, now: &str, then: &str) -> Result<Vec<Deductions>> {
    let in_force_then = IN_FORCE_AT_1.replace("?1", "?2");
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT e.member_id, m.display_name,
                sum(CASE WHEN {IN_FORCE_AT_1} THEN e.points ELSE 0 END) AS now_points,
                sum(CASE WHEN {in_force_then} THEN e.points ELSE 0 END) AS then_points
           FROM credit_entries e JOIN members m ON m.id = e.member_id
          WHERE e.voided_at IS NULL AND m.deleted_at IS NULL
          GROUP BY e.member_id HAVING now_points > 0 OR then_points > 0
          ORDER BY m.sort_key, m.id"
    ))?;
    let rows = stmt.query_map(params![now, then], |row| {
        Ok(Deductions {
            member_id: row.get(0)?,
            display_name: row.get(1)?,
            now: row.get(2)?,
            then: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- appeals --------------------------------------------------------------------------------

const APPEAL_COLUMNS: &str = "a.id, a.entry_id, a.reason, a.status, a.filed_at, a.decided_at,
     a.decision_note";

fn appeal_from_row(row: &Row<'_>) -> rusqlite::Result<Appeal> {
    Ok(Appeal {
        id: row.get(0)?,
        entry_id: row.get(1)?,
        reason: row.get(2)?,
        status: AppealStatus::parse(&row.get::<_, String>(3)?),
        filed_at: row.get(4)?,
        decided_at: row.get(5)?,
        decision_note: row.get(6)?,
    })
}

pub fn appeal(r: &Read<'_>, id: i64) -> Result<Option<Appeal>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {APPEAL_COLUMNS} FROM credit_appeals a WHERE a.id = ?1"
        ))?
        .query_row([id], appeal_from_row)
        .optional()?)
}

/// Appeals against an entry, oldest first.
pub fn appeals_of_entry(r: &Read<'_>, entry_id: i64) -> Result<Vec<Appeal>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {APPEAL_COLUMNS} FROM credit_appeals a WHERE a.entry_id = ?1 ORDER BY a.id"
    ))?;
    let rows = stmt.query_map([entry_id], appeal_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Appeals against any of a member's entries, oldest first.
pub fn appeals_of_member(r: &Read<'_>, member_id: i64) -> Result<Vec<Appeal>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {APPEAL_COLUMNS} FROM credit_appeals a JOIN credit_entries e ON e.id = a.entry_id
          WHERE e.member_id = ?1 ORDER BY a.id"
    ))?;
    let rows = stmt.query_map([member_id], appeal_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_appeal(w: &mut Write<'_>, entry_id: i64, reason: &str, now: &str) -> Result<i64> {
    let inserted =
        w.tx.prepare_cached(
            "INSERT INTO credit_appeals (entry_id, reason, status, filed_at)
             VALUES (?1, ?2, 'pending', ?3)",
        )?
        .execute(params![entry_id, reason, now]);
    match inserted {
        Ok(_) => Ok(w.tx.last_insert_rowid()),
        // The one-pending-appeal index: the caller checked, but never write a second one.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(Error::new(
                ErrorCode::AppealPending,
                "this deduction already has an appeal waiting for a decision",
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Decides a pending appeal; false when it was not pending.
pub fn decide_appeal(
    w: &mut Write<'_>,
    id: i64,
    status: AppealStatus,
    note: &str,
    now: &str,
) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE credit_appeals SET status = ?2, decided_at = ?3, decision_note = ?4
              WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, status.as_str(), now, note])?
        > 0)
}

/// Pending appeals of live members, oldest first: (appeal, member id, member name).
pub fn pending_appeals(r: &Read<'_>) -> Result<Vec<(Appeal, i64, String)>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {APPEAL_COLUMNS}, e.member_id, m.display_name
           FROM credit_appeals a JOIN credit_entries e ON e.id = a.entry_id
           JOIN members m ON m.id = e.member_id
          WHERE a.status = 'pending' AND m.deleted_at IS NULL AND e.voided_at IS NULL
          ORDER BY a.filed_at, a.id"
    ))?;
    let rows = stmt.query_map([], |row| {
        Ok((appeal_from_row(row)?, row.get(7)?, row.get(8)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- members and merges ---------------------------------------------------------------------

/// A live member's display name.
pub fn member_name(r: &Read<'_>, id: i64) -> Result<Option<String>> {
    Ok(r.conn
        .prepare_cached("SELECT display_name FROM members WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id], |row| row.get(0))
        .optional()?)
}

/// Gives the merged member's deductions (with their appeals) to the member kept, remembering
/// which. No-show strikes for an event whose registration stayed with the merged member (both
/// were registered; see `events::move_on_merge`) stay with it too, so strike and registration
/// never part. Call after the registrations moved.
pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO merge_credit (merge_id, entry_id)
         SELECT ?1, e.id FROM credit_entries e
          WHERE e.member_id = ?2
            AND NOT (e.source = 'event' AND EXISTS (
                SELECT 1 FROM registrations g
                 WHERE g.member_id = ?2 AND e.ref = 'event:' || g.event_id))",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached(
        "UPDATE credit_entries SET member_id = ?2
          WHERE id IN (SELECT entry_id FROM merge_credit WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, kept_id])?;
    Ok(())
}

/// Undoes [`move_on_merge`].
pub fn unmove_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE credit_entries SET member_id = ?2
          WHERE id IN (SELECT entry_id FROM merge_credit WHERE merge_id = ?1)",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached("DELETE FROM merge_credit WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}
