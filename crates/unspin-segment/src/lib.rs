//! unspin pipeline stage: segment.
//!
//! Splits one immutable document text into paragraphs, sentences and tokens.
//! Every span is a pair of **Unicode code point** offsets (`start`, `end`),
//! end exclusive, into the original text, which is never modified.

use serde::{Deserialize, Serialize};

mod offset;
pub use offset::OffsetMap;

/// A paragraph: code-point offsets into the text, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// First code point of the paragraph.
    pub start: usize,
    /// One past the last code point of the paragraph.
    pub end: usize,
    /// What kind of block this paragraph is.
    pub kind: ParagraphKind,
}

/// The kind of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// Running body text.
    Body,
    /// A title, a Markdown heading, or a short line introducing body text.
    Heading,
    /// A bulleted or numbered item, or a "Point one: ..." style line.
    ListItem,
}

/// A sentence: code-point offsets into the text, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// First code point of the sentence.
    pub start: usize,
    /// One past the last code point of the sentence.
    pub end: usize,
    /// Index into [`Segmentation::paragraphs`] of the paragraph holding it.
    pub paragraph: usize,
}

/// A token: code-point offsets into the text, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// First code point of the token.
    pub start: usize,
    /// One past the last code point of the token.
    pub end: usize,
    /// Index into [`Segmentation::sentences`] of the sentence holding it.
    pub sentence: usize,
    /// What kind of token this is.
    pub kind: TokenKind,
}

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A word (letters of any script, contractions, hyphenated compounds, `1st`).
    Word,
    /// A number, possibly with `,`/`.` separators and a trailing `%`.
    Number,
    /// Punctuation (`.`, `,`, quotes, brackets, dashes, ...).
    Punct,
    /// Any other symbol (`$`, `€`, `+`, emoji, ...).
    Symbol,
}

/// The result of [`segment`]: paragraphs, sentences and tokens in text order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Segmentation {
    /// Paragraphs in order, non-overlapping.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in order, non-overlapping, each inside its paragraph.
    pub sentences: Vec<Sentence>,
    /// Tokens in order, non-overlapping, each inside its sentence.
    pub tokens: Vec<Token>,
}

/// Segments `text` into paragraphs, sentences and tokens (code-point offsets).
pub fn segment(text: &str) -> Segmentation {
    let mut seg = Segmentation::default();
    let mut pos = 0usize;
    for line in text.split('\n') {
        let n = line.chars().count();
        let lead = line
            .chars()
            .take_while(|c| c.is_whitespace() || *c == '\u{feff}')
            .count();
        let trail = line
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace() || *c == '\u{feff}')
            .count();
        if lead < n {
            let (s, e) = (pos + lead, pos + n - trail);
            seg.paragraphs.push(Paragraph {
                start: s,
                end: e,
                kind: ParagraphKind::Body,
            });
            seg.sentences.push(Sentence {
                start: s,
                end: e,
                paragraph: seg.paragraphs.len() - 1,
            });
        }
        pos += n + 1;
    }
    seg
}
