//! A speaker's page as data (`/api/speaker`, the page's `/speaker/NAME`): who they are (the
//! merged speaker of `stats::speaker`: spellings, roles, quotations, articles), their timeline
//! (`search::timeline_in`), the words they use more than everyone else, the speakers quoted
//! in the same articles, and their latest quotations, optionally narrowed by words and dates.
//!
//! Every part has a bounded cost whatever the speaker: distinctive words come from their
//! [`SAMPLE`] latest quotations against the index's document frequencies, co-quoted speakers
//! from their [`ARTICLES`] latest articles. Built on `stats` and `search`; data only, `server`
//! serialises it.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Order, Searcher, TantivyDocument, Term, TERMINATED};

use crate::article::Date;
use crate::index::{schema, QuoteIndex};
use crate::search::{self, Hit, Interval, SearchQuery, SegmentParts, Sort, Timeline};
use crate::stats::{self, Speaker};

/// Latest quotations whose words are compared with everyone else's.
pub const SAMPLE: usize = 100;
/// Latest articles searched for other speakers.
pub const ARTICLES: usize = 100;
/// Distinctive words and co-quoted speakers listed.
const LISTED: usize = 12;

/// What a speaker page asks for: the speaker (any spelling), and words and dates that narrow
/// their timeline and latest quotations (not the counts of who they are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileQuery {
    pub name: String,
    pub text: String,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub by: Option<Interval>,
    /// Latest quotations listed.
    pub latest: usize,
}

/// A word a speaker uses more than everyone else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distinctive {
    /// The word as they most often write it (lower-cased).
    pub word: String,
    /// Quotations of the sample that hold it.
    pub quotes: u64,
    /// Quotations of the whole index that hold it.
    pub everyone: u64,
    /// How sure the difference is: the z-score of the log-odds ratio (higher is more theirs).
    pub score: f64,
}

/// Another speaker quoted in the same articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoSpeaker {
    pub name: String,
    /// Articles (of the speaker's latest [`ARTICLES`]) quoting both.
    pub articles: u64,
}

/// A speaker's page.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    #[serde(flatten)]
    pub speaker: Speaker,
    /// Their quotations matching the page's words and dates, per interval.
    pub timeline: Timeline,
    /// Distinct quotations the distinctive words were taken from (at most [`SAMPLE`]).
    pub sample: usize,
    pub distinctive: Vec<Distinctive>,
    pub co_quoted: Vec<CoSpeaker>,
    /// Their latest quotations matching the page's words and dates, newest first.
    pub latest: Vec<Hit>,
}

/// The page of the speaker `q.name` names; `None` when nobody of that name is quoted. With
/// `parts` (a long-running server's), the timeline and the latest quotations are kept per
/// segment as searches' are, so that after a commit they cost only the new segments.
pub fn profile(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &ProfileQuery,
    parts: Option<&SegmentParts>,
) -> Result<Option<Profile>> {
    let Some((speaker, keys)) = stats::speaker(idx, searcher, &q.name)? else { return Ok(None) };
    let theirs = SearchQuery { speaker_keys: keys.clone(), ..SearchQuery::default() };
    let narrowed = SearchQuery {
        text: q.text.clone(),
        since: q.since,
        until: q.until,
        sort: Sort::Newest,
        limit: q.latest.max(1),
        ..theirs.clone()
    };
    let timeline = search::timeline_in(idx, searcher, &narrowed, q.by, parts)?;
    let latest = search::search_in(idx, searcher, &narrowed, parts)?.hits;
    let everyone = search::compile_filters(idx, &theirs)?;
    let (sample, distinctive) = distinctive_words(idx, searcher, &*everyone, speaker.quotes)?;
    let co_quoted = co_quoted(idx, searcher, &*everyone, &keys)?;
    Ok(Some(Profile { speaker, timeline, sample, distinctive, co_quoted, latest }))
}

/// A stamp of what a speaker page of `name` reads from the index: the number of live quotations
/// whose speaker has the name's last word. Every quotation the page counts, lists or compares
/// has it, and so has every spelling that could merge into the speaker: while the stamp stays
/// the same, so do the page's speaker, counts, timeline, latest quotations, distinctive words
/// and co-quoted speakers, except for drift in everyone's word counts and in how many articles
/// republish a quotation. `quoth serve` keeps a page across commits that way. Cheap: one count
/// over one term's postings.
pub fn stamp(idx: &QuoteIndex, searcher: &Searcher, name: &str) -> Result<u64> {
    let mut analyzer = schema::speaker_analyzer(&idx.index);
    let mut stream = analyzer.token_stream(name);
    let mut last = None;
    while let Some(t) = stream.next() {
        last = Some(t.text.clone());
    }
    let Some(last) = last else { return Ok(0) };
    let term = Term::from_field_text(idx.fields.speaker, &last);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    Ok(searcher.search(&query, &tantivy::collector::Count)? as u64)
}

