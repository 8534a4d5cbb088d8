//! `starred.json`: the user's stars, in a plain JSON file a person can read, diff and sync.
//!
//! Durable: every save replaces the file atomically ([`crate::atomic`]). Concurrent: a save
//! takes an advisory lock, re-reads the file, and applies only this process's own star and
//! unstar operations, so nothing another hallway wrote in the meantime is lost. A file that
//! cannot be read (corrupt, from a newer hallway, no permission) is never overwritten.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Session;

/// The store's file name inside the data directory.
pub const FILE_NAME: &str = "starred.json";
/// The format version this hallway writes and reads.
pub const VERSION: u64 = 1;

/// The whole file. Maps are ordered, so the file diffs well.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreData {
    pub version: u64,
    pub calendars: BTreeMap<String, CalendarStars>,
}

/// The stars of one calendar, under its calendar key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarStars {
    pub name: String,
    pub starred: BTreeMap<String, Star>,
}

/// One starred session, with a snapshot of it as it was when starred (or last acknowledged),
/// so a later version of the schedule can be compared with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Star {
    pub starred_at: String,
    pub title: String,
    /// RFC 3339, UTC.
    pub start: String,
    pub end: String,
    pub room: String,
    /// Lets a session re-published under a new UID be recognised by title and speakers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers: Option<String>,
    /// The session was cancelled (or left the schedule) when last acknowledged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// The star moved here from this id, when the session was re-published under a new
    /// UID; kept until acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republished_from: Option<String>,
}

impl Star {
    /// A star on `session` made at `now`.
    pub fn of(session: &Session, now: DateTime<Utc>) -> Self {
        Self {
            starred_at: rfc3339(now),
            title: session.title.clone(),
            start: rfc3339(session.start),
            end: rfc3339(session.end),
            room: session.room.clone(),
            speakers: session.speakers.clone(),
            cancelled: session.cancelled,
            republished_from: None,
        }
    }

    /// The snapshot's start and end as instants, when readable.
    pub fn times(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc());
        Some((parse(&self.start)?, parse(&self.end)?))
    }
}

/// `2026-04-07T09:00:00Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A change this process made and has not yet written.
#[derive(Debug, Clone)]
enum Op {
    Star {
        key: String,
        name: String,
        id: String,
        star: Star,
    },
    Unstar {
        key: String,
        id: String,
    },
    /// Acknowledge a change: the snapshot becomes the session as it is now.
    Resnapshot {
        key: String,
        id: String,
        star: Star,
    },
    /// Acknowledge that a session left the schedule: the star stays, marked so.
    AcknowledgeGone {
        key: String,
        id: String,
    },
    /// A session that was re-published under a new id: the star moves to it.
    Rename {
        key: String,
        from: String,
        to: String,
    },
}

impl StoreData {
    fn apply(&mut self, op: &Op) {
        match op {
            Op::Star {
                key,
                name,
                id,
                star,
            } => {
                let cal = self.calendars.entry(key.clone()).or_default();
                cal.name.clone_from(name);
                cal.starred
                    .entry(id.clone())
                    .or_insert_with(|| star.clone());
            }
            Op::Unstar { key, id } => {
                if let Some(cal) = self.calendars.get_mut(key) {
                    cal.starred.remove(id);
                    if cal.starred.is_empty() {
                        self.calendars.remove(key);
                    }
                }
            }
            Op::Resnapshot { key, id, star } => {
                if let Some(existing) = self
                    .calendars
                    .get_mut(key)
                    .and_then(|c| c.starred.get_mut(id))
                {
                    let starred_at = std::mem::take(&mut existing.starred_at);
                    *existing = Star {
                        starred_at,
                        ..star.clone()
                    };
                }
            }
            Op::AcknowledgeGone { key, id } => {
                if let Some(star) = self
                    .calendars
                    .get_mut(key)
                    .and_then(|c| c.starred.get_mut(id))
                {
                    star.cancelled = true;
                }
            }
            Op::Rename { key, from, to } => {
                if let Some(cal) = self.calendars.get_mut(key)
                    && let Some(mut star) = cal.starred.remove(from)
                {
                    star.republished_from.get_or_insert_with(|| from.clone());
                    cal.starred.entry(to.clone()).or_insert(star);
                }
            }
        }
    }
}

