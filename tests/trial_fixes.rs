//! What a user trial found wrong in reading calendars: star keys of unnamed pretalx
//! calendars, stated types against title words, acronym tracks, broken schedules, and
//! pretalx event pages on any host.
//!
//! Cases that read `../shared/data` skip with a note when it is absent, except under CI
//! (`CI=true`), where they fail.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono_tz::Tz;
use hallway::calendar::{Calendar, Kind, LoadOptions};

/// `../shared/data/{what}`, when present.
fn shared(what: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(what);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} not found, and CI must run this test",
        dir.display()
    );
    println!("note: {} not found; test skipped", dir.display());
    None
}

fn parse(bytes: &[u8], source: &str) -> Calendar {
    Calendar::parse(bytes, &LoadOptions::new(source, None, Tz::UTC)).expect("loads")
}

/// An iCalendar file with `head` and an event per (UID, title, track).
fn ics(head: &str, events: &[(&str, &str, &str)]) -> String {
    use std::fmt::Write;
    let mut text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{head}");
    for (i, (uid, title, track)) in events.iter().enumerate() {
        write!(
            text,
            "BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title}\r\nCATEGORIES:{track}\r\n\
             DTSTART:20260407T0{i}0000Z\r\nDTEND:20260407T0{i}3000Z\r\nEND:VEVENT\r\n"
        )
        .expect("writes");
    }
    text + "END:VCALENDAR\r\n"
}

/// Events with these UIDs.
fn with_uids(head: &str, uids: &[&str]) -> String {
    let events: Vec<(&str, &str, &str)> = uids.iter().map(|u| (*u, "Talk", "T")).collect();
    ics(head, &events)
}

/// Events with these titles and tracks.
fn with_titles(events: &[(&str, &str)]) -> String {
    let events: Vec<(&str, &str, &str)> = events.iter().map(|(t, k)| (*t, *t, *k)).collect();
    ics("X-WR-CALNAME:t\r\n", &events)
}

#[test]
fn pretalx_calendars_on_one_host_keep_their_own_stars() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let democon = std::fs::read(corpus.join("pretalx_democon_export.ics")).expect("corpus file");
    let other = String::from_utf8_lossy(&democon)
        .replace("pretalx-democon-", "pretalx-othercon-")
        .replace("/democon/", "/othercon/");
    let first = parse(&democon, "democon.ics");
    let second = parse(other.as_bytes(), "othercon.ics");
    assert_eq!(first.key, "pretalx-democon@localhost");
    assert_eq!(second.key, "pretalx-othercon@localhost");
}

#[test]
fn star_keys_name_the_calendar_not_its_program() {
    let key = |head: &str, uids: &[&str]| parse(with_uids(head, uids).as_bytes(), "my.ics").key;
    // A name wins, pretalx UIDs or not.
    assert_eq!(
        key(
            "X-WR-CALNAME:DemoCon\r\nPRODID:-//pretalx//localhost//\r\n",
            &["pretalx-democon-ABC123@localhost"]
        ),
        "DemoCon"
    );
    // pretalx UIDs of one event, most of them.
    assert_eq!(
        key(
            "PRODID:-//pretalx//talks.mrmcd.net//\r\n",
            &[
                "pretalx-mrmcd-2024-ABC123@talks.mrmcd.net",
                "pretalx-mrmcd-2024-XYZ789@talks.mrmcd.net",
                "break-1@talks.mrmcd.net",
            ]
        ),
        "pretalx-mrmcd-2024@talks.mrmcd.net"
    );
    // Generic producers: the source.
    for prodid in [
        "-//pretalx//localhost//",
        "-//Google Inc//Google Calendar 70.9054//EN",
        "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "Microsoft Exchange Server 2010",
        "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "-//Apple Inc.//macOS 14.0//EN",
        "-//Apple Computer\\, Inc//iCal 1.5//EN",
        "-//IDN nextcloud.com//Calendar app 4.6.0//EN",
        "ics.py - http://git.io/lLljaA",
    ] {
        assert_eq!(
            key(&format!("PRODID:{prodid}\r\n"), &["a", "b"]),
            "my.ics",
            "{prodid}"
        );
    }
    // A PRODID of its own stays the key.
    assert_eq!(
        key(
            "PRODID:-//Podio API//EN//view-exporter//52593453\r\n",
            &["a"]
        ),
        "-//Podio API//EN//view-exporter//52593453"
    );
    assert_eq!(
        key("PRODID:-//pretalx//pretalx.com//democon//\r\n", &["a"]),
        "-//pretalx//pretalx.com//democon//"
    );
    // The bundled calendar keeps its key.
    assert_eq!(
        Calendar::bundled(None, Tz::UTC).key,
        "pytorchconferenceeu2026"
    );
}

fn session<'a>(cal: &'a Calendar, title: &str) -> &'a hallway::calendar::Session {
    cal.sessions
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no session {title:?}"))
}

