//! A [`SearchQuery`] compiled to a tantivy query: search words in tantivy's syntax, speakers
//! on whole name words, excluded speakers, date bounds; and the indexed words a query looks
//! for, to highlight them in hits.
//!
//! Reads field names and analyzers from `index::schema` only; every search, count, export and
//! aggregation (`speakers`, `stats`) starts here.

use std::collections::HashSet;
use std::ops::Bound;

use anyhow::Result;
use tantivy::query::{
    AllQuery, BooleanQuery, ExistsQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::query::{InvalidQuery, SearchQuery};
use crate::index::{schema, QuoteIndex};
use tantivy::query::{BoostQuery, EmptyQuery, RegexPhraseQuery};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};

/// A query compiled for the index, with what to highlight.
pub(super) struct Compiled {
    pub(super) query: Box<dyn Query>,
    pub(super) has_text: bool,
    pub(super) terms: Highlight,
    pub(super) warnings: Vec<String>,
}

/// The indexed words a query looks for: exact terms, and the beginnings of `prefix*` words.
#[derive(Debug, Default)]
pub(super) struct Highlight {
    terms: HashSet<String>,
    prefixes: Vec<String>,
}

impl Highlight {
    /// Whether the indexed word `term` is one the query looks for.
    pub(super) fn matches(&self, term: &str) -> bool {
        self.terms.contains(term) || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefixes.is_empty()
    }
}

pub(super) fn compile(idx: &QuoteIndex, q: &SearchQuery) -> Result<Compiled> {
    let f = &idx.fields;
    let mut warnings = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut terms = Highlight::default();
    let text_query: Option<Box<dyn Query>> = if q.text.trim().is_empty() {
        None
    } else {
        let mut parser = QueryParser::for_index(&idx.index, vec![f.quote]);
        parser.set_conjunction_by_default();
        if q.fuzzy {
            parser.set_field_fuzzy(f.quote, false, 1, true);
        }
        let (ast, errors) = query_grammar::parse_query_lenient(&q.text);
        let (query, errors) = if has_prefix(&ast) {
            let mut words =
                Words { idx, parser: &parser, highlight: &mut terms, errors: Vec::new() };
            let query = words.build(ast, true);
            let mut all = errors.into_iter().map(|e| e.message).collect::<Vec<_>>();
            all.extend(words.errors);
            (query, all)
        } else {
            let (query, errors) = parser.parse_query_lenient(&q.text);
            (query, errors.into_iter().map(|e| e.to_string()).collect())
        };
        for e in errors {
            warnings.push(format!("part of the query was ignored: {e}"));
        }
        Some(query)
    };
    terms.terms.extend(highlight_terms(text_query.as_deref(), f.quote));
    if let Some(t) = &text_query {
        clauses.push((Occur::Must, t.box_clone()));
    }
    if !q.speakers.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = q
            .speakers
            .iter()
            .map(|name| Ok((Occur::Should, speaker_query(idx, name)?)))
            .collect::<Result<_>>()?;
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if !q.speaker_keys.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = (q.speaker_keys.iter())
            .map(|key| {
                let term = Term::from_field_text(f.speaker_key, key);
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for name in &q.exclude_speakers {
        clauses.push((Occur::MustNot, speaker_query(idx, name)?));
    }
    if q.no_speaker {
        clauses
            .push((Occur::MustNot, Box::new(ExistsQuery::new(schema::SPEAKER_KEY.into(), false))));
    }
    // Both ends inclusive, in days: one set bound is always a bound (tantivy panics on a range
    // with none), and undated quotations, which have no day, are outside any range.
    let day = |d| Bound::Included(Term::from_field_i64(f.date, schema::date_days(d)));
    match (q.since, q.until) {
        (None, None) => {}
        (since, until) => {
            let (lower, upper) =
                (since.map_or(Bound::Unbounded, day), until.map_or(Bound::Unbounded, day));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
    }
    // A query of exclusions only needs something to exclude from.
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    // A lone clause runs as itself: tantivy counts and ranks a bare term query much faster
    // (document frequency, block-max WAND) than the same term inside a boolean query.
    let query: Box<dyn Query> = if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        clauses.pop().unwrap().1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled { query, has_text: text_query.is_some(), terms, warnings })
}

/// The query for `q` alone (filters and words), for aggregations.
pub fn compile_filters(idx: &QuoteIndex, q: &SearchQuery) -> Result<Box<dyn Query>> {
    Ok(compile(idx, q)?.query)
}

/// A speaker name as a query: every name word must match (`okafor*` matches a prefix).
fn speaker_query(idx: &QuoteIndex, name: &str) -> Result<Box<dyn Query>> {
    let f = &idx.fields;
    let mut analyzer = schema::speaker_analyzer(&idx.index);
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in name.split_whitespace() {
        let prefix = word.ends_with('*');
        let mut stream = analyzer.token_stream(word.trim_end_matches('*'));
        let mut toks = Vec::new();
        while let Some(t) = stream.next() {
            toks.push(t.text.clone());
        }
        let last = toks.len().saturating_sub(1);
        for (i, t) in toks.into_iter().enumerate() {
            let q: Box<dyn Query> = if prefix && i == last {
                Box::new(RegexQuery::from_pattern(&format!("{}.*", regex_escape(&t)), f.speaker)?)
            } else {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.speaker, &t),
                    IndexRecordOption::Basic,
                ))
            };
            words.push((Occur::Must, q));
        }
    }
    if words.is_empty() {
        let message = format!("invalid speaker name '{name}': it has no letters");
        return Err(InvalidQuery(message).into());
    }
    Ok(Box::new(BooleanQuery::new(words)))
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

