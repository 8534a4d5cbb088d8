//! iCalendar structure: VCALENDAR, VEVENT and VTIMEZONE components from content lines, in one
//! pass, tolerating what real exports do (junk around the calendar, missing END lines,
//! components we do not use).

use std::collections::HashMap;

use super::Warning;
use super::contentline::{ContentLine, InvalidLines, Unfolded};
use super::event::{self, Repeat};
use super::zone::VTimezone;

/// How many open components an unmatched END may scan; deeper ones are counted by name.
const SHALLOW: usize = 16;

/// The calendar properties read; only the first of each is kept.
const CALENDAR_PROPERTIES: [&str; 3] = ["X-WR-CALNAME", "PRODID", "X-WR-TIMEZONE"];

/// The components of a calendar, their properties borrowed from the unfolded text.
pub struct RawCalendar<'a> {
    /// Properties of the VCALENDAR itself (X-WR-CALNAME, PRODID, X-WR-TIMEZONE …).
    pub props: Vec<ContentLine<'a>>,
    /// The events in runs of about [`RUN_EVENTS`], in order: a run can be let go of once
    /// its events are read.
    pub runs: Vec<RawRun>,
    /// The unfolded text the properties lie in.
    pub text: &'a str,
    /// VTIMEZONEs by TZID.
    pub timezones: HashMap<String, VTimezone>,
    pub warnings: Vec<Warning>,
    /// Whether the (last) calendar was closed by its END:VCALENDAR: a file cut short is not.
    pub complete: bool,
    /// Whether a VTIMEZONE came after a run of events [`read_each`] handed on: that run was
    /// read without it.
    pub late_timezones: bool,
}

/// What [`read_each`] does with each run of events as soon as it is read, given the
/// VTIMEZONEs read so far.
pub type RunSink<'r> = dyn FnMut(&RawRun, &HashMap<String, VTimezone>) + 'r;

/// How many events a [`RawRun`] holds (the last may hold fewer).
pub const RUN_EVENTS: usize = 1024;

/// A run of events and their properties.
#[derive(Default)]
pub struct RawRun {
    pub events: Vec<RawEvent>,
    /// The properties of the run's events, each event's a range of them, as places in the
    /// text.
    props: Vec<Kept>,
}

impl RawRun {
    /// [`RawRun::props_into`] a vector of their own.
    #[cfg(test)]
    pub fn props_of<'a>(&self, event: &RawEvent, text: &'a str) -> Vec<ContentLine<'a>> {
        let mut props = Vec::new();
        self.props_into(event, text, &mut props);
        props
    }

    /// The properties of `event`, one of this run's (not those of its VALARMs), from the
    /// calendar's `text`, into `props` (cleared first): one vector serves every event.
    pub fn props_into<'a>(
        &self,
        event: &RawEvent,
        text: &'a str,
        props: &mut Vec<ContentLine<'a>>,
    ) {
        props.clear();
        props.extend(
            self.props
                .get(event.props.clone())
                .unwrap_or_default()
                .iter()
                .map(|kept| kept.line(text)),
        );
    }
}

impl<'a> RawCalendar<'a> {
    /// The properties of `event` (not those of its VALARMs).
    #[cfg(test)]
    pub fn props_of(&self, event: &RawEvent) -> Vec<ContentLine<'a>> {
        self.runs
            .iter()
            .find(|run| {
                run.events
                    .as_ptr_range()
                    .contains(&std::ptr::from_ref(event))
            })
            .map(|run| run.props_of(event, self.text))
            .unwrap_or_default()
    }

    /// Every event, in order.
    #[cfg(test)]
    pub fn events(&self) -> Vec<&RawEvent> {
        self.runs.iter().flat_map(|run| &run.events).collect()
    }

    /// The first calendar property `name`'s raw value.
    pub fn prop(&self, name: &str) -> Option<&'a str> {
        self.props.iter().find(|p| p.is(name)).map(|p| p.value)
    }
}

/// One VEVENT: where it starts, and which of its run's properties are its own.
pub struct RawEvent {
    pub line: u32,
    props: std::ops::Range<usize>,
}

/// An event's property as kept: where its parts lie in the text, in 28 bytes rather than a
/// [`ContentLine`]'s 56 (a calendar keeps about ten an event).
#[derive(Clone, Copy)]
struct Kept {
    name: u32,
    params: u32,
    params_len: u32,
    value: u32,
    value_len: u32,
    line: u32,
    name_len: u8,
}

