//! Plain text: one aligned line per session, day by day, cut to a page width in cells.

use std::fmt::Write;

use super::{Days, day_heading, time_range};
use crate::calendar::{Session, zone};
use crate::width;

/// Widest a programme line may be.
pub const PROGRAMME_WIDTH: usize = 100;
/// Widest a room column gets before labels are cut.
const ROOM_COLUMN_MAX: usize = 16;

/// The header: calendar name and the zone times are in.
pub fn header(days: &Days) -> String {
    let cal = days.calendar;
    let at = cal
        .sessions
        .first()
        .map_or_else(chrono::Utc::now, |s| s.start);
    format!(
        "{}\nTimes in {} ({})\n",
        width::truncate(&cal.name, PROGRAMME_WIDTH),
        cal.zone.name(),
        zone::abbreviation(cal.zone, at)
    )
}

/// `Title — Speakers`, marked when cancelled.
pub fn title_line(s: &Session) -> String {
    let mut text = String::new();
    if s.cancelled {
        text.push_str("[cancelled] ");
    }
    text.push_str(&s.title);
    if let Some(speakers) = &s.speakers {
        text.push_str(" — ");
        text.push_str(speakers);
    }
    text
}

/// The whole programme (or the days selected): `HH:MM–HH:MM  Room  Title — Speakers`, the
/// title wrapped under itself where it does not fit.
pub fn programme(days: &Days) -> String {
    let cal = days.calendar;
    let time_w = days
        .sessions()
        .map(|s| width::cells(&time_range(cal, s)))
        .max()
        .unwrap_or(11);
    let room_w = days
        .sessions()
        .map(|s| width::cells(&s.room))
        .max()
        .unwrap_or(0)
        .min(ROOM_COLUMN_MAX);
    let indent = time_w + room_w + 4;
    let text_w = PROGRAMME_WIDTH.saturating_sub(indent).max(10);
    let mut out = header(days);
    for (day, sessions) in &days.days {
        let _ = write!(out, "\n{}\n", day_heading(*day));
        for s in sessions {
            let lead = format!(
                "{}  {}  ",
                width::fit(&time_range(cal, s), time_w),
                width::fit(&s.room, room_w)
            );
            for (i, line) in width::wrap(&title_line(s), text_w).iter().enumerate() {
                if i == 0 {
                    out.push_str(&lead);
                } else {
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if days.days.is_empty() {
        out.push_str("\nNo sessions.\n");
    }
    out
}
