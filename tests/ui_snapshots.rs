//! Screens as the user sees them: the UI drawn into ratatui's `TestBackend` at 80×24 and
//! 160×48, with a fixed clock (11:20 in Paris on day 1) and a fixed set of stars, compared
//! with golden files under `tests/snapshots/`.

use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::{App, Mode};
use hallway::calendar::Calendar;
use hallway::clock::Clock;
use hallway::plan::Store;
use hallway::ui::{self, Theme, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";
const LIGHTS: &str = "8fc71bd0fc057864e02da6513c64cbfd";
const KEYNOTE: &str = "5ec9e9dc8299c28c6cd041cf069866bf";

fn app(dir: &std::path::Path) -> App {
    let cal = Calendar::bundled(None, Tz::UTC);
    let mut store = Store::open(dir).unwrap();
    let starred_at = "2026-04-01T08:00:00Z".parse().unwrap();
    for id in [HELION, LIGHTS, KEYNOTE] {
        store.star(&cal.key, &cal.name, cal.get(id).unwrap(), starred_at);
    }
    store.save().unwrap();
    let store = Store::open(dir).map_err(|e| e.to_string());
    App::new(
        cal,
        store,
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
    )
}

fn press(app: &mut App, codes: &[KeyCode]) {
    for &code in codes {
        app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut view = View::default();
    terminal
        .draw(|f| ui::render(f, app, &mut view, Theme { color: false }))
        .unwrap();
    terminal.backend().to_string()
}

fn select(app: &mut App, id: &str) {
    let index = app.calendar.position(id).unwrap();
    app.go_to(index);
}

#[test]
fn grid() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    insta::assert_snapshot!("grid_80x24", draw(&app, 80, 24));
    select(&mut app, HELION);
    insta::assert_snapshot!("grid_helion_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("grid_helion_160x48", draw(&app, 160, 48));
}

#[test]
fn details() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    select(&mut app, HELION);
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.mode, Mode::Details);
    insta::assert_snapshot!("details_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("details_160x48", draw(&app, 160, 48));
}

#[test]
fn agenda() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    press(&mut app, &[KeyCode::Char('a')]);
    insta::assert_snapshot!("agenda_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("agenda_160x48", draw(&app, 160, 48));
}

#[test]
fn search() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    press(&mut app, &[KeyCode::Char('/')]);
    for ch in "helion".chars() {
        press(&mut app, &[KeyCode::Char(ch)]);
    }
    insta::assert_snapshot!("search_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("search_160x48", draw(&app, 160, 48));
}

#[test]
fn help_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    press(&mut app, &[KeyCode::Char('?')]);
    insta::assert_snapshot!("help_80x24", draw(&app, 80, 24));
    insta::assert_snapshot!("help_160x48", draw(&app, 160, 48));
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('f'), KeyCode::Enter],
    );
    insta::assert_snapshot!("filter_80x24", draw(&app, 80, 24));
}

#[test]
fn small_terminals_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let tiny = draw(&app, 39, 9);
    assert!(tiny.contains("Terminal too small: 39×9"), "{tiny}");
    // Every size from the smallest up draws without panicking.
    for (w, h) in [
        (1, 1),
        (40, 10),
        (41, 11),
        (60, 15),
        (79, 23),
        (119, 30),
        (120, 30),
        (250, 80),
    ] {
        draw(&app, w, h);
    }
    let read_only = App::new(
        Calendar::bundled(None, Tz::UTC),
        Err("starred.json: not a valid star file (EOF); hallway will not overwrite it".into()),
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
    );
    insta::assert_snapshot!("read_only_80x24", draw(&read_only, 80, 24));
}

#[test]
fn resizing_keeps_the_selection_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    select(&mut app, HELION);
    let mut view = View::default();
    for (w, h) in [(200, 60), (80, 24), (60, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| ui::render(f, &app, &mut view, Theme { color: false }))
            .unwrap();
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Helion"), "{w}×{h}:\n{screen}");
    }
}
