//! Which sessions are shown: the filter (hidden tracks, rooms and types), the sessions the
//! user hid one by one, and the rule that starred sessions are always shown. One function,
//! [`visibility`], decides for the TUI and the command line alike.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::kind::{self, Kind};
use crate::calendar::{Calendar, Session};
use crate::search::fold;

/// The track name that stands for "no track": hiding it hides the sessions without one.
pub const NO_TRACK: &str = "";

/// What the user chose not to see, by name as the calendar spells it (types by
/// [`Kind::name`]). Empty: everything shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Hidden tracks: a session is hidden when every one of its tracks is ([`NO_TRACK`] for
    /// a session with none).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tracks: BTreeSet<String>,
    /// Hidden rooms.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub rooms: BTreeSet<String>,
    /// Hidden types ([`Kind::name`]).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
}

impl Filter {
    /// Hides nothing.
    pub fn is_empty(&self) -> bool {
        self.tracks.is_empty() && self.rooms.is_empty() && self.types.is_empty()
    }

    /// Whether the filter hides `session` (starred or not).
    pub fn hides(&self, session: &Session) -> bool {
        if self.is_empty() {
            return false;
        }
        let tracks_hidden = if session.tracks.is_empty() {
            self.tracks.contains(NO_TRACK)
        } else {
            session
                .tracks
                .iter()
                .all(|t| self.tracks.contains(t.as_str()))
        };
        tracks_hidden
            || self.rooms.contains(session.room.as_str())
            || self.types.contains(session.kind.name())
    }

    /// A filter that shows only the sessions in one of `tracks` (all tracks when empty), in
    /// one of `rooms`, and of one of `types`: what `--track`, `--room` and `--type` ask for.
    /// Each name is matched by [`resolve`].
    ///
    /// # Errors
    /// A name that is no track, room or type of the calendar, or the start of several.
    pub fn only(
        calendar: &Calendar,
        tracks: &[String],
        rooms: &[String],
        types: &[String],
    ) -> Result<Self, FilterError> {
        let hide_others = |facet: Facet, wanted: &[String]| -> Result<_, FilterError> {
            if wanted.is_empty() {
                return Ok(BTreeSet::new());
            }
            let names = facet.names(calendar);
            let keep: BTreeSet<String> = wanted
                .iter()
                .map(|w| resolve(facet, &names, w))
                .collect::<Result<_, _>>()?;
            let mut all: BTreeSet<String> = names.into_iter().map(|(n, _)| n).collect();
            if facet == Facet::Track {
                all.insert(NO_TRACK.to_owned());
            }
            Ok(all.into_iter().filter(|n| !keep.contains(n)).collect())
        };
        Ok(Self {
            tracks: hide_others(Facet::Track, tracks)?,
            rooms: hide_others(Facet::Room, rooms)?,
            types: hide_others(Facet::Type, types)?,
        })
    }
}

/// Whether a session is shown, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Shown,
    /// Shown only because it is starred: the filter or the user hides it otherwise.
    ShownStarred,
    /// The filter hides its tracks, room or type.
    HiddenByFilter,
    /// The user hid this session.
    HiddenByUser,
}

impl Visibility {
    pub fn is_shown(self) -> bool {
        matches!(self, Self::Shown | Self::ShownStarred)
    }
}

/// The one rule: a starred session is always shown; else the filter hides it, or the user
/// did (`hidden` holds the ids of the sessions the user hid); else it is shown.
pub fn visibility(
    session: &Session,
    starred: bool,
    hidden: &BTreeSet<String>,
    filter: &Filter,
) -> Visibility {
    let by_filter = filter.hides(session);
    let by_user = hidden.contains(session.id.as_str());
    match (starred, by_filter, by_user) {
        (_, false, false) => Visibility::Shown,
        (true, _, _) => Visibility::ShownStarred,
        (false, true, _) => Visibility::HiddenByFilter,
        (false, false, true) => Visibility::HiddenByUser,
    }
}

/// What a filter sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Track,
    Room,
    Type,
}

