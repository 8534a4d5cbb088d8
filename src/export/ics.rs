//! iCalendar of the starred sessions: the original UIDs (re-importing into calcurse, khal or
//! Google updates instead of duplicating), times in UTC, every TEXT value escaped as RFC 5545
//! says (`\\`, `\;`, `\,`, `\n`), lines folded at 75 octets without splitting a character.
//!
//! Written here rather than with the `icalendar` crate: its folding restarts from the line's
//! beginning for every fold (a 4 MB description took 19 s), and it does not escape
//! CATEGORIES (`A\,B` came back as two categories). This writer is one pass over the text.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::{Calendar, Session};

/// Octets a content line holds at most, line break excluded.
const LINE_OCTETS: usize = 75;

/// A TEXT value with `\`, `;`, `,` and line breaks escaped (a CR alone is dropped).
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 16);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends the content line `name:value`, folded: at most 75 octets a line (the space that
/// starts a continuation counts), never inside a UTF-8 sequence, and never just before a
/// space (a reader that trims continuation lines would lose it). Linear in the line.
fn push_line(out: &mut String, name: &str, value: &str) {
    let line = format!("{name}:{value}");
    let mut rest = line.as_str();
    let mut limit = LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if rest[cut..].starts_with(char::is_whitespace)
            && let Some((before, _)) = rest[..cut].char_indices().next_back()
            && before > 0
        {
            cut = before;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = LINE_OCTETS - 1;
    }
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Your starred sessions as a calendar named after `cal` (`PyTorch Conference Europe 2026
/// (starred)`), stamped `now`.
pub fn calendar(cal: &Calendar, sessions: &[&Session], now: DateTime<Utc>) -> String {
    calendar_with_reminders(cal, sessions, now, None, Selection::Starred)
}

/// Which sessions an export holds, for its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Your starred ones: the calendar's name with `(starred)`.
    Starred,
    /// The programme: the calendar's own name.
    Programme,
}

/// [`calendar`], each session with a reminder `remind` minutes before it starts when given
/// (a VALARM: `ACTION:DISPLAY`, `TRIGGER:-PT{M}M`, the title as its DESCRIPTION).
pub fn calendar_with_reminders(
    cal: &Calendar,
    sessions: &[&Session],
    now: DateTime<Utc>,
    remind: Option<u32>,
    selection: Selection,
) -> String {
    let mut out = String::new();
    let name = escape_text(&match selection {
        Selection::Starred => format!("{} (starred)", cal.name),
        Selection::Programme => cal.name.clone(),
    });
    push_line(&mut out, "BEGIN", "VCALENDAR");
    push_line(&mut out, "VERSION", "2.0");
    push_line(
        &mut out,
        "PRODID",
        &format!("-//hallway//hallway {}//EN", env!("CARGO_PKG_VERSION")),
    );
    push_line(&mut out, "CALSCALE", "GREGORIAN");
    push_line(&mut out, "NAME", &name);
    push_line(&mut out, "X-WR-CALNAME", &name);
    push_line(&mut out, "X-WR-TIMEZONE", &escape_text(cal.zone.name()));
    for s in sessions {
        event(&mut out, s, now, remind);
    }
    push_line(&mut out, "END", "VCALENDAR");
    out
}

/// One VEVENT; properties in alphabetical order, then the categories, then the reminder.
fn event(out: &mut String, s: &Session, now: DateTime<Utc>, remind: Option<u32>) {
    // An occurrence of a recurring event keeps its UID and says which one it is.
    let (uid, recurrence) = match s.id.split_once('/') {
        Some((uid, key)) if !s.uid.is_empty() && uid == s.uid => (s.uid.as_str(), Some(key)),
        _ if !s.uid.is_empty() && !s.id.contains('#') => (s.uid.as_str(), None),
        _ => (s.id.as_str(), None),
    };
    let summary = match &s.speakers {
        Some(speakers) => format!("{} - {speakers}", s.title),
        None => s.title.to_string(),
    };
    let (start, end) = if s.all_day {
        let first = s.start.date_naive();
        let after = s.end.date_naive().max(first.succ_opt().unwrap_or(first));
        (
            ("DTSTART;VALUE=DATE", date(first)),
            ("DTEND;VALUE=DATE", date(after)),
        )
    } else {
        (("DTSTART", utc(s.start)), ("DTEND", utc(s.end)))
    };
    push_line(out, "BEGIN", "VEVENT");
    if !s.description.is_empty() {
        push_line(out, "DESCRIPTION", &escape_text(&s.description));
    }
    push_line(out, end.0, &end.1);
    push_line(out, "DTSTAMP", &utc(now));
    push_line(out, start.0, &start.1);
    if !s.location.is_empty() {
        push_line(out, "LOCATION", &escape_text(&s.location));
    }
    if let Some(key) = recurrence {
        let name = if key.len() == 8 {
            "RECURRENCE-ID;VALUE=DATE"
        } else {
            "RECURRENCE-ID"
        };
        push_line(out, name, key);
    }
    if s.cancelled {
        push_line(out, "STATUS", "CANCELLED");
    }
    push_line(out, "SUMMARY", &escape_text(&summary));
    push_line(out, "UID", &escape_text(uid));
    if let Some(url) = &s.url {
        push_line(out, "URL", url);
    }
    for track in &s.tracks {
        push_line(out, "CATEGORIES", &escape_text(track));
    }
    if let Some(minutes) = remind {
        push_line(out, "BEGIN", "VALARM");
        push_line(out, "ACTION", "DISPLAY");
        push_line(out, "DESCRIPTION", &escape_text(&summary));
        push_line(out, "TRIGGER", &format!("-PT{minutes}M"));
        push_line(out, "END", "VALARM");
    }
    push_line(out, "END", "VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a\\b;c,d\r\ne"), "a\\\\b\\;c\\,d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters_or_before_spaces() {
        let mut out = String::new();
        let value = format!("{}é{}", "x".repeat(70), "ü".repeat(100));
        push_line(&mut out, "DESCRIPTION", &value);
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 3);
        for (i, line) in lines.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} has {} octets", line.len());
            if i > 0 {
                assert!(line.starts_with(' '));
            }
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("DESCRIPTION:{value}"));
        let mut out = String::new();
        push_line(&mut out, "SUMMARY", &format!("{} b", "a".repeat(67)));
        assert!(out.ends_with("a\r\n a b\r\n"), "{out:?}");
    }

    #[test]
    fn a_4_mb_description_folds_in_linear_time() {
        let mut out = String::new();
        let started = std::time::Instant::now();
        push_line(&mut out, "DESCRIPTION", &"é ".repeat(2 << 20));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert!(out.len() > 4 << 20);
    }
}
