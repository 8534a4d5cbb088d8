//! Content lines: bytes → unfolded, decoded logical lines → `NAME;PARAMS:VALUE`, in one
//! linear pass and without copying property text.
//!
//! Unfolding happens on bytes before decoding, so a fold that splits a UTF-8 sequence (as
//! some exporters write) joins back into a valid character. Invalid UTF-8 left after that
//! is replaced with U+FFFD and reported.

use std::borrow::Cow;
use std::sync::Arc;

use super::shared::Buffer;

/// UTF-8's byte-order mark, which a file may start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of the input [`Unfolded::from_cow_lazy`] looks through for a fold itself: a
/// folded calendar (one whose lines are cut at 75 bytes) has one in its first event.
const FOLD_PROBE: usize = 64 * 1024;

/// Whether `input` has a folded line (a line break then a space or a TAB).
fn has_fold(input: &[u8]) -> bool {
    memchr::memmem::find(input, b"\n ").is_some() || memchr::memmem::find(input, b"\n\t").is_some()
}

/// The input with folds removed: logical lines joined by `\n`, and how to find the physical
/// line (1-based) each starts on. Input without folds and in valid UTF-8 is borrowed, not
/// copied.
pub struct Unfolded<'a> {
    pub text: Cow<'a, str>,
    /// Where the numbering jumps (after a folded line): the index of a logical line and its
    /// physical line. Between jumps each logical line is one physical line further on. Only
    /// folds cost an entry, so a file of a million short lines costs none.
    jumps: Cow<'a, [(u32, u32)]>,
    /// Physical lines that held invalid UTF-8.
    pub invalid: InvalidLines,
    /// Whether folds were not looked for (see [`Unfolded::from_cow_lazy`]).
    may_fold: bool,
}

/// Lines with invalid UTF-8: the first, and how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvalidLines {
    pub first: Option<u32>,
    pub count: usize,
    last: u32,
}

impl InvalidLines {
    fn add(&mut self, line: u32) {
        if self.first.is_none() || self.last != line {
            self.first.get_or_insert(line);
            self.count += 1;
            self.last = line;
        }
    }
}

impl<'a> Unfolded<'a> {
    /// Unfolds `input` (LF or CRLF, stray CRs, a UTF-8 BOM; folds by space or TAB).
    #[cfg(test)]
    pub fn new(input: &'a [u8]) -> Self {
        Self::from_cow(Cow::Borrowed(input))
    }

    /// [`Unfolded::new`] of input that may be owned: input without folds, in valid UTF-8,
    /// becomes the text as it is, never copied.
    pub fn from_cow(input: Cow<'a, [u8]>) -> Self {
        let folded = has_fold(&input);
        if !folded {
            let (text, invalid) = match input {
                Cow::Borrowed(bytes) => {
                    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
                    if let Ok(text) = std::str::from_utf8(bytes) {
                        (Cow::Borrowed(text), InvalidLines::default())
                    } else {
                        let (text, invalid) = decode_lossy(bytes, &[]);
                        (Cow::Owned(text), invalid)
                    }
                }
                Cow::Owned(mut bytes) => {
                    if bytes.starts_with(BOM) {
                        bytes.drain(..BOM.len());
                    }
                    match String::from_utf8(bytes) {
                        Ok(text) => (Cow::Owned(text), InvalidLines::default()),
                        Err(err) => {
                            let (text, invalid) = decode_lossy(err.as_bytes(), &[]);
                            (Cow::Owned(text), invalid)
                        }
                    }
                }
            };
            return Self {
                text,
                jumps: Cow::Borrowed(&[]),
                invalid,
                may_fold: false,
            };
        }
        let input = input.strip_prefix(BOM).unwrap_or(&input);
        let mut bytes = Vec::with_capacity(input.len());
        let mut jumps = Vec::new();
        let mut logical = 0u32;
        let mut last_start = 0u32;
        let mut physical = 0u32;
        let mut from = 0;
        let ends = memchr::memchr_iter(b'\n', input).chain(std::iter::once(input.len()));
        for end in ends {
            let mut line = &input[from..end];
            from = end + 1;
            physical = physical.saturating_add(1);
            while let [rest @ .., b'\r'] = line {
                line = rest;
            }
            match line {
                [b' ' | b'\t', rest @ ..] if logical > 0 => bytes.extend_from_slice(rest),
                _ => {
                    if logical > 0 {
                        bytes.push(b'\n');
                    }
                    if physical != last_start.saturating_add(1) {
                        jumps.push((logical, physical));
                    }
                    last_start = physical;
                    logical = logical.saturating_add(1);
                    bytes.extend_from_slice(line);
                }
            }
        }
        let (text, invalid) = match String::from_utf8(bytes) {
            Ok(text) => (text, InvalidLines::default()),
            Err(err) => decode_lossy(&err.into_bytes(), &jumps),
        };
        Self {
            text: Cow::Owned(text),
            jumps: Cow::Owned(jumps),
            invalid,
            may_fold: false,
        }
    }

