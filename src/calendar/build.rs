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
    pub(super) sessions: Vec<Session>,
}

impl SessionBuilder {
    pub(super) fn new(events: &[Event], producer: Producer, floating: Tz) -> Self {
        let mut overridden: HashMap<String, HashSet<String>> = HashMap::default();
        for ev in events {
            if let (Some(rid), Some(uid)) = (ev.recurrence_id, &ev.uid) {
                overridden
                    .entry(uid.clone())
                    .or_default()
                    .insert(recur::occurrence_key(rid, floating));
            }
        }
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
            copied_text: MAX_COPIED_TEXT,
            deadline: std::time::Instant::now() + EXPANSION_TIME,
        };
        let mut unbounded = Vec::new();
        for ev in events.iter_mut() {
            if ev.recurrence_id.is_some() || !ev.is_recurring() {
                let start = ev.start.instant(floating);
                let key = ev
                    .recurrence_id
                    .map(|rid| recur::occurrence_key(rid, floating));
                self.push_all(ev, vec![(start, key)]);
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
        let overridden = ev.uid.as_ref().and_then(|uid| self.overridden.get(uid));
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
    /// named by); the text of the last is moved rather than copied.
    fn push_all(&mut self, ev: &mut Event, occurrences: Vec<(DateTime<Utc>, Option<String>)>) {
        let (mut title, mut speakers) =
            names::split_title(&ev.summary, self.producer.bare_speaker_names);
        if title.is_empty() {
            "(untitled)".clone_into(&mut title);
        }
        if speakers.is_none() && !ev.attendees.is_empty() {
            speakers = Some(ev.attendees.join(", "));
        }
        let uid = ev.uid.clone().unwrap_or_default();
        let base = if uid.is_empty() {
            content_id(ev)
        } else {
            uid.clone()
        };
        let length = ev.length(self.floating);
        let whole_days = (length.num_hours() + 12) / 24;
        let count = occurrences.len();
        for (i, (start, occurrence)) in occurrences.into_iter().enumerate() {
            let last = i + 1 == count;
            let id = match occurrence {
                Some(key) => format!("{base}/{key}"),
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
            self.sessions.push(Session {
                id,
                uid: uid.clone(),
                title: take(&mut title, last),
                speakers: take(&mut speakers, last),
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
}

/// The bytes of text each occurrence of `ev` carries.
fn text_size(ev: &Event) -> usize {
    ev.summary.len()
        + ev.description.len()
        + ev.location.len()
        + ev.url.as_ref().map_or(0, String::len)
        + ev.categories.iter().map(String::len).sum::<usize>()
        + ev.attendees.iter().map(String::len).sum::<usize>()
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
    for (i, id) in unique_ids(sessions) {
        sessions[i].id = id;
    }
}

/// New ids for the sessions whose id an earlier one already has (a repeated UID, or a UID
/// that looks like another's occurrence): `id#2`, `id#3` … skipping any that is some
/// session's own id, so ids are unique by construction (UIDs `dup`, `dup`, `dup#2` give
/// `dup`, `dup#3`, `dup#2`).
fn unique_ids(sessions: &[Session]) -> Vec<(usize, String)> {
    let mut own: HashSet<&str> =
        HashSet::with_capacity_and_hasher(sessions.len(), rustc_hash::FxBuildHasher);
    let repeats: Vec<usize> = (0..sessions.len())
        .filter(|&i| !own.insert(&sessions[i].id))
        .collect();
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
