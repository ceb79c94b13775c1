//! unspin pipeline stage: ingest.
//!
//! Turns user inputs (files, directories, stdin, URLs, JSONL dumps, WARC
//! archives) into decoded [`RawDocument`]s. See the crate README for the
//! input labels, sniffing rules and decoding order.
//!
//! ```no_run
//! use unspin_ingest::{IngestOptions, expand, read};
//!
//! let opts = IngestOptions::default();
//! for source in expand(&["corpus/".to_string(), "-".to_string()]) {
//!     match source {
//!         Ok(source) => {
//!             for doc in read(&source, &opts) {
//!                 match doc {
//!                     Ok(doc) => println!("{} ({} chars)", doc.input, doc.text.len()),
//!                     Err(e) => eprintln!("{e}"),
//!                 }
//!             }
//!         }
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! ```

#![warn(missing_docs)]

use std::fs;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use encoding_rs::Encoding;

mod decode;
mod fetch;
mod jsonl;
mod sniff;
mod warc;

use decode::{SNIFF_LEN, decode_document, encoding_for_label};
pub use jsonl::parse_record;
use sniff::{Container, sniff_container};

/// Largest input read by default, in bytes ([`IngestOptions::max_bytes`]): 20 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

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
            max_bytes: DEFAULT_MAX_BYTES,
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
    /// Metadata the container gives for the document (JSONL `title`, `site`, …).
    pub meta: RecordMeta,
}

impl RawDocument {
    /// A document a program hands over as a string (pasted into a form, passed to a
    /// function): `input` names it, the text is taken as it is (UTF-8, declared).
    pub fn given(input: &str, text: String, format: Format) -> Self {
        RawDocument {
            input: input.to_owned(),
            id: None,
            url: None,
            format,
            text,
            charset: "UTF-8".to_owned(),
            charset_source: CharsetSource::Declared,
            warnings: Vec::new(),
            meta: RecordMeta::default(),
        }
    }

    /// [`RawDocument::given`], refused as [`IngestError::TooLarge`] when the text is longer
    /// than `max_bytes` bytes (UTF-8), as a file of that size would be.
    pub fn given_within(
        input: &str,
        text: String,
        format: Format,
        max_bytes: u64,
    ) -> Result<Self, IngestError> {
        let size = text.len() as u64;
        if size > max_bytes {
            return Err(IngestError::TooLarge {
                input: input.to_owned(),
                size: Some(size),
                limit: max_bytes,
            });
        }
        Ok(RawDocument::given(input, text, format))
    }
}

/// Source metadata a container record gives beside the content: a JSONL dump's `title`,
/// `site` (or `outlet`), `published` (or `date`), `authors` (a string or a list) and
/// `language`. Where present it is preferred to what extraction finds in the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordMeta {
    /// The article title.
    pub title: Option<String>,
    /// The publishing site or outlet.
    pub site: Option<String>,
    /// The publication date or date-time.
    pub published: Option<String>,
    /// The authors.
    pub authors: Vec<String>,
    /// The declared language (`en`, `ru-RU`, …).
    pub language: Option<String>,
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
    /// The input could not be read (permissions, I/O error, a directory).
    #[error("{input}: {message}")]
    Io {
        /// The input label.
        input: String,
        /// What went wrong.
        message: String,
    },
    /// The content is not text: NUL bytes, mostly control/undecodable bytes,
    /// or a known binary format.
    #[error("{input}: binary file ({what}), not text or HTML")]
    Binary {
        /// The input label.
        input: String,
        /// Why it was judged binary, e.g. "contains NUL bytes".
        what: String,
    },
    /// The content is empty or whitespace only.
    #[error("{input}: {}", if *.whitespace_only { "empty (whitespace only)" } else { "empty (0 bytes)" })]
    Empty {
        /// The input label.
        input: String,
        /// True if there were bytes, but only whitespace.
        whitespace_only: bool,
    },
    /// The document is larger than [`IngestOptions::max_bytes`].
    #[error("{input}: too large: {}over the limit of {limit} bytes", .size.map(|s| format!("{s} bytes, ")).unwrap_or_default())]
    TooLarge {
        /// The input label.
        input: String,
        /// The size, when known before reading.
        size: Option<u64>,
        /// The limit in force.
        limit: u64,
    },
    /// [`IngestOptions::encoding`] is not a known charset label.
    #[error("{input}: unknown encoding label \"{label}\"")]
    UnknownEncoding {
        /// The input label.
        input: String,
        /// The label given.
        label: String,
    },
    /// A URL could not be fetched, or the server's answer is unusable
    /// (status, content type, network error, timeout, redirects).
    #[error("{input}: {message}")]
    Fetch {
        /// The URL as given.
        input: String,
        /// What went wrong.
        message: String,
    },
    /// One bad record of a container: a JSONL line or a WARC record.
    #[error("{input}: {message}")]
    BadRecord {
        /// `"<path>:<line>"` or `"<path>#<record index>"`.
        input: String,
        /// What is wrong with it.
        message: String,
    },
    /// A truncated or corrupt archive; no more records can be read from it.
    #[error("{input}: damaged archive at {message}")]
    Damaged {
        /// The archive's label.
        input: String,
        /// Where (record index, byte offset) and what.
        message: String,
    },
}

impl IngestError {
    /// The input (path, URL, `path:line`, `path#record`) the error is about.
    pub fn input(&self) -> &str {
        match self {
            IngestError::NotFound { input }
            | IngestError::Io { input, .. }
            | IngestError::Binary { input, .. }
            | IngestError::Empty { input, .. }
            | IngestError::TooLarge { input, .. }
            | IngestError::UnknownEncoding { input, .. }
            | IngestError::Fetch { input, .. }
            | IngestError::BadRecord { input, .. }
            | IngestError::Damaged { input, .. } => input,
        }
    }
}

