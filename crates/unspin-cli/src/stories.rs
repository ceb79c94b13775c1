//! `unspin stories`, `unspin eval stories` and `unspin bench stories`: a thin layer over
//! the `unspin-stories` crate (docs/stories.md).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use unspin::analyse::actors::ActorAnalyser;
use unspin::analyse::claims::ClaimAnalyser;
use unspin::analyse::quotes::QuoteAnalyser;
use unspin::{Analysis, MentionKind, Options, Pipeline};
use unspin_stories::eval::{Baseline, Scores, folds_by_story, score, score_folds};
use unspin_stories::group::{self, Article, Corpus, Grouping, Params, Prepared, Weights};

use crate::batch::Outcome;
use crate::cli::{InputArgs, StoriesArgs, StoriesBenchArgs, StoriesFormat};

/// The analysers grouping needs: quotes, actors and claims (no techniques).
pub(crate) fn grouping_pipeline(options: Options) -> Pipeline {
    Pipeline::without_analysers(options)
        .with_analyser(Box::new(QuoteAnalyser))
        .with_analyser(Box::new(ActorAnalyser))
        .with_analyser(Box::new(ClaimAnalyser::default()))
}

/// Claims at least this check-worthy are used to explain a story.
const CLAIM_MIN_SCORE: f32 = 0.3;

/// The grouping input of an analysis: its title, outlet, date, text, the canonical names
/// of the actors it names by name, and its check-worthy claims.
pub(crate) fn article_of(analysis: &Analysis) -> Article {
    let mut claims: Vec<(f32, String)> = analysis
        .claims
        .iter()
        .filter(|c| c.score >= CLAIM_MIN_SCORE)
        .map(|c| (c.score, c.text.clone()))
        .collect();
    claims.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Without a title (a plain-text file), a short first paragraph is taken for one.
    let title = analysis.source.title.clone().or_else(|| {
        let first = analysis.paragraphs.first()?.text.trim();
        let words = first.split_whitespace().count();
        ((3..=25).contains(&words) && analysis.paragraphs.len() > 1).then(|| first.to_owned())
    });
    Article {
        title,
        text: analysis.text.clone(),
        outlet: analysis.source.site.clone(),
        published: analysis.source.published.clone(),
        actors: analysis
            .actors
            .iter()
            .filter(|a| {
                a.mentions
                    .iter()
                    .any(|m| matches!(m.kind, MentionKind::Name | MentionKind::Surname))
            })
            .map(|a| a.name.clone())
            .collect(),
        claims: claims.into_iter().map(|c| c.1).collect(),
    }
}

/// The parameters of a run: the defaults with the command line's overrides.
fn params(args: &StoriesArgs) -> Params {
    let mut p = Params::default();
    if let Some(t) = args.threshold {
        p.weights.threshold = t;
    }
    if let Some(w) = args.window_days {
        p.window_days = w;
    }
    p.min_edge = p.min_edge.min(p.weights.threshold);
    p
}

/// One grouped document: its id and input.
struct Doc {
    id: String,
    input: String,
    db_id: Option<i64>,
}

