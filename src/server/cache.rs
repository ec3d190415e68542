//! A bounded cache of search results for `quoth serve`, valid for one index generation.
//!
//! A newsroom repeats searches: a shared link opened by several colleagues, going back a page,
//! the page asking again after a filter is cleared. The answer only changes when a `quoth index`
//! run commits, so each entry belongs to the reader's generation: the first request that sees
//! a newer generation empties the cache. Used by `server` only; knows nothing of HTTP.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Results by request key, for the newest generation seen; oldest entries leave first. Bounded
/// both in entries and in bytes (as the caller estimates each entry).
pub struct ResultCache<V> {
    capacity: usize,
    max_bytes: usize,
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    generation: u64,
    entries: HashMap<String, (Arc<V>, usize)>,
    order: VecDeque<String>,
    bytes: usize,
}

impl<V> ResultCache<V> {
    /// A cache of at most `capacity` entries and `max_bytes` bytes; 0 keeps nothing.
    pub fn new(capacity: usize, max_bytes: usize) -> ResultCache<V> {
        let inner =
            Inner { generation: 0, entries: HashMap::new(), order: VecDeque::new(), bytes: 0 };
        ResultCache { capacity, max_bytes, inner: Mutex::new(inner) }
    }

    /// The entry for `key` computed at `generation`, if any. A newer generation than the
    /// cache's empties it first.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<V>> {
        if self.capacity == 0 {
            return None;
        }
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation {
            return None;
        }
        inner.entries.get(key).map(|(v, _)| v.clone())
    }

    /// Keeps `value` (about `bytes` large) for `key`, computed at `generation`; a value from an
    /// older generation than the cache's is dropped, since it may already be stale.
    pub fn insert(&self, generation: u64, key: String, value: Arc<V>, bytes: usize) {
        if self.capacity == 0 || bytes > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation || inner.entries.contains_key(&key) {
            return;
        }
        while inner.entries.len() >= self.capacity || inner.bytes + bytes > self.max_bytes {
            let Some(old) = inner.order.pop_front() else { break };
            if let Some((_, size)) = inner.entries.remove(&old) {
                inner.bytes -= size;
            }
        }
        inner.order.push_back(key.clone());
        inner.entries.insert(key, (value, bytes));
        inner.bytes += bytes;
    }

    /// Entries held now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether the cache holds nothing.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        // A panic while holding the lock leaves the maps consistent (every change is one call).
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<V> Inner<V> {
    fn advance(&mut self, generation: u64) {
        if generation > self.generation {
            self.generation = generation;
            self.entries.clear();
            self.order.clear();
            self.bytes = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_generation_hits() {
        let c = ResultCache::new(4, 1000);
        c.insert(1, "a".into(), Arc::new(10), 10);
        assert_eq!(c.get(1, "a").as_deref(), Some(&10));
        assert_eq!(c.get(1, "b"), None);
    }

    #[test]
    fn newer_generation_empties_the_cache() {
        let c = ResultCache::new(4, 1000);
        c.insert(1, "a".into(), Arc::new(10), 10);
        assert_eq!(c.get(2, "a"), None);
        assert!(c.is_empty());
    }

    #[test]
    fn value_of_an_older_generation_is_not_kept() {
        let c = ResultCache::new(4, 1000);
        assert_eq!(c.get(3, "a"), None);
        c.insert(2, "a".into(), Arc::new(10), 10);
        assert_eq!(c.get(3, "a"), None);
        assert_eq!(c.get(2, "a"), None);
    }

    #[test]
    fn oldest_entry_leaves_first() {
        let c = ResultCache::new(2, 1000);
        c.insert(1, "a".into(), Arc::new(1), 10);
        c.insert(1, "b".into(), Arc::new(2), 10);
        c.insert(1, "c".into(), Arc::new(3), 10);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(1, "a"), None);
        assert_eq!(c.get(1, "c").as_deref(), Some(&3));
    }

    #[test]
    fn byte_budget_evicts_oldest_and_refuses_the_oversized() {
        let c = ResultCache::new(10, 100);
        c.insert(1, "a".into(), Arc::new(1), 60);
        c.insert(1, "b".into(), Arc::new(2), 60);
        assert_eq!(c.get(1, "a"), None);
        assert_eq!(c.get(1, "b").as_deref(), Some(&2));
        c.insert(1, "c".into(), Arc::new(3), 101);
        assert_eq!(c.get(1, "c"), None);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let c = ResultCache::new(0, 1000);
        c.insert(1, "a".into(), Arc::new(1), 10);
        assert_eq!(c.get(1, "a"), None);
    }
}
