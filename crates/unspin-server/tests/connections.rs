//! The server's connection limits over real sockets on 127.0.0.1: idle and slow clients are
//! cut off at their deadlines, oversized bodies and headers refused at cap + 1, the
//! connection cap holds, and none of this keeps other clients waiting.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use unspin::{Options, Pipeline};
use unspin_server::{App, ServerConfig};

/// A running server and the way to stop it.
struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start(config: ServerConfig) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = App::new(
        config,
        Pipeline::new(Options::default()).expect("default pipeline"),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        unspin_server::listen::serve_until(listener, app, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Running {
        addr,
        stop: Some(stop),
    }
}

fn quick() -> ServerConfig {
    ServerConfig {
        header_timeout: Duration::from_millis(600),
        body_timeout: Duration::from_millis(600),
        max_body: 1000,
        ..ServerConfig::default()
    }
}

/// Reads until the server closes the connection (or 10 s pass); returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await;
    out
}

/// The status code of a raw HTTP/1.1 response.
fn status(response: &[u8]) -> u16 {
    let head = String::from_utf8_lossy(response);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// One request on a new connection, `Connection: close`; the raw response.
async fn request(addr: SocketAddr, head: &str, body: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    read_to_close(&mut stream).await
}

fn post_text(len: usize) -> String {
    format!(
        "POST /api/v1/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed_at_the_header_deadline() {
    let server = start(quick()).await;
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    let opened = Instant::now();
    let got = read_to_close(&mut idle).await;
    let held = opened.elapsed();
    assert!(
        held >= Duration::from_millis(500) && held < Duration::from_secs(5),
        "closed after {held:?}"
    );
    assert!(
        got.is_empty() || status(&got) == 408,
        "{}",
        String::from_utf8_lossy(&got)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_sent_a_byte_at_a_time_are_cut_off() {
    let server = start(quick()).await;
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    let opened = Instant::now();
    let head = post_text(10);
    let mut closed = false;
    for byte in head.as_bytes() {
        if slow.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        if opened.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    let got = if closed {
        Vec::new()
    } else {
        read_to_close(&mut slow).await
    };
    assert!(
        opened.elapsed() < Duration::from_secs(6),
        "the slow client was not cut off"
    );
    assert_ne!(status(&got), 200, "{}", String::from_utf8_lossy(&got));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_a_byte_at_a_time_is_answered_408() {
    let server = start(quick()).await;
    let slow = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = slow.into_split();
    writer.write_all(post_text(100).as_bytes()).await.unwrap();
    let started = Instant::now();
    let drip = tokio::spawn(async move {
        for _ in 0..100 {
            if writer.write_all(b"a").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer)).await;
    drip.abort();
    let took = started.elapsed();
    assert_eq!(status(&answer), 408, "{}", String::from_utf8_lossy(&answer));
    assert!(
        String::from_utf8_lossy(&answer).contains("request_timeout"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_at_the_cap_pass_and_at_cap_plus_one_are_413() {
    let server = start(quick()).await;
    let at_cap = "word ".repeat(200);
    assert_eq!(at_cap.len(), 1000);
    let got = request(server.addr, &post_text(1000), at_cap.as_bytes()).await;
    assert_eq!(status(&got), 200, "{}", String::from_utf8_lossy(&got));
    // Announced one byte over: refused before the body is read.
    let over = format!("{at_cap}x");
    let got = request(server.addr, &post_text(1001), over.as_bytes()).await;
    assert_eq!(status(&got), 413, "{}", String::from_utf8_lossy(&got));
    assert!(String::from_utf8_lossy(&got).contains("payload_too_large"));
    // Chunked, with no length announced: refused when the 1,001st byte arrives.
    let head = "POST /api/v1/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let body = format!("3e9\r\n{over}\r\n0\r\n\r\n");
    let got = request(server.addr, head, body.as_bytes()).await;
    assert_eq!(status(&got), 413, "{}", String::from_utf8_lossy(&got));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_over_the_cap_are_431() {
    let config = ServerConfig {
        max_header_bytes: 16 * 1024,
        ..quick()
    };
    let server = start(config).await;
    let small = format!(
        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(8 * 1024)
    );
    let got = request(server.addr, &small, b"").await;
    assert_eq!(status(&got), 200, "{}", String::from_utf8_lossy(&got));
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(16 * 1024 + 1)
    );
    let got = request(server.addr, &big, b"").await;
    assert_eq!(status(&got), 431, "{}", String::from_utf8_lossy(&got));
    // The cap is exact however the head arrives: a head just over it, sent at once, is
    // refused too (hyper's own bound on its read buffer is only approximate).
    for pad in [16 * 1024 - 100, 16 * 1024 - 40, 16 * 1024 + 1] {
        let head = format!(
            "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
            "a".repeat(pad)
        );
        let got = request(server.addr, &head, b"").await;
        let size = head.len();
        let want = if size - 4 > 16 * 1024 { 431 } else { 200 };
        assert_eq!(
            status(&got),
            want,
            "head of {size} bytes: {}",
            String::from_utf8_lossy(&got)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_holds_and_frees_as_idle_connections_time_out() {
    let config = ServerConfig {
        max_connections: 2,
        ..quick()
    };
    let server = start(config).await;
    let _a = TcpStream::connect(server.addr).await.unwrap();
    let _b = TcpStream::connect(server.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The third connection (cap + 1) is not served while the two hold their slots...
    let started = Instant::now();
    let got = request(
        server.addr,
        "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        b"",
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(status(&got), 200, "{}", String::from_utf8_lossy(&got));
    // ...and is once their header deadline closes them.
    assert!(
        waited >= Duration::from_millis(400),
        "served after {waited:?}, before an idle connection was closed"
    );
    assert!(waited < Duration::from_secs(5), "served after {waited:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_do_not_starve_others() {
    let config = ServerConfig {
        header_timeout: Duration::from_secs(5),
        body_timeout: Duration::from_secs(5),
        ..ServerConfig::default()
    };
    let server = start(config).await;
    let mut hogs = Vec::new();
    for i in 0..100 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        if i % 2 == 0 {
            // Half send headers and then a body byte now and then; half send nothing.
            s.write_all(post_text(1000).as_bytes()).await.unwrap();
            s.write_all(b"a").await.unwrap();
        }
        hogs.push(s);
    }
    for _ in 0..5 {
        let started = Instant::now();
        let got = request(server.addr, &post_text(15), b"Officials said.").await;
        assert_eq!(status(&got), 200, "{}", String::from_utf8_lossy(&got));
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "a normal request waited {:?}",
            started.elapsed()
        );
    }
    drop(hogs);
}
