//! `starred.json`: the user's stars, the sessions they hid and their filter, per calendar, in
//! a plain JSON file a person can read, diff and sync.
//!
//! Durable: every save replaces the file atomically ([`crate::atomic`]); when the file is a
//! symbolic link (a synced dotfile), the file it points to is replaced and the link kept.
//! Concurrent: a save takes an advisory lock (a `.lock` file beside the real file, never
//! followed if it is a link), re-reads the file, and applies only this process's own
//! operations, so nothing another hallway wrote in the meantime is lost. Waits for the lock
//! are bounded ([`Store::save`], [`Store::try_save`]). A file that cannot be read (corrupt,
//! from a newer hallway, no permission) is never overwritten.
//!
//! Versions: a file with hidden sessions or a filter is written as version 2, any other as
//! version 1. Hallway before version 2 ignores fields it does not know when reading, and so
//! would drop them when it next saved: it must refuse such a file instead, which it does for
//! any version above its own. Files that only hold stars stay readable and writable by it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::filter::Filter;
use crate::calendar::Session;

/// The store's file name inside the data directory.
pub const FILE_NAME: &str = "starred.json";
/// The newest format version this hallway reads (and writes, when the content needs it).
pub const VERSION: u64 = 2;
/// The version of a file that holds only stars: what hallway before hidden sessions and
/// filters reads and writes.
pub const STARS_ONLY_VERSION: u64 = 1;
/// How long [`Store::save`] waits for another process's save to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// The whole file. Maps are ordered, so the file diffs well.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreData {
    pub version: u64,
    pub calendars: BTreeMap<String, CalendarStars>,
}

/// What is kept for one calendar, under its calendar key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarStars {
    pub name: String,
    /// Always written, even empty: hallway before version 2 requires it.
    pub starred: BTreeMap<String, Star>,
    /// Ids of the sessions the user hid (`x` in the TUI).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub hidden: BTreeSet<String>,
    /// The filter last set in the TUI.
    #[serde(default, skip_serializing_if = "Filter::is_empty")]
    pub filter: Filter,
}

impl CalendarStars {
    /// Holds nothing worth keeping.
    fn is_empty(&self) -> bool {
        self.starred.is_empty() && self.hidden.is_empty() && self.filter.is_empty()
    }

    /// Holds what only version 2 carries.
    fn needs_v2(&self) -> bool {
        !self.hidden.is_empty() || !self.filter.is_empty()
    }
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
            title: snapshot(&session.title).into_owned(),
            start: rfc3339(session.start),
            end: rfc3339(session.end),
            room: snapshot(&session.room).into_owned(),
            speakers: session
                .speakers
                .as_deref()
                .map(|s| snapshot(s).into_owned()),
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

/// Most bytes of a text a star keeps (a hostile calendar's 50 MB title is cut, so the star
/// file stays small and quick).
pub const SNAPSHOT_BYTES: usize = 1024;

/// `text` as a star keeps it: whole when short, else its first [`SNAPSHOT_BYTES`] (at a
/// character boundary) and `…`. Comparisons with the schedule go through this too.
pub fn snapshot(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= SNAPSHOT_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = SNAPSHOT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}…", &text[..end]))
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
    Hide {
        key: String,
        name: String,
        id: String,
    },
    Unhide {
        key: String,
        id: String,
    },
    UnhideAll {
        key: String,
    },
    /// The whole filter is replaced: the last one set wins.
    SetFilter {
        key: String,
        name: String,
        filter: Filter,
    },
}

impl StoreData {
    /// The entry of calendar `key`, made (named `name`) if there is none.
    fn entry(&mut self, key: &str, name: &str) -> &mut CalendarStars {
        let cal = self.calendars.entry(key.to_owned()).or_default();
        name.clone_into(&mut cal.name);
        cal
    }

