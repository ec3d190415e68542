//! Query latency benchmark: 100 fixed queries mixing words, phrases, speaker and date filters,
//! run in rounds against one reader (a new searcher per query, as the CLI and server do).
//! Usage: `cargo run --release --example query_bench -- INDEX_DIR [ROUNDS]`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gen_corpus::{vocabulary_word, zipf_rank, Rng, WORDS};
use quoth::index::QuoteIndex;
use quoth::search::{parse_date_bound, search, DateEnd, SearchQuery};

fn main() -> anyhow::Result<()> {
    let dir: PathBuf =
        std::env::args().nth(1).expect("usage: query_bench INDEX_DIR [ROUNDS]").into();
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let idx = QuoteIndex::open(&dir)?;
    idx.reader.reload()?;
    let base = SearchQuery { limit: 20, ..SearchQuery::default() };
    // Speakers to filter by: the first distinct names in the index.
    let mut speakers: Vec<String> = Vec::new();
    for h in search(&idx, &SearchQuery { limit: 2000, ..base.clone() })?.hits {
        if let Some(s) = h.speaker {
            if !speakers.contains(&s) {
                speakers.push(s);
            }
        }
    }
    let content: Vec<&str> = WORDS.iter().copied().filter(|w| w.len() > 4).collect();
    let mut rng = Rng::new(42);
    let mut queries: Vec<SearchQuery> = Vec::new();
    for i in 0..100 {
        // Half the queries use common words (broad), half words drawn as they occur in text.
        let (w1, w2) = if i % 2 == 0 {
            (rng.pick(&content).to_string(), rng.pick(&content).to_string())
        } else {
            (vocabulary_word(zipf_rank(&mut rng)), vocabulary_word(zipf_rank(&mut rng)))
        };
        let year = 2015 + rng.below(11);
        let q = match i % 5 {
            0 => SearchQuery { text: w1.clone(), ..base.clone() },
            1 => SearchQuery { text: format!("{w1} {w2}"), ..base.clone() },
            2 => SearchQuery { text: format!("\"{w1} {w2}\""), ..base.clone() },
            3 => SearchQuery {
                text: w1.clone(),
                speakers: vec![speakers[rng.below(speakers.len())].clone()],
                ..base.clone()
            },
            _ => SearchQuery {
                text: w1.clone(),
                since: parse_date_bound(&year.to_string(), DateEnd::First),
                until: parse_date_bound(&year.to_string(), DateEnd::Last),
                ..base.clone()
            },
        };
        queries.push(q);
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); 5];
    let mut hits = 0usize;
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            hits += search(&idx, q)?.hits.len();
            times.push(t.elapsed());
            by_kind[i % 5].push(t.elapsed());
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let docs = idx.reader.searcher().num_docs();
    println!(
        "{docs} quotes indexed; {} timed queries ({} distinct x {rounds} rounds), {hits} hits; p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        queries.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.90).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
    for (name, mut t) in ["word", "two words", "phrase", "speaker", "year"].iter().zip(by_kind) {
        t.sort();
        let p = |p: f64| t[((t.len() as f64 * p) as usize).min(t.len() - 1)].as_secs_f64() * 1e3;
        println!("  {name}: p50 {:.2} ms, p99 {:.2} ms", p(0.5), p(0.99));
    }
    for word in ["tariff", "harbour", "council", "inquiry", "steel"] {
        let q = SearchQuery { text: word.to_string(), ..base.clone() };
        let t = Instant::now();
        let r = search(&idx, &q)?;
        println!(
            "quoth query {word}: {:.2} ms, {} matching quotes",
            t.elapsed().as_secs_f64() * 1e3,
            r.total
        );
    }
    Ok(())
}
