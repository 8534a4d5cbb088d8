//! The help overlay, read from the keymap table, and the legend of track colours.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::App;
use crate::app::keymap::{self, Context};

/// The help widget.
pub struct Help<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        Clear.render(area, buf);
        let mut lines: Vec<Line> = Vec::new();
        for context in [
            Context::Grid,
            Context::Details,
            Context::Search,
            Context::Agenda,
            Context::Filter,
            Context::Changes,
            Context::Global,
        ] {
            lines.push(Line::styled(context.title(), theme.title()));
            for b in keymap::bindings(context) {
                let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<18}", keys.join(" ")), theme.key()),
                    Span::raw(b.command.description()),
                ]));
            }
            lines.push(Line::default());
        }
        lines.push(Line::styled("Marks", theme.title()));
        lines.push(Line::from(
            "  ★ starred   ! clashes with another starred session   dim: over",
        ));
        lines.push(Line::from("  mouse: click selects, wheel scrolls"));
        lines.push(Line::default());
        lines.push(Line::styled("Tracks", theme.title()));
        for (i, (track, count)) in self.app.tracks.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled("▌", theme.track(Some(i))),
                Span::raw(format!("{track} ({count})")),
            ]));
        }
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.popup_border())
                    .title(" Help  ↑↓ scroll · any other key closes "),
            )
            .wrap(Wrap { trim: false })
            .scroll((self.app.help_scroll, 0))
            .render(area, buf);
    }
}
