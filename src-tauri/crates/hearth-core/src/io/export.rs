//! Writing member lists that every tool opens: CSV (UTF-8 with a BOM so Excel shows Chinese, or
//! GB18030 for old Excel on Chinese Windows), XLSX with every cell written as text (phones and
//! 19-digit ids never become numbers), and vCard 3.0 for phones and mail clients.
//!
//! CSV cells that start with `=` `+` `-` `@`, a tab or a carriage return are prefixed with `'` by
//! default so a spreadsheet never runs them as formulas (OWASP ASVS 1.2.10); Hearth's importer
//! takes that prefix off again. XLSX text cells are never evaluated, so they are written as is.
//!
//! Written for people: times in the manager's zone as `2024-03-05 13:05` (a form Excel and WPS
//! read as a date), not UTC `…Z`; a vCard's `N:` splits family and given names so phone contact
//! apps sort them (张;伟, 欧阳;娜娜, Brown;Alex).

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::{Gender, IdentityKind, Member};
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Vcard,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    #[default]
    Utf8Bom,
    Gb18030,
}

/// A column an export can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportColumn {
    Name,
    Pinyin,
    Phone,
    Email,
    Wechat,
    WechatRemark,
    GroupNick,
    Qq,
    QqCard,
    Forum,
    Platform,
    Gender,
    City,
    Birthday,
    Role,
    Responsibilities,
    Source,
    JoinedAt,
    Tags,
    Notes,
}

impl ExportColumn {
    pub const ALL: [ExportColumn; 20] = [
        Self::Name,
        Self::Pinyin,
        Self::Phone,
        Self::Email,
        Self::Wechat,
        Self::WechatRemark,
        Self::GroupNick,
        Self::Qq,
        Self::QqCard,
        Self::Forum,
        Self::Platform,
        Self::Gender,
        Self::City,
        Self::Birthday,
        Self::Role,
        Self::Responsibilities,
        Self::Source,
        Self::JoinedAt,
        Self::Tags,
        Self::Notes,
    ];

    /// Header text; both languages read back through the importer's synonyms.
    pub fn header(self, zh: bool) -> &'static str {
        let (en, cn) = match self {
            Self::Name => ("Name", "姓名"),
            Self::Pinyin => ("Pinyin", "拼音"),
            Self::Phone => ("Phone", "手机号"),
            Self::Email => ("Email", "邮箱"),
            Self::Wechat => ("WeChat ID", "微信号"),
            Self::WechatRemark => ("WeChat remark", "微信备注名"),
            Self::GroupNick => ("Group nickname", "群昵称"),
            Self::Qq => ("QQ", "QQ号"),
            Self::QqCard => ("QQ group card", "群名片"),
            Self::Forum => ("Forum", "论坛账号"),
            Self::Platform => ("Platform IDs", "平台ID"),
            Self::Gender => ("Gender", "性别"),
            Self::City => ("City", "城市"),
            Self::Birthday => ("Birthday", "生日"),
            Self::Role => ("Role", "角色"),
            Self::Responsibilities => ("Responsibilities", "职责"),
            Self::Source => ("Source", "来源"),
            Self::JoinedAt => ("Joined", "入群时间"),
            Self::Tags => ("Tags", "标签"),
            Self::Notes => ("Notes", "备注"),
        };
        if zh {
            cn
        } else {
            en
        }
    }

    fn identity_kind(self) -> Option<IdentityKind> {
        Some(match self {
            Self::Phone => IdentityKind::Phone,
            Self::Email => IdentityKind::Email,
            Self::Wechat => IdentityKind::Wechat,
            Self::WechatRemark => IdentityKind::WechatRemark,
            Self::GroupNick => IdentityKind::GroupNick,
            Self::Qq => IdentityKind::Qq,
            Self::QqCard => IdentityKind::QqCard,
            Self::Forum => IdentityKind::Forum,
            Self::Platform => IdentityKind::Platform,
            _ => return None,
        })
    }

    /// The member's value in this column; several identities of a kind are joined with `; `,
    /// times are in `zone`.
    pub fn value(self, m: &Member, zh: bool, zone: Tz) -> String {
        if let Some(kind) = self.identity_kind() {
            return m
                .identities
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.value.as_str())
                .collect::<Vec<_>>()
                .join("; ");
        }
        match self {
            Self::Name => m.display_name.clone(),
            Self::Pinyin => m.pinyin.clone(),
            Self::Gender => match (m.gender, zh) {
                (None, _) => String::new(),
                (Some(Gender::Female), true) => "女".into(),
                (Some(Gender::Male), true) => "男".into(),
                (Some(Gender::Other), true) => "其他".into(),
                (Some(g), false) => g.as_str().into(),
            },
            Self::City => m.city.clone(),
            Self::Birthday => m.birthday.clone().unwrap_or_default(),
            Self::Role => m.role.clone(),
            Self::Responsibilities => m.responsibilities.clone(),
            Self::Source => m.source.clone(),
            Self::JoinedAt => m
                .joined_at
                .as_deref()
                .map(|at| local_time(at, zone))
                .unwrap_or_default(),
            Self::Tags => m.tags.join(", "),
            Self::Notes => m.notes.clone(),
            _ => String::new(),
        }
    }
}

