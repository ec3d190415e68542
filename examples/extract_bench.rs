//! Single-threaded extraction throughput: reads the first N articles of a folder into memory,
//! then parses and extracts them on one thread, timing only the parsing and extraction.
//! Usage: `cargo run --release --example extract_bench -- CORPUS_DIR [N]`.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let dir: PathBuf = std::env::args().nth(1).expect("usage: extract_bench DIR [N]").into();
    let n: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files.truncate(n);
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p)?;
            Ok((p, t))
        })
        .collect::<anyhow::Result<_>>()?;
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let started = Instant::now();
    let mut quotes = 0;
    for (path, text) in &texts {
        let article = quoth::article::parse_plain(path, text);
        quotes += quoth::quote::extract(&article).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} articles, {:.1} MB, {quotes} quotes in {secs:.2} s: {:.1} MB/s on one thread",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
