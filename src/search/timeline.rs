//! The timeline of a search: how many quotations match per year, month or day, with undated
//! quotations counted apart, so that the buckets and `undated` add up to the search's count.
//!
//! Counts come from the date fast field, segment by segment, over the documents the query
//! matches (a collector, never a read of stored documents), first per day and then grouped into
//! intervals. The one place that knows how a stored date becomes a day is [`Days`]'s column
//! reading (`day_of`); the rest works on days since 1970-01-01. Per-segment counts are kept in
//! [`SegmentParts`] by `quoth serve`. Used by `quoth timeline`, `/api/timeline` and the speaker
//! pages; data only.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::EnableScoring;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::filters::compile;
use super::parts::SegmentParts;
use super::query::{filters_key, InvalidQuery, SearchQuery};
use crate::article::Date;
use crate::index::{schema, QuoteIndex};

/// Most intervals an automatic choice makes: the finest interval with at most this many
/// between the first and the last dated match is taken.
pub const AUTO_BUCKETS: i64 = 60;
/// Most intervals a timeline may have (a `by=day` over centuries is refused, not drawn).
pub const MAX_BUCKETS: i64 = 20_000;

/// The length of a timeline's intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Year,
    Month,
    Day,
}

impl Interval {
    /// `year`, `month` or `day`.
    pub fn parse(s: &str) -> Option<Interval> {
        match s.trim().to_ascii_lowercase().as_str() {
            "year" => Some(Interval::Year),
            "month" => Some(Interval::Month),
            "day" => Some(Interval::Day),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Interval::Year => "year",
            Interval::Month => "month",
            Interval::Day => "day",
        }
    }

    /// The number of this interval holding `date`, counted from an arbitrary origin: two dates
    /// are in the same interval when their numbers are equal, in neighbours when they differ by 1.
    fn number(self, date: Date) -> i64 {
        match self {
            Interval::Year => date.year() as i64,
            Interval::Month => date.year() as i64 * 12 + date.month() as i64 - 1,
            Interval::Day => day_number(date),
        }
    }

    /// The first and last day of interval `n` (see `number`).
    fn bounds(self, n: i64) -> Option<(Date, Date)> {
        match self {
            Interval::Year => {
                let y = i16::try_from(n).ok()?;
                Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?))
            }
            Interval::Month => {
                let y = i16::try_from(n.div_euclid(12)).ok()?;
                let first = Date::new(y, (n.rem_euclid(12) + 1) as i8, 1).ok()?;
                Some((first, first.last_of_month()))
            }
            Interval::Day => {
                let d = date_of_day(n)?;
                Some((d, d))
            }
        }
    }

    /// How `date`'s interval is written: `2023`, `2023-06` or `2023-06-21`.
    fn label(self, first: Date) -> String {
        match self {
            Interval::Year => format!("{:04}", first.year()),
            Interval::Month => format!("{:04}-{:02}", first.year(), first.month()),
            Interval::Day => first.to_string(),
        }
    }
}

/// One interval of a timeline: its first and last day (inclusive, as `since` and `until` of a
/// search that narrows to it) and the number of matching quotations dated in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub label: String,
    pub since: Date,
    pub until: Date,
    pub count: u64,
}

/// Matching quotations per interval. `total` is the search's count: the buckets' counts plus
/// `undated`. Intervals run without gaps from the first dated match to the last (empty ones
/// count 0); no dated match, no buckets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub by: Interval,
    pub total: u64,
    pub undated: u64,
    pub buckets: Vec<Bucket>,
}

/// The timeline of `q` with a fresh searcher; `by` chosen from the dates when `None`.
pub fn timeline(idx: &QuoteIndex, q: &SearchQuery, by: Option<Interval>) -> Result<Timeline> {
    timeline_in(idx, &idx.reader.searcher(), q, by, None)
}

