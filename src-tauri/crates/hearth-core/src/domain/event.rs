use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

str_enum! {
    /// Where the event happens.
    EventMode { Offline = "offline", Online = "online" }
}

str_enum! {
    /// `Full` is set and cleared by the registrations themselves while the event is open.
    EventStatus {
        Draft = "draft",
        Open = "open",
        Full = "full",
        Finished = "finished",
        Cancelled = "cancelled",
    }
}

str_enum! {
    /// Where one person stands for one event.
    RegistrationStatus {
        Registered = "registered",
        /// Past capacity: promoted, in order, when a seat frees up.
        Waitlist = "waitlist",
        Cancelled = "cancelled",
        /// Registered and came (checked in at the door).
        Attended = "attended",
        /// Registered and did not come.
        NoShow = "no_show",
        /// Came without registering.
        WalkIn = "walk_in",
    }
}

impl RegistrationStatus {
    /// Counts against the event's capacity. A no-show had a seat they did not use: marking (or
    /// unmarking) them never moves anyone on the waitlist.
    pub fn holds_seat(self) -> bool {
        matches!(self, Self::Registered | Self::Attended | Self::NoShow)
    }

    /// Was at the event.
    pub fn came(self) -> bool {
        matches!(self, Self::Attended | Self::WalkIn)
    }
}

/// A community event as the boards and `hearth events list --json` see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Event {
    pub id: i64,
    pub title: String,
    pub mode: EventMode,
    /// UTC, RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    /// IANA zone the event is held in (`Asia/Shanghai`); times show in it.
    pub time_zone: String,
    /// `YYYY-MM-DDTHH:MM` in the event's zone, for editing.
    pub starts_local: String,
    pub ends_local: String,
    pub venue: String,
    pub link: String,
    /// Seats (companions included); `None` is unlimited.
    pub capacity: Option<u32>,
    pub notes: String,
    pub campaign: String,
    pub status: EventStatus,
    pub counts: RegistrationCounts,
    pub created_at: String,
    pub updated_at: String,
}

/// How many people stand where, for one event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegistrationCounts {
    pub registered: u32,
    pub waitlist: u32,
    pub cancelled: u32,
    pub attended: u32,
    pub no_show: u32,
    pub walk_in: u32,
    /// Seats taken (registered + attended + no-show, with their companions; members in the trash
    /// hold none).
    pub seats_taken: u32,
}

impl RegistrationCounts {
    /// People expected at the door: registered + already checked in.
    pub fn expected(&self) -> u32 {
        self.registered + self.attended + self.no_show
    }
}

/// What the manager typed to create or edit an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventDraft {
    pub title: String,
    pub mode: EventMode,
    /// `YYYY-MM-DDTHH:MM` in `time_zone`.
    pub starts_local: String,
    pub ends_local: String,
    /// IANA zone; empty means `Asia/Shanghai` (the desktop form always sends the manager's own).
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub campaign: String,
    pub status: EventStatus,
}

/// One person's registration, with what the door and the roster need of the member.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub pinyin: String,
    /// The member's first phone (E.164), if any.
    pub phone: Option<String>,
    pub role: String,
    pub status: RegistrationStatus,
    pub companions: u32,
    pub note: String,
    pub source: String,
    pub registered_at: String,
    pub checked_in_at: Option<String>,
    /// 1-based place in the waitlist.
    pub waitlist_position: Option<u32>,
}

/// Satisfaction and NPS of one event's feedback.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventOutcome {
    pub counts: RegistrationCounts,
    /// attended / (attended + no-show), 0–1; `None` before anyone is marked.
    pub attendance_rate: Option<f64>,
    pub no_show_rate: Option<f64>,
    pub responses: u32,
    /// Mean of the 1–5 scores.
    pub average_score: Option<f64>,
    /// % promoters (9–10) − % detractors (0–6), −100…100.
    pub nps: Option<f64>,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

/// One feedback answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Feedback {
    pub id: i64,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub score: Option<u8>,
    pub nps: Option<u8>,
    pub comment: String,
    pub source: String,
    pub created_at: String,
}
