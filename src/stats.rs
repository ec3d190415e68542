//! Aggregations over the index: `quoth stats` (what the index holds) and `quoth speakers` (who
//! is quoted, how often, when, in which roles). Data only; `output` and `main` print them.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, EnableScoring, ExistsQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Order, TantivyDocument, Term};

use crate::article::Date;
use crate::index::manifest;
use crate::index::{schema, QuoteIndex};
use crate::search::SearchQuery;

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub quotes: u64,
    pub attributed: u64,
    pub attributed_share: f64,
    pub speakers: usize,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    pub undated_quotes: u64,
    pub index_bytes: u64,
    pub folders: Vec<String>,
    /// When the index was last updated (RFC 3339, UTC).
    pub last_update: Option<String>,
}

/// Computes the statistics of an index.
pub fn stats(idx: &QuoteIndex) -> Result<Stats> {
    let searcher = idx.reader.searcher();
    let quotes = searcher.num_docs();
    let attributed =
        searcher.search(&ExistsQuery::new(schema::SPEAKER_KEY.into(), false), &Count)? as u64;
    let dated = searcher.search(&ExistsQuery::new(schema::DATE.into(), false), &Count)? as u64;
    let edge = |order| -> Result<Option<Date>> {
        let top = searcher.search(
            &ExistsQuery::new(schema::DATE.into(), false),
            &TopDocs::with_limit(1).order_by_fast_field::<i64>(schema::DATE, order),
        )?;
        Ok(top.first().and_then(|(d, _)| *d).and_then(schema::date_from_days))
    };
    let mut speakers: HashSet<String> = HashSet::new();
    for seg in searcher.segment_readers() {
        if let Some(col) = seg.fast_fields().str(schema::SPEAKER_KEY)? {
            // The ordinals of live quotations first, then each one's string once.
            let ords: HashSet<u64> =
                seg.doc_ids_alive().flat_map(|doc| col.term_ords(doc)).collect();
            let names = crate::search::ord_strings(seg, schema::SPEAKER_KEY, &col, ords)?;
            speakers.extend(names.into_values());
        }
    }
    let committed = idx.index.load_metas()?.opstamp;
    let (m, _) = manifest::load(&idx.path, committed)?;
    let index_bytes = std::fs::read_dir(&idx.path)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let last_update = std::fs::metadata(idx.path.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| t.round(jiff::Unit::Second).map(|t| t.to_string()).unwrap_or_default());
    Ok(Stats {
        articles: m.files.len(),
        quotes,
        attributed,
        attributed_share: if quotes == 0 { 0.0 } else { attributed as f64 / quotes as f64 },
        speakers: speakers.len(),
        first_date: edge(Order::Asc)?,
        last_date: edge(Order::Desc)?,
        undated_quotes: quotes - dated,
        index_bytes,
        folders: m.roots,
        last_update,
    })
}

/// One speaker in `quoth speakers`.
#[derive(Debug, Clone, Serialize)]
pub struct Speaker {
    pub name: String,
    pub quotes: u64,
    pub articles: u64,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    pub roles: Vec<String>,
    /// Other spellings merged into this one (`A. Okafor`, `Okafor`).
    pub variants: Vec<String>,
}

