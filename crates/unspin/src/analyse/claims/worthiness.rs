//! The learned check-worthiness score: an L2-regularised logistic regression over the
//! clause's cues (those of [`features`](super::features)), its words and word pairs,
//! number shapes, names, length, opening word and place in the sentence, with features
//! hashed into a fixed table.
//!
//! Trained by `unspin train claims` ([`trainer`](super::worthiness_trainer)) on the field's
//! labelled debate sentences (ClaimBuster, CheckThat! 2019 and 2020) and shipped as
//! `models/claims-checkworthiness-v1.unspin`. Its probability is calibrated to
//! ClaimBuster's notion — how likely annotators would call the statement a check-worthy
//! factual claim — so 0.5 means "as likely as not". Without the model file the analyser
//! falls back to the hand-set weights of [`scorer`](super::scorer).

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::analyse::model_file::{self, LoadedModel};
use crate::analysis::ClaimKind;

use super::features::{ClauseFeatures, Cue};
use super::scorer::{self, Scored};
use super::words::Word;

/// Model-file kind of a check-worthiness model.
pub const MODEL_KIND: &str = "claims-checkworthiness";

/// File name of the shipped model, looked for in the model folders.
pub const DEFAULT_MODEL_FILE: &str = "claims-checkworthiness-v1.unspin";

/// Version of the feature templates below; a model trained with other templates is refused.
pub const FEATURE_VERSION: u32 = 1;

/// Bits of the hashed feature table (2^18 weights).
pub const DEFAULT_BITS: u8 = 18;

/// Where a feature comes from, so that a score can be explained with the words of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// One of the clause's cues.
    Cue(Cue),
    /// A word (index into the sentence's words).
    Word(usize),
    /// A pair of neighbouring words (indices of both).
    Pair(usize, usize),
    /// Anything else: length, position, opening word, counts, kind.
    Shape,
}

/// One active feature of a clause: its slot in the weight table, value and origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Active {
    /// Index into the weight table.
    pub index: u32,
    /// Feature value.
    pub value: f32,
    /// Where it comes from.
    pub origin: Origin,
}

/// What the model reads of one clause.
#[derive(Debug, Clone)]
pub struct ClauseInput<'a, 'w> {
    /// The words of the whole sentence.
    pub words: &'a [Word<'w>],
    /// The clause's words within them.
    pub range: Range<usize>,
    /// Its cues.
    pub features: &'a ClauseFeatures,
    /// The kind the rules give it.
    pub kind: ClaimKind,
    /// Its index among the sentence's clauses.
    pub clause: usize,
    /// How many clauses the sentence has.
    pub clauses: usize,
}

/// 64-bit FNV-1a over a template tag and its parts (stable across platforms and builds).
fn hash(tag: &str, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(tag.as_bytes());
    for p in parts {
        eat(&[0xff]);
        eat(p.as_bytes());
    }
    h
}

/// The form a token takes in word features: numbers by shape, words lowercased, the
/// currency and percent signs kept, other punctuation dropped.
fn token_form<'a>(w: &'a Word<'_>) -> Option<&'a str> {
    if w.has_digit() {
        let digits: String = w.text.chars().filter(char::is_ascii_digit).collect();
        let lower = w.lower.as_str();
        return Some(
            if digits.len() == 4
                && w.text.len() == 4
                && matches!(digits.parse::<u32>(), Ok(1900..=2099))
            {
                "#year"
            } else if ["st", "nd", "rd", "th"].iter().any(|s| lower.ends_with(s)) {
                "#ordinal"
            } else if lower.contains('%') {
                "#percent"
            } else if w.text.contains('.') {
                "#decimal"
            } else if digits.len() >= 4 {
                "#large"
            } else {
                "#number"
            },
        );
    }
    if w.is_word() {
        return Some(w.lower.as_str());
    }
    matches!(w.text, "$" | "%" | "€" | "£").then_some(w.text)
}

fn kind_name(k: ClaimKind) -> &'static str {
    match k {
        ClaimKind::Numeric => "numeric",
        ClaimKind::Event => "event",
        ClaimKind::Attributed => "attributed",
        ClaimKind::Comparison => "comparison",
        ClaimKind::Causal => "causal",
        ClaimKind::Prediction => "prediction",
    }
}

