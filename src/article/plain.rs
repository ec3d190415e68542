//! The plain-text article format: a `date YYYY-MM-DD` first line, then blank-line separated
//! paragraphs.
//!
//! The first non-blank line starts with `date` (leading spaces allowed), then optionally `:`,
//! then a date (`2023-06-21`) or an RFC 3339 timestamp (`2023-06-21T22:30:00-04:00`, taken as
//! its UTC calendar day). Whatever follows the date on that line is the first paragraph. A file
//! without such a line is an undated article whose paragraphs start at the top.

use std::path::Path;

use jiff::civil::Date;

use super::Article;

/// Parses plain-text article `text` read from `path`.
pub fn parse_plain(path: &Path, text: &str) -> Article {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut warnings = Vec::new();
    let mut date = None;
    let mut date_from = None;
    let mut body = text;

    // Find the first non-blank line and see whether it is a date line.
    let trimmed_start = text.trim_start_matches(|c: char| c.is_whitespace());
    let first_line_end = trimmed_start.find('\n').unwrap_or(trimmed_start.len());
    let first_line = trimmed_start[..first_line_end].trim_end_matches('\r');
    if let Some(rest) = date_line_rest(first_line) {
        let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..token_end];
        match parse_date(token) {
            Some(d) => date = Some(d),
            None => warnings.push(format!("invalid date '{token}' on the date line")),
        }
        if date.is_some() {
            date_from = Some(super::DateFrom::FirstLine);
        }
        // The rest of the date line (if any) is the start of the first paragraph.
        let offset = text.len() - trimmed_start.len() + (first_line.len() - rest.len()) + token_end;
        body = &text[offset..];
    }
    Article {
        path: path.to_path_buf(),
        date,
        date_from,
        paragraphs: split_paragraphs(body),
        warnings,
        ..Article::default()
    }
}

