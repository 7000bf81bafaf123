//! today commands (being written).
