//! Scoring extraction against a gold file: precision, recall and F1 of quotations, exact-text
//! agreement, attribution accuracy and end-to-end scores (`quoth eval`).
//!
//! Pure functions over gold lines and extracted quotes; `main` reads the files and prints the
//! [`Report`]. A predicted quotation matches a gold one in the same file when their normalised
//! texts have word-overlap F1 of at least 0.5, one-to-one, best overlap first.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::quote::{self, Quote};

/// One line of a gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldLine {
    pub file: String,
    pub quote: String,
    #[serde(default)]
    pub speaker: Option<String>,
    /// A quoted span that must NOT be returned.
    #[serde(default)]
    pub negative: bool,
    /// The annotation names no resolvable speaker: counted for extraction only.
    #[serde(default)]
    pub speaker_unresolved: bool,
}

/// Reads a JSON Lines gold file; a bad line is an error naming `file:line`.
pub fn read_gold(path: &Path) -> Result<Vec<GoldLine>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read gold file {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: invalid gold line", path.display(), i + 1))
        })
        .collect()
}

/// Extracts quotations from every article under `dir` and scores them against the gold file,
/// counting only quotations (gold and predicted) of at least `min_words` words.
pub fn evaluate(gold_path: &Path, dir: &Path, min_words: usize) -> Result<Report> {
    let mut gold = read_gold(gold_path)?;
    gold.retain(|g| words(&g.quote).len() >= min_words);
    let read = crate::article::ReadOptions::default();
    let (files, _) = crate::article::files_under(dir, &read)?;
    if files.is_empty() {
        anyhow::bail!("no articles (.txt) under {}", dir.display());
    }
    let mut predictions = Vec::new();
    let mut paragraphs = HashMap::new();
    for (path, rel) in &files {
        let a = crate::article::read_article(path)
            .with_context(|| format!("cannot evaluate {}", path.display()))?;
        predictions.extend(
            quote::extract(&a)
                .into_iter()
                .filter(|q| words(&q.text).len() >= min_words)
                .map(|q| Prediction { file: rel.clone(), quote: q }),
        );
        paragraphs.insert(rel.clone(), a.paragraphs);
    }
    let paragraph_of = |file: &str, quote: &str| {
        let head: String = quote.chars().take(40).collect();
        paragraphs.get(file)?.iter().position(|p| p.contains(head.trim())).map(|i| i + 1)
    };
    Ok(score(&gold, &predictions, files.len(), &paragraph_of))
}

/// A predicted quotation with the file (relative name) it came from.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub file: String,
    pub quote: Quote,
}

/// Precision, recall and F1 with their counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_positives: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Prf {
    fn new(tp: usize, predicted: usize, gold: usize) -> Prf {
        let precision = if predicted == 0 { 1.0 } else { tp as f64 / predicted as f64 };
        let recall = if gold == 0 { 1.0 } else { tp as f64 / gold as f64 };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf { precision, recall, f1, true_positives: tp, predicted, gold }
    }
}

/// One problem found, for `--verbose`.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub kind: &'static str,
    pub file: String,
    /// 1-based paragraph number where known.
    pub paragraph: Option<usize>,
    pub quote: String,
    pub expected: Option<String>,
    pub got: Option<String>,
}

/// The scores of one evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub files: usize,
    pub extraction: Prf,
    pub exact: Prf,
    /// Correct speakers among matched quotations whose gold speaker is known.
    pub attribution_accuracy: f64,
    pub attribution_correct: usize,
    pub attribution_total: usize,
    pub end_to_end: Prf,
    /// Gold negatives (scare quotes, titles…) that were returned as quotations.
    pub negatives_returned: usize,
    pub negatives: usize,
    pub problems: Vec<Problem>,
}