    /// [`Unfolded::from_cow`] without looking for folds past the first [`FOLD_PROBE`] bytes
    /// of input in valid UTF-8: those two scans of the whole input cost as much as a
    /// sixth of reading it, and the reader of the lines sees a fold at no cost. Such text
    /// [`Unfolded::may_fold`]: whoever finds a line that continues another in it must
    /// unfold it with [`Unfolded::from_cow`] (from [`Shared::into_bytes`]) and read again.
    pub fn from_cow_lazy(input: Cow<'a, [u8]>) -> Self {
        if input.starts_with(BOM) || has_fold(&input[..input.len().min(FOLD_PROBE)]) {
            return Self::from_cow(input);
        }
        let text = match input {
            Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => return Self::from_cow(input),
            },
            Cow::Owned(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Cow::Owned(text),
                Err(err) => return Self::from_cow(Cow::Owned(err.into_bytes())),
            },
        };
        Self {
            text,
            jumps: Cow::Borrowed(&[]),
            invalid: InvalidLines::default(),
            may_fold: true,
        }
    }

    /// Whether the text may still hold folds (see [`Unfolded::from_cow_lazy`]): a line
    /// after the first that starts with a space or a TAB.
    pub fn may_fold(&self) -> bool {
        self.may_fold
    }

    /// The text moved into a [`Buffer`] that sessions can share ranges of (copied only when
    /// it was borrowed), with the line numbering; [`Shared::view`] reads it.
    pub fn into_shared(self) -> Shared {
        Shared {
            buffer: Buffer::new(self.text.into_owned()),
            jumps: self.jumps.into_owned(),
            invalid: self.invalid,
            may_fold: self.may_fold,
        }
    }

    /// The logical lines (without line ends) with the physical line each starts on.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &str)> {
        let mut jumps = self.jumps.iter().peekable();
        let mut physical = 0u32;
        let text: &str = &self.text;
        // `text.split('\n')`, with the memchr crate's vector search (std's is a third slower).
        let mut from = 0;
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
        let split = ends.map(move |end| {
            let line = text.get(from..end).unwrap_or_default();
            from = end + 1;
            line
        });
        split.enumerate().map(move |(i, line)| {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            physical = match jumps.peek() {
                Some(&&(at, to)) if at == i => {
                    jumps.next();
                    to
                }
                _ => physical.saturating_add(1),
            };
            (physical, line.trim_end_matches('\r'))
        })
    }
}

/// Unfolded text held in a shared [`Buffer`].
pub struct Shared {
    pub buffer: Arc<Buffer>,
    jumps: Vec<(u32, u32)>,
    invalid: InvalidLines,
    may_fold: bool,
}

impl Shared {
    /// The text as [`Unfolded`] lines, borrowed from the buffer.
    pub fn view(&self) -> Unfolded<'_> {
        Unfolded {
            text: Cow::Borrowed(self.buffer.as_str()),
            jumps: Cow::Borrowed(&self.jumps),
            invalid: self.invalid,
            may_fold: self.may_fold,
        }
    }

    /// The bytes of the text, taken back (copied only if a [`Text`](super::Text) still
    /// shares them).
    pub fn into_bytes(self) -> Vec<u8> {
        Buffer::into_string(self.buffer).into_bytes()
    }
}

/// The physical line of logical line `logical`, given the jumps.
fn physical_line(jumps: &[(u32, u32)], logical: u32) -> u32 {
    let after = jumps.partition_point(|&(at, _)| at <= logical);
    match after.checked_sub(1).map(|i| jumps[i]) {
        Some((at, to)) => to.saturating_add(logical - at),
        None => logical.saturating_add(1),
    }
}

fn decode_lossy(bytes: &[u8], jumps: &[(u32, u32)]) -> (String, InvalidLines) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid = InvalidLines::default();
    let mut logical = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        logical += memchr::memchr_iter(b'\n', valid.as_bytes()).count();
        text.push_str(valid);
        if !chunk.invalid().is_empty() {
            let line = physical_line(jumps, u32::try_from(logical).unwrap_or(u32::MAX));
            invalid.add(line);
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, invalid)
}

