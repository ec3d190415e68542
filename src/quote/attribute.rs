//! Attribution rules: which noun phrase a speech verb next to a quotation points at, and who
//! that phrase refers to.
//!
//! Works on one paragraph's tokens (`text`) and name chunks (`names`). The rules, in the order
//! `extract` tries them:
//! - cue after: `“…,” Okafor said` / `“…,” said Okafor, a senator` / `“…,” she added`;
//! - cue before: `Okafor said: “…”` / `Okafor, a senator, said that “…”` / `According to Okafor, “…”`;
//! - colon: `Okafor was blunt: “…”`;
//! - subject, when no speech verb is found at all: `Okafor hailed the vote as “…”`.
//!
//! `governing_verb` finds who says a short phrase inside a sentence (`Okonjo called the budget
//! “a fantasy”`), for the filter's partial quotations of two or three words.
//!
//! Rules that need the whole article (continuation, pull quotes, same paragraph, next sentence)
//! live in `mod.rs`, which sees every quotation.

use super::cues::{self, Gender};
use super::names::{self, Chunk, Entities, EntityKind, Pos};
use super::text::{ends_sentence, is_capitalised, strip_possessive, tok_text, Kind, Tok};

/// One paragraph prepared for attribution.
pub struct Para<'a> {
    pub text: &'a str,
    pub toks: &'a [Tok],
    pub chunks: Vec<Chunk<'a>>,
    /// Token index of each span's quote token.
    pub quote_tok: Vec<usize>,
}

impl<'a> Para<'a> {
    pub fn new(text: &'a str, toks: &'a [Tok], chunks: Vec<Chunk<'a>>) -> Para<'a> {
        let quote_tok = toks
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, Kind::Quote(_)))
            .map(|(i, _)| i)
            .collect();
        Para { text, toks, chunks, quote_tok }
    }

    /// The chunk that starts at token `tok`. Chunks are disjoint runs in token order, so their
    /// starts and ends are both sorted and unique: a binary search over a paragraph's few
    /// chunks, with no per-paragraph table to build.
    fn chunk_starting(&self, tok: usize) -> Option<usize> {
        let i = self.chunks.partition_point(|c| c.tok_start < tok);
        self.chunks.get(i).filter(|c| c.tok_start == tok).map(|_| i)
    }

    /// The chunk whose last token is `tok`.
    fn chunk_ending(&self, tok: usize) -> Option<usize> {
        let i = self.chunks.partition_point(|c| c.tok_end - 1 < tok);
        self.chunks.get(i).filter(|c| c.tok_end - 1 == tok).map(|_| i)
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| tok_text(self.text, t))
    }

    fn punct(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Punct).then(|| tok_text(self.text, t))
    }

    fn is_quote(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| matches!(t.kind, Kind::Quote(_)))
    }

    /// Whether a speech verb stands at token `k`, past adverbs and auxiliaries.
    fn cue_follows(&self, mut k: usize) -> bool {
        while self.word(k).is_some_and(cues::is_adverb) {
            k += 1;
        }
        self.is_cue_at(k)
    }

    fn is_cue_at(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| {
            !is_capitalised(w) && cues::is_cue(w) || w == "Said" || self.is_phrasal_cue(i, w)
        })
    }

    /// `went on` (`“…,” Okafor went on.`, `went on to say`), `pointed out` and `issued a
    /// statement`: verbs that report speech only with the words after them.
    fn is_phrasal_cue(&self, i: usize, w: &str) -> bool {
        match w {
            "went" | "goes" => {
                self.word(i + 1) == Some("on")
                    && self.word(i + 2).is_none_or(|x| matches!(x, "to" | "saying"))
            }
            // "As Okafor pointed out, “…”", "“…,” Okafor points out."
            "pointed" | "points" | "point" => self.word(i + 1) == Some("out"),
            "issued" | "released" | "issues" | "releases" => {
                self.word(i + 1).is_some_and(|x| matches!(x, "a" | "an" | "the"))
                    && self.word(i + 2) == Some("statement")
            }
            _ => false,
        }
    }

    /// Whether token `k` is a short quoted title or slogan inside a clause ("wearing a “Marr
    /// for Mayor” pin", "author of “The Unwritten Harbour,”"): a few words, no sentence in
    /// them, after a word and before a word or a comma. An attribution goes on past it.
    fn is_embedded_title(&self, k: usize) -> bool {
        let Some(t) = self.toks.get(k).filter(|t| matches!(t.kind, Kind::Quote(_))) else {
            return false;
        };
        let inner = tok_text(self.text, t);
        // The cheap tests first: this runs for every quotation that ends a stretch.
        if k == 0
            || self.toks[k - 1].kind != Kind::Word
            || inner.len() > 80
            || inner.contains(['.', '!', '?', ':', ';'])
            || !(self.word(k + 1).is_some() || self.punct(k + 1) == Some(","))
        {
            return false;
        }
        let words = || {
            inner
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
        };
        // Capitalised like a title ("The Unwritten Harbour", "Marr for Mayor"), not a partial
        // quotation ("a “total failure” and said …"), which has a cue of its own.
        let (n, capitalised) =
            words().fold((0, 0), |(n, c), w| (n + 1, c + usize::from(is_capitalised(w))));
        (1..=5).contains(&n) && words().next().is_some_and(is_capitalised) && capitalised * 2 >= n
    }

    /// End (exclusive) of the stretch after token `q`: the sentence end or the next quotation.
    pub fn after_end(&self, q: usize) -> usize {
        let mut j = q + 1;
        while j < self.toks.len() && j < q + 40 {
            if self.is_quote(j) {
                return j;
            }
            if ends_sentence(self.text, self.toks, j) {
                return j;
            }
            j += 1;
        }
        j
    }

    /// Start of the stretch before token `q`: after the previous sentence end or quotation.
    pub fn before_start(&self, q: usize) -> usize {
        let mut j = q;
        while j > 0 {
            if self.is_quote(j - 1) || ends_sentence(self.text, self.toks, j - 1) {
                return j;
            }
            j -= 1;
        }
        0
    }

    /// Start of the sentence holding token `q`, past any quotation inside it (a quotation that
    /// ends with its own full stop ends the sentence too).
    pub fn sentence_start(&self, q: usize) -> usize {
        let mut j = q;
        while j > 0 {
            let t = &self.toks[j - 1];
            let closes = matches!(t.kind, Kind::Quote(_))
                && tok_text(self.text, t)
                    .trim_end_matches(|c: char| {
                        !c.is_alphanumeric() && !matches!(c, '.' | '!' | '?')
                    })
                    .ends_with(['.', '!', '?']);
            if closes || ends_sentence(self.text, self.toks, j - 1) {
                return j;
            }
            j -= 1;
        }
        0
    }

    /// Index of the first chunk that starts within `from..to`.
    pub fn first_chunk_in(&self, from: usize, to: usize) -> Option<usize> {
        let i = self.chunks.partition_point(|c| c.tok_start < from);
        self.chunks.get(i).filter(|c| c.tok_start < to).map(|_| i)
    }

    /// The chunks that start within `from..to` (chunks are in token order).
    pub fn chunks_in(&self, from: usize, to: usize) -> &[Chunk<'a>] {
        let a = self.chunks.partition_point(|c| c.tok_start < from);
        let b = self.chunks.partition_point(|c| c.tok_start < to).max(a);
        &self.chunks[a..b]
    }
}

