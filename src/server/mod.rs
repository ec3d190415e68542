//! `quoth serve`: the search over HTTP for a newsroom, a JSON API and one embedded page.
//!
//! The handlers call the same library functions as the command line (`search`, `stats`); there
//! is no second implementation. Index readers live for the whole process and reload by
//! themselves when a concurrent `quoth index` commits: the one of `/api/search` switches to a
//! new commit once the cached searches are answered on it (`Warm`), up to 400 ms after the
//! other endpoints' reader. The server reads nothing but its index and the page compiled into
//! the binary.
//!
//! Hostile clients cannot tie it up (issue #19): connections are capped and must send their
//! requests in time (`listen`), work runs on a bounded number of threads with a bounded queue,
//! and work still waiting when its client goes away is dropped unstarted (`Slots`); every
//! answer says `nosniff` and may not be framed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

use tantivy::{IndexReader, ReloadPolicy, Searcher};

use crate::index::{display_path, QuoteIndex};
use crate::search::{
    self, parse_date_bound, DateEnd, Hit, SearchQuery, SearchResult, SegmentParts, Sort,
};
use crate::stats::{self, SpeakerTable};

mod cache;
mod check;
mod listen;
mod pictures;
use cache::ResultCache;
pub use listen::Limits;

/// The page, embedded at build time: no CDN, no build step at run time.
const PAGE: &str = include_str!("page.html");

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Longest query text accepted, in bytes.
pub const MAX_QUERY: usize = 1024;
/// Longest speaker filter accepted, in bytes.
pub const MAX_SPEAKER: usize = 200;
/// Memory the cache of search results may hold, as estimated per entry.
const CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Memory the per-segment parts of answers may hold, as estimated, and as much again for what
/// they read from segments (stored quotations, columns, term counts).
const PARTS_BYTES: usize = 64 * 1024 * 1024;

/// Server settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Searches whose results are kept until the index changes; 0 keeps none.
    pub cache_entries: usize,
    /// Connections and the time a request may take to arrive.
    pub limits: Limits,
    /// Searches (and other reads of the index) running at once.
    pub workers: usize,
    /// How long the cached answers are answered again on a new index generation before the
    /// server switches to it.
    pub warm_budget: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            cache_entries: 1024,
            limits: Limits { max_connections: 512, header_timeout: Duration::from_secs(10) },
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8),
            warm_budget: WARM_BUDGET,
        }
    }
}

/// Requests that may wait for a worker; more are told the server is busy (503) at once.
const MAX_WAITING: usize = 256;
/// Longest a request waits for a worker before being told the server is busy.
const MAX_WAIT: Duration = Duration::from_secs(15);

/// The workers that read the index, and the requests waiting for one. A request waits
/// without a thread; one whose client goes away is dropped before its work starts.
struct Slots {
    running: Arc<tokio::sync::Semaphore>,
    waiting: std::sync::atomic::AtomicUsize,
}

/// Counts a waiting request for as long as it waits.
struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl Slots {
    /// Runs `work` on a blocking thread once a worker is free, with the status of its failure.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, (StatusCode, String)> {
        let busy =
            || (StatusCode::SERVICE_UNAVAILABLE, "the server is busy: try again".to_string());
        if self.waiting.fetch_add(1, std::sync::atomic::Ordering::AcqRel) >= MAX_WAITING {
            self.waiting.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
            return Err(busy());
        }
        let waiting = Waiting(&self.waiting);
        let permit = tokio::time::timeout(MAX_WAIT, self.running.clone().acquire_owned()).await;
        drop(waiting);
        let Ok(Ok(permit)) = permit else { return Err(busy()) };
        // The permit goes with the work: a request dropped while its work runs does not free
        // its worker before the work ends.
        outcome(
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work()
            })
            .await,
        )
    }
}

/// Something computed once per index generation for all requests of it: the newest
/// generation asked for and its value, once computed.
type PerGeneration<T> = Arc<Mutex<Option<(u64, Arc<tokio::sync::OnceCell<T>>)>>>;

/// The cell of `generation` in `slot`, replacing that of an older generation.
fn cell_of<T>(slot: &PerGeneration<T>, generation: u64) -> Arc<tokio::sync::OnceCell<T>> {
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    match &*slot {
        Some((g, cell)) if *g == generation => cell.clone(),
        _ => {
            let cell = Arc::new(tokio::sync::OnceCell::new());
            *slot = Some((generation, cell.clone()));
            cell
        }
    }
}

