//! WARC 1.0/1.1 reader, plain or gzip-compressed (one gzip member per
//! record as crawlers write them, or any other split of the stream).
//!
//! Records are streamed; only `response` records holding an HTML HTTP
//! response (and `resource` records of type `text/html`) become documents.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::Encoding;
use flate2::bufread::GzDecoder;

use crate::decode::decode_document;
use crate::sniff::ContentType;
use crate::{Format, IngestError, RawDocument};

/// Longest header line accepted (WARC or HTTP).
const MAX_LINE: usize = 64 * 1024;
/// Most header bytes accepted for one record.
const MAX_HEADER: usize = 1024 * 1024;
/// Room for HTTP headers on top of `max_bytes` when buffering a record.
const HEADROOM: u64 = 1024 * 1024;

/// A `BufRead` wrapper counting consumed bytes.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.pos += amt as u64;
    }
}

type Src = Counted<BufReader<Box<dyn Read + Send>>>;

enum GzState {
    Between(Src),
    In(Box<GzDecoder<Src>>),
    Done,
    Failed,
}

/// Decompresses a sequence of gzip members, remembering where each member
/// starts in the compressed and the decompressed stream. A `read` never
/// returns bytes from two members.
struct GzMembers {
    state: GzState,
    decompressed: u64,
    /// (decompressed start, compressed start) of recent members.
    starts: VecDeque<(u64, u64)>,
}

impl Read for GzMembers {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, GzState::Failed) {
                GzState::Between(mut src) => {
                    let avail = src.fill_buf()?;
                    if avail.is_empty() {
                        self.state = GzState::Done;
                        return Ok(0);
                    }
                    if avail[0] != 0x1f || avail.get(1).is_some_and(|&b| b != 0x8b) {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "data at compressed byte offset {} is not a gzip member",
                                src.pos
                            ),
                        ));
                    }
                    self.starts.push_back((self.decompressed, src.pos));
                    self.state = GzState::In(Box::new(GzDecoder::new(src)));
                }
                GzState::In(mut dec) => {
                    let n = dec.read(buf)?;
                    if n == 0 {
                        self.state = GzState::Between(dec.into_inner());
                        continue;
                    }
                    self.decompressed += n as u64;
                    self.state = GzState::In(dec);
                    return Ok(n);
                }
                GzState::Done => {
                    self.state = GzState::Done;
                    return Ok(0);
                }
                GzState::Failed => {
                    return Err(io::Error::other("gzip stream already failed"));
                }
            }
        }
    }
}

/// The byte source under the record parser.
enum Inner {
    Plain(Box<dyn Read + Send>),
    Gz(GzMembers),
}

impl Read for Inner {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Inner::Plain(r) => r.read(buf),
            Inner::Gz(g) => g.read(buf),
        }
    }
}

impl Inner {
    /// Offset in the file of the data at decompressed position `pos`: the
    /// position itself, or for gzip the start of the member holding it.
    fn offset_of(&mut self, pos: u64) -> u64 {
        match self {
            Inner::Plain(_) => pos,
            Inner::Gz(g) => {
                while g.starts.len() >= 2 && g.starts[1].0 <= pos {
                    g.starts.pop_front();
                }
                g.starts.front().map_or(0, |s| s.1)
            }
        }
    }
}

/// Streams documents out of a WARC archive.
pub(crate) struct WarcIter {
    label: String,
    gz: bool,
    r: Counted<BufReader<Inner>>,
    index: u64,
    done: bool,
    max_bytes: u64,
    forced: Option<&'static Encoding>,
}

