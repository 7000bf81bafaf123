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

pub use create::create;
pub use delete::{delete, restore, DeleteMembers, DeleteOutcome};
pub use duplicates::{
    find_duplicates, DuplicatePair, DuplicateReason, DuplicateReport, FindDuplicates,
};
pub use erase::{erase, EraseMembers, EraseOutcome};
pub use get::get;
pub use list::{list, ListMembers, MAX_PAGE};
pub use merge::{
    merge, merged_draft, undo_merge, MergeField, MergeMembers, MergeOutcome, MergeUndone, UndoMerge,
};
pub use roles::{facets, set_roles, Facets, RoleChange};
pub use tags::{bulk_tag, expire_tags, BulkTag, BulkTagOutcome};
pub use timeline::{timeline, TimelineEntry};
pub use update::{update, UpdateMember};
pub use validate::{
    clean_tags, resolve_custom, validate, validate_in, validate_with, MAX_NAME, MAX_NOTES, MAX_TAG,
};
