//! Tables of files and what was indexed for them, compact: the manifest of the last commit as
//! an index run reads it (`manifest`) and the records of the run's own changes (`files`).
//! Neither module's concern is how a record is laid out in memory; this one's is only that.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What was indexed for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// `manifest::file_hash` of the file's bytes.
    pub hash: u64,
    /// Quotations indexed from it.
    pub quotes: u64,
}

/// Files and what was indexed for them, in chunks that never move once allocated (no doubling
/// of a vector whose old and new copies are both resident while it grows, no scratch buffer to
/// sort): the keys one after another in strings of 1 MB, and per record where its key lies and
/// what was indexed (the modification time in two halves, so that nothing needs 16-byte
/// alignment), and the records' order by key as 4-byte indices, sorted in place. About 60
/// bytes and the path's per file, against about 300 in a map of strings.
#[derive(Default, Clone)]
pub struct Records {
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

impl Records {
    /// Adds a record; `sort` puts it in order. A later record for the same key wins.
    pub fn push(&mut self, key: &str, m: FileMeta) {
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
    pub fn sort(&mut self) {
        if self.sorted == self.order.len() {
            return;
        }
        let mut order = std::mem::take(&mut self.order);
        order.sort_unstable_by(|&a, &b| self.key(a).cmp(self.key(b)).then(b.cmp(&a)));
        order.dedup_by(|later, kept| self.key(*later) == self.key(*kept));
        self.sorted = order.len();
        self.order = order;
    }

    /// The record of `key` (among those sorted).
    pub fn get(&self, key: &str) -> Option<FileMeta> {
        let sorted = &self.order[..self.sorted];
        let i = sorted.binary_search_by(|&r| self.key(r).cmp(key)).ok()?;
        Some(self.record(sorted[i]).meta())
    }

    /// The records sorted, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FileMeta)> + '_ {
        self.order[..self.sorted].iter().map(|&r| (self.key(r), self.record(r).meta()))
    }

    /// Records pushed, sorted or not.
    pub fn pushed(&self) -> usize {
        self.order.len()
    }

    /// Files among those sorted.
    pub fn len(&self) -> usize {
        self.sorted
    }

    pub fn is_empty(&self) -> bool {
        self.sorted == 0
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Adds a record and sorts: for a few records (tests); many go by `push` and one `sort`.
    pub fn insert(&mut self, key: &str, m: FileMeta) {
        self.push(key, m);
        self.sort();
    }

    pub fn clear(&mut self) {
        *self = Records::default();
    }
}

impl<K: AsRef<str>> FromIterator<(K, FileMeta)> for Records {
    fn from_iter<I: IntoIterator<Item = (K, FileMeta)>>(iter: I) -> Self {
        let mut r = Records::default();
        for (k, m) in iter {
            r.push(k.as_ref(), m);
        }
        r.sort();
        r
    }
}

impl PartialEq for Records {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Records {}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// As a JSON object of path to record, as a map of strings serialises.
impl Serialize for Records {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, m) in self.iter() {
            map.serialize_entry(k, &m)?;
        }
        map.end()
    }
}

/// Read record by record into the table: no map of strings on the way (a manifest of 620,000
/// files took 190 MB that way), and sorted at the end, whatever order the object had.
impl<'de> Deserialize<'de> for Records {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Into;
        impl<'de> Visitor<'de> for Into {
            type Value = Records;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of file paths to what was indexed")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Records, A::Error> {
                let mut r = Records::default();
                while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let m: FileMeta = map.next_value()?;
                    r.push(&k, m);
                }
                r.sort();
                Ok(r)
            }
        }
        d.deserialize_map(Into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(n: u64) -> FileMeta {
        FileMeta { size: n, mtime: (-(n as i128) * 1_000_000_007) << 40, hash: !n, quotes: n % 7 }
    }

    #[test]
    fn records_over_many_chunks_sort_and_keep_the_last() {
        // More records than a chunk holds, and keys over more than one chunk of bytes.
        let n = RECORD_CHUNK + 5_000;
        let long = "x".repeat(KEY_CHUNK + 10);
        let mut c = Records::default();
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
            assert_eq!(c.get(&key), want, "{name}");
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
            let mut c = Records::default();
            let m = FileMeta { mtime, ..meta(3) };
            c.push("/x", m);
            c.sort();
            assert_eq!(c.get("/x"), Some(m), "{name}");
            assert_eq!(c.get("/y"), None, "{name}: another key (negative)");
        }
    }

    #[test]
    fn a_manifest_object_reads_into_a_sorted_table() {
        let m = |n: u64| format!(r#"{{"size":{n},"mtime":-{n},"hash":{n},"quotes":{n}}}"#);
        let fm = |n: u64| FileMeta { size: n, mtime: -(n as i128), hash: n, quotes: n };
        // (name, JSON object, expected table in key order)
        type Case = (&'static str, String, Vec<(&'static str, FileMeta)>);
        let cases: Vec<Case> = vec![
            ("empty", "{}".to_string(), vec![]),
            (
                "in order",
                format!(r#"{{"/a":{},"/b":{}}}"#, m(1), m(2)),
                vec![("/a", fm(1)), ("/b", fm(2))],
            ),
            (
                "out of order, sorted",
                format!(r#"{{"/c":{},"/a":{},"/b":{}}}"#, m(3), m(1), m(2)),
                vec![("/a", fm(1)), ("/b", fm(2)), ("/c", fm(3))],
            ),
            (
                "a key twice: the last wins",
                format!(r#"{{"/a":{},"/b":{},"/a":{}}}"#, m(1), m(2), m(9)),
                vec![("/a", fm(9)), ("/b", fm(2))],
            ),
            (
                "escaped names",
                format!(r#"{{"/x \"y\"/\u00e9.txt":{}}}"#, m(4)),
                vec![("/x \"y\"/\u{e9}.txt", fm(4))],
            ),
        ];
        for (name, json, want) in cases {
            let from_text: Records = serde_json::from_str(&json).unwrap();
            let from_reader: Records = serde_json::from_reader(json.as_bytes()).unwrap();
            let got: Vec<(&str, FileMeta)> = from_text.iter().collect();
            assert_eq!(got, want, "{name}");
            assert_eq!(from_reader, from_text, "{name}: read as a stream");
            let again: Records =
                serde_json::from_str(&serde_json::to_string(&from_text).unwrap()).unwrap();
            assert_eq!(again, from_text, "{name}: written and read back");
        }
        // Not a table of files (negative): an error, which `manifest::load` takes as no manifest.
        for bad in [r#"{"/a":1}"#, r#"["/a"]"#, r#"{"/a":{"size":1}}"#] {
            assert!(serde_json::from_str::<Records>(bad).is_err(), "{bad}");
        }
    }
}
