//! `GET /api/check`: `quoth check` over HTTP, for the page's "Check a quote" mode. The same
//! library call as the command line (`check::check`); this file only reads the parameters and
//! serialises the answer, as `quoth check --json` prints it plus `took_ms`.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::{bad, date_param, error, params, AppState, Params, MAX_QUERY, MAX_SPEAKER};
use crate::check::{self, CheckQuery, Checked};
use crate::search::DateEnd;

/// Parses the check parameters; every bad value is a 400 naming it.
fn check_query(p: &HashMap<String, String>) -> Result<CheckQuery, String> {
    let claim = p.get("q").map(|s| s.trim()).unwrap_or_default();
    if claim.is_empty() {
        return Err("q is missing: give the claimed quotation".to_string());
    }
    if claim.len() > MAX_QUERY {
        return Err(format!("q is longer than {MAX_QUERY} bytes"));
    }
    let (since, until) = match date_param(p, "on", DateEnd::First)? {
        Some(first) => {
            if p.get("since").is_some_and(|s| !s.is_empty())
                || p.get("until").is_some_and(|s| !s.is_empty())
            {
                return Err("on cannot be combined with since or until".to_string());
            }
            (Some(first), date_param(p, "on", DateEnd::Last)?)
        }
        None => (date_param(p, "since", DateEnd::First)?, date_param(p, "until", DateEnd::Last)?),
    };
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(format!("since {s} is after until {u}"));
        }
    }
    let limit = match p.get("limit").filter(|s| !s.is_empty()) {
        None => 5,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=check::MAX_LIMIT).contains(&n) => n,
            _ => return Err(format!("limit must be between 1 and {}", check::MAX_LIMIT)),
        },
    };
    let speaker = p.get("speaker").map(|s| s.trim()).filter(|s| !s.is_empty());
    if speaker.is_some_and(|s| s.len() > MAX_SPEAKER) {
        return Err(format!("speaker is longer than {MAX_SPEAKER} bytes"));
    }
    Ok(CheckQuery {
        claim: claim.to_string(),
        speaker: speaker.map(str::to_string),
        since,
        until,
        limit,
    })
}

/// The answer: the check as `quoth check --json` prints it, and how long it took.
#[derive(Serialize)]
struct Answer {
    took_ms: f64,
    #[serde(flatten)]
    checked: Checked,
}