/// A parsed header block: (lower-cased name, value) pairs.
struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Parses `Name: value` lines, joining continuation lines.
    fn parse<'a>(lines: impl Iterator<Item = &'a [u8]>) -> Headers {
        let mut out: Vec<(String, String)> = Vec::new();
        for line in lines {
            let line = String::from_utf8_lossy(line);
            if line.starts_with([' ', '\t']) {
                if let Some(last) = out.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        Headers(out)
    }
}

fn strip_newline(mut line: &[u8]) -> &[u8] {
    if let Some(l) = line.strip_suffix(b"\n") {
        line = l;
    }
    line.strip_suffix(b"\r").unwrap_or(line)
}

impl WarcIter {
    pub(crate) fn new(
        label: String,
        reader: Box<dyn Read + Send>,
        gz: bool,
        max_bytes: u64,
        forced: Option<&'static Encoding>,
    ) -> Self {
        let inner = if gz {
            let src = Counted {
                inner: BufReader::with_capacity(64 * 1024, reader),
                pos: 0,
            };
            Inner::Gz(GzMembers {
                state: GzState::Between(src),
                decompressed: 0,
                starts: VecDeque::new(),
            })
        } else {
            Inner::Plain(reader)
        };
        WarcIter {
            label,
            gz,
            r: Counted {
                inner: BufReader::with_capacity(64 * 1024, inner),
                pos: 0,
            },
            index: 0,
            done: false,
            max_bytes,
            forced,
        }
    }

    /// Skips CR/LF between records; false at the end of the stream.
    fn skip_blank(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let n = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let rest = n < buf.len();
            self.r.consume(n);
            if rest {
                return Ok(true);
            }
        }
    }

    /// Reads one line (with its newline); `None` at end of stream.
    fn read_line(&mut self) -> Result<Option<Vec<u8>>, String> {
        let mut line = Vec::new();
        let n = (&mut self.r)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(None);
        }
        if line.len() > MAX_LINE {
            return Err(format!("header line longer than {MAX_LINE} bytes"));
        }
        if !line.ends_with(b"\n") {
            return Err("unexpected end of data in a header".to_string());
        }
        Ok(Some(line))
    }

    /// Reads and skips `len` bytes; Err on a short read.
    fn skip(&mut self, len: u64) -> Result<(), String> {
        let n =
            io::copy(&mut (&mut self.r).take(len), &mut io::sink()).map_err(|e| e.to_string())?;
        if n < len {
            return Err(format!(
                "unexpected end of data: record block has {n} of {len} bytes"
            ));
        }
        Ok(())
    }

    /// Next item: `Ok(None)` at the end, `Err(message)` for damage.
    fn next_item(
        &mut self,
    ) -> Result<Option<Result<RawDocument, IngestError>>, (u64, u64, String)> {
        loop {
            let index = self.index;
            let more = self
                .skip_blank()
                .map_err(|e| (index, self.r.pos, e.to_string()))?;
            if !more {
                return Ok(None);
            }
            let start = self.r.pos;
            let offset = self.r.inner.get_mut().offset_of(start);
            let damage = |m: String| (index, offset, m);
            self.index += 1;

            let first = self.read_line().map_err(damage)?.unwrap_or_default();
            if !first.starts_with(b"WARC/") {
                return Err(damage(
                    "expected a WARC record header (\"WARC/1.x\")".to_string(),
                ));
            }
            let mut lines = Vec::new();
            let mut header_bytes = first.len();
            loop {
                let line = self.read_line().map_err(damage)?.ok_or_else(|| {
                    damage("unexpected end of data in a record header".to_string())
                })?;
                header_bytes += line.len();
                if header_bytes > MAX_HEADER {
                    return Err(damage(format!(
                        "record header longer than {MAX_HEADER} bytes"
                    )));
                }
                let line = strip_newline(&line).to_vec();
                if line.is_empty() {
                    break;
                }
                lines.push(line);
            }
            let headers = Headers::parse(lines.iter().map(|l| l.as_slice()));
            let len: u64 = headers
                .get("content-length")
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| damage("record header has no valid Content-Length".to_string()))?;
            let wtype = headers.get("warc-type").unwrap_or("").to_ascii_lowercase();
            let input = format!("{}#{}", self.label, index);

            if wtype != "response" && wtype != "resource" {
                tracing::debug!(input = %input, warc_type = %wtype, "skipping WARC record");
                self.skip(len).map_err(damage)?;
                continue;
            }
            let cap = self.max_bytes.saturating_add(HEADROOM);
            if len > cap {
                // Too big to buffer: look at the HTTP head, skip the rest.
                let mut head = Vec::new();
                (&mut self.r)
                    .take(64 * 1024)
                    .read_to_end(&mut head)
                    .map_err(|e| damage(e.to_string()))?;
                self.skip(len - head.len() as u64).map_err(damage)?;
                let html = match wtype.as_str() {
                    "response" => parse_http(&head).is_some_and(|(_, h, _)| {
                        h.get("content-type")
                            .is_some_and(|c| ContentType::parse(c).is_html())
                    }),
                    _ => headers
                        .get("content-type")
                        .is_some_and(|c| ContentType::parse(c).is_html()),
                };
                if html {
                    return Ok(Some(Err(IngestError::TooLarge {
                        input,
                        size: Some(len),
                        limit: self.max_bytes,
                    })));
                }
                tracing::debug!(input = %input, "skipping large non-HTML WARC record");
                continue;
            }
            let mut block = Vec::with_capacity(len as usize);
            (&mut self.r)
                .take(len)
                .read_to_end(&mut block)
                .map_err(|e| damage(e.to_string()))?;
            if (block.len() as u64) < len {
                return Err(damage(format!(
                    "unexpected end of data: record block has {} of {len} bytes",
                    block.len()
                )));
            }
            match self.document(&input, &wtype, &headers, &block) {
                Ok(Some(doc)) => return Ok(Some(Ok(doc))),
                Ok(None) => continue,
                Err(e) => return Ok(Some(Err(e))),
            }
        }
    }

    /// Turns a buffered record into a document, or `None` if it is not HTML.
    fn document(
        &self,
        input: &str,
        wtype: &str,
        headers: &Headers,
        block: &[u8],
    ) -> Result<Option<RawDocument>, IngestError> {
        let bad = |message: String| IngestError::BadRecord {
            input: input.to_string(),
            message,
        };
        let record_ct = headers.get("content-type").map(ContentType::parse);
        let mut warnings = Vec::new();
        let (format, charset, body): (Option<Format>, Option<String>, Vec<u8>) = if wtype
            == "response"
        {
            if let Some(ct) = &record_ct
                && ct.mime != "application/http"
            {
                tracing::debug!(input, mime = %ct.mime, "skipping non-HTTP response record");
                return Ok(None);
            }
            let Some((status, http, body_start)) = parse_http(block) else {
                return Err(bad("malformed HTTP response in WARC record".to_string()));
            };
            if !(200..300).contains(&status) {
                tracing::debug!(input, status, "skipping non-2xx response record");
                return Ok(None);
            }
            let ct = http.get("content-type").map(ContentType::parse);
            let format = match &ct {
                Some(ct) if ct.is_html() => Some(Format::Html),
                Some(ct) => {
                    tracing::debug!(input, mime = %ct.mime, "skipping non-HTML response record");
                    return Ok(None);
                }
                None => None,
            };
            let mut body = block[body_start..].to_vec();
            let te = http
                .get("transfer-encoding")
                .unwrap_or("")
                .to_ascii_lowercase();
            if te.contains("chunked") {
                match dechunk(&body) {
                    Some((data, complete)) => {
                        if !complete {
                            warnings.push("chunked payload ends early".to_string());
                        }
                        body = data;
                    }
                    None => warnings.push(
                        "Transfer-Encoding: chunked, but the payload is not chunked; used as stored".to_string(),
                    ),
                }
            }
            let ce = http
                .get("content-encoding")
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match ce.as_str() {
                "" | "identity" => {}
                "gzip" | "x-gzip" | "deflate" => {
                    if ce != "deflate" && !body.starts_with(b"\x1f\x8b") {
                        warnings.push(format!(
                            "Content-Encoding: {ce}, but the payload is not compressed; used as stored"
                        ));
                    } else {
                        body = decompress(&ce, &body, self.max_bytes)
                            .map_err(|e| bad(format!("cannot decompress {ce} payload: {e}")))?;
                    }
                }
                other => return Err(bad(format!("unsupported Content-Encoding \"{other}\""))),
            }
            (format, ct.and_then(|c| c.charset), body)
        } else {
            match &record_ct {
                Some(ct) if ct.is_html() => {
                    (Some(Format::Html), ct.charset.clone(), block.to_vec())
                }
                _ => {
                    tracing::debug!(input, "skipping non-HTML resource record");
                    return Ok(None);
                }
            }
        };
        if body.len() as u64 > self.max_bytes {
            return Err(IngestError::TooLarge {
                input: input.to_string(),
                size: Some(body.len() as u64),
                limit: self.max_bytes,
            });
        }
        let decoded = decode_document(input, &body, format, charset.as_deref(), self.forced)?;
        if decoded.format != Format::Html {
            tracing::debug!(input, "skipping response record without HTML");
            return Ok(None);
        }
        if let Some(reason) = headers.get("warc-truncated") {
            warnings.push(format!("record was truncated by the crawler ({reason})"));
        }
        warnings.extend(decoded.warnings);
        let url = headers
            .get("warc-target-uri")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string());
        Ok(Some(RawDocument {
            input: input.to_string(),
            id: headers.get("warc-record-id").map(str::to_string),
            url,
            format: Format::Html,
            text: decoded.text,
            charset: decoded.charset.name().to_string(),
            charset_source: decoded.source,
            warnings,
            meta: crate::RecordMeta::default(),
        }))
    }
}

