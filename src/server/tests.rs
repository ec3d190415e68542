//! Router-level tests: every endpoint and every error, without opening a port.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::app;
use crate::index::{index_paths, IndexOptions, QuoteIndex};

fn fixture() -> (tempfile::TempDir, Arc<QuoteIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::write(
        articles.join("a.txt"),
        "date 2023-05-01\n\nFinance Minister Adaeze Okafor spoke in Veld.\n\n“Tariffs are a tax on our own farmers,” Okafor said.\n\n“The <script>alert(1)</script> tariff stays,” she added.\n",
    )
    .unwrap();
    std::fs::write(
        articles.join("b.txt"),
        "date 2024-02-10\n\n“The harbour wall will hold,” said Mayor Tomás Sánchez.\n",
    )
    .unwrap();
    let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
    index_paths(&idx, &[articles], &IndexOptions::default(), &|_| {}).unwrap();
    idx.reader.reload().unwrap();
    (dir, Arc::new(idx))
}

async fn get(idx: &Arc<QuoteIndex>, uri: &str) -> (StatusCode, serde_json::Value, String) {
    let res = app(idx.clone())
        .unwrap()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null), text)
}

#[tokio::test]
async fn search_endpoint() {
    let (_d, idx) = fixture();
    let (status, v, _) = get(&idx, "/api/search?q=tariff&facets=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 2);
    assert!(v["took_ms"].as_f64().unwrap() >= 0.0);
    let hit = &v["hits"][0];
    for key in
        ["id", "quote", "speaker", "role", "date", "file", "paragraph", "occurrences", "snippet"]
    {
        assert!(hit.get(key).is_some(), "missing {key}");
    }
    // Matched words as code-point offsets into the text, not HTML.
    let text = hit["snippet"]["text"].as_str().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let [s, e] = [
        hit["snippet"]["highlights"][0][0].as_u64().unwrap() as usize,
        hit["snippet"]["highlights"][0][1].as_u64().unwrap() as usize,
    ];
    assert!(chars[s..e].iter().collect::<String>().to_lowercase().starts_with("tariff"));
    assert_eq!(v["top_speakers"][0]["name"], "Adaeze Okafor");
    assert_eq!(v["top_speakers"][0]["quotes"], 2);
    // Filters.
    let (_, v, _) = get(
        &idx,
        "/api/search?speaker=sanchez&since=2024&until=2024-12&sort=newest&limit=5&offset=0",
    )
    .await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["speaker"], "Tomás Sánchez");
    let (_, v, _) = get(&idx, "/api/search?q=zeppelin").await;
    assert_eq!(v["total"], 0);
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn other_endpoints() {
    let (_d, idx) = fixture();
    let (status, _, text) = get(&idx, "/healthz").await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "ok"));
    let (_, v, _) = get(&idx, "/api/speakers?prefix=ok&limit=5").await;
    assert_eq!(v["speakers"][0]["name"], "Adaeze Okafor");
    assert_eq!(v["speakers"].as_array().unwrap().len(), 1);
    let (_, v, _) = get(&idx, "/api/stats").await;
    assert_eq!(v["quotes"], 3);
    let (_, s, _) = get(&idx, "/api/search?q=harbour").await;
    let id = s["hits"][0]["id"].as_str().unwrap().to_string();
    let (status, v, _) = get(&idx, &format!("/api/quote/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["paragraph"], "“The harbour wall will hold,” said Mayor Tomás Sánchez.");
    let (status, _, text) = get(&idx, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("<title>quoth"), "the page is embedded");
}

#[tokio::test]
async fn errors() {
    let (_d, idx) = fixture();
    let long = "a".repeat(1025);
    // (name, uri, status, error message)
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            "bad date",
            "/api/search?since=2023-13-01".into(),
            StatusCode::BAD_REQUEST,
            "invalid date '2023-13-01' for since: use YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        (
            "reversed dates",
            "/api/search?since=2024&until=2023".into(),
            StatusCode::BAD_REQUEST,
            "since 2024-01-01 is after until 2023-12-31",
        ),
        (
            "speaker too long",
            format!("/api/search?speaker={}", "b".repeat(201)),
            StatusCode::BAD_REQUEST,
            "speaker is longer than 200 bytes",
        ),
        (
            "limit too high",
            "/api/search?limit=101".into(),
            StatusCode::BAD_REQUEST,
            "limit must be between 1 and 100",
        ),
        (
            "limit not a number",
            "/api/search?limit=ten".into(),
            StatusCode::BAD_REQUEST,
            "invalid limit 'ten': use a whole number",
        ),
        (
            "query too long",
            format!("/api/search?q={long}"),
            StatusCode::BAD_REQUEST,
            "q is longer than 1024 bytes",
        ),
        (
            "unknown sort",
            "/api/search?sort=random".into(),
            StatusCode::BAD_REQUEST,
            "invalid sort 'random': use relevance, newest or oldest",
        ),
        (
            "unknown parameter",
            "/api/search?colour=red".into(),
            StatusCode::BAD_REQUEST,
            "unknown parameter 'colour'",
        ),
        (
            "speakers limit",
            "/api/speakers?limit=0".into(),
            StatusCode::BAD_REQUEST,
            "limit must be between 1 and 100",
        ),
        (
            "bad quote id",
            "/api/quote/..%2F..%2Fetc%2Fpasswd".into(),
            StatusCode::BAD_REQUEST,
            "invalid quote id '../../etc/passwd'",
        ),
        (
            "missing quote",
            "/api/quote/0000000000000000".into(),
            StatusCode::NOT_FOUND,
            "no quote with that id",
        ),
        ("unknown path", "/etc/passwd".into(), StatusCode::NOT_FOUND, "not found"),
    ];
    for (name, uri, status, message) in cases {
        let (got, v, _) = get(&idx, &uri).await;
        assert_eq!(got, status, "case {name}");
        assert_eq!(v["error"], message, "case {name}");
    }
    // A malformed query still runs, with a warning.
    let (status, v, _) = get(&idx, "/api/search?q=tariff%20AND%20(").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!v["warnings"].as_array().unwrap().is_empty());
}

