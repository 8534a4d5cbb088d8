//! The room-by-time grid: a strip of long sessions, room names, times down the left, a block
//! per session, a line at the current time. Only what is in view is drawn; the scroll
//! position lives in [`GridState`] and follows the selection.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::StatefulWidget;

use super::Theme;
use crate::app::App;
use crate::app::layout::{DayLayout, Placed};
use crate::calendar::{LONG_SESSION, Session};
use crate::width;

/// Cells for the times down the left.
const GUTTER: u16 = 6;
/// The narrowest a room column gets before the grid scrolls sideways.
const MIN_COLUMN: u16 = 16;

/// Where the grid is scrolled to, and what was drawn where (for the mouse).
#[derive(Debug, Clone, Default)]
pub struct GridState {
    /// Minutes from the day's origin at the top row.
    pub top: i64,
    /// First room column shown.
    pub left: usize,
    /// Rows of time shown at the last draw.
    pub rows: u16,
    /// The selection, day, zoom and size the scroll position was last fitted to.
    fitted: Option<(Option<usize>, usize, usize, u16, usize)>,
    /// Screen areas of sessions, for clicks.
    pub targets: Vec<(Rect, usize)>,
}

impl GridState {
    /// Scrolls by `rows` rows of time (the mouse wheel); the selection may leave the view.
    pub fn scroll(&mut self, rows: i64, minutes_per_row: i64) {
        self.top = (self.top + rows * minutes_per_row).max(0);
    }

    /// The session drawn at a screen position.
    pub fn target(&self, x: u16, y: u16) -> Option<usize> {
        self.targets
            .iter()
            .find(|(r, _)| x >= r.x && x < r.right() && y >= r.y && y < r.bottom())
            .map(|(_, i)| *i)
    }
}

/// The grid widget; it borrows the app.
pub struct Grid<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

struct Geometry {
    visible_columns: usize,
    column_width: u16,
}

fn geometry(area_width: u16, columns: usize) -> Geometry {
    let available = area_width.saturating_sub(GUTTER).max(1);
    let fit = usize::from((available / MIN_COLUMN).max(1));
    let visible = columns.clamp(1, fit);
    Geometry {
        visible_columns: visible,
        column_width: available / u16::try_from(visible).unwrap_or(1),
    }
}

impl StatefulWidget for Grid<'_> {
    type State = GridState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut GridState) {
        let app = self.app;
        let layout = app.layout();
        state.targets.clear();
        if layout.is_empty() {
            buf.set_string(
                area.x + 1,
                area.y + 1,
                if app.filter_on() {
                    "No sessions on this day in the tracks shown (f to filter)."
                } else {
                    "No sessions on this day."
                },
                self.theme.dim(),
            );
            return;
        }
        let mut y = area.y;
        if !layout.background.is_empty() {
            self.strip(Rect::new(area.x, y, area.width, 1), buf, state);
            y += 1;
        }
        let header_y = y;
        let grid = Rect::new(
            area.x,
            y + 1,
            area.width,
            area.bottom().saturating_sub(y + 1),
        );
        let geo = geometry(area.width, layout.columns.len());
        let zoom = app.minutes_per_row();
        state.rows = grid.height;
        self.fit(state, &geo, grid.height);

        self.room_header(Rect::new(area.x, header_y, area.width, 1), buf, state, &geo);
        self.gutter(grid, buf, state, zoom);
        // The now-line goes under the blocks: they are drawn over it.
        if let Some(row) = self.now_row(layout, state, grid, zoom) {
            self.now_line(grid, row, buf);
        }
        let bottom = state.top + i64::from(grid.height) * zoom;
        let first_column = state.left;
        let last_column = (state.left + geo.visible_columns).min(layout.columns.len());
        for (slot, column) in layout.columns[first_column..last_column].iter().enumerate() {
            let x = grid.x + GUTTER + u16::try_from(slot).unwrap_or(0) * geo.column_width;
            // Sessions are sorted by start and last under three hours: skip to the first
            // that can still be running at the top of the view.
            let from = column.sessions.partition_point(|&p| {
                layout.placed[p].start <= state.top - LONG_SESSION.num_minutes()
            });
            for &p in &column.sessions[from..] {
                let placed = &layout.placed[p];
                if placed.start >= bottom {
                    break;
                }
                if placed.end <= state.top {
                    continue;
                }
                self.block(placed, x, geo.column_width, grid, buf, state, zoom);
            }
        }
    }
}

