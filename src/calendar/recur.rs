//! Recurrence: the start instants of a recurring event (RRULE, RDATE, EXDATE), expanded with
//! the `rrule` crate inside a window and under a cap, so no rule can hang or flood the load.

use std::collections::HashSet;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};

use super::event::Event;
use super::time::{self, Time};

/// Occurrences one event may have; more are cut with a warning.
pub const MAX_OCCURRENCES: u16 = 1000;
/// Longest RRULE read; real ones are a few dozen bytes, and the `rrule` crate is not
/// linear in every part of a long one (thousands of BYDAY values).
const MAX_RULE_LEN: usize = 1024;

/// A recurrence rule that could not be used (its text cleaned for display).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("RRULE '{rule}' not understood ({why})")]
    NotUnderstood { rule: String, why: String },
    #[error("RRULE UNTIL '{0}' is not a date")]
    BadUntil(String),
    #[error("RRULE '{0}' not understood (unexpected characters)")]
    UnexpectedCharacters(String),
    #[error("RRULE of {0} bytes ignored (longer than {MAX_RULE_LEN})")]
    TooLong(usize),
    #[error("RRULE '{0}' never matches a day")]
    NeverMatches(String),
}

/// `s` cleaned for a message, and cut short.
fn shown(s: &str) -> String {
    let s = super::text::sanitize_line(s);
    match s.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

fn not_understood(rule: &str, why: impl std::fmt::Display) -> RuleError {
    RuleError::NotUnderstood {
        rule: shown(rule),
        why: shown(&why.to_string()),
    }
}

/// The starts of `event`'s occurrences up to `until` (inclusive), in order, as the occurrence's
/// instant and the key that names it (`20260407T070000Z`, or `20260407` for a date).
/// `truncated` says whether the cap cut the list.
pub struct Expansion {
    pub starts: Vec<(DateTime<Utc>, String)>,
    pub truncated: bool,
    pub error: Option<RuleError>,
}

/// Whether every RRULE of the event ends by itself (COUNT or UNTIL).
pub fn is_bounded(event: &Event) -> bool {
    event.rrules().iter().all(|rule| {
        rule.split(';').any(|part| {
            let key = part.split('=').next().unwrap_or("").trim();
            key.eq_ignore_ascii_case("COUNT") || key.eq_ignore_ascii_case("UNTIL")
        })
    })
}

/// The key an occurrence starting at `start` is named by.
pub fn occurrence_key(start: Time, floating: Tz) -> String {
    match start {
        Time::Date(d) => d.format("%Y%m%d").to_string(),
        other => time::utc_stamp(other.instant(floating)),
    }
}

/// Expands `event` (which has an RRULE or RDATE) up to `until`.
pub fn expand(event: &Event, floating: Tz, until: DateTime<Utc>) -> Expansion {
    let zone = event.start.zone(floating);
    let rzone = rrule::Tz::Tz(zone);
    let dtstart = event.start.instant(floating).with_timezone(&rzone);
    let mut error = None;
    let mut truncated = false;
    let mut starts: Vec<Time> = vec![event.start];

    let mut set = RRuleSet::new(dtstart);
    let mut rule_until = until;
    for rule in event.rrules() {
        match parse_rule(rule, event.start, floating) {
            Ok((parsed, own_until)) => match parsed.validate(dtstart) {
                Ok(valid) => {
                    set = set.rrule(valid);
                    if let Some(u) = own_until {
                        rule_until = rule_until.min(u);
                    }
                }
                Err(e) => error = Some(not_understood(rule, e)),
            },
            Err(e) => error = Some(e),
        }
    }
    if !set.get_rrule().is_empty() {
        let result = set
            .before(rule_until.with_timezone(&rzone))
            .all(MAX_OCCURRENCES);
        truncated = result.limited && result.dates.len() >= usize::from(MAX_OCCURRENCES);
        starts = result
            .dates
            .into_iter()
            .map(|dt| match event.start {
                Time::Date(_) => Time::Date(dt.date_naive()),
                Time::Utc(_) => Time::Utc(dt.naive_utc()),
                Time::Zoned(_, tz) => Time::Zoned(dt.naive_local(), tz),
                Time::Floating(_) => Time::Floating(dt.naive_local()),
            })
            .collect();
        if starts.is_empty() {
            starts.push(event.start);
        }
    }
    starts.extend(
        event
            .rdates()
            .iter()
            .copied()
            .filter(|t| t.instant(floating) <= until),
    );

    let excluded_instants: HashSet<DateTime<Utc>> = event
        .exdates()
        .iter()
        .filter(|t| !t.is_date())
        .map(|t| t.instant(floating))
        .collect();
    let excluded_dates: HashSet<NaiveDate> = event
        .exdates()
        .iter()
        .filter_map(|t| match t {
            Time::Date(d) => Some(*d),
            _ => None,
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out: Vec<(DateTime<Utc>, String)> = starts
        .into_iter()
        .filter(|t| {
            let instant = t.instant(floating);
            let local_date = instant.with_timezone(&zone).date_naive();
            !excluded_instants.contains(&instant) && !excluded_dates.contains(&local_date)
        })
        .map(|t| (t.instant(floating), occurrence_key(t, floating)))
        .filter(|(_, key)| seen.insert(key.clone()))
        .collect();
    out.sort();
    if out.len() > usize::from(MAX_OCCURRENCES) {
        out.truncate(usize::from(MAX_OCCURRENCES));
        truncated = true;
    }
    Expansion {
        starts: out,
        truncated,
        error,
    }
}

/// Parses an RRULE value leniently (any case, empty parts, X- parts dropped). UNTIL is taken
/// out and returned as an instant, so a date or floating UNTIL works with any DTSTART.
fn parse_rule(
    rule: &str,
    start: Time,
    floating: Tz,
) -> Result<(RRule<Unvalidated>, Option<DateTime<Utc>>), RuleError> {
    if rule.len() > MAX_RULE_LEN {
        return Err(RuleError::TooLong(rule.len()));
    }
    let mut until = None;
    let mut kept = Vec::new();
    for part in rule.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = key.trim().to_ascii_uppercase();
        if key.starts_with("X-") {
            continue;
        }
        if key == "UNTIL" {
            let parsed =
                time::parse(value, false, None).ok_or_else(|| RuleError::BadUntil(shown(value)))?;
            until = Some(match parsed {
                // A date UNTIL includes that whole day.
                Time::Date(d) => {
                    let end = d.and_hms_opt(23, 59, 59).unwrap_or_default();
                    time::local_to_utc(end, start.zone(floating))
                }
                Time::Floating(t) => time::local_to_utc(t, start.zone(floating)),
                other => other.instant(floating),
            });
            continue;
        }
        let part = format!("{key}={}", value.trim().to_ascii_uppercase());
        // RRULE syntax is ASCII letters, digits and a little punctuation; the rrule crate
        // slices strings assuming so.
        if !part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=,+-".contains(&b))
        {
            return Err(RuleError::UnexpectedCharacters(shown(rule)));
        }
        kept.push(part);
    }
    if never_matches(&kept) {
        return Err(RuleError::NeverMatches(shown(rule)));
    }
    let parsed = RRule::from_str(&kept.join(";")).map_err(|e| not_understood(rule, e))?;
    Ok((parsed, until))
}

/// Whether a rule's BYMONTHDAY names no day that any of its months has (`BYMONTH=2;
/// BYMONTHDAY=30`): the `rrule` crate would look for one through 100,000 periods, which a
/// file of such rules turns into seconds.
fn never_matches(parts: &[String]) -> bool {
    let values = |key: &str| -> Option<Vec<i32>> {
        let part = parts.iter().find_map(|p| p.strip_prefix(key))?;
        Some(part.split(',').filter_map(|v| v.parse().ok()).collect())
    };
    let Some(days) = values("BYMONTHDAY=") else {
        return false;
    };
    let months = values("BYMONTH=").unwrap_or_else(|| (1..=12).collect());
    let longest = |month: i32| match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    !days.is_empty()
        && !months.is_empty()
        && days
            .iter()
            .all(|&d| months.iter().all(|&m| d == 0 || d.abs() > longest(m)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::event::Recurrence;
    use chrono::{Duration, NaiveDateTime};

    fn zoned(s: &str, tz: Tz) -> Time {
        Time::Zoned(
            NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%S").unwrap(),
            tz,
        )
    }

    fn event(start: Time, rrule: &str) -> Event<'static> {
        Event {
            line: 1,
            uid: Some("u".into()),
            summary: std::borrow::Cow::default(),
            description: std::borrow::Cow::default(),
            location: std::borrow::Cow::default(),
            categories: smallvec::SmallVec::new(),
            dropped_categories: 0,
            url: None,
            cancelled: false,
            start,
            end: None,
            recurrence: (!rrule.is_empty()).then(|| {
                Box::new(Recurrence {
                    rrules: vec![rrule.into()],
                    ..Recurrence::default()
                })
            }),
            rare: super::super::event::Rare {
                duration: Some(Duration::hours(1)),
                ..super::super::event::Rare::default()
            }
            .boxed(),
        }
    }

    fn far() -> DateTime<Utc> {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn daily_until_in_utc_with_zoned_exdates() {
        let london = Tz::Europe__London;
        let mut ev = event(
            zoned("20240326T030000", london),
            "FREQ=DAILY;UNTIL=20240402T020000Z",
        );
        ev.recurrence.get_or_insert_default().exdates = [
            "20240328T030000",
            "20240331T030000",
            "20240330T030000",
            "20240401T030000",
            "20240402T030000",
        ]
        .iter()
        .map(|s| zoned(s, london))
        .collect();
        let keys: Vec<String> = expand(&ev, Tz::UTC, far())
            .starts
            .into_iter()
            .map(|s| s.1)
            .collect();
        assert_eq!(
            keys,
            vec!["20240326T030000Z", "20240327T030000Z", "20240329T030000Z"]
        );
    }

    #[test]
    fn keeps_wall_clock_time_across_dst() {
        let ny = Tz::America__New_York;
        let ev = event(zoned("20250302T090000", ny), "FREQ=WEEKLY;COUNT=3");
        let keys: Vec<String> = expand(&ev, Tz::UTC, far())
            .starts
            .into_iter()
            .map(|s| s.1)
            .collect();
        // 9:00 EST, then 9:00 EDT after 9 March.
        assert_eq!(
            keys,
            vec!["20250302T140000Z", "20250309T130000Z", "20250316T130000Z"]
        );
    }

    #[test]
    fn date_events_and_date_exdates() {
        let d = |s: &str| Time::Date(NaiveDate::parse_from_str(s, "%Y%m%d").unwrap());
        let mut ev = event(d("20240328"), "FREQ=DAILY;COUNT=3");
        ev.recurrence.get_or_insert_default().exdates = vec![d("20240329")];
        let keys: Vec<String> = expand(&ev, Tz::UTC, far())
            .starts
            .into_iter()
            .map(|s| s.1)
            .collect();
        assert_eq!(keys, vec!["20240328", "20240330"]);
        // A date UNTIL includes its day; lower-case and X- parts are tolerated.
        let ev = event(
            d("20040420"),
            "freq=yearly;interval=1;until=20050420;X-FOO=1",
        );
        assert_eq!(expand(&ev, Tz::UTC, far()).starts.len(), 2);
    }

    #[test]
    fn unbounded_rules_stop_at_the_window_and_the_cap() {
        let ev = event(zoned("20260407T090000", Tz::Europe__Paris), "FREQ=DAILY");
        assert!(!is_bounded(&ev));
        let e = expand(&ev, Tz::UTC, "2026-04-09T23:00:00Z".parse().unwrap());
        assert_eq!(e.starts.len(), 3);
        assert!(!e.truncated);
        let e = expand(&ev, Tz::UTC, "2126-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(e.starts.len(), usize::from(MAX_OCCURRENCES));
        assert!(e.truncated);
        let ev = event(zoned("20260407T090000", Tz::Europe__Paris), "FREQ=SECONDLY");
        assert_eq!(
            expand(&ev, Tz::UTC, far()).starts.len(),
            usize::from(MAX_OCCURRENCES)
        );
    }

    #[test]
    fn a_broken_rule_keeps_the_first_occurrence_and_says_why() {
        let ev = event(
            zoned("20260407T090000", Tz::Europe__Paris),
            "FREQ=SOMETIMES",
        );
        let e = expand(&ev, Tz::UTC, far());
        assert_eq!(e.starts.len(), 1);
        assert!(e.error.unwrap().to_string().contains("FREQ=SOMETIMES"));
    }

    #[test]
    fn rules_with_foreign_characters_are_refused_not_fed_to_the_parser() {
        let ev = event(
            zoned("20260407T090000", Tz::Europe__Paris),
            "FREQ=WEEKLY;BYDAY=1\u{fffd}\u{fffd}SU",
        );
        let e = expand(&ev, Tz::UTC, far());
        assert_eq!(e.starts.len(), 1);
        assert!(
            e.error
                .unwrap()
                .to_string()
                .contains("unexpected characters")
        );
        for never in [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31,-31",
        ] {
            let ev = event(zoned("20260407T090000", Tz::Europe__Paris), never);
            let e = expand(&ev, Tz::UTC, far());
            assert_eq!(e.starts.len(), 1);
            assert_eq!(
                e.error.unwrap().to_string(),
                format!("RRULE '{never}' never matches a day")
            );
        }
        let sometimes = event(
            zoned("20240229T090000", Tz::Europe__Paris),
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2",
        );
        assert_eq!(expand(&sometimes, Tz::UTC, far()).starts.len(), 2);
        let long = format!("FREQ=WEEKLY;BYDAY={}", "MO,".repeat(2000));
        let ev = event(zoned("20260407T090000", Tz::Europe__Paris), &long);
        let e = expand(&ev, Tz::UTC, far());
        assert_eq!(e.starts.len(), 1);
        assert_eq!(
            e.error.unwrap().to_string(),
            "RRULE of 6018 bytes ignored (longer than 1024)"
        );
    }

    #[test]
    fn rdates_add_occurrences() {
        let paris = Tz::Europe__Paris;
        let mut ev = event(zoned("20260407T090000", paris), "");
        ev.recurrence.get_or_insert_default().rdates = vec![zoned("20260408T090000", paris)];
        assert!(ev.is_recurring());
        let keys: Vec<String> = expand(&ev, Tz::UTC, far())
            .starts
            .into_iter()
            .map(|s| s.1)
            .collect();
        assert_eq!(keys, vec!["20260407T070000Z", "20260408T070000Z"]);
    }
}
