//! The iCalendar reader: content lines unfolded, components read (`ics`), each VEVENT's
//! properties typed (`event`), and the calendar's own properties (name, PRODID,
//! X-WR-TIMEZONE) handed with the events to the shared builder.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::build::{Parsed, ZoneHints};
use super::event::{self, Event, Producer, Zones};
use super::shared::Buffer;
use super::zone::VTimezone;
use super::{Format, Problem, Warning, contentline, ics, text, zone};

/// Reads unfolded iCalendar text, which `source` holds: the events' text that needs no change
/// is borrowed from it, for the sessions to share. `None` when the text [may
/// fold](contentline::Unfolded::may_fold) and does: it must be unfolded and read again.
///
/// # Errors
/// When it holds no calendar: empty, HTML, or no `BEGIN:VCALENDAR`.
pub(super) fn read<'a>(
    unfolded: &'a contentline::Unfolded<'_>,
    source: &Arc<Buffer>,
    threads: usize,
) -> Result<Option<Parsed<'a>>, Problem> {
    // On one thread each run of events is read as soon as its lines are (see
    // `ics::read_each`), unless a VTIMEZONE comes after it: then all are read again.
    let text: &'a str = &unfolded.text;
    let mut streamed = Streamed::default();
    let first = if threads > 1 {
        structure(unfolded, None)?
    } else {
        let mut sink = |run: &ics::RawRun, timezones: &VTimezones| {
            streamed.take(run, text, timezones);
        };
        structure(unfolded, Some(&mut sink))?
    };
    let Some(mut raw) = first else {
        return Ok(None);
    };
    let in_turn = threads == 1 && !raw.late_timezones;
    if threads == 1 && raw.late_timezones {
        streamed = Streamed::default();
        let Some(again) = structure(unfolded, None)? else {
            return Ok(None);
        };
        raw = again;
    }
    let calname = raw.prop("X-WR-CALNAME").map(text::unescape);
    let prodid = raw.prop("PRODID").map(text::unescape);
    let producer = Producer::from_prodid(prodid.as_deref().unwrap_or(""));
    let mut warnings = raw.warnings.clone();
    let (mut zones, events) = if in_turn {
        let Streamed {
            zones,
            events,
            warnings: mut read_warnings,
            count,
        } = streamed;
        warnings.append(&mut read_warnings);
        note_events(&events, count, &mut warnings);
        let zones = zones.unwrap_or_else(|| Zones::new(&raw.timezones));
        (zones, events)
    } else {
        let mut zones = Zones::new(&raw.timezones);
        let events = read_events(
            std::mem::take(&mut raw.runs),
            (raw.text, &raw.timezones),
            &mut zones,
            &mut warnings,
            threads,
        );
        (zones, events)
    };
    let named = raw
        .props
        .iter()
        .find(|p| p.is("X-WR-TIMEZONE"))
        .and_then(|p| zones.resolve(p.value.trim(), 2000, p.line))
        .filter(|tz| !zone::is_utc(*tz));
    warnings.append(&mut zones.warnings);
    let key = if calname.is_none() {
        pretalx_event_key(events.iter().flatten())
    } else {
        None
    };
    Ok(Some(Parsed {
        format: Format::ICalendar,
        source: Some(Arc::clone(source)),
        threads,
        events,
        name: calname,
        prodid,
        key,
        producer,
        zone: ZoneHints {
            named,
            ..ZoneHints::default()
        },
        days: Vec::new(),
        room_order: Vec::new(),
        day_change: None,
        warnings,
        complete: raw.complete,
    }))
}

/// `pretalx-{event}@{host}` when most events' UIDs are pretalx's `pretalx-{event}-{code}@{host}`
/// for one event: pretalx exports name no calendar, and their PRODID names only the host.
fn pretalx_event_key<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> Option<String> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::default();
    let mut total = 0;
    for uid in events.filter_map(|e| {
        total += 1;
        e.uid.as_deref()
    }) {
        let Some((local, host)) = uid
            .strip_prefix("pretalx-")
            .and_then(|u| u.rsplit_once('@'))
        else {
            continue;
        };
        if let Some((event, code)) = local.rsplit_once('-')
            && !event.is_empty()
            && !code.is_empty()
            && !host.is_empty()
        {
            *counts.entry((event, host)).or_default() += 1;
        }
    }
    let ((event, host), n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
    (n * 2 > total).then(|| format!("pretalx-{event}@{host}"))
}

/// Whether a PRODID names only a program that many unrelated calendars come from (a
/// calendar app, an iCalendar library, pretalx with only its host), so it cannot tell one
/// calendar's stars from another's.
pub(super) fn is_generic_prodid(prodid: &str) -> bool {
    /// Fragments of the PRODIDs of such producers, lower case.
    const GENERIC: &[&str] = &[
        "google calendar",
        "microsoft",
        "mozilla.org",
        "-//apple computer",
        "-//apple inc",
        "nextcloud",
        "owncloud",
        "sabre vobject",
        "ics.py",
        "hacksw/handcal",
        "pentabarf",
        "ri_cal",
        "icalendar-ruby",
        "ical.net",
        "dday.ical",
        "mxm.dk",
        "ical4j",
        "-//meetup//",
    ];
    let lower = prodid.trim().to_lowercase();
    if lower.is_empty() || GENERIC.iter().any(|g| lower.contains(g)) {
        return true;
    }
    // pretalx: `-//pretalx//{host}//`.
    lower.strip_prefix("-//pretalx//").is_some_and(|rest| {
        rest.split("//")
            .filter(|part| !part.trim().is_empty())
            .count()
            <= 1
    })
}

