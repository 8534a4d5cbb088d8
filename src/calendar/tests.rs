//! Loading rules, one fixture per hard case (`tests/fixtures/`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../tests/fixtures/", $name))
    };
}

fn load_in(bytes: &[u8], system: Tz) -> Calendar {
    Calendar::parse(bytes, &LoadOptions::new("fixture.ics", None, system)).unwrap()
}

fn load(bytes: &[u8]) -> Calendar {
    load_in(bytes, Tz::UTC)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn ids(cal: &Calendar) -> Vec<&str> {
    cal.sessions.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn bundled_calendar_in_paris_time_on_a_utc_machine() {
    let cal = Calendar::bundled(None, Tz::UTC);
    assert_eq!(cal.name, "PyTorch Conference Europe 2026");
    assert_eq!(cal.sessions.len(), 129);
    assert_eq!(cal.zone, Tz::Europe__Paris);
    assert_eq!(cal.zone_source, ZoneSource::Locations);
    assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
    assert_eq!(cal.rooms().len(), 8);
    let days: Vec<String> = cal.days().iter().map(ToString::to_string).collect();
    assert_eq!(days, vec!["2026-04-07", "2026-04-08"]);

    let first_keynote = cal
        .sessions
        .iter()
        .find(|s| s.title.starts_with("Keynote"))
        .unwrap();
    assert_eq!(
        cal.local(first_keynote.start)
            .format("%A %-d %B %Y %H:%M")
            .to_string(),
        "Tuesday 7 April 2026 09:00"
    );
    let helion = cal
        .sessions
        .iter()
        .find(|s| s.title.starts_with("Helion 1.0"))
        .unwrap();
    assert_eq!(
        helion.title,
        "Helion 1.0: A High-Level DSL for Performance Portable Kernels"
    );
    assert_eq!(helion.speakers.as_deref(), Some("Oguz Ulgen, Meta"));
    assert_eq!(helion.room, "Master Stage");
    assert_eq!(helion.location, "Master Stage, Paris, France");
    assert_eq!(helion.tracks, vec!["Frameworks & Compilers"]);
    assert_eq!(
        format!(
            "{}–{}",
            cal.local(helion.start).format("%H:%M"),
            cal.local(helion.end).format("%H:%M")
        ),
        "11:00–11:25"
    );
}

#[test]
fn the_bundled_calendar_names_its_rooms_and_tracks_readably() {
    let cal = Calendar::bundled(None, Tz::UTC);
    let rooms: Vec<&str> = cal.rooms().into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        rooms,
        vec![
            "Master Stage",
            "Central Room",
            "Founders Cafe",
            "Open Platform",
            "Junior Stage",
            "Lobby",
            "Biblioteca Room at La Felicità",
            "Paris, France"
        ]
    );
    let tracks: HashSet<&str> = cal
        .sessions
        .iter()
        .flat_map(|s| s.tracks.iter().map(Text::as_str))
        .collect();
    for t in [
        "GenAI & Multimodal",
        "Responsible AI & Compliance",
        "Birds of a Feather",
    ] {
        assert!(tracks.contains(t), "{t} in {tracks:?}");
    }
}

#[test]
fn tz_flag_overrides_the_calendar_zone() {
    let cal = Calendar::parse(
        BUNDLED,
        &LoadOptions::new("b", Some(Tz::America__New_York), Tz::UTC),
    )
    .unwrap();
    assert_eq!(cal.zone, Tz::America__New_York);
    assert_eq!(cal.zone_source, ZoneSource::Flag);
    let first = cal
        .sessions
        .iter()
        .find(|s| s.title.starts_with("Keynote"))
        .unwrap();
    assert_eq!(cal.local(first.start).format("%H:%M").to_string(), "03:00");
}

#[test]
fn unescaped_semicolons_lose_nothing() {
    let cal = load(fixture!("sched_semicolon.ics"));
    assert_eq!(cal.name, "Demo Conf 2026");
    let s = cal.get("a1").unwrap();
    assert_eq!(s.title, "How DeepInverse Solves Imaging");
    assert_eq!(
        s.speakers.as_deref(),
        Some("Andrew Wang, DeepInverse; Minh Hai Nguyen, Université de Toulouse")
    );
    assert_eq!(s.tracks, vec!["Frameworks & Compilers"]);
    assert_eq!(s.room, "Master Stage");
    let sponsor = cal.get("a2").unwrap();
    assert_eq!(
        sponsor.title,
        "Sponsor Activity - Lobster Trap: OpenClaw in Containers"
    );
    assert_eq!(sponsor.speakers, None);
    assert_eq!(sponsor.room, "Paris, France");
    assert_eq!(sponsor.tracks, vec!["Breaks/Exhibits/Special Events"]);
}

#[test]
fn crlf_bom_and_space_and_tab_folds() {
    let cal = load(fixture!("crlf_bom_folds.ics"));
    let s = cal.get("fold-1").unwrap();
    assert_eq!(
        s.title,
        "A title that was folded by a space andthen by a tab"
    );
    assert_eq!(s.description, "Line one\nLine two");
    assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
}

#[test]
fn a_fold_far_into_the_file_is_unfolded_as_one_near_its_start() {
    // The first fold is past what is looked through before reading (64 KB): the reader
    // meets it, and the calendar is read again unfolded.
    let filler: String = (0..1000)
        .map(|i| event_text(&format!("e{i}"), "20260407T090000Z", "Plain title"))
        .collect();
    assert!(filler.len() > 64 * 1024);
    let folded = "BEGIN:VEVENT\r\nUID:late\r\nDTSTART:20260408T090000Z\r\nSUMMARY:A title fol\r\n ded by a space and\r\n\tby a tab\r\nLOCATION:Hall é\r\n 1\r\nEND:VEVENT\r\n";
    let mut bytes = calendar_of(&filler).into_bytes();
    let end = bytes.len() - "END:VCALENDAR\n".len();
    bytes.splice(end..end, folded.bytes());
    let options = LoadOptions::new("fixture.ics", None, Tz::UTC);
    for cal in [
        Calendar::parse(&bytes, &options).unwrap(),
        Calendar::parse_owned(bytes.clone(), &options).unwrap(),
    ] {
        assert_eq!(cal.sessions.len(), 1001);
        let late = cal.get("late").unwrap();
        assert_eq!(late.title, "A title folded by a space andby a tab");
        assert_eq!(late.location, "Hall \u{e9}1");
        assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
    }
}

#[test]
fn a_fold_inside_a_utf8_sequence_reads_back_whole() {
    let cal = load(fixture!("utf8_split_fold.ics"));
    let s = cal.get("split-1").unwrap();
    assert_eq!(s.title, "Numérique et géopolitique");
    assert_eq!(s.room, "Amphithéâtre 1600");
    assert_eq!(s.start, at("2022-05-17T12:00:00Z"));
    assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
}

#[test]
fn invalid_utf8_reads_lossily_with_a_warning() {
    let cal = load(fixture!("invalid_utf8.ics"));
    assert_eq!(cal.sessions.len(), 1);
    assert!(cal.sessions[0].title.contains('\u{FFFD}'));
    assert_eq!(cal.warnings.len(), 1);
    assert_eq!(cal.warnings[0].line, Some(6));
    assert!(cal.warnings[0].message.contains("invalid UTF-8"));
}

#[test]
fn junk_before_and_after_the_calendar_is_ignored_with_warnings() {
    let cal = load(fixture!("junk_around.ics"));
    assert_eq!(ids(&cal), vec!["junk-1"]);
    let warnings: Vec<String> = cal.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "line 1: 3 lines before BEGIN:VCALENDAR ignored",
            "line 12: 1 line after END:VCALENDAR ignored"
        ]
    );
}

