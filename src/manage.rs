//! The commands that manage rather than show a programme: saved calendars (`add`, `list`,
//! `use`, `remove`), `config`, `completions` and `man`. None of them needs the current
//! calendar loaded.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use clap::CommandFactory;

use crate::cli::{AddArgs, Cli, CompletionsArgs, ConfigArgs, NameArgs, RemoveArgs};
use crate::commands::write_stdout;
use hallway::calendar::Calendar;
use hallway::calendar::source::Source;
use hallway::calendar::text::sanitize_line;
use hallway::calendars::{Calendars, Found, Saved};
use hallway::clock::Clock;
use hallway::plan::{Filter, Store};
use hallway::width;

/// Loads a calendar from a source, offline when asked: the binary's loader.
pub type Open<'a> = dyn Fn(Source, bool) -> Result<(Calendar, Option<String>)> + 'a;

/// `hallway add SOURCE [--name NAME]`: loads it once to check it, saves it, makes it current.
pub fn add(data_dir: &Path, args: &AddArgs, open: &Open, clock: Clock) -> Result<ExitCode> {
    if args.source.trim().is_empty() {
        bail!("the calendar to add is empty: give a file or a URL");
    }
    let source = match Source::from_arg(Some(&args.source)) {
        Source::Stdin => bail!(
            "standard input cannot be saved (it is gone once read): save the calendar to a file and add that"
        ),
        Source::File(path) => {
            Source::File(std::path::absolute(&path).with_context(|| format!("{}", path.display()))?)
        }
        other => other,
    };
    let (calendar, stale) = open(source.clone(), false)?;
    if let Some(note) = stale {
        eprintln!("hallway: note: {note}");
    }
    let name = sanitize_line(args.name.as_deref().unwrap_or(&calendar.name).trim());
    if name.is_empty() {
        bail!("the calendar has no name: give it one with --name");
    }
    let mut calendars = Calendars::open(data_dir)?;
    calendars.add(&Saved {
        name: name.clone(),
        source: source.name(),
        key: calendar.key.clone(),
        added: hallway::plan::store::rfc3339(clock.now()),
    })?;
    let mut out = format!(
        "Saved '{name}' ({}); it is the current calendar now.\n",
        summary(&calendar)
    );
    if let Some(note) = adopt_stars(data_dir, &calendars, &calendar, clock) {
        out.push_str(&note);
    }
    write_stdout(&out)
}

/// Takes over the stars the same conference has under another key (its earlier export in
/// another format): a line saying so, or nothing. An unreadable star file is left alone.
fn adopt_stars(
    data_dir: &Path,
    calendars: &Calendars,
    calendar: &Calendar,
    clock: Clock,
) -> Option<String> {
    let Ok(mut store) = Store::open(data_dir) else {
        return None;
    };
    let keep: Vec<&str> = calendars
        .saved()
        .iter()
        .map(|s| s.key.as_str())
        .chain([hallway::calendars::bundled_key()])
        .filter(|k| *k != calendar.key)
        .collect();
    let (from, count) = hallway::plan::changes::adopt(&mut store, calendar, &keep, clock.now())?;
    // The calendar is saved already: a star file that cannot be written now only means
    // the stars stay where they were.
    if let Err(e) = store.save_waiting(hallway::plan::store::LOCK_WAIT, || {
        eprintln!("hallway: waiting for another hallway to finish saving…");
    }) {
        eprintln!(
            "hallway: note: the stars of '{}' match this calendar's sessions but could not be moved to it: {e}",
            sanitize_line(&from)
        );
        return None;
    }
    let (s, verb) = if count == 1 { ("", "is") } else { ("s", "are") };
    Some(format!(
        "Your {count} star{s} from '{}' {verb} on the same sessions here: moved to '{}'.\n",
        sanitize_line(&from),
        calendar.name
    ))
}

/// `129 sessions, 7–8 Apr 2026`.
fn summary(calendar: &Calendar) -> String {
    let n = calendar.sessions.len();
    let s = if n == 1 { "" } else { "s" };
    format!("{n} session{s}, {}", date_span(&calendar.days()))
}

/// `7–8 Apr 2026`, `30 Mar – 2 Apr 2026`, `30 Dec 2026 – 2 Jan 2027`, `7 Apr 2026`.
fn date_span(days: &[NaiveDate]) -> String {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return "no dates".to_owned();
    };
    let full = |d: &NaiveDate| d.format("%-d %b %Y").to_string();
    if first == last {
        full(first)
    } else if first.format("%Y%m").to_string() == last.format("%Y%m").to_string() {
        format!("{}–{}", first.format("%-d"), full(last))
    } else if first.format("%Y").to_string() == last.format("%Y").to_string() {
        format!("{} – {}", first.format("%-d %b"), full(last))
    } else {
        format!("{} – {}", full(first), full(last))
    }
}

