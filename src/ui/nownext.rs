//! Now and next in every room (rows from [`crate::app::nownext`]): what is on with the
//! minutes it has left, what starts next, starred sessions first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::StatefulWidget;

use super::Theme;
use crate::app::App;
use crate::app::nownext::{self, Moment};
use crate::width;

/// What is said beside a session: when it starts, or how long it still runs.
enum Note {
    At(String),
    Left(String),
}

/// The Now & next widget.
pub struct NowNextView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

/// The first room shown, and the cursor when last drawn: a cursor that jumped (a page, the
/// first or last room) takes the view with it by as much, so Page Down shows the next page; a
/// step of one scrolls only as far as it must.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scroll {
    first: usize,
    cursor: usize,
}

impl Scroll {
    /// The first of `total` rooms to show, `visible` at a time, with the cursor at `cursor`.
    fn place(&mut self, cursor: usize, visible: usize, total: usize) -> usize {
        let visible = visible.max(1);
        if cursor.abs_diff(self.cursor) > 1 {
            self.first = if cursor > self.cursor {
                self.first + (cursor - self.cursor)
            } else {
                self.first.saturating_sub(self.cursor - cursor)
            };
        }
        self.first = self
            .first
            .min(total.saturating_sub(visible))
            .min(cursor)
            .max((cursor + 1).saturating_sub(visible));
        self.cursor = cursor;
        self.first
    }
}

impl StatefulWidget for NowNextView<'_> {
    type State = Scroll;

    fn render(self, area: Rect, buf: &mut Buffer, scroll: &mut Scroll) {
        let app = self.app;
        let theme = self.theme;
        let inner = super::popup(area, buf, "Now & next", theme.popup_border());
        let cal = &app.calendar;
        let (moment, at) = nownext::moment(app);
        let when = |t| cal.local(t).format("%a %-d %b %H:%M").to_string();
        let heading = match moment {
            Moment::Before(start) => format!(
                "The conference has not begun: it starts {}. Its first sessions:",
                when(start)
            ),
            Moment::During => format!("Now, {}:", cal.local(at).format("%a %-d %b %H:%M")),
            Moment::After(end) => format!(
                "The conference is over (it ended {}). Its last sessions:",
                when(end)
            ),
            Moment::Empty => "This calendar has no sessions.".to_owned(),
        };
        let w = usize::from(inner.width);
        buf.set_stringn(
            inner.x,
            inner.y,
            width::truncate(&heading, w),
            w,
            theme.title(),
        );
        let rows = nownext::rows(app);
        if rows.is_empty() && moment != Moment::Empty {
            buf.set_stringn(inner.x, inner.y + 2, "Nothing more on.", w, theme.dim());
            return;
        }
        // Room | now (minutes left) | next (start).
        let room_w = rows
            .iter()
            .map(|r| width::cells(&r.room))
            .max()
            .unwrap_or(4)
            .clamp(4, 20)
            .min(w / 4);
        let rest = w.saturating_sub(room_w + 4);
        let now_w = rest / 2;
        let next_w = rest - now_w;
        let header_y = inner.y + 2;
        if inner.height < 4 {
            return;
        }
        let (label_now, label_next) = match moment {
            Moment::During | Moment::Empty => ("On now", "Next"),
            Moment::Before(_) => ("First", "Then"),
            Moment::After(_) => ("Last", ""),
        };
        let x_now = inner.x + 3 + u16::try_from(room_w).unwrap_or(0);
        buf.set_stringn(x_now, header_y, label_now, now_w, theme.dim());
        buf.set_stringn(
            x_now + u16::try_from(now_w).unwrap_or(0),
            header_y,
            label_next,
            next_w,
            theme.dim(),
        );
        let visible = usize::from(inner.height.saturating_sub(3));
        let first = scroll.place(app.now_next_cursor, visible, rows.len());
        let columns = Cells {
            x: inner.x,
            width: w,
            room: room_w,
            now: now_w,
            next: next_w,
        };
        for (k, row) in rows.iter().enumerate().skip(first).take(visible) {
            let y = header_y + 1 + u16::try_from(k - first).unwrap_or(0);
            self.row(row, k == app.now_next_cursor, moment, at, columns, y, buf);
        }
        // Rooms out of view, on the border: above, and how many below.
        let right = inner.right();
        if first > 0 {
            buf.set_string(
                right.saturating_sub(2),
                inner.y.saturating_sub(1),
                "↑",
                theme.dim(),
            );
        }
        let below = rows.len().saturating_sub(first + visible);
        if below > 0 {
            let more = format!(" {below} more ↓ ");
            let x = right.saturating_sub(u16::try_from(width::cells(&more)).unwrap_or(0) + 1);
            buf.set_string(x, inner.bottom(), more, theme.dim());
        }
    }
}

