//! The conference programme: sessions read from iCalendar, a frab/Pentabarf schedule.xml or
//! a frab/pretalx schedule.json, in the zone times are shown in, grouped into conference
//! days. No terminal code lives here; the UI and the exporters borrow a [`Calendar`].

mod build;
mod contentline;
mod days;
mod event;
pub mod fetch;
mod frab;
mod frab_json;
mod frab_xml;
mod ical;
mod ics;
mod index;
pub mod kind;
mod names;
mod recur;
pub mod shared;
pub mod snapshot;
pub mod source;
pub mod text;
pub mod time;
pub mod zone;

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

pub(crate) use build::fnv1a;
pub use kind::Kind;
pub use shared::Text;
pub use zone::ZoneSource;

/// The sessions of the bundled calendar (PyTorch Conference Europe 2026), as Sched exports them.
pub const BUNDLED: &[u8] = include_bytes!("../../assets/pytorch-conference-eu-2026.ics");
/// xxh3 of [`BUNDLED`], taken by `build.rs`: the key of its snapshot, known without reading
/// the 171 KB at each start.
pub const BUNDLED_DIGEST: u64 = match u64::from_str_radix(env!("HALLWAY_BUNDLED_XXH3"), 16) {
    Ok(digest) => digest,
    Err(_) => panic!("build.rs gives the bundled calendar's digest in hexadecimal"),
};
/// How the bundled calendar is named as a source.
pub const BUNDLED_NAME: &str = "pytorch-conference-eu-2026.ics (bundled)";

/// Sessions that last this long or longer are background (registration desks, expo halls):
/// shown apart from the grid and never counted as clashes.
pub const LONG_SESSION: Duration = Duration::hours(3);

/// A conference programme.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// A human name (`PyTorch Conference Europe 2026`).
    pub name: String,
    /// What identifies this calendar across new versions of its file (X-WR-CALNAME, else
    /// PRODID, else the source).
    pub key: String,
    /// Where it was read from (a path, `-`, a URL, or the bundled file).
    pub source: String,
    /// The zone times are shown in, and why.
    pub zone: Tz,
    pub zone_source: ZoneSource,
    /// Sorted by start, then room.
    pub sessions: Vec<Session>,
    /// What was odd in the file but did not stop it loading.
    pub warnings: Vec<Warning>,
    index: index::IdIndex,
    /// Whether the input ended as a calendar does (END:VCALENDAR, `</schedule>`), not cut
    /// short.
    complete: bool,
    format: Format,
    /// The conference days a schedule lists, in order.
    schedule_days: Vec<ScheduleDay>,
    /// The rooms in the order the schedule lists them (none for iCalendar).
    room_order: Vec<String>,
    /// When one conference day gives way to the next, in the display zone.
    day_change: Option<NaiveTime>,
}

/// What a calendar was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ICalendar,
    /// frab/Pentabarf `schedule.xml`.
    ScheduleXml,
    /// frab/pretalx/c3voc `schedule.json`.
    ScheduleJson,
}

impl Format {
    /// What a whole file of this format ends with.
    fn end(self) -> &'static str {
        match self {
            Self::ICalendar => "END:VCALENDAR",
            Self::ScheduleXml => "</schedule>",
            Self::ScheduleJson => "end of the JSON",
        }
    }
}

/// A conference day as a schedule lists it: its number, its date, and when it runs (a day
/// may run past midnight: 11:00 to 04:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleDay {
    /// The schedule's `index` (`--day 2`).
    pub index: u32,
    pub date: NaiveDate,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// A link a schedule gives for a session (slides, video, chat).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub title: Text,
    pub url: Text,
}

