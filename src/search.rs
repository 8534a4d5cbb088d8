//! Fuzzy search over the programme: title, speakers, tracks, room and description.
//!
//! Each word of the query must match somewhere in the session (`torch compile` finds
//! `torch.compile`), ignoring case. In the short fields a word matches as fuzzy-matcher's
//! skim algorithm says, and skim's score ranks it; it is strong when its letters mostly stand
//! together. In descriptions a word must stand together, at most two other characters among
//! its letters: in long text the letters of any word turn up somewhere in order. Strong
//! matches rank first, title and speaker matches before the rest, then by score.
//!
//! Text is lower-cased once, when the searcher is made; a quick byte scan (are the letters
//! there, in order?) spares skim most sessions.

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
/// From this many sessions on, a search uses every core.
const PARALLEL_FROM: usize = 2000;
/// Other characters allowed among a word's letters in a description.
const DESCRIPTION_GAPS: usize = 2;

/// A session's searchable text, in lower case.
struct Lower {
    title: String,
    speakers: String,
    tracks: Vec<String>,
    room: String,
    description: String,
}

/// A searcher for one calendar.
pub struct Searcher {
    matcher: SkimMatcherV2,
    lower: Vec<Lower>,
}

struct WordMatch {
    score: i64,
    field: Field,
    strong: bool,
}

