//! Every real schedule of `../shared/data/schedules` (Pentabarf, frab, pretalx and
//! hand-written `schedule.xml` and `schedule.json` files) loads with the sessions, days,
//! local start times, durations, rooms and zones the file states. The expected values are
//! worked out here by a deliberately simple reader of our own (a path-keeping walk with
//! `quick-xml`, `serde_json::Value` for JSON), not by the loader under test.
//!
//! The folder is not shipped with hallway; where it is absent the test says so and passes,
//! except under CI (`CI=true`), where it fails.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use hallway::calendar::{Calendar, Format, LoadOptions};

fn schedules_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/schedules");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} not found, and CI must run the schedules test",
            dir.display()
        );
        println!("note: {} not found; schedules test skipped", dir.display());
        None
    }
}

/// A session as the file states it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    uid: String,
    title: String,
    /// `2019-12-27 00:50`, the wall-clock time the file gives.
    local_start: String,
    minutes: i64,
    day: NaiveDate,
    room: String,
}

/// A day as the file states it.
#[derive(Debug, Clone, Default)]
struct DayFacts {
    date: Option<NaiveDate>,
    start: Option<String>,
    end: Option<String>,
}

/// An event's fields as the file states them (text, unparsed).
#[derive(Debug, Clone, Default)]
struct EventFacts {
    day: usize,
    fields: HashMap<String, String>,
    attrs: HashMap<String, String>,
    wrapper_room: Option<String>,
}

