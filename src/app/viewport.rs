//! Where things go on the screen, worked out from the terminal's size alone: the areas of the
//! screen, the grid's room columns and their widths, and the scroll position that keeps the
//! selection in view. The app keeps the scroll position (so the wheel and page keys are
//! ordinary updates) and the widgets draw from the same numbers.

use ratatui::layout::{Constraint, Layout, Rect};

use super::layout::DayLayout;

/// Smallest terminal the UI draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width on, details sit beside the grid instead of in a popup.
pub const SIDE_PANE_WIDTH: u16 = 120;
/// Cells for the times down the left of the grid.
pub const GUTTER: u16 = 6;
/// The narrowest a room column gets; below this the grid scrolls sideways.
pub const MIN_COLUMN: u16 = 16;
/// The narrowest a lane (one of several sessions side by side in a room) gets; below this,
/// parallel sessions stack behind a "+N" marker.
pub const MIN_LANE: u16 = 13;

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    /// Banners (read-only stars, offline copy), zero or more rows.
    pub banner: Rect,
    /// Everything between the banners and the footer.
    pub body: Rect,
    /// The grid or list: the body less the side pane.
    pub main: Rect,
    /// The details pane, on wide terminals.
    pub side: Option<Rect>,
    pub footer: Rect,
}

impl Areas {
    /// The areas of `screen` with `banners` banner rows.
    pub fn new(screen: Rect, banners: u16) -> Self {
        let [header, banner, body, footer] = screen.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(banners),
            Constraint::Min(1),
            Constraint::Length(1),
        ]));
        let (main, side) = if screen.width >= SIDE_PANE_WIDTH {
            let pane_width = (screen.width / 4).clamp(40, 56);
            let [programme, pane] = body.layout(&Layout::horizontal([
                Constraint::Min(1),
                Constraint::Length(pane_width),
            ]));
            (programme, Some(pane))
        } else {
            (body, None)
        };
        Self {
            header,
            banner,
            body,
            main,
            side,
            footer,
        }
    }

    /// Whether the screen is too small to draw on.
    pub fn too_small(size: Rect) -> bool {
        size.width < MIN_WIDTH || size.height < MIN_HEIGHT
    }
}

/// A rectangle of `percent_x` × `percent_y` of `area`, centred (popups).
pub fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let w = u16::try_from(u32::from(area.width) * u32::from(percent_x.min(100)) / 100)
        .unwrap_or(area.width)
        .max(1);
    let h = u16::try_from(u32::from(area.height) * u32::from(percent_y.min(100)) / 100)
        .unwrap_or(area.height)
        .max(1);
    Rect::new(
        area.x + area.width.saturating_sub(w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w.min(area.width),
        h.min(area.height),
    )
}

/// Where the help popup goes in the body.
pub fn help_popup(body: Rect) -> Rect {
    centered(body, 90, 95)
}

/// Where the search popup goes in the body.
pub fn search_popup(body: Rect) -> Rect {
    centered(body, 90, 85)
}

/// How many results the search popup lists at once: its height less the borders and the
/// query line. The page size of the results.
pub fn search_rows(popup: Rect) -> usize {
    usize::from(popup.height.saturating_sub(3)).max(1)
}

/// The grid inside the main area: an optional strip of long sessions, the row of room names,
/// then rows of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridAreas {
    pub strip: Option<Rect>,
    pub rooms: Rect,
    /// The rows of time, gutter included.
    pub rows: Rect,
}

impl GridAreas {
    pub fn new(main: Rect, strip: bool) -> Self {
        let strip_rows = u16::from(strip).min(main.height);
        let strip_area = Rect::new(main.x, main.y, main.width, strip_rows);
        let rooms = Rect::new(
            main.x,
            main.y.saturating_add(strip_rows),
            main.width,
            u16::from(main.height > strip_rows),
        );
        let used = strip_rows.saturating_add(rooms.height);
        let rows = Rect::new(
            main.x,
            main.y.saturating_add(used),
            main.width,
            main.height.saturating_sub(used),
        );
        Self {
            strip: strip.then_some(strip_area),
            rooms,
            rows,
        }
    }
}

/// The room columns in view: which, and how wide each is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The first column shown.
    pub first: usize,
    /// Widths of the columns shown, from `first` on; they fill the grid's width.
    pub widths: Vec<u16>,
}

impl Columns {
    /// How many columns fit side by side in `width` cells (gutter included).
    pub fn capacity(width: u16) -> usize {
        usize::from((width.saturating_sub(GUTTER) / MIN_COLUMN).max(1))
    }

