//! `hearth credit …` (being written).
