//! `quoth check`: did they really say it? A claimed quotation in, a verdict out: `verbatim`,
//! `close`, `partial`, `different-speaker` or `not-found`, with a similarity, a word-level diff
//! and the articles that carry the quotation.
//!
//! From the bottom up: `words` reads the claim and quotations into words, `align` aligns the
//! claim with one quotation. This module retrieves candidate quotations from the index
//! (`search::similar`: a disjunction of the claim's rarest words, once unfiltered and once for
//! the claimed speaker), aligns the claim with each (with two quotations of one paragraph as one,
//! and with pairs of quotations of one speaker for claims stitched from two), scores and
//! classifies the alignments, and lists the articles of the best (`search::copies`). Data in,
//! data out: `output` renders a [`Checked`], `server` serialises it, `main` picks the exit code.
//!
//! Bounded per request: at most [`CANDIDATES`] + [`SPEAKER_CANDIDATES`] quotations, claims of at
//! most [`MAX_CLAIM_WORDS`] words, at most [`MAX_CELLS`] alignment cells per quotation (a longer
//! quotation is aligned on the stretch holding most of the claim's words) and [`CHECK_CELLS`] in
//! all, at most [`MAX_ARTICLES`] articles listed per quotation.

use std::collections::HashSet;
use std::ops::Range;

use anyhow::{bail, Result};
use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use crate::article::Date;
use crate::index::{schema, QuoteIndex};
use crate::quote::fasthash::FastMap;
use crate::search::{self, Hit, SearchQuery};

mod align;
mod words;

pub use align::{Aligner, Alignment, Pair, Step};
pub use words::{claim_words, edit_distance, quote_words, quoted_parts, Claim, Folder, Word};

/// The similarity a quotation must reach to be found at all.
pub const THRESHOLD: f64 = 0.7;
/// Under `not-found`, quotations at least this similar are listed as the nearest.
pub const NEAREST: f64 = 0.4;
/// Quotation words a claim may leave out at its ends and still count as the whole quotation
/// (they count as missing words); leaving out more makes it an excerpt.
pub const LEFT_OUT_AS_MISSING: usize = 2;
/// How much more similar than the best single quotation two stitched ones must be.
pub const STITCH_MARGIN: f64 = 0.1;
/// Longest claim, in words.
pub const MAX_CLAIM_WORDS: usize = 200;
/// Quotations retrieved as candidates, and again among the claimed speaker's.
pub const CANDIDATES: usize = 64;
pub const SPEAKER_CANDIDATES: usize = 32;
/// Alignment cells (claim words × quotation words) per quotation at most.
pub const MAX_CELLS: usize = 250_000;
/// Alignment cells per check at most (about 20 ms of work on a loaded 2-core machine):
/// candidates beyond are not aligned, stitched pairs not sought. Typical claims and quotations
/// take a few hundred to a few thousand cells per candidate; a claim of 200 words against
/// quotations of 1 500 words reaches this after 16 of them.
pub const CHECK_CELLS: usize = 4_000_000;
/// Articles listed per quotation at most (their number is always given).
pub const MAX_ARTICLES: usize = 50;
/// Most matches one check lists.
pub const MAX_LIMIT: usize = 20;

/// What to check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckQuery {
    /// The claimed quotation; if it holds a pair of double quotation marks, only the words
    /// inside them are checked.
    pub claim: String,
    /// Who is claimed to have said it (name words, as `--speaker` in searches).
    pub speaker: Option<String>,
    /// Only quotations dated within these inclusive bounds.
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// Matches to list.
    pub limit: usize,
}

/// The verdict on a claim, or on one quotation against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The same words, ignoring case, punctuation, quotation marks, misspellings, words an
    /// ellipsis stands for and bracketed words.
    Verbatim,
    /// A few words changed, added or missing.
    Close,
    /// Part of a longer quotation, or stitched from two quotations of one speaker.
    Partial,
    /// The words match, but someone else said them.
    DifferentSpeaker,
    /// No quotation reaches the similarity threshold.
    NotFound,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Verbatim => "verbatim",
            Verdict::Close => "close",
            Verdict::Partial => "partial",
            Verdict::DifferentSpeaker => "different-speaker",
            Verdict::NotFound => "not-found",
        }
    }

    /// Whether the claim stands: the speaker said these words, or nearly.
    pub fn confirmed(self) -> bool {
        matches!(self, Verdict::Verbatim | Verdict::Close)
    }

    /// Better wordings rank higher.
    fn rank(self) -> u8 {
        match self {
            Verdict::Verbatim => 4,
            Verdict::Close => 3,
            Verdict::Partial => 2,
            Verdict::DifferentSpeaker => 1,
            Verdict::NotFound => 0,
        }
    }
}

/// How much of the quotation(s) the claim covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// The whole quotation (give or take two words at its ends, counted as missing).
    Whole,
    /// Part of a longer quotation.
    Excerpt,
    /// A part of each of two quotations.
    Stitched,
}

/// Word counts of an alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Claim words matching a quotation word (the same, or misspelt).
    pub matched: usize,
    /// Claim words in place of other quotation words.
    pub replaced: usize,
    /// Claim words the quotation does not have.
    pub inserted: usize,
    /// Quotation words the claim drops.
    pub deleted: usize,
    /// Matched words misspelt in the claim (not counted as changes).
    pub misspelt: usize,
    /// Quotation words dropped where the claim has an ellipsis (not counted).
    pub elided: usize,
    /// Bracketed claim words (not counted).
    pub editorial: usize,
    /// Quotation words before and after an excerpt (not counted).
    pub left_out: usize,
}

impl Changes {
    /// Words that count as changes.
    pub fn counted(&self) -> usize {
        self.replaced + self.inserted + self.deleted
    }

