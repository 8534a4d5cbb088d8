//! The real binary in a pseudo-terminal: start on the bundled calendar, search for Helion,
//! jump to it, star it, quit; the star is on disk and the terminal is restored. Also: a
//! SIGTERM restores the terminal, and a change another process makes shows up.

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";

/// A running hallway in a pty, with a vt100 screen fed from its output.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Self {
        Self::start_with(data_dir, extra, &[])
    }

    fn start_with(data_dir: &std::path::Path, extra: &[(&str, &str)], args: &[&str]) -> Self {
        let program = assert_cmd::cargo::cargo_bin!("hallway");
        Self::run(program.as_os_str(), data_dir, extra, args)
    }

    /// `program` with `args` (hallway, or a shell that runs it) in a 100×30 pty.
    fn run(
        program: &std::ffi::OsStr,
        data_dir: &std::path::Path,
        extra: &[(&str, &str)],
        args: &[&str],
    ) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TZ", "UTC");
        cmd.env("TERM", "xterm-256color");
        cmd.env("HALLWAY_DATA_DIR", data_dir);
        cmd.env("HOME", data_dir);
        cmd.env("XDG_CONFIG_HOME", data_dir.join("config"));
        cmd.env("XDG_CACHE_HOME", data_dir.join("cache"));
        cmd.env_remove("HALLWAY_CONFIG");
        cmd.env("HALLWAY_NOW", "2026-04-07T09:20:00Z");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let size = |n: u16| std::num::NonZero::new(n).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(30), size(100), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            let _master = pty.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Self {
            child,
            writer,
            screen,
            raw,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Where `text` is on the screen: (row, column), 0-based.
    fn find(&self, text: &str) -> Option<(u16, u16)> {
        let contents = self.contents();
        contents.lines().enumerate().find_map(|(row, line)| {
            let at = line.find(text)?;
            let col = unicode_width::UnicodeWidthStr::width(&line[..at]);
            Some((u16::try_from(row).ok()?, u16::try_from(col).ok()?))
        })
    }

    /// Waits until the screen shows `text` (at most ten seconds).
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("never saw {text:?}; the screen:\n{}", self.contents());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// The text of the screen's reversed (selected) cells, row by row.
    fn reversed(&self) -> String {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let mut out = String::new();
        for row in 0..rows.get() {
            for col in 0..cols.get() {
                if let Some(cell) = screen.cell(row, col)
                    && cell.inverse()
                {
                    out.push_str(cell.contents());
                }
            }
            out.push('\n');
        }
        out
    }

    /// Waits until the selection (the reversed cells) shows `text` (at most ten seconds).
    fn wait_for_selected(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.reversed().replace('\n', " ").contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "never saw {text:?} selected; the screen:\n{}",
            self.contents()
        );
    }

    /// Waits for the process to end; its exit code.
    fn wait(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("hallway did not exit; the screen:\n{}", self.contents());
    }

    /// Whether the output ends by leaving the alternate screen and mouse capture (waiting
    /// up to ten seconds for the output to arrive).
    fn restored(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let done = {
                let raw = self.raw.lock().unwrap();
                let text = String::from_utf8_lossy(&raw);
                let leave = text.rfind("\x1b[?1049l");
                let enter = text.rfind("\x1b[?1049h");
                leave > enter && text.contains("\x1b[?1000l")
            };
            if done || Instant::now() > deadline {
                return done;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The raw output once it holds `text` (waiting up to ten seconds).
    fn raw_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned();
            if raw.contains(text) || Instant::now() > deadline {
                return raw;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn starred(dir: &std::path::Path) -> Vec<String> {
    hallway::plan::Store::open(dir)
        .unwrap()
        .stars("pytorchconferenceeu2026")
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn search_helion_star_it_and_quit() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("PyTorch Conference Europe 2026");
    tui.wait_for("Master Stage");
    tui.send("/");
    tui.wait_for("Search");
    tui.send("Helion");
    tui.wait_for("Helion 1.0: A High-Level DSL");
    tui.send("\r");
    tui.send("s");
    tui.wait_for("★ starred Helion 1.0");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    assert!(tui.restored(), "the terminal was not restored");
    assert_eq!(starred(home.path()), vec![HELION.to_owned()]);
}

#[cfg(unix)]
#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("Master Stage");
    let pid = tui.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(tui.wait(), 0);
    assert!(
        tui.restored(),
        "the terminal was not restored after SIGTERM"
    );
}

#[test]
fn a_star_made_in_another_terminal_shows_within_a_second() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("★ 0");
    let out = common::hallway(home.path())
        .args(["star", HELION])
        .output()
        .unwrap();
    assert!(out.status.success());
    tui.wait_for("★ 1");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn a_corrupt_store_opens_read_only_and_is_never_written() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("starred.json");
    std::fs::write(&path, "not json").unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("read-only: ");
    tui.send("s");
    tui.wait_for("stars are read-only");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not json");
}

#[test]
fn a_panic_restores_the_terminal_before_its_message() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[("HALLWAY_TEST_PANIC", "1")]);
    assert_ne!(tui.wait(), 0);
    let raw = tui.raw_with("test panic after the first frame");
    let left = raw
        .rfind("\x1b[?1049l")
        .expect("the alternate screen was left");
    let message = raw
        .find("test panic after the first frame")
        .expect("the panic message printed");
    assert!(
        left < message,
        "the message printed before the terminal was restored"
    );
    assert!(
        raw.contains("\x1b[?1000l"),
        "mouse capture was not turned off"
    );
}

