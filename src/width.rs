//! Text measured in terminal cells (not bytes or chars): titles here hold ’ — ‑ é and emoji.
//! Cutting goes by grapheme, so a ZWJ emoji or a letter with its accent is never split, and
//! wrapping goes by words (textwrap), never breaking one: a word too long for a line is cut
//! with `…`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_truncate::UnicodeTruncateStr;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Width of `s` in terminal cells.
pub fn cells(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max` cells, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    let mut out = String::new();
    push_truncated(&mut out, s, max);
    out
}

/// Appends [`truncate`]`(s, max)` to `out`, returning its width in cells.
fn push_truncated(out: &mut String, s: &str, max: usize) -> usize {
    if printable_ascii(s) {
        // One cell a byte.
        if s.len() <= max {
            out.push_str(s);
            return s.len();
        }
        if max == 0 {
            return 0;
        }
        let kept = s[..max - 1].trim_end();
        out.push_str(kept);
        out.push('…');
        return kept.len() + 1;
    }
    if s.chars().all(narrow_char) {
        // One cell a character, each its own grapheme: cutting is counting characters.
        match s.char_indices().nth(max) {
            None => {
                out.push_str(s);
                return s.chars().count();
            }
            Some(_) if max == 0 => return 0,
            Some(_) => {
                let cut = s.char_indices().nth(max - 1).map_or(s.len(), |(at, _)| at);
                let kept = s[..cut].trim_end();
                out.push_str(kept);
                out.push('…');
                return kept.chars().count() + 1;
            }
        }
    }
    if fits(s, max) {
        out.push_str(s);
        return s.width();
    }
    if max == 0 {
        return 0;
    }
    let (kept, _) = s.unicode_truncate(max - 1);
    let kept = kept.trim_end();
    out.push_str(kept);
    out.push('…');
    kept.width() + 1
}

/// Whether every character of `s` is one cell wide and a grapheme of its own, so that its
/// width is its number of characters and any character boundary is a grapheme boundary:
/// printable ASCII, Latin-1 and Latin Extended letters (but the soft hyphen) and the common
/// punctuation of U+2010–U+2027 (’ — ‑ “ ” … •). Most titles are such text; for them
/// measuring, cutting and wrapping need no grapheme segmentation.
fn is_narrow(s: &str) -> bool {
    printable_ascii(s) || s.chars().all(narrow_char)
}

/// Whether `s` is printable ASCII only: [`is_narrow`], one byte a character.
fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// See [`is_narrow`].
fn narrow_char(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{ac}' | '\u{ae}'..='\u{24f}' | '\u{2010}'..='\u{2027}')
}

/// Whether `s` is at most `max` cells wide, looking at no more of it than that needs.
fn fits(s: &str, max: usize) -> bool {
    // A grapheme is at least one byte and at most two cells: a short string is measured whole,
    // a long one only up to the point where it surely overflows.
    if s.len() <= max {
        return s.width() <= max;
    }
    let mut used = 0;
    for g in s.graphemes(true) {
        used += g.width();
        if used > max {
            return false;
        }
    }
    true
}

/// `s` cut to `width` cells and padded with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    push_fit(&mut out, s, width);
    out
}

/// Appends [`fit`]`(s, width)` to `out`.
pub fn push_fit(out: &mut String, s: &str, width: usize) {
    let w = push_truncated(out, s, width);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
}

/// The start of `s` that is surely enough to fill `cells` cells (whole graphemes).
fn head(s: &str, cells: usize) -> &str {
    if s.len() <= cells {
        return s;
    }
    let mut used = 0;
    for (at, g) in s.grapheme_indices(true) {
        if used > cells {
            return &s[..at];
        }
        used += g.width().max(1);
    }
    s
}

/// `s` wrapped at spaces into lines of at most `width` cells; line breaks in `s` are kept.
/// A word longer than a line is cut with `…`, never broken.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    wrap_lines(s, width, usize::MAX)
}

/// [`wrap`], but at most `max_lines` lines. When text remains, the last line takes as much
/// of it as fits and ends in `…`. Only as much of `s` is looked at as those lines can show, so
/// a huge title costs no more than a short one.
pub fn wrap_lines(s: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    if max_lines == 0 {
        return Vec::new();
    }
    let budget = width
        .saturating_add(1)
        .saturating_mul(max_lines.saturating_add(1));
    let text = head(s, budget);
    let options = wrap_options(width);
    let mut lines: Vec<String> = Vec::new();
    // Where in `text` the last line kept starts, to fill it with what remains.
    let mut last_start = 0;
    let mut more = text.len() < s.len();
    'paragraphs: for paragraph in text.split('\n') {
        let paragraph_at = offset_in(text, paragraph).unwrap_or(0);
        if paragraph.trim().is_empty() {
            if lines.len() == max_lines {
                more = true;
                break;
            }
            last_start = paragraph_at;
            lines.push(String::new());
            continue;
        }
        let wrapped = if is_narrow(paragraph) {
            Wrapped::Narrow(NarrowLines::new(paragraph, width))
        } else {
            Wrapped::Other(textwrap::wrap(paragraph, &options).into_iter())
        };
        for (line, cells) in wrapped {
            if lines.len() == max_lines {
                more = true;
                break 'paragraphs;
            }
            last_start = offset_in(text, &line).unwrap_or(paragraph_at);
            let kept = line.trim_end();
            lines.push(match cells {
                // Measured as it was made, and fits: no second look.
                Some(cells) if cells <= width && kept.len() == line.len() => kept.to_owned(),
                _ => truncate(kept, width),
            });
        }
    }
    if more && let Some(last) = lines.last_mut() {
        // The last line runs on into what did not fit, cut with an ellipsis.
        let from = last_start;
        let run_on: String = text[from..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut cut = truncate(&run_on, width);
        if !cut.ends_with('…') {
            cut = truncate(&format!("{cut} …"), width);
            if !cut.ends_with('…') {
                cut.push('…');
            }
        }
        *last = cut;
    }
    lines
}

/// How [`wrap_lines`] has textwrap wrap: first fit, at spaces and after wide characters,
/// never inside a word.
fn wrap_options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::Custom(words))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
}

/// The lines of a paragraph as textwrap makes them with [`wrap_lines`]' options.
enum Wrapped<'a> {
    Narrow(NarrowLines<'a>),
    Other(std::vec::IntoIter<std::borrow::Cow<'a, str>>),
}

impl<'a> Iterator for Wrapped<'a> {
    /// A line, and its width in cells where that is known.
    type Item = (std::borrow::Cow<'a, str>, Option<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Wrapped::Narrow(lines) => lines
                .next()
                .map(|(line, cells)| (std::borrow::Cow::Borrowed(line), Some(cells))),
            Wrapped::Other(lines) => lines.next().map(|line| (line, None)),
        }
    }
}

/// textwrap's first-fit wrapping of a line of [`is_narrow`] text with words parted at ASCII
/// spaces, no hyphenation and no broken words, done on the bytes: the same lines (a word is
/// its run of non-spaces and the spaces after it; a line ends before the first word that
/// would overflow it, unless that word starts the line), without building a word list. Each
/// line comes with its width in cells.
struct NarrowLines<'a> {
    line: &'a str,
    width: usize,
    /// Where the next line's first word starts; `None` once the last line was given.
    at: Option<usize>,
}

impl<'a> NarrowLines<'a> {
    fn new(line: &'a str, width: usize) -> Self {
        Self {
            line,
            width,
            at: Some(0),
        }
    }
}

impl<'a> Iterator for NarrowLines<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.at?;
        let bytes = self.line.as_bytes();
        let (mut at, mut used, mut end, mut line_cells) = (start, 0, start, 0);
        while at < bytes.len() {
            // The word up to the next space and its cells, in one pass: its characters (one
            // cell each), not counting UTF-8's continuation bytes.
            let (mut word_end, mut cells) = (at, 0);
            while let Some(&b) = bytes.get(word_end).filter(|&&b| b != b' ') {
                cells += usize::from(b & 0xc0 != 0x80);
                word_end += 1;
            }
            let next = bytes[word_end..]
                .iter()
                .position(|&b| b != b' ')
                .map_or(bytes.len(), |n| word_end + n);
            if at > start && used + cells > self.width {
                break;
            }
            line_cells = used + cells;
            used = line_cells + (next - word_end);
            end = word_end;
            at = next;
        }
        self.at = (at < bytes.len()).then_some(at);
        Some((&self.line[start..end], line_cells))
    }
}

/// The words of a line for wrapping: parted at ASCII spaces, as textwrap does, and also after
/// every wide character (Chinese, Japanese, Korean), where those scripts may break a line.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::core::Word;
    Box::new(
        textwrap::WordSeparator::AsciiSpace
            .find_words(line)
            .flat_map(|word: Word<'_>| {
                let text = word.word;
                if text.is_ascii() || !text.chars().any(|c| c.width().unwrap_or(0) == 2) {
                    return vec![word];
                }
                let mut pieces = Vec::new();
                let mut start = 0;
                for (at, c) in text.char_indices() {
                    if c.width().unwrap_or(0) == 2 {
                        let end = at + c.len_utf8();
                        pieces.push(Word::from(&text[start..end]));
                        start = end;
                    }
                }
                if start < text.len() {
                    pieces.push(Word::from(&text[start..]));
                }
                if let Some(last) = pieces.last_mut() {
                    last.whitespace = word.whitespace;
                }
                pieces
            }),
    )
}

/// Where `part` (a slice of `whole`) starts in it, if it is one.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = whole.as_ptr() as usize;
    let at = (part.as_ptr() as usize).checked_sub(start)?;
    (at <= whole.len() && whole.is_char_boundary(at)).then_some(at)
}

/// `s` broken into lines of at most `width` cells anywhere between graphemes: for URLs and
/// ids, which must be shown whole.
pub fn wrap_hard(s: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        line.push_str(g);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_cuts_in_cells() {
        assert_eq!(cells("Café ⚡"), 7);
        assert_eq!(truncate("Lights, Camera", 8), "Lights,…");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(truncate("日本語のタイトル", 7), "日本語…");
        assert_eq!(cells(&truncate("日本語のタイトル", 7)), 7);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn cuts_whole_graphemes() {
        let cut = truncate("❤️❤️❤️ love talk", 4);
        assert!(cells(&cut) <= 4, "{cut:?} is {} cells", cells(&cut));
        assert_eq!(cut, "❤️…");
        let family = "👨‍👩‍👧 family talk";
        let cut = truncate(family, 3);
        assert_eq!(cut, "👨‍👩‍👧…");
        assert_eq!(truncate("e\u{301}tude", 3), "e\u{301}t…");
    }

    #[test]
    fn wraps_at_spaces_and_never_breaks_a_word() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("Birds of A Feather", 4), vec!["Bir…", "of A", "Fea…"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abc…"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
    }

    #[test]
    fn chinese_and_japanese_break_between_characters() {
        let lines = wrap("深層学習の最前線 - 山田太郎", 10);
        assert_eq!(lines, vec!["深層学習の", "最前線 -", "山田太郎"]);
        assert!(lines.iter().all(|l| cells(l) <= 10));
    }

    #[test]
    fn urls_break_anywhere_and_stay_whole() {
        let url = "https://example.org/a/very/long/path";
        let lines = wrap_hard(url, 10);
        assert_eq!(lines.concat(), url);
        assert!(lines.iter().all(|l| cells(l) <= 10));
        assert_eq!(wrap_hard("", 10), vec![""]);
    }

    /// Text made of pieces that stress the narrow path: runs of spaces, long words, NBSP,
    /// dashes and quotes, accented letters.
    fn narrow_samples() -> Vec<String> {
        let pieces = [
            "a",
            "word",
            " ",
            "  ",
            "Keynote",
            "—",
            " — ",
            "’s",
            "Café",
            "\u{a0}",
            "x",
            "éé",
            "Supercalifragilistic",
            "…",
            "-",
            "ÿ",
            "Ŋ",
            "  leading",
            "end ",
        ];
        // A fixed linear congruential sequence: the same samples on every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        (0..600)
            .map(|_| (0..next(30)).map(|_| pieces[next(pieces.len())]).collect())
            .collect()
    }

    /// [`truncate`] done by graphemes, the general way.
    fn unicode_cut(s: &str, width: usize) -> String {
        if fits(s, width) {
            s.to_owned()
        } else if width == 0 {
            String::new()
        } else {
            format!("{}…", s.unicode_truncate(width - 1).0.trim_end())
        }
    }

    #[test]
    fn narrow_text_is_cut_and_wrapped_as_by_graphemes_and_textwrap() {
        for sample in narrow_samples() {
            assert!(is_narrow(&sample), "{sample:?}");
            assert_eq!(cells(&sample), sample.chars().count(), "{sample:?}");
            for width in [1, 2, 3, 5, 8, 13, 40, 100] {
                let measured: Vec<(&str, usize)> = NarrowLines::new(&sample, width).collect();
                for (line, measured_cells) in &measured {
                    assert_eq!(*measured_cells, cells(line), "{line:?} of {sample:?}");
                }
                let narrow: Vec<&str> = measured.iter().map(|(line, _)| *line).collect();
                let textwrap: Vec<_> = textwrap::wrap(&sample, wrap_options(width));
                assert_eq!(narrow, textwrap, "{sample:?} at {width}");
                // A blank paragraph is one empty line; else textwrap's lines, each cut.
                let expected: Vec<String> = if sample.trim().is_empty() {
                    vec![String::new()]
                } else {
                    textwrap
                        .iter()
                        .map(|line| unicode_cut(line.trim_end(), width))
                        .collect()
                };
                assert_eq!(wrap(&sample, width), expected, "{sample:?} at {width}");
                let mut cut = String::new();
                push_truncated(&mut cut, &sample, width);
                assert_eq!(
                    cut,
                    unicode_cut(&sample, width),
                    "{sample:?} cut to {width}"
                );
            }
        }
    }

    #[test]
    fn narrow_characters_are_one_cell_and_their_own_grapheme() {
        let narrow = (' '..='\u{2027}').filter(|&c| narrow_char(c));
        for c in narrow {
            assert_eq!(c.width(), Some(1), "{c:?}");
            for pair in [format!("{c}a"), format!("a{c}"), format!("{c}{c}")] {
                assert_eq!(pair.graphemes(true).count(), 2, "{pair:?}");
                assert_eq!(pair.width(), 2, "{pair:?}");
            }
        }
    }

    #[test]
    fn wrapping_stops_at_the_lines_asked_for() {
        assert_eq!(
            wrap_lines("Keynote about many things at once", 10, 2),
            vec!["Keynote", "about man…"]
        );
        assert_eq!(
            wrap_lines("09:35 K Community Led Open Source", 14, 1),
            vec!["09:35 K Commu…"]
        );
        assert_eq!(
            wrap_lines("Co-Evolution: How", 14, 3),
            vec!["Co-Evolution:", "How"]
        );
        let huge = "word ".repeat(1_000_000);
        let lines = wrap_lines(&huge, 20, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        assert!(lines.iter().all(|l| cells(l) <= 20));
        let one_word = "x".repeat(4_000_000);
        assert_eq!(wrap_lines(&one_word, 5, 2), vec!["xxxx…"]);
    }
}