    /// `2 × matched / (claim words + quotation words)`, the claim's bracketed words and the
    /// quotation words its ellipses, brackets and excerpt leave out not counted.
    pub fn similarity(&self) -> f64 {
        let claim = self.matched + self.replaced + self.inserted;
        let quote = self.matched + self.replaced + self.deleted;
        if claim + quote == 0 {
            return 0.0;
        }
        2.0 * self.matched as f64 / (claim + quote) as f64
    }

    fn add(&mut self, o: &Changes) {
        self.matched += o.matched;
        self.replaced += o.replaced;
        self.inserted += o.inserted;
        self.deleted += o.deleted;
        self.misspelt += o.misspelt;
        self.elided += o.elided;
        self.editorial += o.editorial;
        self.left_out += o.left_out;
    }
}

/// A diff operation, claim against quotation: `insert` is in the claim only, `delete` in the
/// quotation only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Insert,
    Delete,
    Replace,
}

/// Why a run does not count as a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Note {
    /// The claim misspells the quotation's words.
    Misspelt,
    /// The claim's ellipsis stands for these quotation words.
    Ellipsis,
    /// The claim's bracketed words.
    Editorial,
    /// Quotation words outside the excerpt the claim is.
    Outside,
}

/// One run of the diff: consecutive words with the same operation, as written in the claim
/// and in the quotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub op: Op,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    /// Which of the match's quotations the run is in.
    pub quotation: usize,
}

/// An article carrying a quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRef {
    pub date: Option<Date>,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub paragraph_number: u64,
}

/// A quotation as the check found it: who said it, when first, where, and its paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The earliest copy's id (`/api/quote/{id}`).
    pub id: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub first_date: Option<Date>,
    /// Articles carrying it.
    pub occurrences: u64,
    /// The earliest article's paragraph.
    pub paragraph: String,
    pub paragraph_number: u64,
    /// The articles, earliest first (undated last), at most [`MAX_ARTICLES`].
    pub articles: Vec<ArticleRef>,
}

/// One quotation (or two) aligned with the claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub verdict: Verdict,
    /// This match's verdict in one line (the first match's is the claim's `summary`).
    pub summary: String,
    /// The verdict on the words alone, whoever said them.
    pub wording: Verdict,
    pub similarity: f64,
    pub coverage: Coverage,
    /// Two quotations of one paragraph, one sentence split by its attribution
    /// (`“…,” she said, “…”`), checked as one.
    pub split_by_attribution: bool,
    pub changes: Changes,
    pub diff: Vec<Run>,
    pub quotations: Vec<Source>,
}

/// The answer to a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checked {
    pub claim: String,
    /// The claimed speaker, as given.
    pub speaker: Option<String>,
    /// The best match's verdict, or `not-found`.
    pub verdict: Verdict,
    /// The verdict in one line, as `quoth check` prints it first.
    pub summary: String,
    pub threshold: f64,
    /// Best first: matches reaching the threshold, or else the nearest quotations.
    pub matches: Vec<Match>,
}

/// Checks a claim on a fresh searcher.
pub fn check_claim(idx: &QuoteIndex, q: &CheckQuery) -> Result<Checked> {
    check(idx, &idx.reader.searcher(), q)
}

/// Checks `q.claim` against the quotations `searcher` sees.
pub fn check(idx: &QuoteIndex, searcher: &Searcher, q: &CheckQuery) -> Result<Checked> {
    let mut lexicon = Lexicon::default();
    let claim = claim_words(&q.claim, &mut lexicon.folder);
    if claim.words.iter().all(|w| w.editorial) {
        bail!("the claim has no words to check");
    }
    if claim.words.len() > MAX_CLAIM_WORDS {
        bail!(
            "the claim has {} words: quoth checks at most {MAX_CLAIM_WORDS}, one quotation at a time",
            claim.words.len()
        );
    }
    let claimed = match &q.speaker {
        Some(name) => Some(SpeakerName::parse(idx, name)?),
        None => None,
    };
    let hits = candidates(idx, searcher, &claim, q, &mut lexicon.folder)?;
    let mut work = Work::new(&claim, &hits, &mut lexicon);
    let mut found: Vec<Found> = Vec::new();
    // Best candidates first, while the budget lasts.
    for c in 0..work.candidates.len() {
        if !work.spend(work.cells(c)) {
            break;
        }
        found.push(work.single(c));
    }
    let stitched = work.stitched(&found);
    found.extend(stitched);
    let mut speaker_words = schema::speaker_analyzer(&idx.index);
    for f in &mut found {
        let speaker = hits[work.first_hit(f)].speaker.as_deref();
        let ok = match (&claimed, speaker) {
            (None, _) => true,
            (Some(name), Some(s)) => name.matches(&mut speaker_words, s),
            (Some(_), None) => false,
        };
        f.verdict = match f.wording {
            Verdict::NotFound => Verdict::NotFound,
            _ if !ok => Verdict::DifferentSpeaker,
            w => w,
        };
    }
    let first_date = |f: &Found| hits[work.first_hit(f)].date;
    found.sort_by(|a, b| {
        let class = |f: &Found| match f.verdict {
            Verdict::NotFound => 2,
            Verdict::DifferentSpeaker => 1,
            _ => 0,
        };
        class(a)
            .cmp(&class(b))
            .then(b.similarity.total_cmp(&a.similarity))
            .then(b.wording.rank().cmp(&a.wording.rank()))
            .then(b.changes.matched.cmp(&a.changes.matched))
            .then(
                (first_date(a).is_none(), first_date(a))
                    .cmp(&(first_date(b).is_none(), first_date(b))),
            )
    });
    let any_found = found.first().is_some_and(|f| f.verdict != Verdict::NotFound);
    found.retain(
        |f| if any_found { f.verdict != Verdict::NotFound } else { f.similarity >= NEAREST },
    );
    // Each quotation is listed once, in its best match: a pair (split by attribution, or
    // stitched) after one of its quotations alone, or that one after the pair, adds nothing.
    let mut listed: HashSet<usize> = HashSet::new();
    found.retain(|f| {
        let mine = work.hits_of(f);
        let fresh = mine.iter().all(|h| !listed.contains(h));
        if fresh {
            listed.extend(mine);
        }
        fresh
    });
    found.truncate(q.limit.clamp(1, MAX_LIMIT));
    let mut matches = Vec::with_capacity(found.len());
    for f in &found {
        let mut m = work.to_match(idx, searcher, &q.claim, f)?;
        m.summary = headline(&m, q.speaker.as_deref());
        matches.push(m);
    }
    let verdict = matches.first().map_or(Verdict::NotFound, |m| m.verdict);
    let mut checked = Checked {
        claim: q.claim.clone(),
        speaker: q.speaker.clone(),
        verdict,
        summary: String::new(),
        threshold: THRESHOLD,
        matches,
    };
    checked.summary = summary(&checked);
    Ok(checked)
}

