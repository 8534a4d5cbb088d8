//! Update tests: sequences of keys and actions, and the state they leave. No disk: stars
//! are plain data here, and saving them is the loop's business (its tests are in tui.rs).

use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn at(s: &str) -> Clock {
    Clock::Fixed(s.parse().unwrap())
}

/// The bundled calendar at `now`, no stars, in an 80×24 terminal.
fn app_at(now: &str) -> App {
    let mut app = App::new(Calendar::bundled(None, Tz::UTC), Ok(Stars::new()), at(now));
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app
}

/// Before the conference: it opens on the first session of day 1.
fn app() -> App {
    app_at("2026-04-07T06:00:00Z")
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    key_mod(app, code, KeyModifiers::NONE)
}

fn key_mod(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    match app.action_for_key(&KeyEvent::new(code, modifiers)) {
        Some(action) => app.update(action),
        None => Vec::new(),
    }
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

fn star(app: &mut App, prefix: &str) -> Vec<Effect> {
    app.go_to(find(app, prefix));
    key(app, KeyCode::Char('s'))
}

#[test]
fn opens_on_the_first_session_before_the_conference() {
    let app = app();
    assert_eq!(app.day, 0);
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
    assert_eq!((app.mode, app.screen), (Mode::Browse, Screen::Grid));
    // On a conference day, that day is shown first.
    assert_eq!(app_at("2026-04-08T05:00:00Z").day, 1);
}

#[test]
fn opens_at_now_during_the_conference() {
    // 11:05 in Paris on day 2: a session on now is selected, and now is in view.
    let app = app_at("2026-04-08T09:05:00Z");
    assert_eq!(app.day, 1);
    let s = app.selected_session().unwrap();
    assert!(s.start <= app.now() && app.now() < s.end, "{}", s.title);
    let now = app.layout().minute_of(app.now());
    let rows = i64::from(app.grid_areas().rows.height);
    assert!(app.scroll.top <= now && now < app.scroll.top + rows * app.minutes_per_row());
}

#[test]
fn an_evening_after_the_first_day_opens_on_the_second_days_first_session() {
    // 22:00 in Paris on day 1, after the evening reception: the next morning is what comes.
    let app = app_at("2026-04-07T20:00:00Z");
    assert_eq!(app.day, 1);
    assert_eq!(app.selected, app.layout().first());
    // Once the conference is over, its last day from its first session.
    for after in ["2026-04-08T21:00:00Z", "2026-05-20T10:00:00Z"] {
        let app = app_at(after);
        assert_eq!(app.day, 1, "{after}");
        assert_eq!(app.selected, app.layout().first());
    }
}

#[test]
fn opening_at_now_prefers_a_starred_session() {
    let mut stars = Stars::new();
    let cal = Calendar::bundled(None, Tz::UTC);
    let lights = cal
        .sessions
        .iter()
        .find(|s| s.title.starts_with("Lights, Camera"))
        .unwrap();
    stars.insert(
        lights.id.to_string(),
        crate::plan::Star::of(lights, "2026-04-01T00:00:00Z".parse().unwrap()),
    );
    // 11:10 in Paris on day 1: Helion, Lights, Camera and others are on.
    let app = App::new(cal, Ok(stars), at("2026-04-07T09:10:00Z"));
    assert!(title(&app).starts_with("Lights, Camera"), "{}", title(&app));
}

#[test]
fn moving_up_down_left_right_and_across_days() {
    let mut app = app();
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
    assert_eq!(app.selected_session().unwrap().room, "Master Stage");
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.day, 0);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.day, 0);
    assert_eq!(app.message.as_ref().unwrap().text, "this is the first day");
}

#[test]
fn home_and_end_are_the_first_and_last_sessions_of_the_day() {
    let mut app = app();
    app.go_to(find(&app, "Helion 1.0"));
    key(&mut app, KeyCode::End);
    let last = app.selected_session().unwrap().start;
    assert!(
        app.layout()
            .placed
            .iter()
            .all(|p| app.calendar.sessions[p.index].start <= last)
    );
    key(&mut app, KeyCode::Home);
    assert!(title(&app).starts_with("Keynote: Co-Evolution"));
    // The same in the list.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::End);
    assert_eq!(
        Some(app.selected.unwrap()),
        app.layout().order.last().copied()
    );
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(
        Some(app.selected.unwrap()),
        app.layout().order.first().copied()
    );
}

