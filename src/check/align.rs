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
//! Pure: no index, no text, only word comparisons through a callback; `check` turns steps
//! into verdicts and diffs.

/// How a claim word compares with a quotation word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    Same,
    /// A misspelling of the same word.
    Near,
    Different,
}

/// One step of an alignment: claim word `i` and/or quotation word `j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Same(usize, usize),
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

/// A claim word for the aligner: only whether it is the editor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimWord {
    pub editorial: bool,
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
    /// Aligns `claim` (with `gaps[i]`: an ellipsis before claim word `i`, `gaps.len()` one more
    /// than the words) against `m` quotation words, comparing claim word `i` with quotation
    /// word `j` through `like(i, j)`. Work and memory: `(claim + 1) × (m + 1)` cells.
    pub fn align(
        &mut self,
        claim: &[ClaimWord],
        gaps: &[bool],
        m: usize,
        like: &mut dyn FnMut(usize, usize) -> Likeness,
    ) -> Alignment {
        let n = claim.len();
        let w = m + 1;
        self.dirs.clear();
        self.dirs.resize((n + 1) * w, LEFT);
        self.fill(claim, gaps, m, like, true);
        // The best end; on a tie the earliest, so that words the alignment did not need are
        // left after it rather than dropped inside it.
        let row = &self.prev;
        let (mut j, score) = row
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
                    steps.push(if claim[a].editorial {
                        Step::Editorial(a, Some(b))
                    } else {
                        match like(a, b) {
                            Likeness::Same => Step::Same(a, b),
                            Likeness::Near => Step::Near(a, b),
                            Likeness::Different => Step::Replace(a, b),
                        }
                    });
                    i -= 1;
                    j -= 1;
                }
                UP => {
                    let a = i - 1;
                    steps.push(if claim[a].editorial {
                        Step::Editorial(a, None)
                    } else {
                        Step::Insert(a)
                    });
                    i -= 1;
                }
                _ => {
                    steps.push(if gaps[i] { Step::Elided(j - 1) } else { Step::Delete(j - 1) });
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
    pub fn profile(
        &mut self,
        claim: &[ClaimWord],
        gaps: &[bool],
        m: usize,
        like: &mut dyn FnMut(usize, usize) -> Likeness,
    ) -> Vec<i32> {
        let mut scores = Vec::with_capacity(claim.len() + 1);
        scores.push(0);
        self.fill_rows(claim, gaps, m, like, false, &mut |row| {
            scores.push(row.iter().copied().max().unwrap_or(0))
        });
        scores
    }

    fn fill(
        &mut self,
        claim: &[ClaimWord],
        gaps: &[bool],
        m: usize,
        like: &mut dyn FnMut(usize, usize) -> Likeness,
        trace: bool,
    ) {
        self.fill_rows(claim, gaps, m, like, trace, &mut |_| {});
    }

    /// The table row by row (only two rows of scores are kept); `each_row` sees every row after
    /// the first. With `trace`, each cell's best move is kept for the traceback.
    fn fill_rows(
        &mut self,
        claim: &[ClaimWord],
        gaps: &[bool],
        m: usize,
        like: &mut dyn FnMut(usize, usize) -> Likeness,
        trace: bool,
        each_row: &mut dyn FnMut(&[i32]),
    ) {
        let w = m + 1;
        self.prev.clear();
        // Free start: the claim may begin at any word of the quotation.
        self.prev.resize(w, 0);
        self.cur.clear();
        self.cur.resize(w, 0);
        for (i, word) in claim.iter().enumerate() {
            let add = if word.editorial { 0 } else { GAP };
            // Dropping quotation words after claim word i: free where an ellipsis follows it.
            let drop = if gaps[i + 1] { 0 } else { GAP };
            self.cur[0] = self.prev[0] + add;
            if trace {
                self.dirs[(i + 1) * w] = UP;
            }
            for j in 1..w {
                let swap = if word.editorial {
                    0
                } else {
                    match like(i, j - 1) {
                        Likeness::Same => SAME,
                        Likeness::Near => NEAR,
                        Likeness::Different => REPLACE,
                    }
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
        let claim: Vec<ClaimWord> = words.iter().map(|w| ClaimWord { editorial: w.1 }).collect();
        let mut like = |i: usize, j: usize| {
            let (c, q) = (&words[i].0, quote[j]);
            if c == q {
                Likeness::Same
            } else if q.strip_suffix('~') == Some(c) {
                Likeness::Near
            } else {
                Likeness::Different
            }
        };
        let a = Aligner::default().align(&claim, &gaps, quote.len(), &mut like);
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
        let claim = [ClaimWord { editorial: false }; 5];
        let gaps = [false; 6];
        let c = ["the", "harbour", "stays", "open", "forever"];
        let q = ["yes", "the", "harbour", "stays"];
        let mut like =
            |i: usize, j: usize| if c[i] == q[j] { Likeness::Same } else { Likeness::Different };
        let scores = Aligner::default().profile(&claim, &gaps, q.len(), &mut like);
        assert_eq!(scores, vec![0, 8, 16, 24, 20, 16]);
        // Negative: nothing matches, every prefix loses a word per word.
        let mut unlike = |_: usize, _: usize| Likeness::Different;
        let scores = Aligner::default().profile(&claim, &gaps, q.len(), &mut unlike);
        assert_eq!(scores, vec![0, -4, -8, -12, -16, -20]);
    }
}
