//! Ranking metrics for check-worthy claims: precision at k per document, recall, and the
//! score distribution of gold-positive and negative clauses.
//!
//! Definitions (also in `evalsets/claims/README.md`):
//! - a predicted span **matches** a gold clause when their overlap is at least half of the
//!   shorter of the two;
//! - predictions are taken in rank order (score descending, then position); each takes the
//!   unmatched gold clause it matches with the largest overlap/union, so every gold clause is
//!   matched at most once;
//! - **P@k** of a document = relevant matches among the top k / min(k, R), R being the number
//!   of relevant gold clauses; a document with R = 0 has no P@k;
//! - **recall** = relevant gold clauses matched by any prediction / all relevant ones.

use crate::analysis::ClaimKind;

use super::gold::{GoldClause, GoldDoc};

/// The cut-offs reported: precision at 5 and at 10.
pub const KS: [usize; 2] = [5, 10];

/// One predicted claim, as the metric sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predicted {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Check-worthiness.
    pub score: f32,
    /// Predicted kind.
    pub kind: Option<ClaimKind>,
}

/// Code points shared by two half-open ranges.
fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// True when two spans overlap by at least half of the shorter one.
pub fn spans_match(a: (usize, usize), b: (usize, usize)) -> bool {
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    shorter > 0 && 2 * overlap(a, b) >= shorter
}

/// Sorts predictions into rank order: score descending, then by position.
pub fn rank(preds: &mut [Predicted]) {
    preds.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
}

/// Matches ranked predictions to gold clauses; returns, per prediction, the index of the
/// gold clause it matched.
pub fn match_ranked(ranked: &[Predicted], gold: &[GoldClause]) -> Vec<Option<usize>> {
    let mut taken = vec![false; gold.len()];
    ranked
        .iter()
        .map(|p| {
            let ps = (p.start, p.end);
            let best = gold
                .iter()
                .enumerate()
                .filter(|(i, g)| !taken[*i] && spans_match(ps, (g.start, g.end)))
                .max_by(|(_, a), (_, b)| {
                    jaccard(ps, (a.start, a.end)).total_cmp(&jaccard(ps, (b.start, b.end)))
                })
                .map(|(i, _)| i);
            if let Some(i) = best {
                taken[i] = true;
            }
            best
        })
        .collect()
}

fn jaccard(a: (usize, usize), b: (usize, usize)) -> f64 {
    let inter = overlap(a, b) as f64;
    let union = (a.1.max(b.1) - a.0.min(b.0)) as f64;
    inter / union
}

/// Scores of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocScores {
    /// Document id.
    pub id: String,
    /// True for long articles.
    pub article: bool,
    /// Relevant (label 2) gold clauses.
    pub relevant: usize,
    /// Label 1 or 2 gold clauses.
    pub relevant_lenient: usize,
    /// Predictions made.
    pub predicted: usize,
    /// P@k for each k in [`KS`] (None when the document has no relevant clause).
    pub precision_at: [Option<f64>; 2],
    /// The same, counting label-1 clauses as relevant too.
    pub lenient_precision_at: [Option<f64>; 2],
    /// Relevant gold clauses matched by any prediction.
    pub found: usize,
    /// Label 1–2 gold clauses matched by any prediction.
    pub found_lenient: usize,
    /// Matched label 1–2 clauses whose predicted kind equals the gold kind.
    pub kind_agrees: usize,
    /// Scores of the predictions matched to each gold clause (None: not predicted), with
    /// the gold label.
    pub gold_scores: Vec<(u8, Option<f32>)>,
    /// Scores of predictions that matched no gold clause (unannotated text is label 0).
    pub unmatched_scores: Vec<f32>,
}

/// Scores one document's predictions (in any order) against its gold clauses.
pub fn score_document(gold: &GoldDoc, preds: &[Predicted]) -> DocScores {
    let mut ranked = preds.to_vec();
    rank(&mut ranked);
    let matched = match_ranked(&ranked, &gold.claims);
    let relevant = gold.claims.iter().filter(|c| c.label == 2).count();
    let relevant_lenient = gold.claims.iter().filter(|c| c.label >= 1).count();
    let at = |k: usize, min_label: u8, total: usize| -> Option<f64> {
        (total > 0).then(|| {
            let hits = matched
                .iter()
                .take(k)
                .filter(|m| m.is_some_and(|i| gold.claims[i].label >= min_label))
                .count();
            hits as f64 / k.min(total) as f64
        })
    };
    let mut gold_scores: Vec<(u8, Option<f32>)> =
        gold.claims.iter().map(|c| (c.label, None)).collect();
    let mut unmatched_scores = Vec::new();
    let mut kind_agrees = 0;
    for (p, m) in ranked.iter().zip(&matched) {
        match m {
            Some(i) => {
                gold_scores[*i].1 = Some(p.score);
                let g = &gold.claims[*i];
                if g.label >= 1 && g.kind.is_some() && g.kind == p.kind {
                    kind_agrees += 1;
                }
            }
            None => unmatched_scores.push(p.score),
        }
    }
    let found_with = |min: u8| {
        gold_scores
            .iter()
            .filter(|(l, s)| *l >= min && s.is_some())
            .count()
    };
    DocScores {
        id: gold.id.clone(),
        article: gold.is_article(),
        relevant,
        relevant_lenient,
        predicted: ranked.len(),
        precision_at: KS.map(|k| at(k, 2, relevant)),
        lenient_precision_at: KS.map(|k| at(k, 1, relevant_lenient)),
        found: found_with(2),
        found_lenient: found_with(1),
        kind_agrees,
        gold_scores,
        unmatched_scores,
    }
}