#[test]
fn starring_asks_the_loop_to_save_and_reports_a_clash() {
    let mut app = app();
    let helion = find(&app, "Helion 1.0");
    let id = app.calendar.sessions[helion].id.to_string();
    assert_eq!(star(&mut app, "Helion 1.0"), vec![Effect::Star(id.clone())]);
    assert!(app.plan.is_starred(helion));
    star(&mut app, "Lights, Camera");
    let msg = app.message.clone().unwrap();
    assert!(
        msg.error && msg.text.contains("clashes with Helion 1.0"),
        "{}",
        msg.text
    );
    assert_eq!(app.plan.clash_count, 2);
    app.go_to(helion);
    assert_eq!(key(&mut app, KeyCode::Char(' ')), vec![Effect::Unstar(id)]);
    assert_eq!(app.plan.clash_count, 0);
    assert_eq!(app.stars().len(), 1);
}

#[test]
fn next_clash_says_which_and_keeps_both_in_view() {
    let mut app = app();
    for t in [
        "Helion 1.0",
        "Lights, Camera",
        "Tour De Force",
        "Lightning Talk: How DeepInverse",
    ] {
        star(&mut app, t);
    }
    let pairs = app.clash_pairs();
    assert_eq!(pairs.len(), 2);
    app.go_to(find(&app, "Keynote: Co-Evolution"));
    key(&mut app, KeyCode::Char('c'));
    let text = app.message.clone().unwrap().text;
    assert!(text.starts_with("clash 1 of 2: "), "{text}");
    assert!(text.contains(" ↔ "), "{text}");
    assert_eq!(app.selected, Some(pairs[0].0));
    key(&mut app, KeyCode::Char('c'));
    assert!(
        app.message
            .clone()
            .unwrap()
            .text
            .starts_with("clash 2 of 2: ")
    );
    assert_eq!(app.selected, Some(pairs[1].0));
    // Both sides in view (in rows; the other side's column too).
    let (a, b) = pairs[1];
    for i in [a, b] {
        let p = app.layout().placed.iter().find(|p| p.index == i).unwrap();
        let view = i64::from(app.grid_areas().rows.height) * app.minutes_per_row();
        assert!(
            p.start >= app.scroll.top && p.start < app.scroll.top + view,
            "{}",
            app.calendar.sessions[i].title
        );
    }
    key(&mut app, KeyCode::Char('c'));
    assert!(
        app.message
            .clone()
            .unwrap()
            .text
            .starts_with("clash 1 of 2: "),
        "wraps"
    );
}

#[test]
fn search_as_you_type_and_jump() {
    let mut app = app();
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(app.mode, Mode::Search);
    keys(&mut app, "helion");
    assert!(!app.search.hits.is_empty());
    assert!(
        app.calendar.sessions[app.search.hits[0].index]
            .title
            .starts_with("Helion 1.0")
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Browse);
    assert!(title(&app).starts_with("Helion 1.0"));
    // Esc leaves the selection where it was; Backspace erases.
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "vllm ray");
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.search.query, "vllm ra");
    key(&mut app, KeyCode::Esc);
    assert!(title(&app).starts_with("Helion 1.0"));
    // Jumping to a session on another day shows that day.
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "vllm ray updates");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.day, 1);
    assert_eq!(title(&app), "Keynote: vLLM & Ray Updates");
}

/// Moves the filter's cursor to the entry labelled `label`, with `/` and typing.
fn find_entry(app: &mut App, label: &str) {
    key(app, KeyCode::Char('/'));
    keys(app, label);
    key(app, KeyCode::Enter);
    assert!(app.filtering.finding.is_none());
    assert!(
        matches!(&app.filtering.entries[app.filtering.cursor], filter::Entry::Name { label: l, .. } if l == label)
    );
}