/// The indexed words of the quote field that a query looks for, to highlight them in hits.
fn highlight_terms(query: Option<&dyn Query>, field: tantivy::schema::Field) -> HashSet<String> {
    let mut terms = HashSet::new();
    if let Some(q) = query {
        q.query_terms(&mut |term, _| {
            if term.field() == field {
                if let Some(s) = term.value().as_str() {
                    terms.insert(s.to_string());
                }
            }
        });
    }
    terms
}

/// Most indexed words one prefix word of a phrase may stand for (tantivy's own limit).
const MAX_EXPANSIONS: u32 = 1 << 14;

/// A search error as the asker should read it: tantivy refuses a phrase whose prefix word
/// stands for too many indexed words when it runs, with a message meant for programmers.
pub(super) fn explained(e: anyhow::Error) -> anyhow::Error {
    let too_many = e.chain().any(|c| {
        matches!(c.downcast_ref::<tantivy::TantivyError>(),
            Some(tantivy::TantivyError::InvalidArgument(m)) if m.contains("exceeded max expansions"))
    });
    match too_many {
        true => InvalidQuery(format!(
            "a prefix* word in a phrase begins more than {MAX_EXPANSIONS} words: make it longer"
        ))
        .into(),
        false => e,
    }
}

/// Whether a parsed query holds a `prefix*` word of the quotation field.
fn has_prefix(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(children) => children.iter().any(|(_, c)| has_prefix(c)),
        UserInputAst::Boost(inner, _) => has_prefix(inner),
        UserInputAst::Leaf(leaf) => prefix_literal(leaf).is_some(),
    }
}

/// The literal of `leaf` when it searches quotations with a `prefix*` word: a word ending in
/// `*`, a phrase holding one (`"steel tarif*"`), or tantivy's phrase prefix (`"steel tarif"*`).
fn prefix_literal(leaf: &UserInputLeaf) -> Option<&UserInputLiteral> {
    let UserInputLeaf::Literal(lit) = leaf else { return None };
    let quote_field = lit.field_name.as_deref().is_none_or(|f| f == schema::QUOTE);
    let starred = lit.phrase.split_whitespace().any(|w| w.ends_with('*') && w.len() > 1);
    (quote_field && (lit.prefix || starred)).then_some(lit)
}

/// Builds the quotation query of a parsed query that holds `prefix*` words. Tantivy's parser
/// runs every word through the field's analyzer, which drops the `*` and stems the rest:
/// `tarif*` became the word `tarif`, found nowhere. Here a prefix word matches the indexed words
/// that begin with it, and those its completions stem to (`negotiat*` finds `negotiation`,
/// indexed as `negoti`). Everything else is left to the parser, clause by clause as it would
/// combine them (words ANDed, empty parts dropped, a query of exclusions only matching all
/// else).
struct Words<'a> {
    idx: &'a QuoteIndex,
    parser: &'a QueryParser,
    highlight: &'a mut Highlight,
    errors: Vec<String>,
}

