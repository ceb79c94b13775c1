//! A small neural token tagger over pretrained word vectors: the span model's dense,
//! contextual evidence.
//!
//! The CRF of [`span_model`](crate::analyse::techniques::span::model) sees sparse facts (words, stems, word
//! classes, learned rates). This tagger sees every token as its pretrained word vector
//! plus a few surface facts, mixes a window of ±2 tokens through a hidden layer, then mixes
//! a window of ±1 of those hidden vectors with the mean hidden vector of the sentence
//! through a second layer, and gives P(token is inside a persuasive span). Windows stop at
//! sentence edges. Its output is averaged with the CRF's marginals before decoding.
//!
//! Training ([`DenseTrainer`]) minimises the binary cross-entropy with Adam over seeded
//! mini-batches of articles; each batch is cut into a fixed number of parts whose gradients
//! are summed in part order, so the model is the same for any thread count.

use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unspin_segment::TokenKind;

use crate::analyse::context::{ContextHandle, Encoding};
use crate::analyse::techniques::data::corpus::SplitMix64;
use crate::analyse::techniques::span::features::Doc;
pub use crate::analyse::word_vectors::WordVectors;

/// Number of surface facts appended to each word vector.
pub const EXTRAS: usize = 8;
/// Tokens on each side in the first layer's window.
const W1: usize = 2;
/// Hidden vectors on each side in the second layer's window.
const W2: usize = 1;
/// Hidden vectors the second layer sees per token: the window and the sentence mean.
const SLOTS: usize = 2 * W2 + 2;

/// The per-token inputs of one article: word vector and surface facts, and its sentences.
#[derive(Debug, Clone)]
pub struct DocInputs {
    /// `n × (dim + EXTRAS)` row-major.
    pub x0: Vec<f32>,
    /// Token ranges of the sentences, in order, covering every token.
    pub sentences: Vec<(usize, usize)>,
}

impl DocInputs {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.sentences.last().map_or(0, |s| s.1)
    }

    /// True when the article has no token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Factor on the contextual encoder's vectors in the tagger's inputs.
const CTX_GAIN: f32 = 1.0;

/// Builds the inputs of `doc` (of `text`).
pub fn doc_inputs(text: &str, doc: &Doc, vectors: &WordVectors) -> DocInputs {
    doc_inputs_ctx(text, doc, vectors, None)
}

/// Builds the inputs of `doc` (of `text`), with the contextual encoder's vector of each
/// token (mean of its word pieces) after the surface facts when `ctx` is given.
pub fn doc_inputs_ctx(
    text: &str,
    doc: &Doc,
    vectors: &WordVectors,
    ctx: Option<&Encoding>,
) -> DocInputs {
    let cd = ctx.map_or(0, |c| c.dim);
    let pooled = ctx.map(|c| {
        let ranges: Vec<(usize, usize)> = doc.toks.iter().map(|t| (t.start, t.end)).collect();
        c.pool(&ranges)
    });
    let d0 = vectors.dim() + EXTRAS + cd;
    let n = doc.len();
    let mut x0 = vec![0f32; n * d0];
    let gain = (vectors.dim() as f32).sqrt();
    for (i, t) in doc.toks.iter().enumerate() {
        let row = &mut x0[i * d0..(i + 1) * d0];
        let (v, e) = row.split_at_mut(vectors.dim());
        let (e, c) = e.split_at_mut(EXTRAS);
        if let Some(p) = &pooled {
            for (o, x) in c.iter_mut().zip(&p[i * cd..(i + 1) * cd]) {
                *o = x * CTX_GAIN;
            }
        }
        let known = vectors.write(&t.lower, gain, v);
        let raw = &text[t.bstart..t.bend];
        let first = raw.chars().next().unwrap_or(' ');
        let upper = raw.chars().filter(|c| c.is_uppercase()).count();
        let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
        e[0] = f32::from(u8::from(!known));
        e[1] = f32::from(u8::from(first.is_uppercase()));
        e[2] = f32::from(u8::from(letters > 1 && upper == letters));
        e[3] = f32::from(u8::from(t.kind == TokenKind::Punct));
        e[4] = f32::from(u8::from(t.in_quote));
        e[5] = f32::from(u8::from(t.pos == 0));
        e[6] = f32::from(u8::from(doc.sent_para.get(t.sentence).is_some_and(|p| p.1)));
        e[7] = f32::from(u8::from(t.kind == TokenKind::Number));
    }
    // A document's sentences are consecutive token ranges covering every token; scoring
    // (in blocks of whole sentences) and training rely on that order.
    let sentences: Vec<(usize, usize)> = doc
        .sent_toks
        .iter()
        .copied()
        .filter(|&(a, b)| b > a)
        .collect();
    debug_assert!(
        sentences.first().is_none_or(|s| s.0 == 0)
            && sentences.windows(2).all(|w| w[0].1 == w[1].0)
            && sentences.last().map_or(0, |s| s.1) == n,
        "sentences must cover the tokens in order"
    );
    DocInputs { x0, sentences }
}