#[test]
fn the_filter_hides_tracks_rooms_and_types_but_never_starred_sessions() {
    let mut app = app();
    star(&mut app, "Keynote: vLLM & Ray Updates");
    app.go_to(find(&app, "Keynote: Co-Evolution"));
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.mode, Mode::Filter);
    find_entry(&mut app, "Keynote Sessions");
    let effects = key(&mut app, KeyCode::Char(' '));
    assert!(
        matches!(&effects[..], [Effect::SetFilter(f)] if f.tracks.contains("Keynote Sessions"))
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Browse);
    assert!(
        !title(&app).starts_with("Keynote"),
        "the selection moved off the hidden track"
    );
    let vllm = find(&app, "Keynote: vLLM & Ray Updates");
    assert!(app.visible(vllm) && app.shown_because_starred(vllm));
    assert!(list::marks(&app, vllm).starts_with('◇'));
    key(&mut app, KeyCode::Tab);
    assert!(
        app.layout().spot(vllm).is_some(),
        "a starred keynote stays on the grid"
    );
    // Only one room, then all rooms again; none of the types.
    key(&mut app, KeyCode::Char('f'));
    find_entry(&mut app, "Master Stage");
    key(&mut app, KeyCode::Char('o'));
    assert!(app.layout().placed.iter().all(|p| {
        let s = &app.calendar.sessions[p.index];
        s.room == "Master Stage" || app.plan.is_starred(p.index)
    }));
    key(&mut app, KeyCode::Char('a'));
    assert!(app.filtering.filter.rooms.is_empty());
    find_entry(&mut app, "Lightning talk");
    key(&mut app, KeyCode::Char('n'));
    assert!(
        app.layout()
            .placed
            .iter()
            .all(|p| app.plan.is_starred(p.index)),
        "no type shown"
    );
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Esc);
    assert!(app.layout().placed.len() > 10);
}

#[test]
fn x_hides_a_session_for_good_and_shift_x_shows_hidden_ones() {
    let mut app = app();
    let helion = find(&app, "Helion 1.0");
    app.go_to(helion);
    let id = app.calendar.sessions[helion].id.to_string();
    assert_eq!(
        key(&mut app, KeyCode::Char('x')),
        vec![Effect::Hide(id.clone())]
    );
    assert!(app.layout().spot(helion).is_none());
    assert_ne!(app.selected, Some(helion), "the selection moved on");
    key(&mut app, KeyCode::Char('X'));
    assert!(app.layout().spot(helion).is_some());
    assert!(list::marks(&app, helion).starts_with('⊘'));
    app.go_to(helion);
    assert_eq!(key(&mut app, KeyCode::Char('x')), vec![Effect::Unhide(id)]);
    assert!(!app.is_hidden(helion));
    key(&mut app, KeyCode::Char('X'));
    assert!(app.layout().spot(helion).is_some());
}

#[test]
fn search_pages_through_results() {
    let mut app = app();
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "a");
    let n = app.search.hits.len();
    assert!(n > 20, "{n}");
    key(&mut app, KeyCode::End);
    assert_eq!(app.search.cursor, n - 1);
    key(&mut app, KeyCode::Home);
    assert_eq!(app.search.cursor, 0);
    key(&mut app, KeyCode::PageDown);
    assert!(app.search.cursor > 5);
}

#[test]
fn starred_only_shows_only_stars_in_grid_and_list() {
    let mut app = app();
    star(&mut app, "Helion 1.0");
    star(&mut app, "Tour De Force");
    key(&mut app, KeyCode::Char('*'));
    assert!(app.starred_only);
    let shown: Vec<usize> = app.layout().order.clone();
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|&i| app.plan.is_starred(i)));
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Home);
    assert!(title(&app).starts_with("Helion 1.0"));
    key(&mut app, KeyCode::Down);
    assert!(title(&app).starts_with("Tour De Force"));
    key(&mut app, KeyCode::Char('*'));
    assert!(app.layout().order.len() > 50);
}

#[test]
fn the_list_moves_by_start_and_pages() {
    let mut app = app();
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.screen, Screen::List);
    key(&mut app, KeyCode::Home);
    let first = app.selected.unwrap();
    key(&mut app, KeyCode::Down);
    let second = app.selected.unwrap();
    assert!(app.calendar.sessions[first].start <= app.calendar.sessions[second].start);
    key(&mut app, KeyCode::PageDown);
    let order = &app.layout().order;
    let at = order.iter().position(|&i| Some(i) == app.selected).unwrap();
    assert!(
        at >= 10,
        "a page of an 80×24 list is more than ten sessions: {at}"
    );
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.screen, Screen::Grid);
}

