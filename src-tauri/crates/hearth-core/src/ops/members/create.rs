use super::validate_in;
use crate::domain::{Member, MemberDraft};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members;

/// Creates a member from a draft. Nothing is written unless every field is valid and every
/// identity is free.
pub fn create(ctx: &Ctx, draft: MemberDraft) -> Result<Member> {
    let now = ctx.now_stamp();
    let id = ctx.store.write(|w| {
        let record = validate_in(&w.read(), &draft)?;
        members::insert(w, &record, &now)
    })?;
    super::get(ctx, id)
}
