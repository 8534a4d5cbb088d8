//! A calendar larger than `PARALLEL_FROM` is read on several threads, in runs of events;
//! it must come out exactly as when read on one: every session (ids, text, times, rooms,
//! tracks), every warning and its line, the name, key and zone.

use std::fmt::Write;

use chrono_tz::Tz;
use hallway::calendar::{Calendar, LoadOptions, PARALLEL_FROM};

/// A calendar of `events` events with what makes runs of events depend on one another:
/// zones known, unknown and defined by a VTIMEZONE, recurring events and overrides of
/// them, UIDs that repeat across the file, events skipped for want of a DTSTART,
/// escaped and folded text, rooms and tracks shared by many events.
fn calendar(events: usize) -> String {
    let mut ics = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//parallel//EN\r\nX-WR-CALNAME:Parallel\r\n\
         BEGIN:VTIMEZONE\r\nTZID:Custom Central\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
         TZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n\
         RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n",
    );
    let zones = [
        "Europe/Paris",
        "Custom Central",
        "Mars/Olympus_Mons",
        "W. Europe Standard Time",
    ];
    let words = [
        "kernels",
        "latency",
        "compilers",
        "graphs",
        "sharding",
        "privacy",
        "serving",
    ];
    for i in 0..events {
        let day = 7 + i % 3;
        let (hour, minute) = (8 + (i / 7) % 10, (i * 5) % 60);
        let uid = if i % 101 == 0 {
            format!("shared-{}", i % 3)
        } else {
            format!("event-{i}")
        };
        let title: Vec<&str> = (0..6).map(|k| words[(i + k * 3) % words.len()]).collect();
        writeln!(ics, "BEGIN:VEVENT\r\nUID:{uid}\r").unwrap();
        if i % 997 != 5 {
            let zone = zones[(i / 1000) % zones.len()];
            writeln!(
                ics,
                "DTSTART;TZID={zone}:202604{day:02}T{hour:02}{minute:02}00\r\n\
                 DTEND;TZID={zone}:202604{day:02}T{hour:02}{:02}00\r",
                (minute + 4) % 60
            )
            .unwrap();
        }
        writeln!(
            ics,
            "SUMMARY:{} - Ann Lee\\, Arm & Bo Chan\\, Meta\r\nDESCRIPTION:{}\\nsecond line {i}\r\n \
             folded on\r\nLOCATION:Room {}\\, Paris\\, France\r\nCATEGORIES:TRACK {},{}\r",
            title.join(" "),
            title.join(" ").repeat(4),
            i % 40,
            i % 9,
            words[i % words.len()].to_uppercase()
        )
        .unwrap();
        if i % 500 == 3 {
            ics.push_str("RRULE:FREQ=DAILY;COUNT=3\r\n");
        }
        if i % 500 == 4 {
            ics.push_str("RECURRENCE-ID:20260407T100000Z\r\n");
        }
        ics.push_str("END:VEVENT\r\n");
    }
    ics.push_str("END:VCALENDAR\r\n");
    ics
}

#[test]
fn a_large_calendar_reads_the_same_on_several_threads_as_on_one() {
    let ics = calendar(11_000);
    assert!(ics.len() > PARALLEL_FROM, "{} bytes", ics.len());
    let options = LoadOptions::new("parallel.ics", None, Tz::UTC);
    let parallel = Calendar::parse(ics.as_bytes(), &options).unwrap();
    let single = Calendar::parse(ics.as_bytes(), &options.single_threaded()).unwrap();
    assert!(
        parallel.sessions.len() > 10_000,
        "{}",
        parallel.sessions.len()
    );
    for expected in ["Mars/Olympus_Mons", "skipped"] {
        assert!(
            single.warnings.iter().any(|w| w.message.contains(expected)),
            "{expected}: {:?}",
            single.warnings
        );
    }
    assert_eq!(parallel.warnings, single.warnings);
    assert_eq!(
        (&parallel.name, &parallel.key, parallel.zone),
        (&single.name, &single.key, single.zone)
    );
    assert_eq!(parallel.sessions.len(), single.sessions.len());
    for (p, s) in parallel.sessions.iter().zip(&single.sessions) {
        assert_eq!(p, s);
    }
}
