//! The techniques analyser: runs the trained model on a document and fills `techniques`.
//!
//! Which model runs is a [`TechniquesModelChoice`]: `fast` (the model of
//! [`DEFAULT_MODEL_FILE`]), `accurate` (a contextual encoder, [`ACCURATE_MODEL_FILE`]; none
//! ships in this build) or a model file by path. The default depends on the
//! [`ModelContext`] — see [`default_variant`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use unspin_segment::Segmentation;

use super::detector::{DEFAULT_MODEL_FILE, MODEL_KIND, TechniquesModel};
use crate::analyse::Analyser;
use crate::analyse::model_file::{self, LoadedModel, ModelError};
use crate::analysis::{Analysis, LikelyTechnique, ModelInfo, SentencePersuasion, TechniqueSpan};
use crate::document::Document;
use crate::error::Error;

/// File name of the `accurate` techniques model (a contextual encoder), looked for in the
/// same [`model_dirs`](model_file::model_dirs) as the `fast` one. `None`: this build ships
/// no accurate model, because cross-validation did not show a contextual model ahead of
/// `fast` (see `docs/model-card-techniques.md`).
pub const ACCURATE_MODEL_FILE: Option<&str> = None;

/// Why `accurate` cannot be used in this build (the message of the error it gives).
pub const ACCURATE_UNAVAILABLE: &str = "the \"accurate\" techniques model is not available in \
this build: cross-validation did not show a contextual model ahead of \"fast\" by 0.02 on span \
identification and technique classification (docs/model-card-techniques.md); use --model fast";

/// The role of the techniques model an analysis used, recorded in its provenance
/// ([`ModelInfo::variant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelVariant {
    /// The fast model ([`DEFAULT_MODEL_FILE`]).
    Fast,
    /// The accurate model ([`ACCURATE_MODEL_FILE`]).
    Accurate,
    /// A model file named by path.
    File,
}

impl ModelVariant {
    /// The name recorded in provenance: `fast`, `accurate` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelVariant::Fast => "fast",
            ModelVariant::Accurate => "accurate",
            ModelVariant::File => "file",
        }
    }
}

impl fmt::Display for ModelVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is being analysed; decides which model [`TechniquesModelChoice::Auto`] means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModelContext {
    /// One article: a file, a URL or standard input on the command line, a request of the
    /// web app or the API.
    Single,
    /// Many documents: folders, JSONL, WARC, corpora, benchmarks (the default).
    #[default]
    Batch,
}

/// The model [`TechniquesModelChoice::Auto`] resolves to — the documented rule: a single
/// article gets `accurate` when an accurate model is available, else `fast`; batches get
/// `fast`.
pub fn default_variant(context: ModelContext, accurate_available: bool) -> ModelVariant {
    match context {
        ModelContext::Single if accurate_available => ModelVariant::Accurate,
        ModelContext::Single | ModelContext::Batch => ModelVariant::Fast,
    }
}

/// Which techniques model to use: `--model fast|accurate|FILE`, or the API's `"model"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TechniquesModelChoice {
    /// The default for the context ([`default_variant`]); a default model that is missing
    /// leaves the techniques analyser `unavailable` rather than failing.
    #[default]
    Auto,
    /// The fast model ([`DEFAULT_MODEL_FILE`] in the model folders).
    Fast,
    /// The accurate model ([`ACCURATE_MODEL_FILE`]); an error in this build.
    Accurate,
    /// A model file by path.
    File(PathBuf),
}

impl FromStr for TechniquesModelChoice {
    type Err = String;

    /// `fast`, `accurate`, or else a path (write `./fast` for a file named `fast`).
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "" => Err("expected fast, accurate or a model file".to_owned()),
            "fast" => Ok(TechniquesModelChoice::Fast),
            "accurate" => Ok(TechniquesModelChoice::Accurate),
            path => Ok(TechniquesModelChoice::File(PathBuf::from(path))),
        }
    }
}

impl fmt::Display for TechniquesModelChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TechniquesModelChoice::Auto => f.write_str("default"),
            TechniquesModelChoice::Fast => f.write_str("fast"),
            TechniquesModelChoice::Accurate => f.write_str("accurate"),
            TechniquesModelChoice::File(p) => write!(f, "{}", p.display()),
        }
    }
}

impl TechniquesModelChoice {
    /// The model this choice means in a context: [`Auto`](Self::Auto) becomes `fast` or
    /// `accurate` by [`default_variant`]; the other choices stay as they are.
    pub fn resolve(&self, context: ModelContext) -> TechniquesModelChoice {
        match self {
            TechniquesModelChoice::Auto => {
                match default_variant(context, accurate_model_path().is_ok()) {
                    ModelVariant::Accurate => TechniquesModelChoice::Accurate,
                    _ => TechniquesModelChoice::Fast,
                }
            }
            other => other.clone(),
        }
    }

