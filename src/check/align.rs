//! Word-level alignment of a claim against one quotation: the cheapest way to turn a stretch of
//! the quotation into the claim, word by word, and what each step was.
//!
//! The claim is aligned whole and the quotation only from where the claim starts to where it
//! ends (a *fitting* alignment: dynamic programming over claim × quotation words, free to start
//! and end anywhere in the quotation), so a claim that is part of a longer quotation aligns
//! with that part. Scores: the same word +8, a misspelling of it +6, another word in its place
//! -7, a word the claim adds or drops -4. Matches earn, so that a claim dropping a clause in
//! the middle aligns its words after the clause too (five words matched and three dropped beat
//! three matched and two added), in step with the similarity `check` reports (twice the
//! matched words over all words; a replaced word weighs about as much as one added and one
//! dropped, a little less so that a changed word shows as one).
//! The claim's ellipses drop any number of quotation words for nothing, and its bracketed words
//! stand in for or add to the quotation's for nothing: the check shows them but does not count
//! them as changes.
//!
//! Why not a diff crate (`similar`): a diff is global (both texts whole), with one notion of
//! equal. A check needs the claim whole but any stretch of the quotation, misspellings as near
//! matches, free gaps at the claim's ellipses, and the cost of every prefix and suffix of the
//! claim (`profile`) to find claims stitched from two quotations; that is this one table.
//! Pure: no index, no text, only word numbers and a callback for possible misspellings;
//! `check` turns steps into verdicts and diffs.

/// One step of an alignment: claim word `i` and/or quotation word `j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Same(usize, usize),
    /// A misspelling of the quotation's word.
    Near(usize, usize),
    /// The claim has another word where the quotation has `j`.
    Replace(usize, usize),
    /// A claim word the quotation does not have.
    Insert(usize),
    /// A quotation word the claim drops.
    Delete(usize),
    /// A quotation word dropped where the claim has an ellipsis.
    Elided(usize),
    /// A bracketed claim word, standing in for quotation word `j` or added.
    Editorial(usize, Option<usize>),
}

/// An alignment: its steps in order, and the stretch `[start, end)` of the quotation they
/// cover (words before and after it are not part of the claim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub steps: Vec<Step>,
    pub start: usize,
    pub end: usize,
    /// Total score (see the module's scores).
    pub score: i32,
}

/// What is aligned: claim and quotation as word numbers (the same word, the same number).
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub claim: &'a [u32],
    /// Per claim word: in square brackets.
    pub editorial: &'a [bool],
    /// `gaps[i]`: an ellipsis before claim word `i` (one more than the claim's words).
    pub gaps: &'a [bool],
    pub quote: &'a [u32],
    /// Per quotation word: whether it may be a misspelling of some claim word. Only for these
    /// is `near` asked, so that nearly every cell is one comparison of numbers.
    pub maybe_near: &'a [bool],
}

const SAME: i32 = 8;
const NEAR: i32 = 6;
const REPLACE: i32 = -7;
const GAP: i32 = -4;

const DIAGONAL: u8 = 0;
const UP: u8 = 1;
const LEFT: u8 = 2;

/// The working memory of alignments, reused from one to the next so that a check allocates it
/// once.
#[derive(Default)]
pub struct Aligner {
    dirs: Vec<u8>,
    prev: Vec<i32>,
    cur: Vec<i32>,
}

impl Aligner {
    /// Aligns the claim with the quotation of `pair`; `near(i, j)` says whether claim word `i`
    /// is a misspelling of quotation word `j` (asked only where `maybe_near[j]`). Work and
    /// memory: `(claim + 1) × (quotation + 1)` cells.
    pub fn align(&mut self, pair: &Pair, near: &dyn Fn(usize, usize) -> bool) -> Alignment {
        let (n, m) = (pair.claim.len(), pair.quote.len());
        let w = m + 1;
        self.dirs.clear();
        self.dirs.resize((n + 1) * w, LEFT);
        self.fill_rows(pair, near, true, &mut |_| {});
        // The best end; on a tie the earliest, so that words the alignment did not need are
        // left after it rather than dropped inside it.
        let (mut j, score) = self
            .prev
            .iter()
            .enumerate()
            .min_by_key(|&(j, s)| (std::cmp::Reverse(*s), j))
            .map(|(j, s)| (j, *s))
            .unwrap();
        let end = j;
        let mut i = n;
        let mut steps = Vec::with_capacity(n + m);
        while i > 0 {
            match self.dirs[i * w + j] {
                DIAGONAL => {
                    let (a, b) = (i - 1, j - 1);
                    steps.push(if pair.editorial[a] {
                        Step::Editorial(a, Some(b))
                    } else if pair.claim[a] == pair.quote[b] {
                        Step::Same(a, b)
                    } else if pair.maybe_near[b] && near(a, b) {
                        Step::Near(a, b)
                    } else {
                        Step::Replace(a, b)
                    });
                    i -= 1;
                    j -= 1;
                }
                UP => {
                    let a = i - 1;
                    steps.push(if pair.editorial[a] {
                        Step::Editorial(a, None)
                    } else {
                        Step::Insert(a)
                    });
                    i -= 1;
                }
                _ => {
                    steps.push(if pair.gaps[i] {
                        Step::Elided(j - 1)
                    } else {
                        Step::Delete(j - 1)
                    });
                    j -= 1;
                }
            }
        }
        steps.reverse();
        Alignment { steps, start: j, end, score }
    }

