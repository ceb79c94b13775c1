//! The API end to end: every endpoint and every error, against the real router and the
//! default pipeline. Every page fetched comes from a server these tests start on 127.0.0.1;
//! no test sends traffic anywhere else.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use tower::ServiceExt;
use unspin::{Options, Pipeline};
use unspin_server::{App, ROUTES, ServerConfig, router};

const ARTICLE: &str = "Officials said on Monday that the bridge would stay closed until March.\n\n\
\"This is a disaster for every family in the valley,\" the mayor, Anna Berg, told reporters. \
The council has never cared about ordinary people, critics claim, and the shameful delay \
will cost the town 4 million euros.";

fn app_with(config: ServerConfig) -> Arc<App> {
    App::new(
        config,
        Pipeline::new(Options::default()).expect("default pipeline"),
    )
}

fn app() -> Arc<App> {
    app_with(ServerConfig::default())
}

async fn call(app: &Arc<App>, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let response = router(Arc::clone(app))
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (status, content_type, body.to_vec())
}

fn post(path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::post(path);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).expect("a request")
}

fn post_json(path: &str, value: &Value) -> Request<Body> {
    post(path, Some("application/json"), value.to_string())
}

/// Asserts a JSON error with this status and code; returns its message.
fn error(
    status: StatusCode,
    content_type: &str,
    body: &[u8],
    want: StatusCode,
    code: &str,
) -> String {
    let text = String::from_utf8_lossy(body);
    assert_eq!(status, want, "body: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let v: Value = serde_json::from_slice(body).expect("a JSON error body");
    assert_eq!(v["error"]["code"], code, "{text}");
    v["error"]["message"]
        .as_str()
        .expect("a message")
        .to_owned()
}

fn analysis(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("analysis JSON")
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = app();
    let (status, ct, body) =
        call(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/json"));
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["status"], "ok");
    assert!(v["concurrency"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn page_explains_itself() {
    let app = app();
    let (status, ct, body) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    let page = String::from_utf8(body).unwrap();
    for needed in [
        "<textarea",
        "type=\"file\"",
        "type=\"url\"",
        "/api/v1/report",
    ] {
        assert!(page.contains(needed), "the page lacks {needed}");
    }
}

#[tokio::test]
async fn analyze_text_matches_the_library() {
    let app = app();
    let (status, ct, body) = call(
        &app,
        post_json("/api/v1/analyze", &json!({"text": ARTICLE})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(ct.starts_with("application/json"));
    let got = analysis(&body);
    assert_eq!(got["text"], ARTICLE);
    assert_eq!(got["source"]["format"], "text");
    // The same analysis as the library gives for the same text (bar the input label).
    let doc = unspin::Document::from_text(ARTICLE);
    let want = analysis(&serde_json::to_vec(&app.pipeline.analyze(&doc).unwrap()).unwrap());
    for key in [
        "text",
        "paragraphs",
        "sentences",
        "techniques",
        "quotes",
        "actors",
        "claims",
    ] {
        assert_eq!(got[key], want[key], "{key} differs");
    }
    assert!(
        !got["quotes"].as_array().unwrap().is_empty(),
        "the quote is found"
    );
}

#[tokio::test]
async fn report_is_the_html_report() {
    let app = app();
    let (status, ct, body) =
        call(&app, post_json("/api/v1/report", &json!({"text": ARTICLE}))).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(ct.starts_with("text/html"), "{ct}");
    let page = String::from_utf8(body).unwrap();
    let raw = unspin::ingest::RawDocument {
        input: "text".into(),
        id: None,
        url: None,
        format: unspin::ingest::Format::Text,
        text: ARTICLE.into(),
        charset: "UTF-8".into(),
        charset_source: unspin::ingest::CharsetSource::Declared,
        warnings: Vec::new(),
        meta: Default::default(),
    };
    let doc = app.pipeline.document(raw).unwrap();
    let mut want = Vec::new();
    unspin::render::Render::render(
        &unspin::render::Html::default(),
        &app.pipeline.analyze(&doc).unwrap(),
        &mut want,
    )
    .unwrap();
    assert_eq!(
        page,
        String::from_utf8(want).unwrap(),
        "the same report as `analyze --format html`"
    );
    assert!(page.contains("<mark"), "highlighted spans");
    assert!(!page.contains("src=\"http"), "self-contained");
}

#[tokio::test]
async fn analyze_html_extracts_the_article() {
    let app = app();
    let html = format!(
        "<html><head><title>Bridge stays shut</title></head><body><nav>Home | News</nav>\
         <article><h1>Bridge stays shut</h1>{}</article></body></html>",
        ARTICLE
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>()
    );
    let (status, _, body) = call(&app, post_json("/api/v1/analyze", &json!({"html": html}))).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let got = analysis(&body);
    assert_eq!(got["source"]["format"], "html");
    assert_eq!(got["source"]["title"], "Bridge stays shut");
    assert!(
        got["text"]
            .as_str()
            .unwrap()
            .contains("the mayor, Anna Berg")
    );
    assert!(!got["text"].as_str().unwrap().contains("Home | News"));
}

#[tokio::test]
async fn analyze_uploaded_bytes_are_sniffed_and_decoded() {
    let app = app();
    // windows-1252 bytes with an HTML meta charset, as a saved page would be.
    let mut page =
        b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><p>"
            .to_vec();
    page.extend_from_slice(b"The caf\xe9 owner said the \x93plan\x94 was a disgrace. ");
    page.extend_from_slice(ARTICLE.as_bytes());
    page.extend_from_slice(b"</p></body></html>");
    let (status, _, body) = call(
        &app,
        post("/api/v1/analyze", Some("application/octet-stream"), page),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let got = analysis(&body);
    assert_eq!(got["source"]["charset"], "windows-1252");
    assert!(
        got["text"]
            .as_str()
            .unwrap()
            .contains("The café owner said the “plan”")
    );
}

#[tokio::test]
async fn an_upload_holding_several_documents_is_refused_with_the_reason() {
    let app = app();
    let line = |t: &str| serde_json::to_string(&json!({ "text": t })).unwrap();
    let dump = format!(
        "{}\n{}\n",
        line(ARTICLE),
        line("A second story about the port.")
    );
    let (s, ct, b) = call(
        &app,
        post("/api/v1/analyze", Some("application/octet-stream"), dump),
    )
    .await;
    let m = error(
        s,
        &ct,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        "several_documents",
    );
    assert!(m.contains("more than one document"), "{m}");
    // One JSON line is one document: analysed.
    let (s, _, b) = call(
        &app,
        post(
            "/api/v1/analyze",
            Some("application/octet-stream"),
            format!("{}\n", line(ARTICLE)),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
}

#[tokio::test]
async fn openapi_lists_every_route_and_error() {
    let app = app();
    let (status, ct, body) = call(
        &app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/json"));
    let doc: Value = serde_json::from_slice(&body).expect("OpenAPI JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut served: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    served.sort();
    assert_eq!(
        documented, served,
        "the OpenAPI paths are the served routes"
    );
    // Every route is really served (no 404/405 from the router itself).
    for (method, path) in ROUTES {
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(*path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"text": "One sentence."}).to_string()))
            .unwrap();
        let (status, _, body) = call(&app, request).await;
        if path.contains("{id}") {
            // The literal "{id}" is not a number: the route answers 400, not 404.
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            continue;
        }
        if path.contains("corpus") {
            // This server has no store: the corpus routes say so (tests/corpus.rs serves one).
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            let body = String::from_utf8_lossy(&body);
            assert!(
                body.contains("no_corpus") || body.contains("--db"),
                "{path}: {body}"
            );
            continue;
        }
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status}"
        );
    }
    // The error statuses the API answers are documented for the analysis endpoints.
    for path in ["/api/v1/analyze", "/api/v1/report"] {
        let responses = paths[path]["post"]["responses"].as_object().unwrap();
        for code in [
            "200", "400", "403", "408", "413", "415", "422", "502", "503", "504",
        ] {
            assert!(
                responses.contains_key(code),
                "{path} does not document {code}"
            );
        }
    }
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = app();
    let (s, ct, b) = call(
        &app,
        post("/api/v1/analyze", Some("application/json"), "{\"text\": "),
    )
    .await;
    error(s, &ct, &b, StatusCode::BAD_REQUEST, "malformed_json");
    let (s, ct, b) = call(
        &app,
        post_json("/api/v1/analyze", &json!({"text": "a", "url": "http://x"})),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(m.contains("exactly one"), "{m}");
    let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"txt": "a"}))).await;
    error(s, &ct, &b, StatusCode::BAD_REQUEST, "invalid_request");
    let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"text": 5}))).await;
    error(s, &ct, &b, StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = app();
    let body = json!({"text": ARTICLE}).to_string();
    let (s, ct, b) = call(
        &app,
        post(
            "/api/v1/analyze",
            Some("application/x-www-form-urlencoded"),
            body.clone(),
        ),
    )
    .await;
    let m = error(
        s,
        &ct,
        &b,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert!(m.contains("application/json"), "{m}");
    let (s, ct, b) = call(&app, post("/api/v1/analyze", None, body)).await;
    error(
        s,
        &ct,
        &b,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = app_with(ServerConfig {
        max_body: 1024,
        ..ServerConfig::default()
    });
    let big = "word ".repeat(1000);
    for path in ["/api/v1/analyze", "/api/v1/report"] {
        let (s, ct, b) = call(&app, post_json(path, &json!({"text": big}))).await;
        let m = error(
            s,
            &ct,
            &b,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        );
        assert!(m.contains("1024 bytes"), "{m}");
    }
}

#[tokio::test]
async fn empty_text_is_422() {
    let app = app();
    let (s, ct, b) = call(
        &app,
        post_json("/api/v1/analyze", &json!({"text": "  \n "})),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::UNPROCESSABLE_ENTITY, "empty_input");
    assert!(m.contains("no text to analyse"), "{m}");
}

#[tokio::test]
async fn unknown_route_and_method_are_json_errors() {
    let app = app();
    let (s, ct, b) = call(&app, Request::get("/nope").body(Body::empty()).unwrap()).await;
    error(s, &ct, &b, StatusCode::NOT_FOUND, "not_found");
    let (s, ct, b) = call(
        &app,
        Request::get("/api/v1/analyze").body(Body::empty()).unwrap(),
    )
    .await;
    error(
        s,
        &ct,
        &b,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

/// A long article (about 60,000 words) that keeps an analysis slot busy for a while.
fn long_text() -> String {
    ARTICLE.repeat(1500)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_is_503_with_retry_after() {
    let app = app_with(ServerConfig {
        concurrency: 1,
        queue: 0,
        ..ServerConfig::default()
    });
    let busy = {
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            call(
                &app,
                post_json("/api/v1/analyze", &json!({"text": long_text()})),
            )
            .await
        })
    };
    while app.admission.free() > 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let response = router(Arc::clone(&app))
        .oneshot(post_json("/api/v1/analyze", &json!({"text": ARTICLE})))
        .await
        .unwrap();
    assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "1");
    let status = response.status();
    let ct = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let b = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let m = error(
        status,
        &ct,
        &b,
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
    );
    assert!(m.contains("busy"), "{m}");
    let (status, _, _) = busy.await.unwrap();
    assert_eq!(
        status,
        StatusCode::OK,
        "the admitted request still completes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_analysis_times_out_with_503() {
    let app = app_with(ServerConfig {
        timeout: Duration::from_millis(5),
        ..ServerConfig::default()
    });
    let (s, ct, b) = call(
        &app,
        post_json("/api/v1/analyze", &json!({"text": long_text()})),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::SERVICE_UNAVAILABLE, "timeout");
    assert!(m.contains("did not finish"), "{m}");
}

/// A tiny HTTP server on 127.0.0.1 with fixed routes: `/article` (HTML), `/to-article`
/// (redirect to it), `/to/<port>` (redirect to another port on 127.0.0.1), `/image`.
async fn page_server() -> SocketAddr {
    use axum::routing::get;
    let html = format!(
        "<html><head><title>Bridge stays shut</title></head><body><article>{}</article></body></html>",
        ARTICLE
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>()
    );
    let pages = axum::Router::new()
        .route(
            "/article",
            get(move || {
                let html = html.clone();
                async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html) }
            }),
        )
        .route(
            "/to-article",
            get(|| async { axum::response::Redirect::temporary("/article") }),
        )
        .route(
            "/to/{port}",
            get(
                |axum::extract::Path(port): axum::extract::Path<u16>| async move {
                    axum::response::Redirect::temporary(&format!("http://127.0.0.1:{port}/article"))
                        .into_response()
                },
            ),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "too late"
            }),
        )
        .route(
            "/image",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/png")],
                    vec![0x89u8, b'P', b'N', b'G'],
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, pages).await });
    addr
}

