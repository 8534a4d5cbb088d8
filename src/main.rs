//! The `hallway` binary: parses the command line, loads the calendar, runs a subcommand or
//! the terminal UI. Every failure is a message on stderr and exit code 2.

mod cli;
mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Parser;

use cli::{Cli, Command};
use commands::Context;
use hallway::calendar::fetch::FetchOptions;
use hallway::calendar::source::{self, Source};
use hallway::calendar::{Calendar, LoadOptions, zone};
use hallway::clock::Clock;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("hallway: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Help and version go to stdout as usual; a usage error is one line and exit code 2.
fn clap_exit(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    // clap's first paragraph, on one line: "the following required arguments were not
    // provided: <ID>...".
    let rendered = err.render().to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let message = first.join(" ");
    let message = message.trim_start_matches("error: ");
    eprintln!("hallway: {message} (see 'hallway --help')");
    ExitCode::from(2)
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    let loader = Loader::new(cli, clock)?;
    let (calendar, stale) = loader.load()?;
    if cli.command.is_some()
        && let Some(note) = &stale
    {
        eprintln!("hallway: note: {note}");
    }
    let ctx = Context {
        calendar,
        data_dir: data_dir(cli.global.data_dir.as_ref())?,
        clock,
        min_gap: cli.global.min_gap,
        stale,
        reload: Box::new(move || loader.load()),
    };
    match &cli.command {
        Some(Command::Print(args)) => commands::print(&ctx, args),
        Some(Command::Star(args)) => commands::star(&ctx, args),
        Some(Command::Unstar(args)) => commands::unstar(&ctx, args),
        Some(Command::Search(args)) => commands::search(&ctx, args),
        Some(Command::Clashes) => commands::clashes(&ctx),
        Some(Command::Changes(args)) => commands::changes(&ctx, args),
        None => commands::tui(ctx),
    }
}

/// `--data-dir`, `HALLWAY_DATA_DIR`, or the platform's data directory for hallway
/// (`~/.local/share/hallway` on Linux).
fn data_dir(flag: Option<&PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("", "", "hallway")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| anyhow!("no home directory to keep stars in; give one with --data-dir DIR"))
}

/// Loads the calendar the command line names, as often as asked (the TUI refreshes).
struct Loader {
    source: Source,
    zone_flag: Option<chrono_tz::Tz>,
    cache_dir: PathBuf,
    offline: bool,
    clock: Clock,
}

impl Loader {
    fn new(cli: &Cli, clock: Clock) -> Result<Self> {
        let zone_flag = cli
            .global
            .tz
            .as_deref()
            .map(zone::parse_zone_flag)
            .transpose()?;
        let cache_dir = match &cli.global.cache_dir {
            Some(dir) => dir.clone(),
            None => directories::ProjectDirs::from("", "", "hallway").map_or_else(
                || std::env::temp_dir().join("hallway-cache"),
                |dirs| dirs.cache_dir().to_path_buf(),
            ),
        };
        Ok(Self {
            source: Source::from_arg(cli.global.calendar.as_deref()),
            zone_flag,
            cache_dir,
            offline: cli.global.offline,
            clock,
        })
    }

    /// The calendar, and a note when it is an offline copy. A URL's offline copy is
    /// replaced only by a body that loads.
    fn load(&self) -> Result<(Calendar, Option<String>)> {
        let fetch = FetchOptions {
            cache_dir: self.cache_dir.clone(),
            offline: self.offline,
            now: self.clock.now(),
        };
        let options = LoadOptions::new(self.source.name(), self.zone_flag, zone::system_zone());
        let loaded = source::load(&self.source, &fetch, &options)?;
        Ok((loaded.calendar, loaded.stale))
    }
}
