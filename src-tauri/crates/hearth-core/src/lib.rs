//! hearth-core: the whole product behind the desktop shell and the CLI.
//!
//! Owns the SQLite store (all SQL lives under [`store`]), the domain nouns ([`domain`]), the
//! operations the UI and the CLI call ([`ops`]), text normalisation ([`text`]) and the seeded demo
//! community ([`demo`]). It deliberately knows nothing about Tauri, windows or IPC: the shell in
//! `src-tauri/src` is a thin adapter over [`ops`], and `cargo tree -p hearth-core` must never list
//! `tauri`.
//!
//! Time and randomness come in from the caller ([`clock::Clock`], explicit seeds); nothing in here
//! reads the system clock on its own.

pub mod clock;
pub mod demo;
pub mod domain;
pub mod error;
pub mod io;
pub mod ops;
pub mod paths;
pub mod print;
pub mod store;
pub mod text;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorCode, Result};
pub use ops::Ctx;
