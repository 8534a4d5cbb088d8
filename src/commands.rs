//! The subcommands: load what they need, call the library, write the result.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::Duration;

use crate::cli::{
    ChangesArgs, FilterArgs, Format, IdArgs, NowArgs, NowFormat, PrintArgs, SearchArgs,
    SearchFormat,
};
use hallway::calendar::source::Source;
use hallway::calendar::text::sanitize_line;
use hallway::calendar::{Calendar, Session};
use hallway::clock::Clock;
use hallway::export::agenda::Agenda;
use hallway::export::{self, Days, time_range};
use hallway::plan::store::LOCK_WAIT;
use hallway::plan::{Filter, Plan, Store, Visibility, visibility};
use hallway::search;
use hallway::ui::theme;
use hallway::width;

/// What every command works with.
pub struct Context {
    pub calendar: Calendar,
    pub data_dir: PathBuf,
    pub clock: Clock,
    pub min_gap: Option<u32>,
    /// Why the calendar is an offline copy, and how old.
    pub stale: Option<String>,
    /// The configuration file's settings (those with flags are already merged into the
    /// fields above).
    pub config: hallway::config::Config,
    /// Where the calendar was read from.
    pub source: Source,
    /// The calendar is a URL's offline copy, read so the view opens at once: fetch it again
    /// in the background once the view is up.
    pub refresh_at_start: bool,
    /// `--offline`: nothing is fetched, so the view offers no fetching again.
    pub offline: bool,
    /// Loads a calendar from a source (the TUI's refresh and calendar switch, on a worker
    /// thread).
    pub open: Open,
}

/// Loads a calendar from a source: the calendar, and a note when it is an offline copy.
pub type Open = std::sync::Arc<dyn Fn(&Source) -> Result<(Calendar, Option<String>)> + Send + Sync>;

impl Context {
    /// The star file, for commands that change it or are about the stars: one that cannot
    /// be read stops them. Stars of sessions re-published under new ids move with them.
    fn store(&self) -> Result<Store> {
        let mut store = Store::open(&self.data_dir)?;
        if hallway::plan::changes::carry_over(&mut store, &self.calendar) > 0 {
            save(&mut store)?;
        }
        Ok(store)
    }

    /// The star file, for commands that show the programme: one that cannot be read is a
    /// note on stderr, and no session is marked starred. Nothing is written.
    fn store_to_read(&self) -> Option<Store> {
        match Store::open(&self.data_dir) {
            Ok(store) => Some(store),
            Err(e) => {
                eprintln!("hallway: note: {e}; showing no stars");
                None
            }
        }
    }

    fn plan<'a>(&'a self, store: Option<&'a Store>) -> Plan<'a> {
        let key = &self.calendar.key;
        let plan = Plan::new(
            &self.calendar,
            store.and_then(|s| s.stars(key)),
            self.min_gap.map(|m| Duration::minutes(i64::from(m))),
        );
        match store {
            Some(store) => plan.with_hidden(store.hidden(key)),
            None => plan,
        }
    }
}

/// Saves, waiting up to 5 s for another hallway's save (saying so once), then giving up
/// with an error naming the lock file.
fn save(store: &mut Store) -> Result<()> {
    store.save_waiting(LOCK_WAIT, || {
        eprintln!("hallway: waiting for another hallway to finish saving…");
    })?;
    Ok(())
}

/// What `--track`, `--room` and `--type` ask for.
fn filter_of(cal: &Calendar, args: &FilterArgs) -> Result<Filter> {
    Ok(Filter::only(cal, &args.tracks, &args.rooms, &args.types)?)
}

/// Whether the command line shows `s`: all but what the filter flags leave out (starred
/// sessions always stay). Sessions the user hid are shown, marked.
fn listed(plan: &Plan, filter: &Filter, s: &Session) -> bool {
    let none = std::collections::BTreeSet::new();
    visibility(s, plan.is_starred(&s.id), &none, filter) != Visibility::HiddenByFilter
}