/// Input in UTF-16 or UTF-32 (told by its byte-order mark) as UTF-8, with how many code
/// units could not be decoded (shown as U+FFFD); other input as it is.
pub fn decode_wide(input: &[u8]) -> (Cow<'_, [u8]>, usize) {
    fn collect(chars: impl Iterator<Item = Option<char>>, capacity: usize) -> (Vec<u8>, usize) {
        let mut out = String::with_capacity(capacity);
        let mut bad = 0;
        for c in chars {
            out.push(c.unwrap_or_else(|| {
                bad += 1;
                char::REPLACEMENT_CHARACTER
            }));
        }
        (out.into_bytes(), bad)
    }
    let units32 = |body: &[u8], read: fn([u8; 4]) -> u32| {
        let chunks = body.chunks(4);
        collect(
            chunks.map(move |c| {
                <[u8; 4]>::try_from(c)
                    .ok()
                    .and_then(|c| char::from_u32(read(c)))
            }),
            body.len() / 2,
        )
    };
    let units16 = |body: &[u8], read: fn([u8; 2]) -> u16| {
        let odd = body.len() % 2;
        let units = body.chunks_exact(2).map(move |c| read([c[0], c[1]]));
        let (mut out, bad) = collect(
            char::decode_utf16(units).map(Result::ok),
            body.len() * 3 / 2,
        );
        if odd == 1 {
            out.extend_from_slice("\u{FFFD}".as_bytes());
        }
        (out, bad + odd)
    };
    let (bytes, bad) = if let Some(body) = input.strip_prefix(b"\xFF\xFE\0\0") {
        units32(body, u32::from_le_bytes)
    } else if let Some(body) = input.strip_prefix(b"\0\0\xFE\xFF") {
        units32(body, u32::from_be_bytes)
    } else if let Some(body) = input.strip_prefix(b"\xFF\xFE") {
        units16(body, u16::from_le_bytes)
    } else if let Some(body) = input.strip_prefix(b"\xFE\xFF") {
        units16(body, u16::from_be_bytes)
    } else {
        return (Cow::Borrowed(input), 0);
    };
    (Cow::Owned(bytes), bad)
}

/// One content line, borrowed from the unfolded text.
#[derive(Debug, Clone, Copy)]
pub struct ContentLine<'a> {
    /// Property name as written (compare with [`ContentLine::is`]).
    pub name: &'a str,
    /// The raw parameter text between the name and the value, without the leading `;`.
    params: &'a str,
    /// The raw value (still escaped).
    pub value: &'a str,
    /// Physical line number where the property starts.
    pub line: u32,
}

impl<'a> ContentLine<'a> {
    /// Parses `NAME;PARAM=x;PARAM="y:z":VALUE`. Returns `None` for a line that is not a
    /// content line (no name, or no `:`). Recovers the Exchange quirk where an unterminated
    /// quote swallows the value: `DTSTART;TZID="W. Europe Standard Time:20200609T090000"`.
    pub fn parse(text: &'a str, line: u32) -> Option<Self> {
        // The name runs to the first `;` or `:`, and is letters, digits and `-`: it ends
        // where those do, at one of the two.
        let name_end = text
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))?;
        if name_end == 0 || !matches!(text.as_bytes()[name_end], b';' | b':') {
            return None;
        }
        let name = &text[..name_end];
        if text.as_bytes()[name_end] == b':' {
            return Some(Self {
                name,
                params: "",
                value: &text[name_end + 1..],
                line,
            });
        }
        let rest = &text[name_end + 1..];
        let mut quoted = false;
        let mut last_colon_in_quote = None;
        for (i, b) in rest.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b':' if !quoted => {
                    return Some(Self {
                        name,
                        params: &rest[..i],
                        value: &rest[i + 1..],
                        line,
                    });
                }
                b':' => last_colon_in_quote = Some(i),
                _ => {}
            }
        }
        let i = last_colon_in_quote?;
        Some(Self {
            name,
            params: &rest[..i],
            value: rest[i + 1..].trim_end_matches('"'),
            line,
        })
    }

    /// The raw parameter text (without the leading `;`).
    pub fn params(&self) -> &'a str {
        self.params
    }

    /// A content line of these parts (as [`ContentLine::parse`] found them).
    pub fn from_parts(name: &'a str, params: &'a str, value: &'a str, line: u32) -> Self {
        Self {
            name,
            params,
            value,
            line,
        }
    }

    /// Whether this is the property `name` (case-insensitive, as RFC 5545 says).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value of parameter `name`, without its quotes. A value list keeps its commas.
    pub fn param(&self, name: &str) -> Option<Cow<'a, str>> {
        let mut rest = self.params;
        while !rest.is_empty() {
            let (key, after_key) = match rest.find('=') {
                Some(eq) => (&rest[..eq], &rest[eq + 1..]),
                None => (rest, ""),
            };
            let (value, after_value) = split_param_value(after_key);
            if key.trim().eq_ignore_ascii_case(name) {
                return Some(if value.contains('"') {
                    Cow::Owned(value.replace('"', ""))
                } else {
                    Cow::Borrowed(value)
                });
            }
            rest = after_value;
        }
        None
    }
}

