//! Times `quoth serve`'s result cache (a `Bounded` map behind one mutex, as `server::cache`
//! holds it) against `quick_cache` and `moka` on the same requests: each request looks its key
//! up and, on a miss, inserts an answer of its size, on two threads, over keys that fit the
//! cache and keys twice as many as it holds (so that it evicts all the time). Prints the
//! median nanoseconds per request of nine rounds, each cache's turn alternating within a round.

#[allow(dead_code)]
#[path = "../../../src/bounded.rs"]
mod bounded;

use std::sync::{Arc, Mutex};
use std::time::Instant;

/// An answer: what the server keeps is serialised JSON of a few kilobytes.
type Answer = Arc<Vec<u8>>;

/// Entries and bytes `quoth serve --cache 1024` keeps (its byte budget: 64 MB).
const CAPACITY: usize = 1024;
const MAX_BYTES: usize = 64 << 20;
/// Each request's weight in the crates' caches is at least this, so that a byte budget alone
/// also bounds the entries, as `Bounded` does with both.
const MIN_WEIGHT: usize = MAX_BYTES / CAPACITY;
const REQUESTS: usize = 400_000;
const THREADS: usize = 2;
const ROUNDS: usize = 9;

trait Cache: Sync {
    fn get(&self, key: &str) -> Option<Answer>;
    fn insert(&self, key: String, value: Answer, bytes: usize);
}

struct Ours(Mutex<bounded::Bounded<String, Answer>>);

impl Cache for Ours {
    fn get(&self, key: &str) -> Option<Answer> {
        self.0.lock().unwrap().get(key).cloned()
    }
    fn insert(&self, key: String, value: Answer, bytes: usize) {
        self.0.lock().unwrap().insert(key, value, bytes)
    }
}

#[derive(Clone)]
struct Bytes;

impl quick_cache::Weighter<String, Answer> for Bytes {
    fn weight(&self, key: &String, value: &Answer) -> u64 {
        (key.len() + value.len()).max(MIN_WEIGHT) as u64
    }
}

struct Quick(quick_cache::sync::Cache<String, Answer, Bytes>);

impl Cache for Quick {
    fn get(&self, key: &str) -> Option<Answer> {
        self.0.get(key)
    }
    fn insert(&self, key: String, value: Answer, _bytes: usize) {
        self.0.insert(key, value)
    }
}

struct Moka(moka::sync::Cache<String, Answer>);

impl Cache for Moka {
    fn get(&self, key: &str) -> Option<Answer> {
        self.0.get(key)
    }
    fn insert(&self, key: String, value: Answer, _bytes: usize) {
        self.0.insert(key, value)
    }
}

fn caches() -> Vec<(&'static str, Box<dyn Cache>)> {
    let ours = Ours(Mutex::new(bounded::Bounded::new(CAPACITY, MAX_BYTES)));
    let quick = Quick(quick_cache::sync::Cache::with_weighter(CAPACITY, MAX_BYTES as u64, Bytes));
    let moka = Moka(
        moka::sync::Cache::builder()
            .max_capacity(MAX_BYTES as u64)
            .weigher(|k: &String, v: &Answer| (k.len() + v.len()).max(MIN_WEIGHT) as u32)
            .build(),
    );
    vec![
        ("ours (Bounded + Mutex)", Box::new(ours)),
        ("quick_cache", Box::new(quick)),
        ("moka", Box::new(moka)),
    ]
}

/// Nanoseconds per request and the share of hits, for `keys` request keys of `load.lua`'s shape.
/// With `skewed`, keys are drawn at random, the first ones far more often (the square of a
/// uniform draw); otherwise they cycle in a fixed order, as wrk's connections walk load.lua's.
fn run(cache: &dyn Cache, keys: &[String], answers: &[Answer], skewed: bool) -> (f64, f64) {
    let started = Instant::now();
    let hits: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                s.spawn(move || {
                    let mut hits = 0;
                    let mut i = t * 7919;
                    let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ t as u64;
                    for _ in 0..REQUESTS / THREADS {
                        if skewed {
                            rng ^= rng << 13;
                            rng ^= rng >> 7;
                            rng ^= rng << 17;
                            let u = (rng >> 11) as f64 / (1u64 << 53) as f64;
                            i = ((u * u) * keys.len() as f64) as usize;
                        } else {
                            i = (i + 31) % keys.len();
                        }
                        match cache.get(&keys[i]) {
                            Some(a) => hits += (a.len() > 0) as usize,
                            None => {
                                let a = answers[i % answers.len()].clone();
                                let bytes = keys[i].len() + a.len();
                                cache.insert(keys[i].clone(), a, bytes);
                            }
                        }
                    }
                    hits
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    (started.elapsed().as_nanos() as f64 / REQUESTS as f64, hits as f64 / REQUESTS as f64)
}

fn main() {
    let answers: Vec<Answer> = (0..64).map(|i| Arc::new(vec![b'x'; 2_000 + 300 * i])).collect();
    let scenarios = [
        ("1000 keys in turn (load.lua), all fit", 1000, false),
        ("4096 keys, skewed draws, 4 times the entries", 4 * CAPACITY, true),
    ];
    for (label, n, skewed) in scenarios {
        let keys: Vec<String> =
            (0..n).map(|i| format!("/api/search?q=word{}&offset={}", i % 97, i)).collect();
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); 3];
        let mut hit_share = vec![0.0; 3];
        for _round in 0..ROUNDS {
            for (k, (_, cache)) in caches().into_iter().enumerate() {
                let (ns, hits) = run(cache.as_ref(), &keys, &answers, skewed);
                times[k].push(ns);
                hit_share[k] = hits;
            }
        }
        println!("{label}: ns per request, median (min-max) of {ROUNDS} rounds, {THREADS} threads");
        for (k, (name, _)) in caches().iter().enumerate() {
            let t = &mut times[k];
            t.sort_by(f64::total_cmp);
            println!(
                "  {name:<24} {:>7.0}  ({:.0}-{:.0})  hits {:.1}%",
                t[t.len() / 2],
                t[0],
                t[t.len() - 1],
                hit_share[k] * 100.0
            );
        }
    }
}
