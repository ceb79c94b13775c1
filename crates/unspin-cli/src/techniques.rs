//! `unspin train techniques`, `unspin eval techniques`, `unspin predict`, `unspin classify`.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;
use unspin::Technique;
use unspin::analyse::model_file::{
    self, DataFingerprint, LoadedModel, ModelHeader, ResourceFingerprint,
};
use unspin::analyse::techniques::data::corpus::{Article, Corpus, LoadOptions, OutOfRangePolicy};
use unspin::analyse::techniques::data::extra;
use unspin::analyse::techniques::data::semeval::{self, FlcRow, SiRow};
use unspin::analyse::techniques::detector::{MODEL_KIND, TechniquesModel};
use unspin::analyse::techniques::eval::cross_validate;
use unspin::analyse::techniques::trainer::{self, TrainConfig, TrainingOnly};
use unspin::analyse::word_classes::{
    DEFAULT_WORD_CLASSES_FILE, WordClasses, default_word_classes_path,
};
use unspin::analyse::word_vectors::{
    self, DEFAULT_WORD_VECTORS_FILE, WordVectors, default_word_vectors_path,
};
use unspin::{ModelContext, TechniquesModelChoice};

use crate::cli::{ClassifyArgs, PredictArgs, PredictFormat, TechniqueDataArgs, WordClassArgs};

/// Loads a PTC-format corpus, repairing the few label rows that run past their article (and
/// saying so), optionally keeping only the first `limit` articles.
/// `unspin train word-classes`: k-means word classes from an embedding table.
pub fn train_word_classes(
    embeddings: &Path,
    out: &Path,
    words: usize,
    levels: &[u16],
    iters: usize,
    seed: u64,
) -> io::Result<ExitCode> {
    use unspin::analyse::word_classes::read_wink_embeddings;
    let file = std::fs::File::open(embeddings)
        .map_err(|e| io::Error::other(format!("{}: {e}", embeddings.display())))?;
    let (vocab, vectors, dim) = read_wink_embeddings(file, words)
        .map_err(|e| io::Error::other(format!("{}: {e}", embeddings.display())))?;
    eprintln!(
        "unspin: k-means over {} words ({dim} dimensions) at levels {levels:?}",
        vocab.len()
    );
    let started = std::time::Instant::now();
    let classes = WordClasses::learn(vocab, &vectors, dim, levels, iters, seed);
    classes
        .write_tsv_gz(out)
        .map_err(|e| io::Error::other(format!("{}: {e}", out.display())))?;
    eprintln!(
        "unspin: wrote {} ({} words) in {:.1} s",
        out.display(),
        classes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `unspin train word-vectors`: the quantised word-vector table from an embedding table.
pub fn train_word_vectors(embeddings: &Path, out: &Path, words: usize) -> io::Result<ExitCode> {
    use unspin::analyse::word_classes::read_wink_embeddings;
    let bytes = std::fs::read(embeddings)
        .map_err(|e| io::Error::other(format!("{}: {e}", embeddings.display())))?;
    let (vocab, values, dim) = read_wink_embeddings(&bytes[..], words)
        .map_err(|e| io::Error::other(format!("{}: {e}", embeddings.display())))?;
    let vectors = WordVectors::from_f32(vocab, &values, dim);
    let name = embeddings.file_name().map_or_else(
        || embeddings.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let header = ModelHeader {
        format_version: model_file::FORMAT_VERSION,
        kind: word_vectors::KIND.into(),
        name: "word-vectors-glove100".into(),
        version: "1".into(),
        created_by: format!("unspin {}", env!("CARGO_PKG_VERSION")),
        // The source is the embedding table, not labelled data: no articles, no spans.
        training_data: DataFingerprint {
            path: name,
            sha256: model_file::sha256_hex(&bytes),
            articles: 0,
            spans: 0,
        },
        resources: Vec::new(),
        seed: 0,
        command: format!(
            "unspin train word-vectors --embeddings {} --words {words}",
            embeddings.display()
        ),
        metrics: serde_json::json!({ "words": vectors.len(), "dimensions": dim }),
        payload_sha256: String::new(),
    };
    word_vectors::write(out, header, &vectors).map_err(|e| io::Error::other(e.to_string()))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "unspin: wrote {} ({} words, {dim} dimensions, {:.1} MB)",
        out.display(),
        vectors.len(),
        size as f64 / 1e6
    );
    Ok(ExitCode::SUCCESS)
}

fn load_one_corpus(data: &Path) -> io::Result<Corpus> {
    let corpus = Corpus::load_with(
        data,
        LoadOptions {
            out_of_range: OutOfRangePolicy::Clamp,
        },
    )
    .map_err(|e| io::Error::other(format!("{}: {e}", data.display())))?;
    for r in &corpus.repairs {
        let fate = match r.kept {
            Some(s) => format!("clamped to {}..{}", s.start, s.end),
            None => "dropped".into(),
        };
        tracing::info!(
            "{}:{}: label runs past the end of article {}; {fate}",
            r.file.display(),
            r.line,
            r.id
        );
    }
    if !corpus.repairs.is_empty() {
        tracing::warn!(
            "{}: {} label rows run past the end of their article and were clamped or dropped (-v lists them)",
            data.display(),
            corpus.repairs.len()
        );
    }
    Ok(corpus)
}

/// The labelled data of a training or evaluation run: the `--data` folders joined into one
/// corpus (optionally cut to its first `--limit` articles) and the `--extra` training-only
/// articles.
struct TechniqueData {
    corpus: Corpus,
    extra: Vec<Article>,
}

fn load_data(args: &TechniqueDataArgs) -> io::Result<TechniqueData> {
    let mut dirs = args.data.iter();
    let first = dirs
        .next()
        .ok_or_else(|| io::Error::other("--data is required"))?;
    let mut corpus = load_one_corpus(first)?;
    for d in dirs {
        corpus
            .extend(load_one_corpus(d)?)
            .map_err(|e| io::Error::other(format!("{}: {e}", d.display())))?;
    }
    if let Some(n) = args.limit {
        corpus.articles.truncate(n);
    }
    if corpus.articles.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no articles to use",
            first.display()
        )));
    }
    let mut extra = Vec::new();
    for p in &args.extra {
        let set = extra::load(p).map_err(|e| io::Error::other(format!("{}: {e}", p.display())))?;
        let spans: usize = set.iter().map(|a| a.spans.len()).sum();
        eprintln!(
            "unspin: training-only set {}: {} texts, {spans} technique spans",
            p.display(),
            set.len()
        );
        extra.extend(set);
    }
    Ok(TechniqueData { corpus, extra })
}

