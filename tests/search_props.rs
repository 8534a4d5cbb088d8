//! Whatever the titles and the query, search answers without a panic, and the index agrees
//! with the rule read straight from each session's text and with the one-query scan;
//! highlights always fall on character boundaries of the text they mark.

use chrono_tz::Tz;
use hallway::calendar::{Calendar, Kind};
use hallway::search::{self, Searcher};
use proptest::prelude::*;

/// Text that mixes words, accents, case, scripts, emoji, controls and punctuation.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,60}",
        "[a-zA-Z0-9 .,:;'’–—-]{0,60}",
        "(helion|Héliön|compile|COMPILER|kernel|ke|wen|straße|ﬁne|日本語|😀|e\u{301}|\u{1b}\\[31m| ){0,12}",
    ]
}

fn calendar(sessions: &[(String, String, String)]) -> Calendar {
    let mut cal = Calendar::bundled(None, Tz::UTC);
    let template = cal.sessions[0].clone();
    cal.sessions = sessions
        .iter()
        .enumerate()
        .map(|(i, (title, speakers, description))| {
            let mut s = template.clone();
            s.id = format!("s{i}").into();
            s.title = title.into();
            s.speakers = (!speakers.is_empty()).then(|| speakers.into());
            s.description = description.into();
            s.kind = if i % 3 == 0 {
                Kind::Lightning
            } else {
                Kind::Talk
            };
            s
        })
        .collect();
    cal
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn search_never_panics_and_agrees_with_the_rule(
        sessions in prop::collection::vec((text(), text(), text()), 0..12),
        query in text(),
    ) {
        let cal = calendar(&sessions);
        let searcher = Searcher::new(&cal);
        let hits = searcher.search(&cal, &query, |_| true);
        let mut found: Vec<usize> = hits.iter().map(|h| h.index).collect();
        found.sort_unstable();
        let expected: Vec<usize> = cal
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| search::matches_directly(s, &query))
            .map(|(i, _)| i)
            .collect();
        prop_assert_eq!(found, expected);
        prop_assert_eq!(&search::search_once(&cal, &query, |_| true), &hits);
        for hit in &hits {
            let s = &cal.sessions[hit.index];
            let marks = search::highlights(s, &query);
            for (text, ranges) in [(&s.title, &marks.title), (&s.description, &marks.description)] {
                for r in ranges {
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    prop_assert!(r.start < r.end);
                }
            }
        }
    }
}
