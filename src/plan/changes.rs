//! What changed for the user since they starred their sessions: each star's snapshot against
//! the session in the calendar now — moved, renamed, cancelled, gone, or re-published under a
//! new id (same title and speakers), and the clashes the changes caused.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::clash;
use super::store::Star;
use super::store::snapshot;
use crate::calendar::{Calendar, Session};

/// How one starred session differs from its snapshot: independent facts, any of them true.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The session's id now (for a re-published session, its new id; for a gone one, the
    /// starred id).
    pub id: String,
    /// The snapshot: the session as the user last saw it.
    pub old: Star,
    /// Its time changed.
    pub moved: bool,
    pub room_changed: bool,
    pub renamed: bool,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
    /// No longer in the calendar, and nothing matched it.
    pub gone: bool,
    /// Re-published under a new id; this is the starred (old) id.
    pub republished_from: Option<String>,
}

impl Change {
    /// Whether the session is no longer something one can attend.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled || self.gone
    }
}

/// A clash among starred sessions that did not exist at the snapshots' times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClash {
    pub a: String,
    pub b: String,
}

/// Every change, in calendar order (gone sessions last, by their old start).
pub fn detect(calendar: &Calendar, stars: &BTreeMap<String, Star>) -> Vec<Change> {
    let starred_now: HashSet<&str> = stars.keys().map(String::as_str).collect();
    let gone: Vec<(&String, &Star)> = stars
        .iter()
        .filter(|(id, _)| calendar.get(id).is_none())
        .collect();
    // Sessions nobody starred, by title, to recognise re-published ones.
    let mut by_title: HashMap<std::borrow::Cow<str>, Vec<&Session>> = HashMap::new();
    if !gone.is_empty() {
        for s in &calendar.sessions {
            if !starred_now.contains(s.id.as_str()) {
                by_title.entry(snapshot(&s.title)).or_default().push(s);
            }
        }
    }
    let mut taken: HashSet<&str> = HashSet::new();
    let mut changes = Vec::new();
    for (id, star) in stars {
        if let Some(session) = calendar.get(id) {
            let republished = star.republished_from.is_some();
            if let Some(mut change) = compare(id, star, session, republished) {
                change.republished_from.clone_from(&star.republished_from);
                changes.push(change);
            }
            continue;
        }
        if star.cancelled {
            continue; // gone, and already acknowledged
        }
        let old_start = star.times().map(|t| t.0);
        let by_name = by_title.get(star.title.as_str()).and_then(|list| {
            list.iter()
                .filter(|s| {
                    s.speakers.as_deref().map(snapshot) == star.speakers.as_deref().map(Into::into)
                        && !taken.contains(s.id.as_str())
                })
                .min_by_key(|s| old_start.map_or(0, |t| (s.start - t).num_seconds().abs()))
                .copied()
        });
        // A schedule published in another format (Sched's iCalendar, then a schedule.json)
        // names sessions anew: the same start and room, and the same title but for case and
        // punctuation. (Another title in the same slot is a replacement: the star is gone.)
        let candidate = by_name.or_else(|| {
            let same = same_slot(star)?;
            by_title
                .values()
                .flatten()
                .copied()
                .find(|s| !taken.contains(s.id.as_str()) && same(s))
        });
        match candidate {
            Some(session) => {
                taken.insert(&session.id);
                let mut change = compare(&session.id, star, session, true)
                    .unwrap_or_else(|| blank(&session.id, star));
                change.republished_from = Some(id.clone());
                changes.push(change);
            }
            None => changes.push(Change {
                gone: true,
                ..blank(id, star)
            }),
        }
    }
    let order = |c: &Change| -> (bool, Option<usize>, Option<DateTime<Utc>>) {
        (c.gone, calendar.position(&c.id), c.old.times().map(|t| t.0))
    };
    changes.sort_by_key(order);
    changes
}

fn blank(id: &str, star: &Star) -> Change {
    Change {
        id: id.to_owned(),
        old: star.clone(),
        moved: false,
        room_changed: false,
        renamed: false,
        cancelled: false,
        gone: false,
        republished_from: None,
    }
}

fn compare(id: &str, star: &Star, s: &Session, republished: bool) -> Option<Change> {
    let change = Change {
        moved: star.times() != Some((s.start, s.end)),
        // "Room A" and "room a" are one room (formats and exports differ in case).
        room_changed: star.room.to_lowercase() != snapshot(&s.room).to_lowercase(),
        renamed: star.title != snapshot(&s.title),
        cancelled: s.cancelled && !star.cancelled,
        ..blank(id, star)
    };
    let any = change.moved || change.room_changed || change.renamed || change.cancelled;
    (any || republished).then_some(change)
}

