//! rewards commands (being written).
