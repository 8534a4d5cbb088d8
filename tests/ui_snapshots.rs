//! Screens as the user sees them: the UI drawn into ratatui's `TestBackend` with a fixed clock
//! (11:20 in Paris on day 1) and a fixed set of stars (Helion and "Lights, Camera", which
//! clash, and the 09:10 keynote, which is over), compared with golden files under
//! `tests/snapshots/`. Every snapshot keeps the styles that carry meaning: under each screen
//! row that has any, a row of marks — `R` reversed (the selection), `C` red (a clash), `B`
//! bold (starred, headings), `D` dim (over), `U` underlined (matched text), `M` the `+N`
//! marker of stacked sessions.

use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::{Action, App, Mode, Screen, Stars};
use hallway::calendar::Calendar;
use hallway::clock::Clock;
use hallway::plan::Star;
use hallway::ui::{self, Theme, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const HELION: &str = "ea4620ce0f810a15307f92b28e2664da";
const LIGHTS: &str = "8fc71bd0fc057864e02da6513c64cbfd";
const KEYNOTE: &str = "5ec9e9dc8299c28c6cd041cf069866bf";

fn app() -> App {
    let cal = Calendar::bundled(None, Tz::UTC);
    let starred_at = "2026-04-01T08:00:00Z".parse().unwrap();
    let mut stars = Stars::new();
    for id in [HELION, LIGHTS, KEYNOTE] {
        stars.insert(id.to_owned(), Star::of(cal.get(id).unwrap(), starred_at));
    }
    App::new(
        cal,
        Ok(stars),
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
    )
}

/// A calendar of `tests/fixtures/`, read as hallway reads it.
fn fixture(name: &str) -> Calendar {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).unwrap();
    let options = hallway::calendar::LoadOptions::new("night", None, Tz::UTC);
    Calendar::parse(&bytes, &options).unwrap()
}

fn press(app: &mut App, codes: &[KeyCode]) {
    for &code in codes {
        if let Some(action) = app.action_for_key(&KeyEvent::new(code, KeyModifiers::NONE)) {
            app.update(action);
        }
    }
}

fn resize(app: &mut App, width: u16, height: u16) {
    app.update(Action::Resize { width, height });
}

/// The screen as text, each row followed by a row of style marks where it has any.
fn marked(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut text = String::new();
        let mut marks = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            let cell = &buffer[(x, y)];
            let m = cell.modifier;
            let mark = if m.contains(Modifier::ITALIC) {
                'M'
            } else if m.contains(Modifier::REVERSED) {
                'R'
            } else if cell.fg == Color::Red {
                'C'
            } else if m.contains(Modifier::UNDERLINED) {
                'U'
            } else if m.contains(Modifier::BOLD) {
                'B'
            } else if m.contains(Modifier::DIM) {
                'D'
            } else {
                ' '
            };
            marks.push(mark);
            if skip > 0 {
                skip -= 1;
                continue;
            }
            text.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(text.trim_end());
        out.push('\n');
        if !marks.trim().is_empty() {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
}

fn draw_with(app: &mut App, width: u16, height: u16, view: &mut View) -> String {
    resize(app, width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ui::render(f, app, view, Theme::new(true)))
        .unwrap();
    marked(terminal.backend().buffer())
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    draw_with(app, width, height, &mut View::default())
}

fn select(app: &mut App, id: &str) {
    let index = app.calendar.position(id).unwrap();
    app.go_to(index);
}

fn select_title(app: &mut App, prefix: &str) {
    let index = app
        .calendar
        .sessions
        .iter()
        .position(|s| s.title.starts_with(prefix))
        .unwrap();
    app.go_to(index);
}

#[test]
fn grid_at_every_size_and_zoom() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut app = app();
        for zoom in [5, 10, 15, 30] {
            while app.minutes_per_row() < zoom {
                press(&mut app, &[KeyCode::Char('-')]);
            }
            insta::assert_snapshot!(format!("grid_{w}x{h}_{zoom}min"), draw(&mut app, w, h));
        }
    }
}