/// File extensions read when walking a directory (extension-less files are
/// read too; `.warc.gz` is matched on the whole suffix).
pub const READ_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson", "warc",
];

/// True if a file found while walking a directory should be read.
fn wanted_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".warc.gz") {
        return true;
    }
    match lower.rsplit_once('.') {
        None => true,
        Some((_, ext)) => READ_EXTENSIONS.contains(&ext),
    }
}

/// Reads a list of URLs to fetch: one `http://` or `https://` URL per line; blank lines
/// and lines starting with `#` are skipped. A line that is not such a URL is an `Err`
/// naming it (`urls.txt:7`) in its place, so a batch reports it and goes on; a list that
/// cannot be read is one `Err`.
pub fn url_list(path: &str) -> Vec<Result<Source, IngestError>> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return vec![Err(IngestError::NotFound {
                input: path.to_owned(),
            })];
        }
        Err(e) => {
            return vec![Err(IngestError::Io {
                input: path.to_owned(),
                message: format!("cannot read the URL list: {e}"),
            })];
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return vec![Err(IngestError::Io {
            input: path.to_owned(),
            message: "a URL list must be UTF-8 text, one URL per line".into(),
        })];
    };
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let lower = line.get(..8).unwrap_or(line).to_ascii_lowercase();
            let url = (lower.starts_with("http://") || lower.starts_with("https://"))
                && !line.contains(char::is_whitespace);
            Some(if url {
                Ok(Source::Url(line.to_owned()))
            } else {
                Err(IngestError::BadRecord {
                    input: format!("{path}:{}", i + 1),
                    message: format!(
                        "not an http:// or https:// URL: {}",
                        line.chars().take(80).collect::<String>()
                    ),
                })
            })
        })
        .collect()
}

/// Expands user inputs (`"-"`, `http(s)://…`, a file, a directory) into sources.
///
/// Directories are walked recursively; their files come out in byte-wise
/// sorted path order, skipping hidden entries (names starting with `.`) and
/// files whose extension is not one we read (see [`READ_EXTENSIONS`]). A file
/// named explicitly is always kept, whatever its extension. A missing path is
/// an `Err` naming it; a directory with no readable files yields nothing.
pub fn expand(inputs: &[String]) -> Vec<Result<Source, IngestError>> {
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            out.push(Ok(Source::Stdin));
            continue;
        }
        let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            out.push(Ok(Source::Url(input.clone())));
            continue;
        }
        let path = PathBuf::from(input);
        match fs::metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                out.push(Err(IngestError::NotFound {
                    input: input.clone(),
                }));
            }
            Err(e) => out.push(Err(IngestError::Io {
                input: input.clone(),
                message: format!("cannot access: {e}"),
            })),
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                let mut ancestors = Vec::new();
                walk(&path, &mut ancestors, &mut found);
                found.sort_by(|a, b| {
                    a.0.as_os_str()
                        .as_encoded_bytes()
                        .cmp(b.0.as_os_str().as_encoded_bytes())
                });
                out.extend(found.into_iter().map(|(_, r)| r));
            }
            Ok(_) => out.push(Ok(Source::File(path))),
        }
    }
    out
}

type Found = Vec<(PathBuf, Result<Source, IngestError>)>;

