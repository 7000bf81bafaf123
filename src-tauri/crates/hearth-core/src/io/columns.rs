//! Which column of a member list holds what: the fields a column can fill, header synonyms in
//! Chinese and English, built-in presets for the layouts managers really receive
//! (`assets/import-presets.json`), and finding the header row under title rows.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::IdentityKind;

/// What one column fills in a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstName,
    LastName,
    Identity(IdentityKind),
    /// A platform's member id; the cell holds the bare id (`284511903`) and the platform is
    /// known from the column (`meetup`).
    PlatformId(String),
    Gender,
    City,
    Birthday,
    JoinedAt,
    Tags,
    Notes,
    Role,
    Responsibilities,
    Source,
    /// A custom field, by label.
    Custom(String),
}

impl Field {
    /// Keys as the UI and presets spell them: `name`, `phone`, `platform:meetup`, ...
    pub fn parse(key: &str) -> Option<Field> {
        if let Some(label) = key.strip_prefix("custom:") {
            let label = label.trim();
            return (!label.is_empty()).then(|| Field::Custom(label.to_owned()));
        }
        if let Some(platform) = key.strip_prefix("platform:") {
            let ok = !platform.is_empty()
                && platform
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            return ok.then(|| Field::PlatformId(platform.to_ascii_lowercase()));
        }
        Some(match key {
            "name" => Field::Name,
            "first_name" => Field::FirstName,
            "last_name" => Field::LastName,
            "gender" => Field::Gender,
            "city" => Field::City,
            "birthday" => Field::Birthday,
            "joined_at" => Field::JoinedAt,
            "tags" => Field::Tags,
            "notes" => Field::Notes,
            "role" => Field::Role,
            "responsibilities" => Field::Responsibilities,
            "source" => Field::Source,
            other => Field::Identity(IdentityKind::parse(other)?),
        })
    }

    pub fn key(&self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::FirstName => "first_name".into(),
            Field::LastName => "last_name".into(),
            Field::Identity(kind) => kind.as_str().into(),
            Field::PlatformId(p) => format!("platform:{p}"),
            Field::Gender => "gender".into(),
            Field::City => "city".into(),
            Field::Birthday => "birthday".into(),
            Field::JoinedAt => "joined_at".into(),
            Field::Tags => "tags".into(),
            Field::Notes => "notes".into(),
            Field::Role => "role".into(),
            Field::Responsibilities => "responsibilities".into(),
            Field::Source => "source".into(),
            Field::Custom(label) => format!("custom:{label}"),
        }
    }

    /// Whether a column of this kind can identify a member on its own (for "is this file
    /// importable at all").
    pub fn names_or_identifies(&self) -> bool {
        matches!(
            self,
            Field::Name | Field::FirstName | Field::LastName | Field::PlatformId(_)
        ) || matches!(self, Field::Identity(_))
    }
}

/// One column of the file and the field it fills (`field` empty: left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnMapping {
    pub index: u32,
    pub header: String,
    pub field: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Preset {
    pub id: String,
    pub name: PresetName,
    pub detect: Vec<String>,
    pub columns: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub day_first: bool,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PresetName {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh: String,
}

pub fn presets() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        serde_json::from_str(include_str!("../../../../../assets/import-presets.json"))
            .expect("assets/import-presets.json is valid (checked by a unit test)")
    })
}

/// Header text compared loosely: lower case, no spaces, `_`, `-`, `:` or brackets.
fn loose(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-' | '/' | ':' | '：' | '*' | '(' | ')' | '（' | '）' | '.' | '\u{3000}'
                )
        })
        .collect()
}

