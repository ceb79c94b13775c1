//! The technique classifier: given spans of an article, names the persuasion technique of
//! each (the technique-classification subtask of SemEval-2020 Task 11), with the reasons.
//!
//! The model is an L2-regularised multinomial logistic regression over the sparse features
//! of [`tc_features`](crate::analyse::techniques::classify::features), trained on gold spans with the deterministic
//! L-BFGS of [`classifier_trainer`](crate::analyse::techniques::classify::trainer). Each prediction comes with
//! [`Evidence`]: the features that pushed hardest towards the predicted technique
//! (weight × value > 0), said in plain words and citing the words of the text they come
//! from. How the configuration was chosen, with cross-validated figures, is in
//! `docs/techniques-tc.md`.

// Numeric kernels index several parallel arrays; index loops read best there.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use unspin_segment::{Segmentation, segment};

use crate::analyse::techniques::classify::features::{
    ArticleFeatures, Feature, FeatureConfig, Template,
};
pub use crate::analyse::techniques::classify::trainer::{ClassifierTrainConfig, ContextFeatures};
use crate::analyse::techniques::classify::trainer::{SparseRows, lbfgs, objective};
use crate::analyse::techniques::data::corpus::Article;
use crate::analyse::word_classes::WordClasses;
use crate::analysis::Technique;

/// Number of techniques (classes).
const K: usize = Technique::ALL.len();

/// Version of the classifier's parameters; bumped when features or their meaning change.
pub const CLASSIFIER_VERSION: u32 = 2;

/// One reason for a prediction, in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the reason is, e.g. `the word "regime", often used for name-calling in the
    /// training articles` or `in quotation marks`.
    pub description: String,
    /// The word or phrase cited, exactly as it appears in the span or its sentence.
    pub cue: Option<String>,
    /// How much it contributed to the predicted technique's score (weight × value, > 0).
    pub weight: f32,
    /// The template of the feature behind the reason, so that reader-facing explanations
    /// can tell a word of the span from a context word or a shape (not serialised).
    #[serde(skip)]
    pub template: Option<Template>,
    /// The feature's name, e.g. `u:regime` or `p:question` (not serialised).
    #[serde(skip)]
    pub feature: String,
    /// The count the feature quotes, e.g. occurrences in the article (not serialised).
    #[serde(skip)]
    pub count: usize,
}

/// The classifier's answer for one span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Probability of each technique, indexed like `Technique::ALL`; sums to 1.
    pub probs: [f32; 14],
    /// The strongest reasons for the top technique, strongest first (at most 4).
    pub evidence: Vec<Evidence>,
}

impl Classification {
    /// Index into `Technique::ALL` of the most probable technique (the first on ties).
    pub fn best_index(&self) -> usize {
        let mut best = 0;
        for (i, &p) in self.probs.iter().enumerate() {
            if p > self.probs[best] {
                best = i;
            }
        }
        best
    }

    /// The most probable technique.
    pub fn technique(&self) -> Technique {
        Technique::ALL[self.best_index()]
    }

    /// The probability of the most probable technique.
    pub fn confidence(&self) -> f32 {
        self.probs[self.best_index()]
    }

    /// The top reasons joined into one sentence, e.g. `Likely name-calling (71%): the word
    /// "regime", often used for name-calling in the training articles; in quotation marks.`
    pub fn summary(&self) -> String {
        let t = self.technique();
        let mut s = format!(
            "Likely {} ({:.0}%)",
            plain_name(t),
            100.0 * self.confidence()
        );
        if self.evidence.is_empty() {
            s.push('.');
            return s;
        }
        s.push_str(": ");
        let parts: Vec<&str> = self
            .evidence
            .iter()
            .map(|e| e.description.as_str())
            .collect();
        s.push_str(&parts.join("; "));
        s.push('.');
        s
    }
}

