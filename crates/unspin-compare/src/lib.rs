//! Versions of one story side by side.
//!
//! [`compare`] takes the analyses of several articles that tell one story (one per outlet,
//! usually) and joins them: the claims each includes or omits, aligned across the versions;
//! the actors linked across articles (one person, whatever each article calls them) with the
//! names and descriptors each outlet uses; whom each quotes and how much; the techniques each
//! uses per 1,000 words; how each headline frames the story; and a similarity in [0, 1] for
//! each pair of versions. Renderers for the terminal, JSON and a self-contained HTML page are
//! in [`render`].

pub mod actors;
pub mod claims;
pub mod eval;
pub mod eval_actors;
pub mod headline;
pub mod idf;
pub mod quotes;
pub mod render;
pub mod similarity;
pub mod techniques;
mod types;

pub use types::*;

use unspin::Analysis;

/// One version of the story: an analysed article and the label that names it in reports.
#[derive(Debug, Clone)]
pub struct Version {
    /// How reports name the version: the JSONL id, the file path, the URL or the store id.
    pub label: String,
    /// The analysis of the article.
    pub analysis: Analysis,
}

impl Version {
    /// A version labelled `label`.
    pub fn new(label: impl Into<String>, analysis: Analysis) -> Self {
        Version {
            label: label.into(),
            analysis,
        }
    }

    /// The outlet: the site the source names, else the URL's host, else the label.
    pub fn outlet(&self) -> String {
        let s = &self.analysis.source;
        s.site
            .clone()
            .filter(|x| !x.trim().is_empty())
            .or_else(|| s.url.as_deref().and_then(host))
            .unwrap_or_else(|| self.label.clone())
    }

    /// Words in the text (whitespace-separated).
    pub fn words(&self) -> usize {
        self.analysis.text.split_whitespace().count()
    }
}

/// Makes the versions' labels tell them apart: a label an earlier version has gets " (2)",
/// " (3)", … in order.
pub fn distinct_labels(versions: &mut [Version]) {
    for i in 1..versions.len() {
        let label = &versions[i].label;
        // Earlier versions with this label, or with this label numbered ("x (2)").
        let n = versions[..i]
            .iter()
            .filter(|v| {
                v.label == *label
                    || v.label
                        .strip_prefix(label.as_str())
                        .and_then(|r| r.strip_prefix(" ("))
                        .and_then(|r| r.strip_suffix(')'))
                        .is_some_and(|n| n.parse::<usize>().is_ok())
            })
            .count();
        if n > 0 {
            versions[i].label = format!("{} ({})", versions[i].label, n + 1);
        }
    }
}

/// The host of an http(s) URL, without a leading `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Compares the versions (two or more; with one, the report describes that one).
pub fn compare(versions: &[Version]) -> Comparison {
    let linked = actors::link(versions);
    let aligned = claims::align(versions);
    let pairs = similarity::pairs(versions, &linked, &aligned);
    let quotes = quotes::by_version(versions, &linked);
    let headlines = headline::by_version(versions, &linked);
    Comparison {
        versions: versions.iter().map(VersionSummary::of).collect(),
        pairs,
        claims: aligned,
        actors: linked,
        quotes,
        techniques: techniques::by_version(versions),
        headlines,
    }
}

#[cfg(test)]
mod tests {
    use super::host;

    #[test]
    fn hosts_lose_www_ports_and_users() {
        assert_eq!(
            host("https://www.example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(host("http://u@News.Site/x").as_deref(), Some("news.site"));
        assert_eq!(host("not a url"), None);
    }

    #[test]
    fn repeated_labels_are_numbered() {
        let a = || unspin::analyze(&unspin::Document::from_text("A text.")).unwrap();
        let mut v: Vec<super::Version> = ["x", "x", "y", "x"]
            .iter()
            .map(|l| super::Version::new(*l, a()))
            .collect();
        super::distinct_labels(&mut v);
        let labels: Vec<&str> = v.iter().map(|v| v.label.as_str()).collect();
        assert_eq!(labels, ["x", "x (2)", "y", "x (3)"]);
    }
}
