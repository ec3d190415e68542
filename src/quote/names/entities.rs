//! The article's entity table: every person and organisation it names, each mention in text
//! order, and the resolution of later references (surname, first name, pronoun, role noun,
//! `it`) to one entity at a given position.
//!
//! Built once per article from the `chunks` of every paragraph, learning roles (`roles`,
//! `titles`) and gender (honorifics, nearby pronouns); `attribute` asks it who a noun phrase
//! refers to while it attributes quotations in text order.

use super::chunks::{Chunk, EntityKind};
use super::given::given_name_gender;
use super::roles::{appositive, role_before};
use super::titles::{is_person_role, lower, title_gender, title_role};
use crate::quote::cues::{self, Gender};
use crate::quote::fasthash::FastMap;
use crate::quote::text::{ends_sentence, is_capitalised, tok_text, Kind, Tok};
use crate::quote::words::with_lowercase;

/// A position in the article: paragraph index, then token index.
pub type Pos = (usize, usize);

/// Someone or something the article names.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name: the fullest form the article uses, without title.
    pub name: String,
    /// The name's words lower-cased and joined by spaces (see [`key_into`]), for comparing
    /// with other mentions.
    key: String,
    pub kind: EntityKind,
    /// Named after `in`, `at`, `from`… somewhere in the article: probably a place.
    pub place_like: bool,
    /// Title or appositive describing the entity (`Senator`, `chief economist at Norbank`).
    pub role: Option<String>,
    /// Named with a title, a role, a known given name, or speaking: surely a person, where a
    /// capitalised run alone may be a place or a show.
    evidence: bool,
    /// Lower-cased words of the title and role, for `the senator said`.
    pub role_words: Vec<String>,
    male: u32,
    female: u32,
}

