//! today (being written).