/// `hallway` with no command: the programme in the terminal.
pub fn tui(ctx: Context) -> Result<ExitCode> {
    let store = Store::open(&ctx.data_dir).map_err(|e| e.to_string());
    let mode = match ctx.config.theme {
        hallway::config::ThemeChoice::Auto => theme::Mode::Auto,
        hallway::config::ThemeChoice::Dark => theme::Mode::Dark,
        hallway::config::ThemeChoice::Light => theme::Mode::Light,
        hallway::config::ThemeChoice::None => theme::Mode::None,
    };
    let mut runner = hallway::tui::Runner::new(
        ctx.calendar,
        store,
        ctx.clock,
        theme::Theme::with_mode(mode),
    );
    runner.set_track_colors(
        ctx.config
            .colors
            .iter()
            .map(|(t, c)| (t.clone(), *c))
            .collect(),
    );
    runner.app.set_source_note(ctx.stale);
    runner.app.set_offline(ctx.offline);
    if let Some(min) = ctx.min_gap {
        runner.app.set_min_gap(Duration::minutes(i64::from(min)));
    }
    if let Some(zoom) = ctx.config.zoom {
        runner.app.set_zoom_minutes(zoom);
    }
    runner.app.set_keymap(ctx.config.keymap);
    runner.source = ctx.source;
    if ctx.refresh_at_start {
        runner.refresh_at_start();
    }
    runner.data_dir = Some(ctx.data_dir);
    let open = ctx.open;
    hallway::tui::run(
        runner,
        std::sync::Arc::new(move |source: &Source| open(source)),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `hallway now`: what is on and next among the starred sessions (every session with
/// `--all` when none is starred), for a status bar. Reads the star file and nothing else.
pub fn now(ctx: &Context, args: &NowArgs) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let store = ctx.store_to_read();
    let mut pool: Vec<&Session> = store
        .as_ref()
        .and_then(|s| s.stars(&cal.key))
        .map(|stars| stars.keys().filter_map(|id| cal.get(id)).collect())
        .unwrap_or_default();
    if pool.is_empty() {
        if args.all {
            pool = cal.sessions.iter().filter(|s| !s.is_background()).collect();
        } else if std::io::stdout().is_terminal() {
            // Typed by a person, not read by a status bar: say why the line is empty.
            eprintln!("hallway: nothing starred; 'hallway now --all' looks at every session");
        }
    }
    let min_gap = ctx.min_gap.map(|m| Duration::minutes(i64::from(m)));
    let status = export::now::status(cal, pool, ctx.clock.now(), min_gap);
    write_stdout(&match args.format {
        NowFormat::Text => export::now::text(status.as_ref()),
        NowFormat::Json => export::now::json(status.as_ref()),
        NowFormat::Waybar => export::now::waybar(status.as_ref()),
    })
}

/// `hallway changes`.
pub fn changes(ctx: &Context, args: &ChangesArgs) -> Result<ExitCode> {
    let mut store = ctx.store()?;
    if args.accept {
        let n = hallway::plan::changes::acknowledge(&mut store, &ctx.calendar);
        save(&mut store)?;
        let s = if n == 1 { "" } else { "s" };
        return write_stdout(&format!("Acknowledged {n} change{s}.\n"));
    }
    let plan = ctx.plan(Some(&store));
    write_stdout(&export::changes::text(&plan))
}

/// `hallway print`.
pub fn print(ctx: &Context, args: &PrintArgs) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let day = args
        .day
        .as_deref()
        .map(|d| cal.find_day(d))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let filtered = !(args.filter.tracks.is_empty()
        && args.filter.rooms.is_empty()
        && args.filter.types.is_empty());
    if filtered && !args.all {
        bail!("--track, --room and --type choose among the whole programme: add --all");
    }
    if args.remind.is_some() && args.format != Format::Ics {
        bail!("--remind adds reminders to the iCalendar export: add --format ics");
    }
    let filter = filter_of(cal, &args.filter)?;
    // The programme needs no stars; the agenda and the iCalendar of starred sessions do.
    let store = if args.all {
        ctx.store_to_read()
    } else {
        Some(ctx.store()?)
    };
    let plan = ctx.plan(store.as_ref());
    if args.all && args.format == Format::Text && args.output.is_none() {
        // The whole programme goes out as it is made, never held whole.
        let days = Days::new(cal, day, |s| listed(&plan, &filter, s));
        report_warnings(cal);
        return stream_stdout(|out| {
            export::text::programme_in_parts(&days, Some(&plan), |part| {
                out.write_all(part.as_bytes())
            })
        });
    }
    let text = if args.all || args.format == Format::Ics {
        let days = if args.all {
            Days::new(cal, day, |s| listed(&plan, &filter, s))
        } else {
            Days::new(cal, day, |s| plan.is_starred(&s.id))
        };
        match args.format {
            Format::Text => export::text::programme(&days, Some(&plan)),
            Format::Markdown => export::markdown::programme(&days, Some(&plan)),
            Format::Json => export::json::document(&days, Some(&plan), false),
            Format::Html => export::html::programme(&days, Some(&plan)),
            Format::Ics => {
                // With --all, the whole programme (as filtered); else your starred sessions.
                let sessions: Vec<&Session> = days
                    .sessions()
                    .filter(|s| args.all || plan.is_starred(&s.id))
                    .collect();
                let selection = if args.all {
                    export::ics::Selection::Programme
                } else {
                    export::ics::Selection::Starred
                };
                export::ics::calendar_with_reminders(
                    cal,
                    &sessions,
                    ctx.clock.now(),
                    args.remind,
                    selection,
                )
            }
        }
    } else {
        let agenda = Agenda::new(&plan, day);
        match args.format {
            Format::Text => export::text::agenda(&agenda),
            Format::Markdown => export::markdown::agenda(&agenda),
            Format::Html => export::html::agenda(&agenda),
            Format::Json => {
                let days = Days::new(cal, day, |s| plan.is_starred(&s.id));
                export::json::document(&days, Some(&plan), day.is_none())
            }
            Format::Ics => unreachable!("handled above"),
        }
    };
    report_warnings(cal);
    match &args.output {
        Some(path) => {
            hallway::atomic::write_output(path, text.as_bytes(), args.force)?;
            Ok(ExitCode::SUCCESS)
        }
        None => write_stdout(&text),
    }
}

/// `hallway star`.
pub fn star(ctx: &Context, args: &IdArgs) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let mut store = ctx.store()?;
    let sessions: Vec<&Session> = args
        .ids
        .iter()
        .map(|id| resolve(cal, id))
        .collect::<Result<_>>()?;
    let now = ctx.clock.now();
    let mut out = String::new();
    let mut fresh = Vec::new();
    for s in &sessions {
        if store.is_starred(&cal.key, &s.id) || fresh.contains(&s.id) {
            let _ = writeln!(out, "already starred: {}", describe(cal, s));
        } else {
            store.star(&cal.key, &cal.name, s, now);
            fresh.push(s.id.clone());
            let _ = writeln!(out, "★ starred: {}", describe(cal, s));
        }
    }
    save(&mut store)?;
    let plan = ctx.plan(Some(&store));
    for id in &fresh {
        for other in plan.clashes_with(id) {
            let _ = writeln!(
                out,
                "! {} clashes with {}",
                cal.get(id).map_or(id.as_str(), |s| s.title.as_str()),
                describe(cal, other)
            );
        }
    }
    write_stdout(&out)
}