/// One fingerprint for the `--data` folders: each folder's hash, hashed together in the
/// order given (a single folder keeps its own hash).
fn data_fingerprint(args: &TechniqueDataArgs, corpus: &Corpus) -> io::Result<DataFingerprint> {
    let mut hashes = Vec::new();
    for d in &args.data {
        hashes.push(
            model_file::hash_dir(d)
                .map_err(|e| io::Error::other(format!("{}: {e}", d.display())))?,
        );
    }
    let sha256 = if hashes.len() == 1 {
        hashes.remove(0)
    } else {
        model_file::sha256_hex(hashes.join("\n").as_bytes())
    };
    Ok(DataFingerprint {
        path: args
            .data
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        sha256,
        articles: corpus.len(),
        spans: corpus.articles.iter().map(|a| a.spans.len()).sum(),
    })
}

/// Fingerprints of the `--extra` sets, for the model header's resources.
fn extra_fingerprints(args: &TechniqueDataArgs) -> io::Result<Vec<ResourceFingerprint>> {
    args.extra
        .iter()
        .map(|p| {
            let sha256 = if p.is_dir() {
                model_file::hash_dir(p)
            } else {
                std::fs::read(p).map(|b| model_file::sha256_hex(&b))
            }
            .map_err(|e| io::Error::other(format!("{}: {e}", p.display())))?;
            Ok(ResourceFingerprint {
                name: "training-only-set".into(),
                path: p.display().to_string(),
                sha256,
            })
        })
        .collect()
}

