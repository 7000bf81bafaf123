//! rewards tables (being written).
