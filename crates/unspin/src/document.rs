//! The document: one immutable text plus what is known about where it came from.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use unspin_segment::{OffsetMap, Turn};

use crate::span::TextSpan;

/// What an input was before it became a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text (or Markdown): the document text is the decoded input verbatim.
    Text,
    /// An HTML page: the document text is the extracted main text.
    Html,
}

/// Where a document came from and what its metadata says.
///
/// For HTML the fields come from the page's metadata; for text inputs a title line
/// and a trailing URL line fill `title` and `url` (they stay in the text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The input as the user gave it: a path, a URL, `-` for stdin, `dump.jsonl:17`
    /// for a JSONL line or `crawl.warc.gz#12` for an archive record.
    pub input: String,
    /// Identifier given by the container (JSONL `id`, WARC-Record-ID), if any.
    pub id: Option<String>,
    /// The article's URL: fetched URL, WARC target URI, JSONL `url`, canonical URL or a
    /// URL line of a text file, in that order of preference.
    pub url: Option<String>,
    /// The canonical URL the page declares, if any.
    pub canonical_url: Option<String>,
    /// The article title.
    pub title: Option<String>,
    /// Authors named by the page.
    pub authors: Vec<String>,
    /// Publication date or date-time as the page gives it (ISO 8601 where possible).
    pub published: Option<String>,
    /// The publishing site's name.
    pub site: Option<String>,
    /// Language of the text as a BCP 47 / ISO 639-1 code (`en`, `ru`, …), `und` if unknown.
    pub language: String,
    /// How `language` was decided: `detected` from the text, `declared` by the page.
    pub language_source: String,
    /// What the input was.
    pub format: Option<SourceFormat>,
    /// Character encoding the input was decoded from.
    pub charset: Option<String>,
    /// Which extractor path produced the text of an HTML page.
    pub extractor: Option<String>,
}

/// One article: an immutable text and its source.
///
/// All offsets anywhere in unspin are code points into [`Document::text`].
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    offsets: OffsetMap,
    /// The speaker turns of the text, found on first use.
    turns: OnceLock<Vec<Turn>>,
    /// Where the document came from.
    pub source: Source,
    /// Problems met while reading it that did not stop it (e.g. a guessed charset).
    pub warnings: Vec<String>,
}

impl Document {
    /// Builds a document from its final text and source; the text is never changed after this.
    pub fn new(text: impl Into<String>, source: Source) -> Self {
        let text = text.into();
        let offsets = OffsetMap::new(&text);
        Document {
            text,
            offsets,
            turns: OnceLock::new(),
            source,
            warnings: Vec::new(),
        }
    }

    /// A document from plain text with an empty source (input `-`), with title and URL
    /// lines recognised and the language detected.
    pub fn from_text(text: impl Into<String>) -> Self {
        let text = text.into();
        let mut source = Source {
            input: "-".into(),
            format: Some(SourceFormat::Text),
            ..Source::default()
        };
        crate::pipeline::fill_text_metadata(&text, &mut source);
        crate::language::fill_language(&text, None, &mut source);
        Document::new(text, source)
    }

    /// The document text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.offsets.char_len()
    }

    /// The text between two code-point offsets.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.offsets.slice(&self.text, start, end)
    }

    /// A [`TextSpan`] for a code-point range, with its text filled in.
    pub fn span(&self, start: usize, end: usize) -> TextSpan {
        TextSpan {
            start,
            end,
            text: self.slice(start, end).to_owned(),
        }
    }

    /// The code-point/byte offset map of the text.
    pub fn offsets(&self) -> &OffsetMap {
        &self.offsets
    }

    /// The speaker turns of the text if it is a transcript ("TRUMP: …" lines), else none;
    /// the same turns as the segmentation's, found once and kept.
    pub fn turns(&self) -> &[Turn] {
        self.turns.get_or_init(|| unspin_segment::turns(&self.text))
    }

    /// The turn holding code point `pos`, if any.
    pub fn turn_at(&self, pos: usize) -> Option<&Turn> {
        let turns = self.turns();
        let k = turns.partition_point(|t| t.start <= pos);
        turns[..k].last().filter(|t| pos < t.end)
    }
}
