//! The details of a session as lines of text at a given width, each with what it means; the
//! details widget paints them, and the app counts them to know how far they scroll.

use crate::app::App;
use crate::calendar::Kind;
use crate::export::agenda::{change_notes, duration_text};
use crate::export::time_range;
use crate::width;

/// What a line of the details is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Title,
    Cancelled,
    Speakers,
    Plain,
    /// A track's line (its name; the widget puts its colour's bar before it): its rank in
    /// the track list.
    Track(Option<usize>),
    Starred,
    NotStarred,
    Clash,
    Change,
    Dim,
}

/// One line of the details, already fitted to the width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub tag: Tag,
    pub text: String,
}

/// Most lines a field of the details may take: a hostile calendar's 50 MB description is
/// shown up to here (with `…`), and costs no more to draw.
const MAX_LINES: usize = 2000;

fn push_wrapped(lines: &mut Vec<Line>, tag: Tag, text: &str, width: usize) {
    for l in width::wrap_lines(text, width, MAX_LINES) {
        lines.push(Line { tag, text: l });
    }
}

/// A description, wrapped. Sched writes a paragraph break as a new line and a space
/// (`\n We built…`): that one space goes; an indent of more stays.
fn push_description(lines: &mut Vec<Line>, text: &str, width: usize) {
    let from = lines.len();
    push_wrapped(lines, Tag::Plain, text, width);
    for line in &mut lines[from..] {
        if line.text.starts_with(' ') && !line.text.starts_with("  ") {
            line.text.remove(0);
        }
    }
}

/// A link or id: broken anywhere to fit (they have no spaces), each line dim.
fn push_hard(lines: &mut Vec<Line>, text: &str, width: usize) {
    for l in width::wrap_hard(&width::truncate(text, 2048), width) {
        lines.push(Line {
            tag: Tag::Dim,
            text: l,
        });
    }
}

/// `en` → `English`: the languages schedules state most, by their ISO 639-1 code; any
/// other as written.
fn language_name(code: &str) -> &str {
    let base = code.split(['-', '_']).next().unwrap_or(code);
    match base.to_ascii_lowercase().as_str() {
        "en" => "English",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pt" => "Portuguese",
        "pl" => "Polish",
        "cs" => "Czech",
        "ru" => "Russian",
        "zh" => "Chinese",
        "ja" => "Japanese",
        _ => code,
    }
}

fn blank(lines: &mut Vec<Line>) {
    lines.push(Line {
        tag: Tag::Plain,
        text: String::new(),
    });
}

/// The details of session `index`, wrapped to `width` cells.
pub fn lines(app: &App, index: usize, width: usize) -> Vec<Line> {
    let width = width.max(1);
    let cal = &app.calendar;
    let Some(s) = cal.sessions.get(index) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if s.cancelled {
        push_wrapped(
            &mut lines,
            Tag::Cancelled,
            &format!("[cancelled] {}", s.title),
            width,
        );
    } else {
        push_wrapped(&mut lines, Tag::Title, &s.title, width);
    }
    if !s.subtitle.is_empty() {
        push_wrapped(&mut lines, Tag::Plain, &s.subtitle, width);
    }
    if let Some(speakers) = &s.speakers {
        push_wrapped(&mut lines, Tag::Speakers, speakers, width);
    }
    blank(&mut lines);
    let when = format!(
        "{} {} ({})",
        crate::export::session_day(cal, s).format("%A %-d %B"),
        time_range(cal, s),
        if s.all_day {
            "all day".to_owned()
        } else {
            duration_text(s.duration())
        }
    );
    push_wrapped(&mut lines, Tag::Plain, &when, width);
    if !s.location.is_empty() {
        push_wrapped(&mut lines, Tag::Plain, &s.location, width);
    }
    let kind = (s.kind != Kind::Talk).then(|| s.kind.label());
    let language = (!s.language.is_empty()).then(|| format!("in {}", language_name(&s.language)));
    let about: Vec<&str> = kind.iter().copied().chain(language.as_deref()).collect();
    if !about.is_empty() {
        push_wrapped(&mut lines, Tag::Dim, &about.join(" · "), width);
    }
    for t in &s.tracks {
        let rank = app.tracks.iter().position(|(name, _)| name == t);
        lines.push(Line {
            tag: Tag::Track(rank),
            // After the track's mark and a space.
            text: width::truncate(t, width.saturating_sub(2)),
        });
    }
    blank(&mut lines);
    if app.plan.is_starred(index) {
        let why = if !app.shown_because_starred(index) {
            ""
        } else if app.is_hidden(index) {
            " — shown although you hid it (x)"
        } else {
            " — shown although the filter hides it"
        };
        push_wrapped(&mut lines, Tag::Starred, &format!("★ Starred{why}"), width);
    } else {
        push_wrapped(&mut lines, Tag::NotStarred, "☆ Not starred", width);
    }
    for other in app.plan.clashes_with(cal, index) {
        let o = &cal.sessions[other];
        let text = format!(
            "! Clashes with {} ({}, {})",
            o.title,
            o.room,
            time_range(cal, o)
        );
        push_wrapped(&mut lines, Tag::Clash, &text, width);
    }
    if let Some(change) = app.plan.change(&s.id) {
        for note in change_notes(cal, change) {
            push_wrapped(&mut lines, Tag::Change, &format!("* {note}"), width);
        }
    }
    blank(&mut lines);
    push_hard(&mut lines, &format!("id {}", s.id), width);
    if let Some(url) = &s.url {
        push_hard(&mut lines, url, width);
    }
    for link in &s.links {
        if link.title.is_empty() || link.title == link.url {
            push_hard(&mut lines, &link.url, width);
        } else {
            push_hard(&mut lines, &format!("{}: {}", link.title, link.url), width);
        }
    }
    if !s.description.is_empty() {
        blank(&mut lines);
        push_description(&mut lines, &s.description, width);
    }
    lines
}
