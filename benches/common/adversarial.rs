//! Hostile calendars, generated (never committed as big files): each once cost quadratic
//! time or memory somewhere in the loader. Shared by `tests/adversarial.rs` (a generous
//! bound in the debug profile) and `benches/adversarial.rs` (criterion, release).

#![allow(dead_code)]

use std::fmt::Write as _;

/// One hostile input: a name (also its file name) and how to make it.
pub struct Case {
    pub name: &'static str,
    pub make: fn() -> Vec<u8>,
}

/// Every case, smallest first.
pub const CASES: &[Case] = &[
    Case {
        name: "location-100k-commas",
        make: location_commas,
    },
    Case {
        name: "summary-80k-dashes",
        make: summary_dashes,
    },
    Case {
        name: "summary-dashes-then-spaces",
        make: summary_dashes_then_spaces,
    },
    Case {
        name: "description-1m-lt",
        make: description_lt,
    },
    Case {
        name: "description-unclosed-tags",
        make: description_unclosed_tags,
    },
    Case {
        name: "description-entities",
        make: description_entities,
    },
    Case {
        name: "nested-100k-begin-unmatched-end",
        make: nested_begin_unmatched_end,
    },
    Case {
        name: "tzids-10k-custom",
        make: many_custom_tzids,
    },
    Case {
        name: "tzid-100k-slashes",
        make: tzid_slashes,
    },
    Case {
        name: "categories-100k",
        make: many_categories,
    },
    Case {
        name: "properties-100k",
        make: many_properties,
    },
    Case {
        name: "params-quotes-and-semicolons",
        make: params_quotes_semicolons,
    },
    Case {
        name: "rdate-100k-values",
        make: rdate_values,
    },
    Case {
        name: "rrules-never-matching",
        make: rrules_never_matching,
    },
    Case {
        name: "rrules-never-matching-weekno",
        make: rrules_never_matching_weekno,
    },
    Case {
        name: "recurring-long-description",
        make: recurring_long_description,
    },
    Case {
        name: "emoji-zwj-bidi-1m",
        make: emoji_zwj_bidi,
    },
    Case {
        name: "one-line-1m-folds",
        make: one_line_folds,
    },
    Case {
        name: "invalid-utf8-every-line",
        make: invalid_utf8_lines,
    },
    Case {
        name: "events-100k-tiny",
        make: tiny_events,
    },
    Case {
        name: "utf16-events-20k",
        make: utf16_events,
    },
    Case {
        name: "xml-100k-nested-elements",
        make: xml_nested,
    },
    Case {
        name: "xml-200k-entities",
        make: xml_entities,
    },
    Case {
        name: "xml-50k-events-shared-guids",
        make: xml_many_events,
    },
    Case {
        name: "json-markdown-brackets-and-stars",
        make: json_markdown,
    },
    Case {
        name: "json-50k-events-odd-types",
        make: json_many_events,
    },
    Case {
        name: "one-line-50mb",
        make: one_line_50mb,
    },
];

/// The case named `name`.
pub fn case(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

/// A calendar of one event with these extra lines, and DTSTART and a title of its own.
fn one_event(lines: &str) -> Vec<u8> {
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//adversarial//EN\r\nBEGIN:VEVENT\r\nUID:hostile\r\nDTSTART:20260407T090000Z\r\nDTEND:20260407T093000Z\r\n{lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    .into_bytes()
}

fn location_commas() -> Vec<u8> {
    let location = format!("Room{}", ",x".repeat(100_000));
    one_event(&format!("SUMMARY:Commas\r\nLOCATION:{location}"))
}

/// The issue's shape: 80,000 ` - ` (320 KB), none followed by people.
fn summary_dashes() -> Vec<u8> {
    one_event(&format!("SUMMARY:Title{}", " - x".repeat(80_000)))
}

fn summary_dashes_then_spaces() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:T{}{}\\, ACME",
        " - Ann".repeat(80_000),
        " ".repeat(1_000_000)
    ))
}

fn description_lt() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Lt\r\nDESCRIPTION:{}<p>x",
        "<".repeat(1_000_000)
    ))
}

fn description_unclosed_tags() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Tags\r\nDESCRIPTION:<p>{}{}{}",
        "<a".repeat(200_000),
        "<!--".repeat(200_000),
        "<style>".repeat(100_000)
    ))
}

