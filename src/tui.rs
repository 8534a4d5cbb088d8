//! The terminal: raw mode, the alternate screen and mouse capture on the way in, and restored
//! on every way out (quit, error, panic before its message prints, SIGTERM/SIGHUP); and the
//! event loop. The loop owns everything that does IO — the star file, the fetcher, the
//! browser — and the app stays pure: events become actions, the app's effects are carried out
//! here, and their results go back to it as messages. [`Runner::step`] takes one event, so
//! tests drive the loop in process with a `TestBackend`.

use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};

use std::path::PathBuf;

use ratatui::style::Color;

use crate::app::{Action, App, CalendarChoice, Effect, Msg, Stars};
use crate::calendar::Calendar;
use crate::calendar::source::Source;
use crate::calendars::Calendars;
use crate::clock::Clock;
use crate::plan::Store;
use crate::ui::{self, Theme, View};

/// How often the loop wakes without input: the now-line moves, saves are retried.
const TICK: Duration = Duration::from_millis(250);
/// How often the star file is checked for another process's changes.
const RELOAD_EVERY: Duration = Duration::from_millis(500);

/// Where events come from: the terminal, or a script in tests.
pub trait Events {
    /// The next event, or `None` when `timeout` passed without one.
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
}

/// The real terminal's events.
pub struct TerminalEvents;

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// The browser could not be started.
#[derive(Debug, thiserror::Error)]
#[error("{program}: {source}")]
pub struct OpenUrlError {
    pub program: String,
    pub source: io::Error,
}

/// Why the programme view cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the programme view needs a terminal; for text output use 'hallway print --all'")]
    NoTerminal,
    #[error("the terminal: {0}")]
    Terminal(#[from] io::Error),
}

/// Opens URLs for [`Effect::OpenUrl`]: `$BROWSER` or the platform's opener, started
/// directly with the URL as its only argument, never through a shell.
pub fn open_url(url: &str) -> Result<(), OpenUrlError> {
    let program = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open".to_owned()
            } else {
                "xdg-open".to_owned()
            }
        });
    std::process::Command::new(&program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|source| OpenUrlError { program, source })
}

/// Loads a calendar from a source, on a worker thread (a refresh, a switch to another saved
/// calendar): the calendar and its offline note, or why not.
pub type Open = Arc<dyn Fn(&Source) -> anyhow::Result<(Calendar, Option<String>)> + Send + Sync>;

/// The IO the loop does besides the star file.
pub struct Io<'a> {
    pub events: &'a mut dyn Events,
    /// Set by a signal: leave.
    pub stop: &'a AtomicBool,
    pub open_url: &'a dyn Fn(&str) -> Result<(), OpenUrlError>,
    pub open: Open,
}

/// The app with everything that does IO for it: the star file, results of background work.
pub struct Runner {
    pub app: App,
    pub view: View,
    pub theme: Theme,
    /// `None` when the star file cannot be used (the app is read-only then).
    store: Option<Store>,
    /// Where the calendar shown comes from (refreshes read it again).
    pub source: Source,
    /// Where the saved calendars are listed (`calendars.json`), for the picker.
    pub data_dir: Option<PathBuf>,
    /// The theme before track colours, and the colours a user gave tracks by name: a new
    /// calendar has other tracks.
    base_theme: Theme,
    track_colors: Vec<(String, Color)>,
    sender: Sender<Loaded>,
    receiver: Receiver<Loaded>,
    last_reload: Instant,
    /// Effects asked for before the loop ran, carried out at its first step.
    queued: Vec<Effect>,
}

/// What a worker thread reports.
enum Loaded {
    /// A refresh of the calendar shown.
    Refreshed(Result<(Box<Calendar>, Option<String>), String>),
    /// Another calendar, switched to.
    Switched(Source, Result<(Box<Calendar>, Option<String>), String>),
}

