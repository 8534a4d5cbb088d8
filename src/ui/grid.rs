//! The room-by-time grid: a strip of long sessions, room names, times down the left, a block
//! per session, a line at the current time.
//!
//! Every session of the day in view is drawn as exactly one block, or stands behind a `+N`
//! marker on the block of a session at the same place. Blocks are placed row by row: a
//! session whose rows another block already holds moves down within its own time, and when it
//! cannot (too short for the zoom) it joins that block's stack. Lanes of sessions side by side
//! in a room never get narrower than [`MIN_LANE`]: lanes beyond that stack too. A stack shows
//! the selected session when it holds it, else a starred one, else its first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::StatefulWidget;

use super::Theme;
use crate::app::App;
use crate::app::layout::DayLayout;
use crate::app::viewport::{Columns, GUTTER, GridAreas, MIN_LANE};
use crate::calendar::Session;
use crate::width;

/// What was drawn where, for the mouse and for tests.
#[derive(Debug, Clone, Default)]
pub struct GridState {
    pub drawn: Vec<Drawn>,
}

/// A block (or the strip's overflow marker) on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// Where it is on the screen.
    pub rect: Rect,
    /// The session shown (a click selects it).
    pub shown: usize,
    /// Every session it stands for, the shown one included.
    pub members: Vec<usize>,
    /// The room column it belongs to (its x range), or `None` for the strip.
    pub column: Option<Rect>,
}

impl GridState {
    /// The session drawn at a screen position.
    pub fn target(&self, x: u16, y: u16) -> Option<usize> {
        self.drawn
            .iter()
            .find(|d| x >= d.rect.x && x < d.rect.right() && y >= d.rect.y && y < d.rect.bottom())
            .map(|d| d.shown)
    }
}

/// The grid widget; it borrows the app.
pub struct Grid<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

/// A block in a column, in rows from the day's origin (not yet cut to the view).
#[derive(Debug, Clone)]
struct Block {
    /// Cells from the column's left edge, and width (the gap after it included).
    x: u16,
    width: u16,
    top: i64,
    bottom: i64,
    /// The latest end of its sessions, in minutes from the day's origin.
    until: i64,
    /// Sessions it stands for, by start; the first placed it.
    members: Vec<usize>,
}

/// Rows (from the day's origin) a session of minutes `start..end` spans at `zoom` minutes a
/// row: at least one.
fn rows_of(start: i64, end: i64, zoom: i64) -> (i64, i64) {
    let top = start.div_euclid(zoom);
    let bottom = end.saturating_add(zoom - 1).div_euclid(zoom).max(top + 1);
    (top, bottom)
}

/// The blocks of column `column`, `width` cells wide, at `zoom` minutes a row.
fn plan_column(layout: &DayLayout, column: usize, width: u16, zoom: i64) -> Vec<Block> {
    let Some(col) = layout.columns.get(column) else {
        return Vec::new();
    };
    let cells = usize::from(width.max(1));
    // Per cell of the column: the first row no block holds yet, and the block holding it.
    let mut free_from = vec![i64::MIN; cells];
    let mut owner: Vec<Option<usize>> = vec![None; cells];
    let mut blocks: Vec<Block> = Vec::new();
    for &p in &col.sessions {
        let placed = &layout.placed[p];
        let lanes = placed.lanes.max(1);
        let shown_lanes = lanes.min((width / MIN_LANE).max(1));
        let lane = placed.lane.min(shown_lanes - 1);
        let lane_width = width / shown_lanes;
        let lane_x = lane.saturating_mul(lane_width);
        let lane_w = if lane + 1 == shown_lanes {
            width.saturating_sub(lane_x)
        } else {
            lane_width
        };
        let cell_range =
            usize::from(lane_x).min(cells)..usize::from(lane_x.saturating_add(lane_w)).min(cells);
        let (top, bottom) = rows_of(placed.start, placed.end, zoom);
        let (held, holder) = cell_range
            .clone()
            .map(|c| (free_from[c], owner[c]))
            .max_by_key(|(row, _)| *row)
            .unwrap_or((i64::MIN, None));
        // A session running at the same time as the block that holds its rows joins it (the
        // block grows to cover both); one that only follows it, in rows too coarse to part
        // them, moves down within its own time, or joins it when it cannot.
        let parallel = holder.is_some_and(|k| blocks[k].until > placed.start);
        let start = if held <= top {
            Some(top)
        } else if held < bottom && !parallel {
            Some(held)
        } else {
            None
        };
        match (start, holder) {
            (None, Some(k)) => {
                let block = &mut blocks[k];
                block.members.push(placed.index);
                block.until = block.until.max(placed.end);
                if bottom > block.bottom {
                    block.bottom = bottom;
                    let cells = usize::from(block.x).min(free_from.len())
                        ..usize::from(block.x.saturating_add(block.width)).min(free_from.len());
                    for c in cells {
                        free_from[c] = bottom;
                    }
                }
            }
            (start, _) => {
                let top = start.unwrap_or(top);
                blocks.push(Block {
                    x: lane_x,
                    width: lane_w,
                    top,
                    bottom,
                    until: placed.end,
                    members: vec![placed.index],
                });
                let k = blocks.len() - 1;
                for c in cell_range {
                    free_from[c] = bottom;
                    owner[c] = Some(k);
                }
            }
        }
    }
    blocks
}

