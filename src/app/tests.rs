//! Update tests: sequences of keys and commands, and the state they leave.

use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::plan::Store;

fn at(s: &str) -> Clock {
    Clock::Fixed(s.parse().unwrap())
}

/// The bundled calendar on the morning of day 1, stars in a temporary directory.
fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).map_err(|e| e.to_string());
    let app = App::new(
        Calendar::bundled(None, Tz::UTC),
        store,
        at("2026-04-07T06:00:00Z"),
    );
    (app, dir)
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn keys(app: &mut App, text: &str) {
    for ch in text.chars() {
        key(app, KeyCode::Char(ch));
    }
}

fn title(app: &App) -> &str {
    app.selected_session().map_or("", |s| s.title.as_str())
}

fn find(app: &App, prefix: &str) -> usize {
    app.calendar
        .sessions
        .iter()
        .position(|s| s.title.starts_with(prefix))
        .unwrap()
}

#[test]
fn starts_on_the_first_session_of_the_day_shown() {
    let (app, _dir) = app();
    assert_eq!(app.day, 0);
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
    assert_eq!(app.mode, Mode::Grid);
    // On a conference day, that day is shown first.
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(
        Calendar::bundled(None, Tz::UTC),
        Store::open(dir.path()).map_err(|e| e.to_string()),
        at("2026-04-08T10:00:00Z"),
    );
    assert_eq!(app.day, 1);
}

#[test]
fn moving_up_down_left_right_and_across_days() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Down);
    assert!(title(&app).starts_with("Keynote: PyTorch Updates"));
    key(&mut app, KeyCode::Char('k'));
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
    // Above the first session: the strip of long sessions.
    key(&mut app, KeyCode::Up);
    assert_eq!(title(&app), "Registration & Badge Pick-Up");
    key(&mut app, KeyCode::Right);
    assert_eq!(title(&app), "Community Expo");
    key(&mut app, KeyCode::Down);
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
    app.go_to(find(&app, "Helion 1.0"));
    key(&mut app, KeyCode::Char('l'));
    assert_eq!(app.selected_session().unwrap().room, "Central Room");
    key(&mut app, KeyCode::Char('h'));
    assert!(title(&app).starts_with("Helion 1.0"));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.day, 1);
    let s = app.selected_session().unwrap();
    assert_eq!(s.room, "Master Stage", "same room on the next day");
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.day, 0);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.day, 0);
    assert_eq!(app.message.as_ref().unwrap().text, "this is the first day");
    key(&mut app, KeyCode::End);
    let last = app.selected_session().unwrap();
    assert_eq!(last.room, "Master Stage");
    key(&mut app, KeyCode::Home);
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
}

#[test]
fn star_saves_at_once_and_reports_a_clash() {
    let (mut app, dir) = app();
    app.go_to(find(&app, "Helion 1.0"));
    assert_eq!(key(&mut app, KeyCode::Char('s')), vec![Effect::Save]);
    let msg = app.save();
    assert_eq!(
        msg,
        Msg::Saved {
            merged_other_writer: false
        }
    );
    app.go_to(find(&app, "Lights, Camera"));
    key(&mut app, KeyCode::Char(' '));
    assert!(app.message.as_ref().unwrap().error);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("clashes with Helion 1.0")
    );
    app.save();
    assert_eq!(app.plan.clash_count, 2);
    let on_disk = Store::open(dir.path()).unwrap();
    assert_eq!(on_disk.stars(&app.calendar.key).unwrap().len(), 2);
    // Unstar.
    key(&mut app, KeyCode::Char('s'));
    app.save();
    assert_eq!(app.plan.clash_count, 0);
    assert_eq!(
        Store::open(dir.path())
            .unwrap()
            .stars(&app.calendar.key)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn next_clash_jumps_between_clashing_sessions() {
    let (mut app, _dir) = app();
    for t in ["Helion 1.0", "Lights, Camera", "Tour De Force"] {
        app.go_to(find(&app, t));
        key(&mut app, KeyCode::Char('s'));
    }
    app.go_to(find(&app, "Keynote: Co-Evolution"));
    key(&mut app, KeyCode::Char('c'));
    let first = title(&app).to_owned();
    key(&mut app, KeyCode::Char('c'));
    let second = title(&app).to_owned();
    assert_ne!(first, second);
    for t in [&first, &second] {
        assert!(t.starts_with("Helion") || t.starts_with("Lights"), "{t}");
    }
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(title(&app), first, "wraps around");
}

#[test]
fn search_as_you_type_and_jump() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(app.mode, Mode::Search);
    keys(&mut app, "helion");
    assert!(app.search.hits.len() >= 2);
    assert!(
        app.calendar.sessions[app.search.hits[0].index]
            .title
            .starts_with("Helion 1.0")
    );
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Grid);
    assert_eq!(title(&app), "Meet the Developers of Helion");
    // Esc leaves the selection where it was.
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "vllm ray");
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.search.query, "vllm ra");
    key(&mut app, KeyCode::Esc);
    assert_eq!(title(&app), "Meet the Developers of Helion");
    // Jumping to a session on another day shows that day.
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "vllm ray updates");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.day, 1);
    assert_eq!(title(&app), "Keynote: vLLM & Ray Updates");
}

