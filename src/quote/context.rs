//! The text shown around a quotation (`quoth query --context`, the API's `paragraph`): the
//! paragraph(s) it stands in, cut to a window around it when the paragraph is long.
//!
//! The window is shared by the quotations of one paragraph, so that what an index stores per
//! quotation stays proportional to the article whatever its shape: a paragraph of thousands of
//! short quotations once stored itself whole with each of them (a 200 KB file cost 1.5 GB).
//! Used by `index::writer` (stored with each quotation) and by `quoth extract`; text only.

use super::Quote;
use crate::article::Article;

/// Characters kept on either side of a quotation, divided among the quotations that start in
/// the same paragraph...
pub const SIDE: usize = 1000;
/// ...but never fewer than this.
pub const MIN_SIDE: usize = 80;

/// The contexts of one article's quotations.
pub struct Contexts {
    /// Quotations starting in each paragraph.
    starting: Vec<u32>,
}

impl Contexts {
    pub fn new(article: &Article, quotes: &[Quote]) -> Contexts {
        let mut starting = vec![0u32; article.paragraphs.len()];
        for q in quotes {
            if let Some(n) = starting.get_mut(q.paragraph) {
                *n = n.saturating_add(1);
            }
        }
        Contexts { starting }
    }

    /// The paragraphs `q` stands in (joined by a blank line), with at most `SIDE / n`
    /// characters (at least `MIN_SIDE`) kept before and after it, where `n` quotations start in
    /// its paragraph; a cut is made at a space where there is one and marked with `…`.
    pub fn of(&self, article: &Article, q: &Quote) -> String {
        let n = self.starting.get(q.paragraph).copied().unwrap_or(1).max(1) as usize;
        let side = (SIDE / n).max(MIN_SIDE);
        let paragraphs = &article.paragraphs[q.paragraph..=q.end_paragraph];
        let (first, last) = (&paragraphs[0], &paragraphs[paragraphs.len() - 1]);
        let start = floor_boundary(first, q.start);
        let end = floor_boundary(last, q.end);
        let before = tail(&first[..start], side);
        let after = head(&last[end..], side);
        let mut out = String::with_capacity(before.len() + after.len() + q.text.len() + 16);
        if before.len() < start {
            out.push_str("… ");
        }
        out.push_str(before);
        if paragraphs.len() == 1 {
            out.push_str(&first[start..end]);
        } else {
            out.push_str(&first[start..]);
            for p in &paragraphs[1..paragraphs.len() - 1] {
                out.push_str("\n\n");
                out.push_str(p);
            }
            out.push_str("\n\n");
            out.push_str(&last[..end]);
        }
        out.push_str(after);
        if after.len() < last.len() - end {
            out.push_str(" …");
        }
        out
    }
}

/// The last `chars` characters of `text`, from the first space within them when there is one.
fn tail(text: &str, chars: usize) -> &str {
    let Some((at, _)) = text.char_indices().rev().nth(chars) else { return text };
    let cut = &text[at + text[at..].chars().next().map_or(0, char::len_utf8)..];
    match cut.find(' ') {
        Some(space) => &cut[space + 1..],
        None => cut,
    }
}

/// The first `chars` characters of `text`, up to the last space within them when there is one.
fn head(text: &str, chars: usize) -> &str {
    let Some((at, _)) = text.char_indices().nth(chars) else { return text };
    let cut = &text[..at];
    match cut.rfind(' ') {
        Some(space) => &cut[..space],
        None => cut,
    }
}

/// `at`, or the nearest character boundary of `text` before it.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn article(text: &str) -> Article {
        crate::article::parse_plain(Path::new("a.txt"), text)
    }

    #[test]
    fn contexts() {
        let long: String = (0..400).map(|i| format!("w{i:03} ")).collect();
        let many = "“No,” Okafor said. ".repeat(30);
        // (name, article text, quotation number, context wanted: whole, or its first and last
        // words and the most characters kept on either side)
        let cases: Vec<(&str, String, usize, &str, &str, usize)> = vec![
            (
                "a short paragraph whole",
                "Before. “We stay,” said Okafor, the mayor.".into(),
                0,
                "Before.",
                "mayor.",
                0,
            ),
            (
                "several paragraphs whole",
                "“One.\n\n“Two,” said Okafor.".into(),
                0,
                "“One.",
                "Okafor.",
                0,
            ),
            (
                "a long paragraph cut at spaces",
                format!("{long}“We stay,” said Okafor. {long}"),
                0,
                "… w201",
                "w196 …",
                SIDE,
            ),
            (
                "thirty quotations share it",
                many.trim_end().into(),
                15,
                "… “No,”",
                "“No,” …",
                MIN_SIDE,
            ),
            ("the first of them", many.trim_end().into(), 0, "“No,”", "“No,” …", MIN_SIDE),
        ];
        for (name, text, n, first, last, side) in cases {
            let a = article(&format!("date 2023-01-01\n\n{text}\n"));
            let quotes = super::super::extract(&a);
            let q = &quotes[n];
            let got = Contexts::new(&a, &quotes).of(&a, q);
            assert!(got.starts_with(first) && got.ends_with(last), "case {name}: {got}");
            if side == 0 {
                assert_eq!(got, a.paragraphs[q.paragraph..=q.end_paragraph].join("\n\n"), "{name}");
            } else {
                let kept = got.chars().count() - q.text.chars().count();
                assert!(kept <= 2 * side + 8, "case {name}: {kept} characters around it");
                assert!(got.chars().count() < text.chars().count(), "case {name}: not cut");
            }
        }
    }

    #[test]
    fn cuts() {
        // (name, text, characters, tail, head)
        let cases: &[(&str, &str, usize, &str, &str)] = &[
            ("short text whole", "a b", 10, "a b", "a b"),
            ("at a space", "aa bb cc", 4, "cc", "aa"),
            ("no space: mid-word", "abcdefgh", 3, "fgh", "abc"),
            ("multi-byte characters", "éé ßß ÿÿ", 4, "ÿÿ", "éé"),
        ];
        for (name, text, chars, t, h) in cases {
            assert_eq!(tail(text, *chars), *t, "case {name}: tail");
            assert_eq!(head(text, *chars), *h, "case {name}: head");
        }
    }
}