#[test]
fn the_busiest_places_in_whole_words() {
    // The three 10:30 sessions of the Open Platform and the 17:05 posters.
    for (w, h) in [(120, 40), (200, 60)] {
        let mut app = app();
        select_title(&mut app, "Birds of A Feather: Engineering");
        insta::assert_snapshot!(format!("open_platform_1030_{w}x{h}"), draw(&mut app, w, h));
        select_title(&mut app, "Poster Presentations: Frameworks");
        insta::assert_snapshot!(format!("posters_{w}x{h}"), draw(&mut app, w, h));
    }
}

#[test]
fn details() {
    let mut app = app();
    select(&mut app, HELION);
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.mode, Mode::Details);
    insta::assert_snapshot!("details_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("details_160x48", draw(&mut app, 160, 48));
}

#[test]
fn agenda() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('a')]);
    insta::assert_snapshot!("agenda_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("agenda_160x48", draw(&mut app, 160, 48));
}

#[test]
fn search() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('/')]);
    for ch in "helion".chars() {
        press(&mut app, &[KeyCode::Char(ch)]);
    }
    insta::assert_snapshot!("search_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("search_160x48", draw(&mut app, 160, 48));
}

#[test]
fn help_and_filter() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('?')]);
    insta::assert_snapshot!("help_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("help_160x48", draw(&mut app, 160, 48));
    press(
        &mut app,
        &[
            KeyCode::Esc,
            KeyCode::Char('f'),
            KeyCode::Char(' '),
            KeyCode::Down,
        ],
    );
    assert_eq!(app.mode, Mode::Filter);
    insta::assert_snapshot!("filter_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("filter_120x40", draw(&mut app, 120, 40));
}

#[test]
fn now_and_next() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('w')]);
    assert_eq!(app.mode, Mode::NowNext);
    insta::assert_snapshot!("now_next_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("now_next_120x40", draw(&mut app, 120, 40));
}

#[test]
fn list_view() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('v')]);
    assert_eq!(app.screen, Screen::List);
    insta::assert_snapshot!("list_80x24", draw(&mut app, 80, 24));
    insta::assert_snapshot!("list_120x40", draw(&mut app, 120, 40));
    press(&mut app, &[KeyCode::Char('*')]);
    insta::assert_snapshot!("list_starred_only_120x40", draw(&mut app, 120, 40));
}

#[test]
fn small_terminals_and_read_only() {
    let mut app = app();
    let tiny = draw(&mut app, 39, 9);
    assert!(tiny.contains("Terminal too small: 39×9"), "{tiny}");
    let mut read_only = App::new(
        Calendar::bundled(None, Tz::UTC),
        Err("starred.json: not a valid star file (EOF); hallway will not overwrite it".into()),
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
    );
    insta::assert_snapshot!("read_only_80x24", draw(&mut read_only, 80, 24));
}

/// Every session of the day that is in view is drawn once: as a block, or behind the `+N`
/// marker of one; every block lies inside its room's column; and the selection is the
/// session its block shows.
fn check_drawn(app: &App, view: &View, size: (u16, u16)) {
    let layout = app.layout();
    let mut seen = std::collections::HashMap::new();
    for d in &view.grid.drawn {
        for &m in &d.members {
            *seen.entry(m).or_insert(0) += 1;
        }
        assert!(d.members.contains(&d.shown));
        if let Some(column) = d.column {
            assert!(
                d.rect.x >= column.x && d.rect.right() <= column.right(),
                "{size:?}: block {:?} outside its column {column:?}",
                d.rect
            );
        }
        if app.selected.is_some_and(|s| d.members.contains(&s)) {
            assert_eq!(
                Some(d.shown),
                app.selected,
                "{size:?}: a stack hides the selection"
            );
        }
    }
    for (i, n) in &seen {
        assert_eq!(
            *n, 1,
            "{size:?}: {} drawn {n} times",
            app.calendar.sessions[*i].title
        );
    }
    // In view: the columns shown and the rows of time shown.
    let grid = app.grid_areas();
    let columns = hallway::app::viewport::Columns::new(layout, grid.rows.width, app.scroll.left);
    let zoom = app.minutes_per_row();
    let (top, bottom) = (
        app.scroll.top / zoom,
        app.scroll.top / zoom + i64::from(grid.rows.height),
    );
    for p in &layout.placed {
        let rows = (
            p.start.div_euclid(zoom),
            (p.end + zoom - 1)
                .div_euclid(zoom)
                .max(p.start.div_euclid(zoom) + 1),
        );
        // Wholly in view: its block, which lies within its rows, must be drawn.
        let in_view = p.column >= columns.first
            && p.column < columns.end()
            && rows.0 >= top
            && rows.1 <= bottom;
        if in_view {
            assert!(
                seen.contains_key(&p.index),
                "{size:?}: {} is in view but not drawn",
                app.calendar.sessions[p.index].title
            );
        }
    }
}