/// Which speakers to list.
#[derive(Debug, Clone, Default)]
pub struct SpeakerQuery {
    pub top: usize,
    /// Only names with a word starting with this (case- and accent-insensitive).
    pub prefix: Option<String>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

#[derive(Default)]
struct Agg {
    quotes: u64,
    files: HashSet<u64>,
    /// Days since 1970 (`schema::date_days`).
    first: Option<i64>,
    last: Option<i64>,
}

/// Lists speakers by number of quotations, merging obvious variants of one name.
pub fn speakers(idx: &QuoteIndex, q: &SpeakerQuery) -> Result<Vec<Speaker>> {
    let searcher = idx.reader.searcher();
    let table = speaker_table(idx, &searcher, q.since, q.until)?;
    speakers_from(idx, &searcher, &table, q.prefix.as_deref(), q.top)
}

/// Every speaker quoted between two dates, variants merged, most quoted first: the costly part
/// of `speakers` (a pass over every quotation), which `quoth serve` computes once per index
/// generation and then only filters (`speakers_from`).
pub struct SpeakerTable {
    rows: Vec<(String, Agg, Vec<String>)>,
}

impl SpeakerTable {
    /// Memory it holds, as estimated (for a bounded cache).
    pub fn bytes(&self) -> usize {
        self.rows
            .iter()
            .map(|(k, a, v)| {
                96 + k.len() + a.files.len() * 16 + v.iter().map(|s| s.len() + 24).sum::<usize>()
            })
            .sum()
    }
}

/// The speakers of `searcher`'s generation quoted between `since` and `until` (see
/// `SpeakerTable`).
pub fn speaker_table(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    since: Option<Date>,
    until: Option<Date>,
) -> Result<SpeakerTable> {
    let filter = SearchQuery { since, until, ..SearchQuery::default() };
    let query: Box<dyn Query> = if since.is_some() || until.is_some() {
        crate::search::compile_filters(idx, &filter)?
    } else {
        Box::new(AllQuery)
    };
    let aggs = aggregate(searcher, &*query)?;
    let roles_of =
        |key: &str| display_and_roles(idx, searcher, key).map(|r| r.1).unwrap_or_default();
    let mut rows = merge_variants(aggs, &roles_of);
    rows.sort_by(|a, b| b.1.quotes.cmp(&a.1.quotes).then(a.0.cmp(&b.0)));
    Ok(SpeakerTable { rows })
}

/// The `top` most quoted speakers of `table` with a name word beginning with `prefix` (case-
/// and accent-insensitive), with their display names and roles read from `searcher`.
pub fn speakers_from(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    table: &SpeakerTable,
    prefix: Option<&str>,
    top: usize,
) -> Result<Vec<Speaker>> {
    let prefix = prefix.map(|p| crate::quote::name_words(&schema::fold(p)).join(" "));
    let list = table
        .rows
        .iter()
        .filter(|(k, _, _)| {
            prefix
                .as_deref()
                .is_none_or(|p| k.split_whitespace().any(|w| w.starts_with(p)) || k.starts_with(p))
        })
        .take(top.max(1));
    let mut out = Vec::new();
    for (key, agg, variants) in list {
        out.push(describe(idx, searcher, key, agg, variants)?);
    }
    Ok(out)
}

/// A merged speaker as listed: display names and roles read from the index.
fn describe(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    key: &str,
    agg: &Agg,
    variants: &[String],
) -> Result<Speaker> {
    let (name, roles) = display_and_roles(idx, searcher, key)?;
    let mut variant_names = Vec::new();
    for v in variants {
        variant_names.push(display_and_roles(idx, searcher, v)?.0);
    }
    Ok(Speaker {
        name,
        quotes: agg.quotes,
        articles: agg.files.len() as u64,
        first_date: agg.first.and_then(schema::date_from_days),
        last_date: agg.last.and_then(schema::date_from_days),
        roles,
        variants: variant_names,
    })
}

/// One speaker as [`speakers`] lists them (obvious variants of the name merged), found by any
/// of its spellings: `Okafor` finds Adaeze Okafor when she is the only Okafor quoted, or when
/// every `Okafor` quotation merges into hers.
/// With the index keys of every spelling merged, to search their quotations. `None` when no
/// quotation has that speaker.
///
/// Only names sharing the asked name's last word are read (a merge never joins names with
/// different last words), so the cost is that of the quotations of those names, not of the
/// index.
pub fn speaker(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    name: &str,
) -> Result<Option<(Speaker, Vec<String>)>> {
    let key = schema::fold(name.split_whitespace().collect::<Vec<_>>().join(" ").as_str());
    let mut analyzer = schema::speaker_analyzer(&idx.index);
    let mut stream = analyzer.token_stream(&key);
    let mut last = None;
    while let Some(t) = stream.next() {
        last = Some(t.text.clone());
    }
    let Some(last) = last else { return Ok(None) };
    let query =
        TermQuery::new(Term::from_field_text(idx.fields.speaker, &last), IndexRecordOption::Basic);
    // A full name that no shorter spelling could merge into (no quotation names `okafor` or
    // `a. okafor`) stands alone: no need to read every name sharing its last word.
    let quoted = |k: &str| {
        let term = Term::from_field_text(idx.fields.speaker_key, k);
        searcher.doc_freq(&term).map(|n| n > 0)
    };
    let words: Vec<&str> = key.split_whitespace().collect();
    let alone = match words.as_slice() {
        [first, .., surname] if first.trim_end_matches('.').chars().count() > 1 => {
            let initial = first.chars().next().unwrap_or(' ');
            quoted(&key)?
                && !quoted(surname)?
                && !quoted(&format!("{initial}. {surname}"))?
                && !quoted(&format!("{initial} {surname}"))?
        }
        _ => false,
    };
    // Otherwise the names only first, to settle the merge; then the counts of the merged names.
    let aggs = if alone {
        HashMap::from([(key.clone(), Agg::default())])
    } else {
        speaker_keys(searcher, &query)?
    };
    let known = aggs.contains_key(&key);
    let roles_of =
        |key: &str| display_and_roles(idx, searcher, key).map(|r| r.1).unwrap_or_default();
    let merged = merge_variants(aggs, &roles_of);
    // A name no quotation carries as written (`okafor` when every quotation names her in
    // full) is the one speaker whose name holds all its words, if there is exactly one.
    let mut fits = merged.into_iter().filter(|(k, _, v)| {
        if known {
            *k == key || v.contains(&key)
        } else {
            let theirs: Vec<&str> = k.split_whitespace().collect();
            words.iter().all(|w| theirs.contains(w))
        }
    });
    let (Some((target, _, variants)), None) = (fits.next(), fits.next()) else {
        return Ok(None);
    };
    let names: Vec<(Occur, Box<dyn Query>)> = std::iter::once(&target)
        .chain(&variants)
        .map(|k| {
            let term = Term::from_field_text(idx.fields.speaker_key, k);
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    let mut agg = Agg::default();
    for (_, a) in aggregate(searcher, &BooleanQuery::new(names))? {
        agg.quotes += a.quotes;
        agg.files.extend(a.files);
        agg.first = [agg.first, a.first].into_iter().flatten().min();
        agg.last = [agg.last, a.last].into_iter().flatten().max();
    }
    if agg.quotes == 0 {
        // Only deleted quotations hold the name (the term dictionary still knows it).
        return Ok(None);
    }
    let speaker = describe(idx, searcher, &target, &agg, &variants)?;
    let mut keys = vec![target];
    keys.extend(variants);
    Ok(Some((speaker, keys)))
}

/// Quotations, articles and dates per speaker key among the matches of `query`.
fn aggregate(searcher: &tantivy::Searcher, query: &dyn Query) -> Result<HashMap<String, Agg>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut aggs: HashMap<String, Agg> = HashMap::new();
    for seg in searcher.segment_readers() {
        let Some(keys) = seg.fast_fields().str(schema::SPEAKER_KEY)? else { continue };
        let files = seg.fast_fields().str(schema::FILE)?;
        let dates = seg.fast_fields().i64(schema::DATE)?;
        let alive = seg.alive_bitset();
        // Per key and file ordinal first: the dictionaries are read once per key and file of
        // the segment, not once per quotation.
        let mut by_ord: HashMap<u64, SegmentAgg> = HashMap::new();
        weight.for_each_no_score(seg, &mut |docs| {
            for &doc in docs {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let Some(ord) = keys.term_ords(doc).next() else { continue };
                let a = by_ord.entry(ord).or_default();
                a.quotes += 1;
                if let Some(fo) = files.as_ref().and_then(|fc| fc.term_ords(doc).next()) {
                    a.files.insert(fo);
                }
                if let Some(d) = dates.first(doc) {
                    a.first = Some(a.first.map_or(d, |x| x.min(d)));
                    a.last = Some(a.last.map_or(d, |x| x.max(d)));
                }
            }
        })?;
        let names =
            crate::search::ord_strings(seg, schema::SPEAKER_KEY, &keys, by_ord.keys().copied())?;
        let file_hashes: HashMap<u64, u64> = match &files {
            Some(fc) => {
                let ords = by_ord.values().flat_map(|p| p.files.iter().copied());
                let names = crate::search::ord_strings(seg, schema::FILE, fc, ords)?;
                names.into_iter().map(|(o, f)| (o, manifest::hash(f.as_bytes()))).collect()
            }
            None => HashMap::new(),
        };
        for (ord, part) in by_ord {
            let Some(key) = names.get(&ord) else { continue };
            let a = aggs.entry(key.clone()).or_default();
            a.quotes += part.quotes;
            a.files.extend(part.files.iter().filter_map(|fo| file_hashes.get(fo)));
            a.first = [a.first, part.first].into_iter().flatten().min();
            a.last = [a.last, part.last].into_iter().flatten().max();
        }
    }
    Ok(aggs)
}

/// The speaker keys among the matches of `query`, with their numbers of quotations only
/// (cheaper than [`aggregate`]: no files, no dates).
fn speaker_keys(searcher: &tantivy::Searcher, query: &dyn Query) -> Result<HashMap<String, Agg>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut aggs: HashMap<String, Agg> = HashMap::new();
    for seg in searcher.segment_readers() {
        let Some(keys) = seg.fast_fields().str(schema::SPEAKER_KEY)? else { continue };
        let alive = seg.alive_bitset();
        let mut by_ord: HashMap<u64, u64> = HashMap::new();
        weight.for_each_no_score(seg, &mut |docs| {
            for &doc in docs {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if let Some(ord) = keys.term_ords(doc).next() {
                        *by_ord.entry(ord).or_default() += 1;
                    }
                }
            }
        })?;
        let names =
            crate::search::ord_strings(seg, schema::SPEAKER_KEY, &keys, by_ord.keys().copied())?;
        for (ord, n) in by_ord {
            let Some(key) = names.get(&ord) else { continue };
            aggs.entry(key.clone()).or_default().quotes += n;
        }
    }
    Ok(aggs)
}

