//! The techniques each version uses, per 1,000 words, with the passages.

use std::collections::BTreeMap;

use crate::{TechniqueUse, Version, VersionTechniques};

fn per_1000(n: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        (n as f64 * 1000.0 / words as f64 * 100.0).round() / 100.0
    }
}

/// Each version's technique passages, counted per technique; most passages first.
pub fn by_version(versions: &[Version]) -> Vec<VersionTechniques> {
    versions
        .iter()
        .map(|v| {
            let words = v.words();
            let mut by: BTreeMap<unspin::Technique, Vec<unspin::TextSpan>> = BTreeMap::new();
            for t in &v.analysis.techniques {
                by.entry(t.technique).or_default().push(unspin::TextSpan {
                    start: t.start,
                    end: t.end,
                    text: t.text.clone(),
                });
            }
            let mut techniques: Vec<TechniqueUse> = by
                .into_iter()
                .map(|(technique, mut passages)| {
                    passages.sort_by_key(|p| p.start);
                    TechniqueUse {
                        technique,
                        count: passages.len(),
                        per_1000_words: per_1000(passages.len(), words),
                        passages,
                    }
                })
                .collect();
            techniques.sort_by(|a, b| b.count.cmp(&a.count).then(a.technique.cmp(&b.technique)));
            VersionTechniques {
                version: v.label.clone(),
                words,
                per_1000_words: per_1000(v.analysis.techniques.len(), words),
                techniques,
            }
        })
        .collect()
}
