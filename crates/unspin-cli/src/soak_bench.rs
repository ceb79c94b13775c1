//! `unspin bench soak`: `unspin serve` under a steady load for a long time, and under abuse.
//!
//! 1. **Capacity.** The server (this binary as `unspin serve` on 127.0.0.1) is driven by
//!    closed-loop clients for `--capacity-seconds`; successful analyses per second is its
//!    capacity.
//! 2. **Soak.** Requests then arrive at a fixed rate, `--load` (0.8) × capacity, for
//!    `--minutes`. Every answer but 200 and every request without an answer counts as
//!    failed. The server's resident memory (`VmRSS`) is sampled every `--sample-seconds`.
//! 3. **Abuse**, for `--abuse-seconds` before the last `--recovery-seconds`, beside the
//!    steady load: clients that send a body a byte a second, headers a byte a second, open
//!    connections and send nothing, announce a body one byte over `--max-body`, or send a
//!    head one byte over the server's 64 KiB. Each is counted by how the server ended it;
//!    the steady requests in that window are reported apart, so starving shows as failures
//!    or latency there.
//! 4. **Recovery**: the steady load alone again. Memory growth is the last sample, taken
//!    with every abusive connection closed, against the one after the first minute
//!    (warm-up); the growth over the steady part before the abuse and the peak during it
//!    are reported beside it.
//!
//! The articles are cut from a folder of article<ID>.txt files, as `unspin bench serve`
//! does.

use std::collections::BTreeMap;
use std::io;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::cli::SoakBenchArgs;
use crate::serve_bench::{make_articles, ms, percentile, start_server};

/// What the steady clients saw in one window.
#[derive(Default)]
struct Window {
    latencies: Vec<Duration>,
    /// By status, and for errors the API's code too (e.g. "503 overloaded").
    statuses: BTreeMap<String, usize>,
    no_answer: BTreeMap<String, usize>,
}

impl Window {
    fn failed(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(s, _)| s.as_str() != "200")
            .map(|(_, n)| n)
            .sum::<usize>()
            + self.no_answer.values().sum::<usize>()
    }

    fn line(&mut self) -> String {
        self.latencies.sort();
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        format!(
            "{} requests ({}){}; failed {}; latency p50 {}, p99 {}, max {}",
            self.statuses.values().sum::<usize>() + self.no_answer.values().sum::<usize>(),
            statuses.join(", "),
            if self.no_answer.is_empty() {
                String::new()
            } else {
                format!("; no answer {:?}", self.no_answer)
            },
            self.failed(),
            ms(percentile(&self.latencies, 50.0)),
            ms(percentile(&self.latencies, 99.0)),
            ms(self.latencies.last().copied().unwrap_or_default()),
        )
    }
}

/// The server's memory over the soak, from its samples (time since the start, KiB).
struct Memory {
    samples: usize,
    /// After the first minute.
    warm: Option<u64>,
    /// The last sample before the abuse.
    before_abuse: Option<u64>,
    /// The highest sample in the abuse window.
    abuse_peak: Option<u64>,
    /// The last sample, after the recovery.
    end: Option<u64>,
}

impl Memory {
    fn of(samples: &[(Duration, u64)], abuse_from: Duration, abuse_until: Duration) -> Memory {
        let warm = samples
            .iter()
            .find(|(t, _)| *t >= Duration::from_secs(60))
            .or(samples.first())
            .map(|(_, k)| *k);
        Memory {
            samples: samples.len(),
            warm,
            before_abuse: samples
                .iter()
                .rev()
                .find(|(t, _)| *t < abuse_from)
                .map(|(_, k)| *k),
            abuse_peak: samples
                .iter()
                .filter(|(t, _)| *t >= abuse_from && *t < abuse_until)
                .map(|(_, k)| *k)
                .max(),
            end: samples.last().map(|(_, k)| *k),
        }
    }

    /// Growth of `to` over the warm-up sample.
    fn growth(&self, to: Option<u64>) -> Option<f64> {
        match (self.warm, to) {
            (Some(w), Some(t)) if w > 0 => Some((t as f64 - w as f64) / w as f64),
            _ => None,
        }
    }

