//! unspin pipeline stage: ingest.
//!
//! Turns user inputs (files, directories, stdin, URLs, JSONL dumps, WARC
//! archives) into decoded [`RawDocument`]s. See the crate README for the
//! input labels, sniffing rules and decoding order.

use std::path::PathBuf;
use std::time::Duration;

/// Options controlling how sources are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Maximum size in bytes of one document (default 20 MiB).
    pub max_bytes: u64,
    /// Forced charset label (WHATWG label), overriding detection.
    pub encoding: Option<String>,
    /// Connect timeout for URL fetching.
    pub connect_timeout: Duration,
    /// Timeout for the whole request (URL fetching).
    pub timeout: Duration,
    /// Maximum number of redirects followed (default 5).
    pub max_redirects: u32,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: 20 * 1024 * 1024,
            encoding: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
        }
    }
}

/// One place documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// An `http://` or `https://` URL.
    Url(String),
}

impl Source {
    /// The path or URL as given by the user, `-` for stdin.
    pub fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

/// Kind of content of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (including Markdown).
    Text,
    /// HTML or XHTML.
    Html,
}

/// Where the charset used to decode a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte order mark.
    Bom,
    /// The HTTP `Content-Type` header (live fetch or WARC record).
    HttpHeader,
    /// An HTML `<meta charset>` / `http-equiv` declaration.
    Meta,
    /// The bytes were valid UTF-8.
    Utf8Valid,
    /// Guessed by statistical detection (chardetng).
    Detected,
    /// Forced by [`IngestOptions::encoding`].
    Forced,
    /// Declared by the container (JSON strings are Unicode).
    Declared,
}

/// One document read from a source, decoded to text.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// Path or URL as found; `"<path>:<line>"` for JSONL, `"<path>#<record index>"` for WARC.
    pub input: String,
    /// Document id: JSONL `"id"`, WARC `WARC-Record-ID`.
    pub id: Option<String>,
    /// Fetched URL (after redirects), JSONL `"url"`, WARC `WARC-Target-URI`.
    pub url: Option<String>,
    /// Text or HTML.
    pub format: Format,
    /// The decoded content, verbatim.
    pub text: String,
    /// Encoding used, e.g. `"UTF-8"`, `"windows-1251"`.
    pub charset: String,
    /// Where [`RawDocument::charset`] came from.
    pub charset_source: CharsetSource,
    /// Non-fatal notes about the document (e.g. charset detected).
    pub warnings: Vec<String>,
}

/// An ingest failure. `Display` is one line: `"<input>: <problem>"`.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A path given by the user does not exist.
    #[error("{input}: no such file or directory")]
    NotFound {
        /// The input label.
        input: String,
    },
    /// I/O failure while reading.
    #[error("{input}: {message}")]
    Io {
        /// The input label.
        input: String,
        /// Description of the failure.
        message: String,
    },
    /// Anything else wrong with the input (binary, empty, too large, bad line...).
    #[error("{input}: {message}")]
    Invalid {
        /// The input label.
        input: String,
        /// Description of the problem.
        message: String,
    },
}

impl IngestError {
    /// The input (path, URL, `path:line`, `path#record`) the error is about.
    pub fn input(&self) -> &str {
        match self {
            IngestError::NotFound { input }
            | IngestError::Io { input, .. }
            | IngestError::Invalid { input, .. } => input,
        }
    }
}

/// Expands user inputs into sources (work in progress).
pub fn expand(inputs: &[String]) -> Vec<Result<Source, IngestError>> {
    inputs
        .iter()
        .map(|i| {
            if i == "-" {
                Ok(Source::Stdin)
            } else if i.starts_with("http://") || i.starts_with("https://") {
                Ok(Source::Url(i.clone()))
            } else {
                Ok(Source::File(PathBuf::from(i)))
            }
        })
        .collect()
}

/// Reads one source, yielding one item per document (work in progress).
pub fn read(
    source: &Source,
    _opts: &IngestOptions,
) -> Box<dyn Iterator<Item = Result<RawDocument, IngestError>> + Send> {
    let err = IngestError::Invalid {
        input: source.label(),
        message: "not implemented yet".into(),
    };
    Box::new(std::iter::once(Err(err)))
}
