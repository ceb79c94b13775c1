//! Labelled data for training and evaluation.
//!
//! - [`corpus`]: a PTC-format folder (`articles/article<ID>.txt`, `techniques.tsv`,
//!   optional `spans.tsv`) loaded with every offset checked, and deterministic folds by
//!   article.
//! - [`extra`]: training-only sets in other layouts (other schemes, short texts).
//! - [`reviewed`]: reviewed Label Studio tasks (its JSON export) as training articles.
//! - [`semeval`]: the task's TSV formats (SI, FLC and the TC template).

pub mod corpus;
pub mod extra;
pub mod reviewed;
pub mod semeval;