    /// The role recorded in provenance for this choice once resolved (`None` for
    /// [`Auto`](Self::Auto)).
    pub fn variant(&self) -> Option<ModelVariant> {
        match self {
            TechniquesModelChoice::Auto => None,
            TechniquesModelChoice::Fast => Some(ModelVariant::Fast),
            TechniquesModelChoice::Accurate => Some(ModelVariant::Accurate),
            TechniquesModelChoice::File(_) => Some(ModelVariant::File),
        }
    }

    /// Loads the model this choice means in `context`, with its role. `fast` and
    /// `accurate` that cannot be found are [`Error::ModelUnavailable`] (`accurate` always,
    /// in this build — never a fall-back to `fast`); a file that cannot be used is
    /// [`Error::Model`].
    pub fn load(
        &self,
        context: ModelContext,
    ) -> Result<(Arc<LoadedModel<TechniquesModel>>, ModelVariant), Error> {
        match self.resolve(context) {
            TechniquesModelChoice::File(path) => Ok((
                Arc::new(model_file::read(&path, MODEL_KIND)?),
                ModelVariant::File,
            )),
            TechniquesModelChoice::Accurate => {
                let path = accurate_model_path().map_err(|message| Error::ModelUnavailable {
                    model: "accurate",
                    message,
                })?;
                Ok((
                    Arc::new(model_file::read(&path, MODEL_KIND)?),
                    ModelVariant::Accurate,
                ))
            }
            TechniquesModelChoice::Fast | TechniquesModelChoice::Auto => default_model()
                .map(|m| (m, ModelVariant::Fast))
                .map_err(|message| Error::ModelUnavailable {
                    model: "fast",
                    message,
                }),
        }
    }
}

/// Where the accurate model is looked for, in order (none in a build without one).
pub fn accurate_model_candidates() -> Vec<PathBuf> {
    match ACCURATE_MODEL_FILE {
        Some(file) => model_file::model_dirs()
            .into_iter()
            .map(|d| d.join(file))
            .collect(),
        None => Vec::new(),
    }
}

