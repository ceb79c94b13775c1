//! The routes and their handlers.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use unspin::TechniquesModelChoice;
use unspin::ingest::{self, Format, RawDocument};
use unspin::render::{Json, Render};

use crate::App;
use crate::error::ApiError;
use crate::fetch::FetchError;

/// Every route: method and path, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/healthz"),
    ("post", "/api/v1/analyze"),
    ("post", "/api/v1/report"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/corpus"),
    ("get", "/corpus/doc/{id}"),
    ("get", "/api/v1/corpus/search"),
    ("get", "/api/v1/corpus/stats"),
    ("get", "/compare"),
    ("post", "/compare"),
    ("post", "/api/v1/compare"),
];

const PAGE: &str = include_str!("../assets/index.html");
const OPENAPI: &str = include_str!("../assets/openapi.json");

/// The router of the web app and API over shared state.
pub fn router(app: Arc<App>) -> Router {
    let limit = app.config.max_body;
    Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/api/v1/analyze", post(analyze))
        .route("/api/v1/report", post(report))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/corpus", get(crate::corpus::page))
        .route("/corpus/doc/{id}", get(crate::corpus::doc))
        .route("/api/v1/corpus/search", get(crate::corpus::api_search))
        .route("/api/v1/corpus/stats", get(crate::corpus::api_stats))
        .route(
            "/compare",
            get(crate::compare::page).post(crate::compare::page_report),
        )
        .route("/api/v1/compare", post(crate::compare::api))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            read_body,
        ))
        .with_state(app)
}

/// Reads a request's whole body before any handler runs, within the body deadline and the
/// size cap: a body announced or found larger than `max_body` is `413 payload_too_large`,
/// one that has not fully arrived `body_timeout` after the headers is `408 request_timeout`
/// (a client sending a byte a second holds no more than that). Either way the connection
/// is closed.
async fn read_body(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let limit = app.config.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request is larger than this server's limit of {limit} bytes"),
        )
    };
    // hyper bounds its read buffer near the cap; a head that arrived whole in the last read
    // can pass it by up to one read, so the cap is held exactly here.
    let head = request.uri().to_string().len()
        + request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    if head > app.config.max_header_bytes {
        return closing(
            ApiError::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
                format!(
                    "the request line and headers are larger than this server's limit of {} bytes",
                    app.config.max_header_bytes
                ),
            )
            .into_response(),
        );
    }
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return closing(too_large().into_response());
    }
    let (parts, body) = request.into_parts();
    let read = http_body_util::BodyExt::collect(http_body_util::Limited::new(body, limit));
    let bytes = match tokio::time::timeout(app.config.body_timeout, read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return closing(too_large().into_response());
        }
        Ok(Err(e)) => {
            return closing(
                ApiError::bad_request(format!("could not read the request body: {e}"))
                    .into_response(),
            );
        }
        Err(_) => {
            return closing(
                ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!(
                        "the request body did not arrive within {} s",
                        app.config.body_timeout.as_secs_f64()
                    ),
                )
                .into_response(),
            );
        }
    };
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// Marks a response as the connection's last (its request body was not read to the end).
fn closing(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

async fn page() -> Response {
    ([(header::CACHE_CONTROL, "no-cache")], Html(PAGE)).into_response()
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    let concurrency = app.admission.concurrency();
    axum::Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "concurrency": concurrency,
        "busy": concurrency.saturating_sub(app.admission.free()),
        "waiting": app.admission.waiting(),
    }))
    .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see /api/v1/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /api/v1/openapi.json",
    )
}

/// The JSON body of `analyze` and `report`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeRequest {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    /// `"fast"` or `"accurate"`; absent: the server's model.
    model: Option<String>,
}

/// What a client asked to analyse.
pub(crate) enum Input {
    /// A document ready for the pipeline.
    Raw(Box<RawDocument>),
    /// A URL to fetch first.
    Url(String),
}

/// What a finished analysis is written as.
#[derive(Clone, Copy)]
enum Output {
    Json,
    Html,
}

