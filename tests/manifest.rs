//! Index runs keep the index and its manifest in step without deleting before every add: a
//! file new to a trusted manifest is only added, so these cases must still never duplicate or
//! lose a quotation: folders given inside each other, a manifest lost or stale, a rebuild, and
//! files changed, removed and added in one run.

mod testenv;

use testenv::TestEnv;

/// (file, quotation id) of every quotation in `index`, sorted.
fn quotations_in(env: &TestEnv, index: &str) -> Vec<(String, String)> {
    let run = env.run(&["--index", index, "export"]);
    let mut out: Vec<(String, String)> = run
        .json_lines()
        .iter()
        .map(|v| (v["file"].as_str().unwrap().to_string(), v["id"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

fn quotations(env: &TestEnv) -> Vec<(String, String)> {
    quotations_in(env, "index")
}

fn env_with_articles() -> TestEnv {
    let env = TestEnv::new();
    gen_corpus::write_corpus(&env.articles(), 60, 11).unwrap();
    env
}

#[test]
fn no_run_duplicates_or_loses_a_quotation() {
    // (name, runs before the check, each a list of arguments)
    let cases: Vec<(&str, Vec<Vec<&str>>)> = vec![
        ("one run", vec![vec!["index", "articles"]]),
        ("a folder given inside another", vec![vec!["index", "articles", "articles/0000"]]),
        ("the same folder twice", vec![vec!["index", "articles", "articles"]]),
        ("the inner folder first", vec![vec!["index", "articles/0000"], vec!["index", "articles"]]),
        (
            "a refresh of nested folders",
            vec![vec!["index", "articles/0000"], vec!["index", "articles"], vec!["index"]],
        ),
        ("a rebuild", vec![vec!["index", "articles"], vec!["index", "articles", "--rebuild"]]),
    ];
    for (name, runs) in cases {
        let env = env_with_articles();
        // The reference: the same articles indexed once into an index of its own.
        env.run(&["--index", "reference", "index", "articles", "--quiet"]).expect_code(0);
        let reference = quotations_in(&env, "reference");
        assert!(reference.len() > 100, "{name}: {} quotations", reference.len());
        for args in runs {
            env.run(&[&args[..], &["--quiet"]].concat()).expect_code(0);
        }
        assert_eq!(quotations(&env), reference, "{name}");
    }
}

#[test]
fn a_lost_manifest_replaces_every_files_quotations() {
    let env = env_with_articles();
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let before = quotations(&env);
    // Without the manifest, every quotation in the index may belong to a file it does not
    // list: each file's quotations are deleted before its new ones are added.
    std::fs::remove_file(env.root().join("index/quoth-manifest.json")).unwrap();
    let run = env.run(&["index", "articles"]);
    run.expect_code(0);
    assert!(run.stderr.contains("re-reading every file"), "{}", run.stderr);
    assert_eq!(quotations(&env), before, "same quotations, once each");
}

#[test]
fn changes_removals_and_additions_in_one_run() {
    let env = env_with_articles();
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let manifest = || -> serde_json::Value {
        let path = env.root().join("index/quoth-manifest.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    };
    let listed_before = manifest()["files"].as_object().unwrap().len();
    let files: Vec<String> = {
        let mut f: Vec<String> = quotations(&env).into_iter().map(|(f, _)| f).collect();
        f.dedup();
        f
    };
    // A file changed (its quotations replaced), one removed, one added.
    std::fs::write(&files[0], "date 2024-02-02\n\n“The ferry is late again,” said Ines Varga.\n")
        .unwrap();
    std::fs::remove_file(&files[1]).unwrap();
    env.write(
        "late/new.txt",
        "date 2024-02-03\n\n“We will build a second pier,” Bram Tiller said.\n",
    );
    let run = env.run(&["index", "articles"]);
    run.expect_code(0);
    assert!(run.stdout.contains("1 new, 1 changed"), "{}", run.stdout);
    assert!(run.stdout.contains("1 removed"), "{}", run.stdout);
    let after = quotations(&env);
    let of = |file: &str| after.iter().filter(|(f, _)| f == file).count();
    assert_eq!(of(&files[0]), 1, "the changed file's one new quotation");
    assert_eq!(of(&files[1]), 0, "the removed file's quotations are gone");
    let added = env.articles().join("late/new.txt").canonicalize().unwrap();
    assert_eq!(of(&added.display().to_string()), 1, "the new file's quotation");
    // The manifest lists exactly the files that remain.
    let manifest = manifest();
    let listed = manifest["files"].as_object().unwrap();
    assert_eq!(listed.len(), listed_before, "one removed, one added");
    assert!(!listed.contains_key(&files[1]), "the removed file is not listed (negative)");
    assert!(listed.contains_key(&added.display().to_string()), "the new file is listed");
}
