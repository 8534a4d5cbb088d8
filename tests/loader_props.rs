//! Whatever bytes arrive, the loader answers `Ok` or `Err`: never a panic, never a hang;
//! and what it loads has unique ids and nothing a terminal would act on.

use std::collections::HashSet;

use chrono_tz::Tz;
use hallway::calendar::{Calendar, LoadOptions};
use proptest::prelude::*;

fn load(bytes: &[u8]) {
    let Ok(cal) = Calendar::parse(bytes, &LoadOptions::new("prop", None, Tz::UTC)) else {
        return;
    };
    let shown = |c: char| {
        !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let mut ids = HashSet::new();
    for s in &cal.sessions {
        assert!(ids.insert(s.id.as_str()), "repeated id {:?}", s.id);
        for text in [&s.title, &s.room, &s.id].into_iter().chain(&s.tracks) {
            assert!(text.chars().all(shown), "{text:?}");
        }
        assert!(s.description.chars().all(|c| c == '\n' || shown(c)));
    }
}

/// Lines that look like iCalendar, with values drawn from what breaks parsers.
fn ics_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just(String::new()),
        "[0-9]{0,9}T?[0-9]{0,7}Z?",
        "(FREQ=(SECONDLY|MINUTELY|DAILY|WEEKLY|YEARLY|NONSENSE))(;(COUNT|INTERVAL|UNTIL|BYDAY|BYMONTH|BYSETPOS|BYHOUR|X-A)=[-0-9A-Z,]{0,12}){0,4}",
        "[-+]?P[0-9]{0,12}[WDTHMS]{0,4}",
        "\\PC{0,40}",
        "[\\\\;,:\"\\x00-\\x1f]{0,10}",
    ];
    let name = prop_oneof![
        Just("BEGIN"),
        Just("END"),
        Just("DTSTART"),
        Just("DTEND"),
        Just("DURATION"),
        Just("RRULE"),
        Just("RDATE"),
        Just("EXDATE"),
        Just("RECURRENCE-ID"),
        Just("UID"),
        Just("SUMMARY"),
        Just("LOCATION"),
        Just("CATEGORIES"),
        Just("DESCRIPTION"),
        Just("TZID"),
        Just("TZOFFSETTO"),
        Just("X-WR-TIMEZONE"),
    ];
    let component = prop_oneof![
        Just("VCALENDAR"),
        Just("VEVENT"),
        Just("VTIMEZONE"),
        Just("STANDARD"),
        Just("DAYLIGHT"),
        Just("VALARM"),
    ];
    let params = prop_oneof![
        Just(String::new()),
        Just(";VALUE=DATE".to_owned()),
        Just(";TZID=Europe/Paris".to_owned()),
        Just(";TZID=\"W. Europe Standard Time".to_owned()),
        Just(";TZID=Nowhere".to_owned()),
        Just(";ENCODING=BASE64".to_owned()),
    ];
    prop_oneof![
        (prop_oneof![Just("BEGIN"), Just("END")], component).prop_map(|(k, c)| format!("{k}:{c}")),
        (name, params, value).prop_map(|(n, p, v)| format!("{n}{p}:{v}")),
        " \\PC{0,20}".prop_map(|s| s),
    ]
}

