//! The "schedule changed" popup: what changed for your starred sessions, on start and after
//! a refresh.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::App;

/// The changes widget.
pub struct ChangesView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for ChangesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        Clear.render(area, buf);
        let mut lines = vec![
            Line::from("Since you last looked, for your starred sessions:"),
            Line::default(),
        ];
        for entry in &self.app.changes {
            let style = match entry.kind {
                "cancelled" | "gone" | "new clash" => theme.clash(),
                _ => theme.error(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{:<13}", entry.kind), style),
                Span::styled(entry.title.clone(), theme.title()),
            ]));
            for detail in &entry.details {
                lines.push(Line::from(format!("{:13}{detail}", "")));
            }
        }
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.popup_border())
                    .title(" Schedule changed  u acknowledge · a agenda · Esc close "),
            )
            .wrap(Wrap { trim: false })
            .scroll((self.app.changes_scroll, 0))
            .render(area, buf);
    }
}