impl StatefulWidget for Grid<'_> {
    type State = GridState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut GridState) {
        let app = self.app;
        let layout = app.layout();
        state.drawn.clear();
        if layout.is_empty() {
            let text = if app.starred_only {
                "No starred sessions on this day (* shows all)."
            } else if app.filter_on() {
                "No sessions on this day with the filters set (f to filter)."
            } else {
                "No sessions on this day."
            };
            buf.set_stringn(
                area.x.saturating_add(1),
                area.y.saturating_add(1),
                text,
                usize::from(area.width.saturating_sub(2)),
                self.theme.dim(),
            );
            return;
        }
        let areas = GridAreas::new(area, !layout.background.is_empty());
        if let Some(strip) = areas.strip {
            self.strip(strip, buf, state);
        }
        let zoom = app.minutes_per_row();
        let columns = Columns::new(layout, area.width, app.scroll.left);
        self.room_header(areas.rooms, buf, &columns);
        let rows = areas.rows;
        self.gutter(rows, buf, zoom);
        // The now-line goes under the blocks: they are drawn over it.
        if let Some(row) = self.now_row(layout, rows, zoom) {
            self.now_line(rows, row, buf);
        }
        let top_row = app.scroll.top.div_euclid(zoom);
        let bottom_row = top_row + i64::from(rows.height);
        for (slot, &width) in columns.widths.iter().enumerate() {
            let column = columns.first + slot;
            let x = rows
                .x
                .saturating_add(GUTTER)
                .saturating_add(columns.offset(slot));
            let column_rect = Rect::new(
                x,
                rows.y,
                width.min(rows.right().saturating_sub(x)),
                rows.height,
            );
            for block in plan_column(layout, column, width, zoom) {
                if block.bottom <= top_row || block.top >= bottom_row {
                    continue;
                }
                let y0 = block.top.max(top_row) - top_row;
                let y1 = block.bottom.min(bottom_row) - top_row;
                let rect = Rect::new(
                    x.saturating_add(block.x),
                    rows.y.saturating_add(u16::try_from(y0).unwrap_or(0)),
                    block.width,
                    u16::try_from(y1 - y0).unwrap_or(0),
                )
                .intersection(column_rect);
                if rect.is_empty() {
                    continue;
                }
                let shown = self.shown(&block.members);
                // The minute of the block's first row on screen.
                let first_row = (block.top.max(top_row)).saturating_mul(zoom);
                self.block(rect, shown, &block.members, first_row, buf);
                state.drawn.push(Drawn {
                    rect,
                    shown,
                    members: block.members,
                    column: Some(column_rect),
                });
            }
        }
    }
}

