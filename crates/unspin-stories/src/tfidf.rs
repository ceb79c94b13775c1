//! Sublinear TF-IDF vectors over an article's title and text, and their cosine.
//!
//! Tokens are the Unicode words of the text ([`unicode_segmentation`]), lower-cased, with a
//! trailing possessive `'s` removed; English stop words, one-character words and words
//! without a letter or digit are dropped ([`tokens`]). A vector's weight for a term is
//! `(1 + ln tf) · idf`, with the smoothed `idf = ln((1 + N) / (1 + df)) + 1` of the corpus
//! the [`TfIdf`] was fitted on, and vectors are L2-normalised, so [`SparseVector::cosine`]
//! is a dot product in [0, 1].
//!
//! This module is a stable interface used beyond story grouping (pair similarity in
//! `unspin compare`):
//!
//! ```
//! use unspin_stories::tfidf::{TfIdf, title_and_text};
//! let docs = [
//!     title_and_text(Some("Ferry deal signed"), "The council signed the ferry deal on Monday."),
//!     title_and_text(Some("Council signs ferry deal"), "A ferry deal was signed by the council."),
//!     title_and_text(None, "Rain is expected across the north this weekend."),
//! ];
//! let model = TfIdf::fit(&docs);
//! let v: Vec<_> = docs.iter().map(|d| model.vector(d)).collect();
//! assert!(v[0].cosine(&v[1]) > v[0].cosine(&v[2]));
//! ```

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_segmentation::UnicodeSegmentation;

/// English stop words (and news boilerplate such as "said"), lower-case.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "also",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "least",
    "less",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "rather",
    "really",
    "said",
    "same",
    "say",
    "saying",
    "says",
    "see",
    "seen",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "told",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "whatever",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "mr",
    "mrs",
    "ms",
    "according",
    "told",
    "week",
    "year",
    "years",
    "day",
    "days",
    "time",
    "people",
    "new",
    "two",
    "three",
    "first",
    "last",
    "well",
    "way",
    "going",
    "want",
    "wants",
    "think",
    "know",
    "don",
    "didn",
    "doesn",
    "isn",
    "wasn",
    "aren",
    "won",
    "let",
    "lot",
    "thing",
    "things",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a lower-case word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// The lower-cased Unicode words of `text`, possessive `'s` removed, in text order (stop
/// words included): what MinHash shingles are made of.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().map(|w| {
        let mut w = w.to_lowercase();
        for suffix in ["'s", "\u{2019}s"] {
            if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
                w.truncate(w.len() - suffix.len());
            }
        }
        w
    })
}

/// The content words of `text`: [`words`] without stop words, one-character words and
/// words with no letter or digit. These are the terms of the TF-IDF vectors.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).filter(|w| {
        w.chars().nth(1).is_some() && w.chars().any(char::is_alphanumeric) && !is_stop_word(w)
    })
}

/// An article's title and text as one string for vectorising (the title, a blank line,
/// the text; the text alone without a title).
pub fn title_and_text(title: Option<&str>, text: &str) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => format!("{t}\n\n{text}"),
        None => text.to_owned(),
    }
}

/// A sparse, L2-normalised vector: (term id, weight) pairs sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    /// (term id, weight), sorted by term id, no duplicates.
    pub entries: Vec<(u32, f32)>,
}

impl SparseVector {
    /// Builds a vector from unsorted (term, weight) pairs (duplicates summed) and
    /// normalises it to unit length (the empty vector stays empty).
    pub fn from_weights(mut entries: Vec<(u32, f32)>) -> Self {
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        let mut v = SparseVector { entries };
        v.normalise();
        v
    }

    /// Scales the vector to unit L2 length (no change when it is zero).
    pub fn normalise(&mut self) {
        let norm = self.entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for e in &mut self.entries {
                e.1 /= norm;
            }
        }
    }

    /// Keeps the `k` heaviest terms and renormalises (an approximation that bounds memory
    /// and the cost of a cosine on long articles).
    pub fn truncate(&mut self, k: usize) {
        if self.entries.len() <= k {
            return;
        }
        self.entries
            .select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        self.entries.truncate(k);
        self.entries.sort_unstable_by_key(|e| e.0);
        self.normalise();
    }

    /// Dot product; for unit vectors, the cosine similarity (0 when either is empty).
    pub fn cosine(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
        let (a, b) = (&self.entries, &other.entries);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.clamp(0.0, 1.0)
    }

    /// The `k` heaviest term ids, heaviest first.
    pub fn top_terms(&self, k: usize) -> Vec<u32> {
        let mut e = self.entries.clone();
        e.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        e.into_iter().take(k).map(|e| e.0).collect()
    }

    /// Whether the vector has no terms.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Cosine similarity of two vectors (see [`SparseVector::cosine`]).
pub fn cosine(a: &SparseVector, b: &SparseVector) -> f32 {
    a.cosine(b)
}

/// A fitted vocabulary: every term of the corpus with its document frequency and idf.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    ids: FxHashMap<String, u32>,
    terms: Vec<String>,
    df: Vec<u32>,
    idf: Vec<f32>,
    docs: usize,
}