/// Where the columns of Now & next are.
#[derive(Clone, Copy)]
struct Cells {
    x: u16,
    width: usize,
    room: usize,
    now: usize,
    next: usize,
}

impl NowNextView<'_> {
    /// One room's line.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        row: &nownext::Row,
        selected: bool,
        moment: Moment,
        at: chrono::DateTime<chrono::Utc>,
        cells: Cells,
        y: u16,
        buf: &mut Buffer,
    ) {
        let (app, theme, cal) = (self.app, self.theme, &self.app.calendar);
        let (w, room_w, now_w, next_w) = (cells.width, cells.room, cells.now, cells.next);
        let inner_x = cells.x;
        let fill = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        buf.set_stringn(inner_x, y, " ".repeat(w), w, fill);
        let mark = if row.starred { "★" } else { " " };
        buf.set_stringn(inner_x, y, mark, 1, theme.starred().patch(fill));
        buf.set_stringn(
            inner_x + 2,
            y,
            width::fit(&row.room, room_w),
            room_w,
            theme.room().patch(fill),
        );
        let x_now = inner_x + 3 + u16::try_from(room_w).unwrap_or(0);
        if let Some(i) = row.now {
            let s = &cal.sessions[i];
            let left = (s.end - app.now()).num_minutes().max(0);
            let note = match moment {
                Moment::During if left <= 90 => Note::Left(format!("{left} min left")),
                Moment::During => Note::Left(format!("until {}", cal.local(s.end).format("%H:%M"))),
                _ => Note::At(cal.local(s.start).format("%H:%M").to_string()),
            };
            let mut text = self.session_text(i, &note);
            if row.others > 0 {
                // Others on at the same time in the room: the count, at the end.
                let more = format!(" +{}", row.others);
                text = format!(
                    "{}{more}",
                    width::truncate(&text, now_w.saturating_sub(1 + width::cells(&more)))
                );
            }
            buf.set_stringn(
                x_now,
                y,
                width::truncate(&text, now_w.saturating_sub(1)),
                now_w,
                self.style(i).patch(fill),
            );
        } else if moment == Moment::During {
            buf.set_stringn(x_now, y, "(free)", now_w, theme.dim().patch(fill));
        }
        if let Some(i) = row.next {
            let s = &cal.sessions[i];
            let start = cal.local(s.start);
            let when = if start.date_naive() == cal.local(at).date_naive() {
                start.format("%H:%M").to_string()
            } else {
                start.format("%a %H:%M").to_string()
            };
            let text = self.session_text(i, &Note::At(when));
            let x = x_now + u16::try_from(now_w).unwrap_or(0);
            buf.set_stringn(
                x,
                y,
                width::truncate(&text, next_w),
                next_w,
                self.style(i).patch(fill),
            );
        }
        // Which of the two `s` and Enter act on (← →): a mark in the cell before it.
        if selected && row.target(app.now_next_on_next).is_some() {
            let on_next = row.now.is_none() || (app.now_next_on_next && row.next.is_some());
            let x = if on_next {
                x_now + u16::try_from(now_w).unwrap_or(0)
            } else {
                x_now
            };
            buf.set_stringn(x.saturating_sub(1), y, "▸", 1, theme.title().patch(fill));
        }
    }

    /// `★ 12 min left · ⚡ Title` for what is on, `★ 11:00 ⚡ Title` for what is next.
    fn session_text(&self, i: usize, note: &Note) -> String {
        let s = &self.app.calendar.sessions[i];
        let mark = if self.app.plan.is_clashing(i) {
            "!★ "
        } else if self.app.plan.is_starred(i) {
            "★ "
        } else {
            ""
        };
        let badge = s.kind.badge().map(|b| format!("{b} ")).unwrap_or_default();
        match note {
            Note::At(time) => format!("{mark}{time} {badge}{}", s.headline()),
            Note::Left(left) => format!("{mark}{left} · {badge}{}", s.headline()),
        }
    }

    fn style(&self, i: usize) -> Style {
        if self.app.plan.is_clashing(i) {
            self.theme.clash()
        } else if self.app.plan.is_starred(i) {
            self.theme.starred()
        } else {
            Style::new()
        }
    }
}
