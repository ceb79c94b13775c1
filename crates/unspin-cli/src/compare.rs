//! `unspin compare`: versions of one story side by side (the `unspin-compare` crate does
//! the work; this reads the versions and writes the report).

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use unspin_compare::{Version, compare, render};

use crate::batch::{Batch, Outcome};
use crate::cli::{CompareArgs, CompareFormat};

/// A version's label: the JSONL record's id, else the input as given.
fn label(a: &unspin::Analysis) -> String {
    a.source
        .id
        .clone()
        .unwrap_or_else(|| a.source.input.clone())
}

/// Adds the articles of stored story `story` (copies of another article left out, and
/// named on stderr) after every argument, in id order; returns how many failed to read.
/// An unknown story, or one of fewer than two articles, is an error.
fn add_story(
    store: &dyn unspin_store::Store,
    db: &str,
    story: &str,
    versions: &mut Vec<(usize, Version)>,
) -> io::Result<usize> {
    let missing = || {
        io::Error::other(format!(
            "{db}: no story {story} (group the store with unspin stories --db {db})"
        ))
    };
    let ids = store
        .story_documents(story)
        .map_err(io::Error::other)?
        .ok_or_else(missing)?;
    let copies = store
        .story_copies(story)
        .map_err(io::Error::other)?
        .ok_or_else(missing)?;
    let articles: Vec<i64> = ids
        .into_iter()
        .filter(|id| !copies.iter().any(|(c, _)| c == id))
        .collect();
    if !copies.is_empty() {
        let list: Vec<String> = copies
            .iter()
            .map(|(c, o)| format!("#{c} (copy of #{o})"))
            .collect();
        eprintln!(
            "unspin: story {story}: leaving out {} cop{}: {}",
            copies.len(),
            if copies.len() == 1 { "y" } else { "ies" },
            list.join(", ")
        );
    }
    if articles.len() < 2 {
        return Err(io::Error::other(format!(
            "{db}: story {story} has {} article{} (copies aside); compare needs at least two",
            articles.len(),
            if articles.len() == 1 { "" } else { "s" }
        )));
    }
    let mut failed = 0;
    for (k, id) in articles.into_iter().enumerate() {
        match store.analysis(id) {
            Ok(Some(stored)) => {
                let l = label(&stored.analysis);
                versions.push((
                    usize::MAX / 2 + k,
                    Version::new(format!("{l} (#{id})"), stored.analysis),
                ));
            }
            Ok(None) => {
                failed += 1;
                eprintln!("unspin: error: {db}: document {id} is not stored");
            }
            Err(e) => {
                failed += 1;
                eprintln!("unspin: error: {e}");
            }
        }
    }
    Ok(failed)
}