/// Candidate quotations: those sharing the claim's rarest words, and the same among the
/// claimed speaker's (so that theirs are never crowded out by others'); one per wording and
/// speaker.
fn candidates(
    idx: &QuoteIndex,
    searcher: &Searcher,
    claim: &Claim,
    q: &CheckQuery,
    folder: &mut Folder,
) -> Result<Vec<Hit>> {
    let text: Vec<&str> =
        claim.words.iter().filter(|w| !w.editorial).map(|w| w.text.as_str()).collect();
    let text = text.join(" ");
    let filters = SearchQuery { since: q.since, until: q.until, ..SearchQuery::default() };
    // The claimed speaker's first: they are aligned first should the budget run short.
    let mut hits = Vec::new();
    if let Some(name) = &q.speaker {
        let theirs = SearchQuery { speakers: vec![name.clone()], ..filters.clone() };
        hits = search::similar(idx, searcher, &text, &theirs, SPEAKER_CANDIDATES)?;
    }
    hits.extend(search::similar(idx, searcher, &text, &filters, CANDIDATES)?);
    let mut seen = HashSet::new();
    hits.retain(|h| {
        let speaker = h.speaker.as_deref().map(|s| folder.fold(s));
        seen.insert((schema::quote_key(&h.quote), speaker))
    });
    Ok(hits)
}

/// A claimed speaker's name words, matched as `--speaker` matches in searches: every word must
/// be one of the speaker's name words (a word ending in `*`: the start of one).
struct SpeakerName {
    words: Vec<(String, bool)>,
}

impl SpeakerName {
    fn parse(idx: &QuoteIndex, name: &str) -> Result<SpeakerName> {
        let mut analyzer = schema::speaker_analyzer(&idx.index);
        let mut words = Vec::new();
        for word in name.split_whitespace() {
            let prefix = word.ends_with('*');
            let tokens = tokens(&mut analyzer, word.trim_end_matches('*'));
            let last = tokens.len().saturating_sub(1);
            words.extend(tokens.into_iter().enumerate().map(|(i, t)| (t, prefix && i == last)));
        }
        if words.is_empty() {
            bail!("invalid speaker name '{name}': it has no letters");
        }
        Ok(SpeakerName { words })
    }

    fn matches(&self, analyzer: &mut TextAnalyzer, speaker: &str) -> bool {
        let theirs = tokens(analyzer, speaker);
        self.words.iter().all(|(w, prefix)| {
            theirs.iter().any(|t| if *prefix { t.starts_with(w.as_str()) } else { t == w })
        })
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Words by number, so that an alignment compares numbers, and which quotation words are
/// misspellings of which claim words.
#[derive(Default)]
struct Lexicon {
    ids: FastMap<String, u32>,
    texts: Vec<String>,
    /// The claim's own words (not bracketed) by first letter: a misspelling keeps it.
    claim_by_initial: FastMap<char, Vec<u32>>,
    /// Per word number: the claim words it is a misspelling of (empty for nearly all), or
    /// `None` while not looked at.
    near: Vec<Option<Vec<u32>>>,
    folder: Folder,
}

impl Lexicon {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(word.to_string(), id);
        self.texts.push(word.to_string());
        self.near.push(None);
        id
    }

    /// Numbers the claim's words and notes its own ones for misspelling tests.
    fn claim(&mut self, claim: &Claim) -> Vec<u32> {
        let ids: Vec<u32> = claim.words.iter().map(|w| self.id(&w.text)).collect();
        for (w, &id) in claim.words.iter().zip(&ids) {
            let initial = w.text.chars().next().unwrap_or(' ');
            let same = self.claim_by_initial.entry(initial).or_default();
            if !w.editorial && !same.contains(&id) {
                same.push(id);
            }
        }
        ids
    }

    /// Numbers a quotation word and finds, once per word, the claim words it misspells.
    fn quote_word(&mut self, word: &str) -> u32 {
        let id = self.id(word);
        if self.near[id as usize].is_none() {
            let initial = word.chars().next().unwrap_or(' ');
            let mut of = Vec::new();
            for &c in self.claim_by_initial.get(&initial).map_or(&[][..], Vec::as_slice) {
                if c != id && self.folder.near(&self.texts[c as usize], word) {
                    of.push(c);
                }
            }
            self.near[id as usize] = Some(of);
        }
        id
    }

    /// Whether quotation word `quote` may misspell some claim word.
    fn maybe_near(&self, quote: u32) -> bool {
        self.near[quote as usize].as_ref().is_some_and(|of| !of.is_empty())
    }

    /// Whether claim word `claim` misspells quotation word `quote`.
    fn is_near(&self, claim: u32, quote: u32) -> bool {
        self.near[quote as usize].as_ref().is_some_and(|of| of.contains(&claim))
    }
}

/// A quotation word: its number, which of the candidate's quotations it is in, and where.
struct QuoteWord {
    id: u32,
    segment: usize,
    span: Range<usize>,
}

/// What the claim is aligned with: one quotation, or two of one paragraph read as one.
struct Candidate {
    /// Indices into the hits.
    hits: Vec<usize>,
    words: Vec<QuoteWord>,
    /// The words' numbers, and whether each may misspell a claim word (as the aligner takes them).
    ids: Vec<u32>,
    maybe_near: Vec<bool>,
    /// The words aligned: all of them, unless that would take more than [`MAX_CELLS`].
    window: Range<usize>,
}

/// One part of a match: the claim's words `claim` aligned with candidate `candidate`.
struct Part {
    candidate: usize,
    claim: Range<usize>,
    alignment: Alignment,
}

/// A word-level mark of a match, before it becomes a diff run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Equal,
    Misspelt,
    Change,
    Editorial,
    Elided,
    Outside,
}

