//! The personal agenda as data, shared by the text, Markdown and HTML renderers: starred
//! sessions day by day with their clashes, tight transitions and changes, the free time
//! between them, and the stars whose sessions left the schedule.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::calendar::Session;
use crate::plan::{Change, Plan, Star};

/// What to say about a starred session.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub session: &'a Session,
    pub clashes_with: Vec<&'a Session>,
    /// Arriving from another room with too little time: where from, and how long.
    pub tight_from: Option<(&'a Session, Duration)>,
    pub change: Option<&'a Change>,
}

impl Item<'_> {
    /// The one-character mark of the most serious note: `x` cancelled, `!` clash, `*`
    /// changed, `~` tight transition.
    pub fn mark(&self) -> char {
        if self.session.cancelled {
            'x'
        } else if !self.clashes_with.is_empty() {
            '!'
        } else if self.change.is_some() {
            '*'
        } else if self.tight_from.is_some() {
            '~'
        } else {
            ' '
        }
    }
}

/// One line of a day: a session, or free time between sessions.
#[derive(Debug, Clone)]
pub enum Entry<'a> {
    Session(Item<'a>),
    Free {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}

/// The agenda: days with their entries, and the stars no longer in the schedule.
#[derive(Debug, Clone)]
pub struct Agenda<'a> {
    pub plan: &'a Plan<'a>,
    pub days: Vec<(NaiveDate, Vec<Entry<'a>>)>,
    pub gone: Vec<(&'a str, &'a Star)>,
}

/// Free time shorter than this is not worth a line.
const SHORTEST_GAP: Duration = Duration::minutes(1);

impl<'a> Agenda<'a> {
    /// The agenda of `plan`, on `only` (a day) or every day.
    pub fn new(plan: &'a Plan<'a>, only: Option<NaiveDate>) -> Self {
        let cal = plan.calendar;
        let mut days: Vec<(NaiveDate, Vec<Entry>)> = Vec::new();
        // The latest end so far on the current day, among sessions that take time (not
        // background ones), to find the free time before the next.
        let mut busy_until: Option<DateTime<Utc>> = None;
        for &s in &plan.starred {
            let day = cal.day_of(s);
            if only.is_some_and(|d| d != day) {
                continue;
            }
            if days.last().is_none_or(|(d, _)| *d != day) {
                days.push((day, Vec::new()));
                busy_until = None;
            }
            let entries = &mut days.last_mut().expect("a day was pushed").1;
            if !s.is_background() && !s.cancelled {
                if let Some(until) = busy_until
                    && s.start - until >= SHORTEST_GAP
                {
                    entries.push(Entry::Free {
                        from: until,
                        to: s.start,
                    });
                }
                busy_until = Some(busy_until.map_or(s.end, |u| u.max(s.end)));
            }
            entries.push(Entry::Session(Item {
                session: s,
                clashes_with: plan.clashes_with(&s.id),
                tight_from: plan.tight_into(&s.id),
                change: plan.change(&s.id),
            }));
        }
        let gone = if only.is_some() {
            Vec::new()
        } else {
            plan.missing.clone()
        };
        Self { plan, days, gone }
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.gone.is_empty()
    }
}

/// `1 h 50 min`, `25 min`.
pub fn duration_text(d: Duration) -> String {
    let minutes = d.num_minutes();
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The notes under a session: each with its mark, most serious first.
pub fn notes(cal: &crate::calendar::Calendar, item: &Item) -> Vec<(char, String)> {
    let mut notes = Vec::new();
    if item.session.cancelled {
        notes.push(('x', "cancelled".to_owned()));
    }
    for other in &item.clashes_with {
        notes.push((
            '!',
            format!(
                "clashes with {} ({} {})",
                other.title,
                other.room,
                super::time_range(cal, other)
            ),
        ));
    }
    if let Some(change) = item.change {
        notes.extend(change_notes(cal, change).into_iter().map(|n| ('*', n)));
    }
    if let Some((from, gap)) = item.tight_from {
        notes.push((
            '~',
            format!("only {} to get here from {}", duration_text(gap), from.room),
        ));
    }
    notes
}

/// What changed, in words: `moved: was Tue 10:00–10:30`, `room: was Lobby`, `renamed: was …`.
pub fn change_notes(cal: &crate::calendar::Calendar, change: &Change) -> Vec<String> {
    let mut notes = Vec::new();
    if change.republished_from.is_some() {
        notes.push("re-published under a new id; your star moved with it".to_owned());
    }
    if change.moved {
        notes.push(format!("moved: was {}", old_time(cal, &change.old)));
    }
    if change.room_changed {
        notes.push(format!("room changed: was {}", change.old.room));
    }
    if change.renamed {
        notes.push(format!("renamed: was “{}”", change.old.title));
    }
    notes
}

/// A snapshot's time in the display zone: `Tue 7 Apr 10:00–10:30`.
pub fn old_time(cal: &crate::calendar::Calendar, star: &Star) -> String {
    match star.times() {
        Some((start, end)) => {
            // Its conference day, as the session's time now is written (`Fri 27 Dec
            // 00:50+1–02:50` in a congress's night; `Tue 7 Apr 2 days` for whole days).
            let local = cal.local(start);
            let hours = (end - start).num_hours();
            let (day, range) = if local.time() == chrono::NaiveTime::MIN
                && hours >= 23
                && (end - start).num_minutes() % 60 == 0
                && matches!(hours % 24, 0 | 1 | 23)
            {
                // Whole days (23 or 25 hours across a change of clocks), from that date.
                let mut range = String::new();
                super::push_days(&mut range, end - start);
                (local.date_naive(), range)
            } else {
                let day = cal.day_of_instant(start);
                (day, super::range_on_day(cal, day, start, end))
            };
            format!("{} {range}", day.format("%a %-d %b"))
        }
        None => format!("{}–{}", star.start, star.end),
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use crate::calendar::{Calendar, LoadOptions};
    use crate::plan::Star;

    /// A star's time as it was is written as the session's time now is: on its conference
    /// day, `+1` past midnight (it read `Sat 28 Dec 00:50–02:50` beside `Fri 27 Dec
    /// 01:20+1–03:20` in the report of a session moved half an hour later).
    #[test]
    fn a_time_as_it_was_is_on_its_conference_day() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/frab_night_extras.xml"
        ))
        .unwrap();
        let cal = Calendar::parse(&xml, &LoadOptions::new("night", None, Tz::UTC)).unwrap();
        let at = "2019-12-01T08:00:00Z".parse().unwrap();
        let quiz = Star::of(cal.get("ev-quiz").unwrap(), at);
        assert_eq!(super::old_time(&cal, &quiz), "Fri 27 Dec 00:50+1–02:50");
        let opening = Star::of(cal.get("ev-opening").unwrap(), at);
        assert_eq!(super::old_time(&cal, &opening), "Fri 27 Dec 11:00–11:30");
        // Whole days from midnight (Berlin's, the fixture's zone) are written as the
        // session's time is: on their date, not the night before the day change.
        let mut days = opening.clone();
        days.start = "2019-12-27T23:00:00Z".into();
        days.end = "2019-12-29T23:00:00Z".into();
        assert_eq!(super::old_time(&cal, &days), "Sat 28 Dec 2 days");
        days.end = "2019-12-28T23:00:00Z".into();
        assert_eq!(super::old_time(&cal, &days), "Sat 28 Dec all day");
    }
}
