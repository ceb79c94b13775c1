//! `unspin eval quotes|actors` on the shipped evaluation set, and quotes and actors in the
//! analysis of the team's example article.

mod common;

use common::unspin;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../evalsets/quotes-actors");

#[test]
fn eval_quotes_prints_dev_and_heldout_scores() {
    let (code, out, err) = unspin(&["eval", "quotes", "--data", DATA], None);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(
        out.contains("dev") && out.contains("held-out") && out.contains("attribution"),
        "{out}"
    );
    let (code, out, err) = unspin(&["eval", "actors", "--data", DATA, "--json"], None);
    assert_eq!(code, 0, "stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    for set in ["dev", "held-out"] {
        let b3 = v[set]["actors"]["b3"]["f1"].as_f64().expect("B3 F1");
        assert!((0.0..=1.0).contains(&b3), "{set}: {b3}");
        assert!(v[set]["quotes"]["span"]["f1"].as_f64().is_some());
    }
}

#[test]
fn eval_on_a_missing_or_broken_set_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = unspin(
        &["eval", "quotes", "--data", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("dev.jsonl"), "{err}");
    std::fs::write(dir.path().join("dev.jsonl"), "{\"id\": \"x\", \"text\": \"Hi.\", \"actors\": [], \"quotes\": [{\"start\": 0, \"end\": 9, \"kind\": \"direct\", \"cue\": null, \"speaker\": null, \"actor\": null, \"elided\": false}]}\n").unwrap();
    std::fs::write(dir.path().join("heldout.jsonl"), "").unwrap();
    let (code, _, err) = unspin(
        &["eval", "actors", "--data", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("line 1") && err.contains("outside the text"),
        "{err}"
    );
}

#[test]
fn the_example_article_has_quotes_and_actors() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ferry-deal.txt");
    let (code, out, err) = unspin(&["analyze", example], None);
    assert_eq!(code, 0, "stderr: {err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    for name in ["quotes", "actors"] {
        let r = a["analysers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap();
        assert_eq!(r["status"], "ran", "{r}");
    }
    let text: Vec<char> = a["text"].as_str().unwrap().chars().collect();
    let quotes = a["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty());
    for q in quotes {
        let (s, e) = (
            q["start"].as_u64().unwrap() as usize,
            q["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            q["text"].as_str().unwrap()
        );
        assert!(q["resolution"].as_str().is_some_and(|r| !r.is_empty()));
    }
    assert!(!a["actors"].as_array().unwrap().is_empty());
}