#[test]
fn every_session_in_view_is_drawn_once_at_every_size_and_zoom() {
    for (w, h) in [
        (40, 10),
        (41, 11),
        (60, 15),
        (79, 23),
        (80, 50),
        (119, 30),
        (120, 30),
        (250, 80),
    ] {
        let mut app = app();
        for zoom in 0..4 {
            while app.zoom < zoom {
                press(&mut app, &[KeyCode::Char('-')]);
            }
            for day in 0..2 {
                if app.day != day {
                    press(&mut app, &[KeyCode::Tab]);
                }
                let mut view = View::default();
                // Down the whole day, a screenful at a time.
                for _ in 0..12 {
                    draw_with(&mut app, w, h, &mut view);
                    check_drawn(&app, &view, (w, h));
                    press(&mut app, &[KeyCode::PageDown]);
                }
            }
        }
    }
}

#[test]
fn the_highlighted_block_is_the_session_a_star_lands_on() {
    // 80×50, two zoom steps out, Home: the highlight and the star agree.
    let mut app = app();
    for keys in [
        &[KeyCode::Char('-'), KeyCode::Char('-'), KeyCode::Home][..],
        &[KeyCode::Char('-'), KeyCode::Down, KeyCode::Down][..],
        &[KeyCode::Char('-'), KeyCode::Down],
    ] {
        press(&mut app, keys);
        let mut view = View::default();
        draw_with(&mut app, 80, 50, &mut view);
        let selected = app.selected.unwrap();
        let block = view
            .grid
            .drawn
            .iter()
            .find(|d| d.members.contains(&selected))
            .expect("the selection is drawn");
        assert_eq!(block.shown, selected, "the block shows the selection");
        let before = app.plan.is_starred(selected);
        press(&mut app, &[KeyCode::Char('s')]);
        let title = &app.calendar.sessions[selected].title;
        assert_ne!(
            app.plan.is_starred(selected),
            before,
            "s did not act on {title}"
        );
        press(&mut app, &[KeyCode::Char('s')]);
    }
    // At 30 minutes a row the starred clashing sessions are drawn, with their marks.
    let mut app = self::app();
    for t in [
        "Lightning Talk: Combo Kernels",
        "Lightning Talk: Graph Based Pipeline",
    ] {
        select_title(&mut app, t);
        press(&mut app, &[KeyCode::Char('s')]);
    }
    press(
        &mut app,
        &[KeyCode::Char('-'), KeyCode::Char('-'), KeyCode::Char('-')],
    );
    select_title(&mut app, "Keynote: Co-Evolution");
    let mut view = View::default();
    draw_with(&mut app, 80, 50, &mut view);
    for t in [
        "Lightning Talk: Combo Kernels",
        "Lightning Talk: Graph Based Pipeline",
    ] {
        let i = app
            .calendar
            .sessions
            .iter()
            .position(|s| s.title.starts_with(t))
            .unwrap();
        let block = view
            .grid
            .drawn
            .iter()
            .find(|d| d.members.contains(&i))
            .expect(t);
        assert_eq!(
            block.shown, i,
            "{t} is shown on its block, not stacked away"
        );
    }
}

