//! Quote extraction: `extract(&Article) -> Vec<Quote>`, every direct quotation in an article
//! with its speaker.
//!
//! Knows nothing of the index, the command line or output. The work is split by rule family:
//! - `marks`: which quotation marks open and close spans (apostrophes, nesting, British style);
//! - `text`: tokens of the narrative text around the spans;
//! - `words`: case-insensitive word sets, the bottom layer every other part looks words up in;
//! - `cues`: the word lists (speech verbs, adverbs, pronouns, stop words);
//! - `names`: name chunks, titles, roles and the article's table of people and organisations;
//! - `attribute`: speech verbs before and after a quotation and the noun phrase they point at;
//! - `filter`: whether a quoted span is a quotation or a scare quote, nickname or title;
//! - `qa`: question-and-answer interviews;
//! - `context`: the text kept around a quotation for display.
//!
//! This module joins quotations that run over several paragraphs and applies the rules that
//! need the whole article: continuation paragraphs, pull quotes, and speakers named in the
//! neighbouring sentence.

mod attribute;
mod context;
mod cues;
pub mod fasthash;
mod filter;
mod marks;
mod names;
mod qa;
mod text;
mod words;

use serde::Serialize;

pub use context::Contexts;

use crate::article::Article;
use attribute::{Found, Para};
use names::{Entities, EntityKind};
use text::Kind;

/// A direct quotation found in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The words inside the quotation marks; paragraphs of a multi-paragraph quotation are
    /// joined by a space.
    pub text: String,
    /// Canonical speaker name as the article gives it in full, without titles.
    pub speaker: Option<String>,
    /// The speaker's title or appositive (`Senator`, `chief economist at Norbank`).
    pub role: Option<String>,
    /// Index (0-based) of the paragraph where the quotation starts, and where it ends.
    pub paragraph: usize,
    pub end_paragraph: usize,
    /// Byte offsets of the quoted text: start in `paragraph`, end in `end_paragraph`.
    pub start: usize,
    pub end: usize,
    /// Which rule found the speaker.
    pub rule: Rule,
}

/// How a quotation's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A speech verb right after the quotation (`“…,” Okafor said`).
    CueAfter,
    /// A speech verb before it in the same sentence (`Okafor said: “…”`).
    CueBefore,
    /// A name before a colon (`Okafor was blunt: “…”`).
    Colon,
    /// The subject of the sentence around a quotation that no speech verb governs
    /// (`Okafor hailed the vote as “a fine day for the port.”`).
    Subject,
    /// A paragraph-long quotation continuing the previous paragraph's speaker.
    Continuation,
    /// A pull quote or heading repeating a quotation from the body.
    PullQuote,
    /// Another attributed quotation in the same paragraph.
    SameParagraph,
    /// A quotation that is a sentence of its own, after a sentence about a person
    /// (`Okafor was asked about the report. “No comment.”`).
    PreviousSentence,
    /// The speaker is named in the sentence that follows, or in a dash byline under a
    /// quotation standing alone (`— Okafor, Veld.`).
    NextSentence,
    /// An answer in a question-and-answer interview.
    Interview,
    /// No speaker could be found.
    None,
}

impl Rule {
    /// The rule's name as shown in `quoth extract --json` (`cue-after`, `pronoun`…).
    pub fn name(self) -> &'static str {
        match self {
            Rule::CueAfter => "cue-after",
            Rule::CueBefore => "cue-before",
            Rule::Colon => "colon",
            Rule::Subject => "subject",
            Rule::Continuation => "continuation",
            Rule::PullQuote => "pull-quote",
            Rule::SameParagraph => "same-paragraph",
            Rule::PreviousSentence => "previous-sentence",
            Rule::NextSentence => "next-sentence",
            Rule::Interview => "interview",
            Rule::None => "none",
        }
    }
}

/// A quoted span (or run of spans over paragraphs) before attribution.
struct Candidate {
    /// (paragraph, span index) of each part, in order.
    parts: Vec<(usize, usize)>,
    text: String,
    speaker: Option<usize>,
    rule: Rule,
    found: Option<Found>,
    whole_paragraph: bool,
    /// An interview answer: (paragraph, text start).
    answer: Option<(usize, usize)>,
}

