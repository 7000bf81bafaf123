//! Files in and out: reading member lists in whatever shape they arrive ([`read`], [`columns`],
//! [`cells`]) and writing exports every tool opens ([`export`]). The import pipeline that plans
//! and applies rows lives in `ops::import`; this module holds no SQL.

pub mod archive;
pub mod cells;
pub mod columns;
pub mod export;
pub mod ics;
pub mod jielong;
pub mod read;
