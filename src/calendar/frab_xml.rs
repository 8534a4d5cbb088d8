//! The frab/Pentabarf `schedule.xml` reader: one streaming pass of `quick-xml` over the text
//! (no tree, text borrowed from the input unless it holds entities), lenient as real files
//! need: `<event>` directly under `<day>` (Pentabarf 2007), single-quoted attributes, links
//! in `href` or in their text, end tags that do not match. XML that breaks off keeps the
//! events before the break, with a warning.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event as XmlEvent};

use super::build::Parsed;
use super::frab::{self, Day, MAX_LINKS, MAX_PERSONS, Schedule, Talk, Text};
use super::{Format, Problem, Warning, text};

/// Bytes looked at for the root element (past the XML declaration, comments, a doctype).
const PROLOG: usize = 64 * 1024;

/// The name of the document's first element, if one starts within the first 64 KB.
pub(super) fn root_name(bytes: &[u8]) -> Option<&str> {
    let bytes = &bytes[..bytes.len().min(PROLOG)];
    let mut at = 0;
    loop {
        at += bytes[at..].iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = &bytes[at..];
        let skip_to = |end: &[u8]| memchr::memmem::find(rest, end).map(|e| e + end.len());
        if rest.starts_with(b"<?") {
            at += skip_to(b"?>")?;
        } else if rest.starts_with(b"<!--") {
            at += skip_to(b"-->")?;
        } else if rest.starts_with(b"<!") {
            at += skip_to(b">")?;
        } else if let Some(name) = rest.strip_prefix(b"<") {
            let len = name
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':')))
                .unwrap_or(name.len());
            return std::str::from_utf8(&name[..len]).ok();
        } else {
            return None;
        }
    }
}

/// Whether the document's root is `<schedule>`.
pub(super) fn has_schedule_root(bytes: &[u8]) -> bool {
    root_name(bytes).is_some_and(|n| n.eq_ignore_ascii_case("schedule"))
}

/// Where the reader is: the elements that matter, and fields whose text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Schedule,
    Conference,
    ConferenceField(ConferenceField),
    /// `<rooms>` of the conference (newer exports list the rooms in order).
    ConferenceRooms,
    ConferenceRoom,
    Day,
    /// `<room name=…>` under a day, wrapping its events.
    DayRoom,
    Event,
    Field(Field),
    Persons,
    Person,
    Links,
    Link,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConferenceField {
    Title,
    Acronym,
    City,
    Venue,
    TimeZoneName,
    DayChange,
    Start,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Start,
    Duration,
    Room,
    Title,
    Subtitle,
    Track,
    Type,
    Language,
    Abstract,
    Description,
    Url,
}

impl Field {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "date" => Self::Date,
            "start" => Self::Start,
            "duration" => Self::Duration,
            "room" => Self::Room,
            "title" => Self::Title,
            "subtitle" => Self::Subtitle,
            "track" => Self::Track,
            "type" => Self::Type,
            "language" => Self::Language,
            "abstract" => Self::Abstract,
            "description" => Self::Description,
            "url" => Self::Url,
            _ => return None,
        })
    }
}

impl ConferenceField {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "title" => Self::Title,
            "acronym" => Self::Acronym,
            "city" => Self::City,
            "venue" => Self::Venue,
            "time_zone_name" => Self::TimeZoneName,
            "day_change" => Self::DayChange,
            "start" => Self::Start,
            _ => return None,
        })
    }
}

/// Counts lines up to a byte offset, moving forward only: linear over the whole pass.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, offset: u64) -> u32 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if offset > self.at {
            let newlines =
                memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.at..offset]).count();
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.at = offset;
        }
        self.line
    }
}

/// The reading of one document.
struct Reader<'a> {
    schedule: Schedule<'a>,
    stack: Vec<Tag>,
    /// The text of the innermost field being read.
    text: Option<Text<'a>>,
    /// The event being read, and the room wrapper it is in.
    talk: Option<Talk<'a>>,
    room: Option<Text<'a>>,
    /// A `<link>`'s `href`.
    href: Option<Text<'a>>,
    /// A conference `<room>`'s `name`.
    room_name: Option<Text<'a>>,
}

