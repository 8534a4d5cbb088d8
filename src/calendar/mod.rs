//! The conference programme: sessions read from iCalendar, in the zone times are shown in.
//! No terminal code lives here; the UI and the exporters borrow a [`Calendar`].

mod build;
mod contentline;
mod event;
pub mod fetch;
mod ics;
pub mod kind;
mod names;
mod recur;
pub mod source;
pub mod text;
pub mod time;
pub mod zone;

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

pub(crate) use build::fnv1a;
use build::{SessionBuilder, finish_sessions};
use event::{Event, Producer, Zones};
pub use kind::Kind;
pub use zone::ZoneSource;

/// The sessions of the bundled calendar (PyTorch Conference Europe 2026), as Sched exports them.
pub const BUNDLED: &[u8] = include_bytes!("../../assets/pytorch-conference-eu-2026.ics");
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
    index: HashMap<String, usize>,
    /// Whether the input ended as a calendar does (END:VCALENDAR), not cut short.
    complete: bool,
}

/// One session (an occurrence, for a recurring event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Stable and unique: the UID, `UID/20260407T070000Z` for an occurrence, `UID#2` for a
    /// repeated UID, or a digest of the content when there is no UID.
    pub id: String,
    /// The UID as written (empty when there is none).
    pub uid: String,
    pub title: String,
    /// The speakers as published, if any.
    pub speakers: Option<String>,
    /// Plain text, line breaks kept.
    pub description: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// A `VALUE=DATE` event.
    pub all_day: bool,
    /// Short room label (`Master Stage`).
    pub room: String,
    /// The full LOCATION.
    pub location: String,
    pub tracks: Vec<String>,
    pub url: Option<String>,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
    /// What sort of session it is (from its title's prefix, or the type a schedule states).
    pub kind: Kind,
    /// Where the title proper starts, after a type prefix (`Lightning Talk: `) that
    /// [`Kind::badge`] stands for.
    pub headline_at: usize,
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
    #[error("not an iCalendar file (it is HTML; is this a web page rather than the .ics export?)")]
    Html,
    #[error("not an iCalendar file (no BEGIN:VCALENDAR)")]
    NotICalendar,
    /// A calendar without a single session (never kept as a URL's offline copy).
    #[error("the calendar has no sessions")]
    NoSessions,
    /// A calendar cut short (never kept as a URL's offline copy).
    #[error("the calendar is cut short (no END:VCALENDAR)")]
    Truncated,
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
}

impl LoadOptions {
    pub fn new(source: impl Into<String>, zone: Option<Tz>, system_zone: Tz) -> Self {
        Self {
            source: source.into(),
            zone,
            system_zone,
        }
    }
}

impl Calendar {
    /// Reads an iCalendar file leniently, in time linear in its size. UTF-16 and UTF-32
    /// with a byte-order mark are decoded.
    ///
    /// # Errors
    /// Only when the input holds no calendar: empty, HTML, no `BEGIN:VCALENDAR`, or larger
    /// than 256 MB. Broken events are skipped with a warning instead.
    pub fn parse(bytes: &[u8], options: &LoadOptions) -> Result<Self, LoadError> {
        Self::parse_input(bytes, options).map_err(|problem| LoadError {
            source_name: options.source.clone(),
            problem,
        })
    }

    fn parse_input(bytes: &[u8], options: &LoadOptions) -> Result<Self, Problem> {
        if bytes.len() as u64 > source::MAX_INPUT {
            return Err(Problem::TooLarge);
        }
        let (decoded, undecodable) = contentline::decode_wide(bytes);
        let unfolded = contentline::Unfolded::new(&decoded);
        let raw = ics::read(&unfolded).map_err(|e| match e {
            ics::NotACalendar::Empty => Problem::Empty,
            ics::NotACalendar::Html => Problem::Html,
            ics::NotACalendar::NoVCalendar => Problem::NotICalendar,
        })?;
        let raw_complete = raw.complete;
        let calname = raw.prop("X-WR-CALNAME").map(text::unescape);
        let prodid = raw.prop("PRODID").map(text::unescape);
        let producer = Producer::from_prodid(prodid.as_deref().unwrap_or(""));
        let mut warnings = raw.warnings.clone();
        if undecodable > 0 {
            warnings.push(Warning::general(format!(
                "{undecodable} code unit(s) of UTF-16/UTF-32 could not be decoded, shown as \u{FFFD}"
            )));
        }
        let mut zones = Zones::new(&raw.timezones);

        let events = read_events(&raw, &mut zones, producer, &mut warnings);

        let calendar_tz = raw
            .props
            .iter()
            .find(|p| p.is("X-WR-TIMEZONE"))
            .and_then(|p| zones.resolve(p.value.trim(), 2000, p.line))
            .filter(|tz| !zone::is_utc(*tz));
        let mut events = events;
        let (own_zone, own_source) = match calendar_tz.or_else(|| most_used_zone(&events)) {
            Some(tz) => (Some(tz), ZoneSource::Calendar),
            None => (
                zone::infer_from_locations(
                    count_by(events.iter().map(|e| e.location.as_str())).into_iter(),
                ),
                ZoneSource::Locations,
            ),
        };
        let floating = own_zone.or(options.zone).unwrap_or(options.system_zone);
        let (zone, zone_source) = match (options.zone, own_zone) {
            (Some(tz), _) => (tz, ZoneSource::Flag),
            (None, Some(tz)) => (tz, own_source),
            (None, None) => (options.system_zone, ZoneSource::System),
        };
        warnings.append(&mut zones.warnings);

        let producer = Producer {
            bare_speaker_names: producer.bare_speaker_names
                || names::end_in_bare_names(events.iter().map(|e| e.summary.as_str())),
            ..producer
        };
        let mut builder = SessionBuilder::new(&events, producer, floating);
        builder.expand_all(&mut events, &mut warnings);
        let mut sessions = builder.sessions;
        finish_sessions(&mut sessions);

        let key = calname
            .clone()
            .or_else(|| prodid.clone())
            .unwrap_or_else(|| options.source.clone());
        let index = sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        Ok(Self {
            name: text::sanitize_line(&names::calendar_name(
                calname.as_deref(),
                prodid.as_deref(),
                &options.source,
            )),
            key,
            source: text::sanitize_line(&options.source),
            zone,
            zone_source,
            sessions,
            warnings,
            index,
            complete: raw_complete,
        })
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

    /// The session with this id.
    pub fn get(&self, id: &str) -> Option<&Session> {
        self.index.get(id).map(|&i| &self.sessions[i])
    }

    /// Position of the session with this id in [`Calendar::sessions`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// An instant in the display zone.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.zone)
    }

