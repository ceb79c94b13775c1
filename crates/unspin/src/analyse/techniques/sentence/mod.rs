//! The sentence layer: for each sentence, the probability that it uses a persuasion
//! technique at all (it overlaps a labelled span), and the techniques it most likely uses.
//!
//! Span boundaries are the hardest part of the task; whether a sentence holds persuasion
//! at all is easier to say and easier for a reader to check. The layer reads what the span
//! model already computed for the sentence ([`features`]), maps it through a logistic
//! model fitted on out-of-fold predictions ([`model`], [`trainer`]), so the probability is
//! calibrated, and names the likely techniques with the technique classifier run on the
//! whole sentence.

pub mod features;
pub mod model;
pub mod trainer;

pub use model::{SentenceLayer, SentenceScore};
