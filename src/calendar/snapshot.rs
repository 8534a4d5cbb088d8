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
//! maps the file and makes each text a range of the map ([`Text`]): nothing is copied.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rkyv::rancor;
use rkyv::vec::{ArchivedVec, VecResolver};
use rustc_hash::FxHashMap as HashMap;

use super::shared::{Buffer, Text};
use super::{Calendar, Format, Link, LoadOptions, ScheduleDay, Session, Warning, ZoneSource};

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

/// A snapshot file, mapped, whose header has been read.
pub struct Mapped {
    map: memmap2::Mmap,
    /// What the header says the source was.
    pub stamp: Stamp,
}

/// Maps the snapshot at `path` and reads its header; `None` when there is none, or it is not
/// a snapshot of this format.
pub fn open(path: &Path) -> Option<Mapped> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: hallway replaces a snapshot by renaming a new file over it and never writes
    // into one, so the mapped bytes do not change while they are read. Every byte is
    // checked (checksum, `rkyv` validation, UTF-8) before any is trusted.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()?;
    let header = map.get(..HEADER)?;
    let u32_at = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().unwrap_or_default());
    let u64_at = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
    if &header[..8] != MAGIC || u32_at(8) != FORMAT {
        return None;
    }
    let stamp = Stamp {
        size: u64_at(16),
        mtime: (
            i64::from_le_bytes(header[24..32].try_into().ok()?),
            u32_at(32),
        ),
        hash: u64_at(40),
    };
    Some(Mapped { map, stamp })
}

impl Mapped {
    /// The calendar this snapshot holds, if every check passes: the lengths, the checksum,
    /// the document's validation, the key (source, zone options, hallway's version), and
    /// every date, zone and kind in it — and `also`, which runs on another core beside the
    /// checksum while the rest is read (the digest of the source, for a file).
    pub fn calendar(
        self,
        options: &LoadOptions,
        also: impl FnOnce() -> bool + Send,
    ) -> Option<Calendar> {
        let header = &self.map[..HEADER];
        let u64_at =
            |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
        let doc_len = usize::try_from(u64_at(48)).ok()?;
        let text_len = usize::try_from(u64_at(56)).ok()?;
        let checksum = u64_at(CHECKSUM);
        if self.map.len() - HEADER != doc_len.checked_add(text_len)? {
            return None;
        }
        let text_at = HEADER + doc_len;
        let buffer = Buffer::mapped(self.map, text_at..text_at + text_len)?;
        let body = buffer.bytes().get(HEADER..)?;
        std::thread::scope(|scope| {
            let checked = scope.spawn(|| also() && summed(buffer.bytes()) == checksum);
            let calendar = rkyv::access::<ArchivedDoc, rancor::Error>(&body[..doc_len])
                .ok()
                .filter(|doc| {
                    doc.key.as_str() == key_text(options) && doc.version.as_str() == VERSION
                })
                .and_then(|doc| decode(doc, &buffer));
            let checked = checked.join().unwrap_or(false);
            match calendar {
                Some(calendar) if checked => Some(calendar),
                // Not freed: it is of no use, and freeing it takes time.
                Some(calendar) => {
                    std::mem::forget(calendar);
                    None
                }
                None => None,
            }
        })
    }
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
/// [`DocOut`], which has the same archived form.
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

/// What writes a [`Doc`]: the same fields, but the sessions' records are made as they are
/// serialized ([`Records`]) and the tracks, links and ids are serialized from where they are
/// ([`Listed`]), so none is gathered in memory first.
#[derive(rkyv::Archive, rkyv::Serialize)]
#[rkyv(as = ArchivedDoc, serialize_bounds(__S: rkyv::ser::Allocator + rkyv::ser::Writer))]
struct DocOut<'r, 'a> {
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
    day_change: Option<u32>,
    // Without `omit_bounds`, the derive's own bounds hide what these archive as.
    #[rkyv(omit_bounds)]
    sessions: Records<'r, 'a>,
    #[rkyv(omit_bounds)]
    tracks: Listed<'r, 'a, Span>,
    #[rkyv(omit_bounds)]
    links: Listed<'r, 'a, (Span, Span)>,
    #[rkyv(omit_bounds)]
    ids: Listed<'r, 'a, (u64, u32)>,
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

use chrono::Datelike as _;
use chrono::Timelike as _;

/// Lays out the text section: each text once, in the order first met, where a text is
/// shared — a room or track every session in it shares, a session's id that is its uid,
/// the title and description of the occurrences of a recurring event. Nothing is copied,
/// nor listed, until the section is written: [`write_texts`] meets the texts again in the
/// same order, and writes each where its span starts.
///
/// Only texts that can be shared are looked up (in one small table for names, one for the
/// texts of events with several occurrences): looking up every text of 100,000 sessions
/// cost a third of writing their snapshot.
struct TextSection {
    len: usize,
    /// Rooms, tracks, locations, languages, links: texts many sessions share.
    names: HashMap<(usize, u32, u32), Span>,
    /// The texts of sessions whose title another session shares (the occurrences of a
    /// recurring event).
    repeated: HashMap<(usize, u32, u32), Span>,
}

impl TextSection {
    /// A text not shared. Its length is the one its range states: its text is not read
    /// until it is written (where a text whose range does not read whole fails the write).
    fn once(&mut self, text: &Text) -> Span {
        let len = text.stated_len();
        if len == 0 {
            return Span::default();
        }
        let start = u32::try_from(self.len).unwrap_or(u32::MAX);
        self.len += len;
        Span {
            start,
            len: u32::try_from(len).unwrap_or(0),
        }
    }

