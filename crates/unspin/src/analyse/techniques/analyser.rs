//! The techniques analyser: runs the trained model on a document and fills `techniques`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use unspin_segment::Segmentation;

use super::detector::{DEFAULT_MODEL_FILE, MODEL_KIND, TechniquesModel};
use crate::analyse::Analyser;
use crate::analyse::model_file::{self, LoadedModel, ModelError};
use crate::analysis::{Analysis, ModelInfo, TechniqueSpan};
use crate::document::Document;
use crate::error::Error;

/// Finds technique spans with a trained [`TechniquesModel`].
pub struct TechniqueAnalyser {
    model: Arc<LoadedModel<TechniquesModel>>,
    min_confidence: f32,
}

impl TechniqueAnalyser {
    /// An analyser over a loaded model, keeping spans whose calibrated confidence is at
    /// least `min_confidence`.
    pub fn new(model: Arc<LoadedModel<TechniquesModel>>, min_confidence: f32) -> Self {
        TechniqueAnalyser {
            model,
            min_confidence,
        }
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
        }]
    }

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        for d in self.model.model.detect(doc.text(), seg) {
            if d.confidence < self.min_confidence {
                continue;
            }
            out.techniques.push(TechniqueSpan {
                start: d.start,
                end: d.end,
                text: doc.slice(d.start, d.end).to_owned(),
                technique: d.technique,
                confidence: (d.confidence * 1000.0).round() / 1000.0,
                explanation: d.explanation,
                reliable: d.reliable,
            });
        }
        out.techniques
            .sort_by_key(|t| (t.start, t.end, t.technique));
        Ok(())
    }
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
