//! Widgets that draw the [`App`]: they borrow it and never change it; scroll positions live
//! in [`View`]. No IO happens here.

pub mod agenda;
pub mod changes;
pub mod detail;
pub mod filter;
pub mod grid;
pub mod help;
pub mod search;
pub mod theme;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

pub use theme::Theme;

use crate::app::keymap::{self, Context};
use crate::app::{App, Mode};
use crate::calendar::zone;
use crate::width;

/// Smallest terminal the UI draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width on, details sit beside the grid instead of in a popup.
pub const SIDE_PANE_WIDTH: u16 = 120;

/// What the widgets remember between frames.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub grid: grid::GridState,
    pub agenda_offset: usize,
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App, view: &mut View, theme: Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small: {}×{}; hallway needs {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        view.grid.targets.clear();
        return;
    }
    let banner = u16::from(app.read_only.is_some()) + u16::from(app.source_note.is_some());
    let [header, banner_area, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Header { app, theme }, header);
    let mut y = banner_area.y;
    if let Some(why) = &app.read_only {
        let text = width::truncate(&format!(" read-only: {why}"), usize::from(area.width));
        let line = Rect::new(area.x, y, area.width, 1);
        frame.render_widget(Paragraph::new(text).style(theme.banner()), line);
        y += 1;
    }
    if let Some(note) = &app.source_note {
        let text = width::truncate(&format!(" {note} (r retries)"), usize::from(area.width));
        let line = Rect::new(area.x, y, area.width, 1);
        frame.render_widget(Paragraph::new(text).style(theme.error()), line);
    }
    let wide = area.width >= SIDE_PANE_WIDTH;
    let (grid_area, side) = if wide {
        let [g, d] = Layout::horizontal([
            Constraint::Min(60),
            Constraint::Length((area.width / 3).clamp(40, 64)),
        ])
        .areas(body);
        (g, Some(d))
    } else {
        (body, None)
    };
    if app.mode == Mode::Agenda {
        frame.render_stateful_widget(
            agenda::AgendaView { app, theme },
            body,
            &mut view.agenda_offset,
        );
        view.grid.targets.clear();
    } else {
        frame.render_stateful_widget(grid::Grid { app, theme }, grid_area, &mut view.grid);
        if let Some(side) = side {
            frame.render_widget(
                detail::Detail {
                    app,
                    theme,
                    focused: app.mode == Mode::Details,
                },
                side,
            );
        }
    }
    match app.mode {
        Mode::Details if !wide => {
            let popup = centered(body, 90, 90);
            frame.render_widget(Clear, popup);
            frame.render_widget(
                detail::Detail {
                    app,
                    theme,
                    focused: true,
                },
                popup,
            );
        }
        Mode::Search => {
            frame.render_widget(search::SearchView { app, theme }, centered(body, 90, 85));
        }
        Mode::Filter => {
            frame.render_widget(filter::FilterView { app, theme }, centered(body, 70, 80));
        }
        Mode::Help => frame.render_widget(help::Help { app, theme }, centered(body, 90, 95)),
        Mode::Changes => {
            frame.render_widget(changes::ChangesView { app, theme }, centered(body, 90, 85));
        }
        _ => {}
    }
    frame.render_widget(Footer { app, theme }, footer);
}

/// A rectangle of `percent_x` × `percent_y` of `area`, centred.
fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let w = area.width * percent_x / 100;
    let h = area.height * percent_y / 100;
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w.max(1),
        h.max(1),
    )
}

/// Calendar name, day tabs, display zone.
struct Header<'a> {
    app: &'a App,
    theme: Theme,
}

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let cal = &app.calendar;
        // The abbreviation as on the day shown (a conference may span a change of clocks).
        let at = app.layout().origin;
        let zone_text = format!("{} {}", cal.zone.name(), zone::abbreviation(cal.zone, at));
        let mut tabs: Vec<Span> = Vec::new();
        for (i, day) in app.days.iter().enumerate() {
            let label = format!(" {} ", day.format("%a %-d %b"));
            tabs.push(Span::styled(
                label,
                if i == app.day {
                    theme.tab_selected()
                } else {
                    theme.tab()
                },
            ));
            tabs.push(Span::raw(" "));
        }
        let tabs_width: usize = tabs.iter().map(|s| width::cells(&s.content)).sum();
        let zone_width = width::cells(&zone_text);
        let room = usize::from(area.width).saturating_sub(tabs_width + zone_width + 2);
        let mut spans = vec![
            Span::styled(width::fit(&cal.name, room.max(1)), theme.title()),
            Span::raw(" "),
        ];
        if room == 0 {
            // Too narrow for everything: the selected day alone.
            spans.clear();
            let day = app
                .days
                .get(app.day)
                .map(|d| d.format("%a %-d %b").to_string())
                .unwrap_or_default();
            spans.push(Span::styled(format!(" {day} "), theme.tab_selected()));
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                width::truncate(&cal.name, usize::from(area.width).saturating_sub(12)),
                theme.title(),
            ));
        } else {
            spans.extend(tabs);
            spans.push(Span::styled(zone_text, theme.dim()));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }
}

/// Keys for the mode (from the keymap), counts, filter, and the latest message.
struct Footer<'a> {
    app: &'a App,
    theme: Theme,
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let clashes = app.plan.clash_count;
        let mut status = format!("★ {}", app.starred_count());
        if clashes > 0 {
            let _ = write!(status, "  ! {clashes}");
        }
        if app.filter_on() {
            status.push_str("  filter on");
        }
        let status_width = width::cells(&status) + 1;
        let available = usize::from(area.width).saturating_sub(status_width);
        let left: Vec<Span> = if let Some(message) = &app.message {
            let style = if message.error {
                theme.error()
            } else {
                theme.message()
            };
            vec![Span::styled(
                width::truncate(&message.text, available),
                style,
            )]
        } else {
            let mut spans = Vec::new();
            let mut used = 0;
            let mut seen: Vec<&str> = Vec::new();
            let bindings: Vec<_> = keymap::bindings(Context::of(app.mode)).collect();
            for b in bindings.iter().filter(|b| b.footer) {
                let hint = b.command.hint();
                if seen.contains(&hint) {
                    continue;
                }
                seen.push(hint);
                let keys = if hint == "move" {
                    // The arrows this context has, in one hint.
                    bindings
                        .iter()
                        .filter(|m| m.command.hint() == "move")
                        .map(|m| m.keys[0].label())
                        .collect()
                } else {
                    b.keys[0].label()
                };
                let piece = width::cells(&keys) + width::cells(hint) + 3;
                if used + piece > available {
                    break;
                }
                used += piece;
                spans.push(Span::styled(keys, theme.key()));
                spans.push(Span::raw(format!(" {hint}  ")));
            }
            spans
        };
        buf.set_line(area.x, area.y, &Line::from(left), area.width);
        let x = area
            .right()
            .saturating_sub(u16::try_from(status_width).unwrap_or(0));
        let status_style = if clashes > 0 {
            theme.clash()
        } else {
            theme.starred()
        };
        buf.set_string(x, area.y, status, status_style);
    }
}
