//! Throughput of `segment` over the PTC training articles concatenated
//! (read from `<workspace>/../shared/data/ptc-train/articles`), or over
//! generated text when that folder is absent.
//!
//! `CARGO_TARGET_DIR=target-segment cargo bench -p unspin-segment --bench segment`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use unspin_segment::{OffsetMap, segment, turns};

fn corpus() -> (String, &'static str) {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-train/articles");
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut text = String::new();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                text.push_str(&t);
                text.push_str("\n\n");
            }
        }
        if !text.is_empty() {
            return (text, "ptc-train");
        }
    }
    eprintln!(
        "ptc-train not found at {}; using generated text",
        dir.display()
    );
    let mut text = String::new();
    let words = [
        "the",
        "plan",
        "Ukraine’s",
        "NATO",
        "U.S.",
        "Mr.",
        "Smith",
        "said",
        "3.5%",
        "“victory",
        "plan”",
        "would",
        "fail",
        "in",
        "Kiev",
        "and",
        "Moscow",
        "far-fetched",
        "e.g.",
        "Москва",
    ];
    let mut seed = 12345u64;
    for p in 0..20_000 {
        if p % 7 == 0 {
            text.push_str("A Short Heading\n");
        }
        for _ in 0..4 {
            let len = 8 + (seed % 20) as usize;
            for k in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let w = words[(seed >> 33) as usize % words.len()];
                if k > 0 {
                    text.push(' ');
                }
                text.push_str(w);
            }
            text.push_str(". ");
        }
        text.push('\n');
    }
    (text, "generated")
}

fn bench(c: &mut Criterion) {
    let (text, name) = corpus();
    let mut g = c.benchmark_group("segment");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function(format!("segment/{name}/{}B", text.len()), |b| {
        b.iter(|| black_box(segment(black_box(&text))))
    });
    g.bench_function(format!("turns/{name}/{}B", text.len()), |b| {
        b.iter(|| black_box(turns(black_box(&text))))
    });
    g.bench_function(format!("offset_map/{name}/{}B", text.len()), |b| {
        b.iter(|| black_box(OffsetMap::new(black_box(&text))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
