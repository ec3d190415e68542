//! Extraction without an index: the quotations of articles as [`Hit`]s, in the shape `quoth
//! extract` prints and the Python binding returns, and a parallel, streaming pass over files and
//! folders that yields each file's quotations in the order the files are walked.
//!
//! Sits beside `index`: it reads articles with `article`, finds quotations with `quote` and
//! builds the same [`Hit`] a search returns (with the attribution rule), without tantivy.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

use crate::article::{self, Article, ReadOptions};
use crate::index::schema::quote_id;
use crate::quote;
use crate::search::Hit;

/// The quotations of `article` as hits, its file named `file` (for the id and the `file` key).
/// Each keeps the text around it that `quote::Contexts` shares within its paragraph, as the
/// index does: a paragraph of thousands of short quotations is not copied into each of them.
pub fn hits(article: &Article, file: &str) -> Vec<Hit> {
    let quotes = quote::extract(article);
    let contexts = quote::Contexts::new(article, &quotes);
    quotes
        .into_iter()
        .map(|q| Hit {
            id: quote_id(file, article.line, q.paragraph, q.start),
            paragraph: contexts.of(article, &q),
            paragraph_number: q.paragraph as u64 + 1,
            start: q.start as u64,
            end: q.end as u64,
            date: article.date,
            file: file.to_string(),
            line: article.line.map(|l| l as u64),
            title: article.title.clone(),
            url: article.url.clone(),
            score: 0.0,
            occurrences: 1,
            first_date: article.date,
            rule: Some(q.rule.name().to_string()),
            highlights: Vec::new(),
            quote: q.text,
            speaker: q.speaker,
            role: q.role,
        })
        .collect()
}

/// What extraction made of one file, or of a folder the walk could not enter.
#[derive(Debug, Clone)]
pub enum Extracted {
    /// A file that could not be read, or a folder that could not be walked: the message names
    /// it and says why.
    Failed(String),
    /// The quotations of a file's articles, one list per article, and the problems met reading
    /// it that did not stop it (a malformed JSON line skipped, an invalid date), each naming it.
    File { articles: Vec<Vec<Hit>>, warnings: Vec<String> },
}

/// Files extracted ahead of the one the reader waits for, per thread: enough to keep every
/// thread busy past a long file, few enough that memory stays bounded by a handful of files.
const AHEAD_PER_THREAD: usize = 4;

/// One file to extract, and where its outcome goes.
struct Job {
    path: PathBuf,
    name: String,
    done: SyncSender<Extracted>,
}

/// A running extraction: an iterator over the outcomes of the files under some roots, in walk
/// order, extracted by worker threads ahead of the reader. Dropping it stops the threads after
/// the files they hold.
pub struct Extraction {
    /// Each file's outcome channel, in walk order; bounded, so the walk waits for the reader.
    /// `None` once dropping.
    slots: Option<Receiver<Receiver<Extracted>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// Starts extracting the article files under `roots` (files or folders) on `threads` threads.
/// A missing root is an error before anything starts. Files are named relative to the root they
/// were found under (a file given as a root by its file name), as `quoth extract` names them.
pub fn extract_files(
    roots: Vec<PathBuf>,
    read: ReadOptions,
    threads: usize,
) -> anyhow::Result<Extraction> {
    article::must_exist(&roots)?;
    let threads = threads.max(1);
    let (slot_tx, slots) = sync_channel(threads * AHEAD_PER_THREAD);
    let (job_tx, job_rx) = channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let read = Arc::new(read);
    let mut handles = Vec::with_capacity(threads + 1);
    for _ in 0..threads {
        let (jobs, read) = (Arc::clone(&job_rx), Arc::clone(&read));
        handles.push(std::thread::spawn(move || work(&jobs, &read)));
    }
    handles.push(std::thread::spawn(move || walk(&roots, &read, &job_tx, &slot_tx)));
    Ok(Extraction { slots: Some(slots), threads: handles })
}

impl Iterator for Extraction {
    type Item = Extracted;

