//! What sort of session a session is (keynote, lightning talk, birds of a feather, break …),
//! read from the type prefix programmes put before titles (`Lightning Talk: …`) or from the
//! type a schedule format states. The prefix becomes a short badge, so a grid block can show
//! the title itself.

use std::fmt;

/// The sort of a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A talk, or anything not otherwise marked.
    #[default]
    Talk,
    Keynote,
    SponsoredKeynote,
    Lightning,
    /// Birds of a feather: an open discussion.
    Bof,
    Poster,
    Workshop,
    Panel,
    /// A sponsor's session or activity.
    Sponsored,
    /// Coffee, lunch, breakfast.
    Break,
    /// "Meet the developers", meetings, self-organised sessions.
    Meetup,
    /// A type the schedule states that none of the above covers (film, concert …).
    Other,
}

/// Every kind, in the order filters list them.
pub const ALL: [Kind; 12] = [
    Kind::Talk,
    Kind::Keynote,
    Kind::SponsoredKeynote,
    Kind::Lightning,
    Kind::Bof,
    Kind::Poster,
    Kind::Workshop,
    Kind::Panel,
    Kind::Sponsored,
    Kind::Break,
    Kind::Meetup,
    Kind::Other,
];

impl Kind {
    /// The short mark drawn before a title in place of its prefix; `None` for kinds whose
    /// titles say what they are (a talk, "Coffee Break").
    pub fn badge(self) -> Option<&'static str> {
        match self {
            Self::Keynote => Some("K"),
            Self::SponsoredKeynote => Some("$K"),
            Self::Lightning => Some("⚡"),
            Self::Bof => Some("BoF"),
            Self::Poster => Some("Poster"),
            Self::Workshop => Some("WS"),
            Self::Panel => Some("Panel"),
            Self::Sponsored => Some("$"),
            Self::Talk | Self::Break | Self::Meetup | Self::Other => None,
        }
    }

    /// The name filters and the command line use (`--type lightning`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Talk => "talk",
            Self::Keynote => "keynote",
            Self::SponsoredKeynote => "sponsored keynote",
            Self::Lightning => "lightning",
            Self::Bof => "bof",
            Self::Poster => "poster",
            Self::Workshop => "workshop",
            Self::Panel => "panel",
            Self::Sponsored => "sponsored",
            Self::Break => "break",
            Self::Meetup => "meetup",
            Self::Other => "other",
        }
    }

    /// How a person reads it (`Birds of a feather`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Talk => "Talk",
            Self::Keynote => "Keynote",
            Self::SponsoredKeynote => "Sponsored keynote",
            Self::Lightning => "Lightning talk",
            Self::Bof => "Birds of a feather",
            Self::Poster => "Poster",
            Self::Workshop => "Workshop",
            Self::Panel => "Panel",
            Self::Sponsored => "Sponsored",
            Self::Break => "Break",
            Self::Meetup => "Meetup",
            Self::Other => "Other",
        }
    }

    /// The kind a schedule's stated type means (frab's `lecture`, `lightning_talk`,
    /// `workshop`, `meeting` …); `None` when the type says nothing (empty, or FOSDEM's
    /// `devroom` and `maintrack`, which say where a session is, not what).
    pub fn from_type(value: &str) -> Option<Self> {
        let v: String = value
            .trim()
            .chars()
            .map(|c| if c == '_' || c == '-' { ' ' } else { c })
            .flat_map(char::to_lowercase)
            .collect();
        let v = v.trim();
        if v.is_empty() || matches!(v, "maintrack" | "main track" | "devroom") {
            return None;
        }
        Some(match v {
            "talk" | "lecture" | "talks" | "session" | "presentation" | "long talk"
            | "short talk" | "talk (short)" | "talk (long)" => Self::Talk,
            "keynote" => Self::Keynote,
            "sponsored keynote" => Self::SponsoredKeynote,
            "lightning talk" | "lightning talks" | "lightning" | "lightningtalk" => Self::Lightning,
            "bof" | "birds of a feather" => Self::Bof,
            "poster" | "posters" => Self::Poster,
            "workshop" | "tutorial" | "hands on" | "hackathon" => Self::Workshop,
            "panel" | "podium" | "panel discussion" | "discussion" => Self::Panel,
            "sponsored" | "sponsor" | "sponsored talk" => Self::Sponsored,
            "break" | "pause" | "lunch" | "coffee" => Self::Break,
            "meeting" | "meetup" | "self organized session" => Self::Meetup,
            // pretalx types are free text: "Talk 30 min + 10min Q&A", "Workshop (2h)".
            other if other.contains("lightning") => Self::Lightning,
            other if other.contains("workshop") => Self::Workshop,
            other if other.contains("keynote") => Self::Keynote,
            other if other.contains("panel") => Self::Panel,
            other
                if ["talk", "lecture", "vortrag"]
                    .iter()
                    .any(|t| other.starts_with(t)) =>
            {
                Self::Talk
            }
            _ => Self::Other,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Title prefixes (lower case, without their `:`) and the kind each marks. Longer ones first
/// where one begins another.
const PREFIXES: &[(&str, Kind)] = &[
    ("sponsored keynote", Kind::SponsoredKeynote),
    ("keynote", Kind::Keynote),
    ("lightning talks", Kind::Lightning),
    ("lightning talk", Kind::Lightning),
    ("birds of a feather", Kind::Bof),
    ("bof", Kind::Bof),
    ("poster presentations", Kind::Poster),
    ("poster presentation", Kind::Poster),
    ("poster session", Kind::Poster),
    ("poster", Kind::Poster),
    ("sponsored session", Kind::Sponsored),
    ("sponsored talk", Kind::Sponsored),
    ("sponsor session", Kind::Sponsored),
    ("sponsor activity", Kind::Sponsored),
    ("workshop", Kind::Workshop),
    ("tutorial", Kind::Workshop),
    ("panel discussion", Kind::Panel),
    ("panel", Kind::Panel),
];

/// Words that make a short title a break.
const BREAK_WORDS: &[&str] = &["break", "coffee", "lunch", "breakfast", "tea"];

/// Words that make a short title the venue's own business rather than a talk: as its first
/// word ("Registration & Badge Pick-Up", "Badge pick-up") or its last ("Community Expo").
/// "Medical Image Registration" stays a talk.
const VENUE_FIRST: &[&str] = &["registration", "badge"];
const VENUE_LAST: &[&str] = &["expo", "exhibition"];

/// The kind a title's prefix marks, and where the title proper starts (a byte offset into
/// `title`). Repeated prefixes (`Keynote: Keynote: …`) are all dropped; a title that is
/// nothing but a prefix keeps it. Looks at no more than the first few hundred bytes.
pub fn classify(title: &str) -> (Kind, usize) {
    let mut kind = None;
    let mut at = 0;
    // A prefix at most three deep ("Sponsored Keynote: Keynote: …").
    for _ in 0..3 {
        let Some((k, len)) = prefix(&title[at..]) else {
            break;
        };
        let rest = &title[at + len..];
        if rest.trim().is_empty() {
            break;
        }
        if kind.is_none() {
            kind = Some(k);
        }
        at += len + (rest.len() - rest.trim_start().len());
    }
    let kind = kind.unwrap_or_else(|| untyped_kind(title));
    (kind, at)
}

/// One prefix at the start of `s`, with the separator after it: its kind and byte length.
fn prefix(s: &str) -> Option<(Kind, usize)> {
    // Most titles start with a letter no prefix does: one look at it rules them all out.
    let first = s.as_bytes().first()?.to_ascii_lowercase();
    for &(name, kind) in PREFIXES {
        if name.as_bytes().first() != Some(&first) {
            continue;
        }
        let Some(head) = s.get(..name.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(name) {
            continue;
        }
        let rest = &s[name.len()..];
        let sep = [":", " :", " - ", " – ", " — "]
            .iter()
            .find(|sep| rest.starts_with(**sep))?;
        return Some((kind, name.len() + sep.len()));
    }
    None
}

/// The kind of a title with no prefix: a short title that is a meal or a break ("Coffee
/// Break", "Attendee Lunch", "Break/Networking": its last word, or the first of up to three,
/// names one) is a break — not one that only mentions breaking ("How to Break PDFs") —,
/// "Meet the …" a meetup, a short one that starts with registration or badges or ends with
/// an expo other, anything else a talk.
fn untyped_kind(title: &str) -> Kind {
    // The first 80 bytes, ending on a character boundary: only short titles are breaks.
    let mut cut = title.len().min(80);
    while !title.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &title[..cut];
    let mut count = 0;
    let (mut first, mut last) = ([""; 2], "");
    for word in head
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if let Some(slot) = first.get_mut(count) {
            *slot = word;
        }
        last = word;
        count += 1;
    }
    let is_break = |word: &str| BREAK_WORDS.iter().any(|b| lower_is(word, b));
    if count <= 6 && (is_break(last) || count <= 3 && is_break(first[0])) {
        return Kind::Break;
    }
    if count >= 3 && lower_is(first[0], "meet") && lower_is(first[1], "the") {
        return Kind::Meetup;
    }
    let is = |word: &str, words: &[&str]| words.iter().any(|v| lower_is(word, v));
    if count <= 6 && (is(first[0], VENUE_FIRST) || is(last, VENUE_LAST)) {
        return Kind::Other;
    }
    Kind::Talk
}

/// Whether `word` in lower case is `lower`, without a copy when it is ASCII.
fn lower_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headline(title: &str) -> (Kind, &str) {
        let (kind, at) = classify(title);
        (kind, &title[at..])
    }

    #[test]
    fn prefixes_become_kinds_and_leave_the_title() {
        assert_eq!(
            headline("Lightning Talk: Why Your Kernels Are Slow"),
            (Kind::Lightning, "Why Your Kernels Are Slow")
        );
        assert_eq!(
            headline("Sponsored Keynote: From One Node to Distributed Training"),
            (
                Kind::SponsoredKeynote,
                "From One Node to Distributed Training"
            )
        );
        assert_eq!(
            headline("Keynote: Keynote: Stream Everything"),
            (Kind::Keynote, "Stream Everything")
        );
        assert_eq!(
            headline("Birds of A Feather: Engineering for the EU AI Act"),
            (Kind::Bof, "Engineering for the EU AI Act")
        );
        assert_eq!(
            headline("Poster Presentations: GenAI & Multimodal"),
            (Kind::Poster, "GenAI & Multimodal")
        );
        assert_eq!(
            headline("Sponsor Activity - Lobster Trap: OpenClaw in Containers"),
            (Kind::Sponsored, "Lobster Trap: OpenClaw in Containers")
        );
        assert_eq!(
            headline("Sponsored Session: TorchTPU"),
            (Kind::Sponsored, "TorchTPU")
        );
    }

    #[test]
    fn titles_without_a_prefix() {
        assert_eq!(
            headline("Helion 1.0: A DSL"),
            (Kind::Talk, "Helion 1.0: A DSL")
        );
        assert_eq!(headline("Keynote"), (Kind::Talk, "Keynote"));
        assert_eq!(headline("Keynote:"), (Kind::Talk, "Keynote:"));
        assert_eq!(
            headline("Keynotes are long"),
            (Kind::Talk, "Keynotes are long")
        );
        assert_eq!(headline("Coffee Break").0, Kind::Break);
        assert_eq!(headline("Attendee Lunch").0, Kind::Break);
        assert_eq!(headline("Lunch Break").0, Kind::Break);
        assert_eq!(headline("Break").0, Kind::Break);
        assert_eq!(headline("Break/Networking").0, Kind::Break);
        assert_eq!(headline("XMPP Lunch Break").0, Kind::Break);
        assert_eq!(headline("How to Break PDFs").0, Kind::Talk);
        assert_eq!(headline("Why Builds Break Often").0, Kind::Talk);
        assert_eq!(
            headline("Beyond the Theory: What Actually Breaks When You Scale").0,
            Kind::Talk
        );
        assert_eq!(headline("Meet the vLLM Maintainers").0, Kind::Meetup);
        assert_eq!(headline("Registration & Badge Pick-Up").0, Kind::Other);
        assert_eq!(headline("Community Expo").0, Kind::Other);
        assert_eq!(headline("Image Registration with PyTorch").0, Kind::Talk);
        assert_eq!(headline("Medical Image Registration").0, Kind::Talk);
        assert_eq!(headline("Check Your Assumptions").0, Kind::Talk);
        assert_eq!(headline("").0, Kind::Talk);
        assert_eq!(headline("Poster é: x"), (Kind::Talk, "Poster é: x"));
        // A long title whose 80th byte is inside a character is still looked at only so far.
        let long = format!("{}é{}", "a".repeat(79), " break".repeat(100_000));
        assert_eq!(headline(&long).0, Kind::Talk);
    }

    #[test]
    fn stated_types() {
        assert_eq!(Kind::from_type("lecture"), Some(Kind::Talk));
        assert_eq!(Kind::from_type("lightning_talk"), Some(Kind::Lightning));
        assert_eq!(Kind::from_type("Workshop"), Some(Kind::Workshop));
        assert_eq!(Kind::from_type("meeting"), Some(Kind::Meetup));
        assert_eq!(Kind::from_type("Film"), Some(Kind::Other));
        assert_eq!(Kind::from_type("maintrack"), None);
        assert_eq!(Kind::from_type("devroom"), None);
        assert_eq!(Kind::from_type("lightningtalk"), Some(Kind::Lightning));
        assert_eq!(Kind::from_type("Talk 30 min + 10min Q&A"), Some(Kind::Talk));
        assert_eq!(Kind::from_type("Workshop (2h)"), Some(Kind::Workshop));
        assert_eq!(Kind::from_type(" "), None);
    }

    #[test]
    fn every_kind_is_listed_once_with_a_distinct_name() {
        let mut names: Vec<&str> = ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for k in ALL {
            assert_eq!(Kind::from_type(k.name()), Some(k), "{k:?}");
        }
    }
}
