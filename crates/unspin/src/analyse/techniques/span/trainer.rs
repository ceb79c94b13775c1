//! Training the span-identification model ([`SpanModel`]).
//!
//! 1. Every training article is segmented and its tokens labelled from the gold spans: a
//!    token is inside when it shares a code point with a gold span. Plain BIO uses the
//!    merged SI spans (`spans.tsv`, or the technique spans when absent; "begin" on the
//!    first token of each); the grouped schemes (the default, [`LabelScheme::BioLength4`])
//!    give each group of technique spans — by length, or by kind of technique — its own
//!    begin and inside labels.
//! 2. Learned inputs are cross-fitted inside the training set: the articles are split into
//!    `inner_folds` groups (seeded); the features of a group's articles use a stem
//!    [`Lexicon`] and a [`SentenceModel`] learned on the other groups only, so the CRF sees
//!    them with the noise they have on unseen articles. The stored lexicon and sentence
//!    model are learned on all training articles.
//! 3. Features seen fewer than `min_feature_count` times are dropped; a linear-chain CRF
//!    is fitted by L-BFGS (`argmin`) on the L2-penalised negative log-likelihood. The
//!    gradient is summed over fixed article chunks in chunk order, so the result does not
//!    depend on the number of threads.
//! 4. Weights whose largest absolute value is below `prune_weight` are dropped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unspin_segment::TokenKind;

use crate::analyse::context::ContextHandle;
use crate::analyse::techniques::data::corpus::{Article, folds};
use crate::analyse::techniques::eval::metrics::{Span, merge_spans};
use crate::analyse::techniques::span::dense_tagger::{
    DenseTrainConfig, DenseTrainer, EXTRAS, TrainDoc, WordVectors, doc_inputs, doc_inputs_ctx,
    pad_inputs,
};
use crate::analyse::techniques::span::features::{
    self, Doc, Learned, Lexicon, feature_hash, str_hash,
};
use crate::analyse::techniques::span::model::{
    DecodeConfig, IdHash, LabelScheme, SpanModel, forward_backward,
};
use crate::analyse::word_classes::WordClasses;
use crate::analysis::Technique;

/// Training settings; `seed` fixes every random choice (the inner cross-fitting split).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanTrainConfig {
    /// Seed of the inner split used for cross-fitting. Default 2020.
    pub seed: u64,
    /// CRF label scheme. Default [`LabelScheme::BioLength4`] (0.413 in 5-fold CV against
    /// 0.401 for plain BIO).
    pub scheme: LabelScheme,
    /// L2 penalty (on the summed negative log-likelihood). Default 1.0.
    pub l2: f64,
    /// L-BFGS iterations (early stopping: more iterations fit the training data better
    /// and score lower in CV). Default 200.
    pub max_iters: u64,
    /// Features seen fewer times in the training tokens are dropped. Default 3.
    pub min_feature_count: u32,
    /// Weight rows whose largest absolute weight is below this are dropped. Default 0.01.
    pub prune_weight: f32,
    /// Learn a stem lexicon (propaganda rate per stem) and use it as features. Default on.
    pub lexicon: bool,
    /// Stems seen fewer times are left out of the lexicon. Default 3.
    pub lexicon_min_count: u32,
    /// Learn a sentence classifier and feed its score to the CRF. Default on.
    pub sentence_model: bool,
    /// Settings of the sentence classifier.
    pub sentence: SentenceConfig,
    /// Learn a token classifier on the raw lexical features (cross-fitted) and feed its
    /// score to the CRF. Default off: no gain in 5-fold CV (0.374 vs 0.375), +60 % training
    /// time and +2 MB.
    pub token_model: bool,
    /// L2 penalty of the token classifier. Default 4.0.
    pub token_l2: f64,
    /// L-BFGS iterations of the token classifier. Default 80.
    pub token_iters: u64,
    /// Give the CRF the raw lexical features too (besides the token classifier's score).
    /// Default on.
    pub crf_raw_lexical: bool,
    /// Groups of the inner cross-fitting. Default 4.
    pub inner_folds: usize,
    /// Decoding settings of the trained model (threshold chosen by outer CV, see
    /// `docs/techniques-si.md`).
    pub decode: DecodeConfig,
    /// Word classes (from pretrained word vectors) whose ids become token features;
    /// stored in the model. Default none.
    pub word_classes: Option<Arc<WordClasses>>,
    /// Pretrained word vectors. When given, a neural tagger over them
    /// ([`DenseTagger`](crate::analyse::techniques::span::dense_tagger::DenseTagger)) is trained besides the CRF and
    /// its P(inside) averaged with the CRF's; stored in the model. Default none.
    pub word_vectors: Option<Arc<WordVectors>>,
    /// Settings of that tagger.
    pub dense: DenseTrainConfig,
    /// Its weight in the average. Default 0.5.
    pub dense_weight: f32,
    /// Decoding threshold used instead of `decode.threshold` when the tagger is trained
    /// (the averaged marginals are scaled differently). Default 0.3.
    pub dense_threshold: f32,
    /// Contextual-encoder vectors as further inputs of the neural tagger; `None`: none.
    pub context: Option<ContextHandle>,
}