/// A noun phrase that can be a speaker.
#[derive(Debug, Clone, PartialEq)]
pub enum Np {
    /// A name chunk: paragraph-local chunk index.
    Chunk(usize),
    Pronoun(Option<Gender>),
    /// `it said`: an organisation.
    It,
    /// `the senator`, `a spokeswoman for Velder Logistics` (with the organisation's chunk).
    Role {
        noun: String,
        org: Option<usize>,
    },
    /// `officials`, `protesters`: a group, which is nobody in particular.
    Group,
}

impl Np {
    /// Many voices or none: a group ("officials said"), a crowd ("the crowd chanted") or a sign
    /// ("the banner read"). Such a quotation has no speaker, and no other rule should find one.
    pub fn is_nobody(&self) -> bool {
        match self {
            Np::Group => true,
            Np::Role { noun, .. } => cues::is_sign_noun(noun) || cues::is_crowd_noun(noun),
            _ => false,
        }
    }

    /// A writing ("the email read") whose author the story may name elsewhere.
    pub fn is_document(&self) -> bool {
        matches!(self, Np::Role { noun, .. } if cues::is_document_noun(noun))
    }
}

/// How a quotation was attached to a cue, with the noun phrase found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub np: Np,
    /// The cue sits right beside the quotation (only punctuation, adverbs, `that` between).
    pub direct: bool,
    /// Token where the noun phrase stands, when it is before the quotation: a pronoun refers to
    /// whoever was named before it, not before the quotation.
    pub at: Option<usize>,
}

/// `“…,” Okafor said` / `“…,” said Okafor` / `“…,” according to Okafor`: the cue right after
/// quote token `q`.
pub fn cue_after(p: &Para, q: usize) -> Option<Found> {
    let mut end = p.after_end(q);
    // "“…,” delegate Tomas Brekke, wearing a “Marr for Mayor” pin, said": past the title.
    if p.is_embedded_title(end) {
        end = p.after_end(end);
    }
    let mut i = q + 1;
    while i < end && p.punct(i).is_some_and(|s| matches!(s, "," | "—" | "–" | "-" | "(")) {
        i += 1;
    }
    if let Some(found) = cue_after_inverted(p, i, end) {
        return Some(found);
    }
    if let Some(found) = cue_after_direct(p, i, end) {
        return Some(found);
    }
    // "“…” for criminal behaviour, she said.": the cue clause after a comma further on, in
    // either order ("“…” in the 2008 primary, said professor Ines Marr.").
    (i + 1..end)
        .filter(|&k| p.punct(k) == Some(","))
        .find_map(|k| cue_after_direct(p, k + 1, end).or_else(|| cue_after_inverted(p, k + 1, end)))
        .map(|f| Found { direct: false, ..f })
}

/// `said Okafor` / `according to Okafor` starting at token `i`: adverbs, the cue, then the
/// speaker.
fn cue_after_inverted(p: &Para, i: usize, end: usize) -> Option<Found> {
    let mut j = i;
    while j < end && p.word(j).is_some_and(cues::is_adverb) {
        j += 1;
    }
    let according = p.word(j) == Some("according") && p.word(j + 1) == Some("to");
    // "“…,” recalling visits to Lake Orm": a participle's object, not an inverted subject.
    let inverted =
        p.is_cue_at(j) && p.word(j).is_some_and(|w| !w.ends_with("ing") && !cues::takes_object(w));
    if j < end && (inverted || according) {
        let k = if according || p.word(j) == Some("went") { j + 2 } else { j + 1 };
        if let Some((np, _)) = np_forward(p, k, end) {
            let np = unnamed(p, k, np);
            return Some(Found { np, direct: true, at: None });
        }
    }
    None
}

/// "“…?” one reporter asked", "said a senator": someone not named, never a person named
/// elsewhere in the article, so nobody in particular. A spokesman or an official still speaks
/// for the organisation last named. `i` is where the noun phrase starts.
fn unnamed(p: &Para, i: usize, np: Np) -> Np {
    let Np::Role { noun, org: None } = &np else { return np };
    let indefinite = p
        .word(i)
        .is_some_and(|d| matches!(d.to_lowercase().as_str(), "a" | "an" | "one" | "another"));
    let for_org = ["spokes", "representative", "official", "aide", "source"]
        .iter()
        .any(|x| noun.to_lowercase().starts_with(x));
    if indefinite && !for_org && names::is_person_role(noun) {
        Np::Group
    } else {
        np
    }
}

/// `NP [appositive] [adverbs] CUE` starting at token `i`.
fn cue_after_direct(p: &Para, i: usize, end: usize) -> Option<Found> {
    if let Some((np, k)) = np_forward(p, i, end) {
        let np = unnamed(p, i, np);
        let mut k = skip_appositive(p, k, end);
        // "the club's captain, Ilse Marr, said": the comma that closes the role's appositive.
        let after_comma =
            |c: usize| p.chunks[c].tok_start > i && p.punct(p.chunks[c].tok_start - 1) == Some(",");
        if p.punct(k) == Some(",") && matches!(np, Np::Chunk(c) if after_comma(c)) {
            k += 1;
        }
        while k < end && p.word(k).is_some_and(cues::is_adverb) {
            k += 1;
        }
        if k < end && p.is_cue_at(k) {
            return Some(Found { np, direct: true, at: None });
        }
    }
    None
}

/// `Okafor said: “…”` / `Okafor, a senator, said the plan was “…”` / `According to Okafor,
/// “…”`: the last cue in the stretch before quote token `q`.
pub fn cue_before(p: &Para, q: usize) -> Option<Found> {
    // "The local MP, Rupert Ashcombe-Leigh (“…”), has written": a quotation in parentheses
    // right after a name is that person's.
    if q >= 2 && p.punct(q - 1) == Some("(") {
        let words = tok_text(p.text, &p.toks[q]).split_whitespace().count();
        if let Some(c) = p.chunk_ending(q - 2) {
            // A person and a sentence's worth of words, not a film's gloss ("the film Blue
            // Velvet (“…”)") or a place's nickname.
            let start = p.chunks[c].tok_start;
            let titled =
                start > 0 && p.word(start - 1).is_some_and(super::filter::is_title_context);
            if p.chunks[c].kind == EntityKind::Person && words >= 4 && !titled {
                return Some(Found { np: Np::Chunk(c), direct: true, at: None });
            }
        }
    }
    let start = p.before_start(q);
    cue_before_from(p, q, start).or_else(|| {
        // "As Ines Marr, author of “The Unwritten Harbour,” put it, “…”": past the title,
        // when the words after it name nobody.
        (start > 0 && p.is_embedded_title(start - 1))
            .then(|| cue_before_from(p, q, p.before_start(start - 1)))
            .flatten()
    })
}

