//! Rule ablation, rule selection and site-grouped cross-validation.
//!
//! The extractor's tunable decisions are the on/off rules and thresholds of
//! [`content::Rules`]. [`select_rules`] is the whole tuning procedure, run on a set of
//! training pages only:
//!
//! 1. start from every candidate rule on ([`Rules::all`]);
//! 2. visit the rules in order; switch a rule off when switching it off changes the pages
//!    of at most one training site (it serves one page / one site), unless it is one of the
//!    general, well-known rules in [`content::GENERAL`], or when switching it off raises the
//!    training F1 (backward elimination); repeat the pass until nothing changes;
//! 3. for each threshold in turn, take the value of its small grid with the best training
//!    F1 (the prior value wins ties);
//! 4. one more pass of step 2.
//!
//! [`cross_validate`] groups pages by site (host of the ground-truth URL), deals the sites
//! into k folds, runs [`select_rules`] on the other folds and scores each fold's pages with
//! the rules chosen without them; the figure is pooled over all held-out pages with the
//! benchmark metric. The shipped rules ([`Rules::shipped`]) are [`select_rules`] on all
//! pages.
//!
//! Pages are parsed once ([`Tuner`]), gold shingles are hashed once, and a rule that did not
//! fire on a page (see [`content::main_text_traced`]) is known not to change it, so an
//! ablation only re-extracts the pages where the rule fired.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;

use super::{DevSet, EvalError, f1, tokenize};
use crate::ExtractOptions;
use crate::content::{self, Mask, N_RULES, Rules, THRESHOLDS, Variant};
use crate::dom::Dom;

/// Hashed 4-word shingles with counts (same conventions as [`super::shingles`]).
fn hashed_shingles(text: &str) -> HashMap<u64, u32> {
    let tokens = tokenize(text);
    let mut m = HashMap::new();
    if tokens.is_empty() {
        return m;
    }
    let h = |w: &[&str]| {
        let mut s = DefaultHasher::new();
        w.hash(&mut s);
        s.finish()
    };
    if tokens.len() < 4 {
        m.insert(h(&tokens), 1);
        return m;
    }
    for w in tokens.windows(4) {
        *m.entry(h(w)).or_insert(0) += 1;
    }
    m
}

struct Page {
    id: String,
    dom: Dom,
    gold: HashMap<u64, u32>,
    gold_n: u32,
    site: usize,
}

/// Pages parsed once, gold shingles hashed once: runs the text extractor with any rules.
pub struct Tuner {
    pages: Vec<Page>,
    sites: Vec<String>,
}

impl fmt::Debug for Tuner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tuner({} pages, {} sites)",
            self.pages.len(),
            self.sites.len()
        )
    }
}

/// (precision, recall) of one page.
type Pr = (f64, f64);

fn pooled(prs: &[Pr]) -> (f64, f64, f64) {
    let n = prs.len().max(1) as f64;
    let p = prs.iter().map(|x| x.0).sum::<f64>() / n;
    let r = prs.iter().map(|x| x.1).sum::<f64>() / n;
    (p, r, f1(p, r))
}

fn mask_has(m: &Mask, i: usize) -> bool {
    m[i >> 6] >> (i & 63) & 1 != 0
}

impl Tuner {
    /// Parse every page of `set`.
    pub fn new(set: &DevSet, opts: &ExtractOptions) -> Tuner {
        let mut site_ix: BTreeMap<String, usize> = BTreeMap::new();
        let mut sites = Vec::new();
        let pages = set
            .pages
            .iter()
            .enumerate()
            .map(|(i, (id, html, gold))| {
                let host = set.hosts.get(i).cloned().unwrap_or_else(|| id.clone());
                let site = *site_ix.entry(host.clone()).or_insert_with(|| {
                    sites.push(host);
                    sites.len() - 1
                });
                let g = hashed_shingles(gold);
                Page {
                    id: id.clone(),
                    dom: Dom::parse(html, opts.max_depth),
                    gold_n: g.values().sum(),
                    gold: g,
                    site,
                }
            })
            .collect();
        Tuner { pages, sites }
    }

    /// Number of pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether there are no pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Page ids.
    pub fn ids(&self) -> Vec<&str> {
        self.pages.iter().map(|p| p.id.as_str()).collect()
    }

    /// Site (host) of page `i`.
    pub fn site(&self, i: usize) -> &str {
        &self.sites[self.pages[i].site]
    }

