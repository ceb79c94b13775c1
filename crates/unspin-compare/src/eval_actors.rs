//! How well cross-article actor linking ([`crate::actors::link`]) finds the people,
//! groups and countries that NewsWCL50's annotators coded, mention by mention.
//!
//! **Gold.** NewsWCL50 codes every mention of each concept in its 50 articles (10 events ×
//! 5 outlets). The mentions kept are those of actor-like concepts: `ACTOR` (a person),
//! `GROUP` and `COUNTRY` (which the annotators also use for a country's institutions: "the
//! White House" is coded `USA`). `ACTOR-I` rows are left out: their concepts (`USA\USA-I`,
//! `GBR\GBR-Misc`, …) are bags of different individuals ("Flynn", "Mr. Dowd", "Manafort"
//! all in one), not one referent; `PROPERTY` rows are framing phrases, not mentions; objects,
//! events, actions and the rest are not actors. A gold cluster is one concept in one event
//! (`event`, `code_name`). Each mention is located in the text by searching its words
//! (case, punctuation and spacing ignored, on word boundaries) in the paragraph given or up
//! to two paragraphs off, following the article's running shift (some texts have a
//! paragraph more or fewer than the annotators' copy); the token offsets are not trusted.
//! Mentions that cannot be located are dropped and counted; a mention coded twice with the
//! same concept at the same place counts once.
//!
//! **Prediction.** Each event's five analyses are linked as `compare` links them. A gold
//! mention takes the linked actor of the predicted mention that overlaps it best (the
//! largest share of their union; ties to the longer overlap, then the earlier mention); a
//! gold mention no predicted mention overlaps is a cluster of its own, which costs recall.
//!
//! **Scores.** BCubed precision, recall and F1 over the located gold mentions
//! ([`unspin_stories::eval::score`]); the same restricted to the mentions whose concept is
//! located in at least two of the event's articles (where linking across articles is
//! needed at all); per code type; and two references computed on the same mentions: the
//! same predicted mentions left unlinked across articles (each article's actors on their
//! own), and a baseline that links gold mentions (so with perfect mention detection) by
//! their lower-cased words alone.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use serde::Serialize;
use unspin::{Analysis, Pipeline};

use crate::Version;

/// Code types whose mentions are scored.
pub const ACTOR_TYPES: [&str; 3] = ["ACTOR", "GROUP", "COUNTRY"];

/// Paragraphs a mention may be off the paragraph it is coded in.
const PARAGRAPH_SLACK: i64 = 2;

/// One row of NewsWCL50's `mentions.csv`, the fields the evaluation reads.
#[derive(Debug, Clone)]
pub struct GoldRow {
    /// Mention id.
    pub id: String,
    /// `ACTOR`, `GROUP`, `COUNTRY`, `PROPERTY`, ….
    pub code_type: String,
    /// The concept the mention refers to (`USA\Trump`).
    pub code_name: String,
    /// The words as the article writes them.
    pub code_mention: String,
    /// The article (`<event>_<outlet>`).
    pub article_id: String,
    /// Paragraph index (0: the first paragraph of the text).
    pub paragraph: usize,
    /// Sentence index over the whole article.
    pub sentence: usize,
    /// First token in the sentence.
    pub start: usize,
    /// Last token in the sentence.
    pub end: usize,
}

/// An analysed article with its id and gold story.
#[derive(Debug, Clone)]
pub struct StoryArticle {
    /// The article id mentions refer to.
    pub id: String,
    /// The gold story (event).
    pub story: String,
    /// The analysis.
    pub analysis: Analysis,
}

/// BCubed scores over a set of gold mentions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BCubed {
    /// Gold mentions scored.
    pub mentions: usize,
    /// BCubed precision.
    pub precision: f64,
    /// BCubed recall.
    pub recall: f64,
    /// BCubed F1.
    pub f1: f64,
}

/// One method scored on all mentions and on the cross-article ones.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MethodScores {
    /// Over every located gold mention.
    pub all: BCubed,
    /// Over the mentions whose concept is located in at least two articles of its event.
    pub cross_article: BCubed,
}

