//! Importing a member list: preview (a dry run that plans every row) and apply (the same run,
//! committed as one undoable batch), plus the batch history and undo.
//!
//! The preview runs the real apply inside a transaction that is rolled back, so what it shows is
//! exactly what applying will do, including rows that repeat a person earlier in the same file.
//! Each row runs inside a savepoint: a row that fails leaves nothing behind, and the rest go on.
//!
//! One file per part: `layout` (where the table is and how its columns map), `run` (the pass
//! over every row, with the plan's types), `row` (one row read, matched and written) and
//! `presets` (mappings the manager saved). This file holds the options and the verbs the UI and
//! the CLI call, and re-exports every public item, so callers name `ops::import::X` whatever
//! file `X` lives in.

mod layout;
mod presets;
mod row;
mod run;
mod taken;

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::domain::ImportBatch;
use crate::error::{Error, Result};
use crate::io::columns::ColumnMapping;
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::Ctx;
use crate::store::imports::{self, NewBatch};
use crate::store::Write;
use layout::{file_name, open};
use run::{run, run_resolving};

pub use crate::domain::RowFlag;
pub(crate) use layout::file_layout;
pub use presets::{delete_preset, save_preset, saved_presets, SavePreset, SavedPreset};
pub use run::{ImportPreview, PlanCounts, PlannedRow, PresetInfo, RowAction, ROW_DETAILS};

/// What to do with a row whose person is already a member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Leave the existing member as is.
    Skip,
    /// Values in the file replace the member's (empty cells never erase anything).
    Update,
    /// Only fields the member has empty are filled.
    #[default]
    FillEmpty,
}

