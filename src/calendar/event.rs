//! One VEVENT's properties read into typed values: text unescaped, dates resolved against the
//! file's time zones, recurrence properties kept for expansion.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::Engine;
use chrono::{Datelike, Duration};
use chrono_tz::Tz;

use super::Warning;
use super::contentline::ContentLine;
use super::ics::RawEvent;
use super::text;
use super::time::{self, Time};
use super::zone::{self, VTimezone};

/// A VEVENT as the file states it, before recurrence expansion; its text already cleaned for
/// display (unescaped, HTML turned to text, control characters removed). Text that needed no
/// change is borrowed from the source (`'a`), so the session builder can share it.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub line: u32,
    pub uid: Option<Cow<'a, str>>,
    pub summary: Cow<'a, str>,
    pub description: Cow<'a, str>,
    pub location: Cow<'a, str>,
    /// Held in the event when there is one (the usual case): no allocation of its own.
    pub categories: Categories<'a>,
    /// Categories past the first [`MAX_CATEGORIES`], not kept.
    pub dropped_categories: usize,
    pub url: Option<Cow<'a, str>>,
    pub cancelled: bool,
    pub start: Time,
    pub end: Option<Time>,
    /// RRULE, RDATE and EXDATE, when it has any: boxed, as few events recur.
    pub recurrence: Option<Box<Recurrence>>,
    /// What few iCalendar events have, boxed (none when it has none of it): an event is
    /// held until its sessions are made, and a calendar holds all its events at once.
    pub rare: Option<Box<Rare>>,
}

/// The properties of an event that few have (see [`Event::rare`]).
#[derive(Debug, Clone, Default)]
pub struct Rare {
    pub duration: Option<Duration>,
    pub recurrence_id: Option<Time>,
    /// The speakers the file names: the CN of each ATTENDEE taking part (no ROLE,
    /// REQ-PARTICIPANT or CHAIR) and of an ORGANIZER with such a ROLE, or a schedule's
    /// persons. When there are any, the title is not searched for speakers.
    pub attendees: Vec<String>,
    /// GEO: latitude and longitude.
    pub geo: Option<(f64, f64)>,
    /// What only a schedule (frab, pretalx) states.
    pub schedule: Option<ScheduleFields>,
}

impl Rare {
    /// `self` boxed, or none when it holds nothing.
    pub fn boxed(self) -> Option<Box<Self>> {
        let empty = self.duration.is_none()
            && self.recurrence_id.is_none()
            && self.attendees.is_empty()
            && self.geo.is_none()
            && self.schedule.is_none();
        (!empty).then(|| Box::new(self))
    }
}

/// An event's categories.
pub type Categories<'a> = smallvec::SmallVec<[Cow<'a, str>; 1]>;

/// How an event recurs: its rules, added dates and excepted dates.
#[derive(Debug, Clone, Default)]
pub struct Recurrence {
    pub rrules: Vec<String>,
    pub rdates: Vec<Time>,
    pub exdates: Vec<Time>,
}

/// What a frab/pretalx schedule says of an event beyond what iCalendar does.
#[derive(Debug, Clone, Default)]
pub struct ScheduleFields {
    pub subtitle: String,
    pub language: String,
    pub links: Vec<super::Link>,
    /// The event's room, as named.
    pub room: String,
    /// The type the schedule states (`lecture`, `workshop`).
    pub kind: Option<super::Kind>,
    /// The conference day it is listed under.
    pub day: chrono::NaiveDate,
}

