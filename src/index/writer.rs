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
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{doc, IndexWriter, TantivyDocument, Term};

use super::files::Files;
use super::handover::{Handed, Handover};
use super::manifest::{self, FileMeta, Manifest};
use super::records::Records;
use super::{display_path, Fields, QuoteIndex};
use crate::article::{self, Article};
use crate::quote::fasthash::FastSet;
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
    /// A file or folder the walk could not enter, or no regular file (`path` when known).
    Unwalkable {
        path: Option<String>,
        reason: &'static str,
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
    let run = || -> Result<Summary> {
        let mut writer = open_writer(index, opts)?;
        let Plan { manifest, roots, summary, replace_all } = plan(index, roots, opts, &mut writer)?;
        let Manifest { roots: indexed_roots, files: old, .. } = manifest;
        let files = Files::new(indexed_roots, &old, &index.path);
        let mut feed = Feed::new(index, opts, files, writer, summary, replace_all);
        read_and_extract(&roots, &old, index.fields, opts, |outcome| feed.take(outcome, progress))?;
        feed.flush()?;
        progress(feed.prog);
        feed.remove_gone(&roots)?;
        feed.commit_last()
    };
    match run() {
        Ok(mut summary) => {
            summary.elapsed_secs = started.elapsed().as_secs_f64();
            Ok(summary)
        }
        Err(e) => {
            // Said before the clean-up below frees the space the failed segment took.
            let full = super::explain_disk_full(&e, &index.path);
            // The segment files of a failed run are orphans no commit refers to: on a full
            // disk they keep it full, and every later run (a rebuild too) fails in turn.
            let _ = collect_garbage(index);
            match full {
                Some(told) => Err(anyhow::anyhow!(told)),
                None => Err(e),
            }
        }
    }
}

/// Deletes the index files no commit refers to (tantivy's garbage collection): what a run
/// that failed or was killed left behind.
fn collect_garbage(index: &QuoteIndex) -> Result<()> {
    let writer: IndexWriter = index.index.writer_with_num_threads(1, 15_000_000)?;
    writer.garbage_collect_files().wait()?;
    Ok(())
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
    writer.set_merge_policy(Box::new(merge_policy(opts.memory)));
    // What a run that failed or was killed left behind goes first (see `collect_garbage`).
    writer
        .garbage_collect_files()
        .wait()
        .with_context(|| format!("cannot clean up the index at {}", display_path(&index.path)))?;
    Ok(Handover::new(writer))
}

/// Index bytes of a quotation, about (0.36 GB for 1.16 million of the benchmark corpus).
const INDEX_BYTES_PER_QUOTE: usize = 310;

/// Tantivy's merge policy, with a cap on the segments it merges. A merge reads its segments
/// through memory maps (resident while it runs) and rewrites them, so merging the large
/// segments of a long run would make its memory and its time per file grow with the archive;
/// segments that fill the memory budget's share (`--memory` / 8, in quotations) are left as
/// they are, and smaller ones, which commits every few seconds leave behind, still merge,
/// eight at a time. Searches hardly notice: a segment costs them a few term lookups.
fn merge_policy(memory: usize) -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge((memory / (8 * INDEX_BYTES_PER_QUOTE)).max(10_000));
    policy
}

/// What a run starts from: the manifest of the last commit, the folders it refreshes
/// (canonical paths), a summary holding the warnings met so far, and whether the index may
/// hold quotes of files the manifest does not list (it did not match the last commit).
struct Plan {
    manifest: Manifest,
    roots: Vec<String>,
    summary: Summary,
    replace_all: bool,
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
                let p = std::fs::canonicalize(r)
                    .map_err(|_| anyhow::anyhow!("{}: no such file or folder", r.display()))?;
                // Roots are kept as text and walked again from it: files under them may have
                // any name, a root must be UTF-8.
                p.to_str().map(str::to_string).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: a folder whose name is not UTF-8 cannot be indexed by name: index the folder above it",
                        article::path_text(&p)
                    )
                })
            })
            .collect::<Result<_>>()?
    };
    // Folders given inside others (or twice) are walked with them, never on their own: a file
    // is then met once, which `Feed::changed` relies on.
    let roots: Vec<String> = (roots.iter().enumerate())
        .filter(|(i, r)| {
            !(roots.iter().enumerate()).any(|(j, o)| {
                (o == *r && j < *i) || (o != *r && under_any(r, std::slice::from_ref(o)))
            })
        })
        .map(|(_, r)| r.clone())
        .collect();
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
    // A rebuild has deleted everything committed; otherwise an untrusted manifest leaves
    // quotes in the index that only a delete per file can replace.
    let replace_all = stale && !opts.rebuild;
    Ok(Plan { manifest, roots, summary, replace_all })
}

