//! Badges and their awards, the rewards catalogue, redemptions, invite claw-backs and the points
//! history: rows in, rows out. Which badge a member deserves, whether a redemption is affordable
//! and when an invite's points go back are decided in `ops::rewards`. Like `store::engagement`,
//! nothing here updates or deletes a `points_ledger` row.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{Badge, Criteria, MemberBadge, PointsEntry, Redemption, Reward};
use crate::error::Result;

/// Ledger reasons this part of the engine writes (besides `store::engagement`'s 'activity',
/// 'grant', 'deduct', 'reversal').
pub const REDEEM: &str = "redeem";
pub const REDEEM_UNDO: &str = "redeem_undo";
pub const CLAWBACK: &str = "clawback";
pub const CLAWBACK_UNDO: &str = "clawback_undo";

impl Criteria {
    fn columns(&self) -> (&'static str, Option<&str>, i64) {
        match self {
            Criteria::Manual => ("manual", None, 0),
            Criteria::KindCount { kind, n } => ("kind_count", Some(kind), *n),
            Criteria::Points { n } => ("points", None, *n),
            Criteria::ActiveDays { n } => ("active_days", None, *n),
        }
    }

    fn from_columns(criteria: &str, kind: Option<String>, n: i64) -> Criteria {
        match (criteria, kind) {
            ("kind_count", Some(kind)) => Criteria::KindCount { kind, n },
            ("points", _) => Criteria::Points { n },
            ("active_days", _) => Criteria::ActiveDays { n },
            _ => Criteria::Manual,
        }
    }
}

const BADGE_COLUMNS: &str = "b.key, b.name_zh, b.name_en, b.description_zh, b.description_en,
    b.icon, b.criteria, b.kind, b.n, b.enabled,
    (SELECT count(*) FROM member_badges mb JOIN members m ON m.id = mb.member_id
      WHERE mb.badge_key = b.key AND mb.revoked_at IS NULL AND m.deleted_at IS NULL)";

fn badge_from_row(row: &Row<'_>) -> rusqlite::Result<Badge> {
    let criteria: String = row.get(6)?;
    Ok(Badge {
        key: row.get(0)?,
        name_zh: row.get(1)?,
        name_en: row.get(2)?,
        description_zh: row.get(3)?,
        description_en: row.get(4)?,
        icon: row.get(5)?,
        criteria: Criteria::from_columns(&criteria, row.get(7)?, row.get(8)?),
        enabled: row.get(9)?,
        holders: row.get(10)?,
    })
}

pub fn badges(r: &Read<'_>) -> Result<Vec<Badge>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {BADGE_COLUMNS} FROM badges b ORDER BY b.position, b.key"
    ))?;
    let rows = stmt.query_map([], badge_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn badge(r: &Read<'_>, key: &str) -> Result<Option<Badge>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {BADGE_COLUMNS} FROM badges b WHERE b.key = ?1"
        ))?
        .query_row([key], badge_from_row)
        .optional()?)
}

