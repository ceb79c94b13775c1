//! Training the techniques model: cross-fitted out-of-fold predictions give the calibration
//! map and the per-technique reliability; the final span model and classifier are then
//! trained on every article.

use std::sync::Arc;

use rayon::prelude::*;
use unspin_segment::Segmentation;

use super::calibration::Calibrator;
use super::detector::{Detection, TechniqueReliability, TechniquesModel};
use crate::analyse::techniques::classify::model::TechniqueClassifier;
use crate::analyse::techniques::classify::trainer::ClassifierTrainConfig;
use crate::analyse::techniques::data::corpus::{Article, Corpus};
use crate::analyse::techniques::eval::metrics::{
    FlcAccumulator, PredictedSpan, SiAccumulator, Span, matches,
};
use crate::analyse::techniques::sentence::{self, features::N_INPUTS};
use crate::analyse::techniques::span::model::{ProposedSpan, SpanModel};
use crate::analyse::techniques::span::trainer::SpanTrainConfig;
use crate::analyse::word_classes::WordClasses;
use crate::analysis::Technique;

/// Settings of a training run; `seed` fixes every random choice.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Seed for folds and both models.
    pub seed: u64,
    /// Folds of the out-of-fold run that fits calibration and reliability.
    pub calibration_folds: usize,
    /// Smallest number of predictions behind one step of the calibration map.
    pub calibration_min_block: usize,
    /// Out-of-fold full-task F1 from which a technique counts as reliable.
    pub reliable_f1: f32,
    /// Fewest gold spans behind a technique's F1 for it to count as reliable.
    pub reliable_support: usize,
    /// Span model settings.
    pub span: SpanTrainConfig,
    /// Classifier settings.
    pub classifier: ClassifierTrainConfig,
    /// Whether training-only sets (other schemes, short texts) also train the span model;
    /// they always train the classifier. Off by default: cross-validated, their longer
    /// spans and capitalised texts cost the span model precision (docs/model-card-techniques.md).
    pub extra_in_span: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 20_200_911,
            calibration_folds: 3,
            calibration_min_block: 40,
            reliable_f1: 0.15,
            reliable_support: 100,
            span: SpanTrainConfig::default(),
            classifier: ClassifierTrainConfig::default(),
            extra_in_span: false,
        }
    }
}

impl TrainConfig {
    /// The same settings with every seed set to `seed`.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self.span.seed = seed;
        self.classifier.seed = seed;
        self
    }

    /// The same settings with word classes as features of the span model and the
    /// classifier.
    pub fn with_word_classes(mut self, classes: Arc<WordClasses>) -> Self {
        self.span.word_classes = Some(classes.clone());
        self.classifier.word_classes = Some(classes);
        self
    }
}

/// What one article's out-of-fold run produced.
#[derive(Debug, Clone)]
pub struct ArticleOutcome {
    /// Index of the article in the corpus.
    pub article: usize,
    /// Spans proposed by the span model.
    pub proposals: Vec<ProposedSpan>,
    /// The classifier's most likely technique for each gold span (in gold order).
    pub gold_labels: Vec<Technique>,
    /// The full pipeline's detections, with raw scores.
    pub detections: Vec<Detection>,
    /// The sentence layer's inputs, one per sentence.
    pub sentence_inputs: Vec<[f32; N_INPUTS]>,
    /// Whether each sentence overlaps a gold span (the sentence layer's target).
    pub sentence_gold: Vec<bool>,
}

/// Articles that only ever train, never scored: in every fold's training side and in the
/// final fit.
#[derive(Debug, Clone, Default)]
pub struct TrainingOnly {
    /// Annotated like the corpus (e.g. reviewed predictions imported from Label Studio):
    /// they train both parts.
    pub same_scheme: Vec<Article>,
    /// Other schemes or text types (e.g. CheckThat! articles, meme texts): they train the
    /// classifier, and the span model only when [`TrainConfig::extra_in_span`] says so.
    pub other_scheme: Vec<Article>,
}