#[tokio::test]
async fn url_to_loopback_is_refused_by_default() {
    let pages = page_server().await;
    let app = app();
    for (url, ip) in [
        (format!("http://{pages}/article"), "127.0.0.1"),
        (format!("http://localhost:{}/article", pages.port()), ""),
        ("http://[::1]:9/".to_owned(), "::1"),
        // Other spellings of 127.0.0.1 that URL parsers accept.
        ("http://2130706433:9/".to_owned(), "127.0.0.1"),
        ("http://0x7f.1:9/".to_owned(), "127.0.0.1"),
        ("http://127.1:9/".to_owned(), "127.0.0.1"),
        ("http://[::ffff:127.0.0.1]:9/".to_owned(), "127.0.0.1"),
        (
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            "169.254.169.254",
        ),
        ("http://10.0.0.1/".to_owned(), "10.0.0.1"),
    ] {
        let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": url}))).await;
        let m = error(s, &ct, &b, StatusCode::FORBIDDEN, "url_refused");
        assert!(m.starts_with("refused:"), "{m}");
        assert!(m.contains(ip), "{m}");
        assert!(m.contains("--allow-private-urls"), "{m}");
    }
}

#[tokio::test]
async fn bad_urls_are_400() {
    let app = app();
    for url in ["file:///etc/passwd", "not a url", "ftp://127.0.0.1/x"] {
        let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": url}))).await;
        error(s, &ct, &b, StatusCode::BAD_REQUEST, "invalid_url");
    }
}

