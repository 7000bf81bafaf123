//! The plan, goals and their manual readings, campaigns with their links, tasks and checklists,
//! partners, budget lines and funding: rows in, rows out.

use rusqlite::{params, OptionalExtension, Row};

use super::{Read, Write};
use crate::domain::{
    BudgetCategory, BudgetLine, CampaignStatus, CampaignSummary, ChecklistItem, Contribution,
    Funding, FundingSource, Goal, Metric, NamedRef, Partner, PartnerCampaign, PartnerDraft,
    PartnerStatus, Positioning, Task, TaskOwner, TaskStatus,
};
use crate::error::Result;

fn bad(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {what} {value:?}").into(),
    )
}

// ---------------------------------------------------------------- plan

pub fn positioning(r: &Read<'_>) -> Result<Positioning> {
    Ok(r.conn
        .prepare_cached("SELECT audience, core_value, tone, rules_link FROM plan WHERE id = 1")?
        .query_row([], |row| {
            Ok(Positioning {
                audience: row.get(0)?,
                core_value: row.get(1)?,
                tone: row.get(2)?,
                rules_link: row.get(3)?,
            })
        })?)
}

pub fn set_positioning(w: &mut Write<'_>, p: &Positioning, now: &str) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE plan SET audience = ?1, core_value = ?2, tone = ?3, rules_link = ?4,
                         updated_at = ?5 WHERE id = 1",
    )?
    .execute(params![p.audience, p.core_value, p.tone, p.rules_link, now])?;
    Ok(())
}

pub fn plan_segments(r: &Read<'_>) -> Result<Vec<NamedRef>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT s.id, s.name FROM plan_segments p JOIN segments s ON s.id = p.segment_id
          ORDER BY s.name, s.id",
    )?;
    let rows = stmt.query_map([], named)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_plan_segments(w: &mut Write<'_>, ids: &[i64]) -> Result<()> {
    w.tx.execute("DELETE FROM plan_segments", [])?;
    let mut stmt =
        w.tx.prepare_cached("INSERT OR IGNORE INTO plan_segments (segment_id) VALUES (?1)")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

fn named(row: &Row<'_>) -> rusqlite::Result<NamedRef> {
    Ok(NamedRef {
        id: row.get(0)?,
        name: row.get(1)?,
    })
}

// ---------------------------------------------------------------- goals

const GOAL: &str =
    "SELECT id, campaign_id, metric, label, baseline, target, start_on, due_on FROM goals";

fn goal(row: &Row<'_>) -> rusqlite::Result<Goal> {
    let metric: String = row.get(2)?;
    Ok(Goal {
        id: row.get(0)?,
        campaign_id: row.get(1)?,
        metric: Metric::from_key(&metric).ok_or_else(|| bad("metric", &metric))?,
        label: row.get(3)?,
        baseline: row.get(4)?,
        target: row.get(5)?,
        start_on: row.get(6)?,
        due_on: row.get(7)?,
    })
}

/// The plan's goals (`campaign` None) or a campaign's, in order.
pub fn goals(r: &Read<'_>, campaign: Option<i64>) -> Result<Vec<Goal>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{GOAL} WHERE campaign_id IS ?1 ORDER BY position, id"
    ))?;
    let rows = stmt.query_map([campaign], goal)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_goal(r: &Read<'_>, id: i64) -> Result<Option<Goal>> {
    Ok(r.conn
        .prepare_cached(&format!("{GOAL} WHERE id = ?1"))?
        .query_row([id], goal)
        .optional()?)
}

pub fn insert_goal(w: &mut Write<'_>, g: &Goal, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO goals (campaign_id, metric, label, baseline, target, start_on, due_on,
                            position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                 (SELECT coalesce(max(position), 0) + 1 FROM goals WHERE campaign_id IS ?1), ?8)",
    )?
    .execute(params![
        g.campaign_id,
        g.metric.key(),
        g.label,
        g.baseline,
        g.target,
        g.start_on,
        g.due_on,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_goal(w: &mut Write<'_>, g: &Goal) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE goals SET metric = ?2, label = ?3, baseline = ?4, target = ?5, start_on = ?6,
                              due_on = ?7 WHERE id = ?1",
        )?
        .execute(params![
            g.id,
            g.metric.key(),
            g.label,
            g.baseline,
            g.target,
            g.start_on,
            g.due_on
        ])?
        > 0)
}