/// One speaker key's part of [`aggregate`] in one segment, by file ordinal.
#[derive(Default)]
struct SegmentAgg {
    quotes: u64,
    files: HashSet<u64>,
    /// Days since 1970 (`schema::date_days`).
    first: Option<i64>,
    last: Option<i64>,
}

/// Merges `okafor` and `a. okafor` into `adaeze okafor` when exactly one full name fits; keeps
/// different people who share a surname apart.
fn merge_variants(
    aggs: HashMap<String, Agg>,
    roles_of: &dyn Fn(&str) -> Vec<String>,
) -> Vec<(String, Agg, Vec<String>)> {
    let keys: Vec<String> = aggs.keys().cloned().collect();
    let full: Vec<&String> = keys
        .iter()
        .filter(|k| {
            let w: Vec<&str> = k.split_whitespace().collect();
            w.len() >= 2 && w[0].trim_end_matches('.').chars().count() > 1
        })
        .collect();
    let mut target: HashMap<String, String> = HashMap::new();
    for k in &keys {
        let w: Vec<&str> = k.split_whitespace().collect();
        let Some(last) = w.last() else { continue };
        let initial = (w.len() == 2 && w[0].trim_end_matches('.').chars().count() == 1)
            .then(|| w[0].chars().next().unwrap());
        if w.len() >= 2 && initial.is_none() {
            continue; // a full name already
        }
        let fits: Vec<&&String> = full
            .iter()
            .filter(|f| {
                let fw: Vec<&str> = f.split_whitespace().collect();
                fw.last() == Some(last) && initial.is_none_or(|i| fw[0].starts_with(i))
            })
            .collect();
        // Same context of roles: a variant seen with roles that share no word with the full
        // name's roles ("A. Okafor, a fisherman" beside "Adaeze Okafor, the senator") is kept
        // apart; a variant without roles, or one sharing a role word, joins.
        if let [only] = fits.as_slice() {
            if roles_agree(&roles_of(k), &roles_of(only)) {
                target.insert(k.clone(), (**only).clone());
            }
        }
    }
    let mut out: HashMap<String, (Agg, Vec<String>)> = HashMap::new();
    let mut aggs = aggs;
    for k in keys {
        let a = aggs.remove(&k).unwrap();
        let to = target.get(&k).cloned().unwrap_or_else(|| k.clone());
        let e = out.entry(to.clone()).or_insert_with(|| (Agg::default(), Vec::new()));
        e.0.quotes += a.quotes;
        e.0.files.extend(a.files);
        e.0.first = [e.0.first, a.first].into_iter().flatten().min();
        e.0.last = [e.0.last, a.last].into_iter().flatten().max();
        if to != k {
            e.1.push(k);
        }
    }
    out.into_iter().map(|(k, (a, v))| (k, a, v)).collect()
}

