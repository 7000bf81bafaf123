use super::validate;
use crate::domain::{Member, MemberDraft};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members;

/// Creates a member from a draft. Nothing is written unless every field is valid and every
/// identity is free.
pub fn create(ctx: &Ctx, draft: MemberDraft) -> Result<Member> {
    let record = validate(&draft)?;
    let now = ctx.now_stamp();
    let id = ctx.store.write(|w| members::insert(w, &record, &now))?;
    super::get(ctx, id)
}