fn walk(dir: &Path, ancestors: &mut Vec<PathBuf>, found: &mut Found) {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if ancestors.contains(&canonical) {
        tracing::debug!(dir = %dir.display(), "skipping directory symlink loop");
        return;
    }
    let unreadable = |e: io::Error| IngestError::Io {
        input: dir.display().to_string(),
        message: format!("cannot read directory: {e}"),
    };
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found.push((dir.to_path_buf(), Err(unreadable(e))));
            return;
        }
    };
    ancestors.push(canonical);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.push((dir.to_path_buf(), Err(unreadable(e))));
                continue;
            }
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, ancestors, found),
            Ok(m) if m.is_file() => {
                if wanted_file_name(&name) {
                    found.push((path.clone(), Ok(Source::File(path))));
                } else {
                    tracing::debug!(path = %path.display(), "skipping file with unread extension");
                }
            }
            Ok(_) => tracing::debug!(path = %path.display(), "skipping special file"),
            Err(e) => {
                let err = IngestError::Io {
                    input: path.display().to_string(),
                    message: format!("cannot access: {e}"),
                };
                found.push((path, Err(err)));
            }
        }
    }
    ancestors.pop();
}

/// A boxed stream of documents, as returned by [`read`].
pub type Documents = Box<dyn Iterator<Item = Result<RawDocument, IngestError>> + Send>;

/// Opens its source on the first call to `next`.
struct Lazy {
    init: Option<Box<dyn FnOnce() -> Documents + Send>>,
    inner: Option<Documents>,
}

impl Iterator for Lazy {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(init) = self.init.take() {
            self.inner = Some(init());
        }
        self.inner.as_mut()?.next()
    }
}

fn lazy(f: impl FnOnce() -> Documents + Send + 'static) -> Documents {
    Box::new(Lazy {
        init: Some(Box::new(f)),
        inner: None,
    })
}

fn once(item: Result<RawDocument, IngestError>) -> Documents {
    Box::new(std::iter::once(item))
}

/// Reads one source, yielding one item per document and an `Err` item per
/// failure.
///
/// A plain file, stdin or URL yields one item; a JSONL dump one per
/// non-blank line; a WARC archive one per HTML response record (and, if the
/// archive is damaged, the records before the damage followed by one `Err`).
/// Nothing is opened until the iterator is first advanced.
pub fn read(source: &Source, opts: &IngestOptions) -> Documents {
    let source = source.clone();
    let opts = opts.clone();
    lazy(move || open_source(&source, &opts))
}

/// Reads documents from any byte stream, sniffed like stdin; `label` names
/// the stream in [`RawDocument::input`] and errors.
pub fn read_from(label: &str, reader: Box<dyn Read + Send>, opts: &IngestOptions) -> Documents {
    let label = label.to_string();
    let opts = opts.clone();
    lazy(move || match forced_encoding(&label, &opts) {
        Ok(forced) => from_reader(label, reader, None, None, &opts, forced),
        Err(e) => once(Err(e)),
    })
}

fn forced_encoding(
    label: &str,
    opts: &IngestOptions,
) -> Result<Option<&'static Encoding>, IngestError> {
    match &opts.encoding {
        None => Ok(None),
        Some(l) => encoding_for_label(l)
            .map(Some)
            .ok_or_else(|| IngestError::UnknownEncoding {
                input: label.to_string(),
                label: l.clone(),
            }),
    }
}

fn open_source(source: &Source, opts: &IngestOptions) -> Documents {
    let label = source.label();
    let forced = match forced_encoding(&label, opts) {
        Ok(f) => f,
        Err(e) => return once(Err(e)),
    };
    match source {
        Source::Url(url) => once(fetch_document(url, opts, forced)),
        Source::Stdin => from_reader(label, Box::new(io::stdin()), None, None, opts, forced),
        Source::File(path) => {
            let io_err = |e: io::Error| {
                if e.kind() == io::ErrorKind::NotFound {
                    IngestError::NotFound {
                        input: label.clone(),
                    }
                } else {
                    IngestError::Io {
                        input: label.clone(),
                        message: format!("cannot read: {e}"),
                    }
                }
            };
            let meta = match fs::metadata(path) {
                Ok(m) => m,
                Err(e) => return once(Err(io_err(e))),
            };
            if meta.is_dir() {
                return once(Err(IngestError::Io {
                    input: label,
                    message: "is a directory (use expand() to list its files)".to_string(),
                }));
            }
            let file = match fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return once(Err(io_err(e))),
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            let len = meta.is_file().then_some(meta.len());
            from_reader(label, Box::new(file), name.as_deref(), len, opts, forced)
        }
    }
}

