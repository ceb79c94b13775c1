//! `unspin bench index`: a corpus of distinct articles built from the paragraphs of a labelled
//! folder, indexed into a fresh SQLite store the way a user runs it (`unspin index` as a
//! child process), next to `unspin analyze --format jsonl` on the same articles and jobs;
//! then the store's size, search latency and `stats --by outlet,month` time.
//!
//! The corpus is deterministic (a SplitMix64 stream): article `i` takes a title and 4–9
//! paragraphs from random source articles, one of 40 outlets (a few large, many small, as
//! real crawls are) and a date in 2023–2024. It is written once as JSONL with `title`,
//! `site` and `published` fields and reused by later runs.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use unspin_store::stats::{By, compute};
use unspin_store::{SearchQuery, SqliteStore, Store};

use crate::cli::IndexBenchArgs;

/// SplitMix64: a small, well-mixed, reproducible stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Titles and paragraphs of the source articles.
struct Pool {
    titles: Vec<String>,
    paragraphs: Vec<String>,
}

fn pool(dir: &Path) -> io::Result<Pool> {
    let mut titles = Vec::new();
    let mut paragraphs = Vec::new();
    for (_, path) in crate::techniques::articles(dir)? {
        let text = crate::techniques::read_article(&path)?;
        let mut parts = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.contains('\n'));
        if let Some(t) = parts.next() {
            titles.push(t.to_owned());
        }
        paragraphs.extend(
            parts
                .filter(|p| p.split_whitespace().count() >= 8)
                .map(str::to_owned),
        );
    }
    if titles.is_empty() || paragraphs.len() < 50 {
        return Err(io::Error::other(format!(
            "{}: too few articles to build a corpus from",
            dir.display()
        )));
    }
    Ok(Pool { titles, paragraphs })
}

