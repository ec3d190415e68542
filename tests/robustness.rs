//! Extraction never panics and stays linear on hostile input: floods of quotation marks, huge
//! paragraphs, unbalanced marks and arbitrary Unicode. Claim checks never panic either: on
//! floods of brackets, full stops and marks, and on random claims, they answer or refuse with a
//! one-line reason.

use std::path::Path;

use quoth::article::parse_plain;
use quoth::quote::extract;

/// A small deterministic generator (xorshift), so failures reproduce without extra crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn extract_text(text: &str) -> usize {
    let a = parse_plain(Path::new("fuzz.txt"), text);
    let quotes = extract(&a);
    for q in &quotes {
        // Offsets always point inside their paragraphs, on character boundaries.
        assert!(q.paragraph <= q.end_paragraph && q.end_paragraph < a.paragraphs.len());
        assert!(a.paragraphs[q.paragraph].is_char_boundary(q.start));
        assert!(a.paragraphs[q.end_paragraph].is_char_boundary(q.end));
    }
    quotes.len()
}

#[test]
fn hostile_inputs() {
    let marks = "“".repeat(10_000);
    let closing = "”".repeat(10_000);
    let mixed = "“a” ‘b’ \"c\" ’ ‘ ” “ ".repeat(2_000);
    let huge = format!("date 2020-01-01\n\n{}", "“Quote here,” Okafor said. ".repeat(200_000));
    let unbalanced = "Okafor said: “one ‘two “three ‘four ".repeat(5_000);
    let apostrophes = "don’t it’s ’90s rock ’n’ roll O’Neill’s workers’ ".repeat(10_000);
    let colons = "Q: A: B: C: ".repeat(5_000);
    let names = "Sen. Dr. Mr. Okafor Lindqvist Varga-Holm, ".repeat(20_000);
    for (name, text) in [
        ("10 000 opening marks", marks.as_str()),
        ("10 000 closing marks", closing.as_str()),
        ("mixed marks", mixed.as_str()),
        ("5 MB paragraph", huge.as_str()),
        ("unbalanced", unbalanced.as_str()),
        ("apostrophes", apostrophes.as_str()),
        ("labels", colons.as_str()),
        ("names", names.as_str()),
    ] {
        let n = extract_text(text);
        println!("{name}: {n} quotes");
    }
    assert!(huge.len() > 5_000_000);
}

#[test]
fn arbitrary_unicode() {
    let pieces = [
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "«",
        "»",
        "„",
        " ",
        "\n",
        "\n\n",
        "said",
        "Okafor",
        "he",
        "she",
        ",",
        ".",
        ":",
        "?",
        "—",
        "Sen.",
        "Q:",
        "A:",
        "date ",
        "2023-01-01",
        "\u{a0}",
        "\u{feff}",
        "é",
        "ß",
        "🙂",
        "\u{301}",
        "\r\n",
        "the",
        "according to",
        "(",
        ")",
        "Mr.",
        "x",
        "Ministry of Y",
        "A.",
        "a spokeswoman for",
        "Zoë Ã",
        "\u{200b}",
    ];
    // QUOTH_FUZZ_SEED and QUOTH_FUZZ_ROUNDS widen the search locally; CI uses the defaults.
    let env = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let mut rng = Rng(env("QUOTH_FUZZ_SEED", 0x9E37_79B9_7F4A_7C15) | 1);
    for _ in 0..env("QUOTH_FUZZ_ROUNDS", 3_000) {
        let len = rng.next() % 60;
        let text: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        extract_text(&text);
    }
    // Random code points, including control characters and unpaired combining marks.
    for _ in 0..500 {
        let text: String =
            (0..200).filter_map(|_| char::from_u32((rng.next() % 0x2_0000) as u32)).collect();
        extract_text(&text);
    }
}

