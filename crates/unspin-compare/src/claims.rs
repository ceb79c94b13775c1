//! Claims aligned across versions: what each version includes and what it leaves out.
//!
//! The units are the check-worthy statements the claims analyser found in each version. Two
//! statements of different versions state one claim when their words agree (cosine of
//! TF-IDF vectors fitted on all the versions' statements, so words every statement uses
//! count little) at [`SAME_CLAIM`] or more, or at [`SAME_CLAIM_WITH_NUMBER`] when they share
//! a number as well. Two statements are linked when each is the other's best match in the
//! other's version; the links' connected groups are the aligned claims.

use std::collections::HashMap;

use crate::{AlignedClaim, Coverage, Statement, Version};

/// Cosine at which two statements state one claim.
pub const SAME_CLAIM: f32 = 0.45;

/// Cosine at which two statements that share a number state one claim.
pub const SAME_CLAIM_WITH_NUMBER: f32 = 0.3;

/// Digits of the numbers in a statement ("60,000" → "60000").
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map(|t| t.trim_matches([',', '.']).replace(',', ""))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// Aligns the versions' claims; claims in all versions first, then in some, then in one,
/// each group by its best score.
pub fn align(versions: &[Version]) -> Vec<AlignedClaim> {
    let units: Vec<(usize, &unspin::Claim)> = versions
        .iter()
        .enumerate()
        .flat_map(|(v, ver)| ver.analysis.claims.iter().map(move |c| (v, c)))
        .collect();
    if units.is_empty() {
        return Vec::new();
    }
    let texts: Vec<&str> = units.iter().map(|(_, c)| c.text.as_str()).collect();
    let vectors = crate::idf::vectors(&texts);
    let nums: Vec<Vec<String>> = texts.iter().map(|t| numbers(t)).collect();
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    // Each statement's best match in every other version, if close enough.
    let best: Vec<Vec<Option<usize>>> = (0..units.len())
        .map(|i| {
            (0..versions.len())
                .map(|v| {
                    if v == units[i].0 {
                        return None;
                    }
                    (0..units.len())
                        .filter(|&j| units[j].0 == v)
                        .map(|j| (j, vectors[i].cosine(&vectors[j])))
                        .filter(|&(j, s)| {
                            s >= SAME_CLAIM
                                || s >= SAME_CLAIM_WITH_NUMBER
                                    && nums[i].iter().any(|n| nums[j].contains(n))
                        })
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(j, _)| j)
                })
                .collect()
        })
        .collect();
    // Linked when each is the other's best: one-sided matches would chain loosely
    // related statements into one claim.
    for i in 0..units.len() {
        for v in 0..versions.len() {
            if let Some(j) = best[i][v]
                && best[j][units[i].0] == Some(i)
            {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..units.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<AlignedClaim> = groups
        .into_values()
        .map(|members| {
            let mut in_versions: Vec<usize> = members.iter().map(|&m| units[m].0).collect();
            in_versions.sort_unstable();
            in_versions.dedup();
            let coverage = if in_versions.len() == versions.len() && versions.len() > 1 {
                Coverage::All
            } else if in_versions.len() > 1 {
                Coverage::Some
            } else {
                Coverage::One
            };
            let mut statements: Vec<Statement> = members
                .iter()
                .map(|&m| {
                    let (v, c) = units[m];
                    Statement {
                        version: versions[v].label.clone(),
                        start: c.start,
                        end: c.end,
                        text: c.text.clone(),
                        score: c.score,
                    }
                })
                .collect();
            let order = |label: &str| versions.iter().position(|v| v.label == label);
            statements.sort_by(|a, b| {
                order(&a.version)
                    .cmp(&order(&b.version))
                    .then(a.start.cmp(&b.start))
            });
            AlignedClaim {
                coverage,
                statements,
            }
        })
        .collect();
    let rank = |c: &Coverage| match c {
        Coverage::All => 0,
        Coverage::Some => 1,
        Coverage::One => 2,
    };
    let best = |a: &AlignedClaim| a.statements.iter().map(|s| s.score).fold(0.0f32, f32::max);
    out.sort_by(|a, b| {
        rank(&a.coverage)
            .cmp(&rank(&b.coverage))
            .then(b.labels().len().cmp(&a.labels().len()))
            .then(best(b).total_cmp(&best(a)))
            .then(a.statements[0].text.cmp(&b.statements[0].text))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn numbers_lose_their_separators() {
        assert_eq!(
            numbers("We closed 60,000 factories in 2016."),
            vec!["60000", "2016"]
        );
        assert!(numbers("no digits here").is_empty());
    }
}
