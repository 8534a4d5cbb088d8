//! Helpers shared by the tests that run the `hallway` binary.

#![allow(dead_code)]

pub mod server;

use std::path::Path;

use assert_cmd::Command;

/// `hallway` on a machine set to UTC, on 1 April 2026, with its data kept in `data_dir`
/// (never the real home), as a plain process to spawn.
pub fn hallway_process(data_dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hallway"));
    cmd.env("TZ", "UTC")
        .env("HALLWAY_DATA_DIR", data_dir)
        .env("HOME", data_dir)
        .env("XDG_CONFIG_HOME", data_dir.join("config"))
        .env("XDG_CACHE_HOME", data_dir.join("cache"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("HALLWAY_CONFIG")
        .env_remove("HALLWAY_CACHE_DIR")
        .env("NO_COLOR", "1")
        .env("HALLWAY_NOW", "2026-04-01T08:00:00Z");
    cmd
}

/// The same, to run to completion with assertions.
pub fn hallway(data_dir: &Path) -> Command {
    Command::from_std(hallway_process(data_dir))
}

/// The path of a fixture under `tests/fixtures`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Widest line of `text`, in terminal cells.
pub fn widest(text: &str) -> usize {
    text.lines()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Standard output and error of a finished command, as text.
pub fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("hallway runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}
