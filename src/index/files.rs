//! The manifest while an index run changes it (used by `writer`, saved through `manifest`): the
//! files of the last commit, read-only and shared with the workers, and this run's changes kept
//! compactly beside them, the older ones on disk.
//!
//! Memory is what an index run would otherwise keep per file of the archive, so it is bounded:
//! a changed file costs its path's bytes and 60 bytes (no second copy of the path, no tree
//! node) while it is among the last `SPILL_AT` records; then the records are sorted and
//! written to a run file in the index folder (`SPILL_DIR`, emptied at the start and end of a
//! run), and runs of the same size are merged eight at a time, so that a run over millions of
//! files keeps a few dozen files open at most. Saving the manifest at a commit merges the last
//! commit's files, the runs and the records in memory in one pass, in key order. Files merely
//! seen cost nothing here (`writer` keeps hashes of them).

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::manifest::Emit;
use super::records::{FileMeta, Records};

/// Records kept in memory before they are written to a run file (about 3 MB of them).
const SPILL_AT: usize = 1 << 15;

/// Runs of one size merged into one of the next size.
const FAN_IN: usize = 8;

/// The folder of run files, in the index folder: on the index's disk (a temporary folder may be
/// memory), and named like quoth's other files so the folder is still known as an index's.
pub const SPILL_DIR: &str = "quoth-run.tmp";

pub struct Files<'a> {
    /// Folders (or files) the index holds.
    pub roots: Vec<String>,
    /// The files of the last commit.
    pub old: &'a Records,
    changes: Records,
    runs: Runs,
    /// Records kept in memory before they go to a run file (`SPILL_AT`; fewer in tests).
    spill_at: usize,
    /// Files of `old` taken out of the manifest.
    removed: HashSet<String>,
}

impl<'a> Files<'a> {
    /// The manifest of a run on the index in `dir`, whose run files go under `dir`.
    pub fn new(roots: Vec<String>, old: &'a Records, dir: &Path) -> Self {
        Files {
            roots,
            old,
            changes: Records::default(),
            runs: Runs::new(dir.join(SPILL_DIR)),
            spill_at: SPILL_AT,
            removed: HashSet::new(),
        }
    }

    /// Records what was indexed for `key`; a later record for the same key wins.
    pub fn insert(&mut self, key: &str, meta: FileMeta) -> Result<()> {
        self.changes.push(key, meta);
        if self.changes.pushed() >= self.spill_at {
            self.changes.sort();
            self.runs.spill(&self.changes)?;
            self.changes = Records::default();
        }
        Ok(())
    }

    /// Takes `key` out of the manifest, returning what the last commit held for it.
    pub fn remove(&mut self, key: &str) -> Option<FileMeta> {
        let was = self.old.get(key);
        if was.is_some() {
            self.removed.insert(key.to_string());
        }
        was
    }

    /// Hands every file of the manifest to `emit` in key order: the old ones neither changed
    /// nor removed, merged with this run's records (the last one of a key).
    pub fn each(&mut self, emit: Emit) -> Result<()> {
        self.changes.sort();
        let removed = &self.removed;
        let old = self.old.iter().filter(|(k, _)| !removed.contains(*k));
        let mut sources: Vec<Box<dyn Source + '_>> = vec![Box::new(Borrowed::new(old))];
        for run in &self.runs.runs {
            sources.push(Box::new(RunReader::open(&run.path)?));
        }
        sources.push(Box::new(Borrowed::new(self.changes.iter())));
        merge(sources, emit)
    }
}

/// Something read in key order, one record per key.
trait Source {
    /// The record under the cursor, `None` at the end.
    fn current(&self) -> Option<(&str, FileMeta)>;
    fn advance(&mut self) -> Result<()>;
}

/// Records in memory.
struct Borrowed<'a, I: Iterator<Item = (&'a str, FileMeta)>> {
    iter: I,
    current: Option<(&'a str, FileMeta)>,
}

impl<'a, I: Iterator<Item = (&'a str, FileMeta)>> Borrowed<'a, I> {
    fn new(mut iter: I) -> Self {
        let current = iter.next();
        Borrowed { iter, current }
    }
}

impl<'a, I: Iterator<Item = (&'a str, FileMeta)>> Source for Borrowed<'a, I> {
    fn current(&self) -> Option<(&str, FileMeta)> {
        self.current
    }

    fn advance(&mut self) -> Result<()> {
        self.current = self.iter.next();
        Ok(())
    }
}

