//! What every fuzz target checks of a loaded calendar: it answers `Ok` or `Err`, never
//! panics or hangs, and whatever it loads is safe to show: no control character (but the
//! line breaks of a description), no bidirectional control, unique ids, ends after starts,
//! and the calendar's days and rooms can be listed.

use std::collections::HashSet;

use hallway::calendar::{Calendar, LoadOptions};

/// Characters that must never reach a terminal from a calendar.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// Loads `data` and checks what it gives.
pub fn check(data: &[u8]) {
    let options = LoadOptions::new("fuzz", None, chrono_tz::Tz::UTC);
    match Calendar::parse(data, &options) {
        Ok(calendar) => {
            assert!(!calendar.name.chars().any(unsafe_char), "{:?}", calendar.name);
            let mut ids = HashSet::new();
            for s in &calendar.sessions {
                let links = s.links.iter().flat_map(|l| [&l.title, &l.url]);
                let texts = [&s.title, &s.subtitle, &s.room, &s.location, &s.id, &s.language]
                    .into_iter()
                    .chain(&s.speakers)
                    .chain(&s.url)
                    .chain(&s.tracks)
                    .chain(links);
                for text in texts {
                    assert!(!text.chars().any(unsafe_char), "{text:?}");
                }
                assert!(
                    !s.description.chars().any(|c| unsafe_char(c) && c != '\n'),
                    "{:?}",
                    s.description
                );
                assert!(s.end >= s.start);
                assert!(ids.insert(s.id.as_str()), "repeated id {:?}", s.id);
                assert!(calendar.get(&s.id).is_some_and(|g| std::ptr::eq(g, s)));
                let day = calendar.day_of(s);
                let _ = calendar.day_span(day);
                let _ = calendar.day_of_instant(s.start);
            }
            for w in &calendar.warnings {
                assert!(!w.to_string().chars().any(unsafe_char), "{w}");
            }
            for day in calendar.days() {
                let _ = calendar.find_day(&day.to_string());
            }
            let _ = calendar.find_day("1");
            let _ = calendar.rooms();
        }
        Err(e) => assert!(!e.to_string().chars().any(unsafe_char), "{e}"),
    }
}
