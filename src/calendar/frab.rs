//! The frab/Pentabarf schedule both schedule readers fill (`schedule.xml` and
//! `schedule.json` say the same things), and what it means: times on conference days that
//! may run past midnight, the zone, persons, links, types, and the quirks of real files
//! (no `<date>`, days without dates, durations as `0:45`, `track: null`, duplicate ids).
//! Its text borrows from the input where it can.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use rustc_hash::FxHashSet as HashSet;

use super::build::{DayDraft, Parsed, ZoneHints};
use super::event::{Event, Producer, Rare, ScheduleFields};
use super::time::Time;
use super::{Format, Kind, Link, Problem, Warning, text, zone};

/// Text as the input has it (borrowed) or unescaped (owned).
pub(super) type Text<'a> = Cow<'a, str>;

/// Most persons and links one event keeps; real ones have a handful.
pub(super) const MAX_PERSONS: usize = 64;
pub(super) const MAX_LINKS: usize = 64;

/// A schedule as read, before its times are understood.
#[derive(Debug, Default)]
pub(super) struct Schedule<'a> {
    pub conference: Conference<'a>,
    pub days: Vec<Day<'a>>,
    pub talks: Vec<Talk<'a>>,
    /// Rooms as the conference or its days list them, in order (repeats allowed).
    pub rooms: Vec<Text<'a>>,
    pub warnings: Vec<Warning>,
    /// Whether the input ended as a schedule does.
    pub complete: bool,
    /// Why the schedule is no programme when it has no events (a `schedule.json` without
    /// a list of days).
    pub broken: Option<&'static str>,
}

#[derive(Debug, Default)]
pub(super) struct Conference<'a> {
    pub title: Option<Text<'a>>,
    pub acronym: Option<Text<'a>>,
    pub city: Option<Text<'a>>,
    pub venue: Option<Text<'a>>,
    pub time_zone_name: Option<Text<'a>>,
    pub day_change: Option<Text<'a>>,
    pub start: Option<Text<'a>>,
}

#[derive(Debug, Default)]
pub(super) struct Day<'a> {
    pub index: Option<Text<'a>>,
    pub date: Option<Text<'a>>,
    pub start: Option<Text<'a>>,
    pub end: Option<Text<'a>>,
}

/// One `<event>` as written.
#[derive(Debug, Default)]
pub(super) struct Talk<'a> {
    /// Its line, where the reader knows it.
    pub line: Option<u32>,
    /// The day (a position in [`Schedule::days`]) it is listed under.
    pub day: Option<usize>,
    pub guid: Option<Text<'a>>,
    pub id: Option<Text<'a>>,
    pub date: Option<Text<'a>>,
    pub start: Option<Text<'a>>,
    pub duration: Option<Text<'a>>,
    pub room: Option<Text<'a>>,
    pub title: Option<Text<'a>>,
    pub subtitle: Option<Text<'a>>,
    pub track: Option<Text<'a>>,
    pub kind: Option<Text<'a>>,
    pub language: Option<Text<'a>>,
    pub abstract_text: Option<Text<'a>>,
    pub description: Option<Text<'a>>,
    pub url: Option<Text<'a>>,
    pub persons: Vec<Text<'a>>,
    /// (URL, title).
    pub links: Vec<(Text<'a>, Text<'a>)>,
    /// Persons and links past the caps, not kept.
    pub dropped: usize,
}

/// A date-time as schedules write it (`2026-01-31T09:30:00+01:00`): the wall-clock time,
/// and its offset east of UTC in seconds when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    local: NaiveDateTime,
    offset: Option<i32>,
}

