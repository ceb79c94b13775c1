//! The server's request parsing: a request to one of the API routes with a content type,
//! query and body taken from the input is answered (any status but 500), never a panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;
use unspin::{Options, Pipeline};
use unspin_server::{App, ServerConfig, router};

fn app() -> &'static Arc<App> {
    static APP: OnceLock<Arc<App>> = OnceLock::new();
    APP.get_or_init(|| {
        App::new(
            ServerConfig::default(),
            Pipeline::new(Options::default()).expect("default pipeline"),
        )
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

const PATHS: &[&str] = &[
    "/api/v1/analyze",
    "/api/v1/report",
    "/api/v1/compare",
    "/compare",
];
const TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ",
    "text/plain; charset=utf-8",
    "text/html",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    // Keep URL fetching out of the loop: a "url" field would wait on the network.
    if body.windows(3).any(|w| w.eq_ignore_ascii_case(b"url")) {
        return;
    }
    let path = PATHS[usize::from(sel) % PATHS.len()];
    let ctype = TYPES[usize::from(sel / 8) % TYPES.len()];
    let Ok(request) = Request::post(path)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    let status = runtime().block_on(async {
        router(Arc::clone(app()))
            .oneshot(request)
            .await
            .map(|r| r.status())
    });
    let Ok(status) = status;
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path} {ctype}");
});
