//! Hostile calendars load in linear time: each input that once cost quadratic time or
//! memory (see `benches/common/adversarial.rs`, where they are made) loads through the
//! public API in under 10 s in the debug test profile, a generous bound that a quadratic
//! path blows through, and loads as it should. The release figures (< 1 s, < 200 MB) come
//! from `cargo bench --bench adversarial` and `/usr/bin/time -v` on the files that
//! `write_the_cases_to_files` writes.

#[path = "../benches/common/adversarial.rs"]
mod adversarial;

use std::time::{Duration, Instant};

use chrono_tz::Tz;
use hallway::calendar::{Calendar, LoadOptions};

/// Loads case `name`, checks it took under 10 s, and returns the calendar.
fn load(name: &str) -> Calendar {
    let bytes = (adversarial::case(name).make)();
    let started = Instant::now();
    let cal = Calendar::parse(&bytes, &LoadOptions::new(name, None, Tz::UTC))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "{name}: {took:?} for {} bytes",
        bytes.len()
    );
    cal
}

fn only(cal: &Calendar) -> &hallway::calendar::Session {
    assert_eq!(cal.sessions.len(), 1, "{:?}", cal.warnings);
    &cal.sessions[0]
}

fn has_warning(cal: &Calendar, part: &str) -> bool {
    cal.warnings.iter().any(|w| w.message.contains(part))
}

#[test]
fn a_location_with_100k_commas() {
    let cal = load("location-100k-commas");
    let s = only(&cal);
    // One location: all but its first part is the tail every session shares.
    assert_eq!(s.room, "Room");
    assert_eq!(s.location.len(), 200_004);
}

#[test]
fn a_summary_with_80k_dashes() {
    let cal = load("summary-80k-dashes");
    let s = only(&cal);
    assert_eq!((s.title.len(), &s.speakers), (5 + 4 * 80_000, &None));
    let cal = load("summary-dashes-then-spaces");
    assert_eq!(only(&cal).speakers, None);
}

#[test]
fn a_description_with_1m_open_brackets() {
    let cal = load("description-1m-lt");
    let d = &only(&cal).description;
    assert!(*d == "<".repeat(1_000_000) + "\nx");
}

#[test]
fn unclosed_tags_comments_and_styles() {
    // Everything after <p> is markup: one tag `<a<a…<style>` whose `<style>` never ends.
    let cal = load("description-unclosed-tags");
    assert_eq!(only(&cal).description, "");
}

#[test]
fn entities_and_bare_ampersands() {
    let cal = load("description-entities");
    assert!(only(&cal).description.starts_with("&&&"));
}

#[test]
fn nesting_100k_deep_and_100k_unmatched_ends() {
    let cal = load("nested-100k-begin-unmatched-end");
    assert_eq!(only(&cal).title, "Deep");
}

#[test]
fn ten_thousand_custom_time_zones() {
    let cal = load("tzids-10k-custom");
    assert_eq!(cal.sessions.len(), 10_000);
    // Custom Zone 60 is UTC+01:00 all year, as Africa/Lagos: 09:00 there is 08:00 UTC.
    let s = cal.get("z60").unwrap();
    assert_eq!(s.start.format("%H:%M").to_string(), "08:00");
}

#[test]
fn a_tzid_of_100k_path_parts() {
    let cal = load("tzid-100k-slashes");
    assert_eq!(cal.sessions.len(), 2);
    assert_eq!(
        cal.sessions[1].start.to_rfc3339(),
        "2026-04-08T07:00:00+00:00"
    );
}

