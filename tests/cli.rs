//! Integration tests: the built `quoth` binary on temporary folders of articles.

mod testenv;

use testenv::{assert_text_eq, TestEnv};

const OKAFOR_2022: &str = "date 2022-03-15 VELDMOOR — Sen. Adaeze Okafor opened the hearing on the steel tariff.\n\n“The tariff is a tax on every farmer in the valley,” Okafor said.\n\n“We will not back down,” she added.\n";
const OKAFOR_2024: &str = "date 2024-01-29\n\nTrade Minister Adaeze Okafor spoke to reporters on Monday.\n\n“Tariffs were never the goal,” Okafor said. “Trade was.”\n";
const LINDQVIST_2023: &str = "date 2023-06-02\n\nMayor Tobi Lindqvist, who has led the harbour town since 2019, was cautious.\n\n“The harbour will reopen when the tariff dispute ends,” Lindqvist said.\n";

fn env_with_three() -> TestEnv {
    let env = TestEnv::new();
    env.write("2022/okafor.txt", OKAFOR_2022);
    env.write("2024/okafor.txt", OKAFOR_2024);
    env.write("lindqvist.txt", LINDQVIST_2023);
    env
}

fn quotes(run: &testenv::Run) -> Vec<String> {
    run.json_lines().iter().map(|v| v["quote"].as_str().unwrap().to_string()).collect()
}

#[test]
fn index_prints_a_summary() {
    let env = env_with_three();
    let run = env.run(&["index", "articles"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 3 files: 3 new, 0 changed, 0 unchanged, 0 removed, 0 failed; 0 without a date; 5 quotes added (100% attributed), 0 removed; "),
        "{}",
        run.stdout
    );
}

#[test]
fn query_by_words_speaker_and_dates() {
    let env = env_with_three();
    env.run(&["index", "articles"]).expect_code(0);
    // (name, arguments, expected quotes in order)
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("word, stemmed", &["query", "tariffs", "--json"], &[]),
        (
            "speaker surname",
            &["query", "--speaker", "okafor", "--json"],
            &[
                "Tariffs were never the goal,",
                "Trade was.",
                "The tariff is a tax on every farmer in the valley,",
                "We will not back down,",
            ],
        ),
        (
            "speaker full name and word",
            &["query", "farmer", "--speaker", "Adaeze Okafor", "--json"],
            &["The tariff is a tax on every farmer in the valley,"],
        ),
        (
            "two speakers ORed",
            &["query", "harbour", "--speaker", "okafor", "--speaker", "lindqvist", "--json"],
            &["The harbour will reopen when the tariff dispute ends,"],
        ),
        (
            "since",
            &["query", "--since", "2024-01-01", "--json"],
            &["Tariffs were never the goal,", "Trade was."],
        ),
        (
            "until",
            &["query", "--until", "2022-12-31", "--json"],
            &["The tariff is a tax on every farmer in the valley,", "We will not back down,"],
        ),
        (
            "since and until, inclusive",
            &["query", "--since", "2023-06-02", "--until", "2023-06-02", "--json"],
            &["The harbour will reopen when the tariff dispute ends,"],
        ),
        ("phrase", &["query", "\"back down\"", "--json"], &["We will not back down,"]),
        (
            "exclusion",
            &["query", "tariff -harbour", "--speaker", "okafor", "--json"],
            &["Tariffs were never the goal,", "The tariff is a tax on every farmer in the valley,"],
        ),
        ("limit", &["query", "--limit", "1", "--json"], &["Tariffs were never the goal,"]),
    ];
    for (name, args, want) in cases {
        let run = env.run(args);
        let mut got = quotes(&run);
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        if *name == "word, stemmed" {
            // Every quote that says tariff or tariffs, in any order of relevance.
            got.sort();
            want = vec![
                "Tariffs were never the goal,".into(),
                "The harbour will reopen when the tariff dispute ends,".into(),
                "The tariff is a tax on every farmer in the valley,".into(),
            ];
        } else if !name.starts_with("speaker surname")
            && *name != "limit"
            && !name.starts_with("since")
            && !name.starts_with("until")
        {
            got.sort();
            want.sort();
        }
        assert_eq!(got, want, "case {name}\n{}", run.stderr);
    }
}