/// Clashes among the starred sessions now that did not exist at their snapshot times and
/// involve a changed session.
pub fn new_clashes(
    starred: &[&Session],
    changes: &[Change],
    stars: &BTreeMap<String, Star>,
) -> Vec<NewClash> {
    let moved_ids: HashSet<&str> = changes
        .iter()
        .filter(|c| c.moved || c.room_changed)
        .map(|c| c.id.as_str())
        .collect();
    if moved_ids.is_empty() {
        return Vec::new();
    }
    let now = clash::find(starred);
    // The same sessions at their snapshot times.
    let before: Vec<Session> = starred
        .iter()
        .map(|s| {
            let star = changes
                .iter()
                .find(|c| c.id == s.id)
                .map(|c| &c.old)
                .or_else(|| stars.get(s.id.as_str()));
            let mut old = (*s).clone();
            if let Some((start, end)) = star.and_then(Star::times) {
                old.start = start;
                old.end = end;
            }
            old
        })
        .collect();
    let before_refs: Vec<&Session> = before.iter().collect();
    let then = clash::find(&before_refs);
    let mut found = Vec::new();
    // Only clashes involving a moved session can be new.
    for i in (0..starred.len()).filter(|&i| moved_ids.contains(starred[i].id.as_str())) {
        let before_i = then.with(&before_refs, i);
        for j in now.with(starred, i) {
            let seen_from_j = j < i && moved_ids.contains(starred[j].id.as_str());
            if !seen_from_j && !before_i.contains(&j) {
                let (a, b) = (i.min(j), i.max(j));
                found.push(NewClash {
                    a: starred[a].id.to_string(),
                    b: starred[b].id.to_string(),
                });
            }
        }
    }
    found
}

/// Moves the stars of re-published sessions to their new ids (marked, so the change is still
/// reported until acknowledged). Returns how many moved; the caller saves.
pub fn carry_over(store: &mut super::Store, calendar: &Calendar) -> usize {
    let Some(stars) = store.stars(&calendar.key) else {
        return 0;
    };
    let moves: Vec<(String, String)> = detect(calendar, stars)
        .into_iter()
        .filter_map(|c| {
            let from = c.republished_from?;
            (!stars.contains_key(&c.id)).then_some((from, c.id))
        })
        .collect();
    for (from, to) in &moves {
        store.rename(&calendar.key, from, to);
    }
    moves.len()
}

/// The session of `calendar` that is the one `star` was made on, unchanged: at the same
/// start, in the same room, with the same title but for case and punctuation; the one of
/// the same id first. Sessions in `taken` are not candidates.
fn same_session<'c>(
    calendar: &'c Calendar,
    id: &str,
    star: &Star,
    taken: &HashSet<&str>,
) -> Option<&'c Session> {
    let same = same_slot(star)?;
    let free = |s: &&Session| !taken.contains(s.id.as_str()) && same(s);
    calendar
        .get(id)
        .filter(free)
        .or_else(|| calendar.sessions.iter().find(free))
}

/// Whether a session is in the slot `star` was made on: the same start and room, and the
/// same title but for case and punctuation. `None` for a star without times.
fn same_slot(star: &Star) -> Option<impl Fn(&Session) -> bool + '_> {
    let (start, _) = star.times()?;
    let title = title_key(&star.title);
    Some(move |s: &Session| {
        s.start == start && s.room.eq_ignore_ascii_case(&star.room) && title_key(&s.title) == title
    })
}

