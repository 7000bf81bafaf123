use serde::{Deserialize, Serialize};

use super::Stage;

/// Which members a segment (or the board's filter bar) selects. Every part that is set must
/// hold; an empty filter selects everyone (a hand-picked list's empty filter: no one but the
/// members added to it).
///
/// Activity windows and the credit score depend on the day: they are evaluated against the
/// clock at each query, so a saved "quiet for 30 days" segment moves with time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberFilter {
    /// The member carries every one of these tags.
    #[serde(default)]
    pub tags_all: Vec<String>,
    /// ... at least one of these.
    #[serde(default)]
    pub tags_any: Vec<String>,
    /// ... none of these.
    #[serde(default)]
    pub tags_none: Vec<String>,
    /// Role is one of these (empty: any role).
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub cities: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Joined on or after this day (`YYYY-MM-DD`, UTC).
    #[serde(default)]
    pub joined_from: Option<String>,
    /// Joined on or before this day.
    #[serde(default)]
    pub joined_to: Option<String>,
    /// Did something (a live activity) on one of the last N local days, today included.
    #[serde(default)]
    pub active_within_days: Option<u32>,
    /// Did nothing on any of the last N local days, today included (members never active too).
    #[serde(default)]
    pub quiet_for_days: Option<u32>,
    /// The stage everyone sees (the manager's override, else the stored stage) is one of these.
    /// Members not assessed since they were added (so without activities) count as what the
    /// lifecycle rules give them: `new` while they joined recently enough, else `dormant`.
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// Opinion leader (the manager's word, else the rule) or, with `false`, not one.
    #[serde(default)]
    pub opinion_leader: Option<bool>,
    /// Points balance at least this.
    #[serde(default)]
    pub points_min: Option<i64>,
    /// Points balance at most this.
    #[serde(default)]
    pub points_max: Option<i64>,
    /// Credit score (信用分) right now at most this.
    #[serde(default)]
    pub credit_max: Option<i64>,
    /// Conditions on custom fields.
    #[serde(default)]
    pub custom: Vec<CustomCondition>,
}

/// A condition on one custom field. Numbers compare as numbers, dates as `YYYY-MM-DD`; on a
/// multiple-choice field `contains` asks for one option (or several, all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomCondition {
    /// The field's label (case does not matter).
    pub label: String,
    pub op: CustomOp,
    /// Unused by `is_set` and `is_empty`.
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CustomOp {
    /// Text (ignoring case), number, date, the choice, or exactly these choices.
    Equals,
    /// Text containing the value; multiple choice carrying the option(s).
    Contains,
    /// Number or date at least the value.
    Gte,
    /// Number or date at most the value.
    Lte,
    /// Has any value.
    IsSet,
    /// Has no value.
    IsEmpty,
}

impl CustomOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomOp::Equals => "equals",
            CustomOp::Contains => "contains",
            CustomOp::Gte => "gte",
            CustomOp::Lte => "lte",
            CustomOp::IsSet => "is_set",
            CustomOp::IsEmpty => "is_empty",
        }
    }

    /// Whether the condition needs a value.
    pub fn takes_value(self) -> bool {
        !matches!(self, CustomOp::IsSet | CustomOp::IsEmpty)
    }
}

impl MemberFilter {
    pub fn is_empty(&self) -> bool {
        *self == MemberFilter::default()
    }
}

/// A saved filter with its live count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub filter: MemberFilter,
    /// A hand-picked list (made from a selection): while the filter is empty it holds only the
    /// members added by hand.
    pub is_list: bool,
    /// Live members added by hand (they are in whatever the filter says).
    pub hand_picked: u32,
    /// Members in it right now.
    pub count: u32,
    /// Members who entered and left since the last daily snapshot before today (None before
    /// there is one).
    pub entered: Option<u32>,
    pub left: Option<u32>,
    /// The day of that snapshot (`YYYY-MM-DD`).
    pub since: Option<String>,
    pub created_at: String,
}

/// Who entered and who left a segment since a snapshot day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentChanges {
    pub since: Option<String>,
    pub entered: Vec<crate::domain::Member>,
    pub left: Vec<crate::domain::Member>,
}
