//! Scoring a grouping against gold stories, and the TF-IDF + average-linkage baseline.
//!
//! BCubed precision of an article is the share of its predicted story that is in its gold
//! story, recall the share of its gold story that is in its predicted story; both are
//! averaged over articles, so an article left out of every story (a singleton) costs recall
//! only. Pairwise precision and recall count same-story article pairs.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::cluster::{Dendrogram, average_linkage};
use crate::tfidf::{SparseVector, TfIdf};

/// BCubed and pairwise scores of a grouping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// BCubed precision.
    pub bcubed_precision: f64,
    /// BCubed recall.
    pub bcubed_recall: f64,
    /// BCubed F1.
    pub bcubed_f1: f64,
    /// Pairwise precision.
    pub pair_precision: f64,
    /// Pairwise recall.
    pub pair_recall: f64,
    /// Pairwise F1.
    pub pair_f1: f64,
    /// Articles scored.
    pub articles: usize,
}

/// Harmonic mean (0 when both are 0).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Scores predicted labels against gold labels (one each per article; any label values).
pub fn score<P: Eq + std::hash::Hash, G: Eq + std::hash::Hash>(pred: &[P], gold: &[G]) -> Scores {
    assert_eq!(
        pred.len(),
        gold.len(),
        "one predicted and one gold label per article"
    );
    let n = pred.len();
    if n == 0 {
        return Scores::default();
    }
    let mut p_size: FxHashMap<&P, usize> = FxHashMap::default();
    let mut g_size: FxHashMap<&G, usize> = FxHashMap::default();
    let mut both: FxHashMap<(&P, &G), usize> = FxHashMap::default();
    for (p, g) in pred.iter().zip(gold) {
        *p_size.entry(p).or_default() += 1;
        *g_size.entry(g).or_default() += 1;
        *both.entry((p, g)).or_default() += 1;
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for (p, g) in pred.iter().zip(gold) {
        let c = both[&(p, g)] as f64;
        bp += c / p_size[p] as f64;
        br += c / g_size[g] as f64;
    }
    let (bp, br) = (bp / n as f64, br / n as f64);
    let pairs = |c: usize| (c * c.saturating_sub(1) / 2) as f64;
    let tp: f64 = both.values().map(|&c| pairs(c)).sum();
    let pp: f64 = p_size.values().map(|&c| pairs(c)).sum();
    let gp: f64 = g_size.values().map(|&c| pairs(c)).sum();
    let (pp_, pr_) = (
        if pp > 0.0 { tp / pp } else { 1.0 },
        if gp > 0.0 { tp / gp } else { 1.0 },
    );
    Scores {
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
        pair_precision: pp_,
        pair_recall: pr_,
        pair_f1: f1(pp_, pr_),
        articles: n,
    }
}

/// Scores of a cross-validation in which each article is judged under the settings chosen
/// without its fold: `pred[f]` are the labels of every article under fold `f`'s settings
/// and `fold[i]` is article `i`'s fold. An article's BCubed precision and recall are
/// computed over its whole predicted and gold stories (articles of other folds included),
/// under its own fold's labels; pairwise counts take each pair from both its articles.
pub fn score_folds<G: Eq + std::hash::Hash>(
    pred: &[Vec<u32>],
    fold: &[usize],
    gold: &[G],
) -> Scores {
    let n = gold.len();
    if n == 0 {
        return Scores::default();
    }
    let mut g_size: FxHashMap<&G, usize> = FxHashMap::default();
    for g in gold {
        *g_size.entry(g).or_default() += 1;
    }
    type Counts<'g, G> = (FxHashMap<u32, usize>, FxHashMap<(u32, &'g G), usize>);
    let per_fold: Vec<Counts<'_, G>> = pred
        .iter()
        .map(|labels| {
            let mut size: FxHashMap<u32, usize> = FxHashMap::default();
            let mut both: FxHashMap<(u32, &G), usize> = FxHashMap::default();
            for (l, g) in labels.iter().zip(gold) {
                *size.entry(*l).or_default() += 1;
                *both.entry((*l, g)).or_default() += 1;
            }
            (size, both)
        })
        .collect();
    let (mut bp, mut br) = (0.0, 0.0);
    let (mut tp, mut pp, mut gp) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let f = fold[i];
        let l = pred[f][i];
        let (size, both) = &per_fold[f];
        let c = both[&(l, &gold[i])] as f64;
        bp += c / size[&l] as f64;
        br += c / g_size[&gold[i]] as f64;
        tp += c - 1.0;
        pp += size[&l] as f64 - 1.0;
        gp += g_size[&gold[i]] as f64 - 1.0;
    }
    let (bp, br) = (bp / n as f64, br / n as f64);
    let (p, r) = (
        if pp > 0.0 { tp / pp } else { 1.0 },
        if gp > 0.0 { tp / gp } else { 1.0 },
    );
    Scores {
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
        pair_precision: p,
        pair_recall: r,
        pair_f1: f1(p, r),
        articles: n,
    }
}