impl Facet {
    /// The names of this facet in `calendar`, with how many sessions have each, most first
    /// (types: every [`Kind`], in [`kind::ALL`]'s order, with their counts).
    pub fn names(self, calendar: &Calendar) -> Vec<(String, usize)> {
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        if self == Self::Type {
            return kind::ALL
                .iter()
                .map(|k| {
                    let n = calendar.sessions.iter().filter(|s| s.kind == *k).count();
                    (k.name().to_owned(), n)
                })
                .collect();
        }
        for s in &calendar.sessions {
            match self {
                Self::Track => {
                    for t in &s.tracks {
                        *counts.entry(t.as_str()).or_default() += 1;
                    }
                }
                Self::Room => *counts.entry(s.room.as_str()).or_default() += 1,
                Self::Type => {}
            }
        }
        let mut names: Vec<(String, usize)> = counts
            .into_iter()
            .filter(|(n, _)| !n.is_empty())
            .map(|(n, c)| (n.to_owned(), c))
            .collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        names
    }

    fn plural(self) -> &'static str {
        match self {
            Self::Track => "tracks",
            Self::Room => "rooms",
            Self::Type => "types",
        }
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Track => "track",
            Self::Room => "room",
            Self::Type => "type",
        })
    }
}

/// A name given for a filter that names nothing, or several things.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("no {facet} '{given}' in this calendar; {} are: {}", facet.plural(), valid.join(", "))]
    Unknown {
        facet: Facet,
        given: String,
        valid: Vec<String>,
    },
    #[error("'{given}' starts several {}: {}; give more of it", facet.plural(), matching.join(", "))]
    Ambiguous {
        facet: Facet,
        given: String,
        matching: Vec<String>,
    },
}

/// The one of `names` (with how many sessions each has) that `given` names: the same name,
/// or the start of only one, ignoring case and accents; names no session has are left out.
/// A type is also found by its label (`birds of a feather`).
///
/// # Errors
/// No such name, or the start of several.
pub fn resolve(
    facet: Facet,
    names: &[(String, usize)],
    given: &str,
) -> Result<String, FilterError> {
    // Only what this calendar has: a type no session is of is not offered, nor matched.
    let names: Vec<&(String, usize)> = names.iter().filter(|(_, count)| *count > 0).collect();
    let want = fold(given.trim());
    let spellings = |name: &str| -> Vec<String> {
        let mut all = vec![fold(name)];
        if facet == Facet::Type
            && let Some(k) = kind::ALL.iter().find(|k| k.name() == name)
        {
            all.push(fold(k.label()));
        }
        all
    };
    if let Some((name, _)) = names.iter().find(|(n, _)| spellings(n).contains(&want)) {
        return Ok(name.clone());
    }
    let matching: Vec<String> = names
        .iter()
        .filter(|(n, _)| !want.is_empty() && spellings(n).iter().any(|s| s.starts_with(&want)))
        .map(|(n, _)| n.clone())
        .collect();
    match matching.len() {
        1 => Ok(matching[0].clone()),
        0 => Err(FilterError::Unknown {
            facet,
            given: crate::calendar::text::sanitize_line(given),
            valid: names.iter().map(|(n, _)| n.clone()).collect(),
        }),
        _ => Err(FilterError::Ambiguous {
            facet,
            given: crate::calendar::text::sanitize_line(given),
            matching,
        }),
    }
}

