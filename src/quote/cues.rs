//! Word lists for attribution: speech verbs ("cues"), adverbs that may sit between a speaker
//! and the verb, pronouns, determiners and stop words that are capitalised but never names.
//!
//! Plain data and tiny predicates, shared by `names` (what is a name) and `attribute` (which
//! words attach a quotation to a speaker). All comparisons are on lower-cased words.

use super::words::{with_lowercase, WordSet};

/// Speech and writing verbs in the forms newswriting uses, present and past.
const CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "explained",
    "explains",
    "noted",
    "notes",
    "argued",
    "argues",
    "warned",
    "warns",
    "insisted",
    "insists",
    "stated",
    "states",
    "declared",
    "declares",
    "replied",
    "replies",
    "responded",
    "responds",
    "recalled",
    "recalls",
    "conceded",
    "concedes",
    "admitted",
    "admits",
    "acknowledged",
    "acknowledges",
    "continued",
    "continues",
    "countered",
    "counters",
    "claimed",
    "claims",
    "maintained",
    "maintains",
    "observed",
    "observes",
    "remarked",
    "remarks",
    "joked",
    "jokes",
    "quipped",
    "quips",
    "shouted",
    "shouts",
    "yelled",
    "cried",
    "whispered",
    "whispers",
    "announced",
    "announces",
    "tweeted",
    "tweets",
    "posted",
    "testified",
    "testifies",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "stressed",
    "stresses",
    "suggested",
    "suggests",
    "predicted",
    "predicts",
    "promised",
    "promises",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "complained",
    "complains",
    "lamented",
    "laments",
    "mused",
    "muses",
    "boasted",
    "boasts",
    "confirmed",
    "confirms",
    "concluded",
    "concludes",
    "urged",
    "urges",
    "agreed",
    "agrees",
    "objected",
    "protested",
    "snapped",
    "sighed",
    "laughed",
    "recounted",
    "recounts",
    "reflected",
    "reflects",
    "cautioned",
    "cautions",
    "asserted",
    "asserts",
    "contended",
    "contends",
    "charged",
    "alleged",
    "alleges",
    "answered",
    "answers",
    "reported",
    "reports",
    "wondered",
    "wonders",
    "thundered",
    "chanted",
    "sings",
    "sang",
    "read",
    "reads",
    "texted",
    "messaged",
    "commented",
    "comments",
    "began",
    "interjected",
    "interrupted",
    "repeated",
    "repeats",
    "retorted",
    "shot",
    "demanded",
    "demands",
    "pleaded",
    "begged",
    "murmured",
    "muttered",
    "screamed",
    "exclaimed",
    "opined",
    "ruled",
    "rules",
    "found",
    "confided",
    "confides",
    "called",
    "calls",
    "described",
    "describes",
    "termed",
    // Praise, blame and complaint that report words ("Marr accused the union of “…”",
    // "Quist thanked the volunteers for “…”"), and manners of speaking.
    "accused",
    "accuses",
    "accusing",
    "criticized",
    "criticised",
    "criticizes",
    "criticises",
    "criticizing",
    "criticising",
    "condemned",
    "condemns",
    "condemning",
    "praised",
    "praises",
    "praising",
    "thanked",
    "thanking",
    "credited",
    "denounced",
    "denounces",
    "denouncing",
    "decried",
    "decries",
    "lauded",
    "lauds",
    "chided",
    "chiding",
    "blasted",
    "slammed",
    "slams",
    "mocked",
    "mocking",
    "derided",
    "lambasted",
    "bemoaned",
    "bemoans",
    "likened",
    "likens",
    "hailed",
    "touted",
    "proclaimed",
    "proclaims",
    "proclaiming",
    "scoffed",
    "scoffs",
    "groused",
    "griped",
    "fumed",
    "gushed",
    "marveled",
    "marvelled",
    "scolded",
    "implored",
    "reassured",
    "assured",
    "assures",
    "elaborated",
    "surmised",
    "reiterated",
    "reiterates",
    "estimated",
    "estimates",
    "worried",
    "worries",
    "pressed",
    // Progressive forms of verbs listed above.
    "responding",
    "announcing",
    "recalling",
    "acknowledging",
    "emphasizing",
    "emphasising",
    "asserting",
    "conceding",
    "vowing",
    "pledging",
    "yelling",
    "shouting",
    "repeating",
    "answering",
    "remarking",
    "alleging",
    "lamenting",
    "cautioning",
    "stressing",
    "confirming",
    "commenting",
    "pleading",
    "demanding",
    "wondering",
    "testifying",
    "opining",
    "contending",
    "concluding",
    "reiterating",
    "citing",
    // Progressive forms: "He’s claiming that fraud is “a big, big problem”".
    "claiming",
    "telling",
    "arguing",
    "insisting",
    "warning",
    "adding",
    "noting",
    "writing",
    "asking",
    "explaining",
    "suggesting",
    "declaring",
    "stating",
    "complaining",
    "promising",
    "predicting",
    "calling",
    "describing",
    "tweeting",
    "urging",
    "boasting",
    "joking",
];

