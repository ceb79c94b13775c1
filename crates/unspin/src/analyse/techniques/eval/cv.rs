//! Cross-validation of the techniques model by article, reported with the task's metrics:
//! span identification, technique classification, full task, per-technique F1, span count
//! and length against gold, and calibration of the confidences.

use std::fmt;
use std::time::Instant;

use crate::analyse::techniques::calibration::Calibrator;
use crate::analyse::techniques::data::corpus::Corpus;
use crate::analyse::techniques::eval::metrics::{
    Calibration, CalibrationAccumulator, DistributionAccumulator, FlcAccumulator, FlcScore,
    PredictedSpan, Prf, SiAccumulator, SiScore, Span, SpanDistribution, Summary, TcAccumulator,
    TcScore,
};
use crate::analyse::techniques::sentence;
use crate::analyse::techniques::trainer::{
    ArticleOutcome, TrainConfig, as_predicted, calibration_samples, out_of_fold,
};
use crate::analyse::techniques::trainer::{SENTENCE_L2, TrainingOnly, sentence_samples};
use crate::analysis::Technique;

/// Everything `unspin eval techniques` prints.
#[derive(Debug, Clone)]
pub struct CvReport {
    /// Number of folds.
    pub folds: usize,
    /// Number of articles scored.
    pub articles: usize,
    /// Training-only articles added to every fold.
    pub extra_articles: usize,
    /// Seed used.
    pub seed: u64,
    /// Span identification (proposed spans against gold, labels ignored).
    pub si: SiScore,
    /// Technique classification on the gold spans.
    pub tc: TcScore,
    /// Full task (span and technique).
    pub flc: FlcScore,
    /// Predicted vs gold span counts and lengths.
    pub distribution: SpanDistribution,
    /// Calibration of the confidences (each fold calibrated on the other folds).
    pub calibration: Calibration,
    /// The sentence layer: a sentence is positive when it overlaps a gold span, predicted
    /// positive when its P(persuasive) reaches the layer's threshold (each fold's layer
    /// fitted on the other folds).
    pub sentence: Prf,
    /// Calibration of the sentences' P(persuasive).
    pub sentence_calibration: Calibration,
    /// Span identification and full task when only detections with a calibrated
    /// confidence of at least each of [`MIN_CONFIDENCE_STEPS`] are kept (what
    /// `--min-confidence` does).
    pub by_min_confidence: Vec<MinConfidenceRow>,
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
}

/// The `--min-confidence` values the report shows scores for.
pub const MIN_CONFIDENCE_STEPS: [f32; 7] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5];

/// Scores of the detections kept at one minimum confidence.
#[derive(Debug, Clone)]
pub struct MinConfidenceRow {
    /// The minimum calibrated confidence.
    pub min_confidence: f32,
    /// Detections kept.
    pub spans: usize,
    /// Span identification over the kept detections.
    pub si: SiScore,
    /// Full task over the kept detections.
    pub flc: FlcScore,
}

