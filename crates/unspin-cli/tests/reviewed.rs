//! `unspin train techniques --reviewed`: the Label Studio round trip through the binary —
//! train a small model, export its predictions with `analyze --format labelstudio`, review
//! them as an annotator would, export as Label Studio does, and retrain with the review.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

/// A folder with the first `n` ptc-dev articles and their labels, made at test time.
fn small_dev_corpus(n: usize) -> Option<(tempfile::TempDir, PathBuf, Vec<String>)> {
    let src = shared("data/ptc-dev")?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ptc");
    std::fs::create_dir_all(root.join("articles")).unwrap();
    let mut ids: Vec<String> = std::fs::read_dir(src.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| Some(n.strip_prefix("article")?.strip_suffix(".txt")?.to_owned()))
        .collect();
    ids.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    ids.truncate(n);
    for id in &ids {
        let name = format!("article{id}.txt");
        std::fs::copy(
            src.join("articles").join(&name),
            root.join("articles").join(&name),
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
    Some((dir, root, ids))
}

/// Gold spans of an article from techniques.tsv: (start, end, technique).
fn gold(root: &Path, id: &str) -> Vec<(usize, usize, String)> {
    std::fs::read_to_string(root.join("techniques.tsv"))
        .unwrap()
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == id)
        .map(|f| {
            (
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[1].to_owned(),
            )
        })
        .collect()
}

fn train(args: &[&str]) -> String {
    let mut all = vec![
        "train",
        "techniques",
        "--seed",
        "7",
        "--no-word-vectors",
        "--no-word-classes",
    ];
    all.extend_from_slice(args);
    let (code, out, err) = unspin(&all, None);
    assert_eq!(code, 0, "train failed: {err}");
    assert!(out.is_empty());
    err
}

fn header(model: &Path) -> Value {
    let bytes = std::fs::read(model).unwrap();
    let line = bytes.split(|&b| b == b'\n').nth(1).unwrap().to_vec();
    serde_json::from_slice(&line).unwrap()
}

#[test]
fn reviewed_label_studio_tasks_feed_back_into_training() {
    let Some((tmp, root, ids)) = small_dev_corpus(8) else {
        return;
    };
    let m1 = tmp.path().join("m1.unspin");
    train(&[
        "--data",
        root.to_str().unwrap(),
        "--out",
        m1.to_str().unwrap(),
    ]);

    // Export three articles for review.
    let review_dir = tmp.path().join("review");
    std::fs::create_dir_all(&review_dir).unwrap();
    for id in &ids[..3] {
        let name = format!("article{id}.txt");
        std::fs::copy(root.join("articles").join(&name), review_dir.join(&name)).unwrap();
    }
    let (code, out, err) = unspin(
        &[
            "analyze",
            "--format",
            "labelstudio",
            "--model",
            m1.to_str().unwrap(),
            review_dir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let mut tasks: Vec<Value> = serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(tasks.len(), 3);

    // Review the first two: accept the predictions but the first (deleted), add the gold
    // spans missed; leave the third unreviewed.
    let mut expected = Vec::new();
    for (n, task) in tasks.iter_mut().enumerate() {
        task["id"] = json!(50 + n);
        if n == 2 {
            continue;
        }
        let input = task["data"]["meta"]["input"].as_str().unwrap().to_owned();
        let id = ids
            .iter()
            .find(|id| input.ends_with(&format!("article{id}.txt")))
            .expect("the task names its article")
            .clone();
        let text = task["data"]["text"].as_str().unwrap().to_owned();
        let mut result: Vec<Value> = task["predictions"][0]["result"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .cloned()
            .collect();
        let mut spans: Vec<(usize, usize, String)> = result
            .iter()
            .map(|r| {
                let v = &r["value"];
                (
                    v["start"].as_u64().unwrap() as usize,
                    v["end"].as_u64().unwrap() as usize,
                    v["labels"][0].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (k, g) in gold(&root, &id).into_iter().enumerate() {
            if !spans.contains(&g) {
                result.push(json!({"id": format!("g{k}"), "type": "labels",
                    "from_name": "label", "to_name": "text", "origin": "manual",
                    "value": {"start": g.0, "end": g.1, "text": cp_slice(&text, g.0, g.1),
                              "labels": [g.2]}}));
                spans.push(g);
            }
        }
        spans.sort();
        spans.dedup();
        task["annotations"] = json!([{"id": 10 + n, "was_cancelled": false,
            "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:05:00Z",
            "result": result}]);
        expected.push((id, spans.len()));
    }
    let export = tmp.path().join("export.json");
    std::fs::write(&export, serde_json::to_vec(&tasks).unwrap()).unwrap();

    let m2 = tmp.path().join("m2.unspin");
    let err = train(&[
        "--data",
        root.to_str().unwrap(),
        "--reviewed",
        export.to_str().unwrap(),
        "--out",
        m2.to_str().unwrap(),
    ]);
    let total: usize = expected.iter().map(|(_, n)| n).sum();
    assert!(
        err.contains(&format!(
            "2 articles, {total} technique spans; 1 tasks not reviewed"
        )),
        "{err}"
    );
    for (id, _) in &expected {
        assert!(
            err.contains(&format!("reviewed article {id} replaces article {id}")),
            "the reviewer's version replaces the original: {err}"
        );
    }
    let h = header(&m2);
    assert_eq!(h["training_data"]["articles"], 8, "replaced, not added");
    let sha = unspin::analyse::model_file::sha256_hex(&std::fs::read(&export).unwrap());
    let res = h["resources"].as_array().unwrap();
    assert!(
        res.iter()
            .any(|r| r["name"] == "reviewed-tasks" && r["sha256"] == sha.as_str()),
        "{res:?}"
    );

    // A broken export is a clear error naming the file and the task.
    tasks[0]["annotations"][0]["result"] = json!([{"id": "x", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "nope!", "labels": ["Loaded_Language"]}}]);
    std::fs::write(&export, serde_json::to_vec(&tasks).unwrap()).unwrap();
    let (code, _, err) = unspin(
        &[
            "train",
            "techniques",
            "--no-word-vectors",
            "--no-word-classes",
            "--data",
            root.to_str().unwrap(),
            "--reviewed",
            export.to_str().unwrap(),
            "--out",
            m2.to_str().unwrap(),
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(export.to_str().unwrap()) && err.contains("task 50"),
        "{err}"
    );
}
