//! Helpers for the tests of configuration, saved calendars and `now`: a `hallway` isolated
//! from the real configuration too, and imports into calcurse and khal (which
//! `tests/interop.rs` could share).

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use crate::common::hallway_process;

/// `hallway` with data, cache and configuration under `home` (`$XDG_CONFIG_HOME` is
/// `home/config`), whatever the environment running the tests says.
pub fn hallway(home: &Path) -> assert_cmd::Command {
    let mut cmd = hallway_process(home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("HALLWAY_CONFIG")
        .env_remove("HALLWAY_CACHE_DIR");
    assert_cmd::Command::from_std(cmd)
}

/// Whether `program` runs; says so when it does not.
pub fn installed(program: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        println!("note: {program} is not installed; skipping its import test");
    }
    found
}

/// Imports `ics` into a fresh calcurse directory under `home` (Paris time): calcurse's report
/// and its `apts` file.
pub fn calcurse_import(home: &Path, ics: &Path) -> (String, String) {
    let dir = home.join("calcurse");
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("calcurse")
        .env("TZ", "Europe/Paris")
        .arg("-D")
        .arg(&dir)
        .arg("-i")
        .arg(ics)
        .output()
        .unwrap();
    let apts = std::fs::read_to_string(dir.join("apts")).unwrap_or_default();
    (String::from_utf8_lossy(&out.stdout).into_owned(), apts)
}

/// Runs khal with a configuration under `home` whose one calendar, `hallway`, is the vdir
/// `home/khal-calendar` (Paris time, ISO dates); its standard output.
pub fn khal(home: &Path, args: &[&str]) -> String {
    let vdir = home.join("khal-calendar");
    std::fs::create_dir_all(&vdir).unwrap();
    let config = home.join("khal.conf");
    std::fs::write(
        &config,
        format!(
            "[calendars]\n[[hallway]]\npath = {}\ntype = calendar\n\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\ndefault_timezone = Europe/Paris\nlocal_timezone = Europe/Paris\n",
            vdir.display()
        ),
    )
    .unwrap();
    let out = Command::new("khal")
        .env("HOME", home)
        .arg("-c")
        .arg(&config)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "khal {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
