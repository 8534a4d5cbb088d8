//! The TUI's one state store and its update: keys become [`Command`]s, commands change the
//! [`App`], and what needs IO comes back as [`Effect`]s for the event loop to carry out.
//! Nothing here draws or touches the terminal.

pub mod action;
pub mod agenda;
pub mod keymap;
pub mod layout;
mod navigate;
pub mod search;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use action::{Command, Effect, Msg};
use layout::DayLayout;

use crate::calendar::{Calendar, Session};
use crate::clock::Clock;
use crate::plan::{Plan, PlanIndex, Store};

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Grid,
    /// The details of the selected session, with focus (a popup on narrow terminals).
    Details,
    Search,
    Agenda,
    Filter,
    Help,
    /// What changed for the starred sessions (on start and after a refresh).
    Changes,
}

/// Minutes per grid row, from most detailed to least.
pub const ZOOMS: [i64; 4] = [5, 10, 15, 30];

/// A line for the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The whole state of the TUI.
pub struct App {
    pub calendar: Calendar,
    /// `None` when the star file cannot be used: then nothing is ever written to it.
    store: Option<Store>,
    /// Why the stars are read-only, for the banner.
    pub read_only: Option<String>,
    /// Why the calendar is an offline copy, and how old, for the banner.
    pub source_note: Option<String>,
    /// What changed for the starred sessions, for the popup.
    pub changes: Vec<crate::export::changes::Entry>,
    pub changes_scroll: u16,
    pub clock: Clock,
    pub plan: PlanIndex,
    /// The agenda view's rows, rebuilt with the plan.
    pub agenda_rows: Vec<agenda::Row>,
    pub days: Vec<NaiveDate>,
    pub day: usize,
    /// Position in [`Calendar::sessions`] of the selected session.
    pub selected: Option<usize>,
    pub mode: Mode,
    /// Index into [`ZOOMS`].
    pub zoom: usize,
    /// Tracks by how many sessions carry them.
    pub tracks: Vec<(String, usize)>,
    pub hidden_tracks: BTreeSet<String>,
    pub filter_cursor: usize,
    pub search: search::SearchState,
    pub agenda_cursor: usize,
    pub detail_scroll: u16,
    pub help_scroll: u16,
    pub message: Option<Message>,
    /// Flag tight changes of room shorter than this.
    pub min_gap: Option<Duration>,
    /// Minutes a page of the grid shows, as last drawn.
    pub page_minutes: i64,
    layout: DayLayout,
    rank: HashMap<String, usize>,
    quit: bool,
}

impl App {
    /// The app on `calendar`, with the stars of `store` (or read-only, saying why).
    pub fn new(calendar: Calendar, store: Result<Store, String>, clock: Clock) -> Self {
        let (store, read_only) = match store {
            Ok(store) => (Some(store), None),
            Err(reason) => (None, Some(reason)),
        };
        let rank: HashMap<String, usize> = layout::room_rank(&calendar)
            .into_iter()
            .map(|(room, i)| (room.to_owned(), i))
            .collect();
        let days = calendar.days();
        let tracks = track_list(&calendar);
        let today = clock.now().with_timezone(&calendar.zone).date_naive();
        let day = days.iter().position(|d| *d == today).unwrap_or(0);
        let layout = DayLayout::new(
            &calendar,
            days.get(day).copied().unwrap_or_default(),
            |_| true,
            &rank_ref(&rank),
        );
        let search = search::SearchState::new(&calendar);
        let mut app = Self {
            selected: layout.first(),
            calendar,
            store,
            read_only,
            source_note: None,
            changes: Vec::new(),
            changes_scroll: 0,
            clock,
            plan: PlanIndex::default(),
            agenda_rows: Vec::new(),
            days,
            day,
            mode: Mode::Grid,
            zoom: 0,
            tracks,
            hidden_tracks: BTreeSet::new(),
            filter_cursor: 0,
            search,
            agenda_cursor: 0,
            detail_scroll: 0,
            help_scroll: 0,
            message: None,
            min_gap: None,
            page_minutes: 60,
            layout,
            rank,
            quit: false,
        };
        app.carry_over();
        app.refresh_plan();
        if !app.changes.is_empty() {
            app.mode = Mode::Changes;
        }
        app
    }

    /// Says the calendar is an offline copy (shown as a banner).
    pub fn set_source_note(&mut self, note: Option<String>) {
        self.source_note = note;
    }

    /// Moves the stars of re-published sessions to their new ids, and saves.
    fn carry_over(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if crate::plan::changes::carry_over(store, &self.calendar) > 0
            && let Err(e) = store.save()
        {
            self.complain(format!("not saved: {e}"));
        }
    }

