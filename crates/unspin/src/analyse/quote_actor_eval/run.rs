//! Runs the quotes and actors analysers on every passage of a set and scores them.

use crate::analysis::{Actor, Quote};

use super::dataset::Passage;
use super::metrics::{ActorAccumulator, ActorScore, QuoteAccumulator, QuoteScore};

/// What the analysers found in one passage.
#[derive(Debug, Clone, Default)]
pub struct Predicted {
    /// Quotes.
    pub quotes: Vec<Quote>,
    /// Actors.
    pub actors: Vec<Actor>,
}

/// Runs segmentation, the actors analyser and the quotes analyser on a text.
pub fn predict(text: &str) -> Predicted {
    predict_segmented(text, &unspin_segment::segment(text))
}

/// Runs the actors analyser and the quotes analyser on a segmented text.
pub fn predict_segmented(text: &str, seg: &unspin_segment::Segmentation) -> Predicted {
    let a = crate::analyse::RecognisedActors::new(text, seg);
    let quotes =
        crate::analyse::quotes::find_quotes(&a.words, seg, &a.entities, &a.actors, &a.index);
    Predicted {
        quotes,
        actors: a.actors,
    }
}

/// Runs segmentation and the actors and quotes analysers without the confidence model,
/// returning each quote's signals beside the predictions.
pub fn predict_with_signals(
    text: &str,
) -> (Predicted, Vec<crate::analyse::quotes::confidence::Signals>) {
    let seg = unspin_segment::segment(text);
    let a = crate::analyse::RecognisedActors::new(text, &seg);
    let (quotes, signals) = crate::analyse::quotes::find_quotes_with_signals(
        &a.words,
        &seg,
        &a.entities,
        &a.actors,
        &a.index,
    )
    .into_iter()
    .unzip();
    (
        Predicted {
            quotes,
            actors: a.actors,
        },
        signals,
    )
}

/// Scores of one set of passages.
#[derive(Debug, Clone)]
pub struct SetReport {
    /// Passages scored.
    pub passages: usize,
    /// Quote scores.
    pub quotes: QuoteScore,
    /// Actor scores.
    pub actors: ActorScore,
}

/// Analyses and scores every passage.
pub fn evaluate(passages: &[Passage]) -> SetReport {
    let mut q = QuoteAccumulator::default();
    let mut a = ActorAccumulator::default();
    for p in passages {
        let pred = predict(&p.text);
        q.add(p, &pred.quotes, &pred.actors);
        a.add(p, &pred.actors);
    }
    SetReport {
        passages: passages.len(),
        quotes: q.score(),
        actors: a.score(),
    }
}

/// One row per set: name and report.
pub type Rows = [(String, SetReport)];

/// The quote scores of each set as a plain-text table.
pub fn quote_table(rows: &Rows) -> String {
    let mut s = format!(
        "{:<16} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}  {:>7}  {:>11} {:>13} {:>13}  {:>5} {:>6}\n",
        "set",
        "texts",
        "gold",
        "pred",
        "span-P",
        "span-R",
        "F1",
        "matched",
        "attribution",
        "named (n)",
        "null (n)",
        "kind",
        "elided"
    );
    for (name, r) in rows {
        let q = &r.quotes;
        s.push_str(&format!(
            "{:<16} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}  {:>7}  {:>11.3} {:>8.3} ({:>2}) {:>8.3} ({:>2})  {:>5.3} {:>6.3}\n",
            name,
            r.passages,
            q.spans.gold_spans,
            q.spans.pred_spans,
            q.spans.prf.precision,
            q.spans.prf.recall,
            q.spans.prf.f1,
            q.matched,
            q.attribution,
            q.named.1,
            q.named.0,
            q.null.1,
            q.null.0,
            q.kind,
            q.elided
        ));
    }
    s
}

/// The actor scores of each set as a plain-text table.
pub fn actor_table(rows: &Rows) -> String {
    let mut s = format!(
        "{:<16} {:>5} {:>5} {:>5}  {:>9} {:>9} {:>9}  {:>6} {:>6} {:>6}  {:>16} {:>16}\n",
        "set",
        "texts",
        "gold",
        "pred",
        "mention-P",
        "mention-R",
        "F1",
        "B3-P",
        "B3-R",
        "B3-F1",
        "descriptors (n)",
        "desc. prec. (n)"
    );
    for (name, r) in rows {
        let a = &r.actors;
        s.push_str(&format!(
            "{:<16} {:>5} {:>5} {:>5}  {:>9.3} {:>9.3} {:>9.3}  {:>6.3} {:>6.3} {:>6.3}  {:>10.3} ({:>3}) {:>10.3} ({:>3})\n",
            name,
            r.passages,
            a.counts.0,
            a.counts.1,
            a.mentions.precision,
            a.mentions.recall,
            a.mentions.f1,
            a.b3.precision,
            a.b3.recall,
            a.b3.f1,
            a.descriptors.1,
            a.descriptors.0,
            a.descriptor_precision.1,
            a.descriptor_precision.0
        ));
    }
    s
}

/// The scores of each set as JSON (`{"dev": {"quotes": {...}, "actors": {...}}, ...}`).
pub fn to_json(rows: &Rows) -> serde_json::Value {
    let prf = |p: &crate::analyse::techniques::eval::metrics::Prf| serde_json::json!({"precision": p.precision, "recall": p.recall, "f1": p.f1});
    let mut out = serde_json::Map::new();
    for (name, r) in rows {
        let (q, a) = (&r.quotes, &r.actors);
        out.insert(
            name.clone(),
            serde_json::json!({
                "passages": r.passages,
                "quotes": {
                    "span": prf(&q.spans.prf),
                    "gold": q.spans.gold_spans,
                    "predicted": q.spans.pred_spans,
                    "matched": q.matched,
                    "attribution": q.attribution,
                    "attribution_named": {"n": q.named.0, "accuracy": q.named.1},
                    "attribution_null": {"n": q.null.0, "accuracy": q.null.1},
                    "kind": q.kind,
                    "elided": q.elided,
                },
                "actors": {
                    "mentions": prf(&a.mentions),
                    "gold_mentions": a.counts.0,
                    "predicted_mentions": a.counts.1,
                    "b3": prf(&a.b3),
                    "descriptor_accuracy": {"n": a.descriptors.0, "accuracy": a.descriptors.1},
                    "descriptor_precision": {"n": a.descriptor_precision.0, "precision": a.descriptor_precision.1},
                },
            }),
        );
    }
    serde_json::Value::Object(out)
}

/// Evaluates every set of an evaluation set folder: dev, held-out and each offsets-only
/// text found.
pub fn evaluate_set(set: &super::dataset::EvalSet) -> Vec<(String, SetReport)> {
    let mut rows = vec![
        ("dev".to_owned(), evaluate(&set.dev)),
        ("held-out".to_owned(), evaluate(&set.heldout)),
    ];
    for p in &set.external {
        rows.push((p.id.clone(), evaluate(std::slice::from_ref(p))));
    }
    rows
}