/// Enabled badges with an automatic rule.
pub fn auto_badges(r: &Read<'_>) -> Result<Vec<(String, Criteria)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT key, criteria, kind, n FROM badges
          WHERE enabled = 1 AND criteria <> 'manual' ORDER BY position, key",
    )?;
    let rows = stmt.query_map([], |row| {
        let criteria: String = row.get(1)?;
        Ok((
            row.get(0)?,
            Criteria::from_columns(&criteria, row.get(2)?, row.get(3)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or replaces a badge's definition (its awards stay).
pub fn upsert_badge(w: &mut Write<'_>, b: &Badge) -> Result<()> {
    let (criteria, kind, n) = b.criteria.columns();
    w.tx.prepare_cached(
        "INSERT INTO badges (key, name_zh, name_en, description_zh, description_en, icon,
                             criteria, kind, n, enabled, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 (SELECT coalesce(max(position), 0) + 1 FROM badges))
         ON CONFLICT (key) DO UPDATE SET
             name_zh = excluded.name_zh, name_en = excluded.name_en,
             description_zh = excluded.description_zh, description_en = excluded.description_en,
             icon = excluded.icon, criteria = excluded.criteria, kind = excluded.kind,
             n = excluded.n, enabled = excluded.enabled",
    )?
    .execute(params![
        b.key,
        b.name_zh,
        b.name_en,
        b.description_zh,
        b.description_en,
        b.icon,
        criteria,
        kind,
        n,
        b.enabled
    ])?;
    Ok(())
}

/// What a member has done, as badge rules read it.
#[derive(Debug, Clone, Default)]
pub struct MemberStats {
    /// Live activities per kind.
    pub kinds: HashMap<String, i64>,
    /// Points earned (the ledger without redemptions and their undos).
    pub earned: i64,
    /// Distinct days with a live activity.
    pub active_days: i64,
}

impl MemberStats {
    pub fn meets(&self, criteria: &Criteria) -> bool {
        match criteria {
            Criteria::Manual => false,
            Criteria::KindCount { kind, n } => self.kinds.get(kind).copied().unwrap_or(0) >= *n,
            Criteria::Points { n } => self.earned >= *n,
            Criteria::ActiveDays { n } => self.active_days >= *n,
        }
    }
}

pub fn member_stats(r: &Read<'_>, member_id: i64) -> Result<MemberStats> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT kind, count(*) FROM activities
          WHERE member_id = ?1 AND voided_at IS NULL GROUP BY kind",
    )?;
    let kinds = stmt
        .query_map([member_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Earned = the balance less spending, both sums read from an index alone.
    let earned = r
        .conn
        .prepare_cached(
            "SELECT (SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE member_id = ?1)
                  - (SELECT coalesce(sum(delta), 0) FROM points_ledger
                      WHERE member_id = ?1 AND reason IN ('redeem', 'redeem_undo'))",
        )?
        .query_row([member_id], |row| row.get(0))?;
    let active_days = r
        .conn
        .prepare_cached(
            "SELECT count(DISTINCT day) FROM activities WHERE member_id = ?1 AND voided_at IS NULL",
        )?
        .query_row([member_id], |row| row.get(0))?;
    Ok(MemberStats {
        kinds,
        earned,
        active_days,
    })
}

/// [`member_stats`] of the members in `lo..=hi` who have any live activity or ledger row (a
/// member missing from the map has done nothing), in one pass over each table's range: the
/// badge check of a bulk log, whose members are many and close together.
pub fn stats_between(r: &Read<'_>, (lo, hi): (i64, i64)) -> Result<HashMap<i64, MemberStats>> {
    let mut out: HashMap<i64, MemberStats> = HashMap::new();
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, day, kind FROM activities INDEXED BY activities_by_member
          WHERE member_id BETWEEN ?1 AND ?2 AND voided_at IS NULL ORDER BY member_id, day",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    let (mut last_member, mut last_day) = (None, String::new());
    while let Some(row) = rows.next()? {
        let member_id: i64 = row.get(0)?;
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(row.get_ref(i)?.as_str()?) };
        let (day, kind) = (text(1)?, text(2)?);
        let stats = out.entry(member_id).or_default();
        if last_member != Some(member_id) || last_day != day {
            stats.active_days += 1;
            last_member = Some(member_id);
            last_day.clear();
            last_day.push_str(day);
        }
        match stats.kinds.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                stats.kinds.insert(kind.to_owned(), 1);
            }
        }
    }
    // Earned = every ledger row less spending, each sum read from an index alone
    // (points_by_member_delta, points_spent) rather than a table lookup per ledger row.
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, sum(delta) FROM points_ledger
          WHERE member_id BETWEEN ?1 AND ?2 GROUP BY member_id",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?).or_default().earned = row.get(1)?;
    }
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, sum(delta) FROM points_ledger
          WHERE member_id BETWEEN ?1 AND ?2 AND reason IN ('redeem', 'redeem_undo')
          GROUP BY member_id",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?).or_default().earned -= row.get::<_, i64>(1)?;
    }
    Ok(out)
}

