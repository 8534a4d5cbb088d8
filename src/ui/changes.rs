//! The "schedule changed" popup: what changed for your starred sessions, on start and after
//! a refresh. Wrapped lines keep their column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::Theme;
use crate::app::App;
use crate::width;

/// The changes widget.
pub struct ChangesView<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

/// Cells for the kind of change (`re-published`).
const KIND: usize = 13;

/// A line of the report: in the text column with a label (or none) in the kind column, or
/// across the whole width.
struct Row<'a> {
    label: Option<(&'a str, Style)>,
    text: String,
    style: Style,
}

impl Widget for ChangesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let inner = super::popup(area, buf, "Schedule changed", theme.popup_border());
        let w = usize::from(inner.width);
        let text_w = w.saturating_sub(KIND).max(8);
        let mut lines: Vec<Row> = vec![
            Row {
                label: None,
                text: "Since you last looked, for your starred sessions:".into(),
                style: Style::new(),
            },
            Row {
                label: None,
                text: String::new(),
                style: Style::new(),
            },
        ];
        for entry in &self.app.changes {
            let style = match entry.kind {
                "cancelled" | "gone" | "new clash" => theme.clash(),
                _ => theme.error(),
            };
            for (k, l) in width::wrap(&entry.title, text_w).into_iter().enumerate() {
                let kind = Some(if k == 0 {
                    (entry.kind, style)
                } else {
                    ("", style)
                });
                lines.push(Row {
                    label: kind,
                    text: l,
                    style: theme.title(),
                });
            }
            for detail in &entry.details {
                for l in width::wrap(detail, text_w) {
                    lines.push(Row {
                        label: Some(("", Style::new())),
                        text: l,
                        style: Style::new(),
                    });
                }
            }
        }
        let scroll = usize::from(self.app.changes_scroll).min(lines.len().saturating_sub(1));
        for (y, line) in super::scrolled(&lines, scroll, inner) {
            match line.label {
                Some((label, label_style)) => {
                    buf.set_stringn(inner.x, y, label, KIND, label_style);
                    let x = inner.x + u16::try_from(KIND).unwrap_or(0);
                    buf.set_stringn(x, y, &line.text, text_w, line.style);
                }
                None => {
                    buf.set_stringn(inner.x, y, &line.text, w, line.style);
                }
            }
        }
    }
}
