//! The configuration file, `config.toml`: the display zone, the minimum gap between rooms,
//! the grid's zoom, the theme, keys and track colours. Read with the `toml` crate into typed
//! fields that refuse unknown keys; every mistake is one line naming the file, the line and
//! the key. Command-line flags beat what the file says (the binary applies both).
//!
//! Where it is: `--config PATH`, else `HALLWAY_CONFIG`, else `config.toml` in the platform's
//! configuration directory (`$XDG_CONFIG_HOME/hallway/`, by default `~/.config/hallway/`).
//! A file named explicitly must exist; the default one may be missing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;
use toml::Spanned;

use crate::app::Command;
use crate::app::keymap::{Context, Key, Keymap, KeymapError};
use crate::calendar::text::sanitize_line;

/// The file's name in the configuration directory.
pub const FILE_NAME: &str = "config.toml";

/// Which colours the UI uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Follow the terminal's palette (and `NO_COLOR`).
    #[default]
    Auto,
    /// Colours chosen for a dark background.
    Dark,
    /// Colours chosen for a light background.
    Light,
    /// No colour: marks, bold, dim and reverse only.
    None,
}

/// The configuration in force: the file's settings over the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file it was read from; `None` when there was none.
    pub path: Option<PathBuf>,
    /// `tz`: the display zone, as `--tz` takes it (checked).
    pub tz: Option<String>,
    /// `min_gap`: minutes, as `--min-gap`.
    pub min_gap: Option<u32>,
    /// `zoom`: minutes a row in the grid, one of 5, 10, 15, 30.
    pub zoom: Option<i64>,
    /// `theme`.
    pub theme: ThemeChoice,
    /// `[colors]`: a colour for each track named (names as written in the file).
    pub colors: BTreeMap<String, Color>,
    /// `[keys]`: command name → its keys, as written (checked).
    pub keys: BTreeMap<String, Vec<String>>,
    /// The default keymap with `[keys]` over it.
    pub keymap: Keymap,
}

/// Why the configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{}:{line}: {}{message}",
        path.display(),
        key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default()
    )]
    Invalid {
        path: PathBuf,
        line: usize,
        /// The key, dotted (`keys.star`), when the mistake is in one.
        key: Option<String>,
        message: String,
    },
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    tz: Option<Spanned<String>>,
    min_gap: Option<u32>,
    zoom: Option<Spanned<i64>>,
    theme: Option<ThemeChoice>,
    #[serde(default)]
    keys: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    colors: BTreeMap<String, Spanned<String>>,
}

/// Minutes a row the grid can show.
const ZOOMS: [i64; 4] = crate::app::ZOOMS;

/// The default file's place: `config.toml` in the platform's configuration directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hallway").map(|d| d.config_dir().join(FILE_NAME))
}

/// Where the configuration is read from: `explicit` (`--config` or `HALLWAY_CONFIG`), else
/// the default place.
pub fn path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(default_path)
}

