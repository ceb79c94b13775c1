//! The document's words as the actors analyser reads them: each token with its text, its
//! lower-cased form, its sentence, whether it is capitalised, whether a possessive `'s`
//! followed it (stripped from the word, so that mentions never include it) and whether it
//! lies inside a quoted passage.

use unspin_segment::{Segmentation, TokenKind};

use crate::analyse::quotes::marks;

/// One token of the document.
#[derive(Debug, Clone)]
pub struct Word {
    /// First code point.
    pub start: usize,
    /// One past the last code point, without a possessive `'s`.
    pub end: usize,
    /// The token's text, without a possessive `'s`.
    pub text: String,
    /// `text` lower-cased.
    pub lower: String,
    /// Index of the sentence.
    pub sent: usize,
    /// Word, number, punctuation or symbol.
    pub kind: TokenKind,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// A possessive `'s` (or a plural's `'`) followed it.
    pub poss: bool,
    /// Inside a quoted passage of at least four words (speech, not a scare-quoted term).
    pub quoted: bool,
    /// First word of its sentence, or first after an opening quotation mark.
    pub initial: bool,
    /// Inside a top-level quoted stretch, or one of its marks.
    pub marked: bool,
}

impl Word {
    /// True for a word token.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// True for a punctuation token that is exactly `s`.
    pub fn is(&self, s: &str) -> bool {
        self.text == s
    }
}

/// The words of a document with the quoted passages found on the way.
#[derive(Debug, Clone)]
pub struct Words {
    /// The document as code points.
    pub chars: Vec<char>,
    /// Every token.
    pub words: Vec<Word>,
    /// Every quoted stretch, paragraph by paragraph.
    pub quotes: Vec<marks::Marked>,
}

/// True for an opening quotation mark or bracket.
/// True for a token after which a word is written as if it started a sentence: an opening
/// quote or bracket, or a colon ("Point two: Strikes deep into Russia").
fn opener(s: &str) -> bool {
    matches!(s, "“" | "\"" | "‘" | "'" | "«" | "(" | "[" | "„" | ":")
}

impl Words {
    /// Reads the tokens of a segmented text.
    pub fn new(text: &str, seg: &Segmentation) -> Words {
        let chars: Vec<char> = text.chars().collect();
        let quotes: Vec<marks::Marked> = seg
            .paragraphs
            .iter()
            .flat_map(|p| marks::find_in(&chars, p.start, p.end))
            .collect();
        let speech: Vec<(usize, usize)> = quotes
            .iter()
            .filter(|m| m.depth == 0)
            .filter(|m| {
                chars[m.start..m.end]
                    .iter()
                    .filter(|c| c.is_whitespace())
                    .count()
                    >= 3
            })
            .map(|m| (m.start, m.end))
            .collect();
        let mut words: Vec<Word> = Vec::with_capacity(seg.tokens.len());
        let mut q = 0;
        let mut prev_sent = usize::MAX;
        for t in &seg.tokens {
            let mut s: String = chars[t.start..t.end].iter().collect();
            let mut end = t.end;
            let mut poss = false;
            if t.kind == TokenKind::Word && s.chars().count() > 2 {
                for suffix in ["'s", "’s", "ʼs"] {
                    if let Some(stem) = s.strip_suffix(suffix) {
                        s = stem.to_owned();
                        end -= 2;
                        poss = true;
                        break;
                    }
                }
            }
            while q < speech.len() && speech[q].1 <= t.start {
                q += 1;
            }
            let quoted = q < speech.len() && speech[q].0 <= t.start && t.end <= speech[q].1;
            let initial = t.sentence != prev_sent
                || words
                    .last()
                    .is_some_and(|w| w.sent == t.sentence && opener(&w.text));
            prev_sent = t.sentence;
            let cap = s.chars().next().is_some_and(char::is_uppercase);
            words.push(Word {
                start: t.start,
                end,
                lower: s.to_lowercase(),
                text: s,
                sent: t.sentence,
                kind: t.kind,
                cap,
                poss,
                quoted,
                initial,
                marked: false,
            });
        }
        // Plural possessives: "teachers' union".
        for i in 1..words.len() {
            if (words[i].is("'") || words[i].is("’"))
                && words[i - 1].end == words[i].start
                && words[i - 1].lower.ends_with('s')
                && words.get(i + 1).is_none_or(|n| n.start > words[i].end)
            {
                words[i - 1].poss = true;
            }
        }
        for m in quotes.iter().filter(|m| m.depth == 0) {
            let from = words.partition_point(|x| x.start < m.open);
            let to = m.close.unwrap_or(m.end);
            for x in words[from..].iter_mut().take_while(|x| x.start <= to) {
                x.marked = true;
            }
        }
        Words {
            chars,
            words,
            quotes,
        }
    }

    /// The text between two code points.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }
}
