//! `quoth check`: did they really say it? A claimed quotation in, a verdict out: `verbatim`,
//! `close`, `partial`, `different-speaker` or `not-found`, with a similarity, a word-level diff
//! and the articles that carry the quotation.
//!
//! One check, from the bottom up: `words` reads the claim and quotations into words, `align`
//! aligns the claim with one quotation; `compare` aligns it with every candidate (two quotations
//! of one paragraph also as one, pairs of quotations of one speaker for claims stitched from
//! two), scores and classifies the alignments and turns the best into diffs with their sources
//! (`search::copies`); `summary` puts verdicts into words. This module holds what a check
//! answers and joins the steps ([`check`]): candidates from the index (`search::similar`: a
//! disjunction of the claim's rarest words, once unfiltered and once for the claimed speaker),
//! compared, the claimed speaker weighed, sorted. Data in, data out: `output` renders a
//! [`Checked`], `server` serialises it, `main` picks the exit code.
//!
//! Bounded per request: at most [`CANDIDATES`] + [`SPEAKER_CANDIDATES`] quotations, claims of at
//! most [`MAX_CLAIM_WORDS`] words, at most [`MAX_CELLS`] alignment cells per quotation (a longer
//! quotation is aligned on the stretch holding most of the claim's words) and [`CHECK_CELLS`] in
//! all, at most [`MAX_ARTICLES`] articles listed per quotation.

use std::collections::HashSet;

use anyhow::Result;
use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use crate::article::Date;
use crate::index::{schema, QuoteIndex};
use crate::search::{self, Hit, InvalidQuery, SearchQuery};

mod align;
mod compare;
mod summary;
mod words;

pub use align::{Aligner, Alignment, Pair, Step};
pub use summary::{describe_allowances, describe_changes, headline, summary};
pub use words::{claim_words, edit_distance, quote_words, quoted_parts, Claim, Folder, Word};

use compare::{Found, Lexicon, Work};

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
        // The asker's mistakes are typed, so that `quoth serve` answers them 400, not 500.
        return Err(InvalidQuery("the claim has no words to check".to_string()).into());
    }
    if claim.words.len() > MAX_CLAIM_WORDS {
        return Err(InvalidQuery(format!(
            "the claim has {} words: quoth checks at most {MAX_CLAIM_WORDS}, one quotation at a time",
            claim.words.len()
        ))
        .into());
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
            return Err(
                InvalidQuery(format!("invalid speaker name '{name}': it has no letters")).into()
            );
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
