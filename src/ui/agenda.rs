//! The agenda view: your starred sessions day by day, clashes marked and explained, free
//! time shown, changed and vanished sessions flagged.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, StatefulWidget, Widget};

use super::Theme;
use crate::app::App;
use crate::app::agenda::Row;
use crate::export::agenda::duration_text;
use crate::export::{day_heading, range_on_day, time_column, time_range};
use crate::width;

/// The agenda widget; its state is the first line shown.
pub struct AgendaView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl StatefulWidget for AgendaView<'_> {
    type State = usize;

    fn render(self, area: Rect, buf: &mut Buffer, offset: &mut usize) {
        let app = self.app;
        let theme = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.popup_border())
            .title(" Your agenda ");
        let inner = block.inner(area);
        block.render(area, buf);
        if app.agenda_rows.is_empty() {
            buf.set_string(
                inner.x + 1,
                inner.y,
                "Nothing starred yet: select a session and press s.",
                theme.dim(),
            );
            return;
        }
        let (lines, cursor_line) = self.lines(inner.width);
        let height = usize::from(inner.height);
        if cursor_line < *offset {
            *offset = cursor_line.saturating_sub(1);
        } else if cursor_line >= *offset + height.saturating_sub(2) {
            *offset = cursor_line + 3 - height.min(cursor_line + 3);
        }
        *offset = (*offset).min(lines.len().saturating_sub(1));
        for (i, line) in lines.iter().skip(*offset).take(height).enumerate() {
            buf.set_line(
                inner.x,
                inner.y + u16::try_from(i).unwrap_or(0),
                line,
                inner.width,
            );
        }
    }
}

impl AgendaView<'_> {
    /// Every row as lines, and the line where the cursor's row starts.
    fn lines(&self, width: u16) -> (Vec<Line<'static>>, usize) {
        let app = self.app;
        let theme = self.theme;
        let cal = &app.calendar;
        let mut lines: Vec<Line> = Vec::new();
        let mut cursor_line = 0;
        let mut selectable = 0;
        // The time column as wide as its widest range (`00:50+1–02:50` in a congress's
        // night), then two spaces; the room 15 cells and one space.
        let time_w = time_column(
            cal,
            app.agenda_rows.iter().filter_map(|row| match row {
                Row::Session { index, .. } => Some(&cal.sessions[*index]),
                _ => None,
            }),
        ) + 2;
        let lead = 3 + time_w + 16;
        let text_width = usize::from(width).saturating_sub(lead + 1).max(1);
        for row in &app.agenda_rows {
            let is_cursor = row.selectable() && selectable == app.agenda_cursor;
            if is_cursor {
                cursor_line = lines.len();
            }
            if row.selectable() {
                selectable += 1;
            }
            let cursor_style = if is_cursor {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            match row {
                Row::Day(day) => {
                    if !lines.is_empty() {
                        lines.push(Line::default());
                    }
                    lines.push(Line::styled(day_heading(*day), theme.title()));
                }
                Row::Free { day, from, to } => {
                    let free = format!(
                        "free {} ({})",
                        range_on_day(cal, *day, *from, *to),
                        duration_text(*to - *from)
                    );
                    let indent = 3 + time_w;
                    let free = width::truncate(&free, usize::from(width).saturating_sub(indent));
                    lines.push(Line::styled(format!("{:indent$}{free}", ""), theme.dim()));
                }
                Row::Session { index, mark, notes } => {
                    let s = &cal.sessions[*index];
                    let mark_style = match mark {
                        '!' | 'x' => theme.clash(),
                        '*' | '~' => theme.error(),
                        _ => theme.dim(),
                    };
                    let mut title = s.title.to_string();
                    if let Some(sp) = &s.speakers {
                        title.push_str(" — ");
                        title.push_str(sp);
                    }
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {mark} "), mark_style),
                        Span::styled(width::fit(&time_range(cal, s), time_w), cursor_style),
                        Span::styled(width::fit(&s.room, 15), cursor_style),
                        Span::raw(" "),
                        Span::styled(
                            width::truncate(&title, text_width),
                            cursor_style.patch(theme.starred()),
                        ),
                    ]));
                    let note_width = usize::from(width).saturating_sub(lead + 2).max(1);
                    for (m, note) in notes {
                        lines.push(Line::styled(
                            format!("{:lead$}{m} {}", "", width::truncate(note, note_width)),
                            mark_style,
                        ));
                    }
                }
                Row::GoneHeading => {
                    lines.push(Line::default());
                    lines.push(Line::styled("No longer in the schedule", theme.title()));
                }
                Row::Gone { star, when, .. } => lines.push(Line::from(vec![
                    Span::styled(" x ", theme.clash()),
                    Span::styled(format!("{when}  "), cursor_style),
                    Span::styled(
                        width::truncate(&format!("{} ({})", star.title, star.room), text_width),
                        cursor_style,
                    ),
                ])),
            }
        }
        (lines, cursor_line)
    }
}