/// [`timeline`] on `searcher`; with `parts`, the per-day counts of segments seen before come
/// from there and only new segments are read.
pub fn timeline_in(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &SearchQuery,
    by: Option<Interval>,
    parts: Option<&SegmentParts>,
) -> Result<Timeline> {
    let c = compile(idx, q)?;
    let key = format!("days {}", filters_key(q));
    if let Some(p) = parts {
        // Drops the parts of segments merged away since the last search.
        p.begin(searcher, &key);
    }
    let weight = c.query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut days = Days::default();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let part = match parts.and_then(|p| p.get::<Days>(&key, segment)) {
            Some(part) => part,
            None => {
                let part = Arc::new(DayCounts.collect_segment(&*weight, ord as u32, segment)?);
                if let Some(p) = parts {
                    p.insert(&key, segment, part.clone(), part.bytes());
                }
                part
            }
        };
        days.add(&part);
    }
    group(&days, by)
}

/// Quotations per day (days since 1970-01-01) and undated ones: the part of one segment, or
/// the sum of several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Days {
    per_day: BTreeMap<i64, u64>,
    undated: u64,
}

impl Days {
    fn add(&mut self, other: &Days) {
        for (day, n) in &other.per_day {
            *self.per_day.entry(*day).or_default() += n;
        }
        self.undated += other.undated;
    }

    fn bytes(&self) -> usize {
        self.per_day.len() * 48 + 64
    }
}

/// Groups per-day counts into intervals of `by`, or of the finest interval that makes at most
/// [`AUTO_BUCKETS`] intervals.
fn group(days: &Days, by: Option<Interval>) -> Result<Timeline> {
    let dated: u64 = days.per_day.values().sum();
    let total = dated + days.undated;
    let span = match (days.per_day.first_key_value(), days.per_day.last_key_value()) {
        (Some((&first, _)), Some((&last, _))) => date_of_day(first).zip(date_of_day(last)),
        _ => None,
    };
    let Some((first, last)) = span else {
        let by = by.unwrap_or(Interval::Year);
        return Ok(Timeline { by, total, undated: days.undated, buckets: Vec::new() });
    };
    let count = |i: Interval| i.number(last) - i.number(first) + 1;
    let by = by.unwrap_or_else(|| {
        [Interval::Day, Interval::Month]
            .into_iter()
            .find(|&i| count(i) <= AUTO_BUCKETS)
            .unwrap_or(Interval::Year)
    });
    let n = count(by);
    if n > MAX_BUCKETS {
        // The request's mistake: a 400 in `quoth serve`.
        return Err(InvalidQuery(format!(
            "a timeline by {} from {first} to {last} would have {n} intervals (at most {MAX_BUCKETS}): narrow the dates or use a longer interval",
            by.name()
        ))
        .into());
    }
    let origin = by.number(first);
    let mut counts = vec![0u64; n as usize];
    for (&day, &c) in &days.per_day {
        if let Some(d) = date_of_day(day) {
            counts[(by.number(d) - origin) as usize] += c;
        }
    }
    let mut buckets = Vec::with_capacity(counts.len());
    for (i, count) in counts.into_iter().enumerate() {
        let Some((since, until)) = by.bounds(origin + i as i64) else { continue };
        buckets.push(Bucket { label: by.label(since), since, until, count });
    }
    Ok(Timeline { by, total, undated: days.undated, buckets })
}

/// Days since 1970-01-01 of a stored date value: dates are stored as that day number
/// (`index::schema::date_days`); this and the column `DayCounts` opens are all that know it.
fn day_of(value: i64) -> i64 {
    value
}

/// Days since 1970-01-01 of a calendar date.
fn day_number(date: Date) -> i64 {
    schema::date_days(date)
}

/// The calendar date `day` days after 1970-01-01, if a date can hold it.
fn date_of_day(day: i64) -> Option<Date> {
    schema::date_from_days(day)
}

/// Counts matching documents per day from the date column: a collector, so that tantivy walks
/// the matches (and skips deleted documents) and nothing stored is read.
struct DayCounts;

/// One segment's counting: a dense array over the segment's span of days when it is small
/// (one increment per match), a map otherwise.
struct SegmentDays {
    column: Option<Column<i64>>,
    first_day: i64,
    dense: Vec<u64>,
    days: Days,
}

