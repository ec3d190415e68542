//! End-to-end tests of `quoth serve` in headless Chromium (tests/e2e/search.mjs for the search,
//! tests/e2e/check.mjs for "Check a quote"; playwright-core).
//! `.ci/run` installs Chromium and playwright-core; without them the test fails under CI and is
//! skipped with a message elsewhere.

mod testenv;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use testenv::TestEnv;

#[test]
fn search_page_in_chromium() {
    page_test("search.mjs", "search.png");
}

/// The "Check a quote" mode (tests/e2e/check.mjs).
#[test]
fn check_page_in_chromium() {
    page_test("check.mjs", "check.png");
}

/// Serves the samples and an injected hostile article, and runs `script` against the server in
/// Chromium, which saves its screenshots as `shot` (and `-phone`) in tests/e2e/screenshots.
fn page_test(script: &str, shot: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = Path::new("/usr/bin/chromium");
    let driver = root.join("tests/e2e/node_modules/playwright-core");
    if !chromium.exists() || !driver.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and playwright-core (.ci/run)"
        );
        eprintln!(
            "skipped: install chromium and run `npm install` in tests/e2e to run the browser test"
        );
        return;
    }
    let env = TestEnv::new().with_samples();
    env.write(
        "injected.txt",
        "date 2024-03-03\n\n“This <script>window.__pwned = 1; alert(1)</script> and <img src=x onerror='window.__pwned=2'> are injected,” said Mallory Quince.\n",
    );
    env.run(&["index", "articles", "--quiet"]).expect_code(0);
    let mut server = env
        .cmd(&["serve", "--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start quoth serve");
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("quoth: listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let shots = root.join("tests/e2e/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(root.join("tests/e2e").join(script))
        .arg(&url)
        .arg(shots.join(shot))
        .output()
        .expect("run node");
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        out.status.success(),
        "browser test {script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shots.join(shot).exists());
}
