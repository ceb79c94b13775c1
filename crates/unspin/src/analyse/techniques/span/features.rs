//! Token features for span identification (SI).
//!
//! Each token of an article gets a set of sparse binary features, named by a
//! [`Template`] and a value string and hashed to a `u64` with a fixed hash (FNV-1a), so
//! the same text always yields the same features on every platform. The templates are
//! generic (word identity, stems, neighbours, shape, quotes, position, repetition in the
//! article); all lexical knowledge comes from the training data, through the CRF weights
//! of these features and through the learned [`Lexicon`] and sentence scores that the
//! trainer computes on training articles only.

use std::collections::HashMap;
use std::fmt::Write as _;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use unspin_segment::{ParagraphKind, Segmentation, TokenKind};

use crate::analyse::word_classes::WordClasses;

/// A feature template: what kind of fact about a token a feature states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Template {
    /// Always on (a per-label bias).
    Bias = 0,
    /// The lower-cased token.
    Word,
    /// The previous token.
    WordPrev,
    /// The next token.
    WordNext,
    /// The token two before.
    WordPrev2,
    /// The token two after.
    WordNext2,
    /// Previous and current token.
    BigramLeft,
    /// Current and next token.
    BigramRight,
    /// The token's stem.
    Stem,
    /// The previous token's stem.
    StemPrev,
    /// The next token's stem.
    StemNext,
    /// Last three letters.
    Suffix,
    /// Character shape (`Xx`, `x`, `X`, `d`, punctuation itself).
    Shape,
    /// Inside quotation marks.
    Quote,
    /// Facts about the sentence (title, `!`, `?`).
    Sentence,
    /// Position of the token in its sentence.
    Position,
    /// Length of the sentence.
    SentLen,
    /// How often the word occurs elsewhere in the article.
    Repeat,
    /// The token pair occurs elsewhere in the article.
    RepeatBigram,
    /// Learned propaganda rate of the stem.
    LexRate,
    /// Learned propaganda rate of the neighbouring stems.
    LexRateCtx,
    /// Learned propaganda score of the sentence.
    SentScore,
    /// Kind of paragraph.
    Paragraph,
    /// Capitalised word not at the start of its sentence.
    MidCap,
    /// Stems in a window of ±3 tokens (bag).
    Window,
    /// Learned propaganda score of the neighbouring sentences.
    SentScoreCtx,
    /// Stem rate bucket conjoined with the sentence score bucket.
    LexSent,
    /// Learned rate of the stem pairs the token is part of.
    PairRate,
    /// How often the word occurred earlier in the article.
    RepeatEarlier,
    /// Cross-fitted token classifier score of the token.
    TokScore,
    /// Token classifier score of the previous token.
    TokPrev,
    /// Token classifier score of the next token.
    TokNext,
    /// Token classifier score conjoined with the sentence score.
    TokSent,
    /// The token's word class at each granularity (pretrained word vectors, k-means).
    Class,
    /// Word classes of the neighbouring tokens.
    ClassCtx,
    /// Word-class pair of the token and a neighbour.
    ClassPair,
}

