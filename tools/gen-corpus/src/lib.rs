//! A deterministic generator of realistic plain-text articles, for benchmarks and crash tests
//! (`cargo run --release -p gen-corpus -- --articles N --out DIR`). Invented names, places and
//! words; every attribution pattern the extractor handles; lengths from 200 to 3000 words; 0 to
//! 15 quotations per article.
//!
//! A development tool beside quoth, not part of it: it depends on nothing of quoth's, so it can
//! never be influenced by the extractor, and the shipped binary holds none of it. quoth's tests
//! and examples use it as a dev-dependency, `bench/` through its binary. The same seed must
//! give the same bytes in every version: benchmark figures are compared across builds on it.

use std::io::Write;
use std::path::Path;

/// A small, fast, deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ven", "dor", "sa", "tel", "bri", "no", "ach", "e", "vi", "un", "gar",
    "os", "li", "ma", "dre", "ku", "ber", "an", "tho", "sil", "ya", "mon", "ek", "ru", "fen", "ta",
    "wen", "hal", "zo", "ist", "ny", "cor", "pe", "lu", "sten", "ad",
];

/// The vocabulary of generated articles (public so benchmarks can build realistic queries).
pub const WORDS: &[&str] = &[
    "the",
    "council",
    "plan",
    "budget",
    "harbour",
    "river",
    "workers",
    "union",
    "vote",
    "week",
    "tariff",
    "trade",
    "minister",
    "ministry",
    "report",
    "families",
    "school",
    "hospital",
    "bridge",
    "road",
    "court",
    "trial",
    "jury",
    "evidence",
    "market",
    "prices",
    "energy",
    "wind",
    "farm",
    "coast",
    "flood",
    "barrier",
    "strike",
    "deal",
    "company",
    "shares",
    "profit",
    "loss",
    "season",
    "match",
    "goal",
    "coach",
    "players",
    "fans",
    "election",
    "campaign",
    "voters",
    "poll",
    "party",
    "coalition",
    "agreement",
    "law",
    "bill",
    "senate",
    "assembly",
    "mayor",
    "residents",
    "town",
    "city",
    "village",
    "port",
    "ferry",
    "rail",
    "line",
    "station",
    "library",
    "museum",
    "festival",
    "music",
    "noise",
    "permit",
    "police",
    "inquiry",
    "safety",
    "inspection",
    "water",
    "supply",
    "housing",
    "rent",
    "tenants",
    "landlords",
    "tax",
    "rate",
    "interest",
    "bank",
    "loan",
    "debt",
    "growth",
    "jobs",
    "factory",
    "steel",
    "fish",
    "grain",
    "exports",
    "imports",
    "border",
    "talks",
    "summit",
    "climate",
    "storm",
    "drought",
    "heat",
    "fire",
    "smoke",
    "air",
    "quality",
    "data",
    "study",
    "research",
    "scientists",
    "patients",
    "doctors",
    "nurses",
    "care",
    "waiting",
    "list",
    "and",
    "of",
    "in",
    "on",
    "for",
    "with",
    "after",
    "before",
    "under",
    "over",
    "between",
    "against",
    "new",
    "old",
    "local",
    "national",
    "regional",
    "public",
    "private",
    "small",
    "large",
    "early",
    "late",
    "first",
    "last",
    "next",
    "final",
    "annual",
    "monthly",
    "higher",
    "lower",
    "longer",
    "said",
    "would",
    "could",
    "should",
    "will",
    "has",
    "had",
    "was",
    "were",
    "is",
    "are",
    "been",
    "more",
    "less",
    "than",
    "about",
    "around",
    "nearly",
    "almost",
    "only",
    "also",
    "still",
    "now",
    "plans",
    "expected",
    "approved",
    "rejected",
    "delayed",
    "announced",
    "closed",
    "opened",
    "raised",
    "cut",
    "spent",
    "built",
    "moved",
    "asked",
    "warned",
    "promised",
    "agreed",
    "failed",
];

