//! The article-extraction benchmark metric and a runner over a dev-set directory.
//!
//! Metric (Zyte article-extraction benchmark, as described in the dev set's README):
//! tokenise with `\w+`; take 4-word shingles with counts; per page TP = shared shingles
//! (sum of the minimum counts), FP = predicted-only, FN = gold-only; precision and recall
//! are the means over pages of TP/(TP+FP) and TP/(TP+FN); a page with FP = FN = 0 scores 1
//! for both; F1 = 2PR/(P+R) of the means.
//!
//! Conventions for edge cases (not spelled out by the README): a text with 1–3 tokens forms
//! one shingle of those tokens; an empty text has no shingles; a ratio whose denominator is
//! 0 (while FP or FN is not 0) counts as 0.
//!
//! A directory holds `html/<id>.html` and `ground-truth.json`
//! (`{"<id>": {"articleBody": "...", "url": "..."}}`).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{ExtractOptions, extract};

mod cv;
pub use cv::{
    CvReport, FoldResult, Procedure, RuleEffect, Selection, Tuner, ablation, cross_validate,
    cross_validate_dir, cross_validate_with, select_rules, select_rules_with, site_folds,
};

/// `\w+` tokens of `text` (Unicode word characters: alphanumerics and `_`).
pub fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let w = c.is_alphanumeric() || c == '_';
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// 4-word shingles of `text` with their counts.
pub fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = tokenize(text);
    let mut m = HashMap::new();
    if tokens.is_empty() {
        return m;
    }
    if tokens.len() < 4 {
        m.insert(tokens, 1);
        return m;
    }
    for w in tokens.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// Scores of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    /// Page id (file stem).
    pub id: String,
    /// Shared shingles.
    pub tp: usize,
    /// Predicted-only shingles.
    pub fp: usize,
    /// Gold-only shingles.
    pub fn_: usize,
    /// TP / (TP + FP).
    pub precision: f64,
    /// TP / (TP + FN).
    pub recall: f64,
    /// 2PR / (P + R) of this page.
    pub f1: f64,
    /// Extractor path used, or the error message when extraction failed.
    pub extractor: String,
}

/// Score a prediction against the gold text.
pub fn score(predicted: &str, gold: &str) -> (usize, usize, usize, f64, f64) {
    let p = shingles(predicted);
    let g = shingles(gold);
    let mut tp = 0;
    for (k, &c) in &p {
        if let Some(&gc) = g.get(k) {
            tp += c.min(gc);
        }
    }
    let np: usize = p.values().sum();
    let ng: usize = g.values().sum();
    let fp = np - tp;
    let fn_ = ng - tp;
    if fp == 0 && fn_ == 0 {
        return (tp, fp, fn_, 1.0, 1.0);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (tp, fp, fn_, ratio(tp, tp + fp), ratio(tp, tp + fn_))
}

pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Report of a run over a directory.
#[derive(Debug, Clone)]
pub struct EvalReport {
    /// Name of the extractor variant.
    pub name: String,
    /// Per-page scores, sorted by id.
    pub pages: Vec<PageScore>,
    /// Mean precision over pages.
    pub precision: f64,
    /// Mean recall over pages.
    pub recall: f64,
    /// 2PR/(P+R) of the means.
    pub f1: f64,
    /// Wall time of extraction only (files pre-read, scoring excluded), seconds.
    pub seconds: f64,
    /// Pages per second (single-threaded).
    pub pages_per_sec: f64,
}

impl fmt::Display for EvalReport {
    /// Per-page table followed by the summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>6}  extractor",
            "page", "P", "R", "F1"
        )?;
        for p in &self.pages {
            writeln!(
                f,
                "{:<16} {:>6.3} {:>6.3} {:>6.3}  {}",
                &p.id[..p.id.len().min(16)],
                p.precision,
                p.recall,
                p.f1,
                p.extractor
            )?;
        }
        write!(
            f,
            "{}: pages={} P={:.4} R={:.4} F1={:.4} pages/s={:.1}",
            self.name,
            self.pages.len(),
            self.precision,
            self.recall,
            self.f1,
            self.pages_per_sec
        )
    }
}

/// Errors of [`evaluate_dir`].
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// File could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// Path.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// ground-truth.json is malformed.
    #[error("parsing ground-truth.json: {0}")]
    Json(#[from] serde_json::Error),
    /// No page found.
    #[error("no pages with ground truth in {0}")]
    Empty(PathBuf),
}

/// A dev set loaded in memory: `(id, html, gold text)`.
#[derive(Debug, Clone)]
pub struct DevSet {
    /// Pages sorted by id.
    pub pages: Vec<(String, String, String)>,
    /// Site of each page (host of its ground-truth `url`, see [`host_of`]), same order.
    pub hosts: Vec<String>,
}

/// Site of a page URL: its lowercase host without a leading `www.` (the URL itself when it
/// does not parse).
pub fn host_of(url: &str) -> String {
    let h = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| url.to_ascii_lowercase());
    h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
}