/// At 00:45 on the night after the first day of a conference whose evenings run past
/// midnight, "now" is still the first day: it opens there, with the now-line by the night
/// show, not on an empty second day.
#[test]
fn the_now_line_past_midnight_stays_on_the_conference_day() {
    let cal = fixture("night_sessions.ics");
    let mut app = App::new(
        cal,
        Ok(Stars::new()),
        Clock::Fixed("2024-12-28T00:45:00+01:00".parse().unwrap()),
    );
    assert_eq!(app.day, 0);
    assert_eq!(app.days[0].to_string(), "2024-12-27");
    let screen = draw(&mut app, 80, 24);
    insta::assert_snapshot!("night_now_line_80x24", screen);
    let now_row = screen.lines().find(|l| l.contains("now ▸")).unwrap();
    assert!(screen.contains("Night show"), "{screen}");
    assert!(now_row.contains('─'), "{now_row}");
}

/// The agenda with a session past midnight of its conference day: its time (`00:50+1–02:50`)
/// has its column, not running into the room, and the free time before it ends `+1`.
#[test]
fn the_agenda_gives_a_night_session_room_for_its_time() {
    let cal = fixture("frab_night_extras.xml");
    let starred_at = "2019-12-01T08:00:00Z".parse().unwrap();
    let mut stars = Stars::new();
    for id in ["ev-opening", "ev-quiz"] {
        stars.insert(id.to_owned(), Star::of(cal.get(id).unwrap(), starred_at));
    }
    let mut app = App::new(
        cal,
        Ok(stars),
        Clock::Fixed("2019-12-27T09:00:00+01:00".parse().unwrap()),
    );
    press(&mut app, &[KeyCode::Char('a')]);
    let screen = draw(&mut app, 100, 20);
    insta::assert_snapshot!("agenda_night_100x20", screen);
    assert!(screen.contains("   11:00–11:30    Ada "), "{screen}");
    assert!(
        screen.contains("free 11:30–00:50+1 (13 h 20 min)"),
        "{screen}"
    );
    assert!(screen.contains("   00:50+1–02:50  Ada "), "{screen}");
}

/// Results at 80 columns: the type is a badge, not a prefix taking the title's room.
#[test]
fn search_results_mark_the_type_and_keep_the_title_at_80_columns() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('/')]);
    for ch in "kernels".chars() {
        press(&mut app, &[KeyCode::Char(ch)]);
    }
    let screen = draw(&mut app, 80, 24);
    assert!(
        screen.contains("⚡ Combo Kernels: Horizontal Fusion"),
        "{screen}"
    );
    assert!(!screen.contains("Lightning T"), "{screen}");
}

/// Now & next with more rooms than fit: the border says how many are below (and that some
/// are above), and the paging keys reach them.
#[test]
fn now_and_next_says_what_is_out_of_view_and_pages_to_it() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('w')]);
    let screen = draw(&mut app, 80, 14);
    let bottom = screen.lines().rfind(|l| l.starts_with('└')).unwrap();
    assert!(bottom.contains(" more ↓ "), "{screen}");
    assert!(!screen.lines().nth(1).unwrap().contains('↑'), "{screen}");
    press(&mut app, &[KeyCode::End]);
    let screen = draw(&mut app, 80, 14);
    let top = screen.lines().find(|l| l.starts_with('┌')).unwrap();
    assert!(top.contains('↑'), "{screen}");
    assert!(!screen.contains(" more ↓ "), "{screen}");
    press(&mut app, &[KeyCode::Home]);
    let screen = draw(&mut app, 80, 14);
    assert!(screen.contains(" more ↓ "), "{screen}");
    press(&mut app, &[KeyCode::PageDown]);
    let screen = draw(&mut app, 80, 14);
    assert!(
        screen
            .lines()
            .find(|l| l.starts_with('┌'))
            .unwrap()
            .contains('↑'),
        "{screen}"
    );
}

