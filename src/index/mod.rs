//! The quote index on disk: creating and opening it (`QuoteIndex`), the schema (`schema`, with
//! its remembering analyzer in `stem`) and adding articles' quotations (`writer`, handing
//! documents to tantivy through `handover`).
//!
//! Depends on `article` and `quote` for its input; knows nothing of the command line.

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

    /// Opens an existing index; a clear error when there is none, or when it was made by a
    /// version of quoth that stored it otherwise (`schema::FORMAT`).
    pub fn open(path: &Path) -> Result<QuoteIndex> {
        if !path.join("meta.json").is_file() {
            bail!("no index at {}: run 'quoth index <folder>' first", display_path(path));
        }
        let found = format_of(path)?;
        if found != schema::FORMAT {
            bail!(
                "{} was made by another version of quoth (index format {found}, this one reads format {}): rebuild it with 'quoth index --rebuild'",
                display_path(path),
                schema::FORMAT
            );
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
            .any(|e| {
                // quoth's own files (the format, a manifest kept by a rebuild) are no stranger's.
                let name = e.file_name().to_string_lossy().into_owned();
                !name.starts_with('.') && !name.starts_with("quoth-")
            });
        if foreign {
            bail!(
                "{} is not a quoth index and is not empty: choose another --index folder",
                display_path(path)
            );
        }
        // The format first: an index is never without it.
        std::fs::write(path.join(FORMAT_FILE), format!("{}\n", schema::FORMAT))
            .with_context(|| format!("cannot write to the index folder {}", display_path(path)))?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(path, schema)
            .with_context(|| format!("cannot create an index in {}", display_path(path)))?;
        Self::finish(index, path)
    }

    /// Opens the index at `path` for `quoth index --rebuild`, creating it when there is none.
    /// An index that cannot be opened (made by another version, damaged) is emptied and made
    /// anew: a rebuild must work whatever state the folder is in. Its manifest is kept, for the
    /// folders it held.
    pub fn open_for_rebuild(path: &Path) -> Result<QuoteIndex> {
        let error = match Self::open_or_create(path) {
            Ok(idx) => return Ok(idx),
            Err(e) if path.join("meta.json").is_file() => e,
            Err(e) => return Err(e),
        };
        let dir = tantivy::directory::MmapDirectory::open(path)
            .with_context(|| format!("cannot open the index folder {}", display_path(path)))?;
        // Not while another quoth process writes to it.
        let _lock = tantivy::directory::Directory::acquire_lock(
            &dir,
            &tantivy::directory::INDEX_WRITER_LOCK,
        )
        .map_err(|_| anyhow::anyhow!("index is being updated by another quoth process"))?;
        let wiped = || -> std::io::Result<()> {
            for entry in std::fs::read_dir(path)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if is_index_file(&name) && entry.file_type()?.is_file() {
                    std::fs::remove_file(entry.path())?;
                }
            }
            Ok(())
        };
        wiped().with_context(|| {
            format!(
                "cannot empty {} to rebuild it (it could not be opened: {error:#})",
                display_path(path)
            )
        })?;
        drop(_lock);
        Self::open_or_create(path)
    }

    fn finish(index: Index, path: &Path) -> Result<QuoteIndex> {
        schema::register_tokenizers(&index);
        let fields = schema::fields_of(&index.schema()).with_context(|| {
            format!(
                "{} was made by another version of quoth: rebuild it with 'quoth index --rebuild'",
                display_path(path)
            )
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", display_path(path)))?;
        Ok(QuoteIndex { index, fields, reader, path: path.to_path_buf() })
    }
}

/// The file in the index folder that holds its format (`schema::FORMAT`).
const FORMAT_FILE: &str = "quoth-format";

/// The format of the index at `path`: 1 for indexes made before the format was written down.
fn format_of(path: &Path) -> Result<u32> {
    match std::fs::read_to_string(path.join(FORMAT_FILE)) {
        Ok(text) => text.trim().parse().with_context(|| {
            format!("{}: not an index format number", path.join(FORMAT_FILE).display())
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(1),
        Err(e) => {
            Err(e).with_context(|| format!("cannot read {}", path.join(FORMAT_FILE).display()))
        }
    }
}

/// Whether a file in an index folder belongs to the index (and goes when it is rebuilt from
/// nothing): tantivy's meta files and segment files (named by a 32-digit hexadecimal segment
/// id), and the format. The manifest stays, for the folders the index held.
fn is_index_file(name: &str) -> bool {
    let segment = name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name[..32].bytes().all(|b| b.is_ascii_hexdigit());
    segment || matches!(name, "meta.json" | ".managed.json" | FORMAT_FILE)
}
