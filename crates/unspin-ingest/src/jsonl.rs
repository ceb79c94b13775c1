//! JSON Lines dumps: one `{"id", "text" | "html", "url"?}` object per line, optionally with
//! the article's metadata (`title`, `site` or `outlet`, `published` or `date`, `authors`,
//! `language`).

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use crate::{CharsetSource, Format, IngestError, RawDocument, RecordMeta};

/// Streams documents from a JSONL reader, one line at a time.
pub(crate) struct JsonlIter {
    label: String,
    reader: BufReader<Box<dyn Read + Send>>,
    line_no: u64,
    /// Longest line accepted, in bytes (the per-document size limit).
    max_line: u64,
    done: bool,
}

/// Outcome of reading one line with a length cap.
enum Line {
    Eof,
    Ok(Vec<u8>),
    TooLong(u64),
}

impl JsonlIter {
    pub(crate) fn new(label: String, reader: Box<dyn Read + Send>, max_bytes: u64) -> Self {
        JsonlIter {
            label,
            reader: BufReader::with_capacity(64 * 1024, reader),
            line_no: 0,
            max_line: max_bytes,
            done: false,
        }
    }

    /// Reads up to the next `\n`, keeping at most `max_line` bytes in memory.
    fn read_line(&mut self) -> std::io::Result<Line> {
        let mut line = Vec::new();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], Some(i)),
                None => (buf, None),
            };
            total += chunk.len() as u64;
            if total <= self.max_line {
                line.extend_from_slice(chunk);
            }
            let used = found.map_or(chunk.len(), |i| i + 1);
            self.reader.consume(used);
            if found.is_some() {
                break;
            }
        }
        if !any {
            Ok(Line::Eof)
        } else if total > self.max_line {
            Ok(Line::TooLong(total))
        } else {
            Ok(Line::Ok(line))
        }
    }
}

/// Turns one JSONL record (a JSON object, `{"id", "text" | "html", "url"?, …}`) into a
/// document exactly as a line of a dump is read; `input` names it in the document and in
/// errors (`dump.jsonl:17`).
pub fn parse_record(input: &str, line: &[u8]) -> Result<RawDocument, IngestError> {
    let bad = |message: String| IngestError::BadRecord {
        input: input.to_string(),
        message,
    };
    let value: Value =
        serde_json::from_slice(line).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(bad("not a JSON object".to_string()));
    };
    let id = match map.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(bad("\"id\" must be a string or a number".to_string())),
    };
    let url = match map.get("url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(bad("\"url\" must be a string".to_string())),
    };
    let field = |key: &str| -> Result<Option<&String>, IngestError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(format!("\"{key}\" must be a string"))),
        }
    };
    let mut warnings = Vec::new();
    let (format, text) = match (field("text")?, field("html")?) {
        (Some(t), html) => {
            if html.is_some() {
                warnings.push("has both \"text\" and \"html\"; used \"text\"".to_string());
            }
            (Format::Text, t)
        }
        (None, Some(h)) => (Format::Html, h),
        (None, None) => return Err(bad("no \"text\" or \"html\" field".to_string())),
    };
    if text.trim().is_empty() {
        let key = if format == Format::Text {
            "text"
        } else {
            "html"
        };
        return Err(bad(format!("\"{key}\" is empty")));
    }
    // Optional metadata, under the names dumps commonly use.
    let either = |a: &str, b: &str| -> Result<Option<String>, IngestError> {
        Ok(field(a)?
            .or(field(b)?)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()))
    };
    let authors_key = ["authors", "author"]
        .into_iter()
        .find(|k| map.get(*k).is_some_and(|v| !v.is_null()));
    let authors = match authors_key.map(|k| (k, &map[k])) {
        None => Vec::new(),
        Some((_, Value::String(s))) => vec![s.trim().to_owned()],
        Some((k, Value::Array(items))) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| s.trim().to_owned())
                    .ok_or_else(|| bad(format!("\"{k}\" must be a string or a list of strings")))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some((k, _)) => {
            return Err(bad(format!(
                "\"{k}\" must be a string or a list of strings"
            )));
        }
    };
    let meta = RecordMeta {
        title: either("title", "headline")?,
        site: either("site", "outlet")?,
        published: either("published", "date")?,
        authors: authors.into_iter().filter(|a| !a.is_empty()).collect(),
        language: either("language", "lang")?,
    };
    Ok(RawDocument {
        input: input.to_string(),
        id,
        url,
        format,
        text: text.clone(),
        charset: "UTF-8".to_string(),
        charset_source: CharsetSource::Declared,
        warnings,
        meta,
    })
}

impl Iterator for JsonlIter {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let line = match self.read_line() {
                Ok(l) => l,
                Err(e) => {
                    self.done = true;
                    return Some(Err(IngestError::Io {
                        input: format!("{}:{}", self.label, self.line_no + 1),
                        message: format!("read error: {e}"),
                    }));
                }
            };
            self.line_no += 1;
            let input = format!("{}:{}", self.label, self.line_no);
            match line {
                Line::Eof => self.done = true,
                Line::TooLong(n) => {
                    return Some(Err(IngestError::TooLarge {
                        input,
                        size: Some(n),
                        limit: self.max_line,
                    }));
                }
                Line::Ok(mut bytes) => {
                    if self.line_no == 1 && bytes.starts_with(b"\xef\xbb\xbf") {
                        bytes.drain(..3);
                    }
                    if bytes.trim_ascii().is_empty() {
                        continue;
                    }
                    return Some(parse_record(&input, &bytes));
                }
            }
        }
        None
    }
}
