//! Live schedules against a real HTTP server on 127.0.0.1 that each test starts itself: the
//! first fetch, the 304 path, the offline copy when the server is gone, and a new version of
//! the schedule whose changes (moved, cancelled, re-published, the clash they cause) are
//! reported until acknowledged. No test touches any address but loopback.

mod common;

use std::path::Path;

use common::server::{Server, V1, v1_json, v2};
use common::{hallway, output};

/// The tests here stop servers and expect their ports to refuse connections: run one at a
/// time, so a port freed by one is not taken by another's server meanwhile.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn run(dir: &Path, url: &str, now: &str, args: &[&str]) -> (i32, String, String) {
    let cache = dir.join("cache");
    output(
        hallway(dir)
            .env("HALLWAY_NOW", now)
            .args(["-c", url, "--cache-dir", cache.to_str().unwrap()])
            .args(args),
    )
}

#[test]
fn first_fetch_then_304_then_the_offline_copy() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("livecon") && out.contains("Moving Talk — Bob Brown, ACME"));
    assert_eq!(copy_count(&home.path().join("cache")), 2);
    assert_eq!(server.state.lock().unwrap().requests, vec![None]);

    // The next fetch is conditional, and the 304 gives the copy.
    let (code, again, err) = run(
        home.path(),
        &url,
        "2026-04-01T09:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "a 304 is not stale: {err}");
    assert_eq!(again, out);
    assert_eq!(
        server.state.lock().unwrap().requests,
        vec![None, Some("\"v1\"".to_owned())]
    );

    // The server goes away: the copy, and how old it is.
    server.stop();
    let (code, offline, err) = run(
        home.path(),
        &url,
        "2026-04-01T11:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(offline, out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("connection refused") && err.contains("using the copy fetched 2 h ago"),
        "{err}"
    );

    // --offline never asks.
    let (code, _, err) = run(
        home.path(),
        &url,
        "2026-04-01T11:00:00Z",
        &["--offline", "print", "--all"],
    );
    assert_eq!(code, 0);
    assert!(
        err.contains("offline: the copy of http://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn no_copy_and_no_server_is_one_line_and_exit_2() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    server.stop();
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "hallway: {url}: connection refused (and no offline copy yet)"
        )),
        "{err}"
    );
    let (code, _, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["--offline", "print"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--offline, and no copy of it has been fetched yet"),
        "{err}"
    );
}

#[test]
fn error_pages_are_not_calendars_and_never_replace_the_copy() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    server.state.lock().unwrap().status = 404;
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:30:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("Moving Talk"));
    assert!(
        err.contains("the server answered 404 Not Found; using the copy fetched 30 min ago"),
        "{err}"
    );
    server.publish("<html><body>Log in</body></html>", "\"login\"");
    server.state.lock().unwrap().status = 200;
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:30:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("Moving Talk"));
    assert!(err.contains("not a calendar (it is HTML"), "{err}");
}

#[test]
fn a_new_version_reports_moved_cancelled_republished_and_the_new_clash() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    let now = "2026-04-01T08:00:00Z";
    let (code, _, err) = run(
        home.path(),
        &url,
        now,
        &["star", "move-me", "cancel-me", "old-uid", "stay"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, report, _) = run(home.path(), &url, now, &["changes"]);
    assert_eq!(
        report,
        "No changes to your 4 starred sessions since you last looked.\n"
    );

    server.publish(&v2(), "\"v2\"");
    let (code, report, err) = run(home.path(), &url, now, &["changes"]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "What changed for your starred sessions in livecon; times in Europe/Paris (CEST):",
        "moved        Moving Talk\n             was Tue 7 Apr 11:00–11:30, Room A\n             now Tue 7 Apr 14:15–14:45, Room C",
        "cancelled    Doomed Talk\n             Tue 7 Apr 12:00–12:30, Room B: cancelled",
        "re-published Republished Talk\n             re-published under a new id (old-uid → new-uid); your star moved with it",
        "new clash    Steady Talk (Tue 14:00–14:30, Room B)\n             now clashes with Moving Talk (Tue 14:15–14:45, Room C)",
    ] {
        assert!(
            report.contains(expected),
            "missing:\n{expected}\nin:\n{report}"
        );
    }
    // The star followed the re-published session.
    let store = hallway::plan::Store::open(home.path()).unwrap();
    assert!(store.is_starred("livecon", "new-uid") && !store.is_starred("livecon", "old-uid"));

    // The agenda flags them too.
    let (_, agenda, _) = run(home.path(), &url, now, &["print"]);
    assert!(
        agenda.contains("* moved: was Tue 7 Apr 11:00–11:30"),
        "{agenda}"
    );
    assert!(agenda.contains("x  12:00–12:30  Room B"), "{agenda}");
    assert!(agenda.contains("! clashes with Moving Talk"), "{agenda}");

    let (code, out, _) = run(home.path(), &url, now, &["changes", "--accept"]);
    assert_eq!((code, out.as_str()), (0, "Acknowledged 3 changes.\n"));
    let (_, report, _) = run(home.path(), &url, now, &["changes"]);
    assert_eq!(
        report,
        "No changes to your 4 starred sessions since you last looked.\n"
    );
    // The clash itself remains, as a clash.
    let (_, clashes, _) = run(home.path(), &url, now, &["clashes"]);
    assert!(clashes.contains("2 sessions overlap"), "{clashes}");
}

