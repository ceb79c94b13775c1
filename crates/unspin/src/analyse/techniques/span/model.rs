//! The span-identification (SI) model: a linear-chain CRF over sparse token features
//! ([`span_features`](crate::analyse::techniques::span::features)), decoded from token marginals.
//!
//! Prediction: segment → token features → CRF forward-backward over the whole article →
//! `P(token inside a span)` → runs of tokens above the threshold, bridging one-token gaps,
//! trimmed of edge punctuation → [`ProposedSpan`]s scored by their mean marginal, each with
//! the [`Cue`]s (the features) that pushed it most. Training is in
//! [`span_trainer`](crate::analyse::techniques::span::trainer).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use unspin_segment::{Segmentation, TokenKind};

use crate::analyse::techniques::data::corpus::Article;
use crate::analyse::techniques::span::dense_tagger::DenseTagger;
use crate::analyse::techniques::span::features::{self, Doc, Learned, Lexicon, Template};
use crate::analyse::techniques::span::trainer::{
    SentenceModel, SpanTrainConfig, TokenModel, raw_features,
};
use crate::analyse::word_classes::WordClasses;

/// A proposed span of persuasive language: code points `start..end` of the text, with a
/// score and the features that drove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Mean probability (under the CRF) that the span's words are inside a technique span,
    /// in [0,1]; uncalibrated.
    pub score: f32,
    /// The strongest reasons, strongest first.
    pub cues: Vec<Cue>,
}

/// A human-readable reason for a proposed span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    /// Text the reason is about: a substring of the span or of its sentence.
    pub text: String,
    /// Why it counts, e.g. "word often marked in training articles".
    pub why: String,
    /// How much it raised the span's log-odds (summed over the span's tokens).
    pub weight: f32,
}

/// Label scheme of the CRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LabelScheme {
    /// Inside / outside (2 labels).
    Io,
    /// Begin / inside / outside (3 labels).
    #[default]
    Bio,
    /// Begin / inside for two groups of techniques (5 labels): word-level techniques
    /// (loaded language, name-calling, repetition, exaggeration, flag-waving, slogans,
    /// clichés) and clause-level ones (doubt, fear, causal oversimplification, authority,
    /// black-and-white, whataboutism, bandwagon).
    BioGrouped,
    /// Begin / inside for three groups of spans by length (7 labels): under 20 code
    /// points, 20–59, 60 and more.
    BioLength3,
    /// Four length groups (9 labels): under 15 code points, 15–39, 40–99, 100 and more.
    BioLength4,
    /// Five length groups (11 labels): under 10, 10–24, 25–49, 50–99, 100 and more.
    BioLength5,
}

impl LabelScheme {
    /// Number of labels; label 0 is always "outside". Under the grouped schemes group `g`
    /// has "begin" `1 + 2g` and "inside" `2 + 2g`.
    pub fn n_labels(self) -> usize {
        match self {
            LabelScheme::Io => 2,
            _ => 1 + 2 * self.groups(),
        }
    }

    /// Number of span groups with their own begin/inside labels.
    pub fn groups(self) -> usize {
        match self {
            LabelScheme::Io | LabelScheme::Bio => 1,
            LabelScheme::BioGrouped => 2,
            _ => self.length_edges().len() + 1,
        }
    }

    /// Span lengths (code points) at which the length-grouped schemes start a new group.
    pub fn length_edges(self) -> &'static [usize] {
        match self {
            LabelScheme::BioLength3 => &[20, 60],
            LabelScheme::BioLength4 => &[15, 40, 100],
            LabelScheme::BioLength5 => &[10, 25, 50, 100],
            _ => &[],
        }
    }
}