pub(super) async fn api_check(State(state): State<AppState>, p: Params) -> Response {
    let started = Instant::now();
    let p = match params(p, &["q", "speaker", "since", "until", "on", "limit"]) {
        Ok(p) => p,
        Err(message) => return bad(message),
    };
    let q = match check_query(&p) {
        Ok(q) => q,
        Err(message) => return bad(message),
    };
    let idx = state.index.clone();
    // What the check refuses (a claim without words, a speaker without letters) is the
    // request's fault (400, an `InvalidQuery`); a failure to read the index the server's (500).
    match state.slots.run(move || check::check_claim(&idx, &q)).await {
        Ok(checked) => {
            let took_ms = started.elapsed().as_secs_f64() * 1e3;
            Json(Answer { took_ms, checked }).into_response()
        }
        Err((status, message)) => error(status, message),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use crate::index::{index_paths, IndexOptions, QuoteIndex};
    use crate::server::app;

    fn fixture() -> (tempfile::TempDir, Arc<QuoteIndex>) {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        std::fs::write(
            articles.join("a.txt"),
            "date 2023-05-01\n\n“The harbour wall will hold this winter, whatever the sea does,” said Mayor Ilse Varnholt.\n\n“The <b>ferry</b> runs at dawn,” she added.\n",
        )
        .unwrap();
        let idx = QuoteIndex::open_or_create(&dir.path().join("index")).unwrap();
        index_paths(&idx, &[articles], &IndexOptions::default(), &|_| {}).unwrap();
        idx.reader.reload().unwrap();
        (dir, Arc::new(idx))
    }

    async fn get(idx: &Arc<QuoteIndex>, uri: &str) -> (StatusCode, serde_json::Value) {
        let res = app(idx.clone())
            .unwrap()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
    }

    #[tokio::test]
    async fn checks_a_claim() {
        let (_d, idx) = fixture();
        let (status, v) = get(
            &idx,
            "/api/check?q=The%20harbour%20wall%20will%20hold%20this%20summer%2C%20whatever%20the%20sea%20does&speaker=varnholt&since=2023&limit=3",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["verdict"], "close");
        assert!(v["took_ms"].as_f64().unwrap() >= 0.0);
        assert_eq!(v["speaker"], "varnholt");
        assert!(v["summary"]
            .as_str()
            .unwrap()
            .starts_with("close: 1 word changed, said by Ilse Varnholt"));
        let m = &v["matches"][0];
        assert_eq!(m["quotations"][0]["articles"][0]["date"], "2023-05-01");
        let replaced: Vec<_> =
            m["diff"].as_array().unwrap().iter().filter(|r| r["op"] == "replace").collect();
        assert_eq!(replaced.len(), 1);
        assert_eq!(
            (&replaced[0]["claim"], &replaced[0]["quote"]),
            (&"summer,".into(), &"winter,".into())
        );
        // Article text comes back as text: markup in a quotation is left as it is.
        let ferry = "The%20%3Cb%3Eferry%3C%2Fb%3E%20runs%20at%20dawn";
        let (_, v) = get(&idx, &format!("/api/check?q={ferry}")).await;
        assert_eq!(v["verdict"], "verbatim");
        assert_eq!(v["matches"][0]["quotations"][0]["quote"], "The <b>ferry</b> runs at dawn,");
        // Someone else: different-speaker; nothing like it: not-found (both 200).
        let (status, v) = get(&idx, &format!("/api/check?q={ferry}&speaker=haldane")).await;
        assert_eq!((status, &v["verdict"]), (StatusCode::OK, &"different-speaker".into()));
        let (_, v) = get(&idx, "/api/check?q=zeppelins%20over%20orchards").await;
        assert_eq!(v["verdict"], "not-found");
        assert_eq!(v["matches"].as_array().unwrap().len(), 0);
    }

    #[tokio::test]
    async fn bad_requests() {
        let (_d, idx) = fixture();
        let long = "a".repeat(1025);
        // (name, uri, error message)
        let cases: Vec<(&str, String, &str)> = vec![
            ("no claim", "/api/check".into(), "q is missing: give the claimed quotation"),
            (
                "blank claim",
                "/api/check?q=%20%20".into(),
                "q is missing: give the claimed quotation",
            ),
            ("claim too long", format!("/api/check?q={long}"), "q is longer than 1024 bytes"),
            ("no words", "/api/check?q=...%20[sic]".into(), "the claim has no words to check"),
            (
                "bad speaker",
                "/api/check?q=wall&speaker=***".into(),
                "invalid speaker name '***': it has no letters",
            ),
            (
                "bad date",
                "/api/check?q=wall&until=2023-02-30".into(),
                "invalid date '2023-02-30' for until: use YYYY-MM-DD, YYYY-MM or YYYY",
            ),
            (
                "on with since",
                "/api/check?q=wall&on=2023&since=2022".into(),
                "on cannot be combined with since or until",
            ),
            (
                "reversed dates",
                "/api/check?q=wall&since=2024&until=2023".into(),
                "since 2024-01-01 is after until 2023-12-31",
            ),
            ("limit", "/api/check?q=wall&limit=21".into(), "limit must be between 1 and 20"),
            (
                "unknown parameter",
                "/api/check?q=wall&sort=newest".into(),
                "unknown parameter 'sort'",
            ),
        ];
        for (name, uri, message) in cases {
            let (status, v) = get(&idx, &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "case {name}");
            assert_eq!(v["error"], message, "case {name}");
        }
    }
}
