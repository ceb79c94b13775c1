//! Labelled data for training and evaluation.
//!
//! - [`corpus`]: a PTC-format folder (`articles/article<ID>.txt`, `techniques.tsv`,
//!   optional `spans.tsv`) loaded with every offset checked, and deterministic folds by
//!   article.
//! - [`semeval`]: the task's TSV formats (SI, FLC and the TC template).

pub mod corpus;
pub mod semeval;