/// Merges `sources` in key order, one record per key: of records with the same key, that of
/// the last source (the most recent) wins.
fn merge(mut sources: Vec<Box<dyn Source + '_>>, emit: Emit) -> Result<()> {
    // The key emitted last, kept while the sources holding it move on.
    let mut key = String::new();
    loop {
        // Few sources (a few dozen at most): a scan costs less than keeping a heap in order.
        let mut best: Option<usize> = None;
        for (i, s) in sources.iter().enumerate() {
            let Some((key, _)) = s.current() else { continue };
            match best.and_then(|b| sources[b].current()) {
                Some((b, _)) if key > b => {}
                _ => best = Some(i),
            }
        }
        let Some(best) = best else { return Ok(()) };
        let (best_key, meta) = sources[best].current().expect("a record");
        emit(best_key, meta)?;
        key.clear();
        key.push_str(best_key);
        for s in &mut sources {
            if s.current().is_some_and(|(k, _)| k == key) {
                s.advance()?;
            }
        }
    }
}

/// The run files of an index run, oldest first.
struct Runs {
    dir: PathBuf,
    runs: Vec<Run>,
    /// Number of the next run file.
    next: u64,
    /// Whether `dir` was emptied of what an earlier run left behind.
    ready: bool,
}

struct Run {
    path: PathBuf,
    /// How many merges made it: runs of one level hold about `FAN_IN` times those of the last.
    level: u32,
}

impl Runs {
    fn new(dir: PathBuf) -> Self {
        Runs { dir, runs: Vec::new(), next: 0, ready: false }
    }

    /// Writes `changes` (sorted) as a new run, then merges the last `FAN_IN` runs while they
    /// are of one level.
    fn spill(&mut self, changes: &Records) -> Result<()> {
        let path = self.create()?;
        write_run(&path, |emit| changes.iter().try_for_each(|(k, m)| emit(k, m)))?;
        self.runs.push(Run { path, level: 0 });
        while self.runs.len() >= FAN_IN {
            let first = self.runs.len() - FAN_IN;
            let level = self.runs[first].level;
            if self.runs[first..].iter().any(|r| r.level != level) {
                break;
            }
            let merged = self.create()?;
            let sources = (self.runs[first..].iter())
                .map(|r| RunReader::open(&r.path).map(|r| Box::new(r) as Box<dyn Source>))
                .collect::<Result<Vec<_>>>()?;
            write_run(&merged, |emit| merge(sources, emit))?;
            for r in self.runs.drain(first..) {
                let _ = std::fs::remove_file(&r.path);
            }
            self.runs.push(Run { path: merged, level: level + 1 });
        }
        Ok(())
    }

    /// The path of a new run file, the folder made (and emptied of an earlier run's files)
    /// the first time.
    fn create(&mut self) -> Result<PathBuf> {
        if !self.ready {
            let cannot = || format!("cannot make the folder {}", self.dir.display());
            match std::fs::remove_dir_all(&self.dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(cannot),
            }
            std::fs::create_dir_all(&self.dir).with_context(cannot)?;
            self.ready = true;
        }
        self.next += 1;
        Ok(self.dir.join(format!("{}.run", self.next)))
    }
}

impl Drop for Runs {
    /// Removes the run files, and those a killed run left behind when this one made none.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes a run file: per record the key's length (4 bytes) and bytes, then size, modification
/// time (16 bytes), hash and quotations, little-endian. Not kept past the index run, so the
/// format is nobody else's concern.
fn write_run(path: &Path, records: impl FnOnce(Emit) -> Result<()>) -> Result<()> {
    let cannot = || format!("cannot write {}", path.display());
    let mut w = BufWriter::with_capacity(1 << 16, File::create(path).with_context(cannot)?);
    records(&mut |key, m| {
        w.write_all(&(key.len() as u32).to_le_bytes())?;
        w.write_all(key.as_bytes())?;
        w.write_all(&m.size.to_le_bytes())?;
        w.write_all(&m.mtime.to_le_bytes())?;
        w.write_all(&m.hash.to_le_bytes())?;
        w.write_all(&m.quotes.to_le_bytes())?;
        Ok(())
    })
    .with_context(cannot)?;
    w.flush().with_context(cannot)
}

/// A run file read record by record.
struct RunReader {
    path: PathBuf,
    r: BufReader<File>,
    key: String,
    meta: FileMeta,
    done: bool,
}

impl RunReader {
    fn open(path: &Path) -> Result<Self> {
        let f = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let meta = FileMeta { size: 0, mtime: 0, hash: 0, quotes: 0 };
        let r = BufReader::with_capacity(1 << 16, f);
        let mut reader =
            RunReader { path: path.to_path_buf(), r, key: String::new(), meta, done: false };
        reader.advance()?;
        Ok(reader)
    }

