//! `unspin eval techniques` with the contextual encoder's vectors as further inputs:
//! cross-validates the whole detector by article over ptc-train + ptc-dev (5 folds), the
//! shipped training mix (CheckThat! 2024 and meme texts training the classifier only).
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin ctx_eval -- CACHE_DIR [--span] [--tc SCALE] [--tc-sentence]
//! ```
//!
//! `CACHE_DIR` holds encoder outputs written by `ctx_cache`. `--span` gives the span
//! model's neural tagger each token's contextual vector; `--tc SCALE` gives the classifier
//! each span's mean vector times SCALE (`--tc-sentence`: and its sentence's). With neither,
//! this is the shipped configuration (the baseline).

use std::path::Path;
use std::sync::Arc;

use unspin::analyse::context::{ContextCache, ContextHandle};
use unspin::analyse::techniques::classify::model::ContextFeatures;
use unspin::analyse::techniques::eval::cv::cross_validate;
use unspin::analyse::techniques::trainer::{TrainConfig, TrainingOnly};
use unspin::analyse::word_classes::WordClasses;
use unspin::analyse::word_vectors;

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../models");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cache = Arc::new(
        ContextCache::default()
            .with_dir(Path::new(&args[0]))
            .in_memory(),
    );
    let corpus = unspin_experiments::load_ptc_446();
    let other = unspin_experiments::load_extras();
    let extra = TrainingOnly {
        same_scheme: Vec::new(),
        other_scheme: other,
    };
    let models = Path::new(MODELS);
    let wc = WordClasses::read_tsv_gz(&models.join("word-classes-glove100-v1.tsv.gz")).unwrap();
    let wv = word_vectors::read(&models.join(word_vectors::DEFAULT_WORD_VECTORS_FILE)).unwrap();
    let mut cfg = TrainConfig::default().with_word_classes(Arc::new(wc));
    cfg.span.word_vectors = Some(Arc::new(wv.model));
    let mut label = String::from("base");
    if args.iter().any(|a| a == "--span") {
        cfg.span.context = Some(ContextHandle(cache.clone()));
        label.push_str(" +span");
    }
    if let Some(i) = args.iter().position(|a| a == "--tc") {
        let scale: f32 = args[i + 1].parse().unwrap();
        let sentence = args.iter().any(|a| a == "--tc-sentence");
        cfg.classifier.context = Some(ContextFeatures {
            cache: cache.clone(),
            scale,
            sentence,
        });
        label.push_str(&format!(" +tc{scale}{}", if sentence { "s" } else { "" }));
    }
    let r = cross_validate(&corpus, &extra, 5, &cfg);
    println!(
        "{label}: SI {:.4} (P {:.4} R {:.4})  TC {:.4}  full {:.4}  sentence F1 {:.4}  ({:.0} s)",
        r.si.prf.f1,
        r.si.prf.precision,
        r.si.prf.recall,
        r.tc.micro.f1,
        r.flc.overall.prf.f1,
        r.sentence.f1,
        r.seconds
    );
}