impl Runner {
    /// The app on `calendar` with the stars of `store` (stars of re-published sessions moved
    /// to their new ids first), or read-only when the store cannot be used.
    pub fn new(
        calendar: Calendar,
        store: Result<Store, String>,
        clock: Clock,
        theme: Theme,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let mut store = store;
        let mut note = None;
        if let Ok(s) = store.as_mut()
            && crate::plan::changes::carry_over(s, &calendar) > 0
            && let Err(e) = s.save()
        {
            note = Some(format!("not saved yet: {e}"));
        }
        let stars: Result<Stars, String> = match &store {
            Ok(s) => Ok(s.stars(&calendar.key).cloned().unwrap_or_default()),
            Err(why) => Err(why.clone()),
        };
        let mut app = App::new(calendar, stars, clock);
        if let Ok(s) = &store {
            let key = &app.calendar.key;
            app.restore_filter(s.filter(key), s.hidden(key).clone());
        }
        if let Some(note) = note {
            app.on_msg(Msg::NotSaved(note));
        }
        Self {
            app,
            view: View::default(),
            theme,
            store: store.ok(),
            source: Source::Bundled,
            data_dir: None,
            base_theme: theme,
            track_colors: Vec::new(),
            sender,
            receiver,
            last_reload: Instant::now(),
            queued: Vec::new(),
        }
    }

    /// Fetches the calendar again in the background as soon as the loop runs (it was opened
    /// from its offline copy, so as not to wait for the network).
    pub fn refresh_at_start(&mut self) {
        let effects = self
            .app
            .update(Action::Command(crate::app::Command::Refresh));
        self.queued.extend(effects);
    }

    /// Colours tracks by name (a user's configuration), on this and every later calendar.
    pub fn set_track_colors(&mut self, colors: Vec<(String, Color)>) {
        self.track_colors = colors;
        self.recolour();
    }

    fn recolour(&mut self) {
        self.theme = self.base_theme.with_track_colors(
            &self.app.tracks,
            self.track_colors.iter().map(|(t, c)| (t.as_str(), *c)),
        );
    }

