//! The rollups (member_days, daily_totals) after random sequences of every write that changes
//! them — single logs, bulk logs, undo, invites and their claw-back, merge and its undo, trash
//! and restore, erase, an activity import and its undo — on a real SQLite file: after every
//! step they equal a from-scratch computation from the ledger, and `rebuild` finds nothing off.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::Duration;
use common::{draft, now, open, TestDb};
use hearth_core::domain::IdentityKind::Phone;
use hearth_core::error::ErrorCode;
use hearth_core::ops::activity_import::{self, ImportActivities};
use hearth_core::ops::dashboard;
use hearth_core::ops::engagement::{self, AdjustPoints, LogActivities, NewLog};
use hearth_core::ops::import::ImportOptions;
use hearth_core::ops::invites::{self, Invite};
use hearth_core::ops::members::{self, DeleteMembers, EraseMembers, MergeMembers, UndoMerge};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const MEMBERS: usize = 5;
const KINDS: [&str; 4] = ["checkin", "spoke", "answered", "attended_event"];

#[derive(Debug, Clone)]
enum Op {
    Log {
        member: usize,
        kind: usize,
        days_ago: i64,
    },
    LogMany {
        rows: Vec<(usize, usize, i64)>,
    },
    Undo {
        pick: usize,
    },
    Grant {
        member: usize,
    },
    Invite {
        inviter: usize,
        invitee: usize,
    },
    Merge {
        keep: usize,
        merge: usize,
    },
    UndoMerge,
    Trash {
        member: usize,
    },
    Restore {
        member: usize,
    },
    Erase {
        member: usize,
    },
    Import {
        member: usize,
        days_ago: i64,
    },
    UndoImport,
}

fn op() -> impl Strategy<Value = Op> {
    let m = || 0..MEMBERS;
    prop_oneof![
        6 => (m(), 0..KINDS.len(), 0i64..4)
            .prop_map(|(member, kind, days_ago)| Op::Log { member, kind, days_ago }),
        3 => prop::collection::vec((m(), 0..KINDS.len(), 0i64..4), 1..12)
            .prop_map(|rows| Op::LogMany { rows }),
        2 => any::<usize>().prop_map(|pick| Op::Undo { pick }),
        1 => m().prop_map(|member| Op::Grant { member }),
        2 => (m(), m()).prop_map(|(inviter, invitee)| Op::Invite { inviter, invitee }),
        2 => (m(), m()).prop_map(|(keep, merge)| Op::Merge { keep, merge }),
        1 => Just(Op::UndoMerge),
        2 => m().prop_map(|member| Op::Trash { member }),
        2 => m().prop_map(|member| Op::Restore { member }),
        1 => m().prop_map(|member| Op::Erase { member }),
        1 => (m(), 0i64..4).prop_map(|(member, days_ago)| Op::Import { member, days_ago }),
        1 => Just(Op::UndoImport),
    ]
}

struct World {
    db: TestDb,
    ids: Vec<i64>,
    logged: Vec<i64>,
    merges: Vec<i64>,
    imports: Vec<i64>,
}

fn at(days_ago: i64) -> chrono::DateTime<chrono::Utc> {
    now() - Duration::days(days_ago) - Duration::hours(1)
}

impl World {
    fn new() -> World {
        let db = open();
        let ids = (0..MEMBERS)
            .map(|i| {
                let phone = format!("1380013800{i}");
                members::create(&db.ctx, draft(&format!("成员{i}"), &[(Phone, &phone)], &[]))
                    .unwrap()
                    .id
            })
            .collect();
        World {
            db,
            ids,
            logged: Vec::new(),
            merges: Vec::new(),
            imports: Vec::new(),
        }
    }