impl Kept {
    /// `cl`, whose parts lie in `text`; `None` if they do not, or too far in to say (the
    /// input is far smaller).
    fn of(cl: &ContentLine, text: &str) -> Option<Self> {
        let at = |part: &str| -> Option<(u32, u32)> {
            if part.is_empty() {
                return Some((0, 0));
            }
            let offset = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            (offset + part.len() <= text.len()).then_some(()).and(Some((
                u32::try_from(offset).ok()?,
                u32::try_from(part.len()).ok()?,
            )))
        };
        let (name, name_len) = at(cl.name)?;
        let (params, params_len) = at(cl.params())?;
        let (value, value_len) = at(cl.value)?;
        Some(Self {
            name,
            params,
            params_len,
            value,
            value_len,
            line: cl.line,
            name_len: u8::try_from(name_len).ok()?,
        })
    }

    /// The content line again, from `text`.
    fn line<'a>(&self, text: &'a str) -> ContentLine<'a> {
        let part = |at: u32, len: u32| {
            let at = at as usize;
            text.get(at..at + len as usize).unwrap_or_default()
        };
        ContentLine::from_parts(
            part(self.name, u32::from(self.name_len)),
            part(self.params, self.params_len),
            part(self.value, self.value_len),
            self.line,
        )
    }
}

/// Where the open event keeps its single-valued properties, and how many of each repeatable
/// one it has.
struct Slots {
    slots: [Option<usize>; event::SLOTS],
    counts: [usize; event::COUNTERS],
}

/// Why input holds no calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotACalendar {
    Empty,
    Html,
    NoVCalendar,
    /// Not read to the end: the text [may fold](Unfolded::may_fold), and does; unfold it
    /// and read again.
    Folded,
}

/// A STANDARD or DAYLIGHT block being read: its DTSTART (to keep the latest), offset, month.
#[derive(Default)]
struct Observance {
    daylight: bool,
    dtstart: String,
    offset: Option<i32>,
    month: Option<u32>,
}

/// Counts lines ignored for one reason, remembering the first, for one warning.
#[derive(Default)]
struct Ignored {
    first: Option<u32>,
    count: usize,
}

impl Ignored {
    fn add(&mut self, line: u32) {
        self.first.get_or_insert(line);
        self.count += 1;
    }

    fn warn(&self, what: &str, warnings: &mut Vec<Warning>) {
        if let Some(line) = self.first {
            let s = if self.count == 1 { "" } else { "s" };
            warnings.push(Warning::at(
                line,
                format!("{} line{s} {what} ignored", self.count),
            ));
        }
    }
}

/// Reads the components of `unfolded`.
///
/// # Errors
/// When the input is empty or holds no `BEGIN:VCALENDAR`.
pub fn read<'a>(unfolded: &'a Unfolded<'_>) -> Result<RawCalendar<'a>, NotACalendar> {
    read_with(unfolded, None)
}

/// [`read`], handing each run of events to `sink` as soon as it is read instead of keeping
/// it (the calendar's `runs` are then empty), so that one run's room serves the next and
/// its text is read again while still in cache.
///
/// # Errors
/// As [`read`].
pub fn read_each<'a>(
    unfolded: &'a Unfolded<'_>,
    sink: &mut RunSink<'_>,
) -> Result<RawCalendar<'a>, NotACalendar> {
    read_with(unfolded, Some(sink))
}

fn read_with<'a>(
    unfolded: &'a Unfolded<'_>,
    sink: Option<&mut RunSink<'_>>,
) -> Result<RawCalendar<'a>, NotACalendar> {
    if unfolded.text.trim().is_empty() {
        return Err(NotACalendar::Empty);
    }
    let mut reader = Reader {
        text: &unfolded.text,
        sink,
        ..Reader::default()
    };
    let may_fold = unfolded.may_fold();
    for (line, text) in unfolded.lines() {
        // Without folds a logical line is the physical line of the same number.
        if may_fold && line > 1 && text.starts_with([' ', '\t']) {
            return Err(NotACalendar::Folded);
        }
        if !text.trim().is_empty() {
            reader.line(line, text);
        }
    }
    if !reader.seen_calendar {
        let html = unfolded.text.trim_start().starts_with('<');
        return Err(if html {
            NotACalendar::Html
        } else {
            NotACalendar::NoVCalendar
        });
    }
    Ok(reader.finish(unfolded.invalid))
}

