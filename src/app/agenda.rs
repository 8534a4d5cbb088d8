//! The agenda view's rows, built from the plan whenever it changes (not per frame).

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Calendar;
use crate::export::agenda::{self, Entry};
use crate::plan::{Plan, Star};

/// One line of the agenda view.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Day(NaiveDate),
    Session {
        /// Position in the calendar.
        index: usize,
        mark: char,
        /// Notes under it: clashes, changes, tight transitions.
        notes: Vec<(char, String)>,
    },
    Free {
        /// The conference day it is on.
        day: NaiveDate,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    GoneHeading,
    Gone {
        id: String,
        star: Star,
        when: String,
    },
}

impl Row {
    /// Rows the cursor can stop on.
    pub fn selectable(&self) -> bool {
        matches!(self, Self::Session { .. } | Self::Gone { .. })
    }
}

/// The rows of the whole agenda.
pub fn rows(cal: &Calendar, plan: &Plan) -> Vec<Row> {
    let agenda = plan.agenda(None);
    let mut rows = Vec::new();
    for (day, entries) in &agenda.days {
        rows.push(Row::Day(*day));
        for entry in entries {
            rows.push(match entry {
                Entry::Free { from, to } => Row::Free {
                    day: *day,
                    from: *from,
                    to: *to,
                },
                Entry::Session(item) => Row::Session {
                    index: cal.position(&item.session.id).unwrap_or(0),
                    mark: item.mark(),
                    notes: agenda::notes(cal, item),
                },
            });
        }
    }
    if !agenda.gone.is_empty() {
        rows.push(Row::GoneHeading);
        for (id, star) in &agenda.gone {
            rows.push(Row::Gone {
                id: (*id).to_owned(),
                star: (*star).clone(),
                when: agenda::old_time(cal, star),
            });
        }
    }
    rows
}
