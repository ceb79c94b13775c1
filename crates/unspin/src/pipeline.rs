//! The pipeline: ingest → extract → segment → analyse, with one set of options.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use unspin_extract::ExtractOptions;
use unspin_ingest::{Format, IngestOptions, RawDocument};

use crate::analyse::claims::ClaimAnalyser;
use crate::analyse::techniques::analyser::{
    ModelContext, ModelVariant, TechniqueAnalyser, TechniquesModelChoice,
};
use crate::analyse::techniques::detector::TechniqueReliability;
use crate::analyse::{ANALYSER_NAMES, Analyser, DocContext};
use crate::analysis::{
    AnalyserReport, AnalyserStatus, Analysis, ParagraphSpan, Provenance, SCHEMA_VERSION,
    SentenceSpan,
};
use crate::document::{Document, Source, SourceFormat};
use crate::error::Error;
use crate::language::fill_language;
use crate::limits::{Limits, cap_spans};

/// Options of every stage; the ones that change results are recorded in each analysis's
/// provenance.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Reading inputs: size limit, forced charset, network timeouts.
    pub ingest: IngestOptions,
    /// Extracting the main text of HTML pages.
    pub extract: ExtractOptions,
    /// The techniques analyser.
    pub techniques: TechniquesOptions,
    /// Caps on what one analysis holds.
    pub limits: Limits,
}

/// Options of the techniques analyser.
#[derive(Debug, Clone, Default)]
pub struct TechniquesOptions {
    /// Which model: `fast`, `accurate`, a file, or (the default)
    /// [`Auto`](TechniquesModelChoice::Auto), the default for [`context`](Self::context).
    /// `fast` is looked for in the model folders
    /// ([`default_model_candidates`](crate::analyse::techniques::analyser::default_model_candidates)).
    pub model: TechniquesModelChoice,
    /// What the pipeline analyses — one article or batches — which decides what
    /// [`Auto`](TechniquesModelChoice::Auto) means
    /// ([`default_variant`](crate::analyse::techniques::analyser::default_variant)).
    /// Default: [`Batch`](ModelContext::Batch).
    pub context: ModelContext,
    /// Spans with a lower calibrated confidence are left out.
    pub min_confidence: f32,
}

/// The configured pipeline: options plus the analysers to run.
pub struct Pipeline {
    options: Options,
    analysers: Vec<Box<dyn Analyser>>,
    /// Built-in analysers that could not be set up, with the reason.
    unavailable: Vec<(&'static str, String)>,
    /// How well the built-in techniques model detects each technique (from its file).
    technique_reliability: Option<Vec<TechniqueReliability>>,
    /// The role of the built-in techniques model loaded.
    technique_variant: Option<ModelVariant>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new(Options::default()).expect("the default pipeline names no model file")
    }
}

impl Pipeline {
    /// A pipeline with the given options and the analysers built into this version. An
    /// explicitly chosen model (`fast`, `accurate` or a file) that cannot be used is an
    /// error — `accurate` always is in this build, never replaced by `fast`; a default
    /// model that is missing only makes its analyser `unavailable` (with the reason) in
    /// every analysis.
    pub fn new(options: Options) -> Result<Self, Error> {
        let mut pipeline = Pipeline {
            options,
            analysers: Vec::new(),
            unavailable: Vec::new(),
            technique_reliability: None,
            technique_variant: None,
        };
        pipeline
            .analysers
            .push(Box::new(crate::analyse::quotes::QuoteAnalyser));
        pipeline
            .analysers
            .push(Box::new(crate::analyse::actors::ActorAnalyser));
        let t = &pipeline.options.techniques;
        let min = t.min_confidence;
        match t.model.load(t.context) {
            Ok((model, variant)) => {
                pipeline.technique_reliability = Some(model.model.reliability.clone());
                pipeline.technique_variant = Some(variant);
                pipeline.analysers.push(Box::new(
                    TechniqueAnalyser::new(model, min).with_variant(variant),
                ));
            }
            Err(e) if t.model == TechniquesModelChoice::Auto => {
                let reason = e.to_string();
                tracing::debug!("techniques analyser unavailable: {reason}");
                pipeline.unavailable.push(("techniques", reason));
            }
            Err(e) => return Err(e),
        }
        // Claims run last (ANALYSER_NAMES order), after actors, whose mentions they cite.
        pipeline.analysers.push(Box::new(ClaimAnalyser::default()));
        Ok(pipeline)
    }

    /// A pipeline with the given options and no analysers (segmentation only).
    pub fn without_analysers(options: Options) -> Self {
        Pipeline {
            options,
            analysers: Vec::new(),
            unavailable: Vec::new(),
            technique_reliability: None,
            technique_variant: None,
        }
    }