#[test]
fn generated_articles_are_read_and_quoted() {
    // The benchmark corpus (tools/gen-corpus) must stay something the extractor reads as news:
    // a benchmark on articles where nothing is found would measure nothing.
    // (name, seed, words, quotations written, at least this many found)
    let cases: &[(&str, u64, usize, usize, usize)] = &[
        ("short with quotations", 7, 300, 5, 1),
        ("long with many", 11, 2500, 15, 5),
        ("none written (negative)", 3, 400, 0, 0),
    ];
    for (name, seed, words, written, least) in cases {
        let text =
            gen_corpus::article(&mut gen_corpus::Rng::new(*seed), "2020-01-02", *words, *written);
        let a = parse_plain(Path::new("g.txt"), &text);
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2020-01-02"), "case {name}");
        let found = extract_text(&text);
        assert!(found >= *least, "case {name}: {found} quotations found");
        if *written == 0 {
            assert_eq!(found, 0, "case {name}");
        }
    }
}

/// Checks `claim` against `idx`: an answer whose numbers hold together, or a one-line refusal.
fn check_text(idx: &quoth::index::QuoteIndex, claim: &str) {
    use quoth::check::{check_claim, CheckQuery, Verdict};
    let q = CheckQuery {
        claim: claim.to_string(),
        speaker: Some("okafor".into()),
        limit: 3,
        ..CheckQuery::default()
    };
    match check_claim(idx, &q) {
        Ok(c) => {
            assert!(!c.summary.is_empty() && !c.summary.contains('\n'), "{claim:?}: {}", c.summary);
            for m in &c.matches {
                assert!((0.0..=1.0).contains(&m.similarity), "{claim:?}");
                assert!(!m.diff.is_empty() && !m.quotations.is_empty(), "{claim:?}");
                assert!(m.diff.iter().all(|r| r.quotation < m.quotations.len()), "{claim:?}");
                assert_eq!(m.verdict == Verdict::NotFound, m.wording == Verdict::NotFound);
            }
        }
        Err(e) => {
            let message = format!("{e:#}");
            assert!(!message.is_empty() && !message.contains('\n'), "{claim:?}: {message}");
        }
    }
}

#[test]
fn hostile_claims() {
    use quoth::index::{index_paths, IndexOptions, QuoteIndex};
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    let long = "the harbour [stays] open … ".repeat(400);
    let texts = [
        "date 2023-01-01\n\n“The harbour stays open, whatever the storm does,” said Adaeze Okafor.\n\n“We will [not] build it ... ever,” she added.\n".to_string(),
        format!("date 2023-02-01\n\n“{long},” Okafor said.\n"),
        "date 2023-03-01\n\n“Ça va, l’été. Zoë’s naïve café!” said Inès Varga.\n".to_string(),
    ];
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(articles.join(format!("a{i}.txt")), t).unwrap();
    }
    let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
    index_paths(&idx, &[articles], &IndexOptions::default(), &|_| {}).unwrap();
    idx.reader.reload().unwrap();
    let floods = [
        "[".repeat(10_000),
        "]".repeat(10_000),
        ".".repeat(10_000),
        ". ".repeat(5_000),
        "…".repeat(5_000),
        "“".repeat(5_000),
        "[harbour] ".repeat(150),
        "harbour ".repeat(200),
        "harbour ".repeat(201),
        format!("the harbour {}", "[".repeat(50)),
        long.clone(),
    ];
    for claim in &floods {
        check_text(&idx, claim);
    }
    let pieces = [
        "the",
        "harbour",
        "stays",
        "open",
        "whatever",
        "storm",
        "we",
        "will",
        "build",
        "it",
        "[",
        "]",
        "[sic]",
        "…",
        "...",
        ". . .",
        ".",
        ",",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "-",
        " ",
        "harbuor",
        "Ça",
        "l’été",
        "\u{301}",
        "\u{200b}",
        "🙂",
        "\n",
        "[…]",
        "(",
        ")",
    ];
    let env = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let mut rng = Rng(env("QUOTH_FUZZ_SEED", 0x9E37_79B9_7F4A_7C15) | 1);
    for _ in 0..env("QUOTH_FUZZ_ROUNDS", 3_000) / 10 {
        let len = rng.next() % 40;
        let claim: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        check_text(&idx, &claim);
    }
    for _ in 0..50 {
        let claim: String =
            (0..100).filter_map(|_| char::from_u32((rng.next() % 0x2_0000) as u32)).collect();
        check_text(&idx, &claim);
    }
}
