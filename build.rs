//! Links the `hallway` binary with GCC's unwinder as a static library (`libgcc_eh.a`)
//! rather than as the shared `libgcc_s.so.1`, on Linux with glibc, where the C compiler
//! has that library.
//!
//! Why: loading `libgcc_s` costs every start an open, four mappings, its relocations and
//! its constructor, which asks the CPU for its features with about ten `cpuid`
//! instructions. In a virtual machine each `cpuid` traps to the hypervisor (6.6 µs each on
//! the machine the README's figures come from), so a Rust hello-world starts in 0.83 ms
//! without it and 0.95 ms with it. hallway's quick commands take about 2 ms in all, so that
//! is a twentieth of each.
//!
//! How: the archive is linked whole, so the binary defines `_Unwind_*` itself, and with
//! `--as-needed` (which rustc passes) `libgcc_s` is then not needed. lld, rustc's default
//! linker on x86-64 Linux, drops it; GNU ld and gold settle a library's need in
//! command-line order, where `-lgcc_s` comes first, and keep it as well: that links and
//! runs as before, only without the gain (tried with both). Panics unwind and backtraces
//! print the same way: this is the unwinder `-C target-feature=+crt-static` links.
//! `readelf -d target/release/hallway` lists no `libgcc_s.so.1` when it was dropped.

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CC");
    let (Ok(target), Ok(host)) = (env::var("TARGET"), env::var("HOST")) else {
        return;
    };
    let static_crt = env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    if target != host || !target.ends_with("-linux-gnu") || static_crt {
        return;
    }
    if let Some(unwinder) = static_unwinder() {
        println!("cargo::rustc-link-arg-bins=-Wl,--whole-archive");
        println!("cargo::rustc-link-arg-bins={}", unwinder.display());
        println!("cargo::rustc-link-arg-bins=-Wl,--no-whole-archive");
    }
}

/// Where the C compiler (the linker driver rustc runs on Linux) keeps `libgcc_eh.a`, if it
/// has one: it answers the bare name when it has none (clang without GCC's libraries).
fn static_unwinder() -> Option<PathBuf> {
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let output = Command::new(cc)
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