/// How to turn token marginals into spans. The defaults (threshold 0.225, extend 0.7,
/// max_gap 1, split_begin 0.6) were chosen by 5-fold CV (`docs/techniques-si.md`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DecodeConfig {
    /// A token is "in" when `P(inside) ≥ threshold`.
    pub threshold: f32,
    /// Runs separated by at most this many tokens (of the same sentence) are joined.
    pub max_gap: usize,
    /// Spans whose mean marginal is below this are dropped.
    pub min_score: f32,
    /// Hysteresis: a run started by a token at or above `threshold` extends over
    /// neighbouring tokens (of the same sentence) whose marginal is at least
    /// `extend × threshold`. 1.0 disables it.
    pub extend: f32,
    /// A run is split before a token whose share of "begin" in its inside probability,
    /// `P(begin) / P(inside)`, is at least this (a new span starts there): 0.6 by CV
    /// (+0.003 F1, median length 44 instead of 52). Above 1.0 never splits.
    #[serde(default = "no_split")]
    pub split_begin: f32,
}

/// `split_begin` of models saved before splitting existed.
fn no_split() -> f32 {
    1.01
}

impl Default for DecodeConfig {
    fn default() -> Self {
        DecodeConfig {
            threshold: 0.225,
            max_gap: 1,
            min_score: 0.0,
            extend: 0.7,
            split_begin: 0.6,
        }
    }
}

/// A trained span-identification model (see the module docs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpanModel {
    /// Label scheme.
    pub(crate) scheme: LabelScheme,
    /// Feature hashes, sorted.
    pub(crate) keys: Vec<u64>,
    /// `n_labels` weights per key.
    pub(crate) weights: Vec<f32>,
    /// Transition weights `from * n_labels + to`.
    pub(crate) trans: Vec<f32>,
    /// Start weights.
    pub(crate) start: Vec<f32>,
    /// Learned stem rates, if used.
    pub(crate) lexicon: Option<Lexicon>,
    /// Learned sentence classifier, if used.
    pub(crate) sentence: Option<SentenceModel>,
    /// Learned token classifier, if used.
    pub(crate) token: Option<TokenModel>,
    /// Whether the CRF uses the raw lexical features.
    pub(crate) raw_lexical: bool,
    /// Decoding settings.
    pub(crate) decode: DecodeConfig,
    /// Word classes used as features, if any.
    #[serde(default)]
    pub(crate) classes: Option<Arc<WordClasses>>,
    /// Neural tagger over word vectors whose P(inside) is averaged with the CRF's, if any.
    #[serde(default)]
    pub(crate) dense: Option<DenseTagger>,
    /// Weight of the neural tagger in that average.
    #[serde(default)]
    pub(crate) dense_weight: f32,
    #[serde(skip)]
    pub(crate) index: OnceLock<HashMap<u64, u32, IdHash>>,
}

/// Hasher for keys that are already well-mixed 64-bit hashes: uses them as they are.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHash;

/// The hasher of [`IdHash`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

/// Token marginals of one article, for decoding at several thresholds.
#[derive(Debug, Clone)]
pub struct TokenScores {
    /// `P(inside)` of every token.
    pub p_in: Vec<f32>,
    /// `P(begin)` of every token (zero under [`LabelScheme::Io`]).
    pub p_begin: Vec<f32>,
    /// The neural tagger's own `P(inside)` of every token, when the model has one
    /// (already averaged into `p_in`).
    pub p_dense: Option<Vec<f32>>,
    doc: Doc,
    sentence_scores: Option<Vec<f32>>,
    token_scores: Option<Vec<f32>>,
}

impl TokenScores {
    /// For each sentence of the segmentation, its first token index and one past its last
    /// (indices into [`Self::p_in`]).
    pub fn sentence_tokens(&self) -> &[(usize, usize)] {
        &self.doc.sent_toks
    }

    /// The span model's own sentence scores (its cross-fitted sentence classifier), one per
    /// sentence, when the model has one.
    pub fn sentence_scores(&self) -> Option<&[f32]> {
        self.sentence_scores.as_deref()
    }
}

impl SpanModel {
    /// Trains a model on `articles` (see [`span_trainer`](crate::analyse::techniques::span::trainer)).
    pub fn train(articles: &[&Article], cfg: &SpanTrainConfig) -> SpanModel {
        crate::analyse::techniques::span::trainer::train(articles, cfg)
    }

