//! `print -o FILE` never clobbers what is not a plain file: devices, FIFOs and `/dev/stdout`
//! are written into, links keep pointing where they did, and a read-only file is replaced
//! only with --force.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{hallway, hallway_process, output};

fn print_to(home: &Path, target: &Path, extra: &[&str]) -> (i32, String, String) {
    output(
        hallway(home)
            .args(["print", "--all", "--day", "1", "-o"])
            .arg(target)
            .args(extra),
    )
}

#[cfg(unix)]
#[test]
fn a_character_device_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let home = tempfile::tempdir().unwrap();
    let device = home.path().join("null");
    // The same device as /dev/null, made in the temporary directory.
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        println!("note: mknod is not permitted here; skipping the device test");
        return;
    }
    let (code, _, err) = print_to(home.path(), &device, &[]);
    assert_eq!(code, 0, "{err}");
    let kind = std::fs::symlink_metadata(&device).unwrap().file_type();
    assert!(kind.is_char_device(), "the device became {kind:?}");
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_into_and_its_reader_gets_everything() {
    use std::os::unix::fs::FileTypeExt;
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("agenda.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let (code, _, err) = print_to(home.path(), &fifo, &[]);
    assert_eq!(code, 0, "{err}");
    let text = reader.join().unwrap();
    assert!(
        text.starts_with("PyTorch Conference Europe 2026\n"),
        "{text}"
    );
    assert!(text.contains("Helion 1.0"));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn dev_stdout_writes_to_standard_output_whatever_it_is() {
    let home = tempfile::tempdir().unwrap();
    // A pipe.
    let (code, out, err) = print_to(home.path(), Path::new("/dev/stdout"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Helion 1.0"), "{out}");
    // A file the shell opened for appending: appended to, not replaced.
    let log = home.path().join("log.txt");
    std::fs::write(&log, "earlier line\n").unwrap();
    let file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let status = hallway_process(home.path())
        .args(["print", "--all", "--day", "1", "-o", "/dev/stdout"])
        .stdout(file)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.starts_with("earlier line\nPyTorch Conference Europe 2026\n"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn through_a_link_the_target_is_replaced_and_the_link_kept_with_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let docs = home.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let target = docs.join("agenda.txt");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = home.path().join("agenda-link.txt");
    std::os::unix::fs::symlink("docs/agenda.txt", &link).unwrap();
    let (code, _, err) = print_to(home.path(), &link, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("Helion 1.0")
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_replaced_only_with_force() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("agenda.txt");
    std::fs::write(&target, "keep me").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, out, err) = print_to(home.path(), &target, &[]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("agenda.txt: the file is read-only") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let (code, _, err) = print_to(home.path(), &target, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("Helion 1.0")
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "the file keeps its mode");
    let (code, _, err) = output(hallway(home.path()).args(["print", "--force"]));
    assert_eq!(code, 2, "--force needs -o: {err}");
}

#[test]
fn a_missing_directory_is_named_not_a_temporary_file() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("nowhere").join("agenda.txt");
    let (code, _, err) = print_to(home.path(), &target, &[]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nowhere: no such directory"), "{err}");
    assert!(!err.contains(".agenda.txt."), "no temporary file: {err}");
}
