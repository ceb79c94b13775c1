//! Sparse features of a span for technique classification (TC).
//!
//! [`ArticleFeatures::new`] computes article-level statistics once (lower-cased tokens, word
//! counts); [`ArticleFeatures::extract`] then lists the features of one span as named
//! [`Feature`]s: generic templates (span words and word pairs, character n-grams, context
//! words, length bins, repetition counts, quotes, capitals, punctuation, position) filled in
//! with the words of the text. No word list is written by hand: which words matter is
//! learned by the classifier from the training data.
//!
//! Every feature remembers where in the text it comes from ([`Feature::cue`]), so that an
//! explanation can cite the exact words.

// Numeric kernels index several parallel arrays; index loops read best there.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unspin_segment::{Segmentation, TokenKind};

use crate::analyse::word_classes::WordClasses;

/// Which feature templates to use, and how. Stored in the trained model so that
/// classification extracts exactly the features it was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Lower-cased words of the span.
    pub unigrams: bool,
    /// Pairs of adjacent lower-cased words of the span (with span-edge markers).
    pub bigrams: bool,
    /// Character n-grams (lengths `char_ngram_min..=char_ngram_max`) of the span's
    /// lower-cased words, each word padded with `<` and `>`. 0 disables them.
    pub char_ngram_min: usize,
    /// Longest character n-gram.
    pub char_ngram_max: usize,
    /// Scale of the character n-gram features: each n-gram of the span gets
    /// `char_scale / sqrt(number of n-grams)`.
    pub char_scale: f32,
    /// Words left and right of the span, within its sentence, up to this many (0: none).
    pub context_window: usize,
    /// The other words of the span's sentence(s), as a bag.
    pub sentence_words: bool,
    /// Value of the context-word features (left/right words 1 × this, sentence words
    /// 0.5 × this); below 1 they are regularised more strongly than the span's own words.
    #[serde(default = "one")]
    pub context_scale: f32,
    /// Length bins, repetition counts, quotes, capitals, punctuation and position.
    pub shape: bool,
    /// Whether the same range is listed more than once among the spans classified
    /// together, and how many listed spans share the span's text.
    pub listed_spans: bool,
    /// The kind of token (punctuation, capitalised, lower-case, number, none) right before
    /// and after the span.
    #[serde(default)]
    pub neighbour_shapes: bool,
    /// English Snowball stems of the span's words, next to the words themselves.
    #[serde(default)]
    pub stems: bool,
    /// The whole lower-cased text of spans of at most this many words, as one feature
    /// (0: none).
    #[serde(default)]
    pub whole_span_words: usize,
    /// Word classes (pretrained word vectors, k-means; see
    /// [`WordClasses`](crate::analyse::word_classes::WordClasses)) of the span's words, as a
    /// bag, at these levels (indices into the table's levels, coarse to fine). Used only
    /// when the classifier is given a class table.
    #[serde(default)]
    pub class_levels: Vec<usize>,
    /// Word classes of the span's first and last word, at `class_levels`.
    #[serde(default)]
    pub class_edges: bool,
    /// Word-class pairs of adjacent words of the span (with span-edge markers), at this
    /// level (index into the table's levels; `None`: no pairs).
    #[serde(default)]
    pub class_pair_level: Option<usize>,
    /// Word classes of the word just before and just after the span (in its sentence), at
    /// `class_levels`.
    #[serde(default)]
    pub class_context: bool,
    /// Value of the word-class features.
    #[serde(default = "one")]
    pub class_scale: f32,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            unigrams: true,
            bigrams: true,
            char_ngram_min: 3,
            char_ngram_max: 5,
            char_scale: 1.5,
            context_window: 0,
            sentence_words: false,
            context_scale: 1.0,
            shape: true,
            listed_spans: false,
            stems: true,
            neighbour_shapes: false,
            whole_span_words: 6,
            class_levels: vec![0, 1, 2],
            class_edges: false,
            class_pair_level: None,
            class_context: false,
            class_scale: 0.7,
        }
    }
}

fn one() -> f32 {
    1.0
}