#[test]
fn an_event_with_200k_categories() {
    let cal = load("categories-100k");
    assert_eq!(only(&cal).tracks.len(), 64);
    assert!(
        has_warning(&cal, "categories ignored"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn a_hundred_thousand_properties() {
    let cal = load("properties-100k");
    assert_eq!(only(&cal).title, "title 0");
    assert_eq!(cal.name, "again");
}

#[test]
fn parameters_full_of_quotes_and_semicolons() {
    let cal = load("params-quotes-and-semicolons");
    assert_eq!(cal.sessions.len(), 2);
}

#[test]
fn an_rdate_of_100k_values() {
    let cal = load("rdate-100k-values");
    assert_eq!(only(&cal).title, "Dates");
}

#[test]
fn rules_that_never_match() {
    let cal = load("rrules-never-matching");
    assert_eq!(cal.sessions.len(), 20_000);
    assert!(
        has_warning(&cal, "never matches a day"),
        "{:?}",
        cal.warnings
    );
    let cal = load("rrules-never-matching-weekno");
    assert_eq!(cal.sessions.len(), 20_000);
    assert!(
        has_warning(&cal, "expanding recurrences took too long"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn a_long_description_on_a_rule_of_1000() {
    let cal = load("recurring-long-description");
    assert_eq!(cal.sessions.len(), 28);
    assert!(
        has_warning(&cal, "too long to repeat"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn a_million_joiners_selectors_and_bidi_controls() {
    let cal = load("emoji-zwj-bidi-1m");
    let s = only(&cal);
    assert!(
        s.title
            .starts_with("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F468}")
    );
    assert!(!s.title.contains('\u{202E}') && !s.title.contains("a\u{200D}"));
}

#[test]
fn one_line_of_a_million_folds() {
    let cal = load("one-line-1m-folds");
    assert_eq!(only(&cal).description.len(), 1_000_001);
}

#[test]
fn invalid_utf8_on_every_line() {
    let cal = load("invalid-utf8-every-line");
    assert_eq!(only(&cal).title, "Bad \u{FFFD}");
    assert!(
        has_warning(&cal, "invalid UTF-8 on 500001 lines"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn a_hundred_thousand_tiny_events() {
    assert_eq!(load("events-100k-tiny").sessions.len(), 100_000);
}

#[test]
fn twenty_thousand_events_in_utf16() {
    let cal = load("utf16-events-20k");
    assert_eq!(cal.sessions.len(), 20_000);
    assert_eq!(cal.get("u7").unwrap().title, "Caf\u{e9} 7 \u{1F600}");
}

#[test]
fn one_line_of_50_mb() {
    let cal = load("one-line-50mb");
    assert!(only(&cal).description.len() > 45_000_000);
}

#[test]
fn schedule_xml_nested_100k_deep() {
    let cal = load("xml-100k-nested-elements");
    assert_eq!(only(&cal).title, "Deep");
}

#[test]
fn schedule_xml_with_200k_entities() {
    let cal = load("xml-200k-entities");
    assert!(
        only(&cal).description.starts_with("<p>\u{2019}"),
        "{:?}",
        &only(&cal).description[..40]
    );
}

#[test]
fn schedule_xml_of_50k_events_sharing_1000_guids() {
    let cal = load("xml-50k-events-shared-guids");
    assert_eq!(cal.sessions.len(), 50_000);
    assert!(
        has_warning(&cal, "more UIDs shared by several events"),
        "{:?}",
        cal.warnings
    );
}

#[test]
fn schedule_json_markdown_of_brackets_stars_and_quotes() {
    let cal = load("json-markdown-brackets-and-stars");
    assert!(only(&cal).description.len() > 100_000);
}

#[test]
fn schedule_json_of_50k_events_with_odd_types() {
    let cal = load("json-50k-events-odd-types");
    assert_eq!(cal.sessions.len(), 50_000);
    let s = cal.get("7").unwrap();
    assert_eq!(s.speakers.as_deref(), Some("P 7, Q"));
    assert_eq!(s.room, "No location");
    assert_eq!(s.duration().num_minutes(), 7);
}

#[test]
fn schedule_json_nested_100k_deep_in_any_field() {
    // serde_json skips what is not read without recursing, however deep; where a day or an
    // event should be, a nested list is nothing.
    let n = 100_000;
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    for text in [
        format!(r#"{{"schedule": {{"conference": {{"title": "T", "x": {deep}}}}}}}"#),
        format!(r#"{{"schedule": {{"conference": {{"title": "T", "days": [{deep}]}}}}}}"#),
        format!(
            r#"{{"schedule": {{"conference": {{"title": "T", "days": [{{"date": "2026-01-31", "rooms": {{"R": [{deep}, {{"start": "10:00", "title": "Kept", "persons": {deep}}}]}}}}]}}}}}}"#
        ),
    ] {
        let started = Instant::now();
        let cal = Calendar::parse(
            text.as_bytes(),
            &LoadOptions::new("deep.json", None, Tz::UTC),
        )
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(cal.sessions.iter().all(|s| s.title == "Kept"));
        // Cut short inside the nesting: closing what is open is one more pass.
        let started = Instant::now();
        let cut = &text.as_bytes()[..text.len() * 3 / 5];
        let _ = Calendar::parse(cut, &LoadOptions::new("deep.json", None, Tz::UTC));
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

/// Writes every case to `$HALLWAY_ADVERSARIAL_DIR/NAME.ics`, to measure the release binary
/// on them: `HALLWAY_ADVERSARIAL_DIR=/tmp/adv cargo test --test adversarial -- --ignored`.
#[test]
#[ignore = "writes files for measuring by hand"]
fn write_the_cases_to_files() {
    let dir = std::env::var("HALLWAY_ADVERSARIAL_DIR").expect("HALLWAY_ADVERSARIAL_DIR");
    std::fs::create_dir_all(&dir).unwrap();
    for case in adversarial::CASES {
        std::fs::write(format!("{dir}/{}.ics", case.name), (case.make)()).unwrap();
    }
}
