//! The metrics of SemEval-2020 Task 11 on code-point spans, plus span distributions and
//! confidence calibration.
//!
//! Every metric is an accumulator: [`add`](SiAccumulator::add) one article's gold and
//! predicted spans at a time, then read the corpus-level score. Scores are micro-averaged
//! over the whole corpus (sums over all articles divided by totals), as the task's scorers
//! do — never an average of per-article scores. Accumulators can be
//! [`merge`](SiAccumulator::merge)d, e.g. to combine cross-validation folds.
//!
//! # Definitions
//!
//! - **Span identification (SI).** Per article, gold spans are merged where they overlap and
//!   so are predicted spans (two spans overlap when they share at least one code point;
//!   spans that only touch, `a.end == b.start`, are *not* merged, as in the task's scorer,
//!   which compares sets of character indices). Then
//!   `P = Σ_s Σ_g |s∩g|/|s| / #pred`, `R = Σ_s Σ_g |s∩g|/|g| / #gold` over all articles,
//!   with `#pred`, `#gold` counted after merging, and `F1 = 2PR/(P+R)`.
//! - **Full task (FLC).** SI computed separately for each technique — gold and predicted
//!   spans are merged per technique, and a prediction only earns overlap with gold spans of
//!   its own technique — with the sums and counts pooled over techniques.
//! - **Technique classification (TC).** For the given gold spans, predicted labels are
//!   compared span by span as multisets: at a range `(start, end)` carrying gold labels `G`
//!   (with multiplicity — a range with two techniques has two rows) and predicted labels
//!   `Q`, each technique `t` gets `TP += min(G_t, Q_t)`, `FP += Q_t − min`,
//!   `FN += G_t − min`. Micro P/R/F1 come from the pooled counts. With exactly one
//!   prediction per template row this gives P = R = F1 = accuracy, the task's score
//!   (order-insensitive within a range); it stays well defined when the numbers of rows
//!   differ.
//! - **Calibration.** Each prediction is *correct* when it overlaps a gold span of the same
//!   technique by at least half the length of the shorter of the two
//!   (`2·|s∩g| ≥ min(|s|, |g|)`, and `|s∩g| > 0`). Predictions are not merged (each keeps
//!   its own confidence) and gold spans are taken as annotated. Confidences fall into 10
//!   equal-width bins, bin `b = min(⌊10·c⌋, 9)` (so `[b/10, (b+1)/10)`, the last bin
//!   closed); confidences are clamped to `[0, 1]` and NaN counts as 0.
//!   `ECE = Σ_b n_b/N · |acc_b − conf_b|`.
//!
//! # Empty cases
//!
//! A ratio with a zero denominator counts as 0 — except when there is nothing at all (no
//! gold and no predicted spans, or for TC no gold and no predicted labels), where P, R and
//! F1 are all 1: nothing was to be found and nothing was wrongly found. So no predictions
//! against some gold give P = R = F1 = 0, and predictions against no gold give
//! P = R = F1 = 0. F1 is 0 when P + R = 0. Per-technique tables list only techniques that
//! occur in the gold or in the predictions, so absent techniques neither score 1 nor drag
//! averages down. Empty (`start >= end`) spans are dropped before SI and FLC scoring (their
//! precision would divide by zero); the readers in [`semeval`](crate::analyse::techniques::data::semeval) and
//! [`corpus`](crate::analyse::techniques::data::corpus) reject them anyway. An empty calibration table has ECE 0.

use std::collections::BTreeMap;

use crate::analysis::Technique;

/// A code-point range `start..end` (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Number of code points covered (0 for reversed spans).
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of code points the two spans share.
    pub fn overlap(&self, other: &Span) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// Anything with a code-point range.
pub trait SpanLike {
    /// The range.
    fn span(&self) -> Span;
}

/// Anything with a code-point range and a technique.
pub trait Labelled: SpanLike {
    /// The technique.
    fn technique(&self) -> Technique;
}

impl SpanLike for Span {
    fn span(&self) -> Span {
        *self
    }
}

impl SpanLike for (usize, usize) {
    fn span(&self) -> Span {
        Span::new(self.0, self.1)
    }
}

/// A predicted technique span with the model's confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictedSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The predicted technique.
    pub technique: Technique,
    /// Probability that the span uses the technique, in `[0, 1]`.
    pub confidence: f64,
}

