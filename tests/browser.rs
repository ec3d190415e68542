//! End-to-end tests of `quoth serve` in headless Chromium (tests/e2e/search.mjs for the search,
//! tests/e2e/check.mjs for "Check a quote", tests/e2e/timeline.mjs for the timeline chart and
//! the speaker pages; playwright-core).
//! `.ci/run` installs Chromium and playwright-core. This test binary has its own `main`
//! (`harness = false` in Cargo.toml): libtest cannot decide at run time that a test is ignored,
//! and a browser test that finds no browser must never say "ok". Without node, Chromium or
//! playwright-core, each test is reported as ignored, naming what is missing, and fails when
//! the environment variable `CI` is set. The server is killed however a test ends
//! (`testenv::Serving`).

mod testenv;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use testenv::TestEnv;

/// (name, script under tests/e2e, screenshot)
const TESTS: &[(&str, &str, &str)] = &[
    ("search_page_in_chromium", "search.mjs", "search.png"),
    ("check_page_in_chromium", "check.mjs", "check.png"),
    // The timeline chart above the hits and the speaker pages.
    ("timeline_and_speaker_pages_in_chromium", "timeline.mjs", "timeline.png"),
];

fn main() -> ExitCode {
    // Any argument that is not a flag filters tests by name, as libtest's do.
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let chosen: Vec<_> = TESTS
        .iter()
        .filter(|t| filters.is_empty() || filters.iter().any(|f| t.0.contains(f.as_str())))
        .collect();
    println!("\nrunning {} tests", chosen.len());
    let missing = missing_tools();
    let ci = std::env::var_os("CI").is_some();
    let (mut passed, mut failed, mut ignored) = (0, 0, 0);
    for (name, script, shot) in chosen {
        let result = match &missing {
            Some(what) if ci => Err(format!("CI must install {what} (.ci/run)")),
            Some(what) => {
                println!("test {name} ... ignored, needs {what}");
                ignored += 1;
                continue;
            }
            None => std::panic::catch_unwind(|| page_test(script, shot))
                .unwrap_or_else(|p| Err(panic_text(&*p))),
        };
        match result {
            Ok(()) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Err(why) => {
                println!("test {name} ... FAILED\n{why}");
                failed += 1;
            }
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; 0 filtered out\n"
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panicked".to_string())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// What the browser tests need and this machine lacks, in words; `None` when all is there.
fn missing_tools() -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    // (present, what)
    let needs = [
        (node, "node"),
        (Path::new("/usr/bin/chromium").exists(), "chromium"),
        (
            root().join("tests/e2e/node_modules/playwright-core").exists(),
            "playwright-core (npm install in tests/e2e)",
        ),
    ];
    let missing: Vec<&str> = needs.iter().filter(|n| !n.0).map(|n| n.1).collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// Serves the samples and an injected hostile article, and runs `script` against the server in
/// Chromium, which saves its screenshots as `shot` (and `-phone`) in tests/e2e/screenshots.
fn page_test(script: &str, shot: &str) -> Result<(), String> {
    let env = TestEnv::new().with_samples();
    env.write(
        "injected.txt",
        "date 2024-03-03\n\n“This <script>window.__pwned = 1; alert(1)</script> and <img src=x onerror='window.__pwned=2'> are injected,” said Mallory Quince.\n",
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    // Killed when this function returns or panics.
    let server = env.serve(|_| {});
    let shots = root().join("tests/e2e/screenshots");
    std::fs::create_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    let out = Command::new("node")
        .arg(root().join("tests/e2e").join(script))
        .arg(server.url())
        .arg(shots.join(shot))
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "browser test {script} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if !shots.join(shot).exists() {
        return Err(format!("no screenshot {}", shots.join(shot).display()));
    }
    Ok(())
}
