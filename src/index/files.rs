//! The manifest while an index run changes it (used by `writer`, saved through `manifest`): the
//! files of the last commit, read-only and shared with the workers, and this run's changes kept
//! compactly beside them.
//!
//! Memory is what an index run keeps per file of the archive, so it is kept small: a changed
//! file costs its path's bytes and 56 bytes (no second copy of the path, no tree node), where a
//! map of strings cost about 200; files merely seen cost nothing here (`writer` keeps hashes of
//! the listed ones only).

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

/// Records of a run: the keys one after another in one string, and per record where its key
/// lies and what was indexed (the modification time in two halves, so that nothing needs
/// 16-byte alignment: 56 bytes a record).
#[derive(Default)]
struct Changes {
    keys: String,
    records: Vec<Record>,
    /// Records `..sorted` are in key order, one per key.
    sorted: usize,
}

#[derive(Clone, Copy)]
struct Record {
    start: u64,
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
        let start = self.keys.len() as u64;
        self.keys.push_str(key);
        let mtime = [((m.mtime as u128) >> 64) as u64, m.mtime as u64];
        let (size, hash, quotes, len) = (m.size, m.hash, m.quotes, key.len() as u64);
        self.records.push(Record { start, len, size, mtime, hash, quotes });
    }

    fn key(&self, r: &Record) -> &str {
        &self.keys[r.start as usize..(r.start + r.len) as usize]
    }

    /// Sorts by key (a stable sort, so that the last record of a key is the last among its
    /// equals) and keeps one record per key, the last.
    fn sort(&mut self) {
        if self.sorted == self.records.len() {
            return;
        }
        let mut records = std::mem::take(&mut self.records);
        records.sort_by(|a, b| self.key(a).cmp(self.key(b)));
        records.dedup_by(|later, kept| {
            let same = self.key(later) == self.key(kept);
            if same {
                *kept = *later;
            }
            same
        });
        self.sorted = records.len();
        self.records = records;
    }

    fn find(&self, key: &str) -> Option<FileMeta> {
        let sorted = &self.records[..self.sorted];
        sorted.binary_search_by(|r| self.key(r).cmp(key)).ok().map(|i| sorted[i].meta())
    }

    fn iter(&self) -> impl Iterator<Item = (&str, FileMeta)> + '_ {
        self.records[..self.sorted].iter().map(|r| (self.key(r), r.meta()))
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
