//! Deciding whether a quoted span is a quotation at all, from facts gathered about it.
//!
//! Scare quotes (`the “synergies” were modest`), quoted terms, nicknames and titles of works
//! are quoted too but are not anyone's words. This module is pure: `extract` gathers the
//! [`Facts`] (word count, attribution, position) and this decides.

/// What is known about a quoted span when deciding whether it is a quotation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Words in the span.
    pub words: usize,
    /// Most words capitalised and no sentence punctuation: looks like a title.
    pub title_case: bool,
    /// The span ends with `.`, `!`, `?`, `,`, `…` or a dash inside the marks.
    pub ends_with_punct: bool,
    /// The span ends a sentence inside the marks: `.`, `!`, `?` or `…`.
    pub ends_sentence: bool,
    /// A speech verb attaches to the span directly (`“No,” she said`, `said: “No.”`).
    pub direct_cue: bool,
    /// A speech verb stands somewhere in the span's sentence before it.
    pub cue_in_sentence: bool,
    /// The span is the whole paragraph.
    pub whole_paragraph: bool,
    /// The span starts its sentence.
    pub sentence_start: bool,
    /// Sits between two parts of a name: `Marta “the Hammer” Kowal`.
    pub inside_name: bool,
    /// Preceded by a word that announces a title: book, film, song, titled, called…
    pub title_context: bool,
    /// Title-cased right after a preposition, `told` or an owner's name: a show, a book or a
    /// song (`said on “Morning Harbor” that`, `CNN’s “State of the Union”`).
    pub media_title: bool,
    /// A speech, naming or quoting verb whose subject is a person governs the span
    /// (`Okafor called the budget “a fantasy”`).
    pub person_governs: bool,
}

/// Words that announce the title of a work or a name rather than speech.
pub const TITLE_CONTEXT: &[&str] = &[
    "book",
    "novel",
    "film",
    "movie",
    "song",
    "album",
    "single",
    "report",
    "documentary",
    "play",
    "series",
    "show",
    "podcast",
    "memoir",
    "essay",
    "article",
    "column",
    "poem",
    "titled",
    "entitled",
    "called",
    "named",
    "dubbed",
    "nicknamed",
    "ship",
    "vessel",
    "boat",
    "exhibition",
    "programme",
    "program",
    "initiative",
    "operation",
    "opera",
    "musical",
    "painting",
    "track",
    "anthem",
    "hymn",
    "headline",
    "slogan",
    "motto",
    "brand",
    "label",
    "study",
    "paper",
    "biography",
    "branded",
    "labelled",
    "labeled",
    "marketed",
    "codenamed",
    "collection",
    "sculpture",
    "word",
    "phrase",
    "term",
    "known",
];

/// Whether `word` announces a title or a term (`book`, `titled`, `word`).
pub fn is_title_context(word: &str) -> bool {
    static SET: super::words::WordSet = super::words::WordSet::new(TITLE_CONTEXT);
    SET.contains(word)
}

/// Whether a span with these facts is a quotation.
pub fn is_quotation(f: &Facts) -> bool {
    if f.inside_name || f.media_title {
        return false;
    }
    if f.direct_cue || f.whole_paragraph {
        return true;
    }
    if f.title_case && (f.title_context || !f.ends_sentence) {
        return false; // “Minority Rule and Its Discontents,” “Wings 2025.”
    }
    if f.title_context && !f.ends_sentence {
        return false; // The book, “Gates, Not Walls: A Trade Minister’s Education,” is out.
    }
    if f.person_governs && may_be_governed(f) {
        return true;
    }
    if f.words >= 4 {
        // A title-cased phrase with no speech verb anywhere is a name of something.
        return !f.title_case || f.cue_in_sentence;
    }
    // One to three words: only a complete little utterance counts ("No comment."), or one that
    // ends a sentence with a speech verb ("said the plan was “dead on arrival.”").
    f.ends_sentence && (f.sentence_start || f.cue_in_sentence && !f.title_case)
}

/// Whether a span could be a short partial quotation that a person's verb makes a quotation:
/// two or three words, not a title, a name part or a term after a title word. One word is a
/// term (`the “synergies”`) whoever utters it.
pub fn may_be_governed(f: &Facts) -> bool {
    (2..=3).contains(&f.words) && !f.title_case && !f.inside_name && !f.title_context
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotation_or_not() {
        let base = Facts::default();
        // (name, facts, expected)
        let cases: &[(&str, Facts, bool)] = &[
            ("long partial quote", Facts { words: 6, ..base }, true),
            (
                "short with direct cue",
                Facts { words: 1, ends_with_punct: true, direct_cue: true, ..base },
                true,
            ),
            ("short scare quote (negative)", Facts { words: 1, ..base }, false),
            (
                "short term in a said sentence (negative)",
                Facts { words: 2, cue_in_sentence: true, ..base },
                false,
            ),
            (
                "short utterance ending a said sentence",
                Facts {
                    words: 3,
                    ends_with_punct: true,
                    ends_sentence: true,
                    cue_in_sentence: true,
                    ..base
                },
                true,
            ),
            (
                "short phrase with a comma in a said sentence (negative)",
                Facts { words: 3, ends_with_punct: true, cue_in_sentence: true, ..base },
                false,
            ),
            (
                "short sentence of its own",
                Facts {
                    words: 2,
                    ends_with_punct: true,
                    ends_sentence: true,
                    sentence_start: true,
                    ..base
                },
                true,
            ),
            ("whole paragraph", Facts { words: 2, whole_paragraph: true, ..base }, true),
            (
                "show after a preposition, even with a cue (negative)",
                Facts { words: 2, title_case: true, direct_cue: true, media_title: true, ..base },
                false,
            ),
            (
                "short phrase a person's verb governs",
                Facts { words: 2, person_governs: true, ..base },
                true,
            ),
            (
                "one word a person's verb governs (negative)",
                Facts { words: 1, person_governs: true, ..base },
                false,
            ),
            (
                "title-cased phrase a person's verb governs (negative)",
                Facts { words: 3, title_case: true, person_governs: true, ..base },
                false,
            ),
            (
                "term after a title word a person's verb governs (negative)",
                Facts { words: 2, title_context: true, person_governs: true, ..base },
                false,
            ),
            (
                "nickname (negative)",
                Facts { words: 2, direct_cue: true, inside_name: true, ..base },
                false,
            ),
            (
                "book title (negative)",
                Facts { words: 5, title_case: true, title_context: true, ..base },
                false,
            ),
            (
                "title case without cue (negative)",
                Facts { words: 4, title_case: true, ..base },
                false,
            ),
            (
                "title case sentence with cue",
                Facts {
                    words: 4,
                    title_case: true,
                    ends_with_punct: true,
                    ends_sentence: true,
                    cue_in_sentence: true,
                    ..base
                },
                true,
            ),
            (
                "title case with a comma and a cue (negative)",
                Facts {
                    words: 4,
                    title_case: true,
                    ends_with_punct: true,
                    cue_in_sentence: true,
                    ..base
                },
                false,
            ),
            (
                "title word then a comma-ended span (negative)",
                Facts { words: 5, title_context: true, ends_with_punct: true, ..base },
                false,
            ),
            (
                "title word then a whole sentence",
                Facts {
                    words: 5,
                    title_context: true,
                    ends_with_punct: true,
                    ends_sentence: true,
                    ..base
                },
                true,
            ),
        ];
        for (name, f, want) in cases {
            assert_eq!(is_quotation(f), *want, "case {name}");
        }
    }
}