pub fn delete_goal(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx.execute("DELETE FROM goals WHERE id = ?1", [id])? > 0)
}

/// Captures the baseline of the goals of a campaign that have none yet.
pub fn set_baseline(w: &mut Write<'_>, goal_id: i64, value: Option<f64>) -> Result<()> {
    w.tx.prepare_cached("UPDATE goals SET baseline = ?2 WHERE id = ?1")?
        .execute(params![goal_id, value])?;
    Ok(())
}

/// A manual reading; a second one on the same day replaces the first.
pub fn put_reading(
    w: &mut Write<'_>,
    goal_id: i64,
    day: &str,
    value: f64,
    note: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO goal_readings (goal_id, day, value, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (goal_id, day) DO UPDATE SET value = excluded.value, note = excluded.note",
    )?
    .execute(params![goal_id, day, value, note])?;
    Ok(())
}

/// A manual goal's readings up to `day`, oldest first.
pub fn readings(r: &Read<'_>, goal_id: i64, day: &str) -> Result<Vec<(String, f64)>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT day, value FROM goal_readings WHERE goal_id = ?1 AND day <= ?2 ORDER BY day",
    )?;
    let rows = stmt.query_map(params![goal_id, day], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- campaigns

pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub starts_on: String,
    pub ends_on: String,
    pub channels: String,
    pub owner: String,
    pub status: CampaignStatus,
}

pub fn insert_campaign(w: &mut Write<'_>, c: &CampaignRow, now: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO campaigns (name, goal, starts_on, ends_on, channels, owner, status,
                                created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        c.name,
        c.goal,
        c.starts_on,
        c.ends_on,
        c.channels,
        c.owner,
        c.status.key(),
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_campaign(w: &mut Write<'_>, c: &CampaignRow, now: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE campaigns SET name = ?2, goal = ?3, starts_on = ?4, ends_on = ?5,
                    channels = ?6, owner = ?7, status = ?8, updated_at = ?9 WHERE id = ?1",
        )?
        .execute(params![
            c.id,
            c.name,
            c.goal,
            c.starts_on,
            c.ends_on,
            c.channels,
            c.owner,
            c.status.key(),
            now
        ])?
        > 0)
}

pub fn delete_campaign(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx.execute("DELETE FROM campaigns WHERE id = ?1", [id])? > 0)
}

const SUMMARY: &str = "SELECT c.id, c.name, c.goal, c.starts_on, c.ends_on, c.channels, c.owner,
       c.status,
       (SELECT COUNT(*) FROM tasks t WHERE t.campaign_id = c.id AND t.status <> 'done'),
       (SELECT COUNT(*) FROM tasks t WHERE t.campaign_id = c.id AND t.status <> 'done'
                                       AND t.due_on < ?1),
       (SELECT COUNT(*) FROM tasks t WHERE t.campaign_id = c.id AND t.status = 'done')
  FROM campaigns c";

fn summary(row: &Row<'_>) -> rusqlite::Result<CampaignSummary> {
    let status: String = row.get(7)?;
    Ok(CampaignSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        goal: row.get(2)?,
        starts_on: row.get(3)?,
        ends_on: row.get(4)?,
        channels: row.get(5)?,
        owner: row.get(6)?,
        status: CampaignStatus::from_key(&status).ok_or_else(|| bad("status", &status))?,
        tasks_open: row.get(8)?,
        tasks_overdue: row.get(9)?,
        tasks_done: row.get(10)?,
    })
}

/// Every campaign, running first, then planned, then the rest; newest start first within each.
pub fn list(r: &Read<'_>, today: &str) -> Result<Vec<CampaignSummary>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{SUMMARY} ORDER BY CASE c.status WHEN 'running' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END,
                            c.starts_on DESC, c.id DESC"
    ))?;
    let rows = stmt.query_map([today], summary)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(r: &Read<'_>, id: i64, today: &str) -> Result<Option<CampaignSummary>> {
    Ok(r.conn
        .prepare_cached(&format!("{SUMMARY} WHERE c.id = ?2"))?
        .query_row(params![today, id], summary)
        .optional()?)
}

