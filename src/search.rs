//! Fuzzy search over the programme (fuzzy-matcher's skim algorithm, ignoring case): title,
//! speakers, tracks, room and description.
//!
//! Each word of the query must match somewhere in the session (`torch compile` finds
//! `torch.compile`). A word matches strongly when its letters mostly stand together. Strong
//! matches rank first, title and speaker matches before the rest; then by score. In
//! descriptions only compact matches count (the letters within two of each other): in long
//! text the letters of any word turn up somewhere in order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::calendar::{Calendar, Session};

/// Where a word matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Title,
    Speakers,
    Tracks,
    Room,
    Description,
}

impl Field {
    /// Title and speaker matches rank above the others.
    fn tier(self) -> u8 {
        match self {
            Self::Title | Self::Speakers => 0,
            _ => 1,
        }
    }
}

/// One matching session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Calendar::sessions`].
    pub index: usize,
    pub score: i64,
    /// Where the first word matched.
    pub field: Field,
    /// Every word matched strongly.
    pub strong: bool,
    /// Every word matched in the title or speakers.
    pub in_title: bool,
}

/// Score per letter from which a match counts as strong (skim gives 16 a letter, plus
/// bonuses for word starts and runs, minus gaps).
const STRONG_PER_LETTER: i64 = 16;

/// A searcher for one calendar: the matcher, and each description in lower case so that
/// descriptions without a word's first letters are skipped cheaply.
pub struct Searcher {
    matcher: SkimMatcherV2,
    descriptions: Vec<String>,
}

struct WordMatch {
    score: i64,
    field: Field,
    strong: bool,
}

impl Searcher {
    pub fn new(calendar: &Calendar) -> Self {
        Self {
            matcher: SkimMatcherV2::default().ignore_case(),
            descriptions: calendar
                .sessions
                .iter()
                .map(|s| s.description.to_lowercase())
                .collect(),
        }
    }

    fn strong(word: &str, score: i64) -> bool {
        let letters = i64::try_from(word.chars().count()).unwrap_or(i64::MAX);
        score >= STRONG_PER_LETTER * letters
    }

    /// The best match of one (lower-case) word in session `index`.
    fn word(&self, index: usize, s: &Session, word: &str) -> Option<WordMatch> {
        let m = |field: Field, text: &str| {
            self.matcher.fuzzy_match(text, word).map(|score| WordMatch {
                score,
                field,
                strong: Self::strong(word, score),
            })
        };
        let better = |a: Option<WordMatch>, b: Option<WordMatch>| match (a, b) {
            (Some(x), Some(y)) => Some(if (y.strong, y.score) > (x.strong, x.score) {
                y
            } else {
                x
            }),
            (x, y) => x.or(y),
        };
        let title = better(
            m(Field::Title, &s.title),
            s.speakers.as_deref().and_then(|sp| m(Field::Speakers, sp)),
        );
        if title.as_ref().is_some_and(|w| w.strong) {
            return title;
        }
        let tracks = s
            .tracks
            .iter()
            .filter_map(|t| m(Field::Tracks, t))
            .max_by_key(|w| w.score);
        let other = better(tracks, m(Field::Room, &s.room));
        if other.as_ref().is_some_and(|w| w.strong) {
            return other;
        }
        let head: String = word.chars().take(3).collect();
        let description = if self.descriptions[index].contains(&head) {
            self.compact_match(&s.description, word)
        } else {
            None
        };
        description.or(title).or(other)
    }

    /// A strong match in long text whose letters stand within two of each other.
    fn compact_match(&self, text: &str, word: &str) -> Option<WordMatch> {
        let (score, positions) = self.matcher.fuzzy_indices(text, word)?;
        let span = positions.last()? - positions.first()? + 1;
        (Self::strong(word, score) && span <= word.chars().count() + 2).then_some(WordMatch {
            score,
            field: Field::Description,
            strong: true,
        })
    }

