//! The techniques model as used at run time: span identification, then technique
//! classification, then calibration, with an explanation built from what drove each
//! prediction.

use serde::{Deserialize, Serialize};
use unspin_segment::{OffsetMap, Segmentation};

use super::calibration::Calibrator;
use crate::analyse::techniques::classify::model::{Classification, TechniqueClassifier};
use crate::analyse::techniques::sentence::features::{N_INPUTS, sentence_inputs};
use crate::analyse::techniques::sentence::{SentenceLayer, SentenceScore};
use crate::analyse::techniques::span::model::{ProposedSpan, SpanModel};
use crate::analysis::Technique;

/// Model kind written in the model file header.
pub const MODEL_KIND: &str = "techniques";

/// File name of the default model in the `models/` folder.
pub const DEFAULT_MODEL_FILE: &str = "techniques-ptc-v4.unspin";

/// How well the model detects one technique, measured out of fold during training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechniqueReliability {
    /// The technique.
    pub technique: Technique,
    /// Full-task F1 (span and technique both right) in cross-validation.
    pub f1: f32,
    /// Gold spans of this technique in the training data.
    pub support: usize,
    /// Whether the model detects it reliably enough to be shown without a warning.
    pub reliable: bool,
}

/// Everything the techniques analyser needs, as stored in the model file's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TechniquesModel {
    /// Finds the passages.
    pub span: SpanModel,
    /// Names their technique.
    pub classifier: TechniqueClassifier,
    /// Maps the raw score to the probability of being right.
    pub calibrator: Calibrator,
    /// Per-technique reliability, indexed like [`Technique::ALL`].
    pub reliability: Vec<TechniqueReliability>,
    /// P(persuasive) per sentence; `None` in the out-of-fold models used while training.
    pub sentence: Option<SentenceLayer>,
}

/// One detected technique span before it is written into an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The technique.
    pub technique: Technique,
    /// Uncalibrated score: span score × technique probability.
    pub raw: f32,
    /// Calibrated probability of being right.
    pub confidence: f32,
    /// Plain-words reasons.
    pub explanation: String,
    /// False when the model card marks the technique as weak.
    pub reliable: bool,
}

/// A reader-facing name for a technique.
pub fn display_name(t: Technique) -> &'static str {
    match t {
        Technique::LoadedLanguage => "loaded language",
        Technique::NameCallingLabeling => "name calling / labelling",
        Technique::Repetition => "repetition",
        Technique::Doubt => "doubt",
        Technique::ExaggerationMinimisation => "exaggeration / minimisation",
        Technique::AppealToFearPrejudice => "appeal to fear / prejudice",
        Technique::FlagWaving => "flag-waving",
        Technique::CausalOversimplification => "causal oversimplification",
        Technique::AppealToAuthority => "appeal to authority",
        Technique::Slogans => "slogan",
        Technique::BlackAndWhiteFallacy => "black-and-white fallacy",
        Technique::WhataboutismStrawMenRedHerring => "whataboutism / straw man / red herring",
        Technique::ThoughtTerminatingCliches => "thought-terminating cliché",
        Technique::BandwagonReductioAdHitlerum => "bandwagon / reductio ad hitlerum",
    }
}

impl TechniquesModel {
    /// The passages the span model proposes, as they are highlighted: split at line breaks,
    /// bare links left out.
    pub fn proposals(&self, text: &str, seg: &Segmentation) -> Vec<ProposedSpan> {
        self.proposals_and_sentence_inputs(text, seg).0
    }

    /// The proposals (see [`Self::proposals`]) and the sentence layer's inputs for every
    /// sentence, from one pass of the span model.
    pub fn proposals_and_sentence_inputs(
        &self,
        text: &str,
        seg: &Segmentation,
    ) -> (Vec<ProposedSpan>, Vec<[f32; N_INPUTS]>) {
        let offsets = OffsetMap::new(text);
        let scores = self.span.token_scores(text, seg);
        let decoded = self.span.decode(text, &scores, &self.span.decode_config());
        let mut proposals = split_at_line_breaks(text, &offsets, decoded);
        // A bare link is a source line, not rhetoric: the training articles have none, so the
        // span model's scores there mean nothing.
        proposals.retain(|p| !is_link(offsets.slice(text, p.start, p.end)));
        let proposed: Vec<bool> = seg
            .sentences
            .iter()
            .map(|s| proposals.iter().any(|p| p.start < s.end && s.start < p.end))
            .collect();
        let inputs = sentence_inputs(&scores, self.span.threshold(), &proposed);
        (proposals, inputs)
    }

