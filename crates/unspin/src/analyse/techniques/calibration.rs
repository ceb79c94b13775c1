//! Confidence calibration: isotonic regression from a raw score to the probability that a
//! prediction is right, fitted on out-of-fold predictions.
//!
//! A prediction counts as right when it overlaps a gold span of the same technique by at
//! least half of the shorter of the two ([`crate::analyse::techniques::eval::metrics::matches`]). The fitted map is a
//! non-decreasing step function (pool-adjacent-violators), interpolated linearly between the
//! centres of its blocks, so that "of spans given 0.8, about 80% are right".

use serde::{Deserialize, Serialize};

/// A fitted monotone map from raw score to calibrated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibrator {
    /// Block centres (raw scores), increasing.
    xs: Vec<f32>,
    /// Calibrated probability of each block, non-decreasing.
    ys: Vec<f32>,
}

impl Default for Calibrator {
    /// The identity map on [0, 1] (used before any fit).
    fn default() -> Self {
        Calibrator {
            xs: vec![0.0, 1.0],
            ys: vec![0.0, 1.0],
        }
    }
}

impl Calibrator {
    /// Fits isotonic regression of `correct` on `score`. Blocks are merged until each holds at
    /// least `min_block` samples, so that no step rests on a handful of predictions.
    pub fn fit(samples: &[(f32, bool)], min_block: usize) -> Calibrator {
        if samples.is_empty() {
            return Calibrator::default();
        }
        let mut sorted: Vec<(f32, bool)> = samples
            .iter()
            .map(|&(s, c)| (if s.is_finite() { s } else { 0.0 }, c))
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        // Each block: (sum of x, sum of y, count).
        let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
        for (s, c) in sorted {
            blocks.push((f64::from(s), if c { 1.0 } else { 0.0 }, 1));
            // Pool while the last block violates monotonicity or is too small to stand alone.
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (a, b) = (blocks[n - 2], blocks[n - 1]);
                let mean_a = a.1 / a.2 as f64;
                let mean_b = b.1 / b.2 as f64;
                if mean_a >= mean_b || a.2 < min_block {
                    blocks.pop();
                    blocks[n - 2] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
                } else {
                    break;
                }
            }
        }
        // A small last block joins its neighbour (and re-pools if that breaks monotonicity).
        while blocks.len() >= 2 && blocks[blocks.len() - 1].2 < min_block {
            let b = blocks.pop().unwrap();
            let a = blocks.last_mut().unwrap();
            *a = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (a, b) = (blocks[n - 2], blocks[n - 1]);
                if a.1 / a.2 as f64 >= b.1 / b.2 as f64 {
                    blocks.pop();
                    blocks[n - 2] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
                } else {
                    break;
                }
            }
        }
        let xs = blocks.iter().map(|b| (b.0 / b.2 as f64) as f32).collect();
        let ys = blocks.iter().map(|b| (b.1 / b.2 as f64) as f32).collect();
        Calibrator { xs, ys }
    }

    /// The calibrated probability of a raw score.
    pub fn apply(&self, score: f32) -> f32 {
        let (xs, ys) = (&self.xs, &self.ys);
        if xs.is_empty() {
            return score.clamp(0.0, 1.0);
        }
        if !score.is_finite() || score <= xs[0] {
            return ys[0];
        }
        let last = xs.len() - 1;
        if score >= xs[last] {
            return ys[last];
        }
        let i = xs.partition_point(|&x| x <= score);
        let (x0, x1, y0, y1) = (xs[i - 1], xs[i], ys[i - 1], ys[i]);
        if x1 <= x0 {
            return y1;
        }
        (y0 + (y1 - y0) * (score - x0) / (x1 - x0)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_violators_into_a_monotone_map() {
        // Scores 0.1..0.6 with outcomes F F T F T T: PAVA pools (0.3 T, 0.4 F) into 0.5.
        let s = [
            (0.1, false),
            (0.2, false),
            (0.3, true),
            (0.4, false),
            (0.5, true),
            (0.6, true),
        ];
        let c = Calibrator::fit(&s, 1);
        assert_eq!(c.ys, vec![0.0, 0.5, 1.0]);
        assert!((c.xs[0] - 0.15).abs() < 1e-6 && (c.xs[1] - 0.35).abs() < 1e-6);
        assert_eq!(c.apply(0.0), 0.0);
        assert!((c.apply(0.35) - 0.5).abs() < 1e-5);
        assert!(
            (c.apply(0.25) - 0.25).abs() < 1e-6,
            "halfway between blocks"
        );
        assert_eq!(c.apply(0.9), 1.0);
        let mut prev = 0.0;
        for i in 0..=100 {
            let y = c.apply(i as f32 / 100.0);
            assert!(y >= prev);
            prev = y;
        }
    }

    #[test]
    fn minimum_block_size_is_respected() {
        let s: Vec<(f32, bool)> = (0..100).map(|i| (i as f32 / 100.0, i % 3 == 0)).collect();
        let c = Calibrator::fit(&s, 25);
        assert!(c.xs.len() <= 4);
        assert!(c.ys.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        assert_eq!(Calibrator::fit(&[], 10).apply(0.7), 0.7);
        let c = Calibrator::fit(&[(0.5, true), (0.5, true)], 1);
        assert_eq!(c.apply(0.1), 1.0);
        assert_eq!(c.apply(f32::NAN), 1.0);
    }
}
