//! What the TUI shows of the programme: the filter (tracks, rooms and types hidden, as the
//! star file remembers them per calendar), the sessions hidden one by one, and the filter
//! popup's list — its sections, counts, cursor and find-by-name. Whether a session is shown
//! is decided by [`crate::plan::filter::visibility`], the rule the command line uses too.

use std::collections::BTreeSet;

use crate::calendar::kind::{self, Kind};
use crate::calendar::{Calendar, Session};
use crate::plan::filter::{Facet, Filter, NO_TRACK, Visibility, visibility};
use crate::search::fold;

/// One line of the filter popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A section's heading (`Tracks`).
    Heading(Facet),
    /// A track, room or type with how many sessions it has; `label` is how it is shown.
    Name {
        facet: Facet,
        name: String,
        label: String,
        count: usize,
    },
}

/// The filter, the hidden sessions, and the popup's state.
#[derive(Debug, Clone, Default)]
pub struct Filtering {
    pub filter: Filter,
    /// Ids of the sessions the user hid.
    pub hidden: BTreeSet<String>,
    /// `X`: hidden sessions are shown (marked) for now.
    pub show_hidden: bool,
    /// The popup's lines.
    pub entries: Vec<Entry>,
    /// Position in `entries` of the chosen line (never a heading when there is a name).
    pub cursor: usize,
    /// What is typed after `/`, while finding an entry by name.
    pub finding: Option<String>,
}

const NO_HIDDEN: BTreeSet<String> = BTreeSet::new();

impl Filtering {
    /// The filter and hidden sessions as stored, and the popup's lines for the calendar
    /// `census` counts.
    pub fn new(census: &Census, filter: Filter, hidden: BTreeSet<String>) -> Self {
        let mut this = Self {
            filter,
            hidden,
            ..Self::default()
        };
        this.entries = entries(census);
        this.cursor = this.first_name(0, 1).unwrap_or(0);
        this
    }

    /// Whether `session` is shown, and why (`starred`: the user starred it).
    pub fn visibility(&self, session: &Session, starred: bool) -> Visibility {
        let hidden = if self.show_hidden {
            &NO_HIDDEN
        } else {
            &self.hidden
        };
        visibility(session, starred, hidden, &self.filter)
    }

    /// Whether anything is filtered or hidden.
    pub fn is_on(&self) -> bool {
        !self.filter.is_empty() || (!self.hidden.is_empty() && !self.show_hidden)
    }

    /// The set a facet's hidden names are kept in.
    fn set_mut(&mut self, facet: Facet) -> &mut BTreeSet<String> {
        match facet {
            Facet::Track => &mut self.filter.tracks,
            Facet::Room => &mut self.filter.rooms,
            Facet::Type => &mut self.filter.types,
        }
    }

    fn set(&self, facet: Facet) -> &BTreeSet<String> {
        match facet {
            Facet::Track => &self.filter.tracks,
            Facet::Room => &self.filter.rooms,
            Facet::Type => &self.filter.types,
        }
    }

    /// Whether an entry's sessions are shown.
    pub fn shows(&self, facet: Facet, name: &str) -> bool {
        !self.set(facet).contains(name)
    }

    /// The chosen entry.
    pub fn chosen(&self) -> Option<(Facet, &str)> {
        match self.entries.get(self.cursor)? {
            Entry::Name { facet, name, .. } => Some((*facet, name.as_str())),
            Entry::Heading(_) => None,
        }
    }

    /// The names of a section.
    fn names(&self, facet: Facet) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Name { facet: f, name, .. } if *f == facet => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// Shows or hides the chosen entry. Returns whether the filter changed.
    pub fn toggle(&mut self) -> bool {
        let Some((facet, name)) = self.chosen() else {
            return false;
        };
        let name = name.to_owned();
        let set = self.set_mut(facet);
        if !set.remove(&name) {
            set.insert(name);
        }
        true
    }