thread_local! {
    /// The token vector `extract` fills, reused by the thread's next article.
    static TOKENS: std::cell::RefCell<Vec<text::Tok>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The thread's token vector for one article, given back (emptied) when dropped, unless an
/// unusually long article made it big.
struct TokenBuffer(Vec<text::Tok>);

impl TokenBuffer {
    fn take() -> TokenBuffer {
        let mut toks = TOKENS.with(|t| std::mem::take(&mut *t.borrow_mut()));
        toks.clear();
        TokenBuffer(toks)
    }
}

impl Drop for TokenBuffer {
    fn drop(&mut self) {
        if self.0.capacity() <= 1 << 16 {
            let toks = std::mem::take(&mut self.0);
            TOKENS.with(|t| *t.borrow_mut() = toks);
        }
    }
}

/// Extracts every direct quotation of `article`, attributed where the text allows.
pub fn extract(article: &Article) -> Vec<Quote> {
    let paragraphs = &article.paragraphs;
    let style = marks::detect_style(paragraphs);
    let interview = qa::detect(paragraphs);
    let spans: Vec<Vec<marks::Span>> = paragraphs
        .iter()
        .zip(&interview)
        .map(|(p, line)| match line {
            Some(_) => Vec::new(),
            None => marks::find_spans(p, style),
        })
        .collect();
    // Nothing quoted and no interview: nothing to attribute, so skip the name analysis.
    if spans.iter().all(Vec::is_empty) && interview.iter().all(Option::is_none) {
        return Vec::new();
    }
    // The tokens of every paragraph in one vector, kept by the thread from one article to the
    // next: a fresh vector per article cost the kernel a twentieth of indexing time in zeroed
    // pages.
    let mut buffer = TokenBuffer::take();
    let all_toks = &mut buffer.0;
    let mut tok_ranges = Vec::with_capacity(paragraphs.len());
    for (p, s) in paragraphs.iter().zip(&spans) {
        let from = all_toks.len();
        text::tokenize_into(p, s, all_toks);
        tok_ranges.push(from..all_toks.len());
    }
    let all_toks = &*all_toks;
    let tok_lists: Vec<&[text::Tok]> = tok_ranges.into_iter().map(|r| &all_toks[r]).collect();
    let mut chunk_lists: Vec<Vec<names::Chunk>> =
        paragraphs.iter().zip(&tok_lists).map(|(p, toks)| names::find_chunks(p, toks)).collect();
    // A headline in title case ("Okafor Slams Port Deal As Talks Collapse") is one long
    // capitalised run: no names are taken from it, so later surnames find the body's people.
    if let (Some(chunks), Some(p), Some(toks)) =
        (chunk_lists.first_mut(), paragraphs.first(), tok_lists.first())
    {
        if is_title_case_headline(p, toks) {
            chunks.clear();
        }
    }
    let mut paras: Vec<Para> = Vec::with_capacity(paragraphs.len());
    let mut ents = {
        let mut views: Vec<(&str, &[text::Tok], Vec<names::Chunk>)> = paragraphs
            .iter()
            .zip(&tok_lists)
            .zip(chunk_lists.drain(..))
            .map(|((p, t), c)| (p.as_str(), *t, c))
            .collect();
        let ents = Entities::build(&mut views);
        chunk_lists.extend(views.into_iter().map(|v| v.2));
        ents
    };
    for ((p, toks), chunks) in paragraphs.iter().zip(tok_lists).zip(chunk_lists) {
        paras.push(Para::new(p, toks, chunks));
    }

    let mut cands = candidates(paragraphs, &spans, &interview);
    attribute_direct(&mut cands, &paras, &mut ents, &interview);
    attribute_from_context(&mut cands, &paras, &ents);

    cands
        .into_iter()
        .filter_map(|mut c| {
            let keep = c.answer.is_some() || is_quotation(&mut c, &paras, &ents);
            keep.then(|| to_quote(c, &spans, &ents, paragraphs))
        })
        .collect()
}

/// Whether a first paragraph is a headline in title case: every word of four letters or more
/// outside quotations capitalised, at least four of them, and after the first word a
/// capitalised function word or speech verb that no name holds (`Says`, `As`, `The`).
fn is_title_case_headline(p: &str, toks: &[text::Tok]) -> bool {
    let (mut long, mut function_word) = (0, false);
    for (k, t) in toks.iter().filter(|t| t.kind == Kind::Word).enumerate() {
        let w = text::tok_text(p, t);
        if !text::is_capitalised(w) {
            if w.chars().count() >= 4 {
                return false;
            }
            continue;
        }
        long += (w.chars().count() >= 4) as usize;
        function_word |= k > 0 && (cues::is_stop_cap(w) || cues::is_cue(w));
    }
    long >= 4 && function_word
}

/// Collects quoted spans, joining a paragraph that opens a quotation without closing it with
/// the next paragraph when that one opens with a quotation mark (the typographic convention
/// for quotations that run over paragraphs).
fn candidates(
    paragraphs: &[String],
    spans: &[Vec<marks::Span>],
    interview: &[Option<qa::Line>],
) -> Vec<Candidate> {
    let new = |parts: Vec<(usize, usize)>| Candidate {
        parts,
        text: String::new(),
        speaker: None,
        rule: Rule::None,
        found: None,
        whole_paragraph: false,
        answer: None,
    };
    let mut out = Vec::new();
    let mut pending: Option<Candidate> = None;
    for (p, ss) in spans.iter().enumerate() {
        if let Some(qa::Line::Answer { text_start, .. }) = &interview[p] {
            let mut c = new(Vec::new());
            c.answer = Some((p, *text_start));
            c.whole_paragraph = true;
            out.extend(pending.take());
            out.push(c);
            continue;
        }
        for (si, s) in ss.iter().enumerate() {
            if si == 0 && s.open == 0 {
                if let Some(mut c) = pending.take() {
                    c.parts.push((p, si));
                    if s.closed || ss.len() > 1 {
                        out.push(c);
                    } else {
                        pending = Some(c);
                    }
                    continue;
                }
            }
            out.extend(pending.take());
            if s.closed {
                out.push(new(vec![(p, si)]));
            } else {
                pending = Some(new(vec![(p, si)]));
            }
        }
        if pending.as_ref().is_some_and(|c| c.parts.last().unwrap().0 != p) {
            out.extend(pending.take());
        }
    }
    out.extend(pending);
    for c in &mut out {
        if let Some((p, start)) = c.answer {
            c.text = paragraphs[p][start..].trim().to_string();
            continue;
        }
        let texts: Vec<&str> = c
            .parts
            .iter()
            .map(|&(p, si)| {
                let s = spans[p][si];
                paragraphs[p][s.text_start..s.text_end].trim()
            })
            .collect();
        c.text = texts.join(" ");
        c.whole_paragraph = c.parts.iter().all(|&(p, si)| {
            let s = spans[p][si];
            let para = &paragraphs[p];
            ss_only(para, s)
        });
    }
    out
}

/// Whether span `s` is all of paragraph `para` (apart from trailing punctuation).
fn ss_only(para: &str, s: marks::Span) -> bool {
    para[..s.open].trim().is_empty()
        && para[s.end..]
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .is_empty()
}

/// First pass: speech verbs around each quotation, in text order, so that pronouns see the
/// speakers of earlier quotations.
fn attribute_direct(
    cands: &mut [Candidate],
    paras: &[Para],
    ents: &mut Entities,
    interview: &[Option<qa::Line>],
) {
    let interviewee = interviewee(ents, interview);
    // Where the scan for speech verbs outside quotations has reached.
    let mut scanned = (0, 0);
    for c in cands.iter_mut() {
        let here = match c.answer {
            Some((p, _)) => (p, 0),
            None => (c.parts[0].0, paras[c.parts[0].0].quote_tok[c.parts[0].1]),
        };
        narrative_speakers(paras, ents, &mut scanned, here);
        if let Some((p, _)) = c.answer {
            c.rule = Rule::Interview;
            c.speaker = match &interview[p] {
                Some(qa::Line::Answer { label: Some(l), .. }) => {
                    let last = l.split_whitespace().last().unwrap_or(l);
                    ents.resolve_word(last, (p, 0))
                }
                _ => interviewee,
            };
            continue;
        }
        let (fp, fs) = c.parts[0];
        let (lp, ls) = *c.parts.last().unwrap();
        let first_q = paras[fp].quote_tok[fs];
        let last_q = paras[lp].quote_tok[ls];
        let ends_sentence = c.text.ends_with(['.', '…']) && !c.text.ends_with("...");
        let mut tries: [(Rule, usize, Option<Found>); 3] = [
            (
                Rule::CueAfter,
                lp,
                (!ends_sentence).then(|| attribute::cue_after(&paras[lp], last_q)).flatten(),
            ),
            (Rule::CueBefore, fp, attribute::cue_before(&paras[fp], first_q)),
            (Rule::Colon, fp, attribute::colon(&paras[fp], first_q)),
        ];
        // "The coach added that her side had “…” once Rovers began pressing, and said …": a
        // speech verb before the quotation in its own sentence beats one found further on
        // after a comma.
        if tries[0].2.as_ref().is_some_and(|f| !f.direct) && tries[1].2.is_some() {
            tries.swap(0, 1);
        }

        // "“…” The questions came from Bekzod Tursunov." Decided here rather than with the
        // other context rules so that later pronouns see this speaker.
        if tries.iter().all(|t| t.2.is_none()) {
            let referred = if c.whole_paragraph {
                paras.get(lp + 1).and_then(|next| referring_sentence_speaker(next, 0, ents))
            } else if ends_sentence {
                referring_sentence_speaker(&paras[lp], last_q + 1, ents)
            } else {
                None
            };
            if let Some(e) = referred {
                c.speaker = Some(e);
                c.rule = Rule::NextSentence;
                ents.add_speaker_mention(e, (fp, first_q));
                continue;
            }
        }
        for (rule, p, found) in tries {
            let Some(found) = found else { continue };
            let q = if p == fp { first_q } else { last_q };
            let speaker =
                attribute::resolve(ents, &paras[p], p, &found.np, (p, found.at.unwrap_or(q)));
            let group = found.np.is_nobody();
            c.found = Some(found);
            if speaker.is_some() || group {
                c.speaker = speaker;
                c.rule = if speaker.is_some() { rule } else { Rule::None };
                if let Some(e) = speaker {
                    ents.add_speaker_mention(e, (fp, first_q));
                }
                break;
            }
        }
        // No speech verb at all: the subject of the quotation's own sentence. Only then, so that
        // the quotation filter, which weighs a cue's presence, sees the same facts as before.
        if c.found.is_none() {
            if let Some(e) = subject_speaker(&paras[fp], fp, first_q, ents) {
                c.speaker = Some(e);
                c.rule = Rule::Subject;
                ents.add_speaker_mention(e, (fp, first_q));
            }
        }
    }
}

/// Records as speakers, for the pronouns that follow, the people whom speech verbs report in
/// the narrative between `from` and `to` (`Alder argues.` ¶ `“…,” he says.`: Alder, not
/// the candidate his sentence was about). Moves `from` to `to`.
fn narrative_speakers(
    paras: &[Para],
    ents: &mut Entities,
    from: &mut (usize, usize),
    to: (usize, usize),
) {
    if *from >= to {
        return;
    }
    for (para, p) in paras.iter().enumerate().take(to.0 + 1).skip(from.0) {
        let start = if para == from.0 { from.1 } else { 0 };
        let end = if para == to.0 { to.1 } else { p.toks.len() };
        let first = p.chunks.partition_point(|c| c.tok_start < start);
        for c in first..p.chunks.len() {
            if p.chunks[c].tok_start >= end {
                break;
            }
            let Some(e) = p.chunks[c].entity else { continue };
            if ents.list[e].kind != EntityKind::Person {
                continue;
            }
            if let Some(k) = attribute::narrative_cue(p, c).filter(|&k| k < end) {
                ents.add_speaker_mention(e, (para, k));
            }
        }
    }
    *from = to;
}

/// `attribute::sentence_subject` resolved to a person or an organisation: never a place or
/// something the article does not tell apart.
fn subject_speaker(p: &Para, para: usize, q: usize, ents: &Entities) -> Option<usize> {
    let found = attribute::sentence_subject(p, q)?;
    let e = attribute::resolve(ents, p, para, &found.np, (para, found.at.unwrap_or(q)))?;
    matches!(ents.list[e].kind, EntityKind::Person | EntityKind::Org).then_some(e)
}

/// The person an interview's unlabelled answers belong to: the person named most often as a
/// subject outside the question-and-answer paragraphs.
fn interviewee(ents: &Entities, interview: &[Option<qa::Line>]) -> Option<usize> {
    let mut counts = vec![0usize; ents.list.len()];
    for m in &ents.mentions {
        if interview[m.pos.0].is_none() && ents.list[m.entity].kind == EntityKind::Person {
            counts[m.entity] += 1 + m.subject as usize;
        }
    }
    let best = counts.iter().enumerate().max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
    (*best.1 > 0).then_some(best.0)
}

/// Second pass: quotations no speech verb attaches to take their speaker from context.
fn attribute_from_context(cands: &mut [Candidate], paras: &[Para], ents: &Entities) {
    // Only a lone-paragraph quotation without a speaker looks for the body text it repeats.
    let pull_quotes = cands.iter().any(|c| c.whole_paragraph && c.rule == Rule::None);
    let norms: Vec<String> =
        if pull_quotes { cands.iter().map(|c| normalise(&c.text)).collect() } else { Vec::new() };
    for i in 0..cands.len() {
        if cands[i].rule != Rule::None || cands[i].found.as_ref().is_some_and(|f| f.np.is_nobody())
        {
            continue;
        }
        let (fp, fs) = cands[i].parts[0];
        if cands[i].whole_paragraph {
            if let Some(s) = byline_speaker(paras, cands[i].parts.last().unwrap().0, ents) {
                cands[i].speaker = Some(s);
                cands[i].rule = Rule::NextSentence;
                continue;
            }
            if let Some(j) = pull_quote_source(cands, &norms, i) {
                cands[i].speaker = cands[j].speaker;
                cands[i].rule = Rule::PullQuote;
                continue;
            }
            if let Some(s) = dialogue_speaker(cands, i, fp, paras) {
                cands[i].speaker = Some(s);
                cands[i].rule = Rule::Continuation;
                continue;
            }
            if let Some(s) = answer_speaker(cands, i, fp, paras, ents) {
                cands[i].speaker = Some(s);
                cands[i].rule = Rule::Continuation;
                continue;
            }
            // "He said:" closing the paragraph before: the colon introduces this quotation.
            if let Some(found) = fp.checked_sub(1).and_then(|prev| {
                let p = &paras[prev];
                attribute::colon(p, p.toks.len()).map(|f| (prev, f))
            }) {
                let (prev, found) = found;
                let at = (prev, paras[prev].toks.len());
                if let Some(s) = attribute::resolve(ents, &paras[prev], prev, &found.np, at) {
                    cands[i].speaker = Some(s);
                    cands[i].rule = Rule::Colon;
                    continue;
                }
            }
            if fp > 0 {
                if let Some(s) = previous_paragraph_speaker(cands, i, fp - 1, ents) {
                    cands[i].speaker = Some(s);
                    cands[i].rule = Rule::Continuation;
                    continue;
                }
            }
            continue;
        }
        if let Some(s) = same_paragraph_speaker(cands, i, true) {
            cands[i].speaker = Some(s);
            cands[i].rule = Rule::SameParagraph;
            continue;
        }
        let (lp, ls) = *cands[i].parts.last().unwrap();
        let p = &paras[fp];
        let q = p.quote_tok[fs];
        // "“…,” the email read. It was sent in March by …": a writing's author comes after.
        let document = cands[i].found.as_ref().is_some_and(|f| f.np.is_document());
        if document {
            if let Some(s) = next_sentence_speaker(&paras[lp], paras[lp].quote_tok[ls], ents) {
                cands[i].speaker = Some(s);
                cands[i].rule = Rule::NextSentence;
                continue;
            }
        }
        if q > 0 && p.before_start(q) == q {
            if let Some(s) = previous_sentence_speaker(p, fp, q, ents) {
                cands[i].speaker = Some(s);
                cands[i].rule = Rule::PreviousSentence;
                continue;
            }
        }
        if let Some(s) = next_sentence_speaker(&paras[lp], paras[lp].quote_tok[ls], ents) {
            cands[i].speaker = Some(s);
            cands[i].rule = Rule::NextSentence;
            continue;
        }
        if let Some(s) = same_paragraph_speaker(cands, i, false) {
            cands[i].speaker = Some(s);
            cands[i].rule = Rule::SameParagraph;
        }
    }
}

/// A whole-paragraph quotation whose words appear in (or contain) another quotation of the
/// article: a pull quote or heading. Returns that quotation's index.
fn pull_quote_source(cands: &[Candidate], norms: &[String], i: usize) -> Option<usize> {
    let me = &norms[i];
    if me.split(' ').count() < 3 {
        return None;
    }
    let source = |j: usize| {
        let c = &cands[j];
        j != i
            && c.speaker.is_some()
            && !matches!(c.rule, Rule::PullQuote | Rule::None)
            && (contains_text(&norms[j], me)
                || contains_text(me, &norms[j]) && norms[j].split(' ').count() >= 3)
    };
    // Bounded so that an article of thousands of one-line quotations stays linear.
    (0..cands.len()).take(MAX_PULL_QUOTE_SCAN).find(|&j| source(j))
}

/// `haystack.contains(needle)`, with cheap tests first: most pairs of quotations share
/// nothing, and the substring search has a set-up cost for every pair. A longer text is never
/// inside a shorter one, and a text is not inside another that lacks its first eight bytes.
fn contains_text(haystack: &str, needle: &str) -> bool {
    if needle.len() > haystack.len() {
        return false;
    }
    if let Some(head) = needle.as_bytes().get(..8) {
        let head = u64::from_ne_bytes(head.try_into().expect("8 bytes"));
        let found = haystack
            .as_bytes()
            .windows(8)
            .any(|w| u64::from_ne_bytes(w.try_into().expect("8 bytes")) == head);
        if !found {
            return false;
        }
    }
    haystack.contains(needle)
}

/// How many quotations a pull quote is compared with.
const MAX_PULL_QUOTE_SCAN: usize = 500;

/// Lower-cased words joined by single spaces, for comparing quotations.
fn normalise(s: &str) -> String {
    if s.is_ascii() {
        return normalise_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    // A space is owed when a word ended and another follows.
    let mut gap = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// [`normalise`] for ASCII text (nearly all of it), on bytes.
fn normalise_ascii(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut gap = false;
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            out.push(b.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Speaker of the paragraph before a continuation paragraph: its last attributed quotation,
/// else the person or organisation it names last.
fn previous_paragraph_speaker(
    cands: &[Candidate],
    i: usize,
    prev: usize,
    ents: &Entities,
) -> Option<usize> {
    let para_of = |c: &Candidate| c.answer.map_or_else(|| c.parts.last().unwrap().0, |(p, _)| p);
    let in_prev: Vec<&Candidate> = cands[..i]
        .iter()
        .rev()
        .take_while(|c| para_of(c) >= prev)
        .filter(|c| para_of(c) == prev)
        .collect();
    if let Some(c) = in_prev.iter().find(|c| c.speaker.is_some()) {
        return c.speaker;
    }
    if !in_prev.is_empty() && in_prev.iter().all(|c| c.whole_paragraph) {
        return None;
    }
    ents.last_in_paragraph(prev)
}

/// The person a dash byline names in the paragraph after quotation paragraph `last`
/// (`attribute::dash_byline`), when it is a person or a name of two words or more.
fn byline_speaker(paras: &[Para], last: usize, ents: &Entities) -> Option<usize> {
    let next = last + 1;
    let p = paras.get(next)?;
    let np = attribute::dash_byline(p)?;
    let attribute::Np::Chunk(c) = np else { return None };
    let named = p.chunks[c].words.len() >= 2;
    let id = attribute::resolve(ents, p, next, &np, (next, 1))?;
    (named || ents.list[id].kind == EntityKind::Person).then_some(id)
}

/// Nearest attributed quotation in the same paragraph, before or after this one.
fn same_paragraph_speaker(cands: &[Candidate], i: usize, before: bool) -> Option<usize> {
    let para = cands[i].parts[0].0;
    let last_para = cands[i].parts.last().unwrap().0;
    let attributed = |c: &&Candidate| {
        c.speaker.is_some() && matches!(c.rule, Rule::CueAfter | Rule::CueBefore | Rule::Colon)
    };
    // Bounded: the nearest few quotations decide, and long paragraphs stay linear.
    let found = if before {
        cands[..i]
            .iter()
            .rev()
            .take(NEARBY)
            .take_while(|c| c.parts.iter().any(|&(p, _)| p == para))
            .find(attributed)
    } else {
        cands[i + 1..]
            .iter()
            .take(NEARBY)
            .take_while(|c| c.parts.iter().any(|&(p, _)| p == last_para))
            .find(attributed)
    };
    found.and_then(|c| c.speaker)
}

/// How many neighbouring quotations the same-paragraph rule looks at.
const NEARBY: usize = 8;

/// `“We will not back down.” The words came from Mayor Tobi Lindqvist.`: the first person
/// named in the rest of the sentence or the next one, when neither holds another quotation.
fn next_sentence_speaker(p: &Para, q: usize, ents: &Entities) -> Option<usize> {
    let end1 = p.after_end(q);
    let end = if end1 < p.toks.len() && !matches!(p.toks[end1].kind, Kind::Quote(_)) {
        p.after_end(end1)
    } else {
        end1
    };
    if (q + 1..end.min(p.toks.len())).any(|k| matches!(p.toks[k].kind, Kind::Quote(_)))
        || end < p.toks.len() && matches!(p.toks[end].kind, Kind::Quote(_))
    {
        return None;
    }
    p.chunks_in(q + 1, end)
        .iter()
        .filter_map(|c| c.entity)
        .find(|&e| ents.list[e].kind == EntityKind::Person)
}

/// Nouns that refer back to a quotation: "The words came from …", "That was the verdict of …".
const QUOTE_NOUNS: &[&str] = &[
    "words",
    "word",
    "question",
    "questions",
    "comment",
    "comments",
    "remark",
    "remarks",
    "verdict",
    "message",
    "view",
    "assessment",
    "warning",
    "plea",
    "complaint",
    "answer",
    "response",
    "reaction",
    "line",
    "lines",
    "appeal",
    "promise",
    "advice",
    "voice",
    "question",
];

/// A sentence starting at token `from` that refers back to the quotation before it and names
/// its speaker: `The questions came from Bekzod Tursunov, whose …`, `That was the verdict of
/// Dorothy McKinnon`, `So said Okafor`. Returns the first person it names.
fn referring_sentence_speaker(p: &Para, from: usize, ents: &Entities) -> Option<usize> {
    let end = p.after_end(from.saturating_sub(1)).max(from);
    let head: Vec<String> = p.toks[from..end.min(p.toks.len())]
        .iter()
        .take(5)
        .filter(|t| t.kind == Kind::Word)
        .map(|t| text::tok_text(p.text, t).to_lowercase())
        .collect();
    let refers = head.iter().any(|w| QUOTE_NOUNS.contains(&w.as_str()))
        || head.first().is_some_and(|w| w == "so") && head.get(1).is_some_and(|w| w == "said");
    if !refers || (from..end).any(|k| matches!(p.toks.get(k).map(|t| t.kind), Some(Kind::Quote(_))))
    {
        return None;
    }
    // "came from Rovers manager Brigid McAllister": the person, not the club before the role.
    let named: Vec<usize> = p.chunks_in(from, end).iter().filter_map(|c| c.entity).collect();
    named
        .iter()
        .find(|&&e| ents.list[e].kind == EntityKind::Person)
        .or_else(|| named.iter().find(|&&e| ents.list[e].kind != EntityKind::Unknown))
        .copied()
}

/// `Okafor was asked about the report. “No comment.”`: the subject of the sentence before a
/// quotation that starts its own sentence, when that sentence holds no quotation.
fn previous_sentence_speaker(p: &Para, para: usize, q: usize, ents: &Entities) -> Option<usize> {
    let start = p.before_start(q - 1);
    if (start..q).any(|k| matches!(p.toks[k].kind, Kind::Quote(_))) {
        return None;
    }
    // "She laughed. “Now you’re just being cruel.”"
    if let Some(g) = p.toks.get(start).and_then(|t| cues::pronoun_gender(text::tok_text(p.text, t)))
    {
        return ents.resolve_pronoun(g, (para, start));
    }
    let c = p.chunks_in(start, q).first()?;
    let e = c.entity?;
    (ents.list[e].kind == EntityKind::Person && c.tok_start <= start + 3).then_some(e)
}

/// In a run of dialogue (paragraphs that each hold one speaker's line), an unattributed line
/// belongs to the speaker before last: `“A,” Hedda said.` / `“B,” Tomas replied.` / `“C.”`
/// A bare quotation right after a question that someone "asked" in the paragraph before is
/// the answer: its speaker is the person named last before the question, other than the one
/// asking ("Under cross-examination by McGinley, Brekke acknowledged …" / "“You never sent a
/// single email, did you?” McGinley asked." / "“No, I did not.”").
fn answer_speaker(
    cands: &[Candidate],
    i: usize,
    para: usize,
    paras: &[Para],
    ents: &Entities,
) -> Option<usize> {
    let prev = para.checked_sub(1)?;
    let question = cands[..i].last().filter(|c| c.parts.last().is_some_and(|p| p.0 == prev))?;
    let asker = question.speaker?;
    let asked = paras[prev].toks.iter().any(|t| {
        t.kind == Kind::Word
            && matches!(text::tok_text(paras[prev].text, t), "asked" | "asks" | "demanded")
    });
    if !question.text.trim_end_matches(['”', '"', '’', '\'']).ends_with('?') || !asked {
        return None;
    }
    // Put to someone, not rhetorical ("Who could have known?" she asked): the question says
    // "you", or the answer opens with yes or no.
    let put_to_someone = normalise(&question.text).split(' ').any(|w| w == "you" || w == "your")
        || normalise(&cands[i].text).split(' ').next().is_some_and(|w| w == "yes" || w == "no");
    if !put_to_someone {
        return None;
    }
    // The person addressed may be named in the question's own paragraph ("… Okafor asked
    // Varga."); nobody named more than three paragraphs back is still in the exchange.
    let answerer = ents.last_person_other_than((para, 0), asker)?;
    ents.mentioned_since(answerer, (prev.saturating_sub(2), 0)).then_some(answerer)
}

fn dialogue_speaker(cands: &[Candidate], i: usize, para: usize, paras: &[Para]) -> Option<usize> {
    if para < 2 {
        return None;
    }
    let line = |p: usize| -> Option<usize> {
        let opens_with_quote =
            paras[p].toks.first().is_some_and(|t| matches!(t.kind, Kind::Quote(_)));
        let mut speakers = cands[..i]
            .iter()
            .rev()
            .take(NEARBY)
            .filter(|c| c.answer.is_none() && c.parts[0].0 == p)
            .map(|c| c.speaker);
        let first = speakers.next()??;
        (opens_with_quote && speakers.all(|s| s == Some(first))).then_some(first)
    };
    let (a, b) = (line(para - 2)?, line(para - 1)?);
    (a != b).then_some(a)
}

/// Applies the scare-quote/title filter to a candidate. A short phrase that passes only
/// because a person's verb governs it (`Okafor called the budget “a fantasy”`) takes that
/// person as its speaker.
fn is_quotation(c: &mut Candidate, paras: &[Para], ents: &Entities) -> bool {
    let (fp, fs) = c.parts[0];
    let p = &paras[fp];
    let q = p.quote_tok[fs];
    let small = |w: &str| {
        matches!(
            w,
            "of" | "the"
                | "and"
                | "a"
                | "an"
                | "in"
                | "on"
                | "for"
                | "to"
                | "at"
                | "with"
                | "from"
                | "by"
        )
    };
    let trimmed = c.text.trim_end_matches(['’', '\'', '"', '”', ')']);
    let ends_with_punct = trimmed.ends_with(['.', '!', '?', ',', '…', '—', '–', '-', ';', ':']);
    let ends_sentence = trimmed.ends_with(['.', '!', '?', '…']);
    let bare = trimmed.trim_end_matches(['.', '!', '?', ',', '…', '—', '–', '-', ';', ':']);
    // Counted in one pass over the words, without collecting them.
    let (mut words, mut capitalised, mut not_small) = (0, 0, 0);
    for_each_word(&c.text, |w| {
        words += 1;
        capitalised +=
            w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) as usize;
        not_small += !small(w) as usize;
    });
    let title_case = words >= 2
        && capitalised * 10 >= not_small * 8
        && !bare.contains(['.', '!', '?', ',', ';']);
    let before = p.before_start(q);
    let word_at = |k: usize| {
        p.toks.get(k).filter(|t| t.kind == Kind::Word).map(|t| text::tok_text(p.text, t))
    };
    let prev_word = q.checked_sub(1).and_then(word_at);
    let next_word = word_at(q + 1);
    let is_name_part = |w: Option<&str>, adjacent: bool| {
        adjacent
            && w.is_some_and(|w| {
                text::is_capitalised(w) && !cues::is_stop_cap(w) && !cues::is_cue(w)
            })
    };
    let prev_adjacent = q > 0 && p.toks[q - 1].end + 1 >= p.toks[q].start;
    let next_adjacent = q + 1 < p.toks.len() && p.toks[q].end + 1 >= p.toks[q + 1].start;
    let inside_name = words <= 3
        && is_name_part(prev_word, prev_adjacent)
        && is_name_part(next_word, next_adjacent);
    // The word right before the span (commas aside): "the book, “…”", "a film called “…”".
    // "said on “Morning Harbor” that", "told “Harbour Tonight,”", "CNN’s “State of the
    // Union”": a title-cased name after a preposition or an owner is a show's or a work's.
    let media_title = title_case
        && words <= 8
        && prev_word.is_some_and(|w| {
            matches!(w, "on" | "of" | "to" | "told" | "from" | "at" | "with" | "watching")
                || text::is_capitalised(w) && text::strip_possessive(w) != w
        });
    let title_word = (q.saturating_sub(3)..q).rev().find(|&k| p.toks[k].kind == Kind::Word);
    let title_context = title_word.and_then(word_at).is_some_and(filter::is_title_context);
    let direct = match (&c.found, c.rule) {
        (Some(f), Rule::CueAfter) => f.direct && ends_with_punct,
        (Some(f), Rule::CueBefore | Rule::Colon) => f.direct,
        // A speech verb whose subject names nobody: a title-cased span is then more likely the
        // name of a report or a book ("the assessment, “Rivers Without Margins,” warned").
        // Words in capitals ("TURN IT DOWN," the sign read) are a message, not a title.
        (Some(f), Rule::None) => {
            let capitals = !bare.chars().any(char::is_lowercase);
            f.direct && ends_with_punct && (!title_case || capitals)
        }
        _ => false,
    };
    // A naming verb ("what it calls “low-level” contacts") does not make a term a quotation.
    let speech = |w: &str| cues::is_cue(w) && !cues::is_naming_cue(w);
    let cue_in_sentence = (before..q).filter_map(word_at).any(speech)
        || c.found.is_some() && !(before..q).filter_map(word_at).any(cues::is_naming_cue);
    let mut facts = filter::Facts {
        words,
        title_case,
        ends_with_punct,
        ends_sentence,
        direct_cue: direct,
        cue_in_sentence,
        whole_paragraph: c.whole_paragraph,
        sentence_start: before == q,
        inside_name,
        title_context,
        media_title,
        person_governs: false,
    };
    if filter::is_quotation(&facts) {
        return true;
    }
    // "which Mr. Trump called “a disgrace”": a naming verb right before the phrase is a title
    // word only when nobody in particular names it ("a film called “…”").
    let naming = title_context && title_word.and_then(word_at).is_some_and(cues::is_quoting_verb);
    facts.title_context &= !naming;
    if !filter::may_be_governed(&facts) {
        return false;
    }
    let Some(g) = attribute::governing_verb(p, q).filter(|g| !naming || title_word == Some(g.at))
    else {
        return false;
    };
    let mut speaker = attribute::resolve(ents, p, fp, &g.np, (fp, g.np_at(p)));
    facts.person_governs = says_as_person(&g.np, speaker, ents);
    // "Marr said the floods demand that every resident find “more patience”": a verb
    // whose subject is no person, inside a clause that a person's speech verb reports. That
    // person says the phrase. Not a group's name for something ("Staff, she said, called the
    // invoices “the Friday specials”"): a naming verb keeps the phrase a term.
    let speech = |k: usize| {
        p.toks.get(k).is_some_and(|t| {
            let w = text::tok_text(p.text, t);
            t.kind == Kind::Word && cues::is_cue(w) && !cues::is_naming_cue(w)
        })
    };
    if !facts.person_governs && speech(g.at) {
        if let Some(outer) = attribute::governing_verb(p, g.at).filter(|o| speech(o.at)) {
            let outer_speaker = attribute::resolve(ents, p, fp, &outer.np, (fp, outer.np_at(p)));
            if says_as_person(&outer.np, outer_speaker, ents) {
                facts.person_governs = true;
                speaker = outer_speaker;
            }
        }
    }
    if !filter::is_quotation(&facts) {
        return false;
    }
    // The verb's subject says the phrase, unless a speech verb right beside it named someone.
    let cued = matches!(c.rule, Rule::CueBefore | Rule::CueAfter) && c.speaker.is_some();
    if !cued && speaker.is_some() {
        c.speaker = speaker;
        c.rule = Rule::CueBefore;
    }
    true
}

/// Whether noun phrase `np`, resolved to `speaker`, is a person speaking for themselves: he or
/// she, a person's name, or a person's role (`the senator`). Not an organisation, a group, a
/// spokesperson for someone else (`a spokeswoman for Averly`) or a place.
fn says_as_person(np: &attribute::Np, speaker: Option<usize>, ents: &Entities) -> bool {
    let person = speaker.is_some_and(|e| ents.list[e].kind == EntityKind::Person);
    match np {
        attribute::Np::Pronoun(Some(_)) => true,
        attribute::Np::Chunk(_) => person,
        // "The mayor said it was “a blunder”": a person's role speaks as a person even when the
        // article names nobody who holds it; only a role resolved to something else does not.
        attribute::Np::Role { noun, org: None } => {
            let noun = noun.to_lowercase();
            (person || speaker.is_none())
                && names::is_person_role(&noun)
                && !names::is_org_noun(&noun)
                && !noun.starts_with("spokes")
        }
        _ => false,
    }
}

/// Calls `f` with every word of `text` for the quotation filter: the non-empty runs of
/// letters, digits, apostrophes and hyphens. ASCII characters are classed from their byte.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let b = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        // Inside a word, runs of ASCII letters and digits change nothing: skipped in blocks.
        if start.is_some() {
            if let Some(block) = b.get(i..i + 8) {
                let run = text::ascii_alnum_run(u64::from_le_bytes(block.try_into().expect("8")));
                if run > 0 {
                    i += run;
                    continue;
                }
            }
        }
        let (in_word, len) = if b[i].is_ascii() {
            (b[i].is_ascii_alphanumeric() || b[i] == b'\'' || b[i] == b'-', 1)
        } else {
            let ch = text[i..].chars().next().expect("a character starts at i");
            (ch.is_alphanumeric() || ch == '’', ch.len_utf8())
        };
        match start {
            None if in_word => start = Some(i),
            Some(s) if !in_word => {
                f(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// The longest speaker name kept, in bytes (real ones are under 60).
pub const MAX_NAME: usize = 120;
/// The longest role kept, in bytes (real ones are under 100).
pub const MAX_ROLE: usize = 250;

fn to_quote(
    c: Candidate,
    spans: &[Vec<marks::Span>],
    ents: &Entities,
    paragraphs: &[String],
) -> Quote {
    // A "name" or "role" longer than any real one is a run of text the rules took for one:
    // copied into each of thousands of quotations it would cost memory out of all proportion
    // to the article (a 1 MB file took 13 GB).
    let (speaker, role) = match c.speaker {
        Some(e) if ents.list[e].name.len() <= MAX_NAME => {
            let role = ents.list[e].role.as_ref().filter(|r| r.len() <= MAX_ROLE);
            (Some(ents.list[e].name.clone()), role.cloned())
        }
        _ => (None, None),
    };
    let (paragraph, start, end_paragraph, end) = match c.answer {
        Some((p, s)) => (p, s, p, paragraphs[p].len()),
        None => {
            let (fp, fs) = c.parts[0];
            let (lp, ls) = *c.parts.last().unwrap();
            (fp, spans[fp][fs].text_start, lp, spans[lp][ls].text_end)
        }
    };
    Quote { text: c.text, speaker, role, paragraph, end_paragraph, start, end, rule: c.rule }
}

#[cfg(test)]
mod tests;

/// The lower-cased words of a person's name without titles and honorifics, for comparing and
/// searching names (`Sen. Adaeze Okafor` -> `adaeze`, `okafor`).
pub fn name_words(name: &str) -> Vec<String> {
    names::name_words(name)
}
