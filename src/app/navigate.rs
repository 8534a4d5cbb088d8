//! Moving the selection: through the grid and the list, across days, to a session found
//! elsewhere, to the next clash, to now.

use super::layout::Spot;
use super::{App, Effect, Opened, Screen};
use crate::calendar::Session;
use crate::plan::filter::{Filter, Visibility};

impl App {
    /// Selects session `index`, showing its day (and its track, if a filter hid it).
    pub fn go_to(&mut self, index: usize) {
        self.opened = Opened::Moved;
        let Some(s) = self.calendar.sessions.get(index) else {
            return;
        };
        let date = self.calendar.day_of(s);
        if let Some(day) = self.days.iter().position(|d| *d == date)
            && day != self.day
        {
            self.show_day(day);
        }
        match self.visibility(index) {
            Visibility::Shown | Visibility::ShownStarred => {}
            Visibility::HiddenByUser => {
                // Shown anyway rather than jump nowhere.
                self.filtering.show_hidden = true;
                self.relayout();
                self.say("showing hidden sessions, to show this one (X hides them again)");
            }
            Visibility::HiddenByFilter => {
                self.starred_only = false;
                if !self.visible(index) {
                    self.filtering.filter = Filter::default();
                    self.pending.push(Effect::SetFilter(Filter::default()));
                    self.say("filter cleared to show this session");
                }
                self.relayout();
            }
        }
        self.selected = Some(index);
    }

    /// Selects a session by a mouse click.
    pub fn select(&mut self, index: usize) {
        if self.layout.spot(index).is_some() {
            self.selected = Some(index);
        }
    }

    /// The selection's place in the day's list, by start.
    fn list_position(&self) -> Option<usize> {
        let current = self.selected?;
        self.layout.order.iter().position(|&i| i == current)
    }

    /// Moves `step` sessions through the day's list.
    fn step_list(&mut self, step: isize) {
        let order = &self.layout.order;
        let Some(last) = order.len().checked_sub(1) else {
            return;
        };
        let next = match self.list_position() {
            Some(k) => k.saturating_add_signed(step).min(last),
            None => 0,
        };
        self.selected = Some(order[next]);
    }

    pub(super) fn step_vertical(&mut self, step: isize) {
        if self.screen == Screen::List {
            self.step_list(step);
            return;
        }
        let Some(current) = self.selected else {
            self.selected = self.layout.first();
            return;
        };
        match self.layout.spot(current) {
            Some(Spot::Grid(_)) => {
                let mut next = Some(current);
                for _ in 0..step.unsigned_abs() {
                    match next.and_then(|i| self.layout.vertical(i, step.signum())) {
                        Some(n) => next = Some(n),
                        None => break,
                    }
                }
                if next != Some(current) {
                    self.selected = next;
                } else if step < 0
                    && let Some(&first) = self.layout.background.first()
                {
                    // Above the first session of a room: the strip of long sessions.
                    self.selected = Some(first);
                }
            }
            Some(Spot::Strip(_)) if step > 0 => {
                if let Some(first) = self.layout.nearest_in_column(0, 0, None) {
                    self.selected = Some(first);
                }
            }
            Some(Spot::Strip(_)) => {}
            None => self.selected = self.layout.first(),
        }
    }

    pub(super) fn step_horizontal(&mut self, step: isize) {
        let Some(current) = self.selected else {
            self.selected = self.layout.first();
            return;
        };
        match self.layout.spot(current) {
            Some(Spot::Grid(_)) => {
                if let Some(next) = self.layout.horizontal(current, step) {
                    self.selected = Some(next);
                }
            }
            Some(Spot::Strip(k)) => {
                if let Some(&next) = k
                    .checked_add_signed(step)
                    .and_then(|k| self.layout.background.get(k))
                {
                    self.selected = Some(next);
                }
            }
            None => self.selected = self.layout.first(),
        }
    }

