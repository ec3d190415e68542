//! Comparing a claim with its candidate quotations: each aligned whole (`align`), two
//! quotations of one paragraph also as one (a sentence split by its attribution), pairs of one
//! speaker's quotations for claims stitched from two; each alignment scored (similarity,
//! changes, coverage, the verdict on its words); the best turned into diff runs in the words of
//! claim and quotation, with their sources.
//!
//! Below `check` (the parent), which picks the candidates and weighs the claimed speaker; data
//! only. Work is bounded by the parent's budgets (`MAX_CELLS` per quotation, `CHECK_CELLS` per
//! check).

use std::collections::HashSet;
use std::ops::Range;

use anyhow::Result;
use tantivy::Searcher;

use super::{
    quote_words, Aligner, Alignment, ArticleRef, Changes, Claim, Coverage, Folder, Match, Note, Op,
    Pair, Run, Source, Step, Verdict, CHECK_CELLS, LEFT_OUT_AS_MISSING, MAX_ARTICLES, MAX_CELLS,
    STITCH_MARGIN, THRESHOLD,
};
use crate::index::QuoteIndex;
use crate::quote::fasthash::FastMap;
use crate::search::{self, Hit};

/// Words by number, so that an alignment compares numbers, and which quotation words are
/// misspellings of which claim words.
#[derive(Default)]
pub(super) struct Lexicon {
    ids: FastMap<String, u32>,
    texts: Vec<String>,
    /// The claim's own words (not bracketed) by first letter: a misspelling keeps it.
    claim_by_initial: FastMap<char, Vec<u32>>,
    /// Per word number: the claim words it is a misspelling of (empty for nearly all), or
    /// `None` while not looked at.
    near: Vec<Option<Vec<u32>>>,
    pub(super) folder: Folder,
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
pub(super) struct Candidate {
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
pub(super) struct Found {
    parts: Vec<Part>,
    marks: Vec<Mark>,
    pub(super) changes: Changes,
    pub(super) similarity: f64,
    coverage: Coverage,
    pub(super) wording: Verdict,
    /// The wording's verdict weighed with the claimed speaker (set by `check`).
    pub(super) verdict: Verdict,
}

/// The state of one check: the claim, its candidates as numbered words, and the aligner.
pub(super) struct Work<'a> {
    claim: &'a Claim,
    hits: &'a [Hit],
    claim_ids: Vec<u32>,
    editorial: Vec<bool>,
    pub(super) candidates: Vec<Candidate>,
    lexicon: &'a mut Lexicon,
    aligner: Aligner,
    /// Alignment cells this check may still fill ([`CHECK_CELLS`]).
    cells_left: usize,
}

impl<'a> Work<'a> {
    pub(super) fn new(claim: &'a Claim, hits: &'a [Hit], lexicon: &'a mut Lexicon) -> Work<'a> {
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
    pub(super) fn cells(&self, c: usize) -> usize {
        (self.claim.words.len() + 1) * (self.candidates[c].window.len() + 1)
    }

    /// Takes `cells` from the check's budget, if it has them.
    pub(super) fn spend(&mut self, cells: usize) -> bool {
        let ok = cells <= self.cells_left;
        if ok {
            self.cells_left -= cells;
        }
        ok
    }

    /// The claim aligned with candidate `c` whole.
    pub(super) fn single(&mut self, c: usize) -> Found {
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
    pub(super) fn stitched(&mut self, singles: &[Found]) -> Vec<Found> {
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
    pub(super) fn hits_of(&self, f: &Found) -> Vec<usize> {
        f.parts.iter().flat_map(|p| self.candidates[p.candidate].hits.iter().copied()).collect()
    }

    pub(super) fn first_hit(&self, f: &Found) -> usize {
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
    pub(super) fn to_match(
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

#[cfg(test)]
mod tests {
    use super::*;

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