/// The technique in plain lower-case words, as used in explanations.
pub fn plain_name(t: Technique) -> &'static str {
    match t {
        Technique::LoadedLanguage => "loaded language",
        Technique::NameCallingLabeling => "name-calling",
        Technique::Repetition => "repetition",
        Technique::Doubt => "doubt",
        Technique::ExaggerationMinimisation => "exaggeration or minimisation",
        Technique::AppealToFearPrejudice => "appeal to fear or prejudice",
        Technique::FlagWaving => "flag-waving",
        Technique::CausalOversimplification => "causal oversimplification",
        Technique::AppealToAuthority => "appeal to authority",
        Technique::Slogans => "slogans",
        Technique::BlackAndWhiteFallacy => "black-and-white fallacy",
        Technique::WhataboutismStrawMenRedHerring => "whataboutism, straw men or red herrings",
        Technique::ThoughtTerminatingCliches => "thought-terminating clichés",
        Technique::BandwagonReductioAdHitlerum => "bandwagon or reductio ad Hitlerum",
    }
}

/// The serialised parameters of a [`TechniqueClassifier`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ClassifierParams {
    version: u32,
    features: FeatureConfig,
    /// Feature names, sorted.
    names: Vec<String>,
    /// `names.len() × 14` weights, feature-major.
    weights: Vec<f32>,
    /// The 14 biases.
    bias: Vec<f32>,
    /// Per feature, the technique whose training spans had it most often.
    top_class: Vec<u8>,
    /// Per feature, whether it occurred in more than 5% of the training spans (such
    /// features, e.g. very common words, are not cited as reasons).
    common: Vec<bool>,
    /// The word classes of the class features (`None` when trained without).
    classes: Option<Arc<WordClasses>>,
}

/// A trained technique classifier (see the module docs). Serialises to its parameters;
/// the lookup index is rebuilt on load.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "ClassifierParams", into = "ClassifierParams")]
pub struct TechniqueClassifier {
    params: ClassifierParams,
    index: HashMap<String, u32>,
    /// Contextual features, when trained with them (not serialised).
    context: Option<ContextFeatures>,
}

impl From<ClassifierParams> for TechniqueClassifier {
    fn from(params: ClassifierParams) -> Self {
        let index = params
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        TechniqueClassifier {
            params,
            index,
            context: None,
        }
    }
}

impl From<TechniqueClassifier> for ClassifierParams {
    fn from(c: TechniqueClassifier) -> Self {
        c.params
    }
}

impl PartialEq for TechniqueClassifier {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
    }
}

/// The gold spans of an article as `(start, end)` pairs, in their order (a range with two
/// techniques listed twice).
fn gold_ranges(a: &Article) -> Vec<(usize, usize)> {
    a.spans.iter().map(|s| (s.start, s.end)).collect()
}

fn technique_index(t: Technique) -> usize {
    Technique::ALL.iter().position(|&x| x == t).unwrap_or(0)
}

