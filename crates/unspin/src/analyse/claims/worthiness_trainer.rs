//! Training and cross-validation of the check-worthiness model on the development sets
//! ([`debates`](super::debates)).
//!
//! Every sentence is featurised as the analyser sees it: its tokens, its clauses, the cues
//! of each (the whole sentence is one training example, its label the sentence's). The
//! model is a binary logistic regression over hashed features with an L2 penalty, fitted
//! with the deterministic L-BFGS of [`linear`](crate::analyse::linear). CheckThat!
//! sentences get their own unpenalised offset, so the shared weights learn what makes a
//! sentence worth checking while the bias keeps ClaimBuster's base rate: the shipped
//! probability is calibrated to ClaimBuster's labels.
//!
//! Cross-validation is by debate: the CheckThat! 2020 parts that are 2019 debates again go
//! to the same fold as the 2019 debate, ClaimBuster's pseudo-debates (100 neighbouring
//! ids) are folded like debates, and no training fold keeps a sentence whose text (letters
//! and digits) occurs in the held-out fold.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use unspin_segment::segment;

use crate::analyse::linear::{SparseRows, lbfgs};
use crate::document::{Document, Source};

use super::analyser::{sentence_clauses, states_something};
use super::debates::{Debate, DevData, fingerprint};
use super::features;
use super::ranking::{self, DebateScores, SetRanking};
use super::scorer;
use super::words::{Word, sentence_words};
use super::worthiness::{self, ClauseInput, DEFAULT_BITS, FEATURE_VERSION, WorthinessModel};

/// The training choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Bits of the hashed feature table.
    pub bits: u8,
    /// L2 penalty on the feature weights (per example, the loss being a mean).
    pub l2: f64,
    /// Weight of a CheckThat! sentence relative to a ClaimBuster one.
    pub checkthat_weight: f64,
    /// Folds of the cross-validation.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// L-BFGS iterations at most.
    pub max_iter: usize,
    /// Weight of the hand-set rules' log-odds, a fixed prior the model corrects.
    pub rules_weight: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: DEFAULT_BITS,
            l2: 1e-4,
            checkthat_weight: 1.0,
            folds: 5,
            seed: 13,
            max_iter: 300,
            rules_weight: 1.0,
        }
    }
}

/// Sparse features as (slot, value) pairs.
pub type Row = Vec<(u32, f32)>;

/// One development sentence, featurised.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// 1 check-worthy, 0 not.
    pub label: u8,
    /// Features of the whole sentence as one clause (the training example), with the
    /// rules' log-odds of it.
    pub whole: (Row, f32),
    /// Features of each of its clauses that states something, as the analyser scores them,
    /// with the rules' log-odds of each.
    pub clauses: Vec<(Row, f32)>,
    /// Today's hand-set score of its best clause (0 when it has none).
    pub rules: f32,
    /// Length in code points (the length baseline).
    pub chars: usize,
    /// Letters and digits, lowercased (duplicate detection).
    pub fingerprint: String,
}

/// One featurised debate.
#[derive(Debug, Clone)]
pub struct PreparedDebate {
    /// Its id in the set.
    pub id: String,
    /// Index of the set in [`DevData::sets`] order.
    pub set: usize,
    /// Fold-assignment group (2019 debates and their 2020 copies share one).
    pub group: String,
    /// Sentences in order.
    pub sentences: Vec<Prepared>,
}