/// Header synonyms (already [`loose`]) for each field.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "姓名",
            "名字",
            "昵称",
            "成员",
            "微信昵称",
            "客户名称",
            "真实姓名",
            "联系人",
            "称呼",
            "报名人",
            "参会人",
            "用户名称",
            "name",
            "fullname",
            "displayname",
            "nickname",
            "membername",
            "attendeename",
            "guestname",
            "contactname",
        ],
    ),
    ("first_name", &["firstname", "givenname", "名"]),
    ("last_name", &["lastname", "surname", "familyname", "姓"]),
    (
        "phone",
        &[
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "电话号码",
            "联系方式",
            "phone",
            "mobile",
            "phonenumber",
            "mobilephone",
            "mobilenumber",
            "cellphone",
            "tel",
            "telephone",
            "cell",
        ],
    ),
    (
        "email",
        &[
            "邮箱",
            "电子邮箱",
            "邮箱地址",
            "电子邮件",
            "email",
            "emailaddress",
            "mail",
        ],
    ),
    (
        "wechat",
        &[
            "微信",
            "微信号",
            "微信id",
            "wechat",
            "wechatid",
            "weixin",
            "wxid",
        ],
    ),
    (
        "wechat_remark",
        &["备注名", "微信备注", "微信备注名", "wechatremark"],
    ),
    (
        "group_nick",
        &["群昵称", "群内昵称", "groupnickname", "groupnick"],
    ),
    ("qq", &["qq", "qq号", "qq号码", "qqnumber"]),
    ("qq_card", &["群名片", "qqgroupcard", "qqcard"]),
    ("forum", &["论坛账号", "论坛用户名", "forum", "forumhandle"]),
    ("gender", &["性别", "gender", "sex"]),
    (
        "city",
        &[
            "城市",
            "地区",
            "所在地",
            "所在城市",
            "城市地区",
            "location",
            "city",
        ],
    ),
    (
        "birthday",
        &[
            "生日",
            "出生日期",
            "birthday",
            "birthdate",
            "dateofbirth",
            "dob",
        ],
    ),
    (
        "joined_at",
        &[
            "入群时间",
            "加群时间",
            "加入时间",
            "入群日期",
            "注册时间",
            "添加时间",
            "报名时间",
            "joinedgroupon",
            "joined",
            "joindate",
            "joinedat",
            "createdat",
            "signupdate",
            "dateadded",
        ],
    ),
    (
        "tags",
        &[
            "标签",
            "客户标签",
            "分组",
            "tags",
            "tag",
            "labels",
            "label",
            "categories",
            "groupmembership",
        ],
    ),
    (
        "notes",
        &[
            "备注",
            "说明",
            "描述",
            "notes",
            "note",
            "remark",
            "remarks",
            "description",
            "comment",
            "comments",
        ],
    ),
    ("role", &["角色", "身份", "role", "communityrole"]),
    (
        "responsibilities",
        &["职责", "负责", "responsibilities", "duties"],
    ),
    ("source", &["来源", "渠道", "来源渠道", "source", "channel"]),
    // Hearth's own export writes platform ids with their prefix (`meetup:123`).
    ("platform", &["平台id", "platformid", "platformids"]),
];

/// The field a header suggests on its own, if any. Survey exports (问卷星, 腾讯问卷, Google Forms)
/// use the question as the header (`1、您的姓名：`, `Q2. 请填写手机号`), so a question number and a
/// polite lead-in are looked past when the header itself is no synonym.
pub fn suggest_field(header: &str) -> Option<&'static str> {
    let key = loose(header);
    if key.is_empty() {
        return None;
    }
    let find = |key: &str| {
        SYNONYMS
            .iter()
            .find(|(_, words)| words.contains(&key))
            .map(|(field, _)| *field)
    };
    find(&key).or_else(|| {
        let question = question_subject(&key);
        (question != key).then(|| find(question)).flatten()
    })
}

/// `1、您的姓名` → `姓名`; `q2请填写手机号` → `手机号`; `yourname` → `name`.
fn question_subject(key: &str) -> &str {
    let mut rest = key.trim_start_matches('q');
    rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest = rest.trim_start_matches(['、', '，', ',', '.', '．']);
    for lead in [
        "请填写您的",
        "请输入您的",
        "请填写",
        "请输入",
        "请留下",
        "您的",
        "你的",
        "your",
    ] {
        if let Some(r) = rest.strip_prefix(lead) {
            rest = r;
            break;
        }
    }
    rest.trim_end_matches(['?', '？'])
}

/// The preset whose detection headers are all in this header row, along with one of its name
/// columns (every platform's export names its members; Hearth's own Chinese export has `群名片`,
/// `QQ号` and `入群时间` but is no QQ group list).
pub fn detect_preset(headers: &[String]) -> Option<&'static Preset> {
    let have: Vec<String> = headers.iter().map(|h| loose(h)).collect();
    presets().iter().find(|p| {
        let mut names = p
            .columns
            .iter()
            .filter(|(_, f)| matches!(f.as_str(), "name" | "first_name" | "last_name"))
            .map(|(h, _)| loose(h))
            .peekable();
        p.detect.iter().all(|d| have.contains(&loose(d)))
            && (names.peek().is_none() || names.any(|n| have.contains(&n)))
    })
}

