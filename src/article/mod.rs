//! Reading article files into [`Article`] values: the format-neutral input of quote extraction.
//!
//! This module knows about files and text formats only; it knows nothing of quotes, the index or
//! the command line. Each format lives in its own submodule (`plain` for the `date YYYY-MM-DD`
//! plain-text format) and produces the same [`Article`].

mod plain;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
    #[error("{path}: not a text file (NUL byte in the first 8 KB)")]
    Binary { path: PathBuf },
}

/// File extensions quoth reads as articles.
pub const EXTENSIONS: &[&str] = &["txt"];

/// Whether `path` has an extension quoth reads as an article.
pub fn is_article_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Article files under `root`, recursively, skipping hidden files and folders (but not a hidden
/// root given explicitly). Errors (unreadable folders, broken links) are reported, not fatal.
pub fn walk(root: &Path) -> impl Iterator<Item = std::result::Result<PathBuf, String>> {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() && is_article_path(e.path()) => {
                Some(Ok(e.into_path()))
            }
            Ok(_) => None,
            Err(err) => {
                let path = err.path().map(|p| p.display().to_string()).unwrap_or_default();
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    err.io_error().map_or(err.to_string(), |e| e.to_string())
                };
                Some(Err(format!("{path}: {reason}")))
            }
        })
}

/// Reads one article file. Binary and non-UTF-8 files are errors, not garbage articles.
pub fn read_article(path: &Path) -> Result<Article, ArticleError> {
    let bytes = std::fs::read(path)
        .map_err(|source| ArticleError::Io { path: path.to_path_buf(), source })?;
    parse_bytes(path, &bytes)
}

/// Parses the bytes of an article file; `path` is recorded in the article and in errors.
/// Binary files are an error; invalid UTF-8 is decoded with replacement characters and a
/// warning, so one bad byte does not hide a whole article.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Article, ArticleError> {
    if is_binary(bytes) {
        return Err(ArticleError::Binary { path: path.to_path_buf() });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(parse_plain(path, text)),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            let mut a = parse_plain(path, &text);
            a.warnings.push("invalid UTF-8, decoded with replacement characters".to_string());
            Ok(a)
        }
    }
}

/// A NUL byte in the first 8 KB marks a binary file, as git and ripgrep judge it.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Article files under a path named on the command line, each with its name relative to that
/// path (a file named directly is its own file name), and the problems met while walking.
pub type FilesUnder = (Vec<(PathBuf, String)>, Vec<String>);

/// Lists the article files under `root` (see [`FilesUnder`]); a missing `root` is an error.
pub fn files_under(root: &Path) -> anyhow::Result<FilesUnder> {
    if !root.exists() {
        anyhow::bail!("{}: no such file or folder", root.display());
    }
    if root.is_file() {
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok((vec![(root.to_path_buf(), name)], Vec::new()));
    }
    let (mut files, mut warnings) = (Vec::new(), Vec::new());
    for entry in walk(root) {
        match entry {
            Ok(p) => {
                let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
                files.push((p, rel));
            }
            Err(message) => warnings.push(message),
        }
    }
    Ok((files, warnings))
}
