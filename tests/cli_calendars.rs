//! Saved calendars as a user runs them: add (a file, a URL), list, use, remove, `-c NAME`,
//! and what goes wrong (standard input, a name taken, a file gone, a corrupt list). Data,
//! cache and configuration live in temporary directories.

mod common;
mod support;

use std::path::Path;

use common::output;
use common::server::{Server, V1};
use support::hallway;

const TINY: &str = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Tiny Conf 2026\r\nX-WR-TIMEZONE:Europe/Berlin\r\nBEGIN:VEVENT\r\nUID:t1\r\nDTSTART:20260512T070000Z\r\nDTEND:20260512T073000Z\r\nSUMMARY:Opening\r\nLOCATION:Hall A\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:t2\r\nDTSTART:20260513T080000Z\r\nDTEND:20260513T090000Z\r\nSUMMARY:Rust in Space\r\nLOCATION:Hall B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn ok(home: &Path, args: &[&str]) -> String {
    let (code, out, err) = output(hallway(home).args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn fails(home: &Path, args: &[&str]) -> String {
    let (code, out, err) = output(hallway(home).args(args));
    assert_eq!(code, 2, "{args:?}: {out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn add_list_use_remove_and_calendar_by_name() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let file = home.join("tiny.ics");
    std::fs::write(&file, TINY).unwrap();
    // Only the bundled calendar at first, and it is current.
    assert_eq!(
        ok(home, &["list"]),
        "* PyTorch Conference Europe 2026  bundled  129 sessions, 7–8 Apr 2026, 0 stars\n"
    );
    // A relative path is kept absolute.
    let out = output(hallway(home).current_dir(home).args(["add", "tiny.ics"]));
    assert_eq!(out.0, 0, "{}", out.2);
    assert_eq!(
        out.1,
        "Saved 'Tiny Conf 2026' (2 sessions, 12–13 May 2026); it is the current calendar now.\n"
    );
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.join("calendars.json")).unwrap()).unwrap();
    assert_eq!(saved["current"], "Tiny Conf 2026");
    assert_eq!(saved["calendars"][0]["source"], file.to_str().unwrap());
    // With no -c, commands use the current calendar.
    let out = ok(home, &["print", "--all"]);
    assert!(
        out.starts_with("Tiny Conf 2026\nTimes in Europe/Berlin"),
        "{out}"
    );
    ok(home, &["star", "t2"]);
    let source = file.display().to_string();
    let list = ok(home, &["list"]);
    assert_eq!(
        list,
        format!(
            "  PyTorch Conference Europe 2026  {b:<w$}  129 sessions, 7–8 Apr 2026, 0 stars\n* Tiny Conf 2026                  {source}  2 sessions, 12–13 May 2026, 1 star\n",
            b = "bundled",
            w = source.len()
        )
    );
    // use: by a prefix in any case; -c by name for one command.
    assert_eq!(
        ok(home, &["use", "PYT"]),
        "Using 'PyTorch Conference Europe 2026' now.\n"
    );
    assert!(ok(home, &["print", "--all"]).starts_with("PyTorch Conference Europe 2026\n"));
    assert!(ok(home, &["-c", "tiny", "print", "--all"]).starts_with("Tiny Conf 2026\n"));
    assert!(ok(home, &["-c", "Tiny Conf 2026", "print"]).contains("Rust in Space"));
    assert_eq!(ok(home, &["use", "tiny"]), "Using 'Tiny Conf 2026' now.\n");
    // A saved file that went missing names the saved calendar and the file.
    std::fs::rename(&file, home.join("moved.ics")).unwrap();
    let err = fails(home, &["print"]);
    assert_eq!(
        err,
        format!(
            "hallway: the saved calendar 'Tiny Conf 2026': {source}: no such file (hallway use NAME switches to another; hallway remove 'Tiny Conf 2026' forgets it)\n"
        )
    );
    assert!(
        ok(home, &["list"]).contains(&format!("{source}  unavailable: {source}: no such file"))
    );
    // remove keeps the stars unless asked; the bundled calendar is current again.
    assert_eq!(
        ok(home, &["remove", "tiny"]),
        "Forgot 'Tiny Conf 2026'; its 1 star is kept (--forget-stars forgets them). The bundled calendar is the current one now.\n"
    );
    let stars = std::fs::read_to_string(home.join("starred.json")).unwrap();
    assert!(stars.contains("\"t2\""), "{stars}");
    assert!(ok(home, &["print", "--all"]).starts_with("PyTorch Conference Europe 2026\n"));
    std::fs::rename(home.join("moved.ics"), &file).unwrap();
    ok(home, &["add", file.to_str().unwrap(), "--name", "tiny"]);
    assert_eq!(
        ok(home, &["remove", "tiny", "--forget-stars"]),
        "Forgot 'tiny' and its 1 star. The bundled calendar is the current one now.\n"
    );
    let stars = std::fs::read_to_string(home.join("starred.json")).unwrap();
    assert!(!stars.contains("\"t2\""), "{stars}");
}

#[test]
fn a_url_is_saved_with_its_offline_copy() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let server = Server::start(V1);
    let url = server.url.clone();
    assert!(ok(home, &["add", &url]).starts_with("Saved 'livecon' ("));
    // `now`, run by status bars every few seconds, reads the offline copy without asking.
    let asked = server.state.lock().unwrap().requests.len();
    let (code, _, err) = output(hallway(home).args(["now", "--all"]));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(server.state.lock().unwrap().requests.len(), asked);
    server.stop();
    // The server is gone: list and print use the offline copy.
    let list = ok(home, &["list"]);
    let line = list
        .lines()
        .find(|l| l.starts_with("* livecon "))
        .unwrap_or_default();
    assert!(
        line.contains(&format!(" {url}  5 sessions, 7 Apr 2026, 0 stars")),
        "{list}"
    );
    let (code, out, err) = output(hallway(home).args(["print", "--all"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("livecon\n"), "{out}");
    assert!(
        err.contains("connection refused; using the copy fetched"),
        "{err}"
    );
}

#[test]
fn mistakes_are_one_line_with_exit_code_2() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let file = home.join("tiny.ics");
    std::fs::write(&file, TINY).unwrap();
    let path = file.to_str().unwrap();
    assert!(fails(home, &["add", "-"]).starts_with("hallway: standard input cannot be saved"));
    assert_eq!(
        fails(home, &["add", ""]),
        "hallway: the calendar to add is empty: give a file or a URL\n"
    );
    let (code, _, err) = output(hallway(home).current_dir(home).args(["add", "nope.ics"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "hallway: {}: no such file\n",
            home.join("nope.ics").display()
        )
    );
    assert!(!home.join("calendars.json").exists(), "nothing saved");
    ok(home, &["add", path]);
    std::fs::write(home.join("other.ics"), TINY.replace("t1", "o1")).unwrap();
    assert_eq!(
        fails(home, &["add", home.join("other.ics").to_str().unwrap()]),
        format!(
            "hallway: a calendar called 'Tiny Conf 2026' is already saved ({path}); choose another name with --name\n"
        )
    );
    assert_eq!(
        fails(home, &["add", path, "--name", "again"]),
        format!(
            "hallway: {path} is already saved as 'Tiny Conf 2026' (hallway use 'Tiny Conf 2026' switches to it)\n"
        )
    );
    assert_eq!(
        fails(home, &["use", "zzz"]),
        "hallway: no saved calendar is called 'zzz' (saved: 'PyTorch Conference Europe 2026', 'Tiny Conf 2026')\n"
    );
    assert_eq!(
        fails(home, &["remove", "bundled"]),
        "hallway: the bundled calendar is always there; it cannot be removed\n"
    );
    // -c that is neither a file nor a name is still "no such file".
    assert_eq!(
        fails(home, &["-c", "nope.ics", "print"]),
        "hallway: nope.ics: no such file\n"
    );
    // A corrupt list is named, and never overwritten.
    std::fs::write(home.join("calendars.json"), "{ oops").unwrap();
    let err = fails(home, &["print"]);
    assert!(
        err.starts_with(&format!(
            "hallway: {}: not a valid list of calendars (",
            home.join("calendars.json").display()
        )),
        "{err}"
    );
    fails(
        home,
        &[
            "add",
            home.join("other.ics").to_str().unwrap(),
            "--name",
            "x",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(home.join("calendars.json")).unwrap(),
        "{ oops"
    );
}

#[test]
fn stars_follow_a_conference_from_its_icalendar_to_its_schedule_json() {
    let home = tempfile::tempdir().unwrap();
    // pretalx's iCalendar export: no X-WR-CALNAME, a PRODID that names only the host, so
    // its key cannot be the schedule.json's; its UIDs are not the json's guids either.
    let ics = "BEGIN:VCALENDAR\r\nPRODID:-//pretalx//localhost//\r\nBEGIN:VEVENT\r\nUID:pretalx-democon-CKHNL9@localhost\r\nDTSTART:20200904T160000Z\r\nDTEND:20200904T161500Z\r\nSUMMARY:Opening\r\nLOCATION:Main Room\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:pretalx-democon-S1@localhost\r\nDTSTART:20200904T180000Z\r\nDTEND:20200904T183000Z\r\nSUMMARY:Side talk\r\nLOCATION:Second Room\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let ics_path = home.path().join("democon.ics");
    std::fs::write(&ics_path, ics).unwrap();
    let tiny = home.path().join("tiny.ics");
    std::fs::write(&tiny, TINY).unwrap();
    ok(
        home.path(),
        &["add", tiny.to_str().unwrap(), "--name", "tiny"],
    );
    ok(home.path(), &["star", "t1"]);
    ok(
        home.path(),
        &["add", ics_path.to_str().unwrap(), "--name", "democon"],
    );
    ok(
        home.path(),
        &[
            "star",
            "pretalx-democon-CKHNL9@localhost",
            "pretalx-democon-S1@localhost",
        ],
    );
    ok(home.path(), &["remove", "democon"]);
    let json = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pretalx_quirks.json"
    );
    let out = ok(home.path(), &["add", json, "--name", "democon"]);
    assert!(
        out.contains(
            "Your 2 stars from 'democon' are on the same sessions here: moved to 'DemoCon'."
        ),
        "{out}"
    );
    let agenda = ok(home.path(), &["print"]);
    assert!(agenda.contains("2 starred"), "{agenda}");
    assert!(
        agenda.contains("Opening") && agenda.contains("Side talk"),
        "{agenda}"
    );
    // Another conference's stars stay where they are.
    let tiny_agenda = ok(home.path(), &["-c", "tiny", "print"]);
    assert!(
        tiny_agenda.contains("1 starred") && tiny_agenda.contains("Opening"),
        "{tiny_agenda}"
    );
    // The stars moved, not copied: the star file keeps them under one key.
    let stored = std::fs::read_to_string(home.path().join("starred.json")).unwrap();
    assert_eq!(stored.matches("\"starred_at\"").count(), 3, "{stored}");
}

#[test]
fn another_conferences_stars_stay_even_when_their_ids_recur() {
    let home = tempfile::tempdir().unwrap();
    // Frab ids are small numbers: two conferences both have an event 42.
    let cal = |name: &str, title: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nX-WR-CALNAME:{name}\r\nBEGIN:VEVENT\r\nUID:42\r\nDTSTART:20260512T070000Z\r\nDTEND:20260512T073000Z\r\nSUMMARY:{title}\r\nLOCATION:Hall A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let first = home.path().join("first.ics");
    std::fs::write(&first, cal("First Conf", "Opening")).unwrap();
    let second = home.path().join("second.ics");
    std::fs::write(&second, cal("Second Conf", "Something else")).unwrap();
    // Starred with -c, never added: nothing keeps its key.
    ok(home.path(), &["-c", first.to_str().unwrap(), "star", "42"]);
    let out = ok(home.path(), &["add", second.to_str().unwrap()]);
    assert!(!out.contains("moved"), "{out}");
    let agenda = ok(home.path(), &["-c", first.to_str().unwrap(), "print"]);
    assert!(agenda.contains("1 starred"), "{agenda}");
    let agenda = ok(home.path(), &["print"]);
    assert!(agenda.contains("0 starred"), "{agenda}");
}

#[test]
fn a_mistyped_command_is_named_and_other_schemes_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    assert_eq!(
        fails(home, &["prnt"]),
        "hallway: prnt: no such file, saved calendar or command (did you mean 'hallway print'?)\n"
    );
    assert_eq!(
        fails(home, &["serach", "helion"]),
        "hallway: unrecognized subcommand 'helion' (did you mean 'hallway search'? see 'hallway --help')\n"
    );
    // A file name is not taken for a command.
    assert_eq!(
        fails(home, &["prnt.ics"]),
        "hallway: prnt.ics: no such file\n"
    );
    assert_eq!(
        fails(home, &["-c", "ftp://example.org/all.ics", "print"]),
        "hallway: ftp://example.org/all.ics: only http:// and https:// addresses can be read\n"
    );
}

#[test]
fn list_with_an_unreadable_star_file_does_not_count_zero_stars() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    std::fs::write(home.join("starred.json"), "{ not json").unwrap();
    let (code, out, err) = output(hallway(home).arg("list"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not counting stars"), "{err}");
    assert!(out.contains("stars unreadable"), "{out}");
    assert!(!out.contains("0 stars"), "{out}");
}