/// `2026-01-31T09:30:00+01:00`, `…Z`, `…+0100`, `2026-01-31 09:30`, or a bare date
/// (midnight).
fn parse_stamp(s: &str) -> Option<Stamp> {
    let s = s.trim();
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &s[10..];
    let Some(rest) = rest.strip_prefix(['T', 't', ' ']) else {
        return rest.is_empty().then(|| Stamp {
            local: date.and_time(NaiveTime::MIN),
            offset: None,
        });
    };
    let split = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let clock = clock.split('.').next().unwrap_or(clock);
    let time = parse_clock(clock)?;
    let offset = match zone {
        "" => None,
        "Z" | "z" => Some(0),
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            Some(sign * (hours * 3600 + minutes * 60))
        }
    };
    Some(Stamp {
        local: date.and_time(time),
        offset,
    })
}

/// `09:30`, `9:30`, `09:30:00`.
fn parse_clock(s: &str) -> Option<NaiveTime> {
    let mut parts = s.trim().split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    let sec: u32 = match parts.next() {
        Some(p) => p.trim().parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, sec.min(59))
}

/// A duration as schedules write it: `00:30`, `0:45`, `01:00:00`, or minutes alone.
fn parse_duration(s: &str) -> Option<Duration> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    let n = |p: &str| {
        p.trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=100_000).contains(v))
    };
    let minutes = match parts.as_slice() {
        [m] => n(m)?,
        [h, m] => n(h)? * 60 + n(m)?,
        [h, m, sec] => n(h)? * 60 + n(m)? + i64::from(n(sec)? >= 30),
        _ => return None,
    };
    // Two weeks at most: a conference, not a season.
    (minutes <= 14 * 24 * 60).then(|| Duration::minutes(minutes))
}

/// A day as the builder takes it, and the time of day it starts (a talk listed under it
/// before then is after midnight).
struct DayInfo {
    draft: DayDraft,
    starts_at: Option<NaiveTime>,
    /// The UTC offset its start states.
    offset: Option<i32>,
}

/// The first UTC offset a schedule states, and an instant it holds at.
#[derive(Default)]
struct FirstOffset(Option<(chrono::DateTime<chrono::Utc>, i32)>);

impl FirstOffset {
    fn note(&mut self, stamp: Stamp) {
        if let (None, Some(offset)) = (self.0, stamp.offset) {
            self.0 = Some((stamp_time(stamp, None).instant(Tz::UTC), offset));
        }
    }
}

/// The schedule's meaning: events on their days, in the zone it names.
///
/// # Errors
/// A schedule without events that is no programme to be published: one the reader found
/// broken, a `<schedule>` with neither conference nor days, or a file cut short before its
/// first event.
pub(super) fn into_parsed(
    schedule: Schedule<'_>,
    format: Format,
) -> Result<Parsed<'static>, Problem> {
    if schedule.talks.is_empty() {
        if let Some(why) = schedule.broken {
            return Err(Problem::NotSchedule(why.to_owned()));
        }
        let c = &schedule.conference;
        let no_conference = [
            &c.title,
            &c.acronym,
            &c.city,
            &c.venue,
            &c.time_zone_name,
            &c.day_change,
            &c.start,
        ]
        .iter()
        .all(|f| f.is_none());
        if no_conference && schedule.days.is_empty() {
            return Err(Problem::NotSchedule(
                "a <schedule> with neither conference nor days".into(),
            ));
        }
        if !schedule.complete {
            return Err(Problem::CutBeforeEvents(format.end()));
        }
    }
    let Schedule {
        conference,
        days,
        talks,
        rooms,
        mut warnings,
        complete,
        broken: _,
    } = schedule;
    let named = zone_named(conference.time_zone_name.as_deref(), &mut warnings);
    let day_change = conference.day_change.as_deref().and_then(parse_clock);
    let mut offset = FirstOffset::default();
    let infos = day_infos(&conference, &days, &talks, named, day_change, &mut offset);
    let mut order = RoomOrder::default();
    for room in &rooms {
        order.add(room);
    }
    let events = talk_events(
        talks,
        &infos,
        named,
        (&mut order, &mut offset),
        format,
        &mut warnings,
    );
    let cities = [&conference.city, &conference.venue]
        .into_iter()
        .flatten()
        .map(|c| text::sanitize_line(c))
        .filter(|c| !c.is_empty())
        .collect();
    let name = conference
        .title
        .as_deref()
        .or(conference.acronym.as_deref())
        .map(text::sanitize_line)
        .filter(|n| !n.is_empty());
    Ok(Parsed {
        format,
        source: None,
        threads: 1,
        events: vec![events],
        key: name.clone(),
        name,
        prodid: None,
        producer: Producer {
            bare_speaker_names: false,
            split_titles: false,
        },
        zone: ZoneHints {
            named,
            offset: offset.0,
            cities,
        },
        days: infos.into_iter().flatten().map(|d| d.draft).collect(),
        room_order: order.rooms,
        day_change,
        warnings,
        complete,
    })
}