    /// Draws the screen.
    ///
    /// # Errors
    /// The terminal failed.
    pub fn draw<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        let (app, view, theme) = (&self.app, &mut self.view, self.theme);
        terminal.draw(|frame| ui::render(frame, app, view, theme))?;
        Ok(())
    }

    /// Takes one event (`None`: time passed), carries out what the app asks, and hands it
    /// the results.
    pub fn step(&mut self, event: Option<&Event>, io: &Io) {
        if !self.queued.is_empty() {
            let queued = std::mem::take(&mut self.queued);
            self.perform(queued, io);
        }
        let action = match event {
            Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                self.app.action_for_key(key)
            }
            Some(Event::Mouse(mouse)) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => self
                    .view
                    .grid
                    .target(mouse.column, mouse.row)
                    .map(Action::Select),
                MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
                MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
                _ => None,
            },
            Some(&Event::Resize(width, height)) => Some(Action::Resize { width, height }),
            None => Some(Action::Tick),
            Some(_) => None,
        };
        if let Some(action) = action {
            let effects = self.app.update(action);
            self.perform(effects, io);
        }
        while let Ok(msg) = self.receiver.try_recv() {
            self.receive(msg);
        }
        if self.last_reload.elapsed() >= RELOAD_EVERY {
            self.last_reload = Instant::now();
            self.watch_store();
        }
    }

    /// Carries out the app's effects.
    fn perform(&mut self, effects: Vec<Effect>, io: &Io) {
        let mut save = false;
        for effect in effects {
            match effect {
                Effect::Star(id) => {
                    if let (Some(store), Some(session)) =
                        (self.store.as_mut(), self.app.calendar.get(&id))
                    {
                        let cal = &self.app.calendar;
                        store.star(&cal.key, &cal.name, session, self.app.now());
                        save = true;
                    }
                }
                Effect::Unstar(id) => {
                    if let Some(store) = self.store.as_mut() {
                        store.unstar(&self.app.calendar.key, &id);
                        save = true;
                    }
                }
                Effect::Acknowledge => {
                    if let Some(store) = self.store.as_mut() {
                        crate::plan::changes::acknowledge(store, &self.app.calendar);
                        save = true;
                    }
                }
                Effect::Hide(id) => {
                    if let Some(store) = self.store.as_mut() {
                        let cal = &self.app.calendar;
                        store.hide(&cal.key, &cal.name, &id);
                        save = true;
                    }
                }
                Effect::Unhide(id) => {
                    if let Some(store) = self.store.as_mut() {
                        store.unhide(&self.app.calendar.key, &id);
                        save = true;
                    }
                }
                Effect::SetFilter(filter) => {
                    if let Some(store) = self.store.as_mut() {
                        let cal = &self.app.calendar;
                        store.set_filter(&cal.key, &cal.name, &filter);
                        save = true;
                    }
                }
                Effect::OpenUrl(url) => {
                    if let Err(why) = (io.open_url)(&url) {
                        self.app.on_msg(Msg::OpenFailed {
                            url,
                            why: why.to_string(),
                        });
                    }
                }
                Effect::Refresh => {
                    self.load_in_background(io, self.source.clone(), false);
                }
                Effect::ListCalendars => {
                    let list = self.calendar_choices();
                    self.app.on_msg(Msg::Calendars(list));
                }
                Effect::SwitchCalendar(name) => match self.choose_calendar(&name) {
                    Ok(source) => self.load_in_background(io, source, true),
                    Err(why) => self.app.on_msg(Msg::SwitchFailed(why)),
                },
                Effect::Quit => {}
            }
        }
        if save {
            self.send_stars();
            self.save();
        }
    }

    /// Loads `source` on a worker thread: a refresh of the calendar shown, or a switch to
    /// another. Abandoned if the user quits first: the process ends without waiting.
    fn load_in_background(&self, io: &Io, source: Source, switch: bool) {
        let open = Arc::clone(&io.open);
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let result = open(&source)
                .map(|(calendar, note)| (Box::new(calendar), note))
                .map_err(|e| format!("{e:#}"));
            let _ = sender.send(if switch {
                Loaded::Switched(source, result)
            } else {
                Loaded::Refreshed(result)
            });
        });
    }

    /// The saved calendars, for the picker.
    fn calendar_choices(&self) -> Result<Vec<CalendarChoice>, String> {
        let dir = self
            .data_dir
            .as_ref()
            .ok_or_else(|| "no saved calendars here".to_owned())?;
        let calendars = Calendars::open(dir).map_err(|e| e.to_string())?;
        Ok(calendars
            .list()
            .into_iter()
            .map(|l| CalendarChoice {
                current: l.source == self.source,
                source: match &l.source {
                    Source::Bundled => "built in".to_owned(),
                    Source::Stdin => "standard input".to_owned(),
                    Source::File(path) => path.display().to_string(),
                    Source::Url(url) => url.clone(),
                },
                name: l.name,
            })
            .collect())
    }

    /// Makes the saved calendar `name` the current one; where to read it from.
    fn choose_calendar(&self, name: &str) -> Result<Source, String> {
        let dir = self
            .data_dir
            .as_ref()
            .ok_or_else(|| "no saved calendars here".to_owned())?;
        let mut calendars = Calendars::open(dir).map_err(|e| e.to_string())?;
        let found = calendars.find(name).map_err(|e| e.to_string())?;
        calendars
            .set_current(found.name())
            .map_err(|e| e.to_string())?;
        Ok(found.source())
    }

    /// Shows another calendar: a new app on it, with this one's settings and the stars, filter
    /// and hidden sessions the star file keeps for it.
    fn switch_to(&mut self, source: Source, calendar: Calendar, note: Option<String>) {
        let store = match self.store.as_mut() {
            Some(s) => {
                if crate::plan::changes::carry_over(s, &calendar) > 0 {
                    let _ = s.try_save();
                }
                Ok(&*s)
            }
            None => Err(self.app.read_only.clone().unwrap_or_default()),
        };
        let stars = store.map(|s| s.stars(&calendar.key).cloned().unwrap_or_default());
        let restored = self
            .store
            .as_ref()
            .map(|s| (s.filter(&calendar.key), s.hidden(&calendar.key).clone()));
        let mut app = App::new(calendar, stars, self.app.clock);
        app.keep_settings_of(&self.app);
        if let Some((filter, hidden)) = restored {
            app.restore_filter(filter, hidden);
        }
        app.set_source_note(note);
        let name = app.calendar.name.clone();
        app.on_msg(Msg::Switched(name));
        self.app = app;
        self.source = source;
        self.view = View::default();
        self.recolour();
    }

    /// The store's stars and hidden sessions of this calendar, to the app.
    fn send_stars(&mut self) {
        if let Some(store) = &self.store {
            let key = &self.app.calendar.key;
            let stars = store.stars(key).cloned().unwrap_or_default();
            let hidden = store.hidden(key).clone();
            self.app.on_msg(Msg::Stars(stars));
            self.app.on_msg(Msg::Hidden(hidden));
        }
    }

    /// Writes pending stars without waiting for the lock (another hallway may hold it: then
    /// they stay pending and the tick retries); the app hears whether they are on disk.
    fn save(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if !store.is_dirty() {
            return;
        }
        let msg = match store.try_save() {
            Ok(saved) => {
                let merged = saved.merged_other_writer;
                self.send_stars();
                Msg::Saved {
                    merged_other_writer: merged,
                }
            }
            Err(crate::plan::StoreError::Busy { .. }) => {
                Msg::NotSaved("another hallway holds the star file's lock; trying again".into())
            }
            Err(e) => Msg::NotSaved(e.to_string()),
        };
        self.app.on_msg(msg);
    }

    /// A report from a worker thread.
    fn receive(&mut self, loaded: Loaded) {
        match loaded {
            Loaded::Switched(source, Ok((calendar, note))) => {
                self.switch_to(source, *calendar, note);
            }
            Loaded::Switched(_, Err(why)) => self.app.on_msg(Msg::SwitchFailed(why)),
            Loaded::Refreshed(result) => {
                let moved = match (&result, self.store.as_mut()) {
                    (Ok((calendar, _)), Some(store)) => {
                        crate::plan::changes::carry_over(store, calendar) > 0
                    }
                    _ => false,
                };
                self.app.on_msg(Msg::Refreshed(result));
                if moved {
                    self.send_stars();
                    self.save();
                }
            }
        }
    }

    /// Re-reads the star file when another process changed it; retries a pending save.
    fn watch_store(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        match store.reload_if_changed() {
            Ok(true) => self.send_stars(),
            Ok(false) => {}
            Err(e) => self.app.on_msg(Msg::StoreBroken(e.to_string())),
        }
        if self.app.unsaved.is_some() || self.store.as_ref().is_some_and(Store::is_dirty) {
            self.save();
        }
    }
}

