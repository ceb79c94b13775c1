//! Fitting the sentence layer on out-of-fold sentence inputs: L2-regularised logistic
//! regression by Newton's method (eight parameters, so each step solves an 8 × 8 system),
//! then the F1-maximising threshold.

use super::features::N_INPUTS;
use super::model::SentenceLayer;

/// One training sentence: its inputs and whether it overlaps a gold span.
pub type Sample = ([f32; N_INPUTS], bool);

/// Fits the layer. `l2` is the penalty on the weights (not the intercept).
pub fn fit(samples: &[Sample], l2: f64) -> SentenceLayer {
    const P: usize = N_INPUTS + 1;
    let mut w = [0f64; P];
    if samples.is_empty() {
        return SentenceLayer {
            weights: [0.0; N_INPUTS],
            bias: 0.0,
            threshold: 0.5,
        };
    }
    let row = |x: &[f32; N_INPUTS]| {
        let mut r = [1f64; P];
        for (k, v) in x.iter().enumerate() {
            r[k + 1] = f64::from(*v);
        }
        r
    };
    for _ in 0..50 {
        let mut g = [0f64; P];
        let mut h = [[0f64; P]; P];
        for (x, y) in samples {
            let r = row(x);
            let z: f64 = r.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let e = p - if *y { 1.0 } else { 0.0 };
            let s = (p * (1.0 - p)).max(1e-9);
            for i in 0..P {
                g[i] += e * r[i];
                for j in 0..P {
                    h[i][j] += s * r[i] * r[j];
                }
            }
        }
        for i in 1..P {
            g[i] += l2 * w[i];
            h[i][i] += l2;
        }
        h[0][0] += 1e-9;
        let step = solve(h, g);
        let mut moved = 0f64;
        for i in 0..P {
            w[i] -= step[i];
            moved = moved.max(step[i].abs());
        }
        if moved < 1e-7 {
            break;
        }
    }
    let mut layer = SentenceLayer {
        weights: std::array::from_fn(|k| w[k + 1] as f32),
        bias: w[0] as f32,
        threshold: 0.5,
    };
    layer.threshold = best_threshold(
        &samples
            .iter()
            .map(|(x, y)| (layer.probability(x), *y))
            .collect::<Vec<_>>(),
    );
    layer
}

/// The probability threshold with the best F1 over `(probability, positive)` pairs.
pub fn best_threshold(scored: &[(f32, bool)]) -> f32 {
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|s| s.1).count() as f64;
    let (mut tp, mut best, mut at) = (0f64, -1f64, 0.5f32);
    for (k, (p, y)) in sorted.iter().enumerate() {
        if *y {
            tp += 1.0;
        }
        // Only between distinct scores: a threshold cannot split ties.
        if sorted.get(k + 1).is_some_and(|n| n.0 == *p) {
            continue;
        }
        let f1 = 2.0 * tp / ((k + 1) as f64 + positives);
        if f1 > best {
            best = f1;
            at = *p;
        }
    }
    at
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const P: usize>(mut a: [[f64; P]; P], mut b: [f64; P]) -> [f64; P] {
    for c in 0..P {
        let piv = (c..P)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, piv);
        b.swap(c, piv);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        let (top, rest) = a.split_at_mut(c + 1);
        let pivot = &top[c];
        for (r, row) in rest.iter_mut().enumerate() {
            let f = row[c] / d;
            for (x, p) in row[c..].iter_mut().zip(&pivot[c..]) {
                *x -= f * p;
            }
            b[c + 1 + r] -= f * b[c];
        }
    }
    let mut x = [0f64; P];
    for c in (0..P).rev() {
        let s: f64 = (c + 1..P).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_direction_and_is_calibrated_on_its_data() {
        // Positive with probability equal to the first input.
        let mut samples = Vec::new();
        let mut state = 7u64;
        for _ in 0..4000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 33) as f32 / (1u64 << 31) as f32;
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = (state >> 33) as f32 / (1u64 << 31) as f32;
            let mut x = [0f32; N_INPUTS];
            x[0] = u;
            samples.push((x, v < u));
        }
        let layer = fit(&samples, 1e-3);
        assert!(layer.weights[0] > 3.0, "{layer:?}");
        // Mean predicted probability matches the share of positives.
        let mean: f32 = samples
            .iter()
            .map(|(x, _)| layer.probability(x))
            .sum::<f32>()
            / samples.len() as f32;
        let share = samples.iter().filter(|s| s.1).count() as f32 / samples.len() as f32;
        assert!((mean - share).abs() < 0.01, "{mean} vs {share}");
        assert!(layer.threshold > 0.0 && layer.threshold < 1.0);
    }

    #[test]
    fn threshold_maximises_f1() {
        let scored = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.2, false),
        ];
        // Cutting at 0.6 keeps 3 of 3 positives with one false positive: F1 0.857.
        assert_eq!(best_threshold(&scored), 0.6);
    }
}