/// The days with their dates: as written, else the date their start states, else the
/// earliest date of their talks, else the conference's start and their index. A day with
/// none of these is `None`.
fn day_infos(
    conference: &Conference<'_>,
    days: &[Day<'_>],
    talks: &[Talk<'_>],
    named: Option<Tz>,
    day_change: Option<NaiveTime>,
    offset: &mut FirstOffset,
) -> Vec<Option<DayInfo>> {
    let conference_start = conference
        .start
        .as_deref()
        .and_then(parse_stamp)
        .map(|s| s.local.date());
    let mut talk_dates: Vec<Option<NaiveDate>> = vec![None; days.len()];
    for talk in talks {
        if let (Some(day), Some(stamp)) = (talk.day, talk.date.as_deref().and_then(parse_stamp))
            && let Some(slot) = talk_dates.get_mut(day)
        {
            let date = stamp.local.date();
            *slot = Some(slot.map_or(date, |d: NaiveDate| d.min(date)));
        }
    }
    days.iter()
        .enumerate()
        .map(|(i, day)| {
            let index = day
                .index
                .as_deref()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX));
            let start = day.start.as_deref().and_then(parse_stamp);
            let end = day.end.as_deref().and_then(parse_stamp);
            if let Some(s) = start {
                offset.note(s);
            }
            let date = day
                .date
                .as_deref()
                .and_then(|d| parse_stamp(d).map(|s| s.local.date()))
                .or(start.map(|s| s.local.date()))
                .or(talk_dates[i])
                .or_else(|| {
                    conference_start
                        .and_then(|d| d.checked_add_signed(Duration::days(i64::from(index) - 1)))
                })?;
            Some(DayInfo {
                draft: DayDraft {
                    index,
                    date,
                    start: start.map(|s| stamp_time(s, named)),
                    end: end.map(|s| stamp_time(s, named)),
                },
                starts_at: start.map(|s| s.local.time()).or(day_change),
                offset: start.and_then(|s| s.offset),
            })
        })
        .collect()
}

