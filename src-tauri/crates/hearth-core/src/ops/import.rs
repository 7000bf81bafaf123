//! Importing a member list: preview (a dry run that plans every row) and apply (the same run,
//! committed as one undoable batch), plus the batch history and undo.
//!
//! The preview runs the real apply inside a transaction that is rolled back, so what it shows is
//! exactly what applying will do, including rows that repeat a person earlier in the same file.
//! Each row runs inside a savepoint: a row that fails leaves nothing behind, and the rest go on.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::domain::{Identity, IdentityKind, Member, MemberDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::io::cells::{self, DateRules};
use crate::io::columns::{self, ColumnMapping, Field};
use crate::io::read::{RawRow, Table};
use crate::ops::members::validate_with;
use crate::ops::Ctx;
use crate::store::imports::{self, ImportBatch, NewBatch};
use crate::store::{members, Write};

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
    /// Every invalid row, then the first others (up to [`ROW_DETAILS`] in all).
    pub rows: Vec<PlannedRow>,
    pub rows_truncated: bool,
    /// Some dates read differently as day/month or month/day: the manager should choose.
    pub ambiguous_dates: bool,
    /// Set when no column maps to a name or a contact: nothing was planned; map columns first.
    pub needs_mapping: Option<Error>,
    /// The manager's saved mapping that was recognised and used, by name.
    pub saved_preset: Option<String>,
    pub day_first: bool,
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

pub const ROW_DETAILS: usize = 2000;
const HEADER_SEARCH_ROWS: usize = 30;
const SAMPLE_ROWS: usize = 5;

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

/// [`apply`] inside a caller's transaction, also answering which member each row became.
pub(crate) fn apply_in(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<(ImportOutcome, Vec<(u32, i64)>)> {
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
    imports::finish(w, batch_id, c.create, c.update + c.merge, c.skip, c.invalid)?;
    Ok((
        ImportOutcome {
            batch_id,
            counts: plan.counts,
        },
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
        crate::ops::events::registrations::rebalance_all(w, &now)?;
        Ok(undone)
    })?;
    Ok(ImportUndone {
        batch_id,
        removed,
        restored,
    })
}

/// A column mapping the manager saved for a layout they receive again and again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedPreset {
    pub name: String,
    /// The header row it was saved from; a file with the same headers (any order) uses it.
    pub headers: Vec<String>,
    /// Header text → field key (`phone`, `platform:meetup`, ...).
    pub fields: Vec<(String, String)>,
    #[serde(default)]
    pub day_first: bool,
}

impl SavedPreset {
    fn matches(&self, headers: &[String]) -> bool {
        let mut have: Vec<&str> = headers
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .collect();
        let mut want: Vec<&str> = self
            .headers
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .collect();
        have.sort_unstable();
        want.sort_unstable();
        !want.is_empty() && have == want
    }

