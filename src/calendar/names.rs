//! What things are called: a session's title and speakers, a room's short label, the
//! calendar's human name.

use std::collections::HashMap;

/// Lower-case words that may stand inside a person's name.
const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "den", "di", "do", "dos", "du", "e",
    "el", "i", "ibn", "la", "le", "van", "von", "y", "zu", "ten", "ter",
];

/// Splits a SUMMARY into title and speakers where the exporter appended the speakers after a
/// ` - ` (Sched: `Title - Name, Affiliation & Name, Affiliation`). The leftmost ` - ` whose
/// tail reads as speakers wins, so titles and affiliations may hold ` - ` themselves. With
/// `bare_names` (pretalx writes `Title - Name, Name`) a tail of names alone also counts.
///
/// One pass from right to left over the separators: what the people after each ` - ` would
/// be is carried along, so a summary with thousands of ` - ` costs no more than its length.
///
/// A tail is never speakers when it starts with a bracketed tag or holds a word that names
/// a thing rather than a person ([`NOT_NAMES`]: `pre-registration required`, `summit`). In
/// a calendar whose summaries habitually end in names (`bare_names`), a tail of 1 to 6
/// names joined by `,` `&` `and` `;`, each 1 to 4 words, counts even in lower case
/// (`amanda casari`) or as a single word (`Sangarshanan`), unless every name is one word.
pub fn split_title(summary: &str, bare_names: bool) -> (&str, Option<&str>) {
    let (title, speakers) = split_at_people(summary, bare_names);
    match speakers {
        Some(tail) if !names_a_thing(tail) => (title, Some(tail)),
        Some(_) => (summary.trim(), None),
        None if bare_names => match summary.rfind(" - ") {
            Some(at)
                if !summary[..at].trim().is_empty()
                    && is_name_list(&summary[at + 3..])
                    && !names_a_thing(&summary[at + 3..]) =>
            {
                (summary[..at].trim(), Some(summary[at + 3..].trim()))
            }
            _ => (title, None),
        },
        None => (title, None),
    }
}

/// Whether `word` makes a tail a thing rather than people (`required`, `registration`,
/// `summit`, `workshop` …), in any case.
fn is_not_a_name(word: &str) -> bool {
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"required"
            | b"registration"
            | b"summit"
            | b"workshop"
            | b"workshops"
            | b"tutorial"
            | b"session"
            | b"sessions"
            | b"panel"
            | b"keynote"
            | b"talk"
            | b"talks"
            | b"meetup"
            | b"hackathon"
            | b"conference"
            | b"devroom"
            | b"introduction"
            | b"continued"
            | b"tickets"
            | b"edition"
    )
}

/// Whether a tail names a thing, not people: it starts with a bracketed tag (`[event]`,
/// `(online)`) or with "The", or one of its first 200 words is [`is_not_a_name`].
fn names_a_thing(tail: &str) -> bool {
    let tail = tail.trim_start();
    if tail.starts_with(['[', '(', '{'])
        || tail
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("the "))
    {
        return true;
    }
    tail.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(200)
        .any(is_not_a_name)
}

/// 1 to 6 names joined by `,` `&` `;` or ` and `, each 1 to 4 words of letters (any case),
/// not all of them single words when there are several. Stops at the first failure.
fn is_name_list(tail: &str) -> bool {
    let mut names = 0;
    let mut one_word = 0;
    for part in tail.split([',', '&', ';']) {
        for name in part.split(" and ") {
            let words = name.split_whitespace().count();
            if words == 0 {
                continue;
            }
            names += 1;
            if names > 6 || words > 4 || !name.split_whitespace().all(is_name_word) {
                return false;
            }
            if words == 1 {
                one_word += 1;
            }
        }
    }
    names >= 1 && (names == 1 || one_word < names)
}

/// A word of a name: letters, hyphens, apostrophes and dots, starting with a letter.
fn is_name_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_alphabetic)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