    /// Drops the entry of calendar `key` if nothing is left in it.
    fn prune(&mut self, key: &str) {
        if self.calendars.get(key).is_some_and(CalendarStars::is_empty) {
            self.calendars.remove(key);
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Star {
                key,
                name,
                id,
                star,
            } => {
                self.entry(key, name)
                    .starred
                    .entry(id.clone())
                    .or_insert_with(|| star.clone());
            }
            Op::Unstar { key, id } => {
                if let Some(cal) = self.calendars.get_mut(key) {
                    cal.starred.remove(id);
                }
                self.prune(key);
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
                    if star.republished_from.as_ref() == Some(to) {
                        // Back under the id it had: nothing left to report ("X → X").
                        star.republished_from = None;
                    } else {
                        star.republished_from.get_or_insert_with(|| from.clone());
                    }
                    cal.starred.entry(to.clone()).or_insert(star);
                }
            }
            Op::Hide { key, name, id } => {
                self.entry(key, name).hidden.insert(id.clone());
            }
            Op::Unhide { key, id } => {
                if let Some(cal) = self.calendars.get_mut(key) {
                    cal.hidden.remove(id);
                }
                self.prune(key);
            }
            Op::UnhideAll { key } => {
                if let Some(cal) = self.calendars.get_mut(key) {
                    cal.hidden.clear();
                }
                self.prune(key);
            }
            Op::SetFilter { key, name, filter } => {
                if filter.is_empty() {
                    if let Some(cal) = self.calendars.get_mut(key) {
                        cal.filter = Filter::default();
                    }
                    self.prune(key);
                } else {
                    self.entry(key, name).filter = filter.clone();
                }
            }
        }
    }

    /// The lowest version that holds this content without loss.
    fn version_needed(&self) -> u64 {
        if self.calendars.values().any(CalendarStars::needs_v2) {
            VERSION
        } else {
            STARS_ONLY_VERSION
        }
    }
}

/// Why the store cannot be used. Each message is one line naming the file, and how to recover.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{}: not a valid star file ({detail}); hallway will not overwrite it: repair it, or move it aside (mv {} {}.bad) to start afresh",
        path.display(), path.display(), path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{}: written by a newer hallway (format version {version}, this one reads {VERSION}); upgrade hallway, or move the file aside to start afresh",
        path.display()
    )]
    Newer { path: PathBuf, version: u64 },
    #[error("{}: {}", path.display(), crate::calendar::source::io_reason(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Another process holds the lock (it is saving, or stuck).
    #[error(
        "{}: another hallway is still saving (it holds this lock); nothing was saved, try again",
        lock.display()
    )]
    Busy { lock: PathBuf },
    #[error(
        "{}: a symbolic link where the lock file should be; hallway will not follow it: remove it",
        lock.display()
    )]
    LockIsLink { lock: PathBuf },
}

impl StoreError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
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
/// `Send`: a UI can save it from a worker thread.
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