impl TrainingOnly {
    /// Number of articles of both kinds.
    pub fn len(&self) -> usize {
        self.same_scheme.len() + self.other_scheme.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Trains the span model and classifier on some articles plus the training-only ones (see
/// [`TrainingOnly`]).
pub fn train_parts(
    articles: &[&Article],
    extra: &TrainingOnly,
    cfg: &TrainConfig,
) -> (SpanModel, TechniqueClassifier) {
    let same: Vec<&Article> = articles.iter().copied().chain(&extra.same_scheme).collect();
    let all: Vec<&Article> = same.iter().copied().chain(&extra.other_scheme).collect();
    let span_articles = if cfg.extra_in_span { &all } else { &same };
    let (span, classifier) = rayon::join(
        || SpanModel::train(span_articles, &cfg.span),
        || TechniqueClassifier::train(&all, &cfg.classifier),
    );
    (span, classifier)
}

/// Trains on every fold's complement plus the `extra` articles (training-only sets, never
/// predicted) and predicts the fold, for every fold; returns one outcome per corpus
/// article, in corpus order. Deterministic for a given config and folds.
pub fn out_of_fold(
    corpus: &Corpus,
    extra: &TrainingOnly,
    folds: &[Vec<usize>],
    cfg: &TrainConfig,
) -> Vec<ArticleOutcome> {
    let per_fold: Vec<Vec<ArticleOutcome>> = folds
        .par_iter()
        .map(|test| {
            let train: Vec<&Article> = corpus
                .articles
                .iter()
                .enumerate()
                .filter(|(i, _)| !test.contains(i))
                .map(|(_, a)| a)
                .collect();
            let (span, classifier) = train_parts(&train, extra, cfg);
            let model = TechniquesModel {
                span,
                classifier,
                calibrator: Calibrator::default(),
                reliability: Vec::new(),
                sentence: None,
            };
            test.iter()
                .map(|&i| predict_article(&model, i, &corpus.articles[i]))
                .collect()
        })
        .collect();
    let mut all: Vec<ArticleOutcome> = per_fold.into_iter().flatten().collect();
    all.sort_by_key(|o| o.article);
    all
}

/// Runs a model on one article: proposals, labels for the gold spans, detections.
fn predict_article(model: &TechniquesModel, index: usize, article: &Article) -> ArticleOutcome {
    let seg: Segmentation = unspin_segment::segment(&article.text);
    let (proposals, sentence_inputs) = model.proposals_and_sentence_inputs(&article.text, &seg);
    let sentence_gold = seg
        .sentences
        .iter()
        .map(|s| {
            article
                .spans
                .iter()
                .any(|g| g.start < s.end && s.start < g.end)
        })
        .collect();
    let gold: Vec<(usize, usize)> = article.spans.iter().map(|g| (g.start, g.end)).collect();
    let gold_labels = model
        .classifier
        .classify(&article.text, &seg, &gold)
        .iter()
        .map(|c| {
            let i = c
                .probs
                .iter()
                .enumerate()
                .fold(0, |b, (i, &p)| if p > c.probs[b] { i } else { b });
            Technique::ALL[i]
        })
        .collect();
    let detections = model.classify_proposals(&article.text, &seg, &proposals);
    ArticleOutcome {
        article: index,
        proposals,
        gold_labels,
        detections,
        sentence_inputs,
        sentence_gold,
    }
}

/// The (inputs, overlaps gold?) pairs of out-of-fold sentences, for fitting the sentence
/// layer.
pub fn sentence_samples<'a>(
    outcomes: impl IntoIterator<Item = &'a ArticleOutcome>,
) -> Vec<sentence::trainer::Sample> {
    outcomes
        .into_iter()
        .flat_map(|o| {
            o.sentence_inputs
                .iter()
                .copied()
                .zip(o.sentence_gold.iter().copied())
        })
        .collect()
}

/// Penalty on the sentence layer's weights.
pub const SENTENCE_L2: f64 = 1.0;

/// The (raw score, right?) pairs of out-of-fold detections, for fitting a calibrator.
pub fn calibration_samples<'a>(
    corpus: &Corpus,
    outcomes: impl IntoIterator<Item = &'a ArticleOutcome>,
) -> Vec<(f32, bool)> {
    let mut samples = Vec::new();
    for o in outcomes {
        let gold = &corpus.articles[o.article].spans;
        for d in &o.detections {
            let p = as_predicted(d);
            samples.push((d.raw, gold.iter().any(|g| matches(&p, g))));
        }
    }
    samples
}

/// A detection as the metrics module sees it.
pub fn as_predicted(d: &Detection) -> PredictedSpan {
    PredictedSpan {
        start: d.start,
        end: d.end,
        technique: d.technique,
        confidence: f64::from(d.confidence),
    }
}

/// Per-technique out-of-fold full-task F1 and support.
pub fn reliability(
    corpus: &Corpus,
    outcomes: &[ArticleOutcome],
    cfg: &TrainConfig,
) -> Vec<TechniqueReliability> {
    let mut flc = FlcAccumulator::new();
    for o in outcomes {
        let pred: Vec<PredictedSpan> = o.detections.iter().map(as_predicted).collect();
        flc.add(&corpus.articles[o.article].spans, &pred);
    }
    let score = flc.score();
    let counts = corpus.technique_counts();
    Technique::ALL
        .iter()
        .map(|&t| {
            let f1 = score.per_technique.get(&t).map_or(0.0, |s| s.prf.f1 as f32);
            let support = counts.get(&t).copied().unwrap_or(0);
            TechniqueReliability {
                technique: t,
                f1,
                support,
                reliable: f1 >= cfg.reliable_f1 && support >= cfg.reliable_support,
            }
        })
        .collect()
}

/// Trains the complete techniques model on a corpus.
pub fn train(corpus: &Corpus, cfg: &TrainConfig) -> TechniquesModel {
    train_with_report(corpus, &TrainingOnly::default(), cfg).0
}

/// Trains the complete techniques model on a corpus and training-only `extra` articles,
/// and reports the out-of-fold figures measured on the way (written into the model file
/// header). Calibration and reliability come from out-of-fold predictions on the corpus
/// alone; the extra articles are in every fold's training side.
pub fn train_with_report(
    corpus: &Corpus,
    extra: &TrainingOnly,
    cfg: &TrainConfig,
) -> (TechniquesModel, serde_json::Value) {
    let folds = corpus.folds(cfg.calibration_folds.max(2), cfg.seed);
    let outcomes = out_of_fold(corpus, extra, &folds, cfg);
    let calibrator = Calibrator::fit(
        &calibration_samples(corpus, &outcomes),
        cfg.calibration_min_block,
    );
    let reliability = reliability(corpus, &outcomes, cfg);
    let sentence_layer = sentence::trainer::fit(&sentence_samples(&outcomes), SENTENCE_L2);
    let mut si = SiAccumulator::new();
    let mut flc = FlcAccumulator::new();
    for o in &outcomes {
        let gold = &corpus.articles[o.article].spans;
        let spans: Vec<Span> = o
            .proposals
            .iter()
            .map(|p| Span::new(p.start, p.end))
            .collect();
        si.add(gold, &spans);
        let pred: Vec<PredictedSpan> = o.detections.iter().map(as_predicted).collect();
        flc.add(gold, &pred);
    }
    let report = serde_json::json!({
        "out_of_fold": {
            "folds": folds.len(),
            "training_only_articles": {
                "same_scheme": extra.same_scheme.len(),
                "other_scheme": extra.other_scheme.len(),
            },
            "extra_in_span_model": cfg.extra_in_span,
            "span_identification_f1": round4(si.score().prf.f1),
            "full_task_f1": round4(flc.score().overall.prf.f1),
            "sentence_threshold": round4(f64::from(sentence_layer.threshold)),
            "per_technique": reliability.iter().map(|r| serde_json::json!({
                "technique": r.technique.as_str(),
                "f1": round4(f64::from(r.f1)),
                "support": r.support,
                "reliable": r.reliable,
            })).collect::<Vec<_>>(),
        }
    });
    let all: Vec<&Article> = corpus.articles.iter().collect();
    let (span, classifier) = train_parts(&all, extra, cfg);
    let model = TechniquesModel {
        span,
        classifier,
        calibrator,
        reliability,
        sentence: Some(sentence_layer),
    };
    (model, report)
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