async fn analyze(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    respond(app, headers, body, Output::Json).await
}

async fn report(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    respond(app, headers, body, Output::Html).await
}

async fn respond(
    app: Arc<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    output: Output,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the request is larger than this server's limit of {} bytes",
                    app.config.max_body
                ),
            )
        } else {
            ApiError::bad_request(format!("could not read the request body: {rejection}"))
        }
    })?;
    let started = Instant::now();
    let (input, model) = parse_input(&headers, &body, &app)?;
    let pipeline = match model {
        None => Arc::clone(&app.pipeline),
        Some(choice) => {
            let shared = Arc::clone(&app);
            tokio::task::spawn_blocking(move || shared.pipeline_for(Some(&choice)))
                .await
                .map_err(|join| {
                    tracing::error!("loading a model failed: {join}");
                    ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "loading the model failed unexpectedly; the server logged the cause",
                    )
                })??
        }
    };
    let raw = match input {
        Input::Raw(raw) => *raw,
        Input::Url(url) => fetch(&app, &url).await?,
    };
    let rendered = run_analysis(&app, pipeline, raw, output).await?;
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "analysed"
    );
    let content_type = match output {
        Output::Json => "application/json",
        Output::Html => "text/html; charset=utf-8",
    };
    Ok(([(header::CONTENT_TYPE, content_type)], rendered).into_response())
}

/// The media type of a request, lower-cased, without parameters.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// Reads the request as a JSON object (with the model it asks for, if any) or as a file's
/// raw bytes.
fn parse_input(
    headers: &HeaderMap,
    body: &[u8],
    app: &App,
) -> Result<(Input, Option<TechniquesModelChoice>), ApiError> {
    let unsupported = |what: &str| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "{what}: send application/json ({{\"text\"}}, {{\"html\"}} or {{\"url\"}}), or a file's bytes as text/plain, text/html or application/octet-stream"
            ),
        )
    };
    let Some(media) = media_type(headers) else {
        return Err(unsupported("no Content-Type header"));
    };
    match media.as_str() {
        "application/json" => parse_json(body),
        "text/plain" | "text/html" | "application/xhtml+xml" | "application/octet-stream" => {
            let opts = ingest::IngestOptions {
                max_bytes: app.config.max_body as u64,
                ..app.pipeline.options().ingest.clone()
            };
            let reader = Box::new(std::io::Cursor::new(body.to_vec()));
            let mut docs = ingest::read_from("upload", reader, &opts);
            let first = docs.next();
            if first.as_ref().is_some_and(Result::is_ok) && docs.next().is_some() {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "several_documents",
                    "upload: the file holds more than one document (a JSON Lines dump or a WARC archive); \
                     the server analyses one document per request: send them one by one, or use \
                     `unspin analyze --format jsonl FILE` for a collection",
                ));
            }
            match first {
                Some(Ok(raw)) => Ok((Input::Raw(Box::new(raw)), None)),
                Some(Err(e)) => Err(unspin::Error::from(e).into()),
                None => Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "empty_input",
                    "upload: the file holds no document",
                )),
            }
        }
        other => Err(unsupported(&format!(
            "Content-Type {other} is not accepted"
        ))),
    }
}

fn parse_json(body: &[u8]) -> Result<(Input, Option<TechniquesModelChoice>), ApiError> {
    let request: AnalyzeRequest = serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {e}"),
            ),
            Category::Data => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!(
                    "expected an object with one string field, \"text\", \"html\" or \"url\", and optionally \"model\": {e}"
                ),
            ),
        }
    })?;
    let model = match request.model.as_deref() {
        None => None,
        Some("fast") => Some(TechniquesModelChoice::Fast),
        Some("accurate") => Some(TechniquesModelChoice::Accurate),
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("\"model\" must be \"fast\" or \"accurate\", not {other:?}"),
            ));
        }
    };
    let label = match (&request.text, &request.html) {
        (Some(_), _) => "text",
        (_, Some(_)) => "html",
        _ => "url",
    };
    let input = input_of(request.text, request.html, request.url, label)?;
    Ok((input, model))
}

