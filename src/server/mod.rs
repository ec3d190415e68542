//! `quoth serve`: the search over HTTP for a newsroom, a JSON API and one embedded page.
//!
//! The handlers call the same library functions as the command line (`search`, `stats`); there
//! is no second implementation. Index readers live for the whole process and reload by
//! themselves when a concurrent `quoth index` commits: the one of `/api/search` switches to a
//! new commit once the cached searches are answered on it (`Warm`), up to 400 ms after the
//! other endpoints' reader. The server reads nothing but its index and the page compiled into
//! the binary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
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
use crate::stats::{self, SpeakerQuery};

mod cache;
mod check;
use cache::ResultCache;

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
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { cache_entries: 1024 }
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
    /// Searches running now, by generation and request: later identical requests wait for them.
    in_flight: Arc<Mutex<HashMap<String, Arc<Flight>>>>,
}

/// One running search and, once done, its answer or its error (status and message).
type Flight = tokio::sync::OnceCell<Result<Arc<Searched>, (StatusCode, String)>>;

/// The router over an opened index, with the default settings.
pub fn app(index: Arc<QuoteIndex>) -> anyhow::Result<Router> {
    app_with(index, ServeOptions::default())
}

/// The router over an opened index.
pub fn app_with(index: Arc<QuoteIndex>, options: ServeOptions) -> anyhow::Result<Router> {
    let searches = Arc::new(ResultCache::new(options.cache_entries, CACHE_BYTES));
    let parts_bytes = if options.cache_entries == 0 { 0 } else { PARTS_BYTES };
    let parts = Arc::new(SegmentParts::new(parts_bytes));
    let warm =
        Arc::new(Warm { index: index.clone(), searches: searches.clone(), parts: parts.clone() });
    let weak: std::sync::Weak<dyn tantivy::Warmer> = Arc::downgrade(&warm) as _;
    let reader = (index.index.reader_builder())
        .reload_policy(ReloadPolicy::OnCommitWithDelay)
        .warmers(vec![weak])
        .try_into()
        .with_context(|| format!("cannot read the index at {}", display_path(&index.path)))?;
    let state = AppState { index, reader, _warm: warm, searches, parts, in_flight: Arc::default() };
    Ok(Router::new()
        .route("/", get(page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/search", get(api_search))
        .route("/api/speakers", get(api_speakers))
        .route("/api/stats", get(api_stats))
        .route("/api/quote/{id}", get(api_quote))
        .route("/api/check", get(check::api_check))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not found".to_string()) })
        .with_state(state))
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
                    while started.elapsed() < WARM_BUDGET {
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

/// Serves `app` on `addr` until interrupted.
pub async fn serve(
    index: Arc<QuoteIndex>,
    options: ServeOptions,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    axum::serve(listener, app_with(index, options)?)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Everything the page needs is inline; nothing may load from elsewhere.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'",
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
fn search_query(p: &HashMap<String, String>) -> Result<SearchQuery, String> {
    const KNOWN: &[&str] = &["q", "speaker", "since", "until", "sort", "limit", "offset", "facets"];
    if let Some(k) = p.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("unknown parameter '{k}'"));
    }
    let text = p.get("q").cloned().unwrap_or_default();
    if text.len() > MAX_QUERY {
        return Err(format!("q is longer than {MAX_QUERY} bytes"));
    }
    let date = |key: &str, end| -> Result<Option<crate::article::Date>, String> {
        match p.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(v) => parse_date_bound(v, end).map(Some).ok_or_else(|| {
                format!("invalid date '{v}' for {key}: use YYYY-MM-DD, YYYY-MM or YYYY")
            }),
        }
    };
    let since = date("since", DateEnd::First)?;
    let until = date("until", DateEnd::Last)?;
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

async fn api_search(
    State(state): State<AppState>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    let started = Instant::now();
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
    let flight = format!("{generation} {key}");
    let cell = {
        let mut flights = state.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        // A request dropped mid-search (the client went away) leaves its entry behind: entries
        // of older generations are swept before the map can grow.
        if flights.len() >= 256 {
            let current = format!("{generation} ");
            flights.retain(|k, _| k.starts_with(&current));
        }
        flights.entry(flight.clone()).or_default().clone()
    };
    let outcome = cell
        .get_or_init(|| async {
            let (idx, parts) = (state.index.clone(), state.parts.clone());
            let run =
                tokio::task::spawn_blocking(move || answer(&idx, &searcher, &q, facets, &parts))
                    .await;
            match run {
                Ok(Ok(found)) => {
                    let found = Arc::new(found);
                    let bytes = key.len() + found.rest.len() + 64;
                    state.searches.insert(generation, key.clone(), found.clone(), bytes);
                    Ok(found)
                }
                Ok(Err(e)) => Err((StatusCode::BAD_REQUEST, format!("{e:#}"))),
                Err(e) => Err((StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
            }
        })
        .await
        .clone();
    {
        let mut flights = state.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if flights.get(&flight).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            flights.remove(&flight);
        }
    }
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

async fn api_speakers(
    State(AppState { index: idx, .. }): State<AppState>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    if let Some(k) = p.keys().find(|k| !matches!(k.as_str(), "prefix" | "limit")) {
        return bad(format!("unknown parameter '{k}'"));
    }
    let limit = match p.get("limit").map(|v| v.parse::<usize>()) {
        None => 10,
        Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return bad(format!("limit must be between 1 and {MAX_LIMIT}")),
    };
    let prefix = p.get("prefix").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if prefix.as_ref().is_some_and(|s| s.len() > 100) {
        return bad("prefix is longer than 100 bytes".to_string());
    }
    let q = SpeakerQuery { top: limit, prefix, ..SpeakerQuery::default() };
    match tokio::task::spawn_blocking(move || stats::speakers(&idx, &q)).await {
        Ok(Ok(list)) => Json(json!({ "speakers": list })).into_response(),
        Ok(Err(e)) => bad(format!("{e:#}")),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn api_stats(State(AppState { index: idx, .. }): State<AppState>) -> Response {
    match tokio::task::spawn_blocking(move || stats::stats(&idx)).await {
        Ok(Ok(s)) => Json(s).into_response(),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn api_quote(
    State(AppState { index: idx, .. }): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return bad(format!("invalid quote id '{}'", id.chars().take(40).collect::<String>()));
    }
    match tokio::task::spawn_blocking(move || search::by_id(&idx, &id)).await {
        Ok(Ok(Some(h))) => Json(api_hit(h)).into_response(),
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "no quote with that id".to_string()),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[cfg(test)]
mod tests;
