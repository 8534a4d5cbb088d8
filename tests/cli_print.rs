//! `hallway print` as a user runs it: the bundled calendar, zones, days, JSON, bad input.

mod common;

use common::{fixture, hallway, output, widest};

#[test]
fn prints_the_bundled_programme_in_paris_time_on_a_utc_machine() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = output(hallway(home.path()).args(["print", "--all"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.starts_with("PyTorch Conference Europe 2026\nTimes in Europe/Paris (CEST)\n"));
    assert!(out.contains("\nTuesday 7 April 2026\n"));
    assert!(out.contains("\nWednesday 8 April 2026\n"));
    assert!(out.contains(
        "\n09:00–09:10  Master Stage      Keynote: Co-Evolution: How the Open Source Intelligence Stack\n"
    ));
    assert!(out.contains(
        "\n11:00–11:25  Master Stage      Helion 1.0: A High-Level DSL for Performance Portable Kernels — Oguz\n                               Ulgen, Meta\n"
    ));
    assert!(widest(&out) <= 100, "a line is {} cells wide", widest(&out));
    let session_lines = out
        .lines()
        .filter(|l| l.contains('–') && l.as_bytes()[2] == b':')
        .count();
    assert_eq!(session_lines, 129);
}

#[test]
fn tz_flag_and_day_selection() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = output(hallway(home.path()).args([
        "print",
        "--all",
        "--tz",
        "America/New_York",
        "--day",
        "1",
    ]));
    assert_eq!(code, 0);
    assert!(out.contains("Times in America/New_York (EDT)"));
    assert!(out.contains("\n03:00–03:10  Master Stage"));
    assert!(!out.contains("Wednesday"));
    let (_, out, _) = output(hallway(home.path()).args(["print", "--all", "--day", "wed"]));
    assert!(out.contains("Wednesday 8 April 2026") && !out.contains("Tuesday"));
}