/// (what worked, what to change, finished on, end numbers JSON).
pub fn retrospective(
    r: &Read<'_>,
    id: i64,
) -> Result<(String, String, Option<String>, Option<String>)> {
    Ok(r.conn
        .prepare_cached(
            "SELECT what_worked, what_to_change, finished_on, end_numbers FROM campaigns
              WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?)
}

pub fn set_retrospective(
    w: &mut Write<'_>,
    id: i64,
    what_worked: &str,
    what_to_change: &str,
    now: &str,
) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE campaigns SET what_worked = ?2, what_to_change = ?3, updated_at = ?4
              WHERE id = ?1",
        )?
        .execute(params![id, what_worked, what_to_change, now])?
        > 0)
}

pub fn set_finished(
    w: &mut Write<'_>,
    id: i64,
    finished_on: &str,
    end_numbers: &str,
    now: &str,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE campaigns SET status = 'finished', finished_on = ?2, end_numbers = ?3,
                              updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, finished_on, end_numbers, now])?;
    Ok(())
}

/// One of the link tables: `campaign_events`, `campaign_segments`.
pub fn link(w: &mut Write<'_>, table: LinkTable, campaign: i64, other: i64) -> Result<bool> {
    let sql = match table {
        LinkTable::Events => "INSERT OR IGNORE INTO campaign_events VALUES (?1, ?2)",
        LinkTable::Segments => "INSERT OR IGNORE INTO campaign_segments VALUES (?1, ?2)",
    };
    Ok(w.tx.prepare_cached(sql)?.execute([campaign, other])? > 0)
}

pub fn unlink(w: &mut Write<'_>, table: LinkTable, campaign: i64, other: i64) -> Result<bool> {
    let sql = match table {
        LinkTable::Events => "DELETE FROM campaign_events WHERE campaign_id = ?1 AND event_id = ?2",
        LinkTable::Segments => {
            "DELETE FROM campaign_segments WHERE campaign_id = ?1 AND segment_id = ?2"
        }
    };
    Ok(w.tx.prepare_cached(sql)?.execute([campaign, other])? > 0)
}

#[derive(Debug, Clone, Copy)]
pub enum LinkTable {
    Events,
    Segments,
}

pub fn linked_events(r: &Read<'_>, campaign: i64) -> Result<Vec<NamedRef>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT e.id, e.title FROM campaign_events l JOIN events e ON e.id = l.event_id
          WHERE l.campaign_id = ?1 ORDER BY e.starts_at, e.id",
    )?;
    let rows = stmt.query_map([campaign], named)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A content item of a campaign: (id, title, status, shown at).
pub type ContentRow = (i64, String, String, Option<String>);

/// The content items of a campaign in calendar order.
pub fn content_items(r: &Read<'_>, campaign: i64) -> Result<Vec<ContentRow>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, title, status, shown_at FROM content_items INDEXED BY content_items_by_campaign
          WHERE campaign_id = ?1 ORDER BY shown_at IS NULL, shown_at, id",
    )?;
    let rows = stmt.query_map([campaign], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn linked_segments(r: &Read<'_>, campaign: i64) -> Result<Vec<NamedRef>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT s.id, s.name FROM campaign_segments l JOIN segments s ON s.id = l.segment_id
          WHERE l.campaign_id = ?1 ORDER BY s.name, s.id",
    )?;
    let rows = stmt.query_map([campaign], named)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live members added to the campaign, by name.
pub fn members(r: &Read<'_>, campaign: i64) -> Result<Vec<NamedRef>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT m.id, m.display_name FROM campaign_members l JOIN members m ON m.id = l.member_id
          WHERE l.campaign_id = ?1 AND m.deleted_at IS NULL ORDER BY m.sort_key, m.id",
    )?;
    let rows = stmt.query_map([campaign], named)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds live members; returns those newly added.
pub fn add_members(w: &mut Write<'_>, campaign: i64, ids: &[i64], now: &str) -> Result<Vec<i64>> {
    let mut stmt = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO campaign_members (campaign_id, member_id, added_at)
         SELECT ?1, id, ?3 FROM members WHERE id = ?2 AND deleted_at IS NULL",
    )?;
    let mut added = Vec::new();
    for id in ids {
        if stmt.execute(params![campaign, id, now])? > 0 {
            added.push(*id);
        }
    }
    Ok(added)
}