    /// A screenful earlier or later: in the grid, the session a page of time away in the
    /// same room; in the list, a page of sessions.
    pub(super) fn page(&mut self, direction: isize) {
        if self.screen == Screen::List {
            let rows = self.areas().main.height.saturating_sub(1).max(1);
            let step = isize::try_from(super::list::sessions_in(self, rows)).unwrap_or(1);
            self.step_list(direction * step.max(1));
            return;
        }
        let rows = i64::from(self.grid_areas().rows.height.max(1));
        let minutes = rows * self.minutes_per_row();
        if let Some(current) = self.selected
            && let Some(next) = self
                .layout
                .page(current, i64::try_from(direction).unwrap_or(1) * minutes)
        {
            self.selected = Some(next);
        }
    }

    /// The first or last session of the day.
    pub(super) fn select_day_end(&mut self, last: bool) {
        let found = if self.screen == Screen::List {
            if last {
                self.layout.order.last().copied()
            } else {
                self.layout.order.first().copied()
            }
        } else if last {
            self.layout.last()
        } else {
            self.layout.first()
        };
        if found.is_some() {
            self.selected = found;
        }
    }

    /// Shows another day, keeping the selection in the same room at about the same time.
    pub(super) fn change_day(&mut self, step: isize) {
        let Some(day) = self
            .day
            .checked_add_signed(step)
            .filter(|d| *d < self.days.len())
        else {
            self.say(if step > 0 {
                "this is the last day"
            } else {
                "this is the first day"
            });
            return;
        };
        let previous = self.selected_session().map(|s| {
            let local = self.calendar.local(s.start);
            (s.room.clone(), local.time())
        });
        self.show_day(day);
        self.selected = previous
            .and_then(|(room, time)| {
                let column = self.layout.columns.iter().position(|c| c.room == room)?;
                let date = self.days[self.day];
                let at =
                    crate::calendar::time::local_to_utc(date.and_time(time), self.calendar.zone);
                self.layout
                    .nearest_in_column(column, self.layout.minute_of(at), None)
            })
            .or_else(|| self.layout.first());
    }

