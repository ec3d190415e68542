//! What a search returns: [`Hit`]s read from the document store, [`SearchResult`], and one
//! quotation by id.
//!
//! Turns stored tantivy documents into plain data (field names from `index::schema`); never
//! prints: `output` renders hits.

use std::ops::{Bound, Range};
use std::sync::Arc;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::RangeQuery;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::parts::{memo, SegmentParts};
use crate::article::Date;
use crate::index::{schema, QuoteIndex};

/// One matching quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Stable id of the quotation (`quoth serve`'s `/api/quote/{id}`).
    pub id: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub date: Option<Date>,
    pub file: String,
    /// Line of a JSON Lines file holding the article; absent for other formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub paragraph: String,
    pub paragraph_number: u64,
    pub start: u64,
    pub end: u64,
    pub score: f32,
    /// Articles this same quotation appears in (wire copy republished by several outlets).
    pub occurrences: u64,
    /// The earliest date among those articles.
    pub first_date: Option<Date>,
    /// The extraction rule that found the speaker (`quoth extract` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Byte ranges of `quote` that matched the search words.
    #[serde(skip)]
    pub highlights: Vec<Range<usize>>,
}

/// Hits of a search, with the total number of matching quotations.
#[derive(Debug, Clone, Default)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// Parts of the query that were ignored, e.g. an unbalanced parenthesis.
    pub warnings: Vec<String>,
}

/// A stored quotation as a hit, with its indexed words where they stand (for highlighting).
pub(super) struct Stored {
    pub(super) hit: Hit,
    pub(super) words: Vec<(Range<usize>, String)>,
}

/// The quotation at `addr`, read from the document store (or the memo of `parts`). Its words
/// are found when `highlight` asks for them, and always when kept for later searches.
pub(super) fn stored_quote(
    idx: &QuoteIndex,
    searcher: &Searcher,
    parts: Option<&SegmentParts>,
    addr: DocAddress,
    highlight: bool,
) -> Result<Arc<Stored>> {
    let read = || -> Result<(Stored, usize)> {
        let doc: TantivyDocument = searcher.doc(addr).context("cannot read a stored quotation")?;
        let hit = to_hit(idx, &doc, 1.0);
        let mut words = Vec::new();
        let mut analyzer = schema::quote_analyzer(&idx.index);
        if highlight || parts.is_some() {
            let mut stream = analyzer.token_stream(&hit.quote);
            while let Some(tok) = stream.next() {
                words.push((tok.offset_from..tok.offset_to, tok.text.clone()));
            }
        }
        let bytes = hit_bytes(&hit) + words.iter().map(|(_, w)| w.len() + 48).sum::<usize>();
        Ok((Stored { hit, words }, bytes))
    };
    let segment = searcher.segment_reader(addr.segment_ord);
    memo(parts, segment, "stored quotation", u64::from(addr.doc_id), read)
}

/// About how much memory a hit holds.
pub fn hit_bytes(h: &Hit) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    h.id.len()
        + h.quote.len()
        + h.file.len()
        + h.paragraph.len()
        + opt(&h.speaker)
        + opt(&h.role)
        + opt(&h.title)
        + opt(&h.url)
        + h.highlights.len() * 16
        + 160
}

pub(super) fn to_hit(idx: &QuoteIndex, doc: &TantivyDocument, score: f32) -> Hit {
    let f = &idx.fields;
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
    let num = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
    let date = doc.get_first(f.date).and_then(|v| v.as_i64()).and_then(schema::date_from_days);
    Hit {
        id: doc.get_first(f.id).and_then(|v| v.as_u64()).map(schema::id_text).unwrap_or_default(),
        quote: text(f.quote).unwrap_or_default(),
        speaker: text(f.speaker),
        role: text(f.role),
        date,
        file: text(f.file).unwrap_or_default(),
        line: doc.get_first(f.line).and_then(|v| v.as_u64()),
        title: text(f.title),
        url: text(f.url),
        paragraph: text(f.paragraph).unwrap_or_default(),
        paragraph_number: num(f.paragraph_number),
        start: num(f.start),
        end: num(f.end),
        score,
        occurrences: 1,
        first_date: date,
        rule: None,
        highlights: Vec::new(),
    }
}

/// The quotation with id `id`, if any.
pub fn by_id(idx: &QuoteIndex, id: &str) -> Result<Option<Hit>> {
    let Ok(n) = u64::from_str_radix(id, 16) else { return Ok(None) };
    let searcher = idx.reader.searcher();
    let term = Term::from_field_u64(idx.fields.id, n);
    let q = RangeQuery::new(Bound::Included(term.clone()), Bound::Included(term));
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some((_, addr)) => Ok(Some(to_hit(idx, &searcher.doc(*addr)?, 1.0))),
        None => Ok(None),
    }
}