pub fn remove_members(w: &mut Write<'_>, campaign: i64, ids: &[i64]) -> Result<u32> {
    let mut stmt = w
        .tx
        .prepare_cached("DELETE FROM campaign_members WHERE campaign_id = ?1 AND member_id = ?2")?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute([campaign, *id])? as u32;
    }
    Ok(n)
}

// ---------------------------------------------------------------- tasks

pub struct TaskRow<'a> {
    pub campaign_id: i64,
    pub title: &'a str,
    pub owner: &'a TaskOwner,
    pub due_on: &'a str,
    pub status: TaskStatus,
}

pub fn insert_task(w: &mut Write<'_>, t: &TaskRow<'_>, now: &str) -> Result<i64> {
    let (kind, partner) = owner_columns(t.owner);
    w.tx.prepare_cached(
        "INSERT INTO tasks (campaign_id, title, owner_kind, owner_partner_id, due_on, status,
                            done_at, position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 = 'done' THEN ?7 END,
                 (SELECT coalesce(max(position), 0) + 1 FROM tasks WHERE campaign_id = ?1), ?7)",
    )?
    .execute(params![
        t.campaign_id,
        t.title,
        kind,
        partner,
        t.due_on,
        t.status.key(),
        now
    ])?;
    let id = w.tx.last_insert_rowid();
    set_member_owner(w, id, t.owner)?;
    Ok(id)
}

fn owner_columns(owner: &TaskOwner) -> (&'static str, Option<i64>) {
    match owner {
        TaskOwner::Manager => ("manager", None),
        TaskOwner::Member { .. } => ("member", None),
        TaskOwner::Partner { partner_id, .. } => ("partner", Some(*partner_id)),
    }
}

fn set_member_owner(w: &mut Write<'_>, task: i64, owner: &TaskOwner) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM task_owners WHERE task_id = ?1")?
        .execute([task])?;
    if let TaskOwner::Member { member_id, .. } = owner {
        w.tx.prepare_cached("INSERT INTO task_owners (task_id, member_id) VALUES (?1, ?2)")?
            .execute([task, *member_id])?;
    }
    Ok(())
}

pub fn update_task(
    w: &mut Write<'_>,
    id: i64,
    title: &str,
    owner: &TaskOwner,
    due_on: &str,
) -> Result<bool> {
    let (kind, partner) = owner_columns(owner);
    let changed =
        w.tx.prepare_cached(
            "UPDATE tasks SET title = ?2, owner_kind = ?3, owner_partner_id = ?4, due_on = ?5
              WHERE id = ?1",
        )?
        .execute(params![id, title, kind, partner, due_on])?
            > 0;
    if changed {
        set_member_owner(w, id, owner)?;
    }
    Ok(changed)
}

pub fn set_task_status(w: &mut Write<'_>, id: i64, status: TaskStatus, now: &str) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE tasks SET status = ?2, done_at = CASE WHEN ?2 = 'done' THEN ?3 END
              WHERE id = ?1",
        )?
        .execute(params![id, status.key(), now])?
        > 0)
}

pub fn delete_task(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx.execute("DELETE FROM tasks WHERE id = ?1", [id])? > 0)
}

pub fn add_check(w: &mut Write<'_>, task: i64, text: &str) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO task_checklist (task_id, text, position)
         VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM task_checklist
                           WHERE task_id = ?1))",
    )?
    .execute(params![task, text])?;
    Ok(w.tx.last_insert_rowid())
}

