//! `quoth read`: what quoth reads from articles in every format (format, date and its source,
//! title, URL, paragraphs, warnings), as text and as JSON, and its exit codes.

mod testenv;

use std::io::Write;
use std::path::Path;

use testenv::TestEnv;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats").join(name)).unwrap()
}

/// One object per article, with the keys documented in the README.
#[test]
fn every_format_as_json() {
    let env = TestEnv::new();
    for f in ["harbour.txt", "harbour.md", "harbour.json", "feed.jsonl", "harbour.html"] {
        env.write(f, fixture(f));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fixture("harbour.html")).unwrap();
    env.write("saved/2021-04-05-page.html.gz", gz.finish().unwrap());
    env.write("2022/03/04/undated.txt", "“No date inside,” said Ines Varga.\n");
    let run = env.run(&["read", "articles", "--json"]);
    run.expect_code(0);
    let lines = run.json_lines();
    let by = |suffix: &str, line: Option<u64>| {
        lines
            .iter()
            .find(|v| v["file"].as_str().unwrap().ends_with(suffix) && v["line"].as_u64() == line)
            .unwrap_or_else(|| panic!("{suffix} not read: {}", run.stdout))
    };
    // (name, file, JSON Lines line, format, date, where the date came from)
    type Case<'a> = (&'a str, &'a str, Option<u64>, &'a str, &'a str, &'a str);
    let cases: &[Case] = &[
        ("plain text", "harbour.txt", None, "txt", "2023-06-21", "first line"),
        ("markdown", "harbour.md", None, "md", "2023-06-21", "front matter"),
        ("json", "harbour.json", None, "json", "2023-06-21", "field published_at"),
        ("json lines", "feed.jsonl", Some(2), "jsonl", "2023-06-21", "field date"),
        ("html", "harbour.html", None, "html", "2023-06-21", "metadata (article:published_time)"),
        (
            "compressed html",
            "page.html.gz",
            None,
            "html",
            "2023-06-21",
            "metadata (article:published_time)",
        ),
        ("date from the path", "undated.txt", None, "txt", "2022-03-04", "path"),
    ];
    for (name, file, line, format, date, from) in cases {
        let v = by(file, *line);
        assert_eq!(v["format"], *format, "case {name}");
        assert_eq!(v["date"], *date, "case {name}");
        assert_eq!(v["date_from"], *from, "case {name}");
        assert!(v["warnings"].as_array().unwrap().is_empty(), "case {name}: {v}");
    }
    let html = by("harbour.html", None);
    assert_eq!(html["title"], "Harbour council backs flood wall");
    assert_eq!(html["url"], "https://news.example/veldmoor/flood-wall");
    let paragraphs: Vec<&str> =
        html["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
    assert!(paragraphs[1].starts_with("“We have waited long enough"), "{paragraphs:?}");
    assert!(!run.stdout.contains("Related Links") && !run.stdout.contains("Menus are not"));
    assert_eq!(lines.len(), 8, "two articles in the JSON Lines file: {}", run.stdout);
}

#[test]
fn text_listing_and_warnings() {
    let env = TestEnv::new();
    env.write(
        "bad-date.html",
        "<meta property=\"article:published_time\" content=\"last Tuesday\"><article><p>“Soon,” said Ines Varga, at the quay.</p></article>",
    );
    let run = env.run(&["read", "articles/bad-date.html"]);
    run.expect_code(0);
    testenv::assert_text_eq(
        &run.stdout,
        "articles/bad-date.html
  format  html
  date    none
  title   -
  url     -
  warning invalid date 'last Tuesday' in metadata (article:published_time); indexed undated
  ¶1   “Soon,” said Ines Varga, at the quay.
",
    );
}

#[test]
fn exit_codes() {
    let env = TestEnv::new();
    env.write("ok.txt", "date 2024-01-02\n\nText.\n");
    env.write("lines.jsonl", "not json\n{\"title\": \"no text\"}\n");
    env.write("binary.txt", b"\0\0\0binary");
    // (name, arguments, exit code, text expected on stderr)
    let cases: &[(&str, &[&str], i32, &str)] = &[
        ("an article read", &["read", "articles/ok.txt"], 0, ""),
        (
            "one read, one failed",
            &["read", "articles/ok.txt", "articles/binary.txt"],
            0,
            "binary.txt: not a text file",
        ),
        (
            "nothing read (negative)",
            &["read", "articles/lines.jsonl"],
            1,
            "lines.jsonl:1: invalid JSON",
        ),
        (
            "only failures (negative)",
            &["read", "articles/binary.txt"],
            2,
            "binary.txt: not a text file",
        ),
        (
            "missing path (negative)",
            &["read", "articles/nowhere.html"],
            2,
            "nowhere.html: no such file or folder",
        ),
    ];
    for (name, args, code, stderr) in cases {
        let run = env.run(args);
        assert_eq!(run.code, *code, "case {name}: {}", run.stderr);
        assert!(run.stderr.contains(stderr), "case {name}: {}", run.stderr);
    }
}

/// A page in a legacy encoding is read in the encoding it declares.
#[test]
fn legacy_encoding() {
    let env = TestEnv::new();
    env.write(
        "latin2.html",
        b"<meta charset=\"iso-8859-2\"><article><p>\xA3\xF3d\xBC wita nas, powiedzia\xB3a Ewa Sadowska.</p></article>".as_slice(),
    );
    let run = env.run(&["read", "articles/latin2.html", "--json"]);
    run.expect_code(0);
    let v = &run.json_lines()[0];
    assert_eq!(v["paragraphs"][0], "Łódź wita nas, powiedziała Ewa Sadowska.");
    assert_eq!(v["warnings"][0], "not UTF-8, decoded as ISO-8859-2");
}
