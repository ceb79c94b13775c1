//! Contextual vectors of an article's words, from a contextual encoder (a transformer such
//! as all-MiniLM-L6-v2, run in Rust by the `unspin-encoder` crate), for the models that take
//! them as inputs, and kept for reuse.
//!
//! A [`ContextCache`] answers "the encoder's output for this text": from memory, from a
//! folder of earlier outputs (training runs encode each article once, then reuse it for
//! every fold and configuration), or by running the encoder.
//!
//! No shipped model uses contextual inputs today: cross-validated, they did not lift the
//! techniques models enough to pay for the encoder (`docs/techniques.md`, "The accurate
//! model"). The hooks stay so that the measurement can be re-run.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A contextual encoder: word-piece vectors of a text.
pub trait ContextEncoder: Send + Sync + std::fmt::Debug {
    /// Width of the vectors.
    fn dim(&self) -> usize;
    /// The word pieces of `text` with their code-point ranges and vectors.
    fn encode(&self, text: &str) -> Result<Encoding, String>;
}

/// An encoder's output for one text: each word piece's character range and vector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoding {
    /// Code-point ranges of the word pieces in the text, in order.
    pub offsets: Vec<(usize, usize)>,
    /// `offsets.len() × dim` row-major: the encoder's last hidden layer at each piece.
    pub vectors: Vec<f32>,
    /// Width of each vector.
    pub dim: usize,
}

impl Encoding {
    /// Mean vector of the pieces overlapping each code-point range (zeros where none
    /// does; an empty range takes the piece holding its start), `ranges.len() × dim`
    /// row-major. Ranges must be sorted by start.
    pub fn pool(&self, ranges: &[(usize, usize)]) -> Vec<f32> {
        let d = self.dim;
        let mut out = vec![0f32; ranges.len() * d];
        let mut first = 0usize;
        for (r, &(a, b)) in ranges.iter().enumerate() {
            while first < self.offsets.len() && self.offsets[first].1 <= a {
                first += 1;
            }
            let row = &mut out[r * d..(r + 1) * d];
            let mut n = 0usize;
            let mut p = first;
            while p < self.offsets.len() && self.offsets[p].0 < b.max(a + 1) {
                if self.offsets[p].1 > a {
                    for (o, v) in row.iter_mut().zip(&self.vectors[p * d..(p + 1) * d]) {
                        *o += v;
                    }
                    n += 1;
                }
                p += 1;
            }
            if n > 1 {
                let inv = 1.0 / n as f32;
                row.iter_mut().for_each(|x| *x *= inv);
            }
        }
        out
    }
}

use crate::analyse::techniques::span::features::str_hash;

/// Encoder outputs by text, in memory and optionally on disk.
#[derive(Debug, Default)]
pub struct ContextCache {
    encoder: Option<Arc<dyn ContextEncoder>>,
    dir: Option<PathBuf>,
    mem: Mutex<HashMap<u64, Arc<Encoding>>>,
    keep_in_memory: bool,
}

impl ContextCache {
    /// A cache that runs `encoder` on texts it has not seen, keeping nothing.
    pub fn with_encoder(encoder: Arc<dyn ContextEncoder>) -> Self {
        ContextCache {
            encoder: Some(encoder),
            ..Self::default()
        }
    }

    /// Also reads and writes encoder outputs in `dir` (created if missing).
    pub fn with_dir(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Also keeps every output in memory.
    pub fn in_memory(mut self) -> Self {
        self.keep_in_memory = true;
        self
    }

    /// The encoder, if the cache has one.
    pub fn encoder(&self) -> Option<&Arc<dyn ContextEncoder>> {
        self.encoder.as_ref()
    }

    /// The encoder's output for `text`, or `None` when it is not stored and there is no
    /// encoder (or the encoder failed on it; the failure is logged).
    pub fn get(&self, text: &str) -> Option<Arc<Encoding>> {
        let key = str_hash(text) ^ (text.len() as u64).rotate_left(32);
        if let Some(e) = self.mem.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Some(e);
        }
        let path = self.dir.as_ref().map(|d| d.join(format!("{key:016x}.ctx")));
        let mut found = path.as_deref().and_then(read_encoding).map(Arc::new);
        if found.is_none()
            && let Some(enc) = &self.encoder
        {
            match enc.encode(text) {
                Ok(e) => {
                    if let Some(p) = &path
                        && let Err(err) = write_encoding(p, &e)
                    {
                        tracing::warn!("cannot store encoder output in {}: {err}", p.display());
                    }
                    found = Some(Arc::new(e));
                }
                Err(err) => tracing::warn!("contextual encoder failed: {err}"),
            }
        }
        if self.keep_in_memory
            && let (Some(e), Ok(mut m)) = (&found, self.mem.lock())
        {
            m.insert(key, e.clone());
        }
        found
    }
}