    /// A text looked up in `table` (see [`TextSection::names`]).
    fn shared(&mut self, text: &Text, table: Table) -> Span {
        if text.stated_len() == 0 {
            return Span::default();
        }
        let key = text.identity();
        let found = match table {
            Table::Names => self.names.get(&key),
            Table::Repeated => self.repeated.get(&key),
        };
        if let Some(span) = found {
            return *span;
        }
        let span = self.once(text);
        match table {
            Table::Names => self.names.insert(key, span),
            Table::Repeated => self.repeated.insert(key, span),
        };
        span
    }
}

/// Which of [`TextSection`]'s tables a text is looked up in.
#[derive(Clone, Copy)]
enum Table {
    Names,
    Repeated,
}

/// The titles (by identity) that more than one session has, as the occurrences of a
/// recurring event do; sorted. Found by sorting the titles, not in a table: at 100,000
/// sessions a table held 4 MB while the snapshot was laid out.
fn repeated_titles(calendar: &Calendar) -> Vec<(usize, u32, u32)> {
    let mut titles: Vec<(usize, u32, u32)> = calendar
        .sessions
        .iter()
        .map(|s| s.title.identity())
        .collect();
    titles.sort_unstable();
    let mut repeated: Vec<(usize, u32, u32)> = titles
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
    repeated.dedup();
    repeated
}

/// Where one of a session's texts is placed.
#[derive(Clone, Copy)]
enum Sharing {
    /// One of its own texts: shared only among the occurrences of a recurring event.
    Own,
    /// A name many sessions share: a room, location, language, track or link.
    Name,
}

/// A count or offset that does not fit 32 bits: the calendar is too large for a snapshot.
struct TooLarge;

impl From<TooLarge> for std::io::Error {
    fn from(TooLarge: TooLarge) -> Self {
        std::io::ErrorKind::InvalidData.into()
    }
}

/// The record of session `s`, each of its texts placed by `place`, its tracks and links
/// pushed to `tracks` and `links`. Laying out the text section and writing it both walk the
/// sessions through this one function, so they meet the texts in the same order. A uid that
/// is the id is not placed again.
///
/// # Errors
/// What `place` fails with; [`TooLarge`] when a count does not fit 32 bits.
fn placed<E: From<TooLarge>>(
    s: &Session,
    tracks: &mut Vec<Span>,
    links: &mut Vec<(Span, Span)>,
    mut place: impl FnMut(&Text, Sharing) -> Result<Span, E>,
) -> Result<SessionRecord, E> {
    let count = |n: usize| u32::try_from(n).map_err(|_| TooLarge);
    let first_track = count(tracks.len())?;
    for t in &s.tracks {
        tracks.push(place(t, Sharing::Name)?);
    }
    let first_link = count(links.len())?;
    for l in &s.links {
        let title = place(&l.title, Sharing::Name)?;
        links.push((title, place(&l.url, Sharing::Name)?));
    }
    let id = place(&s.id, Sharing::Own)?;
    let uid = if s.uid.identity() == s.id.identity() {
        id
    } else {
        place(&s.uid, Sharing::Own)?
    };
    let title = place(&s.title, Sharing::Own)?;
    let subtitle = place(&s.subtitle, Sharing::Own)?;
    let speakers = s
        .speakers
        .as_ref()
        .map(|t| place(t, Sharing::Own))
        .transpose()?;
    let description = place(&s.description, Sharing::Own)?;
    let url = s.url.as_ref().map(|t| place(t, Sharing::Own)).transpose()?;
    let room = place(&s.room, Sharing::Name)?;
    let location = place(&s.location, Sharing::Name)?;
    let language = place(&s.language, Sharing::Name)?;
    Ok(SessionRecord {
        id,
        uid,
        title,
        subtitle,
        speakers,
        description,
        start: instant(s.start),
        end: instant(s.end),
        all_day: s.all_day,
        room,
        location,
        tracks: (first_track, count(s.tracks.len())?),
        url,
        cancelled: s.cancelled,
        kind: index_of(&super::kind::ALL, &s.kind),
        headline_at: count(s.headline_at)?,
        language,
        links: (first_link, count(s.links.len())?),
        day: s.day.map(date_number),
    })
}

/// Bits, in a list.
#[derive(Default)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        if let Some(word) = self.words.last_mut() {
            *word |= u64::from(bit) << (self.len % 64);
        }
        self.len += 1;
    }

    fn get(&self, at: usize) -> bool {
        self.words
            .get(at / 64)
            .is_some_and(|word| word >> (at % 64) & 1 == 1)
    }
}

