//! Task templates: a list of tasks dated relative to an event day ("venue 21 days before"),
//! turned into real tasks with calendar dates (plain day arithmetic: no clock time, so month
//! ends, leap days and zones with summer time never shift a date).

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{add_task_in, campaign_exists, parse_day, AddTask};
use crate::domain::{Task, TaskOwner};
use crate::error::Result;
use crate::ops::Ctx;
use crate::print::PrintLang;
use crate::store::campaigns as table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TaskTemplate {
    /// Venue −21 d, poster −14 d, 接龙 −10 d, reminder −1 d, recap +1 d.
    OfflineMeetup,
    /// Speaker −21 d, poster −10 d, live link −3 d, reminder −1 d, recap +1 d.
    OnlineTalk,
}

/// (days from the event, zh title, en title, checklist zh, checklist en).
type Step = (
    i64,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

impl TaskTemplate {
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "offline_meetup" => Some(TaskTemplate::OfflineMeetup),
            "online_talk" => Some(TaskTemplate::OnlineTalk),
            _ => None,
        }
    }

    pub fn steps(self) -> &'static [Step] {
        match self {
            TaskTemplate::OfflineMeetup => &[
                (
                    -21,
                    "确定场地",
                    "Book the venue",
                    &["联系场地方", "确认容量和设备"],
                    &["Contact the venue", "Confirm capacity and equipment"],
                ),
                (
                    -14,
                    "海报和推文",
                    "Poster and post",
                    &["设计海报", "写推文"],
                    &["Design the poster", "Write the post"],
                ),
                (
                    -10,
                    "群里发起接龙报名",
                    "Start the 接龙 sign-up",
                    &["发接龙", "导入报名"],
                    &["Post the 接龙", "Import the sign-ups"],
                ),
                (
                    -1,
                    "活动提醒",
                    "Reminder",
                    &["群里提醒", "打印签到表"],
                    &["Remind the group", "Print the sign-in sheet"],
                ),
                (
                    1,
                    "活动回顾",
                    "Recap",
                    &["发照片和回顾", "收集反馈"],
                    &["Share photos and a recap", "Collect feedback"],
                ),
            ],
            TaskTemplate::OnlineTalk => &[
                (
                    -21,
                    "邀请讲者",
                    "Invite the speaker",
                    &["确认主题和时间"],
                    &["Confirm topic and time"],
                ),
                (
                    -10,
                    "海报和推文",
                    "Poster and post",
                    &["设计海报", "写推文"],
                    &["Design the poster", "Write the post"],
                ),
                (
                    -3,
                    "准备直播链接",
                    "Set up the live link",
                    &["测试直播"],
                    &["Test the stream"],
                ),
                (
                    -1,
                    "活动提醒",
                    "Reminder",
                    &["群里提醒"],
                    &["Remind the group"],
                ),
                (
                    1,
                    "活动回顾",
                    "Recap",
                    &["发回放", "收集反馈"],
                    &["Share the recording", "Collect feedback"],
                ),
            ],
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplyTemplate {
    pub campaign_id: i64,
    pub template: TaskTemplate,
    /// The event day, `YYYY-MM-DD`.
    pub event_on: String,
    pub lang: PrintLang,
}

/// Creates the template's tasks, dated from the event day, owned by the manager; one
/// transaction. Returns them, earliest first.
pub fn apply_template(ctx: &Ctx, input: ApplyTemplate) -> Result<Vec<Task>> {
    let event = parse_day(&input.event_on, "event_on")?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        campaign_exists(&w.read(), input.campaign_id)?;
        let mut ids = Vec::new();
        for (offset, zh, en, check_zh, check_en) in input.template.steps() {
            let (title, checklist) = match input.lang {
                PrintLang::Zh => (*zh, *check_zh),
                PrintLang::En => (*en, *check_en),
            };
            let task = AddTask {
                campaign_id: input.campaign_id,
                title: title.to_owned(),
                owner: TaskOwner::Manager,
                due_on: (event + Duration::days(*offset)).to_string(),
                checklist: checklist.iter().map(|s| (*s).to_owned()).collect(),
            };
            ids.push(add_task_in(w, &task, &now)?);
        }
        let r = w.read();
        ids.into_iter()
            .filter_map(|id| table::get_task(&r, id).transpose())
            .collect()
    })
}