impl SpanLike for PredictedSpan {
    fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

impl Labelled for PredictedSpan {
    fn technique(&self) -> Technique {
        self.technique
    }
}

impl From<&crate::analysis::TechniqueSpan> for PredictedSpan {
    fn from(t: &crate::analysis::TechniqueSpan) -> Self {
        PredictedSpan {
            start: t.start,
            end: t.end,
            technique: t.technique,
            confidence: f64::from(t.confidence),
        }
    }
}

/// Sorts `spans`, drops empty ones and merges those that share at least one code point
/// (touching spans stay apart).
pub fn merge_spans(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
    let mut v: Vec<Span> = spans.into_iter().filter(|s| !s.is_empty()).collect();
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// `(Σ |s∩g|/|s|, Σ |s∩g|/|g|)` over all pairs, for sorted, non-overlapping, non-empty
/// lists (as [`merge_spans`] returns), in one sweep.
fn overlap_sums(gold: &[Span], pred: &[Span]) -> (f64, f64) {
    let (mut p, mut r) = (0.0, 0.0);
    let (mut i, mut j) = (0, 0);
    while i < gold.len() && j < pred.len() {
        let (g, s) = (gold[i], pred[j]);
        let inter = g.overlap(&s);
        if inter > 0 {
            p += inter as f64 / s.len() as f64;
            r += inter as f64 / g.len() as f64;
        }
        if g.end <= s.end {
            i += 1;
        } else {
            j += 1;
        }
    }
    (p, r)
}

/// `num / den`, 0 when `den` is 0.
fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 { 0.0 } else { num / den }
}

/// Harmonic mean, 0 when both are 0.
fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// From numerators and denominators, with the module's empty-case rules.
    pub fn from_parts(p_num: f64, p_den: f64, r_num: f64, r_den: f64) -> Prf {
        if p_den == 0.0 && r_den == 0.0 {
            return Prf {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0,
            };
        }
        let (precision, recall) = (ratio(p_num, p_den), ratio(r_num, r_den));
        Prf {
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }
}

/// A span-identification score (also used for the full task), with its raw sums.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SiScore {
    /// Precision, recall, F1.
    pub prf: Prf,
    /// Number of predicted spans after merging.
    pub pred_spans: usize,
    /// Number of gold spans after merging.
    pub gold_spans: usize,
    /// `Σ |s∩g|/|s|`, the precision numerator.
    pub precision_sum: f64,
    /// `Σ |s∩g|/|g|`, the recall numerator.
    pub recall_sum: f64,
}

/// Accumulates span identification (SI) over articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiAccumulator {
    pred_spans: usize,
    gold_spans: usize,
    precision_sum: f64,
    recall_sum: f64,
}

impl SiAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article: its gold and predicted spans (labels, if any, are ignored;
    /// overlaps are merged here).
    pub fn add<G: SpanLike, P: SpanLike>(&mut self, gold: &[G], pred: &[P]) {
        let g = merge_spans(gold.iter().map(SpanLike::span));
        let s = merge_spans(pred.iter().map(SpanLike::span));
        self.add_merged(&g, &s);
    }

    fn add_merged(&mut self, gold: &[Span], pred: &[Span]) {
        let (p, r) = overlap_sums(gold, pred);
        self.precision_sum += p;
        self.recall_sum += r;
        self.gold_spans += gold.len();
        self.pred_spans += pred.len();
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &SiAccumulator) {
        self.pred_spans += other.pred_spans;
        self.gold_spans += other.gold_spans;
        self.precision_sum += other.precision_sum;
        self.recall_sum += other.recall_sum;
    }

    /// The score over everything added so far.
    pub fn score(&self) -> SiScore {
        SiScore {
            prf: Prf::from_parts(
                self.precision_sum,
                self.pred_spans as f64,
                self.recall_sum,
                self.gold_spans as f64,
            ),
            pred_spans: self.pred_spans,
            gold_spans: self.gold_spans,
            precision_sum: self.precision_sum,
            recall_sum: self.recall_sum,
        }
    }
}

/// A full-task (FLC) score: pooled over techniques and per technique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlcScore {
    /// The task's score: sums and counts pooled over all techniques.
    pub overall: SiScore,
    /// The same restricted to each technique occurring in the gold or the predictions.
    pub per_technique: BTreeMap<Technique, SiScore>,
}

/// Accumulates the full task (FLC) over articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlcAccumulator {
    overall: SiAccumulator,
    per_technique: BTreeMap<Technique, SiAccumulator>,
}

impl FlcAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article's gold and predicted labelled spans.
    pub fn add<G: Labelled, P: Labelled>(&mut self, gold: &[G], pred: &[P]) {
        for t in Technique::ALL {
            let g = merge_spans(
                gold.iter()
                    .filter(|x| x.technique() == t)
                    .map(SpanLike::span),
            );
            let s = merge_spans(
                pred.iter()
                    .filter(|x| x.technique() == t)
                    .map(SpanLike::span),
            );
            if g.is_empty() && s.is_empty() {
                continue;
            }
            self.overall.add_merged(&g, &s);
            self.per_technique.entry(t).or_default().add_merged(&g, &s);
        }
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &FlcAccumulator) {
        self.overall.merge(&other.overall);
        for (t, acc) in &other.per_technique {
            self.per_technique.entry(*t).or_default().merge(acc);
        }
    }

    /// The score over everything added so far.
    pub fn score(&self) -> FlcScore {
        FlcScore {
            overall: self.overall.score(),
            per_technique: self
                .per_technique
                .iter()
                .map(|(t, a)| (*t, a.score()))
                .collect(),
        }
    }
}

/// Counts of one label in technique classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LabelCounts {
    /// Predicted labels matching a gold label at the same range.
    pub tp: usize,
    /// Predicted labels with no matching gold label.
    pub fp: usize,
    /// Gold labels with no matching prediction.
    pub fn_: usize,
}

/// One technique's classification score.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TechniqueScore {
    /// Precision, recall, F1 of this label.
    pub prf: Prf,
    /// Number of gold rows with this label (`tp + fn`).
    pub support: usize,
    /// Number of predicted rows with this label (`tp + fp`).
    pub predicted: usize,
    /// The raw counts.
    pub counts: LabelCounts,
}

/// A technique-classification (TC) score.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TcScore {
    /// Micro-averaged precision, recall, F1 (the task's score).
    pub micro: Prf,
    /// Mean of the per-technique F1 over the techniques listed in `per_technique`.
    pub macro_f1: f64,
    /// Per technique, for techniques occurring in the gold or the predictions.
    pub per_technique: BTreeMap<Technique, TechniqueScore>,
    /// Number of gold rows.
    pub gold_rows: usize,
    /// Number of predicted rows.
    pub pred_rows: usize,
}

