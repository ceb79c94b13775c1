//! JSON Lines dumps.

mod common;

use common::*;
use unspin_ingest::{CharsetSource, Format, IngestError, IngestOptions};

#[test]
fn jsonl_documents_and_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        format!(
            "{{\"id\": \"a1\", \"text\": \"{ENGLISH}\", \"url\": \"https://example.test/a1\"}}"
        ),
        String::new(),
        format!("{{\"id\": 42, \"html\": \"<p>{RUSSIAN}</p>\"}}"),
        "{not json".to_string(),
        "{\"id\": 3, \"title\": \"no body\"}".to_string(),
        "{\"id\": 4, \"text\": \"   \"}".to_string(),
        "[1, 2]".to_string(),
        "{\"id\": {\"x\": 1}, \"text\": \"nested id\"}".to_string(),
        "   ".to_string(),
        "{\"text\": \"Line with\\nescapes \\u00e9 and \\\"quotes\\\".\"}\r".to_string(),
    ];
    let p = write(dir.path(), "dump.jsonl", lines.join("\n").as_bytes());
    let label = p.display().to_string();
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 8, "{items:#?}");

    let d = items[0].as_ref().unwrap();
    assert_eq!(d.input, format!("{label}:1"));
    assert_eq!(d.id.as_deref(), Some("a1"));
    assert_eq!(d.url.as_deref(), Some("https://example.test/a1"));
    assert_eq!(d.text, ENGLISH);
    assert_eq!(d.format, Format::Text);
    assert_eq!(d.charset_source, CharsetSource::Declared);

    let d = items[1].as_ref().unwrap();
    assert_eq!(d.input, format!("{label}:3"));
    assert_eq!(d.id.as_deref(), Some("42"));
    assert_eq!(d.format, Format::Html);
    assert_eq!(d.text, format!("<p>{RUSSIAN}</p>"));

    let e = items[2].as_ref().unwrap_err();
    assert_eq!(e.input(), format!("{label}:4"));
    assert!(
        e.to_string()
            .starts_with(&format!("{label}:4: invalid JSON")),
        "{e}"
    );
    let e = items[3].as_ref().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{label}:5: no \"text\" or \"html\" field")
    );
    let e = items[4].as_ref().unwrap_err();
    assert_eq!(e.to_string(), format!("{label}:6: \"text\" is empty"));
    let e = items[5].as_ref().unwrap_err();
    assert_eq!(e.to_string(), format!("{label}:7: not a JSON object"));
    let e = items[6].as_ref().unwrap_err();
    assert!(e.to_string().contains(":8: \"id\" must be"), "{e}");

    let d = items[7].as_ref().unwrap();
    assert_eq!(d.input, format!("{label}:10"));
    assert_eq!(d.text, "Line with\nescapes é and \"quotes\".");
    for e in items.iter().filter_map(|i| i.as_ref().err()) {
        assert!(!e.to_string().contains('\n'), "multi-line error: {e}");
    }
}

#[test]
fn size_limit_applies_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(400);
    let content = format!(
        "{{\"id\": 1, \"text\": \"short one\"}}\n{{\"id\": 2, \"text\": \"{long}\"}}\n{{\"id\": 3, \"text\": \"short two\"}}\n"
    );
    let p = write(dir.path(), "dump.ndjson", content.as_bytes());
    // The whole file is over the limit; each short line is not.
    let opts = IngestOptions {
        max_bytes: 500,
        ..Default::default()
    };
    let items = read_path(&p, &opts);
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().text, "short one");
    let e = items[1].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }));
    assert!(e.to_string().contains(":2: too large"), "{e}");
    assert_eq!(items[2].as_ref().unwrap().text, "short two");
}

#[test]
fn many_lines_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = String::from("\u{feff}");
    for i in 0..5000 {
        content.push_str(&format!(
            "{{\"id\": {i}, \"text\": \"Article number {i}. {ENGLISH}\"}}\n"
        ));
    }
    let p = write(dir.path(), "big.jsonl", content.as_bytes());
    let items = read_path(&p, &IngestOptions::default());
    assert_eq!(items.len(), 5000);
    assert!(items.iter().all(|i| i.is_ok()));
    assert_eq!(items[4999].as_ref().unwrap().id.as_deref(), Some("4999"));
}

#[test]
fn records_carry_their_metadata_under_common_names() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        format!(
            "{{\"id\": 1, \"text\": \"{ENGLISH}\", \"title\": \" Budget vote \", \"site\": \"North Gazette\", \"published\": \"2024-09-14\", \"authors\": [\"Ann Lee\", \"\"], \"language\": \"en-GB\"}}"
        ),
        format!(
            "{{\"id\": 2, \"text\": \"{ENGLISH}\", \"headline\": \"Vote\", \"outlet\": \"South Herald\", \"date\": \"2024-10\", \"author\": \"Bo Kim\"}}"
        ),
        format!("{{\"id\": 3, \"text\": \"{ENGLISH}\", \"authors\": 7}}"),
        format!("{{\"id\": 4, \"text\": \"{ENGLISH}\", \"site\": \"\"}}"),
    ];
    let p = write(dir.path(), "meta.jsonl", lines.join("\n").as_bytes());
    let items = read_path(&p, &IngestOptions::default());
    let m = &items[0].as_ref().unwrap().meta;
    assert_eq!(m.title.as_deref(), Some("Budget vote"));
    assert_eq!(m.site.as_deref(), Some("North Gazette"));
    assert_eq!(m.published.as_deref(), Some("2024-09-14"));
    assert_eq!(m.authors, ["Ann Lee"]);
    assert_eq!(m.language.as_deref(), Some("en-GB"));
    let m = &items[1].as_ref().unwrap().meta;
    assert_eq!(m.title.as_deref(), Some("Vote"));
    assert_eq!(m.site.as_deref(), Some("South Herald"));
    assert_eq!(m.published.as_deref(), Some("2024-10"));
    assert_eq!(m.authors, ["Bo Kim"]);
    let e = items[2].as_ref().unwrap_err();
    assert!(e.to_string().contains("\"authors\" must be"), "{e}");
    assert_eq!(
        items[3].as_ref().unwrap().meta.site,
        None,
        "an empty outlet is unknown"
    );
}
