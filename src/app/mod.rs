//! The TUI's one state store and its update: the loop turns keys, clicks, the wheel, a new
//! terminal size and the passing of time into [`Action`]s, `update` changes the [`App`], and
//! what needs IO (saving a star, opening a page, fetching the schedule) comes back as
//! [`Effect`]s for the loop to carry out, whose results return as [`Msg`]s. Nothing here
//! draws, touches the terminal, the disk or the network.

pub mod action;
pub mod agenda;
pub mod details;
pub mod filter;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod list;
mod navigate;
pub mod nownext;
pub mod search;
mod update;
pub mod viewport;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ratatui::layout::Rect;

pub use action::{Action, Command, Effect, Msg};
use keymap::{Context, Keymap};
use layout::DayLayout;

use crate::calendar::{Calendar, Session};
use crate::clock::Clock;
use crate::plan::filter::{Filter, Visibility};
use crate::plan::{Plan, PlanIndex, Star};

/// The stars of the calendar shown, by session id, as the star file holds them.
pub type Stars = BTreeMap<String, Star>;

/// What has the keyboard: the programme itself, or an overlay on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The grid or the list.
    Browse,
    /// The details of the selected session, with focus (a popup on narrow terminals).
    Details,
    Search,
    Agenda,
    Filter,
    /// Now and next in every room.
    NowNext,
    Help,
    /// What changed for the starred sessions (on start and after a refresh).
    Changes,
    /// The saved calendars, to switch to one.
    Calendars,
}

/// A calendar the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarChoice {
    pub name: String,
    /// Where it is read from, as shown.
    pub source: String,
    pub current: bool,
}

/// How the programme is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Rooms across, time down.
    Grid,
    /// One line a session, by start.
    List,
}

/// Minutes per grid row, from most detailed to least.
pub const ZOOMS: [i64; 4] = [5, 10, 15, 30];

/// A line for the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The grid's scroll position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GridScroll {
    /// Minutes from the day's origin at the top row.
    pub top: i64,
    /// The first room column shown.
    pub left: usize,
}

/// What the scroll position was last fitted to; a change of any refits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FitKey {
    selected: Option<usize>,
    day: usize,
    zoom: usize,
    size: (u16, u16),
    screen: Screen,
    columns: usize,
    /// The other side of the clash `c` chose, kept in view with the selection.
    partner: Option<(usize, usize)>,
}

/// Whether the calendar may be fetched again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Network {
    Online,
    /// `--offline`.
    Offline,
}

/// Where the view is: as it opened at now, or moved since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opened {
    /// As it opened; `during` the conference, at the session of now.
    AtNow {
        during: bool,
    },
    Moved,
}

/// The whole state of the TUI.
pub struct App {
    /// The programme, shared with the thread that builds its search index.
    pub calendar: Arc<Calendar>,
    /// The keys in force; dispatch, help and the footer read it.
    pub keymap: Keymap,
    /// The stars of this calendar.
    stars: Stars,
    /// Why the stars cannot be changed (the star file is unreadable), for the banner.
    pub read_only: Option<String>,
    /// Stars changed here that are not on disk yet, and why.
    pub unsaved: Option<String>,
    /// Why the star file could not be read again, as last said: the loop reports it at
    /// every look, and saying it once keeps it from hiding later messages ("q again…").
    store_broken: Option<String>,
    /// Why the calendar is an offline copy, and how old, for the banner.
    pub source_note: Option<String>,
    /// A fetch of the calendar is under way.
    pub refreshing: bool,
    /// Whether the calendar may be fetched again (`--offline`: never).
    network: Network,
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
    pub screen: Screen,
    /// The view help was opened from: it lists that view's keys, and closing it goes back
    /// there.
    pub help_for: Context,
    help_return: Mode,
    /// Index into [`ZOOMS`].
    pub zoom: usize,
    /// Show only starred sessions.
    pub starred_only: bool,
    /// Tracks by how many sessions carry them (their colours go by this order).
    pub tracks: Vec<(String, usize)>,
    /// The filter, the sessions hidden one by one, the filter popup.
    pub filtering: filter::Filtering,
    /// Counts of the calendar's tracks, rooms and types.
    census: filter::Census,
    pub search: search::SearchState,
    pub agenda_cursor: usize,
    pub now_next_cursor: usize,
    /// In Now & next, the cursor is on the next column (else on what is on now).
    pub now_next_on_next: bool,
    /// The saved calendars (the picker), and its cursor.
    pub calendars: Vec<CalendarChoice>,
    pub calendars_cursor: usize,
    pub detail_scroll: u16,
    pub help_scroll: u16,
    pub message: Option<Message>,
    /// Flag tight changes of room shorter than this.
    pub min_gap: Option<Duration>,
    /// The terminal's size.
    pub size: (u16, u16),
    pub scroll: GridScroll,
    /// A second session to keep in view with the selection (the other side of a clash):
    /// (the selection it goes with, the partner).
    pub partner: Option<(usize, usize)>,
    fitted: Option<FitKey>,
    /// Whether anything has been done since opening: before, a size or zoom given (the
    /// terminal's real size comes after the app is made) opens at now again, as if it had
    /// been known first.
    opened: Opened,
    quitting: Quitting,
    /// Effects decided along the way (a filter cleared to show a session), handed out with
    /// the next update's.
    pending: Vec<Effect>,
    /// Positions of each day's sessions, in [`App::days`]' order.
    by_day: Vec<Vec<usize>>,
    /// The layout of the day shown (`layout_day`), and of other days seen since the filter
    /// last changed.
    layout: DayLayout,
    layout_day: usize,
    other_days: HashMap<usize, DayLayout>,
    rank: HashMap<String, usize>,
}

