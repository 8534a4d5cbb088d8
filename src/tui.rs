//! The terminal: raw mode, the alternate screen and mouse capture on the way in, and restored
//! on every way out (quit, error, panic before its message prints, SIGTERM/SIGHUP); and the
//! event loop, generic over ratatui's backend and the event source so tests can drive it.

use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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

use crate::app::{App, Effect, Msg};
use crate::calendar::Calendar;
use crate::ui::{self, Theme, View};

/// How often the loop wakes without input: the now-line moves, the star file is checked.
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

/// Opens URLs for [`Effect::OpenUrl`]: `$BROWSER` or the platform's opener, started
/// directly with the URL as its only argument, never through a shell.
pub fn open_url(url: &str) -> Result<(), String> {
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
        .map_err(|e| format!("{program}: {e}"))
}

/// Loads the calendar again, for [`Effect::Refresh`]: the calendar and its offline note.
pub type Reload<'a> = &'a dyn Fn() -> Result<(Calendar, Option<String>), String>;

/// Runs effects the app asked for; returns whether it asked for a refresh (done by the loop,
/// after drawing, so the user sees it is under way).
fn perform(
    app: &mut App,
    effects: Vec<Effect>,
    opener: &dyn Fn(&str) -> Result<(), String>,
) -> bool {
    let mut refresh = false;
    for effect in effects {
        match effect {
            Effect::Save => {
                let msg = app.save();
                app.on_msg(msg);
            }
            Effect::OpenUrl(url) => {
                if let Err(why) = opener(&url) {
                    app.on_msg(Msg::OpenFailed(why));
                }
            }
            Effect::Refresh => refresh = true,
            Effect::Quit => {}
        }
    }
    refresh
}

/// What the loop reads from and does IO with: the terminal in the binary, scripts in tests.
pub struct Io<'a> {
    pub events: &'a mut dyn Events,
    /// Set by a signal: leave.
    pub stop: &'a AtomicBool,
    pub open_url: &'a dyn Fn(&str) -> Result<(), String>,
    pub reload: Reload<'a>,
}

/// The loop: draw, wait for an event or a tick, update, carry out effects; until quit or a
/// stop signal.
///
/// # Errors
/// Drawing or reading events failed.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    view: &mut View,
    theme: Theme,
    io: &mut Io,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut last_reload = Instant::now();
    loop {
        terminal.draw(|frame| ui::render(frame, app, view, theme))?;
        // Lets the tests check that a panic restores the terminal before its message.
        assert!(
            !(cfg!(debug_assertions) && std::env::var_os("HALLWAY_TEST_PANIC").is_some()),
            "test panic after the first frame"
        );
        app.page_minutes = i64::from(view.grid.rows.max(1)) * app.minutes_per_row();
        if app.should_quit() || io.stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match io.events.next(TICK)? {
            Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                let effects = app.on_key(key);
                if perform(app, effects, io.open_url) {
                    terminal.draw(|frame| ui::render(frame, app, view, theme))?;
                    match (io.reload)() {
                        Ok((calendar, note)) => app.replace_calendar(calendar, note),
                        Err(why) => app.on_msg(Msg::RefreshFailed(why)),
                    }
                }
            }
            Some(Event::Mouse(mouse)) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    if let Some(index) = view.grid.target(mouse.column, mouse.row) {
                        app.select(index);
                    }
                }
                MouseEventKind::ScrollUp => view.grid.scroll(-3, app.minutes_per_row()),
                MouseEventKind::ScrollDown => view.grid.scroll(3, app.minutes_per_row()),
                _ => {}
            },
            // A resize redraws at the next turn; a tick just redraws (the now-line moves).
            _ => {}
        }
        if last_reload.elapsed() >= RELOAD_EVERY {
            last_reload = Instant::now();
            if let Some(msg) = app.reload_store() {
                app.on_msg(msg);
            }
        }
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

/// Runs the TUI on `app` in this process's terminal.
///
/// # Errors
/// Standard output is not a terminal, or the terminal failed.
pub fn run(mut app: App, reload: Reload) -> anyhow::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        anyhow::bail!(
            "the programme view needs a terminal; for text output use 'hallway print --all'"
        );
    }
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    let mut terminal = match enter() {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(e.into());
        }
    };
    let mut view = View::default();
    let mut io = Io {
        events: &mut TerminalEvents,
        stop: &stop,
        open_url: &open_url,
        reload,
    };
    let result = event_loop(
        &mut terminal,
        &mut app,
        &mut view,
        Theme::from_env(),
        &mut io,
    );
    restore();
    result
}
