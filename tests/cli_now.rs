//! `--now` and `hallway now` as a status bar runs it (golden files under
//! `tests/snapshots/`), and `print --format ics --remind`, imported into calcurse and khal
//! where they are installed. Data and configuration live in temporary directories.

mod common;
mod support;

use std::path::Path;

use common::output;
use support::{calcurse_import, hallway, installed, khal};

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da"; // Tue 11:00–11:25, Master Stage
const IAM: &str = "0ad61d38e69359e798fcf5a4345edda0"; // Tue 11:30–11:55, Junior Stage

fn ok(home: &Path, args: &[&str]) -> String {
    let (code, out, err) = output(hallway(home).args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(err.is_empty(), "{args:?}: {err}");
    out
}

fn starred(home: &Path) {
    ok(home, &["star", HELION, IAM]);
}

#[test]
fn now_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    starred(home);
    // 11:13 in Paris: Helion is on, the IAM talk is next in another room, 5 min after.
    let at = ["--now", "tue 11:13", "--min-gap", "10", "now"];
    let text = ok(home, &at);
    assert_eq!(text.lines().count(), 1);
    insta::assert_snapshot!("now_text", text);
    let json = ok(home, &[&at[..], &["--format", "json"]].concat());
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["now"][0]["minutes_left"], 12);
    assert_eq!(value["next"]["walk"]["gap_minutes"], 5);
    insta::assert_snapshot!("now_json", json);
    let waybar = ok(home, &[&at[..], &["--format", "waybar"]].concat());
    let value: serde_json::Value = serde_json::from_str(&waybar).unwrap();
    assert_eq!(value["class"], "now");
    insta::assert_snapshot!("now_waybar", waybar);
    // Between them, it is soon; with no minimum gap, no walk is flagged.
    let waybar = ok(home, &["--now", "tue 11:27", "now", "--format", "waybar"]);
    insta::assert_snapshot!("now_waybar_soon", waybar);
    // In the morning, idle.
    let value: serde_json::Value = serde_json::from_str(&ok(
        home,
        &["--now", "tue 08:00", "now", "--format", "waybar"],
    ))
    .unwrap();
    assert_eq!(value["class"], "idle");
    // Nothing on later today: an empty line, exit code 0.
    for format in ["text", "waybar"] {
        assert_eq!(
            ok(home, &["--now", "tue 19:00", "now", "--format", format]),
            "\n"
        );
    }
    assert_eq!(
        ok(home, &["--now", "wed 10:00", "now", "--format", "json"]),
        "{\"class\":\"none\",\"next\":null,\"now\":[]}\n"
    );
}

#[test]
fn all_sessions_when_nothing_is_starred() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    // Read by a status bar (not a terminal): the empty line and nothing on stderr; typed
    // in a terminal it would also say why.
    assert_eq!(ok(home, &["--now", "wed 10:02", "now"]), "\n");
    let text = ok(home, &["--now", "wed 10:02", "now", "--all"]);
    insta::assert_snapshot!("now_all_text", text);
    // Once something is starred, --all changes nothing.
    starred(home);
    assert_eq!(ok(home, &["--now", "wed 10:02", "now", "--all"]), "\n");
}

#[test]
fn now_forms_and_their_mistakes() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    starred(home);
    let at_1113 = ok(home, &["--now", "tue 11:13", "now"]);
    assert_eq!(
        ok(home, &["--now", "2026-04-07T11:13:00+02:00", "now"]),
        at_1113
    );
    assert_eq!(ok(home, &["--now", "1 11:13", "now"]), at_1113);
    assert_eq!(ok(home, &["--now", "2026-04-07 11:13", "now"]), at_1113);
    // A bare time is on the first day here (the machine's clock is not in the conference).
    assert_eq!(ok(home, &["--now", "11:13", "now"]), at_1113);
    // HALLWAY_NOW takes the same forms; --now wins over it.
    let (code, out, _) = output(hallway(home).env("HALLWAY_NOW", "tue 11:13").arg("now"));
    assert_eq!((code, out.as_str()), (0, at_1113.as_str()));
    let (_, out, _) =
        output(
            hallway(home)
                .env("HALLWAY_NOW", "tue 19:00")
                .args(["--now", "tue 11:13", "now"]),
        );
    assert_eq!(out, at_1113);
    // Other commands see the same time: the star's snapshot is taken then.
    ok(home, &["--now", "2026-04-07T10:00:00Z", "unstar", HELION]);
    ok(home, &["--now", "2026-04-07T10:00:00Z", "star", HELION]);
    let stars = std::fs::read_to_string(home.join("starred.json")).unwrap();
    assert!(
        stars.contains("\"starred_at\": \"2026-04-07T10:00:00Z\""),
        "{stars}"
    );
    for (value, message) in [
        (
            "fri 10:00",
            "hallway: --now 'fri 10:00': no day 'fri' in this calendar (its days: 1 = Tue 2026-04-07, 2 = Wed 2026-04-08)\n",
        ),
        (
            "teatime",
            "hallway: --now 'teatime' is not a time: give an RFC 3339 time (2026-04-07T11:17:00+02:00), HH:MM, or a day and HH:MM (wed 11:17)\n",
        ),
    ] {
        let (code, out, err) = output(hallway(home).args(["--now", value, "now"]));
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", message));
    }
    let (code, _, err) = output(hallway(home).env("HALLWAY_NOW", "soon").arg("now"));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("hallway: HALLWAY_NOW 'soon' is not a time"),
        "{err}"
    );
}

#[test]
fn reminders_in_the_icalendar_export() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    starred(home);
    let ics = ok(home, &["print", "--format", "ics", "--remind", "10"]);
    let events = ics.matches("BEGIN:VEVENT\r\n").count();
    assert_eq!(events, 2);
    assert_eq!(
        ics.matches("BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:")
            .count(),
        events
    );
    assert_eq!(
        ics.matches("TRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\n")
            .count(),
        events
    );
    assert!(ics.contains("DESCRIPTION:Helion 1.0: A High-Level DSL for Performance Portable Kernels \r\n - Oguz Ulgen\\, Meta\r\nTRIGGER"), "{ics}");
    // Without --remind there is none; --remind needs the iCalendar format.
    assert!(!ok(home, &["print", "--format", "ics"]).contains("VALARM"));
    let (code, _, err) = output(hallway(home).args(["print", "--remind", "10"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "hallway: --remind adds reminders to the iCalendar export: add --format ics\n"
    );
    let path = home.join("remind.ics");
    std::fs::write(&path, &ics).unwrap();
    if installed("calcurse") {
        let (report, apts) = calcurse_import(home, &path);
        assert!(
            report.contains("2 apps / 0 events / 0 todos / 0 skipped"),
            "{report}"
        );
        // calcurse marks an appointment with an alarm by '!' before its description.
        assert_eq!(apts.matches(" !").count(), 2, "{apts}");
        assert!(
            apts.contains("04/07/2026 @ 11:00 -> 04/07/2026 @ 11:25>"),
            "{apts}"
        );
    }
    if installed("khal") {
        khal(
            home,
            &["import", "--batch", "-a", "hallway", path.to_str().unwrap()],
        );
        let listing = khal(
            home,
            &[
                "list",
                "--format",
                "{alarm-symbol}{title}",
                "2026-04-07",
                "1d",
            ],
        );
        assert!(listing.contains("⏰Helion 1.0"), "{listing}");
        assert!(listing.contains("⏰Why Classic IAM"), "{listing}");
    }
}
