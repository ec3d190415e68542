//! Names in an article's narrative text: finding capitalised name chunks, stripping titles,
//! and resolving every later reference (surname, first name, pronoun, role noun) to one entity.
//!
//! `names` knows nothing of quotations beyond the token stream `text` gives it; `attribute`
//! asks it who a noun phrase refers to at a given position.

use super::cues::{self, Gender, WordSet};
use super::fasthash::FastMap;
use super::text::{
    ends_sentence, is_capitalised, strip_possessive, tok_text, with_lowercase, Kind, Tok,
};

/// A position in the article: paragraph index, then token index.
pub type Pos = (usize, usize);

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
fn is_connector(w: &str) -> bool {
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
const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "at", "from", "near", "across", "outside", "inside", "around", "into", "toward",
    "towards", "through",
];

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn is_title(word: &str) -> bool {
    static SET: WordSet = WordSet::new(TITLE_MODIFIERS);
    is_head_title(word) || SET.contains(word)
}

fn is_head_title(word: &str) -> bool {
    static SET: WordSet = WordSet::new(HEAD_TITLES);
    SET.contains(word)
}

fn is_org_word(word: &str) -> bool {
    static SET: WordSet = WordSet::new(ORG_WORDS);
    SET.contains(word)
}

fn is_place_word(word: &str) -> bool {
    static SET: WordSet = WordSet::new(PLACE_WORDS);
    SET.contains(word)
}

