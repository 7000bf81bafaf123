//! Member operations: list, get, create, update, delete (to the trash) and restore.

mod create;
mod delete;
mod get;
mod list;
mod update;
mod validate;

pub use create::create;
pub use delete::{delete, restore, DeleteMembers, DeleteOutcome};
pub use get::get;
pub use list::{list, ListMembers, MAX_PAGE};
pub use update::{update, UpdateMember};
pub use validate::{validate, MAX_NAME, MAX_NOTES, MAX_TAG};
