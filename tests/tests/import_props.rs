//! A property of the member import over generated messy tables: whatever the blanks, junk
//! cells, extra columns, column order and header language, every person with a name or a
//! contact comes out as exactly one member, and no contact is lost or attached to the wrong
//! person.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use hearth_core::domain::{IdentityKind, Member};
use hearth_core::ops::import::{self, ImportOptions};
use hearth_core::ops::members::{self, ListMembers};
use proptest::prelude::*;

/// One person of the generated table. Contacts are unique to the person (by index), as real
/// people's are; names come from a small pool, so namesakes are common.
#[derive(Debug, Clone)]
struct Person {
    name: Option<&'static str>,
    phone: Option<u8>,
    /// A second phone in the same cell.
    phone2: bool,
    email: Option<u8>,
    /// A second address in the same cell, Google-style (` ::: `) or with `;`.
    email2: Option<&'static str>,
    wechat: bool,
    /// A junk or placeholder value where a contact would be (`12345`, `N/A`, `x@y`...).
    junk_contact: Option<&'static str>,
    birthday: &'static str,
    notes: &'static str,
    visits: Option<u8>,
    /// Someone else's phone in an emergency-contact column: never this person's.
    emergency: bool,
}

const NAMES: &[&str] = &["张伟", "李娜", "Alex Brown", "王芳", "欧阳娜娜", "Zoë"];
const JUNK: &[&str] = &["12345", "N/A", "-", "无", "null", "1.38001E+10", "x@y", "?"];
const BIRTHDAYS: &[&str] = &["", "0/0/00", "1/1/1601", "1990-05-17", "32/13/1990", "soon"];
const NOTES: &[&str] = &["", "VIP", "来自读书会", "n/a", "=SUM(A1)", "第一行\n第二行"];

fn person() -> impl Strategy<Value = Person> {
    (
        (
            prop::option::weighted(0.8, prop::sample::select(NAMES)),
            prop::option::weighted(0.6, 0u8..3),
            prop::bool::weighted(0.15),
            prop::option::weighted(0.5, 0u8..3),
            prop::option::weighted(0.2, prop::sample::select(&[" ::: ", "; "][..])),
            prop::bool::weighted(0.3),
        ),
        (
            prop::option::weighted(0.3, prop::sample::select(JUNK)),
            prop::sample::select(BIRTHDAYS),
            prop::sample::select(NOTES),
            prop::option::of(0u8..200),
            prop::bool::weighted(0.3),
        ),
    )
        .prop_map(
            |(
                (name, phone, phone2, email, email2, wechat),
                (junk, birthday, notes, visits, emergency),
            )| {
                Person {
                    name,
                    phone,
                    phone2,
                    email,
                    email2,
                    wechat,
                    junk_contact: junk,
                    birthday,
                    notes,
                    visits,
                    emergency,
                }
            },
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    Name,
    Phone,
    Email,
    Wechat,
    Birthday,
    Notes,
    Visits,
    Emergency,
}

fn header(col: Col, chinese: bool) -> &'static str {
    match (col, chinese) {
        (Col::Name, true) => "姓名",
        (Col::Name, false) => "Name",
        (Col::Phone, true) => "手机号",
        (Col::Phone, false) => "Mobile Phone",
        (Col::Email, true) => "邮箱",
        (Col::Email, false) => "E-mail Address",
        (Col::Wechat, true) => "微信号",
        (Col::Wechat, false) => "WeChat ID",
        (Col::Birthday, true) => "生日",
        (Col::Birthday, false) => "Birthday",
        (Col::Notes, true) => "说明",
        (Col::Notes, false) => "Notes",
        (Col::Visits, true) => "签到次数",
        (Col::Visits, false) => "Visit count",
        (Col::Emergency, true) => "紧急联系人电话",
        (Col::Emergency, false) => "Emergency phone",
    }
}

type Contacts = Vec<(IdentityKind, String)>;

/// The contacts a person's row holds, as Hearth stores them.
fn contacts(i: usize, p: &Person) -> Contacts {
    let mut out = Vec::new();
    if p.phone.is_some() {
        out.push((IdentityKind::Phone, format!("+86170000{i:05}")));
        if p.phone2 {
            out.push((IdentityKind::Phone, format!("+86170010{i:05}")));
        }
    }
    if p.email.is_some() {
        out.push((IdentityKind::Email, format!("p{i}@example.com")));
        if p.email2.is_some() {
            out.push((IdentityKind::Email, format!("p{i}.alt@example.org")));
        }
    }
    if p.wechat {
        out.push((IdentityKind::Wechat, format!("wxid_p{i:04}x")));
    }
    out
}

