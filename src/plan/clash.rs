//! Clashes among starred sessions, found by sorting and one sweep (O(n log n) plus the
//! overlaps themselves; never all pairs): overlapping sessions grouped through chains, who
//! overlaps whom, and tight transitions between rooms.

use chrono::{DateTime, Duration, Utc};

use crate::calendar::Session;

/// Sessions that overlap, directly or through a chain (A overlaps B, B overlaps C).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Indices into the sessions given, by start.
    pub members: Vec<usize>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Two consecutive sessions in different rooms with too little time between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tight {
    pub from: usize,
    pub to: usize,
    pub gap: Duration,
}

/// The clashes among a set of sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clashes {
    pub groups: Vec<Group>,
    /// Whether each session given overlaps another.
    clashing: Vec<bool>,
    /// The sessions that take part, by start; [`Clashes::with`] searches it.
    order: Vec<usize>,
}

impl Clashes {
    pub fn clashing(&self, i: usize) -> bool {
        self.clashing.get(i).copied().unwrap_or(false)
    }

    /// The sessions session `i` overlaps, by start. Sessions that count last less than three
    /// hours, so only those starting in the three hours before `i` ends need looking at.
    pub fn with(&self, sessions: &[&Session], i: usize) -> Vec<usize> {
        self.with_by(|j| sessions[j], i)
    }

    /// [`Clashes::with`], reaching the sessions through `at` (index → session).
    pub fn with_by<'s>(&self, at: impl Fn(usize) -> &'s Session, i: usize) -> Vec<usize> {
        if !self.clashing(i) {
            return Vec::new();
        }
        let s = at(i);
        let from = self
            .order
            .partition_point(|&j| at(j).start <= s.start - crate::calendar::LONG_SESSION);
        self.order[from..]
            .iter()
            .copied()
            .take_while(|&j| at(j).start < s.end)
            .filter(|&j| j != i && at(j).end > s.start)
            .collect()
    }
}

/// Whether a session takes part in clashes: not background (3 hours or more), not instantaneous.
fn counts(s: &Session) -> bool {
    !s.is_background() && s.end > s.start && !s.cancelled
}

/// Indices of the sessions that count, by start then end.
fn by_start(sessions: &[&Session]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sessions.len())
        .filter(|&i| counts(sessions[i]))
        .collect();
    order.sort_by_key(|&i| (sessions[i].start, sessions[i].end));
    order
}

/// Overlaps by more than zero (back-to-back is not a clash), grouped through chains.
pub fn find(sessions: &[&Session]) -> Clashes {
    let order = by_start(sessions);
    let mut clashing = vec![false; sessions.len()];
    let mut groups = Vec::new();
    let mut current: Option<Group> = None;
    // The session of the current group that ends last.
    let mut latest: Option<usize> = None;
    for &i in &order {
        let s = sessions[i];
        match current.as_mut() {
            Some(g) if s.start < g.end => {
                // It starts before everything so far has ended: it overlaps the session
                // that ends last, which started no later than it.
                clashing[i] = true;
                if let Some(l) = latest {
                    clashing[l] = true;
                }
                g.members.push(i);
                if s.end > g.end {
                    g.end = s.end;
                    latest = Some(i);
                }
            }
            _ => {
                if let Some(g) = current.take().filter(|g| g.members.len() > 1) {
                    groups.push(g);
                }
                current = Some(Group {
                    members: vec![i],
                    start: s.start,
                    end: s.end,
                });
                latest = Some(i);
            }
        }
    }
    if let Some(g) = current.filter(|g| g.members.len() > 1) {
        groups.push(g);
    }
    Clashes {
        groups,
        clashing,
        order,
    }
}

