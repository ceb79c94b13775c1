//! Every kind of bad input: a clear one-line error naming the input, the right exit
//! status, no panic, and stdout that stays valid JSON / JSONL.

mod common;

use common::*;
use serde_json::Value;

/// The `unspin: error:` lines of stderr.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("unspin: error: "))
        .collect()
}

/// Runs analyze on one bad input in both formats and checks the common contract.
fn assert_fails(input: &str, extra: &[&str], problem: &str) {
    for format in ["json", "jsonl"] {
        let mut args = vec!["analyze", "--format", format];
        args.extend_from_slice(extra);
        args.push(input);
        let (code, out, err) = unspin(&args, None);
        assert_eq!(code, 1, "exit status for {input}: stderr {err}");
        assert!(!err.contains("panicked"), "{err}");
        let errors = error_lines(&err);
        assert_eq!(errors.len(), 1, "one error line: {err}");
        assert!(errors[0].contains(input), "names the input: {}", errors[0]);
        assert!(
            errors[0].to_lowercase().contains(problem),
            "says '{problem}': {}",
            errors[0]
        );
        let record: Value = if format == "json" {
            serde_json::from_str(&out).expect("stdout is valid JSON")
        } else {
            let lines = jsonl(&out);
            assert_eq!(lines.len(), 1);
            lines.into_iter().next().unwrap()
        };
        assert_eq!(record["input"], input);
        assert!(
            record["error"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(problem)
        );
    }
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photo.txt");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    std::fs::write(&p, bytes).unwrap();
    assert_fails(p.to_str().unwrap(), &[], "binary");
}

#[test]
fn control_bytes_without_nul_are_binary_too() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("blob.html");
    let bytes: Vec<u8> = (0..4000u32)
        .map(|i| [1u8, 2, 3, 0x1b, b'a', 0x7f, 5, 6][i as usize % 8])
        .collect();
    std::fs::write(&p, bytes).unwrap();
    assert_fails(p.to_str().unwrap(), &[], "binary");
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.txt");
    std::fs::write(&p, "").unwrap();
    assert_fails(p.to_str().unwrap(), &[], "empty");
    let p = dir.path().join("blank.md");
    std::fs::write(&p, " \n\n\t \n").unwrap();
    assert_fails(p.to_str().unwrap(), &[], "empty");
}

#[test]
fn file_over_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.txt");
    std::fs::write(&p, "The committee met again. ".repeat(200)).unwrap();
    assert_fails(p.to_str().unwrap(), &["--max-size", "1KB"], "too large");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nowhere.txt");
    assert_fails(p.to_str().unwrap(), &[], "no such file");
}

#[test]
fn unreachable_url() {
    let url = format!("http://127.0.0.1:{}/story", closed_port());
    assert_fails(&url, &["--timeout", "5"], "");
    let (_, _, err) = unspin(&["analyze", "--timeout", "5", &url], None);
    let line = error_lines(&err)[0].to_lowercase();
    assert!(
        line.contains("connect") || line.contains("refused") || line.contains("unreachable"),
        "{line}"
    );
}

#[test]
fn url_errors_and_success_against_a_local_server() {
    let page = article_html(7);
    // assert_fails runs the binary twice (json and jsonl), one request each.
    let base = serve(vec![
        http_response("404 Not Found", "text/html", b"<p>gone</p>"),
        http_response("404 Not Found", "text/html", b"<p>gone</p>"),
    ]);
    assert_fails(&format!("{base}/a"), &[], "404");
    let base = serve(vec![
        http_response("200 OK", "application/pdf", b"%PDF-1.4 ..."),
        http_response("200 OK", "text/html; charset=utf-8", page.as_bytes()),
    ]);
    let (code, out, err) = unspin(&["analyze", &format!("{base}/doc.pdf")], None);
    assert_eq!(code, 1);
    assert!(error_lines(&err)[0].contains("application/pdf"), "{err}");
    serde_json::from_str::<Value>(&out).unwrap();
    let url = format!("{base}/story");
    let (code, out, err) = unspin(&["analyze", &url], None);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["source"]["url"], url);
    assert_eq!(a["source"]["input"], url);
}

