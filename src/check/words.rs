//! Words as a quotation check compares them: a claim read the way a careful fact-checker reads
//! it (only the words inside its quotation marks, if it has any; ellipses standing for dropped
//! words; square-bracket insertions as the editor's words; `[sic]` ignored), a quotation's
//! words, and when two different spellings are the same word typed wrong.
//!
//! Plain text in, plain data out; `align` aligns these words and `check` (the parent) decides
//! verdicts. Folding and stemming are the index's own (`index::schema`), so a word compares
//! here as it is searched there.

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use crate::index::schema;

/// One word: its folded form (lower case, no diacritics, `’` as `'`) and where it stands in
/// the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
    /// Inside square brackets: the editor's word, not the speaker's.
    pub editorial: bool,
}

/// A claim's words and the ellipses between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub words: Vec<Word>,
    /// `gaps[i]`: an ellipsis stands before word `i` (`gaps[words.len()]`: after the last).
    pub gaps: Vec<bool>,
}

/// Double quotation marks that open and close a quotation in a pasted claim.
const OPENING: &[char] = &['“', '„', '«', '"'];
const CLOSING: &[char] = &['”', '“', '»', '"'];

/// The parts of `text` inside double quotation marks, when it has a complete pair: a claim
/// pasted with its attribution (`Okafor: “We will build it.”`) is checked on the quoted words
/// alone. Without a pair, the whole text.
pub fn quoted_parts(text: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match open {
            None if OPENING.contains(&c) => open = Some(i + c.len_utf8()),
            Some(start) if CLOSING.contains(&c) => {
                if text[start..i].chars().any(char::is_alphanumeric) {
                    parts.push(start..i);
                }
                open = None;
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        parts.push(0..text.len());
    }
    parts
}

/// Folds words as the index folds speaker keys and quotation terms: lower case, diacritics
/// removed. Built once per check (an analyzer is not free to make).
pub struct Folder {
    fold: TextAnalyzer,
    stem: TextAnalyzer,
}

impl Default for Folder {
    fn default() -> Self {
        Folder { fold: schema::fold_analyzer(), stem: schema::term_analyzer() }
    }
}

impl Folder {
    /// `word` lower-cased and without diacritics, with typographic apostrophes as `'`.
    pub fn fold(&mut self, word: &str) -> String {
        if word.is_ascii() {
            return word.to_ascii_lowercase();
        }
        let word = word.replace(['’', 'ʼ', '‘'], "'");
        let mut out = String::with_capacity(word.len());
        let mut stream = self.fold.token_stream(&word);
        while let Some(t) = stream.next() {
            out.push_str(&t.text);
        }
        out
    }

    /// The indexed term of a folded word (its English stem).
    pub fn stem(&mut self, word: &str) -> String {
        let mut out = String::new();
        let mut stream = self.stem.token_stream(word);
        while let Some(t) = stream.next() {
            out.push_str(&t.text);
        }
        out
    }

    /// Whether two different folded words are one word misspelt, rather than another word: both
    /// at least 5 letters, the same first letter, no digits, one edit apart (an insertion,
    /// deletion, substitution or swap of neighbours; two for words of 9 letters or more), and
    /// not two forms of one stem (`raised`/`raises` changes the tense: a change, not a typo).
    pub fn near(&mut self, a: &str, b: &str) -> bool {
        let (la, lb) = (a.chars().count(), b.chars().count());
        let shorter = la.min(lb);
        if shorter < 5 || a.chars().next() != b.chars().next() {
            return false;
        }
        if a.chars().chain(b.chars()).any(|c| c.is_ascii_digit()) {
            return false;
        }
        let allowed = if shorter >= 9 { 2 } else { 1 };
        if la.abs_diff(lb) > allowed || edit_distance(a, b) > allowed {
            return false;
        }
        self.stem(a) != self.stem(b)
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring letters each count one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

/// The words of a quotation as found in an article (brackets and ellipses there are the
/// article's own and compare as any other text).
pub fn quote_words(text: &str, folder: &mut Folder) -> Vec<Word> {
    let mut words = Vec::new();
    scan(text, 0..text.len(), folder, &mut |token| {
        if let Token::Word(w) = token {
            words.push(w);
        }
    });
    words
}

/// The words of a claim: inside its quotation marks if it has any (with a gap between two
/// quoted parts), its ellipses as gaps, its bracketed words as editorial, `[sic]` dropped.
pub fn claim_words(text: &str, folder: &mut Folder) -> Claim {
    let mut words: Vec<Word> = Vec::new();
    let mut gaps = vec![false];
    for (k, part) in quoted_parts(text).into_iter().enumerate() {
        // Between two quoted parts stand the writer's words: as an ellipsis would, they may
        // stand for dropped words of the quotation (or for none, when an attribution splits it).
        if k > 0 {
            *gaps.last_mut().expect("one gap per boundary") = true;
        }
        scan(text, part, folder, &mut |token| match token {
            Token::Word(w) => {
                words.push(w);
                gaps.push(false);
            }
            Token::Ellipsis => *gaps.last_mut().expect("one gap per boundary") = true,
        });
    }
    Claim { words, gaps }
}

enum Token {
    Word(Word),
    Ellipsis,
}

/// Splits `text[range]` into words and ellipses. A word is a run of letters and digits, with
/// apostrophes between letters kept (`don't`); anything else separates words. An ellipsis is
/// `…`, or two or more full stops in a row (`...`, `. . .`).
fn scan(text: &str, range: Range<usize>, folder: &mut Folder, emit: &mut dyn FnMut(Token)) {
    let chars: Vec<(usize, char)> =
        text[range.clone()].char_indices().map(|(i, c)| (i + range.start, c)).collect();
    let end_of = |k: usize| chars.get(k).map_or(range.end, |&(i, _)| i);
    // Where each `[` closes, so that an unclosed one reads as punctuation.
    let mut editorial = false;
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c.is_alphanumeric() {
            let mut e = k + 1;
            while e < chars.len() {
                let c = chars[e].1;
                let apostrophe = matches!(c, '\'' | '’' | 'ʼ')
                    && chars.get(e + 1).is_some_and(|n| n.1.is_alphanumeric());
                if !(c.is_alphanumeric() || apostrophe) {
                    break;
                }
                e += 1;
            }
            let span = i..end_of(e);
            let text = folder.fold(&text[span.clone()]);
            emit(Token::Word(Word { text, span, editorial }));
            k = e;
            continue;
        }
        match c {
            '…' => {
                emit(Token::Ellipsis);
                k += 1;
            }
            '.' => {
                // Count the full stops that follow, one space allowed between two of them.
                let (mut dots, mut e) = (1, k + 1);
                loop {
                    let n = if chars.get(e).is_some_and(|c| c.1 == ' ') { e + 1 } else { e };
                    if chars.get(n).is_none_or(|c| c.1 != '.') {
                        break;
                    }
                    dots += 1;
                    e = n + 1;
                }
                if dots >= 2 {
                    emit(Token::Ellipsis);
                    k = e;
                } else {
                    k += 1;
                }
            }
            '[' if !editorial => {
                let close = chars[k + 1..].iter().position(|c| c.1 == ']' || c.1 == '[');
                match close.map(|p| k + 1 + p) {
                    Some(e) if chars[e].1 == ']' => {
                        let inside = &text[end_of(k + 1)..chars[e].0];
                        if inside.trim().eq_ignore_ascii_case("sic") {
                            k = e + 1;
                        } else {
                            editorial = true;
                            k += 1;
                        }
                    }
                    _ => k += 1,
                }
            }
            ']' if editorial => {
                editorial = false;
                k += 1;
            }
            _ => k += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim written compactly: words, `|` for a gap, `{word}` for an editorial word.
    fn shape(c: &Claim) -> String {
        let mut out = Vec::new();
        for (i, w) in c.words.iter().enumerate() {
            if c.gaps[i] {
                out.push("|".to_string());
            }
            out.push(if w.editorial { format!("{{{}}}", w.text) } else { w.text.clone() });
        }
        if c.gaps[c.words.len()] {
            out.push("|".to_string());
        }
        out.join(" ")
    }

    #[test]
    fn claims() {
        // (name, claim, words as read)
        let cases: &[(&str, &str, &str)] = &[
            ("plain words, case and punctuation", "We WILL build it, now!", "we will build it now"),
            ("curly apostrophe kept in the word", "We don’t know", "we don't know"),
            ("straight apostrophe too", "We don't know", "we don't know"),
            ("trailing apostrophe is punctuation", "the workers' union", "the workers union"),
            ("diacritics folded", "Sánchez and Løvaas", "sanchez and lovaas"),
            ("hyphen splits", "a well-known fact", "a well known fact"),
            ("ellipsis character", "We will… build it", "we will | build it"),
            ("three stops", "We will ... build it", "we will | build it"),
            ("spaced stops", "We will . . . build it", "we will | build it"),
            ("leading and trailing ellipses", "…build it...", "| build it |"),
            ("bracketed ellipsis", "We will […] build it", "we will | build it"),
            (
                "one full stop is not an ellipsis (negative)",
                "We will. Build it.",
                "we will build it",
            ),
            ("editorial insertion", "[The minister] will resign", "{the} {minister} will resign"),
            ("sic is dropped", "We recieve [sic] nothing", "we recieve nothing"),
            ("unclosed bracket is punctuation (negative)", "We [will build", "we will build"),
            ("quoted part only", "Okafor said: “We will build it.” on Monday", "we will build it"),
            (
                "two quoted parts",
                "“We will build it,” she said, “and pay for it.”",
                "we will build it | and pay for it",
            ),
            ("straight marks", "He said \"we will\" twice", "we will"),
            ("unpaired mark: everything (negative)", "He said \"we will", "he said we will"),
            ("digits", "1,000 jobs in 2023", "1 000 jobs in 2023"),
        ];
        let mut folder = Folder::default();
        for (name, claim, want) in cases {
            assert_eq!(shape(&claim_words(claim, &mut folder)), *want, "case {name}");
        }
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let mut folder = Folder::default();
        let text = "“Tariffs’ll HURT,” said Sánchez";
        let c = claim_words(text, &mut folder);
        let raw: Vec<&str> = c.words.iter().map(|w| &text[w.span.clone()]).collect();
        assert_eq!(raw, ["Tariffs’ll", "HURT"]);
        let q = quote_words("Sánchez […] won", &mut folder);
        let raw: Vec<(&str, &str)> =
            q.iter().map(|w| (&"Sánchez […] won"[w.span.clone()], w.text.as_str())).collect();
        assert_eq!(raw, [("Sánchez", "sanchez"), ("won", "won")]);
    }

    #[test]
    fn near_spellings() {
        // (name, a, b, near)
        let cases: &[(&str, &str, &str, bool)] = &[
            ("dropped letter", "goverment", "government", true),
            ("swapped letters", "recieve", "receive", true),
            ("one letter wrong", "harbuor", "harbour", true),
            ("two edits in a long word", "infrastucure", "infrastructure", true),
            ("two edits in a short word (negative)", "prevnet", "present", false),
            ("short words never (negative)", "now", "not", false),
            ("first letter differs (negative)", "million", "billion", false),
            ("another form of the stem (negative)", "raised", "raises", false),
            ("plural (negative)", "tariff", "tariffs", false),
            ("numbers never (negative)", "2023s", "2024s", false),
            ("different words (negative)", "bridge", "budget", false),
        ];
        let mut folder = Folder::default();
        for (name, a, b, want) in cases {
            assert_eq!(folder.near(a, b), *want, "case {name}");
        }
    }

    #[test]
    fn distances() {
        let cases: &[(&str, &str, &str, usize)] = &[
            ("same", "harbour", "harbour", 0),
            ("swap", "recieve", "receive", 1),
            ("insert", "harbor", "harbour", 1),
            ("empty", "", "abc", 3),
            ("unrelated (negative)", "abc", "xyz", 3),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(edit_distance(a, b), *want, "case {name}");
        }
    }
}