fn description_entities() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Entities\r\nDESCRIPTION:{}{}{}",
        "&amp;".repeat(200_000),
        "&#".repeat(200_000),
        "&".repeat(200_000)
    ))
}

fn nested_begin_unmatched_end() -> Vec<u8> {
    let n = 100_000;
    one_event(&format!(
        "SUMMARY:Deep\r\n{}{}",
        "BEGIN:X\r\n".repeat(n),
        "END:Y\r\n".repeat(n)
    ))
}

fn many_custom_tzids() -> Vec<u8> {
    let mut text = String::from("BEGIN:VCALENDAR\r\nPRODID:-//adversarial//EN\r\n");
    for i in 0..10_000 {
        // Each a zone no table names, with offsets to match against every zone.
        let minutes = i % 600;
        let _ = write!(
            text,
            "BEGIN:VTIMEZONE\r\nTZID:Custom Zone {i}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETTO:+{:02}{:02}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
            minutes / 60,
            minutes % 60
        );
        let _ = write!(
            text,
            "BEGIN:VEVENT\r\nUID:z{i}\r\nSUMMARY:Zone {i}\r\nDTSTART;TZID=Custom Zone {i}:{}0407T090000\r\nDURATION:PT30M\r\nEND:VEVENT\r\n",
            1970 + i % 300
        );
    }
    text.push_str("END:VCALENDAR\r\n");
    text.into_bytes()
}

fn tzid_slashes() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Slashes\r\nRDATE;TZID={}Europe/Paris:20260408T090000",
        "a/".repeat(100_000)
    ))
}

fn many_categories() -> Vec<u8> {
    let one_line: Vec<String> = (0..100_000).map(|i| format!("TRACK {i}")).collect();
    one_event(&format!(
        "SUMMARY:Tracks\r\nCATEGORIES:{}\r\n{}",
        one_line.join(","),
        "CATEGORIES:MORE,TRACKS\r\n".repeat(100_000)
    ))
}

fn many_properties() -> Vec<u8> {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    text.push_str(&"X-WR-CALNAME:again\r\n".repeat(50_000));
    text.push_str("BEGIN:VEVENT\r\nUID:props\r\nDTSTART:20260407T090000Z\r\n");
    for i in 0..100_000 {
        let _ = write!(text, "X-PROP-{i}:value {i}\r\nSUMMARY:title {i}\r\n");
    }
    text.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    text.into_bytes()
}

fn params_quotes_semicolons() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Params\r\nRDATE;X-A={};VALUE=DATE-TIME;X-B=\"{}\";TZID=Europe/Paris:{}",
        ";".repeat(200_000),
        "\";\"".repeat(100_000),
        vec!["20260408T090000"; 1000].join(",")
    ))
}

fn rdate_values() -> Vec<u8> {
    let values: Vec<String> = (0..100_000)
        .map(|i| format!("2026{:02}{:02}T090000Z", 1 + i % 12, 1 + i % 28))
        .collect();
    one_event(&format!(
        "SUMMARY:Dates\r\nRDATE:{}\r\nEXDATE:{}",
        values.join(","),
        values[..50_000].join(",")
    ))
}

fn rrules_never_matching() -> Vec<u8> {
    rules_of_events("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
}

/// A rule no cheap check sees never matches (ISO week 1 is never in June): only the time
/// budget on expansion stops the crate's search.
fn rrules_never_matching_weekno() -> Vec<u8> {
    rules_of_events("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6")
}

/// 20,000 events with this RRULE.
fn rules_of_events(rule: &str) -> Vec<u8> {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for i in 0..20_000 {
        let _ = write!(
            text,
            "BEGIN:VEVENT\r\nUID:never{i}\r\nSUMMARY:Never\r\nDTSTART:20260407T090000Z\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
        );
    }
    text.push_str("END:VCALENDAR\r\n");
    text.into_bytes()
}

fn recurring_long_description() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Again\r\nRRULE:FREQ=DAILY;COUNT=1000\r\nDESCRIPTION:{}",
        "words ".repeat(400_000)
    ))
}

fn emoji_zwj_bidi() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:{}{}\r\nDESCRIPTION:{}",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}".repeat(100_000),
        "\u{200D}\u{202E}\u{FE0F}a".repeat(200_000),
        "\u{1F3FB}\u{200D}".repeat(300_000)
    ))
}

