//! Session ids are unique by construction: UIDs `dup`, `dup` and `dup#2` give three
//! sessions with three ids; starring one marks one; the iCalendar export repeats no UID.

mod common;

use common::{hallway, output};

const DUPLICATES: &str = "BEGIN:VCALENDAR
X-WR-CALNAME:dupcon
BEGIN:VEVENT
UID:dup
SUMMARY:First dup
DTSTART:20260407T090000Z
DURATION:PT30M
END:VEVENT
BEGIN:VEVENT
UID:dup
SUMMARY:Second dup
DTSTART:20260407T100000Z
DURATION:PT30M
END:VEVENT
BEGIN:VEVENT
UID:dup#2
SUMMARY:Real dup#2
DTSTART:20260407T110000Z
DURATION:PT30M
END:VEVENT
END:VCALENDAR
";

#[test]
fn repeated_and_lookalike_uids_give_distinct_ids_and_distinct_exported_uids() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.ics");
    std::fs::write(&file, DUPLICATES).unwrap();
    let cal = file.to_str().unwrap();

    let (code, out, err) = output(hallway(dir.path()).args(["-c", cal, "search", "dup"]));
    assert_eq!(code, 0, "{err}");
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!((ids.len(), distinct.len()), (3, 3), "{out}");

    // Starring the real `dup#2` stars that session only.
    let (code, _, err) = output(hallway(dir.path()).args(["-c", cal, "star", "dup#2"]));
    assert_eq!(code, 0, "{err}");
    let (_, agenda, _) = output(hallway(dir.path()).args(["-c", cal, "print"]));
    assert!(agenda.contains("Real dup#2"), "{agenda}");
    assert!(
        !agenda.contains("First dup") && !agenda.contains("Second dup"),
        "{agenda}"
    );

    // All three starred and exported: three events, three UIDs. The two sessions sharing
    // UID `dup` are named by their start and title (`dup#1a2b3c4d`, issue 11's D5).
    let shared: Vec<&str> = ids.iter().copied().filter(|id| *id != "dup#2").collect();
    assert!(
        shared.len() == 2
            && shared
                .iter()
                .all(|id| id.starts_with("dup#") && id.len() == 12),
        "{shared:?}"
    );
    let (code, _, err) = output(hallway(dir.path()).args(["-c", cal, "star"]).args(&shared));
    assert_eq!(code, 0, "{err}");
    let (code, ics, err) =
        output(hallway(dir.path()).args(["-c", cal, "print", "--format", "ics"]));
    assert_eq!(code, 0, "{err}");
    let mut uids: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.trim_end().strip_prefix("UID:"))
        .collect();
    assert_eq!(uids.len(), 3, "{ics}");
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), 3, "{ics}");
}