    /// Proposed spans of `text` (segmented as `seg`), in text order, non-overlapping.
    pub fn predict(&self, text: &str, seg: &Segmentation) -> Vec<ProposedSpan> {
        let scores = self.token_scores(text, seg);
        self.decode(text, &scores, &self.decode)
    }

    /// Returns the model with decision threshold `t` (on token marginals, in [0,1]).
    pub fn with_threshold(mut self, t: f32) -> Self {
        self.decode.threshold = t;
        self
    }

    /// The current decision threshold.
    pub fn threshold(&self) -> f32 {
        self.decode.threshold
    }

    /// The decoding settings.
    pub fn decode_config(&self) -> DecodeConfig {
        self.decode
    }

    /// Replaces the decoding settings.
    pub fn with_decode_config(mut self, d: DecodeConfig) -> Self {
        self.decode = d;
        self
    }

    /// Number of stored feature weights rows (a size measure).
    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// Approximate serialised size in bytes (compact binary encodings such as postcard).
    pub fn approx_size_bytes(&self) -> usize {
        self.keys.len() * 9
            + self.weights.len() * 4
            + self.lexicon.as_ref().map_or(0, |l| l.len() * 13)
            + self.sentence.as_ref().map_or(0, |m| m.len() * 13)
            + self.token.as_ref().map_or(0, |m| m.len() * 13)
            + self.dense.as_ref().map_or(0, |d| {
                // 4-bit values, a scale and about 8 bytes of word per entry.
                d.n_weights() * 4 + d.vectors().len() * (d.vectors().dim().div_ceil(2) + 12)
            })
    }

    /// The neural tagger averaged into the marginals, and its weight, if the model has one.
    pub fn dense(&self) -> Option<(&DenseTagger, f32)> {
        self.dense.as_ref().map(|d| (d, self.dense_weight))
    }

