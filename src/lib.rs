//! hallway: a terminal planner for conference schedules.
//!
//! The library holds everything but the process entry point, so tests, benchmarks and the
//! fuzzer drive the same code the binary runs.

pub mod app;
pub mod atomic;
pub mod calendar;
pub mod calendars;
pub mod clock;
pub mod config;
pub mod export;
pub mod plan;
pub mod search;
pub mod tui;
pub mod ui;
pub mod width;
