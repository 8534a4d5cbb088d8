//! Command-line interface: global options and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal planner for conference schedules: browse the programme, star talks, see clashes.
///
/// With no command, opens the programme in the terminal: arrows or hjkl move, s stars,
/// / searches, a shows your agenda, ? lists every key.
#[derive(Debug, Parser)]
#[command(name = "hallway", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The calendar: an .ics file, an http(s) URL, or - for standard input [default: the
    /// bundled PyTorch Conference Europe 2026 schedule]
    #[arg(short, long, global = true, value_name = "PATH|URL|-")]
    pub calendar: Option<String>,
    /// Show times in this zone: an IANA name (Europe/Paris) or 'local' [default: the
    /// calendar's own zone]
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Where starred sessions are kept [default: the platform's data directory]
    #[arg(long, global = true, env = "HALLWAY_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where offline copies of calendar URLs are kept [default: the platform's cache directory]
    #[arg(long, global = true, env = "HALLWAY_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Never touch the network: use the offline copy of a calendar URL
    #[arg(long, global = true)]
    pub offline: bool,
    /// Also flag changes of room with less than this many minutes between starred sessions
    #[arg(long, global = true, value_name = "MINUTES")]
    pub min_gap: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print your agenda (starred sessions), or the whole programme with --all
    Print(PrintArgs),
    /// Star sessions by id (or a unique prefix of at least 6 characters)
    Star(IdArgs),
    /// Remove stars by id (or a unique prefix of at least 6 characters)
    Unstar(IdArgs),
    /// Find sessions whose title, speakers, tracks, room, type or description hold every
    /// word (or its start; one typo allowed in words of 4 letters or more)
    Search(SearchArgs),
    /// List clashes among your starred sessions
    Clashes,
    /// What changed for your starred sessions since you last looked (moved, renamed,
    /// cancelled, gone, re-published, new clashes)
    Changes(ChangesArgs),
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The whole programme, starred sessions marked ★, instead of your agenda
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only this day: a date (2026-04-07), its number (1), or a weekday (tue)
    #[arg(long, value_name = "DATE|N")]
    pub day: Option<String>,
    /// Write to this file (replaced atomically; a device, FIFO or /dev/stdout is written
    /// into) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file even if it is read-only
    #[arg(long, requires = "output")]
    pub force: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// `--track`, `--room`, `--type`: show only some sessions (starred ones are always shown).
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only sessions in this track (repeatable; any case, accents optional, or the start of
    /// one name); starred sessions are always shown
    #[arg(long = "track", value_name = "TRACK")]
    pub tracks: Vec<String>,
    /// Only sessions in this room (repeatable, matched like --track)
    #[arg(long = "room", value_name = "ROOM")]
    pub rooms: Vec<String>,
    /// Only sessions of this type (repeatable): talk, keynote, sponsored keynote, lightning,
    /// bof, poster, workshop, panel, sponsored, break, meetup, other
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// Session ids, as `hallway search` prints them
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// One line a session, best first: id, day, time, room, title — speakers
    Text,
    /// The sessions as `print --format json` gives them, best first
    Json,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Acknowledge them: the report is empty until the schedule changes again
    #[arg(long)]
    pub accept: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned plain text (80 columns; 100 with --all)
    Text,
    /// A heading per day and a table of sessions
    Markdown,
    /// JSON, for scripts
    Json,
    /// iCalendar of the starred sessions, to import into a calendar app
    Ics,
    /// One self-contained page, laid out for printing
    Html,
}
