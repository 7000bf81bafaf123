use serde::{Deserialize, Serialize};

use super::validate;
use crate::domain::{Member, MemberDraft};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateMember {
    pub id: i64,
    /// The member's new state: identities and tags replace the old ones.
    pub draft: MemberDraft,
}

pub fn update(ctx: &Ctx, input: UpdateMember) -> Result<Member> {
    let record = validate(&input.draft)?;
    let now = ctx.now_stamp();
    ctx.store
        .write(|w| members::update(w, input.id, &record, &now))?;
    super::get(ctx, input.id)
}
