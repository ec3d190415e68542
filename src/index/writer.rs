//! Adding articles to the index: walk folders, read and extract on all cores, feed one tantivy
//! writer, commit at bounded intervals, and keep the manifest in step with each commit.
//!
//! A re-index reads only files whose size or modification time changed, re-extracts only those
//! whose content hash changed, and removes the quotes of files deleted from the folders being
//! indexed (never of files under other indexed folders). Each file's quotes are replaced by a
//! delete and re-add in the same commit, so nothing is ever duplicated.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{doc, DateTime, IndexWriter, TantivyDocument, Term};

use super::handover::{Handed, Handover};
use super::manifest::{self, FileMeta, Manifest};
use super::{display_path, Fields, QuoteIndex};
use crate::article::{self, Article};
use crate::quote::{self, Quote};

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Threads that read and extract articles.
    pub threads: usize,
    /// Memory budget of the tantivy writer in bytes.
    pub memory: usize,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: u64,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Which files are articles and how to read them.
    pub read: article::ReadOptions,
    /// Commit at least this often on long runs, so a crash loses little work.
    pub commit_interval: Duration,
    /// Also commit after this many changed files (0: only by time).
    pub commit_every: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            memory: 256 * 1024 * 1024,
            max_file_size: 32 * 1024 * 1024,
            rebuild: false,
            read: article::ReadOptions::default(),
            commit_interval: Duration::from_secs(30),
            commit_every: 0,
        }
    }
}

/// What an index run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Folders refreshed.
    pub roots: Vec<String>,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub failed: usize,
    /// Reason -> count of failed files.
    pub failed_reasons: BTreeMap<String, usize>,
    /// Files read without a date line.
    pub undated: usize,
    pub empty: usize,
    pub quotes_added: u64,
    pub quotes_removed: u64,
    /// Added quotations with a speaker.
    pub attributed: u64,
    /// Bytes of article text read.
    pub bytes: u64,
    pub elapsed_secs: f64,
    /// One line per problem (`path: reason`), in the order they were met.
    pub warnings: Vec<String>,
}

impl Summary {
    /// Share of added quotations with a speaker, 0 to 1.
    pub fn attributed_share(&self) -> f64 {
        if self.quotes_added == 0 {
            0.0
        } else {
            self.attributed as f64 / self.quotes_added as f64
        }
    }

    /// Megabytes of article text read per second.
    pub fn mb_per_sec(&self) -> f64 {
        if self.elapsed_secs == 0.0 {
            0.0
        } else {
            self.bytes as f64 / 1e6 / self.elapsed_secs
        }
    }

    /// Files looked at.
    pub fn files(&self) -> usize {
        self.new + self.changed + self.unchanged + self.failed
    }

    fn fail(&mut self, reason: &str, message: String) {
        self.failed += 1;
        *self.failed_reasons.entry(reason.to_string()).or_default() += 1;
        self.warnings.push(message);
    }
}

/// Progress of a run, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub files: usize,
    pub bytes: u64,
    pub quotes: u64,
}

/// What a worker found for one file.
enum Outcome {
    Unchanged(String),
    /// Modification time changed, content did not.
    Touched(String, FileMeta),
    Changed(Box<Changed>),
    /// A file that exists but could not be indexed.
    Failed {
        key: String,
        reason: &'static str,
        message: String,
    },
    /// A file or folder the walk could not enter (`path` when known).
    Unwalkable {
        path: Option<String>,
        message: String,
    },
}

struct Changed {
    key: String,
    meta: FileMeta,
    docs: Vec<TantivyDocument>,
    attributed: u64,
    undated: bool,
    empty: bool,
    warnings: Vec<String>,
}

/// Index operations handed to tantivy at once.
const BATCH: usize = 512;

