use serde::{Deserialize, Serialize};

use crate::domain::{MemberPage, MemberSort};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members::{self, ListQuery};
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
}

pub fn list(ctx: &Ctx, input: ListMembers) -> Result<MemberPage> {
    let needle = search_needle(input.search.as_deref().unwrap_or(""));
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