    /// Detections with calibrated confidences and, when the model has a sentence layer, a
    /// score for every sentence of the segmentation, from one pass of the span model.
    pub fn detect_with_sentences(
        &self,
        text: &str,
        seg: &Segmentation,
    ) -> (Vec<Detection>, Vec<SentenceScore>) {
        let (proposals, inputs) = self.proposals_and_sentence_inputs(text, seg);
        let detections = self.calibrated(self.classify_proposals(text, seg, &proposals));
        let sentences = match &self.sentence {
            Some(layer) => self.score_sentences(layer, text, seg, &inputs),
            None => Vec::new(),
        };
        (detections, sentences)
    }

    /// Scores every sentence with `layer`, naming its likely techniques with the classifier
    /// run on the whole sentence.
    pub fn score_sentences(
        &self,
        layer: &SentenceLayer,
        text: &str,
        seg: &Segmentation,
        inputs: &[[f32; N_INPUTS]],
    ) -> Vec<SentenceScore> {
        let ranges: Vec<(usize, usize)> = seg.sentences.iter().map(|s| (s.start, s.end)).collect();
        let classes = self.classifier.classify(text, seg, &ranges);
        inputs
            .iter()
            .zip(&classes)
            .enumerate()
            .map(|(i, (x, c))| layer.score(i, x, &c.probs))
            .collect()
    }

    /// Detects technique spans in a segmented text, raw scores only (no calibration), one
    /// per proposed span with its most likely technique.
    pub fn detect_raw(&self, text: &str, seg: &Segmentation) -> Vec<Detection> {
        self.classify_proposals(text, seg, &self.proposals(text, seg))
    }

    /// Names the technique of already proposed passages (see [`Self::proposals`]), raw
    /// scores only.
    pub fn classify_proposals(
        &self,
        text: &str,
        seg: &Segmentation,
        proposals: &[ProposedSpan],
    ) -> Vec<Detection> {
        let spans: Vec<(usize, usize)> = proposals.iter().map(|p| (p.start, p.end)).collect();
        let classes = self.classifier.classify(text, seg, &spans);
        let offsets = OffsetMap::new(text);
        let words = super::explain::ArticleWords::new(text);
        proposals
            .iter()
            .zip(&classes)
            .map(|(p, c)| {
                let (i, prob) = best(c);
                let technique = Technique::ALL[i];
                Detection {
                    start: p.start,
                    end: p.end,
                    technique,
                    raw: p.score * prob,
                    confidence: p.score * prob,
                    explanation: explain(text, &words, &offsets, seg, technique, prob, p, c),
                    reliable: self.reliability.get(i).is_none_or(|r| r.reliable),
                }
            })
            .collect()
    }

    /// Detects technique spans with calibrated confidences.
    pub fn detect(&self, text: &str, seg: &Segmentation) -> Vec<Detection> {
        self.calibrated(self.detect_raw(text, seg))
    }

    /// The detections with their raw scores mapped through the calibrator.
    fn calibrated(&self, mut detections: Vec<Detection>) -> Vec<Detection> {
        for d in &mut detections {
            d.confidence = self.calibrator.apply(d.raw);
        }
        detections
    }
}

