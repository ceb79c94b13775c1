//! `unspin analyze --format text|html|labelstudio|semeval-flc`: the reports people read and
//! the exports annotation tools import.

mod common;

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;

/// An original text mixing emoji, Cyrillic and Chinese with English the model reads.
const MIXED: &str = "Officials 😀 promised a glorious, historic victory for the whole nation.\n\n\
Привет мир, said the visitor, and 中文 signs 🇺🇦 greeted the disastrous, shameful parade.\n";

fn analysis_json(args: &[&str], stdin: Option<&[u8]>) -> Value {
    let mut all = vec!["analyze", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = unspin(&all, stdin);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).unwrap()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Nothing in a page loads from anywhere (links to the article are fine: they load nothing).
fn assert_self_contained(page: &str) {
    let lower = page.to_ascii_lowercase();
    for bad in [
        "<script src",
        " src=",
        "<link",
        "url(",
        "@import",
        "<iframe",
        "<img",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad:?}");
    }
    let doc = Html::parse_document(page);
    for el in doc.select(&sel("[href]")) {
        let href = el.value().attr("href").unwrap();
        assert!(
            el.value().name() == "a" && (href.starts_with('#') || href.starts_with("http")),
            "only anchors link: {href}"
        );
    }
}

/// Every highlight's marks in the page give back exactly its text.
fn assert_marks_match(page: &str, analysis: &Value) {
    let doc = Html::parse_document(page);
    let techniques = analysis["techniques"].as_array().unwrap();
    assert_eq!(
        doc.select(&sel("#article-text mark[data-first]")).count(),
        techniques.len()
    );
    for (i, t) in techniques.iter().enumerate() {
        let joined: String = doc
            .select(&sel(&format!(
                "#article-text mark[data-span=\"{}\"]",
                i + 1
            )))
            .map(|m| m.text().collect::<String>())
            .collect();
        assert_eq!(joined, t["text"].as_str().unwrap(), "highlight {}", i + 1);
    }
}

#[test]
fn html_report_of_the_seed_article_is_one_offline_file() {
    let Some(path) = shared("examples/victory-plan-rt.txt") else {
        return;
    };
    let path = path.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let (code, out, err) = unspin(
        &[
            "analyze",
            "--format",
            "html",
            "-o",
            report.to_str().unwrap(),
            path,
        ],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.is_empty(), "the page goes to the file");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_self_contained(&page);
    let a = analysis_json(&[path], None);
    assert!(!a["techniques"].as_array().unwrap().is_empty());
    assert_marks_match(&page, &a);
    let doc = Html::parse_document(&page);
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(h1, a["source"]["title"].as_str().unwrap());
    assert_eq!(doc.select(&sel("table.legend tbody tr")).count(), 14);
    assert_eq!(
        doc.select(&sel("table.quotes tbody tr")).count(),
        a["quotes"].as_array().unwrap().len()
    );
}