/// Verbs whose subject and object are not a speech act unless followed by a quotation right
/// away (`found` in "the court found", `read` in "the sign read"): accepted as cues only
/// directly next to a quotation.
const WEAK_CUES: &[&str] = &[
    "tweets",
    "posts",
    "read",
    "reads",
    "found",
    "ruled",
    "rules",
    "began",
    "shot",
    "states",
    "notes",
    "claims",
    "reports",
    "comments",
    "remarks",
    "answers",
    "sings",
    "sang",
    "estimated",
    "estimates",
    "worried",
    "worries",
    "pressed",
    "slams",
    "hailed",
    "citing",
];

/// Whether `word` (any case) is a speech verb.
pub fn is_cue(word: &str) -> bool {
    static SET: WordSet = WordSet::new(CUES);
    SET.contains(word)
}

/// Verbs that name or label rather than quote (`what the ministry calls “low-level” contacts`):
/// they attribute a longer quotation, but never make a one-to-three-word term a quotation.
pub fn is_naming_cue(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "called"
                | "calls"
                | "call"
                | "calling"
                | "described"
                | "describes"
                | "describing"
                | "termed"
                | "dubbed"
        )
    })
}

/// Speech verbs whose object follows them (`accused Varga of “…”`, `thanked the crews for`):
/// the name after such a verb is never its subject.
pub fn takes_object(word: &str) -> bool {
    with_lowercase(word, |word| {
        let stem = word.trim_end_matches('s');
        matches!(
            stem,
            "accused"
                | "accuse"
                | "criticized"
                | "criticised"
                | "criticize"
                | "criticise"
                | "condemned"
                | "condemn"
                | "praised"
                | "praise"
                | "thanked"
                | "credited"
                | "denounced"
                | "denounce"
                | "decried"
                | "decrie"
                | "lauded"
                | "laud"
                | "chided"
                | "chide"
                | "blasted"
                | "slammed"
                | "slam"
                | "mocked"
                | "derided"
                | "lambasted"
                | "bemoaned"
                | "bemoan"
                | "likened"
                | "liken"
                | "hailed"
                | "touted"
                | "scolded"
                | "implored"
                | "reassured"
                | "assured"
                | "assure"
                | "pressed"
        )
    })
}

/// Whether `word` is a speech verb only when it stands right beside a quotation.
pub fn is_weak_cue(word: &str) -> bool {
    static SET: WordSet = WordSet::new(WEAK_CUES);
    SET.contains(word)
}

/// Words that may stand between a speaker and a speech verb (`later told`, `has said`).
const ADVERBS: &[&str] = &[
    "later",
    "also",
    "then",
    "again",
    "has",
    "had",
    "have",
    "would",
    "will",
    "once",
    "further",
    "previously",
    "earlier",
    "subsequently",
    "repeatedly",
    "often",
    "always",
    "never",
    "simply",
    "just",
    "still",
    "first",
    "last",
    "recently",
    "once",
    "famously",
    "reportedly",
    "allegedly",
    "apparently",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "being",
    "did",
    "does",
    "do",
    "may",
    "might",
    "could",
    "should",
    "not",
    "soon",
    "now",
    "even",
    "only",
    "already",
    "too",
    "herself",
    "himself",
    "themselves",
    "itself",
    "then",
    "afterwards",
    "afterward",
    "twice",
    "finally",
    "eventually",
    "immediately",
    "quickly",
];