    /// Shows only the chosen entry of its section.
    pub fn only(&mut self) -> bool {
        let Some((facet, name)) = self.chosen() else {
            return false;
        };
        let name = name.to_owned();
        let others: BTreeSet<String> = self
            .names(facet)
            .into_iter()
            .filter(|n| *n != name)
            .collect();
        *self.set_mut(facet) = others;
        true
    }

    /// Shows every entry of the chosen entry's section (`all`), or none.
    pub fn all(&mut self, all: bool) -> bool {
        let Some((facet, _)) = self.chosen() else {
            return false;
        };
        let names: BTreeSet<String> = if all {
            BTreeSet::new()
        } else {
            self.names(facet).into_iter().collect()
        };
        *self.set_mut(facet) = names;
        true
    }

    /// The first entry with a name from `from`, going `step` (±1) at a time.
    fn first_name(&self, from: usize, step: isize) -> Option<usize> {
        let mut at = from;
        loop {
            if matches!(self.entries.get(at), Some(Entry::Name { .. })) {
                return Some(at);
            }
            at = at.checked_add_signed(step)?;
            if at >= self.entries.len() {
                return None;
            }
        }
    }

    /// Moves the cursor `steps` entries (headings skipped), stopping at the ends.
    pub fn step(&mut self, steps: isize) {
        let step = steps.signum();
        for _ in 0..steps.unsigned_abs() {
            match self
                .cursor
                .checked_add_signed(step)
                .and_then(|from| self.first_name(from, step))
            {
                Some(next) => self.cursor = next,
                None => break,
            }
        }
    }

    /// Types a letter of the name being found: the cursor goes to the first entry whose name
    /// holds what is typed (ignoring case and accents).
    pub fn find(&mut self, text: &str) {
        let want = fold(text);
        self.finding = Some(text.to_owned());
        if want.is_empty() {
            return;
        }
        if let Some(at) = self.entries.iter().position(|e| match e {
            Entry::Name { label, .. } => fold(label).contains(&want),
            Entry::Heading(_) => false,
        }) {
            self.cursor = at;
        }
    }
}

/// How many sessions each track, room and type has: counted once per calendar, in one pass
/// (rooms in the calendar's order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Census {
    /// Rooms in the calendar's order (busiest first, or the schedule's).
    pub rooms: Vec<(String, usize)>,
    /// Tracks, most sessions first.
    pub tracks: Vec<(String, usize)>,
    /// Types with sessions, in [`kind::ALL`]'s order.
    pub kinds: Vec<(Kind, usize)>,
    /// Sessions without a track.
    pub untracked: usize,
}

impl Census {
    pub fn of(calendar: &Calendar) -> Self {
        let mut tracks: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        let mut kinds = [0usize; kind::ALL.len()];
        let mut untracked = 0;
        for s in &calendar.sessions {
            if s.tracks.is_empty() {
                untracked += 1;
            }
            for t in &s.tracks {
                *tracks.entry(t.as_str()).or_default() += 1;
            }
            if let Some(k) = kind::ALL.iter().position(|k| *k == s.kind) {
                kinds[k] += 1;
            }
        }
        let mut tracks: Vec<(String, usize)> = tracks
            .into_iter()
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, n)| (t.to_owned(), n))
            .collect();
        tracks.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Self {
            rooms: calendar
                .rooms()
                .into_iter()
                .map(|(r, n)| (r.to_owned(), n))
                .collect(),
            tracks,
            kinds: kind::ALL
                .iter()
                .zip(kinds)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (*k, n))
                .collect(),
            untracked,
        }
    }
}

