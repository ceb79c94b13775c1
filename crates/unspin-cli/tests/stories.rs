//! `unspin stories` on articles built from the shared development sets
//! (../shared/data/outlets-dev): the JSONL format, a BCubed floor against the gold stories,
//! a syndicated copy marked as a copy, and stories stored in and searched from a store.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{jsonl, shared, unspin};
use serde_json::{Value, json};

/// BCubed F1 of predicted against gold labels (keys: article ids).
fn bcubed_f1(pred: &HashMap<String, String>, gold: &HashMap<String, String>) -> f64 {
    let (mut p, mut r) = (0.0, 0.0);
    for (id, g) in gold {
        let s = &pred[id];
        let same_pred: Vec<&String> = pred
            .iter()
            .filter(|(_, x)| *x == s)
            .map(|(k, _)| k)
            .collect();
        let same_gold: Vec<&String> = gold
            .iter()
            .filter(|(_, x)| *x == g)
            .map(|(k, _)| k)
            .collect();
        let both = same_pred.iter().filter(|k| gold[**k] == *g).count() as f64;
        p += both / same_pred.len() as f64;
        r += both / same_gold.len() as f64;
    }
    let n = gold.len() as f64;
    let (p, r) = (p / n, r / n);
    2.0 * p * r / (p + r)
}

/// The records of a development JSONL file.
fn records(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn stories_jsonl_groups_allsides_and_marks_a_syndicated_copy() {
    let Some(file) = shared("data/outlets-dev/allsides/stories.jsonl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // The first 40 stories (120 articles), without the fields that give the story away.
    let all = records(&file);
    let mut stories: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let mut gold = HashMap::new();
    for r in &all {
        let story = r["story"].as_str().unwrap().to_owned();
        if !stories.contains(&story) {
            if stories.len() == 40 {
                continue;
            }
            stories.push(story.clone());
        }
        let id = r["id"].as_str().unwrap().to_owned();
        lines.push(json!({
            "id": id, "title": r["title"], "text": r["text"], "outlet": r["outlet"],
            "published": r["published"], "url": r["url"],
        }));
        gold.insert(id, story);
    }
    // A syndicated copy of the first article: another outlet, a credit line, a day later.
    let original = lines[0].clone();
    let mut copy = original.clone();
    copy["id"] = json!("wire-copy");
    copy["outlet"] = json!("Wire Syndicate");
    copy["text"] = json!(format!(
        "{}\n\n(Distributed by a wire service.)",
        original["text"].as_str().unwrap()
    ));
    lines.push(copy);
    gold.insert(
        "wire-copy".into(),
        gold[original["id"].as_str().unwrap()].clone(),
    );
    let input = tmp.path().join("articles.jsonl");
    let body: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(&input, body).unwrap();
    let stories_out = tmp.path().join("stories.jsonl");
    let (code, out, err) = unspin(
        &[
            "stories",
            "--format",
            "jsonl",
            "--stories-out",
            stories_out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    let rows = jsonl(&out);
    assert_eq!(rows.len(), lines.len(), "one line per article");
    let mut pred = HashMap::new();
    for (row, line) in rows.iter().zip(&lines) {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["id", "input", "story", "copy_of"].contains(&k.as_str())),
            "{row}"
        );
        assert_eq!(row["id"], line["id"], "the record's own id, in input order");
        assert!(
            row["input"].as_str().unwrap().contains("articles.jsonl:"),
            "{row}"
        );
        pred.insert(
            row["id"].as_str().unwrap().to_owned(),
            row["story"].as_str().unwrap().to_owned(),
        );
    }
    let last = rows.last().unwrap();
    assert_eq!(
        last["copy_of"], original["id"],
        "the syndicated copy: {last}"
    );
    assert_eq!(last["story"], rows[0]["story"]);
    assert_eq!(
        rows.iter().filter(|r| r.get("copy_of").is_some()).count(),
        1,
        "only the copy is a copy"
    );
    let f1 = bcubed_f1(&pred, &gold);
    assert!(f1 >= 0.85, "BCubed F1 {f1:.3} on 40 AllSides stories");
    // The story list: every article in exactly one story, with its reasons.
    let listed = jsonl(&std::fs::read_to_string(&stories_out).unwrap());
    let mut seen = 0;
    for s in &listed {
        for key in [
            "id",
            "label",
            "size",
            "outlets",
            "articles",
            "copy_articles",
            "why",
        ] {
            assert!(s.get(key).is_some(), "{key} missing: {s}");
        }
        seen +=
            s["articles"].as_array().unwrap().len() + s["copy_articles"].as_array().unwrap().len();
    }
    assert_eq!(seen, lines.len());
    let with_copy = listed
        .iter()
        .find(|s| {
            s["copy_articles"]
                .as_array()
                .unwrap()
                .contains(&json!("wire-copy"))
        })
        .expect("the copy's story");
    assert!(
        with_copy["outlets"]
            .as_array()
            .unwrap()
            .contains(&json!("Wire Syndicate"))
    );
    assert!(!with_copy["why"]["terms"].as_array().unwrap().is_empty());
}

#[test]
fn stories_on_files_group_newswcl50_full_texts() {
    let Some(file) = shared("data/outlets-dev/newswcl50/articles.jsonl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut gold = HashMap::new();
    // Files named a0.txt … a49.txt in a shuffled order, so names tell nothing.
    for (k, r) in records(&file).iter().enumerate() {
        let name = format!("a{:02}.txt", (k * 17) % 50);
        let path = tmp.path().join(&name);
        std::fs::write(&path, r["text"].as_str().unwrap()).unwrap();
        gold.insert(
            path.to_str().unwrap().to_owned(),
            r["story"].as_str().unwrap().to_owned(),
        );
    }
    let (code, out, err) = unspin(
        &["stories", "--format", "jsonl", tmp.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 50);
    let pred: HashMap<String, String> = rows
        .iter()
        .map(|r| {
            assert_eq!(r["id"], r["input"], "a file's id is its path");
            (
                r["id"].as_str().unwrap().to_owned(),
                r["story"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let f1 = bcubed_f1(&pred, &gold);
    assert!(f1 >= 0.9, "BCubed F1 {f1:.3} on NewsWCL50");
}

#[test]
fn stories_are_stored_and_searchable() {
    let Some(file) = shared("data/outlets-dev/allsides/stories.jsonl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let lines: String = records(&file)
        .iter()
        .take(9)
        .map(|r| {
            json!({"id": r["id"], "title": r["title"], "text": r["text"],
                   "site": r["outlet"], "published": r["published"]})
            .to_string()
                + "\n"
        })
        .collect();
    let input = tmp.path().join("nine.jsonl");
    std::fs::write(&input, lines).unwrap();
    let db = tmp.path().join("corpus.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = unspin(&["index", "--db", db, input.to_str().unwrap()], None);
    assert_eq!(code, 0, "stderr: {err}");
    let (code, out, err) = unspin(&["stories", "--db", db, "--format", "jsonl"], None);
    assert_eq!(code, 0, "stderr: {err}");
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 9);
    let story = rows[0]["story"].as_str().unwrap();
    let members = rows.iter().filter(|r| r["story"] == story).count();
    let (code, out, err) = unspin(
        &["search", "--db", db, "--story", story, "--format", "json"],
        None,
    );
    assert_eq!(code, 0, "stderr: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), members, "{out}");
    let (code, _, err) = unspin(&["search", "--db", db, "--story", "s999"], None);
    assert_ne!(code, 0);
    assert!(err.contains("no story s999"), "{err}");
}