impl Template {
    /// Why a feature of this template supports a span, for [`Cue`](crate::analyse::techniques::span::model::Cue)s.
    pub fn why(self) -> &'static str {
        match self {
            Template::Bias => "base rate",
            Template::Word => "word often marked in training articles",
            Template::WordPrev | Template::WordPrev2 => {
                "preceding word often starts marked phrases in training articles"
            }
            Template::WordNext | Template::WordNext2 => {
                "following word often ends marked phrases in training articles"
            }
            Template::BigramLeft | Template::BigramRight => {
                "word pair often marked in training articles"
            }
            Template::Stem => "word stem often marked in training articles",
            Template::StemPrev | Template::StemNext => "neighbouring word often marked nearby",
            Template::Suffix => "word ending often marked in training articles",
            Template::Shape => "word shape",
            Template::Quote => "inside quotation marks",
            Template::Sentence => "sentence form (title, exclamation or question)",
            Template::Position => "position in the sentence",
            Template::SentLen => "sentence length",
            Template::Repeat => "word repeated elsewhere in the article",
            Template::RepeatBigram => "phrase repeated elsewhere in the article",
            Template::LexRate => "word has a high propaganda rate in training articles",
            Template::LexRateCtx => "neighbouring words have high propaganda rates",
            Template::SentScore => "sentence resembles propaganda sentences in training articles",
            Template::SentScoreCtx => "neighbouring sentences resemble propaganda sentences",
            Template::LexSent => "marked-prone word in a propaganda-like sentence",
            Template::PairRate => {
                "forms a word pair with a high propaganda rate in training articles"
            }
            Template::RepeatEarlier => "word already used earlier in the article",
            Template::TokScore | Template::TokSent => {
                "word in this context resembles marked words in training articles"
            }
            Template::TokPrev | Template::TokNext => "neighbouring word resembles marked words",
            Template::Paragraph => "paragraph kind",
            Template::MidCap => "capitalised word inside a sentence",
            Template::Window => "nearby word often marked in training articles",
            Template::Class => "word of a kind often marked in training articles",
            Template::ClassCtx => "neighbouring word of a kind often marked nearby",
            Template::ClassPair => "word pair of a kind often marked in training articles",
        }
    }

    /// True for the templates that name words (the token's or its neighbours'): the raw
    /// lexical features, used by the token classifier.
    pub fn is_raw_lexical(self) -> bool {
        matches!(
            self,
            Template::Word
                | Template::WordPrev
                | Template::WordNext
                | Template::WordPrev2
                | Template::WordNext2
                | Template::BigramLeft
                | Template::BigramRight
                | Template::Stem
                | Template::StemPrev
                | Template::StemNext
                | Template::Suffix
                | Template::Window
        )
    }

    /// True for templates whose value is the token's own text (so a cue can quote it).
    pub fn is_lexical(self) -> bool {
        matches!(
            self,
            Template::Word
                | Template::Stem
                | Template::Suffix
                | Template::BigramLeft
                | Template::BigramRight
                | Template::LexRate
                | Template::LexSent
                | Template::PairRate
                | Template::RepeatEarlier
                | Template::TokScore
                | Template::TokSent
                | Template::Repeat
                | Template::RepeatBigram
                | Template::Class
                | Template::ClassPair
        )
    }
}

/// FNV-1a hash of a template and its value: the feature's id.
pub fn feature_hash(t: Template, value: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(t as u8).chain(value.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a hash of a plain string (lexicon keys).
pub fn str_hash(s: &str) -> u64 {
    feature_hash(Template::Bias, s)
}

/// One token of a [`Doc`].
#[derive(Debug, Clone)]
pub struct Tok {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Byte offset of `start` in the text.
    pub bstart: usize,
    /// Byte offset of `end` in the text.
    pub bend: usize,
    /// Lower-cased text.
    pub lower: String,
    /// English stem of `lower` (equal to `lower` for non-words).
    pub stem: String,
    /// Token kind.
    pub kind: TokenKind,
    /// Index of the sentence.
    pub sentence: usize,
    /// Index of the token inside its sentence.
    pub pos: usize,
    /// Inside quotation marks (or a quotation mark itself).
    pub in_quote: bool,
    /// Word class at the first three granularities of a [`WordClasses`] table
    /// ([`NO_CLASS`] when unknown or not set).
    pub class: [u16; 3],
}

/// Class id of a token whose word has no class.
pub const NO_CLASS: u16 = u16::MAX;

/// A segmented article, ready for feature extraction.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Tokens in text order.
    pub toks: Vec<Tok>,
    /// For each sentence, its first token index and one past its last.
    pub sent_toks: Vec<(usize, usize)>,
    /// Paragraph kind of each sentence, and whether it is in the first paragraph (title).
    pub sent_para: Vec<(ParagraphKind, bool)>,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}
fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '»')
}
fn is_quote(c: char) -> bool {
    is_open_quote(c) || is_close_quote(c) || c == '"'
}

