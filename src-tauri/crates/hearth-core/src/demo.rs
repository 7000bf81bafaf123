//! The demo community: a deterministic, believable mix of Chinese and English members for a
//! newcomer to explore and for benchmarks. Same seed and same starting database, same community.
//!
//! Everything personal is fictional by construction: phones in the +86 1700 block and the
//! North American 555-01xx range, emails at example.com/.org/.net (RFC 2606).

mod campaigns;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::{Gender, Identity, IdentityKind, MemberFilter};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::members::{self as table, MemberRecord};
use crate::text::name_keys;

/// Largest demo the app or CLI will generate in one call.
pub const MAX_DEMO_MEMBERS: u32 = 1_000_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoadDemo {
    pub members: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DemoOutcome {
    pub created: u32,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "晨", "宇", "浩", "欣", "怡", "子涵", "梓萱", "思远",
    "雨桐", "一鸣", "嘉怡", "俊杰", "晓东", "文博", "佳琪", "诗涵", "家豪", "海燕", "志强", "婷",
    "鹏", "琳", "颖", "博文", "雪", "慧", "建华", "子轩",
];
const FIRST: &[&str] = &[
    "Amy", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Henry", "Iris", "Jack", "Kate",
    "Leo", "Mia", "Noah", "Olivia", "Peter", "Quinn", "Ruby", "Sam", "Tom", "Uma", "Victor",
    "Wendy", "Xavier", "Yuki", "Zoe", "Kevin", "Linda", "Alex", "Sophie",
];
const LAST: &[&str] = &[
    "Smith", "Chen", "Wong", "Lee", "Garcia", "Müller", "Tanaka", "Brown", "Nguyen", "Martin",
    "Kim", "Lopez", "Wilson", "Taylor", "Dubois", "Rossi", "Singh", "Cohen", "Novak", "Silva",
];
const TAGS: &[&str] = &[
    "开发者",
    "设计师",
    "产品经理",
    "学生",
    "志愿者",
    "讲者",
    "北京",
    "上海",
    "深圳",
    "杭州",
    "成都",
    "线下活动",
    "核心成员",
    "VIP",
    "newcomer",
    "Rust",
    "前端",
    "AI",
    "创业者",
    "媒体",
];
const NOTES: &[&str] = &[
    "上次线下活动帮忙签到，很靠谱。",
    "想做一次分享，主题待定。",
    "Prefers English; joined from the Meetup page.",
    "对合作赞助感兴趣，下月跟进。",
    "Asked about volunteering at the next meetup.",
];
const CITIES: &[&str] = &[
    "北京",
    "上海",
    "深圳",
    "杭州",
    "成都",
    "广州",
    "南京",
    "武汉",
    "西安",
    "Singapore",
];
const ROLES: &[&str] = &["群管理员", "志愿者", "讲者", "合作方联系人"];
const SOURCES: &[&str] = &[
    "微信群·产品交流",
    "微信群·城市分会",
    "QQ群",
    "公众号",
    "Meetup",
    "线下活动",
];
const US_AREA_CODES: &[u32] = &[415, 212, 617, 206, 312, 512, 646, 303];

/// SplitMix64: tiny, fast, good enough for believable data, and stable across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Adds `input.members` demo members in one transaction. Numbering continues from the members
/// already in the database, so loading twice never collides on phones or emails.
pub fn load(ctx: &Ctx, input: LoadDemo) -> Result<DemoOutcome> {
    if input.members == 0 || input.members > MAX_DEMO_MEMBERS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("the demo community has 1 to {MAX_DEMO_MEMBERS} members"),
        )
        .with_field("members")
        .with_param("max", MAX_DEMO_MEMBERS));
    }
    let now = ctx.clock.now();
    let now_stamp = stamp(now);
    let offset = ctx.clock.utc_offset();
    ctx.store
        .write(|w| {
            let start = table::count_all(&w.read())?;
            let mut rng = Rng(input.seed ^ u64::from(start).wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mut previous: Option<MemberRecord> = None;
            // When the members who get activity joined (activity never predates joining).
            let mut joined: Vec<Option<chrono::DateTime<chrono::Utc>>> = Vec::new();
            for i in 0..input.members {
                let n = start + i;
                // About 1 in 60 people joined twice (a new phone, another email domain): the
                // duplicate finder has something real to find.
                let (record, is_second) = match previous.take() {
                    Some(earlier) if rng.chance(2) => (second_registration(&earlier, n), true),
                    _ => (demo_member(&mut rng, n, now), false),
                };
                table::insert(w, &record, &now_stamp)?;
                if i < ACTIVE_DEMO_MEMBERS {
                    joined.push(
                        record
                            .joined_at
                            .as_deref()
                            .and_then(|j| chrono::DateTime::parse_from_rfc3339(j).ok())
                            .map(|j| j.with_timezone(&chrono::Utc)),
                    );
                }
                // A second registration is never itself registered again (no chains).
                previous = (!is_second).then_some(record);
            }
            if start == 0 {
                dress_up(w, now)?;
                demo_events(w, &mut rng, now, input.members)?;
                demo_activity(w, &mut rng, now, offset, &joined)?;
                crate::ops::content::demo::seed_in(w, input.seed, now, input.members)?;
            }
            Ok(start)
        })
        .and_then(|start| {
            if start == 0 {
                demo_rules(ctx, input.seed, input.members)?;
                campaigns::load(ctx, input.seed, input.members)?;
            }
            Ok(DemoOutcome {
                created: input.members,
            })
        })
}

