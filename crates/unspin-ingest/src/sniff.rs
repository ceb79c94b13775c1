//! Content sniffing: container kind (WARC, JSONL), HTML vs text, and the
//! HTML `<meta>` charset prescan.

use std::io::Read;

use encoding_rs::Encoding;

use crate::decode::encoding_for_label;

/// What a byte stream holds, judged from its first bytes (and file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// An uncompressed WARC file.
    Warc,
    /// A gzip-compressed WARC file (one member per record, or any split).
    WarcGz,
    /// JSON Lines.
    Jsonl,
    /// A single document (text or HTML) or something to reject.
    Single,
}

/// Decides the container kind from the head of the stream and the lower-cased
/// file name (if any).
pub(crate) fn sniff_container(head: &[u8], name: Option<&str>) -> Container {
    if head.starts_with(b"WARC/1.") {
        return Container::Warc;
    }
    if head.starts_with(b"\x1f\x8b") {
        let mut start = Vec::new();
        let _ = flate2::read::GzDecoder::new(head)
            .take(5)
            .read_to_end(&mut start);
        if start.starts_with(b"WARC/") {
            return Container::WarcGz;
        }
        return Container::Single;
    }
    let jsonl_ext = name.is_some_and(|n| n.ends_with(".jsonl") || n.ends_with(".ndjson"));
    if jsonl_ext || first_line_is_jsonl(head) {
        return Container::Jsonl;
    }
    Container::Single
}

/// True if the first non-blank line is a JSON object with a "text" or "html" key.
fn first_line_is_jsonl(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut rest = head;
    loop {
        let (line, next, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, &rest[rest.len()..], false),
        };
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            if !complete {
                return false;
            }
            rest = next;
            continue;
        }
        if trimmed[0] != b'{' {
            return false;
        }
        if complete || head.len() < crate::decode::SNIFF_LEN {
            return match serde_json::from_slice::<serde_json::Value>(trimmed) {
                Ok(serde_json::Value::Object(map)) => {
                    map.contains_key("text") || map.contains_key("html")
                }
                _ => false,
            };
        }
        // A first line longer than the sniff window: look for the key.
        let s = String::from_utf8_lossy(trimmed);
        return s.contains("\"text\"") || s.contains("\"html\"");
    }
}