/// Indexes the article files under `roots` (all remembered folders when empty).
///
/// A run in its steps: open the writer; plan (the manifest of the last commit, the folders to
/// refresh); read and extract on all cores while this thread feeds the writer and commits at
/// intervals; remove the quotes of files gone; commit a last time with the manifest.
pub fn index_paths(
    index: &QuoteIndex,
    roots: &[PathBuf],
    opts: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Summary> {
    let started = Instant::now();
    let mut writer = open_writer(index, opts)?;
    let Plan { manifest, roots, summary } = plan(index, roots, opts, &mut writer)?;
    let old = manifest.files.clone();
    let mut feed = Feed::new(index, opts, &old, writer, manifest, summary);
    read_and_extract(&roots, &old, index.fields, opts, |outcome| feed.take(outcome, progress))?;
    feed.flush()?;
    progress(feed.prog);
    feed.remove_gone(&roots)?;
    let mut summary = feed.commit_last()?;
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Opens the index's one writer, with as many indexing threads as extraction workers (up to
/// four); fails with a clear message when another quoth process holds it.
fn open_writer(index: &QuoteIndex, opts: &IndexOptions) -> Result<Handover> {
    // Tantivy's own indexing threads (the memory budget is shared between them), as many as
    // extraction workers: one thread tokenising and writing postings would be a serial stage
    // behind parallel extraction (measured: 54 s against 49.5 s for 1 GB on two cores).
    let tantivy_threads = opts.threads.clamp(1, 4);
    let per_thread_floor = 15_000_000 * tantivy_threads;
    super::schema::remember_terms(&index.index);
    // Stored documents are compressed by the indexing thread that wrote them, not handed to a
    // compressing thread of their own: on two cores that thread adds no parallelism, only a
    // thread switch per 16 KB block (measured: two thirds of the switches left once the
    // walker hands paths over in chunks).
    let mut writing = index.index.clone();
    writing.settings_mut().docstore_compress_dedicated_thread = false;
    let writer: IndexWriter<Handed> = writing
        .writer_with_num_threads(tantivy_threads, opts.memory.max(per_thread_floor))
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => {
                anyhow::anyhow!("index is being updated by another quoth process")
            }
            e => anyhow::Error::new(e)
                .context(format!("cannot write to the index at {}", display_path(&index.path))),
        })?;
    Ok(Handover::new(writer))
}

/// What a run starts from: the manifest of the last commit, the folders it refreshes
/// (canonical paths) and a summary holding the warnings met so far.
struct Plan {
    manifest: Manifest,
    roots: Vec<String>,
    summary: Summary,
}

/// Loads the manifest and settles which folders to refresh: those given, else every folder
/// indexed before. A rebuild empties the index and the manifest first (in the writer, so
/// that nothing changes on disk before the first commit).
fn plan(
    index: &QuoteIndex,
    roots: &[PathBuf],
    opts: &IndexOptions,
    writer: &mut Handover,
) -> Result<Plan> {
    let committed = index.index.load_metas()?.opstamp;
    let (mut manifest, stale) = manifest::load(&index.path, committed)?;
    let mut summary = Summary::default();
    if stale {
        summary.warnings.push(format!(
            "{}: the manifest did not match the last commit (interrupted run?); re-reading every file",
            display_path(&index.path)
        ));
    }

    let roots: Vec<String> = if roots.is_empty() {
        if manifest.roots.is_empty() {
            anyhow::bail!("no folders indexed yet: run 'quoth index <folder>' first");
        }
        manifest.roots.clone()
    } else {
        roots
            .iter()
            .map(|r| {
                std::fs::canonicalize(r)
                    .map(|p| p.display().to_string())
                    .map_err(|_| anyhow::anyhow!("{}: no such file or folder", r.display()))
            })
            .collect::<Result<_>>()?
    };
    if opts.rebuild {
        writer.writer.delete_all_documents()?;
        manifest.files.clear();
        manifest.roots.clear();
    }
    for r in &roots {
        if !manifest.roots.contains(r) {
            manifest.roots.push(r.clone());
        }
    }
    summary.roots = roots.clone();
    Ok(Plan { manifest, roots, summary })
}

