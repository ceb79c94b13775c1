//! Grouping articles into stories.
//!
//! 1. **Features** (in parallel, two passes over the texts, so a large corpus can be
//!    streamed): a sublinear TF-IDF vector of title + text kept to its
//!    [`Params::vector_terms`] heaviest terms, a TF-IDF vector of the title, a MinHash
//!    signature of the text, the article's actor names and its publication day.
//! 2. **Copies**: pairs that share an LSH band and whose estimated shingle Jaccard is at
//!    least [`Params::copy_jaccard`] are near-duplicates; each set of them is led by its
//!    earliest article (by date, then input order), the others are `copy_of` it, take its
//!    story and are not clustered or counted as coverage.
//! 3. **Candidates** (blocking): an inverted index over each article's
//!    [`Params::index_terms`] heaviest terms, its postings sorted by day; an article is
//!    compared only with articles within [`Params::window_days`] (undated articles with
//!    all) that share at least [`Params::min_shared_terms`] of those terms. Terms with more
//!    than [`Params::max_postings`] articles in a window are too common to block on and are
//!    skipped. No step compares all pairs.
//! 4. **Similarity** of a candidate pair: `cosine + w_actors · actor overlap + w_title ·
//!    title cosine` ([`Weights`]), the actor overlap being the Jaccard index of the two
//!    articles' actor-name sets.
//! 5. **Clustering**: average linkage over the candidate graph ([`crate::cluster`]), cut
//!    at [`Weights::threshold`].
//! 6. **Stories**: each cluster gets an id, a label (its most central title), its outlets,
//!    date range, size (articles that are not copies) and why it holds together: the actor
//!    names and terms its articles share, and claims that recur across them.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::cluster::{Dendrogram, UnionFind, average_linkage};
use crate::minhash::{self, Lsh, Signature};
use crate::tfidf::{self, SparseVector, TfIdf};

/// One article to group.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// The headline, if any.
    pub title: Option<String>,
    /// The text.
    pub text: String,
    /// The outlet (site) that published it.
    pub outlet: Option<String>,
    /// Publication date or date-time, ISO 8601 (`YYYY-MM-DD…`); only the date is used.
    pub published: Option<String>,
    /// Canonical names of the actors the article names (from the actors analyser).
    pub actors: Vec<String>,
    /// Its check-worthy claims, most check-worthy first (from the claims analyser).
    pub claims: Vec<String>,
}

/// Articles to group, by index: a slice of [`Article`]s, or a source that builds each
/// article on demand (read twice, in parallel), so that a large corpus need not be in
/// memory at once.
pub trait Corpus: Sync {
    /// Number of articles.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Article `i`.
    fn article(&self, i: usize) -> Cow<'_, Article>;
}

impl Corpus for [Article] {
    fn len(&self) -> usize {
        <[Article]>::len(self)
    }
    fn article(&self, i: usize) -> Cow<'_, Article> {
        Cow::Borrowed(&self[i])
    }
}

impl Corpus for Vec<Article> {
    fn len(&self) -> usize {
        <[Article]>::len(self)
    }
    fn article(&self, i: usize) -> Cow<'_, Article> {
        Cow::Borrowed(&self[i])
    }
}

/// How the similarity of a candidate pair is combined and where the clustering is cut.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    /// Weight of the actor-name overlap (Jaccard of the actor sets).
    pub actors: f32,
    /// Weight of the title cosine.
    pub title: f32,
    /// Similarity taken off per day between the two articles' publication dates (0 when
    /// either is undated): later developments of a subject are stories of their own.
    #[serde(default)]
    pub per_day: f32,
    /// Average-linkage cut: clusters merge while their average similarity is at least this.
    pub threshold: f32,
}

impl Default for Weights {
    /// The values best on the mixed development set (NewsWCL50's full texts, AllSides'
    /// leads and injected copies) in the grid that `unspin eval stories` searches; its
    /// cross-validated figures are in docs/stories.md.
    fn default() -> Self {
        Weights {
            actors: 0.3,
            title: 0.5,
            per_day: 0.04,
            threshold: 0.24,
        }
    }
}