    /// Adds an analyser (replacing a built-in one of the same name).
    pub fn with_analyser(mut self, analyser: Box<dyn Analyser>) -> Self {
        if analyser.name() == "techniques" {
            self.technique_reliability = None;
            self.technique_variant = None;
        }
        self.analysers.retain(|a| a.name() != analyser.name());
        self.analysers.push(analyser);
        self
    }

    /// Per-technique reliability of the built-in techniques model this pipeline loaded, as
    /// its file records it (None without that model).
    pub fn technique_reliability(&self) -> Option<&[TechniqueReliability]> {
        self.technique_reliability.as_deref()
    }

    /// The role (`fast`, `accurate`, `file`) of the built-in techniques model this pipeline
    /// loaded (None without that model).
    pub fn technique_variant(&self) -> Option<ModelVariant> {
        self.technique_variant
    }

    /// The model files its analysers use, as an analysis's provenance lists them.
    pub fn models(&self) -> Vec<crate::analysis::ModelInfo> {
        self.analysers.iter().flat_map(|a| a.models()).collect()
    }

    /// The options in use.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Turns what ingest read into a document: HTML goes through extraction, text is kept
    /// verbatim (a title line and a URL line fill the source but stay in the text).
    /// Metadata the container gives (a JSONL record's `title`, `site`, …) is preferred to
    /// what the content says.
    pub fn document(&self, raw: RawDocument) -> Result<Document, Error> {
        let mut source = Source {
            input: raw.input.clone(),
            id: raw.id.clone(),
            url: raw.url.clone(),
            charset: Some(raw.charset.clone()),
            ..Source::default()
        };
        let text = match raw.format {
            Format::Text => {
                source.format = Some(SourceFormat::Text);
                fill_text_metadata(&raw.text, &mut source);
                fill_language(&raw.text, None, &mut source);
                raw.text
            }
            Format::Html => {
                source.format = Some(SourceFormat::Html);
                let mut opts = self.options.extract.clone();
                if opts.base_url.is_none() {
                    opts.base_url = raw.url.clone();
                }
                let ex = unspin_extract::extract(&raw.text, &opts).map_err(|e| Error::Extract {
                    input: raw.input.clone(),
                    message: e.to_string(),
                })?;
                source.title = ex.title;
                source.authors = ex.authors;
                source.published = ex.published;
                source.site = ex.site;
                source.canonical_url = ex.canonical_url.clone();
                if source.url.is_none() {
                    source.url = ex.canonical_url;
                }
                source.extractor = Some(ex.extractor);
                fill_language(&ex.text, ex.language.as_deref(), &mut source);
                ex.text
            }
        };
        if text.trim().is_empty() {
            return Err(Error::EmptyText { input: raw.input });
        }
        apply_record_meta(raw.meta, &text, &mut source);
        let mut doc = Document::new(text, source);
        doc.warnings = raw.warnings;
        Ok(doc)
    }

    /// Segments and analyses a document.
    pub fn analyze(&self, doc: &Document) -> Result<Analysis, Error> {
        if doc.text().trim().is_empty() {
            return Err(Error::EmptyText {
                input: doc.source.input.clone(),
            });
        }
        let seg = unspin_segment::segment(doc.text());
        let paragraphs = seg
            .paragraphs
            .iter()
            .map(|p| ParagraphSpan {
                start: p.start,
                end: p.end,
                text: doc.slice(p.start, p.end).to_owned(),
                kind: p.kind,
            })
            .collect();
        let sentences = seg
            .sentences
            .iter()
            .map(|s| SentenceSpan {
                start: s.start,
                end: s.end,
                text: doc.slice(s.start, s.end).to_owned(),
                paragraph: s.paragraph,
                persuasion: None,
            })
            .collect();
        let mut analysis = Analysis {
            schema_version: SCHEMA_VERSION.to_owned(),
            provenance: Provenance {
                unspin_version: env!("CARGO_PKG_VERSION").to_owned(),
                models: self.models(),
                options: self.recorded_options(),
                text_sha256: hex_sha256(doc.text().as_bytes()),
            },
            source: doc.source.clone(),
            text: doc.text().to_owned(),
            paragraphs,
            sentences,
            techniques: Vec::new(),
            quotes: Vec::new(),
            actors: Vec::new(),
            claims: Vec::new(),
            analysers: Vec::new(),
            warnings: doc.warnings.clone(),
        };
        let language = doc.source.language.as_str();
        let cx = DocContext::new(doc, &seg);
        for name in ANALYSER_NAMES {
            let Some(analyser) = self.analysers.iter().find(|a| a.name() == name) else {
                let reason = match self.unavailable.iter().find(|(n, _)| *n == name) {
                    Some((_, why)) => why.clone(),
                    None => format!(
                        "this build of unspin ({}) has no {name} analyser",
                        env!("CARGO_PKG_VERSION")
                    ),
                };
                analysis.analysers.push(AnalyserReport {
                    name: name.to_owned(),
                    status: AnalyserStatus::Unavailable,
                    languages: Vec::new(),
                    reason: Some(reason),
                });
                continue;
            };
            let languages: Vec<String> = analyser
                .languages()
                .iter()
                .map(|l| (*l).to_owned())
                .collect();
            if !analyser.languages().contains(&language) {
                analysis.analysers.push(AnalyserReport {
                    name: name.to_owned(),
                    status: AnalyserStatus::Skipped,
                    reason: Some(format!(
                        "the article's language is '{language}' ({}); the {name} analyser supports only {}",
                        doc.source.language_source,
                        languages.join(", ")
                    )),
                    languages,
                });
                continue;
            }
            analyser.analyse_in(&cx, &mut analysis)?;
            analysis.analysers.push(AnalyserReport {
                name: name.to_owned(),
                status: AnalyserStatus::Ran,
                languages,
                reason: None,
            });
        }
        cap_spans(&mut analysis, self.options.limits.max_spans);
        Ok(analysis)
    }

