//! The result of analysing one document, exactly as it is written out as JSON.
//!
//! Every object that points into the text is flat: integer `start`, `end` (code points,
//! end exclusive) and `text`, plus its own fields. `docs/schema.md` documents the shape and
//! `docs/schema/analysis.schema.json` is its JSON Schema.

use serde::{Deserialize, Serialize};

use crate::document::Source;
use crate::span::TextSpan;

/// Version of the analysis JSON shape. Bumped on any change a consumer could notice:
/// minor for added fields, major for removed or re-typed ones.
pub const SCHEMA_VERSION: &str = "1.3";

/// Everything unspin found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Version of this JSON shape ([`SCHEMA_VERSION`]).
    pub schema_version: String,
    /// What produced this analysis, from which text, with which options.
    pub provenance: Provenance,
    /// Where the document came from and its metadata.
    pub source: Source,
    /// The document text all offsets point into.
    pub text: String,
    /// Paragraphs (including headings and list items), in order.
    pub paragraphs: Vec<ParagraphSpan>,
    /// Sentences, in order; each lies inside one paragraph.
    pub sentences: Vec<SentenceSpan>,
    /// Passages that use a persuasion technique.
    pub techniques: Vec<TechniqueSpan>,
    /// Quotes, direct and reported, with their speakers.
    pub quotes: Vec<Quote>,
    /// People, organisations, places and documents, with every way the text names them.
    pub actors: Vec<Actor>,
    /// Check-worthy statements, ranked by score.
    pub claims: Vec<Claim>,
    /// What each analyser did with this document: ran, skipped (with the reason) or unavailable.
    pub analysers: Vec<AnalyserReport>,
    /// Problems met while reading the input that did not stop the analysis.
    pub warnings: Vec<String>,
}

/// What produced an analysis, so that a result can be traced and reproduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Version of unspin that produced the analysis.
    pub unspin_version: String,
    /// Models used, with their versions and file hashes.
    pub models: Vec<ModelInfo>,
    /// Options that change results.
    pub options: serde_json::Map<String, serde_json::Value>,
    /// SHA-256 of the document text (UTF-8), hex.
    pub text_sha256: String,
}

/// A model file used by an analyser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Model name, e.g. `techniques`.
    pub name: String,
    /// Model version as recorded in its file header.
    pub version: String,
    /// SHA-256 of the model file, hex.
    pub sha256: String,
    /// The model's role when the analyser has several: for techniques `fast`, `accurate`
    /// or `file` (a model file named by path). Optional in schema 1.0: absent in older
    /// analyses and for single-model analysers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// Kind of a paragraph.
pub use unspin_segment::ParagraphKind;

/// A paragraph of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The paragraph text.
    pub text: String,
    /// Body text, heading or list item.
    pub kind: ParagraphKind,
}

/// A sentence of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The sentence text.
    pub text: String,
    /// Index into `paragraphs` of the paragraph holding this sentence.
    pub paragraph: usize,
    /// The techniques model's sentence layer: whether this sentence uses a persuasion
    /// technique at all. Absent when the techniques analyser did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persuasion: Option<SentencePersuasion>,
}

/// How likely a sentence is to use a persuasion technique, and which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentencePersuasion {
    /// Calibrated probability that the sentence holds (part of) a persuasive passage.
    pub probability: f32,
    /// True when `probability` reaches the model's threshold for marking a sentence
    /// (chosen for sentence-level F1 in training); reports mark these sentences.
    pub persuasive: bool,
    /// The likely techniques, most likely first: P(persuasive) × the technique
    /// classifier's probability for the sentence, those of at least 0.1.
    pub techniques: Vec<LikelyTechnique>,
}

/// One likely technique of a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikelyTechnique {
    /// The technique.
    pub technique: Technique,
    /// Probability that the sentence uses it.
    pub probability: f32,
}

