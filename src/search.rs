//! Search over the programme, one engine for the TUI and `hallway search`.
//!
//! The rule: a session matches when every word of the query matches a word of one of its
//! fields (title, speakers, tracks, room, type, description), ignoring case and accents
//! ("café" = "cafe"):
//! - as the whole word, or as its start (`compil` finds "compiler");
//! - or, for query words of 4 letters or more, within one typo: one letter inserted, left
//!   out, replaced, or two neighbours swapped (Damerau's optimal string alignment distance 1)
//!   against the whole word (`helin` finds "Helion"). A typo against a word's start is not
//!   tried: `combo` would find "combine" and "common", which nobody typing it meant.
//!
//! Ranking: sessions every word of which matched without a typo come first (`cafe` finds the
//! Founders Cafe before a title with "Case"); then title before speakers before tracks, room
//! and type, before description; then a whole word before a word's start before a typo;
//! then earlier in its field before later; then by start time. For several query words the
//! ranks add up.
//!
//! Words are runs of letters and digits (`torch.compile` is two words; so is a query
//! `torch.compile`). Only the first 4 KB of each field are read. The index is built once per
//! calendar: every distinct folded word, sorted, with the sessions, fields and first
//! positions it occurs at; a keystroke then looks words up in the vocabulary rather than
//! reading text.

use std::ops::Range;

use memchr::memmem;
use rustc_hash::FxHashMap;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::calendar::{Calendar, Kind, Session, Text};

/// At most this many bytes of a field are indexed.
pub const FIELD_BYTES: usize = 4096;
/// Query words from this many letters on may match with one typo.
pub const TYPO_FROM: usize = 4;
/// A query is read up to this many words.
const MAX_QUERY_WORDS: usize = 32;

/// Where a query word matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Speakers,
    Tracks,
    Room,
    /// The session's type ([`crate::calendar::Kind`]: its label and its name).
    Type,
    Description,
}

impl Field {
    const ALL: [Self; 6] = [
        Self::Title,
        Self::Speakers,
        Self::Tracks,
        Self::Room,
        Self::Type,
        Self::Description,
    ];

    /// Title 0, speakers 1, tracks, room and type 2, description 3.
    fn tier(self) -> u32 {
        match self {
            Self::Title => 0,
            Self::Speakers => 1,
            Self::Tracks | Self::Room | Self::Type => 2,
            Self::Description => 3,
        }
    }

    /// How a person names it: `in description`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Speakers => "speakers",
            Self::Tracks => "track",
            Self::Room => "room",
            Self::Type => "type",
            Self::Description => "description",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// How well a query word matched a word, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    /// The whole word.
    Whole,
    /// The start of the word.
    Prefix,
    /// The whole word, within one typo.
    TypoWhole,
}

/// One matching session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Calendar::sessions`].
    pub index: usize,
    /// The best field any query word matched in.
    pub field: Field,
    fields: u8,
    rank: (u32, u32, u32, u32),
}

impl Hit {
    /// `in description`, `in speakers, track`: where the query matched besides the title,
    /// when it did.
    pub fn elsewhere(&self) -> Option<String> {
        let fields: Vec<&str> = self
            .fields()
            .filter(|f| *f != Field::Title)
            .map(Field::name)
            .collect();
        (!fields.is_empty()).then(|| format!("in {}", fields.join(", ")))
    }

    /// The fields where query words matched best, in rank order (a word found in the title
    /// and in the description counts for the title only).
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        Field::ALL
            .into_iter()
            .filter(|f| self.fields & f.bit() != 0)
    }
}

/// One word of a query, folded.
#[derive(Debug, Clone)]
struct QueryWord {
    folded: String,
    chars: Vec<char>,
}

/// The words of `query`, folded, without repeats.
fn query_words(query: &str) -> Vec<QueryWord> {
    let mut words: Vec<QueryWord> = Vec::new();
    let mut buf = String::new();
    for range in word_ranges(query) {
        buf.clear();
        fold_into(&query[range], &mut buf);
        if buf.is_empty() || words.iter().any(|w| w.folded == buf) {
            continue;
        }
        words.push(QueryWord {
            chars: buf.chars().collect(),
            folded: buf.clone(),
        });
        if words.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    words
}

/// Letters, digits, and the accents that may follow them.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// Byte ranges of the words of `text`.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// Appends `c` folded: lower case, compatibility-decomposed, accents dropped, and the
/// letters that do not decompose (ß, æ, ø, ł …) spelled as a keyboard without them would.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            match l {
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ø' => out.push('o'),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                other => out.push(other),
            }
        }
    });
}

/// Appends `word` folded (see [`fold_char`]).
fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in word.chars() {
            fold_char(c, out);
        }
    }
}

/// `text` as the search compares it: lower case, compatibility-decomposed, accents dropped.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// At most the first [`FIELD_BYTES`] of `text`, cut at a character boundary.
fn capped(text: &str) -> &str {
    if text.len() <= FIELD_BYTES {
        return text;
    }
    let mut end = FIELD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether `a` and `b` are at most one edit apart: one insertion, deletion, substitution, or
/// transposition of neighbours (optimal string alignment distance ≤ 1). Linear.
fn within_one<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[common..], &b[common..]);
    match (a.len(), b.len()) {
        (0, 0 | 1) | (1, 0) => true,
        (n, m) if n == m => {
            a[1..] == b[1..] || (n >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        (n, m) if n == m + 1 => a[1..] == *b,
        (n, m) if m == n + 1 => *a == b[1..],
        _ => false,
    }
}

/// How query word `q` matches the folded word `word`, if it does: the rule of this module.
fn quality(q: &QueryWord, word: &str) -> Option<Quality> {
    if word.starts_with(q.folded.as_str()) {
        return Some(if word.len() == q.folded.len() {
            Quality::Whole
        } else {
            Quality::Prefix
        });
    }
    let n = q.chars.len();
    if n < TYPO_FROM || word.len() + 1 < n {
        return None;
    }
    if q.folded.is_ascii() && word.is_ascii() {
        typo(q.folded.as_bytes(), word.as_bytes())
    } else {
        let chars: Vec<char> = word.chars().collect();
        typo(&q.chars, &chars)
    }
}

/// [`quality`] for a word that `q` does not start: a typo, or nothing.
fn typo<T: PartialEq>(q: &[T], word: &[T]) -> Option<Quality> {
    (word.len() <= q.len() + 1 && within_one(q, word)).then_some(Quality::TypoWhole)
}

/// Where a word occurs: a session, a field, the word's position in it (the first, when it
/// occurs more than once).
#[derive(Debug, Clone, Copy)]
struct Posting {
    session: u32,
    pos: u16,
    field: Field,
}

/// The index of one calendar: every distinct folded word, sorted, and where it occurs.
/// Built once per calendar; `Send`, so it can be built on another thread.
#[derive(Debug, Default)]
pub struct Searcher {
    /// Sorted.
    terms: Vec<Box<str>>,
    /// Postings of `terms[i]` are `postings[starts[i]..starts[i + 1]]`, in session order.
    starts: Vec<u32>,
    postings: Vec<Posting>,
    sessions: usize,
}

/// The fields of a session that search reads.
#[derive(Clone, Copy)]
struct Parts<'a> {
    title: &'a str,
    speakers: Option<&'a str>,
    tracks: &'a [Text],
    room: &'a str,
    kind: Kind,
    description: &'a str,
}