/// Text as shown: runs of white space as one space, invisible characters (a zero-width
/// space in one FOSDEM title) gone.
fn squeeze(s: &str) -> String {
    let visible: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn minutes(duration: &str) -> i64 {
    let parts: Vec<i64> = duration
        .trim()
        .split(':')
        .map(|p| p.parse().unwrap())
        .collect();
    match parts.as_slice() {
        [h, m] | [h, m, _] => h * 60 + m,
        _ => panic!("duration {duration}"),
    }
}

/// The sessions a file's days and events state, by the rules of the format: a `<date>`
/// wins; else the day's date and the start, on the next date when the start is before
/// the day starts (or before Pentabarf's `day_change`); a date that falls in another day's
/// hours belongs to that day.
fn expected(
    days: &[DayFacts],
    events: &[EventFacts],
    day_change: Option<NaiveTime>,
) -> Vec<Expected> {
    let stamp = |s: &str| DateTime::<FixedOffset>::parse_from_rfc3339(s.trim()).ok();
    // Days without a date take their events' earliest date.
    let mut dates: Vec<Option<NaiveDate>> = days.iter().map(|d| d.date).collect();
    for ev in events {
        if dates[ev.day].is_none() {
            let date = ev
                .fields
                .get("date")
                .and_then(|d| stamp(d))
                .map(|d| d.date_naive());
            dates[ev.day] = date.into_iter().chain(dates[ev.day]).min();
        }
    }
    events
        .iter()
        .map(|ev| {
            let field = |name: &str| ev.fields.get(name).map(|s| s.trim().to_owned());
            let day = &days[ev.day];
            let day_start = day
                .start
                .as_deref()
                .and_then(stamp)
                .map(|s| s.time())
                .or(day_change);
            let clock = field("start").map(|s| NaiveTime::parse_from_str(&s, "%H:%M").unwrap());
            let listed = clock.map(|c| {
                let next = day_start.is_some_and(|s| c < s);
                (dates[ev.day].unwrap() + Duration::days(i64::from(next))).and_time(c)
            });
            let stated = field("date")
                .filter(|d| !d.is_empty())
                .and_then(|d| stamp(&d));
            let local: NaiveDateTime = stated.map_or_else(|| listed.unwrap(), |d| d.naive_local());
            let mut day_date = dates[ev.day].unwrap();
            if let (Some(d), Some(l)) = (stated, listed)
                && d.naive_local() != l
            {
                for other in days {
                    if let (Some(s), Some(e)) = (
                        other.start.as_deref().and_then(stamp),
                        other.end.as_deref().and_then(stamp),
                    ) && s <= d
                        && d < e
                    {
                        day_date = other.date.unwrap();
                    }
                }
            }
            let uid = ev
                .attrs
                .get("guid")
                .filter(|g| !g.is_empty())
                .or(ev.attrs.get("id"))
                .cloned()
                .unwrap_or_default();
            Expected {
                uid,
                title: squeeze(&field("title").unwrap_or_default()),
                local_start: local.format("%Y-%m-%d %H:%M").to_string(),
                minutes: field("duration").map_or(0, |d| minutes(&d)),
                day: day_date,
                room: field("room")
                    .filter(|r| !r.is_empty())
                    .or(ev.wrapper_room.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The days and events of a schedule.xml, read by keeping the path of open elements.
fn read_xml(
    text: &str,
) -> (
    Vec<DayFacts>,
    Vec<EventFacts>,
    Option<NaiveTime>,
    Vec<String>,
) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut days: Vec<DayFacts> = Vec::new();
    let mut events: Vec<EventFacts> = Vec::new();
    let mut rooms: Vec<String> = Vec::new();
    let mut day_change = None;
    let mut current: Option<EventFacts> = None;
    let mut wrapper: Option<String> = None;
    let mut text_buf = String::new();
    let attrs = |e: &quick_xml::events::BytesStart| -> HashMap<String, String> {
        e.attributes()
            .flatten()
            .map(|a| (a.key.as_ref().to_owned(), a.value.to_string()))
            .collect()
    };
    loop {
        let ev = reader.read_event().unwrap();
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.name().as_ref().to_owned();
            let a = attrs(&e);
            match (path.last().map(String::as_str), name.as_str()) {
                (Some("schedule"), "day") => days.push(DayFacts {
                    date: a
                        .get("date")
                        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
                    start: a.get("start").cloned(),
                    end: a.get("end").cloned(),
                }),
                (Some("day"), "room") => {
                    wrapper = a.get("name").cloned();
                    if let Some(r) = &wrapper
                        && !rooms.contains(r)
                    {
                        rooms.push(r.clone());
                    }
                }
                (Some("day" | "room"), "event") => {
                    current = Some(EventFacts {
                        day: days.len() - 1,
                        attrs: a,
                        wrapper_room: wrapper.clone(),
                        ..EventFacts::default()
                    });
                }
                _ => {}
            }
            text_buf.clear();
            if !empty {
                path.push(name);
            }
            continue;
        }
        match ev {
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text_buf.push(c),
                _ => text_buf.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(_) => {
                let name = path.pop().unwrap();
                let parent = path.last().map(String::as_str);
                if name == "event" {
                    events.push(current.take().unwrap());
                } else if parent == Some("event")
                    && let Some(cur) = current.as_mut()
                {
                    cur.fields.insert(name.clone(), text_buf.clone());
                } else if parent == Some("conference") && name == "day_change" {
                    day_change = NaiveTime::parse_from_str(text_buf.trim(), "%H:%M:%S").ok();
                } else if name == "room" && parent == Some("day") {
                    wrapper = None;
                }
                text_buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (days, events, day_change, rooms)
}

/// The days and events of a schedule.json.
fn read_json(
    text: &str,
) -> (
    Vec<DayFacts>,
    Vec<EventFacts>,
    Option<NaiveTime>,
    Vec<String>,
) {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let conference = &doc["schedule"]["conference"];
    let mut days = Vec::new();
    let mut events = Vec::new();
    let mut rooms: Vec<String> = Vec::new();
    let string = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    for (i, day) in conference["days"].as_array().unwrap().iter().enumerate() {
        days.push(DayFacts {
            date: day["date"]
                .as_str()
                .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            start: day["day_start"].as_str().map(str::to_owned),
            end: day["day_end"].as_str().map(str::to_owned),
        });
        for (room, list) in day["rooms"].as_object().unwrap() {
            if !rooms.contains(room) {
                rooms.push(room.clone());
            }
            for ev in list.as_array().unwrap() {
                let obj = ev.as_object().unwrap();
                let fields = obj
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), string(v)?)))
                    .collect::<HashMap<_, _>>();
                events.push(EventFacts {
                    day: i,
                    attrs: fields.clone(),
                    fields,
                    wrapper_room: Some(room.clone()),
                });
            }
        }
    }
    // serde_json's objects are sorted by key: the file's order is where each room's list
    // first opens.
    let opens = |room: &String| {
        let key = serde_json::to_string(room).unwrap();
        [format!("{key}:["), format!("{key}: [")]
            .iter()
            .filter_map(|k| text.find(k.as_str()))
            .min()
            .unwrap_or(usize::MAX)
    };
    rooms.sort_by_key(opens);
    (days, events, None, rooms)
}

/// The zone each file should be shown in: its `time_zone_name`; its city; else the fixed
/// offset its times state.
const ZONES: &[(&str, &str)] = &[
    ("31c3_frab.xml", "Etc/GMT-1"),
    ("36c3_frab.json", "Etc/GMT-1"),
    ("camp2019_frab.json", "Europe/Berlin"),
    ("denog7_handwritten.xml", "Etc/GMT-1"),
    ("divoc-ptt2020_pretalx.json", "Etc/GMT-2"),
    ("divoc-r2r2021_pretalx.json", "Etc/GMT-2"),
    ("divoc-r2r2021_pretalx.xml", "Europe/Berlin"),
    ("fosdem2007_pentabarf.xml", "Europe/Brussels"),
    ("fosdem2024_pentabarf.xml", "Europe/Brussels"),
    ("fosdem2026_fosdem-pretalx-site.xml", "Europe/Brussels"),
    ("minilac16_handwritten.xml", "Etc/GMT-2"),
    ("rc3channels2020_pretalx.json", "Etc/GMT-1"),
];

/// The files of the folder are named by their format (the loader never looks).
#[allow(clippy::case_sensitive_file_extension_comparisons)]
fn is_xml(file: &str) -> bool {
    file.ends_with(".xml")
}

fn load(dir: &std::path::Path, file: &str) -> Calendar {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    // A machine far from every one of these conferences: nothing may depend on it.
    Calendar::parse(&bytes, &LoadOptions::new(file, None, Tz::Pacific__Auckland))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_schedule_loads_with_the_days_times_rooms_and_zones_it_states() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.rsplit('.')
                .next()
                .is_some_and(|e| e == "xml" || e == "json")
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 12, "{files:?}");
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let (days, events, day_change, rooms) = if is_xml(file) {
            read_xml(&text)
        } else {
            read_json(&text)
        };
        let mut want = expected(&days, &events, day_change);
        let cal = load(&dir, file);
        assert_eq!(
            cal.format(),
            if is_xml(file) {
                Format::ScheduleXml
            } else {
                Format::ScheduleJson
            }
        );
        let zone = ZONES.iter().find(|(f, _)| f == file).map(|(_, z)| *z);
        assert_eq!(Some(cal.zone.name()), zone, "{file}");
        assert!(cal.zone_note().is_none(), "{file}");
        assert!(
            !cal.warnings.iter().any(|w| w.message.contains("skipped")),
            "{file}: {:?}",
            cal.warnings
        );
        let mut got: Vec<Expected> = cal
            .sessions
            .iter()
            .map(|s| Expected {
                uid: s.uid.to_string(),
                title: s.title.to_string(),
                local_start: cal.local(s.start).format("%Y-%m-%d %H:%M").to_string(),
                minutes: s.duration().num_minutes(),
                day: cal.day_of(s),
                room: s.room.to_string(),
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got.len(), want.len(), "{file}: number of sessions");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{file}");
        }
        // Ids are unique, and the grid's columns follow the schedule's rooms.
        let ids: std::collections::HashSet<&str> =
            cal.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), cal.sessions.len(), "{file}");
        let order: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).collect();
        let listed: Vec<&str> = rooms
            .iter()
            .map(String::as_str)
            .filter(|r| order.contains(r))
            .collect();
        assert_eq!(&order[..listed.len()], listed.as_slice(), "{file}");
        // `--day N` is the schedule's day N.
        for (i, day) in days.iter().enumerate() {
            if let Some(date) = day.date
                && want.iter().any(|w| w.day == date)
            {
                assert_eq!(cal.find_day(&(i + 1).to_string()), Ok(date), "{file}");
            }
        }
        checked += want.len();
    }
    assert!(checked >= 2_300, "only {checked} sessions checked");
}

