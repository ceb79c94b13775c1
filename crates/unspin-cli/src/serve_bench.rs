//! `unspin bench serve`: a load test of `unspin serve` on loopback, next to the
//! `unspin analyze --jobs N` baseline on the same articles.
//!
//! The articles are made at run time from a folder of article<ID>.txt files: their lines are
//! taken in order and cut into pieces of exactly `--words` words, so no text is stored. The
//! baseline runs this very binary as `unspin analyze --jobs N` over the pieces (repeated so
//! that a run lasts long enough for start-up to weigh little); the load test starts this
//! binary as `unspin serve` on 127.0.0.1 and drives it from `--clients` concurrent clients
//! in this process. The server's peak RSS is its `VmHWM` at the end.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::ServeBenchArgs;

/// What the load clients saw.
#[derive(Default)]
struct Tally {
    /// Latency of each 200 answer.
    ok_latencies: Vec<Duration>,
    /// Answers by HTTP status.
    statuses: BTreeMap<u16, usize>,
    /// Requests that got no HTTP answer, by kind.
    transport_errors: BTreeMap<String, usize>,
}

/// A child process killed when dropped.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Cuts the articles' lines, in order, into texts of exactly `words` words (line breaks
/// kept), at most `count` of them; an error when the folder gives none.
pub(crate) fn make_articles(dir: &Path, words: usize, count: usize) -> io::Result<Vec<String>> {
    let words = words.max(1);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut have = 0;
    for (_, path) in crate::techniques::articles(dir)? {
        let text = crate::techniques::read_article(&path)?;
        for line in text.lines() {
            let mut rest: Vec<&str> = line.split_whitespace().collect();
            if rest.is_empty() {
                if have > 0 && !current.ends_with("\n\n") {
                    current.push('\n');
                }
                continue;
            }
            while !rest.is_empty() {
                let take = rest.len().min(words - have);
                current.push_str(&rest[..take].join(" "));
                current.push('\n');
                have += take;
                rest.drain(..take);
                if have == words {
                    out.push(std::mem::take(&mut current));
                    have = 0;
                    if out.len() == count {
                        return Ok(out);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no article<ID>.txt files with words in them",
            dir.display()
        )));
    }
    Ok(out)
}

/// Peak resident memory of a process in MiB (Linux `VmHWM`).
fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `unspin analyze --jobs N` over the articles (given `rounds` times); analyses/s.
fn baseline(exe: &Path, dir: &Path, n: usize, jobs: usize) -> io::Result<(usize, f64)> {
    let rounds = 600usize.div_ceil(n.max(1)).max(1);
    let inputs = vec![dir.to_string_lossy().into_owned(); rounds];
    let mut best = f64::INFINITY;
    for _ in 0..2 {
        let started = Instant::now();
        let status = Command::new(exe)
            .args([
                "-q",
                "analyze",
                "--format",
                "jsonl",
                "--no-progress",
                "--jobs",
            ])
            .arg(jobs.to_string())
            .args(&inputs)
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "the baseline `unspin analyze` failed ({status})"
            )));
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    let total = n * rounds;
    Ok((total, total as f64 / best))
}

