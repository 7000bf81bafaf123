//! Events as iCalendar files: what `io::ics::write` produces is read back with a real parser
//! (the `icalendar` crate) and every value comes back as given, including long Chinese titles
//! that have to be folded and descriptions full of characters TEXT must escape.

use chrono::{DateTime, TimeZone, Utc};
use hearth_core::io::ics::{write, IcsEvent};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike, EventStatus};

const LONG_TITLE: &str =
    "2024 年冬季读书会第十二期：《三体》全书精读与讨论，欢迎新朋友带上自己的问题一起来";
const DESCRIPTION: &str = "议程：签到, 分享; 自由讨论\\茶歇\n第二行\r\n第三行：带上书。";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn events() -> Vec<IcsEvent<'static>> {
    vec![
        IcsEvent {
            uid: "event-12@hearth.local",
            title: LONG_TITLE,
            description: DESCRIPTION,
            location: "静安区图书馆 3 楼, 报告厅; 北门进",
            url: None,
            starts_at: at(2024, 11, 30, 6, 0),
            ends_at: at(2024, 11, 30, 8, 30),
            time_zone: "Asia/Shanghai",
            stamp: at(2024, 11, 1, 2, 3),
            status: "CONFIRMED",
            categories: Vec::new(),
        },
        IcsEvent {
            uid: "event-13@hearth.local",
            title: "Online meetup, cancelled",
            description: "",
            location: "",
            url: Some("https://meet.example.com/abc-defg-hij?pwd=x,y;z"),
            starts_at: at(2024, 12, 7, 12, 0),
            ends_at: at(2024, 12, 7, 13, 0),
            time_zone: "Asia/Shanghai",
            stamp: at(2024, 11, 1, 2, 3),
            status: "CANCELLED",
            categories: Vec::new(),
        },
    ]
}

fn utc(p: Option<DatePerhapsTime>) -> DateTime<Utc> {
    match p {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
        other => panic!("expected a UTC date-time, got {other:?}"),
    }
}

#[test]
fn a_real_parser_reads_every_value_back() {
    let ics = write(&events());
    let calendar: Calendar = ics.parse().expect("icalendar parses the file");
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
    assert_eq!(calendar.property_value("CALSCALE"), Some("GREGORIAN"));
    assert!(calendar
        .property_value("PRODID")
        .is_some_and(|p| p.contains("Hearth")));
    assert_eq!(
        calendar.property_value("X-WR-TIMEZONE"),
        Some("Asia/Shanghai")
    );

    let parsed: Vec<_> = calendar.events().collect();
    assert_eq!(parsed.len(), 2);

    let first = parsed[0];
    assert_eq!(first.get_uid(), Some("event-12@hearth.local"));
    assert_eq!(first.get_summary(), Some(LONG_TITLE));
    // Line breaks of any kind come back as `\n`.
    assert_eq!(
        first.get_description(),
        Some(DESCRIPTION.replace("\r\n", "\n").as_str())
    );
    assert_eq!(
        first.get_location(),
        Some("静安区图书馆 3 楼, 报告厅; 北门进")
    );
    assert_eq!(utc(first.get_start()), at(2024, 11, 30, 6, 0));
    assert_eq!(utc(first.get_end()), at(2024, 11, 30, 8, 30));
    assert_eq!(first.get_timestamp(), Some(at(2024, 11, 1, 2, 3)));
    assert_eq!(first.get_status(), Some(EventStatus::Confirmed));
    assert_eq!(first.get_url(), None);

    let second = parsed[1];
    assert_eq!(second.get_uid(), Some("event-13@hearth.local"));
    assert_eq!(second.get_summary(), Some("Online meetup, cancelled"));
    assert_eq!(second.get_description(), None);
    assert_eq!(second.get_location(), None);
    assert_eq!(
        second.get_url(),
        Some("https://meet.example.com/abc-defg-hij?pwd=x,y;z")
    );
    assert_eq!(utc(second.get_start()), at(2024, 12, 7, 12, 0));
    assert_eq!(utc(second.get_end()), at(2024, 12, 7, 13, 0));
    assert_eq!(second.get_status(), Some(EventStatus::Cancelled));
}

#[test]
fn lines_are_crlf_and_folded_at_75_octets() {
    let ics = write(&events());
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "no bare CR or LF"
    );
    let lines: Vec<&str> = ics.split_terminator("\r\n").collect();
    for l in &lines {
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
    }
    // The long Chinese title really was folded, and each piece is whole UTF-8 (a `&str`).
    let start = lines
        .iter()
        .position(|l| l.starts_with("SUMMARY:"))
        .unwrap();
    assert!(
        lines[start + 1].starts_with(' '),
        "the title continues on the next line"
    );
    assert!(LONG_TITLE.len() + "SUMMARY:".len() > 75);
    // Unfolding gives the escaped content line back.
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("SUMMARY:{LONG_TITLE}\r\n")));
    assert!(unfolded.contains(
        "DESCRIPTION:议程：签到\\, 分享\\; 自由讨论\\\\茶歇\\n第二行\\n第三行：带上书。\r\n"
    ));
    assert!(unfolded.contains("DTSTART:20241130T060000Z\r\n"));
    assert!(unfolded.contains("DTEND:20241130T083000Z\r\n"));
    assert!(unfolded.contains("STATUS:CANCELLED\r\n"));
}

#[test]
fn mixed_time_zones_and_odd_statuses() {
    let mut list = events();
    list[1].time_zone = "Europe/Berlin";
    list[1].status = "postponed";
    list[0].status = "tentative";
    let ics = write(&list);
    let calendar: Calendar = ics.parse().unwrap();
    assert_eq!(
        calendar.property_value("X-WR-TIMEZONE"),
        None,
        "no single zone to announce"
    );
    let parsed: Vec<_> = calendar.events().collect();
    assert_eq!(parsed[0].get_status(), Some(EventStatus::Tentative));
    assert_eq!(
        parsed[1].get_status(),
        None,
        "an unknown status is left out"
    );
    assert_eq!(
        parsed[1].property_value("X-HEARTH-TIME-ZONE"),
        Some("Europe/Berlin")
    );

    let empty = write(&[]);
    assert_eq!(
        empty,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hearth//社群运营台//ZH\r\nCALSCALE:GREGORIAN\r\n\
         METHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
    );
}
