//! The terminal UI on a generated 10,000-session calendar (60 rooms, 3 days): a full frame at
//! 200×60, a key press and the frame after it, a search keystroke; and the time to the first
//! frame on the bundled calendar (load, state, layout, draw).

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::App;
use hallway::calendar::{BUNDLED, Calendar, LoadOptions};
use hallway::clock::Clock;
use hallway::ui::{self, Theme, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn clock() -> Clock {
    Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap())
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn big_app() -> Option<App> {
    let bytes = common::generated(10_000)?;
    let cal = Calendar::parse(&bytes, &LoadOptions::new("bench", None, Tz::UTC)).unwrap();
    Some(App::new(cal, Err("benchmark".into()), clock()))
}

fn frames(c: &mut Criterion) {
    let Some(mut app) = big_app() else {
        return;
    };
    let theme = Theme { color: true };
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
    let mut down = true;
    c.bench_function("key press to next frame 200x60, 10000 sessions", |b| {
        b.iter(|| {
            app.on_key(key(if down { KeyCode::Down } else { KeyCode::Up }));
            down = !down;
            terminal
                .draw(|f| ui::render(f, &app, &mut view, theme))
                .unwrap();
        });
    });
    // Typing a word one key at a time, as a user does: the first key searches everything,
    // each next one only the hits before it.
    let searcher = hallway::search::Searcher::new(&app.calendar);
    c.bench_function("search, first keystroke ('k'), 10000 sessions", |b| {
        b.iter(|| black_box(searcher.search(&app.calendar, "k", |_| true).len()));
    });
    c.bench_function(
        "search, a whole word ('kernels') at once, 10000 sessions",
        |b| {
            b.iter(|| black_box(searcher.search(&app.calendar, "kernels", |_| true).len()));
        },
    );
    c.bench_function(
        "search keystroke, typing 'kernels' then erasing it, 10000 sessions (per key)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    app.on_key(key(KeyCode::Esc));
                    app.on_key(key(KeyCode::Char('/')));
                    let started = std::time::Instant::now();
                    for ch in "kernels".chars() {
                        app.on_key(key(KeyCode::Char(ch)));
                    }
                    for _ in 0.."kernels".len() {
                        app.on_key(key(KeyCode::Backspace));
                    }
                    total += started.elapsed() / 14;
                }
                total
            });
        },
    );
}

fn first_frame(c: &mut Criterion) {
    let theme = Theme { color: true };
    c.bench_function("first frame, bundled calendar, 120x40", |b| {
        b.iter(|| {
            let cal =
                Calendar::parse(BUNDLED, &LoadOptions::new("bundled", None, Tz::UTC)).unwrap();
            let app = App::new(cal, Err("benchmark".into()), clock());
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            let mut view = View::default();
            terminal
                .draw(|f| ui::render(f, &app, &mut view, theme))
                .unwrap();
        });
    });
}

criterion_group!(benches, frames, first_frame);
criterion_main!(benches);