#[test]
fn json_has_every_session_in_the_display_zone_sorted() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = output(hallway(home.path()).args(["print", "--all", "--format", "json"]));
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["calendar"]["name"], "PyTorch Conference Europe 2026");
    assert_eq!(doc["calendar"]["zone"], "Europe/Paris");
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 129);
    let helion = sessions
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("Helion"))
        .unwrap();
    assert_eq!(helion["start"], "2026-04-07T11:00:00+02:00");
    assert_eq!(helion["end"], "2026-04-07T11:25:00+02:00");
    assert_eq!(helion["speakers"], "Oguz Ulgen, Meta");
    assert_eq!(helion["room"], "Master Stage");
    assert_eq!(helion["location"], "Master Stage, Paris, France");
    assert_eq!(helion["tracks"][0], "Frameworks & Compilers");
    for key in ["id", "uid", "url", "description"] {
        assert!(helion.get(key).is_some(), "{key}");
    }
    let keys: Vec<(String, String)> = sessions
        .iter()
        .map(|s| {
            (
                s["start"].as_str().unwrap().to_owned(),
                s["room"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn reads_standard_input() {
    let home = tempfile::tempdir().unwrap();
    let ics = std::fs::read(fixture("sched_semicolon.ics")).unwrap();
    let (code, out, err) = output(
        hallway(home.path())
            .args(["-c", "-", "print", "--all"])
            .write_stdin(ics),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(
        "\n11:00–11:30  Master Stage   How DeepInverse Solves Imaging — Andrew Wang, DeepInverse; Minh Hai\n                            Nguyen, Université de Toulouse\n"
    ));
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nope.ics");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "-c".into(),
                missing.display().to_string(),
                "print".into(),
                "--all".into(),
            ],
            "nope.ics: no such file",
        ),
        (
            vec!["-c".into(), String::new(), "print".into()],
            "the calendar given is empty: give a saved calendar's name, a file, a URL or -",
        ),
        (
            vec!["--tz".into(), "Mars/Olympus".into(), "print".into()],
            "unknown time zone 'Mars/Olympus'",
        ),
        (
            vec!["print".into(), "--bogus".into()],
            "unexpected argument '--bogus'",
        ),
        (
            vec!["-c".into(), fixture("not_icalendar.txt"), "print".into()],
            "not_icalendar.txt: not a calendar (iCalendar, schedule.xml or schedule.json)",
        ),
        (
            vec!["-c".into(), fixture("empty.ics"), "print".into()],
            "empty.ics: the calendar is empty",
        ),
        (
            vec!["print".into(), "--all".into(), "--day".into(), "9".into()],
            "no day '9' in this calendar",
        ),
    ];
    for (args, expected) in cases {
        let (code, out, err) = output(hallway(home.path()).args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("hallway: ") && err.contains(expected),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn calendar_text_cannot_reach_the_terminal_as_control_characters() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) =
        output(hallway(home.path()).args(["-c", &fixture("hostile_text.ics"), "print", "--all"]));
    assert_eq!(code, 0);
    assert!(out.contains("Talk ]0;pwned[2J[31mred31mreversed"));
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
}

#[test]
fn a_calendar_without_a_zone_says_so_once_on_stderr() {
    let home = tempfile::tempdir().unwrap();
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Talk\r\n\
               DTSTART:20260407T090000Z\r\nDTEND:20260407T093000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    // The calendar as the first argument, as `hallway schedule.ics print` reads.
    let (code, out, err) = output(
        hallway(home.path())
            .args(["-", "print", "--all"])
            .write_stdin(ics),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("09:00–09:30"), "{out}");
    assert_eq!(
        err,
        "hallway: note: no time zone in this calendar: times are UTC; use --tz\n"
    );
    // A zone given on the command line is no guess.
    let (code, out, err) = output(
        hallway(home.path())
            .args(["-", "print", "--all", "--tz", "Europe/Paris"])
            .write_stdin(ics),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("11:00–11:30"), "{out}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn warnings_go_to_stderr_and_the_programme_still_prints() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) =
        output(hallway(home.path()).args(["-c", &fixture("broken_events.ics"), "print", "--all"]));
    assert_eq!(code, 0);
    assert!(out.contains("Still here"));
    assert!(
        err.contains("line 3: event no-start skipped: no DTSTART"),
        "{err}"
    );
}

#[test]
fn the_tui_needs_a_terminal_and_help_is_plain() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = output(&mut hallway(home.path()));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("needs a terminal; for text output use 'hallway print --all'"),
        "{err}"
    );
    let (code, out, _) = output(hallway(home.path()).arg("--help"));
    assert_eq!(code, 0);
    for command in [
        "print",
        "star",
        "unstar",
        "search",
        "clashes",
        "changes",
        "--offline",
        "--cache-dir",
    ] {
        assert!(out.contains(command), "{command} missing from --help");
    }
}

#[test]
fn a_congress_night_is_labelled_with_its_conference_day_everywhere() {
    let home = tempfile::tempdir().unwrap();
    let file = fixture("frab_night_extras.xml");
    let run = |args: &[&str]| {
        let (code, out, err) = output(hallway(home.path()).arg("-c").arg(&file).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    // print: under Friday, its start marked as past midnight.
    let out = run(&["print", "--all"]);
    let friday = out.find("Friday 27 December 2019").unwrap();
    let saturday = out.find("Saturday 28 December 2019").unwrap();
    let quiz = out.find("00:50+1–02:50  Ada  Midnight Quiz").unwrap();
    assert!(friday < quiz && quiz < saturday, "{out}");
    // search and star name the conference day, not the calendar date.
    let out = run(&["search", "quiz"]);
    assert_eq!(
        out,
        "ev-quiz  Fri 27 Dec  00:50+1–02:50  Ada  Midnight Quiz — Sec\n"
    );
    let out = run(&["star", "ev-quiz"]);
    assert!(
        out.contains("Fri 27 Dec 00:50+1–02:50, Ada: Midnight Quiz"),
        "{out}"
    );
    // The agenda: the free time before the night's session ends past midnight too, and
    // the time column is wide enough for `+1` (in every format).
    run(&["star", "ev-opening"]);
    let out = run(&["print"]);
    assert!(out.contains(" free 11:30–00:50+1 (13 h 20 min)\n"), "{out}");
    assert!(out.contains("   00:50+1–02:50  Ada "), "{out}");
    assert!(out.contains("   11:00–11:30    Ada "), "{out}");
    let out = run(&["print", "--format", "markdown"]);
    assert!(
        out.contains("| 11:30–00:50+1 |  | *free (13 h 20 min)* |"),
        "{out}"
    );
    let out = run(&["print", "--format", "html"]);
    assert!(
        out.contains("<td class=\"time\">11:30–00:50+1</td>"),
        "{out}"
    );
    // --now "1 00:55" is in day 1's night, as --day 1 is.
    let out = run(&["--now", "1 00:55", "now", "--all"]);
    assert!(
        out.starts_with("Midnight Quiz (Ada, 115 min left)"),
        "{out}"
    );
    let out = run(&["print", "--all", "--day", "1"]);
    assert!(
        out.contains("Midnight Quiz") && !out.contains("Day Two Talk"),
        "{out}"
    );
}

#[test]
fn a_schedules_subtitle_language_and_links_are_exported() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = output(hallway(home.path()).args([
        "-c",
        &fixture("frab_night_extras.xml"),
        "print",
        "--all",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let quiz = &doc["sessions"][1];
    assert_eq!(quiz["title"], "Midnight Quiz");
    assert_eq!(quiz["subtitle"], "The night's big game");
    assert_eq!(quiz["language"], "de");
    assert_eq!(quiz["day"], "2019-12-27");
    assert_eq!(
        quiz["links"],
        serde_json::json!([{"title": "Slides", "url": "https://media.example.org/quiz-slides.pdf"}])
    );
    // Absent ones are left out.
    let opening = &doc["sessions"][0];
    assert!(opening.get("subtitle").is_none() && opening.get("links").is_none());
}