/// The events the talks make, on their days; a talk with no start time is skipped with a
/// warning, as is each kind of oddity counted in one (naming the first event).
fn talk_events(
    talks: Vec<Talk<'_>>,
    infos: &[Option<DayInfo>],
    named: Option<Tz>,
    (order, offset): (&mut RoomOrder, &mut FirstOffset),
    format: Format,
    warnings: &mut Vec<Warning>,
) -> Vec<Event<'static>> {
    let mut events = Vec::with_capacity(talks.len());
    let (mut disagreeing, mut bad_durations, mut dropped) = (0usize, 0usize, 0usize);
    let mut first_disagreeing = None;
    for talk in talks {
        let day = talk.day.and_then(|d| infos.get(d)).and_then(Option::as_ref);
        let date = talk.date.as_deref().and_then(parse_stamp);
        // Day and start: a start before the day's own is after midnight.
        let listed = match (day, talk.start.as_deref().and_then(parse_clock)) {
            (Some(day), Some(clock)) => {
                let after_midnight = day.starts_at.is_some_and(|s| clock < s);
                Some((day.draft.date + Duration::days(i64::from(after_midnight))).and_time(clock))
            }
            _ => None,
        };
        let start = match (date, listed) {
            (Some(stamp), _) => {
                offset.note(stamp);
                stamp_time(stamp, named)
            }
            (None, Some(local)) => {
                // Without a zone name, the offset the day's start states, if any.
                let offset = day.and_then(|d| d.offset).filter(|_| named.is_none());
                stamp_time(Stamp { local, offset }, named)
            }
            (None, None) => {
                warnings.push(skipped(&talk, "no start time"));
                continue;
            }
        };
        let disagrees = date.is_some_and(|d| listed.is_some_and(|l| l != d.local));
        disagreeing += usize::from(disagrees);
        if disagrees && first_disagreeing.is_none() {
            let title = name_of(&[&talk.title]).map(|t| format!(" \"{t}\""));
            let name = title.or_else(|| name_of(&[&talk.guid, &talk.id]).map(|n| format!(" {n}")));
            first_disagreeing = Some((talk.line, name.unwrap_or_default()));
        }
        let length = match talk.duration.as_deref().map(parse_duration) {
            Some(Some(d)) => d,
            Some(None) => {
                bad_durations += 1;
                Duration::zero()
            }
            None => Duration::zero(),
        };
        // A date that disagrees with the day it is listed under and falls in another day's
        // hours belongs to that day (pretalx lists a 03:30 talk under the next date).
        let moved = disagrees.then(|| day_running(infos, start)).flatten();
        let day_date =
            moved.unwrap_or_else(|| day.map_or_else(|| stamp_day(start), |d| d.draft.date));
        dropped += talk.dropped;
        if let Some(room) = &talk.room {
            order.add(room);
        }
        events.push(talk_event(talk, start, length, day_date));
    }
    if let Some((line, name)) = first_disagreeing {
        let field = match format {
            Format::ScheduleXml => "<date>",
            Format::ICalendar | Format::ScheduleJson => "\"date\"",
        };
        let more = match disagreeing {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let message = format!(
            "event{name} gives a {field} that disagrees with its day and start time; \
             the date is followed{more}"
        );
        warnings.push(match line {
            Some(line) => Warning::at(line, message),
            None => Warning::general(message),
        });
    }
    if bad_durations > 0 {
        warnings.push(Warning::general(format!(
            "{bad_durations} event(s) have an unreadable duration and are shown without one"
        )));
    }
    if dropped > 0 {
        warnings.push(Warning::general(format!(
            "{dropped} persons or links ignored: an event keeps its first {MAX_PERSONS} of each"
        )));
    }
    if events.is_empty() {
        warnings.push(Warning::general("the schedule has no events".into()));
    }
    events
}

/// The day whose stated hours hold the instant `t`, if its time is an instant.
fn day_running(infos: &[Option<DayInfo>], t: Time) -> Option<NaiveDate> {
    let Time::Utc(at) = t else {
        return None;
    };
    infos
        .iter()
        .flatten()
        .find_map(|d| match (d.draft.start, d.draft.end) {
            (Some(Time::Utc(s)), Some(Time::Utc(e))) => (s <= at && at < e).then_some(d.draft.date),
            _ => None,
        })
}

/// The date of an instant (for an event listed under no day).
fn stamp_day(t: Time) -> NaiveDate {
    match t {
        Time::Date(d) => d,
        Time::Floating(t) | Time::Utc(t) | Time::Zoned(t, _) => t.date(),
    }
}

/// A stamp as a time: an instant when its offset is given, else wall-clock time in the
/// named zone, else floating (taken in the zone chosen later).
fn stamp_time(stamp: Stamp, named: Option<Tz>) -> Time {
    match (stamp.offset, named) {
        (Some(offset), _) => Time::Utc(stamp.local - Duration::seconds(i64::from(offset))),
        (None, Some(tz)) => Time::Zoned(stamp.local, tz),
        (None, None) => Time::Floating(stamp.local),
    }
}