/// `hallway unstar`: ids of the calendar, or of stars whose sessions left it.
pub fn unstar(ctx: &Context, args: &IdArgs) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let mut store = ctx.store()?;
    let stars = store.stars(&cal.key).cloned().unwrap_or_default();
    let mut ids = Vec::new();
    for arg in &args.ids {
        if stars.contains_key(arg) {
            ids.push(arg.clone());
            continue;
        }
        let starred: Vec<&String> = stars
            .keys()
            .filter(|id| id.starts_with(arg.as_str()))
            .collect();
        if arg.chars().count() >= MIN_PREFIX && starred.len() == 1 {
            ids.push(starred[0].clone());
            continue;
        }
        ids.push(resolve(cal, arg)?.id.to_string());
    }
    let mut out = String::new();
    for id in &ids {
        // A star whose session left the schedule is shown by its title, or its id: both
        // from the star file, so cleaned.
        let what = cal.get(id).map_or_else(
            || {
                stars
                    .get(id)
                    .map_or_else(|| sanitize_line(id), |s| sanitize_line(&s.title))
            },
            |s| describe(cal, s),
        );
        if store.is_starred(&cal.key, id) {
            store.unstar(&cal.key, id);
            let _ = writeln!(out, "unstarred: {what}");
        } else {
            let _ = writeln!(out, "not starred: {what}");
        }
    }
    save(&mut store)?;
    write_stdout(&out)
}

