//! Widgets that draw the [`App`]: they borrow it and never change it. What they remember
//! between frames (what was drawn where, list offsets) lives in [`View`]. No IO happens here.

pub mod agenda;
pub mod calendars;
pub mod changes;
pub mod detail;
pub mod filter;
pub mod grid;
pub mod help;
pub mod list;
pub mod nownext;
pub mod search;
pub mod theme;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

pub use theme::Theme;

use crate::app::viewport::{Areas, MIN_HEIGHT, MIN_WIDTH, centered};
use crate::app::{App, Mode, Screen};
use crate::calendar::zone;
use crate::width;

/// What the widgets remember between frames.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub grid: grid::GridState,
    pub list_offset: usize,
    pub agenda_offset: usize,
    pub now_next: nownext::Scroll,
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App, view: &mut View, theme: Theme) {
    let area = frame.area();
    view.grid.drawn.clear();
    if Areas::too_small(area) {
        let text = format!(
            "Terminal too small: {}×{}; hallway needs {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let areas = Areas::new(area, app.banner_rows());
    frame.render_widget(Header { app, theme }, areas.header);
    banners(frame.buffer_mut(), areas.banner, app, theme);
    // Help is drawn over the view it was opened from.
    let under = app.beneath_help();
    if under == Mode::Agenda {
        frame.render_stateful_widget(
            agenda::AgendaView { app, theme },
            areas.body,
            &mut view.agenda_offset,
        );
    } else {
        match app.screen {
            Screen::Grid => {
                frame.render_stateful_widget(grid::Grid { app, theme }, areas.main, &mut view.grid);
            }
            Screen::List => frame.render_stateful_widget(
                list::ListView { app, theme },
                areas.main,
                &mut view.list_offset,
            ),
        }
        if let Some(side) = areas.side {
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
    overlay(frame, app, view, theme, under, &areas);
    if app.mode == Mode::Help {
        frame.render_widget(
            help::Help { app, theme },
            crate::app::viewport::help_popup(areas.body),
        );
    }
    frame.render_widget(Footer { app, theme }, areas.footer);
}

/// The popup or full view of `mode` over the programme, where it has one.
fn overlay(frame: &mut Frame, app: &App, view: &mut View, theme: Theme, mode: Mode, areas: &Areas) {
    match mode {
        Mode::Details if areas.side.is_none() => {
            let popup = centered(areas.body, 90, 90);
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
            frame.render_widget(
                search::SearchView { app, theme },
                crate::app::viewport::search_popup(areas.body),
            );
        }
        Mode::Filter => {
            frame.render_widget(
                filter::FilterView { app, theme },
                centered(areas.body, 70, 80),
            );
        }
        Mode::Changes => {
            frame.render_widget(
                changes::ChangesView { app, theme },
                centered(areas.body, 90, 85),
            );
        }
        Mode::NowNext => frame.render_stateful_widget(
            nownext::NowNextView { app, theme },
            areas.body,
            &mut view.now_next,
        ),
        Mode::Calendars => frame.render_widget(
            calendars::CalendarsView { app, theme },
            centered(areas.body, 80, 60),
        ),
        _ => {}
    }
}

/// Clears `area` and draws a bordered popup titled `title` on it; the area inside.
fn popup(area: Rect, buf: &mut Buffer, title: &str, border: ratatui::style::Style) -> Rect {
    Clear.render(area, buf);
    let block = ratatui::widgets::Block::bordered()
        .border_style(border)
        .title(format!(" {title} "));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// The lines of a scrolled text that fit in `area`, each with its row's y.
fn scrolled<T>(lines: &[T], scroll: usize, area: Rect) -> impl Iterator<Item = (u16, &T)> {
    lines
        .iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .zip(area.y..)
        .map(|(line, y)| (y, line))
}

/// The banners: read-only stars, an offline copy, a fetch under way.
fn banners(buf: &mut Buffer, area: Rect, app: &App, theme: Theme) {
    let mut y = area.y;
    let width = usize::from(area.width);
    if let Some(why) = &app.read_only {
        let text = width::fit(&format!(" read-only: {why}"), width);
        buf.set_stringn(area.x, y, text, width, theme.banner());
        y += 1;
    }
    if app.refreshing {
        let text = width::fit(" fetching the schedule… (keep going; q quits)", width);
        buf.set_stringn(area.x, y, text, width, theme.message());
    } else if let Some(note) = &app.source_note {
        let retry = if app.offline() { "" } else { " (r retries)" };
        let text = width::fit(&format!(" {note}{retry}"), width);
        buf.set_stringn(area.x, y, text, width, theme.error());
    }
}

/// Calendar name, day tabs, zoom, display zone.
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
        let mut right = String::new();
        if app.screen == Screen::Grid && app.beneath_help() != Mode::Agenda {
            let _ = write!(right, "{} min  ", app.minutes_per_row());
        }
        if app.starred_only {
            right.push_str("★ only  ");
        }
        if let Some(change) = cal.day_change()
            && usize::from(area.width) >= 100
        {
            let _ = write!(right, "days change at {}  ", change.format("%H:%M"));
        }
        // `Europe/Paris CEST`; a fixed offset as `UTC+01:00` (not `Etc/GMT-1`).
        let abbreviation = zone::abbreviation(cal.zone, at);
        let name = cal.zone.name();
        if name.starts_with("Etc/") || abbreviation == name {
            right.push_str(&abbreviation);
        } else {
            let _ = write!(right, "{name} {abbreviation}");
        }
        if cal.zone_note().is_some() {
            // Nothing in the calendar said which zone: say the times are a guess.
            right.push_str(" (no zone given: --tz)");
        }
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
        let right_width = width::cells(&right);
        let total = usize::from(area.width);
        let room = total.saturating_sub(tabs_width + right_width + 2);
        let mut spans = Vec::new();
        if room >= 8 {
            spans.push(Span::styled(width::fit(&cal.name, room), theme.title()));
            spans.push(Span::raw(" "));
            spans.extend(tabs);
        } else {
            // Too narrow for every tab: the day shown, as "2/3".
            let day = app
                .days
                .get(app.day)
                .map(|d| d.format("%a %-d %b").to_string())
                .unwrap_or_default();
            let tab = format!(" {day} {}/{} ", app.day + 1, app.days.len());
            let name_room = total.saturating_sub(width::cells(&tab) + right_width + 3);
            spans.push(Span::styled(
                width::fit(&cal.name, name_room),
                theme.title(),
            ));
            spans.push(Span::raw(" "));
            spans.push(Span::styled(tab, theme.tab_selected()));
            spans.push(Span::raw(" "));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
        let x = area
            .right()
            .saturating_sub(u16::try_from(right_width).unwrap_or(u16::MAX));
        buf.set_stringn(x, area.y, right, right_width, theme.dim());
    }
}

/// Keys for the view (from the keymap, the most important kept when short of room), then a
/// message if there is one, and the counts at the right.
struct Footer<'a> {
    app: &'a App,
    theme: Theme,
}

/// A footer hint: keys, word, priority, position in the keymap.
struct FooterHint {
    keys: String,
    word: &'static str,
    priority: u8,
}

impl Footer<'_> {
    /// The view's hints, one per word (the arrows of "move" together), in keymap order.
    fn hints(&self) -> Vec<FooterHint> {
        let keymap = &self.app.keymap;
        let context = self.app.context();
        let mut hints: Vec<FooterHint> = Vec::new();
        for b in keymap.bindings(context) {
            let (Some(hint), Some(key)) = (b.hint, b.keys.first()) else {
                continue;
            };
            if let Some(h) = hints.iter_mut().find(|h| h.word == hint.word) {
                // Several bindings, one hint ("↑↓←→ move").
                if key.label().chars().count() == 1 {
                    h.keys.push_str(&key.label());
                }
                continue;
            }
            hints.push(FooterHint {
                keys: key.label(),
                word: hint.word,
                priority: hint.priority,
            });
        }
        hints
    }
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let mut status = format!("★ {}", app.starred_count());
        if app.plan.clash_count > 0 {
            let _ = write!(status, "  ! {}", app.plan.clash_count);
        }
        if app.unsaved.is_some() {
            status.push_str("  not saved yet");
        }
        if !app.filtering.filter.is_empty() {
            status.push_str("  filter on");
        }
        let hidden = app.filtering.hidden.len();
        if hidden > 0 && !app.filtering.show_hidden {
            let _ = write!(status, "  {hidden} hidden");
        }
        let status_width = width::cells(&status);
        let total = usize::from(area.width);
        let available = total.saturating_sub(status_width + 2);
        let hints = self.hints();
        let cost = |h: &FooterHint| width::cells(&h.keys) + width::cells(h.word) + 3;
        // The essential hints always; a message next, then the others by priority.
        let essential: usize = hints.iter().filter(|h| h.priority == 0).map(cost).sum();
        let mut spans: Vec<Span> = Vec::new();
        let mut keep = vec![false; hints.len()];
        let mut used = essential;
        if let Some(message) = &app.message {
            let room = available.saturating_sub(essential);
            let style = if message.error {
                theme.error()
            } else {
                theme.message()
            };
            // Two spaces after it, as between hints: it does not run into the keys.
            let text = width::truncate(&message.text, room.saturating_sub(2));
            spans.push(Span::styled(text, style));
            spans.push(Span::raw("  "));
        } else {
            let mut order: Vec<usize> = (0..hints.len())
                .filter(|&i| hints[i].priority > 0)
                .collect();
            order.sort_by_key(|&i| hints[i].priority);
            for i in order {
                if used + cost(&hints[i]) <= available {
                    used += cost(&hints[i]);
                    keep[i] = true;
                }
            }
        }
        for (i, h) in hints.iter().enumerate() {
            if h.priority == 0 || (keep[i] && app.message.is_none()) {
                spans.push(Span::styled(h.keys.clone(), theme.key()));
                spans.push(Span::raw(format!(" {}  ", h.word)));
            }
        }
        buf.set_line(
            area.x,
            area.y,
            &Line::from(spans),
            u16::try_from(available).unwrap_or(0),
        );
        let x = area
            .right()
            .saturating_sub(u16::try_from(status_width).unwrap_or(0));
        let status_style = if app.plan.clash_count > 0 {
            theme.clash()
        } else {
            theme.starred()
        };
        buf.set_stringn(x, area.y, status, status_width, status_style);
    }
}