/// Pieces of a `schedule.xml`: the format's elements, open or closed, with attributes and
/// text drawn from what breaks readers (entities, quotes, times, stray brackets).
fn xml_piece() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("schedule"),
        Just("conference"),
        Just("day"),
        Just("room"),
        Just("event"),
        Just("date"),
        Just("start"),
        Just("duration"),
        Just("title"),
        Just("persons"),
        Just("person"),
        Just("links"),
        Just("link"),
        Just("time_zone_name"),
        Just("day_change"),
        Just("city"),
        Just("abstract"),
        Just("track"),
        Just("type"),
        Just("x"),
    ];
    let attr = prop_oneof![
        Just(String::new()),
        Just(" index='1' date='2026-01-31'".to_owned()),
        Just(" start=\"2026-01-31T09:00:00+01:00\" end=\"2026-02-01T04:00:00+01:00\"".to_owned()),
        Just(" guid=\"g\" id=\"1\"".to_owned()),
        Just(" id=\"1\"".to_owned()),
        Just(" name='Saal 1'".to_owned()),
        Just(" href=\"https://x\"".to_owned()),
        "( [a-z]{1,3}=\"[^\"]{0,6}\"){0,2}",
    ];
    let text = prop_oneof![
        Just("10:00".to_owned()),
        Just("0:45".to_owned()),
        Just("25:99".to_owned()),
        Just("2026-01-31T23:30:00+01:00".to_owned()),
        Just("Europe/Brussels".to_owned()),
        Just("&lt;p&gt;x&amp;&#8217;&nbsp;&#0;&#x110000;".to_owned()),
        "[-a-zA-Z0-9 :+<>&;'\"/!?\\[\\]]{0,16}",
        "\\PC{0,12}",
    ];
    prop_oneof![
        (name.clone(), attr).prop_map(|(n, a)| format!("<{n}{a}>")),
        name.clone().prop_map(|n| format!("</{n}>")),
        name.prop_map(|n| format!("<{n}/>")),
        text,
        Just("<!-- c -->".to_owned()),
        Just("<![CDATA[<b>x</b>]]>".to_owned()),
    ]
}

/// JSON values in the shape of a `schedule.json`, with the format's keys and odd types.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!("10:00")),
        Just(json!("0:45")),
        Just(json!("2026-01-31T23:30:00+01:00")),
        Just(json!("2026-01-31")),
        Just(json!("Europe/Berlin")),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    let key = prop_oneof![
        Just("schedule"),
        Just("conference"),
        Just("days"),
        Just("rooms"),
        Just("date"),
        Just("day_start"),
        Just("day_end"),
        Just("start"),
        Just("duration"),
        Just("title"),
        Just("guid"),
        Just("id"),
        Just("persons"),
        Just("public_name"),
        Just("links"),
        Just("url"),
        Just("track"),
        Just("time_zone_name"),
        Just("index"),
        Just("room"),
        Just("Saal 1"),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// A day of a `schedule.json`: its fields, and rooms of events whose every field may be
/// any value.
fn json_day() -> impl Strategy<Value = serde_json::Value> {
    let event = proptest::collection::vec(
        (
            proptest::sample::select(vec![
                "guid",
                "id",
                "date",
                "start",
                "duration",
                "room",
                "title",
                "subtitle",
                "track",
                "type",
                "language",
                "abstract",
                "description",
                "url",
                "persons",
                "links",
            ]),
            json_value(),
        ),
        0..10,
    )
    .prop_map(|fields| {
        serde_json::Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    });
    (
        json_value(),
        json_value(),
        json_value(),
        proptest::collection::vec(event, 0..5),
    )
        .prop_map(|(index, date, start, events)| {
            serde_json::json!({
                "index": index, "date": date, "day_start": start,
                "rooms": {"Saal 1": events}
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn schedule_xml_shaped_input_never_panics(pieces in proptest::collection::vec(xml_piece(), 0..80)) {
        let text = format!("<?xml version='1.0'?>\n<schedule>{}", pieces.concat());
        load(text.as_bytes());
    }

    #[test]
    fn schedule_json_shaped_input_never_panics(
        conference in json_value(),
        days in proptest::collection::vec(json_day(), 0..4),
    ) {
        let mut conference = conference;
        if let serde_json::Value::Object(map) = &mut conference {
            map.insert("days".into(), serde_json::Value::Array(days));
        }
        let doc = serde_json::json!({"schedule": {"conference": conference}});
        load(doc.to_string().as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        load(&bytes);
        // The same bytes as the body of a UTF-16 or UTF-32 file.
        for bom in [&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xFF\xFE\0\0", b"\0\0\xFE\xFF"] {
            load(&[bom, &bytes].concat());
        }
    }

    #[test]
    fn calendar_shaped_input_never_panics(
        lines in proptest::collection::vec(ics_line(), 0..60),
        crlf in any::<bool>(),
    ) {
        let mut text = String::from("BEGIN:VCALENDAR\n");
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        load(text.as_bytes());
    }
}