/// Accumulates technique classification (TC) over articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TcAccumulator {
    counts: BTreeMap<Technique, LabelCounts>,
}

impl TcAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article: gold rows (a range with two techniques appears twice) and the
    /// predicted rows for them, matched by exact range.
    pub fn add<G: Labelled, P: Labelled>(&mut self, gold: &[G], pred: &[P]) {
        type Counts = BTreeMap<Technique, (usize, usize)>;
        let mut by_range: BTreeMap<Span, Counts> = BTreeMap::new();
        for g in gold {
            by_range
                .entry(g.span())
                .or_default()
                .entry(g.technique())
                .or_default()
                .0 += 1;
        }
        for p in pred {
            by_range
                .entry(p.span())
                .or_default()
                .entry(p.technique())
                .or_default()
                .1 += 1;
        }
        for (t, (g, p)) in by_range.into_values().flatten() {
            let c = self.counts.entry(t).or_default();
            let m = g.min(p);
            c.tp += m;
            c.fp += p - m;
            c.fn_ += g - m;
        }
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &TcAccumulator) {
        for (t, o) in &other.counts {
            let c = self.counts.entry(*t).or_default();
            c.tp += o.tp;
            c.fp += o.fp;
            c.fn_ += o.fn_;
        }
    }

    /// The score over everything added so far.
    pub fn score(&self) -> TcScore {
        let mut total = LabelCounts::default();
        let mut per_technique = BTreeMap::new();
        for (t, c) in &self.counts {
            total.tp += c.tp;
            total.fp += c.fp;
            total.fn_ += c.fn_;
            let (support, predicted) = (c.tp + c.fn_, c.tp + c.fp);
            per_technique.insert(
                *t,
                TechniqueScore {
                    prf: Prf::from_parts(
                        c.tp as f64,
                        predicted as f64,
                        c.tp as f64,
                        support as f64,
                    ),
                    support,
                    predicted,
                    counts: *c,
                },
            );
        }
        let (gold_rows, pred_rows) = (total.tp + total.fn_, total.tp + total.fp);
        let macro_f1 = ratio(
            per_technique
                .values()
                .map(|s: &TechniqueScore| s.prf.f1)
                .sum(),
            per_technique.len() as f64,
        );
        TcScore {
            micro: Prf::from_parts(
                total.tp as f64,
                pred_rows as f64,
                total.tp as f64,
                gold_rows as f64,
            ),
            macro_f1,
            per_technique,
            gold_rows,
            pred_rows,
        }
    }
}

/// Count, mean, median and 10th/90th percentiles of a list of numbers. Percentiles
/// interpolate linearly between order statistics (the `q·(n−1)` rule, numpy's default);
/// the median is the 50th percentile. For an empty list every statistic is 0.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Summary {
    /// Summarises `values`.
    pub fn of(values: &[f64]) -> Summary {
        if values.is_empty() {
            return Summary::default();
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |q: f64| {
            let h = q * (v.len() - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        };
        Summary {
            count: v.len(),
            mean: v.iter().sum::<f64>() / v.len() as f64,
            median: q(0.5),
            p10: q(0.1),
            p90: q(0.9),
        }
    }
}

/// Distribution of one side's spans (gold or predicted), taken as given: not merged, a
/// range with two techniques counted twice.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SideDistribution {
    /// Total number of spans.
    pub spans: usize,
    /// Spans per article (its `count` is the number of articles).
    pub per_article: Summary,
    /// Span lengths in code points (its `count` is the number of spans).
    pub length: Summary,
}

/// Span count and length distributions of gold vs predicted spans.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SpanDistribution {
    /// Gold spans.
    pub gold: SideDistribution,
    /// Predicted spans.
    pub pred: SideDistribution,
}

/// Accumulates span count and length distributions over articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DistributionAccumulator {
    gold_counts: Vec<f64>,
    pred_counts: Vec<f64>,
    gold_lengths: Vec<f64>,
    pred_lengths: Vec<f64>,
}

impl DistributionAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article's gold and predicted spans.
    pub fn add<G: SpanLike, P: SpanLike>(&mut self, gold: &[G], pred: &[P]) {
        self.gold_counts.push(gold.len() as f64);
        self.pred_counts.push(pred.len() as f64);
        self.gold_lengths
            .extend(gold.iter().map(|s| s.span().len() as f64));
        self.pred_lengths
            .extend(pred.iter().map(|s| s.span().len() as f64));
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &DistributionAccumulator) {
        self.gold_counts.extend_from_slice(&other.gold_counts);
        self.pred_counts.extend_from_slice(&other.pred_counts);
        self.gold_lengths.extend_from_slice(&other.gold_lengths);
        self.pred_lengths.extend_from_slice(&other.pred_lengths);
    }

    /// The distributions over everything added so far.
    pub fn score(&self) -> SpanDistribution {
        SpanDistribution {
            gold: SideDistribution {
                spans: self.gold_lengths.len(),
                per_article: Summary::of(&self.gold_counts),
                length: Summary::of(&self.gold_lengths),
            },
            pred: SideDistribution {
                spans: self.pred_lengths.len(),
                per_article: Summary::of(&self.pred_counts),
                length: Summary::of(&self.pred_lengths),
            },
        }
    }
}

/// Number of calibration bins.
pub const CALIBRATION_BINS: usize = 10;

/// True when `pred` counts as a correct detection of `gold` for calibration: same
/// technique and an overlap of at least half the shorter span (`2·|s∩g| ≥ min(|s|,|g|)`,
/// with `|s∩g| > 0`).
pub fn matches<P: Labelled, G: Labelled>(pred: &P, gold: &G) -> bool {
    let (s, g) = (pred.span(), gold.span());
    let inter = s.overlap(&g);
    pred.technique() == gold.technique() && inter > 0 && 2 * inter >= s.len().min(g.len())
}