#[test]
fn now_and_next_lists_rooms_and_jumps() {
    let mut app = app_at("2026-04-07T09:10:00Z");
    star(&mut app, "Lights, Camera");
    key(&mut app, KeyCode::Char('w'));
    assert_eq!(app.mode, Mode::NowNext);
    let rows = nownext::rows(&app);
    assert!(rows.len() >= 5, "{rows:?}");
    assert!(rows[0].starred, "starred first");
    let lights = find(&app, "Lights, Camera");
    assert_eq!(rows[0].now, Some(lights));
    for row in &rows {
        if let Some(i) = row.now {
            let s = &app.calendar.sessions[i];
            assert!(s.start <= app.now() && app.now() < s.end);
        }
        if let Some(i) = row.next {
            assert!(app.calendar.sessions[i].start > app.now());
        }
    }
    key(&mut app, KeyCode::Down);
    let target = rows[1].target(false);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(app.selected, target);
    // → moves to what is next: `s` stars that, Enter goes to it.
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Right);
    let next = rows[0].next.unwrap();
    key(&mut app, KeyCode::Char('s'));
    assert!(app.plan.is_starred(next), "the next session is starred");
    assert!(app.plan.is_starred(lights), "what is on keeps its star");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected, Some(next));
    // Before and after the conference.
    let before = app_at("2026-03-01T00:00:00Z");
    assert!(matches!(
        nownext::moment(&before).0,
        nownext::Moment::Before(_)
    ));
    // Each room's first session of the first day, and the one after it.
    let rows = nownext::rows(&before);
    assert!(rows.iter().all(|r| r.now.is_some()), "{rows:?}");
    let first_day = before.days[0];
    for row in &rows {
        let first = &before.calendar.sessions[row.now.unwrap()];
        assert_eq!(before.calendar.day_of(first), first_day);
        assert!(before.calendar.sessions.iter().all(|s| s.room != row.room
            || before.calendar.day_of(s) != first_day
            || s.start >= first.start));
        if let Some(then) = row.next.filter(|_| !first.is_background()) {
            assert!(before.calendar.sessions[then].start >= first.end);
        }
    }
    let after = app_at("2026-05-01T00:00:00Z");
    assert!(matches!(
        nownext::moment(&after).0,
        nownext::Moment::After(_)
    ));
    assert!(!nownext::rows(&after).is_empty());
}

#[test]
fn now_jumps_to_what_is_on_or_next() {
    let mut app = app_at("2026-04-08T09:05:00Z"); // 11:05 in Paris on day 2
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.day, 0);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.day, 1);
    let s = app.selected_session().unwrap();
    assert!(s.start <= app.now() && app.now() < s.end, "{}", s.title);
}

#[test]
fn details_scroll_stops_at_the_end_and_resets_on_a_new_selection() {
    let mut app = app();
    app.go_to(find(&app, "Birds of A Feather: Engineering"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Details);
    for _ in 0..100 {
        key(&mut app, KeyCode::Down);
    }
    let max = app.details_max_scroll();
    assert!(max > 0);
    assert_eq!(app.detail_scroll, max, "stops at the end");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Browse);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.detail_scroll, 0, "a new selection starts at the top");
}

#[test]
fn the_details_show_the_id_and_the_page() {
    let app = app();
    let index = app.selected.unwrap();
    let text: Vec<String> = details::lines(&app, index, 60)
        .into_iter()
        .map(|l| l.text)
        .collect();
    let s = &app.calendar.sessions[index];
    assert!(text.iter().any(|l| l.contains(s.id.as_str())), "{text:?}");
    assert!(
        text.concat().contains(s.url.as_deref().unwrap()),
        "{text:?}"
    );
}

