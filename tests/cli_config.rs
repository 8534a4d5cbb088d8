//! The configuration file as a user writes it: where it is read from, the zone and minimum
//! gap it sets (flags win), a key it rebinds reaching the TUI's keymap, footer and help, and
//! mistakes named by file and line. Also `config --print-default` (it reads back),
//! completions for every shell, and the man page. Never the real home: data and
//! configuration live in temporary directories.

mod common;
mod support;

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hallway::app::{Action, Command};
use hallway::calendar::Calendar;
use hallway::clock::Clock;
use hallway::config::{Config, ThemeChoice};
use hallway::plan::Store;
use hallway::tui::Runner;
use hallway::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::output;
use support::hallway;

/// Writes the default place's config file.
fn write_config(home: &Path, text: &str) -> PathBuf {
    let dir = home.join("config").join("hallway");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn ok(cmd: &mut assert_cmd::Command) -> String {
    let (code, out, err) = output(cmd);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn the_zone_and_gap_come_from_the_file_and_flags_win() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    write_config(home, "tz = \"America/New_York\"\nmin_gap = 10\n");
    let out = ok(hallway(home).args(["print", "--all", "--day", "1"]));
    assert!(out.contains("Times in America/New_York (EDT)"), "{out}");
    assert!(out.contains("\n03:00–03:10  Master Stage"), "{out}");
    let out = ok(hallway(home).args(["print", "--all", "--tz", "Asia/Tokyo"]));
    assert!(out.contains("Times in Asia/Tokyo (JST)"), "{out}");
    // min_gap: a change of room with 5 minutes is flagged, and --min-gap wins.
    ok(hallway(home).args([
        "star",
        "8fc71bd0fc057864e02da6513c64cbfd",
        "0ad61d38e69359e798fcf5a4345edda0",
    ]));
    let out = ok(hallway(home).arg("clashes"));
    assert!(out.contains("~ 5 min from Founders Cafe"), "{out}");
    let out = ok(hallway(home).args(["clashes", "--min-gap", "3"]));
    assert!(
        out.contains("No changes of room with less than 3 min"),
        "{out}"
    );
    // --config and HALLWAY_CONFIG name another file; --config wins.
    let other = home.join("other.toml");
    std::fs::write(&other, "tz = \"Asia/Tokyo\"\n").unwrap();
    let out = ok(hallway(home)
        .env("HALLWAY_CONFIG", &other)
        .args(["print", "--all"]));
    assert!(out.contains("Times in Asia/Tokyo"), "{out}");
    let third = home.join("third.toml");
    std::fs::write(&third, "tz = \"UTC\"\n").unwrap();
    let out = ok(hallway(home).env("HALLWAY_CONFIG", &other).args([
        "--config",
        third.to_str().unwrap(),
        "print",
        "--all",
    ]));
    assert!(out.contains("Times in UTC"), "{out}");
}

#[test]
fn config_path_and_a_default_file_that_reads_back() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (code, out, err) = output(hallway(home).args(["config", "--path"]));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("{}\n", home.join("config/hallway/config.toml").display())
    );
    assert!(err.contains("no file there yet"), "{err}");
    let elsewhere = home.join("elsewhere.toml");
    let out = ok(hallway(home)
        .env("HALLWAY_CONFIG", &elsewhere)
        .args(["config", "--path"]));
    assert_eq!(out, format!("{}\n", elsewhere.display()));
    // The default file, saved where it belongs, is read without complaint.
    let default = ok(hallway(home).args(["config", "--print-default"]));
    assert!(
        default.starts_with("# hallway's configuration."),
        "{default}"
    );
    assert!(
        default.contains("\n# star = [\"s\", \"Space\"]"),
        "{default}"
    );
    let path = write_config(home, &default);
    let config = Config::load(Some(&path)).unwrap();
    assert_eq!(config.zoom, Some(5));
    assert_eq!(config.theme, ThemeChoice::Auto);
    let (code, _, err) = output(hallway(home).args(["print", "--all"]));
    assert_eq!((code, err.as_str()), (0, ""));
    // config with neither option is a usage error.
    let (code, _, err) = output(hallway(home).arg("config"));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn mistakes_name_the_file_the_line_and_the_key() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let path = write_config(home, "# mine\ntz = \"Europe/Paris\"\nzoom = 7\n");
    let (code, out, err) = output(hallway(home).args(["print", "--all"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        format!(
            "hallway: {}:3: zoom: 7 is not a zoom (minutes a row: 5, 10, 15 or 30)\n",
            path.display()
        )
    );
    write_config(home, "[keys]\nstar = \"x\"\n\n[colours]\nx = 1\n");
    let (code, _, err) = output(hallway(home).arg("now"));
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "hallway: {}:4: colours: unknown field `colours`",
            path.display()
        )),
        "{err}"
    );
    write_config(home, "[keys]\nagenda = \"x\"\nstar = \"x\"\n");
    let (code, _, err) = output(hallway(home).arg("now"));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "hallway: {}:3: keys.star: x is bound to both agenda and star\n",
            path.display()
        )
    );
    // A file named explicitly must exist.
    let (code, _, err) = output(hallway(home).args(["--config", "/nonexistent/c.toml", "now"]));
    assert_eq!(code, 2);
    assert_eq!(err, "hallway: /nonexistent/c.toml: no such file\n");
}

