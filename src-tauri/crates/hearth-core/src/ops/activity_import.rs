//! Activities from a file: a daily 签到 list, a QQ group list with its 最后发言 column, a sheet
//! of "who spoke today". The people go through the member import as usual (matched by their
//! contacts, new ones created, recorded as an import batch that can be undone); each row's
//! activity is then logged for the member the row became, with the kind's points and daily caps.
//!
//! The activity columns are found by their headers (时间 / 最后发言 / 签到时间 / date, 类型 /
//! kind, 备注 / note) or chosen by the manager; a file without a kind column logs the kind the
//! manager picked for all its rows. A row whose time or kind cannot be read is reported by line
//! and field and left out entirely (its person is not imported either); a row with an empty time
//! cell (a QQ member who never spoke) has no activity and is left out. An activity already logged
//! for that member at that exact time is not logged again, so importing the same list twice adds
//! nothing. Preview is the real run rolled back; apply is one transaction; undo voids the
//! activities (their points are reversed in the ledger) and undoes the member import, together.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::engagement::{log_many_in, void_in, NewLog};
use crate::clock::stamp;
use crate::domain::ActivityKind;
use crate::error::{Error, ErrorCode, Result};
use crate::io::cells::{parse_instant, DateRules};
use crate::io::columns::ColumnMapping;
use crate::io::read::Table;
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::import::{apply_in, preview_in, ImportOptions, ImportPreview, PlanCounts};
use crate::ops::Ctx;
use crate::store::engagement as table;
use crate::store::{imports, Write};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportActivities {
    /// The file and the member side, exactly as a member import takes them. Columns used for
    /// the activity (time, kind, note) are taken out of the member mapping.
    pub options: ImportOptions,
    /// The kind logged for rows that do not name one (a file without a kind column).
    #[serde(default)]
    pub kind: Option<String>,
    /// Column (0-based) holding when it happened; `None` finds it by its header. Without one,
    /// every row happened at `at`.
    #[serde(default)]
    pub time_column: Option<u32>,
    #[serde(default)]
    pub kind_column: Option<u32>,
    #[serde(default)]
    pub note_column: Option<u32>,
    /// RFC 3339; when rows have no time column. Now when absent.
    #[serde(default)]
    pub at: Option<String>,
}

