//! Moving the selection: through the grid, across days, to a session found elsewhere, to
//! the next clash, to now.

use super::layout::Spot;
use super::{App, ZOOMS};
use crate::calendar::Session;

impl App {
    /// Selects session `index`, showing its day.
    pub fn go_to(&mut self, index: usize) {
        let Some(s) = self.calendar.sessions.get(index) else {
            return;
        };
        let date = self.calendar.day_of(s);
        let hidden = !self.visible(s);
        if let Some(day) = self.days.iter().position(|d| *d == date)
            && day != self.day
        {
            self.day = day;
            self.relayout();
        }
        if hidden {
            // Its track is filtered out: show it anyway rather than jump nowhere.
            self.hidden_tracks.clear();
            self.relayout();
            self.say("track filter cleared to show this session");
        }
        self.selected = Some(index);
    }

    /// Selects a session by a mouse click.
    pub fn select(&mut self, index: usize) {
        self.message = None;
        if self.layout.spot(index).is_some() {
            self.selected = Some(index);
        }
    }

    pub(super) fn step_vertical(&mut self, step: isize) {
        let Some(current) = self.selected else {
            self.selected = self.layout.first();
            return;
        };
        match self.layout.spot(current) {
            Some(Spot::Grid(_)) => {
                if let Some(next) = self.layout.vertical(current, step) {
                    self.selected = Some(next);
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

    pub(super) fn page(&mut self, direction: i64) {
        if let Some(current) = self.selected
            && let Some(next) = self
                .layout
                .page(current, direction * self.page_minutes.max(ZOOMS[0]))
        {
            self.selected = Some(next);
        }
    }

    pub(super) fn column_end(&mut self, last: bool) {
        if let Some(current) = self.selected
            && let Some(next) = self.layout.end_of_column(current, last)
        {
            self.selected = Some(next);
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
        let previous = self.selected.map(|i| {
            let s = &self.calendar.sessions[i];
            let local = self.calendar.local(s.start);
            (s.room.clone(), local.time())
        });
        self.day = day;
        self.relayout();
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

    /// After the filter changes: the selection stays if still shown, else the nearest.
    pub(super) fn keep_selection_visible(&mut self) {
        if self.selected.is_some_and(|i| self.layout.spot(i).is_some()) {
            return;
        }
        self.selected = self.layout.first();
    }

    /// The next clashing starred session after the selection, in time order, wrapping.
    pub(super) fn next_clash(&mut self) {
        let clashing: Vec<usize> = self
            .plan
            .starred_list
            .iter()
            .copied()
            .filter(|&i| self.plan.is_clashing(i))
            .collect();
        if clashing.is_empty() {
            self.say("no clashes among your starred sessions");
            return;
        }
        let next = match self.selected {
            Some(current) => clashing
                .iter()
                .copied()
                .find(|&i| i > current)
                .unwrap_or(clashing[0]),
            None => clashing[0],
        };
        self.go_to(next);
    }

    /// Selects what is on now (starred first), else what starts next.
    pub(super) fn jump_to_now(&mut self) {
        let now = self.clock.now();
        let cal = &self.calendar;
        let Some(&last_day) = self.days.last() else {
            return;
        };
        let today = cal.local(now).date_naive();
        if today > last_day {
            self.complain("the conference is over");
            return;
        }
        let on_now = |s: &Session| s.start <= now && now < s.end && !s.is_background();
        let candidates = cal
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| self.visible(s));
        let found = candidates
            .clone()
            .filter(|(_, s)| on_now(s))
            .min_by_key(|(i, s)| (!self.plan.is_starred(*i), s.start))
            .or_else(|| {
                candidates
                    .filter(|(_, s)| s.start >= now && !s.is_background())
                    .min_by_key(|(i, s)| (s.start, !self.plan.is_starred(*i)))
            })
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                if cal.sessions[i].start > now {
                    self.say("nothing on now; this is next");
                }
                self.go_to(i);
            }
            None => self.complain("nothing more today"),
        }
    }
}