#[test]
fn a_vtimezone_after_a_whole_run_of_events_counts_for_them_on_one_thread_and_on_several() {
    // Events are read run by run (1,024) as their lines are on one thread: those read
    // before the VTIMEZONE are read again with it. Its name is none that names a zone.
    let event = |i: usize| {
        format!(
            "BEGIN:VEVENT\nUID:e{i}\nSUMMARY:Talk\nDTSTART;TZID=Venue clock:20250902T090000\nEND:VEVENT\n"
        )
    };
    let vtimezone = "BEGIN:VTIMEZONE\nTZID:Venue clock\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\nEND:VTIMEZONE\n";
    let text = calendar_of(&format!(
        "{}{vtimezone}",
        (0..3000).map(event).collect::<String>()
    ));
    let options = LoadOptions::new("fixture.ics", None, Tz::UTC);
    for options in [options.clone().single_threaded(), options] {
        let cal = Calendar::parse(text.as_bytes(), &options).unwrap();
        assert_eq!(cal.sessions.len(), 3000);
        for s in &cal.sessions {
            assert_eq!(s.start, at("2025-09-02T06:00:00Z"), "{}", s.id);
        }
        assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
    }
}

#[test]
fn windows_zone_names_and_the_exchange_quote() {
    let cal = load(fixture!("windows_tzid.ics"));
    // 09:00 Berlin summer time and winter time.
    assert_eq!(cal.get("win-1").unwrap().start, at("2020-06-09T07:00:00Z"));
    assert_eq!(cal.get("win-1").unwrap().end, at("2020-06-09T07:30:00Z"));
    assert_eq!(cal.get("win-2").unwrap().start, at("2020-12-10T08:00:00Z"));
    assert_eq!(cal.zone, Tz::Europe__Berlin);
}

