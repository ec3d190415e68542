//! Name chunks: runs of capitalised tokens in one paragraph that name someone or something,
//! with the title split off (`Finance Minister` | `Adaeze Okafor`) and a first guess at their
//! kind (person, organisation, or not yet known).
//!
//! Works on one paragraph's tokens from `text`, knows titles through `titles`; knows nothing of
//! other paragraphs: `entities` joins the chunks of the whole article into entities.

use super::given::is_given_name;
use super::titles::{is_head_title, is_title, lower};
use crate::quote::cues;
use crate::quote::text::{is_capitalised, strip_possessive, tok_text, Kind, Tok};
use crate::quote::words::WordSet;

/// Person, organisation, or something capitalised we cannot tell apart yet (often a place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Person,
    Org,
    Unknown,
}

/// A run of capitalised tokens in one paragraph that names someone or something.
#[derive(Debug, Clone)]
pub struct Chunk<'a> {
    /// Token range, title included.
    pub tok_start: usize,
    pub tok_end: usize,
    /// The name's words, title and possessive stripped, as written (slices of the paragraph).
    pub words: NameWords<'a>,
    /// The title before the name, as written (`Sen.`, `Finance Minister`), if any.
    pub title: Option<String>,
    pub kind: EntityKind,
    /// Right after `in`, `at`, `from`…: most likely a place.
    pub after_preposition: bool,
    /// A person's name followed by where they are from, inside the chunk: `Ana Obi of Carrow`.
    pub of_place: bool,
    /// The entity this chunk refers to, filled by [`Entities::build`].
    pub entity: Option<usize>,
}

/// The words of a name chunk: up to four kept inline, which is nearly every name, and all of
/// them in a vector beyond that. A paragraph has a chunk for every capitalised run, so this
/// saves an allocation for most of its chunks. Reads as a slice.
#[derive(Debug, Clone, Default)]
pub struct NameWords<'a> {
    inline: [&'a str; 4],
    len: usize,
    /// Every word, once there are more than fit inline.
    spilled: Vec<&'a str>,
}

impl<'a> NameWords<'a> {
    fn push(&mut self, word: &'a str) {
        if self.len < self.inline.len() && self.spilled.is_empty() {
            self.inline[self.len] = word;
            self.len += 1;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(word);
        }
    }
}

impl<'a> std::ops::Deref for NameWords<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        if self.spilled.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

/// Words that make a capitalised chunk an organisation.
const ORG_WORDS: &[&str] = &[
    "ministry",
    "department",
    "council",
    "committee",
    "commission",
    "authority",
    "agency",
    "bureau",
    "office",
    "union",
    "association",
    "federation",
    "league",
    "party",
    "group",
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "llc",
    "plc",
    "co",
    "bank",
    "trust",
    "fund",
    "foundation",
    "institute",
    "university",
    "college",
    "academy",
    "school",
    "hospital",
    "clinic",
    "police",
    "constabulary",
    "service",
    "services",
    "board",
    "court",
    "tribunal",
    "assembly",
    "parliament",
    "senate",
    "congress",
    "government",
    "cabinet",
    "club",
    "fc",
    "united",
    "logistics",
    "holdings",
    "partners",
    "industries",
    "airlines",
    "airways",
    "energy",
    "power",
    "media",
    "news",
    "times",
    "herald",
    "gazette",
    "courier",
    "tribune",
    "post",
    "journal",
    "chronicle",
    "observer",
    "radio",
    "television",
    "broadcasting",
    "network",
    "society",
    "coalition",
    "alliance",
    "centre",
    "center",
    "church",
    "army",
    "navy",
    "force",
    "guard",
    "cooperative",
    "co-op",
    "collective",
    "chamber",
    "exchange",
    "freight",
    "shipping",
    "foods",
    "motors",
    "systems",
    "technologies",
    "tech",
    "labs",
    "pharma",
    "pharmaceuticals",
    "capital",
    "insurance",
    "mining",
    "rail",
    "railways",
    "transit",
    "studios",
    "records",
    "publishing",
    "works",
    "manufacturing",
    "construction",
    "developments",
    "properties",
    "estates",
    "brewery",
    "mills",
    "markets",
    "group’s",
    "directorate",
    "inspectorate",
    "secretariat",
    "regulator",
    "watchdog",
    "prosecutors",
    "fire",
    "rescue",
    "ambulance",
    "institution",
    "bureau",
    "observatory",
    "orchestra",
    "museum",
    "library",
    "gallery",
    "theatre",
    "theater",
    "festival",
    "cooperative",
    "securities",
    "consulting",
    "advisers",
    "advisors",
    "associates",
    "ventures",
    "investments",
    "homes",
    "housing",
    "thermal",
    // Sports clubs.
    "rovers",
    "wanderers",
    "rangers",
    "athletic",
    "albion",
];

