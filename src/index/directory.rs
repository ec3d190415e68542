//! The index folder as tantivy sees it: tantivy's memory-mapped directory, with files written
//! in large pieces.
//!
//! Tantivy writes a segment's files through an 8 KB buffer: on a 1 GB run that is some 50 000
//! writes, and each write that ends inside a new page of the page cache has the kernel zero the
//! rest of that page first. A quarter-megabyte buffer in front of each file makes the writes
//! few and whole.

use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// Bytes gathered before a file is written to.
const WRITE_BUFFER: usize = 256 * 1024;

/// `MmapDirectory` whose written files are buffered by `WRITE_BUFFER` bytes.
#[derive(Clone, Debug)]
pub struct IndexDirectory(MmapDirectory);

impl IndexDirectory {
    pub fn open(path: &Path) -> tantivy::Result<IndexDirectory> {
        Ok(IndexDirectory(MmapDirectory::open(path)?))
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.0.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = self
            .0
            .open_write(path)?
            .into_inner()
            .map_err(|e| OpenWriteError::wrap_io_error(e.into_error(), path.to_path_buf()))?;
        let big: Box<dyn TerminatingWrite + Send + Sync> =
            Box::new(BufWriter::with_capacity(WRITE_BUFFER, file));
        Ok(BufWriter::new(big))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.0.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn written_files_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let d = IndexDirectory::open(dir.path()).unwrap();
        // Pieces smaller than, larger than and straddling the buffer, as tantivy writes them.
        let pieces: Vec<Vec<u8>> = [7usize, 100_000, 3 * WRITE_BUFFER + 5, 1, WRITE_BUFFER]
            .iter()
            .enumerate()
            .map(|(i, &n)| (0..n).map(|k| (k * 31 + i) as u8).collect())
            .collect();
        let path = Path::new("segment.pos");
        let mut w = d.open_write(path).unwrap();
        for p in &pieces {
            w.write_all(p).unwrap();
        }
        w.terminate().unwrap();
        let read = d.open_read(path).unwrap().read_bytes().unwrap();
        assert_eq!(read.as_slice(), pieces.concat().as_slice());
        // A name taken is refused, as tantivy's own directory refuses it.
        assert!(matches!(d.open_write(path), Err(OpenWriteError::FileAlreadyExists(_))));
    }
}