/// Lower-cases, folds curly and straight marks and white space, strips surrounding punctuation.
pub fn normalise(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '«' | '»' => '"',
            '‘' | '’' | '‚' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    words.join(" ").trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

fn words(s: &str) -> Vec<String> {
    normalise(s)
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Word-overlap F1 of two texts (bag of words).
pub fn overlap_f1(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in &wa {
        *counts.entry(w).or_default() += 1;
    }
    let mut common = 0;
    for w in &wb {
        if let Some(n) = counts.get_mut(w.as_str()) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    if common == 0 {
        return 0.0;
    }
    let p = common as f64 / wb.len() as f64;
    let r = common as f64 / wa.len() as f64;
    2.0 * p * r / (p + r)
}

/// Whether two speaker names denote the same person: one's words (titles dropped) are a subset
/// of the other's, case-insensitively.
pub fn same_speaker(a: &str, b: &str) -> bool {
    let (wa, wb) = (quote::name_words(a), quote::name_words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    wa.iter().all(|w| wb.contains(w)) || wb.iter().all(|w| wa.contains(w))
}

/// A file's gold quotations, gold negatives and predictions.
type FileLines<'a> = (Vec<&'a GoldLine>, Vec<&'a GoldLine>, Vec<&'a Prediction>);

/// Scores `predictions` against `gold`. `paragraph_of` finds the paragraph of a gold quote in
/// its article, for the problem list.
pub fn score(
    gold: &[GoldLine],
    predictions: &[Prediction],
    files: usize,
    paragraph_of: &dyn Fn(&str, &str) -> Option<usize>,
) -> Report {
    let mut by_file: BTreeMap<&str, FileLines> = BTreeMap::new();
    for g in gold {
        let e = by_file.entry(&g.file).or_default();
        if g.negative {
            e.1.push(g)
        } else {
            e.0.push(g)
        }
    }
    for p in predictions {
        by_file.entry(&p.file).or_default().2.push(p);
    }
    let (mut matched, mut exact, mut e2e_tp) = (0, 0, 0);
    let (mut attr_ok, mut attr_total, mut unresolved_matched, mut unresolved) = (0, 0, 0, 0);
    let (mut neg_hits, mut neg_total) = (0, 0);
    let mut problems = Vec::new();
    for (file, (golds, negs, preds)) in &by_file {
        neg_total += negs.len();
        unresolved += golds.iter().filter(|g| g.speaker_unresolved).count();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (gi, g) in golds.iter().enumerate() {
            for (pi, p) in preds.iter().enumerate() {
                let f = overlap_f1(&g.quote, &p.quote.text);
                if f >= 0.5 {
                    pairs.push((f, gi, pi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut g_used = vec![false; golds.len()];
        let mut p_used = vec![false; preds.len()];
        for (_, gi, pi) in pairs {
            if g_used[gi] || p_used[pi] {
                continue;
            }
            g_used[gi] = true;
            p_used[pi] = true;
            matched += 1;
            let (g, p) = (golds[gi], preds[pi]);
            if normalise(&g.quote) == normalise(&p.quote.text) {
                exact += 1;
            }
            if g.speaker_unresolved {
                unresolved_matched += 1;
                continue;
            }
            let ok = match (&g.speaker, &p.quote.speaker) {
                (Some(a), Some(b)) => same_speaker(a, b),
                (None, None) => true,
                _ => false,
            };
            if g.speaker.is_some() {
                attr_total += 1;
                attr_ok += ok as usize;
            }
            if ok {
                e2e_tp += 1;
            } else {
                problems.push(Problem {
                    kind: "wrong speaker",
                    file: file.to_string(),
                    paragraph: Some(p.quote.paragraph + 1),
                    quote: g.quote.clone(),
                    expected: g.speaker.clone(),
                    got: p.quote.speaker.clone(),
                });
            }
        }
        for (gi, g) in golds.iter().enumerate() {
            if !g_used[gi] {
                problems.push(Problem {
                    kind: "missed",
                    file: file.to_string(),
                    paragraph: paragraph_of(file, &g.quote),
                    quote: g.quote.clone(),
                    expected: g.speaker.clone(),
                    got: None,
                });
            }
        }
        for (pi, p) in preds.iter().enumerate() {
            if p_used[pi] {
                continue;
            }
            let negative = negs.iter().any(|n| overlap_f1(&n.quote, &p.quote.text) >= 0.5);
            neg_hits += negative as usize;
            problems.push(Problem {
                kind: if negative { "negative returned" } else { "false positive" },
                file: file.to_string(),
                paragraph: Some(p.quote.paragraph + 1),
                quote: p.quote.text.clone(),
                expected: None,
                got: p.quote.speaker.clone(),
            });
        }
    }
    let n_gold = gold.iter().filter(|g| !g.negative).count();
    let n_pred = predictions.len();
    Report {
        files,
        extraction: Prf::new(matched, n_pred, n_gold),
        exact: Prf::new(exact, n_pred, n_gold),
        attribution_accuracy: if attr_total == 0 {
            1.0
        } else {
            attr_ok as f64 / attr_total as f64
        },
        attribution_correct: attr_ok,
        attribution_total: attr_total,
        end_to_end: Prf::new(e2e_tp, n_pred - unresolved_matched, n_gold - unresolved),
        negatives_returned: neg_hits,
        negatives: neg_total,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_matching() {
        // (name, a, b, expected overlap at least 0.5)
        let cases: &[(&str, &str, &str, bool)] = &[
            ("identical", "We will win,", "We will win,", true),
            ("marks and case folded", "“We’ll WIN,”", "\"we'll win\"", true),
            ("partial overlap", "We will win the vote tomorrow", "We will win", true),
            ("different (negative)", "We will win", "They lost badly today", false),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(overlap_f1(a, b) >= 0.5, *want, "case {name}");
        }
    }

    #[test]
    fn speakers() {
        let cases: &[(&str, &str, &str, bool)] = &[
            ("surname vs full", "Okafor", "Adaeze Okafor", true),
            ("title dropped", "Sen. Adaeze Okafor", "adaeze okafor", true),
            ("different people (negative)", "Adaeze Okafor", "Tobi Okafor", false),
            ("a surname that is a title word", "King", "Rep. Tobi King", true),
            ("a title-word surname alone", "Dean", "Mara Dean", true),
            ("a title before another name (negative)", "King", "Rep. Tobi Okafor", false),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(same_speaker(a, b), *want, "case {name}");
        }
    }

    fn gold(file: &str, quote: &str, speaker: Option<&str>, negative: bool) -> GoldLine {
        GoldLine {
            file: file.into(),
            quote: quote.into(),
            speaker: speaker.map(Into::into),
            negative,
            speaker_unresolved: false,
        }
    }

    fn pred(file: &str, text: &str, speaker: Option<&str>) -> Prediction {
        Prediction {
            file: file.into(),
            quote: Quote {
                text: text.into(),
                speaker: speaker.map(Into::into),
                role: None,
                paragraph: 0,
                end_paragraph: 0,
                start: 0,
                end: 0,
                rule: quote::Rule::None,
            },
        }
    }

    #[test]
    fn scores() {
        let gold = vec![
            gold("a", "We will win the vote,", Some("Adaeze Okafor"), false),
            gold("a", "Nobody can stop us now.", Some("Adaeze Okafor"), false),
            gold("a", "synergies", None, true),
            gold("b", "The sign said nothing at all.", None, false),
        ];
        let preds = vec![
            pred("a", "We will win the vote,", Some("Okafor")),
            pred("a", "Nobody can stop us", Some("Tobi Lindqvist")),
            pred("a", "synergies", None),
            pred("b", "The sign said nothing at all.", None),
        ];
        let r = score(&gold, &preds, 2, &|_, _| None);
        assert_eq!(r.extraction.true_positives, 3);
        assert_eq!((r.extraction.predicted, r.extraction.gold), (4, 3));
        assert_eq!(r.exact.true_positives, 2);
        assert_eq!((r.attribution_correct, r.attribution_total), (1, 2));
        assert_eq!(r.end_to_end.true_positives, 2);
        assert_eq!(r.negatives_returned, 1);
        let kinds: Vec<&str> = r.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, vec!["wrong speaker", "negative returned"]);
    }
}
