//! Training and cross-validation of the attribution-confidence model on PolNeAR-format
//! data: every predicted quote that matches a gold attribution with a source is an example,
//! labelled by whether its speaker is right (the matching rules of
//! [`polnear`](crate::analyse::quote_actor_eval::polnear)).

use rayon::prelude::*;
use serde::Serialize;

use crate::analyse::quote_actor_eval::polnear::{Article, speaker_right};
use crate::analyse::quote_actor_eval::run::predict_with_signals;
use crate::analysis::Actor;

use super::confidence::{ConfidenceModel, FEATURES, features};

/// One training example: its article, the quote's signals and whether its speaker is right.
#[derive(Debug, Clone)]
pub struct Example {
    /// Index of the article in the list given.
    pub article: usize,
    /// The features of the quote's signals.
    pub x: Vec<f64>,
    /// The speaker is right.
    pub y: bool,
}

/// The examples of some articles: each predicted quote whose best-overlapping gold content
/// (overlap at least half of the shorter of the two) has a source.
pub fn examples(articles: &[&Article]) -> Vec<Example> {
    articles
        .par_iter()
        .enumerate()
        .flat_map_iter(|(n, a)| {
            let (pred, signals) = predict_with_signals(&a.text);
            let actors: std::collections::HashMap<&str, &Actor> =
                pred.actors.iter().map(|x| (x.id.as_str(), x)).collect();
            let mut out = Vec::new();
            for (q, s) in pred.quotes.iter().zip(&signals) {
                let best = a
                    .attributions
                    .iter()
                    .filter_map(|at| Some((at, at.content.as_ref()?)))
                    .map(|(at, c)| (at, c, c.overlap(q.start, q.end)))
                    .max_by_key(|&(_, _, o)| o);
                let Some((at, c, o)) = best else { continue };
                let shorter = c.len().min(q.end - q.start);
                if o == 0 || 2 * o < shorter {
                    continue;
                }
                let Some(src) = at.source.as_ref().filter(|x| !x.is_empty()) else {
                    continue;
                };
                out.push(Example {
                    article: n,
                    x: features(s),
                    y: speaker_right(q, src, &actors),
                });
            }
            out
        })
        .collect()
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fits a logistic regression with an L2 penalty `l2` (not on the bias) by Newton's method.
#[allow(clippy::needless_range_loop)] // matrix indices read best as indices
pub fn fit(examples: &[Example], l2: f64) -> ConfidenceModel {
    let d = FEATURES.len();
    let mut w = vec![0.0; d];
    for _ in 0..25 {
        let mut grad = vec![0.0; d];
        let mut hess = vec![vec![0.0; d]; d];
        for e in examples {
            let p = sigmoid(e.x.iter().zip(&w).map(|(x, w)| x * w).sum());
            let g = p - f64::from(u8::from(e.y));
            let h = p * (1.0 - p);
            for i in 0..d {
                grad[i] += g * e.x[i];
                for j in 0..=i {
                    hess[i][j] += h * e.x[i] * e.x[j];
                }
            }
        }
        for i in 0..d {
            for j in 0..i {
                hess[j][i] = hess[i][j];
            }
            let reg = if i == 0 { 1e-6 } else { l2 };
            grad[i] += reg * w[i];
            hess[i][i] += reg;
        }
        let step = solve(hess, grad);
        let mut change: f64 = 0.0;
        for i in 0..d {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-8 {
            break;
        }
    }
    ConfidenceModel {
        features: FEATURES.iter().map(|s| s.to_string()).collect(),
        weights: w,
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (a is positive definite).
#[allow(clippy::needless_range_loop)] // matrix indices read best as indices
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let piv = a[c][c];
        if piv.abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / piv;
            if f == 0.0 {
                continue;
            }
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

/// Out-of-fold quality of the confidence model.
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// Folds, by article.
    pub folds: usize,
    /// Examples scored.
    pub examples: usize,
    /// Share of examples whose speaker is right.
    pub base_rate: f64,
    /// Mean log loss.
    pub log_loss: f64,
    /// Mean squared error of the probability.
    pub brier: f64,
    /// Expected calibration error over ten equal-width bins.
    pub ece: f64,
    /// Area under the ROC curve.
    pub auc: f64,
    /// Share of examples at or above 0.5, and the accuracy of their speakers.
    pub confident: (f64, f64),
    /// Share below 0.5, and the accuracy of their speakers.
    pub uncertain: (f64, f64),
    /// Reliability table: (bin lower edge, examples, mean probability, share right).
    pub bins: Vec<(f64, usize, f64, f64)>,
}

/// Cross-validates by article: `folds` folds over the articles in a seeded order.
pub fn cross_validate(articles: &[&Article], folds: usize, seed: u64, l2: f64) -> CvReport {
    let ex = examples(articles);
    let mut order: Vec<usize> = (0..articles.len()).collect();
    // A seeded shuffle (xorshift), so that folds mix outlets and months.
    let mut state = seed | 1;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut fold_of = vec![0; articles.len()];
    for (pos, &a) in order.iter().enumerate() {
        fold_of[a] = pos % folds.max(1);
    }
    let mut scored: Vec<(f64, bool)> = Vec::with_capacity(ex.len());
    for f in 0..folds.max(1) {
        let train: Vec<Example> = ex
            .iter()
            .filter(|e| fold_of[e.article] != f)
            .cloned()
            .collect();
        let m = fit(&train, l2);
        for e in ex.iter().filter(|e| fold_of[e.article] == f) {
            let z: f64 = e.x.iter().zip(&m.weights).map(|(x, w)| x * w).sum();
            scored.push((sigmoid(z), e.y));
        }
    }
    report(folds, &scored)
}

/// The quality figures of scored examples (probability, right).
pub fn report(folds: usize, scored: &[(f64, bool)]) -> CvReport {
    let n = scored.len().max(1) as f64;
    let y = |b: bool| f64::from(u8::from(b));
    let log_loss = scored
        .iter()
        .map(|&(p, r)| {
            let p = p.clamp(1e-9, 1.0 - 1e-9);
            -(y(r) * p.ln() + (1.0 - y(r)) * (1.0 - p).ln())
        })
        .sum::<f64>()
        / n;
    let brier = scored.iter().map(|&(p, r)| (p - y(r)).powi(2)).sum::<f64>() / n;
    let mut bins = Vec::new();
    let mut ece = 0.0;
    for b in 0..10 {
        let lo = b as f64 / 10.0;
        let inb: Vec<&(f64, bool)> = scored
            .iter()
            .filter(|(p, _)| *p >= lo && (*p < lo + 0.1 || b == 9))
            .collect();
        if inb.is_empty() {
            continue;
        }
        let k = inb.len() as f64;
        let mp = inb.iter().map(|(p, _)| p).sum::<f64>() / k;
        let acc = inb.iter().filter(|(_, r)| *r).count() as f64 / k;
        ece += k / n * (mp - acc).abs();
        bins.push((lo, inb.len(), mp, acc));
    }
    let part = |hi: bool| {
        let sel: Vec<&(f64, bool)> = scored.iter().filter(|(p, _)| (*p >= 0.5) == hi).collect();
        let acc = if sel.is_empty() {
            0.0
        } else {
            sel.iter().filter(|(_, r)| *r).count() as f64 / sel.len() as f64
        };
        (sel.len() as f64 / n, acc)
    };
    CvReport {
        folds,
        examples: scored.len(),
        base_rate: scored.iter().filter(|(_, r)| *r).count() as f64 / n,
        log_loss,
        brier,
        ece,
        auc: auc(scored),
        confident: part(true),
        uncertain: part(false),
        bins,
    }
}

/// Area under the ROC curve of scores against labels (ties count half; 0.5 without both
/// labels).
pub fn auc(scored: &[(f64, bool)]) -> f64 {
    let mut v: Vec<(f64, bool)> = scored.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pos = v.iter().filter(|x| x.1).count() as f64;
    let neg = v.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return 0.5;
    }
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j].0 == v[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        rank_sum += avg * v[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// The reliability and summary figures as a plain-text block.
pub fn table(r: &CvReport) -> String {
    let mut s = format!(
        "attribution confidence, {}-fold cross-validation by article: {} quotes, {:.3} right; log loss {:.3}, Brier {:.3}, ECE {:.3}, AUC {:.3}\n",
        r.folds, r.examples, r.base_rate, r.log_loss, r.brier, r.ece, r.auc
    );
    s.push_str(&format!(
        "  confidence ≥ 0.5: {:.1}% of quotes, speaker right {:.3}; below 0.5 (marked uncertain): {:.1}%, right {:.3}\n",
        r.confident.0 * 100.0,
        r.confident.1,
        r.uncertain.0 * 100.0,
        r.uncertain.1
    ));
    s.push_str("  bin    quotes  mean p  right\n");
    for (lo, n, mp, acc) in &r.bins {
        s.push_str(&format!("  {lo:.1}  {n:>8}  {mp:>6.3}  {acc:>5.3}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::confidence::Signals;
    use super::*;

    #[test]
    fn newton_fits_a_separable_signal_and_reports_calibration() {
        let mk = |named: f64, y: bool| {
            let mut x = vec![0.0; FEATURES.len()];
            x[0] = 1.0;
            x[9] = named;
            Example { article: 0, x, y }
        };
        let mut ex = Vec::new();
        for i in 0..200 {
            ex.push(mk(1.0, i % 10 != 0));
            ex.push(mk(0.0, i % 10 == 0));
        }
        let m = fit(&ex, 1.0);
        let named = Signals {
            mention: Some(crate::analysis::MentionKind::Name),
            ..Signals::default()
        };
        let p = m.probability(&named);
        assert!((p - 0.9).abs() < 0.02, "{p}");
        assert!((m.probability(&Signals::default()) - 0.1).abs() < 0.02);
        let r = report(1, &[(0.9, true), (0.8, true), (0.2, false), (0.3, true)]);
        assert!((r.auc - 1.0).abs() < 1e-9 || r.auc > 0.6);
        assert_eq!(r.examples, 4);
    }
}