impl Iterator for WarcIter {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_item() {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            Err((index, offset, problem)) => {
                self.done = true;
                let what = if self.gz {
                    "compressed byte offset"
                } else {
                    "byte offset"
                };
                Some(Err(IngestError::Damaged {
                    input: self.label.clone(),
                    message: format!("record {index} ({what} {offset}): {problem}"),
                }))
            }
        }
    }
}

/// Splits an HTTP response into (status, headers, body start).
fn parse_http(block: &[u8]) -> Option<(u16, Headers, usize)> {
    let (head_end, body_start) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => {
            let i = find(block, b"\n\n")?;
            (i, i + 2)
        }
    };
    let head = &block[..head_end];
    let mut lines = head.split(|&b| b == b'\n').map(strip_newline);
    let status_line = String::from_utf8_lossy(lines.next()?);
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    Some((status, Headers::parse(lines), body_start))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a chunked body: `None` if it does not look chunked, else the data
/// and whether the terminating chunk was seen.
fn dechunk(mut data: &[u8]) -> Option<(Vec<u8>, bool)> {
    let mut out = Vec::with_capacity(data.len());
    let mut first = true;
    loop {
        let Some(nl) = data.iter().position(|&b| b == b'\n') else {
            return if first { None } else { Some((out, false)) };
        };
        let line = String::from_utf8_lossy(strip_newline(&data[..=nl]));
        let size_str = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_str, 16) else {
            return if first { None } else { Some((out, false)) };
        };
        first = false;
        data = &data[nl + 1..];
        if size == 0 {
            return Some((out, true));
        }
        if data.len() < size {
            out.extend_from_slice(data);
            return Some((out, false));
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size..];
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))
            .unwrap_or(data);
    }
}

/// Decompresses a gzip or deflate payload, refusing more than `max` bytes.
fn decompress(kind: &str, data: &[u8], max: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let limit = max.saturating_add(1);
    if kind == "deflate" {
        // "deflate" is zlib-wrapped per the RFC, raw deflate in practice too.
        let zlib = flate2::read::ZlibDecoder::new(data)
            .take(limit)
            .read_to_end(&mut out);
        if zlib.is_err() {
            out.clear();
            flate2::read::DeflateDecoder::new(data)
                .take(limit)
                .read_to_end(&mut out)?;
        }
    } else {
        flate2::read::MultiGzDecoder::new(data)
            .take(limit)
            .read_to_end(&mut out)?;
    }
    Ok(out)
}
