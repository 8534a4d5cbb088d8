//! `hallway now`: what is on now and what is next today among the sessions asked about (the
//! starred ones, or every one), as one line of text for a status bar, as JSON, or as the JSON
//! waybar's custom modules read (`text`, `tooltip`, `class`).

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::calendar::{Calendar, Session};
use crate::width;

/// Within this much time, the next session is `soon`.
pub const SOON: Duration = Duration::minutes(15);
/// Titles in the one-line forms are cut to this many cells.
const TITLE_CELLS: usize = 40;

/// How pressing things are, for a status bar's styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A session is on.
    Now,
    /// The next one starts within [`SOON`].
    Soon,
    /// The next one is later today.
    Idle,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Self::Now => "now",
            Self::Soon => "soon",
            Self::Idle => "idle",
        }
    }
}

/// Getting to the next session means changing room with little time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub from_room: String,
    pub gap: Duration,
}

/// What is on and next, at `at`.
#[derive(Debug, Clone)]
pub struct Status<'a> {
    pub calendar: &'a Calendar,
    pub at: DateTime<Utc>,
    /// On now, talks before long-running sessions, then by end.
    pub on: Vec<&'a Session>,
    /// The first to start later today (by room among those starting together).
    pub next: Option<&'a Session>,
    /// How many others start at the same time as `next`.
    pub next_also: usize,
    pub walk: Option<Walk>,
    pub class: Class,
}

/// The status among `sessions` at `at`; `None` when nothing of them is on now or later today
/// (in the calendar's display zone). Cancelled sessions do not count. A walk is flagged when
/// the next session is in another room than the one before it and the gap is under
/// `min_gap`.
pub fn status<'a>(
    calendar: &'a Calendar,
    sessions: impl IntoIterator<Item = &'a Session>,
    at: DateTime<Utc>,
    min_gap: Option<Duration>,
) -> Option<Status<'a>> {
    let today = calendar.local(at).date_naive();
    let sessions: Vec<&Session> = sessions.into_iter().filter(|s| !s.cancelled).collect();
    let mut on: Vec<&Session> = sessions
        .iter()
        .copied()
        .filter(|s| s.start <= at && at < s.end)
        .collect();
    on.sort_by_key(|s| (s.is_background(), s.end, s.start));
    let later = sessions
        .iter()
        .copied()
        .filter(|s| s.start > at && calendar.day_of(s) == today);
    let first_start = later.clone().map(|s| s.start).min();
    let mut starting: Vec<&Session> = later.filter(|s| Some(s.start) == first_start).collect();
    starting.sort_by_key(|s| (s.is_background(), s.room.clone()));
    let next = starting.first().copied();
    if on.is_empty() && next.is_none() {
        return None;
    }
    let walk = next.zip(min_gap).and_then(|(next, min_gap)| {
        let before = sessions
            .iter()
            .filter(|s| !s.is_background() && s.end <= next.start && s.end > next.start - min_gap)
            .max_by_key(|s| s.end)?;
        (before.room != next.room).then(|| Walk {
            from_room: before.room.to_string(),
            gap: next.start - before.end,
        })
    });
    let class = if !on.is_empty() {
        Class::Now
    } else if next.is_some_and(|n| n.start - at <= SOON) {
        Class::Soon
    } else {
        Class::Idle
    };
    Some(Status {
        calendar,
        at,
        on,
        next,
        next_also: starting.len().saturating_sub(1),
        walk,
        class,
    })
}

/// Whole minutes from `from` to `to`, rounded up.
fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let seconds = (to - from).num_seconds();
    (seconds + 59).div_euclid(60)
}

