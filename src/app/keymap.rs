//! The default keymap, one table: dispatch, the help overlay and the footer hints are all
//! read from it, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Mode;
use super::action::Command;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The grid, and the agenda where it makes sense.
    Grid,
    /// Details with focus: the description scrolls.
    Details,
    /// The search box and its results.
    Search,
    /// The agenda list.
    Agenda,
    /// The track checklist.
    Filter,
    /// The "schedule changed" report.
    Changes,
    /// Everywhere.
    Global,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Self::Grid => "Programme",
            Self::Details => "Details",
            Self::Search => "Search",
            Self::Agenda => "Agenda",
            Self::Filter => "Track filter",
            Self::Changes => "Schedule changed",
            Self::Global => "Anywhere",
        }
    }

    /// The context a mode reads keys in (after its own, the global one).
    pub fn of(mode: Mode) -> Self {
        match mode {
            Mode::Grid | Mode::Help => Self::Grid,
            Mode::Details => Self::Details,
            Mode::Search => Self::Search,
            Mode::Agenda => Self::Agenda,
            Mode::Filter => Self::Filter,
            Mode::Changes => Self::Changes,
        }
    }
}

/// A key as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// How help shows the key: `↑`, `Space`, `Ctrl-C`.
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
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(ch) => ch.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            // Shift-Tab arrives as BackTab on most terminals, as Shift+Tab on some.
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        code == self.code && ctrl == self.ctrl
    }
}

/// One line of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub command: Command,
    /// Shown in the footer.
    pub footer: bool,
}

const fn bind(context: Context, keys: &'static [Key], command: Command, footer: bool) -> Binding {
    Binding {
        context,
        keys,
        command,
        footer,
    }
}

use Command as C;
use Context::{Agenda, Changes, Details, Filter, Global, Grid, Search};

/// The default keymap.
pub const KEYMAP: &[Binding] = &[
    bind(Global, &[ctrl('c')], C::Quit, false),
    bind(Grid, &[k(KeyCode::Up), c('k')], C::Up, true),
    bind(Grid, &[k(KeyCode::Down), c('j')], C::Down, true),
    bind(Grid, &[k(KeyCode::Left), c('h')], C::Left, true),
    bind(Grid, &[k(KeyCode::Right), c('l')], C::Right, true),
    bind(Grid, &[k(KeyCode::PageUp)], C::PageUp, false),
    bind(Grid, &[k(KeyCode::PageDown)], C::PageDown, false),
    bind(Grid, &[k(KeyCode::Home)], C::Home, false),
    bind(Grid, &[k(KeyCode::End)], C::End, false),
    bind(Grid, &[k(KeyCode::Tab), c(']')], C::NextDay, true),
    bind(Grid, &[k(KeyCode::BackTab), c('[')], C::PrevDay, false),
    bind(Grid, &[k(KeyCode::Enter)], C::Details, true),
    bind(Grid, &[c('s'), c(' ')], C::Star, true),
    bind(Grid, &[c('/')], C::Search, true),
    bind(Grid, &[c('a')], C::Agenda, true),
    bind(Grid, &[c('c')], C::NextClash, false),
    bind(Grid, &[c('f')], C::Filter, true),
    bind(Grid, &[c('n')], C::Now, false),
    bind(Grid, &[c('o')], C::OpenUrl, false),
    bind(Grid, &[c('r')], C::Refresh, false),
    bind(Grid, &[c('+'), c('=')], C::ZoomIn, false),
    bind(Grid, &[c('-')], C::ZoomOut, false),
    bind(Grid, &[c('?')], C::Help, true),
    bind(Grid, &[k(KeyCode::Esc)], C::Back, false),
    bind(Grid, &[c('q')], C::Quit, true),
    bind(Details, &[k(KeyCode::Up), c('k')], C::Up, true),
    bind(Details, &[k(KeyCode::Down), c('j')], C::Down, true),
    bind(
        Details,
        &[k(KeyCode::Enter), k(KeyCode::Esc)],
        C::Back,
        true,
    ),
    bind(Details, &[c('s'), c(' ')], C::Star, true),
    bind(Details, &[c('o')], C::OpenUrl, true),
    bind(Details, &[c('q')], C::Quit, false),
    bind(Search, &[k(KeyCode::Up)], C::Up, true),
    bind(Search, &[k(KeyCode::Down)], C::Down, true),
    bind(Search, &[k(KeyCode::Enter)], C::Confirm, true),
    bind(Search, &[k(KeyCode::Esc)], C::Back, true),
    bind(Agenda, &[k(KeyCode::Up), c('k')], C::Up, true),
    bind(Agenda, &[k(KeyCode::Down), c('j')], C::Down, true),
    bind(Agenda, &[k(KeyCode::Enter)], C::Confirm, true),
    bind(Agenda, &[c('s'), c(' ')], C::Star, true),
    bind(Agenda, &[c('u')], C::Acknowledge, true),
    bind(Agenda, &[k(KeyCode::Esc), c('a')], C::Back, true),
    bind(Agenda, &[c('?')], C::Help, false),
    bind(Agenda, &[c('q')], C::Quit, false),
    bind(Filter, &[k(KeyCode::Up), c('k')], C::Up, true),
    bind(Filter, &[k(KeyCode::Down), c('j')], C::Down, true),
    bind(Filter, &[k(KeyCode::Enter), c(' ')], C::Confirm, true),
    bind(Filter, &[k(KeyCode::Esc), c('f')], C::Back, true),
    bind(Filter, &[c('q')], C::Quit, false),
    bind(Changes, &[k(KeyCode::Up), c('k')], C::Up, false),
    bind(Changes, &[k(KeyCode::Down), c('j')], C::Down, false),
    bind(Changes, &[c('u')], C::Acknowledge, true),
    bind(Changes, &[c('a')], C::Agenda, true),
    bind(
        Changes,
        &[k(KeyCode::Esc), k(KeyCode::Enter)],
        C::Back,
        true,
    ),
    bind(Changes, &[c('q')], C::Quit, false),
];

