//! Sessions by id: the xxh3 digest of each id with the session's place, sorted by digest.
//! Built in one sort when a calendar is read, and kept in its snapshot, so loading one
//! hashes no id.

use super::Session;

/// Where each session is, by id.
#[derive(Debug, Clone, Default)]
pub(super) struct IdIndex(Vec<(u64, u32)>);

fn digest(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

impl IdIndex {
    pub(super) fn new(sessions: &[Session]) -> Self {
        let mut entries: Vec<(u64, u32)> = sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (digest(&s.id), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        entries.sort_unstable();
        Self(entries)
    }

    /// Each session's id digest, in the sessions' order.
    pub(super) fn digests(sessions: &[Session]) -> Vec<u64> {
        sessions.iter().map(|s| digest(&s.id)).collect()
    }

    /// The index of sessions whose ids have these `digests` (see [`IdIndex::digests`]),
    /// taken before the sessions were moved: each to its `place`.
    pub(super) fn of_digests(digests: &[u64], place: &[u32]) -> Self {
        let mut entries: Vec<(u64, u32)> =
            digests.iter().copied().zip(place.iter().copied()).collect();
        entries.sort_unstable();
        Self(entries)
    }

    /// Whether two of `sessions`, which this indexes, have the same id: only sessions with
    /// the same digest are compared, each run of them in one pass.
    pub(super) fn repeats(&self, sessions: &[Session]) -> bool {
        self.0.chunk_by(|a, b| a.0 == b.0).any(|same| {
            let mut ids = rustc_hash::FxHashSet::default();
            same.len() > 1
                && !same.iter().all(|&(_, at)| {
                    sessions
                        .get(at as usize)
                        .is_none_or(|s| ids.insert(s.id.as_str()))
                })
        })
    }

    /// An index of these entries (a snapshot's), when every place is one of `sessions`.
    pub(super) fn from_entries(entries: Vec<(u64, u32)>, sessions: usize) -> Option<Self> {
        entries
            .iter()
            .all(|&(_, at)| (at as usize) < sessions)
            .then_some(Self(entries))
    }

    pub(super) fn entries(&self) -> &[(u64, u32)] {
        &self.0
    }

    /// The place of the session with this id.
    pub(super) fn find(&self, sessions: &[Session], id: &str) -> Option<usize> {
        let key = digest(id);
        let from = self.0.partition_point(|&(d, _)| d < key);
        self.0[from..]
            .iter()
            .take_while(|&&(d, _)| d == key)
            .map(|&(_, at)| at as usize)
            .find(|&at| sessions.get(at).is_some_and(|s| s.id == id))
    }
}
