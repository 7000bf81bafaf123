//! The one error type every operation returns. It crosses IPC as `{ code, message, field, params }`:
//! the UI branches on `code` and shows its own translation; `message` is the English fallback and
//! what the CLI prints (or [`Error::localized`] for zh-CN terminals).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable, machine-readable error codes. Renaming one is a breaking change for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required field is empty.
    Required,
    /// A field is longer than allowed (`params.max`).
    TooLong,
    /// A phone number that cannot be read as E.164.
    InvalidPhone,
    InvalidEmail,
    InvalidWechat,
    InvalidQq,
    /// A nickname, forum handle or platform id that is empty, too long or malformed.
    InvalidIdentity,
    InvalidDate,
    /// A number or option outside what the operation accepts.
    InvalidInput,
    /// The identity already belongs to another member (`params.member_id`, `params.member_name`).
    IdentityTaken,
    NotFound,
    /// Merging a member with itself, or with one already merged away.
    MergeInvalid,
    /// The merge cannot be undone: a member changed after it (`params.member_name`).
    MergeOutdated,
    /// The data folder cannot be created or written (`params.path`).
    DataDirUnavailable,
    /// The file exists but is not a Hearth database (`params.path`).
    NotHearthDatabase,
    /// The database was written by a newer Hearth (`params.version`).
    NewerSchema,
    /// A migration that was already applied has changed since (`params.version`).
    MigrationEdited,
    /// A file to import cannot be opened or read (`params.path`, `params.reason`).
    FileUnreadable,
    /// A file to import is bigger than Hearth reads (`params.path`, `params.size_mb`,
    /// `params.max_mb`); refused before any of it is read.
    FileTooLarge,
    /// A cell of an imported file is bigger than Hearth takes (`params.size_kb`, `params.max_kb`):
    /// the value was left out and the row imported without it.
    CellTooLarge,
    /// The file is not a format Hearth reads (`params.path`).
    UnsupportedFormat,
    /// No column of the file maps to a name or a contact (`params.path`).
    NoUsableColumns,
    /// A row has cells where the header has none: its columns may have shifted (`params.cells`,
    /// `params.columns`).
    RaggedRow,
    /// A phone number Excel turned into `1.38001E+10`: digits were lost; it is never guessed.
    DamagedNumber,
    /// Two contacts in one row belong to two different members (`params.member_name`,
    /// `params.member_id`, `params.other_name`, `params.other_id`): the row was imported as a new
    /// member without them, flagged as a possible duplicate of both.
    RowMatchesTwoMembers,
    /// A row with no contact whose name several members share (`params.member_name`): skipped
    /// rather than adding another namesake.
    AmbiguousName,
    /// A custom number field given something that is not a number (`params.value`); `field` is
    /// the custom field's label.
    InvalidCustomNumber,
    /// A custom date field given something that is not `YYYY-MM-DD` (`params.value`).
    InvalidCustomDate,
    /// A custom choice field given a value outside its options (`params.value`, `params.options`).
    InvalidCustomChoice,
    /// Another segment (or record that needs a unique name) already has this name (`params.value`).
    NameTaken,
    /// A line inside the table that sums it up (`合计`, `总人数: 30`) rather than a member.
    SummaryRow,
    /// A row with neither a name nor any contact: not a person, left out.
    NoNameOrContact,
    /// A row whose name an existing member (or an earlier row) has, with no contact in common:
    /// imported as a new member, flagged as possibly the same person (`params.member_id`,
    /// `params.member_name`). A name alone never merges two people.
    PossibleDuplicate,
    /// The file's extension names another format than its content (`params.extension`,
    /// `params.format`): it was read as what it is.
    FormatMismatch,
    /// A column no header synonym named was mapped from its values (`params.header`,
    /// `params.field`).
    ColumnGuessed,
    /// A column whose values look like contacts of unclear kind, or someone else's, was left
    /// unmapped for the manager to choose (`params.header`, `params.looks_like`).
    ColumnAmbiguous,
    /// The manager cancelled a long operation; nothing was written.
    Cancelled,
    /// The import was already undone.
    ImportUndone,
    /// The import cannot be undone: a member changed after it (`params.member_name`).
    ImportOutdated,
    /// A file to export to cannot be written (`params.path`, `params.reason`).
    ExportFailed,
    /// The member is not registered for the event (`params.member_name`, `params.event_title`):
    /// the door asks whether to add them as a walk-in.
    NotRegistered,
    /// The registration was cancelled (`params.member_name`): the door asks whether to reinstate
    /// it and check them in.
    RegistrationCancelled,
    /// The member is already checked in (`params.member_name`, `params.time`).
    AlreadyCheckedIn,
    /// The event is cancelled or finished and takes no registrations (`params.status`).
    EventClosed,
    /// Someone on the waitlist (or a cancelled registration) came to the door of a full event
    /// (`params.member_name`): the door asks whether to let them in over capacity.
    EventFull,
    /// No CJK font to print with was found (`params.searched`: the places looked in).
    FontMissing,
    /// The deduction already has an appeal waiting for a decision (`params.filed_at`).
    AppealPending,
    /// The deduction is no longer in force (voided, expired or already overturned), so there is
    /// nothing to appeal (`params.status`).
    NotAppealable,
    /// The appeal was already decided (`params.status`: upheld or overturned).
    AppealDecided,
    /// A redemption costs more than the member's balance (`params.balance`, `params.cost`,
    /// `params.member_name`, `params.reward_name`); nothing was written.
    InsufficientPoints,
    /// The reward has none left (`params.reward_name`).
    OutOfStock,
    /// The manager switched leaderboards off in the engagement settings.
    LeaderboardsOff,
    /// The invitee was already recorded as invited (`params.invitee_name`, `params.inviter_name`).
    AlreadyInvited,
    /// A time that has not come yet where only the past makes sense (an activity, a deduction,
    /// an invite) (`params.value`).
    FutureDate,
    /// A snapshot fails its integrity check and is not used (`params.id`).
    SnapshotDamaged,
    /// The database file is damaged: it was moved aside (`params.path`, `params.moved_to`);
    /// `params.snapshot` names the newest verified snapshot, when there is one.
    DatabaseCorrupt,
    /// The database file is missing but snapshots of it exist (`params.path`,
    /// `params.snapshot`): the app asks before starting empty.
    DatabaseMissing,
    /// The database opened read-only (the file or its folder cannot be written): nothing can be
    /// changed (`params.path`).
    ReadOnlyDatabase,
    /// Another program holds the database and did not let go in time.
    DatabaseBusy,
    /// The disk is full: the change was not written and the database is as it was.
    DiskFull,
    /// Anything SQLite reports that the cases above do not cover.
    Database,
    Io,
}