/// `hallway search`: every session holding every word, best first; exit code 1 when none
/// does.
pub fn search(ctx: &Context, args: &SearchArgs) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let query = args.query.join(" ");
    let filter = filter_of(cal, &args.filter)?;
    let store = ctx.store_to_read();
    let plan = ctx.plan(store.as_ref());
    // One query: reading each session once costs less than building the index the UI keeps.
    let hits = search::search_once(cal, &query, |s| listed(&plan, &filter, s));
    if hits.is_empty() {
        let among = if filter.is_empty() {
            ""
        } else {
            " among the sessions --track, --room and --type leave"
        };
        eprintln!(
            "hallway: nothing matches '{}'{among}",
            sanitize_line(&query)
        );
        return Ok(ExitCode::from(1));
    }
    let shown: Vec<&Session> = hits
        .iter()
        .take(usize::try_from(args.limit).unwrap_or(usize::MAX))
        .map(|h| &cal.sessions[h.index])
        .collect();
    match args.format {
        SearchFormat::Text => {
            // Where a row matched besides its title, as the UI's results say it.
            let mut out = String::new();
            for (line, hit) in rows(cal, &shown, 0, Some(&plan)).iter().zip(&hits) {
                out.push_str(line);
                if let Some(elsewhere) = hit.elsewhere() {
                    let _ = write!(out, "  ({elsewhere})");
                }
                out.push('\n');
            }
            write_stdout(&out)
        }
        SearchFormat::Json => write_stdout(&export::json::sessions(
            cal,
            shown.iter().copied(),
            Some(&plan),
        )),
    }
}

/// `hallway clashes`.
pub fn clashes(ctx: &Context) -> Result<ExitCode> {
    let cal = &ctx.calendar;
    let store = ctx.store()?;
    let plan = ctx.plan(Some(&store));
    let mut out = String::new();
    if plan.clashes.groups.is_empty() {
        let _ = writeln!(
            out,
            "No clashes among your {} starred sessions.",
            plan.starred.len()
        );
    }
    for group in &plan.clashes.groups {
        let first = plan.starred[group.members[0]];
        let _ = writeln!(
            out,
            "{}, {}–{}: {} sessions overlap",
            cal.local(group.start).format("%a %-d %b"),
            cal.local(group.start).format("%H:%M"),
            cal.local(group.end).format("%H:%M"),
            group.members.len()
        );
        let _ = first;
        let members: Vec<&Session> = group.members.iter().map(|&i| plan.starred[i]).collect();
        for line in session_rows(cal, &members, 2) {
            let _ = writeln!(out, "{line}");
        }
    }
    if let Some(min) = ctx.min_gap {
        if plan.tight.is_empty() {
            let _ = writeln!(
                out,
                "No changes of room with less than {min} min between sessions."
            );
        }
        for t in &plan.tight {
            let (from, to) = (plan.starred[t.from], plan.starred[t.to]);
            let _ = writeln!(
                out,
                "~ {} min from {} ({}) to {} ({} {})",
                t.gap.num_minutes(),
                from.room,
                cal.local(from.end).format("%a %H:%M"),
                to.room,
                cal.local(to.start).format("%H:%M"),
                to.title
            );
        }
    }
    write_stdout(&out)
}

/// Shortest id prefix accepted.
const MIN_PREFIX: usize = 6;

