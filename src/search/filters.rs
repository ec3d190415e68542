//! A [`SearchQuery`] compiled to a tantivy query: search words in tantivy's syntax, speakers
//! on whole name words, excluded speakers, date bounds; and the indexed words a query looks
//! for, to highlight them in hits.
//!
//! Reads field names and analyzers from `index::schema` only; every search, count, export and
//! aggregation (`speakers`, `stats`) starts here.

use std::collections::HashSet;
use std::ops::Bound;

use anyhow::Result;
use tantivy::query::{
    AllQuery, BooleanQuery, ExistsQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::query::{InvalidQuery, SearchQuery};
use crate::index::{schema, QuoteIndex};

/// A query compiled for the index, with what to highlight.
pub(super) struct Compiled {
    pub(super) query: Box<dyn Query>,
    pub(super) has_text: bool,
    pub(super) terms: HashSet<String>,
    pub(super) warnings: Vec<String>,
}

pub(super) fn compile(idx: &QuoteIndex, q: &SearchQuery) -> Result<Compiled> {
    let f = &idx.fields;
    let mut warnings = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let text_query: Option<Box<dyn Query>> = if q.text.trim().is_empty() {
        None
    } else {
        let mut parser = QueryParser::for_index(&idx.index, vec![f.quote]);
        parser.set_conjunction_by_default();
        if q.fuzzy {
            parser.set_field_fuzzy(f.quote, false, 1, true);
        }
        let (query, errors) = parser.parse_query_lenient(&q.text);
        for e in errors {
            warnings.push(format!("part of the query was ignored: {e}"));
        }
        Some(query)
    };
    let terms = highlight_terms(text_query.as_deref(), f.quote);
    if let Some(t) = &text_query {
        clauses.push((Occur::Must, t.box_clone()));
    }
    if !q.speakers.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = q
            .speakers
            .iter()
            .map(|name| Ok((Occur::Should, speaker_query(idx, name)?)))
            .collect::<Result<_>>()?;
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for name in &q.exclude_speakers {
        clauses.push((Occur::MustNot, speaker_query(idx, name)?));
    }
    if q.no_speaker {
        clauses
            .push((Occur::MustNot, Box::new(ExistsQuery::new(schema::SPEAKER_KEY.into(), false))));
    }
    // Both ends inclusive, in days: one set bound is always a bound (tantivy panics on a range
    // with none), and undated quotations, which have no day, are outside any range.
    let day = |d| Bound::Included(Term::from_field_i64(f.date, schema::date_days(d)));
    match (q.since, q.until) {
        (None, None) => {}
        (since, until) => {
            let (lower, upper) =
                (since.map_or(Bound::Unbounded, day), until.map_or(Bound::Unbounded, day));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
    }
    // A query of exclusions only needs something to exclude from.
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    // A lone clause runs as itself: tantivy counts and ranks a bare term query much faster
    // (document frequency, block-max WAND) than the same term inside a boolean query.
    let query: Box<dyn Query> = if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        clauses.pop().unwrap().1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled { query, has_text: text_query.is_some(), terms, warnings })
}

/// The query for `q` alone (filters and words), for aggregations.
pub fn compile_filters(idx: &QuoteIndex, q: &SearchQuery) -> Result<Box<dyn Query>> {
    Ok(compile(idx, q)?.query)
}

/// A speaker name as a query: every name word must match (`okafor*` matches a prefix).
fn speaker_query(idx: &QuoteIndex, name: &str) -> Result<Box<dyn Query>> {
    let f = &idx.fields;
    let mut analyzer = schema::speaker_analyzer(&idx.index);
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in name.split_whitespace() {
        let prefix = word.ends_with('*');
        let mut stream = analyzer.token_stream(word.trim_end_matches('*'));
        let mut toks = Vec::new();
        while let Some(t) = stream.next() {
            toks.push(t.text.clone());
        }
        let last = toks.len().saturating_sub(1);
        for (i, t) in toks.into_iter().enumerate() {
            let q: Box<dyn Query> = if prefix && i == last {
                Box::new(RegexQuery::from_pattern(&format!("{}.*", regex_escape(&t)), f.speaker)?)
            } else {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.speaker, &t),
                    IndexRecordOption::Basic,
                ))
            };
            words.push((Occur::Must, q));
        }
    }
    if words.is_empty() {
        let message = format!("invalid speaker name '{name}': it has no letters");
        return Err(InvalidQuery(message).into());
    }
    Ok(Box::new(BooleanQuery::new(words)))
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
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
