//! Command-line interface: global options and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal planner for conference schedules: browse the programme, star talks, see clashes.
///
/// With no command, opens the programme in the terminal: arrows or hjkl move, s stars,
/// / searches, a shows your agenda, ? lists every key.
#[derive(Debug, Clone, Parser)]
#[command(name = "hallway", version, about, long_about = None)]
pub struct Cli {
    /// The calendar to open, as for --calendar: `hallway schedule.json` is
    /// `hallway --calendar schedule.json`
    #[arg(value_name = "CALENDAR", conflicts_with = "calendar")]
    pub open: Option<String>,
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// The calendar: a saved calendar's name (or the start of it), a file (.ics, frab
    /// schedule.xml or schedule.json), an http(s) URL, or - for standard input [default: the current saved calendar, at first the
    /// bundled PyTorch Conference Europe 2026 schedule]
    #[arg(short, long, global = true, value_name = "NAME|PATH|URL|-")]
    pub calendar: Option<String>,
    /// Show times in this zone: an IANA name (Europe/Paris) or 'local' [default: the
    /// calendar's own zone]
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Where starred sessions and saved calendars are kept [default: the platform's data directory]
    #[arg(long, global = true, env = "HALLWAY_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where offline copies of calendar URLs are kept [default: the platform's cache directory]
    #[arg(long, global = true, env = "HALLWAY_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Never touch the network: use the offline copy of a calendar URL
    #[arg(long, global = true)]
    pub offline: bool,
    /// Read the calendar itself: neither use nor write its parsed snapshot in the cache
    /// directory
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Also flag changes of room with less than this many minutes between starred sessions
    #[arg(
        long,
        global = true,
        value_name = "MINUTES",
        allow_negative_numbers = true
    )]
    pub min_gap: Option<u32>,
    #[arg(
        long,
        global = true,
        value_name = "TIME",
        help = "Pretend it is this time: RFC 3339 (2026-04-07T11:17:00+02:00), or HH:MM on a conference day in the display zone (11:17, \"wed 11:17\", \"2 11:17\") [env: HALLWAY_NOW=]"
    )]
    pub now: Option<String>,
    /// Read the configuration from this file [default: config.toml in the configuration
    /// directory; see 'hallway config --path']
    #[arg(long, global = true, env = "HALLWAY_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Subcommand)]
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
    /// One line about your starred sessions for a status bar: what is on, what is next
    Now(NowArgs),
    /// Save a calendar under its name (or --name) and make it the current one
    Add(AddArgs),
    /// The saved calendars: * marks the current one
    List,
    /// Make a saved calendar the current one (its name, or the start of it; any case)
    Use(NameArgs),
    /// Forget a saved calendar (its stars are kept unless --forget-stars)
    Remove(RemoveArgs),
    /// Where the configuration file is, or a commented default one
    Config(ConfigArgs),
    /// Print a completion script for a shell
    Completions(CompletionsArgs),
    /// Print the manual page (roff)
    Man,
}

#[derive(Debug, Clone, Args)]
pub struct NowArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = NowFormat::Text)]
    pub format: NowFormat,
    /// Consider every session when nothing is starred
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NowFormat {
    /// One line (empty when nothing is on today)
    Text,
    #[value(
        help = "An object: class, now (with minutes_left), next (with starts_in_minutes and walk)"
    )]
    Json,
    /// {"text", "tooltip", "class"} for a waybar custom module; class is now, soon or idle
    Waybar,
}

#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// An .ics file or an http(s) URL (a pretalx or Sched schedule's iCalendar export)
    #[arg(value_name = "PATH|URL")]
    pub source: String,
    /// Save it under this name instead of the calendar's own
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct NameArgs {
    /// A saved calendar's name, or the start of it (any case); 'bundled' for the bundled one
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// A saved calendar's name, or the start of it (any case)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Also forget its stars, hidden sessions and filter
    #[arg(long)]
    pub forget_stars: bool,
}

#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print where the configuration file is read from
    #[arg(long)]
    pub path: bool,
    /// Print a commented configuration file with the defaults
    #[arg(long)]
    pub print_default: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
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
    /// With --format ics: a reminder this many minutes before each session
    #[arg(long, value_name = "MINUTES", allow_negative_numbers = true)]
    pub remind: Option<u32>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// `--track`, `--room`, `--type`: show only some sessions (starred ones are always shown).
#[derive(Debug, Clone, Args, Default)]
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

#[derive(Debug, Clone, Args)]
pub struct IdArgs {
    /// Session ids, as `hallway search` prints them
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// What to look for
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many results (1 or more)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
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

#[derive(Debug, Clone, Args)]
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

/// The command a mistyped word was most likely meant to be: one of hallway's within two
/// edits (Damerau–Levenshtein, so `serach` is `search`), and not a command itself.
pub fn meant_command(word: &str) -> Option<String> {
    use clap::CommandFactory;
    let word = word.to_lowercase();
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|name| name != "help")
        .map(|name| (strsim::damerau_levenshtein(&word, &name), name))
        .filter(|(distance, name)| *distance > 0 && *distance <= 2.min(name.len() / 2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::meant_command;

    #[test]
    fn near_misses_of_commands_are_named() {
        assert_eq!(meant_command("prnt").as_deref(), Some("print"));
        assert_eq!(meant_command("serach").as_deref(), Some("search"));
        assert_eq!(meant_command("lst").as_deref(), Some("list"));
        assert_eq!(meant_command("Clashs").as_deref(), Some("clashes"));
        assert_eq!(meant_command("print"), None);
        assert_eq!(meant_command("fosdem"), None);
        assert_eq!(meant_command("36c3"), None);
        assert_eq!(meant_command("x"), None);
    }
}
