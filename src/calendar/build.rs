//! From events to a calendar, for every format: each reader (`ical`, `frab_xml`,
//! `frab_json`) gives [`Parsed`] events; here the display zone is chosen, recurrences
//! expanded over the calendar's span (under a cap and a time budget), overrides applied,
//! text moved into place; then room labels, kinds, track names, order and unique ids once
//! all sessions are known, and the conference days.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;

use super::event::{Event, Producer};
use super::index::IdIndex;
use super::shared::Buffer;
use super::time::Time;
use super::{
    Calendar, Format, Kind, LoadOptions, ScheduleDay, Session, Text, Warning, ZoneSource, count_by,
    days, names, recur, text, time, zone,
};

/// What a reader makes of its input: events for the session builder, and what the calendar
/// says about itself.
pub(super) struct Parsed<'a> {
    pub format: Format,
    /// The text the events' borrowed text lies in, when a reader keeps it.
    pub source: Option<Arc<Buffer>>,
    /// How many threads may build sessions.
    pub threads: usize,
    /// The events, in runs (in order): each run is let go of once its sessions are made.
    pub events: Vec<Vec<Event<'a>>>,
    /// X-WR-CALNAME, or the conference's title.
    pub name: Option<String>,
    /// PRODID (iCalendar).
    pub prodid: Option<String>,
    /// What identifies the calendar across new versions of its file; else its name, else
    /// PRODID unless a generic producer's, else the source.
    pub key: Option<String>,
    pub producer: Producer,
    pub zone: ZoneHints,
    /// The days a schedule lists.
    pub days: Vec<DayDraft>,
    /// The rooms in the schedule's order.
    pub room_order: Vec<String>,
    /// Pentabarf's `day_change`: a wall-clock time in the conference's zone.
    pub day_change: Option<NaiveTime>,
    pub warnings: Vec<Warning>,
    pub complete: bool,
}

/// What a calendar says about its zone besides its events' own times.
#[derive(Debug, Default)]
pub(super) struct ZoneHints {
    /// X-WR-TIMEZONE (not UTC) or a schedule's `time_zone_name`.
    pub named: Option<Tz>,
    /// A UTC offset the schedule states (seconds east), and an instant it holds at.
    pub offset: Option<(DateTime<Utc>, i32)>,
    /// The conference's city and venue.
    pub cities: Vec<String>,
}

/// A schedule's day before the zone is known.
#[derive(Debug, Clone)]
pub(super) struct DayDraft {
    pub index: u32,
    pub date: NaiveDate,
    pub start: Option<Time>,
    pub end: Option<Time>,
}

/// The calendar `parsed` makes, shown in the zone `options` ask for or the calendar's own.
pub(super) fn finish(mut parsed: Parsed<'_>, options: &LoadOptions) -> Calendar {
    let own = own_zone(&parsed);
    let floating = own
        .map(|o| o.0)
        .or(options.zone)
        .unwrap_or(options.system_zone);
    let (zone, zone_source) = match (options.zone, own) {
        (Some(tz), _) => (tz, ZoneSource::Flag),
        (None, Some(own)) => own,
        (None, None) => (options.system_zone, ZoneSource::Fallback),
    };
    let mut warnings = std::mem::take(&mut parsed.warnings);
    let producer = Producer {
        bare_speaker_names: parsed.producer.bare_speaker_names
            || parsed.producer.split_titles
                && names::end_in_bare_names(
                    parsed
                        .events
                        .iter()
                        .flatten()
                        .filter(|e| e.attendees().is_empty())
                        .map(|e| &*e.summary),
                ),
        ..parsed.producer
    };
    let events = parsed.events;
    let mut builder = SessionBuilder::new(&events, producer, floating, parsed.source.take());
    builder.expand_all(events, &mut warnings, parsed.threads);
    let mut sessions = builder.sessions;
    let index = finish_sessions(&mut sessions, &mut warnings);
    let schedule_days: Vec<ScheduleDay> = parsed
        .days
        .iter()
        .map(|d| ScheduleDay {
            index: d.index,
            date: d.date,
            start: d.start.map(|t| t.instant(floating)),
            end: d.end.map(|t| t.instant(floating)),
        })
        .collect();
    let day_change = match parsed.format {
        Format::ICalendar => days::infer_day_change(&sessions, zone),
        Format::ScheduleXml | Format::ScheduleJson => {
            days::schedule_day_change(parsed.day_change, &schedule_days, floating, zone)
        }
    };
    let key = parsed
        .key
        .clone()
        .or_else(|| parsed.name.clone())
        .or_else(|| {
            parsed
                .prodid
                .clone()
                .filter(|p| !super::ical::is_generic_prodid(p))
        })
        .unwrap_or_else(|| options.source.clone());
    let index = index.unwrap_or_else(|| IdIndex::new(&sessions));
    Calendar {
        name: text::sanitize_line(&names::calendar_name(
            parsed.name.as_deref(),
            parsed.prodid.as_deref(),
            &options.source,
        )),
        key,
        source: text::sanitize_line(&options.source),
        zone,
        zone_source,
        sessions,
        warnings,
        index,
        complete: parsed.complete,
        format: parsed.format,
        schedule_days,
        room_order: parsed.room_order,
        day_change,
    }
}

