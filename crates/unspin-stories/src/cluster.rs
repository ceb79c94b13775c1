//! Average-linkage agglomerative clustering of a sparse similarity graph.
//!
//! The similarity of two clusters is the mean similarity over all pairs of their members,
//! a pair without an edge counting 0. With every pair as an edge this is textbook
//! average linkage (UPGMA) on `1 - similarity`; on a blocked candidate graph it is the same
//! clustering wherever the missing pairs are dissimilar anyway, at a cost that grows with
//! the edges, not with the square of the articles. Merges are done best first, so one run
//! gives the [`Dendrogram`], which can be cut at any threshold.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

/// The merges of an agglomeration, in the order done (non-increasing similarity).
#[derive(Debug, Clone, Default)]
pub struct Dendrogram {
    /// Items clustered.
    pub items: usize,
    /// (item of cluster a, item of cluster b, average similarity at the merge).
    pub merges: Vec<(u32, u32, f32)>,
}

/// A heap entry: a possible merge of two live clusters at a stamp of each.
#[derive(PartialEq)]
struct Entry {
    sim: f32,
    a: u32,
    b: u32,
    stamp_a: u32,
    stamp_b: u32,
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sim
            .total_cmp(&other.sim)
            .then_with(|| other.a.cmp(&self.a))
            .then_with(|| other.b.cmp(&self.b))
    }
}

/// Average-linkage clustering of `items` items over `edges` (i, j, similarity); merging
/// stops when no two clusters are at least `min_sim` similar on average. Edges may be given
/// in any order; a repeated pair is counted once (its first similarity).
pub fn average_linkage(items: usize, edges: &[(u32, u32, f32)], min_sim: f32) -> Dendrogram {
    let mut adj: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); items];
    for &(i, j, s) in edges {
        if i == j || s <= 0.0 {
            continue;
        }
        adj[i as usize].entry(j).or_insert(s);
        adj[j as usize].entry(i).or_insert(s);
    }
    let mut size = vec![1u32; items];
    let mut stamp = vec![0u32; items];
    let mut alive = vec![true; items];
    let mut heap = BinaryHeap::new();
    for (i, row) in adj.iter().enumerate() {
        for (&j, &s) in row {
            if (i as u32) < j && s >= min_sim {
                heap.push(Entry {
                    sim: s,
                    a: i as u32,
                    b: j,
                    stamp_a: 0,
                    stamp_b: 0,
                });
            }
        }
    }
    let mut merges = Vec::new();
    while let Some(e) = heap.pop() {
        let (a, b) = (e.a as usize, e.b as usize);
        if !alive[a] || !alive[b] || stamp[a] != e.stamp_a || stamp[b] != e.stamp_b {
            continue;
        }
        merges.push((e.a, e.b, e.sim));
        // Keep the cluster with more neighbours; fold the other into it.
        let (keep, gone) = if adj[a].len() >= adj[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        let gone_row = std::mem::take(&mut adj[gone]);
        adj[keep].remove(&(gone as u32));
        for (c, w) in gone_row {
            if c as usize == keep {
                continue;
            }
            *adj[keep].entry(c).or_insert(0.0) += w;
            let row = &mut adj[c as usize];
            row.remove(&(gone as u32));
            *row.entry(keep as u32).or_insert(0.0) += w;
        }
        alive[gone] = false;
        size[keep] += size[gone];
        stamp[keep] += 1;
        for (&c, &w) in &adj[keep] {
            let c = c as usize;
            let sim = w / (size[keep] as f32 * size[c] as f32);
            if sim >= min_sim {
                let (x, y) = if keep < c { (keep, c) } else { (c, keep) };
                heap.push(Entry {
                    sim,
                    a: x as u32,
                    b: y as u32,
                    stamp_a: stamp[x],
                    stamp_b: stamp[y],
                });
            }
        }
    }
    Dendrogram { items, merges }
}

impl Dendrogram {
    /// Cluster labels (0, 1, … in order of each cluster's first item) after the merges at
    /// similarity `threshold` or more.
    pub fn cut(&self, threshold: f32) -> Vec<u32> {
        let mut uf = UnionFind::new(self.items);
        for &(a, b, s) in &self.merges {
            if s >= threshold {
                uf.union(a as usize, b as usize);
            }
        }
        uf.labels()
    }
}

/// Union-find with path halving.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    /// The representative of `x`.
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let p = self.parent[x] as usize;
            self.parent[x] = self.parent[p];
            x = p;
        }
        x
    }

    /// Joins the sets of `a` and `b`; the smaller index becomes the representative.
    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo as u32;
        }
    }

    /// Dense labels, numbered in order of each set's first item.
    pub fn labels(&mut self) -> Vec<u32> {
        let n = self.parent.len();
        let mut label = vec![u32::MAX; n];
        let mut next = 0;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let r = self.find(i);
            if label[r] == u32::MAX {
                label[r] = next;
                next += 1;
            }
            out.push(label[r]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_not_single_linkage() {
        // 0-1 very close, 2 close to 1 only: its average to {0,1} is (0.6 + 0) / 2 = 0.3.
        let edges = [(0, 1, 0.9), (1, 2, 0.6), (3, 4, 0.5)];
        let d = average_linkage(5, &edges, 0.1);
        assert_eq!(d.cut(0.4), [0, 0, 1, 2, 2]);
        assert_eq!(d.cut(0.25), [0, 0, 0, 1, 1]);
        assert_eq!(d.cut(0.95), [0, 1, 2, 3, 4]);
        let heights: Vec<f32> = d.merges.iter().map(|m| m.2).collect();
        assert!(heights.windows(2).all(|w| w[0] >= w[1]), "{heights:?}");
    }
}
