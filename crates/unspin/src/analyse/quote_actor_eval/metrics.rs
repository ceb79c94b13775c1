//! The metrics of `unspin eval quotes` and `unspin eval actors`, accumulated passage by
//! passage and micro-averaged over a whole set (sums divided by totals).
//!
//! # Definitions
//!
//! - **Quote-span P/R/F1** is the span-identification metric of SemEval-2020 Task 11
//!   ([`SiAccumulator`]): overlapping spans are merged on each side, then
//!   `P = Σ_s Σ_g |s∩g|/|s| / #pred` and `R = Σ_s Σ_g |s∩g|/|g| / #gold`, so a predicted
//!   quote earns partial credit for the part of it that is gold.
//! - **Actor mapping.** Each predicted actor maps to the gold actor that shares the most
//!   mentions with it (same `start..end`), ties to the gold actor listed first; a predicted
//!   actor sharing no mention maps to nothing.
//! - **Attribution accuracy** is over gold quotes that some predicted quote overlaps (the
//!   one with the largest overlap is its match): correct when the gold actor is null and the
//!   prediction's actor is null, or when the prediction's actor maps to the gold actor.
//!   Gold quotes with a null actor count (an unresolvable speaker must stay null); the
//!   report also gives the accuracy on named and on null gold speakers apart. Kind and
//!   `elided` accuracies are over the same matched quotes.
//! - **Mention detection** P/R/F1 counts mentions with exactly the gold `start..end`.
//! - **B³** (Bagga & Baldwin 1998) over mentions, with the usual treatment of mentions that
//!   only one side has: for each gold mention `m`, recall `|G(m)∩P(m)|/|G(m)|`, where
//!   `P(m)` is the predicted actor holding the same span, or `{m}` alone when no predicted
//!   mention has it; for each predicted mention, precision `|G(m)∩P(m)|/|P(m)|` with
//!   `G(m) = {m}` when no gold mention has its span. P and R are the means over gold and
//!   predicted mentions of the whole set.
//! - **Descriptor-to-actor accuracy** is over gold descriptors: correct when a predicted
//!   descriptor of a predicted actor that maps to the descriptor's gold actor overlaps it by
//!   at least half of the longer of the two (`2·|d∩e| ≥ max(|d|, |e|)`). Descriptor
//!   precision is the share of predicted descriptors that match a gold descriptor of the
//!   gold actor their actor maps to, in the same way.
//!
//! A ratio with nothing to count (no gold and no predictions) is 1; a zero denominator
//! otherwise gives 0.

use std::collections::HashMap;

use crate::analyse::techniques::eval::metrics::{Prf, SiAccumulator, SiScore, Span};
use crate::analysis::{Actor, Quote};

use super::dataset::Passage;

/// Maps predicted actor ids to gold actor ids by shared mentions (see the module docs).
pub fn map_actors(gold: &Passage, pred: &[Actor]) -> HashMap<String, String> {
    let owner: HashMap<(usize, usize), usize> = gold
        .actors
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.mentions.iter().map(move |m| ((m.start, m.end), i)))
        .collect();
    let mut map = HashMap::new();
    for p in pred {
        let mut counts = vec![0usize; gold.actors.len()];
        for m in &p.mentions {
            if let Some(&g) = owner.get(&(m.start, m.end)) {
                counts[g] += 1;
            }
        }
        let best = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)));
        if let Some((g, _)) = best {
            map.insert(p.id.clone(), gold.actors[g].id.clone());
        }
    }
    map
}

/// `num / den`, 1 when both are 0, 0 when only the denominator is.
fn ratio(num: usize, den: usize) -> f64 {
    match (num, den) {
        (0, 0) => 1.0,
        (_, 0) => 0.0,
        _ => num as f64 / den as f64,
    }
}

/// Quote scores accumulated over passages.
#[derive(Debug, Clone, Default)]
pub struct QuoteAccumulator {
    spans: SiAccumulator,
    gold: usize,
    matched: usize,
    correct: usize,
    named: usize,
    named_correct: usize,
    null: usize,
    null_correct: usize,
    kind_correct: usize,
    elided_correct: usize,
}

/// Quote scores of a set.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteScore {
    /// Quote-span P/R/F1 with span counts.
    pub spans: SiScore,
    /// Gold quotes.
    pub gold: usize,
    /// Gold quotes overlapped by a predicted quote.
    pub matched: usize,
    /// Attribution accuracy over matched gold quotes.
    pub attribution: f64,
    /// Matched gold quotes with a named actor, and the accuracy on them.
    pub named: (usize, f64),
    /// Matched gold quotes with a null actor, and the accuracy on them.
    pub null: (usize, f64),
    /// Kind accuracy over matched gold quotes.
    pub kind: f64,
    /// `elided` accuracy over matched gold quotes.
    pub elided: f64,
}

