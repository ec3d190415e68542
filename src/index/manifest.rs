//! The manifest: which folders the index holds and, per file, the size, modification time and
//! content hash it was indexed with, so that a re-index reads only what changed.
//!
//! Crash safety: the manifest is tied to a tantivy commit by its opstamp. Before a commit the
//! writer saves `manifest.pending.json` with the opstamp the commit will have; after the commit
//! it renames it over `manifest.json`. On open, a manifest whose opstamp is not the index's last
//! committed one is not trusted (its files are re-read), so a crash at any moment can cost time
//! but never skip a file whose quotes are not in the index.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

const FILE: &str = "quoth-manifest.json";
const PENDING: &str = "quoth-manifest.pending.json";

pub use super::records::FileMeta;
use super::records::Records;

/// The manifest of an index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Opstamp of the tantivy commit this manifest describes.
    pub opstamp: u64,
    /// Folders (or files) indexed, as absolute paths.
    pub roots: Vec<String>,
    /// Absolute file path -> what was indexed, in path order.
    pub files: Records,
}

/// Loads the manifest that matches the index's last commit `committed`. Returns it and whether
/// a stale manifest had to be dropped (its roots are kept; its files will be re-read).
pub fn load(dir: &Path, committed: u64) -> Result<(Manifest, bool)> {
    let read = |name: &str| -> Result<Option<Manifest>> {
        // Read as a stream: the text of a large archive's manifest (72 MB for 620,000 files)
        // is never in memory whole, only the table it fills.
        match std::fs::File::open(dir.join(name)) {
            Ok(f) => {
                Ok(serde_json::from_reader(std::io::BufReader::with_capacity(1 << 16, f)).ok())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.join(name).display())),
        }
    };
    if let Some(p) = read(PENDING)? {
        if p.opstamp == committed {
            // The commit happened but the rename did not: finish it.
            promote(dir)?;
            return Ok((p, false));
        }
        let _ = std::fs::remove_file(dir.join(PENDING));
    }
    match read(FILE)? {
        Some(m) if m.opstamp == committed => Ok((m, false)),
        Some(m) => {
            Ok((Manifest { opstamp: committed, roots: m.roots, files: Records::default() }, true))
        }
        None => Ok((Manifest { opstamp: committed, ..Manifest::default() }, committed != 0)),
    }
}

/// Writes `m` as the pending manifest, durably, before its commit.
pub fn save_pending(dir: &Path, m: &Manifest) -> Result<()> {
    save_pending_files(dir, m.opstamp, &m.roots, |emit| {
        m.files.iter().try_for_each(|(k, v)| emit(k, v))
    })
}

/// Calls its argument with each file of a manifest in key order (see `save_pending_files`).
pub type Emit<'e> = &'e mut dyn FnMut(&str, FileMeta) -> Result<()>;

/// Writes the pending manifest of commit `opstamp` from its parts as it goes: `files` hands
/// every file to the function it is given, in key order. An index run keeps the files of the
/// last commit and its own changes apart (some of them on disk, see `files`) rather than in one
/// more copy of every path, and the manifest of a large archive (a hundred bytes a file) is
/// never assembled in memory as one text.
pub fn save_pending_files(
    dir: &Path,
    opstamp: u64,
    roots: &[String],
    files: impl FnOnce(Emit) -> Result<()>,
) -> Result<()> {
    let path = dir.join(PENDING);
    let cannot = || format!("cannot write {}", path.display());
    let f = std::fs::File::create(&path).with_context(cannot)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
    write_files(&mut w, opstamp, roots, files).with_context(cannot)?;
    let f = w.into_inner().map_err(|e| e.into_error()).with_context(cannot)?;
    f.sync_all().with_context(cannot)?;
    Ok(())
}

/// The manifest as JSON, as serde writes a `Manifest`.
fn write_files(
    w: &mut impl Write,
    opstamp: u64,
    roots: &[String],
    files: impl FnOnce(Emit) -> Result<()>,
) -> Result<()> {
    write!(w, "{{\"opstamp\":{opstamp},\"roots\":")?;
    serde_json::to_writer(&mut *w, roots)?;
    w.write_all(b",\"files\":{")?;
    let mut first = true;
    files(&mut |key, meta| {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *w, key)?;
        w.write_all(b":")?;
        serde_json::to_writer(&mut *w, &meta)?;
        Ok(())
    })?;
    w.write_all(b"}}")?;
    Ok(())
}

/// Makes the pending manifest the current one, after its commit.
pub fn promote(dir: &Path) -> Result<()> {
    std::fs::rename(dir.join(PENDING), dir.join(FILE))
        .with_context(|| format!("cannot update {}", dir.join(FILE).display()))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all(); // make the rename durable where the platform allows
    }
    Ok(())
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike std's hasher. Quotation ids
/// and the key that folds repeated quotations are made with it, so it must never change.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.write(bytes);
    h.finish()
}