/// Splits proposed spans at line breaks (paragraph boundaries): a highlight never runs from
/// one paragraph into the next. Each piece is trimmed of surrounding whitespace, keeps the
/// span's score and the cues found in its own line, and is dropped if it holds no word.
fn split_at_line_breaks(
    text: &str,
    offsets: &OffsetMap,
    proposals: Vec<ProposedSpan>,
) -> Vec<ProposedSpan> {
    let mut out = Vec::with_capacity(proposals.len());
    for p in proposals {
        let covered = offsets.slice(text, p.start, p.end);
        if !covered.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
            out.push(p);
            continue;
        }
        let mut piece_start = p.start;
        for (start, c) in (p.start..).zip(covered.chars().chain(std::iter::once('\n'))) {
            if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                let piece = offsets.slice(text, piece_start, start);
                // The segmenter's spaces (U+FEFF and U+200B too): never a span's edge.
                let space = |c: &char| unspin_segment::is_space(*c);
                let lead = piece.chars().take_while(space).count();
                let trail = piece.chars().rev().take_while(space).count();
                let (s, e) = (piece_start + lead, start.saturating_sub(trail));
                if s < e && piece.chars().any(char::is_alphanumeric) {
                    let line = line_around(text, offsets, s);
                    out.push(ProposedSpan {
                        start: s,
                        end: e,
                        score: p.score,
                        cues: p
                            .cues
                            .iter()
                            .filter(|c| line.contains(c.text.as_str()))
                            .cloned()
                            .collect(),
                    });
                }
                piece_start = start + 1;
            }
        }
    }
    out
}

/// The line of `text` holding code point `at`.
fn line_around<'a>(text: &'a str, offsets: &OffsetMap, at: usize) -> &'a str {
    let b = offsets.char_to_byte(at);
    let is_break = |c: char| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
    let from = text[..b].rfind(is_break).map_or(0, |i| i + 1);
    let to = text[b..].find(is_break).map_or(text.len(), |i| b + i);
    &text[from..to]
}

/// True for a span that is only a URL or a bare domain-like token.
fn is_link(span: &str) -> bool {
    let t = span.trim();
    !t.contains(char::is_whitespace) && (t.contains("://") || t.starts_with("www."))
}

/// Index and probability of the most likely technique.
fn best(c: &Classification) -> (usize, f32) {
    c.probs.iter().copied().enumerate().fold(
        (0, f32::MIN),
        |acc, (i, p)| if p > acc.1 { (i, p) } else { acc },
    )
}

/// The explanation of one detection (see [`explain`](super::explain)): the passage's
/// content words that fit the technique, and the technique's definition.
#[allow(clippy::too_many_arguments)]
fn explain(
    text: &str,
    words: &super::explain::ArticleWords,
    offsets: &OffsetMap,
    seg: &Segmentation,
    t: Technique,
    prob: f32,
    span: &ProposedSpan,
    class: &Classification,
) -> String {
    let (ss, se) = super::explain::sentence_bounds(seg, span.start, span.end);
    let passage = super::explain::Passage {
        article: text,
        words,
        span: offsets.slice(text, span.start, span.end),
        sentence: offsets.slice(text, ss, se),
    };
    super::explain::explain(t, prob, &passage, &span.cues, class)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::techniques::span::model::Cue;

    #[test]
    fn highlights_never_cross_a_line_break() {
        let text = "Their “plan” is a disgrace.\nWho benefits?\n\nThe élite, again.";
        let offsets = OffsetMap::new(text);
        let n = text.chars().count();
        let cue = |t: &str| Cue {
            text: t.into(),
            why: "test".into(),
            weight: 1.0,
        };
        let p = ProposedSpan {
            start: 6,
            end: n,
            score: 0.5,
            cues: vec![cue("disgrace"), cue("élite")],
        };
        let pieces = split_at_line_breaks(text, &offsets, vec![p]);
        let texts: Vec<&str> = pieces
            .iter()
            .map(|p| offsets.slice(text, p.start, p.end))
            .collect();
        assert_eq!(
            texts,
            [
                "“plan” is a disgrace.",
                "Who benefits?",
                "The élite, again."
            ]
        );
        assert_eq!(pieces[0].cues.len(), 1);
        assert_eq!(pieces[0].cues[0].text, "disgrace");
        assert!(pieces[1].cues.is_empty());
        assert_eq!(pieces[2].cues[0].text, "élite");
        assert!(is_link("https://example.org/a"));
        assert!(!is_link("a link to example.org"));
    }
}