/// The calibration bin of a confidence: `min(⌊10·c⌋, 9)` after clamping to `[0, 1]`
/// (NaN counts as 0).
pub fn calibration_bin(confidence: f64) -> usize {
    let c = if confidence.is_nan() {
        0.0
    } else {
        confidence.clamp(0.0, 1.0)
    };
    ((c * CALIBRATION_BINS as f64).floor() as usize).min(CALIBRATION_BINS - 1)
}

/// One row of the reliability table.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CalibrationBin {
    /// Bin index, 0 to 9.
    pub index: usize,
    /// Lower edge of the bin (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive, except 1.0 for the last bin).
    pub upper: f64,
    /// Number of predictions in the bin.
    pub count: usize,
    /// Number of them that are correct.
    pub correct: usize,
    /// Mean confidence of the bin's predictions; `None` for an empty bin.
    pub mean_confidence: Option<f64>,
    /// Fraction of the bin's predictions that are correct; `None` for an empty bin.
    pub accuracy: Option<f64>,
}

/// The reliability table and expected calibration error.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    /// The 10 bins, in order, empty ones included.
    pub bins: Vec<CalibrationBin>,
    /// Number of predictions.
    pub total: usize,
    /// Fraction of all predictions that are correct; `None` when there are none.
    pub accuracy: Option<f64>,
    /// Expected calibration error, `Σ_b n_b/N · |acc_b − conf_b|` (0 with no predictions).
    pub ece: f64,
}

/// Accumulates confidence calibration over articles.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationAccumulator {
    count: [usize; CALIBRATION_BINS],
    correct: [usize; CALIBRATION_BINS],
    confidence_sum: [f64; CALIBRATION_BINS],
}

impl Default for CalibrationAccumulator {
    fn default() -> Self {
        CalibrationAccumulator {
            count: [0; CALIBRATION_BINS],
            correct: [0; CALIBRATION_BINS],
            confidence_sum: [0.0; CALIBRATION_BINS],
        }
    }
}

impl CalibrationAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article's gold spans and predictions.
    pub fn add<G: Labelled>(&mut self, gold: &[G], pred: &[PredictedSpan]) {
        for p in pred {
            let b = calibration_bin(p.confidence);
            self.count[b] += 1;
            self.confidence_sum[b] += if p.confidence.is_nan() {
                0.0
            } else {
                p.confidence.clamp(0.0, 1.0)
            };
            if gold.iter().any(|g| matches(p, g)) {
                self.correct[b] += 1;
            }
        }
    }

    /// Adds one prediction that is right or wrong by a rule of the caller's (e.g. a
    /// sentence-level probability against whether the sentence overlaps a gold span).
    pub fn add_outcome(&mut self, confidence: f64, correct: bool) {
        let b = calibration_bin(confidence);
        self.count[b] += 1;
        self.confidence_sum[b] += if confidence.is_nan() {
            0.0
        } else {
            confidence.clamp(0.0, 1.0)
        };
        if correct {
            self.correct[b] += 1;
        }
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &CalibrationAccumulator) {
        for b in 0..CALIBRATION_BINS {
            self.count[b] += other.count[b];
            self.correct[b] += other.correct[b];
            self.confidence_sum[b] += other.confidence_sum[b];
        }
    }

    /// The table and ECE over everything added so far.
    pub fn score(&self) -> Calibration {
        let total: usize = self.count.iter().sum();
        let correct: usize = self.correct.iter().sum();
        let mut ece = 0.0;
        let bins = (0..CALIBRATION_BINS)
            .map(|b| {
                let n = self.count[b];
                let (mean_confidence, accuracy) = if n == 0 {
                    (None, None)
                } else {
                    let conf = self.confidence_sum[b] / n as f64;
                    let acc = self.correct[b] as f64 / n as f64;
                    ece += n as f64 / total as f64 * (acc - conf).abs();
                    (Some(conf), Some(acc))
                };
                CalibrationBin {
                    index: b,
                    lower: b as f64 / CALIBRATION_BINS as f64,
                    upper: (b + 1) as f64 / CALIBRATION_BINS as f64,
                    count: n,
                    correct: self.correct[b],
                    mean_confidence,
                    accuracy,
                }
            })
            .collect();
        Calibration {
            bins,
            total,
            accuracy: (total > 0).then(|| correct as f64 / total as f64),
            ece,
        }
    }
}

/// Everything [`Evaluator`] measures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvalReport {
    /// Span identification, labels ignored.
    pub si: SiScore,
    /// Full task.
    pub flc: FlcScore,
    /// Span count and length distributions.
    pub distribution: SpanDistribution,
    /// Confidence calibration.
    pub calibration: Calibration,
}

/// SI, FLC, distributions and calibration in one pass, for a span model's predictions.
/// (TC needs predictions for the gold spans themselves; use [`TcAccumulator`].)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluator {
    si: SiAccumulator,
    flc: FlcAccumulator,
    distribution: DistributionAccumulator,
    calibration: CalibrationAccumulator,
}

impl Evaluator {
    /// An empty evaluator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article's gold spans and predictions. SI uses the ranges of the labelled
    /// gold spans (e.g. the corpus's `techniques.tsv`); score against `spans.tsv` with an
    /// [`SiAccumulator`] if needed.
    pub fn add<G: Labelled>(&mut self, gold: &[G], pred: &[PredictedSpan]) {
        self.si.add(gold, pred);
        self.flc.add(gold, pred);
        self.distribution.add(gold, pred);
        self.calibration.add(gold, pred);
    }