/// Whether `word` is an adverb or auxiliary that may sit between a speaker and its verb.
pub fn is_adverb(word: &str) -> bool {
    static SET: WordSet = WordSet::new(ADVERBS);
    if SET.contains(word) {
        return true;
    }
    // -ly adverbs (bluntly, quietly), but not the nouns and adjectives that end in -ly.
    word.len() > 4
        && word.ends_with("ly")
        && word.chars().next().is_some_and(char::is_lowercase)
        && !matches!(
            word,
            "family"
                | "supply"
                | "italy"
                | "assembly"
                | "rally"
                | "ally"
                | "july"
                | "early"
                | "only"
        )
}

/// Grammatical gender of a pronoun or person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// Personal pronouns that can be the subject of a speech verb, with their gender.
pub fn pronoun_gender(word: &str) -> Option<Option<Gender>> {
    // "He’s claiming…": the contraction keeps its subject.
    let word = word.strip_suffix("’s").or_else(|| word.strip_suffix("'s")).unwrap_or(word);
    with_lowercase(word, |w| match w {
        "he" => Some(Some(Gender::Male)),
        "she" => Some(Some(Gender::Female)),
        _ => None,
    })
}

/// Whether `word` is a subject pronoun (he, she, they, I, we, it).
pub fn is_pronoun(word: &str) -> bool {
    with_lowercase(word, |w| matches!(w, "he" | "she" | "they" | "i" | "we" | "it" | "you"))
}

/// Gender evidence from possessive and object pronouns in narrative text.
pub fn pronoun_evidence(word: &str) -> Option<Gender> {
    with_lowercase(word, |w| match w {
        "he" | "his" | "him" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    })
}

/// What a speaker issues words in: "Marr issued a statement saying …", "the board posted a
/// video saying …". A participle of speech right after one is its issuer's.
pub fn is_message_noun(word: &str) -> bool {
    matches!(
        word,
        "statement"
            | "statements"
            | "letter"
            | "tweet"
            | "post"
            | "email"
            | "e-mail"
            | "note"
            | "release"
            | "memo"
            | "message"
            | "video"
            | "op-ed"
            | "column"
            | "editorial"
    )
}

/// Things that carry words nobody in the story is named as saying: "the sign read", "a banner
/// proclaimed". Their quotations have no speaker.
pub fn is_sign_noun(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "sign"
                | "signs"
                | "banner"
                | "banners"
                | "placard"
                | "placards"
                | "poster"
                | "posters"
                | "notice"
                | "slogan"
                | "graffiti"
                | "plaque"
                | "inscription"
                | "billboard"
                | "message"
                | "headline"
                | "caption"
        )
    })
}

/// Crowds: "the crowd chanted “…”", "the audience shouted": many voices, no one speaker.
pub fn is_crowd_noun(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "crowd"
                | "crowds"
                | "audience"
                | "supporters"
                | "protesters"
                | "protestors"
                | "demonstrators"
                | "marchers"
                | "fans"
                | "chorus"
                | "onlookers"
                | "spectators"
        )
    })
}

/// Writings whose author the story names elsewhere: "“…,” the email read. It was sent by …".
pub fn is_document_noun(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "email" | "e-mail" | "letter" | "memo" | "note" | "text" | "leaflet" | "document"
        )
    })
}

/// Words that open a clause (`once`, `when`, `because`): what follows is its subject, not a
/// speaker introduced by a role ("“…” once Rovers began pressing").
pub fn is_clause_opener(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "once"
                | "when"
                | "whenever"
                | "as"
                | "because"
                | "since"
                | "if"
                | "unless"
                | "after"
                | "before"
                | "while"
                | "until"
                | "though"
                | "although"
                | "whereas"
                | "where"
                | "and"
                | "but"
                | "or"
                | "so"
                | "than"
        )
    })
}

/// Determiners that begin a role noun phrase (`the senator`, `a spokeswoman for …`).
pub fn is_determiner(word: &str) -> bool {
    with_lowercase(word, |word| {
        matches!(
            word,
            "the"
                | "a"
                | "an"
                | "its"
                | "his"
                | "her"
                | "their"
                | "one"
                | "another"
                | "our"
                | "this"
                | "that"
                | "each"
        )
    })
}