/// Fetches a URL under the server's policy, a limited number at once.
pub(crate) async fn fetch(app: &App, url: &str) -> Result<RawDocument, ApiError> {
    let _slot = app.fetch_slots.try_acquire().map_err(|_| ApiError {
        retry_after: Some(1),
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the server is fetching as many pages as it allows; try again in a moment",
        )
    })?;
    app.fetcher.fetch(url).await.map_err(fetch_error)
}

fn fetch_error(e: FetchError) -> ApiError {
    let message = e.to_string();
    match e {
        FetchError::InvalidUrl { .. } => {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_url", message)
        }
        FetchError::Refused { .. } => ApiError::new(StatusCode::FORBIDDEN, "url_refused", message),
        FetchError::Timeout { .. } => {
            ApiError::new(StatusCode::GATEWAY_TIMEOUT, "fetch_timeout", message)
        }
        FetchError::HostNotFound { .. }
        | FetchError::Network { .. }
        | FetchError::TooManyRedirects { .. }
        | FetchError::Status { .. } => {
            ApiError::new(StatusCode::BAD_GATEWAY, "fetch_failed", message)
        }
        FetchError::Ingest(ingest::IngestError::Fetch { .. }) => {
            ApiError::new(StatusCode::BAD_GATEWAY, "fetch_failed", message)
        }
        FetchError::Ingest(ingest::IngestError::TooLarge { .. }) => {
            ApiError::new(StatusCode::BAD_GATEWAY, "page_too_large", message)
        }
        FetchError::Ingest(other) => unspin::Error::from(other).into(),
    }
}

/// A text, HTML or URL version as the JSON APIs take it.
pub(crate) fn input_of(
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    label: &str,
) -> Result<Input, ApiError> {
    let raw = |text: String, format: Format| {
        Input::Raw(Box::new(RawDocument::given(label, text, format)))
    };
    match (text, html, url) {
        (Some(text), None, None) => Ok(raw(text, Format::Text)),
        (None, Some(html), None) => Ok(raw(html, Format::Html)),
        (None, None, Some(url)) => Ok(Input::Url(url)),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "give exactly one of \"text\", \"html\" or \"url\"",
        )),
    }
}

/// Runs `job` on a blocking thread once admitted, within the request deadline.
pub(crate) async fn admitted<T: Send + 'static>(
    app: &Arc<App>,
    job: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let timeout = app.config.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let too_slow = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the analysis did not finish within this server's limit of {:.1} s",
                timeout.as_secs_f64()
            ),
        )
    };
    let permit = tokio::time::timeout_at(deadline, app.admission.admit())
        .await
        .map_err(|_| too_slow())??;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        job()
    });
    match tokio::time::timeout_at(deadline, task).await {
        Err(_) => Err(too_slow()),
        Ok(Err(join)) => {
            tracing::error!("analysis task failed: {join}");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the analysis failed unexpectedly; the server logged the cause",
            ))
        }
        Ok(Ok(result)) => result,
    }
}

/// Runs the pipeline on a blocking thread once admitted, within the request deadline.
async fn run_analysis(
    app: &Arc<App>,
    pipeline: Arc<unspin::Pipeline>,
    raw: RawDocument,
    output: Output,
) -> Result<Vec<u8>, ApiError> {
    admitted(app, move || {
        let doc = pipeline.document(raw)?;
        let analysis = pipeline.analyze(&doc)?;
        let mut out = Vec::new();
        let rendered = match output {
            Output::Json => Json { pretty: false }.render(&analysis, &mut out),
            Output::Html => {
                unspin::render::Html::for_pipeline(&pipeline).render(&analysis, &mut out)
            }
        };
        rendered.map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "render_failed",
                format!("could not write the report: {e}"),
            )
        })?;
        Ok::<_, ApiError>(out)
    })
    .await
}