/// A search's answer, serialised once: its total, and the rest of the JSON object after
/// `took_ms` (warnings, hits, top speakers), which every request for it then copies.
struct Searched {
    total: usize,
    rest: String,
    /// The search it answers, to answer it again on a new index generation before requests
    /// see that generation (`Warm`).
    query: SearchQuery,
    facets: bool,
}

/// What every handler shares: the index, the reader searches use, and the caches.
#[derive(Clone)]
struct AppState {
    index: Arc<QuoteIndex>,
    /// The reader of `/api/search`: it picks up commits by itself and switches to a new
    /// generation only once `warm` has answered the cached searches on it.
    reader: IndexReader,
    /// Kept alive here: the reader holds its warmer weakly.
    _warm: Arc<Warm>,
    searches: Arc<ResultCache<Searched>>,
    /// Per-segment parts of answers: after a commit, a search visits only the new segments.
    parts: Arc<SegmentParts>,
    /// Searches running now: later identical requests wait for them.
    in_flight: Arc<Flights<Searched>>,
    slots: Arc<Slots>,
    /// The speakers of the newest generation asked for, and answers of `/api/speakers`.
    speakers: PerGeneration<Arc<SpeakerTable>>,
    speaker_answers: Arc<ResultCache<String>>,
    /// Whether the index's files pass their checksums, per generation (`/healthz`).
    health: PerGeneration<Option<String>>,
    /// Answers of `/api/timeline` and `/api/speaker`, serialised, per index generation (and
    /// the generation before, answering while they are computed again).
    pictures: Arc<ResultCache<pictures::Pictured>>,
    /// Pictures being drawn for requests, and computed again in the background.
    drawing: Arc<pictures::Drawing>,
}

/// Answers being computed now, by generation and request, each with its answer or its error
/// (status and message) once done: identical requests that arrive together compute it once
/// and all get it.
struct Flights<T> {
    running: Mutex<HashMap<String, Arc<Flight<T>>>>,
}

type Flight<T> = tokio::sync::OnceCell<Result<Arc<T>, (StatusCode, String)>>;

impl<T> Default for Flights<T> {
    fn default() -> Self {
        Flights { running: Mutex::new(HashMap::new()) }
    }
}

impl<T> Flights<T> {
    /// The answer of `key` on `generation`: `compute`'s, or that of an identical request
    /// already computing it.
    async fn once(
        &self,
        generation: u64,
        key: &str,
        compute: impl std::future::Future<Output = Result<Arc<T>, (StatusCode, String)>>,
    ) -> Result<Arc<T>, (StatusCode, String)> {
        let flight = format!("{generation} {key}");
        let cell = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            // A request dropped mid-way (the client went away) leaves its entry behind:
            // entries of older generations are swept before the map can grow.
            if running.len() >= 256 {
                let current = format!("{generation} ");
                running.retain(|k, _| k.starts_with(&current));
            }
            running.entry(flight.clone()).or_default().clone()
        };
        let outcome = cell.get_or_init(|| compute).await.clone();
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.get(&flight).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            running.remove(&flight);
        }
        outcome
    }
}

/// The router over an opened index, with the default settings.
pub fn app(index: Arc<QuoteIndex>) -> anyhow::Result<Router> {
    app_with(index, ServeOptions::default())
}