impl Entity {
    pub fn gender(&self) -> Option<Gender> {
        match self.male.cmp(&self.female) {
            std::cmp::Ordering::Greater => Some(Gender::Male),
            std::cmp::Ordering::Less => Some(Gender::Female),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// A place where an entity is named; `subject` when it is the subject of its sentence.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub entity: usize,
    pub pos: Pos,
    pub subject: bool,
    /// The first subject of its sentence, usually the main clause's (`Okafor said the man
    /// Lind hired …`: Okafor, not Lind).
    pub main: bool,
}

/// Everyone and everything an article names, with every mention in text order.
#[derive(Debug, Default)]
pub struct Entities {
    pub list: Vec<Entity>,
    /// Mentions in the narrative, sorted by position.
    pub mentions: Vec<Mention>,
    /// Positions of quotations attributed so far, sorted (attribution runs in text order).
    speakers: Vec<Mention>,
    /// Per entity: sorted positions of its narrative mentions and of its quotations.
    positions: Vec<Vec<Pos>>,
    spoke_at: Vec<Vec<Pos>>,
    /// Key (see [`key_into`]) -> entity.
    by_words: FastMap<String, usize>,
    /// Lower-cased word -> entities with at least two words that contain it.
    by_word: FastMap<String, Vec<usize>>,
    /// Lower-cased first and last word, joined by a space -> entity.
    by_first_last: FastMap<String, usize>,
    /// Positions of the tokens that end a sentence, sorted; with `para_sentences`, the number
    /// of sentences before each paragraph, they number the sentences of the article.
    sentence_ends: Vec<Pos>,
    para_sentences: Vec<u32>,
}

/// Writes the key of a name's words into `out`: the words lower-cased and joined by single
/// spaces. Words are tokens, which never hold white space, so the key tells the word lists
/// apart as well as the lists themselves would; a reused buffer makes a look-up allocate
/// nothing.
fn key_into(words: &[&str], out: &mut String) {
    out.clear();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        with_lowercase(w, |l| out.push_str(l));
    }
}

/// The first word of a key.
fn first_word(key: &str) -> &str {
    key.split(' ').next().unwrap_or(key)
}

/// The last word of a key.
fn last_word(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

impl Entities {
    /// Builds the entity table from every paragraph's chunks (filling `chunk.entity`), learning
    /// roles from titles and appositives and gender from honorifics and nearby pronouns.
    pub fn build(paras: &mut [(&str, &[Tok], Vec<Chunk>)]) -> Entities {
        let mut ents = Entities::default();
        // Every chunk is mentioned once and makes at most one entity: room for all of them
        // up front instead of growing the tables step by step.
        let chunks: usize = paras.iter().map(|(_, _, c)| c.len()).sum();
        ents.mentions.reserve(chunks);
        ents.by_words.reserve(chunks);
        let mut key = String::new();
        // Pass 1: full names first, so a surname used before the full name still resolves.
        for (_, _, chunks) in paras.iter() {
            for c in chunks {
                if c.words.len() >= 2 {
                    key_into(&c.words, &mut key);
                    ents.intern(c, &key);
                }
            }
        }
        // Sentence ends, to tell how far back a mention is and which subject is a sentence's
        // first.
        ents.para_sentences.reserve(paras.len());
        let mut sentences = 0u32;
        for (p, (text, toks, _)) in paras.iter().enumerate() {
            ents.para_sentences.push(sentences);
            let before = ents.sentence_ends.len();
            for (k, t) in toks.iter().enumerate() {
                if t.kind != Kind::Word && ends_sentence_at(text, toks, k) {
                    ents.sentence_ends.push((p, k));
                }
            }
            sentences += (ents.sentence_ends.len() - before) as u32 + 1;
        }
        let mut main_sentence = None;
        let all_ends = std::mem::take(&mut ents.sentence_ends);
        // Pass 2: every chunk in order, resolving single words to the entities above.
        for (p, (text, toks, chunks)) in paras.iter_mut().enumerate() {
            let mut sentence_persons: Vec<usize> = Vec::new();
            // The paragraph's sentence ends, found above: a cursor over them replaces asking
            // `ends_sentence` again at every token (a full stop asks the abbreviation list)
            // and numbers the sentence of each chunk.
            let ends = &all_ends
                [all_ends.partition_point(|e| e.0 < p)..all_ends.partition_point(|e| e.0 <= p)];
            let mut before = 0;
            let mut ci = 0;
            let mut ti = 0;
            while ti < toks.len() {
                // With nobody in the sentence nothing happens before the next chunk: clearing
                // the list and the gender evidence for one person both need someone in it.
                if sentence_persons.is_empty() {
                    match chunks.get(ci) {
                        Some(c) => ti = ti.max(c.tok_start),
                        None => break,
                    }
                }
                let t = &toks[ti];
                while ends.get(before).is_some_and(|e| e.1 < ti) {
                    before += 1;
                }
                // Only a punctuation mark's end counts here, not a quotation's.
                if ti > 0
                    && toks[ti - 1].kind == Kind::Punct
                    && before > 0
                    && ends[before - 1].1 == ti - 1
                {
                    sentence_persons.clear();
                }
                if ci < chunks.len() && chunks[ci].tok_start == ti {
                    let c = &chunks[ci];
                    let id = if c.words.len() >= 2 {
                        key_into(&c.words, &mut key);
                        ents.by_words.get(key.as_str()).copied()
                    } else {
                        ents.resolve_word(c.words[0], (p, ti))
                    };
                    let id = id.unwrap_or_else(|| {
                        key_into(&c.words, &mut key);
                        ents.intern(c, &key)
                    });
                    ents.learn(id, c, text, toks);
                    let subject = is_subject(text, toks, c);
                    // Whoever says things in the narrative ("Dorothy said she had asked") is a
                    // person, even when only named after "of" or by a first name.
                    if speaks(text, toks, c) {
                        ents.list[id].evidence = true;
                        if ents.list[id].kind == EntityKind::Unknown {
                            ents.list[id].kind = EntityKind::Person;
                        }
                    }
                    let main = subject && {
                        let sentence = ents.para_sentences[p] + before as u32;
                        let first = main_sentence != Some(sentence);
                        main_sentence = Some(sentence);
                        first
                    };
                    ents.mention(id, (p, ti), subject, main);
                    if ents.list[id].kind == EntityKind::Person {
                        sentence_persons.push(id);
                    }
                    chunks[ci].entity = Some(id);
                    ci += 1;
                }
                // "Okafor, 54, said her …": a possessive/object pronoun after exactly one
                // person in the sentence tells that person's gender.
                if t.kind == Kind::Word && sentence_persons.len() == 1 {
                    if let Some(g) = cues::pronoun_evidence(tok_text(text, t)) {
                        let e = &mut ents.list[sentence_persons[0]];
                        match g {
                            Gender::Male => e.male += 1,
                            Gender::Female => e.female += 1,
                        }
                    }
                }
                ti += 1;
            }
        }
        ents.sentence_ends = all_ends;
        ents
    }

    /// The entity of chunk `c`, whose key is `k`, added if new.
    fn intern(&mut self, c: &Chunk, k: &str) -> usize {
        if let Some(&id) = self.by_words.get(k) {
            return id;
        }
        // Same first and last word as a known person: the same person (middle names vary).
        let first_last = k.contains(' ').then(|| format!("{} {}", first_word(k), last_word(k)));
        if let Some(id) = first_last.as_ref().and_then(|fl| self.by_first_last.get(fl)) {
            let id = *id;
            self.by_words.insert(k.to_string(), id);
            return id;
        }
        let id = self.list.len();
        // A person's first name tells their likely gender, for this entity alone: two people
        // who share a surname keep their own.
        let (mut male, mut female) = (0, 0);
        if c.words.len() >= 2 && c.kind != EntityKind::Org {
            match given_name_gender(c.words[0]) {
                Some((Gender::Male, w)) => male = w,
                Some((Gender::Female, w)) => female = w,
                None => {}
            }
        }
        let evidence = c.title.is_some() || male + female > 0;
        self.list.push(Entity {
            name: c.words.join(" "),
            key: k.to_string(),
            kind: c.kind,
            place_like: false,
            role: None,
            evidence,
            role_words: Vec::new(),
            male,
            female,
        });
        self.positions.push(Vec::new());
        self.spoke_at.push(Vec::new());
        if let Some(fl) = first_last {
            self.by_first_last.insert(fl, id);
            for (i, w) in k.split(' ').enumerate() {
                if !k.split(' ').take(i).any(|seen| seen == w) {
                    self.by_word.entry(w.to_string()).or_default().push(id);
                }
            }
        }
        self.by_words.insert(k.to_string(), id);
        id
    }

    /// Records a narrative mention (called in text order).
    fn mention(&mut self, entity: usize, pos: Pos, subject: bool, main: bool) {
        self.mentions.push(Mention { entity, pos, subject, main });
        self.positions[entity].push(pos);
    }

    /// The last position before `at` where `entity` was named or quoted.
    fn last_seen_before(&self, entity: usize, at: Pos) -> Option<Pos> {
        let before = |v: &[Pos]| {
            let i = v.partition_point(|p| *p < at);
            i.checked_sub(1).map(|i| v[i])
        };
        before(&self.positions[entity]).max(before(&self.spoke_at[entity]))
    }

    /// Learns role and gender from a chunk's title and the appositive after it.
    fn learn(&mut self, id: usize, c: &Chunk, text: &str, toks: &[Tok]) {
        let e = &mut self.list[id];
        e.place_like |= c.after_preposition;
        if c.kind == EntityKind::Person && e.kind == EntityKind::Unknown {
            e.kind = EntityKind::Person;
        }
        if c.title.is_some() {
            e.evidence = true;
        }
        if let Some(t) = &c.title {
            match title_gender(t) {
                Some(Gender::Male) => e.male += 3,
                Some(Gender::Female) => e.female += 3,
                None => {}
            }
            if let Some(r) = title_role(t) {
                e.role_words.extend(r.split_whitespace().map(lower));
                if e.role.is_none() {
                    e.role = Some(r);
                }
            }
        }
        let app = appositive(text, toks, c.tok_end);
        let before = role_before(text, toks, c.tok_start);
        let person_role = |r: &str| r.split_whitespace().any(is_person_role);
        for r in [before, app].into_iter().flatten() {
            e.role_words.extend(
                r.split_whitespace().map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric()))),
            );
            // "the capital" describes a place: only a person's role makes a person.
            if person_role(&r) {
                e.evidence = true;
                if e.kind == EntityKind::Unknown {
                    e.kind = EntityKind::Person;
                }
            }
            if e.role.is_none()
                || c.title.is_some()
                    && e.role.as_deref() == c.title.as_deref().and_then(title_role).as_deref()
            {
                e.role = Some(r);
            }
        }
    }

    /// The entity a single name word refers to at `at`: a person or organisation whose last or
    /// first name is that word, most recently mentioned before `at`, else first named after.
    pub fn resolve_word(&self, word: &str, at: Pos) -> Option<usize> {
        with_lowercase(word, |w| self.resolve_lower_word(w, at))
    }

    /// [`Self::resolve_word`] for a lower-cased word.
    fn resolve_lower_word(&self, w: &str, at: Pos) -> Option<usize> {
        let candidates: Vec<usize> = self
            .by_word
            .get(w)
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|&id| {
                        let e = &self.list[id];
                        e.kind == EntityKind::Org
                            || first_word(&e.key) == w
                            || last_word(&e.key) == w
                    })
                    .take(64)
                    .collect()
            })
            .unwrap_or_default();
        // Two people share a surname (a keeper and his wife): newsrooms use the bare surname for
        // the one the story is about, the one introduced first, and first names for the other.
        let mut people = candidates.iter().copied().filter(|&id| {
            self.list[id].kind == EntityKind::Person && last_word(&self.list[id].key) == w
        });
        if let (Some(a), Some(b)) = (people.next(), people.next()) {
            // Entities are numbered in order of first full-name mention.
            return Some(people.fold(a.min(b), usize::min));
        }
        let recent = candidates
            .iter()
            .filter_map(|&id| self.last_seen_before(id, at).map(|p| (p, id)))
            .max()
            .map(|(_, id)| id);
        recent
            .or_else(|| {
                candidates.iter().copied().find(|&id| self.list[id].kind == EntityKind::Person)
            })
            .or_else(|| candidates.first().copied())
            .or_else(|| self.by_words.get(w).copied())
    }

    /// The number of the sentence that holds position `at`.
    fn sentence_of(&self, at: Pos) -> u32 {
        let base = self.para_sentences.get(at.0).copied().unwrap_or(0);
        let from = self.sentence_ends.partition_point(|p| p.0 < at.0);
        let to = self.sentence_ends.partition_point(|p| *p < at);
        base + (to - from) as u32
    }

    /// The person a pronoun at `at` most likely refers to: each person of a fitting gender
    /// named or quoted in the last few paragraphs is scored on how recently and how they were
    /// mentioned (subject, first subject of a sentence, the current speaker…), and the best
    /// wins.
    pub fn resolve_pronoun(&self, gender: Option<Gender>, at: Pos) -> Option<usize> {
        #[cfg(feature = "tune")]
        if std::env::var_os("QUOTH_PRON_OLD").is_some() {
            return self.resolve_pronoun_old(gender, at);
        }
        let fits = |m: &Mention| {
            let e = &self.list[m.entity];
            let g = e.gender();
            e.kind == EntityKind::Person && !(gender.is_some() && g.is_some() && g != gender)
        };
        let here = self.sentence_of(at);
        let spoke_before = self.speakers.partition_point(|m| m.pos < at);
        let current = spoke_before
            .checked_sub(1)
            .map(|i| self.speakers[i])
            .filter(|m| at.0 - m.pos.0 <= 2)
            .map(|m| m.entity);
        // Per candidate, in order of their latest mention: (entity, features).
        let mut cands: Vec<(usize, [f32; PRONOUN_FEATURES])> = Vec::new();
        for m in self.recent(at).take(400) {
            if at.0 - m.pos.0 > 3 {
                break;
            }
            if !fits(&m) {
                continue;
            }
            let dsent = here.saturating_sub(self.sentence_of(m.pos)) as f32;
            let spoke = m.pos.1 == usize::MAX || self.is_speaker_mention(&m);
            if let Some((_, f)) = cands.iter_mut().find(|(e, _)| *e == m.entity) {
                // An earlier mention of a candidate already seen: only what it adds.
                if m.main && dsent <= 2.0 {
                    f[4] = 1.0;
                }
                if spoke {
                    f[5] = 1.0;
                }
                continue;
            }
            if cands.len() == 6 {
                continue;
            }
            let e = &self.list[m.entity];
            let mentions = self.positions[m.entity].partition_point(|p| *p < at) as f32;
            let f = [
                cands.len() as f32,
                dsent.min(6.0),
                (at.0 - m.pos.0) as f32,
                m.subject as u8 as f32,
                (m.main && dsent <= 2.0) as u8 as f32,
                spoke as u8 as f32,
                (current == Some(m.entity)) as u8 as f32,
                (gender.is_some() && e.gender() == gender) as u8 as f32,
                e.evidence as u8 as f32,
                (1.0 + mentions).ln(),
            ];
            cands.push((m.entity, f));
        }
        let w = pronoun_weights();
        let score =
            |f: &[f32; PRONOUN_FEATURES]| f.iter().zip(w.iter()).map(|(a, b)| a * b).sum::<f32>();
        let mut best: Option<(usize, f32)> = None;
        for (e, f) in &cands {
            let s = score(f);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((*e, s));
            }
        }
        best.map(|(e, _)| e)
    }

    /// Whether `m` came from the quotations attributed so far rather than the narrative.
    fn is_speaker_mention(&self, m: &Mention) -> bool {
        let i = self.speakers.partition_point(|x| x.pos < m.pos);
        self.speakers.get(i).is_some_and(|x| x.pos == m.pos && x.entity == m.entity)
    }

    /// The resolver before scoring (the latest subject of a fitting gender), kept in tuning
    /// builds to compare against.
    #[cfg(feature = "tune")]
    fn resolve_pronoun_old(&self, gender: Option<Gender>, at: Pos) -> Option<usize> {
        let fits = |m: &Mention| {
            let e = &self.list[m.entity];
            let g = e.gender();
            let person = e.kind == EntityKind::Person;
            person && !(gender.is_some() && g.is_some() && g != gender)
        };
        let mut window = self.recent(at).take(400).filter(fits);
        // The subject of this paragraph, else anyone named in it (the first of the window),
        // else the last subject before, else whoever was named last: found in one pass that
        // stops as soon as the answer is known.
        let first = window.next()?;
        if first.subject {
            return Some(first.entity);
        }
        let subject = if first.pos.0 == at.0 {
            window.take_while(|m| m.pos.0 == at.0).find(|m| m.subject)
        } else {
            window.find(|m| m.subject)
        };
        Some(subject.unwrap_or(first).entity)
    }

    /// The organisation `it` refers to: the most recent one named.
    pub fn resolve_it(&self, at: Pos) -> Option<usize> {
        self.recent(at)
            .take(400)
            .find(|m| self.list[m.entity].kind == EntityKind::Org)
            .map(|m| m.entity)
    }

    /// Narrative mentions and attributed quotations before `at`, most recent first.
    fn recent(&self, at: Pos) -> impl Iterator<Item = Mention> + '_ {
        let mut a =
            self.mentions[..self.mentions.partition_point(|m| m.pos < at)].iter().rev().peekable();
        let mut b =
            self.speakers[..self.speakers.partition_point(|m| m.pos < at)].iter().rev().peekable();
        std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y.pos >= x.pos => b.next().copied(),
            (Some(_), _) => a.next().copied(),
            (None, _) => b.next().copied(),
        })
    }

    /// The entity a role noun (`the senator`, `the ministry`, `the company`) refers to: the
    /// most recent one whose title, role or name contains the noun.
    pub fn resolve_role(&self, noun: &str, at: Pos) -> Option<usize> {
        let n = lower(noun);
        let has = |e: &Entity| {
            e.role_words.iter().any(|w| *w == n || w.trim_end_matches('s') == n)
                || e.key.split(' ').any(|w| w == n)
        };
        if let Some(m) = self.recent(at).take(400).find(|m| has(&self.list[m.entity])) {
            return Some(m.entity);
        }
        if let Some(e) = self.list.iter().take(1000).position(has) {
            return Some(e);
        }
        // "the company", "the club", "the firm", "the spokesman": the most recent organisation.
        if ORG_NOUNS.contains(&n.as_str()) || n.starts_with("spokes") {
            return self
                .recent(at)
                .take(400)
                .find(|m| self.list[m.entity].kind == EntityKind::Org)
                .map(|m| m.entity);
        }
        None
    }

    /// Records that `id` spoke at `at`, so later pronouns can find them. Called in text order.
    pub fn add_speaker_mention(&mut self, id: usize, at: Pos) {
        if self.speakers.last().is_some_and(|m| m.pos > at) {
            return; // out of order (never in practice): keep the lists sorted
        }
        self.speakers.push(Mention { entity: id, pos: at, subject: true, main: true });
        self.spoke_at[id].push(at);
    }

    /// The most recent person named before `at` other than `other`: who answers a question
    /// put by `other`.
    /// A subject or a speaker comes first ("Under cross-examination by McGinley, Brekke
    /// acknowledged she had never met Hjelmstad-Obi": Brekke, not Hjelmstad-Obi).
    pub fn last_person_other_than(&self, at: Pos, other: usize) -> Option<usize> {
        let mut people = self
            .recent(at)
            .take(400)
            .filter(|m| m.entity != other && self.list[m.entity].kind == EntityKind::Person);
        let first = people.next()?;
        let subject = if first.subject { Some(first) } else { people.find(|m| m.subject) };
        Some(subject.unwrap_or(first).entity)
    }

    /// Whether `entity` is named or quoted at or after `from`.
    pub fn mentioned_since(&self, entity: usize, from: Pos) -> bool {
        let later = |ms: &[Mention]| {
            ms[ms.partition_point(|m| m.pos < from)..].iter().any(|m| m.entity == entity)
        };
        later(&self.mentions) || later(&self.speakers)
    }

    /// The most recent subject (else any) person or organisation mention in paragraph `para`.
    pub fn last_in_paragraph(&self, para: usize) -> Option<usize> {
        let from = self.mentions.partition_point(|m| m.pos.0 < para);
        let to = self.mentions.partition_point(|m| m.pos.0 <= para);
        let ms = &self.mentions[from..to];
        let ok = |m: &&Mention| self.list[m.entity].kind != EntityKind::Unknown;
        ms.iter()
            .rev()
            .find(|m| m.subject && ok(m))
            .or_else(|| ms.iter().rev().find(ok))
            .map(|m| m.entity)
    }
}

