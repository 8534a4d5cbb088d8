//! Reading a snapshot: the file mapped, its header read, every check made, and the calendar
//! it holds made with its texts as ranges of the map.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rkyv::rancor;

use super::{
    ArchivedDoc, ArchivedInstant, ArchivedSpan, CHECKSUM, FORMAT, FORMATS, HEADER, MAGIC, Stamp,
    VERSION, ZONE_SOURCES, key_text, summed,
};
use crate::calendar::shared::{Buffer, Text};
use crate::calendar::{Calendar, Link, LoadOptions, ScheduleDay, Session, Warning};

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
    /// every date, zone and kind in it — and `also` (the digest of the source, for a file),
    /// which runs with the checksum on another core while the rest is read when the
    /// snapshot and its source together are large, and first, on this thread, when not.
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
        let small = (self.map.len() as u64).saturating_add(self.stamp.size) < ON_ANOTHER_CORE;
        let buffer = Buffer::mapped(self.map, text_at..text_at + text_len)?;
        let body = buffer.bytes().get(HEADER..)?;
        let check = || also() && summed(buffer.bytes()) == checksum;
        let read = || {
            rkyv::access::<ArchivedDoc, rancor::Error>(&body[..doc_len])
                .ok()
                .filter(|doc| {
                    doc.key.as_str() == key_text(options) && doc.version.as_str() == VERSION
                })
                .and_then(|doc| decode(doc, &buffer))
        };
        // A small snapshot (the bundled calendar's is 0.1 MB) and source are checked in
        // less time than starting a thread takes.
        let (calendar, checked) = if small {
            let checked = check();
            (if checked { read() } else { None }, checked)
        } else {
            std::thread::scope(|scope| {
                let checked = scope.spawn(check);
                let calendar = read();
                (calendar, checked.join().unwrap_or(false))
            })
        };
        match calendar {
            Some(calendar) if checked => Some(calendar),
            // Not freed: it is of no use, and freeing it takes time.
            Some(calendar) => {
                std::mem::forget(calendar);
                None
            }
            None => None,
        }
    }
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

/// The size (snapshot and source together) from which a snapshot's checksum and the
/// source's digest are computed on another core while the snapshot is read.
pub(super) const ON_ANOTHER_CORE: u64 = 1 << 20;

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
            kind: *crate::calendar::kind::ALL.get(usize::from(r.kind))?,
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
    let index = crate::calendar::index::IdIndex::from_entries(ids, sessions.len())?;
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
