//! The versioned model file that every trained analyser is saved in and loaded from.
//!
//! Layout: the magic line `UNSPIN-MODEL\n`, one line of JSON (the [`ModelHeader`]: format
//! version, kind, training-data hash, seed, command, cross-validated figures and the payload's
//! SHA-256), then the payload: the model's parameters serialised with `postcard` and
//! compressed with deflate. The header is readable with `head -2`; the payload is checked
//! against its hash before it is decoded, so a damaged file is reported, never half-loaded.
//! Nothing in the file depends on the time it was written: the same data, seed and command
//! give the same bytes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::pipeline::hex_sha256;

/// First line of every model file.
pub const MAGIC: &[u8] = b"UNSPIN-MODEL\n";

/// Version of the file layout and payload encoding this build reads and writes.
pub const FORMAT_VERSION: u32 = 3;

/// Where a model's training data came from, so that a model can be traced to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFingerprint {
    /// The data folder as given on the command line.
    pub path: String,
    /// SHA-256 over the data files (names and contents, in sorted order).
    pub sha256: String,
    /// Number of articles.
    pub articles: usize,
    /// Number of labelled spans.
    pub spans: usize,
}

/// A file other than the training data that a model was built from (for example the
/// word classes), so that the model can be traced to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceFingerprint {
    /// What it is, e.g. `word-classes`.
    pub name: String,
    /// The file as given or found.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// SHA-256 of `bytes` as lower-case hex (the fingerprints' hash).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex_sha256(bytes)
}

/// Folders searched for shipped model files, in order: `$UNSPIN_MODELS/`, `models/` beside
/// the executable, `../share/unspin/models/` from the executable, and the `models/` folder
/// of the source tree this binary was built from.
pub fn model_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("UNSPIN_MODELS") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("models"));
        dirs.push(exe_dir.join("../share/unspin/models"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    dirs
}

/// The header of a model file (its second line, JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelHeader {
    /// Layout version ([`FORMAT_VERSION`] when written by this build).
    pub format_version: u32,
    /// What the model is for, e.g. `techniques`.
    pub kind: String,
    /// Model name and version shown in provenance, e.g. `techniques-ptc 1`.
    pub name: String,
    /// Model version (bumped when features or training change).
    pub version: String,
    /// The unspin version that wrote it.
    pub created_by: String,
    /// The training data.
    pub training_data: DataFingerprint,
    /// Other files the model was built from (word classes, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceFingerprint>,
    /// Seed of every random choice in training.
    pub seed: u64,
    /// The command that trained it.
    pub command: String,
    /// Summary figures measured during training (e.g. out-of-fold F1 per technique).
    pub metrics: serde_json::Value,
    /// SHA-256 of the compressed payload.
    pub payload_sha256: String,
}

/// Why a model file could not be used. `Display` is one line naming the file.
#[derive(Debug, Error)]
pub enum ModelError {
    /// The file does not exist.
    #[error("{}: model file not found (train one with `unspin train techniques`, or pass --model PATH)", .0.display())]
    Missing(PathBuf),
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not an unspin model file.
    #[error("{}: not an unspin model file (no UNSPIN-MODEL header)", .0.display())]
    NotAModel(PathBuf),
    /// The file was written in a layout this build does not read.
    #[error("{}: model file format version {found}, but this unspin reads version {supported}; rebuild it with the `unspin train` command that made it", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// Version found in the header.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// The file holds a different kind of model.
    #[error("{}: this is a '{found}' model, not a '{expected}' model", path.display())]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// Kind found.
        found: String,
        /// Kind wanted.
        expected: String,
    },
    /// The file is damaged: bad header, checksum mismatch or undecodable payload.
    #[error("{}: model file is corrupt ({what})", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

/// A model loaded from a file, with its header and the file's hash for provenance.
#[derive(Debug, Clone)]
pub struct LoadedModel<T> {
    /// The header.
    pub header: ModelHeader,
    /// The model's parameters.
    pub model: T,
    /// SHA-256 of the whole file.
    pub file_sha256: String,
}

impl<T> LoadedModel<T> {
    /// The model as an analysis's provenance lists it (no variant).
    pub fn info(&self) -> crate::analysis::ModelInfo {
        crate::analysis::ModelInfo {
            name: self.header.name.clone(),
            version: self.header.version.clone(),
            sha256: self.file_sha256.clone(),
            variant: None,
        }
    }
}