/// One session (an occurrence, for a recurring event).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    /// Stable and unique: the UID (a schedule's guid, else its id),
    /// `UID/20260407T070000Z` for an occurrence, `UID#1a2b3c4d` (a digest of start and
    /// title) for events sharing a UID, or a digest of the content when there is no UID.
    pub id: Text,
    /// The UID (guid, id) as written (empty when there is none).
    pub uid: Text,
    pub title: Text,
    /// A schedule's subtitle (empty when none).
    pub subtitle: Text,
    /// The speakers as published, if any.
    pub speakers: Option<Text>,
    /// Plain text, line breaks kept.
    pub description: Text,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// A `VALUE=DATE` event.
    pub all_day: bool,
    /// Short room label (`Master Stage`).
    pub room: Text,
    /// The full LOCATION.
    pub location: Text,
    pub tracks: Vec<Text>,
    pub url: Option<Text>,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
    /// What sort of session it is (from its title's prefix, or the type a schedule states).
    pub kind: Kind,
    /// Where the title proper starts, after a type prefix (`Lightning Talk: `) that
    /// [`Kind::badge`] stands for.
    pub headline_at: usize,
    /// The language a schedule states (`en`), empty when none.
    pub language: Text,
    /// Links a schedule gives (slides, recordings, chat), besides [`Session::url`].
    pub links: Vec<Link>,
    /// The conference day it belongs to when that is not a matter of its start time: the
    /// `<day>` a schedule lists it under, or the date of an all-day event (a DATE belongs
    /// to no zone). `None`: see [`Calendar::day_of`].
    pub day: Option<NaiveDate>,
}

impl Session {
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// The title without its type prefix (`Lightning Talk: Why…` → `Why…`).
    pub fn headline(&self) -> &str {
        self.title.get(self.headline_at..).unwrap_or(&self.title)
    }

    /// Long-running sessions (3 hours or more) are background, not talks.
    pub fn is_background(&self) -> bool {
        self.duration() >= LONG_SESSION
    }
}

/// Something odd in the input that did not stop it loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The physical line it concerns, when there is one.
    pub line: Option<u32>,
    pub message: String,
}

impl Warning {
    pub fn at(line: u32, message: String) -> Self {
        Self {
            line: Some(line),
            message,
        }
    }

