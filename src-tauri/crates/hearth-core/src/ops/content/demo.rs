//! The demo community's content calendar: channels, recurring slots, three months of what went
//! out (with the odd skipped post), the planned weeks ahead, a few unscheduled ideas, one
//! overloaded day and one channel left quiet (so the gap warning has something to show), and a
//! knowledge library of FAQ answers and evergreen posts.
//! Deterministic from the seed and the clock.

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::{default_colour, recurrence, zone};
use crate::clock::stamp;
use crate::domain::{ChannelKind, ContentChannel, ContentStatus, LibraryKind, Recurrence};
use crate::error::Result;
use crate::store::content::{self as table, ItemRecord, SlotRecord};
use crate::store::content_library::{self as library_table, EntryRecord};
use crate::store::Write;

const CHANNELS: &[(&str, ChannelKind, u32, u32, &str)] = &[
    (
        "读书会 1 群",
        ChannelKind::WechatGroup,
        482,
        2,
        "1. 不发广告\n2. 晚上 11 点后请勿刷屏\n3. 分享链接请附一句推荐语",
    ),
    (
        "读书会 2 群",
        ChannelKind::WechatGroup,
        315,
        2,
        "新人群：进群请改备注 城市-昵称",
    ),
    (
        "公众号「城市读书会」",
        ChannelKind::OfficialAccount,
        5260,
        1,
        "",
    ),
    ("微博 @城市读书会", ChannelKind::Weibo, 2140, 3, ""),
    ("Monthly newsletter", ChannelKind::Newsletter, 860, 1, ""),
    ("小红书", ChannelKind::Xiaohongshu, 1530, 2, ""),
    (
        "QQ 群 (老会员)",
        ChannelKind::QqGroup,
        208,
        2,
        "只聊书，不聊别的",
    ),
];

/// (channel index, title, recurrence, time)
fn slots() -> Vec<(usize, &'static str, Recurrence, &'static str)> {
    vec![
        (
            0,
            "周二知识分享",
            Recurrence::Weekly { weekdays: vec![1] },
            "20:00",
        ),
        (
            2,
            "公众号周五推文",
            Recurrence::Weekly { weekdays: vec![4] },
            "12:00",
        ),
        (
            3,
            "微博书单",
            Recurrence::Weekly {
                weekdays: vec![0, 3],
            },
            "18:30",
        ),
        (
            4,
            "月报 Newsletter",
            Recurrence::MonthlyWeekday { nth: 1, weekday: 0 },
            "09:00",
        ),
        (
            5,
            "小红书月度书单",
            Recurrence::MonthlyDay { day: 31 },
            "21:00",
        ),
        (
            1,
            "新人欢迎 & 群规提醒",
            Recurrence::MonthlyDay { day: 1 },
            "10:00",
        ),
    ]
}

const IDEAS: &[(&str, ContentStatus, &str)] = &[
    ("会员访谈：从不读书到一年 50 本", ContentStatus::Idea, ""),
    (
        "冬季书单投票",
        ContentStatus::Idea,
        "在群里发起投票，选出 1 月共读书目。",
    ),
    (
        "《三体》共读回顾长文",
        ContentStatus::Draft,
        "第一部分：为什么重读三体……",
    ),
    ("志愿者招募", ContentStatus::Idea, ""),
    (
        "年度读书报告（数据）",
        ContentStatus::Draft,
        "今年我们一起读了 24 本书，办了 18 场活动。",
    ),
];

