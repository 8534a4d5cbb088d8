//! The help overlay: the keys of the view it was opened from, marks, badges and track
//! colours (lines from [`crate::app::help`]).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use crate::app::App;
use crate::app::help::{self, Line as HelpLine};
use crate::width;

/// The help widget.
pub struct Help<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let inner = super::popup(area, buf, "Help", theme.popup_border());
        let lines = help::lines(self.app);
        let scroll = usize::from(self.app.help_scroll);
        let w = usize::from(inner.width);
        let keys_width = lines
            .iter()
            .filter_map(|l| match l {
                HelpLine::Key { keys, .. } => Some(width::cells(keys)),
                _ => None,
            })
            .max()
            .unwrap_or(0)
            .min(w / 3);
        for (y, line) in super::scrolled(&lines, scroll, inner) {
            let line = match line {
                HelpLine::Heading(text) => Line::styled(text.clone(), theme.title()),
                // Cut with `…` where the popup is narrower than a line.
                HelpLine::Key { keys, description } => Line::from(vec![
                    Span::styled(format!("  {}  ", width::fit(keys, keys_width)), theme.key()),
                    Span::raw(width::truncate(
                        description,
                        w.saturating_sub(keys_width + 4),
                    )),
                ]),
                HelpLine::Text(text) => Line::raw(width::truncate(text, w)),
                HelpLine::Track { rank, name, count } => Line::from(vec![
                    Span::raw("  "),
                    Span::styled(
                        theme.track_bar(Some(*rank)),
                        theme.track_bar_style(Some(*rank)),
                    ),
                    Span::raw(format!(" {name} ({count})")),
                ]),
                HelpLine::Blank => Line::default(),
            };
            buf.set_line(inner.x, y, &line, inner.width);
        }
    }
}
