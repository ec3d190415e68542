//! A bounded cache of search results for `quoth serve`, valid for one index generation.
//!
//! A newsroom repeats searches: a shared link opened by several colleagues, going back a page,
//! the page asking again after a filter is cleared. The answer only changes when a `quoth index`
//! run commits, so each entry belongs to the reader's generation: the first request that sees
//! a newer generation empties the cache. Used by `server` only; knows nothing of HTTP.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Results by request key, for the newest generation seen; oldest entries leave first.
pub struct ResultCache<V> {
    capacity: usize,
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    generation: u64,
    entries: HashMap<String, Arc<V>>,
    order: VecDeque<String>,
}

impl<V> ResultCache<V> {
    /// A cache of at most `capacity` entries; 0 keeps nothing.
    pub fn new(capacity: usize) -> ResultCache<V> {
        let inner = Inner { generation: 0, entries: HashMap::new(), order: VecDeque::new() };
        ResultCache { capacity, inner: Mutex::new(inner) }
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
        inner.entries.get(key).cloned()
    }

    /// Keeps `value` for `key`, computed at `generation`; a value from an older generation
    /// than the cache's is dropped, since it may already be stale.
    pub fn insert(&self, generation: u64, key: String, value: Arc<V>) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation || inner.entries.contains_key(&key) {
            return;
        }
        while inner.entries.len() >= self.capacity {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.entries.remove(&old);
                }
                None => break,
            }
        }
        inner.order.push_back(key.clone());
        inner.entries.insert(key, value);
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_generation_hits() {
        let c = ResultCache::new(4);
        c.insert(1, "a".into(), Arc::new(10));
        assert_eq!(c.get(1, "a").as_deref(), Some(&10));
        assert_eq!(c.get(1, "b"), None);
    }

    #[test]
    fn newer_generation_empties_the_cache() {
        let c = ResultCache::new(4);
        c.insert(1, "a".into(), Arc::new(10));
        assert_eq!(c.get(2, "a"), None);
        assert!(c.is_empty());
    }

    #[test]
    fn value_of_an_older_generation_is_not_kept() {
        let c = ResultCache::new(4);
        assert_eq!(c.get(3, "a"), None);
        c.insert(2, "a".into(), Arc::new(10));
        assert_eq!(c.get(3, "a"), None);
        assert_eq!(c.get(2, "a"), None);
    }

    #[test]
    fn oldest_entry_leaves_first() {
        let c = ResultCache::new(2);
        c.insert(1, "a".into(), Arc::new(1));
        c.insert(1, "b".into(), Arc::new(2));
        c.insert(1, "c".into(), Arc::new(3));
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(1, "a"), None);
        assert_eq!(c.get(1, "c").as_deref(), Some(&3));
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let c = ResultCache::new(0);
        c.insert(1, "a".into(), Arc::new(1));
        assert_eq!(c.get(1, "a"), None);
    }
}
