//! An index written by an earlier quoth opens, answers and takes new articles in this one.
//!
//! `tests/old-index/index` was built by the quoth that introduced index format 3 (the fold key's
//! bucket indexed instead of the key) from the two invented articles beside it, with
//! `quoth --index index index articles` in `/tmp/crates-fx-fixture`. That version also indexed
//! the role's words, which later versions only store: its schema is read as theirs. Format 2's fixture, built
//! the same way, held through later changes that must not touch the disk (the YAML front
//! matter, CSV by the `csv` crate, a new extraction hasher). When this test fails, the change
//! alters the on-disk format and needs a new `schema::FORMAT` (ARCHITECTURE.md, "What changes an
//! index on disk"), and this fixture then built anew by the version that bumps it.

mod testenv;

use std::path::Path;

use testenv::TestEnv;

/// A copy of the fixture's articles and old index in a fresh folder.
fn env_with_old_index() -> TestEnv {
    let env = TestEnv::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/old-index");
    for dir in ["articles", "index"] {
        std::fs::create_dir_all(env.root().join(dir)).unwrap();
        for e in std::fs::read_dir(fixture.join(dir)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), env.root().join(dir).join(e.file_name())).unwrap();
        }
    }
    env
}

/// Each hit as `field=value` pairs of `fields`, sorted, for comparing answers.
fn hits(run: &testenv::Run, fields: &[&str]) -> Vec<String> {
    let mut rows: Vec<String> = run
        .json_lines()
        .iter()
        .map(|v| fields.iter().map(|f| format!("{f}={}", v[*f])).collect::<Vec<_>>().join(" "))
        .collect();
    rows.sort();
    rows
}

/// What a hit says apart from where its file lay (the old index holds another folder's paths).
const CONTENT: &[&str] =
    &["quote", "speaker", "role", "date", "title", "url", "paragraph", "paragraph_number", "start"];

#[test]
fn an_old_index_answers_as_a_new_one_does() {
    let env = env_with_old_index();
    let old = env.run(&["query", "--limit", "100", "--json"]);
    old.expect_code(0);
    // Ids are links (`/api/quote/{id}`): those written then are still there.
    let ids = hits(&old, &["id"]);
    assert_eq!(
        ids,
        [
            "id=\"02a0f3891f9d54bb\"",
            "id=\"70b387bc8eb13735\"",
            "id=\"b5331f090ee33d56\"",
            "id=\"d161026ecc979be6\""
        ]
    );
    // Words, speakers and dates are searched in it as in a new one.
    let found = env.run(&["query", "subsidy", "--speaker", "vanlaar", "--on", "2024", "--json"]);
    assert_eq!(hits(&found, &["id"]), ["id=\"b5331f090ee33d56\""], "{}", found.stderr);
    let none = env.run(&["query", "subsidy", "--speaker", "oduya", "--json"]);
    assert!(hits(&none, &["id"]).is_empty(), "{}", none.stdout);

    // The same articles indexed by this version give the same quotations, field for field.
    env.run(&["--index", "fresh", "index", "articles"]).expect_code(0);
    let fresh = env.run(&["--index", "fresh", "query", "--limit", "100", "--json"]);
    assert_eq!(hits(&old, CONTENT), hits(&fresh, CONTENT));
    assert_eq!(hits(&old, CONTENT).len(), 4);

    // And the schema this version writes is the one the old index holds, but for the role's
    // words: indexed then, only stored now (no search reads them).
    let schema = |dir: &str| -> Vec<serde_json::Value> {
        let meta = std::fs::read_to_string(env.root().join(dir).join("meta.json")).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        meta["schema"].as_array().unwrap().clone()
    };
    let role = |fields: &[serde_json::Value]| -> serde_json::Value {
        fields.iter().find(|f| f["name"] == "role").unwrap()["options"].clone()
    };
    let (old_schema, new_schema) = (schema("index"), schema("fresh"));
    assert_eq!(role(&old_schema)["indexing"]["tokenizer"], "speaker_words");
    assert_eq!(role(&new_schema)["indexing"], serde_json::Value::Null);
    assert_eq!(role(&new_schema)["stored"], true);
    let others = |fields: &[serde_json::Value]| -> Vec<serde_json::Value> {
        fields.iter().filter(|f| f["name"] != "role").cloned().collect()
    };
    assert_eq!(others(&old_schema), others(&new_schema));
}

#[test]
fn an_old_index_takes_new_articles() {
    let env = env_with_old_index();
    env.write(
        "2024-06-01-quay.txt",
        "date 2024-06-01\n\n“The quay reopens in June,” said Ilse Brandvold, the harbourmaster.\n",
    );
    let run = env.run(&["index", "articles"]);
    run.expect_code(0);
    // The old paths are gone (the fixture was built elsewhere): their quotations leave, and the
    // articles found here come in, the new one with them.
    let all = env.run(&["query", "--limit", "100", "--json"]);
    assert_eq!(hits(&all, &["quote"]).len(), 5, "{}", run.stdout);
    let new = env.run(&["query", "quay", "--json"]);
    assert_eq!(hits(&new, &["speaker"]), ["speaker=\"Ilse Brandvold\""]);
}
