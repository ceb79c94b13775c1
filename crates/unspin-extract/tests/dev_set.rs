//! Checks on the shared extraction dev set (skipped when `/work/shared` is absent).

use std::collections::HashMap;
use std::path::PathBuf;

use unspin_extract::content::Rules;
use unspin_extract::eval::{DevSet, Tuner, cross_validate, evaluate_dir, site_folds};
use unspin_extract::{ExtractOptions, extract};

fn dev_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/extraction-dev");
    if d.join("ground-truth.json").exists() {
        Some(d)
    } else {
        eprintln!("skipping: dev set not found at {}", d.display());
        None
    }
}

#[test]
fn dev_set_quality() {
    let Some(dir) = dev_dir() else { return };
    let rep = evaluate_dir(&dir, &ExtractOptions::default()).expect("evaluate");
    eprintln!("{}", rep.to_string().lines().last().unwrap_or(""));
    assert!(rep.pages.len() >= 80);
    assert!(rep.f1 >= 0.95, "F1 {}", rep.f1);
}

#[test]
fn dev_set_metadata_coverage() {
    let Some(dir) = dev_dir() else { return };
    let set = DevSet::load(&dir).expect("load");
    let (mut titles, mut langs, mut n) = (0, 0, 0);
    for (_, html, _) in &set.pages {
        n += 1;
        let Ok(e) = extract(html, &ExtractOptions::default()) else {
            continue;
        };
        if e.title.as_deref().is_some_and(|t| !t.is_empty()) {
            titles += 1;
        }
        if e.language.is_some() {
            langs += 1;
        }
    }
    assert!(titles * 100 >= n * 95, "titles on {titles}/{n}");
    assert!(langs * 100 >= n * 80, "languages on {langs}/{n}");
}

#[test]
fn site_folds_never_share_a_host() {
    let Some(dir) = dev_dir() else { return };
    let set = DevSet::load(&dir).expect("load");
    for k in [2, 8, 10] {
        let folds = site_folds(&set.hosts, k);
        assert_eq!(folds.len(), k);
        let mut seen = vec![false; set.pages.len()];
        let mut fold_of_host: HashMap<&str, usize> = HashMap::new();
        for (f, pages) in folds.iter().enumerate() {
            assert!(!pages.is_empty(), "fold {f} of {k} is empty");
            for &i in pages {
                assert!(!seen[i], "page {i} in two folds");
                seen[i] = true;
                let prev = *fold_of_host.entry(set.hosts[i].as_str()).or_insert(f);
                assert_eq!(prev, f, "host {} in folds {prev} and {f}", set.hosts[i]);
            }
        }
        assert!(seen.iter().all(|&s| s), "every page is held out once");
    }
    // Hosts are parsed from the ground-truth URLs (73 sites over 88 pages).
    let mut hosts = set.hosts.clone();
    hosts.sort();
    hosts.dedup();
    assert!(hosts.len() >= 60 && hosts.len() < set.pages.len());
}

#[test]
fn cross_validation_runs_on_a_subset() {
    let Some(dir) = dev_dir() else { return };
    let mut set = DevSet::load(&dir).expect("load");
    // A subset keeps this affordable in debug builds; the full figure is printed by
    // `unspin eval extract` and the `extraction_rules` example.
    set.pages.truncate(24);
    set.hosts.truncate(24);
    let cv = cross_validate(&set, &ExtractOptions::default(), 3);
    assert_eq!(cv.folds.len(), 3);
    assert_eq!(cv.held_out.len(), 24);
    for f in &cv.folds {
        // The rules of a fold were chosen without its sites.
        for (i, id) in set.pages.iter().map(|p| &p.0).enumerate() {
            if !f.pages.contains(id) {
                assert!(
                    !f.sites.contains(&set.hosts[i]),
                    "site {} leaked",
                    set.hosts[i]
                );
            }
        }
    }
    assert!(cv.f1 > 0.5 && cv.f1 <= 1.0, "cross-validated F1 {}", cv.f1);
    eprintln!(
        "subset: plain F1 {:.4}, cross-validated F1 {:.4}",
        cv.plain.2, cv.f1
    );
}

#[test]
fn hashed_scoring_matches_the_metric() {
    let Some(dir) = dev_dir() else { return };
    let set = DevSet::load(&dir).expect("load");
    let rep = evaluate_dir(&dir, &ExtractOptions::default()).expect("evaluate");
    let t = Tuner::new(&set, &ExtractOptions::default());
    let all: Vec<usize> = (0..t.len()).collect();
    let (p, r, f) = t.score(&all, Rules::shipped());
    assert!((p - rep.precision).abs() < 1e-9 && (r - rep.recall).abs() < 1e-9);
    assert!((f - rep.f1).abs() < 1e-9);
}
