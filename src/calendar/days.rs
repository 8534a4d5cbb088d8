//! Conference days: which day a session or an instant belongs to when days run past
//! midnight, when one day gives way to the next (a schedule's `day_change` or the ends of
//! its days; for iCalendar, inferred from evenings that go on after midnight), and finding
//! a day by date, number or weekday.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::{Calendar, NoSuchDay, ScheduleDay, Session, text, time};

/// Before this hour a session may belong to the evening before (iCalendar).
const NIGHT_ENDS: u32 = 6;
/// How long after the evening's last session a night session may start and still continue
/// it.
const NIGHT_GAP: Duration = Duration::hours(3);

/// See [`Calendar::day_of_instant`].
pub(super) fn day_of_instant(cal: &Calendar, t: DateTime<Utc>) -> NaiveDate {
    day_of_local(cal, t, cal.local(t).naive_local())
}

/// See [`Calendar::day_of_local`].
pub(super) fn day_of_local(cal: &Calendar, t: DateTime<Utc>, local: NaiveDateTime) -> NaiveDate {
    let running = cal.schedule_days.iter().find(|d| match (d.start, d.end) {
        (Some(start), Some(end)) => start <= t && t < end,
        _ => false,
    });
    if let Some(day) = running {
        return day.date;
    }
    let shift = cal
        .day_change
        .map_or(Duration::zero(), |c| c - NaiveTime::MIN);
    (local - shift).date()
}

/// See [`Calendar::day_span`].
pub(super) fn span(cal: &Calendar, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let listed = cal
        .schedule_days
        .iter()
        .find(|d| d.date == day)
        .and_then(|d| Some((d.start?, d.end?)))
        .filter(|(start, end)| end > start);
    if let Some(span) = listed {
        return span;
    }
    let change = cal.day_change.unwrap_or(NaiveTime::MIN);
    let next = day.succ_opt().unwrap_or(day);
    (
        time::local_to_utc(day.and_time(change), cal.zone),
        time::local_to_utc(next.and_time(change), cal.zone),
    )
}

/// A schedule's day change in the display zone `zone`: Pentabarf's `day_change` (a
/// wall-clock time of the conference, whose zone is `floating`), else the time its days
/// end when they end after midnight (`03:59` is read as `04:00`).
pub(super) fn schedule_day_change(
    stated: Option<NaiveTime>,
    days: &[ScheduleDay],
    floating: Tz,
    zone: Tz,
) -> Option<NaiveTime> {
    if let (Some(change), Some(first)) = (stated, days.first()) {
        let at = time::local_to_utc(first.date.and_time(change), floating);
        return Some(at.with_timezone(&zone).time()).filter(|t| *t != NaiveTime::MIN);
    }
    let mut ends: Vec<NaiveTime> = days
        .iter()
        .filter_map(|d| {
            let end = d.end?.with_timezone(&zone);
            (end.date_naive() > d.date).then(|| {
                let t = end.time().with_second(0).unwrap_or(end.time());
                if t.minute() == 59 {
                    t + Duration::minutes(1)
                } else {
                    t
                }
            })
        })
        .collect();
    ends.sort_unstable();
    // The most common end.
    let mut best: Option<(NaiveTime, usize)> = None;
    for chunk in ends.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(_, n)| chunk.len() > n) {
            best = Some((chunk[0], chunk.len()));
        }
    }
    best.map(|(t, _)| t).filter(|t| *t != NaiveTime::MIN)
}

/// What one date of an iCalendar holds: whether sessions run in its day (06:00 on), when
/// its last one ends, and when its first night session (before 06:00) starts.
#[derive(Default)]
struct DateUse {
    daytime: bool,
    last_end: Option<DateTime<Utc>>,
    first_night: Option<DateTime<Utc>>,
}

/// 06:00, when most days of an iCalendar have sessions after midnight and before 06:00 that
/// go on from the evening before (starting within 3 hours of its last session's end): those
/// then belong to the evening's day.
///
/// Wall-clock times are taken at the offset of the first session (a heuristic need not
/// look up the zone's rules 100,000 times).
pub(super) fn infer_day_change(sessions: &[Session], zone: Tz) -> Option<NaiveTime> {
    use chrono::{Offset, TimeZone};
    let offset = sessions
        .first()
        .map(|s| zone.offset_from_utc_datetime(&s.start.naive_utc()).fix())?;
    let mut dates: BTreeMap<NaiveDate, DateUse> = BTreeMap::new();
    for s in sessions.iter().filter(|s| !s.all_day && !s.is_background()) {
        let local = s.start.with_timezone(&offset);
        let date = dates.entry(local.date_naive()).or_default();
        if local.hour() < NIGHT_ENDS {
            date.first_night = Some(date.first_night.map_or(s.start, |f| f.min(s.start)));
        } else {
            date.daytime = true;
            date.last_end = Some(date.last_end.map_or(s.end, |e| e.max(s.end)));
        }
    }
    let conference_days = dates.values().filter(|d| d.daytime).count();
    let nights = dates
        .iter()
        .filter(|(date, use_)| {
            let Some(first) = use_.first_night else {
                return false;
            };
            date.pred_opt()
                .and_then(|eve| dates.get(&eve))
                .and_then(|eve| eve.last_end)
                .is_some_and(|end| first - end <= NIGHT_GAP)
        })
        .count();
    (nights > 0 && nights * 2 > conference_days.saturating_sub(1))
        .then(|| NaiveTime::from_hms_opt(NIGHT_ENDS, 0, 0))
        .flatten()
}

/// See [`Calendar::find_day`].
pub(super) fn find(cal: &Calendar, spec: &str) -> Result<NaiveDate, NoSuchDay> {
    let days = cal.days();
    let spec = spec.trim();
    let listed = &cal.schedule_days;
    let found = if let Ok(date) = NaiveDate::parse_from_str(spec, "%Y-%m-%d") {
        (days.contains(&date) || listed.iter().any(|d| d.date == date)).then_some(date)
    } else if let Ok(n) = spec.parse::<usize>() {
        if listed.is_empty() {
            n.checked_sub(1).and_then(|i| days.get(i).copied())
        } else {
            listed
                .iter()
                .find(|d| usize::try_from(d.index).ok() == Some(n))
                .map(|d| d.date)
        }
    } else {
        let lower = spec.to_lowercase();
        let matching: Vec<NaiveDate> = days
            .iter()
            .copied()
            .filter(|d| {
                let name = d.format("%A").to_string().to_lowercase();
                lower.len() >= 2 && name.starts_with(&lower)
            })
            .collect();
        (matching.len() == 1).then(|| matching[0])
    };
    found.ok_or_else(|| {
        let list: Vec<String> = if listed.is_empty() {
            days.iter()
                .enumerate()
                .map(|(i, d)| format!("{} = {}", i + 1, d.format("%a %Y-%m-%d")))
                .collect()
        } else {
            listed
                .iter()
                .map(|d| format!("{} = {}", d.index, d.date.format("%a %Y-%m-%d")))
                .collect()
        };
        NoSuchDay {
            spec: text::sanitize_line(spec),
            days: if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            },
        }
    })
}
