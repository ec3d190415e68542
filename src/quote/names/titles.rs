//! Titles and words of office: which capitalised words before a name are a title (`Sen.`,
//! `Finance Minister`), what an abbreviated title stands for and which gender an honorific
//! implies, and which lower-case words name a person's role (`economist`, `coach`).
//!
//! The lowest layer of `names`: plain word lists and predicates on single words. `chunks`
//! uses them to split the title off a name, `roles` to find role phrases, `entities` to learn
//! a person's role and gender.

use crate::quote::cues::Gender;
use crate::quote::words::WordSet;

pub(super) fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Words that modify a title without being one (`Finance Minister`, `Deputy Mayor`); with the
/// head titles below they make up every word that may precede a name.
const TITLE_MODIFIERS: &[&str] = &[
    "vice",
    "prime",
    "deputy",
    "chief",
    "head",
    "forward",
    "speaker",
    "senior",
    "junior",
    "assistant",
    "associate",
    "former",
    "acting",
    "interim",
    "managing",
    "finance",
    "foreign",
    "health",
    "interior",
    "defence",
    "defense",
    "trade",
    "transport",
    "education",
    "environment",
    "labour",
    "labor",
    "treasury",
    "state",
    "city",
    "county",
    "district",
    "regional",
    "national",
    "party",
    "union",
    "police",
    "fire",
    "opposition",
    "shadow",
    "team",
    "club",
    "company",
    "board",
    "campaign",
    "press",
];

/// Titles that are words of office in their own right (not modifiers like `Finance`):
/// a chunk's title ends at the last one of these.
const HEAD_TITLES: &[&str] = &[
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "president",
    "minister",
    "secretary",
    "mayor",
    "governor",
    "gov",
    "dr",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "judge",
    "justice",
    "inspector",
    "insp",
    "detective",
    "det",
    "sgt",
    "sergeant",
    "captain",
    "capt",
    "col",
    "colonel",
    "gen",
    "general",
    "lt",
    "lieutenant",
    "maj",
    "cpl",
    "corporal",
    "pfc",
    "coach",
    "chancellor",
    "councillor",
    "cllr",
    "councilman",
    "councilwoman",
    "councilor",
    "commissioner",
    "superintendent",
    "supt",
    "father",
    "rev",
    "reverend",
    "sister",
    "sir",
    "dame",
    "lord",
    "lady",
    "ambassador",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "ceo",
    "director",
    "officer",
    "constable",
    "sheriff",
    "attorney",
    "prosecutor",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "bishop",
    "archbishop",
    "rabbi",
    "imam",
    "pastor",
    "economist",
    "analyst",
    "spokeswoman",
    "spokesman",
    "spokesperson",
    "executive",
    "manager",
    "founder",
    "owner",
    "nurse",
    "lawyer",
    "barrister",
    "solicitor",
    "activist",
    "author",
    "historian",
    "researcher",
    "scientist",
    "teacher",
    "principal",
    "dean",
    "mp",
    "mep",
    "treasurer",
    "auditor",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "winger",
    "skipper",
    "trainer",
    "referee",
    "magistrate",
    "coroner",
    "registrar",
    "commander",
    "admiral",
    "adm",
    "cmdr",
    "hon",
    "leader",
    "official",
    "candidate",
    "chef",
    "pilot",
    "architect",
    "engineer",
    "curator",
    "editor",
    "columnist",
    "reporter",
    "correspondent",
    "presenter",
];

/// Roles of people that the suffix rule of `is_person_role` misses (`MSNBC host Chris
/// Matthews`, `chief analyst Ines Varga`).
const PERSON_ROLE_WORDS: &[&str] = &[
    "host",
    "anchor",
    "analyst",
    "pundit",
    "candidate",
    "aide",
    "official",
    "representative",
    "delegate",
    "chair",
    "judge",
    "coach",
    "captain",
    "secretary",
    "attorney",
    "nurse",
    "priest",
    "bishop",
    "envoy",
    "general",
    "colonel",
    "chief",
    "surgeon",
    "expert",
    "scholar",
    "fellow",
    "poet",
    "veteran",
    "witness",
    "ceo",
    "boss",
    "spokesperson",
    "pilot",
    "academic",
];

pub(super) fn is_title(word: &str) -> bool {
    static SET: WordSet = WordSet::new(TITLE_MODIFIERS);
    is_head_title(word) || SET.contains(word)
}

pub(super) fn is_head_title(word: &str) -> bool {
    static SET: WordSet = WordSet::new(HEAD_TITLES);
    SET.contains(word)
}

