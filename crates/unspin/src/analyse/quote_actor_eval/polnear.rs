//! Evaluation of the quotes analyser on PolNeAR-format attribution data (an
//! `articles.jsonl` of news articles, each with its annotated attributions: source, cue and
//! content, direct or indirect).
//!
//! # Matching rules (those of the data's README)
//!
//! - **Content.** A predicted quote matches a gold content when their overlap is at least
//!   half of the gold content's length (over its fragments, for a discontinuous content).
//!   Recall is the share of gold contents some predicted quote matches, precision the share
//!   of predicted quotes that match some gold content. The *direct* row keeps gold contents
//!   marked `direct` and predicted quotes in quotation marks (every kind but indirect).
//!   The data derives `direct` from “, ” and "; a content written with two apostrophes as
//!   its marks (`''`, as in one outlet's text) is counted as direct too.
//! - **Statements.** A quote and the quotes that continue it (`continues`: "“A,” she
//!   said. “B.”") count as one predicted attribution, since PolNeAR annotates such a
//!   statement as one discontinuous content.
//! - **Source.** Over matched gold contents that have a source span: the best-overlapping
//!   predicted quote (among those the row counts) is right when its speaker mention overlaps
//!   the gold source, or when the actor it resolved to has a mention overlapping it (so "he"
//!   resolved to the right person counts).
//!
//! Source accuracy is also given by the kind of the gold source: a *person* or a *group*
//! (an organisation, institution, party, campaign, country or a plural noun such as
//! "Democratic lawmakers"), read from the actors analyser's type of the mention covering the
//! gold source, or from the source's own words when no mention covers it; pronouns are
//! counted by what they stand for when the analyser resolved them, otherwise by the pronoun
//! ("he", "she" are persons; "they", "we", "it" groups).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::{Actor, ActorType, Quote, QuoteKind};

use super::dataset::DatasetError;
use super::run::{Predicted, predict};

/// A span of a PolNeAR annotation, in code points, with its fragments when discontinuous.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The words (fragments joined by spaces when discontinuous).
    #[serde(default)]
    pub text: String,
    /// The pieces of a discontinuous span.
    #[serde(default)]
    pub fragments: Option<Vec<[usize; 2]>>,
    /// For a source that is a relative pronoun ("Trump, who said …"): where the phrase it
    /// attaches to ends (before the comma), set by [`read_dir`]. A speaker mention ending
    /// there names the source, as a pronoun resolved to the right person does.
    #[serde(skip)]
    pub antecedent_end: Option<usize>,
}

impl GoldSpan {
    /// The pieces of the span: its fragments, or the whole.
    pub fn pieces(&self) -> Vec<(usize, usize)> {
        match &self.fragments {
            Some(f) if !f.is_empty() => f.iter().map(|p| (p[0], p[1])).collect(),
            _ => vec![(self.start, self.end)],
        }
    }