fn find<'a>(cal: &'a Calendar, title: &str) -> &'a hallway::calendar::Session {
    cal.sessions
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no session {title}"))
}

#[test]
fn a_congress_night_belongs_to_the_evening_before() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let cal = load(&dir, "36c3_frab.json");
    let jeopardy = cal
        .sessions
        .iter()
        .find(|s| s.title == "Hacker Jeopardy")
        .unwrap();
    assert_eq!(
        cal.local(jeopardy.start).format("%a %d %H:%M").to_string(),
        "Sat 28 00:50"
    );
    let day1 = NaiveDate::from_ymd_opt(2019, 12, 27).unwrap();
    assert_eq!(cal.day_of(jeopardy), day1);
    assert_eq!(cal.find_day("1"), Ok(day1));
    assert_eq!(cal.find_day("2019-12-27"), Ok(day1));
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(4, 0, 0));
    assert_eq!(cal.day_of_instant(jeopardy.start), day1);
    let (start, end) = cal.day_span(day1);
    assert_eq!(cal.local(start).to_rfc3339(), "2019-12-27T11:00:00+01:00");
    assert_eq!(cal.local(end).to_rfc3339(), "2019-12-28T04:00:00+01:00");
    let rooms: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).collect();
    assert_eq!(rooms, vec!["Ada", "Borg", "Clarke", "Dijkstra", "Eliza"]);
    assert_eq!(jeopardy.speakers.as_deref(), Some("Sec, Ray"));
}