/// The router over an opened index.
pub fn app_with(index: Arc<QuoteIndex>, options: ServeOptions) -> anyhow::Result<Router> {
    let searches = Arc::new(ResultCache::new(options.cache_entries, CACHE_BYTES));
    let parts_bytes = if options.cache_entries == 0 { 0 } else { PARTS_BYTES };
    let parts = Arc::new(SegmentParts::new(parts_bytes));
    // As much as the searches (and as much again for the generation before): a speaker page
    // with its quotations is some 30 KB.
    let pictures = Arc::new(ResultCache::keeping_stale(options.cache_entries, CACHE_BYTES));
    let warm = Arc::new(Warm {
        index: index.clone(),
        searches: searches.clone(),
        parts: parts.clone(),
        pictures: pictures.clone(),
        budget: options.warm_budget,
    });
    let weak: std::sync::Weak<dyn tantivy::Warmer> = Arc::downgrade(&warm) as _;
    let reader = (index.index.reader_builder())
        .reload_policy(ReloadPolicy::OnCommitWithDelay)
        .warmers(vec![weak])
        .try_into()
        .with_context(|| format!("cannot read the index at {}", display_path(&index.path)))?;
    let slots = Slots {
        running: Arc::new(tokio::sync::Semaphore::new(options.workers.max(1))),
        waiting: Default::default(),
    };
    let state = AppState {
        index,
        reader,
        _warm: warm,
        searches,
        parts,
        in_flight: Arc::default(),
        slots: Arc::new(slots),
        speakers: Arc::default(),
        speaker_answers: Arc::new(ResultCache::new(256, 8 * 1024 * 1024)),
        health: Arc::default(),
        pictures,
        drawing: Arc::default(),
    };
    Ok(Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/api/search", get(api_search))
        .route("/api/speakers", get(api_speakers))
        .route("/api/stats", get(api_stats))
        .route("/api/quote/{id}", get(api_quote))
        .route("/api/check", get(check::api_check))
        .route("/api/timeline", get(pictures::api_timeline))
        .route("/api/speaker", get(pictures::api_speaker))
        .route("/speaker/{name}", get(page))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not found".to_string()) })
        .layer(axum::middleware::map_response(protect))
        .with_state(state))
}

/// Headers on every answer: no content-type sniffing (a JSON answer quoting `<script>` is
/// never run as a page), and no framing by another site (clickjacking).
async fn protect(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
    }
    res
}

/// Longest a new index generation waits for its cached searches to be answered again: it is
/// seen by requests within a second of its commit (tantivy notices a commit within 500 ms).
const WARM_BUDGET: Duration = Duration::from_millis(400);

/// Answers the cached searches again on each new index generation before the reader switches to
/// it, newest first for at most `WARM_BUDGET`, on up to four threads: after a commit, requests for them find their
/// answers ready instead of all searching at once. With `parts`, each costs only the segments
/// the commit added.
struct Warm {
    index: Arc<QuoteIndex>,
    searches: Arc<ResultCache<Searched>>,
    parts: Arc<SegmentParts>,
    /// Timelines and speaker pages, answered again after the searches, in the same budget.
    pictures: Arc<ResultCache<pictures::Pictured>>,
    budget: Duration,
}

impl tantivy::Warmer for Warm {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let generation = searcher.generation().generation_id();
        let started = Instant::now();
        let todo = self.searches.newest_first();
        let next = std::sync::atomic::AtomicUsize::new(0);
        // On up to four threads: the searches are independent, and the sooner they are done,
        // the fewer wait for the budget to run out (which is checked between searches).
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    while started.elapsed() < self.budget {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((key, old)) = todo.get(i) else { break };
                        let (q, facets) = (&old.query, old.facets);
                        // A search that fails (or panics) now fails again when asked and says
                        // why then; a panic here would stop the reader from ever reloading.
                        let run = || answer(&self.index, searcher, q, facets, &self.parts);
                        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
                        if let Ok(Ok(found)) = outcome {
                            let bytes = key.len() + found.rest.len() + 64;
                            self.searches.insert(generation, key.clone(), Arc::new(found), bytes);
                        }
                    }
                });
            }
        });
        // Pictures on one thread: a speaker page costs several searches, and those not answered
        // in time are answered from the generation before while they are drawn again
        // (`pictures::refresh`), so warming them on every core would only compete with the
        // requests of the generation being answered.
        let todo = self.pictures.newest_first();
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..1 {
                scope.spawn(|| {
                    while started.elapsed() < self.budget {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((key, old)) = todo.get(i) else { break };
                        let ask = old.ask.clone();
                        let run =
                            || pictures::draw(&self.index, searcher, &self.parts, ask, Some(old));
                        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
                        if let Ok(Ok(found)) = outcome {
                            let bytes = found.bytes(key);
                            self.pictures.insert(generation, key.clone(), Arc::new(found), bytes);
                        }
                    }
                });
            }
        });
        Ok(())
    }

    fn garbage_collect(&self, _live: &[&tantivy::SearcherGeneration]) {}
}