#[test]
fn a_rebound_key_reaches_the_keymap_the_footer_and_help() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(
        home.path(),
        "zoom = 15\n[keys]\nstar = \"x\"\n[colors]\nCompilers = \"#ff8800\"\n",
    );
    let config = Config::load(Some(&path)).unwrap();
    assert_eq!(
        config.colors["Compilers"],
        ratatui::style::Color::Rgb(0xff, 0x88, 0)
    );
    let mut runner = Runner::new(
        Calendar::bundled(None, chrono_tz::Tz::UTC),
        Store::open(home.path()).map_err(|e| e.to_string()),
        Clock::Fixed("2026-04-07T09:20:00Z".parse().unwrap()),
        Theme::new(false),
    );
    runner.app.set_keymap(config.keymap.clone());
    runner.app.set_zoom_minutes(config.zoom.unwrap());
    assert_eq!(runner.app.minutes_per_row(), 15);
    let key = |ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE);
    assert_eq!(
        runner.app.action_for_key(&key('x')),
        Some(Action::Command(Command::Star))
    );
    assert_eq!(runner.app.action_for_key(&key('s')), None);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    runner.draw(&mut terminal).unwrap();
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(screen.contains("x star"), "{screen}");
    runner.app.update(Action::Command(Command::Help));
    runner.draw(&mut terminal).unwrap();
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(
        screen.contains("x                   star or unstar")
            || screen
                .lines()
                .any(|l| l.contains(" x ") && l.contains("star or unstar")),
        "{screen}"
    );
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = ok(hallway(home.path()).args(["completions", shell]));
        assert!(out.len() > 1000, "{shell}: {out}");
        for word in ["hallway", "print", "completions", "calendar"] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    let (code, _, err) = output(hallway(home.path()).args(["completions", "tcsh"]));
    assert_eq!(code, 2, "{err}");
    let man = ok(hallway(home.path()).arg("man"));
    assert!(man.starts_with(".ie \\n(.g .ds Aq"), "{}", &man[..200]);
    assert!(man.contains(".TH hallway 1"), "{man}");
    assert!(man.contains("A terminal planner for conference schedules"));
    for sub in ["print", "now", "add", "completions"] {
        assert!(man.contains(&format!(".SS hallway {sub}")), "{sub}");
    }
    // One page: no pointers to pages that are not installed.
    assert!(!man.contains("hallway\\-print(1)"), "{man}");
    for section in [
        ".SH KEYS",
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
    ] {
        assert!(man.contains(section), "{section}");
    }
    assert!(man.contains("\\-\\-remind <MINUTES>"), "{man}");
}
