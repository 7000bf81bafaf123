//! One pass over a file: every row planned (and, when applying, written) in file order, with
//! the counts, the rows to show and the member each row became; the preview and the apply are
//! the same pass, one rolled back.
//!
//! Deliberately absent: what happens to a single row (`row`) and how the table is found
//! (`layout`).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::layout::{file_name, open};
use super::layout::{is_blank, layout, no_columns, Layout};
use super::row::{plan_row, row_name};
use super::taken::TakenContacts;
use super::{DuplicatePolicy, ImportOptions, PhoneRegion};
use crate::domain::RowFlag;
use crate::error::{Error, ErrorCode, Result};
use crate::io::cells::DateRules;
use crate::io::columns::{ColumnMapping, Field};
use crate::store::Write;

pub const ROW_DETAILS: usize = 2000;

const SAMPLE_ROWS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    /// Same person as an earlier row of this file: folded into it.
    Merge,
    Skip,
    Invalid,
    Excluded,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedRow {
    pub line: u32,
    pub action: RowAction,
    pub display_name: String,
    /// The existing member updated or skipped.
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    /// The identity kind that matched (`phone`, `email`, ...).
    pub matched_by: Option<String>,
    /// For [`RowAction::Merge`]: the earlier line it folds into.
    pub merged_with_line: Option<u32>,
    /// Why the row is invalid or skipped, naming the field.
    pub error: Option<Error>,
    /// Values left out of the member (a bad date, a phone Excel damaged, ...) and a possible
    /// duplicate by name: the row is imported all the same.
    pub flags: Vec<RowFlag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanCounts {
    pub rows: u32,
    pub create: u32,
    pub update: u32,
    pub merge: u32,
    pub skip: u32,
    pub invalid: u32,
    pub excluded: u32,
    /// Rows imported with at least one flag.
    pub flagged: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PresetInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPreview {
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    /// `bom`, `utf8`, `detected` or `chosen`.
    pub encoding_basis: String,
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub header_line: u32,
    pub mapping: Vec<ColumnMapping>,
    pub preset: Option<PresetInfo>,
    /// The first data rows as read, for the mapping screen.
    pub sample: Vec<Vec<String>>,
    pub counts: PlanCounts,
    /// Every invalid or flagged row, then the first others (up to [`ROW_DETAILS`] in all).
    pub rows: Vec<PlannedRow>,
    pub rows_truncated: bool,
    /// Some dates read differently as day/month or month/day: the manager should choose.
    pub ambiguous_dates: bool,
    /// Set when no column maps to a name or a contact: nothing was planned; map columns first.
    pub needs_mapping: Option<Error>,
    /// The manager's saved mapping that was recognised and used, by name.
    pub saved_preset: Option<String>,
    pub day_first: bool,
    /// About the file as a whole: a name that says another format than the content, columns
    /// mapped from their values, columns of contacts left for the manager to map.
    pub warnings: Vec<Error>,
}

/// The columns in use, parsed once.
pub(super) struct Columns {
    pub(super) fields: Vec<(usize, Field)>,
    pub(super) width: usize,
}

pub(super) fn run(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    batch_id: Option<i64>,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    run_resolving(w, options, now, batch_id, progress, cancel).map(|(plan, _)| plan)
}

/// [`run`], also answering which member each row became or matched, in file order (rows that
/// were invalid, excluded or summary lines have none). Event registration imports build on it.
pub(crate) fn run_resolving(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    batch_id: Option<i64>,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<(ImportPreview, Vec<(u32, i64)>)> {
    let mut table = open(options)?;
    let Layout {
        mut head,
        header_at,
        headers,
        header_line,
        preset,
        width,
        saved,
        mapping,
        day_first,
        mut warnings,
    } = layout(&w.read(), options, &mut table)?;
    if let Some(extension) = &table.sniffed.named_as {
        let format = table.sniffed.format.clone();
        warnings.insert(
            0,
            Error::new(
                ErrorCode::FormatMismatch,
                format!(
                    "the file is named .{extension} but holds {format}; it was read as {format}"
                ),
            )
            .with_param("extension", extension)
            .with_param("format", format),
        );
    }
    // Fields a mapping names that do not exist yet are created as text fields (in a preview they
    // are rolled back with everything else; two columns with one header share one field).
    for m in &mapping {
        if let Some(Field::Custom(label)) = Field::parse(&m.field) {
            if crate::store::custom_fields::by_label(&w.read(), &label)?.is_none() {
                crate::store::custom_fields::insert(
                    w,
                    None,
                    &label,
                    crate::domain::CustomFieldKind::Text,
                    &[],
                    now,
                )?;
            }
        }
    }
    let custom_fields = crate::store::custom_fields::list(&w.read())?;
    let cols = Columns {
        fields: mapping
            .iter()
            .filter_map(|m| Field::parse(&m.field).map(|f| (m.index as usize, f)))
            .collect(),
        width,
    };
    let needs_mapping = !cols.fields.iter().any(|(_, f)| f.names_or_identifies());
    // Applying needs a name or a contact column; a preview still opens, so the manager can map
    // the columns by hand.
    if needs_mapping && batch_id.is_some() {
        return Err(no_columns(&options.path));
    }
    let rules = DateRules {
        day_first,
        utc_offset_minutes: options.utc_offset_minutes,
        excel_1904: options.excel_1904,
    };
    let source = if options.source.trim().is_empty() {
        preset.map(|p| p.source.clone()).unwrap_or_default()
    } else {
        options.source.clone()
    };
    let identity_source = match batch_id {
        Some(id) => format!("import:{id}"),
        None => "import".to_owned(),
    };
    let excluded: HashSet<u32> = options.excluded_lines.iter().copied().collect();
    let extra_tags = options.tags.clone();

    let mut state = RunState {
        batch_id,
        now,
        identity_source: &identity_source,
        source: &source,
        policy: options.policy,
        region: options.phone_region,
        custom_fields,
        taken: if needs_mapping {
            TakenContacts::empty()
        } else {
            TakenContacts::read(&w.read())?
        },
        created_lines: HashMap::new(),
        counts: PlanCounts::default(),
        rows: Vec::new(),
        other_rows: Vec::new(),
        truncated: false,
        ambiguous_dates: false,
        resolved: Vec::new(),
    };
    let sample: Vec<Vec<String>> = head[header_at + 1..]
        .iter()
        .filter(|r| !is_blank(&r.cells))
        .take(SAMPLE_ROWS)
        .map(|r| r.cells.iter().take(width).cloned().collect())
        .collect();
    let mut rest = head.split_off(header_at + 1).into_iter();
    loop {
        if needs_mapping {
            break;
        }
        let row = match rest.next() {
            Some(row) => row,
            None => match table.next_row() {
                Some(row) => row?,
                None => break,
            },
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::new(
                ErrorCode::Cancelled,
                "cancelled; nothing was written",
            ));
        }
        if is_blank(&row.cells) || row.cells == headers {
            continue;
        }
        let line = row.line as u32;
        state.counts.rows += 1;
        if excluded.contains(&line) {
            state.push(planned(line, RowAction::Excluded, row_name(&row, &cols)));
        } else {
            let outcome = plan_row(w, &mut state, &row, &cols, rules, &extra_tags);
            state.push(outcome);
        }
        if state.counts.rows.is_multiple_of(500) {
            progress(state.counts.rows);
        }
    }
    progress(state.counts.rows);
    let resolved = std::mem::take(&mut state.resolved);
    let mut rows = state.rows;
    let room = ROW_DETAILS.saturating_sub(rows.len());
    state.truncated |= state.other_rows.len() > room;
    rows.extend(state.other_rows.into_iter().take(room));
    rows.sort_by_key(|r| r.line);
    let preview = ImportPreview {
        file_name: file_name(&options.path),
        format: table.sniffed.format.clone(),
        encoding: table.sniffed.encoding.clone(),
        encoding_basis: table.sniffed.encoding_basis.clone(),
        delimiter: table.sniffed.delimiter.map(|d| d.to_string()),
        sheets: table.sniffed.sheets.clone(),
        sheet: table.sniffed.sheet.clone(),
        header_line,
        mapping,
        saved_preset: saved.map(|s| s.name),
        needs_mapping: needs_mapping.then(|| no_columns(&options.path)),
        preset: preset.map(|p| PresetInfo {
            id: p.id.clone(),
            name_en: p.name.en.clone(),
            name_zh: p.name.zh.clone(),
        }),
        sample,
        counts: state.counts,
        rows,
        rows_truncated: state.truncated,
        ambiguous_dates: state.ambiguous_dates,
        day_first,
        warnings,
    };
    Ok((preview, resolved))
}

pub(super) struct RunState<'a> {
    pub(super) batch_id: Option<i64>,
    pub(super) now: &'a str,
    pub(super) identity_source: &'a str,
    pub(super) source: &'a str,
    pub(super) policy: DuplicatePolicy,
    pub(super) region: PhoneRegion,
    /// The custom fields, read once per run.
    pub(super) custom_fields: Vec<crate::domain::CustomField>,
    /// Which contacts someone may hold already, read once per run and kept up to date.
    pub(super) taken: TakenContacts,
    /// (member id, line) of members created by this run, for in-file duplicates.
    pub(super) created_lines: HashMap<i64, u32>,
    /// (line, member) for every row that became or matched a member.
    pub(super) resolved: Vec<(u32, i64)>,
    pub(super) counts: PlanCounts,
    /// Invalid and flagged rows (all, up to the cap) and the first rows of every other kind.
    pub(super) rows: Vec<PlannedRow>,
    pub(super) other_rows: Vec<PlannedRow>,
    pub(super) truncated: bool,
    pub(super) ambiguous_dates: bool,
}

impl RunState<'_> {
    fn push(&mut self, row: PlannedRow) {
        let c = &mut self.counts;
        match row.action {
            RowAction::Create => c.create += 1,
            RowAction::Update => c.update += 1,
            RowAction::Merge => c.merge += 1,
            RowAction::Skip => c.skip += 1,
            RowAction::Invalid => c.invalid += 1,
            RowAction::Excluded => c.excluded += 1,
        }
        if !row.flags.is_empty() {
            c.flagged += 1;
        }
        if row.action == RowAction::Invalid || !row.flags.is_empty() {
            if self.rows.len() < ROW_DETAILS {
                self.rows.push(row);
            } else {
                self.truncated = true;
            }
        } else if self.other_rows.len() < ROW_DETAILS {
            self.other_rows.push(row);
        } else {
            self.truncated = true;
        }
    }

    pub(super) fn created_line(&self, member_id: i64) -> Option<u32> {
        self.created_lines.get(&member_id).copied()
    }
}

pub(super) fn planned(line: u32, action: RowAction, display_name: String) -> PlannedRow {
    PlannedRow {
        line,
        action,
        display_name,
        member_id: None,
        member_name: None,
        matched_by: None,
        merged_with_line: None,
        error: None,
        flags: Vec::new(),
    }
}

pub(super) fn invalid(line: u32, display_name: String, error: Error) -> PlannedRow {
    PlannedRow {
        error: Some(error.with_param("line", line)),
        ..planned(line, RowAction::Invalid, display_name)
    }
}
