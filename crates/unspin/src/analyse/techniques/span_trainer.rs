//! Training the span-identification model ([`SpanModel`]).
//!
//! 1. Every training article is segmented and its tokens labelled from the gold SI spans
//!    (`spans.tsv`, or the technique spans when absent): a token is inside when it shares a
//!    code point with a gold span (BIO: "begin" on the first token of each gold span).
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
use std::sync::{Mutex, OnceLock};

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unspin_segment::TokenKind;

use super::corpus::{Article, folds};
use super::metrics::{Span, merge_spans};
use super::span_features::{self, Doc, Learned, Lexicon, feature_hash, str_hash};
use super::span_model::{DecodeConfig, LabelScheme, SpanModel, forward_backward};

/// Training settings; `seed` fixes every random choice (the inner cross-fitting split).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanTrainConfig {
    /// Seed of the inner split used for cross-fitting. Default 2020.
    pub seed: u64,
    /// CRF label scheme. Default [`LabelScheme::Bio`].
    pub scheme: LabelScheme,
    /// L2 penalty (on the summed negative log-likelihood). Default 1.0.
    pub l2: f64,
    /// L-BFGS iterations. Default 120.
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
    /// Groups of the inner cross-fitting. Default 4.
    pub inner_folds: usize,
    /// Decoding settings of the trained model (threshold chosen by outer CV, see
    /// `docs/techniques-si.md`).
    pub decode: DecodeConfig,
}

impl Default for SpanTrainConfig {
    fn default() -> Self {
        SpanTrainConfig {
            seed: 2020,
            scheme: LabelScheme::Bio,
            l2: 1.0,
            max_iters: 120,
            min_feature_count: 3,
            prune_weight: 0.01,
            lexicon: true,
            lexicon_min_count: 3,
            sentence_model: true,
            inner_folds: 4,
            decode: DecodeConfig::default(),
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

fn sentence_features(doc: &Doc, s: usize, out: &mut Vec<u64>) {
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
        out.push(feature_hash(span_features::Template::BigramLeft, &buf));
    }
    for t in toks {
        if t.kind == TokenKind::Punct {
            out.push(feature_hash(span_features::Template::Shape, &t.lower));
        }
    }
    let len = match words.len() {
        0..=5 => "s",
        6..=15 => "m",
        16..=30 => "l",
        _ => "xl",
    };
    out.push(feature_hash(span_features::Template::SentLen, len));
    if doc.sent_para[s].1 {
        out.push(feature_hash(span_features::Template::Sentence, "title"));
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
                sentence_features(doc, s, &mut f);
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
    fn train(docs: &[(&Doc, &[u8])], l2: f64, iters: u64) -> SentenceModel {
        let mut rows: Vec<(Vec<u64>, bool)> = Vec::new();
        let mut f = Vec::new();
        for (doc, labels) in docs {
            for s in 0..doc.sent_toks.len() {
                let (a, b) = doc.sent_toks[s];
                sentence_features(doc, s, &mut f);
                rows.push((f.clone(), labels[a..b].iter().any(|&y| y != 0)));
            }
        }
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for (f, _) in &rows {
            for &k in f {
                *counts.entry(k).or_default() += 1;
            }
        }
        let mut keys: Vec<u64> = counts
            .into_iter()
            .filter(|&(_, c)| c >= 2)
            .map(|(k, _)| k)
            .collect();
        keys.sort_unstable();
        let idx: Vec<(Vec<u32>, f64)> = rows
            .iter()
            .map(|(f, y)| {
                (
                    f.iter()
                        .filter_map(|k| keys.binary_search(k).ok().map(|i| i as u32))
                        .collect(),
                    if *y { 1.0 } else { 0.0 },
                )
            })
            .collect();
        let n = keys.len();
        let objective = |x: &[f64]| -> (f64, Vec<f64>) {
            let mut g = vec![0.0; n + 1];
            let mut loss = 0.0;
            for (f, y) in &idx {
                let z: f64 = x[n] + f.iter().map(|&i| x[i as usize]).sum::<f64>();
                let p = 1.0 / (1.0 + (-z).exp());
                loss += if *y > 0.5 { softplus(-z) } else { softplus(z) };
                let d = p - y;
                g[n] += d;
                for &i in f {
                    g[i as usize] += d;
                }
            }
            for i in 0..n {
                loss += 0.5 * l2 * x[i] * x[i];
                g[i] += l2 * x[i];
            }
            (loss, g)
        };
        let x = minimize(objective, vec![0.0; n + 1], iters);
        SentenceModel {
            keys,
            weights: x[..n].iter().map(|&v| v as f32).collect(),
            bias: x[n] as f32,
        }
    }
}

fn softplus(z: f64) -> f64 {
    if z > 30.0 { z } else { z.exp().ln_1p() }
}

/// An objective for argmin: evaluates cost and gradient together and caches the last.
struct Problem<F> {
    f: F,
    cache: Mutex<Option<(Vec<f64>, f64, Vec<f64>)>>,
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
        Ok(mut res) => res.state.take_best_param().unwrap_or(fallback),
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
                LabelScheme::Bio if prev_span == g => 2,
                LabelScheme::Bio => 1,
            };
            prev_span = g;
        } else {
            prev_span = usize::MAX;
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
            let doc = Doc::new(&a.text, &seg);
            let labels = token_labels(&doc, &gold_spans(a), cfg.scheme);
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
        SentenceModel::train(&sel, 1.0, 60)
    };
    type Fitted = (Option<Lexicon>, Option<SentenceModel>);
    let fitted: Vec<Fitted> = (0..=k)
        .into_par_iter()
        .map(|g| {
            let skip = (g < k).then_some(g);
            (
                cfg.lexicon.then(|| learn_lex(skip)),
                cfg.sentence_model.then(|| learn_sent(skip)),
            )
        })
        .collect();

    // 3. Features.
    let hashed: Vec<(Vec<u32>, Vec<u64>)> = articles
        .par_iter()
        .zip(docs.par_iter())
        .enumerate()
        .map(|(i, (a, (doc, _)))| {
            let (lex, sm) = &fitted[group_of[i]];
            let scores = sm.as_ref().map(|m| m.score_doc(doc, None));
            span_features::hashed(
                &a.text,
                doc,
                Learned {
                    lexicon: lex.as_ref(),
                    sentence_scores: scores.as_deref(),
                },
            )
        })
        .collect();
    let mut counts: HashMap<u64, u32> = HashMap::new();
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
    let (lexicon, sentence) = fitted.into_iter().next_back().expect("k + 1 fits");
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
        decode: cfg.decode,
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
    let score = super::span_model::sequence_score(&emis, trans, start, l, &ys);
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
    let mut value = 0.0;
    let mut grad = vec![0.0; n];
    for (v, g) in parts {
        value += v;
        for (a, b) in grad.iter_mut().zip(&g) {
            *a += b;
        }
    }
    for i in 0..n {
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
}
