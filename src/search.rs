//! Searching the quote index: a [`SearchQuery`] in, [`Hit`]s out. Data only, never printing;
//! `output` renders hits and `main` decides what to print.

use std::collections::HashSet;
use std::ops::{Bound, Range};
use std::sync::Arc;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::sort_key::{
    Comparator, SortBySimilarityScore, SortByStaticFastValue, SortByString, SortKeyComputer,
};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, EnableScoring, ExistsQuery, Occur, Query, QueryParser, RangeQuery,
    RegexQuery, TermQuery, Weight,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Order, Searcher, TantivyDocument, Term};

use crate::article::Date;
use crate::index::writer::{date_from_tantivy, date_to_tantivy};
use crate::index::{schema, QuoteIndex};

mod parts;
pub use parts::SegmentParts;

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

/// One matching quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Stable id of the quotation (`quoth serve`'s `/api/quote/{id}`).
    pub id: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub date: Option<Date>,
    pub file: String,
    /// Line of a JSON Lines file holding the article; absent for other formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub paragraph: String,
    pub paragraph_number: u64,
    pub start: u64,
    pub end: u64,
    pub score: f32,
    /// Articles this same quotation appears in (wire copy republished by several outlets).
    pub occurrences: u64,
    /// The earliest date among those articles.
    pub first_date: Option<Date>,
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

/// A query compiled for the index, with what to highlight.
struct Compiled {
    query: Box<dyn Query>,
    has_text: bool,
    terms: HashSet<String>,
    warnings: Vec<String>,
}