static EMPTY_SET: BTreeSet<String> = BTreeSet::new();

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

    /// The lock file a save takes: beside the file the star file is, or links to.
    pub fn lock_path(&self) -> PathBuf {
        lock_path_for(&self.path)
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

    /// Ids of the sessions the user hid in the calendar with this key.
    pub fn hidden(&self, key: &str) -> &BTreeSet<String> {
        self.data
            .calendars
            .get(key)
            .map_or(&EMPTY_SET, |c| &c.hidden)
    }

    /// The filter last set for the calendar with this key (empty if none).
    pub fn filter(&self, key: &str) -> Filter {
        self.data
            .calendars
            .get(key)
            .map(|c| c.filter.clone())
            .unwrap_or_default()
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
            id: session.id.to_string(),
            star: Star::of(session, now),
        });
    }

    pub fn unstar(&mut self, key: &str, id: &str) {
        self.record(Op::Unstar {
            key: key.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Hides session `id` of the calendar `key` (named `name`).
    pub fn hide(&mut self, key: &str, name: &str, id: &str) {
        self.record(Op::Hide {
            key: key.to_owned(),
            name: name.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Shows session `id` again.
    pub fn unhide(&mut self, key: &str, id: &str) {
        self.record(Op::Unhide {
            key: key.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Shows every hidden session of calendar `key` again.
    pub fn unhide_all(&mut self, key: &str) {
        self.record(Op::UnhideAll {
            key: key.to_owned(),
        });
    }

    /// Remembers `filter` for calendar `key` (named `name`); an empty one forgets it.
    pub fn set_filter(&mut self, key: &str, name: &str, filter: &Filter) {
        if self
            .data
            .calendars
            .get(key)
            .map_or(Filter::is_empty(filter), |c| c.filter == *filter)
        {
            return;
        }
        self.record(Op::SetFilter {
            key: key.to_owned(),
            name: name.to_owned(),
            filter: filter.clone(),
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
            id: session.id.to_string(),
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

    /// Writes this process's changes, waiting up to [`LOCK_WAIT`] for another process's save
    /// to finish: under the lock, re-reads the file, applies them on top of whatever is
    /// there now, and replaces the file atomically.
    ///
    /// # Errors
    /// The file cannot be read or understood (it is then left as it is), or cannot be
    /// written, or the lock stayed held ([`StoreError::Busy`]). The changes stay pending,
    /// so a later save can retry them.
    pub fn save(&mut self) -> Result<Saved, StoreError> {
        self.save_waiting(LOCK_WAIT, || {})
    }

    /// [`Store::save`] that never waits: [`StoreError::Busy`] at once if another process
    /// holds the lock, the changes kept pending for a later try. For a UI's event loop.
    ///
    /// # Errors
    /// As [`Store::save`].
    pub fn try_save(&mut self) -> Result<Saved, StoreError> {
        self.save_waiting(Duration::ZERO, || {})
    }

    /// [`Store::save`], waiting up to `wait` for the lock; `on_wait` is called once if it
    /// has to wait at all (to say so).
    ///
    /// # Errors
    /// As [`Store::save`].
    pub fn save_waiting(
        &mut self,
        wait: Duration,
        on_wait: impl FnOnce(),
    ) -> Result<Saved, StoreError> {
        if self.pending.is_empty() {
            return Ok(Saved::default());
        }
        let target = crate::atomic::resolve(&self.path);
        let dir = target.parent().unwrap_or(&self.dir).to_path_buf();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let lock = lock(&lock_path_for(&self.path), wait, on_wait)?;

        remove_stale_temporaries(&target);
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
        fresh.version = fresh.version_needed();
        let written = serde_json::to_string_pretty(&fresh)
            .map_err(|e| StoreError::io(&self.path, std::io::Error::other(e)))
            .and_then(|mut json| {
                json.push('\n');
                crate::atomic::write(&self.path, json.as_bytes())
                    .map_err(|e| StoreError::io(&self.path, e))
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

/// The lock of the star file at `path`: `<name>.lock` beside the file it is, or links to.
fn lock_path_for(path: &Path) -> PathBuf {
    let target = crate::atomic::resolve(path);
    let name = target
        .file_name()
        .map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy());
    target.with_file_name(format!("{name}.lock"))
}

/// Opens `path` for locking, never following a symbolic link.
fn open_lock(path: &Path) -> Result<File, StoreError> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|e| {
        let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            StoreError::LockIsLink {
                lock: path.to_path_buf(),
            }
        } else {
            StoreError::io(path, e)
        }
    })
}

/// Takes the lock at `path`, waiting up to `wait` (calling `on_wait` once if it waits).
fn lock(path: &Path, wait: Duration, on_wait: impl FnOnce()) -> Result<File, StoreError> {
    let file = open_lock(path)?;
    let started = Instant::now();
    let mut on_wait = Some(on_wait);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
        }
        if started.elapsed() >= wait {
            return Err(StoreError::Busy {
                lock: path.to_path_buf(),
            });
        }
        if let Some(say) = on_wait.take() {
            say();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Removes temporary files a writer killed mid-save left beside `target`. Only called under
/// the lock, when no other writer can be half-way through.
fn remove_stale_temporaries(target: &Path) {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Some(name) = target.file_name() else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Reads and checks the file; missing is empty.
fn read(path: &Path) -> Result<StoreData, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(StoreData {
                version: STARS_ONLY_VERSION,
                ..StoreData::default()
            });
        }
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: crate::calendar::text::sanitize_line(&detail),
    };
    let newer = |version: u64| StoreError::Newer {
        path: path.to_path_buf(),
        version,
    };
    match serde_json::from_slice::<StoreData>(&bytes) {
        Ok(data) if data.version > VERSION => Err(newer(data.version)),
        Ok(mut data) => {
            clean(&mut data);
            Ok(data)
        }
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
                Some(found) if found > VERSION => Err(newer(found)),
                _ => Err(corrupt(e.to_string())),
            }
        }
    }
}

/// Cleans the text a person may have edited (or an attacker planted) before anything shows
/// it: no control character or escape sequence from the file reaches a terminal. Ids are
/// kept as they are (they must still name sessions) and cleaned where they are shown.
fn clean(data: &mut StoreData) {
    use crate::calendar::text::sanitize_line_owned as line;
    for cal in data.calendars.values_mut() {
        cal.name = line(std::mem::take(&mut cal.name));
        for star in cal.starred.values_mut() {
            for text in [
                &mut star.title,
                &mut star.room,
                &mut star.start,
                &mut star.end,
                &mut star.starred_at,
            ] {
                *text = line(std::mem::take(text));
            }
            for text in [&mut star.speakers, &mut star.republished_from]
                .into_iter()
                .flatten()
            {
                *text = line(std::mem::take(text));
            }
        }
    }
}

/// Opens the lock file of the store in `dir` only to hold it; exposed for tests that
/// simulate another writer.
#[doc(hidden)]
pub fn hold_lock(dir: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path_for(&dir.join(FILE_NAME)))?;
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
        let star = &again.stars(&cal.key).unwrap()[cal.sessions[2].id.as_str()];
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
            "{\"version\": 3, \"calendars\": {}}",
        )
        .unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        assert!(
            matches!(&err, StoreError::Newer { path, version: 3 } if *path == dir.path().join(FILE_NAME)),
            "{err}"
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
        assert!(stars.contains_key(cal.sessions[0].id.as_str()));
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
        let star = &store.stars(&cal.key).unwrap()[moved.id.as_str()];
        assert_eq!(star.room, "Elsewhere");
        assert_eq!(star.starred_at, "2026-04-01T10:00:00Z");
        store.rename(&cal.key, &moved.id, "new-id");
        assert!(store.is_starred(&cal.key, "new-id"));
        assert!(!store.is_starred(&cal.key, &moved.id));
        let marked =
            |store: &Store, id: &str| store.stars(&cal.key).unwrap()[id].republished_from.clone();
        assert_eq!(marked(&store, "new-id").as_deref(), Some(moved.id.as_str()));
        // Moved on again: still reported from where it first was.
        store.rename(&cal.key, "new-id", "newer-id");
        assert_eq!(
            marked(&store, "newer-id").as_deref(),
            Some(moved.id.as_str())
        );
        // Back under its first id (another saved copy of the conference has the old one):
        // nothing to report, never "X → X".
        store.rename(&cal.key, "newer-id", &moved.id);
        assert_eq!(marked(&store, &moved.id), None);
    }

    #[test]
    fn hidden_sessions_and_the_filter_round_trip_as_version_2() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        store.hide(&cal.key, &cal.name, &cal.sessions[1].id);
        store.hide(&cal.key, &cal.name, &cal.sessions[2].id);
        let mut filter = Filter::default();
        filter.tracks.insert("Frameworks & Compilers".into());
        filter.types.insert("break".into());
        store.set_filter(&cal.key, &cal.name, &filter);
        store.save().unwrap();
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(text.starts_with("{\n  \"version\": 2,"), "{text}");
        assert!(
            text.contains("\"starred\": {}"),
            "old readers need the field: {text}"
        );
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.hidden(&cal.key).len(), 2);
        assert_eq!(again.filter(&cal.key), filter);
        assert!(again.hidden("another-calendar").is_empty());
        // Showing everything again makes it a stars-only file: version 1, as before.
        let mut store = again;
        store.unhide(&cal.key, &cal.sessions[1].id);
        store.unhide_all(&cal.key);
        store.set_filter(&cal.key, &cal.name, &Filter::default());
        store.save().unwrap();
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(text, "{\n  \"version\": 1,\n  \"calendars\": {}\n}\n");
    }

    /// The file as hallway before version 2 declared it: unknown fields are ignored, so it
    /// reads a version 2 file but would drop the new fields when writing it back. That is
    /// why a file with them says version 2, which that hallway refuses.
    #[test]
    fn an_older_hallway_would_drop_the_new_fields_so_they_come_with_version_2() {
        #[derive(Serialize, Deserialize)]
        struct OldData {
            version: u64,
            calendars: BTreeMap<String, OldCalendar>,
        }
        #[derive(Serialize, Deserialize)]
        struct OldCalendar {
            name: String,
            starred: BTreeMap<String, Star>,
        }
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        store.save().unwrap();
        let v1 = fs::read(dir.path().join(FILE_NAME)).unwrap();
        let old: OldData = serde_json::from_slice(&v1).unwrap();
        assert_eq!(
            old.version, 1,
            "stars only: the old hallway reads and writes it"
        );
        store.hide(&cal.key, &cal.name, &cal.sessions[3].id);
        store.save().unwrap();
        let v2 = fs::read(dir.path().join(FILE_NAME)).unwrap();
        let old: OldData = serde_json::from_slice(&v2).unwrap();
        assert_eq!(old.version, 2);
        let rewritten = serde_json::to_string(&old).unwrap();
        assert!(
            !rewritten.contains("hidden"),
            "what an old writer would lose"
        );
    }

    #[test]
    fn hides_of_two_processes_merge_and_the_last_filter_wins() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut ours = Store::open(dir.path()).unwrap();
        let mut theirs = Store::open(dir.path()).unwrap();
        let mut a = Filter::default();
        a.rooms.insert("Master Stage".into());
        let mut b = Filter::default();
        b.rooms.insert("Junior Stage".into());
        theirs.hide(&cal.key, &cal.name, &cal.sessions[4].id);
        theirs.set_filter(&cal.key, &cal.name, &a);
        theirs.save().unwrap();
        ours.hide(&cal.key, &cal.name, &cal.sessions[5].id);
        ours.set_filter(&cal.key, &cal.name, &b);
        ours.star(&cal.key, &cal.name, &cal.sessions[6], now());
        assert!(ours.save().unwrap().merged_other_writer);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.hidden(&cal.key).len(), 2);
        assert_eq!(store.filter(&cal.key), b);
        assert!(store.is_starred(&cal.key, &cal.sessions[6].id));
        // Unstarring the last star keeps the entry while it holds hidden sessions.
        let mut store = store;
        store.unstar(&cal.key, &cal.sessions[6].id);
        store.save().unwrap();
        assert_eq!(Store::open(dir.path()).unwrap().hidden(&cal.key).len(), 2);
    }

    #[test]
    fn try_save_never_waits_for_the_lock_and_keeps_the_changes() {
        let dir = tempfile::tempdir().unwrap();
        let cal = calendar();
        let mut store = Store::open(dir.path()).unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        let held = hold_lock(dir.path()).unwrap();
        let started = Instant::now();
        let err = store.try_save().unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(500));
        assert!(
            matches!(&err, StoreError::Busy { lock } if lock.ends_with("starred.json.lock")),
            "{err}"
        );
        assert!(
            err.to_string().contains("another hallway is still saving"),
            "{err}"
        );
        assert!(store.is_dirty());
        let mut said = 0;
        let err = store
            .save_waiting(Duration::from_millis(100), || said += 1)
            .unwrap_err();
        assert!(matches!(err, StoreError::Busy { .. }));
        assert_eq!(said, 1);
        drop(held);
        store.try_save().unwrap();
        assert!(!store.is_dirty());
        assert!(
            Store::open(dir.path())
                .unwrap()
                .is_starred(&cal.key, &cal.sessions[0].id)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_star_file_is_written_through_and_a_linked_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let synced = dir.path().join("dotfiles");
        fs::create_dir_all(&data).unwrap();
        fs::create_dir_all(&synced).unwrap();
        let link = data.join(FILE_NAME);
        std::os::unix::fs::symlink(synced.join("hallway.json"), &link).unwrap();
        let cal = calendar();
        let mut store = Store::open(&data).unwrap();
        assert_eq!(store.lock_path(), synced.join("hallway.json.lock"));
        store.star(&cal.key, &cal.name, &cal.sessions[0], now());
        store.save().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::read_to_string(synced.join("hallway.json"))
                .unwrap()
                .contains(cal.sessions[0].id.as_str())
        );
        // The lock file, made a link by someone else, is never followed.
        fs::remove_file(synced.join("hallway.json.lock")).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, synced.join("hallway.json.lock")).unwrap();
        store.star(&cal.key, &cal.name, &cal.sessions[1], now());
        let err = store.save().unwrap_err();
        assert!(matches!(err, StoreError::LockIsLink { .. }), "{err}");
        assert!(!elsewhere.exists(), "the link was followed");
    }

    #[test]
    fn text_from_a_tampered_file_is_cleaned_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let json = "{\"version\": 1, \"calendars\": {\"k\": {\"name\": \"N\\u001b]0;x\\u0007\", \"starred\": {\"gone\": {\"starred_at\": \"2026-01-01T00:00:00Z\", \"title\": \"Evil \\u001b[2J\\u009b31m title\", \"start\": \"2026-04-07T07:00:00Z\", \"end\": \"2026-04-07T07:30:00Z\", \"room\": \"R\\u001b[31m\", \"speakers\": \"\\u0007x\"}}}}}";
        fs::write(dir.path().join(FILE_NAME), json).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let star = &store.stars("k").unwrap()["gone"];
        assert_eq!(star.title, "Evil [2J31m title");
        assert_eq!(star.room, "R[31m");
        assert_eq!(star.speakers.as_deref(), Some("x"));
        assert_eq!(store.data().calendars["k"].name, "N]0;x");
    }

    #[test]
    fn store_is_send() {
        fn send<T: Send>() {}
        send::<Store>();
    }
}
