//! Finding quotation spans in one paragraph: which marks open and close a quotation.
//!
//! This is the lowest layer of extraction: it sees one paragraph's text and the article's
//! quotation style, and returns byte spans. It never decides whether a span is a real quotation
//! (see `filter`) or who said it (see `attribute`).
//!
//! Apostrophes never open or close a quotation: in the double-mark style single marks are
//! ignored entirely (so nested ‘single’ quotes stay inside their quotation), and in the
//! single-mark (British) style a ’ is only a closing mark when it is not inside a word and not
//! a possessive followed by an ordinary word.

use super::words::with_lowercase;

/// The primary quotation marks of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// “…” or "…", with ‘…’ nested inside.
    Double,
    /// ‘…’ or '…', with “…” nested inside (British newspapers).
    Single,
}

/// A quotation span inside a paragraph. Offsets are byte offsets into the paragraph text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Offset of the opening mark.
    pub open: usize,
    /// The quoted text is `text[text_start..text_end]`.
    pub text_start: usize,
    pub text_end: usize,
    /// Offset just past the closing mark (the paragraph's end when unclosed).
    pub end: usize,
    /// False when the quotation runs to the end of the paragraph without a closing mark.
    pub closed: bool,
}

/// Chooses the article's primary marks: single marks win only when single openers outnumber
/// double ones, so nested single quotes in an ordinary article do not flip the style.
pub fn detect_style<S: AsRef<str>>(paragraphs: &[S]) -> Style {
    let (mut double, mut single) = (0usize, 0usize);
    for p in paragraphs {
        let p = p.as_ref();
        let mut skip_to = 0;
        for (pos, c) in marks(p) {
            if pos < skip_to {
                continue;
            }
            // ``…'' and ''…'': doubled single marks are double ones.
            if let Some((d, len)) = doubled_mark(p, pos, c) {
                skip_to = pos + len;
                double += (d == '“') as usize;
                continue;
            }
            let prev = p[..pos].chars().next_back();
            let after = &p[pos + c.len_utf8()..];
            let next = after.chars().next();
            match c {
                '“' | '„' | '«' => double += 1,
                '"' if opens_here(prev, next) => double += 1,
                '‘' | '\'' if opens_here(prev, next) && !is_elision(after) => single += 1,
                _ => {}
            }
        }
    }
    if single > double {
        Style::Single
    } else {
        Style::Double
    }
}

/// Every quotation mark or apostrophe of `text` (`“ ” „ « » " ‘ ’ ' \``) with its byte offset.
///
/// Found from the bytes: most of a paragraph is letters and spaces, and decoding every
/// character to compare it with nine marks costs far more than skipping the bytes that cannot
/// start one (the marks start with `"`, `'`, `` ` ``, 0xC2 or 0xE2, none of them a continuation
/// byte).
fn marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        i = next_lead_byte(b, i)?;
        let at = i;
        let c = match b[at] {
            b'"' => Some('"'),
            b'\'' => Some('\''),
            b'`' => Some('`'),
            0xc2 => match b.get(at + 1) {
                Some(0xab) => Some('«'),
                Some(0xbb) => Some('»'),
                _ => None,
            },
            _ => match (b.get(at + 1), b.get(at + 2)) {
                (Some(0x80), Some(0x98)) => Some('‘'),
                (Some(0x80), Some(0x99)) => Some('’'),
                (Some(0x80), Some(0x9c)) => Some('“'),
                (Some(0x80), Some(0x9d)) => Some('”'),
                (Some(0x80), Some(0x9e)) => Some('„'),
                _ => None,
            },
        };
        i += 1;
        if let Some(c) = c {
            return Some((at, c));
        }
    })
}

/// A mark opens when it starts a word: nothing or a space/opening bracket before, text after.
fn opens_here(prev: Option<char>, next: Option<char>) -> bool {
    let before_ok = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/“\"‘".contains(p));
    before_ok && next.is_some_and(|n| !n.is_whitespace())
}