/// The state of one pass over the lines: the open components and what they gathered.
#[derive(Default)]
struct Reader<'a, 's, 'r> {
    props: Vec<ContentLine<'a>>,
    /// The runs of events read so far, and the run being read.
    runs: Vec<RawRun>,
    run: RawRun,
    /// Where each run goes once read, instead of `runs` (see [`read_each`]).
    sink: Option<&'s mut RunSink<'r>>,
    /// How many runs went to the sink.
    handed: usize,
    late_timezones: bool,
    text: &'a str,
    timezones: HashMap<String, VTimezone>,
    /// The open components, outermost first; for those nested deeper than [`SHALLOW`], how
    /// many of each name (in lower case) are open, so an END that matches none of them is
    /// known at once instead of by a scan of the whole stack.
    stack: Vec<&'a str>,
    deep: HashMap<String, usize>,
    seen_calendar: bool,
    complete: bool,
    before: Ignored,
    after: Ignored,
    malformed: Ignored,
    /// Repeats beyond what an event may hold (64 CATEGORIES lines, 8 RRULEs …).
    surplus: Ignored,
    event: Option<RawEvent>,
    kept: Option<Slots>,
    timezone: Option<VTimezone>,
    observance: Option<Observance>,
    observances: Vec<Observance>,
}

impl<'a> Reader<'a, '_, '_> {
    fn line(&mut self, line: u32, text: &'a str) {
        let Some(cl) = ContentLine::parse(text, line) else {
            self.ignore(line);
            return;
        };
        if cl.is("BEGIN") {
            self.begin(cl.value.trim(), line);
        } else if cl.is("END") {
            self.end(cl.value.trim(), line);
        } else {
            self.property(cl);
        }
    }

    /// A line outside any component, or one that is not a content line.
    fn ignore(&mut self, line: u32) {
        match (self.stack.is_empty(), self.seen_calendar) {
            (true, false) => self.before.add(line),
            (true, true) => self.after.add(line),
            (false, _) => self.malformed.add(line),
        }
    }

    fn begin(&mut self, component: &'a str, line: u32) {
        if self.stack.is_empty() && !component.eq_ignore_ascii_case("VCALENDAR") {
            self.ignore(line);
            return;
        }
        self.seen_calendar = true;
        if self.stack.is_empty() {
            self.complete = false;
        }
        if self.stack.len() >= SHALLOW {
            *self.deep.entry(component.to_ascii_lowercase()).or_default() += 1;
        }
        self.stack.push(component);
        let depth = self.stack.len();
        let is = |name: &str| component.eq_ignore_ascii_case(name);
        let in_timezone = depth == 3 && self.stack[1].eq_ignore_ascii_case("VTIMEZONE");
        match depth {
            2 if is("VEVENT") => {
                if self.run.events.len() >= RUN_EVENTS {
                    self.end_run();
                }
                let at = self.run.props.len();
                self.event = Some(RawEvent {
                    line,
                    props: at..at,
                });
                self.kept = Some(Slots {
                    slots: [None; event::SLOTS],
                    counts: [0; event::COUNTERS],
                });
            }
            2 if is("VTIMEZONE") => self.timezone = Some(VTimezone::default()),
            3 if in_timezone && (is("STANDARD") || is("DAYLIGHT")) => {
                self.observance = Some(Observance {
                    daylight: is("DAYLIGHT"),
                    ..Observance::default()
                });
            }
            _ => {}
        }
    }

    /// Closes `component` and, leniently, whatever was left open inside it.
    fn end(&mut self, component: &str, line: u32) {
        let matches = |c: &&str| c.eq_ignore_ascii_case(component);
        let open_deep = self.stack.len() > SHALLOW
            && self
                .deep
                .get(&component.to_ascii_lowercase())
                .is_some_and(|&n| n > 0);
        // Every component a scan passes is closed, so a scan costs what the pops do; an END
        // that matches nothing deep scans only the shallow part.
        let found = if open_deep {
            self.stack.iter().rposition(matches)
        } else {
            self.stack[..self.stack.len().min(SHALLOW)]
                .iter()
                .rposition(matches)
        };
        match found {
            Some(pos) => {
                self.complete |= pos == 0;
                while self.stack.len() > pos {
                    self.close_innermost();
                }
            }
            None if self.stack.is_empty() => self.after.add(line),
            None => self.malformed.add(line),
        }
    }

