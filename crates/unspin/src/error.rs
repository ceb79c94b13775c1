//! Errors of the pipeline.

use thiserror::Error;

/// Why a document could not be read or analysed. `Display` is one line naming the input.
#[derive(Debug, Error)]
pub enum Error {
    /// The input could not be read (missing, binary, too large, unreachable, damaged, …).
    #[error(transparent)]
    Ingest(#[from] unspin_ingest::IngestError),
    /// An HTML page had no main text that could be extracted.
    #[error("{input}: {message}")]
    Extract {
        /// The input as the user gave it.
        input: String,
        /// What went wrong.
        message: String,
    },
    /// The document has no text to analyse.
    #[error("{input}: no text to analyse (the document is empty or only whitespace)")]
    EmptyText {
        /// The input as the user gave it.
        input: String,
    },
    /// A model file could not be used.
    #[error(transparent)]
    Model(#[from] crate::analyse::model_file::ModelError),
    /// A techniques model asked for by role (`fast`, `accurate`) is not available; the
    /// message says why and what to use instead.
    #[error("{message}")]
    ModelUnavailable {
        /// The role asked for: `fast` or `accurate`.
        model: &'static str,
        /// Why it is not available.
        message: String,
    },
    /// An analyser failed.
    #[error("{input}: {analyser} analyser failed: {message}")]
    Analyser {
        /// The input as the user gave it.
        input: String,
        /// Which analyser.
        analyser: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The input (path, URL, `-`, `dump.jsonl:17`, …) the error is about.
    pub fn input(&self) -> &str {
        match self {
            Error::Ingest(e) => e.input(),
            Error::Model(_) | Error::ModelUnavailable { .. } => "",
            Error::Extract { input, .. }
            | Error::EmptyText { input }
            | Error::Analyser { input, .. } => input,
        }
    }
}
