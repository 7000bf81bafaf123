//! The demo community's content calendar: channels, recurring slots, three months of what went
//! out (with the odd skipped post), the planned weeks ahead, a few unscheduled ideas, one
//! overloaded day and one channel left quiet (so the gap warning has something to show).
//! Deterministic from the seed and the clock.

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::{default_colour, recurrence, zone};
use crate::clock::stamp;
use crate::domain::{ChannelKind, ContentChannel, ContentStatus, Recurrence};
use crate::error::Result;
use crate::store::content::{self as table, ItemRecord, SlotRecord};
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
            table::insert_item(
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
    Ok(())
}