fn compile(idx: &QuoteIndex, q: &SearchQuery) -> Result<Compiled> {
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
        anyhow::bail!("invalid speaker name '{name}': it has no letters");
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
                rank(searcher, &*weight, || SortBySimilarityScore, window, apart, parts, &key)?;
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
                    (SortByStaticFastValue::<tantivy::DateTime>::for_field(schema::DATE), order),
                    (
                        (SortByString::for_field(schema::FILE), Order::Asc),
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
            let (docs, n) = rank(searcher, &*weight, by, window, false, parts, &key)?;
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
    let mut hits = Vec::with_capacity(limit);
    for r in page.into_iter().skip(q.offset).take(limit) {
        let stored = stored_quote(idx, searcher, parts, r.addr, !c.terms.is_empty())?;
        let mut hit = stored.hit.clone();
        hit.score = r.score;
        hit.highlights = (stored.words.iter())
            .filter(|(_, word)| c.terms.contains(word))
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

/// A stored quotation as a hit, with its indexed words where they stand (for highlighting).
struct Stored {
    hit: Hit,
    words: Vec<(Range<usize>, String)>,
}

/// The quotation at `addr`, read from the document store (or the memo of `parts`). Its words
/// are found when `highlight` asks for them, and always when kept for later searches.
fn stored_quote(
    idx: &QuoteIndex,
    searcher: &Searcher,
    parts: Option<&SegmentParts>,
    addr: DocAddress,
    highlight: bool,
) -> Result<Arc<Stored>> {
    let read = || -> Result<(Stored, usize)> {
        let doc: TantivyDocument = searcher.doc(addr).context("cannot read a stored quotation")?;
        let hit = to_hit(idx, &doc, 1.0);
        let mut words = Vec::new();
        let mut analyzer = schema::quote_analyzer(&idx.index);
        if highlight || parts.is_some() {
            let mut stream = analyzer.token_stream(&hit.quote);
            while let Some(tok) = stream.next() {
                words.push((tok.offset_from..tok.offset_to, tok.text.clone()));
            }
        }
        let bytes = hit_bytes(&hit) + words.iter().map(|(_, w)| w.len() + 48).sum::<usize>();
        Ok((Stored { hit, words }, bytes))
    };
    let segment = searcher.segment_reader(addr.segment_ord);
    memo(parts, segment, "stored quotation", u64::from(addr.doc_id), read)
}

/// About how much memory a hit holds.
pub fn hit_bytes(h: &Hit) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    h.id.len()
        + h.quote.len()
        + h.file.len()
        + h.paragraph.len()
        + opt(&h.speaker)
        + opt(&h.role)
        + opt(&h.title)
        + opt(&h.url)
        + h.highlights.len() * 16
        + 160
}

/// What one segment holds of a ranking: its best matches (sort key and document) and how many
/// match there.
struct RankPart<K> {
    docs: Vec<(K, DocId)>,
    count: usize,
}

/// The best `window` matches of `weight` in the order `by` makes, and how many match, segment by
/// segment: each segment's part comes from `parts` when it was computed before (under `key`),
/// else from tantivy's own collector, and the parts merge in that collector's order (its
/// comparator, ties to the lower document address). `apart`: count separately from ranking.
fn rank<S, K>(
    searcher: &Searcher,
    weight: &dyn Weight,
    by: impl Fn() -> S,
    window: usize,
    apart: bool,
    parts: Option<&SegmentParts>,
    key: &str,
) -> Result<(Vec<(K, DocAddress)>, usize)>
where
    S: SortKeyComputer<SortKey = K> + Send + 'static,
    K: KeyBytes + Clone + Send + Sync + std::fmt::Debug + 'static,
{
    let top = TopDocs::with_limit(window).order_by(by());
    let both = (TopDocs::with_limit(window).order_by(by()), Count);
    let order = by().comparator();
    let mut segment_parts: Vec<Arc<RankPart<K>>> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let part = match parts.and_then(|p| p.get::<RankPart<K>>(key, segment)) {
            Some(part) => part,
            None => {
                let (docs, count) = if apart {
                    let docs =
                        top.merge_fruits(vec![top.collect_segment(weight, ord, segment)?])?;
                    (docs, Count.collect_segment(weight, ord, segment)?)
                } else {
                    both.merge_fruits(vec![both.collect_segment(weight, ord, segment)?])?
                };
                let docs: Vec<(K, DocId)> = docs.into_iter().map(|(k, a)| (k, a.doc_id)).collect();
                let part = Arc::new(RankPart { docs, count });
                if let Some(p) = parts {
                    let heap: usize = part.docs.iter().map(|(k, _)| k.heap_bytes()).sum();
                    let bytes = part.docs.len() * std::mem::size_of::<(K, DocId)>() + heap;
                    p.insert(key, segment, part.clone(), bytes);
                }
                part
            }
        };
        segment_parts.push(part);
    }
    let total = segment_parts.iter().map(|p| p.count).sum();
    // Each part is in order already (best first, ties to the lower document): merge their
    // heads, the better key first and on a tie the lower segment, as tantivy's merge would.
    let mut next = vec![0; segment_parts.len()];
    let mut all: Vec<(K, DocAddress)> = Vec::with_capacity(window);
    while all.len() < window {
        let mut best: Option<usize> = None;
        for (i, part) in segment_parts.iter().enumerate() {
            let Some((k, _)) = part.docs.get(next[i]) else { continue };
            let better = match best {
                None => true,
                Some(b) => order.compare(k, &segment_parts[b].docs[next[b]].0).is_gt(),
            };
            if better {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        let (k, doc) = &segment_parts[b].docs[next[b]];
        all.push((k.clone(), DocAddress::new(b as u32, *doc)));
        next[b] += 1;
    }
    Ok((all, total))
}

/// Memory a sort key holds beyond its own size, to charge cached parts for.
trait KeyBytes {
    fn heap_bytes(&self) -> usize;
}

/// Relevance: the score alone.
impl KeyBytes for f32 {
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// A single fast value (a date, a number).
impl<T: Copy> KeyBytes for Option<T> {
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// By date: date, then file path and position.
impl KeyBytes for (Option<tantivy::DateTime>, (Option<String>, (Option<u64>, Option<u64>))) {
    fn heap_bytes(&self) -> usize {
        self.1 .0.as_ref().map_or(0, String::len)
    }
}

/// What decides which quotations match `q` (not their order or the page), as a cache key.
fn filters_key(q: &SearchQuery) -> String {
    format!(
        "text={:?} speakers={:?} exclude={:?} nobody={} since={:?} until={:?} fuzzy={}",
        q.text, q.speakers, q.exclude_speakers, q.no_speaker, q.since, q.until, q.fuzzy
    )
}

/// A ranked match before its document is loaded.
struct Ranked {
    score: f32,
    addr: DocAddress,
    key: u64,
}

/// The fast-field columns that searching reads instead of loading documents, opened per
/// segment when first needed (or taken from the memo of `parts`).
struct Columns<'a> {
    searcher: &'a Searcher,
    parts: Option<&'a SegmentParts>,
    keys: Vec<Option<Arc<Column<u64>>>>,
    files: Vec<Option<Arc<Option<StrColumn>>>>,
}

impl<'a> Columns<'a> {
    fn new(searcher: &'a Searcher, parts: Option<&'a SegmentParts>) -> Columns<'a> {
        let n = searcher.segment_readers().len();
        Columns { searcher, parts, keys: vec![None; n], files: vec![None; n] }
    }

    fn key(&mut self, addr: DocAddress) -> Result<u64> {
        let ord = addr.segment_ord as usize;
        if self.keys[ord].is_none() {
            let segment = self.searcher.segment_reader(addr.segment_ord);
            let open = || Ok((segment.fast_fields().u64(schema::QUOTE_KEY)?, 256));
            self.keys[ord] = Some(memo(self.parts, segment, "quote_key column", 0, open)?);
        }
        Ok(self.keys[ord].as_ref().and_then(|c| c.first(addr.doc_id)).unwrap_or(0))
    }

    fn file_column(&mut self, segment_ord: u32) -> Result<Arc<Option<StrColumn>>> {
        let ord = segment_ord as usize;
        if self.files[ord].is_none() {
            let segment = self.searcher.segment_reader(segment_ord);
            let open = || Ok((segment.fast_fields().str(schema::FILE)?, 1024));
            self.files[ord] = Some(memo(self.parts, segment, "file column", 0, open)?);
        }
        Ok(self.files[ord].clone().unwrap_or_default())
    }

    /// The file's ordinal in its segment's dictionary: tells files apart within one segment
    /// without reading their paths.
    fn file_ord(&mut self, addr: DocAddress) -> Result<u64> {
        let col = self.file_column(addr.segment_ord)?;
        Ok(col.as_ref().as_ref().and_then(|c| c.term_ords(addr.doc_id).next()).unwrap_or(0))
    }

    fn file(&mut self, addr: DocAddress) -> Result<String> {
        let mut out = String::new();
        if let Some(col) = self.file_column(addr.segment_ord)?.as_ref() {
            if let Some(ord) = col.term_ords(addr.doc_id).next() {
                col.ord_to_str(ord, &mut out)?;
            }
        }
        Ok(out)
    }
}

/// `read` of thing `item` of one segment through the memo of `parts`, or directly without one.
fn memo<T: std::any::Any + Send + Sync>(
    parts: Option<&SegmentParts>,
    segment: &tantivy::SegmentReader,
    kind: &'static str,
    item: u64,
    read: impl FnOnce() -> Result<(T, usize)>,
) -> Result<Arc<T>> {
    match parts {
        Some(p) => p.memo(segment, kind, item, read),
        None => Ok(Arc::new(read()?.0)),
    }
}

/// How many articles hold the quotation with `key`, and the earliest date among them. A
/// heading that repeats a quotation of its own article does not count twice.
fn occurrences(
    idx: &QuoteIndex,
    searcher: &Searcher,
    columns: &mut Columns,
    key: u64,
) -> Result<Option<(u64, Option<Date>)>> {
    let term = Term::from_field_u64(idx.fields.quote_key, key);
    // Almost every quotation appears once: the term's document frequency says so without a
    // search (it may count deleted copies, so more than one still needs the search).
    let mut copies = 0;
    for segment in searcher.segment_readers() {
        let count = || Ok((segment.inverted_index(idx.fields.quote_key)?.doc_freq(&term)?, 8));
        copies += *memo(columns.parts, segment, "quote_key doc_freq", key, count)?;
    }
    if copies <= 1 {
        return Ok(None);
    }
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let docs = searcher.search(
        &q,
        &TopDocs::with_limit(MAX_OCCURRENCES)
            .order_by_fast_field::<tantivy::DateTime>(schema::DATE, Order::Asc),
    )?;
    let date = docs.first().and_then(|(d, _)| *d).and_then(date_from_tantivy);
    // Distinct files: ordinals tell them apart within a segment; paths are only read when the
    // copies lie in several segments (one file's quotations may straddle a segment boundary).
    let mut ords: HashSet<(u32, u64)> = HashSet::new();
    for (_, a) in &docs {
        ords.insert((a.segment_ord, columns.file_ord(*a)?));
    }
    let n = if ords.iter().all(|o| o.0 == docs[0].1.segment_ord) {
        ords.len()
    } else {
        let mut files: HashSet<String> = HashSet::new();
        for (_, addr) in &docs {
            files.insert(columns.file(*addr)?);
        }
        files.len()
    };
    Ok(Some((n.max(1) as u64, date)))
}

/// Articles counted per repeated quotation (the count says "at least" beyond this).
const MAX_OCCURRENCES: usize = 1000;

fn to_hit(idx: &QuoteIndex, doc: &TantivyDocument, score: f32) -> Hit {
    let f = &idx.fields;
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
    let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
    let date = doc.get_first(f.date).and_then(|v| v.as_datetime()).and_then(date_from_tantivy);
    Hit {
        id: doc.get_first(f.id).and_then(|v| v.as_u64()).map(schema::id_text).unwrap_or_default(),
        quote: text(f.quote).unwrap_or_default(),
        speaker: text(f.speaker),
        role: text(f.role),
        date,
        file: text(f.file).unwrap_or_default(),
        line: doc.get_first(f.line).and_then(|v| v.as_u64()),
        title: text(f.title),
        url: text(f.url),
        paragraph: text(f.paragraph).unwrap_or_default(),
        paragraph_number: num(f.paragraph_number),
        start: num(f.start),
        end: num(f.end),
        score,
        occurrences: 1,
        first_date: date,
        rule: None,
        highlights: Vec::new(),
    }
}

/// The query for `q` alone (filters and words), for aggregations.
pub fn compile_filters(idx: &QuoteIndex, q: &SearchQuery) -> Result<Box<dyn Query>> {
    Ok(compile(idx, q)?.query)
}

/// The number of quotations matching `q` (every occurrence counts).
pub fn count(idx: &QuoteIndex, q: &SearchQuery) -> Result<(usize, Vec<String>)> {
    let c = compile(idx, q)?;
    Ok((idx.reader.searcher().search(&c.query, &Count)?, c.warnings))
}

/// Calls `each` with every quotation matching `q`, in index order, without holding them all:
/// for exports of any size.
pub fn for_each_match(
    idx: &QuoteIndex,
    q: &SearchQuery,
    each: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<Vec<String>> {
    let c = compile(idx, q)?;
    let searcher = idx.reader.searcher();
    let weight = c.query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let mut docs: Vec<u32> = Vec::new();
        let alive = seg.alive_bitset();
        weight.for_each_no_score(seg, &mut |block| {
            docs.extend(block.iter().copied().filter(|d| alive.is_none_or(|a| a.is_alive(*d))));
        })?;
        // Stream in blocks so memory stays bounded by a block, not the segment.
        for chunk in docs.chunks(1024) {
            for &d in chunk {
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, d))?;
                each(to_hit(idx, &doc, 1.0))?;
            }
        }
    }
    Ok(c.warnings)
}

/// Known speakers closest to a name that matched nothing: (name, quotes), best first.
pub fn suggest_speakers(idx: &QuoteIndex, name: &str) -> Result<Vec<(String, u64)>> {
    let wanted: Vec<String> = crate::quote::name_words(&crate::stats::fold(name));
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let searcher = idx.reader.searcher();
    let mut scored: Vec<(usize, u64, String)> = Vec::new();
    let mut keys: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(idx.fields.speaker_key)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(k) = std::str::from_utf8(stream.key()) {
                *keys.entry(k.to_string()).or_default() += stream.value().doc_freq as u64;
            }
        }
    }
    for (key, n) in keys {
        let words: Vec<&str> = key.split_whitespace().collect();
        // Each wanted word against its closest name word.
        let dist: usize = wanted
            .iter()
            .map(|w| words.iter().map(|k| levenshtein(w, k)).min().unwrap_or(usize::MAX / 4))
            .sum();
        let budget = wanted.iter().map(|w| (w.chars().count() / 3).max(1)).sum::<usize>();
        if dist <= budget {
            scored.push((dist, n, key));
        }
    }
    // A bare surname ("okafor") is a variant of the full name beside it, not another person.
    let full: Vec<String> =
        scored.iter().filter(|s| s.2.contains(' ')).map(|s| s.2.clone()).collect();
    scored.retain(|s| s.2.contains(' ') || !full.iter().any(|f| f.ends_with(&format!(" {}", s.2))));
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    for (_, _, key) in scored.into_iter().take(3) {
        let q = TermQuery::new(
            Term::from_field_text(idx.fields.speaker_key, &key),
            IndexRecordOption::Basic,
        );
        let (top, n) = searcher.search(&q, &(TopDocs::with_limit(1).order_by_score(), Count))?;
        if let Some((_, addr)) = top.first() {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            if let Some(s) = doc.get_first(idx.fields.speaker).and_then(|v| v.as_str()) {
                out.push((s.to_string(), n as u64));
            }
        }
    }
    Ok(out)
}