const VERBS: &[&str] = &[
    "said",
    "says",
    "told reporters",
    "added",
    "warned",
    "insisted",
    "argued",
    "explained",
    "noted",
    "wrote",
    "stated",
    "later told reporters",
    "reportedly said",
    "conceded",
    "recalled",
];

const ROLES: &[&str] = &[
    "a senator from the north",
    "the finance minister",
    "chief economist at a regional bank",
    "the union's general secretary",
    "a local resident",
    "the club's manager",
    "a spokeswoman",
    "the council leader",
    "a professor of public policy",
    "the company's chief executive",
];

const TITLES: &[&str] =
    &["Sen.", "Mayor", "Dr.", "Judge", "Minister", "Prof.", "Coach", "Councillor"];

fn name_word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
    s[..1].make_ascii_uppercase();
    s
}

/// Size of the generated vocabulary beside the common words.
pub const VOCABULARY: usize = 30_000;

/// Word `rank` of the generated vocabulary: a pronounceable invented word, the same every time.
pub fn vocabulary_word(rank: usize) -> String {
    let n = SYLLABLES.len();
    let mut i = rank + n;
    let mut w = String::new();
    while i > 0 {
        w.push_str(SYLLABLES[i % n]);
        i /= n;
    }
    w
}

/// A rank drawn with Zipf's law (s = 1) over the generated vocabulary, as words occur in text.
pub fn zipf_rank(rng: &mut Rng) -> usize {
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    ((VOCABULARY as f64).powf(u) as usize).saturating_sub(1).min(VOCABULARY - 1)
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    // A third of the words come from a large vocabulary with a natural (Zipf) spread, so that
    // searches are as selective as on real text; the rest are common words.
    let mut s: Vec<String> = (0..words)
        .map(|_| {
            if rng.below(3) == 0 {
                vocabulary_word(zipf_rank(rng))
            } else {
                rng.pick(WORDS).to_string()
            }
        })
        .collect();
    s[0][..1].make_ascii_uppercase();
    format!("{}.", s.join(" "))
}

fn utterance(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    let parts: Vec<String> = (0..n)
        .map(|_| {
            let w = 6 + rng.below(14);
            sentence(rng, w)
        })
        .collect();
    parts.join(" ")
}

/// A speaker in an article: full name, surname, title, role and pronoun.
struct Person {
    full: String,
    surname: String,
    title: &'static str,
    role: &'static str,
    pronoun: &'static str,
}

/// Writes one article of roughly `target_words` words with `quotes` quotations.
pub fn article(rng: &mut Rng, date: &str, target_words: usize, quotes: usize) -> String {
    let people: Vec<Person> = (0..1 + rng.below(4))
        .map(|_| {
            let surname = format!(
                "{}{}",
                name_word(rng),
                if rng.below(5) == 0 { format!("-{}", name_word(rng)) } else { String::new() }
            );
            Person {
                full: format!("{} {surname}", name_word(rng)),
                surname,
                title: rng.pick(TITLES),
                role: rng.pick(ROLES),
                pronoun: if rng.below(2) == 0 { "she" } else { "he" },
            }
        })
        .collect();
    let mut paras: Vec<String> = Vec::new();
    let mut words = 0;
    let mut q = 0;
    let mut introduced = vec![false; people.len()];
    while words < target_words || q < quotes {
        if q < quotes && (words >= target_words || rng.below(3) == 0) {
            let i = rng.below(people.len());
            let p = &people[i];
            let text = utterance(rng);
            let body = text.trim_end_matches('.');
            let verb = rng.pick(VERBS);
            let para = if !introduced[i] {
                introduced[i] = true;
                match rng.below(3) {
                    0 => format!("“{body},” said {} {}, {}.", p.title, p.full, p.role),
                    1 => format!("{} {}, {}, {verb}: “{text}”", p.title, p.full, p.role),
                    _ => format!("“{body},” {}, {}, {verb}.", p.full, p.role),
                }
            } else {
                match rng.below(7) {
                    0 => format!("“{body},” {} {verb}.", p.surname),
                    1 => format!("“{body},” {} {verb}.", p.pronoun),
                    2 => format!(
                        "{} {verb} that the {} was “{}”",
                        p.surname,
                        rng.pick(WORDS),
                        text.to_lowercase()
                    ),
                    3 => format!("“{text}”"),
                    4 => format!("“{},” {} {verb}, “{}”", body, p.surname, utterance(rng)),
                    5 => format!("According to {}, “{}”", p.surname, text.to_lowercase()),
                    _ => format!(
                        "The “{}” {} was {}, {} {verb}.",
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        p.surname
                    ),
                }
            };
            words += para.split_whitespace().count();
            paras.push(para);
            q += 1;
        } else {
            let n = 2 + rng.below(5);
            let text: Vec<String> = (0..n)
                .map(|_| {
                    let w = 8 + rng.below(20);
                    sentence(rng, w)
                })
                .collect();
            let para = text.join(" ");
            words += para.split_whitespace().count();
            paras.push(para);
        }
    }
    let place = name_word(rng).to_uppercase();
    let first = paras.remove(0);
    let mut out = format!("date {date} {place} — {first}\n\n");
    for p in paras {
        out.push_str(&p);
        out.push_str("\n\n");
    }
    out
}

