use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CustomFieldKind {
    Text,
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// One of `options`.
    Choice,
    /// Any of `options`, written `a, b` in the options' order.
    Multi,
}

impl CustomFieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Choice => "choice",
            Self::Multi => "multi",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Text,
            Self::Number,
            Self::Date,
            Self::Choice,
            Self::Multi,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A field the manager added to every member's profile. Members' values are keyed by `label`
/// (`custom` in the member JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomField {
    pub id: i64,
    pub label: String,
    pub kind: CustomFieldKind,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomFieldDraft {
    pub label: String,
    pub kind: CustomFieldKind,
    #[serde(default)]
    pub options: Vec<String>,
}
