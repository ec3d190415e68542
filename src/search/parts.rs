//! Per-segment parts of search answers, kept between searches by a long-running searcher
//! (`quoth serve`), so that a commit costs a search only the segments it added.
//!
//! A tantivy segment never changes once written; only its deletions grow. The part of an
//! answer that one segment holds (its best matches, how many match, its speakers) therefore
//! stays right for as long as the segment lives with the same number of deletions, and `search`
//! merges cached parts of old segments with fresh parts of new ones. Relevance scores also
//! depend on statistics of the whole index (how many quotations hold a word, how long they are):
//! those come from a *scoring basis*, a snapshot of the index renewed once the index has
//! changed by more than a tenth, so that cached and fresh scores of one answer compare. A tenth
//! more quotations moves those statistics, and so the scores, by little: matches that score
//! nearly alike may swap places. After a renewal, searches move to the new basis a sixteenth at
//! a time, so that no moment re-ranks everything. Knows nothing of HTTP.

use std::any::Any;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

use crate::bounded::Bounded;

/// Which part: the search (as `search` spells it) and the segment state it was computed on.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PartKey {
    search: String,
    segment: SegmentId,
    deleted: u32,
}

/// Parts of answers by search and segment, bounded in bytes, and the scoring basis.
pub struct SegmentParts {
    inner: Mutex<Inner>,
    /// How long searches take to move to a renewed scoring basis.
    move_over: Duration,
    /// Parts asked for and not found: proves in tests which segments were searched.
    #[cfg(test)]
    misses: std::sync::atomic::AtomicUsize,
}