/// Last words of place names (`Mill Street`, `Lenholm Flats`, `Carrow Bay`): such a name is
/// not a person, whatever its shape. Words that are also common surnames (Hill, Park, Green,
/// Bay, Marsh) are left out.
const PLACE_WORDS: &[&str] = &[
    "street",
    "road",
    "avenue",
    "lane",
    "square",
    "quay",
    "wharf",
    "flats",
    "bridge",
    "station",
    "harbour",
    "harbor",
    "river",
    "valley",
    "island",
    "islands",
    "heights",
    "crescent",
    "terrace",
    "boulevard",
    "estuary",
    "peninsula",
    "airport",
    "motorway",
    "highway",
    "canal",
    "reservoir",
];

/// Single words that name a portfolio after "Secretary of", "Minister for" (`Secretary of State
/// Varga`): the word belongs to the office, the name is what follows.
const PORTFOLIO_WORDS: &[&str] = &[
    "state",
    "defence",
    "defense",
    "finance",
    "justice",
    "health",
    "education",
    "transport",
    "energy",
    "labour",
    "labor",
    "trade",
    "agriculture",
    "housing",
    "culture",
    "interior",
    "treasury",
    "environment",
    "commerce",
    "industry",
    "tourism",
    "fisheries",
    "communications",
];

/// Whether `w` is one of the lower-case words allowed inside a name (`Ministry of Coastal
/// Affairs`, `Ana de Souza`).
pub(super) fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "de"
            | "van"
            | "von"
            | "der"
            | "den"
            | "da"
            | "di"
            | "du"
            | "la"
            | "le"
            | "al"
            | "bin"
            | "ibn"
            | "del"
            | "dos"
            | "das"
            | "y"
            | "ter"
            | "ten"
            | "&"
    )
}

/// Particles that belong to a surname (`van der Berg`).
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "al", "bin", "ibn", "del",
    "dos", "das", "ter", "ten",
];

/// Prepositions after which a capitalised chunk is most likely a place.
pub(super) const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "at", "from", "near", "across", "outside", "inside", "around", "into", "toward",
    "towards", "through",
];

fn is_org_word(word: &str) -> bool {
    static SET: WordSet = WordSet::new(ORG_WORDS);
    SET.contains(word)
}

fn is_place_word(word: &str) -> bool {
    static SET: WordSet = WordSet::new(PLACE_WORDS);
    SET.contains(word)
}

/// Whether a token can be part of a name chunk.
fn is_name_word(w: &str) -> bool {
    is_capitalised(w)
}

