//! Events over a real database: creating them in their own time zone, capacity and the waitlist,
//! the door (search, check-in, walk-ins, no-shows, every undo), a pasted WeChat 接龙, registrations
//! imported from a member list, feedback with NPS, merges and erasure of registered members, the
//! attendee export and the demo community's events.
//!
//! The PDF layout and the ICS writer have their own tests (`print.rs`, `ics.rs`); this file tests
//! the operations a manager runs.

mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{draft, open, TestDb, NOW};
use hearth_core::domain::{
    Event, EventDraft, EventMode, EventStatus, IdentityKind::*, MemberDraft, Registration,
    RegistrationStatus as S,
};
use hearth_core::io::jielong::JielongReason;
use hearth_core::ops::events::door::{self, CheckIn, WalkInNew};
use hearth_core::ops::events::export::{self, AttendeeFormat, ExportAttendees};
use hearth_core::ops::events::feedback::{self, FeedbackDraft};
use hearth_core::ops::events::import::{self as reg_import, ImportRegistrations};
use hearth_core::ops::events::jielong::{self, JielongAction, JielongPlan, PasteJielong};
use hearth_core::ops::events::registrations::{
    self, Register, RegisterOutcome, RosterOrder, SetRegistrationStatus, StatusChanged,
};
use hearth_core::ops::events::{self, EventRange};
use hearth_core::ops::import::{self, ImportOptions, RowAction};
use hearth_core::ops::members::{self, EraseMembers, MergeMembers, UndoMerge};
use hearth_core::ErrorCode;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A Saturday-afternoon meetup in Shanghai, open for registration.
fn event_draft(title: &str, capacity: Option<u32>) -> EventDraft {
    EventDraft {
        title: title.into(),
        mode: EventMode::Offline,
        starts_local: "2026-11-28T14:00".into(),
        ends_local: "2026-11-28T17:00".into(),
        time_zone: "Asia/Shanghai".into(),
        venue: "静安区图书馆 3 楼报告厅".into(),
        link: String::new(),
        capacity,
        notes: String::new(),
        campaign: String::new(),
        status: EventStatus::Open,
    }
}

fn new_event(db: &TestDb, title: &str, capacity: Option<u32>) -> Event {
    events::create(&db.ctx, event_draft(title, capacity)).unwrap()
}

fn event(db: &TestDb, id: i64) -> Event {
    events::get(&db.ctx, id).unwrap()
}

/// A member with an optional phone; returns the id.
fn member(db: &TestDb, name: &str, phone: Option<&str>) -> i64 {
    let ids: Vec<_> = phone.map(|p| (Phone, p)).into_iter().collect();
    members::create(&db.ctx, draft(name, &ids, &[])).unwrap().id
}

fn register(db: &TestDb, event_id: i64, member_ids: &[i64], companions: u32) -> RegisterOutcome {
    registrations::register(
        &db.ctx,
        Register {
            event_id,
            member_ids: member_ids.to_vec(),
            companions,
            note: String::new(),
        },
    )
    .unwrap()
}

fn set_status(db: &TestDb, registration_id: i64, status: S) -> StatusChanged {
    registrations::set_status(
        &db.ctx,
        SetRegistrationStatus {
            registration_id,
            status,
        },
    )
    .unwrap()
}

/// The roster in registration order.
fn roster(db: &TestDb, event_id: i64) -> Vec<Registration> {
    registrations::list(&db.ctx, event_id, None, RosterOrder::Registered).unwrap()
}

fn reg_of(db: &TestDb, event_id: i64, member_id: i64) -> Option<Registration> {
    roster(db, event_id)
        .into_iter()
        .find(|r| r.member_id == member_id)
}

fn status_of(db: &TestDb, event_id: i64, member_id: i64) -> Option<S> {
    reg_of(db, event_id, member_id).map(|r| r.status)
}

fn conn(db: &TestDb) -> rusqlite::Connection {
    rusqlite::Connection::open(db.dir.path().join("hearth.db")).unwrap()
}