/// Settings of the grouping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// Similarity weights and cut.
    pub weights: Weights,
    /// Candidates are at most this many days apart (when both are dated).
    pub window_days: i32,
    /// Terms per article in the blocking index.
    pub index_terms: usize,
    /// Index terms a candidate pair must share.
    pub min_shared_terms: usize,
    /// A term with more postings than this within the window is skipped for blocking.
    pub max_postings: usize,
    /// Terms kept per TF-IDF vector.
    pub vector_terms: usize,
    /// Estimated shingle Jaccard from which two articles are copies.
    pub copy_jaccard: f32,
    /// Estimated share of the shorter text's shingles found in the longer one from which
    /// two articles are copies (a copy cut or extended), for texts of 20 shingles or more.
    pub copy_containment: f32,
    /// Candidate edges below this combined similarity are dropped (must not exceed the
    /// lowest threshold one wants to cut at).
    pub min_edge: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            weights: Weights::default(),
            window_days: 7,
            index_terms: 30,
            min_shared_terms: 2,
            max_postings: 2000,
            vector_terms: 120,
            copy_jaccard: 0.6,
            copy_containment: 0.8,
            min_edge: 0.05,
        }
    }
}

/// The features of one article.
#[derive(Debug, Clone)]
pub struct Features {
    /// TF-IDF of title + text, heaviest terms only, unit length.
    pub vector: SparseVector,
    /// TF-IDF of the title alone (empty without a title).
    pub title: SparseVector,
    /// Actor-name ids, sorted, deduplicated.
    pub actors: Vec<u32>,
    /// Days since 1970-01-01 of the publication date.
    pub day: Option<i32>,
}

/// A candidate pair with its similarity components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// First article (the smaller index).
    pub a: u32,
    /// Second article.
    pub b: u32,
    /// TF-IDF cosine.
    pub cosine: f32,
    /// Jaccard index of the actor-name sets.
    pub actors: f32,
    /// Title cosine (the text cosine when either has no title).
    pub title: f32,
    /// Days between the publication dates (0 when either is undated).
    pub days: f32,
}

impl Edge {
    /// The combined similarity under `w`.
    pub fn similarity(&self, w: &Weights) -> f32 {
        self.cosine + w.actors * self.actors + w.title * self.title - w.per_day * self.days
    }
}

