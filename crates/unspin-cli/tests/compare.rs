//! `unspin compare` end to end: versions read from JSONL, files and a store (by id, or a
//! stored story with `--story`); the JSON's pairs; a bad version reported and skipped;
//! fewer than two versions refused.

mod common;

use common::{cp_slice, jsonl, shared, unspin};

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

/// Two reports of one ferry contract, a syndicated copy of the first, two of a bridge
/// closure and one of a festival (written for this test).
fn store_lines() -> String {
    let ferry_a = "The harbour board of Port Elling awarded the new ferry contract to Northwind \
        Marine on Tuesday, ending a year of disputes over the crossing. Board chair Anna Keller \
        said the deal would cost the town 14 million euros over ten years and bring two new \
        vessels into service next spring. Opposition councillor Tomas Brandt called the \
        tender rushed and said residents had not been consulted about higher fares.\n\n\
        Northwind Marine said the first boat would sail in April.";
    let ferry_b = "Port Elling's harbour board has given the ferry contract to Northwind Marine, \
        Anna Keller, the board's chair, announced on Tuesday after a year of disputes over the \
        crossing. The deal will cost 14 million euros over ten years, she said, and two new \
        vessels will enter service next spring. Councillor Tomas Brandt said the tender was \
        rushed and that residents were never asked about higher fares.\n\n\
        The company expects its first boat to sail in April.";
    let bridge_a = "The Aldermoor river bridge will close for six weeks from Monday while \
        engineers replace its corroded bearings, the county roads office said. Drivers will be \
        sent on a 12-kilometre diversion through Halsby, and buses will run every twenty \
        minutes. Roads officer Priya Nandakumar said the repairs could not wait until summer \
        because inspectors found cracks in two supports.";
    let bridge_b = "Engineers will shut the Aldermoor river bridge for six weeks starting Monday \
        to replace corroded bearings after inspectors found cracks in two supports, said Priya \
        Nandakumar of the county roads office. A 12-kilometre diversion through Halsby will \
        carry traffic, with buses every twenty minutes, she said.";
    let festival = "The lantern festival in Greywick drew record crowds on Saturday night as \
        musicians, jugglers and food stalls filled the old market square until midnight. \
        Organisers counted more than nine thousand visitors and said next year's festival \
        would add a second stage by the canal.";
    [
        ("ferry-a", ferry_a, "2024-03-05"),
        ("ferry-b", ferry_b, "2024-03-05"),
        ("ferry-copy", ferry_a, "2024-03-06"),
        ("bridge-a", bridge_a, "2024-03-08"),
        ("bridge-b", bridge_b, "2024-03-08"),
        ("festival", festival, "2024-03-09"),
    ]
    .iter()
    .map(|(id, text, day)| {
        serde_json::json!({"id": id, "text": text, "published": day, "site": format!("{id}.example")})
            .to_string()
            + "\n"
    })
    .collect()
}

#[test]
fn a_stored_story_and_stored_ids_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    std::fs::write(&input, store_lines()).unwrap();
    let db = dir.path().join("corpus.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = unspin(
        &["index", "--quiet", "--db", db, input.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = unspin(
        &["stories", "--quiet", "--db", db, "--format", "jsonl"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let rows = jsonl(&out);
    let story_of = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {out}"))["story"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let ferry = story_of("ferry-a");
    assert_eq!(story_of("ferry-b"), ferry, "{out}");
    assert_eq!(story_of("ferry-copy"), ferry, "{out}");
    assert!(
        rows.iter()
            .any(|r| r["id"] == "ferry-copy" && r["copy_of"] == "ferry-a"),
        "{out}"
    );
    // The story's two articles, the copy left out and named.
    let (code, out, err) = unspin(
        &[
            "compare", "--quiet", "--format", "json", "--db", db, "--story", &ferry,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("leaving out 1 copy"), "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    let labels: Vec<&str> = c["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(
        labels[0].starts_with("ferry-a (#") && labels[1].starts_with("ferry-b (#"),
        "{labels:?}"
    );
    assert_eq!(c["pairs"].as_array().unwrap().len(), 1);
    assert!(
        c["pairs"][0]["similarity"].as_f64().unwrap() > 0.5,
        "{}",
        c["pairs"]
    );
    // Stored documents by id, beside a stored story: ids keep their place, the story follows.
    let id = |label: &str| {
        label
            .rsplit("(#")
            .next()
            .unwrap()
            .trim_end_matches(')')
            .to_owned()
    };
    let bridge = story_of("bridge-a");
    let (code, out, err) = unspin(
        &[
            "compare",
            "--quiet",
            "--format",
            "json",
            "--db",
            db,
            "--story",
            &bridge,
            &id(labels[1]),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<&str> = c["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap().split(" (#").next().unwrap())
        .collect();
    assert_eq!(got, ["ferry-b", "bridge-a", "bridge-b"]);
    let (code, out, err) = unspin(
        &[
            "compare",
            "--quiet",
            "--format",
            "json",
            "--db",
            db,
            &id(labels[0]),
            &id(labels[1]),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["pairs"][0]["a"], labels[0]);
    // Refusals: an unknown story, a story of one article, --story without --db, nothing.
    let (code, _, err) = unspin(&["compare", "--db", db, "--story", "s999"], None);
    assert_ne!(code, 0);
    assert!(err.contains("no story s999"), "{err}");
    let festival = story_of("festival");
    let (code, _, err) = unspin(&["compare", "--db", db, "--story", &festival], None);
    assert_ne!(code, 0);
    assert!(
        err.contains("has 1 article") && err.contains("at least two"),
        "{err}"
    );
    let (code, _, err) = unspin(&["compare", "--story", &festival], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--db"), "{err}");
    let (code, _, err) = unspin(&["compare"], None);
    assert_eq!(code, 2, "{err}");
}
