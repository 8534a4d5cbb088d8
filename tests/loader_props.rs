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

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

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
