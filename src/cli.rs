//! Command-line interface: global options and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal planner for conference schedules: browse the programme, star talks, see clashes.
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
    /// The calendar: an .ics file, or - for standard input [default: the bundled PyTorch
    /// Conference Europe 2026 schedule]
    #[arg(short, long, global = true, value_name = "PATH|-")]
    pub calendar: Option<String>,
    /// Show times in this zone: an IANA name (Europe/Paris) or 'local' [default: the
    /// calendar's own zone]
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Where starred sessions are kept [default: the platform's data directory]
    #[arg(long, global = true, env = "HALLWAY_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the programme day by day
    Print(PrintArgs),
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The whole programme
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only this day: a date (2026-04-07), its number (1), or a weekday (tue)
    #[arg(long, value_name = "DATE|N")]
    pub day: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned plain text
    Text,
    /// JSON, for scripts
    Json,
}
