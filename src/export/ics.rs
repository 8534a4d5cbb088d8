//! iCalendar of the starred sessions, written with the `icalendar` crate: the original UIDs
//! (re-importing into calcurse, khal or Google updates instead of duplicating), times in UTC,
//! lines folded at 75 octets.

use chrono::{DateTime, Utc};
use icalendar::{Component, EventLike};

use crate::calendar::{Calendar, Session};

/// The sessions as a calendar named after `cal`, stamped `now`.
pub fn calendar(cal: &Calendar, sessions: &[&Session], now: DateTime<Utc>) -> String {
    let mut out = icalendar::Calendar::empty();
    out.append_property(icalendar::Property::new("VERSION", "2.0"));
    out.append_property(icalendar::Property::new(
        "PRODID",
        format!("-//hallway//hallway {}//EN", env!("CARGO_PKG_VERSION")),
    ));
    out.append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"));
    out.name(&format!("{} (starred)", cal.name));
    out.timezone(cal.zone.name());
    for s in sessions {
        out.push(event(s, now));
    }
    out.done().to_string()
}

fn event(s: &Session, now: DateTime<Utc>) -> icalendar::Event {
    let mut e = icalendar::Event::new();
    e.timestamp(now);
    // An occurrence of a recurring event keeps its UID and says which one it is.
    let (uid, recurrence) = match s.id.split_once('/') {
        Some((uid, key)) if !s.uid.is_empty() && uid == s.uid => (s.uid.as_str(), Some(key)),
        _ if !s.uid.is_empty() && !s.id.contains('#') => (s.uid.as_str(), None),
        _ => (s.id.as_str(), None),
    };
    e.uid(uid);
    if let Some(key) = recurrence {
        let value = if key.len() == 8 {
            icalendar::Property::new("RECURRENCE-ID", key)
                .add_parameter("VALUE", "DATE")
                .done()
        } else {
            icalendar::Property::new("RECURRENCE-ID", key)
        };
        e.append_property(value);
    }
    let summary = match &s.speakers {
        Some(speakers) => format!("{} - {speakers}", s.title),
        None => s.title.clone(),
    };
    e.summary(&summary);
    if s.all_day {
        e.all_day(s.start.date_naive());
    } else {
        e.starts(s.start);
        e.ends(s.end);
    }
    if !s.location.is_empty() {
        e.location(&s.location);
    }
    if !s.description.is_empty() {
        e.description(&s.description);
    }
    if let Some(url) = &s.url {
        e.url(url);
    }
    for track in &s.tracks {
        e.append_multi_property(icalendar::Property::new("CATEGORIES", track.as_str()));
    }
    if s.cancelled {
        e.status(icalendar::EventStatus::Cancelled);
    }
    e.done()
}