    fn index(&self) -> &HashMap<u64, u32, IdHash> {
        self.index.get_or_init(|| {
            self.keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, i as u32))
                .collect()
        })
    }

    fn learned<'a>(&'a self, sent: Option<&'a [f32]>, tok: Option<&'a [f32]>) -> Learned<'a> {
        Learned {
            lexicon: self.lexicon.as_ref(),
            sentence_scores: sent,
            token_scores: tok,
            skip_raw: !self.raw_lexical,
        }
    }

    /// CRF token marginals of `text`.
    pub fn token_scores(&self, text: &str, seg: &Segmentation) -> TokenScores {
        let mut doc = Doc::new(text, seg);
        if let Some(wc) = &self.classes {
            doc.set_classes(wc);
        }
        let sentence_scores = self
            .sentence
            .as_ref()
            .map(|m| m.score_doc(&doc, self.lexicon.as_ref()));
        let token_scores = self
            .token
            .as_ref()
            .map(|m| m.score(&raw_features(text, &doc)));
        let l = self.scheme.n_labels();
        let index = self.index();
        let mut emis = vec![0f64; doc.len() * l];
        features::extract(
            text,
            &doc,
            self.learned(sentence_scores.as_deref(), token_scores.as_deref()),
            |i, t, v| {
                if let Some(&k) = index.get(&features::feature_hash(t, v)) {
                    let w = &self.weights[k as usize * l..(k as usize + 1) * l];
                    for y in 0..l {
                        emis[i * l + y] += f64::from(w[y]);
                    }
                }
            },
        );
        let trans: Vec<f64> = self.trans.iter().map(|&x| f64::from(x)).collect();
        let start: Vec<f64> = self.start.iter().map(|&x| f64::from(x)).collect();
        let fb = forward_backward(&emis, &trans, &start, l);
        let mut p_in: Vec<f32> = (0..doc.len())
            .map(|t| (1.0 - fb.marginals[t * l]) as f32)
            .collect();
        let p_dense = self.dense.as_ref().map(|d| d.score(text, &doc));
        if let Some(p) = &p_dense {
            let w = self.dense_weight;
            for (x, y) in p_in.iter_mut().zip(p) {
                *x = (1.0 - w) * *x + w * y;
            }
        }
        let p_begin = (0..doc.len())
            .map(|t| match self.scheme {
                LabelScheme::Io => 0.0,
                _ => (1..l)
                    .step_by(2)
                    .map(|y| fb.marginals[t * l + y])
                    .sum::<f64>() as f32,
            })
            .collect();
        TokenScores {
            p_in,
            p_begin,
            p_dense,
            doc,
            sentence_scores,
            token_scores,
        }
    }

    /// Decodes token marginals into spans with the settings `d`.
    pub fn decode(&self, text: &str, scores: &TokenScores, d: &DecodeConfig) -> Vec<ProposedSpan> {
        let runs = decode_runs(&scores.doc, &scores.p_in, &scores.p_begin, d);
        let mut cues = self.cues(text, scores, &runs);
        runs.into_iter()
            .zip(cues.iter_mut())
            .map(|((a, b, score), cues)| ProposedSpan {
                start: scores.doc.toks[a].start,
                end: scores.doc.toks[b - 1].end,
                score,
                cues: std::mem::take(cues),
            })
            .collect()
    }

    /// The strongest features of each run's tokens: each feature's contribution to
    /// "inside" vs "outside", summed over the run's tokens, top 3 positive ones.
    fn cues(
        &self,
        text: &str,
        scores: &TokenScores,
        runs: &[(usize, usize, f32)],
    ) -> Vec<Vec<Cue>> {
        let l = self.scheme.n_labels();
        let index = self.index();
        let doc = &scores.doc;
        let mut span_of = vec![usize::MAX; doc.len()];
        for (k, &(a, b, _)) in runs.iter().enumerate() {
            span_of[a..b].fill(k);
        }
        type Acc = Vec<((Template, usize, usize), f32)>;
        let mut accs: Vec<Acc> = vec![Vec::new(); runs.len()];
        features::extract_where(
            text,
            doc,
            self.learned(
                scores.sentence_scores.as_deref(),
                scores.token_scores.as_deref(),
            ),
            |i| span_of[i] != usize::MAX,
            |i, t, v| {
                if !t.is_lexical() && !matches!(t, Template::Quote | Template::SentScore) {
                    return;
                }
                // A rate feature is cited only when the rate is high (≥ 0.25, well above
                // the share of marked words): its explanation says "high propaganda rate".
                if matches!(t, Template::LexRate | Template::PairRate)
                    && !matches!(v, "5" | "6" | "7" | "8")
                {
                    return;
                }
                // Likewise a repetition feature is cited only when the word does repeat.
                if matches!(
                    (t, v),
                    (Template::Repeat, "1") | (Template::RepeatEarlier, "0")
                ) {
                    return;
                }
                let Some(&k) = index.get(&features::feature_hash(t, v)) else {
                    return;
                };
                let w = &self.weights[k as usize * l..(k as usize + 1) * l];
                let inside = w[1..].iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let c = inside - w[0];
                if c <= 0.0 {
                    return;
                }
                let tok = &doc.toks[i];
                let (s0, s1) = doc.sent_toks[tok.sentence];
                let (a, b, _) = runs[span_of[i]];
                let (bs, be) = match t {
                    Template::BigramLeft if i > s0 => (doc.toks[i - 1].bstart, tok.bend),
                    Template::BigramRight if i + 1 < s1 => (tok.bstart, doc.toks[i + 1].bend),
                    // Quote and sentence cues point at the span itself.
                    Template::Quote | Template::SentScore => {
                        (doc.toks[a].bstart, doc.toks[b - 1].bend)
                    }
                    _ => (tok.bstart, tok.bend),
                };
                let acc = &mut accs[span_of[i]];
                match acc.iter_mut().find(|e| e.0 == (t, bs, be)) {
                    Some(e) => e.1 += c,
                    None => acc.push(((t, bs, be), c)),
                }
            },
        );
        accs.into_iter()
            .zip(runs)
            .map(|(mut acc, &(a, b, _))| {
                acc.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.1.cmp(&y.0.1)));
                let mut out: Vec<Cue> = Vec::new();
                for ((t, bs, be), w) in acc {
                    let text = text[bs..be].to_string();
                    // One reason per quoted text: the strongest.
                    if out.iter().any(|c| c.text == text) {
                        continue;
                    }
                    out.push(Cue {
                        text,
                        why: t.why().to_string(),
                        weight: w,
                    });
                    if out.len() == 3 {
                        break;
                    }
                }
                let mut dense_cue = None;
                // The neural tagger's say: the word of the span it rates highest, when it
                // rates it as more likely inside than not.
                if let Some(p) = &scores.p_dense {
                    let best = (a..b)
                        .filter(|&i| doc.toks[i].kind == TokenKind::Word)
                        .max_by(|&i, &j| p[i].total_cmp(&p[j]).then(j.cmp(&i)));
                    if let Some(i) = best.filter(|&i| p[i] >= 0.5) {
                        let t = &doc.toks[i];
                        dense_cue = Some(Cue {
                            text: text[t.bstart..t.bend].to_string(),
                            why: format!(
                                "the word-vector tagger, reading its context, rates it {:.0} % \
                                 likely to be marked",
                                p[i] * 100.0
                            ),
                            weight: p[i],
                        });
                    }
                }
                out.extend(dense_cue);
                out
            })
            .collect()
    }
}

