//! Charset determination, decoding and the text/binary checks.

use encoding_rs::{
    Encoding, KOI8_R, KOI8_U, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED,
};

/// Byte values that KOI8-U maps to Ukrainian letters and KOI8-R to box drawing.
const KOI8_U_ONLY: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];

use crate::sniff::{looks_like_html, meta_prescan};
use crate::{CharsetSource, Format, IngestError};

/// How many leading bytes the content sniffers look at.
pub(crate) const SNIFF_LEN: usize = 8192;

/// A decoded document body.
pub(crate) struct Decoded {
    pub format: Format,
    pub text: String,
    pub charset: &'static Encoding,
    pub source: CharsetSource,
    pub warnings: Vec<String>,
}

/// Resolves a user or HTTP charset label (WHATWG labels, case-insensitive).
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label(label.as_bytes())
}

/// Recognises common binary formats by their magic numbers.
pub(crate) fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (
            b"\x1f\x8b",
            "gzip-compressed data that is not a WARC archive",
        ),
        (b"BZh", "bzip2-compressed data"),
        (b"\xfd7zXZ\x00", "xz-compressed data"),
        (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
        (b"\x7fELF", "ELF executable"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

/// Guesses BOM-less UTF-16 from the pattern of NUL bytes: text in Latin or
/// Cyrillic script has a zero (or constant) high byte in every other position.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // At least 10% zero high bytes (ASCII spaces and punctuation suffice for
    // Cyrillic), and no zero low bytes at all.
    if odd * 10 >= pairs && even == 0 {
        Some(UTF_16LE)
    } else if even * 10 >= pairs && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

/// Decodes one document.
///
/// `format` is `Some` when the container already says what the content is
/// (an HTTP `text/html` type); otherwise the content is sniffed.
/// Charset order: forced → BOM → HTTP header → (HTML) `<meta>` prescan →
/// BOM-less UTF-16 → valid UTF-8 → chardetng.
pub(crate) fn decode_document(
    input: &str,
    bytes: &[u8],
    format: Option<Format>,
    http_charset: Option<&str>,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty {
            input: input.to_string(),
            whitespace_only: false,
        });
    }
    if let Some(what) = binary_magic(bytes) {
        return Err(IngestError::Binary {
            input: input.to_string(),
            what: what.to_string(),
        });
    }
    let mut warnings = Vec::new();

    // Charsets that do not depend on the format.
    let mut chosen: Option<(&'static Encoding, CharsetSource)> = None;
    if let Some(enc) = forced {
        chosen = Some((enc, CharsetSource::Forced));
    } else if let Some((enc, _)) = Encoding::for_bom(bytes) {
        // The HTML standard lets a BOM win over the transport layer too.
        chosen = Some((enc, CharsetSource::Bom));
    } else if let Some(label) = http_charset {
        match encoding_for_label(label) {
            Some(enc) => chosen = Some((enc, CharsetSource::HttpHeader)),
            None => warnings.push(format!(
                "unknown charset \"{label}\" in Content-Type header; ignored"
            )),
        }
    }
    if chosen.is_none()
        && let Some(enc) = bomless_utf16(bytes)
    {
        warnings.push(format!(
            "no byte order mark; decoded as {} (detected)",
            enc.name()
        ));
        chosen = Some((enc, CharsetSource::Detected));
    }

    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let format = match format {
        Some(f) => f,
        None => {
            let head_text = match chosen {
                Some((enc, _)) if is_utf16(enc) => enc.decode_without_bom_handling(head).0,
                _ => String::from_utf8_lossy(head),
            };
            if looks_like_html(&head_text) {
                Format::Html
            } else {
                Format::Text
            }
        }
    };

    if chosen.is_none()
        && format == Format::Html
        && let Some(enc) = meta_prescan(bytes)
    {
        // As the HTML standard requires: a meta claiming UTF-16 in an
        // ASCII-compatible byte stream means UTF-8; x-user-defined means
        // windows-1252.
        let enc = if is_utf16(enc) {
            UTF_8
        } else if enc == X_USER_DEFINED {
            WINDOWS_1252
        } else {
            enc
        };
        chosen = Some((enc, CharsetSource::Meta));
    }

    let utf16 = chosen.is_some_and(|(enc, _)| is_utf16(enc));
    if !utf16 {
        let nul_in_head = head.contains(&0);
        let nuls = if nul_in_head {
            1
        } else {
            bytes.iter().filter(|&&b| b == 0).count()
        };
        if nul_in_head || nuls * 1000 > bytes.len() {
            return Err(IngestError::Binary {
                input: input.to_string(),
                what: "contains NUL bytes".to_string(),
            });
        } else if nuls > 0 {
            warnings.push(format!("{nuls} stray NUL byte(s) kept in the text"));
        }
    }

    let (enc, source) = match chosen {
        Some(c) => c,
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, CharsetSource::Utf8Valid),
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let mut enc = det.guess(None, chardetng::Utf8Detection::Deny);
            // chardetng answers KOI8-U for all KOI8 text. KOI8-U differs from
            // KOI8-R only in eight byte values (Ukrainian letters instead of
            // box drawing); without them the two decode identically, and the
            // text is far more likely Russian KOI8-R.
            if enc == KOI8_U && !bytes.iter().any(|b| KOI8_U_ONLY.contains(b)) {
                enc = KOI8_R;
            }
            warnings.push(format!("not UTF-8; decoded as {} (detected)", enc.name()));
            (enc, CharsetSource::Detected)
        }
    };

    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let text = text.into_owned();

    // Share of control characters and replacement characters.
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut replaced = 0usize;
    for c in text.chars() {
        total += 1;
        let control =
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}');
        if control {
            bad += 1;
        } else if had_errors && c == '\u{fffd}' {
            bad += 1;
            replaced += 1;
        }
    }
    if bad * 10 > total {
        return Err(IngestError::Binary {
            input: input.to_string(),
            what: "mostly control or undecodable bytes".to_string(),
        });
    }
    if had_errors {
        warnings.push(format!(
            "{replaced} malformed byte sequence(s) for {} replaced with U+FFFD",
            enc.name()
        ));
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(IngestError::Empty {
            input: input.to_string(),
            whitespace_only: true,
        });
    }
    Ok(Decoded {
        format,
        text,
        charset: enc,
        source,
        warnings,
    })
}
