//! Technique detection through the binary: training and evaluating on a small subset (the
//! full cross-validation stays out of CI), the SemEval formats, explanations that cite what
//! is in the text, and clear errors for bad model files.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A folder with the first `n` PTC articles and their labels, made at test time.
fn small_corpus(n: usize) -> Option<(tempfile::TempDir, PathBuf)> {
    let src = shared("data/ptc-train")?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ptc");
    std::fs::create_dir_all(root.join("articles")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(src.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.truncate(n);
    let ids: Vec<String> = names
        .iter()
        .map(|n| {
            n.trim_start_matches("article")
                .trim_end_matches(".txt")
                .to_owned()
        })
        .collect();
    for name in &names {
        std::fs::copy(
            src.join("articles").join(name),
            root.join("articles").join(name),
        )
        .unwrap();
    }
    let labels: String = std::fs::read_to_string(src.join("techniques.tsv"))
        .unwrap()
        .lines()
        .filter(|l| ids.iter().any(|id| l.split('\t').next() == Some(id)))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.join("techniques.tsv"), labels).unwrap();
    Some((dir, root))
}

fn train_small(root: &Path, out: &Path) {
    let (code, out_s, err) = unspin(
        &[
            "train",
            "techniques",
            "--data",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--seed",
            "7",
        ],
        None,
    );
    assert_eq!(code, 0, "train failed: {err}");
    assert!(out_s.is_empty(), "train writes nothing on stdout");
}

#[test]
fn train_is_deterministic_and_the_model_serves_every_command() {
    let Some((_tmp, root)) = small_corpus(24) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (m1, m2) = (dir.path().join("a.unspin"), dir.path().join("b.unspin"));
    train_small(&root, &m1);
    train_small(&root, &m2);
    // The header records the command (with its --out path); the parameters must be identical.
    let header_of = |p: &Path| -> Value {
        let bytes = std::fs::read(p).unwrap();
        let line = bytes.split(|&b| b == b'\n').nth(1).unwrap().to_vec();
        serde_json::from_slice(&line).unwrap()
    };
    let header = header_of(&m1);
    assert_eq!(
        header["payload_sha256"],
        header_of(&m2)["payload_sha256"],
        "same seed, same model"
    );
    assert_eq!(header["seed"], 7);
    assert_eq!(header["training_data"]["articles"], 24);
    assert!(
        header["command"]
            .as_str()
            .unwrap()
            .contains("train techniques")
    );
    assert_eq!(
        header["training_data"]["sha256"].as_str().unwrap().len(),
        64
    );

    let articles = root.join("articles");
    let m = m1.to_str().unwrap();
    let (code, si, err) = unspin(
        &[
            "predict",
            "--format",
            "semeval-si",
            "--model",
            m,
            articles.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, flc, err) = unspin(
        &[
            "predict",
            "--format",
            "semeval-flc",
            "--model",
            m,
            articles.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(si.lines().count(), flc.lines().count());
    for line in flc.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "{line}");
        f[1].parse::<unspin::Technique>()
            .expect("technique spelled as in the training files");
        assert!(f[2].parse::<usize>().unwrap() < f[3].parse::<usize>().unwrap());
    }

    // A template with a span listed twice gets two different techniques, in template order.
    let labels = std::fs::read_to_string(root.join("techniques.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = labels
        .lines()
        .take(5)
        .map(|l| l.split('\t').collect())
        .collect();
    let mut template = String::new();
    for r in &rows {
        template.push_str(&format!("{}\t?\t{}\t{}\n", r[0], r[2], r[3]));
    }
    template.push_str(&format!(
        "{}\t?\t{}\t{}\n",
        rows[0][0], rows[0][2], rows[0][3]
    ));
    let tpl = dir.path().join("template.tsv");
    std::fs::write(&tpl, template).unwrap();
    let (code, out, err) = unspin(
        &[
            "classify",
            "--model",
            m,
            "--spans",
            tpl.to_str().unwrap(),
            articles.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let got: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(got.len(), 6);
    for (g, r) in got.iter().zip(&rows) {
        assert_eq!((g[0], g[2], g[3]), (r[0], r[2], r[3]));
    }
    assert_ne!(
        got[0][1], got[5][1],
        "a repeated span gets its two most likely techniques"
    );

    let (code, out, err) = unspin(
        &[
            "eval",
            "techniques",
            "--data",
            root.to_str().unwrap(),
            "--folds",
            "2",
            "--limit",
            "16",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    for needle in [
        "span identification",
        "technique classification",
        "full task",
        "Loaded_Language",
        "expected calibration error",
    ] {
        assert!(out.contains(needle), "eval report shows {needle}:\n{out}");
    }
}

#[test]
fn bad_model_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let article = repo("examples/ferry-deal.txt");
    let article = article.to_str().unwrap();
    let missing = dir.path().join("missing.unspin");
    let garbage = dir.path().join("garbage.unspin");
    std::fs::write(&garbage, b"\x00\x01 not a model").unwrap();
    let future = dir.path().join("future.unspin");
    std::fs::write(
        &future,
        b"UNSPIN-MODEL\n{\"format_version\":99,\"kind\":\"techniques\"}\n\x00\x00",
    )
    .unwrap();
    for (path, says) in [
        (&missing, "not found"),
        (&garbage, "not an unspin model"),
        (&future, "format version 99"),
    ] {
        let p = path.to_str().unwrap();
        let (code, out, err) = unspin(&["analyze", "--model", p, article], None);
        assert_ne!(code, 0);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains(p) && err.contains(says), "{err}");
        assert!(out.is_empty());
        let (code, _, err) = unspin(
            &["predict", "--format", "semeval-si", "--model", p, "."],
            None,
        );
        assert_ne!(code, 0);
        assert!(err.contains(says), "{err}");
    }
}

#[test]
fn seed_article_techniques_are_explained_by_what_is_in_the_text() {
    let Some(path) = shared("examples/victory-plan-rt.txt") else {
        return;
    };
    let (code, out, err) = unspin(&["analyze", path.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_schema_valid(&a);
    assert_offsets_exact(&a);
    let report = a["analysers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "techniques")
        .unwrap()
        .clone();
    if report["status"] != "ran" {
        eprintln!(
            "skipped: no techniques model available: {}",
            report["reason"]
        );
        return;
    }
    let techniques = a["provenance"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"].as_str().unwrap().starts_with("techniques"))
        .expect("the techniques model is in the provenance");
    assert_eq!(techniques["sha256"].as_str().unwrap().len(), 64);
    let text = a["text"].as_str().unwrap();
    let sentences = a["sentences"].as_array().unwrap();
    let techniques = a["techniques"].as_array().unwrap();
    // The seed article is full of rhetoric: version 4 highlights four passages (version 3
    // five) and its sentence layer marks six sentences as likely persuasive.
    assert!(
        techniques.len() >= 3,
        "the seed article is full of rhetoric: {techniques:?}"
    );
    let marked = sentences
        .iter()
        .filter(|s| s["persuasion"]["persuasive"].as_bool() == Some(true))
        .count();
    assert!(marked >= 5, "{marked} sentences marked likely persuasive");
    for t in techniques {
        let (s, e) = (t["start"].as_u64().unwrap(), t["end"].as_u64().unwrap());
        // The context: the sentences the span touches.
        let context: String = sentences
            .iter()
            .filter(|x| x["start"].as_u64().unwrap() < e && s < x["end"].as_u64().unwrap())
            .map(|x| x["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        let explanation = t["explanation"].as_str().unwrap();
        assert!(!explanation.is_empty());
        // Every quoted cue the explanation cites is in the span or its context.
        for (i, cue) in explanation.split('"').enumerate() {
            if i % 2 == 1 {
                assert!(
                    context.to_lowercase().contains(&cue.to_lowercase()),
                    "cue \"{cue}\" cited for {:?} is not in its context {context:?}",
                    &t["text"]
                );
            }
        }
        let c = t["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    assert!(text.contains("Kiev regime"));
}

/// A tiny table in the wink-embeddings layout, written to `dir/emb.json`: two groups of
/// similar vectors and a punctuation entry.
fn tiny_embedding_table(dir: &Path) -> PathBuf {
    let table = serde_json::json!({
        "dimensions": 3,
        "words": ["bad", ",", "awful", "good", "great", "dreadful"],
        "vectors": {
            "bad": [1.0, 0.1, 0.0], ",": [0.0, 0.0, 1.0], "awful": [0.9, 0.2, 0.0],
            "good": [0.0, 1.0, 0.1], "great": [0.1, 0.9, 0.0], "dreadful": [0.95, 0.0, 0.1]
        }
    });
    let emb = dir.join("emb.json");
    std::fs::write(&emb, table.to_string()).unwrap();
    emb
}

#[test]
fn word_classes_are_derived_from_an_embedding_table_and_bad_tables_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let emb = tiny_embedding_table(dir.path());
    let out = dir.path().join("classes.tsv.gz");
    let (code, stdout, err) = unspin(
        &[
            "train",
            "word-classes",
            "--embeddings",
            emb.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--levels",
            "2",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty(), "stdout carries nothing: {stdout}");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&out).unwrap()),
        &mut text,
    )
    .unwrap();
    let class: std::collections::HashMap<&str, &str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .collect();
    assert_eq!(text.lines().next(), Some("word\t2"));
    assert!(!class.contains_key(","), "punctuation is left out: {text}");
    assert_eq!(class["bad"], class["awful"]);
    assert_eq!(class["bad"], class["dreadful"]);
    assert_eq!(class["good"], class["great"]);
    assert_ne!(class["bad"], class["good"]);

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, b"{\"dimensions\": 3, \"words\": [").unwrap();
    let b = broken.to_str().unwrap();
    let (code, _, err) = unspin(
        &[
            "train",
            "word-classes",
            "--embeddings",
            b,
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains(b) && !err.contains("panicked"), "{err}");
}

#[test]
fn word_vectors_are_derived_from_an_embedding_table_and_train_the_neural_tagger() {
    let dir = tempfile::tempdir().unwrap();
    let emb = tiny_embedding_table(dir.path());
    let out = dir.path().join("vectors.unspin");
    let (code, stdout, err) = unspin(
        &[
            "train",
            "word-vectors",
            "--embeddings",
            emb.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--words",
            "4",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty(), "stdout carries nothing: {stdout}");
    let vectors = unspin::analyse::word_vectors::read(&out).unwrap().model;
    // The four most frequent words that have a letter, in table order.
    assert_eq!(vectors.words(), ["bad", "awful", "good", "great"]);

    // A techniques model trained with them records them and scores with them.
    let Some((_tmp, root)) = small_corpus(12) else {
        return;
    };
    let model = dir.path().join("m.unspin");
    let (code, _, err) = unspin(
        &[
            "train",
            "techniques",
            "--data",
            root.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
            "--word-vectors",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let loaded = unspin::analyse::model_file::read::<
        unspin::analyse::techniques::detector::TechniquesModel,
    >(&model, "techniques")
    .unwrap();
    assert!(
        loaded
            .header
            .resources
            .iter()
            .any(|r| r.name == "word-vectors" && r.sha256.len() == 64)
    );
    let (tagger, weight) = loaded.model.span.dense().expect("a neural tagger");
    assert_eq!(tagger.vectors().len(), 4);
    assert!(weight > 0.0 && weight < 1.0);

    // A techniques model given as word vectors is refused by name.
    let (code, _, err) = unspin(
        &[
            "train",
            "techniques",
            "--data",
            root.to_str().unwrap(),
            "--out",
            dir.path().join("x.unspin").to_str().unwrap(),
            "--word-vectors",
            model.to_str().unwrap(),
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("not a 'word-vectors' model") && !err.contains("panicked"),
        "{err}"
    );
}
