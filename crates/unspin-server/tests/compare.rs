//! The compare API and page against the real router and the default pipeline: pasted
//! versions compared, the form answered with the side-by-side page, wrong requests refused.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use unspin::{Options, Pipeline};
use unspin_server::{App, ServerConfig, router};

fn app() -> Arc<App> {
    App::new(
        ServerConfig::default(),
        Pipeline::new(Options::default()).expect("default pipeline"),
    )
}

async fn call(app: &Arc<App>, request: Request<Body>) -> (StatusCode, String, String) {
    let response = router(Arc::clone(app)).oneshot(request).await.unwrap();
    let status = response.status();
    let ct = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, ct, String::from_utf8_lossy(&body).into_owned())
}

fn post(path: &str, ct: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap()
}

const A: &str = "The city council approved a new bridge on Monday, Mayor Anna Berg said. \
                 It will cost 40 million euros and open in 2027.";
const B: &str = "Mayor Anna Berg said the council approved the 40 million euro bridge on \
                 Monday; critics called the plan reckless.";

#[tokio::test]
async fn two_pasted_versions_are_compared_with_a_pair() {
    let app = app();
    let body =
        json!({"versions": [{"text": A, "label": "Record"}, {"text": B, "label": "Tribune"}]});
    let (s, ct, b) = call(
        &app,
        post("/api/v1/compare", "application/json", body.to_string()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(ct, "application/json");
    let c: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(c["pairs"][0]["a"], "Record");
    assert_eq!(c["pairs"][0]["b"], "Tribune");
    let sim = c["pairs"][0]["similarity"].as_f64().unwrap();
    assert!(sim > 0.5, "one story: {sim}");
    assert!(
        c["actors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Anna Berg" && a["naming"].as_array().unwrap().len() == 2)
    );
}

#[tokio::test]
async fn the_form_answers_with_the_side_by_side_page() {
    let app = app();
    let (s, ct, page) = call(&app, Request::get("/compare").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/html") && page.contains("name=\"v1\""));
    let form = format!("v1={}&label1=Record&v2={}&v3=", urlencode(A), urlencode(B));
    let (s, ct, html) = call(
        &app,
        post("/compare", "application/x-www-form-urlencoded", form),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(ct.starts_with("text/html"));
    assert!(
        html.contains("2 versions of one story")
            && html.contains("Record")
            && html.contains("version 2")
    );
}

#[tokio::test]
async fn wrong_requests_are_refused_with_reasons() {
    let app = app();
    let one = json!({"versions": [{"text": A}]});
    let (s, _, b) = call(
        &app,
        post("/api/v1/compare", "application/json", one.to_string()),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.contains("between 2 and 6"), "{b}");
    let both = json!({"versions": [{"text": A, "url": "https://example.com/"}, {"text": B}]});
    let (s, _, b) = call(
        &app,
        post("/api/v1/compare", "application/json", both.to_string()),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b.contains("versions[0]") && b.contains("exactly one"),
        "{b}"
    );
    let private = json!({"versions": [{"url": "http://127.0.0.1:9/x"}, {"text": B}]});
    let (s, _, b) = call(
        &app,
        post("/api/v1/compare", "application/json", private.to_string()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert!(b.contains("url_refused"), "{b}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