    /// Pairs of clashing starred sessions (calendar positions, earlier first), in time order.
    pub fn clash_pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for &a in &self.plan.starred_list {
            if !self.plan.is_clashing(a) {
                continue;
            }
            for b in self.plan.clashes_with(&self.calendar, a) {
                if b > a {
                    pairs.push((a, b));
                }
            }
        }
        pairs
    }

    /// The next clash after the selection, in time order, wrapping: selects one side, keeps
    /// the other in view, and says which clash it is.
    pub(super) fn next_clash(&mut self) {
        let pairs = self.clash_pairs();
        if pairs.is_empty() {
            self.say("no clashes among your starred sessions");
            return;
        }
        let current = self
            .partner
            .filter(|(at, _)| Some(*at) == self.selected)
            .and_then(|(a, b)| pairs.iter().position(|&p| p == (a, b)));
        let k = match (current, self.selected) {
            (Some(k), _) => (k + 1) % pairs.len(),
            (None, Some(sel)) => pairs.iter().position(|&(a, _)| a >= sel).unwrap_or(0),
            (None, None) => 0,
        };
        let (a, b) = pairs[k];
        self.go_to(a);
        self.partner = Some((a, b));
        self.fit();
        let title = |i: usize| crate::width::truncate(self.calendar.sessions[i].headline(), 24);
        // A partner in a room too far from the selection's to show both says where it is.
        let columns = super::viewport::Columns::capacity(self.grid_areas().rows.width);
        let shown = self.scroll.left..self.scroll.left + columns;
        let away = match self.layout.placed(b) {
            Some(q) if self.screen == Screen::Grid && !shown.contains(&q.column) => {
                let arrow = if q.column < shown.start { '←' } else { '→' };
                format!(" ({arrow} {})", self.calendar.sessions[b].room)
            }
            _ => String::new(),
        };
        // Where the other is comes before the titles, which a narrow footer cuts.
        self.say(format!(
            "clash {} of {}{away}: {} ↔ {}",
            k + 1,
            pairs.len(),
            title(a),
            title(b)
        ));
    }

    /// The session on now (starred first, not background), else the next to start.
    fn session_at(&self, now: chrono::DateTime<chrono::Utc>) -> Option<usize> {
        let on_now = |s: &Session| s.start <= now && now < s.end && !s.is_background();
        let candidates = self
            .calendar
            .sessions
            .iter()
            .enumerate()
            .filter(|(i, _)| self.visible(*i));
        candidates
            .clone()
            .filter(|(_, s)| on_now(s))
            .min_by_key(|(i, s)| (!self.plan.is_starred(*i), s.start))
            .or_else(|| {
                candidates
                    .filter(|(_, s)| s.start >= now && !s.is_background())
                    .min_by_key(|(i, s)| (s.start, !self.plan.is_starred(*i)))
            })
            .map(|(i, _)| i)
    }

    /// Selects what is on now (starred first), else what starts next.
    pub(super) fn jump_to_now(&mut self) {
        let now = self.clock.now();
        let Some(&last_day) = self.days.last() else {
            return;
        };
        if self.calendar.day_of_instant(now) > last_day {
            self.complain("the conference is over");
            return;
        }
        match self.session_at(now) {
            Some(i) => {
                if self.calendar.sessions[i].start > now {
                    self.say("nothing on now; this is next");
                }
                self.go_to(i);
            }
            None => self.complain("nothing more today"),
        }
    }

    /// On start: the day and session of now when now falls within the conference, else the
    /// first session of today's or the first day.
    pub(super) fn open_at_now(&mut self) {
        let now = self.clock.now();
        let first = self.calendar.sessions.iter().map(|s| s.start).min();
        let last = self.calendar.sessions.iter().map(|s| s.end).max();
        let today = self.calendar.day_of_instant(now);
        // Not a conference day: the next one, or the last once the conference is over.
        let day = self
            .days
            .iter()
            .position(|d| *d >= today)
            .unwrap_or(self.days.len().saturating_sub(1));
        // The day's layout as it is kept: opening again for the real size (at 100,000
        // sessions) costs no second layout.
        self.show_day(day);
        self.selected = self.layout.first();
        let during =
            matches!((first, last), (Some(first), Some(last)) if first <= now && now < last);
        if during && let Some(i) = self.session_at(now) {
            // What is on or next, today or, once today's programme is over, on the next day
            // (an evening after the first day shows the second day's morning).
            self.go_to(i);
        }
        self.opened = Opened::AtNow { during };
        self.place_opening();
    }

    /// Scrolls the view as it opens (and again for a size or zoom given before any key):
    /// during the conference the session of now one row below the top, with what comes
    /// after it below (not at the foot of the morning), and the now-line in view; else the
    /// day from its start.
    pub(super) fn place_opening(&mut self) {
        let Opened::AtNow { during } = self.opened else {
            return;
        };
        self.scroll = super::GridScroll::default();
        self.fitted = None;
        if during {
            if let Some(p) = self.selected.and_then(|i| self.layout.placed(i)) {
                self.scroll.top = p.start - self.minutes_per_row();
            }
            self.fit();
            self.show_now_line(self.clock.now());
        }
        self.fit();
    }

    /// Scrolls so the now-line is in view as well as the selection, where both fit: after
    /// a gap the session selected is the next, and the line is above it.
    fn show_now_line(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let Some(p) = self.selected.and_then(|i| self.layout.placed(i)) else {
            return;
        };
        let at = self.layout.minute_of(now);
        let zoom = self.minutes_per_row();
        let view = i64::from(self.grid_areas().rows.height.max(1)) * zoom;
        let top = self.scroll.top;
        if at < 0 || at > self.layout.minutes || (top..top + view).contains(&at) {
            return;
        }
        let wanted = if at < top {
            (at - zoom).max(0)
        } else {
            at + 2 * zoom - view
        };
        let wanted = (wanted.max(0) / zoom) * zoom;
        if wanted <= p.start && p.start < wanted + view {
            self.scroll.top = wanted;
        }
    }
}
