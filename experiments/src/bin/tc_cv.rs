//! Cross-validates the technique classifier (TC) on a PTC-format corpus, by article.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release -p unspin-experiments --bin tc_cv -- /work/shared/data/ptc-train [VARIANT...]
//! ```
//!
//! For each variant (all of them when none is named) prints the 5-fold cross-validated
//! micro-F1 over gold spans, the per-technique precision/recall/F1 with support, the mean
//! training time per fold and the classification speed (articles per second, one thread,
//! segmentation excluded). The `default` variant (also named `classes`) is
//! `ClassifierTrainConfig::default()` with the word classes shipped in `models/`;
//! `no-classes` is the same without them. `--full` trains the default on every article and
//! prints its training time, size and speed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use unspin::analyse::techniques::classify::model::{ClassifierTrainConfig, TechniqueClassifier};
use unspin::analyse::techniques::data::corpus::{Corpus, GoldSpan, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::eval::metrics::TcAccumulator;
use unspin::analyse::word_classes::WordClasses;
use unspin::segment::segment;

/// The word classes shipped in `models/`.
const CLASSES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/word-classes-glove100-v1.tsv.gz"
);

fn load_classes() -> Arc<WordClasses> {
    Arc::new(WordClasses::read_tsv_gz(Path::new(CLASSES)).expect("read word classes"))
}

/// `base` with the word classes and the given class templates.
fn with_classes(
    base: &ClassifierTrainConfig,
    wc: &Arc<WordClasses>,
    levels: &[usize],
    edges: bool,
    pair: Option<usize>,
    context: bool,
    scale: f32,
) -> ClassifierTrainConfig {
    let mut c = base.clone();
    c.word_classes = Some(wc.clone());
    c.features.class_levels = levels.to_vec();
    c.features.class_edges = edges;
    c.features.class_pair_level = pair;
    c.features.class_context = context;
    c.features.class_scale = scale;
    c
}

