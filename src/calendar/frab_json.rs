//! The frab/pretalx/c3voc `schedule.json` reader: `serde_json` walks the document once
//! (text borrowed from the input unless it holds escapes), and every field is read
//! leniently — a number where text was expected is text, `null`, an object or a list where
//! text was expected is nothing — so one odd event never costs the others. Only JSON that
//! is not JSON, or has no `schedule.conference`, is refused.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::build::Parsed;
use super::frab::{self, Conference, Day, MAX_LINKS, MAX_PERSONS, Schedule, Talk, Text};
use super::{Format, Problem, text};

/// Reads a `schedule.json`.
///
/// # Errors
/// When the input is not JSON, or has no `schedule.conference`.
pub(super) fn read(source: &str) -> Result<Parsed<'static>, Problem> {
    // A file cut short (a download that stopped) is read as far as its last whole value,
    // as iCalendar and XML are, and marked incomplete.
    match document(source) {
        Ok(document) => parsed(document, true),
        Err(e) => match close_cut_json(source).filter(|_| e.is_eof()) {
            Some(closed) => parsed(document(&closed).map_err(|_| broken(&e))?, false),
            None => Err(broken(&e)),
        },
    }
}

/// The whole document, and nothing after it.
fn document(source: &str) -> Result<Option<Schedule<'_>>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(source);
    json.deserialize_any(OrDefault(DOCUMENT))
        .and_then(|d| json.end().map(|()| d))
}

fn parsed(document: Option<Schedule<'_>>, complete: bool) -> Result<Parsed<'static>, Problem> {
    let Some(mut schedule) = document else {
        return Err(Problem::NotSchedule(
            "JSON without schedule.conference (not a frab or pretalx schedule.json)".into(),
        ));
    };
    schedule.complete = complete;
    if !complete {
        schedule.warnings.push(super::Warning::general(
            "the file ends inside its JSON; read as far as its last whole part".into(),
        ));
    }
    frab::into_parsed(schedule, Format::ScheduleJson)
}

fn broken(e: &serde_json::Error) -> Problem {
    Problem::NotSchedule(format!(
        "broken JSON ({})",
        text::sanitize_line(&e.to_string())
    ))
}

/// JSON text cut short, up to the last `}` or `]`, with the brackets still open there
/// closed: the most of it that is whole. One pass; `None` when nothing closed.
///
/// After the last closing bracket only openings follow, so the brackets open at the end
/// below that depth are the ones open at the cut.
fn close_cut_json(source: &str) -> Option<String> {
    let mut open: Vec<u8> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    let mut cut = None;
    for (at, &b) in source.as_bytes().iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => open.push(b'}'),
            b'[' => open.push(b']'),
            b'}' | b']' => {
                open.pop();
                cut = Some((at + 1, open.len()));
            }
            _ => {}
        }
    }
    let (at, depth) = cut?;
    let mut closed = String::with_capacity(at + depth);
    closed.push_str(&source[..at]);
    closed.extend(open[..depth].iter().rev().map(|&b| char::from(b)));
    Some(closed)
}

/// Visits an object's entries, calling `entry` with each key and the map to read its value
/// from; anything but an object is skipped.
fn visit_entries<'de, A: MapAccess<'de>>(
    mut map: A,
    mut entry: impl FnMut(&str, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Loose<'de>>()? {
        let key = key.0.unwrap_or_default();
        entry(&key, &mut map)?;
    }
    Ok(())
}

/// Any JSON value read as text: strings as they are, numbers and booleans written out,
/// anything else none.
struct Loose<'a>(Option<Text<'a>>);

impl<'de> de::Deserialize<'de> for Loose<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Owned(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Loose(Some(Cow::Borrowed(if v { "true" } else { "false" }))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Loose(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose(None))
    }
}

/// Reads a value with `visitor` when it is an object (a list, for [`ListVisitor`]s) or a
/// string the visitor takes; any other value is skipped and gives the visitor's default.
struct Lenient<V>(V);

impl<'de, V: Visitor<'de> + Shape> DeserializeSeed<'de> for Lenient<V>
where
    V::Value: Default,
{
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(OrDefault(self.0))
    }
}

/// Whether a visitor reads lists (else objects).
trait Shape {
    const LIST: bool = false;
}

/// `visitor` for the shape it reads, the default for anything else.
struct OrDefault<V>(V);

