//! `App::update`: what each action does in each mode. Commands that move the selection live
//! in `navigate.rs`; here are the modes, the stars, and keeping the selection in view.

use super::viewport::Columns;
use super::{Action, App, Command, Effect, FitKey, Mode, Opened, Quitting, Screen, ZOOMS};
use crate::calendar::text::sanitize_line;

impl App {
    /// Applies one action; what needs IO comes back as effects for the loop.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // Fetching the calendar again (at start, for one opened from its offline copy)
        // moves nothing.
        if !matches!(
            action,
            Action::Resize { .. } | Action::Tick | Action::Command(Command::Refresh)
        ) {
            self.opened = Opened::Moved;
        }
        let effects = match action {
            Action::Command(command) => {
                self.message = None;
                if command != Command::Quit && self.quitting == Quitting::Asked {
                    self.quitting = Quitting::No;
                }
                self.command(command)
            }
            Action::Type(ch) => {
                self.message = None;
                if self.mode == Mode::Search {
                    self.search.query.push(ch);
                    self.run_search();
                } else if self.mode == Mode::Filter
                    && let Some(mut typed) = self.filtering.finding.clone()
                {
                    typed.push(ch);
                    self.filtering.find(&typed);
                }
                Vec::new()
            }
            Action::Select(index) => {
                self.message = None;
                self.select(index);
                Vec::new()
            }
            Action::Scroll(rows) => {
                self.wheel(rows);
                Vec::new()
            }
            Action::Resize { width, height } => {
                if self.size != (width, height) {
                    self.size = (width, height);
                    self.refit();
                }
                Vec::new()
            }
            Action::Tick => Vec::new(),
        };
        self.fit();
        let mut effects = effects;
        effects.append(&mut self.pending);
        effects
    }

    fn command(&mut self, command: Command) -> Vec<Effect> {
        if command == Command::Quit {
            return self.quit();
        }
        match self.mode {
            Mode::Browse => self.update_browse(command),
            Mode::Help => {
                self.update_help(command);
                Vec::new()
            }
            Mode::Search => self.update_search(command),
            Mode::Agenda => self.update_agenda(command),
            Mode::Filter => self.update_filter(command),
            Mode::NowNext => self.update_now_next(command),
            Mode::Changes => self.update_changes(command),
            Mode::Details => self.update_details(command),
            Mode::Calendars => self.update_calendars(command),
        }
    }

    /// Quits, unless a star is not on disk yet: then the first `q` says so.
    fn quit(&mut self) -> Vec<Effect> {
        if let Some(why) = self.unsaved.clone()
            && self.quitting != Quitting::Asked
        {
            self.quitting = Quitting::Asked;
            self.complain(format!(
                "q again quits without a star not saved yet ({why})"
            ));
            return Vec::new();
        }
        self.quitting = Quitting::Yes;
        vec![Effect::Quit]
    }

    fn open_help(&mut self) {
        self.help_for = self.context();
        self.help_return = self.mode;
        self.mode = Mode::Help;
        self.help_scroll = 0;
    }

    fn update_browse(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Up => self.step_vertical(-1),
            Command::Down => self.step_vertical(1),
            Command::Left if self.screen == Screen::Grid => self.step_horizontal(-1),
            Command::Right if self.screen == Screen::Grid => self.step_horizontal(1),
            Command::PageUp => self.page(-1),
            Command::PageDown => self.page(1),
            Command::Home => self.select_day_end(false),
            Command::End => self.select_day_end(true),
            Command::NextDay => self.change_day(1),
            Command::PrevDay => self.change_day(-1),
            Command::Details if self.selected.is_some() => self.mode = Mode::Details,
            Command::Star => return self.toggle_star(self.selected),
            Command::Search => {
                self.mode = Mode::Search;
                self.search.reset();
                self.search.start();
            }
            Command::Agenda => self.mode = Mode::Agenda,
            Command::NowNext => self.open_now_next(),
            Command::ToggleView => {
                self.screen = match self.screen {
                    Screen::Grid => Screen::List,
                    Screen::List => Screen::Grid,
                };
            }
            Command::StarredOnly => self.toggle_starred_only(),
            Command::Hide => return self.hide(),
            Command::ShowHidden => self.toggle_show_hidden(),
            Command::NextClash => self.next_clash(),
            Command::Filter => self.mode = Mode::Filter,
            Command::Now => self.jump_to_now(),
            Command::OpenUrl => return self.open_url(),
            Command::Refresh => return self.refresh(),
            Command::Help => self.open_help(),
            Command::Calendars => return vec![Effect::ListCalendars],
            Command::ZoomIn if self.screen == Screen::Grid => {
                self.zoom = self.zoom.saturating_sub(1);
                self.say(format!("{} min a row", ZOOMS[self.zoom]));
            }
            Command::ZoomOut if self.screen == Screen::Grid => {
                self.zoom = (self.zoom + 1).min(ZOOMS.len() - 1);
                self.say(format!("{} min a row", ZOOMS[self.zoom]));
            }
            _ => {}
        }
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        if self.offline() {
            self.complain("--offline: the schedule is not fetched (start without it to fetch)");
            return Vec::new();
        }
        if self.refreshing {
            self.say("already fetching the schedule…");
            return Vec::new();
        }
        self.refreshing = true;
        self.say("fetching the schedule…");
        vec![Effect::Refresh]
    }

    fn update_help(&mut self, command: Command) {
        // The rows of text the help popup shows at once (inside its border).
        let page = super::viewport::help_popup(self.areas().body)
            .height
            .saturating_sub(2)
            .max(1);
        match command {
            Command::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
            Command::Down => self.help_scroll = self.help_scroll.saturating_add(1),
            Command::PageUp => self.help_scroll = self.help_scroll.saturating_sub(page),
            Command::PageDown => self.help_scroll = self.help_scroll.saturating_add(page),
            // Back to the view help was opened from.
            Command::Back => self.mode = self.help_return,
            _ => {}
        }
        let lines = super::help::lines(self).len();
        let max = lines.saturating_sub(usize::from(page));
        self.help_scroll = self.help_scroll.min(u16::try_from(max).unwrap_or(u16::MAX));
    }

    fn update_changes(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Up => self.changes_scroll = self.changes_scroll.saturating_sub(1),
            Command::Down => self.changes_scroll = self.changes_scroll.saturating_add(1),
            Command::Acknowledge => return self.acknowledge(),
            Command::Agenda => self.mode = Mode::Agenda,
            Command::Back => self.mode = Mode::Browse,
            _ => {}
        }
        Vec::new()
    }

    /// Acknowledges every change: the report stays empty until the schedule changes again.
    fn acknowledge(&mut self) -> Vec<Effect> {
        if let Some(why) = &self.read_only {
            let why = why.clone();
            self.complain(format!("stars are read-only: {why}"));
            return Vec::new();
        }
        let n = self.plan.changes.len();
        if self.mode == Mode::Changes {
            self.mode = Mode::Browse;
        }
        let s = if n == 1 { "" } else { "s" };
        self.say(format!("acknowledged {n} change{s}"));
        vec![Effect::Acknowledge]
    }

    fn update_details(&mut self, command: Command) -> Vec<Effect> {
        let page = self.details_page();
        match command {
            Command::Up => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Command::Down => self.detail_scroll = self.detail_scroll.saturating_add(1),
            Command::PageUp => self.detail_scroll = self.detail_scroll.saturating_sub(page),
            Command::PageDown => self.detail_scroll = self.detail_scroll.saturating_add(page),
            Command::Back | Command::Details => self.mode = Mode::Browse,
            Command::Star => return self.toggle_star(self.selected),
            Command::Hide => return self.hide(),
            Command::OpenUrl => return self.open_url(),
            Command::Help => self.open_help(),
            _ => {}
        }
        self.detail_scroll = self.detail_scroll.min(self.details_max_scroll());
        Vec::new()
    }

    /// The details' area (the side pane, or the popup), inside its border.
    pub fn details_area(&self) -> ratatui::layout::Rect {
        let areas = self.areas();
        let outer = match areas.side {
            Some(side) => side,
            None => super::viewport::centered(areas.body, 90, 90),
        };
        ratatui::widgets::Block::bordered().inner(outer)
    }

    fn details_page(&self) -> u16 {
        self.details_area().height.saturating_sub(1).max(1)
    }

    /// How far the details can scroll: until their last line is at the bottom.
    pub fn details_max_scroll(&self) -> u16 {
        let area = self.details_area();
        let lines = self.selected.map_or(0, |i| {
            super::details::lines(self, i, usize::from(area.width)).len()
        });
        u16::try_from(lines.saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX)
    }

    fn update_filter(&mut self, command: Command) -> Vec<Effect> {
        let page = isize::try_from(self.areas().body.height.saturating_sub(4))
            .unwrap_or(1)
            .max(1);
        if let Some(typed) = self.filtering.finding.clone() {
            // Finding an entry by name: Esc or Enter ends it, Backspace erases.
            match command {
                Command::Erase => {
                    let mut typed = typed;
                    typed.pop();
                    self.filtering.find(&typed);
                }
                Command::Back | Command::Confirm => self.filtering.finding = None,
                Command::Up => self.filtering.step(-1),
                Command::Down => self.filtering.step(1),
                _ => {}
            }
            return Vec::new();
        }
        let changed = match command {
            Command::Up => {
                self.filtering.step(-1);
                false
            }
            Command::Down => {
                self.filtering.step(1);
                false
            }
            Command::PageUp => {
                self.filtering.step(-page);
                false
            }
            Command::PageDown => {
                self.filtering.step(page);
                false
            }
            Command::Confirm => self.filtering.toggle(),
            Command::OnlyThis => self.filtering.only(),
            Command::ShowAll => self.filtering.all(true),
            Command::ShowNone => self.filtering.all(false),
            Command::Search => {
                self.filtering.finding = Some(String::new());
                false
            }
            Command::Back => {
                self.mode = Mode::Browse;
                false
            }
            Command::Help => {
                self.open_help();
                false
            }
            _ => false,
        };
        if !changed {
            return Vec::new();
        }
        self.relayout();
        self.run_search_if_open();
        vec![Effect::SetFilter(self.filtering.filter.clone())]
    }

    /// Re-runs the search when its results are on screen (the sessions shown changed).
    fn run_search_if_open(&mut self) {
        if self.mode == Mode::Search {
            self.run_search();
        }
    }

    /// `x`: hides the selected session for good, or shows a hidden one again.
    fn hide(&mut self) -> Vec<Effect> {
        let Some(index) = self.selected else {
            return Vec::new();
        };
        if let Some(why) = &self.read_only {
            let why = why.clone();
            self.complain(format!("read-only: {why}"));
            return Vec::new();
        }
        let s = &self.calendar.sessions[index];
        let (id, title) = (s.id.to_string(), s.headline().to_owned());
        if self.filtering.hidden.remove(&id) {
            self.relayout();
            self.say(format!("shown again: {title}"));
            return vec![Effect::Unhide(id)];
        }
        self.filtering.hidden.insert(id.clone());
        let next = if self.screen == Screen::List {
            self.layout
                .order
                .iter()
                .skip_while(|&&i| i != index)
                .nth(1)
                .copied()
        } else {
            self.layout
                .vertical(index, 1)
                .or_else(|| self.layout.vertical(index, -1))
        };
        self.relayout();
        if self.plan.is_starred(index) {
            self.say(format!("hidden: {title} (shown while it is starred)"));
        } else if self.filtering.show_hidden {
            self.say(format!(
                "hidden: {title} (shown dimmed while X shows hidden sessions)"
            ));
        } else {
            if let Some(next) = next.filter(|&n| self.layout.spot(n).is_some()) {
                self.selected = Some(next);
            }
            self.say(format!(
                "hidden: {title} (X shows hidden sessions, x there shows it again)"
            ));
        }
        vec![Effect::Hide(id)]
    }

    /// `X`: shows the hidden sessions (marked), or hides them again.
    fn toggle_show_hidden(&mut self) {
        self.filtering.show_hidden = !self.filtering.show_hidden;
        self.relayout();
        let n = self.filtering.hidden.len();
        let s = if n == 1 { "" } else { "s" };
        self.say(if self.filtering.show_hidden {
            format!("showing {n} hidden session{s}, marked ⊘ (X hides them again)")
        } else {
            format!("{n} hidden session{s} out of view again")
        });
    }

    fn update_search(&mut self, command: Command) -> Vec<Effect> {
        let rows = super::viewport::search_rows(super::viewport::search_popup(self.areas().body));
        match command {
            Command::Up => self.search.up(),
            Command::Down => self.search.down(),
            Command::PageUp => self.search.page(-1, rows),
            Command::PageDown => self.search.page(1, rows),
            Command::Home => self.search.home(),
            Command::End => self.search.end(),
            Command::Erase => {
                self.search.query.pop();
                self.run_search();
            }
            Command::Confirm => {
                if let Some(hit) = self.search.selected() {
                    let index = hit.index;
                    self.go_to(index);
                    self.mode = Mode::Browse;
                }
            }
            Command::Back => self.mode = Mode::Browse,
            _ => {}
        }
        Vec::new()
    }

    fn update_agenda(&mut self, command: Command) -> Vec<Effect> {
        let selectable: Vec<&super::agenda::Row> =
            self.agenda_rows.iter().filter(|r| r.selectable()).collect();
        let n = selectable.len();
        let current = selectable.get(self.agenda_cursor).map(|r| (*r).clone());
        let page = usize::from(self.areas().body.height.saturating_sub(4)).max(1);
        match command {
            Command::Up => self.agenda_cursor = self.agenda_cursor.saturating_sub(1),
            Command::Down => self.agenda_cursor = (self.agenda_cursor + 1).min(n.saturating_sub(1)),
            Command::PageUp => self.agenda_cursor = self.agenda_cursor.saturating_sub(page),
            Command::PageDown => {
                self.agenda_cursor = (self.agenda_cursor + page).min(n.saturating_sub(1));
            }
            Command::Home => self.agenda_cursor = 0,
            Command::End => self.agenda_cursor = n.saturating_sub(1),
            Command::Confirm => match current {
                Some(super::agenda::Row::Session { index, .. }) => {
                    self.go_to(index);
                    self.mode = Mode::Browse;
                }
                Some(super::agenda::Row::Gone { .. }) => {
                    self.complain("that session is no longer in the schedule");
                }
                _ => {}
            },
            Command::Star => match current {
                Some(super::agenda::Row::Session { index, .. }) => {
                    return self.toggle_star(Some(index));
                }
                Some(super::agenda::Row::Gone { id, .. }) => return self.unstar_id(&id),
                _ => {}
            },
            Command::Back => self.mode = Mode::Browse,
            Command::Acknowledge => return self.acknowledge(),
            Command::Help => self.open_help(),
            _ => {}
        }
        Vec::new()
    }

    fn update_now_next(&mut self, command: Command) -> Vec<Effect> {
        let rows = super::nownext::rows(self);
        let n = rows.len();
        // The rooms the view shows at once: the body less its borders, heading and labels.
        let page = usize::from(self.areas().body.height.saturating_sub(5)).max(1);
        match command {
            Command::Up => self.now_next_cursor = self.now_next_cursor.saturating_sub(1),
            Command::Down => {
                self.now_next_cursor = (self.now_next_cursor + 1).min(n.saturating_sub(1));
            }
            Command::PageUp => self.now_next_cursor = self.now_next_cursor.saturating_sub(page),
            Command::PageDown => {
                self.now_next_cursor = (self.now_next_cursor + page).min(n.saturating_sub(1));
            }
            Command::Home => self.now_next_cursor = 0,
            Command::End => self.now_next_cursor = n.saturating_sub(1),
            Command::Left => self.now_next_on_next = false,
            Command::Right => self.now_next_on_next = true,
            Command::Confirm => {
                if let Some(index) = rows
                    .get(self.now_next_cursor)
                    .and_then(|row| row.target(self.now_next_on_next))
                {
                    self.go_to(index);
                    self.mode = Mode::Browse;
                }
            }
            Command::Star => {
                let target = rows
                    .get(self.now_next_cursor)
                    .and_then(|row| row.target(self.now_next_on_next));
                return self.toggle_star(target);
            }
            Command::Back | Command::NowNext => self.mode = Mode::Browse,
            Command::Help => self.open_help(),
            _ => {}
        }
        Vec::new()
    }

    fn update_calendars(&mut self, command: Command) -> Vec<Effect> {
        let n = self.calendars.len();
        match command {
            Command::Up => self.calendars_cursor = self.calendars_cursor.saturating_sub(1),
            Command::Down => {
                self.calendars_cursor = (self.calendars_cursor + 1).min(n.saturating_sub(1));
            }
            Command::Confirm => {
                self.mode = Mode::Browse;
                if let Some(choice) = self.calendars.get(self.calendars_cursor) {
                    if choice.current {
                        self.say(format!("{} is the calendar shown", choice.name));
                        return Vec::new();
                    }
                    let name = choice.name.clone();
                    self.refreshing = true;
                    self.say(format!("opening {name}…"));
                    return vec![Effect::SwitchCalendar(name)];
                }
            }
            Command::Back | Command::Calendars => self.mode = Mode::Browse,
            Command::Help => self.open_help(),
            _ => {}
        }
        Vec::new()
    }

    fn open_now_next(&mut self) {
        self.mode = Mode::NowNext;
        self.now_next_cursor = 0;
        self.now_next_on_next = false;
    }

    fn toggle_starred_only(&mut self) {
        self.starred_only = !self.starred_only;
        self.relayout();
        if self.starred_only {
            let n = self.plan.starred_list.len();
            self.say(if n == 0 {
                "only starred sessions: none yet (* shows all again)".to_owned()
            } else {
                format!("only your {n} starred sessions (* shows all)")
            });
        } else {
            self.say("all sessions");
        }
    }

    pub(super) fn run_search(&mut self) {
        let visible: Vec<bool> = (0..self.calendar.sessions.len())
            .map(|i| self.visible(i))
            .collect();
        let calendar = &self.calendar;
        self.search.run(calendar, |s| {
            calendar.position(&s.id).is_some_and(|i| visible[i])
        });
    }

    /// Stars or unstars session `index`; the loop saves it.
    pub(super) fn toggle_star(&mut self, index: Option<usize>) -> Vec<Effect> {
        let Some(index) = index else {
            return Vec::new();
        };
        if let Some(why) = &self.read_only {
            let why = why.clone();
            self.complain(format!("stars are read-only: {why}"));
            return Vec::new();
        }
        let Some(session) = self.calendar.sessions.get(index) else {
            return Vec::new();
        };
        let id = session.id.to_string();
        let title = session.title.clone();
        let starred = self.stars.remove(&id).is_some();
        if !starred {
            self.stars
                .insert(id.clone(), crate::plan::Star::of(session, self.clock.now()));
        }
        self.refresh_plan();
        if starred {
            self.say(format!("unstarred {title}"));
            return vec![Effect::Unstar(id)];
        }
        let clashes = self.plan.clashes_with(&self.calendar, index);
        match clashes.first() {
            Some(&other) => self.complain(format!(
                "★ starred; clashes with {}",
                self.calendar.sessions[other].title
            )),
            None => self.say(format!("★ starred {title}")),
        }
        vec![Effect::Star(id)]
    }

    fn unstar_id(&mut self, id: &str) -> Vec<Effect> {
        if self.read_only.is_some() {
            return Vec::new();
        }
        self.stars.remove(id);
        self.refresh_plan();
        self.say("unstarred");
        vec![Effect::Unstar(id.to_owned())]
    }

    fn open_url(&mut self) -> Vec<Effect> {
        let Some(url) = self
            .selected_session()
            .and_then(|s| s.url.as_deref().map(str::to_owned))
        else {
            self.complain("this session has no web page");
            return Vec::new();
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            self.complain("only http and https pages are opened");
            return Vec::new();
        }
        self.say(format!("opening {}", sanitize_line(&url)));
        vec![Effect::OpenUrl(url)]
    }

    /// The mouse wheel: the grid scrolls (the selection may leave the view), lists move.
    fn wheel(&mut self, rows: i32) {
        let rows16 = u16::try_from(rows.unsigned_abs()).unwrap_or(u16::MAX);
        match self.mode {
            Mode::Browse if self.screen == Screen::Grid => {
                let zoom = self.minutes_per_row();
                let view = i64::from(self.grid_areas().rows.height.max(1)) * zoom;
                let max_top = (self.layout.minutes - view).max(0);
                self.scroll.top = self
                    .scroll
                    .top
                    .saturating_add(i64::from(rows).saturating_mul(zoom))
                    .clamp(0, max_top);
            }
            Mode::Browse => self.step_vertical(rows.signum() as isize * 3),
            Mode::Details => {
                self.detail_scroll = if rows < 0 {
                    self.detail_scroll.saturating_sub(rows16)
                } else {
                    self.detail_scroll.saturating_add(rows16)
                }
                .min(self.details_max_scroll());
            }
            Mode::Help => {
                self.update_help(if rows < 0 { Command::Up } else { Command::Down });
            }
            Mode::Changes => {
                self.changes_scroll = if rows < 0 {
                    self.changes_scroll.saturating_sub(rows16)
                } else {
                    self.changes_scroll.saturating_add(rows16)
                };
            }
            _ => {
                let command = if rows < 0 { Command::Up } else { Command::Down };
                self.command(command);
            }
        }
    }

    /// Keeps the selection in view of the grid when it (or the day, zoom or size) changed:
    /// its block, with the row above it, and the other side of a clash when both fit.
    pub(super) fn fit(&mut self) {
        let grid = self.grid_areas();
        let columns = Columns::capacity(grid.rows.width);
        let key = FitKey {
            selected: self.selected,
            day: self.day,
            zoom: self.zoom,
            size: self.size,
            screen: self.screen,
            columns: self.layout.columns.len(),
            partner: self.partner,
        };
        if self.fitted == Some(key) {
            return;
        }
        if self.fitted.is_some_and(|k| k.selected != key.selected) {
            self.detail_scroll = 0;
        }
        self.fitted = Some(key);
        let zoom = self.minutes_per_row();
        let view = i64::from(grid.rows.height.max(1)) * zoom;
        let spot = |i: usize| self.layout.placed(i);
        let mut top = self.scroll.top;
        let mut left = self.scroll.left;
        if let Some(p) = self.selected.and_then(spot) {
            if p.start < top || p.start >= top + view {
                top = p.start - zoom;
            } else if p.end > top + view {
                top = p.start.min(p.end - view);
            }
            if p.column < left {
                left = p.column;
            } else if p.column >= left + columns {
                left = p.column + 1 - columns;
            }
            if let Some(q) = self
                .partner
                .filter(|(a, _)| Some(*a) == self.selected)
                .and_then(|(_, b)| spot(b))
            {
                let (from, to) = (p.start.min(q.start), p.end.max(q.end));
                if to - from + zoom <= view {
                    top = top.min(from - zoom).max(to - view);
                } else if q.start < top || q.start >= top + view {
                    // Both cannot be shown whole: their starts, at least.
                    let (a, b) = (p.start.min(q.start), p.start.max(q.start));
                    if b - a < view {
                        top = a - zoom.min(view - (b - a) - zoom).max(0);
                    }
                }
                let (c1, c2) = (p.column.min(q.column), p.column.max(q.column));
                if c2 - c1 < columns {
                    left = left.min(c1).max((c2 + 1).saturating_sub(columns));
                }
            }
        }
        let max_top = (self.layout.minutes - view).max(0);
        self.scroll.top = (top.clamp(0, max_top) / zoom) * zoom;
        self.scroll.left = left.min(self.layout.columns.len().saturating_sub(columns));
    }
}