/// If `line` is a date line (`date 2023-01-02`, `date: 2023-01-02`, `Date:2023-...`), returns
/// what follows the keyword and separator.
fn date_line_rest(line: &str) -> Option<&str> {
    let head = line.get(..4)?;
    if !head.eq_ignore_ascii_case("date") {
        return None;
    }
    let after = &line[4..];
    let after_colon = after.strip_prefix(':');
    let rest = match after_colon {
        Some(r) => r,
        None if after.starts_with(char::is_whitespace) => after,
        None => return None,
    };
    let rest = rest.trim_start();
    // Only a line whose next token starts with a digit is a date line: "Date night was..." is not.
    rest.starts_with(|c: char| c.is_ascii_digit()).then_some(rest)
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp (normalised to its UTC calendar day).
pub fn parse_date(token: &str) -> Option<Date> {
    if token.len() == 10 {
        return token.parse::<Date>().ok();
    }
    if let Ok(ts) = token.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    // A civil datetime without offset (2023-06-21T10:00:00) is taken at face value.
    token.parse::<jiff::civil::DateTime>().ok().map(|dt| dt.date())
}

/// Splits text into paragraphs at blank lines; joins soft-wrapped lines with one space and
/// folds runs of white space (including non-breaking spaces) into one space.
pub(super) fn split_paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        // Most paragraphs are one line: room for it in one allocation.
        if current.is_empty() {
            current.reserve(line.len());
        }
        // Most lines need no folding: copied whole instead of word by word.
        if let Some(plain) = unfolded(line) {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(plain);
            continue;
        }
        for word in line.split(is_space) {
            if word.is_empty() {
                continue;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// `line` without its surrounding ASCII spaces when nothing inside it needs folding: no run of
/// spaces, no tab or other control space, no Unicode space (checked on the UTF-8 bytes of every
/// character that `is_space` accepts).
fn unfolded(line: &str) -> Option<&str> {
    let t = line.trim_matches(' ');
    let b = t.as_bytes();
    // This reads every byte of every article. Eight bytes are tested at once for anything that
    // may need folding; only a block that might is looked at byte by byte.
    let mut prev_space = false;
    let mut i = 0;
    while i < b.len() {
        if let Some(block) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(block.try_into().expect("8 bytes"));
            if !(prev_space && block[0] == b' ' || may_fold(x)) {
                prev_space = block[7] == b' ';
                i += 8;
                continue;
            }
        }
        for k in i..b.len().min(i + 8) {
            let byte = b[k];
            let space = byte == b' ';
            if !(MAY_FOLD[byte as usize] || space && prev_space) {
                prev_space = space;
                continue;
            }
            prev_space = space;
            let next = |n: usize| b.get(k + n).copied();
            let folds = match byte {
                b' ' => true,
                0x09..=0x0d => true,
                // U+0085, U+00A0
                0xc2 => matches!(next(1), Some(0x85 | 0xa0)),
                // U+1680
                0xe1 => next(1) == Some(0x9a) && next(2) == Some(0x80),
                // U+2000..=U+200A, U+2028, U+2029, U+202F, U+205F
                0xe2 => matches!(
                    (next(1), next(2)),
                    (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
                ),
                // U+3000
                0xe3 => next(1) == Some(0x80) && next(2) == Some(0x80),
                // U+FEFF
                0xef => next(1) == Some(0xbb) && next(2) == Some(0xbf),
                _ => false,
            };
            if folds {
                return None;
            }
        }
        i = b.len().min(i + 8);
    }
    (!t.is_empty()).then_some(t)
}

/// Whether any of the eight bytes of `x` may need folding: a byte below 0x0E (the control
/// spaces and a few bytes that never reach the byte-by-byte check's folding), a lead byte in
/// `MAY_FOLD`, or two spaces in a row. May say yes wrongly, never no wrongly.
///
/// `(y - n·0x01…) & !y & 0x80…` flags every byte of `y` below `n` (`n` ≤ 0x7F); with `n` = 1 it
/// flags the zero bytes, that is the bytes of `x` equal to a given byte once `x` is xored with it.
fn may_fold(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    let below = |y: u64, n: u64| y.wrapping_sub(n * ONES) & !y & HIGH;
    let equal = |v: u64| below(x ^ (v * ONES), 1);
    let spaces = equal(b' ' as u64);
    let found = below(x, 0x0e)
        | equal(0xc2)
        | equal(0xe1)
        | equal(0xe2)
        | equal(0xe3)
        | equal(0xef)
        | spaces & (spaces >> 8);
    found != 0
}

/// Bytes that may start a character `unfolded` must fold: ASCII control spaces and the lead
/// bytes of the Unicode spaces (a lone ASCII space is checked apart, by the one before it).
static MAY_FOLD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x09;
    while b <= 0x0d {
        table[b] = true;
        b += 1;
    }
    table[0xc2] = true;
    table[0xe1] = true;
    table[0xe2] = true;
    table[0xe3] = true;
    table[0xef] = true;
    table
};

/// `s` with runs of white space folded to single spaces and none at either end.
pub(super) fn fold_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// White space for paragraph folding: ASCII and Unicode spaces, including the non-breaking ones
/// that word processors leave in articles.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Article {
        parse_plain(Path::new("a.txt"), text)
    }

    fn d(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    /// The fast path for lines that need no folding gives what folding word by word gives.
    #[test]
    fn unfolded_lines_match_word_by_word_folding() {
        let fold = |body: &str| -> Vec<String> {
            body.split("\n\n")
                .map(|p| p.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect()
        };
        let spaces = [
            " ", "  ", "\t", "\r", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{2007}",
            "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{feff}",
        ];
        // Characters whose UTF-8 shares lead bytes with those spaces but are not spaces.
        let lookalikes =
            ["“", "”", "’", "—", "…", "€", "\u{200b}", "\u{2060}", "é", "ǅ", "\u{3001}"];
        for s in spaces {
            for l in lookalikes {
                let body = format!("a{s}b{l}c {l}{s}\nd{s}{s}e{l}\n\n{s}f{l}{s}");
                assert_eq!(
                    split_paragraphs(&body),
                    fold(
                        &body.replace("\n\n", "\u{0}").replace('\n', " ").replace('\u{0}', "\n\n")
                    ),
                    "{body:?}"
                );
            }
        }
    }

    /// Long lines mixing spaces and look-alikes at every offset, so that whatever needs folding
    /// falls in every position of the eight-byte blocks, and across their boundaries.
    #[test]
    fn unfolded_blocks_match_word_by_word_folding() {
        let pieces = [
            "a", "bc", "def", "ghij", " ", "  ", "\t", "\u{a0}", "\u{2009}", "\u{feff}", "“", "’",
            "—", "é", "\u{200b}", "\u{3001}", "\u{85}", "\u{1}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let want: Vec<String> = Some(line.split(is_space).filter(|w| !w.is_empty()))
                .map(|ws| ws.collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .into_iter()
                .collect();
            assert_eq!(split_paragraphs(&line), want, "{line:?}");
        }
    }

    #[test]
    fn date_lines() {
        // (name, input, expected date, expected first paragraph)
        let cases: &[(&str, &str, Option<Date>, Option<&str>)] = &[
            ("alone", "date 2023-03-14\n\nFirst.", d("2023-03-14"), Some("First.")),
            (
                "same line",
                "date 2023-03-14 VELDMOOR — Dock.\n\nSecond.",
                d("2023-03-14"),
                Some("VELDMOOR — Dock."),
            ),
            ("leading spaces", "   date 2021-01-02 Text", d("2021-01-02"), Some("Text")),
            ("colon", "date: 2021-01-02\nText", d("2021-01-02"), Some("Text")),
            ("colon no space", "Date:2021-01-02\n\nText", d("2021-01-02"), Some("Text")),
            ("blank lines first", "\n\n  \ndate 2021-01-02\n\nText", d("2021-01-02"), Some("Text")),
            (
                "rfc3339 utc day",
                "date 2023-06-21T22:30:00-04:00\n\nText",
                d("2023-06-22"),
                Some("Text"),
            ),
            ("rfc3339 z", "date 2023-06-21T10:00:00Z Text", d("2023-06-21"), Some("Text")),
            ("bom", "\u{feff}date 2022-02-02\n\nText", d("2022-02-02"), Some("Text")),
            ("crlf", "date 2022-02-02\r\n\r\nText\r\nmore\r\n", d("2022-02-02"), Some("Text more")),
            ("no date line", "Just a paragraph.\n\nAnother.", None, Some("Just a paragraph.")),
            ("not a date line", "Date night was fun.", None, Some("Date night was fun.")),
            ("invalid date", "date 2023-13-01\n\nText", None, Some("Text")),
            ("empty", "", None, None),
        ];
        for (name, input, date, first) in cases {
            let a = parse(input);
            assert_eq!(a.date, *date, "case {name}: date");
            assert_eq!(
                a.paragraphs.first().map(String::as_str),
                *first,
                "case {name}: first paragraph"
            );
        }
    }

    #[test]
    fn invalid_date_is_a_warning() {
        let a = parse("date 2023-13-01\n\nText");
        assert_eq!(a.warnings, vec!["invalid date '2023-13-01' on the date line".to_string()]);
    }

    #[test]
    fn paragraphs_soft_wraps_and_spaces() {
        let a = parse(
            "date 2022-01-01\n\nOne line\nwrapped   here.\n \t\nTwo\u{a0}words.\n\n\n\nThree.",
        );
        assert_eq!(a.paragraphs, vec!["One line wrapped here.", "Two words.", "Three."]);
    }
}