#[cfg(unix)]
#[test]
fn sighup_from_a_closed_terminal_ends_hallway() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("Master Stage");
    let pid = tui.child.process_id().unwrap();
    assert!(
        std::process::Command::new("kill")
            .args(["-HUP", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(tui.wait(), 0);
    assert!(tui.restored());
}

#[test]
fn a_click_selects_and_o_opens_the_page_without_a_shell() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("opened.txt");
    let browser = home.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut tui = Session::start(home.path(), &[("BROWSER", browser.to_str().unwrap())]);
    tui.wait_for("Master Stage");
    tui.wait_for("Tour De");
    let (row, col) = tui.find("Tour De").unwrap();
    // SGR mouse: 1-based column and row, press then release.
    let (x, y) = (col + 3, row + 1);
    tui.send(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    tui.send("s");
    tui.wait_for("★ starred Tour De Force");
    tui.send("o");
    tui.wait_for("opening http://pytorchconferenceeu2026.sched.com/event/");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !log.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(opened.lines().count(), 1, "one argument, the URL: {opened}");
    let tour = hallway::calendar::Calendar::bundled(None, chrono_tz::Tz::UTC)
        .sessions
        .into_iter()
        .find(|s| s.title.starts_with("Tour De Force"))
        .unwrap();
    assert_eq!(opened.trim_end(), tour.url.unwrap());
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn refresh_shows_what_changed_and_u_acknowledges() {
    let home = tempfile::tempdir().unwrap();
    let server = common::server::Server::start(common::server::V1);
    let cache = home.path().join("cache");
    let out = common::hallway(home.path())
        .args([
            "-c",
            &server.url,
            "--cache-dir",
            cache.to_str().unwrap(),
            "star",
            "move-me",
            "stay",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let url = server.url.clone();
    let cache_dir = cache.to_str().unwrap().to_owned();
    let args = ["-c", url.as_str(), "--cache-dir", cache_dir.as_str()];
    let mut tui = Session::start_with(home.path(), &[], &args);
    tui.wait_for("livecon");
    // It opened on the offline copy and fetched again behind: nothing new yet.
    tui.wait_for("the schedule has not changed");
    server.publish(&common::server::v2(), "\"v2\"");
    tui.send("r");
    tui.wait_for("Schedule changed");
    tui.wait_for("moved");
    tui.wait_for("now clashes with Moving Talk");
    tui.send("u");
    tui.wait_for("acknowledged 1 change");
    // With the server gone, the banner says the copy is in use and how old it is.
    server.stop();
    tui.send("r");
    tui.wait_for("using the copy fetched just now");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn opens_at_now_on_a_session_that_is_on() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    // 11:20 on day 1: the now-line is in view and a session on now is selected.
    tui.wait_for("now ▸");
    tui.wait_for_selected("Lights,");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn now_and_next_list_and_starred_only() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("now ▸");
    tui.send("w");
    tui.wait_for("Now & next");
    tui.wait_for("min left");
    tui.send("\r");
    tui.wait_for("Master Stage");
    tui.send("s");
    tui.wait_for("★ 1");
    tui.send("v");
    tui.wait_for("v grid");
    tui.send("*");
    tui.wait_for("★ only");
    tui.wait_for("only your 1 starred sessions");
    tui.send("v");
    tui.wait_for("v list");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    assert_eq!(starred(home.path()).len(), 1);
}

#[test]
fn the_filter_only_all_keeps_stars_and_is_remembered_after_restart() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("now ▸");
    // Star Helion (Frameworks & Compilers), then show only the Keynote Sessions track.
    tui.send("/Helion\r");
    tui.wait_for_selected("Helion");
    tui.send("s");
    tui.wait_for("★ 1");
    tui.send("f");
    tui.wait_for("Tracks");
    tui.send("/Keynote Sessions\r");
    tui.send("o");
    tui.wait_for("[ ] ▌ Frameworks & Compilers");
    tui.send("\x1b");
    tui.wait_for("filter on");
    // Helion stays, marked as shown because starred.
    tui.wait_for("◇");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    // The filter is there after a restart; a shows all tracks again.
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("filter on");
    tui.send("f");
    tui.wait_for("[ ] ▌ Frameworks & Compilers");
    tui.send("a");
    tui.wait_for("[x] ▌ Frameworks & Compilers");
    tui.send("\x1b");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn x_hides_a_session_across_restarts() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("now ▸");
    tui.send("/Tour De Force\r");
    tui.wait_for_selected("Tour De");
    tui.send("x");
    tui.wait_for("hidden: Tour De Force");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    let mut tui = Session::start(home.path(), &[]);
    tui.wait_for("1 hidden");
    assert!(!tui.contents().contains("Tour De"), "{}", tui.contents());
    tui.send("X");
    tui.wait_for("⊘ Tour De");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

#[test]
fn the_calendar_picker_switches_in_place() {
    let home = tempfile::tempdir().unwrap();
    let fixture = common::fixture("recurrence.ics");
    let out = common::hallway(home.path())
        .args(["add", &fixture, "--name", "Team"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut tui = Session::start(home.path(), &[]);
    // Its name in the header (the view opens on its last day: it is over).
    tui.wait_for("recurrence  ");
    tui.send("C");
    tui.wait_for("Your calendars");
    tui.wait_for("PyTorch Conference Europe 2026  built in");
    tui.send("k");
    tui.send("\r");
    tui.wait_for("Master Stage");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
    // The bundled calendar is the current one now, for the command line too.
    let out = common::hallway(home.path()).arg("list").output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.lines()
            .any(|l| l.starts_with('*') && l.contains("PyTorch")),
        "{list}"
    );
}

#[test]
fn a_stalled_server_never_keeps_the_view_from_opening_on_its_offline_copy() {
    let home = tempfile::tempdir().unwrap();
    let server = common::server::Server::start(common::server::V1);
    let cache = home.path().join("cache");
    let cache_dir = cache.to_str().unwrap().to_owned();
    let out = common::hallway(home.path())
        .args([
            "-c",
            &server.url,
            "--cache-dir",
            &cache_dir,
            "print",
            "--all",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.state.lock().unwrap().stall = true;
    let url = server.url.clone();
    let mut tui = Session::start_with(home.path(), &[], &["-c", &url, "--cache-dir", &cache_dir]);
    // The copy shows at once (a fetch would take its whole timeout), the fetch goes on behind.
    tui.wait_for("livecon");
    tui.wait_for("fetching the schedule");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}

/// A calendar piped in (`curl … | hallway -c -`): the view opens, and keys come from the
/// terminal (/dev/tty) instead of standard input.
#[test]
fn a_calendar_on_standard_input_opens_the_view_with_keys_from_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let calendar = common::fixture("recurrence.ics");
    let hallway = assert_cmd::cargo::cargo_bin!("hallway");
    let mut tui = Session::run(
        std::ffi::OsStr::new("sh"),
        home.path(),
        &[],
        &[
            "-c",
            "exec \"$0\" -c - < \"$1\"",
            hallway.to_str().unwrap(),
            &calendar,
        ],
    );
    tui.wait_for("Conference day 09:00");
    // A key reaches it: the previous day.
    tui.send("\x1b[Z");
    tui.wait_for("Mon 1 Apr 5/6");
    tui.send("q");
    assert_eq!(tui.wait(), 0);
}