/// Splits `value;next=...` at the first `;` outside quotes.
fn split_param_value(s: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u32, String)> {
        Unfolded::new(input)
            .lines()
            .map(|(n, l)| (n, l.to_owned()))
            .collect()
    }

    #[test]
    fn unfolds_space_and_tab_folds_with_crlf_lf_and_cr_cr_lf() {
        let got = lines(b"A:1\r\nB:long\r\n  value\r\n\tend\r\r\nC:3\n");
        assert_eq!(
            got,
            vec![
                (1, "A:1".into()),
                (2, "B:long valueend".into()),
                (5, "C:3".into()),
                (6, String::new())
            ]
        );
    }

    #[test]
    fn strips_bom_and_joins_folds_before_the_colon() {
        let got = lines(b"\xEF\xBB\xBFVERSION\n :2.0\nTRIGGER\n ;VALUE=DURATION\n :-PT30M\n");
        assert_eq!(got[0].1, "VERSION:2.0");
        assert_eq!(got[1].1, "TRIGGER;VALUE=DURATION:-PT30M");
    }

    #[test]
    fn a_fold_inside_a_utf8_sequence_joins_back() {
        // "é" is C3 A9; the exporter folded between the two bytes.
        let unfolded = Unfolded::new(b"SUMMARY:Num\xC3\r\n \xA9rique\r\n");
        assert_eq!(unfolded.text, "SUMMARY:Num\u{e9}rique\n");
        assert_eq!(unfolded.invalid.count, 0);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_its_line_reported() {
        let unfolded = Unfolded::new(b"A:ok\nB:bad\xFF\xFEbyte\nC:ok\nD:\xC3\n");
        assert_eq!(
            unfolded.text,
            "A:ok\nB:bad\u{FFFD}\u{FFFD}byte\nC:ok\nD:\u{FFFD}\n"
        );
        assert_eq!(unfolded.invalid.first, Some(2));
        assert_eq!(unfolded.invalid.count, 2);
    }

    #[test]
    fn physical_lines_are_counted_across_folds_and_invalid_bytes() {
        let unfolded = Unfolded::new(b"A:1\n b\n c\nB:\xFF\n\nC:3\n x\nD:\xFE\n");
        let numbers: Vec<u32> = unfolded.lines().map(|(n, _)| n).collect();
        assert_eq!(numbers, vec![1, 4, 5, 6, 8, 9]);
        assert_eq!(unfolded.invalid.first, Some(4));
        assert_eq!(unfolded.invalid.count, 2);
    }

    #[test]
    fn utf16_and_utf32_with_a_byte_order_mark_are_decoded() {
        let text = "BEGIN:VCALENDAR\r\nSUMMARY:Caf\u{e9} \u{1F600}\r\n";
        let le16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be16: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let le32: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let be32: Vec<u8> = [0, 0, 0xFE, 0xFF]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_be_bytes()))
            .collect();
        for wide in [le16, be16, le32, be32] {
            let (bytes, bad) = decode_wide(&wide);
            assert_eq!((bytes.as_ref(), bad), (text.as_bytes(), 0));
        }
        // A lone surrogate and an odd byte out.
        let (bytes, bad) = decode_wide(b"\xFF\xFEA\0\x00\xD8B\0x");
        assert_eq!((bytes.as_ref(), bad), ("A\u{FFFD}B\u{FFFD}".as_bytes(), 2));
        assert!(matches!(
            decode_wide(b"plain"),
            (Cow::Borrowed(b"plain"), 0)
        ));
    }

    #[test]
    fn parses_name_params_and_value() {
        let cl = ContentLine::parse(
            r#"DESCRIPTION;ALTREP="data:text/html,a;b:c";LANGUAGE=en:Hello: world"#,
            7,
        )
        .unwrap();
        assert!(cl.is("description"));
        assert_eq!(cl.param("altrep").unwrap(), "data:text/html,a;b:c");
        assert_eq!(cl.param("LANGUAGE").unwrap(), "en");
        assert_eq!(cl.value, "Hello: world");
        assert_eq!(cl.line, 7);
        assert!(cl.param("TZID").is_none());
    }

    #[test]
    fn recovers_a_value_swallowed_by_an_open_quote() {
        let cl = ContentLine::parse(
            r#"DTSTART;TZID="W. Europe Standard Time:20200609T090000""#,
            1,
        )
        .unwrap();
        assert_eq!(cl.param("TZID").unwrap(), "W. Europe Standard Time");
        assert_eq!(cl.value, "20200609T090000");
    }

    #[test]
    fn rejects_lines_that_are_not_content_lines() {
        assert!(ContentLine::parse("---", 1).is_none());
        assert!(ContentLine::parse("", 1).is_none());
        assert!(ContentLine::parse("Cached from 2022:x", 1).is_none());
        assert!(ContentLine::parse(":value", 1).is_none());
    }
}
