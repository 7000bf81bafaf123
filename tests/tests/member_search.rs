//! Search, paging and the duplicate finder at speed, checked against plain SQL over the same
//! file: the in-memory copy of the haystacks must answer exactly what `instr(search_text, …)`
//! answers, after every kind of write, and a page must be the rows `ORDER BY … LIMIT … OFFSET`
//! gives, from whichever end or mark it is read.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use common::{draft, open, TestDb};
use hearth_core::demo::{self, LoadDemo};
use hearth_core::domain::{IdentityKind::*, MemberSort};
use hearth_core::ops::import::{self, DuplicatePolicy, ImportOptions};
use hearth_core::ops::members::{
    self, BulkTag, DeleteMembers, DuplicateReason, EraseMembers, FindDuplicates, ListMembers,
    MergeMembers, UndoMerge, UpdateMember,
};
use hearth_core::ops::tags::{self, RenameTag};
use hearth_core::store::Store;
use hearth_core::text::search_needle;
use hearth_core::{Ctx, FixedClock};

fn sql(db: &TestDb) -> rusqlite::Connection {
    rusqlite::Connection::open(db.ctx.store.path()).unwrap()
}

/// What search answered before it had a copy in memory: one `instr` per live member.
fn sql_search(db: &TestDb, q: &str) -> Vec<i64> {
    sql(db)
        .prepare(
            "SELECT id FROM members WHERE deleted_at IS NULL AND instr(search_text, ?1) > 0
             ORDER BY sort_key, id",
        )
        .unwrap()
        .query_map([search_needle(q)], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn list(
    ctx: &Ctx,
    search: Option<&str>,
    sort: MemberSort,
    descending: bool,
    offset: u32,
    limit: u32,
) -> (u32, Vec<i64>) {
    let page = members::list(
        ctx,
        ListMembers {
            search: search.map(str::to_owned),
            sort,
            descending,
            offset,
            limit,
            ..Default::default()
        },
    )
    .unwrap();
    (page.total, page.members.into_iter().map(|m| m.id).collect())
}

/// Every needle finds exactly what SQL finds, in the same order, with the same total.
#[track_caller]
fn same_as_sql(db: &TestDb, needles: &[&str], after: &str) {
    for q in needles {
        let expected = sql_search(db, q);
        let (total, found) = list(&db.ctx, Some(q), MemberSort::Name, false, 0, 1000);
        assert_eq!(found, expected, "{q:?} after {after}");
        assert_eq!(
            total as usize,
            expected.len(),
            "total for {q:?} after {after}"
        );
    }
}

const NEEDLES: &[&str] = &[
    "张伟",
    "王伟",
    "zw",
    "ww",
    "zhangwei",
    "8000",
    "0013",
    "139-0013-9000",
    "lina@",
    "讲者",
    "志愿",
    "义工",
    "新标签",
    "上海",
    "zhangwei_88",
    "zh",
    "a",
];

#[test]
fn search_sees_every_kind_of_write_at_once() {
    let db = open();
    let mut d = draft(
        "张伟",
        &[(Phone, "138-0013-8000"), (Wechat, "zhangwei_88")],
        &["讲者"],
    );
    d.city = "上海".into();
    let zhang = members::create(&db.ctx, d).unwrap();
    let li = members::create(
        &db.ctx,
        draft("李娜", &[(Email, "lina@example.com")], &["志愿者"]),
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "creating");
    assert_eq!(sql_search(&db, "zw"), vec![zhang.id]);

    members::update(
        &db.ctx,
        UpdateMember {
            id: zhang.id,
            draft: draft("王伟", &[(Phone, "13900139000")], &["讲者"]),
        },
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "an update");
    assert!(sql_search(&db, "zw").is_empty());

    let tag = |add: &[&str], remove: &[&str]| {
        members::bulk_tag(
            &db.ctx,
            BulkTag {
                ids: vec![zhang.id, li.id],
                add: add.iter().map(|t| (*t).into()).collect(),
                remove: remove.iter().map(|t| (*t).into()).collect(),
                expires_on: None,
            },
        )
        .unwrap();
    };
    tag(&["新标签"], &[]);
    same_as_sql(&db, NEEDLES, "bulk tagging");
    tag(&[], &["新标签"]);
    same_as_sql(&db, NEEDLES, "bulk untagging");
    tags::rename(
        &db.ctx,
        RenameTag {
            from: "志愿者".into(),
            to: "义工".into(),
        },
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "renaming a tag");

    let trashed = members::delete(&db.ctx, DeleteMembers { ids: vec![li.id] }).unwrap();
    same_as_sql(&db, NEEDLES, "moving to the trash");
    members::restore(&db.ctx, DeleteMembers { ids: trashed.ids }).unwrap();
    same_as_sql(&db, NEEDLES, "restoring");

    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: li.id,
            merge_id: zhang.id,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "a merge");
    assert_eq!(sql_search(&db, "13900139000"), vec![li.id]);
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "undoing the merge");
    assert_eq!(sql_search(&db, "13900139000"), vec![zhang.id]);

    let csv = db.dir.path().join("list.csv");
    std::fs::write(
        &csv,
        "姓名,手机号,邮箱,城市,标签\r\n张伟,13800138000,zw@example.com,上海,新标签\r\n王伟,13900139000,,北京,讲者\r\n",
    )
    .unwrap();
    let options = ImportOptions {
        path: csv.display().to_string(),
        utc_offset_minutes: 480,
        policy: DuplicatePolicy::Update,
        ..Default::default()
    };
    let imported = import::apply(&db.ctx, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        (imported.counts.create, imported.counts.update),
        (1, 1),
        "one new, one matched by phone"
    );
    same_as_sql(&db, NEEDLES, "an import");
    import::undo(&db.ctx, imported.batch_id).unwrap();
    same_as_sql(&db, NEEDLES, "undoing the import");

    members::erase(
        &db.ctx,
        EraseMembers {
            ids: vec![zhang.id],
        },
    )
    .unwrap();
    same_as_sql(&db, NEEDLES, "erasing");
    assert!(sql_search(&db, "13900139000").is_empty());

    // Another process (here another store on the same file) writes: the next search sees it.
    let other = Ctx::new(
        Store::open(db.ctx.store.path()).unwrap(),
        Arc::new(FixedClock(common::now())),
    );
    members::create(&other, draft("张伟", &[(Phone, "13800138000")], &[])).unwrap();
    same_as_sql(&db, NEEDLES, "a write through another connection");
    assert_eq!(sql_search(&db, "zw").len(), 1);
}

