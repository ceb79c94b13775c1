//! Cross-validated span identification (SI) on a PTC-format corpus.
//!
//! ```text
//! cargo run --release -p unspin --example si_cv -- /work/shared/data/ptc-train \
//!     [--folds 5] [--seed 2020] [--scheme bio|io] [--l2 1.0] [--iters 120] \
//!     [--min-count 3] [--no-lexicon] [--no-sentence] [--max-gap 1] \
//!     [--thresholds 0.2,0.25,0.3,0.35,0.4] [--min-score 0.0]
//! ```
//!
//! Trains one model per fold (`Corpus::folds(k, seed)`), predicts the held-out articles and
//! prints, for each decision threshold, the task's SI precision/recall/F1 pooled over the
//! folds and the predicted span count and length against gold.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use unspin::analyse::techniques::corpus::{Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::metrics::{DistributionAccumulator, SiAccumulator, Span};
use unspin::analyse::techniques::span_model::{DecodeConfig, LabelScheme, SpanModel};
use unspin::analyse::techniques::span_trainer::SpanTrainConfig;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: si_cv <corpus dir> [options]"));
    let mut cfg = SpanTrainConfig::default();
    let mut k = 5usize;
    let mut fold_seed = 2020u64;
    let mut thresholds: Vec<f32> = vec![0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
    let mut max_folds = usize::MAX;
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--folds" => k = val().parse().expect("--folds"),
            "--only-folds" => max_folds = val().parse().expect("--only-folds"),
            "--seed" => {
                fold_seed = val().parse().expect("--seed");
                cfg.seed = fold_seed;
            }
            "--scheme" => {
                cfg.scheme = match val().as_str() {
                    "io" => LabelScheme::Io,
                    _ => LabelScheme::Bio,
                }
            }
            "--l2" => cfg.l2 = val().parse().expect("--l2"),
            "--iters" => cfg.max_iters = val().parse().expect("--iters"),
            "--min-count" => cfg.min_feature_count = val().parse().expect("--min-count"),
            "--prune" => cfg.prune_weight = val().parse().expect("--prune"),
            "--no-lexicon" => cfg.lexicon = false,
            "--no-sentence" => cfg.sentence_model = false,
            "--max-gap" => cfg.decode.max_gap = val().parse().expect("--max-gap"),
            "--min-score" => cfg.decode.min_score = val().parse().expect("--min-score"),
            "--thresholds" => {
                thresholds = val()
                    .split(',')
                    .map(|t| t.parse().expect("--thresholds"))
                    .collect()
            }
            other => panic!("unknown option {other}"),
        }
    }
    let corpus = Corpus::load_with(
        &dir,
        LoadOptions {
            out_of_range: OutOfRangePolicy::Clamp,
        },
    )
    .expect("load corpus");
    eprintln!("{} articles, config {cfg:?}", corpus.len());
    let folds = corpus.folds(k, fold_seed);
    let mut si: Vec<SiAccumulator> = vec![SiAccumulator::new(); thresholds.len()];
    let mut dist: Vec<DistributionAccumulator> =
        vec![DistributionAccumulator::new(); thresholds.len()];
    let mut train_secs = 0.0;
    let mut predict_secs = 0.0;
    let mut n_pred_articles = 0;
    for (f, test) in folds.iter().enumerate().take(max_folds) {
        let train: Vec<_> = (0..corpus.len())
            .filter(|i| !test.contains(i))
            .map(|i| &corpus.articles[i])
            .collect();
        let t0 = Instant::now();
        let model = SpanModel::train(&train, &cfg);
        let secs = t0.elapsed().as_secs_f64();
        train_secs += secs;
        eprintln!(
            "fold {f}: trained on {} articles in {secs:.1}s, {} feature rows, ~{:.1} MB",
            train.len(),
            model.n_features(),
            model.approx_size_bytes() as f64 / 1e6
        );
        let t1 = Instant::now();
        let preds: Vec<Vec<Vec<Span>>> = test
            .par_iter()
            .map(|&i| {
                let a = &corpus.articles[i];
                let seg = unspin::segment::segment(&a.text);
                let scores = model.token_scores(&a.text, &seg);
                thresholds
                    .iter()
                    .map(|&t| {
                        let d = DecodeConfig {
                            threshold: t,
                            ..model.decode_config()
                        };
                        model
                            .decode(&a.text, &scores, &d)
                            .iter()
                            .map(|p| Span::new(p.start, p.end))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        predict_secs += t1.elapsed().as_secs_f64();
        n_pred_articles += test.len();
        for (&i, p) in test.iter().zip(&preds) {
            let a = &corpus.articles[i];
            let gold = a.si_spans.clone().unwrap_or_default();
            for (ti, spans) in p.iter().enumerate() {
                si[ti].add(&gold, spans);
                dist[ti].add(&gold, spans);
            }
        }
    }
    println!(
        "train {:.1}s total ({:.1}s/fold); predict+decode {:.0} articles/s (all thresholds, incl. cues)",
        train_secs,
        train_secs / folds.len().min(max_folds) as f64,
        n_pred_articles as f64 / predict_secs
    );
    println!(
        "thresh      P      R     F1   pred/gold spans  mean len pred/gold  median len pred/gold"
    );
    for (ti, t) in thresholds.iter().enumerate() {
        let s = si[ti].score();
        let d = dist[ti].score();
        println!(
            "{t:6.3} {:6.3} {:6.3} {:6.3}   {:6}/{:6}      {:6.1}/{:6.1}      {:6.1}/{:6.1}",
            s.prf.precision,
            s.prf.recall,
            s.prf.f1,
            d.pred.spans,
            d.gold.spans,
            d.pred.length.mean,
            d.gold.length.mean,
            d.pred.length.median,
            d.gold.length.median,
        );
    }
}