    pub fn general(message: String) -> Self {
        Self {
            line: None,
            message,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A calendar that could not be loaded: where from, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", text::sanitize_line(.source_name))]
pub struct LoadError {
    pub source_name: String,
    pub problem: Problem,
}

/// Why no calendar could be loaded. Each reads as one phrase after the source's name.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("the calendar is empty")]
    Empty,
    #[error(
        "not a calendar (it is HTML; is this a web page rather than the .ics, schedule.xml or schedule.json export?)"
    )]
    Html,
    #[error("not a calendar (iCalendar, schedule.xml or schedule.json)")]
    NotICalendar,
    /// XML or JSON that is not a frab/pretalx schedule (what it is instead).
    #[error("not a calendar: {0}")]
    NotSchedule(String),
    /// A calendar without a single session (never kept as a URL's offline copy).
    #[error("the calendar has no sessions")]
    NoSessions,
    /// A calendar cut short (never kept as a URL's offline copy): what its end lacks.
    #[error("the calendar is cut short (no {0})")]
    Truncated(&'static str),
    /// A file cut short before its first event: nothing of a programme to show.
    #[error("the file is cut short before its first event (no {0})")]
    CutBeforeEvents(&'static str),
    #[error("larger than {} MB, more than any calendar", source::MAX_INPUT >> 20)]
    TooLarge,
    #[error("standard input is a terminal; pipe a calendar in (hallway -c - < schedule.ics)")]
    Terminal,
    /// A pipe, FIFO or device that sent nothing for this long.
    #[error("nothing arrived for {}; is anything writing to it?", wait_text(*.0))]
    Stalled(std::time::Duration),
    #[error("{}", source::io_reason(.0))]
    Read(#[source] std::io::Error),
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
}

/// `30 s`, `300 ms`.
fn wait_text(wait: std::time::Duration) -> String {
    if wait.as_secs() >= 1 {
        format!("{} s", wait.as_secs())
    } else {
        format!("{} ms", wait.as_millis())
    }
}

/// A day that `--day` names but the calendar does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no day '{spec}' in this calendar (its days: {days})")]
pub struct NoSuchDay {
    /// What was asked for, cleaned for display.
    pub spec: String,
    /// The days there are: `1 = Tue 2026-04-07, 2 = Wed 2026-04-08`, or `none`.
    pub days: String,
}

/// How to read a calendar.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Named in errors and in the output.
    pub source: String,
    /// `--tz`: overrides the zone times are shown in.
    pub zone: Option<Tz>,
    /// The machine's zone, the last resort.
    pub system_zone: Tz,
    /// Where parsed snapshots of calendars are kept ([`snapshot`]); `None` reads every
    /// calendar afresh and keeps none (`--no-cache`).
    pub snapshots: Option<std::path::PathBuf>,
    /// Whether a large calendar may be read on several threads.
    parallel: bool,
}

/// iCalendar input larger than this is read on every core, in runs of events.
pub const PARALLEL_FROM: usize = 4 * 1024 * 1024;

impl LoadOptions {
    pub fn new(source: impl Into<String>, zone: Option<Tz>, system_zone: Tz) -> Self {
        Self {
            source: source.into(),
            zone,
            system_zone,
            snapshots: None,
            parallel: true,
        }
    }

    /// These options, reading on one thread whatever the size: the calendar is the same
    /// (for tests and measurements).
    #[must_use]
    pub fn single_threaded(mut self) -> Self {
        self.parallel = false;
        self
    }

    /// How many threads read an input of `size` bytes.
    fn threads(&self, size: usize) -> usize {
        if self.parallel && size > PARALLEL_FROM {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
        } else {
            1
        }
    }

    /// These options, keeping parsed snapshots in `dir`.
    #[must_use]
    pub fn with_snapshots(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.snapshots = Some(dir.into());
        self
    }
}

impl Calendar {
    /// Reads a calendar leniently, in time linear in its size: iCalendar, a frab/Pentabarf
    /// `schedule.xml` or a frab/pretalx `schedule.json`, told apart by their content (never
    /// by a file name). UTF-16 and UTF-32 with a byte-order mark are decoded.
    ///
    /// # Errors
    /// Only when the input holds no calendar: empty, HTML, none of the three formats,
    /// JSON or XML broken before any event, or larger than 256 MB. Broken events are
    /// skipped with a warning instead.
    pub fn parse(bytes: &[u8], options: &LoadOptions) -> Result<Self, LoadError> {
        Self::parse_input(bytes, options).map_err(|problem| LoadError {
            source_name: options.source.clone(),
            problem,
        })
    }

    fn parse_input(bytes: &[u8], options: &LoadOptions) -> Result<Self, Problem> {
        Self::parse_cow(std::borrow::Cow::Borrowed(bytes), options)
    }

    /// [`Calendar::parse`] of bytes it may keep: iCalendar text is then held as it is, not
    /// copied, and the sessions' text is ranges of it.
    ///
    /// # Errors
    /// As [`Calendar::parse`].
    pub fn parse_owned(bytes: Vec<u8>, options: &LoadOptions) -> Result<Self, LoadError> {
        Self::parse_owned_input(bytes, options).map_err(|problem| LoadError {
            source_name: options.source.clone(),
            problem,
        })
    }

    pub(crate) fn parse_owned_input(
        bytes: Vec<u8>,
        options: &LoadOptions,
    ) -> Result<Self, Problem> {
        Self::parse_cow(std::borrow::Cow::Owned(bytes), options)
    }

    fn parse_cow(
        bytes: std::borrow::Cow<'_, [u8]>,
        options: &LoadOptions,
    ) -> Result<Self, Problem> {
        if bytes.len() as u64 > source::MAX_INPUT {
            return Err(Problem::TooLarge);
        }
        let (decoded, undecodable) = match contentline::decode_wide(&bytes) {
            (std::borrow::Cow::Owned(wide), n) => (std::borrow::Cow::Owned(wide), n),
            (std::borrow::Cow::Borrowed(_), n) => (bytes, n),
        };
        let parsed = match sniff(&decoded) {
            Format::ICalendar => {
                let shared = contentline::Unfolded::from_cow_lazy(decoded).into_shared();
                if let Some(calendar) = read_icalendar(&shared, undecodable, options)? {
                    return Ok(calendar);
                }
                let bytes = std::borrow::Cow::Owned(shared.into_bytes());
                let shared = contentline::Unfolded::from_cow(bytes).into_shared();
                return read_icalendar(&shared, undecodable, options)?.ok_or(Problem::NotICalendar);
            }
            schedule => {
                let text = utf8(&decoded);
                let mut parsed = if schedule == Format::ScheduleXml {
                    frab_xml::read(&text)?
                } else {
                    frab_json::read(&text)?
                };
                if matches!(text, std::borrow::Cow::Owned(_)) {
                    parsed.warnings.push(Warning::general(
                        "the file is not valid UTF-8: what is not is shown as \u{FFFD}".into(),
                    ));
                }
                parsed
            }
        };
        Ok(finish(parsed, undecodable, options))
    }

    /// The bundled PyTorch Conference Europe 2026 calendar.
    pub fn bundled(zone: Option<Tz>, system_zone: Tz) -> Self {
        Self::parse(BUNDLED, &LoadOptions::new(BUNDLED_NAME, zone, system_zone))
            .expect("the bundled calendar is valid iCalendar")
    }

    /// Whether the input ended as a calendar does (with END:VCALENDAR): a download or copy
    /// cut short loads as far as it goes, but is not complete.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// What a whole file of this calendar's format ends with (`END:VCALENDAR`,
    /// `</schedule>`), for saying what a file cut short lacks.
    pub fn expected_end(&self) -> &'static str {
        self.format.end()
    }

    /// The session with this id.
    pub fn get(&self, id: &str) -> Option<&Session> {
        self.position(id).map(|i| &self.sessions[i])
    }

    /// Position of the session with this id in [`Calendar::sessions`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.find(&self.sessions, id)
    }