/// Searches `q` (and its top speakers) on `searcher` and serialises the answer.
fn answer(
    idx: &QuoteIndex,
    searcher: &Searcher,
    q: &SearchQuery,
    facets: bool,
    parts: &SegmentParts,
) -> anyhow::Result<Searched> {
    // No budget (`--cache 0`): no parts, and no shared scoring basis either.
    let parts = parts.enabled().then_some(parts);
    let result = search::search_in(idx, searcher, q, parts)?;
    let top = match facets {
        true => search::top_speakers_in(idx, searcher, q, 8, parts)?,
        false => Vec::new(),
    };
    searched(result, &top, q.clone(), facets)
}

/// Serves `app` on `listener` until interrupted, under `options.limits`.
pub async fn serve(
    index: Arc<QuoteIndex>,
    options: ServeOptions,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    let router = app_with(index, options)?;
    // On a worker thread of the runtime, beside its I/O driver, rather than on the thread that
    // blocks on `serve`: a burst of connections is accepted as fast as it arrives.
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    tokio::spawn(listen::run(listener, router, options.limits, shutdown))
        .await
        .context("the server stopped")?;
    Ok(())
}

/// `ok` while every file of the index passes its checksum; otherwise 503 and which files are
/// damaged. Checked once per index generation (it reads the whole index).
async fn healthz(State(state): State<AppState>) -> Response {
    let generation = state.reader.searcher().generation().generation_id();
    let cell = cell_of(&state.health, generation);
    let problem = cell
        .get_or_init(|| async {
            let idx = state.index.clone();
            let checked = tokio::task::spawn_blocking(move || {
                crate::index::damaged_files(&idx.index).map(|bad| (bad, idx))
            })
            .await;
            match checked {
                Ok(Ok((bad, _))) if bad.is_empty() => None,
                Ok(Ok((bad, idx))) => Some(format!(
                    "the index at {} is damaged (files {} fail their checksum): rebuild it with 'quoth index --rebuild'",
                    display_path(&idx.path),
                    bad.join(", ")
                )),
                Ok(Err(e)) => Some(crate::index::explain_damage(&e).unwrap_or(format!("{e:#}"))),
                Err(_) => Some("the index could not be checked".to_string()),
            }
        })
        .await;
    match problem {
        None => "ok".into_response(),
        Some(p) => error(StatusCode::SERVICE_UNAVAILABLE, p.clone()),
    }
}

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Everything the page needs is inline; nothing may load from elsewhere.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        Html(PAGE),
    )
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn bad(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// The answer of work done on a blocking thread, or the status and message of its failure: a
/// search asked for wrongly is the client's (400); anything else, the index failing to be read
/// included, is the server's (500). A panic is reported without its text.
fn outcome<T>(
    joined: Result<anyhow::Result<T>, tokio::task::JoinError>,
) -> Result<T, (StatusCode, String)> {
    match joined {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) if e.downcast_ref::<search::InvalidQuery>().is_some() => {
            Err((StatusCode::BAD_REQUEST, format!("{e:#}")))
        }
        Ok(Err(e)) => Err((
            StatusCode::INTERNAL_SERVER_ERROR,
            crate::index::explain_damage(&e).unwrap_or_else(|| format!("{e:#}")),
        )),
        Err(_) => Err((StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_string())),
    }
}

/// A hit as the API returns it: the quotation with its matched words as offsets.
#[derive(Serialize)]
struct ApiHit {
    id: String,
    quote: String,
    speaker: Option<String>,
    role: Option<String>,
    date: Option<crate::article::Date>,
    file: String,
    line: Option<u64>,
    title: Option<String>,
    url: Option<String>,
    paragraph: String,
    paragraph_number: u64,
    occurrences: u64,
    first_date: Option<crate::article::Date>,
    snippet: Snippet,
}

/// The quotation's text and the matched words as `[start, end)` offsets in Unicode code points
/// (as `Array.from(text)` counts them), never as HTML.
#[derive(Serialize)]
struct Snippet {
    text: String,
    highlights: Vec<[usize; 2]>,
}

fn api_hit(h: Hit) -> ApiHit {
    let cp = |byte: usize| h.quote[..byte.min(h.quote.len())].chars().count();
    let highlights = h.highlights.iter().map(|r| [cp(r.start), cp(r.end)]).collect();
    ApiHit {
        snippet: Snippet { text: h.quote.clone(), highlights },
        id: h.id,
        quote: h.quote,
        speaker: h.speaker,
        role: h.role,
        date: h.date,
        file: h.file,
        line: h.line,
        title: h.title,
        url: h.url,
        paragraph: h.paragraph,
        paragraph_number: h.paragraph_number,
        occurrences: h.occurrences,
        first_date: h.first_date,
    }
}