/// Expands an abbreviated title to its word (`Sen.` -> `Senator`); honorifics give no role.
pub fn title_role(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut out = Vec::new();
    for w in words {
        let w = w.trim_end_matches('.');
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
            "supt" => "Superintendent",
            "cllr" => "Councillor",
            "rev" => "Reverend",
            "adm" => "Admiral",
            "cmdr" => "Commander",
            _ => w,
        };
        out.push(expanded.to_string());
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// Gender implied by an honorific or title.
fn title_gender(title: &str) -> Option<Gender> {
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
                    // word follows and the word before is a title or an initial.
                    let prev = tok_text(text, &toks[end - 1]);
                    let abbrev = is_title(prev) || prev.chars().count() == 1;
                    let next_is_name = toks
                        .get(end + 1)
                        .is_some_and(|n| n.kind == Kind::Word && is_capitalised(tok_text(text, n)));
                    if abbrev && next_is_name {
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
            chunks.push(c);
        }
        i = end;
    }
    chunks
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
    // Drop leading stop words ("But", "On", "The") and dangling connectors.
    let mut first = 0;
    while first < words_at.len()
        && (cues::is_stop_cap(strip_possessive(words_at[first].1))
            || is_connector(words_at[first].1))
    {
        first += 1;
    }
    let mut words: &[(usize, &'a str)] = &words_at[first..];
    while let Some(((_, w), rest)) = words.split_last() {
        if !is_connector(w) {
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
    // Only the last word's possessive goes: "Sheriff's Office" keeps its own.
    let last = (words.len() - name_start).saturating_sub(1);
    let mut name = NameWords::default();
    for (k, &(_, w)) in words[name_start..].iter().enumerate() {
        let w = if k == last { strip_possessive(w) } else { w };
        if !w.is_empty() {
            name.push(w);
        }
    }
    if name.is_empty() {
        return None;
    }
    // A lone capitalised word that is a title or role ("Senator", "Police") is not a name.
    if name.len() == 1 && title.is_none() && is_head_title(name[0]) {
        return None;
    }
    let place = title.is_none() && name.last().is_some_and(|w| is_place_word(w));
    let kind = if is_org {
        EntityKind::Org
    } else if place {
        EntityKind::Unknown
    } else if title.is_some() || name.len() >= 2 {
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
        entity: None,
    })
}

/// Someone or something the article names.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name: the fullest form the article uses, without title.
    pub name: String,
    /// The name's words lower-cased and joined by spaces (see [`key_into`]), for comparing
    /// with other mentions.
    key: String,
    pub kind: EntityKind,
    /// Named after `in`, `at`, `from`… somewhere in the article: probably a place.
    pub place_like: bool,
    /// Title or appositive describing the entity (`Senator`, `chief economist at Norbank`).
    pub role: Option<String>,
    /// Lower-cased words of the title and role, for `the senator said`.
    pub role_words: Vec<String>,
    male: u32,
    female: u32,
}

impl Entity {
    pub fn gender(&self) -> Option<Gender> {
        match self.male.cmp(&self.female) {
            std::cmp::Ordering::Greater => Some(Gender::Male),
            std::cmp::Ordering::Less => Some(Gender::Female),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// A place where an entity is named; `subject` when it is the subject of its sentence.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub entity: usize,
    pub pos: Pos,
    pub subject: bool,
}

/// Everyone and everything an article names, with every mention in text order.
#[derive(Debug, Default)]
pub struct Entities {
    pub list: Vec<Entity>,
    /// Mentions in the narrative, sorted by position.
    pub mentions: Vec<Mention>,
    /// Positions of quotations attributed so far, sorted (attribution runs in text order).
    speakers: Vec<Mention>,
    /// Per entity: sorted positions of its narrative mentions and of its quotations.
    positions: Vec<Vec<Pos>>,
    spoke_at: Vec<Vec<Pos>>,
    /// Key (see [`key_into`]) -> entity.
    by_words: FastMap<String, usize>,
    /// Lower-cased word -> entities with at least two words that contain it.
    by_word: FastMap<String, Vec<usize>>,
    /// Lower-cased first and last word, joined by a space -> entity.
    by_first_last: FastMap<String, usize>,
}

/// Writes the key of a name's words into `out`: the words lower-cased and joined by single
/// spaces. Words are tokens, which never hold white space, so the key tells the word lists
/// apart as well as the lists themselves would; a reused buffer makes a look-up allocate
/// nothing.
fn key_into(words: &[&str], out: &mut String) {
    out.clear();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        with_lowercase(w, |l| out.push_str(l));
    }
}

/// The first word of a key.
fn first_word(key: &str) -> &str {
    key.split(' ').next().unwrap_or(key)
}

/// The last word of a key.
fn last_word(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

impl Entities {
    /// Builds the entity table from every paragraph's chunks (filling `chunk.entity`), learning
    /// roles from titles and appositives and gender from honorifics and nearby pronouns.
    pub fn build(paras: &mut [(&str, &[Tok], Vec<Chunk>)]) -> Entities {
        let mut ents = Entities::default();
        // Every chunk is mentioned once and makes at most one entity: room for all of them
        // up front instead of growing the tables step by step.
        let chunks: usize = paras.iter().map(|(_, _, c)| c.len()).sum();
        ents.mentions.reserve(chunks);
        ents.by_words.reserve(chunks);
        let mut key = String::new();
        // Pass 1: full names first, so a surname used before the full name still resolves.
        for (_, _, chunks) in paras.iter() {
            for c in chunks {
                if c.words.len() >= 2 {
                    key_into(&c.words, &mut key);
                    ents.intern(c, &key);
                }
            }
        }
        // Pass 2: every chunk in order, resolving single words to the entities above.
        for (p, (text, toks, chunks)) in paras.iter_mut().enumerate() {
            let mut sentence_persons: Vec<usize> = Vec::new();
            let mut ci = 0;
            let mut ti = 0;
            while ti < toks.len() {
                // With nobody in the sentence nothing happens before the next chunk: clearing
                // the list and the gender evidence for one person both need someone in it.
                if sentence_persons.is_empty() {
                    match chunks.get(ci) {
                        Some(c) => ti = ti.max(c.tok_start),
                        None => break,
                    }
                }
                let t = &toks[ti];
                if ti > 0 && ends_sentence(text, toks, ti - 1) {
                    sentence_persons.clear();
                }
                if ci < chunks.len() && chunks[ci].tok_start == ti {
                    let c = &chunks[ci];
                    let id = if c.words.len() >= 2 {
                        key_into(&c.words, &mut key);
                        ents.by_words.get(key.as_str()).copied()
                    } else {
                        ents.resolve_word(c.words[0], (p, ti))
                    };
                    let id = id.unwrap_or_else(|| {
                        key_into(&c.words, &mut key);
                        ents.intern(c, &key)
                    });
                    ents.learn(id, c, text, toks);
                    let subject = is_subject(text, toks, c);
                    // Whoever says things in the narrative ("Dorothy said she had asked") is a
                    // person, even when only named after "of" or by a first name.
                    if speaks(text, toks, c) && ents.list[id].kind == EntityKind::Unknown {
                        ents.list[id].kind = EntityKind::Person;
                    }
                    ents.mention(id, (p, ti), subject);
                    if ents.list[id].kind == EntityKind::Person {
                        sentence_persons.push(id);
                    }
                    chunks[ci].entity = Some(id);
                    ci += 1;
                }
                // "Okafor, 54, said her …": a possessive/object pronoun after exactly one
                // person in the sentence tells that person's gender.
                if t.kind == Kind::Word && sentence_persons.len() == 1 {
                    if let Some(g) = cues::pronoun_evidence(tok_text(text, t)) {
                        let e = &mut ents.list[sentence_persons[0]];
                        match g {
                            Gender::Male => e.male += 1,
                            Gender::Female => e.female += 1,
                        }
                    }
                }
                ti += 1;
            }
        }
        ents
    }

    /// The entity of chunk `c`, whose key is `k`, added if new.
    fn intern(&mut self, c: &Chunk, k: &str) -> usize {
        if let Some(&id) = self.by_words.get(k) {
            return id;
        }
        // Same first and last word as a known person: the same person (middle names vary).
        let first_last = k.contains(' ').then(|| format!("{} {}", first_word(k), last_word(k)));
        if let Some(id) = first_last.as_ref().and_then(|fl| self.by_first_last.get(fl)) {
            let id = *id;
            self.by_words.insert(k.to_string(), id);
            return id;
        }
        let id = self.list.len();
        self.list.push(Entity {
            name: c.words.join(" "),
            key: k.to_string(),
            kind: c.kind,
            place_like: false,
            role: None,
            role_words: Vec::new(),
            male: 0,
            female: 0,
        });
        self.positions.push(Vec::new());
        self.spoke_at.push(Vec::new());
        if let Some(fl) = first_last {
            self.by_first_last.insert(fl, id);
            for (i, w) in k.split(' ').enumerate() {
                if !k.split(' ').take(i).any(|seen| seen == w) {
                    self.by_word.entry(w.to_string()).or_default().push(id);
                }
            }
        }
        self.by_words.insert(k.to_string(), id);
        id
    }

    /// Records a narrative mention (called in text order).
    fn mention(&mut self, entity: usize, pos: Pos, subject: bool) {
        self.mentions.push(Mention { entity, pos, subject });
        self.positions[entity].push(pos);
    }

    /// The last position before `at` where `entity` was named or quoted.
    fn last_seen_before(&self, entity: usize, at: Pos) -> Option<Pos> {
        let before = |v: &[Pos]| {
            let i = v.partition_point(|p| *p < at);
            i.checked_sub(1).map(|i| v[i])
        };
        before(&self.positions[entity]).max(before(&self.spoke_at[entity]))
    }

    /// Learns role and gender from a chunk's title and the appositive after it.
    fn learn(&mut self, id: usize, c: &Chunk, text: &str, toks: &[Tok]) {
        let e = &mut self.list[id];
        e.place_like |= c.after_preposition;
        if c.kind == EntityKind::Person && e.kind == EntityKind::Unknown {
            e.kind = EntityKind::Person;
        }
        if let Some(t) = &c.title {
            match title_gender(t) {
                Some(Gender::Male) => e.male += 3,
                Some(Gender::Female) => e.female += 3,
                None => {}
            }
            if let Some(r) = title_role(t) {
                e.role_words.extend(r.split_whitespace().map(lower));
                if e.role.is_none() {
                    e.role = Some(r);
                }
            }
        }
        let app = appositive(text, toks, c.tok_end);
        let before = role_before(text, toks, c.tok_start);
        let person_role = |r: &str| r.split_whitespace().any(is_person_role);
        for r in [before, app].into_iter().flatten() {
            e.role_words.extend(
                r.split_whitespace().map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric()))),
            );
            // "the capital" describes a place: only a person's role makes a person.
            if e.kind == EntityKind::Unknown && person_role(&r) {
                e.kind = EntityKind::Person;
            }
            if e.role.is_none()
                || c.title.is_some()
                    && e.role.as_deref() == c.title.as_deref().and_then(title_role).as_deref()
            {
                e.role = Some(r);
            }
        }
    }

    /// The entity a single name word refers to at `at`: a person or organisation whose last or
    /// first name is that word, most recently mentioned before `at`, else first named after.
    pub fn resolve_word(&self, word: &str, at: Pos) -> Option<usize> {
        with_lowercase(word, |w| self.resolve_lower_word(w, at))
    }

    /// [`Self::resolve_word`] for a lower-cased word.
    fn resolve_lower_word(&self, w: &str, at: Pos) -> Option<usize> {
        let candidates: Vec<usize> = self
            .by_word
            .get(w)
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|&id| {
                        let e = &self.list[id];
                        e.kind == EntityKind::Org
                            || first_word(&e.key) == w
                            || last_word(&e.key) == w
                    })
                    .take(64)
                    .collect()
            })
            .unwrap_or_default();
        // Two people share a surname (a keeper and his wife): newsrooms use the bare surname for
        // the one the story is about, the one introduced first, and first names for the other.
        let mut people = candidates.iter().copied().filter(|&id| {
            self.list[id].kind == EntityKind::Person && last_word(&self.list[id].key) == w
        });
        if let (Some(a), Some(b)) = (people.next(), people.next()) {
            // Entities are numbered in order of first full-name mention.
            return Some(people.fold(a.min(b), usize::min));
        }
        let recent = candidates
            .iter()
            .filter_map(|&id| self.last_seen_before(id, at).map(|p| (p, id)))
            .max()
            .map(|(_, id)| id);
        recent
            .or_else(|| {
                candidates.iter().copied().find(|&id| self.list[id].kind == EntityKind::Person)
            })
            .or_else(|| candidates.first().copied())
            .or_else(|| self.by_words.get(w).copied())
    }

    /// The person a pronoun at `at` most likely refers to: the most recent person who spoke or
    /// was the subject of a sentence, skipping people of the other gender.
    pub fn resolve_pronoun(&self, gender: Option<Gender>, at: Pos) -> Option<usize> {
        let fits = |m: &Mention| {
            let e = &self.list[m.entity];
            let g = e.gender();
            let person = e.kind == EntityKind::Person;
            person && !(gender.is_some() && g.is_some() && g != gender)
        };
        let mut window = self.recent(at).take(400).filter(fits);
        // The subject of this paragraph, else anyone named in it (the first of the window),
        // else the last subject before, else whoever was named last: found in one pass that
        // stops as soon as the answer is known.
        let first = window.next()?;
        if first.subject {
            return Some(first.entity);
        }
        let subject = if first.pos.0 == at.0 {
            window.take_while(|m| m.pos.0 == at.0).find(|m| m.subject)
        } else {
            window.find(|m| m.subject)
        };
        Some(subject.unwrap_or(first).entity)
    }

    /// The organisation `it` refers to: the most recent one named.
    pub fn resolve_it(&self, at: Pos) -> Option<usize> {
        self.recent(at)
            .take(400)
            .find(|m| self.list[m.entity].kind == EntityKind::Org)
            .map(|m| m.entity)
    }

    /// Narrative mentions and attributed quotations before `at`, most recent first.
    fn recent(&self, at: Pos) -> impl Iterator<Item = Mention> + '_ {
        let mut a =
            self.mentions[..self.mentions.partition_point(|m| m.pos < at)].iter().rev().peekable();
        let mut b =
            self.speakers[..self.speakers.partition_point(|m| m.pos < at)].iter().rev().peekable();
        std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y.pos >= x.pos => b.next().copied(),
            (Some(_), _) => a.next().copied(),
            (None, _) => b.next().copied(),
        })
    }

    /// The entity a role noun (`the senator`, `the ministry`, `the company`) refers to: the
    /// most recent one whose title, role or name contains the noun.
    pub fn resolve_role(&self, noun: &str, at: Pos) -> Option<usize> {
        let n = lower(noun);
        let has = |e: &Entity| {
            e.role_words.iter().any(|w| *w == n || w.trim_end_matches('s') == n)
                || e.key.split(' ').any(|w| w == n)
        };
        if let Some(m) = self.recent(at).take(400).find(|m| has(&self.list[m.entity])) {
            return Some(m.entity);
        }
        if let Some(e) = self.list.iter().take(1000).position(has) {
            return Some(e);
        }
        // "the company", "the club", "the firm", "the spokesman": the most recent organisation.
        if ORG_NOUNS.contains(&n.as_str()) || n.starts_with("spokes") {
            return self
                .recent(at)
                .take(400)
                .find(|m| self.list[m.entity].kind == EntityKind::Org)
                .map(|m| m.entity);
        }
        None
    }

    /// Records that `id` spoke at `at`, so later pronouns can find them. Called in text order.
    pub fn add_speaker_mention(&mut self, id: usize, at: Pos) {
        if self.speakers.last().is_some_and(|m| m.pos > at) {
            return; // out of order (never in practice): keep the lists sorted
        }
        self.speakers.push(Mention { entity: id, pos: at, subject: true });
        self.spoke_at[id].push(at);
    }

    /// The most recent person named before `at` other than `other`: who answers a question
    /// put by `other`.
    /// A subject or a speaker comes first ("Under cross-examination by McGinley, Brekke
    /// acknowledged she had never met Hjelmstad-Obi": Brekke, not Hjelmstad-Obi).
    pub fn last_person_other_than(&self, at: Pos, other: usize) -> Option<usize> {
        let mut people = self
            .recent(at)
            .take(400)
            .filter(|m| m.entity != other && self.list[m.entity].kind == EntityKind::Person);
        let first = people.next()?;
        let subject = if first.subject { Some(first) } else { people.find(|m| m.subject) };
        Some(subject.unwrap_or(first).entity)
    }

    /// Whether `entity` is named or quoted at or after `from`.
    pub fn mentioned_since(&self, entity: usize, from: Pos) -> bool {
        let later = |ms: &[Mention]| {
            ms[ms.partition_point(|m| m.pos < from)..].iter().any(|m| m.entity == entity)
        };
        later(&self.mentions) || later(&self.speakers)
    }

    /// The most recent subject (else any) person or organisation mention in paragraph `para`.
    pub fn last_in_paragraph(&self, para: usize) -> Option<usize> {
        let from = self.mentions.partition_point(|m| m.pos.0 < para);
        let to = self.mentions.partition_point(|m| m.pos.0 <= para);
        let ms = &self.mentions[from..to];
        let ok = |m: &&Mention| self.list[m.entity].kind != EntityKind::Unknown;
        ms.iter()
            .rev()
            .find(|m| m.subject && ok(m))
            .or_else(|| ms.iter().rev().find(ok))
            .map(|m| m.entity)
    }
}