/// The zone `time_zone_name` names; a name that is none is warned about.
fn zone_named(name: Option<&str>, warnings: &mut Vec<Warning>) -> Option<Tz> {
    let name = name.map(str::trim).filter(|n| !n.is_empty())?;
    let found = zone::resolve_tzid(name, None, 2000);
    if found.is_none() {
        warnings.push(Warning::general(format!(
            "unknown time zone '{}' in time_zone_name; ignored",
            text::sanitize_line(name)
        )));
    }
    found
}

/// The warning for a talk that cannot be shown.
fn skipped(talk: &Talk<'_>, why: &str) -> Warning {
    let name = name_of(&[&talk.guid, &talk.id, &talk.title])
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    let message = format!("event{name} skipped: {why}");
    match talk.line {
        Some(line) => Warning::at(line, message),
        None => Warning::general(message),
    }
}

/// The first of an event's names that it has, cleaned.
fn name_of(names: &[&Option<Text<'_>>]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| n.as_deref())
        .map(text::sanitize_line)
        .find(|n| !n.is_empty())
}

/// Rooms in first-seen order, each once.
#[derive(Default)]
struct RoomOrder {
    seen: HashSet<String>,
    rooms: Vec<String>,
}

impl RoomOrder {
    fn add(&mut self, room: &str) {
        let room = text::sanitize_line(room);
        if !room.is_empty() && self.seen.insert(room.clone()) {
            self.rooms.push(room);
        }
    }
}

/// Optional text, cleaned for one line; empty is none.
fn line(t: Option<Text<'_>>) -> Option<String> {
    t.map(|t| text::sanitize_line(&t)).filter(|t| !t.is_empty())
}

/// The event a talk makes.
fn talk_event(talk: Talk<'_>, start: Time, length: Duration, day: NaiveDate) -> Event<'static> {
    let uid = [&talk.guid, &talk.id]
        .into_iter()
        .flatten()
        .map(|u| text::sanitize_line(u))
        .find(|u| !u.is_empty());
    // The abstract, then the description; one that holds the other stands alone.
    let [abstract_text, more] = [&talk.abstract_text, &talk.description].map(|t| {
        t.as_deref()
            .map(|t| text::rich_text(t.trim()))
            .unwrap_or_default()
    });
    let description = if more.contains(abstract_text.as_str()) {
        more
    } else if abstract_text.contains(more.as_str()) {
        abstract_text
    } else {
        format!("{abstract_text}\n\n{more}")
    };
    let room = line(talk.room).unwrap_or_default();
    let links = talk
        .links
        .into_iter()
        .filter_map(|(url, title)| {
            let url = text::sanitize_line(&url);
            (!url.is_empty()).then(|| Link {
                title: text::sanitize_line(&title).into(),
                url: url.into(),
            })
        })
        .collect();
    let tracks = line(talk.track)
        .filter(|t| !t.eq_ignore_ascii_case("null"))
        .map(Cow::Owned)
        .into_iter()
        .collect();
    let kind = talk.kind.as_deref().and_then(Kind::from_type);
    Event {
        line: talk.line.unwrap_or(0),
        uid: uid.map(Cow::Owned),
        summary: line(talk.title).unwrap_or_default().into(),
        description: text::sanitize_block(description).into(),
        location: room.clone().into(),
        categories: tracks,
        dropped_categories: 0,
        url: line(talk.url).map(Cow::Owned),
        cancelled: false,
        start,
        end: None,
        recurrence: None,
        rare: Some(Box::new(Rare {
            duration: Some(length),
            recurrence_id: None,
            attendees: talk
                .persons
                .iter()
                .map(|p| text::sanitize_line(p))
                .filter(|p| !p.is_empty())
                .collect(),
            geo: None,
            schedule: Some(ScheduleFields {
                subtitle: line(talk.subtitle).unwrap_or_default(),
                language: line(talk.language).unwrap_or_default(),
                links,
                room,
                kind,
                day,
            }),
        })),
    }
}