/// Whether the user asked to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quitting {
    No,
    /// `q` was pressed with stars not saved: the next `q` quits anyway.
    Asked,
    Yes,
}

impl App {
    /// The app on `calendar`, with its stars (or read-only, saying why), opened at now when
    /// now falls within the conference.
    pub fn new(calendar: Calendar, stars: Result<Stars, String>, clock: Clock) -> Self {
        let (stars, read_only) = match stars {
            Ok(stars) => (stars, None),
            Err(reason) => (
                Stars::new(),
                Some(crate::calendar::text::sanitize_line(&reason)),
            ),
        };
        let census = filter::Census::of(&calendar);
        let rank = room_rank(&census);
        let (days, by_day) = sessions_by_day(&calendar);
        let tracks = census.tracks.clone();
        let calendar = Arc::new(calendar);
        let search = search::SearchState::new(&calendar);
        let filtering = filter::Filtering::new(&census, Filter::default(), BTreeSet::new());
        let mut app = Self {
            calendar,
            keymap: Keymap::default(),
            stars,
            read_only,
            unsaved: None,
            store_broken: None,
            source_note: None,
            refreshing: false,
            network: Network::Online,
            changes: Vec::new(),
            changes_scroll: 0,
            clock,
            plan: PlanIndex::default(),
            agenda_rows: Vec::new(),
            days,
            day: 0,
            selected: None,
            mode: Mode::Browse,
            screen: Screen::Grid,
            help_for: Context::Grid,
            help_return: Mode::Browse,
            zoom: 0,
            starred_only: false,
            tracks,
            filtering,
            census,
            search,
            agenda_cursor: 0,
            now_next_cursor: 0,
            now_next_on_next: false,
            calendars: Vec::new(),
            calendars_cursor: 0,
            detail_scroll: 0,
            help_scroll: 0,
            message: None,
            min_gap: None,
            size: (80, 24),
            scroll: GridScroll::default(),
            partner: None,
            fitted: None,
            opened: Opened::Moved,
            quitting: Quitting::No,
            pending: Vec::new(),
            by_day: Vec::new(),
            layout: DayLayout::empty(),
            layout_day: usize::MAX,
            other_days: HashMap::new(),
            rank,
        };
        app.by_day = by_day;
        app.refresh_plan();
        app.open_at_now();
        if !app.changes.is_empty() {
            app.mode = Mode::Changes;
        }
        app
    }

    /// `--offline`: `r` fetches nothing, and the banner does not offer it.
    pub fn set_offline(&mut self, offline: bool) {
        self.network = if offline {
            Network::Offline
        } else {
            Network::Online
        };
    }

    /// Whether `--offline` was given.
    pub fn offline(&self) -> bool {
        self.network == Network::Offline
    }

    /// Says the calendar is an offline copy (shown as a banner).
    pub fn set_source_note(&mut self, note: Option<String>) {
        self.source_note = note;
    }

    /// Flags changes of room with less than `gap` between starred sessions.
    pub fn set_min_gap(&mut self, gap: Duration) {
        self.min_gap = Some(gap);
        self.refresh_plan();
    }

