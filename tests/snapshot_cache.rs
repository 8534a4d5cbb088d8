//! Parsed snapshots as a user meets them: a calendar file read once is read from its
//! snapshot in the cache directory after that, and any doubt about a snapshot — another
//! file's, cut short, corrupt, from another version, a file changed since — means the file
//! is read again and the snapshot replaced. All in temporary directories.

mod common;

use std::path::{Path, PathBuf};

use common::{hallway, output};
use hallway::calendar::snapshot::{self, Stamp};
use hallway::calendar::{Calendar, LoadOptions};

/// A calendar of one session titled `title`.
fn calendar(title: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Snapshots\r\nX-WR-TIMEZONE:Europe/Paris\r\nBEGIN:VEVENT\r\nUID:only\r\nDTSTART:20260401T090000Z\r\nDTEND:20260401T093000Z\r\nSUMMARY:{title}\r\nLOCATION:Room A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

struct Setup {
    home: tempfile::TempDir,
    cache: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let home = tempfile::tempdir().unwrap();
        let cache = home.path().join("cache-dir");
        Self { home, cache }
    }

    /// Writes a calendar file named `name` holding one session titled `title`.
    fn file(&self, name: &str, title: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, calendar(title)).unwrap();
        std::fs::canonicalize(path).unwrap()
    }

    /// `hallway print --all` of `file`: exit code, output, errors.
    fn print(&self, file: &Path, extra: &[&str]) -> (i32, String, String) {
        let mut cmd = hallway(self.home.path());
        cmd.arg("--cache-dir")
            .arg(&self.cache)
            .arg("-c")
            .arg(file)
            .args(["print", "--all"])
            .args(extra);
        output(&mut cmd)
    }

    /// The title `print --all` shows for `file`, with no errors.
    fn title(&self, file: &Path) -> String {
        let (code, out, err) = self.print(file, &[]);
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "{err}");
        title_in(&out)
    }

    /// Where the snapshot of `file` is kept.
    fn snapshot(&self, file: &Path) -> PathBuf {
        snapshot::path(&self.cache.join("snapshots"), &options(file))
    }

    fn snapshots(&self) -> usize {
        std::fs::read_dir(self.cache.join("snapshots")).map_or(0, Iterator::count)
    }
}

/// The options hallway reads `file` with here (the tests run it on a UTC machine).
fn options(file: &Path) -> LoadOptions {
    LoadOptions::new(file.display().to_string(), None, chrono_tz::UTC)
}

/// The session's title in `print --all`'s output.
fn title_in(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.starts_with("11:00–11:30"))
        .unwrap_or_else(|| panic!("no session in {out}"));
    line.rsplit("  ").next().unwrap().trim().to_owned()
}

/// The stamp hallway gives `file` as it is now.
fn stamp(file: &Path) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(file).unwrap();
    let mtime = (meta.mtime(), u32::try_from(meta.mtime_nsec()).unwrap());
    Stamp::of(&std::fs::read(file).unwrap(), mtime)
}

/// A valid snapshot for `file` as it is now, holding a session titled `title` instead of
/// what the file holds: if hallway shows that title, it read the snapshot.
fn forge(setup: &Setup, file: &Path, title: &str) {
    let forged = Calendar::parse(calendar(title).as_bytes(), &options(file)).unwrap();
    let bytes = snapshot::encode(&forged, stamp(file), &options(file)).unwrap();
    std::fs::write(setup.snapshot(file), bytes).unwrap();
}