/// The `n` latest quotations matching `query` (undated ones last).
fn latest_docs(searcher: &Searcher, query: &dyn Query, n: usize) -> Result<Vec<DocAddress>> {
    let top = searcher.search(
        query,
        &TopDocs::with_limit(n).order_by_fast_field::<i64>(schema::DATE, Order::Desc),
    )?;
    Ok(top.into_iter().map(|(_, addr)| addr).collect())
}

/// Words of the speaker's latest quotations (`query`, `total` of them in all) that set them
/// apart, by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
/// Quinn, 2008) of a quotation holding the word, theirs against everyone else's; everyone's
/// counts are the index's document frequencies. Words in fewer than two quotations of the
/// sample, stop words and numbers are left out. Returns the sample's size and the words.
fn distinctive_words(
    idx: &QuoteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    total: u64,
) -> Result<(usize, Vec<Distinctive>)> {
    let mut analyzer = schema::quote_analyzer(&idx.index);
    let mut seen: HashSet<String> = HashSet::new();
    // Per indexed term: quotations holding it, and how each spelling was written.
    let mut terms: HashMap<String, (u64, HashMap<String, u32>)> = HashMap::new();
    for addr in latest_docs(searcher, query, SAMPLE * 2)? {
        if seen.len() >= SAMPLE {
            break;
        }
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = doc.get_first(idx.fields.quote).and_then(|v| v.as_str()).unwrap_or_default();
        // A quotation republished in several articles counts once.
        if !seen.insert(text.to_string()) {
            continue;
        }
        let mut in_this: HashSet<String> = HashSet::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(tok) = stream.next() {
            let written = text[tok.offset_from..tok.offset_to].to_lowercase();
            if !is_content_word(&written) {
                continue;
            }
            let entry = terms.entry(tok.text.clone()).or_default();
            *entry.1.entry(written).or_default() += 1;
            if in_this.insert(tok.text.clone()) {
                entry.0 += 1;
            }
        }
    }
    let n = seen.len() as f64;
    let all = searcher.num_docs() as f64;
    let others = (all - total as f64).max(1.0);
    // The prior's weight, in quotations: enough to keep a word seen twice from looking sure.
    const PRIOR: f64 = 50.0;
    let mut out = Vec::new();
    for (term, (a, spellings)) in terms {
        if a < 2 {
            continue;
        }
        let everyone = searcher.doc_freq(&Term::from_field_text(idx.fields.quote, &term))?;
        // Everyone else's quotations holding it: the index's minus the speaker's, estimated
        // from the sample's share.
        let theirs = a as f64 / n * total as f64;
        let rest = (everyone as f64 - theirs).max(0.0);
        let prior = PRIOR * (everyone as f64 / all).clamp(1e-9, 0.999);
        let odds = |k: f64, n: f64| ((k + prior) / (n + PRIOR - k - prior).max(1e-9)).ln();
        let delta = odds(a as f64, n) - odds(rest, others);
        let variance = 1.0 / (a as f64 + prior) + 1.0 / (rest + prior);
        let score = delta / variance.sqrt();
        if delta > 0.0 {
            let word = (spellings.into_iter())
                .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
                .map(|(w, _)| w)
                .unwrap_or(term);
            out.push(Distinctive { word, quotes: a, everyone, score });
        }
    }
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.word.cmp(&y.word)));
    out.truncate(LISTED);
    Ok((seen.len(), out))
}

/// Whether a written word can be distinctive: not a stop word, not a number, 3 letters or more.
fn is_content_word(word: &str) -> bool {
    word.chars().count() >= 3
        && word.chars().any(char::is_alphabetic)
        && !STOP_WORDS.contains(&word.trim_end_matches(['\'', '’']))
}

/// English function words and the words of speech every speaker uses, which say nothing of
/// what one speaker talks about.
const STOP_WORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "and",
    "any",
    "are",
    "aren",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "can",
    "cannot",
    "could",
    "couldn",
    "did",
    "didn",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "going",
    "gone",
    "got",
    "had",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "into",
    "isn",
    "its",
    "itself",
    "just",
    "know",
    "let",
    "like",
    "made",
    "make",
    "many",
    "more",
    "most",
    "much",
    "must",
    "mustn",
    "myself",
    "never",
    "not",
    "now",
    "off",
    "once",
    "one",
    "only",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "said",
    "same",
    "say",
    "says",
    "see",
    "shan",
    "she",
    "should",
    "shouldn",
    "since",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "too",
    "under",
    "until",
    "very",
    "want",
    "was",
    "wasn",
    "way",
    "well",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "we're",
    "we’re",
    "it's",
    "it’s",
    "i'm",
    "i’m",
    "don't",
    "don’t",
    "can't",
    "can’t",
    "won't",
    "won’t",
    "that's",
    "that’s",
    "there's",
    "there’s",
    "they're",
    "they’re",
    "you're",
    "you’re",
    "isn't",
    "isn’t",
    "let's",
    "let’s",
];

