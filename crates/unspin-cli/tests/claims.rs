//! `unspin eval claims` and the claims in `unspin analyze`: ranked, explained, exact spans.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn eval_claims_reports_precision_on_dev_and_held_out() {
    let data = repo("evalsets/claims");
    let (code, out, err) = unspin(&["eval", "claims", "--data", data.to_str().unwrap()], None);
    assert_eq!(code, 0, "stderr: {err}");
    for want in [
        "dev: 42 documents",
        "held-out: 14 documents",
        "P@5 ",
        "P@10",
        "recall",
        "baseline",
    ] {
        assert!(out.contains(want), "no {want:?} in:\n{out}");
    }
}

#[test]
fn eval_claims_on_a_missing_folder_is_a_clear_error() {
    let (code, _, err) = unspin(&["eval", "claims", "--data", "/nonexistent/claims"], None);
    assert_eq!(code, 1);
    assert!(
        err.contains("/nonexistent/claims/dev.jsonl"),
        "stderr: {err}"
    );
}

#[test]
fn analyze_ranks_checkable_claims_above_opinion() {
    let text = "Council approves new bridge\n\
        The city council approved a £40 million bridge over the river on Tuesday. \
        Police arrested two men at the border crossing. \
        This is surely the most beautiful bridge anyone could wish for. \
        Who could possibly object?\n";
    let (code, out, err) = unspin(&["analyze", "-"], Some(text.as_bytes()));
    assert_eq!(code, 0, "stderr: {err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_schema_valid(&a);
    assert_offsets_exact(&a);
    let claims = a["claims"].as_array().unwrap();
    let report = a["analysers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "claims")
        .unwrap();
    assert_eq!(report["status"], "ran");
    let texts: Vec<&str> = claims.iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert!(
        texts[0].starts_with("The city council approved"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Police arrested two men")),
        "{texts:?}"
    );
    // Every statement is a claim with its score; the opinion scores below what reports
    // show (0.5) and the question is no claim at all.
    assert!(!texts.iter().any(|t| t.contains("object")), "{texts:?}");
    let opinion = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("beautiful"))
        .unwrap();
    assert!(opinion["score"].as_f64().unwrap() < 0.5, "{opinion}");
    let scores: Vec<f64> = claims
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by score");
    let numbers: Vec<&str> = claims[0]["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["£40 million", "Tuesday"]);
    assert!(
        claims[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Checkable (")
    );
}
