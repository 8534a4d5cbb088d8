//! Where a calendar comes from — the bundled file, a path, standard input, or a URL — and
//! loading it from there: read within bounds (256 MB, and never waiting forever on a pipe
//! or a device), parsed, and for a URL kept as the offline copy only once it has loaded.

use std::borrow::Cow;
use std::fs::File;
use std::io::{IsTerminal, Read};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::fetch::{self, FetchOptions};
use super::snapshot;
use super::{Calendar, LoadError, LoadOptions, Problem};

/// Longest a calendar may be, whatever it is read from.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// A place to read a calendar from, as given to `-c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The calendar built into the binary.
    Bundled,
    /// `-c -`.
    Stdin,
    File(PathBuf),
    /// `-c https://…` or `http://…`, with an offline copy.
    Url(String),
}

impl Source {
    /// From the `-c` argument; none means the bundled calendar.
    pub fn from_arg(arg: Option<&str>) -> Self {
        match arg {
            None => Self::Bundled,
            Some("-") => Self::Stdin,
            Some(url)
                if ["http://", "https://"].iter().any(|scheme| {
                    url.get(..scheme.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                }) =>
            {
                Self::Url(url.to_owned())
            }
            Some(path) => Self::File(PathBuf::from(path)),
        }
    }

    /// How the source is named in messages and output.
    pub fn name(&self) -> String {
        match self {
            Self::Bundled => super::BUNDLED_NAME.to_owned(),
            Self::Stdin => "-".to_owned(),
            Self::File(path) => path.display().to_string(),
            Self::Url(url) => url.clone(),
        }
    }
}

/// Bounds on reading a file, a device, a FIFO or standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// More than this is refused.
    pub max_bytes: u64,
    /// A pipe, FIFO or device that sends nothing for this long is given up on.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: MAX_INPUT,
            idle: Duration::from_secs(30),
        }
    }
}

/// A loaded calendar, and a note when it is an offline copy (or none could be kept).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub calendar: Calendar,
    pub stale: Option<String>,
    /// Why the calendar's parsed snapshot could not be kept (it is then read again next
    /// time: slower, nothing else).
    pub snapshot_note: Option<String>,
}

/// Reads the calendar `source` names and parses it, whatever its format. A conference
/// page's URL is read from its export ([`fetch::export_url`]); a URL that gives a web page
/// and may be a pretalx event's is tried once more at its export ([`fetch::pretalx_export`]). A URL's body becomes its
/// offline copy only when it loads as a whole calendar (ending in END:VCALENDAR,
/// `</schedule>`, or the end of its JSON) with at least one session; a copy that no longer
/// loads so is dropped and fetched again. A body cut short or without sessions is shown
/// when there is no good copy, but not kept.
///
/// A file or a URL's body is read from its parsed snapshot when `options` keep snapshots
/// and one matches it ([`snapshot`]); else it is parsed and its snapshot written.
///
/// # Errors
/// What the [`Problem`] says: unreadable, too large, stalled, not a calendar, or a URL that
/// gives none and has no copy that loads.
pub fn load(
    source: &Source,
    fetch: &FetchOptions,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let fail = |problem| LoadError {
        source_name: options.source.clone(),
        problem,
    };
    let limits = Limits::default();
    let bytes = match source {
        Source::Bundled => match options.snapshots.as_deref() {
            Some(dir) => return load_bundled(dir, options),
            None => Cow::Borrowed(super::BUNDLED),
        },
        Source::Stdin => Cow::Owned(read_stdin(limits).map_err(fail)?),
        Source::File(path) => {
            let file = open(path).map_err(fail)?;
            match options.snapshots.as_deref() {
                Some(dir) if file.regular => {
                    return load_file(file, dir, options, limits).map_err(fail);
                }
                _ => Cow::Owned(file.read(limits).map_err(fail)?),
            }
        }
        Source::Url(url) => {
            let url = fetch::export_url(url);
            let note = std::sync::Mutex::new(None);
            let load = |bytes: &[u8]| {
                let stamp = snapshot::Stamp::of(bytes, (0, 0));
                let (calendar, parsed) = match options.snapshots.as_deref() {
                    Some(dir) => match from_snapshot(dir, options, stamp) {
                        Some(calendar) => (calendar, false),
                        None => (Calendar::parse_input(bytes, options)?, true),
                    },
                    None => (Calendar::parse_input(bytes, options)?, false),
                };
                let unfit = if calendar.sessions.is_empty() {
                    Some(Problem::NoSessions)
                } else {
                    (!calendar.is_complete()).then(|| Problem::Truncated(calendar.expected_end()))
                };
                if let (true, None, Some(dir)) = (parsed, &unfit, options.snapshots.as_deref())
                    && let Some(why) = keep_snapshot(dir, &calendar, stamp, options)
                    && let Ok(mut note) = note.lock()
                {
                    *note = Some(why);
                }
                Ok((calendar, unfit))
            };
            let fetched = match fetch::fetch(&url, fetch, load) {
                Err(page) if page.is_web_page() => fetch::pretalx_export(&url)
                    .and_then(|export| fetch::fetch(&export, fetch, load).ok())
                    .ok_or(page),
                fetched => fetched,
            }
            .map_err(|e| fail(Problem::Fetch(e)))?;
            return Ok(Loaded {
                calendar: fetched.value,
                stale: fetched.stale,
                snapshot_note: note.into_inner().unwrap_or_default(),
            });
        }
    };
    let calendar = match bytes {
        Cow::Borrowed(bytes) => Calendar::parse(bytes, options)?,
        Cow::Owned(bytes) => Calendar::parse_owned(bytes, options)?,
    };
    Ok(Loaded {
        calendar,
        stale: None,
        snapshot_note: None,
    })
}

