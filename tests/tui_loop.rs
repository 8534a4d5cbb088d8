//! The event loop in process, driven through its `Events` seam with a scripted list of
//! terminal events and drawn into a `TestBackend`: what the user sees and what lands on disk.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono_tz::Tz;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use hallway::calendar::Calendar;
use hallway::clock::Clock;
use hallway::plan::Store;
use hallway::tui::{self, Events, Io, Runner};
use hallway::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";

/// Events from a script; when it runs out, time passes (ticks) until the loop ends.
struct Script(VecDeque<Event>);

impl Events for Script {
    fn next(&mut self, _timeout: Duration) -> io::Result<Option<Event>> {
        Ok(self.0.pop_front())
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(text: &str) -> Vec<Event> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn runner(dir: &std::path::Path) -> Runner {
    Runner::new(
        Calendar::bundled(None, Tz::UTC),
        Store::open(dir).map_err(|e| e.to_string()),
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
        Theme::new(false),
    )
}

/// Runs the loop on `events` in a thread; fails (rather than hangs) if it does not end.
fn run(
    mut runner: Runner,
    events: Vec<Event>,
    open: tui::Open,
    size: (u16, u16),
) -> (Runner, String) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        let stop = AtomicBool::new(false);
        let mut script = Script(events.into());
        let mut io = Io {
            events: &mut script,
            stop: &stop,
            open_url: &|_| Ok(()),
            open,
        };
        tui::event_loop(&mut terminal, &mut runner, &mut io).unwrap();
        let screen = terminal.backend().to_string();
        let _ = done.send((runner, screen));
    });
    finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the loop did not end")
}

fn no_reload() -> tui::Open {
    Arc::new(|_| Err(anyhow::anyhow!("no network in tests")))
}

#[test]
fn search_star_quit_lands_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut events = vec![key(KeyCode::Char('/'))];
    events.extend(typed("helion"));
    events.extend([
        key(KeyCode::Enter),
        key(KeyCode::Char('s')),
        key(KeyCode::Char('q')),
    ]);
    let (runner, screen) = run(runner(dir.path()), events, no_reload(), (100, 30));
    assert!(runner.app.should_quit());
    assert!(
        screen.contains("★ Helion"),
        "the star shows on its block: {screen}"
    );
    let store = Store::open(dir.path()).unwrap();
    let stars = store.stars(&runner.app.calendar.key).unwrap();
    assert!(stars.contains_key(HELION), "{stars:?}");
}

#[test]
fn a_click_selects_the_block_under_the_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let mut runner = runner(dir.path());
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let stop = AtomicBool::new(false);
    let mut script = Script(VecDeque::new());
    let io = Io {
        events: &mut script,
        stop: &stop,
        open_url: &|_| Ok(()),
        open: no_reload(),
    };
    runner.step(Some(&Event::Resize(100, 30)), &io);
    runner.draw(&mut terminal).unwrap();
    let target = runner
        .view
        .grid
        .drawn
        .iter()
        .find(|d| Some(d.shown) != runner.app.selected && d.column.is_some())
        .cloned()
        .unwrap();
    let click = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: target.rect.x + 2,
        row: target.rect.y,
        modifiers: KeyModifiers::NONE,
    });
    runner.step(Some(&click), &io);
    assert_eq!(runner.app.selected, Some(target.shown));
}

#[test]
fn a_stalled_fetch_never_blocks_the_keys_or_quitting() {
    let dir = tempfile::tempdir().unwrap();
    // A server that never answers: the fetch outlives the test.
    let stalled: tui::Open = Arc::new(|_| {
        std::thread::sleep(Duration::from_secs(3600));
        Err(anyhow::anyhow!("timed out"))
    });
    let events = vec![
        key(KeyCode::Char('r')),
        key(KeyCode::Down),
        key(KeyCode::Down),
        key(KeyCode::Char('q')),
    ];
    let before = runner(dir.path()).app.selected;
    let (runner, screen) = run(runner(dir.path()), events, stalled, (100, 30));
    assert!(runner.app.refreshing, "still fetching when q quit");
    assert_ne!(
        runner.app.selected, before,
        "the keys moved the selection meanwhile"
    );
    assert!(screen.contains("fetching the schedule"), "{screen}");
}