/// `unspin compare`.
pub fn run(args: &CompareArgs, quiet: bool) -> io::Result<ExitCode> {
    let mut versions: Vec<(usize, Version)> = Vec::new();
    let mut failed = 0usize;
    // Stored documents first: arguments the store knows (by id or by input).
    let mut inputs: Vec<(usize, String)> = args.input.inputs.iter().cloned().enumerate().collect();
    if let Some(db) = &args.db {
        let store = crate::corpus::open_existing(db)?;
        let documents = store.documents().map_err(io::Error::other)?;
        inputs.retain(|(pos, arg)| {
            let id = arg
                .parse::<i64>()
                .ok()
                .filter(|id| documents.iter().any(|(d, _)| d == id))
                .or_else(|| documents.iter().find(|(_, i)| i == arg).map(|(d, _)| *d));
            let Some(id) = id else { return true };
            match store.analysis(id) {
                Ok(Some(stored)) => {
                    let l = label(&stored.analysis);
                    versions.push((*pos, Version::new(format!("{l} (#{id})"), stored.analysis)));
                }
                Ok(None) => {
                    failed += 1;
                    eprintln!("unspin: error: {db}: document {id} is not stored");
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("unspin: error: {e}");
                }
            }
            false
        });
        if let Some(story) = &args.story {
            failed += add_story(store.as_ref(), db, story, &mut versions)?;
        }
    }
    if !inputs.is_empty() || !args.input.urls.is_empty() {
        let pipeline = crate::pipeline(&args.input, Some(&args.model))?;
        let given: Vec<String> = inputs.iter().map(|(_, i)| i.clone()).collect();
        let batch = Batch {
            inputs: &given,
            ..crate::batch(&args.input, quiet)
        };
        // Inputs keep their place among the arguments; a file of several records (JSONL,
        // WARC) gives its versions in record order at its argument's place.
        let base = args.input.inputs.len();
        let mut read = 0usize;
        batch.run(
            |raw| {
                let doc = pipeline.document(raw)?;
                pipeline.analyze(&doc)
            },
            |outcome: Outcome<unspin::Analysis>, bar| {
                crate::report(&outcome, quiet, bar);
                match outcome.result {
                    Ok(a) => {
                        let pos = inputs
                            .iter()
                            .find(|(_, i)| {
                                outcome.input == *i
                                    || outcome.input.starts_with(&format!("{i}:"))
                                    || outcome.input.starts_with(&format!("{i}#"))
                            })
                            .map_or(base + read, |(p, _)| *p);
                        versions.push((pos, Version::new(label(&a), a)));
                        read += 1;
                    }
                    Err(_) => failed += 1,
                }
                Ok(())
            },
        )?;
    }
    versions.sort_by_key(|(p, _)| *p);
    let mut versions: Vec<Version> = versions.into_iter().map(|(_, v)| v).collect();
    unspin_compare::distinct_labels(&mut versions);
    if versions.len() < 2 {
        return Err(io::Error::other(format!(
            "compare needs at least two versions; {} could be read{}",
            versions.len(),
            if failed > 0 {
                format!(" ({failed} failed)")
            } else {
                String::new()
            }
        )));
    }
    let comparison = compare(&versions);
    let to_terminal = args.input.output.is_none() && io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal {
        CompareFormat::Text
    } else {
        CompareFormat::Json
    });
    let text = match format {
        CompareFormat::Text => render::text::render(&comparison),
        CompareFormat::Json => render::json(&comparison) + "\n",
        CompareFormat::Html => render::html::render(&comparison),
    };
    match &args.input.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The texts of a training path: every .txt file of a folder (sorted), every record's
/// `text` of a JSONL file, or the file itself.
fn training_texts(path: &std::path::Path) -> io::Result<Vec<String>> {
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    if path.is_dir() {
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(named)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        return files
            .iter()
            .map(|f| {
                std::fs::read_to_string(f)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", f.display())))
            })
            .collect();
    }
    let text = std::fs::read_to_string(path).map_err(named)?;
    if path.extension().is_some_and(|x| x == "jsonl") {
        return text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                let v: serde_json::Value = serde_json::from_str(l)
                    .map_err(|e| io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))?;
                Ok(v["text"].as_str().unwrap_or_default().to_owned())
            })
            .collect();
    }
    Ok(vec![text])
}