/// Writes the corpus of `n` articles as JSONL, unless a complete one is there already.
fn build_corpus(pool: &Pool, n: usize, path: &Path) -> io::Result<()> {
    if let Ok(text) = std::fs::read_to_string(path)
        && text.lines().count() == n
    {
        eprintln!("unspin: reusing {} ({n} articles)", path.display());
        return Ok(());
    }
    let started = Instant::now();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut rng = Rng(0x756e_7370_696e);
    // Outlets: outlet k has weight 1/k, so a few are large and many are small.
    let weights: f64 = (1..=40).map(|k| 1.0 / k as f64).sum();
    for i in 0..n {
        let mut pick = (rng.next() as f64 / u64::MAX as f64) * weights;
        let mut outlet = 40;
        for k in 1..=40 {
            pick -= 1.0 / k as f64;
            if pick <= 0.0 {
                outlet = k;
                break;
            }
        }
        let month = rng.below(24);
        let day = 1 + rng.below(28);
        let published = format!("{}-{:02}-{day:02}", 2023 + month / 12, 1 + month % 12);
        let title = format!("{} ({})", pool.titles[rng.below(pool.titles.len())], i + 1);
        let paragraphs: Vec<&str> = (0..4 + rng.below(6))
            .map(|_| pool.paragraphs[rng.below(pool.paragraphs.len())].as_str())
            .collect();
        let text = format!("{title}\n\n{}", paragraphs.join("\n\n"));
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({
                "id": format!("bench-{}", i + 1),
                "title": title,
                "site": format!("outlet-{outlet:02}.example"),
                "published": published,
                "text": text,
            }),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "unspin: built {} ({n} articles) in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The first `n` lines of `from`, written to `to` (once).
fn head(from: &Path, n: usize, to: &Path) -> io::Result<()> {
    if let Ok(text) = std::fs::read_to_string(to)
        && text.lines().count() == n
    {
        return Ok(());
    }
    let text = std::fs::read_to_string(from)?;
    let mut out = BufWriter::new(std::fs::File::create(to)?);
    for line in text.lines().take(n) {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// What one child run took.
struct Run {
    seconds: f64,
    peak_rss_mib: f64,
}

/// Starts this binary with `args` (stdout discarded, stderr shown).
fn spawn_child(args: &[&str]) -> io::Result<std::process::Child> {
    Command::new(std::env::current_exe()?)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
}

/// Waits for a child started at `started`, reading its peak RSS; an unsuccessful exit is an
/// error naming `args`.
///
/// The peak is the child's `VmHWM`, read every 50 ms while it runs: `ru_maxrss` would
/// count this process's own memory too, which the child had before it started its program.
fn reap(child: std::process::Child, started: Instant, args: &[&str]) -> io::Result<Run> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let pid = child.id() as libc::pid_t;
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let peak = std::sync::Arc::new(AtomicU64::new(0));
    let watcher = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(k) = crate::bench::high_water_kib(&pid.to_string()) {
                    peak.fetch_max(k, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which we reap here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(io::Error::other(format!(
            "unspin {} failed (status {status})",
            args.join(" ")
        )));
    }
    let kib = match peak.load(Ordering::Relaxed) {
        0 => usage.ru_maxrss as u64,
        k => k,
    };
    Ok(Run {
        seconds,
        peak_rss_mib: kib as f64 / 1024.0,
    })
}

/// Runs this binary with `args` (stdout discarded), timing it and reading its peak RSS.
fn run_child(args: &[&str]) -> io::Result<Run> {
    let started = Instant::now();
    reap(spawn_child(args)?, started, args)
}

/// Bytes of a SQLite store on disk (the file and its write-ahead log).
fn db_bytes(db: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn fresh(db: &Path) -> io::Result<()> {
    for s in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{s}", db.display()));
        if p.exists() {
            std::fs::remove_file(p)?;
        }
    }
    Ok(())
}

/// Percentile `p` (0–100) of sorted durations, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The searches timed: words and phrases from the corpus, alone and with each filter.
fn searches(pool: &Pool, store: &dyn Store, n: usize) -> io::Result<Vec<SearchQuery>> {
    let mut rng = Rng(42);
    let words: Vec<String> = pool
        .paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.len() >= 5 && w.chars().all(char::is_alphabetic))
        .collect();
    let cells = store.cells().map_err(io::Error::other)?;
    let techniques: Vec<String> = {
        let mut t: Vec<String> = cells.techniques.iter().map(|(_, t, _)| t.clone()).collect();
        t.sort();
        t.dedup();
        t
    };
    let actors: Vec<String> = cells
        .names
        .iter()
        .filter(|(_, _, _, role, n)| role == "name" && *n > 2)
        .map(|(_, canonical, _, _, _)| canonical.clone())
        .collect();
    let mut out = Vec::new();
    for i in 0..n {
        let w = &words[rng.below(words.len())];
        let mut q = SearchQuery {
            text: w.clone(),
            limit: Some(50),
            ..SearchQuery::default()
        };
        match i % 6 {
            0 => {}
            1 => q.text = format!("{w} {}", words[rng.below(words.len())]),
            2 if !techniques.is_empty() => {
                q.technique = Some(techniques[rng.below(techniques.len())].clone())
            }
            3 => q.outlet = Some(format!("outlet-{:02}.example", 1 + rng.below(40))),
            4 => {
                q.since = Some("2024-01".into());
                q.until = Some("2024-06".into());
            }
            _ if !actors.is_empty() => {
                q.text.clear();
                q.actor = Some(actors[rng.below(actors.len())].clone());
            }
            _ => {}
        }
        out.push(q);
    }
    Ok(out)
}

/// Search latency and `stats --by outlet,month` time on one store.
struct Reads {
    queries: usize,
    hits: usize,
    times: Vec<Duration>,
    stats_seconds: f64,
    /// The stats as `unspin stats --by outlet,month --format json` prints them.
    stats_json: String,
}

impl Reads {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "search": {"queries": self.queries, "limit": 50, "hits": self.hits,
                       "p50_ms": percentile(&self.times, 50.0), "p95_ms": percentile(&self.times, 95.0),
                       "max_ms": percentile(&self.times, 100.0)},
            "stats_outlet_month_s": self.stats_seconds,
        })
    }
}

