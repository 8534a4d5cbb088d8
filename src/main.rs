//! The `hallway` binary: parses the command line, loads the calendar, runs a subcommand or
//! the terminal UI. Every failure is a message on stderr and exit code 2.

mod cli;
mod commands;
mod manage;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use clap::Parser;

use cli::{Cli, Command};
use commands::Context;
use hallway::calendar::fetch::FetchOptions;
use hallway::calendar::source::{self, Source};
use hallway::calendar::{Calendar, LoadOptions, zone};
use hallway::calendars::{Calendars, CalendarsError, Found};
use hallway::clock::{Clock, NowSpec};
use hallway::config::Config;

fn main() -> ExitCode {
    map_large_blocks();
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    if let Some(calendar) = cli.open.take() {
        cli.global.calendar = Some(calendar);
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("hallway: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Has glibc's malloc map every block over 128 KiB on its own, as it does at first, instead
/// of raising that threshold up to 32 MiB each time such a block is freed (its default). A
/// load holds the file, the events and the sessions in blocks of megabytes, freed in turn:
/// mapped, each goes back to the system when freed, and a vector that grows is moved by
/// remapping its pages, not copied. Left to the default, the freed blocks stay in the heap
/// and a cold `print --all` of 100,000 sessions ends holding 26 MB more.
fn map_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; no thread runs yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
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
    // `hallway serach helion` reads 'serach' as a calendar and 'helion' as the command.
    let meant = matches!(err.kind(), ErrorKind::InvalidSubcommand)
        .then(|| {
            std::env::args()
                .skip(1)
                .find_map(|a| cli::meant_command(&a))
        })
        .flatten();
    if let Some(command) = meant {
        eprintln!("hallway: {message} (did you mean 'hallway {command}'? see 'hallway --help')");
        return ExitCode::from(2);
    }
    eprintln!("hallway: {message} (see 'hallway --help')");
    ExitCode::from(2)
}

fn run(mut cli: Cli) -> Result<ExitCode> {
    // What needs neither the configuration nor a calendar.
    match &cli.command {
        Some(Command::Completions(args)) => return manage::completions(args),
        Some(Command::Man) => return manage::man(),
        Some(Command::Config(args)) => return manage::config(cli.global.config.as_deref(), args),
        _ => {}
    }
    let config = Config::load(cli.global.config.as_deref())?;
    // Flags beat the configuration file.
    cli.global.tz = cli.global.tz.take().or_else(|| config.tz.clone());
    cli.global.min_gap = cli.global.min_gap.or(config.min_gap);
    let now = NowSpec::from_flag_or_env(cli.global.now.as_deref())?;
    let fetch_clock = now.as_ref().map_or(Clock::System, NowSpec::before_load);
    let data_dir = data_dir(cli.global.data_dir.as_ref())?;
    let open = |source: Source, offline: bool| -> Result<(Calendar, Option<String>)> {
        let mut loader = Loader::new(&cli, fetch_clock, source)?;
        loader.offline |= offline;
        loader.load()
    };
    match &cli.command {
        Some(Command::Add(args)) => return manage::add(&data_dir, args, &open, fetch_clock),
        Some(Command::List) => return manage::list(&data_dir, &open),
        Some(Command::Use(args)) => return manage::switch(&data_dir, args),
        Some(Command::Remove(args)) => return manage::remove(&data_dir, args),
        _ => {}
    }
    let (source, saved_name) = choose_source(cli.global.calendar.as_deref(), &data_dir)?;
    // A status bar runs `now` every few seconds, and the programme view must open at once:
    // both read a URL's offline copy when there is one, and never wait for the network then
    // (the view fetches in the background once it is up).
    let offline_first = matches!(cli.command, Some(Command::Now(_)) | None)
        && matches!(source, Source::Url(_))
        && !cli.global.offline;
    let mut loader = Loader::new(&cli, fetch_clock, source)?;
    loader.offline |= offline_first;
    let mut first = loader.load_saying();
    let mut refresh_at_start = false;
    if offline_first {
        loader.offline = false;
        if first.is_err() {
            first = loader.load_saying();
        } else if let Ok((_, stale)) = &mut first {
            refresh_at_start = cli.command.is_none();
            *stale = None;
        }
    }
    let (calendar, stale) = first.map_err(|e| match &saved_name {
        Some(name) => anyhow!(
            "the saved calendar '{name}': {e:#} (hallway use NAME switches to another; hallway remove '{name}' forgets it)"
        ),
        None => e,
    })?;
    let clock = match &now {
        Some(spec) => spec.resolve(&calendar)?,
        None => Clock::System,
    };
    if cli.command.is_some()
        && let Some(note) = &stale
    {
        eprintln!("hallway: note: {note}");
    }
    let ctx = Context {
        calendar,
        data_dir,
        clock,
        min_gap: cli.global.min_gap,
        stale,
        config,
        source: loader.source.clone(),
        refresh_at_start,
        offline: cli.global.offline,
        open: std::sync::Arc::new(move |source: &Source| {
            let mut loader = loader.clone();
            loader.source = source.clone();
            loader.load()
        }),
    };
    let done = match &cli.command {
        Some(Command::Print(args)) => commands::print(&ctx, args),
        Some(Command::Star(args)) => commands::star(&ctx, args),
        Some(Command::Unstar(args)) => commands::unstar(&ctx, args),
        Some(Command::Search(args)) => commands::search(&ctx, args),
        Some(Command::Clashes) => commands::clashes(&ctx),
        Some(Command::Changes(args)) => commands::changes(&ctx, args),
        Some(Command::Now(args)) => commands::now(&ctx, args),
        Some(
            Command::Add(_)
            | Command::List
            | Command::Use(_)
            | Command::Remove(_)
            | Command::Config(_)
            | Command::Completions(_)
            | Command::Man,
        ) => unreachable!("handled before the calendar is loaded"),
        None => return commands::tui(ctx),
    };
    // The process's exit frees the calendar at once; freeing its sessions one by one
    // would take longer than many commands do.
    std::mem::forget(ctx);
    done
}

/// The calendar to load, and the saved name it goes by: `-c` as a path, URL or `-`; else
/// `-c` as a saved calendar's name (or the start of one); with no `-c`, the current saved
/// calendar, at first the bundled one. A path that exists wins over a name; a `-c` that is
/// neither is read as a path (and is then "no such file").
fn choose_source(
    arg: Option<&str>,
    data_dir: &std::path::Path,
) -> Result<(Source, Option<String>)> {
    let Some(arg) = arg else {
        let calendars = Calendars::open(data_dir)?;
        return Ok(match calendars.current() {
            Some(saved) => (saved.source(), Some(saved.name.clone())),
            None => (Source::Bundled, None),
        });
    };
    if arg.trim().is_empty() {
        bail!("the calendar given is empty: give a saved calendar's name, a file, a URL or -");
    }
    if let Some((scheme, _)) = arg.split_once("://")
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !matches!(Source::from_arg(Some(arg)), Source::Url(_))
    {
        bail!(
            "{}: only http:// and https:// addresses can be read",
            hallway::calendar::text::sanitize_line(arg)
        );
    }
    let direct = match Source::from_arg(Some(arg)) {
        // The same file is the same calendar however its path is written: a calendar with
        // no name of its own keeps its stars under its absolute path.
        Source::File(path) if path.exists() => {
            Source::File(std::fs::canonicalize(&path).unwrap_or(path))
        }
        other => other,
    };
    if !matches!(&direct, Source::File(path) if !path.exists()) {
        return Ok((direct, None));
    }
    match Calendars::open(data_dir)?.find(arg) {
        Ok(Found::Bundled) => Ok((Source::Bundled, None)),
        Ok(Found::Saved(saved)) => Ok((saved.source(), Some(saved.name))),
        Err(CalendarsError::NotFound { .. }) => match cli::meant_command(arg) {
            Some(command) if !arg.contains(['/', '.']) => bail!(
                "{}: no such file, saved calendar or command (did you mean 'hallway {command}'?)",
                hallway::calendar::text::sanitize_line(arg)
            ),
            _ => Ok((direct, None)),
        },
        Err(e) => Err(e.into()),
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
#[derive(Clone)]
struct Loader {
    source: Source,
    zone_flag: Option<chrono_tz::Tz>,
    cache_dir: PathBuf,
    offline: bool,
    /// `--no-cache`: neither read nor write parsed snapshots.
    no_cache: bool,
    clock: Clock,
}

impl Loader {
    fn new(cli: &Cli, clock: Clock, source: Source) -> Result<Self> {
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
            source,
            zone_flag,
            cache_dir,
            offline: cli.global.offline,
            no_cache: cli.global.no_cache,
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
        let mut options = LoadOptions::new(self.source.name(), self.zone_flag, zone::system_zone());
        if !self.no_cache {
            options = options.with_snapshots(self.cache_dir.join("snapshots"));
        }
        let loaded = source::load(&self.source, &fetch, &options)?;
        let note = match (loaded.stale, loaded.snapshot_note) {
            (Some(stale), Some(snapshot)) => Some(format!("{stale}; {snapshot}")),
            (stale, snapshot) => stale.or(snapshot),
        };
        Ok((loaded.calendar, note))
    }

    /// [`Loader::load`], saying on stderr when the calendar is not read after a second (a
    /// FIFO nobody writes to, standard input, a slow server or a very large file), so the
    /// terminal is not left blank and silent before the programme view can start. The
    /// reading itself gives up after 30 s without a byte.
    fn load_saying(&self) -> Result<(Calendar, Option<String>)> {
        if matches!(self.source, Source::Bundled) {
            return self.load();
        }
        std::thread::scope(|scope| {
            let (done, result) = std::sync::mpsc::channel();
            scope.spawn(move || {
                // The receiver is gone only when the command has already ended.
                let _ = done.send(self.load());
            });
            match result.recv_timeout(std::time::Duration::from_secs(1)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let what = match &self.source {
                        Source::Stdin => "standard input".to_owned(),
                        source => hallway::calendar::text::sanitize_line(&source.name()),
                    };
                    eprintln!("hallway: still reading {what}… (Ctrl-C stops)");
                    result.recv()
                }
                got => got.map_err(|_| std::sync::mpsc::RecvError),
            }
            .map_err(|_| anyhow!("reading the calendar stopped unexpectedly"))?
        })
    }
}