/// Adds the content calendar to a fresh demo database, inside the demo's transaction.
pub(crate) fn seed_in(
    w: &mut Write<'_>,
    seed: u64,
    now: DateTime<Utc>,
    members: u32,
) -> Result<()> {
    let now_stamp = stamp(now);
    let zone = zone();
    let today = now.with_timezone(&zone).date_naive();
    let mut rng = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let mut ids = Vec::new();
    for (name, kind, audience, limit, rules) in CHANNELS {
        let channel = ContentChannel {
            id: 0,
            name: (*name).to_owned(),
            kind: *kind,
            colour: default_colour(*kind).to_owned(),
            audience: *audience,
            rules: (*rules).to_owned(),
            daily_limit: *limit,
        };
        ids.push(table::insert_channel(w, &channel, &now_stamp)?);
    }
    let from = today - Duration::days(90);
    let to = today + Duration::days(super::slots::PLAN_AHEAD_DAYS as i64 - 1);
    // Volunteers who write posts: among the demo's quieter members (the last ids), so the
    // members richest in other data stay the same with or without the calendar.
    let owners = members.min(40);
    let first_owner = i64::from(members - owners) + 1;
    let mut last_published: Vec<Option<i64>> = vec![None; ids.len()];
    for (channel, title, rule, time) in slots() {
        let record = SlotRecord {
            channel_id: ids[channel],
            title: title.to_owned(),
            rule: match rule {
                Recurrence::Weekly { .. } => "weekly",
                Recurrence::MonthlyWeekday { .. } => "monthly_weekday",
                Recurrence::MonthlyDay { .. } => "monthly_day",
            }
            .to_owned(),
            weekdays: match &rule {
                Recurrence::Weekly { weekdays } => weekdays.iter().fold(0, |m, d| m | (1 << d)),
                _ => 0,
            },
            nth: match rule {
                Recurrence::MonthlyWeekday { nth, .. } => nth,
                _ => 0,
            },
            weekday: match rule {
                Recurrence::MonthlyWeekday { weekday, .. } => weekday,
                _ => 0,
            },
            day: match rule {
                Recurrence::MonthlyDay { day } => day,
                _ => 0,
            },
            time: time.to_owned(),
            time_zone: zone.name().to_owned(),
            starts_on: from.to_string(),
            ends_on: None,
        };
        let slot = table::insert_slot(w, &record, &now_stamp)?;
        let t = NaiveTime::parse_from_str(time, "%H:%M").expect("demo times are valid");
        for day in recurrence::days(&rule, from, to) {
            table::claim_slot_day(w, slot, &day.to_string())?;
            let at = recurrence::instant(day, t, zone);
            let past = at < now;
            let roll = next(100);
            let (status, published_at) = match (past, roll) {
                (true, 0..=7) => (ContentStatus::Skipped, None),
                // Posted a little late, as people do.
                (true, _) => (
                    ContentStatus::Published,
                    Some(stamp(at + Duration::minutes(next(40) as i64))),
                ),
                (false, _) => (ContentStatus::Planned, None),
            };
            let link = if status == ContentStatus::Published && channel == 2 {
                format!(
                    "https://mp.weixin.qq.com/s/demo-{}-{}",
                    slot,
                    day.format("%Y%m%d")
                )
            } else {
                String::new()
            };
            let owner =
                (owners > 0 && roll % 3 == 0).then(|| first_owner + next(u64::from(owners)) as i64);
            let id = table::insert_item(
                w,
                &ItemRecord {
                    title: format!("{title} · {}", day.format("%m/%d")),
                    body: format!(
                        "{title}（{}）\n欢迎大家在群里接龙报名、转发给朋友。",
                        day.format("%-m月%-d日")
                    ),
                    status,
                    planned_at: Some(stamp(at)),
                    published_at,
                    link,
                    owner_member_id: owner,
                    event_id: None,
                    campaign_id: None,
                    slot_id: Some(slot),
                    tags: "[]".to_owned(),
                    notes: String::new(),
                },
                &[ids[channel]],
                &now_stamp,
            )?;
            if status == ContentStatus::Published {
                last_published[channel] = Some(id);
            }
        }
    }
    // One busy day two days ahead in group 1: more than its limit of two.
    let busy = today + Duration::days(2);
    for (i, title) in ["活动报名提醒", "共读打卡", "周末书市消息"]
        .iter()
        .enumerate()
    {
        let at = recurrence::instant(
            busy,
            NaiveTime::from_hms_opt(9 + 3 * i as u32, 0, 0).expect("valid"),
            zone,
        );
        super::insert_planned_in(w, title, at, &[ids[0]], None, None, &now_stamp)?;
    }
    for (title, status, body) in IDEAS {
        table::insert_item(
            w,
            &ItemRecord {
                title: (*title).to_owned(),
                body: (*body).to_owned(),
                status: *status,
                planned_at: None,
                published_at: None,
                link: String::new(),
                owner_member_id: (owners > 0).then(|| first_owner + next(u64::from(owners)) as i64),
                event_id: None,
                campaign_id: None,
                slot_id: None,
                tags: r#"["demo"]"#.to_owned(),
                notes: String::new(),
            },
            &[],
            &now_stamp,
        )?;
    }
    library_in(w, &ids, &last_published, &now_stamp)
}

