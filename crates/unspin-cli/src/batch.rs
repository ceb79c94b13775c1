//! Running a command over many inputs: read in order, process in parallel, write in order.
//!
//! One reader thread expands the inputs and reads documents from them (a folder gives its
//! files, a WARC its records) and numbers them; `jobs` workers process them; the calling
//! thread puts the results back in input order and hands each to the writer as soon as
//! every earlier one is written, so output streams. A failed input becomes an error outcome
//! in its place; the batch goes on.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crossbeam_channel::{Receiver, bounded};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use unspin::ingest::{self, IngestOptions, RawDocument};

/// What became of one document (or one failed input).
pub struct Outcome<T = String> {
    /// The input as the user gave it (`dump.jsonl:17`, `crawl.warc.gz#3`, …).
    pub input: String,
    /// Non-fatal problems to report on standard error.
    pub warnings: Vec<String>,
    /// The result (for `analyze`, the rendered output), or the one-line error.
    pub result: Result<T, String>,
}

/// Counts of a finished batch.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Documents processed successfully.
    pub ok: usize,
    /// Inputs or documents that failed.
    pub failed: usize,
}

/// Settings of a batch run.
pub struct Batch<'a> {
    /// The user's inputs.
    pub inputs: &'a [String],
    /// Files listing URLs to fetch, one per line (`--urls`), read after `inputs`.
    pub url_lists: &'a [String],
    /// How to read them.
    pub ingest: IngestOptions,
    /// Parallel workers.
    pub jobs: usize,
    /// Whether a progress bar may be drawn (it is drawn only on a terminal, and only once a
    /// second document shows that the run has several).
    pub progress: bool,
}

impl Batch<'_> {
    /// The sources of the inputs, then of the URL lists.
    fn sources(&self) -> Vec<Result<ingest::Source, ingest::IngestError>> {
        let mut sources = ingest::expand(self.inputs);
        for list in self.url_lists {
            sources.extend(ingest::url_list(list));
        }
        sources
    }

    /// Runs `process` on every document and `emit` on every outcome, in input order.
    /// `emit` returning an error (e.g. a closed pipe) stops the run.
    pub fn run<T, P, E>(&self, process: P, mut emit: E) -> io::Result<Summary>
    where
        T: Send,
        P: Fn(RawDocument) -> Result<T, unspin::Error> + Sync,
        E: FnMut(Outcome<T>, &ProgressBar) -> io::Result<()>,
    {
        let jobs = self.jobs.max(1);
        let (work_tx, work_rx) = bounded::<(usize, Result<RawDocument, String>, String)>(jobs * 4);
        let (done_tx, done_rx) = bounded::<(usize, Outcome<T>)>(jobs * 4);
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} documents ({per_sec}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let stop_counting = Arc::new(AtomicBool::new(false));
        if self.progress {
            count_in_background(self.sources(), &self.ingest, &bar, &stop_counting);
        }
        let _stop = StopOnDrop(stop_counting);
        let mut summary = Summary::default();
        thread::scope(|scope| -> io::Result<()> {
            let ingest = &self.ingest;
            let sources = self.sources();
            scope.spawn(move || {
                let mut seq = 0;
                for source in sources {
                    let items: Box<dyn Iterator<Item = _>> = match source {
                        Ok(source) => ingest::read(&source, ingest),
                        Err(e) => Box::new(std::iter::once(Err(e))),
                    };
                    for item in items {
                        let (input, item) = match item {
                            Ok(raw) => (raw.input.clone(), Ok(raw)),
                            Err(e) => (e.input().to_owned(), Err(e.to_string())),
                        };
                        if work_tx.send((seq, item, input)).is_err() {
                            return;
                        }
                        seq += 1;
                    }
                }
            });
            for _ in 0..jobs {
                let work_rx = work_rx.clone();
                let done_tx = done_tx.clone();
                let process = &process;
                scope.spawn(move || {
                    for (seq, item, input) in work_rx {
                        let outcome = match item {
                            Ok(raw) => {
                                let warnings = raw.warnings.clone();
                                Outcome {
                                    input,
                                    warnings,
                                    result: process(raw).map_err(|e| e.to_string()),
                                }
                            }
                            Err(error) => Outcome {
                                input,
                                warnings: Vec::new(),
                                result: Err(error),
                            },
                        };
                        if done_tx.send((seq, outcome)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            drop(work_rx);
            // The receiver is moved into the drain so that, if writing fails, it is dropped
            // before the scope joins: workers then stop on their next send, the reader after.
            let drained = drain(done_rx, &mut summary, &bar, self.progress, &mut emit);
            bar.finish_and_clear();
            drained
        })?;
        Ok(summary)
    }
}

/// Sets `flag` when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Counts the documents of `sources` on a thread of its own (reading them without analysis:
/// a folder's files, a JSONL file's records, a WARC's HTML records) and, once it knows the
/// total, turns the spinner into a bar with the rate and the time left. Standard input's
/// documents cannot be counted ahead; the spinner stays. The thread gives up when `stop`
/// is set, so a short run never waits for it.
fn count_in_background(
    sources: Vec<Result<ingest::Source, ingest::IngestError>>,
    opts: &IngestOptions,
    bar: &ProgressBar,
    stop: &Arc<AtomicBool>,
) {
    let (opts, bar, stop) = (opts.clone(), bar.clone(), stop.clone());
    thread::spawn(move || {
        let mut total = 0u64;
        for source in sources {
            match source {
                Ok(ingest::Source::Stdin) => return,
                Ok(source @ ingest::Source::File(_)) if holds_many(&source) => {
                    for _ in ingest::read(&source, &opts) {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        total += 1;
                    }
                }
                // A plain file or URL is one document; a missing input one failure.
                Ok(_) | Err(_) => total += 1,
            }
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
        bar.set_length(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} documents ({per_sec}, {eta} left) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    });
}

/// Whether a file is a container of documents (JSONL, WARC), by its name.
fn holds_many(source: &ingest::Source) -> bool {
    let name = source.label().to_ascii_lowercase();
    [".jsonl", ".ndjson", ".warc", ".warc.gz"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Writes outcomes in sequence order as they become ready.
fn drain<T, E>(
    done_rx: Receiver<(usize, Outcome<T>)>,
    summary: &mut Summary,
    bar: &ProgressBar,
    progress: bool,
    emit: &mut E,
) -> io::Result<()>
where
    E: FnMut(Outcome<T>, &ProgressBar) -> io::Result<()>,
{
    let mut pending = BTreeMap::new();
    let mut next = 0;
    for (seq, outcome) in done_rx {
        pending.insert(seq, outcome);
        while let Some(outcome) = pending.remove(&next) {
            next += 1;
            if next == 2 && progress {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            match outcome.result {
                Ok(_) => summary.ok += 1,
                Err(_) => summary.failed += 1,
            }
            emit(outcome, bar)?;
            bar.inc(1);
            if summary.failed > 0 {
                bar.set_message(format!("{} failed", summary.failed));
            }
        }
    }
    Ok(())
}
