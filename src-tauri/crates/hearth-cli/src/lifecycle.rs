//! `hearth lifecycle …` (being written).