#[test]
fn the_track_filter_hides_tracks_from_grid_and_search() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.mode, Mode::Filter);
    let keynotes = app
        .tracks
        .iter()
        .position(|(t, _)| t == "Keynote Sessions")
        .unwrap();
    for _ in 0..keynotes {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.filter_on());
    assert!(app.hidden_tracks.contains("Keynote Sessions"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Grid);
    let shown = app
        .layout()
        .placed
        .iter()
        .map(|p| &app.calendar.sessions[p.index]);
    assert!(
        shown
            .clone()
            .all(|s| !s.tracks.contains(&"Keynote Sessions".to_owned()))
    );
    assert!(
        !title(&app).starts_with("Keynote"),
        "the selection moved off the hidden track"
    );
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "keynote");
    assert!(app.search.hits.iter().all(|h| {
        !app.calendar.sessions[h.index]
            .tracks
            .contains(&"Keynote Sessions".to_owned())
    }));
}

#[test]
fn agenda_lists_stars_jumps_and_unstars() {
    let (mut app, _dir) = app();
    for t in ["Helion 1.0", "Keynote: vLLM & Ray Updates"] {
        app.go_to(find(&app, t));
        key(&mut app, KeyCode::Char('s'));
    }
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.mode, Mode::Agenda);
    let sessions: Vec<usize> = app
        .agenda_rows
        .iter()
        .filter_map(|r| match r {
            agenda::Row::Session { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(sessions.len(), 2);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Grid);
    assert_eq!(title(&app), "Keynote: vLLM & Ray Updates");
    assert_eq!(app.day, 1);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.plan.starred_list.len(), 1);
}

#[test]
fn now_jumps_to_what_is_on_or_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(
        Calendar::bundled(None, Tz::UTC),
        Store::open(dir.path()).map_err(|e| e.to_string()),
        at("2026-04-08T09:05:00Z"), // 11:05 in Paris on day 2
    );
    app.day = 0;
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.day, 1);
    let s = app.selected_session().unwrap();
    assert!(s.start <= app.now() && app.now() < s.end, "{}", s.title);
}

#[test]
fn details_open_scroll_and_close() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Details);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.detail_scroll, 2);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Grid);
}

#[test]
fn open_url_only_for_http() {
    let (mut app, _dir) = app();
    let effects = key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        effects,
        vec![Effect::OpenUrl(
            "http://pytorchconferenceeu2026.sched.com/event/5ec9e9dc8299c28c6cd041cf069866bf"
                .into()
        )]
    );
    let index = app.selected.unwrap();
    app.calendar.sessions[index].url = Some("javascript:alert(1)".into());
    assert!(key(&mut app, KeyCode::Char('o')).is_empty());
    assert!(app.message.as_ref().unwrap().error);
}

#[test]
fn zoom_and_help_and_quit() {
    let (mut app, _dir) = app();
    assert_eq!(app.minutes_per_row(), 5);
    keys(&mut app, "--");
    assert_eq!(app.minutes_per_row(), 15);
    keys(&mut app, "+");
    assert_eq!(app.minutes_per_row(), 10);
    keys(&mut app, "?");
    assert_eq!(app.mode, Mode::Help);
    key(&mut app, KeyCode::Down);
    assert_eq!((app.mode, app.help_scroll), (Mode::Help, 1));
    keys(&mut app, "x");
    assert_eq!(app.mode, Mode::Grid);
    assert_eq!(keys_quit(&mut app), vec![Effect::Quit]);
    assert!(app.should_quit());
}

fn keys_quit(app: &mut App) -> Vec<Effect> {
    app.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

#[test]
fn a_read_only_store_never_saves() {
    let mut app = App::new(
        Calendar::bundled(None, Tz::UTC),
        Err("starred.json: not a valid star file".into()),
        at("2026-04-07T06:00:00Z"),
    );
    assert!(key(&mut app, KeyCode::Char('s')).is_empty());
    let msg = app.message.clone().unwrap();
    assert!(msg.error && msg.text.contains("read-only"), "{}", msg.text);
    assert_eq!(app.plan.starred_list.len(), 0);
}

#[test]
fn another_process_starring_shows_up() {
    let (mut app, dir) = app();
    assert_eq!(app.reload_store(), None);
    let mut other = Store::open(dir.path()).unwrap();
    let helion = find(&app, "Helion 1.0");
    other.star(
        &app.calendar.key,
        &app.calendar.name,
        &app.calendar.sessions[helion],
        app.now(),
    );
    other.save().unwrap();
    let msg = app.reload_store().unwrap();
    app.on_msg(msg);
    assert!(app.plan.is_starred(helion));
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "stars changed in another hallway"
    );
}
