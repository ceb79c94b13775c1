//! URL fetching against a tiny HTTP server on 127.0.0.1 started by the test.
//! No traffic goes anywhere else.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use common::*;
use encoding_rs::WINDOWS_1251;
use unspin_ingest::{CharsetSource, Format, IngestError, IngestOptions, RawDocument, Source, read};

/// Starts (once) a server answering a fixed set of paths; returns its base URL.
fn server() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            // Bounded: the tests make far fewer requests than this.
            for stream in listener.incoming().take(500) {
                let Ok(stream) = stream else { continue };
                std::thread::spawn(move || handle(stream));
            }
        });
        base
    })
}

fn respond(mut s: &TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

fn handle(stream: TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("user-agent:") {
            user_agent = v.trim().to_string();
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let html = |ct: &str, body: Vec<u8>| {
        respond(
            &stream,
            "200 OK",
            &[
                ("Content-Type", ct.to_string()),
                ("Content-Length", body.len().to_string()),
            ],
            &body,
        )
    };
    let redirect = |code: &str, to: String| {
        respond(
            &stream,
            code,
            &[("Location", to), ("Content-Length", "0".into())],
            b"",
        )
    };
    match path.as_str() {
        "/page" => html(
            "text/html; charset=windows-1251",
            encode(
                WINDOWS_1251,
                &format!("<html><body><p>{RUSSIAN}</p></body></html>"),
            ),
        ),
        "/plain" => html("text/plain", ENGLISH.as_bytes().to_vec()),
        "/xhtml" => html(
            "application/xhtml+xml",
            format!("<html><body><p>{ENGLISH}</p></body></html>").into_bytes(),
        ),
        "/ua" => html("text/plain", format!("agent: {user_agent}").into_bytes()),
        "/r1" => redirect("302 Found", "/r2".into()),
        "/r2" => redirect("301 Moved Permanently", "/page".into()),
        "/missing" => respond(
            &stream,
            "404 Not Found",
            &[("Content-Type", "text/html".into())],
            b"<html>nope</html>",
        ),
        "/error" => respond(&stream, "500 Internal Server Error", &[], b""),
        "/pdf" => html("application/pdf", b"%PDF-1.4 fake".to_vec()),
        "/big" => {
            // No Content-Length: the size cap must hold while streaming.
            let _ = (&stream).write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>");
            let chunk = format!("<p>{ENGLISH}</p>\n").repeat(20);
            for _ in 0..2000 {
                if (&stream).write_all(chunk.as_bytes()).is_err() {
                    break;
                }
            }
        }
        "/big-declared" => respond(
            &stream,
            "200 OK",
            &[
                ("Content-Type", "text/html".into()),
                ("Content-Length", "50000000".into()),
            ],
            b"<html>",
        ),
        "/empty" => html("text/html", Vec::new()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            html("text/html", b"<html><p>late</p></html>".to_vec());
        }
        p if p.starts_with("/loop/") => {
            let n: u32 = p[6..].parse().unwrap_or(0);
            redirect("302 Found", format!("/loop/{}", n + 1));
        }
        _ => respond(&stream, "404 Not Found", &[], b""),
    }
}

fn opts() -> IngestOptions {
    IngestOptions {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        ..Default::default()
    }
}

fn fetch(path: &str, opts: &IngestOptions) -> Result<RawDocument, IngestError> {
    let url = format!("{}{path}", server());
    let mut items: Vec<_> = read(&Source::Url(url), opts).collect();
    assert_eq!(items.len(), 1);
    items.remove(0)
}

#[test]
fn html_with_charset_header() {
    let doc = fetch("/page", &opts()).unwrap();
    let url = format!("{}/page", server());
    assert_eq!(doc.input, url);
    assert_eq!(doc.url.as_deref(), Some(url.as_str()));
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.charset_source, CharsetSource::HttpHeader);
    assert_eq!(
        doc.text,
        format!("<html><body><p>{RUSSIAN}</p></body></html>")
    );
}

#[test]
fn accepted_types_and_user_agent() {
    let doc = fetch("/plain", &opts()).unwrap();
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.text, ENGLISH);
    assert_eq!(fetch("/xhtml", &opts()).unwrap().format, Format::Html);
    let doc = fetch("/ua", &opts()).unwrap();
    assert_eq!(
        doc.text,
        format!("agent: unspin/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn redirect_chain_is_followed() {
    let doc = fetch("/r1", &opts()).unwrap();
    assert_eq!(doc.input, format!("{}/r1", server()));
    assert_eq!(
        doc.url.as_deref(),
        Some(format!("{}/page", server()).as_str())
    );
    assert_eq!(
        doc.text,
        format!("<html><body><p>{RUSSIAN}</p></body></html>")
    );
}

#[test]
fn redirect_loop_beyond_limit() {
    let o = IngestOptions {
        max_redirects: 3,
        ..opts()
    };
    let err = fetch("/loop/0", &o).unwrap_err();
    assert!(matches!(err, IngestError::Fetch { .. }));
    assert_eq!(
        err.to_string(),
        format!("{}/loop/0: too many redirects (limit is 3)", server())
    );
    // A chain of two fails with a limit of one.
    let o = IngestOptions {
        max_redirects: 1,
        ..opts()
    };
    assert!(
        fetch("/r1", &o)
            .unwrap_err()
            .to_string()
            .contains("too many redirects")
    );
}

#[test]
fn error_statuses() {
    let err = fetch("/missing", &opts()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}/missing: HTTP 404 Not Found", server())
    );
    assert_eq!(err.input(), format!("{}/missing", server()));
    let err = fetch("/error", &opts()).unwrap_err();
    assert!(
        err.to_string().ends_with("HTTP 500 Internal Server Error"),
        "{err}"
    );
}

#[test]
fn wrong_content_type() {
    let err = fetch("/pdf", &opts()).unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported content type \"application/pdf\""),
        "{err}"
    );
}

