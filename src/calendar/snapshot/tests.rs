//! Snapshots written and read back, and every way one can fail to check out.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;

use super::{CHECKSUM, HEADER, Stamp, VERSION, encode, open, path, summed, write};
use crate::calendar::{Calendar, LoadOptions};

/// Every field of `a` and `b` is the same.
fn assert_same(a: &Calendar, b: &Calendar) {
    assert_eq!(a.sessions, b.sessions);
    assert_eq!(
        (&a.name, &a.key, &a.source, a.zone, a.zone_source),
        (&b.name, &b.key, &b.source, b.zone, b.zone_source)
    );
    assert_eq!(a.warnings, b.warnings);
    assert_eq!((a.complete, a.format), (b.complete, b.format));
    assert_eq!(a.schedule_days, b.schedule_days);
    assert_eq!(a.room_order, b.room_order);
    assert_eq!(a.day_change, b.day_change);
    for (i, s) in b.sessions.iter().enumerate() {
        assert_eq!(b.position(&s.id), Some(i));
    }
}

fn options(name: &str) -> LoadOptions {
    LoadOptions::new(name, None, chrono_tz::Europe::Berlin)
}

/// The snapshot of `bytes` read as `name`, written to a file in `dir`.
fn written(dir: &Path, bytes: &[u8], name: &str) -> (Calendar, PathBuf) {
    let calendar = Calendar::parse(bytes, &options(name)).unwrap();
    let snapshot = encode(&calendar, Stamp::of(bytes, (1, 2)), &options(name)).unwrap();
    let path = path(dir, &options(name));
    std::fs::write(&path, snapshot).unwrap();
    (calendar, path)
}

fn read(path: &Path, name: &str) -> Option<Calendar> {
    open(path)?.calendar(&options(name), || true)
}

#[test]
fn every_fixture_comes_back_as_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut read_back = 0;
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.display().to_string();
        if Calendar::parse(&bytes, &options(&name)).is_err() {
            continue;
        }
        let (calendar, path) = written(dir.path(), &bytes, &name);
        let mapped = open(&path).unwrap();
        assert_eq!(mapped.stamp, Stamp::of(&bytes, (1, 2)));
        let again = mapped.calendar(&options(&name), || true).unwrap();
        assert_same(&calendar, &again);
        read_back += 1;
    }
    assert!(read_back >= 25, "{read_back}");
    let (bundled, path) = written(dir.path(), crate::calendar::BUNDLED, "bundled");
    assert_same(&bundled, &read(&path, "bundled").unwrap());
}

#[test]
fn the_bundled_digest_taken_at_build_is_the_one_taken_at_run() {
    let bundled = crate::calendar::BUNDLED;
    assert_eq!(
        Stamp::of(bundled, (0, 0)).hash,
        crate::calendar::BUNDLED_DIGEST
    );
    assert_ne!(
        crate::calendar::BUNDLED_DIGEST,
        xxhash_rust::xxh3::xxh3_64(b"")
    );
}

#[test]
fn the_text_is_shared_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = written(dir.path(), crate::calendar::BUNDLED, "bundled");
    let calendar = read(&path, "bundled").unwrap();
    let buffer = calendar.sessions[0].title.buffer().unwrap().clone();
    for s in &calendar.sessions {
        for text in [&s.id, &s.title, &s.description, &s.room] {
            assert!(
                text.is_empty() || text.range_in(&buffer).is_some(),
                "{text}"
            );
        }
    }
    // A room every session in it shares is in the file once.
    let rooms: std::collections::HashSet<_> = calendar
        .sessions
        .iter()
        .map(|s| s.room.range_in(&buffer))
        .collect();
    assert_eq!(rooms.len(), calendar.rooms().len());
}

#[test]
fn the_occurrences_of_a_recurring_event_share_their_texts() {
    let dir = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recurrence.ics");
    let bytes = std::fs::read(&file).unwrap();
    let (calendar, path) = written(dir.path(), &bytes, "recurrence.ics");
    let again = read(&path, "recurrence.ics").unwrap();
    assert_same(&calendar, &again);
    let buffer = again.sessions[0].title.buffer().unwrap().clone();
    let mut by_title: HashMap<String, Vec<_>> = HashMap::default();
    for s in &again.sessions {
        let ranges = [&s.title, &s.description].map(|t| t.range_in(&buffer));
        by_title
            .entry(s.title.to_string())
            .or_default()
            .push(ranges);
    }
    let recurring = by_title.values().filter(|all| all.len() > 1).count();
    assert!(recurring > 0);
    for all in by_title.values() {
        assert!(all.iter().all(|ranges| *ranges == all[0]), "{all:?}");
    }
}