/// Room changes with less than `min_gap` to walk: into each session, from the one that
/// ends last before it starts (overlaps are clashes, not transitions). Sessions that clash
/// with each other each get their own: whichever of them the attendee picks, the walk
/// from the session before is as short.
pub fn tight_transitions(sessions: &[&Session], min_gap: Duration) -> Vec<Tight> {
    /// Sessions ending at the same moment looked at for one in another room.
    const SAME_END: usize = 64;
    let order = by_start(sessions);
    let mut by_end = order.clone();
    by_end.sort_by_key(|&i| sessions[i].end);
    let mut tight = Vec::new();
    for i in order {
        let s = sessions[i];
        let ended = &by_end[..by_end.partition_point(|&p| sessions[p].end <= s.start)];
        let Some(&last) = ended.last() else {
            continue;
        };
        let gap = s.start - sessions[last].end;
        if gap >= min_gap {
            continue;
        }
        let last_end = sessions[last].end;
        let from = ended[ended.partition_point(|&p| sessions[p].end < last_end)..]
            .iter()
            .take(SAME_END)
            .find(|&&p| sessions[p].room != s.room);
        if let Some(&from) = from {
            tight.push(Tight { from, to: i, gap });
        }
    }
    tight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, room: &str, start: &str, end: &str) -> Session {
        let t = |hm: &str| format!("2026-04-07T{hm}:00Z").parse().unwrap();
        Session {
            id: id.into(),
            uid: id.into(),
            title: id.into(),
            start: t(start),
            end: t(end),
            room: room.into(),
            location: room.into(),
            ..Session::default()
        }
    }

    fn ids(sessions: &[Session], list: &[usize]) -> Vec<String> {
        list.iter().map(|&i| sessions[i].id.to_string()).collect()
    }

    fn clashes(sessions: &[Session]) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let refs: Vec<&Session> = sessions.iter().collect();
        let c = find(&refs);
        let with = (0..sessions.len())
            .map(|i| {
                assert_eq!(c.clashing(i), !c.with(&refs, i).is_empty());
                ids(sessions, &c.with(&refs, i))
            })
            .collect();
        (
            c.groups.iter().map(|g| ids(sessions, &g.members)).collect(),
            with,
        )
    }

    #[test]
    fn overlap_clashes_and_back_to_back_does_not() {
        let s = [
            session("a", "R1", "09:00", "09:30"),
            session("b", "R2", "09:15", "09:45"),
            session("c", "R1", "09:45", "10:00"),
        ];
        let (groups, with) = clashes(&s);
        assert_eq!(groups, vec![vec!["a", "b"]]);
        assert_eq!(with[0], vec!["b"]);
        assert!(with[2].is_empty(), "c starts when b ends");
    }

    #[test]
    fn nested_sessions_clash() {
        let s = [
            session("long", "R1", "09:00", "11:00"),
            session("inner", "R2", "09:30", "10:00"),
        ];
        assert_eq!(clashes(&s).0, vec![vec!["long", "inner"]]);
    }

    #[test]
    fn chains_make_one_group_without_a_and_c_overlapping() {
        let s = [
            session("a", "R1", "09:00", "09:30"),
            session("b", "R2", "09:20", "10:00"),
            session("c", "R3", "09:50", "10:30"),
            session("d", "R1", "11:00", "11:30"),
        ];
        let (groups, with) = clashes(&s);
        assert_eq!(groups, vec![vec!["a", "b", "c"]]);
        assert_eq!(with[0], vec!["b"]);
        assert_eq!(with[1], vec!["a", "c"]);
        assert_eq!(with[2], vec!["b"]);
        assert!(with[3].is_empty());
    }

    #[test]
    fn background_sessions_never_clash() {
        let s = [
            session("expo", "Hall", "07:30", "18:30"),
            session("talk", "R1", "09:00", "09:30"),
        ];
        let (groups, with) = clashes(&s);
        assert!(groups.is_empty());
        assert!(with.iter().all(Vec::is_empty));
        // Just under three hours still clashes.
        let s = [
            session("workshop", "Hall", "09:00", "11:59"),
            session("talk", "R1", "09:00", "09:30"),
        ];
        assert_eq!(clashes(&s).0.len(), 1);
    }

    #[test]
    fn tight_transitions_between_rooms() {
        let s = [
            session("a", "R1", "09:00", "09:30"),
            session("b", "R2", "09:35", "10:00"),
            session("c", "R2", "10:02", "10:30"),
            session("d", "R3", "10:45", "11:00"),
        ];
        let refs: Vec<&Session> = s.iter().collect();
        let tight = tight_transitions(&refs, Duration::minutes(10));
        // a→b changes room with 5 minutes; b→c stays in R2; c→d has 15 minutes.
        assert_eq!(
            tight,
            vec![Tight {
                from: 0,
                to: 1,
                gap: Duration::minutes(5)
            }]
        );
        assert_eq!(tight_transitions(&refs, Duration::minutes(16)).len(), 2);
    }

    #[test]
    fn each_of_clashing_sessions_gets_its_walk_from_the_session_before() {
        // The trial's case: three starred sessions at 11:30 after one ending at 11:25.
        let s = [
            session("lights", "Founders", "11:00", "11:25"),
            session("deep", "Central", "11:30", "11:45"),
            session("agents", "Founders", "11:30", "11:45"),
            session("tour", "Master", "11:30", "11:55"),
        ];
        let refs: Vec<&Session> = s.iter().collect();
        let tight = tight_transitions(&refs, Duration::minutes(10));
        let pairs: Vec<(usize, usize)> = tight.iter().map(|t| (t.from, t.to)).collect();
        assert_eq!(pairs, [(0, 1), (0, 3)]);
    }

    #[test]
    fn the_gap_counts_from_whatever_ends_last() {
        let s = [
            session("long", "R1", "09:00", "10:00"),
            session("short", "R1", "09:10", "09:20"),
            session("next", "R2", "10:03", "10:30"),
        ];
        let refs: Vec<&Session> = s.iter().collect();
        let tight = tight_transitions(&refs, Duration::minutes(5));
        assert_eq!(tight.len(), 1);
        assert_eq!((tight[0].from, tight[0].to), (0, 2));
    }
}
