//! Feeds arbitrary bytes to the calendar loader: it must answer `Ok` or `Err`, never panic,
//! never hang, and whatever it loads must be safe to show.

#![no_main]

use hallway::calendar::{Calendar, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions::new("fuzz", None, chrono_tz::Tz::UTC);
    if let Ok(calendar) = Calendar::parse(data, &options) {
        for s in &calendar.sessions {
            for text in [&s.title, &s.room, &s.location, &s.id] {
                assert!(!text.chars().any(char::is_control), "{text:?}");
            }
            assert!(!s.description.chars().any(|c| c.is_control() && c != '\n'));
            assert!(s.end >= s.start);
        }
        let _ = calendar.days();
        let _ = calendar.rooms();
    }
});
