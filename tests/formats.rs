//! Articles in every format yield the same quotations, speakers and date; bad input in each
//! format is reported and skipped; re-indexing works for every format.

mod testenv;

use std::io::Write;
use std::path::Path;

use testenv::TestEnv;

const FIXTURES: &[&str] =
    &["harbour.txt", "harbour.md", "harbour.json", "feed.jsonl", "harbour.html"];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats").join(name)).unwrap()
}

/// An env holding every fixture, plus gzip and zstd copies of two of them.
fn env_with_formats() -> TestEnv {
    let env = TestEnv::new();
    for f in FIXTURES {
        env.write(f, fixture(f));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fixture("harbour.txt")).unwrap();
    env.write("zipped/harbour.txt.gz", gz.finish().unwrap());
    env.write("zipped/harbour.md.zst", zstd::encode_all(&fixture("harbour.md")[..], 3).unwrap());
    env
}

/// (quote, speaker, date) triples of `extract --json` on one file.
fn extracted(env: &TestEnv, rel: &str) -> Vec<(String, String, String)> {
    let run = env.run(&["extract", &format!("articles/{rel}"), "--json"]);
    run.expect_code(0);
    run.json_lines()
        .iter()
        .map(|v| {
            (
                v["quote"].as_str().unwrap().to_string(),
                v["speaker"].as_str().unwrap_or("-").to_string(),
                v["date"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_format_yields_the_same_quotes() {
    let env = env_with_formats();
    let want = extracted(&env, "harbour.txt");
    assert_eq!(
        want,
        vec![
            (
                "We have waited long enough for this wall,".into(),
                "Tomás Sánchez".into(),
                "2023-06-21".into()
            ),
            (
                "far higher than anyone admitted in public.".into(),
                "Ines Varga".into(),
                "2023-06-21".into()
            ),
            ("The quay floods every winter,".into(), "Ines Varga".into(), "2023-06-21".into()),
            ("Nobody disputes that.".into(), "Ines Varga".into(), "2023-06-21".into()),
        ]
    );
    for f in [
        "harbour.md",
        "harbour.json",
        "feed.jsonl",
        "harbour.html",
        "zipped/harbour.txt.gz",
        "zipped/harbour.md.zst",
    ] {
        assert_eq!(extracted(&env, f), want, "{f}");
    }
}

#[test]
fn metadata_is_indexed() {
    let env = env_with_formats();
    env.run(&["index", "articles"]).expect_code(0);
    let run = env.run(&["query", "winter", "--all-occurrences", "--json"]);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 7, "one per file: {}", run.stdout);
    let by_file =
        |suffix: &str| hits.iter().find(|h| h["file"].as_str().unwrap().ends_with(suffix)).unwrap();
    assert_eq!(by_file("feed.jsonl")["line"], 2);
    assert_eq!(by_file("harbour.json")["title"], "Harbour council backs flood wall");
    assert_eq!(by_file("harbour.json")["url"], "https://news.example/veldmoor/flood-wall");
    assert_eq!(by_file("harbour.html")["title"], "Harbour council backs flood wall");
    assert_eq!(by_file("harbour.md")["url"], "https://news.example/veldmoor/flood-wall");
    assert!(by_file("harbour.txt").get("line").is_none());
    // Folded, the seven copies are one quotation in seven articles.
    let run = env.run(&["query", "winter", "--json"]);
    assert_eq!(run.json_lines()[0]["occurrences"], 7);
    // The human listing names the JSON Lines line.
    let run = env.run(&["query", "winter", "--all-occurrences"]);
    assert!(run.stdout.contains("articles/feed.jsonl:2:¶"), "{}", run.stdout);
}

#[test]
fn extensions_and_field_mapping() {
    let env = TestEnv::new();
    env.write("a.txt", fixture("harbour.txt"));
    env.write("b.md", fixture("harbour.md"));
    env.write("c.text", fixture("harbour.txt"));
    env.write("news-please.json", r#"{"maintext": "“The pier is safe,” said Ines Varga.", "date_publish": "2022-01-05 08:00:00"}"#);
    // Restrict to Markdown.
    let run = env.run(&["index", "articles", "--ext", "md", "--json"]);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["new"], 1);
    // Extend: .text read as plain text; news-please fields mapped.
    let run = env.run(&[
        "index",
        "articles",
        "--ext",
        "txt,md,json,text=txt",
        "--field",
        "text=maintext",
        "--field",
        "date=date_publish",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["new"], 3, "{v}");
    let run = env.run(&["query", "pier", "--json"]);
    assert_eq!(run.json_lines()[0]["date"], "2022-01-05");
    let run = env.run(&["index", "articles", "--ext", "docx"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "quoth: unknown format 'docx' in --ext: use txt, md, json, jsonl or html\n"
    );
    env.run(&["index", "articles", "--field", "colour=x"]).expect_code(2);
}

#[test]
fn dates_from_paths() {
    let env = TestEnv::new();
    env.write(
        "2023/06/21/flood-wall.txt",
        "“We have waited long enough,” said Mayor Tomás Sánchez.\n",
    );
    env.write("2022-03-04-pier.md", "“The pier is safe,” said Ines Varga.\n");
    env.write("undated.txt", "“No date anywhere,” said Ines Varga.\n");
    let dates: Vec<String> = env
        .run(&["extract", "articles", "--json"])
        .json_lines()
        .iter()
        .map(|v| v["date"].to_string())
        .collect();
    assert_eq!(dates, vec!["\"2022-03-04\"", "\"2023-06-21\"", "null"]);
}

#[test]
fn bad_input_in_each_format() {
    let env = TestEnv::new();
    env.write("feed.jsonl", "{\"text\": \"“First line works,” said Ines Varga.\"}\n{not json\n{\"title\": \"no text\"}\n{\"text\": \"“Last line works too,” said Ines Varga.\", \"date\": \"someday\"}\n");
    env.write("broken.json", "{\"text\": ");
    env.write("notext.json", "{\"title\": \"only a title\"}");
    env.write(
        "bad-date.md",
        "---\ndate: the day after tomorrow\n---\n“Undated but indexed,” said Ines Varga.\n",
    );
    env.write("soup.html", "<p>“Tags never closed,” said <b>Ines Varga<p>Second <i>paragraph");
    env.write("bad.txt.gz", "this is not gzip");
    let run = env.run(&["index", "articles"]);
    run.expect_code(3);
    for needle in [
        "feed.jsonl:2: invalid JSON",
        "feed.jsonl:3: no text field",
        "feed.jsonl:4: invalid date \"someday\"; indexed undated",
        "broken.json: invalid JSON",
        "notext.json: no text field",
        "bad-date.md: invalid date 'the day after tomorrow'",
        "bad.txt.gz: cannot decompress gzip",
    ] {
        assert_eq!(run.stderr.matches(needle).count(), 1, "{needle} in:\n{}", run.stderr);
    }
    assert!(run.stdout.contains("3 failed (3 invalid)"), "{}", run.stdout);
    let mut got: Vec<String> = env
        .run(&["query", "--limit", "10", "--json"])
        .json_lines()
        .iter()
        .map(|v| v["quote"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "First line works,",
            "Last line works too,",
            "Tags never closed,",
            "Undated but indexed,"
        ]
    );
}

#[test]
fn reindexing_works_for_every_format() {
    let env = env_with_formats();
    env.run(&["index", "articles"]).expect_code(0);
    let count = |env: &TestEnv| {
        env.run(&["query", "--count", "--all-occurrences"]).stdout.trim().parse::<usize>().unwrap()
    };
    let before = count(&env);
    // Change one line of the JSON Lines file: only that file is re-read, its quotes replaced.
    let feed = String::from_utf8(fixture("feed.jsonl"))
        .unwrap()
        .replace("No one was quoted.", "“Hourly is enough,” said the harbour master, Ola Brekke.");
    env.write("feed.jsonl", feed);
    let run = env.run(&["index", "articles", "--json"]);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!((v["changed"].as_u64(), v["unchanged"].as_u64()), (Some(1), Some(6)), "{v}");
    assert_eq!(count(&env), before + 1);
    let run = env.run(&["query", "hourly", "--json"]);
    assert_eq!(run.json_lines()[0]["line"], 1);
    // Every other format: change, re-index, no duplicates.
    for f in ["harbour.md", "harbour.json", "harbour.html"] {
        let text =
            String::from_utf8(fixture(f)).unwrap().replace("every winter", "every single winter");
        env.write(f, text);
    }
    let run = env.run(&["index", "articles", "--json"]);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["changed"], 3, "{v}");
    assert_eq!(count(&env), before + 1);
    std::fs::remove_file(env.articles().join("zipped/harbour.md.zst")).unwrap();
    env.run(&["index", "articles"]).expect_code(0);
    assert_eq!(count(&env), before + 1 - 4);
}