#[tokio::test]
async fn url_is_fetched_with_allow_private_urls() {
    let pages = page_server().await;
    let app = app_with(ServerConfig {
        allow_private_urls: true,
        ..ServerConfig::default()
    });
    let url = format!("http://{pages}/to-article");
    let (s, _, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": url}))).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let got = analysis(&b);
    assert_eq!(got["source"]["format"], "html");
    assert_eq!(got["source"]["input"], url);
    assert_eq!(got["source"]["url"], format!("http://{pages}/article"));
    assert_eq!(got["source"]["title"], "Bridge stays shut");
    assert!(
        got["text"]
            .as_str()
            .unwrap()
            .contains("the mayor, Anna Berg")
    );

    let (s, ct, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"url": format!("http://{pages}/image")}),
        ),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::BAD_GATEWAY, "fetch_failed");
    assert!(m.contains("image/png"), "{m}");
    let (s, ct, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"url": format!("http://{pages}/missing")}),
        ),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::BAD_GATEWAY, "fetch_failed");
    assert!(m.contains("404"), "{m}");
}

#[tokio::test]
async fn every_redirect_hop_is_checked_again() {
    // The first server's exact address is allowed; the one it redirects to is not.
    let first = page_server().await;
    let second = page_server().await;
    let app = app_with(ServerConfig {
        allowed_fetch_addrs: vec![first],
        ..ServerConfig::default()
    });
    let (s, _, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"url": format!("http://{first}/to-article")}),
        ),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a redirect within the allowed address is followed: {}",
        String::from_utf8_lossy(&b)
    );
    let url = format!("http://{first}/to/{}", second.port());
    let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": url}))).await;
    let m = error(s, &ct, &b, StatusCode::FORBIDDEN, "url_refused");
    assert!(
        m.contains("redirect 1 goes to http://127.0.0.1:") && m.contains("loopback"),
        "{m}"
    );
}

