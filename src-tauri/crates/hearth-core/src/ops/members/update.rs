use serde::{Deserialize, Serialize};

use super::validate_in;
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
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let record = validate_in(&w.read(), &input.draft)?;
        members::update(w, input.id, &record, &now)
    })?;
    super::get(ctx, input.id)
}
