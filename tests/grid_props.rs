//! The grid on random calendars (up to 200 rooms, up to 50 sessions at once in one room, any
//! length from nothing to hours) at random sizes from 40×10 to 300×100 and every zoom: drawing
//! never overflows (the test profile checks arithmetic), every session of the day is drawn,
//! once in any frame, inside its room's column, and a stack always shows the selection.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono_tz::Tz;
use hallway::app::{Action, App, GridScroll, Stars};
use hallway::calendar::{Calendar, LoadOptions};
use hallway::clock::Clock;
use hallway::ui::{self, Theme, View};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A session: room, start (minutes after 08:00), length in minutes.
type Spec = (u16, u16, u16);

fn calendar(specs: &[Spec]) -> Calendar {
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//props//EN\r\n");
    for (n, &(room, start, length)) in specs.iter().enumerate() {
        let at = |minutes: u32| {
            let t = 8 * 60 + minutes;
            format!("20260407T{:02}{:02}00Z", t / 60, t % 60)
        };
        let _ = write!(
            ics,
            "BEGIN:VEVENT\r\nUID:s{n}\r\nSUMMARY:Session number {n} with a title of some words\r\nLOCATION:Room {room}\r\nDTSTART:{}\r\nDTEND:{}\r\nEND:VEVENT\r\n",
            at(u32::from(start)),
            at(u32::from(start) + u32::from(length)),
        );
    }
    ics.push_str("END:VCALENDAR\r\n");
    Calendar::parse(ics.as_bytes(), &LoadOptions::new("props", None, Tz::UTC)).unwrap()
}

/// Sessions spread over rooms, plus one crowded room with `crowd` sessions at once.
fn specs() -> impl Strategy<Value = Vec<Spec>> {
    (
        1u16..200,
        prop::collection::vec((0u16..200, 0u16..900, 0u16..200), 1..300),
        0u16..50,
        0u16..600,
    )
        .prop_map(|(rooms, mut specs, crowd, at)| {
            for s in &mut specs {
                s.0 %= rooms;
            }
            specs.extend((0..crowd).map(|k| (0, at + k % 7, 20 + k)));
            specs
        })
}

fn draw(app: &App, width: u16, height: u16) -> View {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut view = View::default();
    terminal
        .draw(|f| ui::render(f, app, &mut view, Theme::new(true)))
        .unwrap();
    view
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_session_is_drawn_once_inside_its_column(
        specs in specs(),
        width in 40u16..=300,
        height in 10u16..=100,
        zoom in 0usize..4,
        pick in any::<prop::sample::Index>(),
    ) {
        let calendar = calendar(&specs);
        let mut app = App::new(
            calendar,
            Ok(Stars::new()),
            Clock::Fixed("2026-04-01T00:00:00Z".parse().unwrap()),
        );
        app.update(Action::Resize { width, height });
        for _ in 0..zoom {
            app.update(Action::Command(hallway::app::Command::ZoomOut));
        }
        let day: Vec<usize> = app.layout().order.clone();
        prop_assert!(!day.is_empty());
        app.select(day[pick.index(day.len())]);
        let rows = i64::from(app.grid_areas().rows.height.max(1));
        let view_minutes = rows * app.minutes_per_row();
        let capacity = hallway::app::viewport::Columns::capacity(app.grid_areas().rows.width);
        let columns = app.layout().columns.len();
        let mut everywhere: HashSet<usize> = HashSet::new();
        let mut left = 0;
        loop {
            let mut top = 0;
            loop {
                app.scroll = GridScroll { top, left };
                let view = draw(&app, width, height);
                let mut once: HashMap<usize, usize> = HashMap::new();
                for d in &view.grid.drawn {
                    for &m in &d.members {
                        *once.entry(m).or_default() += 1;
                    }
                    if let Some(column) = d.column {
                        prop_assert!(d.rect.x >= column.x && d.rect.right() <= column.right());
                        prop_assert!(d.rect.y >= column.y && d.rect.bottom() <= column.bottom());
                    }
                    if app.selected.is_some_and(|s| d.members.contains(&s)) {
                        prop_assert_eq!(Some(d.shown), app.selected);
                    }
                }
                prop_assert!(once.values().all(|&n| n == 1), "a session drawn twice");
                let blocks: Vec<_> = view.grid.drawn.iter().filter(|d| d.column.is_some()).collect();
                for (i, a) in blocks.iter().enumerate() {
                    for b in &blocks[i + 1..] {
                        prop_assert!(
                            a.rect.intersection(b.rect).is_empty(),
                            "blocks {:?} and {:?} overlap", a.rect, b.rect
                        );
                    }
                }
                everywhere.extend(once.keys());
                top += view_minutes;
                if top >= app.layout().minutes {
                    break;
                }
            }
            left += capacity;
            if left >= columns {
                break;
            }
        }
        for p in &app.layout().placed {
            prop_assert!(everywhere.contains(&p.index), "session {} never drawn", p.index);
        }
    }
}