/// The Sched rule (and pretalx's bare names, 2 words or more): see [`split_title`].
fn split_at_people(summary: &str, bare_names: bool) -> (&str, Option<&str>) {
    let bytes = summary.as_bytes();
    let mut dashes = memchr::memmem::find_iter(bytes, b" - ").peekable();
    let Some(title_starts) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        return ("", None);
    };
    if dashes.peek().is_none() {
        return (summary.trim(), None);
    }
    let dashes: Vec<usize> = dashes.collect();
    // The nearest ',' after the current position, and the end of the person (the text up
    // to the next '&' or ';') the position is in.
    let mut next_comma: Option<usize> = None;
    let mut person_end = bytes.len();
    // About the people after the current one: whether the next one's name is acceptable on
    // its own (`None` when there is no next one), and whether all those after it are.
    let mut next_ok: Option<bool> = None;
    let mut rest_ok = true;
    let mut best = None;
    let mut separators = memchr::memrchr3_iter(b',', b'&', b';', bytes).peekable();
    for &at in dashes.iter().rev() {
        while let Some(i) = separators.next_if(|&i| i > at) {
            if bytes[i] == b',' {
                next_comma = Some(i);
                continue;
            }
            // The person that started at i + 1 is complete: it becomes the next one.
            let in_person = next_comma.filter(|&c| c < person_end);
            rest_ok &= next_ok.is_none_or(|ok| ok || in_person.is_some());
            let name = &summary[i + 1..in_person.unwrap_or(person_end)];
            next_ok = Some(name.trim().is_empty() || is_person_name(name, 1));
            person_end = i;
        }
        if at <= title_starts {
            continue;
        }
        let in_person = next_comma.filter(|&c| c < person_end);
        // Not trimmed: a run of spaces before the comma would be trimmed again for every
        // ` - ` before it; words are split on spaces anyway.
        let name = &summary[at + 3..in_person.unwrap_or(person_end)];
        if is_person_name(name, 2)
            && next_ok.is_none_or(|ok| ok || in_person.is_some())
            && rest_ok
            && (bare_names || next_comma.is_some())
        {
            best = Some(at);
        }
    }
    match best {
        Some(at) => (summary[..at].trim(), Some(summary[at + 3..].trim())),
        None => (summary.trim(), None),
    }
}

/// Whether the calendar's summaries habitually end in bare names, `Title - Ann Lee, Bo Chan`
/// (pretalx, ics.py): at least three do, and at least half of those with a ` - `. A habit
/// shows in the first few hundred, so no more are looked at.
pub fn end_in_bare_names<'a>(summaries: impl Iterator<Item = &'a str>) -> bool {
    const SAMPLE: usize = 400;
    let (mut dashed, mut named) = (0usize, 0usize);
    for summary in summaries {
        if dashed == SAMPLE {
            break;
        }
        if let Some(at) = summary.rfind(" - ") {
            dashed += 1;
            if summary[at + 3..]
                .split(',')
                .all(|name| is_person_name(name.trim(), 2))
            {
                named += 1;
            }
        }
    }
    named >= 3 && 2 * named >= dashed
}

/// Whether `name` reads as a person's name: `min_words` to 6 words, each capitalised (or a
/// particle such as `von`) and made of letters, hyphens, apostrophes and dots. Stops at the
/// first word that fails, so a long text costs little.
fn is_person_name(name: &str, min_words: usize) -> bool {
    let mut words = 0;
    for w in name.split_whitespace() {
        words += 1;
        if words > 6 {
            return false;
        }
        let first = w.chars().next().unwrap_or(' ');
        let clean = w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !(clean && (first.is_uppercase() || NAME_PARTICLES.contains(&w))) {
            return false;
        }
    }
    words >= min_words
}

/// Short room labels for the calendar's locations (each distinct location with the number of
/// sessions held there). The tail most locations share (venue, city, country) is dropped:
/// `Master Stage, Paris, France` → `Master Stage`; a location that is only that tail stays
/// whole; one that carries a street address keeps its first part.
pub fn room_labels<'a>(locations: &[(&'a str, usize)]) -> HashMap<&'a str, String> {
    let total: usize = locations.iter().map(|(_, n)| n).sum();
    // Every suffix (in parts), weighted by sessions, and whether some location is longer.
    let mut suffixes: HashMap<Vec<&str>, (usize, bool)> = HashMap::new();
    for (loc, n) in locations {
        let p = location_parts(loc);
        for k in 1..=p.len() {
            let entry = suffixes.entry(p[p.len() - k..].to_vec()).or_default();
            entry.0 += n;
            entry.1 |= k < p.len();
        }
    }
    let tail = suffixes
        .into_iter()
        .filter(|(_, (n, proper))| *proper && 2 * n > total)
        .max_by(|(a, (na, _)), (b, (nb, _))| a.len().cmp(&b.len()).then(na.cmp(nb)).then(b.cmp(a)))
        .map(|(suffix, _)| suffix)
        .unwrap_or_default();
    locations
        .iter()
        .map(|(loc, _)| {
            let p = location_parts(loc);
            let label = if p.is_empty() {
                String::new()
            } else if !tail.is_empty() && p.len() > tail.len() && p.ends_with(&tail) {
                p[..p.len() - tail.len()].join(", ")
            } else if p.len() > 1
                && p[1..]
                    .iter()
                    .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
            {
                p[0].to_owned()
            } else {
                p.join(", ")
            };
            (*loc, label)
        })
        .collect()
}

