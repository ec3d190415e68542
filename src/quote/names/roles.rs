//! Role phrases around a name: lower-case role words before it (`Falcons coach Renata Dunne`,
//! `The outgoing governor, Pavel Drozdowski-Lund,`) and the appositive after it (`Okafor, chief
//! economist at Norbank,`).
//!
//! Sits above `titles` and `chunks` (whose connectors and place prepositions end a role
//! phrase); `entities` calls it to learn each entity's role.

use super::chunks::{is_connector, PLACE_PREPOSITIONS};
use super::titles::{is_person_role, is_title, lower};
use crate::quote::cues;
use crate::quote::text::{ends_sentence, is_capitalised, strip_possessive, tok_text, Kind, Tok};

/// Lower-case role words right before a name: `Falcons coach Renata Dunne` -> `Falcons
/// coach`, `chief economist Iris Pemberton` -> `chief economist`. The last word must be a role.
pub(super) fn role_before(text: &str, toks: &[Tok], start: usize) -> Option<String> {
    if start >= 2 && tok_text(text, &toks[start - 1]) == "," {
        return role_before_comma(text, toks, start - 1);
    }
    let mut k = start;
    while k > 0 && start - k < 3 {
        let t = toks[k - 1];
        let w = tok_text(text, &t);
        if t.kind != Kind::Word
            || is_capitalised(w)
            || cues::is_determiner(w)
            || cues::is_cue(w)
            || cues::is_adverb(w)
            || is_connector(w)
            || PLACE_PREPOSITIONS.contains(&w)
        {
            break;
        }
        k -= 1;
    }
    if k == start || !is_person_role(tok_text(text, &toks[start - 1])) {
        return None;
    }
    // Include an organisation or team name right before: "Korvath chief executive".
    let mut from = k;
    while from > 0
        && toks[from - 1].kind == Kind::Word
        && is_capitalised(tok_text(text, &toks[from - 1]))
        && !cues::is_stop_cap(tok_text(text, &toks[from - 1]))
        && k - from < 4
    {
        from -= 1;
    }
    Some(text[toks[from].start..toks[start - 1].end].to_string())
}

/// "The outgoing governor, Pavel Drozdowski-Lund, conceded": a determiner, up to three
/// lower-case words ending in a person's role, then the comma at `comma` before the name.
fn role_before_comma(text: &str, toks: &[Tok], comma: usize) -> Option<String> {
    let last = toks.get(comma.checked_sub(1)?)?;
    if last.kind != Kind::Word || !is_person_role(tok_text(text, last)) {
        return None;
    }
    let mut k = comma - 1;
    while k > 0 && comma - k <= 3 {
        let t = toks[k - 1];
        let w = tok_text(text, &t);
        if t.kind != Kind::Word {
            return None;
        }
        if cues::is_determiner(w) {
            // Only at the start of a sentence: "After meeting the president, Smith said" is
            // no appositive.
            let opens = k == 1 || ends_sentence(text, toks, k - 2);
            return opens.then(|| text[toks[k].start..last.end].to_string());
        }
        if is_capitalised(w) || cues::is_cue(w) || is_connector(w) {
            return None;
        }
        k -= 1;
    }
    None
}