#[derive(Debug, Clone)]
struct Mark {
    kind: Kind,
    claim: Option<usize>,
    /// The part and the word of its candidate.
    quote: Option<(usize, usize)>,
    part: usize,
}

/// A scored alignment of the claim with one candidate, or with two (stitched).
struct Found {
    parts: Vec<Part>,
    marks: Vec<Mark>,
    changes: Changes,
    similarity: f64,
    coverage: Coverage,
    wording: Verdict,
    verdict: Verdict,
}

/// The state of one check: the claim, its candidates as numbered words, and the aligner.
struct Work<'a> {
    claim: &'a Claim,
    hits: &'a [Hit],
    claim_ids: Vec<u32>,
    editorial: Vec<bool>,
    candidates: Vec<Candidate>,
    lexicon: &'a mut Lexicon,
    aligner: Aligner,
    /// Alignment cells this check may still fill ([`CHECK_CELLS`]).
    cells_left: usize,
}

impl<'a> Work<'a> {
    fn new(claim: &'a Claim, hits: &'a [Hit], lexicon: &'a mut Lexicon) -> Work<'a> {
        let claim_ids = lexicon.claim(claim);
        let editorial = claim.words.iter().map(|w| w.editorial).collect();
        let wanted: HashSet<u32> = claim_ids.iter().copied().collect();
        let n = claim.words.len();
        let mut candidates = Vec::with_capacity(hits.len() + 4);
        let words_of = |h: usize, segment: usize, lexicon: &mut Lexicon| -> Vec<QuoteWord> {
            quote_words(&hits[h].quote, &mut lexicon.folder)
                .into_iter()
                .map(|w| QuoteWord { id: lexicon.quote_word(&w.text), segment, span: w.span })
                .collect()
        };
        let candidate = |hits: Vec<usize>, words: Vec<QuoteWord>, lexicon: &Lexicon| {
            let window = window(&words, &wanted, n);
            let ids: Vec<u32> = words.iter().map(|w| w.id).collect();
            let maybe_near = ids.iter().map(|&id| lexicon.maybe_near(id)).collect();
            Candidate { hits, words, ids, maybe_near, window }
        };
        for h in 0..hits.len() {
            let words = words_of(h, 0, lexicon);
            candidates.push(candidate(vec![h], words, lexicon));
        }
        // A sentence split by its attribution (`“…,” she said, “…”`) is two quotations of one
        // paragraph by one speaker: also read each such pair as one.
        for a in 0..hits.len() {
            let next = (0..hits.len())
                .filter(|&b| b != a && same_paragraph(&hits[a], &hits[b]))
                .filter(|&b| hits[b].start >= hits[a].end)
                .min_by_key(|&b| hits[b].start);
            if let Some(b) = next {
                let mut words = words_of(a, 0, lexicon);
                words.extend(words_of(b, 1, lexicon));
                candidates.push(candidate(vec![a, b], words, lexicon));
            }
        }
        Work {
            claim,
            hits,
            claim_ids,
            editorial,
            candidates,
            lexicon,
            aligner: Aligner::default(),
            cells_left: CHECK_CELLS,
        }
    }

    /// Cells of one alignment of the whole claim with candidate `c`.
    fn cells(&self, c: usize) -> usize {
        (self.claim.words.len() + 1) * (self.candidates[c].window.len() + 1)
    }

    /// Takes `cells` from the check's budget, if it has them.
    fn spend(&mut self, cells: usize) -> bool {
        let ok = cells <= self.cells_left;
        if ok {
            self.cells_left -= cells;
        }
        ok
    }

    /// The claim aligned with candidate `c` whole.
    fn single(&mut self, c: usize) -> Found {
        let n = self.claim.words.len();
        let alignment = self.align(c, 0..n);
        let part = Part { candidate: c, claim: 0..n, alignment };
        self.score(vec![part], false)
    }

    /// Aligns claim words `claim` with candidate `c` (its window), in the candidate's word
    /// numbers.
    fn align(&mut self, c: usize, claim: Range<usize>) -> Alignment {
        let cand = &self.candidates[c];
        let window = cand.window.clone();
        let (ids, quote) = (&self.claim_ids[claim.clone()], &cand.ids[window.clone()]);
        let pair = Pair {
            claim: ids,
            editorial: &self.editorial[claim.clone()],
            gaps: &self.claim.gaps[claim.start..=claim.end],
            quote,
            maybe_near: &cand.maybe_near[window.clone()],
        };
        let lexicon = &*self.lexicon;
        let near = |i: usize, j: usize| lexicon.is_near(ids[i], quote[j]);
        let mut a = self.aligner.align(&pair, &near);
        let (shift, by) = (window.start, claim.start);
        for s in &mut a.steps {
            *s = match *s {
                Step::Same(i, j) => Step::Same(i + by, j + shift),
                Step::Near(i, j) => Step::Near(i + by, j + shift),
                Step::Replace(i, j) => Step::Replace(i + by, j + shift),
                Step::Insert(i) => Step::Insert(i + by),
                Step::Delete(j) => Step::Delete(j + shift),
                Step::Elided(j) => Step::Elided(j + shift),
                Step::Editorial(i, j) => Step::Editorial(i + by, j.map(|j| j + shift)),
            };
        }
        a.start += shift;
        a.end += shift;
        a
    }

    /// Scores of every prefix (`forward`) or suffix of the claim aligned with candidate `c`:
    /// `scores[k]` for the claim's first `k` words, or for its words from `k` on.
    fn profile(&mut self, c: usize, forward: bool) -> Vec<i32> {
        let cand = &self.candidates[c];
        let window = cand.window.clone();
        let lexicon = &*self.lexicon;
        if forward {
            let (ids, quote) = (&self.claim_ids[..], &cand.ids[window.clone()]);
            let pair = Pair {
                claim: ids,
                editorial: &self.editorial,
                gaps: &self.claim.gaps,
                quote,
                maybe_near: &cand.maybe_near[window],
            };
            self.aligner.profile(&pair, &|i, j| lexicon.is_near(ids[i], quote[j]))
        } else {
            // Suffixes of the claim are prefixes of both read backwards.
            let rev = |v: &[u32]| -> Vec<u32> { v.iter().rev().copied().collect() };
            let flip = |v: &[bool]| -> Vec<bool> { v.iter().rev().copied().collect() };
            let (ids, quote) = (rev(&self.claim_ids), rev(&cand.ids[window.clone()]));
            let (editorial, gaps) = (flip(&self.editorial), flip(&self.claim.gaps));
            let maybe_near = flip(&cand.maybe_near[window]);
            let pair = Pair {
                claim: &ids,
                editorial: &editorial,
                gaps: &gaps,
                quote: &quote,
                maybe_near: &maybe_near,
            };
            let mut scores = self.aligner.profile(&pair, &|i, j| lexicon.is_near(ids[i], quote[j]));
            scores.reverse();
            scores
        }
    }

    /// Claims stitched from two quotations of one speaker: for each speaker with two or more
    /// candidates, the split of the claim and the pair whose prefix and suffix alignments score
    /// best, kept when clearly more similar than any one quotation of theirs.
    fn stitched(&mut self, singles: &[Found]) -> Vec<Found> {
        let n = self.claim.words.len();
        let best_single = singles.iter().map(|f| f.similarity).fold(0.0, f64::max);
        if n < 4 || best_single >= 1.0 {
            return Vec::new();
        }
        // Single quotations by a known speaker, grouped by speaker.
        let mut groups: FastMap<String, Vec<usize>> = FastMap::default();
        for (c, cand) in self.candidates.iter().enumerate() {
            if let [h] = cand.hits[..] {
                if let Some(s) = &self.hits[h].speaker {
                    groups.entry(self.lexicon.folder.fold(s)).or_default().push(c);
                }
            }
        }
        let mut pairs: Vec<(i32, usize, usize, usize)> = Vec::new();
        let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() >= 2).collect();
        groups.sort();
        for group in groups {
            // Two tables (prefix and suffix) per member.
            let cells: usize = group.iter().map(|&c| 2 * self.cells(c)).sum();
            if !self.spend(cells) {
                break;
            }
            let prefix: Vec<Vec<i32>> = group.iter().map(|&c| self.profile(c, true)).collect();
            let suffix: Vec<Vec<i32>> = group.iter().map(|&c| self.profile(c, false)).collect();
            let mut best: Option<(i32, usize, usize, usize)> = None;
            for k in 2..=n - 2 {
                for (x, p) in prefix.iter().enumerate() {
                    for (y, s) in suffix.iter().enumerate() {
                        let score = p[k] + s[k];
                        if x != y && best.is_none_or(|b| score > b.0) {
                            best = Some((score, group[x], group[y], k));
                        }
                    }
                }
            }
            pairs.extend(best);
        }
        pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
        let mut out = Vec::new();
        for (_, a, b, k) in pairs.into_iter().take(3) {
            let first = Part { candidate: a, claim: 0..k, alignment: self.align(a, 0..k) };
            let second = Part { candidate: b, claim: k..n, alignment: self.align(b, k..n) };
            let found = self.score(vec![first, second], true);
            let parts_hold = found.parts.iter().all(|p| {
                p.alignment
                    .steps
                    .iter()
                    .filter(|s| matches!(s, Step::Same(..) | Step::Near(..)))
                    .count()
                    >= 2
            });
            let speaker = self.speaker_of(&found);
            let mut speaker_best: f64 = 0.0;
            for f in singles {
                if self.speaker_of(f) == speaker {
                    speaker_best = speaker_best.max(f.similarity);
                }
            }
            if parts_hold
                && found.similarity >= THRESHOLD
                && found.similarity >= speaker_best + STITCH_MARGIN
            {
                out.push(found);
            }
        }
        out
    }