/// Whether the bytes of `needle` appear in `hay` in order: necessary for any fuzzy match.
fn subsequence(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

/// Skim's score for a one-letter pattern known to occur: 16, doubled bonus at a word start.
fn single_letter(hay: &[u8], letter: u8) -> i64 {
    let at_word_start =
        memchr::memchr_iter(letter, hay).any(|i| i == 0 || !hay[i - 1].is_ascii_alphanumeric());
    if at_word_start { 32 } else { 16 }
}

/// Where `word` stands in `hay` with at most [`DESCRIPTION_GAPS`] other characters among its
/// letters; a score in skim's scale: 16 a letter, more at a word's start, less per gap.
fn compact(hay: &str, word: &str) -> Option<i64> {
    let letters: Vec<char> = word.chars().collect();
    let first = *letters.first()?;
    let mut best: Option<i64> = None;
    for (at, _) in hay.match_indices(first) {
        let mut chars = hay[at..].chars();
        chars.next();
        let (mut gaps, mut found) = (0, 1);
        for c in chars {
            if found == letters.len() || gaps > DESCRIPTION_GAPS {
                break;
            }
            if c == letters[found] {
                found += 1;
            } else {
                gaps += 1;
            }
        }
        if found == letters.len() && gaps <= DESCRIPTION_GAPS {
            let start_of_word = hay[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let letters = i64::try_from(letters.len()).unwrap_or(i64::MAX / 32);
            let score = STRONG_PER_LETTER * letters + if start_of_word { 8 } else { 0 }
                - 3 * i64::try_from(gaps).unwrap_or(0);
            best = best.max(Some(score));
            if gaps == 0 && start_of_word {
                break;
            }
        }
    }
    best
}

impl Searcher {
    pub fn new(calendar: &Calendar) -> Self {
        Self {
            matcher: SkimMatcherV2::default().ignore_case(),
            lower: calendar
                .sessions
                .iter()
                .map(|s| Lower {
                    title: s.title.to_lowercase(),
                    speakers: s.speakers.as_deref().unwrap_or("").to_lowercase(),
                    tracks: s.tracks.iter().map(|t| t.to_lowercase()).collect(),
                    room: s.room.to_lowercase(),
                    description: s.description.to_lowercase(),
                })
                .collect(),
        }
    }

    fn strong(word: &str, score: i64) -> bool {
        let letters = i64::try_from(word.chars().count()).unwrap_or(i64::MAX);
        score >= STRONG_PER_LETTER * letters
    }

    /// The best match of one (lower-case) word in session `index`.
    fn word(&self, index: usize, word: &str) -> Option<WordMatch> {
        let lower = &self.lower[index];
        let needle = word.as_bytes();
        let m = |field: Field, text: &str| {
            if !subsequence(text.as_bytes(), needle) {
                return None;
            }
            let score = if let [letter] = needle {
                // One letter: skim's best is that letter starting a word, else anywhere.
                Some(single_letter(text.as_bytes(), *letter))
            } else {
                self.matcher.fuzzy_match(text, word)
            };
            score.map(|score| WordMatch {
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
        let title = m(Field::Title, &lower.title);
        let title = if title.as_ref().is_some_and(|w| w.strong) {
            title
        } else {
            better(title, m(Field::Speakers, &lower.speakers))
        };
        if title.as_ref().is_some_and(|w| w.strong) {
            return title;
        }
        let tracks = lower
            .tracks
            .iter()
            .filter_map(|t| m(Field::Tracks, t))
            .max_by_key(|w| w.score);
        let other = better(tracks, m(Field::Room, &lower.room));
        if other.as_ref().is_some_and(|w| w.strong) {
            return other;
        }
        let description = compact(&lower.description, word).map(|score| WordMatch {
            score,
            field: Field::Description,
            strong: true,
        });
        description.or(title).or(other)
    }

    /// Sessions matching `query` among those `keep` accepts, best first. An empty query
    /// matches none.
    pub fn search(
        &self,
        calendar: &Calendar,
        query: &str,
        keep: impl Fn(&Session) -> bool,
    ) -> Vec<Hit> {
        self.search_among(calendar, query, keep, 0..calendar.sessions.len())
    }

    /// [`Searcher::search`] over some sessions only (the hits of a query this one extends).
    pub fn search_among(
        &self,
        calendar: &Calendar,
        query: &str,
        keep: impl Fn(&Session) -> bool,
        candidates: impl Iterator<Item = usize>,
    ) -> Vec<Hit> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let candidates: Vec<usize> = candidates
            .filter(|&i| keep(&calendar.sessions[i]))
            .collect();
        let score = |index: usize| {
            let mut hit = Hit {
                index,
                score: 0,
                field: Field::Title,
                strong: true,
                in_title: true,
            };
            for (i, word) in words.iter().enumerate() {
                let w = self.word(index, word)?;
                if i == 0 {
                    hit.field = w.field;
                }
                hit.score += w.score;
                hit.strong &= w.strong;
                hit.in_title &= w.field.tier() == 0;
            }
            Some(hit)
        };
        // Big programmes are split across the cores; a keystroke must not wait.
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let mut hits: Vec<Hit> = if threads > 1 && candidates.len() >= PARALLEL_FROM {
            let chunk = candidates.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let parts: Vec<_> = candidates
                    .chunks(chunk)
                    .map(|part| {
                        scope.spawn(|| part.iter().filter_map(|&i| score(i)).collect::<Vec<_>>())
                    })
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|p| p.join().unwrap_or_default())
                    .collect()
            })
        } else {
            candidates.iter().filter_map(|&i| score(i)).collect()
        };
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

/// Whether every session matching `new` also matches `old`, so a search for `new` need only
/// look among the hits of `old`: each word of `old` is a prefix of the same word of `new`
/// (the last may grow), and `new` may add words.
pub fn narrows(old: &str, new: &str) -> bool {
    let old: Vec<&str> = old.split_whitespace().collect();
    let new: Vec<&str> = new.split_whitespace().collect();
    !old.is_empty()
        && old.len() <= new.len()
        && old.iter().zip(&new).enumerate().all(|(i, (o, n))| {
            let last = i + 1 == old.len();
            if last {
                n.to_lowercase().starts_with(&o.to_lowercase())
            } else {
                o.eq_ignore_ascii_case(n)
            }
        })
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
        let hits = searcher.search(&cal, "IAM collapses", |_| true);
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
        let keynote = description
            .iter()
            .position(|h| {
                cal.sessions[h.index]
                    .title
                    .starts_with("Keynote: Co-Evolution")
            })
            .unwrap();
        assert!(keynote < 2, "{keynote}");
        assert_eq!(description[keynote].field, Field::Description);
    }

    #[test]
    fn descriptions_allow_a_typo_but_not_scattered_letters() {
        assert!(compact("we introduce helion, a dsl", "helion").is_some());
        assert!(compact("we introduce heliion, a dsl", "helion").is_some());
        assert!(compact("the help line is open", "helion").is_none());
        assert!(compact("", "x").is_none());
    }

    #[test]
    fn narrowing_follows_typing() {
        assert!(narrows("kern", "kerne"));
        assert!(narrows("torch", "torch comp"));
        assert!(narrows("torch c", "torch co"));
        assert!(!narrows("kerne", "kern"), "backspace widens");
        assert!(!narrows("torch c", "torcx c"));
        assert!(!narrows("", "a"));
        // The same hits either way.
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        let wide = searcher.search(&cal, "kern", |_| true);
        let direct = searcher.search(&cal, "kernels meta", |_| true);
        let narrowed =
            searcher.search_among(&cal, "kernels meta", |_| true, wide.iter().map(|h| h.index));
        assert_eq!(direct, narrowed);
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