/// The appositive right after a name: `, chief economist at Norbank,` -> `chief economist at
/// Norbank`. Ages, relative clauses and speech verbs are not roles.
pub fn appositive(text: &str, toks: &[Tok], after: usize) -> Option<String> {
    if toks.get(after).is_none_or(|t| tok_text(text, t) != ",") {
        return None;
    }
    let first = toks.get(after + 1)?;
    if first.kind != Kind::Word {
        return None;
    }
    let fw = tok_text(text, first);
    let lw = lower(fw);
    if fw.chars().all(|c| c.is_ascii_digit())
        || matches!(
            lw.as_str(),
            "who"
                | "whose"
                | "which"
                | "where"
                | "when"
                | "whom"
                | "and"
                | "but"
                | "however"
                | "too"
                | "said"
                | "says"
        )
        || cues::is_cue(fw)
        || cues::is_pronoun(fw)
        || cues::is_adverb(fw)
    {
        return None;
    }
    // A role starts with a determiner or a role noun ("a senator", "chief economist",
    // "Norbank’s chief economist"): not a verb phrase ("re-elected in 2021", "speaking on
    // Monday"), and a plain capitalised name is a list, not a role.
    let role_noun = |w: &str| {
        let l = lower(w);
        is_title(w)
            || ["ist", "er", "or", "ian", "ant", "ent", "man", "woman", "person", "ee"]
                .iter()
                .any(|s| l.ends_with(s))
    };
    let org_possessive = is_capitalised(fw) && strip_possessive(fw) != fw;
    if !(cues::is_determiner(fw) || role_noun(fw) || org_possessive)
        || is_capitalised(fw) && !is_title(fw) && !cues::is_determiner(fw) && !org_possessive
        || lw.ends_with("ed")
        || lw.ends_with("ing")
    {
        return None;
    }
    let mut end = after + 1;
    // Whether a quoted title's own comma closes the role: `author of “The Tide,”`.
    let mut closed_in_title = false;
    while end < toks.len() && end < after + 20 {
        let t = toks[end];
        if matches!(t.kind, Kind::Quote(_)) {
            // A work's title is part of the role ("author of “The Unwritten Harbour”"); a
            // quotation is not.
            let inner = tok_text(text, &t);
            if end == after + 1
                || inner.split_whitespace().count() > 5
                || inner.contains(['.', '!', '?', ':', ';'])
            {
                // "According to Ms Holt, the levy ‘will cost more …’": words that run into a
                // quotation with no comma to close them are a clause's subject, not a role.
                return None;
            }
            end += 1;
            closed_in_title = crate::quote::text::ends_with_inner_comma(inner);
            if closed_in_title {
                break;
            }
            continue;
        }
        if ends_sentence(text, toks, end) {
            break;
        }
        let w = tok_text(text, &t);
        if w == "," || w == ";" || w == "(" || w == ")" || w == "—" || w == "–" {
            break;
        }
        if t.kind == Kind::Word && cues::is_cue(w) && !is_capitalised(w) {
            return None;
        }
        end += 1;
    }
    if end == after + 1 || end >= after + 20 {
        return None;
    }
    let s = &text[toks[after + 1].start..toks[end - 1].end];
    // "author of “The Tide,”" -> "author of “The Tide”".
    let without_comma;
    let s = match s.rfind(',').filter(|_| closed_in_title) {
        Some(i) => {
            without_comma = format!("{}{}", &s[..i], &s[i + 1..]);
            without_comma.as_str()
        }
        None => s,
    };
    let s = s
        .strip_prefix("a ")
        .or_else(|| s.strip_prefix("an "))
        .or_else(|| s.strip_prefix("the "))
        .unwrap_or(s);
    Some(s.to_string())
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::quote::text::tokenize;

    #[test]
    fn appositives() {
        let cases: &[(&str, &str, usize, Option<&str>)] = &[
            (
                "role",
                "Okafor, chief economist at Norbank, said",
                1,
                Some("chief economist at Norbank"),
            ),
            (
                "determiner stripped",
                "Okafor, a senator from Veld, said",
                1,
                Some("senator from Veld"),
            ),
            (
                "a work's title is part of the role",
                "Okafor, author of “The Unwritten Harbour,” put it",
                1,
                Some("author of “The Unwritten Harbour”"),
            ),
            (
                "a quotation is not (negative)",
                "Okafor, a senator who said “we will not sell the quay today,” left",
                1,
                None,
            ),
            (
                "a clause's subject running into a quotation (negative)",
                "According to Okafor, the levy “will cost more to collect than it raises.”",
                3,
                None,
            ),
            ("age (negative)", "Okafor, 54, said", 1, None),
            ("relative clause (negative)", "Okafor, who chairs it, said", 1, None),
            ("list of names (negative)", "Okafor, Lindqvist and Holt", 1, None),
        ];
        for (name, text, after, want) in cases {
            // Quotation marks found as extraction finds them, so quoted titles are tokens.
            let spans = crate::quote::marks::find_spans(text, crate::quote::marks::Style::Double);
            let toks = tokenize(text, &spans);
            assert_eq!(appositive(text, &toks, *after).as_deref(), *want, "case {name}");
        }
    }
}