#[test]
fn the_details_show_a_schedules_subtitle_language_links_and_conference_day() {
    let xml = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/frab_night_extras.xml"
    ))
    .unwrap();
    let options = crate::calendar::LoadOptions::new("night", None, Tz::UTC);
    let cal = Calendar::parse(&xml, &options).unwrap();
    let mut app = App::new(cal, Ok(Stars::new()), at("2019-12-27T10:00:00Z"));
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    let index = app.calendar.position("ev-quiz").unwrap();
    let text: Vec<String> = details::lines(&app, index, 60)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(text[0], "Midnight Quiz");
    assert_eq!(text[1], "The night's big game");
    assert!(
        text.contains(&"Friday 27 December 00:50+1–02:50 (2 h)".to_owned()),
        "{text:?}"
    );
    assert!(text.contains(&"in German".to_owned()), "{text:?}");
    assert!(
        text.contains(&"Slides: https://media.example.org/quiz-slides.pdf".to_owned()),
        "{text:?}"
    );
}

#[test]
fn a_starred_session_hidden_with_x_says_so_in_its_details() {
    let mut app = app();
    let index = app.selected.unwrap();
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('x'));
    assert!(app.is_hidden(index));
    let text = details::lines(&app, index, 80)
        .into_iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("★ Starred — shown although you hid it (x)"),
        "{text}"
    );
}

#[test]
fn agenda_lists_stars_pages_jumps_and_unstars() {
    let mut app = app();
    for t in ["Helion 1.0", "Keynote: vLLM & Ray Updates"] {
        star(&mut app, t);
    }
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.mode, Mode::Agenda);
    key(&mut app, KeyCode::End);
    assert_eq!(app.agenda_cursor, 1);
    key(&mut app, KeyCode::Home);
    assert_eq!(app.agenda_cursor, 0);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.agenda_cursor, 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(title(&app), "Keynote: vLLM & Ray Updates");
    assert_eq!(app.day, 1);
    key(&mut app, KeyCode::Char('a'));
    let effects = key(&mut app, KeyCode::Char('s'));
    assert!(matches!(effects[..], [Effect::Unstar(_)]));
    assert_eq!(app.plan.starred_list.len(), 1);
}

#[test]
fn open_url_only_for_http() {
    let mut app = app();
    let effects = key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        effects,
        vec![Effect::OpenUrl(
            "http://pytorchconferenceeu2026.sched.com/event/5ec9e9dc8299c28c6cd041cf069866bf"
                .into()
        )]
    );
    let index = app.selected.unwrap();
    Arc::make_mut(&mut app.calendar).sessions[index].url = Some("javascript:alert(1)".into());
    assert!(key(&mut app, KeyCode::Char('o')).is_empty());
    assert!(app.message.as_ref().unwrap().error);
}

#[test]
fn zoom_help_and_quit() {
    let mut app = app();
    assert_eq!(app.minutes_per_row(), 5);
    keys(&mut app, "--");
    assert_eq!(app.minutes_per_row(), 15);
    keys(&mut app, "+");
    assert_eq!(app.minutes_per_row(), 10);
    keys(&mut app, "?");
    assert_eq!(
        (app.mode, app.help_for),
        (Mode::Help, keymap::Context::Grid)
    );
    key(&mut app, KeyCode::Down);
    assert_eq!((app.mode, app.help_scroll), (Mode::Help, 1));
    keys(&mut app, "x");
    assert_eq!(app.mode, Mode::Help, "only help's keys close it");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Browse);
    let effects = key_mod(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(app.should_quit());
}

#[test]
fn help_lists_the_keys_of_the_view_it_was_opened_from() {
    let mut app = app();
    star(&mut app, "Helion 1.0");
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('?'));
    let lines = help::lines(&app);
    let described: Vec<String> = lines
        .iter()
        .filter_map(|l| match l {
            help::Line::Key { description, .. } => Some(description.clone()),
            _ => None,
        })
        .collect();
    assert!(
        described.iter().any(|d| d == "previous item"),
        "{described:?}"
    );
    assert!(
        !described.iter().any(|d| d.contains("in this room")),
        "{described:?}"
    );
}

#[test]
fn a_star_file_that_stays_broken_is_said_once_and_does_not_hide_the_quit_question() {
    // The trial's case: the star file became a newer hallway's while the view was open.
    let mut app = app();
    let broken = "starred.json: written by a newer hallway (format version 99)";
    app.on_msg(Msg::StoreBroken(broken.into()));
    assert_eq!(app.message.clone().unwrap().text, broken);
    star(&mut app, "Helion 1.0");
    app.on_msg(Msg::NotSaved(broken.into()));
    assert!(key(&mut app, KeyCode::Char('q')).is_empty());
    // The loop looks at the file again and again.
    app.on_msg(Msg::StoreBroken(broken.into()));
    assert!(
        app.message
            .clone()
            .unwrap()
            .text
            .starts_with("q again quits"),
        "{:?}",
        app.message
    );
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
}