impl Words<'_> {
    fn build(&mut self, ast: UserInputAst, top: bool) -> Box<dyn Query> {
        match ast {
            UserInputAst::Clause(children) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (occur, child) in children {
                    let query = self.build(child, false);
                    if !query.is::<EmptyQuery>() {
                        clauses.push((occur.unwrap_or(Occur::Must), query));
                    }
                }
                if clauses.is_empty() {
                    return Box::new(EmptyQuery);
                }
                if top && clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Should, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            UserInputAst::Boost(inner, boost) => {
                let query = self.build(*inner, top);
                match query.is::<EmptyQuery>() {
                    true => query,
                    false => Box::new(BoostQuery::new(query, boost.into_inner() as f32)),
                }
            }
            UserInputAst::Leaf(leaf) => match prefix_literal(&leaf) {
                Some(lit) => self.prefix_query(lit),
                None => {
                    let (query, errors) = self
                        .parser
                        .build_query_from_user_input_ast_lenient(UserInputAst::Leaf(leaf));
                    self.errors.extend(errors.into_iter().map(|e| e.to_string()));
                    query
                }
            },
        }
    }

    /// A word or phrase with prefix words: one regular expression per word position.
    fn prefix_query(&mut self, lit: &UserInputLiteral) -> Box<dyn Query> {
        let field = self.idx.fields.quote;
        let mut analyzer = schema::quote_analyzer(&self.idx.index);
        let words: Vec<&str> = match lit.delimiter {
            Delimiter::None => vec![lit.phrase.as_str()],
            _ => lit.phrase.split_whitespace().collect(),
        };
        let mut patterns: Vec<String> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let last_word = i + 1 == words.len();
            let prefix = word.ends_with('*') || (lit.prefix && last_word);
            let word = word.trim_end_matches('*');
            // One written word may hold several indexed words (`steel-tarif*`): the prefix is
            // the last of them.
            let mut tokens: Vec<(String, String)> = Vec::new();
            {
                let mut stream = analyzer.token_stream(word);
                while let Some(t) = stream.next() {
                    tokens.push((word[t.offset_from..t.offset_to].to_string(), t.text.clone()));
                }
            }
            let n = tokens.len();
            for (j, (written, term)) in tokens.into_iter().enumerate() {
                if prefix && j + 1 == n {
                    patterns.push(self.prefix_pattern(&written, &mut analyzer));
                } else {
                    patterns.push(regex_escape(&term));
                    self.highlight.terms.insert(term);
                }
            }
        }
        match patterns.len() {
            0 => Box::new(EmptyQuery),
            1 => match RegexQuery::from_pattern(&patterns[0], field) {
                Ok(q) => Box::new(q),
                Err(e) => {
                    self.errors.push(e.to_string());
                    Box::new(EmptyQuery)
                }
            },
            _ => {
                let positions = patterns.into_iter().enumerate().collect();
                let mut q = RegexPhraseQuery::new_with_offset(field, positions);
                q.set_slop(lit.slop);
                q.set_max_expansions(MAX_EXPANSIONS);
                Box::new(q)
            }
        }
    }

    /// The regular expression of the indexed words a prefix word stands for: those that begin
    /// with it (lower-cased and folded as the index has them), and the stems of its likely
    /// completions, which the stemmer may have cut back into the prefix (`presiden` + `t` is
    /// indexed as `presid`).
    fn prefix_pattern(&mut self, written: &str, analyzer: &mut TextAnalyzer) -> String {
        let folded = schema::fold(written);
        let mut stems: Vec<String> = Vec::new();
        for tail in std::iter::once("").chain(completions()) {
            let completed = format!("{written}{tail}");
            let mut stream = analyzer.token_stream(&completed);
            while let Some(t) = stream.next() {
                if !t.text.starts_with(folded.as_str()) && !stems.contains(&t.text) {
                    stems.push(t.text.clone());
                }
            }
        }
        let mut pattern = format!("({}.*", regex_escape(&folded));
        for stem in &stems {
            pattern.push('|');
            pattern.push_str(&regex_escape(stem));
        }
        pattern.push(')');
        self.highlight.prefixes.push(folded);
        self.highlight.terms.extend(stems);
        pattern
    }
}

/// Endings a prefix word may be cut short of: every tail of the common English suffixes
/// (`ation` gives `ation`, `tion`, `ion`, `on`, `n`), and single letters.
fn completions() -> impl Iterator<Item = &'static str> {
    const SUFFIXES: &[&str] = &[
        "ational", "ations", "ators", "ization", "izations", "isation", "fulness", "ousness",
        "iveness", "ements", "ments", "ities", "ingly", "ences", "ances", "ional", "ently",
        "ously", "ively", "ably", "ibly", "ists", "isms", "izing", "ising", "ized", "ised", "ical",
        "ially", "ies", "ied", "ing", "ers", "ors", "ess", "ful", "less", "ness", "ship", "ency",
        "ancy", "ents", "ants", "able", "ible", "ious", "eous", "ance", "ence", "ity", "ive",
        "ize", "ise", "ism", "ist", "ous", "ent", "ant", "ate", "ally", "ly", "al", "ic", "ed",
        "er", "or", "es", "en", "y", "s", "e", "a", "b", "c", "d", "f", "g", "h", "i", "k", "l",
        "m", "n", "o", "p", "r", "t", "u", "z",
    ];
    let mut tails: Vec<&'static str> = Vec::new();
    for s in SUFFIXES {
        for (i, _) in s.char_indices() {
            if !tails.contains(&&s[i..]) {
                tails.push(&s[i..]);
            }
        }
    }
    tails.into_iter()
}
