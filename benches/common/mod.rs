//! Inputs for the benchmarks: the bundled calendar and calendars made by
//! `../shared/tools/gen-conference`, generated once into `target/bench-data/`.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The bytes of a generated calendar with `events` sessions (60 rooms, 3 days, seed 1), or
/// `None` with a note when the generator is not at hand.
pub fn generated(events: usize) -> Option<Vec<u8>> {
    generated_as(events, "ics")
}

/// [`generated`] in another format the generator writes: `ics`, `xml` (frab
/// `schedule.xml`) or `json` (frab/pretalx `schedule.json`).
pub fn generated_as(events: usize, format: &str) -> Option<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tool = root.join("../shared/tools/gen-conference");
    let dir = root.join("target/bench-data");
    let path = dir.join(format!("gen-{events}.{format}"));
    if !path.exists() {
        if !tool.exists() {
            eprintln!(
                "note: {} not found; skipping the {events}-session benchmarks",
                tool.display()
            );
            return None;
        }
        std::fs::create_dir_all(&dir).ok()?;
        let out = Command::new("python3")
            .arg(&tool)
            .args([
                "--events",
                &events.to_string(),
                "--rooms",
                "60",
                "--days",
                "3",
                "--seed",
                "1",
                "--format",
                format,
            ])
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("note: gen-conference failed; skipping the {events}-session benchmarks");
            return None;
        }
        std::fs::write(&path, out.stdout).ok()?;
    }
    std::fs::read(&path).ok()
}

/// A file of `../shared/data/schedules`, or `None` with a note when the folder is absent.
pub fn schedule(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/schedules")
        .join(name);
    let bytes = std::fs::read(&path).ok();
    if bytes.is_none() {
        eprintln!("note: {} not found; skipping its benchmark", path.display());
    }
    bytes
}

pub mod adversarial;