impl DevSet {
    /// Read `dir/ground-truth.json` and every `dir/html/<id>.html` it lists.
    pub fn load(dir: &Path) -> Result<DevSet, EvalError> {
        let gt_path = dir.join("ground-truth.json");
        let raw = std::fs::read(&gt_path).map_err(|source| EvalError::Io {
            path: gt_path.clone(),
            source,
        })?;
        let gt: HashMap<String, serde_json::Value> = serde_json::from_slice(&raw)?;
        let mut pages = Vec::new();
        for (id, v) in gt {
            let gold = v
                .get("articleBody")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string();
            let url = v.get("url").and_then(|u| u.as_str()).unwrap_or("");
            let host = host_of(url);
            let path = dir.join("html").join(format!("{id}.html"));
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(EvalError::Io { path, source }),
            };
            pages.push((id, String::from_utf8_lossy(&bytes).into_owned(), gold, host));
        }
        if pages.is_empty() {
            return Err(EvalError::Empty(dir.to_path_buf()));
        }
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        let hosts = pages.iter().map(|p| p.3.clone()).collect();
        let pages = pages.into_iter().map(|(i, h, g, _)| (i, h, g)).collect();
        Ok(DevSet { pages, hosts })
    }

    /// Run `f` over every page single-threaded (timing extraction only), then score.
    /// `f` returns the predicted text and a label of the path used.
    pub fn evaluate_with<F>(&self, name: &str, mut f: F) -> EvalReport
    where
        F: FnMut(&str) -> (String, String),
    {
        let start = Instant::now();
        let outputs: Vec<(String, String)> =
            self.pages.iter().map(|(_, html, _)| f(html)).collect();
        let seconds = start.elapsed().as_secs_f64();
        let mut pages = Vec::with_capacity(outputs.len());
        for ((id, _, gold), (pred, label)) in self.pages.iter().zip(outputs) {
            let (tp, fp, fn_, precision, recall) = score(&pred, gold);
            pages.push(PageScore {
                id: id.clone(),
                tp,
                fp,
                fn_,
                precision,
                recall,
                f1: f1(precision, recall),
                extractor: label,
            });
        }
        let n = pages.len().max(1) as f64;
        let precision = pages.iter().map(|p| p.precision).sum::<f64>() / n;
        let recall = pages.iter().map(|p| p.recall).sum::<f64>() / n;
        EvalReport {
            name: name.to_string(),
            precision,
            recall,
            f1: f1(precision, recall),
            pages_per_sec: pages.len() as f64 / seconds.max(1e-9),
            seconds,
            pages,
        }
    }
}

/// Run [`extract`] over a dev-set directory single-threaded and score it.
pub fn evaluate_dir(dir: &Path, opts: &ExtractOptions) -> Result<EvalReport, EvalError> {
    let set = DevSet::load(dir)?;
    Ok(
        set.evaluate_with("unspin", |html| match extract(html, opts) {
            Ok(e) => (e.text, e.extractor),
            Err(e) => (String::new(), format!("error: {e}")),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_words() {
        assert_eq!(
            tokenize("Hello, wörld_1 — it's 2020!"),
            vec!["Hello", "wörld_1", "it", "s", "2020"]
        );
        assert!(tokenize(" ,. ").is_empty());
    }

    #[test]
    fn shingles_with_counts() {
        let s = shingles("a b c d a b c d");
        // windows: abcd, bcda, cdab, dabc, abcd
        assert_eq!(s.len(), 4);
        assert_eq!(s[&vec!["a", "b", "c", "d"]], 2);
        assert_eq!(shingles("a b").len(), 1);
        assert!(shingles("").is_empty());
    }

    #[test]
    fn identical_scores_one() {
        let (tp, fp, fn_, p, r) = score("one two three four five", "one two three four five");
        assert_eq!((tp, fp, fn_), (2, 0, 0));
        assert_eq!((p, r), (1.0, 1.0));
        // Both empty: FP = FN = 0.
        assert_eq!(score("", "").3, 1.0);
    }

    #[test]
    fn hand_computed_partial() {
        // gold: a b c d e f  -> abcd bcde cdef (3)
        // pred: a b c d e x y -> abcd bcde cdex dexy (4)
        let (tp, fp, fn_, p, r) = score("a b c d e x y", "a b c d e f");
        assert_eq!((tp, fp, fn_), (2, 2, 1));
        assert!((p - 0.5).abs() < 1e-12);
        assert!((r - 2.0 / 3.0).abs() < 1e-12);
        assert!((f1(p, r) - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn counts_are_clipped() {
        // pred repeats the shingle 3 times, gold has it once.
        let (tp, fp, fn_, _, _) = score("w x y z. w x y z. w x y z", "w x y z");
        // pred windows: wxyz xyzw yzwx zwxy wxyz xyzw yzwx zwxy wxyz = 9, wxyz x3
        assert_eq!((tp, fp, fn_), (1, 8, 0));
    }

    #[test]
    fn empty_prediction_scores_zero() {
        let (_, _, _, p, r) = score("", "some gold text here now");
        assert_eq!((p, r), (0.0, 0.0));
    }

    #[test]
    fn means_over_pages() {
        let set = DevSet {
            pages: vec![
                ("a".into(), "x".into(), "a b c d e f".into()),
                ("b".into(), "y".into(), "p q r s".into()),
            ],
            hosts: vec!["a.example".into(), "b.example".into()],
        };
        let rep = set.evaluate_with("t", |html| {
            if html == "x" {
                ("a b c d e x y".to_string(), "t".to_string())
            } else {
                ("p q r s".to_string(), "t".to_string())
            }
        });
        assert!((rep.precision - 0.75).abs() < 1e-12);
        assert!((rep.recall - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-12);
    }
}