fn read_encoding(path: &Path) -> Option<Encoding> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    let u = |i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(i * 4..i * 4 + 4)?.try_into().ok()?,
        ))
    };
    let n = u(0)? as usize;
    let dim = u(1)? as usize;
    if bytes.len() != 8 + n * 8 + n * dim * 4 {
        return None;
    }
    let offsets = (0..n)
        .map(|i| Some((u(2 + 2 * i)? as usize, u(3 + 2 * i)? as usize)))
        .collect::<Option<Vec<_>>>()?;
    let base = 8 + n * 8;
    let vectors = bytes[base..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Some(Encoding {
        offsets,
        vectors,
        dim,
    })
}

fn write_encoding(path: &Path, e: &Encoding) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let mut out = Vec::with_capacity(8 + e.offsets.len() * 8 + e.vectors.len() * 4);
    out.extend_from_slice(&(e.offsets.len() as u32).to_le_bytes());
    out.extend_from_slice(&(e.dim as u32).to_le_bytes());
    for &(a, b) in &e.offsets {
        out.extend_from_slice(&(a as u32).to_le_bytes());
        out.extend_from_slice(&(b as u32).to_le_bytes());
    }
    for v in &e.vectors {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let tmp = path.with_extension("tmp");
    std::fs::File::create(&tmp)?.write_all(&out)?;
    std::fs::rename(tmp, path)
}

/// A shared [`ContextCache`] that compares equal only to itself, for configurations that
/// derive `PartialEq`.
#[derive(Debug, Clone)]
pub struct ContextHandle(pub Arc<ContextCache>);

impl PartialEq for ContextHandle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding() -> Encoding {
        // Pieces "un" "spin" " " skipped, "reads": code points 0..2, 2..6, 7..12.
        Encoding {
            offsets: vec![(0, 2), (2, 6), (7, 12)],
            vectors: vec![1.0, 0.0, 3.0, 2.0, 5.0, 5.0],
            dim: 2,
        }
    }

    #[test]
    fn pool_averages_the_pieces_a_range_overlaps() {
        let e = encoding();
        let v = e.pool(&[(0, 6), (3, 4), (6, 7), (7, 12)]);
        assert_eq!(&v[0..2], &[2.0, 1.0]);
        assert_eq!(&v[2..4], &[3.0, 2.0]);
        assert_eq!(
            &v[4..6],
            &[0.0, 0.0],
            "a space between pieces has no vector"
        );
        assert_eq!(&v[6..8], &[5.0, 5.0]);
    }

    #[derive(Debug)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl ContextEncoder for Counting {
        fn dim(&self) -> usize {
            2
        }
        fn encode(&self, _text: &str) -> Result<Encoding, String> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(encoding())
        }
    }

    #[test]
    fn the_cache_encodes_each_text_once_and_reads_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let enc = Arc::new(Counting(Default::default()));
        let cache = ContextCache::with_encoder(enc.clone()).with_dir(dir.path());
        let a = cache.get("unspin reads").unwrap();
        let b = cache.get("unspin reads").unwrap();
        assert_eq!(*a, *b);
        assert_eq!(
            enc.0.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "second read from disk"
        );
        let reader = ContextCache::default().with_dir(dir.path());
        assert_eq!(*reader.get("unspin reads").unwrap(), encoding());
        assert!(
            reader.get("another text").is_none(),
            "no encoder, nothing stored"
        );
    }
}