/// The accurate model file, or why there is none ([`ACCURATE_UNAVAILABLE`] in this build).
pub fn accurate_model_path() -> Result<PathBuf, String> {
    let Some(file) = ACCURATE_MODEL_FILE else {
        return Err(ACCURATE_UNAVAILABLE.to_owned());
    };
    let candidates = accurate_model_candidates();
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .ok_or_else(|| {
            format!(
                "the \"accurate\" techniques model {file} was not found (looked in {}); set \
             UNSPIN_MODELS or use --model fast",
                candidates
                    .iter()
                    .filter_map(|p| p.parent())
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// Finds technique spans with a trained [`TechniquesModel`].
pub struct TechniqueAnalyser {
    model: Arc<LoadedModel<TechniquesModel>>,
    min_confidence: f32,
    variant: Option<ModelVariant>,
}

impl TechniqueAnalyser {
    /// An analyser over a loaded model, keeping spans whose calibrated confidence is at
    /// least `min_confidence`.
    pub fn new(model: Arc<LoadedModel<TechniquesModel>>, min_confidence: f32) -> Self {
        TechniqueAnalyser {
            model,
            min_confidence,
            variant: None,
        }
    }

    /// The same analyser, recording `variant` as its model's role in provenance.
    pub fn with_variant(mut self, variant: ModelVariant) -> Self {
        self.variant = Some(variant);
        self
    }

    /// Loads the model file at `path`.
    pub fn load(path: &Path, min_confidence: f32) -> Result<Self, ModelError> {
        Ok(Self::new(
            Arc::new(model_file::read(path, MODEL_KIND)?),
            min_confidence,
        ))
    }

    /// The loaded model and its header.
    pub fn model(&self) -> &LoadedModel<TechniquesModel> {
        &self.model
    }
}

impl Analyser for TechniqueAnalyser {
    fn name(&self) -> &'static str {
        "techniques"
    }

    fn languages(&self) -> &[&'static str] {
        &["en"]
    }

    fn models(&self) -> Vec<ModelInfo> {
        vec![ModelInfo {
            name: self.model.header.name.clone(),
            version: self.model.header.version.clone(),
            sha256: self.model.file_sha256.clone(),
            variant: self.variant.map(|v| v.as_str().to_owned()),
        }]
    }

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        let (detections, sentences) = self.model.model.detect_with_sentences(doc.text(), seg);
        for s in sentences {
            if let Some(span) = out.sentences.get_mut(s.sentence) {
                span.persuasion = Some(SentencePersuasion {
                    probability: round3(s.probability),
                    persuasive: s.persuasive,
                    techniques: s
                        .techniques
                        .into_iter()
                        .map(|(technique, p)| LikelyTechnique {
                            technique,
                            probability: round3(p),
                        })
                        .collect(),
                });
            }
        }
        for d in detections {
            if d.confidence < self.min_confidence {
                continue;
            }
            out.techniques.push(TechniqueSpan {
                start: d.start,
                end: d.end,
                text: doc.slice(d.start, d.end).to_owned(),
                technique: d.technique,
                confidence: round3(d.confidence),
                explanation: d.explanation,
                reliable: d.reliable,
            });
        }
        out.techniques
            .sort_by_key(|t| (t.start, t.end, t.technique));
        Ok(())
    }
}

/// A probability rounded to three decimals, as written into analyses.
fn round3(p: f32) -> f32 {
    (p * 1000.0).round() / 1000.0
}

/// Where the default techniques model is looked for, in order: the
/// [`model_dirs`](model_file::model_dirs).
pub fn default_model_candidates() -> Vec<PathBuf> {
    model_file::model_dirs()
        .into_iter()
        .map(|d| d.join(DEFAULT_MODEL_FILE))
        .collect()
}

/// The default model, loaded once per process: the first candidate that exists. The error
/// says where it looked, or why the file found could not be used.
pub fn default_model() -> Result<Arc<LoadedModel<TechniquesModel>>, String> {
    static MODEL: OnceLock<Result<Arc<LoadedModel<TechniquesModel>>, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let candidates = default_model_candidates();
            match candidates.iter().find(|p| p.exists()) {
                Some(p) => model_file::read(p, MODEL_KIND)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
                None => Err(format!(
                    "no techniques model found (looked for {}); set UNSPIN_MODELS or pass --model",
                    candidates
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_from_names_or_paths() {
        assert_eq!("fast".parse(), Ok(TechniquesModelChoice::Fast));
        assert_eq!("accurate".parse(), Ok(TechniquesModelChoice::Accurate));
        assert_eq!(
            "./fast".parse(),
            Ok(TechniquesModelChoice::File(PathBuf::from("./fast")))
        );
        assert!("".parse::<TechniquesModelChoice>().is_err());
        assert_eq!(
            TechniquesModelChoice::default(),
            TechniquesModelChoice::Auto
        );
    }

    #[test]
    fn the_default_rule_prefers_accurate_only_for_single_articles() {
        use ModelContext::{Batch, Single};
        assert_eq!(default_variant(Single, true), ModelVariant::Accurate);
        assert_eq!(default_variant(Single, false), ModelVariant::Fast);
        assert_eq!(default_variant(Batch, true), ModelVariant::Fast);
        assert_eq!(default_variant(Batch, false), ModelVariant::Fast);
    }

    #[test]
    fn without_an_accurate_model_the_default_is_fast_and_accurate_is_an_error() {
        assert_eq!(ACCURATE_MODEL_FILE, None);
        assert!(accurate_model_candidates().is_empty());
        assert_eq!(accurate_model_path(), Err(ACCURATE_UNAVAILABLE.to_owned()));
        for cx in [ModelContext::Single, ModelContext::Batch] {
            assert_eq!(
                TechniquesModelChoice::Auto.resolve(cx),
                TechniquesModelChoice::Fast
            );
            assert_eq!(
                TechniquesModelChoice::Accurate.resolve(cx),
                TechniquesModelChoice::Accurate
            );
            match TechniquesModelChoice::Accurate.load(cx) {
                Err(Error::ModelUnavailable { model, message }) => {
                    assert_eq!(model, "accurate");
                    assert_eq!(message, ACCURATE_UNAVAILABLE);
                }
                Err(e) => panic!("wrong error: {e}"),
                Ok(_) => panic!("accurate must not load (nor fall back to fast)"),
            }
        }
        assert!(ACCURATE_UNAVAILABLE.contains("use --model fast"));
    }

    #[test]
    fn a_missing_model_file_is_a_model_error() {
        let choice = TechniquesModelChoice::File(PathBuf::from("/nonexistent/m.unspin"));
        match choice.load(ModelContext::Single) {
            Err(Error::Model(e)) => assert!(e.to_string().contains("/nonexistent/m.unspin")),
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("a missing file must not load"),
        }
    }
}
