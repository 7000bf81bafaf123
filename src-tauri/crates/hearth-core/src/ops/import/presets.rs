//! Saved column mappings: a layout the manager receives again and again (a club's own sheet) is
//! mapped once, saved by name, and recognised by its headers next time.
//!
//! Deliberately absent: the built-in platform presets (`io::columns`), which are recognised
//! first and never saved here.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::io::columns::{ColumnMapping, Field};
use crate::ops::Ctx;

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
    pub(super) fn matches(&self, headers: &[String]) -> bool {
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

    pub(super) fn apply(&self, headers: &[String]) -> Vec<ColumnMapping> {
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

pub(super) fn saved_presets_in(r: &crate::store::Read<'_>) -> Result<Vec<SavedPreset>> {
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
