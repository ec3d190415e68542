//! Integration tests of `quoth check` on an invented archive (`tests/check/articles/`: a mayor,
//! a councillor, a union secretary and a football coach in the fictional town of Harrowmere):
//! a table of claims with the verdict each must get, the JSON shape, the exit codes and errors,
//! and a golden file of human output (`QUOTH_BLESS=1 cargo test --test check` rewrites it).

mod testenv;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use testenv::{assert_text_eq, TestEnv};

/// The archive, indexed.
fn archive() -> TestEnv {
    let env = TestEnv::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check/articles");
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), env.articles().join(e.file_name())).unwrap();
    }
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    env
}

/// (name, claim, flags, verdict, speaker of the best match (or the nearest quotation), words
/// the summary must hold)
type Case<'a> = (&'a str, &'a str, &'a [&'a str], &'a str, Option<&'a str>, &'a str);

const BRIDGE: &str =
    "We will build the Kettle Bridge before the winter comes, whatever it costs the town.";

#[test]
fn verdicts() {
    let env = archive();
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("exact", BRIDGE, &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "first reported 2023-03-14 (3 articles)"),
        ("case and punctuation changed", "we WILL build the kettle bridge — before the winter comes; whatever it costs the town!", &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "verbatim: said by"),
        ("curly and straight marks", "\"The town's ferries won't stop running, not this year and not next year.\"", &[], "verbatim", Some("Ilse Varnholt"), "verbatim"),
        ("one word replaced", "We will build the Kettle Bridge before the summer comes, whatever it costs the town.", &["--speaker", "varnholt"], "close", Some("Ilse Varnholt"), "close: 1 word changed, said by Ilse Varnholt"),
        ("a clause dropped", "Our members kept the harbour open through three storms, so the board owes them a fair contract.", &["--speaker", "amundsen"], "close", Some("Fergal Amundsen"), "6 words missing"),
        ("words inserted", "We will certainly build the new Kettle Bridge before the winter comes, whatever it costs the town.", &["--speaker", "varnholt"], "close", Some("Ilse Varnholt"), "2 words added"),
        ("half of a quotation", "Our members kept the harbour open through three storms", &["--speaker", "amundsen"], "partial", Some("Fergal Amundsen"), "part of a longer quotation (14 words of it left out)"),
        ("two quotations stitched", "We will build the Kettle Bridge before the winter comes, and nobody in Harrowmere will pay a higher toll to cross the river.", &["--speaker", "varnholt"], "partial", Some("Ilse Varnholt"), "stitched from two quotations, said by Ilse Varnholt, first reported 2023-03-14 and 2023-09-01"),
        ("right words, wrong speaker", BRIDGE, &["--speaker", "haldane"], "different-speaker", Some("Ilse Varnholt"), "said by Ilse Varnholt, not haldane, first reported 2023-03-14 (3 articles); the words: verbatim"),
        ("close words, wrong speaker", "The Kettle Bridge will not be finished before the spring, and the town cannot afford it.", &["--speaker", "varnholt"], "different-speaker", Some("Priya Haldane"), "; the words: close, 1 word changed"),
        ("a paraphrase is not found", "The mayor promised that the new bridge over the Kettle would be finished before winter no matter the price.", &["--speaker", "varnholt"], "not-found", Some("Priya Haldane"), "no quotation reaches similarity 0.70"),
        ("near miss from another speaker on the same topic", "The Kettle Bridge will never be ready in time, and the town will pay dearly for it.", &["--speaker", "varnholt"], "not-found", Some("Priya Haldane"), "the nearest (0.55) is by Priya Haldane"),
        ("typos are near matches", "We will biuld the Kettle Brigde before the wintre comes, whatever it costs the town.", &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "3 words misspelt"),
        ("another form of a word is a change, not a typo (negative)", "The council raises the toll twice and the bridge is still a drawing.", &["--speaker", "haldane"], "close", Some("Priya Haldane"), "1 word changed"),
        ("a short word changed is no typo (negative)", "Nobody in Harrowmere will pay a lower toll to cross the river.", &["--speaker", "varnholt"], "close", Some("Ilse Varnholt"), "1 word changed"),
        ("a dropped negation is a change", "The Kettle Bridge will be finished before the winter, and the town can afford it.", &["--speaker", "haldane"], "close", Some("Priya Haldane"), "1 word changed, 1 missing"),
        ("ellipsis character for dropped words", "We will build the Kettle Bridge … whatever it costs the town.", &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "4 words left out at an ellipsis"),
        ("three full stops for a dropped clause", "Our members kept the harbour open through three storms ... so the board owes them a fair contract.", &["--speaker", "amundsen"], "verbatim", Some("Fergal Amundsen"), "6 words left out at an ellipsis"),
        ("a trailing ellipsis marks the rest as left out", "Our members kept the harbour open through three storms...", &["--speaker", "amundsen"], "verbatim", Some("Fergal Amundsen"), "14 words left out at an ellipsis"),
        ("an ellipsis does not excuse a changed word (negative)", "We will build the Kettle Bridge … whatever it costs the council.", &["--speaker", "varnholt"], "close", Some("Ilse Varnholt"), "1 word changed"),
        ("bracketed words stand in for the speaker's", "[Mayor Varnholt] promised us a contract by spring, and [she] has not delivered one.", &["--speaker", "amundsen"], "verbatim", Some("Fergal Amundsen"), "3 words in brackets"),
        ("a bracketed word added", "She promised us a [new] contract by spring, and she has not delivered one.", &["--speaker", "amundsen"], "verbatim", Some("Fergal Amundsen"), "1 word in brackets"),
        ("the same word unbracketed is a change (negative)", "She promised us a new contract by spring, and she has not delivered one.", &["--speaker", "amundsen"], "close", Some("Fergal Amundsen"), "1 word added"),
        ("only the quoted words of a pasted claim", "Varnholt told reporters: “Nobody in Harrowmere will pay a higher toll to cross the river.”", &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "first reported 2023-09-01 (1 article)"),
        ("quoted fragments checked in order, the writer's words between them left out", "Varnholt called it “the Kettle Bridge” and said it would be ready “before the winter comes”", &["--speaker", "varnholt"], "partial", Some("Ilse Varnholt"), "part of a longer quotation (8 words of it left out)"),
        ("quoted fragments out of order do not match in order (negative)", "She said “before the winter comes” about “the Kettle Bridge”", &["--speaker", "varnholt"], "partial", Some("Ilse Varnholt"), "2 words added"),
        ("a sentence split by its attribution", "The bridge is late, but it will be worth the wait.", &["--speaker", "varnholt"], "verbatim", Some("Ilse Varnholt"), "one sentence split by its attribution"),
        ("no speaker claimed", "The Kettle Bridge will not be finished before the winter, and the town cannot afford it.", &[], "verbatim", Some("Priya Haldane"), "said by Priya Haldane"),
        ("a speaker by full name and prefix", BRIDGE, &["--speaker", "ilse varnh*"], "verbatim", Some("Ilse Varnholt"), "verbatim"),
        ("dates outside the quotation's (negative)", BRIDGE, &["--speaker", "varnholt", "--since", "2024"], "not-found", Some("Marit Eskildsen"), "no quotation reaches similarity 0.70"),
        ("unrelated words", "Zeppelins drift above quiet orchards.", &[], "not-found", None, "no quotation in the index shares enough words"),
    ];
    for (name, claim, flags, verdict, who, summary) in cases {
        let mut args = vec!["check", claim, "--json"];
        args.extend(*flags);
        let run = env.run(&args);
        let want_code = if matches!(*verdict, "verbatim" | "close") { 0 } else { 1 };
        assert_eq!(run.code, want_code, "case {name}: exit code\n{}{}", run.stdout, run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("case {name}: not JSON ({e}): {}", run.stdout));
        assert_eq!(v["verdict"], *verdict, "case {name}: {}", v["summary"]);
        let got_who = v["matches"][0]["quotations"][0]["speaker"].as_str();
        assert_eq!(got_who, *who, "case {name}: speaker of the best match");
        let line = v["summary"].as_str().unwrap();
        assert!(line.starts_with(verdict), "case {name}: {line}");
        assert!(line.contains(summary), "case {name}: {line:?} lacks {summary:?}");
    }
}