/// The [`Parts`] of a [`Session`] or a [`Searched`], whose fields have the same names.
macro_rules! parts {
    ($s:expr) => {
        Parts {
            title: &$s.title,
            speakers: $s.speakers.as_deref(),
            tracks: &$s.tracks,
            room: &$s.room,
            kind: $s.kind,
            description: &$s.description,
        }
    };
}

impl<'a> From<&'a Session> for Parts<'a> {
    fn from(s: &'a Session) -> Self {
        parts!(s)
    }
}

/// The text of each field of `s` as searched, in [`Field::ALL`]'s order, each at most
/// [`FIELD_BYTES`]: the tracks joined by ` · ` (in `tracks`), the type as label and name (in
/// `kind`).
fn fields_of<'a>(s: Parts<'a>, tracks: &'a mut String, kind: &'a mut String) -> [&'a str; 6] {
    let joined: &str = match s.tracks {
        [] => "",
        [one] => one,
        many => {
            tracks.clear();
            for (i, track) in many.iter().enumerate() {
                if tracks.len() > FIELD_BYTES {
                    break;
                }
                if i > 0 {
                    tracks.push_str(" · ");
                }
                tracks.push_str(track);
            }
            tracks
        }
    };
    kind.clear();
    kind.push_str(s.kind.label());
    if !s.kind.label().eq_ignore_ascii_case(s.kind.name()) {
        kind.push(' ');
        kind.push_str(s.kind.name());
    }
    [
        capped(s.title),
        capped(s.speakers.unwrap_or("")),
        capped(joined),
        capped(s.room),
        kind,
        capped(s.description),
    ]
}

/// Calls `f` with each field of `s` and its text, as [`fields_of`] gives them.
fn each_field(s: Parts, tracks: &mut String, kind: &mut String, mut f: impl FnMut(Field, &str)) {
    for (field, text) in Field::ALL.into_iter().zip(fields_of(s, tracks, kind)) {
        f(field, text);
    }
}

/// The text of each field of `s`, as indexed.
fn field_texts(s: &Session) -> [(Field, String); 6] {
    let mut texts: [(Field, String); 6] = Field::ALL.map(|f| (f, String::new()));
    let (mut tracks, mut kind) = (String::new(), String::new());
    each_field(s.into(), &mut tracks, &mut kind, |field, text| {
        text.clone_into(&mut texts[field as usize].1);
    });
    texts
}

/// Bit `i` set where byte `i` of `x` (eight ASCII bytes, the first in the lowest bits) is
/// a letter or a digit: eight bytes compared at once, none carrying into the next.
fn word_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // High bit of each byte set where it is at least `lo` / at most `hi` (bytes < 0x80).
    let at_least = |x: u64, lo: u8| x + ONES * u64::from(128 - lo);
    let at_most = |x: u64, hi: u8| !(x + ONES * u64::from(127 - hi));
    let lower = x | (ONES * 0x20);
    let letter = at_least(lower, b'a') & at_most(lower, b'z');
    let digit = at_least(x, b'0') & at_most(x, b'9');
    let high = ((letter | digit) >> 7) & ONES;
    // Gathers the eight flags into the top byte.
    high.wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Calls `f` with the position (the first word is 0; positions stop growing at `u16::MAX`)
/// and the byte range of each word of `text`, an ASCII text, until `f` returns false: runs
/// of ASCII letters and digits, as [`word_ranges`] finds them in ASCII. Reads 64 bytes a
/// step.
fn each_ascii_word_range(text: &[u8], mut f: impl FnMut(u16, Range<usize>) -> bool) {
    let mut pos: u16 = 0;
    let mut before = 0u64;
    let mut tail = [0u8; 64];
    for (block, bytes) in text.chunks(64).enumerate() {
        let bytes = if bytes.len() == 64 {
            bytes
        } else {
            tail[..bytes.len()].copy_from_slice(bytes);
            tail[bytes.len()..].fill(0);
            &tail
        };
        let mut mask = 0u64;
        for (i, eight) in bytes.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            mask |= word_bits(x) << (8 * i);
        }
        let mut starts = mask & !((mask << 1) | before);
        before = mask >> 63;
        while starts != 0 {
            let bit = starts.trailing_zeros();
            let len = (!(mask >> bit)).trailing_zeros();
            let start = block * 64 + bit as usize;
            let end = if bit + len < 64 {
                start + len as usize
            } else {
                // The word goes on into the next block.
                text[start..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(text.len(), |n| start + n)
            };
            if !f(pos, start..end) {
                return;
            }
            pos = pos.saturating_add(1);
            starts &= starts - 1;
        }
    }
}

/// [`each_ascii_word_range`] with each word.
fn each_ascii_word(text: &[u8], mut f: impl FnMut(u16, &[u8]) -> bool) {
    each_ascii_word_range(text, |pos, range| f(pos, &text[range]));
}

/// Calls `f` with each word of `text`, folded, and its position in `text` (the first word
/// is 0; positions stop growing at `u16::MAX`), until `f` returns false. `buf` holds a
/// word while it is folded.
fn each_folded_word(text: &str, buf: &mut String, mut f: impl FnMut(u16, &str) -> bool) {
    if text.is_ascii() {
        each_ascii_word(text.as_bytes(), |pos, word| {
            buf.clear();
            buf.extend(word.iter().map(|b| char::from(b.to_ascii_lowercase())));
            f(pos, buf)
        });
    } else {
        let mut pos: u16 = 0;
        for range in word_ranges(text) {
            buf.clear();
            fold_into(&text[range], buf);
            if !f(pos, buf) {
                return;
            }
            pos = pos.saturating_add(1);
        }
    }
}

/// What a [`Searcher`] indexes, taken from a calendar so the index can be built on another
/// thread while the calendar is in use: each session's searched fields, as handles on the
/// calendar's text ([`Text`] shares it), not copies.
#[derive(Debug, Default)]
pub struct Texts(Vec<Searched>);

/// The fields of one session that search reads.
#[derive(Debug)]
struct Searched {
    title: Text,
    speakers: Option<Text>,
    tracks: Vec<Text>,
    room: Text,
    kind: Kind,
    description: Text,
}

impl<'a> From<&'a Searched> for Parts<'a> {
    fn from(s: &'a Searched) -> Self {
        parts!(s)
    }
}

impl Texts {
    /// The searched fields of every session of `calendar`.
    pub fn of(calendar: &Calendar) -> Self {
        Self(
            calendar
                .sessions
                .iter()
                .map(|s| Searched {
                    title: s.title.clone(),
                    speakers: s.speakers.clone(),
                    tracks: s.tracks.clone(),
                    room: s.room.clone(),
                    kind: s.kind,
                    description: s.description.clone(),
                })
                .collect(),
        )
    }
}

impl Searcher {
    /// Indexes every session of `calendar`: linear in the (capped) text.
    pub fn new(calendar: &Calendar) -> Self {
        Self::from_texts(&Texts::of(calendar))
    }