/// Reads a `schedule.xml`.
///
/// # Errors
/// When the root is not `<schedule>`, or the XML breaks before the schedule starts.
pub(super) fn read(source: &str) -> Result<Parsed<'static>, Problem> {
    if !has_schedule_root(source.as_bytes()) {
        let root = root_name(source.as_bytes()).map_or_else(String::new, text::sanitize_line);
        return Err(Problem::NotSchedule(format!(
            "XML whose root is <{root}>, not <schedule>"
        )));
    }
    let mut xml = quick_xml::Reader::from_str(source);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut lines = Lines {
        text: source,
        at: 0,
        line: 1,
    };
    let mut reader = Reader {
        schedule: Schedule::default(),
        stack: Vec::new(),
        text: None,
        talk: None,
        room: None,
        href: None,
        room_name: None,
    };
    loop {
        let before = xml.buffer_position();
        match xml.read_event() {
            Ok(XmlEvent::Start(e)) => {
                reader.start(&e, || lines.at(before));
            }
            Ok(XmlEvent::Empty(e)) => {
                reader.start(&e, || lines.at(before));
                reader.end();
            }
            Ok(XmlEvent::End(_)) => reader.end(),
            Ok(XmlEvent::Text(t)) => reader.push(t.xml10_content()),
            Ok(XmlEvent::CData(t)) => reader.push(t.into_inner()),
            Ok(XmlEvent::GeneralRef(r)) => reader.push(entity(&r)),
            Ok(XmlEvent::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                if reader.stack.is_empty() && reader.schedule.talks.is_empty() {
                    return Err(Problem::NotSchedule(format!(
                        "broken XML at line {}: {}",
                        lines.at(xml.error_position()),
                        text::sanitize_line(&e.to_string())
                    )));
                }
                let line = lines.at(xml.error_position());
                let lost = if reader.talk.is_some() {
                    "; the event it is in is skipped"
                } else {
                    ""
                };
                reader.schedule.warnings.push(Warning::at(
                    line,
                    format!(
                        "the XML breaks off here ({}): read as far as it goes{lost}",
                        text::sanitize_line(&e.to_string())
                    ),
                ));
                reader.schedule.complete = false;
                return frab::into_parsed(reader.schedule, Format::ScheduleXml);
            }
        }
    }
    if !reader.stack.is_empty() {
        reader.schedule.complete = false;
        if let Some(line) = reader.talk.and_then(|t| t.line) {
            reader.schedule.warnings.push(Warning::at(
                line,
                "the file ends inside this event; it is skipped".into(),
            ));
        }
    }
    frab::into_parsed(reader.schedule, Format::ScheduleXml)
}

/// The text an entity reference stands for: the XML ones and character references; any
/// other (`&nbsp;`, from HTML) is kept as written, for the HTML reading of the text.
fn entity<'a>(r: &quick_xml::events::BytesRef<'a>) -> Text<'a> {
    match r.as_ref() {
        "lt" => Cow::Borrowed("<"),
        "gt" => Cow::Borrowed(">"),
        "amp" => Cow::Borrowed("&"),
        "apos" => Cow::Borrowed("'"),
        "quot" => Cow::Borrowed("\""),
        name => match r.resolve_char_ref() {
            Ok(Some(c)) => Cow::Owned(c.to_string()),
            _ => Cow::Owned(format!("&{name};")),
        },
    }
}

/// An attribute's value, entities resolved where they can be.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<Text<'static>> {
    let mut attributes = e.attributes();
    attributes.with_checks(false);
    attributes.flatten().find_map(|a| {
        (a.key.as_ref() == name).then(|| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap_or_else(|_| a.value.clone());
            Cow::Owned(value.into_owned())
        })
    })
}

impl<'a> Reader<'a> {
    /// An element opens; `line` counts its line (only events need it: counting for every
    /// element cost 5% of reading FOSDEM).
    fn start(&mut self, e: &BytesStart<'a>, line: impl FnOnce() -> u32) {
        let name = e.local_name().into_inner();
        let tag = match (self.stack.last(), name) {
            (None, "schedule") => Tag::Schedule,
            (Some(Tag::Schedule), "conference") => Tag::Conference,
            (Some(Tag::Conference), "rooms") => Tag::ConferenceRooms,
            (Some(Tag::ConferenceRooms), "room") => {
                self.room_name = attribute(e, "name");
                Tag::ConferenceRoom
            }
            (Some(Tag::Conference), field) => {
                ConferenceField::of(field).map_or(Tag::Other, Tag::ConferenceField)
            }
            (Some(Tag::Schedule), "day") => {
                self.schedule.days.push(Day {
                    index: attribute(e, "index"),
                    date: attribute(e, "date"),
                    start: attribute(e, "start"),
                    end: attribute(e, "end"),
                });
                Tag::Day
            }
            (Some(Tag::Day), "room") => {
                self.room = attribute(e, "name");
                if let Some(room) = &self.room {
                    self.schedule.rooms.push(room.clone());
                }
                Tag::DayRoom
            }
            (Some(Tag::Day | Tag::DayRoom), "event") => {
                self.talk = Some(Talk {
                    line: Some(line()),
                    day: self.schedule.days.len().checked_sub(1),
                    guid: attribute(e, "guid"),
                    id: attribute(e, "id"),
                    room: self.room.clone(),
                    ..Talk::default()
                });
                Tag::Event
            }
            (Some(Tag::Event), "persons") => Tag::Persons,
            (Some(Tag::Persons), "person") => Tag::Person,
            (Some(Tag::Event), "links") => Tag::Links,
            (Some(Tag::Links), "link") => {
                self.href = attribute(e, "href");
                Tag::Link
            }
            (Some(Tag::Event), field) => Field::of(field).map_or(Tag::Other, Tag::Field),
            _ => Tag::Other,
        };
        if tag != Tag::Other {
            self.text = None;
        }
        self.stack.push(tag);
    }

