//! unspin pipeline stage: segment.
//!
//! Splits one immutable document text into paragraphs, sentences and tokens, and a
//! transcript into speaker turns. Every span is a pair of **Unicode code point** offsets (`start`, `end`),
//! end exclusive, into the original text, which is never modified.

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

mod chars;
mod offset;
mod paragraph;
mod sentence;
mod token;
mod turn;

pub use chars::is_space;
pub use offset::OffsetMap;

/// The longest sentence, in code points. A longer run of text without a sentence end (a
/// table flattened to one line, a text with no punctuation) is cut into pieces of at most
/// this many code points, at the last space before the limit when there is one, so that the
/// analysers' work per sentence stays bounded. The longest sentence in the labelled data is
/// 817 code points (the test `no_labelled_sentence_reaches_the_cap` prints it).
pub const MAX_SENTENCE_CHARS: usize = 2000;

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

/// A speaker turn of a transcript ("TRUMP: Our jobs are fleeing the country."):
/// code-point offsets into the text, end exclusive.
///
/// The turn covers the speech after the label, up to the end of the last line before the
/// next label (lines without a label continue the turn). The label is not part of any
/// sentence or token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// First code point of the speech (after "LABEL: ").
    pub start: usize,
    /// One past the last code point of the turn's last line.
    pub end: usize,
    /// First code point of the speaker's label (the name, e.g. `MR. TRUMP`).
    pub speaker_start: usize,
    /// One past the last code point of the name (the colon is not included).
    pub speaker_end: usize,
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
    /// Speaker turns in order, non-overlapping; empty unless the text is a transcript
    /// (see [`turns`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<Turn>,
}

/// Segments `text` into paragraphs, sentences and tokens.
///
/// All offsets are code points into `text`, end exclusive; the text is never
/// modified. Whitespace (including U+FEFF and U+200B) is never at the edge of
/// a span. Sentences never cross paragraphs and cover every non-space char of
/// their paragraph except a transcript turn's speaker label (`TRUMP:`), which is in
/// no sentence and no token; tokens lie inside their sentence.
pub fn segment(text: &str) -> Segmentation {
    let (paras, turns) = paragraph::split(text);
    let mut sentences = Vec::with_capacity(paras.len() * 4);
    for (k, p) in paras.iter().enumerate() {
        let from = sentences.len();
        sentence::split(text, p.body, p.e, k, &mut sentences);
        cap_sentences(text, from, &mut sentences);
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
        turns: to_turns(text, &turns),
    }
}

/// Cuts each sentence from `from` on (byte offsets) that is longer than
/// [`MAX_SENTENCE_CHARS`] code points into pieces no longer than that, each cut at the last
/// whitespace before the limit (or at the limit, on a character boundary, when the piece has
/// none), pieces trimmed of whitespace.
fn cap_sentences(text: &str, from: usize, sentences: &mut Vec<Sentence>) {
    if sentences[from..]
        .iter()
        .all(|s| s.end - s.start <= MAX_SENTENCE_CHARS)
    {
        return; // fewer bytes than the cap: fewer code points too
    }
    let long: Vec<Sentence> = sentences.drain(from..).collect();
    for s in long {
        let mut start = s.start;
        while start < s.end {
            let Some((limit, _)) = text[start..s.end].char_indices().nth(MAX_SENTENCE_CHARS) else {
                sentences.push(Sentence { start, ..s.clone() });
                break;
            };
            let limit = start + limit;
            // The last space in the window that has text before it; else a hard cut.
            let cut = text[start..limit]
                .char_indices()
                .rev()
                .find(|&(i, c)| i > 0 && chars::is_space(c))
                .map_or(limit, |(i, _)| start + i);
            let (piece_start, piece_end) = chars::trim(text, start, cut);
            if piece_end > piece_start {
                sentences.push(Sentence {
                    start: piece_start,
                    end: piece_end,
                    paragraph: s.paragraph,
                });
            }
            start = chars::skip_spaces(text, cut, s.end);
        }
    }
}

/// The speaker turns of `text` if it is a transcript, else nothing: the same turns as
/// [`segment`] finds, without segmenting the rest.
///
/// A line starting with a label — a name of 1–4 words in upper case (`TRUMP`,
/// `MR. TRUMP`, `SEN. SANDERS`, `Q`, `MODERATOR`), optionally with a parenthetical
/// (`SANDERS (D-VT)`), then `:` and a space — starts a turn; lines without a label
/// continue it. The text is a transcript only when it holds at least three such lines.
/// Mixed-case labels (`Lester Holt:`) count only when there are at least three, by at
/// least two speakers, one of them speaking twice. Non-speaker labels (`NOTE:`,
/// `UPDATE:`, `EDITOR'S NOTE:`, `READ MORE:`, …) never count, and in a transcript they
/// and Markdown headings end the current turn.
pub fn turns(text: &str) -> Vec<Turn> {
    let lines = paragraph::lines(text);
    to_turns(text, &turn::find(text, &lines).turns)
}

/// Byte-offset turns to code points.
fn to_turns(text: &str, turns: &[turn::ByteTurn]) -> Vec<Turn> {
    let mut out: Vec<Turn> = turns
        .iter()
        .map(|t| Turn {
            start: t.body,
            end: t.end,
            speaker_start: t.name_s,
            speaker_end: t.name_e,
        })
        .collect();
    if !text.is_ascii() {
        let mut cur = ByteToChar::new(text);
        for t in &mut out {
            t.speaker_start = cur.get(t.speaker_start);
            t.speaker_end = cur.get(t.speaker_end);
            t.start = cur.get(t.start);
            t.end = cur.get(t.end);
        }
    }
    out
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
