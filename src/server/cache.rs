//! A bounded cache of search results for `quoth serve`, valid for one index generation.
//!
//! A newsroom repeats searches: a shared link opened by several colleagues, going back a page,
//! the page asking again after a filter is cleared. The answer only changes when a `quoth index`
//! run commits, so each entry belongs to the reader's generation: the first request that sees
//! a newer generation replaces the entries by those computed ahead for it (the server answers
//! the cached searches again on a new generation before the reader switches to it), or empties
//! the cache. Used by `server` only; knows nothing of HTTP.

use std::sync::{Arc, Mutex};

use crate::bounded::Bounded;

/// Results by request key, for the newest generation seen; oldest entries leave first. Bounded
/// both in entries and in bytes (as the caller estimates each entry).
pub struct ResultCache<V> {
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    generation: u64,
    entries: Bounded<String, Arc<V>>,
    /// Entries of a newer generation than requests see yet, computed ahead of it (`Warm`).
    next: Option<(u64, Bounded<String, Arc<V>>)>,
    capacity: usize,
    max_bytes: usize,
}

impl<V> ResultCache<V> {
    /// A cache of at most `capacity` entries and `max_bytes` bytes per generation; 0 keeps
    /// nothing.
    pub fn new(capacity: usize, max_bytes: usize) -> ResultCache<V> {
        let inner = Inner {
            generation: 0,
            entries: Bounded::new(capacity, max_bytes),
            next: None,
            capacity,
            max_bytes,
        };
        ResultCache { inner: Mutex::new(inner) }
    }

    /// The entry for `key` computed at `generation`, if any. A newer generation than the
    /// cache's replaces its entries by those computed ahead for it, if any.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<V>> {
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// Keeps `value` (about `bytes` large) for `key`, computed at `generation`. A value from an
    /// older generation than the cache's (the newest a request asked `get` for) is dropped,
    /// since it may already be stale; one of a newer generation is kept apart until requests
    /// see that generation.
    pub fn insert(&self, generation: u64, key: String, value: Arc<V>, bytes: usize) {
        let mut inner = self.lock();
        let inner = &mut *inner;
        if generation == inner.generation {
            inner.entries.insert(key, value, bytes);
        } else if generation > inner.generation {
            if inner.next.as_ref().is_none_or(|(g, _)| *g < generation) {
                inner.next = Some((generation, Bounded::new(inner.capacity, inner.max_bytes)));
            }
            if let Some((g, next)) = &mut inner.next {
                if *g == generation {
                    next.insert(key, value, bytes);
                }
            }
        }
    }

    /// The entries of the generation requests see now, the most recently added first.
    pub fn newest_first(&self) -> Vec<(String, Arc<V>)> {
        let inner = self.lock();
        inner.entries.newest_first().map(|(k, v)| (k.clone(), v.clone())).collect()
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
        // A panic while holding the lock leaves the map consistent (every change is one call).
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<V> Inner<V> {
    fn advance(&mut self, generation: u64) {
        if generation > self.generation {
            self.generation = generation;
            self.entries = match self.next.take() {
                Some((g, ahead)) if g == generation => ahead,
                // Made ahead for a generation newer still: keep it for that one.
                Some(ahead) if ahead.0 > generation => {
                    self.next = Some(ahead);
                    Bounded::new(self.capacity, self.max_bytes)
                }
                _ => Bounded::new(self.capacity, self.max_bytes),
            };
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
    fn entries_computed_ahead_wait_for_their_generation() {
        let c = ResultCache::new(4, 1000);
        assert_eq!(c.get(1, "a"), None);
        c.insert(1, "a".into(), Arc::new(10), 10);
        c.insert(2, "a".into(), Arc::new(20), 10);
        // Requests still on generation 1 see its entries...
        assert_eq!(c.get(1, "a").as_deref(), Some(&10));
        assert_eq!(c.newest_first().len(), 1);
        // ...and the first request on generation 2 finds the entry made ahead for it.
        assert_eq!(c.get(2, "a").as_deref(), Some(&20));
        assert_eq!(c.get(1, "a"), None);
        // Entries made ahead for a newer generation still wait when an older one is seen...
        c.insert(4, "b".into(), Arc::new(40), 10);
        assert_eq!(c.get(3, "b"), None);
        assert_eq!(c.get(4, "b").as_deref(), Some(&40));
        // ...and those made for a generation that was skipped are dropped.
        c.insert(5, "c".into(), Arc::new(50), 10);
        assert_eq!(c.get(6, "c"), None);
        assert!(c.is_empty());
    }

    #[test]
    fn newest_entries_come_first() {
        let c = ResultCache::new(4, 1000);
        assert_eq!(c.get(1, "a"), None);
        for (i, k) in ["a", "b", "c"].iter().enumerate() {
            c.insert(1, k.to_string(), Arc::new(i), 10);
        }
        let keys: Vec<String> = c.newest_first().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["c", "b", "a"]);
    }

    #[test]
    fn value_of_an_older_generation_is_not_kept() {
        let c = ResultCache::new(4, 1000);
        assert_eq!(c.get(3, "a"), None);
        c.insert(2, "a".into(), Arc::new(10), 10);
        assert_eq!(c.get(3, "a"), None);
        assert_eq!(c.get(2, "a"), None);
    }
}