/// Ticks a checklist item; returns its task.
pub fn set_check(w: &mut Write<'_>, id: i64, done: bool) -> Result<Option<i64>> {
    w.tx.prepare_cached("UPDATE task_checklist SET done = ?2 WHERE id = ?1")?
        .execute(params![id, done])?;
    Ok(w.tx
        .prepare_cached("SELECT task_id FROM task_checklist WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?)
}

const TASK: &str = "SELECT t.id, t.campaign_id, c.name, t.title, t.owner_kind, o.member_id,
       m.display_name, t.owner_partner_id, p.contact, p.organisation, t.due_on, t.status,
       t.done_at
  FROM tasks t
  JOIN campaigns c ON c.id = t.campaign_id
  LEFT JOIN task_owners o ON o.task_id = t.id
  LEFT JOIN members m ON m.id = o.member_id
  LEFT JOIN partners p ON p.id = t.owner_partner_id";

fn task(row: &Row<'_>) -> rusqlite::Result<Task> {
    let kind: String = row.get(4)?;
    let member: Option<i64> = row.get(5)?;
    let partner: Option<i64> = row.get(7)?;
    let owner = match (kind.as_str(), member, partner) {
        ("member", Some(member_id), _) => TaskOwner::Member {
            member_id,
            name: row.get(6)?,
        },
        ("partner", _, Some(partner_id)) => {
            let contact: String = row.get(8)?;
            let org: String = row.get(9)?;
            TaskOwner::Partner {
                partner_id,
                name: if contact.is_empty() {
                    org
                } else {
                    format!("{contact} ({org})")
                },
            }
        }
        // A member owner erased, or a partner removed: the manager holds it.
        _ => TaskOwner::Manager,
    };
    let status: String = row.get(11)?;
    Ok(Task {
        id: row.get(0)?,
        campaign_id: row.get(1)?,
        campaign_name: row.get(2)?,
        title: row.get(3)?,
        owner,
        due_on: row.get(10)?,
        status: TaskStatus::from_key(&status).ok_or_else(|| bad("task status", &status))?,
        done_at: row.get(12)?,
        checklist: Vec::new(),
    })
}

fn with_checklists(r: &Read<'_>, mut tasks: Vec<Task>) -> Result<Vec<Task>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, text, done FROM task_checklist WHERE task_id = ?1 ORDER BY position, id",
    )?;
    for t in &mut tasks {
        t.checklist = stmt
            .query_map([t.id], |row| {
                Ok(ChecklistItem {
                    id: row.get(0)?,
                    text: row.get(1)?,
                    done: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(tasks)
}

pub fn tasks_of(r: &Read<'_>, campaign: i64) -> Result<Vec<Task>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{TASK} WHERE t.campaign_id = ?1 ORDER BY t.due_on, t.position, t.id"
    ))?;
    let rows = stmt
        .query_map([campaign], task)?
        .collect::<rusqlite::Result<_>>()?;
    with_checklists(r, rows)
}

pub fn get_task(r: &Read<'_>, id: i64) -> Result<Option<Task>> {
    let one = r
        .conn
        .prepare_cached(&format!("{TASK} WHERE t.id = ?1"))?
        .query_row([id], task)
        .optional()?;
    Ok(with_checklists(r, one.into_iter().collect())?.pop())
}

/// Open tasks of campaigns not cancelled, due on or before `day` (all open ones when None),
/// the earliest first.
pub fn open_tasks(r: &Read<'_>, due_before: Option<&str>, limit: u32) -> Result<Vec<Task>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{TASK} WHERE t.status <> 'done' AND t.due_on <= ?1 AND c.status <> 'cancelled'
          ORDER BY t.due_on, t.id LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![due_before.unwrap_or("9999-12-31"), limit], task)?
        .collect::<rusqlite::Result<_>>()?;
    with_checklists(r, rows)
}

/// Every task of every campaign (`hearth tasks list` without a date), by due day.
pub fn all_tasks(r: &Read<'_>) -> Result<Vec<Task>> {
    let mut stmt = r
        .conn
        .prepare_cached(&format!("{TASK} ORDER BY t.due_on, t.id"))?;
    let rows = stmt.query_map([], task)?.collect::<rusqlite::Result<_>>()?;
    with_checklists(r, rows)
}

pub fn move_on_merge(w: &mut Write<'_>, merge_id: i64, merged_id: i64, kept_id: i64) -> Result<()> {
    // Campaign memberships the kept member does not already have.
    w.tx.prepare_cached(
        "INSERT INTO merge_campaign_rows (merge_id, kind, row_id)
         SELECT ?1, 'campaign', campaign_id FROM campaign_members
          WHERE member_id = ?2
            AND campaign_id NOT IN (SELECT campaign_id FROM campaign_members WHERE member_id = ?3)",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached(
        "UPDATE campaign_members SET member_id = ?3
          WHERE member_id = ?2 AND campaign_id IN
                (SELECT row_id FROM merge_campaign_rows WHERE merge_id = ?1 AND kind = 'campaign')",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached(
        "INSERT INTO merge_campaign_rows (merge_id, kind, row_id)
         SELECT ?1, 'task', task_id FROM task_owners WHERE member_id = ?2",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached(
        "UPDATE task_owners SET member_id = ?2
          WHERE task_id IN (SELECT row_id FROM merge_campaign_rows
                             WHERE merge_id = ?1 AND kind = 'task')",
    )?
    .execute(params![merge_id, kept_id])?;
    Ok(())
}

pub fn unmove_on_merge(
    w: &mut Write<'_>,
    merge_id: i64,
    merged_id: i64,
    kept_id: i64,
) -> Result<()> {
    w.tx.prepare_cached(
        "UPDATE campaign_members SET member_id = ?2
          WHERE member_id = ?3 AND campaign_id IN
                (SELECT row_id FROM merge_campaign_rows WHERE merge_id = ?1 AND kind = 'campaign')",
    )?
    .execute(params![merge_id, merged_id, kept_id])?;
    w.tx.prepare_cached(
        "UPDATE task_owners SET member_id = ?2
          WHERE task_id IN (SELECT row_id FROM merge_campaign_rows
                             WHERE merge_id = ?1 AND kind = 'task')",
    )?
    .execute(params![merge_id, merged_id])?;
    w.tx.prepare_cached("DELETE FROM merge_campaign_rows WHERE merge_id = ?1")?
        .execute([merge_id])?;
    Ok(())
}

// ---------------------------------------------------------------- partners

fn contributions(raw: &str) -> Vec<Contribution> {
    raw.split(',').filter_map(Contribution::from_key).collect()
}

pub fn insert_partner(w: &mut Write<'_>, p: &PartnerDraft, now: &str) -> Result<i64> {
    let contributes: Vec<&str> = p.contributes.iter().map(|c| c.key()).collect();
    w.tx.prepare_cached(
        "INSERT INTO partners (organisation, contact, phone, contributes, status, notes,
                               created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        p.organisation,
        p.contact,
        p.phone,
        contributes.join(","),
        p.status.key(),
        p.notes,
        now
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_partner(w: &mut Write<'_>, id: i64, p: &PartnerDraft, now: &str) -> Result<bool> {
    let contributes: Vec<&str> = p.contributes.iter().map(|c| c.key()).collect();
    Ok(w.tx
        .prepare_cached(
            "UPDATE partners SET organisation = ?2, contact = ?3, phone = ?4, contributes = ?5,
                    status = ?6, notes = ?7, updated_at = ?8 WHERE id = ?1",
        )?
        .execute(params![
            id,
            p.organisation,
            p.contact,
            p.phone,
            contributes.join(","),
            p.status.key(),
            p.notes,
            now
        ])?
        > 0)
}

fn partner_row(row: &Row<'_>) -> rusqlite::Result<Partner> {
    let status: String = row.get(5)?;
    Ok(Partner {
        id: row.get(0)?,
        organisation: row.get(1)?,
        contact: row.get(2)?,
        phone: row.get(3)?,
        contributes: contributions(&row.get::<_, String>(4)?),
        status: PartnerStatus::from_key(&status).ok_or_else(|| bad("partner status", &status))?,
        notes: row.get(6)?,
        history: Vec::new(),
    })
}

const PARTNER: &str = "SELECT p.id, p.organisation, p.contact, p.phone, p.contributes, p.status,
       p.notes FROM partners p";

fn with_history(r: &Read<'_>, mut partners: Vec<Partner>) -> Result<Vec<Partner>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT c.id, c.name, c.starts_on, l.note FROM campaign_partners l
           JOIN campaigns c ON c.id = l.campaign_id
          WHERE l.partner_id = ?1 ORDER BY c.starts_on DESC, c.id DESC",
    )?;
    for p in &mut partners {
        p.history = stmt
            .query_map([p.id], |row| {
                Ok(PartnerCampaign {
                    campaign_id: row.get(0)?,
                    campaign_name: row.get(1)?,
                    starts_on: row.get(2)?,
                    note: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(partners)
}

pub fn partners(r: &Read<'_>) -> Result<Vec<Partner>> {
    let mut stmt = r
        .conn
        .prepare_cached(&format!("{PARTNER} ORDER BY p.organisation, p.id"))?;
    let rows = stmt
        .query_map([], partner_row)?
        .collect::<rusqlite::Result<_>>()?;
    with_history(r, rows)
}

pub fn get_partner(r: &Read<'_>, id: i64) -> Result<Option<Partner>> {
    let one = r
        .conn
        .prepare_cached(&format!("{PARTNER} WHERE p.id = ?1"))?
        .query_row([id], partner_row)
        .optional()?;
    Ok(with_history(r, one.into_iter().collect())?.pop())
}

pub fn campaign_partners(r: &Read<'_>, campaign: i64) -> Result<Vec<Partner>> {
    let mut stmt = r.conn.prepare_cached(&format!(
        "{PARTNER} JOIN campaign_partners l ON l.partner_id = p.id WHERE l.campaign_id = ?1
          ORDER BY p.organisation, p.id"
    ))?;
    let rows = stmt
        .query_map([campaign], partner_row)?
        .collect::<rusqlite::Result<_>>()?;
    with_history(r, rows)
}

pub fn link_partner(w: &mut Write<'_>, campaign: i64, partner: i64, note: &str) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO campaign_partners (campaign_id, partner_id, note) VALUES (?1, ?2, ?3)
         ON CONFLICT (campaign_id, partner_id) DO UPDATE SET note = excluded.note",
    )?
    .execute(params![campaign, partner, note])?;
    Ok(())
}

pub fn unlink_partner(w: &mut Write<'_>, campaign: i64, partner: i64) -> Result<bool> {
    Ok(w.tx.execute(
        "DELETE FROM campaign_partners WHERE campaign_id = ?1 AND partner_id = ?2",
        [campaign, partner],
    )? > 0)
}

/// (campaign, note) per link, task ids, funding ids.
pub type PartnerTies = (Vec<(i64, String)>, Vec<i64>, Vec<i64>);

/// What removing a partner takes away besides its row: (campaign, note) of each link, the tasks
/// it owned and the funding it gave. The row goes; tasks fall back to the manager and funding
/// keeps its amount without the partner (the foreign keys set them to NULL).
pub fn partner_ties(r: &Read<'_>, id: i64) -> Result<PartnerTies> {
    let links = r
        .conn
        .prepare_cached(
            "SELECT campaign_id, note FROM campaign_partners INDEXED BY campaign_partners_by_partner
              WHERE partner_id = ?1 ORDER BY campaign_id",
        )?
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let tasks = r
        .conn
        .prepare_cached("SELECT id FROM tasks WHERE owner_partner_id = ?1 ORDER BY id")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let funding = r
        .conn
        .prepare_cached("SELECT id FROM funding WHERE partner_id = ?1 ORDER BY id")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((links, tasks, funding))
}

pub fn delete_partner(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx.execute("DELETE FROM partners WHERE id = ?1", [id])? > 0)
}

/// Puts a removed partner back under its old id (`None` when that id was taken since: then a
/// new one) and returns the id it has now.
pub fn reinsert_partner(w: &mut Write<'_>, id: i64, p: &PartnerDraft, now: &str) -> Result<i64> {
    let contributes: Vec<&str> = p.contributes.iter().map(|c| c.key()).collect();
    let taken: bool =
        w.tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM partners WHERE id = ?1)")?
            .query_row([id], |row| row.get(0))?;
    if taken {
        return insert_partner(w, p, now);
    }
    w.tx.prepare_cached(
        "INSERT INTO partners (id, organisation, contact, phone, contributes, status, notes,
                               created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        id,
        p.organisation,
        p.contact,
        p.phone,
        contributes.join(","),
        p.status.key(),
        p.notes,
        now
    ])?;
    Ok(id)
}

/// Gives back to a partner the tasks and funding rows that lost it (those still partnerless).
pub fn retie_partner(w: &mut Write<'_>, id: i64, tasks: &[i64], funding: &[i64]) -> Result<()> {
    let mut task = w.tx.prepare_cached(
        "UPDATE tasks SET owner_partner_id = ?1
          WHERE id = ?2 AND owner_kind = 'partner' AND owner_partner_id IS NULL",
    )?;
    for t in tasks {
        task.execute([id, *t])?;
    }
    let mut fund = w.tx.prepare_cached(
        "UPDATE funding SET partner_id = ?1 WHERE id = ?2 AND partner_id IS NULL",
    )?;
    for f in funding {
        fund.execute([id, *f])?;
    }
    Ok(())
}

// ---------------------------------------------------------------- money

pub fn insert_budget_line(w: &mut Write<'_>, campaign: i64, l: &BudgetLine) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO budget_lines (campaign_id, category, label, planned_fen, actual_fen, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        campaign,
        l.category.key(),
        l.label,
        l.planned_fen,
        l.actual_fen,
        l.currency
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_budget_line(w: &mut Write<'_>, l: &BudgetLine) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE budget_lines SET category = ?2, label = ?3, planned_fen = ?4, actual_fen = ?5,
                    currency = ?6 WHERE id = ?1",
        )?
        .execute(params![
            l.id,
            l.category.key(),
            l.label,
            l.planned_fen,
            l.actual_fen,
            l.currency
        ])?
        > 0)
}

pub fn delete_budget_line(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx
        .execute("DELETE FROM budget_lines WHERE id = ?1", [id])?
        > 0)
}

pub fn budget_lines(r: &Read<'_>, campaign: i64) -> Result<Vec<BudgetLine>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, category, label, planned_fen, actual_fen, currency FROM budget_lines
          WHERE campaign_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([campaign], |row| {
        let category: String = row.get(1)?;
        Ok(BudgetLine {
            id: row.get(0)?,
            category: BudgetCategory::from_key(&category)
                .ok_or_else(|| bad("budget category", &category))?,
            label: row.get(2)?,
            planned_fen: row.get(3)?,
            actual_fen: row.get(4)?,
            currency: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_funding(w: &mut Write<'_>, campaign: i64, f: &Funding) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO funding (campaign_id, source, partner_id, amount_fen, currency, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        campaign,
        f.source.key(),
        f.partner_id,
        f.amount_fen,
        f.currency,
        f.note
    ])?;
    Ok(w.tx.last_insert_rowid())
}

pub fn update_funding(w: &mut Write<'_>, campaign: i64, f: &Funding) -> Result<bool> {
    Ok(w.tx
        .prepare_cached(
            "UPDATE funding SET source = ?3, partner_id = ?4, amount_fen = ?5, currency = ?6,
                                note = ?7
              WHERE id = ?1 AND campaign_id = ?2",
        )?
        .execute(params![
            f.id,
            campaign,
            f.source.key(),
            f.partner_id,
            f.amount_fen,
            f.currency,
            f.note
        ])?
        > 0)
}

pub fn delete_funding(w: &mut Write<'_>, id: i64) -> Result<bool> {
    Ok(w.tx.execute("DELETE FROM funding WHERE id = ?1", [id])? > 0)
}

pub fn funding(r: &Read<'_>, campaign: i64) -> Result<Vec<Funding>> {
    let mut stmt = r.conn.prepare_cached(
        "SELECT id, source, partner_id, amount_fen, currency, note FROM funding
          WHERE campaign_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([campaign], |row| {
        let source: String = row.get(1)?;
        Ok(Funding {
            id: row.get(0)?,
            source: FundingSource::from_key(&source)
                .ok_or_else(|| bad("funding source", &source))?,
            partner_id: row.get(2)?,
            amount_fen: row.get(3)?,
            currency: row.get(4)?,
            note: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