/// The session an id (or a unique prefix of at least 6 characters) names.
fn resolve<'a>(cal: &'a Calendar, id: &str) -> Result<&'a Session> {
    if let Some(s) = cal.get(id) {
        return Ok(s);
    }
    let matching: Vec<&Session> = cal
        .sessions
        .iter()
        .filter(|s| s.id.starts_with(id))
        .collect();
    let id = sanitize_line(id);
    if id.chars().count() < MIN_PREFIX {
        let mut msg = format!(
            "'{id}' is too short: give a session id, or at least {MIN_PREFIX} characters of one"
        );
        if !matching.is_empty() {
            let _ = write!(
                msg,
                " ({} starts so: {})",
                matching.len(),
                inline(&matching)
            );
        }
        bail!(msg);
    }
    match matching.len() {
        1 => Ok(matching[0]),
        0 => {
            let similar = similar_ids(cal, &id);
            let mut msg =
                format!("no session has the id '{id}' (find ids with: hallway search WORDS)");
            if !similar.is_empty() {
                let _ = write!(msg, "; ids that start alike: {}", inline(&similar));
            }
            Err(anyhow!(msg))
        }
        n => bail!(
            "'{id}' starts {n} session ids; give more of it: {}",
            inline(&matching)
        ),
    }
}

/// A few sessions on one line: `ea4620ce0f81 (Helion 1.0: A High-Level…), …`.
fn inline(sessions: &[&Session]) -> String {
    const SHOWN: usize = 3;
    let mut parts: Vec<String> = sessions
        .iter()
        .take(SHOWN)
        .map(|s| {
            format!(
                "{} ({})",
                width::truncate(&s.id, 48),
                width::truncate(s.headline(), 32)
            )
        })
        .collect();
    if sessions.len() > SHOWN {
        parts.push(format!("and {} more", sessions.len() - SHOWN));
    }
    parts.join(", ")
}

/// Sessions whose ids share the longest prefix with `id` (at least 3 characters).
fn similar_ids<'a>(cal: &'a Calendar, id: &str) -> Vec<&'a Session> {
    let common = |s: &Session| {
        s.id.chars()
            .zip(id.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let best = cal.sessions.iter().map(common).max().unwrap_or(0);
    if best < 3 {
        return Vec::new();
    }
    cal.sessions.iter().filter(|s| common(s) == best).collect()
}

/// `Tue 7 Apr 11:00–11:25, Master Stage: Helion 1.0: …`.
fn describe(cal: &Calendar, s: &Session) -> String {
    format!(
        "{} {}, {}: {}",
        export::day_label(cal, s),
        time_range(cal, s),
        width::truncate(&s.room, 60),
        width::truncate(&s.title, 200)
    )
}

fn session_rows(cal: &Calendar, sessions: &[&Session], indent: usize) -> Vec<String> {
    rows(cal, sessions, indent, None)
}

/// Aligned lines `id  day  time  room  title — speakers`, for people and scripts alike;
/// sessions the user hid marked `[hidden]`.
fn rows(cal: &Calendar, sessions: &[&Session], indent: usize, plan: Option<&Plan>) -> Vec<String> {
    let id_w = sessions
        .iter()
        .map(|s| width::cells(&s.id))
        .max()
        .unwrap_or(0);
    let room_w = export::text::room_width(sessions.iter().copied());
    let time_w = sessions
        .iter()
        .map(|s| width::cells(&time_range(cal, s)))
        .max()
        .unwrap_or(0);
    sessions
        .iter()
        .map(|s| {
            let line = format!(
                "{}{}  {}  {}  {}  {}",
                " ".repeat(indent),
                width::fit(&s.id, id_w),
                export::day_label(cal, s),
                width::fit(&time_range(cal, s), time_w),
                width::fit(&s.room, room_w),
                export::text::marked_title_line(s, plan.is_some_and(|p| p.is_hidden(&s.id)))
            );
            line.trim_end().to_owned()
        })
        .collect()
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
    if let Some(note) = calendar.zone_note() {
        eprintln!("hallway: note: {note}");
    }
}

/// Writes to stdout; a closed pipe (`| head`) is a normal end, not an error.
pub fn write_stdout(text: &str) -> Result<ExitCode> {
    stream_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output with `write`; a reader that has gone (`| head`) ends it quietly.
fn stream_stdout(
    write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
