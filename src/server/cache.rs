//! A bounded cache of search results for `quoth serve`, valid for one index generation.
//!
//! A newsroom repeats searches: a shared link opened by several colleagues, going back a page,
//! the page asking again after a filter is cleared. The answer only changes when a `quoth index`
//! run commits, so each entry belongs to the reader's generation: the first request that sees
//! a newer generation replaces the entries by those computed ahead for it (the server answers
//! the cached searches again on a new generation before the reader switches to it), or empties
//! the cache. Used by `server` only; knows nothing of HTTP.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::bounded::Bounded;

/// Results by request key, for the newest generation seen; oldest entries leave first. Bounded
/// both in entries and in bytes (as the caller estimates each entry).
pub struct ResultCache<V> {
    inner: Mutex<Inner<V>>,
}

/// A value, the generation it was computed at, and its size as the caller estimated it.
struct Entry<V> {
    generation: u64,
    bytes: usize,
    value: Arc<V>,
}

impl<V> Clone for Entry<V> {
    fn clone(&self) -> Self {
        Entry { generation: self.generation, bytes: self.bytes, value: self.value.clone() }
    }
}

struct Inner<V> {
    generation: u64,
    entries: Bounded<String, Entry<V>>,
    /// Entries of a newer generation than requests see yet, computed ahead of it (`Warm`).
    next: Option<(u64, Bounded<String, Entry<V>>)>,
    /// Whether entries of older generations stay (within the bounds) for
    /// [`ResultCache::get_stale`], rather than leave when a newer generation is seen.
    keep_stale: bool,
    /// When each of the latest generations was first asked for (newest last): an entry of an
    /// older one has been stale since the next one came.
    seen: std::collections::VecDeque<(u64, Instant)>,
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
            keep_stale: false,
            seen: Default::default(),
            capacity,
            max_bytes,
        };
        ResultCache { inner: Mutex::new(inner) }
    }

    /// Like [`ResultCache::new`], but entries of older generations stay, within the same
    /// bounds, until a newer answer replaces them or they are the oldest: for
    /// [`ResultCache::get_stale`].
    pub fn keeping_stale(capacity: usize, max_bytes: usize) -> ResultCache<V> {
        let cache = ResultCache::new(capacity, max_bytes);
        cache.lock().keep_stale = true;
        cache
    }

    /// The entry for `key` computed at `generation`, if any. A newer generation than the
    /// cache's replaces its entries by those computed ahead for it, if any.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<V>> {
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation {
            return None;
        }
        inner.entries.get(key).filter(|e| e.generation == generation).map(|e| e.value.clone())
    }

    /// The entry for `key` of a generation older than `generation`, when the cache keeps them
    /// and has none of `generation` for it (an answer that was right before the last commits),
    /// and how long it has been stale: since the first request on a newer generation.
    pub fn get_stale(&self, generation: u64, key: &str) -> Option<(Arc<V>, Duration)> {
        let mut inner = self.lock();
        inner.advance(generation);
        if inner.generation != generation {
            return None;
        }
        let entry = inner.entries.get(key).filter(|e| e.generation < generation)?;
        let (_, since) = inner.seen.iter().find(|(g, _)| *g > entry.generation)?;
        Some((entry.value.clone(), since.elapsed()))
    }

    /// Keeps `value` (about `bytes` large) for `key`, computed at `generation`. A value from an
    /// older generation than the cache's (the newest a request asked `get` for) is dropped,
    /// since it may already be stale; one of a newer generation is kept apart until requests
    /// see that generation.
    pub fn insert(&self, generation: u64, key: String, value: Arc<V>, bytes: usize) {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let entry = Entry { generation, bytes, value };
        if generation == inner.generation {
            // An older generation's answer (kept stale) gives way to this one.
            if inner.entries.get(&key).is_some_and(|e| e.generation < generation) {
                inner.entries.remove(&key);
            }
            inner.entries.insert(key, entry, bytes);
        } else if generation > inner.generation {
            if inner.next.as_ref().is_none_or(|(g, _)| *g < generation) {
                inner.next = Some((generation, Bounded::new(inner.capacity, inner.max_bytes)));
            }
            if let Some((g, next)) = &mut inner.next {
                if *g == generation {
                    next.insert(key, entry, bytes);
                }
            }
        }
    }

    /// The entries requests see now (with those of older generations the cache keeps), the
    /// most recently added first.
    pub fn newest_first(&self) -> Vec<(String, Arc<V>)> {
        let inner = self.lock();
        inner.entries.newest_first().map(|(k, e)| (k.clone(), e.value.clone())).collect()
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

/// Generations whose first request time is kept: an entry older than all of them is too
/// stale to answer anyway.
const SEEN: usize = 64;

impl<V> Inner<V> {
    fn advance(&mut self, generation: u64) {
        if generation <= self.generation {
            return;
        }
        self.generation = generation;
        if self.seen.len() == SEEN {
            self.seen.pop_front();
        }
        self.seen.push_back((generation, Instant::now()));
        let ahead = match self.next.take() {
            Some((g, ahead)) if g == generation => Some(ahead),
            // Made ahead for a generation newer still: keep it for that one.
            Some(ahead) if ahead.0 > generation => {
                self.next = Some(ahead);
                None
            }
            _ => None,
        };
        if !self.keep_stale {
            self.entries = ahead.unwrap_or_else(|| Bounded::new(self.capacity, self.max_bytes));
            return;
        }
        // The answers made ahead join the older ones, replacing theirs, in the order they
        // were made.
        if let Some(ahead) = ahead {
            let made: Vec<(String, Entry<V>)> =
                ahead.newest_first().map(|(k, e)| (k.clone(), e.clone())).collect();
            for (key, entry) in made.into_iter().rev() {
                let bytes = entry.bytes;
                self.entries.remove(&key);
                self.entries.insert(key, entry, bytes);
            }
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

    /// The stale value of `key` on `generation`, checking how long it has been stale: since
    /// the first request on the generation after the value's, so within this test.
    fn stale(c: &ResultCache<i32>, generation: u64, key: &str) -> Option<i32> {
        let (value, age) = c.get_stale(generation, key)?;
        assert!(age < Duration::from_secs(60), "stale for {age:?}");
        Some(*value)
    }

    #[test]
    fn stale_for_counts_from_the_next_generation() {
        let c = ResultCache::keeping_stale(4, 1000);
        // As a request does: look, miss, answer, keep.
        assert_eq!(c.get(1, "a"), None);
        c.insert(1, "a".into(), Arc::new(10), 10);
        std::thread::sleep(Duration::from_millis(30));
        let before = Instant::now();
        assert_eq!(c.get(2, "a"), None);
        let (_, age) = c.get_stale(2, "a").unwrap();
        // Stale since generation 2 was first asked for, not since it was made.
        assert!(age <= before.elapsed(), "{age:?}");
    }

    #[test]
    fn stale_entries_of_older_generations() {
        let c = ResultCache::keeping_stale(4, 1000);
        c.insert(1, "a".into(), Arc::new(10), 10);
        c.insert(1, "b".into(), Arc::new(20), 10);
        // Nothing is stale within its own generation.
        assert_eq!(stale(&c, 1, "a"), None);
        // One commit later: the answer of the generation before, until a new one is kept.
        assert_eq!(c.get(2, "a"), None);
        assert_eq!(stale(&c, 2, "a"), Some(10));
        c.insert(2, "a".into(), Arc::new(11), 10);
        assert_eq!(stale(&c, 2, "a"), None);
        assert_eq!(c.get(2, "a").as_deref(), Some(&11));
        // Two commits later, each key's newest answer, whichever generation made it.
        assert_eq!(stale(&c, 3, "a"), Some(11));
        assert_eq!(stale(&c, 3, "b"), Some(20));
        // An answer made ahead for generation 4 replaces the older one when 4 is seen.
        c.insert(4, "b".into(), Arc::new(21), 10);
        assert_eq!(c.get(4, "b").as_deref(), Some(&21));
        assert_eq!(stale(&c, 4, "a"), Some(11));
        // Bounded as ever: two more keys push the oldest out.
        c.insert(4, "c".into(), Arc::new(30), 10);
        c.insert(4, "d".into(), Arc::new(40), 10);
        c.insert(4, "e".into(), Arc::new(50), 10);
        assert_eq!(c.len(), 4);
        // A cache made with `new` keeps nothing stale (negative).
        let plain = ResultCache::new(4, 1000);
        plain.insert(1, "a".into(), Arc::new(10), 10);
        assert_eq!(stale(&plain, 2, "a"), None);
        assert!(plain.is_empty());
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
