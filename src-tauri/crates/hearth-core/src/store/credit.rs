//! credit tables (being written).
