//! Rule ablation and site-grouped cross-validation of the extractor's rule set.
//!
//! ```text
//! cargo run --release -p unspin-extract --example extraction_rules -- /work/shared/data/extraction-dev [--folds 8] [--ablation] [--from all|shipped]
//! ```
//! Procedure knobs: `--min-gain G`, `--general-min-sites N`, `--no-eliminate`, `--no-thresholds`.
//! `--ablation` prints, for every rule, the pages (and sites) whose F1 changes when it is
//! switched off alone, from `--from` (default: all candidate rules on).

use std::path::PathBuf;

use unspin_extract::ExtractOptions;
use unspin_extract::content::Rules;
use unspin_extract::eval::{DevSet, Procedure, Tuner, ablation, cross_validate_with};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "/work/shared/data/extraction-dev".into()),
    );
    let arg = |n: &str| {
        args.iter()
            .position(|a| a == n)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let k: usize = arg("--folds").and_then(|s| s.parse().ok()).unwrap_or(8);
    let set = DevSet::load(&dir).unwrap_or_else(|e| {
        eprintln!("cannot load {}: {e}", dir.display());
        std::process::exit(2)
    });
    let opts = ExtractOptions::default();
    if args.iter().any(|a| a == "--ablation") {
        let t = Tuner::new(&set, &opts);
        let all: Vec<usize> = (0..t.len()).collect();
        let from = match arg("--from").as_deref() {
            Some("shipped") => Rules::shipped().clone(),
            _ => Rules::all(),
        };
        let (p, r, f) = t.score(&all, &from);
        println!("from: P={p:.4} R={r:.4} F1={f:.4}");
        println!(
            "| rule | pages changed | sites | ΔF1 (off − on) | pages (ΔF1) |\n|---|---|---|---|---|"
        );
        for e in ablation(&t, &all, &from) {
            let pages: Vec<String> = e
                .pages
                .iter()
                .take(6)
                .map(|(id, d)| format!("{}:{d:+.3}", &id[..8.min(id.len())]))
                .collect();
            println!(
                "| {} | {} | {} | {:+.4} | {} |",
                e.name,
                e.pages.len(),
                e.sites,
                e.delta_f1,
                pages.join(" ")
            );
        }
        return;
    }
    let mut pr = Procedure::default();
    if let Some(g) = arg("--min-gain").and_then(|s| s.parse().ok()) {
        pr.helps_min_gain = g;
    }
    if let Some(g) = arg("--general-min-sites").and_then(|s| s.parse().ok()) {
        pr.general_min_sites = g;
    }
    if args.iter().any(|a| a == "--no-eliminate") {
        pr.eliminate = false;
    }
    if args.iter().any(|a| a == "--no-thresholds") {
        pr.thresholds = false;
    }
    let cv = cross_validate_with(&pr, &set, &opts, k);
    println!(
        "plain (shipped rules, all pages): P={:.4} R={:.4} F1={:.4}",
        cv.plain.0, cv.plain.1, cv.plain.2
    );
    println!(
        "cross-validated by site, {} folds: P={:.4} R={:.4} F1={:.4}",
        cv.k, cv.precision, cv.recall, cv.f1
    );
    println!(
        "selection on all pages: train F1={:.4}; shipped rules match: {}",
        cv.full.train_f1,
        cv.shipped_matches_full()
    );
    println!("removed on all pages:");
    for (n, why) in &cv.full.removed {
        println!("  {n}  ({why})");
    }
    println!("thresholds on all pages: {:?}", cv.full.thresholds);
    if !cv.shipped_matches_full() {
        println!("content.rs SHIPPED_OFF / SHIPPED_THRESHOLDS for this selection:");
        println!("pub const SHIPPED_OFF: &[&str] = &[");
        for (n, why) in &cv.full.removed {
            println!("    \"{n}\", // {why}");
        }
        println!("];");
        let th: Vec<String> = cv
            .full
            .thresholds
            .iter()
            .map(|(n, v)| format!("(\"{n}\", {v:?})"))
            .collect();
        println!(
            "pub const SHIPPED_THRESHOLDS: &[(&str, f64)] = &[{}];",
            th.join(", ")
        );
    }
    for (i, f) in cv.folds.iter().enumerate() {
        println!(
            "fold {i}: {} pages, {} sites, train F1 {:.4}, held-out F1 {:.4}, {} rules off, thresholds {:?}",
            f.pages.len(),
            f.sites.len(),
            f.selection.train_f1,
            f.test_f1,
            f.selection.removed.len(),
            f.selection.thresholds
        );
    }
    println!("rules switched off in n folds:");
    for (n, c) in cv.removal_counts() {
        println!("  {c} {n}");
    }
    let mut worst: Vec<_> = cv.held_out.clone();
    worst.sort_by(|a, b| {
        let fa = 2.0 * a.1 * a.2 / (a.1 + a.2).max(1e-12);
        let fb = 2.0 * b.1 * b.2 / (b.1 + b.2).max(1e-12);
        fa.total_cmp(&fb)
    });
    println!("worst held-out pages:");
    for (id, p, r) in worst.iter().take(12) {
        println!("  {id} P={p:.3} R={r:.3}");
    }
}