/// Widens rows of `inputs` with zeros to `d0` columns.
pub fn pad_inputs(inputs: DocInputs, d0: usize) -> DocInputs {
    let n = inputs.len();
    if n == 0 {
        return inputs;
    }
    let old = inputs.x0.len() / n;
    let mut x0 = vec![0f32; n * d0];
    for i in 0..n {
        x0[i * d0..i * d0 + old].copy_from_slice(&inputs.x0[i * old..(i + 1) * old]);
    }
    DocInputs {
        x0,
        sentences: inputs.sentences,
    }
}

/// Trained weights of the tagger.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DenseTagger {
    vectors: Arc<WordVectors>,
    h1: usize,
    h2: usize,
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
    w3: Vec<f32>,
    b3: f32,
    /// Where the contextual vectors come from, when the tagger was trained with them (its
    /// first layer is then wider than word vector plus surface facts). Not serialised.
    #[serde(skip)]
    context: Option<ContextHandle>,
}

/// Settings of [`DenseTrainer`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DenseTrainConfig {
    /// First hidden layer width.
    pub h1: usize,
    /// Second hidden layer width.
    pub h2: usize,
    /// Passes over the training articles.
    pub epochs: usize,
    /// Adam step size.
    pub lr: f32,
    /// Articles per mini-batch.
    pub batch: usize,
    /// Share of first-layer inputs dropped during training.
    pub dropout: f32,
    /// L2 penalty on the weights (added to the gradient).
    pub l2: f32,
    /// Seed of the initial weights, the batch order and the dropout masks.
    pub seed: u64,
}

impl Default for DenseTrainConfig {
    fn default() -> Self {
        DenseTrainConfig {
            h1: 128,
            h2: 64,
            epochs: 12,
            lr: 1e-3,
            batch: 8,
            dropout: 0.3,
            l2: 1e-5,
            seed: 2020,
        }
    }
}