    /// Indexes what [`Texts::of`] took from a calendar.
    pub fn from_texts(texts: &Texts) -> Self {
        let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut names: Vec<Box<str>> = Vec::new();
        // Per term: the last (session, field) it was seen in, to keep first positions only.
        let mut last: Vec<(u32, Field)> = Vec::new();
        let mut raw: Vec<(u32, Posting)> = Vec::new();
        let (mut buf, mut tracks, mut kind) = (String::new(), String::new(), String::new());
        for (index, searched) in texts.0.iter().enumerate() {
            let session = u32::try_from(index).unwrap_or(u32::MAX);
            each_field(searched.into(), &mut tracks, &mut kind, |field, text| {
                each_folded_word(text, &mut buf, |pos, word| {
                    let id = if let Some(&id) = ids.get(word) {
                        id
                    } else {
                        let id = u32::try_from(names.len()).unwrap_or(u32::MAX);
                        ids.insert(word.into(), id);
                        names.push(word.into());
                        last.push((u32::MAX, field));
                        id
                    };
                    let seen = &mut last[id as usize];
                    if *seen != (session, field) {
                        *seen = (session, field);
                        raw.push((
                            id,
                            Posting {
                                session,
                                pos,
                                field,
                            },
                        ));
                    }
                    true
                });
            });
        }
        drop(ids);
        // Sort the vocabulary, then place the postings by term (a counting sort keeps them
        // in session order).
        let mut order: Vec<u32> = (0..u32::try_from(names.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = u32::try_from(r).unwrap_or(u32::MAX);
        }
        let mut starts = vec![0u32; names.len() + 1];
        for (id, _) in &raw {
            starts[rank[*id as usize] as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![
            Posting {
                session: 0,
                pos: 0,
                field: Field::Title
            };
            raw.len()
        ];
        for (id, posting) in raw {
            let slot = &mut next[rank[id as usize] as usize];
            postings[*slot as usize] = posting;
            *slot += 1;
        }
        let mut names: Vec<Option<Box<str>>> = names.into_iter().map(Some).collect();
        let terms = order
            .iter()
            .map(|&id| names[id as usize].take().unwrap_or_default())
            .collect();
        Self {
            terms,
            starts,
            postings,
            sessions: texts.0.len(),
        }
    }

    fn postings_of(&self, term: usize) -> &[Posting] {
        &self.postings[self.starts[term] as usize..self.starts[term + 1] as usize]
    }

    /// The terms `q` matches, with how well.
    fn matching_terms(&self, q: &QueryWord) -> Vec<(usize, Quality)> {
        let from = self
            .terms
            .partition_point(|t| t.as_ref() < q.folded.as_str());
        if q.chars.len() < TYPO_FROM {
            // No typos: the words starting with `q`, which sort together.
            return self.terms[from..]
                .iter()
                .take_while(|t| t.starts_with(q.folded.as_str()))
                .enumerate()
                .map(|(i, t)| {
                    let exact = t.len() == q.folded.len();
                    (
                        from + i,
                        if exact {
                            Quality::Whole
                        } else {
                            Quality::Prefix
                        },
                    )
                })
                .collect();
        }
        self.terms
            .iter()
            .enumerate()
            .filter_map(|(i, t)| quality(q, t).map(|quality| (i, quality)))
            .collect()
    }

    /// Per session, the best match of `q` as a packed rank (`u32::MAX`: none), and the
    /// sessions matched, each once.
    fn best_per_session(&self, q: &QueryWord) -> (Vec<u32>, Vec<u32>) {
        let mut best = vec![u32::MAX; self.sessions];
        let mut touched = Vec::new();
        for (term, quality) in self.matching_terms(q) {
            for p in self.postings_of(term) {
                let key = pack(p.field, quality, p.pos);
                let slot = &mut best[p.session as usize];
                if *slot == u32::MAX {
                    touched.push(p.session);
                }
                *slot = (*slot).min(key);
            }
        }
        (best, touched)
    }

    /// Sessions matching `query` among those `keep` accepts, best first. A query with no
    /// words matches nothing.
    pub fn search(
        &self,
        calendar: &Calendar,
        query: &str,
        keep: impl Fn(&Session) -> bool,
    ) -> Vec<Hit> {
        let words = query_words(query);
        if words.is_empty() || self.sessions != calendar.sessions.len() {
            return Vec::new();
        }
        let mut per_word: Vec<(Vec<u32>, Vec<u32>)> =
            words.iter().map(|q| self.best_per_session(q)).collect();
        // Start from the word with the fewest sessions.
        per_word.sort_by_key(|(_, touched)| touched.len());
        let (first, rest) = per_word
            .split_first()
            .map_or((None, &[][..]), |(f, r)| (Some(f), r));
        let Some((first_best, first_touched)) = first else {
            return Vec::new();
        };
        let mut hits: Vec<Hit> = first_touched
            .iter()
            .filter_map(|&session| {
                let s = session as usize;
                let mut keys = vec![first_best[s]];
                for (best, _) in rest {
                    let key = best[s];
                    if key == u32::MAX {
                        return None;
                    }
                    keys.push(key);
                }
                if !keep(&calendar.sessions[s]) {
                    return None;
                }
                Some(hit(s, &keys))
            })
            .collect();
        hits.sort_unstable_by(|a, b| a.rank.cmp(&b.rank).then(a.index.cmp(&b.index)));
        hits
    }
}

/// Calendars from this many sessions on are read by several threads in [`search_once`].
const PARALLEL_FROM: usize = 4096;

/// Sessions matching `query` among those `keep` accepts, best first, found by reading each
/// session's text once: the same hits in the same order as [`Searcher::search`], without
/// building an index — cheaper for a single query (`hallway search`). Large calendars are
/// read in chunks, one per core.
pub fn search_once(calendar: &Calendar, query: &str, keep: impl Fn(&Session) -> bool) -> Vec<Hit> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let kept: Vec<bool> = calendar.sessions.iter().map(keep).collect();
    let sessions = calendar.sessions.as_slice();
    let threads = if sessions.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    let chunk = sessions.len().div_ceil(threads).max(1);
    let mut hits: Vec<Hit> = if threads == 1 {
        scan(sessions, 0, &kept, &words)
    } else {
        std::thread::scope(|scope| {
            let parts: Vec<_> = sessions
                .chunks(chunk)
                .zip(kept.chunks(chunk))
                .enumerate()
                .map(|(i, (part, kept))| {
                    let words = &words;
                    scope.spawn(move || scan(part, i * chunk, kept, words))
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|part| {
                    part.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    hits.sort_unstable_by(|a, b| a.rank.cmp(&b.rank).then(a.index.cmp(&b.index)));
    hits
}

/// The hits among `sessions` (the first of which is session `first` of its calendar) that
/// `kept` marks, for the query `words`. Each word's best match in a session is looked for on
/// its own, and a session stops being read at the first word that matches none of its
/// fields; the word a session lacked is looked for first in the next, which likely lacks it
/// too.
fn scan(sessions: &[Session], first: usize, kept: &[bool], words: &[QueryWord]) -> Vec<Hit> {
    let sought: Vec<Sought> = words.iter().map(Sought::new).collect();
    let mut order: Vec<usize> = (0..words.len()).collect();
    let (mut tracks, mut kind, mut buf) = (String::new(), String::new(), String::new());
    let mut lowered = Lowered::default();
    let mut keys = vec![u32::MAX; words.len()];
    let mut hits = Vec::new();
    for (i, (s, _)) in sessions
        .iter()
        .zip(kept)
        .enumerate()
        .filter(|(_, (_, kept))| **kept)
    {
        if i % AHEAD == 0 {
            touch(&sessions[i..sessions.len().min(i + AHEAD)]);
        }
        let texts = fields_of(s.into(), &mut tracks, &mut kind);
        lowered.clear();
        let lacking = order.iter().position(|&w| {
            keys[w] = sought[w].best_key(&texts, &mut lowered, &mut buf);
            keys[w] == u32::MAX
        });
        match lacking {
            Some(at) => order[..=at].rotate_right(1),
            None => hits.push(hit(first + i, &keys)),
        }
    }
    hits
}

/// [`scan`] asks for the text of this many sessions at once, before reading them.
const AHEAD: usize = 16;

/// Reads a byte of each 64 of the texts of `sessions`: asking for them all at once, rather
/// than one after the other as a scan reads them, lets the memory serve them together
/// (a third less time at 100,000 sessions).
fn touch(sessions: &[Session]) {
    let mut sum = 0u8;
    for s in sessions {
        for text in [Some(&s.title), s.speakers.as_ref(), Some(&s.description)]
            .into_iter()
            .flatten()
        {
            for b in text.as_bytes().iter().step_by(64) {
                sum ^= b;
            }
        }
    }
    std::hint::black_box(sum);
}

/// A query word as [`scan`] looks for it.
struct Sought<'q> {
    q: &'q QueryWord,
    /// For a word of ASCII letters and digits, what finds it in a field folded to ASCII
    /// ([`Lowered`]) without reading each word; `None` for other words, compared with each
    /// word of the text, as are fields with a word that does not fold to ASCII.
    pieces: Option<Pieces>,
}

impl<'q> Sought<'q> {
    fn new(q: &'q QueryWord) -> Self {
        Self {
            q,
            pieces: Pieces::new(&q.folded),
        }
    }

    /// The best match of the word in a session whose fields hold `texts` (as [`fields_of`]
    /// gives them) as a packed rank, `u32::MAX` when it matches none. `lowered` holds the
    /// session's ASCII fields in lower case, made as they are first needed.
    fn best_key(&self, texts: &[&str; 6], lowered: &mut Lowered, buf: &mut String) -> u32 {
        let fields = || Field::ALL.into_iter().zip(texts).enumerate();
        let mut key = u32::MAX;
        // Whole words and starts, field by field (and typos too in the fields read word by
        // word). Fields come best first: a key no match in a field could better is settled.
        for (i, (field, text)) in fields() {
            if key <= pack(field, Quality::Whole, 0) {
                return key;
            }
            if text.is_empty() {
                continue;
            }
            let lower = self.pieces.as_ref().and_then(|_| lowered.get(i, text));
            key = match (&self.pieces, lower) {
                (Some(pieces), Some(lower)) => pieces.start_key(&self.q.folded, field, lower, key),
                _ => word_by_word_key(self.q, field, text, key, buf),
            };
        }
        // A typo only counts where no word matched whole or by its start.
        let Some(pieces) = &self.pieces else {
            return key;
        };
        for (i, (field, text)) in fields() {
            if key <= pack(field, Quality::TypoWhole, 0) {
                break;
            }
            if let Some(lower) = lowered.get(i, text) {
                key = pieces.typo_key(&self.q.folded, field, lower, key);
            }
        }
        key
    }
}

/// The best of `key` and the matches of `q` in the `field` holding `text`, reading the text
/// word by word.
fn word_by_word_key(q: &QueryWord, field: Field, text: &str, key: u32, buf: &mut String) -> u32 {
    let mut key = key;
    each_folded_word(text, buf, |pos, word| {
        if let Some(quality) = quality(q, word) {
            key = key.min(pack(field, quality, pos));
        }
        // Words come in order: no later word can better a key at or below this.
        key > pack(field, Quality::Whole, pos)
    });
    key
}

/// A session's fields as lower-case ASCII text whose words (runs of ASCII letters and
/// digits) are the field's words folded, at the same positions: an ASCII field in lower
/// case, or what [`fold_to_ascii`] makes of another; made once per session as a query word
/// first needs them.
#[derive(Default)]
struct Lowered {
    texts: [Vec<u8>; 6],
    state: [Option<bool>; 6],
    /// A word while it is folded.
    word: String,
}

impl Lowered {
    /// Forgets the last session's fields.
    fn clear(&mut self) {
        self.state = [None; 6];
    }

    /// Field `i` of the session, whose text is `text`, as described above: `None` when it
    /// has a word that does not fold to ASCII letters and digits (or to nothing).
    fn get(&mut self, i: usize, text: &str) -> Option<&[u8]> {
        let lower = &mut self.texts[i];
        let word = &mut self.word;
        let done = *self.state[i]
            .get_or_insert_with(|| lower_ascii(text, lower) || fold_to_ascii(text, lower, word));
        done.then_some(self.texts[i].as_slice())
    }
}

/// Whether each word of `text` folds to ASCII letters and digits (not to nothing); `out`
/// then holds `text` with its words folded and a space for each other character that is
/// not ASCII, so that its words (runs of ASCII letters and digits) are those
/// [`each_folded_word`] gives, at their positions. Runs of ASCII are copied in lower case
/// at once. `buf` holds a character while it is folded.
fn fold_to_ascii(text: &str, out: &mut Vec<u8>, buf: &mut String) -> bool {
    out.clear();
    let mut rest = text;
    loop {
        let ascii = ascii_prefix(rest.as_bytes());
        let start = out.len();
        out.extend_from_slice(&rest.as_bytes()[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            return true;
        };
        rest = &rest[c.len_utf8()..];
        if !is_word_char(c) {
            out.push(b' ');
            continue;
        }
        buf.clear();
        fold_char(c, buf);
        let folds_to_ascii = if buf.is_empty() {
            // A mark: its word must have a letter or digit before it, or it could be nothing.
            out.last().is_some_and(u8::is_ascii_alphanumeric)
        } else {
            buf.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        if !folds_to_ascii {
            return false;
        }
        out.extend_from_slice(buf.as_bytes());
    }
}

/// Whether `text` is ASCII; `lower` then holds it in lower case. One pass.
fn lower_ascii(text: &str, lower: &mut Vec<u8>) -> bool {
    let mut high = 0u8;
    lower.clear();
    lower.extend(text.bytes().map(|b| {
        high |= b;
        b | (u8::from(b.wrapping_sub(b'A') < 26) << 5)
    }));
    high.is_ascii()
}

/// How many bytes at the start of `bytes` are ASCII: sixteen a step, then one by one.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let whole = bytes
        .chunks_exact(16)
        .take_while(|chunk| chunk.iter().fold(0, |all, b| all | b).is_ascii())
        .count()
        * 16;
    whole
        + bytes[whole..]
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(bytes.len() - whole)
}

/// What finds the matches of a query word of ASCII letters and digits in lower-case ASCII
/// text without reading each word: the word itself, for the words it starts; and for a
/// word that may match with a typo ([`TYPO_FROM`] letters or more), its two halves and
/// itself with the letters either side of the cut swapped.
///
/// Every word within one typo of the query word holds one of those three. A letter
/// replaced, left out or put in before the cut leaves the second half whole; after it, the
/// first half; one put in at the cut leaves both; two neighbours swapped on one side leave
/// the other half whole, and swapped across the cut they give the third piece. As words are
/// runs of letters and digits, a piece found lies within one word.
struct Pieces {
    whole: memmem::Finder<'static>,
    /// Empty for words too short for a typo.
    typo: Vec<memmem::Finder<'static>>,
}

impl Pieces {
    fn new(q: &str) -> Option<Self> {
        let q = q.as_bytes();
        if q.is_empty() || !q.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        let mut typo = Vec::new();
        if q.len() >= TYPO_FROM {
            let cut = q.len() / 2;
            let mut swapped = q.to_vec();
            swapped.swap(cut - 1, cut);
            typo.push(memmem::Finder::new(&q[..cut]).into_owned());
            typo.push(memmem::Finder::new(&q[cut..]).into_owned());
            if swapped != q {
                typo.push(memmem::Finder::new(&swapped).into_owned());
            }
        }
        Some(Self {
            whole: memmem::Finder::new(q).into_owned(),
            typo,
        })
    }

    /// The best of `key` and the words that `q` (these pieces' word) is or starts in the
    /// `field` whose text in lower case, all ASCII, is `text`: the word found where a word
    /// starts, whole at its first such place if anywhere, else the first.
    fn start_key(&self, q: &str, field: Field, text: &[u8], key: u32) -> u32 {
        let q = q.as_bytes();
        let is_word = |i: usize| text.get(i).is_some_and(u8::is_ascii_alphanumeric);
        let mut start: Option<(Quality, usize)> = None;
        let mut from = 0;
        while let Some(at) = self.whole.find(&text[from..]).map(|at| from + at) {
            if at == 0 || !is_word(at - 1) {
                if !is_word(at + q.len()) {
                    start = Some((Quality::Whole, at));
                    break;
                }
                start = start.or(Some((Quality::Prefix, at)));
            }
            // The word is letters and digits: no word starts within it.
            from = at + q.len();
        }
        start.map_or(key, |(quality, at)| {
            key.min(pack(field, quality, count_ascii_words(&text[..at])))
        })
    }

    /// The best of `key` and the first word within one typo of `q` in the `field` whose text
    /// in lower case, all ASCII, is `text`, which has no word that `q` is or starts.
    fn typo_key(&self, q: &str, field: Field, text: &[u8], key: u32) -> u32 {
        let q = q.as_bytes();
        let mut first = text.len();
        for piece in &self.typo {
            let mut from = 0;
            while let Some(at) = text
                .get(from..first)
                .and_then(|rest| piece.find(rest))
                .map(|at| from + at)
            {
                let end = at + piece.needle().len();
                let word_start = text[..at]
                    .iter()
                    .rposition(|b| !b.is_ascii_alphanumeric())
                    .map_or(0, |i| i + 1);
                let word_end = text[end..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(text.len(), |i| end + i);
                if typo(q, &text[word_start..word_end]).is_some() {
                    first = word_start;
                    break;
                }
                from = word_end;
            }
        }
        if first == text.len() {
            return key;
        }
        key.min(pack(
            field,
            Quality::TypoWhole,
            count_ascii_words(&text[..first]),
        ))
    }
}

/// How many words (runs of ASCII letters and digits) start in the ASCII `text`, at most
/// `u16::MAX`: the position of a word that starts where `text` ends. Eight bytes a step.
fn count_ascii_words(text: &[u8]) -> u16 {
    let mut count = 0u32;
    let mut before = 0u64;
    let mut chunks = text.chunks_exact(8);
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    for eight in chunks.by_ref().chain([&tail[..]]) {
        let mask = word_bits(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
        count += (mask & !((mask << 1) | before) & 0xFF).count_ones();
        before = mask >> 7;
    }
    u16::try_from(count).unwrap_or(u16::MAX)
}

/// A word match as one number: smaller is better (a typo or not, field tier, quality,
/// field, position).
fn pack(field: Field, quality: Quality, pos: u16) -> u32 {
    let typo = u32::from(quality >= Quality::TypoWhole);
    (typo << 31)
        | (field.tier() << 29)
        | ((quality as u32) << 27)
        | ((field as u32) << 23)
        | u32::from(pos)
}

fn unpack_field(key: u32) -> Field {
    Field::ALL[((key >> 23) & 0xF) as usize % Field::ALL.len()]
}

/// The hit of session `index` given the best match of each query word.
fn hit(index: usize, keys: &[u32]) -> Hit {
    let mut rank = (0, 0, 0, 0);
    let mut fields = 0;
    let mut field = Field::Description;
    for &key in keys {
        rank.0 += key >> 31;
        rank.1 += (key >> 29) & 0x3;
        rank.2 += (key >> 27) & 0x3;
        rank.3 += key & 0xFFFF;
        let f = unpack_field(key);
        fields |= f.bit();
        field = field.min(f);
    }
    Hit {
        index,
        field,
        fields,
        rank,
    }
}

/// What to highlight in a session's displayed text: byte ranges into the original strings,
/// sorted and not overlapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    pub title: Vec<Range<usize>>,
    pub speakers: Vec<Range<usize>>,
    pub room: Vec<Range<usize>>,
    /// One list per track, in the session's order.
    pub tracks: Vec<Vec<Range<usize>>>,
    pub description: Vec<Range<usize>>,
}

/// The parts of `text` (its first [`FIELD_BYTES`]) that words of `query` match, by the same
/// rule as the search: whole matched words, or the matched start of a word.
pub fn matched_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    ranges(capped(text), &query_words(query))
}

fn ranges(text: &str, words: &[QueryWord]) -> Vec<Range<usize>> {
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut folded = String::new();
    for range in word_ranges(text) {
        folded.clear();
        fold_into(&text[range.clone()], &mut folded);
        let best = words
            .iter()
            .filter_map(|q| quality(q, &folded).map(|quality| (quality, q)))
            .map(|(quality, q)| match quality {
                Quality::Whole | Quality::TypoWhole => range.end,
                Quality::Prefix => prefix_end(text, range.clone(), q.chars.len()),
            })
            .max();
        if let Some(end) = best {
            match out.last_mut() {
                Some(last) if last.end >= range.start => last.end = last.end.max(end),
                _ => out.push(range.start..end),
            }
        }
    }
    out
}

/// The end (a byte offset) of the shortest start of the word `range` of `text` whose folded
/// form has at least `letters` characters.
fn prefix_end(text: &str, range: Range<usize>, letters: usize) -> usize {
    let mut count = 0;
    let mut buf = String::new();
    for (i, c) in text[range.clone()].char_indices() {
        if count >= letters {
            return range.start + i;
        }
        buf.clear();
        fold_char(c, &mut buf);
        count += buf.chars().count();
    }
    range.end
}

/// What to highlight in `session` for `query`.
pub fn highlights(session: &Session, query: &str) -> Highlights {
    let words = query_words(query);
    Highlights {
        title: ranges(capped(&session.title), &words),
        speakers: ranges(capped(session.speakers.as_deref().unwrap_or("")), &words),
        room: ranges(capped(&session.room), &words),
        tracks: session
            .tracks
            .iter()
            .map(|t| ranges(capped(t), &words))
            .collect(),
        description: ranges(capped(&session.description), &words),
    }
}

/// Whether `session` meets the rule for `query`, read straight from its text: what the
/// index answers, for tests to check it against.
#[doc(hidden)]
pub fn matches_directly(session: &Session, query: &str) -> bool {
    let words = query_words(query);
    let texts = field_texts(session);
    let mut folded = String::new();
    !words.is_empty()
        && words.iter().all(|q| {
            texts.iter().any(|(_, text)| {
                word_ranges(text).any(|r| {
                    folded.clear();
                    fold_into(&text[r], &mut folded);
                    quality(q, &folded).is_some()
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn titles(cal: &Calendar, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| cal.sessions[h.index].title.to_string())
            .collect()
    }

    fn q(word: &str) -> QueryWord {
        query_words(word).remove(0)
    }

    fn session(title: &str, speakers: Option<&str>, description: &str) -> Session {
        let cal = Calendar::bundled(None, Tz::UTC);
        let mut s = cal.sessions[0].clone();
        s.title = title.into();
        s.speakers = speakers.map(crate::calendar::Text::from);
        s.description = description.into();
        s.tracks = vec!["Frameworks & Compilers".into()];
        s.room = "Master Stage".into();
        s.kind = crate::calendar::Kind::Talk;
        s
    }

    fn calendar_of(sessions: Vec<Session>) -> Calendar {
        let mut cal = Calendar::bundled(None, Tz::UTC);
        cal.sessions = sessions;
        cal
    }

    #[test]
    fn whole_word_prefix_and_typo() {
        assert_eq!(quality(&q("helion"), "helion"), Some(Quality::Whole));
        assert_eq!(quality(&q("hel"), "helion"), Some(Quality::Prefix));
        assert_eq!(quality(&q("lion"), "helion"), None, "not inside a word");
        assert_eq!(quality(&q("helin"), "helion"), Some(Quality::TypoWhole));
        assert_eq!(quality(&q("hleion"), "helion"), Some(Quality::TypoWhole));
        assert_eq!(quality(&q("helioon"), "helion"), Some(Quality::TypoWhole));
        assert_eq!(quality(&q("hxlion"), "helion"), Some(Quality::TypoWhole));
        // No typos against a word's start: `combo` is not "combine" nor "common".
        assert_eq!(quality(&q("combo"), "combine"), None);
        assert_eq!(quality(&q("combo"), "common"), None);
        assert_eq!(quality(&q("hleio"), "helion"), None);
        assert_eq!(quality(&q("cmpil"), "compiler"), None);
        assert_eq!(quality(&q("helin"), "helping"), None);
        // Never a start shorter than the query: `compile` is not `complex`.
        assert_eq!(quality(&q("compile"), "complex"), None);
        assert_eq!(quality(&q("compile"), "compacting"), None);
        // Two typos are too many; short words get none.
        assert_eq!(quality(&q("hxlixn"), "helion"), None);
        assert_eq!(quality(&q("kex"), "key"), None);
        assert_eq!(quality(&q("kexy"), "key"), Some(Quality::TypoWhole));
    }

    #[test]
    fn case_and_accents_do_not_matter() {
        let mut folded = String::new();
        fold_into("Café", &mut folded);
        assert_eq!(folded, "cafe");
        assert_eq!(quality(&q("CAFÉ"), "cafe"), Some(Quality::Whole));
        folded.clear();
        fold_into("Straße Øresund e\u{301}te\u{301}", &mut folded);
        assert_eq!(folded, "strasse oresund ete");
        let s = session("Un café à Paris", None, "");
        assert!(matches_directly(&s, "cafe paris"));
        assert!(matches_directly(&s, "CAFÉ"));
        assert!(matches_directly(&s, "caff paris"), "one typo");
        assert!(!matches_directly(&s, "cxfx paris"));
    }

    #[test]
    fn every_word_must_match_a_field() {
        let s = session(
            "torch.compile and Diffusers",
            Some("Ke Wen, Meta"),
            "We speed up diffusion models.",
        );
        assert!(matches_directly(&s, "torch compile"));
        assert!(matches_directly(&s, "torch.compile"));
        assert!(matches_directly(&s, "ke wen"));
        assert!(matches_directly(&s, "compile meta diffusion"));
        assert!(matches_directly(&s, "frameworks"), "a track");
        assert!(matches_directly(&s, "master"), "the room");
        assert!(matches_directly(&s, "talk"), "the type");
        assert!(!matches_directly(&s, "compile vllm"));
        assert!(!matches_directly(&s, "   "));
        assert!(!matches_directly(&s, "zebra"));
        assert!(matches_directly(&s, "orch"), "one letter left out: torch");
    }

    #[test]
    fn ranking_exact_before_typo_then_title_speakers_the_rest_whole_before_prefix() {
        let cal = calendar_of(vec![
            session("Other", None, "all about kernels"),
            session("Other", Some("Kernels Person"), ""),
            session("Writing kernelz", None, ""),
            session("Kernelsmith tricks", None, ""),
            session("Fast kernels in Triton", None, ""),
            session("Kernels, fast", None, ""),
        ]);
        let searcher = Searcher::new(&cal);
        let hits = searcher.search(&cal, "kernels", |_| true);
        assert_eq!(
            titles(&cal, &hits),
            vec![
                "Kernels, fast",          // title, whole word, first
                "Fast kernels in Triton", // title, whole word, later
                "Kernelsmith tricks",     // title, start of a word
                "Other",                  // speakers
                "Other",                  // description
                "Writing kernelz",        // a typo: after every exact match
            ]
        );
        assert_eq!(hits[3].field, Field::Speakers);
        assert_eq!(hits[4].field, Field::Description);
        assert_eq!(
            hits[4].fields().collect::<Vec<_>>(),
            vec![Field::Description]
        );
    }

    #[test]
    fn ties_go_by_start_time() {
        let cal = calendar_of(vec![
            session("Helion", None, ""),
            session("Helion", None, ""),
        ]);
        let hits = Searcher::new(&cal).search(&cal, "helion", |_| true);
        assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn the_bundled_calendar_finds_what_is_meant() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        let helion = searcher.search(&cal, "helion", |_| true);
        assert_eq!(
            titles(&cal, &helion),
            vec![
                "Helion 1.0: A High-Level DSL for Performance Portable Kernels",
                "Meet the Developers of Helion"
            ]
        );
        let typo = searcher.search(&cal, "helin", |_| true);
        assert!(titles(&cal, &typo)[0].starts_with("Helion 1.0"));
        let by_speaker = searcher.search(&cal, "Oguz Ulgen", |_| true);
        assert_eq!(by_speaker[0].field, Field::Speakers);
        assert!(
            cal.sessions[by_speaker[0].index]
                .title
                .starts_with("Helion")
        );
        for query in ["compile", "ke wen", "distributed training", "helin"] {
            let hits = searcher.search(&cal, query, |_| true);
            assert!(!hits.is_empty(), "{query}");
            for (i, s) in cal.sessions.iter().enumerate() {
                assert_eq!(
                    hits.iter().any(|h| h.index == i),
                    matches_directly(s, query),
                    "{query}: {}",
                    s.title
                );
            }
        }
    }

    #[test]
    fn keep_filters_and_an_empty_query_finds_nothing() {
        let cal = Calendar::bundled(None, Tz::UTC);
        let searcher = Searcher::new(&cal);
        assert!(searcher.search(&cal, "  ", |_| true).is_empty());
        assert!(searcher.search(&cal, "—", |_| true).is_empty());
        let hits = searcher.search(&cal, "helion", |s| s.room != "Master Stage");
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn fields_are_read_up_to_4_kb() {
        let long = format!("{} needle", "word ".repeat(2000));
        let cal = calendar_of(vec![session(&long, None, "")]);
        let searcher = Searcher::new(&cal);
        assert!(searcher.search(&cal, "word", |_| true).len() == 1);
        assert!(searcher.search(&cal, "needle", |_| true).is_empty());
        // A cut inside a multi-byte character stays on a boundary.
        let s = format!("{}é", "a".repeat(FIELD_BYTES - 1));
        assert_eq!(capped(&s).len(), FIELD_BYTES - 1);
    }

    #[test]
    fn a_4_mb_title_is_no_slower_than_its_first_4_kb() {
        let started = std::time::Instant::now();
        let mut title = String::new();
        for i in 0..600_000 {
            title.push('w');
            title.push_str(&i.to_string());
            title.push(' ');
        }
        let cal = calendar_of(vec![session(&title, None, &"é".repeat(2 << 20))]);
        let searcher = Searcher::new(&cal);
        for query in ["w1", "w12345", "w5999", "é"] {
            let _ = searcher.search(&cal, query, |_| true);
            let _ = search_once(&cal, query, |_| true);
            let _ = highlights(&cal.sessions[0], query);
        }
        // Generous, for a debug build: reading all 4 MB per keystroke took seconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert!(
            searcher.terms.len() < 1000,
            "{} words",
            searcher.terms.len()
        );
    }

    #[test]
    fn highlights_are_byte_ranges_of_the_original_text() {
        let s = session(
            "Helion 1.0: Helion’s DSL — Café Ünïcode",
            Some("Oguz Ulgen"),
            "We introduce helion.",
        );
        let h = highlights(&s, "helion cafe uni");
        let parts: Vec<&str> = h.title.iter().map(|r| &s.title[r.clone()]).collect();
        assert_eq!(parts, vec!["Helion", "Helion", "Café", "Ünï"]);
        assert_eq!(
            h.description
                .iter()
                .map(|r| &s.description[r.clone()])
                .collect::<Vec<_>>(),
            vec!["helion"]
        );
        assert!(h.speakers.is_empty());
        let typo = matched_ranges("Helion compilers", "helin compilrs");
        assert_eq!(typo, vec![0..6, 7..16]);
        assert_eq!(matched_ranges("Kernelsmith", "kernel"), vec![0..6]);
    }

    #[test]
    fn within_one_edit() {
        let w = |a: &str, b: &str| within_one(a.as_bytes(), b.as_bytes());
        assert!(w("abcd", "abcd"));
        assert!(w("abcd", "abxd"));
        assert!(w("abcd", "abdc"));
        assert!(w("abcd", "abd"));
        assert!(w("abcd", "abcde"));
        assert!(!w("abcd", "badc"));
        assert!(!w("abcd", "ab"));
        assert!(w("", "a"));
    }

    /// Queries that exercise every part of the rule: whole words, starts, typos, several
    /// words, accents, case, fields other than the title, words found nowhere.
    const QUERIES: [&str; 27] = [
        "helion",
        "helin",
        "hleio",
        "compil",
        "kernels",
        "kernelz",
        "KERNEL serving",
        "distributed training",
        "ke wen",
        "Oguz Ulgen",
        "cafe",
        "café paris",
        "keynote",
        "lightning",
        "master stage",
        "frameworks compilers",
        "a",
        "e",
        "torch.compile",
        "meta",
        "zebra",
        "straße",
        "pytorch kernels training",
        "the of and",
        // Typos the pieces must find: letters swapped across the cut, one left out.
        "kenrels sreving",
        "helon",
        "héliön compilr",
    ];

    fn assert_once_is_the_index(cal: &Calendar) {
        let searcher = Searcher::new(cal);
        for query in QUERIES {
            let indexed = searcher.search(cal, query, |_| true);
            assert_eq!(search_once(cal, query, |_| true), indexed, "{query}");
            let keep = |s: &Session| s.title.len().is_multiple_of(2);
            assert_eq!(
                search_once(cal, query, keep),
                searcher.search(cal, query, keep),
                "{query}, filtered"
            );
        }
    }

    #[test]
    fn one_query_read_once_answers_as_the_index_on_the_bundled_calendar() {
        let cal = Calendar::bundled(None, Tz::UTC);
        assert!(!search_once(&cal, "helion", |_| true).is_empty());
        assert_once_is_the_index(&cal);
    }

    #[test]
    fn one_query_read_once_answers_as_the_index_on_a_generated_calendar() {
        // Enough sessions to be read by several threads, made of words the queries find,
        // in every case, with accents, several tracks and long fields.
        const WORDS: [&str; 16] = [
            "Kernels",
            "kernelz",
            "serving",
            "Helion",
            "héliön",
            "compiler",
            "Café",
            "PARIS",
            "distributed",
            "training",
            "Ke",
            "Wen",
            "straße",
            "torch.compile",
            "fused",
            "the",
        ];
        let mut seed: u64 = 7;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        let mut phrase = |words: usize| {
            (0..words)
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let template = Calendar::bundled(None, Tz::UTC).sessions[0].clone();
        let sessions: Vec<Session> = (0..PARALLEL_FROM + 300)
            .map(|i| {
                let mut s = template.clone();
                s.title = phrase(1 + i % 6).into();
                s.speakers = (i % 3 != 0).then(|| phrase(2).into());
                s.description = phrase(if i % 500 == 0 { 3000 } else { i % 40 }).into();
                s.tracks = (0..i % 3).map(|_| phrase(2).into()).collect();
                s.room = phrase(1).into();
                s.kind = if i % 5 == 0 {
                    crate::calendar::Kind::Keynote
                } else {
                    crate::calendar::Kind::Talk
                };
                s
            })
            .collect();
        let cal = calendar_of(sessions);
        assert!(search_once(&cal, "kernels serving", |_| true).len() > 100);
        assert_once_is_the_index(&cal);
    }

    #[test]
    fn ascii_words_are_found_eight_bytes_at_a_time_as_one_by_one() {
        // Every ASCII byte, in runs that cross the 8- and 64-byte steps.
        let mut seed: u64 = 3;
        for len in (0..300).chain([1000, 4096]) {
            let text: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let r = (seed >> 33) % 4;
                    char::from(if r == 0 {
                        u8::try_from((seed >> 40) % 128).unwrap()
                    } else {
                        b"aZ09 .-`{@[/:"[usize::try_from((seed >> 40) % 13).unwrap()]
                    })
                })
                .collect();
            let mut found = Vec::new();
            each_ascii_word(text.as_bytes(), |pos, word| {
                found.push((usize::from(pos), word.to_vec()));
                true
            });
            let expected: Vec<(usize, Vec<u8>)> = word_ranges(&text)
                .enumerate()
                .map(|(pos, r)| (pos, text.as_bytes()[r].to_vec()))
                .collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(
                usize::from(count_ascii_words(text.to_ascii_lowercase().as_bytes())),
                expected.len(),
                "{text:?}"
            );
        }
        for b in 0..128u8 {
            let bits = word_bits(u64::from_le_bytes([b, b'a', b, b'0', 0, b'Z', b, b' ']));
            let alnum = u64::from(b.is_ascii_alphanumeric());
            assert_eq!(
                bits,
                alnum | 0b10 | alnum << 2 | 0b1000 | 0b10_0000 | alnum << 6,
                "{b}"
            );
        }
    }

    /// The rule read straight from the text with no shortcut: each query word's best match
    /// over every word of every field. What [`scan`] must give.
    fn reference_hits(sessions: &[Session], words: &[QueryWord]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, s) in sessions.iter().enumerate() {
            let texts = field_texts(s);
            let mut keys = Vec::new();
            for q in words {
                let mut key = u32::MAX;
                for (field, text) in &texts {
                    for (pos, range) in word_ranges(text).enumerate() {
                        if let Some(quality) = quality(q, &fold(&text[range])) {
                            let pos = u16::try_from(pos).unwrap_or(u16::MAX);
                            key = key.min(pack(*field, quality, pos));
                        }
                    }
                }
                keys.push(key);
            }
            if keys.iter().all(|&key| key != u32::MAX) {
                hits.push(hit(i, &keys));
            }
        }
        hits
    }

    fn template() -> Session {
        static TEMPLATE: std::sync::OnceLock<Session> = std::sync::OnceLock::new();
        TEMPLATE
            .get_or_init(|| Calendar::bundled(None, Tz::UTC).sessions[0].clone())
            .clone()
    }

    /// `scan` against the reference, for `query` over sessions with these descriptions.
    fn assert_scan_is_the_rule(sessions: &[Session], query: &str) {
        let words = query_words(query);
        let kept = vec![true; sessions.len()];
        assert_eq!(
            scan(sessions, 0, &kept, &words),
            reference_hits(sessions, &words),
            "{query:?} in {:?}",
            sessions
                .iter()
                .map(|s| field_texts(s).map(|(_, text)| text))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_word_one_typo_away_is_found_by_its_pieces() {
        // Every word one edit (with these letters) from each query word, alone and inside
        // text, in lower and upper case: the pieces must find each that the rule accepts.
        const LETTERS: &[u8] = b"abcdex1";
        for q in ["abcd", "abcde", "abcdef", "aabb", "abab", "ab1d", "abc"] {
            let q = q.as_bytes();
            let mut near: Vec<Vec<u8>> = vec![q.to_vec()];
            for i in 0..=q.len() {
                for &l in LETTERS {
                    let mut w = q.to_vec();
                    w.insert(i, l);
                    near.push(w);
                    if i < q.len() {
                        let mut w = q.to_vec();
                        w[i] = l;
                        near.push(w);
                    }
                }
                if i < q.len() {
                    let mut w = q.to_vec();
                    w.remove(i);
                    near.push(w);
                }
                if i + 1 < q.len() {
                    let mut w = q.to_vec();
                    w.swap(i, i + 1);
                    near.push(w);
                }
            }
            let sessions: Vec<Session> = near
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let w = String::from_utf8(w.clone()).unwrap();
                    let mut s = template();
                    s.title = format!("zz {}", w.to_uppercase()).into();
                    s.speakers = None;
                    s.tracks = Vec::new();
                    s.room = "r".into();
                    s.description = match i % 3 {
                        0 => w.clone(),
                        1 => format!("x {w}-y"),
                        _ => format!("{w}{w} {w}"),
                    }
                    .into();
                    s
                })
                .collect();
            let query = std::str::from_utf8(q).unwrap();
            assert_scan_is_the_rule(&sessions, query);
            let typos = reference_hits(&sessions, &query_words(query))
                .iter()
                .filter(|h| h.rank.0 > 0)
                .count();
            assert!(q.len() < TYPO_FROM || typos > 50, "{query}: {typos} typos");
        }
    }

    /// A word near one of a few: as it is, cut short, run on, or one or two letters
    /// replaced, left out, put in or swapped; some letters upper case, some accented.
    fn word_near() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const BASES: [&str; 15] = [
            "kernels", "serving", "abcd", "abab", "aab", "ke", "a", "helion", "x1y2", "cafe",
            "café", "straße", "aaaa", "zebra", "ab1d",
        ];
        // Accents, letters that fold to two, to one with a mark, to something that is not
        // a letter or digit ('½' to "1⁄2", '⑴' to "(1)"), or to nothing (a mark alone).
        const LETTERS: [char; 16] = [
            'a', 'b', 'e', 'k', 'l', 's', 'x', '1', 'é', 'ß', 'ﬁ', 'İ', '½', '⑴', '日', '\u{301}',
        ];
        (
            0..BASES.len(),
            proptest::collection::vec((0u8..7, 0usize..9, 0..LETTERS.len()), 0..3),
            any::<u16>(),
        )
            .prop_map(|(base, edits, upper)| {
                let mut w: Vec<char> = BASES[base].chars().collect();
                for (op, at, letter) in edits {
                    let at = at % (w.len() + 1);
                    let letter = LETTERS[letter];
                    match op {
                        0 if at < w.len() => w[at] = letter,
                        1 if at < w.len() => drop(w.remove(at)),
                        2 => w.insert(at, letter),
                        3 if at + 1 < w.len() => w.swap(at, at + 1),
                        4 => w.truncate(at.max(1)),
                        5 => w.extend(['e', 'r', 's']),
                        _ => {}
                    }
                }
                w.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if upper & (1 << (i % 16)) != 0 {
                            c.to_uppercase().collect::<String>()
                        } else {
                            c.to_string()
                        }
                    })
                    .collect()
            })
    }

    /// A text of words near the bases, joined by spaces, punctuation, non-ASCII marks or
    /// nothing (which runs two words into one).
    fn text_near(words: usize) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const JOINS: [&str; 11] = [
            " ",
            " ",
            ". ",
            "-",
            "’",
            " — ",
            "",
            "\t",
            "é ",
            " \u{301} ",
            " ½ ",
        ];
        proptest::collection::vec((word_near(), 0..JOINS.len()), 0..words).prop_map(|parts| {
            let mut text = String::new();
            for (word, join) in parts {
                text.push_str(&word);
                text.push_str(JOINS[join]);
            }
            text
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]
        #[test]
        fn scan_finds_what_the_rule_finds_on_random_texts(
            fields in proptest::collection::vec(
                (text_near(6), proptest::option::of(text_near(4)), text_near(30),
                 proptest::collection::vec(text_near(3), 0..3), text_near(3), 0..3usize),
                1..5,
            ),
            query in proptest::collection::vec(word_near(), 1..4),
        ) {
            let kinds = [
                crate::calendar::Kind::Talk,
                crate::calendar::Kind::Keynote,
                crate::calendar::Kind::Lightning,
            ];
            let sessions: Vec<Session> = fields
                .into_iter()
                .map(|(title, speakers, description, tracks, room, kind)| {
                    let mut s = template();
                    s.title = title.into();
                    s.speakers = speakers.map(Into::into);
                    s.description = description.into();
                    s.tracks = tracks.into_iter().map(Into::into).collect();
                    s.room = room.into();
                    s.kind = kinds[kind];
                    s
                })
                .collect();
            assert_scan_is_the_rule(&sessions, &query.join(" "));
        }
    }

    #[test]
    fn searcher_is_send() {
        fn send<T: Send>() {}
        send::<Searcher>();
    }
}