/// Indexes one more article into the fixture: a second quotation about the harbour.
fn add_second_harbour_quote(dir: &std::path::Path, idx: &QuoteIndex) {
    let articles = dir.join("articles");
    std::fs::write(
        articles.join("c.txt"),
        "date 2024-03-01\n\n“The harbour needs dredging,” said Mayor Tomás Sánchez.\n",
    )
    .unwrap();
    index_paths(idx, &[articles], &IndexOptions::default(), &|_| {}).unwrap();
}

/// Repeated searches may come from the cache, but never once the index has changed.
#[tokio::test]
async fn cached_searches_follow_new_commits() {
    let (dir, idx) = fixture();
    let router = app(idx.clone()).unwrap();
    let total = |router: axum::Router| async move {
        let res = router
            .oneshot(Request::get("/api/search?q=harbour").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["total"].clone()
    };
    assert_eq!(total(router.clone()).await, 1);
    assert_eq!(total(router.clone()).await, 1);
    add_second_harbour_quote(dir.path(), &idx);
    // The server's reader notices the commit by itself (tantivy looks every 500 ms), answers
    // the cached search on it, then switches.
    let started = std::time::Instant::now();
    while total(router.clone()).await != 2 {
        assert!(started.elapsed().as_secs() < 10, "the commit was never seen");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A speaker page the warmer did not answer again (here: no warming at all) is answered from
/// the generation before at once, with an `Age` header, while it is drawn again; then fresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_answer_from_the_generation_before_while_drawn_again() {
    let (dir, idx) = fixture();
    let options = super::ServeOptions { warm_budget: Duration::ZERO, ..Default::default() };
    let router = super::app_with(idx.clone(), options).unwrap();
    let get = |router: axum::Router| async move {
        let uri = "/api/speaker?name=Tom%C3%A1s%20S%C3%A1nchez";
        let res = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let age = res.headers().get(header::AGE).map(|v| v.to_str().unwrap().to_string());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        (body["quotes"].as_u64().unwrap(), age)
    };
    // Fresh, and no age on a fresh answer (negative).
    assert_eq!(get(router.clone()).await, (1, None));
    add_second_harbour_quote(dir.path(), &idx);
    let started = std::time::Instant::now();
    let mut answers = Vec::new();
    loop {
        let answer = get(router.clone()).await;
        answers.push(answer.clone());
        if answer == (2, None) {
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "never fresh: {answers:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Before the fresh page: the old one, never anything else, and once the server had seen
    // the commit, with its age.
    let stale: Vec<_> = answers.iter().filter(|a| a.1.is_some()).collect();
    assert!(
        !stale.is_empty(),
        "the first request on the new generation answers stale: {answers:?}"
    );
    assert!(answers[..answers.len() - 1].iter().all(|a| a.0 == 1), "{answers:?}");
    assert!(stale.iter().all(|a| a.1.as_deref() == Some("0")), "{answers:?}");
}

/// A new generation gets the cached searches answered on it before requests see it.
#[test]
fn warming_answers_cached_searches_on_the_new_generation() {
    use tantivy::Warmer;
    let (dir, idx) = fixture();
    let searches = Arc::new(super::ResultCache::new(16, 1 << 20));
    let parts = Arc::new(super::SegmentParts::new(1 << 20));
    let pictures = Arc::new(super::ResultCache::new(16, 1 << 20));
    let warm = super::Warm {
        index: idx.clone(),
        searches: searches.clone(),
        parts: parts.clone(),
        pictures: pictures.clone(),
        budget: super::WARM_BUDGET,
    };
    let q = crate::search::SearchQuery { text: "harbour".into(), limit: 20, ..Default::default() };
    let searcher = idx.reader.searcher();
    let old = super::answer(&idx, &searcher, &q, true, &parts).unwrap();
    assert_eq!(old.total, 1);
    let generation = searcher.generation().generation_id();
    // As a request does: look, miss, answer, keep.
    assert!(searches.get(generation, "harbour").is_none());
    searches.insert(generation, "harbour".into(), Arc::new(old), 100);
    // A timeline and a speaker's page, kept the same way.
    use super::pictures::{draw, Ask};
    let page = crate::profile::ProfileQuery {
        name: "Tomás Sánchez".into(),
        latest: 5,
        ..Default::default()
    };
    let asks = [("timeline", Ask::Timeline(q.clone(), None)), ("speaker", Ask::Speaker(page))];
    for (key, ask) in asks {
        let drawn = draw(&idx, &searcher, &parts, ask, None).unwrap();
        assert!(drawn.body.contains("\"total\":1"), "{key}: {}", drawn.body);
        assert!(pictures.get(generation, key).is_none());
        pictures.insert(generation, key.into(), Arc::new(drawn), 100);
    }

    let stamps = |s: &tantivy::Searcher| {
        let of = |name| crate::profile::stamp(&idx, s, name).unwrap();
        (of("Tomás Sánchez"), of("Adaeze Okafor"), of("Sánchez"))
    };
    let before = stamps(&searcher);
    add_second_harbour_quote(dir.path(), &idx);
    idx.reader.reload().unwrap();
    let newer = idx.reader.searcher();
    let next = newer.generation().generation_id();
    assert!(next > generation);
    // A quotation of Sánchez changes his pages' stamp, not Okafor's.
    let after = stamps(&newer);
    assert_eq!((after.0, after.1, after.2), (before.0 + 1, before.1, before.0 + 1));
    warm.warm(&newer).unwrap();
    for key in ["timeline", "speaker"] {
        assert!(pictures.get(generation, key).unwrap().body.contains("\"total\":1"), "{key}");
    }
    // Requests on the old generation still get its answer; the new one is ready for the next.
    assert_eq!(searches.get(generation, "harbour").unwrap().total, 1);
    let ready = searches.get(next, "harbour").expect("answered ahead");
    assert_eq!(ready.total, 2);
    assert!(ready.facets && ready.rest.contains("Sánchez"));
    for key in ["timeline", "speaker"] {
        let ready = pictures.get(next, key).expect("answered ahead");
        assert!(ready.body.contains("\"total\":2"), "{key}: {}", ready.body);
    }
}

/// Identical searches at the same moment share one run and all get its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_searches_all_answer() {
    let (_d, idx) = fixture();
    let router = app(idx.clone()).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let res = router
                .oneshot(Request::get("/api/search?q=tariff").body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            (status, v["total"].clone(), v["hits"][0]["id"].clone())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| a.0 == StatusCode::OK && a.1 == 2), "{answers:?}");
    assert!(answers.iter().all(|a| a.2 == answers[0].2), "{answers:?}");
    // A bad search shared the same way still answers every request with its error.
    let (status, v, _) = get(&idx, "/api/search?q=tariff&speaker=***").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

/// The fixture and an undated article quoting both of its speakers, indexed.
fn fixture_with_undated() -> (tempfile::TempDir, Arc<QuoteIndex>) {
    let (dir, idx) = fixture();
    let articles = dir.path().join("articles");
    std::fs::write(
        articles.join("c.txt"),
        "Senator Adaeze Okafor and Mayor Tomás Sánchez met at the harbour.\n\n“Tariffs on grain must fall before the harvest,” Okafor said.\n\n“The harbour needs the grain trade,” Sánchez said.\n",
    )
    .unwrap();
    index_paths(&idx, &[articles], &IndexOptions::default(), &|_| {}).unwrap();
    idx.reader.reload().unwrap();
    (dir, idx)
}

/// Labels and counts of a timeline answer, as `label:count` words.
fn buckets(v: &serde_json::Value) -> String {
    let list = v["buckets"].as_array().unwrap();
    let words: Vec<String> =
        list.iter().map(|b| format!("{}:{}", b["label"].as_str().unwrap(), b["count"])).collect();
    words.join(" ")
}

#[tokio::test]
async fn timeline_endpoint() {
    let (_d, idx) = fixture_with_undated();
    // (name, query, interval, expected buckets, undated)
    let cases: &[(&str, &str, &str, &str, u64)] = &[
        ("one day, auto", "q=tariff&until=2023", "day", "2023-05-01:2", 0),
        ("everything, auto", "", "month", "", 2),
        ("by year", "by=year", "year", "2023:2 2024:1", 2),
        ("by year, any case", "by=Year", "year", "2023:2 2024:1", 2),
        ("speaker", "speaker=okafor&by=year", "year", "2023:2", 1),
        ("dates", "since=2024&by=month", "month", "2024-02:1", 0),
        ("words and speaker", "q=harbour&speaker=sanchez", "day", "2024-02-10:1", 1),
        ("no match", "q=zeppelin", "year", "", 0),
    ];
    for (name, query, by, want, undated) in cases {
        let (status, v, text) = get(&idx, &format!("/api/timeline?{query}")).await;
        assert_eq!(status, StatusCode::OK, "case {name}: {text}");
        assert_eq!(v["by"], *by, "case {name}");
        assert_eq!(v["undated"], *undated, "case {name}");
        if !want.is_empty() {
            assert_eq!(buckets(&v), *want, "case {name}");
        }
        assert!(v["took_ms"].as_f64().unwrap() >= 0.0, "case {name}");
        // The buckets and the undated add up to the search's total.
        let filters: Vec<&str> = query.split('&').filter(|p| !p.starts_with("by=")).collect();
        let (_, s, _) = get(&idx, &format!("/api/search?{}", filters.join("&"))).await;
        let sum: u64 =
            v["buckets"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum();
        assert_eq!(v["total"], s["total"], "case {name}: total as /api/search");
        assert_eq!(sum + undated, v["total"].as_u64().unwrap(), "case {name}: sum");
    }
    // Every month of the span is there, empty or not, each narrowing to its own days.
    let (_, v, _) = get(&idx, "/api/timeline").await;
    let list = v["buckets"].as_array().unwrap();
    assert_eq!(list.len(), 10, "2023-05 to 2024-02");
    assert_eq!(list[0]["since"], "2023-05-01");
    assert_eq!(list[0]["until"], "2023-05-31");
    assert_eq!(list[9]["label"], "2024-02");
    assert_eq!(list[9]["until"], "2024-02-29");
}

#[tokio::test]
async fn timeline_errors() {
    let (_d, idx) = fixture();
    // (name, uri, error message)
    let cases: &[(&str, &str, &str)] = &[
        ("bad interval", "/api/timeline?by=week", "invalid by 'week': use year, month or day"),
        ("unknown parameter", "/api/timeline?sort=newest", "unknown parameter 'sort'"),
        (
            "bad date",
            "/api/timeline?until=2023-02-30",
            "invalid date '2023-02-30' for until: use YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        (
            "reversed dates",
            "/api/timeline?since=2024&until=2023",
            "since 2024-01-01 is after until 2023-12-31",
        ),
        (
            "speaker without letters",
            "/api/timeline?speaker=%2A%2A",
            "invalid speaker name '**': it has no letters",
        ),
    ];
    for (name, uri, message) in cases {
        let (status, v, text) = get(&idx, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "case {name}: {text}");
        assert_eq!(v["error"], *message, "case {name}");
    }
}

#[tokio::test]
async fn speaker_endpoint() {
    let (_d, idx) = fixture_with_undated();
    let (status, v, text) = get(&idx, "/api/speaker?name=Adaeze%20Okafor").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(v["name"], "Adaeze Okafor");
    assert_eq!(v["quotes"], 3);
    assert_eq!(v["articles"], 2);
    assert!(
        v["roles"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("Minister")),
        "{text}"
    );
    assert_eq!(v["timeline"]["total"], 3);
    assert_eq!(v["timeline"]["undated"], 1);
    assert_eq!(buckets(&v["timeline"]), "2023-05-01:2");
    let latest = v["latest"].as_array().unwrap();
    assert_eq!(latest.len(), 3);
    assert!(latest.iter().all(|h| h["speaker"] == "Adaeze Okafor"));
    assert_eq!(latest[0]["date"], "2023-05-01", "newest first, undated last");
    assert!(latest[2]["date"].is_null());
    assert_eq!(v["sample"], 3);
    // Her words, not everyone's: tariffs are hers alone, the harbour is everyone's.
    let words: Vec<&str> =
        v["distinctive"].as_array().unwrap().iter().map(|d| d["word"].as_str().unwrap()).collect();
    assert_eq!(words.first().copied(), Some("tariffs"), "{words:?}");
    assert!(!words.contains(&"the") && !words.contains(&"harbour"), "{words:?}");
    assert_eq!(v["co_quoted"][0]["name"], "Tomás Sánchez");
    assert_eq!(v["co_quoted"][0]["articles"], 1);
    assert_eq!(v["co_quoted"].as_array().unwrap().len(), 1);
    // Any spelling finds her; words and dates narrow the timeline and latest, not the counts.
    let (_, w, _) = get(&idx, "/api/speaker?name=adaeze+okafor&q=grain&limit=1").await;
    assert_eq!(w["name"], "Adaeze Okafor");
    assert_eq!(w["quotes"], 3);
    assert_eq!(w["timeline"]["total"], 1);
    assert_eq!(w["latest"][0]["snippet"]["text"], "Tariffs on grain must fall before the harvest,");
    let (_, w, _) = get(&idx, "/api/speaker?name=Adaeze+Okafor&since=2023&by=year").await;
    assert_eq!(
        (buckets(&w["timeline"]).as_str(), &w["timeline"]["undated"]),
        ("2023:2", &serde_json::json!(0))
    );
    // Another spelling finds the one speaker whose name holds all its words.
    // (name, asked, found)
    let spellings: &[(&str, &str, Option<&str>)] = &[
        ("as written", "Tom%C3%A1s%20S%C3%A1nchez", Some("Tomás Sánchez")),
        ("case and accents", "tomas+SANCHEZ", Some("Tomás Sánchez")),
        ("surname only", "okafor", Some("Adaeze Okafor")),
        ("first name only", "Tom%C3%A1s", Some("Tomás Sánchez")),
        ("words of two people (negative)", "Adaeze+S%C3%A1nchez", None),
        ("a word of nobody (negative)", "Ola+Brandt", None),
    ];
    for (name, asked, found) in spellings {
        let (status, w, _) = get(&idx, &format!("/api/speaker?name={asked}")).await;
        match found {
            Some(n) => {
                assert_eq!((status, w["name"].as_str()), (StatusCode::OK, Some(*n)), "case {name}")
            }
            None => assert_eq!(status, StatusCode::NOT_FOUND, "case {name}"),
        }
    }
    // Errors.
    // (name, uri, status, error message)
    let cases: &[(&str, &str, StatusCode, &str)] = &[
        (
            "nobody",
            "/api/speaker?name=Zed+Nobody",
            StatusCode::NOT_FOUND,
            "no quotations of a speaker named 'Zed Nobody'",
        ),
        (
            "no name",
            "/api/speaker?q=tariff",
            StatusCode::BAD_REQUEST,
            "name is missing: give a speaker's name",
        ),
        (
            "no letters",
            "/api/speaker?name=%2A",
            StatusCode::NOT_FOUND,
            "no quotations of a speaker named '*'",
        ),
        (
            "bad interval",
            "/api/speaker?name=okafor&by=hour",
            StatusCode::BAD_REQUEST,
            "invalid by 'hour': use year, month or day",
        ),
        (
            "unknown parameter",
            "/api/speaker?name=okafor&speaker=x",
            StatusCode::BAD_REQUEST,
            "unknown parameter 'speaker'",
        ),
    ];
    for (name, uri, code, message) in cases {
        let (status, v, text) = get(&idx, uri).await;
        assert_eq!(status, *code, "case {name}: {text}");
        assert_eq!(v["error"], *message, "case {name}");
    }
    // The speaker's page is the embedded page.
    let (status, _, text) = get(&idx, "/speaker/Adaeze%20Okafor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("<title>quoth"));
}

/// Hostile or extreme requests: never a panic, never a 500 for the client's own mistake, and
/// always an answer in JSON.
#[tokio::test]
async fn extreme_requests_answer_in_json() {
    let (_d, idx) = fixture();
    let huge = usize::MAX.to_string();
    // (name, uri, status, total or error)
    let cases: Vec<(&str, String, StatusCode, serde_json::Value)> = vec![
        ("until the last year", "/api/search?until=9999".into(), StatusCode::OK, 3.into()),
        ("since the first year", "/api/search?since=0000".into(), StatusCode::OK, 3.into()),
        ("since the last year", "/api/search?since=9999".into(), StatusCode::OK, 0.into()),
        ("before tantivy's dates", "/api/search?until=1600".into(), StatusCode::OK, 0.into()),
        (
            "huge limit",
            format!("/api/search?limit={huge}"),
            StatusCode::BAD_REQUEST,
            "limit must be between 1 and 100".into(),
        ),
        (
            "huge offset",
            format!("/api/search?offset={huge}"),
            StatusCode::BAD_REQUEST,
            "offset must be at most 10000".into(),
        ),
        (
            "a speaker without letters is the client's mistake",
            "/api/search?speaker=%2A%2A%2A".into(),
            StatusCode::BAD_REQUEST,
            "invalid speaker name '***': it has no letters".into(),
        ),
    ];
    for (name, uri, status, want) in cases {
        let (got, v, text) = get(&idx, &uri).await;
        assert_eq!(got, status, "case {name}: {text}");
        assert!(v.is_object(), "case {name}: not JSON: {text}");
        match status {
            StatusCode::OK if !want.is_null() => assert_eq!(v["total"], want, "case {name}"),
            StatusCode::OK => {}
            _ => assert_eq!(v["error"], want, "case {name}"),
        }
    }
}

/// `prefix*` words are found and their matches highlighted, as whole words are.
#[tokio::test]
async fn prefix_words_are_found_and_highlighted() {
    let (_d, idx) = fixture();
    let (status, v, _) = get(&idx, "/api/search?q=tarif*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 2);
    for hit in v["hits"].as_array().unwrap() {
        let text: Vec<char> = hit["snippet"]["text"].as_str().unwrap().chars().collect();
        let [s, e] = [0, 1].map(|i| hit["snippet"]["highlights"][0][i].as_u64().unwrap() as usize);
        let word: String = text[s..e].iter().collect();
        assert!(word.to_lowercase().starts_with("tarif"), "{word}");
    }
}

/// Requests a client gets wrong are answered 400 in JSON: parameters an endpoint does not
/// take, paths that are not UTF-8 once decoded.
#[tokio::test]
async fn unknown_parameters_and_bad_paths_are_400_in_json() {
    let (_d, idx) = fixture();
    let (_, s, _) = get(&idx, "/api/search?q=harbour").await;
    let id = s["hits"][0]["id"].as_str().unwrap().to_string();
    // (name, uri, status, error message or "" for a success)
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        ("stats", "/api/stats?x=1".into(), StatusCode::BAD_REQUEST, "unknown parameter 'x'"),
        ("stats without (negative)", "/api/stats".into(), StatusCode::OK, ""),
        (
            "speakers",
            "/api/speakers?name=ok".into(),
            StatusCode::BAD_REQUEST,
            "unknown parameter 'name'",
        ),
        ("speakers known (negative)", "/api/speakers?prefix=ok".into(), StatusCode::OK, ""),
        (
            "quote",
            format!("/api/quote/{id}?full=1"),
            StatusCode::BAD_REQUEST,
            "unknown parameter 'full'",
        ),
        ("quote without (negative)", format!("/api/quote/{id}"), StatusCode::OK, ""),
        ("search", "/api/search?q=a&Q=b".into(), StatusCode::BAD_REQUEST, "unknown parameter 'Q'"),
        (
            "a quote id that is not UTF-8",
            "/api/quote/%FF%FE%FD".into(),
            StatusCode::BAD_REQUEST,
            "invalid quote id: not UTF-8",
        ),
        ("a path that is not UTF-8", "/%FF%FE".into(), StatusCode::NOT_FOUND, "not found"),
        (
            "a query string that does not parse",
            "/api/speakers?limit=1&limit".into(),
            StatusCode::BAD_REQUEST,
            "limit must be between 1 and 100",
        ),
    ];
    for (name, uri, status, message) in cases {
        let (got, v, text) = get(&idx, &uri).await;
        assert_eq!(got, status, "case {name}: {text}");
        assert!(v.is_object(), "case {name}: not JSON: {text}");
        if !message.is_empty() {
            assert_eq!(v["error"], message, "case {name}");
        }
    }
}

/// Every answer forbids content sniffing and framing by another page.
#[tokio::test]
async fn every_answer_forbids_sniffing_and_framing() {
    let (_d, idx) = fixture();
    for uri in
        ["/", "/healthz", "/api/search?q=tariff", "/api/stats", "/api/nothing", "/api/stats?x=1"]
    {
        let res = app(idx.clone())
            .unwrap()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        if uri == "/" {
            assert!(csp.contains("default-src 'none'"), "the page keeps its own policy: {csp}");
        }
    }
}

/// Speakers are counted once per index generation, and counted again on a new one.
#[tokio::test]
async fn speakers_follow_new_commits() {
    let (dir, idx) = fixture();
    let router = app(idx.clone()).unwrap();
    let quotes = |router: axum::Router| async move {
        let res = router
            .oneshot(Request::get("/api/speakers?prefix=san").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["speakers"][0]["quotes"]
            .clone()
    };
    assert_eq!(quotes(router.clone()).await, 1);
    assert_eq!(quotes(router.clone()).await, 1, "from the cache");
    add_second_harbour_quote(dir.path(), &idx);
    let started = std::time::Instant::now();
    while quotes(router.clone()).await != 2 {
        assert!(started.elapsed().as_secs() < 10, "the commit was never seen");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `/healthz` says "ok" only while the index's files are sound.
#[tokio::test]
async fn health_reports_a_damaged_index() {
    let (dir, idx) = fixture();
    let router = app(idx.clone()).unwrap();
    let health = |router: axum::Router| async move {
        let res =
            router.oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    };
    assert_eq!(health(router.clone()).await, (StatusCode::OK, "ok".to_string()), "sound");
    // Bytes changed in place in the middle of the stored quotations: nothing fails to open,
    // only the checksum shows it. (A new commit makes the server check again.)
    let store = std::fs::read_dir(dir.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let bytes = std::fs::read(&store).unwrap();
    let middle = bytes.len() / 2;
    let changed: Vec<u8> = bytes[middle..middle + 8].iter().map(|b| b ^ 0x5a).collect();
    // Written over in place, never truncated: the file is mapped into memory by the index's
    // readers, and a mapped file cut short even for a moment kills its reader with SIGBUS.
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(&store).unwrap();
    file.seek(std::io::SeekFrom::Start(middle as u64)).unwrap();
    file.write_all(&changed).unwrap();
    drop(file);
    add_second_harbour_quote(dir.path(), &idx);
    let started = std::time::Instant::now();
    loop {
        let (status, text) = health(router.clone()).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            let name = store.file_name().unwrap().to_string_lossy().into_owned();
            assert!(text.contains(&name) && text.contains("--rebuild"), "{text}");
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "the damage was never seen: {text}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Failures are the server's (500) unless the request was wrong (400); a damaged index says
/// which file and what to do.
#[test]
fn failures_are_the_servers_unless_the_request_was_wrong() {
    use tantivy::directory::error::OpenReadError;
    let damaged = anyhow::Error::new(tantivy::TantivyError::from(OpenReadError::FileDoesNotExist(
        "a.store".into(),
    )));
    let invalid = anyhow::Error::new(crate::search::InvalidQuery("no letters".into()));
    // (name, outcome, status)
    let cases: Vec<(&str, anyhow::Result<()>, StatusCode, &str)> = vec![
        ("the client's mistake", Err(invalid), StatusCode::BAD_REQUEST, "no letters"),
        (
            "a damaged index",
            Err(damaged),
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot read the index: its file a.store is missing: rebuild it with 'quoth index --rebuild'",
        ),
        ("any other failure", Err(anyhow::anyhow!("disk")), StatusCode::INTERNAL_SERVER_ERROR, "disk"),
    ];
    for (name, run, status, message) in cases {
        assert_eq!(super::outcome(Ok(run)), Err((status, message.to_string())), "{name}");
    }
    assert_eq!(super::outcome(Ok(Ok(1))), Ok(1), "success (negative)");
}