/// Edit distance between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != *cb) as usize).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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

/// The quotation with id `id`, if any.
pub fn by_id(idx: &QuoteIndex, id: &str) -> Result<Option<Hit>> {
    let Ok(n) = u64::from_str_radix(id, 16) else { return Ok(None) };
    let searcher = idx.reader.searcher();
    let term = Term::from_field_u64(idx.fields.id, n);
    let q = RangeQuery::new(Bound::Included(term.clone()), Bound::Included(term));
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some((_, addr)) => Ok(Some(to_hit(idx, &searcher.doc(*addr)?, 1.0))),
        None => Ok(None),
    }
}

/// The speakers quoted most among all quotations matching `q`: (name, quotes), most first.
pub fn top_speakers(idx: &QuoteIndex, q: &SearchQuery, n: usize) -> Result<Vec<(String, u64)>> {
    top_speakers_in(idx, &idx.reader.searcher(), q, n, None)
}

/// [`top_speakers`] on `searcher`, with the counts of segments seen before from `parts`.
pub fn top_speakers_in(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &SearchQuery,
    n: usize,
    parts: Option<&SegmentParts>,
) -> Result<Vec<(String, u64)>> {
    let c = compile(idx, q)?;
    let weight = c.query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let key = format!("speakers {}", filters_key(q));
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for segment in searcher.segment_readers() {
        let part = match parts.and_then(|p| p.get::<Vec<(String, u64)>>(&key, segment)) {
            Some(part) => part,
            None => {
                let part = Arc::new(speaker_counts(&*weight, segment)?);
                if let Some(p) = parts {
                    let bytes = part.iter().map(|(s, _)| s.len() + 32).sum();
                    p.insert(&key, segment, part.clone(), bytes);
                }
                part
            }
        };
        for (name, c) in part.iter() {
            *counts.entry(name.clone()).or_default() += c;
        }
    }
    let mut top: Vec<(String, u64)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(n);
    // Display names from one stored quotation each.
    let mut out = Vec::with_capacity(top.len());
    for (key, n) in top {
        let tq = TermQuery::new(
            Term::from_field_text(idx.fields.speaker_key, &key),
            IndexRecordOption::Basic,
        );
        let first = searcher.search(&tq, &TopDocs::with_limit(1).order_by_score())?;
        let name = match first.first() {
            Some((_, a)) => {
                let d: TantivyDocument = searcher.doc(*a)?;
                d.get_first(idx.fields.speaker).and_then(|v| v.as_str()).unwrap_or(&key).to_string()
            }
            None => key,
        };
        out.push((name, n));
    }
    Ok(out)
}

/// Quotations matching `weight` in one segment, per speaker key.
fn speaker_counts(weight: &dyn Weight, seg: &tantivy::SegmentReader) -> Result<Vec<(String, u64)>> {
    let Some(keys) = seg.fast_fields().str(schema::SPEAKER_KEY)? else { return Ok(Vec::new()) };
    let alive = seg.alive_bitset();
    let mut per_ord: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
    weight.for_each_no_score(seg, &mut |docs| {
        for &d in docs {
            if alive.is_none_or(|a| a.is_alive(d)) {
                if let Some(ord) = keys.term_ords(d).next() {
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
        }
    })?;
    let mut out = Vec::with_capacity(per_ord.len());
    for (ord, c) in per_ord {
        let mut s = String::new();
        keys.ord_to_str(ord, &mut s)?;
        out.push((s, c));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        let cases: &[(&str, &str, &str, usize)] = &[
            ("same", "okafor", "okafor", 0),
            ("one typo", "okafur", "okafor", 1),
            ("missing letter", "okfor", "okafor", 1),
            ("different (negative)", "lindqvist", "okafor", 9),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(levenshtein(a, b), *want, "case {name}");
        }
    }

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
