//! What time it is. Injected everywhere "now" matters, so tests and users can pretend: `--now`
//! (or its environment form `HALLWAY_NOW`) pins the clock for a whole process, as an RFC 3339
//! time or as a time of day on a conference day (`11:17`, `wed 11:17`), which is only known
//! once the calendar is loaded ([`NowSpec::resolve`]).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::calendar::Calendar;
use crate::calendar::text::sanitize_line;

/// The source of "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

/// A time that could not be read or placed. `origin` says where it came from (`--now`,
/// `HALLWAY_NOW`); `value` is cleaned for the terminal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error(
        "{origin} '{value}' is not a time{reason}: give an RFC 3339 time (2026-04-07T11:17:00+02:00), HH:MM, or a day and HH:MM (wed 11:17)"
    )]
    NotATime {
        origin: &'static str,
        value: String,
        reason: String,
    },
    #[error("{origin} '{value}': {reason}")]
    NoSuchDay {
        origin: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "{origin} '{value}': {date} {time} does not exist in {zone} (the clocks go forward then)"
    )]
    Skipped {
        origin: &'static str,
        value: String,
        date: NaiveDate,
        time: NaiveTime,
        zone: String,
    },
}

/// The environment variable that is `--now`'s other form.
pub const NOW_VAR: &str = "HALLWAY_NOW";

impl Clock {
    /// `HALLWAY_NOW` when set to an RFC 3339 time, else the system clock.
    ///
    /// # Errors
    /// `HALLWAY_NOW` is set but not an RFC 3339 time.
    pub fn from_env() -> Result<Self, ClockError> {
        match std::env::var(NOW_VAR) {
            Ok(value) if !value.is_empty() => Self::parse(&value),
            _ => Ok(Self::System),
        }
    }

    /// A clock fixed at `value`, an RFC 3339 time.
    ///
    /// # Errors
    /// `value` is not one.
    pub fn parse(value: &str) -> Result<Self, ClockError> {
        rfc3339(NOW_VAR, value).map(Self::Fixed)
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(t) => t,
        }
    }
}