/// The calendar's own zone and why: a zone it names; the zone most events' times name;
/// the city of a schedule (agreeing with the offsets its times state); a city its locations
/// name; its events' coordinates; a city its name names; the fixed offset its times state.
fn own_zone(parsed: &Parsed<'_>) -> Option<(Tz, ZoneSource)> {
    let fits = |tz: &Tz| {
        parsed
            .zone
            .offset
            .is_none_or(|(at, offset)| zone::has_offset(*tz, at, offset))
    };
    let events = || parsed.events.iter().flatten();
    if let Some(tz) = parsed.zone.named.or_else(|| most_used_zone(events())) {
        return Some((tz, ZoneSource::Calendar));
    }
    let found = [
        (
            parsed
                .zone
                .cities
                .iter()
                .find_map(|c| zone::by_city(c).or_else(|| zone::city_in_name(c)))
                .filter(fits),
            ZoneSource::City,
        ),
        (
            zone::infer_from_locations(count_by(events().map(|e| &*e.location)).into_iter())
                .filter(fits),
            ZoneSource::Locations,
        ),
        (
            zone::by_coordinates(events().filter_map(Event::geo)).filter(fits),
            ZoneSource::Coordinates,
        ),
        (
            parsed
                .name
                .as_deref()
                .and_then(zone::city_in_name)
                .filter(fits),
            ZoneSource::Name,
        ),
    ];
    found
        .into_iter()
        .find_map(|(tz, source)| tz.map(|tz| (tz, source)))
        .or_else(|| {
            let (_, offset) = parsed.zone.offset?;
            Some((zone::fixed_offset(offset)?, ZoneSource::Offset))
        })
}