#[test]
fn json_output_shape() {
    let env = env_with_three();
    env.run(&["index", "articles"]).expect_code(0);
    let run = env.run(&["query", "farmer", "--json"]);
    run.expect_code(0);
    let v = &run.json_lines()[0];
    assert_eq!(v["quote"], "The tariff is a tax on every farmer in the valley,");
    assert_eq!(v["speaker"], "Adaeze Okafor");
    assert_eq!(v["role"], "Senator");
    assert_eq!(v["date"], "2022-03-15");
    assert!(v["file"].as_str().unwrap().ends_with("2022/okafor.txt"), "{v}");
    assert_eq!(v["paragraph"], "“The tariff is a tax on every farmer in the valley,” Okafor said.");
    assert_eq!(v["paragraph_number"], 2);
    assert!(v["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn human_output() {
    let env = env_with_three();
    env.run(&["index", "articles"]).expect_code(0);
    let run = env.run(&["query", "farmer"]);
    run.expect_code(0);
    assert_text_eq(
        &run.stdout,
        "2022-03-15  Adaeze Okafor (Senator)\n  “The tariff is a tax on every farmer in the valley,”\n  articles/2022/okafor.txt:¶2\n",
    );
}

#[test]
fn errors_and_exit_codes() {
    let env = env_with_three();
    // Missing index: exit 2 with a one-line hint.
    let run = env.run(&["query", "tariff"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "quoth: no index at ./index: run 'quoth index <folder>' first\n");
    env.run(&["index", "articles"]).expect_code(0);
    // No hits: exit 1, nothing printed.
    let run = env.run(&["query", "zeppelin"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    // Invalid and reversed dates: exit 2 naming the value.
    let run = env.run(&["query", "tariff", "--since", "2023-13-01"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "quoth: invalid date '2023-13-01' for --since: use YYYY-MM-DD, YYYY-MM or YYYY\n"
    );
    let run = env.run(&["query", "--since", "2024", "--until", "2023"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "quoth: --since 2024-01-01 is after --until 2023-12-31\n");
    // Unknown flag: exit 2.
    env.run(&["query", "--bogus"]).expect_code(2);
    // Development tools are not commands of the shipped binary (the corpus generator is
    // `gen-corpus` of tools/).
    let run = env.run(&["gen-corpus", "--articles", "1", "--out", "generated"]);
    run.expect_code(2);
    assert!(!env.root().join("generated").exists());
    // Missing folder to index: exit 2 naming it.
    let run = env.run(&["index", "nowhere"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "quoth: nowhere: no such file or folder\n");
    // Nothing remembered yet in a fresh index: a refresh without paths says what to do.
    let run = env.run(&["--index", "fresh", "index"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "quoth: no folders indexed yet: run 'quoth index <folder>' first\n");
}

#[test]
fn reindex_does_not_duplicate() {
    let env = env_with_three();
    env.run(&["index", "articles"]).expect_code(0);
    env.run(&["index", "articles"]).expect_code(0);
    env.run(&["index", "articles/lindqvist.txt"]).expect_code(0);
    let run = env.run(&["query", "--limit", "100", "--json"]);
    assert_eq!(run.json_lines().len(), 5);
    // A changed file replaces its quotes.
    env.write(
        "lindqvist.txt",
        "date 2023-06-02\n\n“The harbour stays shut,” Mayor Tobi Lindqvist said.\n",
    );
    env.run(&["index", "articles"]).expect_code(0);
    let run = env.run(&["query", "harbour", "--json"]);
    assert_eq!(quotes(&run), vec!["The harbour stays shut,"]);
}

#[test]
fn index_location_from_flag_and_environment() {
    let env = env_with_three();
    env.run(&["--index", "elsewhere", "index", "articles"]).expect_code(0);
    assert!(env.root().join("elsewhere/meta.json").is_file());
    let out =
        env.cmd(&["query", "farmer", "--json"]).env("QUOTH_INDEX", "elsewhere").output().unwrap();
    TestEnv::output(out).expect_code(0);
    // An unrelated, non-empty folder is never used as an index.
    std::fs::create_dir(env.root().join("photos")).unwrap();
    std::fs::write(env.root().join("photos/cat.jpg"), "x").unwrap();
    let run = env.run(&["--index", "photos", "index", "articles"]);
    run.expect_code(2);
    assert!(run.stderr.contains("photos is not a quoth index"), "{}", run.stderr);
}

#[test]
fn awkward_files() {
    let env = TestEnv::new();
    // BOM, CRLF and non-breaking spaces; an undated file; a binary file; a hidden folder;
    // invalid UTF-8; an empty file; a file over the size cap.
    env.write("bom.txt", "\u{feff}date 2021-05-05\r\n\r\n“We\u{a0}will rebuild the pier,” said Mayor Tobi Lindqvist.\r\n");
    env.write("undated.txt", "“Nobody told us anything at all,” said Ines Varga, a resident.\n");
    env.write("blob.txt", b"date 2021-01-01\n\x00\x01\x02binary");
    env.write(
        ".hidden/secret.txt",
        "date 2021-01-01\n\n“Hidden words are not indexed,” said Tobi Lindqvist.\n",
    );
    env.write("notes.docx", "“Not an article format at all,” said Tobi Lindqvist.\n");
    env.write(
        "latin1.txt",
        b"date 2021-02-02\n\n\"Caf\xe9 owners will stay open,\" said Ines Varga.\n",
    );
    env.write("empty.txt", "");
    env.write(
        "huge.txt",
        format!(
            "date 2021-03-03\n\n{}",
            "“A very long quotation indeed,” said Ines Varga. ".repeat(100)
        ),
    );
    let run = env.run(&["index", "articles", "--max-file-size", "2KB"]);
    run.expect_code(3);
    assert!(
        run.stdout.starts_with("indexed 6 files: 4 new, 0 changed, 0 unchanged, 0 removed, 2 failed (1 binary, 1 too large); 1 without a date; 3 quotes added (100% attributed), 0 removed; "),
        "{}",
        run.stdout
    );
    // Each problem is reported once, with its path and reason.
    for needle in [
        "blob.txt: not a text file",
        "huge.txt: ",
        "latin1.txt: invalid UTF-8",
        "empty.txt: empty file",
    ] {
        assert_eq!(run.stderr.matches(needle).count(), 1, "{needle} in:\n{}", run.stderr);
    }
    let run = env.run(&["query", "pier", "--json"]);
    let v = &run.json_lines()[0];
    assert_eq!(v["quote"], "We will rebuild the pier,");
    assert_eq!(v["speaker"], "Tobi Lindqvist");
    assert_eq!(v["date"], "2021-05-05");
    let run = env.run(&["query", "nobody", "--json"]);
    assert_eq!(run.json_lines()[0]["date"], serde_json::Value::Null);
    let run = env.run(&["query", "owners", "--json"]);
    assert_eq!(run.json_lines()[0]["quote"], "Caf\u{fffd} owners will stay open,");
    env.run(&["query", "hidden"]).expect_code(1);
}

/// Workers open files ahead of reading them; under a low limit on open files, the ones that
/// could not be opened early are opened in turn instead of being reported unreadable.
#[cfg(target_os = "linux")]
#[test]
fn a_low_limit_on_open_files_loses_no_file() {
    let env = TestEnv::new();
    for i in 0..300 {
        env.write(
            &format!("a{i:03}.txt"),
            format!(
                "date 2021-04-0{}\n\n“Harbour fees rise by {i} crowns,” said Ines Varga.\n",
                i % 9 + 1
            ),
        );
    }
    let cmd = env.cmd(&["index", "articles", "--threads", "2"]);
    let quoth = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    // `ulimit` in a shell that then becomes quoth: 64 open files, of which tantivy and the
    // standard streams take a share, fewer than two workers would open ahead.
    let mut limited = std::process::Command::new("sh");
    limited.arg("-c").arg("ulimit -n 64 && exec \"$0\" \"$@\"").arg(quoth).args(args);
    limited.current_dir(env.root()).env_remove("QUOTH_INDEX");
    let run = TestEnv::output(limited.output().expect("run quoth under sh"));
    run.expect_code(0);
    assert!(
        run.stdout.starts_with(
            "indexed 300 files: 300 new, 0 changed, 0 unchanged, 0 removed, 0 failed;"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["query", "harbour", "--count"]);
    assert_eq!(run.stdout.trim(), "300");
}

#[cfg(unix)]
#[test]
fn broken_links_and_loops_are_reported() {
    let env = env_with_three();
    std::os::unix::fs::symlink(
        env.articles().join("missing.txt"),
        env.articles().join("dangling.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(env.articles(), env.articles().join("2022/loop")).unwrap();
    let run = env.run(&["index", "articles"]);
    run.expect_code(3);
    assert!(
        run.stdout.contains("3 new") && run.stdout.contains("2 failed (2 unreadable)"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr.matches("dangling.txt").count(), 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("symbolic link loop").count(), 1, "{}", run.stderr);
}

/// A folder the walk cannot enter on a later run keeps the quotes indexed from it: its files may
/// well still be there.
#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_read_keeps_its_quotes() {
    let env = env_with_three();
    let desk = env.root().join("desk");
    std::fs::create_dir(&desk).unwrap();
    std::fs::write(
        desk.join("a.txt"),
        "date 2021-06-01\n\n“The ferry will run all winter,” said Ines Varga.\n",
    )
    .unwrap();
    let link = env.articles().join("desk");
    std::os::unix::fs::symlink(&desk, &link).unwrap();
    env.run(&["index", "articles"]).expect_code(0);
    // The folder becomes a link to itself, which the walk cannot follow.
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&link, &link).unwrap();
    let run = env.run(&["index", "articles"]);
    run.expect_code(3);
    assert!(
        run.stdout.contains("0 removed, 1 failed (1 unreadable)")
            && run.stdout.contains("0 quotes added, 0 removed"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr.matches("desk").count(), 1, "{}", run.stderr);
    assert_eq!(env.run(&["query", "ferry", "--count"]).stdout.trim(), "1");
}

#[test]
fn incremental_reindex() {
    let env = env_with_three();
    let other = env.root().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("x.txt"),
        "date 2020-01-01\n\n“Other folders are left alone,” said Ines Varga.\n",
    )
    .unwrap();
    env.run(&["index", "articles", "other"]).expect_code(0);
    let summary = |run: &testenv::Run| -> serde_json::Value {
        serde_json::from_str(run.stdout.trim()).unwrap()
    };
    let counts = |v: &serde_json::Value| -> Vec<u64> {
        ["new", "changed", "unchanged", "removed", "failed", "quotes_added", "quotes_removed"]
            .iter()
            .map(|k| v[k].as_u64().unwrap())
            .collect()
    };
    // Nothing changed: nothing read.
    let v = summary(&env.run(&["index", "articles", "--json"]));
    assert_eq!(counts(&v), vec![0, 0, 3, 0, 0, 0, 0]);
    // Touched but identical: still unchanged.
    let p = env.articles().join("lindqvist.txt");
    let f = std::fs::File::options().append(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    let v = summary(&env.run(&["index", "articles", "--json"]));
    assert_eq!(counts(&v), vec![0, 0, 3, 0, 0, 0, 0]);
    // Changed, new and deleted files.
    env.write("lindqvist.txt", "date 2023-06-02\n\n“The harbour stays shut,” Mayor Tobi Lindqvist said.\n\n“For now,” he added.\n");
    env.write("new.txt", "date 2024-05-05\n\n“A new file arrives,” said Ines Varga.\n");
    std::fs::remove_file(env.articles().join("2024/okafor.txt")).unwrap();
    let v = summary(&env.run(&["index", "articles", "--json"]));
    assert_eq!(counts(&v), vec![1, 1, 1, 1, 0, 3, 3]);
    let all = env.run(&["query", "--limit", "100", "--json"]);
    let mut got = quotes(&all);
    got.sort();
    assert_eq!(
        got,
        vec![
            "A new file arrives,",
            "For now,",
            "Other folders are left alone,",
            "The harbour stays shut,",
            "The tariff is a tax on every farmer in the valley,",
            "We will not back down,",
        ]
    );
    // No path: every remembered folder is refreshed.
    std::fs::remove_file(other.join("x.txt")).unwrap();
    let v = summary(&env.run(&["index", "--json"]));
    assert_eq!(v["removed"], 1);
    assert_eq!(v["roots"].as_array().unwrap().len(), 2);
    // --rebuild starts from an empty index holding only the folder given.
    let v = summary(&env.run(&["index", "articles", "--rebuild", "--json"]));
    assert_eq!(counts(&v), vec![3, 0, 0, 0, 0, 5, 0]);
    assert_eq!(env.run(&["query", "--limit", "100", "--json"]).json_lines().len(), 5);
}

#[test]
fn a_second_writer_is_refused() {
    let env = env_with_three();
    env.run(&["index", "articles"]).expect_code(0);
    let idx = quoth::index::QuoteIndex::open(&env.root().join("index")).unwrap();
    let writer: tantivy::IndexWriter = idx.index.writer(15_000_000).unwrap();
    let run = env.run(&["index", "articles"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "quoth: index is being updated by another quoth process\n");
    // Queries still work while a writer holds the lock.
    env.run(&["query", "tariff"]).expect_code(0);
    drop(writer);
    env.run(&["index", "articles"]).expect_code(0);
}

#[test]
fn killed_index_run_recovers() {
    let env = TestEnv::new();
    gen_corpus::write_corpus(&env.articles(), 3000, 5).unwrap();
    // The reference: the same corpus indexed in one go.
    env.run(&["--index", "reference", "index", "articles", "--quiet"]).expect_code(0);
    let reference = env
        .run(&["--index", "reference", "query", "--limit", "1000000", "--json"])
        .json_lines()
        .len();
    // Kill a run as soon as its first commit is on disk.
    let mut child = env
        .cmd(&["index", "articles", "--threads", "1", "--commit-every", "100", "--quiet"])
        .spawn()
        .unwrap();
    let manifest = env.root().join("index/quoth-manifest.json");
    let started = std::time::Instant::now();
    while !manifest.exists() && started.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run finished before it could be killed; use a larger corpus");
    // The index opens with its last commit and answers queries.
    let partial = env.run(&["query", "--limit", "1000000", "--json"]);
    assert_eq!(partial.code, 0, "{}", partial.stderr);
    let partial = partial.json_lines().len();
    assert!(partial > 0 && partial < reference, "partial {partial}, reference {reference}");
    // The next run finishes the job: everything, once.
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let all = env.run(&["query", "--limit", "1000000", "--json"]).json_lines();
    assert_eq!(all.len(), reference);
    let mut keys: Vec<(String, u64, u64)> = all
        .iter()
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["paragraph_number"].as_u64().unwrap(),
                v["start"].as_u64().unwrap(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), reference, "duplicates after recovery");
}
#[test]
fn extract_json_shape() {
    let env = env_with_three();
    let run = env.run(&["extract", "articles", "--json"]);
    run.expect_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5);
    let first = &lines[0];
    assert_eq!(first["file"], "2022/okafor.txt");
    assert_eq!(first["quote"], "The tariff is a tax on every farmer in the valley,");
    assert_eq!(first["speaker"], "Adaeze Okafor");
    assert_eq!(first["date"], "2022-03-15");
    assert_eq!(first["paragraph_number"], 2);
    assert_eq!(first["rule"], "cue-after");
    for key in ["quote", "speaker", "role", "date", "file", "paragraph", "score", "start", "end"] {
        assert!(first.get(key).is_some(), "missing key {key}");
    }
    // A single file is named by its file name; a file with no quotes exits 1.
    let run = env.run(&["extract", "articles/lindqvist.txt", "--json"]);
    assert_eq!(run.json_lines()[0]["file"], "lindqvist.txt");
    env.write("empty.txt", "date 2020-01-01\n\nNo quotations here.\n");
    env.run(&["extract", "articles/empty.txt"]).expect_code(1);
}

#[test]
fn samples_quick_start() {
    let env = TestEnv::new().with_samples();
    let run = env.run(&["index", "articles"]);
    run.expect_code(0);
    let run = env.run(&["query", "tariff", "--speaker", "okafor", "--json"]);
    run.expect_code(0);
    for v in run.json_lines() {
        assert_eq!(v["speaker"], "Adaeze Okafor");
        assert!(v["quote"].as_str().unwrap().to_lowercase().contains("tariff"), "{v}");
    }
}

#[test]
fn eval_min_words_leaves_out_short_quotations() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "date 2024-05-02\n\n“We will reopen the pier in June,” said Mayor Lidia Varn.\n\n\
         Varn called the delay “regrettable,” and left.\n",
    );
    let gold = env.root().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"file\":\"a.txt\",\"quote\":\"We will reopen the pier in June,\",\"speaker\":\"Lidia Varn\"}\n\
         {\"file\":\"a.txt\",\"quote\":\"regrettable\",\"speaker\":\"Lidia Varn\"}\n",
    )
    .unwrap();
    let count = |min: &str| {
        let run = env.run(&["eval", "gold.jsonl", "articles", "--json", "--min-words", min]);
        run.expect_code(0);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["extraction"]["gold"].as_u64().unwrap()
    };
    assert_eq!(count("1"), 2, "every gold quotation counts by default");
    assert_eq!(count("2"), 1, "the one-word quotation is left out");
}