/// Most parts a location is split into; the rest stays in the last part. Keeps the suffixes
/// [`room_labels`] counts to a few per location, however many commas it holds.
const MAX_PARTS: usize = 8;

/// The non-empty comma-separated parts of a location, trimmed, at most [`MAX_PARTS`].
fn location_parts(loc: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut from = 0;
    for comma in memchr::memchr_iter(b',', loc.as_bytes()) {
        if parts.len() == MAX_PARTS - 1 {
            break;
        }
        let part = loc[from..comma].trim();
        if !part.is_empty() {
            parts.push(part);
        }
        from = comma + 1;
    }
    let last = loc[from..].trim();
    if !last.is_empty() {
        parts.push(last);
    }
    parts
}

/// The label of sessions with no LOCATION.
pub const NO_ROOM: &str = "No location";

/// The calendar's human name: X-WR-CALNAME, unless that is a slug (`pytorchconferenceeu2026`)
/// and PRODID spells the same name readably (`-//Sched.com PyTorch Conference Europe
/// 2026//EN`); else the file's name; else "Calendar".
pub fn calendar_name(calname: Option<&str>, prodid: Option<&str>, source: &str) -> String {
    let readable_prodid = prodid.and_then(prodid_name);
    match calname.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) if is_slug(name) => match readable_prodid {
            Some(readable) if same_letters_start(name, &readable) => readable,
            _ => name.to_owned(),
        },
        Some(name) => name.to_owned(),
        None => std::path::Path::new(source)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && *s != "-")
            .map_or_else(|| "Calendar".to_owned(), str::to_owned),
    }
}