/// Runs k-fold cross-validation by article over `corpus`; the `extra` articles (other
/// schemes, other text types) are added to every fold's training side and never scored.
pub fn cross_validate(
    corpus: &Corpus,
    extra: &TrainingOnly,
    k: usize,
    cfg: &TrainConfig,
) -> CvReport {
    let started = Instant::now();
    let folds = corpus.folds(k, cfg.seed);
    let outcomes = out_of_fold(corpus, extra, &folds, cfg);
    let mut si = SiAccumulator::new();
    let mut tc = TcAccumulator::new();
    let mut flc = FlcAccumulator::new();
    let mut dist = DistributionAccumulator::new();
    let mut cal = CalibrationAccumulator::new();
    let mut sent_cal = CalibrationAccumulator::new();
    let (mut sent_tp, mut sent_pred, mut sent_gold) = (0usize, 0usize, 0usize);
    let mut by_conf: Vec<(usize, SiAccumulator, FlcAccumulator)> = MIN_CONFIDENCE_STEPS
        .iter()
        .map(|_| (0, SiAccumulator::new(), FlcAccumulator::new()))
        .collect();
    for (f, test) in folds.iter().enumerate() {
        // Calibrate this fold on the out-of-fold predictions of the other folds only.
        let others = folds
            .iter()
            .enumerate()
            .filter(|(g, _)| *g != f)
            .flat_map(|(_, idx)| idx.iter().map(|&i| &outcomes[i]));
        let others: Vec<&ArticleOutcome> = others.collect();
        let calibrator = Calibrator::fit(
            &calibration_samples(corpus, others.iter().copied()),
            cfg.calibration_min_block,
        );
        let layer = sentence::trainer::fit(&sentence_samples(others.iter().copied()), SENTENCE_L2);
        for &i in test {
            let o: &ArticleOutcome = &outcomes[i];
            for (x, &gold) in o.sentence_inputs.iter().zip(&o.sentence_gold) {
                let p = layer.probability(x);
                let pred = p >= layer.threshold;
                sent_tp += usize::from(pred && gold);
                sent_pred += usize::from(pred);
                sent_gold += usize::from(gold);
                sent_cal.add_outcome(f64::from(p), gold);
            }
            let gold = &corpus.articles[i].spans;
            let proposals: Vec<Span> = o
                .proposals
                .iter()
                .map(|p| Span::new(p.start, p.end))
                .collect();
            si.add(gold, &proposals);
            dist.add(gold, &proposals);
            let labelled: Vec<PredictedSpan> = gold
                .iter()
                .zip(&o.gold_labels)
                .map(|(g, &t)| PredictedSpan {
                    start: g.start,
                    end: g.end,
                    technique: t,
                    confidence: 1.0,
                })
                .collect();
            tc.add(gold, &labelled);
            let detections: Vec<PredictedSpan> = o
                .detections
                .iter()
                .map(|d| {
                    let mut p = as_predicted(d);
                    p.confidence = f64::from(calibrator.apply(d.raw));
                    p
                })
                .collect();
            flc.add(gold, &detections);
            cal.add(gold, &detections);
            for (&min, (n, si_acc, flc_acc)) in MIN_CONFIDENCE_STEPS.iter().zip(&mut by_conf) {
                let kept: Vec<PredictedSpan> = detections
                    .iter()
                    .filter(|d| d.confidence >= f64::from(min))
                    .cloned()
                    .collect();
                let spans: Vec<Span> = kept.iter().map(|d| Span::new(d.start, d.end)).collect();
                *n += kept.len();
                si_acc.add(gold, &spans);
                flc_acc.add(gold, &kept);
            }
        }
    }
    CvReport {
        folds: folds.len(),
        articles: corpus.len(),
        extra_articles: extra.len(),
        seed: cfg.seed,
        si: si.score(),
        tc: tc.score(),
        flc: flc.score(),
        distribution: dist.score(),
        calibration: cal.score(),
        sentence: Prf::from_parts(
            sent_tp as f64,
            sent_pred as f64,
            sent_tp as f64,
            sent_gold as f64,
        ),
        sentence_calibration: sent_cal.score(),
        by_min_confidence: MIN_CONFIDENCE_STEPS
            .iter()
            .zip(by_conf)
            .map(|(&min_confidence, (spans, si, flc))| MinConfidenceRow {
                min_confidence,
                spans,
                si: si.score(),
                flc: flc.score(),
            })
            .collect(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

impl fmt::Display for CvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Cross-validation by article: {} folds over {} articles (seed {}), {:.0} s",
            self.folds, self.articles, self.seed, self.seconds
        )?;
        if self.extra_articles > 0 {
            writeln!(
                f,
                "(plus {} training-only articles in every fold's training side)",
                self.extra_articles
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<34} {:>9} {:>9} {:>9}",
            "task", "precision", "recall", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: f64, r: f64, f1: f64| {
            writeln!(f, "{name:<34} {p:>9.4} {r:>9.4} {f1:>9.4}")
        };
        row(
            f,
            "span identification (SI)",
            self.si.prf.precision,
            self.si.prf.recall,
            self.si.prf.f1,
        )?;
        row(
            f,
            "technique classification (TC, micro)",
            self.tc.micro.precision,
            self.tc.micro.recall,
            self.tc.micro.f1,
        )?;
        row(
            f,
            "full task (span + technique)",
            self.flc.overall.prf.precision,
            self.flc.overall.prf.recall,
            self.flc.overall.prf.f1,
        )?;
        row(
            f,
            "sentences (overlap a gold span)",
            self.sentence.precision,
            self.sentence.recall,
            self.sentence.f1,
        )?;
        writeln!(
            f,
            "sentence P(persuasive) calibration error (ECE): {:.4}",
            self.sentence_calibration.ece
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<42} {:>8} {:>7} {:>8} {:>8}",
            "technique", "support", "TC F1", "full F1", "pred"
        )?;
        for t in Technique::ALL {
            let tc = self.tc.per_technique.get(&t);
            let full = self.flc.per_technique.get(&t);
            writeln!(
                f,
                "{:<42} {:>8} {:>7.3} {:>8.3} {:>8}",
                t.as_str(),
                tc.map_or(0, |s| s.support),
                tc.map_or(0.0, |s| s.prf.f1),
                full.map_or(0.0, |s| s.prf.f1),
                full.map_or(0, |s| s.pred_spans),
            )?;
        }
        writeln!(f)?;
        let d = &self.distribution;
        writeln!(
            f,
            "{:<10} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "spans", "count", "per art.", "len mean", "len p10", "len med", "len p90"
        )?;
        for (name, side) in [("gold", &d.gold), ("predicted", &d.pred)] {
            let l: &Summary = &side.length;
            writeln!(
                f,
                "{:<10} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                name, side.spans, side.per_article.mean, l.mean, l.p10, l.median, l.p90
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<16} {:>7} {:>7} {:>7} {:>7} {:>9}",
            "min confidence", "spans", "SI P", "SI R", "SI F1", "full F1"
        )?;
        for r in &self.by_min_confidence {
            writeln!(
                f,
                "{:<16} {:>7} {:>7.4} {:>7.4} {:>7.4} {:>9.4}",
                format!("{:.2}", r.min_confidence),
                r.spans,
                r.si.prf.precision,
                r.si.prf.recall,
                r.si.prf.f1,
                r.flc.overall.prf.f1
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "calibration (right = overlaps a gold span of the same technique by ≥ half the shorter)"
        )?;
        writeln!(
            f,
            "{:<12} {:>7} {:>10} {:>9}",
            "confidence", "spans", "mean conf", "accuracy"
        )?;
        for b in &self.calibration.bins {
            writeln!(
                f,
                "{:<12} {:>7} {:>10} {:>9}",
                format!("{:.1}–{:.1}", b.lower, b.upper),
                b.count,
                b.mean_confidence.map_or("-".into(), |c| format!("{c:.3}")),
                b.accuracy.map_or("-".into(), |a| format!("{a:.3}")),
            )?;
        }
        write!(
            f,
            "expected calibration error (ECE): {:.4}",
            self.calibration.ece
        )
    }
}
