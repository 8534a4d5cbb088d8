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
    if s.all_day {
        let days = (s.end - s.start).num_hours().div_euclid(24).max(1);
        return if days == 1 {
            "all day".to_owned()
        } else {
            format!("{days} days")
        };
    }
    let start = calendar.local(s.start);
    let end = calendar.local(s.end);
    let later = (end.date_naive() - start.date_naive()).num_days();
    let suffix = if later > 0 && end.time() != chrono::NaiveTime::MIN {
        format!("+{later}")
    } else if later > 1 {
        format!("+{}", later - 1)
    } else {
        String::new()
    };
    format!("{}–{}{suffix}", start.format("%H:%M"), end.format("%H:%M"))
}

/// The zone times are given in, for headers: `Europe/Paris (CEST)`, its abbreviation as at the
/// first session.
pub fn zone_label(calendar: &Calendar) -> String {
    match calendar.sessions.first() {
        Some(s) => crate::calendar::zone::label(calendar.zone, s.start),
        None => calendar.zone.name().to_owned(),
    }
}