/// How many features a pronoun's candidate antecedent is scored on.
const PRONOUN_FEATURES: usize = 10;

/// Weights of the features (see `resolve_pronoun`), in their order: learned by
/// `tools/pronoun-weights/tune.py` (two rounds of coordinate ascent on PolNeAR train from the
/// hand-set start `[-1, -0.5, -0.5, 1.5, 1, 0.5, 1, 0.5, 0.5, 0.3]`). Quotations right end to
/// end, two words or more: train 5313 -> 5383, dev (unseen by the fit) 593 -> 596.
const PRONOUN_WEIGHTS: [f32; PRONOUN_FEATURES] =
    [-0.25, -0.5, -0.5, 2.5, 0.75, 0.5, 0.0, 1.25, 0.5, -0.7];

#[cfg(not(feature = "tune"))]
fn pronoun_weights() -> [f32; PRONOUN_FEATURES] {
    PRONOUN_WEIGHTS
}

/// In a tuning build (`--features tune`, see tools/pronoun-weights/tune.py), weights given in
/// QUOTH_PRON_W (comma-separated) replace the committed ones, read once.
#[cfg(feature = "tune")]
fn pronoun_weights() -> [f32; PRONOUN_FEATURES] {
    static W: std::sync::LazyLock<[f32; PRONOUN_FEATURES]> = std::sync::LazyLock::new(|| {
        let mut w = PRONOUN_WEIGHTS;
        if let Ok(v) = std::env::var("QUOTH_PRON_W") {
            for (i, x) in v.split(',').enumerate().take(PRONOUN_FEATURES) {
                if let Ok(x) = x.parse() {
                    w[i] = x;
                }
            }
        }
        w
    });
    *W
}