/// The 14 persuasion techniques of the Propaganda Techniques Corpus (SemEval-2020 Task 11),
/// serialised exactly as spelled in its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Technique {
    /// Words with strong emotional implications used to sway the reader.
    #[serde(rename = "Loaded_Language")]
    LoadedLanguage,
    /// Labelling the object of the campaign as something the audience fears, hates or loves.
    #[serde(rename = "Name_Calling,Labeling")]
    NameCallingLabeling,
    /// Repeating the same message until the audience accepts it.
    #[serde(rename = "Repetition")]
    Repetition,
    /// Questioning the credibility of someone or something.
    #[serde(rename = "Doubt")]
    Doubt,
    /// Representing something as larger or smaller than it is.
    #[serde(rename = "Exaggeration,Minimisation")]
    ExaggerationMinimisation,
    /// Building support by playing on fear or prejudice.
    #[serde(rename = "Appeal_to_fear-prejudice")]
    AppealToFearPrejudice,
    /// Appealing to patriotism or group identity.
    #[serde(rename = "Flag-Waving")]
    FlagWaving,
    /// Assuming one cause where there are several.
    #[serde(rename = "Causal_Oversimplification")]
    CausalOversimplification,
    /// Claiming something is true because an authority says so.
    #[serde(rename = "Appeal_to_Authority")]
    AppealToAuthority,
    /// A brief, striking phrase built to stick.
    #[serde(rename = "Slogans")]
    Slogans,
    /// Presenting two alternatives as the only ones.
    #[serde(rename = "Black-and-White_Fallacy")]
    BlackAndWhiteFallacy,
    /// Deflecting with counter-accusations, distorted positions or irrelevant topics.
    #[serde(rename = "Whataboutism,Straw_Men,Red_Herring")]
    WhataboutismStrawMenRedHerring,
    /// Phrases that discourage critical thought.
    #[serde(rename = "Thought-terminating_Cliches")]
    ThoughtTerminatingCliches,
    /// Appeals to joining the crowd, or discrediting by association with hated groups.
    #[serde(rename = "Bandwagon,Reductio_ad_hitlerum")]
    BandwagonReductioAdHitlerum,
}

impl Technique {
    /// All 14 techniques, in the order of their counts in the PTC training split (most
    /// frequent first), which is also the enum's declaration order.
    pub const ALL: [Technique; 14] = [
        Technique::LoadedLanguage,
        Technique::NameCallingLabeling,
        Technique::Repetition,
        Technique::Doubt,
        Technique::ExaggerationMinimisation,
        Technique::AppealToFearPrejudice,
        Technique::FlagWaving,
        Technique::CausalOversimplification,
        Technique::AppealToAuthority,
        Technique::Slogans,
        Technique::BlackAndWhiteFallacy,
        Technique::WhataboutismStrawMenRedHerring,
        Technique::ThoughtTerminatingCliches,
        Technique::BandwagonReductioAdHitlerum,
    ];

    /// The technique's name exactly as spelled in the corpus files and in the JSON
    /// (e.g. `Name_Calling,Labeling`).
    pub fn as_str(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "Loaded_Language",
            Technique::NameCallingLabeling => "Name_Calling,Labeling",
            Technique::Repetition => "Repetition",
            Technique::Doubt => "Doubt",
            Technique::ExaggerationMinimisation => "Exaggeration,Minimisation",
            Technique::AppealToFearPrejudice => "Appeal_to_fear-prejudice",
            Technique::FlagWaving => "Flag-Waving",
            Technique::CausalOversimplification => "Causal_Oversimplification",
            Technique::AppealToAuthority => "Appeal_to_Authority",
            Technique::Slogans => "Slogans",
            Technique::BlackAndWhiteFallacy => "Black-and-White_Fallacy",
            Technique::WhataboutismStrawMenRedHerring => "Whataboutism,Straw_Men,Red_Herring",
            Technique::ThoughtTerminatingCliches => "Thought-terminating_Cliches",
            Technique::BandwagonReductioAdHitlerum => "Bandwagon,Reductio_ad_hitlerum",
        }
    }
}

impl std::fmt::Display for Technique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A technique name that is not one of the 14 corpus spellings (see [`Technique::as_str`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown technique {0:?} (expected one of the 14 PTC names, e.g. \"Loaded_Language\")")]
pub struct UnknownTechnique(pub String);

impl std::str::FromStr for Technique {
    type Err = UnknownTechnique;

    /// Parses the exact corpus spelling (case-sensitive, no surrounding whitespace).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Technique::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownTechnique(s.to_string()))
    }
}

/// A passage that uses a persuasion technique.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechniqueSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The passage.
    pub text: String,
    /// The technique used.
    pub technique: Technique,
    /// Calibrated probability that the passage uses this technique.
    pub confidence: f32,
    /// Why the model thinks so, in plain words, from the features that drove the prediction.
    pub explanation: String,
    /// False for techniques the model cannot detect reliably (see the model card).
    pub reliable: bool,
}