    /// The score of the best alignment of every prefix of the claim: `scores[k]` for its first
    /// `k` words, each starting and ending anywhere in the quotation. (Run on both reversed, it
    /// gives the score of every suffix.)
    pub fn profile(&mut self, pair: &Pair, near: &dyn Fn(usize, usize) -> bool) -> Vec<i32> {
        let mut scores = Vec::with_capacity(pair.claim.len() + 1);
        scores.push(0);
        self.fill_rows(pair, near, false, &mut |row| {
            scores.push(row.iter().copied().max().unwrap_or(0))
        });
        scores
    }

    /// The table row by row (only two rows of scores are kept); `each_row` sees every row after
    /// the first. With `trace`, each cell's best move is kept for the traceback.
    fn fill_rows(
        &mut self,
        pair: &Pair,
        near: &dyn Fn(usize, usize) -> bool,
        trace: bool,
        each_row: &mut dyn FnMut(&[i32]),
    ) {
        let (quote, maybe) = (pair.quote, pair.maybe_near);
        let w = quote.len() + 1;
        self.prev.clear();
        // Free start: the claim may begin at any word of the quotation.
        self.prev.resize(w, 0);
        self.cur.clear();
        self.cur.resize(w, 0);
        for (i, &word) in pair.claim.iter().enumerate() {
            let editorial = pair.editorial[i];
            let add = if editorial { 0 } else { GAP };
            // Dropping quotation words after claim word i: free where an ellipsis follows it.
            let drop = if pair.gaps[i + 1] { 0 } else { GAP };
            self.cur[0] = self.prev[0] + add;
            if trace {
                self.dirs[(i + 1) * w] = UP;
            }
            for j in 1..w {
                let swap = if editorial {
                    0
                } else if word == quote[j - 1] {
                    SAME
                } else if maybe[j - 1] && near(i, j - 1) {
                    NEAR
                } else {
                    REPLACE
                };
                let diagonal = self.prev[j - 1] + swap;
                let up = self.prev[j] + add;
                let left = self.cur[j - 1] + drop;
                // On a tie, drop the quotation word: traced back from the end, that matches
                // repeated words at their first occurrence and leaves the dropped ones after.
                let (best, dir) = if left >= diagonal && left >= up {
                    (left, LEFT)
                } else if diagonal >= up {
                    (diagonal, DIAGONAL)
                } else {
                    (up, UP)
                };
                self.cur[j] = best;
                if trace {
                    self.dirs[(i + 1) * w + j] = dir;
                }
            }
            std::mem::swap(&mut self.prev, &mut self.cur);
            each_row(&self.prev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Aligns two texts of space-separated words: `[w]` is an editorial claim word, `|` an
    /// ellipsis, and quotation words ending in `~` are misspellings of the same word without it.
    fn run(claim: &str, quote: &str) -> (String, usize, usize, i32) {
        let mut words: Vec<(String, bool)> = Vec::new();
        let mut gaps = vec![false];
        for t in claim.split_whitespace() {
            if t == "|" {
                *gaps.last_mut().unwrap() = true;
            } else if let Some(w) = t.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                words.push((w.to_string(), true));
                gaps.push(false);
            } else {
                words.push((t.to_string(), false));
                gaps.push(false);
            }
        }
        let quote: Vec<&str> = quote.split_whitespace().collect();
        let mut numbers: Vec<String> = Vec::new();
        let mut number = |w: &str| -> u32 {
            let pos = numbers.iter().position(|n| n == w);
            pos.unwrap_or_else(|| {
                numbers.push(w.to_string());
                numbers.len() - 1
            }) as u32
        };
        let claim_ids: Vec<u32> = words.iter().map(|w| number(&w.0)).collect();
        let quote_ids: Vec<u32> = quote.iter().map(|w| number(w)).collect();
        let editorial: Vec<bool> = words.iter().map(|w| w.1).collect();
        let maybe: Vec<bool> = quote.iter().map(|w| w.ends_with('~')).collect();
        let near = |i: usize, j: usize| quote[j].strip_suffix('~') == Some(words[i].0.as_str());
        let pair = Pair {
            claim: &claim_ids,
            editorial: &editorial,
            gaps: &gaps,
            quote: &quote_ids,
            maybe_near: &maybe,
        };
        let a = Aligner::default().align(&pair, &near);
        let shown: Vec<String> = a
            .steps
            .iter()
            .map(|s| match *s {
                Step::Same(i, _) => words[i].0.clone(),
                Step::Near(i, j) => format!("{}~{}", quote[j], words[i].0),
                Step::Replace(i, j) => format!("{}>{}", quote[j], words[i].0),
                Step::Insert(i) => format!("+{}", words[i].0),
                Step::Delete(j) => format!("-{}", quote[j]),
                Step::Elided(j) => format!("…{}", quote[j]),
                Step::Editorial(i, Some(j)) => format!("{}>[{}]", quote[j], words[i].0),
                Step::Editorial(i, None) => format!("+[{}]", words[i].0),
            })
            .collect();
        (shown.join(" "), a.start, a.end, a.score)
    }

    #[test]
    fn alignments() {
        // (name, claim, quotation, steps, start, end, score)
        let cases: &[(&str, &str, &str, &str, usize, usize, i32)] = &[
            ("same words", "we will build it", "we will build it", "we will build it", 0, 4, 32),
            (
                "one word replaced",
                "we will fix it",
                "we will build it",
                "we will build>fix it",
                0,
                4,
                17,
            ),
            (
                "a word added",
                "we will soon build it",
                "we will build it",
                "we will +soon build it",
                0,
                4,
                28,
            ),
            (
                "a clause dropped",
                "we build it before winter",
                "we build it whatever it costs before winter",
                "we build it -whatever -it -costs before winter",
                0,
                8,
                28,
            ),
            (
                "a long stretch is not dropped for one word (negative)",
                "we build it now",
                "we build it and then after many long months and years now",
                "we build it +now",
                0,
                3,
                20,
            ),
            (
                "part of a longer quotation",
                "build the bridge",
                "we will build the bridge this year",
                "build the bridge",
                2,
                5,
                24,
            ),
            (
                "an ellipsis stands for the dropped clause",
                "we build it | before winter",
                "we build it whatever it costs before winter",
                "we build it …whatever …it …costs before winter",
                0,
                8,
                40,
            ),
            (
                "a misspelling",
                "we will biuld it",
                "we will biuld~ it",
                "we will biuld~~biuld it",
                0,
                4,
                30,
            ),
            (
                "an editorial word stands in",
                "[okafor] will resign",
                "she will resign",
                "she>[okafor] will resign",
                0,
                3,
                16,
            ),
            (
                "editorial words added",
                "the [coastal] bridge",
                "the bridge",
                "the +[coastal] bridge",
                0,
                2,
                16,
            ),
            ("nothing in common (negative)", "alpha beta", "gamma delta", "+alpha +beta", 0, 0, -8),
            ("empty quotation", "alpha", "", "+alpha", 0, 0, -4),
        ];
        for (name, claim, quote, steps, start, end, score) in cases {
            let got = run(claim, quote);
            assert_eq!(got, (steps.to_string(), *start, *end, *score), "case {name}");
        }
    }

    #[test]
    fn prefix_scores() {
        // The first half of the claim is in the quotation, the second is not: prefixes earn a
        // match each up to the split, then lose a word each.
        let claim = [1, 2, 3, 4, 5]; // the harbour stays open forever
        let quote = [9, 1, 2, 3]; // yes the harbour stays
        let (editorial, gaps, maybe) = ([false; 5], [false; 6], [false; 4]);
        let pair = Pair {
            claim: &claim,
            editorial: &editorial,
            gaps: &gaps,
            quote: &quote,
            maybe_near: &maybe,
        };
        let scores = Aligner::default().profile(&pair, &|_, _| false);
        assert_eq!(scores, vec![0, 8, 16, 24, 20, 16]);
        // Negative: nothing matches, every prefix loses a word per word.
        let other = [6, 7, 8, 9];
        let pair = Pair { quote: &other, ..pair };
        let scores = Aligner::default().profile(&pair, &|_, _| false);
        assert_eq!(scores, vec![0, -4, -8, -12, -16, -20]);
    }

    #[test]
    fn misspellings_are_asked_only_where_flagged() {
        // The same two words; flagged, a misspelling; not flagged (negative), another word.
        let (claim, quote) = ([1, 2], [1, 3]);
        let (editorial, gaps) = ([false; 2], [false; 3]);
        let flagged = [false, true];
        let pair = Pair {
            claim: &claim,
            editorial: &editorial,
            gaps: &gaps,
            quote: &quote,
            maybe_near: &flagged,
        };
        let a = Aligner::default().align(&pair, &|_, _| true);
        assert_eq!(a.steps, [Step::Same(0, 0), Step::Near(1, 1)]);
        let unflagged = [false, false];
        let a = Aligner::default().align(&Pair { maybe_near: &unflagged, ..pair }, &|_, _| true);
        // Another word: cheaper to add the claim's and leave the quotation's after the end.
        assert_eq!(
            (a.steps.as_slice(), a.end),
            ([Step::Same(0, 0), Step::Insert(1)].as_slice(), 1)
        );
    }
}
