//! `GET /api/timeline` (a search's matches per interval, for the page's chart) and
//! `GET /api/speaker` (a speaker's page). The same library calls as the command line
//! (`search::timeline_in`, `profile::profile`); this file reads the parameters, keeps answers
//! per index generation in the server's cache (answered again on a new generation by `Warm`,
//! as searches are), and serialises them with `took_ms`.
//!
//! While an index run commits faster than the warmer can answer every page again (every
//! second or two, each commit touching the most quoted speakers), a page of the generation
//! before, made at most [`STALE_FOR`] ago, answers at once with an `Age` header, and the fresh
//! one is computed in the background (once per page however many ask): requests never queue
//! behind recomputations, and a page is never more than a few seconds behind the index.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{
    api_hit, bad, error, outcome, params, search_query, ApiHit, AppState, Flights, Params,
    MAX_LIMIT, MAX_SPEAKER,
};
use crate::index::QuoteIndex;
use crate::profile::{self, CoSpeaker, Distinctive, ProfileQuery};
use crate::search::{self, Interval, SearchQuery, SegmentParts, Timeline};
use crate::stats::Speaker;

/// The interval of `by`, absent for an automatic choice.
fn interval(p: &HashMap<String, String>) -> Result<Option<Interval>, String> {
    match p.get("by").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => Interval::parse(v)
            .map(Some)
            .ok_or_else(|| format!("invalid by '{v}': use year, month or day")),
    }
}

/// How old a page of the generation before may be to answer while a fresh one is computed.
pub(super) const STALE_FOR: Duration = Duration::from_secs(10);

/// A JSON object with `took_ms` first and the fields of `body` (itself an object) after it.
fn with_took(body: &str, started: Instant) -> Response {
    let took_ms = started.elapsed().as_secs_f64() * 1e3;
    let rest = body.strip_prefix('{').unwrap_or(body);
    let body = format!("{{\"took_ms\":{took_ms},{rest}");
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// What a cached answer answers, to answer it again on a new index generation (`Warm`).
#[derive(Debug, Clone)]
pub(super) enum Ask {
    Timeline(SearchQuery, Option<Interval>),
    Speaker(ProfileQuery),
}

/// An answer of `/api/timeline` or `/api/speaker`, serialised once, and what it answers.
pub(super) struct Pictured {
    pub(super) body: String,
    pub(super) ask: Ask,
    /// For a speaker page, `profile::stamp` of the index state it was made on.
    stamp: Option<u64>,
}

impl Pictured {
    /// About how much memory it holds, for the cache's bound.
    pub(super) fn bytes(&self, key: &str) -> usize {
        key.len() + self.body.len() + 256
    }
}

/// Answers `ask` on `searcher`: the JSON object, or a status and message. A speaker page
/// made on an earlier index state (`before`) is kept when that state's stamp is still the
/// current one (`profile::stamp`): a commit that adds nobody's quotations of that name leaves
/// the page as it was, at the cost of one count.
pub(super) fn draw(
    idx: &QuoteIndex,
    searcher: &tantivy::Searcher,
    parts: &SegmentParts,
    ask: Ask,
    before: Option<&Pictured>,
) -> Result<Pictured, (StatusCode, String)> {
    let internal = |e: serde_json::Error| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    // The request's mistake (`search::InvalidQuery`) is a 400, a failure to read the index a 500.
    let failed = |e: anyhow::Error| match outcome::<()>(Ok(Err(e))) {
        Err(status_and_message) => status_and_message,
        Ok(()) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_string()),
    };
    let mut stamp = None;
    if let Ask::Speaker(pq) = &ask {
        let now = profile::stamp(idx, searcher, &pq.name).map_err(failed)?;
        if let Some(old) = before.filter(|b| b.stamp == Some(now)) {
            return Ok(Pictured { body: old.body.clone(), ask, stamp: Some(now) });
        }
        stamp = Some(now);
    }
    let body = match &ask {
        Ask::Timeline(q, by) => {
            let parts = parts.enabled().then_some(parts);
            let t = search::timeline_in(idx, searcher, q, *by, parts).map_err(failed)?;
            serde_json::to_string(&t).map_err(internal)?
        }
        Ask::Speaker(pq) => {
            let parts = parts.enabled().then_some(parts);
            let found = profile::profile(idx, searcher, pq, parts).map_err(failed)?;
            let Some(p) = found else {
                let message = format!("no quotations of a speaker named '{}'", pq.name);
                return Err((StatusCode::NOT_FOUND, message));
            };
            let api = ApiProfile {
                speaker: p.speaker,
                timeline: p.timeline,
                sample: p.sample,
                distinctive: p.distinctive,
                co_quoted: p.co_quoted,
                latest: p.latest.into_iter().map(api_hit).collect(),
            };
            serde_json::to_string(&api).map_err(internal)?
        }
    };
    Ok(Pictured { body, ask, stamp })
}