/// Reads one reviewed Label Studio export, saying on stderr what it gave; returns its
/// articles and the file's fingerprint for the model header.
fn read_reviewed(p: &Path) -> io::Result<(Vec<Article>, ResourceFingerprint)> {
    use unspin::analyse::techniques::data::reviewed;
    let bytes = std::fs::read(p).map_err(|e| io::Error::other(format!("{}: {e}", p.display())))?;
    let set = reviewed::parse(&bytes, p).map_err(|e| io::Error::other(e.to_string()))?;
    let spans: usize = set.articles.iter().map(|a| a.spans.len()).sum();
    eprintln!(
        "unspin: reviewed tasks {}: {} articles, {spans} technique spans; {} tasks not reviewed (skipped)",
        p.display(),
        set.articles.len(),
        set.unreviewed.len()
    );
    let fingerprint = ResourceFingerprint {
        name: "reviewed-tasks".into(),
        path: p.display().to_string(),
        sha256: model_file::sha256_hex(&bytes),
    };
    Ok((set.articles, fingerprint))
}

/// Adds the reviewed Label Studio exports (`--reviewed`) to the training corpus, saying on
/// stderr which articles the reviewer's version replaced; returns the files' fingerprints
/// for the model header.
fn add_reviewed(corpus: &mut Corpus, files: &[PathBuf]) -> io::Result<Vec<ResourceFingerprint>> {
    use unspin::analyse::techniques::data::reviewed;
    let mut fingerprints = Vec::new();
    for p in files {
        let (articles, fingerprint) = read_reviewed(p)?;
        for r in reviewed::merge_into(&mut corpus.articles, articles) {
            let how = if r.same_text { "same text" } else { "same id" };
            eprintln!(
                "unspin: {}: the reviewed article {} replaces article {} of the training data ({how}); the reviewer's spans win",
                p.display(),
                r.new_id,
                r.old_id
            );
        }
        fingerprints.push(fingerprint);
    }
    Ok(fingerprints)
}