/// Nouns that refer back to an organisation.
const ORG_NOUNS: &[&str] = &[
    "company",
    "firm",
    "ministry",
    "department",
    "club",
    "council",
    "agency",
    "group",
    "union",
    "government",
    "bank",
    "party",
    "board",
    "authority",
    "organisation",
    "organization",
    "office",
    "team",
    "court",
    "committee",
    "commission",
    "association",
    "federation",
    "operator",
    "airline",
    "retailer",
    "insurer",
    "lender",
    "charity",
    "hospital",
    "school",
    "university",
    "trust",
    "campaign",
    "utility",
    "regulator",
    "police",
    "league",
    "carrier",
    "developer",
    "manufacturer",
    "publisher",
    "broadcaster",
    "network",
    "force",
    "coalition",
];

/// Whether a chunk is its sentence's subject: first in the sentence (after an opening
/// adverbial like "On Monday,"), or directly followed by a verb-like lower-case word.
/// Whether a chunk is directly followed by a speech verb (`Dorothy said`, `Okafor later told`).
fn speaks(text: &str, toks: &[Tok], c: &Chunk) -> bool {
    let mut j = c.tok_end;
    while toks.get(j).is_some_and(|t| t.kind == Kind::Word && cues::is_adverb(tok_text(text, t))) {
        j += 1;
    }
    // Not a verb that is also a plural noun ("Republican claims", "company reports").
    toks.get(j).is_some_and(|t| {
        let w = tok_text(text, t);
        t.kind == Kind::Word
            && !is_capitalised(w)
            && cues::is_cue(w)
            && !cues::is_naming_cue(w)
            && !cues::is_weak_cue(w)
    })
}

