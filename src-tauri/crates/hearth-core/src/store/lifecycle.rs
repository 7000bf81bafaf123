//! lifecycle tables (being written).