/// The text section as the sessions' records are made, one at a time while they are
/// serialized ([`Records`]): where each text goes, the lists of tracks and links the records
/// point into, and which texts the section holds where they are met — what writing it
/// ([`write_texts`]) replays.
struct Laid<'a> {
    text: TextSection,
    /// The titles more than one session has ([`repeated_titles`]); dropped once every
    /// record is made.
    titles: Vec<(usize, u32, u32)>,
    tracks: Vec<Span>,
    links: Vec<(Span, Span)>,
    /// The calendar's index of ids, as it is.
    ids: &'a [(u64, u32)],
    /// A bit for each text placed, in order: whether the section holds it there (it is met
    /// there first, and is not empty).
    fresh: Bits,
    /// A record could not be made ([`TooLarge`]).
    too_large: bool,
}

impl<'a> Laid<'a> {
    fn new(calendar: &'a Calendar) -> Self {
        let total = |n: fn(&Session) -> usize| calendar.sessions.iter().map(n).sum();
        Self {
            text: TextSection {
                len: 0,
                names: HashMap::default(),
                repeated: HashMap::default(),
            },
            titles: repeated_titles(calendar),
            tracks: Vec::with_capacity(total(|s| s.tracks.len())),
            links: Vec::with_capacity(total(|s| s.links.len())),
            ids: calendar.index.entries(),
            fresh: Bits::default(),
            too_large: false,
        }
    }

    /// The record of the next session, `s`, its texts placed after the previous ones'.
    fn record(&mut self, s: &Session) -> Result<SessionRecord, TooLarge> {
        let repeated = self.titles.binary_search(&s.title.identity()).is_ok();
        let Self {
            text,
            tracks,
            links,
            fresh,
            ..
        } = self;
        placed(s, tracks, links, |t, sharing| {
            let before = text.len;
            let span = match sharing {
                Sharing::Name => text.shared(t, Table::Names),
                Sharing::Own if repeated => text.shared(t, Table::Repeated),
                Sharing::Own => text.once(t),
            };
            fresh.push(text.len != before);
            Ok(span)
        })
    }
}

/// The sessions' records, each made as it is serialized: 100,000 of them held at once took
/// 15 MB.
struct Records<'r, 'a> {
    sessions: &'a [Session],
    laid: &'r RefCell<Laid<'a>>,
}

impl rkyv::Archive for Records<'_, '_> {
    type Archived = ArchivedVec<ArchivedSessionRecord>;
    type Resolver = VecResolver;

    fn resolve(&self, resolver: VecResolver, out: rkyv::Place<Self::Archived>) {
        ArchivedVec::resolve_from_len(self.sessions.len(), resolver, out);
    }
}

