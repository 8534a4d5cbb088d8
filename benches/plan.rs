//! The plan: clash detection over 10,000 starred sessions, and star + save on a store of
//! 10,000 stars across 10 calendars (the save includes fsync of the file and directory).

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use hallway::calendar::{Calendar, LoadOptions, Session};
use hallway::plan::{Store, clash};

fn clashes(c: &mut Criterion) {
    let Some(bytes) = common::generated(10_000) else {
        return;
    };
    let cal = Calendar::parse(&bytes, &LoadOptions::new("bench", None, Tz::UTC)).unwrap();
    let all: Vec<&Session> = cal.sessions.iter().collect();
    assert_eq!(all.len(), 10_000);
    c.bench_function("clashes among 10000 starred sessions", |b| {
        b.iter(|| clash::find(black_box(&all)));
    });
}

fn star_and_save(c: &mut Criterion) {
    let Some(bytes) = common::generated(10_000) else {
        return;
    };
    let cal = Calendar::parse(&bytes, &LoadOptions::new("bench", None, Tz::UTC)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-04-01T08:00:00Z".parse().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for (i, s) in cal.sessions.iter().enumerate() {
        store.star(&format!("calendar-{}", i % 10), "Calendar", s, now);
    }
    store.save().unwrap();
    let extra = &cal.sessions[0];
    let mut on = false;
    c.bench_function("star + save, store of 10000 stars in 10 calendars", |b| {
        b.iter(|| {
            if on {
                store.unstar("calendar-x", &extra.id);
            } else {
                store.star("calendar-x", "Extra", extra, now);
            }
            on = !on;
            store.save().unwrap()
        });
    });
    // What `hallway star ID` does besides loading the calendar: open (read and parse the
    // file), star, save.
    c.bench_function(
        "open + star + save, store of 10000 stars in 10 calendars",
        |b| {
            b.iter(|| {
                let mut store = Store::open(dir.path()).unwrap();
                if store.is_starred("calendar-x", &extra.id) {
                    store.unstar("calendar-x", &extra.id);
                } else {
                    store.star("calendar-x", "Extra", extra, now);
                }
                store.save().unwrap()
            });
        },
    );
}

/// The iCalendar export of one starred session with a 4 MB description: linear folding.
fn ics_export(c: &mut Criterion) {
    let mut cal = Calendar::bundled(None, Tz::UTC);
    cal.sessions[0].description = "Portable kernels, é; ".repeat(200_000).into();
    let now = "2026-04-01T08:00:00Z".parse().unwrap();
    let session = &cal.sessions[0];
    c.bench_function("ics export, one session with a 4 MB description", |b| {
        b.iter(|| black_box(hallway::export::ics::calendar(&cal, &[session], now).len()));
    });
}

criterion_group!(benches, clashes, star_and_save, ics_export);
criterion_main!(benches);