/// Whether two lists of roles can describe one person: either is empty or they share a word.
fn roles_agree(a: &[String], b: &[String]) -> bool {
    let words = |roles: &[String]| -> HashSet<String> {
        roles
            .iter()
            .flat_map(|r| r.split(|c: char| !c.is_alphanumeric()))
            .map(str::to_lowercase)
            .filter(|w| w.len() > 2 && !matches!(w.as_str(), "the" | "and" | "for" | "from"))
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    wa.is_empty() || wb.is_empty() || !wa.is_disjoint(&wb)
}

/// The most common spelling of a speaker key and the roles seen with it.
fn display_and_roles(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    key: &str,
) -> Result<(String, Vec<String>)> {
    let q = TermQuery::new(
        Term::from_field_text(idx.fields.speaker_key, key),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&q, &TopDocs::with_limit(50).order_by_score())?;
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut roles: BTreeSet<String> = BTreeSet::new();
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(s) = doc.get_first(idx.fields.speaker).and_then(|v| v.as_str()) {
            *names.entry(s.to_string()).or_default() += 1;
        }
        if let Some(r) = doc.get_first(idx.fields.role).and_then(|v| v.as_str()) {
            roles.insert(r.to_string());
        }
    }
    let name = names
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|x| x.0)
        .unwrap_or_else(|| key.to_string());
    Ok((name, roles.into_iter().take(5).collect()))
}