fn bin(n: usize, edges: &[usize]) -> usize {
    edges.iter().take_while(|&&e| n > e).count()
}

const BINS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The active features of a clause, merged by slot, for a table of `2^bits` weights.
pub fn active(input: &ClauseInput<'_, '_>, bits: u8) -> Vec<Active> {
    let mask = (1u64 << bits) - 1;
    let mut out: Vec<Active> = Vec::with_capacity(64);
    let mut push = |h: u64, value: f32, origin: Origin| {
        out.push(Active {
            index: (h & mask) as u32,
            value,
            origin,
        });
    };
    let f = input.features;
    for e in &f.evidence {
        push(hash("cue", &[e.cue.name()]), e.value, Origin::Cue(e.cue));
    }
    for (flag, on) in [
        ("attribution_leads", f.attribution_leads),
        ("strong_causal", f.strong_causal),
        ("strong_comparison", f.strong_comparison),
    ] {
        if on {
            push(hash("flag", &[flag]), 1.0, Origin::Shape);
        }
    }
    push(hash("kind", &[kind_name(input.kind)]), 1.0, Origin::Shape);
    let forms: Vec<(usize, &str)> = input
        .range
        .clone()
        .filter_map(|i| token_form(&input.words[i]).map(|t| (i, t)))
        .collect();
    for &(i, t) in &forms {
        push(hash("w", &[t]), 1.0, Origin::Word(i));
    }
    for pair in forms.windows(2) {
        push(
            hash("b", &[pair[0].1, pair[1].1]),
            1.0,
            Origin::Pair(pair[0].0, pair[1].0),
        );
    }
    if let Some(&(_, first)) = forms.first() {
        push(hash("open", &[first]), 1.0, Origin::Shape);
    }
    let n_words = forms.len();
    push(
        hash("len", &[BINS[bin(n_words, &[3, 6, 10, 15, 22, 30, 45])]]),
        1.0,
        Origin::Shape,
    );
    let first_word = input.range.clone().find(|&i| input.words[i].is_word());
    let caps = input
        .range
        .clone()
        .filter(|&i| {
            let w = &input.words[i];
            Some(i) != first_word && w.is_word() && w.is_capitalised() && w.lower != "i"
        })
        .count();
    push(
        hash("caps", &[BINS[bin(caps, &[0, 1, 2, 4])]]),
        1.0,
        Origin::Shape,
    );
    let numbers = forms.iter().filter(|(_, t)| t.starts_with('#')).count();
    push(
        hash("nums", &[BINS[bin(numbers, &[0, 1, 2])]]),
        1.0,
        Origin::Shape,
    );
    let place = if input.clauses == 1 {
        "whole"
    } else if input.clause == 0 {
        "first"
    } else {
        "later"
    };
    push(hash("place", &[place]), 1.0, Origin::Shape);
    out.sort_by_key(|a| a.index);
    out.dedup_by(|b, a| {
        if a.index == b.index {
            a.value = a.value.max(b.value);
            true
        } else {
            false
        }
    });
    out
}

/// The check-worthiness model's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorthinessModel {
    /// [`FEATURE_VERSION`] of the templates it was trained with.
    pub feature_version: u32,
    /// Bits of the hashed feature table.
    pub bits: u8,
    /// Log-odds of a clause with no active feature.
    pub bias: f32,
    /// One weight per slot of the table.
    pub weights: Vec<f32>,
    /// Platt scaling of the log-odds, `(a, b)`: P = σ(a·z + b), fitted on out-of-fold
    /// ClaimBuster scores so that the probability is calibrated to its labels.
    pub calibration: (f32, f32),
    /// Weight of the hand-set rules' log-odds ([`scorer::rules_logit`]), added to the
    /// learned ones as a fixed prior: the learned weights correct the rules rather than
    /// replace them.
    #[serde(default)]
    pub rules_weight: f32,
}

/// A clause's probability and what drove it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// P(check-worthy), in [0, 1].
    pub probability: f32,
    /// Each active feature's contribution (weight × value) with its origin.
    pub contributions: Vec<(Origin, f32)>,
}