/// Why the store cannot be used. Each message names the file and how to recover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: not a valid star file ({detail}); hallway will not overwrite it: repair it, or move it aside (mv {path} {path}.bad) to start afresh"
    )]
    Corrupt { path: String, detail: String },
    #[error(
        "{path}: written by a newer hallway (format version {found}, this one reads {VERSION}); upgrade hallway, or move the file aside to start afresh"
    )]
    FutureVersion { path: String, found: u64 },
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
}

/// What identifies a version of the file on disk, to notice another process's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        #[cfg(unix)]
        inode: std::os::unix::fs::MetadataExt::ino(&meta),
    })
}

/// The star file of one data directory, as last read, plus this process's unsaved changes.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    path: PathBuf,
    data: StoreData,
    pending: Vec<Op>,
    seen: Option<Stamp>,
}

/// What a save found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    /// Another process had changed the file since this one last read it; its changes were
    /// kept and this process's applied on top.
    pub merged_other_writer: bool,
}

impl Store {
    /// Opens the store in `dir`. A missing file (or directory) is an empty store.
    ///
    /// # Errors
    /// A file that exists but cannot be read or understood.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(FILE_NAME);
        let seen = stamp(&path);
        let data = read(&path)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            path,
            data,
            pending: Vec::new(),
            seen,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn data(&self) -> &StoreData {
        &self.data
    }

    /// The stars of the calendar with this key.
    pub fn stars(&self, key: &str) -> Option<&BTreeMap<String, Star>> {
        self.data.calendars.get(key).map(|c| &c.starred)
    }

    pub fn is_starred(&self, key: &str, id: &str) -> bool {
        self.stars(key).is_some_and(|s| s.contains_key(id))
    }

