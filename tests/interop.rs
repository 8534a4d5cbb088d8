//! The exported iCalendar imports into calcurse and khal with every session intact, and a
//! second import into khal updates instead of duplicating. Skipped, with a note, where those
//! programs are not installed (`apt-get install calcurse khal`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{hallway, output};

const STARS: [&str; 4] = [
    "ea4620ce0f810a15307f92b28e2664da", // Helion 1.0, 11:00–11:25 Paris
    "8fc71bd0fc057864e02da6513c64cbfd", // Lights, Camera, Inference!
    "fb86e83285ba58020c1b70229af2a858", // Community Expo
    "0ad61d38e69359e798fcf5a4345edda0", // Why Classic IAM Collapses
];

fn installed(program: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        println!("note: {program} is not installed; skipping its import test");
    }
    found
}

fn export(dir: &Path) -> std::path::PathBuf {
    let (code, _, err) = output(hallway(dir).arg("star").args(STARS));
    assert_eq!(code, 0, "{err}");
    let path = dir.join("starred.ics");
    let (code, _, err) =
        output(hallway(dir).args(["print", "--format", "ics", "-o", path.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    path
}

#[test]
fn calcurse_imports_every_session() {
    if !installed("calcurse") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ics = export(home.path());
    let cal_dir = home.path().join("calcurse");
    std::fs::create_dir(&cal_dir).unwrap();
    let out = Command::new("calcurse")
        .env("TZ", "Europe/Paris")
        .arg("-D")
        .arg(&cal_dir)
        .arg("-i")
        .arg(&ics)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("4 apps / 0 events / 0 todos / 0 skipped"),
        "{report}"
    );
    let apts = std::fs::read_to_string(cal_dir.join("apts")).unwrap();
    for line in [
        "04/07/2026 @ 11:00 -> 04/07/2026 @ 11:25",
        "|Helion 1.0: A High-Level DSL for Performance Portable Kernels - Oguz Ulgen, Meta",
        "|Lights, Camera, Inference! Video Generation as a Service With VLLM-Omni - Ricardo Noriega, Red Hat & Doug Smith, Red Hat, Inc",
        "04/07/2026 @ 07:30 -> 04/07/2026 @ 18:35",
        "|Why Classic IAM Collapses for Agents: Rethinking IAM for Agentic Systems - Parul Singh, Red Hat",
    ] {
        assert!(apts.contains(line), "{line} missing from\n{apts}");
    }
    assert_eq!(apts.lines().count(), 4);
}

#[test]
fn khal_imports_every_session_and_updates_on_reimport() {
    if !installed("khal") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ics = export(home.path());
    let vdir = home.path().join("khal-calendar");
    std::fs::create_dir(&vdir).unwrap();
    let config = home.path().join("khal.conf");
    std::fs::write(
        &config,
        format!(
            "[calendars]\n[[hallway]]\npath = {}\ntype = calendar\n\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\ndefault_timezone = Europe/Paris\nlocal_timezone = Europe/Paris\n",
            vdir.display()
        ),
    )
    .unwrap();
    let khal = |args: &[&str]| {
        let out = Command::new("khal")
            .env("HOME", home.path())
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
    };
    let ics = ics.to_str().unwrap();
    khal(&["import", "--batch", "-a", "hallway", ics]);
    khal(&["import", "--batch", "-a", "hallway", ics]);
    let files: Vec<String> = std::fs::read_dir(&vdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 4, "re-importing duplicated events: {files:?}");
    for id in STARS {
        assert!(
            files.contains(&format!("{id}.ics")),
            "{id} missing: {files:?}"
        );
    }
    let listing = khal(&[
        "list",
        "--format",
        "{start-time}-{end-time} {title}",
        "2026-04-07",
        "1d",
    ]);
    for line in [
        "07:30-18:35 Community Expo",
        "11:00-11:25 Helion 1.0: A High-Level DSL for Performance Portable Kernels - Oguz Ulgen, Meta",
        "11:30-11:55 Why Classic IAM Collapses for Agents: Rethinking IAM for Agentic Systems - Parul Singh, Red Hat",
    ] {
        assert!(listing.contains(line), "{line} missing from\n{listing}");
    }
}
