//! The list view: every session of the day by start, one row each (rows from
//! [`crate::app::list`]); the offset follows the selection.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::StatefulWidget;

use super::Theme;
use crate::app::App;
use crate::app::list::{self, Columns};

/// The list widget; its state is the first session shown (a position in the day's order).
pub struct ListView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl StatefulWidget for ListView<'_> {
    type State = usize;

    fn render(self, area: Rect, buf: &mut Buffer, offset: &mut usize) {
        let app = self.app;
        let order = &app.layout().order;
        if order.is_empty() {
            let text = if app.starred_only {
                "No starred sessions on this day (* shows all)."
            } else {
                "No sessions on this day."
            };
            buf.set_stringn(
                area.x + 1,
                area.y,
                text,
                usize::from(area.width.saturating_sub(1)),
                self.theme.dim(),
            );
            return;
        }
        let columns = Columns::new(app, area.width);
        let height = |i: usize| list::height(app, i, area.width);
        let cursor = app
            .selected
            .and_then(|s| order.iter().position(|&i| i == s))
            .unwrap_or(0);
        // The first row from which `cursor` shows with `rows` lines down to its end: a walk
        // back of at most `rows` rows.
        let from_above = |rows: usize| {
            let mut used = height(order[cursor]);
            let mut first = cursor;
            while first > 0 && used + height(order[first - 1]) <= rows {
                first -= 1;
                used += height(order[first]);
            }
            first
        };
        let rows = usize::from(area.height);
        let lowest = from_above(rows);
        *offset = (*offset).min(order.len() - 1);
        if cursor + 1 < *offset || *offset + 1 < lowest {
            // A jump (a search, another day, the view switched): the cursor a third down.
            *offset = from_above(rows / 3);
        } else if cursor < *offset {
            *offset = cursor;
        } else if *offset < lowest {
            *offset = lowest;
        }
        let mut y = area.y;
        for &i in &order[*offset..] {
            if y >= area.bottom() {
                break;
            }
            let row = list::row(app, i, columns);
            self.row(
                &row,
                columns,
                Rect::new(area.x, y, area.width, area.bottom() - y),
                buf,
            );
            y = y.saturating_add(u16::try_from(row.text.len().max(1)).unwrap_or(1));
        }
    }
}

impl ListView<'_> {
    fn row(&self, row: &list::Row, columns: Columns, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let s = &app.calendar.sessions[row.index];
        let mut style = Style::new();
        if s.end <= app.now() || app.is_hidden(row.index) {
            style = style.patch(theme.past());
        }
        if app.plan.is_starred(row.index) {
            style = style.patch(theme.starred());
        }
        let mark_style = if app.plan.is_clashing(row.index) {
            theme.clash()
        } else {
            theme.starred()
        };
        let selected = app.selected == Some(row.index);
        let fill = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        let width = usize::from(area.width);
        for (k, text) in row.text.iter().enumerate() {
            let y = area.y + u16::try_from(k).unwrap_or(0);
            if y >= area.bottom() {
                break;
            }
            buf.set_stringn(area.x, y, " ".repeat(width), width, fill);
            let line_style = if k >= row.speakers_from {
                style.patch(theme.dim()).patch(fill)
            } else {
                style.patch(fill)
            };
            if k == 0 {
                buf.set_stringn(area.x, y, &row.marks, 3, mark_style.patch(fill));
                let mut x = area.x + 3;
                buf.set_stringn(x, y, &row.time, 13, style.patch(fill));
                x += 14;
                let track = s
                    .tracks
                    .first()
                    .and_then(|t| app.tracks.iter().position(|(n, _)| n == t));
                buf.set_stringn(
                    x,
                    y,
                    theme.track_bar(track),
                    1,
                    theme.track_bar_style(track),
                );
                // A space after the mark: past 12 tracks it is a letter, which would read as
                // the room name's first.
                buf.set_stringn(x + 2, y, &row.room, columns.room, style.patch(fill));
                x += u16::try_from(columns.room + 3).unwrap_or(0);
                buf.set_stringn(x, y, &row.badge, 6, theme.badge().patch(fill));
            }
            let x = area.x + u16::try_from(columns.text_x).unwrap_or(0);
            buf.set_stringn(x, y, text, columns.text_width, line_style);
        }
    }
}
