//! unspin's local web app and HTTP API.
//!
//! [`router`] answers:
//! - `GET /` — a page where a person pastes text, drops a file or gives a URL and reads the
//!   report;
//! - `GET /healthz` — liveness;
//! - `POST /api/v1/analyze` — JSON `{"text"}`, `{"html"}` or `{"url"}` (exactly one, with an
//!   optional `"model": "fast"|"accurate"`), or a file's raw bytes, → the analysis JSON (as
//!   `unspin analyze --format json` writes it); `"accurate"` is answered 422
//!   `model_unavailable` in this build;
//! - `POST /api/v1/report` — the same inputs → the self-contained HTML report;
//! - `GET /api/v1/openapi.json` — the OpenAPI 3 description of all this;
//! - with a store (`unspin serve --db corpus.db`), `GET /corpus` (search, reports, charts of
//!   technique rates by outlet over time) and its JSON API; see [`corpus`].
//!
//! Errors are JSON `{"error": {"code", "message"}}` with a 4xx/5xx status. Analyses run on
//! blocking threads, at most [`ServerConfig::concurrency`] at once with
//! [`ServerConfig::queue`] more waiting (the rest get 503 at once), each within
//! [`ServerConfig::timeout`]. URLs are fetched under a [`UrlPolicy`] that refuses internal
//! addresses unless [`ServerConfig::allow_private_urls`] is set.

pub mod address;
pub mod admission;
pub mod compare;
pub mod corpus;
pub mod error;
pub mod fetch;
pub mod listen;
mod routes;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use unspin::ingest::IngestOptions;
use unspin::{ModelContext, Pipeline, TechniquesModelChoice};

pub use admission::Admission;
pub use error::ApiError;
pub use fetch::{FetchError, Fetcher, UrlPolicy};
pub use routes::{ROUTES, router};

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Fetch URLs that resolve to loopback, private, link-local and other internal
    /// addresses too.
    pub allow_private_urls: bool,
    /// Exact addresses (IP and port) fetched even when internal; every other internal
    /// address stays refused.
    pub allowed_fetch_addrs: Vec<SocketAddr>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Analyses run at once.
    pub concurrency: usize,
    /// Requests that may wait for an analysis slot; more get 503 at once.
    pub queue: usize,
    /// Pause before answering a request refused for overload (503), so that clients retrying
    /// at once do not take the CPU from admitted analyses.
    pub reject_delay: Duration,
    /// Deadline of one request's analysis, waiting for a slot included.
    pub timeout: Duration,
    /// Deadline of fetching one URL, redirects included.
    pub fetch_timeout: Duration,
    /// Largest page fetched, in bytes.
    pub max_fetch_bytes: u64,
    /// URL fetches at once; more get 503 at once.
    pub fetch_concurrency: usize,
    /// Connections open at once; past it no connection is accepted until one closes.
    pub max_connections: usize,
    /// Deadline for a request's line and headers to arrive (also how long a kept-alive
    /// connection may sit idle); the connection is closed after it.
    pub header_timeout: Duration,
    /// Deadline for a request's whole body to arrive, from when its headers did (408).
    pub body_timeout: Duration,
    /// Largest request line and headers, in bytes (431).
    pub max_header_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            allow_private_urls: false,
            allowed_fetch_addrs: Vec::new(),
            max_body: 2 * 1024 * 1024,
            concurrency: cores,
            queue: 8 * cores,
            reject_delay: Duration::from_millis(100),
            timeout: Duration::from_secs(20),
            fetch_timeout: Duration::from_secs(15),
            max_fetch_bytes: 5 * 1024 * 1024,
            fetch_concurrency: 8,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
        }
    }
}

/// What every request shares: the settings, the loaded pipeline, admission and fetching.
pub struct App {
    /// The settings.
    pub config: ServerConfig,
    /// The pipeline, models loaded once.
    pub pipeline: Arc<Pipeline>,
    /// Analysis slots and queue.
    pub admission: Admission,
    /// URL fetching.
    pub fetcher: Fetcher,
    /// URL fetches at once.
    pub fetch_slots: tokio::sync::Semaphore,
    /// The store served by the corpus pages, if any.
    pub corpus: Option<corpus::Corpus>,
    /// Pipelines built for a request's `"model"` other than the one `pipeline` loaded.
    alternates: Mutex<Vec<(TechniquesModelChoice, Arc<Pipeline>)>>,
}

