//! The search overlay's state: the query, the ranked hits, the cursor. Typing that extends
//! the query searches only among the previous hits.

use crate::calendar::{Calendar, Session};
use crate::search::{self, Hit, Searcher};

/// Search as you type.
pub struct SearchState {
    pub query: String,
    pub hits: Vec<Hit>,
    pub cursor: usize,
    /// The query `hits` answer.
    answered: String,
    /// Earlier answers while typing, so erasing a letter shows them again at once.
    history: Vec<(String, Vec<Hit>)>,
    searcher: Searcher,
}

impl SearchState {
    pub fn new(calendar: &Calendar) -> Self {
        Self {
            query: String::new(),
            hits: Vec::new(),
            cursor: 0,
            answered: String::new(),
            history: Vec::new(),
            searcher: Searcher::new(calendar),
        }
    }

    /// Runs the query over the sessions `keep` accepts.
    pub fn run(&mut self, calendar: &Calendar, keep: impl Fn(&Session) -> bool) {
        if let Some(at) = self.history.iter().rposition(|(q, _)| *q == self.query) {
            self.history.truncate(at + 1);
            let (query, hits) = self.history.pop().unwrap_or_default();
            self.answered = query;
            self.hits = hits;
            self.cursor = 0;
            return;
        }
        if !self.answered.is_empty() {
            self.history
                .push((self.answered.clone(), std::mem::take(&mut self.hits)));
            self.history.truncate(64);
        }
        let previous = self.history.last().map(|(q, h)| (q.as_str(), h));
        self.hits = if let Some((answered, hits)) =
            previous.filter(|(q, _)| search::narrows(q, &self.query))
        {
            let _ = answered;
            let mut candidates: Vec<usize> = hits.iter().map(|h| h.index).collect();
            candidates.sort_unstable();
            self.searcher
                .search_among(calendar, &self.query, keep, candidates.into_iter())
        } else {
            self.searcher.search(calendar, &self.query, keep)
        };
        self.answered.clone_from(&self.query);
        self.cursor = 0;
    }

    /// Forgets the last answer (the filter changed, or the search starts afresh).
    pub fn reset(&mut self) {
        self.query.clear();
        self.answered.clear();
        self.history.clear();
        self.hits.clear();
        self.cursor = 0;
    }

    /// Character positions of the query in `text`, to highlight.
    pub fn positions(&self, text: &str) -> Vec<usize> {
        self.searcher.positions(text, &self.query)
    }
}
