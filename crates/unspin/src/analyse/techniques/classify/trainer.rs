//! Training of the technique classifier: its hyper-parameters ([`ClassifierTrainConfig`]),
//! the sparse training matrix and a deterministic L-BFGS optimiser for L2-regularised
//! multinomial logistic regression.
//!
//! Everything runs on one thread in a fixed order, so the same data and configuration give
//! bit-identical weights on every machine and with any number of threads.

// Numeric kernels index several parallel arrays; index loops read best there.
#![allow(clippy::needless_range_loop)]

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::analyse::techniques::classify::features::FeatureConfig;
use crate::analyse::word_classes::WordClasses;

pub use crate::analyse::linear::{SparseRows, lbfgs};

/// Hyper-parameters of [`TechniqueClassifier::train`](crate::analyse::techniques::classify::model::TechniqueClassifier::train).
/// The defaults are the configuration chosen by cross-validation (see
/// `docs/techniques-tc.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifierTrainConfig {
    /// Seed of every random choice. Training from the zero vector with L-BFGS makes no
    /// random choice today; the seed is recorded so that future variants stay reproducible.
    pub seed: u64,
    /// Which feature templates to use.
    pub features: FeatureConfig,
    /// L2 penalty on the weights (not on the biases), per training example: the objective
    /// is the mean cross-entropy plus `l2 / 2 · ‖W‖²`.
    pub l2: f64,
    /// Features seen in fewer training spans than this are dropped.
    pub min_count: usize,
    /// Maximum number of L-BFGS iterations.
    pub max_iter: usize,
    /// Number of correction pairs L-BFGS keeps.
    pub memory: usize,
    /// Stop when the objective decreases by less than this (relative) over an iteration.
    pub tolerance: f64,
    /// Weight of a multinomial naive-Bayes model blended into the logistic regression's
    /// logits (0: pure logistic regression). Both are linear in the features, so the blend
    /// is one weight table: `w_jc += nb_weight · (log θ_jc − mean_c log θ_jc)`, with
    /// `θ_jc` the add-`nb_alpha` smoothed share of feature `j` among class `c`'s features.
    #[serde(default)]
    pub nb_weight: f64,
    /// Blend the naive-Bayes weights in as a fixed offset during training (the logistic
    /// regression learns a correction to them) instead of adding them afterwards.
    #[serde(default)]
    pub nb_offset: bool,
    /// Additive smoothing of the naive-Bayes counts.
    #[serde(default = "default_nb_alpha")]
    pub nb_alpha: f64,
    /// After training, features whose weights are all below this in absolute value are
    /// dropped, and single weights below it are set to zero (keeps the model file small).
    pub prune_below: f32,
    /// Word classes for the class features of `features` (`class_levels`, …); `None`: no
    /// class features. The trained classifier keeps (and serialises) the table so that it
    /// extracts the same features at run time. Not serialised with the configuration.
    #[serde(skip)]
    pub word_classes: Option<Arc<WordClasses>>,
    /// Contextual-encoder features of each span (its mean word-piece vector, scaled);
    /// `None`: none. Not serialised with the configuration.
    #[serde(skip)]
    pub context: Option<ContextFeatures>,
}

/// Where the classifier's contextual features come from, and their scale.
#[derive(Debug, Clone)]
pub struct ContextFeatures {
    /// The encoder outputs (or the encoder).
    pub cache: Arc<crate::analyse::context::ContextCache>,
    /// Factor on every vector component.
    pub scale: f32,
    /// Also the mean vector of the span's sentence.
    pub sentence: bool,
}

impl PartialEq for ContextFeatures {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.cache, &other.cache)
            && self.scale == other.scale
            && self.sentence == other.sentence
    }
}

impl ContextFeatures {
    /// The contextual features of spans `spans` of `text` (`bounds`: each span's sentence),
    /// as `(name, value)` lists; empty lists when the encoder has nothing for the text.
    pub fn features(
        &self,
        text: &str,
        spans: &[(usize, usize)],
        bounds: &[(usize, usize)],
    ) -> Vec<Vec<(String, f32)>> {
        let Some(enc) = self.cache.get(text) else {
            return vec![Vec::new(); spans.len()];
        };
        let d = enc.dim;
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i]);
        let sorted: Vec<(usize, usize)> = order.iter().map(|&i| spans[i]).collect();
        let pooled = enc.pool(&sorted);
        let sent = if self.sentence {
            let mut so: Vec<usize> = (0..bounds.len()).collect();
            so.sort_by_key(|&i| bounds[i]);
            let sb: Vec<(usize, usize)> = so.iter().map(|&i| bounds[i]).collect();
            let v = enc.pool(&sb);
            let mut out = vec![0f32; v.len()];
            for (k, &i) in so.iter().enumerate() {
                out[i * d..(i + 1) * d].copy_from_slice(&v[k * d..(k + 1) * d]);
            }
            Some(out)
        } else {
            None
        };
        let mut out = vec![Vec::new(); spans.len()];
        for (k, &i) in order.iter().enumerate() {
            let row = &pooled[k * d..(k + 1) * d];
            let mut f: Vec<(String, f32)> = row
                .iter()
                .enumerate()
                .map(|(j, v)| (format!("ctx:{j}"), v * self.scale))
                .collect();
            if let Some(sv) = &sent {
                f.extend(
                    sv[i * d..(i + 1) * d]
                        .iter()
                        .enumerate()
                        .map(|(j, v)| (format!("ctxs:{j}"), v * self.scale)),
                );
            }
            out[i] = f;
        }
        out
    }
}

