//! The search overlay: the query as typed, and ranked results with the matched letters lit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::Theme;
use crate::app::App;
use crate::export::time_range;
use crate::width;

/// The search widget.
pub struct SearchView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

/// `text` with the characters at `positions` highlighted, cut to `max` cells.
fn highlighted(
    text: &str,
    positions: &[usize],
    max: usize,
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let text = width::truncate(text, max);
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, ch) in text.chars().enumerate() {
        let is_hit = positions.binary_search(&i).is_ok();
        if is_hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { base.patch(hit) } else { base },
            ));
        }
        run_hit = is_hit;
        run.push(ch);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_hit { base.patch(hit) } else { base },
        ));
    }
    spans
}

impl Widget for SearchView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let cal = &app.calendar;
        let search = &app.search;
        Clear.render(area, buf);
        let filter = if app.filter_on() {
            " (tracks filtered)"
        } else {
            ""
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.popup_border())
            .title(format!(
                " Search{filter}  ↑↓ choose · Enter show · Esc cancel "
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 {
            return;
        }
        let count = if search.query.trim().is_empty() {
            String::new()
        } else {
            format!("  {} found", search.hits.len())
        };
        buf.set_line(
            inner.x,
            inner.y,
            &Line::from(vec![
                Span::styled("/ ", theme.key()),
                Span::raw(search.query.clone()),
                Span::styled("▏", theme.key()),
                Span::styled(count, theme.dim()),
            ]),
            inner.width,
        );
        let rows = usize::from(inner.height - 1);
        let first = search.cursor.saturating_sub(rows.saturating_sub(1));
        // ★, day, time, room: the columns before the title.
        let title_width = usize::from(inner.width).saturating_sub(2 + 4 + 12 + 14 + 1);
        for (row, hit) in search.hits.iter().enumerate().skip(first).take(rows) {
            let s = &cal.sessions[hit.index];
            let selected = row == search.cursor;
            let base = if selected {
                theme.selected()
            } else {
                Style::new()
            };
            let star = if app.plan.is_starred(hit.index) {
                "★"
            } else {
                " "
            };
            let mut spans = vec![
                Span::styled(format!("{star} "), base.patch(theme.starred())),
                Span::styled(
                    format!(
                        "{} {:11} ",
                        cal.local(s.start).format("%a"),
                        time_range(cal, s)
                    ),
                    base,
                ),
                Span::styled(width::fit(&s.room, 14), base),
                Span::styled(" ", base),
            ];
            let positions = search.positions(&s.title);
            spans.extend(highlighted(
                &s.title,
                &positions,
                title_width,
                base,
                theme.matched(),
            ));
            if let Some(speakers) = &s.speakers {
                let used = width::cells(&s.title).min(title_width);
                if used + 4 < title_width {
                    let positions = search.positions(speakers);
                    spans.push(Span::styled(" — ", base.patch(theme.dim())));
                    spans.extend(highlighted(
                        speakers,
                        &positions,
                        title_width - used - 3,
                        base.patch(theme.dim()),
                        theme.matched(),
                    ));
                }
            }
            let y = inner.y + 1 + u16::try_from(row - first).unwrap_or(0);
            buf.set_line(inner.x, y, &Line::from(spans), inner.width);
        }
        if search.hits.is_empty() && !search.query.trim().is_empty() {
            buf.set_string(inner.x + 2, inner.y + 1, "Nothing matches.", theme.dim());
        }
    }
}
