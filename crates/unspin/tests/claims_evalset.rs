//! The claims evaluation set is well-formed: every annotation's offsets cover its text,
//! the set has the size and mix the evaluation needs, and the seed-article annotation fits
//! the shared text it was made on.

use std::path::{Path, PathBuf};

use unspin::analyse::claims::gold::{self, GoldDoc, NegativeCase};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(name: &str) -> Vec<GoldDoc> {
    let path = repo().join("evalsets/claims").join(name);
    gold::load_jsonl(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn sentences(text: &str) -> usize {
    unspin::segment::segment(text).sentences.len()
}

/// Articles: a headline line plus at least 10 sentences of body.
fn long_articles(docs: &[GoldDoc]) -> usize {
    docs.iter()
        .filter(|d| d.is_article() && sentences(&d.text) > 10)
        .count()
}

#[test]
fn dev_set_is_big_and_varied_enough() {
    let dev = load("dev.jsonl");
    let held = load("heldout.jsonl");
    assert!(
        dev.len() + held.len() >= 40,
        "at least 40 passages in total"
    );
    assert!(long_articles(&dev) >= 15, "at least 15 long dev articles");
    assert!(held.len() >= 12, "at least 12 held-out passages");
    assert!(
        long_articles(&held) >= 5,
        "at least 5 long held-out articles"
    );
    for set in [&dev, &held] {
        let cases: Vec<NegativeCase> = set
            .iter()
            .flat_map(|d| &d.claims)
            .filter_map(|c| c.case)
            .collect();
        for want in [
            NegativeCase::Opinion,
            NegativeCase::Question,
            NegativeCase::Hedge,
            NegativeCase::Idiom,
            NegativeCase::Sarcasm,
            NegativeCase::Call,
        ] {
            assert!(cases.contains(&want), "no {want:?} case");
        }
    }
}

#[test]
fn ids_are_unique_across_both_files() {
    let mut ids: Vec<String> = load("dev.jsonl")
        .into_iter()
        .chain(load("heldout.jsonl"))
        .map(|d| d.id)
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn a_broken_annotation_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(
        &path,
        r#"{"id":"x","genre":"passage","text":"Police arrested two men.","claims":[{"start":0,"end":15,"text":"Police arrestex","label":2,"kind":"event","case":null}]}"#,
    )
    .unwrap();
    let err = gold::load_jsonl(&path).unwrap_err().to_string();
    assert!(
        err.contains("bad.jsonl") && err.contains("document x"),
        "{err}"
    );
    assert!(err.contains("Police arrested"), "{err}");
}

#[test]
fn seed_annotation_fits_the_shared_text() {
    let file = repo().join("evalsets/claims/victory-plan-rt.json");
    let seed = gold::load_offsets_only(&file).unwrap_or_else(|e| panic!("{e}"));
    let path = seed.text_path.clone();
    let Some(doc) = seed.read().unwrap_or_else(|e| panic!("{e}")) else {
        println!("skipped: {} is absent", path.display());
        return;
    };
    assert!(doc.claims.iter().any(|c| c.label == 2));
    assert!(doc.claims.iter().all(|c| c.text.is_some()));
}
