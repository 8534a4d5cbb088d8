//! The programme and the personal agenda as text, Markdown, JSON, iCalendar and HTML, for
//! `hallway print`. Pure functions of the calendar and plan: they return strings, the caller
//! writes them.

pub mod agenda;
pub mod changes;
pub mod html;
pub mod ics;
pub mod json;
pub mod markdown;
pub mod now;
pub mod text;

use std::fmt::Write;

use chrono::NaiveDate;

use crate::calendar::{Calendar, Session};

/// Sessions grouped by conference day, in order.
pub struct Days<'a> {
    pub calendar: &'a Calendar,
    pub days: Vec<(NaiveDate, Vec<&'a Session>)>,
}

impl<'a> Days<'a> {
    /// The sessions `keep` accepts, on `only` (a day) or on every day.
    pub fn new(
        calendar: &'a Calendar,
        only: Option<NaiveDate>,
        keep: impl Fn(&Session) -> bool,
    ) -> Self {
        let mut days: Vec<(NaiveDate, Vec<&Session>)> = Vec::new();
        for s in calendar.sessions.iter().filter(|s| keep(s)) {
            let day = calendar.day_of(s);
            if only.is_some_and(|d| d != day) {
                continue;
            }
            match days.last_mut() {
                Some((d, list)) if *d == day => list.push(s),
                _ => days.push((day, vec![s])),
            }
        }
        Self { calendar, days }
    }

    pub fn sessions(&self) -> impl Iterator<Item = &'a Session> + '_ {
        self.days.iter().flat_map(|(_, list)| list.iter().copied())
    }
}

/// `Tuesday 7 April 2026`.
pub fn day_heading(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// `09:00–09:10` in the calendar's zone; `all day`; `+1` when it ends on a later day.
pub fn time_range(calendar: &Calendar, s: &Session) -> String {
    let mut out = String::with_capacity(16);
    push_time_range(&mut out, calendar, s);
    out
}

/// Cells of a column that holds the [`time_range`] of each of `sessions`: the widest (a
/// congress's night, `00:50+1–02:50`), and never less than `09:00–09:10`.
pub fn time_column<'a>(calendar: &Calendar, sessions: impl Iterator<Item = &'a Session>) -> usize {
    let mut range = String::with_capacity(16);
    sessions
        .map(|s| {
            range.clear();
            push_time_range(&mut range, calendar, s);
            crate::width::cells(&range)
        })
        .max()
        .unwrap_or(0)
        .max(11)
}

/// Appends [`time_range`]`(calendar, s)` to `out`.
pub fn push_time_range(out: &mut String, calendar: &Calendar, s: &Session) {
    if s.all_day {
        push_days(out, s.end - s.start);
        return;
    }
    let start = calendar.local(s.start).naive_local();
    let day = s
        .day
        .unwrap_or_else(|| calendar.day_of_local(s.start, start));
    push_range(out, day, start, calendar.local(s.end).naive_local());
}

/// Whole days, `all day` or `3 days`, rounded to the nearest (a day across a change of
/// clocks lasts 23 or 25 hours).
pub fn push_days(out: &mut String, length: chrono::Duration) {
    match ((length.num_hours() + 12).div_euclid(24)).max(1) {
        1 => out.push_str("all day"),
        days => {
            let _ = write!(out, "{days} days");
        }
    }
}

/// From `from` to `to` on the conference day `day`, written as sessions' times are: free
/// time between sessions (`11:30–00:50+1`), a session's time as it was (`00:10+1–00:50`).
pub fn range_on_day(
    calendar: &Calendar,
    day: chrono::NaiveDate,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut out = String::with_capacity(16);
    let local = |t| calendar.local(t).naive_local();
    push_range(&mut out, day, local(from), local(to));
    out
}

/// `HH:MM–HH:MM` from `start` to `end` (local times) on the conference day `day`, each
/// `+N` where it is on a later date: the start than the day, the end than the start.
fn push_range(
    out: &mut String,
    day: chrono::NaiveDate,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveDateTime,
) {
    push_clock(out, start.time());
    // A start past midnight of its conference day (a congress's night) says so: `00:50+1`.
    let night = (start.date() - day).num_days();
    if night > 0 {
        let _ = write!(out, "+{night}");
    }
    out.push('–');
    push_clock(out, end.time());
    let later = (end.date() - start.date()).num_days();
    if later > 0 && end.time() != chrono::NaiveTime::MIN {
        let _ = write!(out, "+{later}");
    } else if later > 1 {
        let _ = write!(out, "+{}", later - 1);
    }
}

/// `HH:MM`.
fn push_clock(out: &mut String, t: chrono::NaiveTime) {
    use chrono::Timelike;
    let digit = |n: u32| char::from_digit(n % 10, 10).unwrap_or('0');
    out.push(digit(t.hour() / 10));
    out.push(digit(t.hour()));
    out.push(':');
    out.push(digit(t.minute() / 10));
    out.push(digit(t.minute()));
}

/// The conference day a session belongs to, `Fri 27 Dec` (the evening's day for a talk at
/// 00:50 in a congress's night).
pub fn day_label(calendar: &Calendar, s: &Session) -> String {
    session_day(calendar, s).format("%a %-d %b").to_string()
}

/// The day to name a session by: its conference day when it starts in that day's night,
/// else the date it starts on where it is shown (shown west of the venue, a talk listed on
/// Saturday may start on Friday evening there).
pub fn session_day(calendar: &Calendar, s: &Session) -> chrono::NaiveDate {
    calendar.day_of(s).min(calendar.local(s.start).date_naive())
}

/// The zone times are given in, for headers: `Europe/Paris (CEST)`, its abbreviation as at the
/// first session.
pub fn zone_label(calendar: &Calendar) -> String {
    match calendar.sessions.first() {
        Some(s) => crate::calendar::zone::label(calendar.zone, s.start),
        None => calendar.zone.name().to_owned(),
    }
}
