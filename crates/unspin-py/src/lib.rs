//! The native part of the `unspin` Python package (`unspin._unspin`): the Rust pipeline
//! behind `unspin.analyze`, `analyze_many` and `analyze_jsonl`.
//!
//! Every analysis crosses into Python as its JSON (the `unspin analyze --format json`
//! document), which the Python layer wraps in typed objects lazily; batches run on Rust
//! threads with the GIL released and come back in input order, each failure as a value in
//! its place. Offsets are code points, which are Python string indices.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyStopIteration, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use unspin::ingest::{self, Format, IngestOptions, RawDocument};
use unspin::render::{Json, Render};
use unspin::{ModelContext, Options, Pipeline, TechniquesModelChoice, TechniquesOptions};

create_exception!(
    _unspin,
    InputError,
    PyValueError,
    "An input unspin cannot analyse (empty, binary, too large, unreachable, malformed); the message names the input and the problem."
);

/// What selects a pipeline: the techniques model, the confidence floor and whether one
/// article or a batch is analysed (which decides the default model, as on the CLI).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    model: Option<String>,
    min_confidence_bits: u32,
    batch: bool,
    max_bytes: u64,
    timeout_ms: u64,
}

/// Pipelines are costly to build (the techniques model is read from its file): one per key.
fn pipeline(key: &Key) -> PyResult<Arc<Pipeline>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Pipeline>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .map_err(|_| PyRuntimeError::new_err("unspin: pipeline cache poisoned"))?;
    if let Some(p) = cache.get(key) {
        return Ok(p.clone());
    }
    let model = match key.model.as_deref() {
        None => TechniquesModelChoice::Auto,
        Some(m) => m.parse().map_err(PyValueError::new_err)?,
    };
    let options = Options {
        ingest: IngestOptions {
            max_bytes: key.max_bytes,
            timeout: Duration::from_millis(key.timeout_ms.max(1)),
            ..IngestOptions::default()
        },
        techniques: TechniquesOptions {
            model,
            context: if key.batch {
                ModelContext::Batch
            } else {
                ModelContext::Single
            },
            min_confidence: f32::from_bits(key.min_confidence_bits),
        },
        ..Options::default()
    };
    let p = Arc::new(Pipeline::new(options).map_err(|e| PyValueError::new_err(e.to_string()))?);
    cache.insert(key.clone(), p.clone());
    Ok(p)
}

fn key(
    model: Option<String>,
    min_confidence: f32,
    batch: bool,
    max_bytes: u64,
    timeout: f64,
) -> PyResult<Key> {
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(PyValueError::new_err(format!(
            "min_confidence must be within [0, 1], not {min_confidence}"
        )));
    }
    if !(timeout.is_finite() && timeout > 0.0) {
        return Err(PyValueError::new_err(
            "timeout must be a positive number of seconds",
        ));
    }
    Ok(Key {
        model,
        min_confidence_bits: min_confidence.to_bits(),
        batch,
        max_bytes,
        timeout_ms: (timeout * 1000.0) as u64,
    })
}

/// One input to analyse, read on a worker thread.
enum Job {
    /// A JSON record (`{"id", "text" | "html", …}`), read as a line of a JSONL dump.
    Record(Vec<u8>),
    /// Plain text.
    Text(String),
    /// An HTML page.
    Html(String),
    /// A URL to fetch.
    Url(String),
    /// A document already read (from a dump the native side reads itself).
    Raw(Box<RawDocument>),
    /// An input that could not be read, with the message.
    Failed(String),
}

/// The result of one input: its label, and the analysis JSON or the error message, and
/// warnings.
type Outcome = (String, Result<String, String>, Vec<String>);

/// What a stream yields: `(ok, input, analysis JSON or error message, warnings)`.
type Item = (bool, String, String, Vec<String>);

/// What workers send back: an input's index and outcome, or (from a native reader) the
/// number of inputs with no outcome, once all are read.
type Done = (usize, Option<Outcome>);