    fn speaker_of(&mut self, f: &Found) -> Option<String> {
        let h = self.first_hit(f);
        self.hits[h].speaker.as_deref().map(|s| self.lexicon.folder.fold(s))
    }

    /// The hits a match aligns the claim with.
    fn hits_of(&self, f: &Found) -> Vec<usize> {
        f.parts.iter().flat_map(|p| self.candidates[p.candidate].hits.iter().copied()).collect()
    }

    fn first_hit(&self, f: &Found) -> usize {
        self.candidates[f.parts[0].candidate].hits[0]
    }

    /// Marks, counts, similarity and the wording verdict of aligned parts. Quotation words a
    /// part leaves out at its ends are elided when the claim has an ellipsis there; else up to
    /// [`LEFT_OUT_AS_MISSING`] of them count as missing, and more make the part an excerpt.
    fn score(&self, parts: Vec<Part>, stitched: bool) -> Found {
        let mut marks = Vec::new();
        let mut changes = Changes::default();
        let mut excerpt = false;
        for (p, part) in parts.iter().enumerate() {
            let a = &part.alignment;
            let m = self.candidates[part.candidate].words.len();
            let lead_gap = self.claim.gaps[part.claim.start];
            let trail_gap = self.claim.gaps[part.claim.end];
            let left_out =
                if lead_gap { 0 } else { a.start } + if trail_gap { 0 } else { m - a.end };
            let outside = left_out > LEFT_OUT_AS_MISSING;
            excerpt |= outside;
            let end_kind = |gap: bool| match (gap, outside) {
                (true, _) => Kind::Elided,
                (false, true) => Kind::Outside,
                (false, false) => Kind::Change,
            };
            let mut c = Changes::default();
            let mut push =
                |kind: Kind, claim: Option<usize>, quote: Option<usize>, c: &mut Changes| {
                    match kind {
                        Kind::Elided => c.elided += 1,
                        Kind::Outside => c.left_out += 1,
                        Kind::Editorial => c.editorial += 1,
                        Kind::Equal => c.matched += 1,
                        Kind::Misspelt => {
                            c.matched += 1;
                            c.misspelt += 1;
                        }
                        // Counted by runs below.
                        Kind::Change => {}
                    }
                    marks.push(Mark { kind, claim, quote: quote.map(|j| (p, j)), part: p });
                };
            for j in 0..a.start {
                push(end_kind(lead_gap), None, Some(j), &mut c);
            }
            for s in &a.steps {
                match *s {
                    Step::Same(i, j) => push(Kind::Equal, Some(i), Some(j), &mut c),
                    Step::Near(i, j) => push(Kind::Misspelt, Some(i), Some(j), &mut c),
                    Step::Replace(i, j) => push(Kind::Change, Some(i), Some(j), &mut c),
                    Step::Insert(i) => push(Kind::Change, Some(i), None, &mut c),
                    Step::Delete(j) => push(Kind::Change, None, Some(j), &mut c),
                    Step::Elided(j) => push(Kind::Elided, None, Some(j), &mut c),
                    Step::Editorial(i, j) => push(Kind::Editorial, Some(i), j, &mut c),
                }
            }
            for j in a.end..m {
                push(end_kind(trail_gap), None, Some(j), &mut c);
            }
            changes.add(&c);
        }
        // A run of changed words, however the alignment went through it, counts as replaced
        // words as far as both sides have words, and added or missing words beyond.
        let mut k = 0;
        while k < marks.len() {
            let mut e = k;
            let (mut claim, mut quote) = (0, 0);
            while e < marks.len() && marks[e].kind == Kind::Change && marks[e].part == marks[k].part
            {
                claim += usize::from(marks[e].claim.is_some());
                quote += usize::from(marks[e].quote.is_some());
                e += 1;
            }
            let both = claim.min(quote);
            changes.replaced += both;
            changes.inserted += claim - both;
            changes.deleted += quote - both;
            k = e.max(k + 1);
        }
        let similarity = changes.similarity();
        let coverage = match (stitched, excerpt) {
            (true, _) => Coverage::Stitched,
            (false, true) => Coverage::Excerpt,
            (false, false) => Coverage::Whole,
        };
        let wording = if similarity < THRESHOLD {
            Verdict::NotFound
        } else if coverage != Coverage::Whole {
            Verdict::Partial
        } else if changes.counted() > 0 {
            Verdict::Close
        } else {
            Verdict::Verbatim
        };
        Found { parts, marks, changes, similarity, coverage, wording, verdict: wording }
    }

