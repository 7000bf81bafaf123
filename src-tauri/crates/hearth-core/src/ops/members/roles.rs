//! Setting the role of many members at once, and the values the filter bar offers.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::members;
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoleChange {
    pub id: i64,
    pub role: String,
}

const MAX_ROLE: usize = 40;

/// Sets each member's role in one transaction; returns the roles they had, for Undo.
pub fn set_roles(ctx: &Ctx, changes: Vec<RoleChange>) -> Result<Vec<RoleChange>> {
    let mut cleaned = Vec::with_capacity(changes.len());
    for change in changes {
        let role = text::clean(&change.role);
        if role.chars().count() > MAX_ROLE {
            return Err(Error::too_long("role", MAX_ROLE));
        }
        cleaned.push((change.id, role));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let mut previous = Vec::with_capacity(cleaned.len());
        for (id, role) in &cleaned {
            if let Some(old) = members::set_role(w, *id, role, &now)? {
                previous.push(RoleChange { id: *id, role: old });
            }
        }
        Ok(previous)
    })
}

/// Distinct non-empty values of a profile field among live members, most common first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Facets {
    pub roles: Vec<(String, u32)>,
    pub cities: Vec<(String, u32)>,
    pub sources: Vec<(String, u32)>,
}

pub fn facets(ctx: &Ctx) -> Result<Facets> {
    ctx.store.read(|r| {
        Ok(Facets {
            roles: members::facet(r, members::FacetColumn::Role)?,
            cities: members::facet(r, members::FacetColumn::City)?,
            sources: members::facet(r, members::FacetColumn::Source)?,
        })
    })
}