impl Config {
    /// Reads the configuration: from `explicit` (which must exist), else from the default
    /// place (which may not).
    ///
    /// # Errors
    /// A file that cannot be read, or a mistake in it.
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let Some(path) = path(explicit) else {
            return Ok(Self::default());
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| ConfigError::Unreadable {
                    path: path.clone(),
                    reason: "not UTF-8 text".into(),
                })?;
                Self::parse(&path, &text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                Ok(Self::default())
            }
            Err(e) => Err(ConfigError::Unreadable {
                reason: crate::calendar::source::io_reason(&e),
                path,
            }),
        }
    }

    /// Reads the text of the file at `path`.
    ///
    /// # Errors
    /// A mistake in it, naming the line and the key.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let invalid =
            |span: Range<usize>, key: Option<String>, message: &str| ConfigError::Invalid {
                path: path.to_path_buf(),
                line: line_of(text, span.start),
                key,
                message: sanitize_line(&message.replace('\n', " ")),
            };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            // `zoom =` with nothing after it: the parser's words ("string values must be
            // quoted") would mislead for a number.
            let message = if value_missing(text, span.start) {
                "no value after '='"
            } else {
                e.message()
            };
            invalid(span.clone(), key_at(text, span.start), message)
        })?;
        let mut config = Self {
            path: Some(path.to_path_buf()),
            min_gap: raw.min_gap,
            theme: raw.theme.unwrap_or_default(),
            ..Self::default()
        };
        if let Some(tz) = raw.tz {
            crate::calendar::zone::parse_zone_flag(tz.get_ref())
                .map_err(|m| invalid(tz.span(), Some("tz".into()), &m.to_string()))?;
            config.tz = Some(tz.into_inner());
        }
        if let Some(zoom) = raw.zoom {
            if !ZOOMS.contains(zoom.get_ref()) {
                return Err(invalid(
                    zoom.span(),
                    Some("zoom".into()),
                    &format!(
                        "{} is not a zoom (minutes a row: 5, 10, 15 or 30)",
                        zoom.get_ref()
                    ),
                ));
            }
            config.zoom = Some(zoom.into_inner());
        }
        for (track, colour) in raw.colors {
            let parsed = parse_color(colour.get_ref()).map_err(|m| {
                invalid(
                    colour.span(),
                    Some(format!("colors.{}", quoted(&track))),
                    &m,
                )
            })?;
            config.colors.insert(sanitize_line(&track), parsed);
        }
        let mut spans = BTreeMap::new();
        for (name, value) in raw.keys {
            let key = format!("keys.{}", quoted(&name));
            let keys = key_list(value.get_ref())
                .map_err(|m| invalid(value.span(), Some(key.clone()), &m))?;
            let checked = if Command::from_name(&name).is_none() {
                Err(KeymapError::UnknownCommand(
                    sanitize_line(&name),
                    command_names(),
                ))
            } else {
                keys.iter().try_for_each(|k| Key::parse(k).map(drop))
            };
            checked.map_err(|e| invalid(value.span(), Some(key), &e.to_string()))?;
            spans.insert(name.clone(), value.span());
            config.keys.insert(name, keys);
        }
        config.keymap = Keymap::with_user_keys(
            config
                .keys
                .iter()
                .map(|(name, keys)| (name.as_str(), keys.as_slice())),
        )
        .map_err(|e| {
            let second = match &e {
                KeymapError::Twice { second, .. } => Some(*second),
                KeymapError::Reserved { command, .. } => Some(*command),
                _ => None,
            };
            let span = second.and_then(|s| spans.get(s).cloned()).unwrap_or(0..0);
            invalid(span, second.map(|s| format!("keys.{s}")), &e.to_string())
        })?;
        Ok(config)
    }
}

/// A key name as TOML writes it in a dotted key: bare when it can be.
fn quoted(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_owned()
    } else {
        format!("\"{}\"", sanitize_line(name).replace('"', "\\\""))
    }
}

/// Every command's name, for messages.
fn command_names() -> String {
    let names: Vec<&str> = <Command as strum::IntoEnumIterator>::iter()
        .map(Command::name)
        .collect();
    names.join(", ")
}

/// `"x"` or `["x", "Space"]`.
fn key_list(value: &toml::Value) -> Result<Vec<String>, String> {
    const WANTED: &str = "give a key (\"x\") or a list of keys ([\"x\", \"Space\"])";
    match value {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| WANTED.to_owned())
            })
            .collect(),
        _ => Err(WANTED.to_owned()),
    }
}

/// A colour name (`cyan`, `light-blue`, any case), an index 0–255 or `#rrggbb`; not red,
/// which marks clashes.
fn parse_color(text: &str) -> Result<Color, String> {
    crate::ui::theme::parse_color(text).ok_or_else(|| {
        format!(
            "'{}' is not a colour for a track (a name such as blue or light-green, an index 0–255, or #rrggbb; red is kept for clashes)",
            sanitize_line(text.trim())
        )
    })
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// Whether the line at `offset` is `key =` with no value (but perhaps a comment).
fn value_missing(text: &str, offset: usize) -> bool {
    let line = text.lines().nth(line_of(text, offset).saturating_sub(1));
    line.and_then(|l| l.split_once('='))
        .is_some_and(|(key, value)| {
            !key.trim().is_empty() && value.split('#').next().unwrap_or("").trim().is_empty()
        })
}

/// The dotted key written on the line of byte `offset` (`keys.star`), or the table a header
/// there names.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line = line_of(text, offset);
    let mut table: Option<String> = None;
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        let header = l
            .strip_prefix('[')
            .and_then(|rest| rest.split(']').next())
            .map(|h| h.trim().trim_matches('[').trim().to_owned());
        if i + 1 == line {
            return match header {
                Some(h) if !h.is_empty() => Some(h),
                _ => {
                    let key = l.split_once('=')?.0.trim().trim_matches('"');
                    (!key.is_empty()).then(|| match &table {
                        Some(t) => format!("{t}.{}", sanitize_line(key)),
                        None => sanitize_line(key),
                    })
                }
            };
        }
        if header.is_some() && !l.contains('=') {
            table = header;
        }
    }
    None
}