/// `unspin train techniques`.
pub fn train(
    data: &TechniqueDataArgs,
    out: &Path,
    seed: u64,
    classes: &WordClassArgs,
) -> io::Result<ExitCode> {
    let TechniqueData { mut corpus, extra } = load_data(data)?;
    let reviewed_fingerprints = add_reviewed(&mut corpus, &data.reviewed)?;
    let spans: usize = corpus.articles.iter().map(|a| a.spans.len()).sum();
    eprintln!(
        "unspin: training the techniques model on {} articles, {spans} spans, plus {} training-only texts (seed {seed})",
        corpus.len(),
        extra.len()
    );
    let started = std::time::Instant::now();
    let (mut cfg, mut resources) = train_config(seed, classes)?;
    cfg.extra_in_span = data.extra_in_span;
    resources.extend(extra_fingerprints(data)?);
    resources.extend(reviewed_fingerprints);
    let training_only = TrainingOnly {
        same_scheme: Vec::new(),
        other_scheme: extra,
    };
    let (model, metrics) = trainer::train_with_report(&corpus, &training_only, &cfg);
    let training_data = data_fingerprint(data, &corpus)?;
    let command = crate::command_line();
    let header = ModelHeader {
        format_version: model_file::FORMAT_VERSION,
        kind: MODEL_KIND.into(),
        name: "techniques-ptc".into(),
        version: "4".into(),
        created_by: format!("unspin {}", env!("CARGO_PKG_VERSION")),
        training_data,
        resources,
        seed,
        command,
        metrics,
        payload_sha256: String::new(),
    };
    model_file::write(out, header, &model).map_err(|e| io::Error::other(e.to_string()))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "unspin: wrote {} ({:.1} MB) in {:.0} s",
        out.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The training settings for `seed` with the word classes chosen by `classes`, and the
/// fingerprints of the files they came from.
fn train_config(
    seed: u64,
    classes: &WordClassArgs,
) -> io::Result<(TrainConfig, Vec<ResourceFingerprint>)> {
    let mut cfg = TrainConfig::default().with_seed(seed);
    let mut resources = Vec::new();
    if !classes.no_word_vectors {
        let (path, shown) = match &classes.word_vectors {
            Some(p) => (p.clone(), p.display().to_string()),
            None => default_word_vectors_path()
                .map(|p| (p, DEFAULT_WORD_VECTORS_FILE.to_string()))
                .ok_or_else(|| {
                    io::Error::other(format!(
                        "no word-vector file found ({DEFAULT_WORD_VECTORS_FILE} in the model \
                         folders); pass --word-vectors FILE or --no-word-vectors"
                    ))
                })?,
        };
        // One read: the table and the file's SHA-256 come from the same bytes.
        let loaded = word_vectors::read(&path).map_err(|e| io::Error::other(e.to_string()))?;
        eprintln!(
            "unspin: word vectors from {} ({} words)",
            path.display(),
            loaded.model.len()
        );
        resources.push(ResourceFingerprint {
            name: "word-vectors".into(),
            path: shown,
            sha256: loaded.file_sha256,
        });
        cfg.span.word_vectors = Some(Arc::new(loaded.model));
    }
    if classes.no_word_classes {
        return Ok((cfg, resources));
    }
    // The header records the path as given, or the shipped file's name (not where this
    // checkout happens to live, so that the model bytes do not depend on it).
    let (path, shown) = match &classes.word_classes {
        Some(p) => (p.clone(), p.display().to_string()),
        None => default_word_classes_path()
            .map(|p| (p, DEFAULT_WORD_CLASSES_FILE.to_string()))
            .ok_or_else(|| {
                io::Error::other(format!(
                    "no word-class file found ({DEFAULT_WORD_CLASSES_FILE} in the model folders); \
                 pass --word-classes FILE or --no-word-classes"
                ))
            })?,
    };
    // Read once: the same bytes are parsed and fingerprinted.
    let bytes =
        std::fs::read(&path).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    let wc = WordClasses::parse_tsv_gz(&bytes[..], &path)?;
    eprintln!(
        "unspin: word classes from {} ({} words)",
        path.display(),
        wc.len()
    );
    let fingerprint = ResourceFingerprint {
        name: "word-classes".into(),
        path: shown,
        sha256: model_file::sha256_hex(&bytes),
    };
    resources.insert(0, fingerprint);
    Ok((cfg.with_word_classes(Arc::new(wc)), resources))
}

/// `unspin eval techniques`.
pub fn eval(
    data: &TechniqueDataArgs,
    folds: usize,
    seed: u64,
    classes: &WordClassArgs,
) -> io::Result<ExitCode> {
    if folds < 2 {
        return Err(io::Error::other("--folds must be at least 2"));
    }
    let TechniqueData { corpus, extra } = load_data(data)?;
    if corpus.len() < folds {
        return Err(io::Error::other(format!(
            "{} articles cannot make {folds} folds",
            corpus.len()
        )));
    }
    let (mut cfg, _) = train_config(seed, classes)?;
    cfg.extra_in_span = data.extra_in_span;
    let mut training_only = TrainingOnly {
        same_scheme: Vec::new(),
        other_scheme: extra,
    };
    for p in &data.reviewed {
        let (articles, _) = read_reviewed(p)?;
        if let Some(a) = articles.iter().find(|a| {
            corpus
                .articles
                .iter()
                .any(|c| c.id == a.id || c.text == a.text)
        }) {
            return Err(io::Error::other(format!(
                "{}: reviewed article {} is also a --data article: it would be both trained on and scored",
                p.display(),
                a.id
            )));
        }
        training_only.same_scheme.extend(articles);
    }
    let report = cross_validate(&corpus, &training_only, folds, &cfg);
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// The techniques model chosen by `--model` (`fast`, `accurate` or a file), or the default
/// one for corpora (`fast`).
pub fn model(
    choice: Option<&TechniquesModelChoice>,
) -> io::Result<Arc<LoadedModel<TechniquesModel>>> {
    choice
        .cloned()
        .unwrap_or_default()
        .load(ModelContext::Batch)
        .map(|(model, _)| model)
        .map_err(|e| io::Error::other(e.to_string()))
}

/// The `article<ID>.txt` files of a folder, sorted by id like the corpus (numeric ids in
/// numeric order).
pub fn articles(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(id) = semeval::article_id(name) {
            found.push((id.to_owned(), path));
        }
    }
    found.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    if found.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no article<ID>.txt files",
            dir.display()
        )));
    }
    Ok(found)
}

/// Reads an article verbatim (offsets count its code points, a BOM included).
pub fn read_article(path: &Path) -> io::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::other(format!("{}: not UTF-8 text", path.display())))
}

