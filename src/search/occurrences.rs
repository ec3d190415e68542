//! Repeated quotations: the key that tells copies of one quotation apart from others (wire
//! copy republished by several outlets), and how many articles hold it and since when.
//!
//! Reads fast fields and the postings of the key's bucket only, never a stored document, so
//! that folding repeated quotations and counting their articles cost little whatever the page.

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Order, Searcher, SegmentReader, Term, TERMINATED};

use super::parts::{memo, SegmentParts};
use crate::article::Date;
use crate::index::{schema, QuoteIndex};

/// The fast-field columns that searching reads instead of loading documents, opened per
/// segment when first needed (or taken from the memo of `parts`).
pub(super) struct Columns<'a> {
    searcher: &'a Searcher,
    parts: Option<&'a SegmentParts>,
    keys: Vec<Option<Arc<Column<u64>>>>,
    files: Vec<Option<Arc<Option<StrColumn>>>>,
}

impl<'a> Columns<'a> {
    pub(super) fn new(searcher: &'a Searcher, parts: Option<&'a SegmentParts>) -> Columns<'a> {
        let n = searcher.segment_readers().len();
        Columns { searcher, parts, keys: vec![None; n], files: vec![None; n] }
    }

    pub(super) fn key(&mut self, addr: DocAddress) -> Result<u64> {
        Ok(self.key_column(addr.segment_ord)?.first(addr.doc_id).unwrap_or(0))
    }

    fn key_column(&mut self, segment_ord: u32) -> Result<Arc<Column<u64>>> {
        let ord = segment_ord as usize;
        if self.keys[ord].is_none() {
            let segment = self.searcher.segment_reader(segment_ord);
            let open = || Ok((segment.fast_fields().u64(schema::QUOTE_KEY)?, 256));
            self.keys[ord] = Some(memo(self.parts, segment, "quote_key column", 0, open)?);
        }
        Ok(self.keys[ord].clone().expect("opened above"))
    }

    fn file_column(&mut self, segment_ord: u32) -> Result<Arc<Option<StrColumn>>> {
        let ord = segment_ord as usize;
        if self.files[ord].is_none() {
            let segment = self.searcher.segment_reader(segment_ord);
            let open = || Ok((segment.fast_fields().str(schema::FILE)?, 1024));
            self.files[ord] = Some(memo(self.parts, segment, "file column", 0, open)?);
        }
        Ok(self.files[ord].clone().unwrap_or_default())
    }

    /// The file's ordinal in its segment's dictionary: tells files apart within one segment
    /// without reading their paths.
    fn file_ord(&mut self, addr: DocAddress) -> Result<u64> {
        let col = self.file_column(addr.segment_ord)?;
        Ok(col.as_ref().as_ref().and_then(|c| c.term_ords(addr.doc_id).next()).unwrap_or(0))
    }

    fn file(&mut self, addr: DocAddress) -> Result<String> {
        let column = self.file_column(addr.segment_ord)?;
        let Some(col) = column.as_ref() else { return Ok(String::new()) };
        let Some(ord) = col.term_ords(addr.doc_id).next() else { return Ok(String::new()) };
        let segment = self.searcher.segment_reader(addr.segment_ord);
        let mut names = super::ord_strings(segment, schema::FILE, col, [ord])?;
        Ok(names.remove(&ord).unwrap_or_default())
    }
}

/// How many articles hold the quotation with `key`, and the earliest date among them. A
/// heading that repeats a quotation of its own article does not count twice.
pub(super) fn occurrences(
    idx: &QuoteIndex,
    searcher: &Searcher,
    columns: &mut Columns,
    key: u64,
) -> Result<Option<(u64, Option<Date>)>> {
    // Almost every quotation appears once: the documents of its bucket with its key say so
    // without a search (deleted copies count, so more than one still needs the search).
    let mut copies = 0;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let column = columns.key_column(ord as u32)?;
        let count = || Ok((copies_in_segment(idx, segment, &column, key)?, 8));
        copies += *memo(columns.parts, segment, "quote_key copies", key, count)?;
    }
    if copies <= 1 {
        return Ok(None);
    }
    let docs = searcher.search(
        &copies_query(idx, key),
        &TopDocs::with_limit(MAX_OCCURRENCES).order_by_fast_field::<i64>(schema::DATE, Order::Asc),
    )?;
    let date = docs.first().and_then(|(d, _)| *d).and_then(schema::date_from_days);
    // Distinct files: ordinals tell them apart within a segment; paths are only read when the
    // copies lie in several segments (one file's quotations may straddle a segment boundary).
    let mut ords: HashSet<(u32, u64)> = HashSet::new();
    for (_, a) in &docs {
        ords.insert((a.segment_ord, columns.file_ord(*a)?));
    }
    let n = if ords.iter().all(|o| o.0 == docs[0].1.segment_ord) {
        ords.len()
    } else {
        let mut files: HashSet<String> = HashSet::new();
        for (_, addr) in &docs {
            files.insert(columns.file(*addr)?);
        }
        files.len()
    };
    Ok(Some((n.max(1) as u64, date)))
}

/// The documents of one segment holding the quotation with `key`, deleted ones included: its
/// bucket's postings, each checked against the key column. The count a term of its own would
/// have had as its document frequency.
fn copies_in_segment(
    idx: &QuoteIndex,
    segment: &SegmentReader,
    keys: &Column<u64>,
    key: u64,
) -> Result<u32> {
    let term = Term::from_field_u64(idx.fields.quote_bucket, schema::quote_bucket(key));
    let inverted = segment.inverted_index(idx.fields.quote_bucket)?;
    let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
        return Ok(0);
    };
    let mut n = 0;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        n += u32::from(keys.first(doc) == Some(key));
        doc = postings.advance();
    }
    Ok(n)
}

/// The live copies of the quotation with `key`: the documents of its bucket whose fast key is
/// `key`. Tantivy drives the intersection by the bucket's few postings and checks the key of
/// each in the column.
pub(super) fn copies_query(idx: &QuoteIndex, key: u64) -> BooleanQuery {
    let bucket = Term::from_field_u64(idx.fields.quote_bucket, schema::quote_bucket(key));
    let exact = Term::from_field_u64(idx.fields.quote_key, key);
    BooleanQuery::new(vec![
        (Occur::Must, Box::new(TermQuery::new(bucket, IndexRecordOption::Basic))),
        (
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Included(exact.clone()), Bound::Included(exact))),
        ),
    ])
}

/// Articles counted per repeated quotation (the count says "at least" beyond this).
const MAX_OCCURRENCES: usize = 1000;
