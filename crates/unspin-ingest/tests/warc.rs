//! WARC and WARC.gz archives, including damaged ones.

mod common;

use std::io::Write;

use common::*;
use encoding_rs::{KOI8_R, WINDOWS_1251};
use unspin_ingest::{CharsetSource, Format, IngestError, IngestOptions};

/// Builds one WARC record.
fn record(warc_type: &str, id: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
         WARC-Date: 2024-05-01T12:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response with the given headers and body.
fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn chunked(data: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for c in data.chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
        out.extend_from_slice(c);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn page(i: usize) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Story {i}</title></head><body><p>Story {i}. {ENGLISH}</p></body></html>"
    )
}

const HTTP_MSG: &str = "application/http; msgtype=response";

/// A crawl-like archive: warcinfo, then for each page a request and a response,
/// plus an image, a redirect and a metadata record mixed in. Returns the
/// records and the record indexes of the HTML responses.
fn crawl(pages: usize) -> (Vec<Vec<u8>>, Vec<usize>) {
    let mut recs = vec![record(
        "warcinfo",
        0,
        "",
        "application/warc-fields",
        b"software: test\r\n",
    )];
    let mut html = Vec::new();
    for i in 0..pages {
        let uri = format!("http://news.example.test/story/{i}");
        recs.push(record(
            "request",
            recs.len(),
            &uri,
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        html.push(recs.len());
        let body = page(i);
        recs.push(record(
            "response",
            recs.len(),
            &uri,
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8")],
                body.as_bytes(),
            ),
        ));
        if i % 10 == 3 {
            recs.push(record(
                "response",
                recs.len(),
                "http://news.example.test/logo.png",
                HTTP_MSG,
                &http(
                    "200 OK",
                    &[("Content-Type", "image/png")],
                    b"\x89PNG\r\n\x1a\n\0\0",
                ),
            ));
            recs.push(record(
                "response",
                recs.len(),
                "http://news.example.test/old",
                HTTP_MSG,
                &http(
                    "301 Moved Permanently",
                    &[("Content-Type", "text/html"), ("Location", "/new")],
                    b"<html>moved</html>",
                ),
            ));
            recs.push(record(
                "metadata",
                recs.len(),
                &uri,
                "application/warc-fields",
                b"outlinks: none\r\n",
            ));
        }
    }
    (recs, html)
}

#[test]
fn plain_warc_with_many_records() {
    let dir = tempfile::tempdir().unwrap();
    let (recs, html) = crawl(40);
    let p = write(dir.path(), "crawl.warc", &recs.concat());
    let label = p.display().to_string();
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 40);
    for (n, (item, idx)) in items.iter().zip(&html).enumerate() {
        let d = item.as_ref().unwrap();
        assert_eq!(d.input, format!("{label}#{idx}"));
        assert_eq!(
            d.url.as_deref(),
            Some(format!("http://news.example.test/story/{n}").as_str())
        );
        assert_eq!(
            d.id.as_deref(),
            Some(format!("<urn:uuid:00000000-0000-0000-0000-{idx:012}>").as_str())
        );
        assert_eq!(d.format, Format::Html);
        assert_eq!(d.text, page(n));
        assert_eq!(d.charset_source, CharsetSource::HttpHeader);
    }
}

#[test]
fn warc_gz_one_member_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let (recs, html) = crawl(40);
    let gz: Vec<u8> = recs.iter().flat_map(|r| gzip(r)).collect();
    let p = write(dir.path(), "crawl.warc.gz", &gz);
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 40);
    assert!(items.iter().all(|i| i.is_ok()));
    assert!(
        items[39]
            .as_ref()
            .unwrap()
            .input
            .ends_with(&format!("#{}", html[39]))
    );
    // The same archive as a single gzip member, and with no extension.
    let p = write(dir.path(), "crawl-single", &gzip(&recs.concat()));
    assert_eq!(read_path(&p, &IngestOptions::default()).len(), 40);
}