    /// Adds everything `other` accumulated.
    pub fn merge(&mut self, other: &Evaluator) {
        self.si.merge(&other.si);
        self.flc.merge(&other.flc);
        self.distribution.merge(&other.distribution);
        self.calibration.merge(&other.calibration);
    }

    /// The report over everything added so far.
    pub fn score(&self) -> EvalReport {
        EvalReport {
            si: self.si.score(),
            flc: self.flc.score(),
            distribution: self.distribution.score(),
            calibration: self.calibration.score(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::techniques::data::corpus::GoldSpan;
    use Technique::*;

    const EPS: f64 = 1e-12;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < EPS, "{a} != {b}");
    }

    fn prf(p: Prf, precision: f64, recall: f64, f1: f64) {
        close(p.precision, precision);
        close(p.recall, recall);
        close(p.f1, f1);
    }

    fn s(start: usize, end: usize) -> Span {
        Span::new(start, end)
    }

    fn g(start: usize, end: usize, technique: Technique) -> GoldSpan {
        GoldSpan {
            start,
            end,
            technique,
        }
    }

    fn p(start: usize, end: usize, technique: Technique, confidence: f64) -> PredictedSpan {
        PredictedSpan {
            start,
            end,
            technique,
            confidence,
        }
    }

    fn si(gold: &[Span], pred: &[Span]) -> SiScore {
        let mut a = SiAccumulator::new();
        a.add(gold, pred);
        a.score()
    }

    #[test]
    fn merge_spans_merges_overlaps_not_touching() {
        assert_eq!(
            merge_spans([
                s(4, 12),
                s(0, 6),
                s(12, 14),
                s(20, 25),
                s(21, 22),
                s(30, 30)
            ]),
            vec![s(0, 12), s(12, 14), s(20, 25)]
        );
    }

    #[test]
    fn si_partial_overlap() {
        // gold [0,10), pred [5,15): |s∩g| = 5.
        // P = 5/10 = 0.5, R = 5/10 = 0.5, F1 = 0.5.
        let r = si(&[s(0, 10)], &[s(5, 15)]);
        prf(r.prf, 0.5, 0.5, 0.5);
        assert_eq!((r.pred_spans, r.gold_spans), (1, 1));
    }

    #[test]
    fn si_prediction_covering_two_gold_spans() {
        // gold [0,4) and [6,10), pred [0,10).
        // P = (4/10 + 4/10) / 1 = 0.8; R = (4/4 + 4/4) / 2 = 1; F1 = 1.6/1.8 = 8/9.
        let r = si(&[s(0, 4), s(6, 10)], &[s(0, 10)]);
        prf(r.prf, 0.8, 1.0, 8.0 / 9.0);
    }

    #[test]
    fn si_overlapping_predictions_merge() {
        // preds [0,6) and [4,12) merge into [0,12); gold [0,10).
        // P = 10/12 = 5/6; R = 10/10 = 1; F1 = 2·(5/6)/(11/6) = 10/11.
        let r = si(&[s(0, 10)], &[s(0, 6), s(4, 12)]);
        assert_eq!(r.pred_spans, 1);
        prf(r.prf, 5.0 / 6.0, 1.0, 10.0 / 11.0);

        // Touching preds [0,5) and [5,10) stay two spans: P = (5/5 + 5/5)/2 = 1,
        // R = (5/10 + 5/10)/1 = 1.
        let r = si(&[s(0, 10)], &[s(0, 5), s(5, 10)]);
        assert_eq!(r.pred_spans, 2);
        prf(r.prf, 1.0, 1.0, 1.0);
    }

    #[test]
    fn si_nested_gold_spans_merge() {
        // gold [0,20) ⊃ [5,10) merge into [0,20) (one gold span); pred [5,10).
        // P = 5/5 = 1; R = 5/20 = 0.25; F1 = 0.5/1.25 = 0.4.
        let r = si(&[s(0, 20), s(5, 10)], &[s(5, 10)]);
        assert_eq!(r.gold_spans, 1);
        prf(r.prf, 1.0, 0.25, 0.4);
    }

    #[test]
    fn si_empty_sets() {
        let none: [Span; 0] = [];
        // No predictions, some gold: P = 0 (0/0), R = 0/1 = 0, F1 = 0.
        prf(si(&[s(0, 5)], &none).prf, 0.0, 0.0, 0.0);
        // Predictions, no gold: P = 0/1 = 0, R = 0 (0/0), F1 = 0.
        let r = si(&none, &[s(0, 5)]);
        prf(r.prf, 0.0, 0.0, 0.0);
        assert_eq!(r.pred_spans, 1);
        // Nothing at all: 1, 1, 1.
        prf(si(&none, &none).prf, 1.0, 1.0, 1.0);
        // Empty predicted spans are dropped: same as no predictions.
        prf(si(&[s(0, 5)], &[s(3, 3)]).prf, 0.0, 0.0, 0.0);
    }

    #[test]
    fn si_sums_over_articles_not_averaged() {
        // A: gold [0,10), pred [0,5): p += 5/5 = 1, r += 5/10 = 0.5.
        // B: gold [0,4), pred [10,20): nothing.
        // C: no gold, pred [0,2): nothing.
        // #pred = 3, #gold = 2: P = 1/3, R = 0.5/2 = 0.25, F1 = (1/6)/(7/12) = 2/7.
        let mut a = SiAccumulator::new();
        a.add(&[s(0, 10)], &[s(0, 5)]);
        a.add(&[(0, 4)], &[(10, 20)]);
        let none: [Span; 0] = [];
        a.add(&none, &[s(0, 2)]);
        prf(a.score().prf, 1.0 / 3.0, 0.25, 2.0 / 7.0);

        // Merging two accumulators equals accumulating everything in one.
        let (mut x, mut y) = (SiAccumulator::new(), SiAccumulator::new());
        x.add(&[s(0, 10)], &[s(0, 5)]);
        y.add(&[(0, 4)], &[(10, 20)]);
        y.add(&none, &[s(0, 2)]);
        x.merge(&y);
        assert_eq!(x.score(), a.score());
    }

    #[test]
    fn si_labels_are_ignored_and_sweep_matches_brute_force() {
        // Same range with two techniques counts once after merging.
        let gold = [g(0, 10, Doubt), g(0, 10, LoadedLanguage)];
        let mut a = SiAccumulator::new();
        a.add(&gold, &[p(0, 10, Slogans, 0.5)]);
        prf(a.score().prf, 1.0, 1.0, 1.0);

        // The two-pointer sweep against the definition's double sum.
        let gold = merge_spans([s(0, 3), s(5, 9), s(9, 20), s(25, 26), s(30, 50)]);
        let pred = merge_spans([s(1, 6), s(8, 10), s(12, 31), s(40, 41), s(60, 70)]);
        let (mut bp, mut br) = (0.0, 0.0);
        for x in &pred {
            for y in &gold {
                bp += x.overlap(y) as f64 / x.len() as f64;
                br += x.overlap(y) as f64 / y.len() as f64;
            }
        }
        let (sp, sr) = overlap_sums(&gold, &pred);
        close(sp, bp);
        close(sr, br);
    }

    #[test]
    fn flc_same_span_with_two_techniques() {
        // gold: [0,10) Doubt and [0,10) Loaded_Language;
        // pred: [0,10) Doubt and [5,15) Slogans.
        // Doubt: gold [0,10), pred [0,10): p += 1, r += 1.
        // Loaded_Language: one gold, no pred. Slogans: one pred, no gold.
        // #pred = 2, #gold = 2: P = 1/2, R = 1/2, F1 = 1/2.
        let gold = [g(0, 10, Doubt), g(0, 10, LoadedLanguage)];
        let pred = [p(0, 10, Doubt, 0.9), p(5, 15, Slogans, 0.9)];
        let mut a = FlcAccumulator::new();
        a.add(&gold, &pred);
        let r = a.score();
        prf(r.overall.prf, 0.5, 0.5, 0.5);
        assert_eq!(r.per_technique.len(), 3);
        prf(r.per_technique[&Doubt].prf, 1.0, 1.0, 1.0);
        prf(r.per_technique[&LoadedLanguage].prf, 0.0, 0.0, 0.0);
        prf(r.per_technique[&Slogans].prf, 0.0, 0.0, 0.0);

        // SI on the same data ignores labels: gold merges to [0,10), preds to [0,15).
        // P = 10/15 = 2/3, R = 1, F1 = (4/3)/(5/3) = 0.8.
        let mut a = SiAccumulator::new();
        a.add(&gold, &pred);
        prf(a.score().prf, 2.0 / 3.0, 1.0, 0.8);
    }

    #[test]
    fn flc_merges_per_technique_and_needs_the_same_technique() {
        // Loaded_Language gold [0,6) and [4,10) merge into [0,10); pred [0,10): P = R = 1.
        // The Doubt pred [0,10) overlaps only the Doubt-less gold: earns nothing.
        // Doubt gold [0,10) overlapping the Loaded_Language gold is NOT merged with it.
        let gold = [
            g(0, 6, LoadedLanguage),
            g(4, 10, LoadedLanguage),
            g(20, 30, Doubt),
        ];
        let pred = [p(0, 10, LoadedLanguage, 1.0), p(0, 10, Doubt, 1.0)];
        let mut a = FlcAccumulator::new();
        a.add(&gold, &pred);
        let r = a.score();
        // #pred = 2 (one per technique), #gold = 2 ([0,10) LL, [20,30) Doubt).
        // P = (1 + 0)/2, R = (1 + 0)/2.
        assert_eq!((r.overall.pred_spans, r.overall.gold_spans), (2, 2));
        prf(r.overall.prf, 0.5, 0.5, 0.5);
        prf(r.per_technique[&LoadedLanguage].prf, 1.0, 1.0, 1.0);
        prf(r.per_technique[&Doubt].prf, 0.0, 0.0, 0.0);

        // Nothing at all.
        let mut a = FlcAccumulator::new();
        a.add::<GoldSpan, PredictedSpan>(&[], &[]);
        prf(a.score().overall.prf, 1.0, 1.0, 1.0);
        assert!(a.score().per_technique.is_empty());
    }

    #[test]
    fn tc_micro_and_per_technique() {
        // gold rows: (0,10) Doubt, (0,10) Loaded, (20,30) Slogans, (40,50) Repetition.
        // pred rows: (0,10) Loaded, (0,10) Flag-Waving, (20,30) Slogans, (40,50) Doubt.
        // (0,10): Loaded TP; Flag-Waving FP; Doubt FN.  (20,30): Slogans TP.
        // (40,50): Doubt FP, Repetition FN.  TP = 2, FP = 2, FN = 2.
        // Micro P = 2/4, R = 2/4, F1 = 0.5 = accuracy (2 of 4 rows right).
        let gold = [
            g(0, 10, Doubt),
            g(0, 10, LoadedLanguage),
            g(20, 30, Slogans),
            g(40, 50, Repetition),
        ];
        let pred = [
            g(0, 10, LoadedLanguage),
            g(0, 10, FlagWaving),
            g(20, 30, Slogans),
            g(40, 50, Doubt),
        ];
        let mut a = TcAccumulator::new();
        a.add(&gold, &pred);
        let r = a.score();
        prf(r.micro, 0.5, 0.5, 0.5);
        assert_eq!((r.gold_rows, r.pred_rows), (4, 4));
        // Per technique: Doubt tp0 fp1 fn1 → 0; Loaded 1; Slogans 1; Repetition fn1 → 0;
        // Flag-Waving fp1 (support 0) → 0. Macro over these 5 = 2/5.
        assert_eq!(r.per_technique.len(), 5);
        let d = r.per_technique[&Doubt];
        assert_eq!((d.support, d.predicted), (1, 1));
        assert_eq!(
            d.counts,
            LabelCounts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        prf(d.prf, 0.0, 0.0, 0.0);
        prf(r.per_technique[&LoadedLanguage].prf, 1.0, 1.0, 1.0);
        prf(r.per_technique[&Slogans].prf, 1.0, 1.0, 1.0);
        prf(r.per_technique[&Repetition].prf, 0.0, 0.0, 0.0);
        let fw = r.per_technique[&FlagWaving];
        assert_eq!((fw.support, fw.predicted), (0, 1));
        prf(fw.prf, 0.0, 0.0, 0.0);
        close(r.macro_f1, 0.4);

        // Order within a range does not matter: [Loaded, Doubt] for gold [Doubt, Loaded].
        let mut a = TcAccumulator::new();
        a.add(&gold[..2], &[g(0, 10, LoadedLanguage), g(0, 10, Doubt)]);
        prf(a.score().micro, 1.0, 1.0, 1.0);
    }

    #[test]
    fn tc_with_differing_row_counts() {
        let gold = [g(0, 10, Doubt), g(20, 30, Slogans)];
        // One missing prediction: TP 1, FP 0, FN 1 → P = 1, R = 1/2, F1 = 2/3.
        let mut a = TcAccumulator::new();
        a.add(&gold, &[g(0, 10, Doubt)]);
        prf(a.score().micro, 1.0, 0.5, 2.0 / 3.0);
        // Plus a prediction at a range with no gold: TP 1, FP 1, FN 1 → 1/2, 1/2, 1/2.
        let mut a = TcAccumulator::new();
        a.add(&gold, &[g(0, 10, Doubt), g(60, 70, Doubt)]);
        prf(a.score().micro, 0.5, 0.5, 0.5);
        // Two predictions for a range with one gold label: the extra one is an FP.
        // TP 1, FP 1, FN 1 (Slogans) → 1/2, 1/2, 1/2.
        let mut a = TcAccumulator::new();
        a.add(&gold, &[g(0, 10, Doubt), g(0, 10, Doubt)]);
        prf(a.score().micro, 0.5, 0.5, 0.5);
        // No predictions at all.
        let mut a = TcAccumulator::new();
        a.add::<GoldSpan, GoldSpan>(&gold, &[]);
        prf(a.score().micro, 0.0, 0.0, 0.0);
        // Nothing at all.
        let a = TcAccumulator::new();
        prf(a.score().micro, 1.0, 1.0, 1.0);
        close(a.score().macro_f1, 0.0);
    }

    #[test]
    fn summary_percentiles() {
        // [5,7,10,20]: mean 10.5; median at h=1.5 → 7 + 0.5·3 = 8.5;
        // p10 at h=0.3 → 5 + 0.3·2 = 5.6; p90 at h=2.7 → 10 + 0.7·10 = 17.
        let x = Summary::of(&[10.0, 20.0, 5.0, 7.0]);
        assert_eq!(x.count, 4);
        close(x.mean, 10.5);
        close(x.median, 8.5);
        close(x.p10, 5.6);
        close(x.p90, 17.0);
        assert_eq!(Summary::of(&[]), Summary::default());
        let one = Summary::of(&[3.0]);
        close(one.p10, 3.0);
        close(one.p90, 3.0);
    }

    #[test]
    fn distribution_of_gold_and_predictions() {
        // A: gold lengths 10, 20, 5; pred length 4.  B: gold length 7; no pred.
        // C: no gold; pred lengths 3, 3.
        // Gold per article [3,1,0]: mean 4/3, median 1, p10 0.2, p90 1 + 0.8·2 = 2.6.
        // Gold lengths [5,7,10,20]: as in `summary_percentiles`.
        // Pred per article [1,0,2]: mean 1, median 1, p10 0.2, p90 1.8.
        // Pred lengths [3,3,4]: mean 10/3, median 3, p10 3, p90 3 + 0.8·1 = 3.8.
        let mut a = DistributionAccumulator::new();
        a.add(&[s(0, 10), s(20, 40), s(50, 55)], &[s(0, 4)]);
        let none: [Span; 0] = [];
        a.add(&[s(0, 7)], &none);
        a.add(&none, &[s(0, 3), s(5, 8)]);
        let d = a.score();
        assert_eq!((d.gold.spans, d.pred.spans), (4, 3));
        let gp = d.gold.per_article;
        assert_eq!(gp.count, 3);
        close(gp.mean, 4.0 / 3.0);
        close(gp.median, 1.0);
        close(gp.p10, 0.2);
        close(gp.p90, 2.6);
        assert_eq!(d.gold.length, Summary::of(&[5.0, 7.0, 10.0, 20.0]));
        let pp = d.pred.per_article;
        close(pp.mean, 1.0);
        close(pp.median, 1.0);
        close(pp.p10, 0.2);
        close(pp.p90, 1.8);
        let pl = d.pred.length;
        close(pl.mean, 10.0 / 3.0);
        close(pl.median, 3.0);
        close(pl.p10, 3.0);
        close(pl.p90, 3.8);
    }

    #[test]
    fn matching_rule_for_calibration() {
        // [5,20) vs [0,10): overlap 5, shorter 10 → 2·5 ≥ 10: correct.
        assert!(matches(&p(5, 20, Doubt, 0.5), &g(0, 10, Doubt)));
        // [6,20) vs [0,10): overlap 4 < 5: not.
        assert!(!matches(&p(6, 20, Doubt, 0.5), &g(0, 10, Doubt)));
        // Nested short pred [22,24) in [20,30): overlap 2, shorter 2: correct.
        assert!(matches(&p(22, 24, Doubt, 0.5), &g(20, 30, Doubt)));
        // Odd shorter length: [0,3) vs [2,12): overlap 1, 2·1 < 3: not.
        assert!(!matches(&p(0, 3, Doubt, 0.5), &g(2, 12, Doubt)));
        // Other technique: not.
        assert!(!matches(&p(0, 10, Slogans, 0.5), &g(0, 10, Doubt)));
        // Touching: no overlap.
        assert!(!matches(&p(10, 11, Doubt, 0.5), &g(0, 10, Doubt)));
    }

    #[test]
    fn calibration_bins_and_ece() {
        // gold: Doubt [0,10), Loaded [20,30).
        // a Doubt [0,10) 0.95 → bin 9, correct.
        // b Doubt [5,20) 0.91 → bin 9, correct (overlap 5, shorter 10).
        // c Doubt [6,20) 0.99 → bin 9, wrong (overlap 4).
        // d Loaded [0,10) 0.15 → bin 1, wrong technique.
        // e Loaded [22,24) 0.12 → bin 1, correct (nested).
        // f Slogans [40,50) 0.0 → bin 0, wrong.
        // g Loaded [20,30) 1.0 → bin 9 (last bin closed), correct.
        // Bin 9: n 4, conf 3.85/4 = 0.9625, acc 3/4. Bin 1: n 2, conf 0.135, acc 1/2.
        // Bin 0: n 1, conf 0, acc 0.
        // ECE = 4/7·0.2125 + 2/7·0.365 + 1/7·0 = (0.85 + 0.73)/7 = 1.58/7.
        let gold = [g(0, 10, Doubt), g(20, 30, LoadedLanguage)];
        let pred = [
            p(0, 10, Doubt, 0.95),
            p(5, 20, Doubt, 0.91),
            p(6, 20, Doubt, 0.99),
            p(0, 10, LoadedLanguage, 0.15),
            p(22, 24, LoadedLanguage, 0.12),
            p(40, 50, Slogans, 0.0),
            p(20, 30, LoadedLanguage, 1.0),
        ];
        let mut a = CalibrationAccumulator::new();
        a.add(&gold, &pred);
        let c = a.score();
        assert_eq!(c.total, 7);
        assert_eq!(c.bins.len(), 10);
        let counts: Vec<usize> = c.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 2, 0, 0, 0, 0, 0, 0, 0, 4]);
        let b9 = c.bins[9];
        close(b9.mean_confidence.unwrap(), 0.9625);
        close(b9.accuracy.unwrap(), 0.75);
        close(c.bins[1].mean_confidence.unwrap(), 0.135);
        close(c.bins[1].accuracy.unwrap(), 0.5);
        close(c.bins[0].accuracy.unwrap(), 0.0);
        assert_eq!(c.bins[5].mean_confidence, None);
        assert_eq!(c.bins[5].accuracy, None);
        close(c.bins[3].lower, 0.3);
        close(c.bins[3].upper, 0.4);
        close(c.accuracy.unwrap(), 4.0 / 7.0);
        close(c.ece, 1.58 / 7.0);

        // Bin edges.
        assert_eq!(calibration_bin(0.1), 1);
        assert_eq!(calibration_bin(0.0999), 0);
        assert_eq!(calibration_bin(0.5), 5);
        assert_eq!(calibration_bin(1.0), 9);
        assert_eq!(calibration_bin(1.5), 9);
        assert_eq!(calibration_bin(-0.2), 0);
        assert_eq!(calibration_bin(f64::NAN), 0);

        // Empty.
        let c = CalibrationAccumulator::new().score();
        assert_eq!((c.total, c.accuracy, c.ece), (0, None, 0.0));

        // Perfectly calibrated: two at 0.5, one correct → ECE 0.
        let mut a = CalibrationAccumulator::new();
        a.add(&gold, &[p(0, 10, Doubt, 0.5), p(40, 50, Doubt, 0.5)]);
        close(a.score().ece, 0.0);
    }

    #[test]
    fn evaluator_combines_everything() {
        let gold = [g(0, 10, Doubt), g(0, 10, LoadedLanguage)];
        let pred = [p(0, 10, Doubt, 0.9), p(5, 15, Slogans, 0.9)];
        let mut e = Evaluator::new();
        e.add(&gold, &pred);
        let r = e.score();
        prf(r.si.prf, 2.0 / 3.0, 1.0, 0.8);
        prf(r.flc.overall.prf, 0.5, 0.5, 0.5);
        assert_eq!(r.distribution.gold.spans, 2);
        assert_eq!(r.calibration.bins[9].count, 2);
        close(r.calibration.accuracy.unwrap(), 0.5);
    }
}
