//! Date and time values: DATE, DATE-TIME (UTC, zoned, floating), DURATION, and turning
//! wall-clock times into instants across daylight-saving gaps and overlaps.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A DTSTART-like value as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// `VALUE=DATE`: a whole day, in the calendar's zone.
    Date(NaiveDate),
    /// No zone at all: taken in the calendar's zone.
    Floating(NaiveDateTime),
    /// Ends in `Z`.
    Utc(NaiveDateTime),
    /// With a `TZID` we could resolve.
    Zoned(NaiveDateTime, Tz),
}

impl Time {
    /// The instant this names; floating times and dates are taken in `floating`.
    pub fn instant(self, floating: Tz) -> DateTime<Utc> {
        match self {
            Self::Date(d) => local_to_utc(d.and_time(chrono::NaiveTime::MIN), floating),
            Self::Floating(t) => local_to_utc(t, floating),
            Self::Utc(t) => t.and_utc(),
            Self::Zoned(t, tz) => local_to_utc(t, tz),
        }
    }

    /// The zone the value's wall-clock time belongs to (`floating` where it has none).
    pub fn zone(self, floating: Tz) -> Tz {
        match self {
            Self::Utc(_) => Tz::UTC,
            Self::Zoned(_, tz) => tz,
            Self::Date(_) | Self::Floating(_) => floating,
        }
    }

    pub fn is_date(self) -> bool {
        matches!(self, Self::Date(_))
    }
}

/// A wall-clock time in `tz` as an instant. In an overlap (clocks going back) the earlier
/// instant; in a gap (clocks going forward) the offset in force before it, as RFC 5545 says,
/// so 02:30 on the spring-forward night is 03:30.
pub fn local_to_utc(t: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&t) {
        LocalResult::Single(dt) => dt.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            let before = tz
                .offset_from_utc_datetime(&(t - Duration::days(1)))
                .fix()
                .local_minus_utc();
            (t - Duration::seconds(i64::from(before))).and_utc()
        }
    }
}

/// Parses a DATE or DATE-TIME value: `20260407`, `20260407T070000Z`, `20260407T0900`; dashes
/// and colons (`2026-04-07T09:00:00`) and fractional seconds are tolerated.
pub fn parse(value: &str, date_only: bool, zone: Option<Tz>) -> Option<Time> {
    let value = value.trim();
    let compact: std::borrow::Cow<str> = if value.contains(['-', ':']) {
        value
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .collect::<String>()
            .into()
    } else {
        value.into()
    };
    let (body, utc) = match compact.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (compact.as_ref(), false),
    };
    let (date_part, time_part) = match body.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    if date_part.len() != 8 || !date_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        date_part[..4].parse().ok()?,
        date_part[4..6].parse().ok()?,
        date_part[6..].parse().ok()?,
    )?;
    let Some(time_part) = time_part.filter(|_| !date_only) else {
        return Some(Time::Date(date));
    };
    let time_part = time_part.split('.').next().unwrap_or(time_part);
    if !time_part.bytes().all(|b| b.is_ascii_digit()) || !(4..=6).contains(&time_part.len()) {
        return None;
    }
    let field = |i: usize| {
        time_part
            .get(i..i + 2)
            .map_or(Some(0), |s| s.parse::<u32>().ok())
    };
    let (h, m, s) = (field(0)?, field(2)?, field(4)?);
    // 24:00:00 and leap seconds appear in the wild; fold them into valid times.
    let t = if h == 24 && m == 0 && s == 0 {
        date.succ_opt()?.and_hms_opt(0, 0, 0)?
    } else {
        date.and_hms_opt(h, m, s.min(59))?
    };
    Some(if utc {
        Time::Utc(t)
    } else if let Some(tz) = zone {
        Time::Zoned(t, tz)
    } else {
        Time::Floating(t)
    })
}

/// Parses a DURATION: `PT30M`, `P1D`, `-PT1H30M`, `P2W`, `P1DT2H`.
pub fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let (sign, rest) = match value.as_bytes().first()? {
        b'-' => (-1, &value[1..]),
        b'+' => (1, &value[1..]),
        _ => (1, value),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut total = 0i64;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                let seconds = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = total.checked_add(n.checked_mul(seconds)?)?;
            }
        }
    }
    (any && number.is_empty() && total <= 10 * 365 * 86_400)
        .then(|| Duration::seconds(sign * total))
}

/// A UTC instant as iCalendar writes it: `20260407T070000Z`.
pub fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn parses_utc_zoned_floating_and_date_values() {
        assert_eq!(
            parse("20260407T070000Z", false, None),
            Some(Time::Utc(dt("2026-04-07 07:00:00")))
        );
        assert_eq!(
            parse("20260407T090000", false, Some(Tz::Europe__Paris)),
            Some(Time::Zoned(dt("2026-04-07 09:00:00"), Tz::Europe__Paris))
        );
        assert_eq!(
            parse("20061224T000000", false, None),
            Some(Time::Floating(dt("2006-12-24 00:00:00")))
        );
        assert_eq!(
            parse("20040917", false, None),
            Some(Time::Date(NaiveDate::from_ymd_opt(2004, 9, 17).unwrap()))
        );
        assert_eq!(
            parse("2026-04-07T09:00", false, None),
            Some(Time::Floating(dt("2026-04-07 09:00:00")))
        );
        assert!(matches!(
            parse("20260407T070000Z", true, None),
            Some(Time::Date(_))
        ));
    }

    #[test]
    fn rejects_unreadable_dates() {
        for bad in [
            "",
            "2026",
            "20261340T000000",
            "20260407T9",
            "tomorrow",
            "20260407T25000",
        ] {
            assert_eq!(parse(bad, false, None), None, "{bad}");
        }
    }

    #[test]
    fn wall_clock_to_instant_in_gaps_and_overlaps() {
        let paris = Tz::Europe__Paris;
        // 09:00 CEST is 07:00 UTC.
        assert_eq!(
            local_to_utc(dt("2026-04-07 09:00:00"), paris),
            dt("2026-04-07 07:00:00").and_utc()
        );
        // Spring forward on 29 March 2026: 02:30 does not exist; taken as 03:30 CEST.
        assert_eq!(
            local_to_utc(dt("2026-03-29 02:30:00"), paris),
            dt("2026-03-29 01:30:00").and_utc()
        );
        // Fall back on 25 October 2026: 02:30 happens twice; the first.
        assert_eq!(
            local_to_utc(dt("2026-10-25 02:30:00"), paris),
            dt("2026-10-25 00:30:00").and_utc()
        );
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("PT30M"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("PT2H30M"), Some(Duration::minutes(150)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("P2W"), Some(Duration::days(14)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        for bad in ["", "P", "PT", "30M", "PT5X", "P5H", "PT99999999999999H"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
