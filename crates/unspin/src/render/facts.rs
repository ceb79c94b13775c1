//! Facts about an analysis that several reports show the same way: word count, technique
//! counts, the names an actor is given, claims in rank order, and code-point slicing.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use crate::analyse::model_file;
use crate::analyse::techniques::analyser::default_model_candidates;
use crate::analyse::techniques::detector::{MODEL_KIND, TechniqueReliability};
use crate::analysis::{
    Actor, Analysis, Claim, MentionKind, ParagraphKind, SentencePersuasion, Technique,
};

/// Code-point slicing of one text (analysis offsets count code points).
pub struct CharIndex<'t> {
    text: &'t str,
    bytes: Vec<usize>,
}

impl<'t> CharIndex<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let bytes = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        CharIndex { text, bytes }
    }

    /// Number of code points.
    pub fn len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// True for the empty text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text between two code points; offsets past the end are clamped, so a bad range
    /// gives a shorter (possibly empty) slice instead of a panic.
    pub fn slice(&self, start: usize, end: usize) -> &'t str {
        let n = self.len();
        let (s, e) = (start.min(n), end.min(n));
        if s >= e {
            return "";
        }
        &self.text[self.bytes[s]..self.bytes[e]]
    }
}

/// The title to show: the source's title, else the first non-empty line of the text (at
/// most 120 characters), else the input.
pub fn title(a: &Analysis) -> String {
    a.source
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            a.text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(120).collect())
        })
        .unwrap_or_else(|| a.source.input.clone())
}

/// Number of words: whitespace-separated pieces holding a letter or digit.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// How many highlights of each technique, most frequent first (ties in [`Technique::ALL`]
/// order).
pub fn technique_counts(analysis: &Analysis) -> Vec<(Technique, usize)> {
    let mut counts: BTreeMap<Technique, usize> = BTreeMap::new();
    for t in &analysis.techniques {
        *counts.entry(t.technique).or_default() += 1;
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The different ways the article names an actor (pronouns left out), in order of first
/// use, with how often each is used; then its descriptors that are not already listed.
pub fn actor_names(actor: &Actor) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut add = |text: &str, count: bool| match names.iter_mut().find(|(n, _)| n == text) {
        Some((_, c)) => *c += usize::from(count),
        None => names.push((text.to_owned(), usize::from(count))),
    };
    for m in actor
        .mentions
        .iter()
        .filter(|m| m.kind != MentionKind::Pronoun)
    {
        add(&m.text, true);
    }
    for d in &actor.descriptors {
        add(&d.text, false);
    }
    names
}

/// Number of pronouns that refer to an actor.
pub fn pronoun_count(actor: &Actor) -> usize {
    actor
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Pronoun)
        .count()
}

/// Actors, most mentioned first (ties keep the analysis order).
pub fn actors_by_prominence(analysis: &Analysis) -> Vec<&Actor> {
    let mut v: Vec<&Actor> = analysis.actors.iter().collect();
    v.sort_by_key(|a| std::cmp::Reverse(a.mentions.len()));
    v
}

/// Claims, highest score first.
pub fn claims_by_score(analysis: &Analysis) -> Vec<&Claim> {
    let mut v: Vec<&Claim> = analysis.claims.iter().collect();
    v.sort_by(|a, b| b.score.total_cmp(&a.score));
    v
}

/// The claims a report shows, highest first: those scoring at least
/// [`REPORT_THRESHOLD`](crate::analyse::claims::REPORT_THRESHOLD). The JSON lists every
/// claim; reports show these and count the others.
pub fn shown_claims(analysis: &Analysis) -> Vec<&Claim> {
    claims_by_score(analysis)
        .into_iter()
        .filter(|c| c.score >= crate::analyse::claims::REPORT_THRESHOLD)
        .collect()
}

/// The name of an actor by id.
pub fn actor_name<'a>(analysis: &'a Analysis, id: &str) -> Option<&'a str> {
    analysis
        .actors
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.name.as_str())
}

/// Index of the paragraph holding code point `at` (the last one starting at or before it).
pub fn paragraph_of(analysis: &Analysis, at: usize) -> Option<usize> {
    let i = analysis.paragraphs.partition_point(|p| p.start <= at);
    i.checked_sub(1)
}