impl WorthinessModel {
    /// The log-odds of a clause's features.
    pub fn logit(&self, active: &[Active]) -> f32 {
        self.bias
            + active
                .iter()
                .map(|a| self.weights[a.index as usize] * a.value)
                .sum::<f32>()
    }

    /// The calibrated probability of raw log-odds.
    pub fn probability(&self, z: f32) -> f32 {
        sigmoid(self.calibration.0 * z + self.calibration.1)
    }

    /// Scores a clause; contributions are in calibrated log-odds (a cue's includes its
    /// share of the rules' prior).
    pub fn predict(&self, input: &ClauseInput<'_, '_>) -> Prediction {
        let active = active(input, self.bits);
        let z = self.logit(&active) + self.rules_weight * scorer::rules_logit(input.features);
        let a = self.calibration.0;
        let mut contributions: Vec<(Origin, f32)> = active
            .iter()
            .map(|x| (x.origin, a * self.weights[x.index as usize] * x.value))
            .collect();
        for e in &input.features.evidence {
            let prior = a * self.rules_weight * scorer::weight(e.cue) * e.value;
            match contributions
                .iter_mut()
                .find(|(o, _)| *o == Origin::Cue(e.cue))
            {
                Some((_, c)) => *c += prior,
                None => contributions.push((Origin::Cue(e.cue), prior)),
            }
        }
        Prediction {
            probability: self.probability(z),
            contributions,
        }
    }
}

/// Terms (words, word pairs) kept per clause for its reason.
const MAX_TERMS: usize = 4;

/// Smallest contribution, in log-odds, for a term to be named in a reason.
const MIN_TERM_EFFECT: f32 = 0.25;

/// True for a word worth naming in a reason: a number or a word that is not a function
/// word, pronoun, auxiliary or conjunction ("by", "its", "has", "and" say nothing to a
/// reader even when they weigh).
fn content(w: &Word) -> bool {
    use super::lexicon::{self, has};
    w.has_digit()
        || (w.is_word()
            && w.lower.chars().count() > 2
            && ![
                lexicon::FUNCTION_WORDS,
                lexicon::PERSONAL,
                lexicon::AUXILIARIES,
                lexicon::DETERMINERS,
                lexicon::SUBORDINATORS,
                lexicon::CLAUSE_CONJUNCTIONS,
            ]
            .iter()
            .any(|list| has(list, &w.lower)))
}

/// Scores a clause with the learned model: its probability, the contribution of each cue
/// and the strongest words and word pairs.
pub fn learned(model: &WorthinessModel, words: &[Word], input: &ClauseInput<'_, '_>) -> Scored {
    let p = model.predict(input);
    let mut contributions: Vec<(Cue, f32)> = Vec::new();
    let mut terms: Vec<(String, f32)> = Vec::new();
    for (origin, c) in p.contributions {
        match origin {
            Origin::Cue(cue) => contributions.push((cue, c)),
            Origin::Word(i) if c.abs() >= MIN_TERM_EFFECT && content(&words[i]) => {
                terms.push((words[i].text.to_owned(), c));
            }
            Origin::Pair(i, j)
                if c.abs() >= MIN_TERM_EFFECT && (content(&words[i]) || content(&words[j])) =>
            {
                terms.push((format!("{} {}", words[i].text, words[j].text), c));
            }
            _ => {}
        }
    }
    contributions.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    terms.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    terms.dedup_by(|b, a| a.0 == b.0);
    terms.truncate(MAX_TERMS);
    Scored {
        score: p.probability,
        contributions,
        terms,
        learned: true,
    }
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The shipped model, loaded once; None (with a warning) when it is absent or unusable.
pub fn default_model() -> Option<Arc<LoadedModel<WorthinessModel>>> {
    static MODEL: OnceLock<Option<Arc<LoadedModel<WorthinessModel>>>> = OnceLock::new();
    model_file::load_shipped(
        &MODEL,
        DEFAULT_MODEL_FILE,
        MODEL_KIND,
        |m: &WorthinessModel| {
            m.feature_version == FEATURE_VERSION && m.weights.len() == 1usize << m.bits
        },
        "claims are scored by the hand-set rules",
    )
}
