//! Your plan from the command line: star, unstar, search, clashes, and the agenda in every
//! format (golden files under `tests/snapshots/`), on temporary data directories.

mod common;

use std::path::Path;

use chrono_tz::Tz;
use common::{hallway, output, widest};
use hallway::calendar::{Calendar, LoadOptions};
use hallway::plan::Store;

const EXPO: &str = "fb86e83285ba58020c1b70229af2a858";
const KEYNOTE: &str = "5ec9e9dc8299c28c6cd041cf069866bf";
const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";
const LIGHTS: &str = "8fc71bd0fc057864e02da6513c64cbfd";
const IAM: &str = "0ad61d38e69359e798fcf5a4345edda0";
const FLEX: &str = "16f0d96ef956f5cc4505a9812ce3852b";
const VLLM: &str = "49957940e95837a461c5cbeee946bf32";

fn store_bytes(dir: &Path) -> Option<Vec<u8>> {
    std::fs::read(dir.join("starred.json")).ok()
}

fn starred_ids(dir: &Path) -> Vec<String> {
    let store = Store::open(dir).unwrap();
    store
        .stars("pytorchconferenceeu2026")
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

/// A store with a fixed set of stars: a background session, a clash, a tight change of
/// room, a session that moved since it was starred, and one that left the schedule.
fn fixed_plan(dir: &Path) {
    let cal = Calendar::bundled(None, Tz::UTC);
    let mut store = Store::open(dir).unwrap();
    let now = "2026-04-01T08:00:00Z".parse().unwrap();
    for id in [EXPO, KEYNOTE, HELION, LIGHTS, IAM, FLEX, VLLM] {
        store.star(&cal.key, &cal.name, cal.get(id).unwrap(), now);
    }
    store.save().unwrap();
    let path = dir.join("starred.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let starred = &mut json["calendars"][cal.key.as_str()]["starred"];
    starred[FLEX]["start"] = "2026-04-07T08:00:00Z".into();
    starred[FLEX]["end"] = "2026-04-07T08:10:00Z".into();
    starred[FLEX]["room"] = "Central Room".into();
    starred["gone-session-id"] = serde_json::json!({
        "starred_at": "2026-04-01T08:00:00Z",
        "title": "A Talk That Was Withdrawn",
        "start": "2026-04-08T12:00:00Z",
        "end": "2026-04-08T12:25:00Z",
        "room": "Junior Stage"
    });
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}

fn print(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = output(hallway(dir).arg("print").args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn golden_agenda_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    fixed_plan(home.path());
    let text = print(home.path(), &["--min-gap", "10"]);
    assert!(
        widest(&text) <= 80,
        "agenda is {} cells wide",
        widest(&text)
    );
    insta::assert_snapshot!("agenda_text", text);
    insta::assert_snapshot!(
        "agenda_markdown",
        print(home.path(), &["--min-gap", "10", "--format", "markdown"])
    );
    insta::assert_snapshot!("agenda_json", print(home.path(), &["--format", "json"]));
    insta::assert_snapshot!("agenda_ics", print(home.path(), &["--format", "ics"]));
    insta::assert_snapshot!(
        "agenda_html",
        print(home.path(), &["--min-gap", "10", "--format", "html"])
    );
    let all = print(home.path(), &["--all", "--day", "1"]);
    assert!(
        widest(&all) <= 100,
        "programme is {} cells wide",
        widest(&all)
    );
    insta::assert_snapshot!("programme_day1_text", all);
}

#[test]
fn agenda_marks_clashes_gaps_moves_and_gone_sessions() {
    let home = tempfile::tempdir().unwrap();
    fixed_plan(home.path());
    let text = print(home.path(), &["--min-gap", "10"]);
    assert!(text.contains("7 starred, 2 in clashes (!), 1 no longer in the schedule"));
    assert!(text.contains("!  11:00–11:25  Master Stage    Helion 1.0"));
    assert!(text.contains("! clashes with Lights, Camera, Inference!"));
    assert!(text.contains("free 09:10–11:00 (1 h 50 min)"));
    assert!(text.contains("~ only 5 min to get here from"));
    assert!(text.contains("* moved: was Tue 7 Apr 10:00–10:10"));
    assert!(text.contains("* room changed: was Central Room"));
    assert!(text.contains(
        "No longer in the schedule\nx  Wed 8 Apr 14:00–14:25  A Talk That Was Withdrawn"
    ));
    // The expo runs all day: it is in the agenda but clashes with nothing.
    assert!(text.contains("   07:30–18:35  Open Platform   Community Expo\n"));
    let json: serde_json::Value =
        serde_json::from_str(&print(home.path(), &["--format", "json"])).unwrap();
    let helion = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == HELION)
        .unwrap();
    assert_eq!(helion["starred"], true);
    assert_eq!(helion["clashes_with"], serde_json::json!([LIGHTS]));
    assert_eq!(json["gone"][0]["id"], "gone-session-id");
    // The short change of room, as the text's "~ only 5 min to get here from …".
    let json: serde_json::Value = serde_json::from_str(&print(
        home.path(),
        &["--min-gap", "10", "--format", "json"],
    ))
    .unwrap();
    let walks: Vec<&serde_json::Value> = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.get("walk"))
        .collect();
    assert_eq!(walks.len(), 1, "{json}");
    assert_eq!(walks[0]["gap_minutes"], 5);
    assert!(walks[0]["from_room"].is_string() && walks[0]["from_id"].is_string());
}

#[test]
fn the_ics_export_reads_back_as_the_same_sessions() {
    let home = tempfile::tempdir().unwrap();
    fixed_plan(home.path());
    let ics = print(home.path(), &["--format", "ics"]);
    assert!(
        ics.split("\r\n").all(|l| l.len() <= 75),
        "a line is longer than 75 octets"
    );
    assert!(ics.contains(&format!("UID:{HELION}\r\n")));
    assert!(ics.contains("DTSTART:20260407T090000Z\r\n"));
    let back = Calendar::parse(ics.as_bytes(), &LoadOptions::new("export", None, Tz::UTC)).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    let original = Calendar::bundled(None, Tz::UTC);
    assert_eq!(back.sessions.len(), 7);
    assert_eq!(back.zone, Tz::Europe__Paris);
    for s in &back.sessions {
        let o = original.get(&s.id).unwrap();
        assert_eq!(
            (
                &s.uid,
                &s.title,
                &s.speakers,
                s.start,
                s.end,
                &s.room,
                &s.location,
                &s.tracks,
                &s.url,
                &s.description
            ),
            (
                &o.uid,
                &o.title,
                &o.speakers,
                o.start,
                o.end,
                &o.room,
                &o.location,
                &o.tracks,
                &o.url,
                &o.description
            ),
        );
    }
}

#[test]
fn star_by_id_or_prefix_and_unstar() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = output(hallway(home.path()).args(["star", HELION, &LIGHTS[..8]]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("★ starred: Tue 7 Apr 11:00–11:25, Master Stage: Helion 1.0"));
    assert!(out.contains("! Lights, Camera, Inference! Video Generation as a Service With VLLM-Omni clashes with Tue 7 Apr 11:00–11:25, Master Stage: Helion"));
    let mut ids = starred_ids(home.path());
    ids.sort();
    assert_eq!(ids, vec![LIGHTS, HELION]);
    let (_, out, _) = output(hallway(home.path()).args(["star", HELION]));
    assert!(out.starts_with("already starred"));
    let (code, out, _) = output(hallway(home.path()).args(["unstar", &HELION[..6]]));
    assert_eq!(code, 0);
    assert!(out.starts_with("unstarred: Tue 7 Apr 11:00–11:25, Master Stage: Helion"));
    assert_eq!(starred_ids(home.path()), vec![LIGHTS]);
}

#[test]
fn unknown_short_or_ambiguous_ids_list_candidates_and_change_nothing() {
    let home = tempfile::tempdir().unwrap();
    output(hallway(home.path()).args(["star", KEYNOTE]));
    let before = store_bytes(home.path());
    let cases = [
        (vec!["star", "ea46"], "'ea46' is too short", Some(HELION)),
        (
            vec!["star", HELION, "ffffffffff"],
            "no session has the id 'ffffffffff'",
            None,
        ),
        (
            vec!["star", "ea4620ce0f81x"],
            "no session has the id",
            Some(HELION),
        ),
        (
            vec!["unstar", "zzzzzz"],
            "no session has the id 'zzzzzz'",
            None,
        ),
    ];
    for (args, message, candidate) in cases {
        let (code, out, err) = output(hallway(home.path()).args(&args));
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(
            err.starts_with("hallway: ") && err.contains(message),
            "{args:?}: {err}"
        );
        if let Some(id) = candidate {
            assert!(err.contains(id), "{args:?} should list {id}: {err}");
        }
        assert_eq!(
            store_bytes(home.path()),
            before,
            "{args:?} changed the store"
        );
    }
    // Two ids sharing a prefix of at least six characters are ambiguous.
    let cal = Calendar::bundled(None, Tz::UTC);
    let mut ids: Vec<&str> = cal.sessions.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    let shared = ids
        .windows(2)
        .map(|w| {
            w[0].chars()
                .zip(w[1].chars())
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .unwrap();
    assert!(
        shared < 6,
        "no two bundled ids share six characters, so no prefix is ambiguous here"
    );
}

#[test]
fn ambiguous_prefix_lists_every_candidate() {
    let home = tempfile::tempdir().unwrap();
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:abcdef-1\nSUMMARY:One\nDTSTART:20260407T090000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:abcdef-2\nSUMMARY:Two\nDTSTART:20260407T100000Z\nEND:VEVENT\nEND:VCALENDAR\n";
    let path = home.path().join("two.ics");
    std::fs::write(&path, ics).unwrap();
    let (code, _, err) =
        output(hallway(home.path()).args(["-c", path.to_str().unwrap(), "star", "abcdef"]));
    assert_eq!(code, 2);
    assert!(err.contains("'abcdef' starts 2 session ids"), "{err}");
    assert!(
        err.contains("abcdef-1") && err.contains("abcdef-2"),
        "{err}"
    );
    assert!(store_bytes(home.path()).is_none());
}

#[test]
fn search_prints_ids_a_script_can_star() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = output(hallway(home.path()).args(["search", "helion", "--limit", "2"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!("{HELION}  Tue 7 Apr  11:00–11:25  Master Stage")));
    let id = lines[1].split_whitespace().next().unwrap();
    let (code, _, _) = output(hallway(home.path()).args(["star", id]));
    assert_eq!(code, 0);
    assert_eq!(starred_ids(home.path()), vec![id.to_owned()]);
    let (code, _, err) = output(hallway(home.path()).args(["search", "qqqqqqxz"]));
    assert_eq!(
        (code, err.trim()),
        (1, "hallway: nothing matches 'qqqqqqxz'")
    );
}

#[test]
fn clashes_lists_groups_and_tight_transitions() {
    let home = tempfile::tempdir().unwrap();
    let (_, out, _) = output(hallway(home.path()).arg("clashes"));
    assert_eq!(out, "No clashes among your 0 starred sessions.\n");
    output(hallway(home.path()).args(["star", HELION, LIGHTS, IAM, EXPO]));
    let (code, out, _) = output(hallway(home.path()).args(["--min-gap", "10", "clashes"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Tue 7 Apr, 11:00–11:25: 2 sessions overlap\n"),
        "{out}"
    );
    assert!(out.contains(&format!(
        "  {LIGHTS}  Tue 7 Apr  11:00–11:25  Founders Cafe"
    )));
    assert!(out.contains(&format!("  {HELION}  Tue 7 Apr  11:00–11:25  Master Stage")));
    assert!(
        !out.contains("Community Expo"),
        "background sessions never clash"
    );
    assert!(
        out.contains(
            "~ 5 min from Founders Cafe (Tue 11:25) to Junior Stage (11:30 Why Classic IAM"
        ),
        "{out}"
    );
}

#[test]
fn a_corrupt_store_stops_every_command_and_is_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("starred.json");
    std::fs::write(&path, "{\"version\": 1, \"calendars\": {").unwrap();
    for args in [
        vec!["star", HELION],
        vec!["unstar", HELION],
        vec!["print"],
        vec!["clashes"],
    ] {
        let (code, out, err) = output(hallway(home.path()).args(&args));
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("starred.json: not a valid star file") && err.contains("mv "),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"version\": 1, \"calendars\": {"
    );
    std::fs::write(&path, "{\"version\": 9, \"calendars\": {}}").unwrap();
    let (code, _, err) = output(hallway(home.path()).args(["star", HELION]));
    assert_eq!(code, 2);
    assert!(
        err.contains("written by a newer hallway (format version 9"),
        "{err}"
    );
}

#[test]
fn output_file_replaces_atomically() {
    let home = tempfile::tempdir().unwrap();
    output(hallway(home.path()).args(["star", HELION]));
    let target = home.path().join("agenda.html");
    std::fs::write(&target, "old").unwrap();
    let (code, out, _) = output(hallway(home.path()).args([
        "print",
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&target).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Helion 1.0"));
    // Self-contained: no script, nothing loaded from elsewhere; the web is only linked to,
    // from the session's title.
    assert!(!html.contains("<script") && !html.contains(" src=") && !html.contains("<link"));
    assert_eq!(
        html.matches("http").count(),
        html.matches("<a href=\"http").count(),
        "{html}"
    );
    assert!(html.contains(
        "<a href=\"http://pytorchconferenceeu2026.sched.com/event/ea4620ce0f810a15307f92b28e2664da\"><span class=\"title\">Helion 1.0"
    ), "{html}");
    let (code, _, err) =
        output(hallway(home.path()).args(["print", "-o", "/nonexistent-dir/x.txt"]));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent-dir: no such directory"), "{err}");
}

#[test]
fn stars_of_another_calendar_stay_apart() {
    let home = tempfile::tempdir().unwrap();
    output(hallway(home.path()).args(["star", HELION]));
    let path = home.path().join("cal.ics");
    std::fs::write(&path, "BEGIN:VCALENDAR\nX-WR-CALNAME:other\nBEGIN:VEVENT\nUID:other-1\nSUMMARY:Other\nDTSTART:20260407T090000Z\nEND:VEVENT\nEND:VCALENDAR\n").unwrap();
    let (code, _, _) =
        output(hallway(home.path()).args(["-c", path.to_str().unwrap(), "star", "other-1"]));
    assert_eq!(code, 0);
    let store = Store::open(home.path()).unwrap();
    assert!(store.is_starred("pytorchconferenceeu2026", HELION));
    assert!(store.is_starred("other", "other-1"));
    let (_, out, _) = output(hallway(home.path()).args(["-c", path.to_str().unwrap(), "print"]));
    assert!(out.contains("1 starred") && !out.contains("Helion"));
}

#[test]
fn the_ics_export_escapes_text_so_it_reads_back_the_same_and_folds_4_mb_fast() {
    let home = tempfile::tempdir().unwrap();
    let description = format!(
        "Line one; with, commas\\nand a backslash \\\\ é {}",
        "word ".repeat(800_000)
    );
    let ics = format!(
        "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Escapes\r\nBEGIN:VEVENT\r\nUID:esc-1\r\nSUMMARY:A\\, B\\; C\r\nDTSTART:20260407T090000Z\r\nDTEND:20260407T100000Z\r\nLOCATION:Room 1\\, Paris\r\nCATEGORIES:A\\,B,Plain\r\nDESCRIPTION:{description}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let path = home.path().join("escapes.ics");
    std::fs::write(&path, ics).unwrap();
    let cal_arg = path.to_str().unwrap();
    let (code, _, err) = output(hallway(home.path()).args(["-c", cal_arg, "star", "esc-1"]));
    assert_eq!(code, 0, "{err}");
    let started = std::time::Instant::now();
    let (code, exported, err) =
        output(hallway(home.path()).args(["-c", cal_arg, "print", "--format", "ics"]));
    // Generous, for a debug build on a busy machine: a quadratic fold takes minutes.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(code, 0, "{err}");
    assert!(
        exported.contains("\r\nCATEGORIES:A\\,B\r\n"),
        "one category, escaped"
    );
    assert!(exported.contains("\r\nSUMMARY:A\\, B\\; C\r\n"));
    assert!(exported.split("\r\n").all(|l| l.len() <= 75));
    let original = Calendar::parse(
        &std::fs::read(&path).unwrap(),
        &LoadOptions::new("o", None, Tz::UTC),
    )
    .unwrap();
    let back = Calendar::parse(
        exported.as_bytes(),
        &LoadOptions::new("back", None, Tz::UTC),
    )
    .unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    let (o, b) = (&original.sessions[0], &back.sessions[0]);
    assert_eq!(b.tracks, vec!["A,B", "Plain"]);
    assert_eq!(b.tracks, o.tracks);
    assert_eq!(
        (&b.title, &b.location, &b.description),
        (&o.title, &o.location, &o.description)
    );
    assert!(
        b.description
            .starts_with("Line one; with, commas\nand a backslash \\ é word")
    );
}

#[test]
fn a_calendar_without_a_name_keeps_its_stars_however_its_path_is_written() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("k");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("noname.ics"),
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:talk1\nSUMMARY:A talk\nDTSTART:20260407T090000Z\nDTEND:20260407T093000Z\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = common::hallway(home.path())
        .current_dir(&dir)
        .args(["-c", "noname.ics", "star", "talk1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let absolute = dir.join("noname.ics");
    let out = common::hallway(home.path())
        .args(["-c", absolute.to_str().unwrap(), "print"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("A talk"), "the star is there: {text}");
}

#[test]
fn an_ics_export_is_named_for_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    fixed_plan(dir.path());
    let starred = print(dir.path(), &["--format", "ics"]);
    assert!(starred.contains("\r\nX-WR-CALNAME:PyTorch Conference Europe 2026 (starred)\r\n"));
    let all = print(dir.path(), &["--all", "--format", "ics"]);
    assert!(all.contains("\r\nX-WR-CALNAME:PyTorch Conference Europe 2026\r\n"));
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 129);
}
