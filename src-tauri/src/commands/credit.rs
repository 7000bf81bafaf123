//! credit commands (being written).
