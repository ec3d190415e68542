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
    /// Whole speaker keys (folded names, as `index::schema::fold` makes them); a hit matches
    /// any of them exactly. For a speaker's page, where variants of one name were merged.
    pub speaker_keys: Vec<String>,
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
        "text={:?} speakers={:?} keys={:?} exclude={:?} nobody={} since={:?} until={:?} fuzzy={}",
        q.text,
        q.speakers,
        q.speaker_keys,
        q.exclude_speakers,
        q.no_speaker,
        q.since,
        q.until,
        q.fuzzy
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

/// Parses inclusive `since` and `until` bounds, each `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the
/// first day of `since`'s period, the last of `until`'s); an invalid or reversed range is an
/// error naming the parameters, written after `prefix` (`--` on the command line).
pub fn date_range(
    since: Option<&str>,
    until: Option<&str>,
    prefix: &str,
) -> std::result::Result<(Option<Date>, Option<Date>), String> {
    let bound = |value: Option<&str>, name: &str, end| match value {
        None => Ok(None),
        Some(v) => parse_date_bound(v, end).map(Some).ok_or_else(|| {
            format!("invalid date '{v}' for {prefix}{name}: use YYYY-MM-DD, YYYY-MM or YYYY")
        }),
    };
    let since = bound(since, "since", DateEnd::First)?;
    let until = bound(until, "until", DateEnd::Last)?;
    match (since, until) {
        (Some(s), Some(u)) if s > u => Err(format!("{prefix}since {s} is after {prefix}until {u}")),
        _ => Ok((since, until)),
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

    #[test]
    fn date_ranges() {
        // (name, since, until, prefix, expected range or message)
        type Case<'a> =
            (&'a str, Option<&'a str>, Option<&'a str>, &'a str, Result<&'a str, &'a str>);
        let cases: &[Case] = &[
            ("open", None, None, "", Ok("None None")),
            ("periods widen", Some("2023"), Some("2023-06"), "", Ok("2023-01-01 2023-06-30")),
            ("one day", Some("2023-06-21"), Some("2023-06-21"), "--", Ok("2023-06-21 2023-06-21")),
            (
                "bad since (negative)",
                Some("2023-13"),
                None,
                "--",
                Err("invalid date '2023-13' for --since: use YYYY-MM-DD, YYYY-MM or YYYY"),
            ),
            (
                "bad until (negative)",
                None,
                Some("soon"),
                "",
                Err("invalid date 'soon' for until: use YYYY-MM-DD, YYYY-MM or YYYY"),
            ),
            (
                "reversed (negative)",
                Some("2024"),
                Some("2023"),
                "",
                Err("since 2024-01-01 is after until 2023-12-31"),
            ),
        ];
        let show = |d: Option<Date>| d.map_or("None".to_string(), |d| d.to_string());
        for (name, since, until, prefix, want) in cases {
            let got =
                date_range(*since, *until, prefix).map(|(s, u)| format!("{} {}", show(s), show(u)));
            assert_eq!(got.as_deref().map_err(String::as_str), *want, "case {name}");
        }
    }
}