    /// Applies one write; writes the app refuses (a member in the trash, …) are fine to skip:
    /// the property is about what the accepted ones leave behind.
    fn apply(&mut self, op: &Op) {
        let ctx = &self.db.ctx;
        match op {
            Op::Log {
                member,
                kind,
                days_ago,
            } => {
                if let Some(out) = accept(engagement::log(
                    ctx,
                    LogActivities {
                        member_ids: vec![self.ids[*member]],
                        kind: KINDS[*kind].into(),
                        occurred_at: Some(at(*days_ago).to_rfc3339()),
                        note: String::new(),
                    },
                )) {
                    self.logged.extend(out.activity_ids);
                }
            }
            Op::LogMany { rows } => {
                let rows = rows
                    .iter()
                    .map(|&(m, k, d)| NewLog {
                        member_id: self.ids[m],
                        kind: KINDS[k].into(),
                        occurred_at: at(d),
                        note: String::new(),
                        source: "test".into(),
                        reference: String::new(),
                    })
                    .collect();
                if let Some(out) = accept(engagement::log_many(ctx, rows)) {
                    self.logged.extend(out.ids);
                }
            }
            Op::Undo { pick } => {
                if !self.logged.is_empty() {
                    let id = self.logged[pick % self.logged.len()];
                    accept(engagement::undo(ctx, vec![id]));
                }
            }
            Op::Grant { member } => {
                accept(engagement::adjust(
                    ctx,
                    AdjustPoints {
                        member_id: self.ids[*member],
                        delta: 5,
                        reason: "好帮手".into(),
                    },
                ));
            }
            Op::Invite { inviter, invitee } => {
                accept(invites::invite(
                    ctx,
                    Invite {
                        inviter_id: self.ids[*inviter],
                        invitee_id: self.ids[*invitee],
                        occurred_at: Some(at(1).to_rfc3339()),
                        note: String::new(),
                    },
                ));
            }
            Op::Merge { keep, merge } => {
                if let Some(out) = accept(members::merge(
                    ctx,
                    MergeMembers {
                        keep_id: self.ids[*keep],
                        merge_id: self.ids[*merge],
                        take_from_merged: Vec::new(),
                    },
                )) {
                    self.merges.push(out.merge);
                }
            }
            Op::UndoMerge => {
                if let Some(merge) = self.merges.pop() {
                    accept(members::undo_merge(ctx, UndoMerge { merge }));
                }
            }
            Op::Trash { member } => {
                accept(members::delete(
                    ctx,
                    DeleteMembers {
                        ids: vec![self.ids[*member]],
                    },
                ));
            }
            Op::Restore { member } => {
                accept(members::restore(
                    ctx,
                    DeleteMembers {
                        ids: vec![self.ids[*member]],
                    },
                ));
            }
            Op::Erase { member } => {
                accept(members::erase(
                    ctx,
                    EraseMembers {
                        ids: vec![self.ids[*member]],
                    },
                ));
            }
            Op::Import { member, days_ago } => {
                let path = self.db.dir.path().join("签到.csv");
                let day = at(*days_ago).format("%Y-%m-%d 08:00");
                std::fs::write(
                    &path,
                    format!(
                        "姓名,手机,签到时间\n成员{member},1380013800{member},{day}\n新人,13900139000,{day}\n"
                    ),
                )
                .unwrap();
                if let Some(done) = accept(activity_import::apply(
                    ctx,
                    &import_input(&path),
                    &|_| {},
                    &AtomicBool::new(false),
                )) {
                    self.imports.extend(done.batch_id);
                }
            }
            Op::UndoImport => {
                if let Some(batch) = self.imports.pop() {
                    accept(activity_import::undo(ctx, batch));
                }
            }
        }
    }
}

/// The outcome of a write the app may refuse for the member's state (in the trash, merged, …),
/// but never with a database error.
fn accept<T>(out: hearth_core::Result<T>) -> Option<T> {
    match out {
        Ok(v) => Some(v),
        Err(e) => {
            assert!(
                !matches!(e.code, ErrorCode::Database),
                "a write failed in the database: {e:?}"
            );
            None
        }
    }
}

fn import_input(path: &Path) -> ImportActivities {
    ImportActivities {
        options: ImportOptions {
            path: path.display().to_string(),
            ..Default::default()
        },
        kind: Some("checkin".into()),
        time_column: None,
        kind_column: None,
        note_column: None,
        at: None,
    }
}

#[test]
fn rollups_equal_a_computation_from_scratch_after_any_sequence_of_writes() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[21; 32]),
    );
    let rows_seen = std::cell::Cell::new(0usize);
    runner
        .run(&prop::collection::vec(op(), 1..30), |ops| {
            let mut world = World::new();
            for (i, op) in ops.iter().enumerate() {
                world.apply(op);
                prop_assert!(
                    dashboard::rollups_agree(&world.db.ctx).unwrap(),
                    "after step {i} ({op:?}) of {ops:?}"
                );
            }
            let rebuilt = dashboard::rebuild(&world.db.ctx).unwrap();
            prop_assert_eq!(rebuilt.rows_off, 0);
            rows_seen.set(rows_seen.get() + rebuilt.member_days as usize);
            Ok(())
        })
        .unwrap();
    let rows_seen = rows_seen.get();
    assert!(
        rows_seen > 100,
        "the sequences left rollup rows to compare ({rows_seen})"
    );
}

#[test]
fn rebuild_repairs_rollups_that_drifted_and_says_how_many_rows_were_off() {
    let db = open();
    let a = members::create(&db.ctx, draft("甲", &[], &[])).unwrap().id;
    engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![a],
            kind: "answered".into(),
            occurred_at: None,
            note: String::new(),
        },
    )
    .unwrap();
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let day: String = conn
        .query_row("SELECT day FROM member_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(day, "2026-11-25", "the manager's local day");
    conn.execute("UPDATE member_days SET points = 99", [])
        .unwrap();
    assert!(!dashboard::rollups_agree(&db.ctx).unwrap());
    let rebuilt = dashboard::rebuild(&db.ctx).unwrap();
    assert_eq!(
        (rebuilt.rows_off, rebuilt.member_days, rebuilt.days),
        (2, 1, 1)
    );
    assert!(dashboard::rollups_agree(&db.ctx).unwrap());
    let points: i64 = conn
        .query_row("SELECT points FROM member_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(points, 3, "an answer earns 3 points");
}