/// `cue_before` over the stretch from token `start` to quote token `q`.
fn cue_before_from(p: &Para, q: usize, start: usize) -> Option<Found> {
    let mut group = None;
    let mut j = q;
    while j > start {
        j -= 1;
        let Some(w) = p.word(j) else { continue };
        let lw = w.to_lowercase();
        let adjacent = (j + 1..q).all(|k| {
            p.punct(k).is_some() || p.word(k).is_some_and(|x| x == "that" || cues::is_adverb(x))
        });
        if lw == "according" && p.word(j + 1) == Some("to") {
            if let Some((np, _)) = np_forward(p, j + 2, q) {
                return Some(Found { np, direct: adjacent_after(p, j + 2, q), at: None });
            }
            continue;
        }
        // "As Okafor put it, “…”"
        let put_it = lw == "put" && p.word(j + 1) == Some("it");
        if !(p.is_cue_at(j) || put_it) || cues::is_weak_cue(w) && !adjacent {
            continue;
        }
        // "the promised “reset”", "the government’s stated aim": a participle used as an
        // adjective is not a speech verb.
        if j > start
            && p.word(j - 1).is_some_and(|x| {
                cues::is_determiner(x)
                    || crate::quote::text::strip_possessive(x) != x
                        && cues::pronoun_gender(x).is_none()
            })
        {
            continue;
        }
        // "called on the administration to “…”" urges; "which the Front has called for, …"
        // does not speak at all.
        let phrasal = cues::is_naming_cue(w)
            && p.word(j + 1)
                .is_some_and(|x| matches!(x, "for" | "on" | "off" | "up" | "in" | "out"));
        if phrasal && (j + 2..q).any(|k| p.punct(k) == Some(",")) {
            continue;
        }
        let adjacent = adjacent && !cues::is_naming_cue(w);
        // "Clinton had mocked the complaint, saying …" and "Trump bemoaned the unrest and said
        // …": the participle's or second verb's subject opens the clause.
        // "… by asserting that …", "… while insisting …": a participle of manner too.
        // "Marr issued a statement saying …": after the message, the issuer's.
        let participle = lw.ends_with("ing")
            && j > start
            && (p.punct(j - 1) == Some(",")
                || p.word(j - 1).is_some_and(|x| {
                    matches!(x, "by" | "while" | "before" | "after" | "upon")
                        || cues::is_message_noun(x)
                }));
        let coordinated = j > start && p.word(j - 1).is_some_and(|x| matches!(x, "and" | "but"));
        if participle || coordinated {
            // The clause may open before an earlier quotation in the same sentence ("Cross
            // called it “…” and likened it to …").
            let from = p.sentence_start(j);
            // "…, Hollande said in Paris, noting …": the subject of a speech verb earlier in
            // the stretch.
            let earlier = || {
                (start..j)
                    .rev()
                    .filter(|&k| p.is_cue_at(k) && p.word(k).is_some_and(|w| !w.ends_with("ing")))
                    .find_map(|k| match np_backward(p, k, start) {
                        Some(np @ (Np::Chunk(_) | Np::Pronoun(_))) => Some(np),
                        _ => None,
                    })
            };
            let np = if let Some(np) = participle.then(earlier).flatten() {
                Some(np)
            } else if from < start {
                // After a quotation inside the sentence, its own cue clause ("“…,” Lund
                // added, saying …"), else the subject before the quotation.
                match np_forward(p, start, j) {
                    Some((np @ (Np::Chunk(_) | Np::Pronoun(_)), k)) if p.cue_follows(k) => Some(np),
                    _ => clause_start_np(p, from, j),
                }
            } else {
                clause_start_np(p, start, j)
            };
            if let Some(np) = np {
                return Some(Found { np, direct: adjacent, at: Some(j) });
            }
            // The noun right before a participle is its object's, never its subject
            // ("allowing in the refugees from Syria, pledging to “…”").
            if participle {
                continue;
            }
        }
        // "McConnell, now the majority leader, who in 2010 said …": the relative pronoun's
        // antecedent.
        // Only when "who" governs this verb ("who in 2010 said"), not when the verb follows
        // the end of the relative clause ("X, who studies voting, said").
        if let Some(who) = (j.saturating_sub(6).max(start)..j)
            .rev()
            .find(|&k| p.word(k).is_some_and(|x| x == "who"))
            .filter(|&who| (who..j).all(|k| p.punct(k) != Some(",")))
        {
            // A person before a place: "Fiona Abernant-Clough, the MP for Wrenhythe and the
            // Wenlow Valley, who called it …".
            let before: Vec<usize> = (who.saturating_sub(20).max(start)..who)
                .rev()
                .filter_map(|k| p.chunk_ending(k))
                .collect();
            let person = before
                .iter()
                .find(|&&c| p.chunks[c].kind == EntityKind::Person)
                .or_else(|| before.iter().find(|&&c| p.chunks[c].kind != EntityKind::Org));
            if let Some(&c) = person {
                return Some(Found { np: Np::Chunk(c), direct: adjacent, at: Some(j) });
            }
        }
        // "where a hand-painted sign on the brickworks fence reads: “…”": the sign speaks, for
        // nobody, unless a person is the subject ("Okafor, holding a sign, said").
        // The noun must belong to the verb's own clause: no comma between them ("In a message
        // to staff, the chief executive said" is the chief executive's).
        if let Some(sign) = (j.saturating_sub(7).max(start)..j)
            .rev()
            .take_while(|&k| p.punct(k) != Some(","))
            .find_map(|k| p.word(k).filter(|w| cues::is_sign_noun(w)))
            .filter(|_| p.chunks_in(start, j).iter().all(|c| c.kind != EntityKind::Person))
        {
            let np = Np::Role { noun: sign.to_string(), org: None };
            return Some(Found { np, direct: adjacent, at: Some(j) });
        }
        // "her memo to staff explaining the sale, “…”": a participle right after a noun
        // describes the noun; the speaker, if any, comes earlier ("As Marr put it …").
        // Only after a message ("memo", "statement") a few words back: "a crowd of fishermen
        // saying …" are the ones speaking. Looked at only for a participle.
        let after_message = || {
            p.word(j - 1).is_some_and(|x| !is_preposition(x) && !matches!(x, "and" | "or" | "but"))
                && (j.saturating_sub(5).max(start)..j).any(|k| {
                    p.word(k).is_some_and(|x| cues::is_message_noun(x) || cues::is_document_noun(x))
                })
        };
        if lw.ends_with("ing")
            && j > start
            && after_message()
            && matches!(np_backward(p, j, start), Some(Np::Role { .. }))
        {
            continue;
        }
        match np_backward(p, j, start) {
            // "Clinton says Trump’s flurry of tweets was “…”": a group or noun before a later
            // verb-like word ("tweets") is kept only if no earlier speech verb has a speaker.
            Some(Np::Group) => {
                group.get_or_insert(Found { np: Np::Group, direct: adjacent, at: Some(j) });
                continue;
            }
            Some(np) => return Some(Found { np, direct: adjacent, at: Some(j) }),
            None => {}
        }
        // "Said Okafor: “…”", "…, told the Courier: “…”" with the subject after the verb; a
        // participle or a verb of praise or blame has its object there ("accusing Varga of").
        if !cues::takes_object(w) && !lw.ends_with("ing") {
            if let Some((np @ Np::Chunk(_), _)) = np_forward(p, j + 1, q) {
                return Some(Found { np, direct: adjacent, at: Some(j) });
            }
        }
    }
    group
}

/// Whether only punctuation separates the end of the noun phrase starting at `from` and `q`.
fn adjacent_after(p: &Para, from: usize, q: usize) -> bool {
    match np_forward(p, from, q) {
        Some((_, k)) => (k..q).all(|i| p.punct(i).is_some()),
        None => false,
    }
}