/// An RFC 3339 instant as `YYYY-MM-DD HH:MM` in `zone`; anything else as it is.
pub fn local_time(at: &str, zone: Tz) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(instant) => instant
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => at.to_owned(),
    }
}

/// Two-character Chinese family names (复姓); every other Chinese name's family name is its
/// first character.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "百里", "呼延", "申屠", "太史",
    "澹台", "公冶", "濮阳", "闻人", "万俟", "拓跋", "赫连", "第五", "左丘", "东郭", "司空",
];

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// (family name, given names) for a vCard's `N:`. A Chinese name of two or more characters:
/// the first character, or a known compound surname (欧阳, 司马, 诸葛, ...); a name in Latin
/// letters: the last word (`Alex Brown` → Brown, Alex). A single word is a given name only.
pub fn family_and_given(name: &str) -> (String, String) {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    if chars.len() >= 2 && chars.iter().all(|c| is_cjk(*c) || *c == '·') && !name.contains('·') {
        let split = if chars.len() >= 3 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) {
            2
        } else {
            1
        };
        return (
            chars[..split].iter().collect(),
            chars[split..].iter().collect(),
        );
    }
    match name.rsplit_once(char::is_whitespace) {
        Some((given, family)) if !given.trim().is_empty() => {
            (family.to_owned(), given.trim().to_owned())
        }
        _ => (String::new(), name.to_owned()),
    }
}

fn custom_values<'m>(m: &'m Member, labels: &'m [String]) -> impl Iterator<Item = String> + 'm {
    labels
        .iter()
        .map(|label| m.custom.get(label).cloned().unwrap_or_default())
}

