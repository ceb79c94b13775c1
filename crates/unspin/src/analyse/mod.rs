//! The analyse stage: analysers that read a segmented document and fill their part of an
//! [`Analysis`] (techniques, quotes, actors, claims).
//!
//! Each analyser declares the languages it supports; the pipeline runs it only on documents
//! in one of them and otherwise reports it as skipped, with the reason, in the analysis's
//! `analysers` section — never a confident answer on text it cannot read.

use std::sync::OnceLock;

use crate::analysis::{Actor, Analysis, ModelInfo};
use crate::document::Document;
use crate::error::Error;
use unspin_segment::Segmentation;

pub mod actors;
pub mod claims;
pub mod context;
pub mod linear;
pub mod model_file;
pub mod quote_actor_eval;
pub mod quotes;
pub mod speech;
pub mod techniques;
pub mod word_classes;
pub mod word_vectors;

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

    /// Like [`analyse`](Analyser::analyse), with access to what other analysers of the same
    /// document already computed (the pipeline calls this one). Analysers that share work
    /// override it; the default ignores the shared part.
    fn analyse_in(&self, cx: &DocContext<'_>, out: &mut Analysis) -> Result<(), Error> {
        self.analyse(cx.doc, cx.seg, out)
    }
}

/// One document as the analysers see it, with the work they share computed once, on first
/// use: the recognised actors, which both the `quotes` and the `actors` analysers need (so a
/// quote's actor id is the id of the same actor in the `actors` array).
pub struct DocContext<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its segmentation.
    pub seg: &'a Segmentation,
    actors: OnceLock<RecognisedActors>,
}

/// The actors recognised in one document, as both the quotes and the actors analysers use
/// them.
pub struct RecognisedActors {
    /// The document's words, with its quoted passages.
    pub words: actors::Words,
    /// The entities and their mentions.
    pub entities: actors::Entities,
    /// The actors as written in the analysis.
    pub actors: Vec<Actor>,
    /// For each entity, its index in `actors` (None for entities with no mention).
    pub index: Vec<Option<usize>>,
}

impl RecognisedActors {
    /// Recognises the actors of a segmented text.
    pub fn new(text: &str, seg: &Segmentation) -> Self {
        let (words, entities) = actors::recognise(text, seg);
        let (actors, index) = actors::to_actors(&words, &entities);
        RecognisedActors {
            words,
            entities,
            actors,
            index,
        }
    }
}

impl<'a> DocContext<'a> {
    /// A context for one document and its segmentation; nothing is computed yet.
    pub fn new(doc: &'a Document, seg: &'a Segmentation) -> Self {
        DocContext {
            doc,
            seg,
            actors: OnceLock::new(),
        }
    }

    /// The document's recognised actors, computed on the first call.
    pub fn actors(&self) -> &RecognisedActors {
        self.actors
            .get_or_init(|| RecognisedActors::new(self.doc.text(), self.seg))
    }
}