fn variants() -> Vec<(&'static str, ClassifierTrainConfig)> {
    // The default: `ClassifierTrainConfig::default()` given the shipped word classes.
    let wc = load_classes();
    let base = ClassifierTrainConfig {
        word_classes: Some(wc.clone()),
        ..ClassifierTrainConfig::default()
    };
    let mut v = vec![("default", base.clone()), ("classes", base.clone())];
    v.push(("no-classes", ClassifierTrainConfig::default()));
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let f = &base.features;
    let (lv, sc) = (f.class_levels.clone(), f.class_scale);
    v.push((
        "classes-edges",
        with_classes(&base, &wc, &lv, true, None, false, sc),
    ));
    v.push((
        "classes-12",
        with_classes(&base, &wc, &[1, 2], false, None, false, sc),
    ));
    v.push((
        "classes-2",
        with_classes(&base, &wc, &[2], false, None, false, sc),
    ));
    for p in [0, 1] {
        v.push((
            leak(format!("classes-pair{p}")),
            with_classes(&base, &wc, &lv, false, Some(p), false, sc),
        ));
    }
    v.push((
        "classes-ctx",
        with_classes(&base, &wc, &lv, false, None, true, sc),
    ));
    for s in [0.3, 0.5, 1.0] {
        v.push((
            leak(format!("classes-scale{s}")),
            with_classes(&base, &wc, &lv, false, None, false, s),
        ));
        v.push((
            leak(format!("classes-edges-scale{s}")),
            with_classes(&base, &wc, &lv, true, None, false, s),
        ));
    }
    let mut c = base.clone();
    c.features.stems = false;
    c.features.whole_span_words = 0;
    c.features.context_window = 3;
    c.features.sentence_words = true;
    c.features.listed_spans = true;
    c.features.neighbour_shapes = false;
    c.features.char_scale = 1.0;
    c.nb_weight = 0.0;
    c.l2 = 1e-3;
    v.push(("first", c));
    let mut c = base.clone();
    c.features.context_window = 3;
    c.features.sentence_words = true;
    v.push(("with-context", c));
    let mut c = base.clone();
    c.features.context_window = 2;
    c.features.sentence_words = true;
    c.features.context_scale = 0.3;
    v.push(("context-0.3", c));
    let mut c = base.clone();
    c.features.stems = false;
    v.push(("no-stems", c));
    let mut c = base.clone();
    c.features.whole_span_words = 0;
    v.push(("no-whole-span", c));
    let mut c = base.clone();
    c.features.char_ngram_min = 0;
    v.push(("no-char-ngrams", c));
    let mut c = base.clone();
    c.features.char_ngram_min = 2;
    c.features.char_ngram_max = 6;
    v.push(("char-2-6", c));
    let mut c = base.clone();
    c.features.shape = false;
    v.push(("no-shape", c));
    let mut c = base.clone();
    c.features.listed_spans = true;
    v.push(("with-listed", c));
    let mut c = base.clone();
    c.features.bigrams = false;
    v.push(("no-bigrams", c));
    let mut c = base.clone();
    c.features.neighbour_shapes = true;
    v.push(("with-neighbour-shapes", c));
    let mut c = base.clone();
    c.nb_weight = 0.0;
    v.push(("no-nb", c));
    for nb in [0.03, 0.1, 0.2] {
        let mut c = base.clone();
        c.nb_weight = nb;
        v.push((Box::leak(format!("nb={nb}").into_boxed_str()), c));
        let mut c = base.clone();
        c.nb_weight = nb;
        c.nb_offset = true;
        v.push((Box::leak(format!("nb-offset={nb}").into_boxed_str()), c));
    }
    for m in [1, 3] {
        let mut c = base.clone();
        c.min_count = m;
        v.push((Box::leak(format!("min-count={m}").into_boxed_str()), c));
    }
    let mut c = base.clone();
    c.features.char_scale = 1.0;
    v.push(("char-scale-1", c));
    let mut c = base.clone();
    c.features.char_scale = 2.0;
    v.push(("char-scale-2", c));
    for l2 in [1e-4, 2e-4, 5e-4, 1e-3] {
        let mut c = base.clone();
        c.l2 = l2;
        v.push((Box::leak(format!("l2={l2}").into_boxed_str()), c));
    }
    v
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "/work/shared/data/ptc-train".into()),
    );
    let wanted: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let corpus = Corpus::load_with(
        &dir,
        LoadOptions {
            out_of_range: OutOfRangePolicy::Clamp,
        },
    )
    .expect("load corpus");
    let folds = corpus.folds(5, 0);
    let segs: Vec<_> = corpus.articles.iter().map(|a| segment(&a.text)).collect();
    println!(
        "{} articles, {} gold spans, 5 folds by article (seed 0)",
        corpus.len(),
        corpus.articles.iter().map(|a| a.spans.len()).sum::<usize>()
    );
    if wanted.first() == Some(&"--full") {
        // Train the default model on every article: time, size and speed.
        let all: Vec<_> = corpus.articles.iter().collect();
        let t0 = Instant::now();
        let cfg = ClassifierTrainConfig {
            word_classes: Some(load_classes()),
            ..ClassifierTrainConfig::default()
        };
        let model = TechniqueClassifier::train(&all, &cfg);
        let secs = t0.elapsed().as_secs_f64();
        let bytes = postcard::to_stdvec(&model).expect("serialise");
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, &bytes).unwrap();
        let packed = z.finish().unwrap();
        let t1 = Instant::now();
        let mut spans = 0;
        for (a, seg) in corpus.articles.iter().zip(&segs) {
            let ranges: Vec<(usize, usize)> = a.spans.iter().map(|s| (s.start, s.end)).collect();
            spans += model.classify(&a.text, seg, &ranges).len();
        }
        let csecs = t1.elapsed().as_secs_f64();
        println!(
            "full training: {secs:.1} s, {} features, postcard {:.2} MB, deflated {:.2} MB; classify {:.0} articles/s ({spans} spans)",
            model.num_features(),
            bytes.len() as f64 / 1e6,
            packed.len() as f64 / 1e6,
            corpus.len() as f64 / csecs
        );
        let a = &corpus.articles[0];
        let ranges: Vec<(usize, usize)> = a.spans.iter().map(|s| (s.start, s.end)).collect();
        for (r, c) in ranges
            .iter()
            .zip(model.classify(&a.text, &segs[0], &ranges))
            .take(6)
        {
            println!("{r:?} {}", c.summary());
        }
        return;
    }
    for (name, cfg) in variants() {
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        let mut acc = TcAccumulator::new();
        let mut confusion = std::collections::BTreeMap::<(String, String), usize>::new();
        let (mut dup_right, mut dup_total) = (0usize, 0usize);
        let mut train_secs = 0.0;
        let mut classify_secs = 0.0;
        let mut n_test = 0usize;
        let mut feats = 0usize;
        for test in &folds {
            let train: Vec<_> = (0..corpus.len())
                .filter(|i| !test.contains(i))
                .map(|i| &corpus.articles[i])
                .collect();
            let t0 = Instant::now();
            let model = TechniqueClassifier::train(&train, &cfg);
            train_secs += t0.elapsed().as_secs_f64();
            feats += model.num_features();
            for &i in test {
                let a = &corpus.articles[i];
                let ranges: Vec<(usize, usize)> =
                    a.spans.iter().map(|s| (s.start, s.end)).collect();
                let t1 = Instant::now();
                let out = model.classify(&a.text, &segs[i], &ranges);
                classify_secs += t1.elapsed().as_secs_f64();
                n_test += 1;
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
                for (k, (g, p)) in a.spans.iter().zip(&pred).enumerate() {
                    if g.technique != p.technique {
                        *confusion
                            .entry((g.technique.as_str().into(), p.technique.as_str().into()))
                            .or_default() += 1;
                    }
                    let dup = ranges.iter().filter(|&&r| r == ranges[k]).count() > 1;
                    if dup {
                        dup_total += 1;
                        let ok = a
                            .spans
                            .iter()
                            .filter(|x| (x.start, x.end) == ranges[k])
                            .any(|x| x.technique == p.technique);
                        dup_right += usize::from(ok);
                    }
                }
            }
        }
        let score = acc.score();
        println!(
            "\n== {name}: micro-F1 {:.4}  macro-F1 {:.4}  (train {:.1} s/fold, {} features/fold, classify {:.0} articles/s)",
            score.micro.f1,
            score.macro_f1,
            train_secs / folds.len() as f64,
            feats / folds.len(),
            n_test as f64 / classify_secs
        );
        println!(
            "{:<36} {:>6} {:>6} {:>6} {:>7}",
            "technique", "P", "R", "F1", "support"
        );
        if std::env::var_os("TC_CONFUSION").is_some() {
            let mut v: Vec<_> = confusion.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1));
            println!("rows on ranges listed twice: {dup_right}/{dup_total} right");
            for ((g, p), n) in v.into_iter().take(15) {
                println!("  gold {g:<34} predicted {p:<34} {n}");
            }
        }
        for (t, s) in &score.per_technique {
            println!(
                "{:<36} {:>6.3} {:>6.3} {:>6.3} {:>7}",
                t.as_str(),
                s.prf.precision,
                s.prf.recall,
                s.prf.f1,
                s.support
            );
        }
    }
}
