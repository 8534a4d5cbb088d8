//! The text section of a snapshot: where each session's text goes as the records are made,
//! and the section written by meeting the texts again in the same order.

use rustc_hash::FxHashMap as HashMap;

use super::{SessionRecord, Span, date_number, index_of, instant};
use crate::calendar::shared::Text;
use crate::calendar::{Calendar, Session};

/// Lays out the text section: each text once, in the order first met, where a text is
/// shared — a room or track every session in it shares, a session's id that is its uid,
/// the title and description of the occurrences of a recurring event. Nothing is copied,
/// nor listed, until the section is written: [`write_texts`] meets the texts again in the
/// same order, and writes each where its span starts.
///
/// Only texts that can be shared are looked up (in one small table for names, one for the
/// texts of events with several occurrences): looking up every text of 100,000 sessions
/// cost a third of writing their snapshot.
pub(super) struct TextSection {
    pub(super) len: usize,
    /// Rooms, tracks, locations, languages, links: texts many sessions share.
    names: HashMap<(usize, u32, u32), Span>,
    /// The texts of sessions whose title another session shares (the occurrences of a
    /// recurring event).
    repeated: HashMap<(usize, u32, u32), Span>,
}

impl TextSection {
    /// A text not shared. Its length is the one its range states: its text is not read
    /// until it is written (where a text whose range does not read whole fails the write).
    fn once(&mut self, text: &Text) -> Span {
        let len = text.stated_len();
        if len == 0 {
            return Span::default();
        }
        let start = u32::try_from(self.len).unwrap_or(u32::MAX);
        self.len += len;
        Span {
            start,
            len: u32::try_from(len).unwrap_or(0),
        }
    }

    /// A text looked up in `table` (see [`TextSection::names`]).
    fn shared(&mut self, text: &Text, table: Table) -> Span {
        if text.stated_len() == 0 {
            return Span::default();
        }
        let key = text.identity();
        let found = match table {
            Table::Names => self.names.get(&key),
            Table::Repeated => self.repeated.get(&key),
        };
        if let Some(span) = found {
            return *span;
        }
        let span = self.once(text);
        match table {
            Table::Names => self.names.insert(key, span),
            Table::Repeated => self.repeated.insert(key, span),
        };
        span
    }
}

/// Which of [`TextSection`]'s tables a text is looked up in.
#[derive(Clone, Copy)]
enum Table {
    Names,
    Repeated,
}

/// The titles (by identity) that more than one session has, as the occurrences of a
/// recurring event do; sorted. Found by sorting the titles, not in a table: at 100,000
/// sessions a table held 4 MB while the snapshot was laid out.
fn repeated_titles(calendar: &Calendar) -> Vec<(usize, u32, u32)> {
    let mut titles: Vec<(usize, u32, u32)> = calendar
        .sessions
        .iter()
        .map(|s| s.title.identity())
        .collect();
    titles.sort_unstable();
    let mut repeated: Vec<(usize, u32, u32)> = titles
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
    repeated.dedup();
    repeated
}

/// Where one of a session's texts is placed.
#[derive(Clone, Copy)]
enum Sharing {
    /// One of its own texts: shared only among the occurrences of a recurring event.
    Own,
    /// A name many sessions share: a room, location, language, track or link.
    Name,
}

/// A count or offset that does not fit 32 bits: the calendar is too large for a snapshot.
pub(super) struct TooLarge;

impl From<TooLarge> for std::io::Error {
    fn from(TooLarge: TooLarge) -> Self {
        std::io::ErrorKind::InvalidData.into()
    }
}

/// The record of session `s`, each of its texts placed by `place`, its tracks and links
/// pushed to `tracks` and `links`. Laying out the text section and writing it both walk the
/// sessions through this one function, so they meet the texts in the same order. A uid that
/// is the id is not placed again.
///
/// # Errors
/// What `place` fails with; [`TooLarge`] when a count does not fit 32 bits.
fn placed<E: From<TooLarge>>(
    s: &Session,
    tracks: &mut Vec<Span>,
    links: &mut Vec<(Span, Span)>,
    mut place: impl FnMut(&Text, Sharing) -> Result<Span, E>,
) -> Result<SessionRecord, E> {
    let count = |n: usize| u32::try_from(n).map_err(|_| TooLarge);
    let first_track = count(tracks.len())?;
    for t in &s.tracks {
        tracks.push(place(t, Sharing::Name)?);
    }
    let first_link = count(links.len())?;
    for l in &s.links {
        let title = place(&l.title, Sharing::Name)?;
        links.push((title, place(&l.url, Sharing::Name)?));
    }
    let id = place(&s.id, Sharing::Own)?;
    let uid = if s.uid.identity() == s.id.identity() {
        id
    } else {
        place(&s.uid, Sharing::Own)?
    };
    let title = place(&s.title, Sharing::Own)?;
    let subtitle = place(&s.subtitle, Sharing::Own)?;
    let speakers = s
        .speakers
        .as_ref()
        .map(|t| place(t, Sharing::Own))
        .transpose()?;
    let description = place(&s.description, Sharing::Own)?;
    let url = s.url.as_ref().map(|t| place(t, Sharing::Own)).transpose()?;
    let room = place(&s.room, Sharing::Name)?;
    let location = place(&s.location, Sharing::Name)?;
    let language = place(&s.language, Sharing::Name)?;
    Ok(SessionRecord {
        id,
        uid,
        title,
        subtitle,
        speakers,
        description,
        start: instant(s.start),
        end: instant(s.end),
        all_day: s.all_day,
        room,
        location,
        tracks: (first_track, count(s.tracks.len())?),
        url,
        cancelled: s.cancelled,
        kind: index_of(&crate::calendar::kind::ALL, &s.kind),
        headline_at: count(s.headline_at)?,
        language,
        links: (first_link, count(s.links.len())?),
        day: s.day.map(date_number),
    })
}