    /// The match as reported: diff runs in the words of the claim and quotations, and each
    /// quotation's sources.
    fn to_match(
        &self,
        idx: &QuoteIndex,
        searcher: &Searcher,
        claim_text: &str,
        f: &Found,
    ) -> Result<Match> {
        // The match's quotations in order: a stitched match's two parts, or a candidate's one
        // or two (split by attribution).
        let mut quotations: Vec<usize> = Vec::new();
        for p in &f.parts {
            quotations.extend(&self.candidates[p.candidate].hits);
        }
        let which = |part: usize, word: usize| -> (usize, &QuoteWord) {
            let cand = &self.candidates[f.parts[part].candidate];
            let w = &cand.words[word];
            let hit = cand.hits[w.segment];
            (quotations.iter().position(|&h| h == hit).unwrap_or(0), w)
        };
        // The first quotation of each part, for claim words that have no quotation word.
        let part_first: Vec<usize> = f
            .parts
            .iter()
            .map(|p| {
                let hit = self.candidates[p.candidate].hits[0];
                quotations.iter().position(|&h| h == hit).unwrap_or(0)
            })
            .collect();
        let quotation_of = |m: &Mark| m.quote.map(|(p, j)| which(p, j).0);
        let mut diff: Vec<Run> = Vec::new();
        let mut k = 0;
        let mut last: Option<(usize, usize)> = None;
        while k < f.marks.len() {
            let (kind, part) = (f.marks[k].kind, f.marks[k].part);
            let q = quotation_of(&f.marks[k]).unwrap_or(match last {
                Some((p, q)) if p == part => q,
                _ => part_first[part],
            });
            let mut e = k + 1;
            while e < f.marks.len()
                && f.marks[e].kind == kind
                && f.marks[e].part == part
                && quotation_of(&f.marks[e]).is_none_or(|x| x == q)
            {
                e += 1;
            }
            let run = &f.marks[k..e];
            let claim_words: Vec<usize> = run.iter().filter_map(|m| m.claim).collect();
            let quote_words: Vec<&QuoteWord> =
                run.iter().filter_map(|m| m.quote.map(|(p, j)| which(p, j).1)).collect();
            let claim = (!claim_words.is_empty()).then(|| {
                let (first, last) = (
                    &self.claim.words[claim_words[0]],
                    &self.claim.words[*claim_words.last().unwrap()],
                );
                excerpt_of(claim_text, first.span.start..last.span.end, kind == Kind::Editorial)
            });
            let quote = (!quote_words.is_empty()).then(|| {
                let text = &self.hits[quotations[q]].quote;
                excerpt_of(
                    text,
                    quote_words[0].span.start..quote_words.last().unwrap().span.end,
                    false,
                )
            });
            let op = match (kind, claim.is_some(), quote.is_some()) {
                (Kind::Equal, _, _) => Op::Equal,
                (_, true, true) => Op::Replace,
                (_, true, false) => Op::Insert,
                _ => Op::Delete,
            };
            let note = match kind {
                Kind::Misspelt => Some(Note::Misspelt),
                Kind::Elided => Some(Note::Ellipsis),
                Kind::Editorial => Some(Note::Editorial),
                Kind::Outside => Some(Note::Outside),
                Kind::Equal | Kind::Change => None,
            };
            diff.push(Run { op, claim, quote, note, quotation: q });
            last = Some((part, q));
            k = e;
        }
        let mut sources = Vec::with_capacity(quotations.len());
        for &h in &quotations {
            sources.push(source(idx, searcher, &self.hits[h])?);
        }
        Ok(Match {
            verdict: f.verdict,
            summary: String::new(),
            wording: f.wording,
            similarity: (f.similarity * 1000.0).round() / 1000.0,
            coverage: f.coverage,
            split_by_attribution: f.coverage != Coverage::Stitched && quotations.len() == 2,
            changes: f.changes,
            diff,
            quotations: sources,
        })
    }
}