impl DuplicatePolicy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Update => "update",
            Self::FillEmpty => "fill_empty",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOptions {
    pub path: String,
    /// A WHATWG encoding label to use instead of the detected one.
    #[serde(default)]
    pub encoding: Option<String>,
    /// Workbook sheet (the first by default).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header's line number, instead of the detected one.
    #[serde(default)]
    pub header_line: Option<u32>,
    /// Column mapping; `None` takes the suggestion.
    #[serde(default)]
    pub mapping: Option<Vec<ColumnMapping>>,
    #[serde(default)]
    pub policy: DuplicatePolicy,
    /// `03/05/2024` is 3 May. `None`: the preset's habit, else month first.
    #[serde(default)]
    pub day_first: Option<bool>,
    /// The manager's offset from UTC, for times written without one.
    #[serde(default)]
    pub utc_offset_minutes: i32,
    #[serde(default)]
    pub excel_1904: bool,
    /// Columns left unmapped become text custom fields named after their headers (existing
    /// fields of that name are filled).
    #[serde(default)]
    pub keep_unmapped: bool,
    /// Rows (by line number) the manager left out.
    #[serde(default)]
    pub excluded_lines: Vec<u32>,
    /// Source channel for members this import creates (the preset's, when empty).
    #[serde(default)]
    pub source: String,
    /// Tags added to every imported row.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where phone numbers written without a country code are.
    #[serde(default)]
    pub phone_region: PhoneRegion,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PhoneRegion {
    /// Mainland China, +86.
    #[default]
    Cn,
    /// North America, +1.
    Us,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    /// Pass to [`undo`] to take the import back.
    pub batch_id: i64,
    pub counts: PlanCounts,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportUndone {
    pub batch_id: i64,
    pub removed: u32,
    pub restored: u32,
}

/// Plans every row without writing anything.
pub fn preview(ctx: &Ctx, options: &ImportOptions) -> Result<ImportPreview> {
    preview_with_progress(ctx, options, &|_| {}, &AtomicBool::new(false))
}

/// [`preview`] for long files: `progress` hears the rows planned so far; `cancel` stops it.
pub fn preview_with_progress(
    ctx: &Ctx,
    options: &ImportOptions,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    let now = ctx.now_stamp();
    ctx.store
        .dry_run(|w| run(w, options, &now, None, progress, cancel))
}

/// Applies the import as one transaction and records it as a batch. `progress` hears the number
/// of rows done; setting `cancel` stops it with nothing written.
pub fn apply(
    ctx: &Ctx,
    options: &ImportOptions,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<ImportOutcome> {
    let now = ctx.now_stamp();
    ctx.store
        .write(|w| apply_in(w, options, &now, progress, cancel))
        .map(|(outcome, _)| outcome)
}

/// [`apply`], also answering the plan it carried out: the rows it refused and the rows it
/// flagged (the first [`ROW_DETAILS`]), for the command line's report. The flags themselves are
/// all kept with the batch ([`flags`]).
pub fn apply_planned(
    ctx: &Ctx,
    options: &ImportOptions,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<(ImportOutcome, ImportPreview)> {
    let now = ctx.now_stamp();
    ctx.store
        .write(|w| apply_run_in(w, options, &now, progress, cancel))
        .map(|(outcome, plan, _)| (outcome, plan))
}

/// [`apply`] inside a caller's transaction, also answering which member each row became.
pub(crate) fn apply_in(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<(ImportOutcome, Vec<(u32, i64)>)> {
    apply_run_in(w, options, now, progress, cancel)
        .map(|(outcome, _, resolved)| (outcome, resolved))
}

/// (line, member) for every row that became or matched a member, in file order.
type Resolved = Vec<(u32, i64)>;

fn apply_run_in(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<(ImportOutcome, ImportPreview, Resolved)> {
    let table = open(options)?;
    let batch_id = imports::begin(
        w,
        &NewBatch {
            file_name: &file_name(&options.path),
            format: &table.sniffed.format,
            encoding: &table.sniffed.encoding,
            policy: options.policy.as_str(),
        },
        now,
    )?;
    drop(table);
    let (plan, resolved) = run_resolving(w, options, now, Some(batch_id), progress, cancel)?;
    let c = &plan.counts;
    imports::finish(
        w,
        batch_id,
        &imports::BatchCounts {
            created: c.create,
            updated: c.update + c.merge,
            skipped: c.skip,
            invalid: c.invalid,
            flagged: c.flagged,
        },
    )?;
    Ok((
        ImportOutcome {
            batch_id,
            counts: plan.counts.clone(),
        },
        plan,
        resolved,
    ))
}

/// A preview inside a caller's (rolled back) transaction, with the member each row matched.
pub(crate) fn preview_in(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
) -> Result<(ImportPreview, Vec<(u32, i64)>)> {
    run_resolving(w, options, now, None, &|_| {}, &AtomicBool::new(false))
}

pub fn undo(ctx: &Ctx, batch_id: i64) -> Result<ImportUndone> {
    let now = ctx.now_stamp();
    let (removed, restored) = ctx.store.write(|w| {
        let undone = imports::undo(w, batch_id, &now)?;
        consequences::apply_in(w, Change::Imported, Moment::of(ctx, &now))?;
        Ok(undone)
    })?;
    Ok(ImportUndone {
        batch_id,
        removed,
        restored,
    })
}

/// The latest 50 batches, newest first (the dialog's history).
pub fn history(ctx: &Ctx) -> Result<Vec<ImportBatch>> {
    ctx.store.read(|r| imports::list(r, 50))
}

/// Every batch, newest first (the command line's `imports list`, which never truncates).
pub fn all_batches(ctx: &Ctx) -> Result<Vec<ImportBatch>> {
    ctx.store.read(|r| imports::list(r, u32::MAX))
}

/// One batch with the values it left out of its members, by line.
pub fn batch(ctx: &Ctx, batch_id: i64) -> Result<(ImportBatch, Vec<RowFlag>)> {
    ctx.store.read(|r| {
        let batch =
            imports::get(r, batch_id)?.ok_or_else(|| Error::not_found("import", batch_id))?;
        Ok((batch, imports::flags(r, batch_id)?))
    })
}

/// The values an applied import left out of its members (and its possible duplicates), by line.
pub fn flags(ctx: &Ctx, batch_id: i64) -> Result<Vec<RowFlag>> {
    ctx.store.read(|r| imports::flags(r, batch_id))
}
