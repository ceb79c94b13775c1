//! The corpus pages over a real store: articles of two outlets over three months, analysed
//! by the default pipeline and stored in SQLite, then searched, opened and charted through
//! the router as a browser or a script would.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;
use unspin::ingest::{CharsetSource, Format, RawDocument, RecordMeta};
use unspin::{Options, Pipeline};
use unspin_server::corpus::Corpus;
use unspin_server::{App, ServerConfig, router};
use unspin_store::stats::{By, compute};
use unspin_store::{SearchQuery, SqliteStore, Store, StoredDocument, content_sha256};

/// An article of `outlet` from `month`, numbered `n`.
fn article(n: usize) -> String {
    format!(
        "The regional council of district {n} met on Monday and approved a budget of {n} million euros for new bridges and schools, \
         the mayor, Anna Kovacs, told reporters after the vote.\n\n\
         “This is a reckless gamble with public money,” said Peter Lang, the leader of the opposition, who called the mayor a puppet of the developers.\n\n\
         Kovacs said the council had cut spending on consultants by 12 percent last year. A final vote is expected in the spring."
    )
}

/// A store of 12 analysed articles: outlets "North Gazette" and "<South & Herald>" (a name
/// that must be escaped), months 2024-08 to 2024-10.
fn store(dir: &std::path::Path) -> (String, Pipeline) {
    let path = dir.join("c.db").display().to_string();
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let mut s = SqliteStore::open(&path).unwrap();
    let mut docs = Vec::new();
    for n in 0..12 {
        let outlet = if n % 2 == 0 {
            "North Gazette"
        } else {
            "<South & Herald>"
        };
        let month = ["2024-08", "2024-09", "2024-10"][n % 3];
        let text = article(n + 1);
        let raw = RawDocument {
            input: format!("dump.jsonl:{}", n + 1),
            id: Some(n.to_string()),
            url: Some(format!("https://example.org/{n}")),
            format: Format::Text,
            text: text.clone(),
            charset: "UTF-8".into(),
            charset_source: CharsetSource::Declared,
            warnings: Vec::new(),
            meta: RecordMeta {
                title: Some(format!("Council {} approves budget", n + 1)),
                site: Some(outlet.into()),
                published: Some(format!("{month}-15")),
                authors: Vec::new(),
                language: Some("en".into()),
            },
        };
        let doc = pipeline.document(raw).unwrap();
        docs.push(StoredDocument {
            input: format!("dump.jsonl:{}", n + 1),
            content_sha256: content_sha256(&text),
            analysis: pipeline.analyze(&doc).unwrap(),
        });
    }
    s.put(&docs).unwrap();
    (path, pipeline)
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, String, String) {
    let response = router(Arc::clone(app))
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let ct = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, ct, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_corpus_is_searched_opened_and_charted() {
    let tmp = tempfile::tempdir().unwrap();
    let (path, pipeline) = store(tmp.path());
    let reader = SqliteStore::open(&path).unwrap();
    let app = App::with_corpus(
        ServerConfig::default(),
        pipeline,
        Some(Corpus::new(
            Box::new(SqliteStore::open(&path).unwrap()),
            "c.db",
        )),
    );

    // The API answers as the CLI does.
    let (status, _, body) = get(
        &app,
        "/api/v1/corpus/search?q=bridges&outlet=North%20Gazette",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let want = reader
        .search(&SearchQuery {
            text: "bridges".into(),
            outlet: Some("North Gazette".into()),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(v["results"], serde_json::to_value(&want).unwrap());
    assert_eq!(want.len(), 6);
    let (_, _, body) = get(&app, "/api/v1/corpus/stats?by=outlet,month").await;
    let stats = compute(&reader.cells().unwrap(), By::OutletMonth);
    assert_eq!(body, serde_json::to_string(&stats).unwrap());
    let (status, _, body) = get(&app, "/api/v1/corpus/stats?by=author").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // The page: the form keeps the query, results link to reports, one chart per outlet
    // with a point per month, and the hostile outlet name is escaped everywhere.
    let (status, ct, page) = get(&app, "/corpus?q=%22reckless+gamble%22&limit=5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(
        page.contains("value=\"&quot;reckless gamble&quot;\""),
        "the form keeps the query"
    );
    assert!(page.contains("5 articles (the first;"), "12 match, 5 shown");
    assert_eq!(page.matches("href=\"/corpus/doc/").count(), 5);
    assert!(
        page.contains("<mark>reckless gamble</mark>"),
        "the phrase is marked"
    );
    assert!(!page.contains("<South & Herald>"), "the outlet is escaped");
    assert!(page.contains("&lt;South &amp; Herald&gt;"));
    assert_eq!(page.matches("<figure class=\"chart\"").count(), 2);
    assert_eq!(
        page.matches("<circle").count(),
        6,
        "two outlets × three months"
    );
    assert!(page.contains("2024-08") && page.contains("2024-10"));
    assert!(!page.contains("<script"), "the page needs no script");

    // A chart of one technique, and a filter that keeps nothing.
    let (_, _, page) = get(&app, "/corpus?chart=Loaded_Language").await;
    assert!(
        page.contains("Loaded language per 1,000 words"),
        "the chart says what it draws"
    );
    let (_, _, page) = get(&app, "/corpus?q=zeppelin").await;
    assert!(page.contains("0 articles") && page.contains("Nothing matches."));

    // Each result opens the stored article's report.
    let id = want[0].id;
    let (status, ct, report) = get(&app, &format!("/corpus/doc/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"));
    assert!(
        report.contains(&want[0].title.clone().unwrap()),
        "the report is the article's"
    );
    let (status, _, body) = get(&app, "/corpus/doc/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _, _) = get(&app, "/corpus/doc/abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_a_store_the_corpus_routes_say_how_to_get_one() {
    let app = App::new(
        ServerConfig::default(),
        Pipeline::new(Options::default()).unwrap(),
    );
    let (status, _, page) = get(&app, "/corpus").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("unspin serve --db"), "{page}");
    let (status, _, body) = get(&app, "/api/v1/corpus/search?q=x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("no_corpus"), "{body}");
}