impl Default for ClassifierTrainConfig {
    fn default() -> Self {
        ClassifierTrainConfig {
            seed: 0,
            features: FeatureConfig::default(),
            l2: 3e-4,
            min_count: 2,
            max_iter: 300,
            memory: 10,
            tolerance: 1e-7,
            prune_below: 1e-3,
            nb_weight: 0.05,
            nb_offset: false,
            nb_alpha: 1.0,
            word_classes: None,
            context: None,
        }
    }
}

fn default_nb_alpha() -> f64 {
    1.0
}

/// Softmax of `z` in place (stable: the maximum is subtracted first).
pub fn softmax(z: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    for v in z.iter_mut() {
        *v /= s;
    }
}

/// The multinomial logistic-regression objective over `x` (rows) with labels `y` in
/// `0..k`, parameters laid out feature-major (`w[j * k + c]`) followed by `k` biases, with
/// per-example weights `sw`. `offset` (same layout as the weights, without biases), when
/// given, is added to the weights in the scores but not penalised: the model learns a
/// correction to it. Writes the gradient into `grad` and returns the objective
/// `Σ sw_i · CE_i / Σ sw_i + l2/2 · ‖W‖²`.
#[allow(clippy::too_many_arguments)]
pub fn objective(
    x: &SparseRows,
    y: &[usize],
    sw: &[f64],
    k: usize,
    l2: f64,
    offset: Option<&[f64]>,
    w: &[f64],
    grad: &mut [f64],
) -> f64 {
    let nf = (w.len() - k) / k;
    let bias = &w[nf * k..];
    grad.iter_mut().for_each(|g| *g = 0.0);
    let total: f64 = sw.iter().sum();
    let mut loss = 0.0;
    let mut z = vec![0.0; k];
    for i in 0..x.rows() {
        z.copy_from_slice(bias);
        for (j, v) in x.row(i) {
            let v = f64::from(v);
            let wj = &w[j * k..(j + 1) * k];
            for c in 0..k {
                z[c] += v * wj[c];
            }
            if let Some(o) = offset {
                let oj = &o[j * k..(j + 1) * k];
                for c in 0..k {
                    z[c] += v * oj[c];
                }
            }
        }
        softmax(&mut z);
        let a = sw[i] / total;
        loss -= a * z[y[i]].max(1e-300).ln();
        z[y[i]] -= 1.0;
        for c in 0..k {
            z[c] *= a;
        }
        for (j, v) in x.row(i) {
            let v = f64::from(v);
            let gj = &mut grad[j * k..(j + 1) * k];
            for c in 0..k {
                gj[c] += v * z[c];
            }
        }
        for c in 0..k {
            grad[nf * k + c] += z[c];
        }
    }
    for j in 0..nf * k {
        loss += 0.5 * l2 * w[j] * w[j];
        grad[j] += l2 * w[j];
    }
    loss
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_is_stable() {
        let mut z = vec![1000.0, 1001.0, 999.0];
        softmax(&mut z);
        assert!((z.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(z[1] > z[0] && z[0] > z[2]);
        let mut z = vec![0.0; 4];
        softmax(&mut z);
        assert!(z.iter().all(|&p| (p - 0.25).abs() < 1e-12));
    }

    fn toy() -> (SparseRows, Vec<usize>, Vec<f64>) {
        let mut x = SparseRows::new();
        x.push_row([(0, 1.0), (2, 0.5)]);
        x.push_row([(1, 1.0)]);
        x.push_row([(0, 0.3), (1, 2.0), (2, 1.0)]);
        x.push_row([(2, 1.0)]);
        (x, vec![0, 1, 2, 2], vec![1.0, 1.0, 2.0, 1.0])
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y, sw) = toy();
        let k = 3;
        let n = 3 * k + k;
        let w: Vec<f64> = (0..n).map(|i| ((i * 7 % 5) as f64 - 2.0) * 0.3).collect();
        let mut g = vec![0.0; n];
        objective(&x, &y, &sw, k, 0.1, None, &w, &mut g);
        let mut scratch = vec![0.0; n];
        for j in 0..n {
            let h = 1e-6;
            let mut wp = w.clone();
            wp[j] += h;
            let fp = objective(&x, &y, &sw, k, 0.1, None, &wp, &mut scratch);
            wp[j] -= 2.0 * h;
            let fm = objective(&x, &y, &sw, k, 0.1, None, &wp, &mut scratch);
            let num = (fp - fm) / (2.0 * h);
            assert!((num - g[j]).abs() < 1e-6, "{j}: {num} vs {}", g[j]);
        }
    }

    #[test]
    fn lbfgs_fits_the_toy_problem() {
        let (x, y, sw) = toy();
        let k = 3;
        let mut w = vec![0.0; 3 * k + k];
        let f0 = objective(
            &x,
            &y,
            &sw,
            k,
            1e-3,
            None,
            &w.clone(),
            &mut vec![0.0; w.len()],
        );
        let f1 = lbfgs(
            |w, g| objective(&x, &y, &sw, k, 1e-3, None, w, g),
            &mut w,
            200,
            5,
            1e-10,
        );
        assert!(f1 < 0.2 * f0, "{f0} -> {f1}");
        // Every example is fitted.
        for i in 0..x.rows() {
            let mut z = w[3 * k..].to_vec();
            for (j, v) in x.row(i) {
                for c in 0..k {
                    z[c] += f64::from(v) * w[j * k + c];
                }
            }
            let best = (0..k).max_by(|&a, &b| z[a].total_cmp(&z[b])).unwrap();
            assert_eq!(best, y[i]);
        }
    }
}
