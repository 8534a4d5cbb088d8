//! A day of the programme laid out as a room-by-time grid: a column per room (busiest rooms
//! first), sessions that overlap in one room side by side in lanes, long sessions apart in a
//! strip. Positions are in minutes from the grid's origin, so zooming needs no new layout.
//! Computed once per day and filter, then read by navigation and by the grid widget.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};

use crate::calendar::{Calendar, time};

/// A session placed on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Position in [`Calendar::sessions`].
    pub index: usize,
    pub column: usize,
    /// Which of `lanes` side-by-side places in the column it takes.
    pub lane: u16,
    pub lanes: u16,
    /// Minutes from the grid's origin.
    pub start: i64,
    pub end: i64,
}

/// A room's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub room: String,
    /// Indices into [`DayLayout::placed`], by start then lane.
    pub sessions: Vec<usize>,
    /// The most sessions side by side in the room at any time of the day.
    pub max_lanes: u16,
}

/// One day of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayLayout {
    pub date: NaiveDate,
    /// The top of the grid: the first hour with a session.
    pub origin: DateTime<Utc>,
    /// How many minutes the grid spans.
    pub minutes: i64,
    pub columns: Vec<Column>,
    pub placed: Vec<Placed>,
    /// Sessions of three hours or more, shown in the strip above the grid, by start.
    pub background: Vec<usize>,
    /// Every session of the day shown, by start (then column and lane): the list view.
    pub order: Vec<usize>,
    by_index: HashMap<usize, usize>,
}

/// Where a session is: in the strip (its position there) or on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    Strip(usize),
    Grid(usize),
}

impl DayLayout {
    /// A day with nothing on it.
    pub fn empty() -> Self {
        Self {
            date: NaiveDate::default(),
            origin: DateTime::<Utc>::default(),
            minutes: 60,
            columns: Vec::new(),
            placed: Vec::new(),
            background: Vec::new(),
            order: Vec::new(),
            by_index: HashMap::new(),
        }
    }

    /// Lays out the sessions of `date` (`sessions`, calendar positions, all on that day)
    /// that `visible` accepts; `rank` orders rooms (busiest first).
    pub fn new(
        cal: &Calendar,
        date: NaiveDate,
        sessions: &[usize],
        visible: impl Fn(usize) -> bool,
        rank: &HashMap<&str, usize>,
    ) -> Self {
        let mut grid: Vec<usize> = Vec::new();
        let mut background = Vec::new();
        for &i in sessions {
            let s = &cal.sessions[i];
            if !visible(i) {
                continue;
            }
            if s.is_background() {
                background.push(i);
            } else {
                grid.push(i);
            }
        }
        let first = grid.iter().map(|&i| cal.sessions[i].start).min();
        let last = grid.iter().map(|&i| cal.sessions[i].end).max();
        let origin = match first {
            Some(t) => {
                let local = cal.local(t);
                let hour = local.date_naive().and_time(
                    NaiveTime::from_hms_opt(local.hour(), 0, 0).unwrap_or(NaiveTime::MIN),
                );
                time::local_to_utc(hour, cal.zone)
            }
            None => time::local_to_utc(date.and_time(NaiveTime::MIN), cal.zone),
        };
        let minutes = last.map_or(60, |end| {
            let span = (end - origin).num_minutes().max(1);
            (span + 59) / 60 * 60
        });

        let mut rooms: Vec<&str> = grid
            .iter()
            .map(|&i| cal.sessions[i].room.as_str())
            .collect();
        rooms.sort_unstable_by_key(|r| (rank.get(r).copied().unwrap_or(usize::MAX), *r));
        rooms.dedup();
        let column_of: HashMap<&str, usize> =
            rooms.iter().enumerate().map(|(c, r)| (*r, c)).collect();

        let mut by_column: Vec<Vec<usize>> = vec![Vec::new(); rooms.len()];
        for &i in &grid {
            by_column[column_of[cal.sessions[i].room.as_str()]].push(i);
        }
        let minute = |t: DateTime<Utc>| (t - origin).num_minutes();
        let mut placed = Vec::with_capacity(grid.len());
        let mut columns = Vec::with_capacity(rooms.len());
        for (column, mut members) in by_column.into_iter().enumerate() {
            members.sort_by_key(|&i| (cal.sessions[i].start, cal.sessions[i].end, i));
            let first_placed = placed.len();
            place_column(
                &members,
                column,
                |i| {
                    let s = &cal.sessions[i];
                    (minute(s.start), minute(s.end).max(minute(s.start) + 1))
                },
                &mut placed,
            );
            let mut sessions: Vec<usize> = (first_placed..placed.len()).collect();
            sessions.sort_by_key(|&p| (placed[p].start, placed[p].lane));
            let max_lanes = placed[first_placed..]
                .iter()
                .map(|p| p.lanes)
                .max()
                .unwrap_or(1);
            columns.push(Column {
                room: rooms[column].to_owned(),
                sessions,
                max_lanes,
            });
        }
        let by_index = placed
            .iter()
            .enumerate()
            .map(|(p, pl)| (pl.index, p))
            .collect();
        let mut order: Vec<(DateTime<Utc>, usize, u16, usize)> = placed
            .iter()
            .map(|p| (cal.sessions[p.index].start, p.column + 1, p.lane, p.index))
            .chain(background.iter().map(|&i| (cal.sessions[i].start, 0, 0, i)))
            .collect();
        order.sort_unstable();
        Self {
            date,
            origin,
            minutes,
            columns,
            placed,
            background,
            order: order.into_iter().map(|(_, _, _, i)| i).collect(),
            by_index,
        }
    }

