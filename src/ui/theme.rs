//! Every colour and style the UI uses. Named ANSI colours follow the terminal's own palette,
//! so they read on light and dark backgrounds; with `NO_COLOR` there are none, and meaning
//! rests on marks (★ ! ▌) and on bold, dim and reverse.

use ratatui::style::{Color, Modifier, Style};

/// Colours for tracks, in the order tracks are listed (most sessions first): twelve that the
/// 16-colour palette tells apart (and so every 256-colour one). Red is kept for clashes.
/// Tracks beyond these are told apart by a letter as well.
pub const TRACK_COLORS: [Color; 12] = [
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
    Color::DarkGray,
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

    /// The colour of the track at `rank` in the track list; `None` for sessions without one
    /// (the terminal's own colour).
    pub fn track(self, rank: Option<usize>) -> Style {
        match rank {
            Some(r) => self.fg(TRACK_COLORS[r % TRACK_COLORS.len()]),
            None => Style::new(),
        }
    }

    /// The bar drawn beside a session of the track at `rank`: `▌`, or for tracks beyond the
    /// colours there are, a letter (with the colour it shares with an earlier track).
    pub fn track_bar(self, rank: Option<usize>) -> String {
        rank.and_then(|r| self.track_letter(r))
            .map_or_else(|| "▌".to_owned(), |l| l.to_string())
    }

    /// The style of [`Theme::track_bar`]: the track's colour, a letter on it as a tag.
    pub fn track_bar_style(self, rank: Option<usize>) -> Style {
        let style = self.track(rank);
        if rank.and_then(|r| self.track_letter(r)).is_some() {
            style.add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            style
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

    /// The letter that tells tracks apart beyond the colours there are (none before them):
    /// `a` for the first such track, `b` for the next …
    pub fn track_letter(self, rank: usize) -> Option<char> {
        let beyond = rank.checked_sub(TRACK_COLORS.len())?;
        Some(char::from(b'a' + u8::try_from(beyond % 26).unwrap_or(0)))
    }

    pub fn popup_border(self) -> Style {
        self.fg(Color::Cyan)
    }
}