/// The events of `raw` read into typed values, in runs as `raw` holds them (each run's
/// raw properties let go of once its events are read); a broken one is skipped with a
/// warning naming its line and UID. On `threads` threads, each reading a share of the
/// runs; the result is the same as on one.
fn read_events<'a>(
    runs: Vec<ics::RawRun>,
    (text, vtimezones): (&'a str, &std::collections::HashMap<String, VTimezone>),
    zones: &mut Zones,
    warnings: &mut Vec<Warning>,
    threads: usize,
) -> Vec<Vec<Event<'a>>> {
    let count: usize = runs.iter().map(|run| run.events.len()).sum();
    let mut read: Vec<Vec<Event<'a>>> = Vec::with_capacity(runs.len());
    if threads > 1 && runs.len() >= threads {
        // A later share is read again, with the first's zones, when it resolved a zone
        // otherwise (a VTIMEZONE read for another year): only then are its raw runs needed
        // after it is read.
        let keep = !vtimezones.is_empty();
        let shares = split(runs, threads);
        let done = super::on_threads(shares.into_iter(), |share| {
            let mut zones = Zones::new(vtimezones);
            let mut warnings = Vec::new();
            let mut events = Vec::with_capacity(share.len());
            let mut kept = Vec::new();
            for run in share {
                events.push(read_run(&run, text, &mut zones, &mut warnings));
                if keep {
                    kept.push(run);
                }
            }
            (events, warnings, zones, kept)
        });
        for (mut events, mut run_warnings, run_zones, kept) in done {
            // Without VTIMEZONEs a zone resolves the same in any share, so the share needs
            // no second reading (and has kept nothing for one).
            if zones.absorb(run_zones) || !keep {
                warnings.append(&mut run_warnings);
                read.append(&mut events);
            } else {
                drop(events);
                for run in &kept {
                    read.push(read_run(run, text, zones, warnings));
                }
            }
        }
    } else {
        for run in runs {
            read.push(read_run(&run, text, zones, warnings));
        }
    }
    note_events(&read, count, warnings);
    read
}

/// VTIMEZONEs by TZID.
type VTimezones = std::collections::HashMap<String, VTimezone>;

/// The components of `unfolded`, each run of events handed to `sink` if there is one;
/// `None` when the text folds after all.
fn structure<'a>(
    unfolded: &'a contentline::Unfolded<'_>,
    sink: Option<&mut ics::RunSink<'_>>,
) -> Result<Option<ics::RawCalendar<'a>>, Problem> {
    let read = match sink {
        Some(sink) => ics::read_each(unfolded, sink),
        None => ics::read(unfolded),
    };
    match read {
        Ok(raw) => Ok(Some(raw)),
        Err(ics::NotACalendar::Folded) => Ok(None),
        Err(ics::NotACalendar::Empty) => Err(Problem::Empty),
        Err(ics::NotACalendar::Html) => Err(Problem::Html),
        Err(ics::NotACalendar::NoVCalendar) => Err(Problem::NotICalendar),
    }
}

/// The events read run by run as the lines are (see [`read`]), with what reading them
/// found.
#[derive(Default)]
struct Streamed<'a> {
    /// Made at the first run, with the VTIMEZONEs read by then.
    zones: Option<Zones<'static>>,
    events: Vec<Vec<Event<'a>>>,
    warnings: Vec<Warning>,
    /// Events met, those skipped too.
    count: usize,
}

impl<'a> Streamed<'a> {
    fn take(&mut self, run: &ics::RawRun, text: &'a str, timezones: &VTimezones) {
        let zones = self
            .zones
            .get_or_insert_with(|| Zones::owning(timezones.clone()));
        self.count += run.events.len();
        self.events
            .push(read_run(run, text, zones, &mut self.warnings));
    }
}

/// The warnings about all events read: none at all (of `count` met), categories dropped.
fn note_events(read: &[Vec<Event<'_>>], count: usize, warnings: &mut Vec<Warning>) {
    if count == 0 {
        warnings.push(Warning::general("the calendar has no events".into()));
    }
    let dropped: usize = read.iter().flatten().map(|e| e.dropped_categories).sum();
    if dropped > 0 {
        warnings.push(Warning::general(format!(
            "{dropped} categories ignored: an event keeps its first {}",
            event::MAX_CATEGORIES
        )));
    }
}

/// `items` in `parts` shares of consecutive items, as even as can be (fewer when there
/// are fewer items).
pub(super) fn split<T>(items: Vec<T>, parts: usize) -> Vec<Vec<T>> {
    let per = items.len().div_ceil(parts.max(1)).max(1);
    let mut items = items.into_iter();
    let mut shares = Vec::with_capacity(parts);
    loop {
        let share: Vec<T> = items.by_ref().take(per).collect();
        if share.is_empty() {
            return shares;
        }
        shares.push(share);
    }
}

/// The events of `run` (whose properties lie in `text`), warning of those skipped.
fn read_run<'a>(
    run: &ics::RawRun,
    text: &'a str,
    zones: &mut Zones,
    warnings: &mut Vec<Warning>,
) -> Vec<Event<'a>> {
    let mut events = Vec::with_capacity(run.events.len());
    let mut props = Vec::new();
    for raw_event in &run.events {
        run.props_into(raw_event, text, &mut props);
        match event::read_event(raw_event, &props, zones) {
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
    events
}
