//! The calendar picker: your saved calendars and the bundled one, the one shown marked.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use crate::app::App;
use crate::width;

/// The picker widget.
pub struct CalendarsView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for CalendarsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let inner = super::popup(area, buf, "Your calendars", theme.popup_border());
        let w = usize::from(inner.width);
        let name_w = app
            .calendars
            .iter()
            .map(|c| width::cells(&c.name))
            .max()
            .unwrap_or(0)
            .min(w / 2);
        let rows = usize::from(inner.height.saturating_sub(1));
        let first = app.calendars_cursor.saturating_sub(rows.saturating_sub(1));
        for (y, (i, c)) in (inner.y..).zip(app.calendars.iter().enumerate().skip(first).take(rows))
        {
            let base = if i == app.calendars_cursor {
                theme.selected()
            } else {
                Style::new()
            };
            let line = Line::from(vec![
                Span::styled(
                    if c.current { " * " } else { "   " },
                    base.patch(theme.starred()),
                ),
                Span::styled(width::fit(&c.name, name_w), base.patch(theme.title())),
                Span::styled("  ", base),
                Span::styled(
                    width::truncate(&c.source, w.saturating_sub(name_w + 5)),
                    base.patch(theme.dim()),
                ),
            ]);
            buf.set_line(inner.x, y, &line, inner.width);
        }
        buf.set_stringn(
            inner.x + 1,
            inner.bottom().saturating_sub(1),
            "Add more with: hallway add FILE|URL",
            w.saturating_sub(1),
            theme.dim(),
        );
    }
}
