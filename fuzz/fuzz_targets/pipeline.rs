//! The whole pipeline on arbitrary bytes: load, then — when a calendar loads — the TUI laid
//! out and drawn at three sizes, every zoom and every view, and every export format. Nothing
//! may panic (overflow included), hang, or put a control character or bidi control on the
//! screen.

#![no_main]

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::{Action, App, Stars};
use hallway::calendar::{Calendar, LoadOptions};
use hallway::clock::Clock;
use hallway::export::{self, Days, agenda::Agenda};
use hallway::plan::{Plan, Star};
use hallway::ui::{self, Theme, View};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Characters that must never reach a terminal from a calendar.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

fn press(app: &mut App, code: KeyCode) {
    if let Some(action) = app.action_for_key(&KeyEvent::new(code, KeyModifiers::NONE)) {
        app.update(action);
    }
}

fn draw(app: &App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut view = View::default();
    terminal
        .draw(|f| ui::render(f, app, &mut view, Theme::new(true)))
        .unwrap();
    for cell in terminal.backend().buffer().content() {
        assert!(!cell.symbol().chars().any(unsafe_char), "{:?}", cell.symbol());
    }
}

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions::new("fuzz", None, chrono_tz::Tz::UTC);
    let Ok(calendar) = Calendar::parse(data, &options) else {
        return;
    };
    // Star every third session, so clashes, the agenda and the marks are drawn too.
    let now: DateTime<Utc> = calendar
        .sessions
        .get(calendar.sessions.len() / 2)
        .map_or_else(|| "2026-04-07T09:00:00Z".parse().unwrap(), |s| s.start);
    let stars: Stars = calendar
        .sessions
        .iter()
        .step_by(3)
        .take(200)
        .map(|s| (s.id.to_string(), Star::of(s, now)))
        .collect();
    // Exports first, from a plan over a borrowed calendar.
    {
        let plan = Plan::new(&calendar, Some(&stars), Some(chrono::Duration::minutes(10)));
        let days = Days::new(&calendar, None, |_| true);
        for text in [
            export::text::programme(&days, Some(&plan)),
            export::markdown::programme(&days, Some(&plan)),
            export::html::programme(&days, Some(&plan)),
            export::json::document(&days, Some(&plan), true),
        ] {
            assert!(!text.is_empty());
        }
        let agenda = Agenda::new(&plan, None);
        let _ = export::text::agenda(&agenda);
        let _ = export::markdown::agenda(&agenda);
        let _ = export::html::agenda(&agenda);
        let starred: Vec<_> = days.sessions().filter(|s| plan.is_starred(&s.id)).collect();
        let ics = export::ics::calendar(&calendar, &starred, now);
        assert!(ics.lines().all(|l| l.len() <= 75), "an unfolded line");
        let _ = export::changes::text(&plan);
    }
    let mut app = App::new(calendar, Ok(stars), Clock::Fixed(now));
    for (width, height) in [(40, 10), (80, 24), (200, 60)] {
        app.update(Action::Resize { width, height });
        for _ in 0..4 {
            draw(&app, width, height);
            press(&mut app, KeyCode::Char('-'));
        }
        for code in [KeyCode::Char('+'), KeyCode::Char('+'), KeyCode::Char('+')] {
            press(&mut app, code);
        }
        for keys in [
            &[KeyCode::PageDown, KeyCode::Right, KeyCode::Down][..],
            &[KeyCode::Tab, KeyCode::End],
            &[KeyCode::Char('v')],
            &[KeyCode::Enter],
            &[KeyCode::Esc, KeyCode::Char('w')],
            &[KeyCode::Esc, KeyCode::Char('a')],
            &[KeyCode::Esc, KeyCode::Char('f'), KeyCode::Char(' ')],
            &[KeyCode::Esc, KeyCode::Char('?')],
            &[KeyCode::Esc, KeyCode::Char('v'), KeyCode::Char('c')],
        ] {
            for &code in keys {
                press(&mut app, code);
            }
            draw(&app, width, height);
        }
    }
});