#[test]
fn a_stated_type_beats_the_titles_words() {
    let Some(dir) = shared("schedules") else {
        return;
    };
    let cal = parse(
        &std::fs::read(dir.join("36c3_frab.json")).expect("36C3"),
        "36c3.json",
    );
    assert_eq!(session(&cal, "How to Break PDFs").kind, Kind::Talk);
    assert!(cal.sessions.iter().all(|s| s.kind != Kind::Break));
}

#[test]
fn a_title_that_is_a_break_is_one_and_one_that_mentions_breaking_is_not() {
    let cal = parse(
        with_titles(&[
            ("How to Break PDFs", "Security"),
            ("Coffee Break", "Security"),
            ("Lunch Break", "Security"),
            ("Break", "Security"),
        ])
        .as_bytes(),
        "t.ics",
    );
    assert_eq!(session(&cal, "How to Break PDFs").kind, Kind::Talk);
    for title in ["Coffee Break", "Lunch Break", "Break"] {
        assert_eq!(session(&cal, title).kind, Kind::Break, "{title}");
    }
}

#[test]
fn acronym_tracks_keep_their_capitals() {
    if let Some(dir) = shared("schedules") {
        for file in ["camp2019_frab.json", "36c3_frab.json"] {
            let cal = parse(&std::fs::read(dir.join(file)).expect("schedule"), file);
            assert!(
                cal.sessions.iter().any(|s| s.tracks == ["CCC"]),
                "{file}: {:?}",
                cal.sessions
                    .iter()
                    .flat_map(|s| &s.tracks)
                    .collect::<std::collections::BTreeSet<_>>()
            );
        }
    }
    // Among tracks in mixed case, one in capitals stays as written.
    let mixed = parse(
        with_titles(&[("A", "Security"), ("B", "Art & Culture"), ("C", "CCC")]).as_bytes(),
        "t.ics",
    );
    assert_eq!(session(&mixed, "C").tracks, ["CCC"]);
    // A calendar that shouts every track is title-cased, one-word acronyms aside.
    let shouting = parse(
        with_titles(&[
            ("A", "FRAMEWORKS & COMPILERS"),
            ("B", "MEET THE DEVELOPERS"),
            ("C", "HPC"),
            ("D", "GPU"),
        ])
        .as_bytes(),
        "t.ics",
    );
    assert_eq!(session(&shouting, "A").tracks, ["Frameworks & Compilers"]);
    assert_eq!(session(&shouting, "B").tracks, ["Meet the Developers"]);
    assert_eq!(session(&shouting, "C").tracks, ["HPC"]);
    assert_eq!(session(&shouting, "D").tracks, ["GPU"]);
}

/// `hallway -c FILE print --all` on `bytes`: exit code, standard output, standard error.
fn print_all(name: &str, bytes: &[u8]) -> (i32, String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let path = home.path().join(name);
    std::fs::write(&path, bytes).expect("writes");
    common::output(common::hallway(home.path()).args([
        "-c",
        &path.display().to_string(),
        "print",
        "--all",
    ]))
}

/// One line on standard error holding `expected`, nothing on standard output, exit code 2.
fn refused(name: &str, bytes: &[u8], expected: &str) {
    let (code, out, err) = print_all(name, bytes);
    assert_eq!(code, 2, "{name}: {err}");
    assert!(out.is_empty(), "{name}: {out}");
    assert_eq!(err.lines().count(), 1, "{name}: {err}");
    assert!(err.contains(expected), "{name}: {err}");
}

#[test]
fn broken_schedules_are_refused_in_one_line() {
    let mut junk = b"<schedule>".to_vec();
    junk.extend("junk text, no tags at all\n".repeat(800_000).bytes());
    assert!(junk.len() > 20_000_000);
    refused(
        "junk.xml",
        &junk,
        "junk.xml: not a calendar: a <schedule> with neither conference nor days",
    );
    refused(
        "bad.json",
        br#"{"schedule":{"conference":{"title":5,"days":"x"}}}"#,
        "bad.json: not a calendar: a schedule.json whose schedule.conference.days is not a list",
    );
    let not_a_calendar = "not a calendar (iCalendar, schedule.xml or schedule.json)";
    refused("array.json", b"[1, 2, 3]", not_a_calendar);
    refused(
        "schedule.json.gz",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        not_a_calendar,
    );
    refused(
        "page.html",
        b"<!DOCTYPE html><html><body>Log in</body></html>",
        "not a calendar (it is HTML; is this a web page rather than",
    );
    if let Some(dir) = shared("schedules") {
        let fosdem = std::fs::read(dir.join("fosdem2026_fosdem-pretalx-site.xml")).expect("FOSDEM");
        let cut = &fosdem[..100 * 1024];
        assert!(
            !cut.windows(7).any(|w| w == b"<event "),
            "cut before the first event"
        );
        refused(
            "fosdem.xml",
            cut,
            "fosdem.xml: the file is cut short before its first event (no </schedule>)",
        );
    }
}