/// `unspin train idf`: background document frequencies for comparisons.
pub fn train_idf(
    data: &[std::path::PathBuf],
    out: &std::path::Path,
    min_df: u32,
) -> io::Result<ExitCode> {
    use unspin::analyse::model_file::{self, DataFingerprint, ModelHeader};
    let started = std::time::Instant::now();
    let mut texts = Vec::new();
    let mut hashes = Vec::new();
    for path in data {
        texts.extend(training_texts(path)?);
        hashes.push(if path.is_dir() {
            model_file::hash_dir(path)
                .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?
        } else {
            model_file::sha256_hex(&std::fs::read(path)?)
        });
    }
    let model = unspin_compare::idf::Idf::train(&texts, min_df.max(1));
    let header = ModelHeader {
        format_version: model_file::FORMAT_VERSION,
        kind: unspin_compare::idf::MODEL_KIND.into(),
        name: "news-idf".into(),
        version: "1".into(),
        created_by: format!("unspin {}", env!("CARGO_PKG_VERSION")),
        training_data: DataFingerprint {
            path: data
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            sha256: model_file::sha256_hex(hashes.join("\n").as_bytes()),
            articles: texts.len(),
            spans: model.terms.len(),
        },
        resources: Vec::new(),
        seed: 0,
        command: crate::command_line(),
        metrics: serde_json::json!({"documents": model.documents, "terms": model.terms.len(), "min_df": min_df}),
        payload_sha256: String::new(),
    };
    model_file::write(out, header, &model).map_err(|e| io::Error::other(e.to_string()))?;
    eprintln!(
        "unspin: wrote {} ({} terms from {} documents) in {:.1} s",
        out.display(),
        model.terms.len(),
        model.documents,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `unspin eval compare`: how well pair similarity tells one story's versions from other
/// stories' articles. The fields that give the story away (`id`, `story_headline`, `topic`)
/// are not read: a version is its text, title, outlet and date.
pub fn eval(data: &std::path::Path, seed: u64, json: bool) -> io::Result<ExitCode> {
    use rayon::prelude::*;
    use unspin_compare::eval::{Labelled, evaluate};
    let file = ["stories.jsonl", "articles.jsonl"]
        .iter()
        .map(|f| data.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            io::Error::other(format!(
                "{}: no stories.jsonl or articles.jsonl",
                data.display()
            ))
        })?;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
    let records: Vec<serde_json::Value> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map_err(|e| io::Error::other(format!("{}:{}: {e}", file.display(), n + 1)))
        })
        .collect::<io::Result<_>>()?;
    let started = std::time::Instant::now();
    let articles: Vec<Labelled> = records
        .par_iter()
        .enumerate()
        .map(|(n, r)| {
            let s = |k: &str| r[k].as_str().map(str::to_owned);
            let mut doc = unspin::Document::from_text(s("text").unwrap_or_default());
            doc.source.title = s("title");
            doc.source.site = s("outlet");
            doc.source.published = s("published");
            let analysis = unspin::analyze(&doc)
                .map_err(|e| io::Error::other(format!("{}:{}: {e}", file.display(), n + 1)))?;
            Ok(Labelled {
                version: Version::new(format!("{}:{}", file.display(), n + 1), analysis),
                story: s("story").unwrap_or_default(),
            })
        })
        .collect::<io::Result<_>>()?;
    let analysed = started.elapsed().as_secs_f64();
    let r = evaluate(&articles, seed);
    eprintln!(
        "unspin: {} articles analysed in {analysed:.1} s; {} pairs compared in {:.1} s",
        articles.len(),
        r.same_pairs + r.different_pairs,
        started.elapsed().as_secs_f64() - analysed
    );
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &r)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "pair similarity on {}: {} same-story pairs, {} different-story pairs",
            data.display(),
            r.same_pairs,
            r.different_pairs
        )?;
        writeln!(
            out,
            "{:<11} {:>9} {:>9} {:>6} {:>7} {:>9}",
            "measure", "same", "different", "AUC", "best F1", "at"
        )?;
        for (name, d) in [
            ("similarity", &r.similarity),
            ("text", &r.text),
            ("claims", &r.claims),
            ("actors", &r.actors),
        ] {
            writeln!(
                out,
                "{name:<11} {:>9.3} {:>9.3} {:>6.3} {:>7.3} {:>9.3}",
                d.same_mean, d.different_mean, d.auc, d.best_f1, d.best_threshold
            )?;
        }
        writeln!(
            out,
            "uncalibrated score under other weights (text, claims, actors):"
        )?;
        for ((t, c, a), d) in &r.weights {
            writeln!(
                out,
                "  ({t:.2}, {c:.2}, {a:.2})  same {:.3}  different {:.3}  AUC {:.3}  best F1 {:.3}",
                d.same_mean, d.different_mean, d.auc, d.best_f1
            )?;
        }
        writeln!(
            out,
            "logistic calibration these pairs fit: slope {:.2}, intercept {:.2}",
            r.calibration.0, r.calibration.1
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