/// Assigns each gold story to one of `k` folds (a seeded shuffle of the stories, dealt
/// round-robin); returns each article's fold. Every article of a story is in one fold.
pub fn folds_by_story<G: Eq + std::hash::Hash + Ord>(
    gold: &[G],
    k: usize,
    seed: u64,
) -> Vec<usize> {
    let mut stories: Vec<&G> = gold.iter().collect();
    stories.sort();
    stories.dedup();
    let mut state = seed ^ 0x2545_F491_4F6C_DD1D;
    let mut rand = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in (1..stories.len()).rev() {
        let j = (rand() % (i as u64 + 1)) as usize;
        stories.swap(i, j);
    }
    let fold: FxHashMap<&G, usize> = stories
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i % k.max(1)))
        .collect();
    gold.iter().map(|g| fold[g]).collect()
}

/// The baseline: sublinear TF-IDF over title + text (fitted on the texts given), cosine of
/// every pair (quadratic: for evaluation sets only), average-linkage clustering down to
/// similarity `min_sim`. Cut the dendrogram at `1 - distance`.
pub struct Baseline {
    /// The vectors.
    pub vectors: Vec<SparseVector>,
    /// Every pair with a positive cosine.
    pub edges: Vec<(u32, u32, f32)>,
}

impl Baseline {
    /// Vectorises the texts and computes every pair's cosine.
    pub fn new<S: AsRef<str> + Sync>(texts: &[S]) -> Self {
        let model = TfIdf::fit_with(texts.len(), |i| Cow::Borrowed(texts[i].as_ref()));
        let vectors: Vec<SparseVector> =
            texts.par_iter().map(|t| model.vector(t.as_ref())).collect();
        let edges = (0..vectors.len())
            .into_par_iter()
            .flat_map_iter(|i| {
                let vectors = &vectors;
                (i + 1..vectors.len()).filter_map(move |j| {
                    let s = vectors[i].cosine(&vectors[j]);
                    (s > 0.0).then_some((i as u32, j as u32, s))
                })
            })
            .collect();
        Baseline { vectors, edges }
    }

    /// The average-linkage dendrogram of the articles where `keep` is true (all when
    /// `None`), indices into the kept articles in order.
    pub fn dendrogram(&self, keep: Option<&[bool]>, min_sim: f32) -> (Vec<usize>, Dendrogram) {
        let n = self.vectors.len();
        let index: Vec<usize> = (0..n).filter(|&i| keep.is_none_or(|k| k[i])).collect();
        let mut local = vec![u32::MAX; n];
        for (x, &i) in index.iter().enumerate() {
            local[i] = x as u32;
        }
        let edges: Vec<(u32, u32, f32)> = self
            .edges
            .iter()
            .filter_map(|&(i, j, s)| {
                let (a, b) = (local[i as usize], local[j as usize]);
                (a != u32::MAX && b != u32::MAX).then_some((a, b, s))
            })
            .collect();
        let d = average_linkage(index.len(), &edges, min_sim);
        (index, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_by_hand() {
        // Gold {0,1,2} {3,4}; predicted {0,1} {2,3,4}.
        let gold = ["a", "a", "a", "b", "b"];
        let pred = [1, 1, 2, 2, 2];
        let s = score(&pred, &gold);
        // Precision: 1, 1, 1/3, 2/3, 2/3 -> 11/15; recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15.
        assert!((s.bcubed_precision - 11.0 / 15.0).abs() < 1e-9);
        assert!((s.bcubed_recall - 11.0 / 15.0).abs() < 1e-9);
        // Pairs: gold 3 + 1 = 4, predicted 1 + 3 = 4, shared (0,1) and (3,4) = 2.
        assert!((s.pair_precision - 0.5).abs() < 1e-9);
        assert!((s.pair_f1 - 0.5).abs() < 1e-9);
        // One fold whose labels are `pred`: the same figures.
        let folds = score_folds(&[pred.to_vec()], &[0; 5], &gold);
        assert!((folds.bcubed_f1 - s.bcubed_f1).abs() < 1e-9);
        assert!((folds.pair_f1 - s.pair_f1).abs() < 1e-9);
        let perfect = score(&gold, &gold);
        assert_eq!(perfect.bcubed_f1, 1.0);
        // All singletons: precision 1, recall the mean of 1/|gold story|.
        let single = score(&[0, 1, 2, 3, 4], &gold);
        assert_eq!(single.bcubed_precision, 1.0);
        assert!((single.bcubed_recall - (3.0 / 3.0 + 2.0 / 2.0) / 5.0).abs() < 1e-9);
    }

    #[test]
    fn folds_keep_stories_together() {
        let gold = ["a", "b", "a", "c", "b", "d"];
        let f = folds_by_story(&gold, 2, 7);
        assert_eq!(f[0], f[2]);
        assert_eq!(f[1], f[4]);
        assert!(f.iter().all(|&x| x < 2));
    }

    #[test]
    fn baseline_groups_similar_texts() {
        let texts = [
            "ferry council deal signed mayor island",
            "council ferry deal mayor signs",
            "storm rain flood river warning",
            "flood warning river rain",
        ];
        let b = Baseline::new(&texts);
        let (_, d) = b.dendrogram(None, 0.05);
        let labels = d.cut(0.2);
        assert_eq!(labels, [0, 0, 1, 1]);
    }
}