/// Whether token `k` ends a sentence: a full stop, or a quotation that ends with one before
/// a capitalised word (`“We will win.” He smiled.`).
fn ends_sentence_at(text: &str, toks: &[Tok], k: usize) -> bool {
    let t = &toks[k];
    match t.kind {
        Kind::Punct => ends_sentence(text, toks, k),
        Kind::Quote(_) => {
            tok_text(text, t)
                .trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '!' | '?'))
                .ends_with(['.', '!', '?'])
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.kind == Kind::Word && is_capitalised(tok_text(text, n)))
        }
        Kind::Word => false,
    }
}

/// Whether `noun` (lower case) refers back to an organisation (`the company`, `the council`).
pub fn is_org_noun(noun: &str) -> bool {
    ORG_NOUNS.contains(&noun)
}

/// Nouns that refer back to an organisation.
const ORG_NOUNS: &[&str] = &[
    "company",
    "firm",
    "ministry",
    "department",
    "club",
    "council",
    "agency",
    "group",
    "union",
    "government",
    "bank",
    "party",
    "board",
    "authority",
    "organisation",
    "organization",
    "office",
    "team",
    "court",
    "committee",
    "commission",
    "association",
    "federation",
    "operator",
    "airline",
    "retailer",
    "insurer",
    "lender",
    "charity",
    "hospital",
    "school",
    "university",
    "trust",
    "campaign",
    "utility",
    "regulator",
    "police",
    "league",
    "carrier",
    "developer",
    "manufacturer",
    "publisher",
    "broadcaster",
    "network",
    "force",
    "coalition",
];

