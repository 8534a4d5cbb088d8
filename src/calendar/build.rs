//! From events to sessions: recurrences expanded over the calendar's span (under a cap and a
//! time budget), overrides applied, text moved into place; then room labels, track names,
//! order and unique ids once all sessions are known.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;

use super::event::{Event, Producer};
use super::{Session, Warning, count_by, names, recur, text, time};

/// Most occurrences all recurring events together may produce.
const MAX_TOTAL_OCCURRENCES: usize = 50_000;
/// Unbounded rules are never expanded further than this past the calendar's first event.
const MAX_SPAN: Duration = Duration::days(400);
/// Wall-clock time recurrence expansion may take in all. A rule that never matches costs
/// the `rrule` crate thousands of iterations; a file of such rules must not hang the load.
const EXPANSION_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// What recurrence expansion may still spend.
struct Budget {
    occurrences: usize,
    deadline: std::time::Instant,
}

/// Turns events into sessions: expands recurrences inside the calendar's span, applies
/// RECURRENCE-ID overrides, and fills in the text fields.
pub(super) struct SessionBuilder {
    producer: Producer,
    floating: Tz,
    /// (UID, occurrence key) of every override, so the master's occurrence gives way.
    overridden: HashSet<(String, String)>,
    pub(super) sessions: Vec<Session>,
}

impl SessionBuilder {
    pub(super) fn new(events: &[Event], producer: Producer, floating: Tz) -> Self {
        let overridden = events
            .iter()
            .filter_map(|ev| {
                let rid = ev.recurrence_id?;
                Some((ev.uid.clone()?, recur::occurrence_key(rid, floating)))
            })
            .collect();
        Self {
            producer,
            floating,
            overridden,
            sessions: Vec::with_capacity(events.len()),
        }
    }