impl Event<'_> {
    /// DURATION (or a schedule's length).
    pub fn duration(&self) -> Option<Duration> {
        self.rare.as_ref().and_then(|r| r.duration)
    }

    /// RECURRENCE-ID: the occurrence this event overrides.
    pub fn recurrence_id(&self) -> Option<Time> {
        self.rare.as_ref().and_then(|r| r.recurrence_id)
    }

    /// The speakers the file names ([`Rare::attendees`]).
    pub fn attendees(&self) -> &[String] {
        self.rare.as_ref().map_or(&[], |r| &r.attendees)
    }

    /// GEO: latitude and longitude.
    pub fn geo(&self) -> Option<(f64, f64)> {
        self.rare.as_ref().and_then(|r| r.geo)
    }

    /// Whether a schedule (frab, pretalx) gave the event.
    pub fn is_from_schedule(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.schedule.is_some())
    }

    /// What only a schedule states, taken out of the event.
    pub fn take_schedule(&mut self) -> Option<ScheduleFields> {
        self.rare.as_mut().and_then(|r| r.schedule.take())
    }

    /// Lets go of the text, once it is in the event's sessions.
    pub fn forget_text(&mut self) {
        for field in [&mut self.summary, &mut self.description, &mut self.location] {
            *field = Cow::default();
        }
        self.categories = Categories::new();
        (self.uid, self.url) = (None, None);
    }

    /// RRULE values.
    pub fn rrules(&self) -> &[String] {
        self.recurrence.as_ref().map_or(&[], |r| &r.rrules)
    }

    /// RDATE values.
    pub fn rdates(&self) -> &[Time] {
        self.recurrence.as_ref().map_or(&[], |r| &r.rdates)
    }

    /// EXDATE values.
    pub fn exdates(&self) -> &[Time] {
        self.recurrence.as_ref().map_or(&[], |r| &r.exdates)
    }

    pub fn is_recurring(&self) -> bool {
        !self.rrules().is_empty() || !self.rdates().is_empty()
    }

    /// The end of the occurrence that starts at `start` (an instant): DTEND's distance from
    /// DTSTART, or DURATION; a date lasts whole days, a date-time with no end ends at its start.
    pub fn length(&self, floating: Tz) -> Duration {
        if let Some(d) = self.duration().filter(|d| *d >= Duration::zero()) {
            return d;
        }
        match self.end {
            Some(end) => {
                let length = end.instant(floating) - self.start.instant(floating);
                if length < Duration::zero() {
                    Duration::zero()
                } else {
                    length
                }
            }
            None if self.start.is_date() => Duration::days(1),
            None => Duration::zero(),
        }
    }
}

/// Resolves TZIDs once each, and reports the ones it cannot.
pub struct Zones<'a> {
    vtimezones: Cow<'a, HashMap<String, VTimezone>>,
    cache: HashMap<String, Option<Tz>>,
    /// The names resolved so far, in the order first met, with the line that first named
    /// each: what [`Zones::absorb`] replays.
    fresh: Vec<(String, u32)>,
    pub warnings: Vec<Warning>,
}

impl<'a> Zones<'a> {
    pub fn new(vtimezones: &'a HashMap<String, VTimezone>) -> Self {
        Self::of(Cow::Borrowed(vtimezones))
    }