    /// Takes over what the user set in `old` (keys, size, zoom, view, the gap to flag):
    /// when switching to another calendar.
    pub fn keep_settings_of(&mut self, old: &App) {
        self.keymap = old.keymap.clone();
        self.network = old.network;
        self.size = old.size;
        self.zoom = old.zoom;
        self.screen = old.screen;
        if let Some(gap) = old.min_gap {
            self.set_min_gap(gap);
        }
        self.refit();
    }

    /// Starts at this zoom: minutes a row, one of [`ZOOMS`] (the nearest when not).
    pub fn set_zoom_minutes(&mut self, minutes: i64) {
        self.zoom = ZOOMS
            .iter()
            .enumerate()
            .min_by_key(|(_, z)| (**z - minutes).abs())
            .map_or(0, |(i, _)| i);
        self.refit();
    }

    /// Keeps the selection in view after a change of size or zoom; before anything has been
    /// done, opens at now again for it.
    fn refit(&mut self) {
        self.fitted = None;
        self.place_opening();
        self.fit();
    }

    /// Uses these keys (defaults plus a user's configuration).
    pub fn set_keymap(&mut self, keymap: Keymap) {
        self.keymap = keymap;
    }

    /// The layout of the day shown.
    pub fn layout(&self) -> &DayLayout {
        &self.layout
    }

    /// The stars of this calendar.
    pub fn stars(&self) -> &Stars {
        &self.stars
    }

    pub fn should_quit(&self) -> bool {
        self.quitting == Quitting::Yes
    }

    pub fn minutes_per_row(&self) -> i64 {
        ZOOMS[self.zoom]
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.selected.and_then(|i| self.calendar.sessions.get(i))
    }