/// The kind a type name names, as [`Filter::types`] holds it.
pub fn kind_named(name: &str) -> Option<Kind> {
    kind::ALL.iter().copied().find(|k| k.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn cal() -> Calendar {
        Calendar::bundled(None, Tz::UTC)
    }

    #[test]
    fn starred_sessions_are_always_shown() {
        let cal = cal();
        let s = &cal.sessions[10];
        let mut filter = Filter::default();
        filter.rooms.insert(s.room.to_string());
        let none = BTreeSet::new();
        let hidden: BTreeSet<String> = [s.id.to_string()].into();
        assert_eq!(
            visibility(s, false, &none, &Filter::default()),
            Visibility::Shown
        );
        assert_eq!(
            visibility(s, true, &none, &Filter::default()),
            Visibility::Shown
        );
        assert_eq!(
            visibility(s, false, &none, &filter),
            Visibility::HiddenByFilter
        );
        assert_eq!(
            visibility(s, true, &none, &filter),
            Visibility::ShownStarred
        );
        assert_eq!(
            visibility(s, false, &hidden, &Filter::default()),
            Visibility::HiddenByUser
        );
        assert_eq!(
            visibility(s, true, &hidden, &Filter::default()),
            Visibility::ShownStarred
        );
        assert_eq!(
            visibility(s, false, &hidden, &filter),
            Visibility::HiddenByFilter
        );
        assert!(Visibility::ShownStarred.is_shown() && !Visibility::HiddenByUser.is_shown());
    }

    #[test]
    fn a_session_is_hidden_by_tracks_only_when_all_its_tracks_are() {
        let cal = cal();
        let mut s = cal.sessions[0].clone();
        s.tracks = vec!["A".into(), "B".into()];
        let mut filter = Filter::default();
        filter.tracks.insert("A".into());
        assert!(!filter.hides(&s));
        filter.tracks.insert("B".into());
        assert!(filter.hides(&s));
        s.tracks.clear();
        assert!(!filter.hides(&s));
        filter.tracks.insert(NO_TRACK.into());
        assert!(filter.hides(&s));
        s.kind = Kind::Lightning;
        let mut by_type = Filter::default();
        by_type.types.insert("lightning".into());
        assert!(by_type.hides(&s));
    }

    #[test]
    fn names_resolve_by_exact_name_or_unique_start_ignoring_case_and_accents() {
        let names: Vec<(String, usize)> = vec![
            ("GenAI & Multimodal".into(), 3),
            ("Generative Models".into(), 2),
            ("Café Talks".into(), 1),
        ];
        assert_eq!(
            resolve(Facet::Track, &names, "genai").unwrap(),
            "GenAI & Multimodal"
        );
        assert_eq!(
            resolve(Facet::Track, &names, "GENER").unwrap(),
            "Generative Models"
        );
        assert_eq!(resolve(Facet::Track, &names, "cafe").unwrap(), "Café Talks");
        let err = resolve(Facet::Track, &names, "gen").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'gen' starts several tracks: GenAI & Multimodal, Generative Models; give more of it"
        );
        let err = resolve(Facet::Track, &names, "x\u{1b}[31m").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no track 'x[31m' in this calendar; tracks are: GenAI & Multimodal, Generative Models, Café Talks"
        );
        let types = Facet::Type.names(&cal());
        assert_eq!(resolve(Facet::Type, &types, "Birds of a").unwrap(), "bof");
        assert_eq!(resolve(Facet::Type, &types, "keynote").unwrap(), "keynote");
        assert!(
            resolve(Facet::Type, &types, "sponsored").is_ok(),
            "exact beats a start"
        );
        // A type no session of this calendar has is neither matched nor offered.
        let err = resolve(Facet::Type, &types, "workshop").unwrap_err();
        assert!(!err.to_string().contains("workshop, "), "{err}");
        assert!(!err.to_string().contains("panel"), "{err}");
    }

    #[test]
    fn only_hides_everything_else() {
        let cal = cal();
        let filter =
            Filter::only(&cal, &["frameworks".into()], &[], &["lightning".into()]).unwrap();
        let shown: Vec<&Session> = cal.sessions.iter().filter(|s| !filter.hides(s)).collect();
        assert!(!shown.is_empty());
        for s in &shown {
            assert!(
                s.tracks.iter().any(|t| t == "Frameworks & Compilers"),
                "{}",
                s.title
            );
            assert_eq!(s.kind, Kind::Lightning);
        }
        assert!(Filter::only(&cal, &[], &[], &[]).unwrap().is_empty());
        assert!(matches!(
            Filter::only(&cal, &[], &["nowhere".into()], &[]),
            Err(FilterError::Unknown {
                facet: Facet::Room,
                ..
            })
        ));
        assert_eq!(kind_named("bof"), Some(Kind::Bof));
    }
}