#[test]
fn custom_vtimezone_after_its_events() {
    let cal = load(fixture!("custom_vtimezone.ics"));
    assert_eq!(
        cal.get("custom-1").unwrap().start,
        at("2025-09-02T13:00:00Z")
    );
    assert_eq!(
        cal.get("custom-2").unwrap().start,
        at("2025-12-02T14:00:00Z")
    );
    assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
}

#[test]
fn floating_times_are_in_the_calendars_zone_not_the_machines() {
    let cal = load_in(fixture!("floating_calendar_zone.ics"), Tz::Asia__Tokyo);
    assert_eq!(cal.zone, Tz::Europe__Brussels);
    assert_eq!(
        cal.get("float-1").unwrap().start,
        at("2012-02-04T09:30:00Z")
    );
    assert_eq!(cal.name, "FOSDEM12");
}

#[test]
fn all_day_events_last_their_days() {
    let cal = load(fixture!("all_day.ics"));
    let one = cal.get("day-1").unwrap();
    assert!(one.all_day);
    assert_eq!(one.start, at("2026-04-06T15:00:00Z"));
    assert_eq!(one.duration(), chrono::Duration::days(1));
    assert_eq!(
        cal.get("day-2").unwrap().duration(),
        chrono::Duration::days(3)
    );
}

#[test]
fn duration_instead_of_dtend_and_no_end_at_all() {
    let cal = load(fixture!("duration_no_end.ics"));
    let workshop = cal.get("dur-1").unwrap();
    assert_eq!(workshop.end, at("2021-09-19T13:00:00Z"));
    let instant = cal.get("dur-2").unwrap();
    assert_eq!(instant.end, instant.start);
}

#[test]
fn rrule_exdate_rdate_and_recurrence_id() {
    let cal = load(fixture!("recurrence.ics"));
    assert_eq!(
        ids(&cal),
        vec![
            "standup/20240326T090000Z",
            "standup/20240327T090000Z",
            "standup/20240329T090000Z",
            "standup/20240330T090000Z",
            "standup/20240401T110000Z",
            "conference",
        ]
    );
    let moved = cal.get("standup/20240329T090000Z").unwrap();
    assert_eq!(moved.title, "Stand-up (moved)");
    assert_eq!(moved.start, at("2024-03-29T16:00:00Z"));
    // After the clocks change on 31 March, 12:00 London is 11:00 UTC.
    assert_eq!(
        cal.get("standup/20240401T110000Z").unwrap().start,
        at("2024-04-01T11:00:00Z")
    );
}

