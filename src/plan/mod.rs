//! The user's plan: starred sessions kept in `starred.json`, their clashes, and what changed.
//! No terminal code: the UI and the exporters borrow a [`Plan`].

pub mod changes;
pub mod clash;
pub mod filter;
pub mod store;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Duration;

use crate::calendar::{Calendar, Session};
use crate::export::agenda::Agenda;
pub use changes::{Change, NewClash};
pub use clash::{Clashes, Tight};
pub use filter::{Filter, Visibility, visibility};
pub use store::{Star, Store, StoreError};

/// A calendar seen through the user's stars.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub calendar: &'a Calendar,
    /// Starred sessions in the calendar (re-published ones under their new id), in order.
    pub starred: Vec<&'a Session>,
    /// Stars whose session is gone from the calendar: id and snapshot.
    pub missing: Vec<(&'a str, &'a Star)>,
    /// Clashes among [`Plan::starred`] (indices into it).
    pub clashes: Clashes,
    /// Tight transitions among [`Plan::starred`], when a minimum gap was asked for.
    pub tight: Vec<Tight>,
    pub changes: Vec<Change>,
    pub new_clashes: Vec<NewClash>,
    position: HashMap<&'a str, usize>,
    /// Ids of the sessions the user hid ([`Plan::with_hidden`]).
    hidden: Option<&'a BTreeSet<String>>,
}

impl<'a> Plan<'a> {
    /// The plan for `calendar` given its stars; `min_gap` flags tight transitions.
    pub fn new(
        calendar: &'a Calendar,
        stars: Option<&'a BTreeMap<String, Star>>,
        min_gap: Option<Duration>,
    ) -> Self {
        let empty = BTreeMap::new();
        let stars_map = stars.unwrap_or(&empty);
        let changes = changes::detect(calendar, stars_map);
        let republished: HashMap<&str, &str> = changes
            .iter()
            .filter_map(|c| Some((c.republished_from.as_deref()?, c.id.as_str())))
            .collect();
        let mut starred: Vec<&Session> = Vec::new();
        let mut missing = Vec::new();
        if let Some(stars) = stars {
            for (id, star) in stars {
                let current = republished.get(id.as_str()).copied().unwrap_or(id);
                match calendar.position(current) {
                    Some(i) => starred.push(&calendar.sessions[i]),
                    None => missing.push((id.as_str(), star)),
                }
            }
        }
        starred.sort_by_key(|s| calendar.position(&s.id));
        starred.dedup_by(|a, b| a.id == b.id);
        let clashes = clash::find(&starred);
        let tight = min_gap.map_or_else(Vec::new, |gap| clash::tight_transitions(&starred, gap));
        let new_clashes = changes::new_clashes(&starred, &changes, stars_map);
        let position = starred
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Self {
            calendar,
            starred,
            missing,
            clashes,
            tight,
            changes,
            new_clashes,
            position,
            hidden: None,
        }
    }

    /// The plan, knowing which sessions the user hid (they are marked where shown).
    #[must_use]
    pub fn with_hidden(mut self, hidden: &'a BTreeSet<String>) -> Self {
        self.hidden = Some(hidden);
        self
    }

    /// Whether the user hid this session.
    pub fn is_hidden(&self, id: &str) -> bool {
        self.hidden.is_some_and(|h| h.contains(id))
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.position.contains_key(id)
    }

    /// Position of a starred session in [`Plan::starred`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.position.get(id).copied()
    }

    /// The starred sessions this one overlaps.
    pub fn clashes_with(&self, id: &str) -> Vec<&'a Session> {
        self.position(id)
            .map(|i| {
                self.clashes
                    .with(&self.starred, i)
                    .into_iter()
                    .map(|j| self.starred[j])
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn is_clashing(&self, id: &str) -> bool {
        self.position(id).is_some_and(|i| self.clashes.clashing(i))
    }

    /// The change to this session since it was starred, if any.
    pub fn change(&self, id: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.id == id)
    }

    /// The tight transition that arrives at this session, if any.
    pub fn tight_into(&self, id: &str) -> Option<(&'a Session, Duration)> {
        let i = self.position(id)?;
        self.tight
            .iter()
            .find(|t| t.to == i)
            .map(|t| (self.starred[t.from], t.gap))
    }

    /// Number of sessions that clash with another.
    pub fn clashing_count(&self) -> usize {
        (0..self.starred.len())
            .filter(|&i| self.clashes.clashing(i))
            .count()
    }
}

/// What a long-lived view (the TUI) keeps of a plan between changes: positions in the
/// calendar instead of references, so it can live beside the calendar it describes.
#[derive(Debug, Clone, Default)]
pub struct PlanIndex {
    /// Per calendar session: starred.
    pub starred: Vec<bool>,
    /// Per calendar session: starred and overlapping another starred session.
    pub clashing: Vec<bool>,
    /// Calendar positions of the starred sessions, in order.
    pub starred_list: Vec<usize>,
    clashes: Clashes,
    pub changes: Vec<Change>,
    pub new_clashes: Vec<NewClash>,
    /// Stars whose sessions left the calendar: id and snapshot.
    pub missing: Vec<(String, Star)>,
    /// Calendar position of a session reached by a tight change of room → where from, gap.
    pub tight_into: HashMap<usize, (usize, Duration)>,
    pub clash_count: usize,
}

impl PlanIndex {
    pub fn new(plan: &Plan) -> Self {
        let cal = plan.calendar;
        let n = cal.sessions.len();
        let at = |s: &Session| cal.position(&s.id).unwrap_or(0);
        let starred_list: Vec<usize> = plan.starred.iter().map(|s| at(s)).collect();
        let mut starred = vec![false; n];
        let mut clashing = vec![false; n];
        for (i, &pos) in starred_list.iter().enumerate() {
            starred[pos] = true;
            clashing[pos] = plan.clashes.clashing(i);
        }
        Self {
            clash_count: clashing.iter().filter(|c| **c).count(),
            starred,
            clashing,
            clashes: plan.clashes.clone(),
            changes: plan.changes.clone(),
            new_clashes: plan.new_clashes.clone(),
            missing: plan
                .missing
                .iter()
                .map(|(id, star)| ((*id).to_owned(), (*star).clone()))
                .collect(),
            tight_into: plan
                .tight
                .iter()
                .map(|t| (starred_list[t.to], (starred_list[t.from], t.gap)))
                .collect(),
            starred_list,
        }
    }

    pub fn is_starred(&self, pos: usize) -> bool {
        self.starred.get(pos).copied().unwrap_or(false)
    }

    pub fn is_clashing(&self, pos: usize) -> bool {
        self.clashing.get(pos).copied().unwrap_or(false)
    }

    /// Calendar positions of the starred sessions that `pos` overlaps.
    pub fn clashes_with(&self, cal: &Calendar, pos: usize) -> Vec<usize> {
        let Ok(i) = self.starred_list.binary_search(&pos) else {
            return Vec::new();
        };
        self.clashes
            .with_by(|j| &cal.sessions[self.starred_list[j]], i)
            .into_iter()
            .map(|j| self.starred_list[j])
            .collect()
    }

    /// The change to session `id` since it was starred.
    pub fn change(&self, id: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.id == id)
    }
}

impl<'a> Plan<'a> {
    /// The agenda of this plan (see [`Agenda`]).
    pub fn agenda(&'a self, only: Option<chrono::NaiveDate>) -> Agenda<'a> {
        Agenda::new(self, only)
    }
}