/// The popup's lines: Tracks, Rooms and Types, each name with its count (types the calendar
/// has no session of are left out; "(no track)" when some sessions have none).
fn entries(census: &Census) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut section = |facet: Facet, names: Vec<(String, String, usize)>| {
        if names.is_empty() {
            return;
        }
        entries.push(Entry::Heading(facet));
        entries.extend(names.into_iter().map(|(name, label, count)| Entry::Name {
            facet,
            name,
            label,
            count,
        }));
    };
    let mut tracks: Vec<(String, String, usize)> = census
        .tracks
        .iter()
        .map(|(t, n)| (t.clone(), t.clone(), *n))
        .collect();
    if census.untracked > 0 && !tracks.is_empty() {
        tracks.push((
            NO_TRACK.to_owned(),
            "(no track)".to_owned(),
            census.untracked,
        ));
    }
    section(Facet::Track, tracks);
    section(
        Facet::Room,
        census
            .rooms
            .iter()
            .map(|(r, n)| (r.clone(), r.clone(), *n))
            .collect(),
    );
    section(
        Facet::Type,
        census
            .kinds
            .iter()
            .map(|(k, n)| (k.name().to_owned(), k.label().to_owned(), *n))
            .collect(),
    );
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn filtering() -> (Calendar, Filtering) {
        let cal = Calendar::bundled(None, Tz::UTC);
        let f = Filtering::new(&Census::of(&cal), Filter::default(), BTreeSet::new());
        (cal, f)
    }

    fn go_to(f: &mut Filtering, label: &str) {
        f.find(label);
        f.finding = None;
        assert!(matches!(&f.entries[f.cursor], Entry::Name { label: l, .. } if l == label));
    }

    #[test]
    fn sections_with_counts() {
        let (_, f) = filtering();
        let headings: Vec<&Entry> = f
            .entries
            .iter()
            .filter(|e| matches!(e, Entry::Heading(_)))
            .collect();
        assert_eq!(headings.len(), 3);
        assert!(matches!(
            f.entries[f.cursor],
            Entry::Name {
                facet: Facet::Track,
                ..
            }
        ));
        assert!(f.entries.iter().any(|e| matches!(e,
            Entry::Name { facet: Facet::Type, label, count, .. } if label == "Lightning talk" && *count > 20)));
    }

    #[test]
    fn only_all_none_and_toggle() {
        let (cal, mut f) = filtering();
        go_to(&mut f, "Keynote Sessions");
        assert!(f.only());
        let tracks = Facet::Track.names(&cal).len();
        let untracked = usize::from(cal.sessions.iter().any(|s| s.tracks.is_empty()));
        assert_eq!(
            f.filter.tracks.len(),
            tracks - 1 + untracked,
            "every other track"
        );
        assert!(f.shows(Facet::Track, "Keynote Sessions"));
        assert!(f.all(true));
        assert!(f.filter.is_empty());
        assert!(f.all(false));
        assert!(!f.shows(Facet::Track, "Keynote Sessions"));
        assert!(f.toggle());
        assert!(f.shows(Facet::Track, "Keynote Sessions"));
        // The rooms are untouched by the tracks' none.
        assert!(f.filter.rooms.is_empty());
    }

    #[test]
    fn moving_skips_headings_and_finding_ignores_case_and_accents() {
        let (_, mut f) = filtering();
        f.step(-5);
        assert!(matches!(f.entries[f.cursor], Entry::Name { .. }));
        f.step(1000);
        assert_eq!(f.cursor, f.entries.len() - 1);
        f.find("MASTER");
        assert!(matches!(&f.entries[f.cursor], Entry::Name { name, .. } if name == "Master Stage"));
    }

    #[test]
    fn starred_sessions_stay_whatever_is_hidden() {
        let (cal, mut f) = filtering();
        let s = &cal.sessions[0];
        f.hidden.insert(s.id.to_string());
        assert_eq!(f.visibility(s, false), Visibility::HiddenByUser);
        assert_eq!(f.visibility(s, true), Visibility::ShownStarred);
        f.show_hidden = true;
        assert_eq!(f.visibility(s, false), Visibility::Shown);
    }
}