/// Bits, in a list.
#[derive(Default)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        if let Some(word) = self.words.last_mut() {
            *word |= u64::from(bit) << (self.len % 64);
        }
        self.len += 1;
    }

    fn get(&self, at: usize) -> bool {
        self.words
            .get(at / 64)
            .is_some_and(|word| word >> (at % 64) & 1 == 1)
    }
}

/// The text section as the sessions' records are made, one at a time while they are
/// serialized (`write::Records`): where each text goes, the lists of tracks and links the
/// records point into, and which texts the section holds where they are met — what writing
/// it ([`write_texts`]) replays.
pub(super) struct Laid<'a> {
    pub(super) text: TextSection,
    /// The titles more than one session has ([`repeated_titles`]); dropped once every
    /// record is made.
    pub(super) titles: Vec<(usize, u32, u32)>,
    pub(super) tracks: Vec<Span>,
    pub(super) links: Vec<(Span, Span)>,
    /// The calendar's index of ids, as it is.
    pub(super) ids: &'a [(u64, u32)],
    /// A bit for each text placed, in order: whether the section holds it there (it is met
    /// there first, and is not empty).
    fresh: Bits,
    /// A record could not be made ([`TooLarge`]).
    pub(super) too_large: bool,
}

impl<'a> Laid<'a> {
    pub(super) fn new(calendar: &'a Calendar) -> Self {
        let total = |n: fn(&Session) -> usize| calendar.sessions.iter().map(n).sum();
        Self {
            text: TextSection {
                len: 0,
                names: HashMap::default(),
                repeated: HashMap::default(),
            },
            titles: repeated_titles(calendar),
            tracks: Vec::with_capacity(total(|s| s.tracks.len())),
            links: Vec::with_capacity(total(|s| s.links.len())),
            ids: calendar.index.entries(),
            fresh: Bits::default(),
            too_large: false,
        }
    }

    /// The record of the next session, `s`, its texts placed after the previous ones'.
    pub(super) fn record(&mut self, s: &Session) -> Result<SessionRecord, TooLarge> {
        let repeated = self.titles.binary_search(&s.title.identity()).is_ok();
        let Self {
            text,
            tracks,
            links,
            fresh,
            ..
        } = self;
        placed(s, tracks, links, |t, sharing| {
            let before = text.len;
            let span = match sharing {
                Sharing::Name => text.shared(t, Table::Names),
                Sharing::Own if repeated => text.shared(t, Table::Repeated),
                Sharing::Own => text.once(t),
            };
            fresh.push(text.len != before);
            Ok(span)
        })
    }
}

/// Writes the text section `laid` laid out for `sessions` to `out`: the sessions' texts
/// met again in the same order ([`placed`]), each written where `laid` says the section
/// holds it.
///
/// # Errors
/// Any IO error; `InvalidData` when a text does not read as long as its range states, or
/// the texts do not make the section `laid` laid out.
pub(super) fn write_texts(
    sessions: &[Session],
    laid: &Laid,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut written = 0usize;
    let mut met = 0usize;
    let (mut tracks, mut links) = (Vec::new(), Vec::new());
    for s in sessions {
        tracks.clear();
        links.clear();
        placed(s, &mut tracks, &mut links, |text, _| {
            met += 1;
            if laid.fresh.get(met - 1) {
                let bytes = text.as_bytes();
                if bytes.len() != text.stated_len() {
                    return Err(std::io::ErrorKind::InvalidData.into());
                }
                written += bytes.len();
                out.write_all(bytes)?;
            }
            Ok::<_, std::io::Error>(Span::default())
        })?;
    }
    if written == laid.text.len && met == laid.fresh.len {
        Ok(())
    } else {
        Err(std::io::ErrorKind::InvalidData.into())
    }
}