/// Whether two quotations stand in one paragraph of one article, by one known speaker.
fn same_paragraph(a: &Hit, b: &Hit) -> bool {
    a.speaker.is_some()
        && a.speaker == b.speaker
        && a.file == b.file
        && a.line == b.line
        && a.paragraph_number == b.paragraph_number
}

/// The words `span` of `text` with the punctuation that closes them (`bridge,`), and the
/// brackets around them when `bracketed`.
fn excerpt_of(text: &str, span: Range<usize>, bracketed: bool) -> String {
    let closing = |c: char| ",.;:!?)]'’".contains(c) || (bracketed && c == ']');
    let mut end = span.end;
    for c in text[end..].chars() {
        if !closing(c) {
            break;
        }
        end += c.len_utf8();
    }
    let mut start = span.start;
    if let Some(c) = text[..start].chars().next_back() {
        if c == '[' || c == '(' {
            start -= c.len_utf8();
        }
    }
    let mut s = text[start..end].to_string();
    // An unbalanced closing bracket taken with the punctuation reads as noise.
    if s.ends_with(']') && !s.contains('[') {
        s.pop();
    }
    if s.ends_with(')') && !s.contains('(') {
        s.pop();
    }
    s
}

/// The words of `quotation` a claim's `n` words are aligned with: all of them, or, for a
/// quotation too long to align whole within [`MAX_CELLS`], the stretch of that many words that
/// holds the most of the claim's words.
fn window(words: &[QuoteWord], wanted: &HashSet<u32>, n: usize) -> Range<usize> {
    let m = words.len();
    if (n + 1) * (m + 1) <= MAX_CELLS {
        return 0..m;
    }
    let width = (MAX_CELLS / (n + 1)).saturating_sub(1).max(1);
    let hit = |j: usize| usize::from(wanted.contains(&words[j].id));
    let mut count: usize = (0..width).map(hit).sum();
    let (mut best, mut at) = (count, 0);
    for start in 1..=m - width {
        count = count + hit(start + width - 1) - hit(start - 1);
        if count > best {
            (best, at) = (count, start);
        }
    }
    at..at + width
}

/// A quotation's sources: every article carrying its words, earliest first.
fn source(idx: &QuoteIndex, searcher: &Searcher, hit: &Hit) -> Result<Source> {
    let (copies, total) = search::copies(idx, searcher, &hit.quote, MAX_ARTICLES)?;
    let earliest = copies.first().unwrap_or(hit);
    let articles: Vec<ArticleRef> = copies
        .iter()
        .map(|c| ArticleRef {
            date: c.date,
            file: c.file.clone(),
            line: c.line,
            title: c.title.clone(),
            url: c.url.clone(),
            paragraph_number: c.paragraph_number,
        })
        .collect();
    // A heading repeating a quotation of its own article is one article.
    let distinct: HashSet<(&str, Option<u64>)> =
        copies.iter().map(|c| (c.file.as_str(), c.line)).collect();
    let occurrences = (distinct.len() + total.saturating_sub(copies.len())).max(1) as u64;
    Ok(Source {
        id: earliest.id.clone(),
        quote: hit.quote.clone(),
        speaker: hit.speaker.clone(),
        role: hit.role.clone(),
        first_date: copies.iter().find_map(|c| c.date).or(hit.date),
        occurrences,
        paragraph: earliest.paragraph.clone(),
        paragraph_number: earliest.paragraph_number,
        articles,
    })
}

/// "N words" / "1 word".
fn words(n: usize) -> String {
    format!("{n} word{}", if n == 1 { "" } else { "s" })
}

/// What changed, in words: `2 words changed, 1 added, 3 missing`.
pub fn describe_changes(c: &Changes) -> String {
    let mut parts = Vec::new();
    if c.replaced > 0 {
        parts.push(format!("{} changed", words(c.replaced)));
    }
    for (n, what) in [(c.inserted, "added"), (c.deleted, "missing")] {
        if n > 0 {
            parts.push(if parts.is_empty() {
                format!("{} {what}", words(n))
            } else {
                format!("{n} {what}")
            });
        }
    }
    parts.join(", ")
}

/// What the check let pass, in words: `1 misspelt word, 3 words at an ellipsis`.
pub fn describe_allowances(c: &Changes) -> String {
    let mut parts = Vec::new();
    if c.misspelt > 0 {
        parts.push(format!("{} misspelt", words(c.misspelt)));
    }
    if c.elided > 0 {
        parts.push(format!("{} left out at an ellipsis", words(c.elided)));
    }
    if c.editorial > 0 {
        parts.push(format!("{} in brackets", words(c.editorial)));
    }
    parts.join(", ")
}

/// The verdict in one line: `close: 2 words changed, said by Adaeze Okafor, first reported
/// 2023-06-02 (3 articles)`.
pub fn summary(c: &Checked) -> String {
    let Some(m) = c.matches.first() else {
        return "not-found: no quotation in the index shares enough words with the claim".into();
    };
    if m.verdict == Verdict::NotFound {
        return format!(
            "not-found: no quotation reaches similarity {:.2}; the nearest ({:.2}) is {}",
            c.threshold,
            m.similarity,
            by(&m.quotations[0])
        );
    }
    headline(m, c.speaker.as_deref())
}