#[test]
fn a_programme_still_to_be_published_loads_empty() {
    for (name, text) in [
        (
            "soon.xml",
            "<?xml version=\"1.0\"?><schedule><conference><title>Soon</title></conference>\
             <day index=\"1\" date=\"2026-05-01\"/></schedule>",
        ),
        (
            "soon.json",
            r#"{"schedule":{"conference":{"title":"Soon","days":[{"index":1,"date":"2026-05-01","rooms":{}}]}}}"#,
        ),
        (
            "empty.json",
            r#"{"schedule":{"conference":{"title":"Soon","days":[]}}}"#,
        ),
    ] {
        let (code, out, err) = print_all(name, text.as_bytes());
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("Soon"), "{name}: {out}");
        assert!(err.contains("the schedule has no events"), "{name}: {err}");
    }
}

/// A web site on 127.0.0.1: each path answers with its status and body (any other with
/// 404), and the paths asked are recorded.
struct Site {
    url: String,
    asked: Arc<Mutex<Vec<String>>>,
    http: Arc<tiny_http::Server>,
}

impl Site {
    fn start(pages: Vec<(&'static str, String)>) -> Self {
        let http = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a port"));
        let port = http.server_addr().to_ip().expect("an IP address").port();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let (server, log) = (Arc::clone(&http), Arc::clone(&asked));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().to_owned();
                log.lock().expect("log").push(path.clone());
                let response = match pages.iter().find(|(p, _)| *p == path) {
                    Some((_, body)) => tiny_http::Response::from_data(body.clone()),
                    None => tiny_http::Response::from_data(b"no such page".to_vec())
                        .with_status_code(404),
                };
                let _ = request.respond(response);
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            asked,
            http,
        }
    }

    /// The paths asked so far, forgotten.
    fn asked(&self) -> Vec<String> {
        std::mem::take(&mut *self.asked.lock().expect("log"))
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.http.unblock();
    }
}

#[test]
fn a_pretalx_event_page_on_any_host_is_read_from_its_export() {
    let page =
        "<!DOCTYPE html>\n<html><head><title>DemoCon</title></head><body>Schedule</body></html>\n";
    let export = "/democon/schedule/export/schedule.json";
    let site = Site::start(vec![
        ("/democon/", page.to_owned()),
        ("/democon/schedule/", page.to_owned()),
        (export, common::server::v1_json()),
        ("/other/", page.to_owned()),
    ]);
    let home = tempfile::tempdir().expect("temp dir");
    let run = |path: &str, offline: bool| {
        let mut cmd = common::hallway(home.path());
        cmd.args(["-c", &format!("{}{path}", site.url)]);
        if offline {
            cmd.arg("--offline");
        }
        common::output(cmd.args(["print", "--all"]))
    };
    for path in ["/democon/", "/democon/schedule/"] {
        let (code, out, err) = run(path, false);
        assert_eq!(code, 0, "{path}: {err}");
        assert!(
            out.contains("livecon") && out.contains("Moving Talk"),
            "{out}"
        );
        assert_eq!(site.asked(), [path, export]);
    }
    // The export's copy ends as a schedule.json does.
    let endings: Vec<String> = std::fs::read_dir(home.path().join("cache").join("hallway"))
        .expect("the cache")
        .filter_map(|e| {
            let name = e
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            name.split_once('.').map(|(_, ending)| ending.to_owned())
        })
        .collect();
    assert!(
        endings.iter().any(|e| e == "schedule.json") && !endings.iter().any(|e| e == "ics"),
        "{endings:?}"
    );
    // Offline, the export's copy.
    let (code, out, err) = run("/democon/", true);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Moving Talk"), "{out}");
    assert!(site.asked().is_empty());
    // A page without an export: the page's own error, once.
    let (code, out, err) = run("/other/", false);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/other/: not a calendar (it is HTML"), "{err}");
    assert_eq!(
        site.asked(),
        ["/other/", "/other/schedule/export/schedule.json"]
    );
}

#[test]
fn a_disagreeing_date_is_named_as_the_format_spells_it_with_the_event() {
    let event = |title: &str, date: &str| {
        format!(
            r#"{{"guid": "{title}", "title": "{title}", "start": "10:00", "duration": "00:30", "date": "2026-04-07T{date}:00+00:00", "room": "A"}}"#
        )
    };
    let json = format!(
        r#"{{"schedule": {{"conference": {{"title": "C", "time_zone_name": "UTC", "days": [{{"index": 1, "date": "2026-04-07", "rooms": {{"A": [{}, {}, {}]}}}}]}}}}}}"#,
        event("Early Bird", "09:00"),
        event("On Time", "10:00"),
        event("Late Owl", "11:00"),
    );
    let cal = parse(json.as_bytes(), "c.json");
    let warnings: Vec<String> = cal.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(
            &"event \"Early Bird\" gives a \"date\" that disagrees with its day and start \
              time; the date is followed (and 1 more)"
                .to_owned()
        ),
        "{warnings:?}"
    );
}
