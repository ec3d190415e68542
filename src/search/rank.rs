//! Ranking one search segment by segment: the best matches in relevance or date order and how
//! many match, each segment's part taken from [`SegmentParts`] when computed before, merged in
//! the order tantivy's own collector would give.
//!
//! Knows tantivy's collectors and the cache of parts; knows nothing of what a hit holds.

use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::sort_key::{Comparator, SortKeyComputer};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Searcher};

use super::parts::SegmentParts;

/// What one segment holds of a ranking: its best matches (sort key and document) and how many
/// match there.
pub(super) struct RankPart<K> {
    docs: Vec<(K, DocId)>,
    count: usize,
}

/// The best `window` matches of `weight` in the order `by` makes, and how many match, segment by
/// segment: each segment's part comes from `parts` when it was computed before (under `key`),
/// else from tantivy's own collector, and the parts merge in that collector's order (its
/// comparator, ties to the lower document address). `apart`: count separately from ranking.
pub(super) fn rank<S, K>(
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
pub(super) trait KeyBytes {
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
impl KeyBytes for (Option<i64>, (Option<String>, (Option<u64>, Option<u64>))) {
    fn heap_bytes(&self) -> usize {
        self.1 .0.as_ref().map_or(0, String::len)
    }
}
