//! Cross-validated span identification (SI) on a PTC-format corpus.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin si_cv -- /work/shared/data/ptc-train \
//!     [--folds 5] [--seed 2020] [--scheme bio|io|grouped|length3|length4|length5] [--l2 1.0] [--iters 150] \
//!     [--min-count 3] [--no-lexicon] [--no-sentence] [--token-model] [--no-crf-lexical] \
//!     [--token-l2 4] [--prune 0.01] [--min-score 0.0] [--only-folds N] \
//!     [--thresholds 0.15,0.2,0.25] [--gaps 1,3] [--extends 1,0.6] \
//!     [--classes models/word-classes-glove100-v1.tsv.gz] [--save DIR | --load DIR] [--train-all] \
//!     [--dump FILE] [--ensemble DIR ...] [--alpha A] [--sentence-l2 1.0] [--sentence-classes] \
//!     [--word-vectors models/word-vectors-glove100-v1.unspin] [--dense-weight 0.5]
//! ```
//!
//! `--ensemble DIR` (repeatable) averages the token marginals of the fold models saved in
//! DIR (by `--save`) with the current ones before decoding. `--alpha A` scales each
//! article's marginals by `(0.1 / article mean)^A` before decoding (A < 0 favours articles
//! the model finds dense in techniques). `--word-vectors FILE` trains the neural tagger beside
//! the CRF and averages it in with weight `--dense-weight` (as `unspin train techniques`).
//!
//! The decoding grid is thresholds × gaps × extends. `--save`/`--load` cache the fold
//! models (JSON) so decoding grids can be re-run without training. `--train-all` trains on
//! every article and times training and single-thread prediction instead. `--dump FILE`
//! appends the held-out predictions at the first decoding setting (`ID<TAB>start<TAB>end`).
//!
//! Trains one model per fold (`Corpus::folds(k, seed)`), predicts the held-out articles and
//! prints, for each decision threshold, the task's SI precision/recall/F1 pooled over the
//! folds and the predicted span count and length against gold.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use unspin::analyse::techniques::data::corpus::{Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::eval::metrics::{DistributionAccumulator, SiAccumulator, Span};
use unspin::analyse::techniques::span::model::{DecodeConfig, LabelScheme, SpanModel};
use unspin::analyse::techniques::span::trainer::SpanTrainConfig;