/// The TZID most events' DTSTART use (UTC aside).
fn most_used_zone<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> Option<Tz> {
    let mut counts: HashMap<Tz, usize> = HashMap::default();
    for ev in events {
        if let Time::Zoned(_, tz) = ev.start
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

/// Most occurrences all recurring events together may produce.
const MAX_TOTAL_OCCURRENCES: usize = 50_000;
/// Most bytes of text recurrence may copy in all (each occurrence beyond the first repeats
/// its event's title, description, location, URL and tracks): a long description on a rule
/// with a thousand occurrences must not multiply into gigabytes.
const MAX_COPIED_TEXT: usize = 64 * 1024 * 1024;
/// Unbounded rules are never expanded further than this past the calendar's first event.
const MAX_SPAN: Duration = Duration::days(400);
/// Wall-clock time recurrence expansion may take in all. A rule that never matches costs
/// the `rrule` crate 100,000 iterations (about 15 ms in release); a file of such rules must
/// not hang the load. Real calendars need a few milliseconds.
const EXPANSION_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// What recurrence expansion may still spend.
struct Budget {
    occurrences: usize,
    copied_text: usize,
    deadline: std::time::Instant,
}

/// Turns events into sessions: expands recurrences inside the calendar's span, applies
/// RECURRENCE-ID overrides, and fills in the text fields.
pub(super) struct SessionBuilder {
    producer: Producer,
    floating: Tz,
    /// The occurrence keys of every override, by UID, so the master's occurrence gives way.
    overridden: HashMap<String, HashSet<String>>,
    /// The buffer events borrow their text from: such text becomes a range of it.
    source: Option<Arc<Buffer>>,
    pub(super) sessions: Vec<Session>,
}

/// Most "events share UID" warnings given one by one; more are counted in one.
const SHARED_UID_WARNINGS: usize = 5;

impl SessionBuilder {
    pub(super) fn new(
        events: &[Vec<Event<'_>>],
        producer: Producer,
        floating: Tz,
        source: Option<Arc<Buffer>>,
    ) -> Self {
        let mut overridden: HashMap<String, HashSet<String>> = HashMap::default();
        for ev in events.iter().flatten() {
            if let (Some(rid), Some(uid)) = (ev.recurrence_id(), &ev.uid) {
                overridden
                    .entry(uid.to_string())
                    .or_default()
                    .insert(recur::occurrence_key(rid, floating));
            }
        }
        Self {
            producer,
            floating,
            overridden,
            source,
            sessions: Vec::new(),
        }
    }

    /// Makes the sessions of all `events` (in runs), letting go of them; when every event
    /// is single (the usual case), run by run on `threads` threads, each run let go of once
    /// its sessions are made, so that the events and the sessions are never all held at once.
    pub(super) fn expand_all(
        &mut self,
        runs: Vec<Vec<Event<'_>>>,
        warnings: &mut Vec<Warning>,
        threads: usize,
    ) {
        if runs.iter().flatten().all(is_single) {
            self.sessions = self.make_runs(runs, threads);
            return;
        }
        let mut events: Vec<Event<'_>> = runs.into_iter().flatten().collect();
        let floating = self.floating;
        let far = |ev: &Event<'_>| ev.start.instant(floating) + Duration::days(366 * 100);
        // The calendar's span runs from the first DTSTART to the last end of any event's first
        // occurrence, or of any rule that ends by itself; unbounded rules are expanded over it.
        let span_start = events.iter().map(|e| e.start.instant(floating)).min();
        let mut span_end = events
            .iter()
            .map(|e| e.start.instant(floating) + e.length(floating))
            .max();
        let mut budget = Budget {
            occurrences: MAX_TOTAL_OCCURRENCES,
            copied_text: MAX_COPIED_TEXT,
            deadline: std::time::Instant::now() + EXPANSION_TIME,
        };
        let runs = self.make_singles(&mut events, threads);
        self.sessions.reserve(events.len());
        let mut made = runs.into_iter().flatten();
        let mut unbounded = Vec::new();
        for ev in &mut events {
            if is_single(ev) {
                match made.next() {
                    Some(session) => self.sessions.push(session),
                    None => self.push_single(ev),
                }
            } else if recur::is_bounded(ev) {
                let last = self.push_expanded(ev, far(ev), &mut budget, warnings);
                span_end = span_end.max(last);
            } else {
                unbounded.push(ev);
            }
        }
        let horizon = match (span_start, span_end) {
            (Some(start), Some(end)) if end > start => end.min(start + MAX_SPAN),
            (Some(start), _) => start + Duration::days(365),
            _ => return,
        };
        for ev in unbounded {
            self.push_expanded(ev, horizon, &mut budget, warnings);
        }
    }

    /// The sessions of `runs` of single events, in order: each share of the runs on a
    /// thread of its own, the first straight into the sessions, whose room is reserved
    /// (and taken up only as they are made, while the events are let go of); the others
    /// run by run, each run's sessions moved into place and let go of in turn, so that no
    /// share is held twice. The text each run's events cannot borrow from the source goes
    /// in one buffer for the run.
    fn make_runs(&self, runs: Vec<Vec<Event<'_>>>, threads: usize) -> Vec<Session> {
        let count: usize = runs.iter().map(Vec::len).sum();
        let build = |share: Vec<Vec<Event<'_>>>, out: &mut Vec<Session>| {
            for mut run in share {
                self.make_run(&mut run, out);
            }
        };
        let mut sessions = Vec::with_capacity(count);
        let mut shares = super::ical::split(runs, threads.max(1)).into_iter();
        let first = shares.next().unwrap_or_default();
        if shares.len() == 0 {
            build(first, &mut sessions);
            return sessions;
        }
        let build = &build;
        std::thread::scope(|scope| {
            let others: Vec<_> = shares
                .map(|share| {
                    scope.spawn(move || {
                        let mut made = Vec::with_capacity(share.len());
                        for run in share {
                            let mut out = Vec::with_capacity(run.len());
                            build(vec![run], &mut out);
                            made.push(out);
                        }
                        made
                    })
                })
                .collect();
            build(first, &mut sessions);
            for other in others {
                let made = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                for run in made {
                    sessions.extend(run);
                }
            }
            sessions
        })
    }

    /// The sessions of `run`, single events, pushed on `out`: what their text needs of its
    /// own (unescaped, joined) in one buffer for the run.
    fn make_run(&self, run: &mut [Event<'_>], out: &mut Vec<Session>) {
        let mut gather = Gather::new(self.source.as_ref(), run.iter());
        let prepared: Vec<Prepared> = run.iter().map(|ev| self.prepare(ev, &mut gather)).collect();
        let own = gather.finish();
        for (ev, prepared) in run.iter_mut().zip(prepared) {
            let start = self.single_start(ev);
            self.emit(ev, prepared, own.as_ref(), vec![start], out);
        }
    }

    /// The sessions of the single events, made on `threads` threads, in order; nothing on
    /// one thread (they are made in turn).
    fn make_singles(&self, events: &mut [Event<'_>], threads: usize) -> Vec<Vec<Session>> {
        if threads < 2 || events.len() < threads {
            return Vec::new();
        }
        let run = events.len().div_ceil(threads);
        super::on_threads(events.chunks_mut(run), |run| {
            let mut made = Vec::with_capacity(run.len());
            for ev in run.iter_mut().filter(|ev| is_single(ev)) {
                self.make(ev, vec![self.single_start(ev)], &mut made);
            }
            made
        })
    }

    /// When a single event starts, and the occurrence it overrides.
    fn single_start(&self, ev: &Event<'_>) -> (DateTime<Utc>, Option<String>) {
        let start = ev.start.instant(self.floating);
        let key = ev
            .recurrence_id()
            .map(|rid| recur::occurrence_key(rid, self.floating));
        (start, key)
    }

    fn push_single(&mut self, ev: &mut Event<'_>) {
        let start = self.single_start(ev);
        self.push_all(ev, vec![start]);
    }

    /// Pushes the occurrences of a recurring event; returns the end of the last.
    fn push_expanded(
        &mut self,
        ev: &mut Event<'_>,
        until: DateTime<Utc>,
        budget: &mut Budget,
        warnings: &mut Vec<Warning>,
    ) -> Option<DateTime<Utc>> {
        let uid = ev.uid.as_deref().unwrap_or("event");
        let first_only = |why: String| {
            Warning::at(
                ev.line,
                format!(
                    "event {}: only its first occurrence is shown: {why}",
                    text::sanitize_line(uid)
                ),
            )
        };
        let mut expansion =
            if budget.occurrences == 0 || std::time::Instant::now() > budget.deadline {
                let why = if budget.occurrences == 0 {
                    format!("the calendar already has {MAX_TOTAL_OCCURRENCES} occurrences")
                } else {
                    "expanding recurrences took too long".to_owned()
                };
                warnings.push(first_only(why));
                let start = ev.start.instant(self.floating);
                recur::Expansion {
                    starts: vec![(start, recur::occurrence_key(ev.start, self.floating))],
                    truncated: false,
                    error: None,
                }
            } else {
                recur::expand(ev, self.floating, until)
            };
        if let Some(error) = &expansion.error {
            warnings.push(Warning::at(
                ev.line,
                format!("event {}: {error}", text::sanitize_line(uid)),
            ));
        }
        if expansion.truncated {
            warnings.push(Warning::at(
                ev.line,
                format!(
                    "event {}: recurrence cut after {} occurrences",
                    text::sanitize_line(uid),
                    recur::MAX_OCCURRENCES
                ),
            ));
        }
        let copies = expansion.starts.len().saturating_sub(1);
        let text = text_size(ev).max(1);
        let affordable = budget.copied_text / text;
        if copies > affordable {
            warnings.push(Warning::at(
                ev.line,
                format!(
                    "event {}: only {} of its {} occurrences are shown: its text is too long to repeat more",
                    text::sanitize_line(uid),
                    affordable + 1,
                    copies + 1
                ),
            ));
            expansion.starts.truncate(affordable + 1);
        }
        budget.copied_text -= text * expansion.starts.len().saturating_sub(1);
        budget.occurrences = budget.occurrences.saturating_sub(expansion.starts.len());
        let length = ev.length(self.floating);
        let last = expansion.starts.last().map(|(start, _)| *start + length);
        let overridden = ev.uid.as_deref().and_then(|uid| self.overridden.get(uid));
        let occurrences: Vec<(DateTime<Utc>, Option<String>)> = expansion
            .starts
            .into_iter()
            .filter(|(_, key)| overridden.is_none_or(|keys| !keys.contains(key)))
            .map(|(start, key)| (start, Some(key)))
            .collect();
        self.push_all(ev, occurrences);
        last
    }

    /// Adds the occurrences of `ev` that start at these instants (with the key each is
    /// named by); they share its text.
    fn push_all(&mut self, ev: &mut Event<'_>, occurrences: Vec<(DateTime<Utc>, Option<String>)>) {
        let mut sessions = std::mem::take(&mut self.sessions);
        self.make(ev, occurrences, &mut sessions);
        self.sessions = sessions;
    }

    /// The sessions of [`SessionBuilder::push_all`], pushed on `out`.
    fn make(
        &self,
        ev: &mut Event<'_>,
        occurrences: Vec<(DateTime<Utc>, Option<String>)>,
        out: &mut Vec<Session>,
    ) {
        let mut gather = Gather::new(self.source.as_ref(), std::iter::once(&*ev));
        let prepared = self.prepare(ev, &mut gather);
        let own = gather.finish();
        self.emit(ev, prepared, own.as_ref(), occurrences, out);
    }

    /// The text of `ev`'s sessions, gathered (see [`Gather`]), and its kind as its title
    /// tells.
    fn prepare<'e>(&self, ev: &'e Event<'_>, gather: &mut Gather<'_, 'e>) -> Prepared {
        // Speakers the file names win over a title's tail.
        let (title, speakers) = if ev.attendees().is_empty() && self.producer.split_titles {
            names::split_title(&ev.summary, self.producer.bare_speaker_names)
        } else {
            (ev.summary.trim(), None)
        };
        let (classified, headline_at) = super::kind::classify(title);
        let title = if title.is_empty() {
            Piece::Ready(Text::from_static("(untitled)"))
        } else {
            gather.add(title)
        };
        let speakers = if ev.attendees().is_empty() {
            speakers.map(|s| gather.add(s))
        } else {
            Some(gather.add(&ev.attendees().join(", ")))
        };
        Prepared {
            title,
            speakers,
            uid: ev.uid.as_deref().map(|uid| gather.add(uid)),
            description: gather.add(&ev.description),
            location: gather.add_shared(&ev.location),
            tracks: ev.categories.iter().map(|c| gather.add_shared(c)).collect(),
            url: ev.url.as_deref().map(|u| gather.add(u)),
            classified,
            headline_at,
        }
    }

    /// The sessions of `ev` that start at `occurrences`, from its `prepared` text, whose
    /// own pieces lie in `own`; pushed on `out`. The event's text is let go of.
    fn emit(
        &self,
        ev: &mut Event<'_>,
        prepared: Prepared,
        own: Option<&Arc<Buffer>>,
        occurrences: Vec<(DateTime<Utc>, Option<String>)>,
        out: &mut Vec<Session>,
    ) {
        let text = |piece: Piece| match piece {
            Piece::Ready(text) => text,
            Piece::Own(start, len) => own.map(|b| b.text(start, len)).unwrap_or_default(),
        };
        let Prepared {
            classified,
            headline_at,
            ..
        } = prepared;
        let title = text(prepared.title);
        let speakers = prepared.speakers.map(text);
        let uid = prepared.uid.map(text).unwrap_or_default();
        let description = text(prepared.description);
        let location = text(prepared.location);
        let tracks: Vec<Text> = prepared.tracks.into_iter().map(text).collect();
        let url = prepared.url.map(text);
        let base = if uid.is_empty() {
            Text::from(content_id(ev))
        } else {
            uid.clone()
        };
        ev.forget_text();
        let from_schedule = ev.is_from_schedule();
        let schedule = ev.take_schedule().unwrap_or_default();
        // A type the schedule states decides over the title's words; a prefix the title
        // keeps then stays in the title.
        let (kind, headline_at) = match schedule.kind {
            Some(Kind::Other) if classified != Kind::Talk => (classified, headline_at),
            Some(stated) if stated == classified => (stated, headline_at),
            Some(stated) => (stated, 0),
            None => (classified, headline_at),
        };
        let room = if schedule.room.is_empty() && from_schedule {
            Text::from_static(names::NO_ROOM)
        } else {
            Text::from(schedule.room)
        };
        let mut links = schedule.links;
        let subtitle = Text::from(schedule.subtitle);
        let language = Text::from(schedule.language);
        let listed_day = from_schedule.then_some(schedule.day);
        let length = ev.length(self.floating);
        let whole_days = (length.num_hours() + 12) / 24;
        let count = occurrences.len();
        for (i, (start, occurrence)) in occurrences.into_iter().enumerate() {
            let last = i + 1 == count;
            let id = match occurrence {
                Some(key) => Text::from(format!("{base}/{key}")),
                None => base.clone(),
            };
            let end = if ev.start.is_date() {
                // Whole days stay whole days across a daylight-saving change.
                let local_start = start.with_timezone(&self.floating).date_naive();
                let local_end = local_start + Duration::days(whole_days.max(1));
                time::local_to_utc(local_end.and_time(chrono::NaiveTime::MIN), self.floating)
            } else {
                start + length
            };
            let all_day = ev.start.is_date();
            out.push(Session {
                id,
                uid: uid.clone(),
                title: title.clone(),
                subtitle: subtitle.clone(),
                speakers: speakers.clone(),
                description: description.clone(),
                start,
                end,
                all_day,
                room: room.clone(),
                location: location.clone(),
                tracks: tracks.clone(),
                url: url.clone(),
                cancelled: ev.cancelled,
                kind,
                headline_at,
                language: language.clone(),
                links: take(&mut links, last),
                day: if all_day {
                    Some(start.with_timezone(&self.floating).date_naive())
                } else {
                    listed_day
                },
            });
        }
    }
}

/// The text of the sessions of one event or a run of them: ranges of the source where it
/// lies there; the rest copied into one buffer of their own, one allocation rather than one
/// a field or an event. A location or track the run repeats is one text for all its
/// sessions, so the calendar's rooms and tracks are made out without reading each
/// session's ([`finish_sessions`]).
struct Gather<'s, 'e> {
    source: Option<&'s Arc<Buffer>>,
    own: String,
    shared: HashMap<&'e str, Piece>,
}

/// A text of [`Gather`]: made, or a range of the own buffer.
#[derive(Clone)]
enum Piece {
    Ready(Text),
    Own(u32, u32),
}

/// An event's text, gathered, and its kind as its title tells.
struct Prepared {
    title: Piece,
    speakers: Option<Piece>,
    uid: Option<Piece>,
    description: Piece,
    location: Piece,
    tracks: Vec<Piece>,
    url: Option<Piece>,
    classified: Kind,
    headline_at: usize,
}

impl<'s, 'e> Gather<'s, 'e> {
    fn new<'a: 'e>(
        source: Option<&'s Arc<Buffer>>,
        events: impl Iterator<Item = &'e Event<'a>>,
    ) -> Self {
        let owned = |text: &Cow<'_, str>| match text {
            Cow::Owned(own) => own.len(),
            Cow::Borrowed(_) => 0,
        };
        let capacity = events
            .map(|ev| {
                owned(&ev.summary)
                    + owned(&ev.description)
                    + owned(&ev.location)
                    + ev.uid.as_ref().map_or(0, owned)
                    + ev.url.as_ref().map_or(0, owned)
                    + ev.categories.iter().map(owned).sum::<usize>()
            })
            .sum();
        Self {
            source,
            own: String::with_capacity(capacity),
            shared: HashMap::default(),
        }
    }

    /// [`Gather::add`] of a text the run's events may repeat (a location, a track): the
    /// same piece for each.
    fn add_shared(&mut self, part: &'e str) -> Piece {
        if let Some(piece) = self.shared.get(part) {
            return piece.clone();
        }
        let piece = self.add(part);
        self.shared.insert(part, piece.clone());
        piece
    }

    fn add(&mut self, part: &str) -> Piece {
        if part.is_empty() {
            return Piece::Ready(Text::default());
        }
        if let Some(shared) = self.source.and_then(|s| s.range_of(part)) {
            return Piece::Ready(shared);
        }
        match (u32::try_from(self.own.len()), u32::try_from(part.len())) {
            (Ok(start), Ok(len)) if u32::try_from(self.own.len() + part.len()).is_ok() => {
                self.own.push_str(part);
                Piece::Own(start, len)
            }
            _ => Piece::Ready(Text::from(part)),
        }
    }

    /// The buffer the [`Piece::Own`] texts are ranges of (none when there are none).
    fn finish(self) -> Option<Arc<Buffer>> {
        (!self.own.is_empty()).then(|| Buffer::new(self.own))
    }
}

/// Whether `ev` makes one session: it does not recur, or overrides one occurrence.
fn is_single(ev: &Event<'_>) -> bool {
    ev.recurrence_id().is_some() || !ev.is_recurring()
}

/// The bytes of text each occurrence of `ev` carries.
fn text_size(ev: &Event<'_>) -> usize {
    ev.summary.len()
        + ev.description.len()
        + ev.location.len()
        + ev.url.as_ref().map_or(0, |u| u.len())
        + ev.categories.iter().map(|c| c.len()).sum::<usize>()
        + ev.attendees().iter().map(String::len).sum::<usize>()
}

/// The value of `field`: moved out on its `last` use, else copied.
fn take<T: Clone + Default>(field: &mut T, last: bool) -> T {
    if last {
        std::mem::take(field)
    } else {
        field.clone()
    }
}

/// A stable id for an event with no UID: a digest of its start, title and location.
fn content_id(ev: &Event<'_>) -> String {
    let start = recur::occurrence_key(ev.start, chrono_tz::UTC);
    let text = format!("{start}\u{0}{}\u{0}{}", ev.summary, ev.location);
    format!("nouid-{:016x}", fnv1a(text.as_bytes()))
}

/// FNV-1a, 64 bits: a digest that, unlike std's hasher, is fixed across Rust versions.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Room labels, track names, order and unique ids, once all sessions are known.
/// Sessions a schedule gave a room keep it; the others are labelled from their locations.
/// The index of the sessions' ids, when the usual case made it on the way (no id repeats).
pub(super) fn finish_sessions(
    sessions: &mut [Session],
    warnings: &mut Vec<Warning>,
) -> Option<IdIndex> {
    // One text per label, shared by the sessions in that room.
    let labels: HashMap<String, Text> = {
        let locations = count_texts(
            sessions
                .iter()
                .filter(|s| s.room.is_empty())
                .map(|s| &s.location),
        );
        names::room_labels(&locations)
            .into_iter()
            .map(|(loc, label)| {
                let label = if label.is_empty() {
                    Text::from_static(names::NO_ROOM)
                } else {
                    Text::from(label)
                };
                (loc.to_owned(), label)
            })
            .collect()
    };
    let mut rooms = ByIdentity::default();
    for s in sessions.iter_mut().filter(|s| s.room.is_empty()) {
        s.room = rooms
            .get_or_insert_with(&s.location, |location| {
                labels
                    .get(location.as_str())
                    .cloned()
                    .unwrap_or(Text::from_static(names::NO_ROOM))
            })
            .clone();
    }
    drop(rooms);
    intern_locations(sessions);
    title_case_tracks(sessions);
    // The ids' digests for the index are taken in the order the ids lie in the source
    // (they are read faster so), and carried to the sessions' places after the sort.
    let digests = IdIndex::digests(sessions);
    let index = sort_sessions(sessions).map(|place| IdIndex::of_digests(&digests, &place));
    drop(digests);
    let unique = match &index {
        Some(index) => !index.repeats(sessions),
        None => repeated(sessions).0.is_empty(),
    };
    if unique {
        return index;
    }
    drop(index);
    name_shared_uids(sessions, warnings);
    for (i, id) in unique_ids(sessions) {
        sessions[i].id = id.into();
    }
    None
}

/// Sorts by start, room, title and id, keeping the order of equals: an order of indices is
/// sorted, then the sessions are moved along its cycles, each once, instead of the sort
/// moving whole sessions at every step. Where each session went, by its place before.
fn sort_sessions(sessions: &mut [Session]) -> Option<Vec<u32>> {
    let Ok(n) = u32::try_from(sessions.len()) else {
        sessions.sort_by(compare_sessions);
        return None;
    };
    // By start and room first, from compact keys read in one pass in the sessions' order
    // (a room's rank among the rooms' names, each distinct room text read once); only
    // sessions that start together in the same room are compared whole.
    let rooms = room_ranks(sessions);
    let mut keys: Vec<(i64, u32, u32)> = (0..n)
        .map(|i| {
            let start = sessions[i as usize].start;
            (start.timestamp(), start.timestamp_subsec_nanos(), i)
        })
        .collect();
    // Room ranks are looked up rather than kept in the keys: four bytes a session less.
    let when_and_where = |&(at, nanos, i): &(i64, u32, u32)| (at, nanos, rooms[i as usize]);
    keys.sort_unstable_by_key(|k| (when_and_where(k), k.2));
    let mut order: Vec<u32> = keys.iter().map(|&(.., i)| i).collect();
    let mut at = 0;
    for together in keys.chunk_by(|a, b| when_and_where(a) == when_and_where(b)) {
        let run = &mut order[at..at + together.len()];
        if run.len() > 1 {
            run.sort_by(|&a, &b| compare_sessions(&sessions[a as usize], &sessions[b as usize]));
        }
        at += together.len();
    }
    drop(keys);
    // The ranks' room serves for where each session goes.
    let mut place = rooms;
    for (to, &from) in (0..n).zip(&order) {
        place[from as usize] = to;
    }
    for start in 0..sessions.len() {
        let mut at = start;
        while order[at] as usize != at {
            let next = order[at] as usize;
            // `at` is placed: it holds what `next` held; mark it done.
            order[at] = u32::try_from(at).unwrap_or(u32::MAX);
            if next == start {
                break;
            }
            sessions.swap(at, next);
            at = next;
        }
    }
    Some(place)
}

/// Each session's room's place among the rooms' names in order (equal names, equal places).
fn room_ranks(sessions: &[Session]) -> Vec<u32> {
    let mut distinct: Vec<&Text> = Vec::new();
    let mut slots = ByIdentity::default();
    let slot_of: Vec<u32> = sessions
        .iter()
        .map(|s| {
            *slots.get_or_insert_with(&s.room, |_| {
                distinct.push(&s.room);
                u32::try_from(distinct.len() - 1).unwrap_or(u32::MAX)
            })
        })
        .collect();
    drop(slots);
    let mut by_name: Vec<usize> = (0..distinct.len()).collect();
    by_name.sort_by(|&a, &b| distinct[a].cmp(distinct[b]));
    let mut rank_of = vec![0u32; distinct.len()];
    let mut rank = 0u32;
    for (i, pair) in by_name.iter().enumerate() {
        if i > 0 && distinct[by_name[i - 1]] != distinct[*pair] {
            rank += 1;
        }
        rank_of[*pair] = rank;
    }
    slot_of
        .into_iter()
        .map(|slot| rank_of.get(slot as usize).copied().unwrap_or(u32::MAX))
        .collect()
}

fn compare_sessions(a: &Session, b: &Session) -> std::cmp::Ordering {
    a.start
        .cmp(&b.start)
        .then_with(|| a.room.cmp(&b.room))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}

/// One text for each location, shared by the sessions held there.
fn intern_locations(sessions: &mut [Session]) {
    let mut seen: HashMap<Text, Text> = HashMap::default();
    let mut by_identity = ByIdentity::default();
    for s in sessions.iter_mut() {
        let shared = by_identity.get_or_insert_with(&s.location, |location| {
            seen.entry(location.clone())
                .or_insert_with(|| location.clone())
                .clone()
        });
        s.location.clone_from(shared);
    }
}

/// Values for texts, found by a text's identity ([`Text::identity`]) before its value: a
/// text that sessions share (their run's location or track, see [`Gather::add_shared`])
/// is read once, not once a session. The map holds each key's text, so no identity in it
/// can come back as another text's while it lives.
struct ByIdentity<V>(HashMap<(usize, u32, u32), (Text, V)>);

impl<V> Default for ByIdentity<V> {
    fn default() -> Self {
        Self(HashMap::default())
    }
}

impl<V> ByIdentity<V> {
    /// The value for `text`, made by `make` the first time its identity is met.
    fn get_or_insert_with(&mut self, text: &Text, make: impl FnOnce(&Text) -> V) -> &V {
        &self
            .0
            .entry(text.identity())
            .or_insert_with(|| (text.clone(), make(text)))
            .1
    }
}

/// [`count_by`] of `texts`' values, reading each distinct text (by identity) once.
fn count_texts<'s>(texts: impl Iterator<Item = &'s Text>) -> Vec<(&'s str, usize)> {
    let mut order: Vec<(&'s str, usize)> = Vec::new();
    let mut slots = ByIdentity::default();
    for text in texts {
        let slot = *slots.get_or_insert_with(text, |_| {
            order.push((text.as_str(), 0));
            order.len() - 1
        });
        order[slot].1 += 1;
    }
    // Identities in the order first met hold their values in the order first met.
    let mut counts: Vec<(&'s str, usize)> = Vec::with_capacity(order.len());
    let mut at: HashMap<&'s str, usize> = HashMap::default();
    for (value, n) in order {
        if let Some(&i) = at.get(value) {
            counts[i].1 += n;
        } else {
            at.insert(value, counts.len());
            counts.push((value, n));
        }
    }
    counts
}

/// The sessions whose id an earlier one already has, and the set of ids (one pass; the
/// usual calendar has none).
fn repeated(sessions: &[Session]) -> (Vec<usize>, HashSet<&str>) {
    let mut own: HashSet<&str> =
        HashSet::with_capacity_and_hasher(sessions.len(), rustc_hash::FxBuildHasher);
    let repeats = (0..sessions.len())
        .filter(|&i| !own.insert(&sessions[i].id))
        .collect();
    (repeats, own)
}

/// Sessions that share a UID as single events (not occurrences of one) are named by the
/// UID and a digest of their start and title (`46939#1a2b3c4d`), so each keeps its id, and
/// its stars, when the others move or leave; each shared UID is warned about once.
fn name_shared_uids(sessions: &mut [Session], warnings: &mut Vec<Warning>) {
    let (repeats, _) = repeated(sessions);
    let shared: HashSet<Text> = repeats
        .into_iter()
        .filter(|&i| sessions[i].id == sessions[i].uid)
        .map(|i| sessions[i].uid.clone())
        .collect();
    let mut counts: HashMap<Text, usize> = HashMap::default();
    let mut order = Vec::new();
    for s in sessions
        .iter_mut()
        .filter(|s| s.id == s.uid && shared.contains(&s.uid))
    {
        let n = counts.entry(s.uid.clone()).or_insert(0);
        if *n == 0 {
            order.push(s.uid.clone());
        }
        *n += 1;
        let text = format!("{}\u{0}{}", time::utc_stamp(s.start), s.title);
        s.id = format!("{}#{:08x}", s.uid, fnv1a(text.as_bytes()) >> 32).into();
    }
    for uid in order.iter().take(SHARED_UID_WARNINGS) {
        warnings.push(Warning::general(format!(
            "{} events share UID {}: each is named by its start and title",
            counts[uid],
            text::sanitize_line(uid)
        )));
    }
    if order.len() > SHARED_UID_WARNINGS {
        warnings.push(Warning::general(format!(
            "… and {} more UIDs shared by several events",
            order.len() - SHARED_UID_WARNINGS
        )));
    }
}

/// New ids for the sessions whose id an earlier one already has (a repeated UID, or a UID
/// that looks like another's occurrence): `id#2`, `id#3` … skipping any that is some
/// session's own id, so ids are unique by construction (UIDs `dup`, `dup`, `dup#2` give
/// `dup`, `dup#3`, `dup#2`).
fn unique_ids(sessions: &[Session]) -> Vec<(usize, String)> {
    let (repeats, own) = repeated(sessions);
    let mut given: HashSet<String> = HashSet::default();
    let mut next: HashMap<&str, usize> = HashMap::default();
    let mut renamed = Vec::new();
    for i in repeats {
        let s = &sessions[i];
        let n = next.entry(&s.id).or_insert(2);
        loop {
            let candidate = format!("{}#{n}", s.id);
            *n += 1;
            if !own.contains(candidate.as_str()) && given.insert(candidate.clone()) {
                renamed.push((i, candidate));
                break;
            }
        }
    }
    renamed
}

/// Capitals-only track names in title case, when most of the calendar's tracks shout so
/// (Sched), spelling words as the titles do; a one-word track of up to five letters is an
/// acronym (`HPC`) and stays. Where most tracks are in mixed case, one in capitals (`CCC`)
/// is written so on purpose and stays. One text for each track name, shared by its
/// sessions.
fn title_case_tracks(sessions: &mut [Session]) {
    let mut by_identity = ByIdentity::default();
    for track in sessions.iter().flat_map(|s| &s.tracks) {
        by_identity.get_or_insert_with(track, |_| ());
    }
    let distinct: HashSet<&str> = by_identity.0.values().map(|(t, ())| t.as_str()).collect();
    let capitals = distinct
        .iter()
        .filter(|t| text::is_all_caps(t) && !is_acronym(t))
        .count();
    let mixed = distinct
        .iter()
        .filter(|t| t.chars().any(char::is_lowercase))
        .count();
    // Still one pass below when nothing is renamed: it shares each name's text.
    let shouting = |t: &str| capitals > mixed && text::is_all_caps(t) && !is_acronym(t);
    let wanted: HashSet<String> = distinct
        .into_iter()
        .filter(|t| shouting(t))
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut spelling: HashMap<String, String> = HashMap::default();
    if !wanted.is_empty() {
        for s in sessions.iter().filter(|s| may_spell_irregularly(&s.title)) {
            for word in s.title.split(|c: char| !c.is_alphanumeric()) {
                let irregular = word.chars().skip(1).any(char::is_uppercase);
                if irregular {
                    let lower = word.to_lowercase();
                    if wanted.contains(&lower) && !spelling.contains_key(&lower) {
                        spelling.insert(lower, word.to_owned());
                    }
                }
            }
        }
    }
    let mut names: HashMap<Text, Text> = HashMap::default();
    let mut by_identity = ByIdentity::default();
    for s in sessions.iter_mut() {
        for track in &mut s.tracks {
            let name = by_identity.get_or_insert_with(track, |track| {
                names
                    .entry(track.clone())
                    .or_insert_with(|| {
                        if shouting(track) {
                            Text::from(text::title_case(track, |w| spelling.get(w).cloned()))
                        } else {
                            track.clone()
                        }
                    })
                    .clone()
            });
            track.clone_from(name);
        }
        if s.tracks.len() > 1 {
            let mut seen = HashSet::default();
            s.tracks.retain(|t| seen.insert(t.clone()));
        }
    }
}

/// Whether `title` may have a word with a capital after its first letter (`PyTorch`): for
/// ASCII, whether a capital follows a letter or digit, in one pass over the bytes (most
/// titles have none, and are not split into words).
fn may_spell_irregularly(title: &str) -> bool {
    let bytes = title.as_bytes();
    if !bytes.is_ascii() {
        return true;
    }
    bytes
        .windows(2)
        .any(|pair| pair[0].is_ascii_alphanumeric() && pair[1].is_ascii_uppercase())
}

/// Whether a track is one word of up to five letters or digits (`CCC`, `HPC`, `GPU`).
fn is_acronym(track: &str) -> bool {
    let track = track.trim();
    track.chars().count() <= 5 && track.chars().all(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_counted_by_value_in_the_order_first_met_whatever_their_identity() {
        let buffer = Buffer::new("Hall AHall BHall A");
        let (a, b, a_again) = (buffer.text(0, 6), buffer.text(6, 6), buffer.text(12, 6));
        let own = Text::from("Hall B");
        let texts = [&b, &a, &own, &a_again, &a, &Text::default(), &b];
        assert_eq!(
            count_texts(texts.into_iter()),
            vec![("Hall B", 3), ("Hall A", 3), ("", 1)]
        );
    }

    #[test]
    fn sessions_are_in_order_of_start_room_title_and_id() {
        let session = |id: &str, minute: u32, room: Text, title: &str| Session {
            id: id.into(),
            start: DateTime::from_timestamp(i64::from(minute) * 60, 0).unwrap(),
            room,
            title: title.into(),
            ..Session::default()
        };
        // Rooms of the same name from different texts count as one room.
        let rooms = Buffer::new("HallBarnHall");
        let (hall, barn, hall_too) = (rooms.text(0, 4), rooms.text(4, 4), rooms.text(8, 4));
        let mut sessions = vec![
            session("a", 5, hall.clone(), "Zed"),
            session("b", 1, hall_too.clone(), "Late"),
            session("c", 1, barn.clone(), "Any"),
            session("d", 1, hall.clone(), "Early"),
            session("f", 1, hall_too.clone(), "Early"),
            session("e", 1, hall, "Early"),
            session("g", 0, Text::from("Zoo"), "First"),
        ];
        let mut expected = sessions.clone();
        expected.sort_by(compare_sessions);
        sort_sessions(&mut sessions);
        let ids: Vec<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["g", "c", "d", "e", "f", "b", "a"]);
        assert_eq!(sessions, expected);
    }

    #[test]
    fn every_session_is_found_by_its_id_after_the_sort_with_ids_repeated_or_not() {
        let event = |uid: &str, hour: u32| {
            format!(
                "BEGIN:VEVENT\nUID:{uid}\nDTSTART:20260407T{hour:02}0000Z\nSUMMARY:T{hour}\nEND:VEVENT\n"
            )
        };
        let options = LoadOptions::new("t.ics", None, Tz::UTC);
        for uids in [["c", "a", "d", "b"], ["x", "y", "x", "x#2"]] {
            let events: String = uids
                .iter()
                .zip([9, 3, 7, 1])
                .map(|(uid, hour)| event(uid, hour))
                .collect();
            let text = format!("BEGIN:VCALENDAR\n{events}END:VCALENDAR\n");
            let cal = Calendar::parse(text.as_bytes(), &options).unwrap();
            assert_eq!(cal.sessions.len(), 4);
            for (i, s) in cal.sessions.iter().enumerate() {
                assert_eq!(cal.position(&s.id), Some(i), "{}", s.id);
            }
            assert_eq!(cal.index.entries(), IdIndex::new(&cal.sessions).entries());
        }
    }

    #[test]
    fn shouting_tracks_are_spelled_as_ascii_and_other_titles_spell_them() {
        assert!(may_spell_irregularly("Serving with vLLM"));
        assert!(may_spell_irregularly("Numérique"));
        assert!(!may_spell_irregularly("Kernels - Ana Okafor, Arm"));
        let event = |uid: &str, summary: &str, track: &str| {
            format!(
                "BEGIN:VEVENT\nUID:{uid}\nDTSTART:20260407T090000Z\nSUMMARY:{summary}\nCATEGORIES:{track}\nEND:VEVENT\n"
            )
        };
        let text = format!(
            "BEGIN:VCALENDAR\n{}{}{}END:VCALENDAR\n",
            event("1", "Serving at scale", "VLLM SERVING"),
            event("2", "Fast serving with vLLM", "DATA"),
            event("3", "L’ÉcoleNormale and GraphQL", "ÉCOLENORMALE & GRAPHQL")
        );
        let options = LoadOptions::new("t.ics", None, Tz::UTC);
        let cal = Calendar::parse(text.as_bytes(), &options).unwrap();
        let track = |uid: &str| cal.get(uid).unwrap().tracks[0].to_string();
        assert_eq!(track("1"), "vLLM Serving");
        assert_eq!(track("2"), "DATA");
        assert_eq!(track("3"), "ÉcoleNormale & GraphQL");
    }

    #[test]
    fn a_runs_repeated_locations_and_tracks_are_one_text_and_still_one_per_value() {
        let event = |uid: &str, location: &str| {
            format!(
                "BEGIN:VEVENT\nUID:{uid}\nDTSTART:20260407T0{uid}0000Z\nSUMMARY:T\nLOCATION:{location}\nCATEGORIES:ML\\, AI,Data\nEND:VEVENT\n"
            )
        };
        let text = format!(
            "BEGIN:VCALENDAR\n{}{}{}END:VCALENDAR\n",
            event("1", "Room A\\, Paris"),
            event("2", "Room B\\, Paris"),
            event("3", "Room A\\, Paris")
        );
        let options = LoadOptions::new("t.ics", None, Tz::UTC);
        let cal = Calendar::parse(text.as_bytes(), &options).unwrap();
        let [one, two, three] = &cal.sessions[..] else {
            panic!("{:?}", cal.sessions);
        };
        assert_eq!(one.location, "Room A, Paris");
        assert_eq!(one.location.identity(), three.location.identity());
        assert_eq!(one.room.identity(), three.room.identity());
        assert_eq!((one.room.as_str(), two.room.as_str()), ("Room A", "Room B"));
        assert_eq!(one.tracks, ["ML, AI", "Data"]);
        for (track, other) in one.tracks.iter().zip(&two.tracks) {
            assert_eq!(track.identity(), other.identity());
        }
    }
}
