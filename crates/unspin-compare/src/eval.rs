//! How well pair similarity tells versions of one story from articles of other stories, on
//! story-labelled data (NewsWCL50's events, AllSides' left/centre/right triplets).
//!
//! With no human similarity ratings at hand, the check is discrimination: every pair of
//! articles of one story against sampled pairs of different stories (of the same size, at
//! most, times [`CROSS_PER_SAME`]): the mean similarity of each, the ROC AUC (the chance
//! that a same-story pair scores above a different-story pair), and the best F1 over
//! thresholds, for the similarity and for each of its parts.

use crate::{Version, compare};

/// Different-story pairs sampled per same-story pair.
pub const CROSS_PER_SAME: usize = 4;

/// An article with its gold story.
pub struct Labelled {
    /// The analysed article.
    pub version: Version,
    /// Its gold story.
    pub story: String,
}

/// Scores of one measure over the pairs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Discrimination {
    /// Mean over same-story pairs.
    pub same_mean: f64,
    /// Mean over different-story pairs.
    pub different_mean: f64,
    /// ROC AUC of same against different.
    pub auc: f64,
    /// Best F1 of "same story" over thresholds.
    pub best_f1: f64,
    /// The threshold of the best F1.
    pub best_threshold: f64,
}

/// Weights of (text, claims, actors) whose discrimination the report shows.
pub const WEIGHTS_TRIED: [(f64, f64, f64); 5] = [
    (1.0, 0.0, 0.0),
    (0.8, 0.1, 0.1),
    (0.7, 0.1, 0.2),
    (0.6, 0.2, 0.2),
    (0.5, 0.25, 0.25),
];

/// Logistic regression of same story on the uncalibrated score, `(slope, intercept)`:
/// P(same) = 1 / (1 + e^-(slope · raw + intercept)) (Platt scaling, as the claims model's).
pub fn fit_logistic(scored: &[(f64, bool)]) -> (f64, f64) {
    let z: Vec<f64> = scored.iter().map(|s| s.0).collect();
    let y: Vec<u8> = scored.iter().map(|s| u8::from(s.1)).collect();
    unspin::analyse::claims::worthiness_trainer::fit_platt(&z, &y)
}

/// The pairs scored, and each measure's discrimination.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Discrimination of the uncalibrated score under each of [`WEIGHTS_TRIED`].
    pub weights: Vec<((f64, f64, f64), Discrimination)>,
    /// The logistic calibration `(slope, intercept)` these pairs would fit.
    pub calibration: (f64, f64),
    /// Same-story pairs.
    pub same_pairs: usize,
    /// Different-story pairs.
    pub different_pairs: usize,
    /// The similarity.
    pub similarity: Discrimination,
    /// Its text part.
    pub text: Discrimination,
    /// Its shared-claims part.
    pub claims: Discrimination,
    /// Its shared-actors part.
    pub actors: Discrimination,
}

fn discrimination(scored: &[(f64, bool)]) -> Discrimination {
    let same: Vec<f64> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let diff: Vec<f64> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let auc = unspin::analyse::quotes::confidence_trainer::auc(scored);
    let mut all: Vec<(f64, bool)> = scored.to_vec();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let p = same.len() as f64;
    // Best F1: walk thresholds from the top.
    let (mut best_f1, mut best_threshold, mut tp, mut fp) = (0.0, 1.0, 0.0, 0.0);
    let mut k = all.len();
    while k > 0 {
        let t = all[k - 1].0;
        while k > 0 && all[k - 1].0 == t {
            if all[k - 1].1 {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            k -= 1;
        }
        let f1 = 2.0 * tp / (tp + fp + p);
        if f1 > best_f1 {
            best_f1 = f1;
            best_threshold = t;
        }
    }
    Discrimination {
        same_mean: mean(&same),
        different_mean: mean(&diff),
        auc,
        best_f1,
        best_threshold,
    }
}

/// SplitMix64, for reproducible sampling.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Scores every same-story pair and sampled different-story pairs (seed `seed`).
pub fn evaluate(articles: &[Labelled], seed: u64) -> Report {
    let mut same = Vec::new();
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            if articles[i].story == articles[j].story {
                same.push((i, j));
            }
        }
    }
    let mut different = Vec::new();
    let mut state = seed;
    let want = same.len() * CROSS_PER_SAME;
    let mut tries = 0;
    while different.len() < want && tries < want * 20 && articles.len() > 1 {
        tries += 1;
        let i = (next(&mut state) % articles.len() as u64) as usize;
        let j = (next(&mut state) % articles.len() as u64) as usize;
        if i != j && articles[i].story != articles[j].story {
            different.push((i.min(j), i.max(j)));
        }
    }
    let pairs: Vec<((usize, usize), bool)> = same
        .iter()
        .map(|&p| (p, true))
        .chain(different.iter().map(|&p| (p, false)))
        .collect();
    use rayon::prelude::*;
    let scored: Vec<(crate::Pair, bool)> = pairs
        .par_iter()
        .map(|&((i, j), y)| {
            let mut pair = [articles[i].version.clone(), articles[j].version.clone()];
            crate::distinct_labels(&mut pair);
            let c = compare(&pair);
            (c.pairs[0].clone(), y)
        })
        .collect();
    let by = |f: fn(&crate::Pair) -> f64| -> Discrimination {
        discrimination(&scored.iter().map(|(p, y)| (f(p), *y)).collect::<Vec<_>>())
    };
    let weights = WEIGHTS_TRIED
        .iter()
        .map(|&(t, c, a)| {
            let d = discrimination(
                &scored
                    .iter()
                    .map(|(p, y)| {
                        (
                            crate::similarity::combine(
                                p.text,
                                Some(p.claims),
                                Some(p.actors),
                                (t, c, a),
                            ),
                            *y,
                        )
                    })
                    .collect::<Vec<_>>(),
            );
            ((t, c, a), d)
        })
        .collect();
    let calibration = fit_logistic(&scored.iter().map(|(p, y)| (p.raw, *y)).collect::<Vec<_>>());
    Report {
        weights,
        calibration,
        same_pairs: same.len(),
        different_pairs: different.len(),
        similarity: by(|p| p.similarity),
        text: by(|p| p.text),
        claims: by(|p| p.claims),
        actors: by(|p| p.actors),
    }
}

#[cfg(test)]
mod tests {
    use super::discrimination;

    #[test]
    fn auc_and_f1_of_a_perfect_and_a_useless_measure() {
        let perfect = discrimination(&[(0.9, true), (0.8, true), (0.2, false), (0.1, false)]);
        assert_eq!(perfect.auc, 1.0);
        assert_eq!(perfect.best_f1, 1.0);
        let flat = discrimination(&[(0.5, true), (0.5, false)]);
        assert_eq!(flat.auc, 0.5);
    }
}