    /// The most sessions side by side in `column` at any time of the day.
    pub fn max_lanes(&self, column: usize) -> u16 {
        self.columns.get(column).map_or(1, |c| c.max_lanes)
    }

    /// The last session of the grid: the latest to start (else the last in the strip).
    pub fn last(&self) -> Option<usize> {
        self.placed
            .iter()
            .max_by_key(|p| (p.start, std::cmp::Reverse(p.column), p.lane))
            .map(|p| p.index)
            .or_else(|| self.background.last().copied())
    }

    /// Where session `index` (a calendar position) is on this day, if it is.
    pub fn spot(&self, index: usize) -> Option<Spot> {
        if let Some(&p) = self.by_index.get(&index) {
            return Some(Spot::Grid(p));
        }
        self.background
            .iter()
            .position(|&b| b == index)
            .map(Spot::Strip)
    }

    /// Where session `index` is in the grid, if it is (not in the strip of long ones).
    pub fn placed(&self, index: usize) -> Option<Placed> {
        self.by_index.get(&index).map(|&p| self.placed[p])
    }

    pub fn is_empty(&self) -> bool {
        self.placed.is_empty() && self.background.is_empty()
    }

    /// The first session to select: the earliest on the grid, else the first in the strip.
    pub fn first(&self) -> Option<usize> {
        self.placed
            .iter()
            .min_by_key(|p| (p.start, p.column, p.lane))
            .map(|p| p.index)
            .or_else(|| self.background.first().copied())
    }

    /// Minutes from the origin of an instant.
    pub fn minute_of(&self, t: DateTime<Utc>) -> i64 {
        (t - self.origin).num_minutes()
    }

    /// The instant `minutes` after the origin.
    pub fn at(&self, minutes: i64) -> DateTime<Utc> {
        self.origin + Duration::minutes(minutes)
    }

    fn placed_at(&self, column: usize, k: usize) -> &Placed {
        &self.placed[self.columns[column].sessions[k]]
    }

    /// Position of a placed session within its column's list.
    fn rank_in_column(&self, p: usize) -> usize {
        let column = &self.columns[self.placed[p].column];
        column.sessions.iter().position(|&q| q == p).unwrap_or(0)
    }

    /// The previous (`-1`) or next (`+1`) session in the same room.
    pub fn vertical(&self, index: usize, step: isize) -> Option<usize> {
        let p = *self.by_index.get(&index)?;
        let column = self.placed[p].column;
        let k = self.rank_in_column(p).checked_add_signed(step)?;
        (k < self.columns[column].sessions.len()).then(|| self.placed_at(column, k).index)
    }