/// A demo community big enough for several in-memory blocks and name marks, with a few members in
/// the trash.
fn community(members: u32) -> TestDb {
    let db = open();
    demo::load(&db.ctx, LoadDemo { members, seed: 7 }).unwrap();
    let trash: Vec<i64> = (1..=i64::from(members)).step_by(97).collect();
    members::delete(&db.ctx, DeleteMembers { ids: trash }).unwrap();
    db
}

fn sql_page(
    db: &TestDb,
    needle: &str,
    sort: MemberSort,
    descending: bool,
    offset: u32,
    limit: u32,
) -> (u32, Vec<i64>) {
    let column = match sort {
        MemberSort::Name => "sort_key",
        MemberSort::JoinedAt => "joined_at",
        MemberSort::CreatedAt => "created_at",
    };
    let dir = if descending { "DESC" } else { "ASC" };
    let conn = sql(db);
    let needle = search_needle(needle);
    let total = conn
        .query_row(
            "SELECT count(*) FROM members
             WHERE deleted_at IS NULL AND (?1 = '' OR instr(search_text, ?1) > 0)",
            [&needle],
            |r| r.get(0),
        )
        .unwrap();
    let ids = conn
        .prepare(&format!(
            "SELECT id FROM members WHERE deleted_at IS NULL AND (?1 = '' OR instr(search_text, ?1) > 0)
             ORDER BY {column} {dir}, id {dir} LIMIT ?2 OFFSET ?3"
        ))
        .unwrap()
        .query_map(rusqlite::params![needle, limit, offset], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (total, ids)
}

#[test]
fn pages_are_what_order_by_limit_offset_gives_from_either_end() {
    let db = community(2600);
    let check = |after: &str| {
        let total = sql_page(&db, "", MemberSort::Name, false, 0, 0).0;
        assert!(total > 2 * 1024 + 200, "enough members for name marks");
        for sort in [
            MemberSort::Name,
            MemberSort::JoinedAt,
            MemberSort::CreatedAt,
        ] {
            for descending in [false, true] {
                for offset in [
                    0,
                    1,
                    199,
                    1023,
                    1024,
                    1100,
                    1300,
                    total - 1300,
                    total - 201,
                    total - 1,
                    total,
                    total + 5,
                ] {
                    for limit in [0, 1, 200] {
                        assert_eq!(
                            list(&db.ctx, None, sort, descending, offset, limit),
                            sql_page(&db, "", sort, descending, offset, limit),
                            "{sort:?} descending={descending} offset={offset} limit={limit} after {after}"
                        );
                    }
                }
                for needle in ["王", "zw", "0000", "example.org", "a"] {
                    for offset in [0, 150, 1000] {
                        assert_eq!(
                            list(&db.ctx, Some(needle), sort, descending, offset, 200),
                            sql_page(&db, needle, sort, descending, offset, 200),
                            "{needle:?} {sort:?} descending={descending} offset={offset} after {after}"
                        );
                    }
                }
            }
        }
    };
    check("loading");
    // Marks and the copy are rebuilt after a write, never reused.
    members::delete(
        &db.ctx,
        DeleteMembers {
            ids: (2..60).collect(),
        },
    )
    .unwrap();
    check("trashing more");
}

/// The duplicate finder as it was written first: every two namesakes compared.
fn reference_pairs(db: &TestDb) -> BTreeMap<(i64, i64), (Vec<DuplicateReason>, u32)> {
    let conn = sql(db);
    let mut groups: BTreeMap<String, Vec<(i64, String, String)>> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT id, display_name, sort_key, city FROM members WHERE deleted_at IS NULL ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (id, name, key, city) = row.unwrap();
        groups.entry(key).or_default().push((id, name, city));
    }
    let mut users: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT member_id, value FROM identities WHERE kind = 'email'")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (id, email) = row.unwrap();
        users
            .entry(id)
            .or_default()
            .push(email.split('@').next().unwrap().to_owned());
    }
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut pairs = BTreeMap::new();
    for group in groups.values().filter(|g| g.len() > 1) {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                let mut reasons = Vec::new();
                let mut score = 0;
                if fold(&a.1) == fold(&b.1) {
                    reasons.push(DuplicateReason::SameName);
                    score += 60;
                } else {
                    reasons.push(DuplicateReason::SamePinyin);
                    score += 40;
                }
                let same_city = !a.2.is_empty() && a.2 == b.2;
                if same_city {
                    reasons.push(DuplicateReason::SameCity);
                    score += 20;
                }
                let empty = Vec::new();
                let (ua, ub) = (
                    users.get(&a.0).unwrap_or(&empty),
                    users.get(&b.0).unwrap_or(&empty),
                );
                let same_user = ua.iter().any(|u| ub.contains(u));
                if same_user {
                    reasons.push(DuplicateReason::SameEmailUser);
                    score += 20;
                }
                let enough = if group.len() <= 5 {
                    same_city || same_user
                } else {
                    same_user
                };
                if enough {
                    pairs.insert((a.0, b.0), (reasons, score.min(100)));
                }
            }
        }
    }
    pairs
}

#[test]
fn the_duplicate_finder_proposes_what_comparing_every_pair_would() {
    let db = community(3000);
    let expected = reference_pairs(&db);
    assert!(expected.len() > 20, "the demo has people who joined twice");
    assert!(
        expected
            .values()
            .any(|(r, _)| r.contains(&DuplicateReason::SameCity)),
        "some pairs come from small groups"
    );
    let report = members::find_duplicates(
        &db.ctx,
        FindDuplicates {
            limit: Some(u32::MAX),
        },
    )
    .unwrap();
    assert_eq!(report.total as usize, expected.len());
    let found: BTreeMap<(i64, i64), (Vec<DuplicateReason>, u32)> = report
        .pairs
        .iter()
        .map(|p| ((p.a.id, p.b.id), (p.reasons.clone(), p.score)))
        .collect();
    assert_eq!(found, expected);
    let scores: Vec<u32> = report.pairs.iter().map(|p| p.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");
}
