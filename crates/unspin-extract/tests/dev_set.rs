//! Checks on the shared extraction dev set (skipped when `/work/shared` is absent).

use std::path::PathBuf;

use unspin_extract::eval::{DevSet, evaluate_dir};
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
