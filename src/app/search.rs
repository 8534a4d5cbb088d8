//! The search overlay's state: the query, the ranked hits, the cursor and paging. The index
//! ([`Searcher`]) is built once per calendar, on a thread of its own from the first time the
//! search opens (a session that never searches never pays its memory); until it is ready,
//! each keystroke reads the sessions once ([`search::search_once`]: the same hits), so no
//! keystroke waits for it.

use std::sync::Arc;
use std::thread::JoinHandle;

use crate::calendar::{Calendar, Session};
use crate::search::{self, Highlights, Hit, Searcher, Texts};

/// The index, or the thread building it, or the calendar it is to be built from.
#[derive(Default)]
enum Index {
    #[default]
    None,
    Wanted(Arc<Calendar>),
    Building(JoinHandle<Searcher>),
    Ready(Searcher),
}

/// Search as you type.
#[derive(Default)]
pub struct SearchState {
    /// The query as typed.
    pub query: String,
    /// Matching sessions, best first.
    pub hits: Vec<Hit>,
    /// Position in `hits` of the selected result.
    pub cursor: usize,
    /// The query `hits` answer (`query` may have changed since).
    answered: String,
    index: Index,
}

impl SearchState {
    /// An empty search for `calendar`, costing nothing until it opens ([`SearchState::start`]).
    pub fn new(calendar: &Arc<Calendar>) -> Self {
        Self {
            index: Index::Wanted(Arc::clone(calendar)),
            ..Self::default()
        }
    }

    /// Starts building the index on another thread, from the calendar shared with it, if
    /// that has not begun.
    pub fn start(&mut self) {
        let Index::Wanted(calendar) = &self.index else {
            return;
        };
        let shared = Arc::clone(calendar);
        if let Ok(handle) = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || Searcher::from_texts(&Texts::of(&shared)))
        {
            self.index = Index::Building(handle);
        }
    }

    /// The index, waiting for it (or building it here) if need be.
    pub fn prepare(&mut self, calendar: &Calendar) -> &Searcher {
        self.index = match std::mem::take(&mut self.index) {
            Index::Ready(searcher) => Index::Ready(searcher),
            Index::Building(handle) => {
                Index::Ready(handle.join().unwrap_or_else(|_| Searcher::new(calendar)))
            }
            Index::None | Index::Wanted(_) => Index::Ready(Searcher::new(calendar)),
        };
        match &self.index {
            Index::Ready(searcher) => searcher,
            _ => unreachable!("just made ready"),
        }
    }

    /// Whether the index is built (a thread building it that has finished counts).
    fn index_ready(&self) -> bool {
        match &self.index {
            Index::Ready(_) => true,
            Index::Building(handle) => handle.is_finished(),
            Index::None | Index::Wanted(_) => false,
        }
    }

    /// Runs the query over the sessions `keep` accepts; the cursor goes to the best hit.
    /// Until the index is ready, the sessions are read once for the query instead.
    pub fn run(&mut self, calendar: &Calendar, keep: impl Fn(&Session) -> bool) {
        let query = std::mem::take(&mut self.query);
        self.start();
        self.hits = if self.index_ready() {
            self.prepare(calendar).search(calendar, &query, keep)
        } else {
            search::search_once(calendar, &query, keep)
        };
        self.query = query;
        self.answered.clone_from(&self.query);
        self.cursor = 0;
    }

    /// Clears the query and the results (the search starts afresh).
    pub fn reset(&mut self) {
        self.query.clear();
        self.answered.clear();
        self.hits.clear();
        self.cursor = 0;
    }

    /// Whether the query has words and nothing matched them: the overlay says "no match".
    pub fn no_match(&self) -> bool {
        self.hits.is_empty() && !self.answered.trim().is_empty()
    }

    /// The selected result.
    pub fn selected(&self) -> Option<&Hit> {
        self.hits.get(self.cursor)
    }

    /// The previous result.
    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// The next result.
    pub fn down(&mut self) {
        self.cursor = (self.cursor + 1).min(self.hits.len().saturating_sub(1));
    }

    /// A page of `rows` results earlier (`pages` < 0) or later (> 0), keeping the cursor's
    /// row on the page; stops at the first and last result.
    pub fn page(&mut self, pages: isize, rows: usize) {
        let step = rows.max(1).saturating_mul(pages.unsigned_abs());
        self.cursor = if pages < 0 {
            self.cursor.saturating_sub(step)
        } else {
            self.cursor
                .saturating_add(step)
                .min(self.hits.len().saturating_sub(1))
        };
    }

    /// The first result.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// The last result.
    pub fn end(&mut self) {
        self.cursor = self.hits.len().saturating_sub(1);
    }

    /// The first result shown when `rows` fit: results are shown a page at a time, the
    /// page that holds the cursor.
    pub fn first_shown(&self, rows: usize) -> usize {
        let rows = rows.max(1);
        self.cursor - self.cursor % rows
    }

    /// What to highlight in `session` for the query the hits answer.
    pub fn highlights(&self, session: &Session) -> Highlights {
        search::highlights(session, &self.answered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    #[test]
    fn the_index_is_built_only_once_searched_and_answers_as_a_single_read_does() {
        let cal = Arc::new(Calendar::bundled(None, Tz::UTC));
        let mut state = SearchState::new(&cal);
        assert!(matches!(state.index, Index::Wanted(_)), "nothing built yet");
        state.query = "helion".into();
        state.run(&cal, |_| true);
        assert!(
            !matches!(state.index, Index::Wanted(_)),
            "started by a search"
        );
        let index = state.prepare(&cal);
        // What a keystroke before the index is ready gets is what the index gives.
        for q in [
            "helion",
            "ke wen",
            "distributed training",
            "helin",
            "k",
            "zzqq",
        ] {
            let keep = |s: &Session| !s.title.starts_with("Keynote");
            assert_eq!(
                search::search_once(&cal, q, keep),
                index.search(&cal, q, keep),
                "{q}"
            );
        }
    }

    #[test]
    fn paging_through_results() {
        let cal = Arc::new(Calendar::bundled(None, Tz::UTC));
        let mut state = SearchState::new(&cal);
        state.query = "a".into();
        state.run(&cal, |_| true);
        let n = state.hits.len();
        assert!(n > 25, "{n}");
        state.page(1, 10);
        assert_eq!((state.cursor, state.first_shown(10)), (10, 10));
        state.down();
        assert_eq!((state.cursor, state.first_shown(10)), (11, 10));
        state.page(-1, 10);
        assert_eq!((state.cursor, state.first_shown(10)), (1, 0));
        state.page(-1, 10);
        assert_eq!(state.cursor, 0);
        state.up();
        assert_eq!(state.cursor, 0);
        state.end();
        assert_eq!(state.cursor, n - 1);
        state.page(1, 10);
        assert_eq!(state.cursor, n - 1);
        state.home();
        assert_eq!(state.cursor, 0);
        assert!(!state.no_match());
        state.query = "qqqqzzz".into();
        state.run(&cal, |_| true);
        assert!(state.no_match());
        state.end();
        state.page(1, 0);
        assert_eq!(state.cursor, 0);
        state.reset();
        assert!(!state.no_match());
    }
}
