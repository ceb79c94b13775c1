//! `unspin index` on a store with a work queue (PostgreSQL): several processes, on one
//! machine or several, fill one corpus together.
//!
//! Each process first reads its inputs and enqueues every document the store does not hold
//! unchanged (an input is queued once, whoever reads it first; a changed one is queued
//! again). Then it claims batches of `--batch` documents under a lease, analyses them on
//! `--jobs` threads, renewing the lease while it works, and finishes each batch in one
//! transaction that stores the documents, records the failures and marks them done — for
//! the documents its claim still holds only. It stops when nothing is left unfinished;
//! while other workers hold leases it waits, so the last worker standing takes over a
//! killed worker's batch once its lease runs out. A rerun does the same.

use std::collections::{HashMap, HashSet};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{RecvTimeoutError, unbounded};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use unspin::Pipeline;
use unspin_store::{
    Known, QueuedDocument, Store, StoredDocument, WorkQueue, content_sha256, models_key,
};

use crate::batch::{Batch, Outcome};
use crate::cli::IndexArgs;

/// The lease on a claimed batch (the longest allowed; `UNSPIN_LEASE_SECONDS` shortens it,
/// for tests).
const LEASE: Duration = Duration::from_secs(30);

/// Documents enqueued per transaction.
const ENQUEUE_BATCH: usize = 128;

/// How long a worker waits before looking at the queue again while others hold leases.
const POLL: Duration = Duration::from_millis(300);

/// Claims of one document after which it is recorded as failed: every worker that took it
/// died before finishing it.
const MAX_ATTEMPTS: u32 = 5;

/// The lease to take: [`LEASE`], or `UNSPIN_LEASE_SECONDS` (1 to 30).
fn lease() -> Duration {
    std::env::var("UNSPIN_LEASE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 1.0)
        .map_or(LEASE, |s| Duration::from_secs_f64(s).min(LEASE))
}

/// This process's name in the queue: host, process id and a nonce.
fn worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{host}:{}:{nanos:08x}", std::process::id())
}

fn queue(store: &mut Box<dyn Store>) -> io::Result<&mut dyn WorkQueue> {
    store
        .work_queue()
        .ok_or_else(|| io::Error::other("this store has no work queue"))
}