/// The words of a sentence given on its own.
fn with_words<R>(text: &str, f: impl FnOnce(&[Word<'_>]) -> R) -> R {
    let doc = Document::new(text.to_owned(), Source::default());
    let seg = segment(text);
    let words: Vec<Word<'_>> = sentence_words(&doc, &seg).into_iter().flatten().collect();
    f(&words)
}

fn row(model_bits: u8, input: &ClauseInput<'_, '_>) -> Row {
    worthiness::active(input, model_bits)
        .into_iter()
        .map(|a| (a.index, a.value))
        .collect()
}

/// Featurises one sentence.
pub fn prepare_sentence(text: &str, label: u8, bits: u8) -> Prepared {
    with_words(text, |words| {
        let all = 0..words.len();
        let f = features::extract(words, all.clone(), false);
        let kind = scorer::kind(&f);
        let whole = (
            row(
                bits,
                &ClauseInput {
                    words,
                    range: all,
                    features: &f,
                    kind,
                    clause: 0,
                    clauses: 1,
                },
            ),
            scorer::rules_logit(&f),
        );
        let parts = sentence_clauses(words, false);
        let rules = parts
            .iter()
            .map(|p| scorer::score(&p.features).score)
            .fold(0.0, f32::max);
        let clauses = parts
            .iter()
            .filter(|p| states_something(&p.features))
            .map(|p| (row(bits, &p.input(words)), scorer::rules_logit(&p.features)))
            .collect();
        Prepared {
            label,
            whole,
            clauses,
            rules,
            chars: text.chars().count(),
            fingerprint: fingerprint(text),
        }
    })
}

/// The fold group of a debate: a 2020 part that is a 2019 debate again shares its group.
fn group_of(set: &str, id: &str, ct19: &HashSet<&str>) -> String {
    match id.strip_prefix("ct20-train:") {
        Some(rest) if ct19.contains(rest) => format!("checkthat:{rest}"),
        _ if set == "checkthat-2019" => format!("checkthat:{id}"),
        _ => id.to_owned(),
    }
}

/// Featurises every debate of every set (in parallel).
pub fn prepare(data: &DevData, bits: u8) -> Vec<PreparedDebate> {
    let ct19: HashSet<&str> = data.ct19.iter().map(|d| d.id.as_str()).collect();
    let debates: Vec<(usize, &str, &Debate)> = data
        .sets()
        .into_iter()
        .enumerate()
        .flat_map(|(k, (name, ds))| ds.iter().map(move |d| (k, name, d)))
        .collect();
    debates
        .par_iter()
        .map(|&(set, name, d)| PreparedDebate {
            id: d.id.clone(),
            set,
            group: group_of(name, &d.id, &ct19),
            sentences: d
                .sentences
                .iter()
                .map(|s| prepare_sentence(&s.text, s.label, bits))
                .collect(),
        })
        .collect()
}

fn mix(seed: u64, s: &str) -> u64 {
    let mut h = seed ^ 0x9e37_79b9_7f4a_7c15;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The fold of each group: groups of each set are ordered by a seeded hash and dealt out
/// in turn, so every fold holds a share of every set.
pub fn assign_folds(debates: &[PreparedDebate], folds: usize, seed: u64) -> HashMap<String, usize> {
    let mut by_set: Vec<Vec<&str>> = Vec::new();
    let mut seen = HashSet::new();
    for d in debates {
        if seen.insert(d.group.as_str()) {
            if by_set.len() <= d.set {
                by_set.resize(d.set + 1, Vec::new());
            }
            by_set[d.set].push(&d.group);
        }
    }
    let mut out = HashMap::new();
    let mut next = 0;
    for groups in &mut by_set {
        groups.sort_by_key(|g| (mix(seed, g), *g));
        for g in groups.iter() {
            out.insert((*g).to_owned(), next % folds);
            next += 1;
        }
    }
    out
}

/// Fits the model on the sentences given (whole-sentence rows), CheckThat! ones flagged.
pub fn fit(examples: &[(&Prepared, bool)], cfg: &TrainConfig) -> WorthinessModel {
    let n = 1usize << cfg.bits;
    let mut x = SparseRows::new();
    let mut y = Vec::with_capacity(examples.len());
    let mut sw = Vec::with_capacity(examples.len());
    let mut ct = Vec::with_capacity(examples.len());
    let mut prior = Vec::with_capacity(examples.len());
    for (p, checkthat) in examples {
        x.push_row(p.whole.0.iter().copied());
        prior.push(cfg.rules_weight * f64::from(p.whole.1));
        y.push(f64::from(p.label));
        sw.push(if *checkthat {
            cfg.checkthat_weight
        } else {
            1.0
        });
        ct.push(*checkthat);
    }
    let total: f64 = sw.iter().sum();
    // Parameters: n feature weights, the bias, the CheckThat! offset.
    let mut w = vec![0.0f64; n + 2];
    let base = y.iter().zip(&sw).map(|(y, s)| y * s).sum::<f64>() / total;
    w[n] = (base.clamp(1e-3, 1.0 - 1e-3) / (1.0 - base.clamp(1e-3, 1.0 - 1e-3))).ln();
    let objective = |w: &[f64], g: &mut [f64]| -> f64 {
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut loss = 0.0;
        for i in 0..x.rows() {
            let mut z = w[n] + prior[i] + if ct[i] { w[n + 1] } else { 0.0 };
            for (j, v) in x.row(i) {
                z += w[j] * f64::from(v);
            }
            let a = sw[i] / total;
            // Stable log(1 + e^z) - y z.
            let lse = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            loss += a * (lse - y[i] * z);
            let d = a * (1.0 / (1.0 + (-z).exp()) - y[i]);
            for (j, v) in x.row(i) {
                g[j] += d * f64::from(v);
            }
            g[n] += d;
            if ct[i] {
                g[n + 1] += d;
            }
        }
        for j in 0..n {
            loss += 0.5 * cfg.l2 * w[j] * w[j];
            g[j] += cfg.l2 * w[j];
        }
        loss
    };
    lbfgs(objective, &mut w, cfg.max_iter, 10, 1e-7);
    WorthinessModel {
        feature_version: FEATURE_VERSION,
        bits: cfg.bits,
        bias: w[n] as f32,
        weights: w[..n].iter().map(|&v| v as f32).collect(),
        calibration: (1.0, 0.0),
        rules_weight: cfg.rules_weight as f32,
    }
}

/// Fits Platt scaling `σ(a·z + b)` of log-odds `z` to labels by Newton's method.
pub fn fit_platt(z: &[f64], y: &[u8]) -> (f64, f64) {
    let (mut a, mut b) = (1.0f64, 0.0f64);
    for _ in 0..50 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for (&zi, &yi) in z.iter().zip(y) {
            let p = 1.0 / (1.0 + (-(a * zi + b)).exp());
            let d = p - f64::from(yi);
            let h = p * (1.0 - p);
            ga += d * zi;
            gb += d;
            haa += h * zi * zi;
            hab += h * zi;
            hbb += h;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-9 {
            break;
        }
    }
    (a, b)
}

fn logit(m: &WorthinessModel, (row, rules): &(Row, f32)) -> f32 {
    m.bias
        + m.rules_weight * rules
        + row
            .iter()
            .map(|&(j, v)| m.weights[j as usize] * v)
            .sum::<f32>()
}

/// Out-of-fold scores of one sentence under each scorer compared.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    /// The model on the whole sentence.
    pub whole: f32,
    /// The model's best clause (what the analyser would rank the sentence by), 0 without
    /// a clause that states something.
    pub clauses: f32,
}

/// The cross-validated scores of every sentence, debate by debate (same order as
/// `debates`).
pub fn cross_validate(debates: &[PreparedDebate], cfg: &TrainConfig) -> Vec<Vec<Scores>> {
    calibrate(debates, cfg, &cross_validate_raw(debates, cfg))
}

/// Calibrated out-of-fold scores from the raw ones of [`cross_validate_raw`].
pub fn calibrate(
    debates: &[PreparedDebate],
    cfg: &TrainConfig,
    raw: &[Vec<(f32, f32)>],
) -> Vec<Vec<Scores>> {
    let folds = assign_folds(debates, cfg.folds, cfg.seed);
    let fold_of = |d: &PreparedDebate| folds[&d.group];
    // Platt scaling of each fold, fitted on the other folds' ClaimBuster sentences.
    let platt: Vec<(f32, f32)> = (0..cfg.folds)
        .map(|f| {
            let (z, y) = platt_data(debates, raw, |d| fold_of(d) != f);
            let (a, b) = fit_platt(&z, &y);
            (a as f32, b as f32)
        })
        .collect();
    debates
        .iter()
        .zip(raw)
        .map(|(d, r)| {
            let (a, b) = platt[fold_of(d)];
            let p = |z: f32| {
                if z.is_finite() {
                    worthiness::sigmoid(a * z + b)
                } else {
                    0.0
                }
            };
            r.iter()
                .map(|&(whole, best)| Scores {
                    whole: p(whole),
                    clauses: p(best),
                })
                .collect()
        })
        .collect()
}

/// Out-of-fold raw log-odds of every sentence: (whole sentence, best clause; −∞ without
/// a clause that states something).
pub fn cross_validate_raw(debates: &[PreparedDebate], cfg: &TrainConfig) -> Vec<Vec<(f32, f32)>> {
    let folds = assign_folds(debates, cfg.folds, cfg.seed);
    let fold_of = |d: &PreparedDebate| folds[&d.group];
    let models: Vec<WorthinessModel> = (0..cfg.folds)
        .into_par_iter()
        .map(|f| {
            let held: HashSet<&str> = debates
                .iter()
                .filter(|d| fold_of(d) == f)
                .flat_map(|d| d.sentences.iter().map(|s| s.fingerprint.as_str()))
                .collect();
            let train: Vec<(&Prepared, bool)> = debates
                .iter()
                .filter(|d| fold_of(d) != f)
                .flat_map(|d| d.sentences.iter().map(move |s| (s, is_checkthat(d))))
                .filter(|(s, _)| !held.contains(s.fingerprint.as_str()))
                .collect();
            fit(&train, cfg)
        })
        .collect();
    // Raw out-of-fold log-odds: the whole sentence and its best clause.
    debates
        .iter()
        .map(|d| {
            let m = &models[fold_of(d)];
            d.sentences
                .iter()
                .map(|s| {
                    let best = s
                        .clauses
                        .iter()
                        .map(|r| logit(m, r))
                        .fold(f32::NEG_INFINITY, f32::max);
                    (logit(m, &s.whole), best)
                })
                .collect()
        })
        .collect()
}

/// The best-clause log-odds and labels of the ClaimBuster sentences of the debates kept.
fn platt_data(
    debates: &[PreparedDebate],
    raw: &[Vec<(f32, f32)>],
    keep: impl Fn(&PreparedDebate) -> bool,
) -> (Vec<f64>, Vec<u8>) {
    let mut z = Vec::new();
    let mut y = Vec::new();
    for (d, r) in debates.iter().zip(raw) {
        if is_checkthat(d) || !keep(d) {
            continue;
        }
        for (s, &(_, best)) in d.sentences.iter().zip(r) {
            if best.is_finite() {
                z.push(f64::from(best));
                y.push(s.label);
            }
        }
    }
    (z, y)
}

/// True for a CheckThat! debate (its sentences get the CheckThat! offset).
fn is_checkthat(d: &PreparedDebate) -> bool {
    !d.id.starts_with("claimbuster:")
}

/// True for a CheckThat! 2020 part that is a 2019 debate again.
fn is_copy(d: &PreparedDebate) -> bool {
    d.id.starts_with("ct20-train:") && d.group.starts_with("checkthat:")
}

/// Fits the shipped model on every sentence, each debate once, Platt-scaled on the
/// out-of-fold raw scores `oof` (a 2019 debate's 2020 copy
/// is left out).
pub fn fit_all(
    debates: &[PreparedDebate],
    cfg: &TrainConfig,
    oof: &[Vec<(f32, f32)>],
) -> WorthinessModel {
    let examples: Vec<(&Prepared, bool)> = debates
        .iter()
        .filter(|d| !is_copy(d))
        .flat_map(|d| d.sentences.iter().map(move |s| (s, is_checkthat(d))))
        .collect();
    let mut model = fit(&examples, cfg);
    // Platt scaling on the model's own best-clause log-odds of the ClaimBuster sentences
    // would be fitted in-sample; the out-of-fold ones (of `cross_validate_raw`) are used.
    let (z, y) = platt_data(debates, oof, |_| true);
    let (a, b) = fit_platt(&z, &y);
    model.calibration = (a as f32, b as f32);
    model
}

/// The scorers compared in the report.
pub const METHODS: [&str; 4] = [
    "length baseline",
    "rules (hand-set weights)",
    "model, whole sentence",
    "model, best clause",
];

/// One set's figures for every scorer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SetReport {
    /// Set name.
    pub name: String,
    /// Sentences.
    pub sentences: usize,
    /// Check-worthy sentences.
    pub positives: usize,
    /// Per scorer in [`METHODS`] order: the ranking figures and the number of distinct scores.
    pub methods: Vec<(SetRanking, usize)>,
    /// For the model's best-clause score over the set's sentences: AUC, calibration, and
    /// (P, R, F1) at 0.5.
    pub auc: Option<f64>,
    /// Calibration of the best-clause probability.
    pub calibration: ranking::Calibration,
    /// P, R, F1 of the best-clause probability at 0.5.
    pub f1: (f64, f64, f64),
    /// Sentences with no clause that states something (never a claim).
    pub no_claim: usize,
    /// Check-worthy sentences among them.
    pub no_claim_positives: usize,
}

/// Scores every set from the out-of-fold scores.
pub fn report(names: &[&str], debates: &[PreparedDebate], oof: &[Vec<Scores>]) -> Vec<SetReport> {
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let mut per: Vec<Vec<DebateScores>> = vec![Vec::new(); METHODS.len()];
            let mut all: Vec<Vec<f32>> = vec![Vec::new(); METHODS.len()];
            let mut labels = Vec::new();
            let (mut no_claim, mut no_claim_pos) = (0, 0);
            for (d, s) in debates.iter().zip(oof).filter(|(d, _)| d.set == k) {
                let l: Vec<u8> = d.sentences.iter().map(|p| p.label).collect();
                let cols: [Vec<f32>; 4] = [
                    d.sentences.iter().map(|p| p.chars as f32).collect(),
                    d.sentences.iter().map(|p| p.rules).collect(),
                    s.iter().map(|x| x.whole).collect(),
                    s.iter().map(|x| x.clauses).collect(),
                ];
                for (m, c) in cols.iter().enumerate() {
                    per[m].push(ranking::score_debate(c, &l));
                    all[m].extend_from_slice(c);
                }
                for p in &d.sentences {
                    if p.clauses.is_empty() {
                        no_claim += 1;
                        no_claim_pos += usize::from(p.label == 1);
                    }
                }
                labels.extend(l);
            }
            let best = &all[3];
            SetReport {
                name: (*name).to_owned(),
                sentences: labels.len(),
                positives: labels.iter().filter(|&&l| l == 1).count(),
                methods: per
                    .iter()
                    .zip(&all)
                    .map(|(p, a)| (ranking::mean(p), ranking::distinct(a)))
                    .collect(),
                auc: ranking::auc(best, &labels),
                calibration: ranking::calibration(best, &labels),
                f1: ranking::f1_at(best, &labels, 0.5),
                no_claim,
                no_claim_positives: no_claim_pos,
            }
        })
        .collect()
}