    /// An instant in the display zone.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.zone)
    }

    /// The conference day a session belongs to: the day a schedule lists it under, an
    /// all-day event's own date, else the day its start falls in (see
    /// [`Calendar::day_of_instant`]): a 01:30 talk after an evening programme belongs to
    /// the evening's day.
    pub fn day_of(&self, session: &Session) -> NaiveDate {
        session
            .day
            .unwrap_or_else(|| self.day_of_instant(session.start))
    }

    /// What the calendar was read from.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The days a schedule lists (none for iCalendar), in order.
    pub fn schedule_days(&self) -> &[ScheduleDay] {
        &self.schedule_days
    }

    /// The time of day, in the display zone, at which one conference day gives way to the
    /// next when that is not midnight: a schedule's `day_change` or the end of its days
    /// (04:00 at a congress), or 06:00 for an iCalendar whose evenings run past midnight.
    pub fn day_change(&self) -> Option<NaiveTime> {
        self.day_change
    }

    /// The conference day an instant falls in (for the now-line): the schedule's day that
    /// runs then, else its date in the display zone, counting the hours before the
    /// [`Calendar::day_change`] to the day before.
    pub fn day_of_instant(&self, t: DateTime<Utc>) -> NaiveDate {
        days::day_of_instant(self, t)
    }

    /// [`Calendar::day_of_instant`] of `t`, whose time in the display zone is `local` (for
    /// a caller that has it already).
    pub fn day_of_local(&self, t: DateTime<Utc>, local: NaiveDateTime) -> NaiveDate {
        days::day_of_local(self, t, local)
    }

    /// When a conference day runs: the schedule's start and end of that day when it gives
    /// them, else from its [`Calendar::day_change`] (midnight when none) to the next's.
    pub fn day_span(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        days::span(self, day)
    }

    /// Why the display zone is a guess, when it is: nothing in the calendar names a zone,
    /// a city, coordinates or an offset, and no `--tz` was given (`zone_source` is
    /// [`ZoneSource::Fallback`]). For `print` to say once on stderr and the TUI in its
    /// header: "no time zone in this calendar: times are UTC; use --tz".
    pub fn zone_note(&self) -> Option<String> {
        (self.zone_source == ZoneSource::Fallback).then(|| zone_note(self.zone))
    }

    /// The days that have sessions, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self.sessions.iter().map(|s| self.day_of(s)).collect();
        days.dedup();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// The day `spec` names: a date (`2026-04-07`, the conference day of that date), its
    /// number (`1`: the schedule's day index, else its place among the days), or a weekday
    /// (`tue`, `Tuesday`).
    ///
    /// # Errors
    /// [`NoSuchDay`], naming the days there are.
    pub fn find_day(&self, spec: &str) -> Result<NaiveDate, NoSuchDay> {
        days::find(self, spec)
    }

    /// The rooms with their numbers of sessions: in the order the schedule lists them when
    /// it does (rooms it does not list after those), else busiest first (then by name).
    pub fn rooms(&self) -> Vec<(&str, usize)> {
        let mut rooms = count_by(self.sessions.iter().map(|s| s.room.as_str()));
        let place: HashMap<&str, usize> = self
            .room_order
            .iter()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        rooms.sort_by(|a, b| {
            let at = |r: &str| place.get(r).copied().unwrap_or(usize::MAX);
            at(a.0).cmp(&at(b.0)).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0))
        });
        rooms
    }
}

