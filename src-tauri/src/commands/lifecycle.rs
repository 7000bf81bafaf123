//! lifecycle commands (being written).
