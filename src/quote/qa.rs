//! Question-and-answer interviews: paragraphs labelled `Q:` / `A:` or with the speaker's name
//! (`OKAFOR: …`). Answers are the interviewee's words even without quotation marks.
//!
//! Only the labels are read here; `extract` turns answers into quotations and resolves the
//! interviewee through `names`.

/// What a labelled paragraph is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Question,
    /// An answer; `label` is the speaker's name when the label is a name (`OKAFOR`).
    Answer {
        label: Option<String>,
        text_start: usize,
    },
}

/// Classifies each paragraph of an interview; all `None` unless the article has at least two
/// question labels (so one "Note: …" paragraph does not make an interview).
pub fn detect<S: AsRef<str>>(paragraphs: &[S]) -> Vec<Option<Line>> {
    let labels: Vec<Option<(String, usize)>> =
        paragraphs.iter().map(|p| label(p.as_ref())).collect();
    let is_q = |l: &str| matches!(l, "Q" | "Question");
    let questions = labels.iter().flatten().filter(|(l, _)| is_q(l)).count();
    // Name labels whose paragraphs all end in '?' are the interviewer's.
    let mut interviewer: Option<String> = None;
    if questions < 2 {
        let mut names: Vec<(&str, usize, usize)> = Vec::new();
        for (l, p) in labels.iter().zip(paragraphs) {
            if let Some((name, _)) = l {
                let q = p.as_ref().trim_end().ends_with('?') as usize;
                match names.iter_mut().find(|(n, _, _)| n == name) {
                    Some(e) => {
                        e.1 += 1;
                        e.2 += q
                    }
                    None => names.push((name, 1, q)),
                }
            }
        }
        let asks = names.iter().find(|(_, n, q)| *n >= 2 && q * 2 >= *n);
        let answers = names.iter().any(|(_, n, q)| *n >= 2 && q * 2 < *n);
        match asks {
            Some((name, _, _)) if answers => interviewer = Some(name.to_string()),
            _ => return vec![None; paragraphs.len()],
        }
    }
    labels
        .into_iter()
        .map(|l| {
            let (name, start) = l?;
            if is_q(&name) || interviewer.as_deref() == Some(name.as_str()) {
                Some(Line::Question)
            } else if matches!(name.as_str(), "A" | "Answer") {
                Some(Line::Answer { label: None, text_start: start })
            } else {
                Some(Line::Answer { label: Some(name), text_start: start })
            }
        })
        .collect()
}

/// A paragraph's label and where the text after it starts: `Q:`, `A.`, `OKAFOR:`,
/// `Adaeze Okafor:`. A label is at most three capitalised words followed by a colon.
fn label(p: &str) -> Option<(String, usize)> {
    // Every paragraph is asked, so the mark is looked for only where it can end a label: a
    // label has at most three words, and a mark past the first character of the fourth word
    // leaves four words before it. Bytes are enough to find an ASCII mark.
    let reach = (fourth_word_start(p) + 1).min(p.len());
    let colon = p.as_bytes()[..reach].iter().position(|&b| b == b':' || b == b'.')?;
    let head = &p[..colon];
    if p[..colon].is_empty() || p.as_bytes()[colon] == b'.' && !matches!(head, "Q" | "A") {
        return None;
    }
    // Checked before collecting: most paragraphs fail at their fourth word or sooner.
    let mut count = 0;
    for w in head.split_whitespace() {
        count += 1;
        if count > 3 || !w.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
    }
    if count == 0 {
        return None;
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    let rest = &p[colon + 1..];
    let text_start = colon + 1 + (rest.len() - rest.trim_start().len());
    if text_start >= p.len() || rest.trim_start().starts_with(['“', '"', '‘']) {
        return None; // "Okafor: “We will win”" is a headline, not an answer.
    }
    let name =
        if words.len() == 1 && words[0].chars().all(|c| !c.is_lowercase()) && words[0].len() > 1 {
            // OKAFOR -> Okafor
            let w = words[0];
            let mut cs = w.chars();
            let first = cs.next().unwrap();
            format!("{first}{}", cs.as_str().to_lowercase())
        } else {
            words.join(" ")
        };
    Some((name, text_start))
}

/// Byte offset where the fourth white-space separated word of `p` starts, or `p.len()`.
fn fourth_word_start(p: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in p.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words == 4 {
                return i;
            }
        }
    }
    p.len()
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn interviews() {
        // (name, paragraphs, expected lines)
        let q = Some(Line::Question);
        let a = |s: usize| Some(Line::Answer { label: None, text_start: s });
        let named = |n: &str, s: usize| Some(Line::Answer { label: Some(n.into()), text_start: s });
        let cases: Vec<(&str, Vec<&str>, Vec<Option<Line>>)> = vec![
            (
                "q and a",
                vec!["Intro.", "Q: Why?", "A: Because.", "Q: When?", "A: Soon."],
                vec![None, q.clone(), a(3), q.clone(), a(3)],
            ),
            (
                "name labels",
                vec!["HOLT: Why?", "OKAFOR: Because.", "HOLT: When?", "OKAFOR: Soon."],
                vec![q.clone(), named("Okafor", 8), q.clone(), named("Okafor", 8)],
            ),
            ("one note (negative)", vec!["Note: this is text.", "Other."], vec![None, None]),
            (
                "mark at the fourth word",
                vec!["A B C :x", "Q: x?", "Q: y?", "A B C D: x"],
                vec![
                    Some(Line::Answer { label: Some("A B C".into()), text_start: 7 }),
                    q.clone(),
                    q.clone(),
                    None,
                ],
            ),
            (
                "headline with quote (negative)",
                vec!["Okafor: “We will win”", "Q: x?", "Q: y?"],
                vec![None, q.clone(), q.clone()],
            ),
        ];
        for (name, paras, want) in cases {
            assert_eq!(detect(&paras), want, "case {name}");
        }
    }
}
