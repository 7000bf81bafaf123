//! What a member leaving or coming back does to the invite points of whoever invited them
//! (registered in `ops::consequences`). Invites are activities of the inviter, so they have no
//! member table of their own here; the invitee is named in the activity's `ref`.

use super::{claw_back_in, give_back_in};
use crate::ops::consequences::{Change, Feature};
use crate::store::rewards::forget_invitees;

/// An invitee trashed or erased within the claw-back window takes the inviter's points back
/// (once: a trashed invitee's were taken already); restoring them gives the points back. An
/// erased invitee is then forgotten by every invite (an id may later be given to someone new).
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "invites",
    tables: &[],
    moves: None,
    react: |w, change, at| match change {
        Change::Trashed(ids) => claw_back_in(w, ids, at.at, at.now).map(drop),
        Change::Restored(ids) => give_back_in(w, ids, at.now).map(drop),
        Change::Erasing(ids) => {
            claw_back_in(w, ids, at.at, at.now)?;
            forget_invitees(w, ids)
        }
        _ => Ok(()),
    },
};