    /// Zones resolved with VTIMEZONEs of their own.
    pub fn owning(vtimezones: HashMap<String, VTimezone>) -> Zones<'static> {
        Zones::of(Cow::Owned(vtimezones))
    }

    fn of(vtimezones: Cow<'a, HashMap<String, VTimezone>>) -> Self {
        Self {
            vtimezones,
            cache: HashMap::new(),
            fresh: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The zone `tzid` names, or `None` (with one warning per name) when no zone matches.
    pub fn resolve(&mut self, tzid: &str, year: i32, line: u32) -> Option<Tz> {
        if let Some(found) = self.cache.get(tzid) {
            return *found;
        }
        let vtz = self.vtimezones.get(tzid.trim_matches('"'));
        let found = zone::resolve_tzid(tzid, vtz, year);
        if found.is_none() {
            self.warnings.push(unknown_zone(tzid, line));
        }
        self.cache.insert(tzid.to_owned(), found);
        self.fresh.push((tzid.to_owned(), line));
        found
    }

    /// Takes in what `later`, which read a later part of the same calendar starting from
    /// nothing, resolved, as if this one had gone on to read that part itself; unless
    /// `later` resolved a name otherwise than this one already has (a VTIMEZONE read for
    /// another year), and then `false`, taking nothing: that part must be read again, with
    /// this one.
    pub fn absorb(&mut self, later: Zones<'_>) -> bool {
        let differs = later.fresh.iter().any(|(name, _)| {
            self.cache
                .get(name)
                .is_some_and(|own| *own != later.cache[name])
        });
        if differs {
            return false;
        }
        for (name, line) in later.fresh {
            if !self.cache.contains_key(&name) {
                let found = later.cache[&name];
                if found.is_none() {
                    self.warnings.push(unknown_zone(&name, line));
                }
                self.cache.insert(name.clone(), found);
                self.fresh.push((name, line));
            }
        }
        true
    }
}

fn unknown_zone(tzid: &str, line: u32) -> Warning {
    Warning::at(
        line,
        format!(
            "unknown time zone '{}'; its times are taken in the calendar's zone",
            text::sanitize_line(tzid)
        ),
    )
}

/// How a date-time property's values are read: its VALUE and TZID parameters, looked at
/// once per property (an RDATE may list thousands of values).
struct TimeParams {
    date_only: bool,
    zone: Option<Tz>,
}

impl TimeParams {
    fn of(cl: &ContentLine, zones: &mut Zones) -> Self {
        let date_only = cl
            .param("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
        let zone = cl.param("TZID").and_then(|tzid| {
            let year = cl
                .value
                .trim()
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or(2000);
            zones.resolve(&tzid, year, cl.line)
        });
        Self { date_only, zone }
    }

    fn read(&self, value: &str) -> Option<Time> {
        time::parse(value, self.date_only, self.zone)
    }
}

/// A date-time property read with its own TZID and VALUE parameters; `None` if unreadable.
fn read_time(cl: &ContentLine, zones: &mut Zones) -> Option<Time> {
    TimeParams::of(cl, zones).read(cl.value)
}

/// Why an event was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    #[error("no DTSTART")]
    NoStart,
    /// The value, cleaned for display.
    #[error("unreadable DTSTART '{0}'")]
    UnreadableStart(String),
}

/// Hints from the exporter about how it writes speakers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Producer {
    /// pretalx appends bare speaker names to SUMMARY.
    pub bare_speaker_names: bool,
    /// Titles may carry speakers after a ` - ` (iCalendar); a schedule's never do.
    pub split_titles: bool,
}

impl Producer {
    pub fn from_prodid(prodid: &str) -> Self {
        Self {
            bare_speaker_names: prodid.to_ascii_lowercase().contains("pretalx"),
            split_titles: true,
        }
    }
}

/// Reads one VEVENT. An event without a readable DTSTART is skipped, saying why.
pub fn read_event<'a>(
    raw: &RawEvent,
    props: &[ContentLine<'a>],
    zones: &mut Zones,
) -> Result<Event<'a>, Skip> {
    let mut ev = EventBuilder::default();
    for cl in props {
        ev.take(cl, zones);
    }
    let start = match ev.dtstart {
        None => return Err(Skip::NoStart),
        Some(cl) => read_time(&cl, zones)
            .ok_or_else(|| Skip::UnreadableStart(text::sanitize_line(cl.value)))?,
    };
    // A bare `TZID:` property (Pentabarf) gives floating times their zone.
    let start = match (start, ev.bare_tzid) {
        (Time::Floating(t), Some(tzid)) => match zones.resolve(tzid, t.year(), raw.line) {
            Some(tz) => Time::Zoned(t, tz),
            None => start,
        },
        _ => start,
    };
    let mut end = ev.dtend.and_then(|cl| read_time(&cl, zones));
    if let (Some(Time::Floating(t)), Time::Zoned(_, tz)) = (end, start) {
        end = Some(Time::Zoned(t, tz));
    }
    if start.is_date() && !end.is_none_or(Time::is_date) {
        end = None;
    }
    let description = if ev.description.trim().is_empty() {
        ev.alt_description
            .map(|alt| Cow::Owned(text::html_to_text(alt.into_owned())))
            .unwrap_or_default()
    } else {
        text::description_text_cow(ev.description)
    };
    let mut categories: Categories = ev
        .categories
        .into_iter()
        .map(text::sanitize_line_cow)
        .collect();
    categories.retain(|c| !c.is_empty());
    let dropped_categories = categories.len().saturating_sub(MAX_CATEGORIES);
    categories.truncate(MAX_CATEGORIES);
    Ok(Event {
        line: raw.line,
        uid: ev.uid.map(text::sanitize_line_cow),
        summary: text::sanitize_line_cow(ev.summary.unwrap_or_default()),
        description: text::sanitize_block_cow(description),
        location: text::sanitize_line_cow(ev.location.unwrap_or_default()),
        categories,
        dropped_categories,
        url: ev.url.map(text::sanitize_line_cow),
        cancelled: ev.cancelled,
        start,
        end,
        recurrence: (!ev.rrules.is_empty() || !ev.rdates.is_empty() || !ev.exdates.is_empty())
            .then(|| {
                Box::new(Recurrence {
                    rrules: ev.rrules,
                    rdates: ev.rdates,
                    exdates: ev.exdates,
                })
            }),
        rare: Rare {
            duration: ev.duration,
            recurrence_id: ev.recurrence_id,
            attendees: ev
                .attendees
                .into_iter()
                .map(text::sanitize_line_owned)
                .filter(|a| !a.is_empty())
                .collect(),
            geo: ev.geo,
            schedule: None,
        }
        .boxed(),
    })
}

