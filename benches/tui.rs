//! The terminal UI on a generated 10,000-session calendar (60 rooms, 3 days) at 200×60: a
//! full frame, a key press and the frame after it at every zoom and in the list view,
//! opening Now & next, a search keystroke, switching day; and the first frame (load, state,
//! layout, draw) on the bundled calendar and on 10,000 sessions.

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::{Action, App, Stars};
use hallway::calendar::{BUNDLED, Calendar, LoadOptions};
use hallway::clock::Clock;
use hallway::ui::{self, Theme, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 11:20 on day 1 of the generated calendars (and of the bundled one): the conference is on.
fn clock() -> Clock {
    Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap())
}

fn press(app: &mut App, code: KeyCode) {
    if let Some(action) = app.action_for_key(&KeyEvent::new(code, KeyModifiers::NONE)) {
        app.update(action);
    }
}

fn big_calendar() -> Option<Calendar> {
    let bytes = common::generated(10_000)?;
    Some(Calendar::parse(&bytes, &LoadOptions::new("bench", None, Tz::UTC)).unwrap())
}

fn app_on(calendar: Calendar, width: u16, height: u16) -> App {
    let mut app = App::new(calendar, Ok(Stars::new()), clock());
    app.update(Action::Resize { width, height });
    app
}

/// Benchmarks pressing `code` (alternating with `back`) and drawing the next frame.
fn key_to_frame(
    c: &mut Criterion,
    name: &str,
    app: &mut App,
    (code, back): (KeyCode, KeyCode),
    terminal: &mut Terminal<TestBackend>,
    view: &mut View,
) {
    let theme = Theme::new(true);
    let mut forth = true;
    c.bench_function(name, |b| {
        b.iter(|| {
            press(app, if forth { code } else { back });
            forth = !forth;
            terminal.draw(|f| ui::render(f, app, view, theme)).unwrap();
        });
    });
}

fn frames(c: &mut Criterion) {
    let Some(calendar) = big_calendar() else {
        return;
    };
    let theme = Theme::new(true);
    let mut app = app_on(calendar, 200, 60);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut view = View::default();
    c.bench_function("full frame 200x60, 10000 sessions", |b| {
        b.iter(|| {
            // A fresh buffer each time, so the whole frame is drawn, not a diff.
            terminal.clear().unwrap();
            terminal
                .draw(|f| ui::render(f, black_box(&app), &mut view, theme))
                .unwrap();
        });
    });
    for zoom in [5, 10, 15, 30] {
        while app.minutes_per_row() < zoom {
            press(&mut app, KeyCode::Char('-'));
        }
        key_to_frame(
            c,
            &format!("key press to next frame 200x60, {zoom} min a row, 10000 sessions"),
            &mut app,
            (KeyCode::Down, KeyCode::Up),
            &mut terminal,
            &mut view,
        );
    }
    press(&mut app, KeyCode::Char('v'));
    key_to_frame(
        c,
        "key press to next frame 200x60, list view, 10000 sessions",
        &mut app,
        (KeyCode::Down, KeyCode::Up),
        &mut terminal,
        &mut view,
    );
    press(&mut app, KeyCode::Char('v'));
    c.bench_function("open Now & next and draw it, 200x60, 10000 sessions", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('w'));
            terminal
                .draw(|f| ui::render(f, &app, &mut view, theme))
                .unwrap();
            press(&mut app, KeyCode::Esc);
        });
    });
    key_to_frame(
        c,
        "switch day and draw, 200x60, 10000 sessions",
        &mut app,
        (KeyCode::Tab, KeyCode::BackTab),
        &mut terminal,
        &mut view,
    );
    c.bench_function(
        "search keystroke, typing 'kernels' then erasing it, 10000 sessions (per key)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    press(&mut app, KeyCode::Esc);
                    press(&mut app, KeyCode::Char('/'));
                    let started = std::time::Instant::now();
                    for ch in "kernels".chars() {
                        app.update(Action::Type(ch));
                    }
                    for _ in 0.."kernels".len() {
                        press(&mut app, KeyCode::Backspace);
                    }
                    total += started.elapsed() / 14;
                }
                total
            });
        },
    );
}

/// The time from a loaded calendar to the first frame drawn, `iters` times: each time the
/// app is made and drawn on a fresh copy; the copy, the search index's thread (which runs
/// beside the first frame) and the drop are left out of the time, so runs do not crowd
/// each other.
fn first_frames(calendar: &Calendar, iters: u64, theme: Theme) -> std::time::Duration {
    let mut total = std::time::Duration::ZERO;
    for _ in 0..iters {
        let copy = calendar.clone();
        let started = std::time::Instant::now();
        let mut app = app_on(copy, 200, 60);
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
        let mut view = View::default();
        terminal
            .draw(|f| ui::render(f, &app, &mut view, theme))
            .unwrap();
        total += started.elapsed();
        let calendar = std::sync::Arc::clone(&app.calendar);
        app.search.prepare(&calendar);
    }
    total
}

fn first_frame(c: &mut Criterion) {
    let theme = Theme::new(true);
    c.bench_function("first frame, bundled calendar, 120x40", |b| {
        b.iter(|| {
            let cal =
                Calendar::parse(BUNDLED, &LoadOptions::new("bundled", None, Tz::UTC)).unwrap();
            let app = app_on(cal, 120, 40);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            let mut view = View::default();
            terminal
                .draw(|f| ui::render(f, &app, &mut view, theme))
                .unwrap();
        });
    });
    let Some(big) = big_calendar() else {
        return;
    };
    c.bench_function(
        "first frame from a loaded 10000-session calendar, 200x60",
        |b| {
            b.iter_custom(|iters| first_frames(&big, iters, theme));
        },
    );
}

/// At 100,000 sessions: switching day (each day laid out once, then reused) and the first
/// frame from a loaded calendar.
fn hundred_thousand(c: &mut Criterion) {
    let Some(bytes) = common::generated(100_000) else {
        return;
    };
    let calendar = Calendar::parse(&bytes, &LoadOptions::new("bench", None, Tz::UTC)).unwrap();
    let theme = Theme::new(true);
    let mut group = c.benchmark_group("100000 sessions");
    group.sample_size(10);
    group.bench_function("first frame from a loaded calendar, 200x60", |b| {
        b.iter_custom(|iters| first_frames(&calendar, iters, theme));
    });
    group.finish();
    let mut app = app_on(calendar, 200, 60);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut view = View::default();
    key_to_frame(
        c,
        "switch day and draw, 200x60, 100000 sessions",
        &mut app,
        (KeyCode::Tab, KeyCode::BackTab),
        &mut terminal,
        &mut view,
    );
    key_to_frame(
        c,
        "key press to next frame 200x60, 100000 sessions",
        &mut app,
        (KeyCode::Down, KeyCode::Up),
        &mut terminal,
        &mut view,
    );
}

criterion_group!(benches, frames, first_frame, hundred_thousand);
criterion_main!(benches);
