//! Hostile calendars (made by `common/adversarial.rs`): each once cost quadratic time or
//! memory somewhere in the loader; each must load in well under a second in release.
//! Freeing the calendar is not timed: hallway keeps it until it exits.

mod common;

use std::hint::black_box;

use chrono_tz::Tz;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallway::calendar::{Calendar, LoadOptions};

use common::adversarial::CASES;

fn adversarial(c: &mut Criterion) {
    let options = LoadOptions::new("bench", None, Tz::UTC);
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    for case in CASES {
        let bytes = (case.make)();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(case.name, |b| {
            b.iter_with_large_drop(|| Calendar::parse(black_box(&bytes), &options).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, adversarial);
criterion_main!(benches);