impl Default for SpanTrainConfig {
    fn default() -> Self {
        SpanTrainConfig {
            seed: 2020,
            scheme: LabelScheme::BioLength4,
            l2: 1.0,
            max_iters: 200,
            min_feature_count: 3,
            prune_weight: 0.01,
            lexicon: true,
            lexicon_min_count: 3,
            sentence_model: true,
            sentence: SentenceConfig::default(),
            token_model: false,
            token_l2: 4.0,
            token_iters: 80,
            crf_raw_lexical: true,
            inner_folds: 4,
            decode: DecodeConfig::default(),
            word_classes: None,
            word_vectors: None,
            dense: DenseTrainConfig::default(),
            dense_weight: 0.5,
            dense_threshold: 0.3,
            context: None,
        }
    }
}

/// A logistic-regression sentence classifier over hashed stem unigrams and bigrams:
/// the probability that a sentence holds (part of) a technique span.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SentenceModel {
    keys: Vec<u64>,
    weights: Vec<f32>,
    bias: f32,
}

/// L-BFGS iterations of the sentence classifier.
const SENTENCE_ITERS: u64 = 60;

/// Settings of the sentence classifier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentenceConfig {
    /// L2 penalty. Default 1.0.
    pub l2: f64,
    /// Give it the word classes of the sentence's words (when the documents have them).
    /// Default off: with an L2 of 20 they raise its held-out AUC from 0.739 to 0.784
    /// (`sent_cv`), but the span model's F1 stays where it is (`docs/techniques-si.md`).
    pub classes: bool,
}

impl Default for SentenceConfig {
    fn default() -> Self {
        SentenceConfig {
            l2: 1.0,
            classes: false,
        }
    }
}

