//! Keys are data: the default bindings are one table, and the [`Keymap`] the app owns is
//! built from it. Dispatch, the help overlay and the footer hints all read that keymap, so
//! they cannot drift apart; each binding carries its own words for the view it belongs to.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

/// Where a binding applies: a view, an overlay, or everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The room-by-time grid.
    Grid,
    /// The list of the day's sessions.
    List,
    /// The details of a session, with the keyboard.
    Details,
    /// The search box and its results.
    Search,
    /// Your agenda.
    Agenda,
    /// The filter checklist.
    Filter,
    /// Now and next in every room.
    NowNext,
    /// The "schedule changed" report.
    Changes,
    /// The saved calendars.
    Calendars,
    /// This help.
    Help,
    /// Everywhere.
    Global,
}

impl Context {
    /// The heading help gives the context.
    pub fn title(self) -> &'static str {
        match self {
            Self::Grid => "Grid",
            Self::List => "List",
            Self::Details => "Details",
            Self::Search => "Search",
            Self::Agenda => "Agenda",
            Self::Filter => "Filter",
            Self::NowNext => "Now & next",
            Self::Changes => "Schedule changed",
            Self::Calendars => "Calendars",
            Self::Help => "Help",
            Self::Global => "Anywhere",
        }
    }
}

/// A key as bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}

const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

impl Key {
    /// How help and the footer show the key: `↑`, `Space`, `Ctrl-C`.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(ch) => ch.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }

    /// Reads a key as a configuration file writes it: a character (`x`, `?`, `G`), a name
    /// (`Space`, `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Backspace`, `Up`, `Down`, `Left`,
    /// `Right`, `PgUp`, `PgDn`, `Home`, `End`, `F1`…`F12`), or `Ctrl-` and one of those. Names
    /// are case-insensitive.
    ///
    /// # Errors
    /// What the text is, when it names no key.
    pub fn parse(text: &str) -> Result<Self, KeymapError> {
        let bad = || KeymapError::BadKey(crate::calendar::text::sanitize_line(text));
        let t = text.trim();
        let (ctrl, rest) = match t.get(..5) {
            Some(p) if p.eq_ignore_ascii_case("ctrl-") && t.len() > 5 => (true, &t[5..]),
            _ => (false, t),
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(ch), None) => KeyCode::Char(if ctrl { ch.to_ascii_lowercase() } else { ch }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "shift-tab" | "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
        };
        Ok(Self { code, ctrl })
    }

    /// Whether a key event is this key. Shift only matters through the character it makes.
    pub fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            // Shift-Tab arrives as BackTab on most terminals, as Shift+Tab on some.
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        code == self.code && ctrl == self.ctrl
    }
}

/// A footer hint: the short word shown beside the key, and how much it matters (0 is kept
/// whatever the width; higher numbers go first when the footer is short of room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub word: &'static str,
    pub priority: u8,
}

/// One line of the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub command: Command,
    /// What the command does here, in help.
    pub description: &'static str,
    /// Shown in the footer, when set.
    pub hint: Option<Hint>,
}

/// A row of the default table.
struct Row {
    context: Context,
    keys: &'static [Key],
    command: Command,
    description: &'static str,
    hint: Option<Hint>,
}

