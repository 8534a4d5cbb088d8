//! Plain text: aligned lines, day by day, wrapped to a page width measured in cells. The
//! programme fits 100 columns, the personal agenda 80.

use std::fmt::Write;

use super::agenda::{self, Agenda, Entry};
use super::{Days, day_heading, push_time_range, range_on_day, time_column, time_range};
use crate::calendar::{Calendar, Session};
use crate::plan::Plan;
use crate::width;

/// Widest a programme line may be.
pub const PROGRAMME_WIDTH: usize = 100;
/// Widest an agenda line may be.
pub const AGENDA_WIDTH: usize = 80;
/// Widest a room column gets before labels are cut.
const ROOM_COLUMN_MAX: usize = 16;
/// Room column of the agenda.
const AGENDA_ROOM: usize = 14;

/// The header: calendar name and the zone times are in.
fn header(cal: &Calendar, title_suffix: &str, width: usize) -> String {
    format!(
        "{}\nTimes in {}\n",
        width::truncate(&format!("{}{title_suffix}", cal.name), width),
        super::zone_label(cal)
    )
}

/// The width of a room column for these sessions: the widest label, at most 16 cells.
pub fn room_width<'a>(sessions: impl Iterator<Item = &'a Session>) -> usize {
    sessions
        .map(|s| width::cells(&s.room))
        .max()
        .unwrap_or(0)
        .min(ROOM_COLUMN_MAX)
}

/// `Title — Speakers`, marked when cancelled.
pub fn title_line(s: &Session) -> String {
    marked_title_line(s, false)
}

/// [`title_line`], marked `[hidden]` when the user hid the session.
pub fn marked_title_line(s: &Session, hidden: bool) -> String {
    let mut text = String::new();
    push_title_line(&mut text, s, hidden);
    text
}

/// Appends [`marked_title_line`]`(s, hidden)` to `text`.
fn push_title_line(text: &mut String, s: &Session, hidden: bool) {
    if s.cancelled {
        text.push_str("[cancelled] ");
    }
    if hidden {
        text.push_str("[hidden] ");
    }
    text.push_str(&s.title);
    if let Some(speakers) = &s.speakers {
        text.push_str(" — ");
        text.push_str(speakers);
    }
}

