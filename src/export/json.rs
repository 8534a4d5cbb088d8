//! JSON for scripts: the calendar, its warnings and its sessions, times in the display zone,
//! each session with its type, whether it is starred or hidden, and which starred sessions it
//! clashes with.

use serde::Serialize;

use super::Days;
use crate::calendar::{Calendar, Session};
use crate::plan::Plan;

#[derive(Serialize)]
struct Document<'a> {
    calendar: CalendarInfo<'a>,
    warnings: Vec<String>,
    sessions: Vec<SessionJson<'a>>,
    /// Stars whose sessions are no longer in the calendar (the agenda only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    gone: Vec<GoneJson<'a>>,
}

#[derive(Serialize)]
struct CalendarInfo<'a> {
    name: &'a str,
    zone: &'a str,
    source: &'a str,
}

#[allow(clippy::struct_excessive_bools)]
#[derive(Serialize)]
struct SessionJson<'a> {
    id: &'a str,
    uid: &'a str,
    title: &'a str,
    /// A schedule's subtitle.
    #[serde(skip_serializing_if = "str::is_empty")]
    subtitle: &'a str,
    speakers: Option<&'a str>,
    /// An instant in the display zone; for an all-day session its date (`2024-10-15`,
    /// and the day after its last as `end`), which no zone moves.
    start: String,
    end: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    all_day: bool,
    /// The conference day, when it is not the start's date (a 01:30 talk of the evening
    /// before).
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<String>,
    room: &'a str,
    location: &'a str,
    tracks: &'a [crate::calendar::Text],
    /// [`crate::calendar::Kind::name`].
    #[serde(rename = "type")]
    kind: &'static str,
    url: Option<&'a str>,
    /// The language a schedule states (`en`).
    #[serde(skip_serializing_if = "str::is_empty")]
    language: &'a str,
    /// Links a schedule gives besides `url` (slides, recordings, chat).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkJson<'a>>,
    description: &'a str,
    cancelled: bool,
    starred: bool,
    /// The user hid it (`x` in the TUI).
    hidden: bool,
    clashes_with: Vec<&'a str>,
    /// Starred, and reached from another starred session's room with less time between
    /// than `--min-gap`: as `hallway now --format json` gives it, with that session's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    walk: Option<WalkJson<'a>>,
}

#[derive(Serialize)]
struct WalkJson<'a> {
    from_id: &'a str,
    from_room: &'a str,
    gap_minutes: i64,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct GoneJson<'a> {
    id: &'a str,
    title: &'a str,
    start: &'a str,
    end: &'a str,
    room: &'a str,
}

fn session<'a>(cal: &Calendar, plan: Option<&Plan<'a>>, s: &'a Session) -> SessionJson<'a> {
    let day = cal.day_of(s);
    let (start, end) = match s.day.filter(|_| s.all_day) {
        Some(date) => {
            // Whole days, also across a daylight-saving change (23 or 25 hours).
            let days = ((s.end - s.start).num_hours() + 12).div_euclid(24).max(1);
            let last = date + chrono::Duration::days(days);
            (date.to_string(), last.to_string())
        }
        None => (
            cal.local(s.start).to_rfc3339(),
            cal.local(s.end).to_rfc3339(),
        ),
    };
    SessionJson {
        id: &s.id,
        uid: &s.uid,
        title: &s.title,
        subtitle: &s.subtitle,
        speakers: s.speakers.as_deref(),
        day: (!s.all_day && cal.local(s.start).date_naive() != day).then(|| day.to_string()),
        start,
        end,
        all_day: s.all_day,
        room: &s.room,
        location: &s.location,
        tracks: &s.tracks,
        kind: s.kind.name(),
        url: s.url.as_deref(),
        language: &s.language,
        links: s
            .links
            .iter()
            .map(|l| LinkJson {
                title: &l.title,
                url: &l.url,
            })
            .collect(),
        description: &s.description,
        cancelled: s.cancelled,
        starred: plan.is_some_and(|p| p.is_starred(&s.id)),
        hidden: plan.is_some_and(|p| p.is_hidden(&s.id)),
        clashes_with: plan
            .map(|p| {
                p.clashes_with(&s.id)
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        walk: plan
            .and_then(|p| p.tight_into(&s.id))
            .map(|(from, gap)| WalkJson {
                from_id: &from.id,
                from_room: &from.room,
                gap_minutes: gap.num_minutes(),
            }),
    }
}

/// The selected sessions as one pretty-printed JSON document; with `gone`, also the stars
/// whose sessions left the schedule.
pub fn document<'a>(days: &Days<'a>, plan: Option<&Plan<'a>>, gone: bool) -> String {
    render(days.calendar, days.sessions(), plan, gone)
}

/// `sessions` in the order given (search results, best first), in the shape of
/// [`document`].
pub fn sessions<'a>(
    cal: &'a Calendar,
    sessions: impl Iterator<Item = &'a Session>,
    plan: Option<&Plan<'a>>,
) -> String {
    render(cal, sessions, plan, false)
}

fn render<'a>(
    cal: &'a Calendar,
    sessions: impl Iterator<Item = &'a Session>,
    plan: Option<&Plan<'a>>,
    gone: bool,
) -> String {
    let doc = Document {
        calendar: CalendarInfo {
            name: &cal.name,
            zone: cal.zone.name(),
            source: &cal.source,
        },
        warnings: cal.warnings.iter().map(ToString::to_string).collect(),
        sessions: sessions.map(|s| session(cal, plan, s)).collect(),
        gone: match plan {
            Some(p) if gone => p
                .missing
                .iter()
                .map(|(id, star)| GoneJson {
                    id,
                    title: &star.title,
                    start: &star.start,
                    end: &star.end,
                    room: &star.room,
                })
                .collect(),
            _ => Vec::new(),
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
