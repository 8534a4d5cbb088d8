//! Feeds arbitrary bytes to the calendar loader: it must answer `Ok` or `Err`, never panic,
//! never hang, and whatever it loads must be safe to show: no control character (but the
//! line breaks of a description), no bidirectional control, unique ids.

#![no_main]

use std::collections::HashSet;

use hallway::calendar::{Calendar, LoadOptions};
use libfuzzer_sys::fuzz_target;

/// Characters that must never reach a terminal from a calendar.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions::new("fuzz", None, chrono_tz::Tz::UTC);
    match Calendar::parse(data, &options) {
        Ok(calendar) => {
            assert!(!calendar.name.chars().any(unsafe_char), "{:?}", calendar.name);
            let mut ids = HashSet::new();
            for s in &calendar.sessions {
                let texts = [&s.title, &s.room, &s.location, &s.id]
                    .into_iter()
                    .chain(&s.speakers)
                    .chain(&s.url)
                    .chain(&s.tracks);
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
            }
            for w in &calendar.warnings {
                assert!(!w.to_string().chars().any(unsafe_char), "{w}");
            }
            let _ = calendar.days();
            let _ = calendar.rooms();
        }
        Err(e) => assert!(!e.to_string().chars().any(unsafe_char), "{e}"),
    }
});