/// What [`actor_linking`] measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActorLinkingScores {
    /// Articles evaluated.
    pub articles: usize,
    /// Events (gold stories) linked.
    pub stories: usize,
    /// Gold rows of the code types scored ([`ACTOR_TYPES`]).
    pub gold_rows: usize,
    /// Those located in the text (after merging a mention coded twice alike).
    pub located: usize,
    /// Rows that could not be located (dropped).
    pub not_located: usize,
    /// Rows that repeat a located mention with the same concept (counted once).
    pub repeated: usize,
    /// Gold clusters: (event, concept) pairs.
    pub gold_concepts: usize,
    /// Of those, concepts located in at least two articles of their event.
    pub cross_article_concepts: usize,
    /// Share of located gold mentions that some predicted mention overlaps.
    pub coverage: f64,
    /// Linked actors predicted over all events.
    pub predicted_actors: usize,
    /// unspin's cross-article linking.
    pub linking: MethodScores,
    /// The same predicted mentions, each article's actors kept apart.
    pub within_article_only: MethodScores,
    /// Baseline: gold mentions linked within an event by their lower-cased words.
    pub surface_baseline: MethodScores,
    /// unspin's linking over all mentions, per code type.
    pub by_type: Vec<(String, BCubed)>,
}

/// Splits one CSV record stream (RFC 4180: quoted fields, doubled quotes, newlines inside
/// quotes) into records of fields.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Parses `mentions.csv` (with its header line).
pub fn parse_mentions(text: &str) -> Result<Vec<GoldRow>, String> {
    let mut records = csv_records(text).into_iter();
    let header = records.next().ok_or("mentions.csv is empty")?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| format!("mentions.csv has no `{name}` column"))
    };
    let c = [
        col("id")?,
        col("code_type")?,
        col("code_name")?,
        col("code_mention")?,
        col("article_id")?,
        col("paragraph")?,
        col("sentence")?,
        col("start")?,
        col("end")?,
    ];
    let mut rows = Vec::new();
    for (n, r) in records.enumerate() {
        if r.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |k: usize| r.get(c[k]).map(String::as_str).unwrap_or("");
        let num = |k: usize| {
            get(k)
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("mentions.csv line {}: bad number {:?}", n + 2, get(k)))
        };
        rows.push(GoldRow {
            id: get(0).to_owned(),
            code_type: get(1).to_owned(),
            code_name: get(2).to_owned(),
            code_mention: get(3).to_owned(),
            article_id: get(4).to_owned(),
            paragraph: num(5)?,
            sentence: num(6)?,
            start: num(7)?,
            end: num(8)?,
        });
    }
    Ok(rows)
}

/// Reads `mentions.csv`.
pub fn read_mentions(path: &Path) -> io::Result<Vec<GoldRow>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    parse_mentions(&text).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
}

/// Reads NewsWCL50's `articles.jsonl` and analyses each article with `pipeline` (as
/// `unspin compare` does: text, title and outlet; in parallel). The `id` is kept only to
/// join the mentions and `story` only to score.
pub fn read_articles(path: &Path, pipeline: &Pipeline) -> io::Result<Vec<StoryArticle>> {
    use rayon::prelude::*;
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let records: Vec<(usize, serde_json::Value)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map(|v| (n, v))
                .map_err(|e| io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))
        })
        .collect::<io::Result<_>>()?;
    records
        .par_iter()
        .map(|(n, r)| {
            let s = |k: &str| r[k].as_str().map(str::to_owned);
            let mut doc = unspin::Document::from_text(s("text").unwrap_or_default());
            doc.source.title = s("title");
            doc.source.site = s("outlet");
            doc.source.published = s("published");
            let analysis = pipeline
                .analyze(&doc)
                .map_err(|e| io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))?;
            Ok(StoryArticle {
                id: s("id").unwrap_or_default(),
                story: s("story").unwrap_or_default(),
                analysis,
            })
        })
        .collect()
}