/// `Okafor was blunt: “…”`: a colon right before the quotation and a name in the stretch.
pub fn colon(p: &Para, q: usize) -> Option<Found> {
    if q == 0 || p.punct(q - 1) != Some(":") {
        return None;
    }
    let mut start = p.before_start(q);
    // "Addressing the strikers, O’Brien said:": the speech verb's own subject.
    if q >= 2 && p.is_cue_at(q - 2) {
        if let Some(np @ (Np::Chunk(_) | Np::Pronoun(_))) = np_backward(p, q - 2, start) {
            return Some(Found { np, direct: true, at: None });
        }
    }
    // "With Democratic leaders worried, President Obama is rolling out a message: “…”": past an
    // opening phrase to its comma, where the subject stands.
    if p.word(start).is_some_and(|w| {
        cues::is_clause_opener(w) || OPENING_PREPOSITIONS.contains(&w.to_lowercase().as_str())
    }) {
        if let Some(comma) = (start..q).find(|&k| p.punct(k) == Some(",")) {
            if p.first_chunk_in(comma + 1, q).is_some() {
                start = comma + 1;
            }
        }
    }
    // "HARBOUR SURVEYS MISSED THE SWING – Ana Obi: “…”": a heading, then the person after its dash.
    if let Some(dash) = (start..q).rev().find(|&k| matches!(p.punct(k), Some("-" | "–" | "—")))
    {
        if p.first_chunk_in(dash + 1, q).is_some() {
            start = dash + 1;
        }
    }
    if let Some(c) = p.first_chunk_in(start, q) {
        // "Dunmere manager Renée Dufresne was gracious: “…”": the person after the role.
        let np = match np_forward(p, p.chunks[c].tok_start, q) {
            Some((np @ Np::Chunk(_), _)) => np,
            _ => Np::Chunk(c),
        };
        return Some(Found { np, direct: true, at: None });
    }
    // "(Asked how it felt, she was brief: “…”)"
    (start..q).find_map(|k| p.word(k).and_then(cues::pronoun_gender)).map(|g| Found {
        np: Np::Pronoun(g),
        direct: true,
        at: None,
    })
}

/// The name a paragraph of its own gives after a dash, as under a quotation standing alone
/// ("“…”" then "— Ilse Marr, Carrow.", in quotation boxes, fact checks and lists of the day's
/// quotes): the chunk right after the dash. Not a heading between dashes ("– Talks resume –"),
/// a paragraph with a quotation or a sentence of narrative (more than a dozen words).
pub fn dash_byline(p: &Para) -> Option<Np> {
    let dash = |k: usize| matches!(p.punct(k), Some("-" | "—" | "–"));
    let last = p.toks.len().checked_sub(1)?;
    if !dash(0) || !p.quote_tok.is_empty() || (1..=last).rev().take(2).any(dash) {
        return None;
    }
    if (0..p.toks.len()).filter(|&k| p.word(k).is_some()).count() > 12 {
        return None;
    }
    p.chunk_starting(1).map(Np::Chunk)
}

/// Whether name chunk `c` is the subject of a speech verb right after it (`Alder argues`,
/// `Marr said the levy was only the first step`), outside any quotation: the token of that
/// verb. A person reported so is a speaker for the pronouns after it. Participles and verbs
/// that are speech only beside a quotation are not counted. Only the word after each chunk is
/// looked at, so the scan costs a lookup per name, not per word.
pub fn narrative_cue(p: &Para, c: usize) -> Option<usize> {
    let mut k = p.chunks[c].tok_end;
    while p.word(k).is_some_and(|w| cues::is_adverb(w) && !is_capitalised(w)) {
        k += 1;
    }
    let w = p.word(k)?;
    let speech = p.is_cue_at(k) && !w.ends_with("ing") && !cues::is_weak_cue(w);
    speech.then_some(k)
}

/// `Okafor hailed the vote as “a fine day for the port.”`, `She then implied that the board should be
/// “shown the door”`: a quotation inside a sentence whose verb is no speech verb (so no cue
/// rule found it) is said by the sentence's subject, when that subject is a name or he/she
/// that opens the sentence (or follows a short opening phrase, "On Monday, Okafor …") and a
/// lower-case verb follows it before the quotation.
///
/// None for a quotation that opens its sentence, a subject that is a possessive (`Okafor’s
/// plan promised “…”`: the plan is no speaker), a group or a role, and a name that is the
/// object of a preposition.
pub fn sentence_subject(p: &Para, q: usize) -> Option<Found> {
    let start = p.sentence_start(q);
    if start >= q {
        return None;
    }
    let mut from = start;
    for _ in 0..2 {
        if let Some(found) = subject_at(p, from, q) {
            return Some(found);
        }
        // Past an opening phrase to its comma: "On Monday, Okafor …", "After the vote, she …".
        let opener = p.word(from).is_some_and(|w| {
            cues::is_clause_opener(w)
                || super::words::with_lowercase(w, |l| OPENING_PREPOSITIONS.contains(&l))
        });
        if !opener {
            return None;
        }
        let comma = (from..q).find(|&k| p.punct(k) == Some(","))?;
        if comma - from > 12 {
            return None;
        }
        from = comma + 1;
    }
    None
}

/// The subject noun phrase at token `from` and its verb before quote token `q`.
fn subject_at(p: &Para, mut from: usize, q: usize) -> Option<Found> {
    // "But Okafor …", "And she …"
    if p.word(from).is_some_and(|w| {
        super::words::with_lowercase(w, |l| matches!(l, "but" | "and" | "yet" | "so" | "still"))
    }) {
        from += 1;
    }
    let (np, end) = np_forward(p, from, q)?;
    match np {
        Np::Chunk(c) => {
            let chunk = &p.chunks[c];
            let last = tok_text(p.text, &p.toks[chunk.tok_end - 1]);
            let possessive = super::text::strip_possessive(last) != last;
            // Whether the name is a person or an organisation is for the caller to tell, from
            // the article's entities.
            if possessive || chunk.after_preposition {
                return None;
            }
        }
        Np::Pronoun(Some(_)) => {}
        _ => return None,
    }
    // Past a parenthesis ("Okafor (D-Veld)") and an appositive ("Okafor, a senator,").
    let mut k = end;
    if p.punct(k) == Some("(") {
        k = (k + 1..q.min(k + 12)).find(|&m| p.punct(m) == Some(")"))? + 1;
    }
    if p.punct(k) == Some(",") {
        k = (k + 1..q.min(k + 25)).find(|&m| p.punct(m) == Some(","))? + 1;
    }
    while k < q && p.word(k).is_some_and(|w| cues::is_adverb(w) && !is_capitalised(w)) {
        k += 1;
    }
    let verb = p.word(k).filter(|_| k < q)?;
    let not_verb = is_capitalised(verb)
        || is_preposition(verb)
        || matches!(verb, "and" | "or" | "who" | "which" | "that" | "whose" | "nor");
    (!not_verb).then_some(Found { np, direct: false, at: Some(from) })
}

/// Prepositions that open a sentence with a phrase before its subject ("With …, Obama said").
const OPENING_PREPOSITIONS: &[&str] = &[
    "with", "in", "at", "on", "after", "before", "during", "despite", "amid", "for", "from", "by",
    "under",
];