#[test]
fn a_newer_local_export_is_compared_the_same_way() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("conf.ics");
    std::fs::write(&file, V1).unwrap();
    let f = file.to_str().unwrap();
    output(hallway(home.path()).args(["-c", f, "star", "move-me"]));
    std::fs::write(&file, v2()).unwrap();
    let (_, report, _) = output(hallway(home.path()).args(["-c", f, "changes"]));
    assert!(report.contains("moved        Moving Talk"), "{report}");
}

/// A server serving `body`, a home for hallway, and what `print --all` printed on the
/// first fetch at 08:00 (which must succeed).
struct Live {
    _serial: std::sync::MutexGuard<'static, ()>,
    home: tempfile::TempDir,
    server: Server,
    first: String,
}

impl Live {
    fn start(body: &str) -> Self {
        let serial = serial();
        let home = tempfile::tempdir().unwrap();
        let server = Server::start(body);
        let (code, first, err) = run(
            home.path(),
            &server.url,
            "2026-04-01T08:00:00Z",
            &["print", "--all"],
        );
        assert_eq!(code, 0, "{err}");
        Self {
            _serial: serial,
            home,
            server,
            first,
        }
    }

    fn run(&self, now: &str, args: &[&str]) -> (i32, String, String) {
        run(self.home.path(), &self.server.url, now, args)
    }

    fn copy(&self) -> std::path::PathBuf {
        copy_in(&self.home.path().join("cache"))
    }
}

#[test]
fn a_page_mentioning_begin_vcalendar_never_replaces_a_good_copy() {
    let live = Live::start(V1);
    let copy = live.copy();
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), V1);

    // A login page that talks about calendars, line by line as a calendar would.
    let login = "<html><body>\nTo subscribe, paste a file that starts with\nBEGIN:VCALENDAR\n\
                 into the box. <form>Log in</form>\n</body></html>\n";
    live.server.publish(login, "\"login\"");
    let (code, out, err) = live.run("2026-04-01T08:30:00Z", &["print", "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, live.first);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the calendar has no sessions; using the copy fetched 30 min ago"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), V1);

    // The server goes away: the copy still serves, as does --offline.
    let Live {
        _serial,
        home,
        server,
        first,
    } = live;
    let url = server.url.clone();
    server.stop();
    for args in [&["print", "--all"][..], &["--offline", "print", "--all"]] {
        let (code, out, err) = run(home.path(), &url, "2026-04-01T09:00:00Z", args);
        assert_eq!((code, out.as_str()), (0, first.as_str()), "{err}");
    }
}

/// The calendar copy in a cache directory (the `.ics` beside its `.json`).
fn copy_in(cache: &Path) -> std::path::PathBuf {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ics"))
        .expect("an offline copy")
}

#[test]
fn a_truncated_copy_answered_304_is_repaired_by_an_unconditional_fetch() {
    let live = Live::start(V1);
    // The copy is cut short: it still loads its first event, nothing more.
    let copy = live.copy();
    let cut = V1.find("UID:move-me").unwrap();
    std::fs::write(&copy, &V1[..cut]).unwrap();

    let (code, out, err) = live.run("2026-04-01T09:00:00Z", &["print", "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(out, live.first);
    // Conditional first (304), then again without conditions.
    assert_eq!(
        live.server.state.lock().unwrap().requests,
        vec![None, Some("\"v1\"".to_owned()), None]
    );
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), V1);
}

#[test]
fn a_body_cut_short_is_shown_but_not_kept() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let cut = &V1[..V1.find("UID:move-me").unwrap()];
    let server = Server::start(cut);
    let url = server.url.clone();
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Opening Keynote"), "{out}");
    assert!(
        err.contains("the calendar is cut short (no END:VCALENDAR); not kept for offline use"),
        "{err}"
    );
    assert!(!home.path().join("cache").exists() || copy_count(&home.path().join("cache")) == 0);
}