    fn run_one(&self, i: usize, rules: &Rules) -> (Pr, Mask) {
        let p = &self.pages[i];
        let ((text, _), fired) = content::main_text_traced(&p.dom, rules, Variant::Final);
        let pred = hashed_shingles(&text);
        let mut tp = 0u32;
        for (k, &c) in &pred {
            if let Some(&g) = p.gold.get(k) {
                tp += c.min(g);
            }
        }
        let np: u32 = pred.values().sum();
        let (fp, fn_) = (np - tp, p.gold_n - tp);
        let pr = if fp == 0 && fn_ == 0 {
            (1.0, 1.0)
        } else {
            let ratio = |a: u32, b: u32| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            (ratio(tp, tp + fp), ratio(tp, tp + fn_))
        };
        (pr, fired)
    }

    fn run(&self, idx: &[usize], rules: &Rules) -> (Vec<Pr>, Vec<Mask>) {
        idx.iter().map(|&i| self.run_one(i, rules)).unzip()
    }

    /// Mean precision, mean recall and F1 of `rules` over pages `idx`.
    pub fn score(&self, idx: &[usize], rules: &Rules) -> (f64, f64, f64) {
        pooled(&self.run(idx, rules).0)
    }
}

/// Effect of switching one rule off (or one threshold to another value).
#[derive(Debug, Clone)]
pub struct RuleEffect {
    /// Rule name (`kind:word`), or `threshold:name=value`.
    pub name: String,
    /// Pages whose F1 changed, with the change (off − on), sorted by id.
    pub pages: Vec<(String, f64)>,
    /// Distinct sites among the changed pages.
    pub sites: usize,
    /// Change of the set F1 (off − on).
    pub delta_f1: f64,
}

const TINY: f64 = 1e-12;

fn changed(a: Pr, b: Pr) -> bool {
    (a.0 - b.0).abs() > TINY || (a.1 - b.1).abs() > TINY
}

/// Per-rule ablation over pages `idx` from `rules`: every rule that is on is switched off
/// alone, and every threshold is set to each other value of its grid.
pub fn ablation(t: &Tuner, idx: &[usize], rules: &Rules) -> Vec<RuleEffect> {
    let names = content::rule_names();
    let (base, fired) = t.run(idx, rules);
    let base_f1 = pooled(&base).2;
    let mut out = Vec::new();
    let effect = |name: String, new: &[Pr]| {
        let mut pages = Vec::new();
        let mut sites = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            if changed(base[k], new[k]) {
                pages.push((
                    t.pages[i].id.clone(),
                    f1(new[k].0, new[k].1) - f1(base[k].0, base[k].1),
                ));
                sites.push(t.pages[i].site);
            }
        }
        sites.sort_unstable();
        sites.dedup();
        RuleEffect {
            name,
            pages,
            sites: sites.len(),
            delta_f1: pooled(new).2 - base_f1,
        }
    };
    for (ri, name) in names.iter().enumerate() {
        if !rules.is_on(ri) {
            continue;
        }
        let mut off = rules.clone();
        off.set_on(ri, false);
        let mut new = base.clone();
        for (k, &i) in idx.iter().enumerate() {
            if mask_has(&fired[k], ri) {
                new[k] = t.run_one(i, &off).0;
            }
        }
        out.push(effect(name.clone(), &new));
    }
    for (ti, th) in THRESHOLDS.iter().enumerate() {
        for &v in th.grid {
            if v == rules.threshold(ti) {
                continue;
            }
            let mut r = rules.clone();
            r.set_threshold(ti, v);
            let new = t.run(idx, &r).0;
            out.push(effect(format!("threshold:{}={v}", th.name), &new));
        }
    }
    out
}