    /// Shows a newly loaded version of the calendar: the same day and session where they
    /// still exist, and what changed for the starred sessions.
    pub fn replace_calendar(&mut self, calendar: Calendar, note: Option<String>) {
        let selected_id = self.selected_session().map(|s| s.id.clone());
        let date = self.days.get(self.day).copied();
        let old_count = self.calendar.sessions.len();
        let same = calendar.sessions == self.calendar.sessions;
        self.calendar = calendar;
        self.source_note = note;
        self.rank = layout::room_rank(&self.calendar)
            .into_iter()
            .map(|(room, i)| (room.to_owned(), i))
            .collect();
        self.days = self.calendar.days();
        self.tracks = track_list(&self.calendar);
        self.search = search::SearchState::new(&self.calendar);
        self.day = date
            .and_then(|d| self.days.iter().position(|x| *x == d))
            .unwrap_or(0);
        self.relayout();
        self.selected = selected_id
            .and_then(|id| self.calendar.position(&id))
            .filter(|&i| self.layout.spot(i).is_some())
            .or_else(|| self.layout.first());
        self.carry_over();
        self.refresh_plan();
        if !self.changes.is_empty() {
            self.mode = Mode::Changes;
            self.changes_scroll = 0;
        } else if same {
            self.say("the schedule has not changed");
        } else {
            self.say(format!(
                "schedule updated: {} sessions (was {old_count}); nothing you starred changed",
                self.calendar.sessions.len()
            ));
        }
    }

    /// Flags changes of room with less than `gap` between starred sessions.
    pub fn set_min_gap(&mut self, gap: Duration) {
        self.min_gap = Some(gap);
        self.refresh_plan();
    }

    /// The layout of the day shown.
    pub fn layout(&self) -> &DayLayout {
        &self.layout
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn minutes_per_row(&self) -> i64 {
        ZOOMS[self.zoom]
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.selected.map(|i| &self.calendar.sessions[i])
    }

    /// Whether a session passes the track filter.
    pub fn visible(&self, s: &Session) -> bool {
        is_visible(&self.hidden_tracks, s)
    }

    pub fn filter_on(&self) -> bool {
        !self.hidden_tracks.is_empty()
    }

    /// Number of starred sessions (including those gone from the schedule).
    pub fn starred_count(&self) -> usize {
        self.plan.starred_list.len() + self.plan.missing.len()
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Recomputes what depends on the stars.
    fn refresh_plan(&mut self) {
        let stars = self
            .store
            .as_ref()
            .and_then(|s| s.stars(&self.calendar.key));
        let plan = Plan::new(&self.calendar, stars, self.min_gap);
        self.plan = PlanIndex::new(&plan);
        self.changes = crate::export::changes::report(&plan);
        self.agenda_rows = agenda::rows(&self.calendar, &plan);
        let selectable = self.agenda_rows.iter().filter(|r| r.selectable()).count();
        self.agenda_cursor = self.agenda_cursor.min(selectable.saturating_sub(1));
    }

    /// Lays out the day shown again (after a change of day or filter).
    fn relayout(&mut self) {
        let date = self.days.get(self.day).copied().unwrap_or_default();
        let hidden = &self.hidden_tracks;
        self.layout = DayLayout::new(
            &self.calendar,
            date,
            |s| is_visible(hidden, s),
            &rank_ref(&self.rank),
        );
    }

    /// A key press.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.message = None;
        if let Some(command) = keymap::lookup(self.mode, &key) {
            return self.update(command);
        }
        match (self.mode, key.code) {
            (Mode::Search, KeyCode::Char(ch)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.query.push(ch);
                self.run_search();
            }
            (Mode::Search, KeyCode::Backspace) => {
                self.search.query.pop();
                self.run_search();
            }
            (Mode::Help, _) => self.mode = Mode::Grid,
            _ => {}
        }
        Vec::new()
    }

    /// A command from the keymap.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match (self.mode, command) {
            (_, Command::Quit) => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            (Mode::Help, Command::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
            (Mode::Help, Command::Down) => self.help_scroll = self.help_scroll.saturating_add(1),
            (Mode::Help, Command::PageUp) => self.help_scroll = self.help_scroll.saturating_sub(10),
            (Mode::Help, Command::PageDown) => {
                self.help_scroll = self.help_scroll.saturating_add(10);
            }
            (Mode::Help, _) => self.mode = Mode::Grid,
            (Mode::Search, c) => return self.update_search(c),
            (Mode::Agenda, c) => return self.update_agenda(c),
            (Mode::Filter, c) => self.update_filter(c),
            (Mode::Changes, c) => return self.update_changes(c),
            (Mode::Details, c) => return self.update_details(c),
            (Mode::Grid, c) => return self.update_grid(c),
        }
        Vec::new()
    }