    /// The columns from `first` on that fit in `width` cells, sharing the width by need: a
    /// room with three sessions side by side at some point of the day gets more than a room
    /// that never has two, and every column gets at least [`MIN_COLUMN`] where it can. Each
    /// lane past the first counts half a column: a room of four parallel coffee breaks and
    /// birds-of-a-feather sessions for half an hour should not starve the main stages'
    /// titles all day.
    pub fn new(layout: &DayLayout, width: u16, first: usize) -> Self {
        let total = layout.columns.len();
        let count = Self::capacity(width).min(total.saturating_sub(first));
        let available = width.saturating_sub(GUTTER);
        let needs: Vec<u32> = (first..first + count)
            .map(|c| u32::from(layout.max_lanes(c).max(1)) + 1)
            .collect();
        Self {
            first,
            widths: share(available, &needs, MIN_COLUMN),
        }
    }

    /// The x offset (from the grid's left edge, after the gutter) of the `slot`-th column shown.
    pub fn offset(&self, slot: usize) -> u16 {
        self.widths
            .iter()
            .take(slot)
            .fold(0u16, |x, w| x.saturating_add(*w))
    }

    /// The last column shown, plus one.
    pub fn end(&self) -> usize {
        self.first + self.widths.len()
    }
}

/// Shares `total` cells among parts in proportion to their `needs`, none below `floor` while
/// there is room for that; the widths add up to `total` exactly (when there are parts).
pub fn share(total: u16, needs: &[u32], floor: u16) -> Vec<u16> {
    let n = needs.len();
    if n == 0 {
        return Vec::new();
    }
    let total32 = u32::from(total);
    let floor32 = u32::from(floor).min(total32 / u32::try_from(n).unwrap_or(u32::MAX).max(1));
    // Water-filling: parts whose proportional share is under the floor get the floor; the
    // others share what is left in proportion. At most `n` rounds.
    let mut fixed = vec![false; n];
    let mut widths = vec![0u32; n];
    loop {
        let fixed_count = u32::try_from(fixed.iter().filter(|&&f| f).count()).unwrap_or(u32::MAX);
        let fixed_cells = fixed_count.saturating_mul(floor32);
        let left = total32.saturating_sub(fixed_cells);
        let need: u64 = needs
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(n, _)| u64::from(*n))
            .sum();
        let mut changed = false;
        for i in 0..n {
            if fixed[i] {
                widths[i] = floor32;
                continue;
            }
            let share = (u64::from(left) * u64::from(needs[i]))
                .checked_div(need)
                .map_or(0, |s| u32::try_from(s).unwrap_or(u32::MAX));
            if share < floor32 {
                fixed[i] = true;
                changed = true;
            }
            widths[i] = share;
        }
        if !changed {
            break;
        }
    }
    // Hand out what rounding left over, one cell each from the left.
    let used: u32 = widths.iter().sum();
    let mut spare = total32.saturating_sub(used);
    for w in &mut widths {
        if spare == 0 {
            break;
        }
        *w += 1;
        spare -= 1;
    }
    widths
        .into_iter()
        .map(|w| u16::try_from(w).unwrap_or(u16::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_by_need_with_a_floor_and_uses_every_cell() {
        assert_eq!(share(100, &[1, 1, 1, 1], 16), vec![25, 25, 25, 25]);
        assert_eq!(share(130, &[1, 1, 1, 3], 16), vec![22, 22, 21, 65]);
        let w = share(130, &[1, 1, 1, 1, 1, 1, 50], 16);
        assert_eq!(w[..6], [16; 6]);
        assert_eq!(w.iter().map(|&w| u32::from(w)).sum::<u32>(), 130);
        assert_eq!(share(10, &[1, 1, 1, 1], 16).iter().sum::<u16>(), 10);
        assert!(share(0, &[1], 16) == vec![0]);
        assert!(share(50, &[], 16).is_empty());
        assert_eq!(share(u16::MAX, &[u32::MAX, 1], 16).len(), 2);
    }

    #[test]
    fn areas_leave_room_for_the_side_pane_on_wide_screens() {
        let narrow = Areas::new(Rect::new(0, 0, 80, 24), 0);
        assert_eq!(narrow.side, None);
        assert_eq!(narrow.main, Rect::new(0, 1, 80, 22));
        let wide = Areas::new(Rect::new(0, 0, 200, 60), 1);
        assert_eq!(wide.side.map(|s| s.width), Some(50));
        assert_eq!(wide.main.width, 150);
        assert_eq!(wide.main.y, 2);
        let grid = GridAreas::new(wide.main, true);
        assert_eq!(grid.rows.height, wide.main.height - 2);
        let tiny = GridAreas::new(Rect::new(0, 0, 40, 1), true);
        assert_eq!(tiny.rows.height, 0);
    }
}