/// Tags whose presence suggests HTML markup.
const HTML_TAGS: &[&str] = &[
    "a",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "span",
    "strong",
    "style",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// Decides whether the start of a document is HTML.
///
/// After an optional BOM, whitespace, comments and an XML declaration, a
/// `<!doctype html`, `<html`, `<head` or `<body` means HTML. Otherwise the
/// head must contain several common tags: at least 2 when the text starts
/// with `<`, at least 6 anywhere.
pub(crate) fn looks_like_html(head: &str) -> bool {
    let mut s = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    loop {
        if let Some(rest) = s.strip_prefix("<!--") {
            match rest.find("-->") {
                Some(i) => s = rest[i + 3..].trim_start(),
                None => return false,
            }
        } else if s.starts_with("<?xml") {
            match s.find("?>") {
                Some(i) => s = s[i + 2..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let lower: String = s.chars().take(16).collect::<String>().to_ascii_lowercase();
    for start in ["<!doctype html", "<html", "<head", "<body"] {
        if let Some(rest) = lower.strip_prefix(start) {
            let next = rest.chars().next();
            if next.is_none_or(|c| !c.is_ascii_alphanumeric() || start == "<!doctype html") {
                return true;
            }
        }
    }
    let tags = count_tags(s);
    (s.starts_with('<') && tags >= 2) || tags >= 6
}

/// Counts opening or closing tags from [`HTML_TAGS`].
fn count_tags(s: &str) -> usize {
    let b = s.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let mut j = i + off + 1;
        if b.get(j) == Some(&b'/') {
            j += 1;
        }
        let start = j;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let end_ok = matches!(b.get(j), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'));
        if j > start && end_ok {
            let name = s[start..j].to_ascii_lowercase();
            if HTML_TAGS.binary_search(&name.as_str()).is_ok() {
                count += 1;
            }
        }
        i = j.max(i + off + 1);
    }
    count
}

/// The HTML standard's "prescan a byte stream to determine its encoding",
/// over the first 1024 bytes.
pub(crate) fn meta_prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |p| p + 3);
        } else if b[i] == b'<'
            && b.len() > i + 5
            && b[i + 1..i + 5].eq_ignore_ascii_case(b"meta")
            && matches!(b[i + 5], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/')
        {
            i += 5;
            let mut got_pragma = false;
            let mut need_pragma: Option<bool> = None;
            let mut charset: Option<&'static Encoding> = None;
            let mut seen = Vec::<Vec<u8>>::new();
            while let Some((name, value, next)) = get_attribute(b, i) {
                i = next;
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                match name.as_slice() {
                    b"http-equiv" if value == b"content-type" => got_pragma = true,
                    b"content" => {
                        if charset.is_none()
                            && let Some(label) = charset_from_content(&value)
                            && let Some(enc) = encoding_for_label(&label)
                        {
                            charset = Some(enc);
                            need_pragma = Some(true);
                        }
                    }
                    b"charset" => {
                        if let Some(enc) = encoding_for_label(&String::from_utf8_lossy(&value)) {
                            charset = Some(enc);
                            need_pragma = Some(false);
                        }
                    }
                    _ => {}
                }
            }
            match need_pragma {
                Some(true) if !got_pragma => {}
                Some(_) if charset.is_some() => return charset,
                _ => {}
            }
        } else if b[i] == b'<'
            && (b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                || (b.get(i + 1) == Some(&b'/')
                    && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Skip the tag name, then its attributes.
            i += 1;
            while i < b.len() && !matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>') {
                i += 1;
            }
            while let Some((_, _, next)) = get_attribute(b, i) {
                i = next;
            }
            i += 1;
        } else if b[i..].starts_with(b"<!")
            || b[i..].starts_with(b"</")
            || b[i..].starts_with(b"<?")
        {
            i = find(b, i, b">").map_or(b.len(), |p| p + 1);
        } else {
            i += 1;
        }
    }
    None
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The prescan's "get an attribute": returns (lowercased name, lowercased
/// value, next position), or `None` at `>` or the end of the input.
fn get_attribute(b: &[u8], mut i: usize) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    while i < b.len() && (is_ws(b[i]) || b[i] == b'/') {
        i += 1;
    }
    if i >= b.len() || b[i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    loop {
        if i >= b.len() {
            return None;
        }
        let c = b[i];
        if c == b'=' && !name.is_empty() {
            i += 1;
            break;
        }
        if is_ws(c) {
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if i < b.len() && b[i] == b'=' {
                i += 1;
                break;
            }
            return Some((name, Vec::new(), i));
        }
        if c == b'/' || c == b'>' {
            return Some((name, Vec::new(), i));
        }
        name.push(c.to_ascii_lowercase());
        i += 1;
    }
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let mut value = Vec::new();
    if b[i] == b'"' || b[i] == b'\'' {
        let q = b[i];
        i += 1;
        while i < b.len() && b[i] != q {
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        return Some((name, value, i + 1));
    }
    if b[i] == b'>' {
        return Some((name, value, i));
    }
    while i < b.len() && !is_ws(b[i]) && b[i] != b'>' {
        value.push(b[i].to_ascii_lowercase());
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    Some((name, value, i))
}

/// "Extract a character encoding from a meta element" (the `content` value).
fn charset_from_content(content: &[u8]) -> Option<String> {
    let mut i = 0;
    loop {
        let p = find(content, i, b"charset")?;
        let mut j = p + 7;
        while j < content.len() && is_ws(content[j]) {
            j += 1;
        }
        if content.get(j) != Some(&b'=') {
            i = j;
            continue;
        }
        j += 1;
        while j < content.len() && is_ws(content[j]) {
            j += 1;
        }
        let rest = &content[j..];
        let value = match rest.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let end = rest[1..].iter().position(|&c| c == q)?;
                &rest[1..1 + end]
            }
            Some(_) => {
                let end = rest
                    .iter()
                    .position(|&c| is_ws(c) || c == b';')
                    .unwrap_or(rest.len());
                &rest[..end]
            }
            None => return None,
        };
        return Some(String::from_utf8_lossy(value).into_owned());
    }
}

/// A parsed `Content-Type` header value.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContentType {
    /// Lower-cased `type/subtype`.
    pub mime: String,
    /// The `charset` parameter, if any.
    pub charset: Option<String>,
}

impl ContentType {
    /// Parses `text/html; charset="windows-1251"`.
    pub(crate) fn parse(value: &str) -> ContentType {
        let mut parts = value.split(';');
        let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut charset = None;
        for p in parts {
            if let Some((k, v)) = p.split_once('=')
                && k.trim().eq_ignore_ascii_case("charset")
            {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
                if !v.is_empty() {
                    charset = Some(v.to_string());
                }
            }
        }
        ContentType { mime, charset }
    }

    /// `text/html` or `application/xhtml+xml`.
    pub(crate) fn is_html(&self) -> bool {
        self.mime == "text/html" || self.mime == "application/xhtml+xml"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_table_sorted() {
        let mut sorted = HTML_TAGS.to_vec();
        sorted.sort();
        assert_eq!(sorted, HTML_TAGS);
    }

    #[test]
    fn prescan() {
        let enc = meta_prescan(
            b"<!-- <meta charset=koi8-r> --><html><head><meta charset=\"windows-1251\">",
        );
        assert_eq!(enc.unwrap().name(), "windows-1251");
        let enc = meta_prescan(
            b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=KOI8-R'>",
        );
        assert_eq!(enc.unwrap().name(), "KOI8-R");
        // content without the pragma is ignored
        assert!(meta_prescan(b"<meta content='text/html; charset=KOI8-R'>").is_none());
        assert!(meta_prescan(b"<p>no meta here</p>").is_none());
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=koi8-r>");
        assert!(meta_prescan(&late).is_none());
    }

    #[test]
    fn html_sniff() {
        assert!(looks_like_html("\u{feff}  <!-- x --> <!DOCTYPE html><p>"));
        assert!(looks_like_html("<HTML lang=en>"));
        assert!(looks_like_html("<p>One</p>\n<p>Two</p>"));
        assert!(!looks_like_html("Plain prose about <p> tags."));
        assert!(!looks_like_html("<htmlish> is not a tag we know"));
        assert!(!looks_like_html(
            "# Title\n\nSome *markdown* text with a <br> break."
        ));
    }

    #[test]
    fn content_type() {
        let ct = ContentType::parse("Text/HTML; Charset=\"Windows-1251\"");
        assert_eq!(ct.mime, "text/html");
        assert_eq!(ct.charset.as_deref(), Some("Windows-1251"));
        assert!(ct.is_html());
    }
}
