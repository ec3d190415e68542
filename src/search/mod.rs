//! Searching the quote index: a [`SearchQuery`] in, [`Hit`]s out. Data only, never printing;
//! `output` renders hits and `main` decides what to print.
//!
//! One search runs, from the bottom up: `query` (what is asked) -> `filters` (the tantivy
//! query) -> `rank` (best matches per segment, merged) -> `occurrences` (repeated quotations
//! folded into one hit) -> `hits` (the page's documents read). `speakers` aggregates matches per
//! speaker. `parts` keeps per-segment parts of answers between searches for `quoth serve`.
//! `similar` finds quotations worded like a text and the copies of one (for `check`).
//! `timeline` counts matches per year, month or day from the date column.
//! This module joins them: [`search_in`], [`count`] and [`for_each_match`], and reads a
//! column's strings in one pass ([`ord_strings`]) for the aggregations above it.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::Count;
use tantivy::query::{EnableScoring, TermQuery};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use crate::index::{schema, QuoteIndex};

mod by_file;
mod filters;
mod hits;
mod occurrences;
mod parts;
mod query;
mod rank;
mod similar;
mod speakers;
mod timeline;

pub use filters::compile_filters;
pub use hits::{by_id, hit_bytes, Hit, SearchResult};
pub use parts::SegmentParts;
pub use query::{date_range, parse_date_bound, DateEnd, InvalidQuery, SearchQuery, Sort};
pub use similar::{copies, similar, SIMILAR_MIN_TERMS, SIMILAR_POSTINGS, SIMILAR_TERMS};
pub use speakers::{suggest_speakers, top_speakers, top_speakers_in};
pub use timeline::{timeline, timeline_in, Bucket, Interval, Timeline, AUTO_BUCKETS, MAX_BUCKETS};

use filters::{compile, explained};
use hits::{stored_quote, to_hit};
use occurrences::{occurrences, Columns};
use query::filters_key;
use rank::rank;

/// Runs `q` against the index with a fresh searcher.
pub fn search(idx: &QuoteIndex, q: &SearchQuery) -> Result<SearchResult> {
    search_in(idx, &idx.reader.searcher(), q, None)
}

/// Runs `q` on `searcher`; with `parts`, the parts of the answer held by segments seen before
/// come from there (see [`SegmentParts`]) and only new segments are searched.
///
/// Only the page's quotations are loaded from the document store: folding repeated
/// quotations, skipping `offset` and ordering same-day hits all read fast fields, so a search
/// costs a few document reads whatever the page number.
pub fn search_in(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &SearchQuery,
    parts: Option<&SegmentParts>,
) -> Result<SearchResult> {
    let c = compile(idx, q)?;
    let limit = q.limit.max(1);
    // With repeated quotations folded, rank more so that folding still fills the page.
    let wanted = limit.saturating_add(q.offset);
    let window = if q.all_occurrences { wanted } else { wanted.saturating_mul(4) };
    // Never more than the index holds: a huge --offset must not allocate a huge heap.
    let window = window.min(searcher.num_docs() as usize + 1);
    let sort = match (q.sort, c.has_text) {
        (Sort::Relevance, false) => Sort::Newest,
        (s, _) => s,
    };
    let matching = filters_key(q);
    let (basis, epoch) = match parts {
        Some(p) => p.begin(searcher, &matching),
        None => (searcher.clone(), 0),
    };
    let ranked: Vec<(f32, DocAddress)>;
    let total: usize;
    match sort {
        Sort::Relevance => {
            let scoring = EnableScoring::enabled_from_statistics_provider(&basis, searcher);
            let weight = c.query.weight(scoring)?;
            // A single word is counted from the term dictionary and ranked by skipping blocks
            // that cannot make the top (block-max WAND), so counting and ranking apart is far
            // cheaper than one pass doing both. Any other query visits every match anyway.
            let apart = c.query.downcast_ref::<TermQuery>().is_some();
            let key = format!("score {window} {epoch} {matching}");
            (ranked, total) =
                rank(searcher, &*weight, || SortBySimilarityScore, window, apart, parts, &key)
                    .map_err(explained)?;
        }
        Sort::Newest | Sort::Oldest => {
            let weight = c.query.weight(EnableScoring::disabled_from_searcher(searcher))?;
            // The whole order in the collector: by date (undated last either way), then same-day
            // quotations in reading order, file path then position (then index order, which
            // keeps the lines of one JSON Lines file in a stable order). Every page is then a
            // slice of one order, whatever the window.
            let order = if sort == Sort::Newest { Order::Desc } else { Order::Asc };
            // Nested pairs: tantivy 0.27's pairs pass each key's own order on, its flat triples
            // and quadruples fall back to the default (descending) order for every key.
            let by = || {
                (
                    (SortByStaticFastValue::<i64>::for_field(schema::DATE), order),
                    (
                        (by_file::SortByFile, Order::Asc),
                        (
                            (
                                SortByStaticFastValue::<u64>::for_field(schema::PARAGRAPH_NUMBER),
                                Order::Asc,
                            ),
                            (SortByStaticFastValue::<u64>::for_field(schema::START), Order::Asc),
                        ),
                    ),
                )
            };
            let key = format!("{sort:?} {window} {matching}");
            let (docs, n) =
                rank(searcher, &*weight, by, window, false, parts, &key).map_err(explained)?;
            ranked = docs.into_iter().map(|(_, a)| (1.0, a)).collect();
            total = n;
        }
    }
    let mut columns = Columns::new(searcher, parts);
    let mut seen_keys: HashSet<u64> = HashSet::new();
    let mut page: Vec<Ranked> = Vec::with_capacity(ranked.len());
    for (score, addr) in ranked {
        let key = columns.key(addr)?;
        if q.all_occurrences || seen_keys.insert(key) {
            page.push(Ranked { score, addr, key });
        }
    }
    // A page never holds more than what was ranked (a huge --limit allocates nothing huge).
    let mut hits = Vec::with_capacity(limit.min(page.len()));
    for r in page.into_iter().skip(q.offset).take(limit) {
        let stored = stored_quote(idx, searcher, parts, r.addr, !c.terms.is_empty())?;
        let mut hit = stored.hit.clone();
        hit.score = r.score;
        hit.highlights = (stored.words.iter())
            .filter(|(_, word)| c.terms.matches(word))
            .map(|(range, _)| range.clone())
            .collect();
        if !q.all_occurrences {
            if let Some((n, first)) = occurrences(idx, searcher, &mut columns, r.key)? {
                hit.occurrences = n;
                hit.first_date = first;
            }
        }
        hits.push(hit);
    }
    Ok(SearchResult { hits, total, warnings: c.warnings })
}

