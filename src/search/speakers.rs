//! Speakers of a search: who is quoted most among its matches (`quoth serve`'s speaker list)
//! and which known speakers come closest to a name that matched nothing.
//!
//! Counts speaker keys from fast fields segment by segment (kept in [`SegmentParts`]); names
//! are compared folded as the index keys them (`index::schema::fold`).

use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, TermQuery, Weight};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::filters::{compile, explained};
use super::parts::SegmentParts;
use super::query::{filters_key, SearchQuery};
use crate::index::{schema, QuoteIndex};

/// The speakers quoted most among all quotations matching `q`: (name, quotes), most first.
pub fn top_speakers(idx: &QuoteIndex, q: &SearchQuery, n: usize) -> Result<Vec<(String, u64)>> {
    top_speakers_in(idx, &idx.reader.searcher(), q, n, None)
}

/// [`top_speakers`] on `searcher`, with the counts of segments seen before from `parts`.
pub fn top_speakers_in(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &SearchQuery,
    n: usize,
    parts: Option<&SegmentParts>,
) -> Result<Vec<(String, u64)>> {
    let c = compile(idx, q)?;
    let weight = c.query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let key = format!("speakers {}", filters_key(q));
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for segment in searcher.segment_readers() {
        let part = match parts.and_then(|p| p.get::<Vec<(String, u64)>>(&key, segment)) {
            Some(part) => part,
            None => {
                let part = Arc::new(speaker_counts(&*weight, segment).map_err(explained)?);
                if let Some(p) = parts {
                    let bytes = part.iter().map(|(s, _)| s.len() + 32).sum();
                    p.insert(&key, segment, part.clone(), bytes);
                }
                part
            }
        };
        for (name, c) in part.iter() {
            *counts.entry(name.clone()).or_default() += c;
        }
    }
    let mut top: Vec<(String, u64)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(n);
    // Display names from one stored quotation each.
    let mut out = Vec::with_capacity(top.len());
    for (key, n) in top {
        let tq = TermQuery::new(
            Term::from_field_text(idx.fields.speaker_key, &key),
            IndexRecordOption::Basic,
        );
        let first = searcher.search(&tq, &TopDocs::with_limit(1).order_by_score())?;
        let name = match first.first() {
            Some((_, a)) => {
                let d: TantivyDocument = searcher.doc(*a)?;
                d.get_first(idx.fields.speaker).and_then(|v| v.as_str()).unwrap_or(&key).to_string()
            }
            None => key,
        };
        out.push((name, n));
    }
    Ok(out)
}

/// Quotations matching `weight` in one segment, per speaker key.
fn speaker_counts(weight: &dyn Weight, seg: &tantivy::SegmentReader) -> Result<Vec<(String, u64)>> {
    let Some(keys) = seg.fast_fields().str(schema::SPEAKER_KEY)? else { return Ok(Vec::new()) };
    let alive = seg.alive_bitset();
    let mut per_ord: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
    weight.for_each_no_score(seg, &mut |docs| {
        for &d in docs {
            if alive.is_none_or(|a| a.is_alive(d)) {
                if let Some(ord) = keys.term_ords(d).next() {
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
        }
    })?;
    let mut names = super::ord_strings(seg, schema::SPEAKER_KEY, &keys, per_ord.keys().copied())?;
    Ok(per_ord.into_iter().filter_map(|(ord, c)| Some((names.remove(&ord)?, c))).collect())
}

/// Known speakers closest to a name that matched nothing: (name, quotes), best first.
pub fn suggest_speakers(idx: &QuoteIndex, name: &str) -> Result<Vec<(String, u64)>> {
    let wanted: Vec<String> = crate::quote::name_words(&schema::fold(name));
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let searcher = idx.reader.searcher();
    let mut scored: Vec<(usize, u64, String)> = Vec::new();
    let mut keys: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(idx.fields.speaker_key)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(k) = std::str::from_utf8(stream.key()) {
                *keys.entry(k.to_string()).or_default() += stream.value().doc_freq as u64;
            }
        }
    }
    for (key, n) in keys {
        let words: Vec<&str> = key.split_whitespace().collect();
        // Each wanted word against its closest name word.
        let dist: usize = wanted
            .iter()
            .map(|w| words.iter().map(|k| levenshtein(w, k)).min().unwrap_or(usize::MAX / 4))
            .sum();
        let budget = wanted.iter().map(|w| (w.chars().count() / 3).max(1)).sum::<usize>();
        if dist <= budget {
            scored.push((dist, n, key));
        }
    }
    // A bare surname ("okafor") is a variant of the full name beside it, not another person.
    let full: Vec<String> =
        scored.iter().filter(|s| s.2.contains(' ')).map(|s| s.2.clone()).collect();
    scored.retain(|s| s.2.contains(' ') || !full.iter().any(|f| f.ends_with(&format!(" {}", s.2))));
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    for (_, _, key) in scored.into_iter().take(3) {
        let q = TermQuery::new(
            Term::from_field_text(idx.fields.speaker_key, &key),
            IndexRecordOption::Basic,
        );
        let (top, n) = searcher.search(&q, &(TopDocs::with_limit(1).order_by_score(), Count))?;
        if let Some((_, addr)) = top.first() {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            if let Some(s) = doc.get_first(idx.fields.speaker).and_then(|v| v.as_str()) {
                out.push((s.to_string(), n as u64));
            }
        }
    }
    Ok(out)
}

/// Edit distance between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != *cb) as usize).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        let cases: &[(&str, &str, &str, usize)] = &[
            ("same", "okafor", "okafor", 0),
            ("one typo", "okafur", "okafor", 1),
            ("missing letter", "okfor", "okafor", 1),
            ("different (negative)", "lindqvist", "okafor", 9),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(levenshtein(a, b), *want, "case {name}");
        }
    }
}