/// Loads a shipped model file (`file`, looked for in the [`model_dirs`]) of `kind`, once
/// per process and cell: None, with a warning saying `without` (what the analyser does
/// then), when it is absent, unreadable, or `usable` refuses it (e.g. other features
/// than this build's).
pub fn load_shipped<T: DeserializeOwned>(
    cell: &'static std::sync::OnceLock<Option<std::sync::Arc<LoadedModel<T>>>>,
    file: &str,
    kind: &str,
    usable: impl FnOnce(&T) -> bool,
    without: &str,
) -> Option<std::sync::Arc<LoadedModel<T>>> {
    cell.get_or_init(|| {
        let Some(path) = model_dirs()
            .into_iter()
            .map(|d| d.join(file))
            .find(|p| p.exists())
        else {
            tracing::warn!("{file} not found; {without}");
            return None;
        };
        match read::<T>(&path, kind) {
            Ok(m) if usable(&m.model) => Some(std::sync::Arc::new(m)),
            Ok(_) => {
                tracing::warn!(
                    "{}: trained with other features than this build's; {without}",
                    path.display()
                );
                None
            }
            Err(e) => {
                tracing::warn!("{}: {e}; {without}", path.display());
                None
            }
        }
    })
    .clone()
}

/// Writes a model file. `header.payload_sha256` and `header.format_version` are filled in.
pub fn write<T: Serialize>(
    path: &Path,
    mut header: ModelHeader,
    model: &T,
) -> Result<(), ModelError> {
    let io = |source| ModelError::Io {
        path: path.to_owned(),
        source,
    };
    let raw = postcard::to_allocvec(model).map_err(|e| ModelError::Corrupt {
        path: path.to_owned(),
        what: format!("cannot serialise the model: {e}"),
    })?;
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&raw).map_err(io)?;
    let payload = enc.finish().map_err(io)?;
    header.format_version = FORMAT_VERSION;
    header.payload_sha256 = hex_sha256(&payload);
    let mut bytes = MAGIC.to_vec();
    bytes.extend(serde_json::to_vec(&header).expect("headers serialise"));
    bytes.push(b'\n');
    bytes.extend(payload);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // Write beside the target, then rename, so a failed write never leaves half a model.
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, &bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Reads the header of a model file without decoding its payload.
pub fn read_header(path: &Path, expected_kind: &str) -> Result<ModelHeader, ModelError> {
    let bytes = read_bytes(path)?;
    parse(path, &bytes, expected_kind).map(|(h, _)| h)
}

/// Checks a model file without decoding its payload: the magic line, the format version,
/// the kind, and the payload's SHA-256 against the header's; gives the header and the
/// whole file's SHA-256.
pub fn verify(path: &Path, expected_kind: &str) -> Result<(ModelHeader, String), ModelError> {
    let bytes = read_bytes(path)?;
    let (header, payload) = parse(path, &bytes, expected_kind)?;
    if hex_sha256(payload) != header.payload_sha256 {
        return Err(ModelError::Corrupt {
            path: path.to_owned(),
            what: "payload checksum mismatch".into(),
        });
    }
    Ok((header, hex_sha256(&bytes)))
}

/// Reads and checks a model file of the given kind.
pub fn read<T: DeserializeOwned>(
    path: &Path,
    expected_kind: &str,
) -> Result<LoadedModel<T>, ModelError> {
    let bytes = read_bytes(path)?;
    let (header, payload) = parse(path, &bytes, expected_kind)?;
    let corrupt = |what: String| ModelError::Corrupt {
        path: path.to_owned(),
        what,
    };
    if hex_sha256(payload) != header.payload_sha256 {
        return Err(corrupt("payload checksum mismatch".into()));
    }
    let mut raw = Vec::new();
    DeflateDecoder::new(payload)
        .read_to_end(&mut raw)
        .map_err(|e| corrupt(format!("cannot decompress the payload: {e}")))?;
    let model = postcard::from_bytes(&raw)
        .map_err(|e| corrupt(format!("cannot decode the payload: {e}")))?;
    Ok(LoadedModel {
        header,
        model,
        file_sha256: hex_sha256(&bytes),
    })
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ModelError::Missing(path.to_owned())
        } else {
            ModelError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })
}