/// Most categories (tracks) one event keeps; real ones have a handful.
pub const MAX_CATEGORIES: usize = 64;

/// How an event keeps a property written more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// The first counts; it is kept in this slot.
    First(usize),
    /// The first whose value is not blank counts.
    FirstFilled(usize),
    /// The last counts.
    Last(usize),
    /// Each counts, up to a number (this counter's cap); more are dropped with a warning.
    Each(usize, usize),
}

/// Slots of the single-valued properties in [`repeat_of`], and counters of the others.
pub const SLOTS: usize = 14;
pub const COUNTERS: usize = 5;

/// The properties [`read_event`] reads and how it keeps repeats of each: the reader stores
/// no others, so a file of a million unknown or repeated lines costs no memory. Keep in step
/// with `EventBuilder::take`.
pub fn repeat_of(name: &str) -> Option<Repeat> {
    use Repeat::{Each, First, FirstFilled, Last};
    let mut buf = [0u8; 16];
    Some(match upper(name, &mut buf) {
        "UID" => FirstFilled(0),
        "SUMMARY" => First(1),
        "DESCRIPTION" => FirstFilled(2),
        "X-ALT-DESC" => First(3),
        "LOCATION" => First(4),
        "URL" => FirstFilled(5),
        "DTSTART" => First(6),
        "DTEND" => First(7),
        "STATUS" => Last(8),
        "DURATION" => Last(9),
        "RECURRENCE-ID" => Last(10),
        "TZID" => Last(11),
        "GEO" => First(12),
        "ORGANIZER" => First(13),
        "CATEGORIES" => Each(0, 64),
        "RRULE" => Each(1, 8),
        "RDATE" => Each(2, 1000),
        "EXDATE" => Each(3, 1000),
        "ATTENDEE" => Each(4, 64),
        _ => return None,
    })
}

#[derive(Default)]
struct EventBuilder<'a> {
    uid: Option<Cow<'a, str>>,
    summary: Option<Cow<'a, str>>,
    description: Cow<'a, str>,
    alt_description: Option<Cow<'a, str>>,
    location: Option<Cow<'a, str>>,
    categories: Vec<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    cancelled: bool,
    dtstart: Option<ContentLine<'a>>,
    dtend: Option<ContentLine<'a>>,
    duration: Option<Duration>,
    rrules: Vec<String>,
    rdates: Vec<Time>,
    exdates: Vec<Time>,
    recurrence_id: Option<Time>,
    attendees: Vec<String>,
    geo: Option<(f64, f64)>,
    bare_tzid: Option<&'a str>,
}