    fn apply(&self, headers: &[String]) -> Vec<ColumnMapping> {
        headers
            .iter()
            .enumerate()
            .map(|(index, header)| ColumnMapping {
                index: index as u32,
                header: header.trim().to_owned(),
                field: self
                    .fields
                    .iter()
                    .find(|(h, _)| h.trim() == header.trim())
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavePreset {
    pub name: String,
    pub mapping: Vec<ColumnMapping>,
    #[serde(default)]
    pub day_first: bool,
}

const PRESETS_KEY: &str = "import.saved_presets";

fn saved_presets_in(r: &crate::store::Read<'_>) -> Result<Vec<SavedPreset>> {
    Ok(crate::store::settings::get(r, PRESETS_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub fn saved_presets(ctx: &Ctx) -> Result<Vec<SavedPreset>> {
    ctx.store.read(saved_presets_in)
}

/// Saves (or replaces, by name) a mapping; returns every saved preset.
pub fn save_preset(ctx: &Ctx, input: SavePreset) -> Result<Vec<SavedPreset>> {
    let name = crate::text::clean(&input.name);
    if name.is_empty() {
        return Err(Error::required("name"));
    }
    if name.chars().count() > 60 {
        return Err(Error::too_long("name", 60));
    }
    let preset = SavedPreset {
        name: name.clone(),
        headers: input.mapping.iter().map(|m| m.header.clone()).collect(),
        fields: input
            .mapping
            .iter()
            .filter(|m| !m.field.is_empty())
            .map(|m| (m.header.clone(), m.field.clone()))
            .collect(),
        day_first: input.day_first,
    };
    if let Some((_, field)) = preset
        .fields
        .iter()
        .find(|(_, f)| Field::parse(f).is_none())
    {
        return Err(
            Error::new(ErrorCode::InvalidInput, format!("unknown field {field}"))
                .with_field("mapping")
                .with_param("value", field),
        );
    }
    ctx.store.write(|w| {
        let mut all = saved_presets_in(&w.read())?;
        all.retain(|p| p.name != name);
        all.push(preset);
        all.sort_by(|a, b| a.name.cmp(&b.name));
        let json =
            serde_json::to_string(&all).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
        crate::store::settings::set(w, PRESETS_KEY, &json)?;
        Ok(all)
    })
}

pub fn delete_preset(ctx: &Ctx, name: &str) -> Result<Vec<SavedPreset>> {
    ctx.store.write(|w| {
        let mut all = saved_presets_in(&w.read())?;
        all.retain(|p| p.name != name);
        let json =
            serde_json::to_string(&all).map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
        crate::store::settings::set(w, PRESETS_KEY, &json)?;
        Ok(all)
    })
}

pub fn history(ctx: &Ctx) -> Result<Vec<ImportBatch>> {
    ctx.store.read(|r| imports::list(r, 50))
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

fn open(options: &ImportOptions) -> Result<Table> {
    Table::open(
        Path::new(&options.path),
        options.encoding.as_deref(),
        options.sheet.as_deref(),
    )
}

/// The columns in use, parsed once.
struct Columns {
    fields: Vec<(usize, Field)>,
    width: usize,
}

fn run(
    w: &mut Write<'_>,
    options: &ImportOptions,
    now: &str,
    batch_id: Option<i64>,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    run_resolving(w, options, now, batch_id, progress, cancel).map(|(plan, _)| plan)
}

/// Where a file's table starts and how its columns map, decided from its first rows.
struct Layout {
    /// The rows read so far (up to [`HEADER_SEARCH_ROWS`]); reading goes on after them.
    head: Vec<RawRow>,
    header_at: usize,
    headers: Vec<String>,
    header_line: u32,
    preset: Option<&'static columns::Preset>,
    width: usize,
    saved: Option<SavedPreset>,
    mapping: Vec<ColumnMapping>,
    day_first: bool,
}

fn layout(
    r: &crate::store::Read<'_>,
    options: &ImportOptions,
    table: &mut Table,
) -> Result<Layout> {
    let mut head: Vec<RawRow> = Vec::new();
    while head.len() < HEADER_SEARCH_ROWS {
        match table.next_row() {
            Some(row) => head.push(row?),
            None => break,
        }
    }
    let header_at = match options.header_line {
        Some(line) => head
            .iter()
            .position(|r| r.line == u64::from(line))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("line {line} is not in the file"),
                )
                .with_field("header_line")
            })?,
        None => find_header(&head).ok_or_else(|| no_columns(&options.path))?,
    };
    let headers = head[header_at].cells.clone();
    let header_line = head[header_at].line as u32;
    let preset = columns::detect_preset(&headers);
    let width = columns::table_width(&headers);
    // The manager's own saved mapping wins over the built-in suggestion.
    let saved = if options.mapping.is_none() {
        saved_presets_in(r)?
            .into_iter()
            .find(|p| p.matches(&headers[..width.min(headers.len())]))
    } else {
        None
    };
    // Cells right of the table (a `总人数:` note) are not columns to map.
    let mut mapping: Vec<ColumnMapping> = match (&options.mapping, &saved) {
        (Some(m), _) => m.clone(),
        (None, Some(saved)) => saved.apply(&headers),
        (None, None) => columns::suggest_mapping(&headers, preset),
    }
    .into_iter()
    .filter(|m| (m.index as usize) < width)
    .collect();
    let existing_fields = crate::store::custom_fields::list(r)?;
    for m in mapping.iter_mut().filter(|m| m.field.is_empty()) {
        let header = field_label_from_header(&m.header);
        if header.is_empty() {
            continue;
        }
        // A column named like one of the manager's custom fields fills it (Hearth's own
        // exports write them that way); with "keep", other columns become new text fields.
        if let Some(field) = existing_fields
            .iter()
            .find(|f| f.label.to_lowercase() == header.to_lowercase())
        {
            if options.mapping.is_none() {
                m.field = format!("custom:{}", field.label);
            }
        } else if options.keep_unmapped {
            m.field = format!("custom:{header}");
        }
    }
    let day_first = options.day_first.unwrap_or_else(|| {
        saved
            .as_ref()
            .map_or_else(|| preset.is_some_and(|p| p.day_first), |s| s.day_first)
    });
    Ok(Layout {
        head,
        header_at,
        headers,
        header_line,
        preset,
        width,
        saved,
        mapping,
        day_first,
    })
}

/// The header line, column mapping and day order an import of this file would use, from its
/// first rows only (the activity import places its own columns with it).
pub(crate) fn file_layout(
    r: &crate::store::Read<'_>,
    options: &ImportOptions,
) -> Result<(u32, Vec<ColumnMapping>, bool)> {
    let mut table = open(options)?;
    let l = layout(r, options, &mut table)?;
    Ok((l.header_line, l.mapping, l.day_first))
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
    } = layout(&w.read(), options, &mut table)?;
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
    };
    Ok((preview, resolved))
}

struct RunState<'a> {
    batch_id: Option<i64>,
    now: &'a str,
    identity_source: &'a str,
    source: &'a str,
    policy: DuplicatePolicy,
    region: PhoneRegion,
    /// The custom fields, read once per run.
    custom_fields: Vec<crate::domain::CustomField>,
    /// (member id, line) of members created by this run, for in-file duplicates.
    created_lines: HashMap<i64, u32>,
    /// (line, member) for every row that became or matched a member.
    resolved: Vec<(u32, i64)>,
    counts: PlanCounts,
    /// Invalid rows (all, up to the cap) and the first rows of every other kind.
    rows: Vec<PlannedRow>,
    other_rows: Vec<PlannedRow>,
    truncated: bool,
    ambiguous_dates: bool,
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
        if row.action == RowAction::Invalid {
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

    fn created_line(&self, member_id: i64) -> Option<u32> {
        self.created_lines.get(&member_id).copied()
    }
}

fn planned(line: u32, action: RowAction, display_name: String) -> PlannedRow {
    PlannedRow {
        line,
        action,
        display_name,
        member_id: None,
        member_name: None,
        matched_by: None,
        merged_with_line: None,
        error: None,
    }
}

fn invalid(line: u32, display_name: String, error: Error) -> PlannedRow {
    PlannedRow {
        error: Some(error.with_param("line", line)),
        ..planned(line, RowAction::Invalid, display_name)
    }
}

fn no_columns(path: &str) -> Error {
    Error::new(
        ErrorCode::NoUsableColumns,
        format!("no column of {} holds a name or a contact", file_name(path)),
    )
    .with_param("path", file_name(path))
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn find_header(head: &[RawRow]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in head.iter().enumerate() {
        let score = columns::header_score(&row.cells);
        if score > 0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i).or_else(|| {
        head.iter()
            .position(|r| r.cells.iter().filter(|c| !c.trim().is_empty()).count() >= 2)
    })
}

fn cell(row: &RawRow, index: usize) -> &str {
    row.cells
        .get(index)
        .map_or("", |c| cells::strip_formula_guard(c.trim()))
}

fn row_name(row: &RawRow, cols: &Columns) -> String {
    let get = |want: &Field| {
        cols.fields
            .iter()
            .find(|(_, f)| f == want)
            .map(|(i, _)| cells::decode_entities(cell(row, *i)))
            .unwrap_or_default()
    };
    let name = get(&Field::Name);
    if !name.trim().is_empty() {
        return crate::text::clean(&name);
    }
    let (first, last) = (get(&Field::FirstName), get(&Field::LastName));
    let (first, last) = (first.trim(), last.trim());
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if cjk(first) || cjk(last) {
        format!("{last}{first}")
    } else {
        format!("{first} {last}").trim().to_owned()
    }
}

/// A header as a custom field's label: cleaned, on one line, at most 40 characters.
fn field_label_from_header(header: &str) -> String {
    crate::text::clean(header)
        .chars()
        .take(40)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Summary lines inside a table (`合计`, `总人数: 30`, `Total`).
fn is_summary(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    [
        "合计",
        "总计",
        "总人数",
        "小计",
        "共计",
        "total",
        "subtotal",
    ]
    .iter()
    .any(|w| n.starts_with(w))
}

/// Splits a contact cell that holds several (`138..., 139...`).
fn split_contacts(raw: &str, kind: IdentityKind) -> Vec<String> {
    let separators: &[char] = match kind {
        IdentityKind::Phone | IdentityKind::Email | IdentityKind::Qq | IdentityKind::Wechat => {
            &[',', ';', '，', '；', '、', '/', '\n']
        }
        IdentityKind::Platform => &[';', '\n'],
        _ => &['\n'],
    };
    raw.split(separators)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The row as a member draft, or the first problem with one of its cells.
fn draft_from_row(
    row: &RawRow,
    cols: &Columns,
    rules: DateRules,
    extra_tags: &[String],
    region: PhoneRegion,
    ambiguous: &mut bool,
) -> Result<MemberDraft> {
    if row
        .cells
        .get(cols.width)
        .is_some_and(|c| !c.trim().is_empty())
    {
        let filled = row.cells.iter().filter(|c| !c.trim().is_empty()).count();
        return Err(Error::new(
            ErrorCode::RaggedRow,
            format!(
                "the row has {filled} cells where the header has {} columns; its columns may have shifted",
                cols.width
            ),
        )
        .with_param("cells", row.cells.len().max(filled))
        .with_param("columns", cols.width));
    }
    let mut draft = MemberDraft {
        display_name: row_name(row, cols),
        tags: extra_tags.to_vec(),
        ..Default::default()
    };
    let mut notes: Vec<String> = Vec::new();
    for (index, field) in &cols.fields {
        let value = cell(row, *index);
        if value.is_empty() {
            continue;
        }
        match field {
            Field::Name | Field::FirstName | Field::LastName => {}
            Field::Identity(kind) => {
                for v in split_contacts(value, *kind) {
                    if matches!(kind, IdentityKind::Phone | IdentityKind::Qq)
                        && cells::is_e_notation(&v)
                    {
                        return Err(Error::new(
                            ErrorCode::DamagedNumber,
                            format!("\"{v}\" was turned into scientific notation by Excel; digits were lost"),
                        )
                        .with_field(kind.as_str())
                        .with_param("value", v));
                    }
                    let v = match kind {
                        // Written in E.164 here when the file's numbers are not Chinese ones;
                        // validation then reads the `+1` and keeps it.
                        IdentityKind::Phone if region == PhoneRegion::Us => {
                            crate::text::normalize_phone(&v, crate::text::Region::Us).unwrap_or(v)
                        }
                        _ if kind.is_unique() => v,
                        _ => cells::decode_entities(&v),
                    };
                    draft.identities.push(Identity {
                        kind: *kind,
                        value: v,
                    });
                }
            }
            Field::PlatformId(platform) => draft.identities.push(Identity {
                kind: IdentityKind::Platform,
                value: format!("{platform}:{}", value.trim()),
            }),
            Field::Gender => draft.gender = cells::parse_gender(value),
            Field::City => draft.city = value.to_owned(),
            Field::Birthday => {
                draft.birthday = Some(cells::parse_birthday(value, rules.day_first).ok_or_else(
                    || {
                        Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                            .with_field("birthday")
                            .with_param("value", value)
                    },
                )?)
            }
            Field::JoinedAt => {
                let (at, was_ambiguous) = cells::parse_instant(value, rules).map_err(|_| {
                    Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                        .with_field("joined_at")
                        .with_param("value", value)
                })?;
                *ambiguous |= was_ambiguous;
                draft.joined_at = Some(at);
            }
            Field::Tags => draft.tags.extend(cells::split_tags(value)),
            Field::Notes => notes.push(value.to_owned()),
            Field::Role => draft.role = value.to_owned(),
            Field::Responsibilities => draft.responsibilities = value.to_owned(),
            Field::Source => draft.source = value.to_owned(),
            Field::Custom(label) => {
                draft.custom.insert(label.clone(), value.to_owned());
            }
        }
    }
    draft.notes = notes.join("\n");
    Ok(draft)
}

fn plan_row(
    w: &mut Write<'_>,
    state: &mut RunState<'_>,
    row: &RawRow,
    cols: &Columns,
    rules: DateRules,
    extra_tags: &[String],
) -> PlannedRow {
    let line = row.line as u32;
    let name = row_name(row, cols);
    let mut ambiguous = false;
    let draft = match draft_from_row(row, cols, rules, extra_tags, state.region, &mut ambiguous) {
        Ok(d) => d,
        Err(e) => return invalid(line, name, e),
    };
    state.ambiguous_dates |= ambiguous;
    if draft.identities.is_empty() && is_summary(&draft.display_name) {
        return PlannedRow {
            error: Some(
                Error::new(
                    ErrorCode::SummaryRow,
                    "a summary line, not a member; skipped",
                )
                .with_param("line", line),
            ),
            ..planned(line, RowAction::Skip, name)
        };
    }
    let record = match validate_with(&state.custom_fields, &draft) {
        Ok(r) => r,
        Err(e) => return invalid(line, name, e),
    };
    // Who already holds one of the row's identities.
    let mut owners: Vec<(i64, String, &'static str)> = Vec::new();
    for identity in record.identities.iter().filter(|i| i.kind.is_unique()) {
        match members::identity_owner(&w.read(), identity) {
            Ok(Some((id, owner))) if !owners.iter().any(|(o, _, _)| *o == id) => {
                owners.push((id, owner, identity.kind.as_str()))
            }
            Ok(_) => {}
            Err(e) => return invalid(line, name, e),
        }
    }
    // A row with no contact at all can only be recognised by its exact name, and only when one
    // member has it; with several, importing it would add yet another namesake.
    if !record.identities.iter().any(|i| i.kind.is_unique()) {
        match members::live_by_name(&w.read(), &record.display_name, &record.keys.sort_key) {
            Ok(same) if same.len() == 1 => {
                owners.push((same[0], record.display_name.clone(), "display_name"))
            }
            Ok(same) if same.len() > 1 => {
                return PlannedRow {
                    error: Some(
                        Error::new(
                            ErrorCode::AmbiguousName,
                            format!("several members are called {}; the row has no contact to tell them apart", record.display_name),
                        )
                        .with_param("member_name", &record.display_name)
                        .with_param("line", line),
                    ),
                    ..planned(line, RowAction::Skip, name)
                };
            }
            Ok(_) => {}
            Err(e) => return invalid(line, name, e),
        }
    }
    if owners.len() > 1 {
        return invalid(
            line,
            name,
            Error::new(
                ErrorCode::RowMatchesTwoMembers,
                format!("the row matches both {} and {}", owners[0].1, owners[1].1),
            )
            .with_param("member_name", &owners[0].1)
            .with_param("other_name", &owners[1].1)
            .with_param("member_id", owners[0].0),
        );
    }
    let result = savepoint(w, |w| match owners.first() {
        None => {
            let mut record = record.clone();
            record.identity_source = state.identity_source.to_owned();
            if record.source.is_empty() {
                record.source = state.source.to_owned();
            }
            let id = members::insert(w, &record, state.now)?;
            if let Some(batch) = state.batch_id {
                imports::note_created(w, batch, id)?;
            }
            state.created_lines.insert(id, line);
            state.resolved.push((line, id));
            Ok(planned(line, RowAction::Create, name.clone()))
        }
        Some((id, owner, kind)) => {
            let earlier_line = state.created_line(*id);
            let base = PlannedRow {
                member_id: Some(*id),
                member_name: Some(owner.clone()),
                matched_by: Some((*kind).to_owned()),
                merged_with_line: earlier_line,
                ..planned(line, RowAction::Update, name.clone())
            };
            let policy = if earlier_line.is_some() {
                DuplicatePolicy::FillEmpty
            } else {
                state.policy
            };
            if policy == DuplicatePolicy::Skip {
                state.resolved.push((line, *id));
                return Ok(PlannedRow {
                    action: RowAction::Skip,
                    ..base
                });
            }
            let existing = members::get(&w.read(), *id)?.ok_or_else(|| {
                Error::new(
                    ErrorCode::IdentityTaken,
                    format!("{kind} belongs to {owner}, who is in the trash"),
                )
                .with_field(kind)
                .with_param("member_name", owner)
                .with_param("member_id", id)
                .with_param("value", "")
            })?;
            let combined = combine(&existing, &draft, policy == DuplicatePolicy::Update);
            let mut record = validate_with(&state.custom_fields, &combined)?;
            record.identity_source = state.identity_source.to_owned();
            if let Some(batch) = state.batch_id {
                imports::note_before_update(w, batch, *id)?;
            }
            members::update(w, *id, &record, state.now)?;
            state.resolved.push((line, *id));
            Ok(PlannedRow {
                action: if earlier_line.is_some() {
                    RowAction::Merge
                } else {
                    RowAction::Update
                },
                ..base
            })
        }
    });
    result.unwrap_or_else(|e| invalid(line, name, e))
}

/// Runs `f` in a savepoint: on error, everything it wrote is taken back.
fn savepoint<T>(w: &mut Write<'_>, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
    w.tx.execute_batch("SAVEPOINT import_row")?;
    match f(w) {
        Ok(out) => {
            w.tx.execute_batch("RELEASE import_row")?;
            Ok(out)
        }
        Err(e) => {
            w.tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
            Err(e)
        }
    }
}

/// The existing member with the row's values: identities and tags are added; other fields are
/// replaced (`overwrite`) or only filled where empty. Empty cells never erase anything.
fn combine(existing: &Member, row: &MemberDraft, overwrite: bool) -> MemberDraft {
    let text = |old: &str, new: &str| {
        if new.trim().is_empty() || (!overwrite && !old.is_empty()) {
            old.to_owned()
        } else {
            new.to_owned()
        }
    };
    let opt = |old: &Option<String>, new: &Option<String>| {
        if new.is_none() || (!overwrite && old.is_some()) {
            old.clone()
        } else {
            new.clone()
        }
    };
    let mut identities = existing.identities.clone();
    for identity in &row.identities {
        if !identities
            .iter()
            .any(|i| i.kind == identity.kind && i.value == identity.value)
        {
            identities.push(identity.clone());
        }
    }
    let mut tags = existing.tags.clone();
    tags.extend(row.tags.iter().cloned());
    let notes = if row.notes.is_empty() || existing.notes.contains(&row.notes) {
        existing.notes.clone()
    } else if existing.notes.is_empty() {
        row.notes.clone()
    } else {
        format!("{}\n{}", existing.notes, row.notes)
    };
    MemberDraft {
        display_name: text(&existing.display_name, &row.display_name),
        identities,
        tags,
        joined_at: opt(&existing.joined_at, &row.joined_at),
        notes,
        gender: if row.gender.is_none() || (!overwrite && existing.gender.is_some()) {
            existing.gender
        } else {
            row.gender
        },
        city: text(&existing.city, &row.city),
        birthday: opt(&existing.birthday, &row.birthday),
        role: text(&existing.role, &row.role),
        responsibilities: text(&existing.responsibilities, &row.responsibilities),
        custom: {
            let mut custom = existing.custom.clone();
            for (label, value) in &row.custom {
                if !value.trim().is_empty() && (overwrite || !custom.contains_key(label)) {
                    custom.insert(label.clone(), value.clone());
                }
            }
            custom
        },
        source: existing.source.clone(),
    }
}