/// Per member: their live awards ([`live_awards`]), and the badges taken from them by hand
/// ([`manually_revoked`]).
pub type AwardsByMember = (
    HashMap<i64, HashMap<String, bool>>,
    HashMap<i64, HashSet<String>>,
);

/// [`AwardsByMember`] of the members in `lo..=hi`.
pub fn awards_between(r: &Read<'_>, (lo, hi): (i64, i64)) -> Result<AwardsByMember> {
    let mut live: HashMap<i64, HashMap<String, bool>> = HashMap::new();
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, badge_key, source = 'auto' FROM member_badges
          WHERE member_id BETWEEN ?1 AND ?2 AND revoked_at IS NULL",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    while let Some(row) = rows.next()? {
        live.entry(row.get(0)?)
            .or_default()
            .insert(row.get(1)?, row.get(2)?);
    }
    let mut by_hand: HashMap<i64, HashSet<String>> = HashMap::new();
    let mut stmt = r.conn.prepare_cached(
        "SELECT member_id, badge_key FROM member_badges
          WHERE member_id BETWEEN ?1 AND ?2 AND revoked_by = 'manual'",
    )?;
    let mut rows = stmt.query([lo, hi])?;
    while let Some(row) = rows.next()? {
        by_hand.entry(row.get(0)?).or_default().insert(row.get(1)?);
    }
    Ok((live, by_hand))
}

