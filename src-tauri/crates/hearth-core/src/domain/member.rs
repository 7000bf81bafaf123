use serde::{Deserialize, Serialize};

/// How a member can be reached or recognised. Stored in snake case (`"phone"`, `"qq_card"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// E.164 (`+8613800138000`).
    Phone,
    /// Lower-cased, NFC.
    Email,
    /// WeChat ID (微信号), exactly as typed.
    Wechat,
    /// The manager's WeChat remark name for the member (备注名). Not unique.
    WechatRemark,
    /// Nickname inside a WeChat group (群昵称). Not unique.
    GroupNick,
    /// QQ number.
    Qq,
    /// QQ group card (群名片). Not unique.
    QqCard,
    /// Forum handle.
    Forum,
    /// A platform's member id as `platform:id` (`meetup:123`, `discord:1234567890123456789`);
    /// the id is kept exactly as given.
    Platform,
}

impl IdentityKind {
    pub const ALL: [IdentityKind; 9] = [
        Self::Phone,
        Self::Email,
        Self::Wechat,
        Self::WechatRemark,
        Self::GroupNick,
        Self::Qq,
        Self::QqCard,
        Self::Forum,
        Self::Platform,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Wechat => "wechat",
            Self::WechatRemark => "wechat_remark",
            Self::GroupNick => "group_nick",
            Self::Qq => "qq",
            Self::QqCard => "qq_card",
            Self::Forum => "forum",
            Self::Platform => "platform",
        }
    }

    /// Whether one value can belong to only one member (a phone can; a group nickname cannot).
    pub fn is_unique(self) -> bool {
        !matches!(self, Self::WechatRemark | Self::GroupNick | Self::QqCard)
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
    pub gender: Option<Gender>,
    pub city: String,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.
    pub birthday: Option<String>,
    /// Role in the community (member, group admin, volunteer, speaker, ...); free text.
    pub role: String,
    pub responsibilities: String,
    /// Which group or platform the member came from.
    pub source: String,
    /// Custom field values by field label (only fields with a value).
    pub custom: std::collections::BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Female, Self::Male, Self::Other]
            .into_iter()
            .find(|g| g.as_str() == s)
    }
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
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub city: String,
    /// `YYYY-MM-DD`, `MM-DD` or `--MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub responsibilities: String,
    #[serde(default)]
    pub source: String,
    /// Custom field values by field label; an empty value clears the field.
    #[serde(default)]
    pub custom: std::collections::BTreeMap<String, String>,
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
