//! Tokens of a paragraph's narrative text, with each quotation replaced by one token.
//!
//! Attribution rules (`attribute`) and name finding (`names`) work on these tokens, so they
//! never look inside a quotation for a speaker and never split a sentence inside one.

use super::marks::Span;
use super::words::WordSet;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
    /// A quotation span; the value is the span's index in the paragraph's span list.
    Quote(usize),
}

/// A token: its kind and byte range in the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "col", "capt", "sgt", "lt", "maj", "prof",
    "cpl", "pfc", "rev", "st", "jr", "sr", "co", "corp", "inc", "ltd", "no", "vs", "det", "insp",
    "supt", "cllr", "hon", "mx", "mt", "ft", "ave", "dept", "univ", "approx", "est", "fig", "pres",
    "atty", "cmdr", "adm", "messrs", "mmes", "u.s", "e.g", "i.e", "etc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Splits `text` into words, punctuation and one token per quotation span.
#[cfg(test)]
pub fn tokenize(text: &str, spans: &[Span]) -> Vec<Tok> {
    let mut toks = Vec::new();
    tokenize_into(text, spans, &mut toks);
    toks
}

/// [`tokenize`], appending to `toks`: an article's paragraphs share one vector.
///
/// Kept out of line: inlined into `extract` (which the compiler chose once `extract` changed
/// shape) it cost about 0.4% more instructions over a generated corpus (callgrind).
#[inline(never)]
pub fn tokenize_into(text: &str, spans: &[Span], toks: &mut Vec<Tok>) {
    let mut next_span = 0;
    let mut pos = 0;
    while pos < text.len() {
        if let Some(s) = spans.get(next_span) {
            if pos >= s.open {
                toks.push(Tok { kind: Kind::Quote(next_span), start: s.open, end: s.end });
                next_span += 1;
                pos = pos.max(s.end);
                continue;
            }
        }
        let next_open = spans.get(next_span).map_or(usize::MAX, |s| s.open);
        let c = char_at(text, pos);
        if c.is_whitespace() {
            pos += c.len_utf8();
        } else if c.is_alphanumeric() {
            let start = pos;
            let first_len = c.len_utf8();
            pos += first_len;
            // Words keep inner apostrophes, hyphens and periods between letters: O’Neill,
            // Varga-Holm, don’t, U.S (the final period stays punctuation).
            let limit = text.len().min(next_open);
            while pos < limit {
                // Most of a word is ASCII letters: taken eight bytes at a time, undecoded.
                if let Some(chunk) = text.as_bytes().get(pos..pos + 8) {
                    let run = ascii_alnum_run(u64::from_le_bytes(chunk.try_into().expect("8")));
                    if run > 0 {
                        pos = (pos + run).min(limit);
                        continue;
                    }
                } else if text.as_bytes()[pos].is_ascii_alphanumeric() {
                    pos += 1;
                    continue;
                }
                let ch = char_at(text, pos);
                let len = ch.len_utf8();
                if ch.is_alphanumeric() {
                    pos += len;
                } else if matches!(ch, '’' | '\'' | '-' | '.' | '‐') {
                    let after = text[pos + len..].chars().next();
                    let continues =
                        after.is_some_and(char::is_alphanumeric) && pos + len < next_open;
                    // A period continues a word only between single letters (U.S, e.g).
                    let period_ok = ch != '.'
                        || (pos - start == first_len
                            && text[pos + 1..].chars().nth(1).is_none_or(|c| !c.is_alphanumeric()));
                    if continues && period_ok {
                        pos += len;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            toks.push(Tok { kind: Kind::Word, start, end: pos });
        } else {
            toks.push(Tok { kind: Kind::Punct, start: pos, end: pos + c.len_utf8() });
            pos += c.len_utf8();
        }
    }
}

/// How many of the eight bytes of `x` (in memory order) are ASCII letters or digits before
/// the first that is not.
///
/// Each byte is tested at once with additions that cannot carry into the next byte (bit 7 is
/// cleared first): adding `0x80 - lo` sets bit 7 of a byte that is at least `lo`.
pub fn ascii_alnum_run(x: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    let low = x & !HIGH;
    // Setting bit 5 lower-cases letters and moves no other byte into `a..=z`.
    let folded = low | (0x20 * ONES);
    let letter =
        (folded + (0x80 - b'a' as u64) * ONES) & !(folded + (0x80 - b'z' as u64 - 1) * ONES);
    let digit = (low + (0x80 - b'0' as u64) * ONES) & !(low + (0x80 - b'9' as u64 - 1) * ONES);
    let alnum = (letter | digit) & !x & HIGH;
    let other = !alnum & HIGH;
    if other == 0 {
        8
    } else {
        other.trailing_zeros() as usize / 8
    }
}

/// The character starting at byte `pos` of `text`, ASCII without decoding.
fn char_at(text: &str, pos: usize) -> char {
    match text.as_bytes()[pos] {
        b @ 0..0x80 => b as char,
        _ => text[pos..].chars().next().expect("a character starts at pos"),
    }
}

/// Whether the token at `i` ends a sentence: `.`, `!` or `?` that is not an abbreviation's or
/// an initial's period.
pub fn ends_sentence(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = toks[i];
    if t.kind != Kind::Punct {
        return false;
    }
    match &text[t.start..t.end] {
        "!" | "?" => true,
        "." | "…" => {
            // "(R-Fla.) said", "McConnell, R-Ky., said": an abbreviation before `)` or `,`.
            if toks.get(i + 1).is_some_and(|n| matches!(&text[n.start..n.end], ")" | "," | ";")) {
                return false;
            }
            // "(D-N.Y.)": a full stop with a letter right after it is inside an abbreviation.
            if toks.get(i + 1).is_some_and(|n| n.kind == Kind::Word && n.start == t.end) {
                return false;
            }
            if i == 0 {
                return true;
            }
            let p = toks[i - 1];
            if p.kind != Kind::Word || p.end != t.start {
                return true;
            }
            let w = &text[p.start..p.end];
            let initial = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
            // "said Mr. Okafor" is one sentence; so is "J. R. Okafor".
            !(initial || is_abbreviation(w))
        }
        _ => false,
    }
}

/// Whether `word` (any case) is an abbreviation whose period does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    static SET: WordSet = WordSet::new(ABBREVIATIONS);
    SET.contains(word)
}

/// The text of token `t`.
pub fn tok_text<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

/// Whether a quotation's text ends with a comma inside its closing marks (`“Yes,”`): the
/// sentence goes on after it, to an attribution or the rest of an appositive.
pub fn ends_with_inner_comma(quote: &str) -> bool {
    quote.trim_end_matches(|c: char| !c.is_alphanumeric() && c != ',').ends_with(',')
}

/// Strips a possessive ending: Okafor’s -> Okafor.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in ["’s", "'s", "’S", "'S"] {
        if let Some(w) = word.strip_suffix(suffix) {
            return w;
        }
    }
    word
}

