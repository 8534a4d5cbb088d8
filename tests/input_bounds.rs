//! Input is bounded whatever it comes from: a character device (made with mknod in a temp
//! directory, never the real /dev), a FIFO with or without a writer, standard input. Too
//! much is a one-line error with exit code 2; a FIFO or pipe that sends nothing is given up
//! on instead of waited for forever.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{hallway, hallway_process, output};
use hallway::calendar::Problem;
use hallway::calendar::source::{Limits, read_file};

/// A copy of /dev/zero (character device 1:5) in `dir`, or `None` with a note where this
/// process may not make devices.
fn zero_device(dir: &Path) -> Option<PathBuf> {
    let path = dir.join("zero");
    let made = std::process::Command::new("mknod")
        .arg(&path)
        .args(["c", "1", "5"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        Some(path)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true") || !is_root(),
            "mknod failed as root under CI"
        );
        println!("note: cannot mknod here (not root?); character device test skipped");
        None
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("calendar.fifo");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &path,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    path
}

/// A thread that opens the FIFO for writing, writes `bytes` (a reader that stops early
/// breaks the pipe, which is fine), holds it open for `hold`, and closes it. Returns once
/// the thread has had time to open it.
fn start_writer(path: &Path, bytes: Vec<u8>, hold: Duration) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    let thread = std::thread::spawn(move || {
        let mut w = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = w.write_all(&bytes);
        std::thread::sleep(hold);
    });
    std::thread::sleep(Duration::from_millis(100));
    thread
}

const CALENDAR: &str = "BEGIN:VCALENDAR\nX-WR-CALNAME:Piped\nBEGIN:VEVENT\nUID:p1\nSUMMARY:Through a pipe\nDTSTART:20260407T090000Z\nDURATION:PT30M\nEND:VEVENT\nEND:VCALENDAR\n";

#[test]
fn an_endless_character_device_is_refused_at_256_mb() {
    let dir = tempfile::tempdir().unwrap();
    let Some(zero) = zero_device(dir.path()) else {
        return;
    };
    let started = Instant::now();
    let (code, out, err) =
        output(hallway(dir.path()).args(["-c", zero.to_str().unwrap(), "print", "--all"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(
        without_progress(&err),
        format!(
            "hallway: {}: larger than 256 MB, more than any calendar\n",
            zero.display()
        )
    );
    assert!(started.elapsed() < Duration::from_secs(60));

    // The same device as standard input.
    let out = hallway_process(dir.path())
        .args(["-c", "-", "print", "--all"])
        .stdin(std::fs::File::open(&zero).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        without_progress(&String::from_utf8_lossy(&out.stderr)),
        "hallway: -: larger than 256 MB, more than any calendar\n"
    );
}

/// `stderr` without the note that a read is taking long (reading 256 MB may take over a
/// second on a loaded machine).
fn without_progress(stderr: &str) -> String {
    stderr
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("hallway: still reading "))
        .collect()
}

#[test]
fn a_fifo_is_read_to_its_end_when_a_writer_comes() {
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path());
    let child = hallway_process(dir.path())
        .args(["-c", path.to_str().unwrap(), "print", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The writer comes a little later, and writes in two pieces.
    std::thread::sleep(Duration::from_millis(300));
    let mut writer = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let (first, second) = CALENDAR.split_at(40);
    writer.write_all(first.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    writer.write_all(second.as_bytes()).unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Through a pipe"), "{stdout}");
}

/// Nothing written for a second: hallway says what it waits for (it is the only thing on
/// the terminal before the programme view starts), then reads the calendar when it comes.
#[test]
fn a_wait_for_a_fifo_is_said_on_stderr_and_the_calendar_still_read() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path());
    let mut child = hallway_process(dir.path())
        .args(["-c", path.to_str().unwrap(), "print", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    stderr.read_line(&mut said).unwrap();
    assert!(
        said.starts_with("hallway: still reading ") && said.contains("calendar.fifo"),
        "{said}"
    );
    let mut writer = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    writer.write_all(CALENDAR.as_bytes()).unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(out.status.success(), "{rest}");
    assert!(!rest.contains("still reading"), "said once: {rest}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Through a pipe"));
}

#[test]
fn a_fifo_without_a_writer_or_with_a_silent_one_is_given_up_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path());
    let limits = Limits {
        idle: Duration::from_millis(300),
        ..Limits::default()
    };
    // Nobody ever opens it for writing: opening it does not block, reading stops.
    let started = Instant::now();
    let err = read_file(&path, limits).unwrap_err();
    assert!(matches!(err, Problem::Stalled(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "nothing arrived for 300 ms; is anything writing to it?"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // A writer that holds it open, sends a little, then nothing.
    let writer = start_writer(
        &path,
        b"BEGIN:VCALENDAR\n".to_vec(),
        Duration::from_millis(1500),
    );
    let started = Instant::now();
    let err = read_file(&path, limits).unwrap_err();
    assert!(matches!(err, Problem::Stalled(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    writer.join().unwrap();

    // One that writes everything and closes: the whole calendar.
    let writer = start_writer(&path, CALENDAR.as_bytes().to_vec(), Duration::ZERO);
    assert_eq!(read_file(&path, limits).unwrap(), CALENDAR.as_bytes());
    writer.join().unwrap();
}

#[test]
fn a_fifo_sending_more_than_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path());
    let writer = start_writer(&path, vec![b'x'; 1 << 20], Duration::ZERO);
    let limits = Limits {
        max_bytes: 100_000,
        idle: Duration::from_secs(5),
    };
    assert!(matches!(read_file(&path, limits), Err(Problem::TooLarge)));
    writer.join().unwrap();
}

#[test]
fn a_pipe_on_standard_input_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = hallway_process(dir.path())
        .args(["-c", "-", "print", "--all"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(CALENDAR.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Through a pipe"));
}