/// Skips `, a role at X,` (or a parenthesis such as `(R-Utah)`) after a noun phrase ending
/// before `k`, when a cue follows it.
fn skip_appositive(p: &Para, k: usize, end: usize) -> usize {
    if p.punct(k) == Some("(") {
        if let Some(close) = (k + 1..end.min(k + 12)).find(|&m| p.punct(m) == Some(")")) {
            return skip_appositive(p, close + 1, end);
        }
    }
    if p.punct(k) != Some(",") {
        return k;
    }
    let mut m = k + 1;
    while m < end && m < k + 25 {
        if p.punct(m) == Some(",") {
            let mut n = m + 1;
            while n < end && p.word(n).is_some_and(cues::is_adverb) {
                n += 1;
            }
            if n < end && p.is_cue_at(n) {
                return m + 1;
            }
        }
        m += 1;
    }
    k
}

/// The noun phrase starting at token `i` (before `end`) and the index after it.
fn np_forward(p: &Para, i: usize, end: usize) -> Option<(Np, usize)> {
    if i >= end {
        return None;
    }
    if let Some(c) = p.chunk_starting(i) {
        return Some(chunk_np(p, c, end));
    }
    np_forward_word(p, i, end)
}

/// The person named right after chunk `c` when `c` is their owner (before `end`): "said
/// Veldmoor’s Tomas Brekke", "The Post’s Ines Marr", and a plural owner, whose possessive is
/// its apostrophe alone ("the Ledgers’ Ana Obi").
fn owners_person(p: &Para, c: usize, end: usize) -> Option<usize> {
    let end_tok = p.chunks[c].tok_end;
    let last = tok_text(p.text, &p.toks[end_tok - 1]);
    let plural = last.ends_with(['s', 'S'])
        && p.toks.get(end_tok).is_some_and(|t| {
            t.start == p.toks[end_tok - 1].end && matches!(&p.text[t.start..t.end], "'" | "’")
        });
    if super::text::strip_possessive(last) == last && !plural {
        return None;
    }
    let after = end_tok + usize::from(plural);
    let d = p.chunk_starting(after).filter(|_| after < end)?;
    (p.chunks[d].kind == EntityKind::Person).then_some(d)
}

/// The noun phrase opened by chunk `c`: the chunk itself, or the person named after it and a
/// role ("Korvath chief executive Anneliese Dubois-Mwangi": the person, not the company).
fn chunk_np(p: &Para, c: usize, end: usize) -> (Np, usize) {
    if let Some(d) = owners_person(p, c, end) {
        return (Np::Chunk(d), p.chunks[d].tok_end);
    }
    // "Labour MP for Elwin North, Dafydd Rees, wrote": an office's title ending in "for" or
    // "of" names a place; the person is the name set off after it.
    let office =
        p.chunks[c].title.as_deref().is_some_and(|t| t.ends_with(" for") || t.ends_with(" of"));
    let after = p.chunks[c].tok_end;
    if office && after + 1 < end && p.punct(after) == Some(",") {
        if let Some(d) = p.chunk_starting(after + 1).filter(|&d| {
            p.chunks[d].kind == EntityKind::Person
                && p.chunks[d].tok_end <= end
                && p.punct(p.chunks[d].tok_end) == Some(",")
        }) {
            return (Np::Chunk(d), p.chunks[d].tok_end);
        }
    }
    {
        let mut k = p.chunks[c].tok_end;
        while k < end
            && k < p.chunks[c].tok_end + 3
            && p.word(k).is_some_and(|w| {
                !is_capitalised(w)
                    && !cues::is_cue(w)
                    && !cues::is_adverb(w)
                    && !cues::is_determiner(w)
            })
        {
            k += 1;
        }
        // Only when the words between are a role ("chief executive"), not a verb ("Okafor
        // attacked Lindqvist").
        if k > p.chunks[c].tok_end && p.word(k - 1).is_some_and(names::is_person_role) {
            // "… chief executive Anneliese …" or "… chief executive, Anneliese …,"
            let named = p
                .chunk_starting(k)
                .or_else(|| (p.punct(k) == Some(",")).then(|| p.chunk_starting(k + 1)).flatten());
            if let Some(d) = named {
                return (Np::Chunk(d), p.chunks[d].tok_end);
            }
        }
        (Np::Chunk(c), p.chunks[c].tok_end)
    }
}

/// `np_forward` at a word that opens no chunk: a pronoun, roles before a name, a role phrase.
fn np_forward_word(p: &Para, i: usize, end: usize) -> Option<(Np, usize)> {
    let w = p.word(i)?;
    if let Some(g) = cues::pronoun_gender(w) {
        return Some((Np::Pronoun(g), i + 1));
    }
    if w.eq_ignore_ascii_case("it") {
        return Some((Np::It, i + 1));
    }
    if matches!(w.to_lowercase().as_str(), "they" | "i" | "we" | "you") {
        return Some((Np::Group, i + 1));
    }
    // Lower-case role words right before a name: "said economist Iris Pemberton".
    let mut k = i;
    while k < end
        && k < i + 4
        && p.word(k)
            .is_some_and(|x| !is_capitalised(x) && !cues::is_determiner(x) && !cues::is_cue(x))
    {
        k += 1;
    }
    // "once Rovers began": a clause opener is not a role ("founder and chief executive" is).
    // "former Calder Port agent Ines Marr": past the organisation to the person, as above.
    if k > i && !p.word(i).is_some_and(cues::is_clause_opener) {
        if let Some(c) = p.chunk_starting(k) {
            if p.chunks[c].kind != EntityKind::Unknown || k == i + 1 {
                return Some(chunk_np(p, c, end));
            }
        }
    }
    if cues::is_determiner(w) {
        return role_forward(p, i, end);
    }
    // "“…” and pledged 400 million": a conjunction opens a second verb of the same subject,
    // not a group of speakers.
    if !is_capitalised(w) && !cues::is_cue(w) && !cues::is_adverb(w) && !cues::is_clause_opener(w) {
        // A headline's bare role ("minister says") or a group ("officials", "police").
        if names::is_person_role(w) {
            return Some((Np::Role { noun: w.to_string(), org: None }, i + 1));
        }
        // A verb form ("“…,” giving states more power") opens no noun phrase.
        if w.ends_with("ing") || w.ends_with("ed") {
            return None;
        }
        return Some((Np::Group, i + 1));
    }
    None
}

/// A role phrase from determiner `i`: `the senator`, `a spokeswoman for Velder Logistics`,
/// `the company’s chief executive, Lena Ost`.
fn role_forward(p: &Para, i: usize, end: usize) -> Option<(Np, usize)> {
    let mut k = i + 1;
    let mut noun: Option<String> = None;
    let mut org = None;
    // After "for", "of"… the head noun is fixed: "a spokeswoman for Velder Logistics".
    let mut head_done = false;
    while k < end && k < i + 9 {
        if let Some(c) = p.chunk_starting(k) {
            // "the Carrow Ledger’s Ana Obi": the owner's person.
            if let Some(d) = owners_person(p, c, end) {
                return Some((Np::Chunk(d), p.chunks[d].tok_end));
            }
            // "the Ledger’s senior editor Mara Quill": a person named right after a role is
            // the role's holder, not its organisation.
            let role_before = noun.as_deref().is_some_and(names::is_person_role);
            if role_before && !head_done && p.chunks[c].kind == EntityKind::Person {
                return Some((Np::Chunk(c), p.chunks[c].tok_end));
            }
            // "a spokeswoman for Velder", "the Rovers manager", "a Nordhaven spokeswoman".
            org = Some(c);
            k = p.chunks[c].tok_end;
            continue;
        }
        let Some(w) = p.word(k) else { break };
        if cues::is_cue(w) || cues::is_adverb(w) && noun.is_some() {
            break;
        }
        if matches!(w, "for" | "at" | "of" | "from" | "with" | "to" | "on" | "in" | "by") {
            head_done = noun.is_some();
            k += 1;
            continue;
        }
        if !head_done {
            noun = Some(w.trim_end_matches("’s").trim_end_matches("'s").to_string());
        }
        k += 1;
    }
    // "the company’s chief executive, Lena Ost, said"
    if p.punct(k) == Some(",") {
        if let Some(c) = p.chunk_starting(k + 1) {
            if p.chunks[c].kind == EntityKind::Person {
                return Some((Np::Chunk(c), p.chunks[c].tok_end));
            }
        }
    }
    // "“…,” the Ledger wrote": a determiner and a name alone are the name.
    let Some(noun) = noun else {
        return org.map(|c| (Np::Chunk(c), k));
    };
    Some((Np::Role { noun, org }, k))
}

