//! Helpers shared by the CLI tests: running the binary, finding ../shared, building fixtures.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;

use serde_json::Value;

/// Runs `unspin` with arguments and optional stdin; returns (exit code, stdout, stderr).
pub fn unspin(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .env_remove("UNSPIN_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin runs");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(bytes)
            .expect("stdin written");
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("unspin finishes");
    (
        status.code().expect("exited, not killed by a signal"),
        String::from_utf8(stdout).expect("stdout is UTF-8"),
        String::from_utf8(stderr).expect("stderr is UTF-8"),
    )
}

/// The shared data folder, or None (with a message) when it is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared data lives beside the repository)",
            p.display()
        );
        None
    }
}

/// A file of the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// Parses stdout as JSON Lines, failing the test on any line that is not JSON.
pub fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Slices a string by code points, as the JSON offsets count.
pub fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Checks that every span-bearing object in an analysis slices its text exactly.
pub fn assert_offsets_exact(a: &Value) {
    let text = a["text"].as_str().unwrap();
    let n = text.chars().count();
    for key in ["paragraphs", "sentences", "techniques", "quotes", "claims"] {
        for s in a[key].as_array().unwrap() {
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert!(
                start < end && end <= n,
                "{key} span {start}..{end} outside 0..{n}"
            );
            assert_eq!(cp_slice(text, start, end), s["text"].as_str().unwrap());
        }
    }
}

/// Validates an analysis against the repository's JSON Schema.
pub fn assert_schema_valid(a: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("docs/schema/analysis.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(a).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

/// One WARC response record holding an HTML page.
pub fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut rec = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        http.len()
    )
    .into_bytes();
    rec.extend_from_slice(http.as_bytes());
    rec.extend_from_slice(b"\r\n\r\n");
    rec
}

/// Gzips one member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A small article page of our own, numbered so that documents can be told apart.
pub fn article_html(n: usize) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Report {n} | Test Gazette</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>Report {n}</h1>\
         <p>The regional council of district {n} met on Monday and approved a budget of {n} million euros for new bridges and schools.</p>\
         <p>Critics said the plan was rushed, and the opposition leader called it a reckless gamble with public money.</p>\
         <p>A final vote is expected in the spring, according to officials who spoke to the press after the meeting.</p>\
         </article><footer>Contact us</footer></body></html>"
    )
}

/// Serves `responses` (raw HTTP response bytes), one per accepted connection, on a fresh
/// 127.0.0.1 port; returns the base URL.
pub fn serve(responses: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for resp in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let mut req = Vec::new();
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(&resp);
        }
    });
    format!("http://{addr}")
}

/// An HTTP/1.1 response with a body.
pub fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A 127.0.0.1 port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A reproducible stream of random numbers for choosing kill points: seeded from
/// `UNSPIN_TEST_SEED`, else the clock, and the seed printed so that a failure can be replayed.
pub fn kill_points() -> impl FnMut() -> u64 {
    let seed = std::env::var("UNSPIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos() as u64
        });
    eprintln!("kill points from UNSPIN_TEST_SEED={seed}");
    let mut state = seed | 1;
    move || {
        // xorshift64: small and reproducible.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
