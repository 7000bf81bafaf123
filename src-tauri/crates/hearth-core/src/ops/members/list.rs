use serde::{Deserialize, Serialize};

use crate::domain::{MemberFilter, MemberPage, MemberSort};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members::{self, ListQuery};
use crate::store::segments;
use crate::text::search_needle;

/// The most rows one page may ask for.
pub const MAX_PAGE: u32 = 1000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListMembers {
    /// Matches name, pinyin (`zhangwei`, `zhang wei`, initials `zw`), phone digits, email,
    /// WeChat ID, QQ and tags, anywhere in the text.
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub sort: MemberSort,
    #[serde(default)]
    pub descending: bool,
    #[serde(default)]
    pub offset: u32,
    /// At most [`MAX_PAGE`].
    pub limit: u32,
    /// Only members this filter selects (the board's filter bar).
    #[serde(default)]
    pub filter: Option<MemberFilter>,
    /// Only members in this saved segment (combined with `filter` when both are set).
    #[serde(default)]
    pub segment: Option<i64>,
}

pub fn list(ctx: &Ctx, input: ListMembers) -> Result<MemberPage> {
    let needle = search_needle(input.search.as_deref().unwrap_or(""));
    let selection = crate::ops::segments::selection(ctx, input.filter.as_ref(), input.segment)?;
    if !selection.is_empty() {
        let order = match input.sort {
            MemberSort::Name => "m.sort_key",
            MemberSort::JoinedAt => "m.joined_at",
            MemberSort::CreatedAt => "m.created_at",
        };
        let dir = if input.descending { "DESC" } else { "ASC" };
        let order_by = format!("{order} {dir}, m.id {dir}");
        return ctx.store.read(|r| {
            let (total, ids) = segments::page(
                r,
                &selection,
                &needle,
                &order_by,
                input.limit.min(MAX_PAGE),
                input.offset,
            )?;
            Ok(MemberPage {
                total,
                offset: input.offset,
                members: members::by_ids(r, &ids)?,
            })
        });
    }
    let query = ListQuery {
        needle: &needle,
        sort: input.sort,
        descending: input.descending,
        offset: input.offset,
        limit: input.limit.min(MAX_PAGE),
    };
    let (total, members) = ctx.store.read(|r| members::list(r, &query))?;
    Ok(MemberPage {
        total,
        offset: input.offset,
        members,
    })
}