/// (kind, title or question, text or answer, tags, channel index)
type DemoEntry = (
    LibraryKind,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<usize>,
);

const LIBRARY: &[DemoEntry] = &[
    (
        LibraryKind::Faq,
        "群里可以发广告或者拉票吗？",
        "不可以。群规第 1 条：不发广告、不拉票。与读书有关的活动（书店活动、讲座）可以先私信群主，确认后由管理员转发。",
        &["群规", "广告"],
        Some(0),
    ),
    (
        LibraryKind::Faq,
        "进群后要改备注吗？怎么改？",
        "要。新人请把群昵称改成「城市-昵称」，例如「上海-小林」：方便线下活动时认出彼此。手机上点群名 → 我在本群的昵称。",
        &["群规", "新人"],
        Some(1),
    ),
    (
        LibraryKind::Faq,
        "晚上几点以后不要在群里聊天？",
        "晚上 11 点以后请勿刷屏；想聊的话题可以留到第二天早上，或者私聊。",
        &["群规"],
        Some(0),
    ),
    (
        LibraryKind::Faq,
        "活动怎么报名？报名后不能来怎么办？",
        "在群里接龙，或者点公众号推文里的报名链接。报名后不能来，请在活动前一天在接龙里删掉自己的名字，把位置留给候补的朋友。",
        &["报名", "活动"],
        None,
    ),
    (
        LibraryKind::Faq,
        "活动要收费吗？",
        "线上共读免费；线下活动一般 AA 场地费（20–40 元），报名时会写清楚。",
        &["报名", "费用"],
        None,
    ),
    (
        LibraryKind::Faq,
        "积分怎么算？",
        "每天签到 1 分，参加线上共读 5 分，线下活动签到 10 分，邀请朋友入群并参加一次活动 20 分。每月 1 日在群里公布积分榜。",
        &["积分"],
        None,
    ),
    (
        LibraryKind::Faq,
        "积分可以换什么？会过期吗？",
        "积分可以换书签、帆布袋和年度读书会门票（见积分商城）。积分在获得后 12 个月过期，过期前一个月会提醒。",
        &["积分", "兑换"],
        None,
    ),
    (
        LibraryKind::Evergreen,
        "新人欢迎词",
        "欢迎新朋友！这里是城市读书会 📚\n1. 请先改备注：城市-昵称\n2. 每周二晚 8 点群里有知识分享\n3. 活动在公众号「城市读书会」报名\n有问题随时 @管理员。",
        &["新人", "群规"],
        Some(1),
    ),
    (
        LibraryKind::Evergreen,
        "如何高效读完一本书：三个小方法",
        "一、先读目录和结尾，知道作者要带你去哪；二、每读一章写一句话；三、找一个人讲给他听。",
        &["读书方法", "干货"],
        Some(2),
    ),
    (
        LibraryKind::Evergreen,
        "线下活动须知",
        "请提前 10 分钟到场签到；带上正在读的书；活动中手机静音；结束后欢迎留下来一起收拾场地。",
        &["活动", "报名"],
        None,
    ),
];

/// The demo's knowledge library: FAQ answers about the group rules, signing up and points,
/// evergreen posts, and the latest published pieces of two channels kept from their history.
fn library_in(
    w: &mut Write<'_>,
    channels: &[i64],
    last_published: &[Option<i64>],
    now: &str,
) -> Result<()> {
    for (kind, title, body, tags, channel) in LIBRARY {
        library_table::insert(
            w,
            &EntryRecord {
                kind: *kind,
                title: (*title).to_owned(),
                body: (*body).to_owned(),
                tags: serde_json::to_string(tags).expect("tags serialise"),
                source_item_id: None,
                channel_id: channel.map(|c| channels[c]),
            },
            now,
        )?;
    }
    // The 公众号's and the 微博's latest posts, kept after the fact.
    for channel in [2, 3] {
        let Some(item) = last_published[channel] else {
            continue;
        };
        let Some(row) = table::item(&w.read(), item)? else {
            continue;
        };
        library_table::insert(
            w,
            &EntryRecord {
                kind: LibraryKind::Evergreen,
                title: row.record.title,
                body: row.record.body,
                tags: r#"["精选"]"#.to_owned(),
                source_item_id: Some(item),
                channel_id: Some(channels[channel]),
            },
            now,
        )?;
    }
    Ok(())
}
