//! `hallway search` and the filter flags as a user runs them on the bundled calendar:
//! golden results for the queries of issue 9, JSON, exit codes, --track/--room/--type, and
//! sessions hidden in the star file.

mod common;

use chrono_tz::Tz;
use common::{hallway, output};
use hallway::calendar::Calendar;
use hallway::plan::{Filter, Store};

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";
const MEET_HELION: &str = "ce21612129fa51f735f1cb48a0d305ba";

fn search(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    output(hallway(dir).arg("search").args(args))
}

#[test]
fn golden_results_list_only_sessions_holding_every_word() {
    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    for (name, query) in [
        ("helion", "helion"),
        ("compile", "compile"),
        ("ke_wen", "ke wen"),
        ("distributed_training", "distributed training"),
        ("helin_typo", "helin"),
    ] {
        let words: Vec<&str> = query.split(' ').collect();
        let (code, out, err) = search(home.path(), &[&words[..], &["--limit", "100"]].concat());
        assert_eq!(code, 0, "{query}: {err}");
        // Each line is a session that meets the rule, and every such session is listed.
        let ids: Vec<&str> = out
            .lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        let expected: Vec<&str> = cal
            .sessions
            .iter()
            .filter(|s| hallway::search::matches_directly(s, query))
            .map(|s| s.id.as_str())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort_unstable();
        assert_eq!(sorted, expected_sorted, "{query}");
        insta::assert_snapshot!(format!("search_{name}"), out);
    }
}

#[test]
fn helion_finds_exactly_the_two_helion_sessions_and_helin_finds_helion_first() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = search(home.path(), &["helion"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids, vec![HELION, MEET_HELION]);
    assert!(
        out.lines().next().unwrap().ends_with(
            "Helion 1.0: A High-Level DSL for Performance Portable Kernels — Oguz Ulgen, Meta"
        ),
        "speakers are shown: {out}"
    );
    let (_, out, _) = search(home.path(), &["helin"]);
    assert!(out.starts_with(HELION), "{out}");
    let (_, out, _) = search(home.path(), &["HÉLION"]);
    assert!(out.starts_with(HELION), "case and accents: {out}");
}

#[test]
fn json_has_the_print_shape_in_rank_order() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = search(home.path(), &["helion", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["calendar"]["name"], "PyTorch Conference Europe 2026");
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["id"], HELION);
    assert_eq!(sessions[1]["id"], MEET_HELION);
    assert_eq!(sessions[0]["type"], "talk");
    assert_eq!(sessions[1]["type"], "meetup");
    let (_, all, _) = output(hallway(home.path()).args(["print", "--all", "--format", "json"]));
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let same = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == HELION)
        .unwrap();
    assert_eq!(&sessions[0], same, "the same session shape as print");
}

#[test]
fn nothing_matching_is_exit_code_1_with_a_message() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = search(home.path(), &["qqqqzzz"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err, "hallway: nothing matches 'qqqqzzz'\n");
    let (code, _, err) = search(home.path(), &["\u{1b}[31mx\u{1b}]0;t\u{7}"]);
    assert_eq!(code, 1);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    let (code, _, err) = search(home.path(), &["--format", "json", "--", "—"]);
    assert_eq!(code, 1, "no words: {err}");
}

#[test]
fn filter_flags_show_only_what_they_name_and_starred_sessions_always() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = output(hallway(home.path()).args([
        "print",
        "--all",
        "--format",
        "json",
        "--type",
        "lightning",
        "--room",
        "master",
    ]));
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sessions = doc["sessions"].as_array().unwrap();
    assert!(sessions.len() > 3);
    for s in sessions {
        assert_eq!(s["type"], "lightning", "{s}");
        assert_eq!(s["room"], "Master Stage", "{s}");
    }
    // A starred session outside the filter is still listed.
    output(hallway(home.path()).args(["star", HELION]));
    let (_, out, _) = output(hallway(home.path()).args([
        "print",
        "--all",
        "--type",
        "lightning",
        "--room",
        "master",
    ]));
    assert!(out.contains("Helion 1.0"), "{out}");
    let (code, out, _) = search(home.path(), &["kernels", "--track", "FRAMEWORKS"]);
    assert_eq!(code, 0);
    let cal = Calendar::bundled(None, Tz::UTC);
    for line in out.lines() {
        let id = line.split_whitespace().next().unwrap();
        let s = cal.get(id).unwrap();
        assert!(
            id == HELION || s.tracks.iter().any(|t| t == "Frameworks & Compilers"),
            "{line}"
        );
    }
}

#[test]
fn an_unknown_or_ambiguous_filter_name_is_exit_code_2_listing_the_names() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = search(home.path(), &["kernels", "--track", "cooking"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("hallway: no track 'cooking' in this calendar; tracks are: ")
            && err.contains("Frameworks & Compilers"),
        "{err}"
    );
    let (code, _, err) = output(hallway(home.path()).args(["print", "--all", "--type", "podcast"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("types are: talk, keynote, sponsored keynote, lightning"),
        "{err}"
    );
    let (code, _, err) = output(hallway(home.path()).args(["print", "--all", "--type", "spon"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("'spon' starts several types: sponsored keynote, sponsored; give more of it"),
        "{err}"
    );
    let (code, _, err) = output(hallway(home.path()).args(["print", "--type", "keynote"]));
    assert_eq!(code, 2);
    assert!(err.contains("add --all"), "{err}");
}

#[test]
fn sessions_hidden_in_the_star_file_are_listed_and_marked() {
    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    let mut store = Store::open(home.path()).unwrap();
    store.hide(&cal.key, &cal.name, MEET_HELION);
    let mut filter = Filter::default();
    filter.types.insert("meetup".into());
    store.set_filter(&cal.key, &cal.name, &filter);
    store.save().unwrap();
    let (_, out, _) = search(home.path(), &["helion"]);
    assert!(
        out.contains("[hidden] Meet the Developers of Helion"),
        "{out}"
    );
    let (_, out, _) = search(home.path(), &["helion", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["sessions"][1]["hidden"], true);
    assert_eq!(doc["sessions"][0]["hidden"], false);
    let (_, out, _) = output(hallway(home.path()).args(["print", "--all"]));
    assert!(
        out.contains("[hidden] Meet the Developers of Helion"),
        "{out}"
    );
}

#[test]
fn a_broken_star_file_still_lets_you_read_the_programme() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("starred.json");
    std::fs::write(&path, "{\"version\": 1, \"calendars\": {").unwrap();
    for args in [
        vec!["print", "--all"],
        vec!["print", "--all", "--format", "json"],
        vec!["search", "helion"],
    ] {
        let (code, out, err) = output(hallway(home.path()).args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("Helion 1.0"), "{args:?}");
        assert!(!out.contains('★'), "{args:?}: no stars marked");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("hallway: note: ")
                && err.contains("not a valid star file")
                && err.ends_with("; showing no stars\n"),
            "{args:?}: {err}"
        );
    }
    // Commands about the stars still refuse, and nothing was written.
    for args in [vec!["print"], vec!["print", "--format", "ics"]] {
        let (code, _, _) = output(hallway(home.path()).args(&args));
        assert_eq!(code, 2, "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"version\": 1, \"calendars\": {"
    );
}