#[test]
fn opening_a_page_without_a_browser_shows_its_address_first() {
    let mut app = app();
    app.on_msg(Msg::OpenFailed {
        url: "https://example.org/talk/1".into(),
        why: "xdg-open: No such file or directory (os error 2)".into(),
    });
    assert!(
        app.message
            .clone()
            .unwrap()
            .text
            .starts_with("no browser for https://example.org/talk/1 (xdg-open")
    );
}

#[test]
fn quitting_with_an_unsaved_star_asks_first() {
    let mut app = app();
    star(&mut app, "Helion 1.0");
    app.on_msg(Msg::NotSaved("another hallway holds the lock".into()));
    assert!(key(&mut app, KeyCode::Char('q')).is_empty());
    assert!(!app.should_quit());
    assert!(app.message.clone().unwrap().text.contains("not saved yet"));
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    // Once saved, q quits at once.
    let mut app = self::app();
    star(&mut app, "Helion 1.0");
    app.on_msg(Msg::NotSaved("busy".into()));
    app.on_msg(Msg::Saved {
        merged_other_writer: false,
    });
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
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
fn stars_from_another_process_show_up() {
    let mut app = app();
    let helion = find(&app, "Helion 1.0");
    let mut stars = Stars::new();
    stars.insert(
        app.calendar.sessions[helion].id.to_string(),
        crate::plan::Star::of(&app.calendar.sessions[helion], app.now()),
    );
    app.on_msg(Msg::Stars(stars));
    assert!(app.plan.is_starred(helion));
}

#[test]
fn a_refresh_runs_in_the_background_and_cannot_be_doubled() {
    let mut app = app();
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Effect::Refresh]);
    assert!(app.refreshing);
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
    // Keys still work meanwhile.
    key(&mut app, KeyCode::Down);
    assert!(title(&app).starts_with("Keynote: PyTorch Updates"));
    app.on_msg(Msg::Refreshed(Err("server unreachable".into())));
    assert!(!app.refreshing);
    assert!(app.message.clone().unwrap().text.contains("not refreshed"));
}

#[test]
fn a_refresh_that_fell_back_to_the_copy_does_not_say_the_schedule_is_unchanged() {
    let mut app = app();
    key(&mut app, KeyCode::Char('r'));
    let same = (*app.calendar).clone();
    let note = "connection refused; using the copy fetched 7 min ago".to_owned();
    app.on_msg(Msg::Refreshed(Ok((Box::new(same.clone()), Some(note)))));
    let said = app.message.clone().unwrap().text;
    assert_eq!(said, "connection refused; using the copy fetched 7 min ago");
    key(&mut app, KeyCode::Char('r'));
    app.on_msg(Msg::Refreshed(Ok((Box::new(same), None))));
    assert_eq!(
        app.message.clone().unwrap().text,
        "the schedule has not changed"
    );
}

#[test]
fn the_wheel_scrolls_the_grid_within_the_day() {
    let mut app = app();
    let before = app.scroll.top;
    app.update(Action::Scroll(3));
    assert_eq!(app.scroll.top, before + 3 * app.minutes_per_row());
    for _ in 0..1000 {
        app.update(Action::Scroll(3));
    }
    let view = i64::from(app.grid_areas().rows.height) * app.minutes_per_row();
    assert_eq!(app.scroll.top, app.layout().minutes - view);
    for _ in 0..1000 {
        app.update(Action::Scroll(-3));
    }
    assert_eq!(app.scroll.top, 0);
}

#[test]
fn a_page_up_from_the_only_session_of_a_room_moves_a_screenful_earlier() {
    // The evening reception is the one session in its room.
    let mut app = app();
    let soiree = find(&app, "Open Source AI Soirée");
    app.go_to(soiree);
    let before = app.calendar.sessions[soiree].start;
    key(&mut app, KeyCode::PageUp);
    let now = app.selected.unwrap();
    assert_ne!(now, soiree);
    assert!(app.calendar.sessions[now].start < before);
    key(&mut app, KeyCode::PageDown);
    assert!(app.calendar.sessions[app.selected.unwrap()].start > app.calendar.sessions[now].start);
}