impl QuoteAccumulator {
    /// Adds one passage: its gold, the predicted quotes and the predicted actors.
    pub fn add(&mut self, gold: &Passage, quotes: &[Quote], actors: &[Actor]) {
        let g: Vec<Span> = gold
            .quotes
            .iter()
            .map(|q| Span::new(q.start, q.end))
            .collect();
        let p: Vec<Span> = quotes.iter().map(|q| Span::new(q.start, q.end)).collect();
        self.spans.add(&g, &p);
        let map = map_actors(gold, actors);
        for (gq, gs) in gold.quotes.iter().zip(&g) {
            self.gold += 1;
            let best = quotes
                .iter()
                .zip(&p)
                .map(|(q, s)| (q, s.overlap(gs)))
                .filter(|(_, o)| *o > 0)
                .max_by_key(|(_, o)| *o);
            let Some((pq, _)) = best else { continue };
            self.matched += 1;
            let predicted = pq.actor.as_ref().map(|a| map.get(&a.id));
            let right = match (&gq.actor, predicted) {
                (None, None) => true,
                (Some(g), Some(Some(m))) => g == m,
                _ => false,
            };
            self.correct += usize::from(right);
            if gq.actor.is_some() {
                self.named += 1;
                self.named_correct += usize::from(right);
            } else {
                self.null += 1;
                self.null_correct += usize::from(right);
            }
            self.kind_correct += usize::from(pq.kind == gq.kind);
            self.elided_correct += usize::from(pq.elided == gq.elided);
        }
    }

    /// The scores so far.
    pub fn score(&self) -> QuoteScore {
        QuoteScore {
            spans: self.spans.score(),
            gold: self.gold,
            matched: self.matched,
            attribution: ratio(self.correct, self.matched),
            named: (self.named, ratio(self.named_correct, self.named)),
            null: (self.null, ratio(self.null_correct, self.null)),
            kind: ratio(self.kind_correct, self.matched),
            elided: ratio(self.elided_correct, self.matched),
        }
    }
}

/// Actor scores accumulated over passages.
#[derive(Debug, Clone, Default)]
pub struct ActorAccumulator {
    gold_mentions: usize,
    pred_mentions: usize,
    exact: usize,
    b3_recall: f64,
    b3_precision: f64,
    gold_descriptors: usize,
    descriptors_right: usize,
    pred_descriptors: usize,
    pred_descriptors_right: usize,
}

/// Actor scores of a set.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorScore {
    /// Mention detection (exact spans).
    pub mentions: Prf,
    /// Gold and predicted mentions.
    pub counts: (usize, usize),
    /// B³ over mentions.
    pub b3: Prf,
    /// Gold descriptors and the share attached to the right actor.
    pub descriptors: (usize, f64),
    /// Predicted descriptors and the share that match a gold descriptor of their actor.
    pub descriptor_precision: (usize, f64),
}

/// Two descriptor spans match when they share at least half of the longer one.
fn descriptor_match(a: Span, b: Span) -> bool {
    let o = a.overlap(&b);
    o > 0 && 2 * o >= a.len().max(b.len())
}

impl ActorAccumulator {
    /// Adds one passage: its gold and the predicted actors.
    pub fn add(&mut self, gold: &Passage, actors: &[Actor]) {
        let mut gc: HashMap<(usize, usize), usize> = HashMap::new();
        for (i, a) in gold.actors.iter().enumerate() {
            for m in &a.mentions {
                gc.entry((m.start, m.end)).or_insert(i);
            }
        }
        let mut pc: HashMap<(usize, usize), usize> = HashMap::new();
        for (i, a) in actors.iter().enumerate() {
            for m in &a.mentions {
                pc.entry((m.start, m.end)).or_insert(i);
            }
        }
        let mut gsize = vec![0usize; gold.actors.len()];
        gc.values().for_each(|&g| gsize[g] += 1);
        let mut psize = vec![0usize; actors.len()];
        pc.values().for_each(|&p| psize[p] += 1);
        let mut both: HashMap<(usize, usize), usize> = HashMap::new();
        for (k, g) in &gc {
            if let Some(p) = pc.get(k) {
                *both.entry((*g, *p)).or_default() += 1;
            }
        }
        for (k, g) in &gc {
            self.b3_recall += match pc.get(k) {
                Some(p) => both[&(*g, *p)] as f64 / gsize[*g] as f64,
                None => 1.0 / gsize[*g] as f64,
            };
        }
        for (k, p) in &pc {
            self.b3_precision += match gc.get(k) {
                Some(g) => both[&(*g, *p)] as f64 / psize[*p] as f64,
                None => 1.0 / psize[*p] as f64,
            };
        }
        self.gold_mentions += gc.len();
        self.pred_mentions += pc.len();
        self.exact += gc.keys().filter(|k| pc.contains_key(k)).count();

        let map = map_actors(gold, actors);
        let pred_desc: Vec<(Option<&String>, Span)> = actors
            .iter()
            .flat_map(|a| {
                let g = map.get(&a.id);
                a.descriptors
                    .iter()
                    .map(move |d| (g, Span::new(d.start, d.end)))
            })
            .collect();
        for a in &gold.actors {
            for d in &a.descriptors {
                self.gold_descriptors += 1;
                let ds = Span::new(d.start, d.end);
                self.descriptors_right += usize::from(
                    pred_desc
                        .iter()
                        .any(|(g, e)| *g == Some(&a.id) && descriptor_match(ds, *e)),
                );
            }
        }
        for (g, e) in &pred_desc {
            self.pred_descriptors += 1;
            let right = g.is_some_and(|g| {
                gold.actors.iter().any(|a| {
                    &a.id == g
                        && a.descriptors
                            .iter()
                            .any(|d| descriptor_match(Span::new(d.start, d.end), *e))
                })
            });
            self.pred_descriptors_right += usize::from(right);
        }
    }