impl Status<'_> {
    fn hhmm(&self, t: DateTime<Utc>) -> String {
        self.calendar.local(t).format("%H:%M").to_string()
    }

    /// `Helion 1.0: A High-Level… (Master Stage, 12 min left) · next 11:30 Why Classic IAM…
    /// (Central Room, 5 min to get there from Master Stage)`.
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.on.first() {
            let mut part = format!(
                "{} ({}, {} min left)",
                width::truncate(&s.title, TITLE_CELLS),
                s.room,
                minutes(self.at, s.end)
            );
            // `+1 more`, not `+1`, which elsewhere means past midnight (`00:50+1`).
            if self.on.len() > 1 {
                let _ = write!(part, " +{} more", self.on.len() - 1);
            }
            parts.push(part);
        }
        if let Some(n) = self.next {
            let mut part = format!(
                "next {} {} ({}",
                self.hhmm(n.start),
                width::truncate(&n.title, TITLE_CELLS),
                n.room
            );
            if let Some(walk) = &self.walk {
                let _ = write!(
                    part,
                    ", {} min to get there from {}!",
                    walk.gap.num_minutes(),
                    walk.from_room
                );
            }
            part.push(')');
            if self.next_also > 0 {
                let _ = write!(part, " +{} more", self.next_also);
            }
            parts.push(part);
        }
        parts.join(" · ")
    }

    /// Every session of the status in full, one a line.
    pub fn tooltip(&self) -> String {
        let cal = self.calendar;
        let mut lines = Vec::new();
        let describe = |s: &Session| {
            let mut text = format!("{} {}: {}", super::time_range(cal, s), s.room, s.title);
            if let Some(speakers) = &s.speakers {
                let _ = write!(text, " — {speakers}");
            }
            text
        };
        for s in &self.on {
            lines.push(format!(
                "Now, {} min left: {}",
                minutes(self.at, s.end),
                describe(s)
            ));
        }
        if let Some(n) = self.next {
            lines.push(format!(
                "Next, in {} min: {}",
                minutes(self.at, n.start),
                describe(n)
            ));
            if let Some(walk) = &self.walk {
                lines.push(format!(
                    "Only {} min to get there from {}.",
                    walk.gap.num_minutes(),
                    walk.from_room
                ));
            }
        }
        lines.join("\n")
    }

    /// The status as a JSON object: `class`, `now` (each with `minutes_left`), `next` (with
    /// `starts_in_minutes` and `walk`).
    pub fn json(&self) -> serde_json::Value {
        let cal = self.calendar;
        let session = |s: &Session| {
            json!({
                "id": s.id,
                "title": s.title,
                "speakers": s.speakers,
                "room": s.room,
                "start": cal.local(s.start).to_rfc3339(),
                "end": cal.local(s.end).to_rfc3339(),
            })
        };
        let on: Vec<serde_json::Value> = self
            .on
            .iter()
            .map(|s| {
                let mut v = session(s);
                v["minutes_left"] = minutes(self.at, s.end).into();
                v
            })
            .collect();
        let next = self.next.map(|n| {
            let mut v = session(n);
            v["starts_in_minutes"] = minutes(self.at, n.start).into();
            v["also_starting"] = self.next_also.into();
            v["walk"] = self.walk.as_ref().map_or(
                serde_json::Value::Null,
                |w| json!({ "from_room": w.from_room, "gap_minutes": w.gap.num_minutes() }),
            );
            v
        });
        json!({ "class": self.class.name(), "now": on, "next": next })
    }
}

/// `hallway now --format text`: the line, or an empty line.
pub fn text(status: Option<&Status>) -> String {
    format!("{}\n", status.map(Status::line).unwrap_or_default())
}

/// `hallway now --format json`: the object; with nothing on today, `class` is `none`.
pub fn json(status: Option<&Status>) -> String {
    let value = status.map_or_else(
        || json!({ "class": "none", "now": [], "next": null }),
        Status::json,
    );
    format!("{value}\n")
}

/// `hallway now --format waybar`: `{"text", "tooltip", "class"}`, or an empty line (which
/// hides the module) when nothing is on today.
pub fn waybar(status: Option<&Status>) -> String {
    match status {
        Some(s) => format!(
            "{}\n",
            json!({ "text": s.line(), "tooltip": s.tooltip(), "class": s.class.name() })
        ),
        None => "\n".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";
    const IAM: &str = "0ad61d38e69359e798fcf5a4345edda0";

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn on_now_next_and_the_walk_between_rooms() {
        let cal = Calendar::bundled(None, chrono_tz::Tz::UTC);
        let starred: Vec<&Session> = [HELION, IAM]
            .iter()
            .map(|id| cal.get(id).unwrap())
            .collect();
        // 11:13 Paris: Helion (11:00–11:25, Master Stage) is on; the IAM talk is next.
        let s = status(
            &cal,
            starred.clone(),
            at("2026-04-07T09:13:00Z"),
            Some(Duration::minutes(10)),
        )
        .unwrap();
        assert_eq!(s.class, Class::Now);
        assert_eq!(s.on[0].id, HELION);
        assert_eq!(s.next.unwrap().id, IAM);
        assert_eq!(s.walk.as_ref().unwrap().gap, Duration::minutes(5));
        assert!(
            s.line().starts_with(
                "Helion 1.0: A High-Level DSL for Perfor… (Master Stage, 12 min left) · next 11:30 "
            ),
            "{}",
            s.line()
        );
        assert!(
            s.line().ends_with("min to get there from Master Stage!)"),
            "{}",
            s.line()
        );
        // Without a minimum gap, no walk is flagged.
        let s = status(&cal, starred.clone(), at("2026-04-07T09:13:00Z"), None).unwrap();
        assert!(s.walk.is_none());
        // Between them: soon.
        let s = status(&cal, starred.clone(), at("2026-04-07T09:26:00Z"), None).unwrap();
        assert_eq!((s.class, s.on.len()), (Class::Soon, 0));
        // Early in the day: idle; after the last one: nothing.
        let s = status(&cal, starred.clone(), at("2026-04-07T05:00:00Z"), None).unwrap();
        assert_eq!(s.class, Class::Idle);
        assert!(status(&cal, starred, at("2026-04-07T17:00:00Z"), None).is_none());
        assert_eq!(waybar(None), "\n");
    }
}
