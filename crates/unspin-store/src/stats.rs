//! Statistics of a stored corpus by outlet, by month, or both: articles, words, technique
//! rates per 1,000 words with their counts and 95 % intervals, quotes per article and the
//! most quoted speakers, the most mentioned actors with the names and descriptors each group
//! gives them, and the top claims.
//!
//! A backend gives the counts per (outlet, month) cell ([`Cells`]); everything else —
//! merging cells into groups, rates, intervals, sorting — happens here, in Rust, so the
//! output is the same byte for byte whichever backend holds the corpus.

use std::collections::BTreeMap;

use serde::Serialize;

/// Groups smaller than this (in articles) are flagged `small`: their rates are noise.
pub const MIN_GROUP_ARTICLES: usize = 30;

/// How many speakers, actors, names and claims a group lists.
pub const TOP: usize = 10;

/// The key of a cell: (outlet, month), None when unknown.
pub type CellKey = (Option<String>, Option<String>);

/// Counts per (outlet, month) cell, as a backend reads them.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    /// Per cell: (articles, words, quotes).
    pub documents: Vec<(CellKey, usize, usize, usize)>,
    /// Per cell and technique: spans.
    pub techniques: Vec<(CellKey, String, usize)>,
    /// Per cell and speaker (resolved actor name, else the name as written): quotes.
    pub speakers: Vec<(CellKey, String, usize)>,
    /// Per cell, actor (canonical name), name or descriptor and role: uses.
    pub names: Vec<(CellKey, String, String, String, usize)>,
    /// Per cell: claims (score, text, input), any number; the best are kept.
    pub claims: Vec<(CellKey, f64, String, String)>,
}

/// What the groups are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One group per outlet.
    Outlet,
    /// One group per month.
    Month,
    /// One group per outlet and month.
    OutletMonth,
}

impl By {
    /// Parses `outlet`, `month` or `outlet,month`.
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "outlet" => Some(By::Outlet),
            "month" => Some(By::Month),
            "outlet,month" | "month,outlet" => Some(By::OutletMonth),
            _ => None,
        }
    }

    /// The grouping's fields, for the JSON's `by`.
    pub fn fields(self) -> Vec<&'static str> {
        match self {
            By::Outlet => vec!["outlet"],
            By::Month => vec!["month"],
            By::OutletMonth => vec!["outlet", "month"],
        }
    }

    fn key(self, (outlet, month): &CellKey) -> CellKey {
        match self {
            By::Outlet => (outlet.clone(), None),
            By::Month => (None, month.clone()),
            By::OutletMonth => (outlet.clone(), month.clone()),
        }
    }
}

/// A rate with its count and 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    /// Events counted.
    pub count: usize,
    /// Events per unit (per 1,000 words, or per article).
    pub rate: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// A Poisson rate `count / exposure × scale` with Byar's approximation of the exact 95 %
/// interval (exact at zero events).
pub fn rate(count: usize, exposure: f64, scale: f64) -> Rate {
    let k = count as f64;
    let z = 1.959_964;
    let per = if exposure > 0.0 {
        scale / exposure
    } else {
        0.0
    };
    let low = if count == 0 {
        0.0
    } else {
        k * (1.0 - 1.0 / (9.0 * k) - z / (3.0 * k.sqrt())).powi(3)
    };
    let k1 = k + 1.0;
    // With no event the exact upper end is -ln(0.025).
    let high = if count == 0 {
        -(0.025f64.ln())
    } else {
        k1 * (1.0 - 1.0 / (9.0 * k1) + z / (3.0 * k1.sqrt())).powi(3)
    };
    let r = |x: f64| (x * per * 1e4).round() / 1e4;
    Rate {
        count,
        rate: r(k),
        low: r(low),
        high: r(high),
    }
}

/// A name or descriptor with how often the group uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    /// As written.
    pub text: String,
    /// Uses.
    pub count: usize,
}

/// An actor as one group names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorStats {
    /// Canonical name.
    pub actor: String,
    /// Mentions in the group.
    pub mentions: usize,
    /// The names used for it, most used first.
    pub names: Vec<Named>,
    /// The descriptors given to it, most used first.
    pub descriptors: Vec<Named>,
}

/// A claim of the group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopClaim {
    /// Check-worthiness.
    pub score: f64,
    /// The statement.
    pub text: String,
    /// The document's input.
    pub input: String,
}

/// One group's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Outlet (null: unknown, or not a grouping field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<Option<String>>,
    /// Month `YYYY-MM` (null: unknown, or not a grouping field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<Option<String>>,
    /// Stored documents.
    pub articles: usize,
    /// Words.
    pub words: usize,
    /// Fewer than [`MIN_GROUP_ARTICLES`] articles: do not compare its rates.
    pub small: bool,
    /// Technique spans per 1,000 words, by technique code (sorted).
    pub techniques: BTreeMap<String, Rate>,
    /// All technique spans per 1,000 words.
    pub technique_spans: Rate,
    /// Quotes per article.
    pub quotes: Rate,
    /// Most quoted speakers.
    pub speakers: Vec<Named>,
    /// Most mentioned actors, with the names and descriptors the group gives them.
    pub actors: Vec<ActorStats>,
    /// Most check-worthy claims.
    pub claims: Vec<TopClaim>,
}

/// The statistics of a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The grouping fields.
    pub by: Vec<&'static str>,
    /// Groups, sorted by key (unknown last).
    pub groups: Vec<Group>,
}

fn top(mut v: Vec<Named>, n: usize) -> Vec<Named> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    v.truncate(n);
    v
}