/// What kind of template a feature comes from; decides how it is explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// A word of the span.
    SpanWord,
    /// Two adjacent words of the span.
    SpanBigram,
    /// A character n-gram of a word of the span.
    CharNgram,
    /// The first word of the span.
    FirstWord,
    /// The last word of the span.
    LastWord,
    /// A word just before the span.
    LeftWord,
    /// A word just after the span.
    RightWord,
    /// Another word of the span's sentence.
    SentenceWord,
    /// How long the span is.
    Length,
    /// How often the span's words occur in the article.
    Repeated,
    /// How often the span's most frequent content word occurs in the article.
    RepeatedWord,
    /// Whether an earlier occurrence of the span's text exists.
    Occurrence,
    /// Quotation marks around or inside.
    Quotes,
    /// Capital letters.
    Capitals,
    /// `!` or `?`.
    Punctuation,
    /// Where the span is in its sentence or the article.
    Position,
    /// The span holds a number.
    Number,
    /// What the other listed spans say (a range listed twice, spans sharing the text).
    Listed,
    /// The stem of a word of the span.
    SpanStem,
    /// The whole (short) span.
    WholeSpan,
    /// How many other listed spans share a word with the span.
    ListedWord,
    /// Whether other listed spans lie inside the span, around it, or overlap it.
    Nesting,
    /// The word class of a word of the span (a group of words used alike, from pretrained
    /// word vectors); the cue is the word.
    WordClass,
    /// The word classes of two adjacent words of the span.
    ClassPair,
    /// The word class of the word just before or after the span.
    ContextClass,
    /// Always on.
    Bias,
}

impl Template {
    /// True for templates whose feature is a piece of the text (a word, a word pair, a
    /// character n-gram, the span itself): their explanations quote it.
    pub fn quotes_text(self) -> bool {
        matches!(
            self,
            Template::SpanWord
                | Template::SpanStem
                | Template::WholeSpan
                | Template::SpanBigram
                | Template::FirstWord
                | Template::LastWord
                | Template::CharNgram
                | Template::LeftWord
                | Template::RightWord
                | Template::SentenceWord
                | Template::RepeatedWord
                | Template::ListedWord
                | Template::WordClass
                | Template::ClassPair
                | Template::ContextClass
        )
    }
}

/// One feature of a span.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Its name, unique across templates (e.g. `u:regime`, `rep:3`).
    pub key: String,
    /// Its value (1 for indicators).
    pub value: f32,
    /// The template it comes from.
    pub template: Template,
    /// The code-point range of the text it cites, if any.
    pub cue: Option<(usize, usize)>,
    /// A count to quote in the explanation (e.g. occurrences in the article).
    pub count: usize,
}

/// A token of the article, lower-cased.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    sentence: usize,
    lower: String,
    /// Word or number (not punctuation or symbol).
    wordlike: bool,
    /// Class ids of the word, one per level of the class table (empty: unknown or no
    /// table).
    class: Vec<u16>,
}

/// Article-level data shared by the spans of one article.
#[derive(Debug)]
pub struct ArticleFeatures<'a> {
    chars: Vec<char>,
    words: Vec<Word>,
    /// Indices into `words` of word-like tokens only.
    wordlike: Vec<usize>,
    /// Lower-cased word-like token → number of occurrences in the article.
    counts: HashMap<String, usize>,
    /// Sentence ranges.
    sentences: Vec<(usize, usize)>,
    /// Span text (lower-cased words joined by a space) → number of listed spans with it.
    listed_text: HashMap<String, usize>,
    /// Range → number of times it is listed.
    listed_range: HashMap<(usize, usize), usize>,
    /// Lower-cased word of 4+ letters → number of distinct listed ranges holding it.
    listed_words: HashMap<String, usize>,
    /// Whether a word-class table was given ([`ArticleFeatures::with_classes`]).
    has_classes: bool,
    cfg: &'a FeatureConfig,
    _text: &'a str,
}

/// Lower-cases a token the same way everywhere.
fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Typographic apostrophes as ASCII, so "don't" and "don’t" are one word.
        let c = if c == '\u{2019}' || c == '\u{2018}' {
            '\''
        } else {
            c
        };
        out.extend(c.to_lowercase());
    }
    out
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2018}'
            | '\u{2019}'
            | '\''
    )
}

/// A small, fixed set of bins for counts and lengths.
fn bin(n: usize, edges: &[usize]) -> usize {
    edges.iter().take_while(|&&e| n >= e).count()
}

