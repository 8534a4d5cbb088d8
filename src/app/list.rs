//! The list view's rows: every session of the day by start, one line each with its time,
//! room, badge, title and speakers. From [`WIDE`] cells on, titles wrap onto further lines and
//! are never cut; below, a row is one line cut with `…`. The widget paints these rows and the
//! app pages through them.

use crate::app::App;
use crate::export::time_range;
use crate::width;

/// From this terminal width on, whole titles are shown, wrapped.
pub const WIDE: u16 = 120;

/// Whether the list wraps titles (the terminal is wide) rather than cutting them.
fn wraps(app: &App) -> bool {
    app.size.0 >= WIDE
}
/// Cells for `★! ` before the time.
const MARKS: usize = 3;
/// Cells for `09:00–10:30+1`.
const TIME: usize = 13;
/// The widest a room name gets in the list.
const MAX_ROOM: usize = 20;
/// Cells for the badge (`Poster`).
const BADGE: usize = 7;
/// Most lines a wrapped title (and its speakers) may take.
const MAX_LINES: usize = 12;

/// A session's row, fitted to a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub index: usize,
    pub marks: String,
    pub time: String,
    pub room: String,
    pub badge: String,
    /// The title, wrapped (wide) or cut (narrow), and after it the speakers: the lines from
    /// `speakers_from` on are the speakers' (narrow rows have them on the title's line).
    pub text: Vec<String>,
    pub speakers_from: usize,
}

/// The columns of the list at a width: room width and where the text starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub room: usize,
    pub text_x: usize,
    pub text_width: usize,
}

impl Columns {
    pub fn new(app: &App, width: u16) -> Self {
        let longest = app
            .layout()
            .columns
            .iter()
            .map(|c| width::cells(&c.room))
            .chain(
                app.layout()
                    .background
                    .iter()
                    .map(|&i| width::cells(&app.calendar.sessions[i].room)),
            )
            .max()
            .unwrap_or(0);
        let room = longest.clamp(4, MAX_ROOM).min(usize::from(width) / 5);
        // The track mark and a space before the room, a space after it.
        let text_x = MARKS + TIME + 2 + room + 1 + BADGE;
        Self {
            room,
            text_x,
            text_width: usize::from(width).saturating_sub(text_x).max(8),
        }
    }
}

/// The row of session `index` at `width` cells.
pub fn row(app: &App, index: usize, columns: Columns) -> Row {
    let cal = &app.calendar;
    let s = &cal.sessions[index];
    let marks = marks(app, index);
    let badge = s.kind.badge().unwrap_or("").to_owned();
    let mut title = s.headline().to_owned();
    if s.cancelled {
        title.insert_str(0, "[cancelled] ");
    }
    let (text, speakers_from) = if wraps(app) {
        let mut text = width::wrap_lines(&title, columns.text_width, MAX_LINES);
        let from = text.len();
        if let Some(speakers) = &s.speakers {
            text.extend(width::wrap_lines(speakers, columns.text_width, MAX_LINES));
        }
        (text, from)
    } else {
        let line = match &s.speakers {
            Some(speakers) => format!("{title} — {speakers}"),
            None => title,
        };
        (vec![width::truncate(&line, columns.text_width)], 1)
    };
    Row {
        index,
        marks,
        time: time_range(cal, s),
        room: width::fit(&s.room, columns.room),
        badge,
        text,
        speakers_from,
    }
}

/// Marks before a title: `★` starred, `!★` clashing, `◇` shown only because starred (the
/// filter or `x` would hide it), `⊘` hidden with `x` (shown now by `X`).
pub fn marks(app: &App, index: usize) -> String {
    let mut marks = String::new();
    if app.shown_because_starred(index) {
        marks.push('◇');
    } else if app.is_hidden(index) {
        marks.push('⊘');
    }
    if app.plan.is_clashing(index) {
        marks.push_str("!★");
    } else if app.plan.is_starred(index) {
        marks.push('★');
    }
    marks
}

/// How many lines the row of `index` takes at `width`.
pub fn height(app: &App, index: usize, width: u16) -> usize {
    if !wraps(app) {
        return 1;
    }
    let columns = Columns::new(app, width);
    row(app, index, columns).text.len().max(1)
}

/// How many sessions, from the selection on, fill `rows` lines of the list: a page.
pub fn sessions_in(app: &App, rows: u16) -> usize {
    let width = app.areas().main.width;
    let order = &app.layout().order;
    let from = app
        .selected
        .and_then(|s| order.iter().position(|&i| i == s))
        .unwrap_or(0);
    let mut used = 0;
    let mut count = 0;
    for &i in &order[from..] {
        used += height(app, i, width);
        if used > usize::from(rows) {
            break;
        }
        count += 1;
    }
    count.max(1)
}