#[tokio::test]
async fn slow_and_oversized_pages_are_refused() {
    let pages = page_server().await;
    let app = app_with(ServerConfig {
        allow_private_urls: true,
        fetch_timeout: Duration::from_millis(300),
        max_fetch_bytes: 100,
        ..ServerConfig::default()
    });
    let slow = format!("http://{pages}/slow");
    let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": slow}))).await;
    let m = error(s, &ct, &b, StatusCode::GATEWAY_TIMEOUT, "fetch_timeout");
    assert!(m.contains("took longer than 0.3 s"), "{m}");
    let big = format!("http://{pages}/article");
    let (s, ct, b) = call(&app, post_json("/api/v1/analyze", &json!({"url": big}))).await;
    let m = error(s, &ct, &b, StatusCode::BAD_GATEWAY, "page_too_large");
    assert!(m.contains("100 bytes"), "{m}");
}

#[tokio::test]
async fn the_model_field_chooses_fast_and_refuses_accurate() {
    use unspin::analyse::techniques::analyser::{ACCURATE_UNAVAILABLE, default_model_candidates};
    let app = app();
    // "accurate" is not in this build: 422 with the reason, on both analysis endpoints,
    // never fast's results instead.
    for path in ["/api/v1/analyze", "/api/v1/report"] {
        let (s, ct, b) = call(
            &app,
            post_json(path, &json!({"text": ARTICLE, "model": "accurate"})),
        )
        .await;
        let m = error(
            s,
            &ct,
            &b,
            StatusCode::UNPROCESSABLE_ENTITY,
            "model_unavailable",
        );
        assert_eq!(m, ACCURATE_UNAVAILABLE);
    }
    // Anything else than fast or accurate is a bad request (paths are not taken).
    let (s, ct, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"text": ARTICLE, "model": "/etc/passwd"}),
        ),
    )
    .await;
    let m = error(s, &ct, &b, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(m.contains("\"fast\" or \"accurate\""), "{m}");
    // "fast" runs the fast model and provenance says so.
    let Some(file) = default_model_candidates().into_iter().find(|p| p.exists()) else {
        eprintln!("skipped: no fast techniques model available");
        return;
    };
    let (s, _, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"text": ARTICLE, "model": "fast"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let a = analysis(&b);
    let fast = techniques_model(&a);
    assert_eq!(fast["variant"], "fast", "{a}");
    assert_eq!(fast["sha256"].as_str().unwrap().len(), 64);
    // A server started with a model file still answers "fast" with the fast model.
    let options = Options {
        techniques: unspin::TechniquesOptions {
            model: unspin::TechniquesModelChoice::File(file),
            ..Default::default()
        },
        ..Options::default()
    };
    let app = App::new(ServerConfig::default(), Pipeline::new(options).unwrap());
    let (s, _, b) = call(
        &app,
        post_json("/api/v1/analyze", &json!({"text": ARTICLE})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(techniques_model(&analysis(&b))["variant"], "file");
    let (s, _, b) = call(
        &app,
        post_json(
            "/api/v1/analyze",
            &json!({"text": ARTICLE, "model": "fast"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(techniques_model(&analysis(&b)), fast);
}

/// The techniques model's entry in an analysis's provenance.
fn techniques_model(a: &serde_json::Value) -> serde_json::Value {
    a["provenance"]["models"]
        .as_array()
        .and_then(|m| {
            m.iter().find(|x| {
                x["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("techniques"))
            })
        })
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}
