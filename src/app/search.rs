//! The search overlay's state: the query, the ranked hits, the cursor.

use crate::calendar::{Calendar, Session};
use crate::search::{Hit, Searcher};

/// Search as you type.
pub struct SearchState {
    pub query: String,
    pub hits: Vec<Hit>,
    pub cursor: usize,
    searcher: Searcher,
}

impl SearchState {
    pub fn new(calendar: &Calendar) -> Self {
        Self {
            query: String::new(),
            hits: Vec::new(),
            cursor: 0,
            searcher: Searcher::new(calendar),
        }
    }

    /// Runs the query over the sessions `keep` accepts.
    pub fn run(&mut self, calendar: &Calendar, keep: impl Fn(&Session) -> bool) {
        self.hits = self.searcher.search(calendar, &self.query, keep);
        self.cursor = 0;
    }

    /// Character positions of the query in `text`, to highlight.
    pub fn positions(&self, text: &str) -> Vec<usize> {
        self.searcher.positions(text, &self.query)
    }
}