impl Grid<'_> {
    /// Scrolls so the selection is in view, when it (or the day, zoom or size) changed.
    fn fit(&self, state: &mut GridState, geo: &Geometry, rows: u16) {
        let app = self.app;
        let layout = app.layout();
        let zoom = app.minutes_per_row();
        let key = (app.selected, app.day, app.zoom, rows, geo.visible_columns);
        let view = i64::from(rows.max(1)) * zoom;
        if state.fitted != Some(key) {
            state.fitted = Some(key);
            if let Some(p) = app
                .selected
                .and_then(|i| layout.spot(i))
                .and_then(|spot| match spot {
                    crate::app::layout::Spot::Grid(p) => Some(layout.placed[p]),
                    crate::app::layout::Spot::Strip(_) => None,
                })
            {
                if p.start < state.top || p.start >= state.top + view {
                    // Show it with a row of context above.
                    state.top = p.start - zoom;
                } else if p.end > state.top + view {
                    state.top = p.start.min(p.end - view);
                }
                if p.column < state.left {
                    state.left = p.column;
                } else if p.column >= state.left + geo.visible_columns {
                    state.left = p.column + 1 - geo.visible_columns;
                }
            }
        }
        let max_top = (layout.minutes - view).max(0);
        state.top = (state.top.clamp(0, max_top) / zoom) * zoom;
        state.left = state
            .left
            .min(layout.columns.len().saturating_sub(geo.visible_columns));
    }

    fn room_header(&self, area: Rect, buf: &mut Buffer, state: &GridState, geo: &Geometry) {
        let layout = self.app.layout();
        let last = (state.left + geo.visible_columns).min(layout.columns.len());
        for (slot, column) in layout.columns[state.left..last].iter().enumerate() {
            let x = area.x + GUTTER + u16::try_from(slot).unwrap_or(0) * geo.column_width;
            let name = width::truncate(
                &column.room,
                usize::from(geo.column_width.saturating_sub(1)),
            );
            buf.set_string(x, area.y, name, self.theme.room());
        }
        if state.left > 0 {
            buf.set_string(area.x, area.y, "◀", self.theme.dim());
        }
        if last < layout.columns.len() {
            buf.set_string(
                area.right().saturating_sub(1),
                area.y,
                "▶",
                self.theme.dim(),
            );
        }
    }

    fn gutter(&self, grid: Rect, buf: &mut Buffer, state: &GridState, zoom: i64) {
        let layout = self.app.layout();
        for row in 0..grid.height {
            let minute = state.top + i64::from(row) * zoom;
            let local = self.app.calendar.local(layout.at(minute));
            let label = if minute % 60 == 0 || zoom >= 30 && minute % 60 == 30 {
                local.format("%H:%M").to_string()
            } else if zoom <= 15 && minute % 30 == 0 {
                local.format("  :%M").to_string()
            } else {
                continue;
            };
            buf.set_string(grid.x, grid.y + row, label, self.theme.gutter());
        }
    }

    /// The row the current time falls on, when it is on this day and in view.
    fn now_row(&self, layout: &DayLayout, state: &GridState, grid: Rect, zoom: i64) -> Option<u16> {
        let now = self.app.now();
        let minute = layout.minute_of(now);
        if self.app.calendar.local(now).date_naive() != layout.date
            || minute < state.top
            || minute >= state.top + i64::from(grid.height) * zoom
        {
            return None;
        }
        u16::try_from((minute - state.top) / zoom).ok()
    }

    /// A line across the current time's row, and `now` in the gutter.
    fn now_line(&self, grid: Rect, row: u16, buf: &mut Buffer) {
        let y = grid.y + row;
        let style = self.theme.now_line();
        buf.set_string(grid.x, y, "now ▸", style.add_modifier(Modifier::BOLD));
        let line = "─".repeat(usize::from(grid.width.saturating_sub(GUTTER)));
        buf.set_string(grid.x + GUTTER, y, line, style);
    }

    /// Marks before a title: `!` clashing, `★` starred.
    fn marks(&self, index: usize) -> &'static str {
        let plan = &self.app.plan;
        if plan.is_clashing(index) {
            "!★"
        } else if plan.is_starred(index) {
            "★"
        } else {
            ""
        }
    }

    fn track_style(&self, s: &Session) -> Style {
        let rank = s
            .tracks
            .first()
            .and_then(|t| self.app.tracks.iter().position(|(name, _)| name == t));
        self.theme.track(rank)
    }

    /// The style of a session's text: selected, starred, clashing, past.
    fn text_style(&self, index: usize, s: &Session) -> Style {
        let mut style = Style::new();
        if s.end <= self.app.now() {
            style = style.patch(self.theme.past());
        }
        if self.app.plan.is_starred(index) {
            style = style.patch(self.theme.starred());
        }
        if self.app.plan.is_clashing(index) {
            style = style.patch(self.theme.clash());
        }
        if self.app.selected == Some(index) {
            style = style.patch(self.theme.selected());
        }
        style
    }

    #[allow(clippy::too_many_arguments)]
    fn block(
        &self,
        placed: &Placed,
        column_x: u16,
        column_width: u16,
        grid: Rect,
        buf: &mut Buffer,
        state: &mut GridState,
        zoom: i64,
    ) {
        let app = self.app;
        let s = &app.calendar.sessions[placed.index];
        let lanes = placed.lanes.max(1);
        let lane_width = (column_width / lanes).max(2);
        let x = column_x + placed.lane * lane_width;
        let w = if placed.lane + 1 == lanes {
            column_width - placed.lane * lane_width
        } else {
            lane_width
        }
        .saturating_sub(1)
        .max(1);
        if x >= grid.right() {
            return;
        }
        let w = w.min(grid.right() - x);
        let top = state.top;
        let row =
            |minutes: i64| u16::try_from(minutes.clamp(0, i64::from(grid.height))).unwrap_or(0);
        let y0 = row((placed.start - top).max(0) / zoom);
        let y1 = row((placed.end - top + zoom - 1) / zoom);
        let y1 = y1.max(y0 + 1).min(grid.height);
        if y0 >= grid.height {
            return;
        }
        let rect = Rect::new(x, grid.y + y0, w, y1 - y0);
        state.targets.push((rect, placed.index));

        let bar_style = if app.plan.is_clashing(placed.index) {
            self.theme.clash()
        } else {
            self.track_style(s)
        };
        let text_style = self.text_style(placed.index, s);
        let text_width = usize::from(w.saturating_sub(1));
        let local = app.calendar.local(s.start);
        let mut head = String::new();
        let marks = self.marks(placed.index);
        if !marks.is_empty() {
            head.push_str(marks);
            head.push(' ');
        }
        if text_width >= 12 {
            head.push_str(&local.format("%H:%M ").to_string());
        }
        if s.cancelled {
            head.push_str("[cancelled] ");
        }
        head.push_str(&s.title);
        let mut text_lines = width::wrap(&head, text_width.max(1));
        let title_lines = text_lines.len();
        let rows = usize::from(rect.height);
        if let Some(speakers) = &s.speakers
            && text_lines.len() < rows
        {
            text_lines.extend(width::wrap(speakers, text_width.max(1)));
        }
        for row in 0..rect.height {
            let y = rect.y + row;
            buf.set_string(rect.x, y, "▌", bar_style);
            let text = text_lines.get(usize::from(row)).map_or("", String::as_str);
            let shown = if usize::from(row) + 1 == rows && text_lines.len() > rows {
                width::fit(&format!("{text}…"), text_width)
            } else {
                width::fit(text, text_width)
            };
            let style = if usize::from(row) >= title_lines {
                text_style.patch(self.theme.dim())
            } else {
                text_style
            };
            buf.set_stringn(rect.x + 1, y, shown, text_width, style);
        }
    }

    /// The strip of long sessions (registration, expo) above the grid.
    fn strip(&self, area: Rect, buf: &mut Buffer, state: &mut GridState) {
        let app = self.app;
        let layout = app.layout();
        let label = "long ";
        buf.set_string(area.x, area.y, label, self.theme.gutter());
        let mut x = area.x + GUTTER;
        // Start from the selected item when it would not fit otherwise.
        let selected = app
            .selected
            .and_then(|i| layout.background.iter().position(|&b| b == i))
            .unwrap_or(0);
        let widths: Vec<u16> = layout
            .background
            .iter()
            .map(|&i| u16::try_from(width::cells(&self.strip_item(i)) + 3).unwrap_or(u16::MAX))
            .collect();
        let room = area.width.saturating_sub(GUTTER);
        let mut first = 0;
        while first < selected && widths[first..=selected].iter().sum::<u16>() > room {
            first += 1;
        }
        for &i in &layout.background[first..] {
            if x >= area.right() {
                break;
            }
            let s = &app.calendar.sessions[i];
            let text = self.strip_item(i);
            let available = area.right() - x;
            buf.set_string(x, area.y, "▌", self.track_style(s));
            let shown = width::truncate(&text, usize::from(available.saturating_sub(1)));
            let w = u16::try_from(width::cells(&shown)).unwrap_or(0);
            buf.set_stringn(
                x + 1,
                area.y,
                &shown,
                usize::from(available),
                self.text_style(i, s),
            );
            state.targets.push((Rect::new(x, area.y, w + 1, 1), i));
            x += w + 3;
        }
    }

    fn strip_item(&self, i: usize) -> String {
        let s = &self.app.calendar.sessions[i];
        let marks = self.marks(i);
        format!(
            "{}{}{} {}",
            marks,
            if marks.is_empty() { "" } else { " " },
            s.title,
            crate::export::time_range(&self.app.calendar, s)
        )
    }
}
