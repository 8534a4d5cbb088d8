//! Text values of iCalendar properties: unescaping, lists, HTML to plain text, and the
//! sanitising that keeps control characters, escape sequences, bidirectional controls and
//! stray invisible characters out of everything shown. The `_cow` forms hand back what
//! they were given when nothing changes, so clean text is never copied.

use std::borrow::Cow;

use unicode_properties::UnicodeEmoji;

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

/// [`unescape`], borrowing `value` when it holds no escape.
pub fn unescape_cow(value: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\\', value.as_bytes()).is_none() {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(unescape(value))
    }
}

/// Splits a value on `sep` where it is not escaped, unescaping each part; empty parts are dropped.
pub fn split_unescaped(value: &str, sep: char) -> Vec<String> {
    split_unescaped_cow(value, sep)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// [`split_unescaped`], each part borrowed from `value` when it holds no escape.
pub fn split_unescaped_cow(value: &str, sep: char) -> Vec<Cow<'_, str>> {
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
        .map(|p| unescape_cow(p.trim()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether `c` must never reach a terminal: C0/C1 controls (ESC among them), DEL, the
/// bidirectional marks, embeddings, overrides and isolates that reorder text, stray BOMs, and
/// invisible spaces and operators.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';
const BLACK_FLAG: char = '\u{1F3F4}';

/// Invisible characters that belong only inside an emoji sequence: the joiners, variation
/// selectors and tag characters.
fn is_emoji_glue(c: char) -> bool {
    matches!(
        c,
        ZWNJ | ZWJ | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}'
    )
}

/// A pictographic emoji (not one of the ASCII digits and signs that may also start one).
fn is_pictographic(c: char) -> bool {
    !c.is_ascii() && c.is_emoji_char()
}

/// Characters that extend the emoji before them: presentation selectors, skin tones, tags,
/// the keycap.
fn extends_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}' | '\u{20E3}'
    )
}

/// Whether `before` (the text kept so far) ends in an emoji, perhaps followed by selectors or
/// a skin tone. Looks back a few characters only.
fn ends_in_emoji(before: &str) -> bool {
    before
        .chars()
        .rev()
        .take(8)
        .find(|c| !extends_emoji(*c))
        .is_some_and(is_pictographic)
}

/// Whether the glue character `c` is part of a valid emoji sequence where it stands, after
/// `before` (the text kept so far) and before `after`: a joiner between two emoji, a
/// presentation selector after a character that can be an emoji, tags after a black flag.
fn glue_fits(c: char, before: &str, after: &str) -> bool {
    match c {
        ZWJ | ZWNJ => ends_in_emoji(before) && after.chars().next().is_some_and(is_pictographic),
        '\u{FE0E}' | '\u{FE0F}' => before
            .chars()
            .next_back()
            .is_some_and(|p| p.is_emoji_char() && !extends_emoji(p)),
        '\u{E0020}'..='\u{E007F}' => before
            .chars()
            .next_back()
            .is_some_and(|p| p == BLACK_FLAG || ('\u{E0020}'..='\u{E007E}').contains(&p)),
        _ => false,
    }
}

/// Whether a byte may begin a character the sanitisers change: ASCII controls, and the lead
/// bytes of C1 controls and non-ASCII spaces (C2), U+061C (D8), U+1680 and U+180E (E1),
/// U+2000–U+206F (E2), U+3000 (E3), U+FE00–U+FEFF (EF) and the tag and selector planes
/// (F3). Each such byte is a character boundary.
fn suspect(b: u8) -> bool {
    b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF3)
}

/// Line and paragraph separators: shown as a space.
fn is_separator(c: char) -> bool {
    matches!(c, '\t' | '\u{2028}' | '\u{2029}')
}

/// Appends `s` (one line of a block) to `out` without its unsafe characters and stray glue,
/// tabs and separators as spaces; safe runs are copied whole.
fn push_safe(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !suspect(bytes[i]) {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if is_separator(c) || is_unsafe(c) || is_emoji_glue(c) {
            out.push_str(&s[run..i]);
            run = i + len;
            if is_separator(c) {
                out.push(' ');
            } else if is_emoji_glue(c) && glue_fits(c, out, &s[i + len..]) {
                out.push(c);
            }
        }
        i += len;
    }
    out.push_str(&s[run..]);
}

