//! Loading calendars: the bundled one, and generated ones of 10,000 and 40,000 sessions
//! (linear time: 40,000 should take about four times as long as 10,000). Freeing the
//! calendar is not timed: hallway keeps it until it exits.

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallway::calendar::{BUNDLED, Calendar, LoadOptions};

fn load(c: &mut Criterion) {
    let options = LoadOptions::new("bench", None, Tz::UTC);
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(BUNDLED.len() as u64));
    group.bench_function("bundled (129 sessions)", |b| {
        b.iter_with_large_drop(|| Calendar::parse(black_box(BUNDLED), &options).unwrap());
    });
    for events in [10_000, 40_000] {
        let Some(bytes) = common::generated(events) else {
            continue;
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.sample_size(20);
        group.bench_function(format!("generated ({events} sessions)"), |b| {
            b.iter_with_large_drop(|| Calendar::parse(black_box(&bytes), &options).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
