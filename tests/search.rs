//! Integration tests of the search commands: every `query` flag and format, `export`, `stats`,
//! `speakers`, error paths, and a golden file of human output on `samples/`.

mod testenv;

use testenv::{assert_text_eq, TestEnv};

/// A small newsroom archive: a wire story republished twice, accents, undated and unattributed
/// quotes.
fn archive() -> TestEnv {
    let env = TestEnv::new();
    env.write("wire-a.txt", "date 2023-05-01\n\nFinance Minister Adaeze Okafor spoke in Veld.\n\n“Tariffs are a tax on our own farmers,” Okafor said.\n");
    env.write("wire-b.txt", "date 2023-05-03\n\nFinance Minister Adaeze Okafor spoke in Veld.\n\n“Tariffs are a tax on our own farmers,” Okafor said.\n");
    env.write("sanchez.txt", "date 2024-02-10\n\n“The harbour wall will hold this winter,” said Mayor Tomás Sánchez.\n\n“Nobody should panic about the tariff,” he added.\n");
    env.write("banner.txt", "date 2022-11-11\n\nA banner over the harbour read “No tariff on our catch, no catch in our nets.”\n");
    env.write("undated.txt", "“The harbour is our living room,” said Ines Varga, a fisher.\n");
    env.run(&["index", "articles"]).expect_code(0);
    env
}

fn quotes(run: &testenv::Run) -> Vec<String> {
    run.json_lines().iter().map(|v| v["quote"].as_str().unwrap().to_string()).collect()
}

#[test]
fn query_flags() {
    let env = archive();
    // (name, arguments, expected quotes in order)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "accent-insensitive speaker",
            &["query", "--speaker", "sanchez", "--sort", "oldest"],
            &["The harbour wall will hold this winter,", "Nobody should panic about the tariff,"],
        ),
        (
            "speaker prefix",
            &["query", "--speaker", "sanch*", "harbour"],
            &["The harbour wall will hold this winter,"],
        ),
        ("partial word is not a name (negative)", &["query", "--speaker", "sanch"], &[]),
        (
            "exclude speaker",
            &["query", "harbour", "--exclude-speaker", "sanchez"],
            &["The harbour is our living room,"],
        ),
        (
            "exclude one of two",
            &["query", "tariff", "--exclude-speaker", "okafor", "--sort", "oldest"],
            &[
                "No tariff on our catch, no catch in our nets.",
                "Nobody should panic about the tariff,",
            ],
        ),
        (
            "no speaker",
            &["query", "--no-speaker"],
            &["No tariff on our catch, no catch in our nets."],
        ),
        ("on a month", &["query", "--on", "2023-05"], &["Tariffs are a tax on our own farmers,"]),
        (
            "on a year excludes undated",
            &["query", "harbour", "--on", "2024"],
            &["The harbour wall will hold this winter,"],
        ),
        (
            "sort oldest",
            &["query", "tariff", "--sort", "oldest"],
            &[
                "No tariff on our catch, no catch in our nets.",
                "Tariffs are a tax on our own farmers,",
                "Nobody should panic about the tariff,",
            ],
        ),
        (
            "sort newest",
            &["query", "tariff", "--sort", "newest"],
            &[
                "Nobody should panic about the tariff,",
                "Tariffs are a tax on our own farmers,",
                "No tariff on our catch, no catch in our nets.",
            ],
        ),
        (
            "undated last when newest first",
            &["query", "harbour", "--sort", "newest"],
            &["The harbour wall will hold this winter,", "The harbour is our living room,"],
        ),
        (
            "undated last when oldest first too",
            &["query", "harbour", "--sort", "oldest"],
            &["The harbour wall will hold this winter,", "The harbour is our living room,"],
        ),
        (
            "offset",
            &["query", "tariff", "--sort", "oldest", "--offset", "1", "--limit", "1"],
            &["Tariffs are a tax on our own farmers,"],
        ),
        (
            "fuzzy",
            &["query", "harbur", "--fuzzy", "--speaker", "varga"],
            &["The harbour is our living room,"],
        ),
        ("no fuzzy (negative)", &["query", "harbur"], &[]),
        (
            "all occurrences",
            &["query", "farmers", "--all-occurrences", "--sort", "oldest"],
            &["Tariffs are a tax on our own farmers,", "Tariffs are a tax on our own farmers,"],
        ),
    ];
    for (name, args, want) in cases {
        let mut args = args.to_vec();
        args.push("--json");
        let run = env.run(&args);
        assert_eq!(run.code, if want.is_empty() { 1 } else { 0 }, "case {name}: {}", run.stderr);
        assert_eq!(quotes(&run), *want, "case {name}");
    }
}