/// A memo of one segment: what kind of thing and which one (a document, a term).
type MemoKey = (SegmentId, &'static str, u64);

struct Inner {
    parts: Bounded<PartKey, Arc<dyn Any + Send + Sync>>,
    /// Things read from a segment that never change while it lives (stored quotations, fast
    /// field columns, term counts), whatever its deletions.
    memos: Bounded<MemoKey, Arc<dyn Any + Send + Sync>>,
    basis: Option<Basis>,
    /// The basis before the last renewal, while searches move off it.
    previous: Option<Basis>,
    /// The searcher generation whose segments the parts were last swept against.
    swept: u64,
}

/// How much the index may change before scores are computed on new statistics: a tenth.
const DRIFT: u64 = 10;

/// Searches move to a renewed scoring basis over this long, a sixteenth of them at a time (by a
/// hash of the search), so that a renewal never re-ranks every cached search at once.
const MOVE_OVER: Duration = Duration::from_secs(16);

/// Index statistics that relevance scores are computed on, and which renewal they are.
#[derive(Clone)]
struct Basis {
    searcher: Searcher,
    /// The generation of `searcher`.
    generation: u64,
    epoch: u64,
    since: Instant,
}

impl SegmentParts {
    /// Parts (and as much again of memos) of at most `max_bytes` as estimated; 0 keeps none.
    pub fn new(max_bytes: usize) -> SegmentParts {
        let capacity = if max_bytes == 0 { 0 } else { usize::MAX };
        let inner = Inner {
            parts: Bounded::new(capacity, max_bytes),
            memos: Bounded::new(capacity, max_bytes),
            basis: None,
            previous: None,
            swept: 0,
        };
        SegmentParts {
            inner: Mutex::new(inner),
            move_over: MOVE_OVER,
            #[cfg(test)]
            misses: Default::default(),
        }
    }

    /// Whether anything can be kept (a budget of 0 keeps nothing).
    pub fn enabled(&self) -> bool {
        self.lock().parts.capacity() > 0
    }

    /// Prepares `search` on `searcher`: drops the parts of segments it no longer holds (once
    /// per generation) and returns the scoring basis for this search with its epoch (relevance
    /// parts are computed under one epoch).
    pub(super) fn begin(&self, searcher: &Searcher, search: &str) -> (Searcher, u64) {
        let mut inner = self.lock();
        let generation = searcher.generation().generation_id();
        if generation > inner.swept {
            inner.swept = generation;
            let live: HashSet<(SegmentId, u32)> = searcher
                .segment_readers()
                .iter()
                .map(|s| (s.segment_id(), s.num_deleted_docs()))
                .collect();
            let ids: HashSet<SegmentId> = live.iter().map(|(id, _)| *id).collect();
            inner.parts.retain(|k| live.contains(&(k.segment, k.deleted)));
            inner.memos.retain(|k| ids.contains(&k.0));
        }
        let current = match inner.basis.take() {
            // A basis taken from a newer generation serves an older searcher as well (requests
            // still on the old generation while the next one is warmed): never go back.
            Some(basis)
                if basis.generation >= generation || !drifted(&basis.searcher, searcher) =>
            {
                basis
            }
            old => {
                let epoch = old.as_ref().map_or(1, |b| b.epoch + 1);
                // Searches move off the old basis gradually, unless it held nothing: statistics
                // of no quotations give no scores at all.
                inner.previous = old.filter(|b| b.searcher.num_docs() > 0);
                Basis { searcher: searcher.clone(), generation, epoch, since: Instant::now() }
            }
        };
        inner.basis = Some(current.clone());
        let moved = current.since.elapsed();
        if moved >= self.move_over {
            inner.previous = None;
        }
        match &inner.previous {
            // This search's turn to move has not come yet.
            Some(previous) if moved < self.move_over * turn(search) / 16 => {
                (previous.searcher.clone(), previous.epoch)
            }
            _ => (current.searcher, current.epoch),
        }
    }

    /// The part of `search` on `segment`, if it was computed before.
    pub(super) fn get<T: Any + Send + Sync>(
        &self,
        search: &str,
        segment: &SegmentReader,
    ) -> Option<Arc<T>> {
        let key = key(search, segment);
        let part = self.lock().parts.get(&key).cloned();
        #[cfg(test)]
        if part.is_none() {
            self.misses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        part?.downcast::<T>().ok()
    }

    /// Keeps the part of `search` on `segment`, about `bytes` large.
    pub(super) fn insert<T: Any + Send + Sync>(
        &self,
        search: &str,
        segment: &SegmentReader,
        part: Arc<T>,
        bytes: usize,
    ) {
        self.lock().parts.insert(key(search, segment), part, bytes + search.len() + 64);
    }

    #[cfg(test)]
    pub(super) fn misses(&self) -> usize {
        self.misses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// What `make` reads from `segment` as `kind` number `item`, read once while the segment
    /// lives (and the memo has room).
    pub(super) fn memo<T: Any + Send + Sync>(
        &self,
        segment: &SegmentReader,
        kind: &'static str,
        item: u64,
        make: impl FnOnce() -> anyhow::Result<(T, usize)>,
    ) -> anyhow::Result<Arc<T>> {
        let key = (segment.segment_id(), kind, item);
        let found = self.lock().memos.get(&key).cloned();
        if let Some(value) = found.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(value);
        }
        let (value, bytes) = make()?;
        let value = Arc::new(value);
        self.lock().memos.insert(key, value.clone(), bytes + 48);
        Ok(value)
    }

    /// Parts held now.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().parts.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every change is one call on the map: a panic elsewhere leaves it consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// When, in sixteenths of the move to a new scoring basis, `search` moves.
fn turn(search: &str) -> u32 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    search.hash(&mut h);
    (h.finish() % 16) as u32
}

fn key(search: &str, segment: &SegmentReader) -> PartKey {
    PartKey {
        search: search.to_string(),
        segment: segment.segment_id(),
        deleted: segment.num_deleted_docs(),
    }
}

/// Whether `now` differs from the scoring basis by more than a tenth of the basis's
/// quotations: added or removed, or rewritten (held by segments the basis does not know, after
/// a rebuild or a merge).
fn drifted(basis: &Searcher, now: &Searcher) -> bool {
    let before = basis.num_docs();
    let after = now.num_docs();
    // Quotations of the basis still alive now (deletions in a kept segment count as changes).
    let kept: u64 = basis
        .segment_readers()
        .iter()
        .filter_map(|s| {
            let same = now.segment_readers().iter().find(|n| n.segment_id() == s.segment_id())?;
            Some(u64::from(s.num_docs().min(same.num_docs())))
        })
        .sum();
    before.abs_diff(after) * DRIFT > before || (before - kept.min(before)) * DRIFT > before
}

/// `read` of thing `item` of one segment through the memo of `parts`, or directly without one.
pub(super) fn memo<T: Any + Send + Sync>(
    parts: Option<&SegmentParts>,
    segment: &tantivy::SegmentReader,
    kind: &'static str,
    item: u64,
    read: impl FnOnce() -> anyhow::Result<(T, usize)>,
) -> anyhow::Result<Arc<T>> {
    match parts {
        Some(p) => p.memo(segment, kind, item, read),
        None => Ok(Arc::new(read()?.0)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::index::{index_paths, IndexOptions, QuoteIndex};
    use crate::search::rank::rank;
    use crate::search::{search, search_in, top_speakers, top_speakers_in, SearchQuery, Sort};

    /// `n` articles, each with two quotations of Okafor (one on tariffs) and one of Lindqvist.
    fn write_articles(dir: &Path, from: usize, n: usize) {
        for i in from..from + n {
            let text = format!(
                "date 2023-05-{:02}\n\nFinance Minister Adaeze Okafor spoke in Veld.\n\n“Tariffs number {i} are a tax on farmers,” Okafor said.\n\n“The harbour {i} stays open,” she added.\n\n“Ferries {i} run on time,” said Mayor Ilse Lindqvist.\n",
                1 + i % 28
            );
            std::fs::write(dir.join(format!("a{i:03}.txt")), text).unwrap();
        }
    }

    fn reindex(idx: &QuoteIndex, articles: &Path) {
        let opts = IndexOptions { threads: 1, ..IndexOptions::default() };
        index_paths(idx, &[articles.to_path_buf()], &opts, &|_| {}).unwrap();
        idx.reader.reload().unwrap();
    }

    fn queries() -> Vec<SearchQuery> {
        let q = |text: &str, sort| SearchQuery {
            text: text.to_string(),
            sort,
            limit: 5,
            ..SearchQuery::default()
        };
        vec![
            q("tariffs", Sort::Relevance),
            q("harbour stays", Sort::Relevance),
            q("tariffs", Sort::Newest),
            q("", Sort::Oldest),
            SearchQuery { speakers: vec!["lindqvist".into()], ..q("ferries", Sort::Relevance) },
        ]
    }

    /// A temporary index of `n` articles, and the folder they are in.
    fn indexed(n: usize) -> (tempfile::TempDir, std::path::PathBuf, QuoteIndex) {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        write_articles(&articles, 0, n);
        let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
        reindex(&idx, &articles);
        (dir, articles, idx)
    }

    fn ids(r: &crate::search::SearchResult) -> Vec<&str> {
        r.hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn parts_survive_a_commit_and_new_segments_join_them() {
        let (_dir, articles, idx) = indexed(40);
        let parts = SegmentParts::new(1 << 20);
        for q in queries() {
            search_in(&idx, &idx.reader.searcher(), &q, Some(&parts)).unwrap();
        }
        let before = parts.len();
        assert_eq!(before, queries().len() * idx.reader.searcher().segment_readers().len());
        let misses = parts.misses();
        let epoch = parts.begin(&idx.reader.searcher(), "").1;

        // One new article: a new segment, less than a tenth more quotations.
        write_articles(&articles, 40, 1);
        reindex(&idx, &articles);
        let searcher = idx.reader.searcher();
        assert_eq!(parts.begin(&searcher, "").1, epoch, "the scoring basis is kept");
        for q in queries() {
            let cached = search_in(&idx, &searcher, &q, Some(&parts)).unwrap();
            let fresh = search(&idx, &q).unwrap();
            assert_eq!(cached.total, fresh.total, "{q:?}");
            assert_eq!(ids(&cached), ids(&fresh), "{q:?}");
        }
        // Only the new segments were searched: the old segments' parts were used again.
        let old = before / queries().len();
        let new = searcher.segment_readers().len() - old;
        assert!(new >= 1);
        assert_eq!(parts.misses() - misses, queries().len() * new);
        assert_eq!(parts.len(), before + queries().len() * new);
        let q =
            SearchQuery { text: "\"tariffs number 40\"".into(), limit: 5, ..Default::default() };
        let hit = search_in(&idx, &searcher, &q, Some(&parts)).unwrap();
        assert_eq!(hit.total, 1, "the new article's quotation is found");
        let (a, b) = (
            top_speakers_in(&idx, &searcher, &queries()[0], 3, Some(&parts)).unwrap(),
            top_speakers(&idx, &queries()[0], 3).unwrap(),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn deletions_make_a_segment_search_again() {
        let (_dir, articles, idx) = indexed(40);
        let parts = SegmentParts::new(1 << 20);
        let q = SearchQuery { text: "tariffs".into(), limit: 100, ..SearchQuery::default() };
        let first = search_in(&idx, &idx.reader.searcher(), &q, Some(&parts)).unwrap();
        assert_eq!(first.total, 40);
        let facets = top_speakers_in(&idx, &idx.reader.searcher(), &q, 3, Some(&parts)).unwrap();
        assert_eq!(facets[0].1, 40);

        std::fs::remove_file(articles.join("a007.txt")).unwrap();
        reindex(&idx, &articles);
        let searcher = idx.reader.searcher();
        let after = search_in(&idx, &searcher, &q, Some(&parts)).unwrap();
        assert_eq!(after.total, 39);
        assert_eq!(ids(&after), ids(&search(&idx, &q).unwrap()));
        assert!(after.hits.iter().all(|h| !h.quote.contains("number 7 ")));
        let facets = top_speakers_in(&idx, &searcher, &q, 3, Some(&parts)).unwrap();
        assert_eq!(facets[0].1, 39);
    }

    #[test]
    fn a_tenth_more_quotations_renews_the_scoring_basis() {
        let (_dir, articles, idx) = indexed(10);
        let mut parts = SegmentParts::new(1 << 20);
        parts.move_over = Duration::ZERO;
        let epoch = parts.begin(&idx.reader.searcher(), "").1;
        write_articles(&articles, 10, 2);
        reindex(&idx, &articles);
        let searcher = idx.reader.searcher();
        assert_eq!(parts.begin(&searcher, "").1, epoch + 1);
        // Relevance answers then score exactly as a fresh search does.
        let q = &queries()[1];
        let cached = search_in(&idx, &searcher, q, Some(&parts)).unwrap();
        let fresh = search(&idx, q).unwrap();
        let scores = |r: &crate::search::SearchResult| -> Vec<f32> {
            r.hits.iter().map(|h| h.score).collect()
        };
        assert_eq!(scores(&cached), scores(&fresh));
    }

    #[test]
    fn searches_move_to_a_renewed_basis_a_sixteenth_at_a_time() {
        let (_dir, articles, idx) = indexed(10);
        let mut parts = SegmentParts::new(1 << 20);
        parts.move_over = Duration::from_secs(3600);
        let epoch = parts.begin(&idx.reader.searcher(), "").1;
        write_articles(&articles, 10, 2);
        reindex(&idx, &articles);
        let searcher = idx.reader.searcher();
        let searches: Vec<String> = (0..64).map(|i| format!("search {i}")).collect();
        let epochs: Vec<u64> = searches.iter().map(|s| parts.begin(&searcher, s).1).collect();
        // Right after the renewal, only the searches of the first turn have moved...
        let moved: Vec<&String> = searches
            .iter()
            .zip(&epochs)
            .filter(|(_, e)| **e == epoch + 1)
            .map(|(s, _)| s)
            .collect();
        assert!(epochs.iter().all(|e| *e == epoch || *e == epoch + 1));
        assert!(!moved.is_empty() && moved.len() < 16, "{} moved", moved.len());
        assert!(moved.iter().all(|s| turn(s) == 0));
        // ...and a search keeps its basis from one request to the next.
        assert_eq!(parts.begin(&searcher, &searches[0]).1, epochs[0]);
        // Once the move is over, every search is on the new basis.
        parts.move_over = Duration::ZERO;
        assert!(searches.iter().all(|s| parts.begin(&searcher, s).1 == epoch + 1));
    }

    #[test]
    fn an_empty_basis_is_left_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
        let mut parts = SegmentParts::new(1 << 20);
        parts.move_over = Duration::from_secs(3600);
        assert_eq!(parts.begin(&idx.reader.searcher(), "").1, 1);
        write_articles(&articles, 0, 5);
        reindex(&idx, &articles);
        let searcher = idx.reader.searcher();
        // Statistics of no quotations would score nothing: every search moves now.
        assert!((0..32).all(|i| parts.begin(&searcher, &format!("s{i}")).1 == 2));
        let q = SearchQuery { text: "tariffs".into(), limit: 5, ..SearchQuery::default() };
        assert_eq!(search_in(&idx, &searcher, &q, Some(&parts)).unwrap().hits.len(), 5);
    }

    #[test]
    fn an_older_generation_keeps_a_newer_basis() {
        let (_dir, articles, idx) = indexed(10);
        let mut parts = SegmentParts::new(1 << 20);
        parts.move_over = Duration::ZERO;
        let old = idx.reader.searcher();
        let epoch = parts.begin(&old, "").1;
        write_articles(&articles, 10, 5);
        reindex(&idx, &articles);
        let new = idx.reader.searcher();
        assert_eq!(parts.begin(&new, "").1, epoch + 1);
        // A request still on the older generation (the newer one is being warmed) does not
        // renew the basis back, which would make every search of both miss in turn.
        assert_eq!(parts.begin(&old, "").1, epoch + 1);
        assert_eq!(parts.begin(&new, "").1, epoch + 1);
    }

    #[test]
    fn nothing_is_kept_with_no_budget() {
        let (_dir, _, idx) = indexed(3);
        let parts = SegmentParts::new(0);
        search_in(&idx, &idx.reader.searcher(), &queries()[0], Some(&parts)).unwrap();
        assert_eq!(parts.len(), 0);
    }

    #[test]
    fn merged_parts_rank_as_tantivy_does() {
        use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
        use tantivy::collector::TopDocs;
        use tantivy::query::{EnableScoring, QueryParser};
        use tantivy::Order;

        // Three commits, three segments at least; many quotations share a date (ties).
        let (_dir, articles, idx) = indexed(30);
        for batch in 1..3 {
            write_articles(&articles, batch * 30, 30);
            reindex(&idx, &articles);
        }
        let searcher = idx.reader.searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let parser = QueryParser::for_index(&idx.index, vec![idx.fields.quote]);
        for text in ["tariffs", "harbour OR ferries", "number"] {
            let query = parser.parse_query(text).unwrap();
            let weight = query.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            for window in [1, 7, 50, 500] {
                let name = format!("{text} {window}");
                let (ours, total) =
                    rank(&searcher, &*weight, || SortBySimilarityScore, window, false, None, "")
                        .unwrap();
                let theirs =
                    searcher.search(&query, &TopDocs::with_limit(window).order_by_score()).unwrap();
                let addr = |v: &[(f32, tantivy::DocAddress)]| -> Vec<_> {
                    v.iter().map(|(_, a)| *a).collect()
                };
                assert_eq!(addr(&ours), addr(&theirs), "by score: {name}");
                assert_eq!(total, searcher.search(&query, &tantivy::collector::Count).unwrap());
                for order in [Order::Desc, Order::Asc] {
                    let by = || {
                        (SortByStaticFastValue::<i64>::for_field(crate::index::schema::DATE), order)
                    };
                    let (ours, _) = rank(&searcher, &*weight, by, window, false, None, "").unwrap();
                    let theirs = searcher
                        .search(&query, &TopDocs::with_limit(window).order_by(by()))
                        .unwrap();
                    assert_eq!(ours, theirs, "by date {order:?}: {name}");
                }
            }
        }
    }
}