    fn next(&mut self) -> Option<Extracted> {
        let slot = self.slots.as_ref()?.recv().ok()?;
        // A worker answers every job it takes, even when extraction panics (see `work`).
        Some(slot.recv().unwrap_or_else(|_| Extracted::Failed("a worker thread stopped".into())))
    }
}

impl Drop for Extraction {
    /// Closes the slots, so that the walk stops at its next file and each worker after the file
    /// it holds, and waits for them: no thread outlives the extraction.
    fn drop(&mut self) {
        self.slots = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Walks `roots`, handing each article file to the workers and its outcome slot to the reader.
fn walk(
    roots: &[PathBuf],
    read: &ReadOptions,
    jobs: &Sender<Job>,
    slots: &SyncSender<Receiver<Extracted>>,
) {
    for root in roots {
        for entry in article::walk(root, read) {
            let (done, slot) = sync_channel(1);
            // The slot first: this waits while the reader is far behind, bounding the work done
            // ahead of it. A failed send means the reader is gone.
            if slots.send(slot).is_err() {
                return;
            }
            match entry {
                Ok(path) => {
                    let name = article::relative_name(root, &path);
                    if jobs.send(Job { path, name, done }).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = done.send(Extracted::Failed(e.message));
                }
            }
        }
    }
}

/// Extracts files until the walk ends or the reader is gone.
fn work(jobs: &Mutex<Receiver<Job>>, read: &ReadOptions) {
    loop {
        let next = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok(job)) = next else { return };
        // A panic is a bug, but it costs one file, reported, not the whole run.
        let outcome =
            std::panic::catch_unwind(AssertUnwindSafe(|| extract_file(&job.path, &job.name, read)))
                .unwrap_or_else(|_| {
                    Extracted::Failed(format!(
                        "{}: extraction failed (internal error)",
                        job.path.display()
                    ))
                });
        if job.done.send(outcome).is_err() {
            return;
        }
    }
}

/// The quotations of the file at `path`, named `name` in hits.
pub fn extract_file(path: &Path, name: &str, read: &ReadOptions) -> Extracted {
    match article::read_articles(path, read) {
        Ok(file) => of_articles(file, name),
        Err(e) => Extracted::Failed(e.to_string()),
    }
}

/// The quotations of the articles read from one file (or text) named `name`, with the file's
/// warnings and then its articles' (an invalid date), each naming where it was met.
pub fn of_articles(file: article::Articles, name: &str) -> Extracted {
    let mut warnings = file.warnings;
    warnings.extend(file.articles.iter().flat_map(Article::located_warnings));
    Extracted::File { articles: file.articles.iter().map(|a| hits(a, name)).collect(), warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quotes of an extraction, file by file, with failures as `!message`.
    fn outcomes(roots: Vec<PathBuf>, threads: usize) -> Vec<String> {
        extract_files(roots, ReadOptions::default(), threads)
            .unwrap()
            .map(|e| match e {
                Extracted::Failed(m) => format!("!{m}"),
                Extracted::File { articles, .. } => {
                    let quotes: Vec<String> = articles
                        .iter()
                        .flatten()
                        .map(|h| format!("{}:{}", h.file, h.quote))
                        .collect();
                    quotes.join("|")
                }
            })
            .collect()
    }

    #[test]
    fn files_in_walk_order_on_any_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        let n = 40;
        for i in 0..n {
            let text = format!(
                "date 2023-01-{:02}\n\n“Number {i} is ready,” said Mara Quill, a clerk.\n",
                i % 28 + 1
            );
            std::fs::write(dir.path().join(format!("{i:03}.txt")), text).unwrap();
        }
        std::fs::write(dir.path().join("zz-binary.txt"), b"\0\0\0").unwrap();
        let want: Vec<String> = (0..n)
            .map(|i| format!("{i:03}.txt:Number {i} is ready,"))
            .chain(std::iter::once(format!(
                "!{}: not a text file (NUL byte in the first 8 KB)",
                dir.path().join("zz-binary.txt").display()
            )))
            .collect();
        // (name, roots, threads, expected)
        let cases: &[(&str, Vec<PathBuf>, usize, Vec<String>)] = &[
            ("one thread", vec![dir.path().to_path_buf()], 1, want.clone()),
            ("three threads", vec![dir.path().to_path_buf()], 3, want.clone()),
            (
                "a file as root is named by its file name",
                vec![dir.path().join("007.txt")],
                2,
                vec!["007.txt:Number 7 is ready,".to_string()],
            ),
        ];
        for (name, roots, threads, want) in cases {
            assert_eq!(&outcomes(roots.clone(), *threads), want, "case {name}");
        }
    }

    #[test]
    fn warnings_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        // (name, file, contents, expected warnings after the file's path)
        let cases: &[(&str, &str, &str, &[&str])] = &[
            ("clean", "a.txt", "date 2023-01-02\n\n“Yes,” said Ana Vel.\n", &[]),
            (
                "invalid date line (negative)",
                "b.txt",
                "date 2023-13-40\n\n“Yes,” said Ana Vel.\n",
                &[": invalid date '2023-13-40' on the date line"],
            ),
            (
                "JSON Lines: a bad line, then a bad date (negative)",
                "c.jsonl",
                "{oops\n{\"text\": \"“Yes,” said Ana Vel.\", \"date\": \"soon\"}\n",
                &[":1: invalid JSON", ":2: invalid date \"soon\"; indexed undated"],
            ),
        ];
        for (name, file, contents, want) in cases {
            let path = dir.path().join(file);
            std::fs::write(&path, contents).unwrap();
            let Extracted::File { warnings, .. } =
                extract_file(&path, file, &ReadOptions::default())
            else {
                panic!("case {name}: not read")
            };
            assert_eq!(warnings.len(), want.len(), "case {name}: {warnings:?}");
            for (got, want) in warnings.iter().zip(want.iter()) {
                let want = format!("{}{want}", path.display());
                assert!(got.starts_with(&want), "case {name}: {got} is not {want}…");
            }
        }
    }

    #[test]
    fn missing_root_fails_before_anything() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        let err = extract_files(
            vec![dir.path().to_path_buf(), missing.clone()],
            ReadOptions::default(),
            2,
        )
        .err()
        .expect("an error");
        assert_eq!(err.to_string(), format!("{}: no such file or folder", missing.display()));
    }

    #[test]
    fn reader_leaving_early_stops_the_threads() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..200 {
            std::fs::write(dir.path().join(format!("{i:03}.txt")), "“Yes,” said Ana Vel.\n")
                .unwrap();
        }
        let mut run =
            extract_files(vec![dir.path().to_path_buf()], ReadOptions::default(), 2).unwrap();
        assert!(matches!(run.next(), Some(Extracted::File { .. })));
        // Dropped after one file: dropping waits for the walk and the workers, which must end
        // instead of waiting forever on a reader that is gone.
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            drop(run);
            let _ = tx.send(());
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_secs(20)).is_ok(),
            "threads still running after the extraction was dropped"
        );
    }
}
