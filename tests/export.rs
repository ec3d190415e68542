//! `quoth export --format quickwit` and `--format opensearch`: every line in the exact shape of
//! the committed index definitions (`deploy/quickwit/quotes.yaml`,
//! `deploy/opensearch/quotes.json`), and the definitions themselves readable and naming every
//! exported field. No server runs here: the definitions are checked as the engines' documented
//! formats, the documents against them.

mod testenv;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use testenv::TestEnv;

/// A field's kind as the checks tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Words to search (a string, or null when unknown).
    Text,
    /// One exact value: 16 hexadecimal digits for ids, any string otherwise.
    Keyword,
    /// RFC 3339 date and time, or null.
    Date,
}

/// Fields that are ids: 16 hexadecimal digits, never null.
const IDS: &[&str] = &["id", "article_id", "quote_key"];
/// Fields every document has.
const REQUIRED: &[&str] = &["id", "quote", "file", "article_id", "quote_key"];

fn deploy(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields of the Quickwit index definition, with their kinds (a raw-tokenized text field
/// holds keywords).
fn quickwit_fields() -> BTreeMap<String, Kind> {
    let config: serde_yaml::Value = serde_yaml::from_str(&deploy("quickwit/quotes.yaml")).unwrap();
    assert_eq!(config["index_id"].as_str(), Some("quotes"));
    let mapping = &config["doc_mapping"];
    assert_eq!(mapping["mode"].as_str(), Some("strict"), "unknown fields are refused");
    let mut out = BTreeMap::new();
    for f in mapping["field_mappings"].as_sequence().expect("field_mappings") {
        let name = f["name"].as_str().expect("name").to_string();
        let kind = match (f["type"].as_str(), f["tokenizer"].as_str()) {
            (Some("text"), Some("raw")) => Kind::Keyword,
            (Some("text"), _) => Kind::Text,
            (Some("datetime"), _) => {
                let formats = f["input_formats"].as_sequence().expect("input_formats");
                assert!(formats.iter().any(|v| v.as_str() == Some("rfc3339")), "{name}");
                Kind::Date
            }
            other => panic!("{name}: unexpected type {other:?}"),
        };
        out.insert(name, kind);
    }
    // What the issue asks of the mapping, beyond the fields' names.
    let field = |name: &str| {
        (mapping["field_mappings"].as_sequence().unwrap().iter())
            .find(|f| f["name"].as_str() == Some(name))
            .unwrap()
            .clone()
    };
    assert_eq!(field("quote")["record"].as_str(), Some("position"), "phrases need positions");
    assert_eq!(field("speaker")["fast"]["normalizer"].as_str(), Some("raw"), "speaker facets");
    assert_eq!(field("date")["fast"].as_bool(), Some(true), "dates sort and filter fast");
    out
}

/// The fields of the OpenSearch index definition, with their kinds.
fn opensearch_fields() -> BTreeMap<String, Kind> {
    let config: Value = serde_json::from_str(&deploy("opensearch/quotes.json")).unwrap();
    let mappings = &config["mappings"];
    assert_eq!(mappings["dynamic"].as_str(), Some("strict"), "unknown fields are refused");
    assert!(config["settings"]["index"].is_object(), "settings");
    let mut out = BTreeMap::new();
    for (name, f) in mappings["properties"].as_object().expect("properties") {
        let kind = match f["type"].as_str() {
            Some("text") => Kind::Text,
            Some("keyword") => Kind::Keyword,
            Some("date") => {
                assert_eq!(f["format"].as_str(), Some("strict_date_time_no_millis"), "{name}");
                Kind::Date
            }
            other => panic!("{name}: unexpected type {other:?}"),
        };
        out.insert(name.clone(), kind);
    }
    let speaker_raw = &mappings["properties"]["speaker"]["fields"]["raw"]["type"];
    assert_eq!(speaker_raw.as_str(), Some("keyword"), "speaker facets");
    out
}

/// Whether `doc` has exactly the fields of `fields`, each of its kind.
fn check_doc(fields: &BTreeMap<String, Kind>, doc: &Value) -> Result<(), String> {
    let obj = doc.as_object().ok_or("not an object")?;
    let got: Vec<&String> = obj.keys().collect();
    let want: Vec<&String> = fields.keys().collect();
    let mut sorted = got.clone();
    sorted.sort();
    if sorted != want {
        return Err(format!("fields {sorted:?}, definition {want:?}"));
    }
    for (name, kind) in fields {
        let v = &obj[name];
        if v.is_null() {
            if REQUIRED.contains(&name.as_str()) {
                return Err(format!("{name} is null"));
            }
            continue;
        }
        let s = v.as_str().ok_or(format!("{name}: not a string: {v}"))?;
        match kind {
            Kind::Date => {
                s.parse::<jiff::Timestamp>().map_err(|e| format!("{name}: {s}: {e}"))?;
                if !s.ends_with('Z') || s.contains('.') {
                    return Err(format!("{name}: {s} is not strict RFC 3339 in UTC"));
                }
            }
            Kind::Keyword if IDS.contains(&name.as_str()) => {
                if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(format!("{name}: {s} is not 16 hexadecimal digits"));
                }
            }
            Kind::Keyword | Kind::Text => {}
        }
    }
    Ok(())
}

/// Samples, an undated article and a JSON Lines feed (articles with a line number).
fn env_with_articles() -> TestEnv {
    let env = TestEnv::new().with_samples();
    env.write("undated.txt", "“The ferry runs late on Sundays,” said Harbourmaster Ines Varga.\n");
    env.write(
        "feed.jsonl",
        concat!(
            r#"{"title":"Pier vote","url":"https://example.org/pier","date":"2024-05-01","text":"“We vote on the pier tonight,” Councillor Bram Tiller said."}"#,
            "\n",
            r#"{"title":"Pier vote, again","date":"2024-05-02","text":"“The pier vote failed,” Tiller said."}"#,
            "\n"
        ),
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    env
}

#[test]
fn the_definitions_declare_the_same_fields() {
    let (qw, os) = (quickwit_fields(), opensearch_fields());
    assert_eq!(qw, os, "Quickwit and OpenSearch declare the same fields and kinds");
    for name in ["quote", "speaker", "role", "date", "file", "url", "title"] {
        assert!(qw.contains_key(name), "{name} declared");
    }
    for id in IDS {
        assert_eq!(qw.get(*id), Some(&Kind::Keyword), "{id} is a keyword");
    }
}

#[test]
fn the_document_check_can_fail() {
    let fields = quickwit_fields();
    let good = serde_json::json!({
        "id": "0123456789abcdef", "quote": "We vote tonight.", "speaker": null, "role": null,
        "date": "2024-05-01T00:00:00Z", "file": "/a.txt", "url": null, "title": null,
        "article_id": "00000000000000aa", "quote_key": "ffffffffffffffff"
    });
    let with = |name: &str, v: Value| {
        let mut d = good.clone();
        d[name] = v;
        d
    };
    let without = |name: &str| {
        let mut d = good.clone();
        d.as_object_mut().unwrap().remove(name);
        d
    };
    // (name, document, passes)
    let cases = [
        ("every field, unknowns null", good.clone(), true),
        ("undated", with("date", Value::Null), true),
        ("a field missing (negative)", without("title"), false),
        ("a field too many (negative)", with("score", serde_json::json!(1.0)), false),
        ("a date without time (negative)", with("date", "2024-05-01".into()), false),
        (
            "a date with an offset (negative)",
            with("date", "2024-05-01T00:00:00+02:00".into()),
            false,
        ),
        ("a short id (negative)", with("id", "12ab".into()), false),
        ("an id as a number (negative)", with("id", serde_json::json!(12)), false),
        ("no quotation (negative)", with("quote", Value::Null), false),
    ];
    for (name, doc, passes) in cases {
        assert_eq!(
            check_doc(&fields, &doc).is_ok(),
            passes,
            "{name}: {:?}",
            check_doc(&fields, &doc)
        );
    }
}

#[test]
fn quickwit_lines_follow_the_definition() {
    let env = env_with_articles();
    let fields = quickwit_fields();
    let run = env.run(&["export", "--format", "quickwit"]);
    run.expect_code(0);
    let docs = run.json_lines();
    let plain = env.run(&["export"]).json_lines();
    assert_eq!(docs.len(), plain.len(), "one document per exported quotation");
    assert!(docs.len() > 20, "{} documents", docs.len());
    for (doc, p) in docs.iter().zip(&plain) {
        check_doc(&fields, doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
        assert_eq!(doc["id"], p["id"], "same order and ids as the plain export");
        assert_eq!(doc["quote"], p["quote"]);
        assert_eq!(doc["speaker"], p["speaker"]);
    }
    // Dates as RFC 3339 at midnight UTC; an undated article's quotation has none.
    let by_file = |end: &str| docs.iter().find(|d| d["file"].as_str().unwrap().ends_with(end));
    assert_eq!(by_file("undated.txt").unwrap()["date"], Value::Null);
    let fed: Vec<&Value> =
        docs.iter().filter(|d| d["file"].as_str().unwrap().ends_with("feed.jsonl")).collect();
    assert_eq!(fed.len(), 2);
    assert_eq!(fed[0]["date"].as_str(), Some("2024-05-01T00:00:00Z"));
    assert_eq!(fed[0]["url"].as_str(), Some("https://example.org/pier"));
    assert_ne!(fed[0]["article_id"], fed[1]["article_id"], "two lines, two articles");
    // Copies of one quotation share a key; other quotations do not.
    let keys: std::collections::HashSet<&str> =
        docs.iter().map(|d| d["quote_key"].as_str().unwrap()).collect();
    assert!(keys.len() > docs.len() / 2, "{} keys for {} documents", keys.len(), docs.len());
}

#[test]
fn opensearch_lines_are_bulk_pairs_that_follow_the_definition() {
    let env = env_with_articles();
    let fields = opensearch_fields();
    let run = env.run(&["export", "--format", "opensearch"]);
    run.expect_code(0);
    let lines = run.json_lines();
    let plain = env.run(&["export"]).json_lines();
    assert_eq!(lines.len(), 2 * plain.len(), "an action and a document per quotation");
    for pair in lines.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        assert_eq!(action.as_object().unwrap().len(), 1, "{action}");
        assert_eq!(action["index"]["_id"], doc["id"], "indexed under the quotation's id");
        check_doc(&fields, doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
    }
}

#[test]
fn engine_exports_take_the_same_filters() {
    let env = env_with_articles();
    // (name, filter arguments)
    let cases: [(&str, &[&str]); 4] = [
        ("words", &["tariff"]),
        ("speaker", &["--speaker", "okafor"]),
        ("dates", &["--since", "2023-01-01", "--until", "2023-12-31"]),
        ("nothing matches (negative)", &["zzyzxqk"]),
    ];
    for (name, filters) in cases {
        let plain = env.run(&[&["export"][..], filters].concat()).json_lines();
        let ids: Vec<&Value> = plain.iter().map(|v| &v["id"]).collect();
        let qw = env.run(&[&["export", "--format", "quickwit"][..], filters].concat());
        let qw_ids: Vec<Value> = qw.json_lines().iter().map(|v| v["id"].clone()).collect();
        assert_eq!(qw_ids.iter().collect::<Vec<_>>(), ids, "{name}: quickwit");
        let os = env.run(&[&["export", "--format", "opensearch"][..], filters].concat());
        let os_ids: Vec<Value> =
            os.json_lines().iter().skip(1).step_by(2).map(|v| v["id"].clone()).collect();
        assert_eq!(os_ids.iter().collect::<Vec<_>>(), ids, "{name}: opensearch");
        assert_eq!(plain.is_empty(), name.ends_with("(negative)"), "{name}");
        assert_eq!(qw.code, if plain.is_empty() { 1 } else { 0 }, "{name}: exit code");
    }
}
