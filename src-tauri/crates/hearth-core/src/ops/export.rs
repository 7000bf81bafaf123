//! Exporting members (everyone, a search, or a selection) to CSV, XLSX or vCard.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::domain::MemberFilter;
use crate::error::{Error, ErrorCode, Result};
use crate::io::export::{self, CsvEncoding, ExportColumn, ExportFormat, Settings};
use crate::ops::Ctx;
use crate::store::members;
use crate::text;

/// Which members to export.
// One short-lived value per export: the filter's size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExportScope {
    All,
    Search {
        query: String,
    },
    Selection {
        ids: Vec<i64>,
    },
    /// What the board shows: a search and a filter (either may be empty).
    Filtered {
        query: String,
        filter: MemberFilter,
    },
    Segment {
        id: i64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportMembers {
    pub path: String,
    pub format: ExportFormat,
    pub scope: ExportScope,
    /// Empty: every column.
    #[serde(default)]
    pub columns: Vec<ExportColumn>,
    #[serde(default)]
    pub csv_encoding: CsvEncoding,
    /// Headers and values (gender) in Chinese.
    #[serde(default)]
    pub chinese_headers: bool,
    /// Custom fields as extra columns (on by default; not in vCard).
    #[serde(default = "yes")]
    pub include_custom: bool,
    /// On by default; see [`export::neutralise`].
    #[serde(default = "yes")]
    pub neutralise_formulas: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportOutcome {
    pub path: String,
    pub members: u32,
}

const CHUNK: usize = 500;

pub fn export_members(
    ctx: &Ctx,
    input: &ExportMembers,
    progress: &dyn Fn(u32, u32),
    cancel: &AtomicBool,
) -> Result<ExportOutcome> {
    let path = Path::new(&input.path);
    let columns: Vec<ExportColumn> = if input.columns.is_empty() {
        ExportColumn::ALL.to_vec()
    } else {
        input.columns.clone()
    };
    let ids: Vec<i64> = match &input.scope {
        ExportScope::All => ctx.store.read(|r| members::matching_ids(r, ""))?,
        ExportScope::Search { query } => {
            let needle = text::search_needle(query);
            ctx.store.read(|r| members::matching_ids(r, &needle))?
        }
        ExportScope::Selection { ids } => ids.clone(),
        ExportScope::Filtered { query, filter } => {
            let selection = crate::ops::segments::selection(ctx, Some(filter), None)?;
            let needle = text::search_needle(query);
            ctx.store.read(|r| {
                crate::store::segments::matching_ids(r, &selection, &needle, "m.sort_key, m.id")
            })?
        }
        ExportScope::Segment { id } => {
            let selection = crate::ops::segments::selection(ctx, None, Some(*id))?;
            ctx.store.read(|r| {
                crate::store::segments::matching_ids(r, &selection, "", "m.sort_key, m.id")
            })?
        }
    };
    let total = ids.len() as u32;
    let custom: Vec<String> = if input.include_custom && input.format != ExportFormat::Vcard {
        ctx.store
            .read(crate::store::custom_fields::list)?
            .into_iter()
            .map(|f| f.label)
            .collect()
    } else {
        Vec::new()
    };
    // Written next to the target and renamed at the end: a cancelled or failed export never
    // leaves a half-written file under the name the manager chose.
    let written = export::write_atomically(path, |partial| {
        let mut sink = export::sink(
            input.format,
            Settings {
                path: partial,
                columns: &columns,
                custom: &custom,
                zh: input.chinese_headers,
                csv_encoding: input.csv_encoding,
                neutralise_formulas: input.neutralise_formulas,
                zone: crate::ops::content::zone(),
            },
        )?;
        let mut written = 0u32;
        for chunk in ids.chunks(CHUNK) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::new(
                    ErrorCode::Cancelled,
                    "cancelled; no file was written",
                ));
            }
            let members = ctx.store.read(|r| members::by_ids(r, chunk))?;
            sink.write(&members)?;
            written += members.len() as u32;
            progress(written, total);
        }
        sink.finish()?;
        Ok(written)
    })?;
    Ok(ExportOutcome {
        path: input.path.clone(),
        members: written,
    })
}
