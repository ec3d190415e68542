//! Reading article files into [`Article`] values: the format-neutral input of quote extraction.
//!
//! This module knows about files and text formats only; it knows nothing of quotes, the index or
//! the command line. Each format lives in its own submodule (`plain` for the `date YYYY-MM-DD`
//! plain-text format) and produces the same [`Article`].

mod plain;

use std::path::{Path, PathBuf};

pub use jiff::civil::Date;
pub use plain::parse_plain;

/// One article: where it came from, when it was published, and its paragraphs as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub path: PathBuf,
    pub date: Option<Date>,
    pub title: Option<String>,
    /// Paragraph texts with soft line wraps joined by a single space and white space normalised
    /// (non-breaking spaces become ordinary spaces). Byte offsets of quotes refer to these.
    pub paragraphs: Vec<String>,
    /// Problems that did not stop the article from being read (e.g. an unparseable date).
    pub warnings: Vec<String>,
}

/// Why a file could not be read as an article.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a text file (contains NUL bytes)")]
    Binary { path: PathBuf },
    #[error("{path}: not valid UTF-8 text")]
    NotUtf8 { path: PathBuf },
}

/// File extensions quoth reads as articles.
pub const EXTENSIONS: &[&str] = &["txt"];

/// Whether `path` has an extension quoth reads as an article.
pub fn is_article_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads one article file. Binary and non-UTF-8 files are errors, not garbage articles.
pub fn read_article(path: &Path) -> Result<Article, ArticleError> {
    let bytes = std::fs::read(path)
        .map_err(|source| ArticleError::Io { path: path.to_path_buf(), source })?;
    parse_bytes(path, &bytes)
}

/// Parses the bytes of an article file; `path` is recorded in the article and in errors.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Article, ArticleError> {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(ArticleError::Binary { path: path.to_path_buf() });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ArticleError::NotUtf8 { path: path.to_path_buf() })?;
    Ok(parse_plain(path, text))
}