/// The report as a plain-text table: one block per set, one row per scorer.
pub fn table(reports: &[SetReport]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(
            out,
            "{}: {} sentences, {} check-worthy ({:.1}%), {} debates",
            r.name,
            r.sentences,
            r.positives,
            100.0 * r.positives as f64 / r.sentences.max(1) as f64,
            r.methods.first().map_or(0, |m| m.0.debates)
        );
        let _ = writeln!(
            out,
            "  {:<26} {:>6} {:>6} {:>6} {:>6} {:>9}",
            "scorer", "MAP", "P@5", "P@10", "R-P", "distinct"
        );
        for (name, (m, distinct)) in METHODS.iter().zip(&r.methods) {
            let _ = writeln!(
                out,
                "  {name:<26} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {distinct:>9}",
                m.map, m.p5, m.p10, m.r_precision
            );
        }
        let c = &r.calibration;
        let _ = writeln!(
            out,
            "  model, best clause: AUC {}  at 0.5: P {:.3} R {:.3} F1 {:.3}  mean p {:.3} vs rate {:.3}  ECE {:.3}  log loss {:.3}  Brier {:.3}",
            r.auc.map_or("n/a".into(), |a| format!("{a:.3}")),
            r.f1.0,
            r.f1.1,
            r.f1.2,
            c.mean_probability,
            c.base_rate,
            c.ece,
            c.log_loss,
            c.brier
        );
        let _ = writeln!(
            out,
            "  sentences with no clause that states something (never a claim): {} ({} check-worthy)",
            r.no_claim, r.no_claim_positives
        );
    }
    out
}