/// Turns token marginals into token runs `(first, one past last, mean marginal)`.
pub(crate) fn decode_runs(
    doc: &Doc,
    p_in: &[f32],
    p_begin: &[f32],
    d: &DecodeConfig,
) -> Vec<(usize, usize, f32)> {
    let n = p_in.len();
    let low = d.threshold * d.extend.min(1.0);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if p_in[i] >= d.threshold {
            let mut a = i;
            while i < n && p_in[i] >= d.threshold {
                i += 1;
            }
            let sent = doc.toks[a].sentence;
            while a > 0 && p_in[a - 1] >= low && doc.toks[a - 1].sentence == sent {
                a -= 1;
            }
            while i < n && p_in[i] >= low && doc.toks[i].sentence == doc.toks[i - 1].sentence {
                i += 1;
            }
            match runs.last_mut() {
                Some(last)
                    if a <= last.1
                        || (a - last.1 <= d.max_gap
                            && doc.toks[last.1 - 1].sentence == doc.toks[a].sentence) =>
                {
                    last.1 = i
                }
                _ => runs.push((a, i)),
            }
        } else {
            i += 1;
        }
    }
    if d.split_begin <= 1.0 && p_begin.len() == n {
        let mut split = Vec::with_capacity(runs.len());
        for (a, b) in runs {
            let mut start = a;
            for j in a + 1..b {
                if p_in[j] > 0.0 && p_begin[j] / p_in[j] >= d.split_begin {
                    split.push((start, j));
                    start = j;
                }
            }
            split.push((start, b));
        }
        runs = split;
    }
    let toks = &doc.toks;
    let mut out = Vec::with_capacity(runs.len());
    for (mut a, mut b) in runs {
        // Trim edge punctuation, except quote marks that have their partner inside.
        let quotes_in = |a: usize, b: usize| {
            toks[a..b]
                .iter()
                .filter(|t| t.kind == TokenKind::Punct && t.in_quote && is_quote_tok(&t.lower))
                .count()
        };
        while a < b && toks[a].kind == TokenKind::Punct {
            if is_quote_tok(&toks[a].lower) && quotes_in(a, b) >= 2 {
                break;
            }
            a += 1;
        }
        while b > a && toks[b - 1].kind == TokenKind::Punct {
            if is_quote_tok(&toks[b - 1].lower) && quotes_in(a, b) >= 2 {
                break;
            }
            b -= 1;
        }
        let words: Vec<f32> = (a..b)
            .filter(|&j| matches!(toks[j].kind, TokenKind::Word | TokenKind::Number))
            .map(|j| p_in[j])
            .collect();
        if words.is_empty() {
            continue;
        }
        let score = words.iter().sum::<f32>() / words.len() as f32;
        if score >= d.min_score {
            out.push((a, b, score));
        }
    }
    out
}