/// Answers `ask` from the cache of the current generation; else from the generation before
/// while a fresh answer is computed in the background (made less than [`STALE_FOR`] ago, with
/// an `Age` header); else computes it on one of the server's workers and keeps it.
async fn cached(state: AppState, ask: Ask, started: Instant) -> Response {
    let searcher = state.reader.searcher();
    let generation = searcher.generation().generation_id();
    let key = format!("{ask:?}");
    if let Some(found) = state.pictures.get(generation, &key) {
        return with_took(&found.body, started);
    }
    let stale = state.pictures.get_stale(generation, &key);
    if let Some((old, behind)) = stale.as_ref().filter(|(_, behind)| *behind < STALE_FOR) {
        refresh(&state, ask, key, old.clone());
        let mut response = with_took(&old.body, started);
        let age = behind.as_secs().to_string();
        if let Ok(age) = header::HeaderValue::from_str(&age) {
            response.headers_mut().insert(header::AGE, age);
        }
        return response;
    }
    // Identical requests that all miss (a page opened by many at once, a burst after a start)
    // compute it once; the others wait for that answer.
    let outcome = state
        .drawing
        .flights
        .once(generation, &key, async {
            let (idx, parts) = (state.index.clone(), state.parts.clone());
            let old = stale.map(|(old, _)| old);
            // On one of the server's bounded workers, as every read of the index.
            let run = move || Ok(draw(&idx, &searcher, &parts, ask, old.as_deref()));
            let found = Arc::new(state.slots.run(run).await.and_then(|drawn| drawn)?);
            state.pictures.insert(generation, key.clone(), found.clone(), found.bytes(&key));
            Ok(found)
        })
        .await;
    match outcome {
        Ok(found) => with_took(&found.body, started),
        Err((status, message)) => error(status, message),
    }
}

/// Computes `ask` again in the background, once however many requests ask while it waits,
/// one such computation at a time so that requests always find a worker before them, on the
/// newest index generation when its turn comes (commits may have come meanwhile). `old` is an
/// older generation's answer (a speaker page whose stamp has not moved is kept as it is).
fn refresh(state: &AppState, ask: Ask, key: String, old: Arc<Pictured>) {
    {
        let mut queued = state.drawing.keys.lock().unwrap_or_else(|e| e.into_inner());
        if !queued.insert(key.clone()) {
            return;
        }
    }
    let state = state.clone();
    tokio::spawn(async move {
        let drawing = state.drawing.clone();
        if let Ok(_turn) = drawing.turn.acquire().await {
            let searcher = state.reader.searcher();
            let generation = searcher.generation().generation_id();
            if state.pictures.get(generation, &key).is_none() {
                let (idx, parts) = (state.index.clone(), state.parts.clone());
                let run = move || draw(&idx, &searcher, &parts, ask, Some(&old));
                if let Ok(Ok(found)) = tokio::task::spawn_blocking(run).await {
                    let bytes = found.bytes(&key);
                    state.pictures.insert(generation, key.clone(), Arc::new(found), bytes);
                }
            }
        }
        drawing.keys.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
    });
}

/// Answers being drawn for requests, by generation and request; those being computed again in
/// the background ([`refresh`]), and the turn these take.
pub(super) struct Drawing {
    flights: Flights<Pictured>,
    keys: std::sync::Mutex<std::collections::HashSet<String>>,
    turn: tokio::sync::Semaphore,
}

impl Default for Drawing {
    fn default() -> Self {
        Drawing {
            flights: Default::default(),
            keys: Default::default(),
            turn: tokio::sync::Semaphore::new(1),
        }
    }
}

/// `GET /api/timeline?q=&speaker=&since=&until=&by=`: the filters of `/api/search`, and the
/// interval (`year`, `month`, `day`; chosen from the dates when absent).
pub(super) async fn api_timeline(State(state): State<AppState>, p: Params) -> Response {
    let started = Instant::now();
    let p = match params(p, &["q", "speaker", "since", "until", "by"]) {
        Ok(p) => p,
        Err(message) => return bad(message),
    };
    let q = match search_query(&p) {
        Ok(q) => q,
        Err(message) => return bad(message),
    };
    let by = match interval(&p) {
        Ok(by) => by,
        Err(message) => return bad(message),
    };
    cached(state, Ask::Timeline(q, by), started).await
}

/// A speaker's page as the API returns it: latest quotations as `/api/search` returns hits.
#[derive(Serialize)]
struct ApiProfile {
    #[serde(flatten)]
    speaker: Speaker,
    timeline: Timeline,
    sample: usize,
    distinctive: Vec<Distinctive>,
    co_quoted: Vec<CoSpeaker>,
    latest: Vec<ApiHit>,
}

/// `GET /api/speaker?name=&q=&since=&until=&by=&limit=`: the speaker of `name` (any spelling);
/// `q`, `since` and `until` narrow their timeline and latest quotations (`limit` of them, 10
/// by default). 404 when nobody of that name is quoted.
pub(super) async fn api_speaker(State(state): State<AppState>, p: Params) -> Response {
    let started = Instant::now();
    let p = match params(p, &["name", "q", "since", "until", "by", "limit"]) {
        Ok(p) => p,
        Err(message) => return bad(message),
    };
    let name = p.get("name").map(|s| s.trim().to_string()).unwrap_or_default();
    if name.is_empty() {
        return bad("name is missing: give a speaker's name".to_string());
    }
    if name.len() > MAX_SPEAKER {
        return bad(format!("name is longer than {MAX_SPEAKER} bytes"));
    }
    let mut rest = p.clone();
    rest.remove("name");
    rest.remove("by");
    let latest = rest.contains_key("limit");
    let q = match search_query(&rest) {
        Ok(q) => q,
        Err(message) => return bad(message),
    };
    let by = match interval(&p) {
        Ok(by) => by,
        Err(message) => return bad(message),
    };
    let pq = ProfileQuery {
        name,
        text: q.text,
        since: q.since,
        until: q.until,
        by,
        latest: if latest { q.limit.min(MAX_LIMIT) } else { 10 },
    };
    cached(state, Ask::Speaker(pq), started).await
}
