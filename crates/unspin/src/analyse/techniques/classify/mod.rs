//! Technique classification: which of the 14 techniques a passage uses.
//!
//! - [`features`]: what the classifier reads of a span and its sentence.
//! - [`model`]: the multinomial logistic regression with its naive-Bayes blend.
//! - [`trainer`]: fitting it from labelled spans.

pub mod features;
pub mod model;
pub mod trainer;