/// Parses the search parameters; every bad value is a 400 naming it.
/// The date parameter `key` (absent or empty: none), as the first or last day it names; a bad
/// value is a message naming the parameter, for a 400.
fn date_param(
    p: &HashMap<String, String>,
    key: &str,
    end: DateEnd,
) -> Result<Option<crate::article::Date>, String> {
    match p.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => parse_date_bound(v, end).map(Some).ok_or_else(|| {
            format!("invalid date '{v}' for {key}: use YYYY-MM-DD, YYYY-MM or YYYY")
        }),
    }
}

fn search_query(p: &HashMap<String, String>) -> Result<SearchQuery, String> {
    let text = p.get("q").cloned().unwrap_or_default();
    if text.len() > MAX_QUERY {
        return Err(format!("q is longer than {MAX_QUERY} bytes"));
    }
    let since = date_param(p, "since", DateEnd::First)?;
    let until = date_param(p, "until", DateEnd::Last)?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(format!("since {s} is after until {u}"));
        }
    }
    let number = |key: &str, default: usize| -> Result<usize, String> {
        match p.get(key).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("invalid {key} '{v}': use a whole number")),
        }
    };
    let limit = number("limit", 20)?;
    if limit == 0 || limit > MAX_LIMIT {
        return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
    }
    let offset = number("offset", 0)?;
    if offset > 10_000 {
        return Err("offset must be at most 10000".to_string());
    }
    let sort = match p.get("sort").map(String::as_str).unwrap_or("relevance") {
        "relevance" | "" => Sort::Relevance,
        "newest" => Sort::Newest,
        "oldest" => Sort::Oldest,
        other => return Err(format!("invalid sort '{other}': use relevance, newest or oldest")),
    };
    if p.get("speaker").is_some_and(|s| s.len() > MAX_SPEAKER) {
        return Err(format!("speaker is longer than {MAX_SPEAKER} bytes"));
    }
    let speakers = p
        .get("speaker")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| vec![s.to_string()])
        .unwrap_or_default();
    Ok(SearchQuery { text, speakers, since, until, limit, offset, sort, ..SearchQuery::default() })
}

/// The query string's parameters, or why it does not parse.
type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The parameters of a request that takes only `known` ones; any other is the client's
/// mistake, as is a query string that does not parse: the message of its 400.
fn params(p: Params, known: &[&str]) -> Result<HashMap<String, String>, String> {
    let Query(p) = p.map_err(|e| format!("invalid query string: {}", e.body_text()))?;
    match p.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!("unknown parameter '{}'", k.chars().take(40).collect::<String>())),
        None => Ok(p),
    }
}

async fn api_search(State(state): State<AppState>, p: Params) -> Response {
    let started = Instant::now();
    let p =
        match params(p, &["q", "speaker", "since", "until", "sort", "limit", "offset", "facets"]) {
            Ok(p) => p,
            Err(message) => return bad(message),
        };
    let q = match search_query(&p) {
        Ok(q) => q,
        Err(message) => return bad(message),
    };
    let facets = p.get("facets").is_some_and(|v| v == "1" || v == "true");
    // One searcher for the hits and the facets of one answer; the answer is filed under its
    // generation and dropped once a newer one is seen.
    let searcher = state.reader.searcher();
    let generation = searcher.generation().generation_id();
    let key = format!("{q:?} facets={facets}");
    if let Some(found) = state.searches.get(generation, &key) {
        return search_response(&found, started);
    }
    // The same search asked by several requests at once (a link shared across the newsroom,
    // a burst right after a commit) runs once; the others wait for its answer.
    let outcome = state
        .in_flight
        .once(generation, &key, async {
            let (idx, parts) = (state.index.clone(), state.parts.clone());
            let run = state.slots.run(move || answer(&idx, &searcher, &q, facets, &parts)).await;
            let found = Arc::new(run?);
            let bytes = key.len() + found.rest.len() + 64;
            state.searches.insert(generation, key.clone(), found.clone(), bytes);
            Ok(found)
        })
        .await;
    match outcome {
        Ok(found) => search_response(&found, started),
        Err((status, message)) => error(status, message),
    }
}