    /// The context keys are read in now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse => match self.screen {
                Screen::Grid => Context::Grid,
                Screen::List => Context::List,
            },
            Mode::Details => Context::Details,
            Mode::Search => Context::Search,
            Mode::Agenda => Context::Agenda,
            Mode::Filter => Context::Filter,
            Mode::NowNext => Context::NowNext,
            Mode::Help => Context::Help,
            Mode::Changes => Context::Changes,
            Mode::Calendars => Context::Calendars,
        }
    }

    /// What a key means here: a command, text typed into the search box, or nothing.
    pub fn action_for_key(&self, key: &crossterm::event::KeyEvent) -> Option<Action> {
        use crossterm::event::{KeyCode, KeyModifiers};
        if self.typing()
            && let KeyCode::Char(ch) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::Type(ch));
        }
        if let Some(command) = self.keymap.lookup(self.context(), key) {
            return Some(Action::Command(command));
        }
        match key.code {
            KeyCode::Char(ch)
                if self.mode == Mode::Search
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(Action::Type(ch))
            }
            _ => None,
        }
    }

    /// Whether plain characters are typed text now (finding a filter entry by name), before
    /// any key the view binds.
    fn typing(&self) -> bool {
        self.mode == Mode::Filter && self.filtering.finding.is_some()
    }

    /// Whether and why a session is shown: the filter and the hidden sessions, but starred
    /// sessions always are (with `*`, only they are).
    pub fn visibility(&self, index: usize) -> Visibility {
        let starred = self.plan.is_starred(index);
        let Some(s) = self.calendar.sessions.get(index) else {
            return Visibility::HiddenByFilter;
        };
        match self.filtering.visibility(s, starred) {
            _ if self.starred_only && !starred => Visibility::HiddenByFilter,
            Visibility::ShownStarred if self.starred_only => Visibility::Shown,
            v => v,
        }
    }

    /// Whether a session is shown.
    pub fn visible(&self, index: usize) -> bool {
        self.visibility(index).is_shown()
    }

    /// Whether a session is shown only because it is starred (a filter, or `x`, hides it).
    pub fn shown_because_starred(&self, index: usize) -> bool {
        self.visibility(index) == Visibility::ShownStarred
    }

    /// Whether the user hid this session (it shows only with `X`, or when starred).
    pub fn is_hidden(&self, index: usize) -> bool {
        self.calendar
            .sessions
            .get(index)
            .is_some_and(|s| self.filtering.hidden.contains(s.id.as_str()))
    }

    /// Whether a filter or hidden sessions keep anything out of view.
    pub fn filter_on(&self) -> bool {
        self.filtering.is_on()
    }

    /// Starts with the filter and hidden sessions the star file remembers for this calendar.
    pub fn restore_filter(&mut self, filter: Filter, hidden: BTreeSet<String>) {
        let chosen = self.selected;
        self.filtering = filter::Filtering::new(&self.census, filter, hidden);
        self.relayout();
        if matches!(self.opened, Opened::AtNow { .. }) && chosen.is_some_and(|i| !self.visible(i)) {
            // Still opening, and the session chosen as on now is hidden now: what is on now
            // among the sessions shown, not the first of the day. (Otherwise the choice
            // stands: a filter only takes sessions away.)
            self.open_at_now();
        }
        self.fit();
    }

    /// The mode whose view is drawn: under help, the one help was opened from.
    pub fn beneath_help(&self) -> Mode {
        if self.mode == Mode::Help {
            self.help_return
        } else {
            self.mode
        }
    }

    /// Number of starred sessions (including those gone from the schedule).
    pub fn starred_count(&self) -> usize {
        self.plan.starred_list.len() + self.plan.missing.len()
    }

    /// The screen's areas, from its size and the banners shown.
    pub fn areas(&self) -> viewport::Areas {
        let (width, height) = self.size;
        viewport::Areas::new(Rect::new(0, 0, width, height), self.banner_rows())
    }

    /// Rows of banners: read-only stars, unsaved stars, an offline copy, a fetch under way.
    pub fn banner_rows(&self) -> u16 {
        u16::from(self.read_only.is_some())
            + u16::from(self.source_note.is_some() || self.refreshing)
    }

    /// The grid's parts on the screen.
    pub fn grid_areas(&self) -> viewport::GridAreas {
        viewport::GridAreas::new(self.areas().main, !self.layout.background.is_empty())
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
        let plan = Plan::new(&self.calendar, Some(&self.stars), self.min_gap);
        self.plan = PlanIndex::new(&plan);
        self.changes = crate::export::changes::report(&plan);
        self.agenda_rows = agenda::rows(&self.calendar, &plan);
        let selectable = self.agenda_rows.iter().filter(|r| r.selectable()).count();
        self.agenda_cursor = self.agenda_cursor.min(selectable.saturating_sub(1));
        if self.starred_only
            || !self.filtering.filter.is_empty()
            || !self.filtering.hidden.is_empty()
        {
            self.relayout();
        }
    }

    /// The layout of day `day`, worked out from that day's sessions alone.
    fn compute_layout(&self, day: usize) -> DayLayout {
        let date = self.days.get(day).copied().unwrap_or_default();
        let sessions = self.by_day.get(day).map_or(&[][..], Vec::as_slice);
        let rank: HashMap<&str, usize> = self.rank.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        DayLayout::new(&self.calendar, date, sessions, |i| self.visible(i), &rank)
    }

    /// Lays out the day shown again, and forgets the other days' layouts (after a change of
    /// filter, of the stars shown, or of the calendar).
    fn relayout(&mut self) {
        self.other_days.clear();
        self.layout = self.compute_layout(self.day);
        self.layout_day = self.day;
        self.after_layout();
    }

    /// Shows day `day`: its layout from the cache when it was laid out before.
    fn show_day(&mut self, day: usize) {
        self.day = day;
        if self.layout_day == day {
            return;
        }
        let layout = self
            .other_days
            .remove(&day)
            .unwrap_or_else(|| self.compute_layout(day));
        let old = std::mem::replace(&mut self.layout, layout);
        if self.layout_day != usize::MAX {
            self.other_days.insert(self.layout_day, old);
        }
        self.layout_day = day;
        self.after_layout();
    }

    /// The selection stays if still shown, else the first session; the view is refitted.
    fn after_layout(&mut self) {
        if self.selected.is_some_and(|i| self.layout.spot(i).is_none()) {
            self.selected = self.layout.first();
        }
        self.fitted = None;
    }

    /// Shows a newly loaded version of the calendar: the same day and session where they
    /// still exist, and what changed for the starred sessions.
    pub fn replace_calendar(&mut self, calendar: Calendar, note: Option<String>) {
        let selected_id = self.selected_session().map(|s| s.id.clone());
        let date = self.days.get(self.day).copied();
        let old_count = self.calendar.sessions.len();
        let same = calendar.sessions == self.calendar.sessions;
        self.calendar = Arc::new(calendar);
        // What the loader noted (the server not reached and the offline copy read again, a
        // copy that could not be kept) says more than "has not changed", which it may not
        // know.
        let noted = note.clone().filter(|_| same);
        self.source_note = note;
        self.census = filter::Census::of(&self.calendar);
        self.rank = room_rank(&self.census);
        (self.days, self.by_day) = sessions_by_day(&self.calendar);
        self.tracks = self.census.tracks.clone();
        let filtering = std::mem::take(&mut self.filtering);
        self.filtering = filter::Filtering::new(&self.census, filtering.filter, filtering.hidden);
        self.filtering.show_hidden = filtering.show_hidden;
        self.search = search::SearchState::new(&self.calendar);
        self.day = date
            .and_then(|d| self.days.iter().position(|x| *x == d))
            .unwrap_or(0);
        self.refresh_plan();
        self.relayout();
        self.selected = selected_id
            .and_then(|id| self.calendar.position(&id))
            .filter(|&i| self.layout.spot(i).is_some())
            .or_else(|| self.layout.first());
        if !self.changes.is_empty() {
            self.mode = Mode::Changes;
            self.changes_scroll = 0;
            // The report says what came of the fetch; "fetching…" is over.
            self.message = None;
        } else if let Some(why) = noted {
            self.say(why);
        } else if same {
            self.say("the schedule has not changed");
        } else {
            self.say(format!(
                "schedule updated: {} sessions (was {old_count}); nothing you starred changed",
                self.calendar.sessions.len()
            ));
        }
    }

    /// Reports from the event loop.
    pub fn on_msg(&mut self, msg: Msg) {
        match msg {
            Msg::Hidden(hidden) => {
                if hidden != self.filtering.hidden {
                    self.filtering.hidden = hidden;
                    self.relayout();
                }
            }
            Msg::Stars(stars) => {
                self.store_broken = None;
                if stars != self.stars {
                    self.stars = stars;
                    self.refresh_plan();
                }
            }
            Msg::Saved {
                merged_other_writer,
            } => {
                self.unsaved = None;
                if self.message.as_ref().is_some_and(|m| {
                    m.text.starts_with("not saved yet") || m.text.starts_with("q again")
                }) {
                    self.say("saved");
                }
                if self.quitting == Quitting::Asked {
                    self.quitting = Quitting::No;
                }
                if merged_other_writer && self.message.as_ref().is_none_or(|m| !m.error) {
                    self.say("saved (with changes another hallway made)");
                }
            }
            Msg::NotSaved(why) => {
                let why = crate::calendar::text::sanitize_line(&why);
                if self.unsaved.is_none() {
                    self.complain(format!("not saved yet: {why}"));
                }
                self.unsaved = Some(why);
            }
            Msg::StoreBroken(why) => {
                let why = crate::calendar::text::sanitize_line(&why);
                if self.store_broken.as_ref() != Some(&why) {
                    self.complain(why.clone());
                    self.store_broken = Some(why);
                }
            }
            Msg::Calendars(Ok(list)) => {
                self.calendars_cursor = list.iter().position(|c| c.current).unwrap_or(0);
                self.calendars = list;
                self.mode = Mode::Calendars;
            }
            Msg::Calendars(Err(why)) => self.complain(crate::calendar::text::sanitize_line(&why)),
            Msg::Switched(name) => self.say(format!("now showing {name} (C switches again)")),
            Msg::SwitchFailed(why) => {
                self.refreshing = false;
                self.complain(format!(
                    "could not switch: {}",
                    crate::calendar::text::sanitize_line(&why)
                ));
            }
            // The address first, where the footer does not cut it, to copy by hand.
            Msg::OpenFailed { url, why } => self.complain(format!(
                "no browser for {} ({}; set BROWSER)",
                crate::calendar::text::sanitize_line(&url),
                crate::calendar::text::sanitize_line(&why)
            )),
            Msg::Refreshed(result) => {
                self.refreshing = false;
                match result {
                    Ok((calendar, note)) => self.replace_calendar(*calendar, note),
                    Err(why) => self.complain(format!(
                        "not refreshed: {}",
                        crate::calendar::text::sanitize_line(&why)
                    )),
                }
            }
        }
        self.fit();
    }
}

/// Rooms ranked in the calendar's order (busiest first, or the schedule's own).
fn room_rank(census: &filter::Census) -> HashMap<String, usize> {
    census
        .rooms
        .iter()
        .enumerate()
        .map(|(i, (room, _))| (room.clone(), i))
        .collect()
}

/// The days that have sessions, in order, and the positions of each day's sessions: one
/// pass, each session's day worked out once.
fn sessions_by_day(calendar: &Calendar) -> (Vec<NaiveDate>, Vec<Vec<usize>>) {
    let mut by_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, s) in calendar.sessions.iter().enumerate() {
        by_day.entry(calendar.day_of(s)).or_default().push(i);
    }
    by_day.into_iter().unzip()
}

#[cfg(test)]
mod tests;