/// It opens with the session of now one row below the top, at the size and zoom given
/// before any key (the terminal's real size comes after the app is made). Before, the
/// view kept the morning in sight and the session of now at its foot, at 80×50 cutting the
/// first keynote to one row at the top.
#[test]
fn it_opens_with_now_at_the_top_for_the_first_size_and_zoom_given() {
    // 10:40 in Paris: "Live Migration", 10:35 to 10:45, 95 minutes into the grid.
    let mut app = app_at("2026-04-08T08:40:00Z");
    let selected = app.selected;
    assert!(title(&app).contains("Live Migration"), "{}", title(&app));
    assert_eq!(app.scroll.top, 90);
    // A row of 15 minutes: 10:15 at the top (keeping the top row would leave 10:30).
    app.set_zoom_minutes(15);
    assert_eq!((app.scroll.top, app.selected), (75, selected));
    // At 80×50 the whole day fits.
    app.update(Action::Resize {
        width: 80,
        height: 50,
    });
    assert_eq!((app.scroll.top, app.selected), (0, selected));
    app.set_zoom_minutes(5);
    assert_eq!((app.scroll.top, app.selected), (90, selected));
    // Fetching the calendar again (as at start, for one opened from its offline copy)
    // moves nothing: the real size still opens at now.
    app.update(Action::Command(Command::Refresh));
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app.set_zoom_minutes(15);
    assert_eq!((app.scroll.top, app.selected), (75, selected));
    app.set_zoom_minutes(5);
    assert_eq!((app.scroll.top, app.selected), (90, selected));
    // Once the user has moved, a new size keeps what they chose in view, where it is.
    key(&mut app, KeyCode::Down);
    let moved = (app.selected, app.scroll.top);
    assert_ne!(moved.0, selected);
    app.update(Action::Resize {
        width: 81,
        height: 24,
    });
    assert_eq!((app.selected, app.scroll.top), moved);
}

/// A session hidden (or filtered out) that would have been the one of now: it opens at now
/// all the same, on another session of now. It opened at the first session of the day, as
/// the hidden sessions come after the app is made.
#[test]
fn it_opens_at_now_when_the_session_of_now_is_hidden() {
    // 11:13 in Paris on Tuesday.
    let app = app_at("2026-04-07T09:13:00Z");
    let chosen = app.selected_session().unwrap().clone();
    let top = app.scroll.top;
    let now = app.now();
    assert!(chosen.start <= now && now < chosen.end, "{}", chosen.title);
    let mut app = App::new(
        Calendar::bundled(None, Tz::UTC),
        Ok(Stars::new()),
        at("2026-04-07T09:13:00Z"),
    );
    app.restore_filter(Filter::default(), [chosen.id.to_string()].into());
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    let other = app.selected_session().unwrap();
    assert_ne!(other.id, chosen.id);
    assert!(other.start <= now && now < other.end, "{}", other.title);
    // One row above the session, as for the one chosen before (both start by 11:00).
    let placed = app.layout.placed(app.selected.unwrap()).unwrap();
    assert_eq!(app.scroll.top, placed.start - app.minutes_per_row());
    assert!(app.scroll.top <= top, "{} > {top}", app.scroll.top);
}

/// A fetch that finds a starred session moved shows the report, and the footer no longer
/// says it is fetching (it did, under the report, until the next key).
#[test]
fn a_refresh_that_finds_changes_shows_them_and_stops_saying_fetching() {
    let mut app = app();
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('r'));
    assert!(app.message.clone().unwrap().text.contains("fetching"));
    let mut moved = (*app.calendar).clone();
    let starred = app.selected.unwrap();
    moved.sessions[starred].start += chrono::Duration::minutes(30);
    moved.sessions[starred].end += chrono::Duration::minutes(30);
    app.on_msg(Msg::Refreshed(Ok((Box::new(moved), None))));
    assert_eq!(app.mode, Mode::Changes);
    assert_eq!(app.message, None);
}