    /// The options that change results, as recorded in provenance.
    fn recorded_options(&self) -> Map<String, Value> {
        let o = &self.options;
        let v = json!({
            "max_bytes": o.ingest.max_bytes,
            "encoding": o.ingest.encoding,
            "extract_max_depth": o.extract.max_depth,
            "techniques_min_confidence": o.techniques.min_confidence,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

/// Fills `title` and `url` of a text document from its first line (when it reads as a
/// title) and its last line (when it is a lone URL). The text itself is not changed.
pub(crate) fn fill_text_metadata(text: &str, source: &mut Source) {
    let mut lines = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .filter(|l| !l.is_empty());
    let first = lines.next();
    let last = lines.next_back();
    if let Some(first) = first
        && last.is_some()
        && first.chars().count() <= 250
        && !first.ends_with(['.', ',', ';', ':'])
        && !is_url(first)
    {
        source.title = Some(first.to_owned());
    }
    if let Some(last) = last
        && is_url(last)
        && source.url.is_none()
    {
        source.url = Some(last.to_owned());
    }
}

/// True for a lone http(s) URL.
fn is_url(line: &str) -> bool {
    (line.starts_with("http://") || line.starts_with("https://"))
        && !line.contains(char::is_whitespace)
}

/// Hex SHA-256 of bytes.
pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Analyses a document with the default pipeline.
pub fn analyze(doc: &Document) -> Result<Analysis, Error> {
    Pipeline::default().analyze(doc)
}

/// Fills the source with a container record's metadata, which is preferred to what the
/// content gives; a declared language is used when detection is unsure.
fn apply_record_meta(meta: unspin_ingest::RecordMeta, text: &str, source: &mut Source) {
    if meta.title.is_some() {
        source.title = meta.title;
    }
    if meta.site.is_some() {
        source.site = meta.site;
    }
    if meta.published.is_some() {
        source.published = meta.published;
    }
    if !meta.authors.is_empty() {
        source.authors = meta.authors;
    }
    if let Some(lang) = meta.language.as_deref()
        && source.language_source != "detected"
    {
        fill_language(text, Some(lang), source);
    }
}

#[cfg(test)]
mod model_choice_tests {
    use super::*;

    #[test]
    fn an_explicit_accurate_model_is_an_error_and_auto_never_is() {
        let accurate = Options {
            techniques: TechniquesOptions {
                model: TechniquesModelChoice::Accurate,
                context: ModelContext::Single,
                ..TechniquesOptions::default()
            },
            ..Options::default()
        };
        let err = Pipeline::new(accurate).err().expect("accurate is refused");
        assert!(matches!(
            err,
            Error::ModelUnavailable {
                model: "accurate",
                ..
            }
        ));
        assert!(err.to_string().contains("not available in this build"));
        let single = Options {
            techniques: TechniquesOptions {
                context: ModelContext::Single,
                ..TechniquesOptions::default()
            },
            ..Options::default()
        };
        let pipeline = Pipeline::new(single).expect("the default never fails");
        assert!(matches!(
            pipeline.technique_variant(),
            None | Some(ModelVariant::Fast)
        ));
    }
}