/// A title for comparing across formats: letters and digits only, in lower case.
fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Stars a calendar had under another key, found again in `calendar`: the same conference
/// published anew under another name (its iCalendar export, then its schedule.json, whose
/// keys differ). Another entry's stars are taken over when there is none under `calendar`'s
/// key and every one of them (not acknowledged as gone) is one of `calendar`'s sessions,
/// unchanged ([`same_session`]: a matching id alone is not enough, frab ids are small
/// numbers many conferences share). Entries whose key is in `keep`
/// (other saved calendars) are left alone. Returns the name of the entry taken over and how
/// many stars moved; the caller saves.
pub fn adopt(
    store: &mut super::Store,
    calendar: &Calendar,
    keep: &[&str],
    now: DateTime<Utc>,
) -> Option<(String, usize)> {
    if store.stars(&calendar.key).is_some_and(|s| !s.is_empty()) {
        return None;
    }
    let (from, name, moves) = store
        .data()
        .calendars
        .iter()
        .filter(|(key, entry)| {
            **key != calendar.key && !keep.contains(&key.as_str()) && !entry.starred.is_empty()
        })
        .filter_map(|(key, entry)| {
            let live: Vec<(&String, &Star)> =
                entry.starred.iter().filter(|(_, s)| !s.cancelled).collect();
            let mut taken: HashSet<&str> = HashSet::new();
            let moves: Vec<(String, String)> = live
                .iter()
                .map_while(|(id, star)| {
                    let session = same_session(calendar, id, star, &taken)?;
                    taken.insert(&session.id);
                    Some(((*id).clone(), session.id.to_string()))
                })
                .collect();
            (!live.is_empty() && moves.len() == live.len())
                .then(|| (key.clone(), entry.name.clone(), moves))
        })
        .max_by_key(|(_, _, moves)| moves.len())?;
    for (old, new) in &moves {
        if let Some(session) = calendar.get(new) {
            store.star(&calendar.key, &calendar.name, session, now);
        }
        store.unstar(&from, old);
    }
    Some((name, moves.len()))
}