    /// Sessions matching `query` among those `keep` accepts, best first. An empty query
    /// matches none.
    pub fn search(
        &self,
        calendar: &Calendar,
        query: &str,
        keep: impl Fn(&Session) -> bool,
    ) -> Vec<Hit> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = calendar
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| keep(s))
            .filter_map(|(index, s)| {
                let mut hit = Hit {
                    index,
                    score: 0,
                    field: Field::Title,
                    strong: true,
                    in_title: true,
                };
                for (i, word) in words.iter().enumerate() {
                    let w = self.word(index, s, word)?;
                    if i == 0 {
                        hit.field = w.field;
                    }
                    hit.score += w.score;
                    hit.strong &= w.strong;
                    hit.in_title &= w.field.tier() == 0;
                }
                Some(hit)
            })
            .collect();
        hits.sort_by(|a, b| {
            b.strong
                .cmp(&a.strong)
                .then(b.in_title.cmp(&a.in_title))
                .then(b.score.cmp(&a.score))
                .then(a.index.cmp(&b.index))
        });
        hits
    }

    /// Character positions in `text` matched by the words of `query`, for highlighting.
    pub fn positions(&self, text: &str, query: &str) -> Vec<usize> {
        let mut all: Vec<usize> = query
            .split_whitespace()
            .filter_map(|w| self.matcher.fuzzy_indices(text, w))
            .flat_map(|(_, p)| p)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn titles(cal: &Calendar, hits: &[Hit], n: usize) -> Vec<String> {
        hits.iter()
            .take(n)
            .map(|h| cal.sessions[h.index].title.clone())
            .collect()
    }

    #[test]
    fn strong_title_matches_rank_first() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        let hits = searcher.search(&cal, "helion", |_| true);
        assert_eq!(
            titles(&cal, &hits, 2),
            vec![
                "Helion 1.0: A High-Level DSL for Performance Portable Kernels",
                "Meet the Developers of Helion"
            ]
        );
        assert!(hits[0].strong && hits[1].strong && !hits[2].strong);
        let by_speaker = searcher.search(&cal, "Oguz Ulgen", |_| true);
        assert_eq!(by_speaker[0].field, Field::Speakers);
        assert!(
            cal.sessions[by_speaker[0].index]
                .title
                .starts_with("Helion")
        );
    }

    #[test]
    fn every_word_must_match_in_any_field_and_case_does_not_matter() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        let hits = searcher.search(&cal, "torch compile", |_| true);
        assert!(
            titles(&cal, &hits, 8)
                .iter()
                .any(|t| t.starts_with("torch.compile and Diffusers"))
        );
        let hits = searcher.search(&cal, "iam collapses", |_| true);
        assert!(
            cal.sessions[hits[0].index]
                .title
                .starts_with("Why Classic IAM Collapses")
        );
        let hits = searcher.search(&cal, "helion oguz", |_| true);
        assert!(cal.sessions[hits[0].index].title.starts_with("Helion 1.0"));
        assert!(hits[0].strong);
    }

    #[test]
    fn tracks_rooms_and_descriptions_match_too() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        let room = searcher.search(&cal, "Biblioteca", |_| true);
        assert_eq!(
            room.len(),
            1,
            "scattered letters in descriptions do not count"
        );
        assert_eq!(room[0].field, Field::Room);
        let track = searcher.search(&cal, "Responsible AI Compliance", |_| true);
        assert!(track.iter().any(|h| h.field == Field::Tracks && h.strong));
        let description = searcher.search(&cal, "agentic coding systems", |_| true);
        assert_eq!(description[0].field, Field::Description);
        assert!(
            cal.sessions[description[0].index]
                .title
                .starts_with("Keynote: Co-Evolution")
        );
    }

    #[test]
    fn filter_and_empty_query() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        assert!(searcher.search(&cal, "  ", |_| true).is_empty());
        assert!(
            searcher
                .search(&cal, "helion", |s| s.room != "Master Stage")
                .iter()
                .all(|h| cal.sessions[h.index].room != "Master Stage")
        );
        assert_eq!(searcher.positions("Helion 1.0", "hel 1"), vec![0, 1, 2, 7]);
    }
}