fn is_subject(text: &str, toks: &[Tok], c: &Chunk) -> bool {
    // Walk back over a short opening ("But", "On Monday,", "Later,") to the sentence start.
    let mut k = c.tok_start;
    let mut steps = 0;
    while k > 0 && steps < 5 {
        let prev = toks[k - 1];
        if ends_sentence(text, toks, k - 1) || matches!(prev.kind, Kind::Quote(_)) {
            return true;
        }
        let w = tok_text(text, &prev);
        let skippable =
            w == "," || prev.kind == Kind::Word && (cues::is_stop_cap(w) || cues::is_adverb(w));
        if !skippable {
            break;
        }
        k -= 1;
        steps += 1;
    }
    if k == 0 {
        return true;
    }
    // Followed, past an appositive and adverbs, by a speech verb: "Okafor, 54, later said".
    let mut j = c.tok_end;
    if toks.get(j).is_some_and(|t| tok_text(text, t) == ",") {
        if let Some(close) =
            (j + 1..toks.len().min(j + 25)).find(|&m| tok_text(text, &toks[m]) == ",")
        {
            j = close + 1;
        }
    }
    let adverbs_from = j;
    while toks.get(j).is_some_and(|t| t.kind == Kind::Word && cues::is_adverb(tok_text(text, t))) {
        j += 1;
    }
    // A speech verb, an auxiliary ("has insisted", "was gracious"), or a verb form after the
    // name and its appositive ("McAteer lifts the lid", "Eriksen-Mbeki, nicknamed …, lifted").
    toks.get(j).is_some_and(|t| {
        let w = tok_text(text, t);
        t.kind == Kind::Word
            && !is_capitalised(w)
            && (cues::is_cue(w)
                || j > adverbs_from
                || w.ends_with("ed")
                || w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("’s"))
    })
}