/// Every live member who meets the rule, in one pass (for a recompute).
pub fn qualifying(r: &Read<'_>, criteria: &Criteria) -> Result<HashSet<i64>> {
    let mut stmt;
    let rows = match criteria {
        Criteria::Manual => return Ok(HashSet::new()),
        Criteria::KindCount { kind, n } => {
            stmt = r.conn.prepare_cached(
                "SELECT a.member_id FROM activities a JOIN members m ON m.id = a.member_id
                  WHERE a.kind = ?1 AND a.voided_at IS NULL AND m.deleted_at IS NULL
                  GROUP BY a.member_id HAVING count(*) >= ?2",
            )?;
            stmt.query_map(params![kind, n], first_i64)?
        }
        Criteria::Points { n } => {
            stmt = r.conn.prepare_cached(
                "SELECT p.member_id FROM points_ledger p JOIN members m ON m.id = p.member_id
                  WHERE p.reason NOT IN ('redeem', 'redeem_undo') AND m.deleted_at IS NULL
                  GROUP BY p.member_id HAVING sum(p.delta) >= ?1",
            )?;
            stmt.query_map([n], first_i64)?
        }
        Criteria::ActiveDays { n } => {
            stmt = r.conn.prepare_cached(
                "SELECT a.member_id FROM activities a JOIN members m ON m.id = a.member_id
                  WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
                  GROUP BY a.member_id HAVING count(DISTINCT a.day) >= ?1",
            )?;
            stmt.query_map([n], first_i64)?
        }
    };
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn first_i64(row: &Row<'_>) -> rusqlite::Result<i64> {
    row.get(0)
}

/// A member's live awards: badge key → whether it was awarded automatically.
pub fn live_awards(r: &Read<'_>, member_id: i64) -> Result<HashMap<String, bool>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT badge_key, source = 'auto' FROM member_badges
          WHERE member_id = ?1 AND revoked_at IS NULL",
    )?;
    let rows = stmt.query_map([member_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Badges the manager took away from the member by hand (their rules do not give them back).
pub fn manually_revoked(r: &Read<'_>, member_id: i64) -> Result<HashSet<String>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT DISTINCT badge_key FROM member_badges
          WHERE member_id = ?1 AND revoked_by = 'manual'",
    )?;
    let rows = stmt.query_map([member_id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Holders of one badge: member → whether their award was automatic.
/// Live members (not in the trash) holding the badge, and whether their award was automatic.
/// Members in the trash keep their badges for when they are restored.
pub fn badge_holders(r: &Read<'_>, key: &str) -> Result<HashMap<i64, bool>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT mb.member_id, mb.source = 'auto' FROM member_badges mb
           JOIN members m ON m.id = mb.member_id
          WHERE mb.badge_key = ?1 AND mb.revoked_at IS NULL AND m.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([key], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members from whom the manager took this badge by hand.
pub fn revoked_by_hand(r: &Read<'_>, key: &str) -> Result<HashSet<i64>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT DISTINCT member_id FROM member_badges
          WHERE badge_key = ?1 AND revoked_by = 'manual'",
    )?;
    let rows = stmt.query_map([key], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_award(
    w: &mut Write<'_>,
    member_id: i64,
    key: &str,
    auto: bool,
    note: &str,
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO member_badges (member_id, badge_key, awarded_at, source, note)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        member_id,
        key,
        now,
        if auto { "auto" } else { "manual" },
        note
    ])?;
    Ok(w.tx.last_insert_rowid())
}

/// Takes a live award back; returns whether there was one.
pub fn revoke_award(
    w: &mut Write<'_>,
    member_id: i64,
    key: &str,
    by_hand: bool,
    note: &str,
    now: &str,
) -> Result<bool> {
    let n =
        w.tx.prepare_cached(
            "UPDATE member_badges SET revoked_at = ?3, revoked_by = ?4, revoke_note = ?5
              WHERE member_id = ?1 AND badge_key = ?2 AND revoked_at IS NULL",
        )?
        .execute(params![
            member_id,
            key,
            now,
            if by_hand { "manual" } else { "auto" },
            note
        ])?;
    Ok(n > 0)
}

/// The live awards of a member, of badges switched on, in the badges' order.
pub fn member_badges(r: &Read<'_>, member_id: i64) -> Result<Vec<MemberBadge>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT b.key, b.name_zh, b.name_en, b.description_zh, b.description_en, b.icon,
                mb.awarded_at, mb.source = 'auto', mb.note
           FROM member_badges mb JOIN badges b ON b.key = mb.badge_key
          WHERE mb.member_id = ?1 AND mb.revoked_at IS NULL AND b.enabled = 1
          ORDER BY b.position, b.key",
    )?;
    let rows = stmt.query_map([member_id], |row| {
        Ok(MemberBadge {
            badge_key: row.get(0)?,
            name_zh: row.get(1)?,
            name_en: row.get(2)?,
            description_zh: row.get(3)?,
            description_en: row.get(4)?,
            icon: row.get(5)?,
            awarded_at: row.get(6)?,
            auto: row.get(7)?,
            note: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const REWARD_COLUMNS: &str = "r.id, r.name_zh, r.name_en, r.cost, r.stock, r.active,
    (SELECT count(*) FROM redemptions x WHERE x.reward_id = r.id AND x.undone_at IS NULL)";

fn reward_from_row(row: &Row<'_>) -> rusqlite::Result<Reward> {
    Ok(Reward {
        id: row.get(0)?,
        name_zh: row.get(1)?,
        name_en: row.get(2)?,
        cost: row.get(3)?,
        stock: row.get(4)?,
        active: row.get(5)?,
        redeemed: row.get(6)?,
    })
}

pub fn rewards(r: &Read<'_>) -> Result<Vec<Reward>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards r ORDER BY r.active DESC, r.position, r.id"
    ))?;
    let rows = stmt.query_map([], reward_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn reward(r: &Read<'_>, id: i64) -> Result<Option<Reward>> {
    Ok(r.conn
        .prepare_cached(&format!(
            "SELECT {REWARD_COLUMNS} FROM rewards r WHERE r.id = ?1"
        ))?
        .query_row([id], reward_from_row)
        .optional()?)
}

pub struct RewardRecord<'a> {
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub cost: i64,
    pub stock: Option<i64>,
    pub active: bool,
}

pub fn insert_reward(w: &mut Write<'_>, rec: &RewardRecord<'_>, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO rewards (name_zh, name_en, cost, stock, active, position, created_at,
                              updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM rewards),
                 ?6, ?6)",
    )?
    .execute(params![
        rec.name_zh,
        rec.name_en,
        rec.cost,
        rec.stock,
        rec.active,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

/// Returns whether the reward exists.
pub fn update_reward(
    w: &mut Write<'_>,
    id: i64,
    rec: &RewardRecord<'_>,
    now: &str,
) -> Result<bool> {
    let n =
        w.tx.prepare_cached(
            "UPDATE rewards SET name_zh = ?2, name_en = ?3, cost = ?4, stock = ?5, active = ?6,
                                updated_at = ?7
              WHERE id = ?1",
        )?
        .execute(params![
            id,
            rec.name_zh,
            rec.name_en,
            rec.cost,
            rec.stock,
            rec.active,
            now
        ])?;
    Ok(n > 0)
}

/// Adds `by` to a limited stock (unlimited stays unlimited).
pub fn change_stock(w: &mut Write<'_>, reward_id: i64, by: i64, now: &str) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE rewards SET stock = stock + ?2, updated_at = ?3
          WHERE id = ?1 AND stock IS NOT NULL",
    )?
    .execute(params![reward_id, by, now])?;
    Ok(())
}

pub fn insert_redemption(
    w: &mut Write<'_>,
    reward_id: i64,
    cost: i64,
    ledger_id: i64,
    note: &str,
    now: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO redemptions (reward_id, cost, ledger_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![reward_id, cost, ledger_id, note, now])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn mark_redemption_undone(
    w: &mut Write<'_>,
    id: i64,
    undo_ledger_id: i64,
    now: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE redemptions SET undone_at = ?2, undo_ledger_id = ?3 WHERE id = ?1",
    )?
    .execute(params![id, now, undo_ledger_id])?;
    Ok(())
}

const REDEMPTION_SELECT: &str = "SELECT x.id, p.member_id, m.display_name, x.reward_id,
        r.name_zh, r.name_en, x.cost, x.note, x.created_at, x.undone_at
   FROM redemptions x JOIN points_ledger p ON p.id = x.ledger_id
   JOIN members m ON m.id = p.member_id JOIN rewards r ON r.id = x.reward_id";

fn redemption_from_row(row: &Row<'_>) -> rusqlite::Result<Redemption> {
    Ok(Redemption {
        id: row.get(0)?,
        member_id: row.get(1)?,
        member_name: row.get(2)?,
        reward_id: row.get(3)?,
        reward_name_zh: row.get(4)?,
        reward_name_en: row.get(5)?,
        cost: row.get(6)?,
        note: row.get(7)?,
        created_at: row.get(8)?,
        undone_at: row.get(9)?,
    })
}

pub fn redemption(r: &Read<'_>, id: i64) -> Result<Option<Redemption>> {
    Ok(r.conn
        .prepare_cached(&format!("{REDEMPTION_SELECT} WHERE x.id = ?1"))?
        .query_row([id], redemption_from_row)
        .optional()?)
}

/// Redemptions newest first, of one member or of everyone.
pub fn redemptions(r: &Read<'_>, member_id: Option<i64>, limit: u32) -> Result<Vec<Redemption>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{REDEMPTION_SELECT} WHERE (?1 IS NULL OR p.member_id = ?1)
          ORDER BY x.created_at DESC, x.id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![member_id, limit], redemption_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live 'invited' activity that names its invitee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRow {
    pub activity_id: i64,
    pub inviter_id: i64,
    pub occurred_at: String,
}

/// Live invites of `invitee_id` and of any member merged into them (the merged-away record is
/// the same person).
pub fn invites_of(r: &Read<'_>, invitee_id: i64) -> Result<Vec<InviteRow>> {
    let mut stmt = r.conn.prepare_cached(
        "WITH RECURSIVE same(id) AS (
             SELECT ?1 UNION SELECT m.id FROM members m JOIN same s ON m.merged_into = s.id
         )
         SELECT a.id, a.member_id, a.occurred_at FROM activities a
          WHERE a.ref IN (SELECT 'member:' || id FROM same) AND a.ref <> ''
            AND a.kind = 'invited' AND a.voided_at IS NULL
          ORDER BY a.id",
    )?;
    let rows = stmt.query_map([invitee_id], |row| {
        Ok(InviteRow {
            activity_id: row.get(0)?,
            inviter_id: row.get(1)?,
            occurred_at: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Blanks the reference of every invite naming these members, or anyone merged into them (they
/// are being erased).
pub fn forget_invitees(w: &mut Write<'_>, invitee_ids: &[i64]) -> Result<()> {
    let mut stmt = w.tx.prepare_cached(
        "UPDATE activities SET ref = ''
          WHERE ref <> '' AND kind = 'invited'
            AND ref IN (WITH RECURSIVE same(id) AS (
                            SELECT ?1
                            UNION SELECT m.id FROM members m JOIN same s ON m.merged_into = s.id)
                        SELECT 'member:' || id FROM same)",
    )?;
    for id in invitee_ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Points an activity still holds: what it earned minus what was reversed or clawed back.
pub fn held_by_activity(r: &Read<'_>, activity_id: i64) -> Result<i64> {
    Ok(r.conn
        .prepare_cached("SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE activity_id = ?1")?
        .query_row([activity_id], |row| row.get(0))?)
}

/// Points clawed back from an activity and not yet given back.
pub fn clawed_back(r: &Read<'_>, activity_id: i64) -> Result<i64> {
    Ok(r.conn
        .prepare_cached(
            "SELECT -coalesce(sum(delta), 0) FROM points_ledger
              WHERE activity_id = ?1 AND reason IN ('clawback', 'clawback_undo')",
        )?
        .query_row([activity_id], |row| row.get(0))?)
}

/// The current owner of an activity (a merge may have moved it).
pub fn activity_member(r: &Read<'_>, activity_id: i64) -> Result<Option<i64>> {
    Ok(r.conn
        .prepare_cached("SELECT member_id FROM activities WHERE id = ?1")?
        .query_row([activity_id], |row| row.get(0))
        .optional()?)
}

/// A member's whole ledger, oldest first, with running balances.
pub fn ledger_of(r: &Read<'_>, member_id: i64) -> Result<Vec<PointsEntry>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT p.id, p.created_at, p.delta, p.reason, p.note, p.activity_id, a.kind,
                k.name_zh, k.name_en, a.occurred_at, rw.name_zh, rw.name_en
           FROM points_ledger p
           LEFT JOIN activities a ON a.id = p.activity_id
           LEFT JOIN activity_kinds k ON k.key = a.kind
           LEFT JOIN redemptions x ON x.ledger_id = p.id OR x.undo_ledger_id = p.id
           LEFT JOIN rewards rw ON rw.id = x.reward_id
          WHERE p.member_id = ?1
          ORDER BY p.id",
    )?;
    let mut balance = 0;
    let rows = stmt.query_map([member_id], |row| {
        Ok(PointsEntry {
            id: row.get(0)?,
            created_at: row.get(1)?,
            delta: row.get(2)?,
            reason: row.get(3)?,
            note: row.get(4)?,
            activity_id: row.get(5)?,
            activity_kind: row.get(6)?,
            kind_name_zh: row.get(7)?,
            kind_name_en: row.get(8)?,
            occurred_at: row.get(9)?,
            reward_name_zh: row.get(10)?,
            reward_name_en: row.get(11)?,
            balance: 0,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let mut row = row?;
        balance += row.delta;
        row.balance = balance;
        out.push(row);
    }
    Ok(out)
}

/// Replaces the level ladder (`levels`, from 0009) with these (threshold, name_zh, name_en).
pub fn replace_levels(w: &mut Write<'_>, levels: &[(i64, &str, &str)]) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM levels")?.execute([])?;
    let mut stmt = w
        .tx
        .prepare_cached("INSERT INTO levels (threshold, name_zh, name_en) VALUES (?1, ?2, ?3)")?;
    for (threshold, zh, en) in levels {
        stmt.execute(params![threshold, zh, en])?;
    }
    Ok(())
}