#[test]
fn oversize_bodies() {
    let o = IngestOptions {
        max_bytes: 100_000,
        ..opts()
    };
    let err = fetch("/big", &o).unwrap_err();
    assert!(
        matches!(err, IngestError::TooLarge { limit: 100_000, .. }),
        "{err}"
    );
    let err = fetch("/big-declared", &o).unwrap_err();
    assert!(
        matches!(
            err,
            IngestError::TooLarge {
                size: Some(50_000_000),
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn empty_body() {
    let err = fetch("/empty", &opts()).unwrap_err();
    assert!(matches!(err, IngestError::Empty { .. }), "{err}");
}

#[test]
fn unreachable_host() {
    // Bind then drop a listener: the port is closed on 127.0.0.1.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/page");
    let items: Vec<_> = read(&Source::Url(url.clone()), &opts()).collect();
    let err = items.into_iter().next().unwrap().unwrap_err();
    assert!(matches!(err, IngestError::Fetch { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("{url}: unreachable: connection refused")
    );
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn slow_server_times_out() {
    let o = IngestOptions {
        timeout: Duration::from_millis(500),
        ..opts()
    };
    let start = std::time::Instant::now();
    let err = fetch("/slow", &o).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(err.to_string().contains("timed out"), "{err}");
}

/// A body fetched by another client (the server's safe fetcher) goes through the same
/// decoding as a URL read here: header charset, HTML sniffing, media-type and size checks.
#[test]
fn http_body_fetched_elsewhere_is_decoded_like_a_url() {
    let opts = IngestOptions::default();
    let (bytes, _, _) = WINDOWS_1251.encode("<html><body><p>Привет, мир</p></body></html>");
    let doc = unspin_ingest::from_http_body(
        "http://example.test/a",
        "http://example.test/b",
        Some("text/html; charset=windows-1251"),
        &bytes,
        &opts,
    )
    .expect("decoded");
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.charset_source, CharsetSource::HttpHeader);
    assert_eq!(doc.url.as_deref(), Some("http://example.test/b"));
    assert!(doc.text.contains("Привет, мир"));

    let refused =
        unspin_ingest::from_http_body("u", "u", Some("application/pdf"), b"%PDF-1.7", &opts)
            .expect_err("not HTML or text");
    assert!(
        refused.to_string().contains("unsupported content type"),
        "{refused}"
    );
    assert!(!unspin_ingest::acceptable_media_type("image/png"));
    assert!(unspin_ingest::acceptable_media_type(
        "text/html; charset=utf-8"
    ));

    let small = IngestOptions {
        max_bytes: 4,
        ..IngestOptions::default()
    };
    let too_large = unspin_ingest::from_http_body("u", "u", None, b"hello", &small)
        .expect_err("over the limit");
    assert!(
        matches!(too_large, IngestError::TooLarge { .. }),
        "{too_large}"
    );
}