/// FNV-1a fed piece by piece (`hash` of the concatenation), so that callers hash text they
/// would otherwise assemble in a string first; `write!` feeds it formatted text.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_byte(b);
        }
    }

    pub fn write_byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.write(s.as_bytes());
        Ok(())
    }
}

/// A 64-bit hash of a whole file, to tell a changed file from a touched one: eight bytes a step
/// (FNV's byte a step cost over a second per GB). Each step is a bijection of the state, so a
/// change confined to one word always changes it. A manifest written with another file hash
/// only costs touched files one more reading.
pub fn file_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        h = (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
    for &b in words.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 32)
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    fn manifest(opstamp: u64) -> Manifest {
        let mut m = Manifest { opstamp, roots: vec!["/a".into()], ..Manifest::default() };
        m.files.insert("/a/x.txt", FileMeta { size: 1, mtime: 2, hash: 3, quotes: 4 });
        m
    }

    #[test]
    fn file_hash_sees_every_change() {
        let text =
            b"date 2024-01-02 \xe2\x80\x9cThe harbour stays open,\xe2\x80\x9d said Mayor Vell.";
        let base = file_hash(text);
        // (name, changed copy)
        let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..text.len() {
            let mut t = text.to_vec();
            t[i] ^= 1;
            cases.push((format!("bit flipped at {i}"), t));
        }
        cases.push(("one byte longer".into(), [&text[..], b" "].concat()));
        cases.push(("last byte cut".into(), text[..text.len() - 1].to_vec()));
        cases.push(("two words swapped".into(), [&text[8..16], &text[..8], &text[16..]].concat()));
        for (name, t) in cases {
            assert_ne!(file_hash(&t), base, "case {name}");
        }
        assert_eq!(file_hash(text), base, "same bytes, same hash (negative)");
    }

    #[test]
    fn crash_points() {
        // (name, saved manifest opstamp, pending opstamp, committed opstamp, files trusted)
        let cases: &[(&str, Option<u64>, Option<u64>, u64, bool)] = &[
            ("clean", Some(5), None, 5, true),
            ("crash after commit, before rename", Some(5), Some(9), 9, true),
            ("crash before commit", Some(5), Some(9), 5, true),
            ("manifest behind the index (negative)", Some(5), None, 9, false),
            ("no manifest, new index", None, None, 0, true),
        ];
        for (name, saved, pending, committed, trusted) in cases {
            let dir = tempfile::tempdir().unwrap();
            if let Some(op) = saved {
                save_pending(dir.path(), &manifest(*op)).unwrap();
                promote(dir.path()).unwrap();
            }
            if let Some(op) = pending {
                save_pending(dir.path(), &manifest(*op)).unwrap();
            }
            let (m, stale) = load(dir.path(), *committed).unwrap();
            let has_files = !m.files.is_empty();
            assert_eq!(has_files || saved.is_none(), *trusted, "case {name}: files");
            assert_eq!(stale, !*trusted, "case {name}: stale");
            assert!(!dir.path().join(PENDING).exists(), "case {name}: pending left behind");
        }
    }

    #[test]
    fn streamed_manifest_reads_back() {
        // (name, roots, files)
        let meta =
            FileMeta { size: 10, mtime: -5_000_000_000_000_000_000, hash: u64::MAX, quotes: 3 };
        let cases: Vec<(&str, Vec<String>, Vec<(&str, FileMeta)>)> = vec![
            ("no files", vec!["/a".into()], vec![]),
            ("one file", vec!["/a".into()], vec![("/a/x.txt", meta)]),
            (
                "names that need escaping",
                vec!["/a \"b\"".into(), "/c".into()],
                vec![("/a \"b\"/\\n.txt", meta), ("/c/\u{7}é.txt", meta)],
            ),
        ];
        for (name, roots, files) in cases {
            let dir = tempfile::tempdir().unwrap();
            let m = Manifest {
                opstamp: 42,
                roots,
                files: files.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            };
            save_pending(dir.path(), &m).unwrap();
            let text = std::fs::read(dir.path().join(PENDING)).unwrap();
            assert_eq!(text, serde_json::to_vec(&m).unwrap(), "case {name}: same text as serde");
            let (back, stale) = load(dir.path(), 42).unwrap();
            assert_eq!((back, stale), (m, false), "case {name}");
        }
    }

    #[test]
    fn hash_is_stable() {
        // Pinned: quotation ids and fold keys in existing indexes were made with these.
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        // Pinned too: manifests keep these across versions and platforms.
        assert_eq!(file_hash(b""), 0xcbf2_9ce4_4fd0_bfc1);
        assert_eq!(file_hash(b"a"), 0xaf63_dd4c_2962_3373);
        assert_eq!(file_hash(b"harbour stays open"), 0x684e_79d0_0063_fe54);
    }
}
