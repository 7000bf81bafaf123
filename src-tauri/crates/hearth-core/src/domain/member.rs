use serde::{Deserialize, Serialize};

/// How a member can be reached or recognised. Stored lower-case (`"phone"`, `"email"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum IdentityKind {
    /// E.164 (`+8613800138000`).
    Phone,
    /// Lower-cased, NFC.
    Email,
    /// WeChat ID (微信号), exactly as typed.
    Wechat,
    /// QQ number.
    Qq,
}

impl IdentityKind {
    pub const ALL: [IdentityKind; 4] = [Self::Phone, Self::Email, Self::Wechat, Self::Qq];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Wechat => "wechat",
            Self::Qq => "qq",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Identity {
    pub kind: IdentityKind,
    pub value: String,
}

/// A member of the community, as every board and `hearth members list --json` see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Member {
    pub id: i64,
    /// The whole name as the member uses it; Chinese names are never split.
    pub display_name: String,
    /// Pinyin of the name with spaces between syllables (`zhang wei`), empty without Chinese.
    pub pinyin: String,
    pub identities: Vec<Identity>,
    pub tags: Vec<String>,
    /// RFC 3339 (UTC), or null when unknown.
    pub joined_at: Option<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What the manager typed to create or edit a member; validated and normalised by the operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberDraft {
    pub display_name: String,
    #[serde(default)]
    pub identities: Vec<Identity>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `YYYY-MM-DD` (midnight UTC) or RFC 3339 with any offset.
    #[serde(default)]
    pub joined_at: Option<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MemberSort {
    /// By pinyin for Chinese names, alphabetically otherwise.
    #[default]
    Name,
    JoinedAt,
    CreatedAt,
}

/// One window of the member list plus the total that matches, for a virtualised table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberPage {
    pub total: u32,
    pub offset: u32,
    pub members: Vec<Member>,
}