/// Writes `n` articles under `dir` (in subfolders of 1000) from `seed`; returns bytes written.
pub fn write_corpus(dir: &Path, n: usize, seed: u64) -> std::io::Result<u64> {
    let mut rng = Rng::new(seed);
    let mut total = 0u64;
    for i in 0..n {
        let sub = dir.join(format!("{:04}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let date =
            format!("{}-{:02}-{:02}", 2015 + rng.below(11), 1 + rng.below(12), 1 + rng.below(28));
        // Lengths skewed toward news length: mostly 300-900 words, some up to 3000.
        let words = if rng.below(5) == 0 { 900 + rng.below(2100) } else { 200 + rng.below(700) };
        let quotes = rng.below(16);
        let text = article(&mut rng, &date, words, quotes);
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(sub.join(format!("a{i:07}.txt")))?);
        f.write_all(text.as_bytes())?;
        total += text.len() as u64;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary() {
        let words: std::collections::HashSet<String> =
            (0..VOCABULARY).map(vocabulary_word).collect();
        assert_eq!(words.len(), VOCABULARY, "distinct words");
        let mut rng = Rng::new(3);
        let low = (0..10_000).filter(|_| zipf_rank(&mut rng) < 100).count();
        assert!(
            (3_500..6_000).contains(&low),
            "Zipf: about 45% of draws in the top 100, got {low}"
        );
    }

    #[test]
    fn output_never_changes() {
        // Benchmark figures of different builds are compared on the corpus of one seed: these
        // bytes must stay the same. (FNV-1a over the files in name order, worked out on the
        // output of the generator as it stood when it left quoth's binary.)
        let dir = std::env::temp_dir().join(format!("gen-corpus-test-{}", std::process::id()));
        let bytes = write_corpus(&dir, 30, 3).unwrap();
        let mut files: Vec<std::path::PathBuf> =
            std::fs::read_dir(dir.join("0000")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for f in &files {
            for b in std::fs::read(f).unwrap() {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((files.len(), bytes > 0, h), (30, true, 12879827215495916632));
    }

    #[test]
    fn deterministic() {
        let a = article(&mut Rng::new(7), "2020-01-02", 300, 5);
        let b = article(&mut Rng::new(7), "2020-01-02", 300, 5);
        assert_eq!(a, b);
        assert!(a.starts_with("date 2020-01-02 "));
        let other = article(&mut Rng::new(8), "2020-01-02", 300, 5);
        assert_ne!(a, other, "another seed (negative)");
    }
}
