//! `unspin extract`: one record per page with text and metadata.

mod common;

use common::*;

#[test]
fn folder_of_pages_gives_one_line_per_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for n in 0..5 {
        std::fs::write(dir.path().join(format!("p{n}.html")), article_html(n)).unwrap();
    }
    std::fs::write(dir.path().join("sub/p9.htm"), article_html(9)).unwrap();
    let (code, out, err) = unspin(
        &["extract", "--format", "jsonl", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 6);
    for r in &recs {
        for key in [
            "input",
            "title",
            "text",
            "authors",
            "published",
            "site",
            "url",
            "language",
        ] {
            assert!(r.get(key).is_some(), "record has {key}: {r}");
        }
        let text = r["text"].as_str().unwrap();
        assert!(text.contains("regional council"), "{text}");
        assert!(!text.contains("Contact us"));
    }
    assert!(recs[5]["input"].as_str().unwrap().ends_with("sub/p9.htm"));
}

#[test]
fn extraction_dev_set_gives_one_line_per_page() {
    let Some(dir) = shared("data/extraction-dev/html") else {
        return;
    };
    let pages = std::fs::read_dir(&dir).unwrap().count();
    let (code, out, err) = unspin(
        &["extract", "--format", "jsonl", "-q", dir.to_str().unwrap()],
        None,
    );
    let recs = jsonl(&out);
    assert_eq!(recs.len(), pages, "stderr: {err}");
    let ok = recs.iter().filter(|r| r.get("error").is_none()).count();
    assert!(
        ok >= pages - 1,
        "{ok} of {pages} pages extracted; stderr: {err}"
    );
    assert!(code == 0 || ok < pages);
}

#[test]
fn warc_records_become_documents_with_their_urls() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = Vec::new();
    for n in 0..40 {
        gz.extend(gzip(&warc_record(
            &format!("https://news.example/{n}"),
            &article_html(n),
        )));
    }
    let p = dir.path().join("crawl.warc.gz");
    std::fs::write(&p, gz).unwrap();
    let (code, out, err) = unspin(&["analyze", "--format", "jsonl", p.to_str().unwrap()], None);
    assert_eq!(code, 0, "stderr: {err}");
    let docs = jsonl(&out);
    assert_eq!(docs.len(), 40);
    for (n, d) in docs.iter().enumerate() {
        assert_eq!(d["source"]["url"], format!("https://news.example/{n}"));
    }
}
