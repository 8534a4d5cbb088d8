//! Feeds schedule.xml-shaped bytes to the calendar loader (seed it with the shared schedules): see `common.rs` for what is checked.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::check(data));