#[test]
fn unbounded_rules_stay_inside_the_span_and_the_cap() {
    let cal = load(fixture!("unbounded_rrule.ics"));
    let count = |uid: &str| cal.sessions.iter().filter(|s| s.uid == uid).count();
    assert_eq!(count("forever"), usize::from(recur::MAX_OCCURRENCES));
    // Weekly from 1 January until the conference ends on 8 April: 14 Thursdays.
    assert_eq!(count("weekly"), 14);
    assert_eq!(count("talk"), 1);
    assert!(
        cal.warnings
            .iter()
            .any(|w| w.message.contains("forever") && w.message.contains("cut")),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn broken_events_are_skipped_with_their_line_and_uid() {
    let cal = load(fixture!("broken_events.ics"));
    assert_eq!(ids(&cal), vec!["good"]);
    let warnings: Vec<String> = cal.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "line 3: event no-start skipped: no DTSTART",
            "line 7: event bad-date skipped: unreadable DTSTART '20261340T250000Z'",
        ]
    );
}

#[test]
fn missing_uids_get_stable_ids_and_duplicates_distinct_ones() {
    let cal = load(fixture!("uids.ics"));
    let again = load(fixture!("uids.ics"));
    assert_eq!(ids(&cal), ids(&again));
    assert!(
        cal.sessions[0].id.starts_with("nouid-"),
        "{}",
        cal.sessions[0].id
    );
    assert_eq!(cal.sessions[0].uid, "");
    // Events sharing a UID are named by their start and title (D5), so a star stays on its
    // talk when the other leaves the file.
    let first = &cal.sessions[1];
    let second = &cal.sessions[2];
    assert_eq!((first.uid.as_str(), second.uid.as_str()), ("dup", "dup"));
    assert!(
        first.id.starts_with("dup#") && first.id.len() == 12,
        "{}",
        first.id
    );
    assert_ne!(first.id, second.id);
    assert_eq!(
        cal.warnings[0].message,
        "2 events share UID dup: each is named by its start and title"
    );
    let text = String::from_utf8_lossy(fixture!("uids.ics")).into_owned();
    let without_first = text.replace(
        "BEGIN:VEVENT\nUID:dup\nSUMMARY:First of two\nDTSTART:20260407T100000Z\nEND:VEVENT\n",
        "",
    );
    assert_ne!(without_first, text);
    let later = load(without_first.as_bytes());
    assert_eq!(later.get("dup").unwrap().title, "Second of two");
    let with_a_third = text.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\nUID:dup\nSUMMARY:Third\nDTSTART:20260407T120000Z\nEND:VEVENT\nEND:VCALENDAR",
    );
    let more = load(with_a_third.as_bytes());
    assert_eq!(more.get(&second.id).unwrap().title, "Second of two");
    assert_eq!(more.get(&first.id).unwrap().title, "First of two");
}

#[test]
fn html_descriptions_become_text() {
    let cal = load(fixture!("html_description.ics"));
    assert_eq!(
        cal.get("html-1").unwrap().description,
        "Fast\u{a0}& small\n\n• a < b\n• c\nPlain line\nNext line"
    );
    assert_eq!(cal.get("html-2").unwrap().description, "From X-ALT-DESC");
}

#[test]
fn zone_inferred_from_the_city_in_the_locations() {
    let cal = load(fixture!("location_zone.ics"));
    assert_eq!(cal.zone, Tz::Europe__Berlin);
    assert_eq!(cal.zone_source, ZoneSource::Locations);
    assert_eq!(
        cal.local(cal.sessions[0].start).format("%H:%M").to_string(),
        "09:00"
    );
    assert_eq!(cal.sessions[0].room, "Hall A");
}

#[test]
fn the_machines_zone_is_the_last_resort() {
    let cal = load_in(fixture!("duration_no_end.ics"), Tz::Asia__Kolkata);
    assert_eq!(cal.zone, Tz::Asia__Kolkata);
    assert_eq!(cal.zone_source, ZoneSource::Fallback);
}

