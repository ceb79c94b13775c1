//! Prints the comparison of one NewsWCL50 event's five versions (text report, or JSON with
//! `--json`): `cargo run --release -p unspin-compare --example newswcl50_event -- event_3`.

use unspin_compare::{Version, compare, render};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let event = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "event_0".into());
    let path = "../shared/data/outlets-dev/newswcl50/articles.jsonl";
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let versions: Vec<Version> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|a| a["story"] == event.as_str())
        .map(|a| {
            let mut doc = unspin::Document::from_text(a["text"].as_str().unwrap_or("").to_owned());
            doc.source.title = a["title"].as_str().map(str::to_owned);
            doc.source.site = a["outlet"].as_str().map(str::to_owned);
            Version::new(
                a["outlet"].as_str().unwrap_or("?"),
                unspin::analyze(&doc).expect("analysis"),
            )
        })
        .collect();
    let c = compare(&versions);
    if args.iter().any(|a| a == "--json") {
        println!("{}", render::json(&c));
    } else {
        print!("{}", render::text::render(&c));
    }
}