/// The command `event` means in `mode`: the mode's own bindings first, then global ones.
pub fn lookup(mode: Mode, event: &KeyEvent) -> Option<Command> {
    let context = Context::of(mode);
    [context, Global].into_iter().find_map(|ctx| {
        KEYMAP
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.command)
    })
}

/// The bindings of a context, for help and the footer.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    KEYMAP.iter().filter(move |b| b.context == context)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Command] = &[
        C::Up,
        C::Down,
        C::Left,
        C::Right,
        C::PageUp,
        C::PageDown,
        C::Home,
        C::End,
        C::NextDay,
        C::PrevDay,
        C::Details,
        C::Star,
        C::Search,
        C::Agenda,
        C::NextClash,
        C::Filter,
        C::Now,
        C::OpenUrl,
        C::Refresh,
        C::Acknowledge,
        C::Help,
        C::ZoomOut,
        C::ZoomIn,
        C::Back,
        C::Confirm,
        C::Quit,
    ];

    #[test]
    fn every_command_has_a_key_and_a_description() {
        for &command in ALL {
            assert!(
                KEYMAP
                    .iter()
                    .any(|b| b.command == command && !b.keys.is_empty()),
                "{command:?} has no key"
            );
            assert!(!command.description().is_empty());
        }
    }

    #[test]
    fn no_key_means_two_things_in_one_context() {
        for a in KEYMAP {
            for b in KEYMAP {
                if std::ptr::eq(a, b) || a.context != b.context {
                    continue;
                }
                for key in a.keys {
                    assert!(
                        !b.keys.contains(key),
                        "{:?} is bound twice in {:?}",
                        key,
                        a.context
                    );
                }
            }
        }
    }

    #[test]
    fn lookup_reads_the_table() {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(lookup(Mode::Grid, &key(KeyCode::Char('j'))), Some(C::Down));
        assert_eq!(lookup(Mode::Grid, &key(KeyCode::Char(' '))), Some(C::Star));
        assert_eq!(
            lookup(Mode::Search, &key(KeyCode::Char('j'))),
            None,
            "typing in search"
        );
        assert_eq!(
            lookup(
                Mode::Search,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(C::Quit)
        );
        assert_eq!(
            lookup(
                Mode::Grid,
                &KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT)
            ),
            Some(C::PrevDay)
        );
        assert_eq!(
            Key {
                code: KeyCode::Char('c'),
                ctrl: true
            }
            .label(),
            "Ctrl-C"
        );
    }
}