#[test]
fn warc_charsets_and_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let cp_html = format!("<html><body><p>{RUSSIAN}</p></body></html>");
    let koi_html =
        format!("<html><head><meta charset=koi8-r></head><body><p>{RUSSIAN}</p></body></html>");
    let plain = page(7);
    let recs = [
        record(
            "response",
            0,
            "http://a.test/cp",
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html; charset=windows-1251")],
                &encode(WINDOWS_1251, &cp_html),
            ),
        ),
        record(
            "response",
            1,
            "<http://a.test/koi>",
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html")],
                &encode(KOI8_R, &koi_html),
            ),
        ),
        record(
            "response",
            2,
            "http://a.test/chunked-gzip",
            HTTP_MSG,
            &http(
                "200 OK",
                &[
                    ("Content-Type", "text/html; charset=UTF-8"),
                    ("Transfer-Encoding", "chunked"),
                    ("Content-Encoding", "gzip"),
                ],
                &chunked(&gzip(plain.as_bytes()), 17),
            ),
        ),
        record(
            "response",
            3,
            "http://a.test/no-type",
            HTTP_MSG,
            &http("200 OK", &[], plain.as_bytes()),
        ),
        record(
            "response",
            4,
            "http://a.test/no-type-text",
            HTTP_MSG,
            &http("200 OK", &[], ENGLISH.as_bytes()),
        ),
        record(
            "resource",
            5,
            "file:///saved.html",
            "text/html; charset=koi8-r",
            &encode(KOI8_R, &cp_html),
        ),
        record(
            "response",
            6,
            "http://a.test/br",
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
                b"\x0b\x02\x80",
            ),
        ),
        record(
            "response",
            7,
            "http://a.test/empty",
            HTTP_MSG,
            &http("200 OK", &[("Content-Type", "text/html")], b""),
        ),
        record(
            "response",
            8,
            "http://a.test/chunked",
            HTTP_MSG,
            &http(
                "200 OK",
                &[
                    ("Content-Type", "text/html"),
                    ("Transfer-Encoding", "chunked"),
                ],
                &chunked(plain.as_bytes(), 5),
            ),
        ),
    ];
    let p = write(dir.path(), "mixed.warc", &recs.concat());
    let label = p.display().to_string();
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 8, "{items:#?}");
    let d = items[0].as_ref().unwrap();
    assert_eq!(d.text, cp_html);
    assert_eq!(d.charset, "windows-1251");
    assert_eq!(d.charset_source, CharsetSource::HttpHeader);
    let d = items[1].as_ref().unwrap();
    assert_eq!(d.text, koi_html);
    assert_eq!(d.charset_source, CharsetSource::Meta);
    assert_eq!(d.url.as_deref(), Some("http://a.test/koi"));
    let d = items[2].as_ref().unwrap();
    assert_eq!(d.text, plain);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let d = items[3].as_ref().unwrap();
    assert_eq!(d.text, plain);
    assert_eq!(d.input, format!("{label}#3"));
    // #4 is plain text without a type: skipped.
    let d = items[4].as_ref().unwrap();
    assert_eq!(d.input, format!("{label}#5"));
    assert_eq!(d.text, cp_html);
    assert_eq!(d.charset, "KOI8-R");
    let e = items[5].as_ref().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{label}#6: unsupported Content-Encoding \"br\"")
    );
    let e = items[6].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::Empty { .. }));
    assert_eq!(e.input(), format!("{label}#7"));
    assert_eq!(items[7].as_ref().unwrap().text, plain);
}

#[test]
fn truncated_warc_gz_yields_records_before_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (recs, html) = crawl(40);
    let members: Vec<Vec<u8>> = recs.iter().map(|r| gzip(r)).collect();
    // Cut in the middle of the member holding the 30th HTML response.
    let target = html[29];
    let start: usize = members[..target].iter().map(Vec::len).sum();
    let mut bytes = members.concat();
    bytes.truncate(start + members[target].len() / 2);
    let p = write(dir.path(), "cut.warc.gz", &bytes);
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 30, "{items:#?}");
    assert!(items[..29].iter().all(|i| i.is_ok()));
    let e = items[29].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::Damaged { .. }));
    assert_eq!(e.input(), p.display().to_string());
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("record {target} (compressed byte offset {start})")),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
}

#[test]
fn corrupt_and_truncated_plain_warc() {
    let dir = tempfile::tempdir().unwrap();
    let (recs, html) = crawl(10);

    // Corrupt gzip data inside a member.
    let members: Vec<Vec<u8>> = recs.iter().map(|r| gzip(r)).collect();
    let target = html[5];
    let start: usize = members[..target].iter().map(Vec::len).sum();
    let mut bytes = members.concat();
    for b in &mut bytes[start + 12..start + 40] {
        *b ^= 0x5a;
    }
    let items = read_path(
        &write(dir.path(), "bad.warc.gz", &bytes),
        &IngestOptions::default(),
    );
    assert_eq!(items.len(), 6, "{items:#?}");
    assert!(matches!(items[5], Err(IngestError::Damaged { .. })));

    // Plain WARC cut inside a record block.
    let start: usize = recs[..target].iter().map(Vec::len).sum();
    let mut bytes = recs.concat();
    bytes.truncate(start + recs[target].len() - 50);
    let items = read_path(
        &write(dir.path(), "cut.warc", &bytes),
        &IngestOptions::default(),
    );
    assert_eq!(items.len(), 6);
    let msg = items[5].as_ref().unwrap_err().to_string();
    assert!(
        msg.contains(&format!("record {target} (byte offset {start})")),
        "{msg}"
    );

    // Garbage between records.
    let mut bytes = recs[..target].concat();
    bytes.extend_from_slice(b"this is not a WARC header\r\n\r\n");
    bytes.extend_from_slice(&recs[target..].concat());
    let items = read_path(
        &write(dir.path(), "garbage.warc", &bytes),
        &IngestOptions::default(),
    );
    assert_eq!(items.len(), 6);
    assert!(
        items[5]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("expected a WARC record header")
    );

    // Trailing garbage after the last gzip member.
    let mut bytes = members.concat();
    bytes.extend_from_slice(b"junk at the end");
    let items = read_path(
        &write(dir.path(), "tail.warc.gz", &bytes),
        &IngestOptions::default(),
    );
    assert_eq!(items.len(), 11);
    assert!(
        items[10]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("not a gzip member")
    );
}

#[test]
fn warc_record_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "<html><body>{}</body></html>",
        format!("<p>{ENGLISH}</p>").repeat(50)
    );
    let recs = [
        record(
            "response",
            0,
            "http://a.test/1",
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html")],
                page(1).as_bytes(),
            ),
        ),
        record(
            "response",
            1,
            "http://a.test/big",
            HTTP_MSG,
            &http("200 OK", &[("Content-Type", "text/html")], big.as_bytes()),
        ),
        record(
            "response",
            2,
            "http://a.test/2",
            HTTP_MSG,
            &http(
                "200 OK",
                &[("Content-Type", "text/html")],
                page(2).as_bytes(),
            ),
        ),
    ];
    let p = write(dir.path(), "limit.warc", &recs.concat());
    let opts = IngestOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let items = read_path(&p, &opts);
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let e = items[1].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }), "{e}");
    assert!(e.input().ends_with("#1"));
}