/// Finds the name chunks of one paragraph.
pub fn find_chunks<'a>(text: &'a str, toks: &[Tok]) -> Vec<Chunk<'a>> {
    let mut chunks = Vec::new();
    // The words of the run being cleaned, kept from one run to the next to save allocations.
    let mut scratch = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i].kind != Kind::Word || !is_name_word(tok_text(text, &toks[i])) {
            i += 1;
            continue;
        }
        // Extend over capitalised words, abbreviation periods and inner connectors.
        let start = i;
        let mut end = i + 1; // exclusive
                             // A possessive ends a name ("Okafor’s plan"), unless an organisation's word follows
                             // ("the Calder County Sheriff's Office").
        let ends_name = |k: usize| {
            let w = tok_text(text, &toks[k]);
            strip_possessive(w) != w
                && !toks.get(k + 1).is_some_and(|n| {
                    n.kind == Kind::Word
                        && toks[k].end + 1 >= n.start
                        && is_capitalised(tok_text(text, n))
                        && is_org_word(tok_text(text, n))
                })
        };
        let mut possessive = ends_name(i);
        while end < toks.len() && !possessive {
            let t = toks[end];
            let adjacent = toks[end - 1].end == t.start;
            match t.kind {
                Kind::Punct if tok_text(text, &t) == "." && adjacent => {
                    // "Sen." / "J." inside a name: the period belongs to the chunk when a name
                    // word follows and the word before is an abbreviated title or an initial.
                    // A title written in full ends a sentence: "… of the Brannock Ferry
                    // Company. He added" is no name "Company He".
                    let prev = tok_text(text, &toks[end - 1]);
                    let abbrev = prev.chars().count() == 1
                        || is_title(prev) && !crate::quote::text::ends_sentence(text, toks, end)
                        // "U.S. Attorney Ilse Marr", "U.N. Ambassador …": a country's initials
                        // before a title are the title's.
                        || is_initials(prev)
                            && toks.get(end + 1).is_some_and(|n| {
                                n.kind == Kind::Word && is_head_title(tok_text(text, n))
                            });
                    let next_is_name = toks
                        .get(end + 1)
                        .is_some_and(|n| n.kind == Kind::Word && is_capitalised(tok_text(text, n)));
                    // "Tomas Brekke Jr., the director": a suffix's period before a comma is
                    // the name's, so that the appositive after it is found.
                    let suffix = matches!(prev, "Jr" | "Sr")
                        && toks.get(end + 1).is_some_and(|n| tok_text(text, n) == ",");
                    if abbrev && next_is_name || suffix {
                        end += 1;
                    } else {
                        break;
                    }
                }
                Kind::Word => {
                    let w = tok_text(text, &t);
                    if is_capitalised(w) {
                        possessive = ends_name(end);
                        end += 1;
                    } else if ordinal_rank(text, toks, end) {
                        // "Navy 1st Lt. Oren Valde": a rank's ordinal is part of the title.
                        end += 1;
                    } else if (is_connector(w)
                        // "Ministry of Energy and Industry", but not "Okafor and Lindqvist".
                        || w == "and"
                            && (start..end).any(|k| {
                                is_org_word(tok_text(text, &toks[k]))
                            }))
                        && toks.get(end + 1).is_some_and(|n| {
                            n.kind == Kind::Word && is_capitalised(tok_text(text, n))
                        })
                    {
                        end += 1;
                    } else {
                        break;
                    }
                }
                // A nickname between first name and surname: Amara “Rocket” Diallo-Strand.
                Kind::Quote(_)
                    if t.end - t.start <= 40
                        && !text[t.start..t.end].contains([',', '.', '!', '?'])
                        && is_capitalised(tok_text(text, &toks[end - 1]))
                        && toks.get(end + 1).is_some_and(|n| {
                            n.kind == Kind::Word && is_capitalised(tok_text(text, n))
                        }) =>
                {
                    end += 1;
                }
                _ => break,
            }
        }
        if let Some(c) = clean_chunk(text, toks, start, end, &mut scratch) {
            // "Ana Obi of Carrow, Veldmoor says": the place goes on after a comma, and the
            // person's chunk takes it in, so that the verb's subject is the person, not the
            // place. Not a second person ("Ana Obi of Carrow, Tomas Lind and …").
            let goes_on = chunks.last().is_some_and(|p: &Chunk| {
                p.of_place
                    && p.tok_end + 1 == c.tok_start
                    && tok_text(text, &toks[p.tok_end]) == ","
                    && c.title.is_none()
                    && c.words.len() <= 2
                    && !is_given_name(c.words[0])
            });
            if goes_on {
                chunks.last_mut().expect("a chunk").tok_end = c.tok_end;
            } else {
                chunks.push(c);
            }
        }
        i = end;
    }
    chunks
}

/// Whether `w` is a capitalised word with a lower-case descriptor after its hyphen
/// (`Carrow-based`, `Oscar-winner`, `Senate-backed`, `Clinton-era`), not a name's part: a
/// hyphenated given name (`Ji-won`, `Jean-luc`) has no such word after its hyphen.
fn is_descriptor(w: &str) -> bool {
    const AFTER: &[&str] = &[
        "based",
        "born",
        "bred",
        "raised",
        "run",
        "led",
        "backed",
        "linked",
        "era",
        "winner",
        "winning",
        "owned",
        "funded",
        "affiliated",
        "allied",
        "aligned",
        "controlled",
        "made",
        "style",
        "area",
        "wide",
        "appointed",
        "leaning",
        "friendly",
        "focused",
        "inspired",
    ];
    // Bytes, not `rsplit_once`: this runs for words of every longer name run.
    let Some(hyphen) = w.bytes().rposition(|b| b == b'-') else { return false };
    hyphen > 0 && AFTER.contains(&&w[hyphen + 1..])
}

