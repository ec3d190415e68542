//! What a search asks for: [`SearchQuery`] and its result order, date bounds as users write
//! them (`2023`, `2023-06`), and the key of a query's filters that cached parts are kept under.
//!
//! Plain data: the lowest layer of `search`, knows nothing of tantivy. `filters` turns a
//! query into a tantivy query; `stats` and `cli` build queries from their own options.

use crate::article::Date;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (newest first when there are no search words).
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words in tantivy's query syntax: words ANDed, "phrases", OR, -exclusion, prefix*.
    pub text: String,
    /// Speaker names; a hit matches any of them, on whole name words (`okafor*` for a prefix).
    pub speakers: Vec<String>,
    /// Speakers whose quotes are left out.
    pub exclude_speakers: Vec<String>,
    /// Only quotes without a speaker.
    pub no_speaker: bool,
    /// Inclusive date bounds.
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Tolerate one typo per search word.
    pub fuzzy: bool,
    /// Show every article a repeated quotation appears in, not one hit per quotation.
    pub all_occurrences: bool,
}

/// A search asked for wrongly (a speaker name without letters): the asker's mistake, which
/// `quoth serve` answers with a 400, where any other failure of a search is the server's (500).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidQuery(pub String);

/// What decides which quotations match `q` (not their order or the page), as a cache key.
pub(super) fn filters_key(q: &SearchQuery) -> String {
    format!(
        "text={:?} speakers={:?} exclude={:?} nobody={} since={:?} until={:?} fuzzy={}",
        q.text, q.speakers, q.exclude_speakers, q.no_speaker, q.since, q.until, q.fuzzy
    )
}

/// Which end of a period a partial date (`2023`, `2023-06`) stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateEnd {
    /// The first day: `2023` -> 2023-01-01.
    First,
    /// The last day: `2023-06` -> 2023-06-30.
    Last,
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first or last day of that period.
pub fn parse_date_bound(s: &str, end: DateEnd) -> Option<Date> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i16>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)?;
            let (m, d) = if end == DateEnd::First { (1, 1) } else { (12, 31) };
            Date::new(y, m, d).ok()
        }
        [y, m] => {
            let first = Date::new(num(y, 4)?, num(m, 2)? as i8, 1).ok()?;
            Some(if end == DateEnd::First { first } else { first.last_of_month() })
        }
        [y, m, d] => Date::new(num(y, 4)?, num(m, 2)? as i8, num(d, 2)? as i8).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds() {
        // (name, input, end, expected)
        let cases: &[(&str, &str, DateEnd, Option<&str>)] = &[
            ("day", "2023-06-21", DateEnd::First, Some("2023-06-21")),
            ("year start", "2023", DateEnd::First, Some("2023-01-01")),
            ("year end", "2023", DateEnd::Last, Some("2023-12-31")),
            ("month end", "2024-02", DateEnd::Last, Some("2024-02-29")),
            ("bad month (negative)", "2023-13-01", DateEnd::First, None),
            ("bad day (negative)", "2023-02-30", DateEnd::First, None),
            ("words (negative)", "yesterday", DateEnd::First, None),
            ("short year (negative)", "23-01-01", DateEnd::First, None),
        ];
        for (name, s, end, want) in cases {
            let want = want.map(|w| w.parse::<Date>().unwrap());
            assert_eq!(parse_date_bound(s, *end), want, "case {name}");
        }
    }
}