fn cell(col: Col, i: usize, p: &Person) -> String {
    match col {
        Col::Name => p.name.unwrap_or("").to_owned(),
        Col::Phone => match (p.phone, p.junk_contact) {
            (Some(style), _) => {
                let digits = format!("170000{i:05}");
                let first = match style {
                    0 => digits.clone(),
                    1 => format!("+86 {} {} {}", &digits[..3], &digits[3..7], &digits[7..]),
                    _ => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
                };
                if p.phone2 {
                    format!("{first}; 170010{i:05}")
                } else {
                    first
                }
            }
            (None, Some(junk)) => junk.to_owned(),
            (None, None) => String::new(),
        },
        Col::Email => match p.email {
            Some(style) => {
                let mut a = format!("p{i}@example.com");
                if style == 1 {
                    a = a.to_uppercase();
                }
                match p.email2 {
                    Some(sep) => format!("{a}{sep}p{i}.alt@example.org"),
                    None => a,
                }
            }
            None if p.junk_contact == Some("x@y") => "x@y".to_owned(),
            None => String::new(),
        },
        Col::Wechat => {
            if p.wechat {
                format!("wxid_p{i:04}x")
            } else {
                String::new()
            }
        }
        Col::Birthday => p.birthday.to_owned(),
        Col::Notes => p.notes.to_owned(),
        Col::Visits => p.visits.map(|v| v.to_string()).unwrap_or_default(),
        Col::Emergency => {
            if p.emergency {
                format!("18900{i:06}")
            } else {
                String::new()
            }
        }
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn table() -> impl Strategy<Value = (Vec<Person>, Vec<Col>, bool)> {
    let all = vec![
        Col::Name,
        Col::Phone,
        Col::Email,
        Col::Wechat,
        Col::Birthday,
        Col::Notes,
        Col::Visits,
        Col::Emergency,
    ];
    (
        prop::collection::vec(person(), 1..14),
        Just(all).prop_shuffle(),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_person_with_a_name_or_contact_is_one_member_with_their_own_contacts(
        (people, cols, chinese) in table()
    ) {
        let db = common::open();
        let mut text = cols
            .iter()
            .map(|c| quote(header(*c, chinese)))
            .collect::<Vec<_>>()
            .join(",");
        text.push_str("\r\n");
        for (i, p) in people.iter().enumerate() {
            let row: Vec<String> = cols.iter().map(|c| quote(&cell(*c, i, p))).collect();
            text.push_str(&row.join(","));
            text.push_str("\r\n");
        }
        let path = db.dir.path().join("people.csv");
        std::fs::write(&path, &text).unwrap();
        let options = ImportOptions {
            path: path.to_string_lossy().into_owned(),
            utc_offset_minutes: 480,
            ..Default::default()
        };
        import::apply(&db.ctx, &options, &|_| {}, &AtomicBool::new(false))
            .unwrap_or_else(|e| panic!("apply: {e:?}\n{text}"));
        let found: Vec<Member> = members::list(
            &db.ctx,
            ListMembers { limit: 1000, ..Default::default() },
        )
        .unwrap()
        .members;

        let persons: Vec<(usize, &Person, Contacts)> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p, contacts(i, p)))
            .filter(|(_, p, c)| p.name.is_some() || !c.is_empty())
            .collect();
        prop_assert_eq!(found.len(), persons.len(), "one member per person\n{}", text);

        // Every contact of a person is on one member, and that member holds no other contact.
        let mut contactless: BTreeMap<String, usize> = BTreeMap::new();
        for (i, p, mine) in &persons {
            if mine.is_empty() {
                *contactless.entry(p.name.unwrap().to_owned()).or_default() += 1;
                continue;
            }
            let holders: Vec<&Member> = found
                .iter()
                .filter(|m| m.identities.iter().any(|id| mine.contains(&(id.kind, id.value.clone()))))
                .collect();
            prop_assert_eq!(holders.len(), 1, "person {} is one member\n{}", i, text);
            let m = holders[0];
            let mut held: Vec<(IdentityKind, String)> = m
                .identities
                .iter()
                .map(|id| (id.kind, id.value.clone()))
                .collect();
            held.sort();
            let mut want = mine.clone();
            want.sort();
            prop_assert_eq!(&held, &want, "person {}'s contacts, and only theirs\n{}", i, text);
            if let Some(name) = p.name {
                prop_assert_eq!(m.display_name.as_str(), name);
            }
        }
        // People without contacts are matched by nothing: each is a member of their own.
        let mut bare: BTreeMap<String, usize> = BTreeMap::new();
        for m in found.iter().filter(|m| m.identities.is_empty()) {
            *bare.entry(m.display_name.clone()).or_default() += 1;
        }
        prop_assert_eq!(bare, contactless, "namesakes without contacts stay apart\n{}", text);
    }
}