/// Files in the cache directory (the parsed snapshots have a folder of their own).
fn copy_count(cache: &Path) -> usize {
    std::fs::read_dir(cache).map_or(0, |entries| {
        entries
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file()))
            .count()
    })
}

#[test]
fn what_a_hostile_server_sends_is_cleaned_before_it_is_shown() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    // A redirect whose Location carries C1 controls and a bidi override, raw.
    let response = b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/\xC2\x9B2J\xC2\x9D\xE2\x80\xAEevil\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec();
    let server = common::server::RawServer::start(response, 1);
    let (code, out, err) = run(
        home.path(),
        &server.url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    server.join();
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        !err.chars()
            .any(|c| c.is_control() && c != '\n' || ('\u{202A}'..='\u{202E}').contains(&c)),
        "{err:?}"
    );
    // A status line with a reason phrase of its own: only the standard phrase is shown.
    assert!(
        err.contains(
            "location header is malformed: http://127.0.0.1:9/2Jevil (and no offline copy yet)"
        ),
        "{err:?}"
    );
    let response =
        b"HTTP/1.1 500 Fine \xE2\x80\xAEreversed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec();
    let server = common::server::RawServer::start(response, 1);
    let (code, _, err) = run(
        home.path(),
        &server.url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    server.join();
    assert_eq!(code, 2);
    assert!(
        err.contains("the server answered 500 Internal Server Error (and no offline copy yet)"),
        "{err:?}"
    );
}

#[test]
fn a_calendar_without_sessions_is_shown_but_never_kept() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start("BEGIN:VCALENDAR\nX-WR-CALNAME:Soon\nEND:VCALENDAR\n");
    let (code, out, err) = run(
        home.path(),
        &server.url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Soon"), "{out}");
    assert!(
        err.contains("the calendar has no sessions; not kept for offline use"),
        "{err}"
    );
    assert_eq!(copy_count(&home.path().join("cache")), 0);
}

#[test]
fn a_schedule_json_is_fetched_kept_and_read_offline_like_a_calendar() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(&v1_json());
    let url = server.url.replace("all.ics", "schedule.json");
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("Moving Talk — Bob Brown, ACME"), "{out}");
    assert_eq!(copy_count(&home.path().join("cache")), 2);
    let accept = server.state.lock().unwrap().accepts[0]
        .clone()
        .unwrap_or_default();
    for format in ["text/calendar", "application/xml", "application/json"] {
        assert!(accept.contains(format), "{accept}");
    }
    server.stop();
    let (code, again, err) = run(
        home.path(),
        &url,
        "2026-04-01T09:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(again, out);
    assert!(err.contains("using the copy fetched 60 min ago"), "{err}");
}

#[test]
fn stars_survive_a_conference_switching_from_icalendar_to_json() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    let (code, _, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["star", "move-me", "stay"],
    );
    assert_eq!(code, 0, "{err}");
    // The conference now exports schedule.json at the same address: same talks, guids for UIDs.
    server.publish(&v1_json(), "\"v2\"");
    let (code, out, err) = run(home.path(), &url, "2026-04-01T09:00:00Z", &["print"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Moving Talk — Bob Brown, ACME"), "{out}");
    assert!(out.contains("Steady Talk — Ed Eno, ACME"), "{out}");
    assert!(out.contains("2 starred"), "{out}");
    assert_eq!(
        out.matches("re-published under a new id").count(),
        2,
        "{out}"
    );
}

/// A server that accepts and never answers (a captive portal, the venue's overloaded
/// network): with an offline copy, a command falls back to it in seconds, not after the
/// whole minute a first fetch may take. The bound is generous; it catches the minute.
#[test]
fn a_server_that_never_answers_costs_seconds_when_there_is_a_copy() {
    let _serial = serial();
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(V1);
    let url = server.url.clone();
    let (code, out, err) = run(
        home.path(),
        &url,
        "2026-04-01T08:00:00Z",
        &["print", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    server.state.lock().unwrap().stall = true;
    let started = std::time::Instant::now();
    let (code, again, err) = run(
        home.path(),
        &url,
        "2026-04-01T09:00:00Z",
        &["print", "--all"],
    );
    let took = started.elapsed();
    assert_eq!(code, 0, "{err}");
    assert_eq!(again, out);
    assert!(
        err.contains("timed out; using the copy fetched 60 min ago"),
        "{err}"
    );
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
}
