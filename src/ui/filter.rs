//! The track filter: a checklist of tracks with their colours.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use crate::app::App;

/// The filter widget.
pub struct FilterView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for FilterView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let inner = super::popup(area, buf, "Tracks shown", theme.popup_border());
        if app.tracks.is_empty() {
            buf.set_string(
                inner.x + 1,
                inner.y,
                "This calendar has no tracks.",
                theme.dim(),
            );
            return;
        }
        let rows = usize::from(inner.height);
        let first = app.filter_cursor.saturating_sub(rows.saturating_sub(1));
        for (i, (track, count)) in app.tracks.iter().enumerate().skip(first).take(rows) {
            let shown = !app.hidden_tracks.contains(track);
            let base = if i == app.filter_cursor {
                theme.selected()
            } else {
                Style::new()
            };
            let line = Line::from(vec![
                Span::styled(if shown { "[x] " } else { "[ ] " }, base),
                Span::styled("▌", theme.track(Some(i))),
                Span::styled(
                    format!("{track} ({count})"),
                    if shown { base } else { base.patch(theme.dim()) },
                ),
            ]);
            let y = inner.y + u16::try_from(i - first).unwrap_or(0);
            buf.set_line(inner.x, y, &line, inner.width);
        }
    }
}
