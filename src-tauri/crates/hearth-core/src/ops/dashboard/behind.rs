//! The members behind a dashboard number, a page at a time, and saved as a hand-picked segment.

use serde::{Deserialize, Serialize};

use crate::domain::{Drill, Segment};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::segments::{self, SaveSegment};
use crate::ops::Ctx;
use crate::store::members;

use super::metrics::members_behind_in;

/// The most members one page lists; the page says how many there are in all.
pub const PAGE_MAX: u32 = 500;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BehindQuery {
    pub drill: Drill,
    /// Only the members of this saved segment (the board's segment filter).
    #[serde(default)]
    pub segment: Option<i64>,
    #[serde(default)]
    pub offset: u32,
    /// At most [`PAGE_MAX`].
    pub limit: u32,
}

/// One member of the list (members who left are in the trash, still listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BehindMember {
    pub id: i64,
    pub display_name: String,
}

/// A page of the members behind a number, in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BehindPage {
    /// Every member behind the number (the number itself).
    pub total: u32,
    pub offset: u32,
    pub members: Vec<BehindMember>,
}

/// The members behind `query.drill` from `offset`, `limit` of them.
pub fn members_page(ctx: &Ctx, query: BehindQuery) -> Result<BehindPage> {
    if query.limit == 0 || query.limit > PAGE_MAX {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("a page lists 1 to {PAGE_MAX} members"),
        )
        .with_field("limit")
        .with_param("value", query.limit.to_string()));
    }
    let ids = members_behind_in(ctx, query.drill, query.segment)?;
    let start = (query.offset as usize).min(ids.len());
    let end = (start + query.limit as usize).min(ids.len());
    let page = ctx.store.read(|r| members::by_ids(r, &ids[start..end]))?;
    Ok(BehindPage {
        total: ids.len() as u32,
        offset: start as u32,
        members: page
            .into_iter()
            .map(|m| BehindMember {
                id: m.id,
                display_name: m.display_name,
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveDrillMembers {
    pub drill: Drill,
    #[serde(default)]
    pub segment: Option<i64>,
    /// The new segment's name.
    pub name: String,
}

/// Every member behind a number saved as a new hand-picked segment.
pub fn save_members(ctx: &Ctx, input: SaveDrillMembers) -> Result<Segment> {
    let ids = members_behind_in(ctx, input.drill, input.segment)?;
    if ids.is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "no members are behind this number")
                .with_field("drill"),
        );
    }
    segments::save(
        ctx,
        SaveSegment {
            id: None,
            name: input.name,
            filter: Default::default(),
            members: ids,
            is_list: Some(true),
        },
    )
}