    fn property(&mut self, cl: ContentLine<'a>) {
        match self.stack.len() {
            0 => self.ignore(cl.line),
            1 if CALENDAR_PROPERTIES.iter().any(|name| cl.is(name))
                && !self
                    .props
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(cl.name)) =>
            {
                self.props.push(cl);
            }
            2 => {
                if let (Some(event), Some(kept)) = (self.event.as_mut(), self.kept.as_mut()) {
                    let props = (&mut self.run.props, self.text);
                    keep_event_property(cl, event, kept, props, &mut self.surplus);
                } else if let Some(tz) = self.timezone.as_mut() {
                    if cl.is("TZID") {
                        tz.tzid = super::text::unescape(cl.value.trim());
                    } else if cl.is("X-LIC-LOCATION") {
                        tz.location = Some(super::text::unescape(cl.value.trim()));
                    }
                }
            }
            3 => {
                if let Some(o) = self.observance.as_mut() {
                    o.take(&cl);
                }
            }
            _ => {}
        }
    }

    /// Finishes the innermost open component.
    fn close_innermost(&mut self) {
        let depth = self.stack.len();
        if let Some(name) = self.stack.pop()
            && depth > SHALLOW
            && let Some(n) = self.deep.get_mut(&name.to_ascii_lowercase())
        {
            *n -= 1;
        }
        match depth {
            2 => {
                self.kept = None;
                if let Some(e) = self.event.take() {
                    self.run.events.push(e);
                }
                if let Some(mut tz) = self.timezone.take() {
                    // The latest STANDARD and DAYLIGHT blocks describe the zone as it is now.
                    self.observances.sort_by(|a, b| a.dtstart.cmp(&b.dtstart));
                    for o in self.observances.drain(..) {
                        match (o.daylight, o.offset) {
                            (false, Some(offset)) => tz.standard = Some(offset),
                            (true, Some(offset)) => {
                                tz.daylight = Some((offset, o.month.unwrap_or(3)));
                            }
                            _ => {}
                        }
                    }
                    if !tz.tzid.is_empty() {
                        self.late_timezones |= self.handed > 0;
                        self.timezones.insert(tz.tzid.clone(), tz);
                    }
                }
            }
            3 => {
                if let Some(o) = self.observance.take() {
                    self.observances.push(o);
                }
            }
            _ => {}
        }
    }

    fn finish(mut self, invalid: InvalidLines) -> RawCalendar<'a> {
        let mut warnings = Vec::new();
        if let Some(open) = &self.event {
            warnings.push(Warning::at(
                open.line,
                "the file ends inside this VEVENT (no END:VEVENT); read as far as it goes".into(),
            ));
        }
        while !self.stack.is_empty() {
            self.close_innermost();
        }
        self.before.warn("before BEGIN:VCALENDAR", &mut warnings);
        self.after.warn("after END:VCALENDAR", &mut warnings);
        self.malformed
            .warn("that are not iCalendar content lines", &mut warnings);
        self.surplus.warn(
            "repeating a property more often than an event may (64 CATEGORIES, 8 RRULE, 1000 RDATE or EXDATE, 64 ATTENDEE)",
            &mut warnings,
        );
        if let Some(line) = invalid.first {
            let n = invalid.count;
            let s = if n == 1 { "" } else { "s" };
            warnings.push(Warning::at(
                line,
                format!("invalid UTF-8 on {n} line{s}, shown as \u{FFFD}"),
            ));
        }
        if !self.run.events.is_empty() {
            self.end_run();
        }
        RawCalendar {
            props: self.props,
            runs: self.runs,
            text: self.text,
            timezones: self.timezones,
            warnings,
            complete: self.complete,
            late_timezones: self.late_timezones,
        }
    }

    /// Hands the run just read to the sink, and reads the next into the same room; or
    /// keeps it, without a sink.
    fn end_run(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            sink(&self.run, &self.timezones);
            self.handed += 1;
            self.run.events.clear();
            self.run.props.clear();
        } else {
            self.runs.push(std::mem::take(&mut self.run));
        }
    }
}