/// Paging through same-day quotations indexed in two runs (two segments), out of path order,
/// shows each exactly once and in reading order.
#[test]
fn pages_of_same_day_quotations_neither_repeat_nor_skip() {
    let article = |name: &str| {
        format!("date 2024-05-05\n\n“Ferries for {name} run late tonight,” said Ines Varga.\n")
    };
    let env = TestEnv::new();
    for name in ["f", "h", "b", "j", "d"] {
        env.write(&format!("{name}.txt"), article(name));
    }
    env.run(&["index", "articles"]).expect_code(0);
    for name in ["c", "i", "a", "g", "e"] {
        env.write(&format!("{name}.txt"), article(name));
    }
    env.run(&["index", "articles"]).expect_code(0);
    for sort in ["newest", "oldest"] {
        let mut seen = Vec::new();
        for offset in 0..10 {
            let run = env.run(&[
                "query",
                "ferries",
                "--sort",
                sort,
                "--limit",
                "1",
                "--offset",
                &offset.to_string(),
                "--json",
            ]);
            let hits = run.json_lines();
            assert_eq!(hits.len(), 1, "{sort} offset {offset}: {}", run.stdout);
            seen.push(hits[0]["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string());
        }
        let want: Vec<String> = "abcdefghij".chars().map(|c| format!("{c}.txt")).collect();
        assert_eq!(seen, want, "{sort}");
    }
}

#[test]
fn repeated_quotations_fold_into_one() {
    let env = archive();
    let run = env.run(&["query", "farmers", "--json"]);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["occurrences"], 2);
    assert_eq!(hits[0]["first_date"], "2023-05-01");
    let run = env.run(&["query", "farmers"]);
    assert!(run.stdout.contains("(in 2 articles, first on 2023-05-01)"), "{}", run.stdout);
}

#[test]
fn quotations_of_one_bucket_are_told_apart() {
    // Copies are looked up by the fold key's bucket (its top 16 bits), then by the key itself:
    // these two quotations, found by trying numbers, share a bucket and are still two.
    let (copied, other) = (
        "The new ferry to Corrin Point will sail 188 times a week,",
        "The new ferry to Corrin Point will sail 261 times a week,",
    );
    let (a, b) = (quoth::index::schema::quote_key(copied), quoth::index::schema::quote_key(other));
    assert_ne!(a, b);
    assert_eq!(quoth::index::schema::quote_bucket(a), quoth::index::schema::quote_bucket(b));
    let env = TestEnv::new();
    let said = |date: &str, quote: &str| format!("date {date}\n\n“{quote}” said Ilse Varna.\n");
    env.write("first.txt", said("2024-03-01", copied));
    env.write("copy.txt", said("2024-03-05", copied));
    env.write("other.txt", said("2024-03-09", other));
    env.run(&["index", "articles"]).expect_code(0);
    let counts = |env: &TestEnv| -> Vec<String> {
        let run = env.run(&["query", "ferry", "--sort", "oldest", "--json"]);
        run.json_lines()
            .iter()
            .map(|h| {
                format!(
                    "{} {} {}",
                    &h["quote"].as_str().unwrap()[40..43],
                    h["occurrences"],
                    h["first_date"]
                )
            })
            .collect()
    };
    assert_eq!(counts(&env), ["188 2 \"2024-03-01\"", "261 1 \"2024-03-09\""]);
    let run = env.run(&["query", "ferry", "--count"]);
    assert_eq!(run.stdout, "3\n");
    // A removed copy no longer counts, though its document waits in its segment for a merge.
    std::fs::remove_file(env.root().join("articles/first.txt")).unwrap();
    env.run(&["index", "articles"]).expect_code(0);
    assert_eq!(counts(&env), ["188 1 \"2024-03-05\"", "261 1 \"2024-03-09\""]);
}

#[test]
fn count_and_context() {
    let env = archive();
    let run = env.run(&["query", "tariff", "--count"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "4\n"); // every occurrence counts
    let run = env.run(&["query", "zeppelin", "--count"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "0\n");
    let run = env.run(&["query", "winter", "--context"]);
    assert_text_eq(
        &run.stdout,
        "2024-02-10  Tomás Sánchez (Mayor)\n  “The harbour wall will hold this winter,”\n    “The harbour wall will hold this winter,” said Mayor Tomás Sánchez.\n  articles/sanchez.txt:¶1\n",
    );
}

/// Parses RFC 4180 CSV into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn formats_parse_back() {
    let env = archive();
    let jsonl = env.run(&["query", "tariff", "--format", "jsonl", "--sort", "oldest"]).json_lines();
    // --json is an alias for jsonl.
    assert_eq!(env.run(&["query", "tariff", "--json", "--sort", "oldest"]).json_lines(), jsonl);
    let json: serde_json::Value = serde_json::from_str(
        &env.run(&["query", "tariff", "--format", "json", "--sort", "oldest"]).stdout,
    )
    .unwrap();
    assert_eq!(json.as_array().unwrap(), &jsonl);
    let csv = env.run(&["query", "tariff", "--format", "csv", "--sort", "oldest"]);
    assert!(csv.stdout.contains("\r\n"), "RFC 4180 line ends");
    let rows = parse_csv(&csv.stdout);
    assert_eq!(
        rows[0],
        quoth::output::CSV_COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(rows.len(), jsonl.len() + 1);
    for (row, v) in rows[1..].iter().zip(&jsonl) {
        for (col, cell) in quoth::output::CSV_COLUMNS.iter().zip(row) {
            let want = match &v[*col] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, &want, "column {col}");
        }
    }
    // Every JSON key is a documented index field name.
    for key in jsonl[0].as_object().unwrap().keys() {
        assert!(quoth::output::CSV_COLUMNS.contains(&key.as_str()), "undocumented key {key}");
    }
}

#[test]
fn export_streams_everything() {
    let env = archive();
    let run = env.run(&["export"]);
    run.expect_code(0);
    assert_eq!(run.json_lines().len(), 6); // both copies of the wire quote, no limit
    let run = env.run(&["export", "--speaker", "okafor", "--format", "csv"]);
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows.len(), 3);
    let speaker = rows[0].iter().position(|c| c == "speaker").unwrap();
    assert_eq!(rows[1][speaker], "Adaeze Okafor");
    env.run(&["export", "--speaker", "nobody"]).expect_code(1);
}

#[test]
fn stats_and_speakers() {
    let env = archive();
    let run = env.run(&["stats", "--json"]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["articles"], 5);
    assert_eq!(v["quotes"], 6);
    assert_eq!(v["attributed"], 5);
    assert_eq!(v["speakers"], 3);
    assert_eq!(v["first_date"], "2022-11-11");
    assert_eq!(v["last_date"], "2024-02-10");
    assert_eq!(v["undated_quotes"], 1);
    assert_eq!(v["folders"].as_array().unwrap().len(), 1);
    assert!(v["index_bytes"].as_u64().unwrap() > 0);
    let run = env.run(&["stats"]);
    assert!(run.stdout.starts_with("articles      5\nquotes        6 (1 undated)\nattributed    5 (83%)\nspeakers      3\n"), "{}", run.stdout);

    let run = env.run(&["speakers", "--json"]);
    let list = run.json_lines();
    let names: Vec<&str> = list.iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Adaeze Okafor", "Tomás Sánchez", "Ines Varga"]);
    assert_eq!(list[0]["quotes"], 2);
    assert_eq!(list[0]["articles"], 2);
    assert_eq!(list[0]["first_date"], "2023-05-01");
    assert_eq!(list[0]["last_date"], "2023-05-03");
    assert_eq!(list[0]["roles"][0], "Finance Minister");
    let run = env.run(&["speakers", "--prefix", "san", "--json"]);
    assert_eq!(run.json_lines().len(), 1);
    let run = env.run(&["speakers", "--since", "2024", "--top", "1", "--json"]);
    assert_eq!(run.json_lines()[0]["name"], "Tomás Sánchez");
    let run = env.run(&["speakers"]);
    assert!(run.stdout.starts_with("speaker        quotes  articles  first       last        roles\nAdaeze Okafor       2         2  2023-05-01  2023-05-03  Finance Minister\n"), "{}", run.stdout);
}

#[test]
fn speaker_variants_merge_but_namesakes_do_not() {
    let env = TestEnv::new();
    env.write("a.txt", "date 2020-01-01\n\n“We start today,” said Adaeze Okafor.\n");
    env.write("b.txt", "date 2020-02-01\n\n“We continue,” Sen. Okafor said.\n");
    env.write("c.txt", "date 2020-03-01\n\n“We finish,” said A. Okafor.\n");
    env.write("d.txt", "date 2020-04-01\n\n“Not me,” said Tobi Lindqvist.\n\n“Nor me,” said Ruth Lindqvist.\n\n“Or me,” Lindqvist said.\n");
    // Same initial and surname, another context of roles: another person.
    env.write(
        "e.txt",
        "date 2020-05-01\n\n“The nets are empty,” said T. Marsh, a fisherman from Veld.\n",
    );
    env.write(
        "f.txt",
        "date 2020-06-01\n\n“The budget passed,” said Tilda Marsh, the finance minister.\n",
    );
    env.run(&["index", "articles"]).expect_code(0);
    let run = env.run(&["speakers", "--json"]);
    let list = run.json_lines();
    let okafor = list.iter().find(|v| v["name"] == "Adaeze Okafor").unwrap();
    assert_eq!(okafor["quotes"], 3, "{list:?}");
    assert_eq!(okafor["variants"].as_array().unwrap().len(), 2);
    let lindqvists =
        list.iter().filter(|v| v["name"].as_str().unwrap().ends_with("Lindqvist")).count();
    assert_eq!(lindqvists, 2, "{list:?}");
    let marshes = list.iter().filter(|v| v["name"].as_str().unwrap().ends_with("Marsh")).count();
    assert_eq!(marshes, 2, "{list:?}");
}

#[test]
fn speaker_suggestions_and_errors() {
    let env = archive();
    let run = env.run(&["query", "--speaker", "okafur"]);
    run.expect_code(1);
    assert_eq!(run.stderr, "quoth: no quotes by 'okafur'; did you mean: Adaeze Okafor (2)?\n");
    // A known speaker with no matching words gets no suggestion.
    let run = env.run(&["query", "zeppelin", "--speaker", "okafor"]);
    run.expect_code(1);
    assert_eq!(run.stderr, "");
    // Errors: exit 2 with one line naming the value.
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "bad --on",
            &["query", "--on", "2023-02-30"],
            "quoth: invalid date '2023-02-30' for --on: use YYYY-MM-DD, YYYY-MM or YYYY\n",
        ),
        (
            "reversed range",
            &["query", "--since", "2024-05", "--until", "2024-04"],
            "quoth: --since 2024-05-01 is after --until 2024-04-30\n",
        ),
        (
            "zero limit",
            &["query", "x", "--limit", "0"],
            "quoth: invalid value '0' for --limit: show at least one quote\n",
        ),
        (
            "empty speaker",
            &["query", "--speaker", "!!!"],
            "quoth: invalid speaker name '!!!': it has no letters\n",
        ),
    ];
    for (name, args, want) in cases {
        let run = env.run(args);
        assert_eq!(run.code, 2, "case {name}");
        assert_eq!(run.stderr, *want, "case {name}");
    }
    env.run(&["query", "--on", "2023", "--since", "2022"]).expect_code(2);
    env.run(&["query", "--format", "xml"]).expect_code(2);
    // A malformed query runs leniently, with a warning naming what was ignored.
    let run = env.run(&["query", "harbour AND (wall", "--json"]);
    assert!(run.stderr.starts_with("quoth: part of the query was ignored:"), "{}", run.stderr);
    env.run(&["stats"]).expect_code(0);
}

#[test]
fn golden_human_output_on_samples() {
    let env = TestEnv::new().with_samples();
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let mut out = String::new();
    for args in [
        vec!["query", "tariff", "--speaker", "okafor"],
        vec!["query", "--speaker", "sanchez", "--since", "2024", "--limit", "3"],
        vec!["query", "wall", "--sort", "oldest", "--limit", "2", "--context"],
        vec!["speakers", "--top", "5"],
    ] {
        out.push_str(&format!("$ quoth {}\n", args.join(" ")));
        out.push_str(&env.run(&args).stdout);
        out.push('\n');
    }
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/samples.txt");
    if std::env::var_os("QUOTH_BLESS").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    let want = std::fs::read_to_string(&golden)
        .expect("tests/golden/samples.txt (QUOTH_BLESS=1 writes it)");
    assert_text_eq(&out, &want);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = archive();
    let run = env.run(&["--color", "always", "query", "winter"]);
    assert!(run.stdout.contains("\x1b[1;31mwinter\x1b[0m"), "{:?}", run.stdout);
    let run = env.run(&["--color", "never", "query", "winter"]);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    // auto on a pipe: plain text (the harness also sets NO_COLOR).
    let run = env.run(&["query", "winter"]);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}