fn is_quote_tok(s: &str) -> bool {
    matches!(s, "\"" | "“" | "”" | "«" | "»" | "„")
}

/// Result of [`forward_backward`].
#[derive(Debug, Clone)]
pub(crate) struct ForwardBackward {
    /// `log Z`.
    pub log_z: f64,
    /// `P(y_t = y)`, `t * L + y`.
    pub marginals: Vec<f64>,
    /// `Σ_t P(y_{t-1} = a, y_t = b)`, `a * L + b`.
    pub pair_sums: Vec<f64>,
}

/// Scaled forward-backward of a linear chain with emission scores `emis` (`T × L`),
/// transition scores `trans` (`L × L`, from × to) and start scores `start` (`L`).
pub(crate) fn forward_backward(
    emis: &[f64],
    trans: &[f64],
    start: &[f64],
    l: usize,
) -> ForwardBackward {
    let t_len = emis.len() / l;
    let mut marginals = vec![0.0; emis.len()];
    let mut pair_sums = vec![0.0; l * l];
    if t_len == 0 {
        return ForwardBackward {
            log_z: 0.0,
            marginals,
            pair_sums,
        };
    }
    let tmax = trans.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e_tr: Vec<f64> = trans.iter().map(|&x| (x - tmax).exp()).collect();
    let mut psi = vec![0.0; emis.len()];
    let mut log_z = 0.0;
    for t in 0..t_len {
        let row = &emis[t * l..(t + 1) * l];
        let mut m = f64::NEG_INFINITY;
        for y in 0..l {
            let v = row[y] + if t == 0 { start[y] } else { 0.0 };
            m = m.max(v);
        }
        for y in 0..l {
            let v = row[y] + if t == 0 { start[y] } else { 0.0 };
            psi[t * l + y] = (v - m).exp();
        }
        log_z += m;
    }
    log_z += (t_len - 1) as f64 * tmax;
    let mut alpha = vec![0.0; emis.len()];
    let mut scale = vec![0.0; t_len];
    alpha[..l].copy_from_slice(&psi[..l]);
    for t in 0..t_len {
        if t > 0 {
            for y in 0..l {
                let mut s = 0.0;
                for yp in 0..l {
                    s += alpha[(t - 1) * l + yp] * e_tr[yp * l + y];
                }
                alpha[t * l + y] = s * psi[t * l + y];
            }
        }
        let c: f64 = alpha[t * l..(t + 1) * l].iter().sum();
        scale[t] = c;
        for y in 0..l {
            alpha[t * l + y] /= c;
        }
        log_z += c.ln();
    }
    let mut beta = vec![0.0; emis.len()];
    for y in 0..l {
        beta[(t_len - 1) * l + y] = 1.0;
    }
    for t in (0..t_len - 1).rev() {
        for yp in 0..l {
            let mut s = 0.0;
            for y in 0..l {
                s += e_tr[yp * l + y] * psi[(t + 1) * l + y] * beta[(t + 1) * l + y];
            }
            beta[t * l + yp] = s / scale[t + 1];
        }
    }
    for t in 0..t_len {
        for y in 0..l {
            marginals[t * l + y] = alpha[t * l + y] * beta[t * l + y];
        }
        if t > 0 {
            for yp in 0..l {
                for y in 0..l {
                    pair_sums[yp * l + y] += alpha[(t - 1) * l + yp]
                        * e_tr[yp * l + y]
                        * psi[t * l + y]
                        * beta[t * l + y]
                        / scale[t];
                }
            }
        }
    }
    ForwardBackward {
        log_z,
        marginals,
        pair_sums,
    }
}

