//! MinHash signatures over word shingles, and LSH banding to find near-duplicate pairs
//! (syndicated or lightly edited copies) without comparing every pair.
//!
//! A text's shingles are its overlapping runs of [`SHINGLE`] lower-cased words (stop words
//! included, so that copies are told apart from paraphrases). Each of the [`PERMUTATIONS`]
//! hash functions `h_i(x) = (a_i·x + b_i) >> 32` (odd 64-bit `a_i`) keeps its minimum over
//! the shingles; the share of equal minima estimates the Jaccard similarity of the shingle
//! sets. [`Lsh`] cuts a signature into [`BANDS`] bands of [`ROWS`] rows: two texts whose
//! Jaccard similarity is `s` share a band with probability `1 - (1 - s^ROWS)^BANDS`
//! (0.5 at s ≈ 0.42, 0.99 at s ≈ 0.7).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

use crate::tfidf::words;

/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Hash functions in a signature.
pub const PERMUTATIONS: usize = 128;
/// LSH bands.
pub const BANDS: usize = 32;
/// Rows (signature entries) per band.
pub const ROWS: usize = PERMUTATIONS / BANDS;

/// A MinHash signature (all `u32::MAX` for a text with no shingle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Box<[u32; PERMUTATIONS]>);

/// The hash functions' coefficients, fixed so that signatures are reproducible.
fn coefficients() -> &'static [(u64, u64); PERMUTATIONS] {
    static C: std::sync::OnceLock<[(u64, u64); PERMUTATIONS]> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        std::array::from_fn(|_| (next() | 1, next()))
    })
}

/// 64-bit hashes of the text's word shingles (a text shorter than a shingle gives one
/// shingle of all its words; an empty text none).
pub fn shingles(text: &str) -> Vec<u64> {
    let hashes: Vec<u64> = words(text)
        .map(|w| {
            let mut h = FxHasher::default();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    if hashes.is_empty() {
        return Vec::new();
    }
    let k = SHINGLE.min(hashes.len());
    let mut out: Vec<u64> = hashes
        .windows(k)
        .map(|w| {
            let mut h = FxHasher::default();
            w.hash(&mut h);
            // FxHash's low bits are weak: mix before the multiplicative hashes.
            let mut z = h.finish();
            z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
            z ^ (z >> 33)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Signature {
    /// The signature of a text.
    pub fn of_text(text: &str) -> Self {
        Self::of_shingles(&shingles(text))
    }

    /// The signature of a set of shingle hashes.
    pub fn of_shingles(shingles: &[u64]) -> Self {
        let c = coefficients();
        let mut sig = Box::new([u32::MAX; PERMUTATIONS]);
        for &x in shingles {
            for (m, &(a, b)) in sig.iter_mut().zip(c.iter()) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                if h < *m {
                    *m = h;
                }
            }
        }
        Signature(sig)
    }

    /// Whether the text had no shingle.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&m| m == u32::MAX)
    }

    /// Estimated Jaccard similarity of the two shingle sets (0 if either is empty).
    pub fn jaccard(&self, other: &Signature) -> f32 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / PERMUTATIONS as f32
    }

    /// The hash of band `b`.
    fn band(&self, b: usize) -> u64 {
        let mut h = FxHasher::default();
        self.0[b * ROWS..(b + 1) * ROWS].hash(&mut h);
        b.hash(&mut h);
        h.finish()
    }
}

/// Exact Jaccard similarity of two sorted, deduplicated sets (shingles, term or actor ids).
pub fn exact_jaccard<T: Ord>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f32 / (a.len() + b.len() - both) as f32
}

/// LSH over signatures: buckets of band hashes.
pub struct Lsh;

impl Lsh {
    /// Candidate pairs `(i, j)`, `i < j`, of signatures that share at least one band, each
    /// once, sorted. Buckets larger than `max_bucket` (boilerplate shared by very many texts)
    /// are skipped, so the work stays linear in the corpus.
    pub fn candidates(signatures: &[Signature], max_bucket: usize) -> Vec<(u32, u32)> {
        let mut pairs: Vec<(u32, u32)> = (0..BANDS)
            .into_par_iter()
            .flat_map_iter(|b| {
                let mut buckets: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
                for (i, s) in signatures.iter().enumerate() {
                    if !s.is_empty() {
                        buckets.entry(s.band(b)).or_default().push(i as u32);
                    }
                }
                let mut out = Vec::new();
                for members in buckets.into_values() {
                    if members.len() < 2 || members.len() > max_bucket {
                        continue;
                    }
                    for (x, &i) in members.iter().enumerate() {
                        for &j in &members[x + 1..] {
                            out.push((i, j));
                        }
                    }
                }
                out
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        pairs
    }

    /// Pairs whose estimated Jaccard similarity is at least `threshold`, with it.
    pub fn near_duplicates(
        signatures: &[Signature],
        threshold: f32,
        max_bucket: usize,
    ) -> Vec<(u32, u32, f32)> {
        Self::candidates(signatures, max_bucket)
            .into_par_iter()
            .filter_map(|(i, j)| {
                let s = signatures[i as usize].jaccard(&signatures[j as usize]);
                (s >= threshold).then_some((i, j, s))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "The council voted on Tuesday to approve the new ferry contract with \
        the mainland operator, ending a dispute that had lasted for more than two years and \
        had left islanders without a reliable winter service. The deal was signed after a \
        long night of talks between the mayor and the company's directors.";

    #[test]
    fn estimate_tracks_exact_jaccard() {
        let edited = BASE
            .replace("Tuesday", "Wednesday")
            .replace("long night", "short night");
        let (a, b) = (shingles(BASE), shingles(&edited));
        let exact = exact_jaccard(&a, &b);
        let est = Signature::of_shingles(&a).jaccard(&Signature::of_shingles(&b));
        assert!(exact > 0.5 && exact < 0.95, "{exact}");
        assert!(
            (est - exact).abs() < 0.15,
            "estimate {est} against exact {exact}"
        );
        assert_eq!(
            Signature::of_text(BASE).jaccard(&Signature::of_text(BASE)),
            1.0
        );
    }

    #[test]
    fn lsh_finds_copies_not_other_texts() {
        let other = "Heavy rain is expected across the north of the country this weekend, \
            with flood warnings issued for several rivers and roads likely to close.";
        let copy = format!("{BASE} Reporting by a wire service.");
        let texts = [BASE, other, copy.as_str()];
        let sigs: Vec<Signature> = texts.iter().map(|t| Signature::of_text(t)).collect();
        let dups = Lsh::near_duplicates(&sigs, 0.8, 100);
        assert_eq!(dups.len(), 1);
        assert_eq!((dups[0].0, dups[0].1), (0, 2));
        assert!(Signature::of_text("").is_empty());
    }
}