/// Reads and analyses one input.
fn run(pipeline: &Pipeline, label: &str, job: Job) -> Outcome {
    let max_bytes = pipeline.options().ingest.max_bytes;
    let raw = match job {
        Job::Record(bytes) if bytes.len() as u64 > max_bytes => {
            Err(ingest::IngestError::TooLarge {
                input: label.to_owned(),
                size: Some(bytes.len() as u64),
                limit: max_bytes,
            }
            .to_string())
        }
        Job::Record(bytes) => ingest::parse_record(label, &bytes).map_err(|e| e.to_string()),
        Job::Text(text) => RawDocument::given_within(label, text, Format::Text, max_bytes)
            .map_err(|e| e.to_string()),
        Job::Html(html) => RawDocument::given_within(label, html, Format::Html, max_bytes)
            .map_err(|e| e.to_string()),
        Job::Url(url) => {
            let source = ingest::Source::Url(url.clone());
            match ingest::read(&source, &pipeline.options().ingest).next() {
                Some(r) => r.map_err(|e| e.to_string()),
                None => Err(format!("{url}: nothing read")),
            }
        }
        Job::Raw(raw) => Ok(*raw),
        Job::Failed(message) => Err(message),
    };
    let raw = match raw {
        Ok(raw) => raw,
        Err(e) => return (label.to_owned(), Err(e), Vec::new()),
    };
    let input = raw.input.clone();
    let analysed = pipeline
        .document(raw)
        .and_then(|doc| pipeline.analyze(&doc))
        .map_err(|e| e.to_string());
    match analysed {
        Ok(analysis) => {
            let mut buf = Vec::new();
            let rendered = Json { pretty: false }
                .render(&analysis, &mut buf)
                .map_err(|e| e.to_string())
                .and_then(|()| String::from_utf8(buf).map_err(|e| e.to_string()));
            (input, rendered, analysis.warnings.clone())
        }
        Err(e) => (input, Err(e), Vec::new()),
    }
}

/// Analyses one input: `kind` is `text`, `html`, `url` or `record` (a JSON object's text);
/// returns the analysis JSON and its warnings; raises `InputError` when the input cannot be
/// analysed. The GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (kind, payload, label, *, model=None, min_confidence=0.0, batch=false, max_bytes=20 * 1024 * 1024, timeout=30.0))]
#[allow(clippy::too_many_arguments)]
fn analyze_one(
    py: Python<'_>,
    kind: &str,
    payload: String,
    label: String,
    model: Option<String>,
    min_confidence: f32,
    batch: bool,
    max_bytes: u64,
    timeout: f64,
) -> PyResult<(String, Vec<String>)> {
    let p = pipeline(&key(model, min_confidence, batch, max_bytes, timeout)?)?;
    let job = match kind {
        "text" => Job::Text(payload),
        "html" => Job::Html(payload),
        "url" => Job::Url(payload),
        "record" => Job::Record(payload.into_bytes()),
        other => {
            return Err(PyValueError::new_err(format!(
                "kind must be text, html, url or record, not {other:?}"
            )));
        }
    };
    let (_, result, warnings) = py.detach(|| run(&p, &label, job));
    match result {
        Ok(json) => Ok((json, warnings)),
        Err(message) => Err(InputError::new_err(message)),
    }
}

/// Where a stream's inputs come from.
enum Feed {
    /// A Python iterator of `str` (texts) or `dict` (records), pulled as the stream runs.
    Python(Py<PyAny>),
    /// A reader thread that sends the documents of a file itself.
    Native,
}

