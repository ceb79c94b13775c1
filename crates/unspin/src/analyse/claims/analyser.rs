//! The claims analyser: splits every sentence into clauses, scores each for
//! check-worthiness, and reports those above a floor, ranked by score.

use unspin_segment::{ParagraphKind, Segmentation};

use crate::analyse::Analyser;
use crate::analysis::{Actor, Analysis, Claim, ClaimKind};
use crate::document::Document;
use crate::error::Error;
use crate::span::TextSpan;

use super::clauses;
use super::features::{self, ClauseFeatures, Cue};
use super::reason::reason;
use super::scorer::{self, Scored};
use super::speaker;
use super::words::{Word, sentence_words};
use super::worthiness::{self, ClauseInput, WorthinessModel};

/// Clauses scoring below this are not claims at all. Zero: every clause that states
/// something is a claim with its score (what reports show is [`REPORT_THRESHOLD`]'s choice).
pub const MIN_SCORE: f32 = 0.0;

/// Claims scoring at least this are shown in the terminal and HTML reports ("worth
/// checking": the checkable ones, from 0.5, and the borderline ones); the JSON lists every
/// claim with its score. Chosen on the project's dev set of news articles, where the
/// debate-trained probabilities run low: from 0.3 the reports show about as many of its
/// relevant clauses as the hand-set rules did, with one more false alarm (docs/claims.md).
pub const REPORT_THRESHOLD: f32 = 0.3;

/// Fewest words a clause needs to be scored at all.
const MIN_CLAUSE_WORDS: usize = 3;

/// One scored clause, reported or not.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredClause {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Its cues and numbers.
    pub features: ClauseFeatures,
    /// Its score and the contribution of each cue.
    pub scored: Scored,
    /// The kind of claim it would be.
    pub kind: ClaimKind,
    /// Numbers and dates in it.
    pub numbers: Vec<TextSpan>,
}

/// One clause of a sentence before scoring: its words, cues and kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseParts {
    /// The clause's words (indices into the sentence's words), separators trimmed.
    pub words: std::ops::Range<usize>,
    /// Its cues and numbers.
    pub features: ClauseFeatures,
    /// The kind of claim it would be.
    pub kind: ClaimKind,
    /// Its index among the sentence's clauses that are long enough to score.
    pub clause: usize,
    /// How many such clauses the sentence has.
    pub clauses: usize,
}