/// What the calendar's bytes are: a `<schedule>` document, a JSON object, or (anything
/// else) iCalendar, which says itself when it is not one.
/// `work` done on each of `runs`, each on a thread of its own; the results in the order of
/// the runs. A panic on a thread goes on in the caller.
fn on_threads<T: Send, R: Send>(
    runs: impl Iterator<Item = T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs.map(|run| scope.spawn(move || work(run))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The calendar of the iCalendar text `shared` holds; `None` when it [may
/// fold](contentline::Unfolded::may_fold) and does.
fn read_icalendar(
    shared: &contentline::Shared,
    undecodable: usize,
    options: &LoadOptions,
) -> Result<Option<Calendar>, Problem> {
    let unfolded = shared.view();
    let threads = options.threads(shared.buffer.len());
    let Some(parsed) = ical::read(&unfolded, &shared.buffer, threads)? else {
        return Ok(None);
    };
    let calendar = finish(parsed, undecodable, options);
    if shared.buffer.len() > TRIM_FROM {
        give_back_freed_memory();
    }
    Ok(Some(calendar))
}

/// iCalendar input larger than this has the memory its events took given back to the
/// system once its sessions are made.
const TRIM_FROM: usize = 1024 * 1024;

/// Returns to the system the pages that freed small blocks leave unused in the allocator's
/// heaps (a load frees each event's text once its sessions are made: 8 MB at 100,000
/// sessions that would otherwise stay resident while the calendar is printed or its
/// snapshot written).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The calendar `parsed` makes, noting the `undecodable` code units of wide input.
fn finish(mut parsed: build::Parsed<'_>, undecodable: usize, options: &LoadOptions) -> Calendar {
    if undecodable > 0 {
        parsed.warnings.push(Warning::general(format!(
            "{undecodable} code unit(s) of UTF-16/UTF-32 could not be decoded, shown as \u{FFFD}"
        )));
    }
    build::finish(parsed, options)
}

fn sniff(bytes: &[u8]) -> Format {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    match bytes.get(start) {
        Some(b'{') => Format::ScheduleJson,
        Some(b'<') => match frab_xml::root_name(&bytes[start..]) {
            Some(root)
                if !root.eq_ignore_ascii_case("html") && bytes[start..].starts_with(b"<?xml") =>
            {
                Format::ScheduleXml
            }
            Some(root) if root.eq_ignore_ascii_case("schedule") => Format::ScheduleXml,
            _ => Format::ICalendar,
        },
        _ => Format::ICalendar,
    }
}

/// The text of decoded input, invalid UTF-8 shown as U+FFFD.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Validating is several times faster than decoding lossily; most files are valid.
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The note for a calendar shown in a zone nothing in it named.
fn zone_note(zone: Tz) -> String {
    if zone::is_utc(zone) {
        "no time zone in this calendar: times are UTC; use --tz".to_owned()
    } else {
        format!(
            "no time zone in this calendar: times are in {}, this machine's zone; use --tz",
            zone.name()
        )
    }
}

/// Distinct values with how often each occurs, in first-seen order.
fn count_by<'a>(values: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::default();
    let mut order = Vec::new();
    for v in values {
        let n = counts.entry(v).or_insert(0);
        if *n == 0 {
            order.push(v);
        }
        *n += 1;
    }
    order.into_iter().map(|v| (v, counts[v])).collect()
}

#[cfg(test)]
mod tests;
