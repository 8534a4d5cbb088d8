//! The `hallway` binary: parses the command line, loads the calendar, runs a subcommand.
//! Every failure is one line on stderr and exit code 2.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, Format, PrintArgs};
use hallway::calendar::source::Source;
use hallway::calendar::{Calendar, LoadOptions, zone};
use hallway::export::{self, Days};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let message = format!("{err:#}").replace('\n', " ");
            eprintln!("hallway: {message}");
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
    let rendered = err.render().to_string();
    let first = rendered
        .lines()
        .next()
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ");
    eprintln!("hallway: {first} (see 'hallway --help')");
    ExitCode::from(2)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let calendar = load_calendar(&cli)?;
    match cli.command {
        Some(Command::Print(args)) => print(&calendar, &args),
        None => print(
            &calendar,
            &PrintArgs {
                all: true,
                format: Format::Text,
                day: None,
            },
        ),
    }
}

fn load_calendar(cli: &Cli) -> Result<Calendar> {
    let zone_flag = cli
        .global
        .tz
        .as_deref()
        .map(zone::parse_zone_flag)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let source = Source::from_arg(cli.global.calendar.as_deref());
    let bytes = source.read()?;
    let options = LoadOptions::new(source.name(), zone_flag, zone::system_zone());
    let calendar = Calendar::parse(&bytes, &options)?;
    Ok(calendar)
}

fn print(calendar: &Calendar, args: &PrintArgs) -> Result<ExitCode> {
    let day = args
        .day
        .as_deref()
        .map(|d| calendar.find_day(d))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let days = Days::new(calendar, day, |_| true);
    let text = match args.format {
        Format::Text => {
            report_warnings(calendar);
            export::text::programme(&days)
        }
        Format::Json => export::json::programme(&days),
    };
    write_stdout(&text)
}

/// Warnings about the calendar on stderr, a few at most.
fn report_warnings(calendar: &Calendar) {
    const SHOWN: usize = 5;
    for w in calendar.warnings.iter().take(SHOWN) {
        eprintln!("hallway: warning: {}: {w}", calendar.source);
    }
    if calendar.warnings.len() > SHOWN {
        eprintln!(
            "hallway: warning: … and {} more (all of them: --format json)",
            calendar.warnings.len() - SHOWN
        );
    }
}

/// Writes to stdout; a closed pipe (`| head`) is a normal end, not an error.
fn write_stdout(text: &str) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
