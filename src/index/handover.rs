//! Hands batches of documents to tantivy's indexing threads with a bound on how many wait in
//! its queue (used by `index::writer`).
//!
//! Tantivy queues up to 10,000 batches between `IndexWriter::run` and its indexing threads.
//! When extraction outruns indexing, that queue could hold most of a corpus's quotations:
//! peak memory of a 1 GB run varied by 200 MB with it. Here the last document of each batch
//! carries a token that is dropped once tantivy has indexed it, and `run` waits while more than
//! `QUEUED` batches are out.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tantivy::indexer::UserOperation;
use tantivy::schema::Document;
use tantivy::{IndexWriter, Opstamp, TantivyDocument};

/// Batches handed to tantivy and not yet indexed, at most: enough to keep every indexing
/// thread busy while the writer sleeps.
const QUEUED: usize = 8;

/// Longest wait for tantivy to take a batch back.
const STALLED: Duration = Duration::from_secs(5);

/// A document on its way to tantivy.
pub struct Handed {
    doc: TantivyDocument,
    /// On the last document of a batch: dropped when the batch has been indexed.
    token: Option<Token>,
}

impl Handed {
    pub fn new(doc: TantivyDocument) -> Self {
        Handed { doc, token: None }
    }
}

impl Document for Handed {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// Batches out, and a signal for the writer waiting on them.
#[derive(Default)]
struct Queue {
    out: Mutex<usize>,
    lower: Condvar,
}

impl Queue {
    /// Counts one more batch out, first waiting until at most half the bound is out if the
    /// bound is reached.
    fn enter(self: &Arc<Self>) -> Token {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if *out >= QUEUED {
            // Bounded too: should tantivy stop taking batches without failing the run (all its
            // threads gone), the writer goes on rather than wait for good.
            let deadline = Instant::now() + STALLED;
            while *out > QUEUED / 2 {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                out = match self.lower.wait_timeout(out, left) {
                    Ok((out, _)) => out,
                    Err(e) => e.into_inner().0,
                };
            }
        }
        *out += 1;
        Token(Arc::clone(self))
    }
}

/// One batch out; dropping it takes it back.
struct Token(Arc<Queue>);

impl Drop for Token {
    fn drop(&mut self) {
        let mut out = self.0.out.lock().unwrap_or_else(|e| e.into_inner());
        *out -= 1;
        if *out <= QUEUED / 2 {
            self.0.lower.notify_one();
        }
    }
}

/// An index writer with a bounded queue.
pub struct Handover {
    pub writer: IndexWriter<Handed>,
    queue: Arc<Queue>,
}

impl Handover {
    pub fn new(writer: IndexWriter<Handed>) -> Self {
        Handover { writer, queue: Arc::default() }
    }

    /// Hands `batch` over (leaving it empty), first waiting for tantivy if the bound is reached.
    pub fn run(&self, batch: &mut Vec<UserOperation<Handed>>) -> tantivy::Result<Opstamp> {
        let last_add = batch.iter_mut().rev().find_map(|op| match op {
            UserOperation::Add(d) => Some(d),
            UserOperation::Delete(_) => None,
        });
        if let Some(last) = last_add {
            last.token = Some(self.queue.enter());
        }
        self.writer.run(std::mem::take(batch))
    }

    /// Batches handed over and not yet indexed.
    #[cfg(test)]
    fn out(&self) -> usize {
        *self.queue.out.lock().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use tantivy::schema::{Schema, STORED, STRING};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn a_full_queue_waits_until_half_is_back() {
        let queue = Arc::new(Queue::default());
        let mut out: Vec<Token> = (0..QUEUED).map(|_| queue.enter()).collect();
        let (entered, rx) = channel();
        let waiting = {
            let queue = Arc::clone(&queue);
            std::thread::spawn(move || {
                let token = queue.enter();
                entered.send(()).unwrap();
                token
            })
        };
        let early = rx.recv_timeout(Duration::from_millis(100));
        assert!(early.is_err(), "entered with the queue full");
        out.truncate(QUEUED / 2 + 1);
        let early = rx.recv_timeout(Duration::from_millis(100));
        assert!(early.is_err(), "entered with more than half out");
        out.pop();
        // Well before the writer would give up waiting: woken, not timed out.
        rx.recv_timeout(STALLED / 2).expect("entered once half was back");
        drop(waiting.join().unwrap());
        drop(out);
        assert_eq!(*queue.out.lock().unwrap(), 0, "every token taken back");
    }

    #[test]
    fn batches_are_taken_back_once_indexed() {
        let mut sb = Schema::builder();
        let word = sb.add_text_field("word", STRING | STORED);
        let index = Index::create_in_ram(sb.build());
        let mut handover = Handover::new(index.writer_with_num_threads(1, 15_000_000).unwrap());
        let add = |w: &str| UserOperation::Add(Handed::new(doc!(word => w)));
        // More batches than the bound: `run` must wait for tantivy rather than block for good.
        for i in 0..3 * QUEUED {
            let mut batch = vec![add(&format!("a{i}")), add(&format!("b{i}"))];
            handover.run(&mut batch).unwrap();
            assert!(batch.is_empty(), "batch {i} handed over");
            assert!(handover.out() <= QUEUED, "batch {i}: {} out", handover.out());
        }
        // A batch of deletions only carries no token.
        let mut deletes = vec![UserOperation::Delete(tantivy::Term::from_field_text(word, "a0"))];
        handover.run(&mut deletes).unwrap();
        handover.writer.commit().unwrap();
        assert_eq!(handover.out(), 0, "every batch taken back after the commit");
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs() as usize, 6 * QUEUED - 1, "every document indexed");
    }
}
