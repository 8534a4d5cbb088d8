//! What the user can ask for ([`Command`], bindable to keys) and what the event loop tells
//! the app ([`Msg`]), kept apart as in crates-tui.

/// A bindable command. Every variant has a key in the keymap and a description in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    /// Select the session above, earlier in the same room.
    Up,
    /// Select the session below, later in the same room.
    Down,
    /// Select the nearest session in the room to the left.
    Left,
    /// Select the nearest session in the room to the right.
    Right,
    /// Move a screenful earlier.
    PageUp,
    /// Move a screenful later.
    PageDown,
    /// Select the first session of the day in this room.
    Home,
    /// Select the last session of the day in this room.
    End,
    /// Show the next day.
    NextDay,
    /// Show the previous day.
    PrevDay,
    /// Open or close the session's details.
    Details,
    /// Star or unstar the selected session (saved at once).
    Star,
    /// Search as you type.
    Search,
    /// Your agenda: starred sessions day by day.
    Agenda,
    /// Jump to the next clash among your starred sessions.
    NextClash,
    /// Choose which tracks are shown.
    Filter,
    /// Jump to what is on now, or next.
    Now,
    /// Open the session's web page in the browser.
    OpenUrl,
    /// Fetch the calendar again and report what changed.
    Refresh,
    /// Acknowledge the changes to your starred sessions.
    Acknowledge,
    /// Show every key.
    Help,
    /// Show more time on screen.
    ZoomOut,
    /// Show less time on screen, in more detail.
    ZoomIn,
    /// Go back, close the overlay.
    Back,
    /// Confirm: jump to the session, or toggle the track.
    Confirm,
    /// Quit hallway.
    Quit,
}

impl Command {
    /// One line for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Self::Up => "previous session in this room",
            Self::Down => "next session in this room",
            Self::Left => "nearest session in the room to the left",
            Self::Right => "nearest session in the room to the right",
            Self::PageUp => "a screenful earlier",
            Self::PageDown => "a screenful later",
            Self::Home => "first session of the day",
            Self::End => "last session of the day",
            Self::NextDay => "next day",
            Self::PrevDay => "previous day",
            Self::Details => "open or close details",
            Self::Star => "star or unstar (saved at once)",
            Self::Search => "search as you type",
            Self::Agenda => "your agenda",
            Self::NextClash => "next clash",
            Self::Filter => "filter tracks",
            Self::Now => "jump to now",
            Self::OpenUrl => "open the session's page",
            Self::Refresh => "fetch the schedule again",
            Self::Acknowledge => "acknowledge the changes",
            Self::Help => "this help",
            Self::ZoomOut => "more time on screen",
            Self::ZoomIn => "less time, more detail",
            Self::Back => "back / close",
            Self::Confirm => "choose",
            Self::Quit => "quit",
        }
    }

    /// The short word the footer shows.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Up | Self::Down | Self::Left | Self::Right => "move",
            Self::Details => "details",
            Self::Star => "star",
            Self::Search => "search",
            Self::Agenda => "agenda",
            Self::NextClash => "clash",
            Self::Filter => "filter",
            Self::Now => "now",
            Self::Help => "help",
            Self::Quit => "quit",
            Self::NextDay | Self::PrevDay => "day",
            Self::Back => "back",
            Self::Confirm => "go",
            Self::OpenUrl => "open",
            Self::Refresh => "refresh",
            Self::Acknowledge => "acknowledge",
            _ => self.description(),
        }
    }
}

/// What the event loop reports back to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// The stars were written.
    Saved { merged_other_writer: bool },
    /// Writing the stars failed; they stay pending.
    SaveFailed(String),
    /// Another process changed the star file; it has been re-read.
    StoreChanged,
    /// The star file became unreadable.
    StoreBroken(String),
    /// Opening a URL failed.
    OpenFailed(String),
    /// Fetching the calendar again failed.
    RefreshFailed(String),
}

/// What the app asks the event loop to do: IO never happens in `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the stars.
    Save,
    /// Open this http(s) URL in the browser.
    OpenUrl(String),
    /// Load the calendar again.
    Refresh,
    /// Leave the UI.
    Quit,
}