    /// Code points covered.
    pub fn len(&self) -> usize {
        self.pieces()
            .iter()
            .map(|&(a, b)| b.saturating_sub(a))
            .sum()
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Code points shared with `start..end`.
    pub fn overlap(&self, start: usize, end: usize) -> usize {
        self.pieces()
            .iter()
            .map(|&(a, b)| b.min(end).saturating_sub(a.max(start)))
            .sum()
    }
}

/// One annotated attribution: who (source), the cue, and what (content).
#[derive(Debug, Clone, Deserialize)]
pub struct Attribution {
    /// The source's span, if annotated.
    pub source: Option<GoldSpan>,
    /// The cue's span, if annotated.
    pub cue: Option<GoldSpan>,
    /// The content's span, if annotated.
    pub content: Option<GoldSpan>,
    /// True when the content holds a quotation mark.
    #[serde(default)]
    pub direct: bool,
}

/// One article of the corpus with its attributions.
#[derive(Debug, Clone, Deserialize)]
pub struct Article {
    /// Article id.
    pub id: String,
    /// `train` or `dev`.
    #[serde(default)]
    pub split: String,
    /// The publisher.
    #[serde(default)]
    pub outlet: String,
    /// The text the offsets count in.
    pub text: String,
    /// Attributions, ordered by content start.
    #[serde(default)]
    pub attributions: Vec<Attribution>,
}

/// True when `dir` holds PolNeAR-format data (an `articles.jsonl`).
pub fn is_polnear_dir(dir: &Path) -> bool {
    dir.join("articles.jsonl").is_file()
}

/// Reads `DIR/articles.jsonl`, checking that every span's offsets fall inside its text.
pub fn read_dir(dir: &Path) -> Result<Vec<Article>, DatasetError> {
    let path = dir.join("articles.jsonl");
    let err = |line: usize, message: String| DatasetError {
        path: path.clone(),
        message: if line == 0 {
            message
        } else {
            format!("line {line}: {message}")
        },
    };
    let file = std::fs::File::open(&path).map_err(|e| err(0, e.to_string()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| err(n + 1, e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut a: Article = serde_json::from_str(&line).map_err(|e| err(n + 1, e.to_string()))?;
        // The data derives `direct` from “, ” and "; one outlet's text writes double marks
        // as two apostrophes (''), and its quotations are direct too.
        for at in &mut a.attributions {
            at.direct |= at.content.as_ref().is_some_and(|c| c.text.contains("''"));
        }
        let chars: Vec<char> = a.text.chars().collect();
        let len = chars.len();
        for src in a
            .attributions
            .iter_mut()
            .filter_map(|at| at.source.as_mut())
        {
            src.antecedent_end = antecedent_end(&chars, src);
        }
        for at in &a.attributions {
            for s in [&at.source, &at.cue, &at.content].into_iter().flatten() {
                if s.pieces().iter().any(|&(x, y)| x > y || y > len) {
                    return Err(err(
                        n + 1,
                        format!("{}: span {}..{} outside the text", a.id, s.start, s.end),
                    ));
                }
            }
        }
        out.push(a);
    }
    if out.is_empty() {
        return Err(err(0, "no articles".into()));
    }
    Ok(out)
}

/// Where the antecedent of a relative-pronoun source ends: the pronoun's start, less the
/// spaces and commas before it ("Trump, who" → the end of "Trump").
fn antecedent_end(text: &[char], src: &GoldSpan) -> Option<usize> {
    let relative = matches!(
        src.text.trim().to_lowercase().as_str(),
        "who" | "whom" | "whose" | "which" | "that"
    );
    if !relative || src.start > text.len() {
        return None;
    }
    let mut k = src.start;
    while k > 0 && (text[k - 1].is_whitespace() || text[k - 1] == ',') {
        k -= 1;
    }
    (k > 0 && k < src.start).then_some(k)
}

/// Kind of a gold source, for the breakdown of source accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A person.
    Person,
    /// An organisation, institution, country or group of people.
    Group,
    /// Neither could be told (a document, a place, unknown words).
    Other,
}

/// Counts for one row of the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContentScore {
    /// Gold contents counted.
    pub gold: usize,
    /// Gold contents matched by a predicted quote.
    pub gold_matched: usize,
    /// Predicted quotes counted.
    pub predicted: usize,
    /// Predicted quotes matching a gold content.
    pub predicted_matched: usize,
    /// Matched gold contents that have a source.
    pub with_source: usize,
    /// Of those, how many have the right speaker.
    pub source_right: usize,
    /// Source counts by kind of gold source: (with source, right).
    pub by_kind: HashMap<SourceKind, (usize, usize)>,
    /// Matched gold contents with a source where the prediction names no speaker at all.
    pub no_speaker: usize,
}

impl ContentScore {
    /// Precision, recall and F1 of the content match.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = ratio(self.predicted_matched, self.predicted);
        let r = ratio(self.gold_matched, self.gold);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    /// Share of matched gold contents with a source whose speaker is right.
    pub fn source_accuracy(&self) -> f64 {
        ratio(self.source_right, self.with_source)
    }

    /// Source accuracy on one kind of source, with its count.
    pub fn kind_accuracy(&self, k: SourceKind) -> (f64, usize) {
        let (n, right) = self.by_kind.get(&k).copied().unwrap_or_default();
        (ratio(right, n), n)
    }

