//! Markdown: a heading per day and a table of sessions, for notes, wikis and chat.

use std::fmt::Write;

use super::agenda::{self, Agenda, Entry};
use super::{Days, day_heading, range_on_day, time_range};
use crate::calendar::{Calendar, Session};
use crate::plan::Plan;

/// Text made safe inside a table cell: Markdown's punctuation escaped, pipes too.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

fn heading(cal: &Calendar, suffix: &str) -> String {
    format!(
        "# {}{suffix}\n\nTimes in {}.\n",
        cell(&cal.name),
        super::zone_label(cal)
    )
}

fn session_cell(s: &Session) -> String {
    let mut text = format!("**{}**", cell(&s.title));
    if let Some(speakers) = &s.speakers {
        let _ = write!(text, " — {}", cell(speakers));
    }
    if s.cancelled {
        text.insert_str(0, "~~");
        text.push_str("~~ (cancelled)");
    }
    text
}

/// The programme: a table a day; with a plan, starred sessions marked ★ and clashes !.
pub fn programme(days: &Days, plan: Option<&Plan>) -> String {
    let cal = days.calendar;
    let mut out = heading(cal, "");
    for (day, sessions) in &days.days {
        let _ = write!(
            out,
            "\n## {}\n\n|  | Time | Room | Session |\n| --- | --- | --- | --- |\n",
            day_heading(*day)
        );
        for s in sessions {
            let mark = match plan {
                Some(p) if p.is_clashing(&s.id) => "★ !",
                Some(p) if p.is_starred(&s.id) => "★",
                _ => "",
            };
            let hidden = if plan.is_some_and(|p| p.is_hidden(&s.id)) {
                " *(hidden)*"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "| {mark} | {} | {} | {}{hidden} |",
                time_range(cal, s),
                cell(&s.room),
                session_cell(s)
            );
        }
    }
    out
}

/// The personal agenda: a table a day with notes on clashes and changes, free time as rows.
pub fn agenda(agenda: &Agenda) -> String {
    let cal = agenda.plan.calendar;
    let mut out = heading(cal, " — your agenda");
    if agenda.is_empty() {
        out.push_str("\nNothing starred yet.\n");
        return out;
    }
    for (day, entries) in &agenda.days {
        let _ = write!(
            out,
            "\n## {}\n\n|  | Time | Room | Session | Notes |\n| --- | --- | --- | --- | --- |\n",
            day_heading(*day)
        );
        for entry in entries {
            match entry {
                Entry::Free { from, to } => {
                    let _ = writeln!(
                        out,
                        "|  | {} |  | *free ({})* |  |",
                        range_on_day(cal, *day, *from, *to),
                        agenda::duration_text(*to - *from)
                    );
                }
                Entry::Session(item) => {
                    let notes: Vec<String> = agenda::notes(cal, item)
                        .into_iter()
                        .map(|(mark, note)| format!("{} {}", cell(&mark.to_string()), cell(&note)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} |",
                        match item.mark() {
                            ' ' => String::new(),
                            m => cell(&m.to_string()),
                        },
                        time_range(cal, item.session),
                        cell(&item.session.room),
                        session_cell(item.session),
                        notes.join("<br>")
                    );
                }
            }
        }
    }
    if !agenda.gone.is_empty() {
        out.push_str(
            "\n## No longer in the schedule\n\n| Was | Room | Session |\n| --- | --- | --- |\n",
        );
        for (_, star) in &agenda.gone {
            let _ = writeln!(
                out,
                "| {} | {} | ~~{}~~ |",
                agenda::old_time(cal, star),
                cell(&star.room),
                cell(&star.title)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_markdown() {
        assert_eq!(
            cell("a|b *c* [d](e) <x>"),
            "a\\|b \\*c\\* \\[d\\](e) \\<x\\>"
        );
        assert_eq!(cell("two\nlines"), "two lines");
    }
}