fn reads(pool: &Pool, store: &dyn Store, searches_n: usize) -> io::Result<Reads> {
    // Search latency (a warm-up pass first, as a page in use is warm).
    let queries = searches(pool, store, searches_n)?;
    for q in queries.iter().take(10) {
        store.search(q).map_err(io::Error::other)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in &queries {
        let t = Instant::now();
        hits += store.search(q).map_err(io::Error::other)?.len();
        times.push(t.elapsed());
    }
    times.sort();
    // stats --by outlet,month, as the command computes and prints it; the best of three.
    let mut stats_seconds = f64::INFINITY;
    let mut stats_json = String::new();
    for _ in 0..3 {
        let t = Instant::now();
        let stats = compute(&store.cells().map_err(io::Error::other)?, By::OutletMonth);
        stats_json = serde_json::to_string_pretty(&stats)?;
        stats_seconds = stats_seconds.min(t.elapsed().as_secs_f64());
    }
    Ok(Reads {
        queries: queries.len(),
        hits,
        times,
        stats_seconds,
        stats_json,
    })
}

/// `unspin bench index`.
pub fn run(args: &IndexBenchArgs) -> io::Result<ExitCode> {
    let backends: Vec<&str> = args.backends.split(',').map(str::trim).collect();
    if let Some(b) = backends
        .iter()
        .find(|b| !matches!(**b, "sqlite" | "postgres"))
    {
        return Err(io::Error::other(format!(
            "--backends: unknown backend {b} (expected sqlite, postgres)"
        )));
    }
    let server = match (backends.contains(&"postgres"), &args.postgres) {
        (true, None) => {
            return Err(io::Error::other(
                "--backends postgres needs --postgres URL (a server the bench may create databases on)",
            ));
        }
        (true, Some(url)) => Some(url.as_str()),
        (false, _) => None,
    };
    std::fs::create_dir_all(&args.work)?;
    let pool = pool(&args.data)?;
    let corpus = args.work.join(format!("bench-{}.jsonl", args.articles));
    build_corpus(&pool, args.articles, &corpus)?;
    let mut report = serde_json::json!({"articles": args.articles});
    let db = args.work.join(format!("bench-{}.db", args.articles));
    let mut sqlite_stats = None;
    if backends.contains(&"sqlite") {
        let (sqlite, stats) = sqlite_runs(args, &pool, &corpus, &db)?;
        report["sqlite"] = sqlite;
        sqlite_stats = Some(stats);
    } else if db.exists() {
        // An earlier run's SQLite store of the same corpus, for the comparison below.
        let store = SqliteStore::open(&db.display().to_string()).map_err(io::Error::other)?;
        let cells = store.cells().map_err(io::Error::other)?;
        sqlite_stats = Some(serde_json::to_string_pretty(&compute(
            &cells,
            By::OutletMonth,
        ))?);
    }
    if let Some(server) = server {
        report["postgres"] = postgres_runs(args, &pool, &corpus, server, sqlite_stats.as_deref())?;
    }
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// The SQLite measurements: `index` against `analyze` on the corpus' head, then the whole
/// corpus into a fresh store and reads on it. Returns the report and the store's stats.
fn sqlite_runs(
    args: &IndexBenchArgs,
    pool: &Pool,
    corpus: &Path,
    db: &Path,
) -> io::Result<(serde_json::Value, String)> {
    let jobs = args.jobs.to_string();
    let m = args.compare_articles.min(args.articles);
    let subset = args
        .work
        .join(format!("bench-{}-head-{m}.jsonl", args.articles));
    head(corpus, m, &subset)?;
    let subset_s = subset.display().to_string();

    // 1. Throughput: analyze --format jsonl against index, same articles, same jobs.
    eprintln!("unspin: analyze --format jsonl on {m} articles, {jobs} jobs …");
    let analyze = run_child(&[
        "analyze", "--quiet", "--format", "jsonl", "--jobs", &jobs, &subset_s,
    ])?;
    let small_db = args.work.join("bench-small.db");
    fresh(&small_db)?;
    eprintln!("unspin: index on the same {m} articles …");
    let small = run_child(&[
        "index",
        "--quiet",
        "--db",
        &small_db.display().to_string(),
        "--jobs",
        &jobs,
        &subset_s,
    ])?;
    // 2. The whole corpus.
    fresh(db)?;
    eprintln!("unspin: index on {} articles …", args.articles);
    let full = run_child(&[
        "index",
        "--quiet",
        "--db",
        &db.display().to_string(),
        "--jobs",
        &jobs,
        &corpus.display().to_string(),
    ])?;
    let store = SqliteStore::open(&db.display().to_string()).map_err(io::Error::other)?;
    let stored = store.counts().map_err(io::Error::other)?.documents;
    let bytes = db_bytes(db);
    // 3. Search and stats.
    let r = reads(pool, &store, args.searches)?;

    let rate = |n: usize, r: &Run| n as f64 / r.seconds;
    let mut report = serde_json::json!({
        "stored": stored,
        "jobs": args.jobs,
        "compare_articles": m,
        "analyze_jsonl": {"seconds": analyze.seconds, "articles_per_s": rate(m, &analyze), "peak_rss_mib": analyze.peak_rss_mib},
        "index_compare": {"seconds": small.seconds, "articles_per_s": rate(m, &small), "peak_rss_mib": small.peak_rss_mib},
        "index_vs_analyze": rate(m, &small) / rate(m, &analyze),
        "index_full": {"seconds": full.seconds, "articles_per_s": rate(args.articles, &full), "peak_rss_mib": full.peak_rss_mib},
        "db_bytes": bytes,
        "db_bytes_per_1000_articles": bytes as f64 / stored.max(1) as f64 * 1000.0,
    });
    merge(&mut report, r.json());
    eprintln!(
        "unspin: SQLite: index {:.1} articles/s against analyze {:.1} ({:.0} %), on {m} articles; \
         {} articles indexed at {:.1}/s, peak RSS {:.0} MiB ({:.0} MiB at {m}); \
         {:.0} bytes per 1,000 articles; search p95 {:.1} ms; stats --by outlet,month {:.2} s",
        rate(m, &small),
        rate(m, &analyze),
        100.0 * rate(m, &small) / rate(m, &analyze),
        args.articles,
        rate(args.articles, &full),
        full.peak_rss_mib,
        small.peak_rss_mib,
        bytes as f64 / stored.max(1) as f64 * 1000.0,
        percentile(&r.times, 95.0),
        r.stats_seconds
    );
    Ok((report, r.stats_json))
}

/// Adds the fields of the object `extra` to the object `to`.
fn merge(to: &mut serde_json::Value, extra: serde_json::Value) {
    if let (Some(to), serde_json::Value::Object(extra)) = (to.as_object_mut(), extra) {
        to.extend(extra);
    }
}

/// The PostgreSQL measurements: the whole corpus indexed by one worker and, into another
/// fresh database, by two at once (each with `--worker-jobs` jobs); reads on the second.
fn postgres_runs(
    args: &IndexBenchArgs,
    pool: &Pool,
    corpus: &Path,
    server: &str,
    sqlite_stats: Option<&str>,
) -> io::Result<serde_json::Value> {
    use unspin_store::postgres::{PostgresStore, create_database, drop_database};
    let jobs = args.worker_jobs.to_string();
    let corpus_s = corpus.display().to_string();
    let mut report = serde_json::json!({"worker_jobs": args.worker_jobs});
    let mut rates = Vec::new();
    let mut last = None;
    for workers in [1usize, 2] {
        let name = format!("unspin_bench_{workers}w");
        drop_database(server, &name).map_err(io::Error::other)?;
        let url = create_database(server, &name).map_err(io::Error::other)?;
        // The schema first, so the workers do not queue on the migration lock while timed.
        drop(PostgresStore::open(&url).map_err(io::Error::other)?);
        eprintln!(
            "unspin: PostgreSQL: index on {} articles, {workers} worker(s) of {jobs} job(s) …",
            args.articles
        );
        let argv: Vec<&str> = vec!["index", "--quiet", "--db", &url, "--jobs", &jobs, &corpus_s];
        let started = Instant::now();
        let children = (0..workers)
            .map(|_| spawn_child(&argv))
            .collect::<io::Result<Vec<_>>>()?;
        let runs = children
            .into_iter()
            .map(|c| reap(c, started, &argv))
            .collect::<io::Result<Vec<_>>>()?;
        let wall = runs.iter().map(|r| r.seconds).fold(0.0, f64::max);
        let store = PostgresStore::open_existing(&url).map_err(io::Error::other)?;
        let stored = store.counts().map_err(io::Error::other)?.documents;
        let bytes = store.database_bytes().map_err(io::Error::other)?;
        let rate = args.articles as f64 / wall;
        rates.push(rate);
        eprintln!(
            "unspin: PostgreSQL, {workers} worker(s): {stored} stored in {wall:.1} s, {rate:.1} articles/s; peak RSS per worker {} MiB",
            runs.iter()
                .map(|r| format!("{:.0}", r.peak_rss_mib))
                .collect::<Vec<_>>()
                .join(", ")
        );
        report[format!("workers_{workers}")] = serde_json::json!({
            "seconds": wall,
            "stored": stored,
            "articles_per_s": rate,
            "peak_rss_mib_per_worker": runs.iter().map(|r| r.peak_rss_mib).collect::<Vec<_>>(),
            "db_bytes": bytes,
            "db_bytes_per_1000_articles": bytes as f64 / stored.max(1) as f64 * 1000.0,
        });
        if workers == 1 {
            // Dropped before the next run, so the disk holds one copy of the corpus.
            drop(store);
            drop_database(server, &name).map_err(io::Error::other)?;
        } else {
            last = Some(store);
        }
    }
    report["speedup_2_over_1"] = serde_json::json!(rates[1] / rates[0]);
    let store = last.expect("the two-worker run");
    let r = reads(pool, &store, args.searches)?;
    merge(&mut report, r.json());
    if let Some(sqlite) = sqlite_stats {
        report["stats_equal_sqlite"] = serde_json::json!(sqlite == r.stats_json);
    }
    eprintln!(
        "unspin: PostgreSQL: 2 workers {:.2} × 1 worker; search p95 {:.1} ms; stats --by outlet,month {:.2} s{}",
        rates[1] / rates[0],
        percentile(&r.times, 95.0),
        r.stats_seconds,
        match sqlite_stats {
            Some(s) if s == r.stats_json => "; stats equal SQLite's byte for byte",
            Some(_) => "; stats DIFFER from SQLite's",
            None => "",
        }
    );
    Ok(report)
}