/// One line of untrusted text made safe to show: no control character, escape sequence,
/// bidirectional control or stray invisible character (zero-width joiners and variation
/// selectors stay only inside emoji sequences); newlines, tabs and other spaces become one
/// space; the ends are trimmed. The one function every module uses for calendar, star-file
/// and server text shown on a terminal.
pub fn sanitize_line(s: &str) -> String {
    if line_is_clean(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if is_unsafe(c)
            || is_emoji_glue(c) && (pending_space || !glue_fits(c, &out, &s[i + c.len_utf8()..]))
        {
            // dropped
        } else {
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

/// [`sanitize_line`], handing `s` back when it is already clean.
pub fn sanitize_line_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    if line_is_clean(&s) {
        s
    } else {
        Cow::Owned(sanitize_line(&s))
    }
}

/// Printable ASCII only: a branch-free scan the compiler vectorises.
fn is_printable_ascii(b: &[u8]) -> bool {
    b.iter()
        .fold(true, |ok, &c| ok & (c.wrapping_sub(0x20) < 0x5F))
}

/// The character starting at byte `i` of `s` (a suspect byte, so a boundary), if it is one a
/// sanitiser would change: unsafe, glue, or a space other than ASCII's.
fn changes_at(s: &str, i: usize) -> Option<char> {
    let c = s[i..].chars().next()?;
    (is_unsafe(c) || is_emoji_glue(c) || c.is_whitespace()).then_some(c)
}

/// No unsafe or odd whitespace characters, no double spaces, nothing to trim.
fn line_is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    // A field is short: a branch-free pass over its pairs of bytes (which the compiler
    // vectorises) costs less than making a searcher.
    let doubled_space = b.iter().zip(b.iter().skip(1)).fold(0u8, |found, (&x, &y)| {
        found | (u8::from(x == b' ') & u8::from(y == b' '))
    }) != 0;
    if is_printable_ascii(b) && !doubled_space {
        return true;
    }
    let mut prev = 0u8;
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' && prev == b' ' || suspect(c) && (c < 0x80 || changes_at(s, i).is_some()) {
            return false;
        }
        prev = c;
    }
    true
}

/// No unsafe characters, no trailing spaces on a line, no run of blank lines, nothing to trim.
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
    for (i, &c) in b.iter().enumerate() {
        if c < 0x20 {
            if c != b'\n' || prev == b' ' {
                return false;
            }
            newlines += 1;
            if newlines > 2 {
                return false;
            }
        } else {
            if suspect(c) && (c < 0x80 || changes_at(s, i).is_some()) {
                return false;
            }
            newlines = 0;
        }
        prev = c;
    }
    true
}

/// A block of display text: line breaks are kept (at most one blank line in a row), tabs
/// become spaces, unsafe characters and stray glue go, each line is trimmed at its end and
/// the block at both.
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

/// [`sanitize_block`], handing `s` back when it is already clean.
pub fn sanitize_block_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    if block_is_clean(&s) {
        s
    } else {
        Cow::Owned(sanitize_block(s.into_owned()))
    }
}

/// Whether byte `b`, after a `<`, begins a tag: a name, a closing `/`, or `!` (a comment or
/// a doctype). Anything else (`a < b`, `<3`, `<<`) is text.
fn opens_tag(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'/' || b == b'!'
}

/// Whether `s` holds at least one HTML tag (`<p>`, `</b>`, `<br/>`, `<!-- -->`).
fn has_tag(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(last_close) = memchr::memrchr(b'>', bytes) else {
        return false;
    };
    memchr::memchr_iter(b'<', &bytes[..last_close])
        .any(|i| bytes.get(i + 1).is_some_and(|&n| opens_tag(n)))
}

/// Tags whose presence makes a text HTML: `<p>`, `<br>`, `<a href`, emphasis, lists, blocks.
const HTML_TAGS: &[&str] = &[
    "p",
    "br",
    "a",
    "b",
    "i",
    "u",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "div",
    "span",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "pre",
    "code",
    "blockquote",
    "table",
    "tr",
    "td",
    "th",
    "img",
    "html",
    "body",
    "head",
    "style",
    "script",
    "font",
    "tt",
    "small",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
];

/// Whether `s` has HTML structure: a known tag (`<p>`, `</em>`, `<br/>`, `<a href=…>`), a
/// comment, or an entity (`&amp;`, `&#8217;`). Angle brackets around anything else
/// (`Vec<String>`, `<https://…>`) are text. Each `<` and `&` is looked at a few bytes ahead
/// only.
pub fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    let tag_at = |i: usize| {
        let rest = &bytes[i + 1..];
        if rest.starts_with(b"!--") {
            return true;
        }
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        let len = rest
            .iter()
            .take(12)
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(rest.len().min(12));
        let after = rest.get(len).copied();
        len > 0
            && matches!(after, Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r'))
            && HTML_TAGS
                .iter()
                .any(|t| t.as_bytes().eq_ignore_ascii_case(&rest[..len]))
    };
    let entity_at = |i: usize| {
        let rest = &bytes[i + 1..];
        let body = rest.strip_prefix(b"#").unwrap_or(rest);
        let len = body
            .iter()
            .take(10)
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(10);
        len > 0 && body.get(len) == Some(&b';')
    };
    memchr::memchr2_iter(b'<', b'&', bytes).any(|i| {
        if bytes[i] == b'<' {
            tag_at(i)
        } else {
            entity_at(i)
        }
    })
}