/// ’90s, ’em, ’n’: a leading apostrophe that elides letters rather than opening a quote.
/// `after` is the text right after the apostrophe.
fn is_elision(after: &str) -> bool {
    let word = &after[..after.find(|c: char| !c.is_alphanumeric()).unwrap_or(after.len())];
    word.chars().take(2).filter(char::is_ascii_digit).count() == 2
        || with_lowercase(word, |lower| {
            matches!(lower, "n" | "em" | "til" | "tis" | "twas" | "cause" | "bout")
        })
}

/// Offset of the first byte at or after `from` that may start a mark: `"`, `'`, `` ` ``, 0xC2
/// or 0xE2, and sometimes `#` or `&`, which the caller skips (see below).
///
/// Eight bytes are tested at once: a byte equal to `t` is a zero byte of `x ^ t`, and
/// `(y - 0x01…) & !y & 0x80…` is non-zero exactly when `y` has a zero byte, its lowest set bit
/// in the first one. This runs over every byte of every paragraph, twice.
fn next_lead_byte(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |y: u64| y.wrapping_sub(ONES) & !y & HIGH;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        // Two tests cover four marks: the bytes that `| 0x05` turns into `'` are `"`, `#`, `&`
        // and `'`; the bytes that `| 0x20` turns into 0xE2 are 0xC2 and 0xE2.
        let found = zero_byte((x | (ONES * 0x05)) ^ (ONES * b'\'' as u64))
            | zero_byte((x | (ONES * 0x20)) ^ (ONES * 0xe2))
            | zero_byte(x ^ (ONES * b'`' as u64));
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&x| matches!(x, b'"' | b'\'' | b'`' | 0xc2 | 0xe2)).map(|k| i + k)
}

/// Finds the quotation spans of one paragraph.
pub fn find_spans(text: &str, style: Style) -> Vec<Span> {
    // Text without marks gives an empty list, which does not allocate.
    match style {
        Style::Double => find_double(text),
        Style::Single => find_single(text),
    }
}

struct Open {
    open: usize,
    text_start: usize,
    curly: bool,
    depth: usize,
}

fn close(spans: &mut Vec<Span>, o: Open, at: usize, mark_len: usize) {
    spans.push(Span {
        open: o.open,
        text_start: o.text_start,
        text_end: at,
        end: at + mark_len,
        closed: true,
    });
}

fn finish(spans: &mut Vec<Span>, open: Option<Open>, len: usize) {
    if let Some(o) = open {
        if o.text_start < len {
            spans.push(Span {
                open: o.open,
                text_start: o.text_start,
                text_end: len,
                end: len,
                closed: false,
            });
        }
    }
}

/// A doubled single mark standing for a double one, as archive exports write them: ``` `` ```
/// or `‘‘` opens, `''` or `’’` closes. Returns the pair's double mark and byte length.
fn doubled_mark(text: &str, pos: usize, c: char) -> Option<(char, usize)> {
    let len = c.len_utf8();
    if !text[pos + len..].starts_with(c) {
        return None;
    }
    match c {
        '`' | '‘' => Some(('“', 2 * len)),
        '\'' | '’' => Some(('”', 2 * len)),
        _ => None,
    }
}

/// Whether a mark between `prev` and `next` sits at the end of a word: text before it, and a
/// space, punctuation or nothing after it.
fn ends_word(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_some_and(|p| !p.is_whitespace() && !"([{—–-/".contains(p))
        && !next.is_some_and(char::is_alphanumeric)
}

