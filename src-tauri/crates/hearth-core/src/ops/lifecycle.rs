//! lifecycle (being written).