impl<S> rkyv::Serialize<S> for Records<'_, '_>
where
    S: rancor::Fallible + rkyv::ser::Allocator + rkyv::ser::Writer + ?Sized,
{
    fn serialize(&self, serializer: &mut S) -> Result<VecResolver, S::Error> {
        let mut laid = self.laid.borrow_mut();
        let mut records = self.sessions.iter().map_while(|s| {
            laid.record(s)
                .map_err(|TooLarge| laid.too_large = true)
                .ok()
        });
        let resolver = ArchivedVec::serialize_from_unknown_length_iter(&mut records, serializer);
        laid.titles = Vec::new();
        resolver
    }
}

/// A list a [`Laid`] holds (`part` of it), serialized from where it is.
struct Listed<'r, 'a, T> {
    laid: &'r RefCell<Laid<'a>>,
    part: for<'l> fn(&'l Laid<'a>) -> &'l [T],
}

impl<T: rkyv::Archive> rkyv::Archive for Listed<'_, '_, T> {
    type Archived = ArchivedVec<T::Archived>;
    type Resolver = VecResolver;

    fn resolve(&self, resolver: VecResolver, out: rkyv::Place<Self::Archived>) {
        let len = (self.part)(&self.laid.borrow()).len();
        ArchivedVec::resolve_from_len(len, resolver, out);
    }
}

impl<T, S> rkyv::Serialize<S> for Listed<'_, '_, T>
where
    T: rkyv::Serialize<S>,
    S: rancor::Fallible + rkyv::ser::Allocator + rkyv::ser::Writer + ?Sized,
{
    fn serialize(&self, serializer: &mut S) -> Result<VecResolver, S::Error> {
        ArchivedVec::serialize_from_slice((self.part)(&self.laid.borrow()), serializer)
    }
}

/// The document of `calendar`, to be serialized; its records are laid out in `laid` as it
/// is.
fn doc_out<'r, 'a>(
    calendar: &'a Calendar,
    options: &LoadOptions,
    laid: &'r RefCell<Laid<'a>>,
) -> DocOut<'r, 'a> {
    DocOut {
        version: VERSION.to_owned(),
        key: key_text(options),
        name: calendar.name.clone(),
        calendar_key: calendar.key.clone(),
        source: calendar.source.clone(),
        zone: calendar.zone.name().to_owned(),
        zone_source: index_of(&ZONE_SOURCES, &calendar.zone_source),
        warnings: calendar
            .warnings
            .iter()
            .map(|w| WarningRecord {
                line: w.line,
                message: w.message.clone(),
            })
            .collect(),
        complete: calendar.complete,
        format: index_of(&FORMATS, &calendar.format),
        schedule_days: calendar
            .schedule_days
            .iter()
            .map(|d| DayRecord {
                index: d.index,
                date: date_number(d.date),
                start: d.start.map(instant),
                end: d.end.map(instant),
            })
            .collect(),
        room_order: calendar.room_order.clone(),
        day_change: calendar.day_change.map(|t| t.num_seconds_from_midnight()),
        sessions: Records {
            sessions: &calendar.sessions,
            laid,
        },
        tracks: Listed {
            laid,
            part: |l| &l.tracks,
        },
        links: Listed {
            laid,
            part: |l| &l.links,
        },
        ids: Listed {
            laid,
            part: |l| l.ids,
        },
    }
}