/// The name or pronoun that opens the clause starting at `start`, or that follows a short
/// opening adverbial ("During a speech earlier in the day, Trump …").
fn clause_start_np(p: &Para, start: usize, limit: usize) -> Option<Np> {
    let mut from = start;
    loop {
        if let Some((np @ (Np::Chunk(_) | Np::Pronoun(_)), _)) = np_forward(p, from, limit) {
            if !matches!(np, Np::Chunk(c) if is_place_continued(p, c)) {
                return Some(np);
            }
        }
        // Past an opening phrase to its comma, or past a dateline to its dash.
        let comma = (from..limit).find(|&k| matches!(p.punct(k), Some("," | "—" | "–")))?;
        if comma - from > 12 {
            return None;
        }
        from = comma + 1;
    }
}

/// `in Harwick, New Carrow, Brekke …`: chunk `c` goes on naming the place before its comma
/// (that chunk followed a preposition), and is set off by a comma after it too. Not a name
/// that opens with a given name or a title (`In Carrow, Ines Marr, the mayor, …`).
fn is_place_continued(p: &Para, c: usize) -> bool {
    let chunk = &p.chunks[c];
    chunk.title.is_none()
        && !names::is_given_name(chunk.words[0])
        && chunk.tok_start >= 2
        && p.punct(chunk.tok_start - 1) == Some(",")
        && p.punct(chunk.tok_end) == Some(",")
        && p.chunk_ending(chunk.tok_start - 2).is_some_and(|b| p.chunks[b].after_preposition)
}

/// The subject of a clause whose verb follows an appositive ending at comma `comma`: the noun
/// phrase at the clause start, or right after an opening adverbial ("On Monday, Okafor, 51,").
fn clause_subject(p: &Para, start: usize, comma: usize) -> Option<Np> {
    let mut from = start;
    while from < comma {
        // "But Fitton, the president of …, said": past a conjunction.
        while from < comma
            && p.word(from).is_some_and(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "but" | "and" | "yet" | "so" | "still" | "now" | "as"
                )
            })
        {
            from += 1;
        }
        if let Some((np, end)) = np_forward(p, from, comma) {
            if p.punct(end) == Some(",") && !matches!(np, Np::Group | Np::Role { .. }) {
                return Some(np);
            }
            if !matches!(np, Np::Group) {
                return None;
            }
        }
        // Skip an opening adverbial up to its comma ("In a call with reporters on Dec. 2,").
        match (from..comma).find(|&k| p.punct(k) == Some(",")) {
            Some(c) if c < comma && c - from <= 15 => from = c + 1,
            _ => return None,
        }
    }
    None
}

/// The person whose appositive ends with the organisation or place chunk `c`: `Ines Marr, an
/// economist at the Calder Trust` -> Ines Marr, `Rep. Ana Obi (D-Veld), chair of the Harbour
/// Committee` -> Ana Obi. The words between the comma and `c` must name a person's role.
fn appositive_owner(p: &Para, c: usize, start: usize) -> Option<usize> {
    if p.chunks[c].kind == EntityKind::Person {
        return None;
    }
    let from = p.chunks[c].tok_start;
    let mut role = false;
    let mut m = from;
    while m > start && from - m < 9 {
        m -= 1;
        if p.punct(m) == Some(",") {
            break;
        }
        let w = p.word(m)?;
        if is_capitalised(w)
            && !p.chunk_ending(m).is_some_and(|d| p.chunks[d].kind == EntityKind::Org)
        {
            return None;
        }
        role |= names::is_person_role(w);
    }
    if !role || p.punct(m) != Some(",") || m <= start {
        return None;
    }
    // Past a party and state in parentheses: "Rep. Ana Obi (D-Veld), …".
    let mut end = m - 1;
    if p.punct(end) == Some(")") {
        end = (end.saturating_sub(8).max(start)..end).rev().find(|&k| p.punct(k) == Some("("))?;
        end = end.checked_sub(1)?;
    }
    let owner = p.chunk_ending(end)?;
    (p.chunks[owner].kind != EntityKind::Org).then_some(owner)
}

/// The noun phrase ending right before cue token `cue` (skipping adverbs and an appositive).
fn np_backward(p: &Para, cue: usize, start: usize) -> Option<Np> {
    let mut k = cue;
    let step_adverbs = |mut k: usize| {
        while k > start && p.word(k - 1).is_some_and(|w| cues::is_adverb(w) && !is_capitalised(w)) {
            k -= 1;
        }
        k
    };
    k = step_adverbs(k);
    // "Okafor was quick to say", "was prompted to add", "seemed to say": the speech verb of
    // an infinitive belongs to the subject of the verb it completes.
    if k >= start + 2 && p.word(k - 1) == Some("to") {
        let frame = p.word(k - 2).is_some_and(|w| INFINITIVE_FRAMES.contains(&w));
        let after_be = k >= start + 3
            && p.word(k - 2).is_some_and(|w| !is_capitalised(w) && !cues::is_cue(w))
            && p.word(k - 3).is_some_and(|w| matches!(w, "was" | "is" | "were" | "are" | "been"));
        if frame {
            k = step_adverbs(k - 2);
        } else if after_be {
            k = step_adverbs(k - 3);
        }
    }
    if k == start {
        return None;
    }
    let mut last = k - 1;
    // "Rep. John Mica (R-Fla.) said": step over the parenthesis.
    if p.punct(last) == Some(")") {
        if let Some(open) =
            (last.saturating_sub(12).max(start)..last).rev().find(|&m| p.punct(m) == Some("("))
        {
            if open == start {
                return None;
            }
            last = open - 1;
        }
    }
    // "Okafor, 51, a former inspector from Carrow Bay, said": the subject opens the clause and
    // one or more appositives follow it; "Tessaline’s chief executive, Marguerite
    // Vandersloot, said": the name itself sits between the commas.
    // "Ines Marr, author of “The Unwritten Harbour,” put it": a title that ends with the
    // appositive's comma closes the appositive as the comma would.
    let title_comma = !p.word(cue).is_some_and(|w| w.ends_with("ing"))
        && last > start
        && p.word(last - 1).is_some_and(|w| strip_possessive(w) == w)
        && p.is_embedded_title(last)
        && super::text::ends_with_inner_comma(tok_text(p.text, &p.toks[last]));
    if p.punct(last) == Some(",") || title_comma {
        if let Some(np) = clause_subject(p, start, last) {
            return Some(np);
        }
        if last > start {
            if let Some(c) = p.chunk_ending(last - 1) {
                return Some(Np::Chunk(appositive_owner(p, c, start).unwrap_or(c)));
            }
        }
        let mut m = last;
        let mut found = None;
        while m > start && m + 30 > last {
            m -= 1;
            if p.punct(m) == Some(",") && m > start {
                found = Some(m - 1);
                break;
            }
        }
        last = found?;
    }
    if let Some(c) = p.chunk_ending(last) {
        return Some(Np::Chunk(appositive_owner(p, c, start).unwrap_or(c)));
    }
    let w = p.word(last)?;
    if let Some(g) = cues::pronoun_gender(w) {
        return Some(Np::Pronoun(g));
    }
    if w.eq_ignore_ascii_case("it") {
        return Some(Np::It);
    }
    if cues::is_pronoun(w) {
        return Some(Np::Group);
    }
    if is_capitalised(w) {
        return None;
    }
    // Walk back to a determiner: "the senator", "a spokeswoman for Velder Logistics".
    let mut m = last;
    while m > start && last - m < 8 {
        if p.word(m).is_some_and(cues::is_determiner) {
            if let Some((np, _)) = role_forward(p, m, last + 1) {
                return Some(np);
            }
            break;
        }
        if p.word(m).is_none() && p.chunk_ending(m).is_none() {
            break;
        }
        m -= 1;
    }
    if p.word(m).is_some_and(cues::is_determiner) {
        if let Some((np, _)) = role_forward(p, m, last + 1) {
            return Some(np);
        }
    }
    // "Velder Logistics spokeswoman said": an organisation's spokesperson.
    if last > start {
        if let Some(c) = p.chunk_ending(last - 1) {
            return Some(Np::Role { noun: w.to_string(), org: Some(c) });
        }
    }
    if cues::is_cue(w) || cues::is_adverb(w) {
        return None;
    }
    Some(Np::Group)
}