impl<'a> EventBuilder<'a> {
    fn take(&mut self, cl: &ContentLine<'a>, zones: &mut Zones) {
        let mut buf = [0u8; 16];
        let name = upper(cl.name, &mut buf);
        match name {
            "UID" => {
                let uid = text::unescape_cow(cl.value.trim());
                if !uid.is_empty() && self.uid.is_none() {
                    self.uid = Some(uid);
                }
            }
            "SUMMARY" if self.summary.is_none() => {
                self.summary = Some(text::unescape_cow(cl.value));
            }
            "DESCRIPTION" if self.description.trim().is_empty() => {
                self.description = text::unescape_cow(cl.value);
            }
            "X-ALT-DESC" if self.alt_description.is_none() => {
                self.alt_description = Some(text::unescape_cow(cl.value));
            }
            "LOCATION" if self.location.is_none() => {
                self.location = Some(text::unescape_cow(cl.value));
            }
            "CATEGORIES" => {
                let base64 = cl.param("ENCODING").is_some_and(|e| {
                    e.eq_ignore_ascii_case("BASE64") || e.eq_ignore_ascii_case("B")
                });
                if base64 {
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(cl.value.trim())
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default();
                    self.categories.extend(
                        text::split_unescaped(&decoded, ',')
                            .into_iter()
                            .map(Cow::Owned),
                    );
                } else {
                    self.categories
                        .extend(text::split_unescaped_cow(cl.value, ','));
                }
            }
            "URL" if self.url.is_none() => self.url = normalize_url(cl.value),
            "STATUS" => self.cancelled = cl.value.trim().eq_ignore_ascii_case("CANCELLED"),
            "DTSTART" if self.dtstart.is_none() => self.dtstart = Some(*cl),
            "DTEND" if self.dtend.is_none() => self.dtend = Some(*cl),
            "DURATION" => self.duration = time::parse_duration(cl.value),
            "RRULE" => self.rrules.push(cl.value.trim().to_owned()),
            "RDATE" | "EXDATE" => {
                let params = TimeParams::of(cl, zones);
                let list = cl
                    .value
                    .split(',')
                    // PERIOD values: the start is what matters.
                    .map(|v| v.split('/').next().unwrap_or(v))
                    .filter_map(|v| params.read(v));
                if name == "RDATE" {
                    self.rdates.extend(list);
                } else {
                    self.exdates.extend(list);
                }
            }
            "RECURRENCE-ID" => self.recurrence_id = read_time(cl, zones),
            "ATTENDEE" | "ORGANIZER" => {
                // An attendee takes part unless its ROLE says otherwise; an organizer only
                // when its ROLE says it does (it is usually the conference itself).
                let takes_part = match cl.param("ROLE") {
                    Some(role) => ["REQ-PARTICIPANT", "CHAIR"]
                        .iter()
                        .any(|r| role.trim().eq_ignore_ascii_case(r)),
                    None => name == "ATTENDEE",
                };
                if let Some(cn) = cl.param("CN").map(|cn| text::unescape(cn.trim()))
                    && takes_part
                    && !cn.is_empty()
                {
                    self.attendees.push(cn);
                }
            }
            "GEO" => {
                self.geo = cl.value.split_once([';', ',']).and_then(|(lat, lon)| {
                    Some((lat.trim().parse().ok()?, lon.trim().parse().ok()?))
                });
            }
            "TZID" => self.bare_tzid = Some(cl.value.trim()),
            _ => {}
        }
    }
}

/// `name` in capitals, in `buf`; names longer than it are none we use, and come back empty.
fn upper<'b>(name: &str, buf: &'b mut [u8; 16]) -> &'b str {
    let Some(dst) = buf.get_mut(..name.len()) else {
        return "";
    };
    dst.copy_from_slice(name.as_bytes());
    dst.make_ascii_uppercase();
    std::str::from_utf8(dst).unwrap_or_default()
}

