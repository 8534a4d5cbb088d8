//! Every colour and style the UI uses. Named ANSI colours follow the terminal's own palette,
//! so they read on light and dark backgrounds; with `NO_COLOR` there are none, and meaning
//! rests on marks (★ ! ▌) and on bold, dim and reverse.

use ratatui::style::{Color, Modifier, Style};

/// Colours for tracks, in the order tracks are listed (most sessions first). Red is kept
/// for clashes.
const TRACK_COLORS: [Color; 11] = [
    Color::Cyan,
    Color::Green,
    Color::Yellow,
    Color::Magenta,
    Color::Blue,
    Color::LightCyan,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightMagenta,
    Color::LightBlue,
    Color::Gray,
];

/// The styles of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Self {
        Self {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The colour of the track at `rank` in the track list; `None` for sessions without one.
    pub fn track(self, rank: Option<usize>) -> Style {
        match rank {
            Some(r) => self.fg(TRACK_COLORS[r % TRACK_COLORS.len()]),
            None => self.fg(Color::DarkGray),
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn tab(self) -> Style {
        self.dim()
    }

    pub fn tab_selected(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn room(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn gutter(self) -> Style {
        self.dim()
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn starred(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// A clashing starred session: red, and marked `!` by the widget.
    pub fn clash(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A session that is over.
    pub fn past(self) -> Style {
        self.dim()
    }

    pub fn now_line(self) -> Style {
        self.fg(Color::Red)
    }

    pub fn key(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn message(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// The read-only banner.
    pub fn banner(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// Matched characters in search results.
    pub fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The `+N` marker of sessions stacked at one place.
    pub fn stack_marker(self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC | Modifier::REVERSED)
    }

    /// A type badge in the list (`⚡`, `BoF`).
    pub fn badge(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The letter that tells tracks apart beyond the colours there are (none before).
    pub fn track_letter(self, rank: usize) -> Option<char> {
        (rank >= TRACK_COLORS.len())
            .then(|| char::from(b'a' + u8::try_from(rank % 26).unwrap_or(0)))
    }

    pub fn popup_border(self) -> Style {
        self.fg(Color::Cyan)
    }
}
