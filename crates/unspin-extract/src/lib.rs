//! unspin pipeline stage **extract**: HTML page → main article text + metadata.
//!
//! [`extract`] parses the page as a browser would (html5ever, with a bounded tree depth, see
//! [`ExtractOptions::max_depth`]), finds the main article text and reads the page metadata
//! (title, authors, publication date, site name, canonical URL, language).
//!
//! [`eval`] implements the article-extraction benchmark metric used to tune it.

#![warn(missing_docs)]

#[doc(hidden)]
pub mod content;
pub mod dom;
pub mod eval;
mod meta;

use thiserror::Error;

/// Result of [`extract`].
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    /// Main article text: one paragraph / heading / list item per line, lines separated by
    /// `"\n"`, no blank lines, no leading or trailing whitespace on any line.
    pub text: String,
    /// Article title (og:title, JSON-LD headline, `<title>` without the site suffix, `<h1>`).
    pub title: Option<String>,
    /// Author names, deduplicated, in document order.
    pub authors: Vec<String>,
    /// Publication date or datetime, ISO 8601 as found in the page.
    pub published: Option<String>,
    /// Site / publication name.
    pub site: Option<String>,
    /// Canonical URL (resolved against [`ExtractOptions::base_url`] when relative).
    pub canonical_url: Option<String>,
    /// Language as a BCP 47 tag (from `<html lang>`, content-language meta or og:locale).
    pub language: Option<String>,
    /// Which path produced the text, e.g. `"fast"` or `"fallback:density"`.
    pub extractor: String,
}

/// Deepest element nesting kept by default ([`ExtractOptions::max_depth`]).
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// Options for [`extract`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Maximum DOM depth kept; deeper elements are flattened into their ancestor at this
    /// depth, as browsers do. Default 512; clamped to 8..=100_000.
    pub max_depth: usize,
    /// URL the page was fetched from, used to resolve a relative canonical URL.
    pub base_url: Option<String>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_depth: DEFAULT_MAX_DEPTH,
            base_url: None,
        }
    }
}

/// Why [`extract`] failed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The page has no text that could be the article.
    #[error("no main text found")]
    NoMainText,
}

/// Extract the main article text and metadata from an HTML page.
///
/// Returns [`ExtractError::NoMainText`] only when no article text at all can be found.
/// Never panics and uses no recursion over the document, so any input (including
/// pathologically nested markup) is safe on a normal 2 MB thread stack.
pub fn extract(html: &str, opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
    extract_with_rules(html, opts, content::Rules::shipped())
}

/// [`extract`] with an explicit rule set (evaluation and ablation; `extract` uses
/// [`content::Rules::shipped`]).
#[doc(hidden)]
pub fn extract_with_rules(
    html: &str,
    opts: &ExtractOptions,
    rules: &content::Rules,
) -> Result<Extracted, ExtractError> {
    let dom = dom::Dom::parse(html, opts.max_depth);
    let meta = meta::read(&dom, opts.base_url.as_deref());
    let (text, extractor) = content::main_text(&dom, rules);
    if text.is_empty() {
        return Err(ExtractError::NoMainText);
    }
    Ok(Extracted {
        text,
        title: meta.title,
        authors: meta.authors,
        published: meta.published,
        site: meta.site,
        canonical_url: meta.canonical_url,
        language: meta.language,
        extractor: extractor.to_string(),
    })
}