/// Paragraphs of a text as NewsWCL50 counts them (separated by blank lines): code-point
/// ranges.
fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        // A line break followed by a line of only whitespace ends the paragraph.
        if chars[i] == '\n' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\n' && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '\n' {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
                i = j + 1;
                continue;
            }
        }
        if start.is_none() && !chars[i].is_whitespace() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// Letters and digits of `chars[range]`, lower-cased, each with the code point it comes
/// from.
fn folded(chars: &[char], (start, end): (usize, usize)) -> Vec<(char, usize)> {
    (start..end)
        .filter(|&i| chars[i].is_alphanumeric())
        .flat_map(|i| chars[i].to_lowercase().map(move |c| (c, i)))
        .collect()
}

/// The occurrences of `needle` (folded) in a paragraph that start and end on word
/// boundaries, as code-point ranges.
fn occurrences(chars: &[char], para: (usize, usize), needle: &[char]) -> Vec<(usize, usize)> {
    let hay = folded(chars, para);
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    let word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    let mut out = Vec::new();
    for k in 0..=hay.len() - needle.len() {
        if hay[k..k + needle.len()]
            .iter()
            .zip(needle)
            .all(|(h, n)| h.0 == *n)
        {
            let (s, e) = (hay[k].1, hay[k + needle.len() - 1].1 + 1);
            if (s == 0 || !word(s - 1)) && !word(e) && !out.contains(&(s, e)) {
                out.push((s, e));
            }
        }
    }
    out
}

/// A gold mention located in an article.
#[derive(Debug, Clone)]
struct Located {
    article: usize,
    start: usize,
    end: usize,
    code_type: String,
    concept: String,
    surface: String,
}

/// Locates one article's gold rows (the kept code types) in its text. Returns the located
/// mentions, the rows not located and the rows repeating a located mention.
fn locate(article: usize, text: &str, rows: &[&GoldRow]) -> (Vec<Located>, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let paras = paragraphs(&chars);
    let mut rows: Vec<&GoldRow> = rows.to_vec();
    rows.sort_by(|a, b| {
        (a.paragraph, a.sentence, a.start, a.end, &a.id).cmp(&(
            b.paragraph,
            b.sentence,
            b.start,
            b.end,
            &b.id,
        ))
    });
    let mut out: Vec<Located> = Vec::new();
    // Spans taken, and where each coded position (sentence, tokens, words) was put.
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut placed: HashMap<(usize, usize, usize, String), (usize, usize)> = HashMap::new();
    let mut seen: HashSet<(usize, usize, String)> = HashSet::new();
    let (mut missing, mut repeated) = (0usize, 0usize);
    let mut shift: i64 = 0;
    for r in rows {
        let needle: Vec<char> = r
            .code_mention
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let surface = r
            .code_mention
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        let key = (r.sentence, r.start, r.end, surface.clone());
        let span = placed.get(&key).copied().or_else(|| {
            // The running shift first, then the other offsets nearest it, within the slack.
            let mut offsets: Vec<i64> = (-PARAGRAPH_SLACK..=PARAGRAPH_SLACK).collect();
            offsets.sort_by_key(|&d| ((d - shift).abs(), d.abs()));
            for d in offsets {
                let p = r.paragraph as i64 + d;
                let Some(&para) = usize::try_from(p).ok().and_then(|p| paras.get(p)) else {
                    continue;
                };
                if let Some(&s) = occurrences(&chars, para, &needle)
                    .iter()
                    .find(|s| !used.contains(s))
                {
                    shift = d;
                    return Some(s);
                }
            }
            None
        });
        let Some((start, end)) = span else {
            missing += 1;
            continue;
        };
        placed.insert(key, (start, end));
        used.insert((start, end));
        if !seen.insert((start, end, r.code_name.clone())) {
            repeated += 1;
            continue;
        }
        out.push(Located {
            article,
            start,
            end,
            code_type: r.code_type.clone(),
            concept: r.code_name.clone(),
            surface,
        });
    }
    (out, missing, repeated)
}

/// A predicted mention: its article, span, linked actor (index over all events) and the
/// article's own actor (index over all articles' actors).
struct Predicted {
    start: usize,
    end: usize,
    linked: usize,
    own: usize,
}

