//! Persuasion-technique detection, trained on the Propaganda Techniques Corpus (PTC,
//! SemEval-2020 Task 11) and the other labelled sets in its format.
//!
//! One folder per part, as in a tokenizer library's one folder per stage:
//! - [`data`]: labelled corpora and the task's file formats;
//! - [`span`]: span identification (features, model, trainer);
//! - [`classify`]: technique classification (features, model, trainer);
//! - [`sentence`]: the sentence layer, P(persuasive) and likely techniques per sentence;
//! - [`calibration`]: the map from raw scores to the probability of being right;
//! - [`detector`]: the parts joined as they run on an article, with explanations;
//! - [`trainer`]: the whole model trained, out-of-fold figures included;
//! - [`eval`]: the task's metrics and cross-validation by article;
//! - [`analyser`]: the pipeline stage that writes detections into an analysis.
//!
//! All offsets are Unicode code points from the start of the article text, end exclusive.

pub mod analyser;
pub mod calibration;
pub mod classify;
pub mod data;
pub mod detector;
pub mod eval;
pub mod explain;
pub mod sentence;
pub mod span;
pub mod trainer;