fn one_line_folds() -> Vec<u8> {
    one_event(&format!(
        "SUMMARY:Folded\r\nDESCRIPTION:x{}",
        "\r\n y".repeat(1_000_000)
    ))
}

fn invalid_utf8_lines() -> Vec<u8> {
    let mut bytes =
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:bad\r\nDTSTART:20260407T090000Z\r\n".to_vec();
    for _ in 0..500_000 {
        bytes.extend_from_slice(b"X-BAD:\xFF\xFE\r\n");
    }
    bytes.extend_from_slice(b"SUMMARY:Bad \xC3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    bytes
}

fn tiny_events() -> Vec<u8> {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for i in 0..100_000 {
        let _ = write!(
            text,
            "BEGIN:VEVENT\r\nUID:t{i}\r\nDTSTART:20260407T{:02}{:02}00Z\r\nSUMMARY:T{i}\r\nLOCATION:Room {}\r\nEND:VEVENT\r\n",
            i / 60 % 24,
            i % 60,
            i % 50
        );
    }
    text.push_str("END:VCALENDAR\r\n");
    text.into_bytes()
}

fn utf16_events() -> Vec<u8> {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for i in 0..20_000 {
        let _ = write!(
            text,
            "BEGIN:VEVENT\r\nUID:u{i}\r\nDTSTART:20260407T090000Z\r\nSUMMARY:Caf\u{e9} {i} \u{1F600}\r\nEND:VEVENT\r\n"
        );
    }
    text.push_str("END:VCALENDAR\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

fn one_line_50mb() -> Vec<u8> {
    let line: String =
        "Lorem ipsum dolor sit amet, consectetur\\, adipiscing\\; elit. ".repeat(50_000_000 / 62);
    one_event(&format!("SUMMARY:Long\r\nDESCRIPTION:{line}"))
}

/// A schedule.xml of one day holding `events`.
fn schedule_xml(events: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0'?><schedule><conference><title>Hostile</title><time_zone_name>Europe/Brussels</time_zone_name></conference><day index='1' date='2026-01-31'><room name='R'>{events}</room></day></schedule>"
    )
    .into_bytes()
}

fn xml_nested() -> Vec<u8> {
    let n = 100_000;
    schedule_xml(&format!(
        "<event guid='deep'><start>10:00</start><title>Deep</title><abstract>{}{}</abstract></event>",
        "<x>".repeat(n),
        "</x>".repeat(n)
    ))
}

fn xml_entities() -> Vec<u8> {
    schedule_xml(&format!(
        "<event guid='e'><start>10:00</start><title>Entities</title><abstract>{}</abstract></event>",
        "&amp;lt;p&amp;gt;&#8217;&nbsp;&amp;&lt;".repeat(200_000 / 6)
    ))
}

fn xml_many_events() -> Vec<u8> {
    let mut events = String::new();
    for i in 0..50_000 {
        let _ = write!(
            events,
            "<event guid='g{}'><start>{:02}:{:02}</start><duration>0:30</duration><room>R</room><title>T {i}</title><persons><person>P {i}</person></persons></event>",
            i % 1000,
            9 + i / 60 % 12,
            i % 60
        );
    }
    schedule_xml(&events)
}

/// A schedule.json of one day holding `events` (JSON objects).
fn schedule_json(events: &str) -> Vec<u8> {
    format!(
        r#"{{"schedule": {{"conference": {{"title": "Hostile", "time_zone_name": "Europe/Berlin", "days": [{{"index": 1, "date": "2026-01-31", "rooms": {{"R": [{events}]}}}}]}}}}}}"#
    )
    .into_bytes()
}

fn json_markdown() -> Vec<u8> {
    let n = 100_000;
    schedule_json(&format!(
        r#"{{"guid": "md", "start": "10:00", "title": "Markdown", "abstract": "{}{}{}"}}"#,
        "[".repeat(n),
        "*a_".repeat(n),
        "> ".repeat(n)
    ))
}

fn json_many_events() -> Vec<u8> {
    let mut events = Vec::new();
    for i in 0..50_000 {
        events.push(format!(
            r#"{{"guid": {i}, "date": null, "start": "{:02}:{:02}", "duration": {}, "room": ["R"], "title": "T {i}", "track": null, "persons": [{{"public_name": "P {i}"}}, "Q", 7], "links": [{{"url": 1}}]}}"#,
            9 + i / 60 % 12,
            i % 60,
            i % 90
        ));
    }
    schedule_json(&events.join(","))
}
