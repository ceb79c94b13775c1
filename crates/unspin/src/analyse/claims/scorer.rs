//! The hand-set check-worthiness score: a logistic combination of the clause's cues with
//! weights set by hand ([`score`]), used alone without a model file and as the learned
//! model's prior ([`worthiness`](super::worthiness)); the [`Scored`] result both give; and
//! the kind of claim the cues point to.

use crate::analysis::ClaimKind;

use super::features::{ClauseFeatures, Cue};

/// Log-odds of a clause with no cue at all.
pub const BIAS: f32 = -1.0;

/// The weight of each cue, in log-odds per unit of its value.
pub fn weight(cue: Cue) -> f32 {
    match cue {
        Cue::PastEvent => 1.6,
        Cue::PerfectEvent => 0.8,
        Cue::Ongoing => 0.6,
        Cue::Quantity => 1.4,
        Cue::NumberWord => 0.6,
        Cue::Date => 1.0,
        Cue::Names => 0.5,
        Cue::Attribution => 1.0,
        Cue::Comparison => 0.5,
        Cue::Causal => 0.4,
        Cue::Future => 0.3,
        Cue::Hedge => -1.6,
        Cue::ReportedHedge => -0.6,
        Cue::Evaluative => -1.2,
        Cue::Mental => -1.0,
        Cue::Personal => -1.2,
        Cue::Question => -3.0,
        Cue::Call => -2.0,
        Cue::Idiom => -2.5,
        Cue::Conditional => -0.8,
        Cue::Exclamation => -1.0,
        Cue::Fragment => -1.2,
        Cue::Heading => -2.5,
    }
}

/// A clause's score and the contribution of each cue found, largest effect first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Check-worthiness in [0, 1] (with the learned model, P(check-worthy)).
    pub score: f32,
    /// (cue, weight × value), sorted by absolute contribution, largest first.
    pub contributions: Vec<(Cue, f32)>,
    /// With the learned model: the words and word pairs that moved the score most, as
    /// written, with their contribution (largest effect first, a few only).
    pub terms: Vec<(String, f32)>,
    /// True when the learned model gave the score, false for the hand-set weights.
    pub learned: bool,
}

/// The hand-set log-odds of a clause: [`BIAS`] plus each cue's weight × value.
pub fn rules_logit(f: &ClauseFeatures) -> f32 {
    BIAS + f
        .evidence
        .iter()
        .map(|e| weight(e.cue) * e.value)
        .sum::<f32>()
}

/// Scores a clause.
pub fn score(f: &ClauseFeatures) -> Scored {
    let mut contributions: Vec<(Cue, f32)> = f
        .evidence
        .iter()
        .map(|e| (e.cue, weight(e.cue) * e.value))
        .collect();
    contributions.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let z = BIAS + contributions.iter().map(|(_, c)| c).sum::<f32>();
    Scored {
        score: 1.0 / (1.0 + (-z).exp()),
        contributions,
        terms: Vec::new(),
        learned: false,
    }
}

/// The kind of claim the cues point to, in this order: a prediction (looks ahead, reports
/// no past event), a cause (a causal word other than "after"), a comparison with a
/// yardstick, a reported statement ("X said that …"), a measure ("8 percent", "€2 million"),
/// an event, any other figure, any other attribution, and else an event.
pub fn kind(f: &ClauseFeatures) -> ClaimKind {
    let measure = f.numbers.iter().any(|n| n.facts.measure);
    let event = f.has(Cue::PastEvent) || f.has(Cue::PerfectEvent) || f.has(Cue::Ongoing);
    if f.has(Cue::Future) && !f.has(Cue::PastEvent) {
        ClaimKind::Prediction
    } else if f.strong_causal {
        ClaimKind::Causal
    } else if f.strong_comparison {
        ClaimKind::Comparison
    } else if f.attribution_leads {
        ClaimKind::Attributed
    } else if measure {
        ClaimKind::Numeric
    } else if event {
        ClaimKind::Event
    } else if f.has(Cue::Quantity) || f.has(Cue::Date) {
        ClaimKind::Numeric
    } else if f.has(Cue::Attribution) {
        ClaimKind::Attributed
    } else {
        ClaimKind::Event
    }
}
