//! The filter popup: tracks, rooms and types in sections, each with its count and whether it
//! is shown; tracks with their colours. What the keys do is in the footer and in `?`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use crate::app::App;
use crate::app::filter::Entry;
use crate::plan::filter::Facet;

/// The filter widget.
pub struct FilterView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for FilterView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let inner = super::popup(area, buf, "Filter", theme.popup_border());
        let f = &app.filtering;
        if f.entries.is_empty() {
            buf.set_stringn(
                inner.x + 1,
                inner.y,
                "This calendar has no tracks, rooms or types to filter.",
                usize::from(inner.width.saturating_sub(1)),
                theme.dim(),
            );
            return;
        }
        // The last row says what is shown, or what is being found.
        let rows = usize::from(inner.height.saturating_sub(1));
        let first = f.cursor.saturating_sub(rows.saturating_sub(2));
        for (y, (i, entry)) in (inner.y..).zip(f.entries.iter().enumerate().skip(first).take(rows))
        {
            let line = match entry {
                Entry::Heading(facet) => Line::styled(
                    match facet {
                        Facet::Track => "Tracks",
                        Facet::Room => "Rooms",
                        Facet::Type => "Types",
                    },
                    theme.title(),
                ),
                Entry::Name {
                    facet,
                    name,
                    label,
                    count,
                } => {
                    let shown = f.shows(*facet, name);
                    let base = if i == f.cursor {
                        theme.selected()
                    } else {
                        Style::new()
                    };
                    let mut spans = vec![Span::styled(if shown { " [x] " } else { " [ ] " }, base)];
                    if *facet == Facet::Track {
                        let rank = app.tracks.iter().position(|(n, _)| n == name);
                        spans.push(Span::styled(
                            theme.track_bar(rank),
                            theme.track_bar_style(rank),
                        ));
                        // As in the list and help: a letter mark is not the name's first.
                        spans.push(Span::styled(" ", base));
                    }
                    spans.push(Span::styled(
                        format!("{label} ({count})"),
                        if shown { base } else { base.patch(theme.dim()) },
                    ));
                    Line::from(spans)
                }
            };
            buf.set_line(inner.x, y, &line, inner.width);
        }
        let status = if let Some(typed) = &f.finding {
            format!("find: {typed}▏")
        } else {
            let shown = app.layout().order.len();
            let hidden = match f.hidden.len() {
                0 => String::new(),
                n if f.show_hidden => format!("; {n} hidden by x (shown now: X)"),
                n => format!("; {n} hidden by x"),
            };
            format!("{shown} sessions shown this day{hidden}")
        };
        buf.set_stringn(
            inner.x + 1,
            inner.bottom().saturating_sub(1),
            status,
            usize::from(inner.width.saturating_sub(1)),
            theme.dim(),
        );
    }
}