/// Mean of the defined values (None when there are none).
pub fn mean_defined(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Figures of a set of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct SetScores {
    /// Per-document scores.
    pub docs: Vec<DocScores>,
}

/// Score buckets of the distribution table: lower edges.
pub const BUCKETS: [f32; 5] = [0.0, 0.2, 0.4, 0.6, 0.8];

impl SetScores {
    /// Mean P@k (index into [`KS`]) over documents with a relevant clause; `articles_only`
    /// restricts it to long articles; `lenient` counts label-1 clauses as relevant.
    pub fn precision_at(&self, k_index: usize, articles_only: bool, lenient: bool) -> Option<f64> {
        mean_defined(
            self.docs
                .iter()
                .filter(|d| d.article || !articles_only)
                .map(|d| {
                    if lenient {
                        d.lenient_precision_at[k_index]
                    } else {
                        d.precision_at[k_index]
                    }
                }),
        )
    }

    /// Micro recall of relevant clauses (`lenient`: labels 1–2).
    pub fn recall(&self, lenient: bool) -> f64 {
        let (found, total) = self.docs.iter().fold((0, 0), |(f, t), d| {
            if lenient {
                (f + d.found_lenient, t + d.relevant_lenient)
            } else {
                (f + d.found, t + d.relevant)
            }
        });
        if total == 0 {
            0.0
        } else {
            found as f64 / total as f64
        }
    }

    /// Share of matched label 1–2 clauses whose kind was predicted right.
    pub fn kind_accuracy(&self) -> f64 {
        let (agree, found) = self
            .docs
            .iter()
            .fold((0, 0), |(a, f), d| (a + d.kind_agrees, f + d.found_lenient));
        if found == 0 {
            0.0
        } else {
            agree as f64 / found as f64
        }
    }

    /// Distribution of scores for gold clauses of one label (and, for label 0, predictions
    /// that matched nothing): counts per [`BUCKETS`] bucket, then the count not predicted.
    pub fn distribution(&self, label: u8) -> ([usize; 5], usize) {
        let mut buckets = [0usize; 5];
        let mut missing = 0;
        let mut put = |s: f32| {
            let b = BUCKETS.iter().rposition(|&lo| s >= lo).unwrap_or(0);
            buckets[b] += 1;
        };
        for d in &self.docs {
            for (l, s) in &d.gold_scores {
                if *l != label {
                    continue;
                }
                match s {
                    Some(s) => put(*s),
                    None => missing += 1,
                }
            }
            if label == 0 {
                d.unmatched_scores.iter().for_each(|s| put(*s));
            }
        }
        (buckets, missing)
    }

    /// Documents without a relevant clause, and the predictions made on them.
    pub fn false_alarms(&self) -> (usize, usize) {
        self.docs
            .iter()
            .filter(|d| d.relevant == 0)
            .fold((0, 0), |(n, p), d| (n + 1, p + d.predicted))
    }

    /// Micro recall of relevant (label 2) clauses counting only predictions scoring at
    /// least `threshold` (what a report shows).
    pub fn recall_at(&self, threshold: f32) -> f64 {
        let (found, total) = self.docs.iter().fold((0, 0), |(f, t), d| {
            let hit = d
                .gold_scores
                .iter()
                .filter(|(l, s)| *l == 2 && s.is_some_and(|s| s >= threshold))
                .count();
            (f + hit, t + d.relevant)
        });
        if total == 0 {
            0.0
        } else {
            found as f64 / total as f64
        }
    }

    /// Predictions scoring at least `threshold` on documents without a relevant clause.
    pub fn false_alarms_at(&self, threshold: f32) -> usize {
        self.docs
            .iter()
            .filter(|d| d.relevant == 0)
            .map(|d| {
                d.unmatched_scores
                    .iter()
                    .filter(|&&s| s >= threshold)
                    .count()
                    + d.gold_scores
                        .iter()
                        .filter(|(_, s)| s.is_some_and(|s| s >= threshold))
                        .count()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::claims::gold::NegativeCase;

    fn g(start: usize, end: usize, label: u8) -> GoldClause {
        GoldClause {
            start,
            end,
            text: None,
            label,
            kind: (label > 0).then_some(ClaimKind::Event),
            case: (label == 0).then_some(NegativeCase::Opinion),
        }
    }

    fn p(start: usize, end: usize, score: f32) -> Predicted {
        Predicted {
            start,
            end,
            score,
            kind: Some(ClaimKind::Event),
        }
    }

    fn doc(claims: Vec<GoldClause>) -> GoldDoc {
        GoldDoc {
            id: "d".into(),
            genre: "article".into(),
            topic: String::new(),
            text: String::new(),
            claims,
            source: None,
            sha256: None,
        }
    }

    #[test]
    fn half_of_the_shorter_span_is_enough() {
        // 10..20 vs 15..40: overlap 5, shorter 10 -> match.
        assert!(spans_match((10, 20), (15, 40)));
        // 10..20 vs 16..40: overlap 4 < 5 -> no match.
        assert!(!spans_match((10, 20), (16, 40)));
        // A sentence covering a short clause matches it.
        assert!(spans_match((0, 100), (40, 50)));
        assert!(!spans_match((0, 10), (10, 20)));
    }

    #[test]
    fn each_gold_clause_is_matched_once_and_best_fit_wins() {
        let gold = vec![g(0, 50, 2), g(52, 60, 0)];
        // The sentence 0..60 matches both; it takes the better fit (0..50). The duplicate
        // then takes 52..60 (overlap 8 >= 4), and the third prediction finds nothing left.
        let ranked = [p(0, 60, 0.9), p(0, 60, 0.8), p(0, 50, 0.7)];
        assert_eq!(match_ranked(&ranked, &gold), vec![Some(0), Some(1), None]);
    }

    #[test]
    fn precision_at_k_by_hand() {
        // Three relevant clauses, one borderline, one opinion.
        let gold = doc(vec![
            g(0, 10, 2),
            g(20, 30, 2),
            g(40, 50, 0),
            g(60, 70, 1),
            g(80, 90, 2),
        ]);
        // Ranked: opinion, relevant, borderline, unannotated, relevant, relevant(dup of 0..10).
        let preds = [
            p(40, 50, 0.95),
            p(0, 10, 0.9),
            p(60, 70, 0.8),
            p(100, 110, 0.7),
            p(20, 30, 0.6),
            p(1, 9, 0.5),
            p(80, 90, 0.1),
        ];
        let s = score_document(&gold, &preds);
        // Top 5 hold 2 relevant matches; min(5, 3) = 3 -> 2/3.
        assert_eq!(s.precision_at[0], Some(2.0 / 3.0));
        // Top 10 (all 7) hold 3 relevant -> 3/3.
        assert_eq!(s.precision_at[1], Some(1.0));
        // Lenient: 4 label>=1 clauses; top 5 hold 3 -> 3/4; top 10 hold 4 -> 1.
        assert_eq!(s.lenient_precision_at[0], Some(0.75));
        assert_eq!(s.lenient_precision_at[1], Some(1.0));
        assert_eq!((s.found, s.relevant), (3, 3));
        assert_eq!(s.unmatched_scores, vec![0.7, 0.5]);
        assert_eq!(s.gold_scores[2], (0, Some(0.95)));
    }

    #[test]
    fn documents_without_relevant_clauses_have_no_precision() {
        let none = score_document(&doc(vec![g(0, 10, 0)]), &[p(0, 10, 0.9)]);
        assert_eq!(none.precision_at, [None, None]);
        let one = score_document(&doc(vec![g(0, 10, 2)]), &[p(50, 60, 0.9), p(0, 10, 0.2)]);
        // One relevant clause: P@5 = hits / min(5, 1) = 1.
        assert_eq!(one.precision_at[0], Some(1.0));
        let set = SetScores {
            docs: vec![none, one],
        };
        assert_eq!(set.precision_at(0, false, false), Some(1.0));
        assert_eq!(set.false_alarms(), (1, 1));
        assert_eq!(set.recall(false), 1.0);
        // Label 0: the matched opinion (0.9) and the unmatched prediction (0.9).
        assert_eq!(set.distribution(0), ([0, 0, 0, 0, 2], 0));
        assert_eq!(set.distribution(2), ([0, 1, 0, 0, 0], 0));
    }

    #[test]
    fn ties_rank_by_position() {
        let mut v = [p(30, 40, 0.5), p(0, 10, 0.5), p(10, 20, 0.9)];
        rank(&mut v);
        assert_eq!(v.map(|x| x.start), [10, 0, 30]);
    }
}
