//! Which column of a member list holds what: the fields a column can fill, header synonyms in
//! Chinese and English, built-in presets for the layouts managers really receive
//! (`assets/import-presets.json`), finding the header row under title rows, and reading the
//! values of a column no header names ([`sniff_columns`]): a column of phones is never dropped
//! because its header was unfamiliar.
//!
//! Headers are compared by shape ([`header_keys`]): case, spaces, `_` `-` `.` `:`, camelCase and
//! full-width forms do not matter, a leading BOM is ignored, and a gloss in brackets in either
//! language (`群昵称(nick_name)`, `Phone（手机）`, `微信号【必填】`) is looked past or used.

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

/// Header text compared loosely: full-width forms folded, lower case, no spaces, `_`, `-`, `:`,
/// `.`, `*` or brackets (their content is kept). `guildMemberNickname`, `Guild Member Nickname`
/// and `guild_member_nickname` are one key.
fn loose(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(fold_width)
        .flat_map(char::to_lowercase)
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-' | '/' | ':' | '*' | '(' | ')' | '[' | ']' | '【' | '】' | '.' | '·'
                )
        })
        .collect()
}

/// Full-width ASCII (`ＱＱ号`, `（`, `：`) as its ASCII form; the ideographic space as a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// The keys a header is known by: the whole header, the header without a bracketed gloss, and
/// the gloss itself (`群昵称(nick_name)` → `群昵称nickname`, `群昵称`, `nickname`). The first
/// key that names a field wins.
pub fn header_keys(header: &str) -> Vec<String> {
    let folded: String = header.chars().map(fold_width).collect();
    let mut keys = vec![loose(&folded)];
    let mut main = String::new();
    let mut glosses: Vec<String> = Vec::new();
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '【' | '〔' => {
                depth += 1;
                if depth == 1 {
                    glosses.push(String::new());
                }
            }
            ')' | ']' | '】' | '〕' if depth > 0 => depth -= 1,
            _ if depth > 0 => glosses.last_mut().expect("opened").push(c),
            _ => main.push(c),
        }
    }
    for key in std::iter::once(main).chain(glosses).map(|k| loose(&k)) {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
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
    let find = |key: &str| {
        SYNONYMS
            .iter()
            .find(|(_, words)| words.contains(&key))
            .map(|(field, _)| *field)
    };
    header_keys(header).iter().find_map(|key| {
        find(key).or_else(|| {
            let question = question_subject(key);
            (question != key).then(|| find(question)).flatten()
        })
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
    let have: Vec<String> = headers.iter().flat_map(|h| header_keys(h)).collect();
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

/// The preset's field for a header: the preset's own spelling, or the header's other keys.
fn preset_field(preset: &Preset, header: &str) -> Option<String> {
    let keys = header_keys(header);
    keys.iter().find_map(|key| {
        preset
            .columns
            .iter()
            .find(|(h, _)| loose(h) == *key)
            .map(|(_, f)| f.clone())
    })
}

/// Fields several columns can fill: every contact column adds an identity (Outlook's
/// `E-mail 2 Address`, WeCom's `企微手机号` and `系统手机`), tags and notes add up.
fn repeatable(field: &str) -> bool {
    matches!(field, "tags" | "notes")
        || field.starts_with("platform:")
        || Field::parse(field).is_some_and(|f| matches!(f, Field::Identity(_)))
}

/// Suggested mapping for a header row: the preset's columns first, synonyms for the rest. A
/// preset may map several columns to one field (the later non-empty one wins for a single
/// value); among synonyms, a name or single-valued field goes to the first column that names it.
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
            let from_preset = preset.and_then(|p| preset_field(p, header));
            let field = match from_preset {
                Some(f) => f,
                None => suggest_field(header)
                    .filter(|f| !(preset_names && is_name(f)))
                    .map(str::to_owned)
                    .filter(|f| repeatable(f) || !used.contains(f))
                    .unwrap_or_default(),
            };
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

/// What the values of an unmapped column look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGuess {
    pub index: u32,
    pub header: String,
    /// The field the column was mapped to; `None` when its values could be more than one thing
    /// (or the header says they may be someone else's) and the manager should choose.
    pub field: Option<String>,
    /// What the values looked like: `phone`, `email`, `wechat`, `qq`, `id` or a mix
    /// (`phone/qq`).
    pub looks_like: String,
}

/// The shape of one cell, for [`sniff_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Phone,
    Email,
    Wxid,
    /// 5–11 bare digits: a QQ number, or a member number, or a count.
    QqLike,
    /// 15+ bare digits: a platform id (a Discord snowflake, a customer number).
    LongId,
}

impl Shape {
    fn as_str(self) -> &'static str {
        match self {
            Shape::Phone => "phone",
            Shape::Email => "email",
            Shape::Wxid => "wechat",
            Shape::QqLike => "qq",
            Shape::LongId => "id",
        }
    }
}

