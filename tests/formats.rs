//! One hand-made fixture per quirk of the schedule formats (`tests/fixtures/frab_*.xml`,
//! `pretalx_quirks.json`) and per iCalendar detail D1–D6 of issue 11, loaded through the
//! public API and checked as a user would see them: days, local times, rooms, speakers,
//! ids, zones, warnings.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use hallway::calendar::{Calendar, Format, LoadOptions, Session, ZoneSource};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn load_as(name: &str, zone: Option<Tz>) -> Calendar {
    Calendar::parse(&fixture(name), &LoadOptions::new(name, zone, Tz::UTC))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load(name: &str) -> Calendar {
    load_as(name, None)
}

fn titled<'a>(cal: &'a Calendar, title: &str) -> &'a Session {
    cal.sessions
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no session {title:?} in {:?}", cal.sessions))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hm(cal: &Calendar, s: &Session) -> String {
    cal.local(s.start).format("%Y-%m-%d %H:%M").to_string()
}

fn unique_ids(cal: &Calendar) {
    let ids: HashSet<&str> = cal.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), cal.sessions.len(), "{:?}", cal.sessions);
}

#[test]
fn pentabarf_events_without_room_wrappers_or_dates() {
    let cal = load("frab_no_room_wrappers.xml");
    assert_eq!(cal.format(), Format::ScheduleXml);
    assert_eq!(cal.name, "Old Conf 2007");
    assert_eq!(
        (cal.zone, cal.zone_source),
        (Tz::Europe__Brussels, ZoneSource::City)
    );
    let aiglx = titled(&cal, "AIGLX");
    assert_eq!(aiglx.id, "0");
    assert_eq!(hm(&cal, aiglx), "2007-02-25 15:00");
    assert_eq!(aiglx.duration().num_minutes(), 45);
    assert_eq!(aiglx.room, "Chavanne");
    assert_eq!(aiglx.tracks, vec!["Desktop"]);
    assert_eq!(aiglx.speakers.as_deref(), Some("Kristian Høgsberg"));
    assert_eq!(aiglx.description, "A link here.");
    assert_eq!(aiglx.links[0].title, "Video (Ogg/Theora)");
    // Before the 09:00 day change: the night after the day it is listed under.
    let late = titled(&cal, "After hours");
    assert_eq!(hm(&cal, late), "2007-02-26 01:30");
    assert_eq!(cal.day_of(late), date(2007, 2, 25));
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(9, 0, 0));
    assert_eq!(cal.days(), vec![date(2007, 2, 25)]);
}

#[test]
fn frab_single_quotes_and_a_night_past_midnight() {
    let cal = load("frab_single_quotes.xml");
    assert_eq!(cal.name, "31. Chaos Communication Congress");
    // No zone name, no city: the offset its times state.
    assert_eq!(
        (cal.zone.name(), cal.zone_source),
        ("Etc/GMT-1", ZoneSource::Offset)
    );
    assert!(cal.zone_note().is_none());
    let night = titled(&cal, "Night talk");
    assert_eq!(hm(&cal, night), "2014-12-28 01:30");
    assert_eq!(cal.day_of(night), date(2014, 12, 27));
    assert_eq!(night.kind, hallway::calendar::Kind::Lightning);
    assert_eq!(
        titled(&cal, "Workshop on day two").kind,
        hallway::calendar::Kind::Workshop
    );
    assert_eq!(cal.find_day("1"), Ok(date(2014, 12, 27)));
    assert_eq!(cal.find_day("2"), Ok(date(2014, 12, 28)));
    assert!(
        cal.find_day("3")
            .unwrap_err()
            .to_string()
            .contains("1 = Sat 2014-12-27, 2 = Sun 2014-12-28")
    );
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(4, 0, 0));
    // The now-line at 02:00 on the 28th is still in the first day; at 10:00, the second.
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert_eq!(
        cal.day_of_instant(at("2014-12-28T01:00:00Z")),
        date(2014, 12, 27)
    );
    assert_eq!(
        cal.day_of_instant(at("2014-12-28T09:00:00Z")),
        date(2014, 12, 28)
    );
    // Saal 1 then Saal 2, as listed, though Saal 2 has as many sessions.
    let rooms: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).collect();
    assert_eq!(rooms, vec!["Saal 1", "Saal 2"]);
    assert_eq!(titled(&cal, "Opening Event").language, "en");
}