/// Verbs completed by an infinitive of speech, whose subject is the speaker's ("Okafor seemed
/// to say").
const INFINITIVE_FRAMES: &[&str] = &[
    "seemed",
    "seems",
    "appeared",
    "appears",
    "wanted",
    "wants",
    "tried",
    "tries",
    "decided",
    "chose",
    "rushed",
    "hastened",
    "continued",
    "continues",
    "began",
    "used",
    "managed",
];

/// The gender of a family description ("mother-of-three", "father-of-two"), as British
/// reports call back someone already named.
fn family_gender(noun: &str) -> Option<Gender> {
    let n = noun.to_lowercase();
    let (woman, man) = (
        ["mother-of-", "mum-of-", "grandmother-of-"],
        ["father-of-", "dad-of-", "grandfather-of-"],
    );
    if woman.iter().any(|p| n.starts_with(p)) {
        Some(Gender::Female)
    } else if man.iter().any(|p| n.starts_with(p)) {
        Some(Gender::Male)
    } else {
        None
    }
}

/// Resolves a noun phrase in paragraph `para` at position `at` to an entity.
pub fn resolve(ents: &Entities, p: &Para, para: usize, np: &Np, at: Pos) -> Option<usize> {
    match np {
        Np::Chunk(c) => {
            let chunk = &p.chunks[*c];
            chunk.entity.or_else(|| ents.resolve_word(chunk.words[0], (para, chunk.tok_start)))
        }
        Np::Pronoun(g) => ents.resolve_pronoun(*g, at),
        Np::It => ents.resolve_it(at),
        // A sign speaks for nobody; a letter's author is found elsewhere, if anywhere.
        np if np.is_nobody() => None,
        // "A letter from the Veld Harbour Authority said": the organisation wrote it.
        Np::Role { org: None, .. } if np.is_document() => None,
        Np::Role { noun, org } => {
            let org = org.and_then(|c| p.chunks[c].entity);
            let speaks_for_org = ["spokes", "representative", "official", "statement", "release"]
                .iter()
                .any(|x| noun.to_lowercase().starts_with(x));
            match org {
                // "An aide to Okafor" is not Okafor, and nobody we can name.
                Some(e) if ents.list[e].kind == EntityKind::Person => None,
                // "a spokeswoman for Velder Logistics", "a Nordhaven spokeswoman": the
                // organisation speaks.
                Some(e) if speaks_for_org => Some(e),
                // "the Rovers manager": the person who holds that role, else the organisation;
                // never a place ("the New Carrow governor" is nobody we can name, not New
                // Carrow).
                Some(e) => ents
                    .resolve_role(noun, at)
                    .or((ents.list[e].kind == EntityKind::Org).then_some(e)),
                // "“…,” the mother-of-three added": someone already named, found as "she"
                // would be; never a role anybody holds.
                None => ents.resolve_role(noun, at).or_else(|| {
                    family_gender(noun).and_then(|g| ents.resolve_pronoun(Some(g), at))
                }),
            }
        }
        Np::Group => None,
    }
}

/// A verb that governs a short quoted phrase, and the noun phrase that says the phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Governor {
    pub np: Np,
    /// Token of the verb.
    pub at: usize,
}

impl Governor {
    /// Where the noun phrase stands, for resolving it: a pronoun refers to someone named before
    /// the pronoun, not to the object between it and the verb ("he cut into Bush, calling him
    /// …").
    pub fn np_at(&self, p: &Para) -> usize {
        match self.np {
            Np::Pronoun(_) => (0..self.at)
                .rev()
                .find(|&k| p.word(k).and_then(cues::pronoun_gender).is_some())
                .unwrap_or(self.at),
            _ => self.at,
        }
    }
}