/// `unspin stories`.
pub fn run(args: &StoriesArgs, quiet: bool) -> io::Result<ExitCode> {
    let started = Instant::now();
    let (docs, articles, failed, mut store) = match &args.db {
        Some(db) => {
            if !args.inputs.is_empty() || !args.urls.is_empty() {
                return Err(io::Error::other(format!(
                    "--db groups the documents stored in {db}; add inputs to it with \
                     unspin index --db {db} INPUT… first"
                )));
            }
            let store = crate::corpus::open_existing(db)?;
            let (docs, articles) = read_store(store.as_ref(), quiet)?;
            (docs, articles, 0, Some(store))
        }
        None => {
            if args.inputs.is_empty() && args.urls.is_empty() {
                return Err(io::Error::other(
                    "no inputs: give files, folders, JSONL dumps or URLs (or --db PATH)",
                ));
            }
            let (d, a, f) = analyse_inputs(args, quiet)?;
            (d, a, f, None)
        }
    };
    let params = params(args);
    let grouping_started = Instant::now();
    let grouping = group::group(&articles, &params);
    if !quiet {
        let multi = grouping.stories.iter().filter(|s| s.size > 1).count();
        let copies = grouping.copy_of.iter().filter(|c| c.is_some()).count();
        eprintln!(
            "unspin: {} articles in {} stories ({multi} with several articles), {copies} copies; \
             grouped in {:.2} s ({} candidate pairs), {:.1} s in all",
            articles.len(),
            grouping.stories.len(),
            grouping_started.elapsed().as_secs_f64(),
            grouping.candidate_pairs,
            started.elapsed().as_secs_f64()
        );
    }
    let stdout = io::stdout();
    let to_terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let format = args.format.unwrap_or(StoriesFormat::Text);
    if format == StoriesFormat::Jsonl {
        for (i, d) in docs.iter().enumerate() {
            let mut line = json!({
                "id": d.id,
                "input": d.input,
                "story": grouping.stories[grouping.story[i]].id,
            });
            if let Some(c) = grouping.copy_of[i] {
                line["copy_of"] = json!(docs[c].id);
            }
            writeln!(out, "{line}")?;
        }
    }
    if let Some(path) = &args.stories_out {
        let mut f = BufWriter::new(File::create(path).map_err(|e| {
            io::Error::new(e.kind(), format!("{}: cannot create: {e}", path.display()))
        })?);
        for s in &grouping.stories {
            writeln!(f, "{}", story_json(s, &docs))?;
        }
        f.flush()?;
    } else if format == StoriesFormat::Text {
        write_report(&mut out, &grouping, &docs, &articles, to_terminal)?;
    }
    out.flush()?;
    if let Some(store) = store.as_mut() {
        let rows: Vec<unspin_store::StoryRow> = grouping
            .stories
            .iter()
            .map(|s| unspin_store::StoryRow {
                story: s.id.clone(),
                label: s.label.clone(),
                size: s.size,
                json: story_json(s, &docs).to_string(),
            })
            .collect();
        let members: Vec<(i64, String, Option<i64>)> = docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let id = d.db_id?;
                let copy = grouping.copy_of[i].and_then(|c| docs[c].db_id);
                Some((id, grouping.stories[grouping.story[i]].id.clone(), copy))
            })
            .collect();
        store
            .put_stories(&rows, &members)
            .map_err(io::Error::other)?;
        if !quiet {
            eprintln!(
                "unspin: {} stories stored; search them with unspin search --db … --story ID",
                rows.len()
            );
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and analyses the inputs in parallel, in input order; failed inputs are reported
/// on stderr (and as `{"input", "error"}` lines in JSONL output) and left out.
fn analyse_inputs(args: &StoriesArgs, quiet: bool) -> io::Result<(Vec<Doc>, Vec<Article>, usize)> {
    let input = InputArgs {
        inputs: args.inputs.clone(),
        urls: args.urls.clone(),
        max_size: args.max_size,
        encoding: args.encoding.clone(),
        timeout: args.timeout,
        jobs: args.jobs,
        output: None,
        no_progress: args.no_progress,
    };
    let pipeline = grouping_pipeline(Options {
        ingest: crate::ingest_options(&input),
        ..Options::default()
    });
    let batch = crate::batch(&input, quiet);
    let (mut docs, mut articles, mut failed) = (Vec::new(), Vec::new(), 0usize);
    let jsonl = args.format == Some(StoriesFormat::Jsonl);
    let mut errors_out = io::stdout();
    batch.run(
        |raw| {
            let id = raw.id.clone().unwrap_or_else(|| raw.input.clone());
            let doc = pipeline.document(raw)?;
            let analysis = pipeline.analyze(&doc)?;
            Ok((id, article_of(&analysis)))
        },
        |outcome: Outcome<(String, Article)>, bar: &ProgressBar| {
            crate::report(&outcome, quiet, bar);
            match outcome.result {
                Ok((id, article)) => {
                    docs.push(Doc {
                        id,
                        input: outcome.input,
                        db_id: None,
                    });
                    articles.push(article);
                }
                Err(e) => {
                    failed += 1;
                    if jsonl {
                        writeln!(
                            errors_out,
                            "{}",
                            json!({"input": outcome.input, "error": e})
                        )?;
                    }
                }
            }
            Ok(())
        },
    )?;
    Ok((docs, articles, failed))
}

/// Reads every stored analysis of a store.
fn read_store(
    store: &dyn unspin_store::Store,
    quiet: bool,
) -> io::Result<(Vec<Doc>, Vec<Article>)> {
    let list = store.documents().map_err(io::Error::other)?;
    if !quiet {
        eprintln!("unspin: reading {} stored analyses", list.len());
    }
    let mut docs = Vec::with_capacity(list.len());
    let mut articles = Vec::with_capacity(list.len());
    for (id, input) in list {
        let Some(stored) = store.analysis(id).map_err(io::Error::other)? else {
            continue;
        };
        docs.push(Doc {
            id: stored
                .analysis
                .source
                .id
                .clone()
                .unwrap_or_else(|| input.clone()),
            input,
            db_id: Some(id),
        });
        articles.push(article_of(&stored.analysis));
    }
    Ok((docs, articles))
}

/// The search hits that are documents of `story` (at most `limit`), for
/// `unspin search --story`; an unknown story is an error.
pub(crate) fn in_story(
    store: &dyn unspin_store::Store,
    story: &str,
    hits: Vec<unspin_store::SearchHit>,
    limit: Option<usize>,
) -> io::Result<Vec<unspin_store::SearchHit>> {
    let Some(ids) = store.story_documents(story).map_err(io::Error::other)? else {
        return Err(io::Error::other(format!(
            "no story {story} in the store (group it with unspin stories --db …)"
        )));
    };
    let ids: std::collections::HashSet<i64> = ids.into_iter().collect();
    Ok(hits
        .into_iter()
        .filter(|h| ids.contains(&h.id))
        .take(limit.unwrap_or(usize::MAX))
        .collect())
}

/// One story as a JSON object, its articles named by their ids.
fn story_json(s: &group::Story, docs: &[Doc]) -> Value {
    json!({
        "id": s.id,
        "label": s.label,
        "size": s.size,
        "copies": s.copies.len(),
        "outlets": s.outlets,
        "first": s.first,
        "last": s.last,
        "articles": s.articles.iter().map(|&i| &docs[i].id).collect::<Vec<_>>(),
        "copy_articles": s.copies.iter().map(|&i| &docs[i].id).collect::<Vec<_>>(),
        "why": {
            "actors": s.why.actors.iter().map(|(n, c)| json!({"name": n, "articles": c})).collect::<Vec<_>>(),
            "terms": s.why.terms,
            "claims": s.why.claims.iter().map(|(i, t)| json!({"article": docs[*i].id, "text": t})).collect::<Vec<_>>(),
        },
    })
}

/// The terminal report: stories of several articles, largest first, then a count of the
/// articles that stand alone.
fn write_report(
    out: &mut impl Write,
    g: &Grouping,
    docs: &[Doc],
    articles: &[Article],
    color: bool,
) -> io::Result<()> {
    let bold = |s: &str| {
        if color && std::env::var_os("NO_COLOR").is_none() {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let multi: Vec<&group::Story> = g
        .stories
        .iter()
        .filter(|s| s.size + s.copies.len() > 1)
        .collect();
    writeln!(
        out,
        "{} articles, {} stories: {} told by several articles, {} articles alone\n",
        docs.len(),
        g.stories.len(),
        multi.len(),
        g.stories.len() - multi.len()
    )?;
    for s in multi {
        let dates = match (&s.first, &s.last) {
            (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
            (Some(a), _) => format!(", {a}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{} {}  ({} articles{}{}{})",
            bold(&s.id),
            bold(&s.label),
            s.size,
            if s.copies.is_empty() {
                String::new()
            } else {
                format!(" + {} copies", s.copies.len())
            },
            if s.outlets.is_empty() {
                String::new()
            } else {
                format!(", {} outlets", s.outlets.len())
            },
            dates
        )?;
        if !s.why.actors.is_empty() {
            let a: Vec<String> = s
                .why
                .actors
                .iter()
                .map(|(n, c)| format!("{n} ({c})"))
                .collect();
            writeln!(out, "  actors: {}", a.join(", "))?;
        }
        if !s.why.terms.is_empty() {
            writeln!(out, "  terms:  {}", s.why.terms.join(", "))?;
        }
        for (i, c) in &s.why.claims {
            writeln!(out, "  claim:  \"{}\" ({})", truncate(c, 110), docs[*i].id)?;
        }
        for &i in s.articles.iter().chain(&s.copies) {
            let a = &articles[i];
            let copy = g.copy_of[i].map_or(String::new(), |c| format!(" [copy of {}]", docs[c].id));
            let mut source: Vec<&str> = Vec::new();
            if let Some(o) = a.outlet.as_deref() {
                source.push(o);
            }
            if let Some(p) = a.published.as_deref() {
                source.push(p.get(0..10).unwrap_or(p));
            }
            let source = if source.is_empty() {
                String::new()
            } else {
                format!("{}: ", source.join(", "))
            };
            writeln!(
                out,
                "  - {source}{}{copy}",
                truncate(a.title.as_deref().unwrap_or(&docs[i].id), 90)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// At most `n` characters, with an ellipsis when cut.
fn truncate(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

// ---------------------------------------------------------------------------------------
// eval stories

/// A labelled evaluation set.
struct EvalSet {
    name: String,
    articles: Vec<Article>,
    gold: Vec<String>,
    /// Injected copies: (copy index, original index).
    injected: Vec<(usize, usize)>,
}

/// Reads a development JSONL file: only `title`, `text`, `outlet`, `published` and the gold
/// `story` are read; `id`, `story_headline`, `topic` and the rest are left out (they give
/// the story away).
fn read_jsonl(path: &Path) -> io::Result<(Vec<Article>, Vec<String>)> {
    let f = BufReader::new(
        File::open(path).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?,
    );
    let (mut articles, mut gold) = (Vec::new(), Vec::new());
    for (n, line) in f.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let Some(story) = s("story") else {
            return Err(io::Error::other(format!(
                "{}:{}: no gold story",
                path.display(),
                n + 1
            )));
        };
        articles.push(Article {
            title: s("title"),
            text: s("text").unwrap_or_default(),
            outlet: s("outlet").or_else(|| s("site")),
            published: s("published"),
            ..Article::default()
        });
        gold.push(story);
    }
    Ok((articles, gold))
}

/// The development sets under `data`: itself if it holds `stories.jsonl` or
/// `articles.jsonl`, else its `allsides/` and `newswcl50/` folders plus their mix.
fn eval_sets(data: &Path) -> io::Result<Vec<EvalSet>> {
    let leaf = |dir: &Path| -> io::Result<Option<EvalSet>> {
        for name in ["stories.jsonl", "articles.jsonl"] {
            let p = dir.join(name);
            if p.is_file() {
                let (articles, gold) = read_jsonl(&p)?;
                return Ok(Some(EvalSet {
                    name: dir.file_name().map_or_else(
                        || dir.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    ),
                    articles,
                    gold,
                    injected: Vec::new(),
                }));
            }
        }
        Ok(None)
    };
    if let Some(set) = leaf(data)? {
        return Ok(vec![set]);
    }
    let mut sets = Vec::new();
    for sub in ["allsides", "newswcl50"] {
        if let Some(mut set) = leaf(&data.join(sub))? {
            spread_roundup_dates(&mut set);
            sets.push(set);
        }
    }
    if sets.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no stories.jsonl or articles.jsonl, nor allsides/ or newswcl50/ holding one",
            data.display()
        )));
    }
    if sets.len() == 2 {
        sets.push(mixed(&sets[0], &sets[1]));
    }
    Ok(sets)
}

/// When every story's articles carry one and the same date (AllSides': the roundup's
/// timestamp, not the outlets' own), moves each article 0, 1 or 2 days earlier (fixed by
/// its position), as outlets' own dates spread over the days before a roundup; otherwise
/// grouping could lean on a date match no real corpus offers.
fn spread_roundup_dates(set: &mut EvalSet) {
    let mut dates: HashMap<&str, Option<i32>> = HashMap::new();
    let mut one_date = true;
    for (a, g) in set.articles.iter().zip(&set.gold) {
        let d = a.published.as_deref().and_then(group::parse_day);
        one_date &= d.is_some() && *dates.entry(g).or_insert(d) == d;
    }
    if !one_date || set.articles.is_empty() {
        return;
    }
    for (i, a) in set.articles.iter_mut().enumerate() {
        let d = a
            .published
            .as_deref()
            .and_then(group::parse_day)
            .unwrap_or(0);
        a.published = Some(day_string(d - (mix(i as u64) % 3) as i32));
    }
}

/// The harder mix: NewsWCL50's full texts among AllSides' leads, plus syndicated copies
/// (one article in 20 re-published by another outlet a day later with a new headline, a
/// wire credit and its first paragraph cut), all with their gold stories.
fn mixed(allsides: &EvalSet, newswcl: &EvalSet) -> EvalSet {
    let mut articles: Vec<Article> = newswcl.articles.clone();
    let mut gold: Vec<String> = newswcl.gold.clone();
    articles.extend(allsides.articles.iter().cloned());
    gold.extend(allsides.gold.iter().cloned());
    let base = articles.len();
    let mut injected = Vec::new();
    for i in (0..base).step_by(20) {
        let a = &articles[i];
        let paragraphs: Vec<&str> = a.text.split("\n\n").collect();
        let body = if paragraphs.len() > 2 {
            paragraphs[1..].join("\n\n")
        } else {
            a.text.clone()
        };
        let published = a
            .published
            .as_deref()
            .and_then(group::parse_day)
            .map(|d| day_string(d + 1));
        let copy = Article {
            title: a.title.as_ref().map(|t| format!("{t} | Wire")),
            text: format!("{body}\n\n(Reporting by wire staff; editing by the desk.)"),
            outlet: Some(format!("Syndicate {}", i % 7)),
            published,
            ..Article::default()
        };
        injected.push((articles.len(), i));
        articles.push(copy);
        gold.push(gold[i].clone());
    }
    EvalSet {
        name: "mixed (newswcl50 full texts + allsides leads + injected copies)".into(),
        articles,
        gold,
        injected,
    }
}

/// Fills each article's actors and claims from the analysers (in parallel).
fn analyse_set(set: &mut EvalSet, pipeline: &Pipeline) {
    set.articles.par_iter_mut().for_each(|a| {
        let doc = unspin::Document::from_text(tfidf_text(a));
        if let Ok(analysis) = pipeline.analyze(&doc) {
            let found = article_of(&analysis);
            a.actors = found.actors;
            a.claims = found.claims;
        }
    });
}

/// The text analysed: the title (when the text does not start with it) and the text.
fn tfidf_text(a: &Article) -> String {
    match &a.title {
        Some(t) if !a.text.trim_start().starts_with(t.trim()) => format!("{t}\n\n{}", a.text),
        _ => a.text.clone(),
    }
}

/// The grid searched for the weights (actors, title, per day) and the cut.
fn grid() -> (Vec<(f32, f32, f32)>, Vec<f32>) {
    let ws = [0.0f32, 0.1, 0.2, 0.3, 0.5];
    // At most 0.04 a day: with more, versions of one story published three days apart
    // could hardly join, and the development sets' own spread of dates is made up
    // (spread_roundup_dates).
    let ds = [0.0f32, 0.01, 0.02, 0.04];
    let pairs = ws
        .iter()
        .flat_map(|&a| ws.iter().map(move |&t| (a, t)))
        .flat_map(|(a, t)| ds.iter().map(move |&d| (a, t, d)))
        .collect();
    let cuts = (4..=60).map(|k| k as f32 / 100.0).collect();
    (pairs, cuts)
}

/// Labels for every cut of one dendrogram.
type Cuts = Vec<Vec<u32>>;

/// The result of one method on one set.
#[derive(Serialize)]
struct MethodResult {
    /// Cross-validated over stories (each fold's settings tuned on the other folds).
    cross_validated: Scores,
    /// The settings chosen on the whole set (for reference, not a held-out figure).
    chosen: Value,
    /// The scores of the settings chosen on the whole set (optimistic).
    best_on_set: Scores,
}

/// Cross-validation over stories: for each fold, the candidate (settings index) with the
/// best BCubed F1 on the other folds' articles; each article is then scored under its
/// fold's choice (against its whole predicted story, [`score_folds`]). Also returns the
/// candidate best on the whole set.
fn cross_validate(
    candidates: &[Vec<u32>],
    gold: &[String],
    folds: usize,
    seed: u64,
) -> (Scores, usize) {
    let fold = folds_by_story(gold, folds, seed);
    let best_where = |keep: &(dyn Fn(usize) -> bool + Sync)| -> usize {
        (0..candidates.len())
            .into_par_iter()
            .map(|c| {
                let idx: Vec<usize> = (0..gold.len()).filter(|&i| keep(i)).collect();
                let p: Vec<u32> = idx.iter().map(|&i| candidates[c][i]).collect();
                let g: Vec<&String> = idx.iter().map(|&i| &gold[i]).collect();
                (score(&p, &g).bcubed_f1, std::cmp::Reverse(c))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map_or(0, |b| b.1.0)
    };
    let chosen: Vec<Vec<u32>> = (0..folds)
        .map(|f| candidates[best_where(&|i| fold[i] != f)].clone())
        .collect();
    let whole = best_where(&|_| true);
    (score_folds(&chosen, &fold, gold), whole)
}

/// `unspin eval stories`.
pub fn eval(
    data: &Path,
    folds: usize,
    seed: u64,
    json_out: bool,
    blocking: Params,
) -> io::Result<ExitCode> {
    let mut sets = eval_sets(data)?;
    let pipeline = grouping_pipeline(Options::default());
    let (weights, cuts) = grid();
    let mut report = Vec::new();
    for set in &mut sets {
        let t = Instant::now();
        analyse_set(set, &pipeline);
        let analyse_s = t.elapsed().as_secs_f64();
        // Ours: one dendrogram per weight pair, cut at every threshold.
        let t = Instant::now();
        let params = Params {
            min_edge: cuts[0],
            ..blocking
        };
        let prepared: Prepared = group::prepare(&set.articles, &params);
        let prepare_s = t.elapsed().as_secs_f64();
        let mut candidates: Vec<Vec<u32>> = Vec::new();
        let mut settings: Vec<Weights> = Vec::new();
        for &(a, ti, pd) in &weights {
            let w = Weights {
                actors: a,
                title: ti,
                per_day: pd,
                threshold: 0.0,
            };
            let d = prepared.dendrogram(&w, None, cuts[0]);
            let cut: Cuts = cuts.par_iter().map(|&c| prepared.labels(&d, c)).collect();
            for (k, labels) in cut.into_iter().enumerate() {
                candidates.push(labels);
                settings.push(Weights {
                    threshold: cuts[k],
                    ..w
                });
            }
        }
        let (ours_cv, ours_best) = cross_validate(&candidates, &set.gold, folds, seed);
        let shipped = {
            let w = Weights::default();
            let d = prepared.dendrogram(&w, None, w.threshold);
            score(&prepared.labels(&d, w.threshold), &set.gold)
        };
        let ours = MethodResult {
            cross_validated: ours_cv,
            chosen: serde_json::to_value(settings[ours_best]).map_err(io::Error::other)?,
            best_on_set: score(&candidates[ours_best], &set.gold),
        };
        // Copies found for the injected ones (and copies claimed elsewhere).
        let found = set
            .injected
            .iter()
            .filter(|&&(c, o)| prepared.copy_of[c] == Some(o as u32))
            .count();
        let claimed = prepared.copy_of.iter().filter(|c| c.is_some()).count();
        // Blocking recall: gold same-story pairs (copies aside) that are candidate pairs.
        let candidate_set: std::collections::HashSet<(u32, u32)> =
            prepared.edges.iter().map(|e| (e.a, e.b)).collect();
        let (mut gold_pairs, mut kept) = (0usize, 0usize);
        for i in 0..set.gold.len() {
            for j in i + 1..set.gold.len() {
                if set.gold[i] == set.gold[j]
                    && prepared.copy_of[i].is_none()
                    && prepared.copy_of[j].is_none()
                {
                    gold_pairs += 1;
                    kept += usize::from(candidate_set.contains(&(i as u32, j as u32)));
                }
            }
        }
        // The baseline: TF-IDF, every pair, average linkage, one cut.
        let texts: Vec<String> = set
            .articles
            .iter()
            .map(|a| unspin_stories::tfidf::title_and_text(a.title.as_deref(), &a.text))
            .collect();
        let base = Baseline::new(&texts);
        let (_, d) = base.dendrogram(None, cuts[0]);
        let base_candidates: Vec<Vec<u32>> = cuts.par_iter().map(|&c| d.cut(c)).collect();
        let (base_cv, base_best) = cross_validate(&base_candidates, &set.gold, folds, seed);
        let baseline = MethodResult {
            cross_validated: base_cv,
            chosen: json!({"threshold": cuts[base_best], "distance": 1.0 - cuts[base_best]}),
            best_on_set: score(&base_candidates[base_best], &set.gold),
        };
        let stories = {
            let mut g = set.gold.clone();
            g.sort();
            g.dedup();
            g.len()
        };
        report.push(json!({
            "set": set.name,
            "articles": set.articles.len(),
            "stories": stories,
            "folds": folds,
            "ours": ours,
            "shipped_defaults": shipped,
            "baseline": baseline,
            "candidate_pairs": prepared.edges.len(),
            "gold_pairs_among_candidates": if gold_pairs > 0 { kept as f64 / gold_pairs as f64 } else { 1.0 },
            "all_pairs": set.articles.len() * set.articles.len().saturating_sub(1) / 2,
            "injected_copies": set.injected.len(),
            "injected_copies_found": found,
            "copies_marked": claimed,
            "seconds": {"analysis": analyse_s, "features_and_candidates": prepare_s},
        }));
    }
    let linking = actor_linking(data, &mut report)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    for r in &report {
        println!(
            "{}: {} articles, {} stories; {} candidate pairs of {}, holding {:.1} % of the gold pairs ({}-fold cross-validation over stories)",
            r["set"].as_str().unwrap_or(""),
            r["articles"],
            r["stories"],
            r["candidate_pairs"],
            r["all_pairs"],
            100.0 * r["gold_pairs_among_candidates"].as_f64().unwrap_or(0.0),
            folds
        );
        println!(
            "  {:<36} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}",
            "", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1"
        );
        for (name, key) in [
            ("unspin stories", "ours"),
            ("TF-IDF + average linkage", "baseline"),
        ] {
            for (which, k) in [
                ("cross-validated", "cross_validated"),
                ("best on the set", "best_on_set"),
            ] {
                score_row(&format!("{name}, {which}"), &r[key][k]);
            }
            println!("    settings chosen on the whole set: {}", r[key]["chosen"]);
            if key == "ours" {
                score_row("unspin stories, shipped defaults", &r["shipped_defaults"]);
            }
        }
        if r["injected_copies"].as_u64().unwrap_or(0) > 0 {
            println!(
                "  copies: {} of {} injected found; {} articles marked copies in all",
                r["injected_copies_found"], r["injected_copies"], r["copies_marked"]
            );
        } else {
            println!("  copies marked: {}", r["copies_marked"]);
        }
        println!();
    }
    if let Some(l) = &linking {
        print_actor_linking(l);
    }
    Ok(ExitCode::SUCCESS)
}

/// One row of the scores table.
fn score_row(name: &str, s: &Value) {
    let f = |x: &str| s[x].as_f64().unwrap_or(0.0);
    println!(
        "  {:<36} {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}",
        name,
        f("bcubed_precision"),
        f("bcubed_recall"),
        f("bcubed_f1"),
        f("pair_precision"),
        f("pair_recall"),
        f("pair_f1")
    );
}

// ---------------------------------------------------------------------------------------
// bench stories

/// A synthetic corpus built on demand from the paragraphs of real articles: stories of
/// 1 to 8 articles spread over two years and 50 outlets, each story with two core
/// paragraphs and a made-up name its articles share, each article with its own noise
/// (a share of words replaced), and one article in 25 a near-verbatim copy of another.
struct Synthetic {
    paragraphs: Vec<String>,
    vocabulary: Vec<String>,
    /// (story, first article) of each story, and each article's story and rank in it.
    article_story: Vec<(u32, u8)>,
    story_start: Vec<u32>,
}

/// splitmix64 of a seed.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Synthetic {
    fn new(dir: &Path, n: usize) -> io::Result<Self> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| io::Error::other(format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut paragraphs = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f)?;
            paragraphs.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|p| p.split_whitespace().count() >= 15)
                    .map(str::to_owned),
            );
        }
        if paragraphs.len() < 50 {
            return Err(io::Error::other(format!(
                "{}: too few paragraphs ({}) to build a corpus",
                dir.display(),
                paragraphs.len()
            )));
        }
        let vocabulary: Vec<String> = paragraphs
            .iter()
            .flat_map(|p| p.split_whitespace())
            .map(str::to_owned)
            .collect();
        let mut article_story = Vec::with_capacity(n);
        let mut story_start = Vec::new();
        let mut s = 0u64;
        while article_story.len() < n {
            let r = mix(s ^ 0xABCD);
            // Half the stories have one article; the others 2 to 8.
            let size = if r.is_multiple_of(2) {
                1
            } else {
                2 + (r >> 8) % 7
            } as usize;
            story_start.push(article_story.len() as u32);
            for k in 0..size.min(n - article_story.len()) {
                article_story.push((s as u32, k as u8));
            }
            s += 1;
        }
        Ok(Synthetic {
            paragraphs,
            vocabulary,
            article_story,
            story_start,
        })
    }

    fn paragraph(&self, seed: u64) -> &str {
        &self.paragraphs[(mix(seed) % self.paragraphs.len() as u64) as usize]
    }

    /// `words` with a share `noise` (per mille) of them replaced, seeded.
    fn noisy(&self, text: &str, noise: u64, seed: u64) -> String {
        text.split_whitespace()
            .enumerate()
            .map(|(k, w)| {
                let r = mix(seed ^ (k as u64) << 20);
                if r % 1000 < noise {
                    self.vocabulary[((r >> 12) % self.vocabulary.len() as u64) as usize].as_str()
                } else {
                    w
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn gold(&self, i: usize) -> u32 {
        self.article_story[i].0
    }

    fn build(&self, i: usize) -> Article {
        let (story, rank) = self.article_story[i];
        let s = story as u64;
        let start = self.story_start[story as usize] as usize;
        // One article in 25 (not a story's first) copies the story's first article.
        if rank > 0 && mix(i as u64 ^ 0xC0C0).is_multiple_of(25) {
            let mut a = self.build(start);
            a.text = format!("{}\n\n(Distributed by a wire service.)", a.text);
            a.outlet = Some(format!("Outlet {}", mix(i as u64) % 50));
            a.published = Some(day_string(self.story_day(s) + 1));
            return a;
        }
        let name = format!(
            "{} {}",
            synthetic_word(mix(s ^ 1)),
            synthetic_word(mix(s ^ 2))
        );
        let seed = mix(i as u64 ^ 0x5EED);
        let mut paras = Vec::new();
        let core = [self.paragraph(s ^ 0x11), self.paragraph(s ^ 0x22)];
        paras.push(format!("{name} {}", self.noisy(core[0], 250, seed ^ 3)));
        paras.push(self.noisy(core[1], 250, seed ^ 4));
        for k in 0..(2 + seed % 4) {
            paras.push(self.noisy(self.paragraph(seed ^ (k << 40)), 250, seed ^ k ^ 9));
        }
        let title_words: Vec<&str> = core[0].split_whitespace().take(8).collect();
        Article {
            title: Some(format!(
                "{name}: {}",
                self.noisy(&title_words.join(" "), 200, seed ^ 7)
            )),
            text: paras.join("\n\n"),
            outlet: Some(format!("Outlet {}", mix(seed ^ 5) % 50)),
            published: Some(day_string(self.story_day(s) + (seed % 3) as i32)),
            actors: vec![name],
            claims: Vec::new(),
        }
    }

    fn story_day(&self, s: u64) -> i32 {
        // 2022-01-01 plus up to two years.
        18_993 + (mix(s ^ 0xDA7E) % 730) as i32
    }
}

impl Corpus for Synthetic {
    fn len(&self) -> usize {
        self.article_story.len()
    }
    fn article(&self, i: usize) -> Cow<'_, Article> {
        Cow::Owned(self.build(i))
    }
}

/// A pronounceable made-up capitalised word.
fn synthetic_word(r: u64) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut s = String::new();
    for k in 0..3 {
        let x = r >> (k * 8);
        s.push(C[(x % C.len() as u64) as usize] as char);
        s.push(V[((x >> 4) % V.len() as u64) as usize] as char);
    }
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_ascii_uppercase().to_string() + c.as_str()
    })
}

/// YYYY-MM-DD of a day number.
fn day_string(d: i32) -> String {
    let z = d + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i32::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `unspin bench stories`.
pub fn bench(args: &StoriesBenchArgs) -> io::Result<ExitCode> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.max(1))
        .build()
        .map_err(io::Error::other)?;
    let corpus = Synthetic::new(&args.data, args.articles)?;
    eprintln!(
        "unspin: {} synthetic articles in {} stories from {} paragraphs of {}; grouping with {} threads",
        corpus.len(),
        corpus.story_start.len(),
        corpus.paragraphs.len(),
        args.data.display(),
        args.jobs
    );
    let params = Params::default();
    let started = Instant::now();
    let grouping = pool.install(|| group::group(&corpus, &params));
    let seconds = started.elapsed().as_secs_f64();
    let rss = crate::bench::peak_rss_mib();
    let gold: Vec<u32> = (0..corpus.len()).map(|i| corpus.gold(i)).collect();
    let scores = score(&grouping.story, &gold);
    let copies = grouping.copy_of.iter().filter(|c| c.is_some()).count();
    let report = json!({
        "articles": corpus.len(),
        "gold_stories": corpus.story_start.len(),
        "threads": args.jobs,
        "timed": "unspin_stories::group on the synthetic corpus: both passes of building each article's text on demand (paragraph recombination, word noise) and its features (tokens, TF-IDF, MinHash, the given actor name), copies, blocking, candidate similarities, average linkage, story summaries; no unspin analysis (actors are the story's made-up name)",
        "seconds": seconds,
        "peak_rss_mib": rss,
        "stories": grouping.stories.len(),
        "candidate_pairs": grouping.candidate_pairs,
        "copies_marked": copies,
        "scores_against_synthetic_gold": scores,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).map_err(io::Error::other)?
    );
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------
// eval stories: cross-article actor linking on NewsWCL50's mentions

/// Scores `unspin compare`'s cross-article actor linking on NewsWCL50's hand-coded mentions
/// when `data` (or its `newswcl50/`) holds `mentions.csv`; in the JSON report the scores are
/// the NewsWCL50 set's `actor_linking` (a set of their own when no set is NewsWCL50).
fn actor_linking(
    data: &Path,
    report: &mut Vec<Value>,
) -> io::Result<Option<unspin_compare::eval_actors::ActorLinkingScores>> {
    let Some(dir) = [data.join("newswcl50"), data.to_path_buf()]
        .into_iter()
        .find(|d| d.join("mentions.csv").is_file() && d.join("articles.jsonl").is_file())
    else {
        return Ok(None);
    };
    let t = Instant::now();
    // The pipeline `unspin compare` runs with its default options.
    let pipeline =
        Pipeline::new(Options::default()).map_err(|e| io::Error::other(e.to_string()))?;
    let scores = unspin_compare::eval_actors::evaluate_dir(&dir, &pipeline)?;
    eprintln!(
        "unspin: actor linking on {} scored in {:.1} s",
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    let value = serde_json::to_value(&scores).map_err(io::Error::other)?;
    match report.iter_mut().find(|r| r["set"] == "newswcl50") {
        Some(r) => r["actor_linking"] = value,
        None => report.push(json!({"set": dir.display().to_string(), "actor_linking": value})),
    }
    Ok(Some(scores))
}

/// Prints the actor-linking block of `unspin eval stories`.
fn print_actor_linking(s: &unspin_compare::eval_actors::ActorLinkingScores) {
    println!(
        "cross-article actor linking on NewsWCL50's mentions ({} articles, {} events; code types {}):",
        s.articles,
        s.stories,
        unspin_compare::eval_actors::ACTOR_TYPES.join(", ")
    );
    println!(
        "  {} gold mentions: {} located, {} not located (dropped), {} coded twice alike; {} concepts, {} in two articles or more",
        s.gold_rows,
        s.located,
        s.not_located,
        s.repeated,
        s.gold_concepts,
        s.cross_article_concepts
    );
    println!(
        "  coverage (gold mentions a predicted mention overlaps): {:.3}; {} linked actors predicted",
        s.coverage, s.predicted_actors
    );
    println!(
        "  {:<44} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}",
        "", "B3 P", "B3 R", "B3 F1", "cross P", "R", "F1"
    );
    for (name, m) in [
        ("unspin linking", &s.linking),
        (
            "same mentions, not linked across articles",
            &s.within_article_only,
        ),
        (
            "baseline: gold mentions by lower-cased words",
            &s.surface_baseline,
        ),
    ] {
        println!(
            "  {:<44} {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}",
            name,
            m.all.precision,
            m.all.recall,
            m.all.f1,
            m.cross_article.precision,
            m.cross_article.recall,
            m.cross_article.f1
        );
    }
    for (t, b) in &s.by_type {
        println!(
            "  unspin linking, {t} only ({} mentions): P {:.3} R {:.3} F1 {:.3}",
            b.mentions, b.precision, b.recall, b.f1
        );
    }
}
