//! A check's verdicts in words: the one line `quoth check` prints first ("close: 2 words
//! changed, said by Adaeze Okafor, first reported 2023-06-02 (3 articles)"), one per match, and
//! what changed and what was let pass. Plain text from plain data, for `check` (the parent),
//! which keeps the lines in its answer for the terminal, the API and the page alike.

use super::{Changes, Checked, Coverage, Match, Source, Verdict};

/// "N words" / "1 word".
fn words(n: usize) -> String {
    format!("{n} word{}", if n == 1 { "" } else { "s" })
}

/// What changed, in words: `2 words changed, 1 added, 3 missing`.
pub fn describe_changes(c: &Changes) -> String {
    let mut parts = Vec::new();
    if c.replaced > 0 {
        parts.push(format!("{} changed", words(c.replaced)));
    }
    for (n, what) in [(c.inserted, "added"), (c.deleted, "missing")] {
        if n > 0 {
            parts.push(if parts.is_empty() {
                format!("{} {what}", words(n))
            } else {
                format!("{n} {what}")
            });
        }
    }
    parts.join(", ")
}

/// What the check let pass, in words: `1 misspelt word, 3 words at an ellipsis`.
pub fn describe_allowances(c: &Changes) -> String {
    let mut parts = Vec::new();
    if c.misspelt > 0 {
        parts.push(format!("{} misspelt", words(c.misspelt)));
    }
    if c.elided > 0 {
        parts.push(format!("{} left out at an ellipsis", words(c.elided)));
    }
    if c.editorial > 0 {
        parts.push(format!("{} in brackets", words(c.editorial)));
    }
    parts.join(", ")
}

/// The verdict in one line: `close: 2 words changed, said by Adaeze Okafor, first reported
/// 2023-06-02 (3 articles)`.
pub fn summary(c: &Checked) -> String {
    let Some(m) = c.matches.first() else {
        return "not-found: no quotation in the index shares enough words with the claim".into();
    };
    if m.verdict == Verdict::NotFound {
        return format!(
            "not-found: no quotation reaches similarity {:.2}; the nearest ({:.2}) is {}",
            c.threshold,
            m.similarity,
            by(&m.quotations[0])
        );
    }
    headline(m, c.speaker.as_deref())
}

/// One match's verdict in one line (the first is the claim's [`summary`]).
pub fn headline(m: &Match, claimed: Option<&str>) -> String {
    let first = &m.quotations[0];
    if m.verdict == Verdict::NotFound {
        let date = first.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        return format!("not-found: similarity {:.2}, {}, {date}", m.similarity, said_by(first));
    }
    let reported = |s: &Source| {
        let date = s.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        let n = s.occurrences;
        format!("first reported {date} ({n} article{})", if n == 1 { "" } else { "s" })
    };
    let changes = describe_changes(&m.changes);
    let allowances = describe_allowances(&m.changes);
    let what = match (m.wording, m.coverage) {
        (_, Coverage::Stitched) => "stitched from two quotations".to_string(),
        (_, Coverage::Excerpt) => {
            let mut s = format!(
                "part of a longer quotation ({} of it left out)",
                words(m.changes.left_out)
            );
            if !changes.is_empty() {
                s.push_str(&format!(", {changes}"));
            }
            s
        }
        (Verdict::Close, _) => changes,
        _ => String::new(),
    };
    let mut line = match m.verdict {
        Verdict::DifferentSpeaker => {
            let claimed = claimed.unwrap_or("the claimed speaker");
            format!("different-speaker: {}, not {claimed}", said_by(first))
        }
        v => {
            if what.is_empty() {
                format!("{}: {}", v.name(), said_by(first))
            } else {
                format!("{}: {what}, {}", v.name(), said_by(first))
            }
        }
    };
    if m.coverage == Coverage::Stitched && m.quotations.len() == 2 {
        let date =
            |s: &Source| s.first_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        line.push_str(&format!(
            ", first reported {} and {}",
            date(&m.quotations[0]),
            date(&m.quotations[1])
        ));
    } else {
        line.push_str(&format!(", {}", reported(first)));
    }
    if m.verdict == Verdict::DifferentSpeaker {
        line.push_str(&format!("; the words: {}", m.wording.name()));
        if !what.is_empty() {
            line.push_str(&format!(", {what}"));
        }
    }
    if m.split_by_attribution {
        line.push_str("; one sentence split by its attribution");
    }
    if !allowances.is_empty() {
        line.push_str(&format!("; {allowances}"));
    }
    line
}

fn said_by(s: &Source) -> String {
    match &s.speaker {
        Some(name) => format!("said by {name}"),
        None => "said by an unknown speaker".to_string(),
    }
}

fn by(s: &Source) -> String {
    match &s.speaker {
        Some(name) => format!("by {name}"),
        None => "by an unknown speaker".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(matched: usize, replaced: usize, inserted: usize, deleted: usize) -> Changes {
        Changes { matched, replaced, inserted, deleted, ..Changes::default() }
    }

    #[test]
    fn similarity_and_descriptions() {
        // (name, changes, similarity, described)
        let cases: &[(&str, Changes, f64, &str)] = &[
            ("all matched", changes(10, 0, 0, 0), 1.0, ""),
            ("one replaced in ten", changes(9, 1, 0, 0), 0.9, "1 word changed"),
            ("two added", changes(10, 0, 2, 0), 20.0 / 22.0, "2 words added"),
            ("a clause missing", changes(17, 0, 0, 6), 34.0 / 40.0, "6 words missing"),
            ("mixed", changes(8, 2, 1, 3), 16.0 / 24.0, "2 words changed, 1 added, 3 missing"),
            (
                "allowances do not count",
                Changes {
                    misspelt: 2,
                    elided: 4,
                    editorial: 1,
                    left_out: 9,
                    ..changes(6, 0, 0, 0)
                },
                1.0,
                "",
            ),
            ("nothing (negative)", changes(0, 0, 0, 0), 0.0, ""),
        ];
        for (name, c, sim, described) in cases {
            assert!((c.similarity() - sim).abs() < 1e-9, "case {name}: {}", c.similarity());
            assert_eq!(describe_changes(c), *described, "case {name}");
        }
        let c = Changes { misspelt: 1, elided: 3, editorial: 2, ..Changes::default() };
        assert_eq!(
            describe_allowances(&c),
            "1 word misspelt, 3 words left out at an ellipsis, 2 words in brackets"
        );
    }
}