/// A URL as exports write it, mended where they get it wrong (`https:/host`); empty is none.
fn normalize_url(value: &str) -> Option<Cow<'_, str>> {
    let url = text::unescape_cow(value.trim());
    if url.is_empty() {
        return None;
    }
    for scheme in ["https:", "http:"] {
        if let Some(rest) = url.strip_prefix(scheme)
            && !rest.starts_with("//")
        {
            return Some(Cow::Owned(format!(
                "{scheme}//{}",
                rest.trim_start_matches('/')
            )));
        }
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::contentline::Unfolded;
    use crate::calendar::ics;

    fn event(body: &str) -> Result<Event<'static>, Skip> {
        let text = format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\n{body}\nEND:VEVENT\nEND:VCALENDAR\n");
        // Leaked so the event may borrow from it: a few bytes a test.
        let text: &'static str = Box::leak(text.into_boxed_str());
        let unfolded: &'static Unfolded = Box::leak(Box::new(Unfolded::new(text.as_bytes())));
        let raw = ics::read(unfolded).unwrap();
        let mut zones = Zones::new(&raw.timezones);
        read_event(raw.events()[0], &raw.props_of(raw.events()[0]), &mut zones)
    }

    #[test]
    fn zones_absorb_what_a_later_run_resolved_unless_it_resolved_otherwise() {
        let none = HashMap::new();
        let mut first = Zones::new(&none);
        assert_eq!(
            first.resolve("Europe/Paris", 2026, 3),
            Some(Tz::Europe__Paris)
        );
        let mut later = Zones::new(&none);
        assert_eq!(later.resolve("Nowhere/Else", 2026, 40), None);
        assert_eq!(
            later.resolve("Europe/Paris", 2026, 41),
            Some(Tz::Europe__Paris)
        );
        assert!(first.absorb(later));
        let lines: Vec<_> = first.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![Some(40)]);
        // A run that read a name otherwise (a VTIMEZONE matched for another year) is not
        // taken: it is read again.
        let mut odd = Zones::new(&none);
        odd.cache
            .insert("Europe/Paris".into(), Some(Tz::Europe__Berlin));
        odd.fresh.push(("Europe/Paris".into(), 90));
        assert!(!first.absorb(odd));
        assert_eq!(first.cache["Europe/Paris"], Some(Tz::Europe__Paris));
        assert_eq!(first.warnings.len(), 1);
    }

    #[test]
    fn skips_with_a_reason() {
        assert_eq!(event("SUMMARY:x").unwrap_err(), Skip::NoStart);
        assert_eq!(
            event("DTSTART:tomorrow").unwrap_err().to_string(),
            "unreadable DTSTART 'tomorrow'"
        );
    }

    #[test]
    fn reads_text_properties() {
        let ev = event(
            "UID:u1\nSUMMARY:A\\, B; C\nDTSTART:20260407T070000Z\nDURATION:PT30M\nDESCRIPTION:&lt;b&gt; &amp; <p>x</p>\nCATEGORIES:One,Two\nCATEGORIES;ENCODING=BASE64:U2V2ZW4=\nURL:https:/fosdem.org/x\nSTATUS:CANCELLED\nATTENDEE;CN=\"Ann Lee\":invalid:nomail",
        )
        .unwrap();
        assert_eq!(ev.uid.as_deref(), Some("u1"));
        assert_eq!(ev.summary, "A, B; C");
        assert_eq!(ev.description, "<b> &\nx");
        assert_eq!(ev.categories.as_slice(), ["One", "Two", "Seven"]);
        assert_eq!(ev.url.as_deref(), Some("https://fosdem.org/x"));
        assert!(ev.cancelled);
        assert_eq!(ev.attendees(), ["Ann Lee"]);
        assert_eq!(ev.length(Tz::UTC), Duration::minutes(30));
    }

    #[test]
    fn bare_tzid_property_zones_floating_times() {
        let ev =
            event("TZID:Europe-Brussels\nDTSTART:20120204T103000\nDTEND:20120204T105500").unwrap();
        assert!(matches!(ev.start, Time::Zoned(_, Tz::Europe__Brussels)));
        assert!(matches!(ev.end, Some(Time::Zoned(_, Tz::Europe__Brussels))));
        assert_eq!(ev.length(Tz::UTC), Duration::minutes(25));
    }

    #[test]
    fn lengths_without_an_end() {
        assert_eq!(
            event("DTSTART;VALUE=DATE:20260407")
                .unwrap()
                .length(Tz::UTC),
            Duration::days(1)
        );
        assert_eq!(
            event("DTSTART:20260407T090000").unwrap().length(Tz::UTC),
            Duration::zero()
        );
        // An end before the start is taken as no length, not a negative one.
        assert_eq!(
            event("DTSTART:20260407T090000\nDTEND:20260407T080000")
                .unwrap()
                .length(Tz::UTC),
            Duration::zero()
        );
    }

    #[test]
    fn unknown_tzid_warns_once_and_floats() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Atlantis:20260407T090000\nDTEND;TZID=Atlantis:20260407T100000\nEND:VEVENT\nEND:VCALENDAR\n";
        let unfolded = Unfolded::new(text.as_bytes());
        let raw = ics::read(&unfolded).unwrap();
        let mut zones = Zones::new(&raw.timezones);
        let props = raw.props_of(raw.events()[0]);
        let ev = read_event(raw.events()[0], &props, &mut zones).unwrap();
        assert!(matches!(ev.start, Time::Floating(_)));
        assert_eq!(zones.warnings.len(), 1);
        assert!(zones.warnings[0].to_string().contains("Atlantis"));
    }
}