fn bcubed(pred: &[String], gold: &[String], keep: &[bool]) -> BCubed {
    let (p, g): (Vec<&String>, Vec<&String>) = pred
        .iter()
        .zip(gold)
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(pg, _)| pg)
        .unzip();
    let s = unspin_stories::eval::score(&p, &g);
    BCubed {
        mentions: p.len(),
        precision: s.bcubed_precision,
        recall: s.bcubed_recall,
        f1: s.bcubed_f1,
    }
}

/// Links each story's articles as `compare` does and scores the linking against the gold
/// mentions (`rows`, all of `mentions.csv`; the kept code types are chosen here).
pub fn actor_linking(articles: &[StoryArticle], rows: &[GoldRow]) -> ActorLinkingScores {
    use rayon::prelude::*;
    let kept: Vec<&GoldRow> = rows
        .iter()
        .filter(|r| ACTOR_TYPES.contains(&r.code_type.as_str()))
        .collect();
    let mut by_article: HashMap<&str, Vec<&GoldRow>> = HashMap::new();
    for r in &kept {
        by_article.entry(r.article_id.as_str()).or_default().push(r);
    }
    // Gold mentions.
    let located: Vec<(Vec<Located>, usize, usize)> = articles
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let rows = by_article.get(a.id.as_str()).cloned().unwrap_or_default();
            locate(i, &a.analysis.text, &rows)
        })
        .collect();
    let known: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let orphan_rows = kept
        .iter()
        .filter(|r| !known.contains(r.article_id.as_str()))
        .count();
    let mut gold_mentions: Vec<Located> = Vec::new();
    let (mut missing, mut repeated) = (orphan_rows, 0);
    for (l, m, r) in located {
        gold_mentions.extend(l);
        missing += m;
        repeated += r;
    }
    // Predicted mentions: each story's articles linked together.
    let mut stories: Vec<&str> = Vec::new();
    for a in articles {
        if !stories.contains(&a.story.as_str()) {
            stories.push(&a.story);
        }
    }
    type Linked = (Vec<usize>, Vec<String>, Vec<crate::LinkedActor>);
    let linked: Vec<Linked> = stories
        .par_iter()
        .map(|s| {
            let members: Vec<usize> = (0..articles.len())
                .filter(|&i| articles[i].story == *s)
                .collect();
            let mut versions: Vec<Version> = members
                .iter()
                .map(|&i| Version::new(articles[i].id.clone(), articles[i].analysis.clone()))
                .collect();
            crate::distinct_labels(&mut versions);
            let labels = versions.iter().map(|v| v.label.clone()).collect();
            (members, labels, crate::actors::link(&versions))
        })
        .collect();
    let mut predicted: Vec<Vec<Predicted>> = (0..articles.len()).map(|_| Vec::new()).collect();
    let mut own_ids: HashMap<(usize, String), usize> = HashMap::new();
    let mut n_linked = 0usize;
    for (members, labels, actors) in &linked {
        for actor in actors {
            let id = n_linked;
            n_linked += 1;
            for naming in &actor.naming {
                let Some(art) = labels
                    .iter()
                    .position(|l| *l == naming.version)
                    .map(|k| members[k])
                else {
                    continue;
                };
                for aid in &naming.actor_ids {
                    let n = own_ids.len();
                    let own = *own_ids.entry((art, aid.clone())).or_insert(n);
                    let Some(a) = articles[art].analysis.actors.iter().find(|x| x.id == *aid)
                    else {
                        continue;
                    };
                    for m in &a.mentions {
                        predicted[art].push(Predicted {
                            start: m.start,
                            end: m.end,
                            linked: id,
                            own,
                        });
                    }
                }
            }
        }
    }
    // Each gold mention's predicted clusters.
    let story_of = |g: &Located| articles[g.article].story.as_str();
    let mut gold = Vec::new();
    let mut ours = Vec::new();
    let mut within = Vec::new();
    let mut surface = Vec::new();
    let mut covered = 0usize;
    for (k, g) in gold_mentions.iter().enumerate() {
        gold.push(format!("{}\u{1f}{}", story_of(g), g.concept));
        surface.push(format!("{}\u{1f}{}", story_of(g), g.surface));
        let best = predicted[g.article]
            .iter()
            .filter_map(|p| {
                let inter = g.end.min(p.end).saturating_sub(g.start.max(p.start));
                (inter > 0).then(|| {
                    let union = g.end.max(p.end) - g.start.min(p.start);
                    (inter as f64 / union as f64, inter, p)
                })
            })
            .max_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.cmp(&b.1))
                    .then(b.2.start.cmp(&a.2.start))
            });
        match best {
            Some((_, _, p)) => {
                covered += 1;
                ours.push(format!("x{}", p.linked));
                within.push(format!("a{}", p.own));
            }
            None => {
                ours.push(format!("none{k}"));
                within.push(format!("none{k}"));
            }
        }
    }
    // Concepts located in two articles or more of their event.
    let mut concept_articles: HashMap<&str, HashSet<usize>> = HashMap::new();
    for (g, m) in gold.iter().zip(&gold_mentions) {
        concept_articles
            .entry(g.as_str())
            .or_default()
            .insert(m.article);
    }
    let all = vec![true; gold.len()];
    let cross: Vec<bool> = gold
        .iter()
        .map(|g| concept_articles[g.as_str()].len() >= 2)
        .collect();
    let method = |pred: &[String]| MethodScores {
        all: bcubed(pred, &gold, &all),
        cross_article: bcubed(pred, &gold, &cross),
    };
    let by_type = ACTOR_TYPES
        .iter()
        .map(|t| {
            let keep: Vec<bool> = gold_mentions.iter().map(|m| m.code_type == *t).collect();
            ((*t).to_owned(), bcubed(&ours, &gold, &keep))
        })
        .collect();
    ActorLinkingScores {
        articles: articles.len(),
        stories: stories.len(),
        gold_rows: kept.len(),
        located: gold_mentions.len(),
        not_located: missing,
        repeated,
        gold_concepts: concept_articles.len(),
        cross_article_concepts: concept_articles.values().filter(|a| a.len() >= 2).count(),
        coverage: if gold_mentions.is_empty() {
            0.0
        } else {
            covered as f64 / gold_mentions.len() as f64
        },
        predicted_actors: n_linked,
        linking: method(&ours),
        within_article_only: method(&within),
        surface_baseline: method(&surface),
        by_type,
    }
}

