//! Evaluating the claims a pipeline reports against the annotated set
//! (`evalsets/claims/`): per-document precision at 5 and 10, recall, kind agreement and
//! score distributions, printed as a plain-text report.

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::Analysis;
use crate::document::{Document, Source, SourceFormat};
use crate::error::Error;
use crate::pipeline::Pipeline;

use super::gold::{self, GoldDoc, GoldError};
use super::metrics::{self, BUCKETS, KS, Predicted, SetScores};

/// The files of an evaluation folder.
pub const DEV_FILE: &str = "dev.jsonl";
/// Held-out documents, measured but never tuned on.
pub const HELDOUT_FILE: &str = "heldout.jsonl";
/// The offsets-only annotation of the seed article.
pub const SEED_FILE: &str = "victory-plan-rt.json";

/// Analyses a gold document's text as an English text document.
pub fn analyse(pipeline: &Pipeline, doc: &GoldDoc) -> Result<Analysis, Error> {
    let source = Source {
        input: doc.id.clone(),
        language: "en".into(),
        language_source: "declared".into(),
        format: Some(SourceFormat::Text),
        ..Source::default()
    };
    pipeline.analyze(&Document::new(doc.text.clone(), source))
}

/// The claims of an analysis as the metric sees them.
pub fn predictions(a: &Analysis) -> Vec<Predicted> {
    a.claims
        .iter()
        .map(|c| Predicted {
            start: c.start,
            end: c.end,
            score: c.score,
            kind: Some(c.kind),
        })
        .collect()
}

/// Scores a pipeline's claims on a set of gold documents.
pub fn evaluate(pipeline: &Pipeline, docs: &[GoldDoc]) -> Result<SetScores, Error> {
    let docs = docs
        .iter()
        .map(|d| {
            Ok(metrics::score_document(
                d,
                &predictions(&analyse(pipeline, d)?),
            ))
        })
        .collect::<Result<_, Error>>()?;
    Ok(SetScores { docs })
}

/// A trivial ranking to compare against: every sentence, in text order, scores falling.
pub fn text_order_baseline(doc: &GoldDoc) -> Vec<Predicted> {
    let seg = crate::segment::segment(&doc.text);
    let n = seg.sentences.len().max(1) as f32;
    seg.sentences
        .iter()
        .enumerate()
        .map(|(i, s)| Predicted {
            start: s.start,
            end: s.end,
            score: 1.0 - i as f32 / n,
            kind: None,
        })
        .collect()
}

/// Scores the text-order baseline on a set.
pub fn evaluate_baseline(docs: &[GoldDoc]) -> SetScores {
    SetScores {
        docs: docs
            .iter()
            .map(|d| metrics::score_document(d, &text_order_baseline(d)))
            .collect(),
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.3}"))
}

/// The report of one set: P@5 and P@10 (all documents, articles only, lenient), recall,
/// kind agreement, false alarms and the score distributions.
pub fn report(name: &str, s: &SetScores, per_doc: bool) -> String {
    let mut out = String::new();
    let articles = s.docs.iter().filter(|d| d.article).count();
    let _ = writeln!(
        out,
        "{name}: {} documents ({articles} articles), {} relevant (label 2) clauses",
        s.docs.len(),
        s.docs.iter().map(|d| d.relevant).sum::<usize>()
    );
    for (i, k) in KS.iter().enumerate() {
        let _ = writeln!(
            out,
            "  P@{k:<2}  all {}  articles {}  lenient (labels 1-2) {}",
            fmt_opt(s.precision_at(i, false, false)),
            fmt_opt(s.precision_at(i, true, false)),
            fmt_opt(s.precision_at(i, false, true)),
        );
    }
    let (fa_docs, fa_preds) = s.false_alarms();
    let t = super::REPORT_THRESHOLD;
    let _ = writeln!(
        out,
        "  recall {:.3} (lenient {:.3}; shown, score >= {t}: {:.3})  kind agreement {:.3}  documents without a relevant clause: {fa_docs}, claims on them: {fa_preds}, shown: {}",
        s.recall(false),
        s.recall(true),
        s.recall_at(t),
        s.kind_accuracy(),
        s.false_alarms_at(t)
    );
    let _ = writeln!(
        out,
        "  if reports showed claims from: {}",
        [0.2f32, 0.3, 0.4, 0.5, 0.6]
            .iter()
            .map(|&t| format!(
                "{t:.1} recall {:.3}, {} on documents without a relevant clause",
                s.recall_at(t),
                s.false_alarms_at(t)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let _ = writeln!(
        out,
        "  score distribution     {}  not reported",
        BUCKETS
            .iter()
            .map(|lo| format!("[{lo:.1},{:.1})", (lo + 0.2).min(1.0)))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (label, what) in [
        (2u8, "label 2 (relevant)  "),
        (1, "label 1 (borderline)"),
        (0, "label 0 / unmarked  "),
    ] {
        let (b, missing) = s.distribution(label);
        let _ = writeln!(
            out,
            "    {what}  {}  {missing:>9}",
            b.iter()
                .map(|n| format!("{n:>9}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if per_doc {
        for d in &s.docs {
            let _ = writeln!(
                out,
                "    {:<10} relevant {:>2} found {:>2} reported {:>3}  P@5 {}  P@10 {}",
                d.id,
                d.relevant,
                d.found,
                d.predicted,
                fmt_opt(d.precision_at[0]),
                fmt_opt(d.precision_at[1])
            );
        }
    }
    out
}

/// Loads a set file of an evaluation folder.
pub fn load_set(dir: &Path, file: &str) -> Result<Vec<GoldDoc>, GoldError> {
    gold::load_jsonl(&dir.join(file))
}