/// A DESCRIPTION as text: HTML made plain when it has HTML structure
/// ([`looks_like_html`]), else kept as written, angle brackets and all.
pub fn description_text(s: String) -> String {
    if looks_like_html(&s) {
        html_to_text(s)
    } else {
        s
    }
}

/// [`description_text`], handing `s` back when it is not HTML.
pub fn description_text_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    if looks_like_html(&s) {
        Cow::Owned(html_to_text(s.into_owned()))
    } else {
        s
    }
}

/// A schedule's abstract or description as text: HTML made plain when it has HTML
/// structure, else read as Markdown (pretalx and frab write Markdown): emphasis marks go,
/// links keep their URL, list items are bulleted, line breaks stay.
pub fn rich_text(s: &str) -> String {
    if looks_like_html(s) {
        html_to_text(s.to_owned())
    } else if has_markdown(s) {
        markdown_to_text(s)
    } else {
        s.to_owned()
    }
}

/// Whether Markdown could change `s`: an inline mark (`*`, `_`, `[`, `` ` ``, `<`, `\`) or
/// a line that starts a block (`-`, `+`, `>`, `#`, `=`, `1.`, four spaces).
fn has_markdown(s: &str) -> bool {
    let bytes = s.as_bytes();
    if memchr::memchr3(b'*', b'_', b'[', bytes).is_some()
        || memchr::memchr3(b'`', b'<', b'\\', bytes).is_some()
    {
        return true;
    }
    s.lines().any(|line| {
        let rest = line.trim_start_matches(' ');
        line.len() - rest.len() >= 4
            || rest.starts_with(['-', '+', '>', '#', '='])
            || rest
                .find(|c: char| !c.is_ascii_digit())
                .is_some_and(|at| at > 0 && rest[at..].starts_with(['.', ')']))
    })
}

/// Markdown to plain text, with a `CommonMark` parser (linear, and fuzzed by its authors).
fn markdown_to_text(s: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::with_capacity(s.len());
    // Each open list's next number (`None`: bulleted); each open link's URL and where its
    // text starts.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    let end_block = |out: &mut String, blank: bool| {
        let kept = out.trim_end_matches([' ', '\n']).len();
        out.truncate(kept);
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
    };
    for event in Parser::new(s) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Rule => end_block(&mut out, true),
            Event::Start(Tag::List(first)) => {
                end_block(&mut out, false);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                end_block(&mut out, lists.is_empty());
            }
            Event::Start(Tag::Item) => {
                end_block(&mut out, false);
                out.extend(std::iter::repeat_n(
                    "  ",
                    lists.len().saturating_sub(1).min(8),
                ));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&n.to_string());
                        out.push_str(". ");
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.into_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, at)) = links.pop()
                    && !url.is_empty()
                    && out.get(at..).is_some_and(|text| text.trim() != url)
                {
                    out.push_str(" (");
                    out.push_str(&url);
                    out.push(')');
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => end_block(&mut out, lists.is_empty()),
            _ => {}
        }
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out
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

