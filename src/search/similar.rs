//! Quotations worded like a text, and every copy of one quotation: what `check` needs from the
//! index. [`similar`] finds the quotations that share the most distinctive words of a text (a
//! disjunction of its rarest indexed terms, ranked by BM25, filtered by speaker and date);
//! [`copies`] lists the articles that carry one quotation, earliest first.
//!
//! The disjunction's cost is the length of its terms' posting lists: on 1.16 million
//! quotations, the sixteen rarest words of a claim took 80 ms (p50) where its rarest words up to
//! 100 000 postings took 2 ms, and found the same quotations (BENCHMARKS.md). Common words say
//! little about which quotation it is; the alignment compares every word anyway.
//!
//! Reads field names and analyzers from `index::schema` only, filters from `filters`; returns
//! hits, never decides anything about them.

use std::collections::HashSet;

use anyhow::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Searcher, TantivyDocument, Term};

use super::filters::compile;
use super::hits::{to_hit, Hit};
use super::query::SearchQuery;
use crate::index::{schema, QuoteIndex};

/// Terms of a text searched for at most: the rarest ones say the most about which quotation
/// it is, and each term more makes the search slower.
pub const SIMILAR_TERMS: usize = 16;
/// Postings the searched terms may hold together (their summed document frequencies), beyond
/// the first [`SIMILAR_MIN_TERMS`]: bounds the work of one search whatever the claim.
pub const SIMILAR_POSTINGS: u64 = 100_000;
/// Terms searched for at least (if the text has them), however common.
pub const SIMILAR_MIN_TERMS: usize = 3;

/// The `k` quotations sharing the most distinctive words of `text`, best first, among those
/// `filters` lets through (its speakers and dates; its words are ignored). Words the index
/// does not hold (misspellings) are left out of the search; a text with none finds nothing.
pub fn similar(
    idx: &QuoteIndex,
    searcher: &Searcher,
    text: &str,
    filters: &SearchQuery,
    k: usize,
) -> Result<Vec<Hit>> {
    let field = idx.fields.quote;
    let mut analyzer = schema::quote_analyzer(&idx.index);
    let mut seen = HashSet::new();
    let mut terms: Vec<(u64, Term)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if seen.insert(token.text.clone()) {
            let term = Term::from_field_text(field, &token.text);
            let df = searcher.doc_freq(&term)?;
            if df > 0 {
                terms.push((df, term));
            }
        }
    }
    if terms.is_empty() || k == 0 {
        return Ok(Vec::new());
    }
    terms.sort_by_key(|(df, _)| *df);
    let mut postings = 0;
    let keep = terms
        .iter()
        .take_while(|(df, _)| {
            postings += df;
            postings <= SIMILAR_POSTINGS
        })
        .count();
    terms.truncate(keep.clamp(SIMILAR_MIN_TERMS, SIMILAR_TERMS));
    let words: Box<dyn Query> = if terms.len() == 1 {
        Box::new(TermQuery::new(terms.pop().unwrap().1, IndexRecordOption::WithFreqs))
    } else {
        let any = terms
            .into_iter()
            .map(|(_, t)| -> (Occur, Box<dyn Query>) {
                (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)))
            })
            .collect();
        Box::new(BooleanQuery::new(any))
    };
    let filtered = !filters.speakers.is_empty()
        || !filters.exclude_speakers.is_empty()
        || filters.no_speaker
        || filters.since.is_some()
        || filters.until.is_some();
    let query: Box<dyn Query> = if filtered {
        let only = SearchQuery { text: String::new(), ..filters.clone() };
        let filter = compile(idx, &only)?.query;
        Box::new(BooleanQuery::new(vec![(Occur::Must, filter), (Occur::Must, words)]))
    } else {
        words
    };
    let top = searcher.search(&*query, &TopDocs::with_limit(k).order_by_score())?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        hits.push(to_hit(idx, &doc, score));
    }
    Ok(hits)
}

/// The articles carrying the quotation worded `quote` (the same words, whatever the case,
/// punctuation and quotation marks): at most `max` of its copies, earliest first (undated
/// last), and how many copies there are in all.
pub fn copies(
    idx: &QuoteIndex,
    searcher: &Searcher,
    quote: &str,
    max: usize,
) -> Result<(Vec<Hit>, usize)> {
    let q = super::occurrences::copies_query(idx, schema::quote_key(quote));
    let by_date =
        TopDocs::with_limit(max.max(1)).order_by_fast_field::<i64>(schema::DATE, Order::Asc);
    let (top, total) = searcher.search(&q, &(by_date, Count))?;
    let mut hits = Vec::with_capacity(top.len());
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        hits.push(to_hit(idx, &doc, 1.0));
    }
    hits.sort_by(|a, b| {
        (a.date.is_none(), a.date, &a.file, a.line, a.paragraph_number).cmp(&(
            b.date.is_none(),
            b.date,
            &b.file,
            b.line,
            b.paragraph_number,
        ))
    });
    Ok((hits, total))
}