/// Seeded, platform-independent random numbers: the folds' SplitMix64 generator, with
/// uniform and normal draws.
#[derive(Debug, Clone)]
struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(SplitMix64(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn uniform(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn normal(&mut self) -> f32 {
        let u1 = self.uniform().max(1e-7);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
    }
}

/// `c (m×n) = a (m×k) · b (k×n) + beta · c`, with `a`/`b` read transposed when the flag is
/// set (then stored as `k×m` / `n×k` row-major).
#[allow(clippy::too_many_arguments)]
fn gemm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    at: bool,
    b: &[f32],
    bt: bool,
    beta: f32,
    c: &mut [f32],
) {
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    let (rsa, csa) = if at { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if bt { (1, k as isize) } else { (n as isize, 1) };
    // SAFETY: the slices hold at least the m×k, k×n and m×n elements the strides address
    // (checked above), and `c` does not alias `a` or `b` (it is borrowed mutably).
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// `max(0, x · w + b)` for the `n` rows of `x` (`n × d_in`); `w` is `d_in × b.len()`.
fn affine_relu(n: usize, d_in: usize, x: &[f32], w: &[f32], b: &[f32]) -> Vec<f32> {
    let d_out = b.len();
    let mut a = vec![0f32; n * d_out];
    for r in a.chunks_mut(d_out) {
        r.copy_from_slice(b);
    }
    gemm(n, d_in, d_out, x, false, w, false, 1.0, &mut a);
    a.iter_mut().for_each(|v| *v = v.max(0.0));
    a
}

/// Activations of one forward pass over a set of sentences.
struct Pass {
    x1: Vec<f32>,
    a1: Vec<f32>,
    x2: Vec<f32>,
    a2: Vec<f32>,
    z: Vec<f32>,
}

impl DenseTagger {
    fn d0(&self) -> usize {
        self.w1.len() / (self.h1.max(1) * (2 * W1 + 1))
    }

    /// Width of the contextual vectors among the inputs (0: none).
    pub fn context_dim(&self) -> usize {
        self.d0().saturating_sub(self.vectors.dim() + EXTRAS)
    }

    /// Gives the tagger its source of contextual vectors.
    pub fn set_context(&mut self, context: Option<ContextHandle>) {
        self.context = context;
    }
    fn d1(&self) -> usize {
        (2 * W1 + 1) * self.d0()
    }
    fn d2(&self) -> usize {
        SLOTS * self.h1
    }

    /// The word-vector table.
    pub fn vectors(&self) -> &WordVectors {
        &self.vectors
    }

    /// Number of weights.
    pub fn n_weights(&self) -> usize {
        self.w1.len() + self.b1.len() + self.w2.len() + self.b2.len() + self.w3.len() + 1
    }

    /// P(inside) of every token of `doc` (of `text`).
    pub fn score(&self, text: &str, doc: &Doc) -> Vec<f32> {
        let enc = if self.context_dim() > 0 {
            let enc = self.context.as_ref().and_then(|c| c.0.get(text));
            if enc.is_none() {
                tracing::warn!("contextual tagger without encoder output: scoring with zeros");
            }
            enc
        } else {
            None
        };
        let mut inputs = doc_inputs_ctx(text, doc, &self.vectors, enc.as_deref());
        if enc.is_none() && self.context_dim() > 0 {
            inputs = pad_inputs(inputs, self.d0());
        }
        self.score_inputs(&inputs)
    }

    /// P(inside) of every token, from prepared inputs.
    pub fn score_inputs(&self, inputs: &DocInputs) -> Vec<f32> {
        // Whole sentences at a time, about BLOCK tokens per pass (windows stop at sentence
        // edges, so the result is the same), to keep the activations small on long texts.
        const BLOCK: usize = 512;
        let d0 = self.d0();
        let mut out = Vec::with_capacity(inputs.len());
        let mut first = 0;
        while first < inputs.sentences.len() {
            let start = inputs.sentences[first].0;
            let mut last = first + 1;
            while last < inputs.sentences.len() && inputs.sentences[last].1 - start <= BLOCK {
                last += 1;
            }
            let end = inputs.sentences[last - 1].1;
            let block = DocInputs {
                x0: inputs.x0[start * d0..end * d0].to_vec(),
                sentences: inputs.sentences[first..last]
                    .iter()
                    .map(|&(a, b)| (a - start, b - start))
                    .collect(),
            };
            let pass = self.forward(&[&block], None);
            out.extend(pass.z.iter().map(|&z| sigmoid(z)));
            first = last;
        }
        out
    }

    /// Forward pass over the concatenated tokens of `docs`; `drop` masks first-layer inputs.
    fn forward(&self, docs: &[&DocInputs], mut drop: Option<(&mut Rng, f32)>) -> Pass {
        let (d0, d1, d2, h1, h2) = (self.d0(), self.d1(), self.d2(), self.h1, self.h2);
        let n: usize = docs.iter().map(|d| d.len()).sum();
        let mut x1 = vec![0f32; n * d1];
        let mut row = 0;
        for d in docs {
            for &(a, b) in &d.sentences {
                for i in a..b {
                    let dst = &mut x1[(row + i - a) * d1..(row + i - a + 1) * d1];
                    for (w, j) in (i as isize - W1 as isize..=(i + W1) as isize).enumerate() {
                        if j >= a as isize && j < b as isize {
                            let j = j as usize;
                            dst[w * d0..(w + 1) * d0].copy_from_slice(&d.x0[j * d0..(j + 1) * d0]);
                        }
                    }
                }
                row += b - a;
            }
        }
        if let Some((rng, p)) = drop.as_mut() {
            let keep = 1.0 / (1.0 - *p);
            for x in x1.iter_mut() {
                if rng.uniform() < *p {
                    *x = 0.0;
                } else {
                    *x *= keep;
                }
            }
        }
        let a1 = affine_relu(n, d1, &x1, &self.w1, &self.b1);
        let mut x2 = vec![0f32; n * d2];
        let mut row = 0;
        for d in docs {
            for &(a, b) in &d.sentences {
                let len = b - a;
                let mut mean = vec![0f32; h1];
                for i in 0..len {
                    for (m, v) in mean.iter_mut().zip(&a1[(row + i) * h1..(row + i + 1) * h1]) {
                        *m += v;
                    }
                }
                mean.iter_mut().for_each(|m| *m /= len as f32);
                for i in 0..len {
                    let dst = &mut x2[(row + i) * d2..(row + i + 1) * d2];
                    for (w, j) in (i as isize - W2 as isize..=(i + W2) as isize).enumerate() {
                        if j >= 0 && (j as usize) < len {
                            let j = row + j as usize;
                            dst[w * h1..(w + 1) * h1].copy_from_slice(&a1[j * h1..(j + 1) * h1]);
                        }
                    }
                    dst[(2 * W2 + 1) * h1..].copy_from_slice(&mean);
                }
                row += len;
            }
        }
        let a2 = affine_relu(n, d2, &x2, &self.w2, &self.b2);
        let z = a2
            .chunks(h2)
            .map(|r| self.b3 + r.iter().zip(&self.w3).map(|(a, w)| a * w).sum::<f32>())
            .collect();
        Pass { x1, a1, x2, a2, z }
    }

    /// Gradient of the summed cross-entropy of `docs` against `labels` (one per token,
    /// concatenated), in parameter order; also returns the summed loss.
    fn gradient(
        &self,
        docs: &[&DocInputs],
        labels: &[f32],
        rng: &mut Rng,
        dropout: f32,
    ) -> (Vec<f32>, f64) {
        let (d1, d2, h1, h2) = (self.d1(), self.d2(), self.h1, self.h2);
        let pass = self.forward(docs, Some((rng, dropout)));
        let n = pass.z.len();
        let mut loss = 0f64;
        let dz: Vec<f32> = pass
            .z
            .iter()
            .zip(labels)
            .map(|(&z, &y)| {
                let p = sigmoid(z);
                loss -= f64::from(if y > 0.5 {
                    p.max(1e-7).ln()
                } else {
                    (1.0 - p).max(1e-7).ln()
                });
                p - y
            })
            .collect();
        let mut g = vec![0f32; self.n_weights()];
        let (gw1, rest) = g.split_at_mut(self.w1.len());
        let (gb1, rest) = rest.split_at_mut(h1);
        let (gw2, rest) = rest.split_at_mut(self.w2.len());
        let (gb2, rest) = rest.split_at_mut(h2);
        let (gw3, gb3) = rest.split_at_mut(h2);
        // Output layer.
        let mut da2 = vec![0f32; n * h2];
        for i in 0..n {
            gb3[0] += dz[i];
            for j in 0..h2 {
                let a = pass.a2[i * h2 + j];
                gw3[j] += dz[i] * a;
                if a > 0.0 {
                    da2[i * h2 + j] = dz[i] * self.w3[j];
                }
            }
        }
        // Second layer.
        gemm(d2, n, h2, &pass.x2, true, &da2, false, 0.0, gw2);
        for r in da2.chunks(h2) {
            for (b, x) in gb2.iter_mut().zip(r) {
                *b += x;
            }
        }
        let mut dx2 = vec![0f32; n * d2];
        gemm(n, h2, d2, &da2, false, &self.w2, true, 0.0, &mut dx2);
        let mut da1 = vec![0f32; n * h1];
        let mut row = 0;
        for d in docs {
            for &(a, b) in &d.sentences {
                let len = b - a;
                let mut mean = vec![0f32; h1];
                for i in 0..len {
                    let src = &dx2[(row + i) * d2..(row + i + 1) * d2];
                    for (m, v) in mean.iter_mut().zip(&src[(2 * W2 + 1) * h1..]) {
                        *m += v;
                    }
                    for (w, j) in (i as isize - W2 as isize..=(i + W2) as isize).enumerate() {
                        if j >= 0 && (j as usize) < len {
                            let j = row + j as usize;
                            for (x, v) in da1[j * h1..(j + 1) * h1]
                                .iter_mut()
                                .zip(&src[w * h1..(w + 1) * h1])
                            {
                                *x += v;
                            }
                        }
                    }
                }
                mean.iter_mut().for_each(|m| *m /= len as f32);
                for i in 0..len {
                    for (x, m) in da1[(row + i) * h1..(row + i + 1) * h1]
                        .iter_mut()
                        .zip(&mean)
                    {
                        *x += m;
                    }
                }
                row += len;
            }
        }
        for (x, &a) in da1.iter_mut().zip(&pass.a1) {
            if a <= 0.0 {
                *x = 0.0;
            }
        }
        gemm(d1, n, h1, &pass.x1, true, &da1, false, 0.0, gw1);
        for r in da1.chunks(h1) {
            for (b, x) in gb1.iter_mut().zip(r) {
                *b += x;
            }
        }
        (g, loss)
    }

    fn params_mut(&mut self) -> [&mut [f32]; 6] {
        [
            &mut self.w1,
            &mut self.b1,
            &mut self.w2,
            &mut self.b2,
            &mut self.w3,
            std::slice::from_mut(&mut self.b3),
        ]
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// One article prepared for training: inputs and per-token labels (1 = inside).
#[derive(Debug, Clone)]
pub struct TrainDoc {
    /// The inputs.
    pub inputs: DocInputs,
    /// 1.0 for tokens inside a gold span, else 0.0.
    pub labels: Vec<f32>,
}

/// Number of parts a mini-batch is cut into (fixed, so results do not depend on threads).
const PARTS: usize = 4;

/// Trains a [`DenseTagger`] epoch by epoch (so callers can look at intermediate models).
pub struct DenseTrainer<'a> {
    model: DenseTagger,
    docs: &'a [TrainDoc],
    cfg: DenseTrainConfig,
    rng: Rng,
    m: Vec<f32>,
    v: Vec<f32>,
    step: i32,
    /// Epochs run so far.
    pub epochs_done: usize,
}

impl<'a> DenseTrainer<'a> {
    /// A trainer with seeded initial weights.
    pub fn new(vectors: Arc<WordVectors>, docs: &'a [TrainDoc], cfg: DenseTrainConfig) -> Self {
        let mut rng = Rng::new(cfg.seed ^ 0x5eed_d3a5_e000_0001);
        let d0 = docs
            .iter()
            .find(|d| !d.inputs.is_empty())
            .map_or(vectors.dim() + EXTRAS, |d| {
                d.inputs.x0.len() / d.inputs.len()
            });
        let d1 = (2 * W1 + 1) * d0;
        let d2 = SLOTS * cfg.h1;
        let mut init = |n: usize, fan_in: usize| -> Vec<f32> {
            let s = (2.0 / fan_in as f32).sqrt();
            (0..n).map(|_| rng.normal() * s).collect()
        };
        let w1 = init(d1 * cfg.h1, d1);
        let w2 = init(d2 * cfg.h2, d2);
        let w3 = init(cfg.h2, cfg.h2);
        let model = DenseTagger {
            vectors,
            h1: cfg.h1,
            h2: cfg.h2,
            w1,
            b1: vec![0.0; cfg.h1],
            w2,
            b2: vec![0.0; cfg.h2],
            w3,
            b3: 0.0,
            context: None,
        };
        let n = model.n_weights();
        DenseTrainer {
            model,
            docs,
            cfg,
            rng,
            m: vec![0.0; n],
            v: vec![0.0; n],
            step: 0,
            epochs_done: 0,
        }
    }

    /// Runs one pass over the training articles; returns the mean loss per token.
    pub fn epoch(&mut self) -> f64 {
        let mut order: Vec<usize> = (0..self.docs.len()).collect();
        for i in (1..order.len()).rev() {
            let j = (self.rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut total = 0f64;
        let mut tokens = 0usize;
        for batch in order.chunks(self.cfg.batch.max(1)) {
            // Fixed parts, each with its own seeded dropout stream.
            let per = batch.len().div_ceil(PARTS).max(1);
            let parts: Vec<(&[usize], u64)> =
                batch.chunks(per).map(|p| (p, self.rng.next())).collect();
            let model = &self.model;
            let docs = self.docs;
            let dropout = self.cfg.dropout;
            let grads: Vec<(Vec<f32>, f64, usize)> = parts
                .par_iter()
                .map(|(idx, seed)| {
                    let ds: Vec<&DocInputs> = idx.iter().map(|&i| &docs[i].inputs).collect();
                    let labels: Vec<f32> = idx
                        .iter()
                        .flat_map(|&i| docs[i].labels.iter().copied())
                        .collect();
                    let mut rng = Rng::new(*seed);
                    let (g, l) = model.gradient(&ds, &labels, &mut rng, dropout);
                    (g, l, labels.len())
                })
                .collect();
            let n: usize = grads.iter().map(|g| g.2).sum();
            if n == 0 {
                continue;
            }
            let mut g = vec![0f32; self.m.len()];
            for (part, l, _) in &grads {
                total += l;
                for (a, b) in g.iter_mut().zip(part) {
                    *a += b;
                }
            }
            tokens += n;
            let scale = 1.0 / n as f32;
            self.step += 1;
            let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
            let c1 = 1.0 - b1.powi(self.step);
            let c2 = 1.0 - b2.powi(self.step);
            let (lr, l2) = (self.cfg.lr, self.cfg.l2);
            let mut k = 0;
            for p in self.model.params_mut() {
                for w in p.iter_mut() {
                    let gi = g[k] * scale + l2 * *w;
                    self.m[k] = b1 * self.m[k] + (1.0 - b1) * gi;
                    self.v[k] = b2 * self.v[k] + (1.0 - b2) * gi * gi;
                    *w -= lr * (self.m[k] / c1) / ((self.v[k] / c2).sqrt() + eps);
                    k += 1;
                }
            }
        }
        self.epochs_done += 1;
        total / tokens.max(1) as f64
    }

    /// The model as trained so far.
    pub fn model(&self) -> &DenseTagger {
        &self.model
    }

    /// Runs the configured number of epochs and returns the model.
    pub fn train(mut self) -> DenseTagger {
        while self.epochs_done < self.cfg.epochs {
            self.epoch();
        }
        self.model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny vector table: "calm"-like words point one way, "loud"-like words another;
    /// `spread` sets how far apart the words of one kind are.
    fn vectors_spread(spread: f32) -> Arc<WordVectors> {
        let words = [
            "the", "a", "plan", "is", "disgrace", "shameful", "vile", "ordinary", "report", "fine",
        ];
        let dim = 4;
        let mut values = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let loud = matches!(*w, "disgrace" | "shameful" | "vile");
            let v = if loud {
                [1.0, 2.0 * spread * i as f32, 0.1, 0.0]
            } else {
                [-0.2, spread * i as f32, 1.0, 0.3]
            };
            values.extend_from_slice(&v);
        }
        Arc::new(WordVectors::from_f32(
            words.iter().map(|w| w.to_string()).collect(),
            &values,
            dim,
        ))
    }

    fn vectors() -> Arc<WordVectors> {
        vectors_spread(0.1)
    }

    fn doc(text: &str) -> Doc {
        Doc::new(text, &unspin_segment::segment(text))
    }

    fn train_docs(v: &WordVectors) -> Vec<TrainDoc> {
        let texts = [
            "The plan is a disgrace. The report is fine.",
            "A vile plan. The ordinary report.",
            "The report is a disgrace. A fine plan.",
        ];
        texts
            .iter()
            .map(|t| {
                let d = doc(t);
                let labels = d
                    .toks
                    .iter()
                    .map(|t| f32::from(u8::from(matches!(t.lower.as_str(), "disgrace" | "vile"))))
                    .collect();
                TrainDoc {
                    inputs: doc_inputs(t, &d, v),
                    labels,
                }
            })
            .collect()
    }

    fn small() -> DenseTrainConfig {
        DenseTrainConfig {
            h1: 6,
            h2: 5,
            epochs: 3,
            batch: 2,
            ..DenseTrainConfig::default()
        }
    }

    /// A stand-in encoder that knows what the words cannot show: each word is a piece whose
    /// vector's first component is 1 on every second occurrence of "plan".
    #[derive(Debug)]
    struct Alternating;

    impl crate::analyse::context::ContextEncoder for Alternating {
        fn dim(&self) -> usize {
            2
        }
        fn encode(&self, text: &str) -> Result<Encoding, String> {
            let chars: Vec<char> = text.chars().collect();
            let (mut offsets, mut vectors, mut plans) = (Vec::new(), Vec::new(), 0usize);
            let mut i = 0;
            while i < chars.len() {
                if !chars[i].is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let marked = word == "plan" && plans.is_multiple_of(2);
                plans += usize::from(word == "plan");
                offsets.push((start, i));
                vectors.extend([f32::from(u8::from(marked)), 1.0]);
            }
            Ok(Encoding {
                offsets,
                vectors,
                dim: 2,
            })
        }
    }

    #[test]
    fn contextual_columns_teach_what_the_words_cannot_and_survive_a_round_trip() {
        use crate::analyse::context::ContextCache;
        let v = vectors();
        let text = "The plan is fine. ".repeat(12);
        let d = doc(&text);
        let cache = Arc::new(ContextCache::with_encoder(Arc::new(Alternating)));
        let enc = cache.get(&text).unwrap();
        let mut plans = 0usize;
        let labels: Vec<f32> = d
            .toks
            .iter()
            .map(|t| {
                let inside = t.lower == "plan" && plans.is_multiple_of(2);
                plans += usize::from(t.lower == "plan");
                f32::from(u8::from(inside))
            })
            .collect();
        let docs = vec![TrainDoc {
            inputs: doc_inputs_ctx(&text, &d, &v, Some(&enc)),
            labels,
        }];
        let cfg = DenseTrainConfig {
            epochs: 200,
            batch: 1,
            dropout: 0.0,
            lr: 1e-2,
            ..small()
        };
        let mut model = DenseTrainer::new(v.clone(), &docs, cfg).train();
        assert_eq!(model.context_dim(), 2);
        model.set_context(Some(ContextHandle(cache)));
        let p = model.score(&text, &d);
        let plan_scores: Vec<f32> = d
            .toks
            .iter()
            .zip(&p)
            .filter(|(t, _)| t.lower == "plan")
            .map(|(_, &p)| p)
            .collect();
        let marked: f32 = plan_scores.iter().step_by(2).sum::<f32>() / 6.0;
        let other: f32 = plan_scores.iter().skip(1).step_by(2).sum::<f32>() / 6.0;
        assert!(marked > other + 0.3, "marked {marked}, other {other}");
        // Serialised, the tagger keeps its input width; without an encoder it scores every
        // token (the contextual columns as zeros) instead of failing.
        let back: DenseTagger =
            postcard::from_bytes(&postcard::to_stdvec(&model).unwrap()).unwrap();
        assert_eq!(back.context_dim(), 2);
        assert_eq!(back.score(&text, &d).len(), d.len());
    }

    #[test]
    fn quantised_vectors_keep_their_direction() {
        let v = vectors();
        let mut out = [0f32; 4];
        assert!(v.write("vile", 1.0, &mut out));
        let norm: f32 = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 0.05, "{norm}");
        assert!(!v.write("unknown", 1.0, &mut out));
    }

    /// The analytic gradient matches finite differences of the loss (no dropout).
    #[test]
    fn gradient_matches_finite_differences() {
        let v = vectors();
        let docs = train_docs(&v);
        let mut t = DenseTrainer::new(v, &docs, small());
        t.epoch(); // move off the initial point so that some units are active
        let model = t.model().clone();
        let inputs: Vec<&DocInputs> = docs.iter().map(|d| &d.inputs).collect();
        let labels: Vec<f32> = docs.iter().flat_map(|d| d.labels.iter().copied()).collect();
        let loss = |m: &DenseTagger| {
            let p = m.forward(&inputs, None);
            p.z.iter()
                .zip(&labels)
                .map(|(&z, &y)| {
                    let p = f64::from(sigmoid(z));
                    if y > 0.5 { -p.ln() } else { -(1.0 - p).ln() }
                })
                .sum::<f64>()
        };
        let (g, _) = model.gradient(&inputs, &labels, &mut Rng::new(1), 0.0);
        // Directional derivatives along random directions (single weights can sit on a
        // ReLU kink; a direction mixes all of them, so kinks shift it only slightly).
        let mut rng = Rng::new(99);
        for _ in 0..6 {
            let d: Vec<f32> = (0..g.len()).map(|_| rng.normal()).collect();
            let analytic: f64 = g.iter().zip(&d).map(|(a, b)| f64::from(a * b)).sum();
            let eps = 1e-4f32;
            let shifted = |sign: f32| {
                let mut m = model.clone();
                let mut k = 0;
                for p in m.params_mut() {
                    for w in p.iter_mut() {
                        *w += sign * eps * d[k];
                        k += 1;
                    }
                }
                loss(&m)
            };
            let numeric = (shifted(1.0) - shifted(-1.0)) / (2.0 * f64::from(eps));
            assert!(
                (numeric - analytic).abs() <= 0.02 * analytic.abs().max(1.0),
                "directional derivative {numeric} by finite differences, {analytic} by backprop"
            );
        }
    }

    #[test]
    fn same_seed_same_model_whatever_the_thread_count() {
        let v = vectors();
        let docs = train_docs(&v);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| DenseTrainer::new(v.clone(), &docs, small()).train())
        };
        let (a, b) = (run(1), run(3));
        assert_eq!(a.w1, b.w1);
        assert_eq!(a.w2, b.w2);
        assert_eq!(a.w3, b.w3);
    }

    #[test]
    fn long_texts_are_scored_in_blocks_with_the_same_result() {
        let v = vectors();
        let docs = train_docs(&v);
        let model = DenseTrainer::new(v.clone(), &docs, small()).train();
        let text = "The plan is a disgrace, the report is fine and the plan is vile. ".repeat(80);
        let d = doc(&text);
        let inputs = doc_inputs(&text, &d, &v);
        assert!(inputs.len() > 1000);
        let whole: Vec<f32> = model
            .forward(&[&inputs], None)
            .z
            .iter()
            .map(|&z| sigmoid(z))
            .collect();
        let blocks = model.score_inputs(&inputs);
        assert_eq!(blocks.len(), whole.len());
        for (a, b) in blocks.iter().zip(&whole) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }

    #[test]
    fn learns_to_mark_words_like_the_marked_ones() {
        let v = vectors_spread(0.02);
        let docs = train_docs(&v);
        let cfg = DenseTrainConfig {
            epochs: 200,
            lr: 1e-2,
            dropout: 0.0,
            ..small()
        };
        let model = DenseTrainer::new(v, &docs, cfg).train();
        // "shameful" was never marked (nor seen), but its vector is like "disgrace"'s.
        let text = "The report is shameful. The plan is ordinary.";
        let p = model.score(text, &doc(text));
        let d = doc(text);
        let at = |w: &str| p[d.toks.iter().position(|t| t.lower == w).unwrap()];
        assert!(at("shameful") > 0.5, "{}", at("shameful"));
        assert!(at("ordinary") < 0.5, "{}", at("ordinary"));
        assert!(at("report") < 0.5, "{}", at("report"));
    }
}