/// The hashed features of sentence `s` of `doc`, with the word classes of its words when
/// `classes` is set (and the document has them). Scoring always asks for them: a model
/// trained without them has no weights for them.
fn sentence_features(doc: &Doc, s: usize, classes: bool, out: &mut Vec<u64>) {
    out.clear();
    let (a, b) = doc.sent_toks[s];
    let toks = &doc.toks[a..b];
    let words: Vec<&str> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.stem.as_str())
        .collect();
    for w in &words {
        out.push(str_hash(w));
    }
    let mut buf = String::new();
    for p in words.windows(2) {
        buf.clear();
        buf.push_str(p[0]);
        buf.push(' ');
        buf.push_str(p[1]);
        out.push(feature_hash(features::Template::BigramLeft, &buf));
    }
    for t in toks {
        if t.kind == TokenKind::Punct {
            out.push(feature_hash(features::Template::Shape, &t.lower));
        }
    }
    let len = match words.len() {
        0..=5 => "s",
        6..=15 => "m",
        16..=30 => "l",
        _ => "xl",
    };
    out.push(feature_hash(features::Template::SentLen, len));
    if doc.sent_para[s].1 {
        out.push(feature_hash(features::Template::Sentence, "title"));
    }
    for t in toks.iter().filter(|_| classes) {
        for (level, &c) in t.class.iter().enumerate() {
            if c != features::NO_CLASS {
                buf.clear();
                let _ = write!(buf, "{level}:{c}");
                out.push(feature_hash(features::Template::Class, &buf));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

impl SentenceModel {
    /// Number of feature weights.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the model has no feature weights.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The score of every sentence of `doc`.
    pub fn score_doc(&self, doc: &Doc, _lexicon: Option<&Lexicon>) -> Vec<f32> {
        let mut f = Vec::new();
        (0..doc.sent_toks.len())
            .map(|s| {
                sentence_features(doc, s, true, &mut f);
                let z = self.bias
                    + f.iter()
                        .filter_map(|k| self.keys.binary_search(k).ok())
                        .map(|i| self.weights[i])
                        .sum::<f32>();
                1.0 / (1.0 + (-z).exp())
            })
            .collect()
    }

    /// Fits the classifier on the sentences of `docs` (label: holds an inside token).
    fn train(docs: &[(&Doc, &[u8])], cfg: SentenceConfig) -> SentenceModel {
        let mut rows: Vec<(Vec<u64>, bool)> = Vec::new();
        let mut f = Vec::new();
        for (doc, labels) in docs {
            for s in 0..doc.sent_toks.len() {
                let (a, b) = doc.sent_toks[s];
                sentence_features(doc, s, cfg.classes, &mut f);
                rows.push((f.clone(), labels[a..b].iter().any(|&y| y != 0)));
            }
        }
        let (keys, weights, bias) = fit_logistic(&rows, 2, cfg.l2, SENTENCE_ITERS);
        SentenceModel {
            keys,
            weights,
            bias,
        }
    }
}

/// Quality of the sentence classifier measured by k-fold cross-validation by article:
/// what [`sentence_cv`] reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentenceCvReport {
    /// Held-out sentences scored.
    pub sentences: usize,
    /// Share of them that hold part of a span.
    pub positive_rate: f64,
    /// Area under the ROC curve of the held-out scores.
    pub auc: f64,
    /// Mean held-out log loss.
    pub log_loss: f64,
}

/// Cross-validates the sentence classifier (the span model's strongest learned input) by
/// article: trains on k − 1 folds, scores the held-out sentences, pools them. A quick way
/// to compare sentence features without training the CRF.
pub fn sentence_cv(
    articles: &[&Article],
    k: usize,
    seed: u64,
    classes: Option<&WordClasses>,
    cfg: SentenceConfig,
) -> SentenceCvReport {
    let docs: Vec<(Doc, Vec<u8>)> = articles
        .par_iter()
        .map(|a| {
            let seg = unspin_segment::segment(&a.text);
            let mut doc = Doc::new(&a.text, &seg);
            if let Some(wc) = classes {
                doc.set_classes(wc);
            }
            let labels = token_labels(&doc, &gold_spans(a), LabelScheme::Io);
            (doc, labels)
        })
        .collect();
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let mut scored: Vec<(f32, bool)> = Vec::new();
    for test in folds(&ids, k, seed) {
        let train: Vec<(&Doc, &[u8])> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| !test.contains(i))
            .map(|(_, (d, y))| (d, y.as_slice()))
            .collect();
        let model = SentenceModel::train(&train, cfg);
        for &i in &test {
            let (doc, y) = &docs[i];
            for (s, p) in model.score_doc(doc, None).into_iter().enumerate() {
                let (a, b) = doc.sent_toks[s];
                scored.push((p, y[a..b].iter().any(|&v| v != 0)));
            }
        }
    }
    let n = scored.len();
    let pos = scored.iter().filter(|x| x.1).count();
    let log_loss = scored
        .iter()
        .map(|&(p, y)| {
            let p = f64::from(p).clamp(1e-6, 1.0 - 1e-6);
            -(if y { p.ln() } else { (1.0 - p).ln() })
        })
        .sum::<f64>()
        / n.max(1) as f64;
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    // AUC by ranks (ties share their mean rank).
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && scored[j].0 == scored[i].0 {
            j += 1;
        }
        let mean_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += mean_rank * scored[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let (p, q) = (pos as f64, (n - pos) as f64);
    SentenceCvReport {
        sentences: n,
        positive_rate: p / n.max(1) as f64,
        auc: (rank_sum - p * (p + 1.0) / 2.0) / (p * q).max(1.0),
        log_loss,
    }
}

/// A logistic-regression token classifier over the raw lexical features (words, stems,
/// neighbours, suffixes, window): the probability that a token is inside a span. It is
/// cross-fitted in training and its score fed to the CRF.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TokenModel {
    keys: Vec<u64>,
    weights: Vec<f32>,
    bias: f32,
}

impl TokenModel {
    /// Number of feature weights.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the model has no feature weights.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The score of every token of `doc`, from its raw lexical features (`raw`, as
    /// [`raw_features`] returns).
    pub fn score(&self, raw: &RawFeatures) -> Vec<f32> {
        let (offs, ids) = raw;
        offs.windows(2)
            .map(|w| {
                let z = self.bias
                    + ids[w[0] as usize..w[1] as usize]
                        .iter()
                        .filter_map(|k| self.keys.binary_search(k).ok())
                        .map(|i| self.weights[i])
                        .sum::<f32>();
                1.0 / (1.0 + (-z).exp())
            })
            .collect()
    }

    fn train(raws: &[(&RawFeatures, &[u8])], min_count: u32, l2: f64, iters: u64) -> TokenModel {
        let mut rows: Vec<(Vec<u64>, bool)> = Vec::new();
        for ((offs, ids), labels) in raws {
            for (w, &y) in offs.windows(2).zip(labels.iter()) {
                rows.push((ids[w[0] as usize..w[1] as usize].to_vec(), y != 0));
            }
        }
        let (keys, weights, bias) = fit_logistic(&rows, min_count, l2, iters);
        // Drop negligible weights to keep the model small.
        let (keys, weights): (Vec<u64>, Vec<f32>) = keys
            .into_iter()
            .zip(weights)
            .filter(|(_, w)| w.abs() >= 0.01)
            .unzip();
        TokenModel {
            keys,
            weights,
            bias,
        }
    }
}

/// Per-token hashed features: `(offsets, ids)`, token `i` owning
/// `ids[offsets[i]..offsets[i + 1]]`.
pub type RawFeatures = (Vec<u32>, Vec<u64>);

/// The raw lexical features of every token of `doc` (offsets and hashes, as
/// [`features::hashed`]).
pub fn raw_features(text: &str, doc: &Doc) -> RawFeatures {
    features::hashed_where(
        text,
        doc,
        Learned::default(),
        features::Template::is_raw_lexical,
    )
}

/// Fits an L2-penalised logistic regression on rows of hashed features, keeping features
/// seen in at least `min_count` rows. Returns sorted keys, their weights and the bias.
fn fit_logistic(
    rows: &[(Vec<u64>, bool)],
    min_count: u32,
    l2: f64,
    iters: u64,
) -> (Vec<u64>, Vec<f32>, f32) {
    let mut counts: HashMap<u64, u32, IdHash> = HashMap::default();
    for (f, _) in rows {
        for &k in f {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut keys: Vec<u64> = counts
        .into_iter()
        .filter(|&(_, c)| c >= min_count)
        .map(|(k, _)| k)
        .collect();
    keys.sort_unstable();
    let index: HashMap<u64, u32, IdHash> = keys
        .iter()
        .enumerate()
        .map(|(i, &h)| (h, i as u32))
        .collect();
    let idx: Vec<(Vec<u32>, f64)> = rows
        .iter()
        .map(|(f, y)| {
            (
                f.iter().filter_map(|k| index.get(k).copied()).collect(),
                if *y { 1.0 } else { 0.0 },
            )
        })
        .collect();
    let n = keys.len();
    let objective = |x: &[f64]| -> (f64, Vec<f64>) {
        let per = idx.len().div_ceil(CHUNKS).max(1);
        let parts: Vec<(f64, Vec<f64>)> = idx
            .par_chunks(per)
            .map(|chunk| {
                let mut g = vec![0.0; n + 1];
                let mut loss = 0.0;
                for (f, y) in chunk {
                    let z: f64 = x[n] + f.iter().map(|&i| x[i as usize]).sum::<f64>();
                    let p = 1.0 / (1.0 + (-z).exp());
                    loss += if *y > 0.5 { softplus(-z) } else { softplus(z) };
                    let d = p - y;
                    g[n] += d;
                    for &i in f {
                        g[i as usize] += d;
                    }
                }
                (loss, g)
            })
            .collect();
        sum_with_l2(parts, x, n + 1, n, l2)
    };
    let x = minimize(objective, vec![0.0; n + 1], iters);
    (
        keys,
        x[..n].iter().map(|&v| v as f32).collect(),
        x[n] as f32,
    )
}

fn softplus(z: f64) -> f64 {
    if z > 30.0 { z } else { z.exp().ln_1p() }
}

/// A point, the objective's value there and its gradient.
type Evaluation = (Vec<f64>, f64, Vec<f64>);

/// An objective for argmin: evaluates cost and gradient together and caches the last.
struct Problem<F> {
    f: F,
    cache: Mutex<Option<Evaluation>>,
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> Problem<F> {
    fn eval(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let mut c = self.cache.lock().expect("cache lock");
        if let Some((px, v, g)) = c.as_ref()
            && px.as_slice() == x
        {
            return (*v, g.clone());
        }
        let (v, g) = (self.f)(x);
        *c = Some((x.to_vec(), v, g.clone()));
        (v, g)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> CostFunction for Problem<F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, ArgminError> {
        Ok(self.eval(p).0)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> Gradient for Problem<F> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        Ok(self.eval(p).1)
    }
}

/// Minimises `f` (returning value and gradient) from `x0` with L-BFGS (memory 7,
/// Moré–Thuente line search) for at most `iters` iterations; returns the best point.
pub(crate) fn minimize(
    f: impl Fn(&[f64]) -> (f64, Vec<f64>),
    x0: Vec<f64>,
    iters: u64,
) -> Vec<f64> {
    let problem = Problem {
        f,
        cache: Mutex::new(None),
    };
    let linesearch = MoreThuenteLineSearch::new();
    let solver = LBFGS::new(linesearch, 7)
        .with_tolerance_cost(1e-7)
        .expect("valid tolerance");
    let fallback = x0.clone();
    match Executor::new(problem, solver)
        .configure(|s| s.param(x0).max_iters(iters))
        .run()
    {
        Ok(mut res) => {
            if std::env::var_os("UNSPIN_SI_DEBUG").is_some() {
                eprintln!(
                    "lbfgs: {} iters, cost {:.3}, {:?}",
                    res.state.iter, res.state.best_cost, res.state.termination_status
                );
            }
            res.state.take_best_param().unwrap_or(fallback)
        }
        Err(_) => fallback,
    }
}

/// A training article ready for the CRF.
struct Prepared {
    /// Dense feature indices of each token: `feats[offs[t]..offs[t + 1]]`.
    offs: Vec<u32>,
    feats: Vec<u32>,
    /// Gold label of each token.
    labels: Vec<u8>,
}

/// Token labels of `doc` from the gold spans (0 outside; IO: 1 inside; BIO: 1 begin,
/// 2 inside).
pub(crate) fn token_labels(doc: &Doc, gold: &[Span], scheme: LabelScheme) -> Vec<u8> {
    let mut labels = vec![0u8; doc.len()];
    let mut prev_span = usize::MAX;
    let mut g = 0;
    for (i, t) in doc.toks.iter().enumerate() {
        while g < gold.len() && gold[g].end <= t.start {
            g += 1;
        }
        let inside = g < gold.len() && gold[g].start < t.end && t.start < gold[g].end;
        if inside {
            labels[i] = match scheme {
                LabelScheme::Io => 1,
                _ if prev_span == g => 2,
                _ => 1,
            };
            prev_span = g;
        } else {
            prev_span = usize::MAX;
        }
    }
    labels
}

/// The label group of a gold span under a grouped scheme: its length group under the
/// length schemes; under [`LabelScheme::BioGrouped`] 0 for word-level techniques (and spans
/// without a technique) and 1 for clause-level ones.
fn label_group(span: Span, technique: Option<Technique>, scheme: LabelScheme) -> usize {
    let edges = scheme.length_edges();
    if !edges.is_empty() {
        let n = span.end - span.start;
        return edges.iter().filter(|&&e| n >= e).count();
    }
    match technique {
        None
        | Some(
            Technique::LoadedLanguage
            | Technique::NameCallingLabeling
            | Technique::Repetition
            | Technique::ExaggerationMinimisation
            | Technique::FlagWaving
            | Technique::Slogans
            | Technique::ThoughtTerminatingCliches,
        ) => 0,
        _ => 1,
    }
}

/// Token labels under a grouped scheme: group `g` has begin `1 + 2g` and inside `2 + 2g`;
/// where spans of several groups overlap, the lowest group wins. The technique spans are
/// grouped; an article with SI spans only uses those.
fn grouped_labels(doc: &Doc, a: &Article, scheme: LabelScheme) -> Vec<u8> {
    let spans: Vec<(Span, Option<Technique>)> = if a.spans.is_empty() {
        gold_spans(a).into_iter().map(|s| (s, None)).collect()
    } else {
        a.spans
            .iter()
            .map(|s| (Span::new(s.start, s.end), Some(s.technique)))
            .collect()
    };
    let mut labels = vec![0u8; doc.len()];
    for g in (0..scheme.groups()).rev() {
        let group = merge_spans(
            spans
                .iter()
                .filter(|(s, t)| label_group(*s, *t, scheme) == g)
                .map(|(s, _)| *s),
        );
        for (y, b) in labels
            .iter_mut()
            .zip(token_labels(doc, &group, LabelScheme::Bio))
        {
            if b != 0 {
                *y = b + 2 * g as u8;
            }
        }
    }
    labels
}

fn gold_spans(a: &Article) -> Vec<Span> {
    match &a.si_spans {
        Some(s) => merge_spans(s.iter().copied()),
        None => merge_spans(a.spans.iter().map(|s| Span::new(s.start, s.end))),
    }
}

/// Trains a [`SpanModel`] on `articles` with `cfg`.
pub fn train(articles: &[&Article], cfg: &SpanTrainConfig) -> SpanModel {
    let l = cfg.scheme.n_labels();
    // 1. Segment and label.
    let docs: Vec<(Doc, Vec<u8>)> = articles
        .par_iter()
        .map(|a| {
            let seg = unspin_segment::segment(&a.text);
            let mut doc = Doc::new(&a.text, &seg);
            if let Some(wc) = &cfg.word_classes {
                doc.set_classes(wc);
            }
            let labels = match cfg.scheme {
                LabelScheme::Io | LabelScheme::Bio => {
                    token_labels(&doc, &gold_spans(a), cfg.scheme)
                }
                _ => grouped_labels(&doc, a, cfg.scheme),
            };
            (doc, labels)
        })
        .collect();
    let inside: Vec<Vec<bool>> = docs
        .iter()
        .map(|(_, y)| y.iter().map(|&v| v != 0).collect())
        .collect();

    // 2. Cross-fitted lexicon and sentence scores.
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let k = cfg.inner_folds.clamp(2, articles.len().max(2));
    let groups = folds(&ids, k, cfg.seed);
    let mut group_of = vec![0usize; articles.len()];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            group_of[i] = g;
        }
    }
    let learn_lex = |skip: Option<usize>| {
        Lexicon::learn(
            docs.iter()
                .zip(&inside)
                .enumerate()
                .filter(|(i, _)| Some(group_of[*i]) != skip)
                .map(|(_, ((d, _), y))| (d, y.as_slice())),
            cfg.lexicon_min_count,
        )
    };
    let learn_sent = |skip: Option<usize>| {
        let sel: Vec<(&Doc, &[u8])> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(group_of[*i]) != skip)
            .map(|(_, (d, y))| (d, y.as_slice()))
            .collect();
        SentenceModel::train(&sel, cfg.sentence)
    };
    let raws: Vec<RawFeatures> = if cfg.token_model {
        articles
            .par_iter()
            .zip(docs.par_iter())
            .map(|(a, (doc, _))| raw_features(&a.text, doc))
            .collect()
    } else {
        Vec::new()
    };
    let learn_tok = |skip: Option<usize>| {
        let sel: Vec<(&RawFeatures, &[u8])> = raws
            .iter()
            .zip(&docs)
            .enumerate()
            .filter(|(i, _)| Some(group_of[*i]) != skip)
            .map(|(_, (r, (_, y)))| (r, y.as_slice()))
            .collect();
        TokenModel::train(&sel, 2, cfg.token_l2, cfg.token_iters)
    };
    type Fitted = (Option<Lexicon>, Option<SentenceModel>, Option<TokenModel>);
    let fitted: Vec<Fitted> = (0..=k)
        .map(|g| {
            let skip = (g < k).then_some(g);
            (
                cfg.lexicon.then(|| learn_lex(skip)),
                cfg.sentence_model.then(|| learn_sent(skip)),
                cfg.token_model.then(|| learn_tok(skip)),
            )
        })
        .collect();

    // 3. Features.
    let hashed: Vec<(Vec<u32>, Vec<u64>)> = articles
        .par_iter()
        .zip(docs.par_iter())
        .enumerate()
        .map(|(i, (a, (doc, _)))| {
            let (lex, sm, tm) = &fitted[group_of[i]];
            let scores = sm.as_ref().map(|m| m.score_doc(doc, None));
            let tscores = tm.as_ref().map(|m| m.score(&raws[i]));
            features::hashed(
                &a.text,
                doc,
                Learned {
                    lexicon: lex.as_ref(),
                    sentence_scores: scores.as_deref(),
                    token_scores: tscores.as_deref(),
                    skip_raw: !cfg.crf_raw_lexical,
                },
            )
        })
        .collect();
    let mut counts: HashMap<u64, u32, IdHash> = HashMap::default();
    for (_, ids) in &hashed {
        for &h in ids {
            *counts.entry(h).or_default() += 1;
        }
    }
    let mut keys: Vec<u64> = counts
        .into_iter()
        .filter(|&(_, c)| c >= cfg.min_feature_count)
        .map(|(h, _)| h)
        .collect();
    keys.sort_unstable();
    let index: HashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, &h)| (h, i as u32))
        .collect();
    let prepared: Vec<Prepared> = hashed
        .into_iter()
        .zip(docs.iter())
        .map(|((offs, ids), (_, labels))| {
            let mut new_offs = Vec::with_capacity(offs.len());
            let mut feats = Vec::with_capacity(ids.len());
            new_offs.push(0);
            for w in offs.windows(2) {
                feats.extend(
                    ids[w[0] as usize..w[1] as usize]
                        .iter()
                        .filter_map(|h| index.get(h).copied()),
                );
                new_offs.push(feats.len() as u32);
            }
            Prepared {
                offs: new_offs,
                feats,
                labels: labels.clone(),
            }
        })
        .collect();

    // 4. Fit the CRF.
    let nf = keys.len();
    let x = fit_crf(&prepared, nf, l, cfg.l2, cfg.max_iters);

    // 5. Export, pruning tiny rows.
    let mut out_keys = Vec::new();
    let mut weights = Vec::new();
    for (i, &h) in keys.iter().enumerate() {
        let row = &x[i * l..(i + 1) * l];
        // Only differences between labels matter: centre the row.
        let mean = row.iter().sum::<f64>() / l as f64;
        if row.iter().map(|v| (v - mean).abs()).fold(0.0, f64::max) < f64::from(cfg.prune_weight) {
            continue;
        }
        out_keys.push(h);
        weights.extend(row.iter().map(|v| (v - mean) as f32));
    }
    let (lexicon, sentence, token) = fitted.into_iter().next_back().expect("k + 1 fits");
    // 6. The neural tagger over word vectors, on the same articles and inside labels.
    let dense = cfg.word_vectors.as_ref().map(|vectors| {
        let ctx_width = cfg.context.as_ref().map_or(0, |c| {
            articles
                .iter()
                .find_map(|a| c.0.get(&a.text).map(|e| e.dim))
                .unwrap_or(0)
        });
        let train: Vec<TrainDoc> = articles
            .par_iter()
            .zip(&docs)
            .zip(&inside)
            .map(|((a, (doc, _)), inside)| TrainDoc {
                inputs: match &cfg.context {
                    Some(c) => {
                        let enc = c.0.get(&a.text);
                        let inputs = doc_inputs_ctx(&a.text, doc, vectors, enc.as_deref());
                        match enc {
                            Some(_) => inputs,
                            None => pad_inputs(inputs, vectors.dim() + EXTRAS + ctx_width),
                        }
                    }
                    None => doc_inputs(&a.text, doc, vectors),
                },
                labels: inside.iter().map(|&y| f32::from(u8::from(y))).collect(),
            })
            .collect();
        let mut tagger = DenseTrainer::new(vectors.clone(), &train, cfg.dense).train();
        tagger.set_context(cfg.context.clone());
        tagger
    });
    let decode = if dense.is_some() {
        DecodeConfig {
            threshold: cfg.dense_threshold,
            ..cfg.decode
        }
    } else {
        cfg.decode
    };
    SpanModel {
        scheme: cfg.scheme,
        keys: out_keys,
        weights,
        trans: x[nf * l..nf * l + l * l]
            .iter()
            .map(|&v| v as f32)
            .collect(),
        start: x[nf * l + l * l..].iter().map(|&v| v as f32).collect(),
        lexicon,
        sentence,
        token,
        raw_lexical: cfg.crf_raw_lexical,
        decode,
        classes: cfg.word_classes.clone(),
        dense,
        dense_weight: cfg.dense_weight,
        index: OnceLock::new(),
    }
}

