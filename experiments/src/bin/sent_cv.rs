//! Cross-validated quality of the span model's sentence classifier (AUC, log loss), to
//! compare sentence features in seconds instead of training the CRF.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin sent_cv -- /work/shared/data/ptc-train \
//!     [--folds 5] [--seed 2020] [--classes models/word-classes-glove100-v1.tsv.gz] \
//!     [--l2 1.0] [--class-features]
//! ```

use std::path::PathBuf;

use unspin::analyse::techniques::data::corpus::{Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::span::trainer::{SentenceConfig, sentence_cv};
use unspin::analyse::word_classes::WordClasses;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: sent_cv <corpus dir> [options]"));
    let (mut k, mut seed, mut classes) = (5usize, 2020u64, None);
    let mut cfg = SentenceConfig::default();
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--folds" => k = val().parse().expect("--folds"),
            "--seed" => seed = val().parse().expect("--seed"),
            "--l2" => cfg.l2 = val().parse().expect("--l2"),
            "--class-features" => cfg.classes = true,
            "--classes" => {
                classes = Some(WordClasses::read_tsv_gz(&PathBuf::from(val())).expect("--classes"))
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
    let all: Vec<_> = corpus.articles.iter().collect();
    let r = sentence_cv(&all, k, seed, classes.as_ref(), cfg);
    println!(
        "{} sentences, {:.3} positive: AUC {:.4}, log loss {:.4}",
        r.sentences, r.positive_rate, r.auc, r.log_loss
    );
}
