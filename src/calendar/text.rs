//! Text values of iCalendar properties: unescaping, lists, HTML to plain text, and the
//! sanitising that keeps control characters and escape sequences out of everything shown.

/// Unescapes an RFC 5545 TEXT value: `\\`, `\;`, `\,`, `\n`/`\N`; any other escaped
/// character stands for itself (exports write `\"` and `\:` too).
pub fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut run = 0;
    for at in memchr::memchr_iter(b'\\', bytes) {
        if at < run {
            continue; // the backslash was itself escaped
        }
        out.push_str(&value[run..at]);
        match value[at + 1..].chars().next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
        run = (at + 1 + value[at + 1..].chars().next().map_or(0, char::len_utf8)).min(value.len());
    }
    out.push_str(&value[run..]);
    out
}

/// Splits a value on `sep` where it is not escaped, unescaping each part; empty parts are dropped.
pub fn split_unescaped(value: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&value[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&value[start..]);
    parts
        .into_iter()
        .map(|p| unescape(p.trim()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether `c` must never reach a terminal: C0/C1 controls (ESC among them), DEL, the
/// bidirectional embedding/override/isolate marks that reorder text, and stray BOMs.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Appends `s` to `out` without its unsafe characters, tabs as spaces; safe runs are copied
/// whole.
fn push_safe(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Only these bytes can begin a character we drop; each is a character boundary.
        if !(b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF)) {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        if c == '\t' || is_unsafe(c) {
            out.push_str(&s[run..i]);
            if c == '\t' {
                out.push(' ');
            }
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
}

/// One line of display text: newlines and tabs become spaces, unsafe characters go,
/// runs of whitespace collapse, ends are trimmed.
pub fn sanitize_line(s: &str) -> String {
    if line_is_clean(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_unsafe(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// [`sanitize_line`] for a string we own: returned as it is when already clean.
pub fn sanitize_line_owned(s: String) -> String {
    if line_is_clean(&s) {
        s
    } else {
        sanitize_line(&s)
    }
}

/// Printable ASCII only: a branch-free scan the compiler vectorises.
fn is_printable_ascii(b: &[u8]) -> bool {
    b.iter()
        .fold(true, |ok, &c| ok & (c.wrapping_sub(0x20) < 0x5F))
}

/// No unsafe or odd whitespace bytes, no double spaces, nothing to trim.
fn line_is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    if is_printable_ascii(b) && memchr::memmem::find(b, b"  ").is_none() {
        return true;
    }
    let mut prev = 0u8;
    for &c in b {
        if c < 0x20 || matches!(c, 0x7F | 0xC2 | 0xE2 | 0xEF) || c == b' ' && prev == b' ' {
            return false;
        }
        prev = c;
    }
    true
}

/// No unsafe bytes, no trailing spaces on a line, no run of blank lines, nothing to trim.
fn block_is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_whitespace)
        || b.last().is_some_and(u8::is_ascii_whitespace)
    {
        return false;
    }
    if is_printable_ascii(b) {
        return true;
    }
    let mut prev = 0u8;
    let mut newlines = 0;
    for &c in b {
        if c < 0x20 {
            if c != b'\n' || prev == b' ' {
                return false;
            }
            newlines += 1;
            if newlines > 2 {
                return false;
            }
        } else {
            if matches!(c, 0x7F | 0xC2 | 0xE2 | 0xEF) {
                return false;
            }
            newlines = 0;
        }
        prev = c;
    }
    true
}

/// A block of display text: line breaks are kept (at most one blank line in a row), tabs
/// become spaces, unsafe characters go, each line is trimmed at its end and the block at
/// both.
pub fn sanitize_block(s: String) -> String {
    if block_is_clean(&s) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.trim_start_matches(['\n', '\r']).split('\n') {
        let line = line.trim_end();
        if line.trim_start().is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        let before = out.len();
        push_safe(&mut out, line);
        let kept = out[before..].trim_end().len();
        out.truncate(before + kept);
        out.push('\n');
    }
    let end = out.trim_end().len();
    out.truncate(end);
    match out.find(|c: char| !c.is_whitespace()) {
        Some(0) | None => out,
        Some(start) => out.split_off(start),
    }
}

/// Whether `s` holds at least one HTML tag (`<p>`, `</b>`, `<br/>`, `<!-- -->`).
fn has_tag(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(last_close) = memchr::memrchr(b'>', bytes) else {
        return false;
    };
    memchr::memchr_iter(b'<', &bytes[..last_close]).any(|i| {
        bytes
            .get(i + 1)
            .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!')
    })
}

/// HTML (or text with entities) to plain text: tags stripped, block-level tags turned into
/// line breaks, list items bulleted, entities decoded (`&nbsp;`, `&lt;`, `&amp;`, `&#8217;` …).
pub fn html_to_text(s: String) -> String {
    let stripped = if has_tag(&s) { strip_tags(&s) } else { s };
    if stripped.contains('&') {
        html_escape::decode_html_entities(&stripped).into_owned()
    } else {
        stripped
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let is_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(close) = after.find('>').filter(|_| is_tag) else {
            out.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..close];
        if tag.starts_with("!--") {
            // A comment may hold '>' before its end.
            let end = after.find("-->").map_or(close + 1, |e| e + 3);
            rest = &after[end..];
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol"
            | "table" | "blockquote" => out.push('\n'),
            "li" if !tag.starts_with('/') => out.push_str("\n• "),
            "style" | "script" | "head" | "title" if !tag.starts_with('/') => {
                // Their content is not text: skip to the closing tag.
                let closing = format!("</{name}");
                let lower = after.to_ascii_lowercase();
                let end = lower
                    .find(&closing)
                    .and_then(|c| after[c..].find('>').map(|e| c + e + 1))
                    .unwrap_or(after.len());
                rest = &after[end..];
                continue;
            }
            _ => {}
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether a track name is written in capitals only (Sched: `FRAMEWORKS & COMPILERS`).
pub fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "vs", "via", "with",
];

/// Title case for a capitals-only name. `known` gives the spelling a word has elsewhere in the
/// calendar (`GENAI` → `GenAI` when a title says GenAI); short words stay small, other words of
/// two letters stay capitals (`AI`, `ML`).
pub fn title_case(s: &str, known: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        if let Some(spelling) = known(&lower) {
            out.push_str(&spelling);
        } else if !*first && SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else if word.chars().count() == 2 && !SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(word);
        } else {
            let mut chars = lower.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        *first = false;
        word.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() || c == '\'' {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut first);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_rfc5545_and_lenient_escapes() {
        assert_eq!(unescape(r"a\, b\; c\\d\ne\Nf"), "a, b; c\\d\ne\nf");
        assert_eq!(unescape(r#"zu\"gucken\""#), "zu\"gucken\"");
        assert_eq!(unescape(r"trailing\"), "trailing\\");
        assert_eq!(unescape(r"a\\\,b\é"), "a\\,bé");
        assert_eq!(unescape("plain"), "plain");
    }

    #[test]
    fn splits_on_unescaped_separator_only() {
        assert_eq!(
            split_unescaped(r"One,Two\, Three, ,Four", ','),
            vec!["One", "Two, Three", "Four"]
        );
    }

    #[test]
    fn clean_text_passes_through_unchanged() {
        assert_eq!(sanitize_line_owned("Plain title".into()), "Plain title");
        assert_eq!(sanitize_line_owned(" Two  spaces ".into()), "Two spaces");
        assert_eq!(sanitize_block("a\n\nb".into()), "a\n\nb");
        assert_eq!(sanitize_block("a \n\n\n\nb".into()), "a\n\nb");
    }

    #[test]
    fn sanitize_line_drops_escape_sequences_and_controls() {
        let evil = "Talk\x1b]0;pwned\x07 \x1b[31mred\x1b[0m\r\nnext\u{202E}\u{9b}x";
        let clean = sanitize_line(evil);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert_eq!(clean, "Talk]0;pwned [31mred[0m nextx");
    }

    #[test]
    fn sanitize_block_keeps_line_breaks_but_not_runs_of_blank_lines() {
        assert_eq!(
            sanitize_block("\n\n  One\t two  \n\n\n\nThree\x1b\n\n".into()),
            "One  two\n\nThree"
        );
    }

    #[test]
    fn html_tags_stripped_entities_decoded_breaks_kept() {
        let html = "<p>Fast&nbsp;&amp; small</p><ul><li>a &lt; b</li><li>c</li></ul>x<br/>y";
        assert_eq!(
            sanitize_block(html_to_text(html.into())),
            "Fast\u{a0}& small\n\n• a < b\n• c\nx\ny"
        );
    }

    #[test]
    fn text_that_is_not_html_keeps_its_angle_brackets() {
        assert_eq!(
            html_to_text("a < b and c > d, AT&T".into()),
            "a < b and c > d, AT&T"
        );
        assert_eq!(html_to_text("it&#8217;s".into()), "it\u{2019}s");
    }

    #[test]
    fn style_and_comments_are_not_text() {
        assert_eq!(
            html_to_text(
                "<html><head><style>p{x:1}</style></head><body><!-- a>b -->Hi</body>".into()
            ),
            "Hi"
        );
    }

    #[test]
    fn capitals_become_title_case() {
        let none = |_: &str| None;
        assert_eq!(
            title_case("FRAMEWORKS & COMPILERS", none),
            "Frameworks & Compilers"
        );
        assert_eq!(
            title_case("BREAKS/EXHIBITS/SPECIAL EVENTS", none),
            "Breaks/Exhibits/Special Events"
        );
        assert_eq!(title_case("BIRDS OF A FEATHER", none), "Birds of a Feather");
        assert_eq!(
            title_case("RESPONSIBLE AI & COMPLIANCE", none),
            "Responsible AI & Compliance"
        );
        let known = |w: &str| (w == "genai").then(|| "GenAI".to_owned());
        assert_eq!(
            title_case("GENAI & MULTIMODAL", known),
            "GenAI & Multimodal"
        );
        assert!(is_all_caps("KEYNOTE SESSIONS"));
        assert!(!is_all_caps("Keynotes"));
    }
}