/// `hallway list`: every calendar, the current one marked `*`: name, source, sessions,
/// dates, stars. URL calendars are read from their offline copy.
pub fn list(data_dir: &Path, open: &Open) -> Result<ExitCode> {
    let calendars = Calendars::open(data_dir)?;
    let store = match Store::open(data_dir) {
        Ok(store) => Some(store),
        Err(e) => {
            eprintln!("hallway: note: {e}; not counting stars");
            None
        }
    };
    let rows: Vec<[String; 4]> = calendars
        .list()
        .into_iter()
        .map(|listed| {
            let mark = if listed.is_current { "*" } else { " " };
            let source = match &listed.source {
                Source::Bundled => "bundled".to_owned(),
                other => other.name(),
            };
            let about = match open(listed.source.clone(), true) {
                Ok((cal, _)) => match &store {
                    Some(store) => {
                        let stars = store
                            .stars(&cal.key)
                            .map_or(0, std::collections::BTreeMap::len);
                        let s = if stars == 1 { "" } else { "s" };
                        format!("{}, {stars} star{s}", summary(&cal))
                    }
                    // Not "0 stars": they are there, only unreadable now.
                    None => format!("{}, stars unreadable", summary(&cal)),
                },
                Err(e) => format!("unavailable: {}", sanitize_line(&format!("{e:#}"))),
            };
            [mark.to_owned(), listed.name, source, about]
        })
        .collect();
    let name_w = rows.iter().map(|r| width::cells(&r[1])).max().unwrap_or(0);
    let source_w = rows.iter().map(|r| width::cells(&r[2])).max().unwrap_or(0);
    let mut out = String::new();
    for [mark, name, source, about] in &rows {
        let _ = writeln!(
            out,
            "{mark} {}  {}  {about}",
            width::fit(name, name_w),
            width::fit(source, source_w)
        );
    }
    write_stdout(&out)
}

/// `hallway use NAME`.
pub fn switch(data_dir: &Path, args: &NameArgs) -> Result<ExitCode> {
    let mut calendars = Calendars::open(data_dir)?;
    let found = calendars.find(&args.name)?;
    calendars.set_current(found.name())?;
    write_stdout(&format!("Using '{}' now.\n", found.name()))
}

/// `hallway remove NAME [--forget-stars]`.
pub fn remove(data_dir: &Path, args: &RemoveArgs) -> Result<ExitCode> {
    let mut calendars = Calendars::open(data_dir)?;
    let name = match calendars.find(&args.name)? {
        Found::Bundled => return Err(hallway::calendars::CalendarsError::Bundled.into()),
        Found::Saved(saved) => saved.name,
    };
    let removed = calendars.remove(&name)?;
    let mut out = format!("Forgot '{name}'");
    let shared = calendars.saved().iter().any(|s| s.key == removed.key)
        || hallway::calendars::bundled_key() == removed.key;
    match Store::open(data_dir) {
        Ok(store) => {
            let count = store
                .stars(&removed.key)
                .map_or(0, std::collections::BTreeMap::len);
            let s = if count == 1 { "" } else { "s" };
            if args.forget_stars && !shared {
                forget_stars(store, &removed)?;
                if count > 0 {
                    let _ = write!(out, " and its {count} star{s}");
                }
            } else if count > 0 {
                let why = if args.forget_stars {
                    "another saved calendar has the same key"
                } else {
                    "--forget-stars forgets them"
                };
                let verb = if count == 1 { "is" } else { "are" };
                let _ = write!(out, "; its {count} star{s} {verb} kept ({why})");
            }
        }
        Err(e) if args.forget_stars => return Err(e.into()),
        Err(_) => {}
    }
    if calendars.current().is_none() {
        let _ = write!(out, ". The bundled calendar is the current one now");
    }
    out.push_str(".\n");
    write_stdout(&out)
}

/// Drops the stars, hidden sessions and filter of the calendar `saved`.
fn forget_stars(mut store: Store, saved: &Saved) -> Result<()> {
    let ids: Vec<String> = store
        .stars(&saved.key)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for id in &ids {
        store.unstar(&saved.key, id);
    }
    store.unhide_all(&saved.key);
    store.set_filter(&saved.key, &saved.name, &Filter::default());
    store.save_waiting(hallway::plan::store::LOCK_WAIT, || {
        eprintln!("hallway: waiting for another hallway to finish saving…");
    })?;
    Ok(())
}

/// `hallway config --path | --print-default`.
pub fn config(explicit: Option<&Path>, args: &ConfigArgs) -> Result<ExitCode> {
    if args.print_default {
        return write_stdout(&hallway::config::default_file());
    }
    let Some(path) = hallway::config::path(explicit) else {
        bail!("no configuration directory (no home directory): give a file with --config PATH");
    };
    if !path.exists() {
        eprintln!(
            "hallway: note: there is no file there yet (hallway config --print-default > {} makes one)",
            path.display()
        );
    }
    write_stdout(&format!("{}\n", path.display()))
}