/// What became of one row's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ActivityRowOutcome {
    /// Logged with its points.
    Logged,
    /// Logged without points: the member had reached the kind's daily cap.
    Capped,
    /// The member already has this activity at this time.
    AlreadyLogged,
    /// The row's time cell is empty: nothing happened to log.
    NoActivity,
    /// The time or kind cannot be read (see `error`); the row is left out.
    Invalid,
    /// The member side of the row was invalid, skipped or left out (see the member preview).
    NoMember,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityRow {
    pub line: u32,
    pub member_id: Option<i64>,
    pub kind: Option<String>,
    pub occurred_at: Option<String>,
    pub outcome: ActivityRowOutcome,
    pub points: i64,
    pub error: Option<Error>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityCounts {
    pub logged: u32,
    pub capped: u32,
    pub already_logged: u32,
    pub no_activity: u32,
    pub invalid: u32,
    pub no_member: u32,
    pub points: i64,
}

/// Which columns hold the activity, as found or chosen (`None`: the file has none).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityColumns {
    pub time: Option<ColumnMapping>,
    pub kind: Option<ColumnMapping>,
    pub note: Option<ColumnMapping>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityImport {
    /// The member side row by row; only in a preview.
    pub preview: Option<ImportPreview>,
    pub members: PlanCounts,
    pub columns: ActivityColumns,
    pub counts: ActivityCounts,
    /// Every invalid row, then the first others (up to 2,000), in file order.
    pub rows: Vec<ActivityRow>,
    /// Undo with [`undo`]; `None` in a preview.
    pub batch_id: Option<i64>,
}

const ROW_DETAILS: usize = 2000;
const HEADER_TIME: &[&str] = &[
    "时间",
    "日期",
    "最后发言",
    "最后发言时间",
    "发言时间",
    "签到时间",
    "打卡时间",
    "签到日期",
    "活动时间",
    "date",
    "time",
    "datetime",
    "timestamp",
    "lastspoke",
    "lastactive",
    "lastseen",
    "occurredat",
    "when",
];
const HEADER_KIND: &[&str] = &[
    "类型",
    "活动类型",
    "行为",
    "动作",
    "kind",
    "type",
    "activity",
    "action",
];
const HEADER_NOTE: &[&str] = &[
    "活动备注",
    "说明",
    "内容",
    "note",
    "activitynote",
    "comment",
];

fn loose(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Previews the import; nothing is written.
pub fn preview(ctx: &Ctx, input: &ImportActivities) -> Result<ActivityImport> {
    let plan = plan(ctx, input)?;
    let now = ctx.now_stamp();
    let offset = ctx.clock.utc_offset();
    ctx.store.dry_run(|w| {
        let (preview, resolved) = preview_in(w, &plan.options, &now)?;
        let mut out = log_rows(w, &plan, &resolved, "import", ctx.clock.now(), offset)?;
        out.members = preview.counts.clone();
        out.preview = Some(preview);
        Ok(out)
    })
}

/// Imports the people and logs their activities in one transaction.
pub fn apply(
    ctx: &Ctx,
    input: &ImportActivities,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<ActivityImport> {
    let plan = plan(ctx, input)?;
    let now = ctx.now_stamp();
    let offset = ctx.clock.utc_offset();
    ctx.store.write(|w| {
        let (outcome, resolved) = apply_in(w, &plan.options, &now, progress, cancel)?;
        let source = format!("import:{}", outcome.batch_id);
        let mut out = log_rows(w, &plan, &resolved, &source, ctx.clock.now(), offset)?;
        out.members = outcome.counts;
        out.batch_id = Some(outcome.batch_id);
        Ok(out)
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityImportUndone {
    pub activities: u32,
    pub points: i64,
    pub members_removed: u32,
    pub members_restored: u32,
}

/// Takes an activity import back: its activities are voided (points reversed) and the member
/// import undone, in one transaction.
pub fn undo(ctx: &Ctx, batch_id: i64) -> Result<ActivityImportUndone> {
    let now = ctx.now_stamp();
    let today = ctx.clock.today();
    ctx.store.write(|w| {
        let rows = table::live_by_source(&w.read(), &format!("import:{batch_id}"))?;
        let mut points = 0;
        for (id, _) in &rows {
            points += void_in(w, *id, &now)?;
        }
        let mut members: Vec<i64> = rows.iter().map(|(_, m)| *m).collect();
        members.sort_unstable();
        members.dedup();
        crate::ops::lifecycle::refresh_in(w, &members, today, &now)?;
        let (removed, restored) = imports::undo(w, batch_id, &now)?;
        consequences::apply_in(w, Change::Imported, Moment::of(ctx, &now))?;
        Ok(ActivityImportUndone {
            activities: rows.len() as u32,
            points,
            members_removed: removed,
            members_restored: restored,
        })
    })
}

/// One row's activity as read from the file.
enum Cells {
    Activity {
        kind: ActivityKind,
        at: DateTime<Utc>,
        note: String,
    },
    Empty,
    Invalid(Error),
}

struct Plan {
    options: ImportOptions,
    /// Points of each kind (by key), to tell a capped row from a kind that earns none.
    kind_points: HashMap<String, i64>,
    columns: ActivityColumns,
    rows: Vec<(u32, Cells)>,
}

/// Reads the file once for its activity columns; the member import then runs without those
/// columns and without the rows that carry no activity.
fn plan(ctx: &Ctx, input: &ImportActivities) -> Result<Plan> {
    let kinds = ctx.store.read(table::kinds)?;
    let default_kind = match input.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(find_kind(&kinds, k).ok_or_else(|| unknown_kind(k))?),
    };
    let now = ctx.clock.now();
    let fixed_at =
        crate::clock::parse_past(input.at.as_deref(), now, ctx.clock.utc_offset(), "at")?;
    // The header row and the member mapping the member import would use, from the first rows.
    let (header_line, mapping, day_first) = ctx
        .store
        .read(|r| crate::ops::import::file_layout(r, &input.options))?;
    let header = |index: Option<u32>, words: &[&str]| -> Option<ColumnMapping> {
        match index {
            Some(i) => mapping.iter().find(|m| m.index == i).cloned(),
            None => mapping
                .iter()
                .find(|m| words.contains(&loose(&m.header).as_str()))
                .cloned(),
        }
    };
    let columns = ActivityColumns {
        time: header(input.time_column, HEADER_TIME),
        kind: header(input.kind_column, HEADER_KIND),
        note: header(input.note_column, HEADER_NOTE),
    };
    if columns.kind.is_none() && default_kind.is_none() {
        return Err(Error::required("kind"));
    }
    let taken: HashSet<u32> = [&columns.time, &columns.kind, &columns.note]
        .into_iter()
        .flatten()
        .map(|m| m.index)
        .collect();
    let mut options = input.options.clone();
    options.mapping = Some(
        mapping
            .iter()
            .map(|m| ColumnMapping {
                field: if taken.contains(&m.index) {
                    String::new()
                } else {
                    m.field.clone()
                },
                ..m.clone()
            })
            .collect(),
    );
    options.header_line = Some(header_line);
    options.day_first = Some(day_first);

    let rules = DateRules {
        day_first,
        utc_offset_minutes: input.options.utc_offset_minutes,
        excel_1904: input.options.excel_1904,
    };
    let mut file = Table::open(
        Path::new(&input.options.path),
        input.options.encoding.as_deref(),
        input.options.sheet.as_deref(),
    )?;
    let cell = |cells: &[String], col: &Option<ColumnMapping>| -> String {
        col.as_ref()
            .and_then(|m| cells.get(m.index as usize))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    while let Some(row) = file.next_row() {
        let row = row?;
        let line = row.line as u32;
        if line <= header_line
            || options.excluded_lines.contains(&line)
            || row.cells.iter().all(|c| c.trim().is_empty())
        {
            continue;
        }
        let kind_cell = cell(&row.cells, &columns.kind);
        let kind = if kind_cell.is_empty() {
            default_kind.clone()
        } else {
            find_kind(&kinds, &kind_cell)
        };
        let Some(kind) = kind else {
            let error = if kind_cell.is_empty() {
                Error::required("kind")
            } else {
                unknown_kind(&kind_cell)
            };
            rows.push((line, Cells::Invalid(at_line(error, line))));
            continue;
        };
        let at = match &columns.time {
            None => Ok(Some(fixed_at)),
            Some(_) => {
                let raw = cell(&row.cells, &columns.time);
                if raw.is_empty() {
                    Ok(None)
                } else {
                    parse_instant(&raw, rules)
                        .ok()
                        .and_then(|(s, _)| DateTime::parse_from_rfc3339(&s).ok())
                        .map(|t| Some(t.with_timezone(&Utc)))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorCode::InvalidDate,
                                format!("“{raw}” is not a date and time"),
                            )
                            .with_field("occurred_at")
                            .with_param("value", &raw)
                        })
                }
            }
        };
        let cells = match at {
            Err(e) => Cells::Invalid(at_line(e, line)),
            Ok(None) => Cells::Empty,
            Ok(Some(at)) => match crate::clock::refuse_future(at, now, "occurred_at") {
                Err(refused) => Cells::Invalid(at_line(refused, line)),
                Ok(()) => Cells::Activity {
                    kind,
                    at,
                    note: cell(&row.cells, &columns.note).chars().take(500).collect(),
                },
            },
        };
        if !matches!(cells, Cells::Activity { .. }) {
            options.excluded_lines.push(line);
        }
        rows.push((line, cells));
    }
    Ok(Plan {
        options,
        kind_points: kinds.iter().map(|k| (k.key.clone(), k.points)).collect(),
        columns,
        rows,
    })
}

fn at_line(error: Error, line: u32) -> Error {
    error.with_param("line", line)
}

fn find_kind(kinds: &[ActivityKind], cell: &str) -> Option<ActivityKind> {
    let key = loose(cell);
    let alias = match key.as_str() {
        "打卡" | "每日签到" | "checkin" => "checkin",
        "说话" | "聊天" | "spoke" | "message" | "chat" => "spoke",
        "答疑" | "回答" | "answer" => "answered",
        "邀请" | "拉新" | "invite" => "invited",
        "参会" | "到场" | "attended" => "attended_event",
        "志愿者" | "volunteer" => "volunteered",
        _ => "",
    };
    kinds
        .iter()
        .find(|k| {
            loose(&k.key) == key
                || loose(&k.name_zh) == key
                || loose(&k.name_en) == key
                || k.key == alias
        })
        .cloned()
}

fn unknown_kind(value: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("“{value}” is not an activity kind"),
    )
    .with_field("kind")
    .with_param("value", value)
}

fn log_rows(
    w: &mut Write<'_>,
    plan: &Plan,
    resolved: &[(u32, i64)],
    source: &str,
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
) -> Result<ActivityImport> {
    let members: HashMap<u32, i64> = resolved.iter().copied().collect();
    let mut counts = ActivityCounts::default();
    let mut rows = Vec::with_capacity(plan.rows.len());
    // Rows to log, in file order, and where each one's report is.
    let mut batch: Vec<NewLog> = Vec::new();
    let mut logged_rows: Vec<usize> = Vec::new();
    let mut seen: HashSet<(i64, String, String)> = HashSet::new();
    for (line, cells) in &plan.rows {
        let line = *line;
        let mut row = ActivityRow {
            line,
            member_id: None,
            kind: None,
            occurred_at: None,
            outcome: ActivityRowOutcome::NoActivity,
            points: 0,
            error: None,
        };
        match cells {
            Cells::Invalid(e) => {
                counts.invalid += 1;
                row.outcome = ActivityRowOutcome::Invalid;
                row.error = Some(e.clone());
            }
            Cells::Empty => counts.no_activity += 1,
            Cells::Activity { kind, at, note } => {
                let occurred_at = stamp(*at);
                row.member_id = members.get(&line).copied();
                row.kind = Some(kind.key.clone());
                row.occurred_at = Some(occurred_at.clone());
                match row.member_id {
                    None => {
                        counts.no_member += 1;
                        row.outcome = ActivityRowOutcome::NoMember;
                    }
                    Some(m)
                        if !seen.insert((m, kind.key.clone(), occurred_at.clone()))
                            || table::logged_at(&w.read(), m, &kind.key, &occurred_at)? =>
                    {
                        counts.already_logged += 1;
                        row.outcome = ActivityRowOutcome::AlreadyLogged;
                    }
                    Some(m) => {
                        logged_rows.push(rows.len());
                        batch.push(NewLog {
                            member_id: m,
                            kind: kind.key.clone(),
                            occurred_at: *at,
                            note: note.clone(),
                            source: source.to_owned(),
                            reference: String::new(),
                        });
                    }
                }
            }
        }
        rows.push(row);
    }
    if !batch.is_empty() {
        let logged = log_many_in(w, &batch, now, offset)?;
        for ((index, earned), new) in logged_rows.iter().zip(&logged.earned).zip(&batch) {
            let row = &mut rows[*index];
            let kind_points = plan.kind_points.get(&new.kind).copied().unwrap_or(0);
            row.points = *earned;
            if *earned == 0 && kind_points != 0 {
                row.outcome = ActivityRowOutcome::Capped;
                counts.capped += 1;
            } else {
                row.outcome = ActivityRowOutcome::Logged;
                counts.logged += 1;
            }
            counts.points += *earned;
        }
    }
    // Problems first, then the others, as many as the dialog shows.
    rows.sort_by_key(|r| (r.outcome != ActivityRowOutcome::Invalid, r.line));
    rows.truncate(ROW_DETAILS);
    Ok(ActivityImport {
        preview: None,
        members: PlanCounts::default(),
        columns: plan.columns.clone(),
        counts,
        rows,
        batch_id: None,
    })
}
