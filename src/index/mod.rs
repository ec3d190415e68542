//! The quote index on disk: creating and opening it (`QuoteIndex`), the schema (`schema`, with
//! its remembering analyzer in `stem`) and adding articles' quotations (`writer`, handing
//! documents to tantivy through `handover` and keeping the `manifest` of indexed files through
//! `files`).
//!
//! Depends on `article` and `quote` for its input; knows nothing of the command line.

mod directory;
mod files;
mod handover;
pub mod manifest;
mod records;
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
        let index = directory::IndexDirectory::open(path)
            .and_then(Index::open)
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
        let index = directory::IndexDirectory::open(path)
            .and_then(|dir| Index::create(dir, schema, tantivy::IndexSettings::default()))
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

/// A damaged index's error in words: the contexts around it, which file of the index cannot be
/// read, and what to do. `None` for any other error. Tantivy's own text is a debug dump of
/// nested values; this is one line a user can act on.
pub fn explain_damage(err: &anyhow::Error) -> Option<String> {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;
    let mut said = Vec::new();
    for cause in err.chain() {
        let Some(t) = cause.downcast_ref::<TantivyError>() else {
            said.push(cause.to_string());
            continue;
        };
        let what = match t {
            TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
                format!("its file {} is missing", file_name(p))
            }
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
                if matches!(
                    io_error.kind(),
                    std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
                ) =>
            {
                format!("its file {} is damaged", file_name(filepath))
            }
            TantivyError::DataCorruption(dc) => {
                let said = format!("{dc:?}");
                format!("it is damaged ({})", said.trim().replace('\n', " "))
            }
            _ => return None,
        };
        if said.is_empty() {
            said.push("cannot read the index".to_string());
        }
        return Some(format!(
            "{}: {what}: rebuild it with 'quoth index --rebuild'",
            said.join(": ")
        ));
    }
    None
}

/// A file of the index by its name alone: messages name the index folder before it.
fn file_name(p: &Path) -> String {
    p.file_name().unwrap_or(p.as_os_str()).to_string_lossy().into_owned()
}

/// The files of the index that fail their checksum (damaged on disk), by name; empty for a
/// sound index. Reads every file of the index once.
pub fn damaged_files(index: &Index) -> Result<Vec<String>> {
    let mut bad: Vec<String> =
        index.validate_checksum()?.iter().map(|p| p.display().to_string()).collect();
    bad.sort();
    Ok(bad)
}

/// When the disk holding the index is full (an error in `err`'s chain says so, or tantivy's
/// writer died with next to no space left where the index is), the error in words: where, and
/// what to do. `None` otherwise.
pub fn explain_disk_full(err: &anyhow::Error, path: &Path) -> Option<String> {
    let said_full = err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(is_full)
            || c.downcast_ref::<tantivy::TantivyError>().is_some_and(|t| match t {
                tantivy::TantivyError::IoError(e) => is_full(e),
                _ => false,
            })
    });
    // A writer thread that failed takes its error with it ("An index writer was killed"):
    // what is left to see is the space on the disk, which its half-written segment filled.
    let killed = err.chain().any(|c| c.to_string().contains("index writer was killed"));
    let free = free_bytes(path);
    if !(said_full || killed && free.is_some_and(|f| f < 1 << 20)) {
        return None;
    }
    let free = free.map(|f| format!(" ({} KB free)", f >> 10)).unwrap_or_default();
    Some(format!(
        "the disk holding {} is full{free}: free some space and run 'quoth index' again (the index keeps what it held before this run)",
        display_path(path)
    ))
}

fn is_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
}

/// Bytes free for this user on the file system holding `path`.
#[cfg(target_os = "linux")]
fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: an all-zero statvfs is a valid value for statvfs to fill.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `st` a valid place to write to.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

#[cfg(not(target_os = "linux"))]
fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_and_full_disks_are_told_in_words() {
        use tantivy::directory::error::OpenReadError;
        let missing =
            tantivy::TantivyError::from(OpenReadError::FileDoesNotExist("a.store".into()));
        let footer = tantivy::TantivyError::from(OpenReadError::wrap_io_error(
            std::io::Error::new(std::io::ErrorKind::InvalidData, "Footer magic byte mismatch"),
            "b.idx".into(),
        ));
        let locked = tantivy::TantivyError::from(OpenReadError::wrap_io_error(
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
            "c.idx".into(),
        ));
        let rebuild = ": rebuild it with 'quoth index --rebuild'";
        // (name, error, damage explained)
        let cases: Vec<(&str, anyhow::Error, Option<String>)> = vec![
            (
                "a missing file, with context",
                anyhow::Error::new(missing).context("cannot read the index at ./index"),
                Some(format!(
                    "cannot read the index at ./index: its file a.store is missing{rebuild}"
                )),
            ),
            (
                "a damaged file, bare",
                anyhow::Error::new(footer),
                Some(format!("cannot read the index: its file b.idx is damaged{rebuild}")),
            ),
            ("a file this user may not read (negative)", anyhow::Error::new(locked), None),
            ("no index error (negative)", anyhow::anyhow!("something else"), None),
        ];
        for (name, err, want) in cases {
            assert_eq!(explain_damage(&err), want, "{name}");
        }
        let full = std::io::Error::from_raw_os_error(28);
        let said = anyhow::Error::new(full).context("cannot save the manifest");
        let told = explain_disk_full(&said, Path::new("index")).unwrap();
        assert!(told.starts_with("the disk holding ./index is full"), "{told}");
        let other = anyhow::Error::new(std::io::Error::from_raw_os_error(13));
        assert_eq!(explain_disk_full(&other, Path::new("index")), None, "permission (negative)");
    }
}
