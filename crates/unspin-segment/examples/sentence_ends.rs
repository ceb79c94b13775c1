//! Lists the most frequent last words of sentences ending in `.` and first
//! words after them, to spot wrong splits at abbreviations:
//! `cargo run --release -p unspin-segment --example sentence_ends -- FILE...`

use std::collections::HashMap;
use unspin_segment::{OffsetMap, segment};

fn main() {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let map = OffsetMap::new(&text);
        let seg = segment(&text);
        for w in seg.sentences.windows(2) {
            if w[0].paragraph != w[1].paragraph {
                continue;
            }
            let s = map.slice(&text, w[0].start, w[0].end);
            let last = s.split_whitespace().last().unwrap_or("");
            let next = map.slice(&text, w[1].start, w[1].end);
            let first = next.split_whitespace().next().unwrap_or("");
            let word = last.trim_end_matches(['.', '"', '”', '’', '\'', ')']);
            if last.ends_with('.') && word.chars().count() <= 4 {
                *counts.entry(format!("{last} | {first}")).or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (k, n) in v.iter().take(150) {
        println!("{n:5} {k}");
    }
}
