//! Accepting connections: HTTP/1.1 on hyper, with the limits that keep slow, idle and
//! oversized clients from starving the others.
//!
//! `axum::serve` sets no timer, so a client that opens a connection and sends nothing (or one
//! header byte a second) holds it for ever. Here every connection is served by hyper's HTTP/1
//! connection with:
//! - a **header deadline** ([`ServerConfig::header_timeout`]): the request line and headers,
//!   and on a kept-alive connection the next request's, must arrive within it, else the
//!   connection is closed;
//! - a **header size cap** ([`ServerConfig::max_header_bytes`]): a larger head is answered
//!   `431` and the connection closed;
//! - a **connection cap** ([`ServerConfig::max_connections`]): past it no connection is
//!   accepted until one closes (the kernel's backlog holds the newcomers), so a flood of
//!   sockets cannot exhaust file descriptors.
//!
//! The body deadline and size cap are enforced per request by the router (see
//! [`router`](crate::router)): `408 request_timeout`, `413 payload_too_large`.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::{App, router};

/// How long open connections get to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish
/// their requests (up to 10 s).
pub async fn serve_until(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let config = app.config.clone();
    let service = router(app);
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout)
            .max_buf_size(config.max_header_bytes.max(8192))
            .keep_alive(true);
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(service.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("connections still open {} s after the shutdown signal; closing them", DRAIN.as_secs());
        }
    }
    Ok(())
}