fn shape(cell: &str) -> Option<Shape> {
    let v = cell.trim();
    if v.is_empty() {
        return None;
    }
    if crate::io::cells::is_e_notation(v) {
        return Some(Shape::Phone);
    }
    if crate::text::normalize_email(v).is_some() {
        return Some(Shape::Email);
    }
    if v.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("wxid_"))
        && crate::text::normalize_wechat(v).is_some()
    {
        return Some(Shape::Wxid);
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let bare = v.chars().all(|c| c.is_ascii_digit());
    let phone_chars = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'));
    if bare {
        let cn_mobile = digits == 11 && v.starts_with('1') && !v[1..2].contains(['0', '1', '2']);
        return match digits {
            _ if cn_mobile => Some(Shape::Phone),
            13 if v.starts_with("861") => Some(Shape::Phone),
            5..=11 if !v.starts_with('0') => Some(Shape::QqLike),
            15.. => Some(Shape::LongId),
            _ => None,
        };
    }
    (phone_chars && (7..=15).contains(&digits)).then_some(Shape::Phone)
}

/// Headers whose numbers belong to someone else, or to no person (a fax, an assistant, an
/// emergency contact): a column of phones under them is offered, not mapped.
const NOT_THE_PERSONS: &[&str] = &[
    "fax",
    "传真",
    "assistant",
    "助理",
    "emergency",
    "紧急",
    "company",
    "公司",
    "pager",
    "referrer",
    "推荐人",
    "邀请人",
    "添加人",
];

/// Headers of numbers that are counts, times or scores rather than contacts.
const COUNTS: &[&str] = &[
    "count",
    "time",
    "total",
    "views",
    "rsvp",
    "size",
    "amount",
    "score",
    "points",
    "number of",
    "数",
    "次",
    "量",
    "分",
    "金额",
    "时长",
    "积分",
    "等级",
    "序号",
];