/// Tags out, in one pass: every byte is looked at a bounded number of times, whatever the
/// input (a million `<`, tags that never close, comments that never end).
fn strip_tags(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // No tag can close after the last '>'.
    let last_close = memchr::memrchr(b'>', bytes).unwrap_or(0);
    // Once a search for "-->" fails, every later one would.
    let mut comment_ends = true;
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + found;
        if open >= last_close {
            break;
        }
        if !opens_tag(bytes[open + 1]) {
            at = open + 1;
            continue;
        }
        // A '>' follows: the last one is after `open`.
        let close = open + 1 + memchr::memchr(b'>', &bytes[open + 1..]).unwrap_or(0);
        out.push_str(&s[copied..open]);
        let tag = &s[open + 1..close];
        let mut end = close + 1;
        if is_autolink(tag) {
            out.push_str(tag);
        } else if tag.starts_with("!--") {
            // A comment may hold '>' before its end.
            if comment_ends {
                match memchr::memmem::find(&bytes[open + 1..], b"-->") {
                    Some(e) => end = open + 1 + e + 3,
                    None => comment_ends = false,
                }
            }
        } else {
            let closing = tag.starts_with('/');
            let name = tag.trim_start_matches('/');
            let name = &name[..name
                .bytes()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(name.len())];
            let is = |n: &str| name.eq_ignore_ascii_case(n);
            if [
                "br", "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
            ]
            .into_iter()
            .chain(["table", "blockquote"])
            .any(is)
            {
                out.push('\n');
            } else if is("li") && !closing {
                out.push_str("\n• ");
            } else if ["style", "script", "head", "title"].into_iter().any(is) && !closing {
                // Their content is not text: skip past the closing tag.
                end = closing_tag_end(bytes, end, name);
            }
        }
        copied = end;
        at = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// `https://…`, `http://…` or `mailto:…` between angle brackets: a link to keep, not a tag.
fn is_autolink(tag: &str) -> bool {
    ["https://", "http://", "mailto:"].iter().any(|scheme| {
        tag.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    }) && !tag.contains(char::is_whitespace)
}

/// Where the first `</name …>` at or after `from` ends (the input's end when there is none).
fn closing_tag_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let n = name.len();
    for lt in memchr::memchr_iter(b'<', &bytes[from..]).map(|i| from + i) {
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..lt + 2 + n)
                .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
        {
            return memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |e| lt + e + 1);
        }
    }
    bytes.len()
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
    fn bidi_controls_go_everywhere() {
        let evil = "abc\u{202E}def\u{2066}g\u{2069}\u{200E}h\u{200F}i\u{061C}j\u{202A}k";
        assert_eq!(sanitize_line(evil), "abcdefghijk");
        assert_eq!(
            sanitize_block(format!("{evil}\n{evil}")),
            "abcdefghijk\nabcdefghijk"
        );
        assert_eq!(
            sanitize_line("zero\u{200B}width\u{2060}joiner\u{FEFF}"),
            "zerowidthjoiner"
        );
    }

    #[test]
    fn joiners_and_selectors_stay_only_inside_emoji_sequences() {
        // Family, rainbow flag, heart with VS16, a skin-toned ZWJ sequence, a keycap, a
        // Scottish flag: all kept whole.
        for emoji in [
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
            "\u{2764}\u{FE0F}",
            "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F4BB}",
            "1\u{FE0F}\u{20E3}",
            "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        ] {
            let line = format!("Talk {emoji} here");
            assert_eq!(sanitize_line(&line), line, "{emoji:?}");
            assert_eq!(sanitize_block(line.clone()), line, "{emoji:?}");
        }
        // Stray ones go: between letters, at the ends, doubled, after a space, or a
        // selector after a letter.
        for (dirty, clean) in [
            ("a\u{200D}b", "ab"),
            ("\u{200D}Talk\u{200C}", "Talk"),
            (
                "\u{1F468}\u{200D}\u{200D}\u{1F469}",
                "\u{1F468}\u{200D}\u{1F469}",
            ),
            ("\u{1F468} \u{200D}\u{1F469}", "\u{1F468} \u{1F469}"),
            ("\u{1F468}\u{200D}x", "\u{1F468}x"),
            ("a\u{FE0F}b\u{FE0E}", "ab"),
            ("\u{2764}\u{FE0F}\u{FE0F}", "\u{2764}\u{FE0F}"),
            ("x\u{E0067}\u{E0062}", "x"),
            ("\u{8449}\u{E0100}", "\u{8449}"),
        ] {
            assert_eq!(sanitize_line(dirty), clean, "{dirty:?}");
            assert_eq!(sanitize_block(dirty.to_owned()), clean, "{dirty:?}");
        }
    }

    #[test]
    fn non_ascii_text_without_anything_to_clean_is_kept_as_is() {
        for clean in [
            "Numérique et géopolitique",
            "Lightning Talk: Why – “fast” … ‘really’ • yes",
            "日本語のセッション",
            "Hauptbühne, Zürich",
        ] {
            assert!(line_is_clean(clean), "{clean}");
            assert!(block_is_clean(clean), "{clean}");
        }
        assert_eq!(sanitize_line("a\u{a0}\u{3000}b"), "a b");
        assert_eq!(sanitize_block("a\u{2028}b".into()), "a b");
    }

    #[test]
    fn strip_tags_is_linear_on_open_brackets_and_unclosed_tags() {
        // Each of these once cost a scan of the rest of the input per '<'.
        let n = 200_000;
        let lone = "<".repeat(n);
        assert!(html_to_text(format!("{lone}<b>x")) == format!("{lone}x"));
        let unclosed = "<a".repeat(n);
        assert!(html_to_text(format!("<p>{unclosed}")) == format!("\n{unclosed}"));
        let comments = format!("{}>", "<!--".repeat(n));
        assert_eq!(html_to_text(comments), "");
        let styles = format!("{}</b>", "<style>".repeat(n));
        assert_eq!(html_to_text(styles), "");
        assert_eq!(
            html_to_text("<p>a</p><STYLE>p{}</Style >b<script>x".into()),
            "\na\nb"
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