/// Help opened from the agenda or from Now & next is drawn over that view, not the grid.
#[test]
fn help_is_drawn_over_the_view_it_was_opened_from() {
    for (key, mark) in [('a', "Your agenda"), ('w', "Now & next")] {
        let mut app = app();
        press(&mut app, &[KeyCode::Char(key), KeyCode::Char('?')]);
        assert_eq!(app.mode, Mode::Help);
        let screen = draw(&mut app, 80, 24);
        let top = screen.lines().find(|l| l.starts_with('┌')).unwrap();
        assert!(top.contains(mark), "{key}: {screen}");
        assert!(
            !screen.contains("Master Stage    Central Room"),
            "{key}: {screen}"
        );
    }
}

/// At the smallest size, the agenda's titles and help's lines that do not fit end in `…`,
/// not cut off by the border.
#[test]
fn at_40x10_what_does_not_fit_ends_in_an_ellipsis() {
    let mut app = app();
    press(&mut app, &[KeyCode::Char('a')]);
    let screen = draw(&mut app, 40, 10);
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("11:00–11:25"))
        .collect();
    assert!(!rows.is_empty(), "{screen}");
    let free: Vec<&str> = screen.lines().filter(|l| l.contains("free ")).collect();
    assert!(!free.is_empty(), "{screen}");
    for row in rows.into_iter().chain(free) {
        assert!(row.trim_end_matches(['│', ' ']).ends_with('…'), "{screen}");
    }
    press(&mut app, &[KeyCode::Char('?')]);
    let screen = draw(&mut app, 40, 24);
    let enter = screen.lines().find(|l| l.contains("Enter")).unwrap();
    assert!(
        enter.contains("show the sess") && enter.contains('…'),
        "{screen}"
    );
    assert!(
        !screen.contains("show the session in the programme"),
        "{screen}"
    );
}

/// Page Down in Now & next shows the next page of rooms (the cursor's room at the top), not the
/// same rooms scrolled by one; a step down from there scrolls no further.
#[test]
fn now_and_next_pages_by_a_page() {
    let mut app = app();
    let mut view = View::default();
    press(&mut app, &[KeyCode::Char('w')]);
    let rooms: Vec<String> = hallway::app::nownext::rows(&app)
        .into_iter()
        .map(|r| r.room)
        .collect();
    let first_room = |screen: &str| {
        let row = screen
            .lines()
            .skip_while(|l| !l.contains("On now"))
            .nth(2)
            .unwrap()
            .to_owned();
        rooms
            .iter()
            .position(|r| row.contains(r.as_str()))
            .unwrap_or(usize::MAX)
    };
    let screen = draw_with(&mut app, 80, 12, &mut view);
    assert_eq!(first_room(&screen), 0, "{screen}");
    press(&mut app, &[KeyCode::PageDown]);
    let screen = draw_with(&mut app, 80, 12, &mut view);
    // The next page (the last is kept full: it starts where the rooms still fill it).
    let page = first_room(&screen);
    assert!(page > 1 && page <= app.now_next_cursor, "{screen}");
    press(&mut app, &[KeyCode::Down]);
    let screen = draw_with(&mut app, 80, 12, &mut view);
    assert_eq!(first_room(&screen), page, "{screen}");
}

/// The banner of an offline copy offers `r` only where `r` can fetch.
#[test]
fn the_offline_banner_offers_a_retry_only_when_one_can_be_made() {
    let mut app = app();
    app.set_source_note(Some(
        "offline: the copy of https://x.org/a.ics fetched 6 min ago".into(),
    ));
    assert!(draw(&mut app, 100, 24).contains("fetched 6 min ago (r retries)"));
    app.set_offline(true);
    let screen = draw(&mut app, 100, 24);
    assert!(screen.contains("fetched 6 min ago"), "{screen}");
    assert!(!screen.contains("r retries"), "{screen}");
}
