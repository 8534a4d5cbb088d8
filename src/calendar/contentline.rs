//! Content lines: bytes → unfolded, decoded logical lines → `NAME;PARAMS:VALUE`, in one
//! linear pass and without copying property text.
//!
//! Unfolding happens on bytes before decoding, so a fold that splits a UTF-8 sequence (as
//! some exporters write) joins back into a valid character. Invalid UTF-8 left after that
//! is replaced with U+FFFD and reported.

use std::borrow::Cow;

/// The input with folds removed: logical lines joined by `\n`, and for each logical line the
/// physical line (1-based) where it starts. Input without folds and in valid UTF-8 is
/// borrowed, not copied.
pub struct Unfolded<'a> {
    pub text: Cow<'a, str>,
    /// Where each logical line starts; `None` when there were no folds (line i is line i+1).
    starts: Option<Vec<u32>>,
    /// Physical lines that held invalid UTF-8, in order.
    pub invalid_lines: Vec<u32>,
}

impl<'a> Unfolded<'a> {
    /// Unfolds `input` (LF or CRLF, stray CRs, a UTF-8 BOM; folds by space or TAB).
    pub fn new(input: &'a [u8]) -> Self {
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let folded = memchr::memmem::find(input, b"\n ").is_some()
            || memchr::memmem::find(input, b"\n\t").is_some();
        if !folded {
            if let Ok(text) = std::str::from_utf8(input) {
                return Self {
                    text: Cow::Borrowed(text),
                    starts: None,
                    invalid_lines: Vec::new(),
                };
            }
            let starts: Vec<u32> = (1..=memchr::memchr_iter(b'\n', input).count() + 1)
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                .collect();
            let (text, invalid_lines) = decode_lossy(input, &starts);
            return Self {
                text: Cow::Owned(text),
                starts: None,
                invalid_lines,
            };
        }
        let mut bytes = Vec::with_capacity(input.len());
        let mut starts = Vec::with_capacity(input.len() / 48);
        let mut physical = 0u32;
        let mut from = 0;
        let ends = memchr::memchr_iter(b'\n', input).chain(std::iter::once(input.len()));
        for end in ends {
            let mut line = &input[from..end];
            from = end + 1;
            physical += 1;
            while let [rest @ .., b'\r'] = line {
                line = rest;
            }
            match line {
                [b' ' | b'\t', rest @ ..] if !starts.is_empty() => bytes.extend_from_slice(rest),
                _ => {
                    if !starts.is_empty() {
                        bytes.push(b'\n');
                    }
                    starts.push(physical);
                    bytes.extend_from_slice(line);
                }
            }
        }
        let (text, invalid_lines) = match String::from_utf8(bytes) {
            Ok(text) => (text, Vec::new()),
            Err(err) => decode_lossy(&err.into_bytes(), &starts),
        };
        Self {
            text: Cow::Owned(text),
            starts: Some(starts),
            invalid_lines,
        }
    }

    /// The logical lines (without line ends) with the physical line each starts on.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &str)> {
        let numbers: Box<dyn Iterator<Item = u32> + '_> = match &self.starts {
            Some(starts) => Box::new(starts.iter().copied()),
            None => Box::new(1..),
        };
        numbers
            .zip(self.text.split('\n'))
            .map(|(n, line)| (n, line.trim_end_matches('\r')))
    }
}

fn decode_lossy(bytes: &[u8], starts: &[u32]) -> (String, Vec<u32>) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid = Vec::new();
    let mut logical = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        logical += valid.bytes().filter(|&b| b == b'\n').count();
        text.push_str(valid);
        if !chunk.invalid().is_empty() {
            let line = starts.get(logical).copied().unwrap_or(0);
            if invalid.last() != Some(&line) {
                invalid.push(line);
            }
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, invalid)
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
        let name_end = text.find([';', ':'])?;
        let name = &text[..name_end];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
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
        assert!(unfolded.invalid_lines.is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_its_line_reported() {
        let unfolded = Unfolded::new(b"A:ok\nB:bad\xFF\xFEbyte\nC:ok\nD:\xC3\n");
        assert_eq!(
            unfolded.text,
            "A:ok\nB:bad\u{FFFD}\u{FFFD}byte\nC:ok\nD:\u{FFFD}\n"
        );
        assert_eq!(unfolded.invalid_lines, vec![2, 4]);
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