/// One match's verdict in one line (the first is the claim's [`summary`]).
pub fn headline(m: &Match, claimed: Option<&str>) -> String {
    let first = &m.quotations[0];
    if m.verdict == Verdict::NotFound {
        let date = first.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        return format!("not-found: similarity {:.2}, {}, {date}", m.similarity, said_by(first));
    }
    let reported = |s: &Source| {
        let date = s.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        let n = s.occurrences;
        format!("first reported {date} ({n} article{})", if n == 1 { "" } else { "s" })
    };
    let changes = describe_changes(&m.changes);
    let allowances = describe_allowances(&m.changes);
    let what = match (m.wording, m.coverage) {
        (_, Coverage::Stitched) => "stitched from two quotations".to_string(),
        (_, Coverage::Excerpt) => {
            let mut s = format!(
                "part of a longer quotation ({} of it left out)",
                words(m.changes.left_out)
            );
            if !changes.is_empty() {
                s.push_str(&format!(", {changes}"));
            }
            s
        }
        (Verdict::Close, _) => changes,
        _ => String::new(),
    };
    let mut line = match m.verdict {
        Verdict::DifferentSpeaker => {
            let claimed = claimed.unwrap_or("the claimed speaker");
            format!("different-speaker: {}, not {claimed}", said_by(first))
        }
        v => {
            if what.is_empty() {
                format!("{}: {}", v.name(), said_by(first))
            } else {
                format!("{}: {what}, {}", v.name(), said_by(first))
            }
        }
    };
    if m.coverage == Coverage::Stitched && m.quotations.len() == 2 {
        let date =
            |s: &Source| s.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        line.push_str(&format!(
            ", first reported {} and {}",
            date(&m.quotations[0]),
            date(&m.quotations[1])
        ));
    } else {
        line.push_str(&format!(", {}", reported(first)));
    }
    if m.verdict == Verdict::DifferentSpeaker {
        line.push_str(&format!("; the words: {}", m.wording.name()));
        if !what.is_empty() {
            line.push_str(&format!(", {what}"));
        }
    }
    if m.split_by_attribution {
        line.push_str("; one sentence split by its attribution");
    }
    if !allowances.is_empty() {
        line.push_str(&format!("; {allowances}"));
    }
    line
}

fn said_by(s: &Source) -> String {
    match &s.speaker {
        Some(name) => format!("said by {name}"),
        None => "said by an unknown speaker".to_string(),
    }
}

fn by(s: &Source) -> String {
    match &s.speaker {
        Some(name) => format!("by {name}"),
        None => "by an unknown speaker".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(matched: usize, replaced: usize, inserted: usize, deleted: usize) -> Changes {
        Changes { matched, replaced, inserted, deleted, ..Changes::default() }
    }

    #[test]
    fn similarity_and_descriptions() {
        // (name, changes, similarity, described)
        let cases: &[(&str, Changes, f64, &str)] = &[
            ("all matched", changes(10, 0, 0, 0), 1.0, ""),
            ("one replaced in ten", changes(9, 1, 0, 0), 0.9, "1 word changed"),
            ("two added", changes(10, 0, 2, 0), 20.0 / 22.0, "2 words added"),
            ("a clause missing", changes(17, 0, 0, 6), 34.0 / 40.0, "6 words missing"),
            ("mixed", changes(8, 2, 1, 3), 16.0 / 24.0, "2 words changed, 1 added, 3 missing"),
            (
                "allowances do not count",
                Changes {
                    misspelt: 2,
                    elided: 4,
                    editorial: 1,
                    left_out: 9,
                    ..changes(6, 0, 0, 0)
                },
                1.0,
                "",
            ),
            ("nothing (negative)", changes(0, 0, 0, 0), 0.0, ""),
        ];
        for (name, c, sim, described) in cases {
            assert!((c.similarity() - sim).abs() < 1e-9, "case {name}: {}", c.similarity());
            assert_eq!(describe_changes(c), *described, "case {name}");
        }
        let c = Changes { misspelt: 1, elided: 3, editorial: 2, ..Changes::default() };
        assert_eq!(
            describe_allowances(&c),
            "1 word misspelt, 3 words left out at an ellipsis, 2 words in brackets"
        );
    }

    #[test]
    fn excerpts_keep_their_punctuation() {
        let text = "We will [the mayor] build it, she said (twice).";
        // (name, span, bracketed, excerpt)
        let cases: &[(&str, Range<usize>, bool, &str)] = &[
            ("closing comma", 26..28, false, "it,"),
            ("brackets kept for editorial words", 9..18, true, "[the mayor]"),
            ("inside parentheses", 40..45, false, "(twice)."),
            ("nothing to add (negative)", 0..2, false, "We"),
        ];
        for (name, span, bracketed, want) in cases {
            assert_eq!(excerpt_of(text, span.clone(), *bracketed), *want, "case {name}");
        }
    }

    #[test]
    fn long_quotations_align_on_their_densest_stretch() {
        let n = 99; // claim words: 100 cells a quotation word, 2 499 quotation words at most
        let wanted: HashSet<u32> = [7].into_iter().collect();
        let words = |ids: &[u32]| -> Vec<QuoteWord> {
            ids.iter().map(|&id| QuoteWord { id, segment: 0, span: 0..0 }).collect()
        };
        let short = words(&[7; 100]);
        assert_eq!(window(&short, &wanted, n), 0..100, "short: whole");
        let mut ids = vec![0u32; 6000];
        ids[4000..4010].fill(7);
        let long = words(&ids);
        let w = window(&long, &wanted, n);
        assert_eq!(w.len(), MAX_CELLS / (n + 1) - 1);
        assert!(w.contains(&4000) && w.contains(&4009), "{w:?}");
    }
}