/// The calendar in `dir`'s snapshot for `options`, if it is the snapshot of a source with
/// this `stamp` and checks out.
fn from_snapshot(dir: &Path, options: &LoadOptions, stamp: snapshot::Stamp) -> Option<Calendar> {
    let mapped = snapshot::open(&snapshot::path(dir, options))?;
    (mapped.stamp == stamp).then_some(())?;
    mapped.calendar(options, || true)
}

/// The bundled calendar, from its snapshot when one matches; else parsed, and its snapshot
/// written. Its parse is quick (168 KB), but the snapshot still takes a third off every
/// command (`hallway now` in a status bar runs every few seconds); a cache directory that
/// cannot be written is not worth a note here.
fn load_bundled(dir: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let stamp = snapshot::Stamp {
        size: super::BUNDLED.len() as u64,
        mtime: (0, 0),
        hash: super::BUNDLED_DIGEST,
    };
    let calendar = if let Some(calendar) = from_snapshot(dir, options, stamp) {
        calendar
    } else {
        let calendar = Calendar::parse(super::BUNDLED, options)?;
        let _ = keep_snapshot(dir, &calendar, stamp, options);
        calendar
    };
    Ok(Loaded {
        calendar,
        stale: None,
        snapshot_note: None,
    })
}

/// A regular file, from its snapshot when one matches its size, modification time and
/// digest (for a large file, the digest taken on another core while the snapshot is
/// checked); else parsed, and its snapshot written.
fn load_file(
    file: Opened,
    dir: &Path,
    options: &LoadOptions,
    limits: Limits,
) -> Result<Loaded, Problem> {
    use std::os::unix::fs::MetadataExt;
    if file.meta.len() > limits.max_bytes {
        return Err(Problem::TooLarge);
    }
    let mtime = (
        file.meta.mtime(),
        u32::try_from(file.meta.mtime_nsec()).unwrap_or(0),
    );
    if let Some(mapped) = snapshot::open(&snapshot::path(dir, options))
        && mapped.stamp.size == file.meta.len()
        && mapped.stamp.mtime == mtime
    {
        let expected = mapped.stamp.hash;
        if let Some(calendar) = mapped.calendar(options, || digest(&file.file) == Some(expected)) {
            return Ok(Loaded {
                calendar,
                stale: None,
                snapshot_note: None,
            });
        }
    }
    let bytes = file.read(limits)?;
    let stamp = snapshot::Stamp::of(&bytes, mtime);
    let calendar = Calendar::parse_owned_input(bytes, options)?;
    let snapshot_note = keep_snapshot(dir, &calendar, stamp, options);
    Ok(Loaded {
        calendar,
        stale: None,
        snapshot_note,
    })
}

/// xxh3 of a file's bytes, read in pieces from its start (not its current position).
fn digest(file: &File) -> Option<u64> {
    use std::os::unix::fs::FileExt;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut chunk = vec![0u8; 256 * 1024];
    let mut at = 0u64;
    loop {
        match file.read_at(&mut chunk, at) {
            Ok(0) => return Some(hasher.digest()),
            Ok(n) => {
                hasher.update(&chunk[..n]);
                at += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Writes the snapshot of `calendar`; why not, when it could not be written.
fn keep_snapshot(
    dir: &Path,
    calendar: &Calendar,
    stamp: snapshot::Stamp,
    options: &LoadOptions,
) -> Option<String> {
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| snapshot::write(&snapshot::path(dir, options), calendar, stamp, options));
    written.err().map(|e| {
        format!(
            "could not keep a parsed snapshot in {} ({}); the calendar is read whole each time",
            super::text::sanitize_line(&dir.display().to_string()),
            io_reason(&e)
        )
    })
}

/// A file opened for reading, with what it is.
struct Opened {
    file: File,
    meta: std::fs::Metadata,
    /// A regular file (not a FIFO or a device).
    regular: bool,
}

/// Opens `path` without waiting for a writer (a FIFO); a directory is refused.
fn open(path: &Path) -> Result<Opened, Problem> {
    use rustix::fs::{Mode, OFlags};
    // Opening a FIFO for reading would wait for a writer, forever if none comes.
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Problem::Read(e.into()))?;
    let file = File::from(fd);
    let meta = file.metadata().map_err(Problem::Read)?;
    if meta.is_dir() {
        return Err(Problem::Read(std::io::ErrorKind::IsADirectory.into()));
    }
    Ok(Opened {
        regular: meta.is_file(),
        file,
        meta,
    })
}

impl Opened {
    /// Its bytes: a regular file, or a FIFO or character device read until its end, within
    /// `limits`.
    fn read(self, limits: Limits) -> Result<Vec<u8>, Problem> {
        if self.regular {
            if self.meta.len() > limits.max_bytes {
                return Err(Problem::TooLarge);
            }
            return read_regular(self.file, self.meta.len(), limits);
        }
        read_stream(&self.file, limits)
    }
}

/// The bytes of the file at `path`: a regular file, or a FIFO or character device read
/// until its end, within `limits`. A FIFO is opened without waiting for a writer; one that
/// gets none, or whose writer sends nothing, is given up on after `limits.idle`.
///
/// # Errors
/// Unreadable (missing, a directory, no permission), larger than allowed, or stalled.
pub fn read_file(path: &Path, limits: Limits) -> Result<Vec<u8>, Problem> {
    open(path)?.read(limits)
}

/// Standard input, within `limits`; refused when it is a terminal (nobody is typing a
/// calendar).
///
/// # Errors
/// A terminal, unreadable, larger than allowed, or stalled.
pub fn read_stdin(limits: Limits) -> Result<Vec<u8>, Problem> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Problem::Terminal);
    }
    let meta = rustix::fs::fstat(stdin.as_fd()).map_err(|e| Problem::Read(e.into()))?;
    let file_type = rustix::fs::FileType::from_raw_mode(meta.st_mode);
    if file_type == rustix::fs::FileType::RegularFile {
        let len = u64::try_from(meta.st_size).unwrap_or(0);
        if len > limits.max_bytes {
            return Err(Problem::TooLarge);
        }
        return read_regular(stdin.lock(), len, limits);
    }
    read_stream(&stdin, limits)
}