/// How well the techniques model named in an analysis's provenance detects each technique,
/// read from the header of the model file of that name and version found where the default
/// model is looked for (`None` when no such file is found). Looked up once per model.
pub fn model_reliability(analysis: &Analysis) -> Option<Vec<TechniqueReliability>> {
    type Cache = Mutex<BTreeMap<(String, String), Option<Vec<TechniqueReliability>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let model = analysis
        .provenance
        .models
        .iter()
        .find(|m| m.name.starts_with("techniques"))?;
    let key = (model.name.clone(), model.version.clone());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok()?.get(&key) {
        return found.clone();
    }
    let found = default_model_candidates()
        .iter()
        .filter_map(|p| model_file::read_header(p, MODEL_KIND).ok())
        .find(|h| h.name == key.0 && h.version == key.1)
        .and_then(|h| reliability_from_metrics(&h.metrics));
    cache.lock().ok()?.insert(key, found.clone());
    found
}

/// Per-technique reliability from a model header's `metrics` (`out_of_fold.per_technique`).
pub fn reliability_from_metrics(metrics: &serde_json::Value) -> Option<Vec<TechniqueReliability>> {
    let rows = metrics
        .get("out_of_fold")?
        .get("per_technique")?
        .as_array()?;
    let v: Vec<TechniqueReliability> = rows
        .iter()
        .filter_map(|r| {
            Some(TechniqueReliability {
                technique: r.get("technique")?.as_str()?.parse().ok()?,
                f1: r.get("f1")?.as_f64()? as f32,
                support: r.get("support")?.as_u64()? as usize,
                reliable: r.get("reliable")?.as_bool()?,
            })
        })
        .collect();
    (!v.is_empty()).then_some(v)
}

/// The code-point ranges the article is written in: its paragraphs, or the whole text as
/// one paragraph when there are none. Ranges are clamped to the text's `n` code points.
pub fn paragraph_ranges(a: &Analysis, n: usize) -> Vec<(usize, usize, ParagraphKind)> {
    if a.paragraphs.is_empty() {
        return if n > 0 {
            vec![(0, n, ParagraphKind::Body)]
        } else {
            Vec::new()
        };
    }
    a.paragraphs
        .iter()
        .map(|p| (p.start.min(n), p.end.min(n), p.kind))
        .collect()
}

/// The technique highlights' code-point ranges, in the order of `a.techniques`, clamped to
/// the text's `n` code points.
pub fn highlight_ranges(a: &Analysis, n: usize) -> Vec<(usize, usize)> {
    a.techniques
        .iter()
        .map(|t| (t.start.min(n), t.end.min(n)))
        .collect()
}

/// The sentence layer in numbers: how many sentences are marked likely persuasive, and how
/// many were scored at all (`(0, 0)` when the techniques model gave no sentence layer).
pub fn persuasive_counts(a: &Analysis) -> (usize, usize) {
    let scored: Vec<&SentencePersuasion> = a
        .sentences
        .iter()
        .filter_map(|s| s.persuasion.as_ref())
        .collect();
    (scored.iter().filter(|p| p.persuasive).count(), scored.len())
}

/// The reader-facing account of a sentence's persuasion layer, e.g. "likely persuasive: 72%
/// — loaded language 41%, doubt 18%".
pub fn persuasion_summary(p: &SentencePersuasion) -> String {
    let pct = |x: f32| format!("{:.0}%", (x * 100.0).clamp(0.0, 100.0));
    let mut s = format!(
        "{}: {}",
        if p.persuasive {
            "likely persuasive"
        } else {
            "probably not persuasive"
        },
        pct(p.probability)
    );
    let techniques: Vec<String> = p
        .techniques
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                super::guide::guide(t.technique).name,
                pct(t.probability)
            )
        })
        .collect();
    if !techniques.is_empty() {
        s.push_str(" — ");
        s.push_str(&techniques.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slicing_counts_code_points_and_clamps() {
        let idx = CharIndex::new("😀 Привет 中文");
        assert_eq!(idx.len(), 11);
        assert_eq!(idx.slice(2, 8), "Привет");
        assert_eq!(idx.slice(9, 99), "中文");
        assert_eq!(idx.slice(5, 2), "");
    }

    #[test]
    fn words() {
        assert_eq!(word_count("One, two — three 4.\n\n«пять»"), 5);
    }

    #[test]
    fn reliability_from_a_header() {
        let m = serde_json::json!({"out_of_fold": {"per_technique": [
            {"technique": "Slogans", "f1": 0.15, "support": 138, "reliable": true},
            {"technique": "Nonsense", "f1": 0.1, "support": 1, "reliable": false}
        ]}});
        let r = reliability_from_metrics(&m).expect("one row parses");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].technique, Technique::Slogans);
        assert!(reliability_from_metrics(&serde_json::json!({})).is_none());
    }
}
