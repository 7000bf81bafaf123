//! Which contacts someone already holds, read once per import: a set of 64-bit hashes of
//! `(kind, value)`, so that a row whose contacts are all new (most rows of a first import) asks
//! the database nothing. A hash in the set only says "maybe": the owner is then looked up in
//! SQL as before, so a collision costs one query, never a wrong match.
//!
//! Hashes rather than the values themselves: 500k members hold some two million contacts, which
//! as strings in a map would take hundreds of megabytes; as hashes they take about 40 MB.
//!
//! Deliberately absent: who the owner is (`store::members::identity_owner` answers that).

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::domain::Identity;
use crate::error::Result;
use crate::store::{members, Read};

pub(super) struct TakenContacts(HashSet<u64>);

fn key(kind: &str, value: &str) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same contact hashes alike in every run.
    let mut h = DefaultHasher::new();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

impl TakenContacts {
    /// Every contact of a kind one member at most can hold (trash included).
    pub(super) fn read(r: &Read<'_>) -> Result<TakenContacts> {
        let mut set = HashSet::new();
        members::each_unique_identity(r, |kind, value| {
            set.insert(key(kind, value));
        })?;
        Ok(TakenContacts(set))
    }

    /// No contact held (a run that plans nothing).
    pub(super) fn empty() -> TakenContacts {
        TakenContacts(HashSet::new())
    }

    /// Whether someone may hold this contact; `false` is certain.
    pub(super) fn may_be_held(&self, identity: &Identity) -> bool {
        self.0
            .contains(&key(identity.kind.as_str(), &identity.value))
    }

    /// Notes contacts the import just gave a member.
    pub(super) fn hold(&mut self, identities: &[Identity]) {
        for i in identities.iter().filter(|i| i.kind.is_unique()) {
            self.0.insert(key(i.kind.as_str(), &i.value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IdentityKind;

    #[test]
    fn a_contact_is_held_once_noted_and_only_for_its_kind() {
        let mut taken = TakenContacts::empty();
        let phone = Identity {
            kind: IdentityKind::Phone,
            value: "+8613800138000".into(),
        };
        let qq = Identity {
            kind: IdentityKind::Qq,
            value: "+8613800138000".into(),
        };
        assert!(!taken.may_be_held(&phone));
        taken.hold(std::slice::from_ref(&phone));
        assert!(taken.may_be_held(&phone));
        assert!(!taken.may_be_held(&qq));
    }
}