#[test]
fn html_report_keeps_emoji_and_non_latin_highlights_exact() {
    let (code, page, err) = unspin(
        &["analyze", "--format", "html", "-"],
        Some(MIXED.as_bytes()),
    );
    assert_eq!(code, 0, "stderr: {err}");
    assert_self_contained(&page);
    let a = analysis_json(&["-"], Some(MIXED.as_bytes()));
    assert_marks_match(&page, &a);
    let doc = Html::parse_document(&page);
    let text: String = doc
        .select(&sel("#article-text p"))
        .map(|p| p.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_eq!(text, MIXED.trim_end());
}

#[test]
fn html_takes_one_document() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["a.txt", "b.txt"] {
        std::fs::write(dir.path().join(n), "The council met on Monday.\n").unwrap();
    }
    let (code, out, err) = unspin(
        &["analyze", "--format", "html", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("one standalone page") && err.contains("2 documents"),
        "{err}"
    );
}

#[test]
fn text_report_reads_without_colour_and_fits_the_width() {
    let Some(path) = shared("examples/victory-plan-rt.txt") else {
        return;
    };
    let path = path.to_str().unwrap();
    // Not a terminal: no colour unless asked for.
    let (code, out, err) = unspin(
        &["analyze", "--format", "text", "--width", "60", path],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    assert!(!out.contains('\x1b'));
    assert!(out.contains("SUMMARY") && out.contains("ARTICLE"));
    for line in out.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    let a = analysis_json(&[path], None);
    for i in 1..=a["techniques"].as_array().unwrap().len() {
        assert!(out.contains(&format!("]{i}")), "marker {i}");
        assert!(out.contains(&format!("[{i}] ")), "note {i}");
    }
    let (_, coloured, _) = unspin(
        &["analyze", "--format", "text", "--color", "always", path],
        None,
    );
    assert!(coloured.contains("\x1b["));
    let (_, never, _) = unspin(
        &["analyze", "--format", "text", "--color", "never", path],
        None,
    );
    assert!(!never.contains('\x1b'));
}

#[test]
fn json_stays_the_default_when_piped() {
    let (code, out, _) = unspin(&["analyze", "-"], Some(b"The council met on Monday.\n"));
    assert_eq!(code, 0);
    let a: Value = serde_json::from_str(&out).expect("JSON when stdout is not a terminal");
    assert!(a["text"].is_string());
}

#[test]
fn label_studio_tasks_count_utf16_units() {
    let (code, out, err) = unspin(
        &["analyze", "--format", "labelstudio", "-"],
        Some(MIXED.as_bytes()),
    );
    assert_eq!(code, 0, "stderr: {err}");
    let tasks: Value = serde_json::from_str(&out).unwrap();
    let tasks = tasks
        .as_array()
        .expect("an array of tasks, even for one document");
    assert_eq!(tasks.len(), 1);
    let task = &tasks[0];
    let text = task["data"]["text"].as_str().unwrap();
    assert_eq!(text, MIXED);
    let units: Vec<u16> = text.encode_utf16().collect();
    let a = analysis_json(&["-"], Some(MIXED.as_bytes()));
    let results = task["predictions"][0]["result"].as_array().unwrap();
    assert_eq!(results.len(), a["techniques"].as_array().unwrap().len());
    for r in results {
        let v = &r["value"];
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        // What the browser's text.substring(start, end) gives.
        assert_eq!(
            String::from_utf16(&units[s..e]).unwrap(),
            v["text"].as_str().unwrap()
        );
        assert_eq!(r["type"], "labels");
        assert_eq!(r["from_name"], "label");
        assert_eq!(r["to_name"], "text");
        assert!(r["score"].as_f64().unwrap() > 0.0);
    }
    // After the emoji, UTF-16 offsets run ahead of code points.
    if let Some((r, t)) = results
        .iter()
        .zip(a["techniques"].as_array().unwrap())
        .find(|(_, t)| t["start"].as_u64().unwrap() > 11)
    {
        assert!(r["value"]["start"].as_u64() > t["start"].as_u64());
    }
}

#[test]
fn semeval_flc_for_one_document_matches_predict() {
    let Some(path) = shared("examples/victory-plan-rt.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("article424242.txt");
    std::fs::copy(&path, &article).unwrap();
    let (code, analyzed, err) = unspin(
        &[
            "analyze",
            "--format",
            "semeval-flc",
            article.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    let (code, predicted, err) = unspin(
        &[
            "predict",
            "--format",
            "semeval-flc",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    assert!(!analyzed.is_empty());
    assert_eq!(
        analyzed, predicted,
        "analyze and predict write the same rows"
    );
    assert!(analyzed.lines().all(|l| l.starts_with("424242\t")));
    // Any other file name gives its stem.
    let (_, rows, _) = unspin(
        &["analyze", "--format", "semeval-flc", path.to_str().unwrap()],
        None,
    );
    assert!(
        rows.lines()
            .all(|l| l.split('\t').count() == 4 && l.starts_with("victory-plan-rt\t"))
    );
}