impl Doc {
    /// Builds the token list of `text` from its segmentation.
    pub fn new(text: &str, seg: &Segmentation) -> Doc {
        let stemmer = Stemmer::create(Algorithm::English);
        // Code point -> byte, for the token offsets.
        let mut cp_bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        cp_bytes.push(text.len());
        let byte = |cp: usize| cp_bytes[cp.min(cp_bytes.len() - 1)];
        let mut toks = Vec::with_capacity(seg.tokens.len());
        let mut sent_toks = vec![(0usize, 0usize); seg.sentences.len()];
        let mut in_quote = false;
        let mut para = usize::MAX;
        for (i, t) in seg.tokens.iter().enumerate() {
            let (bstart, bend) = (byte(t.start), byte(t.end));
            let raw = &text[bstart..bend];
            let lower = raw.to_lowercase();
            let stem = if t.kind == TokenKind::Word {
                stemmer.stem(&lower).into_owned()
            } else {
                lower.clone()
            };
            let s = t.sentence;
            let p = seg.sentences.get(s).map_or(0, |s| s.paragraph);
            if p != para {
                para = p;
                in_quote = false;
            }
            let first = raw.chars().next().unwrap_or(' ');
            let mut q = in_quote;
            if t.kind == TokenKind::Punct && is_quote(first) {
                q = true;
                in_quote = if is_open_quote(first) {
                    true
                } else if is_close_quote(first) {
                    false
                } else {
                    !in_quote
                };
            }
            if sent_toks[s].1 == 0 {
                sent_toks[s].0 = i;
            }
            sent_toks[s].1 = i + 1;
            let pos = i - sent_toks[s].0;
            toks.push(Tok {
                start: t.start,
                end: t.end,
                bstart,
                bend,
                lower,
                stem,
                kind: t.kind,
                sentence: s,
                pos,
                in_quote: q,
                class: [NO_CLASS; 3],
            });
        }
        let sent_para = seg
            .sentences
            .iter()
            .map(|s| {
                let kind = seg
                    .paragraphs
                    .get(s.paragraph)
                    .map_or(ParagraphKind::Body, |p| p.kind);
                (kind, s.paragraph == 0)
            })
            .collect();
        Doc {
            toks,
            sent_toks,
            sent_para,
        }
    }

    /// Sets every word token's [`Tok::class`] from `classes`.
    pub fn set_classes(&mut self, classes: &WordClasses) {
        for t in &mut self.toks {
            if let Some(ids) = classes.get(&t.lower) {
                for (c, &id) in t.class.iter_mut().zip(ids) {
                    *c = id;
                }
            }
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// True when the article has no tokens.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }
}

/// Learned per-stem propaganda rates: the share of a stem's occurrences that fall inside
/// gold spans of the training articles, smoothed towards the overall rate. Only stems seen
/// at least `min_count` times are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    /// Hashes ([`str_hash`]) of the stems, sorted.
    keys: Vec<u64>,
    /// Smoothed rate of each stem.
    rates: Vec<f32>,
    /// Overall rate (prior).
    prior: f32,
}

impl Lexicon {
    /// Counts stems over `docs` with their token labels (`true` = inside a gold span).
    pub fn learn<'a>(
        docs: impl IntoIterator<Item = (&'a Doc, &'a [bool])>,
        min_count: u32,
    ) -> Lexicon {
        let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
        let (mut pos, mut all) = (0u64, 0u64);
        for (doc, labels) in docs {
            for (t, &l) in doc.toks.iter().zip(labels) {
                if t.kind != TokenKind::Word {
                    continue;
                }
                let e = counts.entry(str_hash(&t.stem)).or_default();
                e.0 += u32::from(l);
                e.1 += 1;

                pos += u64::from(l);
                all += 1;
            }
            for (w, l) in doc.toks.windows(2).zip(labels.windows(2)) {
                if w[0].kind == TokenKind::Word && w[1].kind == TokenKind::Word {
                    let e = counts.entry(pair_hash(&w[0].stem, &w[1].stem)).or_default();
                    e.0 += u32::from(l[0] && l[1]);
                    e.1 += 1;
                }
            }
        }
        let prior = if all == 0 {
            0.0
        } else {
            pos as f64 / all as f64
        };
        let a = 2.0;
        let mut kv: Vec<(u64, f32)> = counts
            .into_iter()
            .filter(|(_, (_, n))| *n >= min_count)
            .map(|(k, (p, n))| (k, ((f64::from(p) + a * prior) / (f64::from(n) + a)) as f32))
            .collect();
        kv.sort_unstable_by_key(|e| e.0);
        Lexicon {
            keys: kv.iter().map(|e| e.0).collect(),
            rates: kv.iter().map(|e| e.1).collect(),
            prior: prior as f32,
        }
    }