fn is_slug(name: &str) -> bool {
    !name.contains(' ')
        && !name.chars().any(char::is_uppercase)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `-//Sched.com PyTorch Conference Europe 2026//EN` → `PyTorch Conference Europe 2026`.
fn prodid_name(prodid: &str) -> Option<String> {
    let owner = prodid.split("//").nth(1)?.trim();
    let mut words: Vec<&str> = owner.split_whitespace().collect();
    if words.first().is_some_and(|w| w.contains('.')) {
        words.remove(0);
    }
    (words.len() > 1).then(|| words.join(" "))
}

fn same_letters_start(slug: &str, readable: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (key(slug), key(readable));
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 5.min(a.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> (String, Option<String>) {
        let (title, speakers) = split_title(s, false);
        (title.to_owned(), speakers.map(str::to_owned))
    }

    /// The rule as first written (a scan of the tail for every ` - `, quadratic): the
    /// one-pass [`split_at_people`] must agree with it.
    fn split_title_reference(summary: &str, bare_names: bool) -> (String, Option<String>) {
        let mut search = 0;
        while let Some(found) = summary[search..].find(" - ") {
            let at = search + found;
            let tail = summary[at + 3..].trim();
            let title = summary[..at].trim();
            if !title.is_empty() && reads_as_speakers_reference(tail, bare_names) {
                return (title.to_owned(), Some(tail.to_owned()));
            }
            search = at + 3;
        }
        (summary.trim().to_owned(), None)
    }

    /// `Name, Affiliation`, people joined by `&` or `;`; every person's name must look like one.
    fn reads_as_speakers_reference(tail: &str, bare_names: bool) -> bool {
        if tail.is_empty() {
            return false;
        }
        let people: Vec<&str> = tail.split(['&', ';']).collect();
        let names_ok = people.iter().enumerate().all(|(i, person)| {
            let name = person.split(',').next().unwrap_or("").trim();
            if i == 0 {
                return is_person_name(name, 2);
            }
            // After `Name, Affiliation` an `&` may belong to the affiliation ("VP of Product &
            // Head of Open Source"); "Selvam, & Elias Ellison" leaves an empty name.
            name.is_empty() || is_person_name(name, 1) || people[i - 1].contains(',')
        });
        names_ok && (bare_names || tail.contains(','))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn one_pass_split_agrees_with_the_reference(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Ann", "Lee", "Bo", " - ", ", ", ",", " & ", "; ", "&", " von ", "ACME",
                    "x", "  ", " ", "Ünal", "Talk:", "O'Neil", "-", " -", "- ",
                ]),
                0..24,
            ),
            bare in proptest::bool::ANY,
        ) {
            let summary = tokens.concat();
            proptest::prop_assert_eq!(
                {
                    let (title, speakers) = split_at_people(&summary, bare);
                    (title.to_owned(), speakers.map(str::to_owned))
                },
                split_title_reference(&summary, bare),
                "{:?}", summary
            );
        }
    }

    #[test]
    fn split_title_is_linear_in_dashes_and_spaces() {
        // Each once cost a scan of the rest of the summary per ` - `.
        let dashes = format!("Title{}", " - Ann Lee".repeat(80_000));
        let (title, speakers) = split_title(&dashes, true);
        assert!(*title == dashes[..dashes.len() - 10]);
        assert_eq!(speakers, Some("Ann Lee"));
        let spaces = format!("T{}{},x", " - A".repeat(80_000), " ".repeat(1_000_000));
        assert_eq!(split_title(&spaces, true).1, None);
    }

    #[test]
    fn a_location_splits_into_at_most_eight_parts() {
        assert_eq!(
            location_parts(" a, ,b,c,d,e,f,g,h,i , j"),
            vec!["a", "b", "c", "d", "e", "f", "g", "h,i , j"]
        );
        let commas = format!("Room{}, Paris, France", ",x".repeat(100_000));
        let labels = room_labels(&[(commas.as_str(), 3), ("Hall, Paris, France", 5)]);
        assert_eq!(labels["Hall, Paris, France"], "Hall");
        assert!(labels[commas.as_str()].len() > 100_000);
    }

    /// The speaker rule (D3/D4) as a table: a summary, whether the calendar habitually ends
    /// its summaries in names, and the title and speakers it gives. The cases come from
    /// issue 11 and from the calendars of `../shared/data/corpus` (Sched, pretalx, ics.py).
    #[test]
    fn the_speaker_rule() {
        #[rustfmt::skip]
        let table: &[(&str, bool, &str, Option<&str>)] = &[
            // Issue 11, D3: without attendees, a tail that starts with "The" is no person.
            ("Homebrew - The Good, Bad and Ugly of OSX Packaging", false,
             "Homebrew - The Good, Bad and Ugly of OSX Packaging", None),
            // D4: a bracketed tag, a tail that names a thing.
            ("[event] Hatchery - Humble Data, pre-registration required", false,
             "[event] Hatchery - Humble Data, pre-registration required", None),
            ("[event] Hatchery - Humble Data, pre-registration required", true,
             "[event] Hatchery - Humble Data, pre-registration required", None),
            ("Maintainers - Summit, Day 1", true, "Maintainers - Summit, Day 1", None),
            ("Rust - Hands-on Workshop", true, "Rust - Hands-on Workshop", None),
            // D4: lower-case and single-word names where the calendar ends titles in names.
            ("Open source metrics - amanda casari", true, "Open source metrics", Some("amanda casari")),
            ("Beatmaking with Python and FoxDot - Sangarshanan", true,
             "Beatmaking with Python and FoxDot", Some("Sangarshanan")),
            ("Beatmaking with Python and FoxDot - Sangarshanan", false,
             "Beatmaking with Python and FoxDot - Sangarshanan", None),
            ("Rust - Past, Present and Future", true, "Rust - Past, Present and Future", None),
            ("Typing - Ann Lee and Bo Chan", true, "Typing", Some("Ann Lee and Bo Chan")),
            // ics.py (PyCon India 2021, corpus).
            ("Python Versions and Dependencies Made Easy - Sebastian", true,
             "Python Versions and Dependencies Made Easy", Some("Sebastian")),
            ("Keynote - Luciano Ramalho", true, "Keynote", Some("Luciano Ramalho")),
            ("Getting Kafka-esque with Python - Dipen Chawla, Devesh Bajaj", true,
             "Getting Kafka-esque with Python", Some("Dipen Chawla, Devesh Bajaj")),
            ("CS Education - Panel - Prabhu Ramchandran, Prof. Shriram Krishnamurthi, Pramode C E, Ambika Joshi", true,
             "CS Education - Panel", Some("Prabhu Ramchandran, Prof. Shriram Krishnamurthi, Pramode C E, Ambika Joshi")),
            ("Insights Generation - Art to Science - Rajneet Kaur", true,
             "Insights Generation - Art to Science", Some("Rajneet Kaur")),
            ("Keynote - Dr. Ajith Kumar B P", true, "Keynote", Some("Dr. Ajith Kumar B P")),
            ("Break/Networking", true, "Break/Networking", None),
            // pretalx (democon, corpus).
            ("Persevering cohesive concept - Susan Martinez", true,
             "Persevering cohesive concept", Some("Susan Martinez")),
            // Sched (the bundled calendar).
            ("Helion 1.0: A High-Level DSL for Performance Portable Kernels - Oguz Ulgen, Meta", false,
             "Helion 1.0: A High-Level DSL for Performance Portable Kernels", Some("Oguz Ulgen, Meta")),
            ("Sponsor Activity - Lobster Trap: OpenClaw in Containers", false,
             "Sponsor Activity - Lobster Trap: OpenClaw in Containers", None),
            ("Deep Learning in the Wild - Taraqur Rahman & Owen O'Donnell, OWL Integrations", false,
             "Deep Learning in the Wild", Some("Taraqur Rahman & Owen O'Donnell, OWL Integrations")),
        ];
        for &(summary, habit, title, speakers) in table {
            assert_eq!(
                split_title(summary, habit),
                (title, speakers),
                "{summary:?} (habit: {habit})"
            );
        }
    }

    #[test]
    fn sched_speakers_split_after_the_dash() {
        assert_eq!(
            split(
                "Helion 1.0: A High-Level DSL for Performance Portable Kernels - Oguz Ulgen, Meta"
            ),
            (
                "Helion 1.0: A High-Level DSL for Performance Portable Kernels".into(),
                Some("Oguz Ulgen, Meta".into())
            )
        );
    }

    #[test]
    fn titles_with_their_own_dashes_keep_them() {
        assert_eq!(
            split("Lightning Talk: Trinity Large - Torchtitan on 2000+ B300s - Matej Sirovatka, Prime Intellect").0,
            "Lightning Talk: Trinity Large - Torchtitan on 2000+ B300s"
        );
        assert_eq!(
            split("Keynote: Keynote: Stream Everything - Moving from Request input to Streaming input - Patrick von Platen, Research Engineer, Mistral AI"),
            (
                "Keynote: Keynote: Stream Everything - Moving from Request input to Streaming input".into(),
                Some("Patrick von Platen, Research Engineer, Mistral AI".into())
            )
        );
    }

    #[test]
    fn affiliations_with_dashes_stay_with_the_speakers() {
        assert_eq!(
            split("Keynote: vLLM & Ray Updates - Tyler Michael Smith, Chief Architect - Inference Engineering, Red Hat & Artur Niederfahrenhorst, Member of Technical Staff,Anyscale"),
            (
                "Keynote: vLLM & Ray Updates".into(),
                Some("Tyler Michael Smith, Chief Architect - Inference Engineering, Red Hat & Artur Niederfahrenhorst, Member of Technical Staff,Anyscale".into())
            )
        );
        assert_eq!(
            split("Building a PyTorch‑native VLLM Plugin for IBM Spyre - Thomas Parnell, IBM Research & Thomas Ortner, IBM Research Europe - Zurich").1.as_deref(),
            Some("Thomas Parnell, IBM Research & Thomas Ortner, IBM Research Europe - Zurich")
        );
    }

    #[test]
    fn tails_that_are_not_people_stay_in_the_title() {
        for whole in [
            "Sponsor Activity - Lobster Trap: OpenClaw in Containers",
            "Sponsor Activity - Validating AI on CPUs: The vLLM 3-Phase Evaluation Framework",
            "Coffee Break",
            "Rust - Past, Present and Future",
            "Idiomatic Pandas: 5 Tips for Better Pandas Code - Matt Harrison",
        ] {
            assert_eq!(split(whole), (whole.into(), None), "{whole}");
        }
    }

    #[test]
    fn several_people_joined_by_ampersand_and_semicolon() {
        for (summary, speakers) in [
            (
                "Keynote: Community Led Open Source RL - Joe Spisak, VP of Product & Head of Open Source, Reflection AI",
                "Joe Spisak, VP of Product & Head of Open Source, Reflection AI",
            ),
            (
                "Lightning Talk: How DeepInverse Is Solving Imaging in Science and Healthcare With PyTorch - Andrew Wang, DeepInverse; Minh Hai Nguyen, Université de Toulouse",
                "Andrew Wang, DeepInverse; Minh Hai Nguyen, Université de Toulouse",
            ),
            (
                "Lightning Talk: Combo Kernels: Horizontal Fusion Optimization in Torch.compile - Karthick Panner Selvam, & Elias Ellison, Meta",
                "Karthick Panner Selvam, & Elias Ellison, Meta",
            ),
            (
                "Deep Learning in the Wild - Taraqur Rahman & Owen O'Donnell, OWL Integrations",
                "Taraqur Rahman & Owen O'Donnell, OWL Integrations",
            ),
        ] {
            assert_eq!(split(summary).1.as_deref(), Some(speakers), "{summary}");
        }
    }

    #[test]
    fn pretalx_appends_bare_names() {
        assert_eq!(
            split_title("Persevering cohesive concept - Susan Martinez", true),
            ("Persevering cohesive concept", Some("Susan Martinez"))
        );
        assert_eq!(
            split("Persevering cohesive concept - Susan Martinez").1,
            None
        );
        assert_eq!(
            split_title(
                "Sponsor Activity - Lobster Trap: OpenClaw in Containers",
                true
            )
            .1,
            None
        );
    }

    #[test]
    fn calendars_whose_titles_end_in_names() {
        let icspy = [
            "No Code Platform powered by Python & Django - Bhagvan Kommadi",
            "Idiomatic Pandas: 5 Tips for Better Pandas Code - Matt Harrison",
            "Getting Kafka-esque with Python - Dipen Chawla, Devesh Bajaj",
            "Break/Networking",
        ];
        assert!(end_in_bare_names(icspy.into_iter()));
        let sched = [
            "Helion 1.0: A High-Level DSL - Oguz Ulgen, Meta",
            "Sponsor Activity - Lobster Trap: OpenClaw in Containers",
            "Tour De Force - Christin Pohl, Microsoft",
            "Write Once - Pedro Cuenca, Hugging Face",
        ];
        assert!(!end_in_bare_names(sched.into_iter()));
    }

    #[test]
    fn room_labels_drop_the_shared_tail() {
        let locations = [
            ("Master Stage, Paris, France", 32),
            ("Central Room, Paris, France", 27),
            ("Lobby, Paris, France", 2),
            ("Paris, France", 1),
            (
                "Biblioteca Room at La Felicità, 5 Parv. Alan Turing, 75013 Paris, France",
                1,
            ),
        ];
        let labels = room_labels(&locations);
        assert_eq!(labels["Master Stage, Paris, France"], "Master Stage");
        assert_eq!(labels["Lobby, Paris, France"], "Lobby");
        assert_eq!(labels["Paris, France"], "Paris, France");
        assert_eq!(
            labels["Biblioteca Room at La Felicità, 5 Parv. Alan Turing, 75013 Paris, France"],
            "Biblioteca Room at La Felicità"
        );
    }

    #[test]
    fn room_labels_without_a_shared_tail_stay_whole() {
        let labels = room_labels(&[("Janson", 10), ("H.1308", 5), ("Room A, Building 2", 1)]);
        assert_eq!(labels["Janson"], "Janson");
        assert_eq!(labels["Room A, Building 2"], "Room A, Building 2");
        let labels = room_labels(&[("Room A, Floor 1", 1), ("Room B, Floor 2", 1)]);
        assert_eq!(labels["Room B, Floor 2"], "Room B, Floor 2");
    }

    #[test]
    fn calendar_names() {
        assert_eq!(
            calendar_name(
                Some("pytorchconferenceeu2026"),
                Some("-//Sched.com PyTorch Conference Europe 2026//EN"),
                "x.ics"
            ),
            "PyTorch Conference Europe 2026"
        );
        assert_eq!(
            calendar_name(
                Some("FOSDEM12"),
                Some("-//Pentabarf//Schedule 0.3//EN"),
                "x"
            ),
            "FOSDEM12"
        );
        assert_eq!(
            calendar_name(
                Some("view52593586"),
                Some("-//Podio API//EN//view-exporter//1//"),
                "x"
            ),
            "view52593586"
        );
        assert_eq!(
            calendar_name(None, Some("-//pretalx//localhost//"), "/tmp/democon.ics"),
            "democon"
        );
        assert_eq!(calendar_name(None, None, "-"), "Calendar");
    }
}
