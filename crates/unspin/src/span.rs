//! Spans: code-point ranges into the one immutable document text.

use serde::{Deserialize, Serialize};

/// A piece of the document text: `start` and `end` count Unicode code points from the
/// beginning of the text (end exclusive), and `text` is exactly that slice.
///
/// Every span-bearing object in an analysis carries these three fields flat, so that
/// `text[start..end]` in any language that indexes strings by code point (Python, for one)
/// gives back `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point of the span.
    pub end: usize,
    /// The covered text, verbatim.
    pub text: String,
}

impl TextSpan {
    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}