/// A key as a configuration file writes it (`Up`, not `↑`).
fn key_text(key: Key) -> String {
    use crossterm::event::KeyCode;
    match key.code {
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        _ => key.label(),
    }
}

/// A commented configuration file with the defaults: what `hallway config --print-default`
/// prints. It reads back as the defaults.
pub fn default_file() -> String {
    let mut out = String::from(
        "# hallway's configuration. Command-line flags win over what is set here.
# Read from --config PATH, else $HALLWAY_CONFIG, else config.toml in the configuration
# directory (hallway config --path says which). Lines starting with # are comments.

# Show times in this zone: an IANA name, or \"local\" for this machine's zone.
# Unset: the calendar's own zone.
# tz = \"Europe/Paris\"

# Flag changes of room with less than this many minutes between your starred sessions
# (hallway clashes, the agenda, the walk warning of hallway now). Unset: not flagged.
# min_gap = 10

# Minutes a row the grid opens at: 5, 10, 15 or 30.
zoom = 5

# Colours: \"auto\" (the terminal's palette), \"dark\", \"light\", or \"none\".
theme = \"auto\"

# A colour for a track, by the track's name: a colour name (black, green, yellow, blue,
# magenta, cyan, gray, darkgray, white, or light- and one of green, yellow, blue, magenta,
# cyan; not red, which marks clashes), an index 0-255, or #rrggbb.
[colors]
# \"Compilers\" = \"cyan\"
# \"GenAI & Multimodal\" = \"#d75f00\"

# Keys: a command = a key, or a list of keys. A key you give a command is taken from
# whatever else had it in that view. Keys are written as a character (x, ?, G), a name
# (Space, Enter, Esc, Tab, Shift-Tab, Backspace, Up, Down, Left, Right, PgUp, PgDn, Home,
# End, F1 to F12), or Ctrl- and one of those. The commands, with their keys in the grid:
[keys]
",
    );
    let keymap = Keymap::default();
    for command in <Command as strum::IntoEnumIterator>::iter() {
        let binding = [Context::Grid, Context::List, Context::Global]
            .into_iter()
            .chain([
                Context::Details,
                Context::Search,
                Context::Agenda,
                Context::Filter,
                Context::NowNext,
                Context::Changes,
                Context::Help,
            ])
            .find_map(|ctx| keymap.bindings(ctx).find(|b| b.command == command));
        let Some(binding) = binding else { continue };
        let keys: Vec<String> = binding
            .keys
            .iter()
            .map(|k| format!("{:?}", key_text(*k)))
            .collect();
        let value = match keys.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let setting = format!("{} = {value}", command.name());
        let _ = writeln!(out, "# {setting:<34} # {}", binding.description);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/home/u/.config/hallway/config.toml"), text)
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_default_file_reads_back_as_the_defaults() {
        let text = default_file();
        let config = parse(&text).unwrap();
        assert_eq!(
            Config {
                path: None,
                zoom: None,
                ..config
            },
            Config::default()
        );
        assert_eq!(config.zoom, Some(5));
        assert!(text.contains("# star = [\"s\", \"Space\"]"), "{text}");
        assert!(text.contains("# up = [\"Up\", \"k\"]"), "{text}");
        // Each example, once uncommented, is valid too.
        for line in text.lines() {
            let Some(example) = line.strip_prefix("# ") else {
                continue;
            };
            let Some((key, _)) = example.split_once(" = ") else {
                continue;
            };
            let is_key = (key.starts_with('"') && key.ends_with('"'))
                || key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if !is_key {
                continue;
            }
            let example = example.split(" # ").next().unwrap();
            let table = if text[..text.find(line).unwrap()].contains("[keys]") {
                "[keys]\n"
            } else if text[..text.find(line).unwrap()].contains("[colors]") {
                "[colors]\n"
            } else {
                ""
            };
            parse(&format!("{table}{example}\n")).unwrap_or_else(|e| panic!("{example}: {e}"));
        }
    }

    #[test]
    fn settings_are_read_and_typed() {
        let config = parse(
            "tz = \"America/New_York\"\nmin_gap = 10\nzoom = 15\ntheme = \"light\"\n[keys]\nstar = \"x\"\nnext_day = [\"n\", \"F5\"]\n[colors]\n\"GenAI & Multimodal\" = \"#d75f00\"\nCompilers = \"Light-Blue\"\n",
        )
        .unwrap();
        assert_eq!(config.tz.as_deref(), Some("America/New_York"));
        assert_eq!(config.min_gap, Some(10));
        assert_eq!(config.zoom, Some(15));
        assert_eq!(config.theme, ThemeChoice::Light);
        assert_eq!(
            config.colors["GenAI & Multimodal"],
            Color::Rgb(0xd7, 0x5f, 0)
        );
        assert_eq!(config.colors["Compilers"], Color::LightBlue);
        assert_eq!(config.keys["next_day"], vec!["n", "F5"]);
        assert_eq!(
            config
                .keymap
                .key_for(Context::Grid, Command::Star)
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            config
                .keymap
                .key_for(Context::Grid, Command::NextDay)
                .as_deref(),
            Some("n")
        );
    }

    #[test]
    fn mistakes_name_the_file_the_line_and_the_key() {
        let at = "/home/u/.config/hallway/config.toml";
        assert_eq!(
            error("tz = \"Europe/Paris\"\nfoo = 1\n"),
            format!(
                "{at}:2: foo: unknown field `foo`, expected one of `tz`, `min_gap`, `zoom`, `theme`, `keys`, `colors`"
            )
        );
        assert_eq!(
            error("\n\ntz = \"Mars/Olympus\"\n"),
            format!(
                "{at}:3: tz: unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Paris, or 'local')"
            )
        );
        assert!(error("min_gap = -3\n").starts_with(&format!("{at}:1: min_gap: ")));
        assert_eq!(
            error("tz = \"UTC\"\nzoom = # later\n"),
            format!("{at}:2: zoom: no value after '='")
        );
        assert_eq!(
            error("zoom = 7\n"),
            format!("{at}:1: zoom: 7 is not a zoom (minutes a row: 5, 10, 15 or 30)")
        );
        assert!(
            error("theme = \"blue\"\n")
                .starts_with(&format!("{at}:1: theme: unknown variant `blue`")),
            "{}",
            error("theme = \"blue\"\n")
        );
        assert!(
            error("[keys]\nstar = \"x\"\nstat = \"y\"\n").starts_with(&format!(
                "{at}:3: keys.stat: 'stat' is not a command (commands: up, down,"
            )),
        );
        assert!(
            error("[keys]\n\nstar = \"Hyper-x\"\n")
                .starts_with(&format!("{at}:3: keys.star: 'Hyper-x' is not a key")),
        );
        assert_eq!(
            error("[keys]\nagenda = \"x\"\nstar = [\"x\"]\n"),
            format!("{at}:3: keys.star: x is bound to both agenda and star")
        );
        assert!(error("[keys]\nstar = 5\n").starts_with(&format!("{at}:2: keys.star: give a key")),);
        assert!(
            error("[colors]\nCompilers = \"plaid\"\n").starts_with(&format!(
                "{at}:2: colors.Compilers: 'plaid' is not a colour"
            )),
        );
        assert!(
            error("[cheese]\n").starts_with(&format!("{at}:1: cheese: unknown field `cheese`"))
        );
        // A syntax error names the line.
        assert!(
            error("tz = \n").starts_with(&format!("{at}:1: ")),
            "{}",
            error("tz = \n")
        );
        // No escape sequence from the file reaches the terminal.
        assert!(!error("[keys]\n\"\u{1b}[2J\" = \"x\"\n").contains('\u{1b}'));
    }

    #[test]
    fn a_missing_default_file_is_the_defaults_but_a_named_one_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let err = Config::load(Some(&missing)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no such file", missing.display())
        );
    }
}