/// Stores `cl`, a property of the open event, if the event reader uses it and does not
/// already hold the one that counts.
fn keep_event_property(
    cl: ContentLine<'_>,
    event: &mut RawEvent,
    slots: &mut Slots,
    (props, text): (&mut Vec<Kept>, &str),
    surplus: &mut Ignored,
) {
    let Some(repeat) = event::repeat_of(cl.name) else {
        return;
    };
    let Some(kept) = Kept::of(&cl, text) else {
        return;
    };
    let slot = match repeat {
        Repeat::First(slot) | Repeat::FirstFilled(slot) | Repeat::Last(slot) => slot,
        Repeat::Each(counter, cap) => {
            slots.counts[counter] += 1;
            if slots.counts[counter] > cap {
                surplus.add(cl.line);
                return;
            }
            props.push(kept);
            event.props.end = props.len();
            return;
        }
    };
    match (slots.slots[slot], repeat) {
        (None, _) => {
            slots.slots[slot] = Some(props.len());
            props.push(kept);
            event.props.end = props.len();
        }
        (Some(at), Repeat::Last(_)) => props[at] = kept,
        (Some(at), Repeat::FirstFilled(_)) if props[at].line(text).value.trim().is_empty() => {
            props[at] = kept;
        }
        _ => {}
    }
}

impl Observance {
    fn take(&mut self, cl: &ContentLine) {
        if cl.is("TZOFFSETTO") {
            self.offset = parse_utc_offset(cl.value);
        } else if cl.is("DTSTART") {
            cl.value.trim().clone_into(&mut self.dtstart);
            self.month = self.month.or_else(|| self.dtstart.get(4..6)?.parse().ok());
        } else if cl.is("RRULE") {
            let by_month = cl.value.split(';').find_map(|part| {
                let (k, v) = part.split_once('=')?;
                k.eq_ignore_ascii_case("BYMONTH").then_some(v)
            });
            if let Some(month) = by_month.and_then(|m| m.split(',').next()?.parse().ok()) {
                self.month = Some(month);
            }
        }
    }
}