/// A regular file of about `len` bytes (it may grow while read).
fn read_regular(file: impl Read, len: u64, limits: Limits) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(Problem::Read)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(Problem::TooLarge);
    }
    Ok(bytes)
}

/// A pipe, FIFO, socket or device, read as data arrives, never blocked in a read: each
/// read waits (in `poll`) at most `limits.idle` for data.
fn read_stream(fd: &impl AsFd, limits: Limits) -> Result<Vec<u8>, Problem> {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let idle = Timespec {
        tv_sec: i64::try_from(limits.idle.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(limits.idle.subsec_nanos()),
    };
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let mut fds = [PollFd::new(fd, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&idle)) {
            Ok(0) => return Err(Problem::Stalled(limits.idle)),
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(Problem::Read(e.into())),
        }
        match rustix::io::read(fd, &mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                if (bytes.len() + n) as u64 > limits.max_bytes {
                    return Err(Problem::TooLarge);
                }
                bytes.extend_from_slice(&chunk[..n]);
            }
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
            Err(e) => return Err(Problem::Read(e.into())),
        }
    }
}

/// An IO error as a short phrase, without the `(os error N)` tail.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory, not a file".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_lowercase(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> (FetchOptions, LoadOptions) {
        (
            FetchOptions {
                cache_dir: std::env::temp_dir().join("hallway-test-unused"),
                offline: true,
                now: chrono::Utc::now(),
            },
            LoadOptions::new("x", None, chrono_tz::UTC),
        )
    }

    fn load_error(source: &Source) -> String {
        let (fetch, mut load_options) = options();
        load_options.source = source.name();
        load(source, &fetch, &load_options).unwrap_err().to_string()
    }

    #[test]
    fn names_and_errors() {
        assert_eq!(Source::from_arg(None), Source::Bundled);
        assert_eq!(
            Source::from_arg(Some("HTTPS://x.org/all.ics")),
            Source::Url("HTTPS://x.org/all.ics".into())
        );
        assert_eq!(
            Source::from_arg(Some("httpdocs/a.ics")),
            Source::File("httpdocs/a.ics".into())
        );
        assert_eq!(Source::from_arg(Some("-")), Source::Stdin);
        assert_eq!(
            load_error(&Source::from_arg(Some("/nonexistent/x.ics"))),
            "/nonexistent/x.ics: no such file"
        );
        assert_eq!(
            load_error(&Source::from_arg(Some("/"))),
            "/: is a directory, not a file"
        );
    }

    #[test]
    fn the_bundled_calendar_loads() {
        let (fetch, load_options) = options();
        let loaded = load(&Source::Bundled, &fetch, &load_options).unwrap();
        assert_eq!(loaded.calendar.sessions.len(), 129);
        assert!(loaded.stale.is_none());
    }

    #[test]
    fn a_regular_file_over_the_limit_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.ics");
        let file = File::create(&path).unwrap();
        // Sparse: no disk space used.
        file.set_len(MAX_INPUT + 1).unwrap();
        assert!(matches!(
            read_file(&path, Limits::default()),
            Err(Problem::TooLarge)
        ));
        let small = Limits {
            max_bytes: 3,
            ..Limits::default()
        };
        std::fs::write(&path, b"abcd").unwrap();
        assert!(matches!(read_file(&path, small), Err(Problem::TooLarge)));
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(read_file(&path, small).unwrap(), b"abc");
    }
}