/// `unspin index` through the store's work queue; `store` offers one.
pub fn index(
    args: &IndexArgs,
    quiet: bool,
    mut store: Box<dyn Store>,
    started: Instant,
) -> io::Result<ExitCode> {
    let known: HashMap<String, Known> = store.known().map_err(io::Error::other)?;
    let pipeline = crate::pipeline(&args.input, None)?;
    let current_models = models_key(&pipeline.models());
    let jobs = args
        .input
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let progress = !quiet && !args.input.no_progress;
    let batch = Batch {
        inputs: &args.input.inputs,
        url_lists: &args.input.urls,
        ingest: crate::ingest_options(&args.input),
        jobs,
        progress,
    };
    let reanalyse = args.reanalyse;
    let (mut stored, mut unchanged, mut failed) = (0usize, 0usize, 0usize);

    // Read the inputs and enqueue what is not stored unchanged.
    let mut pending: Vec<QueuedDocument> = Vec::new();
    let enqueue = |store: &mut Box<dyn Store>, pending: &mut Vec<QueuedDocument>| {
        if !pending.is_empty() {
            queue(store)?
                .enqueue(pending, &current_models, reanalyse)
                .map_err(io::Error::other)?;
            pending.clear();
        }
        io::Result::Ok(())
    };
    let read = |raw: unspin::ingest::RawDocument| -> Result<Option<QueuedDocument>, unspin::Error> {
        let hash = content_sha256(&raw.text);
        if let Some(k) = known.get(&raw.input)
            && k.content_sha256 == hash
            && (!reanalyse || k.models == current_models)
        {
            return Ok(None);
        }
        Ok(Some(QueuedDocument {
            raw,
            content_sha256: hash,
            attempts: 0,
        }))
    };
    batch.run(
        read,
        |outcome: Outcome<Option<QueuedDocument>>, bar: &ProgressBar| {
            crate::report(&outcome, quiet, bar);
            match outcome.result {
                Ok(None) => unchanged += 1,
                Ok(Some(doc)) => pending.push(doc),
                Err(e) => {
                    failed += 1;
                    store
                        .put_error(&outcome.input, &e)
                        .map_err(io::Error::other)?;
                }
            }
            if pending.len() >= ENQUEUE_BATCH {
                enqueue(&mut store, &mut pending)?;
            }
            bar.set_message(format!("read; {unchanged} unchanged, {failed} failed"));
            Ok(())
        },
    )?;
    enqueue(&mut store, &mut pending)?;

    // Claim, analyse and finish batches until nothing is left unfinished.
    let lease = lease();
    let worker = worker_id();
    let bar = ProgressBar::with_draw_target(
        None,
        if progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents analysed ({per_sec}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    for n in 1u64.. {
        let claim = format!("{worker}#{n}");
        let docs = queue(&mut store)?
            .claim(&claim, args.batch.max(1), lease)
            .map_err(io::Error::other)?;
        if docs.is_empty() {
            let state = queue(&mut store)?.state().map_err(io::Error::other)?;
            if state.unfinished == 0 {
                break;
            }
            bar.set_message(format!(
                "{stored} stored, {failed} failed; waiting for {} documents other workers hold",
                state.unfinished
            ));
            bar.tick();
            std::thread::sleep(POLL);
            continue;
        }
        let (analysed, errors) = analyse(&pipeline, docs, jobs, &mut store, &claim, lease)?;
        let finished: HashSet<String> = queue(&mut store)?
            .finish(&claim, &analysed, &errors, &current_models)
            .map_err(io::Error::other)?
            .into_iter()
            .collect();
        stored += analysed
            .iter()
            .filter(|d| finished.contains(&d.input))
            .count();
        for (input, e) in &errors {
            if finished.contains(input) {
                failed += 1;
                bar.suspend(|| eprintln!("unspin: error: {e}"));
            }
        }
        bar.inc((analysed.len() + errors.len()) as u64);
        bar.set_message(format!("{stored} stored, {failed} failed"));
    }
    bar.finish_and_clear();
    crate::corpus::summary(
        store.as_ref(),
        &args.db,
        [stored, unchanged, failed],
        started,
        quiet,
    )
}

/// Analysed documents and failures (`(input, reason)`), in claim order.
type Analysed = (Vec<StoredDocument>, Vec<(String, String)>);

/// Analyses a claimed batch on `jobs` threads, renewing the claim's lease while they work.
fn analyse(
    pipeline: &Pipeline,
    docs: Vec<QueuedDocument>,
    jobs: usize,
    store: &mut Box<dyn Store>,
    claim: &str,
    lease: Duration,
) -> io::Result<Analysed> {
    let n = docs.len();
    let (work_tx, work_rx) = unbounded::<(usize, QueuedDocument)>();
    for item in docs.into_iter().enumerate() {
        let _ = work_tx.send(item);
    }
    drop(work_tx);
    let (done_tx, done_rx) = unbounded::<(usize, String, Result<StoredDocument, String>)>();
    let mut results: Vec<Option<(String, Result<StoredDocument, String>)>> =
        (0..n).map(|_| None).collect();
    std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..jobs.min(n) {
            let (rx, tx) = (work_rx.clone(), done_tx.clone());
            scope.spawn(move || {
                for (i, doc) in rx {
                    let input = doc.raw.input.clone();
                    let result = catch_unwind(AssertUnwindSafe(|| analyse_one(pipeline, doc)))
                        .unwrap_or_else(|_| Err(format!("{input}: the analysis panicked")));
                    if tx.send((i, input, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut renewed = Instant::now();
        let mut got = 0;
        while got < n {
            match done_rx.recv_timeout(Duration::from_millis(200)) {
                Ok((i, input, result)) => {
                    results[i] = Some((input, result));
                    got += 1;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if renewed.elapsed() >= lease / 3 {
                queue(store)?
                    .renew(claim, lease)
                    .map_err(io::Error::other)?;
                renewed = Instant::now();
            }
        }
        Ok(())
    })?;
    let (mut analysed, mut errors) = (Vec::new(), Vec::new());
    for (input, result) in results.into_iter().flatten() {
        match result {
            Ok(doc) => analysed.push(doc),
            Err(e) => errors.push((input, e)),
        }
    }
    Ok((analysed, errors))
}

/// Extracts and analyses one queued document.
fn analyse_one(pipeline: &Pipeline, doc: QueuedDocument) -> Result<StoredDocument, String> {
    let input = doc.raw.input.clone();
    if doc.attempts > MAX_ATTEMPTS {
        return Err(format!(
            "{input}: given up after {MAX_ATTEMPTS} attempts: every worker analysing it stopped before finishing"
        ));
    }
    let document = pipeline.document(doc.raw).map_err(|e| e.to_string())?;
    let analysis = pipeline.analyze(&document).map_err(|e| e.to_string())?;
    Ok(StoredDocument {
        input,
        content_sha256: doc.content_sha256,
        analysis,
    })
}
