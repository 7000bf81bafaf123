//! `hearth rewards …` (being written).
