//! `compare` on real coverage: NewsWCL50's events, each told by five US outlets
//! (../shared/data/outlets-dev/newswcl50, read at test time; skipped with a message when
//! absent).

use std::path::PathBuf;

use unspin_compare::{Coverage, Version, compare, render};

fn articles() -> Option<Vec<serde_json::Value>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/outlets-dev/newswcl50/articles.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    };
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect(),
    )
}

fn version(a: &serde_json::Value) -> Version {
    let mut doc = unspin::Document::from_text(a["text"].as_str().unwrap().to_owned());
    doc.source.title = a["title"].as_str().map(str::to_owned);
    doc.source.site = a["outlet"].as_str().map(str::to_owned);
    let analysis = unspin::analyze(&doc).expect("the article analyses");
    Version::new(a["outlet"].as_str().unwrap(), analysis)
}

#[test]
fn five_outlets_on_one_event_are_more_alike_than_two_events() {
    let Some(all) = articles() else { return };
    let event = |e: &str| -> Vec<Version> {
        all.iter()
            .filter(|a| a["story"] == e)
            .map(version)
            .collect()
    };
    let one = event("event_3");
    assert_eq!(one.len(), 5);
    let c = compare(&one);
    assert_eq!(c.pairs.len(), 10);
    assert!(c.pairs.iter().all(|p| (0.0..=1.0).contains(&p.similarity)));
    // Offsets of every aligned statement slice its version's text.
    for claim in &c.claims {
        for s in &claim.statements {
            let v = one.iter().find(|v| v.label == s.version).unwrap();
            let got: String = v
                .analysis
                .text
                .chars()
                .skip(s.start)
                .take(s.end - s.start)
                .collect();
            assert_eq!(got, s.text);
        }
    }
    assert!(
        c.actors.iter().any(|a| a.naming.len() >= 4),
        "an actor of the event is named by most outlets: {:?}",
        c.actors
            .iter()
            .map(|a| (&a.name, a.naming.len()))
            .take(5)
            .collect::<Vec<_>>()
    );
    assert!(c.claims.iter().any(|a| a.coverage != Coverage::One));
    // The same outlets on another event: pairs across events are less alike.
    let other = event("event_7");
    let mut mixed = vec![one[0].clone(), other[0].clone()];
    mixed[1].label.push_str(" (other event)");
    let across = compare(&mixed).pairs[0].similarity;
    let within: f64 = c.pairs.iter().map(|p| p.similarity).sum::<f64>() / c.pairs.len() as f64;
    assert!(
        within > across + 0.1,
        "within {within:.3}, across {across:.3}"
    );
    // The renderers print every version.
    let text = render::text::render(&c);
    let html = render::html::render(&c);
    for v in &one {
        assert!(text.contains(&v.label) && html.contains(&v.label));
    }
    let json: serde_json::Value = serde_json::from_str(&render::json(&c)).unwrap();
    assert_eq!(json["pairs"].as_array().unwrap().len(), 10);
    assert!(json["pairs"][0]["a"].is_string() && json["pairs"][0]["similarity"].is_number());
}