/// The speech, naming or quoting verb that governs the quoted phrase at quote token `q`, and
/// who says the phrase: `Okafor called the budget “a fantasy”`, `she said the defeat was
/// “deeply embarrassing”`, `vowed to “fight on”`, `described the attack as “utterly
/// cowardly”`, `was called “a tax on commuters” by Ines Varga` (the agent).
///
/// None for a term nobody is quoted as saying: `the so-called “smart corridor”`, `known as
/// “the Wall”`, `what the council calls a “library corner”`, a passive without an agent (`is
/// said to “argue with itself”`), or a phrase of another verb's clause (`urged calm and offered
/// the hall as a “neutral venue”`). Whether the sayer is a person is for the caller to decide.
pub fn governing_verb(p: &Para, q: usize) -> Option<Governor> {
    if q > 0 && p.word(q - 1).is_some_and(|w| w.eq_ignore_ascii_case("so-called")) {
        return None;
    }
    // Back to the verb within the sentence, stepping over quoted phrases of a list that do not
    // end a sentence (`called it “a sellout,” “a stitch-up” and “a gift”`).
    let mut j = q;
    let verb = loop {
        if j == 0 || q - j >= MAX_GOVERNOR_DISTANCE || ends_sentence(p.text, p.toks, j - 1) {
            return None;
        }
        j -= 1;
        if p.is_quote(j) {
            if ends_in_sentence_mark(p, j) {
                return None;
            }
            continue;
        }
        let Some(w) = p.word(j) else { continue };
        if is_capitalised(w) {
            continue;
        }
        // "Marr's claim that the port lost “thousands of containers”": the claim's owner.
        // Not when the noun is a verb's object ("called Clinton's remarks a “new low”").
        if j > 0 && cues::is_speech_noun(w) {
            if let Some(np) = possessor(p, j - 1) {
                let owner = match np {
                    Np::Chunk(c) => p.chunks[c].tok_start,
                    _ => j - 1,
                };
                let object = owner > 0 && p.word(owner - 1).is_some_and(cues::is_quoting_verb);
                if !object {
                    return Some(Governor { np, at: j });
                }
            }
        }
        // "the rules", "his calls for": a noun, unless it is an adjective on the phrase itself
        // ("the promised “reset”").
        let noun = j > 0
            && p.word(j - 1)
                .is_some_and(|x| cues::is_determiner(x) || super::text::strip_possessive(x) != x);
        if cues::is_quoting_verb(w) && noun && j + 1 == q {
            return None;
        }
        if cues::is_quoting_verb(w) && !noun && !cues::is_weak_cue(w) {
            break j;
        }
        // A name for something, not anyone's words: "known as", "nicknamed", "titled".
        if super::words::with_lowercase(w, |l| {
            matches!(l, "known" | "nicknamed" | "titled" | "entitled")
        }) {
            return None;
        }
        // The second verb of a coordinated predicate owns what follows it: "urged calm and
        // offered the hall as a “neutral venue”".
        if j > 0 && matches!(p.word(j - 1), Some("and" | "but")) && is_past_verb(w) {
            return None;
        }
    };
    let start = p.before_start(verb);
    let w = p.word(verb)?;
    // Auxiliaries before the verb: a form of "be" makes it passive ("has been called").
    let mut k = verb;
    let mut passive = false;
    while k > start && p.word(k - 1).is_some_and(|x| cues::is_adverb(x) && !is_capitalised(x)) {
        k -= 1;
        passive |= p
            .word(k)
            .is_some_and(|x| matches!(x, "is" | "was" | "were" | "are" | "be" | "been" | "being"));
    }
    if passive && !w.ends_with("ing") {
        // Only an agent says it: "was called “a tax” by Ines Varga", "described by Varga as".
        let by = (verb + 1..q).chain([q + 1]).find(|&m| p.word(m) == Some("by"))?;
        let c = p.chunk_starting(by + 1)?;
        return Some(Governor { np: Np::Chunk(c), at: verb });
    }
    // "what the council calls", "what he described as": the sayer's term for something.
    if (k.saturating_sub(5).max(start)..k)
        .any(|m| p.word(m).is_some_and(|x| x.eq_ignore_ascii_case("what")))
        && (k.saturating_sub(5).max(start)..k).all(|m| p.punct(m).is_none())
    {
        return None;
    }
    // "vowed to call it …", "have taken to calling": the subject of the verb before "to".
    if k > start + 1 && p.word(k - 1) == Some("to") && p.word(k - 2).is_some() {
        let v = k - 2;
        let mut a = v;
        while a > start && p.word(a - 1).is_some_and(|x| cues::is_adverb(x) && !is_capitalised(x)) {
            a -= 1;
        }
        return subject_before(p, v, a, start).map(|np| Governor { np, at: verb });
    }
    subject_before(p, verb, k, start).map(|np| Governor { np, at: verb })
}

/// The subject of the verb at token `verb`, whose auxiliaries and adverbs begin at `k`, in
/// the clause that starts at `start`.
fn subject_before(p: &Para, verb: usize, k: usize, start: usize) -> Option<Np> {
    let w = p.word(verb)?;
    // "X praised the crews, calling them …" and "X did A and called it …": the clause's subject.
    let participle = w.ends_with("ing") && k > start && p.punct(k - 1) == Some(",");
    let coordinated = k > start && p.word(k - 1).is_some_and(|x| matches!(x, "and" | "but"));
    if participle || coordinated {
        // The clause may begin before a quotation: "Bush referred to Rubio as “…” but
        // described his skills as a “work in progress”".
        let mut s = start;
        while s > 0 && p.is_quote(s - 1) && !ends_in_sentence_mark(p, s - 1) {
            s = p.before_start(s - 1);
        }
        return clause_start_np(p, s, k).or_else(|| first_subject(p, s, k));
    }
    // "Okafor, who called it …": the relative pronoun's antecedent.
    if k > start && p.word(k - 1) == Some("who") {
        let before = k - 1;
        let end =
            if before > start && p.punct(before - 1) == Some(",") { before - 1 } else { before };
        return end.checked_sub(1).and_then(|e| p.chunk_ending(e)).map(Np::Chunk);
    }
    // "A spokeswoman for Averly Terminals said": a name after a preposition is not the subject.
    match np_backward(p, verb, start)? {
        Np::Chunk(c)
            if p.chunks[c].tok_start > start
                && p.word(p.chunks[c].tok_start - 1).is_some_and(is_preposition) =>
        {
            None
        }
        np => Some(np),
    }
}

/// The first name or he/she in `from..to` that is not the object of a preposition or a
/// possessive: the subject of a long clause whose opening `clause_start_np` cannot step over
/// ("But Obama, making it clear that …, stood beside … and described").
fn first_subject(p: &Para, from: usize, to: usize) -> Option<Np> {
    (from..to).find_map(|k| {
        if k > from && p.word(k - 1).is_some_and(is_preposition) {
            return None;
        }
        if let Some(c) = p.chunk_starting(k) {
            let last = tok_text(p.text, &p.toks[p.chunks[c].tok_end - 1]);
            let possessive = super::text::strip_possessive(last) != last;
            return (!possessive && p.chunks[c].kind != EntityKind::Org).then_some(Np::Chunk(c));
        }
        p.word(k).and_then(cues::pronoun_gender).map(Np::Pronoun)
    })
}

/// The person token `k` names as an owner: `his`, `her`, or a name ending in `’s`.
fn possessor(p: &Para, k: usize) -> Option<Np> {
    let w = p.word(k)?;
    match w.to_lowercase().as_str() {
        "his" => return Some(Np::Pronoun(Some(Gender::Male))),
        "her" => return Some(Np::Pronoun(Some(Gender::Female))),
        _ => {}
    }
    let c = p.chunk_ending(k)?;
    (super::text::strip_possessive(w) != w).then_some(Np::Chunk(c))
}

/// Whether quotation token `k` ends a sentence inside its marks (`“We will win.”`).
fn ends_in_sentence_mark(p: &Para, k: usize) -> bool {
    tok_text(p.text, &p.toks[k])
        .trim_end_matches(['”', '"', '’', '\'', '»', ')', ' '])
        .ends_with(['.', '!', '?'])
}

/// Prepositions whose object is never the subject of the verb after it.
fn is_preposition(w: &str) -> bool {
    matches!(w, "for" | "of" | "at" | "from" | "to" | "by" | "in" | "on" | "beside" | "about")
}

/// How far back (in tokens) a verb may stand from the short phrase it governs.
const MAX_GOVERNOR_DISTANCE: usize = 30;

/// A lower-case word that reads as a verb in the past tense (`offered`, `took`).
fn is_past_verb(w: &str) -> bool {
    (w.len() > 3 && w.ends_with("ed"))
        || matches!(
            w,
            "made"
                | "took"
                | "gave"
                | "put"
                | "held"
                | "sent"
                | "left"
                | "set"
                | "kept"
                | "brought"
                | "got"
                | "won"
                | "lost"
                | "paid"
                | "went"
                | "came"
                | "ran"
        )
}