/// The header of a snapshot (its checksum left zero).
fn header(stamp: Stamp, doc_len: usize, text_len: usize) -> [u8; HEADER] {
    let mut out = [0; HEADER];
    let fields: [&[u8]; 8] = [
        MAGIC,
        &FORMAT.to_le_bytes(),
        &[0; 4],
        &stamp.size.to_le_bytes(),
        &stamp.mtime.0.to_le_bytes(),
        &stamp.mtime.1.to_le_bytes(),
        &[0; 4],
        &stamp.hash.to_le_bytes(),
    ];
    let mut at = 0;
    for field in fields.into_iter().chain([
        &(doc_len as u64).to_le_bytes()[..],
        &(text_len as u64).to_le_bytes()[..],
    ]) {
        out[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    }
    debug_assert_eq!(at, CHECKSUM);
    out
}

/// Bytes passed on to `out`, and summed.
struct Summing<W> {
    out: W,
    sum: xxhash_rust::xxh3::Xxh3,
}

impl<W: std::io::Write> std::io::Write for Summing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.sum.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes the snapshot of `calendar` (read from a source with this `stamp` under
/// `options`) to `out`, its header's room left zero, and returns the header (checksum
/// included) for the caller to put there. The document is serialized straight into `out`,
/// its records made one at a time, and the text written from the calendar: none of them is
/// gathered in memory.
///
/// # Errors
/// Any IO error; `InvalidData` when the calendar is too large for a snapshot.
fn stream(
    calendar: &Calendar,
    stamp: Stamp,
    options: &LoadOptions,
    out: impl std::io::Write,
) -> std::io::Result<[u8; HEADER]> {
    use rkyv::ser::Positional as _;
    let mut out = Summing {
        out,
        sum: xxhash_rust::xxh3::Xxh3::new(),
    };
    out.out.write_all(&[0; HEADER])?;
    let laid = RefCell::new(Laid::new(calendar));
    let doc = doc_out(calendar, options, &laid);
    let doc_len = rkyv::api::high::to_bytes_in::<_, rancor::Error>(
        &doc,
        rkyv::ser::writer::IoWriter::new(&mut out),
    )
    .map_err(std::io::Error::other)?
    .pos();
    drop(doc);
    let laid = laid.into_inner();
    if laid.too_large || u32::try_from(laid.text.len).is_err() {
        return Err(TooLarge.into());
    }
    write_texts(&calendar.sessions, &laid, &mut out)?;
    let mut head = header(stamp, doc_len, laid.text.len);
    out.sum.update(&head[..CHECKSUM]);
    out.sum.update(&head[CHECKSUM + 8..]);
    head[CHECKSUM..CHECKSUM + 8].copy_from_slice(&out.sum.digest().to_le_bytes());
    Ok(head)
}

/// Writes the text section `laid` laid out for `sessions` to `out`: the sessions' texts
/// met again in the same order ([`placed`]), each written where `laid` says the section
/// holds it.
///
/// # Errors
/// Any IO error; `InvalidData` when a text does not read as long as its range states, or
/// the texts do not make the section `laid` laid out.
fn write_texts(
    sessions: &[Session],
    laid: &Laid,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut written = 0usize;
    let mut met = 0usize;
    let (mut tracks, mut links) = (Vec::new(), Vec::new());
    for s in sessions {
        tracks.clear();
        links.clear();
        placed(s, &mut tracks, &mut links, |text, _| {
            met += 1;
            if laid.fresh.get(met - 1) {
                let bytes = text.as_bytes();
                if bytes.len() != text.stated_len() {
                    return Err(std::io::ErrorKind::InvalidData.into());
                }
                written += bytes.len();
                out.write_all(bytes)?;
            }
            Ok::<_, std::io::Error>(Span::default())
        })?;
    }
    if written == laid.text.len && met == laid.fresh.len {
        Ok(())
    } else {
        Err(std::io::ErrorKind::InvalidData.into())
    }
}

/// The snapshot of `calendar`, read from a source with this `stamp` under `options`, as
/// bytes. `None` when it is too large to index with 32-bit offsets (4 GB of text).
pub fn encode(calendar: &Calendar, stamp: Stamp, options: &LoadOptions) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let head = stream(calendar, stamp, options, &mut out).ok()?;
    out[..HEADER].copy_from_slice(&head);
    Some(out)
}

/// How much of a snapshot is gathered before each write to its file: enough to keep the
/// writes few, little enough not to count in the memory of a load.
const WRITE_BUFFER: usize = 128 * 1024;

/// Writes the snapshot of `calendar` (read from a source with this `stamp` under
/// `options`) to `path`, replacing any: written to a temporary file beside it, then renamed
/// over it, so a reader sees the old snapshot or the new, never a mix. Neither the document
/// nor the text is gathered in memory ([`stream`]).
///
/// It is not flushed to disk before the rename (as the star file is): a snapshot lost or
/// cut short by a crash fails its length or checksum and is made again, and flushing 100 MB
/// would cost more than reading many calendars.
///
/// # Errors
/// Any IO error (the temporary file is then removed); `InvalidData` when the calendar is
/// too large for a snapshot.
pub fn write(
    path: &Path,
    calendar: &Calendar,
    stamp: Stamp,
    options: &LoadOptions,
) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::FileExt as _;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".snapshot.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER, tmp.as_file());
    let head = stream(calendar, stamp, options, &mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().write_at(&head, 0)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn from_instant(t: &ArchivedInstant) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs.to_native(), t.nanos.to_native())
}