    /// The stem's rate, or `None` if it was not seen often enough.
    pub fn rate(&self, stem: &str) -> Option<f32> {
        let h = str_hash(stem);
        self.keys.binary_search(&h).ok().map(|i| self.rates[i])
    }

    /// The rate of a stem pair (both inside a gold span), or `None` if rare.
    pub fn pair_rate(&self, a: &str, b: &str) -> Option<f32> {
        let h = pair_hash(a, b);
        self.keys.binary_search(&h).ok().map(|i| self.rates[i])
    }

    /// Number of stems and stem pairs kept.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no stem is kept.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Lexicon key of a stem pair.
fn pair_hash(a: &str, b: &str) -> u64 {
    let mut h = str_hash(a);
    for byte in std::iter::once(b' ').chain(b.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Bucket of a rate, as a feature value.
fn rate_bucket(r: f32) -> &'static str {
    const B: [(f32, &str); 9] = [
        (0.03, "0"),
        (0.07, "1"),
        (0.12, "2"),
        (0.18, "3"),
        (0.25, "4"),
        (0.35, "5"),
        (0.5, "6"),
        (0.7, "7"),
        (f32::INFINITY, "8"),
    ];
    B.iter().find(|(t, _)| r < *t).map_or("8", |b| b.1)
}

/// Bucket of a sentence score in [0,1].
fn score_bucket(s: f32) -> &'static str {
    const N: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    N[((s * 10.0) as usize).min(9)]
}

fn shape(raw_lower: &str, kind: TokenKind, first_upper: bool, all_upper: bool) -> String {
    match kind {
        TokenKind::Word => {
            if all_upper && raw_lower.chars().count() > 1 {
                "X".into()
            } else if first_upper {
                "Xx".into()
            } else {
                "x".into()
            }
        }
        TokenKind::Number => "d".into(),
        _ => raw_lower.to_string(),
    }
}

/// Learned inputs to feature extraction, beyond the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Learned<'a> {
    /// Per-stem rates.
    pub lexicon: Option<&'a Lexicon>,
    /// One propaganda score in [0,1] per sentence.
    pub sentence_scores: Option<&'a [f32]>,
    /// One score in [0,1] per token, from the token classifier.
    pub token_scores: Option<&'a [f32]>,
    /// Leave out the raw lexical templates ([`Template::is_raw_lexical`]).
    pub skip_raw: bool,
}

/// Calls `emit(token, template, value)` for every feature of every token of `doc`
/// (`text` is the article text the doc was built from).
pub fn extract(
    text: &str,
    doc: &Doc,
    learned: Learned<'_>,
    emit: impl FnMut(usize, Template, &str),
) {
    extract_where(text, doc, learned, |_| true, emit)
}