    pub(super) fn expand_all(&mut self, events: &mut [Event], warnings: &mut Vec<Warning>) {
        let floating = self.floating;
        let far = |ev: &Event| ev.start.instant(floating) + Duration::days(366 * 100);
        // The calendar's span runs from the first DTSTART to the last end of any event's first
        // occurrence, or of any rule that ends by itself; unbounded rules are expanded over it.
        let span_start = events.iter().map(|e| e.start.instant(floating)).min();
        let mut span_end = events
            .iter()
            .map(|e| e.start.instant(floating) + e.length(floating))
            .max();
        let mut budget = Budget {
            occurrences: MAX_TOTAL_OCCURRENCES,
            deadline: std::time::Instant::now() + EXPANSION_TIME,
        };
        let mut unbounded = Vec::new();
        for ev in events.iter_mut() {
            if ev.recurrence_id.is_some() || !ev.is_recurring() {
                let start = ev.start.instant(floating);
                let key = ev
                    .recurrence_id
                    .map(|rid| recur::occurrence_key(rid, floating));
                self.push(ev, start, key, true);
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

    /// Pushes the occurrences of a recurring event; returns the end of the last.
    fn push_expanded(
        &mut self,
        ev: &mut Event,
        until: DateTime<Utc>,
        budget: &mut Budget,
        warnings: &mut Vec<Warning>,
    ) -> Option<DateTime<Utc>> {
        let uid = ev.uid.as_deref().unwrap_or("event");
        let expansion = if budget.occurrences == 0 || std::time::Instant::now() > budget.deadline {
            let why = if budget.occurrences == 0 {
                format!("the calendar already has {MAX_TOTAL_OCCURRENCES} occurrences")
            } else {
                "expanding recurrences took too long".to_owned()
            };
            warnings.push(Warning::at(
                ev.line,
                format!(
                    "event {}: only its first occurrence is shown: {why}",
                    text::sanitize_line(uid)
                ),
            ));
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
                format!(
                    "event {}: {}",
                    text::sanitize_line(uid),
                    text::sanitize_line(error)
                ),
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
        budget.occurrences = budget.occurrences.saturating_sub(expansion.starts.len());
        let length = ev.length(self.floating);
        let last = expansion.starts.last().map(|(start, _)| *start + length);
        let count = expansion.starts.len();
        for (i, (start, key)) in expansion.starts.into_iter().enumerate() {
            if let Some(uid) = &ev.uid
                && self.overridden.contains(&(uid.clone(), key.clone()))
            {
                continue;
            }
            self.push(ev, start, Some(key), i + 1 == count);
        }
        last
    }

    /// Adds the occurrence of `ev` that starts at `start`; `last` says no other occurrence
    /// follows, so its text can be moved rather than copied.
    fn push(
        &mut self,
        ev: &mut Event,
        start: DateTime<Utc>,
        occurrence: Option<String>,
        last: bool,
    ) {
        let (title, mut speakers) =
            names::split_title(&ev.summary, self.producer.bare_speaker_names);
        if speakers.is_none() && !ev.attendees.is_empty() {
            speakers = Some(ev.attendees.join(", "));
        }
        let uid = ev.uid.clone().unwrap_or_default();
        let base = if uid.is_empty() {
            content_id(ev)
        } else {
            uid.clone()
        };
        let id = match occurrence {
            Some(key) => format!("{base}/{key}"),
            None => base,
        };
        let end = if ev.start.is_date() {
            // Whole days stay whole days across a daylight-saving change.
            let days = (ev.length(self.floating).num_hours() + 12) / 24;
            let local_start = start.with_timezone(&self.floating).date_naive();
            let local_end = local_start + Duration::days(days.max(1));
            time::local_to_utc(local_end.and_time(chrono::NaiveTime::MIN), self.floating)
        } else {
            start + ev.length(self.floating)
        };
        self.sessions.push(Session {
            id,
            uid,
            title: if title.is_empty() {
                "(untitled)".to_owned()
            } else {
                title
            },
            speakers,
            description: take(&mut ev.description, last),
            start,
            end,
            all_day: ev.start.is_date(),
            room: String::new(),
            location: take(&mut ev.location, last),
            tracks: take(&mut ev.categories, last),
            url: take(&mut ev.url, last),
            cancelled: ev.cancelled,
            kind: super::Kind::Talk,
            headline_at: 0,
        });
    }
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
fn content_id(ev: &Event) -> String {
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
pub(super) fn finish_sessions(sessions: &mut [Session]) {
    let labels: HashMap<String, String> = {
        let locations = count_by(sessions.iter().map(|s| s.location.as_str()));
        names::room_labels(&locations)
            .into_iter()
            .map(|(loc, label)| (loc.to_owned(), label))
            .collect()
    };
    for s in sessions.iter_mut() {
        s.room = labels
            .get(&s.location)
            .filter(|l| !l.is_empty())
            .map_or(names::NO_ROOM, String::as_str)
            .to_owned();
    }
    title_case_tracks(sessions);
    for s in sessions.iter_mut() {
        (s.kind, s.headline_at) = super::kind::classify(&s.title);
    }
    sessions.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then_with(|| a.room.cmp(&b.room))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
    let repeated: Vec<(usize, usize)> = {
        let mut seen: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(sessions.len(), rustc_hash::FxBuildHasher);
        sessions
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let n = seen.entry(s.id.as_str()).or_insert(0);
                *n += 1;
                (*n > 1).then_some((i, *n))
            })
            .collect()
    };
    for (i, n) in repeated {
        sessions[i].id = format!("{}#{n}", sessions[i].id);
    }
}

/// Capitals-only track names (Sched) in title case, spelling words as the titles do.
fn title_case_tracks(sessions: &mut [Session]) {
    let distinct: HashSet<&str> = sessions
        .iter()
        .flat_map(|s| s.tracks.iter().map(String::as_str))
        .collect();
    let wanted: HashSet<String> = distinct
        .into_iter()
        .filter(|t| text::is_all_caps(t))
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut spelling: HashMap<String, String> = HashMap::default();
    for s in sessions.iter() {
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
    let mut cache: HashMap<String, Option<String>> = HashMap::default();
    for s in sessions.iter_mut() {
        for track in &mut s.tracks {
            let titled = cache.entry(track.clone()).or_insert_with(|| {
                text::is_all_caps(track)
                    .then(|| text::title_case(track, |w| spelling.get(w).cloned()))
            });
            if let Some(titled) = titled {
                track.clone_from(titled);
            }
        }
        let mut seen = HashSet::default();
        s.tracks.retain(|t| seen.insert(t.clone()));
    }
}