/// The strings of `ords` (any order, repeats allowed) of the string column of `field` in
/// `segment`.
///
/// The column's dictionary is an sstable of zstd blocks, and each block read costs a fresh
/// decompression context: for speaker pages that was about 40% of their time. When the field
/// is also indexed with the column's tokenizer (as `file` and `speaker_key` are), its term
/// dictionary holds the same strings in the same order, so the column's ordinals are its term
/// ordinals, read from an FST without decompressing anything. The two dictionaries must then
/// have as many terms; when they have not (a field only fast, a term too long to index), the
/// column's own dictionary is read, in one pass.
pub fn ord_strings(
    segment: &tantivy::SegmentReader,
    field: &str,
    column: &tantivy::columnar::StrColumn,
    ords: impl IntoIterator<Item = u64>,
) -> Result<HashMap<u64, String>> {
    let mut sorted: Vec<u64> = ords.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = HashMap::with_capacity(sorted.len());
    let inverted = (segment.schema().get_field(field).ok())
        .and_then(|f| segment.inverted_index(f).ok())
        .filter(|inv| inv.terms().num_terms() == column.dictionary().num_terms());
    if let Some(inverted) = inverted {
        let terms = inverted.terms();
        let mut bytes = Vec::new();
        for ord in sorted {
            if terms.ord_to_term(ord, &mut bytes)? {
                out.insert(ord, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        return Ok(out);
    }
    column_strings(column, &sorted, &mut out)?;
    Ok(out)
}

/// [`ord_strings`] from the column's own dictionary, in one pass over it (far cheaper than
/// one `ord_to_str` per ordinal, which decodes a block from its start each time); `sorted`
/// ascending, without repeats.
fn column_strings(
    column: &tantivy::columnar::StrColumn,
    sorted: &[u64],
    out: &mut HashMap<u64, String>,
) -> Result<()> {
    let mut next = sorted.iter();
    column.dictionary().sorted_ords_to_term_cb(sorted, |bytes| {
        if let Some(ord) = next.next() {
            out.insert(*ord, String::from_utf8_lossy(bytes).into_owned());
        }
    })?;
    Ok(())
}

/// A ranked match before its document is loaded.
struct Ranked {
    score: f32,
    addr: DocAddress,
    key: u64,
}

/// The number of quotations matching `q` (every occurrence counts).
pub fn count(idx: &QuoteIndex, q: &SearchQuery) -> Result<(usize, Vec<String>)> {
    let c = compile(idx, q)?;
    let n = idx.reader.searcher().search(&c.query, &Count).map_err(|e| explained(e.into()))?;
    Ok((n, c.warnings))
}

/// Calls `each` with every quotation matching `q`, in index order, one at a time: memory stays
/// the same for exports of any size (matches are walked, never collected).
pub fn for_each_match(
    idx: &QuoteIndex,
    q: &SearchQuery,
    each: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<Vec<String>> {
    use tantivy::{DocSet, TERMINATED};
    let c = compile(idx, q)?;
    let searcher = idx.reader.searcher();
    let weight = c.query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let alive = seg.alive_bitset();
        // Matches are walked one at a time, never collected: memory stays the same at any size.
        let mut scorer = weight.scorer(seg, 1.0).map_err(|e| explained(e.into()))?;
        let mut d = scorer.doc();
        while d != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(d)) {
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, d))?;
                each(to_hit(idx, &doc, 1.0))?;
            }
            d = scorer.advance();
        }
    }
    Ok(c.warnings)
}