#[test]
fn fosdem_2026_speaks_in_brussels_time_with_its_links_and_types() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let cal = load(&dir, "fosdem2026_fosdem-pretalx-site.xml");
    assert_eq!(cal.name, "FOSDEM 2026");
    assert_eq!(cal.sessions.len(), 883);
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(9, 0, 0));
    let welcome = cal.get("9c3ebb8c-7716-5130-b9fe-ff8544f5636d").unwrap();
    assert_eq!(welcome.title, "Welcome to FOSDEM 2026");
    assert_eq!(welcome.room, "Janson");
    assert_eq!(welcome.speakers.as_deref(), Some("FOSDEM Staff"));
    assert_eq!(welcome.tracks, vec!["Main Track"]);
    assert_eq!(welcome.language, "en");
    assert_eq!(welcome.description, "FOSDEM welcome and opening talk.");
    assert_eq!(
        welcome.url.as_deref(),
        Some("https://fosdem.org/2026/schedule/event/SFKNTZ-welcome_to_fosdem_2026/")
    );
    assert_eq!(welcome.links.len(), 3);
    assert_eq!(welcome.links[2].title, "Submit Feedback");
    assert_eq!(
        cal.local(welcome.start).format("%H:%M").to_string(),
        "09:30"
    );
    let rooms: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).take(3).collect();
    assert_eq!(rooms, vec!["Janson", "K.1.105 (La Fontaine)", "K.3.201"]);
    // HTML abstracts become text.
    let war = find(&cal, "FOSS in times of war, scarcity and (adversarial) AI");
    assert!(war.description.starts_with("We need to talk about war."));
    assert!(!war.description.contains("<p>"));
    assert_eq!(war.speakers.as_deref(), Some("Michiel Leenaars"));
}

#[test]
fn pentabarf_era_quirks() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    // 2007: events right under <day>, no dates, event id 0, entities in escaped HTML.
    let old = load(&dir, "fosdem2007_pentabarf.xml");
    let aiglx = find(&old, "AIGLX");
    assert_eq!(aiglx.id, "0");
    assert_eq!(aiglx.room, "Chavanne");
    assert_eq!(
        old.local(aiglx.start)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        "2007-02-25 15:00 CET"
    );
    assert!(
        aiglx.description.starts_with("In this talk, Kristian"),
        "{}",
        aiglx.description
    );
    assert_eq!(
        aiglx.links[0].url,
        "http://video.fosdem.org/2007/FOSDEM2007-AIGLX.ogg"
    );
    // 2024: no dates, no zone name: the city names it; empty rooms are no columns.
    let fosdem = load(&dir, "fosdem2024_pentabarf.xml");
    assert_eq!(fosdem.zone_source, hallway::calendar::ZoneSource::City);
    assert!(fosdem.rooms().iter().all(|(_, n)| *n > 0));
    // Durations as 0:45, a conference that ends before it starts.
    let denog = load(&dir, "denog7_handwritten.xml");
    assert_eq!(find(&denog, "Begrüßung").duration().num_minutes(), 45);
    assert_eq!(find(&denog, "Begrüßung").links[0].title, "Slides");
    // Days without dates take their events'; guid="" falls back to the id.
    let minilac = load(&dir, "minilac16_handwritten.xml");
    assert_eq!(
        minilac.days(),
        vec![
            NaiveDate::from_ymd_opt(2016, 4, 7).unwrap(),
            NaiveDate::from_ymd_opt(2016, 4, 8).unwrap()
        ]
    );
    assert_eq!(find(&minilac, "Opening").id, "8");
    assert_eq!(
        find(&minilac, "Opening").speakers.as_deref(),
        Some("Dave, Excds, riot")
    );
    // track: null is no track; a 03:30 talk listed under the next date is on the night
    // it belongs to.
    let ptt = load(&dir, "divoc-ptt2020_pretalx.json");
    assert!(ptt.sessions.iter().all(|s| s.tracks.is_empty()));
    assert_eq!(
        ptt.warnings[0].message,
        "event \"Gora & Eloy\" gives a \"date\" that disagrees with its day and start time; \
         the date is followed"
    );
}