/// Analyses a sequence of inputs on worker threads, yielding `(ok, input, json_or_error,
/// warnings)` tuples in input order.
#[pyclass(module = "unspin._unspin")]
struct Stream {
    feed: Feed,
    jobs_tx: Option<Sender<(usize, String, Job)>>,
    results: Receiver<Done>,
    pending: BTreeMap<usize, Outcome>,
    /// Inputs sent to the workers.
    sent: usize,
    /// The next index to yield.
    next: usize,
    /// The number of inputs, once known.
    total: Option<usize>,
    /// How many inputs may be in flight.
    ahead: usize,
    json_dumps: Py<PyAny>,
    threads: Vec<JoinHandle<()>>,
    /// For a native feed: one place per input read and not yet yielded; the reader waits
    /// for a free place, so a slow consumer does not make results pile up.
    gate: Option<Receiver<()>>,
}

impl Stream {
    fn start(
        py: Python<'_>,
        pipeline: Arc<Pipeline>,
        jobs: usize,
        feed: Feed,
    ) -> PyResult<(Self, Sender<Done>)> {
        let jobs = jobs.max(1);
        let (jobs_tx, jobs_rx) = unbounded::<(usize, String, Job)>();
        let (done_tx, done_rx) = unbounded::<Done>();
        let threads = (0..jobs)
            .map(|_| {
                let rx = jobs_rx.clone();
                let tx = done_tx.clone();
                let p = pipeline.clone();
                std::thread::spawn(move || {
                    while let Ok((i, label, job)) = rx.recv() {
                        if tx.send((i, Some(run(&p, &label, job)))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        let json_dumps = py.import("json")?.getattr("dumps")?.unbind();
        Ok((
            Stream {
                feed,
                jobs_tx: Some(jobs_tx),
                results: done_rx,
                pending: BTreeMap::new(),
                sent: 0,
                next: 0,
                total: None,
                ahead: jobs * 8,
                json_dumps,
                threads,
                gate: None,
            },
            done_tx,
        ))
    }

    /// The job for one Python item.
    fn job_of(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> Job {
        if let Ok(s) = item.cast::<PyString>() {
            return match s.to_cow() {
                Ok(s) => Job::Text(s.into_owned()),
                Err(e) => Job::Failed(format!("not valid text: {e}")),
            };
        }
        if item.cast::<PyDict>().is_ok() {
            return match self
                .json_dumps
                .call1(py, (item,))
                .and_then(|s| s.extract::<String>(py))
            {
                Ok(s) => Job::Record(s.into_bytes()),
                Err(e) => Job::Failed(format!("the record is not JSON: {e}")),
            };
        }
        let type_name = item
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        Job::Failed(format!(
            "expected a str (a text) or a dict ({{\"id\", \"text\" | \"html\", …}}), not {type_name}"
        ))
    }

    /// Pulls Python items until enough are in flight or the iterator ends.
    fn top_up(&mut self, py: Python<'_>) -> PyResult<()> {
        let Feed::Python(iter) = &self.feed else {
            return Ok(());
        };
        let iter = iter.bind(py).clone();
        while self.total.is_none() && self.sent - self.next < self.ahead {
            match iter.call_method0("__next__") {
                Ok(item) => {
                    let label = format!("item {}", self.sent + 1);
                    let job = self.job_of(py, &item);
                    if let Some(tx) = &self.jobs_tx {
                        tx.send((self.sent, label, job))
                            .map_err(|_| PyRuntimeError::new_err("unspin: workers stopped"))?;
                    }
                    self.sent += 1;
                }
                Err(e) if e.is_instance_of::<PyStopIteration>(py) => {
                    self.total = Some(self.sent);
                    self.jobs_tx = None;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

#[pymethods]
impl Stream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Item>> {
        self.top_up(py)?;
        loop {
            if let Some((input, result, warnings)) = self.pending.remove(&self.next) {
                self.next += 1;
                if let Some(gate) = &self.gate {
                    let _ = gate.try_recv();
                }
                return Ok(Some(match result {
                    Ok(json) => (true, input, json, warnings),
                    Err(message) => (false, input, message, warnings),
                }));
            }
            if self.total.is_some_and(|t| self.next >= t) {
                self.jobs_tx = None;
                return Ok(None);
            }
            let rx = self.results.clone();
            let got = py.detach(move || rx.recv_timeout(Duration::from_millis(200)));
            match got {
                Ok((i, Some(outcome))) => {
                    self.pending.insert(i, outcome);
                }
                Ok((n, None)) => self.total = Some(n),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    return Err(PyRuntimeError::new_err("unspin: the workers stopped"));
                }
            }
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.jobs_tx = None;
        // Workers end when the job channel closes; they are not joined here, so that
        // dropping an unfinished stream does not wait for the analyses in flight.
        self.threads.clear();
    }
}

/// Analyses the items of a Python iterable (`str` texts or `dict` records) on `jobs`
/// threads; iterate the returned stream for `(ok, input, json_or_error, warnings)` in
/// input order.
#[pyfunction]
#[pyo3(signature = (items, *, jobs=None, model=None, min_confidence=0.0, max_bytes=20 * 1024 * 1024, timeout=30.0))]
fn stream_items(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    jobs: Option<usize>,
    model: Option<String>,
    min_confidence: f32,
    max_bytes: u64,
    timeout: f64,
) -> PyResult<Stream> {
    let p = pipeline(&key(model, min_confidence, true, max_bytes, timeout)?)?;
    let iter = items.try_iter()?.into_any().unbind();
    let (stream, _) = Stream::start(py, p, jobs.unwrap_or_else(default_jobs), Feed::Python(iter))?;
    Ok(stream)
}

/// Analyses every document of a file the CLI can read (a JSONL dump, a WARC archive, an
/// HTML or text file), streamed from disk by a reader thread; iterate the returned stream
/// for `(ok, input, json_or_error, warnings)` in input order.
#[pyfunction]
#[pyo3(signature = (path, *, jobs=None, model=None, min_confidence=0.0, max_bytes=20 * 1024 * 1024, timeout=30.0))]
fn stream_path(
    py: Python<'_>,
    path: PathBuf,
    jobs: Option<usize>,
    model: Option<String>,
    min_confidence: f32,
    max_bytes: u64,
    timeout: f64,
) -> PyResult<Stream> {
    if !path.exists() {
        return Err(InputError::new_err(format!(
            "{}: no such file",
            path.display()
        )));
    }
    let p = pipeline(&key(model, min_confidence, true, max_bytes, timeout)?)?;
    let opts = p.options().ingest.clone();
    let jobs = jobs.unwrap_or_else(default_jobs);
    let (mut stream, done_tx) = Stream::start(py, p, jobs, Feed::Native)?;
    let jobs_tx = stream
        .jobs_tx
        .take()
        .expect("a new stream has its job channel");
    // The reader keeps at most a few documents per worker in flight.
    let (gate_tx, gate_rx) = bounded::<()>(jobs * 8);
    let label = path.to_string_lossy().into_owned();
    let reader = std::thread::spawn(move || {
        let mut n = 0usize;
        for source in ingest::expand(&[label]) {
            let docs: Box<dyn Iterator<Item = Result<RawDocument, ingest::IngestError>>> =
                match source {
                    Ok(s) => ingest::read(&s, &opts),
                    Err(e) => Box::new(std::iter::once(Err(e))),
                };
            for doc in docs {
                if gate_tx.send(()).is_err() {
                    return;
                }
                let (input, job) = match doc {
                    Ok(raw) => (raw.input.clone(), Job::Raw(Box::new(raw))),
                    Err(e) => (e.input().to_owned(), Job::Failed(e.to_string())),
                };
                if jobs_tx.send((n, input, job)).is_err() {
                    return;
                }
                n += 1;
            }
        }
        let _ = done_tx.send((n, None));
    });
    stream.threads.push(reader);
    stream.gate = Some(gate_rx);
    Ok(stream)
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The native module.
#[pymodule]
fn _unspin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(analyze_one, m)?)?;
    m.add_function(wrap_pyfunction!(stream_items, m)?)?;
    m.add_function(wrap_pyfunction!(stream_path, m)?)?;
    m.add_class::<Stream>()?;
    Ok(())
}
