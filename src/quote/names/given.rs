//! Given names and how often their bearers are women, learned from US birth records: whether
//! a capitalised run opens with a first name (`Dina Oyelaran` is a person, `Harbour Lights`
//! is not known to be), and which pronoun a person named only in passing takes.
//!
//! The lowest layer of `names` beside `titles`: `chunks` asks it whether a run looks like a
//! person, `entities` asks it for a person's likely gender. The table `given_names.tsv` is
//! derived by `tools/given-names/derive.py` from the US Social Security Administration's
//! public-domain baby-name counts (see that script for the source and the thresholds).

use std::sync::LazyLock;

use crate::quote::cues::Gender;
use crate::quote::fasthash::FastMap;
use crate::quote::words::with_lowercase;

/// `name<TAB>female share in percent`, lower-cased, one line per name.
static TABLE: &str = include_str!("given_names.tsv");

/// The table, parsed once per process.
static SHARES: LazyLock<FastMap<&'static str, u8>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, share) = l.split_once('\t')?;
            Some((name, share.parse().ok()?))
        })
        .collect()
});

/// The share of women, in percent, among the people given the name `word`, if it is a given
/// name at all (any case).
pub fn female_share(word: &str) -> Option<u8> {
    // An initial or a one-letter word is no given name; neither is anything with a digit.
    if word.chars().count() < 2 || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    with_lowercase(word, |w| SHARES.get(w).copied())
}

/// Whether `word` is a given name.
pub fn is_given_name(word: &str) -> bool {
    female_share(word).is_some()
}

/// The gender nine in ten bearers of the given name `word` share, if any, and how sure the
/// name makes it: 3 when at least 97 in 100 share it, else 1 (`Lindsey` is a senator's name
/// too, though most Lindseys are women).
pub fn given_name_gender(word: &str) -> Option<(Gender, u32)> {
    match female_share(word)? {
        97.. => Some((Gender::Female, 3)),
        90..=96 => Some((Gender::Female, 1)),
        0..=3 => Some((Gender::Male, 3)),
        4..=10 => Some((Gender::Male, 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::type_complexity)]
    fn given_names() {
        use Gender::*;
        // (name, word, is a given name, gender and weight)
        let cases: &[(&str, &str, bool, Option<(Gender, u32)>)] = &[
            ("common woman's name", "Margaret", true, Some((Female, 3))),
            ("common man's name", "Robert", true, Some((Male, 3))),
            ("any case", "ROBERT", true, Some((Male, 3))),
            ("mostly a woman's name", "Lindsey", true, Some((Female, 1))),
            ("shared by both", "Jordan", true, None),
            ("a place (negative)", "Harrowby", false, None),
            ("a word (negative)", "Breakfast", false, None),
            ("an initial (negative)", "J", false, None),
        ];
        for (name, w, given, gender) in cases {
            assert_eq!(is_given_name(w), *given, "case {name}");
            assert_eq!(given_name_gender(w), *gender, "case {name}");
        }
    }
}
