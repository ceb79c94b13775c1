//! Evaluation foundation for persuasion-technique detection, on the Propaganda Techniques
//! Corpus (PTC, SemEval-2020 Task 11) format.
//!
//! - [`corpus`] loads a PTC-format folder (`articles/article<ID>.txt`, `techniques.tsv`,
//!   optional `spans.tsv`) into a [`Corpus`](corpus::Corpus), checking every offset, and
//!   splits it into deterministic cross-validation folds by article.
//! - [`metrics`] implements the task's metrics on code-point spans: span identification
//!   (SI), technique classification (TC), the full task (FLC), span count/length
//!   distributions and confidence calibration (reliability table and ECE).
//! - [`semeval`] reads and writes the task's TSV formats (SI, FLC and the TC template).
//!
//! All offsets are Unicode code points from the start of the article text, end exclusive.

pub mod analyser;
pub mod calibration;
pub mod classifier;
pub mod classifier_trainer;
pub mod corpus;
pub mod dense_tagger;
pub mod detector;
pub mod eval;
pub mod metrics;
pub mod semeval;
pub mod span_features;
pub mod span_model;
pub mod span_trainer;
pub mod tc_features;
pub mod trainer;