/// `c` keeps the other side of a clash in view, also in another column of the same day (it
/// did not when the selection stayed and only the other side changed), and where the two
/// rooms are too far apart to show both, says where the other is.
#[test]
fn next_clash_keeps_the_other_room_in_view_or_says_where_it_is() {
    let mut app = app_at("2026-04-08T09:40:00Z");
    // Beside the details: four rooms show.
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    let titles = [
        "Optimizing Large MoE Inference",
        "Accelerating Complex-Valued Tensors",
        "Portable High",
    ];
    for t in titles {
        star(&mut app, t);
    }
    let capacity = viewport::Columns::capacity(app.grid_areas().rows.width);
    let column = |app: &App, i: usize| app.layout().placed(i).unwrap().column;
    let (moe, tensors, portable) = (
        find(&app, titles[0]),
        find(&app, titles[1]),
        find(&app, titles[2]),
    );
    let mut seen = Vec::new();
    for _ in 0..app.clash_pairs().len() {
        key(&mut app, KeyCode::Char('c'));
        let (a, b) = app.partner.unwrap();
        let text = app.message.clone().unwrap().text;
        let shown = app.scroll.left..app.scroll.left + capacity;
        assert!(shown.contains(&column(&app, a)), "{text}");
        let far = column(&app, a).abs_diff(column(&app, b)) >= capacity;
        if far {
            assert!(!shown.contains(&column(&app, b)), "{text}");
            let room = &app.calendar.sessions[b].room;
            assert!(
                text.contains(&format!(" (→ {room}): "))
                    || text.contains(&format!(" (← {room}): ")),
                "{text}"
            );
        } else {
            assert!(shown.contains(&column(&app, b)), "{text}");
            assert!(!text.contains('→') && !text.contains('←'), "{text}");
        }
        seen.push(((a, b), far));
    }
    // Both cases were met: MoE and the tensors, rooms close enough; the serving talk and
    // the tensors, too far apart.
    let pair = |x: usize, y: usize| (x.min(y), x.max(y));
    assert!(seen.contains(&(pair(moe, tensors), false)), "{seen:?}");
    assert!(seen.contains(&(pair(portable, tensors), true)), "{seen:?}");
    // In the list, every session is in view: nothing to say.
    key(&mut app, KeyCode::Char('v'));
    for _ in 0..app.clash_pairs().len() {
        key(&mut app, KeyCode::Char('c'));
        let text = app.message.clone().unwrap().text;
        assert!(!text.contains('→') && !text.contains('←'), "{text}");
    }
}

/// Help names a key a user's keymap left unbound by what it does, not "(unbound)" in the
/// middle of a sentence; and lists what the command line does with the stars.
#[test]
fn help_says_what_an_unbound_key_does_and_what_the_command_line_does() {
    let mut app = app();
    let x = vec!["x".to_owned()];
    app.set_keymap(super::keymap::Keymap::with_user_keys([("star", x.as_slice())]).unwrap());
    key(&mut app, KeyCode::Char('?'));
    let text: Vec<String> = help::lines(&app)
        .into_iter()
        .filter_map(|l| match l {
            help::Line::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    let text = text.join("\n");
    assert!(
        text.contains("(a filter or hiding (no key) would hide it)"),
        "{text}"
    );
    assert!(
        text.contains("hidden with hide (no key), shown now by X"),
        "{text}"
    );
    assert!(!text.contains("(unbound)"), "{text}");
    assert!(text.contains("print --format ics -o mine.ics"), "{text}");
}

/// Under `--offline`, `r` fetches nothing and says so (it offered a retry that could not
/// happen); a calendar switched to keeps it.
#[test]
fn offline_refresh_says_it_fetches_nothing() {
    let mut app = app();
    app.set_offline(true);
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
    assert!(!app.refreshing);
    let said = app.message.clone().unwrap();
    assert!(said.error && said.text.starts_with("--offline"), "{said:?}");
    let mut other = App::new(
        Calendar::bundled(None, Tz::UTC),
        Ok(Stars::new()),
        at("2026-04-07T06:00:00Z"),
    );
    other.keep_settings_of(&app);
    assert!(other.offline());
    app.set_offline(false);
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Effect::Refresh]);
}