    /// Reads the next record; `false` at the end of the file.
    fn read(&mut self) -> std::io::Result<bool> {
        let mut len = [0u8; 4];
        match self.r.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
        let mut key = std::mem::take(&mut self.key).into_bytes();
        key.resize(u32::from_le_bytes(len) as usize, 0);
        self.r.read_exact(&mut key)?;
        self.key = String::from_utf8(key)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let mut n = [0u8; 40];
        self.r.read_exact(&mut n)?;
        let u64_at = |i: usize| u64::from_le_bytes(n[i..i + 8].try_into().expect("8 bytes"));
        let mtime = i128::from_le_bytes(n[8..24].try_into().expect("16 bytes"));
        self.meta = FileMeta { size: u64_at(0), mtime, hash: u64_at(24), quotes: u64_at(32) };
        Ok(true)
    }
}

impl Source for RunReader {
    fn current(&self) -> Option<(&str, FileMeta)> {
        (!self.done).then_some((self.key.as_str(), self.meta))
    }

    fn advance(&mut self) -> Result<()> {
        self.done = !self.read().with_context(|| format!("cannot read {}", self.path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(n: u64) -> FileMeta {
        FileMeta { size: n, mtime: (-(n as i128) * 1_000_000_007) << 40, hash: !n, quotes: n % 7 }
    }

    /// The manifest `files` would save.
    fn all(files: &mut Files) -> Vec<(String, FileMeta)> {
        let mut out = Vec::new();
        files
            .each(&mut |k, m| {
                out.push((k.to_string(), m));
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn records_spilled_over_merged_runs_keep_the_last_of_each_key() {
        let dir = tempfile::tempdir().unwrap();
        let old: Records = (0..50u64).map(|i| (format!("/old/{i:03}"), meta(i))).collect();
        let mut files = Files::new(vec![], &old, dir.path());
        files.spill_at = 10;
        // 1,000 records in runs of 10: merged eight at a time into runs of 80, those into one
        // of 640. Every key three times over, the last time with its final record.
        let n = 333u64;
        for round in 0..3u64 {
            for i in 0..n {
                let key = format!("/new/{:04}", (i * 7919) % n);
                files.insert(&key, meta(round * 1000 + (i * 7919) % n)).unwrap();
            }
        }
        files.insert("/old/007", meta(4242)).unwrap();
        assert!(files.runs.runs.len() < 16, "runs are merged: {}", files.runs.runs.len());
        assert!(files.runs.runs.iter().any(|r| r.level >= 2), "merged twice");
        // Committed twice: saving reads the runs without using them up.
        for commit in 0..2 {
            let got = all(&mut files);
            assert_eq!(got.len(), 50 + n as usize, "commit {commit}: one record per key");
            assert!(got.windows(2).all(|w| w[0].0 < w[1].0), "commit {commit}: key order");
            // (name, key, expected)
            let cases = [
                ("an old file kept", "/old/000".to_string(), meta(0)),
                ("an old file changed, in memory", "/old/007".to_string(), meta(4242)),
                ("a new file's last record", "/new/0000".to_string(), meta(2000)),
                ("another's", format!("/new/{:04}", n - 1), meta(2000 + n - 1)),
            ];
            for (name, key, want) in cases {
                let found = got.iter().find(|(k, _)| *k == key).map(|(_, m)| *m);
                assert_eq!(found, Some(want), "{name}");
            }
            assert!(!got.iter().any(|(k, _)| k == "/new/9999"), "no invented key (negative)");
        }
        drop(files);
        assert!(!dir.path().join(SPILL_DIR).exists(), "run files left behind");
    }

    #[test]
    fn a_run_empties_what_a_killed_run_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(SPILL_DIR);
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("99.run"), b"not a run file").unwrap();
        let old = Records::default();
        let mut files = Files::new(vec![], &old, dir.path());
        files.spill_at = 1;
        files.insert("/a", meta(1)).unwrap();
        files.insert("/b", meta(2)).unwrap();
        assert!(!stale.join("99.run").exists(), "the killed run's file is gone");
        assert_eq!(all(&mut files), vec![("/a".to_string(), meta(1)), ("/b".to_string(), meta(2))]);
        // A run that writes no run file removes them at its end.
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("98.run"), b"not a run file").unwrap();
        drop(Files::new(vec![], &old, dir.path()));
        assert!(!stale.exists(), "left behind by a run without run files");
    }

    #[test]
    fn the_manifest_merges_old_files_and_changes_in_key_order() {
        let old: Records =
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
        let dir = tempfile::tempdir().unwrap();
        // Each case with every record in memory, and with a run file after every record or two.
        for spill_at in [usize::MAX, 1, 2] {
            for (name, inserted, removed, want) in &cases {
                let mut files = Files::new(vec![], &old, dir.path());
                files.spill_at = spill_at;
                for (k, n) in inserted {
                    files.insert(k, meta(*n)).unwrap();
                }
                for k in removed {
                    assert_eq!(files.remove(k), old.get(k), "{name}: remove {k}");
                }
                let want: Vec<(String, FileMeta)> =
                    want.iter().map(|(k, n)| (k.to_string(), meta(*n))).collect();
                assert_eq!(all(&mut files), want, "{name}, spilling at {spill_at}");
            }
        }
        assert!(!dir.path().join(SPILL_DIR).exists(), "run files left behind");
    }
}
