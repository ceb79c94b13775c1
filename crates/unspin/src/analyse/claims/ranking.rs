//! Ranking metrics of the check-worthiness shared tasks (CheckThat!): per debate, the
//! sentences are ranked by score and scored by average precision and precision at k; MAP is
//! the mean of average precision over debates. Ties are broken by position in the debate
//! (the order a reader would meet them), so a scorer gains nothing from ties.
//!
//! For sentence-level sets (ClaimBuster) it also gives the area under the ROC curve and
//! calibration figures.

/// Ranks `scores` (score descending, then position) and returns the labels in rank order.
pub fn ranked_labels(scores: &[f32], labels: &[u8]) -> Vec<u8> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.into_iter().map(|i| labels[i]).collect()
}

/// Average precision of a ranking: the mean, over the relevant items, of the precision at
/// each one's rank. None when nothing is relevant.
pub fn average_precision(ranked: &[u8]) -> Option<f64> {
    let mut hits = 0usize;
    let mut sum = 0.0;
    for (i, &l) in ranked.iter().enumerate() {
        if l == 1 {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    (hits > 0).then(|| sum / hits as f64)
}

/// Precision among the first `k` (divided by `k`, as CheckThat! does).
pub fn precision_at(ranked: &[u8], k: usize) -> f64 {
    ranked.iter().take(k).filter(|&&l| l == 1).count() as f64 / k as f64
}

/// The figures of one ranked debate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DebateScores {
    /// Average precision (None: no relevant sentence).
    pub ap: Option<f64>,
    /// Precision at 5.
    pub p5: f64,
    /// Precision at 10.
    pub p10: f64,
    /// Precision at R (the number of relevant sentences).
    pub r_precision: Option<f64>,
}

/// Scores one debate's sentences.
pub fn score_debate(scores: &[f32], labels: &[u8]) -> DebateScores {
    let ranked = ranked_labels(scores, labels);
    let r = labels.iter().filter(|&&l| l == 1).count();
    DebateScores {
        ap: average_precision(&ranked),
        p5: precision_at(&ranked, 5),
        p10: precision_at(&ranked, 10),
        r_precision: (r > 0).then(|| precision_at(&ranked, r)),
    }
}

/// Means over the debates of a set; debates without a relevant sentence are left out.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct SetRanking {
    /// Debates counted.
    pub debates: usize,
    /// Mean average precision.
    pub map: f64,
    /// Mean precision at 5.
    pub p5: f64,
    /// Mean precision at 10.
    pub p10: f64,
    /// Mean R-precision.
    pub r_precision: f64,
}

/// Averages per-debate figures.
pub fn mean(debates: &[DebateScores]) -> SetRanking {
    let counted: Vec<&DebateScores> = debates.iter().filter(|d| d.ap.is_some()).collect();
    let n = counted.len().max(1) as f64;
    SetRanking {
        debates: counted.len(),
        map: counted.iter().filter_map(|d| d.ap).sum::<f64>() / n,
        p5: counted.iter().map(|d| d.p5).sum::<f64>() / n,
        p10: counted.iter().map(|d| d.p10).sum::<f64>() / n,
        r_precision: counted.iter().filter_map(|d| d.r_precision).sum::<f64>() / n,
    }
}

/// Area under the ROC curve (ties count one half). None without both classes.
pub fn auc(scores: &[f32], labels: &[u8]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let pos = labels.iter().filter(|&&l| l == 1).count() as f64;
    let neg = labels.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Sum of the positives' mid-ranks.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += order[i..=j].iter().filter(|&&k| labels[k] == 1).count() as f64 * mid;
        i = j + 1;
    }
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Calibration of probabilities against 0/1 labels.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Calibration {
    /// Mean negative log-likelihood.
    pub log_loss: f64,
    /// Mean squared error.
    pub brier: f64,
    /// Expected calibration error over ten equal-width bins.
    pub ece: f64,
    /// Share of positives.
    pub base_rate: f64,
    /// Mean predicted probability.
    pub mean_probability: f64,
}

/// Calibration figures of `probs` against `labels`.
pub fn calibration(probs: &[f32], labels: &[u8]) -> Calibration {
    let n = probs.len().max(1) as f64;
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    let mut c = Calibration::default();
    for (&p, &l) in probs.iter().zip(labels) {
        let p = f64::from(p).clamp(1e-7, 1.0 - 1e-7);
        let y = f64::from(l);
        c.log_loss -= y * p.ln() + (1.0 - y) * (1.0 - p).ln();
        c.brier += (p - y) * (p - y);
        c.base_rate += y;
        c.mean_probability += p;
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += p;
        bins[b].1 += y;
        bins[b].2 += 1;
    }
    c.ece = bins
        .iter()
        .map(|(p, y, k)| (p - y).abs() / n * if *k > 0 { 1.0 } else { 0.0 })
        .sum();
    c.log_loss /= n;
    c.brier /= n;
    c.base_rate /= n;
    c.mean_probability /= n;
    c
}

/// Precision, recall and F1 of the check-worthy class at a threshold.
pub fn f1_at(probs: &[f32], labels: &[u8], threshold: f32) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (&p, &l) in probs.iter().zip(labels) {
        match (p >= threshold, l == 1) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Number of distinct values among `scores` (how much of a ranking is decided by ties).
pub fn distinct(scores: &[f32]) -> usize {
    let mut v: Vec<u32> = scores.iter().map(|s| s.to_bits()).collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_precision_by_hand() {
        // Relevant at ranks 1 and 3: (1/1 + 2/3) / 2.
        let ap = average_precision(&[1, 0, 1, 0]).unwrap();
        assert!((ap - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(average_precision(&[0, 0]), None);
    }

    #[test]
    fn ties_are_broken_by_position() {
        // All scores equal: the ranking is the text order.
        assert_eq!(ranked_labels(&[0.5, 0.5, 0.5], &[0, 1, 0]), vec![0, 1, 0]);
        let d = score_debate(&[0.1, 0.9, 0.2], &[0, 1, 0]);
        assert_eq!(d.ap, Some(1.0));
        assert!((d.p5 - 0.2).abs() < 1e-12);
    }

    #[test]
    fn auc_by_hand() {
        assert_eq!(auc(&[0.1, 0.4, 0.35, 0.8], &[0, 0, 1, 1]), Some(0.75));
        assert_eq!(auc(&[0.5, 0.5], &[0, 1]), Some(0.5));
    }

    #[test]
    fn perfect_calibration_has_no_error() {
        let c = calibration(&[0.0, 1.0, 0.0, 1.0], &[0, 1, 0, 1]);
        assert!(c.ece < 1e-6 && c.brier < 1e-6);
    }
}
