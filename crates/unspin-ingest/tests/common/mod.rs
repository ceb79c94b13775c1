//! Helpers shared by the integration tests. All fixtures are generated here.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use unspin_ingest::{IngestError, IngestOptions, RawDocument, Source, read};

/// Russian news-style prose written for these tests.
pub const RUSSIAN: &str = "Правительство объявило о новых мерах поддержки экономики. \
Эксперты считают, что эти шаги помогут малому бизнесу пережить трудные времена. \
Однако критики утверждают, что деньги снова получат только крупные компании, \
а простые граждане ничего не заметят.";

/// English news-style prose written for these tests.
pub const ENGLISH: &str = "The city council voted on Tuesday to expand the bus network. \
Supporters said the plan would cut commuting times, while opponents warned about the cost.";

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

/// Reads every item of a file source with the given options.
pub fn read_path(path: &Path, opts: &IngestOptions) -> Vec<Result<RawDocument, IngestError>> {
    read(&Source::File(path.to_path_buf()), opts).collect()
}

/// Reads a file that must yield exactly one document.
pub fn one_doc(path: &Path) -> RawDocument {
    let mut items = read_path(path, &IngestOptions::default());
    assert_eq!(items.len(), 1, "expected one item from {}", path.display());
    items
        .remove(0)
        .unwrap_or_else(|e| panic!("unexpected error: {e}"))
}

/// Reads a file that must yield exactly one error.
pub fn one_err(path: &Path, opts: &IngestOptions) -> IngestError {
    let mut items = read_path(path, opts);
    assert_eq!(items.len(), 1, "expected one item from {}", path.display());
    match items.remove(0) {
        Ok(doc) => panic!("expected an error, got a document: {doc:?}"),
        Err(e) => e,
    }
}

/// Encodes `s` as UTF-16LE with a BOM.
pub fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Encodes `s` as UTF-16BE with a BOM.
pub fn utf16be_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}

/// Encodes with an encoding_rs encoder (no replacement expected).
pub fn encode(enc: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(s);
    assert!(!unmappable, "test text not representable in {}", enc.name());
    bytes.into_owned()
}
