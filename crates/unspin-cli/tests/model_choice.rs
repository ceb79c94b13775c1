//! `--model fast|accurate|FILE`: `fast` runs and is named (with its hash) in provenance;
//! `accurate` is refused (this build ships none) on every command that takes `--model`,
//! with the reason and nothing on standard output; a missing file is a clear error.

mod common;

use common::*;
use serde_json::Value;
use unspin::analyse::techniques::analyser::{ACCURATE_UNAVAILABLE, default_model_candidates};

const ARTICLE: &str = "Officials said on Monday that the bridge would stay closed.\n\n\
The council has never cared about ordinary people, and the shameful delay is a disaster \
for every family in the valley.\n";

/// An article file in a fresh folder.
fn article() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article1.txt");
    std::fs::write(&path, ARTICLE).unwrap();
    let p = path.to_str().unwrap().to_owned();
    (dir, p)
}

/// The techniques model entry of an analysis's provenance.
fn techniques_model(a: &Value) -> &Value {
    a["provenance"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"].as_str().unwrap().starts_with("techniques"))
        .expect("a techniques model in provenance")
}

#[test]
fn model_fast_runs_and_provenance_names_it_with_its_hash() {
    let Some(file) = default_model_candidates().into_iter().find(|p| p.exists()) else {
        eprintln!("skipped: no fast techniques model available");
        return;
    };
    let (_dir, path) = article();
    let (code, out, err) = unspin(&["analyze", "--model", "fast", &path], None);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_schema_valid(&a);
    let m = techniques_model(&a);
    assert_eq!(m["variant"], "fast");
    let sha = m["sha256"].as_str().unwrap();
    assert!(
        sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
        "{sha}"
    );
    // The default for one article is fast too in this build; a folder's default is fast.
    let (code, out, err) = unspin(&["analyze", &path], None);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(techniques_model(&a)["variant"], "fast");
    assert_eq!(techniques_model(&a)["sha256"], sha);
    // The same file named by path has the same hash, recorded as a file.
    let (code, out, err) = unspin(&["analyze", "--model", file.to_str().unwrap(), &path], None);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(techniques_model(&a)["variant"], "file");
    assert_eq!(techniques_model(&a)["sha256"], sha);
    // The HTML report names the role.
    let (code, out, err) = unspin(
        &["analyze", "--format", "html", "--model", "fast", &path],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("(fast)"),
        "the HTML provenance names the model's role"
    );
    // predict takes it too.
    let dir = std::path::Path::new(&path)
        .parent()
        .unwrap()
        .to_str()
        .unwrap();
    let (code, _, err) = unspin(
        &["predict", "--format", "semeval-si", "--model", "fast", dir],
        None,
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn model_accurate_is_refused_with_the_reason_on_every_command() {
    let (dir, path) = article();
    let folder = dir.path().to_str().unwrap();
    let template = dir.path().join("template.tsv");
    std::fs::write(&template, "1\t?\t0\t9\n").unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["analyze", "--model", "accurate", &path],
        vec![
            "analyze", "--format", "jsonl", "--model", "accurate", folder,
        ],
        vec![
            "predict",
            "--format",
            "semeval-si",
            "--model",
            "accurate",
            folder,
        ],
        vec![
            "classify",
            "--spans",
            template.to_str().unwrap(),
            "--model",
            "accurate",
            folder,
        ],
        vec!["bench", "techniques", "--model", "accurate", folder],
        vec!["serve", "--model", "accurate", "--addr", "127.0.0.1:0"],
    ];
    for args in commands {
        let (code, out, err) = unspin(&args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: nothing on stdout, got {out}");
        assert!(err.contains(ACCURATE_UNAVAILABLE), "{args:?}: {err}");
        assert!(
            err.contains("not available in this build") && err.contains("--model fast"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn model_path_that_does_not_exist_is_a_clear_error() {
    let (_dir, path) = article();
    let (code, out, err) = unspin(&["analyze", "--model", "/nonexistent", &path], None);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("/nonexistent") && err.contains("not found"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