/// Reads NewsWCL50 from `dir` (`articles.jsonl`, `mentions.csv`), analyses the articles
/// with `pipeline` and scores the linking.
pub fn evaluate_dir(dir: &Path, pipeline: &Pipeline) -> io::Result<ActorLinkingScores> {
    let rows = read_mentions(&dir.join("mentions.csv"))?;
    let articles = read_articles(&dir.join("articles.jsonl"), pipeline)?;
    Ok(actor_linking(&articles, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted() {
        let r = csv_records("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n");
        assert_eq!(r, vec![vec!["a", "b"], vec!["x, y", "say \"hi\""]]);
    }

    #[test]
    fn paragraphs_are_split_on_blank_lines() {
        let t: Vec<char> = "One.\n\nTwo\nlines.\n \nThree.".chars().collect();
        let p = paragraphs(&t);
        let s: Vec<String> = p.iter().map(|&(a, b)| t[a..b].iter().collect()).collect();
        assert_eq!(s, ["One.", "Two\nlines.", "Three."]);
    }

    #[test]
    fn mentions_are_found_on_word_boundaries_ignoring_case_and_dots() {
        let t: Vec<char> = "Trust the U.S. and Mr. Trump; trump.".chars().collect();
        let n: Vec<char> = "us".chars().collect();
        assert_eq!(occurrences(&t, (0, t.len()), &n), vec![(10, 13)]);
        let n: Vec<char> = "trump".chars().collect();
        assert_eq!(occurrences(&t, (0, t.len()), &n), vec![(23, 28), (30, 35)]);
    }
}