/// Walks `roots` on one thread and reads and extracts their files on `opts.threads` workers,
/// calling `take` on this thread with each file's outcome, in the order they finish. Stops at
/// the first error `take` returns (the workers then drain their jobs and stop).
fn read_and_extract(
    roots: &[String],
    old: &Records,
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
    writer: Handover,
    /// The manifest: the files of the last commit and this run's changes.
    files: Files<'a>,
    summary: Summary,
    /// Files found under the folders refreshed, by `seen_key`: those of the last commit and
    /// those this run indexed (whose records `files` may have written to disk already).
    seen: Seen,
    /// Files new to the manifest that could not be read (they keep any quotes they have).
    failed_new: HashSet<String>,
    /// Whether every changed file's quotes are deleted before its new ones are added, not only
    /// those of files the manifest lists (see `Plan`).
    replace_all: bool,
    /// Deletions handed to tantivy since the last commit (see `PENDING_DELETES`).
    deletes: usize,
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
        files: Files<'a>,
        writer: Handover,
        summary: Summary,
        replace_all: bool,
    ) -> Feed<'a> {
        Feed {
            index,
            opts,
            writer,
            files,
            summary,
            seen: Seen::default(),
            failed_new: HashSet::new(),
            replace_all,
            deletes: 0,
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
                self.seen.insert(seen_key(&key));
            }
            Outcome::Touched(key, meta) => {
                self.summary.unchanged += 1;
                self.seen.insert(seen_key(&key));
                self.files.insert(&key, meta)?;
            }
            Outcome::Failed { key, reason, message } => {
                self.summary.fail(reason, message);
                // A file that exists but could not be read keeps its old quotes.
                if self.files.old.contains_key(&key) {
                    self.seen.insert(seen_key(&key));
                } else {
                    self.failed_new.insert(key);
                }
            }
            Outcome::Unwalkable { path, reason, message } => {
                self.summary.fail(reason, message);
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
            || self.opts.commit_every > 0 && self.since_commit >= self.opts.commit_every
            || self.deletes >= PENDING_DELETES;
        if due && self.since_commit > 0 {
            self.commit()?;
        }
        Ok(())
    }

    /// Hands over what is batched and commits it with its manifest.
    fn commit(&mut self) -> Result<()> {
        self.writer.run(&mut self.batch)?;
        commit(&mut self.writer.writer, &mut self.files, &self.index.path)?;
        self.last_commit = Instant::now();
        self.since_commit = 0;
        self.deletes = 0;
        Ok(())
    }

    /// Replaces a changed file's quotes: its delete, then its new documents. A file new to a
    /// manifest that matches the last commit has no quotes in the index (and is met once: the
    /// folders of a run never overlap, see `plan`), so it is not deleted: tantivy keeps every
    /// deletion (over a kilobyte each) until the next commit and looks it up in every segment
    /// written meanwhile.
    fn changed(&mut self, c: Changed) -> Result<()> {
        let n = c.docs.len() as u64;
        let file = self.index.fields.file;
        let listed = self.files.old.contains_key(&c.key);
        if self.replace_all || listed {
            self.batch.push(UserOperation::Delete(Term::from_field_text(file, &c.key)));
            self.deletes += 1;
        }
        // A large file (a JSON Lines feed) goes over several batches: tantivy checks
        // its memory budget between batches. Its delete still comes first.
        for d in c.docs {
            self.batch.push(UserOperation::Add(Handed::new(d)));
            if self.batch.len() >= BATCH {
                self.writer.run(&mut self.batch)?;
            }
        }
        let summary = &mut self.summary;
        match self.files.old.get(&c.key) {
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
        self.seen.insert(seen_key(&c.key));
        self.files.insert(&c.key, c.meta)?;
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
        let gone = {
            let is_gone = |k: &str| {
                !self.seen.contains(&seen_key(k))
                    && !self.failed_new.contains(k)
                    && !under_any(k, &self.unwalkable)
            };
            let mut gone: Vec<String> = self
                .files
                .old
                .iter()
                .map(|(k, _)| k)
                .filter(|k| under_any(k, roots) && is_gone(k))
                .map(str::to_string)
                .collect();
            let listed: HashSet<String> = gone.iter().cloned().collect();
            for key in indexed_files(self.index, roots, &is_gone)? {
                if !listed.contains(&key) {
                    gone.push(key);
                }
            }
            gone
        };
        for key in gone {
            self.writer.writer.delete_term(Term::from_field_text(self.index.fields.file, &key));
            if let Some(m) = self.files.remove(&key) {
                self.summary.quotes_removed += m.quotes;
            }
            self.summary.removed += 1;
            self.since_commit += 1;
            self.deletes += 1;
            // Many files gone at once (a folder deleted): their deletions are bounded too.
            if self.deletes >= PENDING_DELETES {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// The last commit, with its manifest; waits for tantivy's merges to finish.
    fn commit_last(mut self) -> Result<Summary> {
        commit(&mut self.writer.writer, &mut self.files, &self.index.path)?;
        self.writer.writer.wait_merging_threads().context("cannot finish merging the index")?;
        Ok(self.summary)
    }
}

/// Commits the writer with the manifest that describes the commit (see `manifest`).
fn commit(writer: &mut IndexWriter<Handed>, files: &mut Files, dir: &Path) -> Result<()> {
    let prepared = writer.prepare_commit().context("cannot commit the index")?;
    let roots = files.roots.clone();
    manifest::save_pending_files(dir, prepared.opstamp(), &roots, |emit| files.each(emit))?;
    prepared.commit().context("cannot commit the index")?;
    manifest::promote(dir)
}

/// Deletions handed to tantivy between two commits, at most: tantivy keeps each (over a
/// kilobyte: the file's term and a scoring cache) until the commit, so a run replacing or
/// removing a whole archive's files commits every this many rather than hold them all.
const PENDING_DELETES: usize = 20_000;

/// Files seen by a run, as 64-bit hashes of their keys: about 16 bytes a file instead of the
/// path again, the one thing a run keeps per file of the archive. Two paths sharing a hash
/// (odds about 1 in 10^8 for a million files) would only keep the quotes of one of them, were
/// it deleted, until it is indexed again.
type Seen = FastSet<u64>;

fn seen_key(key: &str) -> u64 {
    manifest::file_hash(key.as_bytes())
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

/// Files under `roots` that still have live quotes in the last commit and are `gone`.
fn indexed_files(
    index: &QuoteIndex,
    roots: &[String],
    gone: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>> {
    index.reader.reload()?;
    let searcher = index.reader.searcher();
    let mut out: Vec<String> = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
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
                    && gone(key)
                    && listed.insert(key.to_string())
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
                    let path = e.path.map(|p| article::path_text(&p));
                    let (reason, message) = (e.reason, e.message);
                    out.send(vec![Outcome::Unwalkable { path, reason, message }]).is_ok()
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
    old: &Records,
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
fn open(path: &Path, old: &Records, opts: &IndexOptions, ahead: bool) -> Opened {
    let key = article::path_text(path);
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
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(_) if ahead => return Opened::Later,
        Err(e) => return unreadable(e),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return unreadable(e),
    };
    if !meta.is_file() {
        // Replaced by a named pipe or a device since the walk saw a file.
        let message = format!("{}: not a regular file; skipped", path.display());
        return fail("not a regular file", message);
    }
    let (size, mtime) = (meta.len(), mtime_of(&meta));
    if size > opts.max_file_size {
        return fail("too large", too_large(path, size, opts.max_file_size));
    }
    read_ahead(&file);
    Opened::Open(key, file, size, mtime)
}

/// Opens a file for reading without waiting: a named pipe put where the walk saw a file would
/// otherwise block the open until a writer comes (a regular file reads the same either way).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
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
    old: &Records,
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
                key: article::path_text(path),
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
        return Outcome::Touched(key, FileMeta { mtime, ..b });
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
        let quotes = quote::extract(a);
        let contexts = quote::Contexts::new(a, &quotes);
        for q in &quotes {
            attributed += q.speaker.is_some() as u64;
            docs.push(document(&fields, a, &key, q, contexts.of(a, q)));
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
fn document(f: &Fields, a: &Article, key: &str, q: &Quote, context: String) -> TantivyDocument {
    let key_of_quote = super::schema::quote_key(&q.text);
    let mut d = doc!(
        f.quote => q.text.as_str(),
        f.quote_key => key_of_quote,
        f.quote_bucket => super::schema::quote_bucket(key_of_quote),
        f.id => super::schema::quote_id_number(key, a.line, q.paragraph, q.start),
        f.file => key,
        f.paragraph => context,
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
        d.add_i64(f.date, super::schema::date_days(date));
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