/// Capitalised words that begin sentences or name times, never people.
const STOP_CAPS: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "by",
    "with",
    "without",
    "after",
    "before",
    "during",
    "when",
    "while",
    "if",
    "as",
    "since",
    "because",
    "although",
    "though",
    "however",
    "still",
    "then",
    "now",
    "there",
    "here",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "what",
    "who",
    "whom",
    "whose",
    "which",
    "where",
    "why",
    "how",
    "not",
    "no",
    "yes",
    "all",
    "some",
    "many",
    "most",
    "few",
    "both",
    "each",
    "every",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "asked",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "earlier",
    "later",
    "meanwhile",
    "instead",
    "also",
    "even",
    "just",
    "only",
    "until",
    "unlike",
    "like",
    "despite",
    "about",
    "across",
    "against",
    "among",
    "around",
    "inside",
    "outside",
    "over",
    "under",
    "through",
    "once",
    "asked",
    "according",
    "q",
    "more",
    "less",
    "such",
    "several",
    "other",
    "another",
    "first",
    "second",
    "third",
    "last",
    "new",
    "former",
    "late",
    "young",
    "old",
    "dear",
    "please",
    "thank",
    "hello",
    "oh",
    "well",
    "whether",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "can",
    "could",
    "will",
    "would",
    "should",
    "shall",
    "might",
    "must",
    "let",
    "we’re",
    "it’s",
    "i’m",
    "that’s",
    "there’s",
    "don’t",
    "didn’t",
    "can’t",
    "won’t",
    "said",
    "says",
    "we've",
    "we’ve",
    "at",
    "upon",
    "within",
    "amid",
    "toward",
    "towards",
    "into",
    "onto",
    "off",
    "out",
    "up",
    "down",
    "again",
    "never",
    "always",
    "often",
    "sometimes",
    "perhaps",
    "maybe",
    "indeed",
    "together",
    "ahead",
    "behind",
    "beyond",
    "anyway",
    "otherwise",
    "nor",
    // Sentence adverbs, capitalised only where they open a sentence.
    "nevertheless",
    "nonetheless",
    "moreover",
    "furthermore",
    "additionally",
    "regardless",
    "likewise",
    "similarly",
    "consequently",
    "thus",
    "hence",
    "therefore",
    "apparently",
    "clearly",
    "obviously",
    "unfortunately",
    "fortunately",
    "ultimately",
    "finally",
    "overall",
    "besides",
    "nearly",
    "almost",
    // Contractions that open a sentence ("I’m old enough to remember…").
    "i'm",
    "i've",
    "i’ve",
    "i'd",
    "i’d",
    "i'll",
    "i’ll",
    "it's",
    "that's",
    "there's",
    "here's",
    "here’s",
    "what's",
    "what’s",
    "let's",
    "let’s",
    "we're",
    "we'll",
    "we’ll",
    "they're",
    "they’re",
    "they've",
    "they’ve",
    "you're",
    "you’re",
    "you've",
    "you’ve",
    "he's",
    "he’s",
    "she's",
    "she’s",
];

/// Whether a capitalised `word` is a function word or time word rather than part of a name.
pub fn is_stop_cap(word: &str) -> bool {
    static SET: WordSet = WordSet::new(STOP_CAPS);
    SET.contains(word)
}