/// Number of fixed article chunks the gradient is summed over.
const CHUNKS: usize = 8;

/// Negative log-likelihood and gradient of one article under parameters `x`.
fn article_nll(p: &Prepared, x: &[f64], nf: usize, l: usize, grad: &mut [f64]) -> f64 {
    let t_len = p.labels.len();
    if t_len == 0 {
        return 0.0;
    }
    let trans = &x[nf * l..nf * l + l * l];
    let start = &x[nf * l + l * l..];
    let mut emis = vec![0.0; t_len * l];
    for t in 0..t_len {
        for &f in &p.feats[p.offs[t] as usize..p.offs[t + 1] as usize] {
            let w = &x[f as usize * l..(f as usize + 1) * l];
            for y in 0..l {
                emis[t * l + y] += w[y];
            }
        }
    }
    let fb = forward_backward(&emis, trans, start, l);
    let ys: Vec<usize> = p.labels.iter().map(|&y| y as usize).collect();
    let score =
        crate::analyse::techniques::span::model::sequence_score(&emis, trans, start, l, &ys);
    for t in 0..t_len {
        let m = &fb.marginals[t * l..(t + 1) * l];
        for &f in &p.feats[p.offs[t] as usize..p.offs[t + 1] as usize] {
            let g = &mut grad[f as usize * l..(f as usize + 1) * l];
            for y in 0..l {
                g[y] += m[y];
            }
            g[ys[t]] -= 1.0;
        }
    }
    let tg = nf * l;
    for (i, v) in fb.pair_sums.iter().enumerate() {
        grad[tg + i] += v;
    }
    for t in 1..t_len {
        grad[tg + ys[t - 1] * l + ys[t]] -= 1.0;
    }
    let sg = nf * l + l * l;
    for y in 0..l {
        grad[sg + y] += fb.marginals[y];
    }
    grad[sg + ys[0]] -= 1.0;
    fb.log_z - score
}