#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    /// English description, for logs and the CLI.
    pub message: String,
    /// The input field at fault, when there is one (`display_name`, `phone`, `email`, ...).
    pub field: Option<String>,
    /// Values the translated message needs (`max`, `value`, `path`, `member_name`, ...).
    pub params: BTreeMap<String, String>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            field: None,
            params: BTreeMap::new(),
        }
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn with_param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    pub fn required(field: &str) -> Self {
        Error::new(
            ErrorCode::Required,
            format!("{} is required", field_label(field, false)),
        )
        .with_field(field)
    }

    pub fn too_long(field: &str, max: usize) -> Self {
        Error::new(
            ErrorCode::TooLong,
            format!(
                "{} is longer than {max} characters",
                field_label(field, false)
            ),
        )
        .with_field(field)
        .with_param("max", max)
    }

    pub fn not_found(what: &str, id: i64) -> Self {
        Error::new(ErrorCode::NotFound, format!("{what} {id} does not exist")).with_param("id", id)
    }

    pub fn data_dir(path: &Path, why: impl std::fmt::Display) -> Self {
        Error::new(
            ErrorCode::DataDirUnavailable,
            format!("The data folder {} cannot be used: {why}", path.display()),
        )
        .with_param("path", path.display())
        .with_param("reason", why)
    }

    pub fn not_hearth(path: &Path) -> Self {
        Error::new(
            ErrorCode::NotHearthDatabase,
            format!(
                "{} is not a Hearth database; it was left untouched",
                path.display()
            ),
        )
        .with_param("path", path.display())
    }

    pub fn read_only(path: &Path) -> Self {
        Error::new(
            ErrorCode::ReadOnlyDatabase,
            format!(
                "{} is open read-only: nothing can be changed",
                path.display()
            ),
        )
        .with_param("path", path.display())
    }

    /// The message in the given UI language (`zh-CN` or anything else for English). The desktop UI
    /// has its own catalogue; this one serves the CLI.
    pub fn localized(&self, locale: &str) -> String {
        if !locale.to_ascii_lowercase().starts_with("zh") {
            return self.message.clone();
        }
        let field = self
            .field
            .as_deref()
            .map(|f| field_label(f, true))
            .unwrap_or_default();
        let p = |k: &str| self.params.get(k).cloned().unwrap_or_default();
        match self.code {
            ErrorCode::Required => format!("{field}不能为空"),
            ErrorCode::TooLong => format!("{field}不能超过 {} 个字符", p("max")),
            ErrorCode::InvalidPhone => format!("手机号「{}」无法识别", p("value")),
            ErrorCode::InvalidEmail => format!("邮箱「{}」格式不正确", p("value")),
            ErrorCode::InvalidWechat => {
                format!(
                    "微信号「{}」格式不正确（6–20 位字母、数字、_ 或 -）",
                    p("value")
                )
            }
            ErrorCode::InvalidQq => format!("QQ 号「{}」应为 5–11 位数字", p("value")),
            ErrorCode::InvalidIdentity => format!("{field}「{}」格式不正确", p("value")),
            ErrorCode::MergeInvalid => format!("无法合并：{}", self.message),
            ErrorCode::MergeOutdated => format!(
                "成员「{}」在合并后又有修改，撤销合并会丢失这些修改，已拒绝",
                p("member_name")
            ),
            ErrorCode::InvalidDate => format!("{field}「{}」不是有效日期", p("value")),
            ErrorCode::FutureDate => format!("{field}「{}」还没到：只能记录已经发生的事", p("value")),
            ErrorCode::InvalidInput => format!("{field}取值无效：{}", self.message),
            ErrorCode::IdentityTaken => format!(
                "{field}「{}」已属于成员「{}」（#{}）",
                p("value"),
                p("member_name"),
                p("member_id")
            ),
            ErrorCode::NotFound => format!("找不到编号为 {} 的记录", p("id")),
            ErrorCode::DataDirUnavailable => {
                format!("无法使用数据文件夹 {}：{}", p("path"), p("reason"))
            }
            ErrorCode::NotHearthDatabase => {
                format!("{} 不是 Hearth 数据库，未做任何改动", p("path"))
            }
            ErrorCode::NewerSchema => {
                format!(
                    "数据库由更新版本的 Hearth 创建（版本 {}），请升级后再打开",
                    p("version")
                )
            }
            ErrorCode::MigrationEdited => {
                format!("已应用的数据库迁移 {} 被修改过，已拒绝打开", p("version"))
            }
            ErrorCode::FileUnreadable => format!("无法读取文件 {}：{}", p("path"), p("reason")),
            ErrorCode::CellTooLarge => format!(
                "这个单元格有 {} KB，超过上限 {} KB，已略去（这一行的其他值照常导入）",
                p("size_kb"),
                p("max_kb")
            ),
            ErrorCode::FileTooLarge => format!(
                "文件 {} 有 {} MB，超过可导入的上限 {} MB；请拆分成几个较小的文件再导入",
                p("path"),
                p("size_mb"),
                p("max_mb")
            ),
            ErrorCode::UnsupportedFormat => {
                format!(
                    "{} 不是可导入的格式（支持 CSV、TSV、TXT、XLSX、XLS、ODS、VCF）",
                    p("path")
                )
            }
            ErrorCode::NoUsableColumns => {
                format!("{} 中没有可对应到姓名或联系方式的列", p("path"))
            }
            ErrorCode::RaggedRow => format!(
                "这一行有 {} 个单元格，而表头只有 {} 列，列可能错位，已拒绝",
                p("cells"),
                p("columns")
            ),
            ErrorCode::DamagedNumber => format!(
                "{field}「{}」已被 Excel 转成科学计数法，数字已丢失，请在原始文件中修正",
                p("value")
            ),
            ErrorCode::RowMatchesTwoMembers => format!(
                "这一行的联系方式分属成员「{}」（#{}）和「{}」（#{}），已去掉这些联系方式作为新成员导入，可能与其中一人是同一人",
                p("member_name"),
                p("member_id"),
                p("other_name"),
                p("other_id")
            ),
            ErrorCode::InvalidCustomNumber => format!("{field}「{}」不是数字", p("value")),
            ErrorCode::InvalidCustomDate => {
                format!("{field}「{}」不是 YYYY-MM-DD 格式的日期", p("value"))
            }
            ErrorCode::InvalidCustomChoice => {
                format!("{field}「{}」不在可选项中（{}）", p("value"), p("options"))
            }
            ErrorCode::NameTaken => format!("名称「{}」已被使用", p("value")),
            ErrorCode::AmbiguousName => format!(
                "有多位成员叫「{}」，这一行没有联系方式可以区分，已跳过",
                p("member_name")
            ),
            ErrorCode::SummaryRow => "这是汇总行，不是成员，已跳过".to_owned(),
            ErrorCode::NoNameOrContact => "这一行既没有姓名也没有联系方式，不是成员，未导入".to_owned(),
            ErrorCode::PossibleDuplicate => format!(
                "与成员「{}」（#{}）同名但没有相同的联系方式，已作为新成员导入，可能是同一人",
                p("member_name"),
                p("member_id")
            ),
            ErrorCode::FormatMismatch => format!(
                "文件扩展名是 .{}，内容却是 {}，已按内容读取",
                p("extension"),
                p("format")
            ),
            ErrorCode::ColumnGuessed => format!(
                "「{}」列按内容识别为{}",
                p("header"),
                field_label(&p("field"), true)
            ),
            ErrorCode::ColumnAmbiguous => format!(
                "「{}」列看起来是联系方式（{}），但无法确定类型，未导入，请手动选择",
                p("header"),
                p("looks_like")
            ),
            ErrorCode::Cancelled => "已取消，未写入任何内容".to_owned(),
            ErrorCode::ImportUndone => "这次导入已经撤销过了".to_owned(),
            ErrorCode::ImportOutdated => format!(
                "成员「{}」在导入后又有修改，撤销导入会丢失这些修改，已拒绝",
                p("member_name")
            ),
            ErrorCode::ExportFailed => format!("无法写入 {}：{}", p("path"), p("reason")),
            ErrorCode::NotRegistered => format!(
                "「{}」没有报名「{}」，可以作为现场报名签到",
                p("member_name"),
                p("event_title")
            ),
            ErrorCode::RegistrationCancelled => {
                format!("「{}」的报名已取消，可恢复报名后签到", p("member_name"))
            }
            ErrorCode::AlreadyCheckedIn => {
                format!("「{}」已于 {} 签到，不会重复签到", p("member_name"), p("time"))
            }
            ErrorCode::EventClosed => format!("活动状态为「{}」，不再接受报名", p("status")),
            ErrorCode::EventFull => format!("活动已满，「{}」在候补名单上", p("member_name")),
            ErrorCode::FontMissing => format!(
                "找不到可用于打印的中文字体（已查找：{}）。请安装 Noto Sans CJK 或设置 HEARTH_CJK_FONT",
                p("searched")
            ),
            ErrorCode::AppealPending => {
                format!("这条扣分已有申诉（{} 提交）在等待处理", p("filed_at"))
            }
            ErrorCode::NotAppealable => {
                "这条扣分已不再生效（已撤回、已过期或申诉已成立），无需申诉".to_owned()
            }
            ErrorCode::AppealDecided => "这条申诉已经处理过了".to_owned(),
            ErrorCode::InsufficientPoints => format!(
                "积分不足：当前余额 {} 分，兑换「{}」需要 {} 分",
                p("balance"),
                p("reward_name"),
                p("cost")
            ),
            ErrorCode::OutOfStock => format!("「{}」已兑完，没有库存了", p("reward_name")),
            ErrorCode::LeaderboardsOff => "积分榜已关闭（可在互动设置中重新开启）".to_owned(),
            ErrorCode::AlreadyInvited => format!(
                "「{}」已记录为由「{}」邀请，不能重复记录",
                p("invitee_name"),
                p("inviter_name")
            ),
            ErrorCode::SnapshotDamaged => format!("快照 {} 未通过完整性检查，未使用", p("id")),
            ErrorCode::DatabaseCorrupt => format!(
                "数据库文件已损坏，已移到 {}（未覆盖）{}",
                p("moved_to"),
                if p("snapshot").is_empty() {
                    String::new()
                } else {
                    format!("；可恢复最新的已验证快照 {}", p("snapshot"))
                }
            ),
            ErrorCode::DatabaseMissing => format!(
                "找不到数据库 {}，但有快照（最新的是 {}）：请选择恢复快照或从空数据库开始",
                p("path"),
                p("snapshot")
            ),
            ErrorCode::ReadOnlyDatabase => {
                format!("数据库 {} 是只读的，只能查看，不能修改", p("path"))
            }
            ErrorCode::DatabaseBusy => "数据库正被另一个程序使用，请稍后再试".to_owned(),
            ErrorCode::DiskFull => "磁盘已满：这次修改没有写入，数据保持原样".to_owned(),
            ErrorCode::Database => format!("数据库错误：{}", self.message),
            ErrorCode::Io => format!("文件读写错误：{}", self.message),
        }
    }
}