/// Serialises an answer once, for every request that will ask for it.
fn searched(
    result: SearchResult,
    top: &[(String, u64)],
    query: SearchQuery,
    facets: bool,
) -> anyhow::Result<Searched> {
    #[derive(Serialize)]
    struct Rest {
        warnings: Vec<String>,
        hits: Vec<ApiHit>,
        top_speakers: Vec<serde_json::Value>,
    }
    let rest = Rest {
        warnings: result.warnings,
        hits: result.hits.into_iter().map(api_hit).collect(),
        top_speakers: top
            .iter()
            .map(|(name, quotes)| json!({"name": name, "quotes": quotes}))
            .collect(),
    };
    let json = serde_json::to_string(&rest)?;
    // `{"warnings":…}` without its opening brace continues the object `search_response` opens.
    let rest = json.strip_prefix('{').unwrap_or(&json).to_string();
    Ok(Searched { total: result.total, rest, query, facets })
}

fn search_response(found: &Searched, started: Instant) -> Response {
    let took_ms = started.elapsed().as_secs_f64() * 1e3;
    let body = format!("{{\"total\":{},\"took_ms\":{took_ms},{}", found.total, found.rest);
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn api_speakers(State(state): State<AppState>, p: Params) -> Response {
    let p = match params(p, &["prefix", "limit"]) {
        Ok(p) => p,
        Err(message) => return bad(message),
    };
    let limit = match p.get("limit").map(|v| v.parse::<usize>()) {
        None => 10,
        Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return bad(format!("limit must be between 1 and {MAX_LIMIT}")),
    };
    let prefix = p.get("prefix").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if prefix.as_ref().is_some_and(|s| s.len() > 100) {
        return bad("prefix is longer than 100 bytes".to_string());
    }
    let json = [(header::CONTENT_TYPE, "application/json")];
    let searcher = state.reader.searcher();
    let generation = searcher.generation().generation_id();
    let key = format!("{limit} {prefix:?}");
    if let Some(found) = state.speaker_answers.get(generation, &key) {
        return (json, found.as_ref().clone()).into_response();
    }
    // Every speaker of the generation, counted once (a pass over every quotation) and then
    // only filtered, request after request: the page asks as the speaker box is typed in.
    let cell = cell_of(&state.speakers, generation);
    let table = cell
        .get_or_try_init(|| {
            let (idx, searcher) = (state.index.clone(), searcher.clone());
            let run = move || stats::speaker_table(&idx, &searcher, None, None).map(Arc::new);
            state.slots.run(run)
        })
        .await;
    let table = match table {
        Ok(t) => t.clone(),
        Err((status, message)) => return error(status, message),
    };
    let idx = state.index.clone();
    let run = move || {
        let list = stats::speakers_from(&idx, &searcher, &table, prefix.as_deref(), limit)?;
        Ok(serde_json::to_string(&json!({ "speakers": list }))?)
    };
    match state.slots.run(run).await {
        Ok(body) => {
            let bytes = key.len() + body.len() + 64;
            state.speaker_answers.insert(generation, key, Arc::new(body.clone()), bytes);
            (json, body).into_response()
        }
        Err((status, message)) => error(status, message),
    }
}

async fn api_stats(State(state): State<AppState>, p: Params) -> Response {
    if let Err(message) = params(p, &[]) {
        return bad(message);
    }
    let idx = state.index.clone();
    match state.slots.run(move || stats::stats(&idx)).await {
        Ok(s) => Json(s).into_response(),
        Err((status, message)) => error(status, message),
    }
}

async fn api_quote(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    p: Params,
) -> Response {
    // A path that is not UTF-8 once decoded is the client's mistake, answered in JSON too.
    let Ok(Path(id)) = id else { return bad("invalid quote id: not UTF-8".to_string()) };
    if let Err(message) = params(p, &[]) {
        return bad(message);
    }
    let idx = state.index.clone();
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return bad(format!("invalid quote id '{}'", id.chars().take(40).collect::<String>()));
    }
    match state.slots.run(move || search::by_id(&idx, &id)).await {
        Ok(Some(h)) => Json(api_hit(h)).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no quote with that id".to_string()),
        Err((status, message)) => error(status, message),
    }
}

#[cfg(test)]
mod tests;
