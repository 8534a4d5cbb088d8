//! The search overlay: the query as typed, then a page of ranked results (day, time, room,
//! title and speakers) with the matched words underlined and bold, and where a match was
//! found when that is not shown on the line ("in description").

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthChar;

use super::Theme;
use crate::app::App;
use crate::export::time_range;
use crate::search::Hit;
use crate::width;

/// The search widget.
pub struct SearchView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

/// Cells of the columns before the title: star, day and time, room.
const STAR_W: usize = 2;
const WHEN_W: usize = 18;
const ROOM_W: usize = 14;
/// Cells the title keeps before "in description" or the speakers take any.
const TITLE_W: usize = 24;

/// How many results a search overlay drawn in `area` shows at once: the page size for
/// [`crate::app::search::SearchState::page`].
pub fn result_rows(area: Rect) -> usize {
    crate::app::viewport::search_rows(area)
}

/// `text` as spans, the parts in `ranges` (byte ranges, sorted) styled `hit`, cut with `…` to
/// at most `max` cells. Returns the spans and the cells they take.
fn highlighted(
    text: &str,
    ranges: &[Range<usize>],
    max: usize,
    base: Style,
    hit: Style,
) -> (Vec<Span<'static>>, usize) {
    let cut = {
        let mut cells = 0;
        !text.chars().all(|c| {
            cells += c.width().unwrap_or(0);
            cells <= max
        })
    };
    let room = if cut { max.saturating_sub(1) } else { max };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    let mut used = 0;
    let mut next = 0;
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        while ranges.get(next).is_some_and(|r| r.end <= at) {
            next += 1;
        }
        let is_hit = ranges.get(next).is_some_and(|r| r.start <= at);
        if is_hit != run_hit && !run.is_empty() {
            let style = if run_hit { base.patch(hit) } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = is_hit;
        run.push(c);
        used += w;
    }
    if !run.is_empty() {
        let style = if run_hit { base.patch(hit) } else { base };
        spans.push(Span::styled(run, style));
    }
    if cut && max > 0 {
        spans.push(Span::styled("…", base));
        used += 1;
    }
    (spans, used)
}

impl SearchView<'_> {
    /// One result line.
    fn row(&self, hit: &Hit, selected: bool, width: usize) -> Line<'static> {
        let app = self.app;
        let theme = self.theme;
        let cal = &app.calendar;
        let s = &cal.sessions[hit.index];
        let marks = app.search.highlights(s);
        let base = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        let matched = theme.matched();
        let star = if app.plan.is_starred(hit.index) {
            "★ "
        } else {
            "  "
        };
        let mut spans = vec![
            Span::styled(star, base.patch(theme.starred())),
            Span::styled(
                width::fit(
                    &format!(
                        "{} {}",
                        crate::export::session_day(cal, s).format("%a"),
                        time_range(cal, s)
                    ),
                    WHEN_W,
                ),
                base,
            ),
        ];
        let (room, used) = highlighted(&s.room, &marks.room, ROOM_W - 1, base, matched);
        spans.extend(room);
        spans.push(Span::styled(" ".repeat(ROOM_W - used), base));
        let label = hit.elsewhere();
        let label_w = label.as_deref().map_or(0, |l| width::cells(l) + 2);
        let mut left = width.saturating_sub(STAR_W + WHEN_W + ROOM_W);
        // The label goes only where the title still gets most of the line.
        let label = label.filter(|_| left >= label_w + TITLE_W);
        if label.is_some() {
            left -= label_w;
        }
        // The type as the grid marks it (`⚡` for "Lightning Talk:"), lit when the query
        // matched the words it stands for.
        let headline = s.headline();
        let skipped = s.title.len() - headline.len();
        if let Some(badge) = s.kind.badge().filter(|b| width::cells(b) + 2 <= left) {
            let lit = marks.title.iter().any(|r| r.start < skipped);
            let style = base.patch(theme.badge());
            spans.push(Span::styled(
                badge,
                if lit { style.patch(matched) } else { style },
            ));
            spans.push(Span::styled(" ", base));
            left -= width::cells(badge) + 1;
        }
        let title_ranges: Vec<Range<usize>> = marks
            .title
            .iter()
            .filter(|r| r.end > skipped)
            .map(|r| r.start.saturating_sub(skipped)..r.end - skipped)
            .collect();
        // The speakers as well where both fit; else, on a wide line, up to two fifths of it;
        // on a narrow one the title alone.
        let speakers_w = s.speakers.as_deref().map_or(0, |who| {
            let wanted = width::cells(who) + 3;
            if width::cells(headline) + wanted <= left {
                wanted
            } else if left >= 2 * TITLE_W {
                wanted.min(left * 2 / 5)
            } else {
                0
            }
        });
        let (title, used) = highlighted(headline, &title_ranges, left - speakers_w, base, matched);
        spans.extend(title);
        left -= used;
        if let Some(speakers) = &s.speakers
            && speakers_w > 0
            && left > 4
        {
            let dim = base.patch(theme.dim());
            spans.push(Span::styled(" — ", dim));
            let (who, used) = highlighted(speakers, &marks.speakers, left - 3, dim, matched);
            spans.extend(who);
            left -= used + 3;
        }
        if let Some(label) = label {
            spans.push(Span::styled(" ".repeat(left + 2), base));
            spans.push(Span::styled(label, base.patch(theme.dim())));
        } else {
            spans.push(Span::styled(" ".repeat(left), base));
        }
        Line::from(spans)
    }
}

impl Widget for SearchView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let search = &app.search;
        Clear.render(area, buf);
        let filter = if app.filter_on() { " (filtered)" } else { "" };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.popup_border())
            .title(format!(" Search{filter} "));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 {
            return;
        }
        let rows = result_rows(area);
        let first = search.first_shown(rows);
        let n = search.hits.len();
        let count = if search.query.trim().is_empty() {
            String::new()
        } else if search.no_match() {
            "  no match".to_owned()
        } else if n > rows {
            format!("  {n} found · {}–{}", first + 1, (first + rows).min(n))
        } else {
            format!("  {n} found")
        };
        buf.set_line(
            inner.x,
            inner.y,
            &Line::from(vec![
                Span::styled("/ ", theme.key()),
                Span::raw(crate::calendar::text::sanitize_line(&search.query)),
                Span::styled("▏", theme.key()),
                Span::styled(count, theme.dim()),
            ]),
            inner.width,
        );
        let width = usize::from(inner.width);
        for (row, hit) in search.hits.iter().enumerate().skip(first).take(rows) {
            let line = self.row(hit, row == search.cursor, width);
            let y = inner.y + 1 + u16::try_from(row - first).unwrap_or(0);
            buf.set_line(inner.x, y, &line, inner.width);
        }
        if search.no_match() {
            buf.set_string(
                inner.x + 2,
                inner.y + 1,
                width::truncate(
                    "No session has every word of the query (one typo allowed in words of 4+ letters).",
                    width.saturating_sub(2),
                ),
                theme.dim(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_cuts_in_cells_and_marks_byte_ranges() {
        let base = Style::new();
        let hit = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let (spans, used) = highlighted("Café Helion", &[6..12, 20..20], 20, base, hit);
        assert_eq!(used, 11);
        let parts: Vec<(&str, bool)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == hit))
            .collect();
        assert_eq!(parts, vec![("Café ", false), ("Helion", true)]);
        let (spans, used) = highlighted("日本語のタイトル", &[0..3, 30..30], 7, base, hit);
        assert_eq!(used, 7);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "日本語…");
        assert_eq!(spans[0].style, hit);
    }
}