#[test]
fn the_xml_and_json_twins_give_the_same_sessions() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let xml = load(&dir, "divoc-r2r2021_pretalx.xml");
    let json = load(&dir, "divoc-r2r2021_pretalx.json");
    let facts = |cal: &Calendar| -> Vec<(String, String, i64, NaiveDate, String)> {
        cal.sessions
            .iter()
            .map(|s| {
                (
                    s.id.to_string(),
                    s.start.to_rfc3339(),
                    s.duration().num_minutes(),
                    cal.day_of(s),
                    s.title.to_string(),
                )
            })
            .collect()
    };
    assert_eq!(facts(&xml), facts(&json));
    assert_eq!(xml.day_change(), NaiveTime::from_hms_opt(4, 0, 0));
    assert_eq!(json.day_change(), NaiveTime::from_hms_opt(4, 0, 0));
}

#[test]
fn a_schedule_shown_in_another_zone_keeps_its_days() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let bytes = std::fs::read(dir.join("36c3_frab.json")).unwrap();
    let cal = Calendar::parse(
        &bytes,
        &LoadOptions::new("36c3", Some(Tz::America__New_York), Tz::UTC),
    )
    .unwrap();
    let jeopardy = find(&cal, "Hacker Jeopardy");
    assert_eq!(
        cal.local(jeopardy.start).format("%a %d %H:%M").to_string(),
        "Fri 27 18:50"
    );
    assert_eq!(
        cal.day_of(jeopardy),
        NaiveDate::from_ymd_opt(2019, 12, 27).unwrap()
    );
    // 04:00 in Leipzig is 22:00 in New York: seen from there, the days end before
    // midnight.
    assert_eq!(cal.day_change(), None);
    let (_, end) = cal.day_span(cal.day_of(jeopardy));
    assert_eq!(cal.local(end).to_rfc3339(), "2019-12-27T22:00:00-05:00");
}

/// How many sessions of each type every schedule has: the stated types decide (`lecture`
/// is a talk whatever its title says: 36C3's "How to Break PDFs"), FOSDEM's `devroom`
/// leaves it to the title ("Panel: …").
#[test]
fn every_schedule_has_the_types_it_states() {
    let Some(dir) = schedules_dir() else {
        return;
    };
    let expected: &[(&str, &[(&str, usize)])] = &[
        (
            "31c3_frab.xml",
            &[("other", 4), ("panel", 1), ("talk", 133)],
        ),
        ("denog7_handwritten.xml", &[("talk", 17)]),
        (
            "divoc-r2r2021_pretalx.xml",
            &[("lightning", 1), ("other", 13), ("talk", 31)],
        ),
        ("fosdem2007_pentabarf.xml", &[("keynote", 2), ("talk", 213)]),
        (
            "fosdem2024_pentabarf.xml",
            &[("lightning", 1), ("other", 9), ("panel", 2), ("talk", 662)],
        ),
        (
            "fosdem2026_fosdem-pretalx-site.xml",
            &[("panel", 2), ("talk", 880), ("workshop", 1)],
        ),
        (
            "minilac16_handwritten.xml",
            &[("other", 2), ("talk", 9), ("workshop", 14)],
        ),
        (
            "36c3_frab.json",
            &[("other", 2), ("panel", 2), ("talk", 157)],
        ),
        ("camp2019_frab.json", &[("other", 1), ("talk", 78)]),
        ("divoc-ptt2020_pretalx.json", &[("other", 23)]),
        (
            "divoc-r2r2021_pretalx.json",
            &[("lightning", 1), ("other", 13), ("talk", 31)],
        ),
        (
            "rc3channels2020_pretalx.json",
            &[
                ("lightning", 1),
                ("other", 1),
                ("talk", 44),
                ("workshop", 2),
            ],
        ),
    ];
    for (file, counts) in expected {
        let cal = load(&dir, file);
        let mut got: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for s in &cal.sessions {
            *got.entry(s.kind.name()).or_default() += 1;
        }
        let got: Vec<(&str, usize)> = got.into_iter().collect();
        assert_eq!(got, *counts, "{file}");
    }
}