/// Walks `roots` on one thread and reads and extracts their files on `opts.threads` workers,
/// calling `take` on this thread with each file's outcome, in the order they finish. Stops at
/// the first error `take` returns (the workers then drain their jobs and stop).
fn read_and_extract(
    roots: &[String],
    old: &BTreeMap<String, FileMeta>,
    fields: Fields,
    opts: &IndexOptions,
    mut take: impl FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    let (job_tx, job_rx) = sync_channel::<Vec<PathBuf>>(8);
    let (out_tx, out_rx) = sync_channel::<Vec<Outcome>>(8);
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| -> Result<()> {
        let walk_tx = out_tx.clone();
        let read = &opts.read;
        scope.spawn(move || walk_all(roots, read, &job_tx, &walk_tx));
        for _ in 0..opts.threads.max(1) {
            let out = out_tx.clone();
            let jobs = &job_rx;
            scope.spawn(move || worker(jobs, &out, old, fields, opts));
        }
        drop(out_tx);
        for outcome in out_rx.into_iter().flatten() {
            take(outcome)?;
        }
        Ok(())
    })
}

/// The writer's side of a run: applies each file's outcome to the index, the manifest and the
/// summary, and commits at the intervals asked for.
struct Feed<'a> {
    index: &'a QuoteIndex,
    opts: &'a IndexOptions,
    /// The manifest's files as the last commit left them.
    old: &'a BTreeMap<String, FileMeta>,
    writer: Handover,
    manifest: Manifest,
    summary: Summary,
    /// Files found under the folders refreshed.
    seen: HashSet<String>,
    /// Folders (or files) the walk could not enter.
    unwalkable: Vec<String>,
    /// Operations go to tantivy in batches: one hand-over per few hundred quotations instead
    /// of one per quotation (each wakes an indexing thread). A file's delete precedes its adds.
    batch: Vec<UserOperation<Handed>>,
    last_commit: Instant,
    since_commit: usize,
    prog: Progress,
    last_progress: Instant,
}

