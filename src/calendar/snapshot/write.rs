//! Writing a snapshot: the document serialized straight into the file as the sessions'
//! records are made ([`Laid`]), then the text section, then the header with its checksum.

use std::cell::RefCell;
use std::path::Path;

use chrono::Timelike as _;
use rkyv::rancor;
use rkyv::vec::{ArchivedVec, VecResolver};

use super::layout::{Laid, TooLarge, write_texts};
use super::{
    ArchivedDoc, ArchivedSessionRecord, CHECKSUM, DayRecord, FORMAT, FORMATS, HEADER, MAGIC, Span,
    Stamp, VERSION, WarningRecord, ZONE_SOURCES, date_number, index_of, instant, key_text,
};
use crate::calendar::{Calendar, LoadOptions, Session};

/// What writes a [`Doc`](super::Doc): the same fields, but the sessions' records are made as
/// they are serialized ([`Records`]) and the tracks, links and ids are serialized from where
/// they are ([`Listed`]), so none is gathered in memory first.
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