#[test]
fn a_finished_fetch_replaces_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let mut runner = runner(dir.path());
    let stop = AtomicBool::new(false);
    let mut script = Script(VecDeque::new());
    let io = Io {
        events: &mut script,
        stop: &stop,
        open_url: &|_| Ok(()),
        open: Arc::new(|_| {
            Ok((
                Calendar::bundled(None, Tz::UTC),
                Some("using a copy".into()),
            ))
        }),
    };
    runner.step(Some(&key(KeyCode::Char('r'))), &io);
    assert!(runner.app.refreshing);
    // Time passes until the worker's answer is in.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while runner.app.refreshing && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        runner.step(None, &io);
    }
    assert!(!runner.app.refreshing, "the fetch never ended");
    assert_eq!(runner.app.source_note.as_deref(), Some("using a copy"));
    let message = runner.app.message.clone().unwrap().text;
    // The copy was read again because the server was not reached: not "has not changed".
    assert_eq!(message, "using a copy");
}

#[test]
fn the_picker_switches_to_a_saved_calendar_in_place() {
    let dir = tempfile::tempdir().unwrap();
    // A saved calendar, current in calendars.json, read from a fixture file.
    let fixture = format!(
        "{}/tests/fixtures/recurrence.ics",
        env!("CARGO_MANIFEST_DIR")
    );
    let other = Calendar::parse(
        &std::fs::read(&fixture).unwrap(),
        &hallway::calendar::LoadOptions::new(&fixture, None, Tz::UTC),
    )
    .unwrap();
    let mut calendars = hallway::calendars::Calendars::open(dir.path()).unwrap();
    calendars
        .add(&hallway::calendars::Saved {
            name: "Team".into(),
            source: fixture.clone(),
            key: other.key.clone(),
            added: "2026-04-01T00:00:00Z".into(),
        })
        .unwrap();
    calendars.set_current("bundled").unwrap();
    let mut runner = runner(dir.path());
    runner.data_dir = Some(dir.path().to_path_buf());
    let stop = AtomicBool::new(false);
    let mut script = Script(VecDeque::new());
    let io = Io {
        events: &mut script,
        stop: &stop,
        open_url: &|_| Ok(()),
        open: Arc::new(|source| match source {
            hallway::calendar::source::Source::File(path) => {
                let bytes = std::fs::read(path)?;
                let options =
                    hallway::calendar::LoadOptions::new(path.display().to_string(), None, Tz::UTC);
                Ok((Calendar::parse(&bytes, &options)?, None))
            }
            _ => Err(anyhow::anyhow!("only files here")),
        }),
    };
    runner.step(Some(&Event::Resize(100, 30)), &io);
    runner.step(Some(&key(KeyCode::Char('C'))), &io);
    assert_eq!(runner.app.mode, hallway::app::Mode::Calendars);
    let names: Vec<&str> = runner
        .app
        .calendars
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(runner.app.calendars[0].current, "the bundled one is shown");
    runner.step(Some(&key(KeyCode::Down)), &io);
    runner.step(Some(&key(KeyCode::Enter)), &io);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while runner.app.calendar.key != other.key && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        runner.step(None, &io);
    }
    assert_eq!(runner.app.calendar.key, other.key, "switched in place");
    assert_eq!(runner.app.size, (100, 30), "settings carried over");
    let current = hallway::calendars::Calendars::open(dir.path()).unwrap();
    assert_eq!(
        current.current().map(|s| s.name.as_str()),
        Some("Team"),
        "and remembered"
    );
}
