//! The words of one sentence, with their lowercased form, as the claim features read them.

use unspin_segment::{Segmentation, TokenKind};

use crate::document::Document;

/// One token of a sentence.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The token as written.
    pub text: &'a str,
    /// The token lowercased, curly apostrophes made straight.
    pub lower: String,
    /// Word, number, punctuation or symbol.
    pub kind: TokenKind,
}

impl Word<'_> {
    /// True for word tokens.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// True when the word starts with an uppercase letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// True for an acronym such as `NATO` or `FSB` (two or more letters, all uppercase).
    pub fn is_acronym(&self) -> bool {
        let letters = self.text.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2
            && self
                .text
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_uppercase())
    }

    /// True for a number token, or a word made of digits and letters like `18th` or `19-year-old`.
    pub fn has_digit(&self) -> bool {
        self.text.chars().any(|c| c.is_ascii_digit())
    }

    /// True when the token is this punctuation or symbol.
    pub fn is(&self, s: &str) -> bool {
        self.text == s
    }
}

/// The words of every sentence: `sentences[i]` holds the tokens of sentence `i`.
pub fn sentence_words<'a>(doc: &'a Document, seg: &Segmentation) -> Vec<Vec<Word<'a>>> {
    let mut out: Vec<Vec<Word<'a>>> = vec![Vec::new(); seg.sentences.len()];
    for t in &seg.tokens {
        let text = doc.slice(t.start, t.end);
        let lower = if text.is_ascii() {
            text.to_ascii_lowercase()
        } else {
            text.to_lowercase().replace('’', "'")
        };
        out[t.sentence].push(Word {
            start: t.start,
            end: t.end,
            text,
            lower,
            kind: t.kind,
        });
    }
    out
}
