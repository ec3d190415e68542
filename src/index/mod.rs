//! The quote index on disk: creating and opening it (`QuoteIndex`), the schema (`schema`, with
//! its remembering analyzer in `stem`) and adding articles' quotations (`writer`, handing
//! documents to tantivy through `handover` and keeping the `manifest` of indexed files through
//! `files`).
//!
//! Depends on `article` and `quote` for its input; knows nothing of the command line.

mod files;
mod handover;
pub mod manifest;
pub mod schema;
mod stem;
pub mod writer;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use schema::Fields;
pub use writer::{index_paths, IndexOptions, Progress, Summary};

/// An opened quote index with one reader for the life of the program.
pub struct QuoteIndex {
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
    pub path: PathBuf,
}

/// `./index` rather than `index` in messages, so a relative path reads as a path.
pub fn display_path(path: &Path) -> String {
    if path.is_relative() && !path.starts_with(".") && !path.starts_with("..") {
        format!("./{}", path.display())
    } else {
        path.display().to_string()
    }
}

impl QuoteIndex {
    /// Opens an existing index for a long-running reader that picks up new commits by itself
    /// (within about half a second), as `quoth serve` needs.
    pub fn open_watching(path: &Path) -> Result<QuoteIndex> {
        let mut idx = Self::open(path)?;
        idx.reader = idx
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", display_path(path)))?;
        Ok(idx)
    }

    /// Opens an existing index; a clear error when there is none.
    pub fn open(path: &Path) -> Result<QuoteIndex> {
        if !path.join("meta.json").is_file() {
            bail!("no index at {}: run 'quoth index <folder>' first", display_path(path));
        }
        let index = Index::open_in_dir(path)
            .with_context(|| format!("cannot open the index at {}", display_path(path)))?;
        Self::finish(index, path)
    }

    /// Opens the index at `path`, creating it (and the folder) when there is none yet. A
    /// folder holding anything but hidden files and no index is refused, so that quoth never
    /// writes into an unrelated folder.
    pub fn open_or_create(path: &Path) -> Result<QuoteIndex> {
        if path.join("meta.json").is_file() {
            return Self::open(path);
        }
        std::fs::create_dir_all(path)
            .with_context(|| format!("cannot create the index folder {}", display_path(path)))?;
        let foreign = std::fs::read_dir(path)
            .with_context(|| format!("cannot read the index folder {}", display_path(path)))?
            .filter_map(|e| e.ok())
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if foreign {
            bail!(
                "{} is not a quoth index and is not empty: choose another --index folder",
                display_path(path)
            );
        }
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(path, schema)
            .with_context(|| format!("cannot create an index in {}", display_path(path)))?;
        Self::finish(index, path)
    }

    fn finish(index: Index, path: &Path) -> Result<QuoteIndex> {
        schema::register_tokenizers(&index);
        let fields = schema::fields_of(&index.schema()).with_context(|| {
            format!("{} was made by another version of quoth: rebuild it", display_path(path))
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", display_path(path)))?;
        Ok(QuoteIndex { index, fields, reader, path: path.to_path_buf() })
    }
}