/// The snapshot at `path` with `change` made to its bytes and its checksum made right
/// again, so only the other checks can catch what changed.
fn altered(path: &Path, change: impl Fn(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(path).unwrap();
    change(&mut bytes);
    let checksum = summed(&bytes);
    bytes[CHECKSUM..CHECKSUM + 8].copy_from_slice(&checksum.to_le_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_snapshot_that_does_not_check_out_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = crate::calendar::BUNDLED;
    let fresh = || written(dir.path(), bytes, "bundled").1;
    // Cut short, anywhere.
    let path = fresh();
    let whole = std::fs::read(&path).unwrap();
    for len in [
        0,
        8,
        HEADER - 1,
        HEADER,
        HEADER + 100,
        whole.len() / 2,
        whole.len() - 1,
    ] {
        std::fs::write(&path, &whole[..len]).unwrap();
        assert!(read(&path, "bundled").is_none(), "{len}");
    }
    // One byte changed, in the header, the document or the text: the checksum.
    for at in [20, 50, HEADER + 10, whole.len() / 2, whole.len() - 1] {
        let mut bytes = whole.clone();
        bytes[at] ^= 0x20;
        std::fs::write(&path, bytes).unwrap();
        assert!(read(&path, "bundled").is_none(), "{at}");
    }
    // Another format of file.
    let path = fresh();
    altered(&path, |b| b[8] = b[8].wrapping_add(1));
    assert!(open(&path).is_none());
    // Another source's stamp: the caller compares it.
    let path = fresh();
    altered(&path, |b| b[40] ^= 1);
    assert_ne!(open(&path).unwrap().stamp, Stamp::of(bytes, (1, 2)));
    // Another hallway's snapshot, its checksum right.
    let path = fresh();
    altered(&path, |b| {
        let at = memchr::memmem::find(&b[HEADER..], VERSION.as_bytes()).unwrap() + HEADER;
        b[at] = b'9';
    });
    assert!(read(&path, "bundled").is_none());
    // A document that does not validate, its checksum right.
    let path = fresh();
    altered(&path, |b| b[HEADER + 3] = 0xFF);
    assert!(read(&path, "bundled").is_none());
    // Text that is not UTF-8, its checksum right.
    let path = fresh();
    altered(&path, |b| {
        let last = b.len() - 1;
        b[last] = 0xFF;
    });
    assert!(read(&path, "bundled").is_none());
    // The snapshot of another source (or another --tz) under this one's name.
    let path = fresh();
    assert!(read(&path, "other.ics").is_none());
    let other_zone = LoadOptions::new(
        "bundled",
        Some(chrono_tz::Asia::Tokyo),
        chrono_tz::Europe::Berlin,
    );
    assert!(
        open(&path)
            .unwrap()
            .calendar(&other_zone, || true)
            .is_none()
    );
    // What runs beside it says no (the source's digest differs).
    assert!(
        open(&path)
            .unwrap()
            .calendar(&options("bundled"), || false)
            .is_none()
    );
    assert!(read(&path, "bundled").is_some());
}

#[test]
fn a_snapshot_written_to_a_file_is_the_one_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let calendar = Calendar::parse(crate::calendar::BUNDLED, &options("bundled")).unwrap();
    let stamp = Stamp::of(crate::calendar::BUNDLED, (3, 4));
    let path = dir.path().join("x.snapshot");
    write(&path, &calendar, stamp, &options("bundled")).unwrap();
    let encoded = encode(&calendar, stamp, &options("bundled")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), encoded);
    assert_same(&calendar, &read(&path, "bundled").unwrap());
    // Only the snapshot is left in the directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn each_source_and_zone_has_its_own_file() {
    let dir = Path::new("/cache");
    let a = path(dir, &options("a.ics"));
    assert_ne!(a, path(dir, &options("b.ics")));
    let tokyo = LoadOptions::new("a.ics", Some(chrono_tz::Asia::Tokyo), chrono_tz::UTC);
    assert_ne!(
        path(dir, &tokyo),
        path(dir, &LoadOptions::new("a.ics", None, chrono_tz::UTC))
    );
    assert_eq!(a, path(dir, &options("a.ics")));
}

#[test]
fn a_large_snapshot_is_checked_on_another_core_as_well() {
    use std::fmt::Write as _;
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for i in 0..4000 {
        let _ = write!(
            ics,
            "BEGIN:VEVENT\r\nUID:{i}\r\nSUMMARY:Talk {i}\r\nLOCATION:Room {}\r\n\
             DTSTART:20260407T{:02}0000Z\r\nDTEND:20260407T{:02}3000Z\r\n\
             DESCRIPTION:{}\r\nEND:VEVENT\r\n",
            i % 40,
            8 + i % 10,
            8 + i % 10,
            "words ".repeat(50)
        );
    }
    ics.push_str("END:VCALENDAR\r\n");
    let dir = tempfile::tempdir().unwrap();
    let (calendar, path) = written(dir.path(), ics.as_bytes(), "large.ics");
    let whole = std::fs::read(&path).unwrap();
    assert!(
        whole.len() as u64 > super::read::ON_ANOTHER_CORE,
        "{}",
        whole.len()
    );
    assert_same(&calendar, &read(&path, "large.ics").unwrap());
    let mapped = || open(&path).unwrap();
    assert!(mapped().calendar(&options("large.ics"), || false).is_none());
    let mut bytes = whole.clone();
    bytes[whole.len() / 2] ^= 0x20;
    std::fs::write(&path, bytes).unwrap();
    assert!(read(&path, "large.ics").is_none());
}