/// Human names of input fields, for messages.
fn field_label(field: &str, zh: bool) -> String {
    let (en, cn) = match field {
        "display_name" => ("Name", "姓名"),
        "phone" => ("Phone", "手机号"),
        "email" => ("Email", "邮箱"),
        "wechat" => ("WeChat ID", "微信号"),
        "qq" => ("QQ number", "QQ 号"),
        "tags" => ("Tag", "标签"),
        "notes" => ("Notes", "备注"),
        "joined_at" => ("Joined date", "入群时间"),
        "birthday" => ("Birthday", "生日"),
        "city" => ("City", "城市"),
        "role" => ("Role", "角色"),
        "responsibilities" => ("Responsibilities", "职责"),
        "source" => ("Source", "来源"),
        "wechat_remark" => ("WeChat remark name", "微信备注名"),
        "group_nick" => ("Group nickname", "群昵称"),
        "qq_card" => ("QQ group card", "QQ 群名片"),
        "forum" => ("Forum handle", "论坛账号"),
        "platform" => ("Platform id", "平台 ID"),
        "name" => ("Name", "名称"),
        "label" => ("Field name", "字段名称"),
        "options" => ("Options", "可选项"),
        "expires_on" => ("Tag end date", "标签有效期"),
        "group" => ("Tag group", "标签分组"),
        "color" => ("Colour", "颜色"),
        "encoding" => ("Encoding", "编码"),
        "header_line" => ("Header row", "表头行"),
        "sheet" => ("Sheet", "工作表"),
        "mapping" => ("Column mapping", "列对应"),
        "joined_from" => ("Joined from", "入群起始日"),
        "joined_to" => ("Joined until", "入群截止日"),
        "evidence" => ("Evidence", "证据"),
        "rule_key" => ("Deduction rule", "扣分规则"),
        "points" => ("Points", "分值"),
        "start_score" => ("Starting score", "初始信用分"),
        "threshold" => ("Tier threshold", "档位分数线"),
        "expiry_days" => ("Days until the points return", "恢复天数"),
        "channel_id" => ("Channel", "群/渠道"),
        "reason" => ("Reason", "原因"),
        "level_threshold" => ("Level threshold", "等级积分线"),
        "levels" => ("Levels", "等级"),
        "name_zh" => ("Chinese name", "中文名称"),
        "name_en" => ("English name", "英文名称"),
        "description_zh" => ("Chinese description", "中文说明"),
        "description_en" => ("English description", "英文说明"),
        "icon" => ("Icon", "图标"),
        "criteria" => ("Rule", "获得条件"),
        "badge_key" => ("Badge", "徽章"),
        "cost" => ("Cost in points", "所需积分"),
        "stock" => ("Stock", "库存"),
        "reward_id" => ("Reward", "奖品"),
        "invitee_id" => ("Invitee", "被邀请人"),
        "invite_clawback_days" => ("Invite claw-back days", "邀请积分收回天数"),
        other => (other, other),
    };
    if zh { cn } else { en }.to_owned()
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let code = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => ErrorCode::ReadOnlyDatabase,
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                ErrorCode::DatabaseBusy
            }
            Some(rusqlite::ErrorCode::DiskFull) => ErrorCode::DiskFull,
            _ => ErrorCode::Database,
        };
        let message = match code {
            ErrorCode::ReadOnlyDatabase => format!("The database is read-only: {e}"),
            ErrorCode::DatabaseBusy => {
                format!("Another program is using the database; try again later ({e})")
            }
            ErrorCode::DiskFull => {
                format!("The disk is full: the change was not written ({e})")
            }
            _ => e.to_string(),
        };
        Error::new(code, message)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorCode::Io, e.to_string())
    }
}
