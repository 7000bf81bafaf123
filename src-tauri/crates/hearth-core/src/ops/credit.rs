//! credit (being written).
