//! `quoth check` latency: claims made from quotations drawn from the index itself (so it works
//! on any index), in every kind the check tells apart, each checked once per round against one
//! reader with a fresh searcher, as the CLI and the server do.
//! Usage: `cargo run --release --example check_bench -- INDEX_DIR [CLAIMS] [ROUNDS]`; with
//! `QUOTH_BENCH_SHOW=1`, every claim whose verdict is not the one its kind was made to get is
//! printed with the check's summary. Beside wall-clock times it reports the processor time of
//! each check (Linux), which a machine busy with other work does not inflate.
//!
//! Kinds, in turn: the quotation as it is (with its speaker claimed); a word replaced; three
//! words dropped from the middle; two words added; its first half; two letters swapped in its
//! longest word; the first half of one quotation and the second half of another by the same
//! speaker; the quotation under another speaker's name; its words in reverse order (a claim
//! no one made).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use quoth::check::{check_claim, CheckQuery};
use quoth::index::QuoteIndex;
use quoth::search::{similar, SearchQuery};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

/// A deterministic generator (SplitMix64), so that every run checks the same claims.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

const KINDS: [&str; 9] =
    ["exact", "replaced", "dropped", "added", "half", "typo", "stitched", "speaker", "reversed"];

/// Nanoseconds this thread has spent on a processor (Linux), to time checks apart from the
/// waits of a machine shared with other work.
#[cfg(target_os = "linux")]
fn cpu_ns() -> Option<u64> {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64)
}

#[cfg(not(target_os = "linux"))]
fn cpu_ns() -> Option<u64> {
    None
}

/// The verdict each kind of claim is made to get.
fn expected(kind: &str) -> &'static str {
    match kind {
        "exact" | "typo" => "verbatim",
        "replaced" | "dropped" | "added" => "close",
        "half" | "stitched" => "partial",
        "speaker" => "different-speaker",
        _ => "not-found",
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir: PathBuf = args.next().expect("usage: check_bench INDEX_DIR [CLAIMS] [ROUNDS]").into();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(450);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let idx = QuoteIndex::open(&dir)?;
    idx.reader.reload()?;
    let searcher = idx.reader.searcher();
    let f = idx.fields;
    let mut rng = Rng(7);
    // Quotations of at least six words with a known speaker, and the quotation after each in
    // index order (often the next of the same article).
    let read = |addr: DocAddress| -> anyhow::Result<(String, String)> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        Ok((text(f.quote), text(f.speaker)))
    };
    let mut claims: Vec<(&str, CheckQuery)> = Vec::new();
    let segments = searcher.segment_readers();
    while claims.len() < n {
        let s = rng.below(segments.len());
        let max = segments[s].max_doc();
        if max < 2 {
            continue;
        }
        let d = rng.below(max as usize - 1) as u32;
        let (quote, speaker) = read(DocAddress::new(s as u32, d))?;
        let words: Vec<&str> = quote.split_whitespace().collect();
        if words.len() < 6 || speaker.is_empty() {
            continue;
        }
        let kind = KINDS[claims.len() % KINDS.len()];
        let mid = words.len() / 2;
        let mut speaker_claimed = Some(speaker.clone());
        let claim = match kind {
            "exact" => quote.clone(),
            "replaced" => {
                let mut w = words.clone();
                w[mid] = "zanzibar";
                w.join(" ")
            }
            "dropped" => {
                let mut w = words.clone();
                w.drain(mid - 1..(mid + 2).min(w.len()));
                w.join(" ")
            }
            "added" => {
                let mut w = words.clone();
                w.insert(mid, "truly");
                w.insert(1, "really");
                w.join(" ")
            }
            "half" => words[..mid].join(" "),
            "typo" => {
                let long = words.iter().copied().max_by_key(|w| w.len()).unwrap();
                let mut c: Vec<char> = long.chars().collect();
                if c.len() > 3 {
                    c.swap(1, 2);
                }
                words
                    .iter()
                    .map(|w| if *w == long { c.iter().collect() } else { w.to_string() })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "stitched" => {
                let (next, next_speaker) = read(DocAddress::new(s as u32, d + 1))?;
                let other: Vec<&str> = next.split_whitespace().collect();
                if next_speaker != speaker || other.len() < 6 || next == quote {
                    continue;
                }
                format!("{} {}", words[..mid].join(" "), other[other.len() / 2..].join(" "))
            }
            "speaker" => {
                speaker_claimed = Some("Nobody Inparticular".to_string());
                quote.clone()
            }
            _ => words.iter().rev().copied().collect::<Vec<_>>().join(" "),
        };
        claims.push((
            kind,
            CheckQuery { claim, speaker: speaker_claimed, limit: 5, ..CheckQuery::default() },
        ));
    }
    let show = std::env::var_os("QUOTH_BENCH_SHOW").is_some();
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Vec<Duration> = Vec::new();
    let mut retrieval: Vec<Duration> = Vec::new();
    let mut by_kind: BTreeMap<&str, (Vec<Duration>, BTreeMap<String, usize>)> = BTreeMap::new();
    for round in 0..rounds {
        for (kind, q) in &claims {
            let (t, c) = (Instant::now(), cpu_ns());
            let checked = check_claim(&idx, q)?;
            let took = t.elapsed();
            times.push(took);
            if let (Some(before), Some(after)) = (c, cpu_ns()) {
                cpu.push(Duration::from_nanos(after.saturating_sub(before)));
            }
            let entry = by_kind.entry(kind).or_default();
            entry.0.push(took);
            if round == 0 {
                *entry.1.entry(checked.verdict.name().to_string()).or_default() += 1;
                if show && checked.verdict.name() != expected(kind) {
                    println!("{kind}: {:?} by {:?}\n  {}", q.claim, q.speaker, checked.summary);
                }
                // The index side alone: the unfiltered retrieval of candidates.
                let t = Instant::now();
                similar(&idx, &idx.reader.searcher(), &q.claim, &SearchQuery::default(), 64)?;
                retrieval.push(t.elapsed());
            }
        }
    }
    let pct = |t: &mut Vec<Duration>, p: f64| {
        t.sort();
        t[((t.len() as f64 * p) as usize).min(t.len() - 1)].as_secs_f64() * 1e3
    };
    println!(
        "{} quotes indexed; {} timed checks ({} claims x {rounds} rounds): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        searcher.num_docs(),
        times.len(),
        claims.len(),
        pct(&mut times, 0.5),
        pct(&mut times, 0.9),
        pct(&mut times, 0.99),
        pct(&mut times, 1.0),
    );
    if !cpu.is_empty() {
        println!(
            "  processor time per check: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            pct(&mut cpu, 0.5),
            pct(&mut cpu, 0.9),
            pct(&mut cpu, 0.99),
            pct(&mut cpu, 1.0),
        );
    }
    println!(
        "  candidate retrieval alone (one of the two searches): p50 {:.2} ms, p99 {:.2} ms",
        pct(&mut retrieval, 0.5),
        pct(&mut retrieval, 0.99)
    );
    for kind in KINDS {
        let Some((t, verdicts)) = by_kind.get_mut(kind) else { continue };
        let v: Vec<String> = verdicts.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let total: usize = verdicts.values().sum();
        let right = verdicts.get(expected(kind)).copied().unwrap_or(0);
        println!(
            "  {kind:<9} p50 {:>6.2} ms, p99 {:>6.2} ms; {right} of {total} {}; verdicts: {}",
            pct(t, 0.5),
            pct(t, 0.99),
            expected(kind),
            v.join(", ")
        );
    }
    Ok(())
}
