//! Adding articles to the index: walk folders, read each article, extract its quotations and
//! replace the file's documents, then commit once.
//!
//! Re-indexing a file deletes its previous quotations (keyed by absolute path) in the same
//! commit that adds the new ones, so running `quoth index` twice never duplicates quotes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::{doc, DateTime, IndexWriter, TantivyDocument, Term};

use super::{display_path, QuoteIndex};
use crate::article::{self, Article};
use crate::quote::{self, Quote};

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Memory budget of the tantivy writer in bytes.
    pub memory: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { memory: 128 * 1024 * 1024 }
    }
}

/// What an index run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub undated: usize,
    pub skipped: usize,
    /// Reason -> count of skipped files.
    pub skipped_reasons: BTreeMap<String, usize>,
    pub quotes: usize,
    pub attributed: usize,
    #[serde(skip)]
    pub elapsed: Duration,
    /// One line per problem (`path: reason`), in the order they were met.
    pub warnings: Vec<String>,
}

impl Summary {
    fn skip(&mut self, reason: &str, message: String) {
        self.skipped += 1;
        *self.skipped_reasons.entry(reason.to_string()).or_default() += 1;
        self.warnings.push(message);
    }

    /// Share of quotations with a speaker, 0 to 1.
    pub fn attributed_share(&self) -> f64 {
        if self.quotes == 0 {
            0.0
        } else {
            self.attributed as f64 / self.quotes as f64
        }
    }
}

/// Indexes the article files under `paths` into `index` and commits.
pub fn index_paths(index: &QuoteIndex, paths: &[PathBuf], opts: &IndexOptions) -> Result<Summary> {
    let started = Instant::now();
    let mut writer: IndexWriter =
        index.index.writer(opts.memory.max(15_000_000)).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => {
                anyhow::anyhow!(
                    "index is being updated by another quoth process ({})",
                    display_path(&index.path)
                )
            }
            e => anyhow::Error::new(e)
                .context(format!("cannot write to the index at {}", display_path(&index.path))),
        })?;
    let mut summary = Summary::default();
    for root in paths {
        if !root.exists() {
            anyhow::bail!("{}: no such file or folder", root.display());
        }
        for entry in article::walk(root) {
            let path = match entry {
                Ok(p) => p,
                Err(message) => {
                    summary.skip("unreadable", message);
                    continue;
                }
            };
            match article::read_article(&path) {
                Ok(a) => add_article(index, &mut writer, &a, &mut summary)?,
                Err(e) => {
                    let reason = match &e {
                        article::ArticleError::Io { .. } => "unreadable",
                        article::ArticleError::Binary { .. } => "binary",
                        article::ArticleError::NotUtf8 { .. } => "not UTF-8",
                    };
                    summary.skip(reason, e.to_string());
                }
            }
        }
    }
    writer.commit().context("cannot commit the index")?;
    writer.wait_merging_threads().context("cannot finish merging the index")?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The key under which a file's quotations are stored: its absolute, canonical path.
pub fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Replaces the quotations of one article in the writer.
fn add_article(
    index: &QuoteIndex,
    writer: &mut IndexWriter,
    a: &Article,
    summary: &mut Summary,
) -> Result<()> {
    let f = &index.fields;
    let key = file_key(&a.path);
    summary.files += 1;
    if a.date.is_none() {
        summary.undated += 1;
    }
    for w in &a.warnings {
        summary.warnings.push(format!("{}: {w}", a.path.display()));
    }
    writer.delete_term(Term::from_field_text(f.file, &key));
    for q in quote::extract(a) {
        writer.add_document(document(index, a, &key, &q))?;
        summary.quotes += 1;
        summary.attributed += q.speaker.is_some() as usize;
    }
    Ok(())
}

/// The index document of one quotation.
fn document(index: &QuoteIndex, a: &Article, key: &str, q: &Quote) -> TantivyDocument {
    let f = &index.fields;
    let mut d = doc!(
        f.quote => q.text.as_str(),
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