/// Expands an abbreviated title to its word (`Sen.` -> `Senator`); honorifics give no role.
pub fn title_role(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut out = Vec::new();
    for word in words {
        let w = word.trim_end_matches('.');
        let expanded = match lower(w).as_str() {
            "mr" | "mrs" | "ms" | "miss" | "mx" | "dr" | "sir" | "dame" | "lord" | "lady"
            | "hon" => continue,
            "sen" => "Senator",
            "rep" => "Representative",
            "gov" => "Governor",
            "gen" => "General",
            "prof" => "Professor",
            "insp" => "Inspector",
            "det" => "Detective",
            "sgt" => "Sergeant",
            "capt" => "Captain",
            "col" => "Colonel",
            "lt" => "Lieutenant",
            "maj" => "Major",
            "cpl" => "Corporal",
            "pfc" => "Private First Class",
            "supt" => "Superintendent",
            "cllr" => "Councillor",
            "rev" => "Reverend",
            "adm" => "Admiral",
            "cmdr" => "Commander",
            // Initials keep their last period: "U.S. Attorney".
            _ if w.contains('.') => word,
            _ => w,
        };
        out.push(expanded.to_string());
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// Gender implied by an honorific or title.
pub(super) fn title_gender(title: &str) -> Option<Gender> {
    for w in title.split_whitespace() {
        match lower(w.trim_end_matches('.')).as_str() {
            "mr" | "sir" | "lord" | "king" | "prince" | "father" | "congressman" | "councilman"
            | "chairman" | "spokesman" => return Some(Gender::Male),
            "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess" | "sister"
            | "congresswoman" | "councilwoman" | "chairwoman" | "spokeswoman" => {
                return Some(Gender::Female)
            }
            _ => {}
        }
    }
    None
}

/// Whether a word names a person's role: a title (`senator`, `coach`) or an agent noun
/// (`economist`, `organiser`, `spokeswoman`).
pub fn is_person_role(word: &str) -> bool {
    let l = lower(word.trim_matches(|c: char| !c.is_alphanumeric()));
    // "co-host", "co-chair": the role shared is still a person's.
    let l = l.strip_prefix("co-").unwrap_or(&l);
    l.len() > 2
        && (is_title(l)
            || PERSON_ROLE_WORDS.contains(&l)
            || ["ist", "er", "or", "ian", "ant", "ent", "man", "woman", "person", "ee"]
                .iter()
                .any(|s| l.ends_with(s))
                && !crate::quote::cues::is_stop_cap(l)
                && !NOT_AGENT_NOUNS.contains(&l))
}

/// Words that end like an agent noun (`-er`, `-or`, `-ent`) without naming anyone: function
/// words (`after`, `for`, `her`, `whether` are caught as stop words) and verbs that stand
/// between two names (`Brekke went after Marr`, `sent Marr a letter`). Taking them for roles
/// made the name after them the speaker.
const NOT_AGENT_NOUNS: &[&str] = &[
    "went", "sent", "spent", "meant", "lent", "ever", "however", "whatever", "whenever",
    "wherever", "rather", "further", "either", "neither", "per", "nor", "consider", "remember",
    "offer", "answer", "enter", "deliver", "discover", "prefer", "suffer", "wonder", "gather",
    "counter", "order", "percent", "recent", "current", "present", "event", "moment",
];

/// The lower-cased words of a name, titles and honorifics dropped. The last word is a surname
/// even when it is also a title (`Steve King`, `Rep. Ana Dean`), so it is always kept.
pub fn name_words(name: &str) -> Vec<String> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|&(k, w)| (k == last || !is_head_title(w)) && !matches!(lower(w).as_str(), "the"))
        .map(|(_, w)| lower(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_roles() {
        // (name, word, names a person's role)
        let cases: &[(&str, &str, bool)] = &[
            ("agent noun", "economist", true),
            ("-er agent noun", "organiser", true),
            ("title", "senator", true),
            ("listed role", "host", true),
            ("preposition ending in -er (negative)", "after", false),
            ("pronoun ending in -er (negative)", "her", false),
            ("conjunction ending in -or (negative)", "for", false),
            ("verb ending in -ent (negative)", "went", false),
            ("adverb ending in -er (negative)", "further", false),
            ("plain noun (negative)", "budget", false),
            ("shared role", "co-host", true),
            ("shared listed role", "co-chair", true),
            ("co- before no role (negative)", "co-operation", false),
        ];
        for (name, w, want) in cases {
            assert_eq!(is_person_role(w), *want, "case {name}");
        }
    }

    #[test]
    fn roles_of_titles() {
        // (name, title, role)
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("abbreviated rank", "Sgt.", Some("Sergeant")),
            ("rank with its service and ordinal", "Navy 1st Lt.", Some("Navy 1st Lieutenant")),
            ("corporal", "Marine Cpl.", Some("Marine Corporal")),
            ("initials keep their period", "U.S. Attorney", Some("U.S. Attorney")),
            ("an honorific is no role (negative)", "Mrs.", None),
        ];
        for (name, title, want) in cases {
            assert_eq!(title_role(title).as_deref(), *want, "case {name}");
        }
    }
}
