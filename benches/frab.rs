//! Loading frab/Pentabarf and pretalx schedules: FOSDEM 2026's schedule.xml (883 events,
//! 2.7 MB; the bound is 15 ms), and generated schedule.json and schedule.xml of
//! 10,000 and 40,000 events (10,000 JSON events in under 100 ms; 40,000 about four times
//! as long: linear).

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallway::calendar::{Calendar, LoadOptions};

fn frab(c: &mut Criterion) {
    let options = LoadOptions::new("bench", None, Tz::UTC);
    let mut group = c.benchmark_group("frab");
    if let Some(bytes) = common::schedule("fosdem2026_fosdem-pretalx-site.xml") {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("FOSDEM 2026 schedule.xml (883 events)", |b| {
            b.iter_with_large_drop(|| Calendar::parse(black_box(&bytes), &options).unwrap());
        });
    }
    for format in ["json", "xml"] {
        for events in [10_000, 40_000] {
            let Some(bytes) = common::generated_as(events, format) else {
                continue;
            };
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.sample_size(20);
            group.bench_function(
                format!("generated schedule.{format} ({events} events)"),
                |b| {
                    b.iter_with_large_drop(|| {
                        Calendar::parse(black_box(&bytes), &options).unwrap()
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, frab);
criterion_main!(benches);