impl<'a> Feed<'a> {
    fn new(
        index: &'a QuoteIndex,
        opts: &'a IndexOptions,
        old: &'a BTreeMap<String, FileMeta>,
        writer: Handover,
        manifest: Manifest,
        summary: Summary,
    ) -> Feed<'a> {
        Feed {
            index,
            opts,
            old,
            writer,
            manifest,
            summary,
            seen: HashSet::new(),
            unwalkable: Vec::new(),
            batch: Vec::with_capacity(BATCH + 64),
            last_commit: Instant::now(),
            since_commit: 0,
            prog: Progress::default(),
            last_progress: Instant::now(),
        }
    }

    /// Takes one file's outcome; reports progress every tenth of a second and commits when due.
    fn take(&mut self, outcome: Outcome, progress: &dyn Fn(Progress)) -> Result<()> {
        match outcome {
            Outcome::Unchanged(key) => {
                self.summary.unchanged += 1;
                self.seen.insert(key);
            }
            Outcome::Touched(key, meta) => {
                self.summary.unchanged += 1;
                self.manifest.files.insert(key.clone(), meta);
                self.seen.insert(key);
            }
            Outcome::Failed { key, reason, message } => {
                self.summary.fail(reason, message);
                // A file that exists but could not be read keeps its old quotes.
                self.seen.insert(key);
            }
            Outcome::Unwalkable { path, message } => {
                self.summary.fail("unreadable", message);
                // Nor are the files under a folder that could not be read taken as gone.
                self.unwalkable.extend(path);
            }
            Outcome::Changed(c) => self.changed(*c)?,
        }
        self.prog.files += 1;
        if self.last_progress.elapsed() >= Duration::from_millis(100) {
            progress(self.prog);
            self.last_progress = Instant::now();
        }
        let due = self.last_commit.elapsed() >= self.opts.commit_interval
            || self.opts.commit_every > 0 && self.since_commit >= self.opts.commit_every;
        if due && self.since_commit > 0 {
            self.writer.run(&mut self.batch)?;
            commit(&mut self.writer.writer, &mut self.manifest, &self.index.path)?;
            self.last_commit = Instant::now();
            self.since_commit = 0;
        }
        Ok(())
    }

    /// Replaces a changed file's quotes: its delete, then its new documents.
    fn changed(&mut self, c: Changed) -> Result<()> {
        let n = c.docs.len() as u64;
        let file = self.index.fields.file;
        self.batch.push(UserOperation::Delete(Term::from_field_text(file, &c.key)));
        // A large file (a JSON Lines feed) goes over several batches: tantivy checks
        // its memory budget between batches. Its delete still comes first.
        for d in c.docs {
            self.batch.push(UserOperation::Add(Handed::new(d)));
            if self.batch.len() >= BATCH {
                self.writer.run(&mut self.batch)?;
            }
        }
        let summary = &mut self.summary;
        match self.old.get(&c.key) {
            Some(before) => {
                summary.changed += 1;
                summary.quotes_removed += before.quotes;
            }
            None => summary.new += 1,
        }
        summary.quotes_added += n;
        summary.attributed += c.attributed;
        summary.bytes += c.meta.size;
        summary.undated += c.undated as usize;
        summary.empty += c.empty as usize;
        summary.warnings.extend(c.warnings);
        self.manifest.files.insert(c.key.clone(), c.meta);
        self.seen.insert(c.key);
        self.since_commit += 1;
        self.prog.bytes += c.meta.size;
        self.prog.quotes += n;
        Ok(())
    }

    /// Hands the operations batched so far to tantivy.
    fn flush(&mut self) -> Result<()> {
        self.writer.run(&mut self.batch)?;
        Ok(())
    }

    /// Removes the quotes of files gone from `roots`. The index itself is asked too, so quotes committed by a run that died before saving its
    /// manifest are not left behind. Files under a folder the walk could not read may well
    /// still be there: they keep theirs.
    fn remove_gone(&mut self, roots: &[String]) -> Result<()> {
        let is_gone = |k: &String| !self.seen.contains(k) && !under_any(k, &self.unwalkable);
        let mut gone: Vec<String> =
            self.old.keys().filter(|k| under_any(k, roots) && is_gone(k)).cloned().collect();
        for key in indexed_files(self.index, roots, &self.seen)? {
            if is_gone(&key) && !gone.contains(&key) {
                gone.push(key);
            }
        }
        for key in gone {
            self.writer.writer.delete_term(Term::from_field_text(self.index.fields.file, &key));
            if let Some(m) = self.manifest.files.remove(&key) {
                self.summary.quotes_removed += m.quotes;
            }
            self.summary.removed += 1;
        }
        Ok(())
    }

    /// The last commit, with its manifest; waits for tantivy's merges to finish.
    fn commit_last(mut self) -> Result<Summary> {
        commit(&mut self.writer.writer, &mut self.manifest, &self.index.path)?;
        self.writer.writer.wait_merging_threads().context("cannot finish merging the index")?;
        Ok(self.summary)
    }
}

/// Commits the writer with the manifest that describes the commit (see `manifest`).
fn commit(writer: &mut IndexWriter<Handed>, manifest: &mut Manifest, dir: &Path) -> Result<()> {
    let prepared = writer.prepare_commit().context("cannot commit the index")?;
    manifest.opstamp = prepared.opstamp();
    manifest::save_pending(dir, manifest)?;
    prepared.commit().context("cannot commit the index")?;
    manifest::promote(dir)
}

/// Whether file `key` lies under one of `roots` (or is one of them).
fn under_any(key: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| {
        key == r
            || key
                .strip_prefix(r.as_str())
                .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
    })
}