#[test]
fn duplicate_guids_and_ids_are_kept_with_unique_ids() {
    let cal = load("frab_duplicate_ids.xml");
    assert_eq!(cal.sessions.len(), 4);
    unique_ids(&cal);
    assert_eq!(titled(&cal, "First").uid, "same-guid");
    assert_eq!(titled(&cal, "Second").uid, "same-guid");
    assert!(titled(&cal, "First").id.starts_with("same-guid#"));
    assert_eq!(titled(&cal, "Third").uid, "7");
    let warnings: Vec<&str> = cal.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        warnings.contains(&"2 events share UID same-guid: each is named by its start and title"),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&"2 events share UID 7: each is named by its start and title"),
        "{warnings:?}"
    );
    assert_eq!(cal.zone, Tz::Europe__Berlin);
    assert_eq!(hm(&cal, titled(&cal, "First")), "2026-03-01 10:00");
}

#[test]
fn links_in_href_or_text_durations_and_a_disagreeing_date() {
    let cal = load("frab_links_durations.xml");
    let hello = titled(&cal, "Begrüßung");
    assert_eq!(hello.duration().num_minutes(), 45);
    let links: Vec<(&str, &str)> = hello
        .links
        .iter()
        .map(|l| (l.url.as_str(), l.title.as_str()))
        .collect();
    assert_eq!(
        links,
        vec![
            ("http://media.example.org/11-Opening.pdf", "Slides"),
            ("http://media.example.org/video.mp4", ""),
        ]
    );
    assert_eq!(hello.speakers.as_deref(), Some("DENOG Orga"));
    let long = titled(&cal, "Long one");
    assert_eq!(long.duration().num_minutes(), 60);
    // <date> says 15:00, day and start say 14:00: the date is followed, and said once.
    assert_eq!(hm(&cal, long), "2015-10-29 15:00");
    assert!(
        cal.warnings.iter().any(|w| w.line == Some(21)
            && w.message
                == "event \"Long one\" gives a <date> that disagrees with its day and start \
                    time; the date is followed"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn broken_xml_keeps_what_came_before_and_says_where() {
    let cal = load("frab_broken.xml");
    assert!(!cal.is_complete());
    assert_eq!(cal.expected_end(), "</schedule>");
    let titles: Vec<&str> = cal.sessions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, vec!["Kept"]);
    let warnings: Vec<String> = cal.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("line 7: event no-start skipped: no start time")),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&"line 8: the file ends inside this event; it is skipped".to_owned()),
        "{warnings:?}"
    );
    // Broken mark-up, not just a file cut short.
    let broken = "<schedule><conference><title>B</title><time_zone_name>UTC</time_zone_name></conference><day index='1' date='2026-05-01'><event guid='a'><start>10:00</start><title>A</title></event><event guid='b'><start>11:00</start><title>B</title></event></day><!-- x </schedule>";
    let cal = Calendar::parse(broken.as_bytes(), &LoadOptions::new("b", None, Tz::UTC)).unwrap();
    assert_eq!(cal.sessions.len(), 2);
    assert!(!cal.is_complete());
    assert!(
        cal.warnings
            .iter()
            .any(|w| w.message.contains("the XML breaks off here")),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn pretalx_json_quirks() {
    let cal = load("pretalx_quirks.json");
    assert_eq!(cal.format(), Format::ScheduleJson);
    assert_eq!(cal.name, "DemoCon");
    assert_eq!(cal.zone.name(), "Etc/GMT-2");
    let opening = titled(&cal, "Opening");
    assert!(opening.tracks.is_empty(), "track: null is no track");
    assert_eq!(opening.subtitle, "Hello");
    assert_eq!(opening.speakers.as_deref(), Some("DiVOC-Team"));
    assert_eq!(
        opening.description,
        "Opening\n\nAsk your questions in this pad (https://pad.example.org/x)."
    );
    assert_eq!(opening.links[0].url, "https://example.org/slides");
    assert_eq!(opening.kind, hallway::calendar::Kind::Talk);
    let night = titled(&cal, "Night owls");
    assert_eq!(hm(&cal, night), "2020-09-05 01:30");
    assert_eq!(cal.day_of(night), date(2020, 9, 4));
    assert_eq!(night.speakers.as_deref(), Some("DJ One"));
    assert_eq!(
        titled(&cal, "Side talk").speakers.as_deref(),
        Some("Ann Lee")
    );
    // Listed under the 5th at 03:30, which is the night of the 4th.
    assert_eq!(
        cal.day_of(titled(&cal, "Listed under the next date")),
        date(2020, 9, 4)
    );
    // The conference's room list orders the columns.
    let rooms: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).collect();
    assert_eq!(rooms, vec!["Second Room", "Main Room"]);
    // An event with no start (and odd types) is skipped, naming it.
    assert!(
        cal.warnings
            .iter()
            .any(|w| w.message == "event broken-event skipped: no start time"),
        "{:?}",
        cal.warnings
    );
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(4, 0, 0));
}