impl Grid<'_> {
    /// The member a block shows: the selection, else a clashing or starred one, else the
    /// first.
    fn shown(&self, members: &[usize]) -> usize {
        let plan = &self.app.plan;
        let selected = self.app.selected;
        members
            .iter()
            .copied()
            .find(|&i| Some(i) == selected)
            .or_else(|| members.iter().copied().find(|&i| plan.is_clashing(i)))
            .or_else(|| members.iter().copied().find(|&i| plan.is_starred(i)))
            .unwrap_or(members[0])
    }

    fn room_header(&self, area: Rect, buf: &mut Buffer, columns: &Columns) {
        if area.height == 0 {
            return;
        }
        let layout = self.app.layout();
        let after = layout.columns.len().saturating_sub(columns.end());
        let more = format!("{after}▶");
        // Names end a cell before the count of rooms further right.
        let names_end = if after > 0 {
            area.right()
                .saturating_sub(u16::try_from(width::cells(&more)).unwrap_or(0))
                .saturating_sub(1)
        } else {
            area.right()
        };
        for (slot, &width) in columns.widths.iter().enumerate() {
            let Some(column) = layout.columns.get(columns.first + slot) else {
                continue;
            };
            let x = area
                .x
                .saturating_add(GUTTER)
                .saturating_add(columns.offset(slot))
                .saturating_add(1);
            let room = width.saturating_sub(2).min(names_end.saturating_sub(x));
            let name = width::truncate(&column.room, usize::from(room));
            buf.set_string(x, area.y, name, self.theme.room());
        }
        if columns.first > 0 {
            buf.set_string(
                area.x,
                area.y,
                format!("◀{}", columns.first),
                self.theme.dim(),
            );
        }
        if after > 0 {
            let x = area
                .right()
                .saturating_sub(u16::try_from(width::cells(&more)).unwrap_or(0));
            buf.set_string(x, area.y, more, self.theme.dim());
        }
    }

    /// Times down the left: every hour, and half hours when rows are short; the first label
    /// always has its hour.
    fn gutter(&self, rows: Rect, buf: &mut Buffer, zoom: i64) {
        let app = self.app;
        let layout = app.layout();
        let mut first = true;
        for row in 0..rows.height {
            let minute = app.scroll.top + i64::from(row) * zoom;
            if minute > layout.minutes {
                // Past the day's end: no times that repeat the next morning's.
                break;
            }
            let local = app.calendar.local(layout.at(minute));
            let on_hour = minute % 60 == 0;
            let on_half = minute % 30 == 0;
            let label = if on_hour || (zoom >= 30 && on_half) || (first && row == 0) {
                local.format("%H:%M").to_string()
            } else if zoom <= 15 && on_half {
                if first {
                    local.format("%H:%M").to_string()
                } else {
                    local.format("  :%M").to_string()
                }
            } else {
                continue;
            };
            first = false;
            buf.set_string(rows.x, rows.y + row, label, self.theme.gutter());
        }
    }

    /// The row the current time falls on, when it is on this day and in view.
    fn now_row(&self, layout: &DayLayout, rows: Rect, zoom: i64) -> Option<u16> {
        let app = self.app;
        let now = app.now();
        let minute = layout.minute_of(now);
        let top = app.scroll.top;
        if app.calendar.day_of_instant(now) != layout.date
            || minute < top
            || minute >= top + i64::from(rows.height) * zoom
        {
            return None;
        }
        u16::try_from((minute - top) / zoom).ok()
    }

    /// Whether minute `minute` of the day falls on the row the now-line is drawn on.
    fn on_now_row(&self, minute: i64) -> bool {
        let app = self.app;
        let layout = app.layout();
        let now = app.now();
        let zoom = app.minutes_per_row();
        app.calendar.day_of_instant(now) == layout.date
            && (layout.minute_of(now) - app.scroll.top).div_euclid(zoom)
                == (minute - app.scroll.top).div_euclid(zoom)
    }

    /// A line across the current time's row, and `now` in the gutter.
    fn now_line(&self, rows: Rect, row: u16, buf: &mut Buffer) {
        let y = rows.y + row;
        let style = self.theme.now_line();
        buf.set_string(rows.x, y, "now ▸", style.add_modifier(Modifier::BOLD));
        let line = "─".repeat(usize::from(rows.width.saturating_sub(GUTTER)));
        buf.set_string(rows.x.saturating_add(GUTTER), y, line, style);
    }

    /// Marks before a title (see [`crate::app::list::marks`]).
    fn marks(&self, index: usize) -> String {
        crate::app::list::marks(self.app, index)
    }

    /// The rank of a session's first track in the track list (for its colour).
    fn track_rank(&self, s: &Session) -> Option<usize> {
        s.tracks
            .first()
            .and_then(|t| self.app.tracks.iter().position(|(name, _)| name == t))
    }

    /// The style of a session's text: selected, starred, clashing, past, hidden.
    fn text_style(&self, index: usize, s: &Session) -> Style {
        let mut style = Style::new();
        if s.end <= self.app.now() || self.app.is_hidden(index) {
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

    /// The `+N` marker of a stack: how many others, `★`/`!` when one of them is starred or
    /// clashing.
    fn stack_marker(&self, shown: usize, members: &[usize]) -> Option<String> {
        let others: Vec<usize> = members.iter().copied().filter(|&i| i != shown).collect();
        if others.is_empty() {
            return None;
        }
        let plan = &self.app.plan;
        let mut marker = format!("+{}", others.len());
        if others.iter().any(|&i| plan.is_clashing(i)) {
            marker.push('!');
        } else if others.iter().any(|&i| plan.is_starred(i)) {
            marker.push('★');
        }
        Some(marker)
    }

    /// One block: a coloured bar, then the start time, badge and title wrapped at spaces,
    /// then the speakers; a `+N` marker when it stands for more than one session.
    fn block(&self, rect: Rect, index: usize, members: &[usize], first_row: i64, buf: &mut Buffer) {
        let app = self.app;
        let s = &app.calendar.sessions[index];
        let bar_style = if app.plan.is_clashing(index) {
            self.theme.clash()
        } else {
            self.theme.track_bar_style(self.track_rank(s))
        };
        let text_style = self.text_style(index, s);
        let bar = if app.plan.is_clashing(index) {
            "▌".to_owned()
        } else {
            self.theme.track_bar(self.track_rank(s))
        };
        // The last cell is the gap to the next lane or room.
        let inner = rect.width.saturating_sub(1);
        let text_width = usize::from(inner.saturating_sub(1));
        let mut head = String::new();
        let marks = self.marks(index);
        if !marks.is_empty() {
            head.push_str(&marks);
            head.push(' ');
        }
        // A narrow block whose session starts on a row the gutter labels leaves its time to
        // the gutter: the title needs the room more. Not when it runs over more rows at 30
        // minutes a row, where the gutter labels every row: a line of its title on the next
        // would read as a session starting there.
        // The now-line's `now ▸` takes the place of the row's label.
        let start = app.layout().minute_of(s.start);
        let labelled = start == first_row
            && start.rem_euclid(30) == 0
            && (app.minutes_per_row() < 30 || rect.height <= 1)
            && !self.on_now_row(start);
        if !(labelled && text_width < 24) {
            head.push_str(&app.calendar.local(s.start).format("%H:%M ").to_string());
        }
        if let Some(badge) = s.kind.badge() {
            head.push_str(badge);
            head.push(' ');
        }
        if s.cancelled {
            head.push_str("[cancelled] ");
        }
        head.push_str(s.headline());
        let rows = usize::from(rect.height);
        let mut lines = width::wrap_lines(&head, text_width.max(1), rows);
        let title_lines = lines.len();
        if let Some(speakers) = &s.speakers
            && lines.len() < rows
        {
            lines.extend(width::wrap_lines(
                speakers,
                text_width.max(1),
                rows - lines.len(),
            ));
        }
        let marker = self.stack_marker(index, members);
        let marker_width = marker.as_deref().map_or(0, |m| width::cells(m) + 1);
        if marker_width > 0
            && let Some(last) = lines.get_mut(rows - 1)
        {
            // The marker takes the end of the last row: its text gives way.
            *last = width::truncate(last, text_width.saturating_sub(marker_width));
        }
        let fill = if app.selected == Some(index) {
            text_style
        } else {
            Style::new()
        };
        for row in 0..rect.height {
            let y = rect.y + row;
            buf.set_string(rect.x, y, &bar, bar_style);
            if text_width == 0 {
                continue;
            }
            let text = lines.get(usize::from(row)).map_or("", String::as_str);
            let style = if usize::from(row) >= title_lines {
                text_style.patch(self.theme.dim())
            } else {
                text_style
            };
            let x = rect.x + 1;
            buf.set_stringn(x, y, width::fit("", text_width), text_width, fill);
            buf.set_stringn(x, y, text, text_width, style);
        }
        if let Some(marker) = marker {
            let w = u16::try_from(width::cells(&marker)).unwrap_or(u16::MAX);
            if w < inner {
                let y = rect.bottom() - 1;
                buf.set_string(rect.x + inner - w, y, marker, self.theme.stack_marker());
            }
        }
    }

    /// The strip of long sessions (registration, expo) above the grid; those that do not fit
    /// stand behind a `+N` marker at its end.
    fn strip(&self, area: Rect, buf: &mut Buffer, state: &mut GridState) {
        let app = self.app;
        let layout = app.layout();
        buf.set_stringn(
            area.x,
            area.y,
            "long",
            usize::from(area.width),
            self.theme.gutter(),
        );
        let selected = app
            .selected
            .and_then(|i| layout.background.iter().position(|&b| b == i))
            .unwrap_or(0);
        let items: Vec<String> = layout
            .background
            .iter()
            .map(|&i| self.strip_item(i))
            .collect();
        let widths: Vec<u16> = items
            .iter()
            .map(|t| u16::try_from(width::cells(t) + 3).unwrap_or(u16::MAX))
            .collect();
        // Leave room for a marker at the end.
        let room = area.width.saturating_sub(GUTTER + 5);
        let mut first = 0;
        while first < selected
            && widths[first..=selected]
                .iter()
                .fold(0u16, |a, w| a.saturating_add(*w))
                > room
        {
            first += 1;
        }
        let mut x = area.x.saturating_add(GUTTER);
        let end = area.x.saturating_add(GUTTER).saturating_add(room);
        let mut hidden: Vec<usize> = layout.background[..first].to_vec();
        for (k, &i) in layout.background.iter().enumerate().skip(first) {
            let available = end.saturating_sub(x);
            if available < 8 || (k != selected && widths[k] > available && k > first) {
                hidden.extend_from_slice(&layout.background[k..]);
                break;
            }
            let s = &app.calendar.sessions[i];
            let shown = width::truncate(&items[k], usize::from(available.saturating_sub(1)));
            let w = u16::try_from(width::cells(&shown)).unwrap_or(0);
            let rank = self.track_rank(s);
            buf.set_string(
                x,
                area.y,
                self.theme.track_bar(rank),
                self.theme.track_bar_style(rank),
            );
            buf.set_stringn(
                x + 1,
                area.y,
                &shown,
                usize::from(available),
                self.text_style(i, s),
            );
            state.drawn.push(Drawn {
                rect: Rect::new(x, area.y, w + 1, 1),
                shown: i,
                members: vec![i],
                column: None,
            });
            x = x.saturating_add(w + 3);
        }
        if !hidden.is_empty() {
            let marker = format!("+{}", hidden.len());
            let w = u16::try_from(width::cells(&marker)).unwrap_or(0);
            let mx = area.right().saturating_sub(w);
            buf.set_string(mx, area.y, &marker, self.theme.stack_marker());
            state.drawn.push(Drawn {
                rect: Rect::new(mx, area.y, w, 1),
                shown: hidden[0],
                members: hidden,
                column: None,
            });
        }
    }

    fn strip_item(&self, i: usize) -> String {
        let s = &self.app.calendar.sessions[i];
        let marks = self.marks(i);
        format!(
            "{}{}{} {}",
            marks,
            if marks.is_empty() { "" } else { " " },
            s.headline(),
            crate::export::time_range(&self.app.calendar, s)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cover_the_session_and_are_at_least_one() {
        assert_eq!(rows_of(0, 10, 30), (0, 1));
        assert_eq!(rows_of(10, 35, 30), (0, 2));
        assert_eq!(rows_of(30, 30, 5), (6, 7));
        assert_eq!(rows_of(0, i64::MAX, 5).0, 0);
    }
}
