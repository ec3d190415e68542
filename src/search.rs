//! Searching the quote index: a [`SearchQuery`] in, [`Hit`]s out. Data only, never printing;
//! `output` renders hits and `main` decides what to print.

use std::collections::HashSet;
use std::ops::{Bound, Range};

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::article::Date;
use crate::index::writer::{date_from_tantivy, date_to_tantivy};
use crate::index::{schema, QuoteIndex};

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words in tantivy's query syntax: words ANDed, "phrases", OR, -exclusion, prefix*.
    pub text: String,
    /// Speaker names; a hit matches any of them, on whole name words.
    pub speakers: Vec<String>,
    /// Inclusive date bounds.
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub limit: usize,
}

/// One matching quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub quote: String,
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub date: Option<Date>,
    pub file: String,
    pub paragraph: String,
    pub paragraph_number: u64,
    pub start: u64,
    pub end: u64,
    pub score: f32,
    /// The extraction rule that found the speaker (`quoth extract` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Byte ranges of `quote` that matched the search words.
    #[serde(skip)]
    pub highlights: Vec<Range<usize>>,
}

/// Hits of a search, with the total number of matching quotations.
#[derive(Debug, Clone, Default)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// Parts of the query that were ignored, e.g. an unbalanced parenthesis.
    pub warnings: Vec<String>,
}

/// Runs `q` against the index with a fresh searcher.
pub fn search(idx: &QuoteIndex, q: &SearchQuery) -> Result<SearchResult> {
    let f = &idx.fields;
    let searcher = idx.reader.searcher();
    let mut warnings = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

    let text_query: Option<Box<dyn Query>> = if q.text.trim().is_empty() {
        None
    } else {
        let mut parser = QueryParser::for_index(&idx.index, vec![f.quote]);
        parser.set_conjunction_by_default();
        let (query, errors) = parser.parse_query_lenient(&q.text);
        for e in errors {
            warnings.push(format!("part of the query was ignored: {e}"));
        }
        Some(query)
    };
    if let Some(t) = &text_query {
        clauses.push((Occur::Must, t.box_clone()));
    }
    if !q.speakers.is_empty() {
        let mut analyzer = schema::speaker_analyzer(&idx.index);
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for name in &q.speakers {
            let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut stream = analyzer.token_stream(name);
            while let Some(tok) = stream.next() {
                let term = Term::from_field_text(f.speaker, &tok.text);
                words.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
            }
            if !words.is_empty() {
                any.push((Occur::Should, Box::new(BooleanQuery::new(words))));
            }
        }
        if any.is_empty() {
            anyhow::bail!("invalid speaker name {:?}: it has no letters", q.speakers.join(", "));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if q.since.is_some() || q.until.is_some() {
        let lower = match q.since {
            Some(d) => {
                Bound::Included(Term::from_field_date_for_search(f.date, date_to_tantivy(d)))
            }
            None => Bound::Unbounded,
        };
        let upper = match q.until.and_then(|d| d.tomorrow().ok()) {
            Some(d) => {
                Bound::Excluded(Term::from_field_date_for_search(f.date, date_to_tantivy(d)))
            }
            None => Bound::Unbounded,
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    let query: Box<dyn Query> =
        if clauses.is_empty() { Box::new(AllQuery) } else { Box::new(BooleanQuery::new(clauses)) };

    let limit = q.limit.max(1);
    let (addrs, total): (Vec<(f32, DocAddress)>, usize) = if text_query.is_some() {
        searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count))?
    } else {
        // Without words there is no relevance: newest first.
        let (docs, n) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(limit)
                    .order_by_fast_field::<tantivy::DateTime>(schema::DATE, Order::Desc),
                Count,
            ),
        )?;
        (docs.into_iter().map(|(_, a)| (1.0, a)).collect(), n)
    };

    let terms = highlight_terms(text_query.as_deref(), f.quote);
    let mut analyzer = schema::quote_analyzer(&idx.index);
    let mut hits = Vec::with_capacity(addrs.len());
    for (score, addr) in addrs {
        let doc: TantivyDocument = searcher.doc(addr).context("cannot read a stored quotation")?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
        let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let quote = text(f.quote).unwrap_or_default();
        let mut highlights = Vec::new();
        if !terms.is_empty() {
            let mut stream = analyzer.token_stream(&quote);
            while let Some(tok) = stream.next() {
                if terms.contains(&tok.text) {
                    highlights.push(tok.offset_from..tok.offset_to);
                }
            }
        }
        hits.push(Hit {
            speaker: text(f.speaker),
            role: text(f.role),
            date: doc.get_first(f.date).and_then(|v| v.as_datetime()).and_then(date_from_tantivy),
            file: text(f.file).unwrap_or_default(),
            paragraph: text(f.paragraph).unwrap_or_default(),
            paragraph_number: num(f.paragraph_number),
            start: num(f.start),
            end: num(f.end),
            score,
            rule: None,
            highlights,
            quote,
        });
    }
    if text_query.is_none() {
        // Same-day quotations in reading order: file, then position.
        hits.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.file.cmp(&b.file))
                .then(a.paragraph_number.cmp(&b.paragraph_number))
                .then(a.start.cmp(&b.start))
        });
    }
    Ok(SearchResult { hits, total, warnings })
}

/// The indexed words of the quote field that a query looks for, to highlight them in hits.
fn highlight_terms(query: Option<&dyn Query>, field: tantivy::schema::Field) -> HashSet<String> {
    let mut terms = HashSet::new();
    if let Some(q) = query {
        q.query_terms(&mut |term, _| {
            if term.field() == field {
                if let Some(s) = term.value().as_str() {
                    terms.insert(s.to_string());
                }
            }
        });
    }
    terms
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
