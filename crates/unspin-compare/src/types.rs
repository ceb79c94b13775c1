//! The comparison, as it is written out as JSON (`docs/schema.md`, "Comparison").

use serde::{Deserialize, Serialize};

use crate::Version;

/// Everything [`crate::compare`] found across the versions of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The versions, in the order given.
    pub versions: Vec<VersionSummary>,
    /// A similarity for each pair of versions.
    pub pairs: Vec<Pair>,
    /// Claims aligned across versions: each group holds the statements of one claim.
    pub claims: Vec<AlignedClaim>,
    /// Actors linked across the versions, with how each version names them.
    pub actors: Vec<LinkedActor>,
    /// Whom each version quotes, and how much.
    pub quotes: Vec<VersionQuotes>,
    /// The techniques each version uses, per 1,000 words.
    pub techniques: Vec<VersionTechniques>,
    /// How each headline frames the story.
    pub headlines: Vec<Headline>,
}

/// What identifies a version in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// The label the version was given (JSONL id, path, URL or store id).
    pub label: String,
    /// The outlet (site, else the URL's host, else the label).
    pub outlet: String,
    /// The headline, when the source has one.
    pub title: Option<String>,
    /// The publication date as the source gives it.
    pub published: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// Words in the text.
    pub words: usize,
}

impl VersionSummary {
    /// The summary of one version.
    pub fn of(v: &Version) -> Self {
        let s = &v.analysis.source;
        VersionSummary {
            label: v.label.clone(),
            outlet: v.outlet(),
            title: crate::headline::title(v).map(|(t, _)| t),
            published: s.published.clone(),
            url: s.url.clone(),
            words: v.words(),
        }
    }
}

/// The similarity of two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Label of the first version.
    pub a: String,
    /// Label of the second version.
    pub b: String,
    /// How alike the two tell the story, in [0, 1] (the same story told alike → near 1).
    pub similarity: f64,
    /// The weighted mean of the three parts below, before calibration.
    pub raw: f64,
    /// Cosine of the two texts' TF-IDF vectors.
    pub text: f64,
    /// Share of the two versions' claims that the other version also makes.
    pub claims: f64,
    /// Weighted overlap of the actors the two name (by mentions).
    pub actors: f64,
}

/// Which versions make a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Every version makes it.
    All,
    /// More than one version, not all.
    Some,
    /// One version only.
    One,
}

/// One claim as the versions that make it state it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedClaim {
    /// All, some or one of the versions.
    pub coverage: Coverage,
    /// The statements, one or more per version that makes the claim.
    pub statements: Vec<Statement>,
}

impl AlignedClaim {
    /// Labels of the versions that make the claim.
    pub fn labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.statements {
            if !out.contains(&s.version.as_str()) {
                out.push(&s.version);
            }
        }
        out
    }
}

/// A claim as one version states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Label of the version.
    pub version: String,
    /// First code point in that version's text.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The statement.
    pub text: String,
    /// Its check-worthiness in [0, 1].
    pub score: f32,
}

/// One actor across the versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedActor {
    /// Stable id within the comparison (`x1`, `x2`, …).
    pub id: String,
    /// The name most versions use (the longest of the most frequent full names).
    pub name: String,
    /// Kind of actor.
    #[serde(rename = "type")]
    pub kind: unspin::ActorType,
    /// How each version that names the actor names it.
    pub naming: Vec<Naming>,
}

impl LinkedActor {
    /// All mentions over the versions.
    pub fn mentions(&self) -> usize {
        self.naming.iter().map(|n| n.mentions).sum()
    }
}

/// How one version names one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Naming {
    /// Label of the version.
    pub version: String,
    /// The actor's ids in that version's analysis.
    pub actor_ids: Vec<String>,
    /// Mentions of the actor, pronouns included.
    pub mentions: usize,
    /// Names and role phrases used, most frequent first (pronouns left out).
    pub names: Vec<Label>,
    /// Appositions, titles and labels attached to the actor.
    pub descriptors: Vec<Label>,
}

/// A name or descriptor as written, how often, and whether it is hostile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// The words.
    pub text: String,
    /// Times used.
    pub count: usize,
    /// True when a passage the techniques model marks as name-calling or loaded language
    /// covers it.
    pub hostile: bool,
}

/// Whom one version quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionQuotes {
    /// Label of the version.
    pub version: String,
    /// Quotes in the version.
    pub quotes: usize,
    /// Quoted words in the version.
    pub words: usize,
    /// Each speaker, most quoted words first.
    pub speakers: Vec<QuotedSpeaker>,
}

/// One speaker a version quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotedSpeaker {
    /// The speaker: the linked actor's name, the speaker's words, or `unattributed`.
    pub name: String,
    /// Id of the linked actor, when the speaker resolves to one.
    pub actor: Option<String>,
    /// Quotes given to the speaker.
    pub quotes: usize,
    /// Words quoted.
    pub words: usize,
}

/// The techniques of one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionTechniques {
    /// Label of the version.
    pub version: String,
    /// Words in the version.
    pub words: usize,
    /// Technique passages per 1,000 words, all techniques together.
    pub per_1000_words: f64,
    /// Each technique found, most passages first.
    pub techniques: Vec<TechniqueUse>,
}

/// One technique in one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechniqueUse {
    /// The technique.
    pub technique: unspin::Technique,
    /// Passages.
    pub count: usize,
    /// Passages per 1,000 words.
    pub per_1000_words: f64,
    /// The passages, in text order.
    pub passages: Vec<unspin::TextSpan>,
}

/// How one headline frames the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// Label of the version.
    pub version: String,
    /// The headline, if the version has one.
    pub title: Option<String>,
    /// Linked actors the headline names, with the words it names them by.
    pub actors: Vec<HeadlineActor>,
    /// Technique passages inside the headline.
    pub techniques: Vec<unspin::Technique>,
    /// Headline words no other version's headline uses (stop words left out).
    pub distinct_words: Vec<String>,
}

/// An actor a headline names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineActor {
    /// Id of the linked actor.
    pub actor: String,
    /// The words the headline uses for it.
    pub names: Vec<String>,
}