/// Whether a chunk is directly followed by a speech verb (`Dorothy said`, `Okafor later told`).
fn speaks(text: &str, toks: &[Tok], c: &Chunk) -> bool {
    let mut j = c.tok_end;
    while toks.get(j).is_some_and(|t| t.kind == Kind::Word && cues::is_adverb(tok_text(text, t))) {
        j += 1;
    }
    // Not a verb that is also a plural noun ("Republican claims", "company reports").
    toks.get(j).is_some_and(|t| {
        let w = tok_text(text, t);
        t.kind == Kind::Word
            && !is_capitalised(w)
            && cues::is_cue(w)
            && !cues::is_naming_cue(w)
            && !cues::is_weak_cue(w)
    })
}

/// Whether `w` is a lower-case noun of a person's role (`guard`, `leader`, `economist`), not a
/// function word that merely ends like one (`after`, `her`).
fn is_role_noun(w: &str) -> bool {
    w.len() >= 4
        && w.as_bytes()[0].is_ascii_lowercase()
        && !matches!(
            w,
            "after"
                | "other"
                | "others"
                | "under"
                | "never"
                | "over"
                | "ever"
                | "whether"
                | "either"
                | "neither"
                | "rather"
                | "later"
                | "former"
                | "latter"
                | "together"
                | "however"
                | "whatever"
                | "whenever"
                | "wherever"
                | "further"
                | "current"
                | "recent"
                | "different"
                | "important"
                | "percent"
                | "apparent"
        )
        && is_person_role(w)
        && !cues::is_adverb(w)
        && !cues::is_cue(w)
}