/// How a quote is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Whole sentence(s) in quotation marks.
    Direct,
    /// A few quoted words woven into the writer's sentence.
    Partial,
    /// Quoted words and paraphrase mixed in one report.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

/// Who a quote or mention resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorRef {
    /// Id of the actor in `actors`.
    pub id: String,
    /// Canonical name written out.
    pub name: String,
    /// Kind of actor.
    #[serde(rename = "type")]
    pub kind: ActorType,
}

/// A quote and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// First code point of the quoted words.
    pub start: usize,
    /// One past the last code point of the quoted words.
    pub end: usize,
    /// The quoted words.
    pub text: String,
    /// Direct, partial, mixed or indirect.
    pub kind: QuoteKind,
    /// The reporting cue ("said", "according to"), if any.
    pub cue: Option<TextSpan>,
    /// The mention of the speaker in the text, if any.
    pub speaker: Option<TextSpan>,
    /// Who the speaker resolves to, if anyone.
    pub actor: Option<ActorRef>,
    /// How the speaker was found, or why it could not be.
    pub resolution: String,
    /// True when the quote contains an ellipsis or a bracketed cut.
    pub elided: bool,
    /// Index in `quotes` of the first part of the same statement when this quote continues
    /// it: quoted in parts around its attribution ("“A,” she said. “B.”") or carried on in
    /// the next paragraph. `None` for a quote that starts a statement.
    #[serde(default)]
    pub continues: Option<usize>,
    /// Probability that the speaker is right (the attribution-confidence model's, three
    /// decimals), or `None` when that model is absent. Below 0.5 the resolution says the
    /// speaker is uncertain.
    #[serde(default)]
    pub confidence: Option<f64>,
}

/// Kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorType {
    /// A person.
    Person,
    /// An organisation, institution, company or alliance.
    Organisation,
    /// A country or state.
    Country,
    /// A place that is not a country.
    Place,
    /// A document: treaty, law, plan, report.
    Document,
}

/// How a mention names its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A full name.
    Name,
    /// A surname alone.
    Surname,
    /// A role phrase ("the Secretary General").
    RolePhrase,
    /// A pronoun.
    Pronoun,
}

/// One place where the text names an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The mention.
    pub text: String,
    /// Name, surname, role phrase or pronoun.
    pub kind: MentionKind,
}

/// Someone or something the article is about, with every way it is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable id within this analysis (`a1`, `a2`, …).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Kind of actor.
    #[serde(rename = "type")]
    pub kind: ActorType,
    /// Every mention.
    pub mentions: Vec<Mention>,
    /// Appositions, titles and labels the article attaches to the actor.
    pub descriptors: Vec<TextSpan>,
}

/// What kind of check-worthy statement a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A number, quantity or date.
    Numeric,
    /// Something that happened.
    Event,
    /// What someone said.
    Attributed,
    /// A comparison.
    Comparison,
    /// A cause and its effect.
    Causal,
    /// A prediction.
    Prediction,
}

/// A statement that can be checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The statement.
    pub text: String,
    /// Check-worthiness in [0, 1].
    pub score: f32,
    /// Kind of statement.
    pub kind: ClaimKind,
    /// Ids of the actors it involves.
    pub actors: Vec<String>,
    /// Numbers and dates in it.
    pub numbers: Vec<TextSpan>,
    /// Why it scored as it did.
    pub reason: String,
    /// In a transcript, the label of the speaker whose turn holds the claim, as written
    /// ("TRUMP", "MR. TRUMP"); absent outside transcripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Id of the actor the speaker is: an actor whose name holds the label's surname
    /// ("TRUMP" → "Donald Trump"); absent when none does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_actor: Option<String>,
}

/// Whether an analyser ran on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalyserStatus {
    /// It ran; its array holds what it found (possibly nothing).
    Ran,
    /// It did not run on this document; `reason` says why (e.g. unsupported language).
    Skipped,
    /// It is not part of this build or its model is missing; `reason` says which.
    Unavailable,
}

/// What one analyser did with a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyserReport {
    /// Analyser name: `techniques`, `quotes`, `actors` or `claims`.
    pub name: String,
    /// Ran, skipped or unavailable.
    pub status: AnalyserStatus,
    /// Languages it supports (ISO 639-1).
    pub languages: Vec<String>,
    /// Why it was skipped or is unavailable.
    pub reason: Option<String>,
}