#[test]
fn json_shape() {
    let env = archive();
    let run = env.run(&[
        "check",
        "We will build the Kettle Bridge before the summer comes, whatever it costs the town.",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["threshold"], 0.7);
    let m = &v["matches"][0];
    assert_eq!(m["verdict"], "close");
    assert_eq!(m["wording"], "close");
    assert_eq!(m["coverage"], "whole");
    // 14 of 15 words matched, one replaced: 2 × 14 / (15 + 15).
    assert_eq!(m["similarity"], 0.933);
    assert_eq!(m["changes"]["matched"], 14);
    assert_eq!(m["changes"]["replaced"], 1);
    let ops: Vec<(&str, &str, &str)> = m["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["op"].as_str().unwrap(),
                r["claim"].as_str().unwrap_or(""),
                r["quote"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            (
                "equal",
                "We will build the Kettle Bridge before the",
                "We will build the Kettle Bridge before the"
            ),
            ("replace", "summer", "winter"),
            ("equal", "comes, whatever it costs the town.", "comes, whatever it costs the town,"),
        ]
    );
    let q = &m["quotations"][0];
    assert_eq!(q["speaker"], "Ilse Varnholt");
    assert_eq!(q["role"], "Mayor");
    assert_eq!(q["first_date"], "2023-03-14");
    assert_eq!(q["occurrences"], 3);
    let articles = q["articles"].as_array().unwrap();
    let dates: Vec<&str> = articles.iter().map(|a| a["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2023-03-14", "2023-03-15", "2023-03-20"]);
    assert_eq!(articles[0]["title"], "Varnholt pledges Kettle Bridge by winter");
    assert_eq!(
        articles[0]["url"],
        "https://harrowmere-courier.example/2023/03/14/kettle-bridge-pledge"
    );
    assert!(articles[0]["file"].as_str().unwrap().ends_with("2023-03-14-kettle-bridge-pledge.md"));
    assert!(q["paragraph"].as_str().unwrap().contains("packed meeting in the old grain hall"));
    // A stitched claim gives both quotations, and runs say which one they are in.
    let run = env.run(&[
        "check",
        "We will build the Kettle Bridge before the winter comes, and nobody in Harrowmere will pay a higher toll to cross the river.",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let m = &v["matches"][0];
    assert_eq!(m["coverage"], "stitched");
    assert_eq!(m["quotations"].as_array().unwrap().len(), 2);
    let in_second: Vec<&str> = m["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["quotation"] == 1 && r["op"] == "equal")
        .map(|r| r["quote"].as_str().unwrap())
        .collect();
    assert_eq!(in_second, ["Nobody in Harrowmere will pay a higher toll to cross the river,"]);
    // Words an ellipsis stands for, and words outside an excerpt, are marked and not counted;
    // up to two words left out at the ends count as missing.
    let notes = |claim: &str| -> (String, Vec<(String, String, String)>) {
        let run = env.run(&["check", claim, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let runs = v["matches"][0]["diff"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["op"] != "equal")
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
                (s("op"), s("note"), s("quote"))
            })
            .collect();
        (v["verdict"].as_str().unwrap().to_string(), runs)
    };
    let run = |op: &str, note: &str, quote: &str| (op.into(), note.into(), quote.into());
    assert_eq!(
        notes("We will build the Kettle Bridge … whatever it costs"),
        (
            "close".into(),
            vec![
                run("delete", "ellipsis", "before the winter comes,"),
                run("delete", "", "the town,")
            ]
        )
    );
    assert_eq!(
        notes("We will build the Kettle Bridge"),
        (
            "partial".into(),
            vec![run("delete", "outside", "before the winter comes, whatever it costs the town,")]
        )
    );
}

#[test]
fn claims_from_stdin_and_errors() {
    let env = archive();
    let mut child = env
        .cmd(&["check", "-", "--speaker", "varnholt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(BRIDGE.as_bytes()).unwrap();
    let run = TestEnv::output(child.wait_with_output().unwrap());
    run.expect_code(0);
    assert!(run.stdout.starts_with("verbatim: said by Ilse Varnholt"), "{}", run.stdout);
    // (name, arguments, error line)
    let cases: &[(&str, &[&str], &str)] = &[
        ("no words", &["check", "… [sic] !"], "quoth: the claim has no words to check\n"),
        (
            "only bracketed words",
            &["check", "[the mayor]"],
            "quoth: the claim has no words to check\n",
        ),
        (
            "bad speaker",
            &["check", "bridge", "--speaker", "!!!"],
            "quoth: invalid speaker name '!!!': it has no letters\n",
        ),
        (
            "zero limit",
            &["check", "bridge", "--limit", "0"],
            "quoth: invalid value '0' for --limit: list 1 to 20 matches\n",
        ),
        (
            "bad date",
            &["check", "bridge", "--until", "2023-02-30"],
            "quoth: invalid date '2023-02-30' for --until: use YYYY-MM-DD, YYYY-MM or YYYY\n",
        ),
    ];
    for (name, args, want) in cases {
        let run = env.run(args);
        assert_eq!(run.code, 2, "case {name}: {}", run.stdout);
        assert_eq!(run.stderr, *want, "case {name}");
    }
    let long = "word ".repeat(201);
    let run = env.run(&["check", &long]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the claim has 201 words: quoth checks at most 200"));
    // A claimed speaker nobody by that name: the nearest names on stderr, as for queries.
    let run = env.run(&["check", BRIDGE, "--speaker", "varnholdt"]);
    run.expect_code(1);
    assert!(run.stderr.contains("did you mean: Ilse Varnholt"), "{}", run.stderr);
    // No index: exit 2 with the usual message.
    let empty = TestEnv::new();
    let run = empty.run(&["check", BRIDGE]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("quoth: no index at ./index"), "{}", run.stderr);
}

#[test]
fn golden_human_output() {
    let env = archive();
    let mut out = String::new();
    for args in [
        vec!["check", "We will build the Kettle Bridge before the summer comes, whatever it costs the town.", "--speaker", "varnholt"],
        vec!["check", "We will build the Kettle Bridge before the winter comes, and nobody in Harrowmere will pay a higher toll to cross the river."],
        vec!["check", "[Mayor Varnholt] promised us a contract by spring ... she has not delivered one", "--speaker", "amundsen"],
        vec!["check", "We will biuld the Kettle Bridge", "--speaker", "haldane"],
        vec!["check", "The Kettle Bridge will never be ready in time, and the town will pay dearly for it."],
    ] {
        out.push_str(&format!("$ quoth {}\n", args.join(" ")));
        out.push_str(&env.run(&args).stdout);
        out.push('\n');
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/check.txt");
    if std::env::var_os("QUOTH_BLESS").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    let want =
        std::fs::read_to_string(&golden).expect("tests/golden/check.txt (QUOTH_BLESS=1 writes it)");
    assert_text_eq(&out, &want);
    // On a terminal (forced here), added words are underlined green and dropped ones struck
    // through red, without marks.
    let run = env.run(&[
        "--color",
        "always",
        "check",
        "We will build the Kettle Bridge before the summer comes, whatever it costs the town.",
    ]);
    assert!(
        run.stdout.contains("\x1b[9;31mwinter\x1b[0m \x1b[4;32msummer\x1b[0m"),
        "{:?}",
        run.stdout
    );
    assert!(!run.stdout.contains("[-"), "{:?}", run.stdout);
}