    /// Text inside the innermost element: kept when it is a field's.
    fn push(&mut self, piece: Text<'a>) {
        if !matches!(
            self.stack.last(),
            Some(
                Tag::ConferenceField(_)
                    | Tag::ConferenceRoom
                    | Tag::Field(_)
                    | Tag::Person
                    | Tag::Link
            )
        ) {
            return;
        }
        self.text = Some(match self.text.take() {
            None => piece,
            Some(mut t) => {
                t.to_mut().push_str(&piece);
                t
            }
        });
    }

    fn end(&mut self) {
        let Some(tag) = self.stack.pop() else {
            return;
        };
        let value = self.text.take();
        match tag {
            Tag::Schedule => self.schedule.complete = true,
            Tag::ConferenceField(field) => {
                let c = &mut self.schedule.conference;
                let slot = match field {
                    ConferenceField::Title => &mut c.title,
                    ConferenceField::Acronym => &mut c.acronym,
                    ConferenceField::City => &mut c.city,
                    ConferenceField::Venue => &mut c.venue,
                    ConferenceField::TimeZoneName => &mut c.time_zone_name,
                    ConferenceField::DayChange => &mut c.day_change,
                    ConferenceField::Start => &mut c.start,
                };
                *slot = value;
            }
            Tag::ConferenceRoom => {
                if let Some(room) = self.room_name.take().or(value) {
                    self.schedule.rooms.push(room);
                }
            }
            Tag::DayRoom => self.room = None,
            Tag::Event => {
                if let Some(talk) = self.talk.take() {
                    self.schedule.talks.push(talk);
                }
            }
            Tag::Field(field) => self.field(field, value),
            Tag::Person => {
                if let (Some(talk), Some(name)) = (self.talk.as_mut(), value) {
                    if talk.persons.len() < MAX_PERSONS {
                        talk.persons.push(name);
                    } else {
                        talk.dropped += 1;
                    }
                }
            }
            Tag::Link => {
                let href = self.href.take();
                if let Some(talk) = self.talk.as_mut() {
                    let title = value.unwrap_or_default();
                    // Old exports put the URL in the text.
                    let (url, title) = match href {
                        Some(url) if !url.trim().is_empty() => (url, title),
                        _ => (Cow::Owned(title.trim().to_owned()), Cow::Borrowed("")),
                    };
                    if talk.links.len() < MAX_LINKS {
                        talk.links.push((url, title));
                    } else {
                        talk.dropped += 1;
                    }
                }
            }
            _ => {}
        }
    }

    fn field(&mut self, field: Field, value: Option<Text<'a>>) {
        let Some(talk) = self.talk.as_mut() else {
            return;
        };
        let slot = match field {
            Field::Date => &mut talk.date,
            Field::Start => &mut talk.start,
            Field::Duration => &mut talk.duration,
            Field::Room => &mut talk.room,
            Field::Title => &mut talk.title,
            Field::Subtitle => &mut talk.subtitle,
            Field::Track => &mut talk.track,
            Field::Type => &mut talk.kind,
            Field::Language => &mut talk.language,
            Field::Abstract => &mut talk.abstract_text,
            Field::Description => &mut talk.description,
            Field::Url => &mut talk.url,
        };
        // An empty <room/> keeps the room wrapper's name.
        if value.as_deref().is_some_and(|v| !v.trim().is_empty()) || slot.is_none() {
            *slot = value;
        }
    }
}
