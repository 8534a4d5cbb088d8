//! Now and next in every room: what is on (and for how much longer) and what starts next,
//! starred sessions first. Before the conference it shows the first slot, after it the last.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::app::App;

/// Where now falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// The conference has not begun: it starts then; the rows show its first slot.
    Before(DateTime<Utc>),
    During,
    /// The conference is over: it ended then; the rows show its last slot.
    After(DateTime<Utc>),
    /// The calendar has no sessions.
    Empty,
}

/// A room's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub room: String,
    /// What is on at the moment looked at.
    pub now: Option<usize>,
    /// What starts next after it.
    pub next: Option<usize>,
    /// Either is starred.
    pub starred: bool,
    /// How many other sessions are on in the room at the same time.
    pub others: usize,
}

impl Row {
    /// The session Enter and `s` act on: in the column chosen (`next`, else what is on
    /// now), or in the other when that cell is empty.
    pub fn target(&self, next: bool) -> Option<usize> {
        if next {
            self.next.or(self.now)
        } else {
            self.now.or(self.next)
        }
    }
}

/// Where now falls, and the time the rows are worked out at.
pub fn moment(app: &App) -> (Moment, DateTime<Utc>) {
    let now = app.now();
    let sessions = &app.calendar.sessions;
    let (Some(first), Some(last_start), Some(end)) = (
        sessions.iter().map(|s| s.start).min(),
        sessions.iter().map(|s| s.start).max(),
        sessions.iter().map(|s| s.end).max(),
    ) else {
        return (Moment::Empty, now);
    };
    if now < first {
        (Moment::Before(first), first)
    } else if now >= end {
        (Moment::After(end), last_start)
    } else {
        (Moment::During, now)
    }
}

/// Every room with something on now or next, rooms with a starred session first, then in the
/// grid's order (busiest first).
pub fn rows(app: &App) -> Vec<Row> {
    let (moment, at) = moment(app);
    let cal = &app.calendar;
    let starred = |i: usize| app.plan.is_starred(i);
    let shown = |i: usize| app.visible(i) && !cal.sessions[i].cancelled;
    let mut rooms: Vec<Row> = Vec::new();
    let mut by_room: HashMap<String, usize> = HashMap::new();
    let mut row_of = |room: &str, rooms: &mut Vec<Row>| -> usize {
        if let Some(&k) = by_room.get(room) {
            return k;
        }
        rooms.push(Row {
            room: room.to_owned(),
            now: None,
            next: None,
            starred: false,
            others: 0,
        });
        by_room.insert(room.to_owned(), rooms.len() - 1);
        rooms.len() - 1
    };
    // Before the conference, each room's first session of the first day; during it, what
    // is on.
    let mut firsts: HashMap<&str, usize> = HashMap::new();
    if matches!(moment, Moment::Before(_)) {
        let first_day = app.days.first().copied();
        for (i, s) in cal.sessions.iter().enumerate() {
            if shown(i) && Some(cal.day_of(s)) == first_day {
                let first = firsts.entry(s.room.as_str()).or_insert(i);
                if s.start < cal.sessions[*first].start {
                    *first = i;
                }
            }
        }
    }
    // What is on: starred first, then talks before background sessions, then the earliest.
    for (i, s) in cal.sessions.iter().enumerate() {
        let on = match moment {
            Moment::Before(_) => firsts.get(s.room.as_str()) == Some(&i),
            _ => s.start <= at && at < s.end && shown(i),
        };
        if !on {
            continue;
        }
        let k = row_of(&s.room, &mut rooms);
        let key = |j: usize| {
            let t = &cal.sessions[j];
            (!starred(j), t.is_background(), t.start)
        };
        if rooms[k].now.is_some() {
            rooms[k].others += 1;
        }
        if rooms[k].now.is_none_or(|c| key(i) < key(c)) {
            rooms[k].now = Some(i);
        }
    }
    // What is next: after what is on now ends (unless that runs all day), else after now.
    if matches!(moment, Moment::During | Moment::Before(_)) {
        let ends: HashMap<String, DateTime<Utc>> = rooms
            .iter()
            .filter_map(|r| {
                let now = &cal.sessions[r.now?];
                (!now.is_background()).then(|| (r.room.clone(), now.end))
            })
            .collect();
        for (i, s) in cal.sessions.iter().enumerate() {
            let from = ends.get(s.room.as_str()).copied();
            let upcoming = match from {
                Some(end) => s.start >= end,
                None => s.start > at,
            };
            if !upcoming || !shown(i) {
                continue;
            }
            let k = row_of(&s.room, &mut rooms);
            let key = |j: usize| (cal.sessions[j].start, !starred(j));
            if rooms[k].next.is_none_or(|c| key(i) < key(c)) {
                rooms[k].next = Some(i);
            }
        }
    }
    for row in &mut rooms {
        row.starred = row.now.is_some_and(starred) || row.next.is_some_and(starred);
    }
    rooms.sort_by_key(|r| {
        (
            !r.starred,
            app.rank.get(&r.room).copied().unwrap_or(usize::MAX),
            r.room.clone(),
        )
    });
    rooms
}