#[test]
fn json_that_is_not_a_schedule_is_refused_saying_so() {
    let err = |text: &str| {
        Calendar::parse(text.as_bytes(), &LoadOptions::new("x.json", None, Tz::UTC))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(r#"{"events": []}"#),
        "x.json: not a calendar: JSON without schedule.conference (not a frab or pretalx schedule.json)"
    );
    assert!(
        err(r#"{"schedule": {"conference": "#).starts_with("x.json: not a calendar: broken JSON")
    );
    assert_eq!(
        err("<?xml version=\"1.0\"?><rss></rss>"),
        "x.json: not a calendar: XML whose root is <rss>, not <schedule>"
    );
}

/// A download that stopped: every cut of a schedule.json either reads the events whole
/// before the cut (marked incomplete, with a warning) or is refused in one line; never more
/// sessions than the whole file, never a panic.
#[test]
fn a_schedule_json_cut_short_is_read_as_far_as_it_goes() {
    let whole = fixture("pretalx_quirks.json");
    let options = LoadOptions::new("cut.json", None, Tz::UTC);
    let full = Calendar::parse(&whole, &options).unwrap();
    assert!(full.is_complete());
    let mut read_some = 0;
    for cut in (1..whole.len()).step_by(13) {
        match Calendar::parse(&whole[..cut], &options) {
            Ok(cal) => {
                assert!(!cal.is_complete(), "cut at {cut}");
                assert!(cal.sessions.len() <= full.sessions.len());
                if !cal.sessions.is_empty() {
                    read_some += 1;
                    assert!(
                        cal.warnings
                            .iter()
                            .any(|w| w.message.contains("ends inside its JSON")),
                        "{:?}",
                        cal.warnings
                    );
                }
            }
            Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
        }
    }
    assert!(read_some > 10, "{read_some}");
}

#[test]
fn d1_an_all_day_date_stays_on_its_date_in_every_zone() {
    for zone in [
        None,
        Some(Tz::America__New_York),
        Some(Tz::Pacific__Auckland),
    ] {
        let cal = load_as("d1_all_day_date.ics", zone);
        let day = titled(&cal, "Hallway track all day");
        assert!(day.all_day);
        assert_eq!(cal.day_of(day), date(2024, 10, 15), "{zone:?}");
        assert_eq!(
            cal.find_day("2024-10-15"),
            Ok(date(2024, 10, 15)),
            "{zone:?}"
        );
        assert!(cal.days().contains(&date(2024, 10, 15)));
    }
}

#[test]
fn d2_angle_brackets_in_plain_text_are_text() {
    let cal = load("d2_plain_description.ics");
    assert_eq!(
        cal.get("d2-text").unwrap().description,
        "Why Vec<String> beats Vec<&str> and when Option<T> helps. More: <https://example.org/t/1>"
    );
    assert_eq!(
        cal.get("d2-link-only").unwrap().description,
        "<https://example.org/t/2>"
    );
    assert_eq!(
        cal.get("d2-html").unwrap().description,
        "Fast & small\n\nSee https://example.org/t/3"
    );
}

#[test]
fn d3_attendees_are_the_speakers_and_the_title_is_not_split() {
    let cal = load("d3_attendees.ics");
    let brew = cal.get("d3-homebrew").unwrap();
    assert_eq!(
        brew.title,
        "Homebrew - The Good, Bad and Ugly of OSX Packaging"
    );
    assert_eq!(brew.speakers.as_deref(), Some("Mike McQuaid"));
    let panel = cal.get("d3-chair").unwrap();
    assert_eq!(panel.title, "Panel - Distributions Today");
    assert_eq!(panel.speakers.as_deref(), Some("Ann Lee"));
}

#[test]
fn d4_speaker_tails_in_a_calendar_that_ends_titles_in_names() {
    let cal = load("d4_speaker_tails.ics");
    let split = |uid: &str| {
        let s = cal.get(uid).unwrap();
        (s.title.as_str(), s.speakers.as_deref())
    };
    assert_eq!(
        split("d4-1"),
        ("Open source metrics that matter", Some("amanda casari"))
    );
    assert_eq!(
        split("d4-2"),
        ("Beatmaking with Python and FoxDot", Some("Sangarshanan"))
    );
    assert_eq!(
        split("d4-3"),
        (
            "[event] Hatchery - Humble Data, pre-registration required",
            None
        )
    );
    assert_eq!(
        split("d4-4"),
        ("Typing in anger", Some("Ann Lee & Bo Chan"))
    );
    assert_eq!(split("d4-5"), ("Rust - Past, Present and Future", None));
    assert_eq!(
        split("d4-6"),
        ("Packaging for everyone", Some("Jane Doe, Max Mustermann"))
    );
}

#[test]
fn d5_events_sharing_a_uid_are_named_by_content_and_warned_about_once() {
    let cal = load("d5_shared_uid.ics");
    unique_ids(&cal);
    assert!(
        cal.sessions
            .iter()
            .all(|s| s.uid == "46939" && s.id.starts_with("46939#"))
    );
    let warned: Vec<&str> = cal
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("share UID"))
        .collect();
    assert_eq!(
        warned,
        vec!["3 events share UID 46939: each is named by its start and title"]
    );
    // The first talk leaves the file: the others keep their ids (and their stars).
    let text = String::from_utf8(fixture("d5_shared_uid.ics")).unwrap();
    let first = "BEGIN:VEVENT\nUID:46939\nDTSTART:20240201T100000Z\nDURATION:PT30M\nSUMMARY:Talk 1\nEND:VEVENT\n";
    assert!(text.contains(first));
    let later = Calendar::parse(
        text.replace(first, "").as_bytes(),
        &LoadOptions::new("d5", None, Tz::UTC),
    )
    .unwrap();
    for s in &later.sessions {
        assert_eq!(
            cal.get(&s.id).map(|o| o.title.as_str()),
            Some(s.title.as_str())
        );
    }
}

#[test]
fn d6_zones_from_coordinates_and_from_the_calendars_name() {
    let camp = load("d6_geo.ics");
    assert_eq!(
        (camp.zone, camp.zone_source),
        (Tz::Europe__Rome, ZoneSource::Coordinates)
    );
    assert_eq!(
        hm(&camp, titled(&camp, "Morning circle")),
        "2024-08-15 10:00"
    );
    assert!(camp.zone_note().is_none());
    let pycon = load("d6_name_city.ics");
    assert_eq!(
        (pycon.zone, pycon.zone_source),
        (Tz::Europe__Berlin, ZoneSource::Name)
    );
    assert_eq!(hm(&pycon, &pycon.sessions[0]), "2024-04-22 09:00");
}

#[test]
fn d6_a_calendar_with_no_hint_says_its_zone_is_a_guess() {
    let cal = load("duration_no_end.ics");
    assert_eq!(cal.zone_source, ZoneSource::Fallback);
    assert_eq!(
        cal.zone_note().as_deref(),
        Some("no time zone in this calendar: times are UTC; use --tz")
    );
    let machine = Calendar::parse(
        &fixture("duration_no_end.ics"),
        &LoadOptions::new("x", None, Tz::Asia__Kolkata),
    )
    .unwrap();
    assert_eq!(
        machine.zone_note().as_deref(),
        Some(
            "no time zone in this calendar: times are in Asia/Kolkata, this machine's zone; use --tz"
        )
    );
    let chosen = load_as("duration_no_end.ics", Some(Tz::Europe__Paris));
    assert_eq!(chosen.zone_note(), None);
}

#[test]
fn icalendar_evenings_past_midnight_get_a_day_change() {
    let cal = load("night_sessions.ics");
    assert_eq!(cal.day_change(), NaiveTime::from_hms_opt(6, 0, 0));
    assert_eq!(cal.day_of(titled(&cal, "Night show")), date(2024, 12, 27));
    assert_eq!(
        cal.day_of(titled(&cal, "Day two night")),
        date(2024, 12, 28)
    );
    assert_eq!(
        cal.days(),
        vec![date(2024, 12, 27), date(2024, 12, 28), date(2024, 12, 29)]
    );
    // An ordinary calendar keeps midnight.
    assert_eq!(load("d2_plain_description.ics").day_change(), None);
    assert_eq!(Calendar::bundled(None, Tz::UTC).day_change(), None);
}