const fn row(
    context: Context,
    keys: &'static [Key],
    command: Command,
    description: &'static str,
    hint: Option<(&'static str, u8)>,
) -> Row {
    Row {
        context,
        keys,
        command,
        description,
        hint: match hint {
            Some((word, priority)) => Some(Hint { word, priority }),
            None => None,
        },
    }
}

use Command as C;
use Context::{
    Agenda, Calendars, Changes, Details, Filter, Global, Grid, Help, List, NowNext, Search,
};

const UP: &[Key] = &[k(KeyCode::Up), c('k')];
const DOWN: &[Key] = &[k(KeyCode::Down), c('j')];
const PGUP: &[Key] = &[k(KeyCode::PageUp)];
const PGDN: &[Key] = &[k(KeyCode::PageDown)];
const HOME: &[Key] = &[k(KeyCode::Home), c('g')];
const END: &[Key] = &[k(KeyCode::End), c('G')];
const NEXT_DAY: &[Key] = &[k(KeyCode::Tab), c(']')];
const PREV_DAY: &[Key] = &[k(KeyCode::BackTab), c('[')];
const STAR: &[Key] = &[c('s'), c(' ')];
const QUIT: &[Key] = &[c('q')];
const HELP: &[Key] = &[c('?')];

/// The default keymap. In each view the keys are listed in the order help shows them; the
/// footer shows hints by priority (0 always, higher ones first to go when short of room).
#[rustfmt::skip]
const DEFAULTS: &[Row] = &[
    row(Global, &[ctrl('c')], C::Quit, "quit", None),
    // The grid.
    row(Grid, UP, C::Up, "previous session in this room", Some(("move", 1))),
    row(Grid, DOWN, C::Down, "next session in this room", Some(("move", 1))),
    row(Grid, &[k(KeyCode::Left), c('h')], C::Left, "nearest session to the left (next lane, then room)", Some(("move", 1))),
    row(Grid, &[k(KeyCode::Right), c('l')], C::Right, "nearest session to the right", Some(("move", 1))),
    row(Grid, PGUP, C::PageUp, "a screenful earlier", None),
    row(Grid, PGDN, C::PageDown, "a screenful later", None),
    row(Grid, HOME, C::Home, "first session of the day", None),
    row(Grid, END, C::End, "last session of the day", None),
    row(Grid, NEXT_DAY, C::NextDay, "next day", Some(("day", 5))),
    row(Grid, PREV_DAY, C::PrevDay, "previous day", None),
    row(Grid, &[k(KeyCode::Enter)], C::Details, "details of the session", Some(("details", 6))),
    row(Grid, STAR, C::Star, "star or unstar (saved at once)", Some(("star", 2))),
    row(Grid, &[c('/')], C::Search, "search", Some(("search", 3))),
    row(Grid, &[c('a')], C::Agenda, "your agenda", Some(("agenda", 4))),
    row(Grid, &[c('w')], C::NowNext, "now and next in every room", Some(("now", 7))),
    row(Grid, &[c('v')], C::ToggleView, "list view", Some(("list", 8))),
    row(Grid, &[c('*')], C::StarredOnly, "only starred sessions / all", None),
    row(Grid, &[c('f')], C::Filter, "filter tracks, rooms and types", Some(("filter", 9))),
    row(Grid, &[c('x')], C::Hide, "hide this session (X shows hidden ones)", None),
    row(Grid, &[c('X')], C::ShowHidden, "show hidden sessions / hide them again", None),
    row(Grid, &[c('c')], C::NextClash, "next clash among your stars", None),
    row(Grid, &[c('n')], C::Now, "select what is on now", None),
    row(Grid, &[c('o')], C::OpenUrl, "open the session's web page", None),
    row(Grid, &[c('r')], C::Refresh, "fetch the schedule again", None),
    row(Grid, &[c('C')], C::Calendars, "your calendars: switch to another", None),
    row(Grid, &[c('+'), c('=')], C::ZoomIn, "zoom in: fewer minutes a row", Some(("zoom", 10))),
    row(Grid, &[c('-')], C::ZoomOut, "zoom out: more minutes a row", None),
    row(Grid, HELP, C::Help, "help", Some(("help", 0))),
    row(Grid, QUIT, C::Quit, "quit", Some(("quit", 0))),
    // The list.
    row(List, UP, C::Up, "previous session", Some(("move", 1))),
    row(List, DOWN, C::Down, "next session", Some(("move", 1))),
    row(List, PGUP, C::PageUp, "a screenful up", None),
    row(List, PGDN, C::PageDown, "a screenful down", None),
    row(List, HOME, C::Home, "first session of the day", None),
    row(List, END, C::End, "last session of the day", None),
    row(List, NEXT_DAY, C::NextDay, "next day", Some(("day", 5))),
    row(List, PREV_DAY, C::PrevDay, "previous day", None),
    row(List, &[k(KeyCode::Enter)], C::Details, "details of the session", Some(("details", 6))),
    row(List, STAR, C::Star, "star or unstar (saved at once)", Some(("star", 2))),
    row(List, &[c('/')], C::Search, "search", Some(("search", 3))),
    row(List, &[c('a')], C::Agenda, "your agenda", Some(("agenda", 4))),
    row(List, &[c('w')], C::NowNext, "now and next in every room", Some(("now", 7))),
    row(List, &[c('v')], C::ToggleView, "grid view", Some(("grid", 8))),
    row(List, &[c('*')], C::StarredOnly, "only starred sessions / all", None),
    row(List, &[c('f')], C::Filter, "filter tracks, rooms and types", Some(("filter", 9))),
    row(List, &[c('x')], C::Hide, "hide this session (X shows hidden ones)", None),
    row(List, &[c('X')], C::ShowHidden, "show hidden sessions / hide them again", None),
    row(List, &[c('c')], C::NextClash, "next clash among your stars", None),
    row(List, &[c('n')], C::Now, "select what is on now", None),
    row(List, &[c('o')], C::OpenUrl, "open the session's web page", None),
    row(List, &[c('r')], C::Refresh, "fetch the schedule again", None),
    row(List, &[c('C')], C::Calendars, "your calendars: switch to another", None),
    row(List, HELP, C::Help, "help", Some(("help", 0))),
    row(List, QUIT, C::Quit, "quit", Some(("quit", 0))),
    // Details.
    row(Details, UP, C::Up, "scroll up", Some(("scroll", 1))),
    row(Details, DOWN, C::Down, "scroll down", Some(("scroll", 1))),
    row(Details, PGUP, C::PageUp, "a page up", None),
    row(Details, PGDN, C::PageDown, "a page down", None),
    row(Details, &[k(KeyCode::Enter), k(KeyCode::Esc)], C::Back, "back", Some(("back", 0))),
    row(Details, STAR, C::Star, "star or unstar (saved at once)", Some(("star", 2))),
    row(Details, &[c('x')], C::Hide, "hide this session", None),
    row(Details, &[c('o')], C::OpenUrl, "open the session's web page", Some(("open", 3))),
    row(Details, HELP, C::Help, "help", Some(("help", 0))),
    row(Details, QUIT, C::Quit, "quit", Some(("quit", 4))),
    // Search.
    row(Search, &[k(KeyCode::Up)], C::Up, "previous result", Some(("choose", 1))),
    row(Search, &[k(KeyCode::Down)], C::Down, "next result", Some(("choose", 1))),
    row(Search, PGUP, C::PageUp, "a page of results up", None),
    row(Search, PGDN, C::PageDown, "a page of results down", None),
    row(Search, &[k(KeyCode::Home)], C::Home, "first result", None),
    row(Search, &[k(KeyCode::End)], C::End, "last result", None),
    row(Search, &[k(KeyCode::Backspace)], C::Erase, "erase a letter", None),
    row(Search, &[k(KeyCode::Enter)], C::Confirm, "show the session", Some(("show", 0))),
    row(Search, &[k(KeyCode::Esc)], C::Back, "close the search", Some(("close", 0))),
    // The agenda.
    row(Agenda, UP, C::Up, "previous item", Some(("move", 1))),
    row(Agenda, DOWN, C::Down, "next item", Some(("move", 1))),
    row(Agenda, PGUP, C::PageUp, "a page up", None),
    row(Agenda, PGDN, C::PageDown, "a page down", None),
    row(Agenda, HOME, C::Home, "first item", None),
    row(Agenda, END, C::End, "last item", None),
    row(Agenda, &[k(KeyCode::Enter)], C::Confirm, "show the session in the programme", Some(("show", 2))),
    row(Agenda, STAR, C::Star, "unstar (or star again)", Some(("unstar", 3))),
    row(Agenda, &[c('u')], C::Acknowledge, "acknowledge the changes shown", Some(("acknowledge", 4))),
    row(Agenda, &[k(KeyCode::Esc), c('a')], C::Back, "back to the programme", Some(("back", 0))),
    row(Agenda, HELP, C::Help, "help", Some(("help", 0))),
    row(Agenda, QUIT, C::Quit, "quit", Some(("quit", 0))),
    // The filter.
    row(Filter, UP, C::Up, "previous entry", Some(("move", 1))),
    row(Filter, DOWN, C::Down, "next entry", Some(("move", 1))),
    row(Filter, PGUP, C::PageUp, "a page up", None),
    row(Filter, PGDN, C::PageDown, "a page down", None),
    row(Filter, &[c(' ')], C::Confirm, "show or hide the entry", Some(("toggle", 0))),
    row(Filter, &[c('o')], C::OnlyThis, "only this one (in its section)", Some(("only", 2))),
    row(Filter, &[c('a')], C::ShowAll, "all (in this section)", Some(("all", 3))),
    row(Filter, &[c('n')], C::ShowNone, "none (in this section)", Some(("none", 4))),
    row(Filter, &[c('/')], C::Search, "find an entry by name", Some(("find", 5))),
    row(Filter, &[k(KeyCode::Backspace)], C::Erase, "erase a letter of the name", None),
    row(Filter, &[k(KeyCode::Esc), k(KeyCode::Enter), c('f')], C::Back, "close the filter", Some(("close", 0))),
    row(Filter, HELP, C::Help, "help", Some(("help", 6))),
    row(Filter, QUIT, C::Quit, "quit", Some(("quit", 7))),
    // Now and next.
    row(NowNext, UP, C::Up, "previous room", Some(("move", 1))),
    row(NowNext, DOWN, C::Down, "next room", Some(("move", 1))),
    row(NowNext, PGUP, C::PageUp, "a page of rooms up", None),
    row(NowNext, PGDN, C::PageDown, "a page of rooms down", None),
    row(NowNext, HOME, C::Home, "first room", None),
    row(NowNext, END, C::End, "last room", None),
    row(NowNext, &[k(KeyCode::Left), c('h')], C::Left, "what is on now (or first)", Some(("move", 1))),
    row(NowNext, &[k(KeyCode::Right), c('l')], C::Right, "what is next (or then)", Some(("move", 1))),
    row(NowNext, &[k(KeyCode::Enter)], C::Confirm, "show the session in the grid", Some(("show", 0))),
    row(NowNext, STAR, C::Star, "star or unstar the session", Some(("star", 2))),
    row(NowNext, &[k(KeyCode::Esc), c('w')], C::Back, "close", Some(("close", 0))),
    row(NowNext, HELP, C::Help, "help", Some(("help", 3))),
    row(NowNext, QUIT, C::Quit, "quit", Some(("quit", 4))),
    // The changes report.
    row(Changes, UP, C::Up, "scroll up", Some(("scroll", 2))),
    row(Changes, DOWN, C::Down, "scroll down", Some(("scroll", 2))),
    row(Changes, &[c('u')], C::Acknowledge, "acknowledge: stop reporting these changes", Some(("acknowledge", 0))),
    row(Changes, &[c('a')], C::Agenda, "your agenda", Some(("agenda", 1))),
    row(Changes, &[k(KeyCode::Esc), k(KeyCode::Enter)], C::Back, "close", Some(("close", 0))),
    row(Changes, QUIT, C::Quit, "quit", Some(("quit", 3))),
    // The calendar picker.
    row(Calendars, UP, C::Up, "previous calendar", Some(("move", 1))),
    row(Calendars, DOWN, C::Down, "next calendar", Some(("move", 1))),
    row(Calendars, &[k(KeyCode::Enter)], C::Confirm, "show this calendar (it becomes the current one)", Some(("show", 0))),
    row(Calendars, &[k(KeyCode::Esc), c('C')], C::Back, "close", Some(("close", 0))),
    row(Calendars, HELP, C::Help, "help", Some(("help", 2))),
    row(Calendars, QUIT, C::Quit, "quit", Some(("quit", 3))),
    // Help.
    row(Help, UP, C::Up, "scroll up", Some(("scroll", 1))),
    row(Help, DOWN, C::Down, "scroll down", Some(("scroll", 1))),
    row(Help, PGUP, C::PageUp, "a page up", None),
    row(Help, PGDN, C::PageDown, "a page down", None),
    row(Help, &[k(KeyCode::Esc), c('?'), c('q')], C::Back, "close help", Some(("close", 0))),
];

/// What is wrong with a user's keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error(
        "'{0}' is not a key (write a character, a name such as Space, Enter, Esc, PgDn or F5, or Ctrl- and one)"
    )]
    BadKey(String),
    #[error("'{0}' is not a command (commands: {1})")]
    UnknownCommand(String, String),
    #[error("{key} always quits; it cannot be given to {command}")]
    Reserved { key: String, command: &'static str },
    #[error("{key} is bound to both {first} and {second}")]
    Twice {
        key: String,
        first: &'static str,
        second: &'static str,
    },
}

