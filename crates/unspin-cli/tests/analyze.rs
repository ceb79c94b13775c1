//! `unspin analyze` on real articles: exact offsets, sentences, source metadata, schema.

mod common;

use common::*;
use serde_json::Value;

/// The `text` fields of an array of spans.
fn texts(spans: &Value) -> Vec<&str> {
    spans
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

#[test]
fn seed_article_gives_every_sentence_with_exact_offsets() {
    let Some(path) = shared("examples/victory-plan-rt.txt") else {
        return;
    };
    let path = path.to_str().unwrap();
    let (code, out, err) = unspin(&["analyze", "--format", "json", path], None);
    assert_eq!(code, 0, "stderr: {err}");
    let a: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    assert_schema_valid(&a);
    assert_offsets_exact(&a);

    let raw = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        a["text"].as_str().unwrap(),
        raw,
        "the text is the file verbatim"
    );
    let first_line = raw.lines().next().unwrap();
    assert_eq!(a["source"]["title"], first_line);
    assert!(
        a["source"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.rt.com/")
    );
    assert_eq!(a["source"]["language"], "en");

    let sentences = texts(&a["sentences"]);
    // Every non-space character of the text is in exactly one sentence.
    let covered: usize = sentences
        .iter()
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    let total = raw.chars().filter(|c| !c.is_whitespace()).count();
    assert_eq!(covered, total, "sentences cover the text");
    for s in &sentences {
        for abbr in ["U.S.", "Mr.", "Gen.", "Dr.", "St."] {
            assert!(!s.ends_with(abbr), "split after {abbr}: {s}");
        }
    }
    assert!(sentences.contains(&"Point one: NATO membership"));
    assert!(
        sentences
            .iter()
            .any(|s| s.starts_with("“That doesn’t mean") && s.ends_with("he said."))
    );
    assert!(
        sentences
            .iter()
            .any(|s| s.contains("including those in St. Petersburg and Moscow."))
    );
    assert!(
        sentences
            .iter()
            .any(|s| s.starts_with("Article 5 states") && s.ends_with("armed force.”"))
    );
    // Sentences lie in their paragraph and do not overlap.
    let paragraphs = a["paragraphs"].as_array().unwrap();
    let mut last_end = 0;
    for s in a["sentences"].as_array().unwrap() {
        let p = &paragraphs[s["paragraph"].as_u64().unwrap() as usize];
        assert!(
            p["start"].as_u64() <= s["start"].as_u64() && s["end"].as_u64() <= p["end"].as_u64()
        );
        assert!(s["start"].as_u64().unwrap() >= last_end);
        last_end = s["end"].as_u64().unwrap();
    }
    assert_eq!(
        paragraphs.len(),
        raw.lines().filter(|l| !l.trim().is_empty()).count()
    );
}

#[test]
fn example_page_is_extracted_with_metadata() {
    let page = repo("examples/ferry-deal.html");
    let (code, out, err) = unspin(&["analyze", page.to_str().unwrap()], None);
    assert_eq!(code, 0, "stderr: {err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_schema_valid(&a);
    assert_offsets_exact(&a);
    let src = &a["source"];
    assert_eq!(src["format"], "html");
    assert_eq!(
        src["title"],
        "The ferry deal: how Mayor Halvorsen's cronies sold out Port Elvane"
    );
    assert_eq!(src["authors"][0], "Maren Solberg");
    assert_eq!(src["site"], "The Elvane Courier");
    assert!(src["published"].as_str().unwrap().starts_with("2025-03-07"));
    assert_eq!(
        src["url"],
        "https://example.org/opinion/2025/ferry-deal-port-elvane"
    );
    let text = a["text"].as_str().unwrap();
    assert!(text.contains("Nordlake will receive an annual subsidy"));
    for boilerplate in ["Subscribe", "All rights reserved", "Regatta returns"] {
        assert!(
            !text.contains(boilerplate),
            "boilerplate kept: {boilerplate}"
        );
    }
    let sentences = texts(&a["sentences"]);
    assert!(sentences.iter().any(|s| {
        s.starts_with("Port Elvane's mayor, Dr. Ingrid Halvorsen, signed")
            && s.ends_with("Delaware.")
    }));
    // Analysers not in this build say so instead of returning silent empty arrays.
    for r in a["analysers"].as_array().unwrap() {
        assert!(r["status"] == "ran" || r["reason"].as_str().is_some_and(|s| !s.is_empty()));
    }
    // provenance hash is the hash of the text
    assert_eq!(a["provenance"]["text_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn stdin_and_jsonl_stream_in_input_order_with_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "analyze".to_owned(),
        "--format".into(),
        "jsonl".into(),
        "--jobs".into(),
        "2".into(),
    ];
    for n in 0..12 {
        let p = dir.path().join(format!("{n:02}.html"));
        std::fs::write(&p, article_html(n)).unwrap();
        args.push(p.to_str().unwrap().to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = unspin(&args, None);
    assert_eq!(code, 0, "stderr: {err}");
    let docs = jsonl(&out);
    assert_eq!(docs.len(), 12);
    for (n, d) in docs.iter().enumerate() {
        assert!(
            d["source"]["input"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{n:02}.html"))
        );
        assert_schema_valid(d);
    }

    let (code, out, _) = unspin(
        &["analyze", "-"],
        Some("Officials in the U.S. said on Monday that the bridge was closed. It reopened at 3.30 p.m. on Tuesday.".as_bytes()),
    );
    assert_eq!(code, 0);
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["source"]["input"], "-");
    assert_eq!(a["sentences"].as_array().unwrap().len(), 2);
}

#[test]
fn russian_article_is_decoded_and_analysers_do_not_pretend() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Правительство объявило о новых мерах поддержки.\nМинистр финансов заявил, что бюджет будет исполнен в полном объёме, несмотря на трудности.\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let p = dir.path().join("novosti.txt");
    std::fs::write(&p, &bytes).unwrap();
    let (code, out, err) = unspin(&["analyze", p.to_str().unwrap()], None);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(
        err.contains("warning") && err.contains("windows-1251"),
        "stderr: {err}"
    );
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["text"], text);
    assert_eq!(a["source"]["language"], "ru");
    assert_eq!(a["source"]["charset"], "windows-1251");
    assert!(a["warnings"][0].as_str().unwrap().contains("windows-1251"));
    for r in a["analysers"].as_array().unwrap() {
        assert_ne!(
            r["status"], "ran",
            "no English analyser runs on Russian text"
        );
    }
}

#[test]
fn utf8_bom_stays_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.txt");
    std::fs::write(
        &p,
        "\u{feff}Title line\n\nThe minister resigned on Friday.\n",
    )
    .unwrap();
    let (code, out, _) = unspin(&["analyze", p.to_str().unwrap()], None);
    assert_eq!(code, 0);
    let a: Value = serde_json::from_str(&out).unwrap();
    assert!(a["text"].as_str().unwrap().starts_with('\u{feff}'));
    assert_offsets_exact(&a);
    assert_eq!(a["paragraphs"][0]["start"], 1, "the BOM is in no span");
    assert_eq!(a["source"]["title"], "Title line");
}

#[test]
fn help_explains_the_tool() {
    let (code, out, _) = unspin(&["--help"], None);
    assert_eq!(code, 0);
    for word in ["analyze", "extract", "eval", "WARC", "JSONL"] {
        assert!(out.contains(word), "--help mentions {word}");
    }
    let (code, out, _) = unspin(&["analyze", "--help"], None);
    assert_eq!(code, 0);
    assert!(out.contains("--format") && out.contains("--jobs") && out.contains("--max-size"));
}