    fn line(&self, every: u64) -> String {
        let mib =
            |k: Option<u64>| k.map_or("?".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
        let pct = |g: Option<f64>| g.map_or("?".to_owned(), |g| format!("{:+.1}%", 100.0 * g));
        format!(
            "server RSS ({} samples, every {every} s): {} after warm-up (1 min); {} before the abuse ({}); peak {} during it ({}); {} at the end, after the recovery: growth {}",
            self.samples,
            mib(self.warm),
            mib(self.before_abuse),
            pct(self.growth(self.before_abuse)),
            mib(self.abuse_peak),
            pct(self.growth(self.abuse_peak)),
            mib(self.end),
            pct(self.growth(self.end)),
        )
    }
}

/// Resident memory of a process in KiB (Linux `VmRSS`).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn client(idle: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        // Below the server's header deadline (10 s), so that a pooled connection is never
        // reused just as the server closes it for idleness.
        .pool_idle_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(idle)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

/// One request; its status and latency, or why there was no answer.
async fn send(
    client: &reqwest::Client,
    url: &str,
    body: Vec<u8>,
) -> (Result<String, String>, Duration) {
    let sent = Instant::now();
    let result = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    let status = match result {
        Ok(r) => {
            let status = r.status().as_u16();
            match r.bytes().await {
                Ok(_) if status == 200 => Ok("200".to_owned()),
                Ok(body) => {
                    let code = serde_json::from_slice::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    Ok(format!("{status} {code}").trim_end().to_owned())
                }
                Err(_) => Err("body".to_owned()),
            }
        }
        Err(e) if e.is_timeout() => Err("timeout".to_owned()),
        Err(e) if e.is_connect() => Err("connect".to_owned()),
        Err(_) => Err("other".to_owned()),
    };
    (status, sent.elapsed())
}

/// Closed-loop clients for `seconds`; successful analyses per second.
async fn capacity(url: &str, bodies: &Arc<Vec<Vec<u8>>>, clients: usize, seconds: u64) -> f64 {
    let client = client(clients);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let ok = Arc::new(Mutex::new(0usize));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, url, bodies, ok) = (
            client.clone(),
            url.to_owned(),
            Arc::clone(bodies),
            Arc::clone(&ok),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = c;
            while Instant::now() < deadline {
                let (status, _) = send(&client, &url, bodies[i % bodies.len()].clone()).await;
                i += 1;
                match status.as_deref() {
                    Ok("200") => *ok.lock().expect("count") += 1,
                    Ok(s) if s.starts_with("503") => {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    _ => {}
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    *ok.lock().expect("count") as f64 / started.elapsed().as_secs_f64()
}

/// How the server ended each abusive connection.
#[derive(Default)]
struct Abuse {
    outcomes: BTreeMap<(&'static str, String), usize>,
    /// How long the server let each kind hold a connection, longest.
    longest: BTreeMap<&'static str, Duration>,
}

/// Reads what the server sends until it closes (at most `limit`); the status it sent, if
/// any, and how long that took.
async fn ending(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    let what = if read.is_err() {
        "still open".to_owned()
    } else {
        match String::from_utf8_lossy(&got).split_whitespace().nth(1) {
            Some(code) if got.starts_with(b"HTTP/") => code.to_owned(),
            _ => "closed".to_owned(),
        }
    };
    (what, started.elapsed())
}

/// One abusive client of `kind`, again and again until `until`.
async fn abuser(
    kind: &'static str,
    addr: String,
    max_body: u64,
    until: Instant,
    tally: Arc<Mutex<Abuse>>,
) {
    let limit = Duration::from_secs(120);
    while Instant::now() < until {
        let Ok(mut stream) = TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let opened = Instant::now();
        let head = |len: u64| {
            format!(
                "POST /api/v1/analyze HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\n\r\n"
            )
        };
        let what = match kind {
            "slow body" => {
                let _ = stream.write_all(head(10_000).as_bytes()).await;
                let (mut reader, mut writer) = stream.split();
                let drip = async {
                    loop {
                        if writer.write_all(b"a").await.is_err() {
                            break;
                        }
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                };
                let mut out = Vec::new();
                tokio::select! {
                    () = drip => "closed".to_owned(),
                    r = tokio::time::timeout(limit, reader.read_to_end(&mut out)) => match r {
                        Err(_) => "still open".to_owned(),
                        Ok(_) if out.starts_with(b"HTTP/") => String::from_utf8_lossy(&out)
                            .split_whitespace()
                            .nth(1)
                            .unwrap_or("?")
                            .to_owned(),
                        Ok(_) => "closed".to_owned(),
                    },
                }
            }
            "slow headers" => {
                let bytes = head(10).into_bytes();
                let mut closed = false;
                for b in bytes {
                    if stream.write_all(&[b]).await.is_err() {
                        closed = true;
                        break;
                    }
                    // A peek at whether the server has given up.
                    let mut probe = [0u8; 1];
                    if let Ok(Ok(0)) =
                        tokio::time::timeout(Duration::from_secs(1), stream.peek(&mut probe)).await
                    {
                        closed = true;
                        break;
                    }
                }
                if closed {
                    "closed".to_owned()
                } else {
                    ending(&mut stream, limit).await.0
                }
            }
            "idle" => ending(&mut stream, limit).await.0,
            "body over the cap" => {
                let _ = stream.write_all(head(max_body + 1).as_bytes()).await;
                let _ = stream.write_all(&vec![b'a'; 64 * 1024]).await;
                ending(&mut stream, limit).await.0
            }
            _ => {
                // A head one byte over 64 KiB.
                let pad = "a".repeat(64 * 1024 + 1);
                let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Pad: {pad}\r\n\r\n");
                let _ = stream.write_all(req.as_bytes()).await;
                ending(&mut stream, limit).await.0
            }
        };
        let held = opened.elapsed();
        // One attempt a second per client at most: abuse, not a request flood (a refusal
        // answered in microseconds would otherwise be retried thousands of times a second).
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(held)).await;
        let mut t = tally.lock().expect("tally");
        *t.outcomes.entry((kind, what)).or_default() += 1;
        let longest = t.longest.entry(kind).or_default();
        *longest = (*longest).max(held);
    }
}

/// `unspin bench soak`.
pub fn run(args: &SoakBenchArgs) -> io::Result<ExitCode> {
    let exe = std::env::current_exe()?;
    let texts = make_articles(&args.dir, args.words, args.articles)?;
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        texts
            .iter()
            .map(|t| serde_json::json!({ "text": t }).to_string().into_bytes())
            .collect(),
    );
    let max_body: u64 = 2 * 1024 * 1024;
    let mut extra = vec!["--max-body".to_owned(), max_body.to_string()];
    if let Some(c) = args.concurrency {
        extra.extend(["--concurrency".to_owned(), c.to_string()]);
    }
    let (server, addr) = start_server(&exe, &extra)?;
    let pid = server.0.id();
    let url = format!("http://{addr}/api/v1/analyze");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    println!(
        "articles: {} of {} words each, cut from {}; server: unspin serve on {addr} (pid {pid})",
        texts.len(),
        args.words,
        args.dir.display()
    );

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let clients = 4 * args.concurrency.unwrap_or(cores);
    let capacity = runtime.block_on(capacity(&url, &bodies, clients, args.capacity_seconds));
    let rate = args.load * capacity;
    println!(
        "capacity: {capacity:.1} analyses/s ({clients} closed-loop clients, {} s); soak at {:.0}% = {rate:.1} requests/s for {} min",
        args.capacity_seconds,
        args.load * 100.0,
        args.minutes
    );
    if rate <= 0.0 {
        return Err(io::Error::other(
            "the server answered no request while measuring capacity",
        ));
    }

    let total = Duration::from_secs(args.minutes * 60);
    let recovery = Duration::from_secs(args.recovery_seconds).min(total);
    let abuse_window = Duration::from_secs(args.abuse_seconds).min(total - recovery);
    // The abuse window as offsets from the start of the soak.
    let (abuse_from, abuse_until) = (total - recovery - abuse_window, total - recovery);
    let steady = Arc::new(Mutex::new([
        Window::default(),
        Window::default(),
        Window::default(),
    ]));
    let samples: Arc<Mutex<Vec<(Duration, u64)>>> = Arc::new(Mutex::new(Vec::new()));
    let abuse = Arc::new(Mutex::new(Abuse::default()));
    runtime.block_on(async {
        let started = Instant::now();
        let end = started + total;
        let (abuse_from, abuse_until) = (started + abuse_from, started + abuse_until);
        // Memory samples.
        let sampler = {
            let samples = Arc::clone(&samples);
            let every = Duration::from_secs(args.sample_seconds.max(1));
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                while Instant::now() < end {
                    tick.tick().await;
                    if let Some(kib) = rss_kib(pid) {
                        samples
                            .lock()
                            .expect("samples")
                            .push((started.elapsed(), kib));
                    }
                }
            })
        };
        // Abusers, in the last window.
        let abusers = {
            let abuse = Arc::clone(&abuse);
            let addr = addr.clone();
            let counts = [
                ("slow body", args.abusers),
                ("slow headers", args.abusers / 2),
                ("idle", args.abusers * 4),
                ("body over the cap", args.abusers / 4),
                ("head over the cap", args.abusers / 4),
            ];
            tokio::spawn(async move {
                tokio::time::sleep_until(abuse_from.into()).await;
                let mut tasks = Vec::new();
                for (kind, n) in counts {
                    for _ in 0..n.max(1) {
                        tasks.push(tokio::spawn(abuser(
                            kind,
                            addr.clone(),
                            max_body,
                            abuse_until,
                            Arc::clone(&abuse),
                        )));
                    }
                }
                for t in tasks {
                    let _ = t.await;
                }
            })
        };
        // The steady load: one request every 1/rate s, each on its own task.
        let client = client(256);
        let period = Duration::from_secs_f64(1.0 / rate);
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        let mut inflight = Vec::new();
        let mut i = 0usize;
        while Instant::now() < end {
            tick.tick().await;
            let (client, url, body, steady) = (
                client.clone(),
                url.clone(),
                bodies[i % bodies.len()].clone(),
                Arc::clone(&steady),
            );
            i += 1;
            let now = Instant::now();
            let window = usize::from(now >= abuse_from) + usize::from(now >= abuse_until);
            inflight.push(tokio::spawn(async move {
                let (status, latency) = send(&client, &url, body).await;
                let mut w = steady.lock().expect("steady");
                let w = &mut w[window];
                match status {
                    Ok(s) => {
                        if s == "200" {
                            w.latencies.push(latency);
                        }
                        *w.statuses.entry(s).or_default() += 1;
                    }
                    Err(kind) => *w.no_answer.entry(kind).or_default() += 1,
                }
            }));
            inflight.retain(|t| !t.is_finished());
        }
        for t in inflight {
            let _ = t.await;
        }
        let _ = abusers.await;
        sampler.abort();
    });
    drop(server);

    let mut steady = std::mem::take(&mut *steady.lock().expect("steady"));
    let failed: usize = steady.iter().map(Window::failed).sum();
    println!("steady load before the abuse: {}", steady[0].line());
    println!(
        "steady load during the abuse ({} s): {}",
        abuse_window.as_secs(),
        steady[1].line()
    );
    println!(
        "steady load after the abuse ({} s): {}",
        recovery.as_secs(),
        steady[2].line()
    );
    let samples = samples.lock().expect("samples").clone();
    let memory = Memory::of(&samples, abuse_from, abuse_until);
    println!("{}", memory.line(args.sample_seconds));
    let growth = memory.growth(memory.end);
    let abuse = abuse.lock().expect("abuse");
    for ((kind, what), n) in &abuse.outcomes {
        println!("abuse: {kind}: {what} × {n}");
    }
    for (kind, held) in &abuse.longest {
        println!("abuse: {kind}: held a connection at most {}", ms(*held));
    }
    let still_open = abuse
        .outcomes
        .iter()
        .filter(|((_, what), _)| what == "still open")
        .map(|(_, n)| n)
        .sum::<usize>();
    let checks = [
        ("zero failed requests", failed == 0),
        (
            "RSS growth < 10% (end against warm-up)",
            growth.is_some_and(|g| g < 0.10),
        ),
        (
            "every abusive connection refused or cut off",
            still_open == 0,
        ),
    ];
    for (what, met) in checks {
        println!("{} {what}", if met { "met:" } else { "NOT met:" });
    }
    Ok(ExitCode::SUCCESS)
}