impl<'a> ArticleFeatures<'a> {
    /// Prepares the article `text` (segmented as `seg`), whose spans `spans` are classified
    /// together.
    pub fn new(
        text: &'a str,
        seg: &Segmentation,
        spans: &[(usize, usize)],
        cfg: &'a FeatureConfig,
    ) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<Word> = seg
            .tokens
            .iter()
            .map(|t| {
                let s: String = chars[t.start.min(chars.len())..t.end.min(chars.len())]
                    .iter()
                    .collect();
                Word {
                    start: t.start,
                    end: t.end,
                    sentence: t.sentence,
                    lower: lower(&s),
                    wordlike: matches!(t.kind, TokenKind::Word | TokenKind::Number),
                    class: Vec::new(),
                }
            })
            .collect();
        let wordlike: Vec<usize> = (0..words.len()).filter(|&i| words[i].wordlike).collect();
        let sentences = seg.sentences.iter().map(|s| (s.start, s.end)).collect();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for &i in &wordlike {
            if let Some(c) = counts.get_mut(words[i].lower.as_str()) {
                *c += 1;
            } else {
                counts.insert(words[i].lower.clone(), 1);
            }
        }
        let mut me = ArticleFeatures {
            chars,
            words,
            wordlike,
            counts,
            sentences,
            listed_text: HashMap::new(),
            listed_range: HashMap::new(),
            listed_words: HashMap::new(),
            has_classes: false,
            cfg,
            _text: text,
        };
        let mut listed_text = HashMap::new();
        let mut listed_range = HashMap::new();
        for &(s, e) in spans {
            *listed_range.entry((s, e)).or_insert(0) += 1;
            let key = me.span_key(s, e);
            *listed_text.entry(key).or_insert(0) += 1;
        }
        let mut listed_words: HashMap<String, usize> = HashMap::new();
        for &(s, e) in listed_range.keys() {
            let mut seen = std::collections::HashSet::new();
            for &i in &me.wordlike[me.span_words(s, e)] {
                let w = me.words[i].lower.as_str();
                if w.chars().count() >= 4 && seen.insert(w) {
                    *listed_words.entry(w.to_string()).or_insert(0) += 1;
                }
            }
        }
        me.listed_text = listed_text;
        me.listed_range = listed_range;
        me.listed_words = listed_words;
        me
    }

    /// Looks up the word class of every word-like token in `classes` (class features are
    /// only extracted after this).
    pub fn with_classes(mut self, classes: Option<&WordClasses>) -> Self {
        if let Some(wc) = classes {
            self.has_classes = true;
            for &i in &self.wordlike {
                let w = &mut self.words[i];
                if let Some(ids) = wc.get(&w.lower) {
                    w.class = ids.to_vec();
                }
            }
        }
        self
    }

    /// Occurrences of the lower-cased word `w` in the article.
    fn word_count(&self, w: &str) -> usize {
        self.counts.get(w).copied().unwrap_or(0)
    }

    /// Indices into `wordlike` of the word-like tokens overlapping `s..e`.
    fn span_words(&self, s: usize, e: usize) -> std::ops::Range<usize> {
        let a = self.wordlike.partition_point(|&i| self.words[i].end <= s);
        let b = self.wordlike.partition_point(|&i| self.words[i].start < e);
        a..b.max(a)
    }

    /// The span's lower-cased words joined by spaces.
    fn span_key(&self, s: usize, e: usize) -> String {
        let r = self.span_words(s, e);
        let mut k = String::new();
        for &i in &self.wordlike[r] {
            if !k.is_empty() {
                k.push(' ');
            }
            k.push_str(&self.words[i].lower);
        }
        k
    }

    /// Occurrences of the word sequence `wordlike[r]` in the article: (total case-folded,
    /// total exact, case-folded occurrences starting before `r.start`).
    fn occurrences(&self, r: std::ops::Range<usize>) -> (usize, usize, usize) {
        let n = r.len();
        if n == 0 {
            return (0, 0, 0);
        }
        let pat: Vec<&str> = self.wordlike[r.clone()]
            .iter()
            .map(|&i| self.words[i].lower.as_str())
            .collect();
        let pat_exact: Vec<String> = self.wordlike[r.clone()]
            .iter()
            .map(|&i| self.surface(self.words[i].start, self.words[i].end))
            .collect();
        let (mut total, mut exact, mut before) = (0, 0, 0);
        let m = self.wordlike.len();
        for j in 0..m.saturating_sub(n - 1) {
            if self.words[self.wordlike[j]].lower != pat[0] {
                continue;
            }
            if (1..n).all(|k| self.words[self.wordlike[j + k]].lower == pat[k]) {
                total += 1;
                if j < r.start {
                    before += 1;
                }
                if (0..n).all(|k| {
                    let w = &self.words[self.wordlike[j + k]];
                    self.chars[w.start..w.end]
                        .iter()
                        .copied()
                        .eq(pat_exact[k].chars())
                }) {
                    exact += 1;
                }
            }
        }
        (total, exact, before)
    }

    /// The text of `s..e` (clamped).
    pub fn surface(&self, s: usize, e: usize) -> String {
        let e = e.min(self.chars.len());
        self.chars[s.min(e)..e].iter().collect()
    }

    /// Range of sentences overlapping `s..e` (as indices), at least the one holding `s`.
    fn sentence_range(&self, s: usize, e: usize) -> (usize, usize) {
        let a = self
            .sentences
            .partition_point(|&(_, se)| se <= s)
            .min(self.sentences.len().saturating_sub(1));
        let b = self.sentences.partition_point(|&(ss, _)| ss < e).max(a + 1);
        (a, b)
    }

    /// Code-point range of the sentences overlapping `s..e` (the span itself if none).
    pub fn sentence_bounds(&self, s: usize, e: usize) -> (usize, usize) {
        if self.sentences.is_empty() {
            return (s, e);
        }
        let (a, b) = self.sentence_range(s, e);
        (
            self.sentences[a].0.min(s),
            self.sentences[b - 1].1.max(e).min(self.chars.len()),
        )
    }

    /// Lists the features of span `s..e` into `out` (cleared first).
    pub fn extract(&self, s: usize, e: usize, out: &mut Vec<Feature>) {
        out.clear();
        let cfg = self.cfg;
        let e = e.min(self.chars.len());
        let s = s.min(e);
        let mut push = |key: String,
                        value: f32,
                        template: Template,
                        cue: Option<(usize, usize)>,
                        count: usize| {
            out.push(Feature {
                key,
                value,
                template,
                cue,
                count,
            })
        };
        push("bias".into(), 1.0, Template::Bias, None, 0);
        let r = self.span_words(s, e);
        let idx: Vec<usize> = self.wordlike[r.clone()].to_vec();
        // Cue of a word: its part inside the span.
        let inside = |w: &Word| (w.start.max(s), w.end.min(e));

        if cfg.unigrams {
            let mut seen = std::collections::HashSet::new();
            for &i in &idx {
                let w = &self.words[i];
                if seen.insert(w.lower.as_str()) {
                    push(
                        format!("u:{}", w.lower),
                        1.0,
                        Template::SpanWord,
                        Some(inside(w)),
                        0,
                    );
                }
            }
            if let (Some(&f), Some(&l)) = (idx.first(), idx.last()) {
                let (wf, wl) = (&self.words[f], &self.words[l]);
                push(
                    format!("f:{}", wf.lower),
                    1.0,
                    Template::FirstWord,
                    Some(inside(wf)),
                    0,
                );
                push(
                    format!("l:{}", wl.lower),
                    1.0,
                    Template::LastWord,
                    Some(inside(wl)),
                    0,
                );
            }
        }
        if cfg.stems {
            let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
            let mut seen = std::collections::HashSet::new();
            for &i in &idx {
                let w = &self.words[i];
                let st = stemmer.stem(&w.lower);
                if st != w.lower.as_str() && seen.insert(st.to_string()) {
                    push(
                        format!("st:{st}"),
                        1.0,
                        Template::SpanStem,
                        Some(inside(w)),
                        0,
                    );
                }
            }
        }
        if cfg.whole_span_words > 0 && !idx.is_empty() && idx.len() <= cfg.whole_span_words {
            push(
                format!("t:{}", self.span_key(s, e)),
                1.0,
                Template::WholeSpan,
                Some((s, e)),
                0,
            );
        }
        if cfg.bigrams && !idx.is_empty() {
            let mut seen = std::collections::HashSet::new();
            let n = idx.len();
            for k in 0..=n {
                let a = if k == 0 {
                    "<s>"
                } else {
                    self.words[idx[k - 1]].lower.as_str()
                };
                let b = if k == n {
                    "</s>"
                } else {
                    self.words[idx[k]].lower.as_str()
                };
                if n == 1 && k == 1 {
                    // "<s> w" and "w </s>" of a one-word span duplicate the unigram.
                    continue;
                }
                let key = format!("b:{a} {b}");
                if seen.insert(key.clone()) {
                    let cue = match (k, k == n) {
                        (0, _) => Some(inside(&self.words[idx[0]])),
                        (_, true) => Some(inside(&self.words[idx[n - 1]])),
                        _ => Some((
                            self.words[idx[k - 1]].start.max(s),
                            self.words[idx[k]].end.min(e),
                        )),
                    };
                    push(key, 1.0, Template::SpanBigram, cue, 0);
                }
            }
        }
        self.class_features(s, e, r.clone(), &idx, &mut push);
        if cfg.char_ngram_min > 0 && cfg.char_ngram_max >= cfg.char_ngram_min {
            let mut grams: Vec<(String, (usize, usize))> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for &i in &idx {
                let w = &self.words[i];
                let padded: Vec<char> = std::iter::once('<')
                    .chain(w.lower.chars())
                    .chain(std::iter::once('>'))
                    .collect();
                for n in cfg.char_ngram_min..=cfg.char_ngram_max {
                    if padded.len() < n {
                        break;
                    }
                    for j in 0..=padded.len() - n {
                        let g: String = padded[j..j + n].iter().collect();
                        if seen.insert(g.clone()) {
                            grams.push((g, inside(w)));
                        }
                    }
                }
            }
            let v = cfg.char_scale / (grams.len().max(1) as f32).sqrt();
            for (g, cue) in grams {
                push(format!("c:{g}"), v, Template::CharNgram, Some(cue), 0);
            }
        }
        let (sa, sb) = if self.sentences.is_empty() {
            (0, 0)
        } else {
            self.sentence_range(s, e)
        };
        if cfg.context_window > 0 {
            // Left: word-like tokens before the span, in the sentence of its start.
            let mut k = r.start;
            let mut taken = 0;
            while k > 0 && taken < cfg.context_window {
                k -= 1;
                let w = &self.words[self.wordlike[k]];
                if w.sentence != sa || w.end > s {
                    break;
                }
                taken += 1;
                if taken == 1 {
                    push(
                        format!("L1:{}", w.lower),
                        cfg.context_scale,
                        Template::LeftWord,
                        Some((w.start, w.end)),
                        0,
                    );
                }
                push(
                    format!("L:{}", w.lower),
                    cfg.context_scale,
                    Template::LeftWord,
                    Some((w.start, w.end)),
                    0,
                );
            }
            if taken == 0 {
                push("L1:<none>".into(), 1.0, Template::Position, None, 0);
            }
            let mut k = r.end;
            let mut taken = 0;
            while k < self.wordlike.len() && taken < cfg.context_window {
                let w = &self.words[self.wordlike[k]];
                k += 1;
                if w.sentence + 1 != sb || w.start < e {
                    break;
                }
                taken += 1;
                if taken == 1 {
                    push(
                        format!("R1:{}", w.lower),
                        cfg.context_scale,
                        Template::RightWord,
                        Some((w.start, w.end)),
                        0,
                    );
                }
                push(
                    format!("R:{}", w.lower),
                    cfg.context_scale,
                    Template::RightWord,
                    Some((w.start, w.end)),
                    0,
                );
            }
            if taken == 0 {
                push("R1:<none>".into(), 1.0, Template::Position, None, 0);
            }
        }
        if cfg.sentence_words && !self.sentences.is_empty() {
            let (cs, ce) = (self.sentences[sa].0, self.sentences[sb - 1].1);
            let a = self.wordlike.partition_point(|&i| self.words[i].end <= cs);
            let mut seen = std::collections::HashSet::new();
            for &i in &self.wordlike[a..] {
                let w = &self.words[i];
                if w.start >= ce {
                    break;
                }
                if w.end > s && w.start < e {
                    continue;
                }
                if seen.insert(w.lower.as_str()) {
                    push(
                        format!("S:{}", w.lower),
                        0.5 * cfg.context_scale,
                        Template::SentenceWord,
                        Some((w.start, w.end)),
                        0,
                    );
                }
            }
        }
        if cfg.shape {
            self.shape(s, e, r.clone(), &idx, (sa, sb), &mut push);
        }
        if cfg.listed_spans {
            let times = self.listed_range.get(&(s, e)).copied().unwrap_or(1);
            if times > 1 {
                push("listed:twice".into(), 1.0, Template::Listed, None, times);
            }
            let (mut inside_of, mut contains, mut overlaps) = (0, 0, 0);
            for &(a, b) in self.listed_range.keys() {
                if (a, b) == (s, e) || b <= s || a >= e {
                    continue;
                }
                if a <= s && e <= b {
                    inside_of += 1;
                } else if s <= a && b <= e {
                    contains += 1;
                } else {
                    overlaps += 1;
                }
            }
            if inside_of > 0 {
                push(
                    "listed:inside".into(),
                    1.0,
                    Template::Nesting,
                    None,
                    inside_of,
                );
            }
            if contains > 0 {
                push(
                    format!("listed:contains{}", bin(contains, &[2, 3])),
                    1.0,
                    Template::Nesting,
                    None,
                    contains,
                );
            }
            if overlaps > 0 {
                push(
                    "listed:overlaps".into(),
                    1.0,
                    Template::Nesting,
                    None,
                    overlaps,
                );
            }
            let key = self.span_key(s, e);
            let same = self
                .listed_text
                .get(&key)
                .copied()
                .unwrap_or(1)
                .saturating_sub(times);
            let b = bin(same, &[1, 2, 4]);
            push(
                format!("listed:same{b}"),
                1.0,
                Template::Listed,
                Some((s, e)),
                same + 1,
            );
        }
    }

    /// Word-class features of span `s..e` (words `idx`, word-like range `r`).
    fn class_features(
        &self,
        s: usize,
        e: usize,
        r: std::ops::Range<usize>,
        idx: &[usize],
        push: &mut impl FnMut(String, f32, Template, Option<(usize, usize)>, usize),
    ) {
        if !self.has_classes {
            return;
        }
        let cfg = self.cfg;
        let v = cfg.class_scale;
        let inside = |w: &Word| Some((w.start.max(s), w.end.min(e)));
        let mut seen = std::collections::HashSet::new();
        for &lv in &cfg.class_levels {
            for &i in idx {
                let w = &self.words[i];
                if let Some(&c) = w.class.get(lv)
                    && seen.insert((lv, c))
                {
                    push(format!("wc{lv}:{c}"), v, Template::WordClass, inside(w), 0);
                }
            }
            if cfg.class_edges
                && let (Some(&f), Some(&l)) = (idx.first(), idx.last())
            {
                let (wf, wl) = (&self.words[f], &self.words[l]);
                if let Some(&c) = wf.class.get(lv) {
                    push(
                        format!("wcf{lv}:{c}"),
                        v,
                        Template::WordClass,
                        inside(wf),
                        0,
                    );
                }
                if let Some(&c) = wl.class.get(lv) {
                    push(
                        format!("wcl{lv}:{c}"),
                        v,
                        Template::WordClass,
                        inside(wl),
                        0,
                    );
                }
            }
        }
        if let Some(lv) = cfg.class_pair_level
            && !idx.is_empty()
        {
            let id = |k: usize| -> String {
                match self.words[idx[k]].class.get(lv) {
                    Some(c) => c.to_string(),
                    None => "?".into(),
                }
            };
            let n = idx.len();
            let mut seen = std::collections::HashSet::new();
            for k in 0..=n {
                if n == 1 && k == 1 {
                    continue;
                }
                let a = if k == 0 { "<s>".to_string() } else { id(k - 1) };
                let b = if k == n { "</s>".to_string() } else { id(k) };
                if a == "?" && b == "?" {
                    continue;
                }
                let key = format!("wcp{lv}:{a}_{b}");
                if seen.insert(key.clone()) {
                    let cue = match (k, k == n) {
                        (0, _) => inside(&self.words[idx[0]]),
                        (_, true) => inside(&self.words[idx[n - 1]]),
                        _ => Some((
                            self.words[idx[k - 1]].start.max(s),
                            self.words[idx[k]].end.min(e),
                        )),
                    };
                    push(key, v, Template::ClassPair, cue, 0);
                }
            }
        }
        if cfg.class_context && !self.sentences.is_empty() {
            let (sa, sb) = self.sentence_range(s, e);
            let left = r
                .start
                .checked_sub(1)
                .map(|k| &self.words[self.wordlike[k]])
                .filter(|w| w.sentence == sa && w.end <= s);
            let right = self
                .wordlike
                .get(r.end)
                .map(|&k| &self.words[k])
                .filter(|w| w.sentence + 1 == sb && w.start >= e);
            for &lv in &cfg.class_levels {
                for (side, word) in [("L", left), ("R", right)] {
                    if let Some(w) = word
                        && let Some(&c) = w.class.get(lv)
                    {
                        push(
                            format!("wc{side}{lv}:{c}"),
                            v,
                            Template::ContextClass,
                            Some((w.start, w.end)),
                            0,
                        );
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn shape(
        &self,
        s: usize,
        e: usize,
        r: std::ops::Range<usize>,
        idx: &[usize],
        (sa, sb): (usize, usize),
        push: &mut impl FnMut(String, f32, Template, Option<(usize, usize)>, usize),
    ) {
        let n = idx.len();
        let lb = bin(n, &[2, 3, 4, 6, 9, 13, 20, 30]);
        push(format!("len:{lb}"), 1.0, Template::Length, None, n);
        // Repetition of the span's words in the article.
        let (total, exact, before) = self.occurrences(r);
        let rb = bin(total, &[2, 3, 4, 6]);
        push(
            format!("rep:{rb}"),
            1.0,
            Template::Repeated,
            Some((s, e)),
            total,
        );
        let xb = bin(exact, &[2, 3, 4, 6]);
        push(
            format!("repx:{xb}"),
            1.0,
            Template::Repeated,
            Some((s, e)),
            exact,
        );
        if total > 1 {
            let o = if before == 0 { "first" } else { "later" };
            push(
                format!("occ:{o}"),
                1.0,
                Template::Occurrence,
                Some((s, e)),
                before + 1,
            );
            push(
                format!("replen:{}:{}", rb, bin(n, &[2, 4])),
                1.0,
                Template::Repeated,
                Some((s, e)),
                total,
            );
            push(
                format!("repocc:{rb}:{o}"),
                1.0,
                Template::Repeated,
                Some((s, e)),
                total,
            );
        }
        // The most repeated longer word of the span.
        let mut best: Option<(usize, usize)> = None;
        for &i in idx {
            let w = &self.words[i];
            if w.lower.chars().count() < 4 {
                continue;
            }
            let c = self.word_count(&w.lower);
            if best.is_none_or(|(bc, _)| c > bc) {
                best = Some((c, i));
            }
        }
        if let Some((c, i)) = best {
            let w = &self.words[i];
            push(
                format!("kw:{}", bin(c, &[2, 3, 5, 8])),
                1.0,
                Template::RepeatedWord,
                Some((w.start.max(s), w.end.min(e))),
                c,
            );
        }
        // Quotes.
        let ch = &self.chars;
        let before_c = ch[..s].iter().rev().find(|c| !c.is_whitespace()).copied();
        let after_c = ch[e..].iter().find(|c| !c.is_whitespace()).copied();
        if self.cfg.neighbour_shapes {
            // What kind of token comes right before and after the span (not which word).
            let kind = |w: Option<&Word>| match w {
                None => "none",
                Some(w) if !w.wordlike => "punct",
                Some(w) if self.chars[w.start].is_uppercase() => "cap",
                Some(w) if self.chars[w.start].is_numeric() => "num",
                Some(_) => "lower",
            };
            let a = self.words.partition_point(|w| w.end <= s);
            let left = a
                .checked_sub(1)
                .map(|i| &self.words[i])
                .filter(|w| w.sentence == sa);
            let b = self.words.partition_point(|w| w.start < e);
            let right = self.words.get(b).filter(|w| w.sentence + 1 == sb);
            push(
                format!("nb:l:{}", kind(left)),
                1.0,
                Template::Position,
                None,
                0,
            );
            push(
                format!("nb:r:{}", kind(right)),
                1.0,
                Template::Position,
                None,
                0,
            );
            push(
                format!("nb:lr:{}:{}", kind(left), kind(right)),
                1.0,
                Template::Position,
                None,
                0,
            );
        }
        let first = ch[s..e].iter().find(|c| !c.is_whitespace()).copied();
        let last = ch[s..e].iter().rev().find(|c| !c.is_whitespace()).copied();
        let q_before = before_c.is_some_and(is_quote) || first.is_some_and(is_quote);
        let q_after = after_c.is_some_and(is_quote) || last.is_some_and(is_quote);
        if q_before && q_after {
            push("q:around".into(), 1.0, Template::Quotes, None, 0);
        } else if q_before || q_after {
            push("q:one_side".into(), 1.0, Template::Quotes, None, 0);
        }
        let inner = ch[s..e]
            .iter()
            .enumerate()
            .filter(|&(k, c)| {
                is_quote(*c) && k > 0 && k + 1 < e - s && *c != '\'' && *c != '\u{2019}'
            })
            .count();
        if inner > 0 {
            push("q:inside".into(), 1.0, Template::Quotes, None, 0);
        }
        // Capitals.
        let letters = ch[s..e].iter().filter(|c| c.is_alphabetic()).count();
        let upper = ch[s..e].iter().filter(|c| c.is_uppercase()).count();
        if letters >= 3 && upper * 10 >= letters * 8 {
            push("caps:all".into(), 1.0, Template::Capitals, None, 0);
        } else if n > 0 {
            let titled = idx
                .iter()
                .filter(|&&i| self.chars[self.words[i].start].is_uppercase())
                .count();
            if titled * 2 > n && n > 1 {
                push("caps:title".into(), 1.0, Template::Capitals, None, 0);
            } else if titled > 0 {
                push("caps:some".into(), 1.0, Template::Capitals, None, 0);
            }
        }
        // Punctuation.
        if ch[s..e].contains(&'!') {
            push("p:excl_in".into(), 1.0, Template::Punctuation, None, 0);
        }
        if after_c == Some('!') {
            push("p:excl_after".into(), 1.0, Template::Punctuation, None, 0);
        }
        if ch[s..e].contains(&'?') || after_c == Some('?') {
            push("p:question".into(), 1.0, Template::Punctuation, None, 0);
        }
        if !self.sentences.is_empty() {
            let (ss, se) = (self.sentences[sa].0, self.sentences[sb - 1].1);
            if ch[ss..se.min(ch.len())].contains(&'?') {
                push(
                    "p:question_sentence".into(),
                    1.0,
                    Template::Punctuation,
                    None,
                    0,
                );
            }
            if ch[ss..se.min(ch.len())].contains(&'!') {
                push(
                    "p:excl_sentence".into(),
                    1.0,
                    Template::Punctuation,
                    None,
                    0,
                );
            }
            // Position in the sentence.
            let slen = se.saturating_sub(ss).max(1);
            let cover = (e - s) * 10 / slen;
            push(
                format!("cover:{}", bin(cover, &[3, 6, 9])),
                1.0,
                Template::Position,
                None,
                0,
            );
            let lead = ch[ss..s.max(ss)]
                .iter()
                .filter(|c| c.is_alphanumeric())
                .count();
            let trail = ch[e.min(se)..se.min(ch.len())]
                .iter()
                .filter(|c| c.is_alphanumeric())
                .count();
            push(
                format!("at:start{}", lead == 0),
                1.0,
                Template::Position,
                None,
                0,
            );
            push(
                format!("at:end{}", trail == 0),
                1.0,
                Template::Position,
                None,
                0,
            );
            if sb - sa > 1 {
                push("multi_sentence".into(), 1.0, Template::Position, None, 0);
            }
            if sa == 0 {
                push("in_title".into(), 1.0, Template::Position, None, 0);
            }
        }
        if idx
            .iter()
            .any(|&i| self.words[i].lower.chars().any(|c| c.is_ascii_digit()))
        {
            push("number".into(), 1.0, Template::Number, None, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin_segment::segment;

    /// A two-level class table where "regime" and "junta" share a class.
    fn classes() -> WordClasses {
        let words: Vec<String> = ["regime", "junta", "said", "the"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let vectors = [1.0, 0.1, 0.9, 0.2, 0.0, 1.0, 0.1, 0.9];
        WordClasses::learn(words, &vectors, 2, &[2, 2], 10, 3)
    }

    #[test]
    fn class_features_appear_for_known_words_when_classes_are_given() {
        let text = "Yesterday the regime said no.";
        let seg = segment(text);
        let (s, e) = (14, 25); // "regime said"
        let cfg = FeatureConfig {
            class_levels: vec![0, 1],
            class_edges: true,
            class_pair_level: Some(0),
            class_context: true,
            ..FeatureConfig::default()
        };
        let wc = classes();
        assert_eq!(wc.get("regime"), wc.get("junta"));
        let id = wc.get("regime").unwrap()[0];
        let af = ArticleFeatures::new(text, &seg, &[(s, e)], &cfg).with_classes(Some(&wc));
        let mut out = Vec::new();
        af.extract(s, e, &mut out);
        let f = out
            .iter()
            .find(|f| f.key == format!("wc0:{id}") && f.template == Template::WordClass)
            .expect("class of 'regime'");
        let cue = f.cue.expect("cue");
        assert!(
            ["regime", "said"].contains(&af.surface(cue.0, cue.1).as_str()),
            "{f:?}"
        );
        let id1 = wc.get("regime").unwrap()[1];
        assert!(out.iter().any(|f| f.key == format!("wcf1:{id1}")));
        assert!(out.iter().any(|f| f.key.starts_with("wcp0:<s>_")));
        let left = out
            .iter()
            .find(|f| f.key.starts_with("wcL0:"))
            .expect("class of 'the'");
        assert_eq!(af.surface(left.cue.unwrap().0, left.cue.unwrap().1), "the");
        // Without a table, the same configuration gives no class features.
        let af = ArticleFeatures::new(text, &seg, &[(s, e)], &cfg).with_classes(None);
        af.extract(s, e, &mut out);
        assert!(!out.iter().any(|f| matches!(
            f.template,
            Template::WordClass | Template::ClassPair | Template::ContextClass
        )));
        assert!(out.iter().any(|f| f.key == "u:regime"));
    }
}
