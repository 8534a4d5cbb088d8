//! The report of what changed for the user's starred sessions: moved, renamed, cancelled,
//! gone, re-published, and the clashes the changes caused. Shared by `hallway changes`,
//! `hallway print` and the TUI's popup.

use std::fmt::Write;

use super::agenda::old_time;
use super::time_range;
use crate::calendar::Calendar;
use crate::plan::{Change, Plan};

/// One entry of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `moved`, `renamed`, `cancelled`, `gone`, `re-published`, `new clash`.
    pub kind: &'static str,
    pub title: String,
    /// `was …` / `now …` lines.
    pub details: Vec<String>,
}

/// `Tue 7 Apr 11:00–11:25, Master Stage`.
fn where_when(cal: &Calendar, id: &str) -> Option<String> {
    let s = cal.get(id)?;
    Some(format!(
        "{} {}, {}",
        super::day_label(cal, s),
        time_range(cal, s),
        s.room
    ))
}

fn entry(cal: &Calendar, c: &Change) -> Entry {
    let now = where_when(cal, &c.id);
    let was = format!("{}, {}", old_time(cal, &c.old), c.old.room);
    let session = cal.get(&c.id);
    let title = session.map_or_else(|| c.old.title.clone(), |s| s.title.to_string());
    let mut details = Vec::new();
    let kind = if c.gone {
        details.push(format!(
            "was {was}; no longer in the schedule (your star is kept)"
        ));
        "gone"
    } else if c.cancelled {
        details.push(format!("{}: cancelled", now.clone().unwrap_or_default()));
        "cancelled"
    } else if c.moved || c.room_changed {
        details.push(format!("was {was}"));
        details.push(format!("now {}", now.clone().unwrap_or_default()));
        "moved"
    } else if c.renamed {
        "renamed"
    } else {
        "re-published"
    };
    if c.renamed && !c.gone {
        details.push(format!("was called “{}”", c.old.title));
    }
    if let Some(from) = &c.republished_from {
        details.push(format!(
            "re-published under a new id ({} → {}); your star moved with it",
            from, c.id
        ));
    }
    Entry {
        kind,
        title,
        details,
    }
}

/// Every change and every clash the changes caused, in programme order.
pub fn report(plan: &Plan) -> Vec<Entry> {
    let cal = plan.calendar;
    let mut entries: Vec<Entry> = plan.changes.iter().map(|c| entry(cal, c)).collect();
    for clash in &plan.new_clashes {
        let name = |id: &str| {
            cal.get(id).map_or_else(String::new, |s| {
                format!(
                    "{} ({} {}, {})",
                    s.title,
                    cal.local(s.start).format("%a"),
                    time_range(cal, s),
                    s.room
                )
            })
        };
        entries.push(Entry {
            kind: "new clash",
            title: name(&clash.a),
            details: vec![format!("now clashes with {}", name(&clash.b))],
        });
    }
    entries
}

/// The report as text for `hallway changes`.
pub fn text(plan: &Plan) -> String {
    let cal = plan.calendar;
    let entries = report(plan);
    let mut out = String::new();
    if entries.is_empty() {
        let _ = writeln!(
            out,
            "No changes to your {} starred sessions since you last looked.",
            plan.starred.len() + plan.missing.len()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "What changed for your starred sessions in {}; times in {}:",
        cal.name,
        super::zone_label(cal)
    );
    for e in &entries {
        let _ = writeln!(out, "\n{:<13}{}", e.kind, e.title);
        for d in &e.details {
            let _ = writeln!(out, "{:13}{d}", "");
        }
    }
    let _ = writeln!(out, "\nAcknowledge with: hallway changes --accept");
    out
}