/// Merges cells into groups and computes every figure.
pub fn compute(cells: &Cells, by: By) -> Stats {
    #[derive(Default)]
    struct Acc {
        articles: usize,
        words: usize,
        quotes: usize,
        techniques: BTreeMap<String, usize>,
        speakers: BTreeMap<String, usize>,
        names: BTreeMap<String, BTreeMap<(String, String), usize>>,
        claims: Vec<TopClaim>,
    }
    // Unknown values sort last: (is_none, value).
    let order = |k: &CellKey| (k.0.is_none(), k.0.clone(), k.1.is_none(), k.1.clone());
    type Order = (bool, Option<String>, bool, Option<String>);
    let mut acc: BTreeMap<Order, (CellKey, Acc)> = BTreeMap::new();
    fn slot<'m>(
        acc: &'m mut BTreeMap<Order, (CellKey, Acc)>,
        by: By,
        order: impl Fn(&CellKey) -> Order,
        k: &CellKey,
    ) -> &'m mut Acc {
        let g = by.key(k);
        &mut acc
            .entry(order(&g))
            .or_insert_with(|| (g, Acc::default()))
            .1
    }
    for (k, articles, words, quotes) in &cells.documents {
        let a = slot(&mut acc, by, order, k);
        a.articles += articles;
        a.words += words;
        a.quotes += quotes;
    }
    for (k, t, n) in &cells.techniques {
        *slot(&mut acc, by, order, k)
            .techniques
            .entry(t.clone())
            .or_default() += n;
    }
    for (k, s, n) in &cells.speakers {
        *slot(&mut acc, by, order, k)
            .speakers
            .entry(s.clone())
            .or_default() += n;
    }
    for (k, actor, name, role, n) in &cells.names {
        *slot(&mut acc, by, order, k)
            .names
            .entry(actor.clone())
            .or_default()
            .entry((role.clone(), name.clone()))
            .or_default() += n;
    }
    for (k, score, text, input) in &cells.claims {
        slot(&mut acc, by, order, k).claims.push(TopClaim {
            score: (score * 1e3).round() / 1e3,
            text: text.clone(),
            input: input.clone(),
        });
    }
    let groups = acc
        .into_values()
        .map(|(key, a)| {
            let words = a.words as f64;
            let mut actors: Vec<ActorStats> = a
                .names
                .into_iter()
                .map(|(actor, uses)| {
                    let (mut names, mut descriptors) = (Vec::new(), Vec::new());
                    for ((role, text), count) in uses {
                        let n = Named { text, count };
                        if role == "descriptor" {
                            descriptors.push(n);
                        } else {
                            names.push(n);
                        }
                    }
                    ActorStats {
                        actor,
                        mentions: names.iter().map(|n| n.count).sum(),
                        names: top(names, TOP),
                        descriptors: top(descriptors, TOP),
                    }
                })
                .collect();
            actors.sort_by(|x, y| {
                y.mentions
                    .cmp(&x.mentions)
                    .then_with(|| x.actor.cmp(&y.actor))
            });
            actors.truncate(TOP);
            let mut claims = a.claims;
            claims.sort_by(|x, y| {
                y.score
                    .total_cmp(&x.score)
                    .then_with(|| x.input.cmp(&y.input))
                    .then_with(|| x.text.cmp(&y.text))
            });
            claims.truncate(TOP);
            let spans: usize = a.techniques.values().sum();
            Group {
                outlet: (by != By::Month).then(|| key.0.clone()),
                month: (by != By::Outlet).then(|| key.1.clone()),
                articles: a.articles,
                words: a.words,
                small: a.articles < MIN_GROUP_ARTICLES,
                techniques: a
                    .techniques
                    .into_iter()
                    .map(|(t, n)| (t, rate(n, words, 1000.0)))
                    .collect(),
                technique_spans: rate(spans, words, 1000.0),
                quotes: rate(a.quotes, a.articles as f64, 1.0),
                speakers: top(
                    a.speakers
                        .into_iter()
                        .map(|(text, count)| Named { text, count })
                        .collect(),
                    TOP,
                ),
                actors,
                claims,
            }
        })
        .collect();
    Stats {
        by: by.fields(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_intervals_by_hand() {
        // 0 events: [0, 3.69]; 10 events: about [4.80, 18.39].
        let r = rate(0, 1.0, 1.0);
        assert_eq!(r.low, 0.0);
        assert!((r.high - 3.689).abs() < 0.01, "{r:?}");
        let r = rate(10, 1.0, 1.0);
        assert!(
            (r.low - 4.795).abs() < 0.02 && (r.high - 18.39).abs() < 0.05,
            "{r:?}"
        );
        // Per 1,000 words.
        assert_eq!(rate(5, 2000.0, 1000.0).rate, 2.5);
    }

    #[test]
    fn cells_merge_into_sorted_groups_with_unknown_last() {
        let k = |o: Option<&str>, m: &str| (o.map(str::to_owned), Some(m.to_owned()));
        let cells = Cells {
            documents: vec![
                (k(Some("B"), "2024-01"), 2, 1000, 3),
                (k(None, "2024-01"), 1, 500, 0),
                (k(Some("A"), "2024-02"), 1, 800, 1),
                (k(Some("B"), "2024-02"), 1, 1000, 0),
            ],
            techniques: vec![(k(Some("B"), "2024-01"), "Loaded_Language".into(), 4)],
            ..Cells::default()
        };
        let s = compute(&cells, By::Outlet);
        let outlets: Vec<_> = s.groups.iter().map(|g| g.outlet.clone().unwrap()).collect();
        assert_eq!(outlets, vec![Some("A".into()), Some("B".into()), None]);
        let b = &s.groups[1];
        assert_eq!((b.articles, b.words), (3, 2000));
        assert_eq!(b.techniques["Loaded_Language"].rate, 2.0);
        assert!(b.small);
        assert_eq!(compute(&cells, By::OutletMonth).groups.len(), 4);
    }
}