/// `hallway completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "hallway", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))
}

/// `hallway man`: the manual page, in roff.
pub fn man() -> Result<ExitCode> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)
        .and_then(|()| man.render_name_section(&mut out))
        .and_then(|()| man.render_synopsis_section(&mut out))
        .and_then(|()| man.render_description_section(&mut out))
        .and_then(|()| man.render_options_section(&mut out))
        .context("writing the manual page")?;
    let mut page = String::from_utf8_lossy(&out).into_owned();
    page.push_str(&commands_section(&cmd));
    page.push_str(MAN_EXTRA);
    write_stdout(&page)
}

/// `text` safe in roff: backslashes doubled, a leading dot or quote escaped.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

/// The COMMANDS section: every subcommand with its usage and options, in this one page
/// (no separate pages to install).
fn commands_section(cmd: &clap::Command) -> String {
    let mut page = String::from(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let mut sub = sub.clone().bin_name(format!("hallway {}", sub.get_name()));
        let usage = sub.render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ");
        let _ = writeln!(page, ".SS {}", roff(usage));
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            let _ = writeln!(page, "{}", roff(&about.to_string()));
        }
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_global_set() && !a.is_hide_set())
        {
            let mut names: Vec<String> = Vec::new();
            if let Some(short) = arg.get_short() {
                names.push(format!("-{short}"));
            }
            if let Some(long) = arg.get_long() {
                names.push(format!("--{long}"));
            }
            if names.is_empty() {
                names.push(arg.get_id().to_string().to_uppercase());
            } else if arg.get_action().takes_values()
                && let Some(values) = arg.get_value_names()
                && let Some(last) = names.last_mut()
            {
                let values: Vec<String> = values.iter().map(|v| format!("<{v}>")).collect();
                last.push(' ');
                last.push_str(&values.join(" "));
            }
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            let _ = write!(
                page,
                ".TP\n\\fB{}\\fR\n{}\n",
                roff(&names.join(", ")),
                roff(&help)
            );
        }
    }
    page
}

/// What the generated sections leave out: the keys, the files and the environment.
const MAN_EXTRA: &str = r".SH KEYS
In the programme view, \fB?\fR lists the keys of the view you are in. The main ones:
arrows or \fBh j k l\fR move, \fBTab\fR changes day, \fBEnter\fR shows details,
\fBs\fR stars, \fB/\fR searches, \fBa\fR shows your agenda, \fBw\fR what is on now
and next, \fBv\fR the list, \fB*\fR starred only, \fBf\fR the filter, \fBx\fR hides a
session, \fBC\fR your calendars, \fB+\fR and \fB\-\fR zoom, \fBq\fR quits.
Keys can be changed in the configuration file's \fB[keys]\fR table.
.SH FILES
.TP
\fI~/.local/share/hallway/starred.json\fR
Your stars, hidden sessions and filters, per calendar (\fB\-\-data\-dir\fR, \fBHALLWAY_DATA_DIR\fR).
.TP
\fI~/.local/share/hallway/calendars.json\fR
Your saved calendars (\fBhallway add\fR, \fBlist\fR, \fBuse\fR, \fBremove\fR).
.TP
\fI~/.config/hallway/config.toml\fR
The configuration (\fB\-\-config\fR, \fBHALLWAY_CONFIG\fR); \fBhallway config \-\-print\-default\fR prints one.
.TP
\fI~/.cache/hallway/\fR
Offline copies of URL calendars (\fB\-\-cache\-dir\fR, \fBHALLWAY_CACHE_DIR\fR).
.SH ENVIRONMENT
.TP
\fBHALLWAY_DATA_DIR\fR, \fBHALLWAY_CACHE_DIR\fR, \fBHALLWAY_CONFIG\fR
Where stars, offline copies and the configuration are kept.
.TP
\fBHALLWAY_NOW\fR
Pretend it is this time (as \fB\-\-now\fR).
.TP
\fBNO_COLOR\fR
No colours; marks and bold, dim and reverse carry the meaning.
.TP
\fBBROWSER\fR
The program that opens a session's page (\fBo\fR).
.SH EXIT STATUS
0 on success; 1 when \fBhallway search\fR finds nothing; 2 on any error, with one line on
standard error.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_spans_read_short() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            date_span(&[d("2026-04-07"), d("2026-04-08")]),
            "7–8 Apr 2026"
        );
        assert_eq!(
            date_span(&[d("2026-03-30"), d("2026-04-02")]),
            "30 Mar – 2 Apr 2026"
        );
        assert_eq!(
            date_span(&[d("2026-12-30"), d("2027-01-02")]),
            "30 Dec 2026 – 2 Jan 2027"
        );
        assert_eq!(date_span(&[d("2026-04-07")]), "7 Apr 2026");
        assert_eq!(date_span(&[]), "no dates");
    }
}