/// Acknowledges every change: snapshots become the sessions as they are now, gone sessions
/// are marked so. Returns how many; the caller saves.
pub fn acknowledge(store: &mut super::Store, calendar: &Calendar) -> usize {
    carry_over(store, calendar);
    let Some(stars) = store.stars(&calendar.key) else {
        return 0;
    };
    let changes = detect(calendar, stars);
    for change in &changes {
        match calendar.get(&change.id) {
            Some(session) => store.resnapshot(&calendar.key, session),
            None => store.acknowledge_gone(&calendar.key, &change.id),
        }
    }
    changes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    use crate::calendar::LoadOptions;
    use crate::plan::Plan;

    const BEFORE: &str = "BEGIN:VCALENDAR
X-WR-CALNAME:conf
BEGIN:VEVENT
UID:keep
SUMMARY:Stays put - Ann Lee, ACME
DTSTART:20260407T090000Z
DTEND:20260407T093000Z
LOCATION:Room A
END:VEVENT
BEGIN:VEVENT
UID:move
SUMMARY:Moves - Bo Chan, ACME
DTSTART:20260407T100000Z
DTEND:20260407T103000Z
LOCATION:Room A
END:VEVENT
BEGIN:VEVENT
UID:old-uid
SUMMARY:Re-published - Cy Dee, ACME
DTSTART:20260407T110000Z
DTEND:20260407T113000Z
LOCATION:Room B
END:VEVENT
BEGIN:VEVENT
UID:drop
SUMMARY:Dropped - Di Eve, ACME
DTSTART:20260407T120000Z
DTEND:20260407T123000Z
LOCATION:Room B
END:VEVENT
BEGIN:VEVENT
UID:cancel
SUMMARY:Cancelled later - Ed Fox, ACME
DTSTART:20260407T130000Z
DTEND:20260407T133000Z
LOCATION:Room B
END:VEVENT
END:VCALENDAR
";

    fn after() -> String {
        BEFORE
            .replace("UID:move\nSUMMARY:Moves - Bo Chan, ACME\nDTSTART:20260407T100000Z\nDTEND:20260407T103000Z\nLOCATION:Room A",
                     "UID:move\nSUMMARY:Moves - Bo Chan, ACME\nDTSTART:20260407T091500Z\nDTEND:20260407T094500Z\nLOCATION:Room C")
            .replace("UID:old-uid", "UID:new-uid")
            .replace("UID:drop\nSUMMARY:Dropped - Di Eve, ACME\nDTSTART:20260407T120000Z\nDTEND:20260407T123000Z\nLOCATION:Room B\n", "UID:other\nSUMMARY:Something else\nDTSTART:20260407T120000Z\nDTEND:20260407T123000Z\nLOCATION:Room B\n")
            .replace("SUMMARY:Cancelled later - Ed Fox, ACME", "SUMMARY:Cancelled later - Ed Fox, ACME\nSTATUS:CANCELLED")
            .replace("SUMMARY:Stays put - Ann Lee, ACME", "SUMMARY:Stays put (renamed) - Ann Lee, ACME")
    }

    fn load(text: &str) -> Calendar {
        Calendar::parse(text.as_bytes(), &LoadOptions::new("t", None, Tz::UTC)).unwrap()
    }

    fn stars_of(cal: &Calendar) -> BTreeMap<String, Star> {
        let now: DateTime<Utc> = "2026-04-01T00:00:00Z".parse().unwrap();
        cal.sessions
            .iter()
            .map(|s| (s.id.to_string(), Star::of(s, now)))
            .collect()
    }

    #[test]
    fn nothing_changed_nothing_reported() {
        let cal = load(BEFORE);
        assert!(detect(&cal, &stars_of(&cal)).is_empty());
    }

    #[test]
    fn moved_renamed_cancelled_gone_and_republished() {
        let stars = stars_of(&load(BEFORE));
        let cal = load(&after());
        let changes = detect(&cal, &stars);
        let get = |id: &str| changes.iter().find(|c| c.id == id).unwrap();
        assert!(get("keep").renamed && !get("keep").moved);
        assert!(get("move").moved && get("move").room_changed);
        assert_eq!(get("move").old.room, "Room A");
        assert!(get("cancel").cancelled);
        assert!(get("drop").gone);
        let re = get("new-uid");
        assert_eq!(re.republished_from.as_deref(), Some("old-uid"));
        assert!(!re.moved && !re.gone);
        assert_eq!(changes.len(), 5);
        assert!(changes.last().unwrap().gone, "gone ones come last");
    }

    #[test]
    fn the_plan_carries_republished_stars_and_finds_new_clashes() {
        let stars = stars_of(&load(BEFORE));
        let cal = load(&after());
        let plan = Plan::new(&cal, Some(&stars), None);
        assert!(plan.is_starred("new-uid"));
        assert_eq!(plan.missing.len(), 1);
        assert_eq!(plan.missing[0].0, "drop");
        // "move" now runs 09:15–09:45, into "keep" (09:00–09:30): a clash the move caused.
        assert_eq!(
            plan.new_clashes,
            vec![NewClash {
                a: "keep".into(),
                b: "move".into()
            }]
        );
        assert!(plan.is_clashing("keep"));
    }

    #[test]
    fn a_schedule_republished_in_another_format_keeps_its_stars() {
        // The iCalendar export said "Stays put - Ann Lee, ACME" in Room A; the schedule.json,
        // with its own ids and no speakers, says "stays put!" in "room a" at the same time.
        let stars = stars_of(&load(BEFORE));
        let json_like = BEFORE.replace("UID:keep", "UID:json-1").replace(
            "SUMMARY:Stays put - Ann Lee, ACME\nDTSTART:20260407T090000Z\nDTEND:20260407T093000Z\nLOCATION:Room A",
            "SUMMARY:stays put!\nDTSTART:20260407T090000Z\nDTEND:20260407T093000Z\nLOCATION:room a",
        );
        let cal = load(&json_like);
        let changes = detect(&cal, &stars);
        let re = changes.iter().find(|c| c.id == "json-1").unwrap();
        assert_eq!(re.republished_from.as_deref(), Some("keep"));
        assert!(!re.gone && !re.moved && !re.room_changed);
        assert_eq!(changes.len(), 1);
    }

    #[test]
    fn carry_over_keeps_reporting_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let before = load(BEFORE);
        let mut store = crate::plan::Store::open(dir.path()).unwrap();
        let now: DateTime<Utc> = "2026-04-01T00:00:00Z".parse().unwrap();
        for s in &before.sessions {
            store.star(&before.key, &before.name, s, now);
        }
        let cal = load(&after());
        assert_eq!(carry_over(&mut store, &cal), 1);
        assert!(store.is_starred(&cal.key, "new-uid"));
        assert!(!store.is_starred(&cal.key, "old-uid"));
        assert_eq!(carry_over(&mut store, &cal), 0, "once is enough");
        let changes = detect(&cal, store.stars(&cal.key).unwrap());
        assert_eq!(changes.len(), 5);
        let re = changes.iter().find(|c| c.id == "new-uid").unwrap();
        assert_eq!(re.republished_from.as_deref(), Some("old-uid"));
        assert_eq!(acknowledge(&mut store, &cal), 5);
        assert!(detect(&cal, store.stars(&cal.key).unwrap()).is_empty());
        // The gone session's star is kept, only marked.
        assert!(store.is_starred(&cal.key, "drop"));
        store.save().unwrap();
        let again = crate::plan::Store::open(dir.path()).unwrap();
        assert!(detect(&cal, again.stars(&cal.key).unwrap()).is_empty());
    }
}
