//! The fitted sentence layer and what it says of one sentence.

use serde::{Deserialize, Serialize};

use super::features::N_INPUTS;
use crate::analysis::Technique;

/// A logistic model from a sentence's [inputs](super::features) to P(persuasive), and the
/// probability from which a sentence is marked as persuasive in reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceLayer {
    /// One weight per input.
    pub weights: [f32; N_INPUTS],
    /// The intercept.
    pub bias: f32,
    /// Marks a sentence as persuasive from this probability on (chosen for F1 out of fold).
    pub threshold: f32,
}

/// What the sentence layer says of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceScore {
    /// Index into the segmentation's sentences.
    pub sentence: usize,
    /// Calibrated probability that the sentence uses a persuasion technique.
    pub probability: f32,
    /// True when `probability` reaches the layer's threshold.
    pub persuasive: bool,
    /// The likely techniques, most likely first, each with P(persuasive) × the technique
    /// classifier's probability for the sentence; only those of at least 0.1.
    pub techniques: Vec<(Technique, f32)>,
}

impl SentenceLayer {
    /// P(persuasive) of a sentence with these inputs.
    pub fn probability(&self, x: &[f32; N_INPUTS]) -> f32 {
        let z: f32 = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The sentence's score, given its inputs and the technique classifier's probabilities
    /// for the whole sentence (indexed like [`Technique::ALL`]).
    pub fn score(
        &self,
        sentence: usize,
        x: &[f32; N_INPUTS],
        technique_probs: &[f32],
    ) -> SentenceScore {
        let probability = self.probability(x);
        let mut techniques: Vec<(Technique, f32)> = Technique::ALL
            .iter()
            .zip(technique_probs)
            .map(|(&t, &p)| (t, probability * p))
            .filter(|&(_, p)| p >= 0.1)
            .collect();
        techniques.sort_by(|a, b| b.1.total_cmp(&a.1));
        SentenceScore {
            sentence,
            probability,
            persuasive: probability >= self.threshold,
            techniques,
        }
    }
}