/// Files under `roots` that still have live quotes in the last commit but were not `seen`.
fn indexed_files(
    index: &QuoteIndex,
    roots: &[String],
    seen: &HashSet<String>,
) -> Result<Vec<String>> {
    index.reader.reload()?;
    let searcher = index.reader.searcher();
    let mut out: Vec<String> = Vec::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(index.fields.file)?;
        for root in roots {
            let mut stream = inverted.terms().range().ge(root.as_bytes()).into_stream()?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else { continue };
                if !key.starts_with(root.as_str()) {
                    break;
                }
                if under_any(key, std::slice::from_ref(root))
                    && !seen.contains(key)
                    && !out.iter().any(|k| k == key)
                {
                    out.push(key.to_string());
                }
            }
        }
    }
    // The term dictionary still lists files whose quotes were deleted but not yet merged away.
    let live = |key: &String| {
        let q =
            TermQuery::new(Term::from_field_text(index.fields.file, key), IndexRecordOption::Basic);
        searcher.search(&q, &Count).map(|n| n > 0)
    };
    let mut alive = Vec::new();
    for key in out {
        if live(&key)? {
            alive.push(key);
        }
    }
    Ok(alive)
}

/// Paths a worker takes from the walker at once. The walker outruns the workers and waits on a
/// full channel; handing over one path at a time woke it once per file (measured: 99,000 thread
/// switches for 30,000 files, 29,000 with chunks).
const CHUNK: usize = 32;

/// Walks every root, sending article paths to the workers and walk errors to the writer.
fn walk_all(
    roots: &[String],
    read: &article::ReadOptions,
    jobs: &SyncSender<Vec<PathBuf>>,
    out: &SyncSender<Vec<Outcome>>,
) {
    let mut chunk = Vec::with_capacity(CHUNK);
    for root in roots {
        for entry in article::walk(Path::new(root), read) {
            let sent = match entry {
                Ok(p) => {
                    chunk.push(p);
                    chunk.len() < CHUNK
                        || jobs
                            .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                            .is_ok()
                }
                Err(e) => {
                    let path = e.path.map(|p| p.display().to_string());
                    out.send(vec![Outcome::Unwalkable { path, message: e.message }]).is_ok()
                }
            };
            if !sent {
                return;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = jobs.send(chunk);
    }
}

/// Files open ahead of extraction, at most, over all workers.
const OPEN_AHEAD: usize = 256;

/// Files the workers may hold open ahead: `OPEN_AHEAD`, or an eighth of the process's limit on
/// open files when that is lower, so that the walker and tantivy always have descriptors left.
#[cfg(target_os = "linux")]
fn open_ahead_budget() -> usize {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: fills the struct it is given.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    let soft = if known { usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX) } else { 0 };
    OPEN_AHEAD.min(soft / 8)
}

/// Elsewhere nothing is read ahead (see `read_ahead`), so files are opened one at a time.
#[cfg(not(target_os = "linux"))]
fn open_ahead_budget() -> usize {
    0
}

/// Files whose outcomes a worker hands to the writer at once: one wake-up of the writing thread
/// per group rather than per file (thread switches were a twelfth of indexing time).
const GROUP: usize = 16;

/// Reads, hashes and extracts files until the job channel closes.
fn worker(
    jobs: &Mutex<Receiver<Vec<PathBuf>>>,
    out: &SyncSender<Vec<Outcome>>,
    old: &BTreeMap<String, FileMeta>,
    fields: Fields,
    opts: &IndexOptions,
) {
    let mut group = Vec::with_capacity(GROUP);
    let mut buffer = Vec::new();
    let ahead = (open_ahead_budget() / opts.threads.max(1)).clamp(1, CHUNK);
    loop {
        let next = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok(paths)) = next else { break };
        // Files are opened a window at a time, so that the kernel reads those not in memory in
        // the background while the first ones are extracted.
        for window in paths.chunks(ahead) {
            let opened: Vec<Opened> = window.iter().map(|p| open(p, old, opts, true)).collect();
            for (path, opened) in window.iter().zip(opened) {
                group.push(process(path, opened, &mut buffer, old, fields, opts));
                if buffer.capacity() > KEPT_BUFFER {
                    buffer = Vec::new();
                }
                if group.len() >= GROUP {
                    let full = std::mem::replace(&mut group, Vec::with_capacity(GROUP));
                    if out.send(full).is_err() {
                        // The writer stopped on an error: empty the job channel, so that the
                        // walker is not left waiting on it forever, and stop.
                        while let Ok(Ok(_)) = jobs.lock().map(|rx| rx.recv()) {}
                        return;
                    }
                }
            }
        }
    }
    if !group.is_empty() {
        let _ = out.send(group);
    }
}