/// The penalised objective over all articles: value and gradient.
fn crf_objective(data: &[Prepared], x: &[f64], nf: usize, l: usize, l2: f64) -> (f64, Vec<f64>) {
    let n = x.len();
    let per = data.len().div_ceil(CHUNKS).max(1);
    let parts: Vec<(f64, Vec<f64>)> = data
        .par_chunks(per)
        .map(|chunk| {
            let mut g = vec![0.0; n];
            let mut v = 0.0;
            for p in chunk {
                v += article_nll(p, x, nf, l, &mut g);
            }
            (v, g)
        })
        .collect();
    sum_with_l2(parts, x, n, n, l2)
}

/// Sums per-chunk `(loss, gradient)` parts in chunk order (so the result does not depend on
/// the thread count) and adds the L2 penalty of the first `penalised` parameters.
fn sum_with_l2(
    parts: Vec<(f64, Vec<f64>)>,
    x: &[f64],
    len: usize,
    penalised: usize,
    l2: f64,
) -> (f64, Vec<f64>) {
    let mut value = 0.0;
    let mut grad = vec![0.0; len];
    for (v, g) in parts {
        value += v;
        for (a, b) in grad.iter_mut().zip(&g) {
            *a += b;
        }
    }
    for i in 0..penalised {
        value += 0.5 * l2 * x[i] * x[i];
        grad[i] += l2 * x[i];
    }
    (value, grad)
}

