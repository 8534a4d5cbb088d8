//! The selected session in full: title, speakers, time, place, tracks, star, clashes, page and
//! description, wrapped and scrollable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::App;
use crate::export::agenda::{change_notes, duration_text};
use crate::export::time_range;

/// The details widget.
pub struct Detail<'a> {
    pub app: &'a App,
    pub theme: Theme,
    /// Whether it has the keyboard (its border says so).
    pub focused: bool,
}

impl Widget for Detail<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let title = if self.focused {
            " Details  ↑↓ scroll · Esc back "
        } else {
            " Details "
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused {
                theme.popup_border()
            } else {
                theme.dim()
            })
            .title(title);
        let Some(index) = app.selected else {
            Paragraph::new("Nothing selected.")
                .block(block)
                .render(area, buf);
            return;
        };
        let cal = &app.calendar;
        let s = &cal.sessions[index];
        let mut lines: Vec<Line> = Vec::new();
        let mut title = vec![Span::styled(s.title.clone(), theme.title())];
        if s.cancelled {
            title.insert(0, Span::styled("[cancelled] ", theme.error()));
        }
        lines.push(Line::from(title));
        if let Some(speakers) = &s.speakers {
            lines.push(Line::from(speakers.clone()));
        }
        lines.push(Line::default());
        let start = cal.local(s.start);
        lines.push(Line::from(format!(
            "{} {} ({})",
            start.format("%A %-d %B"),
            time_range(cal, s),
            if s.all_day {
                "all day".to_owned()
            } else {
                duration_text(s.duration())
            }
        )));
        if !s.location.is_empty() {
            lines.push(Line::from(s.location.clone()));
        }
        if !s.tracks.is_empty() {
            let mut spans = Vec::new();
            for (i, t) in s.tracks.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw("  "));
                }
                let rank = app.tracks.iter().position(|(name, _)| name == t);
                spans.push(Span::styled("▌", theme.track(rank)));
                spans.push(Span::raw(t.clone()));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::default());
        if app.plan.is_starred(index) {
            lines.push(Line::styled("★ Starred  (s to unstar)", theme.starred()));
        } else {
            lines.push(Line::styled("☆ Not starred  (s to star)", theme.dim()));
        }
        for other in app.plan.clashes_with(cal, index) {
            let o = &cal.sessions[other];
            lines.push(Line::styled(
                format!(
                    "! Clashes with {} ({}, {})",
                    o.title,
                    o.room,
                    time_range(cal, o)
                ),
                theme.clash(),
            ));
        }
        if let Some(change) = app.plan.change(&s.id) {
            for note in change_notes(cal, change) {
                lines.push(Line::styled(format!("* {note}"), theme.error()));
            }
        }
        if let Some(url) = &s.url {
            lines.push(Line::from(vec![
                Span::styled(url.clone(), theme.dim()),
                Span::styled("  (o to open)", theme.dim()),
            ]));
        }
        if !s.description.is_empty() {
            lines.push(Line::default());
            for para in s.description.lines() {
                lines.push(Line::from(para.to_owned()));
            }
        }
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0))
            .render(area, buf);
    }
}
