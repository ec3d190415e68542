//! ARCHITECTURE.md stays true to the code: its code map names every folder and top-level module
//! of `src/`, every tool under `tools/` and the Python package `python/`, and nothing that is
//! gone; the layering drawn in its bird's eye view holds for every `crate::` and `quoth::` path
//! in `src/`; and the modules that must not know tantivy, clap, HTTP or stdout do not name them.
//!
//! The checks read the code as text, line by line with comments dropped: they see paths and
//! macro names, not types, so they are a floor under the review, not a proof.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
}

/// Folders (`src/article/`) and Rust files (`src/cli.rs`) directly under `dir` of the repository.
fn entries(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.file_type().unwrap().is_dir() {
            out.insert(format!("{dir}/{name}/"));
        } else if name.ends_with(".rs") {
            out.insert(format!("{dir}/{name}"));
        }
    }
    out
}

/// Every `.rs` file under `src/`, as (path from the repository root, text).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &mut out);
    out.sort();
    out
}

/// The paths of the code map: its "### `path`" headings under "## Code map".
fn code_map(md: &str) -> BTreeSet<String> {
    let section = md.split("\n## Code map").nth(1).unwrap_or("");
    let section = section.split("\n## ").next().unwrap_or("");
    section
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`').map(str::to_string))
        .collect()
}

/// Entries of the tree missing from the map, and entries of the map gone from the tree.
fn compare(map: &BTreeSet<String>, tree: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let missing = tree.difference(map).cloned().collect();
    let stale = map.difference(tree).cloned().collect();
    (missing, stale)
}

/// The layers of the bird's eye view: module name -> line of the first ```text block after
/// "## Bird's eye view" (0 at the top). A line's entries are its leading words that end in
/// `.rs` or `/`.
fn layers(md: &str) -> BTreeMap<String, usize> {
    let view = md.split("\n## Bird's eye view").nth(1).unwrap_or("");
    let block = view.split("```text\n").nth(1).unwrap_or("");
    let block = block.split("```").next().unwrap_or("");
    let mut out = BTreeMap::new();
    for (i, line) in block.lines().enumerate() {
        for word in line.split_whitespace() {
            let Some(name) = word.strip_suffix(".rs").or_else(|| word.strip_suffix('/')) else {
                break;
            };
            out.insert(name.to_string(), i);
        }
    }
    out
}

/// The top-level module a file of `src/` belongs to: `src/quote/names/mod.rs` -> `quote`.
fn module_of(path: &str) -> &str {
    let rest = path.strip_prefix("src/").unwrap_or(path);
    let first = rest.split('/').next().unwrap_or(rest);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// A line without its comment (from `//` on; a `//` inside a string cuts the line short, which
/// can only hide a use, never invent one).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// The top-level modules a line names through `crate::` or `quoth::` paths.
fn modules_named(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for prefix in ["crate::", "quoth::"] {
        for (at, _) in code(line).match_indices(prefix) {
            let rest = &code(line)[at + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            let name = &rest[..end.unwrap_or(rest.len())];
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Uses of a module that is not on a lower line than the using file's module, as
/// "path:line: uses crate::x" messages.
fn layering_violations(
    files: &[(String, String)],
    layers: &BTreeMap<String, usize>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let own = module_of(path);
        let Some(&own_layer) = layers.get(own) else { continue };
        for (n, line) in text.lines().enumerate() {
            for used in modules_named(line) {
                match layers.get(used) {
                    Some(&l) if used != own && l <= own_layer => out.push(format!(
                        "{path}:{}: `{own}` uses `{used}`, which is not below it",
                        n + 1
                    )),
                    _ => {}
                }
            }
        }
    }
    out
}

/// What a part of the code must not name: (rule, files it applies to, files exempt, words).
type Rule =
    (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

const RULES: &[Rule] = &[
    (
        "article/ and quote/ know nothing of tantivy",
        &["src/article/", "src/quote/"],
        &[],
        &["tantivy::", "use tantivy"],
    ),
    (
        "only the binary and the server know HTTP and async",
        &["src/"],
        &["src/main.rs", "src/server/"],
        &["axum::", "tokio::", "use axum", "use tokio"],
    ),
    (
        "clap stays in cli.rs (and main.rs's parse call)",
        &["src/"],
        &["src/main.rs", "src/cli.rs"],
        &["clap::", "use clap", "#[arg(", "#[command("],
    ),
    (
        "only main.rs prints: search/ and the rest return data",
        &["src/"],
        &["src/main.rs"],
        &["println!", "print!(", "eprintln!", "eprint!(", "stdout()", "stderr()", "dbg!("],
    ),
];

/// Lines breaking `RULES`, as "path:line: rule" messages.
fn rule_violations(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        for (rule, applies, exempt, words) in RULES {
            let here = applies.iter().any(|a| path.starts_with(a))
                && !exempt.iter().any(|e| path.starts_with(e));
            if !here {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                if let Some(w) = words.iter().find(|w| code(line).contains(*w)) {
                    out.push(format!("{path}:{}: names `{w}`: {rule}", n + 1));
                }
            }
        }
    }
    out
}

#[test]
fn the_code_map_names_every_module_and_tool() {
    let map = code_map(&architecture());
    let mut tree = entries("src");
    tree.extend(entries("tools"));
    if root().join("python").is_dir() {
        tree.insert("python/".to_string());
    }
    let (missing, stale) = compare(&map, &tree);
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map has no paragraph for {missing:?}: add a \"### `path`\" \
         heading with what it owns and what it must not know"
    );
    assert!(stale.is_empty(), "ARCHITECTURE.md's code map names {stale:?}, which no longer exist");
}

#[test]
fn the_layering_names_every_module_and_holds() {
    let layers = layers(&architecture());
    let unplaced: Vec<String> = entries("src")
        .into_iter()
        .map(|e| module_of(&e).to_string())
        .filter(|m| m != "lib" && !layers.contains_key(m))
        .collect();
    assert!(
        unplaced.is_empty(),
        "ARCHITECTURE.md's layering (the text block of the bird's eye view) has no line for \
         {unplaced:?}"
    );
    let violations = layering_violations(&sources(), &layers);
    assert!(violations.is_empty(), "uses against the layering:\n{}", violations.join("\n"));
}

#[test]
fn modules_name_only_what_they_may_know() {
    let violations = rule_violations(&sources());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checks_see_what_they_should() {
    let md = "# A\n## Bird's eye view\n```text\nmain.rs\nserver/   output.rs   rendering\n\
              search/\n```\n## Code map\n### `src/main.rs`\nx\n### `src/gone.rs`\n## Invariants\n\
              ### `src/not-in-the-map.rs`\n";
    let tree: BTreeSet<String> =
        ["src/main.rs", "src/search/"].into_iter().map(String::from).collect();
    assert_eq!(
        compare(&code_map(md), &tree),
        (vec!["src/search/".to_string()], vec!["src/gone.rs".to_string()]),
        "a missing and a stale entry; headings outside the code map do not count"
    );
    let layers = layers(md);
    let want: BTreeMap<String, usize> = [("main", 0), ("server", 1), ("output", 1), ("search", 2)]
        .into_iter()
        .map(|(m, l)| (m.to_string(), l))
        .collect();
    assert_eq!(layers, want, "entries are the leading words ending in .rs or /");
    // (name, file, text, violations expected)
    let cases: &[(&str, &str, &str, usize)] = &[
        ("uses a lower layer", "src/server/mod.rs", "use crate::search::Hit;", 0),
        ("uses itself", "src/search/rank.rs", "use crate::search::parts;", 0),
        ("uses a higher layer (negative)", "src/search/mod.rs", "let x = crate::output::write;", 1),
        ("uses its own layer (negative)", "src/output.rs", "use crate::server::serve;", 1),
        ("in a comment only", "src/search/mod.rs", "// see crate::output", 0),
        ("through the library name (negative)", "src/search/mod.rs", "quoth::server::x()", 1),
    ];
    for (name, path, text, want) in cases {
        let files = vec![(path.to_string(), text.to_string())];
        assert_eq!(layering_violations(&files, &layers).len(), *want, "case {name}");
    }
    let cases: &[(&str, &str, &str, usize)] = &[
        ("tantivy in quote (negative)", "src/quote/mod.rs", "use tantivy::Index;", 1),
        ("tantivy in index", "src/index/mod.rs", "use tantivy::Index;", 0),
        ("printing in search (negative)", "src/search/mod.rs", "println!(\"{x}\");", 1),
        ("printing in main", "src/main.rs", "eprintln!(\"quoth: {e}\");", 0),
        ("clap in output (negative)", "src/output.rs", "use clap::ValueEnum;", 1),
        ("tokio in the server", "src/server/mod.rs", "tokio::spawn(f);", 0),
        ("a word in a comment", "src/quote/mod.rs", "// unlike tantivy::Index", 0),
    ];
    for (name, path, text, want) in cases {
        let files = vec![(path.to_string(), text.to_string())];
        assert_eq!(rule_violations(&files).len(), *want, "case {name}");
    }
}