fn fit_crf(data: &[Prepared], nf: usize, l: usize, l2: f64, iters: u64) -> Vec<f64> {
    let n = nf * l + l * l + l;
    minimize(|x| crf_objective(data, x, nf, l, l2), vec![0.0; n], iters)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<Prepared> {
        vec![
            Prepared {
                offs: vec![0, 2, 3, 5, 6],
                feats: vec![0, 1, 2, 1, 3, 0],
                labels: vec![0, 1, 2, 0],
            },
            Prepared {
                offs: vec![0, 1, 3],
                feats: vec![3, 2, 0],
                labels: vec![1, 0],
            },
        ]
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (nf, l) = (4, 3);
        let data = toy();
        let n = nf * l + l * l + l;
        let x: Vec<f64> = (0..n).map(|i| ((i * 37 % 11) as f64 - 5.0) / 7.0).collect();
        let (_, g) = crf_objective(&data, &x, nf, l, 0.3);
        for i in 0..n {
            let h = 1e-6;
            let mut xp = x.clone();
            xp[i] += h;
            let mut xm = x.clone();
            xm[i] -= h;
            let num = (crf_objective(&data, &xp, nf, l, 0.3).0
                - crf_objective(&data, &xm, nf, l, 0.3).0)
                / (2.0 * h);
            assert!((num - g[i]).abs() < 1e-5, "param {i}: {num} vs {}", g[i]);
        }
    }

    #[test]
    fn fitting_is_deterministic_and_learns() {
        let (nf, l) = (4, 3);
        let data = toy();
        let a = fit_crf(&data, nf, l, 0.1, 50);
        let b = fit_crf(&data, nf, l, 0.1, 50);
        assert_eq!(a, b);
        let (v0, _) = crf_objective(&data, &vec![0.0; a.len()], nf, l, 0.1);
        let (v1, _) = crf_objective(&data, &a, nf, l, 0.1);
        assert!(v1 < v0 * 0.5, "{v1} vs {v0}");
    }

    #[test]
    fn labels_follow_gold_spans() {
        let text = "We must stop the evil regime now. It lies.";
        let seg = unspin_segment::segment(text);
        let doc = Doc::new(text, &seg);
        // "evil regime" = 17..28, "lies" = 37..41
        let gold = [Span::new(17, 28), Span::new(37, 41)];
        let y = token_labels(&doc, &gold, LabelScheme::Bio);
        let words: Vec<(&str, u8)> = doc.toks.iter().map(|t| t.lower.as_str()).zip(y).collect();
        assert_eq!(
            words,
            [
                ("we", 0),
                ("must", 0),
                ("stop", 0),
                ("the", 0),
                ("evil", 1),
                ("regime", 2),
                ("now", 0),
                (".", 0),
                ("it", 0),
                ("lies", 1),
                (".", 0)
            ]
        );
    }

    fn synthetic(id: usize) -> Article {
        // Made-up text: a marked phrase ("utter disgrace" / "evil cabal") in each article.
        let bad = ["utter disgrace", "evil cabal", "total catastrophe"][id % 3];
        let text = format!(
            "Report number {id}\n\nThe council met on Monday to discuss the budget. \
             Critics called the plan an {bad} and said the {bad} must end. \
             The vote is expected next week, officials said."
        );
        let mut spans = Vec::new();
        let mut from = 0;
        while let Some(b) = text[from..].find(bad) {
            let start = text[..from + b].chars().count();
            spans.push(Span::new(start, start + bad.chars().count()));
            from += b + bad.len();
        }
        Article {
            id: id.to_string(),
            text,
            spans: Vec::new(),
            si_spans: Some(spans),
        }
    }

    fn small_cfg() -> SpanTrainConfig {
        SpanTrainConfig {
            max_iters: 30,
            min_feature_count: 1,
            ..SpanTrainConfig::default()
        }
    }

    #[test]
    fn training_is_deterministic_across_thread_counts() {
        let arts: Vec<Article> = (0..12).map(synthetic).collect();
        let refs: Vec<&Article> = arts.iter().collect();
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            let m = pool.install(|| SpanModel::train(&refs, &small_cfg()));
            serde_json::to_string(&m).expect("serialise")
        };
        let one = run(1);
        assert_eq!(one, run(3));
        assert_eq!(one, run(1));
    }

    #[test]
    fn learns_synthetic_phrases() {
        let arts: Vec<Article> = (0..12).map(synthetic).collect();
        let refs: Vec<&Article> = arts.iter().collect();
        let model = SpanModel::train(&refs, &small_cfg());
        let text = "Title\n\nCritics called the plan an utter disgrace and left.";
        let seg = unspin_segment::segment(text);
        let spans = model.predict(text, &seg);
        let got: Vec<String> = spans
            .iter()
            .map(|s| text.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert!(got.iter().any(|g| g.contains("utter disgrace")), "{got:?}");
        for s in &spans {
            assert!((0.0..=1.0).contains(&s.score));
            let span_text: String = text.chars().skip(s.start).take(s.end - s.start).collect();
            for c in &s.cues {
                assert!(text.contains(&c.text), "{c:?}");
                assert!(!c.why.is_empty());
                let _ = &span_text;
            }
        }
    }

    /// Trains on 30 PTC articles and checks the spans predicted on 5 held-out ones.
    #[test]
    fn trains_on_ptc_sample() {
        use crate::analyse::techniques::data::corpus::{Corpus, LoadOptions, OutOfRangePolicy};
        use crate::analyse::techniques::eval::metrics::SiAccumulator;
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-train");
        if !dir.join("articles").is_dir() {
            eprintln!(
                "skipping trains_on_ptc_sample: no corpus at {}",
                dir.display()
            );
            return;
        }
        let t0 = std::time::Instant::now();
        let corpus = Corpus::load_with(
            &dir,
            LoadOptions {
                out_of_range: OutOfRangePolicy::Clamp,
            },
        )
        .expect("corpus loads");
        let train: Vec<&Article> = corpus.articles.iter().take(30).collect();
        let cfg = SpanTrainConfig {
            max_iters: 40,
            inner_folds: 2,
            ..SpanTrainConfig::default()
        };
        // Few articles and iterations give flatter marginals than the full model.
        let model = SpanModel::train(&train, &cfg).with_threshold(0.1);
        let mut si = SiAccumulator::new();
        let (mut n_pred, mut n_gold) = (0, 0);
        for a in corpus.articles.iter().skip(30).take(5) {
            let seg = unspin_segment::segment(&a.text);
            let pred = model.predict(&a.text, &seg);
            let len = a.char_len();
            for (i, p) in pred.iter().enumerate() {
                assert!(p.start < p.end && p.end <= len);
                assert!(i == 0 || pred[i - 1].end <= p.start, "sorted, disjoint");
                assert!((0.0..=1.0).contains(&p.score));
                let text = a.slice(p.start, p.end).expect("in range");
                assert!(!text.starts_with(char::is_whitespace));
                assert!(!text.ends_with(char::is_whitespace));
            }
            let gold = a.si_spans.clone().unwrap_or_default();
            n_pred += pred.len();
            n_gold += gold.len();
            let pred: Vec<Span> = pred.iter().map(|p| Span::new(p.start, p.end)).collect();
            si.add(&gold, &pred);
        }
        let f1 = si.score().prf.f1;
        eprintln!("PTC sample: {n_pred} predicted vs {n_gold} gold spans, SI F1 {f1:.3}");
        assert!(n_pred > 0, "predicts something");
        assert!(n_pred < 4 * n_gold.max(5), "not a flood of fragments");
        assert!(f1 > 0.05, "SI F1 {f1}");
        assert!(t0.elapsed().as_secs() < 120);
    }
}