impl<'de, V: Visitor<'de> + Shape> Visitor<'de> for OrDefault<V>
where
    V::Value: Default,
{
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if V::LIST {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(V::Value::default());
        }
        self.0.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !V::LIST {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(V::Value::default());
        }
        self.0.visit_seq(seq)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(self.0.visit_borrowed_str::<E>(v).unwrap_or_default())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.visit_str::<E>(v).unwrap_or_default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(V::Value::default())
    }
}

/// The value of one member of an object, read by `V` (`None` when absent): the document's
/// `schedule`, the schedule's `conference`.
#[derive(Clone, Copy)]
struct Member<V>(&'static str, V);

impl<V> Shape for Member<V> {}

impl<'de, T, V: Visitor<'de, Value = Option<T>> + Copy + Shape> Visitor<'de> for Member<V> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with {}", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        visit_entries(map, |key, map| {
            if key == self.0 {
                found = map.next_value_seed(Lenient(self.1))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        })?;
        Ok(found)
    }
}

/// The document: `{"schedule": {"conference": {…}}}`; `None` without a conference.
const DOCUMENT: Member<Member<ConferenceVisitor>> =
    Member("schedule", Member("conference", ConferenceVisitor));

/// `conference`: its fields, `rooms` and `days`.
#[derive(Clone, Copy)]
struct ConferenceVisitor;

impl Shape for ConferenceVisitor {}

impl<'de> Visitor<'de> for ConferenceVisitor {
    type Value = Option<Schedule<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a conference object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut schedule = Schedule::default();
        let mut conference = Conference::default();
        visit_entries(map, |key, map| {
            let slot = match key {
                "title" => &mut conference.title,
                "acronym" => &mut conference.acronym,
                "city" => &mut conference.city,
                "venue" => &mut conference.venue,
                "time_zone_name" => &mut conference.time_zone_name,
                "day_change" => &mut conference.day_change,
                "start" => &mut conference.start,
                "rooms" => {
                    schedule.rooms = map.next_value_seed(Lenient(ListVisitor(RoomName)))?;
                    return Ok(());
                }
                "days" => {
                    let Some(days) = map.next_value_seed(Lenient(DaysVisitor))? else {
                        schedule.broken =
                            Some("a schedule.json whose schedule.conference.days is not a list");
                        return Ok(());
                    };
                    for (i, (day, talks)) in days.into_iter().enumerate() {
                        schedule.days.push(day);
                        for (room, list) in talks {
                            schedule.rooms.push(room);
                            schedule
                                .talks
                                .extend(list.into_iter().map(|t| Talk { day: Some(i), ..t }));
                        }
                    }
                    return Ok(());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    return Ok(());
                }
            };
            *slot = map.next_value::<Loose>()?.0;
            Ok(())
        })?;
        schedule.conference = conference;
        Ok(Some(schedule))
    }
}

/// A list whose items `V` reads (items it cannot read are skipped).
struct ListVisitor<V>(V);

impl<V> Shape for ListVisitor<V> {
    const LIST: bool = true;
}

impl<'de, V: Visitor<'de> + Copy + Shape> Visitor<'de> for ListVisitor<V>
where
    V::Value: Default,
{
    type Value = Vec<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Lenient(self.0))? {
            items.push(item);
        }
        Ok(items)
    }
}

/// `conference.days`: `None` when it is not a list.
#[derive(Clone, Copy)]
struct DaysVisitor;

impl Shape for DaysVisitor {
    const LIST: bool = true;
}

impl<'de> Visitor<'de> for DaysVisitor {
    type Value = Option<Vec<DayTalks<'de>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of days")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor(DayVisitor).visit_seq(seq).map(Some)
    }
}

/// A room of the conference's list: `{"name": …}` or a name.
#[derive(Clone, Copy)]
struct RoomName;

impl Shape for RoomName {}

impl<'de> Visitor<'de> for RoomName {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a room")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut name = None;
        visit_entries(map, |key, map| {
            let value = map.next_value::<Loose>()?.0;
            if key == "name" {
                name = value;
            }
            Ok(())
        })?;
        Ok(name.unwrap_or_default())
    }
}

/// A day and its events, room by room (`"rooms": {"Saal 1": [...]}`), in order.
#[derive(Clone, Copy)]
struct DayVisitor;

type DayTalks<'a> = (Day<'a>, Vec<(Text<'a>, Vec<Talk<'a>>)>);