/// Reads the values of every unmapped column (the rows under the header): a column whose
/// non-empty cells are mostly (at least 60%) phones, e-mails or WeChat ids (`wxid_…`), or QQ
/// numbers under a header that says QQ, is mapped; one that is mostly contacts of unclear kind
/// (bare numbers that could be QQ numbers or member numbers, long ids, a mix) or whose header
/// says the numbers are someone else's is returned unmapped, for a warning.
pub fn sniff_columns(mapping: &mut [ColumnMapping], rows: &[&[String]]) -> Vec<ColumnGuess> {
    let mut guesses = Vec::new();
    for m in mapping.iter_mut().filter(|m| m.field.is_empty()) {
        let mut tally: std::collections::BTreeMap<Shape, usize> = Default::default();
        let mut filled = 0usize;
        for row in rows {
            let Some(cell) = row.get(m.index as usize) else {
                continue;
            };
            let cell = cell.trim();
            if cell.is_empty() || crate::io::cells::is_placeholder(cell) {
                continue;
            }
            filled += 1;
            // A multi-value cell counts by its first value.
            let first = crate::io::cells::split_values(cell, true)
                .into_iter()
                .next()
                .unwrap_or_default();
            if let Some(s) = shape(&first) {
                *tally.entry(s).or_default() += 1;
            }
        }
        if filled == 0 {
            continue;
        }
        let mostly = |n: usize| n * 10 >= filled * 6;
        let contacts: usize = tally.values().sum();
        if !mostly(contacts) {
            continue;
        }
        let header = m.header.to_lowercase();
        let says = |words: &[&str]| words.iter().any(|w| header.contains(w));
        let (best, count) = tally
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(s, n)| (*s, *n))
            .expect("some contacts");
        let looks_like = if mostly(count) {
            best.as_str().to_owned()
        } else {
            tally
                .keys()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("/")
        };
        let field = match best {
            _ if !mostly(count) => None,
            Shape::QqLike | Shape::LongId if says(COUNTS) => continue,
            _ if says(NOT_THE_PERSONS) => None,
            Shape::Phone => Some("phone"),
            Shape::Email => Some("email"),
            Shape::Wxid => Some("wechat"),
            Shape::QqLike if loose(&header).contains("qq") => Some("qq"),
            Shape::QqLike | Shape::LongId => None,
        };
        if let Some(field) = field {
            m.field = field.to_owned();
        }
        guesses.push(ColumnGuess {
            index: m.index,
            header: m.header.clone(),
            field: field.map(str::to_owned),
            looks_like,
        });
    }
    guesses
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

    #[test]
    fn headers_by_shape_bilingual_glosses_full_width_and_camel_case() {
        assert_eq!(suggest_field("群昵称(nick_name)"), Some("group_nick"));
        assert_eq!(suggest_field("微信号(username)"), Some("wechat"));
        assert_eq!(suggest_field("（邮箱）Email"), Some("email"));
        assert_eq!(suggest_field("ＱＱ号"), Some("qq"));
        assert_eq!(suggest_field("手机号码【必填】"), Some("phone"));
        assert_eq!(suggest_field("\u{feff}Phone_Number"), Some("phone"));
        assert_eq!(suggest_field("emailAddress"), Some("email"));
        assert_eq!(suggest_field("(nickname)"), Some("name"));
        assert_eq!(
            header_keys("群昵称(nick_name)"),
            ["群昵称nickname", "群昵称", "nickname"]
        );
    }

    #[test]
    fn presets_for_wecom_discord_and_the_bilingual_wechat_tool() {
        let wecom = row(&[
            "客户名称",
            "客户备注名",
            "企微手机号",
            "系统手机",
            "客户编号",
            "添加时间",
            "入群时间",
        ]);
        let preset = detect_preset(&wecom).expect("WeCom");
        assert_eq!(preset.id, "wecom_customers");
        let fields: Vec<String> = suggest_mapping(&wecom, Some(preset))
            .into_iter()
            .map(|m| m.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "wechat_remark",
                "phone",
                "phone",
                "platform:wecom",
                "joined_at",
                "joined_at"
            ]
        );
        let discord = row(&[
            "userId",
            "userIsBot",
            "hasMigratedUsername",
            "guildMemberNickname",
            "userGlobalName",
            "userUsername",
        ]);
        assert_eq!(detect_preset(&discord).unwrap().id, "discord_members");
        let tool = row(&["群昵称(nick_name)", "备注(remark)", "微信号(username)"]);
        let preset = detect_preset(&tool).expect("tool");
        assert_eq!(preset.id, "wechat_group_tool");
        let fields: Vec<String> = suggest_mapping(&tool, Some(preset))
            .into_iter()
            .map(|m| m.field)
            .collect();
        assert_eq!(fields, ["group_nick", "wechat_remark", "wechat"]);
    }

    #[test]
    fn unmapped_columns_are_read_by_their_values() {
        let headers = row(&[
            "名字",
            "联系",
            "mail2",
            "wx",
            "号码",
            "Assistant's Phone",
            "views",
        ]);
        let mut mapping = suggest_mapping(&headers, None);
        let data = [
            row(&[
                "张伟",
                "138 0013 8000",
                "a@example.com",
                "wxid_abc123",
                "12345678",
                "13900139000",
                "123456",
            ]),
            row(&[
                "李娜",
                "13900139001",
                "b@example.com ::: c@example.com",
                "wxid_def456",
                "87654321",
                "",
                "654321",
            ]),
            row(&["王芳", "-", "", "", "55555555", "13700137000", "111111"]),
        ];
        let rows: Vec<&[String]> = data.iter().map(Vec::as_slice).collect();
        let guesses = sniff_columns(&mut mapping, &rows);
        let fields: Vec<&str> = mapping.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone", "email", "wechat", "", "", ""]);
        let offered: Vec<(&str, &str)> = guesses
            .iter()
            .filter(|g| g.field.is_none())
            .map(|g| (g.header.as_str(), g.looks_like.as_str()))
            .collect();
        // Bare numbers could be QQ numbers or member numbers; an assistant's phone is not the
        // member's; a count is no contact at all.
        assert_eq!(offered, [("号码", "qq"), ("Assistant's Phone", "phone")]);
    }
}