/// Reads up to `n` bytes (fewer only at end of stream).
fn read_head(reader: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

fn from_reader(
    label: String,
    mut reader: Box<dyn Read + Send>,
    name: Option<&str>,
    file_len: Option<u64>,
    opts: &IngestOptions,
    forced: Option<&'static Encoding>,
) -> Documents {
    let head = match read_head(&mut reader, SNIFF_LEN) {
        Ok(h) => h,
        Err(e) => {
            return once(Err(IngestError::Io {
                input: label,
                message: format!("cannot read: {e}"),
            }));
        }
    };
    match sniff_container(&head, name) {
        Container::Warc | Container::WarcGz => {
            let gz = sniff_container(&head, name) == Container::WarcGz;
            let whole = Box::new(Cursor::new(head).chain(reader));
            Box::new(warc::WarcIter::new(
                label,
                whole,
                gz,
                opts.max_bytes,
                forced,
            ))
        }
        Container::Jsonl => {
            let whole = Box::new(Cursor::new(head).chain(reader));
            Box::new(jsonl::JsonlIter::new(label, whole, opts.max_bytes))
        }
        Container::Single => once(single(label, head, reader, file_len, opts, forced)),
    }
}

fn single(
    label: String,
    mut bytes: Vec<u8>,
    reader: Box<dyn Read + Send>,
    file_len: Option<u64>,
    opts: &IngestOptions,
    forced: Option<&'static Encoding>,
) -> Result<RawDocument, IngestError> {
    let too_large = |size| IngestError::TooLarge {
        input: label.clone(),
        size,
        limit: opts.max_bytes,
    };
    if let Some(len) = file_len
        && len > opts.max_bytes
    {
        return Err(too_large(Some(len)));
    }
    let room = opts
        .max_bytes
        .saturating_add(1)
        .saturating_sub(bytes.len() as u64);
    reader
        .take(room)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::Io {
            input: label.clone(),
            message: format!("cannot read: {e}"),
        })?;
    if bytes.len() as u64 > opts.max_bytes {
        return Err(too_large(None));
    }
    let d = decode_document(&label, &bytes, None, None, forced)?;
    Ok(RawDocument {
        input: label,
        id: None,
        url: None,
        format: d.format,
        text: d.text,
        charset: d.charset.name().to_string(),
        charset_source: d.source,
        warnings: d.warnings,
        meta: RecordMeta::default(),
    })
}

fn fetch_document(
    url: &str,
    opts: &IngestOptions,
    forced: Option<&'static Encoding>,
) -> Result<RawDocument, IngestError> {
    let fetched = fetch::fetch(url, opts)?;
    http_document(
        url,
        &fetched.final_url,
        fetched.content_type.as_ref(),
        &fetched.body,
        forced,
    )
}

/// Media types accepted in an HTTP response: HTML, XHTML and plain text.
pub fn acceptable_media_type(content_type: &str) -> bool {
    fetch::acceptable(&sniff::ContentType::parse(content_type).mime)
}

/// Turns the body of an HTTP response fetched by the caller into a document, exactly as a
/// URL given to [`read`] would be: the `Content-Type` header (if any) must be HTML, XHTML or
/// plain text, its charset is used unless a BOM says otherwise, and the body is sniffed and
/// decoded like a fetched page. `input` is the URL as given, `final_url` the one after
/// redirects. The body must already be content-decoded (gzip) and within
/// [`IngestOptions::max_bytes`].
pub fn from_http_body(
    input: &str,
    final_url: &str,
    content_type: Option<&str>,
    body: &[u8],
    opts: &IngestOptions,
) -> Result<RawDocument, IngestError> {
    let forced = forced_encoding(input, opts)?;
    if body.len() as u64 > opts.max_bytes {
        return Err(IngestError::TooLarge {
            input: input.to_string(),
            size: Some(body.len() as u64),
            limit: opts.max_bytes,
        });
    }
    let ct = content_type.map(sniff::ContentType::parse);
    if let Some(ct) = &ct {
        fetch::check_media_type(input, ct)?;
    }
    http_document(input, final_url, ct.as_ref(), body, forced)
}

fn http_document(
    input: &str,
    final_url: &str,
    ct: Option<&sniff::ContentType>,
    body: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<RawDocument, IngestError> {
    let format = ct.filter(|c| c.is_html()).map(|_| Format::Html);
    let charset = ct.and_then(|c| c.charset.as_deref());
    let d = decode_document(input, body, format, charset, forced)?;
    Ok(RawDocument {
        input: input.to_string(),
        id: None,
        url: Some(final_url.to_string()),
        format: d.format,
        text: d.text,
        charset: d.charset.name().to_string(),
        charset_source: d.source,
        warnings: d.warnings,
        meta: RecordMeta::default(),
    })
}