impl ClauseParts {
    /// What the learned model reads of it.
    pub fn input<'a, 'w>(&'a self, words: &'a [Word<'w>]) -> ClauseInput<'a, 'w> {
        ClauseInput {
            words,
            range: self.words.clone(),
            features: &self.features,
            kind: self.kind,
            clause: self.clause,
            clauses: self.clauses,
        }
    }
}

/// Splits a sentence's words into clauses long enough to score and finds the cues of each.
pub fn sentence_clauses(words: &[Word], heading: bool) -> Vec<ClauseParts> {
    let mut out: Vec<ClauseParts> = clauses::split(words)
        .into_iter()
        .filter_map(|range| {
            let (first, last) = trimmed(words, range.clone())?;
            let n_words = words[first..=last].iter().filter(|w| w.is_word()).count();
            if n_words < MIN_CLAUSE_WORDS {
                return None;
            }
            let features = features::extract(words, range, heading);
            let kind = scorer::kind(&features);
            Some(ClauseParts {
                words: first..last + 1,
                features,
                kind,
                clause: 0,
                clauses: 0,
            })
        })
        .collect();
    let n = out.len();
    for (i, c) in out.iter_mut().enumerate() {
        c.clause = i;
        c.clauses = n;
    }
    out
}

/// True when a clause states something: it is not a question. Every such clause (of at
/// least three words) is a claim with its score, verbless ones too ("Health insurance
/// premiums, up $2,500."); questions never are.
pub fn states_something(f: &ClauseFeatures) -> bool {
    !f.has(Cue::Question)
}

/// Scores a clause with the learned model when there is one, else with the hand-set rules.
pub fn score_clause(
    model: Option<&WorthinessModel>,
    words: &[Word],
    parts: &ClauseParts,
) -> Scored {
    match model {
        Some(m) => worthiness::learned(m, words, &parts.input(words)),
        None => scorer::score(&parts.features),
    }
}

/// Splits every sentence into clauses and scores each, in text order, with the shipped
/// model (or the rules without it).
pub fn score_clauses(doc: &Document, seg: &Segmentation) -> Vec<ScoredClause> {
    let model = worthiness::default_model();
    score_clauses_with(doc, seg, model.as_deref().map(|m| &m.model))
}

/// Like [`score_clauses`], with the model given (None: the rules).
pub fn score_clauses_with(
    doc: &Document,
    seg: &Segmentation,
    model: Option<&WorthinessModel>,
) -> Vec<ScoredClause> {
    let mut out = Vec::new();
    for (si, words) in sentence_words(doc, seg).iter().enumerate() {
        let heading = seg
            .paragraphs
            .get(seg.sentences[si].paragraph)
            .is_some_and(|p| p.kind == ParagraphKind::Heading);
        for parts in sentence_clauses(words, heading) {
            let scored = score_clause(model, words, &parts);
            let numbers = parts
                .features
                .numbers
                .iter()
                .map(|n| doc.span(words[n.words.start].start, words[n.words.end - 1].end))
                .collect();
            out.push(ScoredClause {
                start: words[parts.words.start].start,
                end: words[parts.words.end - 1].end,
                sentence: si,
                features: parts.features,
                scored,
                kind: parts.kind,
                numbers,
            });
        }
    }
    out
}

/// First and last word of a clause without the separators at its edges.
fn trimmed(words: &[Word], range: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let sep = |w: &Word| matches!(w.text, "," | ";" | ":" | "–" | "—" | "-");
    let first = range.clone().find(|&i| !sep(&words[i]))?;
    let last = range.rev().find(|&i| !sep(&words[i]))?;
    (first <= last).then_some((first, last))
}

/// Ids of the actors with a mention inside `start..end`.
fn actors_within(actors: &[Actor], start: usize, end: usize) -> Vec<String> {
    actors
        .iter()
        .filter(|a| a.mentions.iter().any(|m| m.start >= start && m.end <= end))
        .map(|a| a.id.clone())
        .collect()
}

/// Builds the ranked claims of a document from its scored clauses: those at or above
/// `min_score`, highest first (ties in text order), with the actors of `actors` they mention.
pub fn ranked_claims(
    doc: &Document,
    clauses: &[ScoredClause],
    actors: &[Actor],
    min_score: f32,
) -> Vec<Claim> {
    let mut claims: Vec<Claim> = clauses
        .iter()
        .filter(|c| states_something(&c.features) && c.scored.score >= min_score)
        .map(|c| Claim {
            start: c.start,
            end: c.end,
            text: doc.slice(c.start, c.end).to_owned(),
            score: c.scored.score,
            kind: c.kind,
            actors: actors_within(actors, c.start, c.end),
            numbers: c.numbers.clone(),
            reason: reason(&c.features, &c.scored),
            speaker: speaker::speaker_at(doc, c.start),
            speaker_actor: speaker::speaker_actor_at(doc, actors, c.start),
        })
        .collect();
    claims.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    claims
}

/// Finds check-worthy claims in English text.
#[derive(Debug, Clone)]
pub struct ClaimAnalyser {
    min_score: f32,
}

impl Default for ClaimAnalyser {
    fn default() -> Self {
        ClaimAnalyser {
            min_score: MIN_SCORE,
        }
    }
}

impl ClaimAnalyser {
    /// An analyser reporting clauses that score at least `min_score`.
    pub fn new(min_score: f32) -> Self {
        ClaimAnalyser { min_score }
    }
}

impl Analyser for ClaimAnalyser {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn languages(&self) -> &[&'static str] {
        &["en"]
    }

    fn models(&self) -> Vec<crate::analysis::ModelInfo> {
        worthiness::default_model()
            .map(|m| m.info())
            .into_iter()
            .collect()
    }

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        let clauses = score_clauses(doc, seg);
        out.claims = ranked_claims(doc, &clauses, &out.actors, self.min_score);
        Ok(())
    }
}
