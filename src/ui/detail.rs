//! The selected session in full: title, speakers, time, place, type, tracks, star, clashes,
//! id, page and description (lines from [`crate::app::details`]), scrollable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Widget};

use super::Theme;
use crate::app::App;
use crate::app::details::{self, Tag};

/// The details widget.
pub struct Detail<'a> {
    pub app: &'a App,
    pub theme: Theme,
    /// Whether it has the keyboard (its border says so).
    pub focused: bool,
}

impl Detail<'_> {
    fn style(&self, tag: Tag) -> Style {
        let theme = self.theme;
        match tag {
            Tag::Title => theme.title(),
            Tag::Cancelled | Tag::Change => theme.error(),
            Tag::Speakers | Tag::Plain | Tag::Track(_) => Style::new(),
            Tag::Starred => theme.starred(),
            Tag::NotStarred | Tag::Dim => theme.dim(),
            Tag::Clash => theme.clash(),
        }
    }
}

impl Widget for Detail<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let block = Block::bordered()
            .border_style(if self.focused {
                self.theme.popup_border()
            } else {
                self.theme.dim()
            })
            .title(" Details ");
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(index) = app.selected else {
            buf.set_stringn(
                inner.x,
                inner.y,
                "Nothing selected.",
                usize::from(inner.width),
                self.theme.dim(),
            );
            return;
        };
        let lines = details::lines(app, index, usize::from(inner.width));
        // The app keeps the scroll within the text; a resize may have shortened it since.
        let max = lines.len().saturating_sub(usize::from(inner.height));
        let scroll = usize::from(app.detail_scroll).min(max);
        for (y, line) in super::scrolled(&lines, scroll, inner) {
            let mut x = inner.x;
            if let Tag::Track(rank) = line.tag {
                buf.set_string(
                    x,
                    y,
                    self.theme.track_bar(rank),
                    self.theme.track_bar_style(rank),
                );
                // A space after the mark: past 12 tracks it is a letter, which would read
                // as the name's first.
                x += 2;
            }
            buf.set_stringn(
                x,
                y,
                &line.text,
                usize::from(inner.right().saturating_sub(x)),
                self.style(line.tag),
            );
        }
        // Arrows on the border say there is more above or below.
        if scroll > 0 {
            buf.set_string(
                area.right().saturating_sub(2),
                area.y,
                "↑",
                self.theme.dim(),
            );
        }
        if scroll < max {
            let y = area.bottom().saturating_sub(1);
            buf.set_string(area.right().saturating_sub(2), y, "↓", self.theme.dim());
        }
    }
}
