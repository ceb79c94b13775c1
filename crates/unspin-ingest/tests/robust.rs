//! Property tests: arbitrary or cut-up input never panics, and errors stay one line.

mod common;

use std::io::{Cursor, Write};

use common::*;
use proptest::prelude::*;
use unspin_ingest::{IngestError, IngestOptions, read_from};

fn check_errors(items: &[Result<unspin_ingest::RawDocument, IngestError>]) {
    for e in items.iter().filter_map(|i| i.as_ref().err()) {
        let s = e.to_string();
        assert!(!s.contains('\n'), "multi-line error: {s}");
        assert!(s.starts_with(&format!("{}: ", e.input())), "{s}");
    }
}

fn warc_gz(n: usize) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let mut ends = Vec::new();
    for i in 0..n {
        let body = format!("<html><body><p>Item {i}. {ENGLISH}</p></body></html>");
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        let rec = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.test/{i}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        );
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(rec.as_bytes()).unwrap();
        out.extend(e.finish().unwrap());
        ends.push(out.len());
    }
    (out, ends)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let items: Vec<_> = read_from("in", Box::new(Cursor::new(bytes)), &IngestOptions::default()).collect();
        prop_assert!(!items.is_empty());
        check_errors(&items);
    }

    #[test]
    fn arbitrary_text_with_prefixes(
        prefix in prop_oneof![Just(""), Just("WARC/1.1\r\n"), Just("{\"text\": "), Just("<html>"), Just("\u{feff}")],
        body in "\\PC{0,400}",
    ) {
        let bytes = format!("{prefix}{body}").into_bytes();
        let items: Vec<_> = read_from("in", Box::new(Cursor::new(bytes)), &IngestOptions::default()).collect();
        check_errors(&items);
    }

    #[test]
    fn cut_warc_gz_keeps_complete_records(cut in 0usize..10_000) {
        let (bytes, ends) = warc_gz(8);
        let cut = cut % (bytes.len() + 1);
        let items: Vec<_> = read_from("a.warc.gz", Box::new(Cursor::new(bytes[..cut].to_vec())), &IngestOptions::default()).collect();
        check_errors(&items);
        let complete = ends.iter().filter(|&&e| e <= cut).count();
        let docs = items.iter().filter(|i| i.is_ok()).count();
        prop_assert!(docs >= complete, "{docs} docs, {complete} complete members");
        prop_assert!(items.iter().filter(|i| i.is_err()).count() <= 1);
        if cut < 3 {
            // Too short to be recognised as gzip: one item (a document or an error).
            prop_assert_eq!(items.len(), 1);
        } else if ends.contains(&cut) {
            prop_assert!(items.iter().all(|i| i.is_ok()));
        } else {
            prop_assert!(items.last().unwrap().is_err());
        }
    }
}