/// Writes `lead` then `text` wrapped to `text_w`, continuation lines indented by `indent`.
fn push_wrapped(out: &mut String, lead: &str, text: &str, indent: usize, text_w: usize) {
    for (i, line) in width::wrap(text, text_w).iter().enumerate() {
        if i == 0 {
            out.push_str(lead);
        } else {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// The whole programme (or the days selected): `HH:MM–HH:MM  Room  Title — Speakers`, the
/// title wrapped under itself where it does not fit. With a plan that stars anything, starred
/// sessions are marked `★` and clashing ones `!`.
pub fn programme(days: &Days, plan: Option<&Plan>) -> String {
    let mut all = String::new();
    let _ = programme_in_parts(days, plan, |part| {
        all.push_str(part);
        Ok::<(), std::convert::Infallible>(())
    });
    all
}

/// [`programme`], handed to `part` a piece of about 64 KB at a time as it is made, so a large
/// programme (13 MB at 100,000 sessions) is never held whole on its way to standard output.
///
/// # Errors
/// The first error `part` gives; nothing more is made after it.
pub fn programme_in_parts<E>(
    days: &Days,
    plan: Option<&Plan>,
    mut part: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    const PART: usize = 64 * 1024;
    let cal = days.calendar;
    let hidden = |s: &Session| plan.is_some_and(|p| p.is_hidden(&s.id));
    // Nothing starred: no column of empty marks.
    let plan = plan.filter(|p| !p.starred.is_empty());
    // One buffer for every session's time and title, not two strings a session.
    let mut time = String::new();
    let mut title = String::new();
    let time_w = days
        .sessions()
        .map(|s| {
            time.clear();
            push_time_range(&mut time, cal, s);
            width::cells(&time)
        })
        .max()
        .unwrap_or(11);
    let room_w = room_width(days.sessions());
    let mark_w = if plan.is_some() { 3 } else { 0 };
    let indent = mark_w + time_w + room_w + 4;
    let text_w = PROGRAMME_WIDTH.saturating_sub(indent).max(10);
    let mut out = header(cal, "", PROGRAMME_WIDTH);
    if let Some(plan) = plan {
        let _ = writeln!(
            out,
            "★ starred ({}), ! clashes with another starred session ({})",
            plan.starred.len(),
            plan.clashing_count()
        );
    }
    let mut lead = String::new();
    for (day, sessions) in &days.days {
        let _ = write!(out, "\n{}\n", day_heading(*day));
        for s in sessions {
            let mark = match plan {
                Some(p) if p.is_clashing(&s.id) => "★! ",
                Some(p) if p.is_starred(&s.id) => "★  ",
                Some(_) => "   ",
                None => "",
            };
            lead.clear();
            lead.push_str(mark);
            time.clear();
            push_time_range(&mut time, cal, s);
            width::push_fit(&mut lead, &time, time_w);
            lead.push_str("  ");
            width::push_fit(&mut lead, &s.room, room_w);
            lead.push_str("  ");
            title.clear();
            push_title_line(&mut title, s, hidden(s));
            push_wrapped(&mut out, &lead, &title, indent, text_w);
            if out.len() >= PART {
                part(&out)?;
                out.clear();
            }
        }
    }
    if days.days.is_empty() {
        out.push_str("\nNo sessions.\n");
    }
    part(&out)
}

/// The personal agenda: starred sessions day by day, marked `!` clash, `*` changed, `x`
/// cancelled, `~` tight transition, with a note under each saying what, the free time between
/// sessions, and the stars whose sessions left the schedule.
pub fn agenda(agenda: &Agenda) -> String {
    let plan = agenda.plan;
    let cal = plan.calendar;
    let time_w = time_column(
        cal,
        agenda
            .days
            .iter()
            .flat_map(|(_, e)| e)
            .filter_map(|e| match e {
                Entry::Session(item) => Some(item.session),
                Entry::Free { .. } => None,
            }),
    );
    let indent = 3 + time_w + 2 + AGENDA_ROOM + 2;
    let text_w = AGENDA_WIDTH - indent;
    let mut out = header(cal, " — your agenda", AGENDA_WIDTH);
    let clashing = plan.clashing_count();
    let _ = writeln!(
        out,
        "{} starred{}{}",
        plan.starred.len(),
        if clashing > 0 {
            format!(", {clashing} in clashes (!)")
        } else {
            String::new()
        },
        if plan.missing.is_empty() {
            String::new()
        } else {
            format!(", {} no longer in the schedule", plan.missing.len())
        }
    );
    if agenda.is_empty() {
        out.push_str(
            "\nNothing starred yet: star sessions with 'hallway star ID' or in the TUI.\n",
        );
        return out;
    }
    for (day, entries) in &agenda.days {
        let _ = write!(out, "\n{}\n", day_heading(*day));
        for entry in entries {
            match entry {
                Entry::Free { from, to } => {
                    let text = format!(
                        "free {} ({})",
                        range_on_day(cal, *day, *from, *to),
                        agenda::duration_text(*to - *from)
                    );
                    let _ = writeln!(out, "{}{text}", " ".repeat(3 + time_w + 2));
                }
                Entry::Session(item) => {
                    let s = item.session;
                    let lead = format!(
                        "{}  {}  {}  ",
                        item.mark(),
                        width::fit(&time_range(cal, s), time_w),
                        width::fit(&s.room, AGENDA_ROOM)
                    );
                    push_wrapped(&mut out, &lead, &title_line(s), indent, text_w);
                    for (mark, note) in agenda::notes(cal, item) {
                        let lead = format!("{}{mark} ", " ".repeat(indent));
                        push_wrapped(&mut out, &lead, &note, indent + 2, text_w - 2);
                    }
                }
            }
        }
    }
    if !agenda.gone.is_empty() {
        out.push_str("\nNo longer in the schedule\n");
        for (id, star) in &agenda.gone {
            let lead = format!("x  {}  ", agenda::old_time(cal, star));
            let id = crate::calendar::text::sanitize_line(id);
            let text = format!("{} ({}; id {id})", star.title, star.room);
            let w = width::cells(&lead);
            push_wrapped(&mut out, &lead, &text, w, AGENDA_WIDTH - w);
        }
    }
    out
}
