//! unspin pipeline stage: segment.
//!
//! Splits one immutable document text into paragraphs, sentences and tokens.
//! Every span is a pair of **Unicode code point** offsets (`start`, `end`),
//! end exclusive, into the original text, which is never modified.

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

mod chars;
mod offset;
mod paragraph;
mod sentence;
mod token;

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

/// Segments `text` into paragraphs, sentences and tokens.
///
/// All offsets are code points into `text`, end exclusive; the text is never
/// modified. Whitespace (including U+FEFF and U+200B) is never at the edge of
/// a span. Sentences never cross paragraphs and cover every non-space char of
/// their paragraph; tokens lie inside their sentence.
pub fn segment(text: &str) -> Segmentation {
    let paras = paragraph::split(text);
    let mut sentences = Vec::with_capacity(paras.len() * 4);
    for (k, p) in paras.iter().enumerate() {
        sentence::split(text, p.s, p.e, k, &mut sentences);
    }
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    for (k, s) in sentences.iter().enumerate() {
        token::tokenize(text, s.start, s.end, k, &mut tokens);
    }
    let mut paragraphs: Vec<Paragraph> = paras
        .iter()
        .map(|p| Paragraph {
            start: p.s,
            end: p.e,
            kind: p.kind,
        })
        .collect();
    // Byte offsets -> code points, in place, one monotone pass per list.
    if !text.is_ascii() {
        let mut cur = ByteToChar::new(text);
        for p in &mut paragraphs {
            p.start = cur.get(p.start);
            p.end = cur.get(p.end);
        }
        let mut cur = ByteToChar::new(text);
        for s in &mut sentences {
            s.start = cur.get(s.start);
            s.end = cur.get(s.end);
        }
        let mut cur = ByteToChar::new(text);
        for t in &mut tokens {
            t.start = cur.get(t.start);
            t.end = cur.get(t.end);
        }
    }
    Segmentation {
        paragraphs,
        sentences,
        tokens,
    }
}

/// Converts non-decreasing byte offsets to code-point offsets in one pass.
struct ByteToChar<'a> {
    bytes: &'a [u8],
    byte: usize,
    ch: usize,
}

impl<'a> ByteToChar<'a> {
    fn new(text: &'a str) -> Self {
        ByteToChar {
            bytes: text.as_bytes(),
            byte: 0,
            ch: 0,
        }
    }

    #[inline]
    fn get(&mut self, b: usize) -> usize {
        if b < self.byte {
            self.byte = 0;
            self.ch = 0;
        }
        self.ch += self.bytes[self.byte..b]
            .iter()
            .filter(|&&x| (x as i8) >= -0x40)
            .count();
        self.byte = b;
        self.ch
    }
}
