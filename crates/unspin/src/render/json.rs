//! JSON and JSON Lines output of analyses, and the record written for a failed input.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::Render;
use crate::analysis::Analysis;

/// JSON output: pretty-printed for one document, or one compact line per document (JSONL).
#[derive(Debug, Clone, Copy)]
pub struct Json {
    /// Indent the output (for `--format json`); compact one-line output otherwise.
    pub pretty: bool,
}

impl Render for Json {
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
        if self.pretty {
            serde_json::to_writer_pretty(&mut *out, analysis)?;
        } else {
            serde_json::to_writer(&mut *out, analysis)?;
        }
        out.write_all(b"\n")
    }
}

/// What is written in place of a document when an input fails, so that a JSONL stream has a
/// line for every input: `{"input": "...", "error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRecord {
    /// The input as the user gave it.
    pub input: String,
    /// The problem, one line.
    pub error: String,
}