fn demo_member(rng: &mut Rng, n: u32, now: chrono::DateTime<chrono::Utc>) -> MemberRecord {
    let chinese = rng.chance(72);
    let (display_name, handle) = if chinese {
        let surname = rng.pick(SURNAMES);
        let mut given = rng.pick(GIVEN).to_owned();
        // Some two-character given names are made from two single characters.
        if given.chars().count() == 1 && rng.chance(30) {
            let second = rng.pick(GIVEN);
            if second.chars().count() == 1 && second != given {
                given.push_str(second);
            }
        }
        let name = format!("{surname}{given}");
        let handle = name_keys(&name).pinyin.replace(' ', "");
        (name, handle)
    } else {
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let handle = format!("{}{}", first.to_lowercase(), last.to_lowercase()).replace('ü', "ue");
        (format!("{first} {last}"), handle)
    };

    let mut identities = Vec::new();
    if rng.chance(92) {
        let value = if chinese || rng.chance(40) {
            // Multiplying by a number coprime to 10^7 walks the whole block without repeats.
            let sub = (u64::from(n) * 7_919) % 10_000_000;
            format!("+861700{sub:07}")
        } else {
            let area = US_AREA_CODES[(n as usize / 100) % US_AREA_CODES.len()];
            let exchange = 200 + (n / 800) % 800;
            format!("+1{area}{exchange:03}01{:02}", n % 100)
        };
        identities.push(Identity {
            kind: IdentityKind::Phone,
            value,
        });
    }
    if rng.chance(60) {
        let domain = ["example.com", "example.org", "example.net"][rng.below(3)];
        identities.push(Identity {
            kind: IdentityKind::Email,
            value: format!("{handle}.{n}@{domain}"),
        });
    }
    if chinese && rng.chance(75) || !chinese && rng.chance(20) {
        let base: String = handle
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(10)
            .collect();
        identities.push(Identity {
            kind: IdentityKind::Wechat,
            value: format!("wx_{base}{n}"),
        });
    }
    if chinese && rng.chance(25) {
        identities.push(Identity {
            kind: IdentityKind::Qq,
            value: format!("{}", 10_000_000 + n),
        });
    }

    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.below(4) {
        let tag = rng.pick(TAGS).to_owned();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    // Joins lean towards the recent past, as a growing community's do: over two years.
    let span_days = 730.0;
    let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
    let days_ago = (span_days * (1.0 - u.sqrt())) as i64;
    let minutes = (rng.next() % (24 * 60)) as i64;
    let joined = now - Duration::days(days_ago) - Duration::minutes(minutes);
    let notes = if rng.chance(8) {
        rng.pick(NOTES).to_owned()
    } else {
        String::new()
    };
    let gender = match rng.below(10) {
        0..=3 => Some(Gender::Female),
        4..=7 => Some(Gender::Male),
        _ => None,
    };
    let birthday = match rng.below(10) {
        0..=3 => Some(format!(
            "{}-{:02}-{:02}",
            1975 + rng.below(30),
            1 + rng.below(12),
            1 + rng.below(28)
        )),
        4..=5 => Some(format!(
            "--{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        )),
        _ => None,
    };
    let role = if rng.chance(6) { rng.pick(ROLES) } else { "" };
    MemberRecord {
        keys: name_keys(&display_name),
        display_name,
        identities,
        tags,
        joined_at: Some(stamp(joined)),
        notes,
        gender,
        city: if rng.chance(80) {
            rng.pick(CITIES).to_owned()
        } else {
            String::new()
        },
        birthday,
        role: role.to_owned(),
        responsibilities: String::new(),
        source: rng.pick(SOURCES).to_owned(),
        identity_source: "demo".to_owned(),
        custom: Vec::new(),
    }
}

/// What a manager would have set up by now: tag colours and groups, and a few segments, so the
/// filter bar and the tag list have something true to show.
fn dress_up(w: &mut crate::store::Write<'_>, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    for (tag, color, group) in [
        ("VIP", "red", "身份"),
        ("核心成员", "purple", "身份"),
        ("讲者", "orange", "身份"),
        ("志愿者", "green", "身份"),
        ("线下活动", "teal", "活动"),
        ("北京", "blue", "城市"),
        ("上海", "blue", "城市"),
        ("深圳", "blue", "城市"),
        ("杭州", "blue", "城市"),
        ("成都", "blue", "城市"),
    ] {
        crate::store::tags::style(w, tag, color, group)?;
    }
    let stamp_now = stamp(now);
    let recent = (now - chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    let segments = [
        (
            "北京 VIP",
            MemberFilter {
                tags_all: vec!["VIP".into()],
                cities: vec!["北京".into()],
                ..Default::default()
            },
        ),
        (
            "讲者和志愿者",
            MemberFilter {
                roles: vec!["讲者".into(), "志愿者".into()],
                ..Default::default()
            },
        ),
        (
            "近 90 天新成员",
            MemberFilter {
                joined_from: Some(recent),
                ..Default::default()
            },
        ),
    ];
    let existing: Vec<String> = crate::store::segments::list(&w.read())?
        .into_iter()
        .map(|s| s.name)
        .collect();
    for (name, filter) in segments {
        if !existing.iter().any(|e| e == name) {
            crate::store::segments::save(w, None, name, &filter, &stamp_now)?;
        }
    }
    Ok(())
}

/// The same person signing up again: same name and city, a new phone, the same email user at
/// another domain, no WeChat.
fn second_registration(earlier: &MemberRecord, n: u32) -> MemberRecord {
    let sub = (u64::from(n) * 7_919) % 10_000_000;
    let mut identities = vec![Identity {
        kind: IdentityKind::Phone,
        value: format!("+861700{sub:07}"),
    }];
    if let Some(email) = earlier
        .identities
        .iter()
        .find(|i| i.kind == IdentityKind::Email)
    {
        let user = email.value.split('@').next().unwrap_or_default();
        let domain = if email.value.ends_with("example.com") {
            "example.net"
        } else {
            "example.com"
        };
        identities.push(Identity {
            kind: IdentityKind::Email,
            value: format!("{user}@{domain}"),
        });
    }
    MemberRecord {
        identities,
        tags: Vec::new(),
        notes: String::new(),
        role: String::new(),
        ..earlier.clone()
    }
}

/// Past events (with check-ins, no-shows, walk-ins and feedback) and upcoming ones with open
/// registration, so the door view and the print dialog have something real on day one.
fn demo_events(
    w: &mut crate::store::Write<'_>,
    rng: &mut Rng,
    now: chrono::DateTime<chrono::Utc>,
    members: u32,
) -> Result<()> {
    use crate::domain::{EventMode, EventStatus, RegistrationStatus as S};
    use crate::store::events::{self as ev, EventRecord, NewFeedback, NewRegistration};
    use chrono::{Datelike, Offset, TimeZone};

    let zone = chrono_tz::Asia::Shanghai;
    let today = now.with_timezone(&zone).date_naive();
    let saturday = today
        + Duration::days(i64::from((12 - today.weekday().num_days_from_monday()) % 7))
        + if today.weekday() == chrono::Weekday::Sat {
            Duration::days(7)
        } else {
            Duration::zero()
        };
    let at = |day: chrono::NaiveDate, hour: u32| {
        zone.from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("valid hour"))
            .earliest()
            .expect("Shanghai has no DST gaps")
            .with_timezone(&chrono::Utc)
    };
    struct Plan {
        title: &'static str,
        day: chrono::NaiveDate,
        hours: (u32, u32),
        venue: &'static str,
        link: &'static str,
        capacity: Option<u32>,
        status: EventStatus,
        registrations: u32,
        /// Percent of those registered who came (past events only).
        came: u64,
        walk_ins: u32,
        feedback: u32,
    }
    let plans = [
        Plan {
            title: "10月读书会：《置身事内》",
            day: today - Duration::days(37),
            hours: (14, 17),
            venue: "静安区图书馆 3 楼报告厅",
            link: "",
            capacity: Some(40),
            status: EventStatus::Finished,
            registrations: 44,
            came: 80,
            walk_ins: 3,
            feedback: 18,
        },
        Plan {
            title: "Rust 用户组线下分享 · 深圳",
            day: today - Duration::days(16),
            hours: (19, 21),
            venue: "南山区科技园 创业广场 B 座 2F",
            link: "",
            capacity: Some(60),
            status: EventStatus::Finished,
            registrations: 55,
            came: 78,
            walk_ins: 4,
            feedback: 21,
        },
        Plan {
            title: "线上 AMA：社群运营的第一年",
            day: today - Duration::days(9),
            hours: (20, 21),
            venue: "",
            link: "https://meeting.example.com/j/2026-ama",
            capacity: None,
            status: EventStatus::Finished,
            registrations: 120,
            came: 65,
            walk_ins: 0,
            feedback: 30,
        },
        Plan {
            title: "周六读书会：《额尔古纳河右岸》",
            day: saturday,
            hours: (14, 17),
            venue: "静安区图书馆 3 楼报告厅",
            link: "",
            capacity: Some(30),
            status: EventStatus::Open,
            registrations: 26,
            came: 0,
            walk_ins: 0,
            feedback: 0,
        },
        Plan {
            title: "年终社群聚会 2026",
            day: saturday + Duration::days(21),
            hours: (18, 22),
            venue: "徐汇滨江 西岸艺术中心 A 厅",
            link: "",
            capacity: Some(80),
            status: EventStatus::Open,
            registrations: 86,
            came: 0,
            walk_ins: 0,
            feedback: 0,
        },
        Plan {
            title: "新年 Hackathon（筹备中）",
            day: saturday + Duration::days(42),
            hours: (9, 18),
            venue: "待定",
            link: "",
            capacity: Some(100),
            status: EventStatus::Draft,
            registrations: 0,
            came: 0,
            walk_ins: 0,
            feedback: 0,
        },
    ];
    let comments = [
        "嘉宾分享很实在，下次还来",
        "场地有点挤，空调太冷",
        "希望多留一些自由交流时间",
        "Great talk, would love slides afterwards",
        "签到很快，流程顺畅",
        "",
        "",
        "内容偏入门，期待进阶场",
    ];
    let mut taken: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for plan in plans {
        let starts = at(plan.day, plan.hours.0);
        let ends = at(plan.day, plan.hours.1);
        let past = ends < now;
        let opened = stamp(starts - Duration::days(14));
        let event_id = ev::insert_event(
            w,
            &EventRecord {
                title: plan.title.to_owned(),
                mode: if plan.link.is_empty() {
                    EventMode::Offline
                } else {
                    EventMode::Online
                },
                starts_at: stamp(starts),
                ends_at: stamp(ends),
                time_zone: "Asia/Shanghai".to_owned(),
                venue: plan.venue.to_owned(),
                link: plan.link.to_owned(),
                capacity: plan.capacity,
                notes: String::new(),
                campaign: String::new(),
                status: plan.status,
            },
            &opened,
        )?;
        taken.clear();
        let wanted = plan.registrations.min(members / 2);
        let mut seats = 0;
        for i in 0..wanted + plan.walk_ins.min(members / 4) {
            let member_id = loop {
                let id = 1 + rng.below(members as usize) as i64;
                if taken.insert(id) {
                    break id;
                }
            };
            let walk_in = i >= wanted;
            let registered_at = stamp(starts - Duration::hours(300 - i64::from(i) * 2));
            let status = if walk_in {
                S::WalkIn
            } else if plan.capacity.is_some_and(|c| seats >= c) {
                S::Waitlist
            } else if past && rng.chance(4) {
                S::Cancelled
            } else if past {
                if rng.chance(plan.came) {
                    S::Attended
                } else {
                    S::NoShow
                }
            } else {
                S::Registered
            };
            if status.holds_seat() || status == S::NoShow {
                seats += 1;
            }
            let checked_in = status
                .came()
                .then(|| stamp(starts + Duration::minutes(rng.below(50) as i64 - 15)));
            let id = ev::insert_registration(
                w,
                &NewRegistration {
                    event_id,
                    member_id,
                    status,
                    companions: 0,
                    note: "",
                    source: if walk_in { "door" } else { "jielong" },
                    checked_in_at: checked_in.as_deref(),
                },
                &registered_at,
            )?;
            if status == S::Attended {
                if let Some(at) = &checked_in {
                    ev::set_registration_status(w, id, status, Some((at, S::Registered)), at)?;
                }
            }
            if let Some(at) = checked_in.as_deref().and_then(|s| s.parse().ok()) {
                crate::ops::engagement::sync_attendance(
                    w,
                    event_id,
                    member_id,
                    Some(at),
                    zone.offset_from_utc_datetime(&at.naive_utc()).fix(),
                    &stamp(at),
                )?;
            }
            if past && status.came() && i < plan.feedback + plan.walk_ins {
                let nps = [10u8, 9, 9, 8, 10, 7, 6, 9, 10, 5][rng.below(10)];
                let score = [5u8, 5, 4, 4, 5, 3, 4][rng.below(7)];
                ev::insert_feedback(
                    w,
                    &NewFeedback {
                        event_id,
                        member_id: Some(member_id),
                        score: Some(score),
                        nps: Some(nps),
                        comment: comments[rng.below(comments.len())],
                        source: "问卷星.xlsx",
                    },
                    &stamp(ends + Duration::hours(20)),
                )?;
            }
        }
        if plan.status == EventStatus::Open && plan.capacity.is_some_and(|c| seats >= c) {
            ev::set_event_status(w, event_id, EventStatus::Full, &stamp(now))?;
        }
    }
    Ok(())
}

/// How many of the first members get a year of activity (the rest of a big demo stays quiet,
/// which keeps loading 100,000 members fast and is what big communities look like anyway).
const ACTIVE_DEMO_MEMBERS: u32 = 5000;

/// How a demo member takes part over the year.
#[derive(Clone, Copy, PartialEq)]
enum Habit {
    /// Most days of most weeks, all year: the core.
    Regular,
    /// Two or three days a week for months, up to now.
    Steady,
    /// Now and then: a day every week or two.
    Occasional,
    /// Steady until a week to four weeks ago, then quiet: the Today list's "slipping".
    Slipping,
    /// Steady for months, gone quiet two to four months ago: dormant.
    Faded,
    /// Only in the first half of the year: churned.
    Gone,
    /// Answers and shares a lot: opinion leaders.
    Voice,
    /// Once or twice in the year.
    Once,
    Silent,
}

/// A year of activity for the first 5,000 members: a core of regulars, a band of steady ones, a
/// long tail of occasional and one-off visitors, some who are slipping right now, some who faded
/// two to four months ago and some who left long ago, and a few opinion leaders who answer and
/// share a lot. Logged in one batch, then the stage history is replayed week by week over the
/// year and today's stages stored, so every screen (stages, history, Today's slipping list,
/// leaderboards, badges) has something true to show. Deterministic from the seed and the clock.
fn demo_activity(
    w: &mut crate::store::Write<'_>,
    rng: &mut Rng,
    now: chrono::DateTime<chrono::Utc>,
    offset: chrono::FixedOffset,
    joined: &[Option<chrono::DateTime<chrono::Utc>>],
) -> Result<()> {
    use crate::ops::engagement::{log_many_with, NewLog};
    use crate::ops::lifecycle::{self, Stage};
    let kinds = crate::store::engagement::kinds(&w.read())?;
    let mix = |weights: &[(&str, usize)]| -> Vec<String> {
        weights
            .iter()
            .filter(|(key, _)| kinds.iter().any(|k| k.key == *key))
            .flat_map(|(key, n)| std::iter::repeat_n((*key).to_owned(), *n))
            .collect()
    };
    let everyday = mix(&[
        ("spoke", 16),
        ("checkin", 10),
        ("answered", 1),
        ("shared", 1),
        ("invited", 1),
        ("volunteered", 1),
    ]);
    let voice = mix(&[
        ("answered", 6),
        ("shared", 4),
        ("spoke", 4),
        ("hosted_event", 1),
    ]);
    if everyday.is_empty() || voice.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<NewLog> = Vec::new();
    for (i, joined) in joined.iter().enumerate() {
        let member_id = i as i64 + 1;
        let habit = match rng.below(1000) {
            0..=24 => Habit::Regular,
            25..=84 => Habit::Steady,
            85..=184 => Habit::Occasional,
            185..=224 => Habit::Slipping,
            225..=284 => Habit::Faded,
            285..=334 => Habit::Gone,
            335..=344 => Habit::Voice,
            345..=524 => Habit::Once,
            _ => Habit::Silent,
        };
        // Days ago: (first, last) of the active stretch and the chance (in %) of a day in it.
        let (first, last, percent) = match habit {
            Habit::Regular => (364, 0, 45 + rng.below(30)),
            Habit::Steady => (90 + rng.below(270), 0, 12 + rng.below(14)),
            Habit::Occasional => (120 + rng.below(240), 0, 4 + rng.below(6)),
            Habit::Slipping => (60 + rng.below(200), 8 + rng.below(20), 15 + rng.below(25)),
            Habit::Faded => (150 + rng.below(200), 60 + rng.below(60), 15 + rng.below(20)),
            Habit::Gone => (
                250 + rng.below(114),
                180 + rng.below(60),
                10 + rng.below(20),
            ),
            Habit::Voice => (200 + rng.below(160), 0, 30 + rng.below(20)),
            Habit::Once => {
                let d = rng.below(365);
                (d, d, 100)
            }
            Habit::Silent => continue,
        };
        // Never before joining.
        let first = match joined {
            Some(j) => first.min(((now - *j).num_days().max(0)) as usize),
            None => first,
        };
        if first < last {
            continue;
        }
        let kinds = if habit == Habit::Voice {
            &voice
        } else {
            &everyday
        };
        for days_ago in (last..=first).rev() {
            if rng.below(100) >= percent {
                continue;
            }
            for _ in 0..1 + rng.below(if habit == Habit::Once { 1 } else { 2 }) {
                // Local daytime, 08:00–22:59 (never after now on today).
                let day_start = (now.with_timezone(&offset).date_naive()
                    - Duration::days(days_ago as i64))
                .and_hms_opt(8, 0, 0)
                .expect("08:00")
                .and_local_timezone(offset)
                .single()
                .expect("fixed offset")
                .with_timezone(&chrono::Utc);
                let at = (day_start + Duration::minutes(rng.below(15 * 60) as i64)).min(now);
                rows.push(NewLog {
                    member_id,
                    kind: kinds[rng.below(kinds.len())].clone(),
                    occurred_at: at,
                    note: String::new(),
                    source: "demo".into(),
                    reference: String::new(),
                });
            }
        }
    }
    // Activities in the order they happened, as a year of quick logs would have them.
    rows.sort_by_key(|r| (r.occurred_at, r.member_id));
    log_many_with(w, &rows, now, offset, false)?;

    // The past year replayed week by week, then today's stages.
    let today = now.with_timezone(&offset).date_naive();
    let now_stamp = stamp(now);
    crate::store::lifecycle::clear(w)?;
    lifecycle::backfill_in(
        w,
        today - Duration::days(364),
        today - Duration::days(1),
        7,
        &now_stamp,
    )?;
    lifecycle::recompute_in(w, today, &now_stamp)?;

    // What a manager would have said by now: a quiet organiser counted as core, someone away
    // abroad kept active, an opinion leader who rarely logs activity.
    let by_stage = |w: &crate::store::Write<'_>, stage: Stage| -> Result<Option<i64>> {
        Ok(crate::store::lifecycle::all_rows(&w.read())?
            .into_iter()
            .find(|r| r.stage == stage && r.override_stage.is_none() && r.last_active.is_some())
            .map(|r| r.member_id))
    };
    if let Some(id) = by_stage(w, Stage::Loyal)? {
        lifecycle::override_in(
            w,
            id,
            Some(Stage::Core),
            "线下读书会的组织者，群里发言不多",
            today,
            &now_stamp,
        )?;
    }
    if let Some(id) = by_stage(w, Stage::Dormant)? {
        lifecycle::override_in(
            w,
            id,
            Some(Stage::Active),
            "在国外交换一年，线上分享照常参加",
            today,
            &now_stamp,
        )?;
    }
    if let Some(id) = by_stage(w, Stage::Active)? {
        lifecycle::leader_in(
            w,
            id,
            Some(true),
            "公众号专栏作者，文章常被群友转发",
            today,
            &now_stamp,
        )?;
    }
    Ok(())
}

/// The community's rules in use, so every screen of the engine has something true to show: two
/// groups with their 群规, deductions with evidence (a few this week, one member far enough down
/// to be removed), appeals waiting and decided, rewards and redemptions, badges given by hand,
/// and the manager's own follow-ups. Runs after the members exist, through the same operations
/// the app uses (each checks what it is given), on the first demo load only.
fn demo_rules(ctx: &Ctx, seed: u64, members: u32) -> Result<()> {
    use crate::domain::Platform;
    use crate::ops::credit::{self, DecideAppeal, Decision, Deduct, FileAppeal, SaveChannel};
    use crate::ops::rewards::{self, AwardBadge, Redeem, RewardDraft};
    use crate::ops::today::{self, AddFollowUp};

    let mut rng = Rng(seed ^ 0x5eed_0fc0_ffee);
    let pool = members.clamp(1, ACTIVE_DEMO_MEMBERS.max(1)) as usize;
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let ago = |days: i64, hour: i64| stamp(now - Duration::days(days) - Duration::hours(hour));

    let reading = credit::save_channel(
        ctx,
        SaveChannel {
            id: None,
            name: "读书会1群".into(),
            platform: Platform::Wechat,
            rules: "1. 友善交流，不人身攻击。\n2. 不发广告、二维码、拉票和砍价链接。\n\
                    3. 非活动时间不刷屏（连续超过 5 条）。\n4. 分享内容请注明出处。\n\
                    5. 报名活动后不能来请提前在群里说。"
                .into(),
        },
    )?;
    let tech = credit::save_channel(
        ctx,
        SaveChannel {
            id: None,
            name: "技术交流QQ群".into(),
            platform: Platform::Qq,
            rules: "一、只讨论技术话题。\n二、禁止广告与招聘刷屏（招聘信息每周五集中发）。\n\
                    三、提问前先搜索，贴代码用代码块。"
                .into(),
        },
    )?;

    // (rule, days ago, evidence, channel, points for `custom`)
    type Case<'a> = (&'a str, i64, &'a str, Option<i64>, Option<i64>);
    let evidence: &[Case] = &[
        (
            "spam",
            3,
            "在1群连发 3 条理财广告链接（截图 ad-1123.png）",
            Some(reading.id),
            None,
        ),
        (
            "rule_break",
            2,
            "晚上 11 点后连续刷屏 12 条表情（违反第3条）",
            Some(reading.id),
            None,
        ),
        (
            "spam",
            5,
            "发拼多多砍价链接两次，提醒后仍发",
            Some(reading.id),
            None,
        ),
        ("spam", 1, "QQ群发招聘广告（非周五）", Some(tech.id), None),
        (
            "rule_break",
            20,
            "与其他群友争吵并人身攻击（聊天记录已存）",
            Some(reading.id),
            None,
        ),
        ("custom", 40, "冒用主办方名义私下收费", None, Some(20)),
        ("spam", 100, "群内推销课程", Some(tech.id), None),
        (
            "rule_break",
            6,
            "转载文章未注明出处，多次提醒",
            Some(reading.id),
            None,
        ),
    ];
    let mut entries = Vec::new();
    for (i, (rule, days, text, channel, points)) in evidence.iter().enumerate() {
        let member_id = 1 + rng.below(pool) as i64;
        let out = credit::deduct(
            ctx,
            Deduct {
                member_id,
                rule_key: (*rule).into(),
                points: *points,
                evidence: (*text).into(),
                channel_id: *channel,
                occurred_at: Some(ago(*days, i as i64)),
            },
        )?;
        entries.push(out.entry.id);
    }
    // One member far down the ladder: ads again and again this month.
    let repeat = 1 + rng.below(pool) as i64;
    for (days, text) in [
        (25, "第一次：群里发微商广告"),
        (15, "第二次：私聊群友推销，被三人举报"),
        (4, "第三次：群内发二维码拉人"),
        (1, "第四次：换小号继续发广告"),
        (0, "第五次：发赌博网站链接"),
    ] {
        credit::deduct(
            ctx,
            Deduct {
                member_id: repeat,
                rule_key: "spam".into(),
                points: None,
                evidence: text.into(),
                channel_id: Some(reading.id),
                occurred_at: Some(ago(days, 1)),
            },
        )?;
    }
    // Appeals: two waiting, one overturned, one upheld.
    for (entry, reason) in [
        (entries[0], "那是我们公司的公益活动链接，不是广告"),
        (entries[3], "周五前一天发的，以为可以"),
    ] {
        credit::file_appeal(
            ctx,
            FileAppeal {
                entry_id: entry,
                reason: reason.into(),
            },
        )?;
    }
    for (entry, reason, decision, note) in [
        (
            entries[2],
            "是帮群友转发的活动报名",
            Decision::Overturned,
            "核实是读书会活动报名链接，撤销",
        ),
        (
            entries[4],
            "对方先骂人的",
            Decision::Upheld,
            "双方都有责任，维持",
        ),
    ] {
        let appeal = credit::file_appeal(
            ctx,
            FileAppeal {
                entry_id: entry,
                reason: reason.into(),
            },
        )?;
        credit::decide_appeal(
            ctx,
            DecideAppeal {
                appeal_id: appeal.id,
                decision,
                note: note.into(),
            },
        )?;
    }

    let catalogue = [
        ("社群定制帆布袋", "Community tote bag", 200, Some(30)),
        ("线下活动优先报名", "Priority event sign-up", 100, None),
        ("技术书籍一本", "A tech book", 500, Some(10)),
    ];
    let mut reward_ids = Vec::new();
    for (zh, en, cost, stock) in catalogue {
        let reward = rewards::save_reward(
            ctx,
            RewardDraft {
                id: None,
                name_zh: zh.into(),
                name_en: en.into(),
                cost,
                stock,
                active: true,
            },
        )?;
        reward_ids.push((reward.id, cost));
    }
    let best =
        crate::ops::engagement::leaderboard(ctx, crate::ops::engagement::Window::AllTime, 12)
            .unwrap_or_default();
    for (i, standing) in best.iter().enumerate().skip(2).step_by(2) {
        let (reward_id, cost) = reward_ids[i % reward_ids.len()];
        if standing.points >= cost {
            rewards::redeem(
                ctx,
                Redeem {
                    member_id: standing.member_id,
                    reward_id,
                    note: String::new(),
                },
            )?;
        }
    }
    for standing in best.iter().take(2) {
        rewards::award_badge(
            ctx,
            AwardBadge {
                member_id: standing.member_id,
                badge_key: "volunteer".into(),
                reason: "年会筹备主力志愿者".into(),
            },
        )?;
    }

    for (days, text) in [
        (-2, "寄读书会结业证书"),
        (0, "确认周六场地和投影"),
        (0, "回复合作方的赞助邮件"),
        (3, "请教她做下期分享嘉宾"),
    ] {
        let member_id = 1 + rng.below(pool) as i64;
        today::add_followup(
            ctx,
            AddFollowUp {
                member_id,
                due_on: (today + Duration::days(days)).to_string(),
                note: text.into(),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{normalize_email, normalize_phone, normalize_qq, normalize_wechat, Region};

    #[test]
    fn demo_identities_pass_the_same_rules_as_typed_ones() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let mut rng = Rng(7);
        for n in 0..5000 {
            let m = demo_member(&mut rng, n, now);
            for id in &m.identities {
                let normalized = match id.kind {
                    IdentityKind::Phone => normalize_phone(&id.value, Region::Cn),
                    IdentityKind::Email => normalize_email(&id.value),
                    IdentityKind::Wechat => normalize_wechat(&id.value),
                    IdentityKind::Qq => normalize_qq(&id.value),
                    _ => Some(id.value.clone()),
                };
                assert_eq!(normalized.as_deref(), Some(id.value.as_str()), "{id:?}");
            }
            let joined = m.joined_at.unwrap();
            assert!(joined.as_str() <= "2026-11-25T00:00:00Z" && joined.as_str() >= "2024-11-24");
        }
    }
}
