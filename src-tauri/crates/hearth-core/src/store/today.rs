//! today tables (being written).