/// The bindings in force: the defaults, with a user's configuration over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: DEFAULTS
                .iter()
                .map(|r| Binding {
                    context: r.context,
                    keys: r.keys.to_vec(),
                    command: r.command,
                    description: r.description,
                    hint: r.hint,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The command `event` means in `context`: the context's own bindings first, then the
    /// global ones.
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Command> {
        [context, Global].into_iter().find_map(|ctx| {
            self.bindings(ctx)
                .find(|b| b.keys.iter().any(|k| k.matches(event)))
                .map(|b| b.command)
        })
    }

    /// The bindings of a context, in the order help lists them.
    pub fn bindings(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// The defaults with a user's bindings over them: each entry binds a command (by
    /// [`Command::name`]) to keys, in every view where the command has a key by default, in
    /// place of its default keys; a key the user binds is taken from whatever else had it in
    /// that view. Plain characters never go to the search box's commands or the global ones
    /// (they are typed in the search box).
    ///
    /// # Errors
    /// An unknown command or key, or one key given to two commands.
    pub fn with_user_keys<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a [String])>,
    ) -> Result<Self, KeymapError> {
        let mut keymap = Self::default();
        let mut taken: Vec<(Key, &'static str)> = Vec::new();
        for (name, texts) in entries {
            let command = Command::from_name(name).ok_or_else(|| {
                let all: Vec<&str> = <Command as strum::IntoEnumIterator>::iter()
                    .map(Command::name)
                    .collect();
                KeymapError::UnknownCommand(
                    crate::calendar::text::sanitize_line(name),
                    all.join(", "),
                )
            })?;
            let keys: Vec<Key> = texts
                .iter()
                .map(|t| Key::parse(t))
                .collect::<Result<_, _>>()?;
            for key in &keys {
                if *key == ctrl('c') && command != Command::Quit {
                    return Err(KeymapError::Reserved {
                        key: key.label(),
                        command: command.name(),
                    });
                }
                if let Some((_, first)) = taken.iter().find(|(k, _)| k == key) {
                    return Err(KeymapError::Twice {
                        key: key.label(),
                        first,
                        second: command.name(),
                    });
                }
                taken.push((*key, command.name()));
            }
            keymap.rebind(command, &keys);
        }
        Ok(keymap)
    }

    /// Gives `command` these keys wherever it has a binding, taking them from other commands
    /// of the same view.
    fn rebind(&mut self, command: Command, keys: &[Key]) {
        let contexts: Vec<Context> = self
            .bindings
            .iter()
            .filter(|b| b.command == command)
            .map(|b| b.context)
            .collect();
        for b in &mut self.bindings {
            if !contexts.contains(&b.context) {
                continue;
            }
            // A plain character is typed in the search box, so it never goes to the search
            // box's commands, nor to those that work everywhere (Ctrl-C stays, then).
            let typed = |k: &Key| {
                matches!(b.context, Search | Global)
                    && matches!(k.code, KeyCode::Char(_))
                    && !k.ctrl
            };
            if b.command == command {
                let kept: Vec<Key> = keys.iter().copied().filter(|k| !typed(k)).collect();
                if !kept.is_empty() || b.context != Global {
                    b.keys = kept;
                }
            } else {
                b.keys.retain(|k| !keys.contains(k));
            }
        }
    }

    /// The first key bound to `command` in `context` (or globally), as help shows it.
    pub fn key_for(&self, context: Context, command: Command) -> Option<String> {
        [context, Global].into_iter().find_map(|ctx| {
            self.bindings(ctx)
                .find(|b| b.command == command)
                .and_then(|b| b.keys.first())
                .map(|k| k.label())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    const ALL_CONTEXTS: [Context; 11] = [
        Grid, List, Details, Search, Agenda, Filter, NowNext, Changes, Calendars, Help, Global,
    ];

    #[test]
    fn every_command_has_a_key_and_words() {
        let keymap = Keymap::default();
        for command in Command::iter() {
            let bound: Vec<&Binding> = ALL_CONTEXTS
                .iter()
                .flat_map(|&ctx| keymap.bindings(ctx))
                .filter(|b| b.command == command)
                .collect();
            assert!(!bound.is_empty(), "{command:?} has no key");
            for b in bound {
                assert!(!b.keys.is_empty(), "{command:?} in {:?}", b.context);
                assert!(!b.description.is_empty(), "{command:?} in {:?}", b.context);
            }
        }
    }

    #[test]
    fn no_key_means_two_things_in_one_context() {
        let keymap = Keymap::default();
        for ctx in ALL_CONTEXTS {
            let mut seen: Vec<Key> = Vec::new();
            for b in keymap.bindings(ctx).chain(keymap.bindings(Global)) {
                for key in &b.keys {
                    assert!(
                        !seen.contains(key) || b.context == Global,
                        "{} is bound twice in {ctx:?}",
                        key.label()
                    );
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn every_view_can_be_left_and_has_help_and_quit_in_its_footer() {
        let keymap = Keymap::default();
        for ctx in [
            Grid, List, Details, Agenda, Filter, NowNext, Changes, Help, Search,
        ] {
            let exits = keymap
                .bindings(ctx)
                .any(|b| matches!(b.command, C::Back | C::Quit));
            assert!(exits, "{ctx:?} cannot be left");
        }
        for ctx in [Grid, List, Agenda] {
            for command in [C::Help, C::Quit] {
                let hint = keymap
                    .bindings(ctx)
                    .find(|b| b.command == command)
                    .and_then(|b| b.hint);
                assert_eq!(hint.map(|h| h.priority), Some(0), "{command:?} in {ctx:?}");
            }
        }
    }

    #[test]
    fn lookup_reads_the_table() {
        let keymap = Keymap::default();
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(keymap.lookup(Grid, &key(KeyCode::Char('j'))), Some(C::Down));
        assert_eq!(keymap.lookup(Grid, &key(KeyCode::Char(' '))), Some(C::Star));
        assert_eq!(
            keymap.lookup(Search, &key(KeyCode::Char('j'))),
            None,
            "typing in search"
        );
        assert_eq!(
            keymap.lookup(
                Search,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(C::Quit)
        );
        assert_eq!(
            keymap.lookup(Grid, &KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(C::PrevDay)
        );
        assert_eq!(
            keymap.lookup(
                Grid,
                &KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(C::End)
        );
        assert_eq!(ctrl('c').label(), "Ctrl-C");
        assert_eq!(keymap.key_for(Agenda, C::Star).as_deref(), Some("s"));
    }

    #[test]
    fn keys_as_a_configuration_file_writes_them() {
        assert_eq!(Key::parse("x").unwrap(), c('x'));
        assert_eq!(Key::parse("Space").unwrap(), c(' '));
        assert_eq!(Key::parse("ctrl-r").unwrap(), ctrl('r'));
        assert_eq!(Key::parse("Ctrl-R").unwrap(), ctrl('r'));
        assert_eq!(Key::parse("PgDn").unwrap(), k(KeyCode::PageDown));
        assert_eq!(Key::parse("F5").unwrap(), k(KeyCode::F(5)));
        assert_eq!(Key::parse("shift-tab").unwrap(), k(KeyCode::BackTab));
        assert!(matches!(Key::parse("hyper-q"), Err(KeymapError::BadKey(_))));
        assert!(Key::parse("F13").is_err());
        assert_eq!(C::from_name("next_day"), Some(C::NextDay));
        assert_eq!(C::NextDay.name(), "next_day");
    }

    #[test]
    fn a_user_binding_replaces_the_default_and_takes_the_key() {
        let x = vec!["x".to_owned()];
        let keymap = Keymap::with_user_keys([("star", x.as_slice())]).unwrap();
        let key = |ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE);
        assert_eq!(keymap.lookup(Grid, &key('x')), Some(C::Star));
        assert_eq!(keymap.lookup(Grid, &key('s')), None, "s no longer stars");
        assert_eq!(keymap.lookup(List, &key('x')), Some(C::Star));
        assert!(
            keymap
                .bindings(Grid)
                .any(|b| b.command == C::Hide && b.keys.is_empty()),
            "hide lost its key"
        );
        assert_eq!(keymap.key_for(Grid, C::Star).as_deref(), Some("x"));
        // Characters are typed in the search box, never taken from it.
        let q = vec!["Q".to_owned()];
        let keymap = Keymap::with_user_keys([("quit", q.as_slice())]).unwrap();
        assert_eq!(keymap.lookup(Grid, &key('Q')), Some(C::Quit));
        assert_eq!(keymap.lookup(Search, &key('Q')), None);
    }

    #[test]
    fn mistakes_in_user_keys_are_named() {
        let x = vec!["x".to_owned()];
        let err =
            Keymap::with_user_keys([("star", x.as_slice()), ("agenda", x.as_slice())]).unwrap_err();
        assert_eq!(err.to_string(), "x is bound to both star and agenda");
        let err = Keymap::with_user_keys([("stat", x.as_slice())]).unwrap_err();
        assert!(
            err.to_string().starts_with("'stat' is not a command"),
            "{err}"
        );
        let bad = vec!["Hyper-x".to_owned()];
        let err = Keymap::with_user_keys([("star", bad.as_slice())]).unwrap_err();
        assert!(
            err.to_string().starts_with("'Hyper-x' is not a key"),
            "{err}"
        );
    }
}