/// `'` before a cell a spreadsheet would run as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes `path` through `path.part`: `write` fills the part file, which is renamed over `path`
/// only when complete and removed on any failure (or cancel), so the name the manager chose never
/// holds a half-written file.
pub fn write_atomically<T>(path: &Path, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    let part = path.with_file_name(name);
    let result = write(&part).and_then(|out| {
        std::fs::rename(&part, path)
            .map(|()| out)
            .map_err(|e| write_failed(path, e))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

pub fn write_failed(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::ExportFailed,
        format!("{} cannot be written: {why}", path.display()),
    )
    .with_param("path", path.display())
    .with_param("reason", why)
}

/// Something that takes members one chunk at a time and finishes into a file.
pub trait MemberSink {
    fn write(&mut self, members: &[Member]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

pub struct Settings<'a> {
    pub path: &'a Path,
    pub columns: &'a [ExportColumn],
    /// Custom field labels, written as extra columns after `columns`.
    pub custom: &'a [String],
    pub zh: bool,
    pub csv_encoding: CsvEncoding,
    pub neutralise_formulas: bool,
    /// The manager's zone, for times.
    pub zone: Tz,
}

pub fn sink(format: ExportFormat, settings: Settings<'_>) -> Result<Box<dyn MemberSink + '_>> {
    Ok(match format {
        ExportFormat::Csv => Box::new(CsvSink::new(settings)?),
        ExportFormat::Xlsx => Box::new(XlsxSink::new(settings)?),
        ExportFormat::Vcard => Box::new(VcardSink::new(settings)?),
    })
}

struct CsvSink<'a> {
    settings: Settings<'a>,
    out: BufWriter<File>,
}

impl<'a> CsvSink<'a> {
    fn new(settings: Settings<'a>) -> Result<Self> {
        let file = File::create(settings.path).map_err(|e| write_failed(settings.path, e))?;
        let mut sink = CsvSink {
            out: BufWriter::new(file),
            settings,
        };
        if sink.settings.csv_encoding == CsvEncoding::Utf8Bom {
            sink.out
                .write_all(b"\xEF\xBB\xBF")
                .map_err(|e| write_failed(sink.settings.path, e))?;
        }
        let headers: Vec<String> = sink
            .settings
            .columns
            .iter()
            .map(|c| c.header(sink.settings.zh).to_owned())
            .chain(sink.settings.custom.iter().cloned())
            .collect();
        sink.line(&headers)?;
        Ok(sink)
    }

    fn line(&mut self, cells: &[String]) -> Result<()> {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            let cell = if self.settings.neutralise_formulas {
                neutralise(cell)
            } else {
                cell.into()
            };
            if cell.contains([',', '"', '\n', '\r']) {
                line.push('"');
                line.push_str(&cell.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(&cell);
            }
        }
        line.push_str("\r\n");
        let bytes = match self.settings.csv_encoding {
            CsvEncoding::Utf8Bom => std::borrow::Cow::Borrowed(line.as_bytes()),
            CsvEncoding::Gb18030 => encoding_rs::GB18030.encode(&line).0,
        };
        self.out
            .write_all(&bytes)
            .map_err(|e| write_failed(self.settings.path, e))
    }
}

impl MemberSink for CsvSink<'_> {
    fn write(&mut self, members: &[Member]) -> Result<()> {
        for m in members {
            let cells: Vec<String> = self
                .settings
                .columns
                .iter()
                .map(|c| c.value(m, self.settings.zh, self.settings.zone))
                .chain(custom_values(m, self.settings.custom))
                .collect();
            self.line(&cells)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| write_failed(self.settings.path, e))
    }
}

struct XlsxSink<'a> {
    settings: Settings<'a>,
    workbook: rust_xlsxwriter::Workbook,
    row: u32,
}

impl<'a> XlsxSink<'a> {
    fn new(settings: Settings<'a>) -> Result<Self> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let fail = |e: rust_xlsxwriter::XlsxError| write_failed(settings.path, e);
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(fail)?;
        let name = if settings.zh { "成员" } else { "Members" };
        sheet.set_name(name).map_err(fail)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (col, column) in settings.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, column.header(settings.zh), &bold)
                .map_err(fail)?;
        }
        for (i, label) in settings.custom.iter().enumerate() {
            sheet
                .write_string_with_format(0, (settings.columns.len() + i) as u16, label, &bold)
                .map_err(fail)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        Ok(XlsxSink {
            settings,
            workbook,
            row: 1,
        })
    }
}

impl MemberSink for XlsxSink<'_> {
    fn write(&mut self, members: &[Member]) -> Result<()> {
        let path = self.settings.path;
        let fail = |e: rust_xlsxwriter::XlsxError| write_failed(path, e);
        let sheet = self.workbook.worksheet_from_index(0).map_err(fail)?;
        for m in members {
            let values = self
                .settings
                .columns
                .iter()
                .map(|c| c.value(m, self.settings.zh, self.settings.zone))
                .chain(custom_values(m, self.settings.custom));
            for (col, value) in values.enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(self.row, col as u16, value)
                        .map_err(fail)?;
                }
            }
            self.row += 1;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let path = self.settings.path;
        self.workbook.save(path).map_err(|e| write_failed(path, e))
    }
}

struct VcardSink<'a> {
    settings: Settings<'a>,
    out: BufWriter<File>,
}

impl<'a> VcardSink<'a> {
    fn new(settings: Settings<'a>) -> Result<Self> {
        let file = File::create(settings.path).map_err(|e| write_failed(settings.path, e))?;
        Ok(VcardSink {
            out: BufWriter::new(file),
            settings,
        })
    }
}