impl Shape for DayVisitor {}

impl<'de> Visitor<'de> for DayVisitor {
    type Value = DayTalks<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a day")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut day = Day::default();
        let mut rooms = Vec::new();
        visit_entries(map, |key, map| {
            let slot = match key {
                "index" => &mut day.index,
                "date" => &mut day.date,
                "day_start" | "start" => &mut day.start,
                "day_end" | "end" => &mut day.end,
                "rooms" => {
                    rooms = map.next_value_seed(Lenient(RoomsVisitor))?;
                    return Ok(());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    return Ok(());
                }
            };
            *slot = map.next_value::<Loose>()?.0;
            Ok(())
        })?;
        Ok((day, rooms))
    }
}

/// `{"Room": [events…], …}`, in order.
struct RoomsVisitor;

impl Shape for RoomsVisitor {}

impl<'de> Visitor<'de> for RoomsVisitor {
    type Value = Vec<(Text<'de>, Vec<Talk<'de>>)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("rooms")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rooms = Vec::new();
        while let Some(Loose(key)) = map.next_key::<Loose<'de>>()? {
            let talks = map.next_value_seed(Lenient(ListVisitor(TalkVisitor)))?;
            rooms.push((key.unwrap_or_default(), talks));
        }
        Ok(rooms)
    }
}

/// One event.
#[derive(Clone, Copy)]
struct TalkVisitor;

impl Shape for TalkVisitor {}

impl<'de> Visitor<'de> for TalkVisitor {
    type Value = Talk<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut talk = Talk::default();
        visit_entries(map, |key, map| {
            let slot = match key {
                "guid" => &mut talk.guid,
                "id" => &mut talk.id,
                "date" => &mut talk.date,
                "start" => &mut talk.start,
                "duration" => &mut talk.duration,
                "room" => &mut talk.room,
                "title" => &mut talk.title,
                "subtitle" => &mut talk.subtitle,
                "track" => &mut talk.track,
                "type" => &mut talk.kind,
                "language" => &mut talk.language,
                "abstract" => &mut talk.abstract_text,
                "description" => &mut talk.description,
                "url" => &mut talk.url,
                "persons" => {
                    let persons = map.next_value_seed(Lenient(ListVisitor(PersonVisitor)))?;
                    for p in persons.into_iter().flatten() {
                        if talk.persons.len() < MAX_PERSONS {
                            talk.persons.push(p);
                        } else {
                            talk.dropped += 1;
                        }
                    }
                    return Ok(());
                }
                "links" => {
                    let links = map.next_value_seed(Lenient(ListVisitor(LinkVisitor)))?;
                    for link in links.into_iter().flatten() {
                        if talk.links.len() < MAX_LINKS {
                            talk.links.push(link);
                        } else {
                            talk.dropped += 1;
                        }
                    }
                    return Ok(());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    return Ok(());
                }
            };
            *slot = map.next_value::<Loose>()?.0;
            Ok(())
        })?;
        Ok(talk)
    }
}

/// A person: `{"public_name": …}` (frab), `{"name": …}`, or a name.
#[derive(Clone, Copy)]
struct PersonVisitor;

impl Shape for PersonVisitor {}

impl<'de> Visitor<'de> for PersonVisitor {
    type Value = Option<Text<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a person")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let (mut public, mut name) = (None, None);
        visit_entries(map, |key, map| {
            match key {
                "public_name" | "full_public_name" => public = map.next_value::<Loose>()?.0,
                "name" => name = map.next_value::<Loose>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        })?;
        Ok(public.or(name))
    }
}

/// A link: `{"url": …, "title": …}` or a URL.
#[derive(Clone, Copy)]
struct LinkVisitor;

impl Shape for LinkVisitor {}

impl<'de> Visitor<'de> for LinkVisitor {
    type Value = Option<(Text<'de>, Text<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a link")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some((Cow::Borrowed(v), Cow::Borrowed(""))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some((Cow::Owned(v.to_owned()), Cow::Borrowed(""))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let (mut url, mut title) = (None, None);
        visit_entries(map, |key, map| {
            match key {
                "url" | "href" => url = map.next_value::<Loose>()?.0,
                "title" => title = map.next_value::<Loose>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        })?;
        Ok(url.map(|u| (u, title.unwrap_or_default())))
    }
}
