//! The manifest while an index run changes it (used by `writer`, saved through `manifest`): the
//! files of the last commit, read-only and shared with the workers, and this run's changes kept
//! compactly beside them.
//!
//! Memory is what an index run keeps per file of the archive, so it is kept small: a changed
//! file costs its path's bytes and 60 bytes (no second copy of the path, no tree node), where a
//! map of strings cost about 200, and growing it never copies what it holds; files merely seen
//! cost nothing here (`writer` keeps hashes of the listed ones only).

use std::collections::{BTreeMap, HashSet};

use super::manifest::FileMeta;

pub struct Files<'a> {
    /// Folders (or files) the index holds.
    pub roots: Vec<String>,
    /// The files of the last commit.
    pub old: &'a BTreeMap<String, FileMeta>,
    changes: Changes,
    /// Files of `old` taken out of the manifest.
    removed: HashSet<String>,
}

impl<'a> Files<'a> {
    pub fn new(roots: Vec<String>, old: &'a BTreeMap<String, FileMeta>) -> Self {
        Files { roots, old, changes: Changes::default(), removed: HashSet::new() }
    }

    /// Records what was indexed for `key`; a later record for the same key wins.
    pub fn insert(&mut self, key: &str, meta: FileMeta) {
        self.changes.push(key, meta);
    }

    /// Whether this run recorded `key` (after `sort`; records since are not looked at).
    pub fn changed(&self, key: &str) -> bool {
        self.changes.find(key).is_some()
    }

    /// Puts the records in key order, for `changed` and `iter`.
    pub fn sort(&mut self) {
        self.changes.sort();
    }

    /// Takes `key` out of the manifest, returning what the last commit held for it.
    pub fn remove(&mut self, key: &str) -> Option<FileMeta> {
        let was = self.old.get(key).copied();
        if was.is_some() {
            self.removed.insert(key.to_string());
        }
        was
    }

    /// Every file of the manifest in key order (after `sort`): the old ones neither changed
    /// nor removed, merged with the changed ones.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FileMeta)> + '_ {
        let mut old = (self.old.iter()).filter(|(k, _)| !self.removed.contains(*k)).peekable();
        let mut new = self.changes.iter().peekable();
        std::iter::from_fn(move || {
            let order = match (old.peek(), new.peek()) {
                (Some((a, _)), Some((b, _))) => a.as_str().cmp(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => return None,
            };
            match order {
                std::cmp::Ordering::Less => old.next().map(|(k, v)| (k.as_str(), *v)),
                std::cmp::Ordering::Greater => new.next(),
                std::cmp::Ordering::Equal => {
                    old.next();
                    new.next()
                }
            }
        })
    }
}

/// Records of a run, in chunks that never move once allocated (no doubling of a vector whose
/// old and new copies are both resident while it grows, no scratch buffer to sort): the keys
/// one after another in strings of 1 MB, and per record where its key lies and what was indexed
/// (the modification time in two halves, so that nothing needs 16-byte alignment), and the
/// records' order by key as 4-byte indices, sorted in place.
#[derive(Default)]
struct Changes {
    keys: Vec<String>,
    records: Vec<Vec<Record>>,
    /// Every record's index, `..sorted` in key order with one record per key.
    order: Vec<u32>,
    sorted: usize,
}

/// Bytes of a chunk of keys (a longer key has a chunk of its own).
const KEY_CHUNK: usize = 1 << 20;

/// Records in a chunk (3.5 MB).
const RECORD_CHUNK: usize = 1 << 16;

#[derive(Clone, Copy)]
struct Record {
    chunk: u32,
    start: u32,
    len: u64,
    size: u64,
    mtime: [u64; 2],
    hash: u64,
    quotes: u64,
}

impl Record {
    fn meta(&self) -> FileMeta {
        let mtime = ((u128::from(self.mtime[0]) << 64) | u128::from(self.mtime[1])) as i128;
        FileMeta { size: self.size, mtime, hash: self.hash, quotes: self.quotes }
    }
}

impl Changes {
    fn push(&mut self, key: &str, m: FileMeta) {
        let fits = self.keys.last().is_some_and(|k| k.capacity() - k.len() >= key.len());
        if !fits {
            self.keys.push(String::with_capacity(KEY_CHUNK.max(key.len())));
        }
        let chunk = self.keys.len() - 1;
        let keys = &mut self.keys[chunk];
        let start = keys.len() as u32;
        keys.push_str(key);
        if self.records.last().is_none_or(|r| r.len() == RECORD_CHUNK) {
            self.records.push(Vec::with_capacity(RECORD_CHUNK));
        }
        let index =
            (self.records.len() - 1) * RECORD_CHUNK + self.records.last().map_or(0, Vec::len);
        let mtime = [((m.mtime as u128) >> 64) as u64, m.mtime as u64];
        let (size, hash, quotes, len) = (m.size, m.hash, m.quotes, key.len() as u64);
        let record = Record { chunk: chunk as u32, start, len, size, mtime, hash, quotes };
        self.records.last_mut().expect("a chunk").push(record);
        self.order.push(index as u32);
    }

    fn record(&self, index: u32) -> &Record {
        let i = index as usize;
        &self.records[i / RECORD_CHUNK][i % RECORD_CHUNK]
    }

    fn key(&self, index: u32) -> &str {
        let r = self.record(index);
        &self.keys[r.chunk as usize][r.start as usize..r.start as usize + r.len as usize]
    }

