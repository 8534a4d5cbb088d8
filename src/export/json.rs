//! JSON for scripts: the calendar, its warnings and its sessions, times in the display zone.

use serde::Serialize;

use super::Days;
use crate::calendar::Session;

#[derive(Serialize)]
struct Document<'a> {
    calendar: CalendarInfo<'a>,
    warnings: Vec<String>,
    sessions: Vec<SessionJson<'a>>,
}

#[derive(Serialize)]
struct CalendarInfo<'a> {
    name: &'a str,
    zone: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct SessionJson<'a> {
    id: &'a str,
    uid: &'a str,
    title: &'a str,
    speakers: Option<&'a str>,
    start: String,
    end: String,
    room: &'a str,
    location: &'a str,
    tracks: &'a [String],
    url: Option<&'a str>,
    description: &'a str,
    cancelled: bool,
}

impl<'a> SessionJson<'a> {
    fn new(days: &Days, s: &'a Session) -> Self {
        let cal = days.calendar;
        Self {
            id: &s.id,
            uid: &s.uid,
            title: &s.title,
            speakers: s.speakers.as_deref(),
            start: cal.local(s.start).to_rfc3339(),
            end: cal.local(s.end).to_rfc3339(),
            room: &s.room,
            location: &s.location,
            tracks: &s.tracks,
            url: s.url.as_deref(),
            description: &s.description,
            cancelled: s.cancelled,
        }
    }
}

/// The selected sessions as one pretty-printed JSON document.
pub fn programme(days: &Days) -> String {
    let cal = days.calendar;
    let doc = Document {
        calendar: CalendarInfo {
            name: &cal.name,
            zone: cal.zone.name(),
            source: &cal.source,
        },
        warnings: cal.warnings.iter().map(ToString::to_string).collect(),
        sessions: days.sessions().map(|s| SessionJson::new(days, s)).collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