/// Like [`extract`], but only for the tokens `i` with `keep(i)`.
pub fn extract_where(
    text: &str,
    doc: &Doc,
    learned: Learned<'_>,
    keep: impl Fn(usize) -> bool,
    mut emit_all: impl FnMut(usize, Template, &str),
) {
    let mut emit = |i: usize, t: Template, v: &str| {
        if !(learned.skip_raw && t.is_raw_lexical()) {
            emit_all(i, t, v)
        }
    };
    let toks = &doc.toks;
    let n = toks.len();
    // Repetition counts over the article.
    let mut word_count: HashMap<&str, u32> = HashMap::new();
    let mut bigram_count: HashMap<(&str, &str), u32> = HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokenKind::Word {
            *word_count.entry(t.stem.as_str()).or_default() += 1;
            if i + 1 < n && toks[i + 1].kind == TokenKind::Word {
                *bigram_count
                    .entry((t.stem.as_str(), toks[i + 1].stem.as_str()))
                    .or_default() += 1;
            }
        }
    }
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let earlier: Vec<u32> = toks
        .iter()
        .map(|t| {
            if t.kind == TokenKind::Word && t.lower.chars().count() > 3 {
                let c = seen.entry(t.stem.as_str()).or_default();
                *c += 1;
                *c - 1
            } else {
                0
            }
        })
        .collect();
    let rates: Vec<Option<f32>> = toks
        .iter()
        .map(|t| {
            learned
                .lexicon
                .filter(|_| t.kind == TokenKind::Word)
                .and_then(|l| l.rate(&t.stem))
        })
        .collect();
    let mut buf = String::new();
    for (i, t) in toks.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let (s0, s1) = doc.sent_toks[t.sentence];
        let word_at = |j: isize| -> &str {
            if j < s0 as isize {
                "<s>"
            } else if j >= s1 as isize {
                "</s>"
            } else {
                toks[j as usize].lower.as_str()
            }
        };
        let ii = i as isize;
        emit(i, Template::Bias, "");
        emit(i, Template::Word, &t.lower);
        emit(i, Template::WordPrev, word_at(ii - 1));
        emit(i, Template::WordNext, word_at(ii + 1));
        emit(i, Template::WordPrev2, word_at(ii - 2));
        emit(i, Template::WordNext2, word_at(ii + 2));
        buf.clear();
        buf.push_str(word_at(ii - 1));
        buf.push(' ');
        buf.push_str(&t.lower);
        emit(i, Template::BigramLeft, &buf);
        buf.clear();
        buf.push_str(&t.lower);
        buf.push(' ');
        buf.push_str(word_at(ii + 1));
        emit(i, Template::BigramRight, &buf);
        if t.kind == TokenKind::Word {
            emit(i, Template::Stem, &t.stem);
            let chars: Vec<char> = t.lower.chars().collect();
            if chars.len() > 4 {
                buf.clear();
                buf.extend(&chars[chars.len() - 3..]);
                emit(i, Template::Suffix, &buf);
            }
        }
        if i > s0 {
            emit(i, Template::StemPrev, &toks[i - 1].stem);
        }
        if i + 1 < s1 {
            emit(i, Template::StemNext, &toks[i + 1].stem);
        }
        let lo = i.saturating_sub(3).max(s0);
        for (j, w) in toks.iter().enumerate().take((i + 4).min(s1)).skip(lo) {
            if j != i && w.kind == TokenKind::Word && w.lower.len() > 3 {
                emit(i, Template::Window, &w.stem);
            }
        }
        if t.class[0] != NO_CLASS {
            for (l, &c) in t.class.iter().enumerate() {
                buf.clear();
                let _ = write!(buf, "{l}:{c}");
                emit(i, Template::Class, &buf);
            }
        }
        let class_at = |j: isize| -> u16 {
            if j < s0 as isize || j >= s1 as isize {
                NO_CLASS - 1
            } else {
                toks[j as usize].class[1]
            }
        };
        for (side, j) in [("p", ii - 1), ("n", ii + 1)] {
            let c = class_at(j);
            if c != NO_CLASS {
                buf.clear();
                let _ = write!(buf, "{side}{c}");
                emit(i, Template::ClassCtx, &buf);
                if t.class[1] != NO_CLASS {
                    buf.clear();
                    let _ = if side == "p" {
                        write!(buf, "{c}|{}", t.class[1])
                    } else {
                        write!(buf, "{}|{c}", t.class[1])
                    };
                    emit(i, Template::ClassPair, &buf);
                }
            }
        }
        for w in toks.iter().take((i + 4).min(s1)).skip(lo) {
            if w.class[1] != NO_CLASS {
                buf.clear();
                let _ = write!(buf, "w{}", w.class[1]);
                emit(i, Template::ClassCtx, &buf);
            }
        }
        let raw = &text[t.bstart..t.bend];
        let first_upper = raw.chars().next().is_some_and(char::is_uppercase);
        let all_upper = raw.chars().all(|c| !c.is_lowercase());
        emit(
            i,
            Template::Shape,
            &shape(&t.lower, t.kind, first_upper, all_upper),
        );
        if t.kind == TokenKind::Word && first_upper && t.pos > 0 {
            emit(i, Template::MidCap, "");
        }
        if t.in_quote {
            emit(i, Template::Quote, "");
        }
        let (pkind, title) = doc.sent_para[t.sentence];
        if title {
            emit(i, Template::Sentence, "title");
        }
        emit(
            i,
            Template::Paragraph,
            match pkind {
                ParagraphKind::Body => "body",
                ParagraphKind::Heading => "heading",
                ParagraphKind::ListItem => "list",
            },
        );
        let last = &toks[s1 - 1].lower;
        if last == "!" {
            emit(i, Template::Sentence, "!");
        } else if last == "?" {
            emit(i, Template::Sentence, "?");
        }
        let pos = t.pos;
        let from_end = s1 - 1 - i;
        emit(
            i,
            Template::Position,
            match pos {
                0 => "0",
                1 => "1",
                2..=4 => "2-4",
                5..=9 => "5-9",
                _ => "10+",
            },
        );
        emit(
            i,
            Template::Position,
            match from_end {
                0 => "e0",
                1 => "e1",
                2..=4 => "e2-4",
                _ => "e5+",
            },
        );
        emit(
            i,
            Template::SentLen,
            match s1 - s0 {
                0..=5 => "0-5",
                6..=12 => "6-12",
                13..=25 => "13-25",
                26..=40 => "26-40",
                _ => "41+",
            },
        );
        if t.kind == TokenKind::Word && t.lower.chars().count() > 3 {
            let c = word_count.get(t.stem.as_str()).copied().unwrap_or(0);
            emit(
                i,
                Template::Repeat,
                match c {
                    0 | 1 => "1",
                    2 => "2",
                    3..=4 => "3-4",
                    _ => "5+",
                },
            );
        }
        if t.kind == TokenKind::Word && t.lower.chars().count() > 3 {
            emit(
                i,
                Template::RepeatEarlier,
                match earlier[i] {
                    0 => "0",
                    1 => "1",
                    2..=3 => "2-3",
                    _ => "4+",
                },
            );
        }
        let rep_pair = |a: usize| {
            a + 1 < n
                && toks[a].kind == TokenKind::Word
                && toks[a + 1].kind == TokenKind::Word
                && bigram_count
                    .get(&(toks[a].stem.as_str(), toks[a + 1].stem.as_str()))
                    .copied()
                    .unwrap_or(0)
                    > 1
        };
        if rep_pair(i) || (i > 0 && rep_pair(i - 1)) {
            emit(i, Template::RepeatBigram, "");
        }
        if learned.lexicon.is_some() && t.kind == TokenKind::Word {
            match rates[i] {
                Some(r) => emit(i, Template::LexRate, rate_bucket(r)),
                None => emit(i, Template::LexRate, "unseen"),
            }
        }
        if let Some(lex) = learned.lexicon.filter(|_| t.kind == TokenKind::Word) {
            let word = |j: usize| toks[j].kind == TokenKind::Word;
            let left = (i > s0 && word(i - 1))
                .then(|| lex.pair_rate(&toks[i - 1].stem, &t.stem))
                .flatten();
            let right = (i + 1 < s1 && word(i + 1))
                .then(|| lex.pair_rate(&t.stem, &toks[i + 1].stem))
                .flatten();
            match left.into_iter().chain(right).reduce(f32::max) {
                Some(r) => emit(i, Template::PairRate, rate_bucket(r)),
                None => emit(i, Template::PairRate, "unseen"),
            }
        }
        if learned.lexicon.is_some() {
            let ctx = (i.saturating_sub(2).max(s0)..(i + 3).min(s1))
                .filter(|&j| j != i)
                .filter_map(|j| rates[j])
                .fold(0f32, f32::max);
            emit(i, Template::LexRateCtx, rate_bucket(ctx));
        }
        if let Some(ts) = learned.token_scores {
            emit(i, Template::TokScore, score_bucket(ts[i]));
            let prev = if i > s0 { ts[i - 1] } else { 0.0 };
            let next = if i + 1 < s1 { ts[i + 1] } else { 0.0 };
            emit(i, Template::TokPrev, score_bucket(prev));
            emit(i, Template::TokNext, score_bucket(next));
            if let Some(sc) = learned.sentence_scores {
                buf.clear();
                buf.push_str(score_bucket(ts[i]));
                buf.push('|');
                buf.push_str(score_bucket(sc[t.sentence]));
                emit(i, Template::TokSent, &buf);
            }
        }
        if let Some(sc) = learned.sentence_scores {
            let s = t.sentence;
            emit(i, Template::SentScore, score_bucket(sc[s]));
            let prev = if s > 0 { sc[s - 1] } else { 0.0 };
            let next = sc.get(s + 1).copied().unwrap_or(0.0);
            emit(i, Template::SentScoreCtx, score_bucket(prev.max(next)));
            if t.kind == TokenKind::Word {
                buf.clear();
                buf.push_str(rates[i].map_or("u", rate_bucket));
                buf.push('|');
                buf.push_str(score_bucket(sc[s]));
                emit(i, Template::LexSent, &buf);
            }
        }
    }
}

