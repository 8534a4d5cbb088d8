//! The iCalendar reader: content lines unfolded, components read (`ics`), each VEVENT's
//! properties typed (`event`), and the calendar's own properties (name, PRODID,
//! X-WR-TIMEZONE) handed with the events to the shared builder.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::build::{Parsed, ZoneHints};
use super::event::{self, Event, Producer, Zones};
use super::shared::Buffer;
use super::{Format, Problem, Warning, contentline, ics, text, zone};

/// Reads unfolded iCalendar text, which `source` holds: the events' text that needs no change
/// is borrowed from it, for the sessions to share.
///
/// # Errors
/// When it holds no calendar: empty, HTML, or no `BEGIN:VCALENDAR`.
pub(super) fn read<'a>(
    unfolded: &'a contentline::Unfolded<'_>,
    source: &Arc<Buffer>,
    threads: usize,
) -> Result<Parsed<'a>, Problem> {
    let raw = ics::read(unfolded).map_err(|e| match e {
        ics::NotACalendar::Empty => Problem::Empty,
        ics::NotACalendar::Html => Problem::Html,
        ics::NotACalendar::NoVCalendar => Problem::NotICalendar,
    })?;
    let calname = raw.prop("X-WR-CALNAME").map(text::unescape);
    let prodid = raw.prop("PRODID").map(text::unescape);
    let producer = Producer::from_prodid(prodid.as_deref().unwrap_or(""));
    let mut warnings = raw.warnings.clone();
    let mut zones = Zones::new(&raw.timezones);
    let events = read_events(&raw, &mut zones, &mut warnings, threads);
    let named = raw
        .props
        .iter()
        .find(|p| p.is("X-WR-TIMEZONE"))
        .and_then(|p| zones.resolve(p.value.trim(), 2000, p.line))
        .filter(|tz| !zone::is_utc(*tz));
    warnings.append(&mut zones.warnings);
    let key = if calname.is_none() {
        pretalx_event_key(&events)
    } else {
        None
    };
    Ok(Parsed {
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
    })
}

/// `pretalx-{event}@{host}` when most events' UIDs are pretalx's `pretalx-{event}-{code}@{host}`
/// for one event: pretalx exports name no calendar, and their PRODID names only the host.
fn pretalx_event_key(events: &[Event]) -> Option<String> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::default();
    for uid in events.iter().filter_map(|e| e.uid.as_deref()) {
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
    (n * 2 > events.len()).then(|| format!("pretalx-{event}@{host}"))
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

/// The events of `raw` read into typed values; a broken one is skipped with a warning
/// naming its line and UID. On `threads` threads, each reading a run of the events; the
/// result is the same as on one.
fn read_events<'a>(
    raw: &ics::RawCalendar<'a>,
    zones: &mut Zones,
    warnings: &mut Vec<Warning>,
    threads: usize,
) -> Vec<Event<'a>> {
    // Each run of events is read into its own slots of one vector: no event is copied from
    // one vector to another, and no two copies of a run are held at once.
    let mut slots: Vec<Option<Event<'a>>> = Vec::new();
    slots.resize_with(raw.events.len(), || None);
    if threads > 1 && raw.events.len() >= threads {
        let run_len = raw.events.len().div_ceil(threads);
        let runs = raw.events.chunks(run_len).zip(slots.chunks_mut(run_len));
        let read = super::on_threads(runs, |(run, slots)| {
            let mut zones = Zones::new(&raw.timezones);
            let mut warnings = Vec::new();
            read_run(raw, run, &mut zones, slots, &mut warnings);
            (warnings, zones)
        });
        let runs = raw.events.chunks(run_len).zip(slots.chunks_mut(run_len));
        for ((mut run_warnings, run_zones), (run, slots)) in read.into_iter().zip(runs) {
            if zones.absorb(run_zones) {
                warnings.append(&mut run_warnings);
            } else {
                read_run(raw, run, zones, slots, warnings);
            }
        }
    } else {
        read_run(raw, &raw.events, zones, &mut slots, warnings);
    }
    // Compacted in place: `filter_map` over a vector's own iterator reuses its memory
    // (`flatten` would collect into a new vector), and `Option<Event>` is an `Event`'s size.
    #[allow(clippy::filter_map_identity)]
    let events: Vec<Event<'a>> = slots.into_iter().filter_map(|slot| slot).collect();
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

// `read_events` compacts its slots in place only while an empty slot takes no room of its own.
const _: () = assert!(size_of::<Option<Event<'_>>>() == size_of::<Event<'_>>());

/// Reads the events `run` of `raw` into `slots` (one a raw event: none when skipped),
/// warning of those skipped.
fn read_run<'a>(
    raw: &ics::RawCalendar<'a>,
    run: &[ics::RawEvent],
    zones: &mut Zones,
    slots: &mut [Option<Event<'a>>],
    warnings: &mut Vec<Warning>,
) {
    for (raw_event, slot) in run.iter().zip(slots) {
        let props = raw.props_of(raw_event);
        *slot = None;
        match event::read_event(raw_event, &props, zones) {
            Ok(ev) => *slot = Some(ev),
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
}