    fn update_grid(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Up => self.step_vertical(-1),
            Command::Down => self.step_vertical(1),
            Command::Left => self.step_horizontal(-1),
            Command::Right => self.step_horizontal(1),
            Command::PageUp => self.page(-1),
            Command::PageDown => self.page(1),
            Command::Home => self.column_end(false),
            Command::End => self.column_end(true),
            Command::NextDay => self.change_day(1),
            Command::PrevDay => self.change_day(-1),
            Command::Details => {
                if self.selected.is_some() {
                    self.mode = Mode::Details;
                    self.detail_scroll = 0;
                }
            }
            Command::Star => return self.toggle_star(self.selected),
            Command::Search => {
                self.mode = Mode::Search;
                self.search.reset();
            }
            Command::Agenda => self.mode = Mode::Agenda,
            Command::NextClash => self.next_clash(),
            Command::Filter => self.mode = Mode::Filter,
            Command::Now => self.jump_to_now(),
            Command::OpenUrl => return self.open_url(),
            Command::Refresh => {
                self.say("fetching the schedule…");
                return vec![Effect::Refresh];
            }
            Command::Help => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
            }
            Command::ZoomIn => self.zoom = self.zoom.saturating_sub(1),
            Command::ZoomOut => self.zoom = (self.zoom + 1).min(ZOOMS.len() - 1),
            Command::Back | Command::Confirm | Command::Quit | Command::Acknowledge => {}
        }
        Vec::new()
    }

    fn update_changes(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Up => self.changes_scroll = self.changes_scroll.saturating_sub(1),
            Command::Down => self.changes_scroll = self.changes_scroll.saturating_add(1),
            Command::Acknowledge => return self.acknowledge(),
            Command::Agenda => self.mode = Mode::Agenda,
            Command::Back => self.mode = Mode::Grid,
            _ => {}
        }
        Vec::new()
    }

    /// Acknowledges every change: the report stays empty until the schedule changes again.
    fn acknowledge(&mut self) -> Vec<Effect> {
        let Some(store) = self.store.as_mut() else {
            let why = self.read_only.clone().unwrap_or_default();
            self.complain(format!("stars are read-only: {why}"));
            return Vec::new();
        };
        let n = crate::plan::changes::acknowledge(store, &self.calendar);
        self.refresh_plan();
        if self.mode == Mode::Changes {
            self.mode = Mode::Grid;
        }
        let s = if n == 1 { "" } else { "s" };
        self.say(format!("acknowledged {n} change{s}"));
        vec![Effect::Save]
    }

    fn update_details(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Up => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Command::Down => self.detail_scroll = self.detail_scroll.saturating_add(1),
            Command::Back | Command::Details => self.mode = Mode::Grid,
            Command::Star => return self.toggle_star(self.selected),
            Command::OpenUrl => return self.open_url(),
            _ => {}
        }
        Vec::new()
    }

    fn update_filter(&mut self, command: Command) {
        let n = self.tracks.len();
        match command {
            Command::Up => self.filter_cursor = self.filter_cursor.saturating_sub(1),
            Command::Down => self.filter_cursor = (self.filter_cursor + 1).min(n.saturating_sub(1)),
            Command::Confirm => {
                if let Some((track, _)) = self.tracks.get(self.filter_cursor) {
                    if !self.hidden_tracks.remove(track) {
                        self.hidden_tracks.insert(track.clone());
                    }
                    self.relayout();
                    self.keep_selection_visible();
                }
            }
            Command::Back | Command::Filter => self.mode = Mode::Grid,
            _ => {}
        }
    }

    fn update_search(&mut self, command: Command) -> Vec<Effect> {
        let n = self.search.hits.len();
        match command {
            Command::Up => self.search.cursor = self.search.cursor.saturating_sub(1),
            Command::Down => self.search.cursor = (self.search.cursor + 1).min(n.saturating_sub(1)),
            Command::Confirm => {
                if let Some(hit) = self.search.hits.get(self.search.cursor) {
                    let index = hit.index;
                    self.go_to(index);
                    self.mode = Mode::Grid;
                }
            }
            Command::Back => self.mode = Mode::Grid,
            _ => {}
        }
        Vec::new()
    }

    fn update_agenda(&mut self, command: Command) -> Vec<Effect> {
        let selectable: Vec<&agenda::Row> =
            self.agenda_rows.iter().filter(|r| r.selectable()).collect();
        let n = selectable.len();
        let current = selectable.get(self.agenda_cursor).map(|r| (*r).clone());
        match command {
            Command::Up => self.agenda_cursor = self.agenda_cursor.saturating_sub(1),
            Command::Down => self.agenda_cursor = (self.agenda_cursor + 1).min(n.saturating_sub(1)),
            Command::Confirm => match current {
                Some(agenda::Row::Session { index, .. }) => {
                    self.go_to(index);
                    self.mode = Mode::Grid;
                }
                Some(agenda::Row::Gone { .. }) => {
                    self.complain("that session is no longer in the schedule");
                }
                _ => {}
            },
            Command::Star => match current {
                Some(agenda::Row::Session { index, .. }) => return self.toggle_star(Some(index)),
                Some(agenda::Row::Gone { id, .. }) => return self.unstar_id(&id),
                _ => {}
            },
            Command::Back | Command::Agenda => self.mode = Mode::Grid,
            Command::Acknowledge => return self.acknowledge(),
            Command::Help => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
            }
            _ => {}
        }
        Vec::new()
    }

    fn run_search(&mut self) {
        let hidden = &self.hidden_tracks;
        self.search.run(&self.calendar, |s| is_visible(hidden, s));
    }

    fn toggle_star(&mut self, index: Option<usize>) -> Vec<Effect> {
        let Some(index) = index else {
            return Vec::new();
        };
        let Some(store) = self.store.as_mut() else {
            let why = self.read_only.clone().unwrap_or_default();
            self.complain(format!("stars are read-only: {why}"));
            return Vec::new();
        };
        let cal = &self.calendar;
        let session = &cal.sessions[index];
        let starred = store.is_starred(&cal.key, &session.id);
        if starred {
            store.unstar(&cal.key, &session.id);
        } else {
            store.star(&cal.key, &cal.name, session, self.clock.now());
        }
        let title = session.title.clone();
        self.refresh_plan();
        if starred {
            self.say(format!("unstarred {title}"));
        } else {
            let clashes = self.plan.clashes_with(&self.calendar, index);
            match clashes.first() {
                Some(&other) => self.complain(format!(
                    "starred; clashes with {}",
                    self.calendar.sessions[other].title
                )),
                None => self.say(format!("★ starred {title}")),
            }
        }
        vec![Effect::Save]
    }

    fn unstar_id(&mut self, id: &str) -> Vec<Effect> {
        let Some(store) = self.store.as_mut() else {
            return Vec::new();
        };
        store.unstar(&self.calendar.key, id);
        self.refresh_plan();
        self.say("unstarred");
        vec![Effect::Save]
    }

    fn open_url(&mut self) -> Vec<Effect> {
        let Some(url) = self.selected_session().and_then(|s| s.url.clone()) else {
            self.complain("this session has no web page");
            return Vec::new();
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            self.complain("only http and https pages are opened");
            return Vec::new();
        }
        self.say(format!("opening {url}"));
        vec![Effect::OpenUrl(url)]
    }

    /// Reports from the event loop.
    pub fn on_msg(&mut self, msg: Msg) {
        match msg {
            Msg::Saved {
                merged_other_writer,
            } => {
                if merged_other_writer {
                    self.refresh_plan();
                    if self.message.as_ref().is_none_or(|m| !m.error) {
                        self.say("saved (with changes another hallway made)");
                    }
                }
            }
            Msg::SaveFailed(why) => self.complain(format!("not saved: {why}")),
            Msg::StoreChanged => {
                self.refresh_plan();
                self.say("stars changed in another hallway");
            }
            Msg::StoreBroken(why) => self.complain(why),
            Msg::OpenFailed(why) => self.complain(format!("could not open the page: {why}")),
            Msg::RefreshFailed(why) => self.complain(format!("not refreshed: {why}")),
        }
    }

    /// Writes pending stars. Called by the event loop for [`Effect::Save`].
    pub fn save(&mut self) -> Msg {
        match self.store.as_mut().map(Store::save) {
            Some(Ok(saved)) => Msg::Saved {
                merged_other_writer: saved.merged_other_writer,
            },
            Some(Err(e)) => Msg::SaveFailed(e.to_string()),
            None => Msg::SaveFailed("read-only".into()),
        }
    }

    /// Re-reads the star file if another process changed it. Called by the loop on ticks.
    pub fn reload_store(&mut self) -> Option<Msg> {
        let store = self.store.as_mut()?;
        match store.reload_if_changed() {
            Ok(true) => Some(Msg::StoreChanged),
            Ok(false) => None,
            Err(e) => Some(Msg::StoreBroken(e.to_string())),
        }
    }
}

/// Tracks by how many sessions carry them, most first.
fn track_list(calendar: &Calendar) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in calendar.sessions.iter().flat_map(|s| &s.tracks) {
        *counts.entry(t.as_str()).or_default() += 1;
    }
    let mut tracks: Vec<(String, usize)> =
        counts.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
    tracks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    tracks
}

fn is_visible(hidden: &BTreeSet<String>, s: &Session) -> bool {
    hidden.is_empty() || s.tracks.is_empty() || s.tracks.iter().any(|t| !hidden.contains(t))
}

fn rank_ref(rank: &HashMap<String, usize>) -> HashMap<&str, usize> {
    rank.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

#[cfg(test)]
mod tests;