    /// The conference day (in the display zone) a session belongs to: the day it starts.
    pub fn day_of(&self, session: &Session) -> NaiveDate {
        self.local(session.start).date_naive()
    }

    /// The days that have sessions, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self.sessions.iter().map(|s| self.day_of(s)).collect();
        days.dedup();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// The day `spec` names: a date (`2026-04-07`), its number among the days (`1`), or a
    /// weekday (`tue`, `Tuesday`).
    ///
    /// # Errors
    /// [`NoSuchDay`], naming the days there are.
    pub fn find_day(&self, spec: &str) -> Result<NaiveDate, NoSuchDay> {
        let days = self.days();
        let spec = spec.trim();
        let found = if let Ok(date) = NaiveDate::parse_from_str(spec, "%Y-%m-%d") {
            days.contains(&date).then_some(date)
        } else if let Ok(n) = spec.parse::<usize>() {
            n.checked_sub(1).and_then(|i| days.get(i).copied())
        } else {
            let lower = spec.to_lowercase();
            let matching: Vec<NaiveDate> = days
                .iter()
                .copied()
                .filter(|d| {
                    let name = d.format("%A").to_string().to_lowercase();
                    lower.len() >= 2 && name.starts_with(&lower)
                })
                .collect();
            (matching.len() == 1).then(|| matching[0])
        };
        found.ok_or_else(|| {
            let list: Vec<String> = days
                .iter()
                .enumerate()
                .map(|(i, d)| format!("{} = {}", i + 1, d.format("%a %Y-%m-%d")))
                .collect();
            NoSuchDay {
                spec: text::sanitize_line(spec),
                days: if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                },
            }
        })
    }

    /// The rooms, busiest first (by number of sessions; then by name).
    pub fn rooms(&self) -> Vec<(&str, usize)> {
        let mut rooms = count_by(self.sessions.iter().map(|s| s.room.as_str()));
        rooms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rooms
    }
}

/// The events of `raw` read into typed values; a broken one is skipped with a warning
/// naming its line and UID.
fn read_events(
    raw: &ics::RawCalendar,
    zones: &mut Zones,
    producer: Producer,
    warnings: &mut Vec<Warning>,
) -> Vec<Event> {
    let mut events = Vec::with_capacity(raw.events.len());
    for raw_event in &raw.events {
        let props = raw.props_of(raw_event);
        match event::read_event(raw_event, props, zones, producer) {
            Ok(ev) => events.push(ev),
            Err(reason) => {
                let uid = props
                    .iter()
                    .find(|p| p.is("UID"))
                    .map(|p| format!(" {}", text::sanitize_line(p.value)))
                    .unwrap_or_default();
                warnings.push(Warning::at(
                    raw_event.line,
                    format!("event{uid} skipped: {reason}"),
                ));
            }
        }
    }
    if raw.events.is_empty() {
        warnings.push(Warning::general("the calendar has no events".into()));
    }
    let dropped: usize = events.iter().map(|e| e.dropped_categories).sum();
    if dropped > 0 {
        warnings.push(Warning::general(format!(
            "{dropped} categories ignored: an event keeps its first {}",
            event::MAX_CATEGORIES
        )));
    }
    events
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

/// The TZID most events' DTSTART use (UTC aside).
fn most_used_zone(events: &[Event]) -> Option<Tz> {
    let mut counts: HashMap<Tz, usize> = HashMap::default();
    for ev in events {
        if let time::Time::Zoned(_, tz) = ev.start
            && !zone::is_utc(tz)
        {
            *counts.entry(tz).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.name().cmp(a.0.name())))
        .map(|(tz, _)| tz)
}

#[cfg(test)]
mod tests;