/// RFC 3339, and the same without seconds (`2026-04-07T11:17+02:00`), as people write it.
fn rfc3339(origin: &'static str, value: &str) -> Result<DateTime<Utc>, ClockError> {
    let value = value.trim();
    DateTime::parse_from_rfc3339(value)
        .or_else(|e| DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M%#z").map_err(|_| e))
        .map(|t| t.to_utc())
        .map_err(|e| ClockError::NotATime {
            origin,
            value: sanitize_line(value),
            reason: match e.kind() {
                chrono::format::ParseErrorKind::OutOfRange => " (a number out of range)".to_owned(),
                _ => String::new(),
            },
        })
}

/// A pretended "now", as `--now` or `HALLWAY_NOW` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NowSpec {
    origin: &'static str,
    value: String,
    when: When,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum When {
    At(DateTime<Utc>),
    /// A time of day in the display zone, on the day named (as `--day` names days), or on
    /// today when it is a conference day, else the first day.
    OnDay {
        day: Option<String>,
        time: NaiveTime,
    },
}

impl NowSpec {
    /// Reads `value`: an RFC 3339 time, `HH:MM`, or a day and `HH:MM` (`wed 11:17`,
    /// `2 11:17`, `2026-04-08 11:17`).
    ///
    /// # Errors
    /// None of these.
    pub fn parse(origin: &'static str, value: &str) -> Result<Self, ClockError> {
        let text = value.trim();
        let time_of = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
        let when = if let Some(time) = time_of(text) {
            When::OnDay { day: None, time }
        } else if let Some((day, time)) = text.rsplit_once(char::is_whitespace)
            && let Some(time) = time_of(time)
        {
            When::OnDay {
                day: Some(day.trim().to_owned()),
                time,
            }
        } else {
            When::At(rfc3339(origin, value)?)
        };
        Ok(Self {
            origin,
            value: sanitize_line(value),
            when,
        })
    }

    /// `--now` when given, else `HALLWAY_NOW` when set; `None` means the system clock.
    ///
    /// # Errors
    /// The one that applies is not a time.
    pub fn from_flag_or_env(flag: Option<&str>) -> Result<Option<Self>, ClockError> {
        if let Some(value) = flag {
            return Self::parse("--now", value).map(Some);
        }
        match std::env::var(NOW_VAR) {
            Ok(value) if !value.trim().is_empty() => Self::parse(NOW_VAR, &value).map(Some),
            _ => Ok(None),
        }
    }

    /// The clock to use before the calendar is loaded (to fetch it): fixed when the time is
    /// absolute, the system's when it depends on the calendar's days.
    pub fn before_load(&self) -> Clock {
        match self.when {
            When::At(t) => Clock::Fixed(t),
            When::OnDay { .. } => Clock::System,
        }
    }

    /// The clock once `calendar` is loaded: a time of day is placed on its conference day
    /// in the calendar's display zone (after midnight when the time is before the day
    /// change).
    ///
    /// # Errors
    /// The day is not one of the calendar's, or the time does not exist on it (a DST gap).
    pub fn resolve(&self, calendar: &Calendar) -> Result<Clock, ClockError> {
        let (day, time) = match &self.when {
            When::At(t) => return Ok(Clock::Fixed(*t)),
            When::OnDay { day, time } => (day, *time),
        };
        let date = if let Some(day) = day {
            calendar
                .find_day(day)
                .map_err(|reason| ClockError::NoSuchDay {
                    origin: self.origin,
                    value: self.value.clone(),
                    reason: reason.to_string(),
                })?
        } else {
            let days = calendar.days();
            let today = calendar.day_of_instant(Utc::now());
            if days.contains(&today) {
                today
            } else {
                days.first().copied().unwrap_or(today)
            }
        };
        // Before the day change, a time is in the night that ends the conference day named
        // (`1 00:55` at a congress whose days change at 04:00 is the night after day 1).
        // A date written out (`2019-12-28 00:55`) is that date.
        let dated = day
            .as_deref()
            .is_some_and(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_ok());
        let date = match calendar.day_change() {
            Some(change) if time < change && !dated => date.succ_opt().unwrap_or(date),
            _ => date,
        };
        calendar
            .zone
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| Clock::Fixed(t.to_utc()))
            .ok_or_else(|| ClockError::Skipped {
                origin: self.origin,
                value: self.value.clone(),
                date,
                time,
                zone: calendar.zone.name().to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn fixed_times_and_typed_errors() {
        assert_eq!(
            Clock::parse("2026-04-07T11:00:00+02:00").unwrap().now(),
            utc("2026-04-07T09:00:00Z")
        );
        assert_eq!(
            Clock::parse("2026-04-07T11:00+02:00").unwrap().now(),
            utc("2026-04-07T09:00:00Z")
        );
        assert_eq!(
            Clock::parse("2026-04-07T09:00Z").unwrap().now(),
            utc("2026-04-07T09:00:00Z")
        );
        let err = Clock::parse("tuesday\u{1b}[2J").unwrap_err();
        assert!(matches!(&err, ClockError::NotATime { value, .. } if value == "tuesday[2J"));
        assert!(
            err.to_string()
                .starts_with("HALLWAY_NOW 'tuesday[2J' is not a time: give"),
            "{err}"
        );
    }

    #[test]
    fn times_of_day_land_on_conference_days_in_the_display_zone() {
        let cal = Calendar::bundled(None, chrono_tz::Tz::UTC);
        let at = |text: &str| {
            NowSpec::parse("--now", text)
                .and_then(|spec| spec.resolve(&cal))
                .map(Clock::now)
        };
        // Paris is UTC+2 in April.
        assert_eq!(at("wed 11:17").unwrap(), utc("2026-04-08T09:17:00Z"));
        assert_eq!(at("2 11:17").unwrap(), utc("2026-04-08T09:17:00Z"));
        assert_eq!(at("2026-04-07 09:00").unwrap(), utc("2026-04-07T07:00:00Z"));
        // Out of the conference, a bare time is on its first day.
        assert_eq!(at("11:17").unwrap(), utc("2026-04-07T09:17:00Z"));
        assert_eq!(
            at("2026-04-07T11:17:00Z").unwrap(),
            utc("2026-04-07T11:17:00Z")
        );
        let err = at("fri 11:17").unwrap_err();
        assert!(matches!(err, ClockError::NoSuchDay { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("--now 'fri 11:17': no day 'fri' in this calendar"),
            "{err}"
        );
        let err = at("25:00").unwrap_err();
        assert!(
            err.to_string().starts_with("--now '25:00' is not a time"),
            "{err}"
        );
    }

    #[test]
    fn a_day_outside_the_calendar_is_refused_and_fetching_uses_absolute_times() {
        let cal = Calendar::bundled(Some(chrono_tz::Europe::Paris), chrono_tz::Tz::UTC);
        let spec = NowSpec::parse("--now", "2026-03-29 02:30").unwrap();
        // Not a conference day.
        assert!(matches!(
            spec.resolve(&cal),
            Err(ClockError::NoSuchDay { .. })
        ));
        assert_eq!(spec.before_load(), Clock::System);
        let fixed = NowSpec::parse("--now", "2026-04-07T09:00:00Z").unwrap();
        assert_eq!(
            fixed.before_load(),
            Clock::Fixed(utc("2026-04-07T09:00:00Z"))
        );
    }

    #[test]
    fn a_time_the_clocks_skip_is_named() {
        let ics = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:dst\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260329T080000Z\r\nDTEND:20260329T090000Z\r\nSUMMARY:Sunday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let options = crate::calendar::LoadOptions::new(
            "dst.ics",
            Some(chrono_tz::Europe::Paris),
            chrono_tz::Tz::UTC,
        );
        let cal = Calendar::parse(ics.as_bytes(), &options).unwrap();
        let spec = NowSpec::parse("--now", "sun 02:30").unwrap();
        let err = spec.resolve(&cal).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--now 'sun 02:30': 2026-03-29 02:30:00 does not exist in Europe/Paris (the clocks go forward then)"
        );
        let spec = NowSpec::parse("--now", "sun 03:30").unwrap();
        assert_eq!(
            spec.resolve(&cal).unwrap().now(),
            utc("2026-03-29T01:30:00Z")
        );
    }

    #[test]
    fn a_time_before_the_day_change_is_in_that_days_night() {
        let ics = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/night_sessions.ics"
        ))
        .unwrap();
        let options = crate::calendar::LoadOptions::new("night", None, chrono_tz::Tz::UTC);
        let cal = Calendar::parse(&ics, &options).unwrap();
        assert!(cal.day_change().is_some());
        let at = |text: &str| {
            NowSpec::parse("--now", text)
                .unwrap()
                .resolve(&cal)
                .unwrap()
                .now()
        };
        // Berlin is UTC+1 in December; days change at 06:00.
        assert_eq!(at("1 00:55"), utc("2024-12-27T23:55:00Z"));
        assert_eq!(at("fri 00:55"), utc("2024-12-27T23:55:00Z"));
        assert_eq!(at("1 23:00"), utc("2024-12-27T22:00:00Z"));
        assert_eq!(at("2 11:30"), utc("2024-12-28T10:30:00Z"));
        // A date written out is that date.
        assert_eq!(at("2024-12-28 00:55"), utc("2024-12-27T23:55:00Z"));
    }
}