/// Splits a file into its checked header and its payload bytes.
fn parse<'a>(
    path: &Path,
    bytes: &'a [u8],
    expected_kind: &str,
) -> Result<(ModelHeader, &'a [u8]), ModelError> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| ModelError::NotAModel(path.to_owned()))?;
    let nl = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| ModelError::Corrupt {
            path: path.to_owned(),
            what: "the header line is cut off".into(),
        })?;
    let value: serde_json::Value =
        serde_json::from_slice(&rest[..nl]).map_err(|e| ModelError::Corrupt {
            path: path.to_owned(),
            what: format!("unreadable header: {e}"),
        })?;
    let found = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0) as u32;
    if found != FORMAT_VERSION {
        return Err(ModelError::Version {
            path: path.to_owned(),
            found,
            supported: FORMAT_VERSION,
        });
    }
    let header: ModelHeader = serde_json::from_value(value).map_err(|e| ModelError::Corrupt {
        path: path.to_owned(),
        what: format!("unreadable header: {e}"),
    })?;
    if header.kind != expected_kind {
        return Err(ModelError::WrongKind {
            path: path.to_owned(),
            found: header.kind,
            expected: expected_kind.to_owned(),
        });
    }
    Ok((header, &rest[nl + 1..]))
}

/// SHA-256 over a data folder's files, names and contents, in sorted order (hidden files
/// skipped), for [`DataFingerprint::sha256`].
pub fn hash_dir(dir: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap_or(&f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(std::fs::read(&f)?);
        h.update([0]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> ModelHeader {
        ModelHeader {
            format_version: 0,
            kind: "techniques".into(),
            name: "techniques-test".into(),
            version: "1".into(),
            created_by: "unspin test".into(),
            training_data: DataFingerprint {
                path: "data".into(),
                sha256: "0".repeat(64),
                articles: 1,
                spans: 2,
            },
            resources: Vec::new(),
            seed: 7,
            command: "unspin train techniques".into(),
            metrics: serde_json::json!({"f1": 0.5}),
            payload_sha256: String::new(),
        }
    }

    #[test]
    fn round_trip_and_every_failure_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.unspin");
        let model: Vec<(String, f32)> = vec![("regime".into(), 1.5), ("tiger".into(), -0.25)];
        write(&p, header(), &model).unwrap();
        let loaded: LoadedModel<Vec<(String, f32)>> = read(&p, "techniques").unwrap();
        assert_eq!(loaded.model, model);
        assert_eq!(loaded.header.format_version, FORMAT_VERSION);
        // Same inputs, same bytes.
        let first = std::fs::read(&p).unwrap();
        write(&p, header(), &model).unwrap();
        assert_eq!(first, std::fs::read(&p).unwrap());

        let err =
            |r: Result<LoadedModel<Vec<(String, f32)>>, ModelError>| r.unwrap_err().to_string();
        assert!(err(read(&dir.path().join("none"), "techniques")).contains("not found"));
        assert!(err(read(&p, "quotes")).contains("not a 'quotes' model"));

        let bad = dir.path().join("bad.unspin");
        std::fs::write(&bad, b"hello").unwrap();
        assert!(err(read(&bad, "techniques")).contains("not an unspin model"));

        let mut cut = first.clone();
        cut.truncate(first.len() - 3);
        std::fs::write(&bad, &cut).unwrap();
        assert!(err(read(&bad, "techniques")).contains("checksum"));

        let mut flipped = first.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        std::fs::write(&bad, &flipped).unwrap();
        assert!(err(read(&bad, "techniques")).contains("corrupt"));

        let text = String::from_utf8_lossy(&first).into_owned();
        let newer = text.replacen(
            &format!("\"format_version\":{FORMAT_VERSION}"),
            "\"format_version\":9",
            1,
        );
        std::fs::write(&bad, newer.as_bytes()).unwrap();
        let e = err(read(&bad, "techniques"));
        assert!(
            e.contains("format version 9") && e.contains("unspin train"),
            "{e}"
        );

        std::fs::write(&bad, b"UNSPIN-MODEL\n{not json").unwrap();
        assert!(err(read(&bad, "techniques")).contains("corrupt"));
    }
}