fn find_double(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<Open> = None;
    // Byte offset before which marks were consumed as the second half of a doubled mark.
    let mut skip_to = 0;
    for (pos, c) in marks(text) {
        if pos < skip_to {
            continue;
        }
        let mut len = c.len_utf8();
        let prev = text[..pos].chars().next_back();
        let mut c = c;
        if matches!(c, '`' | '‘' | '\'' | '’') {
            match doubled_mark(text, pos, c) {
                Some((d, l)) => {
                    (c, len) = (d, l);
                    skip_to = pos + l;
                }
                // A lone `‘` before a closing ” is an opener typed with the wrong mark:
                // ‘We will win.” (see below); other single marks are apostrophes or nested.
                None => continue,
            }
        }
        let next = text[pos + len..].chars().next();
        match c {
            '“' | '„' | '«' => match &mut open {
                None => {
                    open = Some(Open { open: pos, text_start: pos + len, curly: true, depth: 0 })
                }
                // “It's unusual,“ said Marr: an opening mark typed for the closing one, at the
                // end of a word with nothing nested open.
                Some(o) if o.depth == 0 && c == '“' && ends_word(prev, next) => {
                    close(&mut spans, open.take().unwrap(), pos, len)
                }
                // A second opening mark inside a curly quotation is nested (or a typo); it
                // must be balanced by its own closing mark before the quotation can close.
                Some(o) if o.curly => o.depth += 1,
                Some(_) => {}
            },
            '”' | '»' => match &mut open {
                Some(o) if o.curly && o.depth > 0 => o.depth -= 1,
                Some(_) => close(&mut spans, open.take().unwrap(), pos, len),
                // ”The count is wrong,” Varga said: a closing mark typed for the opening one,
                // at the start of a word.
                None if opens_here(prev, next) && c == '”' => {
                    open = Some(Open { open: pos, text_start: pos + len, curly: true, depth: 0 })
                }
                // ‘We will win.” with a single opening mark.
                None => {
                    let from = spans.last().map_or(0, |s: &Span| s.end);
                    if let Some(o) = single_opener_before(text, from, pos) {
                        open = Some(Open {
                            open: o,
                            text_start: o + '‘'.len_utf8(),
                            curly: true,
                            depth: 0,
                        });
                        close(&mut spans, open.take().unwrap(), pos, len);
                    }
                }
            },
            '"' => match &open {
                None if next.is_some_and(|n| !n.is_whitespace()) => {
                    open = Some(Open { open: pos, text_start: pos + len, curly: false, depth: 0 })
                }
                None => {}
                Some(o) if !o.curly => close(&mut spans, open.take().unwrap(), pos, len),
                // A straight mark closing a curly quotation (mixed typing): accept it when
                // it ends a word and nothing is nested.
                Some(o)
                    if o.depth == 0
                        && prev.is_some_and(|p| !p.is_whitespace())
                        && !next.is_some_and(char::is_alphanumeric) =>
                {
                    close(&mut spans, open.take().unwrap(), pos, len)
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    finish(&mut spans, open, text.len());
    spans
}

/// The offset of a `‘` in `text[from..to]` that opens a word (`‘We`), the last one, when no
/// `’` closes it before `to`: the opener of a quotation closed by a double mark.
fn single_opener_before(text: &str, from: usize, to: usize) -> Option<usize> {
    let at = from + text[from..to].rfind('‘')?;
    let prev = text[..at].chars().next_back();
    let after = &text[at + '‘'.len_utf8()..to];
    let closed = after.contains("’ ") || after.ends_with('’');
    (opens_here(prev, after.chars().next()) && !is_elision(after) && !closed).then_some(at)
}

fn find_single(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<Open> = None;
    for (pos, c) in marks(text) {
        if c != '‘' && c != '’' && c != '\'' {
            continue;
        }
        let len = c.len_utf8();
        let prev = text[..pos].chars().next_back();
        let after = &text[pos + len..];
        let next = after.chars().next();
        match &open {
            None => {
                if (c == '‘' || c == '\'') && opens_here(prev, next) && !is_elision(after) {
                    open =
                        Some(Open {
                            open: pos, text_start: pos + len, curly: c == '‘', depth: 0
                        });
                }
            }
            Some(_) => {
                if c == '‘' || prev.is_none_or(char::is_whitespace) {
                    continue;
                }
                if next.is_some_and(char::is_alphanumeric) {
                    continue; // don’t, it’s, O’Neill
                }
                if closes_single(prev.unwrap(), after) {
                    close(&mut spans, open.take().unwrap(), pos, len);
                }
            }
        }
    }
    finish(&mut spans, open, text.len());
    spans
}

/// Whether a ’ after `prev` and before `after` closes a single-mark quotation rather than
/// marking a plural possessive (`the workers’ union`). `after` is the text after the ’.
fn closes_single(prev: char, after: &str) -> bool {
    if !prev.is_alphanumeric() {
        return true; // ‘…,’ ‘…?’ ‘…—’
    }
    let mut rest = after.chars();
    match rest.next() {
        None => true,
        Some(c) if !c.is_whitespace() => true,
        Some(_) => {
            let rest = rest.as_str();
            let word = &rest[..rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len())];
            let starts_lower = word.chars().next().is_some_and(char::is_lowercase);
            // Plural possessives end in s (`the workers’ union`); after any other letter a ’
            // before an ordinary word closes the quotation (`‘decanted’ from February`). A
            // possessive is followed by what is owned, never by a function word: `to ‘right
            // the wrongs’ as he announced` closes.
            !starts_lower
                || !matches!(prev, 's' | 'S')
                || super::cues::is_pronoun(word)
                || super::cues::is_cue(word)
                || super::cues::is_adverb(word)
                || is_function_word(word)
        }
    }
}

/// Words that never follow a possessive: conjunctions, prepositions, articles, auxiliaries.
fn is_function_word(word: &str) -> bool {
    super::words::with_lowercase(word, |w| {
        matches!(
            w,
            "as" | "but"
                | "to"
                | "in"
                | "on"
                | "at"
                | "for"
                | "of"
                | "with"
                | "by"
                | "from"
                | "into"
                | "than"
                | "that"
                | "which"
                | "who"
                | "when"
                | "while"
                | "because"
                | "after"
                | "before"
                | "if"
                | "so"
                | "the"
                | "a"
                | "an"
                | "is"
                | "are"
                | "was"
                | "were"
                | "will"
                | "would"
                | "could"
                | "should"
                | "can"
                | "may"
                | "might"
                | "must"
                | "had"
                | "has"
                | "have"
                | "until"
                | "unless"
                | "since"
                | "though"
                | "although"
        )
    })
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    fn texts(text: &str, style: Style) -> Vec<(String, bool)> {
        find_spans(text, style)
            .into_iter()
            .map(|s| (text[s.text_start..s.text_end].to_string(), s.closed))
            .collect()
    }

    #[test]
    fn double_spans() {
        // (name, paragraph, expected (text, closed) spans)
        let cases: &[(&str, &str, &[(&str, bool)])] = &[
            ("curly", "“We will win,” she said.", &[("We will win,", true)]),
            ("straight", "\"We will win,\" she said.", &[("We will win,", true)]),
            ("two", "“A,” she said, “B.”", &[("A,", true), ("B.", true)]),
            (
                "apostrophes inside",
                "“Don’t go, it’s the ’90s,” he said.",
                &[("Don’t go, it’s the ’90s,", true)],
            ),
            (
                "nested single",
                "“He said ‘never’ to me,” she said.",
                &[("He said ‘never’ to me,", true)],
            ),
            (
                "nested double",
                "“He said “never” twice,” she said.",
                &[("He said “never” twice,", true)],
            ),
            ("unclosed", "He said: “We will go on", &[("We will go on", false)]),
            ("stray close", "It ends” here.", &[]),
            ("mixed", "“Mixed marks\" he said.", &[("Mixed marks", true)]),
            ("low-9 opener", "„Ja,” sagte er.", &[("Ja,", true)]),
            ("no quotes (negative)", "Plain text, no marks.", &[]),
            (
                "ampersands and hashes are no marks",
                "AT&T said “#1 again,” she said.",
                &[("#1 again,", true)],
            ),
            ("ampersands only (negative)", "R&D at AT&T, #1 in Q&A lists", &[]),
            ("apostrophes only (negative)", "rock ’n’ roll and O’Neill’s ’90s", &[]),
            ("doubled apostrophes", "''We will win,'' she said.", &[("We will win,", true)]),
            ("backticks and apostrophes", "``We will win,'' she said.", &[("We will win,", true)]),
            (
                "doubled curly singles",
                "‘‘The ferry runs,’’ Varga said.",
                &[("The ferry runs,", true)],
            ),
            ("one apostrophe is no mark (negative)", "the workers' union met", &[]),
            ("opener typed for closer", "“It is unusual,“ said Marr.", &[("It is unusual,", true)]),
            (
                "opener before a word stays an opener (negative)",
                "“He said “never” twice,” she said.",
                &[("He said “never” twice,", true)],
            ),
            (
                "closer typed for opener",
                "”The count is wrong,” Varga said.",
                &[("The count is wrong,", true)],
            ),
            ("stray closer mid-word (negative)", "It ends” here.", &[]),
            (
                "single opener, double closer",
                "‘We will win.” Marr said.",
                &[("We will win.", true)],
            ),
            ("closed single before a closer (negative)", "the ‘big’ one.” Marr said.", &[]),
        ];
        for (name, text, want) in cases {
            let got = texts(text, Style::Double);
            let want: Vec<(String, bool)> = want.iter().map(|(t, c)| (t.to_string(), *c)).collect();
            assert_eq!(got, want, "case {name}");
        }
    }

    #[test]
    fn single_spans() {
        let cases: &[(&str, &str, &[(&str, bool)])] = &[
            ("curly", "‘We will win,’ she said.", &[("We will win,", true)]),
            ("apostrophe inside", "‘It’s over,’ he said.", &[("It’s over,", true)]),
            (
                "possessive plural",
                "‘The workers’ union is strong,’ he said.",
                &[("The workers’ union is strong,", true)],
            ),
            ("close before pronoun", "‘Nonsense’ he said.", &[("Nonsense", true)]),
            (
                "nested double",
                "‘He called it “madness”,’ she said.",
                &[("He called it “madness”,", true)],
            ),
            ("straight", "'Quite right,' he said.", &[("Quite right,", true)]),
            ("elision (negative)", "the ’90s and rock ’n’ roll", &[]),
            ("unclosed", "She said: ‘We go on", &[("We go on", false)]),
            (
                "before a function word",
                "She vowed to ‘right the wrongs’ as she announced her bid.",
                &[("right the wrongs", true)],
            ),
            (
                "plural possessive before a noun (negative)",
                "‘The dockers’ pay will rise,’ he said.",
                &[("The dockers’ pay will rise,", true)],
            ),
        ];
        for (name, text, want) in cases {
            let got = texts(text, Style::Single);
            let want: Vec<(String, bool)> = want.iter().map(|(t, c)| (t.to_string(), *c)).collect();
            assert_eq!(got, want, "case {name}");
        }
    }

    #[test]
    fn lead_bytes() {
        let text = "abcdefghijklmnop\"qrstuvwxyz ’ « 'x' ``y'' AT&T 5% #1 \x01".as_bytes();
        let mut got = Vec::new();
        let mut i = 0;
        while let Some(k) = next_lead_byte(text, i) {
            got.push(k);
            i = k + 1;
        }
        // Every mark's lead byte, and besides them at most `#` and `&` (which `marks` skips).
        let want: Vec<usize> = (0..text.len())
            .filter(|&k| matches!(text[k], b'"' | b'\'' | b'`' | 0xc2 | 0xe2))
            .collect();
        let extra: Vec<usize> = got.iter().copied().filter(|k| !want.contains(k)).collect();
        assert!(want.iter().all(|k| got.contains(k)), "{got:?} misses some of {want:?}");
        assert!(extra.iter().all(|&k| matches!(text[k], b'#' | b'&')), "{extra:?}");
    }

    #[test]
    fn style_detection() {
        let cases: &[(&str, &[&str], Style)] = &[
            ("double", &["“A,” he said. It’s ‘fine’."], Style::Double),
            ("single", &["‘A,’ he said.", "‘B’ and “c”."], Style::Single),
            ("straight double", &["\"A,\" he said. 'x'"], Style::Double),
            ("apostrophes are not singles", &["It’s the ’90s, don’t."], Style::Double),
            ("doubled apostrophes are doubles", &["''A,'' he said. ''B.''"], Style::Double),
        ];
        for (name, paras, want) in cases {
            assert_eq!(detect_style(paras), *want, "case {name}");
        }
    }
}
