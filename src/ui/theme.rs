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

/// Track colours for terminals with a light background: darker ones from the 256-colour
/// palette, twelve apart.
const LIGHT_TRACK_COLORS: [Color; 12] = [
    Color::Indexed(25),
    Color::Indexed(28),
    Color::Indexed(130),
    Color::Indexed(90),
    Color::Indexed(30),
    Color::Indexed(94),
    Color::Indexed(54),
    Color::Indexed(58),
    Color::Indexed(125),
    Color::Indexed(23),
    Color::Indexed(240),
    Color::Indexed(17),
];

/// Tracks (by rank) whose colour a user's configuration may set.
const MAX_CONFIGURED: usize = 32;

/// Which colours to use: the configuration's `theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Dark unless the terminal says (`COLORFGBG`) its background is light.
    #[default]
    Auto,
    Dark,
    Light,
    /// No colours at all (as `NO_COLOR` asks): meaning rests on marks and bold, dim, reverse.
    None,
}

/// The styles of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
    light: bool,
    /// Colours a user gave tracks, by their rank in the track list.
    tracks: [Option<Color>; MAX_CONFIGURED],
}

impl Theme {
    /// Colours on a dark background (`true`), or none.
    pub fn new(color: bool) -> Self {
        Self {
            color,
            light: false,
            tracks: [None; MAX_CONFIGURED],
        }
    }

    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org), for a dark
    /// background unless the terminal says otherwise.
    pub fn from_env() -> Self {
        Self::with_mode(Mode::Auto)
    }

    /// The theme a configuration asks for; `NO_COLOR` still turns colours off.
    pub fn with_mode(mode: Mode) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let light = match mode {
            Mode::Light => true,
            Mode::Auto => light_background(std::env::var("COLORFGBG").ok().as_deref()),
            Mode::Dark | Mode::None => false,
        };
        Self {
            light,
            ..Self::new(!no_color && mode != Mode::None)
        }
    }

    /// Whether it draws in colour at all.
    pub fn is_colored(self) -> bool {
        self.color
    }

    /// Gives the tracks of `tracks` (the app's track list, by rank) the colours `colors`
    /// names (track name → colour, as the configuration file parsed them); names of tracks
    /// this calendar lacks are passed over.
    #[must_use]
    pub fn with_track_colors<'a>(
        mut self,
        tracks: &[(String, usize)],
        colors: impl IntoIterator<Item = (&'a str, Color)>,
    ) -> Self {
        for (track, color) in colors {
            if let Some(rank) = tracks.iter().position(|(name, _)| name == track)
                && let Some(slot) = self.tracks.get_mut(rank)
            {
                *slot = Some(color);
            }
        }
        self
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
        let Some(r) = rank else {
            return Style::new();
        };
        let palette = if self.light {
            &LIGHT_TRACK_COLORS
        } else {
            &TRACK_COLORS
        };
        let configured = self.tracks.get(r).copied().flatten();
        self.fg(configured.unwrap_or(palette[r % palette.len()]))
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

/// Whether `COLORFGBG` (`fg;bg`, as rxvt, Konsole and others set it) says the background is
/// light: colour 7 or 9–15 behind the text.
fn light_background(colorfgbg: Option<&str>) -> bool {
    colorfgbg
        .and_then(|v| v.rsplit(';').next()?.trim().parse::<u8>().ok())
        .is_some_and(|bg| bg == 7 || (9..=15).contains(&bg))
}

/// A colour as a configuration writes it: a name (`blue`, `light-green`, `lightgreen`,
/// `dark-gray`), an index 0–255, or `#rrggbb`. Not red: it marks clashes.
pub fn parse_color(value: &str) -> Option<Color> {
    let v = value
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_', ' '], "");
    if v.is_empty() || v == "red" || v == "lightred" {
        // Red is the clash's colour: a track in red would read as a clash.
        return None;
    }
    v.parse::<Color>()
        .ok()
        .filter(|c| !matches!(c, Color::Reset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_as_a_configuration_writes_them() {
        assert_eq!(parse_color("blue"), Some(Color::Blue));
        assert_eq!(parse_color("Light-Green"), Some(Color::LightGreen));
        assert_eq!(parse_color("#ff8800"), Some(Color::Rgb(0xff, 0x88, 0x00)));
        assert_eq!(parse_color("208"), Some(Color::Indexed(208)));
        assert_eq!(parse_color("red"), None, "red means a clash");
        assert_eq!(parse_color("blurple"), None);
    }

    #[test]
    fn configured_track_colours_and_the_background() {
        let tracks = vec![("Rust".to_owned(), 3), ("Go".to_owned(), 2)];
        let theme = Theme::new(true)
            .with_track_colors(&tracks, [("Go", Color::Magenta), ("Nope", Color::Blue)]);
        assert_eq!(theme.track(Some(1)).fg, Some(Color::Magenta));
        assert_eq!(theme.track(Some(0)).fg, Some(TRACK_COLORS[0]));
        assert!(light_background(Some("0;15")));
        assert!(!light_background(Some("15;0")));
        assert!(!light_background(None));
        assert_eq!(Theme::new(false).track(Some(1)).fg, None);
    }
}