/// Verbs that take a short quoted phrase as their object or complement without being speech
/// verbs of their own (`accused the board of “dragging its feet”`, `dismissed the plan as “a
/// fantasy”`): with the speech and naming verbs above they make a two- or three-word span a
/// quotation when a person is their subject (see `attribute::governing_verb`).
const QUOTING_VERBS: &[&str] = &[
    "accused",
    "accuses",
    "accusing",
    "praised",
    "praises",
    "praising",
    "criticized",
    "criticised",
    "criticizes",
    "criticises",
    "criticizing",
    "criticising",
    "condemned",
    "condemns",
    "condemning",
    "denounced",
    "denounces",
    "denouncing",
    "dismissed",
    "dismisses",
    "dismissing",
    "blasted",
    "blasts",
    "blasting",
    "slammed",
    "slams",
    "slamming",
    "decried",
    "decries",
    "decrying",
    "derided",
    "derides",
    "deriding",
    "hailed",
    "hails",
    "hailing",
    "labeled",
    "labelled",
    "labeling",
    "labelling",
    "branded",
    "branding",
    "characterized",
    "characterised",
    "characterizes",
    "characterises",
    "characterizing",
    "characterising",
    "portrayed",
    "portrays",
    "portraying",
    "likened",
    "likens",
    "likening",
    "referred",
    "refers",
    "referring",
    "dubbed",
    "dubs",
    "dubbing",
    "thanked",
    "thanks",
    "thanking",
    "credited",
    "crediting",
    "blamed",
    "blames",
    "blaming",
    "lambasted",
    "chided",
    "scolded",
    "ridiculed",
    "touted",
    "touts",
    "touting",
    "call",
    "describe",
    "label",
    "vowing",
    "pledging",
    "warn",
    "urge",
    "insist",
    "stressing",
    "encouraged",
    "encourages",
    "encouraging",
    "exhorted",
    "exhorts",
    "implored",
    "implores",
];

/// Nouns for something said, whose owner says a short quoted phrase after them (`Marr's
/// claim that the port lost “thousands of containers”`).
pub fn is_speech_noun(word: &str) -> bool {
    with_lowercase(word, |w| {
        matches!(
            w,
            "claim"
                | "claims"
                | "statement"
                | "remark"
                | "remarks"
                | "comment"
                | "comments"
                | "assertion"
                | "accusation"
                | "promise"
                | "pledge"
                | "vow"
                | "warning"
                | "words"
                | "suggestion"
                | "boast"
                | "contention"
                | "argument"
                | "description"
                | "insistence"
                | "prediction"
        )
    })
}

/// Whether `word` (any case) is a speech, naming or quoting verb that can govern a short
/// quoted phrase.
pub fn is_quoting_verb(word: &str) -> bool {
    static SET: WordSet = WordSet::new(QUOTING_VERBS);
    is_cue(word) || is_naming_cue(word) || SET.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_folding_sets() {
        let all = ["Said", "SAID", "said", "sAiD"];
        assert!(all.iter().all(|w| is_cue(w)), "{all:?}");
        // Words longer than eight bytes hash their first and last eight.
        assert!(is_cue("ACKNOWLEDGED") && is_cue("Acknowledges") && !is_cue("acknowledgex"));
        // Non-ASCII words go through full lower-casing: "WE’RE" is "we’re".
        assert!(is_stop_cap("WE’RE") && is_stop_cap("We’re") && !is_stop_cap("we’d"));
        assert!(!is_cue("") && !is_cue("s") && !is_cue("saidsaidsaidsaid"));
        // Every word of every list is found, in any case.
        for list in [CUES, WEAK_CUES, ADVERBS, STOP_CAPS, QUOTING_VERBS] {
            let set = WordSet::new(list);
            for w in list {
                assert!(set.contains(w) && set.contains(&w.to_uppercase()), "{w}");
            }
        }
    }

    #[test]
    fn verbs_with_objects() {
        // (name, word, takes its object after it)
        let cases: &[(&str, &str, bool)] = &[
            ("accused", "accused", true),
            ("present tense", "praises", true),
            ("capitalised", "Thanked", true),
            ("said (negative)", "said", false),
            ("urged can invert (negative)", "urged", false),
        ];
        for (name, w, want) in cases {
            assert_eq!(takes_object(w), *want, "case {name}");
        }
    }

    #[test]
    fn word_classes() {
        // (name, word, is_cue, is_adverb)
        let cases: &[(&str, &str, bool, bool)] = &[
            ("past cue", "said", true, false),
            ("present cue", "Says", true, false),
            ("writing cue", "wrote", true, false),
            ("ly adverb", "bluntly", false, true),
            ("auxiliary", "has", false, true),
            ("ly noun (negative)", "family", false, false),
            ("capitalised ly (negative)", "Kelly", false, false),
            ("ordinary verb (negative)", "walked", false, false),
            ("blame verb", "accused", true, false),
            ("praise verb", "Praised", true, false),
        ];
        for (name, w, cue, adv) in cases {
            assert_eq!(is_cue(w), *cue, "case {name}: cue");
            assert_eq!(is_adverb(w), *adv, "case {name}: adverb");
        }
    }
}
