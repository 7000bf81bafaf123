//! Member operations: list, get, create, update, delete (to the trash) and restore, bulk tags,
//! duplicates, merge and its undo, and permanent erase.

mod create;
mod delete;
mod duplicates;
mod erase;
mod get;
mod list;
mod merge;
mod roles;
mod tags;
mod timeline;
mod update;
mod validate;

use crate::ops::consequences::{unaffected, Feature, MemberTable, Rows};
pub use create::create;
pub use delete::{delete, restore, DeleteMembers, DeleteOutcome};
pub use duplicates::{
    find_duplicates, DuplicatePair, DuplicateReason, DuplicateReport, FindDuplicates,
};
pub use erase::{empty_trash, erase, trash_count, EraseMembers, EraseOutcome, TrashEmptied};
pub use get::get;
pub use list::{list, ListMembers, MAX_PAGE};
pub use merge::{
    merge, merged_draft, undo_merge, MergeField, MergeMembers, MergeOutcome, MergeUndone, UndoMerge,
};
pub use roles::{facets, set_roles, Facets, RoleChange};
pub use tags::{bulk_tag, expire_tags, BulkTag, BulkTagOutcome};
pub use timeline::{timeline, TimelineEntry};
pub use update::{update, UpdateMember};
// Tag and custom-value checks belong to the tag vocabulary and the field definitions; members
// re-export them because every profile write uses them.
pub use crate::ops::custom_fields::resolve_custom;
pub use crate::ops::tags::{clean_tags, MAX_TAG};
pub use validate::{validate, validate_in, validate_with, MAX_NAME, MAX_NOTES};

/// The member's own record and profile. The member operations handle these rows themselves (a
/// merge combines the profiles, the trash keeps them, erase removes them), so nothing reacts.
pub(crate) const PROFILE: Feature = Feature {
    name: "profile",
    tables: &[
        MemberTable::new("members", Rows::Kept, Rows::Kept),
        MemberTable::new("identities", Rows::Combined, Rows::Kept),
        MemberTable::new("member_tags", Rows::Combined, Rows::Kept),
        MemberTable::new("member_custom_values", Rows::Combined, Rows::Kept),
        MemberTable::new("merges", Rows::Kept, Rows::Kept),
        MemberTable::new("import_changes", Rows::Kept, Rows::Kept),
    ],
    moves: None,
    react: unaffected,
};