/// Rows of a table, read straight from the database file.
fn count(db: &TestDb, table: &str) -> i64 {
    conn(db)
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Every registration row (all columns, as text), in id order: equal dumps mean equal rows.
fn registration_rows(db: &TestDb) -> Vec<String> {
    let c = conn(db);
    let mut stmt = c
        .prepare("SELECT * FROM registrations ORDER BY id")
        .unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |row| {
            (0..n)
                .map(|i| {
                    row.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|cells| cells.join(" | "))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Every row of every table as text.
fn dump(db: &TestDb) -> String {
    common::dump_db(db.ctx.store.path(), |_| true)
}

fn write_file(db: &TestDb, name: &str, text: &str) -> PathBuf {
    let path = db.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Seats taken never exceed the capacity.
fn assert_not_overfilled(db: &TestDb, event_id: i64) {
    let e = event(db, event_id);
    if let Some(c) = e.capacity {
        assert!(
            e.counts.seats_taken <= c,
            "{} seats taken of {c}: {:?}",
            e.counts.seats_taken,
            e.counts
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Creating events
// ---------------------------------------------------------------------------------------------

#[test]
fn an_event_is_stored_in_utc_and_shown_in_its_own_zone() {
    let db = open();
    let e = new_event(&db, "周六读书会", Some(30));
    assert_eq!(e.starts_at, "2026-11-28T06:00:00Z");
    assert_eq!(e.ends_at, "2026-11-28T09:00:00Z");
    assert_eq!(e.time_zone, "Asia/Shanghai");
    assert_eq!(e.starts_local, "2026-11-28T14:00");
    assert_eq!(e.ends_local, "2026-11-28T17:00");
    assert_eq!(e.status, EventStatus::Open);
    assert_eq!(e.created_at, NOW);
    // Read back from the database, the same.
    let again = event(&db, e.id);
    assert_eq!(again, e);
    let listed = events::list(&db.ctx, &EventRange::default()).unwrap();
    assert_eq!(listed, vec![e.clone()]);
    // Listing by UTC day: the 28th holds it, the 29th does not.
    let range = |from: &str, to: &str| EventRange {
        from: Some(from.into()),
        to: Some(to.into()),
    };
    assert_eq!(
        events::list(&db.ctx, &range("2026-11-28", "2026-11-29"))
            .unwrap()
            .len(),
        1
    );
    assert!(events::list(&db.ctx, &range("2026-11-29", ""))
        .unwrap()
        .is_empty());
    let bad = events::list(&db.ctx, &range("28.11.2026", "")).unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("from"));

    // The same wall-clock time in New York (winter, UTC−5) is another instant.
    let ny = events::create(
        &db.ctx,
        EventDraft {
            time_zone: "America/New_York".into(),
            ..event_draft("NYC meetup", None)
        },
    )
    .unwrap();
    assert_eq!(ny.starts_at, "2026-11-28T19:00:00Z");
    assert_eq!(ny.starts_local, "2026-11-28T14:00");
    // No zone given: the manager's own (Asia/Shanghai).
    let plain = events::create(
        &db.ctx,
        EventDraft {
            time_zone: String::new(),
            ..event_draft("没写时区", None)
        },
    )
    .unwrap();
    assert_eq!(plain.time_zone, "Asia/Shanghai");
    assert_eq!(plain.starts_at, "2026-11-28T06:00:00Z");

    // Editing keeps the zone's reading: moved one hour later in Shanghai.
    let moved = events::update(
        &db.ctx,
        e.id,
        EventDraft {
            starts_local: "2026-11-28T15:00".into(),
            ..event_draft("周六读书会", Some(30))
        },
    )
    .unwrap();
    assert_eq!(moved.starts_at, "2026-11-28T07:00:00Z");
    assert_eq!(moved.starts_local, "2026-11-28T15:00");
}

#[test]
fn a_bad_event_is_refused_with_its_field_and_nothing_is_written() {
    let db = open();
    new_event(&db, "已有的活动", None);
    let before = dump(&db);

    let ends_first = events::create(
        &db.ctx,
        EventDraft {
            ends_local: "2026-11-28T13:00".into(),
            ..event_draft("周六读书会", None)
        },
    )
    .unwrap_err();
    assert_eq!(ends_first.code, ErrorCode::InvalidDate);
    assert_eq!(ends_first.field.as_deref(), Some("ends_at"));

    let zone = events::create(
        &db.ctx,
        EventDraft {
            time_zone: "Asia/Beijing".into(),
            ..event_draft("周六读书会", None)
        },
    )
    .unwrap_err();
    assert_eq!(zone.code, ErrorCode::InvalidInput);
    assert_eq!(zone.field.as_deref(), Some("time_zone"));

    let untitled = events::create(
        &db.ctx,
        EventDraft {
            title: "   ".into(),
            ..event_draft("", None)
        },
    )
    .unwrap_err();
    assert_eq!(untitled.code, ErrorCode::Required);
    assert_eq!(untitled.field.as_deref(), Some("title"));

    let not_a_time = events::create(
        &db.ctx,
        EventDraft {
            starts_local: "28/11/2026 2pm".into(),
            ..event_draft("周六读书会", None)
        },
    )
    .unwrap_err();
    assert_eq!(not_a_time.code, ErrorCode::InvalidDate);
    assert_eq!(not_a_time.field.as_deref(), Some("starts_at"));

    // 02:30 on the spring-forward night does not exist in New York: refused, not shifted.
    let gap = events::create(
        &db.ctx,
        EventDraft {
            time_zone: "America/New_York".into(),
            starts_local: "2026-03-08T02:30".into(),
            ends_local: "2026-03-08T04:00".into(),
            ..event_draft("DST", None)
        },
    )
    .unwrap_err();
    assert_eq!(gap.field.as_deref(), Some("starts_at"));

    let no_seats = events::create(&db.ctx, event_draft("零座位", Some(0))).unwrap_err();
    assert_eq!(no_seats.field.as_deref(), Some("capacity"));

    assert_eq!(count(&db, "events"), 1);
    assert_eq!(
        events::list(&db.ctx, &EventRange::default()).unwrap().len(),
        1
    );
    assert_eq!(dump(&db), before, "a refused event writes nothing");
}

// ---------------------------------------------------------------------------------------------
// 2. Capacity and the waitlist
// ---------------------------------------------------------------------------------------------

#[test]
fn past_capacity_people_wait_and_cancellations_promote_them_in_order() {
    let db = open();
    let e = new_event(&db, "小型工作坊", Some(3));
    let people: Vec<i64> = ["张伟", "李娜", "王芳", "赵磊", "陈静"]
        .iter()
        .map(|n| member(&db, n, None))
        .collect();
    let out = register(&db, e.id, &people, 0);
    assert_eq!((out.registered, out.waitlisted, out.already), (3, 2, 0));
    assert_eq!(out.registration_ids.len(), 5);
    assert_not_overfilled(&db, e.id);

    let e1 = event(&db, e.id);
    assert_eq!(e1.status, EventStatus::Full);
    assert_eq!((e1.counts.registered, e1.counts.waitlist), (3, 2));
    assert_eq!(e1.counts.seats_taken, 3);
    let list = roster(&db, e.id);
    let waiting: Vec<(i64, Option<u32>)> = list
        .iter()
        .filter(|r| r.status == S::Waitlist)
        .map(|r| (r.member_id, r.waitlist_position))
        .collect();
    assert_eq!(waiting, [(people[3], Some(1)), (people[4], Some(2))]);
    assert!(list
        .iter()
        .filter(|r| r.status == S::Registered)
        .all(|r| r.waitlist_position.is_none()));
    let reg = |i: usize| reg_of(&db, e.id, people[i]).unwrap().id;

    // First cancellation: 赵磊 (first on the waitlist) moves up; still full.
    let changed = set_status(&db, reg(0), S::Cancelled);
    assert_eq!(changed.previous, S::Registered);
    assert_eq!(changed.registration.status, S::Cancelled);
    let promoted: Vec<i64> = changed.promoted.iter().map(|r| r.member_id).collect();
    assert_eq!(promoted, [people[3]]);
    assert_eq!(changed.promoted[0].status, S::Registered);
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
    assert_not_overfilled(&db, e.id);
    let last = reg_of(&db, e.id, people[4]).unwrap();
    assert_eq!(
        (last.status, last.waitlist_position),
        (S::Waitlist, Some(1)),
        "陈静 is now first in line"
    );

    // Second: 陈静 moves up.
    let changed = set_status(&db, reg(1), S::Cancelled);
    let promoted: Vec<i64> = changed.promoted.iter().map(|r| r.member_id).collect();
    assert_eq!(promoted, [people[4]]);
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
    assert_not_overfilled(&db, e.id);

    // Third: nobody is waiting, a seat is free: open again.
    let changed = set_status(&db, reg(2), S::Cancelled);
    assert!(changed.promoted.is_empty());
    let e2 = event(&db, e.id);
    assert_eq!(e2.status, EventStatus::Open);
    assert_eq!(
        (
            e2.counts.registered,
            e2.counts.waitlist,
            e2.counts.cancelled
        ),
        (2, 0, 3)
    );
    assert_eq!(e2.counts.seats_taken, 2);

    // Putting a cancelled person back into a full event puts them on the waitlist.
    let extra = member(&db, "刘洋", None);
    register(&db, e.id, &[extra], 0);
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
    let back = set_status(&db, reg(0), S::Registered);
    assert_eq!(back.registration.status, S::Waitlist);
    assert_eq!(back.registration.waitlist_position, Some(1));
    assert_not_overfilled(&db, e.id);

    // A larger capacity frees seats: the waitlist moves up at once.
    let bigger = events::update(&db.ctx, e.id, event_draft("小型工作坊", Some(5))).unwrap();
    assert_eq!(bigger.counts.waitlist, 0);
    assert_eq!(bigger.counts.seats_taken, 4);
    assert_eq!(bigger.status, EventStatus::Open);
    assert_eq!(status_of(&db, e.id, people[0]), Some(S::Registered));
}

#[test]
fn companions_take_seats_and_nobody_jumps_a_party_that_does_not_fit() {
    let db = open();
    let e = new_event(&db, "徒步", Some(4));
    let [a, b, c, party, solo, late] =
        ["张伟", "李娜", "王芳", "赵磊", "陈静", "刘洋"].map(|n| member(&db, n, None));
    register(&db, e.id, &[a, b], 0);
    // 赵磊 brings two friends: three seats, only two left.
    let out = register(&db, e.id, &[party], 2);
    assert_eq!((out.registered, out.waitlisted), (0, 1));
    // 陈静 alone would fit, but 赵磊's party is waiting ahead of her.
    let out = register(&db, e.id, &[solo], 0);
    assert_eq!((out.registered, out.waitlisted), (0, 1));
    assert_eq!(reg_of(&db, e.id, solo).unwrap().waitlist_position, Some(2));
    assert_not_overfilled(&db, e.id);
    assert_eq!(event(&db, e.id).counts.seats_taken, 2);

    // A third person asks: a seat is free, but the party is still waiting ahead.
    register(&db, e.id, &[c], 0);
    assert_eq!(
        status_of(&db, e.id, c),
        Some(S::Waitlist),
        "the queue holds"
    );
    let c_reg = reg_of(&db, e.id, c).unwrap().id;
    assert_eq!(reg_of(&db, e.id, c).unwrap().waitlist_position, Some(3));

    // 张伟 cancels: 3 free, the party of three fits and moves up; the others keep waiting.
    let changed = set_status(&db, reg_of(&db, e.id, a).unwrap().id, S::Cancelled);
    let promoted: Vec<i64> = changed.promoted.iter().map(|r| r.member_id).collect();
    assert_eq!(promoted, [party]);
    let e1 = event(&db, e.id);
    assert_eq!(e1.counts.seats_taken, 4, "1 + (1 + 2 companions)");
    assert_eq!(e1.status, EventStatus::Full);
    assert_eq!(status_of(&db, e.id, solo), Some(S::Waitlist));
    assert_not_overfilled(&db, e.id);

    // 李娜 cancels: one seat, 陈静 (next in line) takes it.
    let changed = set_status(&db, reg_of(&db, e.id, b).unwrap().id, S::Cancelled);
    let promoted: Vec<i64> = changed.promoted.iter().map(|r| r.member_id).collect();
    assert_eq!(promoted, [solo]);
    assert_eq!(status_of(&db, e.id, c), Some(S::Waitlist));
    assert_eq!(reg_of(&db, e.id, c).unwrap().waitlist_position, Some(1));
    assert_not_overfilled(&db, e.id);

    // Taking back a waitlisted registration (Undo of registering) leaves the seats alone.
    assert_eq!(registrations::unregister(&db.ctx, vec![c_reg]).unwrap(), 1);
    assert_eq!(status_of(&db, e.id, c), None);
    register(&db, e.id, &[late], 0);
    assert_eq!(status_of(&db, e.id, late), Some(S::Waitlist));
    assert_not_overfilled(&db, e.id);

    // Too many companions is refused by field.
    let err = registrations::register(
        &db.ctx,
        Register {
            event_id: e.id,
            member_ids: vec![c],
            companions: 21,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("companions"));
}

// ---------------------------------------------------------------------------------------------
// 3. Closed events and repeated registrations
// ---------------------------------------------------------------------------------------------

#[test]
fn closed_events_take_no_registrations_and_nobody_is_registered_twice() {
    let db = open();
    let zw = member(&db, "张伟", None);
    let ln = member(&db, "李娜", None);
    for status in [EventStatus::Cancelled, EventStatus::Finished] {
        let e = events::create(
            &db.ctx,
            EventDraft {
                status,
                ..event_draft("关门的活动", None)
            },
        )
        .unwrap();
        let before = dump(&db);
        let err = registrations::register(
            &db.ctx,
            Register {
                event_id: e.id,
                member_ids: vec![zw, ln],
                companions: 0,
                note: String::new(),
            },
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::EventClosed, "{status:?}");
        assert_eq!(
            err.params.get("status").map(String::as_str),
            Some(status.as_str())
        );
        assert_eq!(dump(&db), before, "nothing written for a {status:?} event");
        assert_eq!(event(&db, e.id).counts, Default::default());
    }

    let e = new_event(&db, "开放的活动", None);
    let first = register(&db, e.id, &[zw], 0);
    assert_eq!((first.registered, first.already), (1, 0));
    let again = register(&db, e.id, &[zw, ln, ln], 0);
    assert_eq!((again.registered, again.already), (1, 2));
    assert_eq!(again.registration_ids.len(), 1);
    assert_eq!(count(&db, "registrations"), 2);
    // A cancelled registration is still "already": registering again does not duplicate it.
    set_status(&db, reg_of(&db, e.id, zw).unwrap().id, S::Cancelled);
    assert_eq!(register(&db, e.id, &[zw], 0).already, 1);
    assert_eq!(count(&db, "registrations"), 2);

    // One unknown member in the batch: the whole batch is refused.
    let wf = member(&db, "王芳", None);
    let err = registrations::register(
        &db.ctx,
        Register {
            event_id: e.id,
            member_ids: vec![wf, 999_999],
            companions: 0,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(status_of(&db, e.id, wf), None);
    assert_eq!(count(&db, "registrations"), 2);
}

// ---------------------------------------------------------------------------------------------
// 4. The door
// ---------------------------------------------------------------------------------------------

fn check_in(
    db: &TestDb,
    event_id: i64,
    member_id: i64,
    walk_in: bool,
    reinstate: bool,
) -> hearth_core::Result<door::CheckedIn> {
    door::check_in(
        &db.ctx,
        CheckIn {
            event_id,
            member_id,
            walk_in,
            reinstate,
            over_capacity: false,
        },
    )
}

/// The door's "let them in anyway" to a full event.
fn admit_over_capacity(
    db: &TestDb,
    event_id: i64,
    member_id: i64,
    reinstate: bool,
) -> hearth_core::Result<door::CheckedIn> {
    door::check_in(
        &db.ctx,
        CheckIn {
            event_id,
            member_id,
            walk_in: false,
            reinstate,
            over_capacity: true,
        },
    )
}

#[test]
fn the_door_finds_people_by_initials_and_phone_tail() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", Some("13800138000"));
    let ln = member(&db, "李娜", Some("13900001234"));
    member(&db, "王芳", Some("13700005678"));
    register(&db, e.id, &[zw, ln], 0);

    let found = door::search(&db.ctx, e.id, "zw").unwrap();
    let names: Vec<&str> = found
        .registrations
        .iter()
        .map(|r| r.member_name.as_str())
        .collect();
    assert_eq!(names, ["张伟"]);
    assert_eq!(
        found.registrations[0].phone.as_deref(),
        Some("+8613800138000")
    );
    assert_eq!(found.counts.registered, 2);

    let by_tail = door::search(&db.ctx, e.id, "1234").unwrap();
    let ids: Vec<i64> = by_tail.registrations.iter().map(|r| r.member_id).collect();
    assert_eq!(ids, [ln]);

    // Only this event's registrations: 王芳 is a member, not registered.
    assert!(door::search(&db.ctx, e.id, "wf")
        .unwrap()
        .registrations
        .is_empty());
    assert!(door::search(&db.ctx, e.id, "5678")
        .unwrap()
        .registrations
        .is_empty());
    // Empty: everyone, in pinyin order (李 before 张).
    let all: Vec<i64> = door::search(&db.ctx, e.id, "")
        .unwrap()
        .registrations
        .iter()
        .map(|r| r.member_id)
        .collect();
    assert_eq!(all, [ln, zw]);
}

#[test]
fn check_in_never_happens_twice_or_silently_and_undo_restores_exactly() {
    let db = open();
    let e = new_event(&db, "周六读书会", Some(3));
    let [zw, ln, wf, zl, ly, cj] =
        ["张伟", "李娜", "王芳", "赵磊", "刘洋", "陈静"].map(|n| member(&db, n, None));
    register(&db, e.id, &[zw, ln, ly], 0);
    // 刘洋 cancels before anyone waits; 陈静 takes the seat; 赵磊 waits.
    set_status(&db, reg_of(&db, e.id, ly).unwrap().id, S::Cancelled);
    register(&db, e.id, &[cj, zl], 0);
    assert_eq!(status_of(&db, e.id, zl), Some(S::Waitlist));
    assert_eq!(event(&db, e.id).status, EventStatus::Full);

    // 张伟 comes.
    let before_zw = reg_of(&db, e.id, zw).unwrap();
    let done = check_in(&db, e.id, zw, false, false).unwrap();
    assert_eq!(done.registration.status, S::Attended);
    assert_eq!(done.registration.checked_in_at.as_deref(), Some(NOW));
    assert_eq!(done.counts.attended, 1);
    assert_eq!(done.counts.registered, 2);

    // Twice: refused, nothing changes.
    let counts = event(&db, e.id).counts;
    let rows = registration_rows(&db);
    let twice = check_in(&db, e.id, zw, false, false).unwrap_err();
    assert_eq!(twice.code, ErrorCode::AlreadyCheckedIn);
    assert_eq!(twice.params.get("time").map(String::as_str), Some(NOW));
    assert_eq!(event(&db, e.id).counts, counts);
    assert_eq!(registration_rows(&db), rows);

    // 王芳 is not registered: a question, not a check-in; then a walk-in.
    let err = check_in(&db, e.id, wf, false, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotRegistered);
    assert_eq!(
        err.params.get("member_name").map(String::as_str),
        Some("王芳")
    );
    assert_eq!(registration_rows(&db), rows);
    let walked = check_in(&db, e.id, wf, true, false).unwrap();
    assert_eq!(walked.registration.status, S::WalkIn);
    assert_eq!(walked.registration.checked_in_at.as_deref(), Some(NOW));
    assert_eq!(walked.registration.source, "door");
    assert_eq!(walked.counts.walk_in, 1);

    // 刘洋 cancelled: a question; then reinstated and checked in.
    let rows = registration_rows(&db);
    let before_ly = reg_of(&db, e.id, ly).unwrap();
    let err = check_in(&db, e.id, ly, false, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::RegistrationCancelled);
    assert_eq!(
        err.params.get("registration_id").map(String::as_str),
        Some(before_ly.id.to_string().as_str())
    );
    assert_eq!(registration_rows(&db), rows);
    // Every seat is taken: reinstating asks again before over-filling.
    let full = check_in(&db, e.id, ly, false, true).unwrap_err();
    assert_eq!(full.code, ErrorCode::EventFull);
    assert_eq!(registration_rows(&db), rows);
    assert_not_overfilled(&db, e.id);
    let back = admit_over_capacity(&db, e.id, ly, true).unwrap();
    assert_eq!(back.registration.status, S::Attended);

    // 赵磊 from the waitlist turns up.
    let before_zl = reg_of(&db, e.id, zl).unwrap();
    assert_eq!(before_zl.waitlist_position, Some(1));
    let full = check_in(&db, e.id, zl, false, false).unwrap_err();
    assert_eq!(
        full.code,
        ErrorCode::EventFull,
        "no silent over-fill at the door"
    );
    let came = admit_over_capacity(&db, e.id, zl, false).unwrap();
    assert_eq!(came.registration.status, S::Attended);

    // Every undo puts the registration back exactly as it was.
    door::undo_check_in(&db.ctx, came.registration.id).unwrap();
    assert_eq!(
        reg_of(&db, e.id, zl).unwrap(),
        before_zl,
        "back on the waitlist, first"
    );
    door::undo_check_in(&db.ctx, back.registration.id).unwrap();
    assert_eq!(reg_of(&db, e.id, ly).unwrap(), before_ly, "cancelled again");
    let counts = door::undo_check_in(&db.ctx, walked.registration.id).unwrap();
    assert_eq!(reg_of(&db, e.id, wf), None, "the walk-in disappears");
    assert_eq!(counts.walk_in, 0);
    door::undo_check_in(&db.ctx, done.registration.id).unwrap();
    assert_eq!(reg_of(&db, e.id, zw).unwrap(), before_zw);
    let e1 = event(&db, e.id);
    assert_eq!(e1.counts.attended, 0);
    assert_eq!(e1.counts.registered, 3);
    assert_eq!(e1.counts.waitlist, 1);
    assert_eq!(e1.status, EventStatus::Full);

    // Undoing something that is not checked in is refused.
    let err = door::undo_check_in(&db.ctx, before_zw.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[test]
fn a_stranger_at_the_door_becomes_a_member_and_a_walk_in_in_one_step() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    member(&db, "张伟", Some("13800138000"));
    let before = dump(&db);

    let bad_phone = door::walk_in_new(
        &db.ctx,
        WalkInNew {
            event_id: e.id,
            member: draft("新朋友", &[(Phone, "12345")], &[]),
        },
    )
    .unwrap_err();
    assert_eq!(bad_phone.code, ErrorCode::InvalidPhone);
    // A phone that is already someone else's is refused too.
    let taken = door::walk_in_new(
        &db.ctx,
        WalkInNew {
            event_id: e.id,
            member: draft("新朋友", &[(Phone, "138 0013 8000")], &[]),
        },
    )
    .unwrap_err();
    assert_eq!(taken.code, ErrorCode::IdentityTaken);
    assert_eq!(dump(&db), before, "neither member nor registration written");
    assert_eq!(count(&db, "members"), 1);
    assert_eq!(count(&db, "registrations"), 0);

    let done = door::walk_in_new(
        &db.ctx,
        WalkInNew {
            event_id: e.id,
            member: MemberDraft {
                city: "上海".into(),
                ..draft("新朋友", &[(Phone, "13700001111")], &[])
            },
        },
    )
    .unwrap();
    assert_eq!(done.registration.status, S::WalkIn);
    assert_eq!(done.registration.member_name, "新朋友");
    assert_eq!(done.registration.phone.as_deref(), Some("+8613700001111"));
    assert_eq!(done.counts.walk_in, 1);
    let m = members::get(&db.ctx, done.registration.member_id).unwrap();
    assert_eq!(m.city, "上海");
    assert_eq!(
        m.source, "活动现场",
        "the member came from the event's door"
    );
    assert_eq!(count(&db, "members"), 2);
}

// ---------------------------------------------------------------------------------------------
// 5. No-shows
// ---------------------------------------------------------------------------------------------

#[test]
fn no_shows_are_marked_in_one_step_and_undone_and_check_ins_are_untouched() {
    let db = open();
    let e = new_event(&db, "周六读书会", Some(4));
    let [zw, ln, wf, zl, cj] =
        ["张伟", "李娜", "王芳", "赵磊", "陈静"].map(|n| member(&db, n, None));
    register(&db, e.id, &[zw, ln, wf, zl, cj], 0);
    assert_eq!(status_of(&db, e.id, cj), Some(S::Waitlist));
    check_in(&db, e.id, zw, false, false).unwrap();
    let cancelled = reg_of(&db, e.id, zl).unwrap().id;
    // 赵磊 cancels: 陈静 moves up.
    set_status(&db, cancelled, S::Cancelled);
    assert_eq!(status_of(&db, e.id, cj), Some(S::Registered));
    let before = roster(&db, e.id);

    let marked = door::mark_no_shows(&db.ctx, e.id).unwrap();
    let mut expected: Vec<i64> = [ln, wf, cj]
        .iter()
        .map(|m| reg_of(&db, e.id, *m).unwrap().id)
        .collect();
    expected.sort_unstable();
    let mut got = marked.registration_ids.clone();
    got.sort_unstable();
    assert_eq!(got, expected);
    assert_eq!(marked.counts.no_show, 3);
    assert_eq!(marked.counts.registered, 0);
    assert_eq!(marked.counts.attended, 1);
    assert_eq!(marked.counts.cancelled, 1);
    assert_eq!(status_of(&db, e.id, zw), Some(S::Attended));
    assert_eq!(status_of(&db, e.id, zl), Some(S::Cancelled));
    for m in [ln, wf, cj] {
        assert_eq!(status_of(&db, e.id, m), Some(S::NoShow));
    }
    // Marking again finds nobody left.
    assert!(door::mark_no_shows(&db.ctx, e.id)
        .unwrap()
        .registration_ids
        .is_empty());

    // One late-comer arrives before Undo: only those still no-shows go back.
    check_in(&db, e.id, ln, false, false).unwrap();
    let restored = door::undo_no_shows(&db.ctx, marked.registration_ids.clone()).unwrap();
    assert_eq!(restored, 2);
    assert_eq!(status_of(&db, e.id, ln), Some(S::Attended));
    door::undo_check_in(&db.ctx, reg_of(&db, e.id, ln).unwrap().id).unwrap();
    assert_eq!(
        status_of(&db, e.id, ln),
        Some(S::NoShow),
        "its status before the check-in"
    );
    door::undo_no_shows(&db.ctx, marked.registration_ids).unwrap();
    assert_eq!(roster(&db, e.id), before, "everyone as before the marking");
}

/// Marking no-shows frees their seats (a no-show holds none); a late-comer marked by hand then
/// promotes the waitlist into those seats, and Undo puts the no-shows back on top: over capacity.
#[test]
fn undoing_no_shows_never_overfills_the_event() {
    let db = open();
    let e = new_event(&db, "周六读书会", Some(2));
    let [a, b, w] = ["张伟", "李娜", "王芳"].map(|n| member(&db, n, None));
    register(&db, e.id, &[a, b, w], 0);
    assert_eq!(status_of(&db, e.id, w), Some(S::Waitlist));
    let marked = door::mark_no_shows(&db.ctx, e.id).unwrap();
    assert_eq!(marked.registration_ids.len(), 2);
    // 张伟 was there after all: marked attended by hand in the roster.
    set_status(&db, reg_of(&db, e.id, a).unwrap().id, S::Attended);
    assert_not_overfilled(&db, e.id);
    // The manager takes the no-show marking back.
    door::undo_no_shows(&db.ctx, marked.registration_ids).unwrap();
    assert_not_overfilled(&db, e.id);
}

// ---------------------------------------------------------------------------------------------
// 6. A pasted 接龙
// ---------------------------------------------------------------------------------------------

const CHAIN: &str = "#接龙\n周六读书会 11月28日 14:00\n\n1. 张伟\n2. 李娜 尾号1234\n3. 李娜\n4. 王新人 13912345678\n5. \n6. 张伟\n";

/// 张伟 (+8613800138000) and two members called 李娜, one with a phone ending 1234.
fn jielong_community(db: &TestDb) -> (i64, i64, i64) {
    (
        member(db, "张伟", Some("13800138000")),
        member(db, "李娜", Some("13700001234")),
        member(db, "李娜", Some("13600005678")),
    )
}

fn paste(event_id: i64, text: &str, excluded_lines: Vec<u32>) -> PasteJielong {
    PasteJielong {
        event_id,
        text: text.into(),
        excluded_lines,
    }
}

fn row_at(plan: &JielongPlan, line: u32) -> &jielong::JielongRow {
    plan.rows
        .iter()
        .find(|r| r.entry.line == line)
        .unwrap_or_else(|| panic!("no row for line {line}: {:#?}", plan.rows))
}

#[test]
fn a_pasted_jielong_is_previewed_without_writing_and_applied_exactly() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let (zw, ln_1234, _ln_other) = jielong_community(&db);
    let text = "#接龙\n周六读书会 11月28日 14:00\n\n1. 张伟\n2. 李娜 尾号1234\n3. 王新人 13912345678\n4. \n5. 张伟\n";
    let before = dump(&db);

    let plan = jielong::preview(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    assert_eq!(dump(&db), before, "the preview writes nothing");
    assert_eq!(count(&db, "members"), 3);
    assert_eq!(count(&db, "registrations"), 0);

    let check = |plan: &JielongPlan| {
        assert_eq!(plan.rows.len(), 3, "{:#?}", plan.rows);
        let r = row_at(plan, 4);
        assert_eq!(r.action, JielongAction::Register);
        assert_eq!(r.member_id, Some(zw));
        assert_eq!(r.matched_by.as_deref(), Some("name"));
        assert_eq!(r.status, Some(S::Registered));
        let r = row_at(plan, 5);
        assert_eq!(r.action, JielongAction::Register);
        assert_eq!(r.member_id, Some(ln_1234));
        assert_eq!(r.matched_by.as_deref(), Some("phone_tail"));
        let r = row_at(plan, 6);
        assert_eq!(r.action, JielongAction::Create);
        assert_eq!(r.entry.name, "王新人");
        assert_eq!(r.entry.phone.as_deref(), Some("13912345678"));
        assert_eq!(r.member_name.as_deref(), Some("王新人"));
        let problems: Vec<(u32, JielongReason)> = plan
            .parse
            .problems
            .iter()
            .map(|p| (p.line, p.reason))
            .collect();
        assert_eq!(
            problems,
            [
                (7, JielongReason::NoName),
                (8, JielongReason::DuplicateName)
            ]
        );
        assert_eq!(plan.created, 1);
        assert_eq!((plan.outcome.registered, plan.outcome.waitlisted), (3, 0));
    };
    check(&plan);

    let applied = jielong::apply(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    check(&applied);
    assert_eq!(applied.created_member_ids.len(), 1);
    let new_id = applied.created_member_ids[0];
    assert_eq!(row_at(&applied, 6).member_id, Some(new_id));
    let newcomer = members::get(&db.ctx, new_id).unwrap();
    assert_eq!(newcomer.display_name, "王新人");
    assert_eq!(newcomer.source, "接龙");
    let phones: Vec<&str> = newcomer
        .identities
        .iter()
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(phones, ["+8613912345678"]);

    assert_eq!(count(&db, "members"), 4);
    assert_eq!(count(&db, "registrations"), 3);
    let mut registered: Vec<i64> = roster(&db, e.id).iter().map(|r| r.member_id).collect();
    registered.sort_unstable();
    assert_eq!(registered, [zw, ln_1234, new_id]);
    assert!(roster(&db, e.id).iter().all(|r| r.source == "jielong"));

    // Pasting the same chain again changes nothing: everyone is already registered.
    let again = jielong::apply(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    assert_eq!(again.outcome.already, 3);
    assert_eq!(again.created, 0);
    assert!(again
        .rows
        .iter()
        .all(|r| r.action == JielongAction::Already));
    assert_eq!(count(&db, "members"), 4);
    assert_eq!(count(&db, "registrations"), 3);
}

#[test]
fn a_jielong_line_the_manager_leaves_out_is_not_registered_or_created() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let (zw, _, _) = jielong_community(&db);
    let text = "1. 张伟\n2. 王新人 13912345678\n";
    let plan = jielong::apply(&db.ctx, &paste(e.id, text, vec![2])).unwrap();
    assert_eq!(row_at(&plan, 2).action, JielongAction::Excluded);
    assert_eq!(row_at(&plan, 2).member_id, None);
    assert_eq!(plan.created, 0);
    assert!(plan.created_member_ids.is_empty());
    assert_eq!(count(&db, "members"), 3);
    let registered: Vec<i64> = roster(&db, e.id).iter().map(|r| r.member_id).collect();
    assert_eq!(registered, [zw]);
}

#[test]
fn a_jielong_name_several_members_share_is_left_for_the_manager() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let (zw, _, _) = jielong_community(&db);
    // By mobile number, even with another name written.
    let text = "1. 李娜\n2. 小张 13800138000\n";
    let before = dump(&db);
    let plan = jielong::preview(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    assert_eq!(dump(&db), before);
    let r = row_at(&plan, 1);
    assert_eq!(r.action, JielongAction::Ambiguous);
    assert_eq!(r.member_id, None);
    assert_eq!(r.status, None);
    assert_eq!(row_at(&plan, 2).matched_by.as_deref(), Some("phone"));
    assert_eq!(row_at(&plan, 2).member_id, Some(zw));

    let applied = jielong::apply(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    assert_eq!(row_at(&applied, 1).action, JielongAction::Ambiguous);
    assert_eq!(applied.created, 0, "no third 李娜 is created");
    assert_eq!(count(&db, "members"), 3);
    let registered: Vec<i64> = roster(&db, e.id).iter().map(|r| r.member_id).collect();
    assert_eq!(registered, [zw]);
}

/// The brief's chain: `2. 李娜 尾号1234` and `3. 李娜` are two different people (the community has
/// two members called 李娜); the plain one should come back as ambiguous for the manager.
#[test]
fn two_namesakes_in_one_chain_are_told_apart() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let (zw, ln_1234, ln_other) = jielong_community(&db);
    let plan = jielong::preview(&db.ctx, &paste(e.id, CHAIN, vec![])).unwrap();
    assert_eq!(row_at(&plan, 4).member_id, Some(zw));
    assert_eq!(row_at(&plan, 5).member_id, Some(ln_1234));
    assert_eq!(row_at(&plan, 6).action, JielongAction::Ambiguous);
    assert_eq!(row_at(&plan, 7).action, JielongAction::Create);

    // Two namesakes each with their own tail are both registered.
    let text = "1. 李娜 尾号1234\n2. 李娜 尾号5678\n";
    let plan = jielong::apply(&db.ctx, &paste(e.id, text, vec![])).unwrap();
    assert_eq!(row_at(&plan, 1).member_id, Some(ln_1234));
    assert_eq!(row_at(&plan, 2).member_id, Some(ln_other));
}

// ---------------------------------------------------------------------------------------------
// 7. Registrations from a file
// ---------------------------------------------------------------------------------------------

const SIGN_UPS: &str = "姓名,手机号,邮箱\n张伟,13800138000,\n新朋友,13700001111,new.friend@example.com\n坏邮箱,13600002222,not-an-email\n";

fn import_options(path: &std::path::Path) -> ImportOptions {
    ImportOptions {
        path: path.to_string_lossy().into_owned(),
        utc_offset_minutes: 480,
        ..Default::default()
    }
}

#[test]
fn registrations_import_through_the_member_import_and_its_undo() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", Some("13800138000"));
    let path = write_file(&db, "报名表.csv", SIGN_UPS);
    let input = ImportRegistrations {
        event_id: e.id,
        options: import_options(&path),
    };
    let before = dump(&db);

    let plan = reg_import::preview(&db.ctx, &input).unwrap();
    assert_eq!(dump(&db), before, "the preview writes nothing");
    assert_eq!(plan.batch_id, None);
    assert_eq!(plan.counts.rows, 3);
    // Issue 14: the bad email is left out and flagged; 坏邮箱 is imported and registered by phone.
    assert_eq!(plan.counts.create, 2);
    assert_eq!(plan.counts.update + plan.counts.skip, 1, "张伟 is matched");
    assert_eq!((plan.counts.invalid, plan.counts.flagged), (0, 1));
    assert_eq!(plan.outcome.registered, 3);
    let preview = plan.preview.as_ref().unwrap();
    let matched = preview.rows.iter().find(|r| r.line == 2).unwrap();
    assert_eq!(matched.member_id, Some(zw));
    assert_eq!(matched.matched_by.as_deref(), Some("phone"));
    let bad = preview.rows.iter().find(|r| !r.flags.is_empty()).unwrap();
    assert_eq!((bad.line, bad.action), (4, RowAction::Create));
    assert_eq!(bad.flags[0].field, "email");
    assert_eq!(bad.flags[0].value, "not-an-email");
    assert_eq!(
        preview.rows.iter().find(|r| r.line == 3).unwrap().action,
        RowAction::Create
    );

    let done = reg_import::apply(&db.ctx, &input, &|_| {}, &AtomicBool::new(false)).unwrap();
    let batch = done.batch_id.unwrap();
    assert_eq!((done.outcome.registered, done.outcome.waitlisted), (3, 0));
    assert_eq!((done.counts.invalid, done.counts.flagged), (0, 1));
    assert_eq!(
        count(&db, "members"),
        3,
        "张伟, 新朋友 and 坏邮箱 (without the bad email)"
    );
    let list = roster(&db, e.id);
    assert_eq!(list.len(), 3);
    let source = format!("import:{batch}");
    assert!(list.iter().all(|r| r.source == source), "{list:#?}");
    let newcomer = list.iter().find(|r| r.member_name == "新朋友").unwrap();
    assert_eq!(newcomer.member_name, "新朋友");
    assert_eq!(newcomer.phone.as_deref(), Some("+8613700001111"));
    let new_id = newcomer.member_id;

    let undone = import::undo(&db.ctx, batch).unwrap();
    assert_eq!(undone.removed, 2);
    assert_eq!(
        members::get(&db.ctx, new_id).unwrap_err().code,
        ErrorCode::NotFound
    );
    let left: i64 = conn(&db)
        .query_row(
            "SELECT count(*) FROM registrations WHERE member_id = ?1",
            [new_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the created member's registration goes with them");
    assert_eq!(count(&db, "members"), 1);
    assert_eq!(
        event(&db, e.id).counts.registered,
        roster(&db, e.id).len() as u32
    );
}

#[test]
fn registrations_import_into_a_cancelled_event_writes_nothing() {
    let db = open();
    let e = events::create(
        &db.ctx,
        EventDraft {
            status: EventStatus::Cancelled,
            ..event_draft("取消了", None)
        },
    )
    .unwrap();
    member(&db, "张伟", Some("13800138000"));
    let path = write_file(&db, "报名表.csv", SIGN_UPS);
    let before = dump(&db);
    let err = reg_import::apply(
        &db.ctx,
        &ImportRegistrations {
            event_id: e.id,
            options: import_options(&path),
        },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::EventClosed);
    assert_eq!(dump(&db), before, "no member, no batch, no registration");
}

// ---------------------------------------------------------------------------------------------
// 8. Feedback
// ---------------------------------------------------------------------------------------------

#[test]
fn feedback_import_links_answers_reports_bad_rows_and_the_outcome_adds_up() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", Some("13800138000"));
    let ln = member(&db, "李娜", None);
    let [a, b] = ["赵磊", "陈静"].map(|n| member(&db, n, None));
    register(&db, e.id, &[zw, ln, a, b], 0);
    for m in [zw, ln, a] {
        set_status(&db, reg_of(&db, e.id, m).unwrap().id, S::Attended);
    }
    set_status(&db, reg_of(&db, e.id, b).unwrap().id, S::NoShow);

    let path = write_file(
        &db,
        "问卷星.csv",
        "姓名,手机,满意度,推荐意愿,意见\n\
         张伟,13800138000,5,10,嘉宾很棒\n\
         李娜,,4,9,不错\n\
         王芳,,3,6,场地太挤\n\
         赵磊,,4,11分,\n\
         ,,4,8,匿名的意见\n",
    );
    let out = feedback::import(&db.ctx, e.id, &path).unwrap();
    assert_eq!(out.ids.len(), 4);
    assert_eq!(out.linked, 2, "张伟 by phone, 李娜 by her unique name");
    assert_eq!(
        out.anonymous, 2,
        "王芳 is no member; the last row has no name"
    );
    assert_eq!(out.invalid.len(), 1);
    let bad = &out.invalid[0];
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    assert_eq!(bad.field.as_deref(), Some("nps"));
    assert_eq!(bad.params.get("line").map(String::as_str), Some("5"));
    assert_eq!(bad.params.get("value").map(String::as_str), Some("11分"));

    let answers = feedback::list(&db.ctx, e.id).unwrap();
    assert_eq!(answers.len(), 4);
    assert!(
        answers.iter().all(|f| f.member_id != Some(a)),
        "the bad row is not written"
    );
    let linked: Vec<(Option<i64>, Option<u8>, Option<u8>)> = answers
        .iter()
        .map(|f| (f.member_id, f.score, f.nps))
        .collect();
    assert_eq!(
        linked,
        [
            (Some(zw), Some(5), Some(10)),
            (Some(ln), Some(4), Some(9)),
            (None, Some(3), Some(6)),
            (None, Some(4), Some(8)),
        ]
    );
    assert_eq!(answers[0].member_name.as_deref(), Some("张伟"));
    assert_eq!(answers[2].comment, "场地太挤");
    assert!(answers.iter().all(|f| f.source == "问卷星.csv"));

    let o = feedback::outcome(&db.ctx, e.id).unwrap();
    // NPS by hand: 10 and 9 promote, 8 is passive, 6 detracts: (2 − 1) / 4 × 100.
    assert_eq!((o.promoters, o.passives, o.detractors), (2, 1, 1));
    assert_eq!(o.nps, Some((2.0 - 1.0) / 4.0 * 100.0));
    assert_eq!(o.responses, 4);
    assert_eq!(o.average_score, Some((5.0 + 4.0 + 3.0 + 4.0) / 4.0));
    assert_eq!(o.attendance_rate, Some(3.0 / 4.0));
    assert_eq!(o.no_show_rate, Some(1.0 / 4.0));
    assert_eq!((o.counts.attended, o.counts.no_show), (3, 1));

    // One typed answer from a detractor: 2 promoters, 2 detractors of 5.
    feedback::add(
        &db.ctx,
        FeedbackDraft {
            event_id: e.id,
            member_id: Some(a),
            score: Some(2),
            nps: Some(0),
            comment: " 太吵了 ".into(),
        },
    )
    .unwrap();
    let o = feedback::outcome(&db.ctx, e.id).unwrap();
    assert_eq!(o.nps, Some(0.0));
    assert_eq!(o.average_score, Some(18.0 / 5.0));

    // Out-of-range scores and empty answers are refused with their field.
    for (score, nps, field) in [
        (Some(6), None, "score"),
        (Some(0), None, "score"),
        (None, Some(11), "nps"),
    ] {
        let err = feedback::add(
            &db.ctx,
            FeedbackDraft {
                event_id: e.id,
                member_id: None,
                score,
                nps,
                comment: String::new(),
            },
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field));
    }
    let empty = feedback::add(
        &db.ctx,
        FeedbackDraft {
            event_id: e.id,
            member_id: None,
            score: None,
            nps: None,
            comment: "  ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(empty.code, ErrorCode::Required);
    assert_eq!(feedback::list(&db.ctx, e.id).unwrap().len(), 5);

    // Undo of the import removes exactly its answers.
    feedback::remove(&db.ctx, out.ids).unwrap();
    let left = feedback::list(&db.ctx, e.id).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].comment, "太吵了");
}

#[test]
fn an_event_without_marks_or_answers_has_no_rates() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    register(&db, e.id, &[member(&db, "张伟", None)], 0);
    let o = feedback::outcome(&db.ctx, e.id).unwrap();
    assert_eq!(o.attendance_rate, None);
    assert_eq!(o.no_show_rate, None);
    assert_eq!(o.nps, None);
    assert_eq!(o.average_score, None);
    assert_eq!(o.responses, 0);
}

// ---------------------------------------------------------------------------------------------
// 9. Merges
// ---------------------------------------------------------------------------------------------

#[test]
fn merging_members_moves_registrations_and_undo_moves_them_back() {
    let db = open();
    let e1 = new_event(&db, "读书会", None);
    let e2 = events::create(
        &db.ctx,
        EventDraft {
            starts_local: "2026-12-05T14:00".into(),
            ends_local: "2026-12-05T17:00".into(),
            ..event_draft("年终聚会", None)
        },
    )
    .unwrap();
    let a = member(&db, "张伟", Some("13800138000"));
    let b = member(&db, "張偉", Some("13900139000"));
    register(&db, e1.id, &[a, b], 0);
    register(&db, e2.id, &[b], 0);
    check_in(&db, e1.id, b, false, false).unwrap();
    let a_e1 = reg_of(&db, e1.id, a).unwrap().id;
    let b_e1 = reg_of(&db, e1.id, b).unwrap().id;
    let b_e2 = reg_of(&db, e2.id, b).unwrap().id;
    let before = registration_rows(&db);
    let owner = |id: i64| -> i64 {
        conn(&db)
            .query_row(
                "SELECT member_id FROM registrations WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };

    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(owner(b_e2), a, "A now holds event 2's registration");
    assert_eq!(owner(a_e1), a, "and keeps their own for event 1");
    assert_eq!(owner(b_e1), b, "B's event-1 registration stays with B");
    assert_eq!(count(&db, "registrations"), 3);
    let e2_roster = roster(&db, e2.id);
    assert_eq!(e2_roster.len(), 1);
    assert_eq!(e2_roster[0].member_id, a);
    assert_eq!(e2_roster[0].member_name, "张伟");
    assert_eq!(e2_roster[0].phone.as_deref(), Some("+8613800138000"));
    // A's own event-1 registration is untouched by B's.
    assert_eq!(status_of(&db, e1.id, a), Some(S::Registered));

    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    assert_eq!(
        registration_rows(&db),
        before,
        "every registration exactly as before"
    );
    assert_eq!(owner(b_e2), b);
    assert_eq!(status_of(&db, e1.id, b), Some(S::Attended));
    assert_eq!(count(&db, "merge_registrations"), 0);
}

// ---------------------------------------------------------------------------------------------
// 10. Erase
// ---------------------------------------------------------------------------------------------

#[test]
fn erasing_a_member_removes_their_registrations_and_feedback() {
    let db = open();
    let e = new_event(&db, "读书会", None);
    let victim = member(&db, "隐私张三", Some("13712345678"));
    let keep = member(&db, "李娜", Some("13800138000"));
    register(&db, e.id, &[victim, keep], 0);
    check_in(&db, e.id, victim, false, false).unwrap();
    let e2 = new_event(&db, "另一场", None);
    register(&db, e2.id, &[victim], 0);
    for (m, comment) in [(victim, "住在某某小区附近"), (keep, "很好")] {
        feedback::add(
            &db.ctx,
            FeedbackDraft {
                event_id: e.id,
                member_id: Some(m),
                score: Some(5),
                nps: Some(10),
                comment: comment.into(),
            },
        )
        .unwrap();
    }

    let out = members::erase(&db.ctx, EraseMembers { ids: vec![victim] }).unwrap();
    assert_eq!(out.erased, 1);
    let c = conn(&db);
    for table in ["registrations", "event_feedback"] {
        let n: i64 = c
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE member_id = ?1"),
                [victim],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "{table} still holds the erased member");
    }
    let text = dump(&db);
    for secret in ["隐私张三", "13712345678", "某某小区"] {
        assert!(!text.contains(secret), "{secret} left in a table");
    }
    // Everyone else is untouched.
    assert_eq!(roster(&db, e.id).len(), 1);
    assert_eq!(status_of(&db, e.id, keep), Some(S::Registered));
    assert_eq!(feedback::list(&db.ctx, e.id).unwrap().len(), 1);
    let e1 = event(&db, e.id);
    assert_eq!((e1.counts.registered, e1.counts.attended), (1, 0));
    assert!(roster(&db, e2.id).is_empty());
}

/// A seat freed by erasing a member should move the waitlist up, as a cancellation does.
#[test]
fn a_seat_freed_by_erasing_a_member_goes_to_the_waitlist() {
    let db = open();
    let e = new_event(&db, "小型工作坊", Some(1));
    let victim = member(&db, "隐私张三", Some("13712345678"));
    let waiting = member(&db, "李娜", None);
    register(&db, e.id, &[victim, waiting], 0);
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
    members::erase(&db.ctx, EraseMembers { ids: vec![victim] }).unwrap();
    let after = event(&db, e.id);
    assert_eq!(status_of(&db, e.id, waiting), Some(S::Registered));
    assert_eq!(after.counts.seats_taken, 1);
    assert_eq!(after.status, EventStatus::Full);
}

/// Undoing an import that registered a newcomer frees their seat: the waitlist moves up.
#[test]
fn a_seat_freed_by_undoing_a_registration_import_goes_to_the_waitlist() {
    let db = open();
    let e = new_event(&db, "小型工作坊", Some(1));
    let path = write_file(&db, "one.csv", "姓名,手机号\n新朋友,13700001111\n");
    let done = reg_import::apply(
        &db.ctx,
        &ImportRegistrations {
            event_id: e.id,
            options: import_options(&path),
        },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
    let waiting = member(&db, "李娜", None);
    register(&db, e.id, &[waiting], 0);
    assert_eq!(status_of(&db, e.id, waiting), Some(S::Waitlist));
    import::undo(&db.ctx, done.batch_id.unwrap()).unwrap();
    assert_eq!(status_of(&db, e.id, waiting), Some(S::Registered));
    assert_eq!(event(&db, e.id).counts.seats_taken, 1);
}

// ---------------------------------------------------------------------------------------------
// 11. Attendee export
// ---------------------------------------------------------------------------------------------

/// 张伟 registered with a phone, 李娜 cancelled, 王芳 checked in with a friend, 赵磊 waiting.
fn attendees_event(db: &TestDb) -> i64 {
    let e = new_event(db, "周六读书会", Some(3));
    let zw = member(db, "张伟", Some("13800138000"));
    let ln = member(db, "李娜", None);
    let wf = member(db, "王芳", None);
    let zl = member(db, "赵磊", None);
    register(db, e.id, &[zw, ln], 0);
    set_status(db, reg_of(db, e.id, ln).unwrap().id, S::Cancelled);
    register(db, e.id, &[wf], 1);
    register(db, e.id, &[zl], 0);
    assert_eq!(status_of(db, e.id, zl), Some(S::Waitlist), "3 seats taken");
    check_in(db, e.id, wf, false, false).unwrap();
    e.id
}

fn export_to(
    db: &TestDb,
    event_id: i64,
    name: &str,
    format: AttendeeFormat,
    zh: bool,
) -> (PathBuf, u32) {
    let path = db.dir.path().join(name);
    let n = export::attendees(
        &db.ctx,
        &ExportAttendees {
            event_id,
            path: path.to_string_lossy().into_owned(),
            format,
            zh,
            order: RosterOrder::Registered,
        },
    )
    .unwrap();
    (path, n)
}

#[test]
fn attendees_export_as_csv_with_bom_and_chinese_headers() {
    let db = open();
    let id = attendees_event(&db);
    let (path, n) = export_to(&db, id, "签到表.csv", AttendeeFormat::Csv, true);
    assert_eq!(n, 4, "one row per registration, cancelled ones too");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "序号,姓名,手机,状态,同行人数,备注,报名时间,签到时间,来源"
    );
    assert_eq!(lines.len(), 5);
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    let by_name = |name: &str| rows.iter().find(|r| r[1] == name).unwrap();
    let zw = by_name("张伟");
    assert_eq!(zw[0], "1");
    // A leading `+` is neutralised for spreadsheets; Hearth's importer takes the `'` off again.
    assert_eq!(zw[2], "'+8613800138000");
    assert_eq!(zw[3], "已报名");
    // 09:30 UTC is 17:30 in Shanghai.
    assert_eq!(zw[6], "2026-11-25 17:30");
    assert_eq!(zw[7], "");
    assert_eq!(zw[8], "manual");
    assert_eq!(by_name("李娜")[3], "已取消");
    let wf = by_name("王芳");
    assert_eq!((wf[3], wf[4], wf[7]), ("已签到", "1", "2026-11-25 17:30"));
    assert_eq!(by_name("赵磊")[3], "候补");
    assert!(!db.dir.path().join("签到表.csv.part").exists());

    let (path, _) = export_to(&db, id, "attendees.csv", AttendeeFormat::Csv, false);
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text
        .trim_start_matches('\u{feff}')
        .starts_with("No.,Name,Phone,Status,Companions,Note,Registered,Checked in,Source"));
    assert!(text.contains(",Checked in,"));
    assert!(text.contains(",Waitlist,"));
}

#[test]
fn attendees_export_as_xlsx_keeps_the_phone_as_text() {
    let db = open();
    let id = attendees_event(&db);
    let (path, n) = export_to(&db, id, "签到表.xlsx", AttendeeFormat::Xlsx, true);
    assert_eq!(n, 4);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][1], Data::String("姓名".into()));
    assert_eq!(rows[0][2], Data::String("手机".into()));
    let zw = rows
        .iter()
        .find(|r| r[1] == Data::String("张伟".into()))
        .unwrap();
    assert_eq!(
        zw[2],
        Data::String("+8613800138000".into()),
        "a string, not a number"
    );
    assert_eq!(zw[3], Data::String("已报名".into()));
    for row in &rows[1..] {
        for cell in row.iter() {
            assert!(
                matches!(cell, Data::String(_) | Data::Empty),
                "every cell is text: {cell:?}"
            );
        }
    }
    assert!(!db.dir.path().join("签到表.xlsx.part").exists());
}

// ---------------------------------------------------------------------------------------------
// 12. The demo community
// ---------------------------------------------------------------------------------------------

#[test]
fn the_demo_has_past_and_upcoming_events_and_never_overfills() {
    let db = common::open_demo();
    let all = events::list(&db.ctx, &EventRange::default()).unwrap();
    assert_eq!(all.len(), 6);
    assert!(count(&db, "registrations") > 0);
    let with_people = all.iter().filter(|e| !roster(&db, e.id).is_empty()).count();
    assert!(with_people >= 5, "{with_people} events have registrations");

    let past_with_everything = all.iter().any(|e| {
        e.ends_at.as_str() < NOW
            && e.counts.attended > 0
            && e.counts.no_show > 0
            && !feedback::list(&db.ctx, e.id).unwrap().is_empty()
    });
    assert!(
        past_with_everything,
        "a past event with check-ins, no-shows and feedback"
    );
    assert!(
        all.iter()
            .any(|e| e.starts_at.as_str() > NOW && e.status == EventStatus::Open),
        "an upcoming event open for registration"
    );
    for e in &all {
        if let Some(c) = e.capacity {
            assert!(
                e.counts.seats_taken <= c,
                "{}: {} seats of {c}",
                e.title,
                e.counts.seats_taken
            );
            if matches!(e.status, EventStatus::Open | EventStatus::Full) {
                assert_eq!(
                    e.status == EventStatus::Full,
                    e.counts.seats_taken >= c,
                    "{}: status {:?} with {} of {c} seats",
                    e.title,
                    e.status,
                    e.counts.seats_taken
                );
            }
        }
        // The roster shows every registration the counts include.
        let c = &e.counts;
        let total = c.registered + c.waitlist + c.cancelled + c.attended + c.no_show + c.walk_in;
        assert_eq!(roster(&db, e.id).len() as u32, total, "{}", e.title);
        // Past events are reported with outcome rates.
        if e.ends_at.as_str() < NOW && c.attended > 0 {
            let o = feedback::outcome(&db.ctx, e.id).unwrap();
            let rate = o.attendance_rate.unwrap();
            assert!((0.0..=1.0).contains(&rate));
        }
    }
}

#[test]
fn a_member_moved_to_the_trash_frees_their_seat_and_waits_when_restored() {
    use hearth_core::ops::members::{self, DeleteMembers};
    let db = open();
    let e = new_event(&db, "小型沙龙", Some(1));
    let a = member(&db, "甲", None);
    let b = member(&db, "乙", None);
    register(&db, e.id, &[a, b], 0);
    assert_eq!(status_of(&db, e.id, b), Some(S::Waitlist));
    members::delete(&db.ctx, DeleteMembers { ids: vec![a] }).unwrap();
    assert_eq!(
        status_of(&db, e.id, b),
        Some(S::Registered),
        "the seat went to the waitlist"
    );
    members::restore(&db.ctx, DeleteMembers { ids: vec![a] }).unwrap();
    assert_eq!(
        status_of(&db, e.id, a),
        Some(S::Waitlist),
        "back from the trash, the seat is taken: they wait"
    );
    assert_not_overfilled(&db, e.id);
    assert_eq!(event(&db, e.id).status, EventStatus::Full);
}

#[test]
fn moving_someone_to_the_waitlist_by_hand_sticks() {
    let db = open();
    let e = new_event(&db, "小型沙龙", Some(2));
    let a = member(&db, "甲", None);
    let b = member(&db, "乙", None);
    register(&db, e.id, &[a, b], 0);
    let reg = reg_of(&db, e.id, a).unwrap();
    let changed = set_status(&db, reg.id, S::Waitlist);
    assert_eq!(changed.registration.status, S::Waitlist);
    assert!(changed.promoted.is_empty());
    assert_eq!(status_of(&db, e.id, a), Some(S::Waitlist));
}

#[test]
fn survey_scores_with_decimals_round_and_other_scales_are_refused() {
    let db = open();
    let e = new_event(&db, "复盘会", None);
    let file = write_file(
        &db,
        "问卷.csv",
        "满意度,推荐意愿,意见\n4.5,9.5,好\n3/10,8,量表不对\n5/5,10分,很好\n",
    );
    let out = feedback::import(&db.ctx, e.id, &file).unwrap();
    assert_eq!(out.ids.len(), 2);
    assert_eq!(out.invalid.len(), 1);
    assert_eq!(out.invalid[0].field.as_deref(), Some("score"));
    assert_eq!(out.invalid[0].params["line"], "3");
    let answers = feedback::list(&db.ctx, e.id).unwrap();
    let scores: Vec<(Option<u8>, Option<u8>)> = answers.iter().map(|f| (f.score, f.nps)).collect();
    assert_eq!(scores, [(Some(5), Some(10)), (Some(5), Some(10))]);
    // An answer for a member that does not exist is refused by name, not by the database.
    let err = feedback::add(
        &db.ctx,
        FeedbackDraft {
            event_id: e.id,
            member_id: Some(999),
            score: Some(4),
            nps: None,
            comment: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, hearth_core::ErrorCode::NotFound);
}

#[test]
fn a_jielong_name_with_another_phone_is_another_person_and_a_trashed_number_is_asked_about() {
    use hearth_core::ops::members::{self as m, DeleteMembers};
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", Some("13900000002"));
    let gone = member(&db, "赵六", Some("13700000007"));
    m::delete(&db.ctx, DeleteMembers { ids: vec![gone] }).unwrap();
    let plan = jielong::apply(
        &db.ctx,
        &paste(
            e.id,
            "1. 张伟 13800000001\n2. 张伟 尾号9999\n3. 张伟 尾号0002\n4. 赵六 13700000007\n",
            vec![],
        ),
    )
    .unwrap();
    let actions: Vec<JielongAction> = plan.rows.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            JielongAction::Create,
            JielongAction::Ambiguous,
            JielongAction::Register,
            JielongAction::Ambiguous
        ]
    );
    assert_eq!(
        plan.rows[2].member_id,
        Some(zw),
        "the tail 0002 is the 张伟 on file"
    );
    assert_ne!(
        plan.rows[0].member_id,
        Some(zw),
        "another phone: another 张伟"
    );
    assert_eq!(roster(&db, e.id).len(), 2);
}

#[test]
fn a_party_larger_than_the_event_never_holds_up_the_waitlist() {
    let db = open();
    let e = new_event(&db, "小型沙龙", Some(2));
    let big = member(&db, "甲", None);
    let next = member(&db, "乙", None);
    register(&db, e.id, &[big], 2);
    assert_eq!(status_of(&db, e.id, big), Some(S::Waitlist));
    register(&db, e.id, &[next], 0);
    assert_eq!(
        status_of(&db, e.id, next),
        Some(S::Registered),
        "乙 is not stuck behind 甲's party of 3"
    );
    assert_not_overfilled(&db, e.id);
}

#[test]
fn undoing_a_registration_import_takes_back_every_registration_it_made_in_one_step() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", Some("13800138000"));
    let path = write_file(&db, "报名表.csv", SIGN_UPS);
    let input = ImportRegistrations {
        event_id: e.id,
        options: import_options(&path),
    };
    let done = reg_import::apply(&db.ctx, &input, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert!(reg_of(&db, e.id, zw).is_some());
    reg_import::undo(
        &db.ctx,
        &done.outcome.registration_ids,
        done.batch_id.unwrap(),
    )
    .unwrap();
    assert!(
        reg_of(&db, e.id, zw).is_none(),
        "the matched member's registration goes too"
    );
    assert_eq!(count(&db, "members"), 1);
    assert_eq!(roster(&db, e.id).len(), 0);
}

#[test]
fn undoing_a_pasted_jielong_removes_its_registrations_and_trashes_the_members_it_made() {
    let db = open();
    let e = new_event(&db, "周六读书会", None);
    let zw = member(&db, "张伟", None);
    let plan = jielong::apply(&db.ctx, &paste(e.id, "1. 张伟\n2. 新朋友甲\n", vec![])).unwrap();
    assert_eq!(roster(&db, e.id).len(), 2);
    let removed = jielong::undo(
        &db.ctx,
        &plan.outcome.registration_ids,
        &plan.created_member_ids,
    )
    .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(roster(&db, e.id).len(), 0);
    assert!(
        members::get(&db.ctx, zw).is_ok(),
        "张伟 was there before and stays"
    );
    assert_eq!(
        members::get(&db.ctx, plan.created_member_ids[0])
            .unwrap_err()
            .code,
        ErrorCode::NotFound,
        "the member the chain created is in the trash"
    );
}