/// The loop: draw, wait for an event or a tick, step; until quit or a stop signal.
///
/// # Errors
/// Drawing or reading events failed.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    runner: &mut Runner,
    io: &mut Io,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    runner.step(Some(&Event::Resize(size.width, size.height)), io);
    loop {
        runner.draw(terminal)?;
        // Lets the tests check that a panic restores the terminal before its message.
        assert!(
            !(cfg!(debug_assertions) && std::env::var_os("HALLWAY_TEST_PANIC").is_some()),
            "test panic after the first frame"
        );
        if runner.app.should_quit() || io.stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let event = io.events.next(TICK)?;
        runner.step(event.as_ref(), io);
    }
}

/// Puts the terminal back as it was. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal before a panic's message prints, then lets the message print.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

fn enter() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

/// On SIGTERM, SIGHUP or SIGINT: asks the loop to stop, and if it has not within half a
/// second (crossterm can spin reading a terminal that has gone away, and never return to the
/// loop), restores the terminal and exits from here. Stars are saved as they are made, so
/// nothing is lost.
fn watch_signals(stop: Arc<AtomicBool>) -> io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(500));
            restore();
            std::process::exit(0);
        }
    });
    Ok(())
}

/// Runs the TUI in this process's terminal.
///
/// # Errors
/// Standard output is not a terminal, or the terminal failed.
pub fn run(mut runner: Runner, open: Open) -> anyhow::Result<()> {
    // Keys come from standard input, or from /dev/tty when the calendar was piped in
    // (`curl … | hallway -c -`), as fzf and less do.
    if !io::stdout().is_terminal()
        || !(io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok())
    {
        return Err(TuiError::NoTerminal.into());
    }
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    let mut terminal = match enter() {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(TuiError::Terminal(e).into());
        }
    };
    let mut io = Io {
        events: &mut TerminalEvents,
        stop: &stop,
        open_url: &open_url,
        open,
    };
    let result = event_loop(&mut terminal, &mut runner, &mut io);
    restore();
    result
}
