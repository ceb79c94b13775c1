//! How sure an attribution is: the probability that a quote's speaker is right, from the
//! signals of how the speaker was found (named in the reporting clause, a surname, a role
//! phrase, a pronoun and how it was resolved, carried over from the quote before, an
//! unnamed group, none), the cue, the quote's kind and how far the speaker stands from it.
//!
//! The model is a logistic regression over those signals, trained on PolNeAR attributions
//! (`unspin train attribution`, [`trainer`](super::confidence_trainer)) and shipped as
//! `models/attribution-confidence-v1.unspin`; its cross-validated calibration is in the
//! file's header and in `docs/actors-quotes.md`. Without a model file every quote's
//! confidence is `None`.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::analyse::model_file::{self, LoadedModel};
use crate::analysis::{ActorType, MentionKind, QuoteKind};

/// Kind of model file this module reads and writes.
pub const MODEL_KIND: &str = "attribution-confidence";

/// File name of the shipped model, looked for in the model folders.
pub const DEFAULT_MODEL_FILE: &str = "attribution-confidence-v1.unspin";

/// How a quote's speaker was found, as the confidence model sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signals {
    /// The quote's kind.
    pub kind: Option<QuoteKind>,
    /// A cue frames the quote.
    pub cue: bool,
    /// The cue is one of the plain reporting verbs (said, says, told, according to).
    pub plain_cue: bool,
    /// The speaker was carried over: 1 from the quote before, 2 from the next paragraph.
    pub carried: u8,
    /// Kind of the speaker's mention, when a mention names it.
    pub mention: Option<MentionKind>,
    /// A pronoun resolved to the last person who spoke.
    pub pronoun_spoke: bool,
    /// A pronoun resolved to the last person named.
    pub pronoun_last_named: bool,
    /// Words name the speaker but no actor (a group, an unnamed source).
    pub unnamed: bool,
    /// The resolved actor's type.
    pub actor: Option<ActorType>,
    /// The speaker stands after the cue ("said X").
    pub inverted: bool,
    /// Words between the speaker and the nearest end of the quote.
    pub distance: usize,
    /// Words of the quote.
    pub words: usize,
    /// People named in the document.
    pub people: usize,
}

/// Names of the features, in the order of [`features`].
pub const FEATURES: &[&str] = &[
    "bias",
    "kind=direct",
    "kind=partial",
    "kind=mixed",
    "kind=indirect",
    "cue",
    "plain_cue",
    "carried=previous",
    "carried=next",
    "mention=name",
    "mention=surname",
    "mention=role",
    "mention=pronoun",
    "pronoun=spoke",
    "pronoun=last_named",
    "unnamed",
    "no_speaker",
    "actor=person",
    "actor=organisation",
    "actor=country",
    "actor=place_or_document",
    "inverted",
    "log_distance",
    "log_words",
    "log_people",
];

/// The feature vector of some signals.
pub fn features(s: &Signals) -> Vec<f64> {
    let b = |x: bool| f64::from(u8::from(x));
    let no_speaker = s.mention.is_none() && !s.unnamed;
    vec![
        1.0,
        b(s.kind == Some(QuoteKind::Direct)),
        b(s.kind == Some(QuoteKind::Partial)),
        b(s.kind == Some(QuoteKind::Mixed)),
        b(s.kind == Some(QuoteKind::Indirect)),
        b(s.cue),
        b(s.plain_cue),
        b(s.carried == 1),
        b(s.carried == 2),
        b(s.mention == Some(MentionKind::Name)),
        b(s.mention == Some(MentionKind::Surname)),
        b(s.mention == Some(MentionKind::RolePhrase)),
        b(s.mention == Some(MentionKind::Pronoun)),
        b(s.pronoun_spoke),
        b(s.pronoun_last_named),
        b(s.unnamed),
        b(no_speaker),
        b(s.actor == Some(ActorType::Person)),
        b(s.actor == Some(ActorType::Organisation)),
        b(s.actor == Some(ActorType::Country)),
        b(matches!(
            s.actor,
            Some(ActorType::Place | ActorType::Document)
        )),
        b(s.inverted),
        (s.distance as f64).ln_1p(),
        (s.words as f64).ln_1p(),
        (s.people as f64).ln_1p(),
    ]
}

/// A logistic regression over [`FEATURES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceModel {
    /// Feature names, checked against [`FEATURES`] when loaded.
    pub features: Vec<String>,
    /// One weight per feature.
    pub weights: Vec<f64>,
}

impl ConfidenceModel {
    /// The probability that the speaker is right.
    pub fn probability(&self, s: &Signals) -> f64 {
        let z: f64 = features(s)
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| x * w)
            .sum();
        1.0 / (1.0 + (-z).exp())
    }
}

/// The shipped model, loaded once per process from the model folders; `None` when no file
/// is found or it cannot be read (a warning says why, once).
pub fn default_model() -> Option<Arc<LoadedModel<ConfidenceModel>>> {
    static MODEL: OnceLock<Option<Arc<LoadedModel<ConfidenceModel>>>> = OnceLock::new();
    model_file::load_shipped(
        &MODEL,
        DEFAULT_MODEL_FILE,
        MODEL_KIND,
        |m: &ConfidenceModel| m.features == FEATURES,
        "attribution confidence is off",
    )
}

/// Rounds a probability to three decimals, as analyses write it.
pub fn round3(p: f64) -> f64 {
    (p * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_match_their_names() {
        assert_eq!(features(&Signals::default()).len(), FEATURES.len());
    }

    #[test]
    fn a_logistic_model_scores_signals() {
        let mut weights = vec![0.0; FEATURES.len()];
        weights[0] = -1.0;
        weights[9] = 3.0;
        let m = ConfidenceModel {
            features: FEATURES.iter().map(|s| s.to_string()).collect(),
            weights,
        };
        let named = Signals {
            mention: Some(MentionKind::Name),
            ..Signals::default()
        };
        assert!(m.probability(&named) > 0.85);
        assert!(m.probability(&Signals::default()) < 0.3);
    }
}
