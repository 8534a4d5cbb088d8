//! The star file under stress: two processes writing at once lose nothing, and a writer
//! killed with SIGKILL at any moment leaves a valid file holding every star made before.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use chrono_tz::Tz;
use common::{hallway, hallway_process};
use hallway::calendar::Calendar;
use hallway::plan::{Store, store};

fn starred(dir: &Path) -> BTreeSet<String> {
    Store::open(dir)
        .unwrap()
        .stars("pytorchconferenceeu2026")
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn two_processes_starring_fifty_sessions_each_keep_all_hundred() {
    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    let ids: Vec<String> = cal
        .sessions
        .iter()
        .take(100)
        .map(|s| s.id.clone())
        .collect();
    let (first, second) = ids.split_at(50);
    std::thread::scope(|scope| {
        for half in [first, second] {
            let dir = home.path();
            scope.spawn(move || {
                for id in half {
                    let out = hallway(dir).args(["star", id]).output().unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    let expected: BTreeSet<String> = ids.into_iter().collect();
    assert_eq!(starred(home.path()), expected);
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[cfg(unix)]
#[test]
fn writers_killed_at_random_moments_never_corrupt_or_lose_stars() {
    use std::os::unix::process::ExitStatusExt;

    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    // A big file, so that writing it takes long enough to be interrupted.
    {
        let mut store = Store::open(home.path()).unwrap();
        let now = "2026-04-01T08:00:00Z".parse().unwrap();
        for n in 0..20 {
            for s in &cal.sessions[..100] {
                store.star(&format!("other-calendar-{n}"), "Other", s, now);
            }
        }
        store.save().unwrap();
    }
    // How long one writer takes here (debug or release, fast or slow machine): kills are
    // spread over that whole time.
    let started = std::time::Instant::now();
    let first = cal.sessions[0].id.clone();
    assert!(
        hallway(home.path())
            .args(["star", &first])
            .output()
            .unwrap()
            .status
            .success()
    );
    let mut lifetime = u64::try_from(started.elapsed().as_micros()).unwrap();
    let mut rng = Lcg(0x5eed);
    let mut confirmed: BTreeSet<String> = BTreeSet::from([first]);
    let mut killed = 0;
    // Until enough writers were killed and enough finished; timings vary with the machine's
    // load, so the window adapts.
    for round in 1..400 {
        if killed >= 10 && confirmed.len() >= 6 {
            break;
        }
        if round % 20 == 0 {
            if killed < 10 {
                lifetime = lifetime * 7 / 10;
            }
            if confirmed.len() < 6 {
                lifetime = lifetime * 14 / 10;
            }
        }
        let id = cal.sessions[round % cal.sessions.len()].id.clone();
        let mut child = hallway_process(home.path())
            .args(["star", &id])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(lifetime * 5 / 4)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            confirmed.insert(id);
        } else {
            assert_eq!(status.signal(), Some(9), "round {round}: {status:?}");
            killed += 1;
        }
        // Whatever the moment, the file is valid and holds every confirmed star.
        let bytes = std::fs::read(home.path().join(store::FILE_NAME)).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("round {round}: invalid JSON after a kill: {e}"));
        assert_eq!(json["version"], 1);
        assert!(json["calendars"].as_object().unwrap().len() > 20);
        let now = starred(home.path());
        assert!(
            confirmed.is_subset(&now),
            "round {round}: lost {:?}",
            confirmed.difference(&now).collect::<Vec<_>>()
        );
    }
    assert!(killed >= 10, "only {killed} writers were killed mid-run");
    assert!(
        confirmed.len() >= 6,
        "only {} writers finished",
        confirmed.len()
    );
    // The next save clears the temporary files killed writers left.
    hallway(home.path())
        .args(["star", &cal.sessions[120].id])
        .output()
        .unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_writer_waits_for_the_lock() {
    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    let lock = store::hold_lock(home.path()).unwrap();
    let mut child = hallway_process(home.path())
        .args(["star", &cal.sessions[3].id])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the writer went ahead without the lock"
    );
    drop(lock);
    assert!(child.wait().unwrap().success());
    assert!(starred(home.path()).contains(&cal.sessions[3].id));
}
