//! Shared pieces of the learned linear models: a sparse row matrix for training examples
//! and a deterministic L-BFGS minimiser. The techniques classifier and the claims
//! check-worthiness model are both fitted with them.

/// A sparse matrix in compressed-row form, rows = training examples.
#[derive(Debug, Clone, Default)]
pub struct SparseRows {
    /// Row `i` holds entries `offsets[i]..offsets[i + 1]`.
    pub offsets: Vec<usize>,
    /// Column (feature) index of each entry.
    pub cols: Vec<u32>,
    /// Value of each entry.
    pub vals: Vec<f32>,
}

impl SparseRows {
    /// An empty matrix.
    pub fn new() -> Self {
        SparseRows {
            offsets: vec![0],
            cols: Vec::new(),
            vals: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push_row(&mut self, entries: impl IntoIterator<Item = (u32, f32)>) {
        for (c, v) in entries {
            self.cols.push(c);
            self.vals.push(v);
        }
        self.offsets.push(self.cols.len());
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The entries of row `i`.
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let r = self.offsets[i]..self.offsets[i + 1];
        self.cols[r.clone()]
            .iter()
            .zip(&self.vals[r])
            .map(|(&c, &v)| (c as usize, v))
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` (which returns the value and writes the gradient) from `x` with L-BFGS
/// (`memory` correction pairs) and a backtracking Armijo line search. Stops after
/// `max_iter` iterations, when the relative decrease falls below `tol`, or when no step
/// decreases the objective. Deterministic. Returns the final objective value.
pub fn lbfgs(
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    x: &mut [f64],
    max_iter: usize,
    memory: usize,
    tol: f64,
) -> f64 {
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut d = vec![0.0; n];
    let mut xn = vec![0.0; n];
    let mut gn = vec![0.0; n];
    let mut alpha = vec![0.0; memory.max(1)];
    for iter in 0..max_iter {
        // Two-loop recursion: d = -H g.
        d.copy_from_slice(&g);
        let m = s_hist.len();
        for i in (0..m).rev() {
            alpha[i] = rho[i] * dot(&s_hist[i], &d);
            for (dj, yj) in d.iter_mut().zip(&y_hist[i]) {
                *dj -= alpha[i] * yj;
            }
        }
        let gamma = if m > 0 {
            dot(&s_hist[m - 1], &y_hist[m - 1]) / dot(&y_hist[m - 1], &y_hist[m - 1])
        } else {
            1.0 / dot(&g, &g).sqrt().max(1e-12)
        };
        for dj in d.iter_mut() {
            *dj *= gamma;
        }
        for i in 0..m {
            let b = rho[i] * dot(&y_hist[i], &d);
            for (dj, sj) in d.iter_mut().zip(&s_hist[i]) {
                *dj += (alpha[i] - b) * sj;
            }
        }
        for dj in d.iter_mut() {
            *dj = -*dj;
        }
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            let scale = 1.0 / dot(&g, &g).sqrt().max(1e-12);
            for (dj, gj) in d.iter_mut().zip(&g) {
                *dj = -gj * scale;
            }
            slope = dot(&g, &d);
        }
        let mut step = 1.0;
        let mut fnew;
        let mut tries = 0;
        loop {
            for j in 0..n {
                xn[j] = x[j] + step * d[j];
            }
            fnew = f(&xn, &mut gn);
            if fnew <= fx + 1e-4 * step * slope || tries >= 30 {
                break;
            }
            step *= 0.5;
            tries += 1;
        }
        if fnew > fx {
            break;
        }
        let (mut s, mut yv) = if s_hist.len() == memory {
            rho.remove(0);
            (s_hist.remove(0), y_hist.remove(0))
        } else {
            (vec![0.0; n], vec![0.0; n])
        };
        for j in 0..n {
            s[j] = xn[j] - x[j];
            yv[j] = gn[j] - g[j];
        }
        let sy = dot(&s, &yv);
        x.copy_from_slice(&xn);
        g.copy_from_slice(&gn);
        let rel = (fx - fnew) / fx.abs().max(1e-12);
        fx = fnew;
        if sy > 1e-12 {
            rho.push(1.0 / sy);
            s_hist.push(s);
            y_hist.push(yv);
        }
        if rel < tol && iter > 5 {
            break;
        }
    }
    fx
}