/// Escapes a vCard 3.0 text value (RFC 2426 §4: backslash, comma, semicolon, newline).
fn vcard_text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub fn vcard(m: &Member) -> String {
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:3.0".to_owned(),
        format!("FN:{}", vcard_text(&m.display_name)),
    ];
    let (family, given) = family_and_given(&m.display_name);
    lines.push(format!(
        "N:{};{};;;",
        vcard_text(&family),
        vcard_text(&given)
    ));
    for identity in &m.identities {
        let value = vcard_text(&identity.value);
        lines.push(match identity.kind {
            IdentityKind::Phone => format!("TEL;TYPE=CELL:{value}"),
            IdentityKind::Email => format!("EMAIL;TYPE=INTERNET:{value}"),
            IdentityKind::Wechat => format!("X-WECHAT:{value}"),
            IdentityKind::Qq => format!("X-QQ:{value}"),
            IdentityKind::WechatRemark | IdentityKind::GroupNick | IdentityKind::QqCard => {
                format!("NICKNAME:{value}")
            }
            IdentityKind::Forum => format!("X-FORUM:{value}"),
            IdentityKind::Platform => format!("X-PLATFORM-ID:{value}"),
        });
    }
    if !m.city.is_empty() {
        lines.push(format!("ADR;TYPE=HOME:;;;{};;;", vcard_text(&m.city)));
    }
    if let Some(b) = &m.birthday {
        lines.push(format!("BDAY:{b}"));
    }
    if !m.role.is_empty() {
        lines.push(format!("ROLE:{}", vcard_text(&m.role)));
    }
    if !m.tags.is_empty() {
        let tags: Vec<String> = m.tags.iter().map(|t| vcard_text(t)).collect();
        lines.push(format!("CATEGORIES:{}", tags.join(",")));
    }
    if !m.notes.is_empty() {
        lines.push(format!("NOTE:{}", vcard_text(&m.notes)));
    }
    lines.push(format!("UID:hearth-member-{}", m.id));
    lines.push("END:VCARD".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

impl MemberSink for VcardSink<'_> {
    fn write(&mut self, members: &[Member]) -> Result<()> {
        for m in members {
            self.out
                .write_all(vcard(m).as_bytes())
                .map_err(|e| write_failed(self.settings.path, e))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| write_failed(self.settings.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in ["=1+1", "+8613800138000", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(neutralise("张伟"), "张伟");
    }

    #[test]
    fn family_names_come_first_in_chinese_and_last_in_latin_names() {
        let split = |n: &str| {
            let (f, g) = family_and_given(n);
            format!("{f};{g}")
        };
        assert_eq!(split("张伟"), "张;伟");
        assert_eq!(split("王小明"), "王;小明");
        assert_eq!(split("欧阳娜娜"), "欧阳;娜娜");
        assert_eq!(split("司马光"), "司马;光");
        assert_eq!(split("诸葛亮"), "诸葛;亮");
        // Two characters are a family name and a given name, even when they begin like a
        // compound surname.
        assert_eq!(split("欧阳"), "欧;阳");
        assert_eq!(split("Alex Brown"), "Brown;Alex");
        assert_eq!(split("Mary Ann  Lee"), "Lee;Mary Ann");
        assert_eq!(split("Cher"), ";Cher");
        assert_eq!(split("阿依古丽·买买提"), ";阿依古丽·买买提");
    }

    #[test]
    fn times_are_written_in_the_managers_zone_without_seconds() {
        let shanghai = chrono_tz::Asia::Shanghai;
        assert_eq!(
            local_time("2024-03-05T05:05:00Z", shanghai),
            "2024-03-05 13:05"
        );
        assert_eq!(
            local_time("2024-03-05T23:30:00+00:00", shanghai),
            "2024-03-06 07:30"
        );
        assert_eq!(local_time("not a time", shanghai), "not a time");
    }

    #[test]
    fn vcard_n_holds_family_and_given_names() {
        let m = Member {
            id: 1,
            display_name: "张伟".into(),
            pinyin: "zhang wei".into(),
            identities: Vec::new(),
            tags: Vec::new(),
            joined_at: None,
            notes: String::new(),
            gender: None,
            city: String::new(),
            birthday: None,
            role: String::new(),
            responsibilities: String::new(),
            source: String::new(),
            custom: Default::default(),
            created_at: String::new(),
            updated_at: String::new(),
        };
        let card = vcard(&m);
        assert!(card.contains("\r\nN:张;伟;;;\r\n"), "{card}");
        assert!(card.contains("\r\nFN:张伟\r\n"), "{card}");
    }

    #[test]
    fn vcard_folds_long_lines_on_character_boundaries() {
        let long = "备注".repeat(60);
        let folded = fold(&format!("NOTE:{long}"));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{}", line.len());
        }
        assert_eq!(
            folded.replace("\r\n ", "").trim_end(),
            format!("NOTE:{long}")
        );
    }
}
