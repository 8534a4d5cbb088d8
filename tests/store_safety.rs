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
        .map(|s| s.id.to_string())
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
    let first = cal.sessions[0].id.to_string();
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
        let id = cal.sessions[round % cal.sessions.len()].id.to_string();
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
    assert!(starred(home.path()).contains(cal.sessions[3].id.as_str()));
}

/// A process that holds the store's lock until killed: `flock` from util-linux (`None`, with
/// a note, where it is not installed).
fn lock_holder(lock: &Path) -> Option<std::process::Child> {
    let child = std::process::Command::new("flock")
        .arg(lock)
        .args(["sleep", "60"])
        .spawn();
    if child.is_err() {
        println!("note: flock (util-linux) is not installed; skipping the held-lock test");
    }
    child.ok()
}

#[test]
fn a_lock_held_by_another_process_makes_the_command_line_give_up_after_5_s() {
    let home = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    let lock = home.path().join("starred.json.lock");
    let Some(mut holder) = lock_holder(&lock) else {
        return;
    };
    // Until the child holds it (a lock taken here is let go at once).
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(file) = std::fs::File::open(&lock)
            && matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "flock never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = std::time::Instant::now();
    let out = hallway(home.path())
        .args(["star", &cal.sessions[3].id])
        .output()
        .unwrap();
    let waited = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(waited >= Duration::from_secs(5), "gave up after {waited:?}");
    assert_eq!(
        err.matches("hallway: waiting for another hallway to finish saving…")
            .count(),
        1,
        "{err}"
    );
    let last = err.lines().last().unwrap();
    assert!(
        last.contains(&lock.display().to_string()) && last.contains("nothing was saved"),
        "{err}"
    );
    assert!(!home.path().join("starred.json").exists());
}

#[cfg(unix)]
#[test]
fn a_linked_star_file_keeps_its_link_and_a_linked_lock_is_not_followed() {
    let home = tempfile::tempdir().unwrap();
    let synced = tempfile::tempdir().unwrap();
    let cal = Calendar::bundled(None, Tz::UTC);
    let target = synced.path().join("hallway-stars.json");
    std::fs::write(&target, "{\"version\": 1, \"calendars\": {}}\n").unwrap();
    let link = home.path().join("starred.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = hallway(home.path())
        .args(["star", &cal.sessions[3].id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains(cal.sessions[3].id.as_str())
    );
    assert!(starred(home.path()).contains(cal.sessions[3].id.as_str()));

    // A lock file that is a link, say to a file an attacker wants made: refused, untouched.
    let plain = tempfile::tempdir().unwrap();
    let bait = plain.path().join("bait");
    std::os::unix::fs::symlink(&bait, plain.path().join("starred.json.lock")).unwrap();
    let out = hallway(plain.path())
        .args(["star", &cal.sessions[3].id])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("a symbolic link where the lock file should be"),
        "{err}"
    );
    assert!(!bait.exists(), "the lock link was followed");
}

#[test]
fn text_from_a_tampered_star_file_never_reaches_the_terminal_raw() {
    let home = tempfile::tempdir().unwrap();
    let json = "{\"version\": 1, \"calendars\": {\"pytorchconferenceeu2026\": {\"name\": \"x\", \"starred\": {\"gone\\u001b[2J\": {\"starred_at\": \"2026-01-01T00:00:00Z\", \"title\": \"Evil \\u001b]0;owned\\u0007 talk \\u009b31m\", \"start\": \"2026-04-07T07:00:00Z\", \"end\": \"2026-04-07T07:30:00Z\", \"room\": \"Room \\u001b[31m\\u202e\"}}}}}";
    std::fs::write(home.path().join("starred.json"), json).unwrap();
    for args in [
        vec!["print"],
        vec!["print", "--format", "markdown"],
        vec!["print", "--format", "html"],
        vec!["changes"],
        vec!["unstar", "gone\u{1b}[2J"],
    ] {
        let out = hallway(home.path()).args(&args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(text.contains("Evil"), "{args:?}: {text}");
        for shown in [&text, &err] {
            assert!(
                !shown.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?}: {shown:?}"
            );
        }
    }
}

/// `hallway` as a user who may not read the star file: the nobody user when the tests run as
/// root (permissions do not bind root), else the user running them.
#[cfg(unix)]
fn as_unprivileged(data_dir: &Path) -> Option<std::process::Command> {
    use std::os::unix::process::CommandExt;
    let mut cmd = hallway_process(data_dir);
    // SAFETY: geteuid only reads the process's user id.
    if unsafe { libc::geteuid() } == 0 {
        cmd.uid(65534).gid(65534);
        let mut probe = hallway_process(data_dir);
        probe.uid(65534).gid(65534).arg("--version");
        if !probe.output().is_ok_and(|o| o.status.success()) {
            return None;
        }
    }
    Some(cmd)
}

#[cfg(unix)]
#[test]
fn a_star_file_the_user_may_not_read_leaves_the_programme_readable_and_stars_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = home.path().join("starred.json");
    let text = "{\"version\": 1, \"calendars\": {}}";
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut print) = as_unprivileged(home.path()) else {
        println!("note: cannot run hallway as an unprivileged user here; test skipped");
        return;
    };
    let out = print
        .args(["print", "--all", "--day", "1"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Helion 1.0"), "the programme is shown");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("starred.json") && stderr.contains("permission denied"),
        "{stderr}"
    );
    let mut star = as_unprivileged(home.path()).unwrap();
    let out = star
        .args(["star", "ea4620ce0f810a15307f92b28e2664da"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("starred.json"), "{stderr}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "never written"
    );
}