    /// Whether there are changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        !self.pending.is_empty()
    }

    fn record(&mut self, op: Op) {
        self.data.apply(&op);
        self.pending.push(op);
    }

    /// Stars `session` of the calendar `key` (named `name`). Takes effect in memory at once;
    /// [`Store::save`] writes it.
    pub fn star(&mut self, key: &str, name: &str, session: &Session, now: DateTime<Utc>) {
        self.record(Op::Star {
            key: key.to_owned(),
            name: name.to_owned(),
            id: session.id.clone(),
            star: Star::of(session, now),
        });
    }

    pub fn unstar(&mut self, key: &str, id: &str) {
        self.record(Op::Unstar {
            key: key.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Acknowledges that the starred session `id` left the schedule.
    pub fn acknowledge_gone(&mut self, key: &str, id: &str) {
        self.record(Op::AcknowledgeGone {
            key: key.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Makes a starred session's snapshot what the session is now (acknowledging a change).
    pub fn resnapshot(&mut self, key: &str, session: &Session) {
        self.record(Op::Resnapshot {
            key: key.to_owned(),
            id: session.id.clone(),
            star: Star::of(session, DateTime::UNIX_EPOCH),
        });
    }

    /// Moves a star from a session's old id to its new one.
    pub fn rename(&mut self, key: &str, from: &str, to: &str) {
        self.record(Op::Rename {
            key: key.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
        });
    }

    /// Writes this process's changes: under the lock, re-reads the file, applies them on top of
    /// whatever is there now, and replaces the file atomically.
    ///
    /// # Errors
    /// The file cannot be read or understood (it is then left as it is), or cannot be written.
    /// The changes stay pending, so a later save can retry them.
    pub fn save(&mut self) -> Result<Saved, StoreError> {
        if self.pending.is_empty() {
            return Ok(Saved::default());
        }
        let io = |e: std::io::Error, path: &Path| StoreError::Io {
            path: path.display().to_string(),
            reason: crate::calendar::source::io_reason(&e),
        };
        fs::create_dir_all(&self.dir).map_err(|e| io(e, &self.dir))?;
        let lock_path = self.dir.join(format!("{FILE_NAME}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(e, &lock_path))?;
        lock.lock().map_err(|e| io(e, &lock_path))?;

        self.remove_stale_temporaries();
        // Under the lock nobody else writes: if the file is as this process last saw it, what
        // is in memory is the file plus the pending changes already.
        let merged_other_writer = stamp(&self.path) != self.seen;
        let mut fresh = if merged_other_writer {
            let mut fresh = read(&self.path)?;
            for op in &self.pending {
                fresh.apply(op);
            }
            fresh
        } else {
            std::mem::take(&mut self.data)
        };
        fresh.version = VERSION;
        let written = serde_json::to_string_pretty(&fresh)
            .map_err(|e| StoreError::Io {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            })
            .and_then(|mut json| {
                json.push('\n');
                crate::atomic::write(&self.path, json.as_bytes()).map_err(|e| io(e, &self.path))
            });
        // Failed or not, memory keeps the file's content plus the pending changes.
        self.data = fresh;
        written?;
        self.seen = stamp(&self.path);
        drop(lock);
        self.pending.clear();
        Ok(Saved {
            merged_other_writer,
        })
    }

    /// Removes temporary files a writer killed mid-save left behind. Only called under the
    /// lock, when no other writer can be half-way through.
    fn remove_stale_temporaries(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!(".{FILE_NAME}.");
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Re-reads the file if another process changed it since this one last read or wrote it,
    /// keeping any unsaved changes of this process on top. Returns whether it changed.
    ///
    /// # Errors
    /// The file is now unreadable or corrupt.
    pub fn reload_if_changed(&mut self) -> Result<bool, StoreError> {
        let now = stamp(&self.path);
        if now == self.seen {
            return Ok(false);
        }
        let mut fresh = read(&self.path)?;
        for op in &self.pending {
            fresh.apply(op);
        }
        self.seen = now;
        let changed = fresh != self.data;
        self.data = fresh;
        Ok(changed)
    }
}

/// Reads and checks the file; missing is empty.
fn read(path: &Path) -> Result<StoreData, StoreError> {
    let shown = || path.display().to_string();
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(StoreData {
                version: VERSION,
                ..StoreData::default()
            });
        }
        Err(e) => {
            return Err(StoreError::Io {
                path: shown(),
                reason: crate::calendar::source::io_reason(&e),
            });
        }
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        path: shown(),
        detail,
    };
    let future = |found: u64| StoreError::FutureVersion {
        path: shown(),
        found,
    };
    match serde_json::from_slice::<StoreData>(&bytes) {
        Ok(data) if data.version > VERSION => Err(future(data.version)),
        Ok(data) => Ok(data),
        Err(e) => {
            // A newer format may not read as this one: then say so, rather than "corrupt".
            #[derive(Deserialize)]
            struct Version {
                version: Option<serde_json::Value>,
            }
            let version = serde_json::from_slice::<Version>(&bytes)
                .ok()
                .and_then(|v| v.version)
                .and_then(|v| v.as_u64());
            match version {
                Some(found) if found > VERSION => Err(future(found)),
                _ => Err(corrupt(e.to_string())),
            }
        }
    }
}

/// Opens the lock file only to hold it; exposed for tests that simulate another writer.
#[doc(hidden)]
pub fn hold_lock(dir: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{FILE_NAME}.lock")))?;
    file.lock()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    use crate::calendar::Calendar;

    fn calendar() -> Calendar {
        Calendar::bundled(None, Tz::UTC)
    }

    fn now() -> DateTime<Utc> {
        "2026-04-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn round_trip_with_stable_pretty_json() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[40], now());
        store.star(&cal.key, &cal.name, &cal.sessions[2], now());
        store.save().unwrap();
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.data(), store.data());
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"calendars\": {\n    \"pytorchconferenceeu2026\": {\n      \"name\": \"PyTorch Conference Europe 2026\",\n      \"starred\": {\n"), "{text}");
        let star = &again.stars(&cal.key).unwrap()[&cal.sessions[2].id];
        assert_eq!(star.starred_at, "2026-04-01T10:00:00Z");
        assert_eq!(star.start, rfc3339(cal.sessions[2].start));
        assert_eq!(star.room, cal.sessions[2].room);
        // Keys are sorted: saving again in another order writes the same bytes.
        let mut other = Store::open(dir.path()).unwrap();
        other.unstar(&cal.key, &cal.sessions[40].id);
        other.star(&cal.key, &cal.name, &cal.sessions[40], now());
        other.save().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(FILE_NAME)).unwrap(),
            text
        );
    }

    #[test]
    fn missing_directory_is_an_empty_store_created_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        let cal = calendar();
        let mut store = Store::open(&nested).unwrap();
        assert!(store.data().calendars.is_empty());
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        store.save().unwrap();
        assert!(nested.join(FILE_NAME).exists());
    }

    #[test]
    fn corrupt_file_is_reported_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        for bad in [
            "{\"version\": 1, \"calendars\": {",
            "[]",
            "{\"calendars\": {}}",
            "{\"version\": 1, \"calendars\": 3}",
        ] {
            fs::write(&path, bad).unwrap();
            let err = Store::open(dir.path()).unwrap_err();
            assert!(matches!(err, StoreError::Corrupt { .. }), "{bad}: {err}");
            assert!(err.to_string().contains("will not overwrite"), "{err}");
            assert_eq!(fs::read_to_string(&path).unwrap(), bad);
        }
    }

    #[test]
    fn a_file_corrupted_after_opening_is_not_overwritten_by_save() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        fs::write(dir.path().join(FILE_NAME), "garbage").unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        assert!(matches!(store.save(), Err(StoreError::Corrupt { .. })));
        assert_eq!(
            fs::read_to_string(dir.path().join(FILE_NAME)).unwrap(),
            "garbage"
        );
        assert!(store.is_dirty(), "the star waits for a later save");
    }

    #[test]
    fn future_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(FILE_NAME),
            "{\"version\": 2, \"calendars\": {}}",
        )
        .unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        assert_eq!(
            err,
            StoreError::FutureVersion {
                path: dir.path().join(FILE_NAME).display().to_string(),
                found: 2
            }
        );
    }

    #[cfg(unix)]
    #[test]
    fn no_permission_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, "{\"version\": 1, \"calendars\": {}}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&path).is_ok() {
            return; // running as root: permissions do not apply
        }
        let err = Store::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{err}");
    }

    #[test]
    fn stars_on_unknown_ids_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let json = format!(
            "{{\"version\": 1, \"calendars\": {{\"{}\": {{\"name\": \"x\", \"starred\": {{\"gone-id\": {{\"starred_at\": \"2026-01-01T00:00:00Z\", \"title\": \"Old\", \"start\": \"2026-04-07T07:00:00Z\", \"end\": \"2026-04-07T07:30:00Z\", \"room\": \"R\"}}}}}}}}}}",
            cal.key
        );
        fs::write(dir.path().join(FILE_NAME), json).unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        store.save().unwrap();
        let stars = Store::open(dir.path()).unwrap();
        let stars = stars.stars(&cal.key).unwrap();
        assert!(stars.contains_key("gone-id"));
        assert!(stars.contains_key(&cal.sessions[0].id));
    }

    #[test]
    fn another_writers_changes_survive_our_save() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut ours = Store::open(dir.path()).unwrap();
        let mut theirs = Store::open(dir.path()).unwrap();
        theirs.star(&cal.key, &cal.name, &cal.sessions[5], now());
        theirs.save().unwrap();
        ours.star(&cal.key, &cal.name, &cal.sessions[6], now());
        let saved = ours.save().unwrap();
        assert!(saved.merged_other_writer);
        let stars = Store::open(dir.path()).unwrap();
        assert_eq!(stars.stars(&cal.key).unwrap().len(), 2);
        // And an unstar by them is not undone by our next save.
        theirs.unstar(&cal.key, &cal.sessions[5].id);
        theirs.save().unwrap();
        ours.star(&cal.key, &cal.name, &cal.sessions[7], now());
        ours.save().unwrap();
        let ids: Vec<String> = Store::open(dir.path())
            .unwrap()
            .stars(&cal.key)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut expected = vec![cal.sessions[6].id.clone(), cal.sessions[7].id.clone()];
        expected.sort();
        assert_eq!(ids, expected);
    }

    #[test]
    fn reload_sees_another_writers_changes() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut ours = Store::open(dir.path()).unwrap();
        assert!(!ours.reload_if_changed().unwrap());
        let mut theirs = Store::open(dir.path()).unwrap();
        theirs.star(&cal.key, &cal.name, &cal.sessions[5], now());
        theirs.save().unwrap();
        assert!(ours.reload_if_changed().unwrap());
        assert!(ours.is_starred(&cal.key, &cal.sessions[5].id));
        assert!(!ours.reload_if_changed().unwrap());
    }

    #[test]
    fn resnapshot_and_rename() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        let mut moved = cal.sessions[3].clone();
        store.star(&cal.key, &cal.name, &moved, now());
        moved.room = "Elsewhere".into();
        store.resnapshot(&cal.key, &moved);
        let star = &store.stars(&cal.key).unwrap()[&moved.id];
        assert_eq!(star.room, "Elsewhere");
        assert_eq!(star.starred_at, "2026-04-01T10:00:00Z");
        store.rename(&cal.key, &moved.id, "new-id");
        assert!(store.is_starred(&cal.key, "new-id"));
        assert!(!store.is_starred(&cal.key, &moved.id));
    }
}
