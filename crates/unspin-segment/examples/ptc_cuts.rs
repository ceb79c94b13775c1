//! Measures how many gold PTC technique spans are cut by a sentence boundary.
//!
//! `cargo run --release -p unspin-segment --example ptc_cuts [-- DIR] [--show N]`
//!
//! DIR defaults to `<workspace>/../shared/data/ptc-train`. A span is *cut by
//! a sentence boundary* when its first and last non-space characters fall in
//! different sentences (or outside any sentence); it is *cut by a paragraph
//! boundary* when they fall in different paragraphs. Spans crossing a
//! paragraph are inherent to the annotation and reported separately.

use std::collections::HashMap;
use std::path::PathBuf;
use unspin_segment::{OffsetMap, segment};

fn main() {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-train");
    let mut show = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
        } else {
            dir = PathBuf::from(a);
        }
    }
    let tsv = match std::fs::read_to_string(dir.join("techniques.tsv")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipping: cannot read {}: {e}", dir.display());
            return;
        }
    };
    let mut spans: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for line in tsv.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let (Ok(s), Ok(e)) = (f[2].parse(), f[3].parse()) else {
            continue;
        };
        spans.entry(f[0].to_string()).or_default().push((s, e));
    }
    let (mut total, mut cut_sent, mut cut_para, mut sentences, mut articles) = (0, 0, 0, 0, 0);
    let mut shown = 0;
    let mut ids: Vec<_> = spans.keys().cloned().collect();
    ids.sort();
    for id in ids {
        let path = dir.join("articles").join(format!("article{id}.txt"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        articles += 1;
        let map = OffsetMap::new(&text);
        let chars: Vec<char> = text.chars().collect();
        let seg = segment(&text);
        sentences += seg.sentences.len();
        // sentence index of every char (usize::MAX outside sentences)
        let mut sent_of = vec![usize::MAX; chars.len()];
        for (k, s) in seg.sentences.iter().enumerate() {
            sent_of[s.start..s.end].fill(k);
        }
        for &(s, e) in &spans[&id] {
            let e = e.min(chars.len());
            let (mut a, mut b) = (s, e);
            while a < b && chars[a].is_whitespace() {
                a += 1;
            }
            while b > a && chars[b - 1].is_whitespace() {
                b -= 1;
            }
            if a >= b {
                continue;
            }
            total += 1;
            let (sa, sb) = (sent_of[a], sent_of[b - 1]);
            let pa = seg
                .paragraphs
                .iter()
                .position(|p| p.start <= a && a < p.end);
            let pb = seg
                .paragraphs
                .iter()
                .position(|p| p.start < b && b <= p.end);
            if pa != pb {
                cut_para += 1;
            }
            if sa != sb || sa == usize::MAX {
                cut_sent += 1;
                if pa == pb && shown < show {
                    shown += 1;
                    println!(
                        "--- article{id} [{s},{e}): {}",
                        map.slice(&text, a, b).replace('\n', "⏎")
                    );
                }
            }
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!("articles: {articles}, sentences: {sentences}, gold technique spans: {total}");
    println!(
        "cut by a sentence boundary: {cut_sent} ({:.2}%)",
        pct(cut_sent)
    );
    println!(
        "  of which also cross a paragraph boundary: {cut_para} ({:.2}%)",
        pct(cut_para)
    );
    println!(
        "  cut by a sentence boundary inside one paragraph: {} ({:.2}%)",
        cut_sent - cut_para,
        pct(cut_sent - cut_para)
    );
}