/// The speakers quoted most often in the speaker's latest [`ARTICLES`] articles (files), other
/// than the speaker (`keys`): (name, articles quoting both), most first.
fn co_quoted(
    idx: &QuoteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    keys: &[String],
) -> Result<Vec<CoSpeaker>> {
    // Their latest quotations, enough to reach ARTICLES articles of a few quotations each.
    // Distinct (segment, file ordinal) pairs first, newest first: each file's name is read
    // from the column's dictionary once.
    let mut pairs: Vec<(u32, u64)> = Vec::new();
    let mut seen_pairs: HashSet<(u32, u64)> = HashSet::new();
    let mut columns = HashMap::new();
    for addr in latest_docs(searcher, query, ARTICLES * 4)? {
        let column = match columns.get(&addr.segment_ord) {
            Some(c) => c,
            None => {
                let segment = searcher.segment_reader(addr.segment_ord);
                let column = segment.fast_fields().str(schema::FILE)?;
                columns.entry(addr.segment_ord).or_insert(column)
            }
        };
        let Some(column) = column else { continue };
        let Some(ord) = column.term_ords(addr.doc_id).next() else { continue };
        if seen_pairs.insert((addr.segment_ord, ord)) {
            pairs.push((addr.segment_ord, ord));
        }
    }
    let mut names: HashMap<u32, HashMap<u64, String>> = HashMap::new();
    for (segment, column) in &columns {
        if let Some(column) = column {
            let ords = pairs.iter().filter(|(s, _)| s == segment).map(|(_, o)| *o);
            let reader = searcher.segment_reader(*segment);
            names.insert(*segment, search::ord_strings(reader, schema::FILE, column, ords)?);
        }
    }
    let mut files: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (segment, ord) in pairs {
        let Some(name) = names.get(&segment).and_then(|n| n.get(&ord)) else { continue };
        if seen.insert(name.clone()) {
            files.push(name.clone());
            if files.len() == ARTICLES {
                break;
            }
        }
    }
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // Articles per other speaker key, and one quotation of each for the name as written. Each
    // file is looked up in every segment's term dictionary (a few hundred lookups): a file's
    // quotations usually sit in one segment, but a batch boundary can split them.
    let terms: Vec<Term> =
        files.iter().map(|f| Term::from_field_text(idx.fields.file, f)).collect();
    let mut per_key: HashMap<String, (HashSet<usize>, DocAddress)> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(speakers) = segment.fast_fields().str(schema::SPEAKER_KEY)? else { continue };
        let inverted = segment.inverted_index(idx.fields.file)?;
        let alive = segment.alive_bitset();
        let mut pairs: HashMap<u64, (HashSet<usize>, u32)> = HashMap::new();
        for (i, term) in terms.iter().enumerate() {
            let Some(info) = inverted.get_term_info(term)? else { continue };
            let mut postings =
                inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if let Some(s) = speakers.term_ords(doc).next() {
                        pairs.entry(s).or_insert_with(|| (HashSet::new(), doc)).0.insert(i);
                    }
                }
                doc = postings.advance();
            }
        }
        let names =
            search::ord_strings(segment, schema::SPEAKER_KEY, &speakers, pairs.keys().copied())?;
        for (s, (file_numbers, doc)) in pairs {
            let Some(key) = names.get(&s).cloned() else { continue };
            if keys.contains(&key) {
                continue;
            }
            let entry = per_key
                .entry(key)
                .or_insert_with(|| (HashSet::new(), DocAddress::new(ord as u32, doc)));
            entry.0.extend(file_numbers);
        }
    }
    let mut ranked: Vec<(String, u64, DocAddress)> =
        per_key.into_iter().map(|(k, (files, addr))| (k, files.len() as u64, addr)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(LISTED);
    let mut out = Vec::with_capacity(ranked.len());
    for (key, articles, addr) in ranked {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let name = doc.get_first(idx.fields.speaker).and_then(|v| v.as_str()).unwrap_or(&key);
        out.push(CoSpeaker { name: name.to_string(), articles });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words() {
        // (name, written word, can be distinctive)
        let cases: &[(&str, &str, bool)] = &[
            ("a noun", "tariffs", true),
            ("a name-like word", "harbour", true),
            ("accented", "café", true),
            ("stop word (negative)", "the", false),
            ("speech word (negative)", "said", false),
            ("contraction (negative)", "we’re", false),
            ("short (negative)", "go", false),
            ("number (negative)", "2024", false),
            ("number with letters", "3rd", true),
        ];
        for (name, word, want) in cases {
            assert_eq!(is_content_word(word), *want, "case {name}");
        }
    }
}