/// Whether a word names a person's role: a title (`senator`, `coach`) or an agent noun
/// (`economist`, `organiser`, `spokeswoman`).
pub fn is_person_role(word: &str) -> bool {
    let l = lower(word.trim_matches(|c: char| !c.is_alphanumeric()));
    l.len() > 2
        && (is_title(&l)
            || PERSON_ROLE_WORDS.contains(&l.as_str())
            || ["ist", "er", "or", "ian", "ant", "ent", "man", "woman", "person", "ee"]
                .iter()
                .any(|s| l.ends_with(s)))
}

/// Lower-case role words right before a name: `Falcons coach Renata Dunne` -> `Falcons
/// coach`, `chief economist Iris Pemberton` -> `chief economist`. The last word must be a role.
fn role_before(text: &str, toks: &[Tok], start: usize) -> Option<String> {
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
    while end < toks.len() && end < after + 20 {
        let t = toks[end];
        if matches!(t.kind, Kind::Quote(_)) || ends_sentence(text, toks, end) {
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
    let s = s
        .strip_prefix("a ")
        .or_else(|| s.strip_prefix("an "))
        .or_else(|| s.strip_prefix("the "))
        .unwrap_or(s);
    Some(s.to_string())
}

/// The lower-cased words of a name, titles and honorifics dropped.
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !is_head_title(w) && !matches!(lower(w).as_str(), "the"))
        .map(lower)
        .collect()
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
            ("apostrophe name", "Niamh O’Neill said", vec![(s("Niamh O’Neill"), None, Person)]),
            ("title alone (negative)", "The Senator said", vec![]),
            ("weekday (negative)", "On Monday it rained", vec![]),
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
            ("age (negative)", "Okafor, 54, said", 1, None),
            ("relative clause (negative)", "Okafor, who chairs it, said", 1, None),
            ("list of names (negative)", "Okafor, Lindqvist and Holt", 1, None),
        ];
        for (name, text, after, want) in cases {
            let toks = tokenize(text, &[]);
            assert_eq!(appositive(text, &toks, *after).as_deref(), *want, "case {name}");
        }
    }
}
