//! Every real-world file of `../shared/data/corpus` loads, and its sessions start at the
//! instants the file states. The expected instants are worked out here by a deliberately
//! simple reader of our own, not by the loader under test.
//!
//! The corpus is not shipped with hallway; where the folder is absent the test says so and
//! passes, except under CI (`CI=true`), where it fails.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use hallway::calendar::{Calendar, LoadOptions};

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} not found, and CI must run the corpus test",
            dir.display()
        );
        println!("note: {} not found; corpus test skipped", dir.display());
        None
    }
}

/// A VEVENT as this test reads it: UID, DTSTART (params, value), and recurrence markers.
#[derive(Debug, Default)]
struct Vevent {
    uid: String,
    dtstart: Option<(String, String)>,
    recurring: bool,
    recurrence_id: bool,
    exdates: Vec<String>,
}

/// Unfolds on bytes, decodes lossily, and collects the top-level VEVENTs' few properties.
fn vevents(bytes: &[u8]) -> (Vec<Vevent>, HashMap<String, String>) {
    let mut unfolded: Vec<u8> = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(rest) = line.strip_prefix(b" ").or_else(|| line.strip_prefix(b"\t")) {
            unfolded.extend_from_slice(rest);
        } else {
            unfolded.push(b'\n');
            unfolded.extend_from_slice(line);
        }
    }
    let text = String::from_utf8_lossy(&unfolded);
    let mut events = Vec::new();
    let mut calendar = HashMap::new();
    let mut depth = 0;
    let mut current: Option<Vevent> = None;
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        let Some((head, value)) = line.split_once(':') else {
            continue;
        };
        let (name, params) = head.split_once(';').unwrap_or((head, ""));
        match name {
            "BEGIN" => {
                depth += 1;
                if depth == 2 && value == "VEVENT" {
                    current = Some(Vevent::default());
                }
            }
            "END" => {
                if depth == 2
                    && let Some(ev) = current.take()
                {
                    events.push(ev);
                }
                depth -= 1;
            }
            _ if depth == 1 => {
                calendar.insert(name.to_owned(), value.to_owned());
            }
            _ if depth == 2 => {
                if let Some(ev) = current.as_mut() {
                    match name {
                        "UID" => value.trim().clone_into(&mut ev.uid),
                        "DTSTART" => ev.dtstart = Some((params.to_owned(), value.to_owned())),
                        "RRULE" | "RDATE" => ev.recurring = true,
                        "RECURRENCE-ID" => ev.recurrence_id = true,
                        "EXDATE" => ev.exdates.extend(value.split(',').map(str::to_owned)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    (events, calendar)
}

/// The instant a DTSTART names, where this simple reader can tell: UTC, an IANA TZID, or a
/// floating/date value in the calendar's X-WR-TIMEZONE.
fn expected_start(params: &str, value: &str, calendar_zone: Option<Tz>) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Some(utc) = value.strip_suffix('Z') {
        return Some(
            NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
                .ok()?
                .and_utc(),
        );
    }
    let zone = match params.split(';').find_map(|p| p.strip_prefix("TZID=")) {
        Some(tzid) => Tz::from_str(tzid.trim_matches('"')).ok()?,
        None => calendar_zone?,
    };
    let local = match NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S") {
        Ok(t) => t,
        Err(_) => NaiveDate::parse_from_str(value, "%Y%m%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?,
    };
    Some(
        zone.from_local_datetime(&local)
            .earliest()?
            .with_timezone(&Utc),
    )
}

#[test]
fn every_corpus_file_loads_with_its_stated_start_times() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ics"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "corpus has {} files", files.len());
    let mut checked = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let cal = Calendar::parse(&bytes, &LoadOptions::new(&name, None, Tz::UTC))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!cal.sessions.is_empty(), "{name}: no sessions");
        assert!(
            !cal.warnings.iter().any(|w| w.message.contains("skipped")),
            "{name}: {:?}",
            cal.warnings
        );
        let (events, props) = vevents(&bytes);
        let calendar_zone = props
            .get("X-WR-TIMEZONE")
            .and_then(|z| Tz::from_str(z.trim()).ok())
            .filter(|z| z.name() != "UTC");
        let mut by_uid: HashMap<&str, Vec<DateTime<Utc>>> = HashMap::new();
        for s in &cal.sessions {
            by_uid.entry(s.uid.as_str()).or_default().push(s.start);
        }
        let uids: HashSet<&str> = by_uid.keys().copied().collect();
        for ev in &events {
            let (params, value) = ev.dtstart.as_ref().expect("corpus events have DTSTART");
            let starts = by_uid.get(ev.uid.as_str());
            if ev.recurring && ev.exdates.iter().any(|x| x.trim() == value.trim()) {
                continue; // its first occurrence is excluded; later ones may fall outside
            }
            assert!(
                uids.contains(ev.uid.as_str()),
                "{name}: event {} has no session",
                ev.uid
            );
            let Some(expected) = expected_start(params, value, calendar_zone) else {
                continue; // a zone only the loader resolves (Windows, custom VTIMEZONE)
            };
            if ev.recurring && !ev.recurrence_id {
                // The first occurrence may have been moved by an override.
                continue;
            }
            assert!(
                starts.is_some_and(|s| s.contains(&expected)),
                "{name}: event {} should start at {expected}, sessions start at {starts:?}",
                ev.uid
            );
            checked += 1;
        }
    }
    assert!(checked > 600, "only {checked} start instants checked");
}

#[test]
fn windows_and_custom_zones_in_the_corpus_resolve() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let load = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        Calendar::parse(&bytes, &LoadOptions::new(file, None, Tz::UTC)).unwrap()
    };
    let exchange = load("exchange2010_windows_tzids.ics");
    let first = exchange
        .sessions
        .iter()
        .find(|s| s.title == "test")
        .unwrap();
    // 09:00 W. Europe Standard Time (Berlin, summer) is 07:00 UTC.
    assert_eq!(
        first.start,
        "2020-09-10T07:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    let swallowed = exchange
        .sessions
        .iter()
        .find(|s| s.title == "Log Yesterday's Jira time")
        .unwrap();
    assert_eq!(
        swallowed.start,
        "2020-06-09T07:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert!(exchange.warnings.is_empty(), "{:?}", exchange.warnings);

    let categories = load("categories_multi_base64.ics");
    let s = &categories.sessions[0];
    assert_eq!(
        s.start,
        "2025-09-03T13:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(
        s.tracks,
        vec![
            "One",
            "Two",
            "Three",
            "Four",
            "Five",
            "Six",
            "Seven",
            "A string of text with comma, semicolon; and a newline ."
        ]
    );
    // EXDATE:20250914 is a Sunday outside BYDAY; the 15th is a Monday and stays.
    assert!(
        categories
            .sessions
            .iter()
            .all(|s| s.start.date_naive() != NaiveDate::from_ymd_opt(2025, 9, 14).unwrap())
    );

    let fosdem = load("pentabarf_fosdem2012_full.ics");
    assert_eq!(fosdem.zone, Tz::Europe__Brussels);
    let welcome = fosdem.get("448@FOSDEM12@fosdem.org").unwrap();
    assert_eq!(welcome.speakers.as_deref(), Some("FOSDEM Staff"));
    assert_eq!(
        welcome.url.as_deref(),
        Some("https://fosdem.org/2012/schedule/event/keynotes_welcome")
    );
    assert_eq!(welcome.description, "FOSDEM welcome and opening talk.");
}
