use crate::domain::Member;
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::members;

/// A live member (not in the trash) with identities and tags.
pub fn get(ctx: &Ctx, id: i64) -> Result<Member> {
    ctx.store
        .read(|r| members::get(r, id))?
        .ok_or_else(|| Error::not_found("member", id))
}