/// A comma-separated list of numbers given to `flag`.
fn list<T: std::str::FromStr>(value: &str, flag: &str) -> Vec<T> {
    value
        .split(',')
        .map(|t| {
            t.parse()
                .unwrap_or_else(|_| panic!("{flag}: bad value {t:?}"))
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: si_cv <corpus dir> [options]"));
    let mut cfg = SpanTrainConfig::default();
    let mut k = 5usize;
    let mut fold_seed = 2020u64;
    let mut thresholds: Vec<f32> = vec![0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
    let mut max_folds = usize::MAX;
    let mut gaps: Vec<usize> = vec![cfg.decode.max_gap];
    let mut extends: Vec<f32> = vec![cfg.decode.extend];
    let mut splits: Vec<f32> = vec![cfg.decode.split_begin];
    let mut save: Option<PathBuf> = None;
    let mut load: Option<PathBuf> = None;
    let mut train_all = false;
    let mut dump: Option<PathBuf> = None;
    let mut ensemble: Vec<PathBuf> = Vec::new();
    let mut alpha = 0.0f32;
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
                    "grouped" => LabelScheme::BioGrouped,
                    "length3" => LabelScheme::BioLength3,
                    "length4" => LabelScheme::BioLength4,
                    "length5" => LabelScheme::BioLength5,
                    _ => LabelScheme::Bio,
                }
            }
            "--l2" => cfg.l2 = val().parse().expect("--l2"),
            "--iters" => cfg.max_iters = val().parse().expect("--iters"),
            "--min-count" => cfg.min_feature_count = val().parse().expect("--min-count"),
            "--prune" => cfg.prune_weight = val().parse().expect("--prune"),
            "--no-lexicon" => cfg.lexicon = false,
            "--no-sentence" => cfg.sentence_model = false,
            "--sentence-l2" => cfg.sentence.l2 = val().parse().expect("--sentence-l2"),
            "--sentence-classes" => cfg.sentence.classes = true,
            "--token-model" => cfg.token_model = true,
            "--no-crf-lexical" => cfg.crf_raw_lexical = false,
            "--token-l2" => cfg.token_l2 = val().parse().expect("--token-l2"),
            "--max-gap" => cfg.decode.max_gap = val().parse().expect("--max-gap"),
            "--min-score" => cfg.decode.min_score = val().parse().expect("--min-score"),
            "--gaps" => gaps = list(&val(), "--gaps"),
            "--splits" => splits = list(&val(), "--splits"),
            "--extends" => extends = list(&val(), "--extends"),
            "--classes" => {
                let wc = unspin::analyse::word_classes::WordClasses::read_tsv_gz(
                    std::path::Path::new(&val()),
                )
                .expect("--classes");
                cfg.word_classes = Some(std::sync::Arc::new(wc));
            }
            "--word-vectors" => {
                let v = unspin::analyse::word_vectors::read(std::path::Path::new(&val()))
                    .expect("--word-vectors");
                cfg.word_vectors = Some(std::sync::Arc::new(v.model));
            }
            "--dense-weight" => cfg.dense_weight = val().parse().expect("--dense-weight"),
            "--train-all" => train_all = true,
            "--dump" => dump = Some(PathBuf::from(val())),
            "--save" => save = Some(PathBuf::from(val())),
            "--load" => load = Some(PathBuf::from(val())),
            "--ensemble" => ensemble.push(PathBuf::from(val())),
            "--alpha" => alpha = val().parse().expect("--alpha"),
            "--thresholds" => thresholds = list(&val(), "--thresholds"),
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
    eprintln!(
        "{} articles, config {:?}, word classes: {}",
        corpus.len(),
        SpanTrainConfig {
            word_classes: None,
            ..cfg.clone()
        },
        cfg.word_classes.as_ref().map_or(0, |c| c.len())
    );
    if train_all {
        // Train on every article (timing, size), then time `predict` on one thread.
        let all: Vec<_> = corpus.articles.iter().collect();
        let t0 = Instant::now();
        let model = SpanModel::train(&all, &cfg);
        let secs = t0.elapsed().as_secs_f64();
        let json = serde_json::to_vec(&model).expect("json").len();
        println!(
            "trained on {} articles in {secs:.1}s ({} rayon threads), {} feature rows, ~{:.2} MB binary, {:.2} MB JSON",
            all.len(),
            rayon::current_num_threads(),
            model.n_features(),
            model.approx_size_bytes() as f64 / 1e6,
            json as f64 / 1e6
        );
        let segs: Vec<_> = all
            .iter()
            .map(|a| unspin::segment::segment(&a.text))
            .collect();
        let t1 = Instant::now();
        let n: usize = all
            .iter()
            .zip(&segs)
            .map(|(a, s)| model.predict(&a.text, s).len())
            .sum();
        let p = t1.elapsed().as_secs_f64();
        let t2 = Instant::now();
        for a in &all {
            std::hint::black_box(unspin::segment::segment(&a.text));
        }
        let s = t2.elapsed().as_secs_f64();
        println!(
            "predict (given segmentation): {:.0} articles/s on one thread; segmentation alone {:.0} articles/s; {n} spans",
            all.len() as f64 / p,
            all.len() as f64 / s
        );
        return;
    }
    let folds = corpus.folds(k, fold_seed);
    let mut grid: Vec<DecodeConfig> = Vec::new();
    for &g in &gaps {
        for &e in &extends {
            for &sb in &splits {
                for &t in &thresholds {
                    grid.push(DecodeConfig {
                        threshold: t,
                        max_gap: g,
                        extend: e,
                        split_begin: sb,
                        ..cfg.decode
                    });
                }
            }
        }
    }
    let mut si: Vec<SiAccumulator> = vec![SiAccumulator::new(); grid.len()];
    let mut dist: Vec<DistributionAccumulator> = vec![DistributionAccumulator::new(); grid.len()];
    let mut train_secs = 0.0;
    let mut predict_secs = 0.0;
    let mut n_pred_articles = 0;
    for (f, test) in folds.iter().enumerate().take(max_folds) {
        let train: Vec<_> = (0..corpus.len())
            .filter(|i| !test.contains(i))
            .map(|i| &corpus.articles[i])
            .collect();
        let t0 = Instant::now();
        let cache = |d: &PathBuf| d.join(format!("si-fold{f}.json"));
        let model: SpanModel = match &load {
            Some(d) => {
                serde_json::from_str(&std::fs::read_to_string(cache(d)).expect("read model"))
                    .expect("parse model")
            }
            None => SpanModel::train(&train, &cfg),
        };
        if let Some(d) = &save {
            std::fs::create_dir_all(d).expect("save dir");
            std::fs::write(cache(d), serde_json::to_string(&model).expect("json")).expect("write");
        }
        let members: Vec<SpanModel> = ensemble
            .iter()
            .map(|d| {
                serde_json::from_str(&std::fs::read_to_string(cache(d)).expect("read member"))
                    .expect("parse member")
            })
            .collect();
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
                let mut scores = model.token_scores(&a.text, &seg);
                if !members.is_empty() {
                    let n = (members.len() + 1) as f32;
                    for m in &members {
                        let s = m.token_scores(&a.text, &seg);
                        for (x, y) in scores.p_in.iter_mut().zip(&s.p_in) {
                            *x += y;
                        }
                        for (x, y) in scores.p_begin.iter_mut().zip(&s.p_begin) {
                            *x += y;
                        }
                    }
                    scores.p_in.iter_mut().for_each(|x| *x /= n);
                    scores.p_begin.iter_mut().for_each(|x| *x /= n);
                }
                if alpha != 0.0 && !scores.p_in.is_empty() {
                    let m = scores.p_in.iter().sum::<f32>() / scores.p_in.len() as f32;
                    let f = (0.1 / m.max(1e-3)).powf(alpha);
                    scores.p_in.iter_mut().for_each(|x| *x *= f);
                    scores.p_begin.iter_mut().for_each(|x| *x *= f);
                }
                grid.iter()
                    .map(|d| {
                        model
                            .decode(&a.text, &scores, d)
                            .iter()
                            .map(|p| Span::new(p.start, p.end))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        predict_secs += t1.elapsed().as_secs_f64();
        // Single-thread speed of `predict` (segmentation, features, CRF, decoding, cues).
        let t2 = Instant::now();
        let mut n_spans = 0;
        for &i in test {
            let a = &corpus.articles[i];
            let seg = unspin::segment::segment(&a.text);
            n_spans += model.predict(&a.text, &seg).len();
        }
        eprintln!(
            "fold {f}: predict {:.0} articles/s on one thread ({n_spans} spans at the default threshold {})",
            test.len() as f64 / t2.elapsed().as_secs_f64(),
            model.threshold()
        );
        n_pred_articles += test.len();
        if let Some(path) = &dump {
            use std::io::Write;
            let mut out = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("--dump file");
            for (&i, p) in test.iter().zip(&preds) {
                for s in &p[0] {
                    writeln!(out, "{}\t{}\t{}", corpus.articles[i].id, s.start, s.end)
                        .expect("write --dump");
                }
            }
        }
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
        "thresh gap extend split      P      R     F1   pred/gold spans  mean len pred/gold  median len pred/gold"
    );
    for (ti, g) in grid.iter().enumerate() {
        let s = si[ti].score();
        let d = dist[ti].score();
        println!(
            "{:6.3} {:3} {:6.2} {:5.2} {:6.3} {:6.3} {:6.3}   {:6}/{:6}      {:6.1}/{:6.1}      {:6.1}/{:6.1}",
            g.threshold,
            g.max_gap,
            g.extend,
            g.split_begin,
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