impl App {
    /// Shares a loaded pipeline under the given settings.
    pub fn new(config: ServerConfig, pipeline: Pipeline) -> Arc<Self> {
        Self::with_corpus(config, pipeline, None)
    }

    /// [`App::new`], also serving a store on the corpus pages.
    pub fn with_corpus(
        config: ServerConfig,
        pipeline: Pipeline,
        corpus: Option<corpus::Corpus>,
    ) -> Arc<Self> {
        let fetcher = Fetcher {
            policy: UrlPolicy {
                allow_private: config.allow_private_urls,
                allowed_addrs: config.allowed_fetch_addrs.clone(),
            },
            timeout: config.fetch_timeout,
            max_redirects: 5,
            ingest: IngestOptions {
                max_bytes: config.max_fetch_bytes,
                ..pipeline.options().ingest.clone()
            },
        };
        Arc::new(App {
            admission: Admission::new(config.concurrency, config.queue, config.reject_delay),
            fetch_slots: tokio::sync::Semaphore::new(config.fetch_concurrency.max(1)),
            pipeline: Arc::new(pipeline),
            fetcher,
            config,
            corpus,
            alternates: Mutex::new(Vec::new()),
        })
    }

    /// The pipeline for a request's `"model"`: the server's own for none or for the model
    /// it loaded; else one with that model and the server's other options, built on first
    /// use and kept. A model that is not available (`accurate` in this build) is
    /// [`unspin::Error::ModelUnavailable`], never the server's model instead.
    pub fn pipeline_for(
        &self,
        model: Option<&TechniquesModelChoice>,
    ) -> Result<Arc<Pipeline>, unspin::Error> {
        let Some(choice) = model else {
            return Ok(Arc::clone(&self.pipeline));
        };
        let want = choice.resolve(ModelContext::Single);
        let same = match &want {
            TechniquesModelChoice::Fast | TechniquesModelChoice::Accurate => {
                want.variant() == self.pipeline.technique_variant()
            }
            TechniquesModelChoice::Auto | TechniquesModelChoice::File(_) => false,
        };
        if same {
            return Ok(Arc::clone(&self.pipeline));
        }
        let mut alternates = self.alternates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, p)) = alternates.iter().find(|(c, _)| *c == want) {
            return Ok(Arc::clone(p));
        }
        let mut options = self.pipeline.options().clone();
        options.techniques.model = want.clone();
        options.techniques.context = ModelContext::Single;
        let pipeline = Arc::new(Pipeline::new(options)?);
        alternates.push((want, Arc::clone(&pipeline)));
        Ok(pipeline)
    }
}

/// Serves `app` on an already bound listener until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, app: Arc<App>) -> std::io::Result<()> {
    listen::serve_until(listener, app, shutdown_signal()).await
}

/// Binds `config.addr`, logs the address and serves until Ctrl-C or SIGTERM.
pub async fn run(
    config: ServerConfig,
    pipeline: Pipeline,
    corpus: Option<corpus::Corpus>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.addr))
        })?;
    let addr = listener.local_addr()?;
    let app = App::with_corpus(config, pipeline, corpus);
    tracing::info!(
        "listening on http://{addr}/ ({} analyses at once, {} waiting, private URLs {})",
        app.config.concurrency,
        app.config.queue,
        if app.config.allow_private_urls {
            "allowed"
        } else {
            "refused"
        }
    );
    if app.corpus.is_some() {
        eprintln!(
            "unspin: serving on http://{addr}/ and the corpus on http://{addr}/corpus (Ctrl-C to stop)"
        );
    } else {
        eprintln!("unspin: serving on http://{addr}/ (Ctrl-C to stop)");
    }
    serve(listener, app).await
}

/// [`run`] on a new multi-threaded runtime: the entry point of `unspin serve`.
pub fn run_blocking(
    config: ServerConfig,
    pipeline: Pipeline,
    corpus: Option<corpus::Corpus>,
) -> std::io::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("unspin-server")
        .build()?
        .block_on(run(config, pipeline, corpus))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
