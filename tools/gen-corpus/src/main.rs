//! `gen-corpus`: writes a deterministic corpus of invented articles (see the library) for
//! `bench/` and for trying quoth on a large folder. A development tool: not in quoth's binary.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Write a deterministic corpus of invented plain-text articles, in subfolders of 1000.
#[derive(Parser)]
#[command(name = "gen-corpus", version)]
struct Args {
    /// Number of articles.
    #[arg(long, value_name = "N")]
    articles: usize,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match gen_corpus::write_corpus(&args.out, args.articles, args.seed) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} articles, {:.1} MB, to {}",
                args.articles,
                bytes as f64 / 1e6,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-corpus: cannot write the corpus to {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
