//! The analyse stage: analysers that read a segmented document and fill their part of an
//! [`Analysis`] (techniques, quotes, actors, claims).
//!
//! Each analyser declares the languages it supports; the pipeline runs it only on documents
//! in one of them and otherwise reports it as skipped, with the reason, in the analysis's
//! `analysers` section — never a confident answer on text it cannot read.

use crate::analysis::{Analysis, ModelInfo};
use crate::document::Document;
use crate::error::Error;
use unspin_segment::Segmentation;

pub mod actors;
pub mod claims;
pub mod model_file;
pub mod quote_actor_eval;
pub mod quotes;
pub mod techniques;
pub mod word_classes;

/// The analysers an analysis reports on, in the order their arrays appear in the JSON.
pub const ANALYSER_NAMES: [&str; 4] = ["techniques", "quotes", "actors", "claims"];

/// One analysis step over a segmented document.
pub trait Analyser: Send + Sync {
    /// The analyser's name: one of [`ANALYSER_NAMES`].
    fn name(&self) -> &'static str;

    /// Languages it supports, as ISO 639-1 codes.
    fn languages(&self) -> &[&'static str];

    /// Model files it uses, for the provenance.
    fn models(&self) -> Vec<ModelInfo> {
        Vec::new()
    }

    /// Adds what it finds in `doc` to `out` (only to its own array).
    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error>;
}
