//! Cross-validates the technique classifier (TC) with and without contextual-encoder
//! features, by article, over ptc-train + ptc-dev (5 folds, seed 0), extra sets only in
//! the training folds.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin ctx_tc_cv -- CACHE_DIR [--extras] VARIANT...
//! ```
//!
//! `CACHE_DIR` holds encoder outputs written by `ctx_cache`. A variant is `base` (the
//! shipped configuration) or `ctx:SCALE` / `ctx:SCALE:s` (plus the span's mean vector times
//! SCALE; `:s` adds the sentence's mean vector too).

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use unspin::analyse::context::ContextCache;
use unspin::analyse::techniques::classify::model::{
    ClassifierTrainConfig, ContextFeatures, TechniqueClassifier,
};
use unspin::analyse::techniques::data::corpus::{Article, GoldSpan};
use unspin::analyse::techniques::eval::metrics::TcAccumulator;
use unspin::analyse::word_classes::WordClasses;
use unspin::segment::segment;

const CLASSES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/word-classes-glove100-v1.tsv.gz"
);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cache = Arc::new(
        ContextCache::default()
            .with_dir(Path::new(&args[0]))
            .in_memory(),
    );
    let extras = args.iter().any(|a| a == "--extras");
    let corpus = unspin_experiments::load_ptc_446();
    let extra_arts: Vec<Article> = if extras {
        unspin_experiments::load_extras()
    } else {
        Vec::new()
    };
    let folds = corpus.folds(5, 0);
    let wc = Arc::new(WordClasses::read_tsv_gz(Path::new(CLASSES)).unwrap());
    println!(
        "{} articles (+{} training-only), 5 folds",
        corpus.len(),
        extra_arts.len()
    );
    for v in args.iter().skip(1).filter(|a| !a.starts_with("--")) {
        let mut cfg = ClassifierTrainConfig {
            word_classes: Some(wc.clone()),
            ..ClassifierTrainConfig::default()
        };
        if let Some(rest) = v.strip_prefix("ctx:") {
            let mut it = rest.split(':');
            let scale: f32 = it.next().unwrap().parse().unwrap();
            cfg.context = Some(ContextFeatures {
                cache: cache.clone(),
                scale,
                sentence: it.next() == Some("s"),
            });
        }
        let t = std::time::Instant::now();
        let accs: Vec<TcAccumulator> = folds
            .par_iter()
            .map(|test| {
                let mut train: Vec<&Article> = (0..corpus.len())
                    .filter(|i| !test.contains(i))
                    .map(|i| &corpus.articles[i])
                    .collect();
                train.extend(extra_arts.iter());
                let model = TechniqueClassifier::train(&train, &cfg);
                let mut acc = TcAccumulator::new();
                for &i in test {
                    let a = &corpus.articles[i];
                    let ranges: Vec<(usize, usize)> =
                        a.spans.iter().map(|s| (s.start, s.end)).collect();
                    let out = model.classify(&a.text, &segment(&a.text), &ranges);
                    let pred: Vec<GoldSpan> = ranges
                        .iter()
                        .zip(&out)
                        .map(|(&(start, end), c)| GoldSpan {
                            start,
                            end,
                            technique: c.technique(),
                        })
                        .collect();
                    acc.add(&a.spans, &pred);
                }
                acc
            })
            .collect();
        let mut acc = TcAccumulator::new();
        for a in &accs {
            acc.merge(a);
        }
        let s = acc.score();
        println!(
            "{v:<16} TC micro-F1 {:.4}  macro-F1 {:.4}  ({:.0} s)",
            s.micro.f1,
            s.macro_f1,
            t.elapsed().as_secs_f64()
        );
    }
}