#[test]
fn truncated_warc_gz_emits_records_before_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = Vec::new();
    for n in 0..3 {
        gz.extend(gzip(&warc_record(
            &format!("https://news.example/{n}"),
            &article_html(n),
        )));
    }
    let third = gzip(&warc_record("https://news.example/3", &article_html(3)));
    gz.extend_from_slice(&third[..third.len() / 2]);
    let p = dir.path().join("cut.warc.gz");
    std::fs::write(&p, gz).unwrap();
    let input = p.to_str().unwrap();
    let (code, out, err) = unspin(&["analyze", "--format", "jsonl", input], None);
    assert_eq!(code, 1, "{err}");
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 4, "three documents then the error: {out}");
    for (n, d) in lines[..3].iter().enumerate() {
        assert_eq!(d["source"]["url"], format!("https://news.example/{n}"));
    }
    assert!(lines[3]["input"].as_str().unwrap().starts_with(input));
    let errors = error_lines(&err);
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains(input));
}

#[test]
fn garbage_warc_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.warc.gz");
    let mut bytes = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    bytes.extend((0..500u32).map(|i| (i * 31 % 251) as u8));
    std::fs::write(&p, bytes).unwrap();
    let (code, out, err) = unspin(&["analyze", "--format", "jsonl", p.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(!err.contains("panicked"));
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 1);
    assert!(lines[0]["error"].is_string());
    assert!(error_lines(&err)[0].contains("broken.warc.gz"));
}

#[test]
fn a_batch_goes_on_after_failures() {
    let dir = tempfile::tempdir().unwrap();
    let good1 = dir.path().join("a.txt");
    let bad = dir.path().join("b.bin.txt");
    let good2 = dir.path().join("c.html");
    let jsonl_in = dir.path().join("d.jsonl");
    std::fs::write(
        &good1,
        "The mayor resigned on Friday after a week of protests.",
    )
    .unwrap();
    std::fs::write(&bad, b"\0\0\0\x01binary\0").unwrap();
    std::fs::write(&good2, article_html(1)).unwrap();
    std::fs::write(
        &jsonl_in,
        format!(
            "{}\nnot json at all\n{}\n",
            serde_json::json!({"id": "x1", "text": "Parliament passed the law by 301 votes to 120."}),
            serde_json::json!({"id": 2, "html": article_html(2), "url": "https://news.example/2"})
        ),
    )
    .unwrap();
    let inputs = [&good1, &bad, &good2, &jsonl_in].map(|p| p.to_str().unwrap().to_owned());
    let mut args = vec!["analyze", "--format", "jsonl", "--jobs", "2"];
    args.extend(inputs.iter().map(String::as_str));
    let (code, out, err) = unspin(&args, None);
    assert_eq!(code, 1, "{err}");
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 6, "{out}");
    assert!(lines[0]["text"].is_string());
    assert!(lines[1]["error"].as_str().unwrap().contains("binary"));
    assert!(lines[2]["text"].is_string());
    assert_eq!(lines[3]["source"]["id"], "x1");
    assert!(lines[4]["error"].is_string());
    assert!(lines[4]["input"].as_str().unwrap().ends_with("d.jsonl:2"));
    assert_eq!(lines[5]["source"]["url"], "https://news.example/2");
    assert_eq!(error_lines(&err).len(), 2, "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["analyze"],
        vec!["analyze", "--format", "yaml", "x.txt"],
        vec!["frobnicate"],
        vec!["analyze", "--max-size", "lots", "x.txt"],
    ] {
        let (code, out, err) = unspin(&args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
    }
}

#[test]
fn deeply_nested_html_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.html");
    let html = format!(
        "<html><body>{}<p>The harbour authority confirmed the closure on Monday morning.</p></body></html>",
        "<div>".repeat(100_000)
    );
    std::fs::write(&p, html).unwrap();
    let (code, out, err) = unspin(&["extract", "--format", "jsonl", p.to_str().unwrap()], None);
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 1);
    assert!(code == 0 || lines[0]["error"].is_string());
}
