//! The `unspin` command: a thin shell over the `unspin` library.

mod batch;
mod bench;
mod bench_index;
mod claims;
mod cli;
mod compare;
mod corpus;
mod corpus_queue;
mod doctor;
mod eval;
mod quotes;
mod serve;
mod serve_bench;
mod soak_bench;
mod stories;
mod techniques;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::ProgressBar;
use tikv_jemallocator::Jemalloc;
use tracing_subscriber::EnvFilter;
use unspin::ingest::IngestOptions;
use unspin::render::{
    ErrorRecord, ExtractedRecord, Html, Json, LabelStudio, Render, SemevalFlc, Text,
};
use unspin::{ModelContext, Options, Pipeline, TechniquesOptions};

use crate::batch::{Batch, Outcome, Summary};
use crate::cli::{AnalyzeFormat, Cli, Command, ExtractFormat, InputArgs};

/// jemalloc rather than the system allocator: once a burst of abusive connections had closed,
/// glibc kept what they had freed (`unspin bench soak`, 20 min: RSS 23.8% over the warm-up
/// at the end), jemalloc returns it (+1.6% to +5.7%); runs and figures in docs/server.md.
#[global_allocator]
static GLOBAL: Jemalloc = Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match &cli.command {
        Command::Analyze(args) => analyze(args, cli.quiet),
        Command::Extract(args) => extract(args, cli.quiet),
        Command::Eval(args) => eval::run(args),
        Command::Train(args) => match &args.target {
            cli::TrainTarget::Techniques {
                data,
                out,
                seed,
                classes,
            } => techniques::train(data, out, *seed, classes),
            cli::TrainTarget::Attribution { data, out, seed } => quotes::train(data, out, *seed),
            cli::TrainTarget::Idf { data, out, min_df } => compare::train_idf(data, out, *min_df),
            cli::TrainTarget::Claims {
                data,
                out,
                seed,
                tune,
            } => claims::train(data, out, *seed, tune),
            cli::TrainTarget::WordClasses {
                embeddings,
                out,
                words,
                levels,
                iters,
                seed,
            } => techniques::train_word_classes(embeddings, out, *words, levels, *iters, *seed),
            cli::TrainTarget::WordVectors {
                embeddings,
                out,
                words,
            } => techniques::train_word_vectors(embeddings, out, *words),
        },
        Command::Predict(args) => techniques::predict(args),
        Command::Classify(args) => techniques::classify(args),
        Command::Bench(args) => match &args.target {
            cli::BenchTarget::Analysis { dir, jobs, repeat } => {
                bench::analysis(dir, *jobs, *repeat)
            }
            cli::BenchTarget::Techniques {
                dir,
                model,
                jobs,
                repeat,
            } => bench::techniques(dir, model.as_ref(), *jobs, *repeat),
            cli::BenchTarget::Claims(b) => claims::bench(&b.dir, b.jobs, b.repeat),
            cli::BenchTarget::Serve(b) => serve_bench::run(b),
            cli::BenchTarget::Soak(b) => soak_bench::run(b),
            cli::BenchTarget::Index(b) => bench_index::run(b),
            cli::BenchTarget::Stories(b) => stories::bench(b),
        },
        Command::Serve(args) => serve::run(args),
        Command::Index(args) => corpus::index(args, cli.quiet),
        Command::Search(args) => corpus::search(args),
        Command::Stats(args) => corpus::stats(args),
        Command::Export(args) => corpus::export(args, cli.quiet),
        Command::Stories(args) => stories::run(args, cli.quiet),
        Command::Compare(args) => compare::run(args, cli.quiet),
        Command::Doctor(args) => doctor::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unspin: error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Logs go to standard error: warnings by default, more with -v, errors only with -q.
fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = EnvFilter::try_from_env("UNSPIN_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .without_time()
        .with_target(false)
        .init();
}

/// How one batch writes its results.
enum Layout {
    /// One value: the single result as is, several as a JSON array.
    JsonValue,
    /// Each result as soon as it is ready (JSONL lines or text blocks).
    Stream,
    /// Always a JSON array of the results, even of one.
    JsonArray,
    /// Exactly one result (a standalone page in the named format); several are an error.
    Single(&'static str),
}

/// Runs a batch and writes its outcomes; the exit code says whether every input succeeded.
fn run_batch<P>(
    input: &InputArgs,
    quiet: bool,
    layout: Layout,
    error_json: bool,
    process: P,
) -> io::Result<ExitCode>
where
    P: Fn(unspin::ingest::RawDocument) -> Result<String, unspin::Error> + Sync,
{
    let mut out: Box<dyn Write> = match &input.output {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{}: cannot create output file: {e}", path.display()),
            )
        })?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let batch = batch(input, quiet);
    let mut values: Vec<String> = Vec::new();
    let summary: Summary = batch.run(process, |outcome: Outcome, bar: &ProgressBar| {
        report(&outcome, quiet, bar);
        let text = match &outcome.result {
            Ok(text) => text.clone(),
            Err(error) if error_json => {
                let record = ErrorRecord {
                    input: outcome.input.clone(),
                    error: error.clone(),
                };
                match layout {
                    Layout::Stream => serde_json::to_string(&record)? + "\n",
                    _ => serde_json::to_string_pretty(&record)?,
                }
            }
            Err(_) => return Ok(()),
        };
        match layout {
            Layout::Stream => {
                out.write_all(text.as_bytes())?;
                out.flush()?;
            }
            _ => values.push(text),
        }
        Ok(())
    })?;
    if let Layout::Single(format) = layout {
        if values.len() > 1 {
            return Err(io::Error::other(format!(
                "--format {format} writes one standalone page, but the inputs hold {} documents; \
                 run once per document",
                values.len()
            )));
        }
        if let Some(page) = values.first() {
            out.write_all(page.as_bytes())?;
        }
    }
    if let Layout::JsonValue | Layout::JsonArray = layout {
        match values.as_slice() {
            [] if matches!(layout, Layout::JsonArray) => out.write_all(b"[]")?,
            [] => {}
            [one] if matches!(layout, Layout::JsonValue) => {
                out.write_all(one.trim_end().as_bytes())?
            }
            many => {
                out.write_all(b"[\n")?;
                for (i, v) in many.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",\n")?;
                    }
                    out.write_all(v.trim_end().as_bytes())?;
                }
                out.write_all(b"\n]")?;
            }
        }
        if !values.is_empty() || matches!(layout, Layout::JsonArray) {
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if summary.ok + summary.failed == 0 && !quiet {
        eprintln!("unspin: warning: no documents found in the inputs given");
    }
    if summary.failed > 0 && summary.ok + summary.failed > 1 && !quiet {
        eprintln!(
            "unspin: {} of {} documents failed",
            summary.failed,
            summary.ok + summary.failed
        );
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints an outcome's warnings and error on standard error.
pub(crate) fn report<T>(outcome: &Outcome<T>, quiet: bool, bar: &ProgressBar) {
    bar.suspend(|| {
        if !quiet {
            for w in &outcome.warnings {
                eprintln!("unspin: warning: {}: {w}", outcome.input);
            }
        }
        if let Err(e) = &outcome.result {
            eprintln!("unspin: error: {e}");
        }
    });
}

/// The command line as run (`unspin …`), for a model file's header.
pub(crate) fn command_line() -> String {
    std::iter::once("unspin".to_owned())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header of a model trained on the data folder `data` (fingerprinted whole), with
/// the command line that trained it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn folder_model_header(
    kind: &str,
    name: &str,
    version: &str,
    data: &Path,
    articles: usize,
    spans: usize,
    seed: u64,
    metrics: serde_json::Value,
) -> io::Result<unspin::analyse::model_file::ModelHeader> {
    use unspin::analyse::model_file::{self, DataFingerprint, ModelHeader};
    Ok(ModelHeader {
        format_version: model_file::FORMAT_VERSION,
        kind: kind.into(),
        name: name.into(),
        version: version.into(),
        created_by: format!("unspin {}", env!("CARGO_PKG_VERSION")),
        training_data: DataFingerprint {
            path: data.display().to_string(),
            sha256: model_file::hash_dir(data)
                .map_err(|e| io::Error::other(format!("{}: {e}", data.display())))?,
            articles,
            spans,
        },
        resources: Vec::new(),
        seed,
        command: command_line(),
        metrics,
        payload_sha256: String::new(),
    })
}

/// A batch over the command line's inputs: its URL lists, ingest options and jobs (all the
/// cores by default), with a progress bar unless quiet.
pub(crate) fn batch(input: &InputArgs, quiet: bool) -> Batch<'_> {
    Batch {
        inputs: &input.inputs,
        url_lists: &input.urls,
        ingest: ingest_options(input),
        jobs: input
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        progress: !quiet && !input.no_progress,
    }
}

/// Ingest options from the command line.
pub(crate) fn ingest_options(input: &InputArgs) -> IngestOptions {
    IngestOptions {
        max_bytes: input.max_size,
        encoding: input.encoding.clone(),
        timeout: Duration::from_secs(input.timeout.max(1)),
        ..IngestOptions::default()
    }
}

/// The pipeline for the command line's options; a chosen model (`fast`, `accurate` or a
/// file) that cannot be used is an error.
pub(crate) fn pipeline(input: &InputArgs, model: Option<&cli::ModelArgs>) -> io::Result<Pipeline> {
    let techniques = model.map_or_else(TechniquesOptions::default, |m| TechniquesOptions {
        model: m.model.clone().unwrap_or_default(),
        context: if input.urls.is_empty() {
            model_context(&input.inputs)
        } else {
            ModelContext::Batch
        },
        min_confidence: m.min_confidence,
    });
    Pipeline::new(Options {
        ingest: ingest_options(input),
        techniques,
        ..Options::default()
    })
    .map_err(|e| io::Error::other(e.to_string()))
}

/// Whether the inputs are one article (one file, URL or `-` that is not a folder, a JSONL
/// dump or a WARC archive), which decides the default techniques model.
fn model_context(inputs: &[String]) -> ModelContext {
    let [one] = inputs else {
        return ModelContext::Batch;
    };
    let lower = one.to_ascii_lowercase();
    let container = [".jsonl", ".ndjson", ".warc", ".warc.gz"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    let url = lower.starts_with("http://") || lower.starts_with("https://");
    if container || (!url && one != "-" && Path::new(one).is_dir()) {
        ModelContext::Batch
    } else {
        ModelContext::Single
    }
}

/// `unspin analyze`.
fn analyze(args: &cli::AnalyzeArgs, quiet: bool) -> io::Result<ExitCode> {
    let pipeline = pipeline(&args.input, Some(&args.model))?;
    let to_terminal = args.input.output.is_none() && io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal {
        AnalyzeFormat::Text
    } else {
        AnalyzeFormat::Json
    });
    let (layout, renderer): (Layout, Box<dyn Render + Sync>) = match format {
        AnalyzeFormat::Json => (Layout::JsonValue, Box::new(Json { pretty: true })),
        AnalyzeFormat::Jsonl => (Layout::Stream, Box::new(Json { pretty: false })),
        AnalyzeFormat::Text => (
            Layout::Stream,
            Box::new(Text {
                color: use_color(args.color, to_terminal),
                width: args.width.unwrap_or_else(terminal_width),
            }),
        ),
        AnalyzeFormat::Html => (
            Layout::Single("html"),
            Box::new(Html::for_pipeline(&pipeline)),
        ),
        AnalyzeFormat::Labelstudio => (Layout::JsonArray, Box::new(LabelStudio { pretty: true })),
        AnalyzeFormat::SemevalFlc => (Layout::Stream, Box::new(SemevalFlc)),
    };
    let error_json = matches!(format, AnalyzeFormat::Json | AnalyzeFormat::Jsonl);
    run_batch(&args.input, quiet, layout, error_json, |raw| {
        let doc = pipeline.document(raw)?;
        let analysis = pipeline.analyze(&doc)?;
        let mut buf = Vec::new();
        renderer
            .render(&analysis, &mut buf)
            .expect("writing to memory cannot fail");
        Ok(String::from_utf8(buf).expect("renderers write UTF-8"))
    })
}

/// Whether the text report is coloured: `--color`, else only on a terminal without
/// `NO_COLOR` (any non-empty value) and with a `TERM` other than `dumb`.
fn use_color(choice: cli::ColorChoice, to_terminal: bool) -> bool {
    match choice {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Columns of the terminal on standard output, else `$COLUMNS`, else 80 (at most 120, so
/// that lines stay readable on wide screens).
fn terminal_width() -> usize {
    let width = terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .unwrap_or(80);
    width.clamp(40, 120)
}

/// `unspin extract`.
fn extract(args: &cli::ExtractArgs, quiet: bool) -> io::Result<ExitCode> {
    let pipeline = Pipeline::without_analysers(Options {
        ingest: ingest_options(&args.input),
        ..Options::default()
    });
    let format = args.format;
    let layout = match format {
        ExtractFormat::Json => Layout::JsonValue,
        ExtractFormat::Jsonl | ExtractFormat::Text => Layout::Stream,
    };
    let error_json = format != ExtractFormat::Text;
    if format == ExtractFormat::Text && io::stdout().is_terminal() {
        tracing::debug!("writing extracted text to the terminal");
    }
    run_batch(&args.input, quiet, layout, error_json, move |raw| {
        let doc = pipeline.document(raw)?;
        let record = ExtractedRecord::from(&doc);
        Ok(match format {
            ExtractFormat::Text => {
                let mut buf = Vec::new();
                record
                    .write_text(&mut buf)
                    .expect("writing to memory cannot fail");
                String::from_utf8(buf).expect("records are UTF-8")
            }
            ExtractFormat::Json => {
                serde_json::to_string_pretty(&record).expect("records serialise")
            }
            ExtractFormat::Jsonl => {
                serde_json::to_string(&record).expect("records serialise") + "\n"
            }
        })
    })
}
