//! Loading calendars of 129 (the bundled one), 10,000, 40,000 and 100,000 sessions (made by
//! `../shared/tools/gen-conference`, 60 rooms, 3 days), as `hallway` does: from the file,
//! cold (read and parsed: no snapshot) and from its parsed snapshot in the cache directory;
//! and the parse alone, from bytes in memory. Freeing the calendar is not timed: hallway
//! keeps it until it exits.
//!
//! Memory: a counting global allocator measures, for one cold load and one snapshot load at
//! each size, the peak of bytes allocated on the heap during the load and what the
//! calendar keeps; printed before the timings. A snapshot's text is mapped from the file,
//! not allocated, so it does not count (it is shared with the page cache).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono_tz::Tz;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallway::calendar::fetch::FetchOptions;
use hallway::calendar::source::{self, Source};
use hallway::calendar::{BUNDLED, Calendar, LoadOptions};

/// The system allocator, counting the bytes allocated now and their peak.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = NOW.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call goes to `System` unchanged; the counters only add and subtract.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `System::alloc`, with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `System::alloc_zeroed`, with the caller's layout.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            NOW.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of heap bytes `f` allocated beyond what was allocated before it, and what its
/// result keeps allocated.
fn measured<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let kept = f();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let after = NOW.load(Ordering::Relaxed).saturating_sub(before);
    drop(kept);
    (peak, after)
}

fn mb(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / 1e6;
    format!("{mb:.1} MB")
}

/// A calendar file to load, with a cache directory for its snapshot.
struct Case {
    name: String,
    path: PathBuf,
    size: usize,
    _dir: tempfile::TempDir,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut add = |name: String, bytes: &[u8]| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("calendar.ics");
        std::fs::write(&path, bytes).expect("writing the calendar");
        out.push(Case {
            name,
            path,
            size: bytes.len(),
            _dir: dir,
        });
    };
    add("bundled, 129 sessions".into(), BUNDLED);
    for events in [10_000, 40_000, 100_000] {
        if let Some(bytes) = common::generated(events) {
            add(format!("generated, {events} sessions"), &bytes);
        }
    }
    out
}

fn options(path: &Path, snapshots: Option<&Path>) -> LoadOptions {
    let options = LoadOptions::new(path.display().to_string(), None, Tz::UTC);
    match snapshots {
        Some(dir) => options.with_snapshots(dir),
        None => options,
    }
}

fn load_file(path: &Path, options: &LoadOptions, fetch: &FetchOptions) -> Calendar {
    source::load(&Source::File(path.to_owned()), fetch, options)
        .expect("the calendar loads")
        .calendar
}

fn load(c: &mut Criterion) {
    let cases = cases();
    let cache = tempfile::tempdir().expect("a temporary directory");
    let fetch = FetchOptions {
        cache_dir: cache.path().to_owned(),
        offline: true,
        now: chrono::Utc::now(),
    };
    let snapshots = cache.path().join("snapshots");
    for case in &cases {
        let cold = options(&case.path, None);
        let warm = options(&case.path, Some(&snapshots));
        // Writes the snapshot.
        let sessions = load_file(&case.path, &warm, &fetch).sessions.len();
        let (cold_peak, cold_kept) = measured(|| load_file(&case.path, &cold, &fetch));
        let (warm_peak, warm_kept) = measured(|| load_file(&case.path, &warm, &fetch));
        println!(
            "memory, {} ({sessions} loaded, file {}): cold load peak {} allocated, calendar \
             keeps {}; from the snapshot peak {}, keeps {}",
            case.name,
            mb(case.size),
            mb(cold_peak),
            mb(cold_kept),
            mb(warm_peak),
            mb(warm_kept),
        );
    }
    let mut group = c.benchmark_group("load");
    for case in &cases {
        group.throughput(Throughput::Bytes(case.size as u64));
        group.sample_size(if case.size > 50 << 20 { 10 } else { 20 });
        let cold = options(&case.path, None);
        let warm = options(&case.path, Some(&snapshots));
        group.bench_function(format!("cold, {}", case.name), |b| {
            b.iter_with_large_drop(|| load_file(black_box(&case.path), &cold, &fetch));
        });
        group.bench_function(format!("snapshot, {}", case.name), |b| {
            b.iter_with_large_drop(|| load_file(black_box(&case.path), &warm, &fetch));
        });
        if case.size < 50 << 20 {
            let bytes = std::fs::read(&case.path).expect("reading the calendar");
            group.bench_function(format!("parse from memory, {}", case.name), |b| {
                b.iter_with_large_drop(|| Calendar::parse(black_box(&bytes), &cold).unwrap());
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(4));
    targets = load
}
criterion_main!(benches);