    fn add(&mut self, o: &ContentScore) {
        self.gold += o.gold;
        self.gold_matched += o.gold_matched;
        self.predicted += o.predicted;
        self.predicted_matched += o.predicted_matched;
        self.with_source += o.with_source;
        self.source_right += o.source_right;
        self.no_speaker += o.no_speaker;
        for (k, &(n, r)) in &o.by_kind {
            let e = self.by_kind.entry(*k).or_default();
            e.0 += n;
            e.1 += r;
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A wrong or missing speaker, kept for reading what goes wrong.
#[derive(Debug, Clone, Serialize)]
pub struct SourceError {
    /// Article id.
    pub article: String,
    /// The gold content's words (cut to 160 characters).
    pub content: String,
    /// The gold source's words.
    pub gold_source: String,
    /// Kind of the gold source.
    pub kind: SourceKind,
    /// The predicted speaker mention, if any.
    pub speaker: Option<String>,
    /// The actor it resolved to, if any.
    pub actor: Option<String>,
    /// How it was resolved.
    pub resolution: String,
    /// Direct or not.
    pub direct: bool,
    /// The gold cue.
    pub cue: Option<String>,
}

/// Scores of one article: all attributions, direct ones, and the wrong speakers.
#[derive(Debug, Clone, Default)]
pub struct ArticleScore {
    /// All attributions.
    pub all: ContentScore,
    /// Direct attributions and quotations only.
    pub direct: ContentScore,
    /// Wrong or missing speakers (direct and indirect).
    pub errors: Vec<SourceError>,
    /// Gold direct contents no quote matched.
    pub missed_direct: Vec<String>,
    /// Gold indirect contents no quote matched: (cue, words).
    pub missed_indirect: Vec<(Option<String>, String)>,
    /// Predicted quotations that match no gold content: (kind, words).
    pub spurious: Vec<(QuoteKind, String)>,
    /// Gold contents that are whole quotations ([`is_whole_quotation`]) against predicted
    /// quotations.
    pub whole: ContentScore,
}

/// True when a content is a quotation from its first mark to its last ("“…,”"), not a
/// paraphrase around quoted words: the passages a reader calls quotes.
pub fn is_whole_quotation(text: &str) -> bool {
    const MARKS: &[char] = &['"', '“', '”', '\'', '‘', '’'];
    let t = text.trim();
    let end = t.trim_end_matches(['.', ',', ';', ':']);
    t.chars().count() > 2 && t.starts_with(MARKS) && end.ends_with(MARKS)
}

fn is_pronoun(s: &str) -> Option<SourceKind> {
    match s.trim().to_lowercase().as_str() {
        "he" | "she" | "i" | "him" | "her" | "me" | "who" | "whom" => Some(SourceKind::Person),
        "they" | "we" | "it" | "them" | "us" | "which" | "that" => Some(SourceKind::Group),
        _ => None,
    }
}

/// Head words of groups written in lower case ("Democratic lawmakers", "the campaign").
const GROUP_WORDS: &[&str] = &[
    "campaign",
    "committee",
    "officials",
    "lawmakers",
    "democrats",
    "republicans",
    "aides",
    "advisers",
    "advisors",
    "supporters",
    "voters",
    "critics",
    "analysts",
    "experts",
    "polls",
    "poll",
    "survey",
    "party",
    "administration",
    "government",
    "leaders",
    "members",
    "staff",
    "spokesmen",
    "people",
    "group",
    "groups",
    "organization",
    "organisation",
    "department",
    "agency",
    "court",
    "congress",
    "senate",
    "house",
    "state",
    "report",
    "study",
    "democrats,",
    "conservatives",
    "liberals",
    "activists",
    "sources",
    "donors",
    "delegates",
    "republicans,",
    "media",
    "press",
    "network",
    "newspaper",
    "website",
    "paper",
];

fn kind_of_source(src: &GoldSpan, pred: &Predicted) -> SourceKind {
    // The actor whose mention covers most of the source.
    let best = pred
        .actors
        .iter()
        .flat_map(|a| a.mentions.iter().map(move |m| (a, m)))
        .map(|(a, m)| (a, src.overlap(m.start, m.end)))
        .filter(|&(_, o)| o > 0)
        .max_by_key(|&(_, o)| o);
    if let Some((a, _)) = best {
        return match a.kind {
            ActorType::Person => SourceKind::Person,
            ActorType::Organisation | ActorType::Country => SourceKind::Group,
            ActorType::Place | ActorType::Document => SourceKind::Other,
        };
    }
    if let Some(k) = is_pronoun(&src.text) {
        return k;
    }
    let last = src
        .text
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if GROUP_WORDS.contains(&last.as_str()) {
        return SourceKind::Group;
    }
    let words: Vec<&str> = src.text.split_whitespace().collect();
    if !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return SourceKind::Person;
    }
    SourceKind::Other
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// True when the quote's speaker mention, or a mention of the actor it resolved to,
/// overlaps the gold source (or, for a relative-pronoun source, ends where the phrase the
/// pronoun attaches to ends).
pub fn speaker_right(q: &Quote, src: &GoldSpan, actors: &HashMap<&str, &Actor>) -> bool {
    let pieces = src.pieces();
    let hit = |s: usize, e: usize| {
        pieces.iter().any(|&p| overlaps(p, (s, e))) || src.antecedent_end == Some(e)
    };
    if q.speaker.as_ref().is_some_and(|s| hit(s.start, s.end)) {
        return true;
    }
    q.actor
        .as_ref()
        .and_then(|r| actors.get(r.id.as_str()))
        .is_some_and(|a| a.mentions.iter().any(|m| hit(m.start, m.end)))
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// A predicted statement: a quote with the quotes that continue it ([`Quote::continues`]).
struct Unit<'a> {
    parts: Vec<&'a Quote>,
}

impl Unit<'_> {
    fn overlap(&self, c: &GoldSpan) -> usize {
        self.parts.iter().map(|q| c.overlap(q.start, q.end)).sum()
    }

    fn quotation(&self) -> bool {
        self.parts.iter().any(|q| q.kind != QuoteKind::Indirect)
    }

    fn first(&self) -> &Quote {
        self.parts[0]
    }
}

fn units(quotes: &[Quote]) -> Vec<Unit<'_>> {
    let mut out: Vec<Unit> = Vec::new();
    let mut at: HashMap<usize, usize> = HashMap::new();
    for (i, q) in quotes.iter().enumerate() {
        match q.continues.and_then(|r| at.get(&r).copied()) {
            Some(u) => out[u].parts.push(q),
            None => {
                at.insert(i, out.len());
                out.push(Unit { parts: vec![q] });
            }
        }
    }
    out
}

/// Scores one article's predictions against its gold attributions. A quote and the quotes
/// that continue it count as one predicted attribution, as PolNeAR annotates them.
pub fn score_article(a: &Article, pred: &Predicted) -> ArticleScore {
    let actors: HashMap<&str, &Actor> = pred.actors.iter().map(|x| (x.id.as_str(), x)).collect();
    let mut out = ArticleScore::default();
    let golds: Vec<(&Attribution, &GoldSpan)> = a
        .attributions
        .iter()
        .filter_map(|at| {
            at.content
                .as_ref()
                .filter(|c| !c.is_empty())
                .map(|c| (at, c))
        })
        .collect();
    let all_units = units(&pred.quotes);
    let matches = |u: &Unit, c: &GoldSpan| 2 * u.overlap(c) >= c.len();
    for (direct_only, whole) in [(false, false), (true, false), (true, true)] {
        let preds: Vec<&Unit> = all_units
            .iter()
            .filter(|u| !direct_only || u.quotation())
            .collect();
        let gold: Vec<&(&Attribution, &GoldSpan)> = golds
            .iter()
            .filter(|(at, c)| !direct_only || at.direct && (!whole || is_whole_quotation(&c.text)))
            .collect();
        if whole {
            // Precision is not defined against a subset of the gold: recall and sources only.
            out.whole = ContentScore::default();
        } else if direct_only {
            out.spurious = preds
                .iter()
                .filter(|u| !gold.iter().any(|(_, c)| matches(u, c)))
                .map(|u| (u.first().kind, cut(&u.first().text, 160)))
                .collect();
        }
        let mut s = ContentScore {
            gold: gold.len(),
            predicted: preds.len(),
            predicted_matched: preds
                .iter()
                .filter(|u| gold.iter().any(|(_, c)| matches(u, c)))
                .count(),
            ..ContentScore::default()
        };
        for (at, c) in gold {
            if !preds.iter().any(|u| matches(u, c)) {
                if direct_only {
                    out.missed_direct.push(cut(&c.text, 160));
                } else if !at.direct {
                    out.missed_indirect
                        .push((at.cue.as_ref().map(|c| c.text.clone()), cut(&c.text, 160)));
                }
                continue;
            }
            s.gold_matched += 1;
            if whole && at.source.is_none() {
                continue;
            }
            let Some(src) = at.source.as_ref().filter(|x| !x.is_empty()) else {
                continue;
            };
            let best = preds
                .iter()
                .max_by_key(|u| (u.overlap(c), std::cmp::Reverse(u.first().start)))
                .expect("a match exists");
            let kind = kind_of_source(src, pred);
            let right = best.parts.iter().any(|q| speaker_right(q, src, &actors));
            s.with_source += 1;
            let e = s.by_kind.entry(kind).or_default();
            e.0 += 1;
            if right {
                s.source_right += 1;
                e.1 += 1;
            } else {
                let q = best.first();
                if q.speaker.is_none() {
                    s.no_speaker += 1;
                }
                if !direct_only && !whole {
                    // Each wrong speaker once: from the all-attributions row.
                    out.errors.push(SourceError {
                        article: a.id.clone(),
                        content: cut(&c.text, 160),
                        gold_source: src.text.clone(),
                        kind,
                        speaker: q.speaker.as_ref().map(|s| s.text.clone()),
                        actor: q.actor.as_ref().map(|r| r.name.clone()),
                        resolution: q.resolution.clone(),
                        direct: at.direct,
                        cue: at.cue.as_ref().map(|c| c.text.clone()),
                    });
                }
            }
        }
        if whole {
            out.whole = s;
        } else if direct_only {
            out.direct = s;
        } else {
            out.all = s;
        }
    }
    out
}

/// Scores of a set of articles.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Articles scored.
    pub articles: usize,
    /// All attributions.
    pub all: ContentScore,
    /// Direct attributions only.
    pub direct: ContentScore,
    /// Wrong or missing speakers, in article order.
    pub errors: Vec<SourceError>,
    /// Gold direct contents no quote matched: (article, words).
    pub missed_direct: Vec<(String, String)>,
    /// Gold indirect contents no quote matched: (article, cue, words).
    pub missed_indirect: Vec<(String, Option<String>, String)>,
    /// Predicted quotations matching no direct gold content: (article, kind, words).
    pub spurious: Vec<(String, QuoteKind, String)>,
    /// Whole quotations ([`is_whole_quotation`]): recall and sources only.
    pub whole: ContentScore,
    /// Seconds spent analysing (all threads).
    pub seconds: f64,
}

/// Analyses every article (in parallel) and scores it.
pub fn evaluate(articles: &[&Article]) -> Report {
    let scored: Vec<(ArticleScore, f64)> = articles
        .par_iter()
        .map(|a| {
            let t = std::time::Instant::now();
            let pred = predict(&a.text);
            let secs = t.elapsed().as_secs_f64();
            (score_article(a, &pred), secs)
        })
        .collect();
    let mut r = Report {
        articles: articles.len(),
        ..Report::default()
    };
    for (a, (s, secs)) in articles.iter().zip(scored) {
        r.all.add(&s.all);
        r.direct.add(&s.direct);
        r.errors.extend(s.errors);
        r.missed_direct
            .extend(s.missed_direct.into_iter().map(|m| (a.id.clone(), m)));
        r.missed_indirect.extend(
            s.missed_indirect
                .into_iter()
                .map(|(c, m)| (a.id.clone(), c, m)),
        );
        r.spurious
            .extend(s.spurious.into_iter().map(|(k, m)| (a.id.clone(), k, m)));
        r.whole.add(&s.whole);
        r.seconds += secs;
    }
    r
}

/// The report's rows (train, dev, all) as a plain-text table.
pub fn table(rows: &[(String, Report)]) -> String {
    let mut s = format!(
        "{:<6} {:>5} {:<7} {:>6} {:>6} {:>6} {:>6} {:>6}  {:>7} {:>13} {:>13} {:>13}\n",
        "split",
        "texts",
        "content",
        "gold",
        "pred",
        "P",
        "R",
        "F1",
        "source",
        "person (n)",
        "group (n)",
        "other (n)"
    );
    for (name, r) in rows {
        for (what, c) in [("all", &r.all), ("direct", &r.direct)] {
            let (p, rc, f) = c.prf();
            let k = |x| {
                let (acc, n) = c.kind_accuracy(x);
                format!("{acc:.3} ({n:>4})")
            };
            s.push_str(&format!(
                "{:<6} {:>5} {:<7} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3}  {:>7.3} {:>13} {:>13} {:>13}\n",
                name,
                r.articles,
                what,
                c.gold,
                c.predicted,
                p,
                rc,
                f,
                c.source_accuracy(),
                k(SourceKind::Person),
                k(SourceKind::Group),
                k(SourceKind::Other),
            ));
        }
    }
    for (name, r) in rows {
        let w = &r.whole;
        let k = |x| {
            let (acc, n) = w.kind_accuracy(x);
            format!("{acc:.3} ({n})")
        };
        s.push_str(&format!(
            "{name}: whole quotations found {} of {} ({:.3}); speaker right {:.3} (persons {}, groups {}, other {})\n",
            w.gold_matched,
            w.gold,
            w.gold_matched as f64 / w.gold.max(1) as f64,
            w.source_accuracy(),
            k(SourceKind::Person),
            k(SourceKind::Group),
            k(SourceKind::Other),
        ));
    }
    s
}

/// The report's rows as JSON.
pub fn to_json(rows: &[(String, Report)]) -> serde_json::Value {
    let row = |c: &ContentScore| {
        let (p, r, f) = c.prf();
        let kind = |k| {
            let (acc, n) = c.kind_accuracy(k);
            serde_json::json!({"n": n, "accuracy": acc})
        };
        serde_json::json!({
            "gold": c.gold, "predicted": c.predicted,
            "precision": p, "recall": r, "f1": f,
            "source": {"n": c.with_source, "accuracy": c.source_accuracy(),
                        "no_speaker": c.no_speaker,
                        "person": kind(SourceKind::Person), "group": kind(SourceKind::Group),
                        "other": kind(SourceKind::Other)},
        })
    };
    let mut out = serde_json::Map::new();
    for (name, r) in rows {
        out.insert(
            name.clone(),
            serde_json::json!({"articles": r.articles, "all": row(&r.all), "direct": row(&r.direct),
                               "whole_quotations": {"gold": r.whole.gold, "found": r.whole.gold_matched,
                                                    "recall": r.whole.gold_matched as f64 / r.whole.gold.max(1) as f64,
                                                    "source": row(&r.whole)["source"].clone()}}),
        );
    }
    serde_json::Value::Object(out)
}

/// Evaluates the train split, the dev split and both together.
pub fn evaluate_splits(articles: &[Article]) -> Vec<(String, Report)> {
    let mut rows = Vec::new();
    for split in ["train", "dev"] {
        let part: Vec<&Article> = articles.iter().filter(|a| a.split == split).collect();
        if !part.is_empty() {
            rows.push((split.to_owned(), evaluate(&part)));
        }
    }
    let all: Vec<&Article> = articles.iter().collect();
    rows.push(("all".to_owned(), evaluate(&all)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_count_their_own_length_and_overlap() {
        let s = GoldSpan {
            start: 0,
            end: 20,
            text: String::new(),
            fragments: Some(vec![[0, 5], [15, 20]]),
            antecedent_end: None,
        };
        assert_eq!(s.len(), 10);
        assert_eq!(s.overlap(3, 17), 4);
        assert_eq!(s.overlap(5, 15), 0);
    }

    #[test]
    fn a_relative_pronoun_source_is_named_by_the_phrase_it_attaches_to() {
        let text: Vec<char> = "Trump, who said it, left. The plan that works."
            .chars()
            .collect();
        let who = GoldSpan {
            start: 7,
            end: 10,
            text: "who".into(),
            fragments: None,
            antecedent_end: None,
        };
        assert_eq!(antecedent_end(&text, &who), Some(5));
        let that = GoldSpan {
            start: 35,
            end: 39,
            text: "that".into(),
            ..who.clone()
        };
        assert_eq!(antecedent_end(&text, &that), Some(34));
        let he = GoldSpan {
            text: "he".into(),
            ..who
        };
        assert_eq!(antecedent_end(&text, &he), None);
    }

    #[test]
    fn a_quote_matches_from_half_the_content_and_the_speaker_is_checked() {
        let text = "“We will win,” Smith said. Jones disagreed.";
        let a: Article = serde_json::from_value(serde_json::json!({
            "id": "t", "text": text,
            "attributions": [{
                "source": {"start": 15, "end": 20, "text": "Smith"},
                "cue": {"start": 21, "end": 25, "text": "said"},
                "content": {"start": 0, "end": 14, "text": "“We will win,”"},
                "direct": true
            }]
        }))
        .unwrap();
        let pred = predict(text);
        let s = score_article(&a, &pred);
        assert_eq!((s.all.gold, s.all.gold_matched), (1, 1));
        assert_eq!((s.direct.with_source, s.direct.source_right), (1, 1));
        assert!(s.errors.is_empty());
    }
}