/// Widest span of days counted in a dense array (about 270 years: 800 KB).
const DENSE_DAYS: i64 = 100_000;

impl Collector for DayCounts {
    type Fruit = Days;
    type Child = SegmentDays;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentDays> {
        let column = segment.fast_fields().i64(schema::DATE).ok();
        let (first_day, dense) = match &column {
            Some(c) if c.num_docs() > 0 => {
                let (lo, hi) = (day_of(c.min_value()), day_of(c.max_value()));
                if hi - lo < DENSE_DAYS {
                    (lo, vec![0; (hi - lo + 1) as usize])
                } else {
                    (lo, Vec::new())
                }
            }
            _ => (0, Vec::new()),
        };
        Ok(SegmentDays { column, first_day, dense, days: Days::default() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Days>) -> tantivy::Result<Days> {
        let mut all = Days::default();
        fruits.iter().for_each(|f| all.add(f));
        Ok(all)
    }
}

impl SegmentDays {
    fn count(&mut self, value: Option<i64>) {
        match value {
            None => self.days.undated += 1,
            Some(v) => {
                let day = day_of(v);
                match self.dense.get_mut((day - self.first_day) as usize) {
                    Some(n) if day >= self.first_day => *n += 1,
                    _ => *self.days.per_day.entry(day).or_default() += 1,
                }
            }
        }
    }
}

impl SegmentCollector for SegmentDays {
    type Fruit = Days;

    fn collect(&mut self, doc: DocId, _: Score) {
        let value = self.column.as_ref().and_then(|c| c.first(doc));
        self.count(value);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let Some(column) = self.column.clone() else {
            self.days.undated += docs.len() as u64;
            return;
        };
        // Values of a block at once: one pass of the column's index per block.
        let mut values = [None; 64];
        for chunk in docs.chunks(64) {
            let out = &mut values[..chunk.len()];
            column.first_vals(chunk, out);
            for v in out.iter() {
                self.count(*v);
            }
        }
    }

    fn harvest(mut self) -> Days {
        for (i, n) in self.dense.iter().enumerate() {
            if *n > 0 {
                *self.days.per_day.entry(self.first_day + i as i64).or_default() += n;
            }
        }
        self.days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// Per-day counts from (date, count) pairs.
    fn days(dated: &[(&str, u64)], undated: u64) -> Days {
        let mut d = Days { undated, ..Days::default() };
        for (s, n) in dated {
            *d.per_day.entry(day_number(date(s))).or_default() += n;
        }
        d
    }

    #[test]
    fn intervals_parse() {
        // (name, input, expected)
        let cases: &[(&str, &str, Option<Interval>)] = &[
            ("year", "year", Some(Interval::Year)),
            ("month, any case", "Month", Some(Interval::Month)),
            ("day, spaces", " day ", Some(Interval::Day)),
            ("plural (negative)", "years", None),
            ("week (negative)", "week", None),
            ("empty (negative)", "", None),
        ];
        for (name, input, want) in cases {
            assert_eq!(Interval::parse(input), *want, "case {name}");
        }
    }

    #[test]
    fn days_round_trip() {
        // (name, date, days since 1970-01-01)
        let cases: &[(&str, &str, i64)] = &[
            ("epoch", "1970-01-01", 0),
            ("next day", "1970-01-02", 1),
            ("before the epoch", "1969-12-31", -1),
            ("leap day", "2024-02-29", 19_782),
            ("far past", "1900-03-01", -25_508),
        ];
        for (name, d, n) in cases {
            assert_eq!(day_number(date(d)), *n, "case {name}: to days");
            assert_eq!(date_of_day(*n), Some(date(d)), "case {name}: from days");
            let stored = schema::date_days(date(d));
            assert_eq!(day_of(stored), *n, "case {name}: a stored value");
        }
        assert_eq!(date_of_day(i64::MAX), None, "a day no date can hold");
        assert_eq!(date_of_day(day_number(date("9999-12-31")) + 1), None, "after the last date");
    }

    #[test]
    fn grouping() {
        // (name, dated quotations, undated, interval asked, interval, labels:counts)
        type Case<'a> = (&'a str, &'a [(&'a str, u64)], u64, Option<Interval>, Interval, &'a str);
        let cases: &[Case] = &[
            ("nothing", &[], 0, None, Interval::Year, ""),
            ("undated only", &[], 3, Some(Interval::Month), Interval::Month, ""),
            ("one day, auto", &[("2023-06-21", 2)], 1, None, Interval::Day, "2023-06-21:2"),
            (
                "days with a gap, auto",
                &[("2023-06-01", 1), ("2023-06-03", 4)],
                0,
                None,
                Interval::Day,
                "2023-06-01:1 2023-06-02:0 2023-06-03:4",
            ),
            (
                "a few months, auto",
                &[("2023-01-31", 1), ("2023-02-01", 2), ("2023-04-30", 3)],
                0,
                None,
                Interval::Month,
                "2023-01:1 2023-02:2 2023-03:0 2023-04:3",
            ),
            (
                "sixty-one days is months (negative for days)",
                &[("2023-01-01", 1), ("2023-03-02", 1)],
                0,
                None,
                Interval::Month,
                "2023-01:1 2023-02:0 2023-03:1",
            ),
            (
                "sixty days is days",
                &[("2023-01-01", 1), ("2023-03-01", 1)],
                0,
                None,
                Interval::Day,
                "",
            ),
            (
                "years, auto",
                &[("2015-12-31", 1), ("2021-01-01", 5)],
                2,
                None,
                Interval::Year,
                "2015:1 2016:0 2017:0 2018:0 2019:0 2020:0 2021:5",
            ),
            (
                "years asked for a short span",
                &[("2023-01-01", 1), ("2023-12-31", 1), ("2024-01-01", 1)],
                0,
                Some(Interval::Year),
                Interval::Year,
                "2023:2 2024:1",
            ),
            (
                "months across years",
                &[("2023-12-15", 1), ("2024-01-15", 1)],
                0,
                Some(Interval::Month),
                Interval::Month,
                "2023-12:1 2024-01:1",
            ),
            (
                "before 1970",
                &[("1969-12-31", 1), ("1970-01-01", 1)],
                0,
                Some(Interval::Day),
                Interval::Day,
                "1969-12-31:1 1970-01-01:1",
            ),
        ];
        for (name, dated, undated, asked, by, want) in cases {
            let t = group(&days(dated, *undated), *asked).unwrap();
            assert_eq!(t.by, *by, "case {name}: interval");
            let sum: u64 = t.buckets.iter().map(|b| b.count).sum::<u64>() + t.undated;
            assert_eq!(sum, t.total, "case {name}: buckets and undated add up to the total");
            let all: u64 = dated.iter().map(|d| d.1).sum::<u64>() + undated;
            assert_eq!(t.total, all, "case {name}: total");
            assert_eq!(t.undated, *undated, "case {name}: undated");
            if !want.is_empty() || dated.is_empty() {
                let got: Vec<String> =
                    t.buckets.iter().map(|b| format!("{}:{}", b.label, b.count)).collect();
                assert_eq!(got.join(" "), *want, "case {name}: buckets");
            }
            for b in &t.buckets {
                assert!(b.since <= b.until, "case {name}: {} runs forward", b.label);
                assert!(b.label.starts_with(&b.since.year().to_string()), "case {name}");
            }
            for pair in t.buckets.windows(2) {
                assert_eq!(pair[0].until.tomorrow().unwrap(), pair[1].since, "case {name}: no gap");
            }
        }
    }

    #[test]
    fn too_many_intervals_are_refused() {
        let wide = days(&[("1900-01-01", 1), ("2024-01-01", 1)], 0);
        let err = group(&wide, Some(Interval::Day)).unwrap_err().to_string();
        assert!(err.contains("at most 20000") && err.contains("by day"), "{err}");
        assert_eq!(group(&wide, Some(Interval::Month)).unwrap().buckets.len(), 124 * 12 + 1);
        assert_eq!(group(&wide, None).unwrap().by, Interval::Year);
    }
}
