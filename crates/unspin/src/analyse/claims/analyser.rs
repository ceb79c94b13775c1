//! The claims analyser: splits every sentence into clauses, scores each for
//! check-worthiness, and reports those above a floor, ranked by score.

use unspin_segment::{ParagraphKind, Segmentation};

use crate::analyse::Analyser;
use crate::analysis::{Actor, Analysis, Claim, ClaimKind};
use crate::document::Document;
use crate::error::Error;
use crate::span::TextSpan;

use super::clauses;
use super::features::{self, ClauseFeatures};
use super::reason::reason;
use super::scorer::{self, Scored};
use super::words::{Word, sentence_words};

/// Clauses scoring below this are not reported as claims.
pub const MIN_SCORE: f32 = 0.4;

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

/// Splits every sentence into clauses and scores each, in text order.
pub fn score_clauses(doc: &Document, seg: &Segmentation) -> Vec<ScoredClause> {
    let mut out = Vec::new();
    for (si, words) in sentence_words(doc, seg).iter().enumerate() {
        let heading = seg
            .paragraphs
            .get(seg.sentences[si].paragraph)
            .is_some_and(|p| p.kind == ParagraphKind::Heading);
        for range in clauses::split(words) {
            let Some((first, last)) = trimmed(words, range.clone()) else {
                continue;
            };
            let n_words = words[first..=last].iter().filter(|w| w.is_word()).count();
            if n_words < MIN_CLAUSE_WORDS {
                continue;
            }
            let f = features::extract(words, range, heading);
            let scored = scorer::score(&f);
            let kind = scorer::kind(&f);
            let numbers = f
                .numbers
                .iter()
                .map(|n| doc.span(words[n.words.start].start, words[n.words.end - 1].end))
                .collect();
            out.push(ScoredClause {
                start: words[first].start,
                end: words[last].end,
                sentence: si,
                features: f,
                scored,
                kind,
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
        .filter(|c| c.scored.score >= min_score)
        .map(|c| Claim {
            start: c.start,
            end: c.end,
            text: doc.slice(c.start, c.end).to_owned(),
            score: c.scored.score,
            kind: c.kind,
            actors: actors_within(actors, c.start, c.end),
            numbers: c.numbers.clone(),
            reason: reason(&c.features, &c.scored),
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

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        let clauses = score_clauses(doc, seg);
        out.claims = ranked_claims(doc, &clauses, &out.actors, self.min_score);
        Ok(())
    }
}
