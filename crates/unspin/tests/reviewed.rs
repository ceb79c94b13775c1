//! The Label Studio round trip: export predictions for a few real articles, review them the
//! way an annotator would (accept some, move the boundaries of one, delete one, add the gold
//! spans that were missed), export as Label Studio does, import, and retrain.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use std::sync::Arc;
use unspin::analyse::techniques::data::corpus::{Article, Corpus, GoldSpan};
use unspin::analyse::techniques::data::reviewed::{self, ReviewedError};

use unspin::analyse::model_file::{DataFingerprint, LoadedModel, ModelHeader};
use unspin::analyse::techniques::analyser::TechniqueAnalyser;
use unspin::analyse::techniques::trainer::{self, TrainConfig};
use unspin::render::LabelStudio;
use unspin::{Document, Options, Pipeline, Technique};

fn dev_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-dev");
    if dir.join("techniques.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared data lives beside the repository)",
            dir.display()
        );
        None
    }
}

/// Code-point slice.
fn cp(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The code-point offset of a UTF-16 offset of `text`.
fn utf16_to_cp(text: &str, units: usize) -> usize {
    let mut u = 0;
    for (i, c) in text.chars().enumerate() {
        if u >= units {
            return i;
        }
        u += c.len_utf16();
    }
    text.chars().count()
}

/// A result region as Label Studio exports it (offsets in code points).
fn region(id: &str, text: &str, start: usize, end: usize, label: Technique) -> Value {
    json!({"id": id, "type": "labels", "from_name": "label", "to_name": "text",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": cp(text, start, end), "labels": [label.as_str()]}})
}

/// The simulated export and, for each reviewed task, the spans the reviewer left.
struct Review {
    export: Value,
    expected: Vec<(String, Vec<GoldSpan>)>,
    unreviewed: usize,
}

/// Settings of a tiny training run (seconds, not the full training).
fn tiny_config() -> TrainConfig {
    let mut cfg = TrainConfig::default().with_seed(3);
    cfg.calibration_folds = 2;
    cfg.span.max_iters = 25;
    cfg.span.inner_folds = 2;
    cfg.span.min_feature_count = 1;
    cfg.classifier.max_iter = 30;
    cfg.classifier.min_count = 1;
    cfg
}

/// A pipeline whose techniques analyser uses a tiny model trained on `articles`.
fn tiny_pipeline(articles: &[Article]) -> Pipeline {
    let corpus = Corpus {
        articles: articles.to_vec(),
        repairs: Vec::new(),
    };
    let mut model = trainer::train(&corpus, &tiny_config());
    // Few articles and iterations give flat marginals: a low threshold gives predictions.
    model.span = model.span.with_threshold(0.1);
    let header = ModelHeader {
        format_version: unspin::analyse::model_file::FORMAT_VERSION,
        kind: "techniques".into(),
        name: "techniques-tiny".into(),
        version: "1".into(),
        created_by: "tests/reviewed.rs".into(),
        training_data: DataFingerprint {
            path: "ptc-dev".into(),
            sha256: String::new(),
            articles: corpus.len(),
            spans: 0,
        },
        resources: Vec::new(),
        seed: 3,
        command: String::new(),
        metrics: Value::Null,
        payload_sha256: String::new(),
    };
    let loaded = Arc::new(LoadedModel {
        header,
        model,
        file_sha256: String::new(),
    });
    Pipeline::without_analysers(Options::default())
        .with_analyser(Box::new(TechniqueAnalyser::new(loaded, 0.0)))
}

/// Renders the Label Studio task of each article with `pipeline`'s predictions, then
/// reviews all but the last.
fn simulate_review(pipeline: &Pipeline, articles: &[&Article]) -> Review {
    let mut tasks = Vec::new();
    let mut expected = Vec::new();
    let mut edits = (0, 0, 0); // moved, deleted, added
    for (n, a) in articles.iter().enumerate() {
        let mut doc = Document::from_text(a.text.clone());
        doc.source.input = format!("ptc-dev/articles/article{}.txt", a.id);
        let analysis = pipeline.analyze(&doc).unwrap();
        let mut task = serde_json::to_value(LabelStudio::task(&analysis)).unwrap();
        // Label Studio gives every imported task an id.
        task["id"] = json!(1000 + n);
        if n + 1 == articles.len() {
            tasks.push(task); // not reviewed: no annotations
            continue;
        }
        let predicted = task["predictions"][0]["result"].as_array().unwrap().clone();
        let mut result = Vec::new();
        let mut kept = BTreeSet::new();
        for (i, p) in predicted.iter().enumerate() {
            // The renderer's offsets are UTF-16 units (the importer converts them back).
            let v = &p["value"];
            let (s, e) = (
                utf16_to_cp(&a.text, v["start"].as_u64().unwrap() as usize),
                utf16_to_cp(&a.text, v["end"].as_u64().unwrap() as usize),
            );
            let t: Technique = v["labels"][0].as_str().unwrap().parse().unwrap();
            match i {
                // Deleted by the reviewer.
                1 => edits.1 += 1,
                // Boundaries moved: one code point off each end, if the span is long enough.
                0 if e - s > 4 => {
                    let (s, e) = (s + 1, e - 1);
                    result.push(region("moved", &a.text, s, e, t));
                    kept.insert(GoldSpan {
                        start: s,
                        end: e,
                        technique: t,
                    });
                    edits.0 += 1;
                }
                // Accepted: Label Studio copies the prediction into the annotation.
                _ => {
                    result.push(p.clone());
                    kept.insert(GoldSpan {
                        start: s,
                        end: e,
                        technique: t,
                    });
                }
            }
        }
        for (k, g) in a.spans.iter().enumerate() {
            if kept.insert(*g) {
                result.push(region(
                    &format!("gold{k}"),
                    &a.text,
                    g.start,
                    g.end,
                    g.technique,
                ));
                edits.2 += 1;
            }
        }
        task["annotations"] = json!([
            {"id": 1, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
             "created_at": "2026-12-01T09:00:00.000000Z", "updated_at": "2026-12-01T09:30:00.000000Z",
             "lead_time": 120.5, "result": result},
            {"id": 2, "completed_by": 2, "was_cancelled": true, "ground_truth": false,
             "created_at": "2026-12-02T09:00:00.000000Z", "updated_at": "2026-12-02T09:00:00.000000Z",
             "result": []},
        ]);
        task["total_annotations"] = json!(1);
        task["cancelled_annotations"] = json!(1);
        tasks.push(task);
        expected.push((a.id.clone(), kept.into_iter().collect()));
    }
    assert!(edits.2 > 0, "some gold spans were added");
    assert!(edits.1 > 0, "a prediction was deleted");
    assert!(edits.0 > 0, "a prediction's boundaries were moved");
    eprintln!(
        "review: {} moved, {} deleted, {} added",
        edits.0, edits.1, edits.2
    );
    Review {
        export: Value::Array(tasks),
        expected,
        unreviewed: 1,
    }
}

#[test]
fn export_review_import_retrain() {
    let Some(dir) = dev_dir() else { return };
    let corpus = Corpus::load(&dir).expect("ptc-dev loads");
    let picked: Vec<&Article> = corpus
        .articles
        .iter()
        .filter(|a| a.spans.len() >= 3)
        .take(4)
        .collect();
    assert_eq!(picked.len(), 4);
    // Predictions from a tiny model trained on other dev articles.
    let pipeline = tiny_pipeline(&corpus.articles[30..60]);
    let review = simulate_review(&pipeline, &picked);

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("export.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&review.export).unwrap()).unwrap();
    let imported = reviewed::load(&path).expect("the export imports");
    assert_eq!(imported.unreviewed, ["1003"]);
    assert_eq!(imported.unreviewed.len(), review.unreviewed);
    assert_eq!(imported.articles.len(), review.expected.len());
    for (a, (id, spans)) in imported.articles.iter().zip(&review.expected) {
        assert_eq!(&a.id, id, "the id comes from meta.input's article<ID>.txt");
        assert_eq!(a.text, corpus.get(id).unwrap().text);
        assert_eq!(
            &a.spans, spans,
            "article {id}: the reviewer's spans, exactly"
        );
        assert_eq!(a.si_spans, None);
    }

    // Retrain: a few more dev articles plus the reviewed ones, which replace their
    // originals (same id and text).
    let mut train = Corpus {
        articles: corpus.articles.iter().take(12).cloned().collect(),
        repairs: Vec::new(),
    };
    let before = train.articles.len();
    let in_train = imported
        .articles
        .iter()
        .filter(|r| train.articles.iter().any(|a| a.id == r.id))
        .count();
    let replaced = reviewed::merge_into(&mut train.articles, imported.articles.clone());
    assert_eq!(replaced.len(), in_train);
    assert!(replaced.iter().all(|r| r.same_text && r.old_id == r.new_id));
    assert_eq!(
        train.articles.len(),
        before + imported.articles.len() - in_train
    );
    for r in &imported.articles {
        assert_eq!(&train.get(&r.id).unwrap().spans, &r.spans);
    }
    let (_model, metrics) = trainer::train_with_report(&train, &Default::default(), &tiny_config());
    assert!(metrics.is_object(), "{metrics}");
}

#[test]
fn bad_exports_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "Abc def ghi.";
    let task = |value: Value| {
        json!([{"id": 7, "data": {"text": text}, "annotations": [{"id": 1, "result": [
            {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text", "value": value}
        ]}]}])
        .to_string()
    };
    let cases = [
        ("notjson.json", "[{".to_owned(), "not JSON"),
        (
            "object.json",
            "{\"data\": {}}".to_owned(),
            "expected an array of tasks",
        ),
        (
            "range.json",
            task(json!({"start": 4, "end": 40, "text": "def", "labels": ["Doubt"]})),
            "outside the text",
        ),
        (
            "label.json",
            task(json!({"start": 4, "end": 7, "text": "def", "labels": ["Propaganda"]})),
            "unknown technique \"Propaganda\"",
        ),
        (
            "mismatch.json",
            task(json!({"start": 4, "end": 7, "text": "xyz", "labels": ["Doubt"]})),
            "neither the code-point slice",
        ),
        (
            "shape.json",
            task(json!({"start": "4", "end": 7, "text": "def", "labels": ["Doubt"]})),
            "value.start",
        ),
    ];
    for (name, body, says) in cases {
        let p = tmp.path().join(name);
        std::fs::write(&p, body).unwrap();
        let e = reviewed::load(&p).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(&p.display().to_string()), "{msg}");
        assert!(msg.contains(says), "{msg}");
        if matches!(e, ReviewedError::Task { .. }) {
            assert!(msg.contains("task 7"), "{msg}");
        }
    }
    let missing = tmp.path().join("missing.json");
    assert!(matches!(
        reviewed::load(&missing),
        Err(ReviewedError::Io { .. })
    ));
}
