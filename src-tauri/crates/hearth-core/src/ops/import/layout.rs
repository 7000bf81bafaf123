//! Where a file's table starts and how its columns map, decided from its first rows: the
//! header line (found or chosen), the preset or saved mapping, columns no header names mapped
//! from their values (or offered with a warning), columns that fill or become custom fields,
//! and the day/month order.
//!
//! Deliberately absent: reading the rows below the header (`run`) and anything about one row
//! (`row`).

use std::path::Path;

use super::presets::{saved_presets_in, SavedPreset};
use super::ImportOptions;
use crate::error::{Error, ErrorCode, Result};
use crate::io::columns::{self, ColumnMapping};
use crate::io::read::{RawRow, Table};

const HEADER_SEARCH_ROWS: usize = 30;

/// Data rows below the header whose values are read to map the columns no header names (a
/// column filled only further down, as when a list was sorted by another column, is still seen).
pub(super) const SNIFF_ROWS: usize = 200;

pub(super) fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

pub(super) fn open(options: &ImportOptions) -> Result<Table> {
    Table::open(
        Path::new(&options.path),
        options.encoding.as_deref(),
        options.sheet.as_deref(),
    )
}

/// Where a file's table starts and how its columns map, decided from its first rows.
pub(super) struct Layout {
    /// The rows read so far (the header search's, then [`SNIFF_ROWS`] below the header);
    /// reading goes on after them.
    pub(super) head: Vec<RawRow>,
    pub(super) header_at: usize,
    pub(super) headers: Vec<String>,
    pub(super) header_line: u32,
    pub(super) preset: Option<&'static columns::Preset>,
    pub(super) width: usize,
    pub(super) saved: Option<SavedPreset>,
    pub(super) mapping: Vec<ColumnMapping>,
    pub(super) day_first: bool,
    /// Columns mapped from their values, and columns of contacts left for the manager.
    pub(super) warnings: Vec<Error>,
}

pub(super) fn layout(
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
    // Enough rows below the header for the values to tell what an unnamed column holds.
    while head.len() < header_at + 1 + SNIFF_ROWS {
        match table.next_row() {
            Some(row) => head.push(row?),
            None => break,
        }
    }
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
    // A suggested mapping also reads the values of the columns no header named: a column of
    // phones under an unfamiliar header is mapped, never dropped. The manager's own mapping
    // (chosen or saved) is left as it is.
    let mut warnings = Vec::new();
    if options.mapping.is_none() && saved.is_none() {
        let below: Vec<&[String]> = head[header_at + 1..]
            .iter()
            .map(|r| &r.cells[..width.min(r.cells.len())])
            .collect();
        for guess in columns::sniff_columns(&mut mapping, &below) {
            warnings.push(match &guess.field {
                Some(field) => Error::new(
                    ErrorCode::ColumnGuessed,
                    format!(
                        "the column {} holds {} values and was mapped to {field}",
                        guess.header, guess.looks_like
                    ),
                )
                .with_param("header", &guess.header)
                .with_param("field", field),
                None => Error::new(
                    ErrorCode::ColumnAmbiguous,
                    format!(
                        "the column {} looks like contacts ({}) of unclear kind; it is left out unless mapped",
                        guess.header, guess.looks_like
                    ),
                )
                .with_param("header", &guess.header)
                .with_param("looks_like", &guess.looks_like),
            });
        }
    }
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
        warnings,
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

pub(super) fn no_columns(path: &str) -> Error {
    Error::new(
        ErrorCode::NoUsableColumns,
        format!("no column of {} holds a name or a contact", file_name(path)),
    )
    .with_param("path", file_name(path))
}

pub(super) fn is_blank(cells: &[String]) -> bool {
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

/// A header as a custom field's label: cleaned, on one line, at most 40 characters.
fn field_label_from_header(header: &str) -> String {
    crate::text::clean(header)
        .chars()
        .take(40)
        .collect::<String>()
        .trim()
        .to_owned()
}