#[test]
fn no_control_character_survives_loading() {
    let cal = load(fixture!("hostile_text.ics"));
    let s = &cal.sessions[0];
    for text in [&s.title, &s.description, &s.room, &s.location] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{text:?}"
        );
    }
    assert_eq!(s.title, "Talk ]0;pwned[2J[31mred31mreversed");
    assert_eq!(s.description, "line[1m one\nline two");
}

#[test]
fn input_with_no_calendar_is_an_error_naming_the_source() {
    let err = |bytes: &[u8]| {
        Calendar::parse(bytes, &LoadOptions::new("talks.ics", None, Tz::UTC))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(fixture!("empty.ics")),
        "talks.ics: the calendar is empty"
    );
    assert_eq!(
        err(fixture!("not_icalendar.txt")),
        "talks.ics: not a calendar (iCalendar, schedule.xml or schedule.json)"
    );
    let empty = load(fixture!("no_events.ics"));
    assert!(empty.sessions.is_empty());
    assert_eq!(empty.warnings[0].message, "the calendar has no events");
}

#[test]
fn days_are_found_by_date_number_or_weekday() {
    let cal = Calendar::bundled(None, Tz::UTC);
    let wed = NaiveDate::from_ymd_opt(2026, 4, 8).unwrap();
    assert_eq!(cal.find_day("2026-04-08"), Ok(wed));
    assert_eq!(cal.find_day("2"), Ok(wed));
    assert_eq!(cal.find_day("wed"), Ok(wed));
    assert_eq!(cal.find_day("Wednesday"), Ok(wed));
    let err = cal.find_day("3").unwrap_err().to_string();
    assert!(
        err.contains("1 = Tue 2026-04-07, 2 = Wed 2026-04-08"),
        "{err}"
    );
}

fn calendar_of(events: &str) -> String {
    format!("BEGIN:VCALENDAR\nX-WR-CALNAME:t\n{events}END:VCALENDAR\n")
}

fn event_text(uid: &str, start: &str, summary: &str) -> String {
    format!(
        "BEGIN:VEVENT\nUID:{uid}\nDTSTART:{start}\nDURATION:PT30M\nSUMMARY:{summary}\nEND:VEVENT\n"
    )
}

#[test]
fn ids_are_unique_even_when_a_uid_looks_like_a_generated_id() {
    let text = calendar_of(
        &[
            event_text("dup", "20260407T090000Z", "First"),
            event_text("dup", "20260407T100000Z", "Second"),
            event_text("dup#2", "20260407T110000Z", "Third"),
            event_text("x/20260408T090000Z", "20260407T120000Z", "Looks like an occurrence"),
            "BEGIN:VEVENT\nUID:x\nDTSTART:20260408T090000Z\nRDATE:20260409T090000Z\nSUMMARY:Twice\nEND:VEVENT\n"
                .to_owned(),
        ]
        .concat(),
    );
    let cal = load(text.as_bytes());
    let all = ids(&cal);
    let distinct: HashSet<&str> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "{all:?}");
    assert_eq!(cal.get("dup#2").unwrap().title, "Third");
    let shared: Vec<&str> = cal
        .sessions
        .iter()
        .filter(|s| s.uid == "dup")
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(shared, vec!["First", "Second"]);
    assert_eq!(
        cal.get("x/20260408T090000Z").unwrap().title,
        "Looks like an occurrence"
    );
    assert_eq!(cal.get("x/20260408T090000Z#2").unwrap().title, "Twice");
    for (i, s) in cal.sessions.iter().enumerate() {
        assert_eq!(cal.position(&s.id), Some(i));
    }
}