/// Score of a label sequence.
pub(crate) fn sequence_score(
    emis: &[f64],
    trans: &[f64],
    start: &[f64],
    l: usize,
    ys: &[usize],
) -> f64 {
    let mut s = 0.0;
    for (t, &y) in ys.iter().enumerate() {
        s += emis[t * l + y];
        s += if t == 0 {
            start[y]
        } else {
            trans[ys[t - 1] * l + y]
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 11) as f64 / (1u64 << 53) as f64) * 4.0 - 2.0
    }

    #[test]
    fn forward_backward_matches_brute_force() {
        let (l, t_len) = (3usize, 5usize);
        let mut seed = 7;
        let emis: Vec<f64> = (0..t_len * l).map(|_| lcg(&mut seed) * 3.0).collect();
        let trans: Vec<f64> = (0..l * l).map(|_| lcg(&mut seed)).collect();
        let start: Vec<f64> = (0..l).map(|_| lcg(&mut seed)).collect();
        let fb = forward_backward(&emis, &trans, &start, l);
        let mut z = 0.0;
        let mut marg = vec![0.0; t_len * l];
        let mut pairs = vec![0.0; l * l];
        let mut ys = vec![0usize; t_len];
        for code in 0..l.pow(t_len as u32) {
            let mut c = code;
            for y in ys.iter_mut() {
                *y = c % l;
                c /= l;
            }
            let p = sequence_score(&emis, &trans, &start, l, &ys).exp();
            z += p;
            for (t, &y) in ys.iter().enumerate() {
                marg[t * l + y] += p;
                if t > 0 {
                    pairs[ys[t - 1] * l + y] += p;
                }
            }
        }
        assert!(
            (fb.log_z - z.ln()).abs() < 1e-9,
            "{} vs {}",
            fb.log_z,
            z.ln()
        );
        for (a, b) in fb.marginals.iter().zip(&marg) {
            assert!((a - b / z).abs() < 1e-9);
        }
        for (a, b) in fb.pair_sums.iter().zip(&pairs) {
            assert!((a - b / z).abs() < 1e-9);
        }
    }

    #[test]
    fn decodes_whole_spans() {
        let text = "The corrupt regime , he said , is a “ total disaster ” for all .";
        let seg = unspin_segment::segment(text);
        let doc = Doc::new(text, &seg);
        let words: Vec<&str> = doc.toks.iter().map(|t| t.lower.as_str()).collect();
        let mut p = vec![0.05f32; doc.len()];
        let at = |w: &str| words.iter().position(|x| *x == w).unwrap();
        // "corrupt regime ," with a trailing comma, and a quoted phrase with one weak word.
        p[at("corrupt")] = 0.8;
        p[at("regime")] = 0.7;
        p[at("regime") + 1] = 0.6;
        for w in ["“", "total", "”"] {
            p[at(w)] = 0.9;
        }
        p[at("disaster")] = 0.2;
        let d = DecodeConfig {
            threshold: 0.5,
            max_gap: 1,
            min_score: 0.0,
            extend: 1.0,
            split_begin: 0.6,
        };
        let show = |runs: Vec<(usize, usize, f32)>| -> Vec<&str> {
            runs.iter()
                .map(|&(a, b, _)| &text[doc.toks[a].bstart..doc.toks[b - 1].bend])
                .collect()
        };
        assert_eq!(
            show(decode_runs(&doc, &p, &[], &d)),
            ["corrupt regime", "“ total disaster ”"]
        );
        // A likely begin inside a run starts a new span; a weak one does not.
        let mut b = vec![0f32; doc.len()];
        b[at("corrupt")] = 0.8;
        b[at("regime")] = 0.5;
        b[at("total")] = 0.3;
        assert_eq!(
            show(decode_runs(&doc, &p, &b, &d)),
            ["corrupt", "regime", "“ total disaster ”"]
        );
    }
}