fn from_date_number(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

/// `first..first + count` of `all`, when it is in range.
fn slice<T>(all: &[T], (first, count): (u32, u32)) -> Option<&[T]> {
    let first = first as usize;
    all.get(first..first.checked_add(count as usize)?)
}

/// A value in a snapshot that does not read as what it stands for.
struct Unreadable;

/// A value that may be absent, read by `read`.
fn optional<A, T>(
    value: Option<&A>,
    read: impl Fn(&A) -> Option<T>,
) -> Result<Option<T>, Unreadable> {
    match value {
        Some(v) => read(v).map(Some).ok_or(Unreadable),
        None => Ok(None),
    }
}

/// The calendar `doc` describes, its texts ranges of `buffer`; `None` when anything in it
/// is out of range (a text, a date, a zone, a kind).
fn decode(doc: &ArchivedDoc, buffer: &Arc<Buffer>) -> Option<Calendar> {
    let text =
        |span: &ArchivedSpan| Some(buffer.text(span.start.to_native(), span.len.to_native()));
    let tracks: Vec<Text> = doc.tracks.iter().map(text).collect::<Option<_>>()?;
    let links: Vec<Link> = doc
        .links
        .iter()
        .map(|l| {
            Some(Link {
                title: text(&l.0)?,
                url: text(&l.1)?,
            })
        })
        .collect::<Option<_>>()?;
    let mut sessions = Vec::with_capacity(doc.sessions.len());
    for r in doc.sessions.iter() {
        let range = (r.tracks.0.to_native(), r.tracks.1.to_native());
        let own_tracks: &[Text] = slice(&tracks, range)?;
        let range = (r.links.0.to_native(), r.links.1.to_native());
        let own_links: &[Link] = slice(&links, range)?;
        sessions.push(Session {
            id: text(&r.id)?,
            uid: text(&r.uid)?,
            title: text(&r.title)?,
            subtitle: text(&r.subtitle)?,
            speakers: optional(r.speakers.as_ref(), text).ok()?,
            description: text(&r.description)?,
            start: from_instant(&r.start)?,
            end: from_instant(&r.end)?,
            all_day: r.all_day,
            room: text(&r.room)?,
            location: text(&r.location)?,
            tracks: own_tracks.to_vec(),
            url: optional(r.url.as_ref(), text).ok()?,
            cancelled: r.cancelled,
            kind: *super::kind::ALL.get(usize::from(r.kind))?,
            headline_at: r.headline_at.to_native() as usize,
            language: text(&r.language)?,
            links: own_links.to_vec(),
            day: optional(r.day.as_ref(), |n| from_date_number(n.to_native())).ok()?,
        });
    }
    let ids = doc
        .ids
        .iter()
        .map(|entry| (entry.0.to_native(), entry.1.to_native()))
        .collect();
    let index = super::index::IdIndex::from_entries(ids, sessions.len())?;
    let schedule_days = doc
        .schedule_days
        .iter()
        .map(|d| {
            Some(ScheduleDay {
                index: d.index.to_native(),
                date: from_date_number(d.date.to_native())?,
                start: optional(d.start.as_ref(), from_instant).ok()?,
                end: optional(d.end.as_ref(), from_instant).ok()?,
            })
        })
        .collect::<Option<_>>()?;
    let day_change = optional(doc.day_change.as_ref(), |secs| {
        NaiveTime::from_num_seconds_from_midnight_opt(secs.to_native(), 0)
    })
    .ok()?;
    Some(Calendar {
        name: doc.name.to_string(),
        key: doc.calendar_key.to_string(),
        source: doc.source.to_string(),
        zone: doc.zone.parse::<Tz>().ok()?,
        zone_source: *ZONE_SOURCES.get(usize::from(doc.zone_source))?,
        sessions,
        warnings: doc
            .warnings
            .iter()
            .map(|w| Warning {
                line: w.line.as_ref().map(|l| l.to_native()),
                message: w.message.to_string(),
            })
            .collect(),
        index,
        complete: doc.complete,
        format: *FORMATS.get(usize::from(doc.format))?,
        schedule_days,
        room_order: doc.room_order.iter().map(ToString::to_string).collect(),
        day_change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
