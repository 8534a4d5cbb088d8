//! The real binary in a pseudo-terminal, configured by a file: `star = "x"` makes `x` star
//! the selected session (and `s` no longer does), at the time `--now` gives.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Polls `done` every 50 ms for at most ten seconds; the last value it saw.
fn wait_until<T>(mut done: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = done() {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stars(dir: &Path) -> Vec<String> {
    hallway::plan::Store::open(dir)
        .ok()
        .and_then(|s| {
            s.stars("pytorchconferenceeu2026")
                .map(|m| m.keys().cloned().collect())
        })
        .unwrap_or_default()
}

#[test]
fn a_key_rebound_in_the_config_file_stars() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("mine.toml");
    std::fs::write(&config, "[keys]\nstar = \"x\"\n").unwrap();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin!("hallway"));
    cmd.args(["--config", config.to_str().unwrap(), "--now", "tue 11:20"]);
    for (key, value) in [
        ("TZ", "UTC"),
        ("TERM", "xterm-256color"),
        ("HOME", home.path().to_str().unwrap()),
        ("HALLWAY_DATA_DIR", home.path().to_str().unwrap()),
        ("XDG_CONFIG_HOME", home.path().to_str().unwrap()),
    ] {
        cmd.env(key, value);
    }
    cmd.env_remove("HALLWAY_NOW");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut keys = pty.master.take_writer().unwrap();
    let size = |n: u16| std::num::NonZero::new(n).unwrap();
    let screen = Arc::new(Mutex::new(vt100::Parser::new(size(30), size(100), 0)));
    let feed = Arc::clone(&screen);
    std::thread::spawn(move || {
        let _master = pty.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let contents = || screen.lock().unwrap().screen().contents();
    let mut press = |text: &str| {
        keys.write_all(text.as_bytes()).unwrap();
        keys.flush().unwrap();
    };
    // The footer shows the rebound key.
    assert!(
        wait_until(|| contents().contains("x star").then_some(())).is_some(),
        "no 'x star' in the footer:\n{}",
        contents()
    );
    // The now-line is drawn: --now reached the TUI (the real clock is not in the conference).
    assert!(contents().contains("now ▸"), "{}", contents());
    // Had s still starred the selected session, x would unstar it again.
    press("s");
    press("x");
    let starred = wait_until(|| Some(stars(home.path())).filter(|s| !s.is_empty()));
    assert_eq!(
        starred.map(|s| s.len()),
        Some(1),
        "x did not star:\n{}",
        contents()
    );
    press("q");
    let status = wait_until(|| child.try_wait().ok().flatten());
    assert!(status.is_some_and(|s| s.success()), "{}", contents());
    // Once it has quit: one star, and x hid nothing (its default binding is gone).
    let store = hallway::plan::Store::open(home.path()).unwrap();
    assert_eq!(stars(home.path()).len(), 1);
    assert!(store.hidden("pytorchconferenceeu2026").is_empty());
}