/// A thread pool of `jobs` threads (all cores by default).
fn pool(jobs: Option<usize>) -> io::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        b = b.num_threads(n.max(1));
    }
    b.build().map_err(io::Error::other)
}

/// `unspin predict`.
pub fn predict(args: &PredictArgs) -> io::Result<ExitCode> {
    let model = model(args.model.model.as_ref())?;
    let files = articles(&args.dir)?;
    let min = args.model.min_confidence;
    let results: Vec<io::Result<Vec<FlcRow>>> = pool(args.jobs)?.install(|| {
        files
            .par_iter()
            .map(|(id, path)| {
                let text = read_article(path)?;
                let seg = unspin::segment::segment(&text);
                Ok(model
                    .model
                    .detect(&text, &seg)
                    .into_iter()
                    .filter(|d| d.confidence >= min)
                    .map(|d| FlcRow {
                        id: id.clone(),
                        technique: d.technique,
                        start: d.start,
                        end: d.end,
                    })
                    .collect())
            })
            .collect()
    });
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = 0;
    for r in results {
        match r {
            Ok(rows) => match args.format {
                PredictFormat::SemevalFlc => semeval::write_flc(&mut out, &rows)?,
                PredictFormat::SemevalSi => {
                    let si: Vec<SiRow> = rows
                        .iter()
                        .map(|r| SiRow {
                            id: r.id.clone(),
                            start: r.start,
                            end: r.end,
                        })
                        .collect();
                    semeval::write_si(&mut out, &si)?
                }
            },
            Err(e) => {
                failed += 1;
                eprintln!("unspin: error: {e}");
            }
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `unspin classify`.
pub fn classify(args: &ClassifyArgs) -> io::Result<ExitCode> {
    let model = model(args.model.as_ref())?;
    let template =
        semeval::read_tc_template(&args.spans).map_err(|e| io::Error::other(e.to_string()))?;
    let paths: BTreeMap<String, PathBuf> = articles(&args.dir)?.into_iter().collect();
    // The template rows of each article, in template order (a span listed twice carries two
    // techniques; the classifier gives its copies distinct labels).
    let mut by_article: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, row) in template.iter().enumerate() {
        by_article.entry(row.id.as_str()).or_default().push(i);
    }
    let jobs: Vec<(&str, &Vec<usize>)> = by_article.iter().map(|(k, v)| (*k, v)).collect();
    let labelled: Vec<io::Result<Vec<(usize, Technique)>>> = pool(args.jobs)?.install(|| {
        jobs.par_iter()
            .map(|(id, rows)| {
                let path = paths.get(*id).ok_or_else(|| {
                    io::Error::other(format!(
                        "{}: the template names article {id}, which is not in {}",
                        args.spans.display(),
                        args.dir.display()
                    ))
                })?;
                let text = read_article(path)?;
                let n = text.chars().count();
                let spans: Vec<(usize, usize)> = rows
                    .iter()
                    .map(|&i| (template[i].start, template[i].end))
                    .collect();
                if let Some(&(s, e)) = spans.iter().find(|(s, e)| s >= e || *e > n) {
                    return Err(io::Error::other(format!(
                        "{}: span {s}..{e} of article {id} is outside its {n} code points",
                        args.spans.display()
                    )));
                }
                let seg = unspin::segment::segment(&text);
                let classes = model.model.classifier.classify(&text, &seg, &spans);
                Ok(rows
                    .iter()
                    .zip(classes)
                    .map(|(&i, c)| {
                        let best = (0..Technique::ALL.len())
                            .max_by(|&a, &b| c.probs[a].total_cmp(&c.probs[b]).then(b.cmp(&a)))
                            .unwrap_or(0);
                        (i, Technique::ALL[best])
                    })
                    .collect())
            })
            .collect()
    });
    let mut labels = vec![Technique::LoadedLanguage; template.len()];
    for r in labelled {
        for (i, t) in r? {
            labels[i] = t;
        }
    }
    let rows: Vec<FlcRow> = template
        .iter()
        .zip(labels)
        .map(|(row, t)| row.fill(t))
        .collect();
    let mut out = BufWriter::new(io::stdout().lock());
    semeval::write_flc(&mut out, &rows)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
