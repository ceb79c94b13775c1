//! How alike two versions tell the story, in [0, 1].
//!
//! Three parts, each in [0, 1]: the cosine of the two texts' TF-IDF vectors (title and text,
//! fitted on the versions compared), the share of the two versions' claims the other also
//! makes (from [`crate::claims::align`]), and the overlap of the actors they name, weighted
//! by mentions (from [`crate::actors::link`]). Their weighted mean ([`TEXT_WEIGHT`],
//! [`CLAIMS_WEIGHT`], [`ACTORS_WEIGHT`]; a part neither version has leaves its weight to
//! the others) is calibrated by a logistic curve into the similarity ([`calibrate`]).

use unspin_stories::tfidf::title_and_text;

use crate::{AlignedClaim, LinkedActor, Pair, Version};

/// Weight of the text cosine.
pub const TEXT_WEIGHT: f64 = 0.8;
/// Weight of the shared claims.
pub const CLAIMS_WEIGHT: f64 = 0.1;
/// Weight of the shared actors.
pub const ACTORS_WEIGHT: f64 = 0.1;

/// Slope of the calibration of the weighted mean into a similarity.
pub const CALIBRATION_SLOPE: f64 = 36.0;
/// Intercept of the calibration.
pub const CALIBRATION_INTERCEPT: f64 = -6.0;

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The weighted mean of the parts under `(text, claims, actors)` weights; a part that is
/// `None` (neither version has claims, or actors) leaves its weight to the others.
pub fn combine(text: f64, claims: Option<f64>, actors: Option<f64>, w: (f64, f64, f64)) -> f64 {
    let mut parts = vec![(text, w.0)];
    if let Some(c) = claims {
        parts.push((c, w.1));
    }
    if let Some(x) = actors {
        parts.push((x, w.2));
    }
    let weight: f64 = parts.iter().map(|p| p.1).sum();
    if weight <= 0.0 {
        return text;
    }
    parts.iter().map(|(x, w)| x * w).sum::<f64>() / weight
}

/// The similarity of an uncalibrated score: the logistic calibration, fitted on
/// story-labelled pairs (`unspin eval compare` prints the fit), so that two versions of one
/// story score near 1 and articles of different stories near 0; identical texts score 1.
pub fn calibrate(raw: f64) -> f64 {
    if raw >= 1.0 - 1e-9 {
        return 1.0;
    }
    1.0 / (1.0 + (-(CALIBRATION_SLOPE * raw + CALIBRATION_INTERCEPT)).exp())
}

/// The similarity of every pair of versions, in the order (0, 1), (0, 2), …, (1, 2), ….
pub fn pairs(versions: &[Version], actors: &[LinkedActor], claims: &[AlignedClaim]) -> Vec<Pair> {
    let texts: Vec<String> = versions
        .iter()
        .map(|v| title_and_text(v.analysis.source.title.as_deref(), &v.analysis.text))
        .collect();
    let vectors = crate::idf::vectors(&texts);
    let mut out = Vec::new();
    for i in 0..versions.len() {
        for j in i + 1..versions.len() {
            let (a, b) = (&versions[i].label, &versions[j].label);
            let text = f64::from(vectors[i].cosine(&vectors[j])).clamp(0.0, 1.0);
            let claims_part = shared_claims(claims, a, b);
            let actors_part = shared_actors(actors, a, b);
            let raw = combine(
                text,
                claims_part,
                actors_part,
                (TEXT_WEIGHT, CLAIMS_WEIGHT, ACTORS_WEIGHT),
            );
            out.push(Pair {
                a: a.clone(),
                b: b.clone(),
                similarity: round3(calibrate(raw)),
                raw: round3(raw),
                text: round3(text),
                claims: round3(claims_part.unwrap_or(0.0)),
                actors: round3(actors_part.unwrap_or(0.0)),
            });
        }
    }
    out
}

/// Share of the statements of `a` and `b` whose claim the other version makes too; `None`
/// when neither has a claim.
fn shared_claims(claims: &[AlignedClaim], a: &str, b: &str) -> Option<f64> {
    let (mut total, mut shared) = (0usize, 0usize);
    for c in claims {
        let labels = c.labels();
        let (in_a, in_b) = (labels.contains(&a), labels.contains(&b));
        let n = c
            .statements
            .iter()
            .filter(|s| s.version == a || s.version == b)
            .count();
        total += n;
        if in_a && in_b {
            shared += n;
        }
    }
    (total > 0).then(|| shared as f64 / total as f64)
}

/// Weighted Jaccard overlap of the actors `a` and `b` name (weights: mentions); `None` when
/// neither names anyone.
fn shared_actors(actors: &[LinkedActor], a: &str, b: &str) -> Option<f64> {
    let (mut min, mut max) = (0usize, 0usize);
    for x in actors {
        let count = |l: &str| {
            x.naming
                .iter()
                .filter(|n| n.version == l)
                .map(|n| n.mentions)
                .sum::<usize>()
        };
        let (ca, cb) = (count(a), count(b));
        min += ca.min(cb);
        max += ca.max(cb);
    }
    (max > 0).then(|| min as f64 / max as f64)
}
