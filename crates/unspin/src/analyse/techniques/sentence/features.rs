//! What the sentence layer reads of one sentence: summaries of the span model's token
//! scores inside it.

use crate::analyse::techniques::span::model::TokenScores;

/// Number of inputs per sentence.
pub const N_INPUTS: usize = 7;

/// Names of the inputs, in order (for the model card and tests).
pub const INPUT_NAMES: [&str; N_INPUTS] = [
    "max P(inside)",
    "mean P(inside)",
    "share of tokens over the span threshold",
    "span model's sentence score",
    "neural tagger's max P(inside)",
    "proposed span in the sentence",
    "log word count",
];

/// The inputs of every sentence of an article, in sentence order. `threshold` is the span
/// model's decision threshold; `proposed[i]` says whether a proposed span overlaps
/// sentence `i`.
pub fn sentence_inputs(
    scores: &TokenScores,
    threshold: f32,
    proposed: &[bool],
) -> Vec<[f32; N_INPUTS]> {
    let sent_scores = scores.sentence_scores();
    scores
        .sentence_tokens()
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| {
            let p = &scores.p_in[a..b];
            let n = p.len().max(1) as f32;
            let max = p.iter().copied().fold(0.0f32, f32::max);
            let mean = p.iter().sum::<f32>() / n;
            let over = p.iter().filter(|&&x| x >= threshold).count() as f32 / n;
            let sent = sent_scores.and_then(|s| s.get(i).copied()).unwrap_or(0.0);
            let dense = scores
                .p_dense
                .as_ref()
                .map_or(0.0, |d| d[a..b].iter().copied().fold(0.0f32, f32::max));
            let prop = if proposed.get(i).copied().unwrap_or(false) {
                1.0
            } else {
                0.0
            };
            [
                max,
                mean,
                over,
                sent,
                dense,
                prop,
                (1.0 + (b - a) as f32).ln(),
            ]
        })
        .collect()
}
