//! unspin shows what a news or opinion article does: which passages use persuasion
//! techniques, who is quoted, how each actor is named and which statements can be checked,
//! every finding a span with exact code-point offsets into one immutable text.
//!
//! The pipeline has five stages with clear seams:
//! [`ingest`] (text, HTML, URL, stdin, folders, JSONL, WARC) → [`extract`] (main text and
//! metadata from HTML) → [`segment`] (paragraphs, sentences, tokens) → [`analyse`] →
//! [`render`].
//!
//! ```
//! let doc = unspin::Document::from_text("Officials said on Monday that the bridge was closed.");
//! let analysis = unspin::analyze(&doc)?;
//! assert_eq!(analysis.sentences.len(), 1);
//! # Ok::<(), unspin::Error>(())
//! ```

pub mod analyse;
pub mod analysis;
pub mod document;
pub mod error;
pub mod language;
pub mod limits;
pub mod pipeline;
pub mod render;
pub mod span;

/// Reading inputs: files, folders, stdin, URLs, JSONL and WARC, with charset decoding.
pub use unspin_ingest as ingest;

/// Extracting main text and metadata from HTML pages.
pub use unspin_extract as extract;

/// Paragraphs, sentences and tokens with code-point offsets.
pub use unspin_segment as segment;

pub use analyse::techniques::analyser::{ModelContext, ModelVariant, TechniquesModelChoice};
pub use analysis::{
    Actor, ActorRef, ActorType, AnalyserReport, AnalyserStatus, Analysis, Claim, ClaimKind,
    LikelyTechnique, Mention, MentionKind, ModelInfo, ParagraphSpan, Provenance, Quote, QuoteKind,
    SCHEMA_VERSION, SentencePersuasion, SentenceSpan, Technique, TechniqueSpan,
};
pub use document::{Document, Source, SourceFormat};
pub use error::Error;
pub use limits::Limits;
pub use pipeline::{Options, Pipeline, TechniquesOptions, analyze};
pub use span::TextSpan;
