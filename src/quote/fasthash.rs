//! The hasher of extraction's tables (the article's entity table, the check's candidate tables)
//! and of the indexer's stemmer memory and set of files seen: `foldhash`'s fast hasher with its
//! fixed seed.
//!
//! The standard library's SipHash resists collision attacks, which costs time on every short
//! word looked up; these tables are small, live for one article, claim or thread, and are
//! looked up a few times per token. quoth had its own multiply-and-rotate hasher here; against
//! it, `foldhash` and `rustc-hash` extracted 20 000 generated articles on one thread in the same
//! time within noise (CPU time, alternating runs: see BENCHMARKS.md), so the table uses a crate
//! that is already in the build (hashbrown's default hasher) and better studied. `foldhash`
//! rather than `rustc-hash`: its output is better mixed for string keys at the same speed.
//!
//! The fixed seed keeps the hash the same on every run. Nothing relies on it (no iteration order
//! of these tables reaches output, ARCHITECTURE.md), but a run that differs from the last should
//! never be explained by a random seed.

use std::collections::{HashMap, HashSet};

/// `HashMap` with `foldhash`'s fast hasher, seeded the same on every run.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// `HashSet` with the same hasher.
pub type FastSet<T> = HashSet<T, foldhash::fast::FixedState>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn distinct_words_hash_apart() {
        // Each call hashes with a new table's hasher.
        let hash = |s: &str| FastMap::<String, ()>::default().hasher().hash_one(s);
        let words = ["", "a", "b", "ab", "ba", "a\0", "said", "says", "senator", "senators"];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash(a), hash(b), "{a:?} {b:?}");
            }
        }
        // The same for every table (and so on every run): a fixed seed, not a random one.
        assert_eq!(hash("okafor"), hash("okafor"));
    }

    #[test]
    fn tables_work() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("w{i}"), i);
        }
        assert!((0..1000).all(|i| m[&format!("w{i}")] == i));
        assert!(!m.contains_key("w1000"));
    }
}
