//! Span identification: which passages use a technique, whatever the technique.
//!
//! - [`features`]: sparse token features for the CRF (words, shapes, word classes, learned
//!   rates and sentence scores).
//! - [`model`]: the linear-chain CRF, its decoding and the averaged token marginals.
//! - [`dense_tagger`]: the small neural tagger over word vectors averaged into the CRF.
//! - [`trainer`]: fitting both from labelled articles.

pub mod dense_tagger;
pub mod features;
pub mod model;
pub mod trainer;
