//! What help says: the keys of the view it was opened from, read from the keymap with that
//! view's own words, then the marks, badges and track colours where the view shows them.

use strum::IntoEnumIterator;

use super::App;
use super::action::Command;
use super::keymap::Context;
use crate::calendar::kind;

/// A line of help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Heading(String),
    /// Keys (labels joined) and what they do.
    Key {
        keys: String,
        description: String,
    },
    Text(String),
    /// A track's colour: its rank in the track list, its name and count.
    Track {
        rank: usize,
        name: String,
        count: usize,
    },
    Blank,
}

/// Help for the view help was opened from.
pub fn lines(app: &App) -> Vec<Line> {
    let context = app.help_for;
    let key_line = |b: &super::keymap::Binding, suffix: &str| Line::Key {
        keys: if b.keys.is_empty() {
            "(unbound)".to_owned()
        } else {
            b.keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" ")
        },
        description: format!("{}{suffix}", b.description),
    };
    let mut lines = vec![Line::Heading(format!("{} — keys", context.title()))];
    lines.extend(app.keymap.bindings(context).map(|b| key_line(b, "")));
    lines.extend(
        app.keymap
            .bindings(Context::Global)
            .map(|b| key_line(b, " (anywhere)")),
    );
    let unbound: Vec<Command> = Command::iter()
        .filter(|c| {
            app.keymap
                .bindings(context)
                .chain(app.keymap.bindings(Context::Global))
                .all(|b| b.command != *c)
                && default_context_has(context, *c)
        })
        .collect();
    if !unbound.is_empty() {
        let names: Vec<&str> = unbound.iter().map(|c| c.name()).collect();
        lines.push(Line::Text(format!("  unbound: {}", names.join(", "))));
    }
    if matches!(context, Context::Grid | Context::List) {
        lines.push(Line::Blank);
        lines.push(Line::Heading("Marks".into()));
        // A key, or what it does when a user's keymap left it without one.
        let key = |command: Command, words: &str| {
            app.keymap
                .key_for(context, command)
                .unwrap_or_else(|| format!("{words} (no key)"))
        };
        lines.push(Line::Text(
            "  ★ starred   ! clashes with another starred session   dim: over".into(),
        ));
        lines.push(Line::Text(format!(
            "  ◇ shown only because starred (a filter or {} would hide it)",
            key(Command::Hide, "hiding")
        )));
        lines.push(Line::Text(format!(
            "  ⊘ hidden with {}, shown now by {}",
            key(Command::Hide, "hide"),
            key(Command::ShowHidden, "show hidden")
        )));
        if context == Context::Grid {
            lines.push(Line::Text(
                "  +N  N more sessions at that place: move onto them to see each".into(),
            ));
            lines.push(Line::Text(format!(
                "  zoom: {} min a row ({} and {} change it)",
                app.minutes_per_row(),
                key(Command::ZoomIn, "zoom in"),
                key(Command::ZoomOut, "zoom out")
            )));
        }
        lines.push(Line::Text("  mouse: click selects, wheel scrolls".into()));
        lines.push(Line::Blank);
        lines.push(Line::Heading("Badges".into()));
        let badges: Vec<String> = kind::ALL
            .iter()
            .filter_map(|k| Some(format!("{} {}", k.badge()?, k.label())))
            .collect();
        for pair in badges.chunks(3) {
            lines.push(Line::Text(format!("  {}", pair.join("   "))));
        }
    }
    if matches!(context, Context::Grid | Context::List | Context::Agenda) {
        lines.extend(command_line());
    }
    if matches!(context, Context::Grid | Context::List) && !app.tracks.is_empty() {
        lines.push(Line::Blank);
        lines.push(Line::Heading("Tracks".into()));
        for (rank, (name, count)) in app.tracks.iter().enumerate() {
            lines.push(Line::Track {
                rank,
                name: name.clone(),
                count: *count,
            });
        }
    }
    lines
}

/// What the command line does with the stars made here: exports, the status line, the
/// change report (peers export from inside the app; here it is a command away).
fn command_line() -> Vec<Line> {
    let mut lines = vec![
        Line::Blank,
        Line::Heading("From the command line: hallway [-c CALENDAR] …".into()),
    ];
    for (command, what) in [
        (
            "print --format ics -o mine.ics",
            "your stars, for a calendar app",
        ),
        ("print --format html -o mine.html", "your agenda, to print"),
        ("now", "one line for a status bar"),
        ("changes", "what changed since you looked"),
    ] {
        lines.push(Line::Text(format!("  {command:32}  {what}")));
    }
    lines
}

/// Whether the default keymap binds `command` in `context` (so a user's keymap that left it
/// without a key should say so).
fn default_context_has(context: Context, command: Command) -> bool {
    super::keymap::Keymap::default()
        .bindings(context)
        .any(|b| b.command == command)
}
