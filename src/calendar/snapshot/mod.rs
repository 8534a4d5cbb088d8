//! Parsed snapshots: a calendar read once is kept in the cache directory as a binary file,
//! so the next command maps it instead of reading the calendar again.
//!
//! A snapshot is keyed by the source (its path or URL), the options that shape a load (the
//! `--tz` zone and the machine's), the source's size and modification time, and an xxh3
//! digest of its bytes. One whose header, checksum, version, key or contents do not check
//! out is never used: the calendar is read again and the snapshot replaced.
//!
//! The file is a fixed header, an `rkyv` document (the calendar's fields, one fixed-size
//! record a session, validated by `rkyv`'s `bytecheck` on reading) and the text section:
//! every session's text once, UTF-8, which records name by offset and length. Loading it
//! maps the file and makes each text a range of the map
//! ([`Text`](super::shared::Text)): nothing is copied.
//!
//! `read` opens and checks a snapshot and makes the calendar it holds; `write` serializes the
//! document into the file; `layout` places each text in the text section and writes it.

mod layout;
mod read;
#[cfg(test)]
mod tests;
mod write;

use std::path::{Path, PathBuf};

use chrono::Datelike as _;
use chrono::{DateTime, NaiveDate, Utc};

use super::{Format, LoadOptions, ZoneSource};

pub use read::{Mapped, open};
pub use write::{encode, write};

/// What a snapshot file starts with.
const MAGIC: &[u8; 8] = b"hallway\x1a";
/// The layout of the file and of what it holds. A change to either, or to what the readers
/// make of a calendar, must change this number. (2: the checksum sums the header last.)
const FORMAT: u32 = 2;
/// The header's length; the document after it starts aligned for `rkyv`.
const HEADER: usize = 80;

/// Where the header keeps the checksum.
const CHECKSUM: usize = 64;

/// The checksum of a whole snapshot file: xxh3 of every byte but the checksum's own, the
/// header's last (it is known only once the rest is written).
fn summed(file: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(file.get(HEADER..).unwrap_or_default());
    hasher.update(file.get(..CHECKSUM).unwrap_or_default());
    hasher.update(file.get(CHECKSUM + 8..HEADER).unwrap_or_default());
    hasher.digest()
}

/// What identifies the calendar a snapshot was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The source's length in bytes.
    pub size: u64,
    /// Its modification time (seconds and nanoseconds since the epoch); zero when it has
    /// none (a URL's body).
    pub mtime: (i64, u32),
    /// xxh3 of its bytes.
    pub hash: u64,
}

impl Stamp {
    /// The stamp of `bytes`, read from a file modified at `mtime`.
    pub fn of(bytes: &[u8], mtime: (i64, u32)) -> Self {
        Self {
            size: bytes.len() as u64,
            mtime,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// Where the snapshot of the calendar `options` read lives in `dir`: one file for each
/// source and set of zone options.
pub fn path(dir: &Path, options: &LoadOptions) -> PathBuf {
    let key = key_text(options);
    dir.join(format!(
        "{:016x}.snapshot",
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    ))
}

/// The source and the options a snapshot is keyed by, as one text.
fn key_text(options: &LoadOptions) -> String {
    format!(
        "{}\0{}\0{}",
        options.source,
        options.zone.map_or("", |tz| tz.name()),
        options.system_zone.name()
    )
}

/// hallway's version: a snapshot from another is not used.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A text's place in the text section.
#[derive(rkyv::Archive, rkyv::Serialize, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

/// An instant: seconds since the epoch and nanoseconds.
#[derive(rkyv::Archive, rkyv::Serialize, Clone, Copy)]
struct Instant {
    secs: i64,
    nanos: u32,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct SessionRecord {
    id: Span,
    uid: Span,
    title: Span,
    subtitle: Span,
    speakers: Option<Span>,
    description: Span,
    start: Instant,
    end: Instant,
    all_day: bool,
    room: Span,
    location: Span,
    /// `first..first + count` of [`Doc::tracks`].
    tracks: (u32, u32),
    url: Option<Span>,
    cancelled: bool,
    /// The place of its kind in [`super::kind::ALL`].
    kind: u8,
    headline_at: u32,
    language: Span,
    /// `first..first + count` of [`Doc::links`].
    links: (u32, u32),
    /// Days since 1 January of year 1 (CE).
    day: Option<i32>,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct WarningRecord {
    line: Option<u32>,
    message: String,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct DayRecord {
    index: u32,
    date: i32,
    start: Option<Instant>,
    end: Option<Instant>,
}

/// The document of a snapshot, as it is read ([`ArchivedDoc`]); it is written from
/// `write::DocOut`, which has the same archived form.
#[derive(rkyv::Archive)]
#[expect(dead_code, reason = "only its archived form is made, by `DocOut`")]
struct Doc {
    version: String,
    key: String,
    name: String,
    calendar_key: String,
    source: String,
    zone: String,
    zone_source: u8,
    warnings: Vec<WarningRecord>,
    complete: bool,
    format: u8,
    schedule_days: Vec<DayRecord>,
    room_order: Vec<String>,
    /// Seconds after midnight.
    day_change: Option<u32>,
    sessions: Vec<SessionRecord>,
    tracks: Vec<Span>,
    links: Vec<(Span, Span)>,
    /// The calendar's index of ids ([`super::index::IdIndex`]).
    ids: Vec<(u64, u32)>,
}

const ZONE_SOURCES: [ZoneSource; 8] = [
    ZoneSource::Flag,
    ZoneSource::Calendar,
    ZoneSource::City,
    ZoneSource::Locations,
    ZoneSource::Coordinates,
    ZoneSource::Name,
    ZoneSource::Offset,
    ZoneSource::Fallback,
];

const FORMATS: [Format; 3] = [Format::ICalendar, Format::ScheduleXml, Format::ScheduleJson];

fn index_of<T: PartialEq>(all: &[T], value: &T) -> u8 {
    all.iter()
        .position(|v| v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

fn instant(t: DateTime<Utc>) -> Instant {
    Instant {
        secs: t.timestamp(),
        nanos: t.timestamp_subsec_nanos(),
    }
}

fn date_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}