impl TfIdf {
    /// Fits the vocabulary on documents (in parallel).
    pub fn fit<S: AsRef<str> + Sync>(docs: &[S]) -> Self {
        Self::fit_with(docs.len(), |i| Cow::Borrowed(docs[i].as_ref()))
    }

    /// Fits the vocabulary on `n` documents given by `doc(i)` (in parallel), so that a
    /// large corpus need not be held in memory at once.
    pub fn fit_with<'a, F>(n: usize, doc: F) -> Self
    where
        F: Fn(usize) -> Cow<'a, str> + Sync,
    {
        let counts = (0..n)
            .into_par_iter()
            .fold(FxHashMap::<String, u32>::default, |mut map, i| {
                let text = doc(i);
                let mut seen: Vec<String> = tokens(&text).collect();
                seen.sort_unstable();
                seen.dedup();
                for t in seen {
                    *map.entry(t).or_insert(0) += 1;
                }
                map
            })
            .reduce(FxHashMap::default, |mut a, b| {
                let (mut big, small) = if a.len() >= b.len() {
                    (std::mem::take(&mut a), b)
                } else {
                    (b, a)
                };
                for (t, c) in small {
                    *big.entry(t).or_insert(0) += c;
                }
                big
            });
        let mut terms: Vec<(String, u32)> = counts.into_iter().collect();
        terms.sort_unstable();
        Self::from_document_frequencies(n, terms)
    }

    /// A vocabulary from (term, document frequency) pairs over `docs` documents.
    pub fn from_document_frequencies(docs: usize, terms: Vec<(String, u32)>) -> Self {
        let mut model = TfIdf {
            docs,
            ..TfIdf::default()
        };
        for (t, df) in terms {
            if model.ids.contains_key(&t) {
                continue;
            }
            model.ids.insert(t.clone(), model.terms.len() as u32);
            model.terms.push(t);
            model.df.push(df);
            model
                .idf
                .push(((1.0 + docs as f32) / (1.0 + df as f32)).ln() + 1.0);
        }
        model
    }

    /// Documents fitted on.
    pub fn documents(&self) -> usize {
        self.docs
    }

    /// Terms in the vocabulary.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The id of a term (lower-case, as [`tokens`] gives it).
    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// The term of an id.
    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// Document frequency of a term id.
    pub fn df(&self, id: u32) -> u32 {
        self.df[id as usize]
    }

    /// Inverse document frequency of a term id.
    pub fn idf(&self, id: u32) -> f32 {
        self.idf[id as usize]
    }

    /// The unit sublinear TF-IDF vector of a text; terms not in the vocabulary are left
    /// out.
    pub fn vector(&self, text: &str) -> SparseVector {
        let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
        for t in tokens(text) {
            if let Some(&id) = self.ids.get(&t) {
                *tf.entry(id).or_insert(0) += 1;
            }
        }
        SparseVector::from_weights(
            tf.into_iter()
                .map(|(id, c)| (id, (1.0 + (c as f32).ln()) * self.idf[id as usize]))
                .collect(),
        )
    }

    /// Cosine similarity of two texts under this vocabulary.
    pub fn similarity(&self, a: &str, b: &str) -> f32 {
        self.vector(a).cosine(&self.vector(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_stop_words_and_possessives() {
        let t: Vec<String> =
            tokens("The President's plan, Trump’s “deal” and 2018's U.S. talks").collect();
        assert_eq!(
            t,
            ["president", "plan", "trump", "deal", "2018", "u.s", "talks"]
        );
    }

    #[test]
    fn sublinear_weights_and_unit_length() {
        let docs = [
            "ferry ferry ferry ferry council",
            "council vote",
            "rain storm",
        ];
        let m = TfIdf::fit(&docs);
        assert_eq!(m.documents(), 3);
        let v = m.vector(docs[0]);
        let norm: f32 = v.entries.iter().map(|e| e.1 * e.1).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        let ferry = m.id("ferry").unwrap();
        let council = m.id("council").unwrap();
        let w = |id| v.entries.iter().find(|e| e.0 == id).unwrap().1;
        // tf 4 -> 1 + ln 4 = 2.386, idf(ferry) = ln(4/2)+1 = 1.693; council df 2: ln(4/3)+1.
        let expect = (1.0 + 4f32.ln()) * (2f32.ln() + 1.0) / ((4f32 / 3.0).ln() + 1.0);
        assert!((w(ferry) / w(council) - expect).abs() < 1e-4);
        assert_eq!(m.similarity(docs[0], docs[2]), 0.0);
        assert!((m.similarity(docs[1], docs[1]) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn truncate_keeps_heaviest() {
        let mut v = SparseVector::from_weights(vec![(3, 1.0), (1, 3.0), (2, 2.0), (1, 1.0)]);
        assert_eq!(v.entries.len(), 3);
        assert_eq!(v.top_terms(1), [1]);
        v.truncate(2);
        assert_eq!(v.entries.iter().map(|e| e.0).collect::<Vec<_>>(), [1, 2]);
        assert!((v.cosine(&v) - 1.0).abs() < 1e-5);
    }
}