impl TechniqueClassifier {
    /// Trains on the gold spans of `articles` (each span one example; a range with two
    /// techniques gives two examples). Deterministic: same articles and configuration, same
    /// model.
    pub fn train(articles: &[&Article], cfg: &ClassifierTrainConfig) -> Self {
        // Features of every gold span.
        let mut examples: Vec<(Vec<(String, f32)>, usize)> = Vec::new();
        let mut buf = Vec::new();
        for a in articles {
            let seg = segment(&a.text);
            let ranges = gold_ranges(a);
            let af = ArticleFeatures::new(&a.text, &seg, &ranges, &cfg.features)
                .with_classes(cfg.word_classes.as_deref());
            let mut ctx = cfg.context.as_ref().map(|c| {
                let bounds: Vec<_> = ranges
                    .iter()
                    .map(|&(s, e)| af.sentence_bounds(s, e))
                    .collect();
                c.features(&a.text, &ranges, &bounds)
            });
            for (i, s) in a.spans.iter().enumerate() {
                af.extract(s.start, s.end, &mut buf);
                let mut feats: Vec<(String, f32)> =
                    buf.drain(..).map(|f: Feature| (f.key, f.value)).collect();
                if let Some(c) = ctx.as_mut() {
                    feats.append(&mut c[i]);
                }
                examples.push((feats, technique_index(s.technique)));
            }
        }
        // Vocabulary: features seen in at least `min_count` spans, sorted by name.
        let mut counts: BTreeMap<&str, [u32; K]> = BTreeMap::new();
        for (feats, y) in &examples {
            for (k, _) in feats {
                counts.entry(k.as_str()).or_insert([0; K])[*y] += 1;
            }
        }
        let kept: Vec<(&str, [u32; K])> = counts
            .into_iter()
            .filter(|(k, c)| *k == "bias" || c.iter().sum::<u32>() as usize >= cfg.min_count)
            .collect();
        let index: HashMap<&str, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (*k, i as u32))
            .collect();
        let nf = kept.len();
        let mut x = SparseRows::new();
        let mut y = Vec::with_capacity(examples.len());
        for (feats, label) in &examples {
            let mut row: Vec<(u32, f32)> = feats
                .iter()
                .filter_map(|(k, v)| index.get(k.as_str()).map(|&i| (i, *v)))
                .collect();
            row.sort_by_key(|e| e.0);
            x.push_row(row);
            y.push(*label);
        }
        let sw = vec![1.0; y.len()];
        // Naive-Bayes weights (centred per feature), blended in as configured.
        let mut nb = vec![0.0f64; nf * K];
        if cfg.nb_weight > 0.0 {
            let mut totals = [0f64; K];
            for (_, c) in &kept {
                for (t, &n) in totals.iter_mut().zip(c) {
                    *t += f64::from(n);
                }
            }
            let a = cfg.nb_alpha;
            let nfa = nf as f64 * a;
            for (j, (_, c)) in kept.iter().enumerate() {
                let mut lt = [0f64; K];
                for k in 0..K {
                    lt[k] = ((f64::from(c[k]) + a) / (totals[k] + nfa)).ln();
                }
                let mean = lt.iter().sum::<f64>() / K as f64;
                for k in 0..K {
                    nb[j * K + k] = cfg.nb_weight * (lt[k] - mean);
                }
            }
        }
        let offset = (cfg.nb_weight > 0.0 && cfg.nb_offset).then_some(nb.as_slice());
        let mut w = vec![0.0f64; nf * K + K];
        if !y.is_empty() {
            lbfgs(
                |w, g| objective(&x, &y, &sw, K, cfg.l2, offset, w, g),
                &mut w,
                cfg.max_iter,
                cfg.memory,
                cfg.tolerance,
            );
        }
        if cfg.nb_weight > 0.0 {
            for (wj, o) in w.iter_mut().zip(&nb) {
                *wj += o;
            }
        }
        // Prune: drop features whose weights are all tiny, zero single tiny weights.
        let mut names = Vec::new();
        let mut weights = Vec::new();
        let mut top_class = Vec::new();
        let mut common = Vec::new();
        let n_examples = y.len();
        for (j, (name, c)) in kept.iter().enumerate() {
            let wj = &w[j * K..(j + 1) * K];
            if wj.iter().all(|v| v.abs() < f64::from(cfg.prune_below)) {
                continue;
            }
            names.push((*name).to_string());
            weights.extend(wj.iter().map(|&v| {
                if v.abs() < f64::from(cfg.prune_below) {
                    0.0
                } else {
                    v as f32
                }
            }));
            let mut best = 0;
            for (i, &n) in c.iter().enumerate() {
                if n > c[best] {
                    best = i;
                }
            }
            top_class.push(best as u8);
            common.push(c.iter().sum::<u32>() as usize * 20 > n_examples);
        }
        let bias = w[nf * K..].iter().map(|&v| v as f32).collect();
        let model: TechniqueClassifier = ClassifierParams {
            version: CLASSIFIER_VERSION,
            features: cfg.features.clone(),
            names,
            weights,
            bias,
            top_class,
            common,
            classes: cfg.word_classes.clone(),
        }
        .into();
        let mut model: TechniqueClassifier = model;
        model.context = cfg.context.clone();
        model
    }

    /// Number of features with a weight.
    pub fn num_features(&self) -> usize {
        self.params.names.len()
    }

    /// Classifies the spans `spans` (code-point ranges) of one article `text`, segmented as
    /// `seg`. Article-level statistics are computed once for all spans. A range listed
    /// `n` times is taken to carry `n` techniques: its second copy gets the probabilities
    /// with the first copy's top technique removed (renormalised), and so on.
    pub fn classify(
        &self,
        text: &str,
        seg: &Segmentation,
        spans: &[(usize, usize)],
    ) -> Vec<Classification> {
        let p = &self.params;
        let af =
            ArticleFeatures::new(text, seg, spans, &p.features).with_classes(p.classes.as_deref());
        let mut buf = Vec::new();
        let mut taken: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        let mut out = Vec::with_capacity(spans.len());
        let mut hits: Vec<(usize, f32, usize)> = Vec::new();
        let ctx = self.context.as_ref().map(|c| {
            let bounds: Vec<_> = spans
                .iter()
                .map(|&(s, e)| af.sentence_bounds(s, e))
                .collect();
            c.features(text, spans, &bounds)
        });
        for (si, &(s, e)) in spans.iter().enumerate() {
            af.extract(s, e, &mut buf);
            hits.clear();
            let mut z = [0f64; K];
            for (c, b) in z.iter_mut().zip(&p.bias) {
                *c = f64::from(*b);
            }
            if let Some(ctx) = &ctx {
                for (k, v) in &ctx[si] {
                    if let Some(&j) = self.index.get(k.as_str()) {
                        let wj = &p.weights[j as usize * K..(j as usize + 1) * K];
                        for c in 0..K {
                            z[c] += f64::from(*v) * f64::from(wj[c]);
                        }
                    }
                }
            }
            for (fi, f) in buf.iter().enumerate() {
                if let Some(&j) = self.index.get(f.key.as_str()) {
                    let j = j as usize;
                    let wj = &p.weights[j * K..(j + 1) * K];
                    for c in 0..K {
                        z[c] += f64::from(f.value) * f64::from(wj[c]);
                    }
                    hits.push((j, f.value, fi));
                }
            }
            crate::analyse::techniques::classify::trainer::softmax(&mut z);
            let prev = taken.entry((s, e)).or_default();
            if prev.len() < K {
                for &c in prev.iter() {
                    z[c] = 0.0;
                }
                let sum: f64 = z.iter().sum();
                if sum > 0.0 {
                    z.iter_mut().for_each(|v| *v /= sum);
                }
            }
            let mut probs = [0f32; K];
            for (q, v) in probs.iter_mut().zip(&z) {
                *q = *v as f32;
            }
            let mut best = 0;
            for c in 0..K {
                if z[c] > z[best] {
                    best = c;
                }
            }
            prev.push(best);
            let evidence = self.evidence(&af, s, e, best, &buf, &hits);
            out.push(Classification { probs, evidence });
        }
        out
    }

    /// The strongest positive contributions to class `c`, described.
    fn evidence(
        &self,
        af: &ArticleFeatures<'_>,
        s: usize,
        e: usize,
        c: usize,
        feats: &[Feature],
        hits: &[(usize, f32, usize)],
    ) -> Vec<Evidence> {
        let p = &self.params;
        // Rank by how much more the feature pushes towards `c` than towards the average
        // technique, among features pushing towards `c` at all.
        let mut ranked: Vec<(f32, f32, usize, usize)> = hits
            .iter()
            .filter_map(|&(j, v, fi)| {
                let wj = &p.weights[j * K..(j + 1) * K];
                let contrib = v * wj[c];
                let mean = wj.iter().sum::<f32>() / K as f32;
                let rel = v * (wj[c] - mean);
                (contrib > 0.0 && rel > 0.0).then_some((rel, contrib, j, fi))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let (ss, se) = af.sentence_bounds(s, e);
        let _ = (ss, se);
        let mut out: Vec<Evidence> = Vec::new();
        for (_, contrib, j, fi) in ranked {
            let f = &feats[fi];
            if p.common[j] && f.cue.is_some() {
                continue;
            }
            let Some((description, cue)) =
                describe(af, f, Technique::ALL[c], p.top_class[j] as usize == c, s, e)
            else {
                continue;
            };
            let same_cue = |o: &Evidence| match (&o.cue, &cue) {
                (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
                _ => false,
            };
            if out
                .iter()
                .any(|o| o.description == description || same_cue(o))
            {
                continue;
            }
            out.push(Evidence {
                description,
                cue,
                weight: contrib,
                template: Some(f.template),
                feature: f.key.clone(),
                count: f.count,
            });
            if out.len() == 4 {
                break;
            }
        }
        out
    }
}

/// A plain-words description of feature `f` as a reason for technique `t` (`typical`: the
/// feature was seen most often with `t` in training), and its cue; `None` for features that
/// make no sense as a reason on their own.
fn describe(
    af: &ArticleFeatures<'_>,
    f: &Feature,
    t: Technique,
    typical: bool,
    s: usize,
    e: usize,
) -> Option<(String, Option<String>)> {
    let cue = f
        .cue
        .map(|(a, b)| af.surface(a, b))
        .filter(|c| !c.trim().is_empty());
    let assoc = if typical {
        format!("often used for {} in the training articles", plain_name(t))
    } else {
        format!("associated with {} in the training articles", plain_name(t))
    };
    let needs_cue = f.template.quotes_text();
    if needs_cue && cue.is_none() {
        return None;
    }
    let q = |c: &Option<String>| c.clone().unwrap_or_default();
    let count = f.count;
    let d = match f.template {
        Template::SpanWord => format!("the word \"{}\", {assoc}", q(&cue)),
        Template::SpanStem => format!("the word \"{}\" (and its other forms), {assoc}", q(&cue)),
        Template::WholeSpan => format!("the phrase \"{}\", {assoc}", q(&cue)),
        Template::SpanBigram if f.key.starts_with("b:<s> ") => {
            format!("starts with \"{}\", {assoc}", q(&cue))
        }
        Template::SpanBigram if f.key.ends_with(" </s>") => {
            format!("ends with \"{}\", {assoc}", q(&cue))
        }
        Template::SpanBigram => format!("the words \"{}\", {assoc}", q(&cue)),
        Template::FirstWord => format!("starts with \"{}\", {assoc}", q(&cue)),
        Template::LastWord => format!("ends with \"{}\", {assoc}", q(&cue)),
        // A character n-gram is a piece of spelling, not something a reader can weigh: say
        // what it means (the word looks like words the training articles used that way).
        Template::CharNgram => format!("the word \"{}\" (spelled like words {assoc})", q(&cue)),
        Template::WordClass => format!(
            "the word \"{}\" (words with similar uses are {assoc})",
            q(&cue)
        ),
        Template::ClassPair => {
            format!("the words \"{}\" (similar word pairs are {assoc})", q(&cue))
        }
        Template::ContextClass => {
            let side = if f.key.starts_with("wcL") {
                "before"
            } else {
                "after"
            };
            format!(
                "the word \"{}\" just {side} the span (words like it are {assoc})",
                q(&cue)
            )
        }
        Template::LeftWord => format!("context word \"{}\" before the span", q(&cue)),
        Template::RightWord => format!("context word \"{}\" after the span", q(&cue)),
        Template::SentenceWord => format!("the word \"{}\" in the same sentence", q(&cue)),
        Template::Length => {
            if count == 1 {
                "a single word".to_string()
            } else {
                format!("the span is {count} words long")
            }
        }
        Template::Repeated => {
            if count < 2 {
                return None;
            }
            if f.key.starts_with("repx") {
                format!("the phrase occurs {count} times in the article with the same capitals")
            } else {
                format!("the phrase occurs {count} times in the article")
            }
        }
        Template::RepeatedWord => {
            if count < 2 {
                return None;
            }
            format!(
                "the word \"{}\" occurs {count} times in the article",
                q(&cue)
            )
        }
        Template::Occurrence => {
            if f.key == "occ:later" {
                "the phrase already occurred earlier in the article".to_string()
            } else {
                "the first of several occurrences of the phrase".to_string()
            }
        }
        Template::Quotes => match f.key.as_str() {
            "q:around" => "in quotation marks".to_string(),
            "q:one_side" => "next to a quotation mark".to_string(),
            _ => "contains a quotation".to_string(),
        },
        Template::Capitals => match f.key.as_str() {
            "caps:all" => "written in capitals".to_string(),
            "caps:title" => "most words capitalised".to_string(),
            _ => "contains a capitalised word".to_string(),
        },
        Template::Punctuation => match f.key.as_str() {
            "p:excl_in" => "contains an exclamation mark".to_string(),
            "p:excl_after" => "followed by an exclamation mark".to_string(),
            "p:question" => "a question".to_string(),
            "p:question_sentence" => "in a sentence with a question mark".to_string(),
            _ => "in a sentence with an exclamation mark".to_string(),
        },
        Template::Position => match f.key.as_str() {
            "cover:3" => "covers (nearly) its whole sentence".to_string(),
            "at:starttrue" => "at the start of its sentence".to_string(),
            "at:endtrue" => "at the end of its sentence".to_string(),
            "multi_sentence" => "runs over more than one sentence".to_string(),
            "in_title" => "in the title".to_string(),
            _ => return None,
        },
        Template::Number => "contains a number".to_string(),
        Template::Listed => {
            if f.key == "listed:twice" {
                "the same passage is marked with more than one technique".to_string()
            } else if count > 1 {
                format!("{count} marked passages have this wording")
            } else {
                return None;
            }
        }
        Template::ListedWord => {
            if count == 0 {
                return None;
            }
            format!(
                "the word \"{}\" also occurs in {count} other marked passage{}",
                q(&cue),
                if count == 1 { "" } else { "s" }
            )
        }
        Template::Nesting => {
            if f.key == "listed:inside" {
                "part of a longer marked passage".to_string()
            } else if f.key.starts_with("listed:contains") {
                format!(
                    "contains {count} shorter marked passage{}",
                    if count == 1 { "" } else { "s" }
                )
            } else {
                "overlaps another marked passage".to_string()
            }
        }
        Template::Bias => return None,
    };
    let cue = match f.template {
        Template::Repeated | Template::Occurrence | Template::Listed => {
            cue.filter(|c| c.chars().count() <= 80)
        }
        t if t.quotes_text() => cue,
        _ => None,
    };
    let _ = (s, e);
    Some((d, cue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::techniques::data::corpus::{
        Corpus, GoldSpan, LoadOptions, OutOfRangePolicy,
    };

    /// A tiny synthetic corpus: "regime" spans are name-calling, repeated slogans are
    /// repetition, "terrible disaster" is loaded language.
    fn toy_articles() -> Vec<Article> {
        let mut out = Vec::new();
        for i in 0..6 {
            let text = format!(
                "Title number {i}\n\nThe regime said it again. This is a terrible disaster! \
                 Build the wall, they cried. Later they cried: build the wall. \"The regime\" lies."
            );
            let find = |needle: &str, nth: usize| -> (usize, usize) {
                let b = text.match_indices(needle).nth(nth).unwrap().0;
                let s = text[..b].chars().count();
                (s, s + needle.chars().count())
            };
            let mut spans = vec![
                (find("regime", 0), Technique::NameCallingLabeling),
                (find("terrible disaster", 0), Technique::LoadedLanguage),
                (find("Build the wall", 0), Technique::Slogans),
                (find("build the wall", 0), Technique::Repetition),
                (find("regime", 1), Technique::NameCallingLabeling),
            ];
            if i % 2 == 0 {
                spans.push((find("terrible", 0), Technique::ExaggerationMinimisation));
            }
            let mut spans: Vec<GoldSpan> = spans
                .into_iter()
                .map(|((start, end), technique)| GoldSpan {
                    start,
                    end,
                    technique,
                })
                .collect();
            spans.sort();
            out.push(Article {
                id: format!("{i}"),
                text,
                spans,
                si_spans: None,
            });
        }
        out
    }

    fn quick_config() -> ClassifierTrainConfig {
        ClassifierTrainConfig {
            min_count: 1,
            max_iter: 100,
            ..ClassifierTrainConfig::default()
        }
    }

    /// Checks every invariant of a classification of `spans` of `text`.
    fn check_output(
        text: &str,
        seg: &Segmentation,
        spans: &[(usize, usize)],
        out: &[Classification],
    ) {
        assert_eq!(out.len(), spans.len());
        let cfg = FeatureConfig::default();
        let af = ArticleFeatures::new(text, seg, spans, &cfg);
        for (c, &(s, e)) in out.iter().zip(spans) {
            let sum: f32 = c.probs.iter().sum();
            assert!((sum - 1.0).abs() < 1e-4, "probs sum to {sum}");
            assert!(c.evidence.len() <= 4);
            let span = af.surface(s, e);
            let (ss, se) = af.sentence_bounds(s, e);
            let sentence = af.surface(ss, se);
            for (k, ev) in c.evidence.iter().enumerate() {
                assert!(ev.weight > 0.0, "{ev:?}");
                if k > 0 {
                    assert!(!ev.description.is_empty());
                }
                if let Some(cue) = &ev.cue {
                    assert!(
                        span.contains(cue.as_str()) || sentence.contains(cue.as_str()),
                        "cue {cue:?} not in span {span:?} or sentence {sentence:?}"
                    );
                }
            }
            let summary = c.summary();
            assert!(summary.starts_with("Likely "), "{summary}");
        }
    }

    #[test]
    fn trains_deterministically_and_explains() {
        let arts = toy_articles();
        let refs: Vec<&Article> = arts.iter().collect();
        let cfg = quick_config();
        let a = TechniqueClassifier::train(&refs, &cfg);
        let b = TechniqueClassifier::train(&refs, &cfg);
        assert_eq!(a, b);
        let art = &arts[1];
        let seg = segment(&art.text);
        let spans = gold_ranges(art);
        let out = a.classify(&art.text, &seg, &spans);
        check_output(&art.text, &seg, &spans, &out);
        // The training spans are learned.
        let right = out
            .iter()
            .zip(&art.spans)
            .filter(|(c, g)| c.technique() == g.technique)
            .count();
        assert!(right >= 4, "{right} of {}", spans.len());
        let regime = out[0].clone();
        assert_eq!(regime.technique(), Technique::NameCallingLabeling);
        assert!(!regime.evidence.is_empty());
        assert!(
            regime.summary().contains("name-calling"),
            "{}",
            regime.summary()
        );
    }

    #[test]
    fn a_range_listed_twice_gets_two_techniques() {
        let arts = toy_articles();
        let refs: Vec<&Article> = arts.iter().collect();
        let model = TechniqueClassifier::train(&refs, &quick_config());
        let art = &arts[0];
        let seg = segment(&art.text);
        let s = art
            .spans
            .iter()
            .find(|s| s.technique == Technique::LoadedLanguage)
            .unwrap();
        let out = model.classify(&art.text, &seg, &[(s.start, s.end), (s.start, s.end)]);
        assert_ne!(out[0].technique(), out[1].technique());
        assert_eq!(out[1].probs[out[0].best_index()], 0.0);
    }

    #[test]
    fn serde_round_trip_keeps_predictions() {
        let arts = toy_articles();
        let refs: Vec<&Article> = arts.iter().collect();
        let model = TechniqueClassifier::train(&refs, &quick_config());
        let json = serde_json::to_string(&model).unwrap();
        let back: TechniqueClassifier = serde_json::from_str(&json).unwrap();
        assert_eq!(back, model);
        let art = &arts[2];
        let seg = segment(&art.text);
        let spans = gold_ranges(art);
        assert_eq!(
            back.classify(&art.text, &seg, &spans),
            model.classify(&art.text, &seg, &spans)
        );
    }

    #[test]
    fn word_classes_are_kept_in_the_model_and_explained() {
        let arts = toy_articles();
        let refs: Vec<&Article> = arts.iter().collect();
        let words: Vec<String> = ["regime", "junta", "terrible", "awful", "wall"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let vectors = [1.0, 0.0, 0.9, 0.1, 0.0, 1.0, 0.1, 0.9, 0.7, 0.7];
        let wc = Arc::new(WordClasses::learn(words, &vectors, 2, &[3], 10, 1));
        assert_eq!(wc.get("regime"), wc.get("junta"));
        let mut cfg = quick_config();
        cfg.features.class_levels = vec![0];
        cfg.features.class_edges = true;
        cfg.word_classes = Some(wc);
        let model = TechniqueClassifier::train(&refs, &cfg);
        assert!(model.params.names.iter().any(|n| n.starts_with("wc0:")));
        let bytes = postcard::to_stdvec(&model).unwrap();
        let back: TechniqueClassifier = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, model);
        // "junta" was never seen in training but shares the class of "regime".
        let text = "The junta said it again.";
        let seg = segment(text);
        let out = back.classify(text, &seg, &[(4, 9)]);
        check_output(text, &seg, &[(4, 9)], &out);
        let nc = technique_index(Technique::NameCallingLabeling);
        let plain = TechniqueClassifier::train(&refs, &quick_config());
        let without = plain.classify(text, &seg, &[(4, 9)]);
        assert!(out[0].probs[nc] > without[0].probs[nc]);
        // The class feature is explained with the word that carries it.
        let af = ArticleFeatures::new(text, &seg, &[(4, 9)], &cfg.features)
            .with_classes(back.params.classes.as_deref());
        let mut feats = Vec::new();
        af.extract(4, 9, &mut feats);
        let f = feats
            .iter()
            .find(|f| f.template == Template::WordClass)
            .unwrap();
        let (d, cue) = describe(&af, f, Technique::NameCallingLabeling, true, 4, 9).unwrap();
        assert_eq!(cue.as_deref(), Some("junta"));
        assert!(d.contains("\"junta\"") && d.contains("similar"), "{d}");
    }

    #[test]
    fn empty_and_odd_spans_do_not_panic() {
        let arts = toy_articles();
        let refs: Vec<&Article> = arts.iter().collect();
        let model = TechniqueClassifier::train(&refs, &quick_config());
        let text = "Short.";
        let seg = segment(text);
        let out = model.classify(text, &seg, &[(0, 0), (3, 100), (0, 6)]);
        assert_eq!(out.len(), 3);
        let empty = TechniqueClassifier::train(&[], &quick_config());
        let out = empty.classify(text, &seg, &[(0, 5)]);
        assert!((out[0].probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    /// Trains on 40 PTC articles and classifies 15 others (skipped without the data).
    #[test]
    fn trains_on_ptc_articles() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-train");
        if !dir.join("techniques.tsv").is_file() {
            eprintln!(
                "skipping trains_on_ptc_articles: no PTC data at {}",
                dir.display()
            );
            return;
        }
        let corpus = Corpus::load_with(
            &dir,
            LoadOptions {
                out_of_range: OutOfRangePolicy::Clamp,
            },
        )
        .unwrap();
        let train: Vec<&Article> = corpus.articles.iter().take(40).collect();
        let cfg = ClassifierTrainConfig {
            max_iter: 60,
            ..ClassifierTrainConfig::default()
        };
        let t0 = std::time::Instant::now();
        let model = TechniqueClassifier::train(&train, &cfg);
        eprintln!("trained on 40 articles in {:.1?}", t0.elapsed());
        let (mut right, mut total, mut cues) = (0, 0, 0);
        for a in corpus.articles.iter().skip(40).take(15) {
            let seg = segment(&a.text);
            let spans = gold_ranges(a);
            let out = model.classify(&a.text, &seg, &spans);
            check_output(&a.text, &seg, &spans, &out);
            for (c, g) in out.iter().zip(&a.spans) {
                total += 1;
                right += usize::from(c.technique() == g.technique);
                cues += c.evidence.iter().filter(|e| e.cue.is_some()).count();
            }
        }
        let acc = right as f64 / total as f64;
        eprintln!("held-out accuracy {acc:.3} on {total} spans, {cues} cues");
        assert!(total > 50 && acc > 0.25, "accuracy {acc} on {total}");
        assert!(cues > 0);
    }
}