#[test]
fn recurrence_does_not_multiply_long_text_without_bound() {
    // 1,000 occurrences of a 1 MB description would be a gigabyte.
    let text = calendar_of(&format!(
        "BEGIN:VEVENT\nUID:long\nDTSTART:20260407T090000Z\nRRULE:FREQ=DAILY;COUNT=1000\nDESCRIPTION:{}\nEND:VEVENT\n",
        "x".repeat(1 << 20)
    ));
    let cal = load(text.as_bytes());
    assert_eq!(cal.sessions.len(), 65);
    let total: usize = cal.sessions.iter().map(|s| s.description.len()).sum();
    assert!(total <= (64 << 20) + (1 << 20), "{total}");
    assert!(
        cal.warnings
            .iter()
            .any(|w| w.message == "event long: only 65 of its 1000 occurrences are shown: its text is too long to repeat more"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn utf16_calendars_with_a_byte_order_mark_load() {
    let text = calendar_of(&event_text("u", "20260407T090000Z", "Caf\u{e9} \u{1F600}"));
    for big_endian in [false, true] {
        let mut bytes: Vec<u8> = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let cal = load(&bytes);
        assert_eq!(cal.get("u").unwrap().title, "Caf\u{e9} \u{1F600}");
        assert!(cal.warnings.is_empty(), "{:?}", cal.warnings);
    }
}

#[test]
fn the_source_name_is_cleaned_for_display() {
    let cal = Calendar::parse(
        BUNDLED,
        &LoadOptions::new("evil\u{1b}]0;x\u{7}\u{202e}.ics", None, Tz::UTC),
    )
    .unwrap();
    assert_eq!(cal.source, "evil]0;x.ics");
    let err = Calendar::parse(b"", &LoadOptions::new("a\u{9b}b", None, Tz::UTC)).unwrap_err();
    assert_eq!(err.to_string(), "ab: the calendar is empty");
    assert!(matches!(err.problem, Problem::Empty));
}

/// Single events only and no VTIMEZONE: the case where runs of events are read and turned
/// into sessions on several threads, each run let go of once done. Every event must come
/// out once, and as on one thread.
#[test]
fn runs_of_single_events_make_every_session_on_several_threads_as_on_one() {
    use std::fmt::Write as _;
    let events = 3 * ics::RUN_EVENTS + 17;
    let mut text = String::from("BEGIN:VCALENDAR\r\nPRODID:-//test//runs//EN\r\n");
    for i in 0..events {
        let uid = if i % 700 == 1 {
            "shared".to_owned()
        } else {
            format!("e{i}")
        };
        write!(
            text,
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=Europe/Paris:20260407T{:02}{:02}00\r\n\
             DURATION:PT25M\r\nSUMMARY:Talk {i} on kernels - Ann Lee\\, Arm\r\n\
             DESCRIPTION:{}\r\nLOCATION:Room {}\\, Paris\r\nCATEGORIES:TRACK {}\r\n",
            8 + i % 10,
            (i * 5) % 60,
            "words ".repeat(700),
            i % 30,
            i % 7
        )
        .unwrap();
        if i % 2 == 0 {
            text.push_str("ATTENDEE;CN=Bo Chan:mailto:bo@example.org\r\n");
        }
        text.push_str("END:VEVENT\r\n");
    }
    text.push_str("END:VCALENDAR\r\n");
    assert!(text.len() > PARALLEL_FROM, "{} bytes", text.len());
    let options = LoadOptions::new("runs.ics", None, Tz::UTC);
    let parallel = Calendar::parse(text.as_bytes(), &options).unwrap();
    let single = Calendar::parse(text.as_bytes(), &options.single_threaded()).unwrap();
    assert_eq!(parallel.sessions.len(), events);
    assert_eq!(parallel.warnings, single.warnings);
    assert_eq!(parallel.sessions, single.sessions);
    let titles: HashSet<&str> = parallel.sessions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles.len(), events);
    let n = events - 1;
    let last = parallel.get(&format!("e{n}")).unwrap();
    assert_eq!(
        last.title.as_str(),
        format!("Talk {n} on kernels - Ann Lee, Arm")
    );
    assert_eq!(last.location.as_str(), format!("Room {}, Paris", n % 30));
    assert_eq!(last.speakers.as_deref(), Some("Bo Chan"));
}
