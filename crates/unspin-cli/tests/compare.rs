//! `unspin compare` end to end: versions read from JSONL, files and a store; the JSON's
//! pairs; a bad version reported and skipped; fewer than two versions refused.

mod common;

use common::{cp_slice, shared, unspin};

/// One NewsWCL50 event's five versions as JSONL lines (id = outlet).
fn event_lines(event: &str) -> Option<Vec<String>> {
    let path = shared("data/outlets-dev/newswcl50/articles.jsonl")?;
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|a| a["story"] == event)
            .map(|a| {
                serde_json::json!({"id": a["outlet"], "title": a["title"], "outlet": a["outlet"], "text": a["text"]})
                    .to_string()
            })
            .collect(),
    )
}

#[test]
fn five_versions_of_one_event_compare_with_pairs_and_exact_offsets() {
    let Some(lines) = event_lines("event_5") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.jsonl");
    std::fs::write(&story, lines.join("\n") + "\n").unwrap();
    let (code, out, err) = unspin(
        &[
            "compare",
            "--quiet",
            "--format",
            "json",
            story.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON object");
    let labels: Vec<&str> = c["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "HuffPost",
            "New York Times",
            "USA Today",
            "Fox News",
            "Breitbart"
        ]
    );
    let pairs = c["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 10);
    for p in pairs {
        let s = p["similarity"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s) && labels.contains(&p["a"].as_str().unwrap()));
    }
    let mean: f64 = pairs
        .iter()
        .map(|p| p["similarity"].as_f64().unwrap())
        .sum::<f64>()
        / 10.0;
    assert!(mean > 0.6, "one story's versions are alike: {mean}");
    // Statements slice their version's text.
    let texts: Vec<String> = lines
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for claim in c["claims"].as_array().unwrap() {
        for s in claim["statements"].as_array().unwrap() {
            let v = labels
                .iter()
                .position(|l| *l == s["version"].as_str().unwrap())
                .unwrap();
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(cp_slice(&texts[v], a, b), s["text"].as_str().unwrap());
        }
    }
    assert!(
        c["actors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Donald Trump" && a["naming"].as_array().unwrap().len() >= 4)
    );
    // The HTML page is self-contained.
    let (code, html, _) = unspin(
        &[
            "compare",
            "--quiet",
            "--format",
            "html",
            story.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && !html.contains("<script")
            && html.contains("Breitbart")
    );
}

#[test]
fn a_bad_version_is_reported_and_skipped_and_one_version_is_not_a_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(
        &a,
        "The council approved the budget on Monday, officials said.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "Officials said the council approved a budget on Monday.\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.txt");
    let (code, out, err) = unspin(
        &[
            "compare",
            "--quiet",
            "--format",
            "json",
            a.to_str().unwrap(),
            missing.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1, "a failed input makes the exit status 1");
    assert!(err.contains("missing.txt"), "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["pairs"].as_array().unwrap().len(), 1);
    assert!(c["pairs"][0]["similarity"].as_f64().unwrap() > 0.5);
    let (code, out, err) = unspin(&["compare", "--quiet", a.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(
        out.is_empty() && err.contains("at least two versions"),
        "{err}"
    );
}
