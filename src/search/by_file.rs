//! The file path as a sort key of tantivy's collectors: the tie-break of searches sorted by
//! date (`search_in`, `Sort::Newest`/`Oldest`), read through the `file` field's term
//! dictionary instead of its column's.
//!
//! tantivy's own `SortByString` turns each segment's best ordinals into strings with one
//! lookup each in the column's dictionary, an sstable of zstd blocks: every lookup decodes a
//! block with a fresh decompression context, which made those lookups about a quarter of a
//! speaker page's time. The `file` field is also indexed as one raw term per quotation, so
//! its term dictionary (an FST) holds the same strings in the same order: the column's
//! ordinals are its ordinals, and reading one costs no decompression ([`super::ord_strings`]
//! makes the same choice, and the same check).

use std::sync::Arc;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{SegmentSortKeyComputer, SortKeyComputer};
use tantivy::columnar::StrColumn;
use tantivy::index::InvertedIndexReader;
use tantivy::{DocId, Score, SegmentReader};

use crate::index::schema;

/// Sorts by the quotation's file path (quotations without one first in ascending order, as
/// tantivy's `SortByString` sorts them).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SortByFile;

impl SortKeyComputer for SortByFile {
    type SortKey = Option<String>;
    type Child = FileKeys;
    type Comparator = NaturalComparator;

    fn segment_sort_key_computer(&self, segment: &SegmentReader) -> tantivy::Result<FileKeys> {
        let column = segment.fast_fields().str(schema::FILE)?;
        let field = segment.schema().get_field(schema::FILE)?;
        let terms = match &column {
            Some(c) => {
                let inverted = segment.inverted_index(field)?;
                (inverted.terms().num_terms() == c.dictionary().num_terms()).then_some(inverted)
            }
            None => None,
        };
        Ok(FileKeys { column, terms })
    }
}

/// [`SortByFile`] in one segment: the column's ordinal while collecting, its string after.
pub(super) struct FileKeys {
    column: Option<StrColumn>,
    /// The `file` field's inverted index when its terms are the column's strings.
    terms: Option<Arc<InvertedIndexReader>>,
}

impl SegmentSortKeyComputer for FileKeys {
    type SortKey = Option<String>;
    type SegmentSortKey = Option<u64>;
    type SegmentComparator = NaturalComparator;

    #[inline(always)]
    fn segment_sort_key(&mut self, doc: DocId, _score: Score) -> Option<u64> {
        self.column.as_ref()?.ords().first(doc)
    }

    fn convert_segment_sort_key(&self, ord: Option<u64>) -> Option<String> {
        let ord = ord?;
        let mut bytes = Vec::new();
        let found = match &self.terms {
            Some(inverted) => inverted.terms().ord_to_term(ord, &mut bytes).ok()?,
            None => self.column.as_ref()?.dictionary().ord_to_term(ord, &mut bytes).ok()?,
        };
        found.then(|| String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::sort_key::SortByString;
    use tantivy::collector::TopDocs;
    use tantivy::query::AllQuery;
    use tantivy::Order;

    use super::*;
    use crate::index::{index_paths, IndexOptions, QuoteIndex};

    /// An index of a few articles in two commits (two segments), with paths of several
    /// lengths and non-ASCII names and speakers.
    fn indexed() -> (tempfile::TempDir, QuoteIndex) {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
        let names = ["Ilse Marr", "Tomás Sánchez", "Adaeze Okafor", "Øyvind Brekke"];
        for batch in 0..2 {
            for i in 0..12 {
                let name = format!("{batch}-{}-ä{i}.txt", "x".repeat(i * 7 % 40));
                let speaker = names[(i + batch) % names.len()];
                let text = format!(
                    "date 2024-0{}-1{}\n\n“The ferry {i} runs at dawn,” said {speaker}.\n\n“Tolls {i} stay,” said Mayor Ruth Feld.\n",
                    1 + batch,
                    i % 10
                );
                std::fs::write(articles.join(name), text).unwrap();
            }
            let opts = IndexOptions { threads: 1, ..IndexOptions::default() };
            index_paths(&idx, std::slice::from_ref(&articles), &opts, &|_| {}).unwrap();
        }
        idx.reader.reload().unwrap();
        (dir, idx)
    }

    #[test]
    fn term_ordinals_read_the_column_strings() {
        let (_dir, idx) = indexed();
        let searcher = idx.reader.searcher();
        assert!(searcher.segment_readers().len() >= 2);
        for segment in searcher.segment_readers() {
            for field in [schema::FILE, schema::SPEAKER_KEY] {
                let column = segment.fast_fields().str(field).unwrap().unwrap();
                let n = column.dictionary().num_terms() as u64;
                // The term dictionary answers (same number of terms)...
                let inverted = segment.inverted_index(segment.schema().get_field(field).unwrap());
                assert_eq!(inverted.unwrap().terms().num_terms() as u64, n, "{field}");
                // ...with the strings the column's own dictionary gives.
                let fast = super::super::ord_strings(segment, field, &column, 0..n).unwrap();
                let mut slow = std::collections::HashMap::new();
                let all: Vec<u64> = (0..n).collect();
                super::super::column_strings(&column, &all, &mut slow).unwrap();
                assert_eq!(fast, slow, "{field}");
                assert_eq!(fast.len() as u64, n);
            }
        }
    }

    #[test]
    fn sorts_as_tantivys_sort_by_string() {
        let (_dir, idx) = indexed();
        let searcher = idx.reader.searcher();
        for order in [Order::Asc, Order::Desc] {
            let ours = TopDocs::with_limit(100).order_by((SortByFile, order));
            let theirs =
                TopDocs::with_limit(100).order_by((SortByString::for_field(schema::FILE), order));
            let ours = searcher.search(&AllQuery, &ours).unwrap();
            let theirs = searcher.search(&AllQuery, &theirs).unwrap();
            assert_eq!(ours.len(), 48);
            let keys = |v: &Vec<(Option<String>, tantivy::DocAddress)>| {
                v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()
            };
            assert_eq!(keys(&ours), keys(&theirs), "{order:?}");
            assert!(keys(&ours).iter().all(Option::is_some));
        }
    }
}