/// Whether a chunk is its sentence's subject: first in the sentence (after an opening
/// adverbial like "On Monday,"), or directly followed by a verb-like lower-case word.
fn is_subject(text: &str, toks: &[Tok], c: &Chunk) -> bool {
    // "Harwick Rovers striker Ana Obi said", "The Agrarian leader, Ana Obi, said": a team,
    // party or place naming a person's role modifies the person after the role, the subject.
    let word = |k: usize| toks.get(k).filter(|t| t.kind == Kind::Word).map(|t| tok_text(text, t));
    let comma = toks.get(c.tok_end + 1).is_some_and(|t| tok_text(text, t) == ",") as usize;
    if word(c.tok_end + 1 + comma).is_some_and(is_capitalised)
        && word(c.tok_end).is_some_and(is_role_noun)
    {
        return false;
    }
    // Walk back over a short opening ("But", "On Monday,", "Later,") to the sentence start,
    // and over such a modifier with its role ("Port Averly guard", "The Agrarian leader,").
    let mut k = c.tok_start;
    let mut steps = 0;
    let mut role = false;
    while k > 0 && steps < 5 {
        let prev = toks[k - 1];
        if ends_sentence(text, toks, k - 1) || matches!(prev.kind, Kind::Quote(_)) {
            return true;
        }
        let w = tok_text(text, &prev);
        let skippable =
            w == "," || prev.kind == Kind::Word && (cues::is_stop_cap(w) || cues::is_adverb(w));
        if !skippable {
            // The role noun right before the name (or its comma), then the capitalised words
            // of the modifier: "Harwick Rovers striker".
            if !role && k >= 2 && word(k - 2).is_some_and(is_capitalised) && is_role_noun(w) {
                role = true;
                k -= 1;
                while k > 0 && word(k - 1).is_some_and(is_capitalised) && steps < 5 {
                    k -= 1;
                    steps += 1;
                }
                if word(k).is_some_and(is_capitalised) {
                    continue;
                }
            }
            break;
        }
        k -= 1;
        steps += 1;
    }
    if k == 0 {
        return true;
    }
    // Followed, past an appositive and adverbs, by a speech verb: "Okafor, 54, later said".
    let mut j = c.tok_end;
    if toks.get(j).is_some_and(|t| tok_text(text, t) == ",") {
        if let Some(close) =
            (j + 1..toks.len().min(j + 25)).find(|&m| tok_text(text, &toks[m]) == ",")
        {
            j = close + 1;
        }
    }
    let adverbs_from = j;
    while toks.get(j).is_some_and(|t| t.kind == Kind::Word && cues::is_adverb(tok_text(text, t))) {
        j += 1;
    }
    // A speech verb, an auxiliary ("has insisted", "was gracious"), or a verb form after the
    // name and its appositive ("McAteer lifts the lid", "Eriksen-Mbeki, nicknamed …, lifted").
    toks.get(j).is_some_and(|t| {
        let w = tok_text(text, t);
        t.kind == Kind::Word
            && !is_capitalised(w)
            && (cues::is_cue(w)
                || j > adverbs_from
                || w.ends_with("ed")
                || w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("’s"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::names::find_chunks;
    use crate::quote::text::tokenize;

    /// The words of each chunk of `text` that `is_subject` takes for its sentence's subject.
    fn subjects(text: &str) -> Vec<String> {
        let toks = tokenize(text, &[]);
        let chunks = find_chunks(text, &toks);
        chunks.iter().filter(|c| is_subject(text, &toks, c)).map(|c| c.words.join(" ")).collect()
    }

    #[test]
    fn subjects_of_sentences() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("first in the sentence", "Oyelu Tamsor said the club would be back.", &["Oyelu Tamsor"]),
            ("after an opening adverbial", "On Monday, Oyelu Tamsor said it again.", &["Oyelu Tamsor"]),
            (
                "a team naming a role modifies the person after it",
                "Harwick Rovers striker Oyelu Tamsor, who scored twice, insisted they would be back.",
                &["Oyelu Tamsor"],
            ),
            (
                "a party's role before an appositive name",
                "The Agrarian leader, Oyelu Tamsor, has insisted the veto stays.",
                &["Oyelu Tamsor"],
            ),
            (
                "a name after a verb is no subject (negative)",
                "Oyelu Tamsor told Marek Dovzhenko the deal was off.",
                &["Oyelu Tamsor"],
            ),
            (
                "a function word ending like a role is no role (negative)",
                "Oyelu Tamsor arrived after Marek Dovzhenko left.",
                &["Oyelu Tamsor"],
            ),
        ];
        for (name, text, want) in cases {
            assert_eq!(subjects(text), *want, "case {name}");
        }
    }
}