/// Suggested mapping for a header row: the preset's columns first, synonyms for the rest, and a
/// field used by one column only (the first) except tags and notes, which can come from several.
pub fn suggest_mapping(headers: &[String], preset: Option<&Preset>) -> Vec<ColumnMapping> {
    let is_name = |f: &str| matches!(f, "name" | "first_name" | "last_name");
    // A preset that knows which columns hold the name is trusted on it: Google's and Outlook's
    // `Nickname` column must not replace First/Last Name.
    let preset_names = preset.is_some_and(|p| p.columns.values().any(|f| is_name(f)));
    let mut used: Vec<String> = Vec::new();
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let from_preset = preset.and_then(|p| {
                p.columns
                    .iter()
                    .find(|(h, _)| loose(h) == loose(header))
                    .map(|(_, f)| f.clone())
            });
            let field = from_preset
                .or_else(|| {
                    suggest_field(header)
                        .filter(|f| !(preset_names && is_name(f)))
                        .map(str::to_owned)
                })
                .filter(|f| matches!(f.as_str(), "tags" | "notes") || !used.contains(f))
                .unwrap_or_default();
            if !field.is_empty() {
                used.push(field.clone());
            }
            ColumnMapping {
                index: index as u32,
                header: header.trim().trim_start_matches('\u{feff}').to_owned(),
                field,
            }
        })
        .collect()
}

/// How many cells of a row read as known headers: the header row is the first row with the
/// highest score among the first rows of the file (title rows above it score 0 or 1).
pub fn header_score(cells: &[String]) -> usize {
    let preset_bonus = if detect_preset(cells).is_some() {
        100
    } else {
        0
    };
    preset_bonus + cells.iter().filter(|c| suggest_field(c).is_some()).count()
}

/// Where the table ends: the first empty header cell after the first filled one. Cells right of
/// that gap (a `总人数:` note beside the table) are outside the table.
pub fn table_width(headers: &[String]) -> usize {
    let first = headers
        .iter()
        .position(|h| !h.trim().is_empty())
        .unwrap_or(0);
    headers[first..]
        .iter()
        .position(|h| h.trim().is_empty())
        .map_or(headers.len(), |gap| first + gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn survey_questions_as_headers_map_to_their_subject() {
        assert_eq!(suggest_field("1、您的姓名："), Some("name"));
        assert_eq!(suggest_field("2、您的手机号码："), Some("phone"));
        assert_eq!(suggest_field("Q3. 请填写邮箱"), Some("email"));
        assert_eq!(suggest_field("Your name"), Some("name"));
        // A question about something else stays unmapped.
        assert_eq!(suggest_field("4、您对本次活动的建议"), None);
    }

    #[test]
    fn presets_file_parses_and_uses_known_fields() {
        assert!(presets().len() >= 12);
        for preset in presets() {
            assert!(!preset.detect.is_empty(), "{}", preset.id);
            for field in preset.columns.values() {
                assert!(Field::parse(field).is_some(), "{}: {field}", preset.id);
            }
        }
    }

    #[test]
    fn synonyms_in_both_languages() {
        for (header, field) in [
            ("姓名", "name"),
            ("手机号码", "phone"),
            ("联系电话", "phone"),
            ("Phone", "phone"),
            ("E-mail Address", "email"),
            ("微信号", "wechat"),
            ("群昵称", "group_nick"),
            ("群名片", "qq_card"),
            ("QQ号", "qq"),
            ("Joined Group on", "joined_at"),
            ("加群时间", "joined_at"),
            ("Labels", "tags"),
            ("城市/地区", "city"),
            ("Full Name", "name"),
            ("created_at", "joined_at"),
            ("备注", "notes"),
        ] {
            assert_eq!(suggest_field(header), Some(field), "{header}");
        }
        assert_eq!(suggest_field("Q龄"), None);
    }

    #[test]
    fn header_row_beats_title_rows_and_width_stops_at_gap() {
        let title = row(&["2024 年北京读书会成员名单"]);
        let header = row(&["序号", "姓名", "手机号", "城市", "", "总人数:", "300"]);
        assert!(header_score(&header) > header_score(&title));
        assert_eq!(table_width(&header), 4);
        assert_eq!(table_width(&row(&["", "姓名", "电话"])), 3);
    }

    #[test]
    fn qq_preset_is_recognised() {
        let headers = row(&[
            "成员",
            "成员类别",
            "群名片",
            "QQ号",
            "性别",
            "Q龄",
            "入群时间",
        ]);
        let preset = detect_preset(&headers).expect("QQ layout");
        assert_eq!(preset.id, "qq_group");
        let mapping = suggest_mapping(&headers, Some(preset));
        assert_eq!(mapping[2].field, "qq_card");
        assert_eq!(mapping[3].field, "qq");
    }
}