    /// The session in `column` nearest in time to `minute` (overlapping it if any does).
    pub fn nearest_in_column(
        &self,
        column: usize,
        minute: i64,
        lane: Option<u16>,
    ) -> Option<usize> {
        self.columns
            .get(column)?
            .sessions
            .iter()
            .map(|&p| &self.placed[p])
            .filter(|pl| lane.is_none_or(|l| pl.lane == l))
            .min_by_key(|pl| {
                let distance = if pl.start <= minute && minute < pl.end {
                    0
                } else {
                    (pl.start - minute).abs().min((pl.end - 1 - minute).abs())
                };
                (distance, pl.lane)
            })
            .map(|pl| pl.index)
    }

    /// The nearest session to the left (`-1`) or right (`+1`): the next lane of the same room
    /// when the session shares its column, else the neighbouring room.
    pub fn horizontal(&self, index: usize, step: isize) -> Option<usize> {
        let p = *self.by_index.get(&index)?;
        let pl = self.placed[p];
        let middle = pl.start.midpoint(pl.end);
        let lane = i32::from(pl.lane) + i32::try_from(step).unwrap_or(0);
        if (0..i32::from(pl.lanes)).contains(&lane) {
            let lane = u16::try_from(lane).ok()?;
            if let Some(found) = self
                .nearest_in_column(pl.column, middle, Some(lane))
                .filter(|&i| {
                    let q = self.placed[self.by_index[&i]];
                    q.start < pl.end && pl.start < q.end
                })
            {
                return Some(found);
            }
        }
        let column = pl.column.checked_add_signed(step)?;
        self.nearest_in_column(column, middle, None)
    }

    /// The session a page (`minutes`) earlier or later in the same room.
    pub fn page(&self, index: usize, minutes: i64) -> Option<usize> {
        let p = *self.by_index.get(&index)?;
        let pl = self.placed[p];
        let target = pl.start + minutes;
        let room = &self.columns[pl.column].sessions;
        let beside = room.iter().position(|&q| q == p).and_then(|k| {
            let k = if minutes < 0 {
                k.checked_sub(1)?
            } else {
                k + 1
            };
            room.get(k).map(|&q| self.placed[q].index)
        });
        self.nearest_in_column(pl.column, target, None)
            .filter(|&i| i != index)
            .or(beside)
            .or_else(|| {
                // Nothing else in this room (the evening's one event): the session nearest
                // that time in any room, on that side.
                self.placed
                    .iter()
                    .filter(|q| {
                        q.index != index
                            && if minutes < 0 {
                                q.start < pl.start
                            } else {
                                q.start > pl.start
                            }
                    })
                    .min_by_key(|q| ((q.start - target).abs(), q.column))
                    .map(|q| q.index)
            })
    }

    /// The first or last session of the same room.
    pub fn end_of_column(&self, index: usize, last: bool) -> Option<usize> {
        let p = *self.by_index.get(&index)?;
        let sessions = &self.columns[self.placed[p].column].sessions;
        let k = if last {
            sessions.len().checked_sub(1)?
        } else {
            0
        };
        Some(self.placed[sessions[k]].index)
    }
}

/// Places a room's sessions (sorted by start) in lanes: overlapping sessions share the column,
/// each taking the first free lane, and a cluster of overlaps splits the column into as many
/// lanes as it needs. Free lanes are kept in a heap and a set, so a room of thousands of
/// sessions at once costs O(n log n), not O(n²).
fn place_column(
    members: &[usize],
    column: usize,
    span: impl Fn(usize) -> (i64, i64),
    placed: &mut Vec<Placed>,
) {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap};
    let mut busy: BinaryHeap<(Reverse<i64>, usize)> = BinaryHeap::new();
    let mut free: BTreeSet<usize> = BTreeSet::new();
    let mut lanes = 0usize;
    let mut cluster_start = placed.len();
    let mut cluster_end = i64::MIN;
    for &i in members {
        let (start, end) = span(i);
        if start >= cluster_end {
            close_cluster(&mut placed[cluster_start..], lanes);
            busy.clear();
            free.clear();
            lanes = 0;
            cluster_start = placed.len();
        }
        while let Some(&(Reverse(e), lane)) = busy.peek() {
            if e > start {
                break;
            }
            busy.pop();
            free.insert(lane);
        }
        let lane = free.pop_first().unwrap_or_else(|| {
            lanes += 1;
            lanes - 1
        });
        busy.push((Reverse(end), lane));
        cluster_end = cluster_end.max(end);
        placed.push(Placed {
            index: i,
            column,
            lane: u16::try_from(lane).unwrap_or(u16::MAX),
            lanes: 1,
            start,
            end,
        });
    }
    close_cluster(&mut placed[cluster_start..], lanes);
}