/// Starts `unspin serve` on 127.0.0.1; returns it and the address it printed.
pub(crate) fn start_server(exe: &Path, extra: &[String]) -> io::Result<(Running, String)> {
    let mut command = Command::new(exe);
    command.args(["serve", "--addr", "127.0.0.1:0"]).args(extra);
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let running = Running(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let Some(line) = lines.next() else {
            return Err(io::Error::other("unspin serve exited before listening"));
        };
        let line = line?;
        if let Some(rest) = line.split("serving on http://").nth(1) {
            break rest.split('/').next().unwrap_or_default().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok((running, addr))
}

/// `--clients` clients POST the articles in turn until the deadline.
async fn load(addr: &str, bodies: Arc<Vec<Vec<u8>>>, args: &ServeBenchArgs) -> (Tally, Duration) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(args.clients)
        .build()
        .expect("an HTTP client");
    let url = format!("http://{addr}/api/v1/analyze");
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.duration);
    let wait_retry = !args.ignore_retry_after;
    let mut tasks = Vec::new();
    for c in 0..args.clients {
        let (client, url, bodies, tally) = (
            client.clone(),
            url.clone(),
            Arc::clone(&bodies),
            Arc::clone(&tally),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = c;
            while Instant::now() < deadline {
                let body = bodies[i % bodies.len()].clone();
                i += 1;
                let sent = Instant::now();
                let result = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                let response = match result {
                    Ok(r) => r,
                    Err(e) => {
                        let kind = if e.is_connect() { "connect" } else { "other" };
                        *tally
                            .lock()
                            .expect("tally")
                            .transport_errors
                            .entry(kind.to_owned())
                            .or_default() += 1;
                        continue;
                    }
                };
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                let read = response.bytes().await;
                let latency = sent.elapsed();
                {
                    let mut t = tally.lock().expect("tally");
                    if read.is_err() {
                        *t.transport_errors.entry("body".to_owned()).or_default() += 1;
                    } else {
                        *t.statuses.entry(status).or_default() += 1;
                        if status == 200 {
                            t.ok_latencies.push(latency);
                        }
                    }
                }
                if let (true, Some(seconds)) = (wait_retry, retry_after) {
                    let until = (Instant::now() + Duration::from_secs(seconds)).min(deadline);
                    tokio::time::sleep_until(until.into()).await;
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed();
    let tally = std::mem::take(&mut *tally.lock().expect("tally"));
    (tally, elapsed)
}

/// `unspin bench serve`.
pub fn run(args: &ServeBenchArgs) -> io::Result<ExitCode> {
    let exe = std::env::current_exe()?;
    let texts = make_articles(&args.dir, args.words, args.articles)?;
    println!(
        "articles: {} of {} words each, cut from {}",
        texts.len(),
        args.words,
        args.dir.display()
    );

    let scratch = tempfile_dir()?;
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(scratch.join(format!("bench-{i:04}.txt")), t)?;
    }
    // The baseline runs before and after the load test; the better of the two is the one
    // compared with, as the machine's other load changes over a minute.
    let before = baseline(&exe, &scratch, texts.len(), args.baseline_jobs);
    let (before_done, before_rate) = match before {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(e);
        }
    };

    let spawned = Instant::now();
    let mut extra = Vec::new();
    if let Some(c) = args.concurrency {
        extra.extend(["--concurrency".to_owned(), c.to_string()]);
    }
    if let Some(q) = args.queue {
        extra.extend(["--queue".to_owned(), q.to_string()]);
    }
    let (server, addr) = start_server(&exe, &extra)?;
    let bodies: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| serde_json::json!({ "text": t }).to_string().into_bytes())
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let healthy = runtime.block_on(async {
        let url = format!("http://{addr}/healthz");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        loop {
            match client.get(&url).send().await {
                Ok(r) if r.status().is_success() => break spawned.elapsed(),
                _ => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    });
    println!(
        "server: /healthz answered {} after the process was started (models loaded before listening)",
        ms(healthy)
    );
    let (tally, elapsed) = runtime.block_on(load(&addr, Arc::new(bodies), args));
    let rss = peak_rss_mib(server.0.id());
    drop(server);

    let after = baseline(&exe, &scratch, texts.len(), args.baseline_jobs);
    let _ = std::fs::remove_dir_all(&scratch);
    let (_, after_rate) = after?;
    let baseline_rate = before_rate.max(after_rate);
    println!(
        "baseline: unspin analyze --jobs {} --format jsonl over {before_done} analyses, best of 2 runs, process start-up included: {before_rate:.1} analyses/s before the load test, {after_rate:.1} after; compared with {baseline_rate:.1}",
        args.baseline_jobs
    );

    let mut ok = tally.ok_latencies;
    ok.sort();
    let requests: usize = tally.statuses.values().sum();
    let rate = ok.len() as f64 / elapsed.as_secs_f64();
    let statuses: Vec<String> = tally
        .statuses
        .iter()
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    let errors: usize = tally.transport_errors.values().sum();
    println!(
        "server: unspin serve {}{}on {addr}; {} clients for {} s ({}); the clients run in this process",
        args.concurrency
            .map_or(String::new(), |c| format!("--concurrency {c} ")),
        args.queue
            .map_or(String::new(), |q| format!("--queue {q} ")),
        args.clients,
        args.duration,
        if args.ignore_retry_after {
            "503s retried at once"
        } else {
            "503s retried after the Retry-After the server sends"
        }
    );
    println!(
        "  answers: {requests} ({}); no answer: {errors}{}",
        statuses.join(", "),
        if errors > 0 {
            format!(" {:?}", tally.transport_errors)
        } else {
            String::new()
        }
    );
    println!(
        "  successful analyses/s: {rate:.1} = {:.0}% of the baseline",
        100.0 * rate / baseline_rate
    );
    println!(
        "  latency of successes: p50 {}, p90 {}, p99 {}, max {}",
        ms(percentile(&ok, 50.0)),
        ms(percentile(&ok, 90.0)),
        ms(percentile(&ok, 99.0)),
        ms(ok.last().copied().unwrap_or_default())
    );
    println!(
        "  server peak RSS (VmHWM): {}",
        rss.map_or("unknown".to_owned(), |m| format!("{m:.0} MiB"))
    );
    let clean = errors == 0 && tally.statuses.keys().all(|s| matches!(s, 200 | 429 | 503));
    let p99 = percentile(&ok, 99.0);
    let checks = [
        ("only 200 and clean 429/503", clean),
        (
            "throughput >= 80% of the baseline",
            rate >= 0.8 * baseline_rate,
        ),
        ("p99 of successes < 1 s", p99 < Duration::from_secs(1)),
        (
            "peak RSS < 500 MB",
            rss.is_some_and(|m| m * 1.048_576 < 500.0),
        ),
    ];
    for (what, met) in checks {
        println!("  {} {what}", if met { "met:" } else { "NOT met:" });
    }
    Ok(ExitCode::SUCCESS)
}

/// A new empty folder under the system's temporary folder.
fn tempfile_dir() -> io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("unspin-bench-serve-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