/// The largest read buffer a worker keeps for the next file. Reusing it spares an allocation
/// per file, often of fresh memory that the kernel first had to zero.
const KEPT_BUFFER: usize = 1 << 22;

/// A file of a chunk after its first look.
enum Opened {
    /// Nothing more to do: unchanged, too large or unreadable.
    Done(Outcome),
    /// To be read: its key, the open file, its size and modification time.
    Open(String, std::fs::File, u64, i128),
    /// Not opened yet: tried again when its turn comes, as the process may have had too many
    /// files open at once (a low limit on open files with many files opened ahead).
    Later,
}

/// Bytes of a file the kernel is asked to read ahead when it is opened: enough for a whole
/// article; a longer file is read ahead as it is read.
const READ_AHEAD: i64 = 1 << 20;

/// First look at one file. A file indexed before is only looked at (one system call when
/// unchanged); any other is opened at once and its size and time read from the open file, two
/// lookups of the path fewer per new file, which count on a corpus of small files.
fn open(path: &Path, old: &BTreeMap<String, FileMeta>, opts: &IndexOptions, ahead: bool) -> Opened {
    let key = path.display().to_string();
    let fail =
        |reason, message| Opened::Done(Outcome::Failed { key: key.clone(), reason, message });
    let unreadable = |e: std::io::Error| fail("unreadable", format!("{}: {e}", path.display()));
    if let Some(b) = old.get(&key) {
        match std::fs::metadata(path) {
            Ok(m) if b.size == m.len() && b.mtime == mtime_of(&m) => {
                return Opened::Done(Outcome::Unchanged(key))
            }
            Ok(_) => {}
            Err(e) => return unreadable(e),
        }
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) if ahead => return Opened::Later,
        Err(e) => return unreadable(e),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return unreadable(e),
    };
    let (size, mtime) = (meta.len(), mtime_of(&meta));
    if size > opts.max_file_size {
        return fail("too large", too_large(path, size, opts.max_file_size));
    }
    read_ahead(&file);
    Opened::Open(key, file, size, mtime)
}

/// The warning for a file over the size cap.
fn too_large(path: &Path, size: u64, max_size: u64) -> String {
    format!("{}: {size} bytes is over --max-file-size ({max_size}); skipped", path.display())
}

/// Asks the kernel to start reading the beginning of `file` into memory.
#[cfg(target_os = "linux")]
fn read_ahead(file: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: a hint on an open descriptor; it reads nothing into our memory.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, READ_AHEAD, libc::POSIX_FADV_WILLNEED);
    }
}

#[cfg(not(target_os = "linux"))]
fn read_ahead(_file: &std::fs::File) {}