/// Everything computed before clustering: features, copies and candidate edges.
pub struct Prepared {
    /// The vocabulary.
    pub model: TfIdf,
    /// Features per article.
    pub features: Vec<Features>,
    /// Interned actor names (ids in [`Features::actors`]).
    pub actor_names: Vec<String>,
    /// For each article, the article it is a copy of.
    pub copy_of: Vec<Option<u32>>,
    /// Candidate pairs between articles that are not copies.
    pub edges: Vec<Edge>,
    /// Near-duplicate pairs found (estimated Jaccard), before grouping into copy sets.
    pub duplicate_pairs: usize,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD…` date (`YYYY-MM` counts as the 1st).
pub fn parse_day(s: &str) -> Option<i32> {
    let s = s.trim();
    let y: i32 = s.get(0..4)?.parse().ok()?;
    if s.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = match s.get(7..8) {
        Some("-") => s.get(8..10)?.parse().ok()?,
        _ => 1,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The text vectorised: title and text.
fn full_text(a: &Article) -> String {
    tfidf::title_and_text(a.title.as_deref(), &a.text)
}

/// Normalised actor name (lower case, single spaces).
fn actor_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Computes features, copies and candidate edges.
pub fn prepare<C: Corpus + ?Sized>(corpus: &C, params: &Params) -> Prepared {
    let n = corpus.len();
    let model = TfIdf::fit_with(n, |i| Cow::Owned(full_text(&corpus.article(i))));
    // Actor names interned in one pass (cheap: names only).
    let names_per_doc: Vec<Vec<String>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut v: Vec<String> = corpus
                .article(i)
                .actors
                .iter()
                .map(|a| actor_key(a))
                .filter(|a| !a.is_empty())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut actor_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut actor_names = Vec::new();
    let mut actors: Vec<Vec<u32>> = Vec::with_capacity(n);
    for names in names_per_doc {
        let mut ids: Vec<u32> = names
            .into_iter()
            .map(|name| {
                let next = actor_names.len() as u32;
                *actor_ids.entry(name.clone()).or_insert_with(|| {
                    actor_names.push(name);
                    next
                })
            })
            .collect();
        ids.sort_unstable();
        actors.push(ids);
    }
    let (features, signatures): (Vec<Features>, Vec<(Signature, u32)>) = actors
        .into_par_iter()
        .enumerate()
        .map(|(i, actors)| {
            let a = corpus.article(i);
            let text = full_text(&a);
            let mut vector = model.vector(&text);
            vector.truncate(params.vector_terms);
            let title = a
                .title
                .as_deref()
                .map(|t| model.vector(t))
                .unwrap_or_default();
            let shingles = minhash::shingles(&a.text);
            let signature = (Signature::of_shingles(&shingles), shingles.len() as u32);
            let day = a.published.as_deref().and_then(parse_day);
            (
                Features {
                    vector,
                    title,
                    actors,
                    day,
                },
                signature,
            )
        })
        .unzip();
    // Copies: near-duplicate sets, each led by its earliest article.
    // Copies are published within the window of each other (a text re-run a year later
    // is a story of its own).
    let sigs: Vec<Signature> = signatures.iter().map(|s| s.0.clone()).collect();
    let dups: Vec<(u32, u32, f32)> = Lsh::candidates(&sigs, 200)
        .into_par_iter()
        .filter_map(|(i, j)| {
            let ((si, ni), (sj, nj)) = (&signatures[i as usize], &signatures[j as usize]);
            let jac = si.jaccard(sj);
            let small = (*ni).min(*nj) as f32;
            let contained = jac * (*ni + *nj) as f32 / ((1.0 + jac) * small.max(1.0));
            let copy = jac >= params.copy_jaccard
                || (small >= 20.0 && contained >= params.copy_containment);
            let near = match (features[i as usize].day, features[j as usize].day) {
                (Some(a), Some(b)) => (a - b).abs() <= params.window_days,
                _ => true,
            };
            (copy && near).then_some((i, j, jac))
        })
        .collect();
    drop(sigs);
    drop(signatures);
    let duplicate_pairs = dups.len();
    let mut uf = UnionFind::new(n);
    for &(i, j, _) in &dups {
        uf.union(i as usize, j as usize);
    }
    let mut leader: FxHashMap<usize, usize> = FxHashMap::default();
    for i in 0..n {
        let r = uf.find(i);
        let l = leader.entry(r).or_insert(i);
        let key = |x: usize| (features[x].day.unwrap_or(i32::MAX), x);
        if key(i) < key(*l) {
            *l = i;
        }
    }
    let copy_of: Vec<Option<u32>> = (0..n)
        .map(|i| {
            let l = leader[&uf.find(i)];
            (l != i).then_some(l as u32)
        })
        .collect();
    let edges = candidate_edges(&features, &copy_of, params);
    Prepared {
        model,
        features,
        actor_names,
        copy_of,
        edges,
        duplicate_pairs,
    }
}

/// Blocking: candidate pairs from the inverted index of top terms within the time window,
/// with their similarity components.
fn candidate_edges(features: &[Features], copy_of: &[Option<u32>], params: &Params) -> Vec<Edge> {
    let n = features.len();
    let top: Vec<Vec<u32>> = features
        .par_iter()
        .map(|f| f.vector.top_terms(params.index_terms))
        .collect();
    // Postings: term -> (day, article) of dated articles sorted by day, and undated ones.
    let mut dated: FxHashMap<u32, Vec<(i32, u32)>> = FxHashMap::default();
    let mut undated: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, terms) in top.iter().enumerate() {
        if copy_of[i].is_some() {
            continue;
        }
        for &t in terms {
            match features[i].day {
                Some(d) => dated.entry(t).or_default().push((d, i as u32)),
                None => undated.entry(t).or_default().push(i as u32),
            }
        }
    }
    for p in dated.values_mut() {
        p.sort_unstable();
    }
    let w = params.window_days;
    let cap = params.max_postings;
    let mut edges: Vec<Edge> = (0..n)
        .into_par_iter()
        .filter(|&i| copy_of[i].is_none())
        .flat_map_iter(|i| {
            let mut shared: FxHashMap<u32, u16> = FxHashMap::default();
            let fi = &features[i];
            for t in &top[i] {
                let window: &[(i32, u32)] = match dated.get(t) {
                    Some(p) => match fi.day {
                        Some(d) => {
                            let lo = p.partition_point(|e| e.0 < d.saturating_sub(w));
                            let hi = p.partition_point(|e| e.0 <= d.saturating_add(w));
                            &p[lo..hi]
                        }
                        None => p,
                    },
                    None => &[],
                };
                let loose: &[u32] = undated.get(t).map_or(&[], Vec::as_slice);
                if window.len() + loose.len() > cap {
                    continue;
                }
                for &(_, j) in window {
                    if j as usize > i {
                        *shared.entry(j).or_insert(0) += 1;
                    }
                }
                for &j in loose {
                    if j as usize > i {
                        *shared.entry(j).or_insert(0) += 1;
                    }
                }
            }
            let min_shared = params.min_shared_terms.max(1) as u16;
            let mut out: Vec<Edge> = shared
                .into_iter()
                .filter(|&(_, c)| c >= min_shared)
                .filter_map(|(j, _)| {
                    let fj = &features[j as usize];
                    let cosine = fi.vector.cosine(&fj.vector);
                    let e = Edge {
                        a: i as u32,
                        b: j,
                        cosine,
                        actors: minhash::exact_jaccard(&fi.actors, &fj.actors),
                        // Without a title on both sides, the text cosine stands in for the
                        // title's, so that the scale of the similarity stays the same.
                        title: if fi.title.is_empty() || fj.title.is_empty() {
                            cosine
                        } else {
                            fi.title.cosine(&fj.title)
                        },
                        days: match (fi.day, fj.day) {
                            (Some(a), Some(b)) => (a - b).unsigned_abs() as f32,
                            _ => 0.0,
                        },
                    };
                    (e.similarity(&params.weights) >= params.min_edge
                        || e.cosine >= params.min_edge)
                        .then_some(e)
                })
                .collect();
            out.sort_unstable_by_key(|e| e.b);
            out
        })
        .collect();
    edges.par_sort_unstable_by_key(|e| (e.a, e.b));
    edges
}

impl Prepared {
    /// The average-linkage dendrogram of the articles that are not copies, under the
    /// weights' similarity, restricted to `keep` (all when `None`); merging stops at
    /// `min_sim`.
    pub fn dendrogram(&self, weights: &Weights, keep: Option<&[bool]>, min_sim: f32) -> Dendrogram {
        let n = self.features.len();
        let edges: Vec<(u32, u32, f32)> = self
            .edges
            .iter()
            .filter(|e| keep.is_none_or(|k| k[e.a as usize] && k[e.b as usize]))
            .map(|e| (e.a, e.b, e.similarity(weights)))
            .collect();
        average_linkage(n, &edges, min_sim)
    }

    /// Story labels of every article (copies take their original's), cutting `d` at
    /// `threshold`.
    pub fn labels(&self, d: &Dendrogram, threshold: f32) -> Vec<u32> {
        let mut labels = d.cut(threshold);
        for (i, c) in self.copy_of.iter().enumerate() {
            if let Some(c) = c {
                labels[i] = labels[*c as usize];
            }
        }
        labels
    }
}

/// Why a story's articles belong together.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Why {
    /// Actor names found in at least two of its articles (or the one article's), with
    /// the number of articles naming each.
    pub actors: Vec<(String, usize)>,
    /// Terms heaviest across its articles that at least two of them share.
    pub terms: Vec<String>,
    /// Claims of one article whose words recur in a claim of another (up to three), with
    /// the article index.
    pub claims: Vec<(usize, String)>,
}

/// One story.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// `s1`, `s2`, …: by size, then first article.
    pub id: String,
    /// Its most central title (the article most similar to the others), or its top terms.
    pub label: String,
    /// Articles that are not copies (indices into the corpus), in input order.
    pub articles: Vec<usize>,
    /// Copies (indices), in input order.
    pub copies: Vec<usize>,
    /// Distinct coverage: the number of articles that are not copies.
    pub size: usize,
    /// Outlets of its articles and copies, sorted.
    pub outlets: Vec<String>,
    /// Earliest publication date (YYYY-MM-DD as given), if any article is dated.
    pub first: Option<String>,
    /// Latest publication date.
    pub last: Option<String>,
    /// What binds it.
    pub why: Why,
}

/// The result of grouping.
#[derive(Debug, Clone)]
pub struct Grouping {
    /// Story index (into `stories`) of each article.
    pub story: Vec<usize>,
    /// The article each article is a copy of, if any.
    pub copy_of: Vec<Option<usize>>,
    /// The stories, largest first.
    pub stories: Vec<Story>,
    /// Candidate pairs compared.
    pub candidate_pairs: usize,
}

/// Groups a corpus into stories.
pub fn group<C: Corpus + ?Sized>(corpus: &C, params: &Params) -> Grouping {
    let prepared = prepare(corpus, params);
    let d = prepared.dendrogram(&params.weights, None, params.weights.threshold);
    let labels = prepared.labels(&d, params.weights.threshold);
    summarise(corpus, &prepared, &labels, &params.weights)
}

/// Turns cluster labels into stories with their labels, outlets, dates and reasons.
pub fn summarise<C: Corpus + ?Sized>(
    corpus: &C,
    prepared: &Prepared,
    labels: &[u32],
    weights: &Weights,
) -> Grouping {
    let n = labels.len();
    let mut members: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, &l) in labels.iter().enumerate() {
        members.entry(l).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = members.into_values().collect();
    let size = |c: &Vec<usize>| c.iter().filter(|&&i| prepared.copy_of[i].is_none()).count();
    clusters.sort_by(|a, b| size(b).cmp(&size(a)).then(a[0].cmp(&b[0])));
    let stories: Vec<Story> = clusters
        .par_iter()
        .enumerate()
        .map(|(k, c)| story(corpus, prepared, k, c, weights))
        .collect();
    let mut story = vec![0usize; n];
    for (k, c) in clusters.iter().enumerate() {
        for &i in c {
            story[i] = k;
        }
    }
    Grouping {
        story,
        copy_of: prepared
            .copy_of
            .iter()
            .map(|c| c.map(|c| c as usize))
            .collect(),
        stories,
        candidate_pairs: prepared.edges.len(),
    }
}

/// The summary of one cluster.
fn story<C: Corpus + ?Sized>(
    corpus: &C,
    p: &Prepared,
    k: usize,
    members: &[usize],
    weights: &Weights,
) -> Story {
    let (articles, copies): (Vec<usize>, Vec<usize>) =
        members.iter().partition(|&&i| p.copy_of[i].is_none());
    let docs: Vec<Cow<'_, Article>> = members.iter().map(|&i| corpus.article(i)).collect();
    let mut outlets: Vec<String> = docs.iter().filter_map(|a| a.outlet.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let mut dates: Vec<(i32, String)> = docs
        .iter()
        .filter_map(|a| {
            let s = a.published.as_deref()?;
            Some((parse_day(s)?, s.get(0..10).unwrap_or(s).to_owned()))
        })
        .collect();
    dates.sort();
    // Shared actors and terms over the originals.
    let mut actor_count: FxHashMap<u32, usize> = FxHashMap::default();
    let mut term_weight: FxHashMap<u32, (f32, usize)> = FxHashMap::default();
    for &i in &articles {
        for &a in &p.features[i].actors {
            *actor_count.entry(a).or_default() += 1;
        }
        for &(t, w) in &p.features[i].vector.entries {
            let e = term_weight.entry(t).or_default();
            e.0 += w;
            e.1 += 1;
        }
    }
    let min_share = if articles.len() > 1 { 2 } else { 1 };
    let mut shared_actors: Vec<(String, usize)> = actor_count
        .into_iter()
        .filter(|&(_, c)| c >= min_share)
        .map(|(a, c)| (p.actor_names[a as usize].clone(), c))
        .collect();
    shared_actors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    shared_actors.truncate(6);
    // Display the names as the first article that has them writes them.
    let display: FxHashMap<String, String> = docs
        .iter()
        .flat_map(|a| a.actors.iter())
        .map(|a| (actor_key(a), a.clone()))
        .collect();
    for a in &mut shared_actors {
        if let Some(d) = display.get(&a.0) {
            a.0 = d.clone();
        }
    }
    let mut terms: Vec<(u32, f32)> = term_weight
        .into_iter()
        .filter(|&(_, (_, c))| c >= min_share)
        .map(|(t, (w, _))| (t, w))
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let terms: Vec<String> = terms
        .into_iter()
        .take(8)
        .map(|(t, _)| p.model.term(t).to_owned())
        .collect();
    // The most central article with a title: highest summed similarity to the others.
    let index: FxHashMap<usize, usize> =
        articles.iter().enumerate().map(|(x, &i)| (i, x)).collect();
    let mut centrality = vec![0f32; articles.len()];
    if articles.len() > 1 {
        let first = articles[0] as u32;
        let start = p.edges.partition_point(|e| e.a < first);
        for e in &p.edges[start..] {
            if let (Some(&x), Some(&y)) = (index.get(&(e.a as usize)), index.get(&(e.b as usize))) {
                let s = e.similarity(weights);
                centrality[x] += s;
                centrality[y] += s;
            }
        }
    }
    let label = articles
        .iter()
        .enumerate()
        .filter_map(|(x, &i)| {
            let t = corpus.article(i).title.clone()?;
            let t = t.trim().to_owned();
            (!t.is_empty()).then_some((centrality[x], std::cmp::Reverse(i), t))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, _, t)| t)
        .unwrap_or_else(|| terms.iter().take(5).cloned().collect::<Vec<_>>().join(", "));
    let claims = recurring_claims(corpus, &articles);
    Story {
        id: format!("s{}", k + 1),
        label,
        size: articles.len(),
        articles,
        copies,
        outlets,
        first: dates.first().map(|d| d.1.clone()),
        last: dates.last().map(|d| d.1.clone()),
        why: Why {
            actors: shared_actors,
            terms,
            claims,
        },
    }
}

/// Claims (the first ten of each article) whose content words overlap a claim of another
/// article by a Jaccard index of 0.3 or more; the three with most overlap.
fn recurring_claims<C: Corpus + ?Sized>(corpus: &C, articles: &[usize]) -> Vec<(usize, String)> {
    if articles.len() < 2 {
        return Vec::new();
    }
    let sets: Vec<Vec<(String, FxHashSet<String>)>> = articles
        .iter()
        .map(|&i| {
            corpus
                .article(i)
                .claims
                .iter()
                .take(10)
                .map(|c| (c.clone(), tfidf::tokens(c).collect()))
                .collect()
        })
        .collect();
    let mut found: Vec<(f32, usize, String)> = Vec::new();
    for (x, claims) in sets.iter().enumerate() {
        for (text, words) in claims {
            if words.len() < 3 {
                continue;
            }
            let best = sets
                .iter()
                .enumerate()
                .filter(|(y, _)| *y != x)
                .flat_map(|(_, other)| other.iter())
                .map(|(_, w)| {
                    let both = words.intersection(w).count();
                    both as f32 / (words.len() + w.len() - both).max(1) as f32
                })
                .fold(0.0f32, f32::max);
            if best >= 0.3 {
                found.push((best, articles[x], text.clone()));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<(usize, String)> = Vec::new();
    for (_, i, t) in found {
        if out.len() == 3 {
            break;
        }
        if !out.iter().any(|(j, _)| *j == i) {
            out.push((i, t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(title: &str, text: &str, day: &str, actors: &[&str]) -> Article {
        Article {
            title: Some(title.into()),
            text: text.into(),
            outlet: Some(format!("outlet-{}", title.len())),
            published: Some(day.into()),
            actors: actors.iter().map(|a| a.to_string()).collect(),
            claims: Vec::new(),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2021-10-18T16:15:00-07:00"), Some(18_918));
        assert_eq!(parse_day("2021-10"), parse_day("2021-10-01"));
        assert_eq!(parse_day("yesterday"), None);
    }

    #[test]
    fn groups_stories_and_marks_copies() {
        let ferry = "The island council approved the ferry contract with the mainland \
            operator after a dispute over winter sailings and fares that lasted two years.";
        let corpus = vec![
            art(
                "Council approves ferry contract",
                ferry,
                "2024-03-01",
                &["Island Council"],
            ),
            art(
                "Ferry deal ends island dispute",
                "Islanders will get winter ferry sailings again: the council signed the \
                 contract with the mainland operator, settling the dispute over fares.",
                "2024-03-02",
                &["Island Council"],
            ),
            art(
                "Copy: council approves ferry contract",
                ferry,
                "2024-03-03",
                &["Island Council"],
            ),
            art(
                "Storm floods northern rivers",
                "Heavy rain flooded rivers across the north, closing roads and forcing \
                 evacuations as the storm moved east.",
                "2024-03-01",
                &[],
            ),
            // The same words a year later: outside the window, another story.
            art(
                "Ferry contract approved by council",
                ferry.replace("two years", "three years").as_str(),
                "2025-03-01",
                &["Island Council"],
            ),
        ];
        let g = group(&corpus, &Params::default());
        assert_eq!(g.copy_of[2], Some(0));
        assert_eq!(g.story[0], g.story[1]);
        assert_eq!(g.story[0], g.story[2]);
        assert_ne!(g.story[0], g.story[3]);
        assert_ne!(g.story[0], g.story[4]);
        let s = &g.stories[g.story[0]];
        assert_eq!(s.size, 2);
        assert_eq!(s.copies, [2]);
        assert_eq!(s.first.as_deref(), Some("2024-03-01"));
        assert_eq!(s.last.as_deref(), Some("2024-03-03"));
        assert!(s.why.terms.iter().any(|t| t == "ferry"), "{:?}", s.why);
        assert_eq!(s.why.actors[0].0, "Island Council");
    }

    #[test]
    fn days_apart_lower_the_similarity() {
        let a = "The island council approved the ferry contract with the mainland operator.";
        let b = "Islanders get winter ferry sailings: the council signed the operator's contract.";
        let near = [
            art("Ferry contract approved", a, "2024-03-01", &[]),
            art("Council signs ferry contract", b, "2024-03-02", &[]),
        ];
        let far = [
            art("Ferry contract approved", a, "2024-03-01", &[]),
            art("Council signs ferry contract", b, "2024-03-06", &[]),
        ];
        let p = Params::default();
        let (en, ef) = (
            prepare(&near[..], &p).edges[0],
            prepare(&far[..], &p).edges[0],
        );
        assert_eq!((en.days, ef.days), (1.0, 5.0));
        let w = p.weights;
        let drop = en.similarity(&w) - ef.similarity(&w);
        assert!((drop - 4.0 * w.per_day).abs() < 1e-4, "{drop}");
    }
}