/// Whether the word at `k`, inside a run of capitalised words, is the ordinal of a rank
/// with a name after it: `Navy 1st Lt. Oren Valde`, `Air Guard 2nd Lt Ilse Brandt`. Not after a
/// stop word (`The 2nd Lt. in charge`), nor before a title with no name after it.
fn ordinal_rank(text: &str, toks: &[Tok], k: usize) -> bool {
    let w = tok_text(text, &toks[k]);
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !matches!(&w[digits..], "st" | "nd" | "rd" | "th") {
        return false;
    }
    let word = |i: usize| toks.get(i).filter(|t| t.kind == Kind::Word).map(|t| tok_text(text, t));
    let capitalised = |i: usize| word(i).is_some_and(is_capitalised);
    let before = word(k - 1).is_some_and(|p| !cues::is_stop_cap(p));
    let rank = word(k + 1).is_some_and(|t| is_capitalised(t) && is_head_title(t));
    let dot = toks.get(k + 2).is_some_and(|t| tok_text(text, t) == ".");
    before && rank && capitalised(k + 2 + usize::from(dot))
}

/// Whether `w` is initials joined by periods, the last period left off: `U.S`, `U.N`, `D.C`.
fn is_initials(w: &str) -> bool {
    w.len() >= 3
        && w.split('.').all(|part| part.len() == 1 && part.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Whether `w` names a day of the week, which no name of a person or body ends with.
fn is_weekday(w: &str) -> bool {
    // The first letter and the length first: this runs for the last word of every name run.
    let b = w.as_bytes();
    if b.len() < 6 || !matches!(b[0], b'M' | b'T' | b'W' | b'F' | b'S') {
        return false;
    }
    matches!(
        strip_possessive(w),
        "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

/// Whether the stop word that opens `words` is the first word of a name after all: `New`
/// before another capitalised word (`New Carrow`, `New Carrow City Council`), and `Will` or
/// `May` as a given name after a lower-case word (`said Will Doyle`), where no sentence or
/// question can start.
fn opens_name(text: &str, toks: &[Tok], words: &[(usize, &str)]) -> bool {
    let [(k, w), _, ..] = words else { return false };
    match *w {
        "New" => true,
        "Will" | "May" => {
            *k > 0
                && (toks[k - 1].kind == Kind::Word
                    && !is_capitalised(tok_text(text, &toks[k - 1]))
                    // "“…,” Will Estrada said": after a quotation that ends with a comma, its
                    // attribution follows, not a question.
                    || matches!(toks[k - 1].kind, Kind::Quote(_))
                        && crate::quote::text::ends_with_inner_comma(tok_text(text, &toks[k - 1])))
        }
        _ => false,
    }
}

/// Turns a raw capitalised run into a chunk: drops sentence-initial function words, splits
/// off the title, classifies the kind. Returns None when nothing name-like is left.
/// `words_at` is scratch space for the run's words.
fn clean_chunk<'a>(
    text: &'a str,
    toks: &[Tok],
    start: usize,
    end: usize,
    words_at: &mut Vec<(usize, &'a str)>,
) -> Option<Chunk<'a>> {
    words_at.clear();
    words_at.extend((start..end).filter(|&k| toks[k].kind == Kind::Word).map(|k| {
        // Initials keep their period: "J. R. Okafor".
        let t = toks[k];
        let w = tok_text(text, &t);
        let dotted = w.chars().count() == 1
            && toks.get(k + 1).is_some_and(|n| n.start == t.end && tok_text(text, n) == ".");
        (k, if dotted { &text[t.start..t.end + 1] } else { w })
    }));
    // Drop leading stop words ("But", "On", "The"), dangling connectors, and "Of" opening a
    // sentence on its topic ("Of Okafor, Varga said …").
    let mut first = 0;
    while first < words_at.len()
        && (cues::is_stop_cap(strip_possessive(words_at[first].1))
            || is_connector(words_at[first].1)
            || words_at[first].1 == "Of")
        && !opens_name(text, toks, &words_at[first..])
    {
        first += 1;
    }
    // "Carrow-based Ana Obi", "Oscar-winner Ines Marr": a capitalised word with a descriptor
    // after its hyphen describes the person named after it and is no part of the name. Only
    // before two words or more: before one ("Carrow-based Republican strategist Ana Obi") the
    // run is a description the attribution reads past to the name, as it always did.
    // (Only words with two after them are looked at: most runs have one or two words.)
    let described = words_at.len().saturating_sub(2).max(first);
    if let Some(d) = words_at[first..described].iter().rposition(|(_, w)| is_descriptor(w)) {
        first += d + 1;
    }
    // Drop dangling connectors, and a weekday after a name: "said Ilse Marr Sunday", "Tallis
    // Tuesday called it" (news style puts the day right after the speaker).
    let mut words: &[(usize, &'a str)] = &words_at[first..];
    while let Some(((_, w), rest)) = words.split_last() {
        if !is_connector(w) && !is_weekday(w) {
            break;
        }
        words = rest;
    }
    if words.is_empty() {
        return None;
    }
    let tok_start = words[0].0;
    // The title ends at the last head title that still has a name after it; the words of an
    // institution may belong to the title ("Senate Majority Leader Mitch McConnell").
    let org_word = |w: &str| is_org_word(strip_possessive(w));
    let mut title_end = 0;
    for (k, (_, w)) in words.iter().enumerate() {
        if k + 1 < words.len()
            && is_head_title(w)
            && !words[k + 1..].iter().any(|(_, x)| org_word(x))
        {
            // "Ana T. King of Carrow", "Rep. Ana Major": a title word after an initial, or
            // after a given name that follows a title, is a surname, and the title ended
            // before the name. (A given name before any title may be a place's: a town called
            // Mara, "Mara Editor Ana Obi".)
            let named = words[title_end..k].iter().any(|(_, x)| {
                x.chars().count() == 2 && x.ends_with('.')
                    || title_end > 0 && !is_title(x) && is_given_name(x)
            });
            if named {
                break;
            }
            title_end = k + 1;
        }
    }
    let is_org = words[title_end..].iter().any(|(_, w)| org_word(w));
    let mut name_start = title_end;
    let after_connector =
        title_end > 0 && words.get(title_end).is_some_and(|(_, w)| is_connector(w));
    // "the MP for Wrenhythe", "Mayor of Carrow": too few words after the connector for both a
    // portfolio and a name, so the words name the place of an office, not its holder.
    if after_connector && words.len() == title_end + 2 {
        return None;
    }
    // "Secretary of State Adaeze Okafor", "Minister for Coastal Affairs Ines Varga": after a
    // title with a connector, the person is the last two words (three with a particle).
    if after_connector {
        let n = words.len();
        let keep = if n >= 3 && PARTICLES.contains(&words[n - 2].1) { 3 } else { 2 };
        name_start = n.saturating_sub(keep).max(title_end + 1);
        // "Secretary of State Varga", "Minister of Finance Okafor": a portfolio of one word and
        // a surname, when that word is part of the office.
        if n == title_end + 3 && PORTFOLIO_WORDS.contains(&lower(words[title_end + 1].1).as_str()) {
            name_start = n - 1;
        }
    }
    let title = (name_start > 0).then(|| {
        let from = toks[words[0].0].start;
        let to = toks[words[name_start - 1].0].end;
        let mut t = text[from..to].to_string();
        if toks.get(words[name_start - 1].0 + 1).is_some_and(|n| tok_text(text, n) == ".") {
            t.push('.');
        }
        t
    });
    // "Ana Obi of New Carrow": a person's name ends before "of"; the rest is where they are
    // from. Not an organisation's ("Bank of Veld").
    let of = words[name_start + 1..].iter().position(|(_, w)| *w == "of");
    let name_end = match of {
        Some(i) if !is_org && is_given_name(words[name_start].1) => name_start + 1 + i,
        _ => words.len(),
    };
    // Only the last word's possessive goes: "Sheriff's Office" keeps its own.
    let last = (name_end - name_start).saturating_sub(1);
    let mut name = NameWords::default();
    for (k, &(_, w)) in words[name_start..name_end].iter().enumerate() {
        let w = if k == last { strip_possessive(w) } else { w };
        if !w.is_empty() {
            name.push(w);
        }
    }
    if name.is_empty() {
        return None;
    }
    // A dateline ("HARROWBY — Mayor Lind said", "CARROW, Veldmoor (Wire) —") names a place.
    if start == 0 && is_dateline(text, toks, end) {
        return None;
    }
    // "Weighing in on the vote, Okafor …", "Speaking to reporters, …": a participle opening
    // the sentence, followed by its preposition or object, is not a name.
    if name.len() == 1 && title.is_none() && opens_participle(text, toks, tok_start, end) {
        return None;
    }
    // A lone capitalised word that is a title or role ("Senator", "Police") is not a name.
    if name.len() == 1 && title.is_none() && is_head_title(name[0]) {
        return None;
    }
    // "Hours later, Okafor …", "Weeks before the vote": a span of time opening a sentence.
    if name.len() == 1 && title.is_none() && TIME_SPANS.contains(&name[0]) {
        return None;
    }
    // "New Carrow", "New Mara": "New" opens the names of places, not of people.
    let place =
        title.is_none() && (name.last().is_some_and(|w| is_place_word(w)) || name[0] == "New");
    let kind = if is_org {
        EntityKind::Org
    } else if place {
        EntityKind::Unknown
    } else if title.is_some() || name.len() >= 2 && looks_like_a_name(&name) {
        EntityKind::Person
    } else {
        EntityKind::Unknown
    };
    // "in Veldmoor", "at the Port of Veld".
    let word_before = |k: usize| {
        (k > 0 && toks[k - 1].kind == Kind::Word).then(|| lower(tok_text(text, &toks[k - 1])))
    };
    let after_preposition = match word_before(tok_start).as_deref() {
        Some("the") => {
            word_before(tok_start - 1).is_some_and(|w| PLACE_PREPOSITIONS.contains(&w.as_str()))
        }
        Some(w) => PLACE_PREPOSITIONS.contains(&w),
        None => false,
    };
    // "in New Harlow", "from Port Alder": two capitalised words after a preposition are more
    // often a place than a person; other mentions can still show it is a person.
    let kind = if after_preposition && kind == EntityKind::Person && title.is_none() {
        EntityKind::Unknown
    } else {
        kind
    };
    Some(Chunk {
        tok_start,
        tok_end: end,
        words: name,
        title,
        kind,
        after_preposition,
        of_place: name_end < words.len(),
        entity: None,
    })
}

/// Spans of time, capitalised when they open a sentence ("Moments later, …"): never a name.
const TIME_SPANS: &[&str] = &[
    "Seconds", "Minutes", "Moments", "Hours", "Days", "Nights", "Weeks", "Months", "Years",
    "Decades",
];

/// Whether a run of two or more capitalised words without a title can be a person's name:
/// not words in capitals (`FULL TEXT`), no function word or verb inside (`Experience Of
/// Serving Under Obama`, `Ruling Explains Why`), and no more than three words unless a given
/// name stands before the last (`House Intelligence Republican Mike Pompeo`).
fn looks_like_a_name(words: &[&str]) -> bool {
    let capitals =
        words.iter().all(|w| w.chars().count() >= 2 && !w.chars().any(char::is_lowercase));
    let inner_function_word = words[1..]
        .iter()
        .any(|w| cues::is_stop_cap(w) || cues::is_cue(w) || w.len() > 5 && w.ends_with("ing"));
    let given = || words[..words.len() - 1].iter().any(|w| is_given_name(w));
    !capitals && !inner_function_word && (words.len() <= 3 || given())
}

/// Whether the paragraph opens with a dateline that ends at token `end`: words in capitals
/// followed by a dash, a comma or a parenthesis (`HARROWBY —`, `CARROW, Veldmoor —`).
fn is_dateline(text: &str, toks: &[Tok], end: usize) -> bool {
    let caps = toks[..end]
        .iter()
        .all(|t| t.kind != Kind::Word || !tok_text(text, t).chars().any(char::is_lowercase));
    caps && toks.get(end).is_some_and(|n| {
        n.kind == Kind::Punct && matches!(tok_text(text, n), "—" | "–" | "-" | "," | "(")
    })
}

/// Whether the one-word run `start..end` is a participle opening its sentence (`Speaking to
/// reporters`, `Appearing on the show`): an `-ing` word at the sentence start followed by a
/// preposition, particle or determiner.
fn opens_participle(text: &str, toks: &[Tok], start: usize, end: usize) -> bool {
    let w = tok_text(text, &toks[start]);
    let at_start = start == 0
        || matches!(toks[start - 1].kind, Kind::Quote(_))
        || crate::quote::text::ends_sentence(text, toks, start - 1);
    at_start
        && w.len() > 5
        && w.ends_with("ing")
        && toks.get(end).is_some_and(|n| {
            n.kind == Kind::Word
                && matches!(
                    tok_text(text, n),
                    "in" | "on"
                        | "at"
                        | "to"
                        | "with"
                        | "for"
                        | "about"
                        | "from"
                        | "into"
                        | "through"
                        | "over"
                        | "after"
                        | "before"
                        | "up"
                        | "out"
                        | "off"
                        | "back"
                        | "down"
                        | "the"
                        | "a"
                        | "an"
                        | "his"
                        | "her"
                        | "their"
                        | "its"
                )
        })
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::quote::text::tokenize;

    fn chunks(text: &str) -> Vec<(String, Option<String>, EntityKind)> {
        let toks = tokenize(text, &[]);
        find_chunks(text, &toks).into_iter().map(|c| (c.words.join(" "), c.title, c.kind)).collect()
    }

    #[test]
    fn name_chunks() {
        use EntityKind::*;
        let s = |x: &str| x.to_string();
        // (name, text, expected (name, title, kind) chunks)
        let cases: Vec<(&str, &str, Vec<(String, Option<String>, EntityKind)>)> = vec![
            ("full name", "said Adaeze Okafor today", vec![(s("Adaeze Okafor"), None, Person)]),
            (
                "a place's descriptor before the name",
                "said Carrow-based Ana Obi",
                vec![(s("Ana Obi"), None, Person)],
            ),
            (
                "a prize's descriptor after an adjective",
                "Liberal Oscar-winner Ines Marr said",
                vec![(s("Ines Marr"), None, Person)],
            ),
            (
                "a descriptor before one word stays (negative)",
                "said Carrow-based Republican strategist",
                vec![(s("Carrow-based Republican"), None, Person)],
            ),
            (
                "a hyphenated given name stays (negative)",
                "said Park Ji-won",
                vec![(s("Park Ji-won"), None, Person)],
            ),
            (
                "a sentence adverb opening the sentence",
                "Nevertheless Okafor said",
                vec![(s("Okafor"), None, Unknown)],
            ),
            (
                "a span of time opening the sentence",
                "Hours later, Okafor said",
                vec![(s("Okafor"), None, Unknown)],
            ),
            (
                "a name with a time's word in it stays (negative)",
                "said Ana Days",
                vec![(s("Ana Days"), None, Person)],
            ),
            (
                "a person of a town, then a region after a comma",
                "Ines Varga of Carrow, Veldmoor says",
                vec![(s("Ines Varga"), None, Person)],
            ),
            (
                "a person of a town, then another person (negative)",
                "Ines Varga of Carrow, Tomas Lind says",
                vec![(s("Ines Varga"), None, Person), (s("Tomas Lind"), None, Person)],
            ),
            (
                "a contraction opening the sentence",
                "I’m told Okafor said",
                vec![(s("Okafor"), None, Unknown)],
            ),
            (
                "an adverb inside a name stays (negative)",
                "said Ana Still",
                vec![(s("Ana Still"), None, Unknown)],
            ),
            (
                "weekday after the name",
                "said Ilse Marr Sunday",
                vec![(s("Ilse Marr"), None, Person)],
            ),
            (
                "weekday after a surname and before the verb",
                "and Tallis Tuesday called it",
                vec![(s("Tallis"), None, Unknown)],
            ),
            (
                "a month after the name stays: it may be the surname (negative)",
                "said Theresa May",
                vec![(s("Theresa May"), None, Unknown)],
            ),
            (
                "abbreviated title",
                "Sen. Adaeze Okafor said",
                vec![(s("Adaeze Okafor"), Some(s("Sen.")), Person)],
            ),
            (
                "multiword title",
                "Finance Minister Adaeze Okafor said",
                vec![(s("Adaeze Okafor"), Some(s("Finance Minister")), Person)],
            ),
            (
                "title with of",
                "Secretary of State Adaeze Okafor said",
                vec![(s("Adaeze Okafor"), Some(s("Secretary of State")), Person)],
            ),
            ("sentence start dropped", "But Okafor said", vec![(s("Okafor"), None, Unknown)]),
            ("possessive", "Okafor’s plan", vec![(s("Okafor"), None, Unknown)]),
            (
                "organisation",
                "the Ministry of Coastal Affairs said",
                vec![(s("Ministry of Coastal Affairs"), None, Org)],
            ),
            ("particle", "Ana de Souza said", vec![(s("Ana de Souza"), None, Person)]),
            ("initial", "J. R. Okafor said", vec![(s("J. R. Okafor"), None, Person)]),
            (
                "full title ends a sentence",
                "the director of the Brannock Ferry Company. He added",
                vec![(s("Brannock Ferry Company"), None, Org)],
            ),
            (
                "full title ends a sentence before a name",
                "they met the Mayor. Tobi Lindqvist said",
                vec![(s("Tobi Lindqvist"), None, Person)],
            ),
            (
                "a person from a place",
                "said Representative Ana T. King of New Carrow today",
                vec![(s("Ana T. King"), Some(s("Representative")), Person)],
            ),
            (
                "a place before a title is no given name (negative)",
                "said Maryland Gov. Ana Obi today",
                vec![(s("Ana Obi"), Some(s("Maryland Gov.")), Person)],
            ),
            (
                "an organisation of a place keeps its of (negative)",
                "said the Bank of New Carrow today",
                vec![(s("Bank of New Carrow"), None, Org)],
            ),
            (
                "New opens a place's name",
                "said New Carrow Mayor Tobi Lindqvist",
                vec![(s("Tobi Lindqvist"), Some(s("New Carrow Mayor")), Person)],
            ),
            (
                "New opens a place, not a person",
                "the New Mara governor said",
                vec![(s("New Mara"), None, Unknown)],
            ),
            (
                "a given name that is a modal verb",
                "said Will Harrowby",
                vec![(s("Will Harrowby"), None, Person)],
            ),
            (
                "a modal verb opening a question (negative)",
                "Will Harrowby run again?",
                vec![(s("Harrowby"), None, Unknown)],
            ),
            (
                "abbreviated title inside a name (negative)",
                "Mx. Rowan Tallis said",
                vec![(s("Rowan Tallis"), Some(s("Mx.")), Person)],
            ),
            ("apostrophe name", "Niamh O’Neill said", vec![(s("Niamh O’Neill"), None, Person)]),
            ("title alone (negative)", "The Senator said", vec![]),
            ("weekday (negative)", "On Monday it rained", vec![]),
            (
                "opening participle (negative)",
                "Speaking to reporters, Okafor said",
                vec![(s("Okafor"), None, Unknown)],
            ),
            ("name ending in -ing", "Manning said on Monday", vec![(s("Manning"), None, Unknown)]),
            ("dateline (negative)", "HARROWBY — Okafor said", vec![(s("Okafor"), None, Unknown)]),
            (
                "words in capitals (negative)",
                "FULL TEXT follows",
                vec![(s("FULL TEXT"), None, Unknown)],
            ),
            (
                "a function word inside (negative)",
                "the Experience Of Serving Under Okafor",
                vec![(s("Experience Of Serving Under Okafor"), None, Unknown)],
            ),
            (
                "a long run with a given name",
                "Veld Harbour Liberal Dina Oyelaran said",
                vec![(s("Veld Harbour Liberal Dina Oyelaran"), None, Person)],
            ),
            (
                "a long run without one (negative)",
                "the Port Veld Liberal Regatta Picnic",
                vec![(s("Port Veld Liberal Regatta Picnic"), None, Unknown)],
            ),
            (
                "capitals that are no dateline",
                "NATO said on Monday",
                vec![(s("NATO"), None, Unknown)],
            ),
        ];
        for (name, text, want) in cases {
            assert_eq!(chunks(text), want, "case {name}");
        }
    }

    #[test]
    fn name_words_spill_past_four() {
        let mut n = NameWords::default();
        let all = ["Ana", "Maria", "de", "la", "Souza", "Okafor"];
        for (k, w) in all.iter().enumerate() {
            n.push(w);
            assert_eq!(&n[..], &all[..=k]);
        }
    }
}
