//! Two things done once at build time rather than at every start:
//!
//! **The bundled calendar's digest.** Its xxh3 keys its parsed snapshot in the cache
//! directory; taken here, it reaches the code as `HALLWAY_BUNDLED_XXH3` (hexadecimal) and
//! the 171 KB are not read at each start to take it.
//!
//! **GCC's unwinder linked in.** On Linux with glibc, in a native build, where the C
//! compiler has it, the `hallway` binary gets GCC's unwinder as a static library
//! (`libgcc_eh.a`) rather than loading the shared `libgcc_s.so.1`.
//!
//! Why: loading `libgcc_s` costs every start an open, four mappings, its relocations and
//! its constructor, which asks the CPU for its features with about ten `cpuid`
//! instructions. In a virtual machine each `cpuid` traps to the hypervisor (6.6 µs each on
//! the machine the README's figures come from), so a Rust hello-world starts 0.12 ms sooner
//! without it; hallway's quick commands take about 1.5 ms in all there.
//!
//! How: the archive is linked whole, so the binary defines `_Unwind_*` itself, and with
//! `--as-needed` (which rustc passes) `libgcc_s` is then not needed. lld, rustc's default
//! linker on x86-64 Linux since Rust 1.90, drops it; GNU ld (the default before) and gold
//! settle a library's need in command-line order, where `-lgcc_s` comes first, and keep it
//! as well: that links and runs as before, only without the gain (tried with both). Panics
//! unwind and backtraces print the same way: this is the unwinder `-C
//! target-feature=+crt-static` links. `readelf -d target/release/hallway` lists no
//! `libgcc_s.so.1` when it was dropped.
//!
//! The cost: GCC 12's unwinder, built against glibc 2.35 or later, finds unwind tables with
//! `_dl_find_object`, so a binary built on such a system needs glibc 2.35 where it runs
//! (one built against glibc 2.34 already needs 2.34, for `__libc_start_main`). Building
//! from source, as the README says, is not affected.

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The bundled calendar, as `src/calendar/mod.rs` includes it.
const BUNDLED: &str = "assets/pytorch-conference-eu-2026.ics";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    bundled_digest();
    link_static_unwinder();
}

fn bundled_digest() {
    println!("cargo::rerun-if-changed={BUNDLED}");
    let bytes = std::fs::read(BUNDLED).unwrap_or_else(|err| panic!("reading {BUNDLED}: {err}"));
    println!(
        "cargo::rustc-env=HALLWAY_BUNDLED_XXH3={:016x}",
        xxhash_rust::xxh3::xxh3_64(&bytes)
    );
}

fn link_static_unwinder() {
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    let (Ok(target), Ok(host)) = (env::var("TARGET"), env::var("HOST")) else {
        return;
    };
    let static_crt = env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    if target != host || !target.ends_with("-linux-gnu") || static_crt {
        return;
    }
    if let Some(unwinder) = static_unwinder() {
        // A later GCC (or none) must be asked again, not a path that has gone.
        println!("cargo::rerun-if-changed={}", unwinder.display());
        println!("cargo::rustc-link-arg-bins=-Wl,--whole-archive");
        println!("cargo::rustc-link-arg-bins={}", unwinder.display());
        println!("cargo::rustc-link-arg-bins=-Wl,--no-whole-archive");
    }
}

/// Where the compiler driver rustc links with keeps `libgcc_eh.a`, if it has one: the
/// linker configured for cargo (`RUSTC_LINKER`, split at spaces), else `cc`, which rustc
/// runs on Linux whatever `CC` says. A driver without the library (clang without GCC's)
/// answers the bare name; a linker that is no driver fails: either way nothing changes.
fn static_unwinder() -> Option<PathBuf> {
    let driver = env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".to_owned());
    let mut words = driver.split_whitespace();
    let output = Command::new(words.next()?)
        .args(words)
        .arg("-print-file-name=libgcc_eh.a")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (path.is_absolute() && path.is_file()).then_some(path)
}