#[test]
fn a_file_read_once_is_read_from_its_snapshot_and_no_cache_reads_the_file() {
    let setup = Setup::new();
    let file = setup.file("talks.ics", "Alpha talk");
    assert_eq!(setup.title(&file), "Alpha talk");
    assert_eq!(setup.snapshots(), 1);
    assert!(setup.snapshot(&file).exists());
    forge(&setup, &file, "From the snapshot");
    assert_eq!(setup.title(&file), "From the snapshot");
    // --no-cache reads the file, and neither uses nor replaces the snapshot.
    let before = std::fs::read(setup.snapshot(&file)).unwrap();
    let (code, out, err) = setup.print(&file, &["--no-cache"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(title_in(&out), "Alpha talk");
    assert_eq!(std::fs::read(setup.snapshot(&file)).unwrap(), before);
    // Nothing is written with --no-cache.
    let fresh = Setup::new();
    let other = fresh.file("other.ics", "Beta talk");
    let (code, out, _) = fresh.print(&other, &["--no-cache"]);
    assert_eq!((code, title_in(&out)), (0, "Beta talk".to_owned()));
    assert_eq!(fresh.snapshots(), 0);
}

#[test]
fn a_snapshot_of_one_file_is_never_used_for_another() {
    let setup = Setup::new();
    let alpha = setup.file("alpha.ics", "Alpha talk");
    let beta = setup.file("beta.ics", "Beta talk");
    assert_eq!(setup.title(&alpha), "Alpha talk");
    // Alpha's snapshot where beta's would be.
    std::fs::copy(setup.snapshot(&alpha), setup.snapshot(&beta)).unwrap();
    assert_eq!(setup.title(&beta), "Beta talk");
    assert_eq!(setup.title(&alpha), "Alpha talk");
    // Another file moved over alpha's path.
    std::fs::rename(&beta, &alpha).unwrap();
    assert_eq!(setup.title(&alpha), "Beta talk");
}

/// A way to damage a snapshot file, named.
type Damage = (&'static str, fn(&mut Vec<u8>));

#[test]
fn a_snapshot_cut_short_corrupt_or_of_another_version_is_rebuilt() {
    let setup = Setup::new();
    let file = setup.file("talks.ics", "Alpha talk");
    assert_eq!(setup.title(&file), "Alpha talk");
    let path = setup.snapshot(&file);
    let good = std::fs::read(&path).unwrap();
    let damages: [Damage; 4] = [
        ("cut short", |b| b.truncate(b.len() / 2)),
        ("empty", Vec::clear),
        ("a byte changed", |b| {
            let at = b.len() - 5;
            b[at] ^= 0x01;
        }),
        // The format number, after the 8-byte magic.
        ("another version", |b| b[8] = b[8].wrapping_add(1)),
    ];
    for (what, damage) in damages {
        let mut bytes = good.clone();
        damage(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(setup.title(&file), "Alpha talk", "{what}");
        assert_eq!(std::fs::read(&path).unwrap(), good, "{what}: not rebuilt");
    }
}

#[test]
fn a_file_changed_between_two_commands_is_read_again() {
    let setup = Setup::new();
    let file = setup.file("talks.ics", "Alpha talk");
    assert_eq!(setup.title(&file), "Alpha talk");
    // Another size.
    std::fs::write(&file, calendar("A longer talk")).unwrap();
    assert_eq!(setup.title(&file), "A longer talk");
    // The same size and modification time, other content: only the digest tells.
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, calendar("A shorter one")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(meta.modified().unwrap(), modified);
    assert_eq!(meta.len(), calendar("A longer talk").len() as u64);
    assert_eq!(setup.title(&file), "A shorter one");
    assert_eq!(setup.title(&file), "A shorter one");
}

#[test]
fn a_snapshot_directory_that_cannot_be_written_only_costs_speed() {
    let setup = Setup::new();
    let file = setup.file("talks.ics", "Alpha talk");
    std::fs::create_dir_all(&setup.cache).unwrap();
    // A file where the snapshot directory should be: it can be neither made nor written.
    std::fs::write(setup.cache.join("snapshots"), "not a directory").unwrap();
    for _ in 0..2 {
        let (code, out, err) = setup.print(&file, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(title_in(&out), "Alpha talk");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("hallway: note: could not keep a parsed snapshot in "),
            "{err}"
        );
        assert!(
            err.contains("the calendar is read whole each time"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(setup.cache.join("snapshots")).unwrap(),
        "not a directory"
    );
}

#[test]
fn the_bundled_calendar_is_read_from_its_snapshot_and_a_bad_one_is_rebuilt_silently() {
    use hallway::calendar::{BUNDLED, BUNDLED_NAME};
    let setup = Setup::new();
    let print = || {
        let mut cmd = hallway(setup.home.path());
        cmd.arg("--cache-dir")
            .arg(&setup.cache)
            .args(["print", "--all"]);
        output(&mut cmd)
    };
    let (code, first, err) = print();
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(first.contains("PyTorch Conference Europe 2026"), "{first}");
    assert_eq!(setup.snapshots(), 1);
    // A valid snapshot of the bundled calendar holding something else: it is what is read.
    let options = LoadOptions::new(BUNDLED_NAME, None, chrono_tz::UTC);
    let path = snapshot::path(&setup.cache.join("snapshots"), &options);
    assert!(path.exists());
    let forged = Calendar::parse(calendar("From the snapshot").as_bytes(), &options).unwrap();
    let bytes = snapshot::encode(&forged, Stamp::of(BUNDLED, (0, 0)), &options).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let (code, out, _) = print();
    assert_eq!((code, title_in(&out)), (0, "From the snapshot".to_owned()));
    // A damaged one is parsed again, without a word, and replaced.
    std::fs::write(&path, b"not a snapshot").unwrap();
    assert_eq!(print(), (0, first.clone(), String::new()));
    assert_eq!(print(), (0, first.clone(), String::new()));
    assert_ne!(std::fs::read(&path).unwrap(), b"not a snapshot");
    // --no-cache reads the bundled calendar itself.
    let mut cmd = hallway(setup.home.path());
    cmd.args(["--no-cache", "print", "--all"]);
    assert_eq!(output(&mut cmd), (0, first, String::new()));
}