/// Whether a word starts with an upper-case letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::marks::{find_spans, Style};

    fn words(text: &str) -> Vec<String> {
        let spans = find_spans(text, Style::Double);
        tokenize(text, &spans)
            .iter()
            .map(|t| match t.kind {
                Kind::Quote(i) => format!("Q{i}"),
                _ => tok_text(text, t).to_string(),
            })
            .collect()
    }

    #[test]
    fn tokens() {
        let cases: &[(&str, &str, &str)] = &[
            ("quote token", "“A b,” she said.", "Q0 she said ."),
            ("apostrophe word", "O’Neill’s plan didn’t", "O’Neill’s plan didn’t"),
            ("hyphen word", "Varga-Holm said", "Varga-Holm said"),
            ("initials", "U.S. officials", "U.S . officials"),
            ("abbreviation", "Sen. Okafor", "Sen . Okafor"),
            ("trailing hyphen (negative)", "well- known", "well - known"),
        ];
        for (name, text, want) in cases {
            assert_eq!(words(text).join(" "), *want, "case {name}");
        }
    }

    #[test]
    fn alnum_runs() {
        for b in 0..=255u8 {
            let x = u64::from_le_bytes([b'a', b'Z', b'5', b, b'x', b'x', b'x', b'x']);
            let want = if b.is_ascii_alphanumeric() { 8 } else { 3 };
            assert_eq!(ascii_alnum_run(x), want, "byte {b:#x}");
        }
        assert_eq!(ascii_alnum_run(u64::from_le_bytes(*b" abcdefg")), 0);
    }

    #[test]
    fn sentence_ends() {
        // (name, text, index of the token to test, expected)
        let cases: &[(&str, &str, usize, bool)] = &[
            ("full stop", "He left. She", 2, true),
            ("abbreviation (negative)", "said Sen. Okafor", 2, false),
            ("initial (negative)", "J. Okafor", 1, false),
            ("question", "Why? She", 1, true),
            ("comma (negative)", "Yes, she", 1, false),
            ("inside an abbreviation (negative)", "Obi (D-N.V.) said", 3, false),
            ("before a spaced word", "the D-N. Then", 2, true),
        ];
        for (name, text, i, want) in cases {
            let toks = tokenize(text, &[]);
            assert_eq!(ends_sentence(text, &toks, *i), *want, "case {name}");
        }
    }
}
