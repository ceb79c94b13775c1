//! What the experiment drivers share: the labelled data as `unspin eval techniques` reads it.

use std::path::Path;

use unspin::analyse::techniques::data::corpus::{Article, Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::data::extra;

/// The shared data folder.
pub const DATA: &str = "/work/shared/data";

/// ptc-train + ptc-dev (the 446 scored articles), spans past an article's end clamped.
pub fn load_ptc_446() -> Corpus {
    let opts = LoadOptions {
        out_of_range: OutOfRangePolicy::Clamp,
    };
    let mut corpus = Corpus::load_with(&Path::new(DATA).join("ptc-train"), opts).unwrap();
    corpus
        .extend(Corpus::load_with(&Path::new(DATA).join("ptc-dev"), opts).unwrap())
        .unwrap();
    corpus
}

/// The training-only sets of the shipped mix: CheckThat! 2024 articles and meme texts.
pub fn load_extras() -> Vec<Article> {
    let mut out = Vec::new();
    for p in [
        "persuasion-extra/checkthat24-en",
        "persuasion-extra/memes-2021/memes.jsonl",
    ] {
        out.extend(extra::load(&Path::new(DATA).join(p)).unwrap());
    }
    out
}