    /// The scores so far.
    pub fn score(&self) -> ActorScore {
        let b3 = Prf::from_parts(
            self.b3_precision,
            self.pred_mentions as f64,
            self.b3_recall,
            self.gold_mentions as f64,
        );
        let exact = self.exact as f64;
        ActorScore {
            mentions: Prf::from_parts(
                exact,
                self.pred_mentions as f64,
                exact,
                self.gold_mentions as f64,
            ),
            counts: (self.gold_mentions, self.pred_mentions),
            b3,
            descriptors: (
                self.gold_descriptors,
                ratio(self.descriptors_right, self.gold_descriptors),
            ),
            descriptor_precision: (
                self.pred_descriptors,
                ratio(self.pred_descriptors_right, self.pred_descriptors),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::quote_actor_eval::dataset::{GoldActor, GoldMention, GoldQuote, GoldSpan};
    use crate::analysis::{ActorRef, ActorType, Mention, MentionKind, QuoteKind};
    use crate::span::TextSpan;

    fn gold_actor(
        id: &str,
        mentions: &[(usize, usize)],
        descriptors: &[(usize, usize)],
    ) -> GoldActor {
        GoldActor {
            id: id.into(),
            name: id.into(),
            kind: ActorType::Person,
            mentions: mentions
                .iter()
                .map(|&(start, end)| GoldMention {
                    start,
                    end,
                    text: None,
                    kind: MentionKind::Name,
                })
                .collect(),
            descriptors: descriptors
                .iter()
                .map(|&(start, end)| GoldSpan {
                    start,
                    end,
                    text: None,
                })
                .collect(),
        }
    }

    fn actor(id: &str, mentions: &[(usize, usize)], descriptors: &[(usize, usize)]) -> Actor {
        Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorType::Person,
            mentions: mentions
                .iter()
                .map(|&(start, end)| Mention {
                    start,
                    end,
                    text: String::new(),
                    kind: MentionKind::Name,
                })
                .collect(),
            descriptors: descriptors
                .iter()
                .map(|&(start, end)| TextSpan {
                    start,
                    end,
                    text: String::new(),
                })
                .collect(),
        }
    }

    fn passage(actors: Vec<GoldActor>, quotes: Vec<GoldQuote>) -> Passage {
        Passage {
            id: "t".into(),
            topic: String::new(),
            text: String::new(),
            actors,
            quotes,
        }
    }

    fn gold_quote(start: usize, end: usize, actor: Option<&str>) -> GoldQuote {
        GoldQuote {
            id: None,
            start,
            end,
            text: None,
            kind: QuoteKind::Direct,
            cue: None,
            speaker: None,
            actor: actor.map(str::to_owned),
            elided: false,
            note: String::new(),
        }
    }

    fn quote(start: usize, end: usize, actor: Option<&str>, kind: QuoteKind) -> Quote {
        Quote {
            start,
            end,
            text: String::new(),
            kind,
            cue: None,
            speaker: None,
            actor: actor.map(|id| ActorRef {
                id: id.into(),
                name: id.into(),
                kind: ActorType::Person,
            }),
            resolution: String::new(),
            elided: false,
            continues: None,
            confidence: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn b3_of_an_overmerged_cluster() {
        // Gold A = {m1, m2}, B = {m3}; predicted one actor holding all three.
        let gold = passage(
            vec![
                gold_actor("A", &[(0, 7), (13, 16)], &[]),
                gold_actor("B", &[(27, 30)], &[]),
            ],
            vec![],
        );
        let pred = [actor("p1", &[(0, 7), (13, 16), (27, 30)], &[])];
        let mut acc = ActorAccumulator::default();
        acc.add(&gold, &pred);
        let s = acc.score();
        // Recall: every gold mention finds its whole gold cluster in p1 -> 1.
        // Precision: m1, m2 -> 2/3 each, m3 -> 1/3; mean 5/9.
        assert!(close(s.b3.recall, 1.0));
        assert!(close(s.b3.precision, 5.0 / 9.0));
        assert!(close(s.b3.f1, 10.0 / 14.0));
        assert!(close(s.mentions.f1, 1.0));
    }

    #[test]
    fn b3_with_mentions_only_one_side_has() {
        // Gold A = {m1, m2}; predicted p1 = {m1}, p2 = {x} (not gold).
        let gold = passage(vec![gold_actor("A", &[(0, 7), (13, 16)], &[])], vec![]);
        let pred = [actor("p1", &[(0, 7)], &[]), actor("p2", &[(40, 45)], &[])];
        let mut acc = ActorAccumulator::default();
        acc.add(&gold, &pred);
        let s = acc.score();
        // Recall: m1 -> |{m1}|/2, m2 (missed) -> 1/2; mean 1/2. Precision: 1 and 1.
        assert!(close(s.b3.recall, 0.5));
        assert!(close(s.b3.precision, 1.0));
        assert!(close(s.mentions.precision, 0.5));
        assert!(close(s.mentions.recall, 0.5));
    }

    #[test]
    fn descriptors_count_on_the_mapped_actor() {
        let gold = passage(vec![gold_actor("A", &[(30, 35)], &[(0, 10)])], vec![]);
        // (2,10) shares 8 of the longer 10 code points: a match; (20,25) matches nothing.
        let pred = [actor("p1", &[(30, 35)], &[(2, 10), (20, 25)])];
        let mut acc = ActorAccumulator::default();
        acc.add(&gold, &pred);
        let s = acc.score();
        assert_eq!(s.descriptors, (1, 1.0));
        assert_eq!(s.descriptor_precision, (2, 0.5));
        // The same descriptor on an actor that maps elsewhere does not count.
        let mut acc = ActorAccumulator::default();
        acc.add(&gold, &[actor("p1", &[(50, 55)], &[(2, 10)])]);
        assert_eq!(acc.score().descriptors, (1, 0.0));
        // A descriptor sharing less than half of the longer span does not count.
        assert!(!descriptor_match(Span::new(0, 10), Span::new(6, 10)));
    }

    #[test]
    fn quote_spans_and_attribution() {
        let gold = passage(
            vec![
                gold_actor("a1", &[(0, 5)], &[]),
                gold_actor("a2", &[(50, 55)], &[]),
            ],
            vec![gold_quote(10, 20, Some("a1")), gold_quote(30, 40, None)],
        );
        let actors = [actor("p1", &[(0, 5)], &[]), actor("p2", &[(50, 55)], &[])];
        let quotes = [
            quote(10, 20, Some("p1"), QuoteKind::Direct),
            quote(32, 40, Some("p2"), QuoteKind::Indirect),
        ];
        let mut acc = QuoteAccumulator::default();
        acc.add(&gold, &quotes, &actors);
        let s = acc.score();
        // P = (10/10 + 8/8)/2 = 1; R = (10/10 + 8/10)/2 = 0.9.
        assert!(close(s.spans.prf.precision, 1.0));
        assert!(close(s.spans.prf.recall, 0.9));
        assert!(close(s.spans.prf.f1, 1.8 / 1.9));
        // The second gold quote has no speaker but the prediction names one: wrong.
        assert_eq!(s.matched, 2);
        assert!(close(s.attribution, 0.5));
        assert_eq!(s.named, (1, 1.0));
        assert_eq!(s.null, (1, 0.0));
        assert!(close(s.kind, 0.5));
    }

    #[test]
    fn unmatched_gold_quotes_do_not_count_for_attribution() {
        let gold = passage(
            vec![gold_actor("a1", &[(0, 5)], &[])],
            vec![gold_quote(10, 20, Some("a1"))],
        );
        let mut acc = QuoteAccumulator::default();
        acc.add(&gold, &[quote(25, 30, None, QuoteKind::Direct)], &[]);
        let s = acc.score();
        assert_eq!((s.gold, s.matched), (1, 0));
        assert!(close(s.attribution, 1.0));
        assert!(close(s.spans.prf.f1, 0.0));
    }
}