    /// Orders the records by key, keeping one per key: the last pushed (indices grow with
    /// pushes, so they break ties, and an unstable sort needs no scratch memory).
    fn sort(&mut self) {
        if self.sorted == self.order.len() {
            return;
        }
        let mut order = std::mem::take(&mut self.order);
        order.sort_unstable_by(|&a, &b| self.key(a).cmp(self.key(b)).then(b.cmp(&a)));
        order.dedup_by(|later, kept| self.key(*later) == self.key(*kept));
        self.sorted = order.len();
        self.order = order;
    }

    fn find(&self, key: &str) -> Option<FileMeta> {
        let sorted = &self.order[..self.sorted];
        let i = sorted.binary_search_by(|&r| self.key(r).cmp(key)).ok()?;
        Some(self.record(sorted[i]).meta())
    }

    fn iter(&self) -> impl Iterator<Item = (&str, FileMeta)> + '_ {
        self.order[..self.sorted].iter().map(|&r| (self.key(r), self.record(r).meta()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(n: u64) -> FileMeta {
        FileMeta { size: n, mtime: (-(n as i128) * 1_000_000_007) << 40, hash: !n, quotes: n % 7 }
    }

    #[test]
    fn the_manifest_merges_old_files_and_changes_in_key_order() {
        let old: BTreeMap<String, FileMeta> =
            [("/a/1", meta(1)), ("/a/3", meta(3)), ("/a/5", meta(5)), ("/b", meta(9))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        // (name, inserted in this order, removed, expected manifest)
        type Case =
            (&'static str, Vec<(&'static str, u64)>, Vec<&'static str>, Vec<(&'static str, u64)>);
        let cases: Vec<Case> = vec![
            (
                "nothing changed",
                vec![],
                vec![],
                vec![("/a/1", 1), ("/a/3", 3), ("/a/5", 5), ("/b", 9)],
            ),
            (
                "new files between and after, out of order",
                vec![("/c", 20), ("/a/2", 12), ("/a/0", 10)],
                vec![],
                vec![
                    ("/a/0", 10),
                    ("/a/1", 1),
                    ("/a/2", 12),
                    ("/a/3", 3),
                    ("/a/5", 5),
                    ("/b", 9),
                    ("/c", 20),
                ],
            ),
            (
                "a changed file replaces its old record",
                vec![("/a/3", 33)],
                vec![],
                vec![("/a/1", 1), ("/a/3", 33), ("/a/5", 5), ("/b", 9)],
            ),
            (
                "the last record of a key wins",
                vec![("/a/4", 40), ("/a/4", 41), ("/a/4", 42)],
                vec![],
                vec![("/a/1", 1), ("/a/3", 3), ("/a/4", 42), ("/a/5", 5), ("/b", 9)],
            ),
            (
                "removed files leave",
                vec![],
                vec!["/a/1", "/b", "/not-there"],
                vec![("/a/3", 3), ("/a/5", 5)],
            ),
        ];
        for (name, inserted, removed, want) in cases {
            let mut files = Files::new(vec![], &old);
            for (k, n) in &inserted {
                files.insert(k, meta(*n));
            }
            for k in &removed {
                assert_eq!(files.remove(k), old.get(*k).copied(), "{name}: remove {k}");
            }
            files.sort();
            let got: Vec<(String, FileMeta)> =
                files.iter().map(|(k, m)| (k.to_string(), m)).collect();
            let want: Vec<(String, FileMeta)> =
                want.iter().map(|(k, n)| (k.to_string(), meta(*n))).collect();
            assert_eq!(got, want, "{name}");
            for (k, _) in &inserted {
                assert!(files.changed(k), "{name}: {k} changed");
            }
            assert!(!files.changed("/a/1"), "{name}: /a/1 was not changed (negative)");
        }
    }

    #[test]
    fn records_over_many_chunks_sort_and_keep_the_last() {
        // More records than a chunk holds, and keys over more than one chunk of bytes.
        let n = RECORD_CHUNK + 5_000;
        let long = "x".repeat(KEY_CHUNK + 10);
        let mut c = Changes::default();
        for i in (0..n).rev() {
            c.push(&format!("/k/{i:08}"), meta(i as u64));
        }
        c.push(&long, meta(1));
        // Pushed again later: the later record wins.
        for i in (0..n).step_by(1000) {
            c.push(&format!("/k/{i:08}"), meta(7));
        }
        c.sort();
        let keys: Vec<&str> = c.iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), n + 1, "one record per key");
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "in key order");
        // (name, key, expected)
        let cases = [
            ("first key, pushed again", "/k/00000000".to_string(), Some(meta(7))),
            ("a key pushed once", "/k/00000001".to_string(), Some(meta(1))),
            (
                "the last key of the first chunk",
                format!("/k/{:08}", n - RECORD_CHUNK + 1),
                Some(meta((n - RECORD_CHUNK + 1) as u64)),
            ),
            ("a key longer than a chunk", long.clone(), Some(meta(1))),
            ("a key never pushed (negative)", "/k/zzz".to_string(), None),
        ];
        for (name, key, want) in cases {
            assert_eq!(c.find(&key), want, "{name}");
        }
    }

    #[test]
    fn records_keep_every_modification_time() {
        let cases = [
            ("zero", 0i128),
            ("negative", -1),
            ("nanoseconds now", 1_764_000_000_123_456_789),
            ("extremes", i128::MIN),
        ];
        for (name, mtime) in cases {
            let mut c = Changes::default();
            let m = FileMeta { mtime, ..meta(3) };
            c.push("/x", m);
            c.sort();
            assert_eq!(c.find("/x"), Some(m), "{name}");
            assert_eq!(c.find("/y"), None, "{name}: another key (negative)");
        }
    }
}