/// The hashed features of every token: `(offsets, ids)`, the features of token `i` being
/// `ids[offsets[i]..offsets[i + 1]]`.
pub fn hashed(text: &str, doc: &Doc, learned: Learned<'_>) -> (Vec<u32>, Vec<u64>) {
    hashed_where(text, doc, learned, |_| true)
}

/// Like [`hashed`], keeping only the features of templates for which `keep` is true.
pub fn hashed_where(
    text: &str,
    doc: &Doc,
    learned: Learned<'_>,
    keep: impl Fn(Template) -> bool,
) -> (Vec<u32>, Vec<u64>) {
    let mut offsets = Vec::with_capacity(doc.len() + 1);
    let mut ids = Vec::with_capacity(doc.len() * 40);
    offsets.push(0u32);
    let mut cur = 0usize;
    extract(text, doc, learned, |i, t, v| {
        if !keep(t) {
            return;
        }
        while cur < i {
            offsets.push(ids.len() as u32);
            cur += 1;
        }
        ids.push(feature_hash(t, v));
    });
    while offsets.len() < doc.len() + 1 {
        offsets.push(ids.len() as u32);
    }
    (offsets, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_template_specific() {
        assert_eq!(
            feature_hash(Template::Word, "a"),
            feature_hash(Template::Word, "a")
        );
        assert_ne!(
            feature_hash(Template::Word, "a"),
            feature_hash(Template::Stem, "a")
        );
    }

    #[test]
    fn doc_tracks_quotes_and_sentences() {
        let text = "Title here\n\nHe said “a total disaster” today. Then left!";
        let seg = unspin_segment::segment(text);
        let doc = Doc::new(text, &seg);
        let q: Vec<&str> = doc
            .toks
            .iter()
            .filter(|t| t.in_quote)
            .map(|t| t.lower.as_str())
            .collect();
        assert_eq!(q, ["“", "a", "total", "disaster", "”"]);
        let (offs, ids) = hashed(text, &doc, Learned::default());
        assert_eq!(offs.len(), doc.len() + 1);
        assert_eq!(*offs.last().unwrap() as usize, ids.len());
        assert!(offs.windows(2).all(|w| w[0] < w[1]));
    }
}
