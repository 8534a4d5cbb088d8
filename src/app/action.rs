//! What the user can ask for ([`Command`], bindable to keys), every input the app takes
//! ([`Action`]: commands, typed text, clicks, the wheel, a new terminal size, time passing),
//! what the event loop reports back ([`Msg`]) and what it is asked to do ([`Effect`]).

use strum::{EnumIter, EnumString, IntoStaticStr};

/// A bindable command. Every variant has a key in the default keymap; what it does, in words,
/// depends on where it is used and is written beside its binding in the keymap. Its name in a
/// configuration file is the variant's in snake case (`next_day`, `star`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, EnumString, IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    /// Move up: the previous session, item or line.
    Up,
    /// Move down: the next session, item or line.
    Down,
    /// The nearest session to the left.
    Left,
    /// The nearest session to the right.
    Right,
    /// A screenful up.
    PageUp,
    /// A screenful down.
    PageDown,
    /// The first of the day or list.
    Home,
    /// The last of the day or list.
    End,
    /// The next day.
    NextDay,
    /// The previous day.
    PrevDay,
    /// The selected session's details.
    Details,
    /// Star or unstar the selected session.
    Star,
    /// Search as you type.
    Search,
    /// Erase the last letter typed.
    Erase,
    /// Your agenda.
    Agenda,
    /// What is on now and next in every room.
    NowNext,
    /// Switch between the grid and the list.
    ToggleView,
    /// Show only starred sessions, or all.
    StarredOnly,
    /// Jump to the next clash among starred sessions.
    NextClash,
    /// Filter tracks, rooms and types.
    Filter,
    /// Show only the chosen entry of the filter.
    OnlyThis,
    /// Show every entry of the filter.
    ShowAll,
    /// Hide every entry of the filter.
    ShowNone,
    /// Hide the selected session (it stays hidden across restarts).
    Hide,
    /// Show the sessions hidden one by one again, or hide them again.
    ShowHidden,
    /// Choose among your saved calendars.
    Calendars,
    /// Select what is on now.
    Now,
    /// Open the session's web page.
    OpenUrl,
    /// Fetch the calendar again.
    Refresh,
    /// Acknowledge the changes to starred sessions.
    Acknowledge,
    /// Help for the current view.
    Help,
    /// More time on screen.
    ZoomOut,
    /// Less time on screen, in more detail.
    ZoomIn,
    /// Go back, close the overlay.
    Back,
    /// Confirm: show the chosen session, or toggle the chosen entry.
    Confirm,
    /// Quit hallway.
    Quit,
}

/// Everything the app reacts to, already translated from the terminal's events by the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A bound key.
    Command(Command),
    /// A character typed where text is expected (the search box).
    Type(char),
    /// A click on a session (its position in [`crate::calendar::Calendar::sessions`]).
    Select(usize),
    /// The mouse wheel: rows of time, down when positive.
    Scroll(i32),
    /// The terminal's size, in cells.
    Resize { width: u16, height: u16 },
    /// Time passed with no input.
    Tick,
}

impl Command {
    /// The command's name in a configuration file (`next_day`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The command a configuration file names.
    pub fn from_name(name: &str) -> Option<Self> {
        name.trim().parse().ok()
    }
}

impl From<Command> for Action {
    fn from(command: Command) -> Self {
        Self::Command(command)
    }
}

/// What the event loop reports to the app.
#[derive(Debug)]
pub enum Msg {
    /// The stars of this calendar as they now are in the store (after a change, a save that
    /// merged another process's changes, or another process's save).
    Stars(super::Stars),
    /// The sessions the user hid, as they now are in the store.
    Hidden(std::collections::BTreeSet<String>),
    /// Everything asked for is on disk.
    Saved { merged_other_writer: bool },
    /// Writing the stars failed or must wait; they stay pending and are retried.
    NotSaved(String),
    /// The star file became unreadable.
    StoreBroken(String),
    /// Opening a URL failed: the URL, and why.
    OpenFailed { url: String, why: String },
    /// The calendars to choose from (or why they cannot be read).
    Calendars(Result<Vec<super::CalendarChoice>, String>),
    /// Switching to another calendar failed.
    SwitchFailed(String),
    /// This calendar (by name) is shown now, switched to.
    Switched(String),
    /// A fetch of the calendar ended: the new calendar (or why not), and a note when it is
    /// an offline copy.
    Refreshed(Result<(Box<crate::calendar::Calendar>, Option<String>), String>),
}

/// What the app asks the event loop to do: IO never happens in `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Star this session (by id) and save.
    Star(String),
    /// Remove the star of this id and save.
    Unstar(String),
    /// Acknowledge every change to the starred sessions, and save.
    Acknowledge,
    /// Hide this session (by id), for good, and save.
    Hide(String),
    /// Show this hidden session again, and save.
    Unhide(String),
    /// Remember this filter for the calendar, and save.
    SetFilter(crate::plan::filter::Filter),
    /// Open this http(s) URL in the browser.
    OpenUrl(String),
    /// Load the calendar again, in the background.
    Refresh,
    /// Read the list of saved calendars.
    ListCalendars,
    /// Make this saved calendar (by name) the current one and show it, loaded in the
    /// background.
    SwitchCalendar(String),
    /// Leave the UI.
    Quit,
}