/// Outcome of [`select_rules`].
#[derive(Debug, Clone)]
pub struct Selection {
    /// The chosen rules.
    pub rules: Rules,
    /// Rules switched off, with the reason (`"one site"`, `"no effect"`, `"helps"`).
    pub removed: Vec<(String, &'static str)>,
    /// Thresholds changed from the prior (name, value).
    pub thresholds: Vec<(&'static str, f64)>,
    /// Training F1 of the chosen rules.
    pub train_f1: f64,
}

/// Knobs of the selection procedure itself (not of the extractor).
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    /// Smallest training-F1 gain for which switching a rule off counts as "helps".
    pub helps_min_gain: f64,
    /// Whether removals that help are made at all (backward elimination).
    pub eliminate: bool,
    /// A general rule ([`content::GENERAL`]) is removed for helping only when its removal
    /// changes at least this many training sites.
    pub general_min_sites: usize,
    /// Whether thresholds are chosen on their grids.
    pub thresholds: bool,
}

impl Default for Procedure {
    fn default() -> Self {
        Procedure {
            helps_min_gain: 1e-12,
            eliminate: true,
            general_min_sites: 1,
            thresholds: true,
        }
    }
}

/// One elimination pass (see the module docs); returns whether a rule was switched off.
#[allow(clippy::too_many_arguments)]
fn elimination_pass(
    pr: &Procedure,
    t: &Tuner,
    idx: &[usize],
    rules: &mut Rules,
    prs: &mut [Pr],
    fired: &mut [Mask],
    removed: &mut Vec<(String, &'static str)>,
    names: &[String],
) -> bool {
    let mut any = false;
    for (ri, name) in names.iter().enumerate().take(N_RULES) {
        if !rules.is_on(ri) {
            continue;
        }
        let general = content::GENERAL.contains(&name.as_str());
        let mut off = rules.clone();
        off.set_on(ri, false);
        let mut new: Vec<(usize, Pr, Mask)> = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            if mask_has(&fired[k], ri) {
                let (pr, m) = t.run_one(i, &off);
                new.push((k, pr, m));
            }
        }
        let mut sites: Vec<usize> = new
            .iter()
            .filter(|(k, pr, _)| changed(prs[*k], *pr))
            .map(|(k, _, _)| t.pages[idx[*k]].site)
            .collect();
        sites.sort_unstable();
        sites.dedup();
        let before = pooled(prs).2;
        let mut trial = prs.to_vec();
        for (k, pr, _) in &new {
            trial[*k] = *pr;
        }
        let after = pooled(&trial).2;
        let helps = pr.eliminate
            && after > before + pr.helps_min_gain
            && (!general || sites.len() >= pr.general_min_sites);
        let reason = if helps {
            Some("helps")
        } else if general {
            None
        } else if sites.is_empty() {
            Some("no effect")
        } else if sites.len() == 1 {
            Some("one site")
        } else {
            None
        };
        if let Some(reason) = reason {
            *rules = off;
            for (k, pr, m) in new {
                prs[k] = pr;
                fired[k] = m;
            }
            removed.push((name.clone(), reason));
            any = true;
        }
    }
    any
}

/// The tuning procedure (module docs) on pages `idx`, starting from [`Rules::all`].
pub fn select_rules(t: &Tuner, idx: &[usize]) -> Selection {
    select_rules_with(&Procedure::default(), t, idx)
}

/// [`select_rules`] with explicit procedure knobs.
pub fn select_rules_with(pr: &Procedure, t: &Tuner, idx: &[usize]) -> Selection {
    let names = content::rule_names();
    let mut rules = Rules::all();
    let mut removed = Vec::new();
    let (mut prs, mut fired) = t.run(idx, &rules);
    for _ in 0..4 {
        if !elimination_pass(
            pr,
            t,
            idx,
            &mut rules,
            &mut prs,
            &mut fired,
            &mut removed,
            &names,
        ) {
            break;
        }
    }
    let mut cur = pooled(&prs).2;
    for (ti, th) in THRESHOLDS.iter().enumerate() {
        if !pr.thresholds {
            break;
        }
        let mut best = (cur, rules.threshold(ti));
        for &v in th.grid {
            if v == rules.threshold(ti) {
                continue;
            }
            let mut r = rules.clone();
            r.set_threshold(ti, v);
            let f = t.score(idx, &r).2;
            if f > best.0 + TINY {
                best = (f, v);
            }
        }
        rules.set_threshold(ti, best.1);
        cur = best.0;
    }
    let (p2, f2) = t.run(idx, &rules);
    prs = p2;
    fired = f2;
    for _ in 0..2 {
        if !elimination_pass(
            pr,
            t,
            idx,
            &mut rules,
            &mut prs,
            &mut fired,
            &mut removed,
            &names,
        ) {
            break;
        }
    }
    let thresholds = THRESHOLDS
        .iter()
        .enumerate()
        .filter(|(i, th)| rules.threshold(*i) != th.prior)
        .map(|(i, th)| (th.name, rules.threshold(i)))
        .collect();
    Selection {
        train_f1: pooled(&prs).2,
        rules,
        removed,
        thresholds,
    }
}

/// Deal the pages' sites into `k` folds (page indices per fold): sites sorted by page
/// count (descending) then name, each given to the fold with the fewest pages so far
/// (lowest index on ties). Deterministic; a site is never split between folds.
pub fn site_folds(hosts: &[String], k: usize) -> Vec<Vec<usize>> {
    let k = k.max(1);
    let mut by_site: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, h) in hosts.iter().enumerate() {
        by_site.entry(h.as_str()).or_default().push(i);
    }
    let mut groups: Vec<(&str, Vec<usize>)> = by_site.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut folds: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (_, pages) in groups {
        let f = (0..k).min_by_key(|&f| (folds[f].len(), f)).unwrap_or(0);
        folds[f].extend(pages);
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

/// One fold of [`cross_validate`].
#[derive(Debug, Clone)]
pub struct FoldResult {
    /// Held-out page ids.
    pub pages: Vec<String>,
    /// Held-out sites.
    pub sites: Vec<String>,
    /// Rules chosen on the other folds.
    pub selection: Selection,
    /// F1 of the held-out pages alone.
    pub test_f1: f64,
}

/// Report of [`cross_validate`].
#[derive(Debug, Clone)]
pub struct CvReport {
    /// Number of folds.
    pub k: usize,
    /// Plain figure: the shipped rules on every page (mean P, mean R, F1).
    pub plain: (f64, f64, f64),
    /// The selection procedure on every page (what the shipped rules should equal).
    pub full: Selection,
    /// Per fold.
    pub folds: Vec<FoldResult>,
    /// Held-out (precision, recall) of every page, by page index.
    pub held_out: Vec<(String, f64, f64)>,
    /// Mean held-out precision.
    pub precision: f64,
    /// Mean held-out recall.
    pub recall: f64,
    /// F1 of the held-out means.
    pub f1: f64,
}

/// Site-grouped k-fold cross-validation of [`select_rules`] (module docs).
pub fn cross_validate(set: &DevSet, opts: &ExtractOptions, k: usize) -> CvReport {
    cross_validate_with(&Procedure::default(), set, opts, k)
}

/// [`cross_validate`] with explicit procedure knobs.
pub fn cross_validate_with(
    pr: &Procedure,
    set: &DevSet,
    opts: &ExtractOptions,
    k: usize,
) -> CvReport {
    let t = Tuner::new(set, opts);
    let all: Vec<usize> = (0..t.len()).collect();
    let plain = t.score(&all, Rules::shipped());
    let full = select_rules_with(pr, &t, &all);
    let folds_ix = site_folds(&set.hosts, k);
    let mut held: Vec<Option<Pr>> = vec![None; t.len()];
    let mut folds = Vec::new();
    for test in &folds_ix {
        if test.is_empty() {
            continue;
        }
        let train: Vec<usize> = all.iter().copied().filter(|i| !test.contains(i)).collect();
        let selection = select_rules_with(pr, &t, &train);
        let (prs, _) = t.run(test, &selection.rules);
        for (k, &i) in test.iter().enumerate() {
            held[i] = Some(prs[k]);
        }
        let mut sites: Vec<String> = test.iter().map(|&i| t.site(i).to_string()).collect();
        sites.sort();
        sites.dedup();
        folds.push(FoldResult {
            pages: test.iter().map(|&i| t.pages[i].id.clone()).collect(),
            sites,
            test_f1: pooled(&prs).2,
            selection,
        });
    }
    let prs: Vec<Pr> = held.iter().map(|p| p.unwrap_or((0.0, 0.0))).collect();
    let (precision, recall, f) = pooled(&prs);
    CvReport {
        k,
        plain,
        full,
        folds,
        held_out: t
            .pages
            .iter()
            .zip(&prs)
            .map(|(p, pr)| (p.id.clone(), pr.0, pr.1))
            .collect(),
        precision,
        recall,
        f1: f,
    }
}

/// [`cross_validate`] over a dev-set directory.
pub fn cross_validate_dir(
    dir: &Path,
    opts: &ExtractOptions,
    k: usize,
) -> Result<CvReport, EvalError> {
    Ok(cross_validate(&DevSet::load(dir)?, opts, k))
}

impl CvReport {
    /// Whether the shipped rules are what the procedure chooses on all pages.
    pub fn shipped_matches_full(&self) -> bool {
        &self.full.rules == Rules::shipped()
    }

    /// For each rule switched off in at least one fold: (name, number of folds).
    pub fn removal_counts(&self) -> Vec<(String, usize)> {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for f in &self.folds {
            for (n, _) in &f.selection.removed {
                *m.entry(n.clone()).or_default() += 1;
            }
        }
        m.into_iter().collect()
    }
}