/// Decides what to do with one file after its first look, reading it into `bytes`.
fn process(
    path: &Path,
    opened: Opened,
    bytes: &mut Vec<u8>,
    old: &BTreeMap<String, FileMeta>,
    fields: Fields,
    opts: &IndexOptions,
) -> Outcome {
    let opened = match opened {
        Opened::Later => open(path, old, opts, false),
        opened => opened,
    };
    let (key, mut file, size, mtime) = match opened {
        Opened::Done(outcome) => return outcome,
        Opened::Open(key, file, size, mtime) => (key, file, size, mtime),
        // Not reached (a last try is final), but never a reason to stop the run.
        Opened::Later => {
            return Outcome::Failed {
                key: path.display().to_string(),
                reason: "unreadable",
                message: format!("{}: cannot be opened", path.display()),
            }
        }
    };
    let before = old.get(&key);
    let fail = |reason, message: String| Outcome::Failed { key: key.clone(), reason, message };
    let unreadable = |e: std::io::Error| fail("unreadable", format!("{}: {e}", path.display()));
    // The file as it was when looked at: `take` stops at that size without a read to find the
    // end (and the file's own `read_to_end` would ask for its size again). A file that grows
    // meanwhile is read again by the next run, as its size then differs from the one recorded.
    // A size of 0 may not be the truth (some virtual file systems report it): such a file is
    // read to its end, within the size cap.
    let limit = if size == 0 { opts.max_file_size.saturating_add(1) } else { size };
    bytes.clear();
    if let Err(e) = bytes.try_reserve_exact(size as usize) {
        return fail("unreadable", format!("{}: {e}", path.display()));
    }
    if let Err(e) = (&mut file).take(limit).read_to_end(bytes) {
        return unreadable(e);
    }
    drop(file);
    if bytes.len() as u64 > opts.max_file_size {
        return fail("too large", too_large(path, bytes.len() as u64, opts.max_file_size));
    }
    let bytes: &[u8] = bytes;
    let hash = manifest::file_hash(bytes);
    if let Some(b) = before.filter(|b| b.hash == hash && b.size == bytes.len() as u64) {
        return Outcome::Touched(key, FileMeta { mtime, ..*b });
    }
    let read = match article::parse_file(path, bytes, &opts.read) {
        Ok(r) => r,
        Err(e @ article::ArticleError::Binary { .. }) => return fail("binary", e.to_string()),
        Err(e) => return fail("invalid", e.to_string()),
    };
    let mut warnings: Vec<String> = read.warnings;
    let mut docs: Vec<TantivyDocument> = Vec::new();
    let (mut attributed, mut undated) = (0u64, false);
    for a in &read.articles {
        warnings.extend(a.located_warnings());
        undated |= a.date.is_none();
        for q in quote::extract(a) {
            attributed += q.speaker.is_some() as u64;
            docs.push(document(&fields, a, &key, &q));
        }
    }
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    if empty {
        warnings.push(format!("{}: empty file", path.display()));
    }
    Outcome::Changed(Box::new(Changed {
        key,
        meta: FileMeta { size: bytes.len() as u64, mtime, hash, quotes: docs.len() as u64 },
        docs,
        attributed,
        undated: undated && !empty,
        empty,
        warnings,
    }))
}

/// A file's modification time in nanoseconds since 1970 (0 when the system has none).
fn mtime_of(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The index document of one quotation.
fn document(f: &Fields, a: &Article, key: &str, q: &Quote) -> TantivyDocument {
    let mut d = doc!(
        f.quote => q.text.as_str(),
        f.quote_key => super::schema::quote_key(&q.text),
        f.id => super::schema::quote_id_number(key, a.line, q.paragraph, q.start),
        f.file => key,
        f.paragraph => a.paragraphs[q.paragraph..=q.end_paragraph].join("\n\n"),
        f.paragraph_number => (q.paragraph + 1) as u64,
        f.start => q.start as u64,
        f.end => q.end as u64,
    );
    if let Some(s) = &q.speaker {
        d.add_text(f.speaker, s);
        d.add_text(f.speaker_key, s);
    }
    if let Some(r) = &q.role {
        d.add_text(f.role, r);
    }
    if let Some(date) = a.date {
        d.add_date(f.date, date_to_tantivy(date));
    }
    if let Some(l) = a.line {
        d.add_u64(f.line, l as u64);
    }
    if let Some(t) = &a.title {
        d.add_text(f.title, t);
    }
    if let Some(u) = &a.url {
        d.add_text(f.url, u);
    }
    d
}

/// A calendar date as tantivy's DateTime at UTC midnight.
pub fn date_to_tantivy(date: article::Date) -> DateTime {
    let secs = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    DateTime::from_timestamp_secs(secs)
}

/// The calendar date of a stored DateTime.
pub fn date_from_tantivy(dt: DateTime) -> Option<article::Date> {
    let ts = jiff::Timestamp::from_second(dt.into_timestamp_secs()).ok()?;
    Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}