fn close_cluster(cluster: &mut [Placed], lanes: usize) {
    let lanes = u16::try_from(lanes.max(1)).unwrap_or(u16::MAX);
    for p in cluster {
        p.lanes = lanes;
    }
}

/// Rooms ranked by how many sessions the whole calendar holds in them (busiest first).
pub fn room_rank(cal: &Calendar) -> HashMap<&str, usize> {
    cal.rooms()
        .into_iter()
        .enumerate()
        .map(|(i, (room, _))| (room, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn bundled_day1() -> (Calendar, DayLayout) {
        let cal = Calendar::bundled(None, Tz::UTC);
        let date = cal.days()[0];
        let rank = room_rank(&cal);
        let sessions: Vec<usize> = (0..cal.sessions.len())
            .filter(|&i| cal.day_of(&cal.sessions[i]) == date)
            .collect();
        let layout = DayLayout::new(&cal, date, &sessions, |_| true, &rank);
        (cal, layout)
    }

    fn index(cal: &Calendar, title: &str) -> usize {
        cal.sessions
            .iter()
            .position(|s| s.title.starts_with(title))
            .unwrap()
    }

    #[test]
    fn columns_are_rooms_busiest_first_and_long_sessions_go_to_the_strip() {
        let (cal, layout) = bundled_day1();
        let rooms: Vec<&str> = layout.columns.iter().map(|c| c.room.as_str()).collect();
        assert_eq!(
            rooms[..3],
            ["Master Stage", "Central Room", "Founders Cafe"]
        );
        let strip: Vec<&str> = layout
            .background
            .iter()
            .map(|&i| cal.sessions[i].title.as_str())
            .collect();
        assert_eq!(
            strip,
            vec!["Registration & Badge Pick-Up", "Community Expo"]
        );
        assert_eq!(
            cal.local(layout.origin).format("%H:%M").to_string(),
            "09:00"
        );
    }

    #[test]
    fn overlapping_sessions_in_one_room_share_it_in_lanes() {
        let (cal, layout) = bundled_day1();
        let coffee = layout.placed[layout.by_index[&index(&cal, "Coffee Break")]];
        let bof = layout.placed[layout.by_index[&index(&cal, "Birds of A Feather: Engineering")]];
        assert_eq!((coffee.lanes, bof.lanes), (3, 3));
        assert_ne!(coffee.lane, bof.lane);
        let helion = layout.placed[layout.by_index[&index(&cal, "Helion 1.0")]];
        assert_eq!(helion.lanes, 1);
    }

    #[test]
    fn moving_between_sessions() {
        let (cal, layout) = bundled_day1();
        let helion = index(&cal, "Helion 1.0");
        let tour = index(&cal, "Tour De Force");
        assert_eq!(layout.vertical(helion, 1), Some(tour));
        assert_eq!(layout.vertical(tour, -1), Some(helion));
        // Right of Helion (Master Stage, 11:00) is the Central Room talk at 11:00.
        let right = layout.horizontal(helion, 1).unwrap();
        assert_eq!(cal.sessions[right].room, "Central Room");
        assert_eq!(
            cal.local(cal.sessions[right].start)
                .format("%H:%M")
                .to_string(),
            "11:00"
        );
        assert_eq!(layout.horizontal(right, -1), Some(helion));
        assert_eq!(
            layout.horizontal(helion, -1),
            None,
            "Master Stage is the first column"
        );
        // Lanes: from one of the three 10:30 sessions in the Open Platform, right goes to
        // its neighbour in the same room first.
        let coffee = index(&cal, "Coffee Break");
        let next = layout.horizontal(coffee, 1).unwrap();
        assert_eq!(cal.sessions[next].room, "Open Platform");
    }
}