/// `+0100`, `-0500`, `+053000` → seconds east of UTC.
fn parse_utc_offset(value: &str) -> Option<i32> {
    let value = value.trim();
    let sign = match value.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &value[1..];
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |i: usize| {
        digits
            .get(i..i + 2)
            .map_or(Some(0), |s| s.parse::<i32>().ok())
    };
    Some(sign * (n(0)? * 3600 + n(2)? * 60 + n(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Summary = (usize, Vec<String>, HashMap<String, VTimezone>);

    fn read_str(s: &str) -> Result<Summary, NotACalendar> {
        let unfolded = Unfolded::new(s.as_bytes());
        let cal = read(&unfolded)?;
        Ok((
            cal.events().len(),
            cal.warnings.iter().map(ToString::to_string).collect(),
            cal.timezones,
        ))
    }

    #[test]
    fn not_a_calendar() {
        assert_eq!(read_str("").err(), Some(NotACalendar::Empty));
        assert_eq!(read_str(" \r\n\n").err(), Some(NotACalendar::Empty));
        assert_eq!(
            read_str("hello\nworld").err(),
            Some(NotACalendar::NoVCalendar)
        );
        assert_eq!(
            read_str("BEGIN:VEVENT\nDTSTART:20260101\nEND:VEVENT\n").err(),
            Some(NotACalendar::NoVCalendar)
        );
        assert_eq!(
            read_str("<!doctype html><p>404").err(),
            Some(NotACalendar::Html)
        );
    }

    #[test]
    fn junk_around_the_calendar_is_ignored_with_warnings() {
        let (events, warnings, _) = read_str(
            "---\n---\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\nX-COMMENT:junk\n",
        )
        .unwrap();
        assert_eq!(events, 1);
        assert_eq!(
            warnings,
            vec![
                "line 1: 2 lines before BEGIN:VCALENDAR ignored",
                "line 8: 1 line after END:VCALENDAR ignored"
            ]
        );
    }

    #[test]
    fn alarm_and_todo_properties_do_not_leak_into_events() {
        let unfolded = Unfolded::new(
            b"BEGIN:VCALENDAR\nBEGIN:VTODO\nSUMMARY:todo\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:ev\nBEGIN:VALARM\nDESCRIPTION:alarm\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        let cal = read(&unfolded).unwrap();
        assert_eq!(cal.events().len(), 1);
        let names: Vec<_> = cal
            .props_of(cal.events()[0])
            .iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, vec!["SUMMARY"]);
    }

    #[test]
    fn a_truncated_file_keeps_its_last_event_with_a_warning() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\n";
        assert!(!read(&Unfolded::new(text.as_bytes())).unwrap().complete);
        let whole = format!("{text}END:VCALENDAR\n");
        assert!(read(&Unfolded::new(whole.as_bytes())).unwrap().complete);
        let (events, warnings, _) = read_str(text).unwrap();
        assert_eq!(events, 2);
        assert!(
            warnings[0].starts_with("line 5: the file ends inside"),
            "{warnings:?}"
        );
    }

    #[test]
    fn an_end_closes_what_it_names_and_whatever_is_open_inside() {
        let unfolded = Unfolded::new(
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nBEGIN:VALARM\nBEGIN:X\nEND:vevent\nSUMMARY:cal\nEND:NOPE\nBEGIN:VEVENT\nUID:2\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        let cal = read(&unfolded).unwrap();
        assert_eq!(cal.events().len(), 2);
        assert_eq!(cal.warnings.len(), 1, "{:?}", cal.warnings);
        assert_eq!(
            cal.warnings[0].to_string(),
            "line 8: 1 line that are not iCalendar content lines ignored"
        );
    }

    #[test]
    fn deep_nesting_and_unmatched_ends_are_linear() {
        // Each unmatched END once scanned the whole stack.
        let n = 100_000;
        let text = format!(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:deep\nDTSTART:20260101T000000Z\n{}{}END:VEVENT\nEND:VCALENDAR\n",
            "BEGIN:X\n".repeat(n),
            "END:Y\n".repeat(n)
        );
        let unfolded = Unfolded::new(text.as_bytes());
        let started = std::time::Instant::now();
        let cal = read(&unfolded).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(cal.events().len(), 1);
        assert_eq!(cal.props_of(cal.events()[0]).len(), 2);
    }

    #[test]
    fn only_the_properties_that_count_are_kept() {
        let unfolded = Unfolded::new(
            b"BEGIN:VCALENDAR\nPRODID:a\nPRODID:b\nX-JUNK:1\nBEGIN:VEVENT\nUID:\nUID:u\nUID:v\nSUMMARY:first\nSUMMARY:second\nSTATUS:CANCELLED\nSTATUS:CONFIRMED\nX-JUNK:1\nDTSTAMP:20260101T000000Z\nCATEGORIES:a\nCATEGORIES:b\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        let cal = read(&unfolded).unwrap();
        assert_eq!(cal.prop("PRODID"), Some("a"));
        assert_eq!(cal.props.len(), 1);
        let kept: Vec<String> = cal
            .props_of(cal.events()[0])
            .iter()
            .map(|p| format!("{}:{}", p.name, p.value))
            .collect();
        assert_eq!(
            kept,
            vec![
                "UID:u",
                "SUMMARY:first",
                "STATUS:CONFIRMED",
                "CATEGORIES:a",
                "CATEGORIES:b"
            ]
        );
        let many = format!(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\n{}END:VEVENT\nEND:VCALENDAR\n",
            "RRULE:FREQ=DAILY\n".repeat(10)
        );
        let unfolded = Unfolded::new(many.as_bytes());
        let cal = read(&unfolded).unwrap();
        assert_eq!(cal.props_of(cal.events()[0]).len(), 8);
        assert!(
            cal.warnings[0]
                .to_string()
                .starts_with("line 11: 2 lines repeating"),
            "{:?}",
            cal.warnings
        );
    }

    #[test]
    fn vtimezone_keeps_latest_observances() {
        let (_, _, tzs) = read_str(
            "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:US-Eastern\nBEGIN:STANDARD\nDTSTART:19671029T020000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETTO:-0500\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19870405T020000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\nTZOFFSETTO:-0400\nEND:DAYLIGHT\nBEGIN:DAYLIGHT\nDTSTART:19600424T020000\nTZOFFSETTO:-0300\nEND:DAYLIGHT\nEND:VTIMEZONE\nEND:VCALENDAR\n",
        )
        .unwrap();
        let tz = &tzs["US-Eastern"];
        assert_eq!(tz.standard, Some(-5 * 3600));
        assert_eq!(tz.daylight, Some((-4 * 3600, 4)));
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(parse_utc_offset("+0100"), Some(3600));
        assert_eq!(parse_utc_offset("-0530"), Some(-19800));
        assert_eq!(parse_utc_offset("+053000"), Some(19800));
        assert_eq!(parse_utc_offset("0100"), None);
        assert_eq!(parse_utc_offset("+1"), None);
    }
}
